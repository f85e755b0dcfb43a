//! "Ny versjon – last inn på nytt": shown when a new service worker has installed and waits.
//! Tapping it lets the new worker take over and reloads the page once it has. It also
//! registers the worker, so it is on every page; on the crisis screen it stays silent
//! (nothing goes above the help there).

use crate::i18n::{tr, Key};
use crate::ui::app::on_crisis_screen;
use crate::ui::events::click_handler;
use leptos::prelude::*;

#[component]
pub fn UpdateBanner() -> impl IntoView {
    // False on the server and at hydration, so the HTML always matches.
    let update_ready = RwSignal::new(false);
    let crisis = on_crisis_screen();

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| crate::ui::service_worker::register(update_ready));

    let reload = move |_| {
        #[cfg(feature = "hydrate")]
        crate::ui::service_worker::activate_waiting();
    };

    view! {
        <div class="update-banner" role="status">
            <Show when=move || update_ready.get() && !crisis()>
                <button type="button" on:click=click_handler(reload)>
                    {tr(Key::UpdateReady)}
                </button>
            </Show>
        </div>
    }
}
