//! When and how the phone syncs. One round at a time: push (the outbox, or everything on
//! the phone the first time an account syncs), pull what is new since the cursor, merge it
//! by the model's rule, then refresh what others share with this user.
//!
//! A round starts after a change (debounced), when the browser comes online, when the app
//! starts and every minute while it is open. A round asked for while one runs is run after
//! it. On failure the next try waits 2 s, 4 s, 8 s, … up to 5 minutes, each with ±50 %
//! jitter so many phones do not come back at once. Nothing here blocks the UI: it all runs
//! in spawned tasks, and the UI only reads the status signal.

pub use super::net::NO_BODY;
use super::net::{call, fetch_json, NetError};
use super::protocol::{
    batches, Account, ChangeOut, Pulled, Push, SharedBundle, SharedReply, Shares, SyncReply,
};
use super::state::{Holding, SyncState, SyncStatus};
use crate::local::store::{now_ms, Incoming, Store, StoreError, SyncMark, SYNC_KEY};
use crate::model::hlc::DeviceId;
use crate::model::record::RecordId;
use crate::ui::plan::state::PlanState;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::time::Duration;
use wasm_bindgen::JsCast;

const ENABLED_KEY: &str = "tillit.sync";
/// Where the signed-in account is kept (`local::prefs` reads it raw for the crisis screen).
pub(crate) const ACCOUNT_KEY: &str = "tillit.account";
const SHARED_KEY: &str = "shared";
const CONFLICTS_KEY: &str = "conflicts";
/// When the server took this phone's latest edit of each record: `(id, ms)`, see [`lost_here`].
const SENT_KEY: &str = "sent";
/// How long (and for how many records) those times are kept.
const SENT_KEEP_MS: u64 = 90 * 86_400_000;
const SENT_KEEP: usize = 2_000;
const DEBOUNCE_MS: u64 = 800;
const PERIOD_MS: u64 = 60_000;
const START_DELAY_MS: u64 = 400;
const MAX_BACKOFF_MS: f64 = 300_000.0;

#[derive(Default)]
struct Engine {
    states: Option<(SyncState, PlanState)>,
    running: bool,
    again: bool,
    failures: u32,
    /// Bumped by every scheduled wake-up; a timer whose number is stale does nothing.
    timer: u64,
}

thread_local! {
    static ENGINE: RefCell<Engine> = RefCell::new(Engine::default());
}

/// Starts the engine after hydration, once the plan has been read and drawn (in a crisis
/// the plan comes first, and both reads would share IndexedDB). The engine is code the
/// first screen does not need: it is in the `later` chunk (`crate::later`), fetched after
/// the page is up, so no page pays for it in its first load.
pub fn start(sync: SyncState, plan: PlanState) {
    set_timeout(
        move || spawn_local(start_now(sync, plan)),
        Duration::from_millis(START_DELAY_MS),
    );
}

crate::later::in_later_chunk! {
    /// In the `later` chunk (see `crate::later`).
    async fn start_now(sync: SyncState, plan: PlanState) {
        begin(sync, plan).await
    }
}

/// Remembers the states, reads what the phone knows (sync on? which account? shared
/// copies, conflicts), listens for the network, and runs a first round.
async fn begin(sync: SyncState, plan: PlanState) {
    ENGINE.with(|e| e.borrow_mut().states = Some((sync, plan)));
    sync.enabled
        .set(LocalStorage::get::<bool>(ENABLED_KEY).unwrap_or(false));
    sync.account.set(stored_account());
    sync.status.set(SyncStatus::Local);
    spawn_local(resume(sync));
    if let Some(window) = web_sys::window() {
        let online = wasm_bindgen::closure::Closure::<dyn Fn()>::new(run_now);
        let _ = window.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        online.forget();
        let offline = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
            if sync.enabled.get_untracked() {
                sync.status.set(SyncStatus::Waiting);
            }
        });
        let _ = window.add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
        offline.forget();
        // Coming back to the app (another app was in front): check-ins may be waiting.
        if let Some(document) = window.document() {
            let shown = wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| {
                let visible = web_sys::window()
                    .and_then(|w| w.document())
                    .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
                if visible {
                    run_now();
                }
            });
            let _ =
                document.add_event_listener_with_callback("visibilitychange", shown.as_ref().unchecked_ref());
            shown.forget();
        }
    }
    let _ = set_interval_with_handle(run_now, Duration::from_millis(PERIOD_MS));
}

