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
use comrak::nodes::{Ast, AstNode, LineColumn, NodeValue, Sourcepos};
use comrak::{parse_document, Arena, Options, Plugins};

use crate::html::escape_attr;

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

/// What the load stage learns from a page's Markdown.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub words: usize,
    /// Link targets besides headings: `id`s in raw HTML and `<a name>`.
    pub anchors: Vec<String>,
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
        for (col, c) in line.char_indices() {
            if matches!(c, '*' | '_' | '~' | '[' | '!') {
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
    // Raw HTML from content is turned into text before rendering (unless allowed); what remains
    // as HTML nodes at render time is accord's own markup.
    o.render.unsafe_ = true;
    o
}

pub use crate::slug::slugify;

/// Text of a node and its descendants, as a reader sees it.
pub fn collect_text<'a>(node: &'a AstNode<'a>, out: &mut String) {
    for n in node.descendants() {
        match &n.data.borrow().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::CodeBlock(c) => out.push_str(&c.literal),
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
    let mut text = String::new();
    collect_text(node, &mut text);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let pos = node.data.borrow().sourcepos;
    (!text.is_empty()).then_some((text, (pos.start.line, pos.end.line)))
}

/// Headings, links and word count of a page body; `Err` when it nests deeper than accord
/// renders (see [`MAX_NESTING`]).
pub fn analyze(body: &str) -> Result<Analysis, TooDeep> {
    if let Some(deep) = too_deep_blocks(body) {
        return Err(deep);
    }
    let arena = Arena::new();
    let opts = options();
    let root = parse_document(&arena, body, &opts);
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
    let mut analysis = Analysis::default();
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
    Ok(analysis)
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

/// A node made by accord rather than parsed (it has no source position).
pub fn new_node<'a>(arena: &'a Arena<AstNode<'a>>, value: NodeValue) -> &'a AstNode<'a> {
    arena.alloc(Node::new(std::cell::RefCell::new(Ast::new(
        value,
        LineColumn { line: 0, column: 0 },
    ))))
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
fn drop_comments<'a>(arena: &'a Arena<AstNode<'a>>, root: &'a AstNode<'a>, allow_html: bool) {
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

/// Everything rendering one page needs besides its Markdown.
pub struct RenderInput<'r> {
    pub body: &'r str,
    pub headings: &'r [Heading],
    pub allow_html: bool,
    /// Rewrites a link destination to its final href (links were checked at resolve time).
    pub rewrite_link: &'r dyn Fn(&str) -> String,
    pub glossary: Option<&'r dyn TermLinker>,
}

pub fn render(input: &RenderInput<'_>) -> Rendered {
    let arena = Arena::new();
    let opts = options();
    let root = parse_document(&arena, input.body, &opts);
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
            // Comments are dropped after glossary linking, which reads its directives from them.
            NodeValue::HtmlInline(h) if is_comment(h) => {}
            NodeValue::HtmlBlock(b) if is_comment(&b.literal) => {}
            NodeValue::HtmlInline(h) if is_bare_anchor(h) => {}
            NodeValue::HtmlBlock(b) if is_bare_anchor(&b.literal) => {}
            NodeValue::HtmlInline(h) if !input.allow_html => {
                let text = std::mem::take(h);
                data.value = NodeValue::Text(text);
            }
            NodeValue::HtmlBlock(b) if !input.allow_html => {
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
    drop_comments(&arena, root, input.allow_html);

    let sections = sections(root, input.headings);
    let adapter = HeadingIds {
        ids: Mutex::new(input.headings.iter().map(|h| h.id.clone()).collect()),
    };
    let mut plugins = Plugins::default();
    plugins.render.heading_adapter = Some(&adapter);
    let mut html = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = comrak::format_html_with_plugins(root, &opts, &mut html, &plugins);
    Rendered {
        html: accessible_task_boxes(&String::from_utf8_lossy(&html)),
        sections,
        terms_used,
    }
}

/// Task-list items render as disabled checkboxes with no label, which screen readers announce as
/// an unnamed control; a symbol with a text name reads well and prints as a box to tick.
fn accessible_task_boxes(html: &str) -> String {
    if !html.contains("<input type=\"checkbox\"") {
        return html.to_string();
    }
    html.replace(
        "<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
        "<span class=\"task task-done\" role=\"img\" aria-label=\"Done\">☑</span>",
    )
    .replace(
        "<input type=\"checkbox\" disabled=\"\" />",
        "<span class=\"task\" role=\"img\" aria-label=\"To do\">☐</span>",
    )
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
            allow_html: false,
            rewrite_link: &|u| u.to_string(),
            glossary: None,
        })
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
}
