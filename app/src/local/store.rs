//! The IndexedDB record store: every piece of the user's data, on the phone.
//!
//! Object stores (database `tillit`, version [`DB_VERSION`]):
//!
//! Versions: 1 was the four stores without indexes; 2 adds the `kind` and `id` indexes, so
//! one record's history is read without scanning every version. Upgrades run in
//! [`Store::open`] (stores and indexes by `rexie`, record bodies by the `schema` in `meta`);
//! `tests/store.rs` opens a version-1 database to prove the path.
//!
//! | store | key | holds |
//! | --- | --- | --- |
//! | `records` | record id (index `kind`) | the current version of each record |
//! | `history` | `<id>/<hlc>` (index `id`) | every version ever seen, the current one included |
//! | `outbox`  | `<hlc>/<id>` | local edits not yet acknowledged by the server |
//! | `meta`    | name | `device` id, `clock` (last HLC), `schema` (record schema version), `sync` ([`SyncMark`]), `owner` (the account the data is tied to), `shared` (what others share with this user, cached), `conflicts`, `sent` (when the server took this phone's edits) |
//!
//! **One phone, one owner.** The data on a phone belongs to one account, or to none while
//! sync was never on. `owner` is set when the data is first tied to an account
//! ([`Store::tie_to`]); on phones that synced before it existed, the sync mark's account
//! counts as the owner. [`Store::to_push`] and [`Store::take_sync`] refuse
//! ([`StoreError::NotOwner`]) a sync for any other account, whatever the UI did, so one
//! person's plan never reaches another person's account. [`Store::clear_all`] empties the
//! phone (start empty for another account, or log out and remove everything).
//!
//! [`Store::apply`] decides with the model's merge rule ([`crate::model::merge::merge`]) and
//! writes records, history, outbox and clock in **one** transaction: either all of it is on the
//! phone or none of it. The UI says "saved on this phone" only after that transaction commits.
//! Components never call this module directly; they go through [`super::plan_store`].

use super::rows::{from_js, hlc_key, to_js, unavailable, write_failed, CurrentRow, HistoryRow, MetaRow};
pub use super::rows::{OutboxRow, StoreError};
use crate::model::hlc::{Clock, DeviceId, Hlc};
use crate::model::merge::{merge, Change};
use crate::model::record::{Kind, Record, RecordId, Version, RECORD_SCHEMA};
use rexie::{Index, KeyRange, ObjectStore, Rexie, TransactionMode};
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;

pub const DB_NAME: &str = "tillit";
/// Bump it (and describe the change above) when stores or indexes change.
pub const DB_VERSION: u32 = 2;

const RECORDS: &str = "records";
const HISTORY: &str = "history";
const OUTBOX: &str = "outbox";
const META: &str = "meta";

/// Where this phone's sync with one account stands, kept in `meta` under [`SYNC_KEY`].
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SyncMark {
    /// The account's id on the server: another account starts from the beginning.
    pub user: String,
    /// The server sequence pulled up to.
    pub cursor: i64,
    /// Everything on the phone has been sent once (after that, only the outbox).
    pub seeded: bool,
}

pub const SYNC_KEY: &str = "sync";
/// The account the data on this phone is tied to (a `String`, the account's id).
pub const OWNER_KEY: &str = "owner";
/// What `meta` keeps about the phone itself; [`Store::clear_all`] keeps these and removes
/// everything else (sync mark, owner, shared copies, conflicts).
const PHONE_KEYS: [&str; 3] = ["device", "clock", "schema"];

pub use crate::sync::state::Holding;

/// One change to apply: a new version of a record.
#[derive(Clone, Debug)]
pub struct Incoming {
    pub id: RecordId,
    pub kind: Kind,
    pub version: Version,
}

/// What [`Store::records`] found.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub records: Vec<Record>,
    /// Stored rows that could not be read; they stay in storage untouched.
    pub skipped: usize,
}

/// What a write did, for the UI ("endret på to enheter" when `conflicts` is not empty).
#[derive(Clone, Debug, Default)]
pub struct Applied {
    pub changed: usize,
    pub conflicts: Vec<RecordId>,
}

pub struct Store {
    db: Rexie,
    device: DeviceId,
}

