//! Markdown: comrak's AST, heading anchors, link positions, and HTML.
//!
//! A page's Markdown is parsed twice: once at load time to learn its headings and links (so
//! links can be checked against every page before anything is rendered), and once at render
//! time, when links are rewritten and glossary terms linked in the AST before it becomes HTML.
//! Parsing is cheap next to keeping an arena per page alive between stages.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Write};
use std::sync::Mutex;

use comrak::adapters::{HeadingAdapter, HeadingMeta};
use comrak::arena_tree::Node;
use comrak::nodes::{AlertType, Ast, AstNode, LineColumn, NodeValue, Sourcepos};
use comrak::{parse_document, Arena, Options, Plugins};

use crate::config::HtmlPolicy;
use crate::highlight::Highlighter;
use crate::html::{escape_attr, escape_html};
use crate::math;
use crate::sanitize::Sanitizer;

mod tables;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
    /// Line within the body (1-based).
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub url: String,
    /// Line and column within the body (1-based).
    pub line: usize,
    pub col: usize,
    pub is_image: bool,
    /// For images: the alt text.
    pub text: String,
}

/// A formula whose TeX cannot be rendered: the page shows its source instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MathError {
    /// Line and column of the formula within the body (1-based).
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// What the load stage learns from a page's Markdown.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub words: usize,
    /// Link targets besides headings: `id`s in raw HTML and `<a name>`.
    pub anchors: Vec<String>,
    pub math_errors: Vec<MathError>,
}

/// How deep quotes, lists and inline markup may nest. Real documents stay far below; the limit
/// keeps the Markdown parser and every walk over the tree within a thread's stack.
pub const MAX_NESTING: usize = 100;

/// Emphasis and bracket characters one paragraph may hold (see [`too_deep_blocks`]).
pub const MAX_INLINE_DELIMITERS: usize = 20_000;

/// Nesting deeper than [`MAX_NESTING`]: where it first happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub line: usize,
    pub col: usize,
    pub depth: usize,
}

/// The first line whose block containers (quote markers, list markers, indentation) could nest
/// deeper than [`MAX_NESTING`]. Checked on the text before parsing, because the parser itself
/// recurses on nested containers. Each level needs a marker on the line or two columns of
/// indentation, so the count is never below the real depth.
pub fn too_deep_blocks(body: &str) -> Option<TooDeep> {
    // Emphasis and brackets nest inside a paragraph, one level per pair of delimiters; the
    // parser recurses on them too. Bounding their number per paragraph bounds its stack (about
    // a kilobyte a level), whatever the tree check below then decides.
    let mut delimiters = 0usize;
    for (n, line) in body.lines().enumerate() {
        if line.trim().is_empty() {
            delimiters = 0;
        }
        // Bytes, not chars: the delimiters are ASCII, and the column is a byte offset either way.
        for (col, c) in line.bytes().enumerate() {
            if matches!(c, b'*' | b'_' | b'~' | b'[' | b'!') {
                delimiters += 1;
                if delimiters > MAX_INLINE_DELIMITERS {
                    return Some(TooDeep {
                        line: n + 1,
                        col: col + 1,
                        depth: delimiters,
                    });
                }
            }
        }
        let bytes = line.as_bytes();
        let (mut i, mut width, mut markers) = (0, 0usize, 0usize);
        while i < bytes.len() {
            match bytes[i] {
                b' ' => width += 1,
                b'\t' => width += 4,
                b'>' => markers += 1,
                b'-' | b'*' | b'+'
                    if bytes.get(i + 1).is_none_or(|b| *b == b' ' || *b == b'\t') =>
                {
                    markers += 1
                }
                b'0'..=b'9' => {
                    let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                    match bytes.get(i + digits) {
                        Some(b'.' | b')') => {
                            markers += 1;
                            i += digits;
                        }
                        _ => break,
                    }
                }
                _ => break,
            }
            let depth = markers + width.div_ceil(2);
            if depth > MAX_NESTING {
                return Some(TooDeep {
                    line: n + 1,
                    col: i + 1,
                    depth,
                });
            }
            i += 1;
        }
    }
    None
}

/// The deepest nesting of a parsed document, when it exceeds [`MAX_NESTING`] (deep inline
/// markup, which the line check cannot see). Walks the tree without recursion.
fn too_deep_tree<'a>(root: &'a AstNode<'a>) -> Option<TooDeep> {
    let mut depth = 0usize;
    for edge in root.traverse() {
        match edge {
            comrak::arena_tree::NodeEdge::Start(node) => {
                depth += 1;
                if depth > MAX_NESTING {
                    let pos = node.data.borrow().sourcepos.start;
                    return Some(TooDeep {
                        line: pos.line,
                        col: pos.column,
                        depth,
                    });
                }
            }
            comrak::arena_tree::NodeEdge::End(_) => depth -= 1,
        }
    }
    None
}

impl Analysis {
    pub fn has_anchor(&self, id: &str) -> bool {
        self.headings.iter().any(|h| h.id == id) || self.anchors.iter().any(|a| a == id)
    }
}

/// Plain text of one part of a page (before the first heading, or under one heading), for search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionText {
    pub anchor: String,
    pub heading: String,
    pub text: String,
}

pub struct Rendered {
    pub html: String,
    pub sections: Vec<SectionText>,
    /// Glossary term indexes this page links to, automatically or explicitly.
    pub terms_used: Vec<usize>,
}

pub fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.strikethrough = true;
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.extension.description_lists = true;
    // `> [!NOTE]` and the other GitHub alerts, rendered as callouts.
    o.extension.alerts = true;
    // `$…$`, `$$…$$`, `` $`…`$ `` and ```` ```math ````. A `$` followed by a space, or a closing
    // one followed by a digit, is not math, so prices (`$5 and $10`) stay text.
    o.extension.math_dollars = true;
    o.extension.math_code = true;
    // Raw HTML from content is turned into text before rendering (unless allowed); what remains
    // as HTML nodes at render time is accord's own markup.
    o.render.unsafe_ = true;
    o
}

