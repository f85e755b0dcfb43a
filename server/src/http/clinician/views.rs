//! The clinician pages' content. Records are read into the app's own model (`Plan`,
//! `Wheel`), so the clinician sees what the user wrote exactly as the app shows it, and the
//! default names come from the app's texts. Changes since last seen are marked in words
//! ("Ny", "Endret", "Fjernet"), never by colour alone.

use super::html::{self, esc, T};
use super::{Person, Read};
use crate::clinician::seen::{self, Change};
use crate::clinician::Clinician;
use crate::sharing::Scope;
use app::i18n::{Key, PlanKey, WheelKey};
use app::model::plan::{DefaultSection, Plan, SectionView};
use app::model::record::{Kind, Record, RecordId};
use app::model::wheel::{AreaBody, CheckItemBody, CheckRoundBody, MeasureBody, RatingBody, Scale, Wheel};
use app::ui::plan::messages::section_name;
use app::ui::wheel::messages::{area_name, check_text, responsible_text, scale_texts, status_text};
use axum::http::StatusCode;
use axum::response::Response;
use std::collections::BTreeMap;
use std::fmt::Write;

fn form_error(error: Option<&str>) -> String {
    error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", esc(e)))
        .unwrap_or_default()
}

pub fn login(t: T, status: StatusCode, error: Option<&str>) -> Response {
    let body = format!(
        "<h1>{title}</h1><p>{intro}</p>{error}\
         <form method=\"post\" action=\"/behandler/logg-inn\" class=\"stack\">\
         <label for=\"username\">{name}</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required>\
         <label for=\"passphrase\">{pass}</label><input id=\"passphrase\" name=\"passphrase\" type=\"password\" autocomplete=\"current-password\" required>\
         <button type=\"submit\">{next}</button></form>",
        title = t.s("Logg inn som behandler", "Log in as a clinician"),
        intro = t.s(
            "Her ser du det brukerne dine har valgt å dele med deg, og ingenting annet. Alt du ser, står i brukerens logg over hvem som har sett hva.",
            "Here you see what your people chose to share with you, and nothing else. Everything you see is written in the person's log of who has seen what.",
        ),
        error = form_error(error),
        name = t.s("Brukernavn", "Username"),
        pass = t.s("Passfrase", "Passphrase"),
        next = t.s("Neste", "Next"),
    );
    html::page(
        t,
        status,
        t.s("Logg inn som behandler", "Log in as a clinician"),
        false,
        &body,
    )
}

fn code_field(t: T, action: &str, label: &str) -> String {
    format!(
        "<form method=\"post\" action=\"{action}\" class=\"stack\">\
         <label for=\"code\">{label}</label>\
         <input id=\"code\" name=\"code\" autocomplete=\"one-time-code\" inputmode=\"text\" required maxlength=\"20\">\
         <button type=\"submit\">{}</button></form>",
        t.s("Logg inn", "Log in"),
    )
}

pub fn code(t: T, status: StatusCode, error: Option<&str>) -> Response {
    let body = format!(
        "<h1>{}</h1><p>{}</p>{}{}",
        t.s("Engangskode", "One-time code"),
        t.s(
            "Skriv koden fra appen for engangskoder (seks sifre). Har du ikke telefonen, bruk en av gjenopprettingskodene dine.",
            "Type the code from your one-time code app (six digits). Without your phone, use one of your recovery codes.",
        ),
        form_error(error),
        code_field(
            t,
            "/behandler/totp",
            t.s("Kode eller gjenopprettingskode", "Code or recovery code")
        ),
    );
    html::page(t, status, t.s("Engangskode", "One-time code"), false, &body)
}

