//! Invitation codes: 8 characters from an alphabet without look-alikes (no I, L, O, 0, 1),
//! shown as `ABCD-EFGH`. 31⁸ ≈ 8.5 · 10¹¹ codes, used once, valid a week, and guesses are
//! throttled per account, so guessing one is hopeless. Only the SHA-256 of the code is
//! stored; a person may type it in any case, with or without the hyphen and spaces.

use crate::http::error::ApiError;
use sha2::{Digest, Sha256};

pub const ALPHABET: &[u8; 31] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const LENGTH: usize = 8;

/// A new code, from the operating system's randomness, as shown: `ABCD-EFGH`.
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
    Ok(format!("{}-{}", &text[..4], &text[4..]))
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

pub fn hash(normalized: &str) -> String {
    hex::encode(Sha256::digest(normalized.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_look_right_and_differ() {
        let a = generate().unwrap();
        assert_eq!(a.len(), 9);
        assert_eq!(&a[4..5], "-");
        assert!(normalize(&a).is_some());
        assert_ne!(a, generate().unwrap());
    }

    #[test]
    fn codes_are_read_forgivingly_but_only_from_the_alphabet() {
        assert_eq!(normalize("abcd-efgh").as_deref(), Some("ABCDEFGH"));
        assert_eq!(normalize(" ABCD EFGH ").as_deref(), Some("ABCDEFGH"));
        assert_eq!(normalize("abcdefgh").as_deref(), Some("ABCDEFGH"));
        assert_eq!(normalize("ABCD-EFG"), None);
        assert_eq!(normalize("ABCD-EFG0"), None, "0 is not in the alphabet");
        assert_eq!(normalize("ÆBCD-EFGH"), None);
        assert_eq!(hash("ABCDEFGH"), hash(&normalize("abcd efgh").unwrap()));
    }
}
