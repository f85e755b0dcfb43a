//! One life area: its name, "viktig for meg nå", and, once chosen, what matters and what
//! help is wanted in the user's words, its ratings and its measures; plus its tools (rename,
//! hide, delete one's own, history).

use super::actions;
use super::measures::AreaMeasures;
use super::messages::{area_name, scale_texts};
use super::rating::{provide_rating_draft, RatingForm, RatingHistory};
use super::state::use_wheel;
use crate::i18n::{tr, use_i18n, WheelKey};
use crate::model::record::{Kind, RecordId};
use crate::model::text::{AreaName, ItemText, TextError};
use crate::model::wheel::{AreaView, Scale};
use crate::ui::disclosure::{is_open, opened};
use crate::ui::events::{click_handler, event_handler, submit_handler};
use crate::ui::later_view::{shown, Drawn};
use crate::ui::plan::history::HistoryList;
use crate::ui::plan::messages::FieldError;
use crate::ui::plan::text_form::{CharsLeft, TextForm};
use leptos::prelude::*;

#[component]
pub fn AreaCard(id: RecordId) -> impl IntoView {
    let state = use_wheel();
    let lang = use_i18n().lang;
    let view_of = Memo::new(move |_| state.wheel.with(|w| w.as_ref().and_then(|w| w.area(id).cloned())));
    let name = move || {
        view_of.with(|v| {
            v.as_ref()
                .map(|v| area_name(&v.body, lang.get()))
                .unwrap_or_default()
        })
    };
    let chosen = move || view_of.with(|v| v.as_ref().is_some_and(|v| v.body.chosen));
    let heading_id = format!("area-{id}");
    let choose_id = format!("choose-{id}");
    // The area's words, ratings and measures are drawn only while it is open: eleven areas
    // with every form and table at once would be a very long page and a slow first paint.
    let open = RwSignal::new(false);
    let summary = move || {
        let lang = lang.get();
        view_of.with(|v| v.as_ref().and_then(|v| latest_summary(v, lang)))
    };
    view! {
        <li class="area" class:is-chosen=chosen>
            <section aria-labelledby=heading_id.clone()>
                <h3 id=heading_id.clone()>{name}</h3>
                <div class="choose">
                    <input
                        id=choose_id.clone()
                        type="checkbox"
                        prop:checked=chosen
                        on:change=event_handler(move |ev| {
                            let checked = event_target_checked(&ev);
                            actions::set_chosen(state, id, checked);
                            if checked {
                                open.set(true);
                            }
                        })
                    />
                    <label for=choose_id>{tr(WheelKey::AreaChosen)}</label>
                </div>
                {shown(chosen, move || view! {
                    <p class="area-summary">{summary}</p>
                    <details class="area-details" prop:open=move || open.get() on:toggle=event_handler(move |ev| open.set(is_open(&ev)))>
                        <summary>{tr(WheelKey::AreaOpen)}</summary>
                        {shown(move || open.get(), move || view! {
                            {provide_rating_draft()}
                            <AreaTexts id view_of />
                            <RatingForm id />
                            <RatingHistory id />
                            <AreaMeasures id />
                        }.drawn())}
                    </details>
                }.drawn())}
                <AreaTools id view_of />
            </section>
        </li>
    }
    .drawn()
}

/// "Sist vurdert 20.11.2026: Hvor viktig 8 · Hvordan det går 6 · Hvor fornøyd 3", and
/// "tydelig endring" when a scale has moved two points or more since the first rating.
fn latest_summary(area: &AreaView, lang: crate::model::lang::Lang) -> Option<String> {
    let latest = area.ratings.last()?;
    let scores: Vec<String> = Scale::ALL
        .into_iter()
        .filter_map(|scale| {
            latest
                .body
                .score(scale)
                .map(|s| format!("{} {}", scale_texts(scale).0.text(lang), s.get()))
        })
        .collect();
    let mut text = format!(
        "{} {}: {}",
        WheelKey::AreaLastRated.text(lang),
        latest.body.date.display_nb(),
        scores.join(" · ")
    );
    if Scale::ALL
        .into_iter()
        .any(|scale| area.change(scale).is_some_and(|c| c.is_meaningful()))
    {
        text.push_str(" · ");
        text.push_str(WheelKey::AreaClearChange.text(lang));
    }
    Some(text)
}

/// An optional text: empty is fine (it clears the field), too long is said at the field.
fn optional_text(text: &str) -> Result<Option<ItemText>, TextError> {
    match ItemText::parse(text) {
        Ok(text) => Ok(Some(text)),
        Err(TextError::Empty) => Ok(None),
        Err(e) => Err(e),
    }
}

