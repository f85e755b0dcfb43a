//! Server-rendered app routes. Every page gets a fresh CSP nonce: Leptos puts it on its
//! hydration script, and the `Content-Security-Policy` header allows exactly that script.

use super::AppState;
use app::{shell, ShellAssets};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{HeaderValue, CONTENT_SECURITY_POLICY};
use axum::response::Response;
use leptos::nonce::Nonce;
use leptos::prelude::provide_context;

pub async fn render(State(state): State<AppState>, request: Request<Body>) -> Response {
    let nonce = Nonce::new();
    let policy = content_security_policy(&nonce.to_string());
    let options = state.leptos.clone();
    let assets = ShellAssets {
        stylesheet_href: state.site.stylesheet_href.clone(),
        crisis: state.site.crisis.clone(),
    };
    let context_options = options.clone();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || {
            provide_context(nonce.clone());
            provide_context(context_options.clone());
        },
        move || shell(options.clone(), assets.clone()),
    );
    let mut response = handler(request).await;
    let policy = HeaderValue::from_str(&policy).expect("the policy is ASCII");
    response.headers_mut().insert(CONTENT_SECURITY_POLICY, policy);
    response
}

/// Scripts: our own files and the one inline hydration script carrying the nonce; wasm may
/// compile; nothing may frame the app, and nothing leaves for another origin.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}
