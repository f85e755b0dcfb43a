//! One item of a section: its text, and behind "Endre" the tools — edit the text, move it
//! up or down (buttons, not dragging: they work with a keyboard and a screen reader), delete
//! it (with undo) and see or restore earlier versions.

use super::actions;
use super::history::HistoryList;
use super::messages::FieldError;
use super::state::use_plan;
use crate::i18n::{tr, use_i18n, Key};
use crate::model::plan::Direction;
use crate::model::record::{Kind, RecordId};
use crate::model::text::ItemText;
use leptos::prelude::*;

#[component]
pub fn ItemRow(section: RecordId, item: RecordId) -> impl IntoView {
    let state = use_plan();
    let lang = use_i18n().lang;
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
    let error = RwSignal::new(None::<FieldError>);
    let field = format!("item-{item}");
    let error_id = format!("item-error-{item}");
    let open_editor = move |_| {
        draft.set(text());
        error.set(None);
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match ItemText::parse(&draft.get_untracked()) {
            Err(e) => error.set(Some(e.into())),
            Ok(parsed) => actions::edit_item(
                state,
                item,
                parsed,
                Box::new(move |r| error.set(r.err().map(Into::into))),
            ),
        }
    };
    let delete = move |_| {
        let body = found.with_untracked(|f| {
            f.as_ref()
                .map(|(b, _, _)| serde_json::to_value(b).unwrap_or_default())
        });
        if let Some(body) = body {
            actions::delete(state, item, Kind::PlanItem, body);
        }
    };

    view! {
        <li class="item">
            <p class="item-text">{text}</p>
            <details class="tools no-print" on:toggle=open_editor>
                <summary>
                    {tr(Key::Edit)}
                    <span class="visually-hidden">": " {text}</span>
                </summary>
                <form on:submit=save>
                    <label for=field.clone()>{tr(Key::ItemTextLabel)}</label>
                    <textarea
                        id=field
                        rows="3"
                        prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev))
                        aria-invalid=move || error.with(Option::is_some).then_some("true")
                        aria-describedby=error_id.clone()
                    ></textarea>
                    <p id=error_id class="field-error">{move || error.get().map(|e| e.message(lang.get()))}</p>
                    <button type="submit">{tr(Key::Save)}</button>
                </form>
                <div class="tool-row">
                    <button type="button" disabled=first on:click=move |_| actions::move_item(state, item, Direction::Up)>
                        {tr(Key::MoveUp)}
                    </button>
                    <button type="button" disabled=last on:click=move |_| actions::move_item(state, item, Direction::Down)>
                        {tr(Key::MoveDown)}
                    </button>
                    <button type="button" class="danger" on:click=delete>
                        {tr(Key::Delete)}
                    </button>
                </div>
                <HistoryList id=item kind=Kind::PlanItem describe=|body| {
                    body.get("text").and_then(|t| t.as_str()).map(str::to_owned)
                } />
            </details>
        </li>
    }
}
