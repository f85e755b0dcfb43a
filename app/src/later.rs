//! The `later` chunk: the work every page starts right after its first screen is up.
//!
//! Reading the plan from the phone (`PlanState::reload`), the sync engine (`engine::start`)
//! and the check-in round it runs are needed on every page, but never before the page has
//! hydrated. So are the plan and the wheel themselves (`ui::plan::body`, `ui::wheel::body`):
//! what shows the user's own data is drawn in the browser only, once it has been read
//! (`ui::later_view`). So is everything a signed-in user sees on *Innsjekk*, *Deling*, *Delt
//! med meg* and in the account settings: who is signed in is kept on the phone and read
//! here, so the server never renders those parts, and they cannot show before this chunk
//! has arrived anyway. And so is what a page does when the user acts (importing,
//! exporting, logging out, the questions about whose data is on the phone, queueing a
//! check-in): a page's own chunk holds the call, this chunk the store and the rounds.
//!
//! They are one split module rather than a `#[lazy]` function each: the split step
//! (scripts/wasm-split) cuts code by the set of split points that reach it, so every split
//! point doubles the number of ways code can be shared, and each way is a file of its own.
//! Three post-hydration split points cut the rest of the app into 131 files (71 for `/`);
//! one made 100 (47). The plan and the wheel as two split points of their own cut it into
//! 137 (each page 3 to 6 KiB heavier, and the plan showed 150 ms later from the worker's
//! cache, which serves many small files slowly); in this one, 57, and every page is
//! lighter. The cost: a page fetches code after its first screen that it may not show
//! (about 480 KiB of `later` in all, precached like the rest), and the plan waits for all
//! of it. Measured: README, "Size".
//!
//! A page's code must reach this chunk only through these functions: a plain call into
//! code that is also here (one `run_now` instead of `now` in a debounce) puts that code,
//! and all it calls, back on the page's first load (`/innstillinger` carried the sync
//! rounds for that, 62 KiB).
//!
//! Outside the bundle (the server, the browser store tests) nothing is split and these are
//! plain `async fn`s.

/// Declares an `async fn` that lives in the `later` chunk in the bundle (see the module
/// docs). Arguments are plain `name: Type` pairs; the return type, if any, is concrete.
macro_rules! in_later_chunk {
    ($(#[$meta:meta])* $vis:vis async fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $crate::later::in_later_chunk! {
            $(#[$meta])* $vis async fn $name($($arg: $ty),*) -> () $body
        }
    };
    ($(#[$meta:meta])* $vis:vis async fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        #[cfg(feature = "bundle")]
        $(#[$meta])*
        #[::leptos::wasm_split::wasm_split(
            later,
            wasm_split_path = ::leptos::wasm_split,
            return_wrapper(let future = _; { future.await } -> $ret)
        )]
        $vis fn $name(
            $($arg: $ty),*
        ) -> ::std::pin::Pin<
            ::std::boxed::Box<dyn ::std::future::Future<Output = $ret> + ::std::marker::Send + ::std::marker::Sync>,
        > {
            ::std::boxed::Box::pin(::leptos::__reexports::send_wrapper::SendWrapper::new(async move $body))
        }

        #[cfg(not(feature = "bundle"))]
        $(#[$meta])*
        #[allow(clippy::unused_unit)]
        $vis async fn $name($($arg: $ty),*) -> $ret $body
    };
}

pub(crate) use in_later_chunk;
