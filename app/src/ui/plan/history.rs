//! Earlier versions of one record (an item, a section, a contact): when, on which device,
//! what it said, and a button to bring it back. Restoring writes that body again as the
//! newest version, so nothing in between is lost either.

use super::actions;
use super::messages::format_time;
use super::state::use_plan;
use crate::i18n::{tr, PlanKey};
use crate::model::record::{Kind, RecordId};
use crate::ui::events::click_handler;
use crate::ui::later_view::{shown_or, Drawn, DrawnEach};
use leptos::prelude::*;

#[component]
pub fn HistoryList(
    id: RecordId,
    kind: Kind,
    describe: fn(&serde_json::Value) -> Option<String>,
) -> impl IntoView {
    let state = use_plan();
    let versions = Memo::new(move |_| {
        let Some(record) = state.record(id) else {
            return Vec::new();
        };
        let mut earlier: Vec<_> = record.history().to_vec();
        earlier.reverse();
        earlier
    });
    let user_lang = super::messages::user_lang(crate::i18n::use_i18n().lang);
    view! {
        <details class="history">
            <summary>{tr(PlanKey::History)}</summary>
            {shown_or(move || versions.with(|v| !v.is_empty()), move || view! {
                <ol class="history-list">
                    {move || {
                        versions
                            .get()
                            .into_iter()
                            .map(|version| {
                                let own = state.device.with_untracked(|d| d.as_deref() == Some(version_device(&version)));
                                let when = format_time(version.hlc.wall_ms);
                                let text = (!version.deleted).then(|| describe(&version.body)).flatten();
                                let deleted = version.deleted;
                                let body = version.body.clone();
                                view! {
                                    <li>
                                        <span class="history-meta">
                                            {when} ", "
                                            {if own { tr(PlanKey::HistoryThisDevice) } else { tr(PlanKey::HistoryOtherDevice) }}
                                        </span>
                                        <span class="history-text" lang=user_lang>
                                            {if deleted {
                                                tr(PlanKey::HistoryDeleted).drawn()
                                            } else {
                                                text.unwrap_or_default().drawn()
                                            }}
                                        </span>
                                        {(!deleted).then(|| view! {
                                            <button
                                                type="button"
                                                on:click=click_handler(move |_| actions::restore(state, id, kind, body.clone()))
                                            >
                                                {tr(PlanKey::HistoryRestore)}
                                            </button>
                                        })}
                                    </li>
                                }
                            })
                            .drawn_each()
                    }}
                </ol>
            }.drawn(), || view! { <p>{tr(PlanKey::HistoryNone)}</p> }.drawn())}
        </details>
    }
}

fn version_device(version: &crate::model::record::Version) -> &str {
    version.hlc.device.as_str()
}
