//! The clinician pages (`/behandler…`): server-rendered HTML without the app's wasm, so
//! none of it is in the phone's bundle; each response is `no-store` and the service worker
//! leaves these paths to the network (`public/sw.js`). The rules are in
//! [`crate::clinician`]; the pages' HTML in [`views`] and [`html`].
//!
//! | route | what |
//! | --- | --- |
//! | `GET/POST /behandler/logg-inn` | name and passphrase (throttled like the app's login) |
//! | `GET /behandler/totp`, `POST /behandler/totp` | the code (or a recovery code) |
//! | `POST /behandler/totp/oppsett` | the first code after scanning the QR code: enrolment, recovery codes shown once |
//! | `POST /behandler/logg-ut` | ends the session |
//! | `GET /behandler` | *Mine brukere*, and a form for an invitation code |
//! | `POST /behandler/koder` | accepts an invitation code |
//! | `GET /behandler/brukere/{owner}` | one person's shares, read-only, with *Siden sist* |
//! | `POST /behandler/brukere/{owner}/sett` | *Merk som sett* |
//! | `GET /behandler/brukere/{owner}/oppsummering` | the handover summary, for print |
//! | `GET /behandler/stil.css`, `GET /behandler/sprak/{nb,en}` | the stylesheet; the language |
//!
//! Forms post to our own origin only (`origin::same_origin_only`), and the session cookie
//! is `SameSite=Strict`.

pub mod html;
mod views;

use super::client_addr::ClientAddr;
use super::error::ApiError;
use super::headers::plain_localhost;
use super::AppState;
use crate::accounts;
use crate::clinician::{self, seen, totp, ClinicianSession};
use crate::sharing::{self, Share, SharedRecord, Status};
use crate::throttle::{self, Limit};
use app::model::lang::Lang;
use axum::extract::{Path, State};
use axum::http::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use html::T;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The clinician session cookie on plain-HTTP localhost, and everywhere else.
pub const COOKIE_NAME: &str = "tillit_clinician";
pub const SECURE_COOKIE_NAME: &str = "__Host-tillit_clinician";
const LANG_COOKIE: &str = "tillit_behandler_lang";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/behandler", get(list))
        .route("/behandler/logg-inn", get(login_form).post(log_in))
        .route("/behandler/totp", get(code_form).post(second_factor))
        .route("/behandler/totp/oppsett", post(enrol))
        .route("/behandler/logg-ut", post(log_out))
        .route("/behandler/koder", post(accept_code))
        .route("/behandler/brukere/{owner}", get(person))
        .route("/behandler/brukere/{owner}/sett", post(mark_seen))
        .route("/behandler/brukere/{owner}/oppsummering", get(summary))
        .route("/behandler/stil.css", get(stylesheet))
        .route("/behandler/sprak/{lang}", get(language))
        .layer(axum::extract::DefaultBodyLimit::max(super::MAX_SMALL_BODY_BYTES))
        .layer(axum::middleware::from_fn(super::origin::same_origin_only))
}

fn cookies(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
}

/// The page language: bokmål, or English when the clinician chose it (a cookie, set by the
/// language link), like the app, which never guesses from the browser.
fn lang(headers: &HeaderMap) -> T {
    let chosen = cookies(headers)
        .find(|(name, _)| *name == LANG_COOKIE)
        .and_then(|(_, value)| Lang::parse(value));
    T(chosen.unwrap_or_default())
}

