//! Answering queries from a packed index.
//!
//! A query is read into a [`Plan`] (query.rs); each of its words is then resolved against the
//! index's dictionary into the terms actually searched: the word itself, the words a prefix
//! being typed stands for, near spellings when the word is not in the index at all, and as a
//! last resort the stems a long typed word has already passed. Sections are scored by tantivy
//! (BM25 with field boosts), then grouped by page: a reader gets one result per page, with its
//! best sections.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::query::{
    AllQuery, BitSetDocSet, BooleanQuery, BoostQuery, ConstScoreQuery, ConstScorer, EnableScoring,
    Explanation, Occur, PhraseQuery, Query, Scorer, TermQuery, TermSetQuery, Weight,
};
use tantivy::schema::{Facet, Field, IndexRecordOption, Term, Value};
use tantivy::{
    BitSet, DocAddress, DocId, DocSet, Index, IndexReader, ReloadPolicy, Score, Searcher,
    SegmentOrdinal, SegmentReader, TERMINATED,
};

use crate::analysis::{within_edits, Analyzer, Word, TOKENIZER};
use crate::directory::{ChunkSource, Chunks, ReadOnlyDirectory, Storage};
use crate::index::{facet, page_of, Fields};
use crate::query::{Clause, Plan, SynonymTable};
use crate::snippet::{opening, Matcher};
use crate::{
    Definition, Error, FacetCount, Hit, PackedIndex, SearchRequest, SearchResponse, SectionLink,
    Suggestion, Synonyms,
};

/// Field boosts: a word in the page title says more about a section than the same word in its
/// heading, its page summary, its facet names or its text.
const TITLE_BOOST: f32 = 5.0;
const SECTION_BOOST: f32 = 3.0;
const SUMMARY_BOOST: f32 = 2.0;
const META_BOOST: f32 = 0.7;
const BODY_BOOST: f32 = 1.0;
/// Weights of the terms a word expands to, below the word itself so that what was typed ranks
/// first: dictionary words it begins (while typing), near spellings, stems it has passed.
const PREFIX_WEIGHT: f32 = 0.6;
const FUZZY_WEIGHT: f32 = 0.5;
const TRUNCATION_WEIGHT: f32 = 0.3;
/// Glossary variants the query did not spell out.
const ALIAS_WEIGHT: f32 = 0.6;
/// Added to sections whose facet the query names ("in the UK"), and to the glossary page of the
/// term the query names.
const FACET_BOOST: f32 = 8.0;
const GLOSSARY_BOOST: f32 = 25.0;
const MAX_LIMIT: usize = 1_000;
/// Matching sections listed under a page's best one.
const MORE_SECTIONS: usize = 3;
/// Bounds on the dictionary words one query word expands to.
const MAX_PREFIX_TERMS: usize = 24;
const MAX_NEAR_TERMS: usize = 8;
const MAX_SUGGESTIONS: usize = 5;

/// A word being typed shorter than this matches no longer words: two letters would expand to
/// a large part of the dictionary and tell little.
pub(crate) const MIN_PREFIX_CHARS: usize = 3;

/// Edit distance allowed between a word and a near spelling: none for short words (too many
/// unrelated neighbours: "tome" is one letter from "time" and "come"), one for medium, two for
/// long ones. Near spellings must also start with the same letter (see [`Lexicon::near`]).
pub(crate) fn fuzzy_distance(stem: &str) -> Option<u8> {
    match stem.chars().count() {
        0..=4 => None,
        5..=8 => Some(1),
        _ => Some(2),
    }
}

/// Stems a partly typed word may already have passed: the index holds "organis" for
/// "organisation", so "organisati" must match it even though it is no prefix of it.
pub(crate) fn prefix_truncations(folded: &str) -> Vec<&str> {
    let ends: Vec<usize> = folded.char_indices().map(|(i, _)| i).skip(1).collect();
    let n = ends.len() + 1;
    if n < 5 {
        return Vec::new();
    }
    let shortest = 4.max(n - 3);
    (shortest..n).map(|k| &folded[..ends[k - 1]]).collect()
}

/// The index's dictionary, shared by its text fields.
struct Lexicon<'a> {
    searcher: &'a Searcher,
    fields: [Field; 5],
}

