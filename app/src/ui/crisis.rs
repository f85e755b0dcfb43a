//! The crisis screen: works with no network at all, and holds nothing but the help. The
//! emergency numbers come first, always on the first screen whatever the user wrote (113
//! must be in reach at 360 px and 200 % text); then what I can do myself, my contacts (call
//! or text in one tap) and how I want to be met, all from the user's own plan on the phone.
//! The frame shows no status line or banner on this route (see `ui::app`), and it is in the
//! main wasm module, not a lazy chunk, so it answers as soon as the app does.
//!
//! Two ways in: inside the running app (the crisis button) this component draws the page. A
//! first visit straight to `/krise` does not load the app at all: the server renders this
//! page with the user's part empty, and the small crisis module (`crisis/`, see
//! `ui::shell`) reads the plan and adds the same markup. Change one, change the other;
//! `end2end/tests/crisis.test.mjs` compares the two.

use crate::i18n::{tr, Key};
use crate::model::emergency::{EmergencyService, EMERGENCY_NUMBERS};
use crate::model::plan::DefaultSection;
use crate::ui::plan::contact::CallLinks;
use crate::ui::plan::state::use_plan;
use leptos::prelude::*;

/// The translated name and one-line description of each service.
pub(crate) fn labels(service: EmergencyService) -> (Key, Key) {
    match service {
        EmergencyService::Medical => (Key::EmergencyMedical, Key::EmergencyMedicalDetail),
        EmergencyService::OutOfHoursDoctor => (Key::EmergencyOutOfHours, Key::EmergencyOutOfHoursDetail),
        EmergencyService::MentalHealthHelpline => (Key::EmergencyHelpline, Key::EmergencyHelplineDetail),
        EmergencyService::CrisisLine => (Key::EmergencyCrisisLine, Key::EmergencyCrisisLineDetail),
    }
}

#[component]
pub fn CrisisPage() -> impl IntoView {
    let numbers = EMERGENCY_NUMBERS
        .iter()
        .map(|number| {
            let (name, detail) = labels(number.service);
            view! {
                <li>
                    <a class="call-link" href=number.tel_href()>
                        <span class="call-number">{number.display}</span>
                        <span class="call-name">{tr(name)}</span>
                        <span class="call-detail">{tr(detail)}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="crisis">
            <h1>{tr(Key::CrisisTitle)}</h1>
            <section aria-labelledby="crisis-numbers">
                // For screen readers: on screen the cards say what they are, and with large
                // text a visible heading would push 113 under the menu.
                <h2 id="crisis-numbers" class="visually-hidden">{tr(Key::CrisisNumbersTitle)}</h2>
                <ul class="call-list">{numbers}</ul>
            </section>
            <p class="intro crisis-after-numbers">{tr(Key::CrisisIntro)}</p>
            <ContactMe />
            <OwnSteps section=DefaultSection::SelfHelp title=Key::CrisisSelfHelpTitle class="crisis-self-help" />
            <OwnContacts />
            <OwnSteps section=DefaultSection::HowToMeetMe title=Key::CrisisMeetMeTitle class="crisis-meet-me" />
        </div>
    }
}

/// *Kontakt meg*, when the signed-in user has a trusted person to ask (see
/// `local::prefs::can_ask_for_contact`): below the numbers, never above them. It is on the
/// phone, not in the server's HTML, so the server renders it hidden and the browser shows
/// it (this component after hydration; the crisis module, `crisis/`, on a direct visit).
#[component]
fn ContactMe() -> impl IntoView {
    let can_ask = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    crate::ui::hydration::after(move || can_ask.set(crate::local::prefs::can_ask_for_contact()));
    view! {
        <p class="crisis-contact-me" hidden=move || !can_ask.get()>
            <a class="contact-me-link" href=CONTACT_ME_PATH>{tr(Key::CrisisContactMe)}</a>
            " "
            <span>{tr(Key::CrisisContactMeHint)}</span>
        </p>
    }
}

/// Asks the trusted persons for contact, then shows this screen again (`ui::checkin::help`).
pub const CONTACT_ME_PATH: &str = "/innsjekk/kontakt-meg";

/// The items of one of the user's sections, if it has any.
#[component]
fn OwnSteps(section: DefaultSection, title: Key, class: &'static str) -> impl IntoView {
    let state = use_plan();
    let items = Memo::new(move |_| {
        state.plan.with(|p| {
            p.as_ref()
                .and_then(|p| p.section(section.record_id()))
                .filter(|s| !s.body.hidden)
                .map(|s| {
                    s.items
                        .iter()
                        .map(|i| i.body.text.as_str().to_owned())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let heading = format!("{class}-title");
    view! {
        <Show when=move || items.with(|i| !i.is_empty())>
            <section class=class aria-labelledby=heading.clone()>
                <h2 id=heading.clone()>{tr(title)}</h2>
                <ul class="crisis-steps">
                    {move || items.get().into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

#[component]
fn OwnContacts() -> impl IntoView {
    let state = use_plan();
    let contacts = Memo::new(move |_| {
        state
            .plan
            .with(|p| p.as_ref().map(|p| p.contacts.clone()).unwrap_or_default())
    });
    view! {
        <Show when=move || contacts.with(|c| !c.is_empty())>
            <section class="crisis-contacts" aria-labelledby="crisis-contacts-title">
                <h2 id="crisis-contacts-title">{tr(Key::CrisisContactsTitle)}</h2>
                <ul class="contacts">
                    {move || contacts.get().into_iter().map(|c| view! {
                        <li class="contact">
                            <p class="contact-name">{c.body.name.as_str().to_owned()}</p>
                            <p class="contact-relation">{c.body.relation.as_str().to_owned()}</p>
                            <CallLinks name=c.body.name.as_str().to_owned() phones=c.body.phones.clone() />
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}
