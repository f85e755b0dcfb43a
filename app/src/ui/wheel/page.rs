//! The wheel page's frame (*Hjulet*): its title and introduction, the status line, and the
//! wheel itself ([`super::body`]) once the plan has been read from the phone. Like the plan,
//! the wheel is drawn in the browser only, by code fetched after the page is up
//! (`ui::later_view`), so this page's own chunk is only the frame: even building the wheel
//! from the plan's records (`super::state`) is the part's.

use crate::i18n::{tr, WheelKey};
use crate::ui::later_view::fetch_after_hydration;
use crate::ui::loaded::Erase;
use crate::ui::plan::page::StatusLine;
use crate::ui::plan::state::use_plan;
use leptos::prelude::*;

#[component]
pub fn WheelPage() -> impl IntoView {
    let state = use_plan();
    // The wheel's own part (`ui::later_view`): its code comes with the `later` chunk, as the
    // plan does.
    let part = fetch_after_hydration(super::body::wheel_part);
    // A memo, so that the part is not drawn again by every change of the plan.
    let shown = Memo::new(move |_| state.plan.with(Option::is_some) && part.with(Option::is_some));
    view! {
        <div class="wheel-page">
            <h1>{tr(WheelKey::WheelTitle)}</h1>
            <p class="intro">{tr(WheelKey::WheelIntro)}</p>
            <StatusLine />
            // Something stored could not be read; the part says so too when only the wheel's
            // records were the problem.
            // Closures rather than `<Show>`, which compiles an asynchronous hydration copy
            // of what it holds (`ui::loaded`) and machinery of its own for each use.
            {move || state.unreadable.get().then(|| view! { <p class="status-error">{tr(WheelKey::PlanUnreadable)}</p> })}
            {move || if shown.get() { part.get().erased() } else { view! { <p class="loading">{tr(WheelKey::PlanLoading)}</p> }.erased() }}
        </div>
    }
    .erased()
}
