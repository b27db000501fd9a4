//! Themes: Tera templates and static files.
//!
//! The default theme is compiled into the binary, so a project made by `accord init` builds
//! anywhere. A project's `themes/<name>/` overrides it file by file, like mdBook's themes.

use std::collections::BTreeMap;
use std::error::Error as _;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::error::{Diagnostic, Error, Result};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub struct Theme {
    pub tera: tera::Tera,
    /// Static files by their path under `assets/`.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Where each template came from, for error messages.
    origins: BTreeMap<String, PathBuf>,
    /// The interface messages by language (`i18n/<code>.toml`), the project's keys laid over
    /// the default theme's.
    pub messages: BTreeMap<String, crate::messages::Table>,
}

fn embedded_files(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
    for f in dir.files() {
        out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents()));
    }
    for d in dir.dirs() {
        embedded_files(d, out);
    }
}

/// The embedded default theme, as (path within the theme, contents).
pub fn default_files() -> Vec<(String, &'static [u8])> {
    let mut out = Vec::new();
    embedded_files(&DEFAULT_THEME, &mut out);
    out
}

fn escape(s: &str) -> String {
    crate::html::escape_html(s)
}

/// A message file, read strictly: a syntax error names its line.
fn read_messages(text: &str, path: &Path) -> Result<crate::messages::Table> {
    toml::from_str(text).map_err(|e| {
        let (line, col) = e
            .span()
            .map_or((0, 0), |s| crate::error::line_col(text, s.start));
        Error::Content(vec![Diagnostic::error(
            path,
            line,
            col,
            e.message().trim().to_string(),
        )
        .with_hint(
            "a message file holds `key = \"text\"` lines (see the default theme's i18n/README.md)",
        )])
    })
}

impl Theme {
    /// The interface messages in `language`, English behind them.
    pub fn messages(&self, language: &str) -> crate::messages::Messages {
        crate::messages::Messages::new(language, &self.messages)
    }

    pub fn load(root: &Path, name: &str) -> Result<Theme> {
        let mut templates: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
        let mut statics: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let mut messages: BTreeMap<String, crate::messages::Table> = BTreeMap::new();
        for (path, bytes) in default_files() {
            if let Some(code) = path
                .strip_prefix("i18n/")
                .and_then(|f| f.strip_suffix(".toml"))
            {
                let text = String::from_utf8_lossy(bytes);
                let table = read_messages(&text, Path::new(&path))?;
                messages.insert(code.to_string(), table);
                continue;
            }
            if let Some(t) = path.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(bytes).into_owned();
                templates.insert(
                    t.to_string(),
                    (text, PathBuf::from("(default theme)/templates").join(t)),
                );
            } else if let Some(s) = path.strip_prefix("static/") {
                statics.insert(s.to_string(), bytes.to_vec());
            }
        }
        let theme_dir = root.join("themes").join(name);
        if name != "default" && !theme_dir.is_dir() {
            return Err(Error::Content(vec![Diagnostic::error(
                root.join("book.toml"),
                0,
                0,
                format!("theme `{name}` not found at {}", theme_dir.display()),
            )
            .with_hint(
                "create the folder, or set `theme = \"default\"` under [build]",
            )]));
        }
        for (sub, is_template) in [("templates", true), ("static", false)] {
            let dir = theme_dir.join(sub);
            if !dir.is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::Other(format!("{}: {e}", dir.display())))?;
                if !entry.file_type().is_file()
                    || crate::content::is_editor_temp(&entry.file_name().to_string_lossy())
                {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(&dir)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
                if is_template {
                    let text = String::from_utf8(bytes).map_err(|_| {
                        Error::Content(vec![Diagnostic::error(
                            entry.path(),
                            0,
                            0,
                            "template is not valid UTF-8",
                        )])
                    })?;
                    templates.insert(rel, (text, entry.path().to_path_buf()));
                } else {
                    statics.insert(rel, bytes);
                }
            }
        }
        let i18n = theme_dir.join("i18n");
        if i18n.is_dir() {
            for entry in walkdir::WalkDir::new(&i18n)
                .max_depth(1)
                .sort_by_file_name()
            {
                let entry = entry.map_err(|e| Error::Other(format!("{}: {e}", i18n.display())))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                let Some(code) = name.strip_suffix(".toml") else {
                    continue;
                };
                let text = std::fs::read_to_string(entry.path())
                    .map_err(|e| Error::io(entry.path(), e))?;
                let own = read_messages(&text, entry.path())?;
                messages.entry(code.to_string()).or_default().extend(own);
            }
        }
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default also escapes `/`, which makes every href unreadable in the HTML source.
        tera.set_escape_fn(escape);
        let origins: BTreeMap<String, PathBuf> = templates
            .iter()
            .map(|(k, (_, p))| (k.clone(), p.clone()))
            .collect();
        let list: Vec<(String, String)> = templates.into_iter().map(|(k, (t, _))| (k, t)).collect();
        let theme_stub = Theme {
            tera: tera::Tera::default(),
            statics: BTreeMap::new(),
            origins: origins.clone(),
            messages: BTreeMap::new(),
        };
        tera.add_raw_templates(list)
            .map_err(|e| Error::Content(vec![theme_stub.diagnostic("", &e)]))?;
        Ok(Theme {
            tera,
            statics,
            origins,
            messages,
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.origins.contains_key(name)
    }

    /// A template error as a diagnostic naming the template file and, where Tera says, the line.
    pub fn diagnostic(&self, name: &str, e: &tera::Error) -> Diagnostic {
        let mut chain = e.to_string();
        let mut src = e.source();
        while let Some(s) = src {
            chain.push_str(": ");
            chain.push_str(&s.to_string());
            src = s.source();
        }
        // Tera names the template in its message; prefer that template's file.
        let named = self
            .origins
            .keys()
            .find(|k| chain.contains(&format!("'{k}'")))
            .cloned()
            .unwrap_or_else(|| name.to_string());
        let path = self
            .origins
            .get(&named)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(named));
        let line = chain
            .split("-->")
            .nth(1)
            .and_then(|s| s.trim().split(':').next())
            .and_then(|l| l.trim().parse().ok())
            .unwrap_or(0);
        Diagnostic::error(path, line, 0, chain.replace('\n', " "))
    }
}
