//! One `fetch` wrapper for the API: JSON in, JSON out, every outcome as data. The session
//! cookie goes along by itself (same origin, `HttpOnly`: this code never sees it).

pub use super::protocol::NetError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How long one request may take before it counts as "no network".
const TIMEOUT_MS: u32 = 20_000;

/// Sends `body` (if any) as JSON with `method` to `path`; an empty answer (204) is `None`.
///
/// Only this wrapper is generic: the request and the parsing of the answer ([`exchange`]) are
/// compiled once, and the answer is read into the type from a `serde_json::Value`
/// ([`crate::model::json`]). Reading each type straight from text compiled serde_json's text
/// parser once per type (and the whole request once per pair of body and answer types); with
/// the rows read the same way (`local::rows::from_js`), 111 KiB of the `later` chunk's code
/// before `wasm-opt`.
pub async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&impl Serialize>,
) -> Result<Option<T>, NetError> {
    let body = match body {
        Some(body) => Some(serde_json::to_string(body).map_err(|e| NetError::Malformed(e.to_string()))?),
        None => None,
    };
    match exchange(method, path, body).await? {
        Some(answer) => crate::model::json::from_value(&answer)
            .map(Some)
            .map_err(|e| NetError::Malformed(e.to_string())),
        None => Ok(None),
    }
}

/// The request itself, with the body already written as JSON text.
async fn exchange(
    method: &str,
    path: &str,
    body: Option<String>,
) -> Result<Option<serde_json::Value>, NetError> {
    let window = web_sys::window().ok_or(NetError::Offline)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(|_| NetError::Offline)?;
    let _ = headers.set("accept", "application/json");
    if let Some(text) = body {
        let _ = headers.set("content-type", "application/json");
        init.set_body(&wasm_bindgen::JsValue::from_str(&text));
    }
    init.set_headers_headers(&headers);
    init.set_signal(Some(&web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS)));
    let response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(|_| NetError::Offline)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| NetError::Offline)?;
    let status = response.status();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .map_err(|_| NetError::Offline)?
            .as_string()
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if !(200..300).contains(&status) {
        let error: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let text_of = |name: &str| error.get(name).and_then(|f| f.as_str()).map(str::to_owned);
        let field = text_of("field");
        let message = error
            .get("message")
            .and_then(|m| m.as_str())
            .unwrap_or_default()
            .chars()
            .take(300)
            .collect();
        return Err(NetError::Status {
            code: status,
            error: text_of("error"),
            message,
            field,
        });
    }
    if text.trim().is_empty() {
        return Ok(None);
    }
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| NetError::Malformed(e.to_string()))
}

/// [`call`] for answers that must have a body.
pub async fn fetch_json<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&impl Serialize>,
) -> Result<T, NetError> {
    call(method, path, body)
        .await?
        .ok_or_else(|| NetError::Malformed("empty answer".to_owned()))
}

/// No body to send.
pub const NO_BODY: Option<&()> = None;