impl Store {
    /// Opens (creating or upgrading) the database and makes sure this device has an id.
    pub async fn open() -> Result<Store, StoreError> {
        let db = Rexie::builder(DB_NAME)
            .version(DB_VERSION)
            .add_object_store(
                ObjectStore::new(RECORDS)
                    .key_path("id")
                    .add_index(Index::new("kind", "kind")),
            )
            .add_object_store(
                ObjectStore::new(HISTORY)
                    .key_path("key")
                    .add_index(Index::new("id", "id")),
            )
            .add_object_store(ObjectStore::new(OUTBOX).key_path("key"))
            .add_object_store(ObjectStore::new(META).key_path("key"))
            .build()
            .await
            .map_err(unavailable)?;
        let device = ensure_device(&db).await?;
        Ok(Store { db, device })
    }

    /// Closes the connection (so the database can be deleted or upgraded by another tab).
    pub fn close(self) {
        self.db.close();
    }

    pub fn device(&self) -> &DeviceId {
        &self.device
    }

    /// Every readable record with only its current version (no history), and how many rows
    /// could not be read: what the plan and the wheel are built from, read first when the
    /// app opens so they show before the (larger) history is read.
    pub async fn currents(&self) -> Result<Loaded, StoreError> {
        let tx = self
            .db
            .transaction(&[RECORDS], TransactionMode::ReadOnly)
            .map_err(unavailable)?;
        let rows = tx
            .store(RECORDS)
            .map_err(unavailable)?
            .get_all(None, None)
            .await
            .map_err(unavailable)?;
        let mut skipped = 0;
        let mut records = Vec::with_capacity(rows.len());
        for row in rows {
            match from_js::<CurrentRow>(row) {
                Ok(row) => records.push(Record::new(row.id, row.kind, row.current)),
                Err(_) => skipped += 1,
            }
        }
        Ok(Loaded { records, skipped })
    }

    /// Every readable record with its whole history, and how many stored rows could not be
    /// read.
    pub async fn records(&self) -> Result<Loaded, StoreError> {
        let (currents, rows) = self.every_row().await?;
        // A row that cannot be read (a damaged entry, say) is skipped and counted, never
        // deleted: one bad record must not hide the whole plan in a crisis.
        let mut skipped = 0;
        let mut versions: BTreeMap<RecordId, Vec<Version>> = BTreeMap::new();
        for row in rows {
            match from_js::<HistoryRow>(row) {
                Ok(row) => versions.entry(row.id).or_default().push(row.version),
                Err(_) => skipped += 1,
            }
        }
        let mut records = Vec::with_capacity(currents.len());
        for row in currents {
            let Ok(row) = from_js::<CurrentRow>(row) else {
                skipped += 1;
                continue;
            };
            let mut all = versions.remove(&row.id).unwrap_or_default();
            if !all.iter().any(|v| v.hlc == row.current.hlc) {
                all.push(row.current);
            }
            match Record::from_versions(row.id, row.kind, all) {
                Ok(record) => records.push(record),
                Err(_) => skipped += 1,
            }
        }
        Ok(Loaded { records, skipped })
    }

    /// The local edits not yet acknowledged by a server, oldest first.
    pub async fn outbox(&self) -> Result<Vec<OutboxRow>, StoreError> {
        let tx = self
            .db
            .transaction(&[OUTBOX], TransactionMode::ReadOnly)
            .map_err(unavailable)?;
        let rows = tx
            .store(OUTBOX)
            .map_err(unavailable)?
            .get_all(None, None)
            .await
            .map_err(unavailable)?;
        rows.into_iter().map(from_js).collect()
    }

    /// Writes the user's edits: each gets a new HLC from this device's clock, and the
    /// records, their history entries, the outbox entries and the clock are written in one
    /// transaction. `None` as body deletes (a tombstone).
    pub async fn edit(
        &self,
        edits: Vec<(RecordId, Kind, Option<serde_json::Value>)>,
        now_ms: u64,
    ) -> Result<Applied, StoreError> {
        self.write(|clock| {
            let changes = edits
                .into_iter()
                .map(|(id, kind, body)| {
                    let hlc = clock.tick(now_ms);
                    let version = match body {
                        Some(body) => Version::new(hlc, body),
                        None => Version::tombstone(hlc),
                    };
                    Incoming { id, kind, version }
                })
                .collect();
            (changes, true)
        })
        .await
    }

    /// Merges versions written elsewhere (an imported file; later, a sync) by the merge
    /// rule. Nothing goes to the outbox: they are not this device's edits. All or nothing.
    pub async fn apply(&self, changes: &[Incoming], now_ms: u64) -> Result<Applied, StoreError> {
        self.write(|clock| {
            // Keep this device's clock ahead of everything it has seen.
            for change in changes {
                clock.observe(&change.version.hlc, now_ms);
            }
            (changes.to_vec(), false)
        })
        .await
    }

