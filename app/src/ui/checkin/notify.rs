//! Notifications: Web Push where the browser allows it (the server's pushes always say only
//! "Ny melding i Tillit"), and the unread count on the app's icon (Badging API) where
//! supported. Both are extras: the page itself always shows what is new. Browser features
//! are looked up at run time (`Reflect`), so a browser without them simply gets the text
//! saying so.

use super::state::Page;
use super::texts::{tc, CheckinKey as K};
use crate::ui::events::click_handler;
use crate::ui::later_view::{Drawn, DrawnView};
use leptos::prelude::*;

#[component]
pub fn PushSetting() -> DrawnView {
    let state = RwSignal::new(None::<K>);
    let turn_on = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let _ = state.try_set(Some(match subscribe().await {
                Ok(()) => K::PushEnabled,
                Err(()) => K::PushUnavailable,
            }));
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = state;
    };
    view! {
        <section class="checkin-push">
            <button type="button" on:click=click_handler(turn_on)>{tc(K::PushOn)}</button>
            <p role="status">{move || state.get().map(|k| tc(k)())}</p>
            <p class="checkin-note">{tc(K::PushIos)}</p>
        </section>
    }
    .drawn()
}

/// Sets the app icon's badge to the unread count (clears it at 0), where supported.
pub fn badge(page: Page) {
    #[cfg(feature = "hydrate")]
    {
        let Some(unread) = page.people.try_with_untracked(|people| {
            people
                .iter()
                .map(|p| super::state::unread(p).len())
                .sum::<usize>()
        }) else {
            return;
        };
        let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
            return;
        };
        let (name, args) = if unread > 0 {
            (
                "setAppBadge",
                js_sys::Array::of1(&wasm_bindgen::JsValue::from_f64(unread as f64)),
            )
        } else {
            ("clearAppBadge", js_sys::Array::new())
        };
        if let Ok(method) = js_sys::Reflect::get(&navigator, &name.into()) {
            if let Ok(method) = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(method) {
                let _ = method.apply(&navigator, &args);
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = page;
}

#[cfg(feature = "hydrate")]
async fn subscribe() -> Result<(), ()> {
    use js_sys::{Function, Object, Promise, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    let call = |target: &JsValue, name: &str, args: &js_sys::Array| -> Result<JsValue, ()> {
        let method: Function = Reflect::get(target, &name.into())
            .map_err(|_| ())?
            .dyn_into()
            .map_err(|_| ())?;
        method.apply(target, args).map_err(|_| ())
    };
    let window: JsValue = web_sys::window().ok_or(())?.into();
    let notification = Reflect::get(&window, &"Notification".into()).map_err(|_| ())?;
    if notification.is_undefined() {
        return Err(());
    }
    let asked: Promise = call(&notification, "requestPermission", &js_sys::Array::new())?
        .dyn_into()
        .map_err(|_| ())?;
    if JsFuture::from(asked)
        .await
        .map_err(|_| ())?
        .as_string()
        .as_deref()
        != Some("granted")
    {
        return Err(());
    }
    let workers = web_sys::window().ok_or(())?.navigator().service_worker();
    let registration = JsFuture::from(workers.ready().map_err(|_| ())?)
        .await
        .map_err(|_| ())?;
    let manager = Reflect::get(&registration, &"pushManager".into()).map_err(|_| ())?;
    if manager.is_undefined() {
        return Err(());
    }
    let key: serde_json::Value =
        crate::sync::net::fetch_json("GET", "/api/v1/push/key", crate::sync::net::NO_BODY)
            .await
            .map_err(|_| ())?;
    let options = Object::new();
    Reflect::set(&options, &"userVisibleOnly".into(), &JsValue::TRUE).map_err(|_| ())?;
    let key = key["key"].as_str().ok_or(())?;
    Reflect::set(&options, &"applicationServerKey".into(), &key.into()).map_err(|_| ())?;
    let subscribing: Promise = call(&manager, "subscribe", &js_sys::Array::of1(&options))?
        .dyn_into()
        .map_err(|_| ())?;
    let subscription = JsFuture::from(subscribing).await.map_err(|_| ())?;
    let text = js_sys::JSON::stringify(&subscription)
        .map_err(|_| ())?
        .as_string()
        .ok_or(())?;
    let body: serde_json::Value = serde_json::from_str(&text).map_err(|_| ())?;
    crate::sync::net::call::<serde_json::Value>("POST", "/api/v1/push/subscriptions", Some(&body))
        .await
        .map_err(|_| ())?;
    Ok(())
}
