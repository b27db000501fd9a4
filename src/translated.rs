//! `accord translated PATH…`: records in each translation which version of its original it
//! matches, so `accord check` can tell when the original has changed since.

use crate::translation::{fingerprint, mark_translated, original_of};

/// `accord translated PATH…`: records in each translation the fingerprint of its original as it
/// is now. Every path is checked before any file is written.
pub fn mark_files(
    root: &std::path::Path,
    paths: &[std::path::PathBuf],
) -> crate::error::Result<Vec<String>> {
    use crate::error::{Diagnostic, Error};
    let config = crate::pipeline::config(root)?;
    let loaded = crate::pipeline::load(root, &config)?;
    let content_dir = root.join(&config.book.src);
    let content_abs = std::path::absolute(&content_dir).unwrap_or(content_dir.clone());
    let languages = config.further_languages();
    let today = crate::date::Date::today().to_string();
    let mut plans = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let full = if path.is_absolute() {
            path.clone()
        } else {
            std::env::current_dir()
                .map(|d| d.join(path))
                .unwrap_or(path.clone())
        };
        let rel = crate::content::rel_path(&content_abs, &full)
            .or_else(|| crate::content::rel_path(&content_dir, path));
        let found = rel
            .as_deref()
            .and_then(|r| original_of(r, &languages).map(|o| (r.to_string(), o)));
        let Some((rel, (original, _))) = found else {
            errors.push(Diagnostic::error(path, 0, 0, "not a translation").with_hint(format!(
                "name a translation in {} after its original plus a language of book.toml ({}): `page.{}.md`",
                config.book.src.display(),
                languages.join(", "),
                languages.first().map_or("de", String::as_str)
            )));
            continue;
        };
        let Some(page) = loaded.pages.iter().find(|p| p.rel == original) else {
            errors.push(Diagnostic::error(
                path,
                0,
                0,
                format!("its original `{original}` is not a page"),
            ));
            continue;
        };
        let file = content_dir.join(&rel);
        let text = std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))?;
        match mark_translated(&text, &fingerprint(page), &today) {
            Some(new) => plans.push((file, new, rel, original)),
            None => errors.push(
                Diagnostic::error(
                    path,
                    1,
                    1,
                    "a translation needs YAML front matter between `---` lines",
                )
                .with_hint("start the file with `---`, `title: …`, `translated: …`, `---`"),
            ),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Content(errors));
    }
    let mut lines = Vec::new();
    for (file, new, rel, original) in plans {
        std::fs::write(&file, new).map_err(|e| Error::io(&file, e))?;
        lines.push(format!("{rel}: matches {original} as of {today}"));
    }
    Ok(lines)
}
