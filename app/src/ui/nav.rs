//! The main navigation to the four areas. At the bottom on phones (reachable with a thumb),
//! at the top on wide screens (see `style/main.css`). Only what exists is in the menu:
//! check-ins join it when they are built; settings (where no account is needed, export,
//! import, backup) are one tap away from every page.

use crate::i18n::{tr, Key};
use leptos::prelude::*;
use leptos_router::components::A;

/// The four areas, in the order they are shown.
const AREAS: [(&str, Key); 4] = [
    ("/", Key::NavPlan),
    ("/hjulet", Key::NavWheel),
    ("/deling", Key::NavSharing),
    ("/innstillinger", Key::NavSettings),
];

#[component]
pub fn MainNav() -> impl IntoView {
    view! {
        <nav class="main-nav" aria-label=tr(Key::NavLabel)>
            <ul>
                {AREAS
                    .into_iter()
                    .map(|(href, label)| view! { <li><A href=href exact=true>{tr(label)}</A></li> })
                    .collect_view()}
            </ul>
        </nav>
    }
}
