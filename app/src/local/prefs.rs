//! Small preferences kept in `localStorage`, JSON-encoded as `gloo-storage` keeps them.
//!
//! Read only after hydration (in an effect): the server always renders bokmål, and reading
//! storage during render would make the first client render differ from the HTML.
//!
//! The strings here are read and written with the browser's own `JSON`, not through
//! `gloo-storage`'s `get`/`set` (serde_json): the language is read by the frame, so this is
//! in every page's first load, and serde_json's parser was 14 KiB of its code before
//! `wasm-opt`. The stored form is the same, so what a phone kept before is still read.

use crate::model::lang::Lang;
use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::JsValue;

/// The string kept under `key`, if any (and if it is a JSON string).
fn get_string(key: &str) -> Option<String> {
    let raw = LocalStorage::raw().get_item(key).ok().flatten()?;
    js_sys::JSON::parse(&raw).ok()?.as_string()
}

/// Keeps `value` under `key` as a JSON string. Storage can be full or blocked (private mode).
fn set_string(key: &str, value: &str) -> Result<(), JsValue> {
    let json: String = js_sys::JSON::stringify(&JsValue::from_str(value))?.into();
    LocalStorage::raw().set_item(key, &json)
}

const LANG_KEY: &str = "tillit.lang";

/// The language the user chose earlier, if any and if still understood.
pub fn stored_lang() -> Option<Lang> {
    get_string(LANG_KEY).and_then(|code| Lang::parse(&code))
}

/// Remembers the choice. Storage can be full or blocked (private mode); the switch still works
/// for this visit, so a failure is only logged to the console.
pub fn store_lang(lang: Lang) {
    if set_string(LANG_KEY, lang.code()).is_err() {
        leptos::logging::warn!("could not remember the language");
    }
}

const INVITATION_KEY: &str = "tillit.invitation";

/// An invitation code opened before the person had an account: kept on the phone until
/// they have logged in or created one, then used (`ui::sharing::page`).
pub fn store_invitation(code: &str) {
    if set_string(INVITATION_KEY, code).is_err() {
        leptos::logging::warn!("could not keep the invitation code");
    }
}

/// The kept invitation code, if any, still kept.
pub fn kept_invitation() -> Option<String> {
    get_string(INVITATION_KEY)
}

/// The kept invitation code, if any; it is forgotten as it is read.
pub fn take_invitation() -> Option<String> {
    let code = get_string(INVITATION_KEY);
    LocalStorage::delete(INVITATION_KEY);
    code
}

const HELPERS_KEY: &str = "tillit.helpers";
use crate::sync::engine::ACCOUNT_KEY;

/// Remembers that the account signed in on this phone has a trusted person who can be
/// asked for contact, or forgets it: the crisis screen shows *Kontakt meg* only then, since
/// without one the request would reach nobody. The check-in copy is in IndexedDB; this mark
/// is all the crisis screen reads of it, so the crisis screen stays small. The mark is a
/// copy of the account's own entry (raw text, no parsing: the crisis screen's code stays
/// free of it), so another account signed in later on a shared phone never matches it.
pub fn mark_helpers(account: Option<&str>) {
    let Ok(entry) = LocalStorage::raw().get_item(ACCOUNT_KEY) else {
        return;
    };
    let signed_in = entry
        .as_deref()
        .and_then(crate::sync::engine::read_account)
        .is_some_and(|a| Some(a.id.as_str()) == account);
    match entry {
        Some(entry) if signed_in => {
            let _ = LocalStorage::raw().set_item(HELPERS_KEY, &entry);
        }
        _ => {
            let _ = LocalStorage::raw().remove_item(HELPERS_KEY);
        }
    }
}

/// Whether the account signed in on this phone has a trusted person to ask.
pub fn can_ask_for_contact() -> bool {
    let raw = LocalStorage::raw();
    let mark = raw.get_item(HELPERS_KEY).ok().flatten();
    mark.is_some() && mark == raw.get_item(ACCOUNT_KEY).ok().flatten()
}
