//! Math: TeX rendered to MathML at build time, so formulas need no script and work offline.
//!
//! Three spellings are read:
//! - `$…$` and `$$…$$` (GitHub, Pandoc), and ```` ```math ```` blocks: comrak's math extensions,
//!   whose contents are never read as Markdown, so every backslash reaches TeX as written;
//! - mdBook's `\\( … \\)` and `\\[ … \\]`: comrak reads those as ordinary text, so
//!   [`mdbook_delimiters`] finds them in the tree and turns them into math nodes, taking the
//!   source between the delimiters as it was written (see [`mdbook_source`]).
//!
//! MathML Core is what browsers render natively (Chromium, Firefox, Safari), with no font or
//! stylesheet to ship. Each formula keeps its TeX source in an `<annotation>`, for screen readers
//! that prefer it and for copying.

use comrak::arena_tree::Node;
use comrak::nodes::{Ast, AstNode, LineColumn, NodeMath, NodeValue};
use comrak::Arena;
use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

/// How deep groups, environments and commands may nest in a formula, like
/// [`crate::markdown::MAX_NESTING`] for Markdown: the TeX parser recurses on them. Real formulas
/// stay below ten.
pub const MAX_MATH_NESTING: usize = 50;

/// The longest formula rendered, in bytes: a bound on how deep the TeX parser can recurse on
/// nesting that [`too_deep`] does not see.
pub const MAX_FORMULA_BYTES: usize = 16 * 1024;

/// Stack of the thread that renders formulas: the TeX parser recurses about one frame a level
/// (about 2 KB in a release build), so this holds [`MAX_FORMULA_BYTES`] levels many times over.
const MATH_STACK: usize = 64 * 1024 * 1024;

/// Formulas as MathML (or why each cannot be rendered), on a thread with a stack deep enough
/// for any formula accord accepts. A page's formulas share one thread. A panic of the TeX
/// parser fails that page's formulas, which then show their source, not the build.
pub fn to_mathml_all(formulas: &[(&str, bool)]) -> Vec<Result<String, String>> {
    if formulas.is_empty() {
        return Vec::new();
    }
    let all_failed = |why: &str| formulas.iter().map(|_| Err(why.to_string())).collect();
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("accord-math".into())
            .stack_size(MATH_STACK)
            .spawn_scoped(scope, || {
                formulas
                    .iter()
                    .map(|(tex, display)| to_mathml(tex, *display))
                    .collect()
            });
        match worker {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|_| all_failed("the TeX renderer failed on this page")),
            Err(e) => all_failed(&format!("no thread to render it: {e}")),
        }
    })
}

/// A formula as MathML, or why it cannot be rendered. Call it through [`to_mathml_all`], whose
/// thread has the stack the parser may need.
fn to_mathml(tex: &str, display: bool) -> Result<String, String> {
    if tex.len() > MAX_FORMULA_BYTES {
        return Err(format!(
            "the formula is {} bytes long, more than {MAX_FORMULA_BYTES}",
            tex.len()
        ));
    }
    if let Some(depth) = too_deep(tex) {
        return Err(format!(
            "the formula nests {depth} levels deep, more than {MAX_MATH_NESTING}"
        ));
    }
    let config = MathCoreConfig {
        annotation: true,
        ..Default::default()
    };
    // Without custom macros, making a converter cannot fail and costs next to nothing.
    let converter = LatexToMathML::new(config).map_err(|(e, _, _)| e.error_message())?;
    let mode = if display {
        MathDisplay::Block
    } else {
        MathDisplay::Inline
    };
    let mathml = converter
        .convert_with_local_state(tex, mode)
        .map_err(|e| e.error_message())?
        .mathml;
    vouch(&mathml)?;
    Ok(mathml)
}

/// Elements a formula may hold: MathML, and the HTML math-core writes for text in a formula
/// (`\textbf`, `\emph`, `\texttt`, links).
const ELEMENTS: &[&str] = &[
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "msub",
    "msup",
    "msubsup",
    "munder",
    "mover",
    "munderover",
    "mmultiscripts",
    "mprescripts",
    "none",
    "mfrac",
    "msqrt",
    "mroot",
    "mstyle",
    "merror",
    "mpadded",
    "mphantom",
    "mtable",
    "mtr",
    "mtd",
    "menclose",
    "a",
    "span",
    "b",
    "i",
    "em",
    "code",
    "u",
    "s",
];

