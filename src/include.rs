//! mdBook's include directives, expanded in a page's Markdown before it is parsed:
//!
//! - `{{#include file}}`, with `:N` (line N), `:N:M`, `:N:` and `::M` (line ranges) or
//!   `:name` (the lines between `ANCHOR: name` and `ANCHOR_END: name`); other anchor lines in
//!   what is included are dropped;
//! - `{{#rustdoc_include file:…}}`: the whole file, the lines outside the selection hidden as
//!   rustdoc hides them (`# ` in front);
//! - `{{#playground file}}`: the file as a fenced code block in its language;
//! - `{{#title text}}`: the page's title in the browser tab.
//!
//! Paths are relative to the file that names them and must stay inside the project folder.
//! Included files may include others (up to ten deep; a cycle is an error). `\{{#include …}}`
//! is written as it is, without the backslash. Every line of the expanded text remembers the
//! line of the page it came from, so errors further down still name the right line.

use std::path::{Component, Path, PathBuf};

use crate::error::Diagnostic;

/// How deep includes may nest, as in mdBook.
const MAX_DEPTH: usize = 10;

/// Where the files of a page are.
pub struct Dirs<'a> {
    /// The project folder: includes may not reach outside it.
    pub root: &'a Path,
    /// The page's own file, on disk.
    pub file: &'a Path,
}

/// A page body with its directives expanded.
#[derive(Debug, Default, PartialEq)]
pub struct Expanded {
    pub text: String,
    /// For each line of `text`: the line of the original body it comes from (1-based). Empty
    /// when nothing was expanded (every line is its own).
    pub lines: Vec<usize>,
    /// `{{#title …}}`, if the page set one.
    pub title: Option<String>,
    /// Every file the page includes, directly or through others.
    pub included: Vec<PathBuf>,
}

/// Expands the directives of `body`. `source` and `first_line` place errors: the body starts
/// on line `first_line` of the file shown as `source`.
pub fn expand(
    body: &str,
    dirs: &Dirs<'_>,
    source: &Path,
    first_line: usize,
    diags: &mut Vec<Diagnostic>,
) -> Expanded {
    if !body.contains("{{") {
        return Expanded {
            text: body.to_string(),
            ..Expanded::default()
        };
    }
    let mut out = Expanded::default();
    // Absolute paths, so that "inside the project" and "the same file" are plain comparisons.
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (file, root) = (
        normalize(&absolute(dirs.file)),
        normalize(&absolute(dirs.root)),
    );
    let mut stack = vec![file.clone()];
    for (n, line) in body.split_inclusive('\n').enumerate() {
        let place = Place {
            source,
            line: first_line + n,
        };
        let text = expand_line(line, &file, &root, &place, &mut stack, &mut out, diags);
        for _ in 0..text.split_inclusive('\n').count().max(1) {
            out.lines.push(n + 1);
        }
        out.text.push_str(&text);
    }
    out
}

/// Where a directive of the page itself stands, for errors.
struct Place<'a> {
    source: &'a Path,
    line: usize,
}

/// One line with its directives replaced. Included text is expanded in turn (relative to the
/// included file); its errors are reported at the page's line.
fn expand_line(
    line: &str,
    file: &Path,
    root: &Path,
    place: &Place<'_>,
    stack: &mut Vec<PathBuf>,
    out: &mut Expanded,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let mut result = String::new();
    let mut rest = line;
    let mut offset = 0;
    while let Some(start) = rest.find("{{") {
        let escaped = start > 0 && rest.as_bytes()[start - 1] == b'\\';
        let Some(end) = rest[start..].find("}}").map(|e| start + e + 2) else {
            break;
        };
        let inner = rest[start + 2..end - 2].trim();
        let Some(directive) = inner.strip_prefix('#') else {
            result.push_str(&rest[..end]);
            offset += end;
            rest = &rest[end..];
            continue;
        };
        if escaped {
            // `\{{#include x}}` is written as `{{#include x}}`.
            result.push_str(&rest[..start - 1]);
            result.push_str(&rest[start..end]);
            offset += end;
            rest = &rest[end..];
            continue;
        }
        result.push_str(&rest[..start]);
        let col = line[..offset + start].chars().count() + 1;
        let (name, arg) = directive
            .split_once(char::is_whitespace)
            .map_or((directive, ""), |(n, a)| (n, a.trim()));
        let error = |message: String, hint: &str| {
            Diagnostic::error(place.source, place.line, col, message).with_hint(hint.to_string())
        };
        match name {
            "title" => out.title = Some(arg.to_string()),
            "include" | "rustdoc_include" | "playground" => {
                match include(name, arg, file, root, place, stack, out, diags) {
                    Ok(text) => result.push_str(&text),
                    Err((message, hint)) => diags.push(error(message, hint)),
                }
            }
            // Other `{{#…}}` forms belong to mdBook preprocessors accord does not run.
            _ => result.push_str(&rest[start..end]),
        }
        offset += end;
        rest = &rest[end..];
    }
    result.push_str(rest);
    result
}

