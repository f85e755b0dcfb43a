//! Registers `/sw.js` and tells the UI when a new version waits (browser only).
//!
//! The worker itself (`public/sw.js`) never skips waiting on its own: an update must not
//! swap the app under someone who is writing. It waits until the user taps the banner; then
//! we ask it to take over and reload when it has.

use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

/// How often an open app asks the server for a new worker. Browsers check on navigation,
/// but an installed app may stay open for days without one.
const UPDATE_CHECK_EVERY: Duration = Duration::from_secs(30 * 60);

/// The message `public/sw.js` understands as "take over now".
const SKIP_WAITING: &str = "skip-waiting";

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = window().navigator();
    // Absent on plain-HTTP origins other than localhost, and in some private modes.
    let present = js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
    present.then(|| navigator.service_worker())
}

/// Registers the worker and sets `update_ready` when a new version has installed and waits.
pub fn register(update_ready: RwSignal<bool>) {
    let Some(container) = container() else { return };
    spawn_local(async move {
        let registration = match JsFuture::from(container.register("/sw.js")).await {
            Ok(value) => value.unchecked_into::<ServiceWorkerRegistration>(),
            Err(err) => {
                leptos::logging::warn!("service worker registration failed: {err:?}");
                return;
            }
        };
        // An update is only an update if a worker already controls this page; the very
        // first install is not something to announce.
        let has_controller = {
            let container = container.clone();
            move || container.controller().is_some()
        };
        if registration.waiting().is_some() && has_controller() {
            update_ready.set(true);
        }
        let watched = registration.clone();
        let on_update_found = Closure::<dyn FnMut()>::new(move || {
            let Some(installing) = watched.installing() else {
                return;
            };
            let worker = installing.clone();
            let has_controller = has_controller.clone();
            let on_state = Closure::<dyn FnMut()>::new(move || {
                if worker.state() == ServiceWorkerState::Installed && has_controller() {
                    update_ready.set(true);
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
        // Both closures live as long as the page: the registration outlives every component.
        on_update_found.forget();

        set_interval(
            move || {
                let _ = registration.update();
            },
            UPDATE_CHECK_EVERY,
        );
    });
}

/// Asks the waiting worker to take over, and reloads once it controls the page.
pub fn activate_waiting() {
    let Some(container) = container() else { return };
    spawn_local(async move {
        let Ok(value) = JsFuture::from(container.get_registration()).await else {
            return;
        };
        let Some(registration) = value.dyn_into::<ServiceWorkerRegistration>().ok() else {
            return;
        };
        let Some(waiting) = registration.waiting() else {
            // Another tab already activated it: this page only needs the reload.
            let _ = window().location().reload();
            return;
        };
        let on_controller_change = Closure::<dyn FnMut()>::new(|| {
            let _ = window().location().reload();
        });
        container.set_oncontrollerchange(Some(on_controller_change.as_ref().unchecked_ref()));
        on_controller_change.forget();
        if let Err(err) = waiting.post_message(&JsValue::from_str(SKIP_WAITING)) {
            leptos::logging::warn!("could not reach the waiting worker: {err:?}");
        }
    });
}
