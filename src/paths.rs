//! Paths of the site: where a content file is published, which files are folder pages, and
//! joining relative paths. Pure functions on strings, used by every stage.

/// Joins a relative path onto a folder and removes `.` and `..` segments.
/// `None` when the path climbs above the content directory.
pub fn normalize(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// File names that make the page of their folder, written to its `index.html`: accord's
/// `_index.md` (as in Zola and Hugo), `index.md`, and `README.md` (as in mdBook and on GitHub).
pub const FOLDER_PAGES: &[&str] = &["_index.md", "index.md", "README.md"];

/// Whether `rel` is the page of its folder (see [`FOLDER_PAGES`]).
pub fn is_folder_page(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    FOLDER_PAGES.contains(&name)
}

/// The possible paths of the folder page of `dir` ("" for the content folder), in order of
/// preference.
pub fn folder_page_paths(dir: &str) -> impl Iterator<Item = String> + '_ {
    FOLDER_PAGES.iter().map(move |name| {
        if dir.is_empty() {
            (*name).to_string()
        } else {
            format!("{dir}/{name}")
        }
    })
}

/// Output path of a content file: `a/b.md` → `a/b.html`; a folder page (`a/_index.md`,
/// `a/index.md`, `a/README.md`) → `a/index.html`.
pub fn output_path(rel: &str) -> String {
    if is_folder_page(rel) {
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        return if dir.is_empty() {
            "index.html".into()
        } else {
            format!("{dir}/index.html")
        };
    }
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    format!("{stem}.html")
}

/// The output path an old address names: `/old/page.html` and `old/page.html` are
/// `old/page.html`; `old/folder/` is `old/folder/index.html`. `None` for anything that is not a
/// path on this site.
pub fn old_path(address: &str) -> Option<String> {
    if !matches!(
        crate::safe_url::classify(address),
        Ok(crate::safe_url::UrlKind::Relative)
    ) || address.contains(['?', '#', '\\'])
    {
        return None;
    }
    let trimmed = address.trim().trim_start_matches('/');
    let path = if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    };
    let parts: Vec<&str> = path.split('/').collect();
    parts
        .iter()
        .all(|p| !p.is_empty() && *p != "." && *p != "..")
        .then_some(path)
}

/// Where an `additional-css`/`additional-js` file of book.toml is published: at the same path,
/// from the site root, as mdBook does. `None` for a path outside the project folder.
pub fn extra_file_path(p: &std::path::Path) -> Option<String> {
    if p.is_absolute() {
        return None;
    }
    normalize("", &p.to_string_lossy().replace('\\', "/")).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_addresses() {
        assert_eq!(old_path("/old/page.html").as_deref(), Some("old/page.html"));
        assert_eq!(
            old_path("old/folder/").as_deref(),
            Some("old/folder/index.html")
        );
        for bad in [
            "../x.html",
            "https://x.org/a",
            "javascript:alert(1)",
            "a/../../b",
            "a#b",
        ] {
            assert_eq!(old_path(bad), None, "{bad}");
        }
    }
}
