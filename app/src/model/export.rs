//! The export file, and importing one: the user's data is theirs to take and bring back.
//!
//! An export holds whole records, every version included, so importing it is an ordinary
//! merge (see [`super::merge`]): nothing already on the phone is lost, the newest version of
//! each record wins, and importing the same file twice changes nothing the second time.
//!
//! Import is all or nothing. [`parse_export`] checks everything (size, format, version, every
//! record and its current body) before the caller touches the store, and [`import`] computes
//! every merged record before returning any, so a bad file can never leave half a plan.
//!
//! **Layout.** Version 2 (this build) groups the records by feature, so a person or a
//! clinician reading the file sees what is the plan and what is the wheel:
//! `{"format": "tillit-export", "version": 2, "exported_at_ms": …, "plan": […], "wheel": […]}`.
//! Version 1 (before the wheel) had one list, `"records": […]`, of plan records only; it is
//! read by [`upgrade_v1`], which moves that list to `"plan"`. Each group holds only its own
//! kinds (see [`Family`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use super::body::{check_body, BodyError};
use super::hlc::MAX_WALL_MS;
use super::merge::{merge_records, Change, MergeError};
use super::record::{Family, Record, RecordId, RECORD_SCHEMA};

/// The tag that tells our files from any other JSON.
pub const EXPORT_FORMAT: &str = "tillit-export";
/// The file layout this build writes and the newest it reads.
pub const EXPORT_VERSION: u32 = 2;
/// The largest file [`parse_export`] reads: a plan is text, far smaller than this.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;

/// A checked export: made by [`ExportFile::new`] from the store, or by [`parse_export`].
#[derive(Clone, Debug, PartialEq)]
pub struct ExportFile {
    version: u32,
    exported_at_ms: u64,
    records: Vec<Record>,
}

/// Why a file cannot be imported. The UI translates by variant; nothing was applied.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportError {
    TooLarge {
        size: usize,
        max: usize,
    },
    /// Not JSON, or JSON without the fields an export has.
    Malformed {
        detail: String,
    },
    /// JSON, but not a Tillit export (no or another `format` tag).
    Foreign,
    /// Made by a newer version of the app: update the app, then import.
    FromTheFuture {
        version: u64,
    },
    /// Record number `index` (from 0) of the group `group` ("plan", "wheel") cannot be read.
    InvalidRecord {
        group: &'static str,
        index: usize,
        reason: RecordProblem,
    },
    /// The same record twice in one file.
    Duplicate {
        id: RecordId,
    },
    /// A record in the file cannot be merged with the one on the phone (say, another kind).
    Merge(MergeError),
}

/// What is wrong with one record of a file.
#[derive(Clone, Debug, PartialEq)]
pub enum RecordProblem {
    /// Bad id, unknown kind, missing field, reused timestamp…: serde's or the record's message.
    Structure { detail: String },
    /// A version with a schema this build does not know.
    Schema { schema: u32 },
    /// A version stamped beyond [`MAX_WALL_MS`]: a broken clock, or a forged file.
    Timestamp { wall_ms: u64 },
    /// The current body is not a valid body for the record's kind.
    Body(BodyError),
    /// A record of another feature's kind in this group (a wheel rating among the plan's).
    WrongGroup,
}