    /// Takes in what a sync round brought, in **one** transaction: the pulled versions are
    /// merged, the pushed outbox entries the server acknowledged (`acked`, their keys) are
    /// removed, and the sync mark (cursor) is saved. A reload in the middle of a sync leaves
    /// either all of it or none: an entry leaves the outbox only once the server has it, and
    /// pulling again from an old cursor is harmless (the merge is idempotent).
    ///
    /// Refused ([`StoreError::NotOwner`]), with nothing written, unless the phone's data is
    /// tied to `mark.user`.
    pub async fn take_sync(
        &self,
        pulled: &[Incoming],
        acked: &[String],
        mark: &SyncMark,
        now_ms: u64,
    ) -> Result<Applied, StoreError> {
        let user = mark.user.clone();
        let mark = to_js(&MetaRow {
            key: SYNC_KEY.into(),
            value: mark,
        })?;
        self.write_with(
            |clock| {
                for change in pulled {
                    clock.observe(&change.version.hlc, now_ms);
                }
                (pulled.to_vec(), false)
            },
            acked,
            Some((mark, user)),
        )
        .await
    }

    /// Every version this phone holds (history, current ones included): what a first sync of
    /// an account sends, so records that never went through the outbox (an imported file)
    /// reach the server too.
    pub async fn all_versions(&self) -> Result<Vec<OutboxRow>, StoreError> {
        let (currents, rows) = self.every_row().await?;
        let mut kinds = BTreeMap::new();
        for row in currents {
            if let Ok(row) = from_js::<CurrentRow>(row) {
                kinds.insert(row.id, row.kind);
            }
        }
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let Ok(row) = from_js::<HistoryRow>(row) else {
                continue;
            };
            let Some(&kind) = kinds.get(&row.id) else { continue };
            out.push(OutboxRow {
                key: row.key,
                id: row.id,
                kind,
                version: row.version,
            });
        }
        Ok(out)
    }

    /// Who the data is tied to, and how much of it is where: read in one transaction.
    pub async fn holding(&self) -> Result<Holding, StoreError> {
        let tx = self
            .db
            .transaction(&[RECORDS, HISTORY, OUTBOX, META], TransactionMode::ReadOnly)
            .map_err(unavailable)?;
        let count = |name: &'static str| {
            let store = tx.store(name);
            async move {
                store
                    .map_err(unavailable)?
                    .count(None)
                    .await
                    .map(|n| n as usize)
                    .map_err(unavailable)
            }
        };
        let records = count(RECORDS).await?;
        let history = count(HISTORY).await?;
        let outbox = count(OUTBOX).await?;
        let (owner, mark) = owner_in(&tx.store(META).map_err(unavailable)?).await?;
        let synced =
            matches!((&owner, &mark), (Some(owner), Some(mark)) if mark.user == *owner && mark.seeded);
        Ok(Holding {
            owner,
            records,
            unsent: if synced { outbox } else { history },
        })
    }

    /// Ties the data on this phone to `user` when that is allowed: it is already theirs, or
    /// it is nobody's and either the phone holds nothing or the user chose to keep it
    /// (`keep`). True when the data is now `user`'s; false (nothing changed) otherwise.
    pub async fn tie_to(&self, user: &str, keep: bool) -> Result<bool, StoreError> {
        if user.is_empty() {
            return Ok(false);
        }
        let tx = self
            .db
            .transaction(&[RECORDS, OUTBOX, META], TransactionMode::ReadWrite)
            .map_err(unavailable)?;
        let result = async {
            let meta = tx.store(META).map_err(write_failed)?;
            let (owner, _) = owner_in(&meta).await?;
            match owner {
                Some(owner) => Ok(owner == user),
                None => {
                    let empty = tx
                        .store(RECORDS)
                        .map_err(write_failed)?
                        .count(None)
                        .await
                        .map_err(write_failed)?
                        == 0
                        && tx
                            .store(OUTBOX)
                            .map_err(write_failed)?
                            .count(None)
                            .await
                            .map_err(write_failed)?
                            == 0;
                    if !(keep || empty) {
                        return Ok(false);
                    }
                    put_owner(&meta, Some(user)).await?;
                    Ok(true)
                }
            }
        }
        .await;
        match result {
            Ok(tied) => {
                tx.done().await.map_err(write_failed)?;
                Ok(tied)
            }
            Err(err) => {
                let _ = tx.abort().await;
                Err(err)
            }
        }
    }

    /// The data on this phone is tied to no account any more (the account was deleted: what
    /// is on the phone is still the person's, and may go with a new account).
    pub async fn release(&self) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(&[META], TransactionMode::ReadWrite)
            .map_err(unavailable)?;
        let meta = tx.store(META).map_err(write_failed)?;
        put_owner(&meta, None).await?;
        meta.delete(JsValue::from_str(SYNC_KEY))
            .await
            .map_err(write_failed)?;
        tx.done().await.map_err(write_failed)?;
        Ok(())
    }

    /// Removes every record, all history, the outbox, conflicts, the sync mark, the owner
    /// and the cached shared copies, in one transaction; keeps only what belongs to the
    /// phone itself (its device id, clock and schema). With `owner`, the now empty phone is
    /// tied to that account.
    pub async fn clear_all(&self, owner: Option<&str>) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(&[RECORDS, HISTORY, OUTBOX, META], TransactionMode::ReadWrite)
            .map_err(unavailable)?;
        let result = async {
            for name in [RECORDS, HISTORY, OUTBOX] {
                tx.store(name)
                    .map_err(write_failed)?
                    .clear()
                    .await
                    .map_err(write_failed)?;
            }
            let meta = tx.store(META).map_err(write_failed)?;
            let keys = meta.get_all_keys(None, None).await.map_err(write_failed)?;
            for key in keys {
                let phone = key.as_string().is_some_and(|k| PHONE_KEYS.contains(&k.as_str()));
                if !phone {
                    meta.delete(key).await.map_err(write_failed)?;
                }
            }
            if let Some(owner) = owner.filter(|o| !o.is_empty()) {
                put_owner(&meta, Some(owner)).await?;
            }
            Ok(Applied::default())
        }
        .await;
        finish(tx, result).await.map(|_| ())
    }

    /// What a sync round for `user` sends, and the outbox keys the last request
    /// acknowledges: the outbox, or every version on the phone when the account's first
    /// round has not gone through (`seeded` false). Refused ([`StoreError::NotOwner`])
    /// unless the data on this phone is tied to `user`: this is the check that keeps one
    /// person's plan out of another person's account, whatever the UI did.
    pub async fn to_push(
        &self,
        user: &str,
        seeded: bool,
    ) -> Result<(Vec<OutboxRow>, Vec<String>), StoreError> {
        if self.owner().await?.as_deref() != Some(user) || user.is_empty() {
            return Err(StoreError::NotOwner);
        }
        let outbox = self.outbox().await?;
        if seeded {
            return Ok((outbox, Vec::new()));
        }
        // Read after the outbox, so every entry read there is among them.
        let keys = outbox.into_iter().map(|row| row.key).collect();
        Ok((self.all_versions().await?, keys))
    }

    /// The account the data on this phone is tied to (see [`OWNER_KEY`]).
    pub async fn owner(&self) -> Result<Option<String>, StoreError> {
        let tx = self
            .db
            .transaction(&[META], TransactionMode::ReadOnly)
            .map_err(unavailable)?;
        Ok(owner_in(&tx.store(META).map_err(unavailable)?).await?.0)
    }

    /// Every row of `records` and of `history`, read in one transaction (so they agree).
    async fn every_row(&self) -> Result<(Vec<JsValue>, Vec<JsValue>), StoreError> {
        let tx = self
            .db
            .transaction(&[RECORDS, HISTORY], TransactionMode::ReadOnly)
            .map_err(unavailable)?;
        let currents = tx
            .store(RECORDS)
            .map_err(unavailable)?
            .get_all(None, None)
            .await
            .map_err(unavailable)?;
        let history = tx
            .store(HISTORY)
            .map_err(unavailable)?
            .get_all(None, None)
            .await
            .map_err(unavailable)?;
        Ok((currents, history))
    }

    /// A small value kept in `meta` (the sync mark, the shared-with-me cache, conflicts).
    pub async fn meta<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let tx = self
            .db
            .transaction(&[META], TransactionMode::ReadOnly)
            .map_err(unavailable)?;
        match tx
            .store(META)
            .map_err(unavailable)?
            .get(JsValue::from_str(key))
            .await
            .map_err(unavailable)?
        {
            Some(value) => Ok(Some(from_js::<MetaRow<T>>(value)?.value)),
            None => Ok(None),
        }
    }

    pub async fn set_meta<T: serde::Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(&[META], TransactionMode::ReadWrite)
            .map_err(unavailable)?;
        let row = to_js(&MetaRow {
            key: key.to_owned(),
            value,
        })?;
        tx.store(META)
            .map_err(write_failed)?
            .put(&row, None)
            .await
            .map_err(write_failed)?;
        tx.done().await.map_err(write_failed)?;
        Ok(())
    }

    /// One read-write transaction: reads the clock (inside the transaction, so two tabs
    /// never stamp the same time), lets `plan` decide the changes, applies them and saves the
    /// clock. Commits only if all of it succeeded.
    async fn write(
        &self,
        plan: impl FnOnce(&mut Clock) -> (Vec<Incoming>, bool),
    ) -> Result<Applied, StoreError> {
        self.write_with(plan, &[], None).await
    }

    /// [`Store::write`], also removing `acked` outbox entries and putting a sync mark row
    /// (`sync_mark`: the row and its account, which must own the phone's data).
    async fn write_with(
        &self,
        plan: impl FnOnce(&mut Clock) -> (Vec<Incoming>, bool),
        acked: &[String],
        sync_mark: Option<(JsValue, String)>,
    ) -> Result<Applied, StoreError> {
        let tx = self
            .db
            .transaction(&[RECORDS, HISTORY, OUTBOX, META], TransactionMode::ReadWrite)
            .map_err(unavailable)?;
        let result = async {
            let meta = tx.store(META).map_err(write_failed)?;
            if let Some((_, user)) = &sync_mark {
                // Inside the transaction: a phone emptied for another account while a
                // round was under way takes nothing of that round.
                if owner_in(&meta).await?.0.as_ref() != Some(user) {
                    return Err(StoreError::NotOwner);
                }
            }
            let last: Option<Hlc> = match meta.get(JsValue::from_str("clock")).await.map_err(write_failed)? {
                // `null` reads as "no clock yet", like a missing row.
                Some(value) => from_js::<MetaRow<Option<Hlc>>>(value)?.value,
                None => None,
            };
            let mut clock = Clock::resume(self.device.clone(), last);
            let (changes, to_outbox) = plan(&mut clock);
            let applied = apply_in(&tx, &changes, to_outbox).await?;
            if let Some(last) = clock.last() {
                let row = MetaRow {
                    key: "clock".into(),
                    value: last.clone(),
                };
                meta.put(&to_js(&row)?, None).await.map_err(write_failed)?;
            }
            if let Some((row, _)) = sync_mark {
                meta.put(&row, None).await.map_err(write_failed)?;
            }
            let outbox = tx.store(OUTBOX).map_err(write_failed)?;
            for key in acked {
                outbox
                    .delete(JsValue::from_str(key))
                    .await
                    .map_err(write_failed)?;
            }
            Ok(applied)
        }
        .await;
        finish(tx, result).await
    }
}