const ATTRIBUTES: &[&str] = &[
    "accent",
    "accentunder",
    "class",
    "display",
    "displaystyle",
    "encoding",
    "form",
    "height",
    "href",
    "id",
    "largeop",
    "linethickness",
    "lspace",
    "mathvariant",
    "maxsize",
    "minsize",
    "movablelimits",
    "notation",
    "rspace",
    "scriptlevel",
    "stretchy",
    "style",
    "symmetric",
    "title",
    "width",
    "columnalign",
    "rowalign",
    "columnspan",
    "rowspan",
    "columnlines",
    "rowlines",
    "columnspacing",
    "rowspacing",
    "frame",
    "voffset",
    "depth",
    "dir",
];

/// Checks that the MathML holds only the elements and attributes a formula should, with safe
/// links and plain styles. math-core escapes the text it copies from TeX, but not everywhere
/// (0.7 copies `\operatorname{…}` as it is): whatever slips through must not put a script, an
/// event handler or another site's resource into the page.
fn vouch(mathml: &str) -> Result<(), String> {
    use html5gum::{Token, Tokenizer};
    let refuse = |what: String| Err(format!("the formula would write {what} into the page"));
    // Elements must also nest properly: a stray `<b>` would break out of the formula.
    let mut open: Vec<String> = Vec::new();
    for token in Tokenizer::new(mathml) {
        let token = match token {
            Ok(t) => t,
            Err(never) => match never {},
        };
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name);
                if !ELEMENTS.contains(&name.as_ref()) {
                    return refuse(format!("a `<{name}>` element"));
                }
                for (key, value) in &tag.attributes {
                    let key = String::from_utf8_lossy(key);
                    let value = String::from_utf8_lossy(value);
                    let safe = match key.as_ref() {
                        "href" => matches!(
                            crate::safe_url::classify(&value),
                            Ok(crate::safe_url::UrlKind::Relative
                                | crate::safe_url::UrlKind::Absolute(_))
                        ),
                        // Colours and font variants; nothing that loads or escapes (`url(`).
                        "style" => value
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || " #:;.,%-".contains(c)),
                        k => ATTRIBUTES.contains(&k),
                    };
                    if !safe {
                        return refuse(format!("the attribute `{key}=\"{value}\"`"));
                    }
                }
                if !tag.self_closing {
                    open.push(name.into_owned());
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name);
                if open.pop().as_deref() != Some(name.as_ref()) {
                    return refuse(format!("a `</{name}>` end tag out of place"));
                }
            }
            Token::String(_) => {}
            Token::Comment(_) | Token::Doctype(_) => return refuse("a comment or doctype".into()),
            Token::Error(e) => return refuse(format!("malformed markup ({})", *e)),
        }
    }
    match open.pop() {
        Some(name) => refuse(format!("a `<{name}>` element left open")),
        None => Ok(()),
    }
}

/// How deep a formula may nest, when deeper than [`MAX_MATH_NESTING`]: open groups (`{`, `[`,
/// `\left`, `\begin`) plus the current run of commands with only spaces between them, since a
/// command takes the next one as its argument (`\sqrt\sqrt\sqrt x`). An over-estimate for runs
/// of symbols (`\alpha\beta`), which stay far below the limit.
fn too_deep(tex: &str) -> Option<usize> {
    let (mut groups, mut run, mut max) = (0usize, 0usize, 0usize);
    let bytes = tex.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &tex[i..];
        let mut step = 1;
        if bytes[i] == b'\\' {
            let name = rest[1..]
                .bytes()
                .take_while(u8::is_ascii_alphabetic)
                .count();
            match &rest[1..1 + name] {
                // An escaped character (`\{`, `\,`) is a symbol, not a group.
                "" => step = 2,
                "left" | "begin" => groups += 1,
                "right" | "end" => groups = groups.saturating_sub(1),
                _ => {}
            }
            if name > 0 {
                run += 1;
                step = 1 + name;
            }
        } else if matches!(bytes[i], b'{' | b'[') {
            groups += 1;
        } else if matches!(bytes[i], b'}' | b']') {
            groups = groups.saturating_sub(1);
            run = 0;
        } else if !bytes[i].is_ascii_whitespace() {
            run = 0;
        }
        max = max.max(groups + run);
        i += step.min(bytes.len() - i);
    }
    (max > MAX_MATH_NESTING).then_some(max)
}

