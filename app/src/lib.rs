//! Tillit's Leptos crate: the same code renders on the server (`ssr`) and hydrates in the
//! browser (`hydrate`).
//!
//! - [`model`]: the pure domain (no Leptos, no browser, no IO); compiles everywhere and holds
//!   most of the unit tests.
//! - [`i18n`]: every user-facing string, generated at build time from `locales/*.json`.
//! - `local`: what the browser keeps on the phone (the IndexedDB record store, preferences);
//!   hydrate only.
//! - `later`: the split module of the work every page starts after its first screen.
//! - `perf`: performance marks at the steps of a page start (hydrate only).
//! - [`sync`]: the client sync engine (empty until accounts and sync arrive).
//! - [`ui`]: pages and components; they read and write through `local`, never the network.
// The plan editor's views are deeply nested types; release wasm builds need the room.
#![recursion_limit = "256"]

pub mod i18n;
mod later;
#[cfg(feature = "hydrate")]
pub mod local;
pub mod model;
#[cfg(feature = "hydrate")]
pub mod perf;
pub mod sync;
pub mod ui;

pub use ui::app::App;
#[cfg(feature = "ssr")]
pub use ui::shell::{shell, CrisisAssets, ShellAssets};

/// The browser entry point, called by Leptos' hydration script once the wasm has loaded.
/// Only in the bundle (feature `bundle`, see Cargo.toml): it links every lazy route.
#[cfg(feature = "bundle")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    perf::mark("wasm-start");
    // What `leptos::mount::hydrate_lazy` does (asynchronous hydration: a directly loaded lazy
    // route, every page but the crisis screen, see `ui::routes`, waits for its chunk), and
    // then tells the app that the whole page is hydrated (`ui::hydration`).
    //
    // Hydrating starts in a browser task of its own (`ui::hydration::next_task`), not in the
    // one that compiled and started the wasm: on a phone-speed CPU (Chromium's 4× throttling)
    // each is 100 to 200 ms, and as one task they blocked input for all of it. The work that
    // waits for hydration starts in a task of its own too (`ui::app`, `ui::later_view`).
    wasm_bindgen_futures::spawn_local(async {
        ui::hydration::next_task().await;
        let body = leptos::prelude::document().body().expect("the page has a body");
        let mounted = leptos::mount::hydrate_from_async(body, App).await;
        mounted.forget();
        ui::hydration::done();
    });
}
