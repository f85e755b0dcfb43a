//! *Sikkerhetskopi og synkronisering* in settings: what leaves the phone (in plain words),
//! the account (create, log in, log out, log out everywhere, delete), and sync on or off.
//! Nothing here is needed to use the app on one phone.
//!
//! One phone, one account ([`phone`]): after logging in, a phone that holds another
//! account's data, or data never tied to an account, asks what to do with it before
//! backup can be turned on; *Logg ut og fjern alt fra denne telefonen* empties the phone.

mod phone;

use crate::i18n::{tr, use_i18n, SettingsKey};
use crate::sync::engine;
use crate::sync::protocol::{Account, NetError};
use crate::sync::state::{use_sync, SyncState};
use crate::ui::events::{click_handler, event_handler, submit_handler};
use crate::ui::later_view::{fetch_after_hydration, later_part, LaterView};
use crate::ui::loaded::Erase;
use leptos::prelude::*;
use leptos::task::spawn_local;
use phone::{check_phone, PhoneCheck, PhoneChoice, RemoveEverything};

/// The message under the account forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Said {
    Created,
    LoggedIn,
    LoggedOut,
    LoggedOutEverywhere,
    Deleted,
    Kept,
    StartedEmpty,
    Removed,
    Failed(SettingsKey),
}

/// The plain message for a failed account call.
pub(super) fn failure(error: &NetError, wrong_login: SettingsKey) -> SettingsKey {
    match error {
        NetError::Offline => SettingsKey::AccountOffline,
        NetError::Status { code: 401, .. } => wrong_login,
        NetError::Status { code: 409, .. } => SettingsKey::AccountTaken,
        NetError::Status { code: 429, .. } => SettingsKey::AccountThrottled,
        // A clinician account: the app's login refuses it (the second factor is at /behandler).
        NetError::Status { code: 403, .. } => SettingsKey::AccountIsClinician,
        NetError::Status { code: 422, field, .. } if field.as_deref() == Some("username") => {
            SettingsKey::AccountBadUsername
        }
        NetError::Status { code: 422, .. } => SettingsKey::AccountShortPassphrase,
        _ => SettingsKey::AccountServerTrouble,
    }
}

#[derive(serde::Serialize)]
struct Credentials {
    username: String,
    passphrase: String,
}

#[derive(serde::Serialize)]
struct Confirmation {
    passphrase: String,
}

