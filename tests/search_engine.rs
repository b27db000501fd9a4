//! The search engine gives the same answers natively (`accord search`, the dev server) and in
//! the browser (the embedded wasm engine, driven here by node through the same C ABI as
//! `search.js`).

use std::path::Path;
use std::process::Command;

mod skip;

use accord::search_assets::ENGINE_WASM;
use accord_search::{
    build_index, Engine, FacetNames, SearchRequest, SearchResponse, SectionDoc, SynonymGroup,
    Synonyms,
};

struct Page {
    path: &'static str,
    title: &'static str,
    kind: &'static str,
    summary: &'static str,
    regions: &'static [&'static str],
    countries: &'static [&'static str],
    stakeholders: &'static [&'static str],
    tags: &'static [&'static str],
    sections: &'static [(&'static str, &'static str)],
}

const PAGES: &[Page] = &[
    Page {
        path: "principles/referral.html",
        title: "Referral of presumed victims",
        kind: "principle",
        summary: "Every presumed victim is referred to assistance, whoever identifies them first.",
        regions: &["Europe"],
        countries: &["United Kingdom"],
        stakeholders: &["police", "NGOs"],
        tags: &["referral", "identification"],
        sections: &[
            (
                "",
                "Referral connects the first contact with the help a victim needs.",
            ),
            (
                "National referral mechanism",
                "A national referral mechanism sets out who refers presumed victims of \
                 trafficking, to whom, and within which deadlines.",
            ),
            (
                "Roles of the police",
                "Police officers who meet a presumed victim refer them to a specialised NGO \
                 before any interview about the offence.",
            ),
            (
                "Roles of NGOs",
                "NGOs offer shelter, legal counselling and medical care, and accompany victims \
                 to interviews with the police when the victims wish so.",
            ),
        ],
    },
    Page {
        path: "principles/reflection.html",
        title: "Reflection and recovery period",
        kind: "principle",
        summary: "Victims get time to recover before deciding whether to cooperate.",
        regions: &["Europe"],
        countries: &[],
        stakeholders: &["police", "prosecutors"],
        tags: &["reflection", "residence"],
        sections: &[
            (
                "",
                "The reflection period lets a presumed victim of trafficking escape the \
                 influence of the traffickers and recover.",
            ),
            (
                "Length of the period",
                "The Council of Europe Convention requires a recovery and reflection period of \
                 at least 30 days; several states grant 90 days.",
            ),
            (
                "Residence during the period",
                "No expulsion order may be enforced against the victim during the reflection \
                 period.",
            ),
        ],
    },
    Page {
        path: "practices/joint-inspections.html",
        title: "Joint labour inspections",
        kind: "practice",
        summary: "Labour inspectors and police inspect workplaces together.",
        regions: &["Africa"],
        countries: &["São Tomé and Príncipe"],
        stakeholders: &["labour inspectorate", "police"],
        tags: &["labour exploitation", "fishing"],
        sections: &[
            (
                "",
                "In São Tomé the labour inspectorate and the maritime police board fishing \
                 vessels together.",
            ),
            (
                "Preparing an inspection",
                "Inspectors share intelligence on vessels and recruiters with the police a week \
                 before an inspection, under a written protocol.",
            ),
            (
                "Indicators of forced labour",
                "Withheld wages, confiscated identity documents and debts to the recruiter are \
                 indicators of forced labour.",
            ),
        ],
    },
    Page {
        path: "practices/hotline.html",
        title: "A shared hotline",
        kind: "practice",
        summary: "One telephone number for victims, witnesses and workers in every language.",
        regions: &["Asia"],
        countries: &["Thailand"],
        stakeholders: &["NGOs", "police"],
        tags: &["hotline", "identification"],
        sections: &[
            (
                "",
                "The hotline is staffed by an NGO and forwards credible reports to a police \
                 liaison officer around the clock.",
            ),
            (
                "Languages",
                "Calls are answered in Thai, Burmese, Khmer and English; interpreters join \
                 within minutes.",
            ),
            (
                "Data protection",
                "Callers may stay anonymous. Personal data is shared with the police only with \
                 consent or when life is at risk.",
            ),
        ],
    },
    Page {
        path: "principles/trust.html",
        title: "Trust between agencies",
        kind: "principle",
        summary: "Cooperation works when each side knows what the other can and cannot do.",
        regions: &["Europe", "Africa"],
        countries: &[],
        stakeholders: &["police", "NGOs", "labour inspectorate"],
        tags: &["cooperation", "trust"],
        sections: &[
            (
                "Why it matters",
                "Victims who trust the police report exploitation earlier, and testimony holds \
                 in court.",
            ),
            (
                "Building trust",
                "Joint training, named contact persons and written agreements build trust \
                 between agencies over time.",
            ),
            (
                "Memoranda of understanding",
                "A memorandum of understanding records who does what, and how information is \
                 exchanged between the police and NGOs.",
            ),
        ],
    },
    Page {
        path: "practices/financial.html",
        title: "Following the money",
        kind: "practice",
        summary: "Financial investigations find traffickers that victims' testimony cannot.",
        regions: &["Europe"],
        countries: &["Netherlands"],
        stakeholders: &["banks", "financial intelligence units"],
        tags: &["financial investigation"],
        sections: &[
            (
                "",
                "Banks report transactions that match indicators of trafficking in human beings \
                 to the financial intelligence unit.",
            ),
            (
                "Indicators",
                "Many small payments for online advertisements, rent for several flats and \
                 transfers abroad are typical indicators.",
            ),
            (
                "Confiscation",
                "Confiscated assets can pay compensation to victims.",
            ),
        ],
    },
    Page {
        path: "glossary.html",
        title: "Glossary",
        kind: "glossary",
        summary: "Terms used in this knowledge base.",
        regions: &[],
        countries: &[],
        stakeholders: &[],
        tags: &[],
        sections: &[
            (
                "NRM",
                "National referral mechanism: a framework through which state actors fulfil \
                 their obligations to protect and promote the human rights of trafficked persons.",
            ),
            (
                "Non-punishment principle",
                "Victims should not be punished for offences they were compelled to commit.",
            ),
        ],
    },
    Page {
        path: "practices/russian.html",
        title: "Сотрудничество полиции и НКО",
        kind: "practice",
        summary: "Совместная работа против торговли людьми.",
        regions: &["Europe"],
        countries: &["Moldova"],
        stakeholders: &["police", "NGOs"],
        tags: &["cooperation"],
        sections: &[
            (
                "",
                "Полиция и НКО работают вместе, чтобы выявлять жертв торговли людьми.",
            ),
            (
                "Горячая линия",
                "Горячая линия работает круглосуточно 🙂 и бесплатно.",
            ),
        ],
    },
    Page {
        path: "principles/escaping.html",
        title: "<img src=x onerror=alert(1)>",
        kind: "principle",
        summary: "A page whose title is markup.",
        regions: &[],
        countries: &[],
        stakeholders: &[],
        tags: &[],
        sections: &[(
            "<script>alert(1)</script>",
            "Markup in text such as <b>bold</b> & \"quotes\" is shown to victims as text.",
        )],
    },
];

