//! Save-to-reload latency of `accord serve` on a synthetic site.
//!
//! Generates a knowledge base of `--pages` pages (sections, glossary terms, cross-links, tags),
//! starts `accord serve` on it, listens on the live-reload event stream, then edits one page
//! `--edits` times the way editors save (write a temporary file, rename it over the page). For
//! each edit it measures the time from the rename to the `reload` event, and prints p50 and p95.
//!
//! ```text
//! cargo run --release --example rebuild_bench -- [--pages 1000] [--edits 20]
//!     [--accord target/release/accord] [--generate-only DIR]
//! ```
//!
//! `benches/rebuild.sh` is the usual way to run it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const WORDS: &[&str] = &[
    "cooperation",
    "agreement",
    "police",
    "referral",
    "victim",
    "support",
    "protection",
    "inspectorate",
    "shelter",
    "information",
    "exchange",
    "training",
    "review",
    "partner",
    "mandate",
    "trust",
    "procedure",
    "identification",
    "assistance",
    "confidential",
    "the",
    "and",
    "of",
    "to",
    "a",
    "with",
    "for",
    "in",
];

const SECTIONS: &[(&str, &str)] = &[
    ("principles", "principle"),
    ("practices", "practice"),
    ("agreements", "agreement"),
    ("initiatives", "initiative"),
    ("organisations", "organisation"),
    ("events", "event"),
    ("instruments", "instrument"),
    ("notes", "page"),
];

const TERMS: usize = 40;

/// A tiny deterministic generator, so every run measures the same site.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("create folder");
    }
    std::fs::write(path, text).expect("write file");
}

fn kind_extra(kind: &str, i: usize) -> String {
    match kind {
        "agreement" => format!(
            "signed: \"20{:02}-03-01\"\nparties: [Police, NGO {i}]\n",
            i % 20
        ),
        "initiative" => format!("region: Europe\nstarted: \"20{:02}\"\n", i % 20),
        "event" => format!(
            "date: \"20{:02}-05-0{}\"\nplace: Vienna\n",
            i % 20,
            1 + i % 9
        ),
        "instrument" => format!("adopted: \"20{:02}-11-15\"\nbinding: true\n", i % 20),
        "organisation" => format!("founded: \"19{:02}\"\n", 50 + i % 49),
        _ => String::new(),
    }
}

/// Writes a site of about `pages` pages into `root` and returns the page edited by the benchmark.
fn generate(root: &Path, pages: usize) -> PathBuf {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    write(
        &root.join("book.toml"),
        "[book]\ntitle = \"Benchmark\"\ndescription = \"Synthetic site\"\nauthors = []\nlanguage = \"en\"\nsrc = \"content\"\n\n[build]\nbuild-dir = \"site\"\n",
    );
    let content = root.join("content");
    write(
        &content.join("_index.md"),
        "---\ntitle: Benchmark\nsummary: A synthetic knowledge base.\n---\n\nWelcome.\n",
    );
    write(
        &content.join("glossary/_index.md"),
        "---\ntitle: Glossary\nsummary: Terms.\nweight: 99\n---\n",
    );
    for t in 0..TERMS {
        write(
            &content.join(format!("glossary/term-{t}.md")),
            &format!(
                "---\nkind: term\nterm: termword{t}\ndefinition: Definition of termword{t}.\n---\n\nA longer explanation of termword{t}.\n"
            ),
        );
    }
    for (w, (dir, _)) in SECTIONS.iter().enumerate() {
        write(
            &content.join(format!("{dir}/_index.md")),
            &format!("---\ntitle: Section {dir}\nsummary: Pages about {dir}.\nweight: {w}\n---\n\nThe {dir}.\n"),
        );
    }
    let n = pages.saturating_sub(2 + TERMS + SECTIONS.len()).max(1);
    let rel_of = |i: usize| {
        let (dir, _) = SECTIONS[i % SECTIONS.len()];
        format!("{dir}/page-{i}.md")
    };
    for i in 0..n {
        let (_, kind) = SECTIONS[i % SECTIONS.len()];
        let mut body = String::new();
        for s in 0..4 {
            body.push_str(&format!("\n## Part {s}\n\n"));
            for _ in 0..6 {
                for w in 0..25 {
                    let word = match rng.below(40) {
                        0 => format!("termword{}", rng.below(TERMS)),
                        _ => WORDS[rng.below(WORDS.len())].to_string(),
                    };
                    body.push_str(&word);
                    body.push(if w == 24 { '.' } else { ' ' });
                }
                let t = rng.below(n);
                let target = rel_of(t);
                let here_dir = rel_of(i);
                let here_dir = here_dir.split('/').next().unwrap_or("");
                let href = if target.starts_with(&format!("{here_dir}/")) {
                    target[here_dir.len() + 1..].to_string()
                } else {
                    format!("../{target}")
                };
                body.push_str(&format!(" See [page {t}]({href}).\n\n"));
            }
        }
        let tags: Vec<String> = (0..3).map(|_| format!("tag-{}", rng.below(30))).collect();
        let text = format!(
            "---\nkind: {kind}\ntitle: Page {i}\nsummary: Summary of page {i}.\ntags: [{}]\nstakeholders: [ngo, law-enforcement]\n{}sources:\n  - title: Source for page {i}\n    publisher: Benchmark\n---\n{body}",
            tags.join(", "),
            kind_extra(kind, i),
        );
        write(&content.join(rel_of(i)), &text);
    }
    content.join(rel_of(n / 2))
}

