//! The content model: Markdown files with YAML front matter, read and validated.
//!
//! Front matter is strict and typed by `kind`: each kind accepts the common keys plus its own.
//! Every error carries the line in the *file*, not in the YAML block, because that is what an
//! editor's cursor sees.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::countries;
use crate::error::{did_you_mean, Diagnostic, Error, Result};
use crate::markdown::{self, Analysis};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Principle,
    Instrument,
    Agreement,
    Initiative,
    Organisation,
    Event,
    Practice,
    Term,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Principle,
        Kind::Instrument,
        Kind::Agreement,
        Kind::Initiative,
        Kind::Organisation,
        Kind::Event,
        Kind::Practice,
        Kind::Term,
        Kind::Page,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Principle => "principle",
            Kind::Instrument => "instrument",
            Kind::Agreement => "agreement",
            Kind::Initiative => "initiative",
            Kind::Organisation => "organisation",
            Kind::Event => "event",
            Kind::Practice => "practice",
            Kind::Term => "term",
            Kind::Page => "page",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Principle => "Principle",
            Kind::Instrument => "Instrument",
            Kind::Agreement => "Agreement",
            Kind::Initiative => "Initiative",
            Kind::Organisation => "Organisation",
            Kind::Event => "Event",
            Kind::Practice => "Practice",
            Kind::Term => "Glossary term",
            Kind::Page => "Page",
        }
    }

    pub fn plural_label(self) -> &'static str {
        match self {
            Kind::Principle => "Principles",
            Kind::Instrument => "Instruments",
            Kind::Agreement => "Agreements",
            Kind::Initiative => "Initiatives",
            Kind::Organisation => "Organisations",
            Kind::Event => "Events",
            Kind::Practice => "Practices",
            Kind::Term => "Glossary terms",
            Kind::Page => "Pages",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Kinds whose pages state facts and so must list their sources.
    pub fn needs_sources(self) -> bool {
        !matches!(self, Kind::Page | Kind::Term)
    }

    fn own_keys(self) -> &'static [&'static str] {
        match self {
            Kind::Principle => &["elements"],
            Kind::Instrument => &[
                "short_title",
                "adopted",
                "in_force",
                "binding",
                "body",
                "depositary",
                "monitoring",
            ],
            Kind::Agreement => &["short_title", "signed", "parties", "elements"],
            Kind::Initiative => &["region", "started", "ended"],
            Kind::Organisation => &["abbreviation", "founded", "website"],
            Kind::Event => &["date", "end_date", "place"],
            Kind::Term => &["term", "abbreviation", "aliases", "definition", "see_also"],
            Kind::Practice | Kind::Page => &[],
        }
    }

    pub fn allowed_keys(self) -> Vec<&'static str> {
        let mut keys = COMMON_KEYS.to_vec();
        keys.extend_from_slice(self.own_keys());
        keys
    }
}

pub const COMMON_KEYS: &[&str] = &[
    "kind",
    "title",
    "summary",
    "tags",
    "regions",
    "countries",
    "stakeholders",
    "sources",
    "related",
    "cites",
    "updated",
    "draft",
    "weight",
    "glossary",
];

pub const STAKEHOLDERS: &[&str] = &[
    "law-enforcement",
    "ngo",
    "labour-inspectorate",
    "prosecution",
    "judiciary",
    "immigration",
    "border-guard",
    "social-services",
    "health",
    "igo",
    "government",
    "private-sector",
    "trade-union",
    "research",
];

pub fn stakeholder_label(s: &str) -> String {
    match s {
        "law-enforcement" => "Law enforcement".into(),
        "ngo" => "NGOs".into(),
        "labour-inspectorate" => "Labour inspectorates".into(),
        "prosecution" => "Prosecution".into(),
        "judiciary" => "Judiciary".into(),
        "immigration" => "Immigration authorities".into(),
        "border-guard" => "Border guards".into(),
        "social-services" => "Social services".into(),
        "health" => "Health services".into(),
        "igo" => "International organisations".into(),
        "government" => "Government".into(),
        "private-sector" => "Private sector".into(),
        "trade-union" => "Trade unions".into(),
        "research" => "Research".into(),
        other => other.into(),
    }
}

