//! The plan page: every visible section in order, the hidden ones at the end, a form for a
//! section of one's own, a gentle count of empty sections, and the print button.

use super::actions;
use super::messages::{section_name, today};
use super::section::SectionCard;
use super::state::{use_plan, Status};
use super::text_form::TextForm;
use super::undo::UndoBar;
use crate::i18n::{fill, tr, use_i18n, PlanKey};
use crate::model::record::RecordId;
use crate::model::text::SectionName;
use crate::ui::conflicts::ConflictList;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn PlanPage() -> impl IntoView {
    let state = use_plan();
    let loaded = move || state.plan.with(Option::is_some);
    // Set after hydration: the server renders no date, and the HTML must match.
    let printed_on = RwSignal::new(String::new());
    Effect::new(move |_| printed_on.set(today().map(|d| d.display_nb()).unwrap_or_default()));
    view! {
        <div class="plan">
            <p class="print-only">{tr(PlanKey::PrintedOn)} " " {move || printed_on.get()}</p>
            <h1>{tr(PlanKey::PlanTitle)}</h1>
            <p class="intro">{tr(PlanKey::PlanIntro)}</p>
            <StatusLine />
            <ConflictList />
            <Show when=move || state.unreadable.get()>
                <p class="status-error no-print">{tr(PlanKey::PlanUnreadable)}</p>
            </Show>
            <Show when=loaded fallback=|| view! { <p class="loading">{tr(PlanKey::PlanLoading)}</p> }>
                <EmptyCount />
                <PlanContents />
                <Sections />
                <HiddenSections />
                <AddSectionForm />
                <PrintedNumbers />
                <div class="plan-tools no-print">
                    <button type="button" on:click=move |_| print()>{tr(PlanKey::Print)}</button>
                    <A href="/innstillinger">{tr(PlanKey::SettingsLink)}</A>
                </div>
            </Show>
        </div>
    }
}

fn print() {
    #[cfg(feature = "hydrate")]
    let _ = window().print();
}

/// "Lagret på denne telefonen", a failure, or "Slettet. Angre" — announced politely.
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
        <UndoBar />
    }
}

#[component]
fn EmptyCount() -> impl IntoView {
    let state = use_plan();
    let lang = use_i18n().lang;
    let counts = Memo::new(move |_| {
        state.plan.with(|plan| {
            let plan = plan.as_ref()?;
            let visible: Vec<_> = plan.visible_sections().collect();
            let contacts = plan.contacts.len();
            let empty = visible
                .iter()
                .filter(|s| {
                    let is_contacts =
                        s.body.default_key == Some(crate::model::plan::DefaultSection::Contacts);
                    if is_contacts {
                        contacts == 0
                    } else {
                        s.items.is_empty()
                    }
                })
                .count();
            (empty > 0).then_some((empty, visible.len()))
        })
    });
    view! {
        {move || {
            counts.get().map(|(empty, total)| {
                view! {
                    <p class="gentle no-print">
                        {fill(PlanKey::PlanEmptyCount.text(lang.get()), &[("n", empty.to_string()), ("total", total.to_string())])}
                    </p>
                }
            })
        }}
    }
}

#[component]
fn Sections() -> impl IntoView {
    let state = use_plan();
    let ids = Memo::new(move |_| {
        state.plan.with(|plan| {
            plan.as_ref()
                .map(|p| p.visible_sections().map(|s| s.id).collect::<Vec<RecordId>>())
                .unwrap_or_default()
        })
    });
    view! {
        <For each=move || ids.get() key=|id| *id let:id>
            <SectionCard id />
        </For>
    }
}

#[component]
fn HiddenSections() -> impl IntoView {
    let state = use_plan();
    let lang = use_i18n().lang;
    let hidden = Memo::new(move |_| {
        state.plan.with(|plan| {
            plan.as_ref()
                .map(|p| {
                    p.sections
                        .iter()
                        .filter(|s| s.body.hidden)
                        .map(|s| (s.id, s.body.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <Show when=move || hidden.with(|h| !h.is_empty())>
            <section class="hidden-sections no-print" aria-labelledby="hidden-sections">
                <h2 id="hidden-sections">{tr(PlanKey::HiddenSections)}</h2>
                <ul>
                    {move || {
                        hidden
                            .get()
                            .into_iter()
                            .map(|(id, body)| {
                                view! {
                                    <li>
                                        <span>{section_name(&body, lang.get())}</span>
                                        " "
                                        <button
                                            type="button"
                                            on:click=move |_| actions::set_section_hidden(state, id, false)
                                        >
                                            {tr(PlanKey::SectionShow)}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </section>
        </Show>
    }
}

#[component]
fn AddSectionForm() -> impl IntoView {
    let state = use_plan();
    view! {
        <TextForm
            id="new-section".to_owned()
            label=PlanKey::SectionNewLabel
            button=PlanKey::SectionAdd
            value=RwSignal::new(String::new())
            parse=SectionName::parse
            max=SectionName::MAX_CHARS
            save=move |name, done| actions::add_section(state, name, done)
            clear_on_save=true
            class="add-section no-print"
        />
    }
}

/// On paper only: the emergency numbers, so a printed plan on the fridge has them too.
#[component]
fn PrintedNumbers() -> impl IntoView {
    use crate::model::emergency::EMERGENCY_NUMBERS;
    let numbers = EMERGENCY_NUMBERS
        .iter()
        .map(|number| {
            let (name, _) = crate::ui::crisis::labels(number.service);
            view! { <li><strong>{number.display}</strong> " " {tr(name)}</li> }
        })
        .collect_view();
    view! {
        <section class="print-only printed-numbers" aria-labelledby="printed-numbers">
            <h2 id="printed-numbers">{tr(PlanKey::CrisisNumbersTitle)}</h2>
            <ul>{numbers}</ul>
        </section>
    }
}

/// A short table of contents: the sections by name, one tap to each (the plan is long).
#[component]
fn PlanContents() -> impl IntoView {
    let state = use_plan();
    let lang = use_i18n().lang;
    let entries = Memo::new(move |_| {
        state.plan.with(|plan| {
            plan.as_ref()
                .map(|plan| {
                    plan.visible_sections()
                        .map(|s| (s.id, section_name(&s.body, lang.get())))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    view! {
        // Folded: ten section names would be a screen of their own on a phone.
        <nav class="plan-contents no-print" aria-label=move || PlanKey::PlanContents.text(lang.get())>
            <details>
                <summary>{tr(PlanKey::PlanContentsOpen)}</summary>
                <ul>
                    {move || entries.get().into_iter().map(|(id, name)| view! {
                        <li><a href=format!("#section-{id}")>{name}</a></li>
                    }).collect_view()}
                </ul>
            </details>
        </nav>
    }
}
