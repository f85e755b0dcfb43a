//! One section of the plan: its name and help, its items in order, a form to add one, and
//! the section's own tools (rename, move, hide, history). The contacts section shows the
//! contacts instead of text items.

use super::actions;
use super::contact::{ContactForm, ContactList};
use super::history::HistoryList;
use super::item::ItemRow;
use super::messages::{section_help, section_name, FieldError};
use super::state::use_plan;
use crate::i18n::{tr, use_i18n, Key};
use crate::model::plan::{DefaultSection, Direction, SectionView};
use crate::model::record::{Kind, RecordId};
use crate::model::text::{ItemText, SectionName};
use leptos::prelude::*;

#[component]
pub fn SectionCard(id: RecordId) -> impl IntoView {
    let state = use_plan();
    let lang = use_i18n().lang;
    let view_of = Memo::new(move |_| {
        state
            .plan
            .with(|p| p.as_ref().and_then(|p| p.section(id).cloned()))
    });
    let is_contacts = view_of
        .with_untracked(|v| v.as_ref().and_then(|v| v.body.default_key) == Some(DefaultSection::Contacts));
    let heading_id = format!("section-{id}");
    let name = move || {
        view_of.with(|v| {
            v.as_ref()
                .map(|v| section_name(&v.body, lang.get()))
                .unwrap_or_default()
        })
    };
    let help = move || {
        view_of.with(|v| {
            v.as_ref()
                .map(|v| section_help(&v.body, lang.get()))
                .unwrap_or_default()
        })
    };
    let empty = move || {
        if is_contacts {
            state
                .plan
                .with(|p| p.as_ref().is_some_and(|p| p.contacts.is_empty()))
        } else {
            view_of.with(|v| v.as_ref().is_some_and(|v| v.items.is_empty()))
        }
    };
    let item_ids = move || {
        view_of.with(|v| {
            v.as_ref()
                .map(|v| v.items.iter().map(|i| i.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };

    view! {
        <section class="plan-section" class:is-empty=empty aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{name}</h2>
            <p class="help">{help}</p>
            <Show when=empty>
                <p class="empty-marker">{tr(Key::SectionEmpty)}</p>
            </Show>
            {if is_contacts {
                view! {
                    <ContactList />
                    <ContactForm />
                }
                    .into_any()
            } else {
                view! {
                    <ol class="items">
                        <For each=item_ids key=|id| *id let:item>
                            <ItemRow section=id item />
                        </For>
                    </ol>
                    <AddItemForm section=id />
                }
                    .into_any()
            }}
            <SectionTools id view_of />
        </section>
    }
}

#[component]
fn AddItemForm(section: RecordId) -> impl IntoView {
    let state = use_plan();
    let lang = use_i18n().lang;
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FieldError>);
    let field = format!("new-item-{section}");
    let error_id = format!("new-item-error-{section}");
    let check = move |value: &str| match ItemText::parse(value) {
        Err(e @ crate::model::text::TextError::TooLong { .. }) => error.set(Some(e.into())),
        _ => error.set(None),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match ItemText::parse(&text.get_untracked()) {
            Err(e) => error.set(Some(e.into())),
            Ok(parsed) => actions::add_item(
                state,
                section,
                parsed,
                Box::new(move |result| match result {
                    Ok(()) => {
                        text.set(String::new());
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e.into())),
                }),
            ),
        }
    };
    view! {
        <form class="add-item no-print" on:submit=submit>
            <label for=field.clone()>{tr(Key::ItemNewLabel)}</label>
            <textarea
                id=field
                rows="2"
                prop:value=move || text.get()
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    check(&value);
                    text.set(value);
                }
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=error_id.clone()
            ></textarea>
            <p id=error_id class="field-error">{move || error.get().map(|e| e.message(lang.get()))}</p>
            <button type="submit">{tr(Key::ItemAdd)}</button>
        </form>
    }
}

#[component]
fn SectionTools(id: RecordId, view_of: Memo<Option<SectionView>>) -> impl IntoView {
    let state = use_plan();
    let lang = use_i18n().lang;
    let is_default = view_of.with_untracked(|v| v.as_ref().is_some_and(|v| v.body.default_key.is_some()));
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FieldError>);
    let field = format!("rename-{id}");
    let error_id = format!("rename-error-{id}");
    // Start the field from the name as shown, each time the tools open.
    let on_toggle = move |_| {
        name.set(view_of.with_untracked(|v| {
            v.as_ref()
                .map(|v| section_name(&v.body, lang.get_untracked()))
                .unwrap_or_default()
        }))
    };
    let done = move || -> Box<dyn FnOnce(Result<(), crate::model::plan::EditError>)> {
        Box::new(move |result| error.set(result.err().map(Into::into)))
    };
    let rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match SectionName::parse(&name.get_untracked()) {
            Err(e) => error.set(Some(e.into())),
            Ok(parsed) => actions::rename_section(state, id, Some(parsed), done()),
        }
    };
    view! {
        <details class="tools no-print" on:toggle=on_toggle>
            <summary>{tr(Key::SectionTools)}</summary>
            <form on:submit=rename>
                <label for=field.clone()>{tr(Key::SectionNameLabel)}</label>
                <input
                    id=field
                    type="text"
                    autocomplete="off"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=error_id.clone()
                />
                <p id=error_id class="field-error">{move || error.get().map(|e| e.message(lang.get()))}</p>
                <button type="submit">{tr(Key::SectionRename)}</button>
            </form>
            <div class="tool-row">
                {is_default.then(|| view! {
                    <button type="button" on:click=move |_| actions::rename_section(state, id, None, done())>
                        {tr(Key::SectionResetName)}
                    </button>
                })}
                <button type="button" on:click=move |_| actions::move_section(state, id, Direction::Up)>
                    {tr(Key::MoveUp)}
                </button>
                <button type="button" on:click=move |_| actions::move_section(state, id, Direction::Down)>
                    {tr(Key::MoveDown)}
                </button>
                <button type="button" on:click=move |_| actions::set_section_hidden(state, id, true)>
                    {tr(Key::SectionHide)}
                </button>
            </div>
            <HistoryList id kind=Kind::PlanSection describe=move |body| {
                body.get("name").and_then(|n| n.as_str()).map(str::to_owned)
            } />
        </details>
    }
}
