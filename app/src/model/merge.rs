//! The merge rule: how a replica takes in a version or a whole record from elsewhere.
//!
//! Per record, last-writer-wins by [`Hlc`]: the version with the greatest stamp is `current`.
//! The loser is never dropped: it goes into the record's history, so a merge is a set union
//! of versions and the result depends only on which versions a replica has seen, not on the
//! order they arrived in or how often. That is what makes every replica converge, and what
//! makes a retried sync push or a second import harmless (idempotent on `(record id, hlc)`).
//!
//! Conflicts: a merge reports `conflict` when both sides held versions the other had not seen,
//! so the UI can say "endret på to enheter" and show both. For two whole records that is
//! exact. A single version carries no record of what its writer had seen, so [`merge`] reports
//! the case it can prove: the incoming version is new here but older than our `current`.
//! Because a device observes what it receives before writing (see [`super::hlc::Clock`]), its
//! writer cannot have seen our `current`.

use std::fmt;

use super::hlc::Hlc;
use super::record::{Kind, Record, RecordId, Version};

/// What a merge did to the existing side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Nothing new: everything incoming had been seen already.
    Unchanged,
    /// The record did not exist here before.
    Inserted,
    /// A newer version arrived and is now `current` (older ones may have arrived too).
    NewCurrent,
    /// Only older versions arrived; they were added to history and `current` stayed.
    AddedToHistory,
}

/// The merged record and what happened.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    pub record: Record,
    pub change: Change,
    pub conflict: bool,
}

/// Why two sides cannot be merged. Never a panic: the data comes from other devices and files.
#[derive(Clone, Debug, PartialEq)]
pub enum MergeError {
    /// The two sides are different records.
    IdMismatch { existing: RecordId, incoming: RecordId },
    /// The same id with another kind: damaged data, or a forged change.
    KindMismatch {
        id: RecordId,
        existing: Kind,
        incoming: Kind,
    },
    /// Two different versions with one stamp (see [`super::record::RecordError::HlcReused`]).
    HlcReused { id: RecordId, hlc: Hlc },
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::IdMismatch { existing, incoming } => {
                write!(f, "cannot merge record {incoming} into record {existing}")
            }
            MergeError::KindMismatch {
                id,
                existing,
                incoming,
            } => {
                write!(
                    f,
                    "record {id} is a {existing} here but a {incoming} in the incoming change"
                )
            }
            MergeError::HlcReused { id, hlc } => {
                write!(f, "record {id} has two different versions stamped {hlc}")
            }
        }
    }
}

impl std::error::Error for MergeError {}

/// Merges one incoming version of record `id` into what this replica has (if anything).
/// `existing` is borrowed so that on an error the caller still holds it untouched.
pub fn merge(
    existing: Option<&Record>,
    id: RecordId,
    kind: Kind,
    incoming: Version,
) -> Result<Merged, MergeError> {
    let Some(existing) = existing else {
        return Ok(Merged {
            record: Record::new(id, kind, incoming),
            change: Change::Inserted,
            conflict: false,
        });
    };
    check_same_record(existing, id, kind)?;
    if let Some(seen) = existing.version(&incoming.hlc) {
        if *seen == incoming {
            return Ok(unchanged(existing));
        }
        return Err(MergeError::HlcReused {
            id,
            hlc: incoming.hlc,
        });
    }
    let mut record = existing.clone();
    let became_current = insert_unseen(&mut record, incoming);
    Ok(Merged {
        record,
        change: if became_current {
            Change::NewCurrent
        } else {
            Change::AddedToHistory
        },
        // Older than our current yet new here: its writer had not seen our current.
        conflict: !became_current,
    })
}

