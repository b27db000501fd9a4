//! Benchmark input and the native half of `benches/search.sh`.
//!
//! `cargo run --release -p accord-search --example bench -- PAGES OUT_DIR` generates PAGES
//! synthetic pages of about 600 words (four sections each, words drawn from a Zipf-like
//! vocabulary so that common and rare words behave as in real text), builds the index, and
//! writes `OUT_DIR/index.bin` and `OUT_DIR/queries.json` for the wasm half. It prints one JSON
//! object with the native figures.

use std::time::Instant;

use accord_search::{build_index, Engine, SearchRequest, SectionDoc, Synonyms};

const WORDS_PER_PAGE: usize = 600;
const SECTIONS_PER_PAGE: usize = 4;
const VOCABULARY: usize = 20_000;
const QUERIES: usize = 300;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Words {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Words {
    fn new(rng: &mut Rng) -> Words {
        const SYLLABLES: &[&str] = &[
            "ta", "ri", "mo", "ven", "sel", "ka", "dor", "lin", "pa", "ex", "tion", "ment", "ra",
            "co", "ne", "vi", "sto", "gra", "ul", "bi", "fer", "ter", "po", "li", "cia", "tra",
        ];
        let mut words = Vec::with_capacity(VOCABULARY);
        while words.len() < VOCABULARY {
            let n = 1 + rng.below(4);
            let w: String = (0..n)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect();
            words.push(w);
        }
        let mut total = 0.0;
        let cumulative = (1..=VOCABULARY)
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Words { words, cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> &str {
        let target = rng.unit() * self.cumulative[VOCABULARY - 1];
        let i = self.cumulative.partition_point(|&c| c < target);
        &self.words[i.min(VOCABULARY - 1)]
    }

    fn text(&self, rng: &mut Rng, n: usize) -> String {
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push_str(if rng.below(12) == 0 { ". " } else { " " });
            }
            out.push_str(self.pick(rng));
        }
        out
    }
}

fn docs(pages: usize, words: &Words, rng: &mut Rng) -> Vec<SectionDoc> {
    const KINDS: &[&str] = &["principle", "practice", "instrument", "agreement", "term"];
    const REGIONS: &[&str] = &["Europe", "Africa", "Asia", "Americas", "Oceania"];
    let mut docs = Vec::with_capacity(pages * SECTIONS_PER_PAGE);
    for p in 0..pages {
        let title = words.text(rng, 3);
        let summary = words.text(rng, 20);
        let kind = KINDS[rng.below(KINDS.len())];
        let region = REGIONS[rng.below(REGIONS.len())];
        for s in 0..SECTIONS_PER_PAGE {
            let heading = if s == 0 {
                String::new()
            } else {
                words.text(rng, 3)
            };
            docs.push(SectionDoc {
                url: format!("pages/p{p}.html#s{s}"),
                page_title: title.clone(),
                section: heading,
                body: words.text(rng, WORDS_PER_PAGE / SECTIONS_PER_PAGE),
                summary: summary.clone(),
                kind: kind.into(),
                regions: vec![region.into()],
                countries: vec![format!("Country {}", rng.below(40))],
                stakeholders: vec![format!("stakeholder {}", rng.below(8))],
                tags: vec![format!("tag {}", rng.below(30))],
            });
        }
    }
    docs
}

/// Queries as people type them: one to three words, some quoted, some misspelt, some cut short.
fn queries(words: &Words, rng: &mut Rng) -> Vec<SearchRequest> {
    (0..QUERIES)
        .map(|i| {
            let n = 1 + rng.below(3);
            let mut q: Vec<String> = (0..n).map(|_| words.pick(rng).to_string()).collect();
            match i % 6 {
                0 => q = vec![format!("\"{}\"", q.join(" "))],
                1 => {
                    if let Some(last) = q.last_mut() {
                        if last.len() > 3 {
                            last.truncate(last.len() - 2);
                        }
                    }
                }
                2 => {
                    if let Some(first) = q.first_mut() {
                        if first.len() > 4 {
                            first.insert(2, 'x');
                        }
                    }
                }
                _ => {}
            }
            let mut text = q.join(" ");
            if i % 6 != 1 {
                text.push(' ');
            }
            SearchRequest {
                q: text,
                kind: if i % 5 == 0 {
                    vec!["practice".into()]
                } else {
                    Vec::new()
                },
                ..SearchRequest::default()
            }
        })
        .collect()
}

/// The same pages as HTML, for indexing them with other tools (Pagefind) in the benchmark.
fn write_html(dir: &std::path::Path, docs: &[SectionDoc]) {
    let pages = dir.join("pages");
    std::fs::create_dir_all(&pages).expect("create html dir");
    let mut page: Vec<&SectionDoc> = Vec::new();
    let flush = |page: &mut Vec<&SectionDoc>| {
        let Some(first) = page.first() else { return };
        let path = first.url.split('#').next().unwrap_or_default();
        let mut html = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
             </head><body><main><h1>{t}</h1><p>{s}</p>",
            t = first.page_title,
            s = first.summary
        );
        for (i, d) in page.iter().enumerate() {
            if !d.section.is_empty() {
                html.push_str(&format!("<h2 id=\"s{i}\">{}</h2>", d.section));
            }
            html.push_str(&format!("<p>{}</p>", d.body));
        }
        html.push_str("</main></body></html>");
        std::fs::write(dir.join(path), html).expect("write page");
        page.clear();
    };
    for d in docs {
        if d.url.ends_with("#s0") {
            flush(&mut page);
        }
        page.push(d);
    }
    flush(&mut page);
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let pages: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let out = std::path::PathBuf::from(args.next().unwrap_or_else(|| "target/bench".into()));
    std::fs::create_dir_all(&out).expect("create output dir");

    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let words = Words::new(&mut rng);
    let docs = docs(pages, &words, &mut rng);
    let queries = queries(&words, &mut rng);

    if let Some(dir) = std::env::var_os("ACCORD_BENCH_HTML") {
        write_html(std::path::Path::new(&dir), &docs);
    }

    let t = Instant::now();
    let blob = build_index(&docs, &Synonyms::default()).expect("index builds");
    let build_ms = t.elapsed().as_secs_f64() * 1e3;

    let t = Instant::now();
    let engine = Engine::open(&blob).expect("index opens");
    let load_ms = t.elapsed().as_secs_f64() * 1e3;

    if std::env::var_os("ACCORD_BENCH_SPACE").is_some() {
        for (part, bytes) in engine.space_usage() {
            eprintln!("{part:<24} {:>10}", bytes);
        }
    }

    let mut times = Vec::with_capacity(queries.len());
    let mut hits = 0;
    for q in &queries {
        let t = Instant::now();
        let r = engine.search(q);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        hits += r.hits.len();
    }
    if std::env::var_os("ACCORD_BENCH_SLOWEST").is_some() {
        let mut slow: Vec<(f64, &SearchRequest)> = times.iter().copied().zip(&queries).collect();
        slow.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (ms, q) in slow.iter().take(12) {
            eprintln!("{ms:8.2} ms  {:?} {:?}", q.q, q.kind);
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));

    blob.write_to(&out).expect("write index");
    let json = serde_json::to_vec(&queries).expect("queries to json");
    std::fs::write(out.join("queries.json"), json).expect("write queries");
    println!(
        "{{\"pages\":{pages},\"sections\":{},\"build_ms\":{build_ms:.1},\"index_bytes\":{},\
         \"load_ms\":{load_ms:.1},\"p50_ms\":{:.2},\"p95_ms\":{:.2},\"queries\":{},\"hits\":{hits}}}",
        docs.len(),
        blob.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times.len(),
    );
}
