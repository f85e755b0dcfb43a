//! The authorization policy, as one table: every signed-in endpoint × every kind of caller →
//! the status they get. Then the access log holds exactly one row per allowed read by
//! someone other than the owner, and sync never hands anyone the owner's records.

use crate::both_databases;
use crate::helpers::TestApp;
use crate::sharing::{account, area, call, item, live_share, push, section, OTHER_SECTION, SECTION};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Who is asking. Everyone but the owner and the stranger holds (or held) a share of Kari's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    /// No session.
    Anonymous,
    /// Kari, whose data it is.
    Owner,
    /// Ola: a live share of section A.
    Recipient,
    /// Per: a live share of section B only.
    OtherSection,
    /// Randi: had a share of section A; Kari revoked it.
    Revoked,
    /// Erik: had a share of section A; its last day is past.
    Expired,
    /// Siri: an account, and no share at all.
    Stranger,
}

use Who::*;

const WHO: [Who; 7] = [
    Anonymous,
    Owner,
    Recipient,
    OtherSection,
    Revoked,
    Expired,
    Stranger,
];

/// `{mine}` is the caller's own share of section A (Ola's for those without one);
/// `{spare}` is another share of Kari's, for the revocation row.
#[rustfmt::skip]
const POLICY: &[(&str, &str, &str, [u16; 7])] = &[
    //                                                                   anon owner recip other revok expir stranger
    ("POST",   "/api/v1/sync",                  r#"{"device":"d"}"#,     [401, 200, 200, 200, 200, 200, 200]),
    ("GET",    "/api/v1/account",               "",                      [401, 200, 200, 200, 200, 200, 200]),
    ("GET",    "/api/v1/shares",                "",                      [401, 200, 200, 200, 200, 200, 200]),
    ("POST",   "/api/v1/shares",                r#"{"scope":"wheel"}"#,  [401, 201, 201, 201, 201, 201, 201]),
    ("POST",   "/api/v1/shares/accept",         r#"{"code":"AAAA-AAAA"}"#, [401, 404, 404, 404, 404, 404, 404]),
    ("GET",    "/api/v1/shares/{mine}/records", "",                      [401, 200, 200, 404, 404, 404, 404]),
    ("GET",    "/api/v1/shared",                "",                      [401, 200, 200, 200, 200, 200, 200]),
    ("GET",    "/api/v1/consent-log",           "",                      [401, 200, 200, 200, 200, 200, 200]),
    ("GET",    "/api/v1/access-log",            "",                      [401, 200, 200, 200, 200, 200, 200]),
    ("DELETE", "/api/v1/shares/{mine}",         "",                      [401, 204, 404, 404, 404, 404, 404]),
    ("DELETE", "/api/v1/shares/{spare}",        "",                      [401, 204, 404, 404, 404, 404, 404]),
];
// The owner's revocations run after every other cell, so that revoking does not change
// what the other rows see.

both_databases!(the_authorization_matrix, |app: TestApp| async move {
    let kari = account(&app, "kari").await;
    push(
        &app,
        &kari,
        vec![
            section(SECTION, 10, "A"),
            section(OTHER_SECTION, 10, "B"),
            item(1, 10, SECTION, "i A"),
            item(2, 10, OTHER_SECTION, "i B"),
            area(3, 10, "Jobb"),
        ],
    )
    .await;
    let a = format!("section:{SECTION}");
    let b = format!("section:{OTHER_SECTION}");
    let ola = account(&app, "ola").await;
    let per = account(&app, "per").await;
    let randi = account(&app, "randi").await;
    let erik = account(&app, "erik").await;
    let siri = account(&app, "siri").await;
    let olas = live_share(&app, &kari, &ola, &a).await;
    let pers = live_share(&app, &kari, &per, &b).await;
    let randis = live_share(&app, &kari, &randi, &a).await;
    let eriks = live_share(&app, &kari, &erik, &a).await;
    let spare = live_share(&app, &kari, &ola, "wheel").await;
    let (status, _) = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/shares/{randis}"),
        None,
        Some(&kari),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    app.execute(&format!(
        "UPDATE shares SET until_date = '2020-01-01', until_ms = 1577923200000 WHERE id = '{eriks}'"
    ))
    .await;

    let cookie = |who: Who| match who {
        Anonymous => None,
        Owner => Some(kari.as_str()),
        Recipient => Some(ola.as_str()),
        OtherSection => Some(per.as_str()),
        Revoked => Some(randi.as_str()),
        Expired => Some(erik.as_str()),
        Stranger => Some(siri.as_str()),
    };
    let mine = |who: Who| match who {
        Revoked => randis.clone(),
        Expired => eriks.clone(),
        _ => olas.clone(),
    };
    let request = |who: Who, method: &str, path: &str, body: &str| {
        let path = path.replace("{mine}", &mine(who)).replace("{spare}", &spare);
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let body: Option<Value> = (!body.is_empty()).then(|| serde_json::from_str(body).unwrap());
        (method, path, body)
    };

    let mut failures = Vec::new();
    let mut check = |who: Who, method: &str, path: &str, status: StatusCode, expected: u16, answer: Value| {
        if status.as_u16() != expected {
            failures.push(format!(
                "{method} {path} as {who:?}: {status}, expected {expected} ({answer})"
            ));
        }
    };
    let mut last = Vec::new();
    for (method, path, body, expected) in POLICY {
        for (who, expected) in WHO.iter().zip(expected) {
            if *who == Owner && *method == "DELETE" {
                last.push((*method, *path, *body, *expected));
                continue;
            }
            let (m, p, b) = request(*who, method, path, body);
            let (status, answer) = call(&app, m, &p, b, cookie(*who)).await;
            check(*who, method, path, status, *expected, answer);
        }
    }
    for (method, path, body, expected) in last {
        let (m, p, b) = request(Owner, method, path, body);
        let (status, answer) = call(&app, m, &p, b, cookie(Owner)).await;
        check(Owner, method, path, status, expected, answer);
    }
    // Revoking again is harmless.
    let (m, p, b) = request(Owner, "DELETE", "/api/v1/shares/{mine}", "");
    let (status, answer) = call(&app, m, &p, b, cookie(Owner)).await;
    check(
        Owner,
        "DELETE",
        "/api/v1/shares/{mine} (again)",
        status,
        204,
        answer,
    );
    assert!(
        failures.is_empty(),
        "the policy is not kept:\n{}",
        failures.join("\n")
    );

    // Exactly one access-log row per allowed read by someone else: Ola's read of their share,
    // Ola's /shared (which read it again, and the wheel share `spare`, live until the end),
    // Per's /shared (section B). None for Kari's own read; the refused attempts of the two
    // former recipients (Randi's revoked share, Erik's ended one) as `denied`, and none for
    // the others refused (they never held that share).
    let rows = |share: &str, reader: &str| {
        format!(
            "outcome = 'read' AND share_id = '{share}' AND \
             reader_id = (SELECT id FROM users WHERE username = '{reader}')"
        )
    };
    assert_eq!(app.count("access_log", &rows(&olas, "ola")).await, 2);
    assert_eq!(app.count("access_log", &rows(&spare, "ola")).await, 1);
    assert_eq!(app.count("access_log", &rows(&pers, "per")).await, 1);
    assert_eq!(app.count("access_log", "outcome = 'read'").await, 4);
    let denied = |reader: &str| {
        format!(
            "outcome = 'denied' AND records = 0 AND \
             reader_id = (SELECT id FROM users WHERE username = '{reader}')"
        )
    };
    assert_eq!(app.count("access_log", &denied("randi")).await, 1);
    assert_eq!(app.count("access_log", &denied("erik")).await, 1);
    assert_eq!(app.count("access_log", "outcome = 'denied'").await, 2);
    let (_, log) = call(&app, Method::GET, "/api/v1/access-log", None, Some(&kari)).await;
    let mut entries: Vec<(String, String, i64)> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["outcome"] == "read")
        .map(|e| {
            let share = e["share_id"].as_str().unwrap();
            let reader = e["reader"].as_str().unwrap().to_owned();
            (reader, share.to_owned(), e["records"].as_i64().unwrap())
        })
        .collect();
    entries.sort();
    let mut expected = vec![
        ("ola".to_owned(), olas.clone(), 2),
        ("ola".to_owned(), olas.clone(), 2),
        ("ola".to_owned(), spare.clone(), 1),
        ("per".to_owned(), pers.clone(), 2),
    ];
    expected.sort();
    assert_eq!(entries, expected);

    // Sync hands each caller their own records only: Kari's five, nobody else any.
    for who in WHO.into_iter().filter(|w| *w != Anonymous) {
        let (status, pulled) = call(
            &app,
            Method::POST,
            "/api/v1/sync",
            Some(json!({"device": "d", "since": 0})),
            cookie(who),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let expected = if who == Owner { 5 } else { 0 };
        assert_eq!(pulled["changes"].as_array().unwrap().len(), expected, "{who:?}");
    }
    app.stop().await;
});

/// Who asks for a clinician page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Asker {
    /// No session.
    Nobody,
    /// Kari's own app session: an ordinary account on the clinician routes.
    AppUser,
    /// A clinician who gave the passphrase and not yet the code.
    HalfIn,
    /// Dr. Ja: a live share of Kari's section A.
    Sharing,
    /// Dr. Nei: a clinician with no share from anyone.
    NoShare,
    /// Dr. Gammel: had a share of Kari's; its last day is past.
    ExpiredShare,
    /// Dr. Trukket: had a share of Kari's; Kari revoked it.
    RevokedShare,
    /// Dr. Annen: another clinician, with a live share from someone else (Per).
    OtherClinician,
}

const ASKERS: [Asker; 8] = [
    Asker::Nobody,
    Asker::AppUser,
    Asker::HalfIn,
    Asker::Sharing,
    Asker::NoShare,
    Asker::ExpiredShare,
    Asker::RevokedShare,
    Asker::OtherClinician,
];

/// `login` and `totp`: 303 to that page; `back`: 303 back to the person's page; a number:
/// that status. `{kari}` is Kari's user id.
#[rustfmt::skip]
const CLINICIAN_POLICY: &[(&str, &str, [&str; 8])] = &[
    //                                                   nobody   app user half-in  sharing  no share expired  revoked  other
    ("GET",  "/behandler",                              ["login", "login", "totp",  "200",   "200",   "200",   "200",   "200"]),
    ("GET",  "/behandler/brukere/{kari}",               ["login", "login", "totp",  "200",   "404",   "404",   "404",   "404"]),
    ("GET",  "/behandler/brukere/{kari}/oppsummering",  ["login", "login", "totp",  "200",   "404",   "404",   "404",   "404"]),
    ("POST", "/behandler/brukere/{kari}/sett",          ["login", "login", "totp",  "back",  "404",   "404",   "404",   "404"]),
    ("POST", "/behandler/koder",                        ["login", "login", "totp",  "404",   "404",   "404",   "404",   "404"]),
    // A clinician session opens no API route; an app session no clinician page.
    ("GET",  "/api/v1/shared",                          ["401",   "200",   "401",   "401",   "401",   "401",   "401",   "401"]),
    ("GET",  "/api/v1/account",                         ["401",   "200",   "401",   "401",   "401",   "401",   "401",   "401"]),
];

both_databases!(the_clinician_matrix, |app: TestApp| async move {
    use crate::clinician::{clinician, form, log_in, page, share_with, user_id, ORG};
    let kari = account(&app, "kari").await;
    let per = account(&app, "per").await;
    push(
        &app,
        &kari,
        vec![
            section(SECTION, 10, "A"),
            item(1, 10, SECTION, "i A"),
            area(3, 10, "Jobb"),
        ],
    )
    .await;
    let a = format!("section:{SECTION}");
    let ja = clinician(&app, "dr.ja", ORG).await;
    let nei = clinician(&app, "dr.nei", ORG).await;
    let gammel = clinician(&app, "dr.gammel", "Legevakta").await;
    let trukket = clinician(&app, "dr.trukket", ORG).await;
    let annen = clinician(&app, "dr.annen", "Kommunen").await;
    account(&app, "dr.halv").await;
    crate::clinician::mark(&app, "dr.halv", ORG).await;
    let halv = log_in(&app, "dr.halv").await;
    share_with(&app, &kari, &ja, &a).await;
    let expired = share_with(&app, &kari, &gammel, &a).await;
    let revoked = share_with(&app, &kari, &trukket, &a).await;
    share_with(&app, &per, &annen, "wheel").await;
    app.execute(&format!(
        "UPDATE shares SET until_date = '2020-01-01', until_ms = 1577923200000 WHERE id = '{expired}'"
    ))
    .await;
    let (status, _) = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/shares/{revoked}"),
        None,
        Some(&kari),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let kari_id = user_id(&app, &kari).await;
    let cookie = |who: Asker| match who {
        Asker::Nobody => None,
        Asker::AppUser => Some(kari.as_str()),
        Asker::HalfIn => Some(halv.as_str()),
        Asker::Sharing => Some(ja.as_str()),
        Asker::NoShare => Some(nei.as_str()),
        Asker::ExpiredShare => Some(gammel.as_str()),
        Asker::RevokedShare => Some(trukket.as_str()),
        Asker::OtherClinician => Some(annen.as_str()),
    };
    let mut failures = Vec::new();
    for (method, path, expected) in CLINICIAN_POLICY {
        let path = path.replace("{kari}", &kari_id);
        for (who, expected) in ASKERS.iter().zip(expected) {
            let (status, headers) = if *method == "GET" {
                let (status, _, headers) = page(&app, &path, cookie(*who)).await;
                (status, headers)
            } else {
                let fields: &[(&str, &str)] = if path.ends_with("/koder") {
                    &[("code", "AAAAA-AAAAA")]
                } else {
                    &[("digest", "0")]
                };
                let response = form(&app, &path, cookie(*who), fields).await;
                (response.status(), response.headers().clone())
            };
            let got = if status == StatusCode::SEE_OTHER {
                match crate::clinician::location(&headers).as_str() {
                    "/behandler/logg-inn" => "login".to_owned(),
                    "/behandler/totp" => "totp".to_owned(),
                    l if l.starts_with("/behandler/brukere/") => "back".to_owned(),
                    l => format!("303 {l}"),
                }
            } else {
                status.as_u16().to_string()
            };
            if got != *expected {
                failures.push(format!("{method} {path} as {who:?}: {got}, expected {expected}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "the clinician policy is not kept:\n{}",
        failures.join("\n")
    );

    // Every read is in the owner's log with the reader's organisation; the clinicians whose
    // share ended, and those who never had one, read nothing of Kari's.
    let reads = |reader: &str| {
        format!("outcome = 'read' AND reader_id = (SELECT id FROM users WHERE username = '{reader}')")
    };
    assert!(app.count("access_log", &reads("dr.ja")).await >= 3);
    assert_eq!(
        app.count(
            "access_log",
            &format!("{} AND reader_organisation = '{ORG}'", reads("dr.ja"))
        )
        .await,
        app.count("access_log", &reads("dr.ja")).await
    );
    for reader in ["dr.nei", "dr.gammel", "dr.trukket", "dr.halv"] {
        assert_eq!(app.count("access_log", &reads(reader)).await, 0, "{reader}");
    }
    assert_eq!(
        app.count(
            "access_log",
            &format!("{} AND owner_id = '{kari_id}'", reads("dr.annen"))
        )
        .await,
        0
    );
    app.stop().await;
});

/// Check-ins: who may read or write Kari's conversation with Ola.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Checkin {
    /// No session.
    NoSession,
    /// Kari, the user.
    User,
    /// Ola, her trusted person (live).
    Trusted,
    /// Randi: was her trusted person; Kari removed her.
    Removed,
    /// Per: her trusted person, paused (his own relationship's id).
    Paused,
    /// Siri: an account, and no relationship.
    Stranger,
    /// Clara: a clinician would be another account with no relationship (clinician
    /// accounts get nothing more here).
    Clinician,
}

const CHECKIN_WHO: [Checkin; 7] = [
    Checkin::NoSession,
    Checkin::User,
    Checkin::Trusted,
    Checkin::Removed,
    Checkin::Paused,
    Checkin::Stranger,
    Checkin::Clinician,
];

/// `{rel}`: Kari and Ola's relationship (for Removed and Paused: their own, ended or paused);
/// `{end}` the same, but Kari ends a spare one (so that Ola's leaving is tested too).
#[rustfmt::skip]
const CHECKIN_POLICY: &[(&str, &str, &str, [u16; 7])] = &[
    //                                                                                                     none user trust remov pause stran clin
    ("GET",    "/api/v1/checkins",                          "",                                              [401, 200, 200, 200, 200, 200, 200]),
    ("POST",   "/api/v1/checkins/{rel}/messages",           r#"{"id":"{new}","kind":"text","text":"hei"}"#, [401, 201, 201, 404, 409, 404, 404]),
    ("POST",   "/api/v1/checkins/{rel}/read",               r#"{"ids":[]}"#,                                 [401, 204, 204, 404, 409, 404, 404]),
    ("POST",   "/api/v1/checkins/{rel}/messages/{help}/ack", "",                                             [401, 422, 200, 404, 409, 404, 404]),
    ("PATCH",  "/api/v1/checkins/{rel}",                    "{}",                                            [401, 200, 200, 404, 200, 404, 404]),
    ("POST",   "/api/v1/checkins/{rel}/pause",              "",                                              [401, 204, 404, 404, 404, 404, 404]),
    ("POST",   "/api/v1/checkins/{rel}/resume",             "",                                              [401, 204, 404, 404, 404, 404, 404]),
    ("DELETE", "/api/v1/checkins/{rel}/messages",           "",                                              [401, 204, 404, 404, 404, 404, 404]),
    ("POST",   "/api/v1/checkins/help",                     r#"{"id":"{new}"}"#,                             [401, 200, 200, 200, 200, 200, 200]),
    ("DELETE", "/api/v1/checkins/{end}",                    "",                                              [401, 204, 204, 404, 204, 404, 404]),
];

both_databases!(the_checkin_authorization_matrix, |app: TestApp| async move {
    use crate::checkins::{mid, relationship};
    let kari = account(&app, "kari").await;
    let ola = account(&app, "ola").await;
    let randi = account(&app, "randi").await;
    let per = account(&app, "per").await;
    let siri = account(&app, "siri").await;
    let clara = account(&app, "clara").await;
    let olas = relationship(&app, &kari, &ola, "Ola").await;
    let randis = relationship(&app, &kari, &randi, "Randi").await;
    let pers = relationship(&app, &kari, &per, "Per").await;
    let erik = account(&app, "erik").await;
    let spare = relationship(&app, &kari, &erik, "Reserve").await;
    let (status, _) = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/checkins/{randis}"),
        None,
        Some(&kari),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // A Kontakt meg to acknowledge (to Ola and Per, before Per's is paused).
    let help = mid(1000);
    let (status, _) = call(
        &app,
        Method::POST,
        "/api/v1/checkins/help",
        Some(json!({"id": help})),
        Some(&kari),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        &app,
        Method::POST,
        &format!("/api/v1/checkins/{pers}/pause"),
        None,
        Some(&kari),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let cookie = |who: Checkin| match who {
        Checkin::NoSession => None,
        Checkin::User => Some(kari.as_str()),
        Checkin::Trusted => Some(ola.as_str()),
        Checkin::Removed => Some(randi.as_str()),
        Checkin::Paused => Some(per.as_str()),
        Checkin::Stranger => Some(siri.as_str()),
        Checkin::Clinician => Some(clara.as_str()),
    };
    let rel = |who: Checkin| match who {
        Checkin::Removed => randis.clone(),
        Checkin::Paused => pers.clone(),
        _ => olas.clone(),
    };
    let mut n = 0;
    let mut failures = Vec::new();
    for (method, path, body, expected) in CHECKIN_POLICY {
        for (who, expected) in CHECKIN_WHO.iter().zip(expected) {
            n += 1;
            let end = if *who == Checkin::User {
                spare.clone()
            } else {
                rel(*who)
            };
            let path = path.replace("{end}", &end);
            let path = path.replace("{rel}", &rel(*who)).replace("{help}", &help);
            let body = body.replace("{new}", &mid(n));
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let body: Option<Value> = (!body.is_empty()).then(|| serde_json::from_str(&body).unwrap());
            let (status, answer) = call(&app, method.clone(), &path, body, cookie(*who)).await;
            if status.as_u16() != *expected {
                failures.push(format!(
                    "{method} {path} as {who:?}: {status}, expected {expected} ({answer})"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "the check-in policy is not kept:\n{}",
        failures.join("\n")
    );
    // The ended relationships are gone for everyone who was in them.
    assert!(crate::checkins::people(&app, &ola).await.is_empty());
    assert!(crate::checkins::people(&app, &randi).await.is_empty());
    assert!(crate::checkins::people(&app, &erik).await.is_empty());
    app.stop().await;
});
