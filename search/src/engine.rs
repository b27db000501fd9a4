//! Answering queries from a packed index.

use std::cmp::Reverse;
use std::path::PathBuf;

use tantivy::collector::{Count, FacetCollector, FacetCounts, TopDocs};
use tantivy::directory::OwnedBytes;
use tantivy::query::{
    AllQuery, BitSetDocSet, BooleanQuery, BoostQuery, ConstScoreQuery, ConstScorer, EnableScoring,
    Explanation, FuzzyTermQuery, Occur, PhraseQuery, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Facet, Field, IndexRecordOption, Term, Value};
use tantivy::{
    BitSet, DocId, DocSet, Index, IndexReader, ReloadPolicy, Score, Searcher, SegmentReader,
    TERMINATED,
};

use crate::analysis::{Analyzer, TOKENIZER};
use crate::directory::BlobDirectory;
use crate::index::{facet, Fields};
use crate::query::{Clause, Plan, SynonymTable};
use crate::snippet::{opening, Matcher};
use crate::{Definition, Error, FacetCount, Hit, SearchRequest, SearchResponse, Synonyms};

/// Field boosts: a word in the page title says more about a section than the same word in its
/// heading, its page summary or its text.
const TITLE_BOOST: f32 = 5.0;
const SECTION_BOOST: f32 = 3.0;
const SUMMARY_BOOST: f32 = 2.0;
const BODY_BOOST: f32 = 1.0;
/// Near spellings and word beginnings score a constant (times the field boost), kept below a
/// typical exact BM25 match so exact words rank first.
const FUZZY_WEIGHT: f32 = 0.5;
const PREFIX_WEIGHT: f32 = 0.5;
const TRUNCATION_WEIGHT: f32 = 0.3;
/// Below this many exact matches the query also tries near spellings.
const FEW: usize = 3;
const MAX_LIMIT: usize = 1_000;

/// A word being typed shorter than this matches no longer words: two letters would expand to
/// a large part of the dictionary and tell little.
pub(crate) const MIN_PREFIX_CHARS: usize = 3;

