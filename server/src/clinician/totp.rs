//! The clinician's second factor: TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps,
//! the step before and after accepted) and one-time recovery codes.
//!
//! - The TOTP secret (20 random bytes) is stored encrypted under the server's secret: XOR
//!   with HMAC-SHA256(server secret, "totp:" user id ":" nonce), a fresh nonce each time, so a
//!   copy of the database alone makes no codes.
//! - A code is accepted for one step only once, and never for a step older than the last
//!   accepted: the step is stored in the same UPDATE that accepts it (`totp_last_step <
//!   step`), so two requests racing with one code cannot both win.
//! - Recovery codes (ten, `xxxx-xxxx-xxxx`) are shown once and stored as an HMAC; each works
//!   once.
//! - The QR code is drawn on the server as SVG (the `qrcode` crate): nothing leaves for a
//!   third-party service.

use crate::db::Db;
use crate::http::error::ApiError;
use crate::secret::Secret;
use sqlx::Row;
use totp_rs::{Algorithm, TOTP};

pub const DIGITS: usize = 6;
pub const STEP_S: u64 = 30;
const SECRET_BYTES: usize = 20;
pub const RECOVERY_CODES: usize = 10;
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
const RECOVERY_CHARS: usize = 12;
/// The issuer an authenticator app shows.
pub const ISSUER: &str = "Tillit";

fn random<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
    Ok(bytes)
}

fn keystream(secret: &Secret, user_id: &str, nonce: &[u8]) -> Vec<u8> {
    let message = format!("totp:{user_id}:{}", hex::encode(nonce));
    hex::decode(secret.hmac_hex(message.as_bytes())).unwrap_or_default()
}

/// `nonce:ciphertext`, hex.
fn seal(secret: &Secret, user_id: &str, raw: &[u8]) -> Result<String, ApiError> {
    let nonce = random::<16>()?;
    let stream = keystream(secret, user_id, &nonce);
    let sealed: Vec<u8> = raw.iter().zip(stream).map(|(a, b)| a ^ b).collect();
    Ok(format!("{}:{}", hex::encode(nonce), hex::encode(sealed)))
}

fn open(secret: &Secret, user_id: &str, sealed: &str) -> Option<Vec<u8>> {
    let (nonce, body) = sealed.split_once(':')?;
    let nonce = hex::decode(nonce).ok()?;
    let body = hex::decode(body).ok()?;
    let stream = keystream(secret, user_id, &nonce);
    (body.len() == SECRET_BYTES).then(|| body.iter().zip(stream).map(|(a, b)| a ^ b).collect())
}

fn totp(raw: Vec<u8>) -> TOTP {
    TOTP::new_unchecked(Algorithm::SHA1, DIGITS, 1, STEP_S, raw)
}

/// The code for a time (Unix seconds): for tests and for the enrolment page's own check.
pub fn code_at(raw: &[u8], unix_s: u64) -> String {
    totp(raw.to_vec()).generate(unix_s)
}

/// The step (of the current one, the one before and the one after) that `code` is right
/// for, compared in constant time.
pub fn matching_step(raw: &[u8], code: &str, unix_s: u64) -> Option<u64> {
    let code = code.trim();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = unix_s / STEP_S;
    let generator = totp(raw.to_vec());
    let mut found = None;
    for step in [now.saturating_sub(1), now, now + 1] {
        let expected = generator.generate(step * STEP_S);
        let differs = expected
            .bytes()
            .zip(code.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if differs == 0 {
            found = Some(step);
        }
    }
    found
}

pub fn base32(raw: &[u8]) -> String {
    totp(raw.to_vec()).get_secret_base32()
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(username: &str, raw: &[u8]) -> String {
    let label: String = username
        .chars()
        .map(|c| match c {
            '@' => "%40".to_owned(),
            '+' => "%2B".to_owned(),
            c => c.to_string(),
        })
        .collect();
    format!(
        "otpauth://totp/{ISSUER}:{label}?secret={}&issuer={ISSUER}&algorithm=SHA1&digits={DIGITS}&period={STEP_S}",
        base32(raw)
    )
}

/// The QR code of `text` as an SVG element, for the page itself (no XML declaration).
pub fn qr_svg(text: &str, label: &str) -> Result<String, ApiError> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(|e| ApiError::Internal(format!("qr: {e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    let start = svg.find("<svg").unwrap_or(0);
    Ok(svg[start..].replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\" ",
            crate::http::clinician::html::esc(label)
        ),
        1,
    ))
}

/// A recovery code as typed, normalised (lowercase, no dashes or spaces), if it can be one.
fn normalize_recovery(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (code.len() == RECOVERY_CHARS && code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))).then_some(code)
}

