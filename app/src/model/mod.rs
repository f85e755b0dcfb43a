//! The pure domain: types and rules shared by the browser and the server.
//!
//! Nothing here may touch Leptos, the browser or any IO, so that it compiles for
//! `wasm32-unknown-unknown` and for the server alike, and can be tested with plain
//! `cargo test`. Time and randomness are passed in, never read from globals.
//!
//! - [`hlc`]: the hybrid logical clock that orders every write.
//! - [`record`] and [`merge`]: records, their versions, and the merge rule (last writer wins,
//!   the loser kept in history) that makes every replica converge.
//! - [`text`] and [`phone`]: what the user types, parsed into types that cannot be invalid.
//! - [`plan`]: the self-help / crisis plan's bodies, the plan view, and its edits.
//! - [`export`]: the export file and the all-or-nothing import.
//! - [`emergency`] and [`lang`]: the crisis lines and the interface languages.

pub mod emergency;
pub mod export;
pub mod hlc;
pub mod lang;
pub mod merge;
pub mod phone;
pub mod plan;
pub mod record;
pub mod text;
