//! The collaboration checklist (*sjekkliste for samhandling*): each question answered yes /
//! partly / no on a day; its score (share of yes, partly as half) over time; questions can be
//! added and removed.

use std::collections::BTreeMap;

use super::actions;
use super::messages::{answer_text, check_text};
use super::rating::date_signal;
use super::state::use_wheel;
use super::trend::{Line, TrendChart};
use crate::i18n::{fill, tr, use_i18n, WheelKey};
use crate::model::date::Date;
use crate::model::record::{Kind, RecordId};
use crate::model::text::ItemText;
use crate::model::wheel::{checklist_score, Answer};
use crate::ui::events::{click_handler, event_handler, submit_handler};
use crate::ui::later_view::{shown, Drawn, DrawnEach};
use crate::ui::plan::messages::FieldError;
use crate::ui::plan::text_form::TextForm;
use leptos::prelude::*;

#[component]
pub fn Checklist() -> impl IntoView {
    let state = use_wheel();
    let lang = use_i18n().lang;
    let items = Memo::new(move |_| {
        let lang = lang.get();
        state.wheel.with(|w| {
            w.as_ref()
                .map(|w| {
                    w.checklist
                        .iter()
                        .map(|c| {
                            (
                                c.id,
                                check_text(&c.body, lang),
                                serde_json::to_value(&c.body).unwrap_or_default(),
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    // The form starts from the latest saved answers, and again whenever those change (after
    // a save, an import): a memo, so that rating an area or adding a measure, which changes
    // the wheel but not the answers, never wipes answers being given.
    let answers = RwSignal::new(BTreeMap::<RecordId, Answer>::new());
    let latest = Memo::new(move |_| {
        state.wheel.with(|w| {
            w.as_ref()
                .and_then(|w| w.latest_round().map(|r| r.body.answers.clone()))
        })
    });
    Effect::new(move |_| answers.set(latest.get().unwrap_or_default()));
    let date = date_signal();
    let error = RwSignal::new(None::<FieldError>);
    let saved = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let day = match Date::parse(&date.get_untracked()) {
            Ok(day) => day,
            Err(e) => return error.set(Some(e.into())),
        };
        actions::answer_checklist(
            state,
            day,
            answers.get_untracked(),
            Box::new(move |result| match result {
                Ok(()) => {
                    error.set(None);
                    saved.set(true);
                }
                Err(e) => error.set(Some(e.into())),
            }),
        );
    };
    let current_score = move || {
        let lang = lang.get();
        answers.with(|a| {
            let answered = a.len();
            checklist_score(a.values().copied()).map(|score| {
                fill(
                    WheelKey::ChecklistScoreNow.text(lang),
                    &[("score", score.to_string()), ("n", answered.to_string())],
                )
            })
        })
    };
    let questions = move || {
        items
            .get()
            .into_iter()
            .map(|(id, text, body)| {
                let group = format!("check-{id}");
                let choices = Answer::ALL
                    .into_iter()
                    .map(|answer| {
                        view! {
                            <label class="answer-choice">
                                <input
                                    type="radio"
                                    name=group.clone()
                                    value=answer.key()
                                    prop:checked=move || answers.with(|a| a.get(&id) == Some(&answer))
                                    on:change=event_handler(move |_| {
                                        saved.set(false);
                                        answers.update(|a| {
                                            a.insert(id, answer);
                                        })
                                    })
                                />
                                <span>{tr(answer_text(answer))}</span>
                            </label>
                        }
                    })
                    .drawn_each();
                view! {
                    <li>
                        <fieldset class="question">
                            <legend>{text}</legend>
                            <div class="answer-choices">{choices}</div>
                        </fieldset>
                        <button
                            type="button"
                            class="remove-question"
                            on:click=click_handler(move |_| crate::ui::plan::actions::delete(state.plan, id, Kind::WheelCheckItem, body.clone()))
                        >
                            {tr(WheelKey::ChecklistRemove)}
                        </button>
                    </li>
                }
            })
            .drawn_each()
    };
    view! {
        <section class="checklist" aria-labelledby="checklist-title">
            <h2 id="checklist-title">{tr(WheelKey::ChecklistTitle)}</h2>
            <p class="help">{tr(WheelKey::ChecklistHelp)}</p>
            <form on:submit=submit_handler(submit)>
                <ol class="questions">{questions}</ol>
                <p class="score-now" role="status">{current_score}</p>
                <label for="checklist-date">{tr(WheelKey::RatingDate)}</label>
                <input id="checklist-date" type="date" prop:value=move || date.get() on:input=event_handler(move |ev| date.set(event_target_value(&ev))) />
                <p id="checklist-error" class="field-error">{move || error.get().map(|e| e.message(lang.get()))}</p>
                <button type="submit" aria-describedby="checklist-error">{tr(WheelKey::ChecklistSave)}</button>
                {shown(move || saved.get(), move || view! {
                    <span class="saved-mark">{tr(WheelKey::PlanSaved)}</span>
                }.drawn())}
            </form>
            <TextForm
                id="new-question".to_owned()
                label=WheelKey::ChecklistNewLabel
                button=WheelKey::ChecklistAdd
                value=RwSignal::new(String::new())
                parse=ItemText::parse
                max=ItemText::MAX_CHARS
                save=move |text, done| actions::add_check_item(state, text, done)
                clear_on_save=true
                class="add-question"
            />
            <ChecklistHistory />
        </section>
    }
    .drawn()
}

/// The checklist's score per day: a chart and the same numbers as a table.
#[component]
fn ChecklistHistory() -> impl IntoView {
    let state = use_wheel();
    let lang = use_i18n().lang;
    let scores = Memo::new(move |_| {
        state
            .wheel
            .with(|w| w.as_ref().map(|w| w.checklist_scores()).unwrap_or_default())
    });
    view! {
        {shown(move || scores.with(|s| !s.is_empty()), move || view! {
            <div class="checklist-history">
                <h3>{tr(WheelKey::ChecklistHistoryTitle)}</h3>
                {move || {
                    let lang = lang.get();
                    let points = scores.get();
                    let summary = fill(WheelKey::TrendSummary.text(lang), &[("n", points.len().to_string())]);
                    let rows = points
                        .iter()
                        .rev()
                        .map(|(date, score)| view! {
                            <tr><th scope="row">{date.display_nb()}</th><td>{format!("{score} %")}</td></tr>
                        })
                        .drawn_each();
                    view! {
                        <TrendChart lines=vec![Line { points, class: "line-checklist" }] min=0 max=100 summary />
                        <table class="ratings-table">
                            <caption>{WheelKey::ChecklistTableCaption.text(lang)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{WheelKey::RatingDate.text(lang)}</th>
                                    <th scope="col">{WheelKey::ChecklistScore.text(lang)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }
                }}
            </div>
        }.drawn())}
    }
    .drawn()
}
