//! Tillit's server: serves the app shell and static files, accounts and sessions, sync
//! (protocol v1), and sharing with its consent and access logs. `main.rs` is a thin
//! wrapper; tests start the same server through [`startup::build`].
//!
//! - [`config`]: typed settings from the environment.
//! - [`db`]: the database (SQLite by default, PostgreSQL by `DATABASE_URL`), migrated at start.
//! - [`accounts`]: accounts and sessions.
//! - [`clinician`]: clinician accounts, their second factor and sessions, *Siden sist*.
//! - [`admin`]: `server admin …`, the administrator's commands.
//! - [`hashing`]: Argon2id on a bounded pool of threads (503 when full, fixed memory).
//! - [`throttle`]: every throttle, reserve-then-judge, counted in the database.
//! - [`sync`]: sync protocol v1: checking, storing and pulling record versions.
//! - [`history`]: thinning old record versions to one a day (kept whole for 90 days).
//! - [`secret`]: the server's secret key (invitation codes are stored under its HMAC).
//! - [`sharing`]: shares, the one access check for reading someone else's data, the logs.
//! - [`checkins`]: check-ins with a trusted person (relationships are shares of scope
//!   `checkins`), with their one access check, limits and retention.
//! - [`push`]: Web Push (VAPID keys in the data directory, RFC 8291 encryption).
//! - [`site`]: the built browser bundle on disk (hashed file names, the service worker).
//! - [`http`]: the router, the error type, security and caching headers, page rendering.
//! - [`maintenance`]: the hourly purge of expired sessions, old throttle rows and codes,
//!   old check-ins, and the history compaction.
//! - [`startup`]: wiring it together, listening, graceful shutdown.
//! - [`telemetry`]: logging, which never carries personal or health data.

pub mod accounts;
pub mod admin;
pub mod checkins;
pub mod clinician;
pub mod config;
pub mod db;
pub mod error;
pub mod hashing;
pub mod history;
pub mod http;
pub mod maintenance;
pub mod push;
pub mod secret;
pub mod sharing;
pub mod site;
pub mod startup;
pub mod sync;
pub mod telemetry;
pub mod throttle;
