//! Headers on every response: security headers, caching rules and a request log that never
//! carries personal data.

use axum::extract::{MatchedPath, Request};
use axum::http::header::{
    HeaderName, HeaderValue, CACHE_CONTROL, CONTENT_SECURITY_POLICY, HOST, STRICT_TRANSPORT_SECURITY,
};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::TraceLayer;

/// A strict policy for everything that is not a page (pages set their own, with a nonce).
const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// HTTPS only, for a year, once a browser has seen it over HTTPS (browsers ignore it on
/// plain HTTP, and it is not sent on plain localhost at all).
const HSTS: &str = "max-age=31536000";

const SECURITY_HEADERS: [(&str, &str); 6] = [
    // Other sites may not embed our answers (an API reply in an <img> or <script>).
    ("cross-origin-resource-policy", "same-origin"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
];

/// How long a response may be cached, decided by what it is.
#[derive(Debug, PartialEq, Eq)]
pub enum CachePolicy {
    /// Content-hashed build files: the name changes when the content does.
    Immutable,
    /// Pages, the worker, the manifest, icons: always revalidate, so a deployment shows.
    Revalidate,
    /// API answers may carry health data: never stored.
    NoStore,
}

impl CachePolicy {
    pub fn for_path(path: &str) -> CachePolicy {
        // The clinician pages carry user data: never stored anywhere.
        let clinician = path == "/behandler" || path.starts_with("/behandler/");
        if path.starts_with("/api/") || path == "/api" || path == "/healthz" || clinician {
            CachePolicy::NoStore
        } else if path.starts_with("/pkg/") {
            CachePolicy::Immutable
        } else {
            CachePolicy::Revalidate
        }
    }

    fn header(&self) -> HeaderValue {
        HeaderValue::from_static(match self {
            CachePolicy::Immutable => "public, max-age=31536000, immutable",
            CachePolicy::Revalidate => "no-cache",
            CachePolicy::NoStore => "no-store",
        })
    }
}

/// Middleware: security headers and the caching rule on every response.
pub async fn apply(request: Request, next: Next) -> Response {
    let mut policy = CachePolicy::for_path(request.uri().path());
    let https = !plain_localhost(request.headers());
    let mut response = next.run(request).await;
    // A missing hashed file must not be remembered as missing for a year.
    if policy == CachePolicy::Immutable && !response.status().is_success() {
        policy = CachePolicy::Revalidate;
    }
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, policy.header());
    for (name, value) in SECURITY_HEADERS {
        headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
    if https {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    headers
        .entry(CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(DEFAULT_CSP));
    response
}

/// Whether the request came to a loopback host (over plain HTTP, as in development and the
/// tests). Everywhere else the server is assumed to be reached over HTTPS (directly or
/// through a proxy that ends TLS): the session cookie is `__Host-` and `Secure`, and HSTS is
/// sent.
pub fn plain_localhost(headers: &HeaderMap) -> bool {
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let name = host.rsplit_once(':').map_or(host, |(name, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            name
        } else {
            host
        }
    });
    matches!(name, "localhost" | "127.0.0.1" | "[::1]")
}

/// Logs method, route pattern (never the raw path, which may one day carry an id), status
/// and latency.
pub fn trace_layer(
) -> TraceLayer<SharedClassifier<ServerErrorsAsFailures>, impl Fn(&Request) -> tracing::Span + Clone> {
    TraceLayer::new_for_http().make_span_with(|request: &Request| {
        let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
        tracing::info_span!("request", method = %request.method(), route = route.as_deref().unwrap_or("<static or page>"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_files_are_immutable_and_api_is_never_stored() {
        assert_eq!(
            CachePolicy::for_path("/pkg/tillit.abc.wasm"),
            CachePolicy::Immutable
        );
        assert_eq!(CachePolicy::for_path("/api/v1/sync"), CachePolicy::NoStore);
        assert_eq!(CachePolicy::for_path("/healthz"), CachePolicy::NoStore);
        assert_eq!(CachePolicy::for_path("/sw.js"), CachePolicy::Revalidate);
        assert_eq!(CachePolicy::for_path("/"), CachePolicy::Revalidate);
        assert_eq!(CachePolicy::for_path("/apiary"), CachePolicy::Revalidate);
        assert_eq!(
            CachePolicy::for_path("/behandler/brukere/x"),
            CachePolicy::NoStore
        );
    }
}