/// The token of exactly one clinician cookie that looks like a token.
fn token(headers: &HeaderMap) -> Option<String> {
    let mut tokens = cookies(headers)
        .filter(|(name, _)| *name == COOKIE_NAME || *name == SECURE_COOKIE_NAME)
        .map(|(_, token)| token);
    let token = tokens.next()?;
    if tokens.next().is_some() {
        return None;
    }
    Some(token.to_owned()).filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn session_cookie(headers: &HeaderMap, token: &str, max_age_s: i64) -> HeaderValue {
    let cookie = if plain_localhost(headers) {
        format!("{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}")
    } else {
        format!(
            "{SECURE_COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}; Secure"
        )
    };
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn with_cookie(mut response: Response, cookie: HeaderValue) -> Response {
    response.headers_mut().insert(SET_COOKIE, cookie);
    response
}

/// An error as a page (the API's errors are JSON; these are for people).
fn fail(t: T, error: ApiError) -> Response {
    let (status, text) = match &error {
        ApiError::NotFound => (
            StatusCode::NOT_FOUND,
            t.s(
                "Fant ikke dette, eller du har ikke (lenger) tilgang til det. En deling kan være avsluttet av brukeren.",
                "Not found, or you do not (or no longer) have access. The person may have ended the share.",
            )
            .to_owned(),
        ),
        ApiError::TooManyRequests { .. } => (
            StatusCode::TOO_MANY_REQUESTS,
            t.s(
                "For mange forsøk. Vent et kvarter og prøv igjen.",
                "Too many attempts. Wait a quarter of an hour and try again.",
            )
            .to_owned(),
        ),
        ApiError::Busy { .. } | ApiError::Unavailable(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            t.s("Tjenesten er travel. Prøv igjen om litt.", "The service is busy. Try again shortly.")
                .to_owned(),
        ),
        ApiError::Invalid { reason, .. } | ApiError::InvalidAt { reason, .. } => {
            (StatusCode::UNPROCESSABLE_ENTITY, reason.clone())
        }
        ApiError::Unauthorized(message) | ApiError::Forbidden(message) => {
            (StatusCode::FORBIDDEN, (*message).to_owned())
        }
        ApiError::Internal(cause) => {
            tracing::error!(%cause, "internal error on a clinician page");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                t.s("Noe gikk galt på tjeneren.", "Something went wrong on the server.")
                    .to_owned(),
            )
        }
        other => (StatusCode::BAD_REQUEST, other.to_string()),
    };
    let retry = match error {
        ApiError::TooManyRequests { retry_after_s } | ApiError::Busy { retry_after_s } => Some(retry_after_s),
        _ => None,
    };
    let body = format!(
        "<h1>{}</h1><p role=\"alert\">{}</p><p><a href=\"/behandler\">{}</a></p>",
        t.s("Det gikk ikke", "That did not work"),
        html::esc(&text),
        t.s("Til Mine brukere", "To My people"),
    );
    let mut response = html::page(t, status, t.s("Det gikk ikke", "That did not work"), false, &body);
    if let Some(seconds) = retry.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, seconds);
    }
    response
}

/// The signed-in clinician (second factor given), or where to go instead: the login (no
/// session), the code (passphrase given, code not yet).
async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<ClinicianSession, Response> {
    let t = lang(headers);
    let Some(token) = token(headers) else {
        return Err(see_other("/behandler/logg-inn"));
    };
    match clinician::session(&state.db, &state.limits, &token).await {
        Ok(Some(session)) if session.verified => Ok(session),
        Ok(Some(_)) => Err(see_other("/behandler/totp")),
        Ok(None) => Err(with_cookie(
            see_other("/behandler/logg-inn"),
            session_cookie(headers, "", 0),
        )),
        Err(e) => Err(fail(t, e)),
    }
}

/// A session with the passphrase given and the second factor not yet.
async fn half_signed_in(state: &AppState, headers: &HeaderMap) -> Result<ClinicianSession, Response> {
    let t = lang(headers);
    let Some(token) = token(headers) else {
        return Err(see_other("/behandler/logg-inn"));
    };
    match clinician::session(&state.db, &state.limits, &token).await {
        Ok(Some(session)) if session.verified => Err(see_other("/behandler")),
        Ok(Some(session)) => Ok(session),
        Ok(None) => Err(see_other("/behandler/logg-inn")),
        Err(e) => Err(fail(t, e)),
    }
}

async fn stylesheet() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        html::CSS,
    )
        .into_response()
}

async fn language(Path(code): Path<String>) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/behandler; SameSite=Strict; Max-Age=31536000",
        lang.code()
    );
    with_cookie(
        see_other("/behandler"),
        HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static("")),
    )
}

async fn login_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if signed_in(&state, &headers).await.is_ok() {
        return see_other("/behandler");
    }
    let t = lang(&headers);
    views::login(t, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    passphrase: String,
}

