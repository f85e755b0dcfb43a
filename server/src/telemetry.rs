//! Logging. Health data must never reach a log line: request logs carry the method, the
//! matched route pattern, the status and the time, never a query string, body, header value
//! or user-chosen path segment.

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Installs the subscriber once; `RUST_LOG` overrides the default `info`.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(std::io::stdout().is_terminal())
        .try_init();
}
