//! Syntax highlighting of fenced code at build time, with CSS classes.
//!
//! Pages carry no highlighting script and no inline colours. syntect reads the code with bat's
//! grammars (via two-face: syntect's own set lacks TOML, which every mdBook book shows), and each
//! token gets one class for its kind (`hl-keyword`, `hl-string`, `hl-comment`, …) that the
//! theme's stylesheet colours for light and dark schemes. The kinds are chosen the way editors
//! choose colours: by a theme, here one whose "colours" are kind numbers, matched against the
//! token's scopes by syntect's own selector rules. One short class per run of text keeps pages
//! small for readers on slow lines. The grammars run on Oniguruma, the regex engine they were
//! written for (see Cargo.toml).

use std::collections::HashMap;
use std::io::{self, Write};
use std::str::FromStr;

use comrak::adapters::SyntaxHighlighterAdapter;
use syntect::highlighting::{
    Color, HighlightIterator, HighlightState, Highlighter as ScopeMatcher, ScopeSelectors,
    StyleModifier, Theme, ThemeItem, ThemeSettings,
};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::html::escape_html;

/// The kinds of token the theme colours, with the scopes (TextMate selectors) of each. The most
/// specific selector wins, as in editor themes: `keyword.operator` (`+`, `=`) stays plain though
/// `keyword` is coloured, and an escape inside a string is a constant.
pub const KINDS: &[(&str, &str)] = &[
    ("comment", "comment"),
    ("string", "string"),
    ("constant", "constant"),
    ("keyword", "keyword, storage"),
    (
        "function",
        "entity.name.function, support.function, support.macro, variable.function",
    ),
    (
        "type",
        "entity.name.type, entity.name.class, entity.name.struct, entity.name.enum, \
         entity.name.trait, entity.name.union, support.type, support.class, \
         entity.other.inherited-class, entity.name.table",
    ),
    ("tag", "entity.name.tag"),
    ("attribute", "entity.other.attribute-name"),
    (
        "",
        "keyword.operator, punctuation.separator, punctuation.terminator",
    ),
];

/// The prefix of every highlighting class, so that the theme's other classes cannot collide.
pub const CLASS_PREFIX: &str = "hl-";

/// Code blocks longer than this are shown without colours: a grammar's regular expressions can
/// take long on pathological input, and a reader gains little from colours in a huge block.
pub const MAX_HIGHLIGHTED_BYTES: usize = 256 * 1024;

/// The grammars and the kinds, loaded once per build and shared by every page (loading takes a
/// few tens of milliseconds, too long to repeat for each of ten thousand pages).
pub struct Highlighter {
    syntaxes: SyntaxSet,
    kinds: Theme,
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

/// A theme whose foreground colour's red channel is the token's kind: 0 for plain text, `i + 1`
/// for `KINDS[i]`.
fn kinds_theme() -> Theme {
    let kind_colour = |k: usize| Color {
        r: u8::try_from(k).unwrap_or(0),
        g: 0,
        b: 0,
        a: 0xff,
    };
    let scopes = KINDS
        .iter()
        .enumerate()
        .filter_map(|(i, (name, selectors))| {
            Some(ThemeItem {
                scope: ScopeSelectors::from_str(selectors).ok()?,
                style: StyleModifier {
                    foreground: Some(kind_colour(if name.is_empty() { 0 } else { i + 1 })),
                    background: None,
                    font_style: None,
                },
            })
        })
        .collect();
    Theme {
        settings: ThemeSettings {
            foreground: Some(kind_colour(0)),
            ..ThemeSettings::default()
        },
        scopes,
        ..Theme::default()
    }
}

impl Highlighter {
    pub fn new() -> Highlighter {
        Highlighter {
            syntaxes: two_face::syntax::extra_newlines(),
            kinds: kinds_theme(),
        }
    }

    /// The grammar for a fence's language, by name or file extension, ignoring case (`rust`,
    /// `rs`, `Rust`, `sh`, `yml`), and ignoring mdBook's attributes after a comma
    /// (`rust,ignore`, `rust,editable`). Plain text has none.
    fn syntax(&self, lang: &str) -> Option<&SyntaxReference> {
        let lang = lang
            .split(',')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        // Names fences use that are neither a grammar's name nor a file extension.
        let lang = match lang.as_str() {
            "" | "text" | "txt" | "plain" => return None,
            "shell" | "console" | "shell-session" => "bash",
            other => other,
        };
        self.syntaxes.find_syntax_by_token(lang)
    }