pub fn enrol(t: T, status: StatusCode, svg: &str, secret: &str, error: Option<&str>) -> Response {
    let body = format!(
        "<h1>{title}</h1><p>{intro}</p><ol class=\"steps\"><li>{one}</li><li>{two}</li></ol>\
         <figure class=\"qr\">{svg}<figcaption>{manual} <code id=\"totp-secret\">{secret}</code></figcaption></figure>\
         {error}{form}",
        title = t.s("Sett opp engangskoder", "Set up one-time codes"),
        intro = t.s(
            "Behandlerkontoer bruker to trinn: passfrasen og en kode som skifter hvert 30. sekund.",
            "Clinician accounts use two steps: the passphrase and a code that changes every 30 seconds.",
        ),
        one = t.s(
            "Skann QR-koden med en app for engangskoder (for eksempel Microsoft Authenticator, Google Authenticator eller FreeOTP).",
            "Scan the QR code with a one-time code app (such as Microsoft Authenticator, Google Authenticator or FreeOTP).",
        ),
        two = t.s("Skriv inn koden appen viser.", "Type the code the app shows."),
        manual = t.s("Kan du ikke skanne? Skriv inn denne nøkkelen:", "Cannot scan? Type this key:"),
        secret = esc(secret),
        error = form_error(error),
        form = code_field(t, "/behandler/totp/oppsett", t.s("Koden fra appen", "The code from the app")),
    );
    html::page(
        t,
        status,
        t.s("Sett opp engangskoder", "Set up one-time codes"),
        false,
        &body,
    )
}

pub fn recovery_codes(t: T, codes: &[String]) -> Response {
    let items: String = codes
        .iter()
        .map(|c| format!("<li><code>{}</code></li>", esc(c)))
        .collect();
    let body = format!(
        "<h1>{}</h1><p>{}</p><ul class=\"recovery-codes\">{items}</ul><p><a href=\"/behandler\">{}</a></p>",
        t.s("Gjenopprettingskoder", "Recovery codes"),
        t.s(
            "Engangskodene er satt opp. Skriv ut eller ta vare på disse kodene: hver kan brukes én gang hvis du mister telefonen. De vises bare nå.",
            "One-time codes are set up. Print or keep these codes: each works once if you lose your phone. They are shown only now.",
        ),
        t.s("Fortsett til Mine brukere", "Continue to My people"),
    );
    html::page(
        t,
        StatusCode::OK,
        t.s("Gjenopprettingskoder", "Recovery codes"),
        true,
        &body,
    )
}

fn records_of(read: &Read) -> Vec<Record> {
    read.records
        .iter()
        .filter_map(|r| {
            Some(Record::new(
                RecordId::parse(&r.id).ok()?,
                Kind::parse(&r.kind).ok()?,
                r.version.clone(),
            ))
        })
        .collect()
}

/// The shared section as the app shows it (a default section never edited has no record,
/// and is filled in as the app does).
fn section_of(read: &Read) -> Option<SectionView> {
    let Scope::Section(id) = read.share.scope else {
        return None;
    };
    Plan::from_records(&records_of(read)).section(id).cloned()
}

fn wheel_of(read: &Read) -> Option<Wheel> {
    (read.share.scope == Scope::Wheel).then(|| Wheel::from_records(&records_of(read)))
}

fn scope_name(t: T, read: &Read) -> String {
    match read.share.scope {
        Scope::Wheel => Key::WheelTitle.text(t.lang()).to_owned(),
        Scope::Section(_) => section_of(read)
            .map(|s| section_name(&s.body, t.lang()))
            .unwrap_or_default(),
        // Never listed for a clinician (`sharing::list` leaves check-ins out).
        Scope::Checkins => String::new(),
    }
}

fn until(t: T, read: &Read) -> String {
    match &read.share.until {
        Some(day) => format!("{} {}", t.s("til og med", "until"), html::day(day)),
        None => t.s("uten sluttdato", "with no end date").to_owned(),
    }
}

/// When anything in the share last changed (by the phone's clock), if anything is there.
fn last_changed(read: &Read) -> Option<i64> {
    read.records.iter().map(|r| r.version.hlc.wall_ms as i64).max()
}

fn area_names(wheel: Option<&Wheel>, t: T) -> BTreeMap<String, String> {
    wheel
        .map(|w| {
            w.areas
                .iter()
                .map(|a| (a.id.to_string(), area_name(&a.body, t.lang())))
                .collect()
        })
        .unwrap_or_default()
}

