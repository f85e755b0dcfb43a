//! *Hjulet*: the conversation wheel and *Hva er viktig for meg* (BRIEF.md §2).
//!
//! The wheel lives in the same state as the plan (`ui::plan::state`, a memo over the same
//! records) and writes through the same store, so saving, undo and history work alike.
//!
//! - [`page`]: the page's frame; [`body`]: the wheel itself (areas, hidden areas, "add an
//!   area"), drawn from a split module of its own once the plan is read.
//! - [`drawing`]: the SVG wheel; [`trend`]: the small line chart of dated values.
//! - [`area`]: one area (chosen, own words, tools); [`rating`]: rating it and its history.
//! - [`measures`]: measures per area and the open ones by date; [`checklist`]: the
//!   collaboration checklist and its score over time.
//! - [`actions`]: what buttons and forms do; [`messages`]: translated names.
//! - [`state`]: the wheel memo over the plan's records, made by the wheel page.

pub mod actions;
pub mod area;
pub mod body;
pub mod checklist;
pub mod drawing;
pub mod measures;
pub mod messages;
pub mod page;
pub mod rating;
pub mod state;
pub mod trend;

pub use page::WheelPage;
