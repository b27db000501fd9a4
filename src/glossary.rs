//! The glossary: terms defined once in `glossary/*.md` and linked wherever they are used.
//!
//! Matching runs with aho-corasick over comrak's text nodes, never over HTML, so it cannot break
//! markup and it knows when it is inside a heading, a link or code.

use std::collections::{BTreeMap, HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use comrak::nodes::{AstNode, NodeValue};
use comrak::Arena;

use crate::config::LinkScope;
use crate::content::{Kind, Page};
use crate::error::Diagnostic;
use crate::html::{escape_attr, escape_html};
use crate::markdown::{directive, new_node, TermLinker};

#[derive(Debug, Clone)]
pub struct Term {
    /// File name without `.md`; what `glossary:` links name.
    pub slug: String,
    /// Index of the term's page in the site's page list.
    pub page: usize,
    pub term: String,
    pub abbreviation: Option<String>,
    pub aliases: Vec<String>,
    pub definition: String,
    /// Site-root-relative URL of the term's entry.
    pub url: String,
}

#[derive(Debug, Clone, Default)]
pub struct Glossary {
    pub terms: Vec<Term>,
    by_slug: HashMap<String, usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Matched without regard to ASCII case.
    Phrase,
    /// Matched only with the exact case (abbreviations).
    Exact,
}

/// Shared by every page: the automaton is built once per build.
pub struct Linker {
    glossary: Glossary,
    automaton: Option<AhoCorasick>,
    /// For each pattern: the term it names and how it must match.
    patterns: Vec<(usize, Form, String)>,
    scope: LinkScope,
}

/// What one page needs: where the site root is and which term (if any) the page itself defines.
pub struct PageLinker<'l> {
    pub linker: &'l Linker,
    pub root: String,
    pub own_term: Option<usize>,
    pub enabled: bool,
}

/// Regular English plural of a word or phrase (its last word).
pub fn plural(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    if lower.ends_with('s')
        || lower.ends_with('x')
        || lower.ends_with('z')
        || lower.ends_with("ch")
        || lower.ends_with("sh")
    {
        format!("{s}es")
    } else if lower.ends_with('y')
        && !lower.ends_with("ay")
        && !lower.ends_with("ey")
        && !lower.ends_with("oy")
        && !lower.ends_with("uy")
    {
        format!("{}ies", &s[..s.len() - 1])
    } else {
        format!("{s}s")
    }
}