/// "Hva er viktig for meg" and "Hva vil jeg ha hjelp til", saved together.
#[component]
fn AreaTexts(id: RecordId, view_of: Memo<Option<AreaView>>) -> impl IntoView {
    let state = use_wheel();
    let lang = use_i18n().lang;
    let initial = |field: fn(&AreaView) -> &Option<ItemText>| {
        view_of.with_untracked(|v| {
            v.as_ref()
                .and_then(|v| field(v).as_ref().map(|t| t.as_str().to_owned()))
                .unwrap_or_default()
        })
    };
    let matters = RwSignal::new(initial(|v| &v.body.what_matters));
    let help = RwSignal::new(initial(|v| &v.body.help_wanted));
    let matters_error = RwSignal::new(None::<FieldError>);
    let help_error = RwSignal::new(None::<FieldError>);
    let saved = RwSignal::new(false);
    let check = move |value: &str, error: RwSignal<Option<FieldError>>| match optional_text(value) {
        Ok(text) => {
            error.set(None);
            Some(text)
        }
        Err(e) => {
            error.set(Some(e.into()));
            None
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let what = check(&matters.get_untracked(), matters_error);
        let want = check(&help.get_untracked(), help_error);
        if let (Some(what), Some(want)) = (what, want) {
            actions::set_area_texts(
                state,
                id,
                what,
                want,
                Box::new(move |result| match result {
                    Ok(()) => saved.set(true),
                    Err(e) => matters_error.set(Some(e.into())),
                }),
            );
        }
    };
    let field = move |key: &'static str,
                      label: WheelKey,
                      value: RwSignal<String>,
                      error: RwSignal<Option<FieldError>>| {
        let field_id = format!("{key}-{id}");
        let error_id = format!("{field_id}-error");
        let count_id = format!("{field_id}-count");
        let described = format!("{error_id} {count_id}");
        view! {
            <label for=field_id.clone()>{tr(label)}</label>
            <textarea
                id=field_id
                rows="3"
                prop:value=move || value.get()
                on:input=event_handler(move |ev| {
                    let text = event_target_value(&ev);
                    match optional_text(&text) {
                        Err(e) => error.set(Some(e.into())),
                        Ok(_) => error.set(None),
                    }
                    saved.set(false);
                    value.set(text);
                })
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described
            ></textarea>
            <p id=error_id class="field-error">{move || error.get().map(|e| e.message(lang.get()))}</p>
            <CharsLeft id=count_id value=value max=ItemText::MAX_CHARS />
        }
    };
    view! {
        <form class="area-texts" on:submit=submit_handler(submit)>
            {field("matters", WheelKey::AreaWhatMatters, matters, matters_error)}
            {field("help", WheelKey::AreaHelpWanted, help, help_error)}
            <div class="form-actions">
                <button type="submit">{tr(WheelKey::AreaTextsSave)}</button>
                <span class="saved-here" role="status">
                    {move || saved.get().then(|| WheelKey::SavedHere.text(lang.get()))}
                </span>
            </div>
        </form>
    }
    .drawn()
}

#[component]
fn AreaTools(id: RecordId, view_of: Memo<Option<AreaView>>) -> impl IntoView {
    let state = use_wheel();
    let lang = use_i18n().lang;
    let is_default = view_of.with_untracked(|v| v.as_ref().is_some_and(|v| v.body.default_key.is_some()));
    let name = RwSignal::new(String::new());
    let tools_open = RwSignal::new(false);
    let on_toggle = opened(tools_open, move || {
        name.set(view_of.with_untracked(|v| {
            v.as_ref()
                .map(|v| area_name(&v.body, lang.get_untracked()))
                .unwrap_or_default()
        }))
    });
    let delete = move |_| {
        if let Some(v) = view_of.get_untracked() {
            let body = serde_json::to_value(&v.body).unwrap_or_default();
            crate::ui::plan::actions::delete(state.plan, id, Kind::WheelArea, body);
        }
    };
    view! {
        <details class="tools" on:toggle=event_handler(on_toggle)>
            <summary>{tr(WheelKey::AreaTools)}</summary>
            {shown(move || tools_open.get(), move || view! {
            <TextForm
                id=format!("rename-area-{id}")
                label=WheelKey::AreaNameLabel
                button=WheelKey::SectionRename
                value=name
                parse=AreaName::parse
                max=AreaName::MAX_CHARS
                save=move |name, done| actions::rename_area(state, id, Some(name), done)
            />
            <div class="tool-row">
                {is_default.then(|| view! {
                    <button type="button" on:click=click_handler(move |_| actions::rename_area(state, id, None, actions::ignore()))>
                        {tr(WheelKey::SectionResetName)}
                    </button>
                })}
                <button type="button" on:click=click_handler(move |_| actions::set_area_hidden(state, id, true))>
                    {tr(WheelKey::AreaHide)}
                </button>
                {(!is_default).then(|| view! {
                    <button type="button" on:click=click_handler(delete)>{tr(WheelKey::AreaDelete)}</button>
                })}
            </div>
            <HistoryList id kind=Kind::WheelArea describe=move |body| {
                body.get("name").and_then(|n| n.as_str()).map(str::to_owned)
            } />
            }.drawn())}
        </details>
    }
    .drawn()
}
