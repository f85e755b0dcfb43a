//! The trusted person's own reminder ("minn meg på å sjekke inn hver søndag"), by Web Push.
//!
//! The weekday is stored on the server (`checkin_relations.reminder`, ISO 1–7), so the
//! server can wake the trusted person's phone on that day even when the app is closed; the
//! app shows the reminder itself when it is opened. A reminder goes:
//! - on its weekday in Norway (Europe/Oslo), from [`DEFAULT_FROM_HOUR`] o'clock local time
//!   (never in the night), checked every few minutes ([`DEFAULT_EVERY`]);
//! - once that day: `reminded_day` (the Norwegian day it went) is claimed by one atomic
//!   update, so several server processes on one database send it once;
//! - only through [`authorize`]: to the trusted person of a live, un-paused relationship.
//!   Paused, ended or left: nothing;
//! - with the generic [`crate::push::REMINDER_PAYLOAD`], no name, no content.

use super::{authorize, Need};
use crate::db::Db;
use crate::http::error::ApiError;
use crate::push::{Pusher, Urgency, REMINDER_PAYLOAD};
use app::model::checkin::Role;
use sqlx::Row;
use std::sync::Arc;
use std::time::Duration;

/// Local hour from which a day's reminders go.
pub const DEFAULT_FROM_HOUR: u8 = 10;
/// How often due reminders are looked for.
pub const DEFAULT_EVERY: Duration = Duration::from_secs(300);

/// When reminders go (`Limits`; shorter and from midnight in tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub every: Duration,
    pub from_hour: u8,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            every: DEFAULT_EVERY,
            from_hour: DEFAULT_FROM_HOUR,
        }
    }
}

/// The day in Norway at `now_ms`: (days since 1970-01-01, ISO weekday 1–7, hour).
pub fn norwegian_day(now_ms: i64) -> (i64, u8, u8) {
    let (y, m, d, hour, _) = crate::http::clinician::html::oslo(now_ms);
    let day = u16::try_from(y)
        .ok()
        .zip(u8::try_from(m).ok())
        .zip(u8::try_from(d).ok())
        .and_then(|((y, m), d)| app::model::date::Date::new(y, m, d).ok())
        .map_or(now_ms.div_euclid(super::DAY_MS), |date| date.days_since_epoch());
    // 1970-01-01 was a Thursday (ISO 4).
    let weekday = (day + 3).rem_euclid(7) as u8 + 1;
    (day, weekday, u8::try_from(hour).unwrap_or(0))
}

/// Claims the reminders due at `now_ms` and returns the trusted persons to remind (each
/// once a day, whoever else looks at the same time).
pub async fn due(db: &Db, now_ms: i64, from_hour: u8) -> Result<Vec<String>, ApiError> {
    let (day, weekday, hour) = norwegian_day(now_ms);
    if hour < from_hour {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(
        "SELECT r.share_id, s.recipient_id FROM checkin_relations r JOIN shares s ON s.id = r.share_id \
         WHERE r.reminder = $1 AND (r.reminded_day IS NULL OR r.reminded_day < $2) \
         AND s.recipient_id IS NOT NULL",
    )
    .bind(i64::from(weekday))
    .bind(day)
    .fetch_all(db.pool())
    .await?;
    let mut remind = Vec::new();
    for row in rows {
        let share_id: String = row.try_get("share_id")?;
        let trusted: String = row.try_get("recipient_id")?;
        match authorize(db, &trusted, &share_id, Need::Talk).await {
            Ok(conversation) if conversation.role() == Role::Trusted => {}
            // Paused, ended, left: no reminder (and none claimed: a resumed one still goes).
            Ok(_) | Err(ApiError::NotFound | ApiError::Conflict { .. }) => continue,
            Err(e) => return Err(e),
        }
        let claimed = {
            let _turn = db.write_turn().await;
            sqlx::query(
                "UPDATE checkin_relations SET reminded_day = $1 WHERE share_id = $2 \
                 AND (reminded_day IS NULL OR reminded_day < $3)",
            )
            .bind(day)
            .bind(&share_id)
            .bind(day)
            .execute(db.pool())
            .await?
            .rows_affected()
        };
        if claimed == 1 {
            remind.push(trusted);
        }
    }
    Ok(remind)
}

/// Looks for due reminders every [`Schedule::every`] and pushes them, until aborted.
/// Failures are logged as counts and the database's message, never a person.
pub fn spawn(db: Db, push: Arc<Pusher>, schedule: Schedule) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(schedule.every);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match due(&db, crate::accounts::now_ms(), schedule.from_hour).await {
                Ok(people) => {
                    if !people.is_empty() {
                        tracing::info!(reminders = people.len(), "reminding");
                    }
                    for person in people {
                        push.notify_with(Some(&person), Urgency::Normal, REMINDER_PAYLOAD);
                    }
                }
                Err(e) => tracing::warn!(error = %e, "reminders failed"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_is_norways() {
        // 2026-11-26 (a Thursday) 23:30 UTC is already Friday the 27th, 00:30 in Oslo.
        let ms = 1_795_735_800_000;
        let (day, weekday, hour) = norwegian_day(ms);
        assert_eq!((weekday, hour), (5, 0));
        assert_eq!(
            day,
            app::model::date::Date::new(2026, 11, 27)
                .unwrap()
                .days_since_epoch()
        );
        // 2026-07-05 (a Sunday) 08:00 UTC is 10:00 in Oslo (summer time).
        let (_, weekday, hour) = norwegian_day(1_783_238_400_000);
        assert_eq!((weekday, hour), (7, 10));
    }
}
