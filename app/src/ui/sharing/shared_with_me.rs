//! *Delt med meg*: what others share with this user, read-only: exactly the shared records,
//! from the copy kept on the phone (so it works offline after a sync). Opening the page
//! reads them again when online (each read is logged for the owner); a share that ended is
//! gone from the phone at the next sync. The shares are drawn in the browser only, from the
//! `later` chunk (`ui::later_view`): the server has none of them.

use super::content::{shared_lines, shared_view};
use super::scope::scope_name;
use crate::i18n::{fill, tr, use_i18n, SharingKey};
use crate::model::date::Date;
use crate::model::plan::Plan;
use crate::model::record::Record;
use crate::sync::engine;
use crate::sync::protocol::SharedBundle;
use crate::sync::state::use_sync;
use crate::ui::later_view::{fetch_after_hydration, later_part, Drawn, DrawnEach, LaterView};
use crate::ui::loaded::Erase;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn SharedWithMePage() -> impl IntoView {
    let sync = use_sync();
    let offline = RwSignal::new(false);
    Effect::new(move |_| {
        if sync.account.with(Option::is_some) {
            spawn_local(async move {
                offline.set(engine::read_shared(sync).await.is_err());
            });
        }
    });
    // What is shared is on the phone (and who is signed in), never on the server: drawn in
    // the browser from the `later` chunk (`ui::later_view`), as the plan is.
    let part = fetch_after_hydration(shared_part);
    view! {
        <h1>{tr(SharingKey::SharedWithMeTitle)}</h1>
        <p class="intro">{tr(SharingKey::SharedWithMeIntro)}</p>
        // Closures rather than `<Show>`, which compiles an asynchronous hydration copy of what
        // it holds (`ui::loaded`).
        {move || offline.get().then(|| view! { <p class="note" role="status">{tr(SharingKey::SharedWithMeCached)}</p> })}
        {move || match part.get() {
            Some(part) => part.erased(),
            None => view! { <p>{tr(SharingKey::SharedLoading)}</p> }.erased(),
        }}
    }
    .erased()
}

later_part!(
    /// The shares themselves, in the `later` chunk with the code that reads them.
    pub fn shared_part => draw
);

fn draw() -> Box<dyn leptos::tachys::view::Mountable> {
    let sync = use_sync();
    let lang = use_i18n().lang;
    LaterView::boxed(move || match sync.shared.get() {
        _ if sync.account.with(Option::is_none) => view! {
            <section class="empty-state">
                <p>{tr(SharingKey::SharingNeedsAccount)}</p>
                <p><a href="/innstillinger#sync">{tr(SharingKey::SyncTitle)}</a></p>
            </section>
        }
        .drawn(),
        None => view! { <p>{tr(SharingKey::SharedLoading)}</p> }.drawn(),
        Some(bundles) if bundles.is_empty() => view! {
            <section class="empty-state"><p>{tr(SharingKey::SharedWithMeEmpty)}</p></section>
        }
        .drawn(),
        Some(bundles) => bundles
            .into_iter()
            .map(|bundle| view! { <SharedBundleView bundle lang=lang.get() /> })
            .drawn_each()
            .drawn(),
    })
}

#[component]
fn SharedBundleView(bundle: SharedBundle, lang: crate::model::lang::Lang) -> impl IntoView {
    let records: Vec<Record> = bundle
        .records
        .iter()
        .map(|r| Record::new(r.id, r.kind, r.version.clone()))
        .collect();
    let plan = Plan::from_records(&records);
    let what = scope_name(&bundle.share.scope, Some(&plan), lang);
    let heading = fill(
        SharingKey::SharedFrom.text(lang),
        &[("who", bundle.share.owner.clone()), ("what", what)],
    );
    let until = bundle
        .share
        .until
        .as_deref()
        .and_then(|u| Date::parse(u).ok())
        .map(|d| fill(SharingKey::ShareUntil.text(lang), &[("date", d.display_nb())]));
    let body = shared_view(shared_lines(&bundle.share.scope, &records, lang), lang);
    view! {
        <section class="shared-bundle" data-scope=bundle.share.scope.clone()>
            <h2>{heading}</h2>
            {until.map(|u| view! { <p class="share-until">{u}</p> })}
            {body}
        </section>
    }
    .drawn()
}
