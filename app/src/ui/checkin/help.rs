//! *Kontakt meg*: "I am having a hard time, please get in touch".
//!
//! The user's side says only what is known: *Venter på nett* while the request is on the
//! phone, *Ingen har bekreftet ennå* once the server has it, and «navn» *tar kontakt, kl.
//! …* for each trusted person who said so. The crisis screen opens at once either way.
//! The trusted person's side shows a request above everything else until they answer it.

use super::state::{clock, open_requests, Page};
use super::texts::{tc, CheckinKey as K};
use crate::i18n::fill;
use crate::model::checkin::{help_state, Role};
use crate::ui::events::click_handler;
use crate::ui::later_view::{Drawn, DrawnView};
use crate::ui::loaded::Erase;
use leptos::prelude::*;

/// The user's button and the request's honest state.
#[component]
pub fn HelpPanel() -> DrawnView {
    let page = expect_context::<Page>();
    let lang = crate::i18n::use_i18n().lang;
    let navigate = leptos_router::hooks::use_navigate();
    let ask = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(account) = page.account.get_untracked() {
            leptos::task::spawn_local(super::state::ask_for_help(account));
        }
        navigate(crate::ui::app::CRISIS_PATH, Default::default());
    };
    let status = move || {
        let lang = lang.get();
        let waiting = page
            .pending
            .get()
            .iter()
            .any(|p| p.rel.is_none() && p.refused.is_none());
        let people = page.people.get();
        let mut lines = Vec::new();
        if waiting {
            lines.push(K::HelpWaiting.text(lang).to_owned());
        }
        if let Some(state) = help_state(&people) {
            lines.push(fill(K::HelpSentAt.text(lang), &[("time", clock(state.sent_ms))]));
            if state.coming.is_empty() {
                lines.push(K::HelpNoneYet.text(lang).to_owned());
            }
            for (name, at) in state.coming {
                lines.push(fill(
                    K::HelpComing.text(lang),
                    &[("name", name), ("time", clock(at))],
                ));
            }
        } else if waiting {
            lines.push(K::HelpNoneYet.text(lang).to_owned());
        }
        let nobody = !people
            .iter()
            .any(|p| p.role == Role::Owner && p.status != crate::model::checkin::Status::Pending);
        if (waiting || help_state(&people).is_some()) && nobody {
            lines.push(K::HelpNobody.text(lang).to_owned());
        }
        lines
            .into_iter()
            .map(|line| view! { <span>{line}</span> " " })
            .collect_view()
    };
    let phones = move || {
        page.people
            .get()
            .into_iter()
            .filter(|p| p.role == Role::Owner)
            .filter_map(|p| p.phone.clone().map(|phone| (p.name.clone(), phone)))
            .map(|(name, phone)| {
                let tel = format!("tel:{phone}");
                let sms = format!("sms:{phone}");
                let call_label = format!("{} {name}", K::Call.text(lang.get()));
                let sms_label = format!("{} {name}", K::TextThem.text(lang.get()));
                view! {
                    <li>
                        <a class="button" href=tel>{call_label}</a>
                        " "
                        <a class="button" href=sms>{sms_label}</a>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="checkin-help" aria-labelledby="kontakt-meg-heading">
            <h2 id="kontakt-meg-heading">{tc(K::KontaktMeg)}</h2>
            <p>{tc(K::KontaktMegHint)}</p>
            <button type="button" class="kontakt-meg" on:click=click_handler(ask)>{tc(K::KontaktMeg)}</button>
            <p class="help-state" role="status">{status}</p>
            <ul class="checkin-phones">{phones}</ul>
            <p class="checkin-not-emergency">{tc(K::NotEmergency)}</p>
        </section>
    }
    .drawn()
}

/// The trusted person's side: every request for contact not yet answered, above all else.
#[component]
pub fn RequestsForMe() -> DrawnView {
    let page = expect_context::<Page>();
    let lang = crate::i18n::use_i18n().lang;
    let requests = move || {
        page.people
            .get()
            .into_iter()
            .flat_map(|person| {
                open_requests(&person).into_iter().map(move |m| {
                    (
                        person.id.clone(),
                        person.name.clone(),
                        person.user_phone.clone(),
                        m,
                    )
                })
            })
            .map(|(rel, name, number, message)| {
                // Call and text from this phone, when the user gave this person their number:
                // neither needs our server.
                let reach = number.map(|number| {
                    let call = format!("{} {name}", K::Call.text(lang.get()));
                    let text = format!("{} {name}", K::TextThem.text(lang.get()));
                    view! {
                        <p class="checkin-reach">
                            <a class="button" href=format!("tel:{number}")>{call}</a>
                            " "
                            <a class="button" href=format!("sms:{number}")>{text}</a>
                        </p>
                    }
                });
                let title = fill(K::HelpForYou.text(lang.get()), &[("name", name)]);
                let at = fill(K::HelpAt.text(lang.get()), &[("time", clock(message.sent_ms))]);
                let id = message.id.clone();
                let answer = move |_| {
                    #[cfg(feature = "hydrate")]
                    super::state::ack(page, rel.clone(), id.clone());
                    #[cfg(not(feature = "hydrate"))]
                    let _ = (&rel, &id);
                };
                view! {
                    <section class="checkin-alert" role="alert">
                        <h2>{title}</h2>
                        <p>{at}</p>
                        <button type="button" class="primary" on:click=click_handler(answer)>{tc(K::Ack)}</button>
                        {reach}
                        <p>{tc(K::CannotReach)}</p>
                        <p><a class="button" href="tel:113">"113"</a></p>
                    </section>
                }
            })
            .collect_view()
    };
    view! { <div class="checkin-requests">{requests}</div> }.drawn()
}

/// `/innsjekk/kontakt-meg`: queue the request, then the crisis screen at once.
#[component]
pub fn KontaktMeg() -> AnyView {
    #[cfg(feature = "hydrate")]
    {
        let navigate = leptos_router::hooks::use_navigate();
        // After hydration (a direct load of this URL must hydrate before it moves on).
        request_animation_frame(move || {
            navigate(
                crate::ui::app::CRISIS_PATH,
                leptos_router::NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        });
        // For the account signed in on this phone, read straight from it (`later`).
        leptos::task::spawn_local(super::state::ask_for_help_signed_in());
    }
    view! {
        <h1>{tc(K::KontaktMeg)}</h1>
        <p>{tc(K::NotEmergency)}</p>
        <p><a class="button" href=crate::ui::app::CRISIS_PATH>"113 · 116 117 · 116 123 · 22 40 00 40"</a></p>
    }
    .erased()
}