/// Merges two whole replicas of one record (import, and syncs that carry history). `change`
/// describes what happened to `existing`, which is left untouched on an error.
pub fn merge_records(existing: &Record, incoming: Record) -> Result<Merged, MergeError> {
    check_same_record(existing, incoming.id, incoming.kind)?;
    let incoming_len = incoming.history.len() + 1;
    let incoming_current = incoming.current.hlc.clone();
    // Checked before anything is added, so that an error leaves nothing half merged.
    let mut unseen = Vec::new();
    for version in incoming.history.into_iter().chain([incoming.current]) {
        match existing.version(&version.hlc) {
            Some(seen) if *seen == version => {}
            Some(_) => {
                return Err(MergeError::HlcReused {
                    id: existing.id,
                    hlc: version.hlc,
                })
            }
            None => unseen.push(version),
        }
    }
    if unseen.is_empty() {
        return Ok(unchanged(existing));
    }
    // Versions both sides hold; if `existing` holds more, each side had news for the other.
    let common = incoming_len - unseen.len();
    let conflict = existing.versions().count() > common;
    let change = if incoming_current > existing.current.hlc {
        Change::NewCurrent
    } else {
        Change::AddedToHistory
    };
    let mut record = existing.clone();
    for version in unseen {
        insert_unseen(&mut record, version);
    }
    Ok(Merged {
        record,
        change,
        conflict,
    })
}

/// Adds a version the record has not seen, keeping history sorted; true if it became current.
fn insert_unseen(record: &mut Record, incoming: Version) -> bool {
    if incoming.hlc > record.current.hlc {
        // The old current is newer than all of history, so it goes at the end.
        let previous = std::mem::replace(&mut record.current, incoming);
        record.history.push(previous);
        true
    } else {
        let at = record.history.partition_point(|v| v.hlc < incoming.hlc);
        record.history.insert(at, incoming);
        false
    }
}

fn check_same_record(existing: &Record, id: RecordId, kind: Kind) -> Result<(), MergeError> {
    if existing.id != id {
        return Err(MergeError::IdMismatch {
            existing: existing.id,
            incoming: id,
        });
    }
    if existing.kind != kind {
        return Err(MergeError::KindMismatch {
            id,
            existing: existing.kind,
            incoming: kind,
        });
    }
    Ok(())
}