/// The engine's start, once the plan is on screen: conflicts and shared copies from the
/// phone, then who is signed in, then a first round.
async fn resume(sync: SyncState) {
    if let Ok(store) = crate::local::plan_store().await {
        let store = store.store();
        if let Ok(Some(conflicts)) = store.meta::<Vec<RecordId>>(CONFLICTS_KEY).await {
            sync.conflicts.set(conflicts);
        }
        let user = sync.account.get_untracked().map(|a| a.id);
        if let Ok(Some((owner, shared))) = store.meta::<(String, Vec<SharedBundle>)>(SHARED_KEY).await {
            if Some(&owner) == user.as_ref() {
                sync.shared.set(Some(shared));
            }
        }
    }
    // Only a phone that signed in asks the server who it is: one that never did
    // makes no request at all.
    if sync.account.get_untracked().is_some() {
        refresh_account(sync).await;
        run_now();
    }
}

/// The account this phone last knew to be signed in (read straight from the phone, for
/// code that runs before the engine has started, such as a direct load of a page).
pub fn stored_account() -> Option<Account> {
    read_account(&LocalStorage::raw().get_item(ACCOUNT_KEY).ok()??)
}

/// The account in the phone's entry `text`, read the way every other JSON is (through a
/// `serde_json::Value`, so serde_json's text parser is not compiled once more for it).
pub fn read_account(text: &str) -> Option<Account> {
    crate::model::json::from_str(text).ok()
}

/// Asks the server who is signed in (the cookie is not readable here); keeps the last
/// known account when offline, forgets it when the server says the session is gone.
pub async fn refresh_account(sync: SyncState) {
    match fetch_json::<Account>("GET", "/api/v1/account", NO_BODY).await {
        Ok(account) => set_account(sync, Some(account)),
        Err(NetError::Status { code: 401, .. }) => {
            if sync.account.get_untracked().is_some() {
                set_account(sync, None);
                if sync.enabled.get_untracked() {
                    sync.status.set(SyncStatus::LoggedOut);
                }
            }
        }
        Err(_) => {}
    }
}

/// Remembers (or forgets) the signed-in account on this phone.
pub fn set_account(sync: SyncState, account: Option<Account>) {
    match &account {
        Some(account) => {
            let _ = LocalStorage::set(ACCOUNT_KEY, account);
        }
        None => LocalStorage::delete(ACCOUNT_KEY),
    }
    if account.is_none() {
        sync.shared.set(None);
    }
    sync.account.set(account);
}

/// Turns sync on or off (remembered on this phone) and syncs at once when on.
pub fn set_enabled(sync: SyncState, on: bool) {
    let _ = LocalStorage::set(ENABLED_KEY, on);
    sync.enabled.set(on);
    if on {
        now();
    } else {
        sync.status.set(SyncStatus::Local);
    }
}

/// Something was saved on the phone: sync soon (several quick edits make one round).
pub fn changed() {
    schedule(DEBOUNCE_MS as f64);
}

/// Sync now (or right after the round under way). A page's button or form needs only this:
/// the rounds' code is in the `later` chunk, which every page fetches after its first screen
/// (`crate::later`), so it is not on any page's first load.
pub fn now() {
    spawn_local(now_in_later());
}

crate::later::in_later_chunk! {
    /// In the `later` chunk (see `crate::later`).
    async fn now_in_later() {
        run_now()
    }
}

/// [`now`], for code that is in the `later` chunk already.
fn run_now() {
    let start = ENGINE.with(|e| {
        let mut e = e.borrow_mut();
        e.timer += 1;
        if e.running {
            e.again = true;
            None
        } else {
            e.states.inspect(|_| e.running = true)
        }
    });
    if let Some((sync, plan)) = start {
        spawn_local(round_loop(sync, plan));
    }
}

