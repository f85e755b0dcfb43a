//! *Deling*: share a section of the plan or the wheel with a named person, optionally until
//! a date; the invitation code to pass on by any channel; what is shared now, with a
//! button to take it back; using a code someone gave you; the consent log; and *Hvem har
//! sett hva*, every read of the user's data by someone else.
//!
//! Online only (the server is where shares live), and it says so when offline. An account
//! is needed; without one the page says where to make it.

use super::content::{shared_lines_later, shared_view, SharedLines};
use super::scope::scope_name;
use crate::i18n::{fill, tr, use_i18n, SharingKey};
use crate::model::date::Date;
use crate::sync::engine;
use crate::sync::protocol::{AccessEntry, ConsentEntry, Entries, NetError, Scope, Share, Shares};
use crate::sync::state::use_sync;
use crate::ui::events::{click_handler, event_handler, submit_handler};
use crate::ui::later_view::{fetch_after_hydration, later_part, Drawn, DrawnEach, LaterView};
use crate::ui::loaded::Erase;
use crate::ui::plan::messages::format_time;
use crate::ui::plan::state::use_plan;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What the page read from the server.
#[derive(Clone, Debug, Default, PartialEq)]
struct Lists {
    shares: Option<Shares>,
    consent: Vec<ConsentEntry>,
    access: Vec<AccessEntry>,
}

#[derive(serde::Serialize, Clone, Debug, PartialEq)]
struct NewShare {
    scope: String,
    until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recipient: Option<String>,
}

#[derive(serde::Serialize)]
struct Code {
    code: String,
}

fn net_message(error: &NetError) -> SharingKey {
    match error {
        NetError::Offline => SharingKey::ShareOffline,
        NetError::Status { code: 401, .. } => SharingKey::SyncLoggedOut,
        NetError::Status { code: 404, .. } => SharingKey::ShareCodeUnknown,
        NetError::Status { code: 429, .. } => SharingKey::AccountThrottled,
        NetError::Status { code: 422, field, .. } if field.as_deref() == Some("until") => {
            SharingKey::ShareBadUntil
        }
        NetError::Status { code: 422, field, .. } if field.as_deref() == Some("code") => {
            SharingKey::ShareOwnCode
        }
        NetError::Status { code: 409 | 422, .. } => SharingKey::ShareRefused,
        _ => SharingKey::AccountServerTrouble,
    }
}

/// The link that fills in the code when opened (`/deling?kode=…` on this server), with the
/// sender's account name in its fragment (see [`super::invitation`]).
fn invite_link(code: &str, from: &str) -> String {
    #[cfg(feature = "hydrate")]
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    #[cfg(not(feature = "hydrate"))]
    let origin = String::new();
    super::invitation::link(&origin, code, from)
}

/// The sender's name from the fragment of the link this page was opened with.
#[cfg(feature = "hydrate")]
fn name_in_link() -> Option<String> {
    let hash = leptos::prelude::window().location().hash().ok()?;
    super::invitation::name_from_fragment(&hash)
}

#[component]
pub fn SharingPage() -> impl IntoView {
    let sync = use_sync();
    // Who is signed in is known on the phone only, once the `later` chunk has read it: the
    // signed-in page is never rendered by the server nor hydrated, so it is drawn from the
    // `later` chunk (`ui::later_view`), and this page's own chunk is the frame and the
    // signed-out text.
    let part = fetch_after_hydration(sharing_signed_in);
    let signed_in = Memo::new(move |_| sync.account.with(Option::is_some));
    view! {
        <h1>{tr(SharingKey::SharingTitle)}</h1>
        <p class="intro">{tr(SharingKey::SharingIntro)}</p>
        <p><a href="/delt-med-meg">{tr(SharingKey::SharedWithMeTitle)}</a></p>
        // A plain closure over a memo rather than `<Show>`: `Show` turns both branches into
        // `AnyView`s itself, which compiles an asynchronous hydration copy of each (see
        // `ui::loaded`), and brings its own machinery: 4 KiB of this page's first load.
        {move || if signed_in.get() { part.get().erased() } else { view! { <NoAccountYet /> }.erased() }}
    }
}

