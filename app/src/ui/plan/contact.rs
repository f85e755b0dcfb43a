//! Contacts: people and services with phone numbers; one tap calls (`tel:`) or texts
//! (`sms:`). A number that does not parse gets a message at its field and is never saved as
//! something to call.

use super::actions;
use super::history::HistoryList;
use super::messages::{user_lang, FieldError};
use super::state::use_plan;
use super::text_form::CharsLeft;
use crate::i18n::{fill, tr, use_i18n, PlanKey};
use crate::model::phone::PhoneNumber;
use crate::model::plan::{ContactBody, Direction};
use crate::model::record::{Kind, RecordId};
use crate::model::text::{ContactName, Relation};
use crate::ui::disclosure::is_open;
use crate::ui::events::{click_handler, event_handler, submit_handler};
use crate::ui::later_view::{shown, Drawn, DrawnEach};
use leptos::prelude::*;

/// The call and text links of one contact; also used on the crisis screen.
#[component]
pub fn CallLinks(name: String, phones: Vec<PhoneNumber>) -> impl IntoView {
    phones
        .into_iter()
        .map(|phone| {
            let display = phone.display();
            let name = name.clone();
            view! {
                <span class="call-links">
                    <a class="call" href=phone.tel_href()>
                        {tr(PlanKey::Call)} " " {display.clone()}
                        <span class="visually-hidden">" (" {name.clone()} ")"</span>
                    </a>
                    // Short service numbers (113, 116 117) take calls, not texts.
                    {(!phone.is_short()).then(|| view! {
                        <a class="sms" href=phone.sms_href()>
                            {tr(PlanKey::ContactSms)}
                            <span class="visually-hidden">" " {name} ", " {display}</span>
                        </a>
                    })}
                </span>
            }
        })
        .drawn_each()
}

