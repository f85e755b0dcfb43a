//! What the check-in page shows, read from the phone (`local::checkins`) and kept fresh by
//! the check-in rounds; and the actions, each written to the phone's outbox first (shown at
//! once as *Venter på nett*) and then sent by a round.

use super::texts::CheckinKey;
use crate::model::checkin::{Content, Message, Person, Refusal, Role};
use leptos::prelude::*;

/// Something the phone has not handed to the server yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub key: String,
    /// The conversation (`None`: Kontakt meg, to everyone).
    pub rel: Option<String>,
    pub content: Option<Content>,
    pub queued_ms: i64,
    /// The server refused it, and why.
    pub refused: Option<String>,
}

#[derive(Clone, Copy)]
pub struct Page {
    /// The signed-in account's id (`None`: nobody is signed in on this phone).
    pub account: RwSignal<Option<String>>,
    pub people: RwSignal<Vec<Person>>,
    pub pending: RwSignal<Vec<Pending>>,
    /// The last round could not reach the server.
    pub offline: RwSignal<bool>,
    /// The phone's copy has been read.
    pub loaded: RwSignal<bool>,
    /// The conversation open on the page.
    pub open: RwSignal<Option<String>>,
    /// A line for the user after an action (an error), and where it is shown: by the form
    /// that was used. One signal, so the line and its place never disagree.
    pub notice: RwSignal<Option<(NoticeAt, String)>>,
}

/// Where a notice is shown: next to the form the action came from, so a refusal is where
/// the finger is (at large text the page is many screens long).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NoticeAt {
    /// Below the cards (a card's own actions, a message that could not be kept).
    #[default]
    Cards,
    /// Under the invitation form.
    Invite,
    /// Under the code form.
    Accept,
}

/// The notice line of one place; empty while the notice belongs to another.
#[component]
pub fn Notice(at: NoticeAt) -> impl IntoView {
    let page = expect_context::<Page>();
    let here = move || {
        page.notice.with(|notice| {
            notice
                .as_ref()
                .filter(|(place, _)| *place == at)
                .map(|(_, text)| text.clone())
        })
    };
    view! { <p class="checkin-notice" role="status">{here}</p> }
}

impl Default for Page {
    fn default() -> Page {
        Page {
            account: RwSignal::new(None),
            people: RwSignal::new(Vec::new()),
            pending: RwSignal::new(Vec::new()),
            offline: RwSignal::new(false),
            loaded: RwSignal::new(false),
            open: RwSignal::new(None),
            notice: RwSignal::new(None),
        }
    }
}

/// The state a message I sent is in, for its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sent {
    Sent,
    Delivered,
    Read,
}

pub fn sent_state(message: &Message) -> Sent {
    if message.read_ms.is_some() {
        Sent::Read
    } else if message.delivered_ms.is_some() {
        Sent::Delivered
    } else {
        Sent::Sent
    }
}

/// Messages to me not opened yet (by the server's read mark or by this page).
pub fn unread(person: &Person) -> Vec<String> {
    person
        .messages
        .iter()
        .filter(|m| !m.mine && m.read_ms.is_none() && m.content != Content::Help)
        .map(|m| m.id.clone())
        .collect()
}

/// Kontakt meg requests to me that I have not acknowledged (trusted side).
pub fn open_requests(person: &Person) -> Vec<Message> {
    if person.role != Role::Trusted {
        return Vec::new();
    }
    person
        .messages
        .iter()
        .filter(|m| !m.mine && m.content == Content::Help && m.ack_ms.is_none())
        .cloned()
        .collect()
}

/// `HH:MM` in the phone's time zone (empty on the server, where nothing is shown anyway).
pub fn clock(ms: i64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ms;
        String::new()
    }
}