pub use crate::slug::slugify;

/// Parses a page body. mdBook's math delimiters (`\\( … \\)`) are found in the tree, which
/// needs escaped characters kept apart while that is done; they are merged back afterwards.
/// Also returns where a `$` opened a formula that ran into code (see
/// [`math::dollars_across_code`]).
pub fn parse<'a>(arena: &'a Arena<AstNode<'a>>, body: &str) -> (&'a AstNode<'a>, Vec<LineColumn>) {
    let mdbook = math::has_mdbook_delimiters(body);
    let mut opts = options();
    opts.render.escaped_char_spans = mdbook;
    let root = parse_document(arena, body, &opts);
    if mdbook {
        math::mdbook_delimiters(arena, root);
    }
    let undone = if body.contains('`') && body.contains('$') {
        math::dollars_across_code(root)
    } else {
        Vec::new()
    };
    if mdbook || !undone.is_empty() {
        math::merge_text(root);
    }
    (root, undone)
}

/// Text of a node and its descendants, as a reader sees it.
pub fn collect_text<'a>(node: &'a AstNode<'a>, out: &mut String) {
    for n in node.descendants() {
        match &n.data.borrow().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::CodeBlock(c) => out.push_str(&c.literal),
            NodeValue::Math(m) => out.push_str(&m.literal),
            NodeValue::HtmlInline(h) => out.push_str(h),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            _ => {}
        }
    }
}

/// Heading attributes as mdBook, Pandoc, kramdown and Zola write them: `## Title {#custom-id}`
/// (classes and other attributes after the id are accepted and dropped). Removes the attribute
/// text from every heading and returns each heading's id, in document order.
fn strip_heading_attributes<'a>(root: &'a AstNode<'a>) -> Vec<Option<String>> {
    let mut ids = Vec::new();
    for node in root.descendants() {
        if !matches!(node.data.borrow().value, NodeValue::Heading(_)) {
            continue;
        }
        let mut id = None;
        if let Some(last) = node.last_child() {
            let mut data = last.data.borrow_mut();
            if let NodeValue::Text(t) = &mut data.value {
                if let Some((rest, attr)) = heading_attribute(t) {
                    id = Some(attr);
                    *t = rest;
                }
            }
        }
        ids.push(id);
    }
    ids
}

/// Splits `Title {#id .class}` into `Title` and `id`.
fn heading_attribute(text: &str) -> Option<(String, String)> {
    let trimmed = text.trim_end();
    let inner = trimmed.strip_suffix('}')?;
    let open = inner.rfind('{')?;
    let attrs = &inner[open + 1..];
    let id = attrs
        .split_whitespace()
        .find_map(|a| a.strip_prefix('#'))
        .filter(|id| {
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        })?;
    let all_attributes = attrs
        .split_whitespace()
        .all(|a| a.starts_with('#') || a.starts_with('.') || a.contains('='));
    all_attributes.then(|| (inner[..open].trim_end().to_string(), id.to_string()))
}

/// `id`s (and `<a name>`s) in raw HTML: link targets an editor set by hand.
fn html_ids(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for token in html5gum::Tokenizer::new(html).flatten() {
        if let html5gum::Token::StartTag(tag) = token {
            let attr = |name: &[u8]| {
                tag.attributes
                    .get(name)
                    .map(|v| String::from_utf8_lossy(v).into_owned())
            };
            out.extend(attr(b"id"));
            if tag.name.as_slice() == b"a" {
                out.extend(attr(b"name"));
            }
        }
    }
    out.retain(|id| !id.is_empty());
    out
}

/// Raw HTML that only sets a link target (`<a id="x">`, `<a name="x">`, `</a>`): kept as HTML
/// even when other raw HTML is shown as text, so the anchors a book links to exist.
fn is_bare_anchor(html: &str) -> bool {
    let mut any = false;
    for token in html5gum::Tokenizer::new(html).flatten() {
        match token {
            html5gum::Token::StartTag(tag) => {
                let only_target = tag.name.as_slice() == b"a"
                    && !tag.attributes.is_empty()
                    && tag.attributes.iter().all(|(k, v)| {
                        matches!(k.as_slice(), b"id" | b"name")
                            && v.iter()
                                .all(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(b))
                    });
                if !only_target {
                    return false;
                }
                any = true;
            }
            html5gum::Token::EndTag(tag) if tag.name.as_slice() == b"a" => any = true,
            html5gum::Token::String(s) if s.iter().all(u8::is_ascii_whitespace) => {}
            _ => return false,
        }
    }
    any
}

/// The title a document gives itself: its first level-1 heading, else its first heading of any
/// level, as plain text (`# Running \`mdbook\`` → "Running mdbook"), with the heading's first and
/// last line (1-based) in `body`.
pub fn first_heading(body: &str) -> Option<(String, (usize, usize))> {
    if too_deep_blocks(body).is_some() {
        return None;
    }
    if let Some(opening) = opening_title(body) {
        return opening;
    }
    title_in_document(body)
}

/// [`first_heading`] read from the whole document.
fn title_in_document(body: &str) -> Option<(String, (usize, usize))> {
    let arena = Arena::new();
    let root = parse_document(&arena, body, &options());
    strip_heading_attributes(root);
    let headings: Vec<_> = root
        .descendants()
        .filter_map(|n| match &n.data.borrow().value {
            NodeValue::Heading(h) => Some((h.level, n)),
            _ => None,
        })
        .collect();
    let (_, node) = headings
        .iter()
        .find(|(level, _)| *level == 1)
        .or_else(|| headings.first())?;
    let text = heading_text(node);
    let pos = node.data.borrow().sourcepos;
    (!text.is_empty()).then_some((text, (pos.start.line, pos.end.line)))
}