/// Name and passphrase: the same throttles, reserved the same way, as the app's login.
/// Right, for a clinician: a session good only for the second factor.
async fn log_in(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(input): Form<LoginForm>,
) -> Response {
    let t = lang(&headers);
    match check_passphrase(&state, client, &input).await {
        Ok(Some(user_id)) => match clinician::start_session(&state.db, &user_id).await {
            Ok(token) => with_cookie(
                see_other("/behandler/totp"),
                session_cookie(&headers, &token, clinician::PENDING_MS / 1000),
            ),
            Err(e) => fail(t, e),
        },
        Ok(None) => views::login(
            t,
            StatusCode::FORBIDDEN,
            Some(t.s(
                "Denne kontoen er ikke en behandlerkonto. Brukere logger inn i appen; en behandlerkonto settes opp av den som drifter tjenesten.",
                "This account is not a clinician account. Users log in in the app; the service's administrator sets up clinician accounts.",
            )),
        ),
        Err(ApiError::Unauthorized(_)) => views::login(
            t,
            StatusCode::UNAUTHORIZED,
            Some(t.s("Feil brukernavn eller passfrase.", "Wrong username or passphrase.")),
        ),
        Err(e) => fail(t, e),
    }
}

/// `Ok(Some(id))`: a right passphrase of a clinician; `Ok(None)`: right, not a clinician.
async fn check_passphrase(
    state: &AppState,
    client: std::net::IpAddr,
    input: &LoginForm,
) -> Result<Option<String>, ApiError> {
    let user = super::accounts::check_login(state, client, &input.username, &input.passphrase).await?;
    Ok(clinician::is_clinician(&state.db, &user.id)
        .await?
        .then_some(user.id))
}

/// Wrong second-factor codes: per clinician like wrong passphrases per account, and per
/// address with the logins.
fn code_limits(user_id: &str, client: std::net::IpAddr) -> [Limit; 2] {
    [
        Limit {
            key: format!("totp:{user_id}"),
            max: throttle::MAX_FAILURES_PER_ACCOUNT,
            window_ms: throttle::LOGIN_WINDOW_MS,
        },
        Limit::login_address(client),
    ]
}

fn unix_s() -> u64 {
    (accounts::now_ms() / 1000).max(0) as u64
}

/// The code form, or the enrolment (QR code) at the first login.
async fn code_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let t = lang(&headers);
    let session = match half_signed_in(&state, &headers).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    code_page(&state, t, &session, StatusCode::OK, None).await
}