fn scores_text(t: T, rating: &RatingBody) -> String {
    Scale::ALL
        .iter()
        .filter_map(|s| {
            rating
                .score(*s)
                .map(|score| format!("{} {}", scale_texts(*s).0.text(t.lang()), score.get()))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn measure_text(t: T, m: &MeasureBody) -> String {
    let due = m
        .due
        .map(|d| d.display_nb())
        .unwrap_or_else(|| WheelKey::MeasureNoDue.text(t.lang()).to_owned());
    format!(
        "{} – {} {} – {} – {}",
        m.what.as_str(),
        WheelKey::MeasureResponsible.text(t.lang()),
        responsible_text(&m.responsible, t.lang()),
        due,
        status_text(m.status).text(t.lang())
    )
}

/// One record in words, for the list of changes.
fn describe(t: T, kind: &str, body: &serde_json::Value, areas: &BTreeMap<String, String>) -> String {
    let lang = t.lang();
    let area = |id: &RecordId| areas.get(&id.to_string()).cloned().unwrap_or_default();
    let parsed = match Kind::parse(kind) {
        Ok(Kind::PlanItem) => body["text"].as_str().map(str::to_owned),
        Ok(Kind::PlanSection) => serde_json::from_value(body.clone())
            .ok()
            .map(|b| section_name(&b, lang)),
        Ok(Kind::PlanContact) => body["name"].as_str().map(str::to_owned),
        Ok(Kind::WheelArea) => serde_json::from_value::<AreaBody>(body.clone()).ok().map(|b| {
            let mut text = area_name(&b, lang);
            if let Some(what) = &b.what_matters {
                let _ = write!(
                    text,
                    " – {} {}",
                    WheelKey::AreaWhatMatters.text(lang),
                    what.as_str()
                );
            }
            if let Some(help) = &b.help_wanted {
                let _ = write!(
                    text,
                    " – {} {}",
                    WheelKey::AreaHelpWanted.text(lang),
                    help.as_str()
                );
            }
            text
        }),
        Ok(Kind::WheelRating) => serde_json::from_value::<RatingBody>(body.clone()).ok().map(|b| {
            format!(
                "{}, {}: {}",
                area(&b.area),
                b.date.display_nb(),
                scores_text(t, &b)
            )
        }),
        Ok(Kind::WheelMeasure) => serde_json::from_value::<MeasureBody>(body.clone())
            .ok()
            .map(|b| format!("{}: {}", area(&b.area), measure_text(t, &b))),
        Ok(Kind::WheelCheckItem) => serde_json::from_value::<CheckItemBody>(body.clone())
            .ok()
            .map(|b| check_text(&b, lang)),
        Ok(Kind::WheelCheckRound) => serde_json::from_value::<CheckRoundBody>(body.clone())
            .ok()
            .map(|b| {
                format!(
                    "{} {}: {} %",
                    WheelKey::ChecklistTitle.text(lang),
                    b.date.display_nb(),
                    b.score().map_or("–".to_owned(), |s| s.to_string())
                )
            }),
        _ => None,
    };
    parsed.unwrap_or_else(|| t.s("(kan ikke vises)", "(cannot be shown)").to_owned())
}

/// The hidden field that says which state "Merk som sett" marks.
pub fn digest_of(person: &Person) -> String {
    seen::digest(person.shares.iter().map(|r| (r.share.id.as_str(), &r.snapshot)))
}

fn changed_count(person: &Person) -> usize {
    person.shares.iter().map(|r| r.changes.len()).sum()
}

pub fn list(t: T, me: &Clinician, people: &[Person], status: StatusCode, error: Option<&str>) -> Response {
    let mut body = format!(
        "<h1>{}</h1><p>{} <strong>{}</strong>, {}.</p>",
        t.s("Mine brukere", "My people"),
        t.s("Logget inn som", "Logged in as"),
        esc(&me.username),
        esc(&me.organisation),
    );
    if people.is_empty() {
        let _ = write!(
            body,
            "<p>{}</p>",
            t.s(
                "Ingen deler noe med deg nå. Når en bruker deler, gir de deg en kode du skriver inn under.",
                "Nobody shares anything with you now. When someone shares, they give you a code to type below.",
            )
        );
    } else {
        let _ = write!(
            body,
            "<table class=\"people\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            t.s("De som deler med deg nå", "Who shares with you now"),
            t.s("Bruker", "Person"),
            t.s("Delt med deg", "Shared with you"),
            t.s("Siden sist", "Since last time"),
        );
        for person in people {
            let shared: String = person
                .shares
                .iter()
                .map(|r| format!("<li>{} ({})</li>", esc(&scope_name(t, r)), esc(&until(t, r))))
                .collect();
            let new = person.shares.iter().any(|r| r.seen_ms.is_none());
            let changed = changed_count(person);
            let mark = if changed > 0 {
                format!(
                    "<strong class=\"mark\" data-change=\"changed\">{} {changed}</strong>",
                    t.s("Endringer:", "Changes:")
                )
            } else if new {
                format!(
                    "<strong class=\"mark\">{}</strong>",
                    t.s("Ikke sett ennå", "Not seen yet")
                )
            } else {
                t.s("Ingen endringer", "No changes").to_owned()
            };
            let _ = write!(
                body,
                "<tr><th scope=\"row\"><a href=\"/behandler/brukere/{id}\">{name}</a></th><td><ul class=\"plain\">{shared}</ul></td><td>{mark}</td></tr>",
                id = esc(&person.owner_id),
                name = esc(&person.owner),
            );
        }
        body.push_str("</tbody></table>");
    }
    let _ = write!(
        body,
        "<section aria-labelledby=\"add-code\"><h2 id=\"add-code\">{}</h2>{}\
         <form method=\"post\" action=\"/behandler/koder\" class=\"stack\"><label for=\"invitation\">{}</label>\
         <input id=\"invitation\" name=\"code\" autocomplete=\"off\" maxlength=\"20\" required>\
         <button type=\"submit\">{}</button></form></section>",
        t.s("Legg til med kode", "Add with a code"),
        form_error(error),
        t.s("Koden brukeren ga deg", "The code the person gave you"),
        t.s("Bruk koden", "Use the code"),
    );
    html::page(t, status, t.s("Mine brukere", "My people"), true, &body)
}

fn mark(t: T, change: Option<&Change>) -> String {
    match change {
        Some(Change::Added) => format!(
            "<strong class=\"mark\" data-change=\"added\">{}</strong> ",
            t.s("Ny:", "New:")
        ),
        Some(Change::Changed { .. }) => format!(
            "<strong class=\"mark\" data-change=\"changed\">{}</strong> ",
            t.s("Endret:", "Changed:")
        ),
        _ => String::new(),
    }
}

fn before_text(t: T, change: Option<&Change>, areas: &BTreeMap<String, String>) -> String {
    match change {
        Some(Change::Changed { before }) => format!(
            " <span class=\"before\">({} «{}»)</span>",
            t.s("før:", "before:"),
            esc(&describe(t, &before.kind, &before.body, areas))
        ),
        _ => String::new(),
    }
}

fn removed_items(t: T, read: &Read, kinds: &[&str], areas: &BTreeMap<String, String>) -> String {
    read.changes
        .values()
        .filter_map(|c| match c {
            Change::Removed { before } if kinds.contains(&before.kind.as_str()) => Some(before),
            _ => None,
        })
        .map(|before| {
            format!(
                "<li class=\"removed\"><strong class=\"mark\" data-change=\"removed\">{}</strong> <del>{}</del></li>",
                t.s("Fjernet:", "Removed:"),
                esc(&describe(t, &before.kind, &before.body, areas))
            )
        })
        .collect()
}

fn section_html(t: T, read: &Read, heading: &str) -> String {
    let Some(section) = section_of(read) else {
        return String::new();
    };
    let none = BTreeMap::new();
    let name_change = read.changes.get(&section.id.to_string());
    let mut out = format!(
        "<section class=\"share\" aria-labelledby=\"s-{id}\"><{heading} id=\"s-{id}\">{mark}{name}{before}</{heading}>\
         <p class=\"meta\">{until}{changed}</p>",
        id = esc(&read.share.id),
        mark = mark(t, name_change),
        name = esc(&section_name(&section.body, t.lang())),
        before = before_text(t, name_change, &none),
        until = esc(&until(t, read)),
        changed = last_changed(read)
            .map(|ms| format!(" · {} {}", t.s("sist endret", "last changed"), html::date_time(t, ms)))
            .unwrap_or_default(),
    );
    let removed = removed_items(t, read, &["plan.item"], &none);
    if section.items.is_empty() && removed.is_empty() {
        let _ = write!(out, "<p>{}</p>", PlanKey::SectionEmpty.text(t.lang()));
    } else {
        out.push_str("<ul class=\"items\">");
        for item in &section.items {
            let change = read.changes.get(&item.id.to_string());
            let _ = write!(
                out,
                "<li>{}{}{}</li>",
                mark(t, change),
                esc(item.body.text.as_str()),
                before_text(t, change, &none)
            );
        }
        out.push_str(&removed);
        out.push_str("</ul>");
    }
    out.push_str("</section>");
    out
}

fn change_cell(t: T, area: &app::model::wheel::AreaView, scale: Scale) -> String {
    let Some(latest) = area.latest(scale) else {
        return "–".to_owned();
    };
    let mut cell = latest.get().to_string();
    if let Some(change) = area.change(scale) {
        let delta = change.delta();
        let _ = write!(cell, " ({}{delta}", if delta > 0 { "+" } else { "" });
        if change.is_meaningful() {
            let _ = write!(
                cell,
                ", <strong class=\"mark\">{}</strong>",
                WheelKey::AreaClearChange.text(t.lang())
            );
        }
        cell.push(')');
    }
    cell
}

/// The areas that say something: chosen, rated, with words or measures.
fn telling_areas(wheel: &Wheel) -> Vec<&app::model::wheel::AreaView> {
    wheel
        .visible_areas()
        .filter(|a| {
            a.body.chosen
                || !a.ratings.is_empty()
                || !a.measures.is_empty()
                || a.body.what_matters.is_some()
                || a.body.help_wanted.is_some()
        })
        .collect()
}

fn areas_table(t: T, wheel: &Wheel, read: Option<&Read>) -> String {
    let areas = telling_areas(wheel);
    if areas.is_empty() {
        return format!(
            "<p>{}</p>",
            t.s(
                "Ingen områder er valgt eller vurdert ennå.",
                "No area is chosen or rated yet."
            )
        );
    }
    let mut out = format!(
        "<table class=\"areas\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th>",
        t.s(
            "Siste poeng (1–10) og endring siden første vurdering; «tydelig endring» er 2 poeng eller mer",
            "Latest scores (1–10) and change since the first rating; «clear change» is 2 points or more",
        ),
        t.s("Område", "Area"),
    );
    for scale in Scale::ALL {
        let _ = write!(
            out,
            "<th scope=\"col\">{}</th>",
            scale_texts(scale).0.text(t.lang())
        );
    }
    let _ = write!(
        out,
        "<th scope=\"col\">{}</th></tr></thead><tbody>",
        WheelKey::AreaLastRated.text(t.lang())
    );
    for area in areas {
        let new_ratings = read.map_or(0, |r| {
            area.ratings
                .iter()
                .filter(|x| {
                    matches!(
                        r.changes.get(&x.id.to_string()),
                        Some(Change::Added | Change::Changed { .. })
                    )
                })
                .count()
        });
        let area_change = read.and_then(|r| r.changes.get(&area.id.to_string()));
        let flag = if new_ratings > 0 {
            format!(
                " <strong class=\"mark\" data-change=\"added\">{}</strong>",
                t.s("Ny vurdering", "New rating")
            )
        } else {
            String::new()
        };
        let chosen = if area.body.chosen {
            format!(
                " <span class=\"tag\">{}</span>",
                WheelKey::AreaChosen.text(t.lang())
            )
        } else {
            String::new()
        };
        let mut words = String::new();
        if let Some(what) = &area.body.what_matters {
            let _ = write!(
                words,
                "<br><span class=\"words\">{} {}</span>",
                WheelKey::AreaWhatMatters.text(t.lang()),
                esc(what.as_str())
            );
        }
        if let Some(help) = &area.body.help_wanted {
            let _ = write!(
                words,
                "<br><span class=\"words\">{} {}</span>",
                WheelKey::AreaHelpWanted.text(t.lang()),
                esc(help.as_str())
            );
        }
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}{}{}{chosen}{flag}{words}</th>",
            mark(t, area_change),
            esc(&area_name(&area.body, t.lang())),
            before_text(t, area_change, &BTreeMap::new()),
        );
        for scale in Scale::ALL {
            let _ = write!(out, "<td>{}</td>", change_cell(t, area, scale));
        }
        let last = area
            .ratings
            .last()
            .map(|r| r.body.date.display_nb())
            .unwrap_or_else(|| "–".to_owned());
        let _ = write!(out, "<td>{last}</td></tr>");
    }
    out.push_str("</tbody></table>");
    out
}

fn measures_table(t: T, wheel: &Wheel, read: Option<&Read>, open_only: bool) -> String {
    let mut rows = String::new();
    for area in wheel.visible_areas() {
        for m in &area.measures {
            if open_only && !m.body.status.is_open() {
                continue;
            }
            let change = read.and_then(|r| r.changes.get(&m.id.to_string()));
            let areas = area_names(Some(wheel), t);
            let _ = write!(
                rows,
                "<tr><td>{}{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                mark(t, change),
                esc(m.body.what.as_str()),
                before_text(t, change, &areas),
                esc(&responsible_text(&m.body.responsible, t.lang())),
                m.body
                    .due
                    .map(|d| d.display_nb())
                    .unwrap_or_else(|| WheelKey::MeasureNoDue.text(t.lang()).to_owned()),
                status_text(m.body.status).text(t.lang()),
                esc(&area_name(&area.body, t.lang())),
            );
        }
    }
    if let Some(read) = read {
        let areas = area_names(Some(wheel), t);
        for change in read.changes.values() {
            if let Change::Removed { before } = change {
                if before.kind == "wheel.measure" {
                    let _ = write!(
                        rows,
                        "<tr class=\"removed\"><td colspan=\"5\"><strong class=\"mark\" data-change=\"removed\">{}</strong> <del>{}</del></td></tr>",
                        t.s("Fjernet:", "Removed:"),
                        esc(&describe(t, &before.kind, &before.body, &areas))
                    );
                }
            }
        }
    }
    if rows.is_empty() {
        return format!("<p>{}</p>", WheelKey::MeasuresNone.text(t.lang()));
    }
    format!(
        "<table class=\"measures\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>{rows}</tbody></table>",
        if open_only {
            WheelKey::OpenMeasuresTitle.text(t.lang())
        } else {
            WheelKey::MeasuresTitle.text(t.lang())
        },
        t.s("Hva", "What"),
        t.s("Hovedansvar", "Main responsibility"),
        t.s("Når", "When"),
        WheelKey::MeasureStatus.text(t.lang()),
        t.s("Område", "Area"),
    )
}

fn checklist_text(t: T, wheel: &Wheel) -> String {
    let scores = wheel.checklist_scores();
    match (scores.first(), scores.last()) {
        (Some(first), Some(last)) if scores.len() > 1 => format!(
            "<p>{}: <strong>{} %</strong> ({}); {} {} % ({}).</p>",
            WheelKey::ChecklistTitle.text(t.lang()),
            last.1,
            last.0.display_nb(),
            t.s("første gang", "first time"),
            first.1,
            first.0.display_nb()
        ),
        (_, Some(last)) => format!(
            "<p>{}: <strong>{} %</strong> ({}).</p>",
            WheelKey::ChecklistTitle.text(t.lang()),
            last.1,
            last.0.display_nb()
        ),
        _ => format!(
            "<p>{}: {}</p>",
            WheelKey::ChecklistTitle.text(t.lang()),
            t.s("ikke besvart.", "not answered.")
        ),
    }
}

fn wheel_html(t: T, read: &Read, heading: &str) -> String {
    let Some(wheel) = wheel_of(read) else {
        return String::new();
    };
    format!(
        "<section class=\"share\" aria-labelledby=\"s-{id}\"><{heading} id=\"s-{id}\">{title}</{heading}>\
         <p class=\"meta\">{until}{changed}</p>{areas}{measures}{checklist}</section>",
        id = esc(&read.share.id),
        title = Key::WheelTitle.text(t.lang()),
        until = esc(&until(t, read)),
        changed = last_changed(read)
            .map(|ms| format!(
                " · {} {}",
                t.s("sist endret", "last changed"),
                html::date_time(t, ms)
            ))
            .unwrap_or_default(),
        areas = areas_table(t, &wheel, Some(read)),
        measures = measures_table(t, &wheel, Some(read), false),
        checklist = checklist_text(t, &wheel),
    )
}

fn since_list(t: T, person: &Person) -> String {
    let wheel = person.shares.iter().find_map(wheel_of);
    let areas = area_names(wheel.as_ref(), t);
    let mut items = String::new();
    for read in &person.shares {
        let place = scope_name(t, read);
        for (id, change) in &read.changes {
            let (key, text) = match change {
                Change::Added => continue,
                Change::Changed { before } => {
                    let now = read
                        .records
                        .iter()
                        .find(|r| &r.id == id)
                        .map(|r| describe(t, &r.kind, &r.version.body, &areas))
                        .unwrap_or_default();
                    (
                        "changed",
                        format!(
                            "{} «{}» → «{}»",
                            t.s("Endret:", "Changed:"),
                            esc(&describe(t, &before.kind, &before.body, &areas)),
                            esc(&now)
                        ),
                    )
                }
                Change::Removed { before } => (
                    "removed",
                    format!(
                        "{} «{}»",
                        t.s("Fjernet:", "Removed:"),
                        esc(&describe(t, &before.kind, &before.body, &areas))
                    ),
                ),
            };
            let _ = write!(items, "<li data-change=\"{key}\">{text} – {}</li>", esc(&place));
        }
        for (id, change) in &read.changes {
            if *change == Change::Added {
                if let Some(r) = read.records.iter().find(|r| &r.id == id) {
                    let _ = write!(
                        items,
                        "<li data-change=\"added\">{} «{}» – {}</li>",
                        t.s("Ny:", "New:"),
                        esc(&describe(t, &r.kind, &r.version.body, &areas)),
                        esc(&place)
                    );
                }
            }
        }
    }
    let mut out = format!(
        "<section id=\"siden-sist\" aria-labelledby=\"since\"><h2 id=\"since\">{}</h2>",
        t.s("Siden sist", "Since last time")
    );
    let first = person.shares.iter().all(|r| r.seen_ms.is_none());
    if items.is_empty() {
        let _ = write!(
            out,
            "<p>{}</p>",
            if first {
                t.s(
                    "Første gang du ser dette. Endringer fra nå av merkes her og i teksten.",
                    "The first time you see this. Changes from now on are marked here and in the text.",
                )
            } else {
                t.s(
                    "Ingen endringer siden du merket som sett.",
                    "No changes since you marked it as seen.",
                )
            }
        );
    } else {
        let since = person
            .shares
            .iter()
            .filter_map(|r| r.seen_ms)
            .min()
            .map(|ms| html::date_time(t, ms))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<p>{} {since}:</p><ul class=\"since\">{items}</ul>",
            t.s(
                "Endret siden du merket som sett",
                "Changed since you marked it as seen"
            )
        );
    }
    let _ = write!(
        out,
        "<form method=\"post\" action=\"/behandler/brukere/{}/sett\"><input type=\"hidden\" name=\"digest\" value=\"{}\">\
         <button type=\"submit\">{}</button></form></section>",
        esc(&person.owner_id),
        esc(&digest_of(person)),
        t.s("Merk som sett", "Mark as seen")
    );
    out
}

