//! Search on the bundled knowledge base, as practitioners type: hyphenated and dotted words,
//! glossary terms and their aliases, questions naming a place, words that are not in the
//! content, and every keystroke of a word being typed. Each query runs natively and in the
//! browser's engine (wasm, driven by node), which must agree on every response.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use accord::search_assets::ENGINE_WASM;
use accord_search::{Engine, SearchRequest, SearchResponse};

/// The bundled knowledge base, built once for all tests of this file.
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir").keep();
        let out = dir.join("site");
        let status = Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--out"])
            .arg(&out)
            .output()
            .expect("accord runs");
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        out
    })
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| accord::search::open_site_index(site()).expect("index opens"))
}

fn req(q: &str) -> SearchRequest {
    SearchRequest {
        q: q.into(),
        ..SearchRequest::default()
    }
}

fn search(q: &str) -> SearchResponse {
    engine().search(&req(q))
}

/// Page URLs (without section anchors) of the first `n` hits.
fn top(r: &SearchResponse, n: usize) -> Vec<String> {
    r.hits
        .iter()
        .take(n)
        .map(|h| h.url.split('#').next().unwrap_or_default().to_string())
        .collect()
}

#[track_caller]
fn in_top3(q: &str, page: &str) {
    let r = search(q);
    assert!(
        top(&r, 3).iter().any(|u| u == page),
        "{q:?}: expected {page} in the top 3, got {:?}",
        top(&r, 5)
    );
}

#[track_caller]
fn card(q: &str, term_page: &str) {
    let r = search(q);
    let d = r
        .definition
        .unwrap_or_else(|| panic!("{q:?}: no definition card"));
    assert_eq!(
        d.url.as_deref(),
        Some(term_page),
        "{q:?}: card {:?}",
        d.term
    );
}

#[test]
fn hyphens_dashes_slashes_and_dots_are_read_joined_and_split() {
    for (q, page) in [
        (
            "multi-disciplinary approach",
            "glossary/multidisciplinary-approach.html",
        ),
        (
            "multidisciplinary approach",
            "glossary/multidisciplinary-approach.html",
        ),
        ("re-victimisation", "glossary/revictimisation.html"),
        ("re victimisation ", "glossary/revictimisation.html"),
        (
            "victim-centered approach",
            "glossary/victim-centred-approach.html",
        ),
        ("act–means–purpose", "glossary/act-means-purpose.html"),
        ("act-means-purpose ", "glossary/act-means-purpose.html"),
        ("non punishment ", "glossary/non-punishment-principle.html"),
        ("nonpunishment ", "glossary/non-punishment-principle.html"),
        ("B8/3", "glossary/b8-3-procedure.html"),
        ("I-24/7", "glossary/i-24-7.html"),
        ("UNGIFT", "initiatives/ungift.html"),
        ("UN.GIFT ", "initiatives/ungift.html"),
        ("UN GIFT ", "initiatives/ungift.html"),
    ] {
        in_top3(q, page);
    }
    // Declared in front matter as a region value, searched as words.
    let r = search("South-East Asia");
    assert!(r.total >= 3, "{r:?}");
    assert!(r.hits.iter().take(3).all(|h| h.snippet.contains("<mark>")));
    // The IOM/UN.GIFT manual, named as readers name it.
    in_top3(
        "IOM/UN.GIFT Guiding Principles",
        "agreements/iom-ungift-guiding-principles.html",
    );
}

#[test]
fn every_keystroke_of_a_hyphenated_word_finds_it() {
    let word = "non-punishment";
    for end in 5..=word.len() {
        let q = &word[..end];
        let r = search(q);
        assert!(r.total > 0, "{q:?} found nothing");
        assert!(
            top(&r, 3)
                .iter()
                .any(|u| u == "principles/non-punishment.html"
                    || u == "glossary/non-punishment-principle.html"),
            "{q:?}: {:?}",
            top(&r, 5)
        );
    }
}

#[test]
fn every_glossary_variant_shows_its_card() {
    // Every term, abbreviation and alias of the bundled glossary.
    let variants = glossary_variants();
    assert!(variants.len() >= 50, "{} variants", variants.len());
    let mut missing = Vec::new();
    for (variant, page) in &variants {
        let r = search(variant);
        let shown = r.definition.as_ref().and_then(|d| d.url.clone());
        if shown.as_deref() != Some(page.as_str()) || !top(&r, 3).contains(page) {
            missing.push(format!("{variant:?} → {shown:?}, top 3 {:?}", top(&r, 3)));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    // Plural abbreviations.
    card("MoUs", "glossary/memorandum-of-understanding.html");
    card("NGOs", "glossary/non-governmental-organisation.html");
}

/// (variant, glossary page) for every term, abbreviation and alias in content/glossary, in
/// every language.
fn glossary_variants() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/glossary");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("glossary folder") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if name.starts_with('_') || path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let front = text
            .strip_prefix("---\n")
            .and_then(|t| t.split_once("\n---"))
            .map(|(f, _)| f)
            .expect("front matter");
        let meta: serde_yaml::Value = serde_yaml::from_str(front).expect("yaml");
        // A translation (`term.de.md`) names the same term: on the English site its German or
        // Polish names show the English card too.
        let name = name.split('.').next().unwrap_or(name);
        let page = format!("glossary/{name}.html");
        let mut push = |v: &serde_yaml::Value| {
            if let Some(s) = v.as_str() {
                out.push((s.to_string(), page.clone()));
            }
        };
        push(&meta["term"]);
        push(&meta["abbreviation"]);
        if let Some(aliases) = meta["aliases"].as_sequence() {
            aliases.iter().for_each(&mut push);
        }
    }
    out.sort();
    out
}

