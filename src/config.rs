//! `book.toml`: the project's configuration, read strictly.
//!
//! Key names follow mdBook where the two overlap (`[book] title`, `src`, `[build] build-dir`), so
//! an mdBook project's `book.toml` is read as it is: accord honours the mdBook keys it can
//! (`[output.html]` extra CSS and JavaScript, repository and edit links, redirects) and lists the
//! ones it ignores (`[preprocessor.*]`, `[rust]`, other renderers) in one note. accord's own
//! tables are strict: every unknown key in them is an error at its line, all reported at once,
//! because a misspelt key that is silently ignored is a bug nobody can see.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{did_you_mean, line_col, Diagnostic, Error, Result};

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    #[serde(default)]
    pub book: BookConfig,
    /// mdBook's renderer settings; accord reads `[output.html]` (see [`HtmlOutput`]).
    #[serde(default)]
    pub output: Output,
    /// Notes about settings accord does not use, for the editor.
    #[serde(skip)]
    pub notes: Vec<Diagnostic>,
    /// Whether the project has a book.toml at all (a plain Markdown folder has none).
    #[serde(skip)]
    pub has_file: bool,
    #[serde(default)]
    pub build: BuildConfig,
    #[serde(default)]
    pub site: SiteConfig,
    #[serde(default)]
    pub glossary: GlossaryConfig,
    #[serde(default)]
    pub search: SearchConfig,
    #[serde(default)]
    pub check: CheckConfig,
    /// `[languages.de]`, …: the further languages the site is published in, besides `[book]
    /// language`.
    #[serde(default)]
    pub languages: std::collections::BTreeMap<String, LanguageConfig>,
    #[serde(default)]
    pub bundle: BundleConfig,
}

/// One further language: its site's title and description in that language.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LanguageConfig {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// The keys of a `[languages.CODE]` table.
const LANGUAGE_KEYS: &[&str] = &["title", "description"];

/// mdBook's `[output]` table: accord reads its `html` part.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Output {
    #[serde(default)]
    pub html: HtmlOutput,
}

/// The `[output.html]` keys accord honours; the others are listed in a note.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct HtmlOutput {
    /// Style sheets, relative to the project folder, added to every page after the theme's.
    #[serde(default)]
    pub additional_css: Vec<PathBuf>,
    /// Scripts, relative to the project folder, added to every page after the theme's.
    #[serde(default)]
    pub additional_js: Vec<PathBuf>,
    /// Shown as a link to the book's source.
    #[serde(default)]
    pub git_repository_url: Option<String>,
    /// `{path}` is replaced by the page's file path: a "Suggest an edit" link on every page.
    #[serde(default)]
    pub edit_url_template: Option<String>,
    /// Old path (from the site root) → where the page is now: a redirect page is written.
    #[serde(default)]
    pub redirect: std::collections::BTreeMap<String, String>,
}

/// `[output.html]` keys accord reads; the rest of mdBook's are ignored with a note.
const HTML_OUTPUT_KEYS: &[&str] = &[
    "additional-css",
    "additional-js",
    "git-repository-url",
    "edit-url-template",
    "redirect",
];

/// Keys accord accepts in each of its own tables, and mdBook keys it accepts there but ignores.
const TABLES: &[(&str, &[&str], &[&str])] = &[
    (
        "book",
        &["title", "description", "authors", "language", "src"],
        &["multilingual", "text-direction"],
    ),
    (
        "build",
        &["build-dir", "theme", "allow-html"],
        &[
            "create-missing",
            "use-default-preprocessors",
            "extra-watch-dirs",
        ],
    ),
    ("site", &["base-url", "short-title"], &[]),
    ("glossary", &["link"], &[]),
    ("search", &["index-budget"], &[]),
    ("check", &["review-after-months"], &[]),
    ("bundle", &["publish"], &[]),
];

/// mdBook tables accord ignores as a whole.
const MDBOOK_TABLES: &[&str] = &["preprocessor", "rust"];