impl Glossary {
    /// Collects the terms from the pages of kind `term`, checking that no two claim the same
    /// word and that every `see_also` names a term.
    pub fn build(pages: &[Page]) -> (Glossary, Vec<Diagnostic>) {
        let mut g = Glossary::default();
        let mut diags = Vec::new();
        for (i, p) in pages.iter().enumerate() {
            if p.kind != Kind::Term {
                continue;
            }
            let term = p.meta.text("term").unwrap_or(&p.title).to_string();
            let slug = p.slug().to_string();
            if let Some(&other) = g.by_slug.get(&slug) {
                diags.push(Diagnostic::error(
                    &p.source,
                    1,
                    1,
                    format!(
                        "glossary term `{slug}` is also defined by {}",
                        pages[g.terms[other].page].source.display()
                    ),
                ));
                continue;
            }
            g.by_slug.insert(slug.clone(), g.terms.len());
            g.terms.push(Term {
                slug,
                page: i,
                term,
                abbreviation: p
                    .meta
                    .text("abbreviation")
                    .filter(|a| !a.trim().is_empty())
                    .map(str::to_string),
                aliases: p.meta.list("aliases").to_vec(),
                definition: p.meta.text("definition").unwrap_or_default().to_string(),
                url: p.url.clone(),
            });
        }

        // Every spelling may belong to one term only.
        let mut claimed: BTreeMap<String, (usize, &'static str)> = BTreeMap::new();
        for (ti, t) in g.terms.iter().enumerate() {
            let page = &pages[t.page];
            let mut forms: Vec<(String, &'static str, String)> =
                vec![(t.term.to_lowercase(), "term", "term".into())];
            if let Some(a) = &t.abbreviation {
                forms.push((a.clone(), "abbreviation", "abbreviation".into()));
            }
            for (n, a) in t.aliases.iter().enumerate() {
                forms.push((a.to_lowercase(), "alias", format!("aliases[{n}]")));
            }
            for (form, what, key) in forms {
                let at = page.pos(&key);
                if let Some((other, other_what)) = claimed.get(&form) {
                    if *other == ti {
                        continue;
                    }
                    let other_page = &pages[g.terms[*other].page];
                    diags.push(
                        Diagnostic::error(
                            &page.source,
                            at.line,
                            at.col,
                            format!(
                                "{what} `{form}` is already claimed as the {other_what} of `{}` in {}",
                                g.terms[*other].term,
                                other_page.source.display()
                            ),
                        )
                        .with_hint("a word may name one glossary term only; remove it from one of the two files"),
                    );
                } else {
                    claimed.insert(form, (ti, what));
                }
            }
        }
        for t in &g.terms {
            let page = &pages[t.page];
            for (n, s) in page.meta.list("see_also").iter().enumerate() {
                if !g.by_slug.contains_key(s) {
                    let at = page.pos(&format!("see_also[{n}]"));
                    diags.push(
                        Diagnostic::error(
                            &page.source,
                            at.line,
                            at.col,
                            format!("`see_also` names `{s}`, which is not a glossary term"),
                        )
                        .with_hint(format!("create content/glossary/{s}.md or fix the name")),
                    );
                }
            }
        }
        (g, diags)
    }

    pub fn index_of(&self, slug: &str) -> Option<usize> {
        self.by_slug.get(slug).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

impl Linker {
    /// Links the terms of `glossary` in text written in `language`. English text also links
    /// each term's regular plural; other languages link the forms a term declares (its
    /// `aliases`: plural, genitive, …), since no rule of English inflects German or Polish.
    /// An abbreviation's plural in `s` ("NGOs", "MoUs") is written in English and German.
    pub fn new(glossary: Glossary, scope: LinkScope, language: &str) -> Linker {
        let base = language.split('-').next().unwrap_or(language);
        let english = base == "en";
        let abbreviation_plural = matches!(base, "en" | "de");
        let mut patterns: Vec<(usize, Form, String)> = Vec::new();
        for (i, t) in glossary.terms.iter().enumerate() {
            for phrase in std::iter::once(&t.term).chain(&t.aliases) {
                if phrase.trim().is_empty() {
                    continue;
                }
                patterns.push((i, Form::Phrase, phrase.clone()));
                if english {
                    patterns.push((i, Form::Phrase, plural(phrase)));
                }
            }
            if let Some(a) = &t.abbreviation {
                patterns.push((i, Form::Exact, a.clone()));
                if abbreviation_plural {
                    patterns.push((i, Form::Exact, format!("{a}s")));
                }
            }
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(patterns.iter().map(|p| p.2.as_str()))
                .ok()
        };
        Linker {
            glossary,
            automaton,
            patterns,
            scope,
        }
    }

    pub fn glossary(&self) -> &Glossary {
        &self.glossary
    }

    /// Finds glossary terms in `text`: (start, end, term) of each acceptable match, in order.
    pub fn find(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let Some(m) = ac.find(Input::new(text).span(pos..text.len())) else {
                break;
            };
            let (term, form, pattern) = &self.patterns[m.pattern().as_usize()];
            let matched = &text[m.start()..m.end()];
            let case_ok = *form == Form::Phrase || matched == pattern;
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let word_ok = !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char);
            if case_ok && word_ok {
                out.push((m.start(), m.end(), *term));
                pos = m.end();
            } else {
                pos = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
            }
        }
        out
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl TermLinker for PageLinker<'_> {
    fn index_of(&self, slug: &str) -> Option<usize> {
        self.linker.glossary.index_of(slug)
    }

    /// Links first occurrences in the document, returning the terms it linked.
    fn link<'a>(&self, arena: &'a Arena<AstNode<'a>>, root: &'a AstNode<'a>) -> Vec<usize> {
        let mut linked: HashSet<usize> = HashSet::new();
        let mut used = Vec::new();
        let mut enabled = self.enabled;
        let mut counter = 0usize;
        let blocks: Vec<_> = root.children().collect();
        for block in blocks {
            let toggle = match &block.data.borrow().value {
                NodeValue::HtmlBlock(b) => directive(&b.literal),
                _ => None,
            };
            if let Some(on) = toggle {
                enabled = on && self.enabled;
                block.detach();
                continue;
            }
            if matches!(block.data.borrow().value, NodeValue::Heading(_)) {
                if self.linker.scope == LinkScope::Section {
                    linked.clear();
                }
                continue;
            }
            if enabled {
                self.link_in(arena, block, &mut linked, &mut used, &mut counter);
            }
        }
        used
    }
}

impl PageLinker<'_> {
    fn link_in<'a>(
        &self,
        arena: &'a Arena<AstNode<'a>>,
        node: &'a AstNode<'a>,
        linked: &mut HashSet<usize>,
        used: &mut Vec<usize>,
        counter: &mut usize,
    ) {
        let skip = matches!(
            node.data.borrow().value,
            NodeValue::Heading(_)
                | NodeValue::Link(_)
                | NodeValue::Image(_)
                | NodeValue::Code(_)
                | NodeValue::CodeBlock(_)
                | NodeValue::HtmlBlock(_)
                | NodeValue::HtmlInline(_)
                | NodeValue::FootnoteReference(_)
        );
        if skip {
            return;
        }
        let text = match &node.data.borrow().value {
            NodeValue::Text(t) => Some(t.clone()),
            _ => None,
        };
        let Some(text) = text else {
            let children: Vec<_> = node.children().collect();
            for c in children {
                self.link_in(arena, c, linked, used, counter);
            }
            return;
        };
        let matches: Vec<_> = self
            .linker
            .find(&text)
            .into_iter()
            .filter(|(_, _, t)| Some(*t) != self.own_term)
            .collect();
        let mut last = 0;
        let mut pieces: Vec<&'a AstNode<'a>> = Vec::new();
        for (start, end, term) in matches {
            if !linked.insert(term) {
                continue;
            }
            used.push(term);
            if start > last {
                pieces.push(new_node(
                    arena,
                    NodeValue::Text(text[last..start].to_string()),
                ));
            }
            let t = &self.linker.glossary.terms[term];
            *counter += 1;
            let id = format!("gloss-{}-{}", t.slug, counter);
            pieces.push(new_node(
                arena,
                NodeValue::HtmlInline(format!(
                    "<span class=\"gloss\"><a class=\"gloss-term\" href=\"{}{}\" aria-describedby=\"{}\">",
                    escape_attr(&self.root),
                    escape_attr(&t.url),
                    escape_attr(&id)
                )),
            ));
            pieces.push(new_node(
                arena,
                NodeValue::Text(text[start..end].to_string()),
            ));
            pieces.push(new_node(
                arena,
                NodeValue::HtmlInline(format!(
                    "</a><span class=\"gloss-tip\" role=\"tooltip\" id=\"{}\">{}</span></span>",
                    escape_attr(&id),
                    escape_html(&t.definition)
                )),
            ));
            last = end;
        }
        if pieces.is_empty() {
            return;
        }
        if last < text.len() {
            pieces.push(new_node(arena, NodeValue::Text(text[last..].to_string())));
        }
        for p in pieces {
            node.insert_before(p);
        }
        node.detach();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals() {
        assert_eq!(plural("period"), "periods");
        assert_eq!(plural("inspectorate"), "inspectorates");
        assert_eq!(plural("authority"), "authorities");
        assert_eq!(plural("process"), "processes");
        assert_eq!(plural("day"), "days");
    }

    #[test]
    fn directives() {
        assert_eq!(directive("<!-- glossary: off -->\n"), Some(false));
        assert_eq!(directive("<!--glossary:on-->"), Some(true));
        assert_eq!(directive("<!-- other -->"), None);
    }

    fn linker() -> Linker {
        let term = |slug: &str, term: &str, abbr: Option<&str>| Term {
            slug: slug.into(),
            page: 0,
            term: term.into(),
            abbreviation: abbr.map(String::from),
            aliases: vec![],
            definition: "d".into(),
            url: format!("glossary/{slug}.html"),
        };
        let terms = vec![
            term("nrm", "national referral mechanism", Some("NRM")),
            term("referral", "referral", None),
            term("mou", "memorandum of understanding", Some("MoU")),
        ];
        let by_slug = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.clone(), i))
            .collect();
        Linker::new(Glossary { terms, by_slug }, LinkScope::Page, "en")
    }

    #[test]
    fn longest_match_whole_words_and_case_rules() {
        let l = linker();
        let text = "The National Referral Mechanism and referrals; nrm is not NRM; MoUs and mou; preferral.";
        let found: Vec<(&str, usize)> = l
            .find(text)
            .into_iter()
            .map(|(s, e, t)| (&text[s..e], t))
            .collect();
        assert_eq!(
            found,
            [
                ("National Referral Mechanism", 0),
                ("referrals", 1),
                ("NRM", 0),
                ("MoUs", 2),
            ]
        );
    }
}