type Failure = (String, &'static str);

#[allow(clippy::too_many_arguments)]
fn include(
    directive: &str,
    arg: &str,
    file: &Path,
    root: &Path,
    place: &Place<'_>,
    stack: &mut Vec<PathBuf>,
    out: &mut Expanded,
    diags: &mut Vec<Diagnostic>,
) -> Result<String, Failure> {
    let (path, selector) = split_selector(arg);
    if path.is_empty() {
        return Err((
            format!("`{{{{#{directive}}}}}` names no file"),
            "write `{{#include path/to/file.md}}`, relative to this file",
        ));
    }
    let target = resolve(file, path)
        .filter(|t| t.starts_with(root))
        .ok_or_else(|| {
            (
                format!("`{{{{#{directive} {arg}}}}}` leads outside the project folder"),
                "include files that are inside the project folder",
            )
        })?;
    if stack.contains(&target) {
        return Err((
            format!(
                "`{{{{#{directive} {arg}}}}}` includes itself: {}",
                stack
                    .iter()
                    .chain([&target])
                    .map(|p| p
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned()))
                    .collect::<Vec<_>>()
                    .join(" → ")
            ),
            "remove the include that closes the circle",
        ));
    }
    if stack.len() > MAX_DEPTH {
        return Err((
            format!("`{{{{#{directive} {arg}}}}}`: includes nest more than {MAX_DEPTH} deep"),
            "include the file from fewer levels",
        ));
    }
    let text = std::fs::read_to_string(&target).map_err(|e| {
        (
            format!("`{{{{#{directive} {arg}}}}}`: cannot read `{path}`: {e}"),
            "check the path: it is relative to the file that names it",
        )
    })?;
    if !out.included.contains(&target) {
        out.included.push(target.clone());
    }
    let selection = select(&text, selector).ok_or_else(|| {
        (
            format!("`{{{{#{directive} {arg}}}}}`: `{path}` has no anchor `{}`", selector.unwrap_or_default()),
            "mark the lines with `ANCHOR: name` and `ANCHOR_END: name` comments, or select lines with `:N:M`",
        )
    })?;
    let body = match directive {
        "rustdoc_include" => rustdoc_hidden(&text, &selection),
        _ => selection.join(""),
    };
    // What the file holds may include further files, relative to itself.
    stack.push(target.clone());
    let mut nested = String::new();
    for line in body.split_inclusive('\n') {
        nested.push_str(&expand_line(line, &target, root, place, stack, out, diags));
    }
    stack.pop();
    Ok(match directive {
        "playground" => {
            let lang = target
                .extension()
                .map(|e| e.to_string_lossy().into_owned())
                .map(|e| if e == "rs" { "rust".to_string() } else { e })
                .unwrap_or_default();
            let fence = "`".repeat(3.max(longest_backtick_run(&nested) + 1));
            format!("{fence}{lang}\n{}\n{fence}", nested.trim_end_matches('\n'))
        }
        _ => nested.trim_end_matches('\n').to_string(),
    })
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// `file.rs:2:10` → (`file.rs`, `2:10`); `file.rs` → (`file.rs`, none).
fn split_selector(arg: &str) -> (&str, Option<&str>) {
    match arg.split_once(':') {
        Some((p, s)) => (p.trim(), Some(s.trim())),
        None => (arg.trim(), None),
    }
}

/// The lines a selector picks, each with its line ending; `None` for an anchor that is not
/// there. Anchor marker lines are never part of what is included.
fn select<'t>(text: &'t str, selector: Option<&str>) -> Option<Vec<&'t str>> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let is_marker = |l: &str| l.contains("ANCHOR:") || l.contains("ANCHOR_END:");
    let Some(sel) = selector.filter(|s| !s.is_empty()) else {
        return Some(lines.into_iter().filter(|l| !is_marker(l)).collect());
    };
    let num = |s: &str| s.trim().parse::<usize>().ok();
    let range = match sel.split_once(':') {
        Some((a, b)) => Some((num(a).unwrap_or(1), num(b))),
        None => num(sel).map(|n| (n, Some(n))),
    };
    if let Some((from, to)) = range {
        let from = from.max(1) - 1;
        let to = to.unwrap_or(lines.len()).min(lines.len());
        return Some(
            lines
                .get(from..to.max(from))
                .unwrap_or_default()
                .iter()
                .copied()
                .filter(|l| !is_marker(l))
                .collect(),
        );
    }
    let start = lines.iter().position(|l| anchor_named(l, "ANCHOR:", sel))?;
    let end = lines[start + 1..]
        .iter()
        .position(|l| anchor_named(l, "ANCHOR_END:", sel))
        .map_or(lines.len(), |e| start + 1 + e);
    Some(
        lines[start + 1..end]
            .iter()
            .copied()
            .filter(|l| !is_marker(l))
            .collect(),
    )
}

fn anchor_named(line: &str, marker: &str, name: &str) -> bool {
    line.split_once(marker)
        .is_some_and(|(_, rest)| rest.split_whitespace().next() == Some(name))
}

