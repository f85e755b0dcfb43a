//! Event handlers, boxed: `on:click=click_handler(move |_| …)`, `on:submit=submit_handler(…)`,
//! and `event_handler(…)` for `input`, `change` and `toggle`.
//!
//! Tachys compiles attaching a handler (`On::attach`: the listener, its closure, running it
//! inside its owner) and hydrating it once per handler type, and every closure is a type of
//! its own: about 300 bytes of code for each of the app's hundred handlers. A boxed handler
//! (`Box<dyn FnMut(E)>`) is one type per event, so that code is compiled once per event; the
//! handler runs exactly as before.

use leptos::ev::{Event, MouseEvent, SubmitEvent};

pub fn click_handler(handler: impl FnMut(MouseEvent) + 'static) -> Box<dyn FnMut(MouseEvent)> {
    Box::new(handler)
}

pub fn submit_handler(handler: impl FnMut(SubmitEvent) + 'static) -> Box<dyn FnMut(SubmitEvent)> {
    Box::new(handler)
}

/// For the events whose type is a plain `Event`: `input`, `change`, `toggle`.
pub fn event_handler(handler: impl FnMut(Event) + 'static) -> Box<dyn FnMut(Event)> {
    Box::new(handler)
}
