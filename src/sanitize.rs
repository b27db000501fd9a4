//! `allow-html = "safe"`: raw HTML in Markdown cleaned by ammonia, keeping harmless markup.
//!
//! Kept: structure and phrasing (`<details>`, `<summary>`, `<kbd>`, `<sup>`, `<sub>`, `<br>`,
//! tables, lists, `<div>` and `<span>`), `id`, `class`, `title`, `lang` and `dir` on any of
//! them, `<a name>`, links whose URL is relative or `http`, `https`, `mailto` or `tel`, and
//! images whose source is a file of the site. Dropped: scripts and styles with their content,
//! frames, forms, event handlers, `style` attributes, and every other URL, including images from
//! other sites (they would break the site offline).
//!
//! comrak cuts raw HTML into pieces around the Markdown inside it: `<details>`, a blank line,
//! Markdown, a blank line, `</details>` is two HTML blocks with a paragraph between. Cleaning
//! each piece alone would close the `<details>` in the first and drop the stray end tag of the
//! second. So the pieces of a page are cleaned as one document, with a numbered element marking
//! each gap where Markdown goes, and the cleaned document is cut again at those marks. A mark can
//! vanish (inside a `<script>` that is dropped, or an attribute left open): the pieces on both
//! sides of it then come out as one, given to the first. Every cut falls between two complete
//! elements or texts of ammonia's output, so each part is clean wherever it ends up.

use std::borrow::Cow;
use std::collections::HashSet;

use ammonia::{Builder, UrlRelative};

use crate::safe_url::{classify, UrlKind, ALLOWED_SCHEMES};

/// Stands where Markdown sits between two pieces of raw HTML while they are cleaned together;
/// its `n` attribute is the number of the piece that follows.
const GAP_TAG: &str = "accord-markdown-gap";
const GAP_OPEN: &str = "<accord-markdown-gap n=\"";
const GAP_CLOSE: &str = "\"></accord-markdown-gap>";

const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
    GAP_TAG,
];

/// Dropped with everything inside them: their content is code, or a page of its own.
const DROPPED_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "noscript", "noembed",
    "noframes", "template", "textarea", "select", "title", "xmp", "svg", "math",
];

const GENERIC_ATTRIBUTES: &[&str] = &["id", "class", "title", "lang", "dir"];