#[derive(Debug, Clone, Deserialize)]
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
    /// Whether `src` was written in book.toml (else accord picks the folder, see [`Config::load`]).
    #[serde(skip)]
    pub src_given: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct BuildConfig {
    #[serde(default = "default_build_dir")]
    pub build_dir: PathBuf,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub allow_html: HtmlPolicy,
    /// Whether `allow-html` was written in book.toml (else an mdBook book gets `"safe"`).
    #[serde(skip)]
    pub html_given: bool,
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
#[serde(rename_all = "kebab-case")]
pub struct SiteConfig {
    /// Only absolute URLs in sitemap.xml and the feed use it; pages link relatively. Kept with
    /// its place in book.toml so that a bad value is reported there.
    #[serde(default)]
    pub base_url: Option<String>,
    /// The name under an icon on a phone's home screen (the web app manifest's `short_name`);
    /// the title when not set.
    #[serde(default)]
    pub short_title: Option<String>,
}

/// `[bundle]`: the offline zip as part of the published site.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct BundleConfig {
    /// `accord build` also writes the zip of `accord bundle` into the site, and the site's
    /// "Reading offline" page links it with its size and SHA-256 (as `accord build --bundle`).
    #[serde(default)]
    pub publish: bool,
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
#[serde(rename_all = "kebab-case")]
pub struct GlossaryConfig {
    #[serde(default)]
    pub link: LinkScope,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
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

/// `[check]`: audits whose thresholds a project chooses.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CheckConfig {
    /// `accord check` warns when a page of a kind that must list sources was last reviewed
    /// (`updated`) longer ago than this; `0` turns the warning off.
    #[serde(default = "default_review_after_months")]
    pub review_after_months: u32,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            review_after_months: default_review_after_months(),
        }
    }
}

/// Two years: treaties change slowly, national procedures and figures "as of" a date do not.
fn default_review_after_months() -> u32 {
    24
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
            src_given: false,
        }
    }
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            build_dir: default_build_dir(),
            theme: default_theme(),
            allow_html: HtmlPolicy::Text,
            html_given: false,
        }
    }
}

