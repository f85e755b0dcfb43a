//! The wheel's translated names: default areas and questions, scales, answers, statuses.

use crate::i18n::Key;
use crate::model::lang::Lang;
use crate::model::wheel::{
    Answer, AreaBody, CheckItemBody, DefaultArea, DefaultCheck, MeasureStatus, Responsible, Scale,
};

pub fn default_area_name(area: DefaultArea) -> Key {
    match area {
        DefaultArea::Housing => Key::AreaHousing,
        DefaultArea::Money => Key::AreaMoney,
        DefaultArea::WorkSchoolActivity => Key::AreaWorkSchoolActivity,
        DefaultArea::PhysicalHealth => Key::AreaPhysicalHealth,
        DefaultArea::MentalHealth => Key::AreaMentalHealth,
        DefaultArea::SubstanceUse => Key::AreaSubstanceUse,
        DefaultArea::FamilyRelations => Key::AreaFamilyRelations,
        DefaultArea::FriendsNetwork => Key::AreaFriendsNetwork,
        DefaultArea::LeisureInterests => Key::AreaLeisureInterests,
        DefaultArea::DailyLiving => Key::AreaDailyLiving,
        DefaultArea::MeaningFaithValues => Key::AreaMeaningFaithValues,
    }
}

/// The name the user sees: their own, or the default's in the current language.
pub fn area_name(body: &AreaBody, lang: Lang) -> String {
    match (&body.name, body.default_key) {
        (Some(name), _) => name.as_str().to_owned(),
        (None, Some(default)) => default_area_name(default).text(lang).to_owned(),
        (None, None) => String::new(),
    }
}

fn default_check_text(check: DefaultCheck) -> Key {
    match check {
        DefaultCheck::Coordinator => Key::CheckCoordinator,
        DefaultCheck::PlanKnown => Key::CheckPlanKnown,
        DefaultCheck::WhoToCall => Key::CheckWhoToCall,
        DefaultCheck::RelativesInvolved => Key::CheckRelativesInvolved,
        DefaultCheck::PartOfDeciding => Key::CheckPartOfDeciding,
        DefaultCheck::ServicesTalk => Key::CheckServicesTalk,
    }
}

pub fn check_text(body: &CheckItemBody, lang: Lang) -> String {
    match (&body.text, body.default_key) {
        (Some(text), _) => text.as_str().to_owned(),
        (None, Some(default)) => default_check_text(default).text(lang).to_owned(),
        (None, None) => String::new(),
    }
}

/// A scale's name and its one plain sentence.
pub fn scale_texts(scale: Scale) -> (Key, Key) {
    match scale {
        Scale::Importance => (Key::ScaleImportance, Key::ScaleImportanceHelp),
        Scale::Performance => (Key::ScalePerformance, Key::ScalePerformanceHelp),
        Scale::Satisfaction => (Key::ScaleSatisfaction, Key::ScaleSatisfactionHelp),
    }
}

pub fn answer_text(answer: Answer) -> Key {
    match answer {
        Answer::Yes => Key::AnswerYes,
        Answer::Partly => Key::AnswerPartly,
        Answer::No => Key::AnswerNo,
    }
}

pub fn status_text(status: MeasureStatus) -> Key {
    match status {
        MeasureStatus::Planned => Key::StatusPlanned,
        MeasureStatus::InProgress => Key::StatusInProgress,
        MeasureStatus::Done => Key::StatusDone,
        MeasureStatus::Dropped => Key::StatusDropped,
    }
}

/// "Meg", "Kari (person)", "NAV (tjeneste)".
pub fn responsible_text(responsible: &Responsible, lang: Lang) -> String {
    match responsible {
        Responsible::Me => Key::ResponsibleMe.text(lang).to_owned(),
        Responsible::Person { name } => format!("{name} ({})", Key::ResponsiblePersonShort.text(lang)),
        Responsible::Service { name } => format!("{name} ({})", Key::ResponsibleServiceShort.text(lang)),
    }
}
