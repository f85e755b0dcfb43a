//! `GET /sw.js`: the worker rendered for this build (see `site`). Never cached by HTTP, so
//! browsers see a new deployment at their next update check.

use super::AppState;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

pub async fn script(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(CONTENT_TYPE, "text/javascript; charset=utf-8"), (CACHE_CONTROL, "no-cache")],
        state.site.service_worker.clone(),
    )
}
