//! Behaviour of the whole engine on a small knowledge base.

use std::collections::HashSet;

use crate::*;

fn doc(url: &str, title: &str, section: &str, body: &str) -> SectionDoc {
    SectionDoc {
        url: url.into(),
        page_title: title.into(),
        section: section.into(),
        body: body.into(),
        kind: "principle".into(),
        ..SectionDoc::default()
    }
}

fn fixture() -> Vec<SectionDoc> {
    vec![
        SectionDoc {
            regions: vec!["Europe".into()],
            countries: vec!["Portugal".into()],
            stakeholders: vec!["police".into(), "NGOs".into()],
            tags: vec!["referral".into()],
            ..doc(
                "principles/referral.html#overview",
                "Referral of victims",
                "Overview",
                "The national referral mechanism connects police, labour inspectors and NGOs \
                 so that victims are identified and referred to assistance.",
            )
        },
        SectionDoc {
            regions: vec!["Europe".into()],
            stakeholders: vec!["police".into()],
            kind: "practice".into(),
            ..doc(
                "practices/reflection.html#period",
                "Reflection period",
                "Granting the period",
                "A reflection period of at least 30 days lets a presumed victim recover and \
                 decide whether to cooperate with the authorities.",
            )
        },
        SectionDoc {
            regions: vec!["Africa".into()],
            countries: vec!["São Tomé and Príncipe".into()],
            kind: "practice".into(),
            ..doc(
                "practices/island.html#",
                "Island cooperation",
                "",
                "In São Tomé the labour inspectorate and the police hold joint visits to \
                 fishing vessels.",
            )
        },
        SectionDoc {
            regions: vec!["Europe".into()],
            tags: vec!["trust".into()],
            ..doc(
                "principles/trust.html#why-it-matters",
                "Trust between agencies",
                "Why it matters",
                "Victims who trust the police report exploitation earlier. Forced labour \
                 cases rely on testimony.",
            )
        },
        SectionDoc {
            tags: vec!["labour".into()],
            ..doc(
                "principles/labour.html#forced",
                "Forced labour",
                "Indicators",
                "Indicators of forced labour include withheld wages and confiscated \
                 documents. Labour that is forced differs from poor working conditions.",
            )
        },
        doc(
            "principles/xss.html#",
            "<img src=x onerror=alert(1)>",
            "<script>",
            "Escaping matters: <b>bold</b> & \"quotes\" in a victim story.",
        ),
        doc(
            "principles/russian.html#",
            "Сотрудничество",
            "Москва",
            "Полиция и НКО работают вместе против торговли людьми.",
        ),
    ]
}

fn synonyms() -> Synonyms {
    Synonyms {
        groups: vec![SynonymGroup {
            terms: vec!["NRM".into(), "national referral mechanism".into()],
            definition: Some(
                "A framework through which state actors meet their obligations.".into(),
            ),
            url: Some("glossary.html#nrm".into()),
        }],
        facets: Vec::new(),
        language: String::new(),
    }
}

fn engine() -> Engine {
    let blob = build_index(&fixture(), &synonyms()).expect("index builds");
    Engine::open(&blob).expect("index opens")
}

fn q(engine: &Engine, q: &str) -> SearchResponse {
    engine.search(&SearchRequest {
        q: q.into(),
        ..SearchRequest::default()
    })
}

fn urls(r: &SearchResponse) -> Vec<&str> {
    r.hits.iter().map(|h| h.url.as_str()).collect()
}

#[test]
fn stemmed_words_match_and_are_highlighted() {
    let e = engine();
    let r = q(&e, "victims ");
    assert!(r.total >= 3, "{r:?}");
    assert!(r
        .hits
        .iter()
        .all(|h| h.snippet.to_lowercase().contains("<mark>victim")));
}

#[test]
fn title_outranks_body() {
    let e = engine();
    let r = q(&e, "reflection ");
    assert_eq!(urls(&r)[0], "practices/reflection.html#period");
    let r = q(&e, "trust ");
    assert_eq!(urls(&r)[0], "principles/trust.html#why-it-matters");
}

#[test]
fn ascii_folding_finds_accented_words() {
    let e = engine();
    for query in ["Sao Tome ", "são tomé ", "SAO TOME "] {
        let r = q(&e, query);
        assert_eq!(urls(&r), ["practices/island.html#"], "{query}");
        assert!(r.hits[0]
            .snippet
            .contains("<mark>São</mark> <mark>Tomé</mark>"));
    }
}