fn schedule(delay_ms: f64) {
    let ticket = ENGINE.with(|e| {
        let mut e = e.borrow_mut();
        e.timer += 1;
        e.timer
    });
    set_timeout(
        move || {
            // `now`, not `run_now`: pages call `changed` (an import), and the rounds' code
            // must stay in the `later` chunk.
            if ENGINE.with(|e| e.borrow().timer) == ticket {
                now();
            }
        },
        Duration::from_millis(delay_ms as u64),
    );
}

async fn round_loop(sync: SyncState, plan: PlanState) {
    loop {
        // Signed in: shares others gave are kept true even with backup off.
        let outcome = if sync.account.get_untracked().is_some() {
            Some(round(sync, plan).await)
        } else {
            None
        };
        // Check-ins go with every round of a signed-in phone, sync on or off (they are
        // messages, not backups); their own outbox; no request when the phone knows of no conversation (`checkins`).
        if let Some(account) = sync.account.get_untracked() {
            spawn_local(crate::sync::checkins::round(account.id, false));
        }
        let again = ENGINE.with(|e| {
            let mut e = e.borrow_mut();
            match &outcome {
                Some(Err(failure)) if failure.retry() => e.failures += 1,
                _ => e.failures = 0,
            }
            let again = std::mem::take(&mut e.again);
            if !again {
                e.running = false;
            }
            again
        });
        if let Some(Err(failure)) = &outcome {
            if matches!(failure, Failure::Net(NetError::Status { code: 401, .. })) {
                // The session ended (logged out everywhere, expired): stop asking until the
                // user signs in again; the status says so.
                set_account(sync, None);
            }
            if sync.enabled.get_untracked() {
                sync.status.set(failure.status());
            }
            if failure.retry() {
                let failures = ENGINE.with(|e| e.borrow().failures);
                schedule(backoff_ms(failures));
            }
        }
        if !again {
            return;
        }
    }
}

/// 2 s · 2ⁿ⁻¹, at most 5 minutes, with ±50 % jitter.
fn backoff_ms(failures: u32) -> f64 {
    let base = (2_000.0 * 2f64.powi(failures.saturating_sub(1).min(16) as i32)).min(MAX_BACKOFF_MS);
    base * (0.5 + js_sys::Math::random())
}

/// Why a round did not finish.
enum Failure {
    Net(NetError),
    Store(StoreError),
}

impl Failure {
    fn retry(&self) -> bool {
        match self {
            Failure::Net(NetError::Offline) => true,
            Failure::Net(NetError::Status { code, .. }) => *code == 429 || *code >= 500,
            Failure::Net(NetError::Malformed(_)) => false,
            Failure::Store(_) => false,
        }
    }

    fn status(&self) -> SyncStatus {
        match self {
            Failure::Net(NetError::Offline) => SyncStatus::Waiting,
            Failure::Net(NetError::Status { code: 401, .. }) => SyncStatus::LoggedOut,
            Failure::Net(NetError::Status { code: 413, error, .. })
                if error.as_deref() == Some("quota_exceeded") =>
            {
                SyncStatus::Full
            }
            Failure::Net(NetError::Status {
                code, message, field, ..
            }) if *code == 413 || *code == 422 => {
                let what = field.as_deref().unwrap_or_default();
                SyncStatus::Refused(format!("{what} {message}").trim().to_owned())
            }
            Failure::Net(NetError::Status { .. }) => SyncStatus::ServerTrouble,
            Failure::Net(NetError::Malformed(e)) => SyncStatus::Refused(e.clone()),
            Failure::Store(StoreError::NotOwner) => SyncStatus::NotThisAccount,
            Failure::Store(e) => {
                leptos::logging::warn!("sync: the phone's storage failed: {e}");
                SyncStatus::Storage
            }
        }
    }
}

impl From<NetError> for Failure {
    fn from(e: NetError) -> Self {
        Failure::Net(e)
    }
}
impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

