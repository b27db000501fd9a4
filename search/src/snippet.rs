//! Snippets: the passage of a section that best matches the query, as escaped HTML with the
//! matched words in `<mark>`.
//!
//! tantivy's snippet generator only knows the terms of exact term and phrase queries; accord
//! also matches word prefixes, near spellings and glossary synonyms, and a reader should see
//! why a section matched. So the matcher here is built from the same [`Plan`] as the query.

use std::collections::HashSet;

use crate::analysis::{compounds, Analyzer};

/// Target length of a snippet, in bytes of source text.
const WINDOW: usize = 200;
/// Context kept before the first match of the chosen passage.
const LEAD: usize = 50;

/// Marks the words of a text that the query matched.
///
/// It is built from the very terms the query searched for (the typed words, the dictionary
/// words a prefix or a near spelling expanded to, glossary variants), so a section's snippet
/// shows why it matched.
pub(crate) struct Matcher {
    stems: HashSet<String>,
}

impl Matcher {
    pub fn new(stems: HashSet<String>) -> Matcher {
        Matcher { stems }
    }

    /// For each word of `words`, whether it matched: alone, or as part of a compound whose
    /// joined form matched ("non-punishment" for "nonpunishment").
    fn marks(&self, analyzer: &Analyzer, words: &[crate::analysis::Word]) -> Vec<bool> {
        let mut marked: Vec<bool> = words.iter().map(|w| self.stems.contains(&w.stem)).collect();
        for chain in compounds(words) {
            for from in chain.clone() {
                for to in from + 2..=chain.end {
                    if self.stems.contains(&analyzer.joined(&words[from..to]).stem) {
                        marked[from..to].iter_mut().for_each(|m| *m = true);
                    }
                }
            }
        }
        marked
    }

    /// The snippet for one section, or `None` if no word of `text` matches.
    pub fn snippet(&self, analyzer: &mut Analyzer, text: &str) -> Option<String> {
        let words = analyzer.words(text);
        let marked = self.marks(analyzer, &words);
        let hits: Vec<usize> = (0..words.len()).filter(|&i| marked[i]).collect();
        if hits.is_empty() {
            return None;
        }
        // The window with the most distinct matched words, then the most matches, then the
        // earliest.
        let mut best = (0usize, 0usize, hits[0]);
        for (k, &start) in hits.iter().enumerate() {
            let end = words[start].from + WINDOW;
            let inside: Vec<usize> = hits[k..]
                .iter()
                .copied()
                .take_while(|&i| words[i].to <= end)
                .collect();
            let distinct: HashSet<&str> = inside.iter().map(|&i| words[i].stem.as_str()).collect();
            let key = (distinct.len(), inside.len());
            if key > (best.0, best.1) {
                best = (key.0, key.1, start);
            }
        }
        let first = best.2;
        let lead_from = words[first].from.saturating_sub(LEAD);
        let start_word = (0..=first)
            .find(|&i| words[i].from >= lead_from)
            .unwrap_or(first);
        let start = if start_word == 0 {
            0
        } else {
            words[start_word].from
        };
        let limit = start + WINDOW;
        let end_word = (start_word..words.len())
            .take_while(|&i| words[i].to <= limit)
            .last()
            .unwrap_or(first);
        let end = if end_word + 1 == words.len() {
            text.len()
        } else {
            words[end_word].to
        };

        let mut out = String::with_capacity(WINDOW + 64);
        if start > 0 {
            out.push_str("… ");
        }
        let mut at = start;
        for (i, w) in words.iter().enumerate().take(end_word + 1).skip(start_word) {
            push_escaped(&mut out, &text[at..w.from]);
            if marked[i] {
                out.push_str("<mark>");
                push_escaped(&mut out, &text[w.from..w.to]);
                out.push_str("</mark>");
            } else {
                push_escaped(&mut out, &text[w.from..w.to]);
            }
            at = w.to;
        }
        push_escaped(&mut out, &text[at..end]);
        if end < text.len() {
            out.push_str(" …");
        }
        Some(out.trim().to_string())
    }
}

/// The opening of a section, for hits that matched only in the title or heading.
pub(crate) fn opening(text: &str) -> String {
    let mut end = text.len().min(WINDOW);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // Stop at a word boundary rather than mid-word.
    if end < text.len() {
        if let Some(space) = text[..end].rfind(char::is_whitespace) {
            end = space;
        }
    }
    let mut out = String::new();
    push_escaped(&mut out, &text[..end]);
    let mut out = out.trim().to_string();
    if end < text.len() {
        out.push_str(" …");
    }
    out
}

/// Escapes for HTML text and attribute context alike, and folds runs of whitespace (the
/// text comes from Markdown, with line breaks where the author wrapped lines).
fn push_escaped(out: &mut String, text: &str) {
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
            continue;
        }
        space = false;
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}
