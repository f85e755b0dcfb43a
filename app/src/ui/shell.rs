//! The HTML document around the app, rendered on the server only.
//!
//! It carries no user data: the same bytes go to everyone, so the service worker can cache
//! each route's HTML at install time and hydration still matches offline.

use crate::App;
use leptos::prelude::*;

/// Build-specific names the document links to (the stylesheet has a content hash in its name).
#[derive(Clone, Debug)]
pub struct ShellAssets {
    pub stylesheet_href: String,
}

pub fn shell(options: LeptosOptions, assets: ShellAssets) -> impl IntoView {
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
                <link rel="stylesheet" href=assets.stylesheet_href />
                <HydrationScripts options />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}
