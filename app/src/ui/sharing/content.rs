//! What a share shows, drawn from records: the recipient's view on *Delt med meg* (from the
//! shared records), and the preview before sharing (from the owner's own records), so the
//! preview is exactly what the other person will see.
//!
//! Reading the records ([`shared_lines`]) is apart from drawing them ([`shared_view`]): the
//! preview reads them through a lazily loaded function, so building the wheel is not part of
//! the *Deling* page's first load (it is needed only after "Del" is pressed).

use crate::i18n::{fill, tr, SharingKey};
use crate::model::lang::Lang;
use crate::model::plan::Plan;
use crate::model::record::Record;
use crate::model::wheel::{Scale, Wheel};
use crate::sync::protocol::Scope;
use crate::ui::later_view::{Drawn, DrawnEach, DrawnView};
use crate::ui::plan::messages::section_name;
use crate::ui::wheel::messages::area_name;
use leptos::prelude::*;

/// The shared content of a scope, as text.
#[derive(Clone, Debug, PartialEq)]
pub enum SharedLines {
    /// A section: its name and items.
    Section { name: String, items: Vec<String> },
    /// The wheel: the chosen areas with their latest "how it is going" score.
    Wheel(Vec<(String, Option<u8>)>),
    /// Nothing readable (an unknown scope).
    Nothing,
}

pub fn shared_lines(scope: &str, records: &[Record], lang: Lang) -> SharedLines {
    match Scope::parse(scope) {
        Some(Scope::Section(id)) => {
            let plan = Plan::from_records(records);
            let section = plan.section(id);
            SharedLines::Section {
                name: section.map(|s| section_name(&s.body, lang)).unwrap_or_default(),
                items: section
                    .map(|s| s.items.iter().map(|i| i.body.text.as_str().to_owned()).collect())
                    .unwrap_or_default(),
            }
        }
        Some(Scope::Wheel) => SharedLines::Wheel(
            Wheel::from_records(records)
                .visible_areas()
                .filter(|a| a.body.chosen)
                .map(|a| {
                    (
                        area_name(&a.body, lang),
                        a.latest(Scale::Performance).map(|s| s.get()),
                    )
                })
                .collect(),
        ),
        None => SharedLines::Nothing,
    }
}

crate::later::in_later_chunk! {
    /// [`shared_lines`] for the preview, in the `later` chunk (see `crate::later`): building
    /// the wheel or a section from records is not on *Deling*'s first load.
    pub async fn shared_lines_later(scope: String, records: Vec<Record>, lang: Lang) -> SharedLines {
        shared_lines(&scope, &records, lang)
    }
}

pub fn shared_view(lines: SharedLines, lang: Lang) -> DrawnView {
    match lines {
        SharedLines::Section { name, items } => view! {
            <h3>{name}</h3>
            {if items.is_empty() {
                view! { <p>{tr(SharingKey::SharedNothingYet)}</p> }.drawn()
            } else {
                // The owner's own words: bokmål, whatever the page's language.
                let user_lang = (lang == Lang::English).then_some("nb");
                view! { <ul class="shared-items">{items.into_iter().map(|t| view! { <li lang=user_lang>{t}</li> }).drawn_each()}</ul> }.drawn()
            }}
        }
        .drawn(),
        SharedLines::Wheel(areas) => view! {
            <ul class="shared-areas">
                {areas.into_iter().map(|(name, score)| view! {
                    <li>
                        <strong>{name}</strong>
                        {score.map(|s| view! { ": " {fill(SharingKey::SharedScore.text(lang), &[("n", s.to_string())])} })}
                    </li>
                }).drawn_each()}
            </ul>
        }
        .drawn(),
        SharedLines::Nothing => view! { <p>{tr(SharingKey::SharedNothingYet)}</p> }.drawn(),
    }
}