#[component]
pub fn ContactList() -> impl IntoView {
    let state = use_plan();
    let ids = Memo::new(move |_| {
        state.plan.with(|p| {
            p.as_ref()
                .map(|p| p.contacts.iter().map(|c| c.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    view! {
        <ul class="contacts">
            <For each=move || ids.get() key=|id| *id children=|id| view! { <ContactCard id /> }.drawn() />
        </ul>
    }
}

#[component]
fn ContactCard(id: RecordId) -> impl IntoView {
    let state = use_plan();
    let found = Memo::new(move |_| {
        state.plan.with(|p| {
            let contacts = &p.as_ref()?.contacts;
            let index = contacts.iter().position(|c| c.id == id)?;
            Some((contacts[index].body.clone(), index, contacts.len()))
        })
    });
    let body = move || found.with(|f| f.as_ref().map(|(b, _, _)| b.clone()));
    let delete = move |_| {
        if let Some(body) = found.with_untracked(|f| {
            f.as_ref()
                .map(|(b, _, _)| serde_json::to_value(b).unwrap_or_default())
        }) {
            actions::delete(state, id, Kind::PlanContact, body);
        }
    };
    let open = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let keep = NodeRef::<leptos::html::Button>::new();
    let ask = move |_| {
        confirming.set(true);
        request_animation_frame(move || {
            if let Some(button) = keep.get_untracked() {
                let _ = button.focus();
            }
        });
    };
    let lang = use_i18n().lang;
    let confirm_text = move || {
        let name = body().map(|b| b.name.as_str().to_owned()).unwrap_or_default();
        fill(PlanKey::ContactDeleteConfirm.text(lang.get()), &[("name", name)])
    };
    let user_lang = user_lang(lang);
    view! {
        <li class="contact">
            {move || body().map(|b| view! {
                <p class="contact-name" lang=user_lang>{b.name.as_str().to_owned()}</p>
                <p class="contact-relation" lang=user_lang>{b.relation.as_str().to_owned()}</p>
                <CallLinks name=b.name.as_str().to_owned() phones=b.phones.clone() />
            })}
            <details class="tools no-print" on:toggle=event_handler(move |ev| open.set(is_open(&ev)))>
                <summary>
                    {tr(PlanKey::Edit)}
                    <span class="visually-hidden">": " {move || body().map(|b| b.name.as_str().to_owned())}</span>
                </summary>
                // Drawn only while open (see `ui::disclosure`): the form then starts from the
                // contact as it is now, and a plan's first draw builds no editors.
                {shown(move || open.get(), move || view! {
                    <ContactFields editing=Some(id) />
                    <div class="tool-row">
                        <button
                            type="button"
                            disabled=move || found.with(|f| f.as_ref().is_none_or(|(_, i, _)| *i == 0))
                            on:click=click_handler(move |_| actions::move_contact(state, id, Direction::Up))
                        >
                            {tr(PlanKey::MoveUp)}
                        </button>
                        <button
                            type="button"
                            disabled=move || found.with(|f| f.as_ref().is_none_or(|(_, i, n)| *i + 1 == *n))
                            on:click=click_handler(move |_| actions::move_contact(state, id, Direction::Down))
                        >
                            {tr(PlanKey::MoveDown)}
                        </button>
                        {shown(move || !confirming.get(), move || view! {
                            <button type="button" class="danger" on:click=click_handler(ask)>{tr(PlanKey::Delete)}</button>
                        }.drawn())}
                    </div>
                    // A contact is someone to call in a crisis: deleting one asks first, right
                    // where the finger is, and "Nei, behold" takes the focus (the safe answer).
                    {shown(move || confirming.get(), move || view! {
                        <div class="confirm" role="group" aria-labelledby=format!("confirm-{id}")>
                            <p id=format!("confirm-{id}")>{confirm_text}</p>
                            <div class="tool-row">
                                <button type="button" class="danger" on:click=click_handler(move |ev| { confirming.set(false); delete(ev) })>
                                    {tr(PlanKey::ContactDeleteYes)}
                                </button>
                                <button type="button" node_ref=keep on:click=click_handler(move |_| confirming.set(false))>
                                    {tr(PlanKey::ContactDeleteNo)}
                                </button>
                            </div>
                        </div>
                    }.drawn())}
                    <HistoryList id kind=Kind::PlanContact describe=|body| {
                        body.get("name").and_then(|n| n.as_str()).map(str::to_owned)
                    } />
                }.drawn())}
            </details>
        </li>
    }
}

#[component]
pub fn ContactForm() -> impl IntoView {
    view! {
        <div class="add-contact no-print">
            <h3>{tr(PlanKey::ContactNew)}</h3>
            <ContactFields editing=None />
        </div>
    }
}

/// The name, relation and phone fields, for a new contact or an existing one.
#[component]
fn ContactFields(editing: Option<RecordId>) -> impl IntoView {
    let state = use_plan();
    let lang = use_i18n().lang;
    let prefix = editing.map_or_else(|| "new-contact".to_owned(), |id| format!("contact-{id}"));
    let existing = move || {
        let id = editing?;
        state.plan.with_untracked(|p| {
            p.as_ref()?
                .contacts
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.body.clone())
        })
    };
    let start = existing();
    let name = RwSignal::new(
        start
            .as_ref()
            .map(|b| b.name.as_str().to_owned())
            .unwrap_or_default(),
    );
    let relation = RwSignal::new(
        start
            .as_ref()
            .map(|b| b.relation.as_str().to_owned())
            .unwrap_or_default(),
    );
    let phone = RwSignal::new(
        start
            .as_ref()
            .and_then(|b| b.phones.first())
            .map(|p| p.display())
            .unwrap_or_default(),
    );
    let name_error = RwSignal::new(None::<FieldError>);
    let relation_error = RwSignal::new(None::<FieldError>);
    let phone_error = RwSignal::new(None::<FieldError>);
    // "Lagret" beside the button once the phone has it, until the next keystroke.
    let saved = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed_name = ContactName::parse(&name.get_untracked()).map_err(FieldError::from);
        let parsed_relation = Relation::parse(&relation.get_untracked()).map_err(FieldError::from);
        let raw_phone = phone.get_untracked();
        let parsed_phone = if raw_phone.trim().is_empty() {
            Ok(None)
        } else {
            PhoneNumber::parse(&raw_phone)
                .map(Some)
                .map_err(|_| FieldError::Phone)
        };
        name_error.set(parsed_name.as_ref().err().copied());
        relation_error.set(parsed_relation.as_ref().err().copied());
        phone_error.set(parsed_phone.as_ref().err().copied());
        let (Ok(new_name), Ok(new_relation), Ok(new_phone)) = (parsed_name, parsed_relation, parsed_phone)
        else {
            return;
        };
        let done = move |clear: bool| -> Box<dyn FnOnce(Result<(), crate::model::plan::EditError>)> {
            Box::new(move |result| match result {
                Ok(()) if clear => {
                    name.set(String::new());
                    relation.set(String::new());
                    phone.set(String::new());
                    saved.set(true);
                }
                Ok(()) => saved.set(true),
                Err(e) => phone_error.set(Some(e.into())),
            })
        };
        match (editing, existing()) {
            (Some(id), Some(old)) => {
                let mut phones: Vec<PhoneNumber> = old.phones.into_iter().skip(1).collect();
                if let Some(p) = new_phone {
                    phones.insert(0, p);
                }
                let body = ContactBody {
                    name: new_name,
                    relation: new_relation,
                    phones,
                    position: old.position,
                };
                actions::edit_contact(state, id, body, done(false));
            }
            _ => actions::add_contact(
                state,
                new_name,
                new_relation,
                new_phone.into_iter().collect(),
                done(true),
            ),
        }
    };

    let field = move |suffix: &str| format!("{prefix}-{suffix}");
    let (name_id, relation_id, phone_id) = (field("name"), field("relation"), field("phone"));
    let (name_err_id, relation_err_id, phone_err_id) =
        (field("name-error"), field("relation-error"), field("phone-error"));
    let (name_count_id, relation_count_id) = (field("name-count"), field("relation-count"));
    let name_described = format!("{name_err_id} {name_count_id}");
    let relation_described = format!("{relation_err_id} {relation_count_id}");
    let typed = move |signal: RwSignal<String>| {
        move |ev: leptos::ev::Event| {
            signal.set(event_target_value(&ev));
            saved.set(false);
        }
    };
    let message =
        move |error: RwSignal<Option<FieldError>>| move || error.get().map(|e| e.message(lang.get()));
    let invalid =
        move |error: RwSignal<Option<FieldError>>| move || error.with(Option::is_some).then_some("true");
    view! {
        <form class="contact-form" on:submit=submit_handler(submit)>
            <label for=name_id.clone()>{tr(PlanKey::ContactName)}</label>
            <input id=name_id type="text" autocomplete="off" prop:value=move || name.get()
                on:input=event_handler(typed(name))
                aria-invalid=invalid(name_error) aria-describedby=name_described />
            <p id=name_err_id class="field-error">{message(name_error)}</p>
            <CharsLeft id=name_count_id value=name max=ContactName::MAX_CHARS />
            <label for=relation_id.clone()>{tr(PlanKey::ContactRelation)}</label>
            <input id=relation_id type="text" autocomplete="off" prop:value=move || relation.get()
                on:input=event_handler(typed(relation))
                aria-invalid=invalid(relation_error) aria-describedby=relation_described />
            <p id=relation_err_id class="field-error">{message(relation_error)}</p>
            <CharsLeft id=relation_count_id value=relation max=Relation::MAX_CHARS />
            <label for=phone_id.clone()>{tr(PlanKey::ContactPhone)}</label>
            <input id=phone_id type="tel" autocomplete="off" inputmode="tel" prop:value=move || phone.get()
                on:input=event_handler(typed(phone))
                aria-invalid=invalid(phone_error) aria-describedby=phone_err_id.clone() />
            <p id=phone_err_id class="field-error">{message(phone_error)}</p>
            <div class="form-actions">
                <button type="submit">
                    {if editing.is_some() { tr(PlanKey::Save) } else { tr(PlanKey::ContactAdd) }}
                </button>
                <span class="saved-here" role="status">
                    {move || saved.get().then(|| PlanKey::SavedHere.text(lang.get()))}
                </span>
            </div>
        </form>
    }
}