/// A heading's text, plain, with its spaces collapsed.
fn heading_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut text = String::new();
    collect_text(node, &mut text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The title of a document that opens with a level-1 heading, read from that line alone: most
/// files without front matter start so, and loading a large book parsed each of them whole
/// just for its title. `None` when the line must be read in context: it is no level-1 ATX
/// heading, or it holds brackets, which may name a link defined further down.
fn opening_title(body: &str) -> Option<Option<(String, (usize, usize))>> {
    let (n, line) = body
        .lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty())?;
    let hashes = line.trim_start_matches(' ');
    if line.len() - hashes.len() > 3 || !hashes.starts_with('#') || hashes.starts_with("##") {
        return None;
    }
    if line.contains(['[', ']']) {
        return None;
    }
    let arena = Arena::new();
    let root = parse_document(&arena, line, &options());
    strip_heading_attributes(root);
    let node = root
        .children()
        .find(|n| matches!(&n.data.borrow().value, NodeValue::Heading(h) if h.level == 1))?;
    let text = heading_text(node);
    Some((!text.is_empty()).then_some((text, (n + 1, n + 1))))
}

/// Headings, links and word count of a page body; `Err` when it nests deeper than accord
/// renders (see [`MAX_NESTING`]).
pub fn analyze(body: &str) -> Result<Analysis, TooDeep> {
    if let Some(deep) = too_deep_blocks(body) {
        return Err(deep);
    }
    let arena = Arena::new();
    let (root, dollars_in_code) = parse(&arena, body);
    if let Some(deep) = too_deep_tree(root) {
        return Err(deep);
    }
    let explicit = strip_heading_attributes(root);
    let mut ids = IdAllocator::default();
    // Ids the editor chose are kept as written; generated ones step around them.
    for id in explicit.iter().flatten() {
        ids.used.entry(id.clone()).or_insert(0);
    }
    let mut explicit = explicit.into_iter();
    let mut analysis = Analysis {
        math_errors: dollars_in_code
            .into_iter()
            .map(|pos| MathError {
                line: pos.line,
                col: pos.column,
                message:
                    "this `$` opens a formula that runs into code, so the text is shown as written"
                        .into(),
            })
            .collect(),
        ..Analysis::default()
    };
    for node in root.descendants() {
        let data = node.data.borrow();
        let pos = data.sourcepos.start;
        match &data.value {
            NodeValue::Heading(h) => {
                let level = h.level;
                drop(data);
                let mut text = String::new();
                collect_text(node, &mut text);
                let text = text.trim().to_string();
                let id = match explicit.next().flatten() {
                    Some(id) => id,
                    None => ids.next(&text),
                };
                analysis.headings.push(Heading {
                    level,
                    id,
                    text,
                    line: pos.line,
                });
            }
            NodeValue::HtmlInline(h) => analysis.anchors.extend(html_ids(h)),
            NodeValue::HtmlBlock(b) => analysis.anchors.extend(html_ids(&b.literal)),
            NodeValue::Link(l) => analysis.links.push(LinkRef {
                url: l.url.clone(),
                line: pos.line,
                col: pos.column,
                is_image: false,
                text: String::new(),
            }),
            NodeValue::Image(l) => {
                let url = l.url.clone();
                drop(data);
                let mut alt = String::new();
                collect_text(node, &mut alt);
                analysis.links.push(LinkRef {
                    url,
                    line: pos.line,
                    col: pos.column,
                    is_image: true,
                    text: alt,
                });
            }
            NodeValue::Text(t) => analysis.words += t.split_whitespace().count(),
            _ => {}
        }
    }
    let formulas = formulas(root);
    let sources: Vec<_> = formulas
        .iter()
        .map(|f| (f.tex.as_str(), f.display))
        .collect();
    for (f, result) in formulas.iter().zip(math::to_mathml_all(&sources)) {
        if let Err(message) = result {
            analysis.math_errors.push(MathError {
                line: f.line,
                col: f.col,
                message,
            });
        }
    }
    Ok(analysis)
}

/// A formula of the page: `$…$`, `$$…$$`, mdBook's delimiters or a ```` ```math ```` block.
struct Formula<'a> {
    node: &'a AstNode<'a>,
    tex: String,
    display: bool,
    /// A ```` ```math ```` block rather than inline math.
    block: bool,
    line: usize,
    col: usize,
}

/// The page's formulas in document order.
fn formulas<'a>(root: &'a AstNode<'a>) -> Vec<Formula<'a>> {
    let mut out = Vec::new();
    for node in root.descendants() {
        let data = node.data.borrow();
        let pos = data.sourcepos.start;
        let (tex, display, block) = match &data.value {
            // The newlines around a display formula are not part of it.
            NodeValue::Math(m) => (m.literal.trim().to_string(), m.display_math, false),
            NodeValue::CodeBlock(c) if is_math_fence(&c.info) => {
                (c.literal.trim().to_string(), true, true)
            }
            _ => continue,
        };
        out.push(Formula {
            node,
            tex,
            display,
            block,
            line: pos.line,
            col: pos.column,
        });
    }
    out
}

/// Replaces the page's formulas by their MathML, or, when their TeX cannot be rendered (a
/// warning said so at load time), by their source as code: never lost.
fn render_formulas<'a>(root: &'a AstNode<'a>) {
    let formulas = formulas(root);
    let sources: Vec<_> = formulas
        .iter()
        .map(|f| (f.tex.as_str(), f.display))
        .collect();
    for (f, result) in formulas.iter().zip(math::to_mathml_all(&sources)) {
        let html = match (result, f.block) {
            (Ok(mathml), false) => mathml,
            (Ok(mathml), true) => format!("{mathml}\n"),
            (Err(_), false) => format!("<code class=\"math-error\">{}</code>", escape_html(&f.tex)),
            (Err(_), true) => format!(
                "<pre class=\"math-error\"><code>{}</code></pre>\n",
                escape_html(&f.tex)
            ),
        };
        f.node.data.borrow_mut().value = NodeValue::Raw(html);
    }
}

