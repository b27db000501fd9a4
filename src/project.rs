//! `accord init` and `accord new`: starting points that build.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::Kind;
use crate::error::{Error, Result};
use crate::markdown::slugify;

/// The folder a new page of a kind goes into, under the content directory.
pub fn kind_folder(kind: Kind) -> &'static str {
    match kind {
        Kind::Principle => "principles",
        Kind::Instrument => "instruments",
        Kind::Agreement => "agreements",
        Kind::Initiative => "initiatives",
        Kind::Organisation => "organisations",
        Kind::Event => "events",
        Kind::Practice => "practices",
        Kind::Term => "glossary",
        Kind::Page => "",
    }
}

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

fn kind_keys(kind: Kind) -> &'static str {
    match kind {
        Kind::Principle => "elements: []            # MoU elements this principle underpins, e.g. [roles, training]\n",
        Kind::Instrument => "short_title: \"\"\nadopted: \"\"            # \"YYYY-MM-DD\"\n# in_force: \"\"\nbinding: true\n# body: \"\"              # the body that adopted it\n# depositary: \"\"\n# monitoring: \"\"\n",
        Kind::Agreement => "short_title: \"\"\nsigned: \"\"             # \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"\nparties: []\n# elements: {roles: roles-and-responsibilities}   # element: heading anchor on this page\n",
        Kind::Initiative => "region: \"\"\nstarted: \"\"\n# ended: \"\"\n",
        Kind::Organisation => "abbreviation: \"\"\n# founded: \"\"\n# website: https://\n",
        Kind::Event => "date: \"\"               # required: \"YYYY-MM-DD\"\n# end_date: \"\"\nplace: \"\"\n",
        Kind::Term => "abbreviation: \"\"\naliases: []\ndefinition: \"\"         # required: one sentence\nsee_also: []\n",
        Kind::Practice | Kind::Page => "",
    }
}

/// Creates `content/<kind folder>/<slug>.md` with the kind's front matter to fill in.
pub fn new_page(root: &Path, kind: Kind, title: &str) -> Result<PathBuf> {
    let config = Config::load(root)?;
    let slug = slugify(title);
    let dir = root.join(&config.book.src).join(kind_folder(kind));
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(Error::Other(format!(
            "{}: already exists; choose another title",
            path.display()
        )));
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let title_yaml = serde_yaml::to_string(title).unwrap_or_else(|_| format!("{title:?}\n"));
    let title_key = if kind == Kind::Term { "term" } else { "title" };
    let sources = if kind.needs_sources() || kind == Kind::Term {
        "sources:\n  - title: \"\"\n    publisher: \"\"\n    date: \"\"\n    url: https://\n"
    } else {
        "# sources:\n#   - title: \"\"\n#     publisher: \"\"\n#     date: \"\"\n#     url: https://\n"
    };
    let text = format!(
        "---\nkind: {}\n{title_key}: {}summary: \"\"\n{}tags: []\n# regions: []\n# countries: []          # ISO codes, e.g. [DE, IT]\n# stakeholders: []\n{sources}updated: \"{}\"\n---\n\n## Overview\n\nWrite here.\n",
        kind.as_str(),
        title_yaml,
        kind_keys(kind),
        crate::render::today(),
    );
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}