#[test]
fn phrases_require_adjacent_words() {
    let e = engine();
    let r = q(&e, "\"forced labour\"");
    assert!(r.hits[0]
        .snippet
        .contains("<mark>forced</mark> <mark>labour</mark>"));
    assert_eq!(
        urls(&r),
        [
            "principles/labour.html#forced",
            "principles/trust.html#why-it-matters"
        ]
    );
    // Both words occur in the labour page, but never "labour forced" in that order.
    let r = q(&e, "\"labour forced\"");
    assert_eq!(r.total, 0);
}

#[test]
fn exclusions_remove_sections() {
    let e = engine();
    let all = q(&e, "police ");
    assert!(urls(&all).contains(&"practices/island.html#"));
    let r = q(&e, "police -fishing");
    assert!(!urls(&r).contains(&"practices/island.html#"));
    assert_eq!(r.total + 1, all.total);
    let r = q(&e, "police -\"joint visits\"");
    assert_eq!(r.total + 1, all.total);
}

#[test]
fn all_words_are_preferred_then_any() {
    let e = engine();
    let r = q(&e, "police fishing ");
    assert_eq!(urls(&r), ["practices/island.html#"]);
    // No section has both words: fall back to sections with either.
    let r = q(&e, "wages vessels ");
    assert_eq!(r.total, 2, "{r:?}");
}

#[test]
fn last_word_matches_as_prefix_while_typing() {
    let e = engine();
    let r = q(&e, "inspec");
    assert!(r.total >= 2, "{r:?}");
    assert!(
        r.hits[0].snippet.contains("<mark>inspect"),
        "{}",
        r.hits[0].snippet
    );
    // Typed past the stem: "organisati..." style queries still find the stemmed word.
    let r = q(&e, "testimon");
    assert_eq!(urls(&r), ["principles/trust.html#why-it-matters"]);
    // A finished word (trailing space) is not a prefix.
    assert_eq!(q(&e, "inspec ").total, 0);
}

#[test]
fn typos_fall_back_to_near_spellings() {
    let e = engine();
    let r = q(&e, "reflecton perod ");
    assert!(r.fuzzy);
    assert_eq!(urls(&r)[0], "practices/reflection.html#period");
    assert!(
        r.hits[0].snippet.contains("<mark>"),
        "{}",
        r.hits[0].snippet
    );
    // A typo in the ending, which the stemmer cannot remove, still finds the word.
    let r = q(&e, "testimomy ");
    assert_eq!(urls(&r), ["principles/trust.html#why-it-matters"]);
    assert!(r.hits[0].snippet.contains("<mark>testimony</mark>"));
    // Exact words that find enough are not blurred.
    assert!(!q(&e, "police ").fuzzy);
}

#[test]
fn glossary_synonyms_and_definition() {
    let e = engine();
    let r = q(&e, "NRM");
    assert_eq!(urls(&r), ["principles/referral.html#overview"]);
    assert!(r.hits[0].snippet.contains("<mark>national</mark>"));
    let d = r.definition.expect("definition");
    assert_eq!(d.term, "NRM");
    assert_eq!(d.url.as_deref(), Some("glossary.html#nrm"));
    let r = q(&e, "national referral mechanism ");
    assert!(r.definition.is_some());
    assert!(q(&e, "police ").definition.is_none());
}

#[test]
fn facet_filters_and_counts() {
    let e = engine();
    // "police" is in the text of three pages and a stakeholder of a fourth.
    let r = q(&e, "police ");
    let kinds = &r.facets["kind"];
    assert_eq!(
        kinds,
        &[
            FacetCount {
                value: "practice".into(),
                count: 2
            },
            FacetCount {
                value: "principle".into(),
                count: 2
            },
        ]
    );
    let filtered = e.search(&SearchRequest {
        q: "police ".into(),
        kind: vec!["practice".into()],
        ..SearchRequest::default()
    });
    assert_eq!(
        urls(&filtered),
        ["practices/island.html#", "practices/reflection.html#period"]
    );
    // The filtered facet still lists the other kinds, so they can be chosen too.
    assert_eq!(&filtered.facets["kind"], kinds);
    assert_eq!(
        filtered.facets["region"],
        [
            FacetCount {
                value: "Africa".into(),
                count: 1
            },
            FacetCount {
                value: "Europe".into(),
                count: 1
            }
        ]
    );
    let r = e.search(&SearchRequest {
        region: vec!["Africa".into(), "Europe".into()],
        stakeholder: vec!["police".into()],
        ..SearchRequest::default()
    });
    assert_eq!(
        urls(&r),
        [
            "practices/reflection.html#period",
            "principles/referral.html#overview"
        ]
    );
    let r = e.search(&SearchRequest {
        country: vec!["São Tomé and Príncipe".into()],
        ..SearchRequest::default()
    });
    assert_eq!(urls(&r), ["practices/island.html#"]);
}

