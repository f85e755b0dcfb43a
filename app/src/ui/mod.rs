//! Pages and components. They read and write through `local`, never the network directly.
//!
//! - [`app`]: the root component, the router and the frame every page shares; [`routes`]:
//!   every page but the crisis screen as a lazily loaded route (its own wasm chunk).
//! - [`shell`]: the HTML document around the app (server only).
//! - [`nav`], [`crisis_button`], [`language_switch`], [`update_banner`]: the frame's parts.
//! - [`plan`]: *Min plan*, the plan editor; [`wheel`]: *Hjulet*, the conversation wheel;
//!   [`checkin`]: *Innsjekk*, check-ins with a trusted person, and *Kontakt meg*.
//! - [`disclosure`]: `<details>` drawn only while open; [`events`]: event handlers, boxed.
//! - [`crisis`]: the crisis screen; [`settings`]: storage, export, import, and [`account`]
//!   (*Sikkerhetskopi og synkronisering*); [`not_found`]: 404.
//! - [`sharing`]: *Deling* and *Delt med meg*; [`sync_status`]: the status line under the
//!   top bar; [`conflicts`]: *endret på to enheter*, both versions, pick one.
//! - `service_worker`: registers the worker and watches for new versions (browser only).
//! - `hydration`: work that waits until the page, its lazy route too, has hydrated;
//!   [`later_view`]: a page's part that shows the user's data, drawn from the `later` chunk.
//! - [`loaded`]: synchronous hydration inside a page, and `.erased()`; [`own_task`]: the
//!   frame hydrated piece by piece, each in a browser task of its own.

pub mod account;
pub mod app;
pub mod checkin;
pub mod conflicts;
pub mod crisis;
pub mod crisis_button;
pub mod disclosure;
pub mod events;
#[cfg(feature = "hydrate")]
pub mod hydration;
pub mod language_switch;
pub mod later_view;
pub mod loaded;
pub mod nav;
pub mod not_found;
pub mod own_task;
pub mod plan;
pub mod routes;
#[cfg(feature = "hydrate")]
pub mod service_worker;
pub mod settings;
pub mod sharing;
#[cfg(feature = "ssr")]
pub mod shell;
pub mod sync_status;
pub mod update_banner;
pub mod wheel;
