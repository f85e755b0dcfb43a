//! One text field with its label, its error and a submit button: what adding an item,
//! editing one, adding a section and renaming one all are.
//!
//! The text stays in the field until the save has succeeded, so nothing typed is lost on an
//! error; a text over its limit is said at the field while typing, not only on submit, and
//! near the limit the characters left are counted down ([`CharsLeft`]). After a save,
//! "Lagret" appears beside the button, where the finger is.

use super::messages::FieldError;
use crate::i18n::{fill, tr, use_i18n, PlanKey, Text};
use crate::model::plan::EditError;
use crate::model::text::TextError;
use crate::ui::events::{event_handler, submit_handler};
use leptos::either::Either;
use leptos::prelude::*;

/// Hands the form's outcome back: `Ok` clears the error (and the field, if asked), an
/// `EditError` is shown at the field.
pub type Done = Box<dyn FnOnce(Result<(), EditError>)>;

#[component]
pub fn TextForm<T, S, L: Text, B: Text>(
    /// The field's id; the error's id is derived from it.
    id: String,
    /// The label's and the button's texts, from the table of the page that uses the form.
    label: L,
    button: B,
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
    /// The text's limit in characters (the parsed type's `MAX_CHARS`): a countdown near it.
    #[prop(optional)]
    max: usize,
) -> impl IntoView
where
    T: 'static,
    S: Fn(T, Done) + Copy + Send + Sync + 'static,
{
    let lang = use_i18n().lang;
    let error = RwSignal::new(None::<FieldError>);
    let saved = RwSignal::new(false);
    let error_id = format!("{id}-error");
    let count_id = format!("{id}-count");
    let described = format!("{error_id} {count_id}");
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
                        saved.set(true);
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
        saved.set(false);
        value.set(text);
    };
    let invalid = move || error.with(Option::is_some).then_some("true");
    let field = if multiline {
        Either::Left(view! {
            <textarea
                id=id.clone()
                rows="3"
                prop:value=move || value.get()
                on:input=event_handler(on_input)
                aria-invalid=invalid
                aria-describedby=described.clone()
            ></textarea>
        })
    } else {
        Either::Right(view! {
            <input
                id=id.clone()
                type="text"
                autocomplete="off"
                prop:value=move || value.get()
                on:input=event_handler(on_input)
                aria-invalid=invalid
                aria-describedby=described.clone()
            />
        })
    };
    view! {
        <form class=class on:submit=submit_handler(submit)>
            <label for=id>{tr(label)}</label>
            {field}
            <p id=error_id class="field-error">{move || error.get().map(|e| e.message(lang.get()))}</p>
            <CharsLeft id=count_id value=value max=max />
            <div class="form-actions">
                <button type="submit">{tr(button)}</button>
                <span class="saved-here" role="status">
                    {move || saved.get().then(|| PlanKey::SavedHere.text(lang.get()))}
                </span>
            </div>
        </form>
    }
}

/// "12 tegn igjen" once a text is within a fifth of its limit (`max` characters; 0: never),
/// announced politely; nothing far from it, so a screen reader is not told at every key.
#[component]
pub fn CharsLeft(id: String, #[prop(into)] value: Signal<String>, max: usize) -> impl IntoView {
    let lang = use_i18n().lang;
    let text = move || {
        let used = value.with(|v| v.chars().count());
        (max > 0 && used * 5 >= max * 4).then(|| {
            let left = max.saturating_sub(used);
            let key = if left == 1 {
                PlanKey::CharsLeftOne
            } else {
                PlanKey::CharsLeft
            };
            fill(key.text(lang.get()), &[("n", left.to_string())])
        })
    };
    view! { <p id=id class="chars-left" aria-live="polite">{text}</p> }
}