#[test]
fn request_json_accepts_one_value_or_many() {
    let r: SearchRequest =
        serde_json::from_str(r#"{"q":"x","kind":"practice","tag":["a","b"],"region":null}"#)
            .expect("parses");
    assert_eq!(r.kind, ["practice"]);
    assert_eq!(r.tag, ["a", "b"]);
    assert!(r.region.is_empty());
    assert_eq!(r.limit, 10);
}

#[test]
fn limit_bounds_hits_not_total() {
    let e = engine();
    let r = e.search(&SearchRequest {
        q: "police ".into(),
        limit: 1,
        ..SearchRequest::default()
    });
    assert_eq!(r.hits.len(), 1);
    assert_eq!(r.total, 4);
    let r = e.search(&SearchRequest {
        q: "police ".into(),
        limit: 0,
        ..SearchRequest::default()
    });
    assert!(r.hits.is_empty());
    assert_eq!(r.total, 4);
}

#[test]
fn snippets_escape_html() {
    let e = engine();
    let r = q(&e, "escaping ");
    let hit = &r.hits[0];
    assert_eq!(hit.title, "<img src=x onerror=alert(1)>");
    assert_eq!(
        hit.snippet,
        "<mark>Escaping</mark> matters: &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot; in a victim story."
    );
}

#[test]
fn cyrillic_is_searchable() {
    let e = engine();
    let r = q(&e, "полиция");
    assert_eq!(urls(&r), ["principles/russian.html#"]);
    assert!(r.hits[0].snippet.contains("<mark>Полиция</mark>"));
}

#[test]
fn hostile_queries_return_without_error() {
    let e = engine();
    let long = "police ".repeat(1_500);
    let hostile: Vec<String> = vec![
        "".into(),
        " ".into(),
        "\"".into(),
        "\"\"".into(),
        "\"\"\"\"\"".into(),
        "\"unbalanced quote".into(),
        "unbalanced\" quote\" \"".into(),
        "x".repeat(10_000),
        long,
        "🙂".repeat(3_000),
        "🙂 police 🙂".into(),
        "торговля людьми".into(),
        "AND OR NOT ((".into(),
        "NOT".into(),
        "-".into(),
        "--police".into(),
        "-police".into(),
        "- - -".into(),
        "*".into(),
        "police*".into(),
        "title:police".into(),
        "police^10".into(),
        "(police OR ngo) AND -\"".into(),
        "\u{0}\u{1}\u{7f}".into(),
        "\\\"\\".into(),
        "a".into(),
        "a b c d e f g h i j k l m n o p q r s t u v w x y z".into(),
        "\u{202e}police\u{200b}".into(),
        "İstanbul ß ﬁsh".into(),
    ];
    for query in &hostile {
        let r = q(&e, query);
        assert!(r.hits.len() <= 10, "{query:?}");
        let json = serde_json::to_string(&r).expect("serialises");
        assert!(!json.is_empty());
    }
    assert_eq!(q(&e, "").total, 0);
    assert_eq!(q(&e, "AND OR NOT ((").total, 0);
    assert_eq!(q(&e, "-police").total, 0);
}

#[test]
fn ties_are_broken_by_url() {
    let docs: Vec<SectionDoc> = ["c.html#", "a.html#", "b.html#"]
        .iter()
        .map(|u| doc(u, "Same", "", "identical words"))
        .collect();
    let e =
        Engine::open(&build_index(&docs, &Synonyms::default()).expect("builds")).expect("opens");
    assert_eq!(
        urls(&q(&e, "identical ")),
        ["a.html#", "b.html#", "c.html#"]
    );
}

/// An engine over `head` whose chunks come from `index`.
fn open_head(head: &[u8], index: &PackedIndex) -> Result<Engine, Error> {
    let chunks = index.chunks.clone();
    Engine::open_lazy(
        head,
        Box::new(move |n, _| {
            chunks
                .get(n)
                .cloned()
                .ok_or_else(|| std::io::Error::other("no such chunk"))
        }),
    )
}

#[test]
fn other_format_versions_are_rejected() {
    let index = build_index(&fixture(), &Synonyms::default()).expect("builds");
    let mut head = index.head.clone();
    head[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let err = open_head(&head, &index).err().expect("rejected");
    assert!(
        matches!(err, Error::Version { found, expected } if found == FORMAT_VERSION + 1 && expected == FORMAT_VERSION)
    );
    assert!(err.to_string().contains("rebuild the site"), "{err}");

    assert!(matches!(
        open_head(b"not an index", &index),
        Err(Error::Format(_))
    ));
    assert!(matches!(
        open_head(&index.head[..index.head.len() / 2], &index),
        Err(Error::Format(_))
    ));
    assert!(open_head(&[], &index).is_err());
}

#[test]
fn empty_site_gives_empty_results() {
    let e = Engine::open(&build_index(&[], &Synonyms::default()).expect("builds")).expect("opens");
    assert_eq!(q(&e, "police").total, 0);
    assert_eq!(e.num_docs(), 0);
}

#[test]
fn base64_script_encodes_bytes() {
    assert_eq!(base64_script("V", b""), "window.V=\"\";\n");
    assert_eq!(base64_script("V", b"f"), "window.V=\"Zg==\";\n");
    assert_eq!(base64_script("V", b"fo"), "window.V=\"Zm8=\";\n");
    assert_eq!(base64_script("V", b"foobar"), "window.V=\"Zm9vYmFy\";\n");
    assert_eq!(
        base64_script("V", &[0xff, 0xfe, 0xfd]),
        "window.V=\"//79\";\n"
    );
}

#[test]
fn random_queries_never_panic() {
    // Mixes of every construct the query language has, in debug builds where tantivy's
    // internal assertions are live.
    const PARTS: &[&str] = &[
        "police",
        "\"forced",
        "labour\"",
        "-fishing",
        "-\"joint",
        "visits\"",
        "NRM",
        "vict",
        "🙂",
        "AND",
        "((",
        "\"",
        "-",
        "sao",
        "tomé",
        "national",
        "referral",
        "mechanism",
        "reflecton",
        "-police",
        "\"forced labour\"",
        "-\"national referral\"",
        "полиция",
        "x",
        "inspec",
        "testimon",
        "the",
        "of",
        "-the",
        "\"the police\"",
    ];
    let e = engine();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for _ in 0..300 {
        let words = 1 + next(6);
        let mut query = String::new();
        for _ in 0..words {
            query.push_str(PARTS[next(PARTS.len())]);
            if next(4) > 0 {
                query.push(' ');
            }
        }
        let mut req = SearchRequest {
            q: query.clone(),
            limit: next(4),
            ..SearchRequest::default()
        };
        if next(3) == 0 {
            req.kind = vec!["practice".into()];
        }
        if next(4) == 0 {
            req.region = vec!["Europe".into(), "Nowhere".into()];
        }
        let r = e.search(&req);
        assert!(r.hits.len() <= req.limit, "{query:?}");
        assert!(r.total >= r.hits.len(), "{query:?}");
    }
}

#[test]
fn the_same_documents_give_the_same_bytes() {
    // tantivy names segments with random UUIDs; the packed index must not carry them, or two
    // builds of one site would differ.
    let a = build_index(&fixture(), &synonyms()).expect("builds");
    let b = build_index(&fixture(), &synonyms()).expect("builds");
    assert!(a == b, "two builds of the same documents differ");
    let packed = crate::format::unpack_head(&a.head).expect("unpacks");
    let names: Vec<&str> = packed.files.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"meta.json"), "{names:?}");
    assert!(
        names
            .iter()
            .filter(|n| **n != "meta.json")
            .all(|n| n.starts_with("00000000000000000000000000000001.")),
        "{names:?}"
    );
    assert!(Engine::open(&a).expect("opens").num_docs() > 0);
}

