//! Reading what a user typed. No user text ever reaches tantivy's query parser: the query is
//! split here into words, "phrases" and -exclusions, analysed like the documents, and turned
//! into a [`Plan`] from which the engine builds tantivy queries itself. Whatever the input,
//! the result is a plan (possibly empty), never an error.

use crate::analysis::{compounds, Analyzer, Word};

/// Longer queries are cut: nobody types more, and it bounds the work of a pasted page.
const MAX_QUERY_CHARS: usize = 400;
/// Bounds on the clauses a query may produce, for the same reason.
const MAX_CLAUSES: usize = 16;
const MAX_EXCLUDED: usize = 8;
const MAX_PHRASE_WORDS: usize = 16;

#[derive(Debug, PartialEq)]
enum Item {
    Word { text: String, excluded: bool },
    Phrase { text: String, excluded: bool },
}

/// Splits the raw query. Quotes that never close run to the end of the query; a `-` starts an
/// exclusion only at the beginning of a word, so "anti-trafficking" stays one (hyphenated) word.
fn lex(q: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut chars = q.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut excluded = false;
        if c == '-' {
            chars.next();
            match chars.peek() {
                Some(n) if !n.is_whitespace() => excluded = true,
                _ => continue,
            }
        }
        if chars.peek() == Some(&'"') {
            chars.next();
            let mut text = String::new();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                text.push(c);
            }
            items.push(Item::Phrase { text, excluded });
        } else {
            let mut text = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '"' {
                    break;
                }
                text.push(c);
                chars.next();
            }
            // Boolean operators are not supported; treat them as noise rather than as words
            // that every result would then have to contain.
            if !excluded && matches!(text.as_str(), "AND" | "OR" | "NOT" | "&&" | "||") {
                continue;
            }
            items.push(Item::Word { text, excluded });
        }
    }
    items
}

/// One unit of a query: in all-words mode each positive clause must match.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Clause {
    Term {
        word: Word,
        /// The word is still being typed: also match words that start with it.
        prefix: bool,
    },
    /// Words joined by hyphens, dashes, slashes or dots ("non-punishment", "UN.GIFT"), or
    /// adjacent query words that the index also holds written together ("non punishment"):
    /// all the parts as words, or the joined word. Never a required phrase.
    Compound {
        parts: Vec<Word>,
        joined: Word,
        /// The last part is still being typed.
        prefix: bool,
    },
    /// A quoted phrase: stems with their relative positions, in each form the index may hold
    /// (parts, and compounds joined).
    Phrase(Vec<Vec<(usize, String)>>),
    /// A glossary group: any of its variants (each a stem sequence) matches.
    Synonym {
        group: usize,
        variants: Vec<Vec<(usize, String)>>,
        /// The variant the query spelled out: alias expansion adds the other variants but
        /// ranks the literal words first.
        literal: usize,
        /// Query words the variant covers.
        covered: usize,
    },
}

impl Clause {
    pub fn is_stop_word(&self) -> bool {
        matches!(self, Clause::Term { word, .. } if word.stop)
    }
}

#[derive(Debug, Default, PartialEq)]
pub(crate) struct Plan {
    pub positive: Vec<Clause>,
    pub excluded: Vec<Clause>,
    /// Glossary groups the query names, with the number of query words each covers, in query
    /// order.
    pub groups: Vec<(usize, usize)>,
    /// Positive query words in order (compounds as parts), for recognising facet names.
    pub words: Vec<Word>,
}

impl Plan {
    /// The glossary group that covers most of the query (the first of equals), if it covers
    /// at least half of the query's words that are not stop words: in "can an NGO share a
    /// victim's data with the police", "NGO" is not what the reader asks about.
    pub fn main_group(&self) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for &(g, covered) in &self.groups {
            if best.is_none_or(|(_, c)| covered > c) {
                best = Some((g, covered));
            }
        }
        let content = self.words.iter().filter(|w| !w.stop).count();
        best.filter(|&(_, covered)| covered * 2 >= content)
            .map(|(g, _)| g)
    }
}