async fn code_page(
    state: &AppState,
    t: T,
    session: &ClinicianSession,
    status: StatusCode,
    error: Option<&str>,
) -> Response {
    let user = &session.clinician;
    if user.enrolled {
        return views::code(t, status, error);
    }
    match totp::pending_secret(&state.db, &state.secret, &user.user_id).await {
        Ok(Some(raw)) => {
            let url = totp::otpauth_url(&user.username, &raw);
            let label = t.s(
                "QR-kode for appen for engangskoder",
                "QR code for the one-time code app",
            );
            match totp::qr_svg(&url, label) {
                Ok(svg) => views::enrol(t, status, &svg, &totp::base32(&raw), error),
                Err(e) => fail(t, e),
            }
        }
        Ok(None) => views::code(t, status, error),
        Err(e) => fail(t, e),
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

/// Runs one throttled second-factor check: reserved first, given back when right.
async fn throttled<F, Fut, R>(
    state: &AppState,
    user_id: &str,
    client: std::net::IpAddr,
    check: F,
) -> Result<Option<R>, ApiError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Option<R>, ApiError>>,
{
    let limits = code_limits(user_id, client);
    let reservation = throttle::reserve(&state.db, &limits).await?;
    match check().await {
        Ok(Some(found)) => {
            reservation.release(&state.db).await?;
            throttle::clear(&state.db, &limits[0].key).await?;
            Ok(Some(found))
        }
        Ok(None) => {
            reservation.keep();
            Ok(None)
        }
        Err(e) => {
            reservation.release(&state.db).await?;
            Err(e)
        }
    }
}

const WRONG_CODE: (&str, &str) = (
    "Feil kode, eller en kode som alt er brukt. Vent på neste kode i appen og prøv igjen.",
    "Wrong code, or a code already used. Wait for the next code in the app and try again.",
);

async fn second_factor(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(input): Form<CodeForm>,
) -> Response {
    take_code(&state, client, &headers, &input.code, false).await
}

/// The first code from the app: enrolment done, the session verified, the recovery codes
/// shown this once.
async fn enrol(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(input): Form<CodeForm>,
) -> Response {
    take_code(&state, client, &headers, &input.code, true).await
}

/// A code at login (`enrolling`: the first, which completes the enrolment): throttled;
/// right, the session may read from now on.
async fn take_code(
    state: &AppState,
    client: std::net::IpAddr,
    headers: &HeaderMap,
    code: &str,
    enrolling: bool,
) -> Response {
    let t = lang(headers);
    let session = match half_signed_in(state, headers).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let user_id = session.clinician.user_id.clone();
    let checked = throttled(state, &user_id, client, || async {
        if enrolling {
            totp::confirm_enrolment(&state.db, &state.secret, &user_id, code, unix_s()).await
        } else {
            let right = totp::check(&state.db, &state.secret, &user_id, code, unix_s()).await?;
            Ok(right.then(Vec::new))
        }
    })
    .await;
    let codes = match checked {
        Ok(Some(codes)) => codes,
        Ok(None) => {
            let wrong = Some(t.s(WRONG_CODE.0, WRONG_CODE.1));
            return code_page(state, t, &session, StatusCode::UNAUTHORIZED, wrong).await;
        }
        Err(e) => return fail(t, e),
    };
    if let Err(e) = clinician::verify_session(&state.db, &session.token_hash).await {
        return fail(t, e);
    }
    let next = if enrolling {
        views::recovery_codes(t, &codes)
    } else {
        see_other("/behandler")
    };
    let token = token(headers).unwrap_or_default();
    with_cookie(
        next,
        session_cookie(headers, &token, state.limits.clinician_max_ms / 1000),
    )
}

async fn log_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = token(&headers) {
        if let Err(e) = clinician::end_session(&state.db, &accounts::token_hash(&token)).await {
            return fail(lang(&headers), e);
        }
    }
    with_cookie(see_other("/behandler/logg-inn"), session_cookie(&headers, "", 0))
}

/// One share as read for a page: its records now, and how they changed since the
/// clinician last marked it seen (`None`: never seen before).
pub struct Read {
    pub share: Share,
    pub records: Vec<SharedRecord>,
    pub snapshot: seen::Snapshot,
    pub seen_ms: Option<i64>,
    pub changes: BTreeMap<String, seen::Change>,
}

/// A person who shares with the clinician, with their live shares, each read through the
/// one access check (`sharing::read`, which writes the person's access log).
pub struct Person {
    pub owner_id: String,
    pub owner: String,
    pub shares: Vec<Read>,
}

/// The live shares the clinician received, of one owner or all, read. `start` makes this
/// view the starting point of *Siden sist* for shares seen for the first time.
async fn read_people(
    state: &AppState,
    clinician_id: &str,
    owner: Option<&str>,
    start: bool,
) -> Result<Vec<Person>, ApiError> {
    let (_, received) = sharing::list(&state.db, clinician_id).await?;
    let now = accounts::now_ms();
    let live: Vec<Share> = received
        .into_iter()
        // Check-in relationships are not in `sharing::list` (a clinician may also be
        // someone's trusted person): only shared records reach the handover view.
        .filter(|s| s.status(now) == Status::Live)
        .collect();
    if owner.is_none() {
        let ids: Vec<String> = live.iter().map(|s| s.id.clone()).collect();
        seen::forget_ended(&state.db, clinician_id, &ids).await?;
    }
    let mut people: Vec<Person> = Vec::new();
    let mut live = live;
    // Oldest share first within a person; people in the order of their newest share.
    live.sort_by_key(|s| s.created_ms);
    for share in live.into_iter().filter(|s| owner.is_none_or(|o| s.owner_id == o)) {
        let (share, records) = match sharing::read(&state.db, clinician_id, &share.id).await {
            Ok(read) => read,
            // Ended between the list and the read: simply not there.
            Err(ApiError::NotFound) => continue,
            Err(e) => return Err(e),
        };
        let snapshot = seen::snapshot(&records);
        let (seen_ms, changes) = match seen::load(&state.db, clinician_id, &share.id).await? {
            Some((at, before)) => (Some(at), seen::diff(&before, &snapshot)),
            None => {
                if start {
                    seen::store(&state.db, clinician_id, &share.id, &snapshot).await?;
                }
                (None, BTreeMap::new())
            }
        };
        let read = Read {
            share,
            records,
            snapshot,
            seen_ms,
            changes,
        };
        match people.iter_mut().find(|p| p.owner_id == read.share.owner_id) {
            Some(person) => person.shares.push(read),
            None => people.push(Person {
                owner_id: read.share.owner_id.clone(),
                owner: read.share.owner.clone(),
                shares: vec![read],
            }),
        }
    }
    Ok(people)
}

async fn list(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let t = lang(&headers);
    let session = match signed_in(&state, &headers).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    match read_people(&state, &session.clinician.user_id, None, false).await {
        Ok(people) => views::list(t, &session.clinician, &people, StatusCode::OK, None),
        Err(e) => fail(t, e),
    }
}

#[derive(Deserialize)]
pub struct InvitationForm {
    code: String,
}

/// An invitation code from a user: the share becomes the clinician's (throttled like the
/// app's, in `sharing::accept`).
async fn accept_code(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(input): Form<InvitationForm>,
) -> Response {
    let t = lang(&headers);
    let session = match signed_in(&state, &headers).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let user_id = &session.clinician.user_id;
    let error = match sharing::accept(&state.db, &state.secret, user_id, client, &input.code).await {
        Ok(share) => return see_other(&format!("/behandler/brukere/{}", share.owner_id)),
        Err(ApiError::NotFound) => (
            StatusCode::NOT_FOUND,
            t.s(
                "Koden finnes ikke, er brukt eller gått ut. Be om en ny kode.",
                "The code does not exist, is used or has expired. Ask for a new one.",
            ),
        ),
        Err(ApiError::Invalid { .. }) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            t.s("Dette er din egen kode.", "This is your own code."),
        ),
        Err(e) => return fail(t, e),
    };
    match read_people(&state, user_id, None, false).await {
        Ok(people) => views::list(t, &session.clinician, &people, error.0, Some(error.1)),
        Err(e) => fail(t, e),
    }
}

