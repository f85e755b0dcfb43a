//! The server's integration tests, in one binary: the real server on port 0, a temporary
//! SQLite file (and, where `TEST_DATABASE_URL` is set, a fresh PostgreSQL database), and a
//! small built site in a temporary directory.

mod accounts;
mod authz;
mod checkins;
mod checkins_concurrency;
mod clinician;
mod crash;
mod helpers;
mod history;
mod openapi;
mod pages;
mod protection;
mod push_destinations;
mod pwa;
mod quota;
mod reminders;
mod scale;
mod sharing;
mod startup;
mod sync;
mod throttles;
