//! Remote resources in HTML, CSS and script files: what a browser would fetch from another
//! site when it shows a page, as opposed to links a reader may follow.
//!
//! HTML is read with `html5gum` (a WHATWG tokenizer) and CSS with `cssparser` (Servo's CSS
//! Syntax tokenizer), so comments, character references, escapes, letter case and quoting are
//! handled as a browser handles them. Script is matched against call patterns; see `js_refs`.
//!
//! The input is often a template (`{{ root }}assets/x.js`, `{% if x %}`) rather than finished
//! markup, so nothing here may panic on text that is not well-formed.

use std::collections::HashMap;
use std::ops::Range;

use cssparser::{ParseError, Parser, Token};
use html5gum::emitters::callback::{Callback, CallbackEmitter, CallbackEvent};
use html5gum::{Span, State, Tokenizer};

/// `http://`, `https://` and protocol-relative `//` URLs: what a browser fetches from the
/// network even when the page itself was opened from disk.
pub fn is_remote(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("http://")
        || u.starts_with("https://")
        || u.starts_with("//")
        || u.starts_with("ws://")
        || u.starts_with("wss://")
}

/// How a file is read for the resources it loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Html,
    Css,
    Js,
}

impl FileType {
    /// The kind of file by its extension; `None` for files that load nothing by themselves.
    pub fn of(path: &str) -> Option<FileType> {
        let ext = path.rsplit('.').next()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" | "svg" | "xhtml" => Some(FileType::Html),
            "css" => Some(FileType::Css),
            "js" | "mjs" => Some(FileType::Js),
            _ => None,
        }
    }
}

/// `<link rel>` values that name a relation without fetching anything.
const INERT_RELS: &[&str] = &[
    "alternate",
    "author",
    "bookmark",
    "canonical",
    "help",
    "license",
    "me",
    "next",
    "prev",
    "search",
    "external",
    "nofollow",
    "noopener",
    "noreferrer",
];

/// Byte offsets and URLs of the remote resources a browser would fetch for this file. Each
/// offset is that of the URL's first byte in `text`. Links (`<a href>`) are navigation, not
/// resources, and are fine.
pub fn remote_refs(text: &str, ft: FileType) -> Vec<(usize, String)> {
    let mut refs = Refs::default();
    match ft {
        FileType::Html => html_refs(text, 0, &mut refs),
        FileType::Css => css_refs(text, 0, &mut refs),
        FileType::Js => js_refs(text, 0, &mut refs),
    }
    let mut out = refs.found;
    out.sort();
    out.dedup();
    out
}

/// What has been found so far, and whether the text being read is markup found in a script's
/// string. Such markup is read once, but its own scripts' strings are not searched for more:
/// that is rare enough to be not worth following, and stopping bounds the work on hostile
/// input.
#[derive(Default)]
struct Refs {
    found: Vec<(usize, String)>,
    markup_in_strings: u8,
}

impl Refs {
    /// Records `url` at `at` when it is remote. Browsers strip surrounding whitespace from
    /// URLs, so the offset moves past any leading whitespace.
    fn push(&mut self, at: usize, url: &str) {
        if is_remote(url) {
            let lead = url.len() - url.trim_start().len();
            self.found.push((at + lead, url.trim().to_string()));
        }
    }
}

// HTML

/// One attribute of a start tag: its (lower-case) name, its value with character references
/// resolved, and where the value's source text is.
struct Attr {
    name: String,
    value: String,
    raw: Range<usize>,
}

enum HtmlToken {
    Start {
        name: String,
        attrs: Vec<Attr>,
        self_closing: bool,
        end: usize,
    },
    End {
        name: String,
        start: usize,
    },
}

