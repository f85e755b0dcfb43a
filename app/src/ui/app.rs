//! The root component: language, router and the frame every page shares (skip link, top bar
//! with the crisis button, main area, bottom navigation).

use crate::i18n::{provide_i18n, tr, Key};
use crate::sync::state::provide_sync_state;
use crate::ui::crisis::CrisisPage;
use crate::ui::crisis_button::CrisisButton;
use crate::ui::language_switch::LanguageSwitch;
use crate::ui::loaded::Loaded;
use crate::ui::nav::MainNav;
use crate::ui::not_found::NotFound;
use crate::ui::own_task::InOwnTask;
use crate::ui::plan::state::provide_plan_state;
use crate::ui::routes::{
    CheckinRoute, PlanRoute, SettingsRoute, SharedWithMeRoute, SharingRoute, WheelRoute,
};
use crate::ui::sync_status::SyncStatusLine;
use crate::ui::update_banner::UpdateBanner;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{path, Lazy};

#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_i18n();
    let plan = provide_plan_state();
    let sync = provide_sync_state();

    // Runs in the browser only, once the whole page has hydrated, the lazily loaded route
    // too (an effect would run before that, and any change to the page then breaks the
    // route's hydration): mark the page as live (tests and the size budget wait for it:
    // what was fetched before it is what the page needed to work), apply the remembered
    // language, and start reading the plan (a lazy chunk of its own) and the sync engine
    // (another). `<html lang>` follows the language from then on.
    #[cfg(feature = "hydrate")]
    {
        crate::ui::hydration::after(move || {
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
            crate::perf::mark("hydrated");
            if let Some(lang) = crate::local::prefs::stored_lang() {
                i18n.lang.set(lang);
            }
            // In the next browser task, not in hydration's (see `lib.rs`): loading `later`
            // starts dozens of chunk fetches and compiles.
            leptos::task::spawn_local(async move {
                crate::ui::hydration::next_task().await;
                plan.reload();
                crate::sync::engine::start(sync, plan);
            });
        });
        Effect::new(move |_| {
            let code = i18n.lang.get().code();
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("lang", code);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (i18n, plan, sync);

    view! {
        <Router>
            // Everything but the routes hydrates synchronously (`InOwnTask`, `Loaded`: only
            // the route outlet has to wait for a lazily loaded page), in three browser tasks
            // (`ui::own_task`), top to bottom: the top bar with the crisis button; the status
            // line, and then the route's chunk is asked for; the route, once its chunk is
            // here, and the bottom navigation.
            {InOwnTask::new(|| view! {
                <a class="skip-link" href="#main">{tr(Key::SkipToContent)}</a>
                <header class="top-bar">
                    <a class="brand" href="/">{tr(Key::AppName)}</a>
                    <LanguageSwitch />
                    // On the crisis screen itself the button would only take a row from the help.
                    <NotOnCrisisScreen>
                        <CrisisButton />
                    </NotOnCrisisScreen>
                </header>
                <UpdateBanner />
            })}
            <main id="main" tabindex="-1">
                {InOwnTask::new(|| view! {
                    <NotOnCrisisScreen>
                        <SyncStatusLine />
                    </NotOnCrisisScreen>
                })}
                <Routes fallback=|| Loaded(view! { <NotFound /> })>
                    <Route path=path!("/") view={Lazy::<PlanRoute>::new()} />
                    <Route path=path!("/hjulet") view={Lazy::<WheelRoute>::new()} />
                    <Route path=path!("/innsjekk") view={Lazy::<CheckinRoute>::new()} />
                    // Kontakt meg (the crisis screen links here): the check-in page's own chunk.
                    <Route path=path!("/innsjekk/kontakt-meg") view={Lazy::<CheckinRoute>::new()} />
                    <Route path=path!("/deling") view={Lazy::<SharingRoute>::new()} />
                    <Route path=path!("/delt-med-meg") view={Lazy::<SharedWithMeRoute>::new()} />
                    <Route path=path!("/krise") view=|| Loaded(view! { <CrisisPage /> }) />
                    <Route path=path!("/innstillinger") view={Lazy::<SettingsRoute>::new()} />
                </Routes>
            </main>
            // In the route's task: what the page starts once hydrated (the `later` chunk) must
            // not start before it is marked so (`ui::hydration::done`).
            {Loaded(view! { <MainNav /> })}
        </Router>
    }
}

/// The crisis screen holds nothing but the help: no status line, no update banner above the
/// emergency numbers (they must be on the first screen at 360 px and 200 % text).
#[component]
fn NotOnCrisisScreen<C: IntoView + 'static>(children: TypedChildrenFn<C>) -> impl IntoView {
    // Typed children, not `ChildrenFn`: an `AnyView` would keep an asynchronous hydration
    // copy of them (`ui::loaded`).
    let crisis = on_crisis_screen();
    let children = children.into_inner();
    view! { <Show when=move || !crisis()>{children()}</Show> }
}

/// True while the crisis screen is shown: the frame keeps quiet there.
pub fn on_crisis_screen() -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let location = use_location();
    move || location.pathname.with(|path| path == CRISIS_PATH)
}

/// The crisis screen's route; the crisis button links here.
pub const CRISIS_PATH: &str = "/krise";