pub fn person(t: T, person: &Person, changed_meanwhile: bool) -> Response {
    let mut body = format!(
        "<h1>{}</h1><p class=\"readonly\">{}</p><p><a href=\"/behandler/brukere/{}/oppsummering\">{}</a></p>",
        esc(&person.owner),
        t.s(
            "Bare det brukeren har delt med deg, til lesing. Visningen står i brukerens logg.",
            "Only what the person shared with you, read-only. This view is in their log.",
        ),
        esc(&person.owner_id),
        t.s("Overgangsoppsummering (utskrift)", "Handover summary (print)"),
    );
    if changed_meanwhile {
        let _ = write!(
            body,
            "<p class=\"error\" role=\"alert\">{}</p>",
            t.s(
                "Noe ble endret mens du leste, så ingenting ble merket som sett. Se over endringene og merk på nytt.",
                "Something changed while you were reading, so nothing was marked as seen. Look over the changes and mark again.",
            )
        );
    }
    body.push_str(&since_list(t, person));
    for read in &person.shares {
        body.push_str(&section_html(t, read, "h2"));
        body.push_str(&wheel_html(t, read, "h2"));
    }
    html::page(t, StatusCode::OK, &person.owner, true, &body)
}

/// The crisis plan's essentials first, in this order; any other shared section after.
const ESSENTIALS: [DefaultSection; 5] = [
    DefaultSection::WarningSigns,
    DefaultSection::HowToMeetMe,
    DefaultSection::DoNotWant,
    DefaultSection::OthersCanDo,
    DefaultSection::Contacts,
];