#[test]
fn results_are_pages_with_their_best_sections() {
    let queries = [
        "Palermo",
        "police",
        "data protection",
        "reflection period",
        "referral",
        "labour inspectors",
        "victims",
        "Europol",
        "MoU",
        "trust",
    ];
    let mut distinct_total = 0.0;
    let mut counted = 0.0;
    for q in queries {
        let r = search(q);
        let pages = top(&r, 5);
        let mut distinct = pages.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            pages.len(),
            "{q:?}: a page twice: {pages:?}"
        );
        if r.total >= 5 {
            distinct_total += distinct.len() as f64;
            counted += 1.0;
        }
        // Snippets show the matched words and never repeat within one list.
        let mut snippets: Vec<&str> = r.hits.iter().map(|h| h.snippet.as_str()).collect();
        assert!(
            r.hits.iter().take(5).all(|h| h.snippet.contains("<mark>")),
            "{q:?}: a top-5 snippet marks nothing: {snippets:#?}"
        );
        snippets.sort();
        let n = snippets.len();
        snippets.dedup();
        assert_eq!(snippets.len(), n, "{q:?}: a snippet twice");
        // Further sections of the same page, never the hit's own section.
        for h in &r.hits {
            let page = h.url.split('#').next().unwrap_or_default();
            assert!(h.sections.len() <= 3);
            for s in &h.sections {
                assert!(
                    s.url.starts_with(&format!("{page}#")),
                    "{s:?} under {}",
                    h.url
                );
                assert_ne!(s.url, h.url);
            }
        }
    }
    assert!(counted > 0.0);
    assert!(distinct_total / counted >= 4.5);
    // "Palermo" is a few pages, not five sections of the Protocol.
    let r = search("Palermo");
    assert!(r.hits.iter().any(|h| !h.sections.is_empty()));
}

#[test]
fn glossary_terms_and_aliases_rank_their_page() {
    in_top3("trafficked persons", "glossary/trafficked-person.html");
    card("trafficked persons", "glossary/trafficked-person.html");
    in_top3(
        "national referral mechanism",
        "glossary/national-referral-mechanism.html",
    );
    card("NRM", "glossary/national-referral-mechanism.html");
    // A question naming a place reaches that place's page.
    in_top3(
        "who decides whether someone is a victim in the UK",
        "agreements/uk-national-referral-mechanism.html",
    );
    // In a long question the card is not the first term that happens to appear.
    let r = search("can an NGO share a victim's data with the police");
    assert_ne!(
        r.definition.and_then(|d| d.url).as_deref(),
        Some("glossary/non-governmental-organisation.html")
    );
    // Country adjectives and codes are words of the pages about that country.
    in_top3("British", "agreements/uk-national-referral-mechanism.html");
    in_top3("Italian permit", "agreements/italy-article-18.html");
}

#[test]
fn words_not_in_the_content_find_nothing_rather_than_lookalikes() {
    for q in ["São Tomé", "tratta di esseri umani", "xylophone orchestra"] {
        let r = search(q);
        assert_eq!(r.total, 0, "{q:?}: {:?}", top(&r, 5));
        assert!(!r.fuzzy);
    }
    // A misspelling of a real word is found, and said to be.
    let r = search("refferal mechansim ");
    assert!(r.fuzzy);
    assert!(r.total > 0);
    // A near miss of a title is suggested when nothing matches.
    let r = search("uropol ");
    assert_eq!(r.total, 0);
    assert!(
        r.suggestions
            .iter()
            .any(|s| s.url == "organisations/europol.html"),
        "{:?}",
        r.suggestions
    );
}

/// Typed queries and the page a reader is after; every state from the third character on.
const TYPED: &[(&str, &str)] = &[
    (
        "confidentiality",
        "principles/confidentiality-and-data-protection.html",
    ),
    ("europol", "organisations/europol.html"),
    ("reflection period", "glossary/reflection-period.html"),
    ("non-punishment", "principles/non-punishment.html"),
    ("labour inspectorate", "glossary/labour-inspectorate.html"),
    ("informed consent", "principles/informed-consent.html"),
    (
        "national referral mechanism",
        "glossary/national-referral-mechanism.html",
    ),
    (
        "memorandum of understanding",
        "glossary/memorandum-of-understanding.html",
    ),
    ("joint action day", "glossary/joint-action-day.html"),
    ("interpol", "organisations/interpol.html"),
    ("revictimisation", "glossary/revictimisation.html"),
    ("purpose limitation", "glossary/purpose-limitation.html"),
];

