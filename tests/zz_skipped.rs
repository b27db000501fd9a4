//! The last lines of `cargo test`: how many tests were skipped in this run, which, and what
//! would make them run (Chromium, `npm ci`, node, the wasm target).
//!
//! Cargo has no hook at the end of a run, but it runs test binaries in the order of their
//! names, and this one (harness = false, so it prints only this) is named to come last;
//! tests/architecture.rs keeps it last. The skipped tests recorded themselves through
//! tests/skip/mod.rs in a file named after the cargo process, which this binary shares.

mod skip;

use std::collections::BTreeMap;
use std::fs;

fn main() {
    let file = skip::record_file();
    let text = fs::read_to_string(&file).unwrap_or_default();
    // This run's record has been read; records of earlier runs are of no further use.
    if let Some(dir) = file.parent() {
        if let Ok(entries) = fs::read_dir(dir) {
            for entry in entries.flatten() {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    print!("{}", summary(&text));
}

/// The summary of a run's skip records (`test \t why \t fix` lines).
fn summary(records: &str) -> String {
    let mut by_reason: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for line in records.lines() {
        let mut parts = line.splitn(3, '\t');
        let (Some(test), Some(why), Some(fix)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        by_reason.entry((why, fix)).or_default().push(test);
    }
    let total: usize = by_reason.values().map(Vec::len).sum();
    if total == 0 {
        return "\nNothing skipped: every test ran.\n".into();
    }
    let mut out = String::from("\n");
    let mut fixes: Vec<&str> = Vec::new();
    for ((why, fix), tests) in &by_reason {
        out.push_str(&format!("skipped, {why}:\n"));
        for t in tests {
            out.push_str(&format!("  {t}\n"));
        }
        if !fixes.contains(fix) {
            fixes.push(fix);
        }
    }
    out.push_str(&format!(
        "\nSKIPPED {total} test{} that could not run here; to run {}: {}\n",
        if total == 1 { "" } else { "s" },
        if total == 1 { "it" } else { "them" },
        fixes.join("; ")
    ));
    out
}
