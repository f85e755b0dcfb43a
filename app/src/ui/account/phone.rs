//! One phone, one account: the question asked when the signed-in account and the data on
//! the phone do not belong together ([`PhoneChoice`]), and *Logg ut og fjern alt fra denne
//! telefonen* ([`RemoveEverything`]). Both confirm on the page, and say plainly what would
//! be lost before anything is deleted. The store refuses to sync data of another account
//! whatever is chosen here (`local::store`, "One phone, one owner").

use super::{failure, Said};
use crate::i18n::{fill, tr, use_i18n, SettingsKey};
use crate::sync::engine;
use crate::sync::protocol::NetError;
use crate::sync::state::{use_sync, Holding};
use crate::ui::events::click_handler;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where the signed-in account stands with the data on this phone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhoneCheck {
    /// Not read yet (or nobody is signed in).
    Checking,
    /// The data is the account's (or the phone was empty and now is): sync may go on.
    Fine,
    /// The phone holds data of another account, or data never tied to one: ask first.
    Ask(Holding),
}

/// Reads the phone and decides whether the signed-in account must be asked; an empty phone
/// is tied to the account at once.
pub fn check_phone(sync: crate::sync::state::SyncState, phone: RwSignal<PhoneCheck>) {
    let Some(account) = sync.account.get_untracked() else {
        phone.set(PhoneCheck::Checking);
        return;
    };
    spawn_local(async move {
        let Ok(holding) = engine::holding().await else {
            // The storage cannot be read: the sync engine says so; nothing to ask.
            phone.set(PhoneCheck::Fine);
            return;
        };
        let next = if holding.owner.as_deref() == Some(account.id.as_str()) {
            PhoneCheck::Fine
        } else if holding.owner.is_none() && holding.records == 0 {
            let _ = engine::tie_to_account(sync, false).await;
            PhoneCheck::Fine
        } else {
            PhoneCheck::Ask(holding)
        };
        // The account may have changed while the phone was read. The same answer again
        // (the account is read again from the server now and then, and set even when it
        // is the same) must leave the question as it is: setting it draws a new
        // `PhoneChoice`, and a confirmation the user had open went back to the options
        // under their finger.
        let same_account = sync
            .account
            .with_untracked(|a| a.as_ref().map(|a| a.id == account.id))
            == Some(true);
        if same_account && phone.with_untracked(|now| *now != next) {
            phone.set(next);
        }
    });
}

/// Moves focus to the element `get` finds once it is on the page (next frame).
fn focus_soon(get: impl FnOnce() -> Option<leptos::web_sys::HtmlElement> + 'static) {
    request_animation_frame(move || {
        if let Some(el) = get() {
            let _ = el.focus();
        }
    });
}

/// The plain words for what would be lost: `n` changes never backed up.
fn unsent_text(n: usize, lang: crate::model::lang::Lang) -> String {
    if n == 1 {
        SettingsKey::PhoneUnsentOne.text(lang).to_owned()
    } else {
        fill(SettingsKey::PhoneUnsentMany.text(lang), &[("n", n.to_string())])
    }
}

/// "Det ligger allerede noe på denne telefonen": keep it for this account (only when it was
/// never tied to another), start empty (confirming what is lost), or log out again.
#[component]
pub fn PhoneChoice(
    holding: Holding,
    phone: RwSignal<PhoneCheck>,
    said: RwSignal<Option<Said>>,
    log_out: Callback<()>,
) -> impl IntoView {
    let sync = use_sync();
    let lang = use_i18n().lang;
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let unowned = holding.owner.is_none();
    let unsent = holding.unsent;
    // The options are replaced by the confirmation: focus goes to what will be lost.
    let warning = NodeRef::<leptos::html::P>::new();

    let keep = move |_| {
        busy.set(true);
        spawn_local(async move {
            let result = engine::tie_to_account(sync, true).await;
            busy.set(false);
            match result {
                Ok(true) => {
                    phone.set(PhoneCheck::Fine);
                    said.set(Some(Said::Kept));
                }
                // Tied to another account meanwhile: read the phone again and ask again.
                Ok(false) => check_phone(sync, phone),
                Err(_) => said.set(Some(Said::Failed(SettingsKey::PhoneFailed))),
            }
        });
    };
    let start_empty = move |_| {
        if unsent > 0 && !confirming.get_untracked() {
            confirming.set(true);
            focus_soon(move || warning.get_untracked().map(Into::into));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = engine::clear_phone(sync, true).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    phone.set(PhoneCheck::Fine);
                    said.set(Some(Said::StartedEmpty));
                }
                Err(_) => said.set(Some(Said::Failed(SettingsKey::PhoneFailed))),
            }
        });
    };

    view! {
        <section class="phone-choice" aria-labelledby="phone-choice-title">
            <h3 id="phone-choice-title">{tr(SettingsKey::PhoneChoiceTitle)}</h3>
            <p>{tr(if unowned { SettingsKey::PhoneChoiceUnowned } else { SettingsKey::PhoneChoiceOther })}</p>
            <Show when=move || !confirming.get()>
                <ul class="phone-options">
                    <Show when=move || unowned>
                        <li>
                            <button type="button" class="primary" disabled=busy on:click=click_handler(keep)>
                                {tr(SettingsKey::PhoneChoiceKeep)}
                            </button>
                            <p class="help">{tr(SettingsKey::PhoneChoiceKeepHelp)}</p>
                        </li>
                    </Show>
                    <li>
                        <button type="button" disabled=busy on:click=click_handler(start_empty)>{tr(SettingsKey::PhoneChoiceEmpty)}</button>
                        <p class="help">{tr(SettingsKey::PhoneChoiceEmptyHelp)}</p>
                    </li>
                    <li>
                        <button type="button" disabled=busy on:click=click_handler(move |_| log_out.run(()))>
                            {tr(SettingsKey::PhoneChoiceLogOut)}
                        </button>
                        <p class="help">{tr(SettingsKey::PhoneChoiceLogOutHelp)}</p>
                    </li>
                </ul>
            </Show>
            <Show when=move || confirming.get()>
                <div class="phone-confirm" role="alert">
                    <p class="phone-unsent" tabindex="-1" node_ref=warning>{move || unsent_text(unsent, lang.get())}</p>
                    <div class="actions">
                        <button type="button" class="danger" disabled=busy on:click=click_handler(start_empty)>
                            {tr(SettingsKey::PhoneEmptyConfirm)}
                        </button>
                        <button type="button" disabled=busy on:click=click_handler(move |_| confirming.set(false))>
                            {tr(SettingsKey::PhoneCancel)}
                        </button>
                    </div>
                </div>
            </Show>
        </section>
    }
}

