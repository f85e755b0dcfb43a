//! `<details>` whose content is drawn only while open. A plan with hundreds of items, or a
//! wheel with eleven areas, would otherwise build every editor, every button row and every
//! history list at start-up, for tools nobody has opened.

/// Whether the `<details>` a `toggle` event came from is open now (read from the element,
/// not counted: setting `open` from code fires `toggle` too).
pub fn is_open(ev: &leptos::ev::Event) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
            .is_some_and(|d| d.open())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        false
    }
}

/// The `toggle` handler of such a `<details>`: keeps `open` in step with it and, each time it
/// opens, first runs `start` (a form starts from what is shown). What `start` fills must be
/// drawn from `open`, not be there before: the browser fires `toggle` a moment after the
/// element opens, and a field already there could be typed into in that moment and then be
/// overwritten by `start` (a section's rename saved the old name so, on a busy machine).
pub fn opened(
    open: leptos::prelude::RwSignal<bool>,
    start: impl Fn() + 'static,
) -> impl Fn(leptos::ev::Event) + 'static {
    use leptos::prelude::Set;
    move |ev| {
        let now_open = is_open(&ev);
        if now_open {
            start();
        }
        open.set(now_open);
    }
}
