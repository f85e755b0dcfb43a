//! When the page has finished hydrating (browser only).
//!
//! With lazily loaded routes, hydration ends only when the route's chunk has arrived and
//! its part of the page has been hydrated; the root component's effects run before that.
//! Work that changes the page (the stored language, the plan read from the phone) must
//! wait for the end, or the route would meet a page that no longer matches the server's
//! HTML. `lib.rs` mounts the app and calls [`done`]; components queue work with [`after`].
//!
//! [`next_task`] lets the start-up end one browser task and go on in the next, so that a
//! phone can draw, and answer a tap, in between (see `lib.rs`).

use std::cell::RefCell;

type Queued = Vec<Box<dyn FnOnce()>>;

thread_local! {
    /// `Some` until hydration is done: the work waiting for it.
    static WAITING: RefCell<Option<Queued>> = RefCell::new(Some(Vec::new()));
}

/// Runs `work` once the page is hydrated: later, or now when it already is.
pub fn after(work: impl FnOnce() + 'static) {
    let work: Box<dyn FnOnce()> = Box::new(work);
    let now = WAITING.with(|waiting| match waiting.borrow_mut().as_mut() {
        Some(queue) => {
            queue.push(work);
            None
        }
        None => Some(work),
    });
    if let Some(work) = now {
        work();
    }
}

/// Hydration is done: runs what waited for it, in order.
pub fn done() {
    let queued = WAITING.with(|waiting| waiting.borrow_mut().take());
    for work in queued.into_iter().flatten() {
        work();
    }
}

/// Resolves in a later task of the browser's event loop (`setTimeout(0)`): what follows runs
/// after whatever the browser has queued meanwhile (input, painting). A page start that is
/// one long task blocks a slow phone for all of it, and Lighthouse counts every long task's
/// time past 50 ms as blocking.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
