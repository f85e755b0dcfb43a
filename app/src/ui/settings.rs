//! *Innstillinger*: whether the phone's storage is protected from eviction (with plain
//! advice), backup and sync (`ui::account`), and export and import of the whole plan and
//! wheel as a file.

use crate::i18n::{fill, tr, use_i18n, SettingsKey};
use crate::ui::account::SyncSettings;
use crate::ui::events::{click_handler, event_handler};
use crate::ui::plan::state::use_plan;
use leptos::prelude::*;

/// Outcome of the last import, shown under the file field.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ImportMessage {
    Done(usize),
    Nothing,
    TooLarge,
    Malformed,
    Foreign,
    Future,
    Invalid,
    Storage,
}

impl ImportMessage {
    fn key(self) -> SettingsKey {
        match self {
            ImportMessage::Done(_) => SettingsKey::ImportDone,
            ImportMessage::Nothing => SettingsKey::ImportNothing,
            ImportMessage::TooLarge => SettingsKey::ImportTooLarge,
            ImportMessage::Malformed => SettingsKey::ImportMalformed,
            ImportMessage::Foreign => SettingsKey::ImportForeign,
            ImportMessage::Future => SettingsKey::ImportFuture,
            ImportMessage::Invalid => SettingsKey::ImportInvalid,
            ImportMessage::Storage => SettingsKey::PlanSaveFailed,
        }
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let lang = use_i18n().lang;
    let persisted = RwSignal::new(None::<Option<bool>>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            persisted.set(Some(crate::local::persist::is_persisted().await));
        })
    });
    let storage_text = move || match persisted.get() {
        None => None,
        Some(Some(true)) => Some(SettingsKey::StorageProtected),
        Some(Some(false)) => Some(SettingsKey::StorageNotProtected),
        Some(None) => Some(SettingsKey::StorageUnknown),
    };
    let message = RwSignal::new(None::<ImportMessage>);
    // What exactly is wrong with a refused file (which record, which field, why), from the
    // model's error: for whoever helps the user fix it. Quoted as is, in English.
    let detail = RwSignal::new(None::<String>);
    let no_detail = Memo::new(move |_| detail.with(Option::is_none));
    let state = use_plan();
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        browser::import_file(ev, state, message, detail);
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, state);
    };
    view! {
        <h1>{tr(SettingsKey::SettingsTitle)}</h1>
        <section aria-labelledby="storage">
            <h2 id="storage">{tr(SettingsKey::StorageTitle)}</h2>
            <p class="storage-state">{move || storage_text().map(|k| k.text(lang.get()))}</p>
        </section>
        <SyncSettings />
        <section aria-labelledby="export">
            <h2 id="export">{tr(SettingsKey::ExportTitle)}</h2>
            <p>{tr(SettingsKey::ExportHelp)}</p>
            <button type="button" on:click=click_handler(move |_| export())>{tr(SettingsKey::Export)}</button>
            <label for="import-file">{tr(SettingsKey::ImportLabel)}</label>
            <input id="import-file" type="file" accept="application/json,.json" on:change=event_handler(on_file) aria-describedby="import-message" />
            <p id="import-message" role="status">
                {move || message.get().map(|m| {
                    let text = m.key().text(lang.get());
                    match m {
                        ImportMessage::Done(n) => fill(text, &[("n", n.to_string())]),
                        _ => text.to_owned(),
                    }
                })}
            </p>
            // Hidden when empty rather than drawn when needed: a branch would compile code to
            // draw it besides the code that hydrates it.
            <p class="import-detail" hidden=no_detail>
                {tr(SettingsKey::ImportDetail)} " " <code>{move || detail.get().unwrap_or_default()}</code>
            </p>
        </section>
    }
}

fn export() {
    #[cfg(feature = "hydrate")]
    browser::download();
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::ImportMessage;
    use crate::local::plan_store::ImportFailure;
    use crate::model::export::{ImportError, MAX_IMPORT_BYTES};
    use crate::ui::plan::state::PlanState;
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    /// Saves the export as a file through a temporary download link.
    pub fn download() {
        spawn_local(download_in_later());
    }

    crate::later::in_later_chunk! {
        /// In the `later` chunk with the store it reads (see `crate::later`): exporting is
        /// not on this page's first load.
        async fn download_in_later() {
            let Ok(store) = crate::local::plan_store().await else {
                return;
            };
            let Ok(bytes) = store.export().await else { return };
            let array = js_sys::Uint8Array::from(bytes.as_slice());
            let parts = js_sys::Array::of1(&array);
            let options = web_sys::BlobPropertyBag::new();
            options.set_type("application/json");
            let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
                return;
            };
            let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
                return;
            };
            let date = js_sys::Date::new_0();
            let name = format!(
                "tillit-plan-{}-{:02}-{:02}.json",
                date.get_full_year(),
                date.get_month() + 1,
                date.get_date()
            );
            if let Ok(link) = document().create_element("a") {
                let link: web_sys::HtmlAnchorElement = link.unchecked_into();
                link.set_href(&url);
                link.set_download(&name);
                link.click();
            }
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    }

    pub fn import_file(
        ev: leptos::ev::Event,
        state: PlanState,
        message: RwSignal<Option<ImportMessage>>,
        detail: RwSignal<Option<String>>,
    ) {
        detail.set(None);
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // Refuse a huge file before reading it into memory.
        if file.size() > MAX_IMPORT_BYTES as f64 {
            message.set(Some(ImportMessage::TooLarge));
            input.set_value("");
            return;
        }
        spawn_local(async move {
            let text = match JsFuture::from(file.text()).await {
                Ok(text) => text.as_string().unwrap_or_default(),
                Err(_) => {
                    message.set(Some(ImportMessage::Malformed));
                    return;
                }
            };
            let (outcome, said) = import_in_later(text).await;
            detail.set(said);
            message.set(Some(outcome));
            input.set_value("");
            state.reload();
        });
    }

    crate::later::in_later_chunk! {
        /// Merges the file's records into the phone's, in the `later` chunk with the store
        /// and the model's checks (see `crate::later`): the outcome to show, and for a
        /// refused record what exactly is wrong with it.
        async fn import_in_later(text: String) -> (ImportMessage, Option<String>) {
            let outcome = match crate::local::plan_store().await {
                Ok(store) => store.import(text.as_bytes()).await,
                Err(e) => Err(ImportFailure::Store(e)),
            };
            let detail = match &outcome {
                Err(ImportFailure::File(
                    error @ (ImportError::InvalidRecord { .. }
                    | ImportError::Duplicate { .. }
                    | ImportError::Merge(_)),
                )) => Some(error.to_string().chars().take(300).collect()),
                _ => None,
            };
            let message = match outcome {
                Ok(0) => ImportMessage::Nothing,
                Ok(n) => ImportMessage::Done(n),
                Err(ImportFailure::File(ImportError::TooLarge { .. })) => ImportMessage::TooLarge,
                Err(ImportFailure::File(ImportError::Malformed { .. })) => ImportMessage::Malformed,
                Err(ImportFailure::File(ImportError::Foreign)) => ImportMessage::Foreign,
                Err(ImportFailure::File(ImportError::FromTheFuture { .. })) => ImportMessage::Future,
                Err(ImportFailure::File(_)) => ImportMessage::Invalid,
                Err(ImportFailure::Store(_)) => ImportMessage::Storage,
            };
            crate::sync::engine::changed();
            (message, detail)
        }
    }
}