pub fn summary(t: T, person: &Person, now_ms: i64) -> Response {
    let first_shared = person
        .shares
        .iter()
        .map(|r| r.share.created_ms)
        .min()
        .unwrap_or(now_ms);
    let shared: String = person
        .shares
        .iter()
        .map(|r| {
            format!(
                "<li>{}: {} {}, {}</li>",
                esc(&scope_name(t, r)),
                t.s("delt", "shared"),
                html::date(r.share.created_ms),
                esc(&until(t, r))
            )
        })
        .collect();
    let mut body = format!(
        "<h1>{} {}</h1><p>{} <strong>{}</strong>. {}</p><ul class=\"compact\">{shared}</ul>",
        t.s("Overgangsoppsummering:", "Handover summary:"),
        esc(&person.owner),
        t.s("Delt av", "Shared by"),
        esc(&person.owner),
        t.s(
            "Skrevet av brukeren selv, med egne ord. Sjekk med brukeren om noe har endret seg.",
            "Written by the person, in their own words. Check with them whether anything has changed.",
        ),
    );
    if let Some(wheel) = person.shares.iter().find_map(wheel_of) {
        let _ = write!(
            body,
            "<h2>{}</h2>{}{}",
            t.s("Hva er viktig for meg", "What matters to me"),
            areas_table(t, &wheel, None),
            checklist_text(t, &wheel)
        );
    }
    let sections: Vec<SectionView> = person.shares.iter().filter_map(section_of).collect();
    if !sections.is_empty() {
        let _ = write!(body, "<h2>{}</h2>", t.s("Kriseplanen", "The crisis plan"));
        let rank = |s: &SectionView| {
            s.body
                .default_key
                .and_then(|k| ESSENTIALS.iter().position(|e| *e == k))
                .unwrap_or(ESSENTIALS.len())
        };
        let mut ordered: Vec<&SectionView> = sections.iter().collect();
        ordered.sort_by_key(|s| (rank(s), s.body.position));
        for section in ordered {
            let items: String = section
                .items
                .iter()
                .map(|i| format!("<li>{}</li>", esc(i.body.text.as_str())))
                .collect();
            let items = if items.is_empty() {
                format!("<p>{}</p>", PlanKey::SectionEmpty.text(t.lang()))
            } else {
                format!("<ul class=\"compact\">{items}</ul>")
            };
            let _ = write!(
                body,
                "<h3>{}</h3>{items}",
                esc(&section_name(&section.body, t.lang()))
            );
        }
    }
    if let Some(wheel) = person.shares.iter().find_map(wheel_of) {
        let _ = write!(
            body,
            "<h2>{}</h2>{}",
            WheelKey::MeasuresTitle.text(t.lang()),
            measures_table(t, &wheel, None, true)
        );
    }
    // On paper the footer is fixed (Chromium repeats it on every page); the layout table's
    // footer row, repeated on every page too, keeps the text from running under it.
    let mut body = format!(
        "<table class=\"print-layout\" role=\"presentation\"><tfoot><tr><td><div class=\"footer-space\"></div></td></tr></tfoot>\
         <tbody><tr><td>{body}</td></tr></tbody></table>"
    );
    let _ = write!(
        body,
        "<p class=\"screen-only\"><a href=\"/behandler/brukere/{}\">{}</a></p>\
         <footer class=\"print-footer\"><p>{} {} {} – {} · {} {}</p></footer>",
        esc(&person.owner_id),
        t.s("Tilbake", "Back"),
        t.s("Delt av", "Shared by"),
        esc(&person.owner),
        html::date(first_shared),
        t.s("kan være utdatert", "may be out of date"),
        t.s("Skrevet ut", "Printed"),
        html::date_time(t, now_ms),
    );
    let title = format!(
        "{} {}",
        t.s("Overgangsoppsummering:", "Handover summary:"),
        person.owner
    );
    html::page(t, StatusCode::OK, &title, true, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::lang::Lang;
    use serde_json::json;

    #[test]
    fn records_are_described_in_words() {
        let t = T(Lang::Nb);
        let areas = BTreeMap::new();
        assert_eq!(describe(t, "plan.item", &json!({"text": "sove"}), &areas), "sove");
        let measure = json!({"area": "0190a000-0000-7000-8000-000000000001", "what": "Søke bostøtte",
            "responsible": {"kind": "me"}, "due": "2026-12-01", "status": "planned", "position": 1});
        let text = describe(t, "wheel.measure", &measure, &areas);
        assert!(
            text.contains("Søke bostøtte") && text.contains("01.12.2026"),
            "{text}"
        );
        assert_eq!(describe(t, "plan.item", &json!({}), &areas), "(kan ikke vises)");
    }
}
