//! `server admin …`: the administrator's commands, run on the server's own database (the
//! same settings as the server: `TILLIT_DATA_DIR`, `DATABASE_URL`).
//!
//! ```text
//! server admin clinician add NAME --organisation "Hamar DPS"
//! server admin clinician list
//! server admin clinician remove NAME
//! ```
//!
//! `add` marks an existing account (made in the app like any other) as a clinician, or
//! changes its organisation, and ends the account's sessions; at the next login, at
//! `/behandler/logg-inn`, the clinician sets up one-time codes. `remove` makes it an
//! ordinary account again (its second factor and sessions go).

use crate::clinician;
use crate::config::Config;
use crate::db::Db;
use crate::error::StartupError;
use crate::http::error::ApiError;

pub const USAGE: &str = "usage:\n  server admin clinician add NAME --organisation ORGANISATION\n  \
     server admin clinician list\n  server admin clinician remove NAME";

/// Runs `args` (what follows `admin`) and returns what to print on success.
pub async fn run(args: &[String]) -> Result<String, StartupError> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let usage = || StartupError::Config(USAGE.to_owned());
    let config = Config::from_env()?;
    let open = || Db::open(&config.data_dir, config.database_url.as_deref());
    let failed = |e: ApiError| {
        StartupError::Config(match e {
            ApiError::NotFound => "there is no such account (it is made in the app first)".to_owned(),
            ApiError::Invalid { reason, .. } => reason,
            other => other.to_string(),
        })
    };
    match args.as_slice() {
        ["clinician", "add", name, "--organisation", org] => {
            let db = open().await?;
            let added = clinician::add(&db, name, org).await.map_err(failed)?;
            db.close().await;
            Ok(format!(
                "{} is a clinician at {}. They log in at /behandler/logg-inn and set up one-time codes there.",
                added.username, added.organisation
            ))
        }
        ["clinician", "list"] => {
            let db = open().await?;
            let all = clinician::list(&db).await.map_err(failed)?;
            db.close().await;
            if all.is_empty() {
                return Ok("No clinicians.".to_owned());
            }
            Ok(all
                .iter()
                .map(|c| {
                    let codes = if c.enrolled {
                        "one-time codes set up"
                    } else {
                        "one-time codes not set up yet"
                    };
                    format!("{}\t{}\t{codes}", c.username, c.organisation)
                })
                .collect::<Vec<_>>()
                .join("\n"))
        }
        ["clinician", "remove", name] => {
            let db = open().await?;
            let removed = clinician::remove(&db, name).await.map_err(failed)?;
            db.close().await;
            if removed {
                Ok(format!("{name} is no longer a clinician."))
            } else {
                Err(StartupError::Config(format!("{name} is not a clinician")))
            }
        }
        _ => Err(usage()),
    }
}
