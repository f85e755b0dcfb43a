//! Tillit's server: serves the app shell and static files, and (later) accounts, sync and
//! sharing. `main.rs` is a thin wrapper; tests start the same server through [`startup::build`].
//!
//! - [`config`]: typed settings from the environment.
//! - [`db`]: the database (SQLite by default), opened and migrated at start.
//! - [`site`]: the built browser bundle on disk (hashed file names, the service worker).
//! - [`http`]: the router, the error type, security and caching headers, page rendering.
//! - [`startup`]: wiring it together, listening, graceful shutdown.
//! - [`telemetry`]: logging, which never carries personal or health data.

pub mod config;
pub mod db;
pub mod error;
pub mod http;
pub mod site;
pub mod startup;
pub mod telemetry;