/// Turns the tokenizer's events into start and end tags that keep where each attribute value
/// is in the source, which the tokenizer's default tokens do not.
#[derive(Default)]
struct TagCollector {
    name: String,
    attrs: Vec<Attr>,
    /// The attribute whose value comes next; `None` for a repeated name, which browsers ignore.
    current: Option<usize>,
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

impl Callback<HtmlToken, usize> for TagCollector {
    fn handle_event(&mut self, event: CallbackEvent<'_>, span: Span<usize>) -> Option<HtmlToken> {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                self.name = lossy(name);
                self.attrs.clear();
                self.current = None;
                None
            }
            CallbackEvent::AttributeName { name } => {
                let name = lossy(name);
                self.current = if self.attrs.iter().any(|a| a.name == name) {
                    None
                } else {
                    self.attrs.push(Attr {
                        name,
                        value: String::new(),
                        raw: span.end..span.end,
                    });
                    Some(self.attrs.len() - 1)
                };
                None
            }
            CallbackEvent::AttributeValue { value } => {
                if let Some(a) = self.current.and_then(|i| self.attrs.get_mut(i)) {
                    a.value = lossy(value);
                    a.raw = span.start..span.end.max(span.start);
                }
                None
            }
            CallbackEvent::CloseStartTag { self_closing } => Some(HtmlToken::Start {
                name: std::mem::take(&mut self.name),
                attrs: std::mem::take(&mut self.attrs),
                self_closing,
                end: span.end,
            }),
            CallbackEvent::EndTag { name } => Some(HtmlToken::End {
                name: lossy(name),
                start: span.start,
            }),
            _ => None,
        }
    }
}

/// How the content of an element is tokenized. The tokenizer leaves this to its caller, who
/// would otherwise have a tree builder to decide it.
fn content_state(tag: &str) -> Option<State> {
    match tag {
        "script" => Some(State::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(State::RawText),
        "textarea" | "title" => Some(State::RcData),
        "plaintext" => Some(State::PlainText),
        // `<noscript>` is read as markup: with scripting off, its images are fetched.
        _ => None,
    }
}

fn html_refs(text: &str, base: usize, refs: &mut Refs) {
    let mut tokenizer =
        Tokenizer::new_with_emitter(text, CallbackEmitter::new(TagCollector::default()));
    // The element whose content is text rather than markup, and where that content starts.
    let mut raw: Option<(String, usize)> = None;
    while let Some(Ok(token)) = tokenizer.next() {
        match token {
            HtmlToken::Start {
                name,
                attrs,
                self_closing,
                end,
            } => {
                tag_refs(text, base, &name, &attrs, refs);
                // `<script/>` is only self-closing in SVG and XHTML, but there it is common,
                // and reading the rest of the file as script would hide everything after it.
                if let Some(state) = content_state(&name).filter(|_| !self_closing) {
                    tokenizer.set_state(state);
                    raw = Some((name, end));
                }
            }
            HtmlToken::End { name, start } => {
                // In text content the tokenizer only ends at the element's own end tag.
                if let Some((open, from)) = raw.take() {
                    if open == name {
                        content_refs(text, base, &open, from..start, refs);
                    } else {
                        raw = Some((open, from));
                    }
                }
            }
        }
    }
    if let Some((open, from)) = raw {
        content_refs(text, base, &open, from..text.len(), refs);
    }
}

/// `<style>` and `<script>` content.
fn content_refs(text: &str, base: usize, tag: &str, range: Range<usize>, refs: &mut Refs) {
    let Some(body) = text.get(range.clone()) else {
        return;
    };
    match tag {
        "style" => css_refs(body, base + range.start, refs),
        "script" => js_refs(body, base + range.start, refs),
        _ => {}
    }
}

fn tag_refs(text: &str, base: usize, tag: &str, attrs: &[Attr], refs: &mut Refs) {
    let rel = attrs
        .iter()
        .find(|a| a.name == "rel")
        .map(|a| a.value.to_ascii_lowercase())
        .unwrap_or_default();
    for attr in attrs {
        let name = attr.name.as_str();
        let fetched = match name {
            "src" | "poster" | "background" | "srcset" | "imagesrcset" => true,
            "data" => tag == "object",
            "href" | "xlink:href" => match tag {
                "link" => !rel.split_whitespace().all(|r| INERT_RELS.contains(&r)),
                "image" | "use" | "script" | "feimage" => true,
                _ => false,
            },
            "style" => {
                value_refs(text, base, attr, css_refs, refs);
                false
            }
            _ if name.starts_with("on") => {
                value_refs(text, base, attr, js_refs, refs);
                false
            }
            _ => false,
        };
        if !fetched {
            continue;
        }
        if name.ends_with("srcset") {
            for (at, url) in srcset_urls(&attr.value) {
                refs.push(base + value_offset(text, attr, at, url), url);
            }
        } else {
            let url = attr.value.trim_start();
            let at = attr.value.len() - url.len();
            refs.push(base + value_offset(text, attr, at, url), url);
        }
    }
}

/// Where the text at `at` in an attribute's value is in the source. The two only line up
/// when the value has no character references; otherwise `needle` is looked for in the
/// source, falling back to the start of the value.
fn value_offset(text: &str, attr: &Attr, at: usize, needle: &str) -> usize {
    match text.get(attr.raw.clone()) {
        Some(raw) if raw == attr.value => attr.raw.start + at,
        Some(raw) => raw
            .find(needle.trim())
            .map_or(attr.raw.start, |i| attr.raw.start + i),
        None => attr.raw.start,
    }
}

/// Runs a CSS or script scanner over an attribute's value (`style=""`, `onload=""`).
fn value_refs(
    text: &str,
    base: usize,
    attr: &Attr,
    scan: fn(&str, usize, &mut Refs),
    refs: &mut Refs,
) {
    let mut inner = Refs {
        found: Vec::new(),
        markup_in_strings: refs.markup_in_strings,
    };
    scan(&attr.value, 0, &mut inner);
    for (at, url) in inner.found {
        let at = value_offset(text, attr, at, &url);
        refs.found.push((base + at, url));
    }
}

/// The URLs of a `srcset` with their offsets in it: each candidate is a URL, then optional
/// descriptors up to the next comma. URLs may contain commas, but not end with one.
fn srcset_urls(value: &str) -> Vec<(usize, &str)> {
    let b = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b',') {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let url = value[start..i].trim_end_matches(',');
        out.push((start, url));
        if url.len() < i - start {
            continue;
        }
        let mut depth = 0usize;
        while i < b.len() {
            match b[i] {
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                b',' if depth == 0 => break,
                _ => {}
            }
            i += 1;
        }
    }
    out
}

