//! Pages and components. They read and write through `local`, never the network directly.
//!
//! - [`app`]: the root component, the router and the frame every page shares.
//! - [`shell`]: the HTML document around the app (server only).
//! - [`nav`], [`crisis_button`], [`language_switch`], [`update_banner`]: the frame's parts.
//! - [`pages`]: the four areas; [`crisis`]: the crisis screen; [`not_found`]: the 404 page.
//! - [`service_worker`]: registers the worker and watches for new versions (browser only).

pub mod app;
pub mod crisis;
pub mod crisis_button;
pub mod language_switch;
pub mod nav;
pub mod not_found;
pub mod pages;
#[cfg(feature = "hydrate")]
pub mod service_worker;
#[cfg(feature = "ssr")]
pub mod shell;
pub mod update_banner;
