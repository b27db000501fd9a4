//! `book.toml`: the project's configuration, read strictly.
//!
//! Key names follow mdBook where the two overlap (`[book] title`, `src`, `[build] build-dir`), so
//! editors who know mdBook feel at home. Unknown keys are errors: a misspelt key that is silently
//! ignored is a bug nobody can see.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{did_you_mean, line_col, Diagnostic, Error, Result};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub book: BookConfig,
    #[serde(default)]
    pub build: BuildConfig,
    #[serde(default)]
    pub site: SiteConfig,
    #[serde(default)]
    pub glossary: GlossaryConfig,
    #[serde(default)]
    pub search: SearchConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookConfig {
    #[serde(default = "default_title")]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_src")]
    pub src: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildConfig {
    #[serde(default = "default_build_dir")]
    pub build_dir: PathBuf,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub allow_html: HtmlPolicy,
}

/// What happens to raw HTML in Markdown: `allow-html = false`, `"safe"` or `true`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HtmlPolicy {
    /// `false`: shown as text, so a page shows what its editor typed.
    #[default]
    Text,
    /// `"safe"`: harmless markup kept, scripts, styles, event handlers and unsafe URLs dropped
    /// (see [`crate::sanitize`]). For content from many hands.
    Safe,
    /// `true`: published as written. For content whose every editor is trusted.
    Trusted,
}

impl HtmlPolicy {
    /// Whether raw HTML is published as HTML (cleaned or not).
    pub fn renders_html(self) -> bool {
        self != HtmlPolicy::Text
    }
}

impl<'de> Deserialize<'de> for HtmlPolicy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = HtmlPolicy;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("true, false or \"safe\"")
            }
            fn visit_bool<E: serde::de::Error>(
                self,
                v: bool,
            ) -> std::result::Result<HtmlPolicy, E> {
                Ok(if v {
                    HtmlPolicy::Trusted
                } else {
                    HtmlPolicy::Text
                })
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<HtmlPolicy, E> {
                match v {
                    "safe" => Ok(HtmlPolicy::Safe),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Str(v), &self)),
                }
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SiteConfig {
    /// Only absolute URLs in sitemap.xml and the feed use it; pages link relatively. Kept with
    /// its place in book.toml so that a bad value is reported there.
    #[serde(default)]
    pub base_url: Option<toml::Spanned<String>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkScope {
    /// Link the first occurrence of a term on each page.
    #[default]
    Page,
    /// Link the first occurrence of a term in each section (between headings).
    Section,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GlossaryConfig {
    #[serde(default)]
    pub link: LinkScope,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SearchConfig {
    /// `accord check` warns when the search index grows past this many bytes.
    #[serde(default = "default_index_budget")]
    pub index_budget: u64,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            index_budget: default_index_budget(),
        }
    }
}

fn default_index_budget() -> u64 {
    5 * 1024 * 1024
}
fn default_title() -> String {
    "Untitled".into()
}
fn default_language() -> String {
    "en".into()
}
fn default_src() -> PathBuf {
    "content".into()
}
fn default_build_dir() -> PathBuf {
    "site".into()
}
fn default_theme() -> String {
    "default".into()
}

impl Default for BookConfig {
    fn default() -> Self {
        BookConfig {
            title: default_title(),
            description: String::new(),
            authors: Vec::new(),
            language: default_language(),
            src: default_src(),
        }
    }
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            build_dir: default_build_dir(),
            theme: default_theme(),
            allow_html: HtmlPolicy::Text,
        }
    }
}