#[component]
pub fn SyncSettings() -> impl IntoView {
    let sync = use_sync();
    let lang = use_i18n().lang;
    let said = RwSignal::new(None::<Said>);
    let busy = RwSignal::new(false);
    let username = RwSignal::new(String::new());
    let passphrase = RwSignal::new(String::new());
    // One form for both: creating an account asks for a new passphrase (password managers
    // offer one) and advises on the name; logging in asks for the current one.
    let creating = RwSignal::new(false);
    provide_context(Form { said, busy });
    // Who is signed in is known on the phone only, once the `later` chunk has read it: the
    // signed-in part is never rendered by the server nor hydrated, so it is drawn from the
    // `later` chunk (`ui::later_view`); this page's own chunk keeps the login form, which
    // the server renders.
    let part = fetch_after_hydration(account_signed_in);
    let signed_in = Memo::new(move |_| sync.account.with(Option::is_some));
    let logging_in = Memo::new(move |_| !creating.get());

    let sign_in = move |create: bool| {
        let name = username.get_untracked().trim().to_owned();
        let pass = passphrase.get_untracked();
        if name.is_empty() {
            said.set(Some(Said::Failed(SettingsKey::AccountBadUsername)));
            return;
        }
        if create && pass.chars().count() < 12 {
            said.set(Some(Said::Failed(SettingsKey::AccountShortPassphrase)));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let outcome = sign_in_later(sync, create, name, pass).await;
            busy.set(false);
            if matches!(outcome, Said::Created | Said::LoggedIn) {
                passphrase.set(String::new());
            }
            said.set(Some(outcome));
        });
    };

    let message = move || {
        said.get().map(|s| {
            match s {
                Said::Created => SettingsKey::AccountCreated,
                Said::LoggedIn => SettingsKey::AccountLoggedIn,
                Said::LoggedOut => SettingsKey::AccountLoggedOut,
                Said::LoggedOutEverywhere => SettingsKey::AccountLoggedOutEverywhere,
                Said::Deleted => SettingsKey::AccountDeleted,
                Said::Kept => SettingsKey::PhoneKept,
                Said::StartedEmpty => SettingsKey::PhoneStartedEmpty,
                Said::Removed => SettingsKey::AccountRemoved,
                Said::Failed(key) => key,
            }
            .text(lang.get())
        })
    };
    let failed = move || matches!(said.get(), Some(Said::Failed(_)));
    let show = RwSignal::new(false);
    // "Opprett konto" from the login form: a name that would tell others who uses the
    // service (an e-mail address, a full name) stops first, to show the advice.
    let create_from_login = move |_: leptos::ev::MouseEvent| {
        creating.set(true);
        let name = username.get_untracked();
        if name.contains('@') || name.trim().contains(' ') {
            #[cfg(feature = "hydrate")]
            if let Some(field) = document().get_element_by_id("account-username") {
                use wasm_bindgen::JsCast;
                let _ = field.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        } else {
            sign_in(true);
        }
    };

    view! {
        <section aria-labelledby="sync" class="sync-settings">
            <h2 id="sync">{tr(SettingsKey::SyncTitle)}</h2>
            <p>{tr(SettingsKey::SyncExplainLocal)}</p>
            <p>{tr(SettingsKey::SyncExplainWhat)}</p>
            <p>{tr(SettingsKey::SyncExplainControl)}</p>
            {move || signed_in.get().then(|| part.get()).flatten()}
            // The form is hidden while someone is signed in, not taken off the page: a branch
            // would compile code to draw it again from nothing on logging out, besides the
            // code that hydrates it (`<Show>` compiled an asynchronous copy of it as well).
            // For the same reason logging in and signing up are one set of fields and buttons
            // whose words change, not two forms.
            <form class="account-form" hidden=signed_in on:submit=submit_handler(move |ev| { ev.prevent_default(); sign_in(creating.get_untracked()) })>
                <label for="account-username">
                    {text_if(creating, SettingsKey::AccountUsernameNew, SettingsKey::AccountUsername)}
                </label>
                <p class="help" id="username-advice" hidden=logging_in>{tr(SettingsKey::AccountUsernameAdvice)}</p>
                <input id="account-username" type="text" autocomplete="username" maxlength="64"
                    autocapitalize="none" spellcheck="false"
                    aria-describedby=move || creating.get().then_some("username-advice")
                    prop:value=username on:input=event_handler(move |ev| username.set(event_target_value(&ev))) />
                <label for="account-passphrase">{tr(SettingsKey::AccountPassphrase)}</label>
                <p class="help" id="passphrase-help">{tr(SettingsKey::AccountPassphraseHelp)}</p>
                <input id="account-passphrase" type=word_if(show, "text", "password")
                    autocomplete=word_if(creating, "new-password", "current-password")
                    maxlength="1024"
                    autocapitalize="none" spellcheck="false" aria-describedby="passphrase-help"
                    prop:value=passphrase on:input=event_handler(move |ev| passphrase.set(event_target_value(&ev))) />
                // A long passphrase typed with a shaking finger: let the user see it.
                <label class="show-passphrase">
                    <input type="checkbox" prop:checked=show on:change=event_handler(move |ev| show.set(event_target_checked(&ev))) />
                    " " {tr(SettingsKey::AccountShowPassphrase)}
                </label>
                <div class="actions">
                    <button type="submit" class:primary=creating disabled=busy>
                        {text_if(creating, SettingsKey::AccountCreate, SettingsKey::AccountLogIn)}
                    </button>
                    <button type="button" disabled=busy on:click=click_handler(move |ev| {
                        if creating.get_untracked() { creating.set(false) } else { create_from_login(ev) }
                    })>
                        {text_if(creating, SettingsKey::AccountHaveOne, SettingsKey::AccountCreate)}
                    </button>
                </div>
            </form>
            <p class="account-message" class:error=failed role="status">{message}</p>
        </section>
    }
    .erased()
}

/// The text for `yes` while `when` holds, else for `no`: the form's texts that change
/// between logging in and signing up. (Sharing one closure type among them was meant to
/// save code; measured, it did not change the page's bytes. It keeps the three alike.)
fn text_if(
    when: RwSignal<bool>,
    yes: SettingsKey,
    no: SettingsKey,
) -> impl Fn() -> &'static str + Copy + Send + Sync {
    let lang = use_i18n().lang;
    move || if when.get() { yes } else { no }.text(lang.get())
}

