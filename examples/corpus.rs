//! Writes a synthetic knowledge base for benchmarks: `cargo run --release --example corpus -- DIR PAGES`.
//!
//! Pages have about 600 words with headings, lists, tables and cross-links, nested three folders
//! deep. With `--mdbook` the same pages are also written as an mdBook (SUMMARY.md, no front
//! matter) into DIR-mdbook, so both tools build the same text.

use std::fmt::Write as _;
use std::path::Path;

const WORDS: &[&str] = &[
    "cooperation",
    "police",
    "victim",
    "referral",
    "shelter",
    "inspection",
    "labour",
    "protocol",
    "consent",
    "protection",
    "agreement",
    "review",
    "training",
    "assistance",
    "identification",
    "data",
    "sharing",
    "trust",
    "mandate",
    "prosecutor",
    "caseworker",
    "interview",
    "border",
    "residence",
    "permit",
    "reflection",
    "period",
    "exploitation",
    "recruitment",
    "contact",
    "meeting",
    "network",
    "region",
    "country",
    "office",
    "procedure",
    "evaluation",
    "indicator",
    "budget",
    "partner",
    "support",
    "counselling",
    "interpreter",
    "safety",
    "risk",
    "assessment",
    "return",
    "integration",
    "complaint",
    "witness",
    "court",
    "evidence",
    "mechanism",
    "national",
    "local",
    "joint",
    "operation",
    "team",
    "role",
    "responsibility",
    "clause",
    "signature",
    "termination",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn word(&mut self) -> &'static str {
        WORDS[(self.next() % WORDS.len() as u64) as usize]
    }
    fn sentence(&mut self, n: usize) -> String {
        let mut s: Vec<&str> = (0..n).map(|_| self.word()).collect();
        let first = s[0].to_string();
        let cap = first[..1].to_uppercase() + &first[1..];
        s[0] = Box::leak(cap.into_boxed_str());
        s.join(" ") + "."
    }
}

fn page_path(i: usize) -> String {
    format!("s{}/t{}/page-{i}.md", i % 10, (i / 10) % 10)
}

fn body(rng: &mut Rng, i: usize, pages: usize) -> String {
    let mut b = String::new();
    for h in 0..5 {
        let _ = writeln!(b, "## {} {} {}\n", rng.word(), rng.word(), h);
        for _ in 0..4 {
            b.push_str(&rng.sentence(12));
            b.push(' ');
        }
        b.push_str("\n\n");
        if h == 1 {
            for _ in 0..4 {
                let _ = writeln!(b, "- {}", rng.sentence(6));
            }
            b.push('\n');
        }
        if h == 2 && i.is_multiple_of(2) {
            b.push_str("| Party | Role | Contact |\n|---|---|---|\n");
            for _ in 0..3 {
                let _ = writeln!(b, "| {} | {} | {} |", rng.word(), rng.word(), rng.word());
            }
            b.push('\n');
        }
        if h == 3 {
            for k in 1..=3 {
                let target = (i * 7 + k * 131) % pages;
                let _ = writeln!(
                    b,
                    "See [{} {}](../../{}).\n",
                    rng.word(),
                    target,
                    page_path(target)
                );
            }
        }
    }
    b
}

fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("create folder");
    }
    std::fs::write(path, text).expect("write file");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(args.get(1).map(String::as_str).unwrap_or("corpus")).to_path_buf();
    let pages: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let mdbook = args.iter().any(|a| a == "--mdbook");
    // `--terms N` adds N glossary terms: two-word phrases from the same vocabulary, so they
    // occur in the pages and the linker has real work to do.
    let terms: usize = args
        .iter()
        .position(|a| a == "--terms")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let _ = std::fs::remove_dir_all(&dir);
    write(
        &dir.join("book.toml"),
        "[book]\ntitle = \"Synthetic corpus\"\n",
    );
    write(
        &dir.join("content/_index.md"),
        "---\ntitle: Synthetic corpus\n---\n\nBenchmark pages.\n",
    );
    let mut summary = String::from("# Summary\n\n");
    let md_dir = dir.with_file_name(format!(
        "{}-mdbook",
        dir.file_name()
            .map_or("corpus".into(), |n| n.to_string_lossy().into_owned())
    ));
    if mdbook {
        let _ = std::fs::remove_dir_all(&md_dir);
        write(
            &md_dir.join("book.toml"),
            "[book]\ntitle = \"Synthetic corpus\"\n",
        );
    }
    for s in 0..10 {
        write(
            &dir.join(format!("content/s{s}/_index.md")),
            &format!("---\ntitle: Section {s}\n---\n\nSection {s}.\n"),
        );
        for t in 0..10 {
            write(
                &dir.join(format!("content/s{s}/t{t}/_index.md")),
                &format!("---\ntitle: Topic {s}.{t}\n---\n\nTopic.\n"),
            );
        }
    }
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for i in 0..pages {
        let title = format!("{} {} {i}", rng.word(), rng.word());
        let text = body(&mut rng, i, pages);
        let front = format!(
            "---\ntitle: {title}\nsummary: {}\ntags: [{}, {}]\nregions: [Region {}]\n---\n\n",
            rng.sentence(10),
            rng.word(),
            rng.word(),
            i % 5
        );
        write(&dir.join("content").join(page_path(i)), &(front + &text));
        if mdbook {
            write(
                &md_dir.join("src").join(page_path(i)),
                &format!("# {title}\n\n{text}"),
            );
            let _ = writeln!(summary, "- [{title}]({})", page_path(i));
        }
    }
    if mdbook {
        write(&md_dir.join("src/SUMMARY.md"), &summary);
    }
    if terms > 0 {
        write(
            &dir.join("content/glossary/_index.md"),
            "---\ntitle: Glossary\n---\n",
        );
    }
    for t in 0..terms {
        let (a, b) = (
            WORDS[t % WORDS.len()],
            WORDS[(t / WORDS.len() + t + 1) % WORDS.len()],
        );
        write(
            &dir.join(format!("content/glossary/term-{t}.md")),
            &format!("---\nkind: term\nterm: {a} {b}\ndefinition: What {a} {b} means.\n---\n\nExplanation.\n"),
        );
    }
    eprintln!("wrote {pages} pages into {}", dir.display());
}
