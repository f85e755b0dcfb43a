//! Plain-language messages for what the model refuses, in the current language.

use crate::i18n::{fill, PlanKey};
use crate::model::date::DateError;
use crate::model::lang::Lang;
use crate::model::plan::{DefaultSection, EditError, SectionBody};
use crate::model::text::TextError;
use leptos::prelude::{Get, RwSignal};

/// Why a field's value was not saved. Kept as data so the message follows the language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldError {
    Text(TextError),
    Edit(EditError),
    Phone,
    Date(DateError),
    /// A date after today where only today or earlier makes sense (a rating).
    FutureDate,
    /// A measure's person or service without a name.
    ResponsibleName,
}

impl FieldError {
    pub fn message(self, lang: Lang) -> String {
        match self {
            FieldError::Text(TextError::Empty) => PlanKey::ErrorEmpty.text(lang).to_owned(),
            FieldError::Text(TextError::TooLong { max, actual }) => fill(
                PlanKey::ErrorTooLong.text(lang),
                &[("actual", actual.to_string()), ("max", max.to_string())],
            ),
            FieldError::Edit(EditError::SectionFull { max }) => {
                fill(PlanKey::ErrorSectionFull.text(lang), &[("max", max.to_string())])
            }
            FieldError::Edit(EditError::TooManyPhones { max }) => fill(
                PlanKey::ErrorTooManyPhones.text(lang),
                &[("max", max.to_string())],
            ),
            FieldError::Edit(EditError::NameRequired) => PlanKey::ErrorNameRequired.text(lang).to_owned(),
            FieldError::Edit(EditError::NotFound | EditError::AtEdge) => {
                PlanKey::ErrorNotFound.text(lang).to_owned()
            }
            FieldError::Edit(EditError::TooManyAreas { max }) => {
                fill(PlanKey::ErrorTooManyAreas.text(lang), &[("max", max.to_string())])
            }
            FieldError::Edit(EditError::TooManyMeasures { max }) => fill(
                PlanKey::ErrorTooManyMeasures.text(lang),
                &[("max", max.to_string())],
            ),
            FieldError::Edit(EditError::ChecklistFull { max }) => fill(
                PlanKey::ErrorChecklistFull.text(lang),
                &[("max", max.to_string())],
            ),
            FieldError::Edit(EditError::NoScore) => PlanKey::ErrorNoScore.text(lang).to_owned(),
            FieldError::Edit(EditError::NoAnswers) => PlanKey::ErrorNoAnswers.text(lang).to_owned(),
            FieldError::Phone => PlanKey::PhoneInvalid.text(lang).to_owned(),
            FieldError::Date(_) => PlanKey::ErrorDate.text(lang).to_owned(),
            FieldError::FutureDate => PlanKey::ErrorFutureDate.text(lang).to_owned(),
            FieldError::ResponsibleName => PlanKey::ErrorResponsibleName.text(lang).to_owned(),
        }
    }
}

impl From<TextError> for FieldError {
    fn from(e: TextError) -> Self {
        FieldError::Text(e)
    }
}
impl From<DateError> for FieldError {
    fn from(e: DateError) -> Self {
        FieldError::Date(e)
    }
}
impl From<EditError> for FieldError {
    fn from(e: EditError) -> Self {
        FieldError::Edit(e)
    }
}

/// The translated name and help of a default section.
pub fn default_texts(section: DefaultSection) -> (PlanKey, PlanKey) {
    match section {
        DefaultSection::WarningSigns => (PlanKey::SectionWarningSigns, PlanKey::SectionWarningSignsHelp),
        DefaultSection::Triggers => (PlanKey::SectionTriggers, PlanKey::SectionTriggersHelp),
        DefaultSection::SelfHelp => (PlanKey::SectionSelfHelp, PlanKey::SectionSelfHelpHelp),
        DefaultSection::HowToMeetMe => (PlanKey::SectionHowToMeetMe, PlanKey::SectionHowToMeetMeHelp),
        DefaultSection::DoNotWant => (PlanKey::SectionDoNotWant, PlanKey::SectionDoNotWantHelp),
        DefaultSection::OthersCanDo => (PlanKey::SectionOthersCanDo, PlanKey::SectionOthersCanDoHelp),
        DefaultSection::Practical => (PlanKey::SectionPractical, PlanKey::SectionPracticalHelp),
        DefaultSection::Contacts => (PlanKey::SectionContacts, PlanKey::SectionContactsHelp),
        DefaultSection::ReasonsToLive => (PlanKey::SectionReasonsToLive, PlanKey::SectionReasonsToLiveHelp),
        DefaultSection::SafeSurroundings => (
            PlanKey::SectionSafeSurroundings,
            PlanKey::SectionSafeSurroundingsHelp,
        ),
    }
}

/// The name the user sees: their own, or the default's in the current language.
pub fn section_name(body: &SectionBody, lang: Lang) -> String {
    match (&body.name, body.default_key) {
        (Some(name), _) => name.as_str().to_owned(),
        (None, Some(default)) => default_texts(default).0.text(lang).to_owned(),
        (None, None) => String::new(),
    }
}

pub fn section_help(body: &SectionBody, lang: Lang) -> &'static str {
    match body.default_key {
        Some(default) => default_texts(default).1.text(lang),
        None => PlanKey::SectionOwnHelp.text(lang),
    }
}

/// `lang` for what the user wrote: their own words are taken to be bokmål (the app cannot
/// know), so on an English page a screen reader does not read them with an English voice.
pub fn user_lang(lang: RwSignal<Lang>) -> impl Fn() -> Option<&'static str> + Copy + Send + Sync {
    move || (lang.get() == Lang::English).then_some("nb")
}

/// A point in time for the history list, in the phone's local time ("23.11.2026 10:40").
pub fn format_time(ms: u64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        format!(
            "{:02}.{:02}.{} {:02}:{:02}",
            date.get_date(),
            date.get_month() + 1,
            date.get_full_year(),
            date.get_hours(),
            date.get_minutes()
        )
    }
    #[cfg(not(feature = "hydrate"))]
    {
        format!("{ms}")
    }
}

/// Today on this phone, as a calendar day (the phone's own time zone). `None` on the server,
/// which renders no dates so that the HTML is the same for everyone.
pub fn today() -> Option<crate::model::date::Date> {
    #[cfg(feature = "hydrate")]
    {
        let now = js_sys::Date::new_0();
        crate::model::date::Date::new(
            now.get_full_year() as u16,
            now.get_month() as u8 + 1,
            now.get_date() as u8,
        )
        .ok()
    }
    #[cfg(not(feature = "hydrate"))]
    None
}
