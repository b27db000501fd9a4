//! `accord init` and `accord new`: starting points that build.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::model::{Kind, New, Type};
use crate::slug::slugify;

const INIT_FILES: &[(&str, &str)] = &[
    (
        "book.toml",
        r#"[book]
title = "My knowledge base"
description = "Guiding principles and practices"
authors = []
language = "en"
src = "content"

[build]
build-dir = "site"
"#,
    ),
    (
        "content/_index.md",
        r#"---
title: My knowledge base
summary: Guiding principles and practices, with their sources.
---

Welcome. Start with the [guiding principles](principles/_index.md).
"#,
    ),
    (
        "content/principles/_index.md",
        r#"---
title: Guiding principles
summary: The principles this knowledge base is built on.
weight: 1
---

Each principle explains what it means, why it matters and how to put it into practice.
"#,
    ),
    (
        "content/principles/first-principle.md",
        r#"---
kind: principle
title: A first principle
summary: Replace this page with your own principle.
elements: [roles]
sources:
  - title: accord documentation
    publisher: accord
---

## What it means

Write what the principle means here. See the [glossary entry](glossary:knowledge-base).

## Why it matters

Explain why it matters.
"#,
    ),
    (
        "content/glossary/_index.md",
        r#"---
title: Glossary
summary: Terms used in this knowledge base.
weight: 9
---
"#,
    ),
    (
        "content/glossary/knowledge-base.md",
        r#"---
kind: term
term: knowledge base
definition: A collection of pages that explain principles and practices, with their sources.
---

A longer explanation of the term goes here.
"#,
    ),
];

/// Creates a minimal project in `dir`, which must be missing or empty.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .next()
            .is_some()
    {
        return Err(Error::Other(format!(
            "{}: folder is not empty; choose a new or empty folder",
            dir.display()
        )));
    }
    let mut created = Vec::new();
    for (rel, text) in INIT_FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        created.push(path);
    }
    Ok(created)
}

/// The front matter of a new page, from the content model: the keys the model shows for the
/// kind with empty values to fill in, optional ones as comments, each with what it means.
pub fn new_front_matter(kind: Kind, title: &str, today: &Date) -> String {
    let title_yaml = serde_yaml::to_string(title).unwrap_or_else(|_| format!("{title:?}\n"));
    let mut out = format!(
        "---\nkind: {}\n{}: {title_yaml}",
        kind.as_str(),
        kind.title_key()
    );
    for key in kind.keys() {
        if key.name == "kind" || key.name == kind.title_key() {
            continue;
        }
        let show = match key.new {
            _ if key.is_required(kind) => New::Show,
            New::Skip => continue,
            n => n,
        };
        let prefix = if show == New::Comment { "# " } else { "" };
        let value = match (key.ty, key.list) {
            (Type::Source, _) => {
                let p = format!("{prefix}    ");
                out.push_str(&format!(
                    "{prefix}{}:                # {}\n{prefix}  - title: \"\"\n{p}publisher: \"\"\n{p}date: \"\"\n{p}url: \"\"\n",
                    key.name, key.doc
                ));
                continue;
            }
            (_, true) => "[]".to_string(),
            (Type::ElementMap, _) => "{}".to_string(),
            (Type::Bool, _) => "false".to_string(),
            (Type::Date, _) if key.name == "updated" => format!("\"{today}\""),
            _ => "\"\"".to_string(),
        };
        let line = format!("{prefix}{}: {value}", key.name);
        out.push_str(&format!("{line:<28}# {}\n", key.doc));
    }
    out.push_str("---\n\n## Overview\n\nWrite here.\n");
    out
}

/// Creates `content/<kind folder>/<slug>.md` with the kind's front matter to fill in.
pub fn new_page(root: &Path, kind: Kind, title: &str) -> Result<PathBuf> {
    let config = Config::load(root)?;
    let slug = slugify(title);
    let dir = root.join(&config.book.src).join(kind.folder());
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(Error::Other(format!(
            "{}: already exists; choose another title",
            path.display()
        )));
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let text = new_front_matter(kind, title, &Date::today());
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}
