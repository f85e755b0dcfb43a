//! *Endret på to enheter*: records a sync found changed on two devices. The merge already
//! chose the later version (nothing is lost: the other is in the record's history); this
//! shows both, and the user keeps the one in force or brings the other back.

use crate::i18n::{tr, use_i18n, Key};
use crate::model::record::{Record, Version};
use crate::sync::engine;
use crate::sync::state::use_sync;
use crate::ui::plan::actions;
use crate::ui::plan::messages::format_time;
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
    let pairs = Memo::new(move |_| {
        sync.conflicts.with(|ids| {
            ids.iter()
                .filter_map(|id| state.record(*id))
                .filter_map(|record| other_version(&record).map(|other| (record, other)))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || pairs.with(|p| !p.is_empty())>
            <section class="conflicts" aria-labelledby="conflicts-title">
                <h2 id="conflicts-title">{tr(Key::ConflictTitle)}</h2>
                <p>{tr(Key::ConflictHelp)}</p>
                <ul>
                    {move || pairs.get().into_iter().map(|(record, other)| {
                        let id = record.id();
                        let kind = record.kind();
                        let deleted = Key::HistoryDeleted.text(lang.get());
                        let now = describe(record.current(), deleted);
                        let then = describe(&other, deleted);
                        let body = other.body.clone();
                        let restorable = !other.deleted;
                        view! {
                            <li class="conflict">
                                <p><span class="conflict-label">{tr(Key::ConflictInForce)}</span> " "
                                    <span class="conflict-current">{now}</span>
                                    " (" {format_time(record.current().hlc.wall_ms)} ")"</p>
                                <p><span class="conflict-label">{tr(Key::ConflictOther)}</span> " "
                                    <span class="conflict-other">{then}</span>
                                    " (" {format_time(other.hlc.wall_ms)} ")"</p>
                                <div class="actions">
                                    <button type="button" on:click=move |_| engine::dismiss_conflict(sync, id)>
                                        {tr(Key::ConflictKeep)}
                                    </button>
                                    <Show when=move || restorable>
                                        {
                                            let body = body.clone();
                                            view! {
                                                <button type="button" on:click=move |_| {
                                                    actions::restore(state, id, kind, body.clone());
                                                    engine::dismiss_conflict(sync, id);
                                                }>{tr(Key::ConflictUseOther)}</button>
                                            }
                                        }
                                    </Show>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
    .into_any()
}
