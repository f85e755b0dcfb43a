//! Check-ins to and from the server: send the phone's check-in outbox, then fetch the
//! conversations, keep them on the phone and tell the check-in page. Runs with the sync
//! engine's rounds (on opening, `online`, `visibilitychange`, the minute timer) for a
//! signed-in account, and when the check-in page asks. One round at a time per page.
//!
//! It is code no first screen needs: [`round`] is in the `later` chunk with the engine (see
//! `crate::later`), fetched after the page is up.
//!
//! A phone that knows of no trusted person and has nothing to send costs the server no
//! request on the engine's rounds: it asks the server only every [`QUIET_FETCH_MS`] (a
//! relationship made on the account's other phone shows up then), and at once whenever the
//! check-in page asks.

use super::net::{call, fetch_json, NetError, NO_BODY};
use crate::local::checkins::{self, Outbound, Queued};
use crate::local::store::now_ms;
use crate::model::checkin::{People, Refusal};
use serde_json::json;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

thread_local! {
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    static AGAIN: Cell<bool> = const { Cell::new(false) };
    static LISTENER: RefCell<Option<Rc<dyn Fn()>>> = RefCell::new(None);
    static OFFLINE: Cell<bool> = const { Cell::new(false) };
    /// The check-in page asked for a round since the last one began.
    static ASKED: Cell<bool> = const { Cell::new(false) };
}

/// How often the engine's rounds fetch the conversations of a phone that knows of none.
const QUIET_FETCH_MS: i64 = 15 * 60 * 1000;

/// The check-in page listens while it is open: called after each round and each change.
pub fn listen(listener: Option<Rc<dyn Fn()>>) {
    LISTENER.with(|l| *l.borrow_mut() = listener);
}

pub fn tell() {
    if let Some(listener) = LISTENER.with(|l| l.borrow().clone()) {
        listener();
    }
}

/// Whether the last round found no network.
pub fn offline() -> bool {
    OFFLINE.with(Cell::get)
}

crate::later::in_later_chunk! {
    /// Sends what waits and fetches the conversations of `account`; `asked`: the check-in
    /// page wants them now (otherwise a phone with no conversations may skip the fetch).
    pub async fn round(account: String, asked: bool) {
        run(account, asked).await
    }
}

async fn run(account: String, asked: bool) {
    if asked {
        ASKED.with(|a| a.set(true));
    }
    if RUNNING.with(|r| r.replace(true)) {
        AGAIN.with(|a| a.set(true));
        return;
    }
    loop {
        let asked = ASKED.with(|a| a.replace(false));
        let reached = send_and_fetch(&account, asked).await;
        OFFLINE.with(|o| o.set(!reached));
        tell();
        if !AGAIN.with(|a| a.replace(false)) {
            break;
        }
    }
    RUNNING.with(|r| r.set(false));
}

/// One round; `false` when the server could not be reached.
async fn send_and_fetch(account: &str, asked: bool) -> bool {
    let Ok(held) = checkins::load(account).await else {
        return true;
    };
    let quiet = held.people.people.is_empty()
        && held.outbox.is_empty()
        && now_ms() as i64 - held.fetched_ms < QUIET_FETCH_MS;
    if quiet && !asked {
        return !OFFLINE.with(Cell::get);
    }
    for queued in held.outbox.iter().filter(|q| q.refused.is_none()) {
        match send(queued).await {
            Ok(()) => {
                let _ = checkins::done(&queued.key).await;
            }
            Err(NetError::Offline) => return false,
            Err(NetError::Status { code, message, .. }) if code == 401 || code >= 500 => {
                let _ = message;
                return true;
            }
            Err(NetError::Status {
                code, error, field, ..
            }) => {
                // Refused for a reason a retry will not mend (ended, paused, over the
                // limit, too long): a receipt or an acknowledgement is simply dropped; a
                // message stays, marked, so the user sees it was not sent and why.
                match queued.entry {
                    Outbound::Read { .. } | Outbound::Ack { .. } => {
                        let _ = checkins::done(&queued.key).await;
                    }
                    _ => {
                        let mut refused = queued.clone();
                        // The facts, not the server's English sentence: the page says
                        // them in the user's language whenever the user looks.
                        refused.refused = Some(Refusal { code, error, field }.keep());
                        let _ = checkins::queue(&refused).await;
                    }
                }
            }
            Err(NetError::Malformed(_)) => {
                let _ = checkins::done(&queued.key).await;
            }
        }
    }
    match fetch_json::<People>("GET", "/api/v1/checkins", NO_BODY).await {
        Ok(people) => {
            let _ = checkins::save_people(account, &people, now_ms() as i64).await;
            true
        }
        Err(NetError::Offline) => false,
        Err(_) => true,
    }
}

async fn send(queued: &Queued) -> Result<(), NetError> {
    match &queued.entry {
        Outbound::Message { rel, message } => {
            let path = format!("/api/v1/checkins/{rel}/messages");
            call::<serde_json::Value>("POST", &path, Some(message)).await?;
        }
        Outbound::Help { id } => {
            call::<serde_json::Value>("POST", "/api/v1/checkins/help", Some(&json!({ "id": id }))).await?;
        }
        Outbound::Read { rel, ids } => {
            let path = format!("/api/v1/checkins/{rel}/read");
            call::<serde_json::Value>("POST", &path, Some(&json!({ "ids": ids }))).await?;
        }
        Outbound::Ack { rel, message } => {
            let path = format!("/api/v1/checkins/{rel}/messages/{message}/ack");
            call::<serde_json::Value>("POST", &path, NO_BODY).await?;
        }
    }
    Ok(())
}
