//! Diagnostics that point editors at the exact place to fix.
//!
//! Every problem found in content or configuration becomes a [`Diagnostic`] carrying the file, the
//! line and column in that file, and where it helps a hint. Stages collect them all before failing,
//! so one build run reports every problem at once.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Information that needs no action, such as settings of other tools that accord ignores.
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based; 0 when unknown.
    pub col: usize,
    pub severity: Severity,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            col,
            severity: Severity::Error,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, col, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn note(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(path, line, col, message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.col > 0 {
                write!(f, ":{}", self.col)?;
            }
        }
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, ": {sev}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Why a build or another command could not finish.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the content or configuration that the editor must fix.
    #[error("{}", format_diagnostics(.0))]
    Content(Vec<Diagnostic>),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Other(String),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Content(d) => d,
            _ => &[],
        }
    }
}

/// Sorts by file, then position, then severity and message, and drops exact repeats.
pub fn sort_diagnostics(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.col, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
    });
    diags.dedup();
}

/// Every finding as `path:line:col: error|warning: message` (then `  hint: …`), and one
/// summary line: the one format of `accord build`, `check`, `bundle` and `serve`.
pub fn format_diagnostics(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    out.push_str(&format!(
        "{errors} error{}, {warnings} warning{}",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    ));
    out
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Converts a byte offset into a 1-based line and column (columns count characters).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The closest allowed word to a misspelt one, for "did you mean" hints.
pub fn did_you_mean<'a>(word: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (strsim::damerau_levenshtein(word, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let t = "ab\ncdé\nf";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 8), (3, 1));
        assert_eq!(line_col(t, 6), (2, 3));
    }

    #[test]
    fn suggests_near_keys_only() {
        assert_eq!(did_you_mean("titel", &["title", "summary"]), Some("title"));
        assert_eq!(did_you_mean("zzzzzz", &["title", "summary"]), None);
    }

    #[test]
    fn display_has_path_line_col_and_hint() {
        let d = Diagnostic::error("content/a.md", 3, 1, "unknown key `titel`")
            .with_hint("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:1: error: unknown key `titel`\n  hint: did you mean `title`?"
        );
    }
}
