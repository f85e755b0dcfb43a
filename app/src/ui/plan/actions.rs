//! What the plan's buttons and forms do. Each call hands one edit to `PlanState::run`,
//! which writes it through `local::plan_store` in the browser. On the server nothing here
//! runs (event handlers never fire there), so the bodies are browser-only.
#![cfg_attr(not(feature = "hydrate"), allow(unused_variables))]

use super::state::PlanState;
#[cfg(feature = "hydrate")]
use super::state::Undo;
use crate::model::phone::PhoneNumber;
use crate::model::plan::{ContactBody, Direction, EditError};
use crate::model::record::{Kind, RecordId};
use crate::model::text::{ContactName, ItemText, Relation, SectionName};
#[cfg(feature = "hydrate")]
use leptos::prelude::*;

type Done = Box<dyn FnOnce(Result<(), EditError>)>;

fn ignore() -> Done {
    Box::new(|_| {})
}

macro_rules! in_browser {
    ($state:expr, $done:expr, |$store:ident, $plan:ident| $body:expr) => {{
        #[cfg(feature = "hydrate")]
        $state.run(move |$store, $plan| async move { $body }, $done);
        #[cfg(not(feature = "hydrate"))]
        let _ = (&$state, $done);
    }};
}

pub fn add_item(state: PlanState, section: RecordId, text: ItemText, done: Done) {
    in_browser!(state, done, |store, plan| store
        .add_item(&plan, section, text)
        .await
        .map(|_| ()))
}

pub fn edit_item(state: PlanState, item: RecordId, text: ItemText, done: Done) {
    in_browser!(state, done, |store, plan| store
        .edit_item(&plan, item, text)
        .await)
}

pub fn move_item(state: PlanState, item: RecordId, direction: Direction) {
    in_browser!(state, ignore(), |store, plan| store
        .move_item(&plan, item, direction)
        .await)
}

/// Deletes, and offers "Angre" with the body as it was.
pub fn delete(state: PlanState, id: RecordId, kind: Kind, body: serde_json::Value) {
    #[cfg(feature = "hydrate")]
    let done: Done = Box::new(move |result| {
        if result.is_ok() {
            state.undo.set(Some(Undo { id, kind, body }));
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let done = ignore();
    in_browser!(state, done, |store, _plan| store.delete(id, kind).await)
}

pub fn undo(state: PlanState) {
    #[cfg(feature = "hydrate")]
    if let Some(undo) = state.undo.get_untracked() {
        state.undo.set(None);
        restore(state, undo.id, undo.kind, undo.body);
    }
}

pub fn restore(state: PlanState, id: RecordId, kind: Kind, body: serde_json::Value) {
    in_browser!(state, ignore(), |store, _plan| store
        .restore(id, kind, body)
        .await)
}

pub fn add_section(state: PlanState, name: SectionName, done: Done) {
    in_browser!(state, done, |store, plan| store
        .add_section(&plan, name)
        .await
        .map(|_| ()))
}

pub fn rename_section(state: PlanState, section: RecordId, name: Option<SectionName>, done: Done) {
    in_browser!(state, done, |store, plan| store
        .rename_section(&plan, section, name)
        .await)
}

pub fn move_section(state: PlanState, section: RecordId, direction: Direction) {
    in_browser!(state, ignore(), |store, plan| store
        .move_section(&plan, section, direction)
        .await)
}

pub fn set_section_hidden(state: PlanState, section: RecordId, hidden: bool) {
    in_browser!(state, ignore(), |store, plan| store
        .set_section_hidden(&plan, section, hidden)
        .await)
}

pub fn add_contact(
    state: PlanState,
    name: ContactName,
    relation: Relation,
    phones: Vec<PhoneNumber>,
    done: Done,
) {
    in_browser!(state, done, |store, plan| store
        .add_contact(&plan, name, relation, phones)
        .await
        .map(|_| ()))
}

pub fn edit_contact(state: PlanState, contact: RecordId, body: ContactBody, done: Done) {
    in_browser!(state, done, |store, _plan| store
        .edit_contact(contact, body)
        .await)
}

pub fn move_contact(state: PlanState, contact: RecordId, direction: Direction) {
    in_browser!(state, ignore(), |store, plan| store
        .move_contact(&plan, contact, direction)
        .await)
}
