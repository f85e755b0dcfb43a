//! Typed settings, read once from the environment at start.
//!
//! | variable | default | what |
//! | --- | --- | --- |
//! | `LEPTOS_SITE_ADDR` | `127.0.0.1:3000` | address to listen on (port 0: any free port) |
//! | `LEPTOS_SITE_ROOT` | `target/site` | the built browser bundle (`scripts/build`) |
//! | `TILLIT_DATA_DIR` | `data` | where the SQLite database lives; created on start |
//! | `DATABASE_URL` | unset | `postgres://…` to use PostgreSQL instead of SQLite |
//! | `RUST_LOG` | `info` | log filter (see `telemetry`) |
//! | `TILLIT_TRUSTED_PROXIES` | unset | reverse proxies (addresses, CIDRs) whose `X-Forwarded-For` is believed |
//! | `TILLIT_QUOTA_MIB` | `50` | what one account may store, in MiB (record versions as JSON) |
//! | `TILLIT_HASHING_QUEUE` | 8 per core | passphrase hashes queued or running before sign-ups and logins get 503 |
//! | `TILLIT_CHECKIN_RETENTION_DAYS` | `180` | days check-in messages are kept, then deleted |
//! | `TILLIT_HISTORY_DAYS` | `90` | days every record version is kept; older ones are thinned to one a day |
//!
//! The first four are [`Config`]; the rest are [`Limits`], kept apart so that a test can
//! build a [`Config`] by hand and get the default limits.

use crate::error::StartupError;
use crate::hashing::HashCost;
use crate::http::client_addr::TrustedProxies;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub site_root: PathBuf,
    pub data_dir: PathBuf,
    /// `postgres://…`; `None` for the SQLite file in `data_dir`.
    pub database_url: Option<String>,
}

impl Config {
    pub fn from_env() -> Result<Config, StartupError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests can pass their own environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, StartupError> {
        let addr = match lookup("LEPTOS_SITE_ADDR") {
            Some(value) => value.trim().parse().map_err(|_| {
                StartupError::Config(format!(
                    "LEPTOS_SITE_ADDR must be an address with a port, like 127.0.0.1:3000 (got {value:?})"
                ))
            })?,
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
        };
        let path = |name: &str, default: &str| {
            let value = lookup(name).unwrap_or_else(|| default.to_owned());
            if value.trim().is_empty() {
                Err(StartupError::Config(format!("{name} is set but empty")))
            } else {
                Ok(PathBuf::from(value))
            }
        };
        Ok(Config {
            addr,
            site_root: path("LEPTOS_SITE_ROOT", "target/site")?,
            data_dir: path("TILLIT_DATA_DIR", "data")?,
            database_url: lookup("DATABASE_URL").filter(|url| !url.trim().is_empty()),
        })
    }
}

/// The default per-account storage quota: 50 MiB of record versions.
pub const DEFAULT_QUOTA_BYTES: i64 = 50 * 1024 * 1024;

/// Limits that protect the server and its users from one another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    pub trusted_proxies: TrustedProxies,
    /// Bytes of record versions one account may store (413 over it).
    pub quota_bytes: i64,
    /// Hashes queued or running at once; `None`: 8 per core.
    pub hashing_queue: Option<usize>,
    /// Always standard from the environment; tests may make new hashes cheap.
    pub hash_cost: HashCost,
    /// A clinician's session ends after this long unused, or this long after login
    /// (`crate::clinician`); always the standard 30 minutes and 12 hours from the
    /// environment, shorter in tests.
    pub clinician_idle_ms: i64,
    pub clinician_max_ms: i64,
    /// How long check-in messages are kept (ms).
    pub checkin_retention_ms: i64,
    /// How long every record version is kept before the history is thinned (ms).
    pub history_keep_ms: i64,
    /// When the trusted persons' reminders go: every 5 minutes from 10 o'clock in Norway;
    /// never from the environment (tests look more often, from midnight).
    pub reminders: crate::checkins::reminders::Schedule,
    /// Pushes may go to the loopback address (over `http://` too): only for the tests'
    /// stand-in push service, so never read from the environment; every other local or
    /// private address stays refused (`push::destination`).
    pub push_allow_loopback: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            trusted_proxies: TrustedProxies::default(),
            quota_bytes: DEFAULT_QUOTA_BYTES,
            hashing_queue: None,
            hash_cost: HashCost::Standard,
            clinician_idle_ms: crate::clinician::SESSION_IDLE_MS,
            clinician_max_ms: crate::clinician::SESSION_MAX_MS,
            checkin_retention_ms: crate::checkins::DEFAULT_RETENTION_MS,
            history_keep_ms: crate::history::DEFAULT_KEEP_MS,
            reminders: crate::checkins::reminders::Schedule::default(),
            push_allow_loopback: false,
        }
    }
}