/// `yes` while `when` holds, else `no`: for the fields' attributes, as [`text_if`].
fn word_if(
    when: RwSignal<bool>,
    yes: &'static str,
    no: &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync {
    move || if when.get() { yes } else { no }
}

crate::later::in_later_chunk! {
    /// Logs in or creates the account, remembers it on the phone and syncs; after an
    /// invitation link, goes on to use it. In the `later` chunk with the engine and the
    /// JSON code it needs (see `crate::later`): the form that calls it is all this page's
    /// first load needs.
    async fn sign_in_later(sync: SyncState, create: bool, username: String, passphrase: String) -> Said {
        let path = if create {
            "/api/v1/accounts"
        } else {
            "/api/v1/session"
        };
        let body = Credentials { username, passphrase };
        match engine::api::<Account>("POST", path, Some(&body)).await {
            Ok(Some(account)) => {
                engine::set_account(sync, Some(account));
                engine::now();
                // Came here from an invitation link: on to what is shared with them.
                #[cfg(feature = "hydrate")]
                if let Some(code) = crate::local::prefs::kept_invitation() {
                    let query: String = code
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                        .collect();
                    let _ = window()
                        .location()
                        .set_href(&format!("/deling?kode={query}&godta=1"));
                }
                if create {
                    Said::Created
                } else {
                    Said::LoggedIn
                }
            }
            Ok(None) => Said::Failed(SettingsKey::AccountServerTrouble),
            Err(e) => Said::Failed(failure(&e, SettingsKey::AccountWrongLogin)),
        }
    }
}

/// What the login form and the signed-in part share: the message under both, and whether
/// a call is under way.
#[derive(Clone, Copy)]
struct Form {
    said: RwSignal<Option<Said>>,
    busy: RwSignal<bool>,
}

later_part!(
    /// The signed-in part, in the `later` chunk (see `ui::later_view`).
    pub fn account_signed_in => draw_signed_in
);

fn draw_signed_in() -> Box<dyn leptos::tachys::view::Mountable> {
    LaterView::boxed(view! { <SignedIn /> })
}

/// Who is signed in, whose data is on the phone, sync on or off, logging out, removing
/// everything from the phone and deleting the account.
#[component]
fn SignedIn() -> impl IntoView {
    let sync = use_sync();
    let Form { said, busy } = expect_context::<Form>();
    let phone = RwSignal::new(PhoneCheck::Checking);
    // Whenever the signed-in account changes (logging in, creating an account, opening
    // the page signed in): does the data on this phone belong to it? Asked here, in the
    // `later` chunk, and not by the form: the question and its answers are this part's.
    Effect::new(move |_| {
        sync.account.track();
        check_phone(sync, phone);
    });
    let confirm = RwSignal::new(String::new());
    let log_out = move |everywhere: bool| {
        busy.set(true);
        spawn_local(async move {
            let path = if everywhere {
                "/api/v1/sessions"
            } else {
                "/api/v1/session"
            };
            let result = engine::api::<serde_json::Value>("DELETE", path, engine::NO_BODY).await;
            busy.set(false);
            match result {
                Ok(_) | Err(NetError::Status { code: 401, .. }) => {
                    engine::forget_account(sync).await;
                    phone.set(PhoneCheck::Checking);
                    said.set(Some(if everywhere {
                        Said::LoggedOutEverywhere
                    } else {
                        Said::LoggedOut
                    }));
                }
                Err(e) => said.set(Some(Said::Failed(failure(&e, SettingsKey::AccountServerTrouble)))),
            }
        });
    };

    let delete = move |_| {
        let pass = confirm.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let body = Confirmation { passphrase: pass };
            let result = engine::api::<serde_json::Value>("DELETE", "/api/v1/account", Some(&body)).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    confirm.set(String::new());
                    engine::forget_deleted_account(sync).await;
                    said.set(Some(Said::Deleted));
                }
                Err(e) => said.set(Some(Said::Failed(failure(
                    &e,
                    SettingsKey::AccountWrongPassphrase,
                )))),
            }
        });
    };

    view! {
        <p class="account-name">
            {tr(SettingsKey::AccountSignedInAs)} " "
            <strong>{move || sync.account.get().map(|a| a.username).unwrap_or_default()}</strong>
        </p>
        {move || match phone.get() {
            PhoneCheck::Ask(holding) => Some(view! {
                <PhoneChoice holding phone said log_out=Callback::new(move |()| log_out(false)) />
            }),
            _ => None,
        }}
        <div class="actions">
            <Show when=move || phone.get() == PhoneCheck::Fine>
                <Show
                    when=move || sync.enabled.get()
                    fallback=move || view! {
                        <button type="button" class="primary" on:click=click_handler(move |_| engine::set_enabled(sync, true))>
                            {tr(SettingsKey::SyncTurnOn)}
                        </button>
                    }
                >
                    <button type="button" on:click=click_handler(move |_| engine::now())>{tr(SettingsKey::SyncNow)}</button>
                    <button type="button" on:click=click_handler(move |_| engine::set_enabled(sync, false))>{tr(SettingsKey::SyncTurnOff)}</button>
                </Show>
            </Show>
            <button type="button" disabled=busy on:click=click_handler(move |_| log_out(false))>{tr(SettingsKey::AccountLogOut)}</button>
            <button type="button" disabled=busy on:click=click_handler(move |_| log_out(true))>{tr(SettingsKey::AccountLogOutEverywhere)}</button>
        </div>
        <RemoveEverything said busy />
        <details class="danger-zone">
            <summary>{tr(SettingsKey::AccountDelete)}</summary>
            <p>{tr(SettingsKey::AccountDeleteExplain)}</p>
            <form on:submit=submit_handler(move |ev| { ev.prevent_default(); delete(()) })>
                <label for="delete-passphrase">{tr(SettingsKey::AccountPassphrase)}</label>
                <input id="delete-passphrase" type="password" autocomplete="current-password"
                    prop:value=confirm on:input=event_handler(move |ev| confirm.set(event_target_value(&ev))) />
                <button type="submit" class="danger" disabled=busy>{tr(SettingsKey::AccountDeleteConfirm)}</button>
            </form>
        </details>
    }
    .erased()
}
