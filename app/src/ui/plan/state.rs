//! The plan as the UI holds it: loaded from the phone after hydration, reloaded after every
//! write, shared by the plan page, the wheel page, the crisis screen and settings. The wheel
//! is built from the same records by the wheel page (`ui::wheel::state`).
//!
//! On the server the plan is never loaded (`None`: pages carry no user data), so the HTML
//! is the same for everyone and hydration matches.

use crate::model::plan::Plan;
use crate::model::record::{Kind, Record, RecordId};
use leptos::prelude::*;

/// The honest state of the phone's storage, shown in the status line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Idle,
    /// The last write committed: "Lagret på denne telefonen".
    Saved,
    /// The last write failed; nothing of it was kept, the text is still in the field.
    SaveFailed,
    /// No IndexedDB here (private mode, disabled storage).
    Unavailable,
}

/// What "Angre" brings back after a delete.
#[derive(Clone, Debug, PartialEq)]
pub struct Undo {
    pub id: RecordId,
    pub kind: Kind,
    pub body: serde_json::Value,
}

#[derive(Clone, Copy)]
pub struct PlanState {
    pub plan: RwSignal<Option<Plan>>,
    pub records: RwSignal<Vec<Record>>,
    pub status: RwSignal<Status>,
    pub undo: RwSignal<Option<Undo>>,
    /// This phone's device id, to tell "this device" from others in the history.
    pub device: RwSignal<Option<String>>,
    /// Something stored could not be read (it is kept, not deleted); the page says so.
    pub unreadable: RwSignal<bool>,
}

pub fn provide_plan_state() -> PlanState {
    let plan = RwSignal::new(None::<Plan>);
    let records = RwSignal::new(Vec::<Record>::new());
    let state = PlanState {
        plan,
        records,
        status: RwSignal::new(Status::Idle),
        undo: RwSignal::new(None),
        device: RwSignal::new(None),
        unreadable: RwSignal::new(false),
    };
    provide_context(state);
    state
}

pub fn use_plan() -> PlanState {
    expect_context::<PlanState>()
}

impl PlanState {
    /// The record behind an id, for its history.
    pub fn record(&self, id: RecordId) -> Option<Record> {
        self.records
            .with(|records| records.iter().find(|r| r.id() == id).cloned())
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use crate::local::plan_store::{PlanError, PlanStore};
    use crate::local::store::StoreError;
    use crate::model::plan::EditError;
    use leptos::task::spawn_local;
    use std::future::Future;
    use std::rc::Rc;

    impl PlanState {
        /// Loads the plan from the phone (after hydration, and after every write). On the
        /// first load, the current records come first, so the plan and the wheel show at
        /// once, and their history follows; after a write, one full read.
        ///
        /// The reading code (the store, the records, building the plan) is in the `later`
        /// chunk (`crate::later`): the crisis screen's numbers are up and working before it
        /// arrives, and the user's own steps follow from it.
        pub fn reload(self) {
            spawn_local(load_into(self));
        }

        /// Runs one edit against the store with the plan as last loaded. On success the
        /// status says "saved" (only now: the transaction has committed) and the plan is
        /// reloaded; an edit the model refused goes back to `done` for the field to show.
        pub fn run<Fut>(
            self,
            op: impl FnOnce(Rc<PlanStore>, Plan) -> Fut + 'static,
            done: impl FnOnce(Result<(), EditError>) + 'static,
        ) where
            Fut: Future<Output = Result<(), PlanError>> + 'static,
        {
            let Some(plan) = self.plan.get_untracked() else {
                return;
            };
            spawn_local(async move {
                let store = match crate::local::plan_store().await {
                    Ok(store) => store,
                    Err(_) => {
                        self.status.set(Status::Unavailable);
                        return;
                    }
                };
                let first_save = self.records.with_untracked(Vec::is_empty);
                match op(store, plan).await {
                    Ok(()) => {
                        self.status.set(Status::Saved);
                        done(Ok(()));
                        self.reload();
                        crate::sync::engine::changed();
                        if first_save {
                            // After the first thing worth keeping, not before: the browser
                            // weighs the request by how the site is used.
                            let _ = crate::local::persist::request().await;
                        }
                    }
                    Err(PlanError::Edit(err)) => done(Err(err)),
                    Err(PlanError::Store(err)) => {
                        leptos::logging::warn!("saving failed: {err}");
                        self.status.set(Status::SaveFailed);
                    }
                }
            });
        }
    }

    crate::later::in_later_chunk! {
        /// In the `later` chunk (see `crate::later`).
        async fn load_into(state: PlanState) {
            read_into(state).await
        }
    }

    async fn read_into(state: PlanState) {
        let passes: &'static [bool] = if state.plan.with_untracked(Option::is_none) {
            &[false, true]
        } else {
            &[true]
        };
        for &with_history in passes {
            match load(with_history).await {
                Ok((device, records, plan, unreadable)) => {
                    crate::perf::mark(if with_history { "history-loaded" } else { "loaded" });
                    state.device.set(Some(device));
                    state.unreadable.set(unreadable);
                    state.records.set(records);
                    // The second pass usually finds the same plan: leave it be, so nothing
                    // that shows it is redrawn for nothing.
                    if state.plan.with_untracked(|p| p.as_ref() != Some(&plan)) {
                        state.plan.set(Some(plan));
                    }
                    crate::perf::mark(if with_history { "history-set" } else { "state-set" });
                }
                Err(err) => {
                    leptos::logging::warn!("loading the plan failed: {err}");
                    state.status.set(Status::Unavailable);
                    return;
                }
            }
        }
    }

    async fn load(with_history: bool) -> Result<(String, Vec<Record>, Plan, bool), StoreError> {
        let store = crate::local::plan_store().await?;
        crate::perf::mark("store-open");
        let (records, plan, unreadable) = store.load(with_history).await?;
        Ok((store.store().device().to_string(), records, plan, unreadable))
    }
}
