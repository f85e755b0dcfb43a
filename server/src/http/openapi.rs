//! `GET /api/v1/openapi.json`: the HTTP API described in OpenAPI 3.1 (`server/api/openapi.json`),
//! so external tools can test it. Written by hand and kept true by `tests/api/openapi.rs`:
//! every documented operation exists and answers only with documented statuses, and the
//! documented limits are the server's constants.

use axum::http::header;
use axum::response::IntoResponse;

pub const DOCUMENT: &str = include_str!("../../api/openapi.json");

pub async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT)
}
