//! The sharing API (`/api/v1/shares…`, `/api/v1/shared`, the two logs). Thin: parse, call
//! [`crate::sharing`], shape the answer. Every read of someone else's records goes through
//! `sharing::read` (and so through `sharing::authorize_read` and the access log).

use super::accounts::Session;
use super::client_addr::ClientAddr;
use super::error::{ApiError, ApiJson};
use super::AppState;
use crate::accounts::now_ms;
use crate::sharing::{self, AccessPage, ConsentEntry, NewShare, Scope, ShareView, SharedRecord, Until};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/shares", post(create).get(list))
        .route("/v1/shares/accept", post(accept))
        .route("/v1/shares/{id}", axum::routing::delete(revoke))
        .route("/v1/shares/{id}/leave", post(leave))
        .route("/v1/shares/{id}/records", get(records))
        .route("/v1/shared", get(shared))
        .route("/v1/consent-log", get(consent_log))
        .route("/v1/access-log", get(access_log))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateShare {
    scope: String,
    #[serde(default)]
    until: Option<String>,
    #[serde(default)]
    recipient: Option<String>,
}

async fn create(
    State(state): State<AppState>,
    session: Session,
    ApiJson(input): ApiJson<CreateShare>,
) -> Result<(StatusCode, Json<ShareView>), ApiError> {
    let now = now_ms();
    let new = NewShare {
        scope: Scope::parse(&input.scope)?,
        until: input.until.as_deref().map(|u| Until::parse(u, now)).transpose()?,
        recipient: input.recipient,
    };
    let (share, code) = sharing::create(&state.db, &state.secret, &session.user.id, new).await?;
    let mut view = share.view(now_ms());
    view.code = code;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accept {
    code: String,
}

async fn accept(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    session: Session,
    ApiJson(input): ApiJson<Accept>,
) -> Result<Json<ShareView>, ApiError> {
    let share = sharing::accept(&state.db, &state.secret, &session.user.id, client, &input.code).await?;
    Ok(Json(share.view(now_ms())))
}

#[derive(Serialize)]
pub struct ShareLists {
    given: Vec<ShareView>,
    received: Vec<ShareView>,
}

async fn list(State(state): State<AppState>, session: Session) -> Result<Json<ShareLists>, ApiError> {
    let (given, received) = sharing::list(&state.db, &session.user.id).await?;
    let now = now_ms();
    Ok(Json(ShareLists {
        given: given.iter().map(|s| s.view(now)).collect(),
        received: received.iter().map(|s| s.view(now)).collect(),
    }))
}

async fn revoke(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    sharing::revoke(&state.db, &session.user.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The recipient leaves a share (ends it for themselves).
async fn leave(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    sharing::leave(&state.db, &session.user.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
pub struct ShareRecords {
    share: ShareView,
    records: Vec<SharedRecord>,
}

async fn records(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<ShareRecords>, ApiError> {
    let (share, records) = sharing::read(&state.db, &session.user.id, &id).await?;
    Ok(Json(ShareRecords {
        share: share.view(now_ms()),
        records,
    }))
}

#[derive(Serialize)]
pub struct Shared {
    shares: Vec<ShareRecords>,
}

/// Every live share the caller received, each read (and logged) on its own.
async fn shared(State(state): State<AppState>, session: Session) -> Result<Json<Shared>, ApiError> {
    let mut shares = Vec::new();
    for id in sharing::live_received(&state.db, &session.user.id).await? {
        match sharing::read(&state.db, &session.user.id, &id).await {
            Ok((share, records)) => shares.push(ShareRecords {
                share: share.view(now_ms()),
                records,
            }),
            // Revoked or ended between the listing and the read: simply not there.
            Err(ApiError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Json(Shared { shares }))
}

#[derive(Serialize)]
pub struct Entries<T> {
    entries: Vec<T>,
}

async fn consent_log(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Entries<ConsentEntry>>, ApiError> {
    let entries = sharing::consent_log(&state.db, &session.user.id).await?;
    Ok(Json(Entries { entries }))
}

/// `?before=<seq>&limit=<n>`: a page of the access log older than `before`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogPage {
    before: Option<i64>,
    limit: Option<i64>,
}

async fn access_log(
    State(state): State<AppState>,
    session: Session,
    page: Result<Query<LogPage>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AccessPage>, ApiError> {
    let Query(page) = page.map_err(|e| ApiError::InvalidAt {
        field: "query".to_owned(),
        reason: e.body_text(),
    })?;
    let limit = page.limit.unwrap_or(sharing::MAX_LOG_ENTRIES);
    if !(1..=sharing::MAX_LOG_ENTRIES).contains(&limit) {
        return Err(ApiError::Invalid {
            field: "limit",
            reason: format!("A page holds 1 to {} entries.", sharing::MAX_LOG_ENTRIES),
        });
    }
    let page = sharing::access_log(&state.db, &session.user.id, page.before, limit).await?;
    Ok(Json(page))
}
