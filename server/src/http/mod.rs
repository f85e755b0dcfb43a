//! HTTP: one router over small modules, each exporting its own routes.
//!
//! - [`error`]: the one error type handlers return; clear JSON for 4xx, opaque 5xx.
//! - [`headers`]: security headers and caching rules for every response.
//! - [`pages`]: server-rendered app routes with a per-request CSP nonce.
//! - [`health`]: `GET /healthz`.
//! - [`accounts`]: the account API and the [`accounts::Session`] extractor.
//! - [`client_addr`]: the client's address (trusted proxies), for the throttles.
//! - [`origin`]: refuses cross-site state-changing API requests.
//! - [`sync`]: `POST /api/v1/sync`, push and pull.
//! - [`sharing`]: shares, invitation codes, reading shared records, consent and access logs.
//! - [`checkins`]: check-ins with a trusted person, and Web Push subscriptions.
//! - [`openapi`]: `GET /api/v1/openapi.json`, the API described.
//! - [`service_worker`]: `GET /sw.js`, rendered for this build.
//! - [`clinician`]: the clinician pages under `/behandler` (server-rendered, no wasm).

pub mod accounts;
pub mod checkins;
pub mod client_addr;
pub mod clinician;
pub mod error;
pub mod headers;
pub mod health;
pub mod openapi;
pub mod origin;
pub mod pages;
pub mod service_worker;
pub mod sharing;
pub mod sync;

use crate::config::Limits;
use crate::db::Db;
use crate::hashing::Hasher;
use crate::secret::Secret;
use crate::site::Site;
use axum::routing::get;
use axum::Router;
use leptos::prelude::LeptosOptions;
use leptos_axum::{AxumRouteListing, LeptosRoutes};
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

/// What handlers share. Nothing per user lives here: every request stands on its own.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub site: Arc<Site>,
    pub leptos: LeptosOptions,
    /// Settings, the same for every request.
    pub limits: Arc<Limits>,
    /// The passphrase hashing threads (bounded: see `crate::hashing`).
    pub hasher: Hasher,
    /// The key of the invitation codes' HMAC (`crate::secret`).
    pub secret: Arc<Secret>,
    /// Web Push: the VAPID keys and the sender (`crate::push`).
    pub push: Arc<crate::push::Pusher>,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos.clone()
    }
}

/// The largest body of every JSON route but sync (accounts, sharing): two passphrases of
/// at most 1,024 characters fit with room to spare. Larger is 413 before anything is parsed.
pub const MAX_SMALL_BODY_BYTES: usize = 16 * 1024;

pub fn router(state: AppState, routes: Vec<AxumRouteListing>) -> Router {
    // Files of the build; anything else is a page, and an unknown page is the 404 page.
    let files = ServeDir::new(&state.site.root)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(get(pages::render).with_state(state.clone()));
    Router::<AppState>::new()
        .leptos_routes_with_handler(routes, get(pages::render))
        .route("/healthz", get(health::healthz))
        .route("/sw.js", get(service_worker::script))
        .merge(clinician::routes())
        .nest(
            "/api",
            accounts::routes()
                .merge(sharing::routes())
                .merge(checkins::routes())
                .layer(axum::extract::DefaultBodyLimit::max(MAX_SMALL_BODY_BYTES))
                .merge(sync::routes())
                .route("/v1/openapi.json", get(openapi::document))
                .fallback(error::api_not_found)
                .layer(axum::middleware::from_fn(origin::same_origin_only)),
        )
        .fallback_service(files)
        .with_state(state)
        .layer(axum::middleware::from_fn(headers::apply))
        .layer(CompressionLayer::new().br(true).gzip(true))
        .layer(headers::trace_layer())
}
