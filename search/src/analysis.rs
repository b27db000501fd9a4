//! Turning text into terms, the same way for documents, queries and snippets.
//!
//! Words are Unicode alphanumeric runs (so Cyrillic or Greek text is searchable), lowercased,
//! folded to ASCII where a folding exists ("São Tomé" → "sao tome") and stemmed with the English
//! Snowball stemmer ("victims" → "victim"). The index uses tantivy's filter chain; queries and
//! snippets need both the folded word (for prefix matching and stop words) and its stem, so
//! they run the chain without the stemmer and stem with the very crate tantivy's filter uses.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenStream,
};

/// Name under which the index analyzer is registered in the schema.
pub(crate) const TOKENIZER: &str = "accord_en";

/// Longer "words" are usually base64, URLs or hashes: nobody searches for them, and a query of
/// one 10,000-character word must not build a 10,000-byte term.
const MAX_WORD_BYTES: usize = 40;

pub(crate) fn index_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

fn folding_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Word {
    /// Lowercased and folded, not stemmed.
    pub folded: String,
    /// What the index holds for this word.
    pub stem: String,
    pub position: usize,
    /// Byte range in the analysed text.
    pub from: usize,
    pub to: usize,
}

pub(crate) struct Analyzer {
    folder: TextAnalyzer,
    stemmer: frostem::Stemmer,
}

impl Analyzer {
    pub fn new() -> Analyzer {
        Analyzer {
            folder: folding_analyzer(),
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }

    pub fn words(&mut self, text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        let mut stream = self.folder.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            out.push(Word {
                stem: self.stemmer.stem(&t.text).into_owned(),
                folded: t.text.clone(),
                position: t.position,
                from: t.offset_from,
                to: t.offset_to,
            });
        }
        out
    }
}

/// Words too common to be required in an all-words query: "what is the reflection period"
/// should not drop a section because it lacks "what".
pub(crate) fn is_stop_word(folded: &str) -> bool {
    const STOP: &[&str] = &[
        "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
        "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have",
        "how", "i", "if", "in", "into", "is", "it", "its", "may", "more", "must", "no", "not",
        "of", "on", "or", "other", "our", "should", "so", "such", "than", "that", "the", "their",
        "them", "then", "there", "these", "they", "this", "those", "to", "was", "we", "were",
        "what", "when", "where", "which", "who", "why", "will", "with", "would", "you", "your",
    ];
    STOP.binary_search(&folded).is_ok()
}

/// Whether `a` and `b` are within `max` edits (insertions, deletions, substitutions and
/// transpositions of adjacent characters), matching tantivy's fuzzy term query so that snippets
/// highlight the words the fuzzy query matched.
pub(crate) fn within_edits(a: &str, b: &str, max: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    // Optimal string alignment distance, rows of length b.len() + 1.
    let n = b.len();
    let mut prev2: Vec<usize> = vec![0; n + 1];
    let mut prev: Vec<usize> = (0..=n).collect();
    let mut cur: Vec<usize> = vec![0; n + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return false;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        Analyzer::new()
            .words(text)
            .into_iter()
            .map(|w| w.stem)
            .collect()
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(is_stop_word("the") && is_stop_word("your") && is_stop_word("a"));
        assert!(!is_stop_word("victim"));
    }

    #[test]
    fn folds_accents_and_stems() {
        assert_eq!(stems("São Tomé"), ["sao", "tome"]);
        assert_eq!(stems("Victims' Referrals"), ["victim", "referr"]);
    }

    #[test]
    fn query_words_stem_like_the_index() {
        let text = "Trafficking organisations cooperating Überweisung Москва 🙂 naïve";
        let mut index = index_analyzer();
        let mut stream = index.token_stream(text);
        let mut indexed = Vec::new();
        while stream.advance() {
            indexed.push(stream.token().text.clone());
        }
        assert_eq!(stems(text), indexed);
        assert!(indexed.contains(&"москва".to_string()));
    }

    #[test]
    fn long_words_are_dropped() {
        assert!(stems(&"a".repeat(10_000)).is_empty());
    }

    #[test]
    fn edit_distance() {
        assert!(within_edits("traffick", "trafick", 1));
        assert!(within_edits("referral", "refrreal", 2));
        assert!(within_edits("recieve", "receive", 1));
        assert!(!within_edits("victim", "vector", 2));
        assert!(within_edits("", "", 0));
    }
}
