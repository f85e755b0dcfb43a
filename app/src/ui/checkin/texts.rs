//! The check-in pages' texts (`app/locales/checkin.{nb,en}.json`, made into [`CheckinKey`]
//! by `build.rs`): a table of their own, so they are in the check-in chunk and not in the
//! main module that every page loads.

use crate::i18n::use_i18n;
use crate::model::lang::Lang;

include!(concat!(env!("OUT_DIR"), "/i18n_checkin_keys.rs"));

/// A reactive check-in text.
pub fn tc(key: CheckinKey) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_i18n().lang;
    move || key.text(leptos::prelude::Get::get(&lang))
}

/// The text now, for building strings (`fill`) inside a reactive closure.
pub fn now_text(key: CheckinKey) -> &'static str {
    key.text(leptos::prelude::Get::get(&use_i18n().lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_say_what_the_issue_asks() {
        assert_eq!(
            CheckinKey::HelpNoneYet.text(Lang::Nb),
            "Ingen har bekreftet ennå."
        );
        assert_eq!(CheckinKey::Ack.text(Lang::Nb), "Jeg tar kontakt");
        assert_eq!(CheckinKey::KontaktMeg.text(Lang::Nb), "Kontakt meg");
        assert_eq!(CheckinKey::StateWaiting.text(Lang::Nb), "Venter på nett");
        assert_ne!(
            CheckinKey::Ack.text(Lang::English),
            CheckinKey::Ack.text(Lang::Nb)
        );
    }
}
