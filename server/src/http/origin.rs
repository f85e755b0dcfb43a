//! Cross-site request protection for the API. The session cookie is `SameSite=Strict`, so a
//! browser does not send it with another site's requests; on top of that, a state-changing
//! request (anything but GET, HEAD, OPTIONS) is refused when the browser says it comes from
//! elsewhere: an `Origin` whose host is not ours, or `Sec-Fetch-Site` other than
//! `same-origin` / `none`. Non-browser clients send neither and are not a cross-site risk.

use super::error::ApiError;
use axum::extract::Request;
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

fn cross_site(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    // Our pages are `Referrer-Policy: no-referrer`, so a browser posts their forms (the
    // clinician pages) with `Origin: null`; it still says `Sec-Fetch-Site: same-origin`,
    // which no page can forge, and which a sandboxed or foreign page never gets.
    let null_but_same_origin =
        headers.get(header::ORIGIN).is_some_and(|o| o == "null") && fetch_site == Some("same-origin");
    if let Some(origin) = headers.get(header::ORIGIN).filter(|_| !null_but_same_origin) {
        let origin_host = origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .map(|(_, rest)| rest.trim_end_matches('/'));
        if origin_host.is_none() || origin_host != host {
            return true;
        }
    }
    match fetch_site {
        Some("same-origin" | "none") | None => false,
        Some(_) => true,
    }
}

pub async fn same_origin_only(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && cross_site(request.headers()) {
        return ApiError::Forbidden("Cross-site requests are not accepted.").into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn only_requests_from_our_own_origin_pass() {
        assert!(!cross_site(&headers(&[("host", "127.0.0.1:3000")])));
        assert!(!cross_site(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000")
        ])));
        assert!(cross_site(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "https://evil.example")
        ])));
        assert!(cross_site(&headers(&[("host", "a.no"), ("origin", "null")])));
        assert!(cross_site(&headers(&[
            ("host", "a.no"),
            ("origin", "null"),
            ("sec-fetch-site", "cross-site")
        ])));
        // A form on our own no-referrer page.
        assert!(!cross_site(&headers(&[
            ("host", "a.no"),
            ("origin", "null"),
            ("sec-fetch-site", "same-origin")
        ])));
        assert!(cross_site(&headers(&[
            ("host", "a.no"),
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(cross_site(&headers(&[
            ("host", "a.no"),
            ("sec-fetch-site", "same-site")
        ])));
        assert!(!cross_site(&headers(&[
            ("host", "a.no"),
            ("sec-fetch-site", "same-origin")
        ])));
    }
}
