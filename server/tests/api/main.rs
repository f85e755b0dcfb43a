//! The server's integration tests, in one binary: the real server on port 0, a temporary
//! SQLite file, and a small built site in a temporary directory.

mod helpers;
mod pages;
mod pwa;
mod startup;
