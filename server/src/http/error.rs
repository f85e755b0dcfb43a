//! The one error type of the HTTP layer.
//!
//! A 4xx answer carries JSON the client can act on: a stable `error` code, a plain `message`
//! and, where one field is to blame, its name. A 5xx answer says only that it failed; the
//! cause is logged here (without personal data) and never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not found")]
    NotFound,
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// Like `Invalid`, for a field named at run time (`changes[3].version.body`).
    #[error("invalid {field}: {reason}")]
    InvalidAt { field: String, reason: String },
    /// Over a limit: which (`limit`), the most allowed, and what was sent.
    #[error("too large: {limit} over {max}: {detail}")]
    TooLarge {
        limit: &'static str,
        max: usize,
        detail: String,
    },
    /// No valid session, or a wrong name or passphrase: one answer for both, so the reply
    /// never tells whether an account exists.
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    /// Logged in, but this is not theirs to do (a cross-site request, someone else's data).
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("conflict on {field}: {reason}")]
    Conflict { field: &'static str, reason: String },
    #[error("too many attempts; retry after {retry_after_s} s")]
    TooManyRequests { retry_after_s: u64 },
    /// Over the check-ins a day from one person to the other (`crate::checkins`).
    #[error("daily limit of {max}; retry after {retry_after_s} s")]
    DailyLimit { max: i64, retry_after_s: u64 },
    /// The account's storage quota would be exceeded: nothing of the request is stored.
    #[error("quota exceeded: {used} + {adding} over {quota}")]
    QuotaExceeded { used: i64, adding: i64, quota: i64 },
    /// A body that is not JSON where JSON is expected.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// The server is at capacity for this kind of work (the hashing queue is full): try
    /// again after `retry_after_s`. Not logged as an error; it is the limit working.
    #[error("busy; retry after {retry_after_s} s")]
    Busy { retry_after_s: u64 },
    #[error("temporarily unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        // sqlx's messages name tables and constraints, never values: safe to log.
        ApiError::Internal(format!("database: {e}"))
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let plain = |error: &'static str, message: &str| Body {
            error,
            message: message.to_owned(),
            field: None,
        };
        let (status, body) = match &self {
            ApiError::NotFound => (StatusCode::NOT_FOUND, plain("not_found", "No such resource.")),
            ApiError::Invalid { field, reason } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Body {
                    error: "invalid",
                    message: reason.clone(),
                    field: Some(field),
                },
            ),
            ApiError::InvalidAt { field, reason } => {
                let body = serde_json::json!({"error": "invalid", "message": reason, "field": field});
                return (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
            }
            ApiError::TooLarge { limit, max, detail } => {
                let body =
                    serde_json::json!({"error": "too_large", "limit": limit, "max": max, "message": detail});
                return (StatusCode::PAYLOAD_TOO_LARGE, Json(body)).into_response();
            }
            ApiError::Unauthorized(message) => (StatusCode::UNAUTHORIZED, plain("unauthorized", message)),
            ApiError::Forbidden(message) => (StatusCode::FORBIDDEN, plain("forbidden", message)),
            ApiError::Conflict { field, reason } => (
                StatusCode::CONFLICT,
                Body {
                    error: "conflict",
                    message: reason.clone(),
                    field: Some(field),
                },
            ),
            ApiError::TooManyRequests { retry_after_s } => {
                let body = plain(
                    "too_many_requests",
                    "Too many attempts. Wait a little and try again.",
                );
                let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
                if let Ok(value) = http::HeaderValue::from_str(&retry_after_s.to_string()) {
                    response.headers_mut().insert(http::header::RETRY_AFTER, value);
                }
                return response;
            }
            ApiError::DailyLimit { max, retry_after_s } => {
                let body = serde_json::json!({
                    "error": "daily_limit",
                    "limit": "messages_per_day",
                    "max": max,
                    "message": format!(
                        "You have sent {max} check-ins to this person in the last 24 hours, the \
                         most there can be. This one was not stored; try again later."
                    ),
                });
                let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
                if let Ok(value) = http::HeaderValue::from_str(&retry_after_s.to_string()) {
                    response.headers_mut().insert(http::header::RETRY_AFTER, value);
                }
                return response;
            }
            ApiError::QuotaExceeded { used, adding, quota } => {
                let body = serde_json::json!({
                    "error": "quota_exceeded",
                    "limit": "quota",
                    "max": quota,
                    "used": used,
                    "message": format!(
                        "This account's backup is full ({} of {} MiB used). Nothing of this \
                         change was stored; it is still on the phone. Delete old entries or \
                         export and start afresh.",
                        (used + adding).min(*quota) / (1024 * 1024),
                        quota / (1024 * 1024)
                    ),
                });
                return (StatusCode::PAYLOAD_TOO_LARGE, Json(body)).into_response();
            }
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                plain("unsupported_media_type", "Send the body as application/json."),
            ),
            ApiError::Busy { retry_after_s } => {
                let body = plain("busy", "The server is busy. Try again in a moment.");
                let mut response = (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
                if let Ok(value) = http::HeaderValue::from_str(&retry_after_s.to_string()) {
                    response.headers_mut().insert(http::header::RETRY_AFTER, value);
                }
                return response;
            }
            ApiError::Unavailable(cause) => {
                tracing::error!(%cause, "unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    plain("unavailable", "Try again shortly."),
                )
            }
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    plain("internal", "Something went wrong on the server."),
                )
            }
        };
        (status, Json(body)).into_response()
    }
}

/// A JSON request body whose rejection is an [`ApiError`] like every other, not axum's
/// plain-text answer: too large 413, not `application/json` 415, wrong shape 422.
pub struct ApiJson<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge {
                    limit: "body_bytes",
                    max: super::MAX_SMALL_BODY_BYTES,
                    detail: format!(
                        "this request's body is at most {} bytes",
                        super::MAX_SMALL_BODY_BYTES
                    ),
                },
                StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
                _ => ApiError::InvalidAt {
                    field: "body".to_owned(),
                    reason: rejection.body_text(),
                },
            }),
        }
    }
}

/// Unknown paths under `/api` answer in JSON, not with the HTML 404 page.
pub async fn api_not_found() -> ApiError {
    ApiError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;

    async fn body_of(err: ApiError) -> (StatusCode, serde_json::Value) {
        let response = err.into_response();
        let status = response.status();
        let bytes = to_bytes(response.into_body(), 4096).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn client_errors_name_the_field() {
        let (status, body) = body_of(ApiError::Invalid {
            field: "text",
            reason: "too long".into(),
        })
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["field"], "text");
        assert_eq!(body["message"], "too long");
    }

    #[tokio::test]
    async fn server_errors_do_not_leak_the_cause() {
        let (status, body) = body_of(ApiError::Internal("db password is hunter2".into())).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!body.to_string().contains("hunter2"));
        let (status, body) = body_of(ApiError::Unavailable("disk /secret full".into())).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(!body.to_string().contains("secret"));
    }
}