/// The components an MoU can contain: the columns of the comparison matrix.
pub const ELEMENTS: &[(&str, &str)] = &[
    ("roles", "Roles and responsibilities"),
    ("coordination", "Coordination"),
    ("information-exchange", "Information exchange"),
    ("data-protection", "Data protection"),
    ("joint-operations", "Joint operations"),
    ("victim-support", "Victim support"),
    ("referral", "Referral"),
    ("training", "Training"),
    ("funding", "Funding"),
    ("review", "Review"),
    ("dispute-resolution", "Dispute resolution"),
    ("termination", "Termination"),
];

pub fn element_label(e: &str) -> &str {
    ELEMENTS.iter().find(|(k, _)| *k == e).map_or(e, |(_, l)| l)
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub publisher: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    pub instrument: String,
    #[serde(default)]
    pub articles: Vec<String>,
}

/// `elements` is a list on principles and a map (element → heading anchor) on agreements.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Elements {
    List(Vec<String>),
    Map(BTreeMap<String, String>),
}

/// Every key any kind accepts; which ones a given kind may use is checked before this is filled.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub kind: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub stakeholders: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub cites: Vec<Citation>,
    pub updated: Option<String>,
    #[serde(default)]
    pub draft: bool,
    pub weight: Option<i64>,
    pub glossary: Option<bool>,
    // principle, agreement
    pub elements: Option<Elements>,
    // instrument, agreement
    pub short_title: Option<String>,
    pub adopted: Option<String>,
    pub in_force: Option<String>,
    pub binding: Option<bool>,
    pub body: Option<String>,
    pub depositary: Option<String>,
    pub monitoring: Option<String>,
    pub signed: Option<String>,
    #[serde(default)]
    pub parties: Vec<String>,
    // initiative
    pub region: Option<String>,
    pub started: Option<String>,
    pub ended: Option<String>,
    // organisation, term
    pub abbreviation: Option<String>,
    pub founded: Option<String>,
    pub website: Option<String>,
    // event
    pub date: Option<String>,
    pub end_date: Option<String>,
    pub place: Option<String>,
    // term
    pub term: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub definition: Option<String>,
    #[serde(default)]
    pub see_also: Vec<String>,
}

impl FrontMatter {
    /// The agreement's element map, or the principle's element list as keys.
    pub fn element_names(&self) -> Vec<String> {
        match &self.elements {
            Some(Elements::List(l)) => l.clone(),
            Some(Elements::Map(m)) => m.keys().cloned().collect(),
            None => Vec::new(),
        }
    }

    /// The date a page is placed at on a time axis and sorted by.
    pub fn key_date(&self) -> Option<&str> {
        [
            &self.date,
            &self.adopted,
            &self.signed,
            &self.started,
            &self.founded,
        ]
        .into_iter()
        .find_map(|d| d.as_deref())
    }
}

/// One Markdown file, read and checked.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path as shown in diagnostics: the content directory joined with `rel`.
    pub source: PathBuf,
    /// Path relative to the content directory, with `/` separators: `principles/trust.md`.
    pub rel: String,
    /// Output path relative to the site root: `principles/trust.html`.
    pub url: String,
    /// An `_index.md`: the page of its folder.
    pub is_index: bool,
    pub kind: Kind,
    pub title: String,
    pub meta: FrontMatter,
    pub body: String,
    /// The line in the file where `body` starts, so Markdown positions map back to the file.
    pub body_line: usize,
    /// The file line of each top-level front-matter key, for errors found in later stages.
    pub key_lines: BTreeMap<String, usize>,
    pub analysis: Analysis,
}

impl Page {
    /// File line of a front-matter key, or of the front matter's start when it is absent.
    pub fn key_line(&self, key: &str) -> usize {
        self.key_lines.get(key).copied().unwrap_or(1)
    }

    /// The folder the page belongs to, relative to the content directory ("" for the root).
    pub fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(d, _)| d)
    }

    /// The term's identifier used in `glossary:` links: the file name without `.md`.
    pub fn slug(&self) -> &str {
        let name = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        name.strip_suffix(".md").unwrap_or(name)
    }
}

/// A file read: a page, a draft (`None`), or its problems.
type Parsed = std::result::Result<Option<Page>, Vec<Diagnostic>>;

/// Everything the load stage produced.
pub struct Loaded {
    pub pages: Vec<Page>,
    /// Other files (images, PDFs), by path relative to the content directory.
    pub assets: Vec<String>,
    /// Files that exist but could not be read; links to them are not reported as missing.
    pub failed: Vec<String>,
    /// Errors and warnings, from every file.
    pub diagnostics: Vec<Diagnostic>,
}