/// ```` ```math ````: a formula, not code.
fn is_math_fence(info: &str) -> bool {
    info.split_whitespace().next() == Some("math")
}

#[derive(Default)]
struct IdAllocator {
    used: HashMap<String, usize>,
}

impl IdAllocator {
    fn next(&mut self, text: &str) -> String {
        let base = slugify(text);
        if !self.used.contains_key(&base) {
            self.used.insert(base.clone(), 0);
            return base;
        }
        let mut n = self.used[&base];
        let id = loop {
            n += 1;
            let candidate = format!("{base}-{n}");
            if !self.used.contains_key(&candidate) {
                break candidate;
            }
        };
        self.used.insert(base, n);
        self.used.insert(id.clone(), 0);
        id
    }
}

/// Writes `<hN id="…">` with the ids computed at load time, in document order.
struct HeadingIds {
    ids: Mutex<VecDeque<String>>,
}

impl HeadingAdapter for HeadingIds {
    fn enter(
        &self,
        out: &mut dyn Write,
        h: &HeadingMeta,
        _pos: Option<Sourcepos>,
    ) -> io::Result<()> {
        let id = self
            .ids
            .lock()
            .ok()
            .and_then(|mut q| q.pop_front())
            .unwrap_or_default();
        write!(out, "<h{} id=\"{}\">", h.level, escape_attr(&id))?;
        if !id.is_empty() {
            write!(out, "<a class=\"heading-anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>", escape_attr(&id))?;
        }
        Ok(())
    }

    fn exit(&self, out: &mut dyn Write, h: &HeadingMeta) -> io::Result<()> {
        writeln!(out, "</h{}>", h.level)
    }
}

/// Links glossary terms in a page's Markdown: implemented by the glossary, so that the renderer
/// does not depend on it.
pub trait TermLinker {
    /// The term named by a `glossary:` link.
    fn index_of(&self, slug: &str) -> Option<usize>;
    /// Links terms in the document, returning the terms it linked.
    fn link<'a>(&self, arena: &'a Arena<AstNode<'a>>, root: &'a AstNode<'a>) -> Vec<usize>;
}

/// `<!-- glossary: off -->` and `<!-- glossary: on -->` bracket regions that are not linked.
pub fn directive(html: &str) -> Option<bool> {
    let inner = html.trim().strip_prefix("<!--")?.strip_suffix("-->")?;
    let compact: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
    match compact.as_str() {
        "glossary:off" => Some(false),
        "glossary:on" => Some(true),
        _ => None,
    }
}

/// A node made by accord rather than parsed (it has no source position, which also tells it
/// apart from the editor's raw HTML).
pub fn new_node<'a>(arena: &'a Arena<AstNode<'a>>, value: NodeValue) -> &'a AstNode<'a> {
    arena.alloc(Node::new(std::cell::RefCell::new(Ast::new(
        value,
        LineColumn { line: 0, column: 0 },
    ))))
}

/// Rust code without rustdoc's hidden lines (`# ` in front, or a lone `#`); `##` stands for a
/// line that really starts with `#`.
fn hide_rustdoc_lines(code: &str) -> String {
    code.split_inclusive('\n')
        .filter_map(|line| {
            let t = line.trim_start();
            if t.starts_with("##") {
                Some(line.replacen("##", "#", 1))
            } else if t == "#\n" || t == "#" || t.starts_with("# ") {
                None
            } else {
                Some(line.to_string())
            }
        })
        .collect()
}

/// Raw HTML that starts with a comment: an editor's note (or a directive), never published.
fn is_comment(html: &str) -> bool {
    html.trim_start().starts_with("<!--")
}

