//! Web Push: waking the other phone when a check-in arrives.
//!
//! - **Keys.** The server's VAPID key pair (P-256) is made at the first start and kept in
//!   `vapid.key` in the data directory (readable by the server's user only), like
//!   `crate::secret`. Several server processes on one PostgreSQL need the same file.
//! - **Encryption** is RFC 8291 (`aes128gcm`) by the pure-Rust `web-push-native`; the VAPID
//!   JWT (RFC 8292) is signed here, so its audience is the endpoint's whole origin (port
//!   included, which the crate leaves out).
//! - **What it says.** Always the same generic payload ([`PAYLOAD`], "Ny melding i Tillit"):
//!   no name, no content, no health word ever reaches a lock screen or a push service.
//!   "Kontakt meg" is sent with `Urgency: high`.
//! - **Never in the way.** [`Pusher::notify`] spawns the sending and returns at once; each
//!   request has a timeout; a failure is logged as a status and a count, never an endpoint
//!   or a user. An endpoint the push service says is gone (404, 410) is deleted.
//! - **Where to.** A push service on the internet over `https://`, never a local or private
//!   address, checked when a browser subscribes and again, through the client's own
//!   resolver, at every send (`destination`).

use crate::accounts::now_ms;
use crate::db::Db;
use crate::error::StartupError;
use crate::http::error::ApiError;
use base64ct::{Base64UrlUnpadded, Encoding};
use sqlx::Row;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use web_push_native::jwt_simple::prelude::{
    Claims, ECDSAP256KeyPairLike, ECDSAP256PublicKeyLike, ES256KeyPair,
};
use web_push_native::{p256, Auth, WebPushBuilder};

pub mod destination;
use destination::{check_endpoint, Destinations, PublicOnly};

pub const KEY_FILE: &str = "vapid.key";
/// What every push says (the service worker shows it as it is).
pub const PAYLOAD: &str = r#"{"title":"Ny melding i Tillit","url":"/innsjekk"}"#;
/// What a reminder says ("minn meg på å sjekke inn"): generic too.
pub const REMINDER_PAYLOAD: &str = r#"{"title":"Påminnelse fra Tillit","url":"/innsjekk"}"#;
/// Who runs this server, for push services that need to reach the operator.
pub const CONTACT: &str = "mailto:drift@tillit.invalid";
/// How long one push request may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a push service should keep a push for a phone that is off (seconds).
pub const TTL_S: u64 = 24 * 3600;
/// The most push subscriptions (browsers) one account may have.
pub const MAX_SUBSCRIPTIONS: i64 = 10;
const MAX_ENDPOINT_BYTES: usize = 2048;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Urgency {
    Normal,
    /// "Kontakt meg".
    High,
}

/// The key pair, the database and an HTTP client: what sending needs.
pub struct Pusher {
    keys: ES256KeyPair,
    db: Db,
    client: reqwest::Client,
    destinations: Destinations,
}

impl std::fmt::Debug for Pusher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pusher(…)")
    }
}