// CSS

/// `url(…)`, `@import "…"` and the strings of `image-set()`; `@namespace` URLs only name
/// a namespace and are not fetched.
fn css_refs(css: &str, base: usize, refs: &mut Refs) {
    let mut parser = Parser::new(css);
    css_block(&mut parser, base, false, refs);
}

/// Walks one block of tokens, descending into nested blocks and functions. In `image-set()`
/// plain strings are URLs too (`strings_are_urls`).
fn css_block(parser: &mut Parser<'_>, base: usize, strings_are_urls: bool, refs: &mut Refs) {
    let mut after_import = false;
    let mut in_namespace = false;
    loop {
        let start = parser.position();
        let at = base + start.byte_index();
        let token = match parser.next_including_whitespace_and_comments() {
            Ok(token) => token.clone(),
            Err(_) => break,
        };
        match &token {
            Token::WhiteSpace(_) | Token::Comment(_) => continue,
            Token::UnquotedUrl(url) if !in_namespace => {
                let source = parser.slice_from(start);
                refs.push(at + unquoted_url_start(source), url);
            }
            Token::QuotedString(s) if after_import || strings_are_urls => refs.push(at + 1, s),
            // In `@namespace`, `url("…")` falls to the next arm, which takes no string for a URL.
            Token::Function(name) if name.eq_ignore_ascii_case("url") && !in_namespace => {
                let _ = parser.parse_nested_block(|p| {
                    quoted_url(p, base, refs);
                    Ok::<(), ParseError<()>>(())
                });
            }
            Token::Function(name) => {
                let image_set = name.eq_ignore_ascii_case("image-set")
                    || name.eq_ignore_ascii_case("-webkit-image-set");
                let _ = parser.parse_nested_block(|p| {
                    css_block(p, base, image_set, refs);
                    Ok::<(), ParseError<()>>(())
                });
            }
            Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock => {
                let _ = parser.parse_nested_block(|p| {
                    css_block(p, base, false, refs);
                    Ok::<(), ParseError<()>>(())
                });
                in_namespace = false;
            }
            Token::Semicolon => in_namespace = false,
            _ => {}
        }
        after_import = matches!(&token, Token::AtKeyword(k) if k.eq_ignore_ascii_case("import"));
        if matches!(&token, Token::AtKeyword(k) if k.eq_ignore_ascii_case("namespace")) {
            in_namespace = true;
        }
    }
}

/// The string inside `url( "…" )`.
fn quoted_url(parser: &mut Parser<'_>, base: usize, refs: &mut Refs) {
    loop {
        let start = parser.position();
        match parser.next_including_whitespace_and_comments() {
            Ok(Token::WhiteSpace(_) | Token::Comment(_)) => continue,
            Ok(Token::QuotedString(s)) => refs.push(base + start.byte_index() + 1, s),
            _ => {}
        }
        break;
    }
}

