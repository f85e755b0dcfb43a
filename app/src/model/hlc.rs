//! The hybrid logical clock that orders every write.
//!
//! Each version of a record is stamped with an [`Hlc`]: the device's wall clock in milliseconds,
//! a counter, and the device id. Phones have wrong clocks, clocks jump backwards, and two
//! devices can write in the same millisecond; the counter and the device id make every stamp
//! unique and totally ordered anyway, and the "observe" rule makes a write that follows one
//! received from another device always sort after it. Last-writer-wins in [`super::merge`]
//! relies on both properties.
//!
//! The clock never reads the time itself: the caller passes `now_ms` in, so the rules are
//! testable and identical on the server and in the browser.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest device id accepted; ids are made by the app (a UUID is 36 characters).
pub const DEVICE_ID_MAX_LEN: usize = 64;

/// The largest wall-clock time a stamp from outside may carry: 2^53 - 1 ms, the largest
/// whole number a JavaScript number (and so IndexedDB, via the browser) holds exactly.
/// Clocks in this app never reach it (it is some 285 000 years away); the import and sync
/// boundaries refuse stamps beyond it, rather than store what they cannot read back.
pub const MAX_WALL_MS: u64 = (1 << 53) - 1;

/// Which device wrote a version: 1 to 64 ASCII letters, digits or dashes.
///
/// The character set is narrow on purpose: the id travels in every version, is compared
/// byte-wise to break ties, and may end up in URLs and log fields.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DeviceId(String);

/// Why a device id was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviceIdError {
    Empty,
    TooLong { max: usize, actual: usize },
    InvalidCharacters,
}

impl fmt::Display for DeviceIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceIdError::Empty => write!(f, "the device id is empty"),
            DeviceIdError::TooLong { max, actual } => {
                write!(
                    f,
                    "the device id has {actual} characters, at most {max} are allowed"
                )
            }
            DeviceIdError::InvalidCharacters => {
                write!(f, "the device id may only hold letters A-Z, digits and dashes")
            }
        }
    }
}

impl std::error::Error for DeviceIdError {}

impl DeviceId {
    pub fn parse(input: &str) -> Result<DeviceId, DeviceIdError> {
        if input.is_empty() {
            return Err(DeviceIdError::Empty);
        }
        if !input.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(DeviceIdError::InvalidCharacters);
        }
        // All ASCII from here, so bytes are characters.
        if input.len() > DEVICE_ID_MAX_LEN {
            return Err(DeviceIdError::TooLong {
                max: DEVICE_ID_MAX_LEN,
                actual: input.len(),
            });
        }
        Ok(DeviceId(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for DeviceId {
    type Error = DeviceIdError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        DeviceId::parse(&value)
    }
}

impl From<DeviceId> for String {
    fn from(id: DeviceId) -> String {
        id.0
    }
}

/// One timestamp. The derived order compares the fields in declaration order: wall clock,
/// then counter, then device; so two different devices never produce equal stamps.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hlc {
    pub wall_ms: u64,
    pub counter: u32,
    pub device: DeviceId,
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}@{}", self.wall_ms, self.counter, self.device)
    }
}

/// The clock of one device. Keep it (or at least [`Clock::last`]) in storage across restarts,
/// so that a phone whose clock was set back cannot write stamps older than its earlier ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clock {
    last: Option<Hlc>,
    device: DeviceId,
}

impl Clock {
    /// A clock that has issued nothing yet.
    pub fn new(device: DeviceId) -> Clock {
        Clock { last: None, device }
    }

    /// A clock resumed from storage: it continues after `last`.
    pub fn resume(device: DeviceId, last: Option<Hlc>) -> Clock {
        Clock { last, device }
    }

    pub fn device(&self) -> &DeviceId {
        &self.device
    }

    /// The latest stamp issued or observed: what to store to resume the clock.
    pub fn last(&self) -> Option<&Hlc> {
        self.last.as_ref()
    }

    /// A new stamp for a local write: strictly greater than anything this clock has issued or
    /// observed, whatever `now_ms` says.
    pub fn tick(&mut self, now_ms: u64) -> Hlc {
        let (wall_ms, counter) = match &self.last {
            None => (now_ms, 0),
            Some(last) if now_ms > last.wall_ms => (now_ms, 0),
            // The wall clock stood still or went back: keep the old time and count on.
            Some(last) => bump(last.wall_ms, last.counter),
        };
        self.set(wall_ms, counter)
    }

    /// Takes in a stamp received from another device (the standard HLC receive rule), so that
    /// the next [`Clock::tick`] sorts after it: an edit made after seeing a version wins over it.
    pub fn observe(&mut self, remote: &Hlc, now_ms: u64) {
        let (last_wall, last_counter) = self.last.as_ref().map_or((0, 0), |l| (l.wall_ms, l.counter));
        let wall_ms = now_ms.max(last_wall).max(remote.wall_ms);
        let had_last = self.last.is_some();
        let (wall_ms, counter) = if had_last && wall_ms == last_wall && wall_ms == remote.wall_ms {
            bump(wall_ms, last_counter.max(remote.counter))
        } else if had_last && wall_ms == last_wall {
            bump(wall_ms, last_counter)
        } else if wall_ms == remote.wall_ms {
            bump(wall_ms, remote.counter)
        } else {
            (wall_ms, 0)
        };
        self.set(wall_ms, counter);
    }

