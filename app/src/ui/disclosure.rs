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
