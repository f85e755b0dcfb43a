//! Every user-facing text, in Norwegian bokmål and English.
//!
//! The texts live in `app/locales/`; `build.rs` turns them into enums, so a missing key
//! fails the build, not the user. [`Key`] (`nb.json`, `en.json`) holds what the frame, the
//! crisis screen and more than one page say; each page has its own table
//! (`plan.nb.json` → [`PlanKey`], `wheel.*` → [`WheelKey`], `sharing.*` → [`SharingKey`],
//! `settings.*` → [`SettingsKey`], and the check-ins' `CheckinKey` in `ui::checkin::texts`),
//! so that its texts travel in the page's wasm chunk. A text used by a second page moves to
//! `Key`. Components get the current language from context ([`use_i18n`]) and call [`tr`]
//! to get a reactive text.

use crate::model::lang::Lang;
use leptos::prelude::*;

include!(concat!(env!("OUT_DIR"), "/i18n_keys.rs"));
include!(concat!(env!("OUT_DIR"), "/i18n_plan_keys.rs"));
include!(concat!(env!("OUT_DIR"), "/i18n_wheel_keys.rs"));
include!(concat!(env!("OUT_DIR"), "/i18n_sharing_keys.rs"));
include!(concat!(env!("OUT_DIR"), "/i18n_settings_keys.rs"));

/// A key of one of the tables above.
pub trait Text: Copy + Send + Sync + 'static {
    fn text(self, lang: Lang) -> &'static str;
}

macro_rules! text_tables {
    ($($table:ident),*) => {
        $(impl Text for $table {
            fn text(self, lang: Lang) -> &'static str {
                $table::text(self, lang)
            }
        })*
    };
}
text_tables!(Key, PlanKey, WheelKey, SharingKey, SettingsKey);

/// The language the UI shows now. Provided once by the app; switched by the language button.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

/// Puts a fresh language signal in context. The server always renders bokmål; the stored
/// choice is applied after hydration (see `ui::language_switch`).
pub fn provide_i18n() -> I18n {
    let i18n = I18n {
        lang: RwSignal::new(Lang::default()),
    };
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// A reactive text: re-evaluates when the language changes.
pub fn tr<K: Text>(key: K) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_i18n().lang;
    move || Text::text(key, lang.get())
}

/// Fills `{name}` placeholders, for texts such as "{n} av {total} deler er tomme".
pub fn fill(text: &str, args: &[(&str, String)]) -> String {
    args.iter().fold(text.to_owned(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_differ_where_they_should() {
        assert_eq!(Key::AppName.text(Lang::Nb), Key::AppName.text(Lang::English));
        assert_ne!(Key::NavPlan.text(Lang::Nb), Key::NavPlan.text(Lang::English));
        assert_eq!(Key::NavPlan.text(Lang::Nb), "Min plan");
    }

    #[test]
    fn placeholders_are_filled_in_both_languages() {
        let args = [("n", "3".to_owned()), ("total", "10".to_owned())];
        assert!(fill(Key::PlanEmptyCount.text(Lang::Nb), &args).starts_with("3 av 10 deler"));
        assert!(fill(Key::PlanEmptyCount.text(Lang::English), &args).starts_with("3 of 10 sections"));
    }

    #[test]
    fn the_update_prompt_says_what_the_issue_asks() {
        assert_eq!(Key::UpdateReady.text(Lang::Nb), "Ny versjon – last inn på nytt");
    }
}
