//! "Angre" where the finger is. After a delete, a bar at the bottom of the screen, just above
//! the menu (where the thumb already is), says what was deleted and brings it back in one
//! tap; the list may move under the finger, the bar does not. It is a live region, so the
//! delete is announced, and it takes the focus: the button that was pressed is gone, and a
//! keyboard or screen-reader user is left on the undo, not at the top of the page.

use super::actions;
use super::state::{use_plan, Undo};
use crate::i18n::{fill, tr, use_i18n, PlanKey};
use crate::model::date::Date;
use crate::model::record::Kind;
use crate::ui::events::click_handler;
use crate::ui::later_view::{shown, Drawn};
use leptos::prelude::*;

/// How much of a deleted text the bar quotes.
const QUOTE_CHARS: usize = 40;

/// What the user would call the deleted thing: the item's text or the contact's name.
fn what(undo: &Undo) -> String {
    let field = match undo.kind {
        Kind::PlanContact | Kind::PlanSection | Kind::WheelArea => "name",
        Kind::WheelRating => "date",
        _ => "text",
    };
    let text = undo.body.get(field).and_then(|v| v.as_str()).unwrap_or_default();
    if undo.kind == Kind::WheelRating {
        if let Ok(day) = Date::parse(text) {
            return day.display_nb();
        }
    }
    let mut quote: String = text.chars().take(QUOTE_CHARS).collect();
    if text.chars().count() > QUOTE_CHARS {
        quote.push('…');
    }
    quote
}

#[component]
pub fn UndoBar() -> impl IntoView {
    let state = use_plan();
    let lang = use_i18n().lang;
    // "Gjenopprettet" after an undo, until the next delete.
    let restored = RwSignal::new(false);
    let bar = NodeRef::<leptos::html::Div>::new();
    let undo_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if state.undo.with(Option::is_some) {
            restored.set(false);
            if let Some(button) = undo_button.get() {
                let _ = button.focus();
            }
        }
    });
    let undo = move |_| {
        actions::undo(state);
        restored.set(true);
        // The undo button is gone: the bar keeps the focus and says what happened.
        if let Some(bar) = bar.get() {
            let _ = bar.focus();
        }
    };
    let message = move || {
        state.undo.with(|u| {
            u.as_ref()
                .map(|u| fill(PlanKey::DeletedWhat.text(lang.get()), &[("what", what(u))]))
        })
    };
    view! {
        <div class="undo-bar no-print" role="status" tabindex="-1" node_ref=bar>
            {shown(move || state.undo.with(Option::is_some), move || view! {
                <span class="undo-text">{message}</span>
                <button type="button" class="undo" node_ref=undo_button on:click=click_handler(undo)>
                    {tr(PlanKey::Undo)}
                </button>
                <button type="button" class="undo-close" on:click=click_handler(move |_| state.undo.set(None))>
                    {tr(PlanKey::UndoClose)}
                </button>
            }.drawn())}
            {shown(move || restored.get() && state.undo.with(Option::is_none), move || view! {
                <span class="undo-text">{tr(PlanKey::Restored)}</span>
                <button type="button" class="undo-close" on:click=click_handler(move |_| restored.set(false))>
                    {tr(PlanKey::UndoClose)}
                </button>
            }.drawn())}
        </div>
    }
}
