//! One person: the latest message and the one- or two-tap actions on the card (the user's
//! five-step scale, the trusted person's ready phrases), and, opened, the conversation with
//! each message's state in words (*Venter på nett → Sendt → Levert → Lest*), free text, and
//! the settings each side has.

use super::state::{clock, sent_state, unread, weekday_today, Page, Pending, Sent};
use super::texts::{tc, CheckinKey as K};
use crate::i18n::fill;
use crate::model::checkin::{Content, Message, Person, Phrase, Role, Scale, Status};
use crate::model::lang::Lang;
use crate::model::phone::PhoneNumber;
use crate::model::text::CheckinText;
use crate::ui::events::{click_handler, event_handler, submit_handler};
use crate::ui::later_view::{shown, Drawn, DrawnEach, DrawnView};
use leptos::prelude::*;

fn phrase_key(phrase: Phrase) -> K {
    match phrase {
        Phrase::ThinkingOfYou => K::PhraseThinkingOfYou,
        Phrase::HowAreYou => K::PhraseHowAreYou,
        Phrase::GoodDay => K::PhraseGoodDay,
    }
}

fn scale_key(scale: Scale) -> K {
    match scale.get() {
        1 => K::Scale1,
        2 => K::Scale2,
        3 => K::Scale3,
        4 => K::Scale4,
        _ => K::Scale5,
    }
}

/// A face for each step; the text label is always next to it.
fn scale_face(scale: Scale) -> &'static str {
    ["😣", "🙁", "😐", "🙂", "😄"][usize::from(scale.get() - 1)]
}

/// What a message says, in words.
pub fn describe(content: &Content, lang: Lang) -> String {
    match content {
        Content::Text { text } => text.as_str().to_owned(),
        Content::Phrase { phrase } => phrase_key(*phrase).text(lang).to_owned(),
        Content::Answer { scale, text } => {
            let label = format!("{} {}", scale_face(*scale), scale_key(*scale).text(lang));
            let answer = fill(K::Answered.text(lang), &[("label", label)]);
            match text {
                Some(t) => format!("{answer} – {}", t.as_str()),
                None => answer,
            }
        }
        Content::Help => K::HelpRequest.text(lang).to_owned(),
    }
}

fn state_text(message: &Message, lang: Lang) -> &'static str {
    match sent_state(message) {
        Sent::Sent => K::StateSent.text(lang),
        Sent::Delivered => K::StateDelivered.text(lang),
        Sent::Read => K::StateRead.text(lang),
    }
}

