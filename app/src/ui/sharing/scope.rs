//! What a share covers, named for people: the section's name (the user's own, or the
//! default's in the current language), or "Hjulet".

use crate::i18n::SharingKey;
use crate::model::lang::Lang;
use crate::model::plan::Plan;
use crate::sync::protocol::Scope;
use crate::ui::plan::messages::section_name;

/// The scope's name, read from `plan` (the owner's, or the shared records').
pub fn scope_name(scope: &str, plan: Option<&Plan>, lang: Lang) -> String {
    match Scope::parse(scope) {
        Some(Scope::Wheel) => SharingKey::NavWheel.text(lang).to_owned(),
        Some(Scope::Section(id)) => plan
            .and_then(|plan| plan.section(id))
            .map(|section| section_name(&section.body, lang))
            .unwrap_or_else(|| SharingKey::ShareUnknownSection.text(lang).to_owned()),
        None if scope == "checkins" => SharingKey::ConsentScopeCheckins.text(lang).to_owned(),
        None => scope.to_owned(),
    }
}
