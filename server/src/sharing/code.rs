//! Invitation codes: 10 characters from an alphabet without look-alikes (no I, L, O, 0, 1),
//! shown as `ABCDE-FGHJK`. 31¹⁰ ≈ 8.2 · 10¹⁴ codes, used once, valid a week, and wrong
//! guesses are throttled per account, per address and for everyone together
//! (`crate::throttle`), so guessing one is hopeless. Only an HMAC of the code under the
//! server's secret (`crate::secret`) is stored, so a copy of the database alone cannot be
//! used to test guesses offline. A person may type it in any case, with or without the
//! hyphen and spaces.

use crate::http::error::ApiError;
use crate::secret::Secret;

pub const ALPHABET: &[u8; 31] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const LENGTH: usize = 10;
/// Where the hyphen goes when a code is shown.
const HALF: usize = LENGTH / 2;

/// A new code, from the operating system's randomness, as shown: `ABCDE-FGHJK`.
pub fn generate() -> Result<String, ApiError> {
    let mut chars = Vec::with_capacity(LENGTH);
    while chars.len() < LENGTH {
        let mut bytes = [0u8; 16];
        getrandom::getrandom(&mut bytes).map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
        // Rejection sampling: 248 = 8 · 31, so every letter is equally likely.
        for byte in bytes.into_iter().filter(|b| usize::from(*b) < 8 * ALPHABET.len()) {
            if chars.len() < LENGTH {
                chars.push(ALPHABET[usize::from(byte) % ALPHABET.len()]);
            }
        }
    }
    let text = String::from_utf8(chars).unwrap_or_default();
    Ok(format!("{}-{}", &text[..HALF], &text[HALF..]))
}

/// The code as stored (hashed): upper case, hyphens and spaces dropped; `None` if what is
/// left is not a code at all.
pub fn normalize(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// What is stored of a code: its keyed hash.
pub fn hash(secret: &Secret, normalized: &str) -> String {
    secret.hmac_hex(format!("invitation-code:{normalized}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_look_right_and_differ() {
        let a = generate().unwrap();
        assert_eq!(a.len(), 11);
        assert_eq!(&a[5..6], "-");
        assert!(normalize(&a).is_some());
        assert_ne!(a, generate().unwrap());
    }

    #[test]
    fn codes_are_read_forgivingly_but_only_from_the_alphabet() {
        assert_eq!(normalize("abcde-fghjk").as_deref(), Some("ABCDEFGHJK"));
        assert_eq!(normalize(" ABCDE FGHJK ").as_deref(), Some("ABCDEFGHJK"));
        assert_eq!(normalize("abcdefghjk").as_deref(), Some("ABCDEFGHJK"));
        assert_eq!(normalize("ABCD-EFGH"), None, "the old length");
        assert_eq!(normalize("ABCDE-FGHJ0"), None, "0 is not in the alphabet");
        assert_eq!(normalize("ÆBCDE-FGHJK"), None);
    }

    #[test]
    fn codes_are_stored_keyed() {
        let one = Secret::from_bytes([1; 32]);
        let two = Secret::from_bytes([2; 32]);
        let code = normalize("abcde fghjk").unwrap();
        assert_eq!(hash(&one, &code), hash(&one, "ABCDEFGHJK"));
        assert_ne!(hash(&one, &code), hash(&two, &code));
        assert_eq!(hash(&one, &code).len(), 64);
    }
}
