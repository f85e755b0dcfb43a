//! The app's pages as routes, and what each costs the first load.
//!
//! The crisis screen and the 404 page are in the main module: the crisis screen must answer
//! first, on any route, offline, without waiting for another file. Every other page is a
//! lazily loaded route (`#[lazy_route]`): its code is a separate wasm chunk that the browser
//! fetches only when the page is opened (the server names a directly loaded page's chunks in
//! preload links; the service worker precaches all of them, so a first visit offline works).
//!
//! Adding a page that stays off everyone else's first load: write the component in its own
//! module, add a unit struct and a `#[lazy_route] impl LazyRoute` here whose `view` returns
//! `Loaded(view! { <YourPage /> }).into_any()`, and route to it with `Lazy::<YourRoute>::new()`
//! in `ui::app`. Nothing in the frame or the crisis screen may name the page's components.
//! Inside a page, erase a view's type with `.erased()`, not `.into_any()` (`ui::loaded`: the
//! page's code is loaded by then, and hydrating it asynchronously only doubled its size).

use crate::ui::checkin::CheckinPage;
use crate::ui::loaded::Loaded;
use crate::ui::plan::PlanPage;
use crate::ui::settings::SettingsPage;
use crate::ui::sharing::{SharedWithMePage, SharingPage};
use crate::ui::wheel::WheelPage;
use leptos::prelude::*;
#[cfg(any(feature = "bundle", feature = "ssr"))]
use leptos_router::lazy_route;
use leptos_router::LazyRoute;

/// Declares a unit struct routed lazily to one page component.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $page:ident) => {
        $(#[$doc])*
        pub struct $route;

        #[cfg(any(feature = "bundle", feature = "ssr"))]
        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                Loaded(view! { <$page /> }).into_any()
            }
        }

        // Without the bundle (the crisis module, the browser store tests) nothing is split,
        // and a split point's export would link every page into the wasm.
        #[cfg(not(any(feature = "bundle", feature = "ssr")))]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                Loaded(view! { <$page /> }).into_any()
            }
        }
    };
}

lazy_page!(
    /// `/`: *Min plan*.
    PlanRoute => PlanPage
);
lazy_page!(
    /// `/hjulet`: the conversation wheel.
    WheelRoute => WheelPage
);
lazy_page!(
    /// `/innsjekk`: check-ins; and `/innsjekk/kontakt-meg`, which asks the trusted persons
    /// for contact and then shows the crisis screen (one chunk for both: a split point of
    /// its own would cut every other page's shared code into more, smaller files).
    CheckinRoute => CheckinPage
);
lazy_page!(
    /// `/deling`: what the user shares.
    SharingRoute => SharingPage
);
lazy_page!(
    /// `/delt-med-meg`: what others share with the user.
    SharedWithMeRoute => SharedWithMePage
);
lazy_page!(
    /// `/innstillinger`: settings, storage, export and import, account and sync.
    SettingsRoute => SettingsPage
);
