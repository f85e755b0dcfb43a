//! The check-in API (`/api/v1/checkins…`). Thin: parse, authorize through
//! `checkins::authorize` (the one access check), call [`crate::checkins`], shape the answer,
//! and wake the other phone (`crate::push`, never waited for).

use super::accounts::Session;
use super::error::{ApiError, ApiJson};
use super::AppState;
use crate::checkins::{self, Changes, Invitation, Need};
use crate::push::Urgency;
use app::model::checkin::{Message, People, Person, RawMessage};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/checkins", get(list))
        .route("/v1/checkins/invitations", post(invite))
        .route("/v1/checkins/help", post(help))
        .route("/v1/checkins/{id}", axum::routing::patch(update).delete(remove))
        .route("/v1/checkins/{id}/pause", post(pause))
        .route("/v1/checkins/{id}/resume", post(resume))
        .route(
            "/v1/checkins/{id}/messages",
            post(send).delete(delete_conversation),
        )
        .route("/v1/checkins/{id}/read", post(read))
        .route("/v1/checkins/{id}/messages/{message}/ack", post(ack))
        .route("/v1/push/key", get(push_key))
        .route("/v1/push/subscriptions", post(subscribe).delete(unsubscribe))
}

async fn list(State(state): State<AppState>, session: Session) -> Result<Json<People>, ApiError> {
    let people = checkins::list(&state.db, &session.user.id).await?;
    Ok(Json(People { people }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    name: String,
}

async fn invite(
    State(state): State<AppState>,
    session: Session,
    ApiJson(input): ApiJson<NewInvitation>,
) -> Result<(StatusCode, Json<Invitation>), ApiError> {
    let invitation = checkins::invite(&state.db, &state.secret, &session.user.id, &input.name).await?;
    Ok((StatusCode::CREATED, Json(invitation)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpRequest {
    id: String,
}

#[derive(Serialize)]
pub struct HelpSent {
    /// How many trusted persons it went to (0: there is nobody to send it to).
    sent_to: usize,
}

async fn help(
    State(state): State<AppState>,
    session: Session,
    ApiJson(input): ApiJson<HelpRequest>,
) -> Result<Json<HelpSent>, ApiError> {
    let reached = checkins::ask_for_contact(&state.db, &session.user.id, &input.id).await?;
    for conversation in &reached {
        state.push.notify(conversation.other_id(), Urgency::High);
    }
    Ok(Json(HelpSent {
        sent_to: reached.len(),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    read_receipts: Option<bool>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    reminder: Option<u8>,
    #[serde(default)]
    user_phone: Option<String>,
}

async fn update(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<Settings>,
) -> Result<Json<Person>, ApiError> {
    let conversation = checkins::authorize(&state.db, &session.user.id, &id, Need::Manage).await?;
    let changes = Changes {
        name: input.name,
        read_receipts: input.read_receipts,
        phone: input.phone,
        reminder: input.reminder,
        user_phone: input.user_phone,
    };
    Ok(Json(checkins::update(&state.db, &conversation, changes).await?))
}

async fn remove(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let conversation = checkins::authorize(&state.db, &session.user.id, &id, Need::Manage).await?;
    checkins::remove(&state.db, &conversation).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn pause(state: State<AppState>, session: Session, id: Path<String>) -> Result<StatusCode, ApiError> {
    set_paused(state, session, id, true).await
}

async fn resume(state: State<AppState>, session: Session, id: Path<String>) -> Result<StatusCode, ApiError> {
    set_paused(state, session, id, false).await
}

async fn set_paused(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    paused: bool,
) -> Result<StatusCode, ApiError> {
    let conversation = checkins::authorize(&state.db, &session.user.id, &id, Need::Manage).await?;
    if paused {
        checkins::pause(&state.db, &conversation).await?;
    } else {
        checkins::resume(&state.db, &conversation).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// 201 with the new message; 200 with the stored one when this id was sent before.
async fn send(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<RawMessage>,
) -> Result<(StatusCode, Json<Message>), ApiError> {
    let conversation = checkins::authorize(&state.db, &session.user.id, &id, Need::Talk).await?;
    let sent = checkins::send(&state.db, &conversation, &input).await?;
    if sent.created {
        state.push.notify(conversation.other_id(), Urgency::Normal);
        Ok((StatusCode::CREATED, Json(sent.message)))
    } else {
        Ok((StatusCode::OK, Json(sent.message)))
    }
}

async fn delete_conversation(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let conversation = checkins::authorize(&state.db, &session.user.id, &id, Need::Manage).await?;
    if conversation.role() != app::model::checkin::Role::Owner {
        // Leaving is the trusted person's way to be rid of a conversation.
        return Err(ApiError::NotFound);
    }
    checkins::delete_conversation(&state.db, &conversation).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The most message ids one read receipt names.
pub const MAX_READ_IDS: usize = 200;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Read {
    ids: Vec<String>,
}

async fn read(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<Read>,
) -> Result<StatusCode, ApiError> {
    if input.ids.len() > MAX_READ_IDS {
        return Err(ApiError::TooLarge {
            limit: "ids",
            max: MAX_READ_IDS,
            detail: format!("at most {MAX_READ_IDS} message ids at once"),
        });
    }
    let conversation = checkins::authorize(&state.db, &session.user.id, &id, Need::Talk).await?;
    checkins::mark_read(&state.db, &conversation, &input.ids).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn ack(
    State(state): State<AppState>,
    session: Session,
    Path((id, message)): Path<(String, String)>,
) -> Result<Json<Message>, ApiError> {
    let conversation = checkins::authorize(&state.db, &session.user.id, &id, Need::Talk).await?;
    let acked = checkins::ack(&state.db, &conversation, &message).await?;
    state.push.notify(conversation.other_id(), Urgency::Normal);
    Ok(Json(acked))
}

#[derive(Serialize)]
pub struct PushKey {
    /// The server's VAPID public key (uncompressed P-256 point, base64url without padding),
    /// the browser's `applicationServerKey`.
    key: String,
}

async fn push_key(State(state): State<AppState>) -> Json<PushKey> {
    Json(PushKey {
        key: state.push.public_key(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    endpoint: String,
    keys: SubscriptionKeys,
    /// What `PushSubscription.toJSON()` adds; not used.
    #[serde(default, rename = "expirationTime")]
    _expiration_time: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionKeys {
    p256dh: String,
    auth: String,
}

async fn subscribe(
    State(state): State<AppState>,
    session: Session,
    ApiJson(input): ApiJson<Subscription>,
) -> Result<StatusCode, ApiError> {
    state
        .push
        .subscribe(
            &session.user.id,
            &input.endpoint,
            &input.keys.p256dh,
            &input.keys.auth,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unsubscribe {
    endpoint: String,
}

async fn unsubscribe(
    State(state): State<AppState>,
    session: Session,
    ApiJson(input): ApiJson<Unsubscribe>,
) -> Result<StatusCode, ApiError> {
    state.push.unsubscribe(&session.user.id, &input.endpoint).await?;
    Ok(StatusCode::NO_CONTENT)
}