/// Today's ISO weekday (1 Monday … 7 Sunday) on the phone.
pub fn weekday_today() -> u8 {
    #[cfg(feature = "hydrate")]
    {
        let day = js_sys::Date::new_0().get_day() as u8;
        if day == 0 {
            7
        } else {
            day
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}

#[cfg(feature = "hydrate")]
pub use actions::*;

#[cfg(feature = "hydrate")]
mod actions {
    use super::{Page, Pending};
    use crate::local::checkins::{self, Outbound, Queued};
    use crate::local::store::now_ms;
    use crate::model::checkin::{Content, RawMessage};
    use leptos::prelude::*;
    use leptos::task::spawn_local;

    /// How long a new Kontakt meg counts as the same request (opening it twice in a
    /// short time asks once).
    const HELP_SAME_MS: i64 = 10 * 60 * 1000;

    // In the `later` chunk with the phone's check-in store (see `crate::later`): the page's
    // own chunk holds only what the server renders and the calls.
    crate::later::in_later_chunk! {
        /// Reads the phone's copy into the page. The page may be gone by the time the phone
        /// answers (the user moved on): then nothing is set.
        pub async fn reload(page: Page) {
            let Some(Some(account)) = page.account.try_get_untracked() else {
                let _ = page.loaded.try_set(true);
                return;
            };
            if let Ok(held) = checkins::load(&account).await {
                let pending = held
                    .outbox
                    .into_iter()
                    .filter_map(|q| match q.entry {
                        Outbound::Message { rel, message } => Some(Pending {
                            key: q.key,
                            rel: Some(rel),
                            content: message.parse().ok().map(|(_, c)| c),
                            queued_ms: q.queued_ms,
                            refused: q.refused,
                        }),
                        Outbound::Help { id } => Some(Pending {
                            key: id,
                            rel: None,
                            content: Some(Content::Help),
                            queued_ms: q.queued_ms,
                            refused: q.refused,
                        }),
                        _ => None,
                    })
                    .collect();
                // Only news wakes the page: most rounds bring none.
                let people = held.people.people;
                if page.people.try_with_untracked(|now| *now != people) == Some(true) {
                    let _ = page.people.try_set(people);
                }
                if page.pending.try_with_untracked(|now| *now != pending) == Some(true) {
                    let _ = page.pending.try_set(pending);
                }
            }
            let _ = page.offline.try_set(crate::sync::checkins::offline());
            let _ = page.loaded.try_set(true);
            crate::ui::checkin::notify::badge(page);
        }
    }

    /// A round now (it reloads the page when done).
    pub fn kick(page: Page) {
        if let Some(Some(account)) = page.account.try_get_untracked() {
            spawn_local(crate::sync::checkins::round(account, true));
        }
    }

    fn new_id() -> String {
        crate::local::checkins::new_message_id()
    }

    crate::later::in_later_chunk! {
        /// Queues `entry` on the phone, shows it, and starts a round to send it.
        async fn put(page: Page, key: String, entry: Outbound) {
            let Some(Some(account)) = page.account.try_get_untracked() else {
                return;
            };
            let queued = Queued {
                key,
                account: account.clone(),
                queued_ms: now_ms() as i64,
                entry,
                refused: None,
            };
            if checkins::queue(&queued).await.is_err() {
                let said = super::CheckinKey::RefusedStorage
                    .text(super::lang_now())
                    .to_owned();
                let _ = page.notice.try_set(Some((super::NoticeAt::Cards, said)));
            }
            reload(page).await;
            spawn_local(crate::sync::checkins::round(account, true));
        }
    }

    /// A message in conversation `rel`: on the phone at once, sent by a round.
    pub fn send(page: Page, rel: String, content: Content) {
        spawn_local(async move {
            let id = new_id();
            let message = RawMessage::new(&id, &content);
            put(page, id, Outbound::Message { rel, message }).await;
        });
    }

    crate::later::in_later_chunk! {
        /// Kontakt meg for the account this phone last knew to be signed in, read straight
        /// from the phone (a direct load of `/innsjekk/kontakt-meg` comes before the engine
        /// has read it); nothing without one. Read here, not in the page: reading the stored
        /// account is serde_json's parser, which would otherwise be on the page's first load.
        pub async fn ask_for_help_signed_in() {
            if let Some(account) = crate::sync::engine::stored_account() {
                ask_for_help(account.id).await;
            }
        }
    }

    crate::later::in_later_chunk! {
        /// Kontakt meg for `account`: queued once (a second ask within ten minutes is the same
        /// request), then sent as soon as it can be. Needs no page: the crisis screen is what
        /// is on screen by then.
        pub async fn ask_for_help(account: String) {
            let Ok(held) = checkins::load(&account).await else {
                return;
            };
            let now = now_ms() as i64;
            let recent_queued = held.outbox.iter().any(|q| {
                matches!(q.entry, Outbound::Help { .. })
                    && q.refused.is_none()
                    && now - q.queued_ms < HELP_SAME_MS
            });
            let recent_sent = held.people.people.iter().any(|p| {
                p.messages
                    .iter()
                    .any(|m| m.mine && m.content == Content::Help && now - m.sent_ms < HELP_SAME_MS)
            });
            if !recent_queued && !recent_sent {
                let id = new_id();
                let queued = Queued {
                    key: id.clone(),
                    account: account.clone(),
                    queued_ms: now,
                    entry: Outbound::Help { id },
                    refused: None,
                };
                if checkins::queue(&queued).await.is_err() {
                    return;
                }
                crate::sync::checkins::tell();
            }
            crate::sync::checkins::round(account, true).await;
        }
    }

    pub fn mark_read(page: Page, rel: String, ids: Vec<String>) {
        if ids.is_empty() {
            return;
        }
        spawn_local(async move {
            let key = format!("read:{rel}:{}", ids.join(","));
            put(page, key, Outbound::Read { rel, ids }).await;
        });
    }

    pub fn ack(page: Page, rel: String, message: String) {
        spawn_local(async move {
            let key = format!("ack:{rel}:{message}");
            put(page, key, Outbound::Ack { rel, message }).await;
        });
    }
}

/// Online-only actions (inviting, accepting, settings, pause, end): the answer, or a
/// notice saying why not. Then a round, so the page shows the server's truth.
#[cfg(feature = "hydrate")]
pub async fn online(
    page: Page,
    at: NoticeAt,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> Option<serde_json::Value> {
    use crate::sync::net::{call, NetError};
    // A new action: what the last one said no longer holds.
    page.notice.set(None);
    let answer = call::<serde_json::Value>(method, path, body.as_ref()).await;
    kick(page);
    let key = match answer {
        Ok(value) => return Some(value.unwrap_or(serde_json::Value::Null)),
        // Not "Venter på nett": these actions are not queued, and the page must not promise
        // what will not happen.
        Err(NetError::Offline) => CheckinKey::RefusedOffline,
        Err(NetError::Status {
            code, error, field, ..
        }) => refusal(code, error.as_deref(), field.as_deref()),
        Err(NetError::Malformed(_)) => CheckinKey::RefusedServer,
    };
    page.notice.set(Some((at, key.text(lang_now()).to_owned())));
    None
}

/// Why the server refused a check-in call, in the user's language. The server's own message
/// is English, for developers; its status, its stable `error` code and the field it names
/// are enough to choose the text.
pub fn refusal(code: u16, error: Option<&str>, field: Option<&str>) -> CheckinKey {
    use CheckinKey as K;
    match (code, error, field) {
        (401, ..) => K::RefusedLoggedOut,
        (404 | 410, ..) => K::RefusedNotFound,
        (409, _, Some("people")) => K::RefusedTooManyPeople,
        (409, _, Some("paused")) => K::RefusedPaused,
        (409, _, Some("status")) => K::RefusedPending,
        (413, ..) | (422, _, Some("text")) => K::RefusedTooLong,
        (422, _, Some("phone" | "user_phone")) => K::UserPhoneInvalid,
        (422, _, Some("name")) => K::RefusedName,
        (422, _, Some("code")) => K::RefusedOwnCode,
        (429, Some("daily_limit"), _) => K::RefusedDailyLimit,
        (429, ..) => K::RefusedTooManyAttempts,
        (500.., ..) => K::RefusedServer,
        _ => K::RefusedInvalid,
    }
}

/// The text for a refusal kept with a message that was not sent; one kept before refusals
/// were kept as facts (the server's English sentence) reads as the general one.
pub fn refusal_kept(kept: &str) -> CheckinKey {
    Refusal::from_kept(kept)
        .map(|r| refusal(r.code, r.error.as_deref(), r.field.as_deref()))
        .unwrap_or(CheckinKey::RefusedInvalid)
}

#[cfg(feature = "hydrate")]
fn lang_now() -> crate::model::lang::Lang {
    crate::local::prefs::stored_lang().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lang::Lang;

    #[test]
    fn a_refusal_is_said_in_the_users_language() {
        let said = |code, error, field| refusal(code, error, field).text(Lang::Nb);
        assert_eq!(
            said(409, Some("conflict"), Some("paused")),
            "Innsjekk med denne personen er pauset."
        );
        assert!(said(409, Some("conflict"), Some("people")).contains("5 tillitspersoner"));
        assert!(said(429, Some("daily_limit"), None).contains("Dagens grense"));
        assert!(said(429, Some("too_many_requests"), None).starts_with("For mange forsøk"));
        assert!(said(422, Some("invalid"), Some("user_phone")).starts_with("Ugyldig telefonnummer"));
        assert!(said(404, Some("not_found"), None).starts_with("Fant ikke"));
        assert!(said(503, None, None).starts_with("Noe gikk galt hos oss"));
        assert_eq!(
            refusal(409, None, Some("paused")).text(Lang::English),
            "Check-ins with this person are paused."
        );
        // Kept with a message: read back in whatever language the user has now; an old
        // English sentence from the server is never shown.
        assert_eq!(refusal_kept("409 conflict paused"), CheckinKey::RefusedPaused);
        assert_eq!(
            refusal_kept("Check-ins with this person are paused."),
            CheckinKey::RefusedInvalid
        );
    }
}