impl fmt::Display for RecordProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordProblem::Structure { detail } => f.write_str(detail),
            RecordProblem::Schema { schema } => write!(f, "unknown schema {schema}"),
            RecordProblem::Timestamp { wall_ms } => write!(f, "impossible timestamp {wall_ms}"),
            RecordProblem::Body(error) => write!(f, "{error}"),
            RecordProblem::WrongGroup => write!(f, "a record of another kind than its group"),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::TooLarge { size, max } => {
                write!(f, "the file is {size} bytes, at most {max} can be imported")
            }
            ImportError::Malformed { detail } => write!(f, "the file is damaged: {detail}"),
            ImportError::Foreign => write!(f, "the file is not a Tillit export"),
            ImportError::FromTheFuture { version } => {
                write!(
                    f,
                    "the file has format version {version}, newer than this app reads"
                )
            }
            ImportError::InvalidRecord { group, index, reason } => {
                write!(f, "{group} record {index}: {reason}")
            }
            ImportError::Duplicate { id } => write!(f, "record {id} is in the file twice"),
            ImportError::Merge(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for ImportError {}

/// The JSON layout, borrowed so that writing a file copies nothing.
#[derive(Serialize)]
struct Wire<'a> {
    format: &'static str,
    version: u32,
    exported_at_ms: u64,
    plan: Vec<&'a Record>,
    wheel: Vec<&'a Record>,
}

impl ExportFile {
    /// An export of `records` (typically every record in the store), sorted by id so the
    /// same store always gives the same file.
    pub fn new(exported_at_ms: u64, mut records: Vec<Record>) -> ExportFile {
        super::order::sort_by_key(&mut records, Record::id);
        ExportFile {
            version: EXPORT_VERSION,
            exported_at_ms,
            records,
        }
    }

    pub fn version(&self) -> u32 {
        self.version
    }

    pub fn exported_at_ms(&self) -> u64 {
        self.exported_at_ms
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The file's bytes. Not checked against [`MAX_IMPORT_BYTES`]: exporting is never refused,
    /// even if a store has grown beyond what one import takes.
    pub fn to_json(&self) -> Vec<u8> {
        let group = |family: Family| {
            self.records
                .iter()
                .filter(|r| r.kind().family() == family)
                .collect::<Vec<_>>()
        };
        let wire = Wire {
            format: EXPORT_FORMAT,
            version: self.version,
            exported_at_ms: self.exported_at_ms,
            plan: group(Family::Plan),
            wheel: group(Family::Wheel),
        };
        // Records hold only strings, numbers, bools and JSON values: this cannot fail.
        serde_json::to_vec(&wire).expect("an export always serialises")
    }
}

/// Reads and checks a file completely; nothing is applied here.
pub fn parse_export(bytes: &[u8]) -> Result<ExportFile, ImportError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            size: bytes.len(),
            max: MAX_IMPORT_BYTES,
        });
    }
    // Through `&str`, so the browser bundle carries one copy of serde_json's text parser
    // (the one every other read uses), not a second one over bytes.
    let text = std::str::from_utf8(bytes).map_err(|e| ImportError::Malformed {
        detail: format!("not UTF-8 text at byte {}", e.valid_up_to()),
    })?;
    let json: Value = serde_json::from_str(text).map_err(|e| ImportError::Malformed {
        detail: e.to_string(),
    })?;
    let Value::Object(mut file) = json else {
        return Err(ImportError::Foreign);
    };
    if file.get("format").and_then(Value::as_str) != Some(EXPORT_FORMAT) {
        return Err(ImportError::Foreign);
    }
    let malformed = |detail: &str| ImportError::Malformed {
        detail: detail.to_owned(),
    };
    let version = file
        .get("version")
        .and_then(Value::as_u64)
        .filter(|v| *v >= 1)
        .ok_or_else(|| malformed("the format version is missing or not a positive whole number"))?;
    if version > u64::from(EXPORT_VERSION) {
        return Err(ImportError::FromTheFuture { version });
    }
    let exported_at_ms = file
        .get("exported_at_ms")
        .and_then(Value::as_u64)
        .ok_or_else(|| malformed("the export time is missing or not a whole number"))?;
    if version == 1 {
        upgrade_v1(&mut file)?;
    }
    let mut seen = BTreeSet::new();
    let mut records = Vec::new();
    for family in Family::ALL {
        let group = family.name();
        let Some(Value::Array(raw_records)) = file.remove(group) else {
            return Err(ImportError::Malformed {
                detail: format!("the list of {group} records is missing"),
            });
        };
        for (index, raw) in raw_records.into_iter().enumerate() {
            let invalid = |reason| ImportError::InvalidRecord { group, index, reason };
            let record = check_record(raw).map_err(invalid)?;
            if record.kind().family() != family {
                return Err(invalid(RecordProblem::WrongGroup));
            }
            if !seen.insert(record.id()) {
                return Err(ImportError::Duplicate { id: record.id() });
            }
            records.push(record);
        }
    }
    Ok(ExportFile {
        version: EXPORT_VERSION,
        exported_at_ms,
        records,
    })
}