impl Lexicon<'_> {
    /// Sections holding `stem` in any field (summed over fields, so only for comparisons).
    fn doc_freq(&self, stem: &str) -> u64 {
        let mut n = 0;
        for segment in self.searcher.segment_readers() {
            for field in self.fields {
                if let Ok(inverted) = segment.inverted_index(field) {
                    if let Ok(Some(info)) = inverted.terms().get(stem.as_bytes()) {
                        n += u64::from(info.doc_freq);
                    }
                }
            }
        }
        n
    }

    fn has(&self, stem: &str) -> bool {
        self.doc_freq(stem) > 0
    }

    /// Dictionary words from `from` (inclusive) to `to` (exclusive) that `keep` accepts, with
    /// their document frequencies summed over fields.
    fn scan(&self, from: &str, to: &str, mut keep: impl FnMut(&str) -> bool) -> Vec<(String, u64)> {
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        for segment in self.searcher.segment_readers() {
            for field in self.fields {
                let Ok(inverted) = segment.inverted_index(field) else {
                    continue;
                };
                let Ok(mut stream) = inverted.terms().range().ge(from).lt(to).into_stream() else {
                    continue;
                };
                while stream.advance() {
                    let Ok(key) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    if keep(key) {
                        *found.entry(key.to_string()).or_default() +=
                            u64::from(stream.value().doc_freq);
                    }
                }
            }
        }
        found.into_iter().collect()
    }

    /// The most frequent dictionary words that begin with `prefix` (other than itself).
    fn prefixed(&self, prefix: &str) -> Vec<String> {
        let mut end = prefix.to_string();
        end.push(char::MAX);
        let mut words = self.scan(prefix, &end, |w| w != prefix);
        words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        words.truncate(MAX_PREFIX_TERMS);
        words.into_iter().map(|(w, _)| w).collect()
    }

    /// Dictionary words that are plausibly `stem` misspelt: within the distance its length
    /// allows and starting with the same letter (people rarely mistype the first letter, and
    /// without it any short word has dozens of unrelated neighbours). Closest first.
    fn near(&self, stem: &str) -> Vec<String> {
        let (Some(d), Some(first)) = (fuzzy_distance(stem), stem.chars().next()) else {
            return Vec::new();
        };
        let from = first.to_string();
        let to = char::from_u32(first as u32 + 1)
            .map(String::from)
            .unwrap_or_else(|| char::MAX.to_string());
        let mut words: Vec<(usize, u64, String)> = self
            .scan(&from, &to, |w| {
                w != stem && within_edits(stem, w, usize::from(d))
            })
            .into_iter()
            .map(|(w, n)| (if within_edits(stem, &w, 1) { 1 } else { 2 }, n, w))
            .collect();
        words.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(b.1.cmp(&a.1))
                .then_with(|| a.2.cmp(&b.2))
        });
        words.truncate(MAX_NEAR_TERMS);
        words.into_iter().map(|(_, _, w)| w).collect()
    }
}

/// Endings that complete a typed word into the words whose stems the index holds: "nationa"
/// → "national" (stem "nation"), "reflecti" → "reflection" ("reflect"), "confidentialit" →
/// "confidentiality" ("confidenti"). The stem of a typed prefix plus an ending is a word the
/// reader is plausibly typing; a stem that is merely a shorter string is not.
const COMPLETIONS: &[&str] = &[
    "", "e", "s", "y", "l", "n", "t", "ty", "al", "ed", "er", "es", "ic", "on", "or", "ly", "ing",
    "ion", "ity", "ial", "ies", "ive", "ise", "ize", "ism", "ist", "ent", "ant", "ate", "ment",
    "ness", "ence", "ance", "able", "ical", "ions", "ation", "ities",
];

/// The terms one query word is searched as, with their weights.
#[derive(Clone, Debug, Default)]
struct Expansion {
    terms: Vec<(String, f32)>,
    /// The word is not in the index and near spellings stand in for it.
    near: bool,
    /// A word just begun ("informed c"): welcome in a match, not yet required.
    optional: bool,
}

impl Expansion {
    fn of(lexicon: &Lexicon, analyzer: &Analyzer, word: &Word, prefix: bool) -> Expansion {
        let exact = (word.stem.clone(), 1.0);
        let fixed = |terms| Expansion {
            terms,
            ..Expansion::default()
        };
        if word.stop {
            return fixed(vec![exact]);
        }
        let mut terms = Vec::new();
        if lexicon.has(&word.stem) {
            terms.push(exact.clone());
        }
        let begun = word.folded.chars().count() < MIN_PREFIX_CHARS;
        if prefix && begun {
            return Expansion {
                terms: vec![exact],
                optional: true,
                ..Expansion::default()
            };
        }
        if prefix {
            for t in lexicon.prefixed(&word.folded) {
                if t != word.stem {
                    terms.push((t, PREFIX_WEIGHT));
                }
            }
            let endings = if analyzer.completes_english() {
                COMPLETIONS
            } else {
                // Without completions, a typed word that is itself a stem the index holds
                // ("ausgewies" of "ausgewiesen") is still found.
                if word.folded != word.stem && lexicon.has(&word.folded) {
                    terms.push((word.folded.clone(), PREFIX_WEIGHT));
                }
                &[""]
            };
            for ending in endings {
                let stem = analyzer.stem(&format!("{}{ending}", word.folded));
                if !terms.iter().any(|(t, _)| *t == stem) && lexicon.has(&stem) {
                    terms.push((stem, PREFIX_WEIGHT));
                }
            }
        }
        if !terms.is_empty() {
            return fixed(terms);
        }
        // Not in the index, not the beginning of anything in it: a typo, or a typed word
        // that has already run past its stem ("organisati" for "organis").
        let near: Vec<(String, f32)> = lexicon
            .near(&word.stem)
            .into_iter()
            .map(|t| (t, FUZZY_WEIGHT))
            .collect();
        if !near.is_empty() {
            // A word typed past its stem ("punishm" → "punish") is no misspelling.
            let misspelt = near
                .iter()
                .any(|(t, _)| !word.folded.starts_with(t.as_str()));
            return Expansion {
                terms: near,
                near: misspelt,
                optional: false,
            };
        }
        let truncated: Vec<(String, f32)> = prefix_truncations(&word.folded)
            .into_iter()
            .filter(|t| lexicon.has(t))
            .map(|t| (t.to_string(), TRUNCATION_WEIGHT))
            .collect();
        if !truncated.is_empty() {
            return fixed(truncated);
        }
        // Nothing: the word matches no section, as it should.
        fixed(vec![exact])
    }
}

/// What each positive clause of a plan is searched as.
enum Resolved {
    Term(Expansion),
    Compound {
        parts: Vec<Expansion>,
        joined: Expansion,
    },
    Fixed,
}