/// A query or variant as a sequence of stems, with each compound written together: the form in
/// which "multi-disciplinary approach" and "multidisciplinary approach" are the same words.
/// Each element keeps the range of words it stands for.
fn normalized(words: &[Word], analyzer: &Analyzer) -> Vec<(std::ops::Range<usize>, Word)> {
    let chains = compounds(words);
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        match chains.iter().find(|r| r.start == i) {
            Some(r) => {
                out.push((r.clone(), analyzer.joined(&words[r.clone()])));
                i = r.end;
            }
            None => {
                out.push((i..i + 1, words[i].clone()));
                i += 1;
            }
        }
    }
    out
}

/// The forms of a word sequence the index may hold: as parts, and with compounds joined.
fn forms(words: &[Word], analyzer: &Analyzer) -> Vec<Vec<(usize, String)>> {
    let parts = relative_stems(words);
    let joined: Vec<Word> = normalized(words, analyzer)
        .into_iter()
        .map(|(_, w)| w)
        .collect();
    let joined = relative_stems(&joined);
    if joined == parts {
        vec![parts]
    } else {
        vec![parts, joined]
    }
}

/// Stems with their positions relative to the first: one way a phrase may be written.
pub(crate) type Form = Vec<(usize, String)>;

/// Glossary groups, each variant analysed once when the engine opens.
pub(crate) struct SynonymTable {
    /// (group, variant index, normalized stems), longest first.
    variants: Vec<(usize, usize, Vec<String>)>,
    /// Per group, per variant: the forms to search for.
    groups: Vec<Vec<Vec<Form>>>,
}

impl SynonymTable {
    pub fn new(synonyms: &crate::Synonyms, analyzer: &mut Analyzer) -> SynonymTable {
        let mut variants = Vec::new();
        let mut groups = Vec::new();
        for (g, group) in synonyms.groups.iter().enumerate() {
            let mut analysed: Vec<Vec<String>> = Vec::new();
            let mut searched: Vec<Vec<Vec<(usize, String)>>> = Vec::new();
            for term in &group.terms {
                let words = analyzer.words(term);
                let norm: Vec<String> = normalized(&words, analyzer)
                    .into_iter()
                    .map(|(_, w)| w.stem)
                    .collect();
                if norm.is_empty() || norm.len() > MAX_PHRASE_WORDS || analysed.contains(&norm) {
                    continue;
                }
                // "MoUs", "NGOs": the plural of an abbreviation the stemmer does not know.
                if let [word] = &words[..] {
                    let plural = analyzer.stem(&format!("{}s", word.folded));
                    if plural != word.stem && !analysed.contains(&vec![plural.clone()]) {
                        variants.push((g, searched.len(), vec![plural]));
                    }
                }
                variants.push((g, searched.len(), norm.clone()));
                analysed.push(norm);
                searched.push(forms(&words, analyzer));
            }
            groups.push(searched);
        }
        // Longest variants first, so "national referral mechanism" wins over "referral".
        variants.sort_by(|a, b| b.2.len().cmp(&a.2.len()).then(a.0.cmp(&b.0)));
        SynonymTable { variants, groups }
    }

    /// Per variant of `group`, the forms to search for.
    pub fn variants_of(&self, group: usize) -> &[Vec<Form>] {
        self.groups.get(group).map_or(&[], Vec::as_slice)
    }

    /// The group and variant that match `stems` from its start, and how many stems they cover.
    fn match_at(&self, stems: &[&str]) -> Option<(usize, usize, usize)> {
        self.variants.iter().find_map(|(g, v, norm)| {
            let fits = norm.len() <= stems.len() && norm.iter().zip(stems).all(|(a, b)| a == b);
            fits.then_some((*g, *v, norm.len()))
        })
    }
}

fn relative_stems(words: &[Word]) -> Vec<(usize, String)> {
    let first = words.first().map_or(0, |w| w.position);
    words
        .iter()
        .take(MAX_PHRASE_WORDS)
        .map(|w| (w.position - first, w.stem.clone()))
        .collect()
}

/// A positive query word waiting to be grouped into clauses.
struct Pending {
    word: Word,
    prefix: bool,
}

