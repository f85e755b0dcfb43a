//! *Min plan*: the self-help and crisis plan editor.
//!
//! - [`state`]: the loaded plan, the save status and undo, shared through context.
//! - [`actions`]: what buttons and forms do (writes through `local::plan_store`).
//! - [`page`]: the page's frame and its status line; [`body`]: the plan itself (sections,
//!   hidden sections, the "add a section" form), drawn from the `later` chunk once read.
//! - [`section`], [`item`], [`contact`]: one section, one item, the contacts.
//! - [`history`]: earlier versions of a record, with restore.
//! - [`undo`]: the bar above the menu that brings back what was just deleted.
//! - [`messages`]: translated names and error messages; [`text_form`]: one text field with
//!   its label, error and button.

pub mod actions;
pub mod body;
pub mod contact;
pub mod history;
pub mod item;
pub mod messages;
pub mod page;
pub mod section;
pub mod state;
pub mod text_form;
pub mod undo;

pub use page::PlanPage;