/// *Logg ut og fjern alt fra denne telefonen*: first says whether everything is backed up
/// or how many changes would be lost, then logs out and empties the phone.
#[component]
pub fn RemoveEverything(said: RwSignal<Option<Said>>, busy: RwSignal<bool>) -> impl IntoView {
    let sync = use_sync();
    let lang = use_i18n().lang;
    // `None`: closed; `Some(None)`: reading the phone; `Some(Some(h))`: asking.
    let open = RwSignal::new(None::<Option<Holding>>);
    // The button is replaced by the question: focus goes to its heading.
    let title = NodeRef::<leptos::html::H3>::new();

    let read = move || {
        spawn_local(async move {
            match engine::holding().await {
                Ok(holding) => {
                    if open.get_untracked().is_some() {
                        open.set(Some(Some(holding)));
                    }
                }
                Err(_) => {
                    open.set(None);
                    said.set(Some(Said::Failed(SettingsKey::PhoneFailed)));
                }
            }
        });
    };
    let ask = move |_| {
        open.set(Some(None));
        focus_soon(move || title.get_untracked().map(Into::into));
        read();
        // A last round first, when backup is on: what it sends is then not lost.
        if sync.enabled.get_untracked() {
            engine::now();
        }
    };
    // After each round the answer may change (the last changes reached the server).
    Effect::new(move |_| {
        sync.status.track();
        if open.get_untracked().is_some() {
            read();
        }
    });
    let remove = move |_| {
        busy.set(true);
        spawn_local(async move {
            let result = engine::api::<serde_json::Value>("DELETE", "/api/v1/session", engine::NO_BODY).await;
            match result {
                Ok(_) | Err(NetError::Status { code: 401, .. }) => {
                    let cleared = engine::clear_phone(sync, false).await;
                    busy.set(false);
                    open.set(None);
                    said.set(Some(match cleared {
                        Ok(()) => Said::Removed,
                        Err(_) => Said::Failed(SettingsKey::PhoneFailed),
                    }));
                }
                Err(e) => {
                    busy.set(false);
                    said.set(Some(Said::Failed(failure(&e, SettingsKey::AccountServerTrouble))));
                }
            }
        });
    };
    let what = move || {
        open.get().flatten().map(|holding| {
            if holding.unsent == 0 {
                SettingsKey::AccountRemoveBackedUp.text(lang.get()).to_owned()
            } else {
                unsent_text(holding.unsent, lang.get())
            }
        })
    };

    view! {
        <Show
            when=move || open.get().is_some()
            fallback=move || view! {
                <button type="button" class="danger" disabled=busy on:click=click_handler(ask)>{tr(SettingsKey::AccountLogOutRemove)}</button>
            }
        >
            <div class="remove-everything" role="group" aria-labelledby="remove-everything-title">
                <h3 id="remove-everything-title" tabindex="-1" node_ref=title>{tr(SettingsKey::AccountLogOutRemove)}</h3>
                <p>{tr(SettingsKey::AccountRemoveExplain)}</p>
                <p class="remove-what" role="status">{what}</p>
                <div class="actions">
                    <button type="button" class="danger" disabled=move || busy.get() || what().is_none() on:click=click_handler(remove)>
                        {tr(SettingsKey::AccountRemoveConfirm)}
                    </button>
                    <button type="button" disabled=busy on:click=click_handler(move |_| open.set(None))>{tr(SettingsKey::PhoneCancel)}</button>
                </div>
            </div>
        </Show>
    }
}