/// A site of 40 pages of one to five sections each, with words, countries and regions drawn
/// from small lists so that queries match many sections of many pages.
fn larger_site() -> Vec<SectionDoc> {
    const WORDS: [&str; 16] = [
        "referral",
        "victims",
        "police",
        "labour",
        "inspectors",
        "shelter",
        "prosecution",
        "border",
        "cooperation",
        "trafficking",
        "witness",
        "protection",
        "memorandum",
        "agency",
        "exploitation",
        "identification",
    ];
    const COUNTRIES: [&str; 5] = ["Italy", "Portugal", "Ghana", "Nepal", "Chile"];
    const REGIONS: [&str; 3] = ["Europe", "Africa", "Asia"];
    // A fixed linear congruential sequence: the same "random" site on every run.
    let mut state: u64 = 7;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (state >> 33) as usize % n
    };
    let mut docs = Vec::new();
    for page in 0..40 {
        let title = format!("{} {}", WORDS[next(16)], WORDS[next(16)]);
        for section in 0..1 + next(5) {
            let body: Vec<&str> = (0..8 + next(20)).map(|_| WORDS[next(16)]).collect();
            docs.push(SectionDoc {
                countries: vec![COUNTRIES[next(5)].into()],
                regions: vec![REGIONS[page % 3].into()],
                kind: if page % 2 == 0 {
                    "principle"
                } else {
                    "practice"
                }
                .into(),
                ..doc(
                    &format!("p/{page:02}.html#s{section}"),
                    &title,
                    WORDS[next(16)],
                    &body.join(" "),
                )
            });
        }
    }
    // Given out of URL order: the build orders them.
    docs.reverse();
    docs
}

