//! The `later` chunk: the work every page starts right after its first screen is up.
//!
//! Reading the plan from the phone (`PlanState::reload`), the sync engine (`engine::start`)
//! and the check-in round it runs are needed on every page, but never before the page has
//! hydrated. They are one split module rather than three `#[lazy]` functions: the split step
//! (scripts/wasm-split) cuts code by the set of split points that reach it, so every split
//! point doubles the number of ways code can be shared, and each way is a file of its own.
//! Three post-hydration split points cut the rest of the app into 131 files (71 for `/`);
//! one makes 100 (47). The cost: the plan's reading code arrives together with the sync
//! engine's, a few KiB more before the user's own steps show (both came within 0.4 s of
//! each other anyway).
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