impl Pusher {
    /// Reads the key pair from `data_dir`, making it first if there is none.
    pub fn load_or_create(data_dir: &Path, db: Db, allow_loopback: bool) -> Result<Pusher, StartupError> {
        let path = data_dir.join(KEY_FILE);
        let failed = |source: std::io::Error| StartupError::DataDir {
            path: path.clone(),
            source,
        };
        let keys = match std::fs::read_to_string(&path) {
            Ok(text) => hex::decode(text.trim())
                .ok()
                .and_then(|bytes| ES256KeyPair::from_bytes(&bytes).ok())
                .ok_or_else(|| {
                    StartupError::Config(format!(
                        "{} is not a Tillit push key; restore it from a backup or remove it \
                         (phones then subscribe again)",
                        path.display()
                    ))
                })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let keys = ES256KeyPair::generate();
                crate::secret::write_private(&path, &hex::encode(keys.to_bytes())).map_err(&failed)?;
                keys
            }
            Err(e) => return Err(failed(e)),
        };
        let destinations = Destinations { allow_loopback };
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            // A redirect or a proxy would take the request where `destination` never looked.
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(PublicOnly::shared(destinations))
            .build()
            .map_err(|e| StartupError::Config(format!("cannot make the push client: {e}")))?;
        Ok(Pusher {
            keys,
            db,
            client,
            destinations,
        })
    }

    /// The public key as browsers take it (`applicationServerKey`): the uncompressed point,
    /// base64url without padding.
    pub fn public_key(&self) -> String {
        Base64UrlUnpadded::encode_string(&self.keys.public_key().public_key().to_bytes_uncompressed())
    }

    /// Wakes every browser `user_id` subscribed, in the background. Returns at once.
    pub fn notify(self: &Arc<Self>, user_id: Option<&str>, urgency: Urgency) {
        self.notify_with(user_id, urgency, PAYLOAD);
    }

    /// [`Pusher::notify`] with another of the generic payloads.
    pub fn notify_with(self: &Arc<Self>, user_id: Option<&str>, urgency: Urgency, payload: &'static str) {
        let Some(user_id) = user_id.map(str::to_owned) else {
            return;
        };
        let pusher = Arc::clone(self);
        tokio::spawn(async move {
            let sending = pusher.send_all(&user_id, urgency, payload);
            match tokio::time::timeout(TIMEOUT * 2, sending).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "push failed"),
                Err(_) => tracing::warn!("push timed out"),
            }
        });
    }

    async fn send_all(&self, user_id: &str, urgency: Urgency, payload: &str) -> Result<(), ApiError> {
        let rows = sqlx::query("SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(self.db.pool())
            .await?;
        for row in rows {
            let endpoint: String = row.try_get("endpoint")?;
            let p256dh: String = row.try_get("p256dh")?;
            let auth: String = row.try_get("auth")?;
            match self.send_one(&endpoint, &p256dh, &auth, urgency, payload).await {
                Ok(status) if status == 404 || status == 410 => {
                    // The browser unsubscribed or the push service forgot it.
                    sqlx::query("DELETE FROM push_subscriptions WHERE endpoint = $1")
                        .bind(&endpoint)
                        .execute(self.db.pool())
                        .await?;
                }
                Ok(status) if (200..300).contains(&status) => {}
                Ok(status) => tracing::warn!(status, "push refused"),
                Err(reason) => tracing::warn!(reason, "push not sent"),
            }
        }
        Ok(())
    }

    /// Encrypts `payload` for one subscription and posts it; the push service's status.
    async fn send_one(
        &self,
        endpoint: &str,
        p256dh: &str,
        auth: &str,
        urgency: Urgency,
        payload: &str,
    ) -> Result<u16, &'static str> {
        let request = self.request(endpoint, p256dh, auth, urgency, payload)?;
        // Again at every send: an address in the URL skips the resolver.
        check_endpoint(request.uri(), self.destinations).await?;
        let (parts, body) = request.into_parts();
        let mut outgoing = self.client.post(parts.uri.to_string()).body(body);
        for (name, value) in &parts.headers {
            outgoing = outgoing.header(name, value);
        }
        let response = outgoing
            .send()
            .await
            .map_err(|_| "no answer from the push service")?;
        Ok(response.status().as_u16())
    }

    /// The encrypted, signed request (RFC 8030 / 8291 / 8292) for one subscription.
    pub fn request(
        &self,
        endpoint: &str,
        p256dh: &str,
        auth: &str,
        urgency: Urgency,
        payload: &str,
    ) -> Result<http::Request<Vec<u8>>, &'static str> {
        let uri: http::Uri = endpoint.parse().map_err(|_| "a stored endpoint is not a URL")?;
        let public = Base64UrlUnpadded::decode_vec(p256dh)
            .ok()
            .and_then(|b| p256::PublicKey::from_sec1_bytes(&b).ok())
            .ok_or("a stored key is not a P-256 point")?;
        let auth = Base64UrlUnpadded::decode_vec(auth)
            .ok()
            .filter(|b| b.len() == 16)
            .ok_or("a stored auth secret is not 16 bytes")?;
        let mut request = WebPushBuilder::new(uri.clone(), public, Auth::clone_from_slice(&auth))
            .with_valid_duration(Duration::from_secs(TTL_S))
            .build(payload)
            .map_err(|_| "encryption failed")?;
        let audience = origin(&uri).ok_or("an endpoint without an origin")?;
        let claims = Claims::create(web_push_native::jwt_simple::prelude::Duration::from_hours(12))
            .with_audience(audience)
            .with_subject(CONTACT);
        let token = self.keys.sign(claims).map_err(|_| "signing failed")?;
        let authorization = format!("vapid t={token}, k={}", self.public_key());
        let headers = request.headers_mut();
        headers.insert(
            http::header::AUTHORIZATION,
            http::HeaderValue::from_str(&authorization).map_err(|_| "a bad header")?,
        );
        let urgency = match urgency {
            Urgency::High => "high",
            Urgency::Normal => "normal",
        };
        headers.insert("urgency", http::HeaderValue::from_static(urgency));
        Ok(request)
    }

    /// Keeps a browser's subscription for the user (again: updated, not doubled).
    pub async fn subscribe(
        &self,
        user_id: &str,
        endpoint: &str,
        p256dh: &str,
        auth: &str,
    ) -> Result<(), ApiError> {
        let invalid = |field: &'static str, reason: &str| ApiError::Invalid {
            field,
            reason: reason.to_owned(),
        };
        let uri: http::Uri = endpoint
            .parse()
            .ok()
            .filter(|_| endpoint.len() <= MAX_ENDPOINT_BYTES)
            .ok_or_else(|| invalid("endpoint", "The endpoint is the push service's URL."))?;
        check_endpoint(&uri, self.destinations)
            .await
            .map_err(|reason| invalid("endpoint", reason))?;
        let point_ok = Base64UrlUnpadded::decode_vec(p256dh)
            .ok()
            .is_some_and(|b| p256::PublicKey::from_sec1_bytes(&b).is_ok());
        if !point_ok {
            return Err(invalid("keys.p256dh", "Not a P-256 public key (base64url)."));
        }
        if Base64UrlUnpadded::decode_vec(auth).map(|b| b.len()) != Ok(16) {
            return Err(invalid("keys.auth", "The auth secret is 16 bytes (base64url)."));
        }
        let _turn = self.db.write_turn().await;
        let mut tx = self.db.pool().begin().await?;
        // The write first (see `checkins::send`): then count the others.
        sqlx::query("DELETE FROM push_subscriptions WHERE endpoint = $1")
            .bind(endpoint)
            .execute(&mut *tx)
            .await?;
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM push_subscriptions WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
        if count >= MAX_SUBSCRIPTIONS {
            // The oldest browser gives way: a person changes phones more often than they
            // clean up subscriptions.
            sqlx::query(
                "DELETE FROM push_subscriptions WHERE endpoint IN (SELECT endpoint FROM \
                 push_subscriptions WHERE user_id = $1 ORDER BY created_ms LIMIT 1)",
            )
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, created_ms) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(endpoint)
        .bind(user_id)
        .bind(p256dh)
        .bind(auth)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets one of the user's subscriptions (someone else's: nothing happens).
    pub async fn unsubscribe(&self, user_id: &str, endpoint: &str) -> Result<(), ApiError> {
        let _turn = self.db.write_turn().await;
        sqlx::query("DELETE FROM push_subscriptions WHERE endpoint = $1 AND user_id = $2")
            .bind(endpoint)
            .bind(user_id)
            .execute(self.db.pool())
            .await?;
        Ok(())
    }
}

/// `scheme://host[:port]` of a URL (the VAPID audience).
fn origin(uri: &http::Uri) -> Option<String> {
    let scheme = uri.scheme_str()?;
    let host = uri.host()?;
    Some(match uri.port_u16() {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audience_is_the_whole_origin() {
        let uri: http::Uri = "http://127.0.0.1:4567/push/abc".parse().unwrap();
        assert_eq!(origin(&uri).as_deref(), Some("http://127.0.0.1:4567"));
        let uri: http::Uri = "https://fcm.googleapis.com/fcm/send/x".parse().unwrap();
        assert_eq!(origin(&uri).as_deref(), Some("https://fcm.googleapis.com"));
    }

    #[test]
    fn the_payload_says_nothing_personal() {
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(PAYLOAD).unwrap()["title"],
            "Ny melding i Tillit"
        );
    }
}