impl Config {
    /// Reads `book.toml` in `root`. A project without one gets the defaults (the pipeline then
    /// takes its title from its README, see `pipeline::config`). Without `src`, the content folder is
    /// `src` when it holds an mdBook `SUMMARY.md`, else `content` when that exists, else the
    /// project folder itself.
    pub fn load(root: &Path) -> Result<Config> {
        let file = root.join("book.toml");
        // Diagnostics name it as the content files are named: relative to the project.
        let path = Path::new("book.toml");
        let mut config = match std::fs::read(&file) {
            Ok(bytes) => match std::str::from_utf8(&bytes) {
                Ok(text) => {
                    let mut c = Config::parse(text, path)?;
                    c.has_file = true;
                    c
                }
                Err(e) => {
                    let good = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned();
                    let (line, col) = line_col(&good, good.len());
                    return Err(Error::Content(vec![Diagnostic::error(
                        path,
                        line,
                        col,
                        "book.toml is not valid UTF-8",
                    )
                    .with_hint("save the file with UTF-8 encoding")]));
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::parse("", path)?,
            Err(e) => return Err(Error::io(&file, e)),
        };
        if !config.book.src_given {
            config.book.src = if root.join("src/SUMMARY.md").is_file() {
                "src".into()
            } else if root.join("content").is_dir() || config.has_file {
                "content".into()
            } else {
                ".".into()
            };
        }
        // mdBook publishes raw HTML, and its books use it (`<details>`, `<kbd>`, anchors): an
        // mdBook book keeps the harmless part of it unless book.toml says otherwise.
        if !config.build.html_given && root.join(&config.book.src).join("SUMMARY.md").is_file() {
            config.build.allow_html = HtmlPolicy::Safe;
        }
        Ok(config)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let (notes, errors) = check_keys(text, path);
        if !errors.is_empty() {
            return Err(Error::Content(errors));
        }
        // Every key was checked above; serde reads the values (and reports wrong types) and
        // passes over the keys the note lists.
        let mut config: Config = toml::from_str(text)
            .map_err(|e| Error::Content(vec![toml_diagnostic(&e, text, path)]))?;
        config.book.src_given = key_position(text, "book", "src").0 > 0;
        config.build.html_given = key_position(text, "build", "allow-html").0 > 0;
        config.notes = notes;
        if config.languages.contains_key(&config.book.language) {
            let (line, col) = key_position(text, "book", "language");
            return Err(Error::Content(vec![Diagnostic::error(
                path,
                line,
                col,
                format!(
                    "`{}` is the book's language and also one of `[languages]`",
                    config.book.language
                ),
            )
            .with_hint(
                "list under `[languages]` only the languages besides `[book] language`",
            )]));
        }
        if let Some(base) = &config.site.base_url {
            if !crate::safe_url::is_web_url(base) {
                let (line, col) = key_position(text, "site", "base-url");
                return Err(Error::Content(vec![Diagnostic::error(
                    path,
                    line,
                    col,
                    format!("`base-url` must be an http or https address: `{base}`"),
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

    /// The further languages' codes, in book.toml's order (sorted).
    pub fn further_languages(&self) -> Vec<String> {
        self.languages.keys().cloned().collect()
    }

    /// This configuration as the site in `code` sees it: that language, with its title and
    /// description where `[languages.CODE]` gives them.
    pub fn for_language(&self, code: &str) -> Config {
        let mut c = self.clone();
        if let Some(l) = self.languages.get(code) {
            c.book.language = code.to_string();
            if let Some(t) = &l.title {
                c.book.title = t.clone();
            }
            if let Some(d) = &l.description {
                c.book.description = d.clone();
            }
        }
        c
    }

    /// `[site] base-url`, if set.
    pub fn base_url(&self) -> Option<&str> {
        self.site.base_url.as_deref()
    }
}

/// Checks every key of book.toml at once: unknown keys of accord's tables are errors at their
/// place; mdBook's tables and keys that accord ignores go into one note.
fn check_keys(text: &str, path: &Path) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let Ok(doc) = toml_edit::ImDocument::parse(text) else {
        // The strict reading reports the syntax error with its place.
        return (Vec::new(), Vec::new());
    };
    let at =
        |span: Option<std::ops::Range<usize>>| span.map_or((0, 0), |s| line_col(text, s.start));
    let mut errors = Vec::new();
    let mut ignored: Vec<String> = Vec::new();
    let tables: Vec<&str> = TABLES
        .iter()
        .map(|t| t.0)
        .chain(["output", "languages"])
        .chain(MDBOOK_TABLES.iter().copied())
        .collect();
    for (key, item) in doc.as_table().iter() {
        let key_span = doc.as_table().key(key).and_then(|k| k.span());
        if MDBOOK_TABLES.contains(&key) {
            ignored.push(format!("[{key}]"));
            continue;
        }
        if key == "languages" {
            errors.extend(check_languages(text, item, path));
            continue;
        }
        if key == "output" {
            if let Some(output) = item.as_table_like() {
                for (renderer, r) in output.iter() {
                    if renderer != "html" {
                        ignored.push(format!("[output.{renderer}]"));
                        continue;
                    }
                    for (k, _) in r.as_table_like().into_iter().flat_map(|t| t.iter()) {
                        if !HTML_OUTPUT_KEYS.contains(&k) {
                            ignored.push(format!("output.html.{k}"));
                        }
                    }
                }
            }
            continue;
        }
        let Some((_, allowed, mdbook)) = TABLES.iter().find(|t| t.0 == key) else {
            let (line, col) = at(key_span);
            let mut d = Diagnostic::error(path, line, col, format!("unknown table `[{key}]`"));
            d.hint = Some(match did_you_mean(key, &tables) {
                Some(n) => format!("did you mean `[{n}]`? (tables: {})", tables.join(", ")),
                None => format!("tables: {}", tables.join(", ")),
            });
            errors.push(d);
            continue;
        };
        let Some(table) = item.as_table_like() else {
            continue;
        };
        for (k, _) in table.iter() {
            if allowed.contains(&k) {
                continue;
            }
            if mdbook.contains(&k) {
                ignored.push(format!("{key}.{k}"));
                continue;
            }
            let (line, col) = at(table.get_key_value(k).and_then(|(kk, _)| kk.span()));
            let mut d = Diagnostic::error(path, line, col, format!("unknown key `{k}`"));
            let mut hint = format!("allowed keys here: {}", allowed.join(", "));
            if let Some(near) = did_you_mean(k, allowed) {
                hint = format!("did you mean `{near}`? ({hint})");
            }
            d.hint = Some(hint);
            errors.push(d);
        }
    }
    let notes = if ignored.is_empty() {
        Vec::new()
    } else {
        vec![Diagnostic::note(
            path,
            0,
            0,
            format!(
                "accord ignores these mdBook settings: {}",
                ignored.join(", ")
            ),
        )
        .with_hint(
            "preprocessors and other renderers are mdBook's; accord builds the HTML site itself",
        )]
    };
    (notes, errors)
}

/// `[languages.CODE]` tables: a language code each, holding only `title` and `description`.
fn check_languages(text: &str, item: &toml_edit::Item, path: &Path) -> Vec<Diagnostic> {
    let at =
        |span: Option<std::ops::Range<usize>>| span.map_or((0, 0), |s| line_col(text, s.start));
    let mut errors = Vec::new();
    let Some(languages) = item.as_table_like() else {
        return errors;
    };
    for (code, table) in languages.iter() {
        let code_span = languages.get_key_value(code).and_then(|(k, _)| k.span());
        if !is_language_code(code) {
            let (line, col) = at(code_span);
            errors.push(
                Diagnostic::error(path, line, col, format!("`{code}` is not a language code"))
                    .with_hint("name each language by its code: `[languages.de]`, `[languages.pl]`, `[languages.nb]`"),
            );
            continue;
        }
        let Some(table) = table.as_table_like() else {
            let (line, col) = at(code_span);
            errors.push(
                Diagnostic::error(
                    path,
                    line,
                    col,
                    format!("`languages.{code}` must be a table"),
                )
                .with_hint(format!(
                    "write `[languages.{code}]` with `title` and `description` below it"
                )),
            );
            continue;
        };
        for (k, _) in table.iter() {
            if LANGUAGE_KEYS.contains(&k) {
                continue;
            }
            let (line, col) = at(table.get_key_value(k).and_then(|(kk, _)| kk.span()));
            let mut hint = format!("allowed keys here: {}", LANGUAGE_KEYS.join(", "));
            if let Some(near) = did_you_mean(k, LANGUAGE_KEYS) {
                hint = format!("did you mean `{near}`? ({hint})");
            }
            errors.push(
                Diagnostic::error(path, line, col, format!("unknown key `{k}`")).with_hint(hint),
            );
        }
    }
    errors
}

/// A BCP 47 language tag as sites use them: `de`, `nb`, `pt-BR`, `zh-Hant`.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Line and column of `key` in `[table]`, for errors found after parsing.
fn key_position(text: &str, table: &str, key: &str) -> (usize, usize) {
    let Ok(doc) = toml_edit::ImDocument::parse(text) else {
        return (0, 0);
    };
    doc.as_table()
        .get(table)
        .and_then(|t| t.as_table_like())
        .and_then(|t| t.get_key_value(key))
        .and_then(|(_, v)| v.span())
        .map_or((0, 0), |s| line_col(text, s.start))
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