/// Edit distance allowed for a stem: none for short words (too many neighbours), one for
/// medium, two for long ones.
pub(crate) fn fuzzy_distance(stem: &str) -> Option<u8> {
    match stem.chars().count() {
        0..=3 => None,
        4..=7 => Some(1),
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

/// A read-only search engine over a packed index.
pub struct Engine {
    searcher: Searcher,
    // Keeps the segment readers alive for the searcher.
    _reader: IndexReader,
    fields: Fields,
    synonyms: Synonyms,
    table: SynonymTable,
}

/// How a query is run: all words required or any, exact or with near spellings.
#[derive(Clone, Copy)]
struct Mode {
    all: bool,
    fuzzy: bool,
}

impl Engine {
    /// Opens an index written by [`crate::build_index`]. Fails with [`Error::Version`] if it was
    /// written by a different version of accord and [`Error::Format`] if it is not an index or
    /// was damaged since it was written (its checksum is verified first, so no damaged byte
    /// reaches tantivy).
    pub fn open(blob: &[u8]) -> Result<Engine, Error> {
        Engine::from_vec(blob.to_vec())
    }

    /// Like [`Engine::open`], but takes ownership of the index bytes and reads the files in
    /// place, so the index is held in memory once rather than twice.
    pub fn from_vec(blob: Vec<u8>) -> Result<Engine, Error> {
        let packed = crate::format::unpack(&blob)?;
        let bytes = OwnedBytes::new(blob);
        let files = packed
            .files
            .into_iter()
            .map(|(name, range)| (PathBuf::from(name), bytes.slice(range)))
            .collect();
        // The checksum matched, so tantivy refusing the files means they were written wrong:
        // to the reader that is a damaged index all the same.
        let damaged = |e: tantivy::TantivyError| Error::Format(e.to_string());
        let index = Index::open(BlobDirectory::new(files)).map_err(damaged)?;
        index
            .tokenizers()
            .register(TOKENIZER, crate::analysis::index_analyzer());
        let fields = Fields::of(&index.schema())?;
        // Manual reload: the index never changes, and the browser has no threads to watch it.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(damaged)?;
        let searcher = reader.searcher();
        let table = SynonymTable::new(&packed.synonyms, &mut Analyzer::new());
        Ok(Engine {
            searcher,
            _reader: reader,
            fields,
            synonyms: packed.synonyms,
            table,
        })
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
        let mut analyzer = Analyzer::new();
        let plan = crate::query::plan(&req.q, &mut analyzer, &self.table);
        let filters = req.filters();
        let mut response = SearchResponse {
            definition: self.definition(&plan),
            ..SearchResponse::default()
        };
        let filtered = filters.iter().any(|(_, values)| !values.is_empty());
        // tantivy's bitsets assume at least one document.
        if (plan.positive.is_empty() && !filtered) || self.searcher.num_docs() == 0 {
            return response;
        }

        let (mode, total) = self.choose_mode(&plan, &filters);
        response.total = total;
        response.fuzzy = mode.fuzzy;
        let query = self.build(&plan, mode, &filters, None);

        let limit = req.limit.min(MAX_LIMIT);
        let mut facets = FacetCollector::for_field("facets");
        let mut counted = Vec::new();
        for (name, values) in filters {
            // A facet the request filters on is counted separately, without its own filter.
            if values.is_empty() {
                facets.add_facet(Facet::from_path([name]));
                counted.push(name);
            }
        }
        let top = TopDocs::with_limit(limit.max(1)).tweak_score(rank_key);
        let (top, counts) = self
            .searcher
            .search(&query, &(top, facets))
            .unwrap_or_else(|_| (Vec::new(), FacetCounts::default()));
        for name in counted {
            response
                .facets
                .insert(name.into(), facet_values(&counts, name));
        }
        for (name, values) in filters {
            if !values.is_empty() {
                let query = self.build(&plan, mode, &filters, Some(name));
                let mut collector = FacetCollector::for_field("facets");
                collector.add_facet(Facet::from_path([name]));
                let counts = self.searcher.search(&query, &collector).unwrap_or_default();
                response
                    .facets
                    .insert(name.into(), facet_values(&counts, name));
            }
        }

        let matcher = Matcher::new(&plan, mode.fuzzy);
        for ((score, _), address) in top.into_iter().take(limit) {
            let Ok(doc) = self.searcher.doc::<tantivy::TantivyDocument>(address) else {
                continue;
            };
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let body = text(self.fields.body);
            let summary = text(self.fields.summary);
            let snippet = matcher
                .snippet(&mut analyzer, &body)
                .or_else(|| matcher.snippet(&mut analyzer, &summary))
                .unwrap_or_else(|| opening(if body.is_empty() { &summary } else { &body }));
            response.hits.push(Hit {
                url: text(self.fields.url),
                title: text(self.fields.title),
                section: text(self.fields.section),
                kind: text(self.fields.kind),
                snippet,
                score: score as f32 / 1000.0,
            });
        }
        response
    }

    fn definition(&self, plan: &Plan) -> Option<Definition> {
        plan.groups.iter().find_map(|&g| {
            let group = self.synonyms.groups.get(g)?;
            Some(Definition {
                term: group.terms.first().cloned().unwrap_or_default(),
                text: group.definition.clone()?,
                url: group.url.clone(),
            })
        })
    }

    /// All words if any section has them, else any word; in each case near spellings too when
    /// the exact words find little.
    fn choose_mode(&self, plan: &Plan, filters: &[(&str, &[String])]) -> (Mode, usize) {
        let count = |mode: Mode| {
            self.searcher
                .search(&self.build(plan, mode, filters, None), &Count)
                .unwrap_or(0)
        };
        let can_fuzz = plan.positive.iter().any(|c| match c {
            Clause::Term { word, .. } => !c.is_stop_word() && fuzzy_distance(&word.stem).is_some(),
            _ => false,
        });
        let can_relax = plan.positive.len() > 1;
        let mut fallback = None;
        for all in [true, false] {
            if !all && !can_relax {
                break;
            }
            let exact = Mode { all, fuzzy: false };
            let n = count(exact);
            if n >= FEW {
                return (exact, n);
            }
            if can_fuzz {
                let near = Mode { all, fuzzy: true };
                let m = count(near);
                if m > n {
                    return (near, m);
                }
            }
            if n > 0 {
                return (exact, n);
            }
            fallback.get_or_insert((exact, n));
        }
        fallback.unwrap_or((
            Mode {
                all: true,
                fuzzy: false,
            },
            0,
        ))
    }

    fn build(
        &self,
        plan: &Plan,
        mode: Mode,
        filters: &[(&str, &[String])],
        skip_filter: Option<&str>,
    ) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let required = plan.positive.iter().filter(|c| !c.is_stop_word()).count();
        for clause in &plan.positive {
            let occur = match clause {
                // Quoted phrases are what the user insists on.
                Clause::Phrase(_) => Occur::Must,
                _ if !mode.all => Occur::Should,
                _ if clause.is_stop_word() && required > 0 => Occur::Should,
                _ => Occur::Must,
            };
            clauses.push((occur, self.clause(clause, mode.fuzzy)));
        }
        if plan.positive.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        for clause in &plan.excluded {
            let excluded = Materialized(self.clause(clause, false));
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
        BooleanQuery::new(clauses)
    }

    fn text_fields(&self) -> [(Field, f32); 4] {
        [
            (self.fields.title, TITLE_BOOST),
            (self.fields.section, SECTION_BOOST),
            (self.fields.summary, SUMMARY_BOOST),
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

    fn clause(&self, clause: &Clause, fuzzy: bool) -> Box<dyn Query> {
        let mut any = Vec::new();
        match clause {
            Clause::Term { word, prefix } => {
                self.term(&mut any, &word.stem);
                if fuzzy && !clause.is_stop_word() {
                    if let Some(d) = fuzzy_distance(&word.stem) {
                        self.each_field(&mut any, FUZZY_WEIGHT, |f| {
                            Box::new(FuzzyTermQuery::new(
                                Term::from_field_text(f, &word.stem),
                                d,
                                true,
                            ))
                        });
                    }
                    // A typo in a word's ending defeats its stem ("mechansim" stems to itself,
                    // the index holds "mechan"); the word's beginnings still find it.
                    if !prefix {
                        for t in prefix_truncations(&word.folded) {
                            self.each_field(&mut any, FUZZY_WEIGHT, |f| {
                                Box::new(TermQuery::new(
                                    Term::from_field_text(f, t),
                                    IndexRecordOption::WithFreqs,
                                ))
                            });
                        }
                    }
                }
                if *prefix {
                    for t in prefix_truncations(&word.folded) {
                        self.each_field(&mut any, TRUNCATION_WEIGHT, |f| {
                            Box::new(TermQuery::new(
                                Term::from_field_text(f, t),
                                IndexRecordOption::WithFreqs,
                            ))
                        });
                    }
                    if word.folded.chars().count() >= MIN_PREFIX_CHARS {
                        self.each_field(&mut any, PREFIX_WEIGHT, |f| {
                            Box::new(FuzzyTermQuery::new_prefix(
                                Term::from_field_text(f, &word.folded),
                                0,
                                false,
                            ))
                        });
                    }
                }
            }
            Clause::Phrase(stems) => self.phrase(&mut any, stems),
            Clause::Synonym { variants, .. } => {
                for v in variants {
                    match &v[..] {
                        [(_, stem)] => self.term(&mut any, stem),
                        _ => self.phrase(&mut any, v),
                    }
                }
            }
        }
        Box::new(BooleanQuery::new(any))
    }

    fn term(&self, out: &mut Vec<(Occur, Box<dyn Query>)>, stem: &str) {
        self.each_field(out, 1.0, |f| {
            Box::new(TermQuery::new(
                Term::from_field_text(f, stem),
                IndexRecordOption::WithFreqs,
            ))
        });
    }

    fn phrase(&self, out: &mut Vec<(Occur, Box<dyn Query>)>, stems: &[(usize, String)]) {
        if stems.len() < 2 {
            // PhraseQuery needs two terms; a one-word "phrase" is a word.
            if let Some((_, stem)) = stems.first() {
                self.term(out, stem);
            }
            return;
        }
        self.each_field(out, 1.0, |f| {
            let terms = stems
                .iter()
                .map(|(pos, stem)| (*pos, Term::from_field_text(f, stem)))
                .collect();
            Box::new(PhraseQuery::new_with_offset(terms))
        });
    }
}

/// Sort key of a hit: the score rounded to 1/1000, then URL order. Rounding absorbs the last-bit
/// differences between platform math libraries, so native and wasm rank identically.
#[allow(clippy::type_complexity)]
fn rank_key(segment: &SegmentReader) -> impl Fn(DocId, Score) -> (i64, Reverse<u64>) {
    let ranks = segment
        .fast_fields()
        .u64(crate::index::RANK)
        .ok()
        .map(|c| c.first_or_default_col(0));
    move |doc, score| {
        let rank = ranks.as_ref().map_or(u64::from(doc), |r| r.get_val(doc));
        let score = if score.is_finite() {
            (f64::from(score) * 1000.0).round() as i64
        } else {
            0
        };
        (score, Reverse(rank))
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

fn facet_values(counts: &FacetCounts, name: &str) -> Vec<FacetCount> {
    let mut values: Vec<FacetCount> = counts
        .get(Facet::from_path([name]))
        .filter_map(|(facet, count)| {
            let path = facet.to_path();
            Some(FacetCount {
                value: path.last()?.to_string(),
                count,
            })
        })
        .collect();
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    values
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
        assert_eq!(fuzzy_distance("polic"), Some(1));
        assert_eq!(fuzzy_distance("traffick"), Some(2));
    }

    #[test]
    fn facets_list_every_field() {
        assert_eq!(
            crate::FACETS.len(),
            SearchRequest::default().filters().len()
        );
    }
}
