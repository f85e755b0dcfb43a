//! What the browser keeps on the phone. Hydrate only: it needs `window`.
//!
//! - [`store`]: the IndexedDB record store (records, history, outbox, meta) over `rexie`;
//!   `rows` holds what each object store keeps and how it is (de)serialised.
//! - [`plan_store`]: the typed plan API the UI calls (`add_item`, `move_item`, …);
//!   `wheel_store` adds the wheel's (`rate`, `add_measure`, …) to the same type.
//! - [`checkins`]: check-ins on the phone (a database of its own): the last copy of the
//!   conversations and the outbox, every row tied to one account.
//! - [`persist`]: asking the browser to protect that storage from eviction.
//! - [`prefs`]: small preferences in `localStorage` (the language choice).

pub mod checkins;
pub mod persist;
pub mod plan_store;
pub mod prefs;
mod rows;
pub mod store;
mod wheel_store;

use plan_store::PlanStore;
use std::cell::OnceCell;
use std::rc::Rc;
use store::StoreError;

thread_local! {
    static PLAN_STORE: OnceCell<Rc<PlanStore>> = const { OnceCell::new() };
}

/// The one open store of this page, opened on first use.
pub async fn plan_store() -> Result<Rc<PlanStore>, StoreError> {
    if let Some(store) = PLAN_STORE.with(|cell| cell.get().cloned()) {
        return Ok(store);
    }
    let opened = Rc::new(PlanStore::open().await?);
    // Two callers may have opened at once; keep the first, drop the other.
    Ok(PLAN_STORE.with(|cell| cell.get_or_init(|| opened).clone()))
}
