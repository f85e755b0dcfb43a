//! The typed API the UI uses for the wheel: `rate`, `add_measure`, `answer_checklist`, …
//!
//! The same pattern as the plan's (`plan_store.rs`), on the same store and the same
//! [`PlanStore`]: the model ([`crate::model::wheel`]) decides the body from the wheel as the
//! UI last loaded it, and it is written with its history and outbox entry in one
//! transaction. Deleting and restoring are the plan's generic `delete` and `restore`.

use std::collections::BTreeMap;

use super::plan_store::{new_id, PlanError, PlanStore};
use crate::model::date::Date;
use crate::model::record::RecordId;
use crate::model::text::{AreaName, ItemText};
use crate::model::wheel::{Answer, MeasureStatus, Responsible, Scores, Wheel};

impl PlanStore {
    pub async fn add_area(&self, wheel: &Wheel, name: AreaName) -> Result<RecordId, PlanError> {
        let body = wheel.add_area(name)?;
        let id = new_id();
        self.write(vec![(id, body)]).await?;
        Ok(id)
    }

    pub async fn rename_area(
        &self,
        wheel: &Wheel,
        area: RecordId,
        name: Option<AreaName>,
    ) -> Result<(), PlanError> {
        let body = wheel.rename_area(area, name)?;
        self.write(vec![(area, body)]).await?;
        Ok(())
    }

    pub async fn set_area_hidden(
        &self,
        wheel: &Wheel,
        area: RecordId,
        hidden: bool,
    ) -> Result<(), PlanError> {
        let body = wheel.set_area_hidden(area, hidden)?;
        self.write(vec![(area, body)]).await?;
        Ok(())
    }

    pub async fn set_chosen(&self, wheel: &Wheel, area: RecordId, chosen: bool) -> Result<(), PlanError> {
        let body = wheel.set_chosen(area, chosen)?;
        self.write(vec![(area, body)]).await?;
        Ok(())
    }

    pub async fn set_area_texts(
        &self,
        wheel: &Wheel,
        area: RecordId,
        what_matters: Option<ItemText>,
        help_wanted: Option<ItemText>,
    ) -> Result<(), PlanError> {
        let body = wheel.set_area_texts(area, what_matters, help_wanted)?;
        self.write(vec![(area, body)]).await?;
        Ok(())
    }

    /// A new rating, or that day's rating corrected.
    pub async fn rate(
        &self,
        wheel: &Wheel,
        area: RecordId,
        date: Date,
        scores: Scores,
    ) -> Result<(), PlanError> {
        let (existing, body) = wheel.rate(area, date, scores)?;
        self.write(vec![(existing.unwrap_or_else(new_id), body)]).await?;
        Ok(())
    }

    pub async fn add_measure(
        &self,
        wheel: &Wheel,
        area: RecordId,
        what: ItemText,
        responsible: Responsible,
        due: Option<Date>,
    ) -> Result<RecordId, PlanError> {
        let body = wheel.add_measure(area, what, responsible, due)?;
        let id = new_id();
        self.write(vec![(id, body)]).await?;
        Ok(id)
    }

    pub async fn set_measure_status(
        &self,
        wheel: &Wheel,
        measure: RecordId,
        status: MeasureStatus,
    ) -> Result<(), PlanError> {
        let body = wheel.set_measure_status(measure, status)?;
        self.write(vec![(measure, body)]).await?;
        Ok(())
    }

    pub async fn add_check_item(&self, wheel: &Wheel, text: ItemText) -> Result<RecordId, PlanError> {
        let body = wheel.add_check_item(text)?;
        let id = new_id();
        self.write(vec![(id, body)]).await?;
        Ok(id)
    }

    /// The checklist answered today (or that day's answers corrected).
    pub async fn answer_checklist(
        &self,
        wheel: &Wheel,
        date: Date,
        answers: BTreeMap<RecordId, Answer>,
    ) -> Result<(), PlanError> {
        let (existing, body) = wheel.answer_checklist(date, answers)?;
        self.write(vec![(existing.unwrap_or_else(new_id), body)]).await?;
        Ok(())
    }
}