    fn set(&mut self, wall_ms: u64, counter: u32) -> Hlc {
        let hlc = Hlc {
            wall_ms,
            counter,
            device: self.device.clone(),
        };
        self.last = Some(hlc.clone());
        hlc
    }
}

/// The next (wall, counter) pair. A full counter carries into the wall clock rather than
/// wrapping, so the order stays strict; only at `u64::MAX` ms (the year 584 million) does it
/// saturate.
fn bump(wall_ms: u64, counter: u32) -> (u64, u32) {
    match counter.checked_add(1) {
        Some(counter) => (wall_ms, counter),
        None => (wall_ms.saturating_add(1), 0),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn device(name: &str) -> DeviceId {
        DeviceId::parse(name).unwrap()
    }

    #[test]
    fn device_id_accepts_uuid_like_ids_and_refuses_the_rest() {
        assert!(DeviceId::parse("0190a3b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b").is_ok());
        assert_eq!(DeviceId::parse(""), Err(DeviceIdError::Empty));
        assert_eq!(DeviceId::parse("a b"), Err(DeviceIdError::InvalidCharacters));
        assert_eq!(DeviceId::parse("æøå"), Err(DeviceIdError::InvalidCharacters));
        assert_eq!(
            DeviceId::parse(&"a".repeat(65)),
            Err(DeviceIdError::TooLong { max: 64, actual: 65 })
        );
        assert!(DeviceId::parse(&"a".repeat(64)).is_ok());
    }

    #[test]
    fn order_is_wall_then_counter_then_device() {
        let hlc = |w, c, d: &str| Hlc {
            wall_ms: w,
            counter: c,
            device: device(d),
        };
        assert!(hlc(1, 9, "z") < hlc(2, 0, "a"));
        assert!(hlc(2, 0, "z") < hlc(2, 1, "a"));
        assert!(hlc(2, 1, "a") < hlc(2, 1, "b"));
    }

    #[test]
    fn tick_keeps_counting_when_the_clock_goes_back() {
        let mut clock = Clock::new(device("a"));
        let first = clock.tick(1_000);
        let second = clock.tick(500);
        assert_eq!((second.wall_ms, second.counter), (1_000, 1));
        assert!(first < second);
        let third = clock.tick(2_000);
        assert_eq!((third.wall_ms, third.counter), (2_000, 0));
    }

    #[test]
    fn a_full_counter_carries_into_the_wall_clock() {
        let mut clock = Clock::resume(
            device("a"),
            Some(Hlc {
                wall_ms: 7,
                counter: u32::MAX,
                device: device("a"),
            }),
        );
        let next = clock.tick(0);
        assert_eq!((next.wall_ms, next.counter), (8, 0));
    }

    #[test]
    fn a_write_after_observing_sorts_after_the_observed_stamp() {
        let mut fast = Clock::new(device("fast"));
        let remote = fast.tick(10_000);
        let mut slow = Clock::new(device("slow"));
        slow.tick(5);
        slow.observe(&remote, 6);
        let local = slow.tick(7);
        assert!(local > remote);
        assert_eq!(local.wall_ms, 10_000);
    }

    #[test]
    fn serde_uses_plain_fields_and_checks_the_device() {
        let hlc = Hlc {
            wall_ms: 5,
            counter: 2,
            device: device("dev-1"),
        };
        let json = serde_json::to_string(&hlc).unwrap();
        assert_eq!(json, r#"{"wall_ms":5,"counter":2,"device":"dev-1"}"#);
        assert_eq!(serde_json::from_str::<Hlc>(&json).unwrap(), hlc);
        assert!(serde_json::from_str::<Hlc>(r#"{"wall_ms":5,"counter":2,"device":"a b"}"#).is_err());
    }

    #[derive(Clone, Debug)]
    enum Event {
        Tick(u64),
        Observe { wall_ms: u64, counter: u32, now_ms: u64 },
    }

    fn event() -> impl Strategy<Value = Event> {
        // Small times collide and go backwards often; huge ones test the edges.
        let time = prop_oneof![0u64..50, any::<u64>()];
        prop_oneof![
            3 => time.clone().prop_map(Event::Tick),
            1 => (time.clone(), any::<u32>(), time).prop_map(|(wall_ms, counter, now_ms)| Event::Observe {
                wall_ms,
                counter,
                now_ms
            }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn ticks_strictly_increase_and_follow_observed_stamps(events in prop::collection::vec(event(), 1..60)) {
            let mut clock = Clock::new(device("me"));
            let mut floor: Option<Hlc> = None;
            for event in events {
                match event {
                    Event::Tick(now) => {
                        let hlc = clock.tick(now);
                        if let Some(floor) = &floor {
                            // Saturation at u64::MAX is the one documented exception.
                            if floor.wall_ms < u64::MAX {
                                prop_assert!(&hlc > floor, "{hlc} after {floor}");
                            }
                        }
                        floor = Some(hlc);
                    }
                    Event::Observe { wall_ms, counter, now_ms } => {
                        let remote = Hlc { wall_ms, counter, device: device("other") };
                        clock.observe(&remote, now_ms);
                        let next = clock.last().unwrap().clone();
                        if wall_ms < u64::MAX {
                            prop_assert!(next > remote);
                        }
                        floor = Some(floor.map_or(remote.clone(), |f| f.max(remote)));
                    }
                }
            }
        }
    }
}
