//! Typed settings, read once from the environment at start.
//!
//! | variable | default | what |
//! | --- | --- | --- |
//! | `LEPTOS_SITE_ADDR` | `127.0.0.1:3000` | address to listen on (port 0: any free port) |
//! | `LEPTOS_SITE_ROOT` | `target/site` | the built browser bundle (`scripts/build`) |
//! | `TILLIT_DATA_DIR` | `data` | where the SQLite database lives; created on start |
//! | `DATABASE_URL` | unset | `postgres://…` to use PostgreSQL instead of SQLite |
//! | `RUST_LOG` | `info` | log filter (see `telemetry`) |

use crate::error::StartupError;
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
    fn an_empty_data_dir_is_refused() {
        let err = config(&[("TILLIT_DATA_DIR", " ")]).unwrap_err().to_string();
        assert!(err.contains("TILLIT_DATA_DIR"), "{err}");
    }
}
