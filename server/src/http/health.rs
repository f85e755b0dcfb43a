//! `GET /healthz`: 200 when the server can reach its migrated database, 503 otherwise.

use super::error::ApiError;
use super::AppState;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

pub async fn healthz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    state
        .db
        .is_healthy()
        .await
        .map_err(|e| ApiError::Unavailable(format!("database: {e}")))?;
    Ok(Json(json!({ "status": "ok", "version": state.site.version })))
}
