//! What can stop the server from starting or running. Each variant says, in one line, what is
//! wrong and where, because the person reading it is often running the app for the first time.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Config(String),
    #[error("cannot create the data directory {}: {source}", path.display())]
    DataDir { path: PathBuf, source: std::io::Error },
    #[error(
        "cannot open the database {target}: {source} (is it a Tillit database? move it away to start afresh)"
    )]
    Database { target: String, source: sqlx::Error },
    #[error("cannot update the database {target} to this version: {source}")]
    Migrate {
        target: String,
        source: sqlx::migrate::MigrateError,
    },
    #[error("the built site is missing or incomplete at {}: {reason} (run scripts/build first)", path.display())]
    Site { path: PathBuf, reason: String },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
}
