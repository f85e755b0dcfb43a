//! `POST /api/v1/sync` (see [`crate::sync`]): push the device's changes, pull what is new.
//! A body that is not `application/json` is 415. Limits are checked before anything is read
//! into records: the body's size (413), the number of changes (413), each change (422
//! naming it, or 413 for one too large); over the account's quota, 413 `quota_exceeded`.
//! Nothing of a refused request is applied.

use super::accounts::Session;
use super::error::ApiError;
use super::AppState;
use crate::sync::{self, SyncRequest, SyncResponse, MAX_CHANGES, MAX_DEVICE_CHARS, MAX_REQUEST_BYTES};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::routing::post;
use axum::{Json, Router};

pub fn routes() -> Router<AppState> {
    Router::new().route("/v1/sync", post(sync_handler))
}

/// Whether the body says it is JSON (`application/json`, any parameters).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

async fn sync_handler(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<SyncResponse>, ApiError> {
    // A form or text body is not a sync request, whatever it holds (and a cross-site form
    // post can only send those types).
    if !is_json(&headers) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let bytes = axum::body::to_bytes(body, MAX_REQUEST_BYTES)
        .await
        .map_err(|_| ApiError::TooLarge {
            limit: "request_bytes",
            max: MAX_REQUEST_BYTES,
            detail: format!("a sync request is at most {MAX_REQUEST_BYTES} bytes"),
        })?;
    let request: SyncRequest = serde_json::from_slice(&bytes).map_err(|e| ApiError::InvalidAt {
        field: "body".to_owned(),
        reason: e.to_string(),
    })?;
    let device = request.device.trim();
    if device.is_empty() || device.chars().count() > MAX_DEVICE_CHARS || device.chars().any(char::is_control)
    {
        return Err(ApiError::InvalidAt {
            field: "device".to_owned(),
            reason: format!("a device id has 1 to {MAX_DEVICE_CHARS} characters"),
        });
    }
    if request.since < 0 {
        return Err(ApiError::InvalidAt {
            field: "since".to_owned(),
            reason: "the cursor is a number from 0".to_owned(),
        });
    }
    if request.changes.len() > MAX_CHANGES {
        return Err(ApiError::TooLarge {
            limit: "changes",
            max: MAX_CHANGES,
            detail: format!(
                "{} changes; push at most {MAX_CHANGES} at a time",
                request.changes.len()
            ),
        });
    }
    let changes = request
        .changes
        .into_iter()
        .enumerate()
        .map(|(index, raw)| sync::check_change(index, raw))
        .collect::<Result<Vec<_>, _>>()?;
    let conflicts = if changes.is_empty() {
        Vec::new()
    } else {
        sync::push(
            &state.db,
            &session.user.id,
            device,
            &changes,
            state.limits.quota_bytes,
        )
        .await?
    };
    let (pulled, more) = sync::pull(&state.db, &session.user.id, request.since).await?;
    let cursor = pulled.last().map_or(request.since, |c| c.seq);
    Ok(Json(SyncResponse {
        cursor,
        changes: pulled,
        conflicts,
        more,
    }))
}