/// The offset of the URL in the source of an unquoted `url(…)` token: after the parenthesis
/// and any whitespace.
fn unquoted_url_start(source: &str) -> usize {
    let Some(open) = source.find('(') else {
        return 0;
    };
    let rest = &source[open + 1..];
    open + 1
        + (rest.len()
            - rest
                .trim_start_matches([' ', '\t', '\n', '\r', '\x0c'])
                .len())
}

// Script

/// Script calls that fetch or load: `fetch("…")`, `import("…")`, `import "…"`,
/// `import … from "…"`, `importScripts("…")`, `new Worker("…")`, `x.src = "…"`, sockets and
/// beacons, with a string literal for the URL. CSS `url(…)` and markup inside string literals
/// are read too, as scripts put them into pages.
///
/// Script is matched against these patterns rather than tokenized: whether a `/` starts a
/// regular expression or divides depends on the grammar around it (after `)` or `}` only
/// the enclosing statement tells), so a correct script tokenizer is part of a parser, and the
/// maintained ones come inside whole compiler front ends (swc, oxc, boa), far larger than
/// this check deserves. [`JsLexed`] does the part that matters here with the usual
/// heuristics: it sets comments, strings and regular expressions apart, so that a URL only
/// mentioned in a comment or a message is not taken for one that is loaded.
fn js_refs(js: &str, base: usize, refs: &mut Refs) {
    const CALLS: &[&str] = &[
        "fetch",
        "import",
        "importScripts",
        "Worker",
        "SharedWorker",
        "WebSocket",
        "EventSource",
        "sendBeacon",
    ];
    let lexed = JsLexed::new(js);
    let code = &lexed.code;
    let skip_ws = |mut i: usize| {
        while i < code.len() && code[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let mut i = 0;
    while i < code.len() {
        if !is_ident_byte(code[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < code.len() && is_ident_byte(code[i]) {
            i += 1;
        }
        let word = &js[start..i];
        let after = skip_ws(i);
        let call = CALLS.contains(&word) && code.get(after) == Some(&b'(');
        let src_set = word == "src"
            && prev_non_ws(code, start) == Some(b'.')
            && code.get(after) == Some(&b'=')
            && code.get(after + 1) != Some(&b'=');
        let quote = if call || src_set {
            skip_ws(after + 1)
        } else if word == "from" || word == "import" {
            after
        } else {
            continue;
        };
        if let Some(content) = lexed.strings.get(&quote) {
            refs.push(base + content.start, &js[content.clone()]);
        }
    }
    for content in lexed.strings.values() {
        let s = &js[content.clone()];
        if s.to_ascii_lowercase().contains("url(") {
            css_refs(s, base + content.start, refs);
        }
        if refs.markup_in_strings == 0 && s.contains('<') {
            refs.markup_in_strings += 1;
            html_refs(s, base + content.start, refs);
            refs.markup_in_strings -= 1;
        }
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

fn prev_non_ws(code: &[u8], before: usize) -> Option<u8> {
    code[..before]
        .iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace())
        .copied()
}

/// Script with its comments, and the insides of its strings and regular expressions, blanked
/// out, so that patterns only match code; and, by the offset of each string literal's opening
/// quote, where its content is. A template literal's content runs to its closing backtick,
/// `${…}` included.
struct JsLexed {
    code: Vec<u8>,
    strings: HashMap<usize, Range<usize>>,
}

impl JsLexed {
    fn new(js: &str) -> JsLexed {
        let b = js.as_bytes();
        let n = b.len();
        let mut code = b.to_vec();
        let mut strings = HashMap::new();
        let blank = |code: &mut Vec<u8>, r: Range<usize>| {
            for c in &mut code[r] {
                *c = b' ';
            }
        };
        // Open template literals whose `${…}` is being read: the opening backtick, and the
        // brace depth at which the substitution closes.
        let mut templates: Vec<(usize, usize)> = Vec::new();
        let mut depth = 0usize;
        // The last significant code byte, and the last word, to tell a regular expression
        // from a division.
        let mut prev = 0u8;
        let mut prev_word: &str = "";
        let mut i = 0;
        // Where a template literal's text resumes, with its opening backtick.
        let mut template_at: Option<(usize, usize)> = None;
        while i < n || template_at.is_some() {
            if let Some((open, from)) = template_at.take() {
                let mut j = from;
                loop {
                    if j >= n {
                        blank(&mut code, from..n);
                        strings.insert(open, open + 1..n);
                        i = n;
                        break;
                    }
                    match b[j] {
                        b'\\' => j += 2,
                        b'`' => {
                            blank(&mut code, from..j);
                            strings.insert(open, open + 1..j);
                            i = j + 1;
                            prev = b'`';
                            break;
                        }
                        b'$' if b.get(j + 1) == Some(&b'{') => {
                            blank(&mut code, from..j);
                            depth += 1;
                            templates.push((open, depth));
                            i = j + 2;
                            prev = b'{';
                            break;
                        }
                        _ => j += 1,
                    }
                }
                continue;
            }
            let c = b[i];
            match c {
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    let end = b[i..].iter().position(|&c| c == b'\n').map_or(n, |e| i + e);
                    blank(&mut code, i..end);
                    i = end;
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    let end = js[i + 2..].find("*/").map_or(n, |e| i + 2 + e + 2);
                    blank(&mut code, i..end);
                    i = end;
                }
                b'\'' | b'"' => {
                    let mut j = i + 1;
                    while j < n && b[j] != c && b[j] != b'\n' {
                        j += if b[j] == b'\\' { 2 } else { 1 };
                    }
                    let end = j.min(n);
                    blank(&mut code, i + 1..end);
                    strings.insert(i, i + 1..end);
                    i = if end < n && b[end] == c { end + 1 } else { end };
                    prev = c;
                }
                b'`' => template_at = Some((i, i + 1)),
                b'/' if regex_may_start(prev, prev_word) => {
                    let mut j = i + 1;
                    let mut in_class = false;
                    while j < n && b[j] != b'\n' {
                        match b[j] {
                            b'\\' => j += 1,
                            b'[' => in_class = true,
                            b']' => in_class = false,
                            b'/' if !in_class => break,
                            _ => {}
                        }
                        j += 1;
                    }
                    let end = j.min(n);
                    blank(&mut code, i + 1..end);
                    i = end + 1;
                    prev = b'/';
                    prev_word = "";
                }
                b'{' => {
                    depth += 1;
                    prev = c;
                    i += 1;
                }
                b'}' => {
                    match templates.last() {
                        Some(&(open, d)) if d == depth => {
                            templates.pop();
                            template_at = Some((open, i + 1));
                        }
                        _ => prev = c,
                    }
                    depth = depth.saturating_sub(1);
                    i += 1;
                }
                _ if is_ident_byte(c) => {
                    let start = i;
                    while i < n && is_ident_byte(b[i]) {
                        i += 1;
                    }
                    prev_word = js.get(start..i).unwrap_or("");
                    prev = b'a';
                }
                _ => {
                    if !c.is_ascii_whitespace() {
                        prev = c;
                        prev_word = "";
                    }
                    i += 1;
                }
            }
        }
        JsLexed { code, strings }
    }
}

/// Whether a `/` after this byte (or word) starts a regular expression rather than dividing.
fn regex_may_start(prev: u8, prev_word: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "return",
        "typeof",
        "instanceof",
        "case",
        "do",
        "else",
        "in",
        "of",
        "new",
        "delete",
        "void",
        "throw",
        "yield",
        "await",
    ];
    match prev {
        0 => true,
        b'a' => KEYWORDS.contains(&prev_word),
        _ => b"(,=:[!&|?{};+-*%<>~^".contains(&prev),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str, ft: FileType) -> Vec<String> {
        remote_refs(text, ft).into_iter().map(|(_, u)| u).collect()
    }

    /// 1-based line and column of a byte offset.
    fn line_col(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        (line, col)
    }

    /// Every offset points at the URL reported with it.
    fn assert_offsets(text: &str, ft: FileType) {
        for (off, url) in remote_refs(text, ft) {
            assert!(
                text[off..].starts_with(&url),
                "offset {off} of {url:?} points at {:?}",
                &text[off..]
            );
        }
    }

    #[test]
    fn embedded_remote_assets_are_found_and_links_are_not() {
        let html = r#"<a href="https://example.org/">site</a>
<link rel="alternate" href="https://example.org/feed.xml">
<link rel="stylesheet" href="https://cdn.example.org/a.css">
<link rel=preconnect href=//fonts.example.org>
<img alt="x" src='http://example.org/i.png'>
<img srcset="local.png 1x, https://example.org/2x.png 2x">
<script src="{{ root }}assets/x.js"></script>
<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/s.svg"/></svg>
<div style="background: url(https://example.org/bg.png)"></div>"#;
        assert_eq!(
            urls(html, FileType::Html),
            [
                "https://cdn.example.org/a.css",
                "//fonts.example.org",
                "http://example.org/i.png",
                "https://example.org/2x.png",
                "https://example.org/s.svg",
                "https://example.org/bg.png",
            ]
        );
        assert_offsets(html, FileType::Html);
    }

    #[test]
    fn css_and_script_fetches_are_found() {
        let css = "@import url(\"https://fonts.example.org/css\");\n@import 'http://x.org/a.css';\nbody { background: url(img/local.png) }";
        assert_eq!(
            urls(css, FileType::Css),
            ["https://fonts.example.org/css", "http://x.org/a.css"]
        );
        let js = "const r = await fetch('https://api.example.org/q');\nimport x from \"https://cdn.example.org/m.js\";\nfetch(root + 'search/index.bin');\n// see https://example.org/docs\n";
        assert_eq!(
            urls(js, FileType::Js),
            ["https://api.example.org/q", "https://cdn.example.org/m.js"]
        );
        assert_offsets(css, FileType::Css);
        assert_offsets(js, FileType::Js);
    }

    #[test]
    fn offsets_point_at_the_url() {
        let text = "a\n<img src=\"https://x.org/i.png\">";
        let (off, _) = remote_refs(text, FileType::Html)[0];
        assert!(text[off..].starts_with("https://"));
        assert_eq!(line_col(text, off).0, 2);
    }

    #[test]
    fn scanning_odd_text_does_not_panic() {
        for text in [
            "<",
            "<img src=",
            "<img src=\"",
            "url(",
            "@import",
            "fetch(\"",
            "<a é=ü src='//x",
            "<<<>>>",
            "<img\nsrc\n=\nhttps://x.org/a.png>",
            "url( 'é",
        ] {
            for ft in [FileType::Html, FileType::Css, FileType::Js] {
                let _ = remote_refs(text, ft);
            }
        }
        assert_eq!(
            remote_refs("<img\nsrc\n=\nhttps://x.org/a.png>", FileType::Html).len(),
            1
        );
    }

    #[test]
    fn more_odd_text_does_not_panic() {
        for text in [
            "`",
            "`${",
            "`${}`}}}",
            "}`",
            "/",
            "/[",
            "x = /\\",
            "'\\",
            "\"é\\é",
            "/*",
            "<script>",
            "<script>fetch(`",
            "<style>",
            "<style>url(\"é",
            "<div style='url(",
            "<img srcset=',,, ,'>",
            "<img srcset='é, ü 1x,'>",
            "@import url(",
            "@namespace url(",
            "image-set(",
            "url(\\",
            "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((",
            "{% if x %}<link rel=stylesheet href=\"{{ root }}a.css\">{% endif %}",
            "\u{0}<img src=\u{0}https://x>",
            "<img src='a&amp;' srcset='&#x68;ttps://x.org/a.png'>",
            "'<script>\\'<img src=https://x>\\'</script>'",
        ] {
            for ft in [FileType::Html, FileType::Css, FileType::Js] {
                let _ = remote_refs(text, ft);
            }
        }
    }

    #[test]
    fn style_elements_are_read_as_css() {
        let html = "<head>\n<style media=\"screen\">\n  @import \"https://fonts.example.org/a.css\";\n  @import url(//cdn.example.org/b.css);\n  body { background: url( 'https://example.org/bg.png' ) }\n  p { background: url(local.png) }\n</style>\n</head>";
        assert_eq!(
            urls(html, FileType::Html),
            [
                "https://fonts.example.org/a.css",
                "//cdn.example.org/b.css",
                "https://example.org/bg.png",
            ]
        );
        assert_offsets(html, FileType::Html);
    }

    #[test]
    fn tags_and_attributes_are_case_insensitive() {
        let html = "<IMG SRC=\"https://example.org/a.png\">\n<Link REL=\"StyleSheet\" HREF=\"https://example.org/a.css\">\n<LINK Rel=Alternate Href=https://example.org/feed>\n<svg><feImage xlink:href=\"https://example.org/f.png\"/></svg>\n<OBJECT DATA='https://example.org/o.pdf'></OBJECT>";
        assert_eq!(
            urls(html, FileType::Html),
            [
                "https://example.org/a.png",
                "https://example.org/a.css",
                "https://example.org/f.png",
                "https://example.org/o.pdf",
            ]
        );
        assert_offsets(html, FileType::Html);
    }

    #[test]
    fn unquoted_attribute_values() {
        let html = "<img src=https://example.org/a.png alt=x>\n<video poster=//example.org/p.jpg src=local.mp4></video>\n<img src=local.png>";
        assert_eq!(
            urls(html, FileType::Html),
            ["https://example.org/a.png", "//example.org/p.jpg"]
        );
        assert_offsets(html, FileType::Html);
    }

    #[test]
    fn commented_out_markup_is_not_reported() {
        let html = "<!-- <img src=\"https://x\"> -->\n<!--\n<script src=\"https://example.org/old.js\"></script>\n-->\n<p>kept</p>";
        assert!(urls(html, FileType::Html).is_empty());
    }

    #[test]
    fn script_elements_are_read_as_script() {
        let html = "<script>\n  // fetch('https://example.org/commented')\n  const r = fetch(\"https://api.example.org/q\");\n  if (a < b) { new Worker('//example.org/w.js') }\n  const s = '</p><img src=https://example.org/tricky.png>';\n</script>\n<p>fetch(\"https://example.org/prose\") in text is not a fetch</p>";
        assert_eq!(
            urls(html, FileType::Html),
            [
                "https://api.example.org/q",
                "//example.org/w.js",
                "https://example.org/tricky.png",
            ]
        );
        assert_offsets(html, FileType::Html);
    }

    #[test]
    fn script_content_ends_only_at_its_end_tag() {
        // Markup-looking text inside a script is not markup.
        let html = "<script>const t = '<div>';</script><img src=\"https://example.org/after.png\">";
        assert_eq!(
            urls(html, FileType::Html),
            ["https://example.org/after.png"]
        );
        let unterminated = "<title>a <img src=https://example.org/no.png>";
        assert!(urls(unterminated, FileType::Html).is_empty());
        // An XML-style self-closed script does not swallow the rest of an SVG file.
        let svg = "<svg><script href=\"https://example.org/s.js\"/><image href=\"https://example.org/i.png\"/></svg>";
        assert_eq!(
            urls(svg, FileType::Html),
            ["https://example.org/s.js", "https://example.org/i.png"]
        );
    }

    #[test]
    fn noscript_content_is_read_as_markup() {
        let html = "<noscript><img src=\"https://example.org/pixel.gif\"></noscript>";
        assert_eq!(
            urls(html, FileType::Html),
            ["https://example.org/pixel.gif"]
        );
    }

    #[test]
    fn css_comments_are_not_reported() {
        let css = "/* url(https://x) */\n/* @import \"https://example.org/old.css\"; */\na { b: url(https://example.org/kept.png) }";
        assert_eq!(urls(css, FileType::Css), ["https://example.org/kept.png"]);
        assert_offsets(css, FileType::Css);
    }

    #[test]
    fn css_escapes_are_resolved() {
        let css = "a { background: url(https\\:\\/\\/example.org/a.png) }\n@import \"\\68ttps://example.org/b.css\";\nb { background: url(local\\:x.png) }\nc { content: \"https://example.org/not-fetched\" }";
        let found = remote_refs(css, FileType::Css);
        assert_eq!(
            found.iter().map(|(_, u)| u.as_str()).collect::<Vec<_>>(),
            ["https://example.org/a.png", "https://example.org/b.css"]
        );
        assert!(css[found[0].0..].starts_with("https\\:"));
        assert!(css[found[1].0..].starts_with("\\68ttps"));
    }

    #[test]
    fn css_namespaces_and_image_sets() {
        let css = "@namespace svg url(http://www.w3.org/2000/svg);\n@namespace \"http://www.w3.org/1999/xhtml\";\na { background: image-set(\"https://example.org/1x.png\" 1x, url(https://example.org/2x.png) 2x) }";
        assert_eq!(
            urls(css, FileType::Css),
            ["https://example.org/1x.png", "https://example.org/2x.png"]
        );
        assert_offsets(css, FileType::Css);
    }

    #[test]
    fn character_references_in_attributes() {
        let html = "<img src=\"https://example.org/a?x=1&amp;y=2\">\n<img src=\"&#x68;ttps://example.org/hidden.png\">";
        let found = remote_refs(html, FileType::Html);
        assert_eq!(
            found.iter().map(|(_, u)| u.as_str()).collect::<Vec<_>>(),
            [
                "https://example.org/a?x=1&y=2",
                "https://example.org/hidden.png"
            ]
        );
        assert!(html[found[0].0..].starts_with("https://example.org/a?x=1&amp;"));
        assert!(html[found[1].0..].starts_with("&#x68;ttps"));
    }

    #[test]
    fn every_srcset_candidate_has_its_own_offset() {
        let html = "<img srcset=\"https://example.org/a.png 1x,https://example.org/b,c.png 2x, local.png 3x\">\n<source srcset=\"//example.org/s.webp\">";
        assert_eq!(
            urls(html, FileType::Html),
            [
                "https://example.org/a.png",
                "https://example.org/b,c.png",
                "//example.org/s.webp",
            ]
        );
        assert_offsets(html, FileType::Html);
    }

    #[test]
    fn event_handler_attributes_are_read_as_script() {
        let html = "<button onclick=\"fetch('https://example.org/click')\">x</button>\n<a href=\"#\" title=\"fetch('https://example.org/not-code')\">y</a>";
        assert_eq!(urls(html, FileType::Html), ["https://example.org/click"]);
        assert_offsets(html, FileType::Html);
    }

    #[test]
    fn script_comments_and_strings_are_not_calls() {
        let js = "/* fetch('https://example.org/block') */\n// import x from 'https://example.org/line'\nconst re = /\"/g; fetch('https://example.org/after-regex');\nconst d = a / b; fetch(\"https://example.org/after-division\");\nconsole.log(\"fetch('https://example.org/in-a-string')\");\nmyfetch('https://example.org/other-function');\nconst u = 'https://example.org/just-a-string';\n";
        assert_eq!(
            urls(js, FileType::Js),
            [
                "https://example.org/after-regex",
                "https://example.org/after-division",
            ]
        );
        assert_offsets(js, FileType::Js);
    }

    #[test]
    fn script_loads_of_every_kind() {
        let js = "import 'https://example.org/side.js';\nexport * from \"https://example.org/re.js\";\nconst m = await import( `https://example.org/dyn.js` );\nimportScripts('https://example.org/w.js');\nnew SharedWorker(\"https://example.org/sw.js\");\nnew WebSocket('wss://example.org/ws');\nnew EventSource('https://example.org/events');\nnavigator.sendBeacon('https://example.org/b', data);\nimg.src = 'https://example.org/i.png';\nimg.src=\"//example.org/j.png\";\nif (img.src == 'https://example.org/compare') {}\nel.style.background = 'url(https://example.org/bg.png)';\nlist.innerHTML = `<img src=\"https://example.org/t.png\">`;\nfetch(`https://example.org/q?id=${id}&x=${ {a: 1}.a }`);\n";
        assert_eq!(
            urls(js, FileType::Js),
            [
                "https://example.org/side.js",
                "https://example.org/re.js",
                "https://example.org/dyn.js",
                "https://example.org/w.js",
                "https://example.org/sw.js",
                "wss://example.org/ws",
                "https://example.org/events",
                "https://example.org/b",
                "https://example.org/i.png",
                "//example.org/j.png",
                "https://example.org/bg.png",
                "https://example.org/t.png",
                "https://example.org/q?id=${id}&x=${ {a: 1}.a }",
            ]
        );
        assert_offsets(js, FileType::Js);
    }

    #[test]
    fn templates_are_scanned_as_written() {
        let html = "{% if config.cdn %}\n<script src=\"{{ config.cdn }}/x.js\"></script>\n{% else %}\n<script src=\"{{ root }}assets/x.js\"></script>\n{% endif %}\n<link rel=\"stylesheet\" href=\"https://example.org/{{ theme }}.css\">\n<img src=\"{{ root }}i.png\" {% if big %}width=\"2\"{% endif %}>";
        assert_eq!(
            urls(html, FileType::Html),
            ["https://example.org/{{ theme }}.css"]
        );
        assert_offsets(html, FileType::Html);
    }

    #[test]
    fn offsets_survive_multibyte_text_and_crlf() {
        let html = "<p>é ü 日本</p>\r\n<img alt=\"ö\" src=\"https://example.org/a.png\">\r\n<style>\r\n/* ü */ a { b: url(https://example.org/b.png) }\r\n</style>\r\n<script>\r\n'é'; fetch('https://example.org/c')\r\n</script>";
        assert_eq!(remote_refs(html, FileType::Html).len(), 3);
        assert_offsets(html, FileType::Html);
    }

    #[test]
    fn file_types_by_extension() {
        assert_eq!(FileType::of("a/b.HTML"), Some(FileType::Html));
        assert_eq!(FileType::of("icon.svg"), Some(FileType::Html));
        assert_eq!(FileType::of("x.css"), Some(FileType::Css));
        assert_eq!(FileType::of("m.mjs"), Some(FileType::Js));
        assert_eq!(FileType::of("README"), None);
        assert_eq!(FileType::of("a.png"), None);
    }
}