/// Walks the content directory and reads every `*.md` file, reporting every problem at once.
pub fn load(content_dir: &Path, display_dir: &Path) -> Result<Loaded> {
    if !content_dir.is_dir() {
        return Err(Error::Content(vec![Diagnostic::error(
            display_dir,
            0,
            0,
            "content directory not found",
        )
        .with_hint("create it, or set `src` under [book] in book.toml")]));
    }
    let Scan {
        markdown,
        assets,
        diagnostics: mut diags,
    } = scan(content_dir);
    let files: Vec<std::path::PathBuf> = markdown.into_iter().map(|(_, p)| p).collect();

    let results: Vec<(String, Parsed)> = files
        .par_iter()
        .map(|path| {
            let rel = path
                .strip_prefix(content_dir)
                .unwrap_or(path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let source = display_dir.join(&rel);
            let parsed = match std::fs::read(path) {
                Ok(bytes) => parse_page(&bytes, &rel, &source),
                Err(e) => Err(vec![Diagnostic::error(
                    &source,
                    0,
                    0,
                    format!("cannot read: {e}"),
                )]),
            };
            (rel, parsed)
        })
        .collect();

    let mut pages = Vec::new();
    let mut failed = Vec::new();
    for (rel, r) in results {
        match r {
            Ok(Some(p)) => pages.push(p),
            Ok(None) => {}
            Err(d) => {
                failed.push(rel);
                diags.extend(d);
            }
        }
    }
    check_duplicate_outputs(&pages, &mut diags);
    Ok(Loaded {
        pages,
        assets,
        failed,
        diagnostics: diags,
    })
}

/// The files of a content directory, sorted by path.
pub struct Scan {
    /// Markdown files: path relative to the content directory (with `/`), and full path.
    pub markdown: Vec<(String, PathBuf)>,
    /// Every other file, relative to the content directory.
    pub assets: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// `a/b.md` for `<content>/a/b.md`, with `/` separators on every system.
pub fn rel_path(content_dir: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(content_dir).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// Lists the content directory, leaving out editors' swap and backup files.
pub fn scan(content_dir: &Path) -> Scan {
    let mut out = Scan {
        markdown: Vec::new(),
        assets: Vec::new(),
        diagnostics: Vec::new(),
    };
    for entry in walkdir::WalkDir::new(content_dir).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let name = e.file_name().to_string_lossy();
                if is_editor_temp(&name) {
                    continue;
                }
                let Some(rel) = rel_path(content_dir, e.path()) else {
                    continue;
                };
                if name.ends_with(".md") {
                    out.markdown.push((rel, e.into_path()));
                } else {
                    out.assets.push(rel);
                }
            }
            Ok(_) => {}
            Err(e) => out.diagnostics.push(Diagnostic::error(
                e.path().unwrap_or(content_dir),
                0,
                0,
                format!("cannot read: {e}"),
            )),
        }
    }
    out
}

/// Swap, backup and lock files that editors write beside the real file.
pub fn is_editor_temp(name: &str) -> bool {
    name.starts_with(".#")
        || name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with('#')
}

/// Output path of a content file: `a/b.md` → `a/b.html`, `a/_index.md` → `a/index.html`.
pub fn output_path(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    match stem.strip_suffix("_index") {
        Some(dir) => format!("{dir}index.html"),
        None => format!("{stem}.html"),
    }
}

/// Two files that would be written to one output path (compared without case, for systems
/// whose file names ignore it).
pub fn check_duplicate_outputs(pages: &[Page], diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, &Page> = BTreeMap::new();
    for p in pages {
        let key = p.url.to_lowercase();
        if let Some(first) = seen.get(&key) {
            diags.push(
                Diagnostic::error(
                    &p.source,
                    1,
                    1,
                    format!(
                        "`{}` would be written to `{}`, which `{}` already produces",
                        p.rel,
                        p.url,
                        first.source.display()
                    ),
                )
                .with_hint("rename one of the two files"),
            );
        } else {
            seen.insert(key, p);
        }
    }
}