#[test]
fn segments_written_on_disk_pack_into_the_bytes_of_segments_in_memory() {
    let docs = larger_site();
    let in_memory = crate::index::build_in_shards(&docs, &synonyms(), 7).expect("builds");
    let scratch = tempfile::tempdir().expect("temporary folder");
    let segments =
        crate::index::segments(&docs, None, &synonyms(), 7, Some(scratch.path())).expect("writes");
    assert!(segments.len() > 5, "{} segments", segments.len());
    // Each segment's files are on disk, not in memory.
    assert!(scratch.path().join("segment-0").join("meta.json").is_file());
    let on_disk = crate::index::finish(segments, &synonyms(), Some(scratch.path())).expect("packs");
    assert!(scratch.path().join("merged").is_dir());
    assert!(on_disk == in_memory, "the index written on disk differs");
}

#[test]
fn sections_whose_text_is_read_as_they_are_written_index_as_if_they_carried_it() {
    let docs = larger_site();
    let in_docs = crate::build_index(&docs, &synonyms()).expect("builds");
    let texts: Vec<String> = docs.iter().map(|d| d.body.clone()).collect();
    let bare: Vec<SectionDoc> = docs
        .into_iter()
        .map(|d| SectionDoc {
            body: String::new(),
            ..d
        })
        .collect();
    let read = |n: usize| Ok(texts[n].clone());
    let segments = crate::write_segments_reading(bare.clone(), Some(&read), &synonyms(), None)
        .expect("writes");
    let read_in = crate::pack_segments(segments).expect("packs");
    assert!(
        read_in == in_docs,
        "the index of texts read as written differs"
    );

    let failing = |n: usize| -> std::io::Result<String> {
        if n == 3 {
            Err(std::io::Error::other("gone"))
        } else {
            Ok(texts[n].clone())
        }
    };
    let error = crate::write_segments_reading(bare.clone(), Some(&failing), &synonyms(), None)
        .err()
        .expect("an unreadable text is an error");
    assert_eq!(
        error.to_string(),
        format!("search index error: {}: gone", bare[3].url)
    );
}

#[test]
fn an_index_written_in_a_scratch_folder_removes_it_once_packed_or_dropped() {
    let docs = larger_site();
    let parent = tempfile::tempdir().expect("temporary folder");
    let folder = parent.path().join("index-en");
    let segments = crate::write_segments(docs.clone(), &synonyms(), Some(&folder)).expect("writes");
    assert!(folder.is_dir());
    let packed = crate::pack_segments(segments).expect("packs");
    assert!(!folder.exists(), "the scratch folder is left behind");
    let in_memory = crate::build_index(&docs, &synonyms()).expect("builds");
    assert!(packed == in_memory, "the index written on disk differs");

    let segments = crate::write_segments(docs, &synonyms(), Some(&folder)).expect("writes");
    drop(segments);
    assert!(
        !folder.exists(),
        "a dropped index leaves its scratch folder behind"
    );
    // A folder that is there already is not taken over, nor removed.
    std::fs::create_dir(&folder).unwrap();
    let taken = crate::write_segments(larger_site(), &synonyms(), Some(&folder));
    assert!(taken.is_err());
    assert!(folder.is_dir());
}