/// `html` without its `<!-- … -->` comments (an unclosed one runs to the end, as in browsers).
fn strip_comments(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        rest = match rest[start + 4..].find("-->") {
            Some(end) => &rest[start + 4 + end + 3..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// Removes HTML comments from the document: editors' notes stay private. What follows a
/// comment in the same raw HTML block is kept, as text unless raw HTML is allowed.
fn drop_comments<'a>(arena: &'a Arena<AstNode<'a>>, root: &'a AstNode<'a>, html: HtmlPolicy) {
    let allow_html = html.renders_html();
    let nodes: Vec<_> = root.descendants().collect();
    for node in nodes {
        let mut data = node.data.borrow_mut();
        let remains = match &mut data.value {
            NodeValue::HtmlInline(h) if is_comment(h) => strip_comments(h),
            NodeValue::HtmlBlock(b) if is_comment(&b.literal) => strip_comments(&b.literal),
            _ => continue,
        };
        drop(data);
        let mut data = node.data.borrow_mut();
        match &mut data.value {
            _ if remains.trim().is_empty() => {
                drop(data);
                node.detach();
            }
            NodeValue::HtmlInline(h) if allow_html => *h = remains,
            NodeValue::HtmlBlock(b) if allow_html => b.literal = remains,
            NodeValue::HtmlInline(_) => data.value = NodeValue::Text(remains),
            _ => {
                // Without `allow-html`, raw HTML after a comment is shown as text like any other.
                data.value = NodeValue::Paragraph;
                drop(data);
                node.append(new_node(arena, NodeValue::Text(remains.trim().to_string())));
            }
        }
    }
}

/// What rendering needs that is costly to make (loading grammars takes milliseconds): made once
/// per build and shared by every page.
#[derive(Default)]
pub struct Tools {
    pub highlighter: Highlighter,
    pub sanitizer: Sanitizer,
    /// What accord writes into page content itself, in the page's language.
    pub labels: Labels,
}

/// The words accord adds to a page's content: callout titles the editor did not set, and the
/// names of task-list boxes.
#[derive(Clone, Debug)]
pub struct Labels {
    pub note: String,
    pub tip: String,
    pub important: String,
    pub warning: String,
    pub caution: String,
    pub task_done: String,
    pub task_todo: String,
}

impl Default for Labels {
    fn default() -> Labels {
        Labels::from_messages(&crate::messages::Messages::default())
    }
}

impl Labels {
    /// The labels in the messages' language (English where a message is missing).
    pub fn from_messages(m: &crate::messages::Messages) -> Labels {
        let get = |key: &str, english: &str| {
            let t = m.text(key);
            if t == key {
                english.to_string()
            } else {
                t
            }
        };
        Labels {
            note: get("callout_note", "Note"),
            tip: get("callout_tip", "Tip"),
            important: get("callout_important", "Important"),
            warning: get("callout_warning", "Warning"),
            caution: get("callout_caution", "Caution"),
            task_done: get("task_done", "Done"),
            task_todo: get("task_todo", "To do"),
        }
    }

    /// The default title of a callout of this kind.
    fn callout(&self, kind: AlertType) -> &str {
        match kind {
            AlertType::Note => &self.note,
            AlertType::Tip => &self.tip,
            AlertType::Important => &self.important,
            AlertType::Warning => &self.warning,
            AlertType::Caution => &self.caution,
        }
    }
}

/// Everything rendering one page needs besides its Markdown.
pub struct RenderInput<'r> {
    pub body: &'r str,
    pub headings: &'r [Heading],
    pub html: HtmlPolicy,
    pub tools: &'r Tools,
    /// Rewrites a link destination to its final href (links were checked at resolve time).
    pub rewrite_link: &'r dyn Fn(&str) -> String,
    pub glossary: Option<&'r dyn TermLinker>,
}

pub fn render(input: &RenderInput<'_>) -> Rendered {
    let arena = Arena::new();
    let opts = options();
    let (root, _) = parse(&arena, input.body);
    // The ids were taken at load time (`input.headings`); only the attribute text goes.
    strip_heading_attributes(root);
    let mut terms_used = Vec::new();

    let nodes: Vec<_> = root.descendants().collect();
    for node in nodes {
        let mut data = node.data.borrow_mut();
        match &mut data.value {
            NodeValue::Link(l) | NodeValue::Image(l) => {
                if let Some(term) = l
                    .url
                    .strip_prefix("glossary:")
                    .and_then(|t| input.glossary?.index_of(t))
                {
                    terms_used.push(term);
                }
                l.url = (input.rewrite_link)(&l.url);
            }
            // rustdoc's hidden lines (`# use std::io;`) are for the compiler, not the reader: mdBook
            // hides them in Rust code, and so does accord.
            NodeValue::CodeBlock(c) if c.info.split([',', ' ']).next() == Some("rust") => {
                c.literal = hide_rustdoc_lines(&c.literal);
            }
            // Comments are dropped after glossary linking, which reads its directives from them.
            NodeValue::HtmlInline(h) if is_comment(h) => {}
            NodeValue::HtmlBlock(b) if is_comment(&b.literal) => {}
            NodeValue::HtmlInline(h) if is_bare_anchor(h) => {}
            NodeValue::HtmlBlock(b) if is_bare_anchor(&b.literal) => {}
            NodeValue::HtmlInline(h) if !input.html.renders_html() => {
                let text = std::mem::take(h);
                data.value = NodeValue::Text(text);
            }
            NodeValue::HtmlBlock(b) if !input.html.renders_html() => {
                let text = std::mem::take(&mut b.literal);
                data.value = NodeValue::Paragraph;
                drop(data);
                node.append(new_node(
                    &arena,
                    NodeValue::Text(text.trim_end().to_string()),
                ));
            }
            _ => {}
        }
    }

    match input.glossary {
        Some(linker) => terms_used.extend(linker.link(&arena, root)),
        None => {
            let directives: Vec<_> = root
                .children()
                .filter(|b| matches!(&b.data.borrow().value, NodeValue::HtmlBlock(h) if directive(&h.literal).is_some()))
                .collect();
            directives.into_iter().for_each(|b| b.detach());
        }
    }
    terms_used.sort_unstable();
    terms_used.dedup();
    drop_comments(&arena, root, input.html);
    if input.html == HtmlPolicy::Safe {
        sanitize_raw_html(root, &input.tools.sanitizer);
    }

    let sections = sections(root, input.headings);
    render_formulas(root);
    tables::wrap_data_tables(&arena, root, input.headings);
    let adapter = HeadingIds {
        ids: Mutex::new(input.headings.iter().map(|h| h.id.clone()).collect()),
    };
    let mut plugins = Plugins::default();
    plugins.render.heading_adapter = Some(&adapter);
    plugins.render.codefence_syntax_highlighter = Some(&input.tools.highlighter);
    let mut html = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = Formatter::format_document_with_plugins(root, &opts, &mut html, &plugins);
    Rendered {
        html: localized_callouts(
            &accessible_task_boxes(&String::from_utf8_lossy(&html), &input.tools.labels),
            &input.tools.labels,
        ),
        sections,
        terms_used,
    }
}

/// The editor's raw HTML (nodes with a source position; accord's own markup has none), cleaned
/// as one document so that an element opened before Markdown and closed after it stays whole.
fn sanitize_raw_html<'a>(root: &'a AstNode<'a>, sanitizer: &Sanitizer) {
    let raw: Vec<_> = root
        .descendants()
        .filter(|n| {
            let data = n.data.borrow();
            data.sourcepos.start.line > 0
                && matches!(
                    data.value,
                    NodeValue::HtmlBlock(_) | NodeValue::HtmlInline(_)
                )
        })
        .collect();
    if raw.is_empty() {
        return;
    }
    let literals: Vec<String> = raw
        .iter()
        .map(|n| match &n.data.borrow().value {
            NodeValue::HtmlBlock(b) => b.literal.clone(),
            NodeValue::HtmlInline(h) => h.clone(),
            _ => String::new(),
        })
        .collect();
    let pieces: Vec<&str> = literals.iter().map(String::as_str).collect();
    let cleaned = sanitizer.clean_pieces(&pieces);
    // Markdown that stood inside something dropped goes with it, where the pieces around it are
    // siblings (an inline `<script>…</script>`; a `<textarea>`, blank lines, Markdown, its end).
    for &gap in &cleaned.lost {
        let (before, after) = (raw[gap - 1], raw[gap]);
        let siblings = match (before.parent(), after.parent()) {
            (Some(a), Some(b)) => std::ptr::eq(a, b),
            _ => false,
        };
        if siblings {
            let mut cursor = before.next_sibling();
            while let Some(node) = cursor {
                if std::ptr::eq(node, after) {
                    break;
                }
                cursor = node.next_sibling();
                node.detach();
            }
        }
    }
    for (node, clean) in raw.into_iter().zip(cleaned.pieces) {
        if clean.trim().is_empty() {
            node.detach();
            continue;
        }
        match &mut node.data.borrow_mut().value {
            NodeValue::HtmlBlock(b) => b.literal = clean,
            NodeValue::HtmlInline(h) => *h = clean,
            _ => {}
        }
    }
}