/// Whether a page's Markdown may hold mdBook math: the tree needs escaped characters kept apart
/// (comrak's `escaped_char_spans`) only then.
pub fn has_mdbook_delimiters(body: &str) -> bool {
    body.contains("\\\\(") || body.contains("\\\\[")
}

/// Whether `node` is an escaped character, and which (`\\` is written for a backslash).
fn is_escaped<'a>(node: &'a AstNode<'a>, c: Option<&str>) -> bool {
    if !matches!(node.data.borrow().value, NodeValue::Escaped) {
        return false;
    }
    let Some(child) = node.first_child() else {
        return false;
    };
    let data = child.data.borrow();
    match (&data.value, c) {
        (NodeValue::Text(t), Some(c)) => t == c,
        (NodeValue::Text(_), None) => true,
        _ => false,
    }
}

/// `\\` followed by text that starts with `c`: an mdBook delimiter.
fn delimiter_at<'a>(node: &'a AstNode<'a>, c: char) -> bool {
    is_escaped(node, Some("\\"))
        && node.next_sibling().is_some_and(
            |n| matches!(&n.data.borrow().value, NodeValue::Text(t) if t.starts_with(c)),
        )
}

/// Appends the Markdown source of an inline node that may appear inside a formula; `false` for
/// markup that cannot (emphasis, links): that text is then left as it is.
fn push_source<'a>(node: &'a AstNode<'a>, out: &mut String) -> bool {
    if is_escaped(node, None) {
        if let Some(child) = node.first_child() {
            if let NodeValue::Text(c) = &child.data.borrow().value {
                out.push('\\');
                out.push_str(c);
            }
        }
        return true;
    }
    match &node.data.borrow().value {
        NodeValue::Text(t) => out.push_str(t),
        NodeValue::SoftBreak | NodeValue::LineBreak => out.push('\n'),
        NodeValue::HtmlInline(h) => out.push_str(h),
        NodeValue::Code(c) => {
            let fence = "`".repeat(c.num_backticks.max(1));
            out.push_str(&fence);
            out.push_str(&c.literal);
            out.push_str(&fence);
        }
        _ => return false,
    }
    true
}

/// The TeX between mdBook delimiters, from its Markdown source. Backslashes are kept as written,
/// so `\,` and `\{` reach TeX. mdBook passes the text through Markdown first, so its books write
/// `\\,`, `\\{` and `\\\\` for TeX's `\,`, `\{` and `\\`: those read as mdBook reads them. A TeX
/// line break followed directly by punctuation (`\\[2pt]`) is the one spelling that reads
/// differently, as it does in mdBook.
pub fn mdbook_source(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix("\\\\\\\\") {
            out.push_str("\\\\");
            rest = after;
        } else if let Some(after) = rest.strip_prefix("\\\\") {
            match after.chars().next() {
                Some(c) if c.is_ascii_punctuation() && c != '\\' => {
                    out.push('\\');
                    out.push(c);
                    rest = &after[1..];
                }
                _ => {
                    out.push_str("\\\\");
                    rest = after;
                }
            }
        } else {
            out.push('\\');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Turns mdBook's `\\( … \\)` and `\\[ … \\]` into math nodes, within each run of inline
/// siblings. Needs a tree parsed with escaped characters kept apart; text inside code spans and
/// code blocks is never touched, since it is not text in the tree. Each sibling is looked at a
/// bounded number of times, so a paragraph of openers that never close stays fast.
pub fn mdbook_delimiters<'a>(arena: &'a Arena<AstNode<'a>>, root: &'a AstNode<'a>) {
    let parents: Vec<_> = root
        .descendants()
        .filter(|n| n.children().any(|c| is_escaped(c, Some("\\"))))
        .collect();
    for parent in parents {
        let siblings: Vec<_> = parent.children().collect();
        // For `(` and `[`: openers before this index find no closer (markup stands between).
        let mut fails_before = [0usize; 2];
        let mut i = 0;
        while i < siblings.len() {
            let kind = if delimiter_at(siblings[i], '(') {
                0
            } else if delimiter_at(siblings[i], '[') {
                1
            } else {
                i += 1;
                continue;
            };
            if i < fails_before[kind] {
                i += 1;
                continue;
            }
            let close_char = [')', ']'][kind];
            // The opener's text, less its `(`, then each sibling's source up to the closer.
            let mut raw = String::new();
            push_source(siblings[i + 1], &mut raw);
            raw.remove(0);
            let mut j = i + 2;
            let close = loop {
                let Some(node) = siblings.get(j) else {
                    break None;
                };
                if delimiter_at(node, close_char) {
                    break Some(j);
                }
                if !push_source(node, &mut raw) {
                    break None;
                }
                j += 1;
            };
            let Some(close) = close else {
                fails_before[kind] = j;
                i += 1;
                continue;
            };
            replace(arena, &siblings[i..=close + 1], &raw, kind == 1);
            i = close + 1;
        }
    }
}

/// Puts a math node in place of `nodes` (opener, text, …, closer, text after the closer),
/// keeping what follows the closing `)` or `]` in the last text.
fn replace<'a>(arena: &'a Arena<AstNode<'a>>, nodes: &[&'a AstNode<'a>], raw: &str, display: bool) {
    let (Some(first), Some(after)) = (nodes.first(), nodes.last()) else {
        return;
    };
    // At the opening delimiter, so a warning about the formula points there.
    let pos = first.data.borrow().sourcepos.start;
    let value = NodeValue::Math(NodeMath {
        dollar_math: true,
        display_math: display,
        literal: mdbook_source(raw.trim()),
    });
    let math = arena.alloc(Node::new(std::cell::RefCell::new(Ast::new(value, pos))));
    first.insert_before(math);
    for n in &nodes[..nodes.len() - 1] {
        n.detach();
    }
    let mut data = after.data.borrow_mut();
    if let NodeValue::Text(t) = &mut data.value {
        t.remove(0);
        if t.is_empty() {
            drop(data);
            after.detach();
        }
    }
}