/// Reads one file. `Ok(None)` means a draft, which is not published.
pub fn parse_page(
    bytes: &[u8],
    rel: &str,
    source: &Path,
) -> std::result::Result<Option<Page>, Vec<Diagnostic>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            let col = good.iter().rev().take_while(|b| **b != b'\n').count() + 1;
            return Err(vec![Diagnostic::error(
                source,
                line,
                col,
                "file is not valid UTF-8",
            )
            .with_hint("save the file with UTF-8 encoding")]);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let split = split_front_matter(text).map_err(|line| {
        vec![
            Diagnostic::error(source, line, 1, "front matter is not closed")
                .with_hint("end the front matter with a line containing only `---`"),
        ]
    })?;

    let mut diags = Vec::new();
    let (meta, key_lines) = match split.yaml {
        Some(yaml) => parse_front_matter(yaml, split.yaml_line, source, &mut diags),
        None => (Some(FrontMatter::default()), BTreeMap::new()),
    };
    let Some(meta) = meta else {
        return Err(diags);
    };
    if meta.draft {
        return Ok(None);
    }
    let kind = meta
        .kind
        .as_deref()
        .and_then(Kind::parse)
        .unwrap_or(Kind::Page);
    let key_line = |k: &str| key_lines.get(k).copied().unwrap_or(1);

    let mut body = split.body.to_string();
    let mut body_line = split.body_line;
    let title = match (&meta.title, kind, &meta.term) {
        (Some(t), _, _) => t.clone(),
        (None, Kind::Term, Some(term)) => term.clone(),
        (None, _, _) if split.yaml.is_none() => match take_first_heading(&body) {
            Some((t, rest, skipped_lines)) => {
                body = rest;
                body_line += skipped_lines;
                t
            }
            None => {
                diags.push(
                    Diagnostic::error(source, 1, 1, "page has no title").with_hint(
                        "start the file with a `# Heading` or add front matter with `title:`",
                    ),
                );
                String::new()
            }
        },
        _ => {
            let what = if kind == Kind::Term { "term" } else { "title" };
            diags.push(
                Diagnostic::error(
                    source,
                    split.yaml_line,
                    1,
                    format!("missing required key `{what}`"),
                )
                .with_hint(format!("add `{what}: ...` to the front matter")),
            );
            String::new()
        }
    };
    if title.trim().is_empty() && diags.is_empty() {
        diags.push(Diagnostic::error(
            source,
            key_line("title"),
            1,
            "title is empty",
        ));
    }

    validate(&meta, kind, source, &key_line, &mut diags);

    let analysis = markdown::analyze(&body);
    if !diags.is_empty() {
        return Err(diags);
    }
    let is_index = rel == "_index.md" || rel.ends_with("/_index.md");
    Ok(Some(Page {
        source: source.to_path_buf(),
        rel: rel.to_string(),
        url: output_path(rel),
        is_index,
        kind,
        title,
        meta,
        body,
        body_line,
        key_lines,
        analysis,
    }))
}

struct Split<'a> {
    yaml: Option<&'a str>,
    /// File line of the first YAML line.
    yaml_line: usize,
    body: &'a str,
    body_line: usize,
}

/// Separates `---` front matter from the body. `Err(line)` when the block is never closed.
fn split_front_matter(text: &str) -> std::result::Result<Split<'_>, usize> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        return Ok(Split {
            yaml: None,
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    }
    let mut offset = first_line_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        let l = text[offset..end].trim_end();
        if l == "---" || l == "..." {
            return Ok(Split {
                yaml: Some(&text[first_line_end..offset]),
                yaml_line: 2,
                body: &text[end..],
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(1)
}

/// Splits off a leading `# Title` line of a file that has no front matter.
fn take_first_heading(body: &str) -> Option<(String, String, usize)> {
    let mut skipped = 0;
    let mut rest = body;
    loop {
        let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = rest[..end].trim();
        if line.is_empty() {
            if end == 0 {
                return None;
            }
            rest = &rest[end..];
            skipped += 1;
            continue;
        }
        let title = line.strip_prefix("# ")?.trim().trim_end_matches('#').trim();
        return Some((title.to_string(), rest[end..].to_string(), skipped + 1));
    }
}

/// Top-level keys and the file lines they are on. Top-level keys start at column 1, so a line
/// scan is exact for them and avoids depending on the YAML parser's position reporting.
fn top_level_key_lines(yaml: &str, first_line: usize) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (i, line) in yaml.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if let Some((key, _)) = line.split_once(':') {
            let key = key.trim().trim_matches(['"', '\'']);
            if !key.is_empty() {
                out.entry(key.to_string()).or_insert(first_line + i);
            }
        }
    }
    out
}