/// The card of relationship `rel`. What decides its controls (role, status, name) is read
/// once: the list makes a new card when one of them changes. The rest (the latest message,
/// the unread count, the reminder, the conversation) follows the person as rounds bring news.
#[component]
pub fn PersonCard(rel: String) -> DrawnView {
    let page = expect_context::<Page>();
    let lang = crate::i18n::use_i18n().lang;
    let person = {
        let rel = rel.clone();
        Memo::new(move |_| {
            page.people
                .with(|people| people.iter().find(|p| p.id == rel).cloned())
        })
    };
    let Some(first) = person.get_untracked() else {
        return ().drawn();
    };
    let live = first.status == Status::Live;
    let owner = first.role == Role::Owner;
    let name = first.name.clone();
    let status = match first.status {
        Status::Paused => Some(K::Paused),
        Status::Pending => Some(K::Pending),
        Status::Live => None,
    };
    let unread_ids = move || person.with(|p| p.as_ref().map(unread).unwrap_or_default());
    let reminder_due = move || {
        let today = weekday_today();
        person.with(|p| {
            p.as_ref().is_some_and(|p| {
                !owner
                    && live
                    && p.reminder == Some(today)
                    && !p
                        .messages
                        .iter()
                        .any(|m| m.mine && m.content != Content::Help && is_today(m.sent_ms))
            })
        })
    };
    let is_open = {
        let rel = rel.clone();
        Memo::new(move |_| page.open.get().as_deref() == Some(rel.as_str()))
    };
    let toggle = {
        let rel = rel.clone();
        move |_| {
            if page.open.get_untracked().as_deref() == Some(rel.as_str()) {
                page.open.set(None);
            } else {
                page.open.set(Some(rel.clone()));
                #[cfg(feature = "hydrate")]
                super::state::mark_read(
                    page,
                    rel.clone(),
                    person.with_untracked(|p| p.as_ref().map(unread).unwrap_or_default()),
                );
            }
        }
    };
    let send = {
        let rel = rel.clone();
        move |content: Content| {
            #[cfg(feature = "hydrate")]
            super::state::send(page, rel.clone(), content);
            #[cfg(not(feature = "hydrate"))]
            let _ = (&rel, content);
        }
    };
    let note = RwSignal::new(String::new());
    let taps = {
        let send = send.clone();
        move || {
            if !live {
                return ().drawn();
            }
            if owner {
                let buttons = Scale::ALL
                    .into_iter()
                    .map(|scale| {
                        let send = send.clone();
                        let tap = move |_| {
                            let text = CheckinText::parse(&note.get_untracked()).ok();
                            note.set(String::new());
                            send(Content::Answer { scale, text });
                        };
                        view! {
                            <button type="button" class=format!("scale scale-{}", scale.get()) on:click=click_handler(tap)>
                                <span aria-hidden="true">{scale_face(scale)}</span>
                                " "
                                {tc(scale_key(scale))}
                            </button>
                        }
                    })
                    .drawn_each();
                view! {
                    <fieldset class="checkin-scale">
                        <legend>{tc(K::HowAreYouToday)}</legend>
                        <div class="scale-buttons">{buttons}</div>
                        <label>
                            {tc(K::AnswerNote)}
                            <input type="text" maxlength="280" bind:value=note />
                        </label>
                    </fieldset>
                }
                .drawn()
            } else {
                let buttons = [Phrase::ThinkingOfYou, Phrase::HowAreYou]
                    .into_iter()
                    .map(|phrase| {
                        let send = send.clone();
                        view! {
                            <button type="button" class="phrase" on:click=click_handler(move |_| send(Content::Phrase { phrase }))>
                                {tc(phrase_key(phrase))}
                            </button>
                        }
                    })
                    .drawn_each();
                view! { <div class="checkin-phrases">{buttons}</div> }.drawn()
            }
        }
    };
    let latest_line = move || {
        let lang = lang.get();
        person.with(|p| {
            let m = p.as_ref()?.messages.last()?;
            Some(fill(
                K::Latest.text(lang),
                &[(
                    "text",
                    format!("{} ({})", describe(&m.content, lang), clock(m.sent_ms)),
                )],
            ))
        })
    };
    let name_for_reminder = name.clone();
    view! {
        <li class="checkin-person" data-person=name.clone()>
            <h4>{name.clone()}</h4>
            {status.map(|key| view! { <p class="checkin-status">{tc(key)}</p> })}
            {move || latest_line().map(|line| view! { <p class="checkin-latest">{line}</p> })}
            {move || {
                let count = unread_ids().len();
                (count > 0).then(|| view! {
                    <p class="checkin-unread">{fill(K::Unread.text(lang.get()), &[("n", count.to_string())])}</p>
                })
            }}
            {move || {
                let name = name_for_reminder.clone();
                reminder_due().then(|| view! {
                    <p class="checkin-reminder" role="status">
                        {fill(K::ReminderDue.text(lang.get()), &[("name", name)])}
                    </p>
                })
            }}
            {taps}
            <button type="button" class="checkin-open" aria-expanded=move || is_open.get().to_string() on:click=click_handler(toggle)>
                {tc(K::Open)} " " {name.clone()}
            </button>
            {shown(move || is_open.get(), move || view! {
                <Conversation first=first.clone() person />
            }.drawn())}
        </li>
    }
    .drawn()
}

fn is_today(ms: i64) -> bool {
    #[cfg(feature = "hydrate")]
    {
        let then = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        let now = js_sys::Date::new_0();
        then.to_date_string() == now.to_date_string()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ms;
        false
    }
}

