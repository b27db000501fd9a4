//! Syntax highlighting of fenced code at build time, with CSS classes.
//!
//! Pages carry no highlighting script and no inline colours: each token becomes a `<span>` whose
//! classes are the atoms of its syntect scope with an `hl-` prefix (`keyword.control.rust` →
//! `hl-keyword hl-control hl-rust`), and the theme's stylesheet colours a few of them for light
//! and dark schemes. The grammars are bat's (via two-face): syntect's own set lacks TOML, which
//! every mdBook book shows. The pure-Rust regex engine keeps the build free of C code.

use std::collections::HashMap;
use std::io::{self, Write};

use comrak::adapters::SyntaxHighlighterAdapter;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::html::escape_html;

/// The prefix of every highlighting class, so that the theme's other classes cannot collide with
/// scope names such as `string` or `comment`.
pub const CLASS_PREFIX: &str = "hl-";

/// Code blocks longer than this are shown without colours: a grammar's regular expressions can
/// take long on pathological input, and a reader gains little from colours in a huge block.
pub const MAX_HIGHLIGHTED_BYTES: usize = 256 * 1024;

/// The grammars, loaded once per build and shared by every page (it takes a few milliseconds,
/// too long to repeat for each of ten thousand pages).
pub struct Highlighter {
    syntaxes: SyntaxSet,
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    pub fn new() -> Highlighter {
        Highlighter {
            syntaxes: two_face::syntax::extra_newlines(),
        }
    }

    /// The grammar for a fence's language, by name or file extension, ignoring case (`rust`,
    /// `rs`, `Rust`, `sh`, `yml`). Plain text has none.
    fn syntax(&self, lang: &str) -> Option<&SyntaxReference> {
        if lang.is_empty() || lang.eq_ignore_ascii_case("text") || lang.eq_ignore_ascii_case("txt")
        {
            return None;
        }
        let lang = lang.to_ascii_lowercase();
        // Names fences use that are neither a grammar's name nor a file extension.
        let lang = match lang.as_str() {
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
        let mut generator = ClassedHTMLGenerator::new_with_class_style(
            syntax,
            &self.syntaxes,
            ClassStyle::SpacedPrefixed {
                prefix: CLASS_PREFIX,
            },
        );
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
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
        ] {
            assert!(h.syntax(lang).is_some(), "no grammar for {lang}");
        }
        for plain in ["", "text", "txt", "no-such-language"] {
            assert!(h.syntax(plain).is_none(), "{plain}");
        }
    }

    #[test]
    fn spans_carry_prefixed_scope_classes_and_escape_the_code() {
        let h = Highlighter::new();
        assert_eq!(
            h.highlight("toml", "a = \"<b>\"\n").unwrap(),
            "<span class=\"hl-source hl-toml\"><span class=\"hl-meta hl-tag hl-key hl-toml\">\
             <span class=\"hl-entity hl-name hl-tag hl-toml\">a</span></span> \
             <span class=\"hl-punctuation hl-definition hl-key-value hl-toml\">=</span> \
             <span class=\"hl-string hl-quoted hl-double hl-basic hl-toml\">\
             <span class=\"hl-punctuation hl-definition hl-string hl-begin hl-toml\">&quot;</span>\
             &lt;b&gt;<span class=\"hl-punctuation hl-definition hl-string hl-end hl-toml\">&quot;</span>\
             </span>\n</span>"
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
