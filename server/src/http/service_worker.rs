//! `GET /sw.js`: the worker rendered for this build (see `site`). Never cached by HTTP, so
//! browsers see a new deployment at their next update check.

use super::AppState;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::response::IntoResponse;

/// A worker runs under the policy of its own script's response. It needs to fetch (and so
/// cache) our own files and nothing else.
const WORKER_CSP: &str = "default-src 'none'; connect-src 'self'";

pub async fn script(State(state): State<AppState>) -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "no-cache"),
            (CONTENT_SECURITY_POLICY, WORKER_CSP),
        ],
        state.site.service_worker.clone(),
    )
}