/// The opened conversation: `first` as the card was made, `person` as it is now.
#[component]
fn Conversation(first: Person, person: Memo<Option<Person>>) -> DrawnView {
    let page = expect_context::<Page>();
    let lang = crate::i18n::use_i18n().lang;
    let rel = first.id.clone();
    let name = first.name.clone();
    let live = first.status == Status::Live;
    let owner = first.role == Role::Owner;
    let messages = move || person.with(|p| p.as_ref().map(|p| p.messages.clone()).unwrap_or_default());
    let pending_here = {
        let rel = rel.clone();
        move || {
            page.pending
                .get()
                .into_iter()
                .filter(|p| p.rel.as_deref() == Some(rel.as_str()))
                .collect::<Vec<Pending>>()
        }
    };
    let list = move || {
        let lang = lang.get();
        let messages = messages();
        let sent = messages.iter().map(|m| {
            let who = if m.mine {
                K::FromMe.text(lang).to_owned()
            } else {
                name.clone()
            };
            let state = m.mine.then(|| state_text(m, lang));
            view! {
                <li class=if m.mine { "mine" } else { "theirs" }>
                    <span class="who">{who}</span> ": " {describe(&m.content, lang)}
                    " " <span class="when">{clock(m.sent_ms)}</span>
                    {state.map(|s| view! { " " <span class="message-state">{s}</span> })}
                </li>
            }
        });
        let waiting = pending_here().into_iter().map(|p| {
            let state = match &p.refused {
                Some(kept) => fill(
                    K::StateFailed.text(lang),
                    &[("reason", super::state::refusal_kept(kept).text(lang).to_owned())],
                ),
                None => K::StateWaiting.text(lang).to_owned(),
            };
            let text = p.content.as_ref().map(|c| describe(c, lang)).unwrap_or_default();
            view! {
                <li class="mine">
                    <span class="who">{K::FromMe.text(lang)}</span> ": " {text}
                    " " <span class="message-state">{state}</span>
                </li>
            }
        });
        let sent = sent.drawn_each();
        let waiting = waiting.drawn_each();
        view! { {sent} {waiting} }
    };
    let text = RwSignal::new(String::new());
    let submit = {
        let rel = rel.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Ok(words) = CheckinText::parse(&text.get_untracked()) else {
                return;
            };
            text.set(String::new());
            #[cfg(feature = "hydrate")]
            super::state::send(page, rel.clone(), Content::Text { text: words });
            #[cfg(not(feature = "hydrate"))]
            let _ = (&rel, words);
        }
    };
    let good_day = {
        let rel = rel.clone();
        move |_| {
            #[cfg(feature = "hydrate")]
            super::state::send(
                page,
                rel.clone(),
                Content::Phrase {
                    phrase: Phrase::GoodDay,
                },
            );
            #[cfg(not(feature = "hydrate"))]
            let _ = &rel;
        }
    };
    let input_id = format!("write-{rel}");
    view! {
        <div class="checkin-conversation">
            <ol class="checkin-messages" aria-live="polite">{list}</ol>
            {move || person.with(|p| p.as_ref().is_none_or(|p| p.messages.is_empty())).then(|| view! { <p>{tc(K::NothingYet)}</p> })}
            {live.then(|| view! {
                {owner.then(|| view! {
                    <button type="button" class="phrase" on:click=click_handler(good_day)>{tc(K::PhraseGoodDay)}</button>
                })}
                <form class="checkin-write" on:submit=submit_handler(submit)>
                    <label for=input_id.clone()>{tc(K::Write)}</label>
                    <textarea id=input_id.clone() maxlength="280" rows="2" bind:value=text></textarea>
                    <button type="submit">{tc(K::Send)}</button>
                </form>
            }.drawn())}
            // As it is now: the conversation may be opened again after a change was saved.
            <super::conversation::Settings person=person.get_untracked().unwrap_or(first) />
        </div>
    }
    .drawn()
}