impl Limits {
    pub fn from_env() -> Result<Limits, StartupError> {
        Limits::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Limits, StartupError> {
        let mut limits = Limits::default();
        if let Some(value) = lookup("TILLIT_TRUSTED_PROXIES") {
            limits.trusted_proxies = TrustedProxies::parse(&value).map_err(|bad| {
                StartupError::Config(format!(
                    "TILLIT_TRUSTED_PROXIES must list addresses or CIDR ranges, like 10.0.0.1, fd00::/8 (got {bad:?})"
                ))
            })?;
        }
        let number = |name: &str| -> Result<Option<u64>, StartupError> {
            match lookup(name) {
                None => Ok(None),
                Some(value) => value
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .map(Some)
                    .ok_or_else(|| {
                        StartupError::Config(format!("{name} must be a whole number above 0 (got {value:?})"))
                    }),
            }
        };
        if let Some(mib) = number("TILLIT_QUOTA_MIB")? {
            limits.quota_bytes = i64::try_from(mib.saturating_mul(1024 * 1024)).unwrap_or(i64::MAX);
        }
        let days_ms = |days: u64| {
            i64::try_from(days)
                .unwrap_or(i64::MAX)
                .saturating_mul(crate::checkins::DAY_MS)
        };
        if let Some(days) = number("TILLIT_CHECKIN_RETENTION_DAYS")? {
            limits.checkin_retention_ms = days_ms(days);
        }
        if let Some(days) = number("TILLIT_HISTORY_DAYS")? {
            limits.history_keep_ms = days_ms(days);
        }
        if let Some(queue) = number("TILLIT_HASHING_QUEUE")? {
            limits.hashing_queue = Some(usize::try_from(queue).unwrap_or(usize::MAX));
        }
        Ok(limits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, StartupError> {
        let vars: HashMap<String, String> =
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_need_nothing_set() {
        let config = config(&[]).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.data_dir, PathBuf::from("data"));
    }

    #[test]
    fn a_bad_address_is_named_in_the_error() {
        let err = config(&[("LEPTOS_SITE_ADDR", "localhost")])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("LEPTOS_SITE_ADDR") && err.contains("localhost"),
            "{err}"
        );
    }

    #[test]
    fn limits_default_and_parse() {
        let none = Limits::from_lookup(|_| None).unwrap();
        assert_eq!(none, Limits::default());
        let vars: HashMap<&str, &str> = [
            ("TILLIT_TRUSTED_PROXIES", "10.0.0.0/8, ::1"),
            ("TILLIT_QUOTA_MIB", "2"),
            ("TILLIT_HASHING_QUEUE", "4"),
            ("TILLIT_CHECKIN_RETENTION_DAYS", "30"),
            ("TILLIT_HISTORY_DAYS", "120"),
        ]
        .into();
        let limits = Limits::from_lookup(|n| vars.get(n).map(|v| v.to_string())).unwrap();
        assert!(limits.trusted_proxies.trusts("10.9.8.7".parse().unwrap()));
        assert_eq!(limits.quota_bytes, 2 * 1024 * 1024);
        assert_eq!(limits.hashing_queue, Some(4));
        assert_eq!(limits.checkin_retention_ms, 30 * crate::checkins::DAY_MS);
        assert_eq!(limits.history_keep_ms, 120 * crate::checkins::DAY_MS);
        let bad = Limits::from_lookup(|n| (n == "TILLIT_TRUSTED_PROXIES").then(|| "proxy".to_owned()));
        assert!(bad.unwrap_err().to_string().contains("TILLIT_TRUSTED_PROXIES"));
        let bad = Limits::from_lookup(|n| (n == "TILLIT_QUOTA_MIB").then(|| "-1".to_owned()));
        assert!(bad.unwrap_err().to_string().contains("TILLIT_QUOTA_MIB"));
    }

    #[test]
    fn an_empty_data_dir_is_refused() {
        let err = config(&[("TILLIT_DATA_DIR", " ")]).unwrap_err().to_string();
        assert!(err.contains("TILLIT_DATA_DIR"), "{err}");
    }
}
