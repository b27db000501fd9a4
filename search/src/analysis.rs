//! Turning text into terms, the same way for documents, queries and snippets.
//!
//! Words are Unicode alphanumeric runs (so Cyrillic or Greek text is searchable), lowercased,
//! folded to ASCII where a folding exists ("São Tomé" → "sao tome") and stemmed with the English
//! Snowball stemmer ("victims" → "victim"). Queries and snippets need both the folded word (for
//! prefix matching and stop words) and its stem; the index tokenizer runs the same analysis and
//! keeps the stems, so all three always agree.
//!
//! Words joined by a hyphen, dash, slash, dot or apostrophe with no space ("non-punishment",
//! "UN.GIFT", "B8/3", "2011/36/EU") form a compound. Writers spell the same thing joined, split
//! or hyphenated ("nonpunishment", "non punishment"), so the index holds a compound's parts at
//! their own positions and, in addition, the parts written together as one word at the position
//! of the last part. A phrase over the joined word ("nonpunishment principle") therefore
//! matches the hyphenated text as well.

use crate::language::Language;
use std::sync::Arc;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};

/// Name under which the index analyzer is registered in the schema. The analyzer behind it is
/// the index's language's (the language is stored with the index, see `Synonyms::language`).
pub(crate) const TOKENIZER: &str = "accord";

/// Longer "words" are usually base64, URLs or hashes: nobody searches for them, and a query of
/// one 10,000-character word must not build a 10,000-byte term.
const MAX_WORD_BYTES: usize = 40;

/// Characters that join two words into a compound when nothing else stands between them.
fn is_joiner(gap: &str) -> bool {
    let mut chars = gap.chars();
    matches!(
        (chars.next(), chars.next()),
        (
            Some(
                '-' | '\u{2010}'
                    | '\u{2011}'
                    | '\u{2013}'
                    | '\u{2014}'
                    | '/'
                    | '.'
                    | '\''
                    | '\u{2019}'
            ),
            None
        )
    )
}

/// Longer chains ("a-b-c-d-…") are lists rather than words: only their runs of up to this
/// many parts are also indexed joined.
const MAX_COMPOUND_PARTS: usize = 6;

/// The index's tokenizer: the very words and stems queries and snippets see (each word's
/// analysis comes from the same memory, [`Analyzer`]'s `seen`), and after each compound's last
/// part the joined word. A test holds its tokens equal to those [`Analyzer::words`] and
/// [`Analyzer::joined`] give.
#[derive(Clone)]
pub(crate) struct IndexTokenizer {
    // One analyzer for every field of every section, not one per text.
    analyzer: Analyzer,
    /// The words of a text as written, and `normalizer` for those not yet seen: looking a word
    /// up as written spares lowercasing and folding each of its occurrences again.
    spellings: TextAnalyzer,
    normalizer: TextAnalyzer,
    /// The analysis of each word as written, from the analyzer's memory.
    seen_spelled: rustc_hash::FxHashMap<String, Arc<Analysed>>,
    /// The tokens of the text last given, kept with their strings for the next text: tantivy
    /// asks for a stream for every field of every section, and allocating a string for each of
    /// their millions of words was a good part of indexing.
    tokens: Vec<Token>,
}

