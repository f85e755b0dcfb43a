//! The server's secret key: 32 random bytes in `server.secret` in the data directory, made
//! at the first start (readable by the server's user only) and read at every start. It keys
//! the HMAC that invitation codes are stored under, so a copy of the database alone does not
//! let anyone test guesses of a code offline.
//!
//! Several server processes on one PostgreSQL must have the same file (copy it; see the
//! README's deployment section).

use crate::error::StartupError;
use sha2::{Digest, Sha256};
use std::path::Path;

pub const SECRET_FILE: &str = "server.secret";
const KEY_BYTES: usize = 32;
/// SHA-256's block size, for HMAC.
const BLOCK: usize = 64;

/// The key. `Debug` never shows it.
#[derive(Clone)]
pub struct Secret([u8; KEY_BYTES]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    /// Reads the key from `data_dir`, making it first if there is none.
    pub fn load_or_create(data_dir: &Path) -> Result<Secret, StartupError> {
        let path = data_dir.join(SECRET_FILE);
        let failed = |source: std::io::Error| StartupError::DataDir {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(data_dir).map_err(&failed)?;
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let bytes = hex::decode(text.trim()).ok().filter(|b| b.len() == KEY_BYTES);
                let bytes = bytes.ok_or_else(|| {
                    StartupError::Config(format!(
                        "{} is not a Tillit secret (64 hex digits); restore it from a backup",
                        path.display()
                    ))
                })?;
                let mut key = [0u8; KEY_BYTES];
                key.copy_from_slice(&bytes);
                Ok(Secret(key))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; KEY_BYTES];
                getrandom::getrandom(&mut key).map_err(|e| failed(std::io::Error::other(e.to_string())))?;
                write_private(&path, &hex::encode(key)).map_err(&failed)?;
                Ok(Secret(key))
            }
            Err(e) => Err(failed(e)),
        }
    }

    #[cfg(test)]
    pub fn from_bytes(key: [u8; KEY_BYTES]) -> Secret {
        Secret(key)
    }

    /// HMAC-SHA256 (RFC 2104) of `message` under this key, hex-encoded.
    pub fn hmac_hex(&self, message: &[u8]) -> String {
        hex::encode(hmac_sha256(&self.0, message))
    }
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// Creates the file readable and writable by its owner only (new files; an existing one is
/// never overwritten).
pub(crate) fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2.
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block.
        assert_eq!(
            hex::encode(hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn the_secret_is_made_once_and_kept_private() {
        let dir = tempfile::tempdir().unwrap();
        let first = Secret::load_or_create(dir.path()).unwrap();
        let again = Secret::load_or_create(dir.path()).unwrap();
        assert_eq!(first.hmac_hex(b"x"), again.hmac_hex(b"x"));
        assert_eq!(format!("{first:?}"), "Secret(…)");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(SECRET_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(dir.path().join(SECRET_FILE), "nonsense").unwrap();
        assert!(Secret::load_or_create(dir.path()).is_err());
    }
}