/// Turns a version 1 file into version 2 in place: its `records` (plan records only: the
/// wheel did not exist yet) become the `plan` group, and the wheel group is empty.
pub fn upgrade_v1(file: &mut Map<String, Value>) -> Result<(), ImportError> {
    let Some(records @ Value::Array(_)) = file.remove("records") else {
        return Err(ImportError::Malformed {
            detail: "the list of records is missing".to_owned(),
        });
    };
    file.insert(Family::Plan.name().to_owned(), records);
    file.insert(Family::Wheel.name().to_owned(), Value::Array(Vec::new()));
    file.insert("version".to_owned(), Value::from(2));
    Ok(())
}

/// One record: its structure, every version's schema and stamp; the current body in full. Older
/// versions' bodies are not checked: they were valid when written, and a rule tightened since
/// must not make a person's own old export unreadable. Restoring one parses it again.
fn check_record(raw: Value) -> Result<Record, RecordProblem> {
    let record: Record = super::json::from_value(&raw).map_err(|e| RecordProblem::Structure {
        detail: e.to_string(),
    })?;
    if let Some(v) = record
        .versions()
        .find(|v| v.schema == 0 || v.schema > RECORD_SCHEMA)
    {
        return Err(RecordProblem::Schema { schema: v.schema });
    }
    if let Some(v) = record.versions().find(|v| v.hlc.wall_ms > MAX_WALL_MS) {
        return Err(RecordProblem::Timestamp {
            wall_ms: v.hlc.wall_ms,
        });
    }
    check_body(record.id(), record.kind(), record.current()).map_err(RecordProblem::Body)?;
    Ok(record)
}

