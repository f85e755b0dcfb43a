//! Small preferences kept in `localStorage` through `gloo-storage`.
//!
//! Read only after hydration (in an effect): the server always renders bokmål, and reading
//! storage during render would make the first client render differ from the HTML.

use crate::model::lang::Lang;
use gloo_storage::{LocalStorage, Storage};

const LANG_KEY: &str = "tillit.lang";

/// The language the user chose earlier, if any and if still understood.
pub fn stored_lang() -> Option<Lang> {
    LocalStorage::get::<String>(LANG_KEY)
        .ok()
        .and_then(|code| Lang::parse(&code))
}

/// Remembers the choice. Storage can be full or blocked (private mode); the switch still works
/// for this visit, so a failure is only logged to the console.
pub fn store_lang(lang: Lang) {
    if let Err(err) = LocalStorage::set(LANG_KEY, lang.code()) {
        leptos::logging::warn!("could not remember the language: {err:?}");
    }
}
