//! The client sync engine: the phone's records to and from the server, only with the
//! user's consent (see DESIGN.md, "Sync protocol").
//!
//! - [`protocol`]: the JSON the server speaks (sync, shares, logs) and how a push is cut
//!   into requests within the server's limits. Pure, tested on the host.
//! - [`state`]: what the UI shows: the account, whether sync is on, the honest status line,
//!   conflicts, and what others share with this user.
//! - `net` (browser): one `fetch` wrapper that turns every answer into data or a [`net::NetError`].
//! - `engine` (browser): when to sync (after a change, debounced; on coming online; on start;
//!   every minute while open), one round at a time, back-off with jitter on failure.
//!   Outbox entries leave the phone's outbox only in the transaction that records the
//!   server's acknowledgement, so a reload mid-sync loses nothing.
//! - `checkins` (browser): the check-in outbox and conversations, with the engine's rounds.

pub mod protocol;
pub mod state;

#[cfg(feature = "hydrate")]
pub mod checkins;
#[cfg(feature = "hydrate")]
pub mod engine;
/// On the server nothing syncs: the engine's names, doing nothing, so components that call
/// them from event handlers (which only ever run in the browser) compile once for both.
#[cfg(not(feature = "hydrate"))]
#[path = "engine_server.rs"]
pub mod engine;
#[cfg(feature = "hydrate")]
pub mod net;
