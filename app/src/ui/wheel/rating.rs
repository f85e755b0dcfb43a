//! Rating one area, and its ratings over time.
//!
//! Each scale is a group of radio buttons 1–10 plus "not now": reachable with one thumb,
//! with the keyboard (arrow keys move within a group) and named by a screen reader, which a
//! slider is not reliably. Every scale explains itself in one sentence. Nothing is required.

use super::actions;
use super::messages::scale_texts;
use super::state::use_wheel;
use super::trend::{Line, TrendChart};
use crate::i18n::{fill, tr, use_i18n, WheelKey};
use crate::model::date::Date;
use crate::model::record::{Kind, RecordId};
use crate::model::wheel::{Scale, Score, Scores};
use crate::ui::events::{click_handler, event_handler, submit_handler};
use crate::ui::later_view::{shown, Drawn, DrawnEach};
use crate::ui::plan::messages::{today, FieldError};
use leptos::prelude::*;

/// The date field: starts at today once the page runs in the browser.
pub fn date_signal() -> RwSignal<String> {
    let date = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(today) = today() {
            date.set(today.to_string());
        }
    });
    date
}

/// The rating form's fields, shared by the form and the table of ratings: "Endre" on a row
/// fills the form with that day's scores, and saving replaces that day's rating (the earlier
/// one stays in the history).
#[derive(Clone, Copy)]
pub struct RatingDraft {
    scores: [RwSignal<Option<Score>>; 3],
    date: RwSignal<String>,
}

/// One per area, made by the area's card around its form and table.
pub fn provide_rating_draft() {
    provide_context(RatingDraft {
        scores: std::array::from_fn(|_| RwSignal::new(None)),
        date: date_signal(),
    });
}

#[component]
pub fn RatingForm(id: RecordId) -> impl IntoView {
    let state = use_wheel();
    let lang = use_i18n().lang;
    let RatingDraft { scores, date } = expect_context::<RatingDraft>();
    let error = RwSignal::new(None::<FieldError>);
    let saved = RwSignal::new(false);
    // The day already had a rating: the new one replaces it (the old stays in the history).
    let replaced = RwSignal::new(false);
    let error_id = format!("rate-{id}-error");
    let error_ref = error_id.clone();
    let date_id = format!("rate-{id}-date");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let day = match Date::parse(&date.get_untracked()) {
            Ok(day) => day,
            Err(e) => return error.set(Some(e.into())),
        };
        // A rating dated in the future would become "the latest" and hide today's.
        if today().is_some_and(|today| day > today) {
            return error.set(Some(FieldError::FutureDate));
        }
        let had_one = state.wheel.with_untracked(|w| {
            w.as_ref()
                .and_then(|w| w.area(id))
                .is_some_and(|area| area.ratings.iter().any(|r| r.body.date == day))
        });
        let mut chosen = Scores::default();
        for (scale, score) in Scale::ALL.into_iter().zip(scores) {
            chosen.set(scale, score.get_untracked());
        }
        actions::rate(
            state,
            id,
            day,
            chosen,
            Box::new(move |result| match result {
                // The chosen scores stay chosen: they are what was saved.
                Ok(()) => {
                    error.set(None);
                    replaced.set(had_one);
                    saved.set(true);
                }
                Err(e) => error.set(Some(e.into())),
            }),
        );
    };
    let scales = Scale::ALL
        .into_iter()
        .zip(scores)
        .map(|(scale, score)| {
            let (name, help) = scale_texts(scale);
            let group = format!("{}-{id}", scale.key());
            let help_id = format!("{group}-help");
            let described_by = help_id.clone();
            let choices = Score::all()
                .map(|value| {
                    let group = group.clone();
                    view! {
                        <label class="score-choice">
                            <input
                                type="radio"
                                name=group
                                value=value.get()
                                prop:checked=move || score.get() == Some(value)
                                on:change=event_handler(move |_| score.set(Some(value)))
                            />
                            <span>{value.get()}</span>
                        </label>
                    }
                })
                .drawn_each();
            view! {
                <fieldset class="scale" aria-describedby=described_by>
                    <legend>{tr(name)}</legend>
                    <p class="help" id=help_id>{tr(help)}</p>
                    <div class="score-choices">
                        {choices}
                        <label class="score-choice not-now">
                            <input
                                type="radio"
                                name=group.clone()
                                value=""
                                prop:checked=move || score.get().is_none()
                                on:change=event_handler(move |_| score.set(None))
                            />
                            <span>{tr(WheelKey::ScoreNotNow)}</span>
                        </label>
                    </div>
                </fieldset>
            }
        })
        .drawn_each();
    view! {
        <form class="rating-form" on:submit=submit_handler(submit)>
            <h4>{tr(WheelKey::RatingTitle)}</h4>
            <p class="help">{tr(WheelKey::RatingHelp)}</p>
            {scales}
            <label for=date_id.clone()>{tr(WheelKey::RatingDate)}</label>
            <input id=date_id type="date" prop:value=move || date.get() on:input=event_handler(move |ev| date.set(event_target_value(&ev))) />
            <p id=error_id class="field-error">{move || error.get().map(|e| e.message(lang.get()))}</p>
            <button type="submit" aria-describedby=error_ref>{tr(WheelKey::RatingSave)}</button>
            {shown(move || saved.get(), move || view! {
                <span class="saved-mark" role="status">
                    {tr(WheelKey::PlanSaved)}
                    {move || replaced.get().then(|| view! { " " {tr(WheelKey::RatingReplaced)} })}
                </span>
            }.drawn())}
        </form>
    }
    .drawn()
}

