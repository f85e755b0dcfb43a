//! The wheel as its pages hold it: the plan's state plus a memo that builds the wheel from
//! the same records. The memo is made by the wheel's part (`provide_wheel_state` in
//! `super::body`), not by the app's root nor the page's frame, so building the wheel is code
//! that comes after the page is up (`ui::later_view`) and costs no page's first load.

use crate::model::wheel::Wheel;
use crate::ui::plan::state::{use_plan, PlanState};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct WheelState {
    pub plan: PlanState,
    /// Built from the plan's records whenever they change; `None` until the phone was read.
    pub wheel: Memo<Option<Wheel>>,
}

/// Everything of the plan's state (saving, undo, history) is there on the wheel's too.
impl std::ops::Deref for WheelState {
    type Target = PlanState;

    fn deref(&self) -> &PlanState {
        &self.plan
    }
}

pub fn provide_wheel_state() -> WheelState {
    let plan = use_plan();
    let wheel = Memo::new(move |_| {
        plan.plan
            .with(Option::is_some)
            .then(|| plan.records.with(|records| Wheel::from_records(records)))
    });
    let state = WheelState { plan, wheel };
    provide_context(state);
    state
}

pub fn use_wheel() -> WheelState {
    expect_context::<WheelState>()
}
