//! *Innsjekk*: check-ins with a trusted person, both sides on one page (the user's trusted
//! persons and the people who chose this user), and `/innsjekk/kontakt-meg`, which the
//! crisis screen links to. Both are one lazily loaded route: nothing here is in any other
//! page's first load. What a signed-in user sees (their people, the conversations, the
//! forms) is drawn from the `later` chunk once the phone has said who is signed in
//! ([`checkin_signed_in`], `ui::later_view`): the page's own chunk is the frame.
//!
//! - [`state`]: what the page shows (read from the phone) and the actions (to the phone's
//!   outbox first, then sent by a round: `sync::checkins`).
//! - [`people`]: the list of people ("Mine"), inviting and accepting.
//! - [`conversation`]: one conversation: messages with their states, the one-tap scale,
//!   ready phrases, free text, and the person's settings.
//! - [`help`]: *Kontakt meg*: the button, its honest state, and the trusted side's alert.
//! - [`notify`]: Web Push on this phone, and the unread count on the app's icon.
//! - [`texts`]: the page's own texts (`CheckinKey`).

pub mod conversation;
pub mod help;
pub mod notify;
pub mod people;
pub mod state;
pub mod texts;

use crate::ui::later_view::{fetch_after_hydration, later_part, LaterView};
use crate::ui::loaded::Erase;
use help::{HelpPanel, RequestsForMe};
use leptos::prelude::*;
use people::{AcceptInvitation, Invite, PeopleList};
use state::Page;
use texts::{tc, CheckinKey as K};

#[component]
pub fn CheckinPage() -> AnyView {
    let location = leptos_router::hooks::use_location();
    if location.pathname.get_untracked().ends_with("/kontakt-meg") {
        return help::KontaktMeg().erased();
    }
    let page = Page::default();
    provide_context(page);
    #[cfg(feature = "hydrate")]
    {
        let sync = crate::sync::state::use_sync();
        Effect::new(move |_| {
            let account = sync.account.get().map(|a| a.id);
            page.account.set(account);
            // Reading the phone is the `later` chunk's work: it starts once the page is
            // hydrated, as every page's does (`ui::hydration::after`), not in the task that
            // hydrates it, which the frame may not have finished yet (`ui::app`).
            crate::ui::hydration::after(move || {
                leptos::task::spawn_local(state::reload(page));
                state::kick(page);
            });
        });
        crate::sync::checkins::listen(Some(std::rc::Rc::new(move || {
            leptos::task::spawn_local(state::reload(page));
        })));
        on_cleanup(|| crate::sync::checkins::listen(None));
    }
    let part = fetch_after_hydration(checkin_signed_in);
    let signed_in = Memo::new(move |_| page.account.with(Option::is_some));
    view! {
        <h1>{tc(K::Title)}</h1>
        <p class="intro">{tc(K::Intro)}</p>
        <p class="checkin-note">{tc(K::NoWatchdog)}</p>
        // A closure over a memo rather than `<Show>`, which compiles an asynchronous hydration
        // copy of what it holds (`ui::loaded`).
        {move || if signed_in.get() { part.get().erased() } else { view! {
            <p class="checkin-need-account" data-loaded=move || page.loaded.get().to_string()>{tc(K::NeedAccount)} " " <a href="/innstillinger#sync">{crate::i18n::tr(crate::i18n::Key::SyncTitle)}</a></p>
        }.erased() }}
    }
    .erased()
}

later_part!(
    /// The signed-in page, in the `later` chunk (see `ui::later_view`): who is signed in and
    /// their people are known on the phone only, once `later` has read them, so the server
    /// never renders this and nothing hydrates it.
    pub fn checkin_signed_in => draw_signed_in
);

fn draw_signed_in() -> Box<dyn leptos::tachys::view::Mountable> {
    LaterView::boxed(view! {
        <RequestsForMe />
        <HelpPanel />
        <PeopleList />
        // What a card's action met, just below the cards (the forms have their own).
        <state::Notice at=state::NoticeAt::Cards />
        <Invite />
        <AcceptInvitation />
        <notify::PushSetting />
    })
}