later_part!(
    /// The signed-in page, in the `later` chunk (see `ui::later_view`).
    pub fn sharing_signed_in => draw_signed_in
);

fn draw_signed_in() -> Box<dyn leptos::tachys::view::Mountable> {
    LaterView::boxed(view! { <SharingSignedIn /> })
}

#[component]
fn SharingSignedIn() -> impl IntoView {
    let sync = use_sync();
    let state = use_plan();
    let lang = use_i18n().lang;
    let lists = RwSignal::new(Lists::default());
    let load_error = RwSignal::new(None::<SharingKey>);
    let load = move || {
        spawn_local(async move {
            let shares = engine::api::<Shares>("GET", "/api/v1/shares", engine::NO_BODY).await;
            let consent =
                engine::api::<Entries<ConsentEntry>>("GET", "/api/v1/consent-log", engine::NO_BODY).await;
            let access =
                engine::api::<Entries<AccessEntry>>("GET", "/api/v1/access-log", engine::NO_BODY).await;
            match (shares, consent, access) {
                (Ok(shares), Ok(consent), Ok(access)) => {
                    load_error.set(None);
                    lists.set(Lists {
                        shares,
                        consent: consent.map(|c| c.entries).unwrap_or_default(),
                        access: access.map(|a| a.entries).unwrap_or_default(),
                    });
                }
                (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => load_error.set(Some(net_message(&e))),
            }
        });
    };
    Effect::new(move |_| {
        sync.shares_changed.track();
        load();
    });

    // The new share form.
    let scope = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let recipient = RwSignal::new(String::new());
    let created = RwSignal::new(None::<Share>);
    let form_error = RwSignal::new(None::<SharingKey>);
    let scopes = Memo::new(move |_| {
        let mut out: Vec<(String, String)> = state.plan.with(|plan| {
            plan.as_ref()
                .map(|plan| {
                    plan.visible_sections()
                        .map(|s| {
                            (
                                Scope::Section(s.id).code(),
                                scope_name(&Scope::Section(s.id).code(), Some(plan), lang.get()),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        });
        out.push((
            Scope::Wheel.code(),
            SharingKey::NavWheel.text(lang.get()).to_owned(),
        ));
        out
    });
    let contacts = Memo::new(move |_| {
        let mut names: Vec<String> = lists.with(|l| {
            l.shares
                .as_ref()
                .map(|s| s.given.iter().filter_map(|s| s.recipient.clone()).collect())
                .unwrap_or_default()
        });
        crate::model::order::sort_by(&mut names, Ord::cmp);
        names.dedup();
        names
    });
    // "Del" first shows exactly what the person will see and what sharing means; only
    // "Ja, del dette" shares (issue: one tap once shared the whole wheel).
    let pending = RwSignal::new(None::<NewShare>);
    let preview = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        created.set(None);
        let chosen = scope.get_untracked();
        let chosen = if chosen.is_empty() {
            scopes.with_untracked(|s| s.first().map(|(code, _)| code.clone()).unwrap_or_default())
        } else {
            chosen
        };
        let until_text = until.get_untracked();
        let until_date = if until_text.is_empty() {
            None
        } else {
            match Date::parse(&until_text) {
                Ok(date) if crate::ui::plan::messages::today().is_none_or(|today| date >= today) => {
                    Some(date.to_string())
                }
                _ => {
                    form_error.set(Some(SharingKey::ShareBadUntil));
                    return;
                }
            }
        };
        let person = recipient.get_untracked();
        form_error.set(None);
        pending.set(Some(NewShare {
            scope: chosen,
            until: until_date,
            recipient: (!person.is_empty()).then_some(person),
        }));
    };
    let confirm = move |_| {
        let Some(body) = pending.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match engine::api::<Share>("POST", "/api/v1/shares", Some(&body)).await {
                Ok(Some(share)) => {
                    pending.set(None);
                    created.set(Some(share));
                    until.set(String::new());
                    sync.shares_changed.update(|n| *n += 1);
                }
                Ok(None) => form_error.set(Some(SharingKey::AccountServerTrouble)),
                Err(NetError::Status { code: 404, .. }) => {
                    form_error.set(Some(SharingKey::ShareUnknownPerson))
                }
                Err(e) => form_error.set(Some(net_message(&e))),
            }
        });
    };

    // Using a code someone gave you.
    let code = RwSignal::new(String::new());
    let accepted = RwSignal::new(None::<Share>);
    let code_error = RwSignal::new(None::<SharingKey>);
    let invited_by = RwSignal::new(None::<String>);
    // An invitation link: /deling?kode=ABCD-EFGH fills the field.
    let query = leptos_router::hooks::use_query_map();
    Effect::new(move |_| {
        if let Some(given) = query.with_untracked(|q| q.get("kode")) {
            code.set(given.chars().take(20).collect());
            #[cfg(feature = "hydrate")]
            invited_by.set(name_in_link());
        }
    });
    // Back from logging in or creating an account with an invitation opened before: the
    // person already said yes by following the link, so the code is used at once and they
    // land on what is shared with them.
    // Only the code this phone kept from that link: a link with `godta` made by someone else
    // must not accept a share (and make its sender a known contact) without a tap.
    #[cfg(feature = "hydrate")]
    let auto_accept = query.with_untracked(|q| {
        q.get("godta").is_some()
            && q.get("kode").is_some_and(|given| {
                crate::local::prefs::kept_invitation().as_deref() == Some(given.as_str())
            })
    });
    #[cfg(not(feature = "hydrate"))]
    let auto_accept = false;
    let go_to_shared = RwSignal::new(false);
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if go_to_shared.get() {
            navigate("/delt-med-meg", Default::default());
        }
    });
    let accept = move |ev: Option<leptos::ev::SubmitEvent>| {
        if let Some(ev) = ev {
            ev.prevent_default();
        }
        accepted.set(None);
        let given = code.get_untracked().trim().to_owned();
        if given.is_empty() {
            code_error.set(Some(SharingKey::ShareCodeEmpty));
            return;
        }
        code_error.set(None);
        // Tried now, whatever the answer: a code kept from an invitation link is not tried
        // again at the next login.
        #[cfg(feature = "hydrate")]
        let _ = crate::local::prefs::take_invitation();
        spawn_local(async move {
            match engine::api::<Share>("POST", "/api/v1/shares/accept", Some(&Code { code: given })).await {
                Ok(Some(share)) => {
                    accepted.set(Some(share));
                    code.set(String::new());
                    sync.shares_changed.update(|n| *n += 1);
                    let _ = engine::read_shared(sync).await;
                    if auto_accept {
                        go_to_shared.set(true);
                    }
                }
                Ok(None) => code_error.set(Some(SharingKey::AccountServerTrouble)),
                Err(e) => code_error.set(Some(net_message(&e))),
            }
        });
    };

    Effect::new(move |_| {
        if auto_accept {
            accept(None);
        }
    });

    let revoke = move |id: String| {
        spawn_local(async move {
            match engine::api::<serde_json::Value>("DELETE", &format!("/api/v1/shares/{id}"), engine::NO_BODY)
                .await
            {
                Ok(_) => sync.shares_changed.update(|n| *n += 1),
                Err(e) => load_error.set(Some(net_message(&e))),
            }
        });
    };

    let name_of = move |scope: &str| {
        state
            .plan
            .with(|plan| scope_name(scope, plan.as_ref(), lang.get()))
    };
    let status_text = move |share: &Share| {
        let key = match share.status.as_str() {
            "pending" => SharingKey::ShareStatusPending,
            "live" => SharingKey::ShareStatusLive,
            "revoked" => SharingKey::ShareStatusRevoked,
            _ => SharingKey::ShareStatusExpired,
        };
        key.text(lang.get())
    };
    let until_text = move |until: &Option<String>| match until.as_deref().and_then(|u| Date::parse(u).ok()) {
        Some(date) => fill(
            SharingKey::ShareUntil.text(lang.get()),
            &[("date", date.display_nb())],
        ),
        None => SharingKey::ShareNoEnd.text(lang.get()).to_owned(),
    };

    view! {
        <p class="form-error" role="alert">{move || load_error.get().map(|k| k.text(lang.get()))}</p>
        <section aria-labelledby="share-new">
            <h2 id="share-new">{tr(SharingKey::ShareNewTitle)}</h2>
            <p>{tr(SharingKey::ShareNewHelp)}</p>
            <form class="share-form" on:submit=submit_handler(preview)>
                <label for="share-scope">{tr(SharingKey::ShareWhat)}</label>
                <select id="share-scope" on:change=event_handler(move |ev| scope.set(event_target_value(&ev)))>
                    {move || scopes.get().into_iter().map(|(code, name)| {
                        let selected = scope.with_untracked(|s| *s == code);
                        view! { <option value=code selected=selected>{name}</option> }
                    }).drawn_each()}
                </select>
                <label for="share-person">{tr(SharingKey::ShareWho)}</label>
                <select id="share-person" on:change=event_handler(move |ev| recipient.set(event_target_value(&ev)))>
                    <option value="">{tr(SharingKey::ShareNewPerson)}</option>
                    {move || contacts.get().into_iter().map(|name| view! { <option value=name.clone()>{name.clone()}</option> }).drawn_each()}
                </select>
                <label for="share-until">{tr(SharingKey::ShareUntilLabel)}</label>
                <input id="share-until" type="date" prop:value=until on:input=event_handler(move |ev| until.set(event_target_value(&ev))) />
                <button type="submit" class="primary">{tr(SharingKey::ShareCreate)}</button>
                <p class="form-error" role="alert">{move || form_error.get().map(|k| k.text(lang.get()))}</p>
            </form>
            {move || pending.get().map(|body| view! {
                <SharePreview body confirm=Callback::new(confirm) cancel=Callback::new(move |()| pending.set(None)) />
            })}
            {move || created.get().map(|share| {
                let code = share.code.clone().unwrap_or_default();
                let scope = name_of(&share.scope);
                let me = sync.account.with_untracked(|a| a.as_ref().map(|a| a.username.clone()).unwrap_or_default());
                let link = invite_link(&code, &me);
                view! {
                    <div class="share-created" role="status">
                        {match share.code.is_some() {
                            true => view! {
                                <p>{fill(SharingKey::ShareCodeMade.text(lang.get()), &[("what", scope)])}</p>
                                <p class="share-code"><strong>{code.clone()}</strong></p>
                                <p>{tr(SharingKey::ShareCodeHelp)}</p>
                                <p class="share-link"><code>{link.clone()}</code></p>
                                <ShareLinkButton link />
                            }.drawn(),
                            false => view! {
                                <p>{fill(SharingKey::ShareMadeFor.text(lang.get()), &[("what", scope), ("who", share.recipient.clone().unwrap_or_default())])}</p>
                            }.drawn(),
                        }}
                    </div>
                }
            })}
        </section>
        <section aria-labelledby="share-given">
            <h2 id="share-given">{tr(SharingKey::ShareGivenTitle)}</h2>
            {move || {
                let given: Vec<Share> = lists.with(|l| l.shares.as_ref().map(|s| s.given.clone()).unwrap_or_default());
                if given.is_empty() {
                    return view! { <p>{tr(SharingKey::ShareGivenEmpty)}</p> }.drawn();
                }
                view! {
                    <ul class="share-list">
                        {given.into_iter().map(|share| {
                            let id = share.id.clone();
                            let active = share.is_live() || share.is_pending();
                            let who = share.recipient.clone().unwrap_or_else(|| SharingKey::ShareWaitingForCode.text(lang.get()).to_owned());
                            let who = with_organisation(who, &share.recipient_organisation);
                            view! {
                                <li class="share" data-status=share.status.clone()>
                                    <strong>{name_of(&share.scope)}</strong>
                                    " – " <span class="share-who">{who}</span>
                                    <br /><span class="share-until">{until_text(&share.until)}</span>
                                    " · " <span class="share-status">{status_text(&share)}</span>
                                    {active.then(|| view! {
                                        " " <button type="button" class="danger" on:click=click_handler(move |_| revoke(id.clone()))>{tr(SharingKey::ShareRevoke)}</button>
                                    }.drawn())}
                                </li>
                            }
                        }).drawn_each()}
                    </ul>
                }.drawn()
            }}
        </section>
        <section aria-labelledby="share-accept">
            <h2 id="share-accept">{tr(SharingKey::ShareAcceptTitle)}</h2>
            {move || invited_by.get().map(|who| view! {
                <p class="invited-by">
                    <strong>{fill(SharingKey::InvitedTitleFrom.text(lang.get()), &[("who", who)])}</strong>
                    " " {tr(SharingKey::InvitedNameHint)}
                </p>
            })}
            <form class="accept-form" on:submit=submit_handler(move |ev| accept(Some(ev)))>
                <label for="share-code">{tr(SharingKey::ShareCodeLabel)}</label>
                <input id="share-code" type="text" autocomplete="off" autocapitalize="characters" maxlength="20"
                    prop:value=code on:input=event_handler(move |ev| code.set(event_target_value(&ev))) />
                <button type="submit">{tr(SharingKey::ShareAccept)}</button>
                <p class="form-error" role="alert">{move || code_error.get().map(|k| k.text(lang.get()))}</p>
            </form>
            {move || accepted.get().map(|share| view! {
                <p class="share-accepted" role="status">
                    {fill(SharingKey::ShareAcceptedText.text(lang.get()), &[("who", share.owner.clone())])} " "
                    <a href="/delt-med-meg">{tr(SharingKey::SharedWithMeTitle)}</a>
                </p>
            })}
        </section>
        <section aria-labelledby="access-log">
            <h2 id="access-log">{tr(SharingKey::AccessLogTitle)}</h2>
            {move || {
                let entries = lists.with(|l| l.access.clone());
                if entries.is_empty() {
                    return view! { <p>{tr(SharingKey::AccessLogEmpty)}</p> }.drawn();
                }
                view! {
                    <ul class="access-log">
                        {entries.into_iter().map(|e| view! {
                            <li>
                                <time>{format_time(e.at_ms.max(0) as u64)}</time> " "
                                {fill(match (e.outcome.as_str(), e.records) {
                                    ("denied", _) => SharingKey::AccessLogDenied,
                                    (_, 1) => SharingKey::AccessLogEntryOne,
                                    _ => SharingKey::AccessLogEntry,
                                }.text(lang.get()), &[
                                    ("who", with_organisation(e.reader.clone(), &e.reader_organisation)),
                                    ("what", name_of(&e.scope)),
                                    ("n", e.records.to_string()),
                                ])}
                            </li>
                        }).drawn_each()}
                    </ul>
                }.drawn()
            }}
        </section>
        <section aria-labelledby="consent-log">
            <h2 id="consent-log">{tr(SharingKey::ConsentLogTitle)}</h2>
            {move || {
                let entries = lists.with(|l| l.consent.clone());
                if entries.is_empty() {
                    return view! { <p>{tr(SharingKey::ConsentLogEmpty)}</p> }.drawn();
                }
                view! {
                    <ul class="consent-log">
                        {entries.into_iter().map(|e| {
                            let key = match e.event.as_str() {
                                "share_created" => SharingKey::ConsentCreated,
                                "share_accepted" => SharingKey::ConsentAccepted,
                                "share_revoked" => SharingKey::ConsentRevoked,
                                "share_left" => SharingKey::ConsentLeft,
                                "checkin_paused" => SharingKey::ConsentPaused,
                                "checkin_resumed" => SharingKey::ConsentResumed,
                                "user_phone_given" => SharingKey::ConsentPhoneGiven,
                                "user_phone_removed" => SharingKey::ConsentPhoneRemoved,
                                // An event of a newer server: said as a change, never as
                                // something it is not.
                                _ => SharingKey::ConsentOther,
                            };
                            let who = e.recipient.clone().unwrap_or_else(|| SharingKey::ShareWaitingForCode.text(lang.get()).to_owned());
                            view! {
                                <li>
                                    <time>{format_time(e.at_ms.max(0) as u64)}</time> " "
                                    {fill(key.text(lang.get()), &[("what", name_of(&e.scope)), ("who", who)])}
                                </li>
                            }
                        }).drawn_each()}
                    </ul>
                }.drawn()
            }}
        </section>
    }
    .drawn()
}

/// "dr.lege (Hamar DPS)": a clinician is shown with their organisation.
fn with_organisation(name: String, organisation: &Option<String>) -> String {
    match organisation {
        Some(org) => format!("{name} ({org})"),
        None => name,
    }
}

/// What the person will see, and what sharing means, before anything is shared.
#[component]
fn SharePreview(body: NewShare, confirm: Callback<()>, cancel: Callback<()>) -> impl IntoView {
    let state = use_plan();
    let lang = use_i18n().lang;
    let who = body.recipient.clone().unwrap_or_else(|| {
        SharingKey::SharePreviewNewPerson
            .text(lang.get_untracked())
            .to_owned()
    });
    let what = state
        .plan
        .with_untracked(|plan| scope_name(&body.scope, plan.as_ref(), lang.get_untracked()));
    // Read in a chunk of its own (building the wheel is big), fetched when "Del" is pressed.
    let lines = RwSignal::new(None::<SharedLines>);
    let records = state.records.get_untracked();
    let (scope, language) = (body.scope.clone(), lang.get_untracked());
    spawn_local(async move {
        lines.set(Some(shared_lines_later(scope, records, language).await));
    });
    let content = move || lines.get().map(|lines| shared_view(lines, lang.get_untracked()));
    let until = match body.until.as_deref().and_then(|u| Date::parse(u).ok()) {
        Some(date) => fill(
            SharingKey::SharePreviewUntil.text(lang.get_untracked()),
            &[("date", date.display_nb())],
        ),
        None => SharingKey::SharePreviewNoEnd
            .text(lang.get_untracked())
            .to_owned(),
    };
    let yes = NodeRef::<leptos::html::Button>::new();
    // The preview appears below the form: bring it into view and to the keyboard.
    Effect::new(move |_| {
        if let Some(button) = yes.get() {
            let _ = button.focus();
        }
    });
    let title = fill(
        SharingKey::SharePreviewTitle.text(lang.get_untracked()),
        &[("who", who.clone()), ("what", what)],
    );
    let copy = fill(
        SharingKey::SharePreviewCopy.text(lang.get_untracked()),
        &[("who", who)],
    );
    view! {
        <section class="share-preview" aria-labelledby="share-preview-title">
            <h3 id="share-preview-title">{title}</h3>
            <div class="share-preview-content">{content}</div>
            <ul class="share-preview-facts">
                <li>{tr(SharingKey::SharePreviewFuture)}</li>
                <li>{until}</li>
                <li>{copy}</li>
                <li>{tr(SharingKey::SharePreviewServer)}</li>
            </ul>
            <div class="actions">
                <button type="button" class="primary" node_ref=yes on:click=click_handler(move |_| confirm.run(()))>
                    {tr(SharingKey::SharePreviewConfirm)}
                </button>
                <button type="button" on:click=click_handler(move |_| cancel.run(()))>{tr(SharingKey::SharePreviewCancel)}</button>
            </div>
        </section>
    }
}

/// Without an account: the page says what is needed; an invitation link opened now is kept
/// on the phone, so that after logging in or creating an account the person comes straight
/// to what is shared with them (see `auto_accept`).
#[component]
fn NoAccountYet() -> impl IntoView {
    // Known only after hydration (`ui::hydration::after`): the server's HTML and the first
    // render in the browser must be the same page, whatever the link carried.
    let invited = RwSignal::new(false);
    let from = RwSignal::new(None::<String>);
    #[cfg(feature = "hydrate")]
    {
        let query = leptos_router::hooks::use_query_map();
        crate::ui::hydration::after(move || {
            // `godta`: back from logging in, the signed-in page uses the code.
            if query.with_untracked(|q| q.get("godta").is_some()) {
                return;
            }
            if let Some(code) = query.with_untracked(|q| q.get("kode")) {
                crate::local::prefs::store_invitation(&code.chars().take(20).collect::<String>());
                from.set(name_in_link());
                invited.set(true);
            }
        });
    }
    // As in `SharingPage`: a closure, not `<Show>`.
    move || {
        if invited.get() {
            view! {
                <section class="empty-state invitation">
                    <InvitedBy from />
                    <p>{tr(SharingKey::InvitedNeedsAccount)}</p>
                    <p><a class="button primary" href="/innstillinger#sync">{tr(SharingKey::InvitedGoToAccount)}</a></p>
                </section>
            }
            .erased()
        } else {
            view! {
                <section class="empty-state">
                    <p>{tr(SharingKey::SharingNeedsAccount)}</p>
                    <p><a href="/innstillinger#sync">{tr(SharingKey::SyncTitle)}</a></p>
                </section>
            }
            .erased()
        }
    }
}

/// "«Kari» vil dele noe med deg" with the name the link carried, and where that name comes
/// from; "Noen vil dele noe med deg" without one. The name is the sender's user text.
#[component]
fn InvitedBy(#[prop(into)] from: Signal<Option<String>>) -> impl IntoView {
    let lang = use_i18n().lang;
    view! {
        <h2 class="invited-by">
            {move || match from.get() {
                Some(who) => fill(SharingKey::InvitedTitleFrom.text(lang.get()), &[("who", who)]),
                None => SharingKey::InvitedTitle.text(lang.get()).to_owned(),
            }}
        </h2>
        {move || from.with(Option::is_some).then(|| view! { <p class="hint">{tr(SharingKey::InvitedNameHint)}</p> })}
    }
}

/// "Send lenken": the phone's own share sheet where there is one (Web Share API), else the
/// link is copied; the link is on the screen either way, to copy by hand.
#[component]
fn ShareLinkButton(link: String) -> impl IntoView {
    let lang = use_i18n().lang;
    let said = RwSignal::new(None::<SharingKey>);
    #[cfg(not(feature = "hydrate"))]
    let _ = &link;
    let send = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let text = SharingKey::InviteShareText.text(lang.get_untracked()).to_owned();
            let link = link.clone();
            spawn_local(async move {
                said.set(Some(share_or_copy(&text, &link).await));
            });
        }
    };
    view! {
        <button type="button" on:click=click_handler(send)>{tr(SharingKey::InviteShareLink)}</button>
        <p role="status">{move || said.get().map(|k| k.text(lang.get()))}</p>
    }
}