/// Reads a query. `known` tells whether the index holds a stem; it decides whether two adjacent
/// query words may also be meant written together ("non punishment" → "nonpunishment").
pub(crate) fn plan(
    q: &str,
    analyzer: &mut Analyzer,
    synonyms: &SynonymTable,
    known: &dyn Fn(&str) -> bool,
) -> Plan {
    let q = match q.char_indices().nth(MAX_QUERY_CHARS) {
        Some((cut, _)) => &q[..cut],
        None => q,
    };
    let still_typing = !q.ends_with(|c: char| c.is_whitespace() || c == '"');
    let items = lex(q);
    let last = items.len().saturating_sub(1);

    // Positive plain words are collected in runs so that multi-word glossary terms can be
    // recognised across them; anything else ends a run.
    let mut plan = Plan::default();
    let mut run: Vec<Pending> = Vec::new();
    let mut flusher = Flusher {
        analyzer,
        synonyms,
        known,
    };
    for (i, item) in items.into_iter().enumerate() {
        match item {
            Item::Word { text, excluded } => {
                let words = flusher.analyzer.words(&text);
                if excluded {
                    match words.len() {
                        0 => {}
                        1 => plan.excluded.push(Clause::Term {
                            word: words.into_iter().next().expect("one word"),
                            prefix: false,
                        }),
                        _ => plan
                            .excluded
                            .push(Clause::Phrase(forms(&words, flusher.analyzer))),
                    }
                    continue;
                }
                let n = words.len();
                for (k, mut word) in words.into_iter().enumerate() {
                    // Words of different items are never one compound.
                    if k + 1 == n {
                        word.joined_next = false;
                    }
                    let prefix = still_typing && i == last && k + 1 == n;
                    run.push(Pending { word, prefix });
                }
            }
            Item::Phrase { text, excluded } => {
                flusher.flush(&mut run, &mut plan);
                let words = flusher.analyzer.words(&text);
                let clause = match words.len() {
                    0 => continue,
                    1 => Clause::Term {
                        word: words.into_iter().next().expect("one word"),
                        prefix: false,
                    },
                    _ => Clause::Phrase(forms(&words, flusher.analyzer)),
                };
                push(&mut plan, clause, excluded);
            }
        }
    }
    flusher.flush(&mut run, &mut plan);
    dedup(&mut plan.positive);
    dedup(&mut plan.excluded);
    plan.positive.truncate(MAX_CLAUSES);
    plan.excluded.truncate(MAX_EXCLUDED);

    plan.groups = plan
        .positive
        .iter()
        .filter_map(|c| match c {
            Clause::Synonym { group, covered, .. } => Some((*group, *covered)),
            _ => None,
        })
        .collect();
    plan
}

fn push(plan: &mut Plan, clause: Clause, excluded: bool) {
    if excluded {
        plan.excluded.push(clause);
    } else {
        plan.positive.push(clause);
    }
}

struct Flusher<'a> {
    analyzer: &'a mut Analyzer,
    synonyms: &'a SynonymTable,
    known: &'a dyn Fn(&str) -> bool,
}

impl Flusher<'_> {
    /// Turns a run of positive words into clauses: glossary terms first (longest variant),
    /// then compounds, then single words, joining adjacent words the index knows joined.
    fn flush(&mut self, run: &mut Vec<Pending>, plan: &mut Plan) {
        if run.is_empty() {
            return;
        }
        let words: Vec<Word> = run.iter().map(|p| p.word.clone()).collect();
        plan.words.extend(words.iter().cloned());
        let elements = normalized(&words, self.analyzer);
        let stems: Vec<&str> = elements.iter().map(|(_, w)| w.stem.as_str()).collect();
        let mut singles: Vec<Pending> = Vec::new();
        let mut e = 0;
        while e < elements.len() {
            if let Some((group, variant, len)) = self.synonyms.match_at(&stems[e..]) {
                self.singles(&mut singles, plan);
                let covered = elements[e..e + len].iter().map(|(r, _)| r.len()).sum();
                plan.positive.push(Clause::Synonym {
                    group,
                    variants: self.synonyms.groups[group]
                        .iter()
                        .flatten()
                        .cloned()
                        .collect(),
                    literal: variant,
                    covered,
                });
                e += len;
                continue;
            }
            let (range, joined) = &elements[e];
            if range.len() > 1 {
                self.singles(&mut singles, plan);
                plan.positive.push(Clause::Compound {
                    parts: words[range.clone()].to_vec(),
                    joined: joined.clone(),
                    prefix: run[range.end - 1].prefix,
                });
            } else {
                singles.push(Pending {
                    word: words[range.start].clone(),
                    prefix: run[range.start].prefix,
                });
            }
            e += 1;
        }
        self.singles(&mut singles, plan);
        run.clear();
    }

    /// Single words, with adjacent pairs joined where the index holds them joined.
    fn singles(&mut self, singles: &mut Vec<Pending>, plan: &mut Plan) {
        let mut i = 0;
        while i < singles.len() {
            if let Some(next) = singles.get(i + 1) {
                let (a, b) = (&singles[i].word, &next.word);
                if !a.stop && !b.stop {
                    let parts = vec![a.clone(), b.clone()];
                    let joined = self.analyzer.joined(&parts);
                    if (self.known)(&joined.stem) {
                        plan.positive.push(Clause::Compound {
                            parts,
                            joined,
                            prefix: next.prefix,
                        });
                        i += 2;
                        continue;
                    }
                }
            }
            let Pending { word, prefix } = &singles[i];
            plan.positive.push(Clause::Term {
                word: word.clone(),
                prefix: *prefix,
            });
            i += 1;
        }
        singles.clear();
    }
}