// accord's HTML for the nodes it renders differently from comrak: alerts as callouts, key–value
// tables as definition lists (see `tables`). Everything else is comrak's (formulas are raw
// MathML by then).
comrak::create_formatter!(Formatter, {
    NodeValue::Table(_) => |context, node, entering| {
        return tables::format(context, node, entering);
    },
    NodeValue::TableRow(_) => |context, node, entering| {
        return tables::format(context, node, entering);
    },
    NodeValue::TableCell => |context, node, entering| {
        return tables::format(context, node, entering);
    },
    NodeValue::Alert(ref alert) => |context, entering| {
        if entering {
            let title = alert
                .title
                .clone()
                .unwrap_or_else(|| alert.alert_type.default_title());
            context.cr()?;
            context.write_all(callout_open(alert.alert_type, &title).as_bytes())?;
        } else {
            context.cr()?;
            context.write_all(b"</aside>\n")?;
        }
    },
});

/// The opening of a callout: a note (its role) named by its title, which it also shows.
fn callout_open(kind: AlertType, title: &str) -> String {
    let class = match kind {
        AlertType::Note => "note",
        AlertType::Tip => "tip",
        AlertType::Important => "important",
        AlertType::Warning => "warning",
        AlertType::Caution => "caution",
    };
    format!(
        "<aside class=\"callout callout-{class}\" role=\"note\" aria-label=\"{}\">\n<p class=\"callout-title\">{}</p>\n",
        escape_attr(title),
        escape_html(title)
    )
}

/// Task-list items render as disabled checkboxes with no label, which screen readers announce as
/// an unnamed control; a symbol with a text name reads well and prints as a box to tick.
fn accessible_task_boxes(html: &str, labels: &Labels) -> String {
    if !html.contains("<input type=\"checkbox\"") {
        return html.to_string();
    }
    html.replace(
        "<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
        &format!(
            "<span class=\"task task-done\" role=\"img\" aria-label=\"{}\">☑</span>",
            escape_attr(&labels.task_done)
        ),
    )
    .replace(
        "<input type=\"checkbox\" disabled=\"\" />",
        &format!(
            "<span class=\"task\" role=\"img\" aria-label=\"{}\">☐</span>",
            escape_attr(&labels.task_todo)
        ),
    )
}

/// comrak names a callout without a title of its own in English ("Note"): in the page's
/// language instead.
fn localized_callouts(html: &str, labels: &Labels) -> String {
    if !html.contains("<aside class=\"callout") {
        return html.to_string();
    }
    let mut out = html.to_string();
    for kind in [
        AlertType::Note,
        AlertType::Tip,
        AlertType::Important,
        AlertType::Warning,
        AlertType::Caution,
    ] {
        let english = kind.default_title();
        let ours = labels.callout(kind);
        if english != ours {
            out = out.replace(&callout_open(kind, &english), &callout_open(kind, ours));
        }
    }
    out
}

/// Splits the page's text at its headings.
fn sections<'a>(root: &'a AstNode<'a>, headings: &[Heading]) -> Vec<SectionText> {
    let mut out = vec![SectionText {
        anchor: String::new(),
        heading: String::new(),
        text: String::new(),
    }];
    let mut next_heading = headings.iter();
    for block in root.children() {
        if matches!(block.data.borrow().value, NodeValue::Heading(_)) {
            let h = next_heading.next();
            let mut text = String::new();
            collect_text(block, &mut text);
            out.push(SectionText {
                anchor: h.map(|h| h.id.clone()).unwrap_or_default(),
                heading: text.trim().to_string(),
                text: String::new(),
            });
        } else if let Some(current) = out.last_mut() {
            let mut text = String::new();
            collect_block_text(block, &mut text);
            if !current.text.is_empty() {
                current.text.push(' ');
            }
            current.text.push_str(text.trim());
        }
    }
    out.retain(|s| !(s.heading.is_empty() && s.text.is_empty()));
    out
}