fn unchanged(record: &Record) -> Merged {
    Merged {
        record: record.clone(),
        change: Change::Unchanged,
        conflict: false,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::model::hlc::{Clock, DeviceId};
    use crate::model::record::RECORD_SCHEMA;

    fn id(n: u8) -> RecordId {
        RecordId::new_v7(1, [n; 10])
    }

    fn version(wall_ms: u64, device: &str, body: serde_json::Value) -> Version {
        Version {
            hlc: Hlc {
                wall_ms,
                counter: 0,
                device: DeviceId::parse(device).unwrap(),
            },
            deleted: false,
            schema: RECORD_SCHEMA,
            body,
        }
    }

    fn merged(existing: Option<&Record>, v: Version) -> Merged {
        merge(existing, id(1), Kind::PlanItem, v).unwrap()
    }

    #[test]
    fn newer_wins_and_the_loser_stays_in_history() {
        let first = merged(None, version(1, "a", json!("one")));
        assert_eq!(first.change, Change::Inserted);
        let second = merged(Some(&first.record), version(2, "b", json!("two")));
        assert_eq!((second.change, second.conflict), (Change::NewCurrent, false));
        assert_eq!(second.record.current().body, json!("two"));
        assert_eq!(second.record.history()[0].body, json!("one"));
    }

    #[test]
    fn an_older_unseen_version_is_kept_and_flagged_as_a_conflict() {
        let record = merged(None, version(5, "a", json!("mine"))).record;
        let late = merged(Some(&record), version(3, "b", json!("theirs")));
        assert_eq!((late.change, late.conflict), (Change::AddedToHistory, true));
        assert_eq!(late.record.current().body, json!("mine"));
        assert_eq!(late.record.history().len(), 1);
    }

    #[test]
    fn the_same_version_twice_changes_nothing() {
        let record = merged(None, version(5, "a", json!("x"))).record;
        let again = merged(Some(&record), version(5, "a", json!("x")));
        assert_eq!((again.change, again.conflict), (Change::Unchanged, false));
        assert_eq!(again.record, record);
    }

    #[test]
    fn a_reused_stamp_kind_or_id_mismatch_is_an_error() {
        let record = merged(None, version(5, "a", json!("x"))).record;
        let reused = merge(Some(&record), id(1), Kind::PlanItem, version(5, "a", json!("y")));
        assert!(matches!(reused, Err(MergeError::HlcReused { .. })));
        let kind = merge(
            Some(&record),
            id(1),
            Kind::PlanContact,
            version(6, "a", json!("y")),
        );
        assert!(matches!(kind, Err(MergeError::KindMismatch { .. })));
        let other = merge(Some(&record), id(2), Kind::PlanItem, version(6, "a", json!("y")));
        assert!(matches!(other, Err(MergeError::IdMismatch { .. })));
        let whole = Record::new(id(1), Kind::PlanSection, version(7, "b", json!(1)));
        assert!(matches!(
            merge_records(&record, whole),
            Err(MergeError::KindMismatch { .. })
        ));
    }

    #[test]
    fn whole_records_report_a_conflict_only_when_both_sides_have_news() {
        let base = Record::new(id(1), Kind::PlanItem, version(1, "a", json!(0)));
        let a = merged(Some(&base), version(2, "a", json!("a"))).record;
        let b = merged(Some(&base), version(3, "b", json!("b"))).record;
        let both = merge_records(&a, b.clone()).unwrap();
        assert_eq!((both.change, both.conflict), (Change::NewCurrent, true));
        assert_eq!(both.record.versions().count(), 3);
        let behind = merge_records(&base, a.clone()).unwrap();
        assert_eq!((behind.change, behind.conflict), (Change::NewCurrent, false));
        let ahead = merge_records(&a, base).unwrap();
        assert_eq!(ahead.change, Change::Unchanged);
        assert_eq!(ahead.record, a);
    }

    // ---- Property tests: many devices, any delivery order, any duplication. ----

    const KINDS: [Kind; 3] = [Kind::PlanSection, Kind::PlanItem, Kind::PlanContact];

    #[derive(Clone, Debug)]
    enum Op {
        /// Device writes record `record` at `now_ms` (a tombstone if `delete`).
        Write {
            device: usize,
            record: usize,
            now_ms: u64,
            body: u8,
            delete: bool,
        },
        /// Device `to` receives everything device `from` has, as a sync would.
        Sync { from: usize, to: usize, now_ms: u64 },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0..4usize, 0..3usize, 0..40u64, any::<u8>(), prop::bool::weighted(0.2)).prop_map(
                |(device, record, now_ms, body, delete)| Op::Write { device, record, now_ms, body, delete }
            ),
            1 => (0..4usize, 0..4usize, 0..40u64).prop_map(|(from, to, now_ms)| Op::Sync { from, to, now_ms }),
        ]
    }

    type Store = BTreeMap<RecordId, Record>;
    type Written = (RecordId, Kind, Version);

    fn deliver(store: &mut Store, (id, kind, version): &Written) -> Merged {
        let merged = merge(store.get(id), *id, *kind, version.clone()).unwrap();
        store.insert(*id, merged.record.clone());
        merged
    }

    /// Runs the edits; returns every version written, in writing order, and the device stores.
    fn simulate(ops: &[Op]) -> (Vec<Written>, Vec<Store>) {
        let mut clocks: Vec<Clock> = (0..4)
            .map(|d| Clock::new(DeviceId::parse(&format!("device-{d}")).unwrap()))
            .collect();
        let mut stores: Vec<Store> = vec![Store::new(); 4];
        let mut written = Vec::new();
        for op in ops {
            match *op {
                Op::Write {
                    device,
                    record,
                    now_ms,
                    body,
                    delete,
                } => {
                    let hlc = clocks[device].tick(now_ms);
                    let version = Version {
                        hlc,
                        deleted: delete,
                        schema: RECORD_SCHEMA,
                        body: json!({ "n": body }),
                    };
                    let change = (id(record as u8 + 1), KINDS[record], version);
                    deliver(&mut stores[device], &change);
                    written.push(change);
                }
                Op::Sync { from, to, now_ms } => {
                    let records: Vec<Record> = stores[from].values().cloned().collect();
                    for record in records {
                        for version in record.versions() {
                            clocks[to].observe(&version.hlc, now_ms);
                        }
                        let merged = match stores[to].get(&record.id()) {
                            Some(existing) => merge_records(existing, record).unwrap().record,
                            None => record,
                        };
                        stores[to].insert(merged.id(), merged);
                    }
                }
            }
        }
        (written, stores)
    }

    fn scenario() -> impl Strategy<Value = (Vec<Op>, Vec<Vec<usize>>)> {
        let first =
            (0..4usize, 0..3usize, 0..40u64, any::<u8>()).prop_map(|(device, record, now_ms, body)| {
                Op::Write {
                    device,
                    record,
                    now_ms,
                    body,
                    delete: false,
                }
            });
        (first, prop::collection::vec(op(), 0..30)).prop_flat_map(|(first, rest)| {
            let ops: Vec<Op> = std::iter::once(first).chain(rest).collect();
            let n = simulate(&ops).0.len();
            // Each replica gets every version at least once, plus duplicates, shuffled.
            let order = prop::collection::vec(0..n, 0..=n).prop_flat_map(move |dups| {
                let all: Vec<usize> = (0..n).chain(dups).collect();
                Just(all).prop_shuffle()
            });
            (Just(ops), prop::collection::vec(order, 3))
        })
    }

    fn assert_invariants(record: &Record) {
        for pair in record.history().windows(2) {
            assert!(pair[0].hlc < pair[1].hlc, "history sorted and unique");
        }
        let max = record.versions().map(|v| &v.hlc).max().unwrap();
        assert_eq!(&record.current().hlc, max, "current is the newest version");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn replicas_converge_and_keep_every_version((ops, orders) in scenario()) {
            let (written, devices) = simulate(&ops);
            let mut replicas: Vec<Store> = orders
                .iter()
                .map(|order| {
                    let mut store = Store::new();
                    for &i in order {
                        deliver(&mut store, &written[i]);
                    }
                    store
                })
                .collect();
            // One more replica built from whole device stores, as import and sync do.
            let mut from_records = Store::new();
            for record in devices.into_iter().rev().flat_map(|s| s.into_values()) {
                let merged = match from_records.get(&record.id()) {
                    Some(existing) => merge_records(existing, record).unwrap().record,
                    None => record,
                };
                from_records.insert(merged.id(), merged);
            }
            for (id, kind, version) in &written {
                deliver(&mut from_records, &(*id, *kind, version.clone()));
            }
            replicas.push(from_records);

            for replica in &replicas {
                prop_assert_eq!(replica, &replicas[0]);
                for record in replica.values() {
                    assert_invariants(record);
                }
                for (id, _, version) in &written {
                    prop_assert_eq!(replica[id].version(&version.hlc), Some(version));
                }
                let total: usize = replica.values().map(|r| r.versions().count()).sum();
                prop_assert_eq!(total, written.len(), "nothing invented either");
            }
        }

        #[test]
        fn current_is_always_the_newest_version((ops, orders) in scenario()) {
            let (written, _) = simulate(&ops);
            let mut store = Store::new();
            for &i in &orders[0] {
                let merged = deliver(&mut store, &written[i]);
                assert_invariants(&merged.record);
                let newest = written
                    .iter()
                    .filter(|(id, _, v)| *id == merged.record.id() && merged.record.version(&v.hlc).is_some())
                    .map(|(_, _, v)| &v.hlc)
                    .max();
                prop_assert_eq!(Some(&merged.record.current().hlc), newest);
            }
        }

        #[test]
        fn merge_records_is_commutative_and_idempotent((ops, _) in scenario()) {
            let (_, devices) = simulate(&ops);
            for a in devices[0].values() {
                for store in &devices[1..] {
                    if let Some(b) = store.get(&a.id()) {
                        let ab = merge_records(a, b.clone()).unwrap();
                        let ba = merge_records(b, a.clone()).unwrap();
                        prop_assert_eq!(&ab.record, &ba.record);
                        prop_assert_eq!(ab.conflict, ba.conflict);
                        let again = merge_records(&ab.record, b.clone()).unwrap();
                        prop_assert_eq!(again.change, Change::Unchanged);
                    }
                }
            }
        }
    }
}