/// Drops repeated clauses ("trust trust trust"), which would only multiply work.
fn dedup(clauses: &mut Vec<Clause>) {
    let strip = |w: &Word| Word {
        position: 0,
        from: 0,
        to: 0,
        joined_next: false,
        ..w.clone()
    };
    let mut seen: Vec<Clause> = Vec::new();
    clauses.retain(|c| {
        let key = match c {
            Clause::Term { word, prefix } => Clause::Term {
                word: strip(word),
                prefix: *prefix,
            },
            Clause::Compound {
                parts,
                joined,
                prefix,
            } => Clause::Compound {
                parts: parts.iter().map(strip).collect(),
                joined: strip(joined),
                prefix: *prefix,
            },
            other => other.clone(),
        };
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Synonyms;

    /// Plans with an index that holds "nonpunish" and "ungift" joined.
    fn plan_of(q: &str) -> Plan {
        let mut a = Analyzer::new("en");
        let syn = Synonyms::from_groups(vec![
            vec!["NRM".into(), "national referral mechanism".into()],
            vec![
                "MoU".into(),
                "memorandum of understanding".into(),
                "multi-disciplinary approach".into(),
            ],
        ]);
        let table = SynonymTable::new(&syn, &mut a);
        plan(q, &mut a, &table, &|s| ["nonpunish", "ungift"].contains(&s))
    }

    fn stems(clauses: &[Clause]) -> Vec<String> {
        clauses
            .iter()
            .map(|c| match c {
                Clause::Term { word, prefix } => {
                    format!("{}{}", word.stem, if *prefix { "*" } else { "" })
                }
                Clause::Phrase(forms) => forms
                    .iter()
                    .map(|p| {
                        let s: Vec<&str> = p.iter().map(|(_, s)| s.as_str()).collect();
                        format!("\"{}\"", s.join(" "))
                    })
                    .collect::<Vec<_>>()
                    .join("|"),
                Clause::Compound {
                    parts,
                    joined,
                    prefix,
                } => {
                    let s: Vec<&str> = parts.iter().map(|w| w.stem.as_str()).collect();
                    let star = if *prefix { "*" } else { "" };
                    format!("({}{star}|{}{star})", s.join("+"), joined.stem)
                }
                Clause::Synonym {
                    group,
                    literal,
                    covered,
                    ..
                } => format!("syn{group}.{literal}/{covered}"),
            })
            .collect()
    }

    #[test]
    fn lexes_words_phrases_and_exclusions() {
        assert_eq!(
            lex(r#"police -"forced labour" -fishing "open"#),
            vec![
                Item::Word {
                    text: "police".into(),
                    excluded: false
                },
                Item::Phrase {
                    text: "forced labour".into(),
                    excluded: true
                },
                Item::Word {
                    text: "fishing".into(),
                    excluded: true
                },
                Item::Phrase {
                    text: "open".into(),
                    excluded: false
                },
            ]
        );
        assert_eq!(
            lex("- -- \"\""),
            vec![
                Item::Word {
                    text: "-".into(),
                    excluded: true
                },
                Item::Phrase {
                    text: "".into(),
                    excluded: false
                },
            ]
        );
    }

    #[test]
    fn last_word_is_a_prefix_while_typing() {
        assert_eq!(
            stems(&plan_of("victims refer").positive),
            ["victim", "refer*"]
        );
        assert_eq!(
            stems(&plan_of("victims refer ").positive),
            ["victim", "refer"]
        );
        assert_eq!(stems(&plan_of("\"refer\"").positive), ["refer"]);
    }

    #[test]
    fn phrases_and_hyphenated_words() {
        let p = plan_of("\"forced labour\" anti-trafficking -\"sex work\" -pay");
        // A hyphenated word is its parts or the parts joined, never a required phrase.
        assert_eq!(
            stems(&p.positive),
            ["\"forc labour\"", "(anti+traffick|antitraffick)"]
        );
        assert_eq!(stems(&p.excluded), ["\"sex work\"", "pay"]);
        // A quoted compound is searched as parts and joined.
        let p = plan_of("\"the non-punishment principle\"");
        assert_eq!(
            stems(&p.positive),
            ["\"the non punish principl\"|\"the nonpunish principl\""]
        );
    }

    #[test]
    fn compounds_keep_prefix_and_join_adjacent_words_the_index_knows() {
        assert_eq!(stems(&plan_of("non-p").positive), ["(non+p*|nonp*)"]);
        assert_eq!(
            stems(&plan_of("UN.GIFT Guiding").positive),
            ["(un+gift|ungift)", "guid*"]
        );
        assert_eq!(
            stems(&plan_of("B8/3 and 2011/36/EU ").positive),
            ["(b8+3|b83)", "and", "(2011+36+eu|201136eu)"]
        );
        // "non punishment" → also "nonpunishment", because the index holds it; "un gift" too.
        assert_eq!(
            stems(&plan_of("non punishment ").positive),
            ["(non+punish|nonpunish)"]
        );
        assert_eq!(stems(&plan_of("UN GIFT").positive), ["(un+gift*|ungift*)"]);
        // Words the index does not hold joined stay words.
        assert_eq!(
            stems(&plan_of("police trust ").positive),
            ["polic", "trust"]
        );
    }

    #[test]
    fn glossary_terms_become_synonym_clauses() {
        let p = plan_of("NRM referral");
        assert_eq!(stems(&p.positive), ["syn0.0/1", "referr*"]);
        assert_eq!(p.groups, [(0, 1)]);
        let p = plan_of("the National Referral Mechanism ");
        assert_eq!(stems(&p.positive), ["the", "syn0.1/3"]);
        // Plural abbreviations, and a hyphenated alias typed joined or hyphenated.
        assert_eq!(stems(&plan_of("MoUs ").positive), ["syn1.0/1"]);
        assert_eq!(
            stems(&plan_of("multidisciplinary approach ").positive),
            ["syn1.2/2"]
        );
        assert_eq!(
            stems(&plan_of("multi-disciplinary approach").positive),
            ["syn1.2/3"]
        );
        // The card is the term that covers most of the query, and at least half of it.
        let p = plan_of("NRM or memorandum of understanding ");
        assert_eq!(p.main_group(), Some(1));
        assert_eq!(plan_of("NRM police ").main_group(), Some(0));
        assert_eq!(
            plan_of("can an NRM share data with police ").main_group(),
            None
        );
    }

    #[test]
    fn operators_and_noise_give_an_empty_plan() {
        for q in [
            "",
            "   ",
            "\"",
            "\"\"\"",
            "AND OR NOT ((",
            "🙂🙂",
            "-",
            "((()))",
        ] {
            let p = plan_of(q);
            assert!(
                p.positive.is_empty() && p.excluded.is_empty(),
                "{q:?}: {p:?}"
            );
        }
    }

    #[test]
    fn long_queries_are_bounded() {
        let q = "word ".repeat(2_000) + &"x".repeat(10_000);
        let p = plan_of(&q);
        assert_eq!(p.positive.len(), 1);
        let q: String = (0..1_000).map(|i| format!("w{i} ")).collect();
        assert!(plan_of(&q).positive.len() <= MAX_CLAUSES);
    }
}
