//! Records: the unit of storage, sync and merging.
//!
//! Every piece of user data (one plan section, one item, one contact) is a [`Record`] with a
//! stable [`RecordId`], a [`Kind`] and every [`Version`] of it ever seen. Keeping all versions
//! is what lets the app show earlier versions, restore them, and show both sides when two
//! devices changed the same thing: nothing the user wrote is ever thrown away by a merge.
//!
//! A `Record` keeps its invariants (history sorted by HLC, no HLC twice, `current` the newest)
//! by construction: its fields are private to `model`, and deserialising one normalises it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::hlc::Hlc;

/// The schema of the bodies this build writes. Bump it (and teach the readers) when a body's
/// meaning changes; a reader refuses what it does not understand instead of guessing.
pub const RECORD_SCHEMA: u32 = 1;

/// A record's id: a UUID, shown and stored as the lowercase hyphenated string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RecordId(Uuid);

/// Why a string is not a record id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordIdError {
    /// Not a UUID in the 36-character hyphenated form.
    NotAUuid,
    /// The all-zero UUID, which no device ever makes.
    Nil,
}

impl fmt::Display for RecordIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordIdError::NotAUuid => write!(f, "the record id is not a hyphenated UUID"),
            RecordIdError::Nil => write!(f, "the record id is the nil UUID"),
        }
    }
}

impl std::error::Error for RecordIdError {}

impl RecordId {
    /// A new id made on the device (UUID v7): time-ordered, so ids sort roughly by creation.
    /// The caller passes the time and 10 random bytes: `model` reads neither clock nor RNG.
    pub fn new_v7(unix_ms: u64, random: [u8; 10]) -> RecordId {
        RecordId(uuid::Builder::from_unix_timestamp_millis(unix_ms, &random).into_uuid())
    }

    /// A deterministic id (UUID v8) for things every device must agree on without talking,
    /// such as the ten default plan sections: the same name gives the same id everywhere.
    ///
    /// The 128 bits are FNV-1a of `"tillit:" + name`. Never change this function: ids made
    /// with it are stored on phones and servers.
    pub fn from_static_name(name: &str) -> RecordId {
        const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
        const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
        let hash = b"tillit:"
            .iter()
            .chain(name.as_bytes())
            .fold(OFFSET, |hash, byte| {
                (hash ^ u128::from(*byte)).wrapping_mul(PRIME)
            });
        RecordId(uuid::Builder::from_custom_bytes(hash.to_be_bytes()).into_uuid())
    }

    pub fn parse(input: &str) -> Result<RecordId, RecordIdError> {
        // Only the canonical form, so one id has one spelling in storage and on the wire.
        if input.len() != 36 {
            return Err(RecordIdError::NotAUuid);
        }
        let uuid = Uuid::try_parse(input).map_err(|_| RecordIdError::NotAUuid)?;
        if uuid.is_nil() {
            return Err(RecordIdError::Nil);
        }
        Ok(RecordId(uuid))
    }

    pub fn as_uuid(&self) -> &Uuid {
        &self.0
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl FromStr for RecordId {
    type Err = RecordIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RecordId::parse(s)
    }
}

impl TryFrom<String> for RecordId {
    type Error = RecordIdError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        RecordId::parse(&value)
    }
}

impl From<RecordId> for String {
    fn from(id: RecordId) -> String {
        id.to_string()
    }
}

/// What a record holds; its body's shape follows from it (see [`super::plan`] and
/// [`super::wheel`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum Kind {
    PlanSection,
    PlanItem,
    PlanContact,
    WheelArea,
    WheelRating,
    WheelMeasure,
    WheelCheckItem,
    WheelCheckRound,
}

/// The feature a kind belongs to: what is exported, shared and shown together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// The self-help / crisis plan.
    Plan,
    /// The conversation wheel: areas, ratings, measures and the collaboration checklist.
    Wheel,
}

impl Family {
    pub const ALL: [Family; 2] = [Family::Plan, Family::Wheel];

    /// The stable name used in export files. Never rename one.
    pub const fn name(self) -> &'static str {
        match self {
            Family::Plan => "plan",
            Family::Wheel => "wheel",
        }
    }
}

/// A kind name this build does not know (perhaps written by a newer version of the app).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownKind(pub String);

impl fmt::Display for UnknownKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Bounded: the name comes from outside and ends up in error messages.
        let shown: String = self.0.chars().take(40).collect();
        write!(f, "unknown record kind {shown:?}")
    }
}

