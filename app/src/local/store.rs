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
//! | `meta`    | name | `device` id, `clock` (last HLC), `schema` (record schema version), `sync` ([`SyncMark`]), `shared` (what others share with this user, cached), `conflicts` |
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
    pub async fn take_sync(
        &self,
        pulled: &[Incoming],
        acked: &[String],
        mark: &SyncMark,
        now_ms: u64,
    ) -> Result<Applied, StoreError> {
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
            Some(mark),
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

    /// [`Store::write`], also removing `acked` outbox entries and putting one `meta` row.
    async fn write_with(
        &self,
        plan: impl FnOnce(&mut Clock) -> (Vec<Incoming>, bool),
        acked: &[String],
        meta_row: Option<JsValue>,
    ) -> Result<Applied, StoreError> {
        let tx = self
            .db
            .transaction(&[RECORDS, HISTORY, OUTBOX, META], TransactionMode::ReadWrite)
            .map_err(unavailable)?;
        let result = async {
            let meta = tx.store(META).map_err(write_failed)?;
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
            if let Some(extra) = meta_row {
                meta.put(&extra, None).await.map_err(write_failed)?;
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
