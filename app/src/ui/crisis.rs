//! The crisis screen: works with no network at all. The emergency numbers come first while
//! the plan is empty; the user's own steps and contacts join them with the plan.

use crate::i18n::{tr, Key};
use crate::model::emergency::{EmergencyService, EMERGENCY_NUMBERS};
use leptos::prelude::*;

/// The translated name and one-line description of each service.
fn labels(service: EmergencyService) -> (Key, Key) {
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
            <p class="intro">{tr(Key::CrisisIntro)}</p>
            <section aria-labelledby="crisis-numbers">
                <h2 id="crisis-numbers">{tr(Key::CrisisNumbersTitle)}</h2>
                <ul class="call-list">{numbers}</ul>
            </section>
            <section aria-labelledby="crisis-own" class="empty-state">
                <h2 id="crisis-own">{tr(Key::CrisisOwnTitle)}</h2>
                <p>{tr(Key::CrisisOwnEmpty)}</p>
            </section>
        </div>
    }
}
