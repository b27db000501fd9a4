//! Reading what a user typed. No user text ever reaches tantivy's query parser: the query is
//! split here into words, "phrases" and -exclusions, analysed like the documents, and turned
//! into a [`Plan`] from which the engine builds tantivy queries itself. Whatever the input,
//! the result is a plan (possibly empty), never an error.

use crate::analysis::{is_stop_word, Analyzer, Word};

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
    /// Stems with their relative positions.
    Phrase(Vec<(usize, String)>),
    /// A glossary group: any of its variants (each a stem sequence) matches.
    Synonym {
        group: usize,
        variants: Vec<Vec<(usize, String)>>,
    },
}

impl Clause {
    pub fn is_stop_word(&self) -> bool {
        matches!(self, Clause::Term { word, .. } if is_stop_word(&word.folded))
    }
}

#[derive(Debug, Default, PartialEq)]
pub(crate) struct Plan {
    pub positive: Vec<Clause>,
    pub excluded: Vec<Clause>,
    /// Glossary groups the query names, in query order.
    pub groups: Vec<usize>,
}

/// Glossary groups, each variant analysed once when the engine opens.
pub(crate) struct SynonymTable {
    /// (group, variant stems)
    variants: Vec<(usize, Vec<(usize, String)>)>,
    groups: Vec<Vec<Vec<(usize, String)>>>,
}

impl SynonymTable {
    pub fn new(synonyms: &crate::Synonyms, analyzer: &mut Analyzer) -> SynonymTable {
        let mut variants = Vec::new();
        let mut groups = Vec::new();
        for (g, group) in synonyms.groups.iter().enumerate() {
            let mut analysed: Vec<Vec<(usize, String)>> = Vec::new();
            for term in &group.terms {
                let stems = relative_stems(&analyzer.words(term));
                if !stems.is_empty() && !analysed.contains(&stems) {
                    analysed.push(stems);
                }
            }
            for v in &analysed {
                variants.push((g, v.clone()));
            }
            groups.push(analysed);
        }
        // Longest variants first, so "national referral mechanism" wins over "referral".
        variants.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        SynonymTable { variants, groups }
    }

    /// The group whose variant matches `terms` from its start, and how many terms it covers.
    fn match_at(&self, terms: &[&Word]) -> Option<(usize, usize)> {
        self.variants.iter().find_map(|(g, v)| {
            let fits =
                v.len() <= terms.len() && v.iter().zip(terms).all(|((_, stem), w)| *stem == w.stem);
            fits.then_some((*g, v.len()))
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

pub(crate) fn plan(q: &str, analyzer: &mut Analyzer, synonyms: &SynonymTable) -> Plan {
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
    let mut run: Vec<(Word, bool)> = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        match item {
            Item::Word { text, excluded } => {
                let words = analyzer.words(&text);
                match (words.len(), excluded) {
                    (0, _) => {}
                    (1, false) => {
                        let w = words.into_iter().next().expect("one word");
                        run.push((w, still_typing && i == last));
                    }
                    (1, true) => plan.excluded.push(Clause::Term {
                        word: words.into_iter().next().expect("one word"),
                        prefix: false,
                    }),
                    // "anti-trafficking", "e.g.": the parts in sequence.
                    (_, excluded) => {
                        flush(&mut run, &mut plan, synonyms);
                        push(&mut plan, Clause::Phrase(relative_stems(&words)), excluded);
                    }
                }
            }
            Item::Phrase { text, excluded } => {
                flush(&mut run, &mut plan, synonyms);
                let words = analyzer.words(&text);
                let clause = match words.len() {
                    0 => continue,
                    1 => Clause::Term {
                        word: words.into_iter().next().expect("one word"),
                        prefix: false,
                    },
                    _ => Clause::Phrase(relative_stems(&words)),
                };
                push(&mut plan, clause, excluded);
            }
        }
    }
    flush(&mut run, &mut plan, synonyms);
    dedup(&mut plan.positive);
    dedup(&mut plan.excluded);
    plan.positive.truncate(MAX_CLAUSES);
    plan.excluded.truncate(MAX_EXCLUDED);

    plan.groups = plan
        .positive
        .iter()
        .filter_map(|c| match c {
            Clause::Synonym { group, .. } => Some(*group),
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

fn flush(run: &mut Vec<(Word, bool)>, plan: &mut Plan, synonyms: &SynonymTable) {
    let words: Vec<&Word> = run.iter().map(|(w, _)| w).collect();
    let mut i = 0;
    while i < run.len() {
        if let Some((group, len)) = synonyms.match_at(&words[i..]) {
            plan.positive.push(Clause::Synonym {
                group,
                variants: synonyms.groups[group].clone(),
            });
            i += len;
        } else {
            let (word, prefix) = run[i].clone();
            plan.positive.push(Clause::Term { word, prefix });
            i += 1;
        }
    }
    run.clear();
}

/// Drops repeated clauses ("trust trust trust"), which would only multiply work.
fn dedup(clauses: &mut Vec<Clause>) {
    let mut seen: Vec<Clause> = Vec::new();
    clauses.retain(|c| {
        let key = match c {
            Clause::Term { word, prefix } => Clause::Term {
                word: Word {
                    position: 0,
                    from: 0,
                    to: 0,
                    ..word.clone()
                },
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

    fn plan_of(q: &str) -> Plan {
        let mut a = Analyzer::new();
        let syn = Synonyms::from_groups(vec![vec![
            "NRM".into(),
            "national referral mechanism".into(),
        ]]);
        let table = SynonymTable::new(&syn, &mut a);
        plan(q, &mut a, &table)
    }

    fn stems(clauses: &[Clause]) -> Vec<String> {
        clauses
            .iter()
            .map(|c| match c {
                Clause::Term { word, prefix } => {
                    format!("{}{}", word.stem, if *prefix { "*" } else { "" })
                }
                Clause::Phrase(p) => {
                    let s: Vec<&str> = p.iter().map(|(_, s)| s.as_str()).collect();
                    format!("\"{}\"", s.join(" "))
                }
                Clause::Synonym { group, .. } => format!("syn{group}"),
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
        assert_eq!(stems(&p.positive), ["\"forc labour\"", "\"anti traffick\""]);
        assert_eq!(stems(&p.excluded), ["\"sex work\"", "pay"]);
    }

    #[test]
    fn glossary_terms_become_synonym_clauses() {
        let p = plan_of("NRM referral");
        assert_eq!(stems(&p.positive), ["syn0", "referr*"]);
        assert_eq!(p.groups, [0]);
        let p = plan_of("the National Referral Mechanism ");
        assert_eq!(stems(&p.positive), ["the", "syn0"]);
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
