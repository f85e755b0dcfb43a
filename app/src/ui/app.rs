//! The root component: language, router and the frame every page shares (skip link, top bar
//! with the crisis button, main area, bottom navigation).

use crate::i18n::{provide_i18n, tr, Key};
use crate::sync::state::provide_sync_state;
use crate::ui::conflicts::ConflictList;
use crate::ui::crisis::CrisisPage;
use crate::ui::crisis_button::CrisisButton;
use crate::ui::language_switch::LanguageSwitch;
use crate::ui::nav::MainNav;
use crate::ui::not_found::NotFound;
use crate::ui::pages::CheckinPage;
use crate::ui::plan::state::provide_plan_state;
use crate::ui::plan::PlanPage;
use crate::ui::settings::SettingsPage;
use crate::ui::sharing::{SharedWithMePage, SharingPage};
use crate::ui::sync_status::SyncStatusLine;
use crate::ui::update_banner::UpdateBanner;
use crate::ui::wheel::WheelPage;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_i18n();
    let plan = provide_plan_state();
    let sync = provide_sync_state();

    // Runs in the browser only, after hydration: apply the remembered language, keep
    // `<html lang>` true to what is shown, and mark the page as live (tests wait for it).
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| {
            plan.reload();
            crate::sync::engine::start(sync, plan);
            if let Some(lang) = crate::local::prefs::stored_lang() {
                i18n.lang.set(lang);
            }
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
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
            <a class="skip-link" href="#main">{tr(Key::SkipToContent)}</a>
            <header class="top-bar">
                <a class="brand" href="/">{tr(Key::AppName)}</a>
                <LanguageSwitch />
                <CrisisButton />
            </header>
            <UpdateBanner />
            <main id="main" tabindex="-1">
                <SyncStatusLine />
                <ConflictList />
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=PlanPage />
                    <Route path=path!("/hjulet") view=WheelPage />
                    <Route path=path!("/innsjekk") view=CheckinPage />
                    <Route path=path!("/deling") view=SharingPage />
                    <Route path=path!("/delt-med-meg") view=SharedWithMePage />
                    <Route path=path!("/krise") view=CrisisPage />
                    <Route path=path!("/innstillinger") view=SettingsPage />
                </Routes>
            </main>
            <MainNav />
        </Router>
    }
}
