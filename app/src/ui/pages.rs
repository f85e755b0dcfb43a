//! The areas still to come (check-ins). Each says honestly what will be there; the
//! features arrive with their own issues and replace the empty states.

use crate::i18n::{tr, Key};
use leptos::prelude::*;

/// A page with a heading, one line of what it is for, and what will be there.
#[component]
fn AreaPage(title: Key, intro: Key, empty: Key) -> impl IntoView {
    view! {
        <h1>{tr(title)}</h1>
        <p class="intro">{tr(intro)}</p>
        <section class="empty-state">
            <p>{tr(empty)}</p>
        </section>
    }
}

#[component]
pub fn CheckinPage() -> impl IntoView {
    view! { <AreaPage title=Key::CheckinTitle intro=Key::CheckinIntro empty=Key::CheckinEmpty /> }
}
