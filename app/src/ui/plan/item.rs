//! One item of a section: its text, and behind "Endre" the tools — edit the text, move it
//! up or down (buttons, not dragging: they work with a keyboard and a screen reader), delete
//! it (with undo) and see or restore earlier versions.

use super::actions;
use super::history::HistoryList;
use super::messages::user_lang;
use super::state::use_plan;
use super::text_form::TextForm;
use crate::i18n::{tr, use_i18n, PlanKey};
use crate::model::plan::Direction;
use crate::model::record::{Kind, RecordId};
use crate::model::text::ItemText;
use crate::ui::disclosure::opened;
use crate::ui::events::{click_handler, event_handler};
use crate::ui::later_view::{shown, Drawn};
use leptos::prelude::*;

#[component]
pub fn ItemRow(section: RecordId, item: RecordId) -> impl IntoView {
    let state = use_plan();
    let found = Memo::new(move |_| {
        state.plan.with(|p| {
            let section = p.as_ref()?.section(section)?;
            let index = section.items.iter().position(|i| i.id == item)?;
            Some((section.items[index].body.clone(), index, section.items.len()))
        })
    });
    let text = move || {
        found.with(|f| {
            f.as_ref()
                .map(|(b, _, _)| b.text.as_str().to_owned())
                .unwrap_or_default()
        })
    };
    let first = move || found.with(|f| f.as_ref().is_none_or(|(_, i, _)| *i == 0));
    let last = move || found.with(|f| f.as_ref().is_none_or(|(_, i, n)| *i + 1 == *n));

    let draft = RwSignal::new(String::new());
    // When the text changes under an open editor (an earlier version restored, a sync) and
    // the editor still holds the old text untouched, it follows; what the user typed stays.
    // Made with the editor, not with the row: a plan of 200 items would otherwise start 200
    // effects that wait for an editor nobody opened.
    let follow_text = move || {
        Effect::new(move |previous: Option<String>| {
            let now = text();
            if previous.is_some_and(|previous| draft.with_untracked(|d| *d == previous)) {
                draft.set(now.clone());
            }
            now
        });
    };
    // The tools are drawn only while open (see `ui::disclosure`); the editor starts from
    // the text as shown each time they open.
    let open = RwSignal::new(false);
    let open_editor = opened(open, move || draft.set(text()));
    let delete = move |_| {
        let body = found.with_untracked(|f| {
            f.as_ref()
                .map(|(b, _, _)| serde_json::to_value(b).unwrap_or_default())
        });
        if let Some(body) = body {
            actions::delete(state, item, Kind::PlanItem, body);
        }
    };

    let user_lang = user_lang(use_i18n().lang);
    view! {
        <li class="item">
            <p class="item-text" lang=user_lang>{text}</p>
            <details class="tools no-print" on:toggle=event_handler(open_editor)>
                <summary>
                    {tr(PlanKey::Edit)}
                    <span class="visually-hidden">": " {text}</span>
                </summary>
                {shown(move || open.get(), move || view! {
                {follow_text()}
                <TextForm
                    id=format!("item-{item}")
                    label=PlanKey::ItemTextLabel
                    button=PlanKey::Save
                    value=draft
                    parse=ItemText::parse
                    max=ItemText::MAX_CHARS
                    save=move |text, done| actions::edit_item(state, item, text, done)
                    multiline=true
                />
                <div class="tool-row">
                    <button type="button" disabled=first on:click=click_handler(move |_| actions::move_item(state, item, Direction::Up))>
                        {tr(PlanKey::MoveUp)}
                    </button>
                    <button type="button" disabled=last on:click=click_handler(move |_| actions::move_item(state, item, Direction::Down))>
                        {tr(PlanKey::MoveDown)}
                    </button>
                    <button type="button" class="danger" on:click=click_handler(delete)>
                        {tr(PlanKey::Delete)}
                    </button>
                </div>
                <HistoryList id=item kind=Kind::PlanItem describe=|body| {
                    body.get("text").and_then(|t| t.as_str()).map(str::to_owned)
                } />
                }.drawn())}
            </details>
        </li>
    }
}
