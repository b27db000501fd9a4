//! Every file of the site comes from exactly one place. A content page, a content file, a
//! generated page, the search index and the theme's files may not claim the same output path:
//! otherwise one silently replaces the other (a content file could become the script every page
//! runs). Paths are compared as file systems may treat them: without regard to case, and in
//! Unicode normalisation form C (`café` written with a combining accent is the same name).

use std::collections::HashMap;
use std::path::PathBuf;

use unicode_normalization::UnicodeNormalization;

use crate::error::Diagnostic;

/// Where an output file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A Markdown page: its source path as shown in diagnostics.
    Page(PathBuf),
    /// A file copied from the content folder: its source path.
    Asset(PathBuf),
    /// A page or file accord generates.
    Generated,
    /// A static file of the theme.
    Theme(String),
}

impl Origin {
    fn describe(&self) -> String {
        match self {
            Origin::Page(p) => format!("the page `{}`", p.display()),
            Origin::Asset(p) => format!("the file `{}`", p.display()),
            Origin::Generated => "a file accord generates".into(),
            Origin::Theme(name) => format!("the theme's `static/{name}`"),
        }
    }

    /// Where to report a collision: a content file if one is involved.
    fn source(&self) -> Option<&PathBuf> {
        match self {
            Origin::Page(p) | Origin::Asset(p) => Some(p),
            _ => None,
        }
    }
}

/// The key under which two output paths count as the same file.
pub fn path_key(path: &str) -> String {
    path.nfc().collect::<String>().to_lowercase()
}

/// One error for each output path claimed twice, naming both sides.
pub fn find(outputs: &[(&str, Origin)]) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, (path, origin)) in outputs.iter().enumerate() {
        let Some(&first) = seen.get(&path_key(path)) else {
            seen.insert(path_key(path), i);
            continue;
        };
        let (first_path, first_origin) = &outputs[first];
        if matches!((origin, first_origin), (Origin::Page(_), Origin::Page(_))) {
            // Reported when the pages are loaded (see `content::check_duplicate_outputs`).
            continue;
        }
        // Report at the content file, preferring the one that is not a generated file.
        let (at, other) = match (origin.source(), first_origin.source()) {
            (Some(p), _) => (p.clone(), first_origin),
            (None, Some(p)) => (p.clone(), origin),
            (None, None) => (PathBuf::from("themes"), first_origin),
        };
        let mine = if other == first_origin {
            origin
        } else {
            first_origin
        };
        let same = if *first_path == *path {
            format!("`{path}`")
        } else {
            format!("`{path}` (the same file name as `{first_path}` on systems that ignore case or accents)")
        };
        out.push(
            Diagnostic::error(
                at,
                0,
                0,
                format!(
                    "{} and {} would both be written to {same}",
                    mine.describe(),
                    other.describe()
                ),
            )
            .with_hint(match other {
                Origin::Generated if *path == "404.html" => {
                    "rename the file, or declare `replaces: 404.html` in its front matter to use it as the site's 404 page".to_string()
                }
                _ => "rename or move one of the two".to_string(),
            }),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_normalisation_twins_collide() {
        let nfc = "caf\u{e9}.html";
        let nfd = "cafe\u{301}.html";
        let found = find(&[
            (nfc, Origin::Asset("content/café.html".into())),
            (nfd, Origin::Page("content/cafe\u{301}.md".into())),
            ("Search.html", Origin::Page("content/Search.md".into())),
            ("search.html", Origin::Generated),
        ]);
        let msgs: Vec<String> = found.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            msgs,
            [
                format!("content/cafe\u{301}.md: error: the page `content/cafe\u{301}.md` and the file `content/café.html` would both be written to `{nfd}` (the same file name as `{nfc}` on systems that ignore case or accents)\n  hint: rename or move one of the two"),
                "content/Search.md: error: the page `content/Search.md` and a file accord generates would both be written to `search.html` (the same file name as `Search.html` on systems that ignore case or accents)\n  hint: rename or move one of the two".to_string(),
            ]
        );
    }
}
