//! What the browser keeps on the phone. Hydrate only: it needs `window`.
//!
//! - [`prefs`]: small preferences in `localStorage` (the language choice).
//!
//! The IndexedDB record store (plan, wheel, outbox) arrives here with the plan.

pub mod prefs;