fn resolve(plan: &Plan, lexicon: &Lexicon, analyzer: &Analyzer) -> Vec<Resolved> {
    plan.positive
        .iter()
        .map(|clause| match clause {
            Clause::Term { word, prefix } => {
                Resolved::Term(Expansion::of(lexicon, analyzer, word, *prefix))
            }
            Clause::Compound {
                parts,
                joined,
                prefix,
            } => {
                let n = parts.len();
                Resolved::Compound {
                    parts: parts
                        .iter()
                        .enumerate()
                        .map(|(i, w)| Expansion::of(lexicon, analyzer, w, *prefix && i + 1 == n))
                        .collect(),
                    joined: Expansion::of(lexicon, analyzer, joined, *prefix),
                }
            }
            _ => Resolved::Fixed,
        })
        .collect()
}

/// The stems a snippet should mark: every term searched for, except stop words.
fn searched_stems(plan: &Plan, resolved: &[Resolved], analyzer: &Analyzer) -> HashSet<String> {
    let mut stems = HashSet::new();
    let add = |stems: &mut HashSet<String>, e: &Expansion| {
        for (t, _) in &e.terms {
            if !analyzer.is_stop_word(t) {
                stems.insert(t.clone());
            }
        }
    };
    for (clause, r) in plan.positive.iter().zip(resolved) {
        match r {
            Resolved::Term(e) => add(&mut stems, e),
            Resolved::Compound { parts, joined } => {
                parts.iter().for_each(|p| add(&mut stems, p));
                add(&mut stems, joined);
            }
            Resolved::Fixed => {
                let forms = match clause {
                    Clause::Phrase(forms) => forms.clone(),
                    Clause::Synonym { variants, .. } => variants.clone(),
                    _ => Vec::new(),
                };
                // Without positions a phrase's "and" or "of" would light up everywhere.
                for form in forms {
                    for (_, stem) in form {
                        if !analyzer.is_stop_word(&stem) {
                            stems.insert(stem);
                        }
                    }
                }
            }
        }
    }
    stems
}

/// A matching section, for grouping by page.
#[derive(Clone, Copy)]
struct Found {
    address: DocAddress,
    key: (i64, Reverse<u64>),
    page: u64,
}

/// What [`PageCollector`] gathers: every matching section, and facet counts per page.
#[derive(Default)]
struct Collected {
    found: Vec<Found>,
    /// (facet, value) → number of matching pages with it.
    facets: HashMap<(String, String), u64>,
}

/// Collects every matching section with its sort key and page, and counts each facet value
/// once per page (a page of six matching sections is one principle, not six).
struct PageCollector;

struct PageSegmentCollector {
    segment: SegmentOrdinal,
    ranks: Option<std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>>,
    pages: Option<std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>>,
    facets: Option<FacetReader>,
    seen: HashSet<u64>,
    ords: HashMap<u64, u64>,
    found: Vec<Found>,
}

