//! The trusted person's reminder by Web Push, through the real server and a stand-in push
//! service: it goes on its weekday (in Norway) to the trusted person's browser, generic and
//! encrypted, once that day; a paused relationship gets none.

use crate::both_databases;
use crate::checkins::{kari_and_ola, next, push_service, subscribe, Browser};
use crate::helpers::{test_limits, TestApp};
use crate::sharing::call;
use reqwest::{Method, StatusCode};
use serde_json::json;
use server::checkins::reminders::{norwegian_day, Schedule};
use server::config::Limits;
use std::time::Duration;

/// Reminders looked for every 100 ms, at any hour (the test may run at night).
fn often() -> Limits {
    Limits {
        push_allow_loopback: true,
        reminders: Schedule {
            every: Duration::from_millis(100),
            from_hour: 0,
        },
        ..test_limits()
    }
}

both_databases!(
    a_reminder_goes_on_its_weekday_once,
    limits = often(),
    |app: TestApp| async move {
        let (kari, ola, rel) = kari_and_ola(&app).await;
        let (origin, mut received) = push_service(201).await;
        let browser = Browser::new();
        let (status, body) = subscribe(&app, &ola, browser.subscription(&format!("{origin}/push/ola"))).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        // Ola asks to be reminded today (in Norway).
        let (today, weekday, _) = norwegian_day(server::accounts::now_ms());
        let path = format!("/api/v1/checkins/{rel}");
        let (status, body) = call(
            &app,
            Method::PATCH,
            &path,
            Some(json!({"reminder": weekday})),
            Some(&ola),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let push = next(&mut received).await;
        assert_eq!(browser.decrypt(&push.body), server::push::REMINDER_PAYLOAD);
        assert_eq!(push.headers["urgency"], "normal");
        assert_eq!(
            app.count("checkin_relations", &format!("reminded_day = {today}"))
                .await,
            1
        );
        // Once a day: many more looks send nothing.
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert!(received.try_recv().is_err(), "a second reminder the same day");

        // Paused by Kari: no reminder, even on a new day.
        let (status, body) = call(&app, Method::POST, &format!("{path}/pause"), None, Some(&kari)).await;
        assert!(status.is_success(), "{body}");
        app.execute("UPDATE checkin_relations SET reminded_day = NULL")
            .await;
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert!(received.try_recv().is_err(), "a reminder while paused");
        app.stop().await;
    }
);