async fn round(sync: SyncState, plan: PlanState) -> Result<(), Failure> {
    let Some(account) = sync.account.get_untracked() else {
        return Ok(());
    };
    let store = crate::local::plan_store().await?;
    let store = store.store();
    let enabled = sync.enabled.get_untracked();
    if enabled {
        sync.status.set(SyncStatus::Syncing);
        if push_and_pull(store, &account, sync, plan).await? {
            plan.reload();
        }
    }
    refresh_shared(store, &account, sync).await?;
    if !enabled {
        return Ok(());
    }
    let waiting = !store.outbox().await?.is_empty();
    sync.status.set(if waiting {
        SyncStatus::Local
    } else {
        SyncStatus::BackedUp
    });
    if waiting {
        // An edit made during the round: it goes in the next one.
        changed_soon();
    }
    Ok(())
}

fn changed_soon() {
    ENGINE.with(|e| e.borrow_mut().again = true);
}

/// Sends what the server lacks, takes in what it has; true when the phone's records changed.
async fn push_and_pull(
    store: &Store,
    account: &Account,
    sync: SyncState,
    plan: PlanState,
) -> Result<bool, Failure> {
    let mut mark = store
        .meta::<SyncMark>(SYNC_KEY)
        .await?
        .filter(|mark| mark.user == account.id)
        .unwrap_or_else(|| SyncMark {
            user: account.id.clone(),
            cursor: 0,
            seeded: false,
        });
    // An empty phone becomes this account's; a phone holding another account's data (or
    // data never tied to one, until the user chose to keep it) is refused by the store.
    store.tie_to(&account.id, false).await?;
    // The first round for an account sends every version on the phone (an imported plan
    // never passed through the outbox); the server keeps each once. The outbox entries read
    // then are acknowledged with the last request.
    let (rows, seed_acks) = store.to_push(&account.id, mark.seeded).await?;
    let sizes: Vec<usize> = rows
        .iter()
        .map(|row| serde_json::to_string(&row.version).map_or(0, |s| s.len() + 80))
        .collect();
    let mut ranges = batches(&sizes);
    if ranges.is_empty() {
        ranges.push(0..0);
    }
    let device = store.device().to_string();
    let mut sent: Vec<(RecordId, u64)> = store.meta(SENT_KEY).await?.unwrap_or_default();
    let mut changed = false;
    let mut conflicts = Vec::new();
    let last = ranges.len() - 1;
    for (n, range) in ranges.into_iter().enumerate() {
        let batch = &rows[range];
        let push = Push {
            device: &device,
            since: mark.cursor,
            changes: batch
                .iter()
                .map(|row| ChangeOut {
                    id: row.id,
                    kind: row.kind,
                    version: &row.version,
                })
                .collect(),
        };
        let mut reply: SyncReply = fetch_json("POST", "/api/v1/sync", Some(&push)).await?;
        let at = now_ms();
        for row in batch
            .iter()
            .filter(|row| row.version.hlc.device == *store.device())
        {
            sent.retain(|(id, _)| *id != row.id);
            sent.push((row.id, at));
        }
        // The server names the records where this push lost to another phone's newer edit.
        conflicts.extend(reply.conflicts.iter().filter_map(|id| RecordId::parse(id).ok()));
        let mut acked: Vec<String> = batch.iter().map(|row| row.key.clone()).collect();
        if n == last {
            acked.extend(seed_acks.iter().cloned());
        }
        loop {
            mark.cursor = reply.cursor;
            if n == last && !reply.more {
                mark.seeded = true;
            }
            let pulled: Vec<Incoming> = reply
                .changes
                .iter()
                .map(|c| Incoming {
                    id: c.id,
                    kind: c.kind,
                    version: c.version.clone(),
                })
                .collect();
            conflicts.extend(lost_here(plan, store.device(), &sent, &reply.changes));
            let applied = store.take_sync(&pulled, &acked, &mark, now_ms()).await?;
            changed |= applied.changed > 0;
            conflicts.extend(applied.conflicts);
            if !reply.more {
                break;
            }
            let pull = Push {
                device: &device,
                since: mark.cursor,
                changes: Vec::new(),
            };
            reply = fetch_json("POST", "/api/v1/sync", Some(&pull)).await?;
        }
    }
    if !rows.is_empty() {
        let oldest = now_ms().saturating_sub(SENT_KEEP_MS);
        sent.retain(|(_, at)| *at >= oldest);
        let excess = sent.len().saturating_sub(SENT_KEEP);
        sent.drain(..excess);
        store.set_meta(SENT_KEY, &sent).await?;
    }
    if !conflicts.is_empty() {
        let mut all = sync.conflicts.get_untracked();
        for id in conflicts {
            if !all.contains(&id) {
                all.push(id);
            }
        }
        store.set_meta(CONFLICTS_KEY, &all).await?;
        sync.conflicts.set(all);
    }
    Ok(changed)
}