/// The owner recorded in `meta` (or, for phones that synced before it was recorded, the
/// sync mark's account), and the sync mark.
async fn owner_in(meta: &rexie::Store) -> Result<(Option<String>, Option<SyncMark>), StoreError> {
    let owner = match meta
        .get(JsValue::from_str(OWNER_KEY))
        .await
        .map_err(unavailable)?
    {
        Some(value) => from_js::<MetaRow<Option<String>>>(value)?.value,
        None => None,
    };
    let mark = match meta.get(JsValue::from_str(SYNC_KEY)).await.map_err(unavailable)? {
        Some(value) => Some(from_js::<MetaRow<SyncMark>>(value)?.value),
        None => None,
    };
    let owner = owner
        .filter(|o| !o.is_empty())
        .or_else(|| mark.as_ref().map(|m| m.user.clone()).filter(|u| !u.is_empty()));
    Ok((owner, mark))
}

async fn put_owner(meta: &rexie::Store, owner: Option<&str>) -> Result<(), StoreError> {
    let row = MetaRow {
        key: OWNER_KEY.to_owned(),
        value: owner,
    };
    meta.put(&to_js(&row)?, None).await.map_err(write_failed)?;
    Ok(())
}

/// Commits when everything succeeded; otherwise aborts, so nothing of a failed write stays.
async fn finish(tx: rexie::Transaction, result: Result<Applied, StoreError>) -> Result<Applied, StoreError> {
    match result {
        Ok(applied) => {
            tx.done().await.map_err(write_failed)?;
            Ok(applied)
        }
        Err(err) => {
            let _ = tx.abort().await;
            Err(err)
        }
    }
}