/// Like [`collect_text`], but keeps words of separate blocks apart.
fn collect_block_text<'a>(node: &'a AstNode<'a>, out: &mut String) {
    let is_block = node.data.borrow().value.block();
    match &node.data.borrow().value {
        NodeValue::Text(t) => out.push_str(t),
        NodeValue::Code(c) => out.push_str(&c.literal),
        NodeValue::CodeBlock(c) => out.push_str(&c.literal),
        NodeValue::Math(m) => out.push_str(&m.literal),
        NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
        // accord's own markup (glossary tooltips) is not page text.
        NodeValue::HtmlInline(_) => return,
        _ => {}
    }
    for child in node.children() {
        collect_block_text(child, out);
    }
    if is_block {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(body: &str) -> Rendered {
        let a = analyze(body).unwrap();
        render(&RenderInput {
            body,
            headings: &a.headings,
            html: HtmlPolicy::Text,
            tools: &Tools::default(),
            rewrite_link: &|u| u.to_string(),
            glossary: None,
        })
    }

    #[test]
    fn an_opening_heading_read_alone_gives_the_title_the_whole_document_gives() {
        let bodies = [
            "# Running `mdbook` *fast*\n\nText.\n",
            "\n\n   # Indented three {#custom-id .class}\n\nText.\n",
            "# Closing hashes ##\nText.\n",
            "#\n\n# Second\n",
            "# [Linked][ref]\n\n[ref]: https://example.org\n",
            "# A footnote[^1]\n\n[^1]: Note.\n",
            "#hashtag is no heading\n\n# Real\n",
            "## Second level first\n\n# First level later\n",
            "Setext\n======\n\n# Later\n",
            "    # indented code\n\n# Title\n",
            "# Entities &amp; <b>html</b> \\# escaped\n",
            "# \u{00e9}t\u{00e9} \u{2014} caf\u{00e9}\n",
        ];
        for body in bodies {
            assert_eq!(first_heading(body), title_in_document(body), "for {body:?}");
        }
        assert_eq!(
            first_heading("# Running `mdbook` *fast*\n"),
            Some(("Running mdbook fast".to_string(), (1, 1)))
        );
    }

    #[test]
    fn slugs_fold_accents_and_punctuation() {
        assert_eq!(
            slugify("Roles and responsibilities"),
            "roles-and-responsibilities"
        );
        assert_eq!(
            slugify("São Tomé — Article 10(2)!"),
            "sao-tome-article-10-2"
        );
        assert_eq!(slugify("???"), "section");
    }

    #[test]
    fn repeated_headings_get_unique_ids() {
        let a = analyze("## Scope\n\n## Scope\n\n### Scope-1\n").unwrap();
        let ids: Vec<_> = a.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["scope", "scope-1", "scope-1-1"]);
    }

    #[test]
    fn links_carry_body_positions() {
        let a = analyze("Intro\n\nSee [x](a.md#b) and ![](img.png)\n").unwrap();
        assert_eq!(a.links[0].url, "a.md#b");
        assert_eq!((a.links[0].line, a.links[0].col), (3, 5));
        assert!(a.links[1].is_image);
        assert_eq!(a.links[1].text, "");
    }

    #[test]
    fn headings_get_ids_and_gfm_extensions_render() {
        let r = plain("## Hello World\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ [^1]\n\n- [x] done\n\nTerm\n: Details\n\n[^1]: Note.\n");
        assert!(r.html.contains("<h2 id=\"hello-world\">"), "{}", r.html);
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("footnote"));
        assert!(
            r.html.contains("aria-label=\"Done\">☑</span> done"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<input"));
        assert!(r.html.contains("<dl>"));
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let r = plain("Hi <script>alert(1)</script>\n\n<div onclick=\"x\">block</div>\n");
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(r.html.contains("&lt;div onclick"));
    }

    #[test]
    fn sections_split_at_headings() {
        let r = plain(
            "Intro text.\n\n## First\n\nOne *two*.\n\n- three\n- four\n\n## Second\n\nFive\n",
        );
        assert_eq!(r.sections.len(), 3);
        assert_eq!(r.sections[0].text, "Intro text.");
        assert_eq!(r.sections[1].anchor, "first");
        assert!(r.sections[1].text.contains("One two."));
        assert!(r.sections[1].text.contains("three"));
        assert_eq!(r.sections[2].heading, "Second");
    }

    fn with(body: &str, html: HtmlPolicy) -> (Rendered, Analysis) {
        let a = analyze(body).unwrap();
        let r = render(&RenderInput {
            body,
            headings: &a.headings,
            html,
            tools: &Tools::default(),
            rewrite_link: &|u| u.to_string(),
            glossary: None,
        });
        (r, a)
    }

    #[test]
    fn alerts_are_callouts_named_by_their_title() {
        for (kind, class, title) in [
            ("NOTE", "note", "Note"),
            ("TIP", "tip", "Tip"),
            ("IMPORTANT", "important", "Important"),
            ("WARNING", "warning", "Warning"),
            ("CAUTION", "caution", "Caution"),
            ("caution", "caution", "Caution"),
        ] {
            let r = plain(&format!("> [!{kind}]\n> Read *this*.\n"));
            assert_eq!(
                r.html,
                format!(
                    "<aside class=\"callout callout-{class}\" role=\"note\" aria-label=\"{title}\">\n\
                     <p class=\"callout-title\">{title}</p>\n<p>Read <em>this</em>.</p>\n</aside>\n"
                )
            );
        }
        assert_eq!(
            plain("> [!TIP] Before you <sign>\n> Read it.\n").html,
            "<aside class=\"callout callout-tip\" role=\"note\" aria-label=\"Before you &lt;sign&gt;\">\n\
             <p class=\"callout-title\">Before you &lt;sign&gt;</p>\n<p>Read it.</p>\n</aside>\n"
        );
        // Not an alert: an ordinary quote.
        assert_eq!(
            plain("> [!NOPE]\n> x\n").html,
            "<blockquote>\n<p>[!NOPE]\nx</p>\n</blockquote>\n"
        );
    }

    #[test]
    fn fenced_code_is_highlighted_by_language_with_classes() {
        assert_eq!(
            plain("```yaml\nkey: value # c\n```\n").html,
            "<pre><code class=\"language-yaml\"><span class=\"hl-tag\">key</span>: \
             <span class=\"hl-string\">value</span> <span class=\"hl-comment\"># c\n</span>\
             </code></pre>\n"
        );
        let r = plain("```rust\nfn main() { let s = \"<x>\"; } // done\n```\n");
        assert_eq!(
            r.html,
            "<pre><code class=\"language-rust\"><span class=\"hl-keyword\">fn</span> \
             <span class=\"hl-function\">main</span>() { <span class=\"hl-keyword\">let</span> s = \
             <span class=\"hl-string\">&quot;&lt;x&gt;&quot;</span>; } \
             <span class=\"hl-comment\">// done\n</span></code></pre>\n"
        );
        assert_eq!(
            plain("```no-such-language\n<x> & y\n```\n\n```\nplain\n```\n").html,
            "<pre><code class=\"language-no-such-language\">&lt;x&gt; &amp; y\n</code></pre>\n\
             <pre><code>plain\n</code></pre>\n"
        );
    }

    #[test]
    fn math_becomes_mathml_without_losing_characters() {
        let x2 = "<semantics><msup><mi>x</mi><mn>2</mn></msup>\
                  <annotation encoding=\"application/x-tex\">x^2</annotation></semantics></math>";
        let thin = "<semantics><mrow><mi>a</mi><mspace width=\"0.16666667em\"/><mi>b</mi></mrow>\
                    <annotation encoding=\"application/x-tex\">a\\,b</annotation></semantics></math>";
        // GitHub's dollars: inline, display; `\,` reaches TeX.
        assert_eq!(
            plain("Inline $a\\,b$ and $$x^2$$.\n").html,
            format!("<p>Inline <math>{thin} and <math display=\"block\">{x2}.</p>\n")
        );
        // mdBook's delimiters, with `\,` written once (kept) or twice (mdBook's way).
        assert_eq!(
            plain("See \\\\(a\\,b\\\\) and \\\\(a\\\\,b\\\\).\n").html,
            format!("<p>See <math>{thin} and <math>{thin}.</p>\n")
        );
        assert_eq!(
            plain("\\\\[\nx^2\n\\\\]\n").html,
            format!("<p><math display=\"block\">{x2}</p>\n")
        );
        assert_eq!(
            plain("```math\nx^2\n```\n").html,
            format!("<math display=\"block\">{x2}\n")
        );
        // Not math: code, prices, a lone escaped parenthesis.
        assert_eq!(
            plain("`$x^2$` and `\\\\(x\\\\)`, $5 and $10, \\(x\\).\n\n```\n$x$\n```\n").html,
            "<p><code>$x^2$</code> and <code>\\\\(x\\\\)</code>, $5 and $10, (x).</p>\n\
             <pre><code>$x$\n</code></pre>\n"
        );
        // comrak reads dollars before code spans: a price before code with a dollar in it
        // would open a formula that runs into the code. Such text stays text, every character.
        let (r, a) = with("Pay $10 or run `$x$` now.\n", HtmlPolicy::Text);
        assert_eq!(r.html, "<p>Pay $10 or run `$x$` now.</p>\n");
        assert_eq!(
            a.math_errors,
            [MathError {
                line: 1,
                col: 5,
                message:
                    "this `$` opens a formula that runs into code, so the text is shown as written"
                        .into()
            }]
        );
        assert!(analyze("$x$ and \\\\(y\\\\)")
            .unwrap()
            .math_errors
            .is_empty());
        // Markup between the delimiters: left as it was.
        assert_eq!(
            plain("\\\\(a *b* c\\\\)\n").html,
            "<p>\\(a <em>b</em> c\\)</p>\n"
        );
    }

    #[test]
    fn openers_that_never_close_stay_fast() {
        let start = std::time::Instant::now();
        for body in ["\\\\( a ".repeat(30_000), "\\\\[ a *b* ".repeat(6_000)] {
            let r = plain(&body);
            assert!(r.html.starts_with("<p>\\"), "{}", &r.html[..40]);
        }
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }

    #[test]
    fn invalid_tex_shows_its_source_and_is_reported_where_it_is() {
        let (r, a) = with(
            "Text\n\nBad $\\frac{1}{$ and \\\\(\\nope\\\\).\n",
            HtmlPolicy::Text,
        );
        assert_eq!(
            r.html,
            "<p>Text</p>\n<p>Bad <code class=\"math-error\">\\frac{1}{</code> and \
             <code class=\"math-error\">\\nope</code>.</p>\n"
        );
        assert_eq!(
            a.math_errors,
            [
                MathError {
                    line: 3,
                    col: 5,
                    message: "Expected closing token \"}\", but reached end of input.".into()
                },
                MathError {
                    line: 3,
                    col: 21,
                    message: "Unknown command \"\\nope\".".into()
                },
            ]
        );
    }

    #[test]
    fn safe_html_keeps_harmless_markup_around_markdown() {
        let body = "<details>\n<summary>More</summary>\n\nSome *text*.\n\n</details>\n\n\
                    Press <kbd>Ctrl</kbd> <a id=\"c-case\"></a><a href=\"javascript:x\" onclick=\"y\">z</a>\
                    <!-- note --><img src=\"https://example.org/x.png\" alt=\"x\">\n\n\
                    <div class=\"box\" style=\"color:red\"><script>alert(1)</script>\n\nInside.\n\n</div>\n";
        let (r, _) = with(body, HtmlPolicy::Safe);
        assert_eq!(
            r.html,
            "<details>\n<summary>More</summary>\n<p>Some <em>text</em>.</p>\n</details>\n\
             <p>Press <kbd>Ctrl</kbd> <a id=\"c-case\"></a><a>z</a><img alt=\"x\"></p>\n\
             <div class=\"box\">\n<p>Inside.</p>\n</div>\n"
        );
        // Trusted HTML is published as written, comments still dropped.
        let (r, _) = with("<b onclick=\"x\">b</b><!-- note -->\n", HtmlPolicy::Trusted);
        assert_eq!(r.html, "<p><b onclick=\"x\">b</b></p>\n");
    }
}
