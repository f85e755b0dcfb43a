//! The HTML document around the app, rendered on the server only.
//!
//! It carries no user data: the same bytes go to everyone, so the service worker can cache
//! each route's HTML at install time and hydration still matches offline. The crisis screen's
//! document loads the small crisis module instead of the app (`CrisisScripts`).

use crate::App;
use leptos::nonce::use_nonce;
use leptos::prelude::*;

/// Build-specific names the document links to (each has a content hash in its name).
#[derive(Clone, Debug)]
pub struct ShellAssets {
    pub stylesheet_href: String,
    /// The crisis screen's own module, when the build has it (`scripts/build` always does).
    pub crisis: Option<CrisisAssets>,
}

/// What a first visit to the crisis screen loads (see `crisis_boot.js`): the small crisis
/// module, or the whole app when the user chose English.
#[derive(Clone, Debug)]
pub struct CrisisAssets {
    pub crisis_js: String,
    pub crisis_wasm: String,
    pub app_js: String,
    pub app_wasm: String,
}

pub fn shell(options: LeptosOptions, assets: ShellAssets) -> impl IntoView {
    let stylesheet_href = assets.stylesheet_href.clone();
    view! {
        <!DOCTYPE html>
        <html lang="nb">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="color-scheme" content="light dark" />
                <meta name="theme-color" content="#1d5c63" />
                <meta name="description" content="Din egen kriseplan, på telefonen, også uten nett." />
                <title>"Tillit"</title>
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <link rel="stylesheet" href=stylesheet_href />
                {match crisis_assets(&assets) {
                    Some(crisis) => CrisisScripts(crisis).into_any(),
                    None => view! { <HydrationScripts options /> }.into_any(),
                }}
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The crisis screen's own assets, when this request is for the crisis screen.
fn crisis_assets(assets: &ShellAssets) -> Option<CrisisAssets> {
    let parts = use_context::<http::request::Parts>()?;
    (parts.uri.path() == crate::ui::app::CRISIS_PATH)
        .then(|| assets.crisis.clone())
        .flatten()
}

/// Instead of Leptos's hydration script on the crisis screen: the crisis module is preloaded
/// (the whole app is not: the bytes a first visit pays for are the crisis module's).
#[allow(non_snake_case)]
fn CrisisScripts(crisis: CrisisAssets) -> impl IntoView {
    let nonce = use_nonce();
    let boot = format!(
        "{}({:?}, {:?}, {:?}, {:?});",
        include_str!("crisis_boot.js").trim_end(),
        crisis.crisis_js,
        crisis.crisis_wasm,
        crisis.app_js,
        crisis.app_wasm
    );
    view! {
        <link rel="modulepreload" href=crisis.crisis_js.clone() crossorigin="" />
        <link rel="preload" href=crisis.crisis_wasm.clone() r#as="fetch" r#type="application/wasm" crossorigin="" />
        <script type="module" nonce=nonce>{boot}</script>
    }
}
