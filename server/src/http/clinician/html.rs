//! The clinician pages' HTML: escaping, the page frame, texts in two languages, Norwegian
//! dates and times. No inline style or script anywhere (the CSP allows neither).

use app::model::lang::Lang;
use axum::http::header::{HeaderValue, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The stylesheet, served at [`STYLESHEET`] (screen and print).
pub const CSS: &str = include_str!("clinician.css");
pub const STYLESHEET: &str = "/behandler/stil.css";

/// Our stylesheet, a form to our own origin, inline SVG: nothing else.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
     base-uri 'none'; frame-ancestors 'none'";

/// Escapes text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A text in the page's language: `t.s("Mine brukere", "My people")`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct T(pub Lang);

impl T {
    pub fn s(self, nb: &'static str, en: &'static str) -> &'static str {
        match self.0 {
            Lang::Nb => nb,
            Lang::English => en,
        }
    }

    pub fn lang(self) -> Lang {
        self.0
    }
}

/// A whole page: never stored by anyone (`no-store`), under the strict policy.
pub fn page(t: T, status: StatusCode, title: &str, nav: bool, body: &str) -> Response {
    let lang = t.0.code();
    let other = t.0.other();
    let nav = if nav {
        format!(
            "<nav aria-label=\"{}\"><a href=\"/behandler\">{}</a> \
             <form method=\"post\" action=\"/behandler/logg-ut\" class=\"inline\"><button type=\"submit\">{}</button></form></nav>",
            t.s("Behandlermeny", "Clinician menu"),
            t.s("Mine brukere", "My people"),
            t.s("Logg ut", "Log out"),
        )
    } else {
        String::new()
    };
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\">\
         <title>{title} – Tillit</title><link rel=\"stylesheet\" href=\"{STYLESHEET}\"></head>\
         <body><header class=\"top\"><p class=\"brand\">Tillit · {role}</p>{nav}\
         <a class=\"lang\" href=\"/behandler/sprak/{other_code}\" lang=\"{other_code}\" hreflang=\"{other_code}\">{other_name}</a></header>\
         <main id=\"main\">{body}</main></body></html>",
        title = esc(title),
        role = t.s("for behandlere", "for clinicians"),
        other_code = other.code(),
        other_name = match other {
            Lang::Nb => "Norsk",
            Lang::English => "English",
        },
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    response
}

/// A civil date from days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Days since 1970-01-01 of a civil date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = y - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// 01:00 UTC on the last Sunday of a month (when summer time starts or ends in Europe).
fn last_sunday_1am_utc_ms(year: i64, month: i64) -> i64 {
    let next = if month == 12 {
        days_from_civil(year + 1, 1, 1)
    } else {
        days_from_civil(year, month + 1, 1)
    };
    let last = next - 1;
    // 1970-01-01 was a Thursday: (days + 4) mod 7 is the weekday, 0 = Sunday.
    let sunday = last - (last + 4).rem_euclid(7);
    sunday * 86_400_000 + 3_600_000
}

/// The time in Norway (Europe/Oslo: UTC+1, UTC+2 in summer) as (year, month, day, hour,
/// minute).
pub(crate) fn oslo(ms: i64) -> (i64, i64, i64, i64, i64) {
    let (year, _, _) = civil(ms.div_euclid(86_400_000));
    let summer = ms >= last_sunday_1am_utc_ms(year, 3) && ms < last_sunday_1am_utc_ms(year, 10);
    let local = ms + if summer { 2 } else { 1 } * 3_600_000;
    let (y, m, d) = civil(local.div_euclid(86_400_000));
    let minutes = local.rem_euclid(86_400_000) / 60_000;
    (y, m, d, minutes / 60, minutes % 60)
}

/// "26.11.2026" in Norway.
pub fn date(ms: i64) -> String {
    let (y, m, d, _, _) = oslo(ms);
    format!("{d:02}.{m:02}.{y:04}")
}

/// "26.11.2026 kl. 14:05" in Norway ("at" in English).
pub fn date_time(t: T, ms: i64) -> String {
    let (y, m, d, h, min) = oslo(ms);
    format!("{d:02}.{m:02}.{y:04} {} {h:02}:{min:02}", t.s("kl.", "at"))
}

/// A stored `YYYY-MM-DD` as `dd.mm.yyyy`.
pub fn day(text: &str) -> String {
    app::model::date::Date::parse(text)
        .map(|d| d.display_nb())
        .unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_could_open_markup() {
        assert_eq!(esc("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }

    #[test]
    fn norwegian_time_follows_summer_time() {
        // 2026-03-29 00:30 UTC is 01:30 in Oslo (winter); 01:30 UTC is 03:30 (summer).
        assert_eq!(date_time(T(Lang::Nb), 1_774_744_200_000), "29.03.2026 kl. 01:30");
        assert_eq!(date_time(T(Lang::Nb), 1_774_747_800_000), "29.03.2026 kl. 03:30");
        // 2026-11-26 23:30 UTC is already the 27th in Oslo.
        assert_eq!(date(1_795_735_800_000), "27.11.2026");
        assert_eq!(day("2026-12-01"), "01.12.2026");
    }
}