#[derive(Deserialize)]
pub struct PersonQuery {
    #[serde(default)]
    endret: Option<String>,
}

async fn person(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(owner): Path<String>,
    query: axum::extract::Query<PersonQuery>,
) -> Response {
    let t = lang(&headers);
    let session = match signed_in(&state, &headers).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    match read_people(&state, &session.clinician.user_id, Some(&owner), true).await {
        Ok(people) => match people.into_iter().next() {
            Some(person) => views::person(t, &person, query.endret.is_some()),
            None => fail(t, ApiError::NotFound),
        },
        Err(e) => fail(t, e),
    }
}

#[derive(Deserialize)]
pub struct SeenForm {
    digest: String,
}

/// *Merk som sett*: what the page showed (its digest) becomes the new starting point. If
/// something changed after the page was drawn, nothing is marked and the page says so.
async fn mark_seen(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(owner): Path<String>,
    Form(input): Form<SeenForm>,
) -> Response {
    let t = lang(&headers);
    let session = match signed_in(&state, &headers).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let clinician_id = &session.clinician.user_id;
    let people = match read_people(&state, clinician_id, Some(&owner), true).await {
        Ok(people) => people,
        Err(e) => return fail(t, e),
    };
    let Some(person) = people.into_iter().next() else {
        return fail(t, ApiError::NotFound);
    };
    if views::digest_of(&person) != input.digest {
        return see_other(&format!("/behandler/brukere/{owner}?endret=1"));
    }
    for read in &person.shares {
        if let Err(e) = seen::store(&state.db, clinician_id, &read.share.id, &read.snapshot).await {
            return fail(t, e);
        }
    }
    see_other(&format!("/behandler/brukere/{owner}"))
}

async fn summary(State(state): State<AppState>, headers: HeaderMap, Path(owner): Path<String>) -> Response {
    let t = lang(&headers);
    let session = match signed_in(&state, &headers).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    match read_people(&state, &session.clinician.user_id, Some(&owner), false).await {
        Ok(people) => match people.into_iter().next() {
            Some(person) => views::summary(t, &person, accounts::now_ms()),
            None => fail(t, ApiError::NotFound),
        },
        Err(e) => fail(t, e),
    }
}