fn start_server(accord: &Path, root: &Path) -> (Child, u16) {
    let mut child = Command::new(accord)
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start accord serve");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                let port: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
                let _ = tx.send(port.parse::<u16>().unwrap_or(0));
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("accord serve did not print its address");
    (child, port)
}

/// Reads `event:` names from the server-sent event stream and hands them over with their arrival
/// time, so the measurement does not include the benchmark's own bookkeeping.
fn listen(port: u16) -> mpsc::Receiver<(String, Instant)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        s,
        "GET /__accord/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("send request");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(s);
        let mut line = String::new();
        while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
            if let Some(ev) = line.trim_end().strip_prefix("event:") {
                let _ = tx.send((ev.trim().to_string(), Instant::now()));
            }
            line.clear();
        }
    });
    rx
}

fn get(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("send request");
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let mut pages = 1000;
    let mut edits = 20;
    let mut accord = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/accord");
    let mut generate_only: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().expect("option needs a value");
        match a.as_str() {
            "--pages" => pages = val().parse().expect("--pages N"),
            "--edits" => edits = val().parse().expect("--edits N"),
            "--accord" => accord = PathBuf::from(val()),
            "--generate-only" => generate_only = Some(PathBuf::from(val())),
            other => panic!("unknown option {other}"),
        }
    }
    if let Some(dir) = generate_only {
        let page = generate(&dir, pages);
        println!(
            "generated {pages} pages in {}; edit {}",
            dir.display(),
            page.display()
        );
        return;
    }

    let tmp = tempfile::tempdir().expect("temporary folder");
    let page = generate(tmp.path(), pages);
    let original = std::fs::read_to_string(&page).expect("read page");
    let (mut child, port) = start_server(&accord, tmp.path());
    let events = listen(port);
    // The stream opens with a `hello` event; only then is the listener known to be registered.
    match events.recv_timeout(Duration::from_secs(10)) {
        Ok((ev, _)) if ev == "hello" => {}
        other => panic!("expected the hello event, got {other:?}"),
    }
    let url = page
        .strip_prefix(tmp.path().join("content"))
        .expect("page in content")
        .to_string_lossy()
        .replace(".md", ".html");

    let mut times = Vec::new();
    for n in 0..edits {
        let marker = format!("benchmark-edit-{n}");
        let text = format!("{original}\nEdited: {marker}.\n");
        // Editors save by writing a temporary file and renaming it over the page.
        let tmp_file = page.with_file_name(".page.md.swp");
        std::fs::write(&tmp_file, &text).expect("write");
        let start = Instant::now();
        std::fs::rename(&tmp_file, &page).expect("rename");
        let reloaded = loop {
            match events.recv_timeout(Duration::from_secs(30)) {
                Ok((ev, at)) if ev == "reload" => break at,
                Ok((ev, _)) if ev == "error" => panic!("the edit produced a build error"),
                Ok(_) => continue,
                Err(_) => panic!("no reload event within 30 s"),
            }
        };
        let ms = reloaded.duration_since(start).as_secs_f64() * 1000.0;
        let body = get(port, &format!("/{url}"));
        assert!(body.contains(&marker), "served page lacks the edit");
        println!("edit {n:>2}: {ms:7.1} ms");
        times.push(ms);
        // Leave time between saves, as an editor does, so edits are not coalesced.
        std::thread::sleep(Duration::from_millis(300));
    }
    let _ = child.kill();
    let _ = child.wait();
    times.sort_by(f64::total_cmp);
    println!(
        "{pages} pages, {edits} edits of one page, save to reload event: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times.last().copied().unwrap_or(0.0)
    );
}
