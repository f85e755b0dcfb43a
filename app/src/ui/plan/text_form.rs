//! One text field with its label, its error and a submit button: what adding an item,
//! editing one, adding a section and renaming one all are.
//!
//! The text stays in the field until the save has succeeded, so nothing typed is lost on an
//! error; a text over its limit is said at the field while typing, not only on submit.

use super::messages::FieldError;
use crate::i18n::{tr, use_i18n, Key};
use crate::model::plan::EditError;
use crate::model::text::TextError;
use leptos::either::Either;
use leptos::prelude::*;

/// Hands the form's outcome back: `Ok` clears the error (and the field, if asked), an
/// `EditError` is shown at the field.
pub type Done = Box<dyn FnOnce(Result<(), EditError>)>;

#[component]
pub fn TextForm<T, S>(
    /// The field's id; the error's id is derived from it.
    id: String,
    label: Key,
    button: Key,
    /// The field's text, owned by the caller (so it can start it from the current value).
    value: RwSignal<String>,
    /// Turns the text into the value to save, or says why not.
    parse: fn(&str) -> Result<T, TextError>,
    /// Saves the parsed value, then calls `Done`.
    save: S,
    #[prop(optional)] multiline: bool,
    /// Empty the field after a successful save (a form that adds something new).
    #[prop(optional)]
    clear_on_save: bool,
    #[prop(optional)] class: &'static str,
) -> impl IntoView
where
    T: 'static,
    S: Fn(T, Done) + Copy + Send + Sync + 'static,
{
    let lang = use_i18n().lang;
    let error = RwSignal::new(None::<FieldError>);
    let error_id = format!("{id}-error");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match parse(&value.get_untracked()) {
            Err(e) => error.set(Some(e.into())),
            Ok(parsed) => save(
                parsed,
                Box::new(move |result| match result {
                    Ok(()) => {
                        if clear_on_save {
                            value.set(String::new());
                        }
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e.into())),
                }),
            ),
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        match parse(&text) {
            Err(e @ TextError::TooLong { .. }) => error.set(Some(e.into())),
            _ => error.set(None),
        }
        value.set(text);
    };
    let invalid = move || error.with(Option::is_some).then_some("true");
    let field = if multiline {
        Either::Left(view! {
            <textarea
                id=id.clone()
                rows="3"
                prop:value=move || value.get()
                on:input=on_input
                aria-invalid=invalid
                aria-describedby=error_id.clone()
            ></textarea>
        })
    } else {
        Either::Right(view! {
            <input
                id=id.clone()
                type="text"
                autocomplete="off"
                prop:value=move || value.get()
                on:input=on_input
                aria-invalid=invalid
                aria-describedby=error_id.clone()
            />
        })
    };
    view! {
        <form class=class on:submit=submit>
            <label for=id>{tr(label)}</label>
            {field}
            <p id=error_id class="field-error">{move || error.get().map(|e| e.message(lang.get()))}</p>
            <button type="submit">{tr(button)}</button>
        </form>
    }
}