fn recovery_hash(secret: &Secret, user_id: &str, code: &str) -> String {
    secret.hmac_hex(format!("recovery:{user_id}:{code}").as_bytes())
}

fn new_recovery_code() -> Result<String, ApiError> {
    let bytes = random::<RECOVERY_CHARS>()?;
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| RECOVERY_ALPHABET[*b as usize % RECOVERY_ALPHABET.len()] as char)
        .collect();
    Ok(chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// The secret being enrolled: the one already pending (a reload shows the same QR code),
/// or a new one. `None` when the clinician is already enrolled.
pub async fn pending_secret(db: &Db, secret: &Secret, user_id: &str) -> Result<Option<Vec<u8>>, ApiError> {
    let row = sqlx::query("SELECT totp_secret, totp_pending FROM clinicians WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(ApiError::NotFound)?;
    let enrolled: Option<String> = row.try_get("totp_secret")?;
    if enrolled.is_some() {
        return Ok(None);
    }
    let pending: Option<String> = row.try_get("totp_pending")?;
    if let Some(raw) = pending.and_then(|p| open(secret, user_id, &p)) {
        return Ok(Some(raw));
    }
    let raw = random::<SECRET_BYTES>()?.to_vec();
    sqlx::query("UPDATE clinicians SET totp_pending = $1 WHERE user_id = $2 AND totp_secret IS NULL")
        .bind(seal(secret, user_id, &raw)?)
        .bind(user_id)
        .execute(db.pool())
        .await?;
    Ok(Some(raw))
}

/// Completes enrolment when `code` is right for the pending secret: the secret becomes the
/// clinician's, and ten new recovery codes are made and returned (to be shown this once).
/// `None`: a wrong code (or nothing pending).
pub async fn confirm_enrolment(
    db: &Db,
    secret: &Secret,
    user_id: &str,
    code: &str,
    unix_s: u64,
) -> Result<Option<Vec<String>>, ApiError> {
    let pending: Option<String> =
        sqlx::query_scalar("SELECT totp_pending FROM clinicians WHERE user_id = $1 AND totp_secret IS NULL")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?
            .flatten();
    let Some(sealed) = pending else {
        return Ok(None);
    };
    let Some(raw) = open(secret, user_id, &sealed) else {
        return Ok(None);
    };
    let Some(step) = matching_step(&raw, code, unix_s) else {
        return Ok(None);
    };
    let codes = (0..RECOVERY_CODES)
        .map(|_| new_recovery_code())
        .collect::<Result<Vec<_>, _>>()?;
    let _turn = db.write_turn().await;
    let mut tx = db.pool().begin().await?;
    let done = sqlx::query(
        "UPDATE clinicians SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $1 \
         WHERE user_id = $2 AND totp_secret IS NULL AND totp_pending = $3",
    )
    .bind(step as i64)
    .bind(user_id)
    .bind(&sealed)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    sqlx::query("DELETE FROM clinician_recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    for code in &codes {
        let hash = recovery_hash(secret, user_id, &normalize_recovery(code).unwrap_or_default());
        sqlx::query("INSERT INTO clinician_recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Some(codes))
}

/// Checks a code at login: a TOTP code for a step newer than the last accepted, or an
/// unused recovery code. A right one is used up at once.
pub async fn check(
    db: &Db,
    secret: &Secret,
    user_id: &str,
    code: &str,
    unix_s: u64,
) -> Result<bool, ApiError> {
    if let Some(recovery) = normalize_recovery(code) {
        let _turn = db.write_turn().await;
        let done = sqlx::query(
            "UPDATE clinician_recovery_codes SET used_ms = $1 WHERE user_id = $2 AND code_hash = $3 AND used_ms IS NULL",
        )
        .bind(crate::accounts::now_ms())
        .bind(user_id)
        .bind(recovery_hash(secret, user_id, &recovery))
        .execute(db.pool())
        .await?;
        return Ok(done.rows_affected() == 1);
    }
    let sealed: Option<String> = sqlx::query_scalar("SELECT totp_secret FROM clinicians WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(db.pool())
        .await?
        .flatten();
    let Some(raw) = sealed.and_then(|s| open(secret, user_id, &s)) else {
        return Ok(false);
    };
    let Some(step) = matching_step(&raw, code, unix_s) else {
        return Ok(false);
    };
    let _turn = db.write_turn().await;
    let done =
        sqlx::query("UPDATE clinicians SET totp_last_step = $1 WHERE user_id = $2 AND totp_last_step < $3")
            .bind(step as i64)
            .bind(user_id)
            .bind(step as i64)
            .execute(db.pool())
            .await?;
    Ok(done.rows_affected() == 1)
}

/// How many unused recovery codes a clinician has left.
pub async fn recovery_codes_left(db: &Db, user_id: &str) -> Result<i64, ApiError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM clinician_recovery_codes WHERE user_id = $1 AND used_ms IS NULL",
    )
    .bind(user_id)
    .fetch_one(db.pool())
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_sha1_vectors() {
        // RFC 6238, appendix B: the ASCII secret "12345678901234567890", 8 digits there; the
        // last six digits are the 6-digit code.
        let raw = b"12345678901234567890";
        assert_eq!(code_at(raw, 59), "287082");
        assert_eq!(code_at(raw, 1111111109), "081804");
        assert_eq!(code_at(raw, 2000000000), "279037");
    }

    #[test]
    fn one_step_either_way_and_no_further() {
        let raw = b"12345678901234567890";
        let now = 1_111_111_109;
        let step = now / STEP_S;
        assert_eq!(matching_step(raw, &code_at(raw, now), now), Some(step));
        assert_eq!(matching_step(raw, &code_at(raw, now - 30), now), Some(step - 1));
        assert_eq!(matching_step(raw, &code_at(raw, now + 30), now), Some(step + 1));
        assert_eq!(matching_step(raw, &code_at(raw, now - 60), now), None);
        assert_eq!(matching_step(raw, "12345", now), None);
        assert_eq!(matching_step(raw, "abcdef", now), None);
    }

    #[test]
    fn secrets_are_sealed_under_the_server_key() {
        let key = Secret::from_bytes([7; 32]);
        let raw = [1u8; SECRET_BYTES];
        let sealed = seal(&key, "u", &raw).unwrap();
        assert!(!sealed.contains(&hex::encode(raw)));
        assert_eq!(open(&key, "u", &sealed).unwrap(), raw);
        assert_ne!(open(&key, "v", &sealed).unwrap(), raw);
        assert_ne!(seal(&key, "u", &raw).unwrap(), sealed, "a fresh nonce each time");
    }

    #[test]
    fn recovery_codes_read_back_however_typed() {
        let code = new_recovery_code().unwrap();
        assert_eq!(code.len(), 14);
        let typed = code.to_uppercase().replace('-', " ");
        assert_eq!(normalize_recovery(&typed), normalize_recovery(&code));
        assert_eq!(normalize_recovery("123456"), None);
    }

    #[test]
    fn the_qr_code_is_an_inline_svg() {
        let svg = qr_svg(&otpauth_url("dr.lege@dps.no", &[1; 20]), "QR <kode>").unwrap();
        assert!(svg.starts_with("<svg role=\"img\" aria-label=\"QR &lt;kode&gt;\""));
        assert!(!svg.contains("<?xml"));
        assert!(otpauth_url("a@b", &[1; 20]).starts_with("otpauth://totp/Tillit:a%40b?secret="));
    }
}