#[test]
fn segments_written_apart_search_like_one() {
    let docs = larger_site();
    assert!(docs.len() > 60, "{}", docs.len());
    let one = crate::index::build_in_shards(&docs, &synonyms(), usize::MAX).expect("builds");
    let sharded = crate::index::build_in_shards(&docs, &synonyms(), 7).expect("builds");
    let again = crate::index::build_in_shards(&docs, &synonyms(), 7).expect("builds");
    assert!(sharded == again, "two builds of the same documents differ");
    // Merged into one segment, whatever the number written.
    let packed = crate::format::unpack_head(&sharded.head).expect("unpacks");
    let segments: HashSet<&str> = packed
        .files
        .iter()
        .filter_map(|(n, _)| n.split_once('.').map(|(s, _)| s))
        .filter(|s| *s != "meta")
        .collect();
    assert_eq!(
        segments,
        HashSet::from(["00000000000000000000000000000001"])
    );

    let (one, sharded) = (Engine::open(&one).unwrap(), Engine::open(&sharded).unwrap());
    assert_eq!(sharded.num_docs(), docs.len() as u64);
    let requests = [
        "referral",
        "police victims",
        "\"labour inspectors\"",
        "prosecution -border",
        "traffick",
        "polise",
        "shelter witness protection",
    ]
    .into_iter()
    .map(|query| SearchRequest {
        q: query.into(),
        limit: 100,
        ..SearchRequest::default()
    })
    .chain([SearchRequest {
        q: "agency".into(),
        country: vec!["Italy".into()],
        limit: 100,
        ..SearchRequest::default()
    }]);
    for req in requests {
        let (a, b) = (one.search(&req), sharded.search(&req));
        assert!(a.total > 1, "{:?} finds too little to compare", req.q);
        assert_eq!(a, b, "{:?}", req.q);
    }
    for facet in crate::FACETS {
        assert_eq!(one.facet_values(facet), sharded.facet_values(facet));
    }
}

#[test]
fn shards_end_with_a_page() {
    let docs = larger_site();
    let ranked = crate::index::ranked(&docs);
    let shards = crate::index::shards(&ranked, 7);
    assert!(shards.len() > 5, "{}", shards.len());
    assert_eq!(shards.iter().map(|s| s.len()).sum::<usize>(), docs.len());
    for pair in shards.windows(2) {
        let (last, first) = (pair[0].last().unwrap(), &pair[1][0]);
        assert_eq!(last.rank + 1, first.rank);
        assert_ne!(last.page_rank, first.page_rank);
        assert!(pair[0].len() >= 7);
    }
    // An empty site is one empty shard: its index has a segment to open.
    assert_eq!(crate::index::shards(&[], 7).len(), 1);
}

/// Flips one byte at `at` of the head and opens the result, catching a panic as an `Err` of
/// its message.
fn open_flipped(index: &PackedIndex, at: usize, mask: u8) -> Result<Result<Engine, Error>, String> {
    let mut damaged = index.head.clone();
    damaged[at] ^= mask;
    caught(|| open_head(&damaged, index))
}

