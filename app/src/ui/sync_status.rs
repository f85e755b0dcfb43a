//! The sync status line under the top bar, on every page: where the user's data is right
//! now, in plain words, and what to do when something is wrong.

use crate::i18n::{tr, use_i18n, Key};
use crate::sync::state::{use_sync, SyncStatus};
use leptos::prelude::*;

#[component]
pub fn SyncStatusLine() -> impl IntoView {
    let sync = use_sync();
    let lang = use_i18n().lang;
    let key = move || {
        let on = sync.enabled.get();
        match sync.status.get() {
            SyncStatus::Unknown => None,
            SyncStatus::Local if !on => Some(Key::SyncOff),
            SyncStatus::Local => Some(Key::SyncLocal),
            SyncStatus::Syncing => Some(Key::SyncSyncing),
            SyncStatus::BackedUp => Some(Key::SyncBackedUp),
            SyncStatus::Waiting => Some(Key::SyncWaiting),
            SyncStatus::LoggedOut => Some(Key::SyncLoggedOut),
            SyncStatus::Refused(_) => Some(Key::SyncRefused),
            SyncStatus::Full => Some(Key::SyncFull),
            SyncStatus::ServerTrouble => Some(Key::SyncServerTrouble),
            SyncStatus::Storage => Some(Key::SyncStorage),
            SyncStatus::NotThisAccount => Some(Key::SyncNotThisAccount),
        }
    };
    let error = move || {
        matches!(
            sync.status.get(),
            SyncStatus::LoggedOut
                | SyncStatus::Refused(_)
                | SyncStatus::Full
                | SyncStatus::ServerTrouble
                | SyncStatus::Storage
                | SyncStatus::NotThisAccount
        )
    };
    let detail = move || match sync.status.get() {
        SyncStatus::Refused(detail) if !detail.is_empty() => Some(detail),
        _ => None,
    };
    view! {
        <p class="sync-status no-print" class:sync-error=error role="status" aria-live="polite">
            {move || key().map(|k| k.text(lang.get()))}
            {move || detail().map(|d| view! { " " <code>{d}</code> })}
            <Show when=error>
                " " <a href="/innstillinger#sync">{tr(Key::SyncWhatToDo)}</a>
            </Show>
        </p>
    }
}