fn parse_front_matter(
    yaml: &str,
    first_line: usize,
    source: &Path,
    diags: &mut Vec<Diagnostic>,
) -> (Option<FrontMatter>, BTreeMap<String, usize>) {
    let key_lines = top_level_key_lines(yaml, first_line);
    let yaml_error = |e: &serde_yaml::Error| {
        let (line, col) = e
            .location()
            .map_or((first_line, 1), |l| (first_line + l.line() - 1, l.column()));
        let msg = e.to_string();
        // serde_yaml appends " at line X column Y" relative to the block; the prefix is ours.
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        Diagnostic::error(source, line, col, msg)
    };
    if yaml.trim().is_empty() {
        return (Some(FrontMatter::default()), key_lines);
    }
    let value: serde_yaml::Value = match serde_yaml::from_str(yaml) {
        Ok(v) => v,
        Err(e) => {
            diags.push(
                yaml_error(&e).with_hint("front matter must be valid YAML: `key: value` lines"),
            );
            return (None, key_lines);
        }
    };
    let map = match value {
        serde_yaml::Value::Mapping(m) => m,
        serde_yaml::Value::Null => return (Some(FrontMatter::default()), key_lines),
        _ => {
            diags.push(Diagnostic::error(
                source,
                first_line,
                1,
                "front matter must be a set of `key: value` lines",
            ));
            return (None, key_lines);
        }
    };
    let kind = match map.get("kind") {
        None => Kind::Page,
        Some(serde_yaml::Value::String(s)) => match Kind::parse(s) {
            Some(k) => k,
            None => {
                let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                let mut d = Diagnostic::error(
                    source,
                    key_lines.get("kind").copied().unwrap_or(first_line),
                    1,
                    format!("unknown kind `{s}`"),
                );
                d.hint = Some(match did_you_mean(s, &names) {
                    Some(n) => format!("did you mean `{n}`? (kinds: {})", names.join(", ")),
                    None => format!("kinds: {}", names.join(", ")),
                });
                diags.push(d);
                return (None, key_lines);
            }
        },
        Some(_) => {
            diags.push(Diagnostic::error(
                source,
                key_lines.get("kind").copied().unwrap_or(first_line),
                1,
                "`kind` must be a word such as `principle`",
            ));
            return (None, key_lines);
        }
    };
    let allowed = kind.allowed_keys();
    let mut bad_key = false;
    for key in map.keys() {
        let key = match key {
            serde_yaml::Value::String(s) => s.clone(),
            other => format!("{other:?}"),
        };
        if !allowed.contains(&key.as_str()) {
            bad_key = true;
            let line = key_lines.get(&key).copied().unwrap_or(first_line);
            let is_other_kinds = Kind::ALL
                .iter()
                .any(|k| k.own_keys().contains(&key.as_str()));
            let hint = match did_you_mean(&key, &allowed) {
                Some(near) => format!("did you mean `{near}`?"),
                None if is_other_kinds => format!(
                    "`{key}` belongs to another kind; kind `{}` allows: {}",
                    kind.as_str(),
                    allowed.join(", ")
                ),
                None => format!(
                    "allowed keys for kind `{}`: {}",
                    kind.as_str(),
                    allowed.join(", ")
                ),
            };
            diags.push(
                Diagnostic::error(
                    source,
                    line,
                    1,
                    format!("unknown key `{key}` for kind `{}`", kind.as_str()),
                )
                .with_hint(hint),
            );
        }
    }
    if bad_key {
        return (None, key_lines);
    }
    match serde_yaml::from_str::<FrontMatter>(yaml) {
        Ok(fm) => (Some(fm), key_lines),
        Err(e) => {
            diags.push(yaml_error(&e));
            (None, key_lines)
        }
    }
}

pub fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => num(y, 4),
        [y, m] => num(y, 4) && num(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [y, m, d] => {
            num(y, 4)
                && num(m, 2)
                && num(d, 2)
                && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
                && (1..=31).contains(&d.parse::<u32>().unwrap_or(0))
        }
        _ => false,
    }
}

