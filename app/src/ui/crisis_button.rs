//! The crisis button: on every page, one tap to the crisis screen. A plain link, so it works
//! before the wasm has loaded and with scripts off.

use crate::i18n::{tr, Key};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn CrisisButton() -> impl IntoView {
    view! {
        <A href=crate::ui::app::CRISIS_PATH attr:class="crisis-button">
            {tr(Key::CrisisButton)}
        </A>
    }
}
