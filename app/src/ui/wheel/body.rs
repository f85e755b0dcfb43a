//! The wheel itself, drawn once the plan has been read from the phone: the wheel's state
//! (`super::state`), a line when some of its records could not be read, the undo bar, the
//! drawing, every visible area, the hidden ones, a form for an area of one's own, the open
//! measures and the collaboration checklist. All of it is in the `later` chunk
//! ([`wheel_part`], see `ui::later_view`), fetched after the page is up, and drawn in three
//! turns (`in_turn`).

use super::actions;
use super::area::AreaCard;
use super::checklist::Checklist;
use super::drawing::WheelDrawing;
use super::measures::OpenMeasures;
use super::messages::area_name;
use super::state::{provide_wheel_state, use_wheel};
use crate::i18n::{tr, use_i18n, WheelKey};
use crate::model::record::RecordId;
use crate::model::text::AreaName;
use crate::ui::events::click_handler;
use crate::ui::later_view::{in_turn, later_part, LaterView};
use crate::ui::later_view::{shown, Drawn, DrawnEach};
use crate::ui::plan::text_form::TextForm;
use crate::ui::plan::undo::UndoBar;
use leptos::prelude::*;

later_part!(
    /// The wheel's part of the page, in the `later` chunk with the code that reads the plan:
    /// see `ui::later_view`.
    pub fn wheel_part => draw
);

fn draw() -> Box<dyn leptos::tachys::view::Mountable> {
    let state = provide_wheel_state();
    // The page says it when the plan's store had something unreadable; this, when only the
    // wheel's records did (once, in the same place).
    let unreadable = move || {
        !state.unreadable.get()
            && state
                .wheel
                .with(|w| w.as_ref().is_some_and(|w| !w.problems.is_empty()))
    };
    // In turns, top to bottom (`in_turn`), each in a browser task of its own: the drawing;
    // the areas; the open measures and the checklist. A new user's wheel was drawn in one
    // task of 70 to 85 ms here (traced first visits to `/hjulet`, medians); each turn is now
    // 15 to 25 ms (README, "Start-up", stop 33).
    LaterView::boxed(view! {
        {in_turn(move || view! {
            {shown(unreadable, move || view! {
                <p class="status-error">{tr(WheelKey::PlanUnreadable)}</p>
            }.drawn())}
            <UndoBar />
            <WheelDrawing />
        }.drawn())}
        {in_turn(move || view! {
            <section class="areas" aria-labelledby="areas-title">
                <h2 id="areas-title">{tr(WheelKey::AreasTitle)}</h2>
                <p class="help">{tr(WheelKey::AreasHelp)}</p>
                <Areas />
                <HiddenAreas />
                <TextForm
                    id="new-area".to_owned()
                    label=WheelKey::AreaNewLabel
                    button=WheelKey::AreaAdd
                    value=RwSignal::new(String::new())
                    parse=AreaName::parse
                    max=AreaName::MAX_CHARS
                    save=move |name, done| actions::add_area(state, name, done)
                    clear_on_save=true
                    class="add-area"
                />
            </section>
        }.drawn())}
        {in_turn(|| view! {
            <OpenMeasures />
            <Checklist />
        }.drawn())}
    })
}

#[component]
fn Areas() -> impl IntoView {
    let state = use_wheel();
    let ids = Memo::new(move |_| {
        state.wheel.with(|w| {
            w.as_ref()
                .map(|w| w.visible_areas().map(|a| a.id).collect::<Vec<RecordId>>())
                .unwrap_or_default()
        })
    });
    view! {
        <ul class="area-list">
            <For each=move || ids.get() key=|id| *id children=|id| view! { <AreaCard id /> }.drawn() />
        </ul>
    }
    .drawn()
}

#[component]
fn HiddenAreas() -> impl IntoView {
    let state = use_wheel();
    let lang = use_i18n().lang;
    let hidden = Memo::new(move |_| {
        let lang = lang.get();
        state.wheel.with(|w| {
            w.as_ref()
                .map(|w| {
                    w.areas
                        .iter()
                        .filter(|a| a.body.hidden)
                        .map(|a| (a.id, area_name(&a.body, lang)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    view! {
        {shown(move || hidden.with(|h| !h.is_empty()), move || view! {
            <div class="hidden-areas">
                <h3>{tr(WheelKey::HiddenAreas)}</h3>
                <ul>
                    {move || {
                        hidden
                            .get()
                            .into_iter()
                            .map(|(id, name)| view! {
                                <li>
                                    <span>{name}</span>
                                    " "
                                    <button type="button" on:click=click_handler(move |_| actions::set_area_hidden(state, id, false))>
                                        {tr(WheelKey::AreaShow)}
                                    </button>
                                </li>
                            })
                            .drawn_each()
                    }}
                </ul>
            </div>
        }.drawn())}
    }
    .drawn()
}