impl Collector for PageCollector {
    type Fruit = Collected;
    type Child = PageSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<PageSegmentCollector> {
        let column = |name: &str| {
            reader
                .fast_fields()
                .u64(name)
                .ok()
                .map(|c| c.first_or_default_col(0))
        };
        Ok(PageSegmentCollector {
            segment,
            ranks: column(crate::index::RANK),
            pages: column(crate::index::PAGE_RANK),
            facets: reader.facet_reader("facets").ok(),
            seen: HashSet::new(),
            ords: HashMap::new(),
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Collected>) -> tantivy::Result<Collected> {
        let mut all = Collected::default();
        for fruit in fruits {
            all.found.extend(fruit.found);
            for (facet, n) in fruit.facets {
                *all.facets.entry(facet).or_default() += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for PageSegmentCollector {
    type Fruit = Collected;

    fn collect(&mut self, doc: DocId, score: Score) {
        let rank = self
            .ranks
            .as_ref()
            .map_or(u64::from(doc), |r| r.get_val(doc));
        let page = self
            .pages
            .as_ref()
            .map_or(u64::from(doc), |p| p.get_val(doc));
        if self.seen.insert(page) {
            if let Some(facets) = &self.facets {
                for ord in facets.facet_ords(doc) {
                    *self.ords.entry(ord).or_default() += 1;
                }
            }
        }
        self.found.push(Found {
            address: DocAddress::new(self.segment, doc),
            key: sort_key(score, rank),
            page,
        });
    }

    fn harvest(self) -> Collected {
        let mut facets = HashMap::new();
        if let Some(reader) = &self.facets {
            for (ord, n) in self.ords {
                let mut facet = Facet::root();
                if reader.facet_from_ord(ord, &mut facet).is_ok() {
                    // `to_path`, not `to_string`: tantivy formats facets with a regex, which
                    // would put a regex engine into the browser's download.
                    if let [name, value] = facet.to_path()[..] {
                        facets.insert((name.to_string(), value.to_string()), n);
                    }
                }
            }
        }
        Collected {
            found: self.found,
            facets,
        }
    }
}

/// A stored text field of a section ("" when absent).
fn stored(doc: &tantivy::TantivyDocument, field: Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

/// Matching sections grouped by page, best page first; each page's sections best first.
fn pages(found: Vec<Found>) -> Vec<Vec<Found>> {
    let mut by_page: HashMap<u64, Vec<Found>> = HashMap::new();
    for f in found {
        by_page.entry(f.page).or_default().push(f);
    }
    let mut pages: Vec<Vec<Found>> = by_page
        .into_values()
        .map(|mut sections| {
            sections.sort_by_key(|f| Reverse(f.key));
            sections
        })
        .collect();
    pages.sort_by_key(|p| Reverse(p[0].key));
    pages
}

/// Sort key of a section: the score rounded to 1/1000, then URL order. Rounding absorbs the
/// last-bit differences between platform math libraries, so native and wasm rank identically.
fn sort_key(score: Score, rank: u64) -> (i64, Reverse<u64>) {
    let score = if score.is_finite() {
        (f64::from(score) * 1000.0).round() as i64
    } else {
        0
    };
    (score, Reverse(rank))
}

/// Facet counts of one facet, most frequent first.
fn facet_values(counts: &HashMap<(String, String), u64>, name: &str) -> Vec<FacetCount> {
    let mut values: Vec<FacetCount> = counts
        .iter()
        .filter(|((facet, _), _)| facet == name)
        .map(|((_, value), &count)| FacetCount {
            value: value.clone(),
            count,
        })
        .collect();
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    values
}

/// The name of a facet value as stems, for comparison: case, accents, punctuation and plurals
/// ignored ("Labour inspectorates" and "labour-inspectorate" are the same name).
fn fold_name(analyzer: &mut Analyzer, name: &str) -> String {
    analyzer
        .words(name)
        .into_iter()
        .map(|w| w.stem)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A read-only search engine over a packed index.
pub struct Engine {
    searcher: Searcher,
    // Keeps the segment readers alive for the searcher.
    _reader: IndexReader,
    fields: Fields,
    synonyms: Synonyms,
    table: SynonymTable,
    /// (facet, value, folded names including the value's own).
    facet_names: Vec<(String, String, Vec<String>)>,
    /// The index's language's analysis, cloned for each search.
    analyzer: Analyzer,
    /// Where tantivy's reads go.
    storage: Arc<dyn Storage>,
}

/// The chunks the last reads needed, as an error.
fn missing(chunks: &Chunks) -> Option<Error> {
    let needed = chunks.take_missing();
    if needed.is_empty() {
        return None;
    }
    Some(Error::Missing(
        needed.into_iter().map(|n| (n, chunks.name(n))).collect(),
    ))
}

impl Engine {
    /// Opens an index written by [`crate::build_index`], held in memory. Fails with
    /// [`Error::Version`] if it was written by a different version of accord and
    /// [`Error::Format`] if it is not an index or was damaged since it was written (checksums
    /// are verified before any byte reaches tantivy).
    pub fn open(index: &PackedIndex) -> Result<Engine, Error> {
        let chunks = index.chunks.clone();
        Engine::open_lazy(
            &index.head,
            Box::new(move |n, _| {
                chunks
                    .get(n)
                    .cloned()
                    .ok_or_else(|| std::io::Error::other("no such chunk"))
            }),
        )
    }

    /// Opens an index from its head, reading each chunk from `source` when a search first
    /// needs it. When the source does not have a chunk yet, the search ([`Engine::try_search`],
    /// or this opening) ends with [`Error::Missing`] naming the chunks to get before running it
    /// again: the browser cannot wait for a download in the middle of a search.
    pub fn open_lazy(head: &[u8], source: Box<ChunkSource>) -> Result<Engine, Error> {
        let head = crate::format::unpack_head(head)?;
        let files = head.files.clone();
        let synonyms = head.synonyms.clone();
        let chunks = Arc::new(Chunks::new(head, source));
        let dir = ReadOnlyDirectory::new(&files, chunks.clone());
        match Engine::over(dir, synonyms, chunks.clone()) {
            Ok(engine) => Ok(engine),
            Err(err) => Err(chunks
                .take_failure()
                .or_else(|| missing(&chunks))
                .unwrap_or(err)),
        }
    }

    fn over(
        dir: ReadOnlyDirectory,
        synonyms: Synonyms,
        chunks: Arc<dyn Storage>,
    ) -> Result<Engine, Error> {
        // The checksums matched, so tantivy refusing the files means they were written wrong:
        // to the reader that is a damaged index all the same.
        let damaged = |e: tantivy::TantivyError| Error::Format(e.to_string());
        let index = Index::open(dir).map_err(damaged)?;
        index.tokenizers().register(
            TOKENIZER,
            crate::analysis::index_analyzer(&synonyms.language),
        );
        let fields = Fields::of(&index.schema())?;
        // Manual reload: the index never changes, and the browser has no threads to watch it.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(damaged)?;
        let searcher = reader.searcher();
        let mut analyzer = Analyzer::new(&synonyms.language);
        let table = SynonymTable::new(&synonyms, &mut analyzer);
        let facet_names = synonyms
            .facets
            .iter()
            .map(|f| {
                let mut names: Vec<String> = std::iter::once(&f.value)
                    .chain(&f.names)
                    .map(|n| fold_name(&mut analyzer, n))
                    .filter(|n| !n.is_empty())
                    .collect();
                names.dedup();
                (f.facet.clone(), f.value.clone(), names)
            })
            .collect();
        Ok(Engine {
            searcher,
            _reader: reader,
            fields,
            synonyms,
            table,
            facet_names,
            analyzer,
            storage: chunks,
        })
    }

    fn chunks(&self) -> Option<&Chunks> {
        self.storage.as_chunks()
    }

    /// True when a read of the current search found a chunk not loaded: what it computes from
    /// here on is thrown away, so it stops rather than fetch what wrong answers would lead to.
    fn incomplete(&self) -> bool {
        self.chunks().is_some_and(|c| c.has_missing())
    }

    /// Like [`Engine::search`], but says when the answer could not be computed: a chunk that
    /// is damaged or unreadable ([`Error::Format`]), or chunks to add first
    /// ([`Error::Missing`]).
    pub fn try_search(&self, req: &SearchRequest) -> Result<SearchResponse, Error> {
        if let Some(chunks) = self.chunks() {
            chunks.take_missing();
        }
        let response = self.search(req);
        match self.chunks() {
            Some(chunks) => match chunks.take_failure().or_else(|| missing(chunks)) {
                Some(err) => Err(err),
                None => Ok(response),
            },
            None => Ok(response),
        }
    }

    /// What opening the index and any first search read besides the words searched: the
    /// ranges of the byte space an index's head carries.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn preload(
        data: Arc<crate::format::Laid>,
        files: &[(String, std::ops::Range<u64>)],
        synonyms: &Synonyms,
    ) -> Result<Vec<std::ops::Range<u64>>, Error> {
        use crate::directory::Recorder;
        let recorder = Arc::new(Recorder {
            data,
            reads: std::sync::Mutex::new(Vec::new()),
        });
        let dir = ReadOnlyDirectory::new(files, recorder.clone());
        let engine = Engine::over(dir, synonyms.clone(), recorder.clone())?;
        for segment in engine.searcher.segment_readers() {
            for field in engine.lexicon().fields {
                segment.inverted_index(field)?;
            }
            segment.fast_fields().u64(crate::index::RANK)?;
            segment.fast_fields().u64(crate::index::PAGE_RANK)?;
            segment.facet_reader("facets")?;
        }
        drop(engine);
        let mut reads =
            std::mem::take(&mut *recorder.reads.lock().unwrap_or_else(|e| e.into_inner()));
        reads.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<std::ops::Range<u64>> = Vec::new();
        for r in reads.into_iter().filter(|r| r.start < r.end) {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        Ok(merged)
    }

    /// The language the index was analysed in (`de`, `pl`, …; empty for English).
    pub fn language(&self) -> &str {
        &self.synonyms.language
    }

    /// Number of indexed sections.
    pub fn num_docs(&self) -> u64 {
        self.searcher.num_docs()
    }

    /// Bytes used by each part of the index (term dictionaries, postings, positions, stored
    /// text, ...), for tuning the index size.
    pub fn space_usage(&self) -> Vec<(String, u64)> {
        let Ok(usage) = self.searcher.space_usage() else {
            return Vec::new();
        };
        let mut parts = Vec::new();
        for segment in usage.segments() {
            let per_field = [
                ("termdict", segment.termdict()),
                ("postings", segment.postings()),
                ("positions", segment.positions()),
                ("fast", segment.fast_fields()),
                ("fieldnorms", segment.fieldnorms()),
            ];
            for (part, fields) in per_field {
                for f in fields.fields() {
                    parts.push((format!("{part}.{}", f.field_name()), f.total().get_bytes()));
                }
            }
            parts.push(("store".into(), segment.store().total().get_bytes()));
        }
        parts
    }

    /// Answers any request: an unusable query gives an empty response, never an error.
    pub fn search(&self, req: &SearchRequest) -> SearchResponse {
        let mut analyzer = self.analyzer.clone();
        let lexicon = self.lexicon();
        let plan = crate::query::plan(&req.q, &mut analyzer, &self.table, &|s| lexicon.has(s));
        // Each stage reads what the previous one decided; with a chunk missing, its decisions
        // are wrong and what they would read is not worth fetching.
        if self.incomplete() {
            return SearchResponse::default();
        }
        let filters = self.resolve_filters(req, &mut analyzer);
        let filters: Vec<(&str, &[String])> =
            filters.iter().map(|(n, v)| (*n, v.as_slice())).collect();
        let mut response = SearchResponse {
            definition: self.definition(&plan),
            ..SearchResponse::default()
        };
        let filtered = filters.iter().any(|(_, values)| !values.is_empty());
        // tantivy's bitsets assume at least one document.
        if (plan.positive.is_empty() && !filtered) || self.searcher.num_docs() == 0 {
            return response;
        }

        let resolved = resolve(&plan, &lexicon, &analyzer);
        if self.incomplete() {
            return response;
        }
        response.fuzzy = resolved.iter().any(|r| match r {
            Resolved::Term(e) => e.near,
            Resolved::Compound { parts, joined } => joined.near && parts.iter().any(|p| p.near),
            Resolved::Fixed => false,
        });
        let boosts = self.boosts(&plan);
        let query = |all: bool, skip: Option<&str>| {
            self.build(&plan, &resolved, all, &filters, skip, &boosts)
        };
        let count = |all: bool| self.searcher.search(&query(all, None), &Count).unwrap_or(0);
        // All words if any section has them all, else any word.
        let all = plan.positive.len() < 2 || count(true) > 0;
        if self.incomplete() {
            return response;
        }
        let collected = self
            .searcher
            .search(&query(all, None), &PageCollector)
            .unwrap_or_default();
        for name in crate::FACETS {
            let own_filter = filters.iter().any(|(n, v)| *n == name && !v.is_empty());
            // A facet the request filters on is counted without its own filter, so the other
            // values stay visible and selectable.
            let values = if own_filter {
                let without = self
                    .searcher
                    .search(&query(all, Some(name)), &PageCollector)
                    .unwrap_or_default();
                facet_values(&without.facets, name)
            } else {
                facet_values(&collected.facets, name)
            };
            response.facets.insert(name.into(), values);
        }

        if self.incomplete() {
            return response;
        }
        let pages = pages(collected.found);
        response.total = pages.len();
        let matcher = Matcher::new(searched_stems(&plan, &resolved, &analyzer));
        let mut shown: HashSet<String> = HashSet::new();
        for sections in pages.iter().take(req.limit.min(MAX_LIMIT)) {
            if let Some(hit) = self.hit(sections, &matcher, &mut analyzer, &mut shown) {
                response.hits.push(hit);
            }
        }
        if response.total == 0 {
            response.suggestions = self.suggestions(&plan, &mut analyzer);
        }
        response
    }

    /// One result: the page's best section that can show a marked snippet not already shown,
    /// and its other matching sections as links.
    fn hit(
        &self,
        sections: &[Found],
        matcher: &Matcher,
        analyzer: &mut Analyzer,
        shown: &mut HashSet<String>,
    ) -> Option<Hit> {
        struct Section {
            url: String,
            title: String,
            heading: String,
            kind: String,
            snippet: Option<String>,
            score: f32,
        }
        let mut loaded = Vec::new();
        for found in sections.iter().take(1 + MORE_SECTIONS) {
            let Ok(doc) = self.searcher.doc::<tantivy::TantivyDocument>(found.address) else {
                continue;
            };
            let text = |field: Field| stored(&doc, field);
            let (body, summary) = (text(self.fields.body), text(self.fields.summary));
            let (heading, title) = (text(self.fields.section), text(self.fields.title));
            let snippet = [&body, &summary, &text(self.fields.meta)]
                .into_iter()
                .find_map(|t| matcher.snippet(analyzer, t))
                .filter(|s| !shown.contains(s))
                .or_else(|| {
                    // Matched in the title or heading only: show those words marked.
                    let marked = [&heading, &title]
                        .into_iter()
                        .find_map(|t| matcher.snippet(analyzer, t))?;
                    let rest = opening(if body.is_empty() { &summary } else { &body });
                    Some(format!("{marked} — {rest}")).filter(|s| !shown.contains(s))
                });
            loaded.push(Section {
                url: text(self.fields.url),
                title,
                heading,
                kind: text(self.fields.kind),
                snippet,
                score: found.key.0 as f32 / 1000.0,
            });
        }
        let main = loaded.iter().position(|s| s.snippet.is_some()).unwrap_or(0);
        if loaded.is_empty() {
            return None;
        }
        let best = loaded.remove(main);
        let snippet = best.snippet.unwrap_or_else(|| opening(&best.title));
        shown.insert(snippet.clone());
        Some(Hit {
            url: best.url,
            title: best.title,
            section: best.heading,
            kind: best.kind,
            snippet,
            score: best.score,
            sections: loaded
                .into_iter()
                .filter(|s| !s.heading.is_empty())
                .take(MORE_SECTIONS)
                .map(|s| SectionLink {
                    url: s.url,
                    section: s.heading,
                })
                .collect(),
        })
    }

    fn lexicon(&self) -> Lexicon<'_> {
        Lexicon {
            searcher: &self.searcher,
            fields: [
                self.fields.title,
                self.fields.section,
                self.fields.summary,
                self.fields.body,
                self.fields.meta,
            ],
        }
    }

    /// The definition of the glossary term that covers most of the query.
    fn definition(&self, plan: &Plan) -> Option<Definition> {
        let group = self.synonyms.groups.get(plan.main_group()?)?;
        Some(Definition {
            term: group.terms.first().cloned().unwrap_or_default(),
            text: group.definition.clone()?,
            url: group.url.clone(),
        })
    }

    /// Filter values as typed, mapped to the values the index holds ("it" → "Italy"); unknown
    /// values stay as they are and match nothing.
    fn resolve_filters(
        &self,
        req: &SearchRequest,
        analyzer: &mut Analyzer,
    ) -> Vec<(&'static str, Vec<String>)> {
        req.filters()
            .into_iter()
            .map(|(name, values)| {
                let values = values
                    .iter()
                    .map(|v| {
                        self.facet_value(name, v, analyzer)
                            .unwrap_or_else(|| v.clone())
                    })
                    .collect();
                (name, values)
            })
            .collect()
    }

    /// The value of facet `name` that `input` names: the value itself or one of its names, in
    /// any letter case.
    fn facet_value(&self, name: &str, input: &str, analyzer: &mut Analyzer) -> Option<String> {
        let folded = fold_name(analyzer, input);
        self.facet_names
            .iter()
            .find(|(facet, _, names)| facet == name && names.contains(&folded))
            .map(|(_, value, _)| value.clone())
    }

    /// Every value of facet `name` in the index, most frequent first.
    pub fn facet_values(&self, name: &str) -> Vec<String> {
        if self.searcher.num_docs() == 0 {
            return Vec::new();
        }
        let all = self
            .searcher
            .search(&AllQuery, &PageCollector)
            .unwrap_or_default();
        facet_values(&all.facets, name)
            .into_iter()
            .map(|c| c.value)
            .collect()
    }

    /// What a filter value typed on the command line stands for: the value the index holds,
    /// or every valid value when it names none.
    pub fn resolve_facet(&self, name: &str, input: &str) -> Result<String, Vec<String>> {
        let values = self.facet_values(name);
        let mut analyzer = self.analyzer.clone();
        let named = self.facet_value(name, input, &mut analyzer).or_else(|| {
            let folded = fold_name(&mut analyzer, input);
            values
                .iter()
                .find(|v| fold_name(&mut analyzer, v) == folded)
                .cloned()
        });
        match named {
            Some(value) if values.contains(&value) => Ok(value),
            _ => {
                let mut values = values;
                values.sort();
                Err(values)
            }
        }
    }

    /// Ranking boosts the query asks for without saying so: sections with a country, region
    /// or stakeholder the query names, and the glossary page of the term it names.
    fn boosts(&self, plan: &Plan) -> Vec<Box<dyn Query>> {
        let mut boosts: Vec<Box<dyn Query>> = Vec::new();
        let words: Vec<&str> = plan.words.iter().map(|w| w.stem.as_str()).collect();
        let mut named = HashSet::new();
        for (facet_name, value, names) in &self.facet_names {
            if !matches!(facet_name.as_str(), "country" | "region" | "stakeholder") {
                continue;
            }
            let hit = names.iter().any(|n| {
                let n: Vec<&str> = n.split(' ').collect();
                // "it" names Italy only on the command line, never inside a sentence.
                let word = !(n.len() == 1 && self.analyzer.is_stop_word(n[0]));
                word && words.windows(n.len()).any(|w| w == n.as_slice())
            });
            if hit && named.insert((facet_name.clone(), value.clone())) {
                let term = Term::from_facet(self.fields.facets, &facet(facet_name, value));
                boosts.push(Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                    FACET_BOOST,
                )));
            }
        }
        let page = plan
            .main_group()
            .and_then(|g| self.synonyms.groups.get(g))
            .and_then(|g| g.url.as_deref());
        if let Some(url) = page {
            let term = Term::from_field_text(self.fields.page, page_of(url));
            boosts.push(Box::new(ConstScoreQuery::new(
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                GLOSSARY_BOOST,
            )));
        }
        boosts
    }

    /// Page titles and glossary terms spelled like the query's words, for a query that found
    /// nothing.
    fn suggestions(&self, plan: &Plan, analyzer: &mut Analyzer) -> Vec<Suggestion> {
        let words: Vec<&Word> = plan
            .words
            .iter()
            .filter(|w| !w.stop && w.folded.chars().count() >= 4)
            .collect();
        if words.is_empty() {
            return Vec::new();
        }
        let close = |a: &str, b: &str| {
            let d = if a.chars().count() >= 8 { 2 } else { 1 };
            within_edits(a, b, d)
        };
        let mut out: Vec<Suggestion> = Vec::new();
        for group in &self.synonyms.groups {
            let (Some(term), Some(url)) = (group.terms.first(), &group.url) else {
                continue;
            };
            let near = group.terms.iter().any(|t| {
                analyzer
                    .words(t)
                    .iter()
                    .any(|v| words.iter().any(|w| close(&w.stem, &v.stem)))
            });
            if near && out.len() < MAX_SUGGESTIONS {
                out.push(Suggestion {
                    title: term.clone(),
                    url: url.clone(),
                });
            }
        }
        // Titles holding a word close to a query word.
        let mut terms = Vec::new();
        let lexicon = Lexicon {
            searcher: &self.searcher,
            fields: [self.fields.title; 5],
        };
        // The whole title dictionary: only when nothing matched, and titles are few words.
        for w in &words {
            for (t, _) in lexicon.scan("", &char::MAX.to_string(), |t| close(&w.stem, t)) {
                terms.push(Term::from_field_text(self.fields.title, &t));
            }
        }
        if !terms.is_empty() {
            let query = TermSetQuery::new(terms);
            let found = self
                .searcher
                .search(&query, &PageCollector)
                .unwrap_or_default();
            for sections in pages(found.found) {
                if out.len() >= MAX_SUGGESTIONS {
                    break;
                }
                let Ok(doc) = self
                    .searcher
                    .doc::<tantivy::TantivyDocument>(sections[0].address)
                else {
                    continue;
                };
                let url = page_of(&stored(&doc, self.fields.url)).to_string();
                if out.iter().all(|s| s.url != url) {
                    out.push(Suggestion {
                        title: stored(&doc, self.fields.title),
                        url,
                    });
                }
            }
        }
        out
    }

    fn build(
        &self,
        plan: &Plan,
        resolved: &[Resolved],
        all: bool,
        filters: &[(&str, &[String])],
        skip_filter: Option<&str>,
        boosts: &[Box<dyn Query>],
    ) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let required = plan
            .positive
            .iter()
            .zip(resolved)
            .filter(|(c, r)| !c.is_stop_word() && !matches!(r, Resolved::Term(e) if e.optional))
            .count();
        for (clause, r) in plan.positive.iter().zip(resolved) {
            let optional = matches!(r, Resolved::Term(e) if e.optional);
            let occur = match clause {
                // Quoted phrases are what the user insists on.
                Clause::Phrase(_) => Occur::Must,
                _ if !all || optional => Occur::Should,
                _ if clause.is_stop_word() && required > 0 => Occur::Should,
                _ => Occur::Must,
            };
            clauses.push((occur, self.clause(clause, r)));
        }
        if plan.positive.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        for clause in &plan.excluded {
            let excluded = Materialized(self.clause(clause, &Resolved::Fixed));
            clauses.push((Occur::MustNot, Box::new(excluded)));
        }
        for (name, values) in filters {
            if values.is_empty() || skip_filter == Some(*name) {
                continue;
            }
            let any: Vec<(Occur, Box<dyn Query>)> = values
                .iter()
                .map(|v| {
                    let term = Term::from_facet(self.fields.facets, &facet(name, v));
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect();
            // Filters decide membership only, they must not change the ranking.
            let filter = ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0);
            clauses.push((Occur::Must, Box::new(filter)));
        }
        if !plan.positive.is_empty() {
            for boost in boosts {
                clauses.push((Occur::Should, boost.box_clone()));
            }
        }
        BooleanQuery::new(clauses)
    }

    fn text_fields(&self) -> [(Field, f32); 5] {
        [
            (self.fields.title, TITLE_BOOST),
            (self.fields.section, SECTION_BOOST),
            (self.fields.summary, SUMMARY_BOOST),
            (self.fields.meta, META_BOOST),
            (self.fields.body, BODY_BOOST),
        ]
    }

    /// `make` for every text field, boosted, as alternatives.
    fn each_field(
        &self,
        out: &mut Vec<(Occur, Box<dyn Query>)>,
        weight: f32,
        make: impl Fn(Field) -> Box<dyn Query>,
    ) {
        for (field, boost) in self.text_fields() {
            out.push((
                Occur::Should,
                Box::new(BoostQuery::new(make(field), boost * weight)),
            ));
        }
    }

    fn expansion(&self, out: &mut Vec<(Occur, Box<dyn Query>)>, e: &Expansion) {
        for (t, weight) in &e.terms {
            self.each_field(out, *weight, |f| {
                Box::new(TermQuery::new(
                    Term::from_field_text(f, t),
                    IndexRecordOption::WithFreqs,
                ))
            });
        }
    }

    fn clause(&self, clause: &Clause, resolved: &Resolved) -> Box<dyn Query> {
        let mut any = Vec::new();
        match (clause, resolved) {
            (_, Resolved::Term(e)) => self.expansion(&mut any, e),
            (Clause::Compound { parts: words, .. }, Resolved::Compound { parts, joined }) => {
                // Every part as a word …
                let mut each: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for (word, e) in words.iter().zip(parts) {
                    let mut part = Vec::new();
                    self.expansion(&mut part, e);
                    let occur = if word.stop || e.optional {
                        Occur::Should
                    } else {
                        Occur::Must
                    };
                    each.push((occur, Box::new(BooleanQuery::new(part))));
                }
                any.push((Occur::Should, Box::new(BooleanQuery::new(each))));
                // … or the parts written together; in sequence they score more.
                self.expansion(&mut any, joined);
                let stems: Vec<(usize, String)> = words
                    .iter()
                    .enumerate()
                    .map(|(i, w)| (i, w.stem.clone()))
                    .collect();
                self.phrase(&mut any, &stems, 1.0);
            }
            (Clause::Term { word, .. }, _) => self.term(&mut any, &word.stem, 1.0),
            (Clause::Compound { parts, joined, .. }, _) => {
                // Excluded compounds: the parts in sequence, or joined.
                let stems: Vec<(usize, String)> = parts
                    .iter()
                    .enumerate()
                    .map(|(i, w)| (i, w.stem.clone()))
                    .collect();
                self.phrase(&mut any, &stems, 1.0);
                self.term(&mut any, &joined.stem, 1.0);
            }
            (Clause::Phrase(forms), _) => {
                for form in forms {
                    self.phrase(&mut any, form, 1.0);
                }
            }
            (Clause::Synonym { group, literal, .. }, _) => {
                for (v, forms) in self.table.variants_of(*group).iter().enumerate() {
                    let weight = if v == *literal { 1.0 } else { ALIAS_WEIGHT };
                    for form in forms {
                        self.phrase(&mut any, form, weight);
                    }
                }
            }
        }
        Box::new(BooleanQuery::new(any))
    }

    fn term(&self, out: &mut Vec<(Occur, Box<dyn Query>)>, stem: &str, weight: f32) {
        self.each_field(out, weight, |f| {
            Box::new(TermQuery::new(
                Term::from_field_text(f, stem),
                IndexRecordOption::WithFreqs,
            ))
        });
    }

    fn phrase(
        &self,
        out: &mut Vec<(Occur, Box<dyn Query>)>,
        stems: &[(usize, String)],
        weight: f32,
    ) {
        if stems.len() < 2 {
            // PhraseQuery needs two terms; a one-word "phrase" is a word.
            if let Some((_, stem)) = stems.first() {
                self.term(out, stem, weight);
            }
            return;
        }
        self.each_field(out, weight, |f| {
            let terms = stems
                .iter()
                .map(|(pos, stem)| (*pos, Term::from_field_text(f, stem)))
                .collect();
            Box::new(PhraseQuery::new_with_offset(terms))
        });
    }
}

/// A query evaluated up front into a set of documents.
///
/// Exclusions probe their query with `seek_danger` at arbitrary documents, which tantivy's phrase
/// scorer does not support once it has moved past them (a debug assertion, and undefined results
/// in release builds). A bitset answers such probes correctly, and excluded clauses need no
/// scores anyway.
#[derive(Debug)]
struct Materialized(Box<dyn Query>);

impl Clone for Materialized {
    fn clone(&self) -> Self {
        Materialized(self.0.box_clone())
    }
}

impl Query for Materialized {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let schema_only = EnableScoring::disabled_from_schema(scoring.schema());
        Ok(Box::new(MaterializedWeight(self.0.weight(schema_only)?)))
    }
}

struct MaterializedWeight(Box<dyn Weight>);

impl Weight for MaterializedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut docs = BitSet::with_max_value(reader.max_doc());
        let mut inner = self.0.scorer(reader, 1.0)?;
        let mut doc = inner.doc();
        while doc != TERMINATED {
            docs.insert(doc);
            doc = inner.advance();
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncations_of_a_typed_word() {
        assert_eq!(
            prefix_truncations("organisati"),
            ["organis", "organisa", "organisat"]
        );
        assert!(prefix_truncations("refe").is_empty());
        assert_eq!(prefix_truncations("sãoto"), ["sãot"]);
    }

    #[test]
    fn fuzzy_distance_grows_with_length() {
        assert_eq!(fuzzy_distance("law"), None);
        assert_eq!(fuzzy_distance("tome"), None);
        assert_eq!(fuzzy_distance("polic"), Some(1));
        assert_eq!(fuzzy_distance("europool"), Some(1));
        assert_eq!(fuzzy_distance("mechansim"), Some(2));
    }

    #[test]
    fn facets_list_every_field() {
        assert_eq!(
            crate::FACETS.len(),
            SearchRequest::default().filters().len()
        );
    }
}
