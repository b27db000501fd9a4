//! Tables in content, as a reader meets them on a phone and on a wide screen.
//!
//! Two kinds of Markdown table are told apart by their header row:
//!
//! - a **key–value table** ("At a glance"): two columns under an empty header row. A reader
//!   sees a list of labelled facts, and assistive technology should too, so it renders as a
//!   definition list (`<dl class="key-value">`, one `<div>` per row). A table would announce an
//!   empty header row and read each row as "column 1, column 2".
//! - a **data table**: everything else. It keeps its words whole (the theme never breaks a word
//!   inside a cell), so a table wider than the screen scrolls sideways inside a region of its
//!   own: focusable, so keyboard users can scroll it, and named after the heading of its section
//!   so that screen readers announce what it holds.

use std::io::{self, Write};

use comrak::html::{format_node_default, ChildRendering, Context};
use comrak::nodes::{AstNode, NodeValue};
use comrak::Arena;

use super::{collect_text, new_node, Heading};
use crate::html::escape_attr;

/// Whether `table` is a key–value table: two columns under a header row without text.
pub fn is_key_value<'a>(table: &'a AstNode<'a>) -> bool {
    let columns = match &table.data.borrow().value {
        NodeValue::Table(t) => t.alignments.len(),
        _ => return false,
    };
    let Some(header) = table.first_child() else {
        return false;
    };
    if columns != 2 || !matches!(header.data.borrow().value, NodeValue::TableRow(true)) {
        return false;
    }
    header.children().all(|cell| {
        let mut text = String::new();
        collect_text(cell, &mut text);
        text.trim().is_empty()
    })
}

/// Puts every data table into a scrolling region named by the heading of its section (the last
/// heading before it), or "Table" where no heading comes first. `headings` are the page's
/// headings in document order, with the ids they render with.
pub fn wrap_data_tables<'a>(
    arena: &'a Arena<AstNode<'a>>,
    root: &'a AstNode<'a>,
    headings: &[Heading],
) {
    let mut seen_headings = 0usize;
    let mut tables = Vec::new();
    for node in root.descendants() {
        match node.data.borrow().value {
            NodeValue::Heading(_) => seen_headings += 1,
            NodeValue::Table(_) => tables.push((node, seen_headings)),
            _ => {}
        }
    }
    for (table, seen) in tables {
        if is_key_value(table) {
            continue;
        }
        let name = match seen.checked_sub(1).and_then(|i| headings.get(i)) {
            Some(h) if !h.id.is_empty() => format!("aria-labelledby=\"{}\"", escape_attr(&h.id)),
            _ => "aria-label=\"Table\"".to_string(),
        };
        let open = format!("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" {name}>\n");
        table.insert_before(html_block(arena, open));
        table.insert_after(html_block(arena, "</div>\n".to_string()));
    }
}

fn html_block<'a>(arena: &'a Arena<AstNode<'a>>, literal: String) -> &'a AstNode<'a> {
    new_node(
        arena,
        NodeValue::HtmlBlock(comrak::nodes::NodeHtmlBlock {
            block_type: 6,
            literal,
        }),
    )
}

/// The table's parts, as a definition list when the table is a key–value table; comrak's
/// table otherwise. Called by the renderer for tables, their rows and their cells.
pub fn format<'a>(
    context: &mut Context<()>,
    node: &'a AstNode<'a>,
    entering: bool,
) -> io::Result<ChildRendering> {
    let value = node.data.borrow().value.clone();
    let table = match value {
        NodeValue::Table(_) => Some(node),
        NodeValue::TableRow(_) => node.parent(),
        NodeValue::TableCell => node.parent().and_then(|row| row.parent()),
        _ => None,
    };
    if !table.is_some_and(is_key_value) {
        return format_node_default(context, node, entering);
    }
    match value {
        NodeValue::Table(_) => {
            if entering {
                context.cr()?;
                context.write_all(b"<dl class=\"key-value\">\n")?;
            } else {
                context.write_all(b"</dl>\n")?;
            }
        }
        // The empty header row is what made it a key–value table: it has nothing to say.
        NodeValue::TableRow(true) => return Ok(ChildRendering::Skip),
        NodeValue::TableRow(false) => {
            context.write_all(if entering { b"<div>" } else { b"</div>\n" })?;
        }
        _ => {
            let first = node.previous_sibling().is_none();
            let tag: &[u8] = match (first, entering) {
                (true, true) => b"<dt>",
                (true, false) => b"</dt>",
                (false, true) => b"<dd>",
                (false, false) => b"</dd>",
            };
            context.write_all(tag)?;
        }
    }
    Ok(ChildRendering::HTML)
}

#[cfg(test)]
mod tests {
    use crate::config::HtmlPolicy;
    use crate::markdown::{analyze, render, RenderInput, Tools};

    fn html(body: &str) -> String {
        let a = analyze(body).unwrap();
        render(&RenderInput {
            body,
            headings: &a.headings,
            html: HtmlPolicy::Text,
            tools: &Tools::default(),
            rewrite_link: &|u| u.to_string(),
            glossary: None,
        })
        .html
    }

    #[test]
    fn a_two_column_table_under_an_empty_header_is_a_definition_list() {
        assert_eq!(
            html("| | |\n|---|---|\n| Signed | 29 October *2004* |\n| Parties | A, B |\n"),
            "<dl class=\"key-value\">\n<div><dt>Signed</dt><dd>29 October <em>2004</em></dd></div>\n<div><dt>Parties</dt><dd>A, B</dd></div>\n</dl>\n"
        );
    }

    #[test]
    fn a_data_table_scrolls_in_a_region_named_by_its_section() {
        let out =
            html("## Who does what\n\n| Agency | Task |\n|---|---|\n| Police | Investigate |\n");
        assert!(
            out.contains("</h2>\n<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"who-does-what\">\n<table>\n<thead>\n<tr>\n<th>Agency</th>"),
            "{out}"
        );
        assert!(out.ends_with("</table>\n</div>\n"), "{out}");
        // Without a heading before it, the region still has a name.
        let first = html("| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n");
        assert!(
            first.starts_with("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table\">\n<table>"),
            "{first}"
        );
    }

    #[test]
    fn a_table_with_a_header_or_three_columns_stays_a_table() {
        let named = html("| Key | Value |\n|---|---|\n| a | b |\n");
        assert!(
            named.contains("<th>Key</th>") && !named.contains("<dl"),
            "{named}"
        );
        let wide = html("| | | |\n|---|---|---|\n| a | b | c |\n");
        assert!(wide.contains("<table>") && !wide.contains("<dl"), "{wide}");
    }
}
