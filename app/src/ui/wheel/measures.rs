//! Measures (*tiltak*): per area, what will be done, who has the main responsibility, by
//! when, and where it stands; and the overview of every open measure by date.

use super::actions;
use super::messages::{area_name, responsible_text, status_text};
use super::state::use_wheel;
use crate::i18n::{tr, use_i18n, WheelKey};
use crate::model::date::Date;
use crate::model::record::{Kind, RecordId};
use crate::model::text::{ContactName, ItemText};
use crate::model::wheel::{MeasureStatus, MeasureView, Responsible};
use crate::ui::events::{click_handler, event_handler, submit_handler};
use crate::ui::later_view::{shown, shown_or, Drawn, DrawnEach};
use crate::ui::plan::messages::FieldError;
use leptos::prelude::*;

#[component]
pub fn AreaMeasures(id: RecordId) -> impl IntoView {
    let state = use_wheel();
    let ids = Memo::new(move |_| {
        state.wheel.with(|w| {
            w.as_ref()
                .and_then(|w| w.area(id))
                .map(|a| a.measures.iter().map(|m| m.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    view! {
        <div class="measures">
            <h4>{tr(WheelKey::MeasuresTitle)}</h4>
            {shown(move || ids.with(Vec::is_empty), move || view! {
                <p class="empty-marker">{tr(WheelKey::MeasuresNone)}</p>
            }.drawn())}
            <ul class="measure-list">
                <For
                    each=move || ids.get()
                    key=|id| *id
                    children=|measure| view! { <MeasureRow measure /> }.drawn()
                />
            </ul>
            <MeasureForm area=id />
        </div>
    }
    .drawn()
}

#[component]
fn MeasureRow(measure: RecordId) -> impl IntoView {
    let state = use_wheel();
    let lang = use_i18n().lang;
    let view_of = Memo::new(move |_| {
        state.wheel.with(|w| {
            w.as_ref()
                .and_then(|w| w.measure(measure).map(|(_, m)| m.clone()))
        })
    });
    let select_id = format!("status-{measure}");
    let user_lang = crate::ui::plan::messages::user_lang(lang);
    let text = move || {
        view_of.with(|m| {
            m.as_ref()
                .map(|m| m.body.what.as_str().to_owned())
                .unwrap_or_default()
        })
    };
    let details = move || view_of.with(|m| m.as_ref().map(|m| describe(m, lang.get())).unwrap_or_default());
    let status = move || view_of.with(|m| m.as_ref().map(|m| m.body.status.key()).unwrap_or_default());
    let delete = move |_| {
        if let Some(m) = view_of.get_untracked() {
            let body = serde_json::to_value(&m.body).unwrap_or_default();
            crate::ui::plan::actions::delete(state.plan, measure, Kind::WheelMeasure, body);
        }
    };
    view! {
        <li class="measure" data-status=status>
            <p class="measure-what" lang=user_lang>{text}</p>
            <p class="measure-details">{details}</p>
            <div class="tool-row">
                <label for=select_id.clone()>{tr(WheelKey::MeasureStatus)}</label>
                <select
                    id=select_id
                    on:change=event_handler(move |ev| {
                        if let Some(status) = MeasureStatus::parse(&event_target_value(&ev)) {
                            actions::set_measure_status(state, measure, status);
                        }
                    })
                >
                    {MeasureStatus::ALL
                        .into_iter()
                        .map(|s| {
                            view! {
                                <option value=s.key() prop:selected=move || status() == s.key()>
                                    {tr(status_text(s))}
                                </option>
                            }
                        })
                        .drawn_each()}
                </select>
                <button type="button" on:click=click_handler(delete)>{tr(WheelKey::Delete)}</button>
            </div>
        </li>
    }
    .drawn()
}

/// "Ansvar: Kari (person) · Frist: 01.12.2026 · Planlagt".
fn describe(measure: &MeasureView, lang: crate::model::lang::Lang) -> String {
    let due = match measure.body.due {
        Some(due) => format!("{} {}", WheelKey::MeasureDue.text(lang), due.display_nb()),
        None => WheelKey::MeasureNoDue.text(lang).to_owned(),
    };
    format!(
        "{} {} · {} · {}",
        WheelKey::MeasureResponsible.text(lang),
        responsible_text(&measure.body.responsible, lang),
        due,
        status_text(measure.body.status).text(lang)
    )
}

/// Who is responsible, as the form holds it before it is parsed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Who {
    Me,
    Person,
    Service,
}

#[component]
fn MeasureForm(area: RecordId) -> impl IntoView {
    let state = use_wheel();
    let lang = use_i18n().lang;
    let what = RwSignal::new(String::new());
    let who = RwSignal::new(Who::Me);
    let name = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let what_error = RwSignal::new(None::<FieldError>);
    let name_error = RwSignal::new(None::<FieldError>);
    let due_error = RwSignal::new(None::<FieldError>);
    let prefix = format!("measure-{area}");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = ItemText::parse(&what.get_untracked()).map_err(FieldError::from);
        let responsible = match who.get_untracked() {
            Who::Me => Ok(Responsible::Me),
            kind => match ContactName::parse(&name.get_untracked()) {
                Ok(name) if kind == Who::Person => Ok(Responsible::Person { name }),
                Ok(name) => Ok(Responsible::Service { name }),
                Err(crate::model::text::TextError::Empty) => Err(FieldError::ResponsibleName),
                Err(e) => Err(e.into()),
            },
        };
        let date = match due.get_untracked().trim() {
            "" => Ok(None),
            text => Date::parse(text).map(Some).map_err(FieldError::from),
        };
        what_error.set(text.as_ref().err().copied());
        name_error.set(responsible.as_ref().err().copied());
        due_error.set(date.as_ref().err().copied());
        if let (Ok(text), Ok(responsible), Ok(date)) = (text, responsible, date) {
            actions::add_measure(
                state,
                area,
                text,
                responsible,
                date,
                Box::new(move |result| match result {
                    Ok(()) => {
                        what.set(String::new());
                        name.set(String::new());
                        due.set(String::new());
                        who.set(Who::Me);
                    }
                    Err(e) => what_error.set(Some(e.into())),
                }),
            );
        }
    };
    let error_text =
        move |error: RwSignal<Option<FieldError>>| move || error.get().map(|e| e.message(lang.get()));
    let invalid =
        move |error: RwSignal<Option<FieldError>>| move || error.with(Option::is_some).then_some("true");
    let what_id = format!("{prefix}-what");
    let name_id = format!("{prefix}-name");
    let name_error_id = format!("{name_id}-error");
    let name_error_ref = name_error_id.clone();
    let due_id = format!("{prefix}-due");
    let radio = {
        let prefix = prefix.clone();
        move |value: Who, label: WheelKey| {
            view! {
                <label class="radio">
                    <input
                        type="radio"
                        name=format!("{prefix}-who")
                        prop:checked=move || who.get() == value
                        on:change=event_handler(move |_| who.set(value))
                    />
                    {tr(label)}
                </label>
            }
        }
    };
    view! {
        <details class="add-measure">
            <summary>{tr(WheelKey::MeasureAdd)}</summary>
            <form on:submit=submit_handler(submit)>
                <label for=what_id.clone()>{tr(WheelKey::MeasureWhat)}</label>
                <textarea
                    id=what_id.clone()
                    rows="2"
                    prop:value=move || what.get()
                    on:input=event_handler(move |ev| what.set(event_target_value(&ev)))
                    aria-invalid=invalid(what_error)
                    aria-describedby=format!("{what_id}-error")
                ></textarea>
                <p id=format!("{what_id}-error") class="field-error">{error_text(what_error)}</p>
                <fieldset class="who">
                    <legend>{tr(WheelKey::MeasureWho)}</legend>
                    {radio(Who::Me, WheelKey::ResponsibleMe)}
                    {radio(Who::Person, WheelKey::ResponsiblePerson)}
                    {radio(Who::Service, WheelKey::ResponsibleService)}
                </fieldset>
                {shown(move || who.get() != Who::Me, move || view! {
                    <label for=name_id.clone()>{tr(WheelKey::MeasureWhoName)}</label>
                    <input
                        id=name_id.clone()
                        type="text"
                        autocomplete="off"
                        prop:value=move || name.get()
                        on:input=event_handler(move |ev| name.set(event_target_value(&ev)))
                        aria-invalid=invalid(name_error)
                        aria-describedby=name_error_ref.clone()
                    />
                }.drawn())}
                <p id=name_error_id class="field-error">{error_text(name_error)}</p>
                <label for=due_id.clone()>{tr(WheelKey::MeasureDueLabel)}</label>
                <input
                    id=due_id.clone()
                    type="date"
                    prop:value=move || due.get()
                    on:input=event_handler(move |ev| due.set(event_target_value(&ev)))
                    aria-invalid=invalid(due_error)
                    aria-describedby=format!("{due_id}-error")
                />
                <p id=format!("{due_id}-error") class="field-error">{error_text(due_error)}</p>
                <button type="submit">{tr(WheelKey::MeasureSave)}</button>
            </form>
        </details>
    }
    .drawn()
}

/// Every open measure of every area, the earliest deadline first.
#[component]
pub fn OpenMeasures() -> impl IntoView {
    let state = use_wheel();
    let lang = use_i18n().lang;
    let open = Memo::new(move |_| {
        let lang = lang.get();
        state.wheel.with(|w| {
            w.as_ref()
                .map(|w| {
                    w.open_measures()
                        .into_iter()
                        .map(|(area, m)| {
                            (
                                m.id,
                                m.body.what.as_str().to_owned(),
                                area_name(&area.body, lang),
                                describe(m, lang),
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <section class="open-measures" aria-labelledby="open-measures">
            <h2 id="open-measures">{tr(WheelKey::OpenMeasuresTitle)}</h2>
            {shown_or(move || open.with(|o| !o.is_empty()), move || view! {
                <ol>
                    {move || {
                        open.get()
                            .into_iter()
                            .map(|(_, what, area, details)| view! {
                                <li>
                                    <strong>{what}</strong>
                                    <span class="measure-area">" – " {area}</span>
                                    <br />
                                    <span class="measure-details">{details}</span>
                                </li>
                            })
                            .drawn_each()
                    }}
                </ol>
            }.drawn(), || view! { <p>{tr(WheelKey::OpenMeasuresNone)}</p> }.drawn())}
        </section>
    }
    .drawn()
}
