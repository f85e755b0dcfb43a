//! The account API (`/api/v1/…`): create an account, log in and out (here or everywhere),
//! who am I, change the passphrase, delete the account. The rules live in
//! [`crate::accounts`]; here are the HTTP shapes, the session cookie and the [`Session`]
//! extractor every signed-in endpoint takes.

use super::client_addr::ClientAddr;
use super::error::{ApiError, ApiJson};
use super::headers::plain_localhost;
use super::AppState;
use crate::accounts::{self, User, Username, WRONG_LOGIN};
use crate::throttle::{self, Limit};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// The session cookie's name on plain-HTTP localhost (development, tests).
pub const COOKIE: &str = "tillit_session";
/// Its name everywhere else: the `__Host-` prefix makes the browser refuse it unless it is
/// `Secure`, has `Path=/` and no `Domain`, so no other host (a sibling subdomain) can set
/// or shadow it.
pub const SECURE_COOKIE: &str = "__Host-tillit_session";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/accounts", post(create_account))
        .route("/v1/session", post(log_in).delete(log_out))
        .route("/v1/sessions", delete(log_out_everywhere))
        .route("/v1/account", get(who_am_i).delete(delete_account))
        .route("/v1/account/passphrase", put(change_passphrase))
}

/// A signed-in request: the user and the token it came with.
pub struct Session {
    pub user: User,
    token: String,
}

/// The session token, if the request carries exactly one session cookie that looks like a
/// token. Two (under either name) is no session: a cookie planted beside the real one must
/// not decide which account a request acts as.
fn cookie_token(headers: &HeaderMap) -> Option<String> {
    let mut tokens = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(name, _)| *name == COOKIE || *name == SECURE_COOKIE)
        .map(|(_, token)| token);
    let token = tokens.next()?;
    if tokens.next().is_some() {
        return None;
    }
    Some(token.to_owned()).filter(|token| token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = cookie_token(&parts.headers).ok_or(ApiError::Unauthorized("Not logged in."))?;
        let user = accounts::session_user(&state.db, &token)
            .await?
            .ok_or(ApiError::Unauthorized("Not logged in."))?;
        Ok(Session { user, token })
    }
}

fn session_cookie(headers: &HeaderMap, token: &str, max_age_s: i64) -> HeaderValue {
    let cookie = if plain_localhost(headers) {
        format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}")
    } else {
        format!("{SECURE_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}; Secure")
    };
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn with_cookie(status: StatusCode, body: Option<AccountView>, cookie: HeaderValue) -> Response {
    let mut response = match body {
        Some(body) => (status, Json(body)).into_response(),
        None => status.into_response(),
    };
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    response
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    username: String,
    passphrase: String,
}

#[derive(Serialize)]
pub struct AccountView {
    id: String,
    username: String,
}

impl From<User> for AccountView {
    fn from(user: User) -> Self {
        AccountView {
            id: user.id,
            username: user.username,
        }
    }
}

/// Sign-up. Checked before any work; then a place in the hashing queue (503 at once when
/// full: no database work for a refused request), then the per-address sign-up throttle
/// (429), then the hash.
async fn create_account(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    ApiJson(input): ApiJson<Credentials>,
) -> Result<Response, ApiError> {
    let username = Username::parse(&input.username)?;
    accounts::check_new_passphrase(&input.passphrase, "passphrase")?;
    // Every sign-up counts, made or not: a taken name (409) is what someone enumerating
    // accounts looks for.
    let slot = state.hasher.slot()?;
    let reservation = throttle::reserve(&state.db, &[Limit::signup_address(client)]).await?;
    let hash = match slot.hash(input.passphrase).await {
        Ok(hash) => hash,
        Err(e) => {
            reservation.release(&state.db).await?;
            return Err(e);
        }
    };
    reservation.keep();
    let user = accounts::create_user(&state.db, &username, &hash).await?;
    let token = accounts::create_session(&state.db, &user.id).await?;
    let cookie = session_cookie(&headers, &token, accounts::SESSION_ABSOLUTE_MS / 1000);
    Ok(with_cookie(StatusCode::CREATED, Some(user.into()), cookie))
}

/// Log-in: reserve an attempt for the name and the address, then check the passphrase; a
/// right one gives the attempt back and clears the name's count.
async fn log_in(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    ApiJson(input): ApiJson<Credentials>,
) -> Result<Response, ApiError> {
    let user = check_login(&state, client, &input.username, &input.passphrase).await?;
    // A session from here would skip a clinician's second factor.
    if crate::clinician::is_clinician(&state.db, &user.id).await? {
        return Err(ApiError::Forbidden(crate::clinician::USE_CLINICIAN_LOGIN));
    }
    let token = accounts::create_session(&state.db, &user.id).await?;
    let cookie = session_cookie(&headers, &token, accounts::SESSION_ABSOLUTE_MS / 1000);
    Ok(with_cookie(StatusCode::OK, Some(user.into()), cookie))
}