/// Dollar math that runs into a code span (`$10 and `$x$``: the `$` inside the code closed it)
/// back to text: TeX has no use for a backtick, so that was never a formula. comrak reads dollars
/// before code spans; the text keeps every character, though the code span is lost, so where
/// that happened is returned for a warning (`\$` keeps the dollar out of math).
pub fn dollars_across_code<'a>(root: &'a AstNode<'a>) -> Vec<LineColumn> {
    let mut found = Vec::new();
    for node in root.descendants() {
        let mut data = node.data.borrow_mut();
        let text = match &data.value {
            NodeValue::Math(m) if m.dollar_math && m.literal.contains('`') => {
                let fence = if m.display_math { "$$" } else { "$" };
                format!("{fence}{}{fence}", m.literal)
            }
            _ => continue,
        };
        data.value = NodeValue::Text(text);
        found.push(data.sourcepos.start);
    }
    found
}

/// Puts escaped characters back into the text around them and joins neighbouring texts, as
/// comrak leaves them, so that later stages (glossary linking) see whole runs of text.
pub fn merge_text<'a>(root: &'a AstNode<'a>) {
    let escaped: Vec<_> = root
        .descendants()
        .filter(|n| matches!(n.data.borrow().value, NodeValue::Escaped))
        .collect();
    for node in escaped {
        while let Some(child) = node.first_child() {
            node.insert_before(child);
        }
        node.detach();
    }
    let parents: Vec<_> = root
        .descendants()
        .filter(|n| n.first_child().is_some())
        .collect();
    for parent in parents {
        let mut cursor = parent.first_child();
        while let Some(node) = cursor {
            cursor = node.next_sibling();
            let Some(next) = cursor else { break };
            let appended = {
                let mut data = node.data.borrow_mut();
                let next_data = next.data.borrow();
                match (&mut data.value, &next_data.value) {
                    (NodeValue::Text(a), NodeValue::Text(b)) => {
                        a.push_str(b);
                        data.sourcepos.end = next_data.sourcepos.end;
                        true
                    }
                    _ => false,
                }
            };
            if appended {
                next.detach();
                cursor = Some(node);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdbook_source_keeps_tex_backslashes_and_reads_doubled_ones() {
        for (raw, tex) in [
            (r"a \, b", r"a \, b"),
            (r"a \\, b", r"a \, b"),
            (r"\{x\}", r"\{x\}"),
            (r"\\{x\\}", r"\{x\}"),
            (r"a \\\\ b", r"a \\ b"),
            (r"a \\ b", r"a \\ b"),
            (r"\frac{1}{2}", r"\frac{1}{2}"),
            (r"x_1", r"x_1"),
            ("trailing \\", "trailing \\"),
        ] {
            assert_eq!(mdbook_source(raw), tex, "{raw}");
        }
    }

    fn one(tex: &str, display: bool) -> Result<String, String> {
        to_mathml_all(&[(tex, display)]).remove(0)
    }

    #[test]
    fn formulas_become_mathml_with_their_source() {
        assert_eq!(
            one(r"a\,b", false).unwrap(),
            "<math><semantics><mrow><mi>a</mi><mspace width=\"0.16666667em\"/><mi>b</mi></mrow>\
             <annotation encoding=\"application/x-tex\">a\\,b</annotation></semantics></math>"
        );
        assert!(one("x^2", true)
            .unwrap()
            .starts_with("<math display=\"block\">"));
    }

    #[test]
    fn invalid_and_hostile_tex_is_an_error() {
        assert_eq!(
            to_mathml_all(&[(r"\frac{1}{", false), (r"\nosuchcommand", true), ("x", false)]),
            [
                Err("Expected closing token \"}\", but reached end of input.".to_string()),
                Err("Unknown command \"\\nosuchcommand\".".to_string()),
                Ok("<math><semantics><mi>x</mi><annotation encoding=\"application/x-tex\">x</annotation></semantics></math>".to_string()),
            ]
        );
        for (deep, depth) in [
            (format!("{}x{}", "{".repeat(3000), "}".repeat(3000)), 3000),
            (format!("{}x{}", "x^{".repeat(60), "}".repeat(60)), 60),
            (format!("{}x", "\\sqrt ".repeat(2000)), 2000),
            (format!("{}x", "\\frac".repeat(2000)), 2000),
            (format!("{}x", "\\sqrt[".repeat(2000)), 4000),
            (
                format!("{}x{}", "\\left(".repeat(500), "\\right)".repeat(500)),
                501,
            ),
            (format!("{}x", "\\begin{matrix}".repeat(500)), 502),
        ] {
            assert_eq!(
                one(&deep, false).unwrap_err(),
                format!("the formula nests {depth} levels deep, more than 50")
            );
        }
        let long = "x+".repeat(MAX_FORMULA_BYTES);
        assert_eq!(
            one(&long, false).unwrap_err(),
            format!("the formula is {} bytes long, more than 16384", long.len())
        );
        // Nesting within the limits renders.
        let nested = format!("{}x{}", "x^{".repeat(20), "}".repeat(20));
        assert!(one(&nested, false).is_ok());
        let symbols = "\\alpha\\beta\\gamma\\delta ".repeat(10);
        assert!(one(&symbols, false).is_ok(), "{symbols}");
    }

    #[test]
    fn markup_in_tex_never_reaches_the_page() {
        for (tex, error) in [
            (
                r"\operatorname{<svg/onload=alert(1)>}",
                "the formula would write malformed markup (unexpected-solidus-in-tag) into the page",
            ),
            (
                r"\operatorname{<iframe>}",
                "the formula would write a `<iframe>` element into the page",
            ),
            (
                r"\operatorname{<b>}",
                "the formula would write a `</mo>` end tag out of place into the page",
            ),
        ] {
            assert_eq!(one(tex, false).unwrap_err(), error, "{tex}");
        }
        // Text is escaped by math-core and stays text.
        assert_eq!(
            one(r"\text{<script>alert(1)</script>}", false).unwrap(),
            "<math><semantics><mtext>&lt;script&gt;alert(1)&lt;/script&gt;</mtext>\
             <annotation encoding=\"application/x-tex\">\\text{&lt;script&gt;alert(1)&lt;/script&gt;}\
             </annotation></semantics></math>"
        );
        assert!(vouch("<math><mrow style=\"color:#FF0000;\"><mi>x</mi></mrow></math>").is_ok());
        for bad in [
            "<math><mi onclick=\"alert(1)\">x</mi></math>",
            "<math><mtext><a href=\"javascript:alert(1)\">x</a></mtext></math>",
            "<math><mrow style=\"background:url(https://example.org/x)\">x</mrow></math>",
            "<math><!-- x --></math>",
            "<math><script>alert(1)</script></math>",
            "<math><mi>x</mi>",
        ] {
            assert!(vouch(bad).is_err(), "{bad}");
        }
    }
}