fn caught<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> Result<T, String> {
    std::panic::catch_unwind(f).map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

#[test]
fn every_damaged_byte_of_the_head_is_an_error_never_a_panic() {
    let index = build_index(&fixture(), &synonyms()).expect("builds");
    // Every byte of the head: the header, the file and chunk tables, the synonyms and the
    // preloaded bytes alike, with a one-bit and an all-bits flip.
    let mut trials = 0;
    for at in 0..index.head.len() {
        for mask in [0x01, 0xff] {
            trials += 1;
            match open_flipped(&index, at, mask) {
                Err(panic) => panic!("byte {at} ^ {mask:#x}: the engine panicked: {panic}"),
                Ok(Ok(_)) => panic!("byte {at} ^ {mask:#x}: a damaged index opened"),
                Ok(Err(Error::Version { .. })) => assert!((8..12).contains(&at), "byte {at}"),
                Ok(Err(e @ Error::Format(_))) => {
                    assert!(e.to_string().starts_with(DAMAGED), "byte {at}: {e}")
                }
                Ok(Err(e)) => panic!("byte {at} ^ {mask:#x}: unexpected error {e}"),
            }
        }
    }
    assert_eq!(trials, index.head.len() * 2);
    let err = open_flipped(&index, index.head.len() / 2, 0x01)
        .expect("no panic")
        .err()
        .expect("an error");
    assert_eq!(
        err.to_string(),
        "search index damaged — rebuild the site (its checksum does not match: it was changed or \
         damaged after it was built)"
    );
}

/// Queries that between them read much of the fixture's index.
fn probe_queries() -> Vec<SearchRequest> {
    [
        "police",
        "labour inspection",
        "\"forced labour\"",
        "NRM",
        "reflecton",
        "vict",
        "xyzzy",
    ]
    .iter()
    .map(|q| SearchRequest {
        q: q.to_string(),
        ..SearchRequest::default()
    })
    .collect()
}

#[test]
fn a_damaged_chunk_is_an_error_when_read_never_a_panic_or_a_wrong_answer() {
    let index = build_index(&fixture(), &synonyms()).expect("builds");
    let good = Engine::open(&index).expect("opens");
    let expected: Vec<SearchResponse> = probe_queries().iter().map(|r| good.search(r)).collect();
    let mut errors = 0;
    for n in 0..index.chunks.len() {
        for at in [0, index.chunks[n].len() / 2, index.chunks[n].len() - 1] {
            let mut damaged = index.clone();
            damaged.chunks[n][at] ^= 0x55;
            let engine = caught(|| Engine::open(&damaged))
                .unwrap_or_else(|p| panic!("chunk {n} byte {at}: panicked opening: {p}"))
                .expect("opening reads only the head");
            for (req, want) in probe_queries().iter().zip(&expected) {
                let got = caught(std::panic::AssertUnwindSafe(|| engine.try_search(req)))
                    .unwrap_or_else(|p| panic!("chunk {n} byte {at} {:?}: panicked: {p}", req.q));
                match got {
                    Ok(got) => assert_eq!(&got, want, "chunk {n} byte {at} {:?}", req.q),
                    Err(e @ Error::Format(_)) => {
                        errors += 1;
                        assert!(e.to_string().starts_with(DAMAGED), "{e}");
                        assert!(e.to_string().contains("does not match its checksum"), "{e}");
                    }
                    Err(e) => panic!("chunk {n} byte {at}: unexpected error {e}"),
                }
            }
        }
    }
    assert!(errors > 0, "no damaged chunk was ever read");
}

/// A lazily read index: the chunks each search asks for are added, as the browser does, until
/// it answers. Returns the answers and how many chunks each search added.
fn lazily(index: &PackedIndex, requests: &[SearchRequest]) -> (Vec<SearchResponse>, Vec<usize>) {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    let arrived: Arc<Mutex<HashMap<usize, Vec<u8>>>> = Arc::default();
    let source = {
        let arrived = arrived.clone();
        move |n: usize, _: &str| {
            arrived
                .lock()
                .unwrap()
                .remove(&n)
                .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::WouldBlock))
        }
    };
    let add = |need: &[(usize, String)]| {
        for (n, name) in need {
            assert_eq!(*name, index.chunk_name(*n));
            arrived.lock().unwrap().insert(*n, index.chunks[*n].clone());
        }
        need.len()
    };
    let engine = match Engine::open_lazy(&index.head, Box::new(source.clone())) {
        Ok(engine) => engine,
        Err(Error::Missing(need)) => panic!("opening needed chunks besides the head: {need:?}"),
        Err(e) => panic!("{e}"),
    };
    let mut answers = Vec::new();
    let mut added = Vec::new();
    for req in requests {
        let mut count = 0;
        let answer = loop {
            match engine.try_search(req) {
                Ok(r) => break r,
                Err(Error::Missing(need)) => {
                    assert!(count < index.chunks.len(), "the engine keeps asking");
                    count += add(&need);
                }
                Err(e) => panic!("{:?}: {e}", req.q),
            }
        };
        answers.push(answer);
        added.push(count);
    }
    (answers, added)
}

/// Sections enough for an index of many chunks: a word per section that no other has, and
/// words every section shares.
fn many_sections(n: usize) -> Vec<SectionDoc> {
    (0..n)
        .map(|i| {
            doc(
                &format!("p{}.html#s{}", i / 8, i % 8),
                &format!("Page {}", i / 8),
                &format!("Section {i}"),
                &format!(
                    "Cooperation between police and labour inspectors, case {i}: word{i}x \
                     appears here and nowhere else. {}",
                    "Shared practice text about referral and victim support. ".repeat(1 + i % 5)
                ),
            )
        })
        .collect()
}

