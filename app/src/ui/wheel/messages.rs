//! The wheel's translated names: default areas and questions, scales, answers, statuses.

use crate::i18n::WheelKey;
use crate::model::lang::Lang;
use crate::model::wheel::{
    Answer, AreaBody, CheckItemBody, DefaultArea, DefaultCheck, MeasureStatus, Responsible, Scale,
};

pub fn default_area_name(area: DefaultArea) -> WheelKey {
    match area {
        DefaultArea::Housing => WheelKey::AreaHousing,
        DefaultArea::Money => WheelKey::AreaMoney,
        DefaultArea::WorkSchoolActivity => WheelKey::AreaWorkSchoolActivity,
        DefaultArea::PhysicalHealth => WheelKey::AreaPhysicalHealth,
        DefaultArea::MentalHealth => WheelKey::AreaMentalHealth,
        DefaultArea::SubstanceUse => WheelKey::AreaSubstanceUse,
        DefaultArea::FamilyRelations => WheelKey::AreaFamilyRelations,
        DefaultArea::FriendsNetwork => WheelKey::AreaFriendsNetwork,
        DefaultArea::LeisureInterests => WheelKey::AreaLeisureInterests,
        DefaultArea::DailyLiving => WheelKey::AreaDailyLiving,
        DefaultArea::MeaningFaithValues => WheelKey::AreaMeaningFaithValues,
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

fn default_check_text(check: DefaultCheck) -> WheelKey {
    match check {
        DefaultCheck::Coordinator => WheelKey::CheckCoordinator,
        DefaultCheck::PlanKnown => WheelKey::CheckPlanKnown,
        DefaultCheck::WhoToCall => WheelKey::CheckWhoToCall,
        DefaultCheck::RelativesInvolved => WheelKey::CheckRelativesInvolved,
        DefaultCheck::PartOfDeciding => WheelKey::CheckPartOfDeciding,
        DefaultCheck::ServicesTalk => WheelKey::CheckServicesTalk,
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
pub fn scale_texts(scale: Scale) -> (WheelKey, WheelKey) {
    match scale {
        Scale::Importance => (WheelKey::ScaleImportance, WheelKey::ScaleImportanceHelp),
        Scale::Performance => (WheelKey::ScalePerformance, WheelKey::ScalePerformanceHelp),
        Scale::Satisfaction => (WheelKey::ScaleSatisfaction, WheelKey::ScaleSatisfactionHelp),
    }
}

pub fn answer_text(answer: Answer) -> WheelKey {
    match answer {
        Answer::Yes => WheelKey::AnswerYes,
        Answer::Partly => WheelKey::AnswerPartly,
        Answer::No => WheelKey::AnswerNo,
    }
}

pub fn status_text(status: MeasureStatus) -> WheelKey {
    match status {
        MeasureStatus::Planned => WheelKey::StatusPlanned,
        MeasureStatus::InProgress => WheelKey::StatusInProgress,
        MeasureStatus::Done => WheelKey::StatusDone,
        MeasureStatus::Dropped => WheelKey::StatusDropped,
    }
}

/// "Meg", "Kari (person)", "NAV (tjeneste)".
pub fn responsible_text(responsible: &Responsible, lang: Lang) -> String {
    match responsible {
        Responsible::Me => WheelKey::ResponsibleMe.text(lang).to_owned(),
        Responsible::Person { name } => format!("{name} ({})", WheelKey::ResponsiblePersonShort.text(lang)),
        Responsible::Service { name } => format!("{name} ({})", WheelKey::ResponsibleServiceShort.text(lang)),
    }
}