/// A name and passphrase checked under the login throttles (an attempt reserved for the
/// name and the address first, given back when right): the account, or 401 for a wrong
/// name or passphrase alike. The app's login and the clinicians' use it.
pub(super) async fn check_login(
    state: &AppState,
    client: std::net::IpAddr,
    username: &str,
    passphrase: &str,
) -> Result<User, ApiError> {
    // A name that cannot exist is a wrong login like any other, not a validation error; it
    // is counted against the address only, so it never becomes a stored key.
    let username = Username::parse(username).ok();
    let mut limits = Vec::with_capacity(2);
    if let Some(username) = &username {
        limits.push(Limit::login_account(username.as_str()));
    }
    limits.push(Limit::login_address(client));
    let slot = state.hasher.slot()?;
    let reservation = throttle::reserve(&state.db, &limits).await?;
    let found = match &username {
        Some(username) => accounts::find_user(&state.db, username).await?,
        None => None,
    };
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), Some(hash)),
        None => (None, None),
    };
    let passphrase = passphrase.chars().take(accounts::PASSPHRASE_MAX_CHARS).collect();
    let ok = match slot.verify(passphrase, hash).await {
        Ok(ok) => ok,
        Err(e) => {
            reservation.release(&state.db).await?;
            return Err(e);
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        reservation.keep();
        return Err(ApiError::Unauthorized(WRONG_LOGIN));
    };
    reservation.release(&state.db).await?;
    throttle::clear(&state.db, &throttle::account_key(&user.username)).await?;
    Ok(user)
}

async fn log_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
) -> Result<Response, ApiError> {
    accounts::delete_session(&state.db, &session.token).await?;
    Ok(with_cookie(
        StatusCode::NO_CONTENT,
        None,
        session_cookie(&headers, "", 0),
    ))
}

async fn log_out_everywhere(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
) -> Result<Response, ApiError> {
    accounts::delete_sessions(&state.db, &session.user.id, None).await?;
    Ok(with_cookie(
        StatusCode::NO_CONTENT,
        None,
        session_cookie(&headers, "", 0),
    ))
}

async fn who_am_i(session: Session) -> Json<AccountView> {
    Json(session.user.into())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassphraseChange {
    current: String,
    new: String,
}

/// Checks the current passphrase of a signed-in user: the same throttle, reserved the same
/// way, as a login to that account.
async fn confirm(state: &AppState, session: &Session, passphrase: String) -> Result<(), ApiError> {
    let slot = state.hasher.slot()?;
    let reservation = throttle::reserve(&state.db, &[Limit::login_account(&session.user.username)]).await?;
    let hash = accounts::passphrase_hash_of(&state.db, &session.user.id).await?;
    let passphrase = passphrase.chars().take(accounts::PASSPHRASE_MAX_CHARS).collect();
    match slot.verify(passphrase, hash).await {
        Ok(true) => {
            reservation.release(&state.db).await?;
            throttle::clear(&state.db, &throttle::account_key(&session.user.username)).await
        }
        Ok(false) => {
            reservation.keep();
            Err(ApiError::Unauthorized("The current passphrase is wrong."))
        }
        Err(e) => {
            reservation.release(&state.db).await?;
            Err(e)
        }
    }
}

/// Changes the passphrase and ends every other session (a stolen one included).
async fn change_passphrase(
    State(state): State<AppState>,
    session: Session,
    ApiJson(input): ApiJson<PassphraseChange>,
) -> Result<StatusCode, ApiError> {
    accounts::check_new_passphrase(&input.new, "new")?;
    confirm(&state, &session, input.current).await?;
    let hash = state.hasher.slot()?.hash(input.new).await?;
    accounts::set_passphrase_hash(&state.db, &session.user.id, &hash).await?;
    accounts::delete_sessions(&state.db, &session.user.id, Some(&session.token)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confirmation {
    passphrase: String,
}

/// Deletes the account and all its data, after the passphrase is confirmed.
async fn delete_account(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    ApiJson(input): ApiJson<Confirmation>,
) -> Result<Response, ApiError> {
    confirm(&state, &session, input.passphrase).await?;
    accounts::delete_user(&state.db, &session.user).await?;
    Ok(with_cookie(
        StatusCode::NO_CONTENT,
        None,
        session_cookie(&headers, "", 0),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn the_cookie_is_found_among_others_and_must_look_like_a_token() {
        let token = "a".repeat(64);
        let h = headers(&[("cookie", &format!("theme=dark; {COOKIE}={token}; x=1"))]);
        assert_eq!(cookie_token(&h), Some(token.clone()));
        let h = headers(&[("cookie", &format!("{SECURE_COOKIE}={token}"))]);
        assert_eq!(cookie_token(&h), Some(token.clone()));
        // Two session cookies, in one header or two, under one name or both: no session.
        let two = format!("{COOKIE}={token}; {COOKIE}={}", "b".repeat(64));
        assert_eq!(cookie_token(&headers(&[("cookie", &two)])), None);
        let both = headers(&[
            ("cookie", &format!("{COOKIE}={token}")),
            ("cookie", &format!("{SECURE_COOKIE}={token}")),
        ]);
        assert_eq!(cookie_token(&both), None);
        assert_eq!(
            cookie_token(&headers(&[("cookie", "tillit_session=short")])),
            None
        );
        assert_eq!(cookie_token(&headers(&[])), None);
    }

    #[test]
    fn cookies_are_host_prefixed_and_secure_except_on_plain_localhost() {
        let local = session_cookie(&headers(&[("host", "127.0.0.1:3000")]), "t", 60);
        let local = local.to_str().unwrap();
        assert!(local.starts_with("tillit_session=t;"), "{local}");
        assert!(local.contains("HttpOnly") && local.contains("SameSite=Strict"));
        assert!(!local.contains("Secure"));
        let public = session_cookie(&headers(&[("host", "tillit.example.no")]), "t", 60);
        let public = public.to_str().unwrap();
        assert!(public.starts_with("__Host-tillit_session=t; Path=/;"), "{public}");
        assert!(public.ends_with("; Secure") && !public.contains("Domain"));
        let tricky = session_cookie(&headers(&[("host", "localhost.evil.example")]), "t", 60);
        assert!(tricky.to_str().unwrap().ends_with("; Secure"));
    }
}
