//! The binary itself: bad starts are one clear line and a non-zero exit, never a panic; a
//! SIGTERM stops it cleanly.

use crate::helpers::built_site;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn server(site: &Path, data: &Path, addr: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .env("LEPTOS_SITE_ROOT", site)
        .env("TILLIT_DATA_DIR", data)
        .env("LEPTOS_SITE_ADDR", addr)
        .env("RUST_LOG", "info")
        .stdin(Stdio::null());
    command
}

/// Runs a start that must fail and returns its one line of stderr.
fn failed_start(mut command: Command) -> String {
    let Output { status, stderr, .. } = command.output().unwrap();
    let stderr = String::from_utf8(stderr).unwrap();
    assert_eq!(status.code(), Some(1), "exit code 1; stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "no panic: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr
}

#[test]
fn a_corrupted_database_is_one_clear_error() {
    let site = built_site();
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("tillit.sqlite3"),
        "this is not a database\n".repeat(500),
    )
    .unwrap();
    let line = failed_start(server(site.path(), data.path(), "127.0.0.1:0"));
    assert!(
        line.contains("cannot open the database") && line.contains("tillit.sqlite3"),
        "{line}"
    );
}

#[test]
fn a_data_directory_that_is_a_file_is_one_clear_error() {
    let site = built_site();
    let data = tempfile::tempdir().unwrap();
    let not_a_dir = data.path().join("data");
    std::fs::write(&not_a_dir, "oops").unwrap();
    let line = failed_start(server(site.path(), &not_a_dir, "127.0.0.1:0"));
    assert!(line.contains("cannot create the data directory"), "{line}");
}

#[test]
fn a_port_in_use_is_one_clear_error() {
    let site = built_site();
    let data = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let line = failed_start(server(site.path(), data.path(), &addr));
    assert!(line.contains(&format!("cannot listen on {addr}")), "{line}");
}

#[test]
fn a_missing_build_and_bad_settings_are_one_clear_error() {
    let data = tempfile::tempdir().unwrap();
    let line = failed_start(server(&data.path().join("no-site"), data.path(), "127.0.0.1:0"));
    assert!(line.contains("scripts/build"), "{line}");
    let site = built_site();
    let line = failed_start(server(site.path(), data.path(), "localhost"));
    assert!(line.contains("LEPTOS_SITE_ADDR"), "{line}");
}

#[test]
fn sigterm_stops_the_server_gracefully() {
    let site = built_site();
    let data = tempfile::tempdir().unwrap();
    let mut child = server(site.path(), data.path(), "127.0.0.1:0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The "listening" log line names the port it got.
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let addr = stdout
        .lines()
        .map(Result::unwrap)
        .find_map(|line| {
            line.contains("listening")
                .then(|| line.split("addr=").nth(1).unwrap().trim().to_owned())
        })
        .expect("a listening line");
    assert!(
        get(&addr, "/healthz").starts_with("HTTP/1.1 200"),
        "healthz answers before the signal"
    );
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop within 10 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "a clean exit after SIGTERM: {exit:?}");
}

/// A plain HTTP/1.1 GET over a socket, for a test that has no async runtime.
fn get(addr: &str, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}
