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
//! - [`body`]: what every record body shares (its kind, why it cannot be read, why an edit
//!   is refused) and [`body::check_body`], which reads any kind.
//! - [`plan`]: the self-help / crisis plan's bodies, the plan view, and its edits.
//! - [`wheel`]: the conversation wheel: areas, dated [`wheel::Score`]s, measures and the
//!   collaboration checklist; [`date`] is the calendar day they are dated with.
//! - [`export`]: the export file and the all-or-nothing import.
//! - [`checkin`]: check-ins with a trusted person: the messages and the API's shapes.
//! - [`emergency`] and [`lang`]: the crisis lines and the interface languages.
//! - [`order`]: the one stable sort the views and records use (compiled once, for size).
//! - [`wire`]: what the structs that read tagged JSON shapes share; [`json`] reads every
//!   type out of a parsed `serde_json::Value`.

pub mod body;
pub mod checkin;
pub mod date;
pub mod emergency;
pub mod export;
pub mod hlc;
pub mod json;
pub mod lang;
pub mod merge;
pub mod order;
pub mod phone;
pub mod plan;
pub mod record;
pub mod text;
pub mod wheel;
pub mod wire;