fn slug(heading: &str) -> String {
    heading
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn fixture() -> Vec<SectionDoc> {
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    PAGES
        .iter()
        .flat_map(|p| {
            p.sections.iter().map(move |(heading, body)| SectionDoc {
                url: format!("{}#{}", p.path, slug(heading)),
                page_title: p.title.into(),
                section: heading.to_string(),
                body: body.to_string(),
                summary: p.summary.into(),
                kind: p.kind.into(),
                regions: strings(p.regions),
                countries: strings(p.countries),
                stakeholders: strings(p.stakeholders),
                tags: strings(p.tags),
            })
        })
        .collect()
}

fn synonyms() -> Synonyms {
    Synonyms {
        groups: vec![
            SynonymGroup {
                terms: vec!["NRM".into(), "national referral mechanism".into()],
                definition: Some(
                    "A framework through which state actors fulfil their obligations to \
                     trafficked persons."
                        .into(),
                ),
                url: Some("glossary.html#nrm".into()),
            },
            SynonymGroup {
                terms: vec!["MoU".into(), "memorandum of understanding".into()],
                definition: None,
                url: None,
            },
        ],
        facets: vec![FacetNames {
            facet: "country".into(),
            value: "United Kingdom".into(),
            names: vec!["GB".into(), "UK".into(), "British".into()],
        }],
        language: String::new(),
    }
}

fn req(q: &str) -> SearchRequest {
    SearchRequest {
        q: q.into(),
        ..SearchRequest::default()
    }
}

fn queries() -> Vec<SearchRequest> {
    let with = |q: &str, f: &dyn Fn(&mut SearchRequest)| {
        let mut r = req(q);
        f(&mut r);
        r
    };
    vec![
        req("reflection period"),
        req("\"reflection period\""),
        req("\"labour inspectorate\" police"),
        req("police -hotline"),
        req("refferal mechansim "),
        req("victm "),
        req("inspec"),
        req("Sao Tome"),
        req("NRM"),
        with("police", &|r| r.kind = vec!["practice".into()]),
        with("cooperation ", &|r| {
            r.region = vec!["Europe".into(), "Africa".into()]
        }),
        with("", &|r| r.stakeholder = vec!["NGOs".into()]),
        req("zzzqqq xylophone"),
        req("полиция"),
        req("🙂 victims 🙂"),
        req("AND OR NOT (("),
        req("\"unbalanced quote"),
        req(&"x".repeat(10_000)),
        req("memorandum of understanding"),
        with("trust agencies", &|r| {
            r.tag = vec!["trust".into()];
            r.limit = 3;
        }),
        req("British referral"),
        with("victims", &|r| r.country = vec!["uk".into()]),
        req("refer"),
        req("xylofone"),
    ]
}

fn node() -> Option<String> {
    ["node", "/usr/bin/node"]
        .into_iter()
        .find(|n| {
            Command::new(n)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(str::to_string)
}

fn ranked(r: &SearchResponse) -> Vec<(String, String)> {
    r.hits
        .iter()
        .map(|h| (h.url.clone(), h.snippet.clone()))
        .collect()
}

#[test]
fn native_and_wasm_engines_give_identical_results() {
    let blob = build_index(&fixture(), &synonyms()).expect("index builds");
    let engine = Engine::open(&blob).expect("index opens");
    let queries = queries();
    assert_eq!(queries.len(), 24);
    let native: Vec<SearchResponse> = queries.iter().map(|q| engine.search(q)).collect();

    // The queries mean what they say on this fixture (so parity is not trivially about
    // empty lists).
    let first = |i: usize| native[i].hits.first().map(|h| h.url.as_str());
    if std::env::var_os("ACCORD_SHOW_RESULTS").is_some() {
        for (q, r) in queries.iter().zip(&native) {
            let q: String = q.q.chars().take(40).collect();
            eprintln!(
                "{q:?}: {}",
                serde_json::to_string_pretty(r).unwrap_or_default()
            );
        }
    }
    assert!(first(1).is_some_and(|u| u.starts_with("principles/reflection.html#")));
    assert_eq!(
        first(4),
        Some("principles/referral.html#national-referral-mechanism")
    );
    assert!(native[4].fuzzy);
    assert!(native[6].total >= 2);
    assert_eq!(first(7), Some("practices/joint-inspections.html#"));
    assert!(native[8].definition.is_some());
    assert!(native[9].hits.iter().all(|h| h.kind == "practice"));
    assert_eq!(native[11].total, 4);
    assert_eq!(native[12].total, 0);
    assert_eq!(first(13), Some("practices/russian.html#"));
    assert!(native[3]
        .hits
        .iter()
        .all(|h| !h.url.starts_with("practices/hotline")));
    assert_eq!(native[19].hits.len(), native[19].total.min(3));
    // A country named by an adjective, and a filter given as a code.
    assert_eq!(
        first(20),
        Some("principles/referral.html#national-referral-mechanism")
    );
    assert!(native[21].total > 0);
    assert!(native[21]
        .hits
        .iter()
        .all(|h| h.url.starts_with("principles/referral.html")));
    // One result per page, its other matching sections listed under it.
    let pages: Vec<&str> = native[22]
        .hits
        .iter()
        .map(|h| h.url.split('#').next().unwrap_or_default())
        .collect();
    let mut distinct = pages.clone();
    distinct.dedup();
    assert_eq!(pages, distinct, "one hit per page");
    assert!(native[22].hits.iter().any(|h| !h.sections.is_empty()));
    for (i, r) in native.iter().enumerate() {
        if ![12, 15, 16, 17, 23].contains(&i) {
            assert!(r.total > 0, "query {i} ({:?}) found nothing", queries[i].q);
        }
    }

    let Some(node) = node() else {
        skip::skip(
            "tests/search_engine.rs: native and wasm engines give identical results (its wasm half)",
            "node not found",
            &format!("install Node.js {} or later", skip::MIN_NODE),
        );
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let wasm = dir.path().join("accord-search.wasm");
    let index = dir.path().join("index.bin");
    let requests = dir.path().join("queries.json");
    std::fs::write(&wasm, ENGINE_WASM).expect("write wasm");
    blob.write_to(dir.path()).expect("write index");
    std::fs::write(&requests, serde_json::to_vec(&queries).expect("json")).expect("write");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/run_wasm.js");
    let out = Command::new(node)
        .arg(script)
        .args([&wasm, &index, &requests])
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let wasm_results: Vec<SearchResponse> =
        serde_json::from_slice(&out.stdout).expect("node prints responses");
    assert_eq!(wasm_results.len(), native.len());
    for (i, (n, w)) in native.iter().zip(&wasm_results).enumerate() {
        let q: String = queries[i].q.chars().take(40).collect();
        assert_eq!(
            ranked(n),
            ranked(w),
            "query {i} ({q:?}): ranked urls and snippets"
        );
        assert_eq!(n.total, w.total, "query {i} ({q:?}): total");
        assert_eq!(n.facets, w.facets, "query {i} ({q:?}): facets");
        assert_eq!(n.definition, w.definition, "query {i} ({q:?}): definition");
        let scores = |r: &SearchResponse| r.hits.iter().map(|h| h.score).collect::<Vec<_>>();
        assert_eq!(scores(n), scores(w), "query {i} ({q:?}): scores");
        // Everything else too: grouped sections, suggestions, the near-spelling flag.
        assert_eq!(n, w, "query {i} ({q:?}): whole response");
    }
}

#[test]
fn wasm_engine_rejects_garbage_and_answers_bad_requests() {
    let Some(node) = node() else {
        skip::skip(
            "tests/search_engine.rs: wasm engine rejects garbage and answers bad requests",
            "node not found",
            &format!("install Node.js {} or later", skip::MIN_NODE),
        );
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let wasm = dir.path().join("accord-search.wasm");
    std::fs::write(&wasm, ENGINE_WASM).expect("write wasm");
    // Garbage, a real index's head with one byte damaged, then a real head whose chunks are all
    // damaged: the engine answers with its message instead of trapping, and a search that
    // reads a damaged chunk says so.
    let index = build_index(&fixture(), &synonyms()).expect("index builds");
    let garbage = dir.path().join("garbage");
    std::fs::create_dir(&garbage).expect("mkdir");
    std::fs::write(garbage.join("index.bin"), "not an index").expect("write");
    let mut damaged = index.clone();
    let middle = damaged.head.len() / 2;
    damaged.head[middle] ^= 0x20;
    let damaged_head = dir.path().join("head");
    damaged.write_to(&damaged_head).expect("write index");
    let damaged_chunks = dir.path().join("chunks");
    index.write_to(&damaged_chunks).expect("write index");
    for entry in std::fs::read_dir(damaged_chunks.join("chunks")).expect("chunks") {
        let path = entry.expect("entry").path();
        let mut bytes = std::fs::read(&path).expect("read chunk");
        let at = bytes.len() / 2;
        bytes[at] ^= 0x20;
        std::fs::write(&path, bytes).expect("damage chunk");
    }
    let script = r#"
        const fs = require("fs");
        const path = require("path");
        const { Engine } = require(process.argv[1] + "/tests/js/engine.js");
        const wasm = fs.readFileSync(process.argv[2]);
        for (const dir of process.argv.slice(3)) {
            try {
                const e = new Engine(wasm, path.join(dir, "index.bin"));
                console.log(e.search({ q: "police" }).error || "answered");
            }
            catch (e) { console.log(String(e.message)); }
        }
    "#;
    let out = Command::new(node)
        .args(["-e", script, env!("CARGO_MANIFEST_DIR")])
        .arg(&wasm)
        .args([&garbage, &damaged_head, &damaged_chunks])
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "search index damaged — rebuild the site (it does not start with the accord search index signature)",
            "search index damaged — rebuild the site (its checksum does not match: it was changed or damaged after it was built)",
        ],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[2].starts_with("search index damaged — rebuild the site (chunk ")
            && lines[2].ends_with(
                " does not match its checksum: it was changed or damaged after it was built)"
            ),
        "{}",
        lines[2]
    );
}

/// `accord search` on a built site whose index was damaged byte by byte, across the whole file:
/// every time a message naming the file and exit status 1, never a panic (status 101).
#[test]
fn accord_search_reports_a_damaged_index_and_never_panics() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("kb");
    accord::project::init(&root).expect("init");
    let site = dir.path().join("site");
    let build = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["build", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&site)
        .output()
        .expect("run accord build");
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let index = site.join("search/index.bin");
    let good = std::fs::read(&index).expect("read index");
    let search = || {
        Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(["search", "knowledge", "--site"])
            .arg(&site)
            .output()
            .expect("run accord search")
    };
    let ok = search();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    // 40 positions spread evenly over the file, the header and the last byte included. (The
    // engine's own test damages every byte; this one checks what the command line makes of it.)
    let trials = 40;
    let stride = good.len().div_ceil(trials - 1);
    let positions: Vec<usize> = (0..good.len())
        .step_by(stride)
        .chain([12, good.len() - 1])
        .collect();
    assert!(positions.len() >= trials, "{}", positions.len());
    for at in positions {
        let mut damaged = good.clone();
        damaged[at] ^= 0x55;
        std::fs::write(&index, &damaged).expect("damage index");
        let o = search();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "byte {at}: {stderr}");
        assert!(o.stdout.is_empty(), "byte {at}: printed results");
        let expected = if (8..12).contains(&at) {
            "search index format version"
        } else {
            "search index damaged — rebuild the site ("
        };
        assert!(
            stderr.starts_with(&format!("{}: {expected}", index.display())),
            "byte {at}: {stderr}"
        );
    }
    std::fs::write(&index, &good[..good.len() / 3]).expect("truncate index");
    let o = search();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        format!(
            "{}: search index damaged — rebuild the site (its checksum does not match: it was \
             changed or damaged after it was built)\n",
            index.display()
        )
    );

    // A whole head over damaged chunks: the search that reads one names it. Every chunk is
    // damaged, as a search reads only some.
    std::fs::write(&index, &good).expect("restore index");
    let chunks = site.join("search/chunks");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&chunks).expect("chunks") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "bin") {
            let mut bytes = std::fs::read(&path).expect("read chunk");
            let at = bytes.len() / 2;
            bytes[at] ^= 0x55;
            std::fs::write(&path, &bytes).expect("damage chunk");
            names.push(path.file_stem().unwrap().to_string_lossy().into_owned());
        }
    }
    let o = search();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(o.stdout.is_empty());
    let named = names.iter().find(|n| {
        stderr
            == format!(
                "search index damaged — rebuild the site (chunk {n} does not match its \
                 checksum: it was changed or damaged after it was built)\n"
            )
    });
    assert!(named.is_some(), "{stderr}");
    // A chunk file gone: the search says which.
    for name in &names {
        std::fs::remove_file(chunks.join(format!("{name}.bin"))).expect("remove");
        std::fs::remove_file(chunks.join(format!("{name}.js"))).expect("remove");
    }
    let o = search();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("search index damaged — rebuild the site (chunk ")
            && stderr.contains(&format!("{}", chunks.display()))
            && stderr.contains(".js: No such file or directory"),
        "{stderr}"
    );
}