/// The person's settings: each side its own.
#[component]
pub fn Settings(person: Person) -> DrawnView {
    let page = expect_context::<Page>();
    let rel = person.id.clone();
    let owner = person.role == Role::Owner;
    let paused = person.status == Status::Paused;
    let receipts = RwSignal::new(person.read_receipts);
    let phone = RwSignal::new(person.phone.clone().unwrap_or_default());
    let user_phone = RwSignal::new(
        person
            .user_phone
            .as_deref()
            .map(|n| {
                PhoneNumber::parse(n)
                    .map(|p| p.display())
                    .unwrap_or_else(|_| n.to_owned())
            })
            .unwrap_or_default(),
    );
    let user_phone_error = RwSignal::new(false);
    let user_phone_saved = RwSignal::new(false);
    let reminder = RwSignal::new(person.reminder.unwrap_or(0).to_string());
    let confirming = RwSignal::new(false);
    let act = {
        let rel = rel.clone();
        move |method: &'static str, suffix: &'static str, body: Option<serde_json::Value>| {
            let path = format!("/api/v1/checkins/{rel}{suffix}");
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(async move {
                let _ = super::state::online(page, super::state::NoticeAt::Cards, method, &path, body).await;
            });
            #[cfg(not(feature = "hydrate"))]
            let _ = (method, path, body, page);
        }
    };
    let a = act.clone();
    let toggle_receipts = move |_| {
        let on = !receipts.get_untracked();
        receipts.set(on);
        a("PATCH", "", Some(serde_json::json!({ "read_receipts": on })));
    };
    let a = act.clone();
    let pause = move |_| a("POST", if paused { "/resume" } else { "/pause" }, None);
    let a = act.clone();
    let end = move |_| {
        if confirming.get_untracked() {
            a("DELETE", "", None);
        } else {
            confirming.set(true);
        }
    };
    let a = act.clone();
    let delete_all = move |_| a("DELETE", "/messages", None);
    let a = act.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let day: u8 = reminder.get_untracked().parse().unwrap_or(0);
        a(
            "PATCH",
            "",
            Some(serde_json::json!({ "phone": phone.get_untracked(), "reminder": day })),
        );
    };
    // The user's own number for this person: checked here first, so a typo is said at the
    // field in the user's language, and nothing is sent.
    let give_number = {
        let rel = rel.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            user_phone_saved.set(false);
            let typed = user_phone.get_untracked();
            let number = if typed.trim().is_empty() {
                String::new()
            } else {
                match PhoneNumber::parse(&typed) {
                    Ok(number) => number.as_str().to_owned(),
                    Err(_) => {
                        user_phone_error.set(true);
                        return;
                    }
                }
            };
            user_phone_error.set(false);
            let path = format!("/api/v1/checkins/{rel}");
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(async move {
                let body = Some(serde_json::json!({ "user_phone": number }));
                if super::state::online(page, super::state::NoticeAt::Cards, "PATCH", &path, body)
                    .await
                    .is_some()
                {
                    user_phone_saved.set(true);
                }
            });
            #[cfg(not(feature = "hydrate"))]
            let _ = (path, number);
        }
    };
    let user_phone_id = format!("user-phone-{rel}");
    let user_phone_hint = format!("user-phone-hint-{rel}");
    let receipts_id = format!("receipts-{rel}");
    let phone_id = format!("phone-{rel}");
    let reminder_id = format!("reminder-{rel}");
    let days = (1..=7u8)
        .map(|d| {
            let key = [
                K::Weekday1,
                K::Weekday2,
                K::Weekday3,
                K::Weekday4,
                K::Weekday5,
                K::Weekday6,
                K::Weekday7,
            ][usize::from(d - 1)];
            view! { <option value=d.to_string()>{tc(key)}</option> }
        })
        .drawn_each();
    view! {
        <section class="checkin-settings">
            <h5>{tc(K::Settings)}</h5>
            {if owner {
                view! {
                    <p>
                        <input id=receipts_id.clone() type="checkbox" prop:checked=move || receipts.get() on:change=event_handler(toggle_receipts) />
                        <label for=receipts_id.clone()>{tc(K::ReadReceipts)}</label>
                    </p>
                    <p>
                        <button type="button" class="checkin-pause" on:click=click_handler(pause)>
                            {if paused { tc(K::Resume) } else { tc(K::Pause) }}
                        </button>
                        " "
                        <button type="button" on:click=click_handler(delete_all)>{tc(K::DeleteConversation)}</button>
                    </p>
                    <form class="checkin-user-phone" on:submit=submit_handler(give_number)>
                        <label for=user_phone_id.clone()>{tc(K::UserPhone)}</label>
                        <input id=user_phone_id.clone() type="tel" autocomplete="tel" inputmode="tel"
                            prop:value=move || user_phone.get()
                            on:input=event_handler(move |ev| {
                                user_phone.set(event_target_value(&ev));
                                user_phone_saved.set(false);
                            })
                            aria-invalid=move || user_phone_error.get().then_some("true")
                            aria-describedby=user_phone_hint.clone() />
                        <p id=user_phone_hint class="hint">
                            {move || if user_phone_error.get() { tc(K::UserPhoneInvalid) } else { tc(K::UserPhoneHint) }}
                        </p>
                        <div class="form-actions">
                            <button type="submit">{tc(K::Save)}</button>
                            <span class="saved-here" role="status">
                                {move || user_phone_saved.get().then(|| tc(K::Saved))}
                            </span>
                        </div>
                    </form>
                }
                .drawn()
            } else {
                view! {
                    <form on:submit=submit_handler(save)>
                        <label for=phone_id.clone()>{tc(K::MyPhone)}</label>
                        <input id=phone_id.clone() type="tel" autocomplete="tel" bind:value=phone />
                        <label for=reminder_id.clone()>{tc(K::Reminder)}</label>
                        <select id=reminder_id.clone() bind:value=reminder>
                            <option value="0">{tc(K::ReminderNone)}</option>
                            {days}
                        </select>
                        <button type="submit">{tc(K::Save)}</button>
                    </form>
                }
                .drawn()
            }}
            {shown(move || confirming.get(), move || view! {
                <p role="alert">{tc(K::RemoveConfirm)}</p>
            }.drawn())}
            <button type="button" class="checkin-end danger" on:click=click_handler(end)>
                {if owner { tc(K::Remove) } else { tc(K::Leave) }}
            </button>
        </section>
    }
    .drawn()
}