#[cfg(feature = "hydrate")]
async fn share_or_copy(text: &str, link: &str) -> SharingKey {
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    let navigator = leptos::prelude::window().navigator();
    let get = |target: &JsValue, name: &str| js_sys::Reflect::get(target, &JsValue::from_str(name)).ok();
    // The share sheet, where the browser has one.
    if let Some(share) = get(&navigator, "share").and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        let data = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&data, &"text".into(), &text.into());
        let _ = js_sys::Reflect::set(&data, &"url".into(), &link.into());
        if let Ok(promise) = share.call1(&navigator, &data) {
            return match JsFuture::from(js_sys::Promise::from(promise)).await {
                Ok(_) => SharingKey::InviteShared,
                // Closed without sending: nothing to say.
                Err(_) => SharingKey::InviteNotSent,
            };
        }
    }
    let clipboard = get(&navigator, "clipboard").filter(|c| !c.is_undefined());
    let write = clipboard
        .as_ref()
        .and_then(|c| get(c, "writeText"))
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let (Some(clipboard), Some(write)) = (clipboard, write) {
        if let Ok(promise) = write.call1(&clipboard, &link.into()) {
            if JsFuture::from(js_sys::Promise::from(promise)).await.is_ok() {
                return SharingKey::InviteCopied;
            }
        }
    }
    SharingKey::InviteCopyByHand
}