pub(crate) struct IndexTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl IndexTokenizer {
    /// The tokens the index holds for `text`: each word's stem and, after each compound's
    /// last part, the joined word of every run of two or more parts that ends there (so that
    /// "IOM/UN.GIFT" also holds "ungift"). The same tokens as [`Analyzer::words`] and
    /// [`Analyzer::joined`] give, without building a [`Word`] for each: this runs for every
    /// word of every section. Written over the first of `tokens`, reusing their strings;
    /// returns how many.
    fn index_tokens(&mut self, text: &str) -> usize {
        let mut count = 0;
        // The current compound's last parts: analysis, start, end and position.
        let mut chain: Vec<(Arc<Analysed>, usize, usize, usize)> =
            Vec::with_capacity(MAX_COMPOUND_PARTS);
        let mut joined = String::new();
        let mut stream = self.spellings.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            let joined_previous = chain
                .last()
                .is_some_and(|&(_, _, to, _)| is_joiner(&text[to..t.offset_from]));
            if !joined_previous {
                chain.clear();
            } else if chain.len() == MAX_COMPOUND_PARTS {
                chain.remove(0);
            }
            let analysed = match self.seen_spelled.get(&t.text) {
                Some(known) => known.clone(),
                None => {
                    let word = fold_with(&mut self.normalizer, &t.text);
                    let analysed = self.analyzer.analysed(&word);
                    if self.seen_spelled.len() >= REMEMBERED_WORDS {
                        self.seen_spelled.clear();
                    }
                    self.seen_spelled.insert(t.text.clone(), analysed.clone());
                    analysed
                }
            };
            put_token(
                &mut self.tokens,
                &mut count,
                t.offset_from,
                t.offset_to,
                t.position,
                &analysed.stem,
            );
            chain.push((analysed, t.offset_from, t.offset_to, t.position));
            for start in (0..chain.len() - 1).rev() {
                joined.clear();
                chain[start..]
                    .iter()
                    .for_each(|c| joined.push_str(&c.0.folded));
                if joined.len() <= MAX_WORD_BYTES {
                    let stem = self.analyzer.stem(&joined);
                    put_token(
                        &mut self.tokens,
                        &mut count,
                        chain[start].1,
                        t.offset_to,
                        t.position,
                        &stem,
                    );
                }
            }
        }
        count
    }
}

impl Tokenizer for IndexTokenizer {
    type TokenStream<'a> = IndexTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> IndexTokenStream<'a> {
        let count = self.index_tokens(text);
        IndexTokenStream {
            tokens: &mut self.tokens[..count],
            next: 0,
        }
    }
}

impl TokenStream for IndexTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

pub(crate) fn index_analyzer(language: &str) -> TextAnalyzer {
    let analyzer = Analyzer::new(language);
    let normalizer = word_normalizer(analyzer.language.fold_first);
    TextAnalyzer::from(IndexTokenizer {
        analyzer,
        spellings: spelling_analyzer(),
        normalizer,
        seen_spelled: rustc_hash::FxHashMap::default(),
        tokens: Vec::new(),
    })
}

/// Lowercase words, not yet folded: the stemmers of languages other than English read their
/// diacritics.
fn lowercase_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .build()
}

/// Folds one word as [`folding_analyzer`] folds the words of a text.
fn word_folder() -> TextAnalyzer {
    TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
        .filter(AsciiFoldingFilter)
        .build()
}

fn fold_with(folder: &mut TextAnalyzer, word: &str) -> String {
    let mut stream = folder.token_stream(word);
    let mut out = String::with_capacity(word.len());
    while stream.advance() {
        out.push_str(&stream.token().text);
    }
    out
}

/// Words as written, before [`lowercase_analyzer`] or [`folding_analyzer`] lowercases or folds
/// them: the same words at the same positions.
fn spelling_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .build()
}

/// Lowercases one word as written, and folds it where the language folds first: the word
/// [`lowercase_analyzer`] or [`folding_analyzer`] gives for it, since their filters work on each
/// word alone.
fn word_normalizer(fold_first: bool) -> TextAnalyzer {
    let lowercased =
        TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default()).filter(LowerCaser);
    if fold_first {
        lowercased.filter(AsciiFoldingFilter).build()
    } else {
        lowercased.build()
    }
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
    /// Joined to the next word by a hyphen, dash, slash, dot or apostrophe: "non" in
    /// "non-punishment".
    pub joined_next: bool,
    /// One of the language's stop words.
    pub stop: bool,
}

/// The compounds among `words`, as index ranges of at least two words.
pub(crate) fn compounds(words: &[Word]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, w) in words.iter().enumerate() {
        if !w.joined_next || i + 1 == words.len() {
            if (2..=MAX_COMPOUND_PARTS).contains(&(i + 1 - start)) {
                out.push(start..i + 1);
            }
            start = i + 1;
        }
    }
    out
}