impl std::error::Error for UnknownKind {}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::PlanSection,
        Kind::PlanItem,
        Kind::PlanContact,
        Kind::WheelArea,
        Kind::WheelRating,
        Kind::WheelMeasure,
        Kind::WheelCheckItem,
        Kind::WheelCheckRound,
    ];

    /// The stable name used in storage and on the wire. Never rename one.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::PlanSection => "plan.section",
            Kind::PlanItem => "plan.item",
            Kind::PlanContact => "plan.contact",
            Kind::WheelArea => "wheel.area",
            Kind::WheelRating => "wheel.rating",
            Kind::WheelMeasure => "wheel.measure",
            Kind::WheelCheckItem => "wheel.check_item",
            Kind::WheelCheckRound => "wheel.check_round",
        }
    }

    pub const fn family(self) -> Family {
        match self {
            Kind::PlanSection | Kind::PlanItem | Kind::PlanContact => Family::Plan,
            Kind::WheelArea
            | Kind::WheelRating
            | Kind::WheelMeasure
            | Kind::WheelCheckItem
            | Kind::WheelCheckRound => Family::Wheel,
        }
    }

    pub fn parse(name: &str) -> Result<Kind, UnknownKind> {
        Kind::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
            .ok_or_else(|| UnknownKind(name.to_owned()))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl TryFrom<String> for Kind {
    type Error = UnknownKind;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Kind::parse(&value)
    }
}

impl From<Kind> for &'static str {
    fn from(kind: Kind) -> &'static str {
        kind.name()
    }
}

/// One written state of a record. A deletion is a version too (a tombstone, `deleted: true`),
/// so that it wins over older edits on every device and can itself be undone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Version {
    pub hlc: Hlc,
    pub deleted: bool,
    pub schema: u32,
    pub body: serde_json::Value,
}

impl Version {
    /// A live version of this build's schema.
    pub fn new(hlc: Hlc, body: serde_json::Value) -> Version {
        Version {
            hlc,
            deleted: false,
            schema: RECORD_SCHEMA,
            body,
        }
    }

    /// A deletion. The body is empty: what was deleted stays readable in the history.
    pub fn tombstone(hlc: Hlc) -> Version {
        Version {
            hlc,
            deleted: true,
            schema: RECORD_SCHEMA,
            body: serde_json::Value::Null,
        }
    }
}

/// A record and every version of it seen on this replica.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawRecord")]
pub struct Record {
    pub(super) id: RecordId,
    pub(super) kind: Kind,
    /// The version with the greatest HLC: what the record "is" now.
    pub(super) current: Version,
    /// All other versions, sorted by HLC ascending, each HLC once, all older than `current`.
    pub(super) history: Vec<Version>,
}

/// Why a list of versions cannot form a record.
#[derive(Clone, Debug, PartialEq)]
pub enum RecordError {
    /// A record has at least one version.
    NoVersions,
    /// Two different versions carry the same HLC. A clock never issues a stamp twice, so this
    /// is damaged or forged data; keeping either one silently could lose the other.
    HlcReused { hlc: Hlc },
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::NoVersions => write!(f, "the record has no versions"),
            RecordError::HlcReused { hlc } => {
                write!(f, "two different versions carry the same timestamp {hlc}")
            }
        }
    }
}

impl std::error::Error for RecordError {}

impl Record {
    /// A record with its first version.
    pub fn new(id: RecordId, kind: Kind, first: Version) -> Record {
        Record {
            id,
            kind,
            current: first,
            history: Vec::new(),
        }
    }

    /// Builds a record from versions in any order; exact duplicates are dropped.
    pub fn from_versions(
        id: RecordId,
        kind: Kind,
        mut versions: Vec<Version>,
    ) -> Result<Record, RecordError> {
        super::order::sort_by(&mut versions, |a, b| a.hlc.cmp(&b.hlc));
        let mut unique: Vec<Version> = Vec::with_capacity(versions.len());
        for version in versions {
            match unique.last() {
                Some(last) if last.hlc == version.hlc && *last == version => {}
                Some(last) if last.hlc == version.hlc => {
                    return Err(RecordError::HlcReused { hlc: version.hlc });
                }
                _ => unique.push(version),
            }
        }
        let current = unique.pop().ok_or(RecordError::NoVersions)?;
        Ok(Record {
            id,
            kind,
            current,
            history: unique,
        })
    }

    pub fn id(&self) -> RecordId {
        self.id
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn current(&self) -> &Version {
        &self.current
    }

    /// Older versions, oldest first.
    pub fn history(&self) -> &[Version] {
        &self.history
    }

    /// Whether the record is deleted now (its newest version is a tombstone).
    pub fn is_deleted(&self) -> bool {
        self.current.deleted
    }

    /// Every version, oldest first, ending with `current`.
    pub fn versions(&self) -> impl Iterator<Item = &Version> {
        self.history.iter().chain(std::iter::once(&self.current))
    }

    /// The version with this stamp, if this replica has seen it.
    pub fn version(&self, hlc: &Hlc) -> Option<&Version> {
        if self.current.hlc == *hlc {
            return Some(&self.current);
        }
        self.history
            .binary_search_by(|v| v.hlc.cmp(hlc))
            .ok()
            .map(|i| &self.history[i])
    }
}

/// The wire shape of a record, before its invariants are checked.
#[derive(Deserialize)]
struct RawRecord {
    id: RecordId,
    kind: Kind,
    current: Version,
    #[serde(default)]
    history: Vec<Version>,
}

impl TryFrom<RawRecord> for Record {
    type Error = RecordError;

