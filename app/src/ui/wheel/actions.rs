//! What the wheel's buttons and forms do. Each call takes the wheel as last loaded and hands
//! one edit to `PlanState::run`, which writes it through `local::wheel_store` in the browser
//! and reloads. On the server nothing here runs (event handlers never fire there).
#![cfg_attr(not(feature = "hydrate"), allow(unused_variables))]

use std::collections::BTreeMap;

use super::state::WheelState;
use crate::model::body::EditError;
use crate::model::date::Date;
use crate::model::record::RecordId;
use crate::model::text::{AreaName, ItemText};
use crate::model::wheel::{Answer, MeasureStatus, Responsible, Scores};
#[cfg(feature = "hydrate")]
use leptos::prelude::*;

pub type Done = Box<dyn FnOnce(Result<(), EditError>)>;

pub fn ignore() -> Done {
    Box::new(|_| {})
}

macro_rules! in_browser {
    ($state:expr, $done:expr, |$store:ident, $wheel:ident| $body:expr) => {{
        #[cfg(feature = "hydrate")]
        if let Some($wheel) = $state.wheel.get_untracked() {
            $state.run(move |$store, _plan| async move { $body }, $done);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&$state, $done);
    }};
}

pub fn add_area(state: WheelState, name: AreaName, done: Done) {
    in_browser!(state, done, |store, wheel| store
        .add_area(&wheel, name)
        .await
        .map(drop))
}

pub fn rename_area(state: WheelState, area: RecordId, name: Option<AreaName>, done: Done) {
    in_browser!(state, done, |store, wheel| store
        .rename_area(&wheel, area, name)
        .await)
}

pub fn set_area_hidden(state: WheelState, area: RecordId, hidden: bool) {
    in_browser!(state, ignore(), |store, wheel| store
        .set_area_hidden(&wheel, area, hidden)
        .await)
}

pub fn set_chosen(state: WheelState, area: RecordId, chosen: bool) {
    in_browser!(state, ignore(), |store, wheel| store
        .set_chosen(&wheel, area, chosen)
        .await)
}

pub fn set_area_texts(
    state: WheelState,
    area: RecordId,
    what_matters: Option<ItemText>,
    help_wanted: Option<ItemText>,
    done: Done,
) {
    in_browser!(state, done, |store, wheel| store
        .set_area_texts(&wheel, area, what_matters, help_wanted)
        .await)
}

pub fn rate(state: WheelState, area: RecordId, date: Date, scores: Scores, done: Done) {
    in_browser!(state, done, |store, wheel| store
        .rate(&wheel, area, date, scores)
        .await)
}

pub fn add_measure(
    state: WheelState,
    area: RecordId,
    what: ItemText,
    responsible: Responsible,
    due: Option<Date>,
    done: Done,
) {
    in_browser!(state, done, |store, wheel| store
        .add_measure(&wheel, area, what, responsible, due)
        .await
        .map(drop))
}

pub fn set_measure_status(state: WheelState, measure: RecordId, status: MeasureStatus) {
    in_browser!(state, ignore(), |store, wheel| store
        .set_measure_status(&wheel, measure, status)
        .await)
}

pub fn add_check_item(state: WheelState, text: ItemText, done: Done) {
    in_browser!(state, done, |store, wheel| store
        .add_check_item(&wheel, text)
        .await
        .map(drop))
}

pub fn answer_checklist(state: WheelState, date: Date, answers: BTreeMap<RecordId, Answer>, done: Done) {
    in_browser!(state, done, |store, wheel| store
        .answer_checklist(&wheel, date, answers)
        .await)
}