async fn apply_in(
    tx: &rexie::Transaction,
    changes: &[Incoming],
    to_outbox: bool,
) -> Result<Applied, StoreError> {
    let records = tx.store(RECORDS).map_err(write_failed)?;
    let history = tx.store(HISTORY).map_err(write_failed)?;
    let outbox = tx.store(OUTBOX).map_err(write_failed)?;
    let mut applied = Applied::default();
    for change in changes {
        let id_js = to_js(&change.id)?;
        let existing = match records.get(id_js.clone()).await.map_err(write_failed)? {
            Some(row) => {
                let row: CurrentRow = from_js(row)?;
                let rows = history
                    .index("id")
                    .map_err(write_failed)?
                    .get_all(Some(KeyRange::only(&id_js).map_err(write_failed)?), None)
                    .await
                    .map_err(write_failed)?;
                let mut versions = Vec::with_capacity(rows.len() + 1);
                for row in rows {
                    versions.push(from_js::<HistoryRow>(row)?.version);
                }
                if !versions.iter().any(|v| v.hlc == row.current.hlc) {
                    versions.push(row.current);
                }
                Some(Record::from_versions(row.id, row.kind, versions).map_err(write_failed)?)
            }
            None => None,
        };
        let merged =
            merge(existing.as_ref(), change.id, change.kind, change.version.clone()).map_err(write_failed)?;
        if merged.change == Change::Unchanged {
            continue;
        }
        applied.changed += 1;
        if merged.conflict {
            applied.conflicts.push(change.id);
        }
        if matches!(merged.change, Change::Inserted | Change::NewCurrent) {
            let row = CurrentRow {
                id: change.id,
                kind: change.kind,
                current: merged.record.current().clone(),
            };
            records.put(&to_js(&row)?, None).await.map_err(write_failed)?;
        }
        let key = format!("{}/{}", change.id, hlc_key(&change.version.hlc));
        let row = HistoryRow {
            key,
            id: change.id,
            version: change.version.clone(),
        };
        history.put(&to_js(&row)?, None).await.map_err(write_failed)?;
        if to_outbox {
            let key = format!("{}/{}", hlc_key(&change.version.hlc), change.id);
            let row = OutboxRow {
                key,
                id: change.id,
                kind: change.kind,
                version: change.version.clone(),
            };
            // `add`, not `put`: the same edit twice is a bug, and must fail the whole write.
            outbox.add(&to_js(&row)?, None).await.map_err(write_failed)?;
        }
    }
    Ok(applied)
}