const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "name"]),
    ("img", &["src", "alt", "width", "height"]),
    ("td", &["colspan", "rowspan", "headers", "align"]),
    ("th", &["colspan", "rowspan", "headers", "scope", "align"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("details", &["open"]),
    ("time", &["datetime"]),
    (GAP_TAG, &["n"]),
];

/// Cleans raw HTML; made once per build.
pub struct Sanitizer {
    builder: Builder<'static>,
}

impl Default for Sanitizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Sanitizer {
    pub fn new() -> Sanitizer {
        let mut builder = Builder::empty();
        builder
            .add_tags(TAGS)
            .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
            .add_generic_attributes(GENERIC_ATTRIBUTES);
        for (tag, attrs) in TAG_ATTRIBUTES {
            builder.add_tag_attributes(*tag, attrs.iter());
        }
        builder
            .url_schemes(ALLOWED_SCHEMES.iter().copied().collect::<HashSet<_>>())
            .url_relative(UrlRelative::PassThrough)
            // Links open in the same tab (no `target`), so `rel` adds nothing.
            .link_rel(None)
            .strip_comments(true)
            .attribute_filter(keep_url);
        Sanitizer { builder }
    }

    /// One piece of HTML, cleaned on its own.
    pub fn clean(&self, html: &str) -> String {
        self.builder.clean(html).to_string()
    }

    /// The raw HTML pieces of one page, in document order, each cleaned as part of the whole
    /// (see the module documentation).
    pub fn clean_pieces(&self, pieces: &[&str]) -> Cleaned {
        let alone = || Cleaned {
            pieces: pieces.iter().map(|p| self.clean(p)).collect(),
            lost: Vec::new(),
        };
        // A piece that writes the gap element itself would confuse the cut; clean each alone.
        if pieces
            .iter()
            .any(|p| p.to_ascii_lowercase().contains(GAP_TAG))
        {
            return alone();
        }
        let mut joined = String::new();
        for (i, piece) in pieces.iter().enumerate() {
            if i > 0 {
                joined.push_str(&format!("{GAP_OPEN}{i}{GAP_CLOSE}"));
            }
            joined.push_str(piece);
        }
        let cleaned = self.clean(&joined);
        let mut out = vec![String::new(); pieces.len()];
        let mut lost = Vec::new();
        let (mut current, mut rest) = (0, cleaned.as_str());
        while let Some(start) = rest.find(GAP_OPEN) {
            let after = &rest[start + GAP_OPEN.len()..];
            let Some((n, tail)) = after.split_once(GAP_CLOSE) else {
                return alone();
            };
            match n.parse::<usize>() {
                // Marks come back in order unless the HTML parser moved one (out of a table):
                // then each piece is cleaned alone, which keeps it safe if not whole.
                Ok(n) if n > current && n < pieces.len() => {
                    out[current].push_str(&rest[..start]);
                    lost.extend(current + 1..n);
                    current = n;
                    rest = tail;
                }
                _ => return alone(),
            }
        }
        out[current].push_str(rest);
        lost.extend(current + 1..pieces.len());
        Cleaned { pieces: out, lost }
    }
}

/// Raw HTML pieces, cleaned.
#[derive(Debug, PartialEq, Eq)]
pub struct Cleaned {
    /// One for each piece given.
    pub pieces: Vec<String>,
    /// The gaps that vanished, by the number of the piece after them: the Markdown there stood
    /// inside something dropped (a `<script>`, an attribute left open) and is dropped with it.
    pub lost: Vec<usize>,
}

/// URLs ammonia's scheme list would let through but accord does not publish: `//host/…` links
/// (another site, by any scheme) and images that are not files of the site.
fn keep_url<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let kind = match (element, attribute) {
        ("a", "href") | ("img", "src") => classify(value).ok()?,
        _ => return Some(value.into()),
    };
    match (attribute, kind) {
        ("href", UrlKind::Relative | UrlKind::Absolute(_)) => Some(value.into()),
        ("src", UrlKind::Relative) => Some(value.into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_markup_is_dropped_and_harmless_markup_kept() {
        let s = Sanitizer::new();
        for (input, output) in [
            // Kept as written.
            ("<a id=\"c-case\"></a>", "<a id=\"c-case\"></a>"),
            ("<a name=\"old\"></a>", "<a name=\"old\"></a>"),
            ("<a href=\"https://example.org/\">x</a>", "<a href=\"https://example.org/\">x</a>"),
            ("<a href=\"other.html#x\">x</a>", "<a href=\"other.html#x\">x</a>"),
            ("<a href=\"mailto:a@example.org\">m</a>", "<a href=\"mailto:a@example.org\">m</a>"),
            ("<a href=\"tel:+4930123\">t</a>", "<a href=\"tel:+4930123\">t</a>"),
            ("<kbd>Ctrl</kbd>+<kbd>C</kbd>", "<kbd>Ctrl</kbd>+<kbd>C</kbd>"),
            ("H<sub>2</sub>O x<sup>2</sup><br>", "H<sub>2</sub>O x<sup>2</sup><br>"),
            ("<div class=\"warning\">w</div>", "<div class=\"warning\">w</div>"),
            ("<span class=\"x\" title=\"t\">s</span>", "<span class=\"x\" title=\"t\">s</span>"),
            ("<img src=\"img/map.png\" alt=\"Map\">", "<img src=\"img/map.png\" alt=\"Map\">"),
            (
                "<table><tr><th scope=\"col\">a</th></tr><tr><td colspan=\"2\">b</td></tr></table>",
                "<table><tbody><tr><th scope=\"col\">a</th></tr><tr><td colspan=\"2\">b</td></tr></tbody></table>",
            ),
            (
                "<details open><summary>More</summary>text</details>",
                "<details open=\"\"><summary>More</summary>text</details>",
            ),
            // Scripts, styles and frames go with their content.
            ("<script>alert(1)</script>after", "after"),
            ("<style>body{display:none}</style>after", "after"),
            ("<iframe src=\"https://example.org/\">x</iframe>after", "after"),
            ("<svg><script>alert(1)</script></svg>after", "after"),
            ("<noscript><img src=x onerror=alert(1)></noscript>after", "after"),
            // Event handlers and styles go; the element stays.
            ("<p onclick=\"alert(1)\" style=\"color:red\">p</p>", "<p>p</p>"),
            ("<img src=\"a.png\" onerror=\"alert(1)\" alt=\"a\">", "<img src=\"a.png\" alt=\"a\">"),
            // Unsafe URLs go; the element stays.
            ("<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>"),
            ("<a href=\"java&#9;script:alert(1)\">x</a>", "<a>x</a>"),
            ("<a href=\" JavaScript:alert(1)\">x</a>", "<a>x</a>"),
            ("<a href=\"data:text/html,<script>alert(1)</script>\">x</a>", "<a>x</a>"),
            ("<a href=\"vbscript:x\">x</a>", "<a>x</a>"),
            ("<a href=\"//evil.example/\">x</a>", "<a>x</a>"),
            ("<img src=\"https://example.org/a.png\" alt=\"a\">", "<img alt=\"a\">"),
            ("<img src=\"//example.org/a.png\" alt=\"a\">", "<img alt=\"a\">"),
            ("<img src=\"data:image/png;base64,AAAA\" alt=\"a\">", "<img alt=\"a\">"),
            // Elements that are not allowed are unwrapped: their text stays, as text.
            ("<form action=\"/x\"><input name=\"q\"><button>Go</button></form>", "Go"),
            ("<object data=\"x.swf\"></object><embed src=\"x.swf\">", ""),
            ("<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">", ""),
            ("<base href=\"https://evil.example/\">", ""),
            ("<link rel=\"stylesheet\" href=\"https://example.org/x.css\">", ""),
            ("<!-- note --><b>b</b>", "<b>b</b>"),
            ("<a href=\"x\" target=\"_blank\">x</a>", "<a href=\"x\">x</a>"),
        ] {
            assert_eq!(s.clean(input), output, "{input}");
        }
    }

    #[test]
    fn pieces_around_markdown_are_cleaned_as_one_document() {
        let s = Sanitizer::new();
        let cleaned = |pieces: &[&str], lost: &[usize]| Cleaned {
            pieces: pieces.iter().map(|p| p.to_string()).collect(),
            lost: lost.to_vec(),
        };
        assert_eq!(
            s.clean_pieces(&["<details>\n<summary>More</summary>\n", "</details>\n"]),
            cleaned(
                &["<details>\n<summary>More</summary>\n", "</details>\n"],
                &[]
            )
        );
        assert_eq!(
            s.clean_pieces(&["<kbd>", "</kbd>", "<span onclick=\"x\">", "</span>"]),
            cleaned(&["<kbd>", "</kbd>", "<span>", "</span>"], &[])
        );
        // The Markdown between `<script>` and `</script>` was script: the two pieces come out
        // as one (empty), the gap between them is lost, and the pieces after them stay whole.
        assert_eq!(
            s.clean_pieces(&["<kbd>", "</kbd>", "<script>", "</script>", "<b>", "</b>"]),
            cleaned(&["<kbd>", "</kbd>", "", "", "<b>", "</b>"], &[3])
        );
        // A dropped element left open loses every gap after it.
        assert_eq!(
            s.clean_pieces(&["<b>", "</b>", "<iframe>", "</b>"]),
            cleaned(&["<b>", "</b>", "", ""], &[3])
        );
        // An attribute left open swallows text up to the next quote, here the one of the first
        // mark, which is lost: the first two pieces come out as one.
        assert_eq!(
            s.clean_pieces(&["<span title=\"x", "</span>", "<b>", "\">", "</b>"]),
            cleaned(
                &[
                    "<span title=\"x&lt;accord-markdown-gap n=\"></span>",
                    "",
                    "<b>",
                    "\"&gt;",
                    "</b>"
                ],
                &[1]
            )
        );
        // A piece that forges the gap element is cleaned alone, like every other piece.
        assert_eq!(
            s.clean_pieces(&[
                "<div><accord-markdown-gap n=\"1\"></accord-markdown-gap>",
                "</div>"
            ]),
            cleaned(
                &[
                    "<div><accord-markdown-gap n=\"1\"></accord-markdown-gap></div>",
                    ""
                ],
                &[]
            )
        );
        // The HTML parser moves what stands directly in a table before it, marks included: the
        // Markdown then comes before the table.
        assert_eq!(
            s.clean_pieces(&["<table>", "</table>"]),
            cleaned(&["", "<table></table>"], &[])
        );
        // When that puts the marks out of order, each piece is cleaned alone.
        assert_eq!(
            s.clean_pieces(&["<table><tr><td>", "</td></tr>", "</table>"]),
            cleaned(
                &["<table><tbody><tr><td></td></tr></tbody></table>", "", ""],
                &[]
            )
        );
    }
}