    /// Normalises rather than trusts: whichever version is newest becomes `current`, exactly
    /// as the merge rule would decide.
    fn try_from(raw: RawRecord) -> Result<Self, Self::Error> {
        let mut versions = raw.history;
        versions.push(raw.current);
        Record::from_versions(raw.id, raw.kind, versions)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::hlc::DeviceId;

    fn version(wall_ms: u64, body: serde_json::Value) -> Version {
        Version {
            hlc: Hlc {
                wall_ms,
                counter: 0,
                device: DeviceId::parse("d").unwrap(),
            },
            deleted: false,
            schema: RECORD_SCHEMA,
            body,
        }
    }

    #[test]
    fn v7_ids_carry_the_time_and_round_trip_as_strings() {
        let id = RecordId::new_v7(1_700_000_000_000, [7; 10]);
        assert_eq!(id.as_uuid().get_version_num(), 7);
        let text = id.to_string();
        assert_eq!(text.len(), 36);
        assert_eq!(RecordId::parse(&text), Ok(id));
        assert!(RecordId::new_v7(1, [0; 10]) < RecordId::new_v7(2, [0; 10]));
    }

    #[test]
    fn static_names_give_the_same_v8_id_every_time() {
        let a = RecordId::from_static_name("plan.section.warning_signs");
        assert_eq!(a, RecordId::from_static_name("plan.section.warning_signs"));
        assert_ne!(a, RecordId::from_static_name("plan.section.triggers"));
        assert_eq!(a.as_uuid().get_version_num(), 8);
        // Pinned (checked against an independent FNV-1a): a change would orphan every stored
        // default section.
        assert_eq!(
            RecordId::from_static_name("").to_string(),
            "26ef222a-984f-878d-9f70-7306eaa6a5a3"
        );
    }

    #[test]
    fn parse_refuses_other_spellings_and_nil() {
        assert_eq!(
            RecordId::parse("00000000-0000-0000-0000-000000000000"),
            Err(RecordIdError::Nil)
        );
        let id = RecordId::new_v7(5, [1; 10]);
        let simple = id.as_uuid().simple().to_string();
        assert_eq!(RecordId::parse(&simple), Err(RecordIdError::NotAUuid));
        assert_eq!(
            RecordId::parse("not a uuid at all but 36 characters!"),
            Err(RecordIdError::NotAUuid)
        );
        assert!(serde_json::from_value::<RecordId>(json!("x")).is_err());
    }

    #[test]
    fn kinds_have_stable_names_and_unknown_ones_are_refused() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.name()), Ok(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), json!(kind.name()));
        }
        let err = serde_json::from_value::<Kind>(json!("checkin.note")).unwrap_err();
        assert!(
            err.to_string().contains("unknown record kind \"checkin.note\""),
            "{err}"
        );
    }

    #[test]
    fn from_versions_sorts_dedups_and_picks_the_newest() {
        let id = RecordId::new_v7(1, [1; 10]);
        let versions = vec![
            version(3, json!(3)),
            version(1, json!(1)),
            version(3, json!(3)),
            version(2, json!(2)),
        ];
        let record = Record::from_versions(id, Kind::PlanItem, versions).unwrap();
        assert_eq!(record.current().body, json!(3));
        let walls: Vec<u64> = record.history().iter().map(|v| v.hlc.wall_ms).collect();
        assert_eq!(walls, [1, 2]);
        assert_eq!(record.version(&version(2, json!(0)).hlc).unwrap().body, json!(2));
        assert!(record.version(&version(9, json!(0)).hlc).is_none());
    }

    #[test]
    fn from_versions_refuses_a_reused_stamp_and_nothing() {
        let id = RecordId::new_v7(1, [1; 10]);
        let reused = vec![version(1, json!("a")), version(1, json!("b"))];
        assert!(matches!(
            Record::from_versions(id, Kind::PlanItem, reused),
            Err(RecordError::HlcReused { .. })
        ));
        assert_eq!(
            Record::from_versions(id, Kind::PlanItem, vec![]),
            Err(RecordError::NoVersions)
        );
    }

    #[test]
    fn deserialising_normalises_a_misordered_record() {
        let id = RecordId::new_v7(1, [1; 10]);
        let raw = json!({
            "id": id.to_string(),
            "kind": "plan.item",
            "current": version(1, json!("old")),
            "history": [version(2, json!("new"))],
        });
        let record: Record = serde_json::from_value(raw).unwrap();
        assert_eq!(record.current().body, json!("new"));
        let again: Record = serde_json::from_value(serde_json::to_value(&record).unwrap()).unwrap();
        assert_eq!(again, record);
    }
}