/// The whole file, with the lines outside `selection` hidden from readers as rustdoc does.
fn rustdoc_hidden(text: &str, selection: &[&str]) -> String {
    let mut out = String::new();
    let mut selected = selection.iter().peekable();
    for line in text.split_inclusive('\n') {
        if line.contains("ANCHOR:") || line.contains("ANCHOR_END:") {
            continue;
        }
        // Selected lines are slices of `text`: the same line is the same address.
        if selected
            .peek()
            .is_some_and(|s| std::ptr::eq(s.as_ptr(), line.as_ptr()))
        {
            selected.next();
            out.push_str(line);
        } else if line.trim().is_empty() {
            out.push_str(line);
        } else {
            out.push_str("# ");
            out.push_str(line);
        }
    }
    out
}

/// `path` relative to the folder of `file`, with `.` and `..` resolved; `None` if it climbs
/// above the file system root.
fn resolve(file: &Path, path: &str) -> Option<PathBuf> {
    let base = file.parent().unwrap_or(Path::new(""));
    let joined = base.join(path);
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

/// `p` with `.` and `..` resolved.
fn normalize(p: &Path) -> PathBuf {
    resolve(&p.join("x"), ".").unwrap_or_else(|| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("src/listings")).unwrap();
        std::fs::write(
            root.join("src/listings/main.rs"),
            "use std::io;\n// ANCHOR: body\nfn main() {\n    println!(\"hi\");\n}\n// ANCHOR_END: body\n",
        )
        .unwrap();
        std::fs::write(
            root.join("src/part.md"),
            "Included *text*.\n{{#include listings/main.rs:1}}\n",
        )
        .unwrap();
        std::fs::write(root.join("src/loop.md"), "{{#include loop2.md}}\n").unwrap();
        std::fs::write(root.join("src/loop2.md"), "{{#include loop.md}}\n").unwrap();
        (dir, root)
    }

    fn run(body: &str, root: &Path) -> (Expanded, Vec<String>) {
        let file = root.join("src/page.md");
        let mut diags = Vec::new();
        let e = expand(
            body,
            &Dirs { root, file: &file },
            Path::new("src/page.md"),
            3,
            &mut diags,
        );
        (e, diags.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn selectors_pick_lines_and_anchors() {
        let (_d, root) = project();
        let cases = [
            ("{{#include listings/main.rs:1}}", "use std::io;"),
            (
                "{{#include listings/main.rs:3:4}}",
                "fn main() {\n    println!(\"hi\");",
            ),
            (
                "{{#include listings/main.rs:4:}}",
                "    println!(\"hi\");\n}",
            ),
            ("{{#include listings/main.rs::1}}", "use std::io;"),
            (
                "{{#include listings/main.rs:body}}",
                "fn main() {\n    println!(\"hi\");\n}",
            ),
            (
                "{{#include listings/main.rs}}",
                "use std::io;\nfn main() {\n    println!(\"hi\");\n}",
            ),
            (
                "{{#rustdoc_include listings/main.rs:body}}",
                "# use std::io;\nfn main() {\n    println!(\"hi\");\n}",
            ),
            (
                "{{#playground listings/main.rs:body}}",
                "```rust\nfn main() {\n    println!(\"hi\");\n}\n```",
            ),
            (
                "\\{{#include listings/main.rs}}",
                "{{#include listings/main.rs}}",
            ),
            ("{{#include part.md}}", "Included *text*.\nuse std::io;"),
        ];
        for (body, expected) in cases {
            let (e, d) = run(body, &root);
            assert!(d.is_empty(), "{body}: {d:?}");
            assert_eq!(e.text, expected, "{body}");
        }
    }

    #[test]
    fn lines_map_back_and_title_is_kept() {
        let (_d, root) = project();
        let (e, _) = run(
            "a\n{{#include listings/main.rs:body}}\nb [x](missing.md)\n{{#title Tab title}}\n",
            &root,
        );
        assert_eq!(e.lines, [1, 2, 2, 2, 3, 4]);
        assert_eq!(e.title.as_deref(), Some("Tab title"));
        assert_eq!(e.included, [root.join("src/listings/main.rs")]);
    }

    #[test]
    fn problems_are_errors_at_the_directive() {
        let (_d, root) = project();
        let (_, d) = run("x {{#include nowhere.md}}\n{{#include listings/main.rs:nope}}\n{{#include loop.md}}\n{{#include ../../../etc/passwd}}\n", &root);
        assert_eq!(d.len(), 4, "{d:?}");
        assert!(
            d[0].starts_with(
                "src/page.md:3:3: error: `{{#include nowhere.md}}`: cannot read `nowhere.md`: "
            ),
            "{}",
            d[0]
        );
        assert_eq!(d[1], "src/page.md:4:1: error: `{{#include listings/main.rs:nope}}`: `listings/main.rs` has no anchor `nope`\n  hint: mark the lines with `ANCHOR: name` and `ANCHOR_END: name` comments, or select lines with `:N:M`");
        assert!(d[2].starts_with("src/page.md:5:1: error: `{{#include loop.md}}` includes itself: page.md → loop.md → loop2.md → loop.md"), "{}", d[2]);
        assert_eq!(d[3], "src/page.md:6:1: error: `{{#include ../../../etc/passwd}}` leads outside the project folder\n  hint: include files that are inside the project folder");
    }
}