impl Config {
    /// Reads `book.toml` in `root`. A project without one gets the defaults.
    pub fn load(root: &Path) -> Result<Config> {
        let file = root.join("book.toml");
        // Diagnostics name it as the content files are named: relative to the project.
        let path = Path::new("book.toml");
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Config::parse("", path),
            Err(e) => return Err(Error::io(&file, e)),
        };
        match std::str::from_utf8(&bytes) {
            Ok(text) => Config::parse(text, path),
            Err(e) => {
                let good = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned();
                let (line, col) = line_col(&good, good.len());
                Err(Error::Content(vec![Diagnostic::error(
                    path,
                    line,
                    col,
                    "book.toml is not valid UTF-8",
                )
                .with_hint("save the file with UTF-8 encoding")]))
            }
        }
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let config: Config = toml::from_str(text)
            .map_err(|e| Error::Content(vec![toml_diagnostic(&e, text, path)]))?;
        if let Some(base) = &config.site.base_url {
            if !crate::safe_url::is_web_url(base.get_ref()) {
                let (line, col) = line_col(text, base.span().start);
                return Err(Error::Content(vec![Diagnostic::error(
                    path,
                    line,
                    col,
                    format!(
                        "`base-url` must be an http or https address: `{}`",
                        base.get_ref()
                    ),
                )
                .with_hint(
                    "write where the site is published, such as `https://example.org/kb/`",
                )]));
            }
        }
        Ok(config)
    }

    /// A warning when `[book] src` lies outside the project folder: everything there is
    /// published.
    pub fn src_warning(text: &str, path: &Path) -> Option<Diagnostic> {
        #[derive(Deserialize)]
        struct Book {
            src: Option<toml::Spanned<PathBuf>>,
        }
        #[derive(Deserialize)]
        struct Src {
            book: Option<Book>,
        }
        let src = toml::from_str::<Src>(text).ok()?.book?.src?;
        let outside = src.get_ref().is_absolute()
            || src
                .get_ref()
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir));
        outside.then(|| {
            let (line, col) = line_col(text, src.span().start);
            Diagnostic::warning(
                path,
                line,
                col,
                format!(
                    "`src` is `{}`, outside the project folder: every file there is published",
                    src.get_ref().display()
                ),
            )
            .with_hint("keep the content inside the project folder")
        })
    }

    /// `[site] base-url`, if set.
    pub fn base_url(&self) -> Option<&str> {
        self.site.base_url.as_ref().map(|b| b.get_ref().as_str())
    }
}

fn toml_diagnostic(e: &toml::de::Error, text: &str, path: &Path) -> Diagnostic {
    let (line, col) = e.span().map_or((0, 0), |s| line_col(text, s.start));
    let message = e.message().trim().to_string();
    let mut diag = Diagnostic::error(path, line, col, message.clone());
    // serde's message is "unknown field `x`, expected one of `a`, `b`": turn it into a hint.
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((key, allowed)) = rest.split_once('`') {
            let allowed: Vec<&str> = allowed.split('`').skip(1).step_by(2).collect();
            diag.message = format!("unknown key `{key}`");
            let mut hint = format!("allowed keys here: {}", allowed.join(", "));
            if let Some(near) = did_you_mean(key, &allowed) {
                hint = format!("did you mean `{near}`? ({hint})");
            }
            diag.hint = Some(hint);
        }
    }
    diag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_without_file_content() {
        let c = Config::parse("", Path::new("book.toml")).unwrap();
        assert_eq!(c.build.build_dir, PathBuf::from("site"));
        assert_eq!(c.book.src, PathBuf::from("content"));
        assert_eq!(c.build.allow_html, HtmlPolicy::Text);
    }

    #[test]
    fn allow_html_is_true_false_or_safe() {
        for (value, policy) in [
            ("false", HtmlPolicy::Text),
            ("true", HtmlPolicy::Trusted),
            ("\"safe\"", HtmlPolicy::Safe),
        ] {
            let text = format!("[build]\nallow-html = {value}\n");
            let c = Config::parse(&text, Path::new("book.toml")).unwrap();
            assert_eq!(c.build.allow_html, policy, "{value}");
        }
        for value in ["\"yes\"", "1"] {
            let text = format!("[build]\nallow-html = {value}\n");
            let err = Config::parse(&text, Path::new("book.toml")).unwrap_err();
            let d = &err.diagnostics()[0];
            assert_eq!((d.line, d.col), (2, 14), "{value}");
            let shown = value.trim_matches('"');
            let expected = if value.starts_with('"') {
                format!("invalid value: string \"{shown}\", expected true, false or \"safe\"")
            } else {
                format!("invalid type: integer `{shown}`, expected true, false or \"safe\"")
            };
            assert_eq!(d.message, expected);
        }
    }

    #[test]
    fn unknown_key_names_line_and_allowed_keys() {
        let text = "[book]\ntitle = \"x\"\ntitel = \"y\"\n";
        let err = Config::parse(text, Path::new("book.toml")).unwrap_err();
        let d = &err.diagnostics()[0];
        assert_eq!((d.line, d.col), (3, 1));
        assert_eq!(d.message, "unknown key `titel`");
        let hint = d.hint.as_deref().unwrap();
        assert!(hint.starts_with("did you mean `title`?"), "{hint}");
        assert!(hint.contains("src"), "{hint}");
    }

    #[test]
    fn mdbook_keys_are_accepted() {
        let text = "[book]\ntitle = \"T\"\nauthors = [\"a\"]\nlanguage = \"fr\"\nsrc = \"docs\"\n[build]\nbuild-dir = \"out\"\n";
        let c = Config::parse(text, Path::new("book.toml")).unwrap();
        assert_eq!(c.book.src, PathBuf::from("docs"));
        assert_eq!(c.build.build_dir, PathBuf::from("out"));
        assert_eq!(c.book.language, "fr");
    }
}