/// One language's analysis: words, their folded forms and stems, and its stop words.
#[derive(Clone)]
pub(crate) struct Analyzer {
    /// Lowercase and folded words (English), or lowercase words to stem before folding.
    words: TextAnalyzer,
    folder: TextAnalyzer,
    stemmer: Option<frostem::Stemmer>,
    language: Language,
    /// The language's stop words, folded and sorted.
    stop: Arc<Vec<String>>,
    /// Words seen, with their analysis: a site repeats its vocabulary in every section, and
    /// stemming each occurrence again was a tenth of building the index.
    seen: rustc_hash::FxHashMap<String, Arc<Analysed>>,
}

/// What the analysis of one word gives, remembered for its next occurrence.
#[derive(Debug)]
struct Analysed {
    folded: String,
    stem: String,
    stop: bool,
}

/// How many words [`Analyzer`] remembers before it starts afresh: far more than a site's
/// vocabulary usually holds, and a bound on what a text of random strings can cost.
const REMEMBERED_WORDS: usize = 100_000;

impl Analyzer {
    /// The analysis of `language` (a code such as `en`, `de`, `pl`; see [`crate::language`]).
    pub fn new(language: &str) -> Analyzer {
        let language = crate::language::language(language);
        let mut folder = word_folder();
        let mut stop: Vec<String> = language
            .stop_words
            .iter()
            .map(|w| fold_with(&mut folder, w))
            .collect();
        stop.sort();
        stop.dedup();
        Analyzer {
            words: if language.fold_first {
                folding_analyzer()
            } else {
                lowercase_analyzer()
            },
            folder,
            stemmer: language.stemmer.map(frostem::Stemmer::new),
            language,
            stop: Arc::new(stop),
            seen: rustc_hash::FxHashMap::default(),
        }
    }

    /// Whether the language completes typed prefixes with English endings.
    pub fn completes_english(&self) -> bool {
        self.language.completions
    }

    pub fn words(&mut self, text: &str) -> Vec<Word> {
        let mut tokens: Vec<Token> = Vec::new();
        {
            let mut stream = self.words.token_stream(text);
            while stream.advance() {
                tokens.push(stream.token().clone());
            }
        }
        let mut out: Vec<Word> = Vec::with_capacity(tokens.len());
        for t in tokens {
            if let Some(prev) = out.last_mut() {
                prev.joined_next = is_joiner(&text[prev.to..t.offset_from]);
            }
            let analysed = self.analysed(&t.text);
            out.push(Word {
                stop: analysed.stop,
                stem: analysed.stem.clone(),
                folded: analysed.folded.clone(),
                position: t.position,
                from: t.offset_from,
                to: t.offset_to,
                joined_next: false,
            });
        }
        out
    }

    /// A word's folded form, stem and whether it is a stop word, as the index holds them;
    /// remembered for the word's next occurrence.
    fn analysed(&mut self, word: &str) -> Arc<Analysed> {
        if let Some(known) = self.seen.get(word) {
            return known.clone();
        }
        let stem = self.stem(word);
        let (folded, stem) = if self.language.fold_first {
            (word.to_string(), stem)
        } else {
            (
                fold_with(&mut self.folder, word),
                fold_with(&mut self.folder, &stem),
            )
        };
        let analysed = Arc::new(Analysed {
            stop: is_stop(&self.stop, &folded),
            folded,
            stem,
        });
        if self.seen.len() >= REMEMBERED_WORDS {
            self.seen.clear();
        }
        self.seen.insert(word.to_string(), analysed.clone());
        analysed
    }

    /// The parts of a compound written as one word, as the index holds it: "non-punishment" →
    /// folded "nonpunishment", stem "nonpunish"; positioned at the last part.
    pub fn joined(&self, parts: &[Word]) -> Word {
        let folded: String = parts.iter().map(|w| w.folded.as_str()).collect();
        let last = parts.last().expect("a compound has parts");
        Word {
            stem: self.stem(&folded),
            stop: self.is_stop_word(&folded),
            folded,
            position: last.position,
            from: parts[0].from,
            to: last.to,
            joined_next: false,
        }
    }

    /// A word's stem (the word itself in a language without a stemmer).
    pub fn stem(&self, word: &str) -> String {
        stem_with(self.stemmer.as_ref(), word)
    }