/// Merges a checked file into the store's records and returns the records that changed
/// (new or merged), sorted by id: what the caller writes, in one transaction.
pub fn import(existing: Vec<Record>, file: ExportFile) -> Result<Vec<Record>, ImportError> {
    let mut store: BTreeMap<RecordId, Record> = existing.into_iter().map(|r| (r.id(), r)).collect();
    let mut changed = BTreeSet::new();
    for incoming in file.records {
        let id = incoming.id();
        let record = match store.get(&id) {
            None => incoming,
            Some(current) => {
                let merged = merge_records(current, incoming).map_err(ImportError::Merge)?;
                if merged.change == Change::Unchanged {
                    continue;
                }
                merged.record
            }
        };
        changed.insert(id);
        store.insert(id, record);
    }
    Ok(changed.into_iter().filter_map(|id| store.remove(&id)).collect())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::model::body::TypedBody;
    use crate::model::hlc::{Clock, DeviceId};
    use crate::model::merge::merge;
    use crate::model::plan::{Body, DefaultSection, ItemBody, Plan, SectionBody};
    use crate::model::record::{Kind, Version};
    use crate::model::text::{ItemText, SectionName};
    use crate::model::wheel::{DefaultArea, RatingBody, Score};

    fn clock(name: &str) -> Clock {
        Clock::new(DeviceId::parse(name).unwrap())
    }

    fn item_record(clock: &mut Clock, n: u8, text: &str) -> Record {
        let body = Body::from(ItemBody {
            section: DefaultSection::SelfHelp.record_id(),
            text: ItemText::parse(text).unwrap(),
            position: 1,
        });
        Record::new(
            RecordId::new_v7(1, [n; 10]),
            Kind::PlanItem,
            body.into_version(clock.tick(5)),
        )
    }

    fn file_with(records: Value) -> Vec<u8> {
        serde_json::to_vec(
            &json!({"format": "tillit-export", "version": 1, "exported_at_ms": 9, "records": records}),
        )
        .unwrap()
    }

    fn invalid_reason(bytes: &[u8]) -> RecordProblem {
        match parse_export(bytes) {
            Err(ImportError::InvalidRecord { index: 0, reason, .. }) => reason,
            other => panic!("expected an invalid record, got {other:?}"),
        }
    }

    #[test]
    fn the_file_layout_is_stable() {
        let file = ExportFile::new(42, vec![]);
        let text = String::from_utf8(file.to_json()).unwrap();
        assert_eq!(
            text,
            r#"{"format":"tillit-export","version":2,"exported_at_ms":42,"plan":[],"wheel":[]}"#
        );
        assert_eq!(parse_export(text.as_bytes()).unwrap(), file);
    }

    fn wheel_record(clock: &mut Clock) -> Record {
        let rating = RatingBody {
            area: DefaultArea::Housing.record_id(),
            date: crate::model::date::Date::parse("2026-11-23").unwrap(),
            importance: None,
            performance: Some(Score::new(6).unwrap()),
            satisfaction: None,
        };
        Record::new(
            RecordId::new_v7(2, [42; 10]),
            Kind::WheelRating,
            Version::new(clock.tick(7), rating.to_json()),
        )
    }

    #[test]
    fn groups_records_by_feature_and_reads_them_back() {
        let mut a = clock("a");
        let item = item_record(&mut a, 1, "gå tur");
        let rating = wheel_record(&mut a);
        let file = ExportFile::new(5, vec![rating.clone(), item.clone()]);
        let json: Value = serde_json::from_slice(&file.to_json()).unwrap();
        assert_eq!(json["plan"][0]["kind"], json!("plan.item"));
        assert_eq!(json["wheel"][0]["kind"], json!("wheel.rating"));
        assert_eq!(parse_export(&file.to_json()).unwrap(), file);

        // A record in the other feature's group is refused, naming where.
        let swapped = json!({"format": "tillit-export", "version": 2, "exported_at_ms": 1,
                             "plan": [rating], "wheel": [item]});
        let err = parse_export(&serde_json::to_vec(&swapped).unwrap()).unwrap_err();
        assert_eq!(
            err,
            ImportError::InvalidRecord {
                group: "plan",
                index: 0,
                reason: RecordProblem::WrongGroup
            }
        );
        assert_eq!(
            err.to_string(),
            "plan record 0: a record of another kind than its group"
        );
        let no_wheel = br#"{"format": "tillit-export", "version": 2, "exported_at_ms": 1, "plan": []}"#;
        assert!(matches!(
            parse_export(no_wheel),
            Err(ImportError::Malformed { .. })
        ));
    }

    #[test]
    fn a_version_1_file_is_upgraded_and_may_hold_only_plan_records() {
        let mut a = clock("a");
        let item = item_record(&mut a, 1, "gå tur");
        let old = file_with(json!([item]));
        let file = parse_export(&old).unwrap();
        assert_eq!(file.version(), EXPORT_VERSION);
        assert_eq!(file.records(), std::slice::from_ref(&item));
        // Written again, it is a version 2 file with the same records.
        assert_eq!(parse_export(&file.to_json()).unwrap(), file);
        let forged = file_with(json!([item, wheel_record(&mut a)]));
        assert!(matches!(
            parse_export(&forged),
            Err(ImportError::InvalidRecord {
                group: "plan",
                index: 1,
                reason: RecordProblem::WrongGroup
            })
        ));
    }

    #[test]
    fn a_bad_score_in_a_file_is_refused_with_its_reason() {
        let mut rating = serde_json::to_value(wheel_record(&mut clock("a"))).unwrap();
        rating["current"]["body"]["performance"] = json!(11);
        let bytes = serde_json::to_vec(&json!({"format": "tillit-export", "version": 2,
            "exported_at_ms": 1, "plan": [], "wheel": [rating]}))
        .unwrap();
        let err = parse_export(&bytes).unwrap_err();
        assert!(matches!(
            err,
            ImportError::InvalidRecord {
                group: "wheel",
                index: 0,
                reason: RecordProblem::Body(_)
            }
        ));
        assert!(err.to_string().contains("from 1 to 10, not 11"), "{err}");
    }

    #[test]
    fn refuses_large_broken_foreign_and_future_files() {
        let big = vec![b' '; MAX_IMPORT_BYTES + 1];
        assert!(matches!(parse_export(&big), Err(ImportError::TooLarge { .. })));
        assert!(matches!(
            parse_export(b"{not json"),
            Err(ImportError::Malformed { .. })
        ));
        // A picture or a file in another encoding picked by mistake.
        assert_eq!(
            parse_export(b"{\"format\": \"tillit-\xff\"}")
                .unwrap_err()
                .to_string(),
            "the file is damaged: not UTF-8 text at byte 19"
        );
        assert_eq!(parse_export(b"[1, 2]"), Err(ImportError::Foreign));
        assert_eq!(
            parse_export(br#"{"format": "other", "version": 1}"#),
            Err(ImportError::Foreign)
        );
        assert_eq!(
            parse_export(br#"{"version": 1, "records": []}"#),
            Err(ImportError::Foreign)
        );
        let future = br#"{"format": "tillit-export", "version": 3, "exported_at_ms": 1, "records": []}"#;
        assert_eq!(
            parse_export(future),
            Err(ImportError::FromTheFuture { version: 3 })
        );
        let no_records = br#"{"format": "tillit-export", "version": 1, "exported_at_ms": 1}"#;
        assert!(matches!(
            parse_export(no_records),
            Err(ImportError::Malformed { .. })
        ));
        let version_zero =
            br#"{"format": "tillit-export", "version": 0, "exported_at_ms": 1, "records": []}"#;
        assert!(matches!(
            parse_export(version_zero),
            Err(ImportError::Malformed { .. })
        ));
    }

    #[test]
    fn refuses_invalid_records_naming_which() {
        let good = serde_json::to_value(item_record(&mut clock("a"), 1, "gå tur")).unwrap();
        let with = |pointer: &str, value: Value| {
            let mut record = good.clone();
            *record.pointer_mut(pointer).unwrap() = value;
            file_with(json!([record]))
        };
        assert!(matches!(
            invalid_reason(&with("/id", json!("nope"))),
            RecordProblem::Structure { .. }
        ));
        let unknown_kind = invalid_reason(&with("/kind", json!("checkin.note")));
        assert!(
            unknown_kind.to_string().contains("unknown record kind"),
            "{unknown_kind}"
        );
        assert_eq!(
            invalid_reason(&with("/current/schema", json!(7))),
            RecordProblem::Schema { schema: 7 }
        );
        let far = invalid_reason(&with("/current/hlc/wall_ms", json!(MAX_WALL_MS + 1)));
        assert_eq!(
            far,
            RecordProblem::Timestamp {
                wall_ms: MAX_WALL_MS + 1
            }
        );
        assert!(matches!(
            invalid_reason(&with("/current/body/text", json!(""))),
            RecordProblem::Body(_)
        ));
        let err = parse_export(&file_with(json!([good, {"id": 1}]))).unwrap_err();
        assert!(matches!(err, ImportError::InvalidRecord { index: 1, .. }));
        let twice = parse_export(&file_with(json!([good, good])));
        assert!(matches!(twice, Err(ImportError::Duplicate { .. })));
    }

    #[test]
    fn import_merges_keeps_what_is_on_the_phone_and_is_idempotent() {
        let mut phone = clock("phone");
        let mut laptop = clock("laptop");
        let mine = item_record(&mut phone, 1, "mitt");
        let on_laptop = item_record(&mut laptop, 1, "fra pc");
        let other = item_record(&mut laptop, 2, "nytt");
        let file = parse_export(&ExportFile::new(1, vec![on_laptop, other]).to_json()).unwrap();
        let changed = import(vec![mine.clone()], file.clone()).unwrap();
        assert_eq!(changed.len(), 2);
        let merged = changed.iter().find(|r| r.id() == mine.id()).unwrap();
        assert_eq!(merged.versions().count(), 2, "both versions kept");
        assert!(import(changed, file).unwrap().is_empty());
    }

    #[test]
    fn a_kind_clash_fails_the_whole_import() {
        let mut a = clock("a");
        let item = item_record(&mut a, 1, "x");
        let section = Record::new(item.id(), Kind::PlanSection, Version::tombstone(a.tick(9)));
        let file =
            parse_export(&ExportFile::new(1, vec![item_record(&mut a, 2, "y"), section]).to_json()).unwrap();
        assert!(matches!(
            import(vec![item], file),
            Err(ImportError::Merge(MergeError::KindMismatch { .. }))
        ));
    }

    #[derive(Clone, Debug)]
    struct Edit {
        device: usize,
        record: u8,
        now_ms: u64,
        text: String,
        delete: bool,
    }

    fn edit() -> impl Strategy<Value = Edit> {
        (
            0..3usize,
            0..6u8,
            0..100u64,
            "[a-zæøå0-9][a-zæøå0-9 ]{0,29}",
            prop::bool::weighted(0.15),
        )
            .prop_map(|(device, record, now_ms, text, delete)| Edit {
                device,
                record,
                now_ms,
                text,
                delete,
            })
    }

    /// A store as several devices would leave it: plan records with valid bodies, histories
    /// and tombstones.
    fn store(edits: &[Edit]) -> Vec<Record> {
        let mut clocks: Vec<Clock> = (0..3).map(|d| clock(&format!("dev-{d}"))).collect();
        let mut records: BTreeMap<RecordId, Record> = BTreeMap::new();
        for edit in edits {
            let hlc = clocks[edit.device].tick(edit.now_ms);
            let plan = Plan::from_records(&records.values().cloned().collect::<Vec<_>>());
            let (id, kind, body) = if edit.record == 0 {
                let id = DefaultSection::Triggers.record_id();
                let name = Some(SectionName::parse(&edit.text).unwrap());
                // A deleted section is brought back by writing it again.
                let body = plan
                    .rename_section(id, name.clone())
                    .unwrap_or_else(|_| SectionBody {
                        name,
                        ..DefaultSection::Triggers.initial_body()
                    });
                (id, Kind::PlanSection, Body::from(body))
            } else {
                let text = ItemText::parse(&edit.text).unwrap();
                let body = plan.add_item(DefaultSection::SelfHelp.record_id(), text).unwrap();
                (
                    RecordId::new_v7(u64::from(edit.record), [edit.record; 10]),
                    Kind::PlanItem,
                    Body::from(body),
                )
            };
            let version = if edit.delete {
                Version::tombstone(hlc)
            } else {
                body.into_version(hlc)
            };
            let merged = merge(records.get(&id), id, kind, version).unwrap();
            records.insert(id, merged.record);
        }
        records.into_values().collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn export_then_import_into_an_empty_store_round_trips(edits in prop::collection::vec(edit(), 0..25)) {
            let records = store(&edits);
            let bytes = ExportFile::new(1_700_000_000_000, records.clone()).to_json();
            let file = parse_export(&bytes).unwrap();
            let imported = import(Vec::new(), file.clone()).unwrap();
            prop_assert_eq!(&imported, &records);
            prop_assert!(import(imported, file).unwrap().is_empty());
        }
    }
}