/// Share of keystroke states whose target page is in the top 3.
fn typing_stability(engine: &Engine) -> (usize, usize, Vec<String>) {
    let (mut hit, mut all, mut misses) = (0, 0, Vec::new());
    for (query, page) in TYPED {
        let chars: Vec<(usize, char)> = query.char_indices().collect();
        for (n, (at, c)) in chars.iter().enumerate().skip(2) {
            let typed = &query[..at + c.len_utf8()];
            if typed.ends_with(' ') || n + 1 < 3 {
                continue;
            }
            all += 1;
            let r = engine.search(&req(typed));
            if top(&r, 3).iter().any(|u| u == page) {
                hit += 1;
            } else {
                misses.push(format!("{typed:?} → {:?}", top(&r, 3)));
            }
        }
    }
    (hit, all, misses)
}

#[test]
fn typing_keeps_the_target_in_view() {
    let (hit, all, misses) = typing_stability(engine());
    eprintln!("typing stability: {hit}/{all} keystroke states with the target in the top 3");
    for miss in &misses {
        eprintln!("  not in the top 3: {miss}");
    }
    assert!(
        hit * 100 >= all * 95,
        "{hit}/{all}; misses:\n{}",
        misses.join("\n")
    );
    // The real prefix outranks stems it only resembles.
    in_top3("europo", "organisations/europol.html");
    in_top3("europool", "organisations/europol.html");
}

#[test]
fn command_line_filters_accept_codes_names_and_front_matter_spellings() {
    let accord = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_accord"))
            .arg("search")
            .args(args)
            .arg("--site")
            .arg(site())
            .output()
            .expect("accord runs")
    };
    for args in [
        &["permit", "--country", "IT"][..],
        &["permit", "--country", "italy"],
        &["permit", "--country", "Italian"],
        &["permit", "--kind", "Term"],
        &["police", "--stakeholder", "labour-inspectorate"],
        &["police", "--stakeholder", "Labour inspectorates"],
        &["referral", "--country", "uk"],
    ] {
        let out = accord(args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{args:?}");
        assert!(stdout.starts_with("1. "), "{args:?}: {stdout}");
    }
    let out = accord(&["permit", "--country", "Narnia"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut lines = stderr.lines();
    assert_eq!(
        lines.next(),
        Some("error: no country `Narnia` in this site's index")
    );
    let hint = lines.next().unwrap_or_default();
    assert!(
        hint.starts_with("  hint: country values: ")
            && hint.contains("Italy, ")
            && hint.contains("United Kingdom"),
        "{hint}"
    );
    let out = accord(&["--json", "Palermo"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(json["hits"][0]["sections"].is_array());
    // No results: said plainly, with suggestions.
    let out = accord(&["uropol "]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("No results for “uropol ”.\nDid you mean:\n"),
        "{stdout}"
    );
}

#[test]
fn the_browser_engine_answers_the_bundled_site_alike() {
    let mut queries: Vec<SearchRequest> = [
        "multi-disciplinary approach",
        "non-p",
        "UNGIFT",
        "B8/3",
        "Palermo",
        "europo",
        "europool",
        "trafficked persons",
        "São Tomé",
        "who decides whether someone is a victim in the UK",
        "MoUs",
        "uropol ",
        "informed c",
    ]
    .into_iter()
    .map(req)
    .collect();
    queries.push(SearchRequest {
        q: "permit".into(),
        country: vec!["IT".into()],
        ..SearchRequest::default()
    });
    let native: Vec<SearchResponse> = queries.iter().map(|q| engine().search(q)).collect();
    let node = ["node", "/usr/bin/node"].into_iter().find(|n| {
        Command::new(n)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(node) = node else {
        assert!(
            std::env::var_os("CI").is_none(),
            "node is required in CI to run the wasm engine"
        );
        eprintln!("SKIPPED: node not found, the wasm half of this test did not run");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let wasm = dir.path().join("engine.wasm");
    let requests = dir.path().join("queries.json");
    std::fs::write(&wasm, ENGINE_WASM).expect("write");
    std::fs::write(&requests, serde_json::to_vec(&queries).expect("json")).expect("write");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/run_wasm.js");
    let out = Command::new(node)
        .arg(script)
        .arg(&wasm)
        .arg(site().join(accord::search::INDEX_PATH))
        .arg(&requests)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let wasm: Vec<SearchResponse> = serde_json::from_slice(&out.stdout).expect("responses");
    for ((q, n), w) in queries.iter().zip(&native).zip(&wasm) {
        assert_eq!(n, w, "{:?}", q.q);
    }
}