    /// The code as highlighted HTML, or `None` when the language is unknown or the grammar
    /// fails on it (the caller then shows it plain).
    pub fn highlight(&self, lang: &str, code: &str) -> Option<String> {
        let syntax = self.syntax(lang)?;
        if code.len() > MAX_HIGHLIGHTED_BYTES {
            return None;
        }
        let matcher = ScopeMatcher::new(&self.kinds);
        let mut parse = ParseState::new(syntax);
        let mut state = HighlightState::new(&matcher, ScopeStack::new());
        // Runs of text of one kind, joined across tokens and lines.
        let mut runs: Vec<(u8, String)> = Vec::new();
        for line in LinesWithEndings::from(code) {
            let ops = parse.parse_line(line, &self.syntaxes).ok()?;
            for (style, text) in HighlightIterator::new(&mut state, &ops, line, &matcher) {
                let kind = style.foreground.r;
                match runs.last_mut() {
                    Some((k, run)) if *k == kind => run.push_str(text),
                    _ => runs.push((kind, text.to_string())),
                }
            }
        }
        let mut html = String::with_capacity(code.len() * 2);
        for (kind, text) in runs {
            let name = usize::from(kind)
                .checked_sub(1)
                .and_then(|i| KINDS.get(i))
                .map(|(name, _)| *name)
                .filter(|name| !name.is_empty());
            match name {
                Some(name) => {
                    html.push_str("<span class=\"");
                    html.push_str(CLASS_PREFIX);
                    html.push_str(name);
                    html.push_str("\">");
                    html.push_str(&escape_html(&text));
                    html.push_str("</span>");
                }
                None => html.push_str(&escape_html(&text)),
            }
        }
        Some(html)
    }
}

impl SyntaxHighlighterAdapter for Highlighter {
    fn write_highlighted(
        &self,
        output: &mut dyn Write,
        lang: Option<&str>,
        code: &str,
    ) -> io::Result<()> {
        match lang.and_then(|l| self.highlight(l, code)) {
            Some(html) => output.write_all(html.as_bytes()),
            None => output.write_all(escape_html(code).as_bytes()),
        }
    }

    fn write_pre_tag(
        &self,
        output: &mut dyn Write,
        attributes: HashMap<String, String>,
    ) -> io::Result<()> {
        comrak::html::write_opening_tag(output, "pre", sorted(attributes))
    }

    fn write_code_tag(
        &self,
        output: &mut dyn Write,
        attributes: HashMap<String, String>,
    ) -> io::Result<()> {
        comrak::html::write_opening_tag(output, "code", sorted(attributes))
    }
}

/// Attributes in a fixed order, so that the same page always renders to the same bytes.
fn sorted(attributes: HashMap<String, String>) -> Vec<(String, String)> {
    let mut attrs: Vec<_> = attributes.into_iter().collect();
    attrs.sort();
    attrs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_languages_have_grammars() {
        let h = Highlighter::new();
        for lang in [
            "rust",
            "rs",
            "bash",
            "sh",
            "shell",
            "console",
            "toml",
            "yaml",
            "yml",
            "json",
            "html",
            "css",
            "js",
            "javascript",
            "python",
            "py",
            "markdown",
            "md",
            "Rust",
            "TOML",
            "rust,ignore",
            "rust,editable,edition2021",
        ] {
            assert!(h.syntax(lang).is_some(), "no grammar for {lang}");
        }
        for plain in ["", "text", "txt", "no-such-language"] {
            assert!(h.syntax(plain).is_none(), "{plain}");
        }
    }

    #[test]
    fn every_kind_selects_scopes() {
        assert_eq!(kinds_theme().scopes.len(), KINDS.len());
    }

    #[test]
    fn tokens_get_one_class_for_their_kind_and_the_code_is_escaped() {
        let h = Highlighter::new();
        assert_eq!(
            h.highlight("toml", "a = \"<b>\" # c\n").unwrap(),
            "<span class=\"hl-tag\">a</span> = <span class=\"hl-string\">&quot;&lt;b&gt;&quot;</span> \
             <span class=\"hl-comment\"># c</span>\n"
        );
        // The most specific selector wins: an operator stays plain, an escape in a string is a
        // constant, a macro is a function.
        assert_eq!(
            h.highlight("rust", "let x = 1 + 2; println!(\"\\n\");")
                .unwrap(),
            "<span class=\"hl-keyword\">let</span> x = <span class=\"hl-constant\">1</span> + \
             <span class=\"hl-constant\">2</span>; <span class=\"hl-function\">println!</span>(\
             <span class=\"hl-string\">&quot;</span><span class=\"hl-constant\">\\n</span>\
             <span class=\"hl-string\">&quot;</span>);"
        );
        assert_eq!(h.highlight("no-such-language", "x"), None);
    }

    #[test]
    fn huge_blocks_are_left_plain() {
        let h = Highlighter::new();
        let code = "let x = 1;\n".repeat(MAX_HIGHLIGHTED_BYTES / 10);
        assert_eq!(h.highlight("rust", &code), None);
    }
}
