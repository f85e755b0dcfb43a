//! *Endret på to telefoner*: records a sync found changed on two phones, shown on both (the
//! one whose edit is in force and the one whose edit lost, see `sync::engine`). The merge
//! already chose the later version (nothing is lost: the other is in the record's history);
//! this says where (the section, or the wheel), shows both texts with the phone and time
//! each came from, and the user keeps the one in force or brings the other back.

use crate::i18n::{fill, tr, use_i18n, Key};
use crate::model::lang::Lang;
use crate::model::plan::DefaultSection;
use crate::model::plan::Plan;
use crate::model::record::{Kind, Record, RecordId, Version};
use crate::sync::engine;
use crate::sync::state::use_sync;
use crate::ui::events::click_handler;
use crate::ui::later_view::{shown, Drawn, DrawnEach};
use crate::ui::plan::actions;
use crate::ui::plan::messages::{format_time, section_name, user_lang};
use crate::ui::plan::state::use_plan;
use leptos::prelude::*;

/// A version in a few words: its text or name if it has one, else its fields.
fn describe(version: &Version, deleted: &'static str) -> String {
    if version.deleted {
        return deleted.to_owned();
    }
    let body = &version.body;
    ["text", "name", "what", "question", "matters"]
        .iter()
        .find_map(|field| body.get(field).and_then(|v| v.as_str()))
        .map(str::to_owned)
        .unwrap_or_else(|| body.to_string())
        .chars()
        .take(200)
        .collect()
}

/// Where the record is, in the words the user sees: its section's name (the plan itself for
/// a section, the wheel for the wheel's records).
fn place(record: &Record, other: &Version, plan: Option<&Plan>, lang: Lang) -> String {
    let section = |id: Option<RecordId>| {
        plan.and_then(|plan| plan.sections.iter().find(|s| Some(s.id) == id))
            .map(|s| section_name(&s.body, lang))
    };
    let found = match record.kind() {
        Kind::PlanItem => section([record.current(), other].iter().find_map(|v| {
            v.body
                .get("section")?
                .as_str()
                .and_then(|id| RecordId::parse(id).ok())
        })),
        Kind::PlanContact => section(Some(DefaultSection::Contacts.record_id())),
        Kind::PlanSection => Some(Key::PlanTitle.text(lang).to_owned()),
        _ => Some(Key::WheelTitle.text(lang).to_owned()),
    };
    found.unwrap_or_else(|| Key::PlanTitle.text(lang).to_owned())
}

/// "Skrevet på denne telefonen 26.11.2026 10:40" or "… på en annen telefon …".
fn source(version: &Version, device: Option<&str>, lang: Lang) -> String {
    let key = if device == Some(version.hlc.device.as_str()) {
        Key::ConflictFromThis
    } else {
        Key::ConflictFromOther
    };
    fill(key.text(lang), &[("time", format_time(version.hlc.wall_ms))])
}

/// The version from another device that lost to `current`, the newest such.
fn other_version(record: &Record) -> Option<Version> {
    let current = record.current();
    record
        .history()
        .iter()
        .filter(|v| v.hlc.device != current.hlc.device)
        .max_by(|a, b| a.hlc.cmp(&b.hlc))
        .cloned()
}

#[component]
pub fn ConflictList() -> impl IntoView {
    let sync = use_sync();
    let state = use_plan();
    let lang = use_i18n().lang;
    // A conflict settled on the other phone (both now say the same) asks nothing more.
    let pairs = Memo::new(move |_| {
        let deleted = Key::HistoryDeleted.text(lang.get());
        sync.conflicts.with(|ids| {
            ids.iter()
                .filter_map(|id| state.record(*id))
                .filter_map(|record| other_version(&record).map(|other| (record, other)))
                .filter(|(record, other)| describe(record.current(), deleted) != describe(other, deleted))
                .collect::<Vec<_>>()
        })
    });
    let user_lang = user_lang(lang);
    view! {
        {shown(move || pairs.with(|p| !p.is_empty()), move || view! {
            <section class="conflicts" aria-labelledby="conflicts-title">
                <h2 id="conflicts-title">{tr(Key::ConflictTitle)}</h2>
                <p>{tr(Key::ConflictHelp)}</p>
                <ul>
                    {move || pairs.get().into_iter().map(|(record, other)| {
                        let id = record.id();
                        let kind = record.kind();
                        let lang_now = lang.get();
                        let deleted = Key::HistoryDeleted.text(lang_now);
                        let now = describe(record.current(), deleted);
                        let then = describe(&other, deleted);
                        let device = state.device.get();
                        let now_from = source(record.current(), device.as_deref(), lang_now);
                        let then_from = source(&other, device.as_deref(), lang_now);
                        let place = state.plan.with(|plan| place(&record, &other, plan.as_ref(), lang_now));
                        let place = fill(Key::ConflictWhere.text(lang_now), &[("place", place)]);
                        let body = other.body.clone();
                        let restorable = !other.deleted;
                        view! {
                            <li class="conflict">
                                <h3 class="conflict-place">{place}</h3>
                                <p><span class="conflict-label">{tr(Key::ConflictInForce)}</span> " "
                                    <span class="conflict-current" lang=user_lang>{now}</span>
                                    <br /><span class="conflict-source">{now_from}</span></p>
                                <p><span class="conflict-label">{tr(Key::ConflictOther)}</span> " "
                                    <span class="conflict-other" lang=user_lang>{then}</span>
                                    <br /><span class="conflict-source">{then_from}</span></p>
                                <div class="actions">
                                    <button type="button" on:click=click_handler(move |_| engine::dismiss_conflict(sync, id))>
                                        {tr(Key::ConflictKeep)}
                                    </button>
                                    {restorable.then(|| view! {
                                        <button type="button" on:click=click_handler(move |_| {
                                            actions::restore(state, id, kind, body.clone());
                                            engine::dismiss_conflict(sync, id);
                                        })>{tr(Key::ConflictUseOther)}</button>
                                    }.drawn())}
                                </div>
                            </li>
                        }
                    }).drawn_each()}
                </ul>
            </section>
        }.drawn())}
    }
    .drawn()
}
