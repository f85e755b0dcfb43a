//! The typed API the UI uses for the plan: `add_item`, `move_item`, `delete`, `restore`, …
//! (`wheel_store.rs` adds the wheel's methods to the same [`PlanStore`]; `delete`, `restore`,
//! `export` and `import` here serve both.)
//!
//! Each call takes the plan as the UI last loaded it, lets the model decide the new bodies
//! ([`crate::model::plan`]), and writes them through the record store in one transaction.
//! Components never touch IndexedDB; they call these.

use super::store::{now_ms, random_bytes, Applied, Incoming, Store, StoreError};
use crate::model::body::TypedBody;
use crate::model::export::{parse_export, ExportFile, ImportError};
use crate::model::phone::PhoneNumber;
use crate::model::plan::{ContactBody, Direction, EditError, Plan};
use crate::model::record::{Kind, Record, RecordId};
use crate::model::text::{ContactName, ItemText, Relation, SectionName};

/// Why an edit did not happen. Nothing was written in either case.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanError {
    Edit(EditError),
    Store(StoreError),
}

impl From<EditError> for PlanError {
    fn from(e: EditError) -> Self {
        PlanError::Edit(e)
    }
}
impl From<StoreError> for PlanError {
    fn from(e: StoreError) -> Self {
        PlanError::Store(e)
    }
}

/// Why an import did not happen. Nothing was changed in either case.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportFailure {
    File(ImportError),
    Store(StoreError),
}

pub struct PlanStore {
    store: Store,
}

/// A fresh id for something the user creates on this device.
pub(super) fn new_id() -> RecordId {
    RecordId::new_v7(now_ms(), random_bytes::<10>())
}

impl PlanStore {
    pub async fn open() -> Result<PlanStore, StoreError> {
        Ok(PlanStore {
            store: Store::open().await?,
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Closes the database connection (tests, before deleting the database).
    pub fn close(self) {
        self.store.close();
    }

    /// All readable records (with their history when `with_history`), the plan built from
    /// them, and whether anything stored could not be read (a damaged row, or a body the
    /// model refuses).
    pub async fn load(&self, with_history: bool) -> Result<(Vec<Record>, Plan, bool), StoreError> {
        let loaded = if with_history {
            self.store.records().await?
        } else {
            self.store.currents().await?
        };
        let plan = Plan::from_records(&loaded.records);
        let unreadable = loaded.skipped > 0 || !plan.problems.is_empty();
        Ok((loaded.records, plan, unreadable))
    }

    /// Writes bodies of one kind in one transaction.
    pub(super) async fn write<B: TypedBody>(
        &self,
        bodies: Vec<(RecordId, B)>,
    ) -> Result<Applied, StoreError> {
        let edits = bodies
            .into_iter()
            .map(|(id, body)| (id, B::KIND, Some(body.to_json())))
            .collect();
        self.store.edit(edits, now_ms()).await
    }

    pub async fn add_item(
        &self,
        plan: &Plan,
        section: RecordId,
        text: ItemText,
    ) -> Result<RecordId, PlanError> {
        let body = plan.add_item(section, text)?;
        let id = new_id();
        self.write(vec![(id, body)]).await?;
        Ok(id)
    }

    pub async fn edit_item(&self, plan: &Plan, item: RecordId, text: ItemText) -> Result<(), PlanError> {
        let body = plan.edit_item(item, text)?;
        self.write(vec![(item, body)]).await?;
        Ok(())
    }

    pub async fn move_item(
        &self,
        plan: &Plan,
        item: RecordId,
        direction: Direction,
    ) -> Result<(), PlanError> {
        let moved = plan.move_item(item, direction)?;
        self.write(moved).await?;
        Ok(())
    }

    pub async fn add_section(&self, plan: &Plan, name: SectionName) -> Result<RecordId, PlanError> {
        let id = new_id();
        self.write(vec![(id, plan.add_section(name))]).await?;
        Ok(id)
    }

    pub async fn rename_section(
        &self,
        plan: &Plan,
        section: RecordId,
        name: Option<SectionName>,
    ) -> Result<(), PlanError> {
        let body = plan.rename_section(section, name)?;
        self.write(vec![(section, body)]).await?;
        Ok(())
    }

    pub async fn move_section(
        &self,
        plan: &Plan,
        section: RecordId,
        direction: Direction,
    ) -> Result<(), PlanError> {
        let moved = plan.move_section(section, direction)?;
        self.write(moved).await?;
        Ok(())
    }

    pub async fn set_section_hidden(
        &self,
        plan: &Plan,
        section: RecordId,
        hidden: bool,
    ) -> Result<(), PlanError> {
        let body = plan.set_section_hidden(section, hidden)?;
        self.write(vec![(section, body)]).await?;
        Ok(())
    }

    pub async fn add_contact(
        &self,
        plan: &Plan,
        name: ContactName,
        relation: Relation,
        phones: Vec<PhoneNumber>,
    ) -> Result<RecordId, PlanError> {
        let body = plan.add_contact(name, relation, phones)?;
        let id = new_id();
        self.write(vec![(id, body)]).await?;
        Ok(id)
    }

    pub async fn edit_contact(&self, contact: RecordId, body: ContactBody) -> Result<(), PlanError> {
        self.write(vec![(contact, body)]).await?;
        Ok(())
    }

    pub async fn move_contact(
        &self,
        plan: &Plan,
        contact: RecordId,
        direction: Direction,
    ) -> Result<(), PlanError> {
        let moved = plan.move_contact(contact, direction)?;
        self.write(moved).await?;
        Ok(())
    }

    /// Deletes with a tombstone; the last body stays in the history, so undo can bring it back.
    pub async fn delete(&self, id: RecordId, kind: Kind) -> Result<(), PlanError> {
        self.store.edit(vec![(id, kind, None)], now_ms()).await?;
        Ok(())
    }

    /// Writes an earlier body again as the newest version (restore and undo). The versions
    /// in between stay in the history.
    pub async fn restore(&self, id: RecordId, kind: Kind, body: serde_json::Value) -> Result<(), PlanError> {
        self.store.edit(vec![(id, kind, Some(body))], now_ms()).await?;
        Ok(())
    }

    /// The whole plan, every version of every record, as the bytes of an export file.
    pub async fn export(&self) -> Result<Vec<u8>, StoreError> {
        let loaded = self.store.records().await?;
        Ok(ExportFile::new(now_ms(), loaded.records).to_json())
    }

    /// Validates the whole file first; then merges every version by the normal merge rule
    /// in one transaction. Returns how many records changed (0 for a file imported before).
    pub async fn import(&self, bytes: &[u8]) -> Result<usize, ImportFailure> {
        let file = parse_export(bytes).map_err(ImportFailure::File)?;
        let incoming: Vec<Incoming> = file
            .records()
            .iter()
            .flat_map(|record| {
                record.versions().map(|version| Incoming {
                    id: record.id(),
                    kind: record.kind(),
                    version: version.clone(),
                })
            })
            .collect();
        let applied = self
            .store
            .apply(&incoming, now_ms())
            .await
            .map_err(ImportFailure::Store)?;
        Ok(applied.changed)
    }
}