/// This phone's edits that a pulled version from another phone replaces without having
/// seen them: it was written before this phone's edit reached the server (`sent`). The
/// server reports the other order itself (a push older than what it holds, in `conflicts`);
/// this is the phone whose edit lost learning of it when the winner arrives. Two phones'
/// clocks are compared, so a skew of a few minutes can hide or add a case.
fn lost_here(plan: PlanState, me: &DeviceId, sent: &[(RecordId, u64)], pulled: &[Pulled]) -> Vec<RecordId> {
    plan.records.with_untracked(|records| {
        pulled
            .iter()
            .filter(|c| c.version.hlc.device != *me)
            .filter(|c| {
                let Some(&(_, at)) = sent.iter().find(|(id, _)| *id == c.id) else {
                    return false;
                };
                records.iter().find(|r| r.id() == c.id).is_some_and(|r| {
                    let current = &r.current().hlc;
                    current.device == *me && c.version.hlc > *current && c.version.hlc.wall_ms < at
                })
            })
            .map(|c| c.id)
            .collect()
    })
}

/// The user has looked at a conflict: it leaves the list (on the phone too).
pub fn dismiss_conflict(sync: SyncState, id: RecordId) {
    let mut all = sync.conflicts.get_untracked();
    all.retain(|c| *c != id);
    sync.conflicts.set(all.clone());
    spawn_local(async move {
        if let Ok(store) = crate::local::plan_store().await {
            let _ = store.store().set_meta(CONFLICTS_KEY, &all).await;
        }
    });
}

/// Keeps the cached copies of what others share with this user true to the server: a
/// share that ended is deleted from the phone; a new one is fetched. Only reading a share's
/// records is a logged read for its owner, so an unchanged share is not read again by
/// every round; the *Delt med meg* page reads them all when opened ([`read_shared`]).
async fn refresh_shared(store: &Store, account: &Account, sync: SyncState) -> Result<(), Failure> {
    let shares: Shares = fetch_json("GET", "/api/v1/shares", NO_BODY).await?;
    let live: Vec<_> = shares.received.into_iter().filter(|s| s.is_live()).collect();
    let cached = sync.shared.get_untracked().unwrap_or_default();
    let fresh = live.iter().all(|s| cached.iter().any(|c| c.share.id == s.id));
    let kept: Vec<SharedBundle> = cached
        .into_iter()
        .filter(|c| live.iter().any(|s| s.id == c.share.id))
        .collect();
    if fresh {
        if sync.shared.with_untracked(|s| s.as_ref().map(Vec::len)) != Some(kept.len()) {
            store.set_meta(SHARED_KEY, &(account.id.clone(), &kept)).await?;
            sync.shared.set(Some(kept));
        }
        return Ok(());
    }
    read_shared_into(store, account, sync).await
}

// What the pages call after their first screen (reading what is shared, logging out, the
// questions about whose data is on the phone) is in the `later` chunk, with the store and
// the rounds it uses: a page's own code holds only the call (`crate::later`). Measured on
// the pages' first loads: README, "Size".

crate::later::in_later_chunk! {
    /// Reads every share this user received, with its records (each read is logged for its
    /// owner), and keeps them on the phone for offline use.
    pub async fn read_shared(sync: SyncState) -> Result<(), String> {
        let Some(account) = sync.account.get_untracked() else {
            return Ok(());
        };
        let store = crate::local::plan_store().await.map_err(|e| e.to_string())?;
        read_shared_into(store.store(), &account, sync)
            .await
            .map_err(|f| format!("{:?}", f.status()))
    }
}

