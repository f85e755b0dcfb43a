//! The plan page's frame: its title and introduction, the status line, and the plan itself
//! ([`super::body`]) once it has been read from the phone. The server renders the frame with
//! "loading" in the plan's place; the plan is drawn in the browser only, by code in the
//! `later` chunk (`ui::later_view`), so this page's own chunk is only the frame.

use super::messages::today;
use super::state::{use_plan, Status};
use crate::i18n::{tr, use_i18n, PlanKey};
use crate::ui::later_view::fetch_after_hydration;
use crate::ui::loaded::Erase;
use leptos::prelude::*;

#[component]
pub fn PlanPage() -> impl IntoView {
    let state = use_plan();
    // The plan's own part (`ui::later_view`): its code comes with the `later` chunk, as the
    // plan does.
    let part = fetch_after_hydration(super::body::plan_part);
    // A memo, so that the part is not drawn again by every change of the plan.
    let shown = Memo::new(move |_| state.plan.with(Option::is_some) && part.with(Option::is_some));
    // Set after hydration: the server renders no date, and the HTML must match.
    let printed_on = RwSignal::new(String::new());
    Effect::new(move |_| printed_on.set(today().map(|d| d.display_nb()).unwrap_or_default()));
    view! {
        <div class="plan">
            <p class="print-only">{tr(PlanKey::PrintedOn)} " " {move || printed_on.get()}</p>
            <h1>{tr(PlanKey::PlanTitle)}</h1>
            <p class="intro">{tr(PlanKey::PlanIntro)}</p>
            <StatusLine />
            // Closures rather than `<Show>`, which compiles an asynchronous hydration copy
            // of what it holds (`ui::loaded`) and machinery of its own for each use.
            {move || state.unreadable.get().then(|| view! { <p class="status-error no-print">{tr(PlanKey::PlanUnreadable)}</p> })}
            {move || if shown.get() { part.get().erased() } else { view! { <p class="loading">{tr(PlanKey::PlanLoading)}</p> }.erased() }}
        </div>
    }
}

/// "Lagret på denne telefonen" or a failure, announced politely. (The undo after a delete is
/// [`UndoBar`](super::undo::UndoBar), which the pages place themselves.)
#[component]
pub fn StatusLine() -> impl IntoView {
    let state = use_plan();
    let text = move || match state.status.get() {
        Status::Idle => None,
        Status::Saved => Some(PlanKey::PlanSaved),
        Status::SaveFailed => Some(PlanKey::PlanSaveFailed),
        Status::Unavailable => Some(PlanKey::PlanUnavailable),
    };
    let lang = use_i18n().lang;
    view! {
        <div class="status-line no-print" role="status">
            <span class=move || match state.status.get() {
                Status::SaveFailed | Status::Unavailable => "status-error",
                _ => "status-ok",
            }>{move || text().map(|key| key.text(lang.get()))}</span>
        </div>
    }
}