    /// Words too common to be required in an all-words query: "what is the reflection period"
    /// should not drop a section because it lacks "what".
    pub fn is_stop_word(&self, folded: &str) -> bool {
        is_stop(&self.stop, folded)
    }
}

/// Sets the `count`th token of `out` (pushing one when there are fewer), and counts it.
fn put_token(
    out: &mut Vec<Token>,
    count: &mut usize,
    offset_from: usize,
    offset_to: usize,
    position: usize,
    text: &str,
) {
    if *count == out.len() {
        out.push(Token::default());
    }
    let token = &mut out[*count];
    token.offset_from = offset_from;
    token.offset_to = offset_to;
    token.position = position;
    token.position_length = 1;
    token.text.clear();
    token.text.push_str(text);
    *count += 1;
}

fn stem_with(stemmer: Option<&frostem::Stemmer>, word: &str) -> String {
    match stemmer {
        Some(s) => s.stem(word).into_owned(),
        None => word.to_string(),
    }
}

fn is_stop(stop: &[String], folded: &str) -> bool {
    stop.binary_search_by(|s| s.as_str().cmp(folded)).is_ok()
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
        Analyzer::new("en")
            .words(text)
            .into_iter()
            .map(|w| w.stem)
            .collect()
    }

    #[test]
    fn stop_words_are_the_languages_own_and_folded() {
        let en = Analyzer::new("en");
        assert!(en.is_stop_word("the") && en.is_stop_word("your") && en.is_stop_word("a"));
        assert!(!en.is_stop_word("victim") && !en.is_stop_word("war"));
        let de = Analyzer::new("de");
        assert!(de.is_stop_word("fur") && de.is_stop_word("und") && !de.is_stop_word("the"));
        let pl = Analyzer::new("pl");
        assert!(pl.is_stop_word("ze") && pl.is_stop_word("sie") && !pl.is_stop_word("ofiara"));
    }

    #[test]
    fn each_language_stems_its_own_inflections_before_folding() {
        let stems = |lang: &str, text: &str| -> Vec<String> {
            Analyzer::new(lang)
                .words(text)
                .into_iter()
                .map(|w| w.stem)
                .collect()
        };
        // Polish: the dative plural and the nominative singular meet in one stem.
        let pl = stems("pl", "ofiarom ofiara ofiary");
        assert!(pl.iter().all(|s| *s == pl[0]), "{pl:?}");
        // German: plural and genitive forms of one noun, umlauts read before folding.
        let de = stems(
            "de",
            "Opfer Opfern Fachberatungsstellen Fachberatungsstelle",
        );
        assert_eq!(de[0], de[1]);
        assert_eq!(de[2], de[3]);
        // Stems are folded like the words, so an ASCII query finds them.
        assert!(stems("pl", "ludźmi")[0].is_ascii());
        // Latvian has no stemmer: the folded word is its own stem.
        assert_eq!(stems("lv", "cilvēku"), ["cilveku"]);
    }

    #[test]
    fn folds_accents_and_stems() {
        assert_eq!(stems("São Tomé"), ["sao", "tome"]);
        assert_eq!(stems("Victims' Referrals"), ["victim", "referr"]);
    }

    #[test]
    fn query_words_stem_like_the_index() {
        let text = "Trafficking organisations cooperating Überweisung Москва 🙂 naïve";
        let mut index = index_analyzer("en");
        let mut stream = index.token_stream(text);
        let mut indexed = Vec::new();
        while stream.advance() {
            indexed.push(stream.token().text.clone());
        }
        assert_eq!(stems(text), indexed);
        assert!(indexed.contains(&"москва".to_string()));
    }

    fn indexed(text: &str) -> Vec<(usize, String)> {
        let mut index = index_analyzer("en");
        let mut stream = index.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().position, stream.token().text.clone()));
        }
        out
    }

    fn pairs(list: &[(usize, &str)]) -> Vec<(usize, String)> {
        list.iter().map(|(p, s)| (*p, s.to_string())).collect()
    }

    #[test]
    fn compounds_are_indexed_split_and_joined() {
        assert_eq!(
            indexed("the non-punishment principle"),
            pairs(&[
                (0, "the"),
                (1, "non"),
                (2, "punish"),
                (2, "nonpunish"),
                (3, "principl")
            ])
        );
        assert_eq!(
            indexed("IOM/UN.GIFT and B8/3, 2011/36/EU"),
            pairs(&[
                (0, "iom"),
                (1, "un"),
                (1, "iomun"),
                (2, "gift"),
                (2, "ungift"),
                (2, "iomungift"),
                (3, "and"),
                (4, "b8"),
                (5, "3"),
                (5, "b83"),
                (6, "2011"),
                (7, "36"),
                (7, "201136"),
                (8, "eu"),
                (8, "36eu"),
                (8, "201136eu"),
            ])
        );
        // En and em dashes, and apostrophes, join; spaces, commas and brackets do not.
        assert_eq!(
            indexed("act–means—purpose victim’s (UK), EU"),
            pairs(&[
                (0, "act"),
                (1, "mean"),
                (1, "actmean"),
                (2, "purpos"),
                (2, "meanspurpos"),
                (2, "actmeanspurpos"),
                (3, "victim"),
                (4, "s"),
                (4, "victim"),
                (5, "uk"),
                (6, "eu"),
            ])
        );
    }

    /// The index's tokens as queries and snippets see them: each word from [`Analyzer::words`],
    /// then every joined run of up to six parts ending there, from [`Analyzer::joined`]. The
    /// index tokenizer takes a shorter road for speed and must arrive at the same tokens.
    fn tokens_from_words(language: &str, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut a = Analyzer::new(language);
        let words = a.words(text);
        let mut out = Vec::new();
        let mut chain_start = 0;
        for i in 0..words.len() {
            let w = &words[i];
            out.push((w.stem.clone(), w.position, w.from, w.to));
            let first = chain_start.max((i + 1).saturating_sub(MAX_COMPOUND_PARTS));
            for start in (first..i).rev() {
                let joined = a.joined(&words[start..=i]);
                if joined.folded.len() <= MAX_WORD_BYTES {
                    out.push((joined.stem, joined.position, joined.from, joined.to));
                }
            }
            if !w.joined_next {
                chain_start = i + 1;
            }
        }
        out
    }

    #[test]
    fn the_index_tokenizer_gives_the_tokens_queries_see() {
        let long = "x".repeat(MAX_WORD_BYTES - 3);
        let texts = [
            "the non-punishment principle, the non-punishment principle".to_string(),
            "a-b-c-d-e-f-g-h-i-j chains longer than six parts".to_string(),
            format!("{long}-{long} and {long}-ab-{long}"),
            format!("{}-tail", "y".repeat(300)),
            "IOM/UN.GIFT, B8/3, 2011/36/EU, act–means—purpose victim’s (UK)".to_string(),
            "Überweisung Straßenkinder Menschenhandel-Bekämpfung".to_string(),
            "współpraca organów ścigania z organizacjami pozarządowymi".to_string(),
            "Москва торговля-людьми сотрудничество".to_string(),
            "ihmiskauppa työsuojelu-viranomaiset; darbo inspekcija–policija".to_string(),
            "...-- / . ' ’ – —".to_string(),
        ];
        for language in [
            "en", "de", "pl", "ru", "fi", "lt", "lv", "et", "da", "nb", "sv", "is",
        ] {
            let mut index = index_analyzer(language);
            for text in &texts {
                let mut stream = index.token_stream(text);
                let mut got = Vec::new();
                while stream.advance() {
                    let t = stream.token();
                    got.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
                }
                assert_eq!(got, tokens_from_words(language, text), "{language}: {text}");
            }
        }
    }

    #[test]
    fn query_words_know_their_compounds() {
        let mut a = Analyzer::new("en");
        let words = a.words("re-victimisation of UN.GIFT, e.g. here");
        let ranges = compounds(&words);
        assert_eq!(ranges, [0..2, 3..5, 5..7]);
        let joined: Vec<String> = ranges
            .iter()
            .map(|r| a.joined(&words[r.clone()]).stem)
            .collect();
        assert_eq!(joined, ["revictimis", "ungift", "eg"]);
        // The joined query word is the term the index holds for the joined text.
        assert_eq!(indexed("revictimisation")[0].1, "revictimis");
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
