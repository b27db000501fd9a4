//! Tests that cannot run on this machine (no Chromium, no node, no wasm target) say so twice:
//! at once, in their own output, and at the very end of `cargo test`, where tests/zz_skipped.rs
//! counts them. Each skip is one line in a file named after the cargo process that runs the
//! tests, so a summary only ever counts the skips of its own run.
//!
//! With `CI` set nothing is skipped: a missing prerequisite fails the test.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

/// The oldest Node.js the browser and wasm tests run on (playwright-core's own minimum);
/// package.json's `engines`, the README and .ci/run say the same (tests/architecture.rs checks).
pub const MIN_NODE: u32 = 20;

/// Where this run's skips are recorded.
pub fn record_file() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("skipped")
        .join(run_id())
}

/// Every test binary of one `cargo test` is a child of the same cargo process.
#[cfg(unix)]
fn run_id() -> String {
    std::os::unix::process::parent_id().to_string()
}

#[cfg(not(unix))]
fn run_id() -> String {
    "run".into()
}

/// Skips the calling test: records `test` (e.g. `tests/browser.rs: the bundle works from disk`)
/// with why it cannot run and how to fix that, and prints it; panics instead under CI.
pub fn skip(test: &str, why: &str, fix: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{test} cannot run in CI: {why} ({fix})");
    }
    let _ = writeln!(std::io::stderr(), "SKIPPED: {test}: {why} ({fix})");
    let file = record_file();
    if let Some(dir) = file.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&file)
    {
        // One write per line, so tests skipping at the same time do not interleave.
        let _ = f.write_all(format!("{test}\t{why}\t{fix}\n").as_bytes());
    }
}

/// Node's major version, if `node` runs.
pub fn node_major() -> Option<u32> {
    let out = std::process::Command::new("node")
        .arg("--version")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()
}

/// Why node-driven tests cannot run, if they cannot.
pub fn node_missing() -> Option<(String, String)> {
    let install = format!("install Node.js {MIN_NODE} or later");
    match node_major() {
        None => Some(("node not found".into(), install)),
        Some(v) if v < MIN_NODE => Some((format!("node {v} is older than {MIN_NODE}"), install)),
        Some(_) => None,
    }
}