async fn read_shared_into(store: &Store, account: &Account, sync: SyncState) -> Result<(), Failure> {
    let reply: SharedReply = fetch_json("GET", "/api/v1/shared", NO_BODY).await?;
    store
        .set_meta(SHARED_KEY, &(account.id.clone(), &reply.shares))
        .await?;
    sync.shared.set(Some(reply.shares));
    Ok(())
}

crate::later::in_later_chunk! {
    /// Forgets the signed-in account on the phone (after logging out) and its cached shares.
    /// The user's own records stay, still tied to their account: someone else who logs in on
    /// this phone is asked first, and can never sync them into their own account.
    pub async fn forget_account(sync: SyncState) {
        forget(sync).await
    }
}

async fn forget(sync: SyncState) {
    set_account(sync, None);
    set_enabled(sync, false);
    if let Ok(store) = crate::local::plan_store().await {
        let _ = store
            .store()
            .set_meta(SHARED_KEY, &(String::new(), Vec::<SharedBundle>::new()))
            .await;
    }
}

crate::later::in_later_chunk! {
    /// After the account was deleted: as [`forget_account`], and the data on the phone is
    /// tied to no account any more (it is still the person's, and may go with a new account).
    pub async fn forget_deleted_account(sync: SyncState) {
        forget(sync).await;
        if let Ok(store) = crate::local::plan_store().await {
            let _ = store.store().release().await;
        }
    }
}

crate::later::in_later_chunk! {
    /// What the phone holds and who it belongs to, for the questions at login and logout.
    pub async fn holding() -> Result<Holding, String> {
        let store = crate::local::plan_store().await.map_err(|e| e.to_string())?;
        store.store().holding().await.map_err(|e| e.to_string())
    }
}

crate::later::in_later_chunk! {
    /// Ties the data on this phone to the signed-in account, if it may be (it is theirs, it
    /// is nobody's and `keep` says to keep it, or there is none). True when it now is.
    pub async fn tie_to_account(sync: SyncState, keep: bool) -> Result<bool, String> {
        let Some(account) = sync.account.get_untracked() else {
            return Ok(false);
        };
        let store = crate::local::plan_store().await.map_err(|e| e.to_string())?;
        let tied = store
            .store()
            .tie_to(&account.id, keep)
            .await
            .map_err(|e| e.to_string())?;
        if tied {
            run_now();
        }
        Ok(tied)
    }
}

crate::later::in_later_chunk! {
    /// Empties the phone: every record, all history, the outbox, conflicts, the sync mark and
    /// the cached shared copies (and, logging out, every check-in copy and outbox). With
    /// `for_account`, the empty phone is tied to the signed-in account (start empty);
    /// without, the account keys in `localStorage` go too (log out and remove everything).
    /// The plan on screen is read again.
    pub async fn clear_phone(sync: SyncState, for_account: bool) -> Result<(), String> {
        let owner = if for_account {
            sync.account.get_untracked().map(|a| a.id)
        } else {
            None
        };
        let store = crate::local::plan_store().await.map_err(|e| e.to_string())?;
        store
            .store()
            .clear_all(owner.as_deref())
            .await
            .map_err(|e| e.to_string())?;
        if !for_account {
            // Check-ins keep their own database (`local::checkins`): it goes too.
            crate::local::checkins::forget_all().await?;
            set_account(sync, None);
            set_enabled(sync, false);
            LocalStorage::delete(ENABLED_KEY);
        }
        sync.conflicts.set(Vec::new());
        sync.shared.set(None);
        if let Some((_, plan)) = ENGINE.with(|e| e.borrow().states) {
            plan.undo.set(None);
            plan.reload();
        }
        if for_account {
            run_now();
        }
        Ok(())
    }
}

/// The status of a plain API call, for forms: `Ok(body)` or the error to show.
pub async fn api<T: serde::de::DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&impl serde::Serialize>,
) -> Result<Option<T>, NetError> {
    call(method, path, body).await
}