#[test]
fn a_lazily_read_index_answers_as_the_whole_one_and_reads_only_what_a_query_needs() {
    let index = build_index(&many_sections(4000), &synonyms()).expect("builds");
    assert!(index.chunks.len() > 20, "{} chunks", index.chunks.len());
    let mut requests = probe_queries();
    requests.extend(
        [
            "word1234x",
            "word17x police",
            "cooperation",
            "referral victim",
            "polise",
            "inspect",
        ]
        .iter()
        .map(|q| SearchRequest {
            q: q.to_string(),
            ..SearchRequest::default()
        }),
    );
    let whole = Engine::open(&index).expect("opens");
    let expected: Vec<SearchResponse> = requests.iter().map(|r| whole.search(r)).collect();
    let (answers, _) = lazily(&index, &requests);
    for ((req, got), want) in requests.iter().zip(&answers).zip(&expected) {
        assert_eq!(got, want, "{:?}", req.q);
    }
    // A word of one section reads a few chunks, not the index.
    let rare = requests.iter().position(|r| r.q == "word1234x").unwrap();
    assert!(expected[rare].total == 1, "{:?}", expected[rare]);
    let (_, alone) = lazily(&index, &requests[rare..=rare]);
    assert!(
        alone[0] * 3 < index.chunks.len(),
        "a one-section word read {} of {} chunks",
        alone[0],
        index.chunks.len()
    );
    // Asked again, a query needs nothing more.
    let (_, twice) = lazily(&index, &[requests[rare].clone(), requests[rare].clone()]);
    assert_eq!(twice[1], 0);
}

/// An index in `language` of the given (url, title, body) sections.
fn engine_in(language: &str, docs: &[(&str, &str, &str)], groups: Vec<SynonymGroup>) -> Engine {
    let docs: Vec<SectionDoc> = docs
        .iter()
        .map(|(url, title, body)| doc(url, title, "", body))
        .collect();
    let synonyms = Synonyms {
        groups,
        language: language.into(),
        ..Synonyms::default()
    };
    Engine::open(&build_index(&docs, &synonyms).unwrap()).unwrap()
}

#[test]
fn polish_inflected_forms_find_each_other_and_are_marked() {
    let engine = engine_in(
        "pl",
        &[
            (
                "a.html",
                "Wsparcie",
                "Organizacje pomagają ofiarom handlu ludźmi.",
            ),
            (
                "b.html",
                "Policja",
                "Policja prowadzi śledztwo w sprawie przemytu.",
            ),
        ],
        Vec::new(),
    );
    let r = q(&engine, "ofiara ");
    assert_eq!(urls(&r), ["a.html"]);
    assert!(
        r.hits[0].snippet.contains("<mark>ofiarom</mark>"),
        "{}",
        r.hits[0].snippet
    );
    // Typed without diacritics, as on a phone keyboard without Polish letters.
    assert_eq!(urls(&q(&engine, "ludzmi ")), ["a.html"]);
    // Polish stop words are not required: "w sprawie" does not drop the page.
    assert_eq!(urls(&q(&engine, "śledztwo w sprawie ")), ["b.html"]);
}

#[test]
fn german_plurals_and_glossary_variants_meet() {
    let engine = engine_in(
        "de",
        &[(
            "bedenkzeit.html",
            "Erholungs- und Bedenkzeit",
            "Mutmaßliche Opfer erhalten eine Frist, in der sie nicht ausgewiesen werden.",
        )],
        vec![SynonymGroup {
            terms: vec!["Erholungs- und Bedenkzeit".into(), "Bedenkzeit".into()],
            definition: Some("Eine Frist zur Erholung.".into()),
            url: Some("bedenkzeit.html".into()),
        }],
    );
    let r = q(&engine, "Bedenkzeit");
    assert_eq!(urls(&r), ["bedenkzeit.html"]);
    assert_eq!(r.definition.unwrap().term, "Erholungs- und Bedenkzeit");
    assert_eq!(urls(&q(&engine, "Opfers ")), ["bedenkzeit.html"]);
    // English endings do not complete German words while typing.
    assert_eq!(urls(&q(&engine, "ausgewies")), ["bedenkzeit.html"]);
}