/// The CSS class of a scale's line in the chart (colour and dash pattern).
fn line_class(scale: Scale) -> &'static str {
    match scale {
        Scale::Importance => "line-importance",
        Scale::Performance => "line-performance",
        Scale::Satisfaction => "line-satisfaction",
    }
}

/// The area's ratings: a chart, the "tydelig endring" marks, and the same numbers as a table.
#[component]
pub fn RatingHistory(id: RecordId) -> impl IntoView {
    let state = use_wheel();
    let lang = use_i18n().lang;
    let draft = expect_context::<RatingDraft>();
    let area = Memo::new(move |_| state.wheel.with(|w| w.as_ref().and_then(|w| w.area(id).cloned())));
    let has_ratings = move || area.with(|a| a.as_ref().is_some_and(|a| !a.ratings.is_empty()));
    let content = move || {
        let lang = lang.get();
        area.with(|area| {
            let area = area.as_ref()?;
            let lines: Vec<Line> = Scale::ALL
                .into_iter()
                .map(|scale| Line {
                    points: area
                        .series(scale)
                        .into_iter()
                        .map(|(d, s)| (d, s.get()))
                        .collect(),
                    class: line_class(scale),
                })
                .filter(|l| !l.points.is_empty())
                .collect();
            let changes = Scale::ALL
                .into_iter()
                .filter_map(|scale| area.change(scale).map(|c| (scale, c)))
                .map(|(scale, change)| {
                    let args = [
                        ("scale", scale_texts(scale).0.text(lang).to_owned()),
                        ("first", change.first.get().to_string()),
                        ("latest", change.latest.get().to_string()),
                    ];
                    let meaningful = change.is_meaningful();
                    let key = if meaningful {
                        WheelKey::ChangeMeaningful
                    } else {
                        WheelKey::ChangeSmall
                    };
                    view! {
                        <li class:clear-change=meaningful>{fill(key.text(lang), &args)}</li>
                    }
                })
                .drawn_each();
            let summary = fill(
                WheelKey::TrendSummary.text(lang),
                &[("n", area.ratings.len().to_string())],
            );
            let rows = area
                .ratings
                .iter()
                .rev()
                .map(|r| {
                    let cell = |scale: Scale| {
                        r.body
                            .score(scale)
                            .map(|s| s.get().to_string())
                            .unwrap_or_else(|| "–".to_owned())
                    };
                    let day = r.body.date.display_nb();
                    let (rating, body) = (r.id, r.body.clone());
                    let edit = move |_| {
                        draft.date.set(body.date.to_string());
                        for (scale, score) in Scale::ALL.into_iter().zip(draft.scores) {
                            score.set(body.score(scale));
                        }
                        // To the form, where the change is made.
                        #[cfg(feature = "hydrate")]
                        if let Some(field) = document()
                            .get_element_by_id(&format!("rate-{id}-date"))
                            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
                        {
                            let _ = field.focus();
                        }
                    };
                    let json = serde_json::to_value(&r.body).unwrap_or_default();
                    let delete = move |_| {
                        crate::ui::plan::actions::delete(*state, rating, Kind::WheelRating, json.clone())
                    };
                    view! {
                        <tr>
                            <th scope="row">{day.clone()}</th>
                            <td>{cell(Scale::Importance)}</td>
                            <td>{cell(Scale::Performance)}</td>
                            <td>{cell(Scale::Satisfaction)}</td>
                            <td class="rating-tools no-print">
                                <button type="button" on:click=click_handler(edit)>
                                    {WheelKey::RatingEdit.text(lang)}
                                    <span class="visually-hidden">" " {day.clone()}</span>
                                </button>
                                <button type="button" class="danger" on:click=click_handler(delete)>
                                    {WheelKey::Delete.text(lang)}
                                    <span class="visually-hidden">" " {day}</span>
                                </button>
                            </td>
                        </tr>
                    }
                })
                .drawn_each();
            Some(view! {
                <TrendChart lines min=1 max=10 summary />
                <ul class="legend" aria-hidden="true">
                    <li class="line-importance">{WheelKey::ScaleImportance.text(lang)}</li>
                    <li class="line-performance">{WheelKey::ScalePerformance.text(lang)}</li>
                    <li class="line-satisfaction">{WheelKey::ScaleSatisfaction.text(lang)}</li>
                </ul>
                <ul class="changes">{changes}</ul>
                <table class="ratings-table">
                    <caption>{WheelKey::RatingsTableCaption.text(lang)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{WheelKey::RatingDate.text(lang)}</th>
                            <th scope="col">{WheelKey::ScaleImportance.text(lang)}</th>
                            <th scope="col">{WheelKey::ScalePerformance.text(lang)}</th>
                            <th scope="col">{WheelKey::ScaleSatisfaction.text(lang)}</th>
                            <th scope="col" class="no-print"><span class="visually-hidden">{WheelKey::RatingTools.text(lang)}</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            })
        })
    };
    view! {
        {shown(has_ratings, move || view! {
            <div class="rating-history">
                <h4>{tr(WheelKey::RatingHistoryTitle)}</h4>
                {content}
            </div>
        }.drawn())}
    }
    .drawn()
}