fn validate(
    meta: &FrontMatter,
    kind: Kind,
    source: &Path,
    key_line: &dyn Fn(&str) -> usize,
    diags: &mut Vec<Diagnostic>,
) {
    let mut err = |key: &str, msg: String, hint: Option<String>| {
        let mut d = Diagnostic::error(source, key_line(key), 1, msg);
        d.hint = hint;
        diags.push(d);
    };
    let date_keys: [(&str, &Option<String>); 10] = [
        ("updated", &meta.updated),
        ("adopted", &meta.adopted),
        ("in_force", &meta.in_force),
        ("signed", &meta.signed),
        ("started", &meta.started),
        ("ended", &meta.ended),
        ("founded", &meta.founded),
        ("date", &meta.date),
        ("end_date", &meta.end_date),
        ("updated", &meta.updated),
    ];
    for (key, value) in date_keys {
        if let Some(v) = value {
            if !valid_date(v) {
                err(
                    key,
                    format!("`{key}` is not a date: `{v}`"),
                    Some("write dates as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"".into()),
                );
            }
        }
    }
    for c in &meta.countries {
        if countries::name(c).is_none() {
            let hint = if countries::name(&c.to_uppercase()).is_some() {
                format!("write it in capitals: `{}`", c.to_uppercase())
            } else {
                "use ISO 3166-1 alpha-2 codes such as DE, IT, GB".into()
            };
            err(
                "countries",
                format!("unknown country code `{c}`"),
                Some(hint),
            );
        }
    }
    for s in &meta.stakeholders {
        if !STAKEHOLDERS.contains(&s.as_str()) {
            let hint = match did_you_mean(s, STAKEHOLDERS) {
                Some(n) => format!("did you mean `{n}`? (allowed: {})", STAKEHOLDERS.join(", ")),
                None => format!("allowed: {}", STAKEHOLDERS.join(", ")),
            };
            err(
                "stakeholders",
                format!("unknown stakeholder `{s}`"),
                Some(hint),
            );
        }
    }
    let element_keys: Vec<&str> = ELEMENTS.iter().map(|(k, _)| *k).collect();
    match (&meta.elements, kind) {
        (Some(Elements::Map(_)), Kind::Principle) => err(
            "elements",
            "`elements` of a principle is a list of element names".into(),
            Some("write `elements: [roles, training]`".into()),
        ),
        (Some(Elements::List(_)), Kind::Agreement) => err(
            "elements",
            "`elements` of an agreement maps each element to the heading that covers it".into(),
            Some(
                "write `elements: {roles: roles-and-responsibilities}` (element: heading anchor)"
                    .into(),
            ),
        ),
        _ => {}
    }
    for e in meta.element_names() {
        if !element_keys.contains(&e.as_str()) {
            let hint = match did_you_mean(&e, &element_keys) {
                Some(n) => format!(
                    "did you mean `{n}`? (elements: {})",
                    element_keys.join(", ")
                ),
                None => format!("elements: {}", element_keys.join(", ")),
            };
            err("elements", format!("unknown MoU element `{e}`"), Some(hint));
        }
    }
    for (i, s) in meta.sources.iter().enumerate() {
        if s.title.trim().is_empty() {
            err(
                "sources",
                format!("source {} has an empty title", i + 1),
                None,
            );
        }
        if s.publisher.as_deref().is_none_or(|p| p.trim().is_empty()) {
            err(
                "sources",
                format!("source {} (`{}`) has no publisher", i + 1, s.title),
                Some("add `publisher: ...` to the source".into()),
            );
        }
        if let Some(d) = &s.date {
            if !valid_date(d) {
                err(
                    "sources",
                    format!("source {} has an invalid date `{d}`", i + 1),
                    Some("write dates as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"".into()),
                );
            }
        }
        if let Some(u) = &s.url {
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                err(
                    "sources",
                    format!("source {} has a URL that is not http(s): `{u}`", i + 1),
                    None,
                );
            }
        }
    }
    if kind.needs_sources() && meta.sources.is_empty() {
        err(
            "kind",
            format!(
                "a page of kind `{}` must list at least one source",
                kind.as_str()
            ),
            Some("add `sources:` with title, publisher, date and url".into()),
        );
    }
    if kind == Kind::Event && meta.date.is_none() {
        err("kind", "an event needs a `date`".into(), None);
    }
    if kind == Kind::Term {
        if meta
            .definition
            .as_deref()
            .is_none_or(|d| d.trim().is_empty())
        {
            err(
                "kind",
                "a glossary term needs a one-sentence `definition`".into(),
                Some("add `definition: ...`".into()),
            );
        }
        if meta.term.as_deref().is_some_and(|t| t.trim().is_empty()) {
            err("term", "`term` is empty".into(), None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> std::result::Result<Option<Page>, Vec<Diagnostic>> {
        parse_page(
            text.as_bytes(),
            "principles/a.md",
            Path::new("content/principles/a.md"),
        )
    }

    #[test]
    fn output_paths() {
        assert_eq!(output_path("a/b.md"), "a/b.html");
        assert_eq!(output_path("a/_index.md"), "a/index.html");
        assert_eq!(output_path("_index.md"), "index.html");
    }

    #[test]
    fn unknown_key_reports_file_line_and_suggestion() {
        let errs = parse("---\ntitle: A\nsumary: x\n---\nbody\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 3);
        assert_eq!(errs[0].message, "unknown key `sumary` for kind `page`");
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `summary`?"));
    }

    #[test]
    fn yaml_syntax_error_line_is_in_the_file() {
        let errs = parse("---\ntitle: A\ntags: [a, b\nsummary: x\n---\n").unwrap_err();
        assert!(errs[0].line >= 3, "{:?}", errs[0]);
        assert_eq!(errs[0].path, Path::new("content/principles/a.md"));
    }

    #[test]
    fn type_error_line_is_in_the_file() {
        let errs = parse("---\ntitle: A\n\nweight: heavy\n---\n").unwrap_err();
        assert_eq!(errs[0].line, 4, "{:?}", errs[0]);
    }

    #[test]
    fn page_without_front_matter_takes_first_heading() {
        let p = parse("\n# Hello *there*\n\nText\n").unwrap().unwrap();
        assert_eq!(p.title, "Hello *there*");
        assert_eq!(p.body.trim(), "Text");
        assert_eq!(p.body_line, 3);
        assert_eq!(p.kind, Kind::Page);
    }

    #[test]
    fn kind_specific_keys_are_checked() {
        let errs = parse("---\nkind: page\ntitle: A\nsigned: \"2004\"\n---\n").unwrap_err();
        assert!(
            errs[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("belongs to another kind"),
            "{:?}",
            errs[0]
        );
    }

    #[test]
    fn principle_requires_sources_and_valid_values() {
        let errs = parse("---\nkind: principle\ntitle: A\ncountries: [de, XX]\nstakeholders: [polise]\nupdated: 2020-13-01\n---\n")
            .unwrap_err();
        let msgs: Vec<String> = errs
            .iter()
            .map(|d| format!("{}: {}", d.line, d.message))
            .collect();
        assert!(
            msgs.contains(&"4: unknown country code `de`".to_string()),
            "{msgs:?}"
        );
        assert!(
            msgs.contains(&"4: unknown country code `XX`".to_string()),
            "{msgs:?}"
        );
        assert!(
            msgs.contains(&"5: unknown stakeholder `polise`".to_string()),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("6: `updated` is not a date")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("must list at least one source")),
            "{msgs:?}"
        );
    }

    #[test]
    fn unquoted_dates_and_years_are_read_as_text() {
        let p = parse("---\nkind: event\ntitle: E\ndate: 2009-03-30\nupdated: 2010\nsources:\n  - title: T\n    publisher: P\n---\n")
            .unwrap()
            .unwrap();
        assert_eq!(p.meta.date.as_deref(), Some("2009-03-30"));
        assert_eq!(p.meta.updated.as_deref(), Some("2010"));
    }

    #[test]
    fn bad_utf8_names_the_line() {
        let errs = parse_page(
            b"---\ntitle: A\n---\nok\nbad \xff here\n",
            "a.md",
            Path::new("a.md"),
        )
        .unwrap_err();
        assert_eq!((errs[0].line, errs[0].col), (5, 5));
    }

    #[test]
    fn unclosed_front_matter() {
        let errs = parse("---\ntitle: A\n").unwrap_err();
        assert_eq!(errs[0].message, "front matter is not closed");
    }

    #[test]
    fn drafts_are_skipped() {
        assert!(parse("---\ntitle: A\ndraft: true\n---\n")
            .unwrap()
            .is_none());
    }

    #[test]
    fn dates() {
        for ok in ["2009", "2009-03", "2009-03-30"] {
            assert!(valid_date(ok), "{ok}");
        }
        for bad in ["09", "2009-3", "2009-13", "2009-03-32", "March 2009", ""] {
            assert!(!valid_date(bad), "{bad}");
        }
    }
}
