//! One section of the plan: its name and help, its items in order, a folded form to add one, and
//! the section's own tools (rename, move, hide, history). The contacts section shows the
//! contacts instead of text items.

use super::actions;
use super::contact::{ContactForm, ContactList};
use super::history::HistoryList;
use super::item::ItemRow;
use super::messages::{section_help, section_name, user_lang};
use super::state::use_plan;
use super::text_form::TextForm;
use crate::i18n::{tr, use_i18n, PlanKey};
use crate::model::plan::{DefaultSection, Direction, SectionView};
use crate::model::record::{Kind, RecordId};
use crate::model::text::{ItemText, SectionName};
use crate::ui::disclosure::{is_open, opened};
use crate::ui::events::{click_handler, event_handler};
use crate::ui::later_view::{shown, Drawn};
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
    // A name the user gave is in their words; a default one is in the page's language.
    let own_name = move || {
        let own = view_of.with(|v| v.as_ref().is_some_and(|v| v.body.name.is_some()));
        own.then(|| user_lang(lang)()).flatten()
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
            <h2 id=heading_id.clone() lang=own_name>{name}</h2>
            <p class="help">{help}</p>
            {shown(empty, move || view! {
                <p class="empty-marker">{tr(PlanKey::SectionEmpty)}</p>
            }.drawn())}
            {if is_contacts {
                view! {
                    <ContactList />
                    <ContactForm />
                }
                    .drawn()
            } else {
                view! {
                    <ol class="items">
                        <For
                            each=item_ids
                            key=|id| *id
                            children=move |item| view! { <ItemRow section=id item /> }.drawn()
                        />
                    </ol>
                    <AddItemToggle section=id name=Signal::derive(name) />
                }
                    .drawn()
            }}
            <SectionTools id view_of />
        </section>
    }
}

/// "+ Legg til et punkt": the form folded away until asked for, so that eight sections do
/// not make eight forms (the plan page was about 6,700 px long); opening it puts the cursor
/// in the field.
#[component]
fn AddItemToggle(section: RecordId, name: Signal<String>) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <details class="add-item-toggle no-print" on:toggle=event_handler(move |ev| open.set(is_open(&ev)))>
            <summary>
                {tr(PlanKey::ItemAddOpen)}
                <span class="visually-hidden">" (" {name} ")"</span>
            </summary>
            {shown(move || open.get(), move || view! {
                <AddItemForm section />
            }.drawn())}
        </details>
    }
}

#[component]
fn AddItemForm(section: RecordId) -> impl IntoView {
    let state = use_plan();
    // Opened by a tap on "+ Legg til et punkt": the field is what comes next.
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        if let Some(field) = document()
            .get_element_by_id(&format!("new-item-{section}"))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = field.focus();
        }
    });
    view! {
        <TextForm
            id=format!("new-item-{section}")
            label=PlanKey::ItemNewLabel
            button=PlanKey::ItemAdd
            value=RwSignal::new(String::new())
            parse=ItemText::parse
            max=ItemText::MAX_CHARS
            save=move |text, done| actions::add_item(state, section, text, done)
            multiline=true
            clear_on_save=true
            class="add-item no-print"
        />
    }
}

#[component]
fn SectionTools(id: RecordId, view_of: Memo<Option<SectionView>>) -> impl IntoView {
    let state = use_plan();
    let lang = use_i18n().lang;
    let is_default = view_of.with_untracked(|v| v.as_ref().is_some_and(|v| v.body.default_key.is_some()));
    let name = RwSignal::new(String::new());
    let tools_open = RwSignal::new(false);
    // The field starts from the name as shown, each time the tools open.
    let on_toggle = opened(tools_open, move || {
        name.set(view_of.with_untracked(|v| {
            v.as_ref()
                .map(|v| section_name(&v.body, lang.get_untracked()))
                .unwrap_or_default()
        }))
    });
    // Everything behind "Endre delen" is drawn only while open: ten sections would otherwise
    // build ten rename forms, button rows and history lists (each scanning the records) in
    // the task that first draws a new user's plan, the longest of a first visit to `/`.
    view! {
        <details class="tools no-print" on:toggle=event_handler(on_toggle)>
            <summary>{tr(PlanKey::SectionTools)}</summary>
            {shown(move || tools_open.get(), move || view! {
                <TextForm
                    id=format!("rename-{id}")
                    label=PlanKey::SectionNameLabel
                    button=PlanKey::SectionRename
                    value=name
                    parse=SectionName::parse
                    max=SectionName::MAX_CHARS
                    save=move |name, done| actions::rename_section(state, id, Some(name), done)
                />
                <div class="tool-row">
                    {is_default.then(|| view! {
                        <button type="button" on:click=click_handler(move |_| actions::rename_section(state, id, None, Box::new(|_| {})))>
                            {tr(PlanKey::SectionResetName)}
                        </button>
                    })}
                    <button type="button" on:click=click_handler(move |_| actions::move_section(state, id, Direction::Up))>
                        {tr(PlanKey::MoveUp)}
                    </button>
                    <button type="button" on:click=click_handler(move |_| actions::move_section(state, id, Direction::Down))>
                        {tr(PlanKey::MoveDown)}
                    </button>
                    <button type="button" on:click=click_handler(move |_| actions::set_section_hidden(state, id, true))>
                        {tr(PlanKey::SectionHide)}
                    </button>
                </div>
                <HistoryList id kind=Kind::PlanSection describe=move |body| {
                    body.get("name").and_then(|n| n.as_str()).map(str::to_owned)
                } />
            }.drawn())}
        </details>
    }
}
