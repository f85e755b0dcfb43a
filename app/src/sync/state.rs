//! What the UI knows about sync, in one context: the account, whether the user turned sync
//! on, the honest status line, the records changed on two devices, and what others share
//! with this user (their cached copy). The engine writes it; pages read it.
//!
//! On the server everything is "not known yet", so the HTML is the same for everyone.

use super::protocol::{Account, SharedBundle};
use crate::model::record::RecordId;
use leptos::prelude::*;

/// The status line. Every state says what is true, and a failure says what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncStatus {
    /// Not known yet (on the server, and before the phone is read).
    Unknown,
    /// Sync is off, or changes wait to be sent: "Lagret på denne telefonen".
    Local,
    /// A round is under way.
    Syncing,
    /// Everything on the phone is on the server: "Sikkerhetskopiert".
    BackedUp,
    /// No network, or the server could not be reached: "Venter på nett". Retried by itself.
    Waiting,
    /// The session ended (logged out elsewhere, expired): log in again.
    LoggedOut,
    /// The account's backup on the server is full (413 `quota_exceeded`): nothing more is
    /// stored there until there is room; everything stays on the phone.
    Full,
    /// The server refused a change (it says why); retrying will not help.
    Refused(String),
    /// The server had trouble; retried by itself.
    ServerTrouble,
    /// The phone's storage failed.
    Storage,
    /// The data on this phone is not tied to the signed-in account (another account's, or
    /// nobody's yet): nothing is sent until the user has chosen in settings.
    NotThisAccount,
}

/// What the phone holds, for the questions asked when someone logs in or logs out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holding {
    /// The account the data is tied to; `None` when it was never tied to one.
    pub owner: Option<String>,
    /// Records on the phone (deleted ones included): nothing to ask about when 0.
    pub records: usize,
    /// Versions the owner's account does not have: the outbox once the first sync went
    /// through, every version before that (or when sync was never on).
    pub unsent: usize,
}

#[derive(Clone, Copy)]
pub struct SyncState {
    /// The signed-in account; `None` when not signed in (or not known yet).
    pub account: RwSignal<Option<Account>>,
    /// The user turned *Sikkerhetskopi og synkronisering* on.
    pub enabled: RwSignal<bool>,
    pub status: RwSignal<SyncStatus>,
    /// Records a sync found changed on two devices, until the user has looked at them.
    pub conflicts: RwSignal<Vec<RecordId>>,
    /// Shares others gave this user, with their records (cached on the phone).
    pub shared: RwSignal<Option<Vec<SharedBundle>>>,
    /// Bumped when the sharing page should read its lists again.
    pub shares_changed: RwSignal<u32>,
}

pub fn provide_sync_state() -> SyncState {
    let state = SyncState {
        account: RwSignal::new(None),
        enabled: RwSignal::new(false),
        status: RwSignal::new(SyncStatus::Unknown),
        conflicts: RwSignal::new(Vec::new()),
        shared: RwSignal::new(None),
        shares_changed: RwSignal::new(0),
    };
    provide_context(state);
    state
}

pub fn use_sync() -> SyncState {
    expect_context::<SyncState>()
}
