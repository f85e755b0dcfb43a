//! The 404 page. The same view for every unknown path, so the service worker can serve one
//! cached copy offline for any of them and hydration still matches.

use crate::i18n::{tr, Key};
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <h1>{tr(Key::NotFoundTitle)}</h1>
        <p>{tr(Key::NotFoundText)}</p>
        <p>
            <a href="/">{tr(Key::NotFoundHome)}</a>
        </p>
    }
}
