//! The plan itself, drawn once it has been read from the phone: the undo bar, changes made
//! on two phones, a gentle count of empty sections, the table of contents, every visible
//! section in order, the hidden ones, a form for a section of one's own, the emergency
//! numbers for paper, and the print button. All of it is in the `later` chunk
//! ([`plan_part`], see `ui::later_view`), fetched after the page is up, and drawn in five
//! turns (`in_turn`).

use super::actions;
use super::messages::section_name;
use super::section::SectionCard;
use super::state::use_plan;
use super::text_form::TextForm;
use super::undo::UndoBar;
use crate::i18n::{fill, tr, use_i18n, PlanKey};
use crate::model::record::RecordId;
use crate::model::text::SectionName;
use crate::ui::conflicts::ConflictList;
use crate::ui::events::click_handler;
use crate::ui::later_view::{in_turn, in_turn_with, later_part, shown, Drawn, DrawnEach, LaterView};
use leptos::prelude::*;
use leptos_router::components::A;

later_part!(
    /// The plan's part of the page, in the `later` chunk with the code that reads the plan:
    /// see `ui::later_view`.
    pub fn plan_part => draw
);

fn draw() -> Box<dyn leptos::tachys::view::Mountable> {
    // In turns, top to bottom (`in_turn`), each in a browser task of its own: the undo bar,
    // conflicts and count; the table of contents; the first section; the other sections
    // (`Sections`); what is below them. Not a turn per section: the browser lays the page
    // out between turns, and with 200 items a turn per section made the plan whole 1.1 →
    // 1.6 s after navigation at 4× CPU (medians of nine). The last turn, once drawn, marks
    // the plan as drawn (`tillit:plan-drawn`).
    let rest = RwSignal::new(false);
    LaterView::boxed(view! {
        {in_turn(|| view! {
            <UndoBar />
            <ConflictList />
            <EmptyCount />
        }.drawn())}
        {in_turn(|| view! { <PlanContents /> }.drawn())}
        {in_turn(move || view! { <Sections rest /> }.drawn())}
        // The other sections' turn: queued here, in the page's order, before the last one.
        // (Their rows, made in the turn above, find it queued.)
        {in_turn_with(rest, || ().drawn())}
        {in_turn(|| {
            // Once this turn is on the page: a future spawned here runs in a microtask after
            // the task that builds and mounts what this returns.
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(async { crate::perf::mark("plan-drawn") });
            view! {
                <HiddenSections />
                <AddSectionForm />
                <PrintedNumbers />
                <div class="plan-tools no-print">
                    <button type="button" on:click=click_handler(move |_| print())>{tr(PlanKey::Print)}</button>
                    <A href="/innstillinger">{tr(PlanKey::SettingsLink)}</A>
                </div>
            }.drawn()
        })}
    })
}

fn print() {
    #[cfg(feature = "hydrate")]
    let _ = window().print();
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

/// The visible sections: the first drawn at once, the others once `rest` is true.
#[component]
fn Sections(rest: RwSignal<bool>) -> impl IntoView {
    let state = use_plan();
    let ids = Memo::new(move |_| {
        state.plan.with(|plan| {
            plan.as_ref()
                .map(|p| p.visible_sections().map(|s| s.id).collect::<Vec<RecordId>>())
                .unwrap_or_default()
        })
    });
    // The first section in this turn, the others in the next, together (`in_turn_with`):
    // drawing a new user's ten sections was one task of 18 to 50 ms here, the first section
    // and the contacts section most of it (V8 compiling each function on its first call).
    // Still one `<For>`: a section moved up or down keeps its card (and the focus on its
    // buttons).
    view! {
        <For each=move || ids.get() key=|id| *id children=move |id| {
            if ids.with_untracked(|ids| ids.first() == Some(&id)) || rest.get_untracked() {
                view! { <SectionCard id /> }.drawn()
            } else {
                in_turn_with(rest, move || view! { <SectionCard id /> }.drawn()).drawn()
            }
        } />
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
        {shown(move || hidden.with(|h| !h.is_empty()), move || view! {
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
                                            on:click=click_handler(move |_| actions::set_section_hidden(state, id, false))
                                        >
                                            {tr(PlanKey::SectionShow)}
                                        </button>
                                    </li>
                                }
                            })
                            .drawn_each()
                    }}
                </ul>
            </section>
        }.drawn())}
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
        .drawn_each();
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
                    }).drawn_each()}
                </ul>
            </details>
        </nav>
    }
}
