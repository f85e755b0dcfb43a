//! The language switch: one button naming the other language in that language, so whoever
//! needs it can read it. The choice is remembered on the phone.

use crate::i18n::{tr, use_i18n, Key};
use crate::ui::events::click_handler;
use leptos::prelude::*;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_i18n().lang;
    let switch = move |_| {
        let next = lang.get_untracked().other();
        lang.set(next);
        #[cfg(feature = "hydrate")]
        crate::local::prefs::store_lang(next);
    };
    view! {
        <button type="button" class="lang-switch" lang=move || lang.get().other().code() on:click=click_handler(switch)>
            {tr(Key::LangSwitch)}
        </button>
    }
}
