//! *Mine*: every person in a check-in relationship with this user, each with the latest
//! message and when, and what can be done in one or two taps; inviting a trusted person
//! (a one-time code, like a sharing invitation) and accepting someone's code.

use super::conversation::PersonCard;
use super::state::{Notice, NoticeAt, Page};
use super::texts::{tc, CheckinKey as K};
use crate::i18n::fill;
use crate::model::checkin::{Role, MAX_PEOPLE};
use crate::ui::events::submit_handler;
use crate::ui::later_view::{shown, Drawn, DrawnView};
use leptos::prelude::*;

#[component]
pub fn PeopleList() -> DrawnView {
    let page = expect_context::<Page>();
    // One card per relationship, kept while what decides its controls stays the same (its
    // role, status and name): news from a round updates the lines that show it, so a draft
    // being written, the focus and a "Lagret" survive a message arriving.
    let cards = move |role: Role| {
        view! {
            <For
                each=move || {
                    page.people.with(|people| {
                        people
                            .iter()
                            .filter(|p| p.role == role)
                            .map(|p| (p.id.clone(), p.status, p.name.clone()))
                            .collect::<Vec<_>>()
                    })
                }
                key=|card| card.clone()
                children=|(rel, _, _)| view! { <PersonCard rel /> }.drawn()
            />
        }
    };
    let any = move |role: Role| page.people.with(|p| p.iter().any(|p| p.role == role));
    view! {
        <section class="checkin-people" aria-labelledby="mine-heading">
            <h2 id="mine-heading">{tc(K::Mine)}</h2>
            {shown(move || any(Role::Trusted), move || view! {
                <h3>{tc(K::TheyTrustMe)}</h3>
                <ul class="checkin-list">{cards(Role::Trusted)}</ul>
            }.drawn())}
            {shown(move || any(Role::Owner), move || view! {
                <h3>{tc(K::MyPeople)}</h3>
                <ul class="checkin-list">{cards(Role::Owner)}</ul>
            }.drawn())}
        </section>
    }
    .drawn()
}

#[component]
pub fn Invite() -> DrawnView {
    let page = expect_context::<Page>();
    let lang = crate::i18n::use_i18n().lang;
    let name = RwSignal::new(String::new());
    let code = RwSignal::new(None::<String>);
    let full = move || {
        page.people
            .with(|p| p.iter().filter(|p| p.role == Role::Owner).count() >= MAX_PEOPLE)
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let wanted = name.get_untracked();
        if wanted.trim().is_empty() {
            return;
        }
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let body = serde_json::json!({ "name": wanted });
            if let Some(answer) = super::state::online(
                page,
                NoticeAt::Invite,
                "POST",
                "/api/v1/checkins/invitations",
                Some(body),
            )
            .await
            {
                let _ = code.try_set(answer["code"].as_str().map(str::to_owned));
                let _ = name.try_set(String::new());
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (wanted, page);
    };
    view! {
        <section class="checkin-invite" aria-labelledby="invite-heading">
            <h2 id="invite-heading">{tc(K::Invite)}</h2>
            <p>{tc(K::InviteMax)}</p>
            <form on:submit=submit_handler(submit)>
                <label for="invite-name">{tc(K::InviteName)}</label>
                <input id="invite-name" type="text" maxlength="60" autocomplete="off" bind:value=name />
                <button type="submit" disabled=full>{tc(K::InviteButton)}</button>
            </form>
            <Notice at=NoticeAt::Invite />
            {shown(move || code.get().is_some(), move || view! {
                <p role="status">
                    {move || K::InviteCode.text(lang.get())} " "
                    <strong class="invite-code">{move || code.get().unwrap_or_default()}</strong>
                </p>
            }.drawn())}
        </section>
    }
    .drawn()
}

#[component]
pub fn AcceptInvitation() -> DrawnView {
    let page = expect_context::<Page>();
    let lang = crate::i18n::use_i18n().lang;
    let code = RwSignal::new(String::new());
    let done = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let given = code.get_untracked();
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let body = serde_json::json!({ "code": given });
            if super::state::online(
                page,
                NoticeAt::Accept,
                "POST",
                "/api/v1/shares/accept",
                Some(body),
            )
            .await
            .is_some()
            {
                let _ = code.try_set(String::new());
                let _ = done.try_set(true);
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (given, page);
    };
    view! {
        <section class="checkin-accept" aria-labelledby="accept-heading">
            <h2 id="accept-heading">{tc(K::Accept)}</h2>
            <form on:submit=submit_handler(submit)>
                <label for="accept-code">{tc(K::AcceptCode)}</label>
                <input id="accept-code" type="text" autocomplete="off" autocapitalize="characters" bind:value=code />
                <button type="submit">{tc(K::AcceptButton)}</button>
            </form>
            <Notice at=NoticeAt::Accept />
            {shown(move || done.get(), move || view! {
                <p role="status">{move || fill(K::Accepted.text(lang.get()), &[])}</p>
            }.drawn())}
        </section>
    }
    .drawn()
}
