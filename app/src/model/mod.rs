//! The pure domain: types and rules shared by the browser and the server.
//!
//! Nothing here may touch Leptos, the browser or any IO, so that it compiles for
//! `wasm32-unknown-unknown` and for the server alike, and can be tested with plain
//! `cargo test`. Plan, wheel, check-in, consent and sync types and the merge rules live here
//! as they arrive.

pub mod emergency;
pub mod lang;