/// Reads this device's id, making one on first use, and records the schema version.
async fn ensure_device(db: &Rexie) -> Result<DeviceId, StoreError> {
    let tx = db
        .transaction(&[META], TransactionMode::ReadWrite)
        .map_err(unavailable)?;
    let meta = tx.store(META).map_err(unavailable)?;
    let existing = meta.get(JsValue::from_str("device")).await.map_err(unavailable)?;
    let device = match existing {
        Some(value) => from_js::<MetaRow<DeviceId>>(value)?.value,
        None => {
            let device = DeviceId::parse(&random_hex(8)).expect("hex is a valid device id");
            meta.put(
                &to_js(&MetaRow {
                    key: "device".into(),
                    value: device.clone(),
                })?,
                None,
            )
            .await
            .map_err(unavailable)?;
            device
        }
    };
    let schema = meta.get(JsValue::from_str("schema")).await.map_err(unavailable)?;
    let stored: u32 = match schema {
        Some(value) => from_js::<MetaRow<u32>>(value)?.value,
        None => 0,
    };
    if stored > RECORD_SCHEMA {
        return Err(StoreError::Unavailable(format!(
            "the data on this phone was written by a newer version (schema {stored}); reload to update the app"
        )));
    }
    if stored < RECORD_SCHEMA {
        // Upgrades of record bodies go here, oldest first. Schema 1 is the first.
        meta.put(
            &to_js(&MetaRow {
                key: "schema".into(),
                value: RECORD_SCHEMA,
            })?,
            None,
        )
        .await
        .map_err(unavailable)?;
    }
    tx.done().await.map_err(unavailable)?;
    Ok(device)
}

/// `bytes` random bytes from the browser's CSPRNG, as hex.
pub fn random_hex(bytes: usize) -> String {
    random_bytes::<32>()[..bytes.min(32)]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut out);
    }
    out
}

pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}
