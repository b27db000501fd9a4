//! Link resolution: what a link in Markdown points at, and the relative href that reaches it.
//!
//! Every internal href is relative to the page that contains it, so the same site works at any
//! base path and when opened from disk.

use std::collections::HashMap;

use crate::safe_url::UrlKind;

/// Where a Markdown link destination leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Left untouched: another site, mail, phone.
    External,
    /// Another page (or this one), optionally at a heading.
    Page { page: usize, anchor: Option<String> },
    /// A non-Markdown file from the content directory, by its path relative to it.
    Asset(String),
    /// A glossary entry named by `glossary:slug`.
    Term(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkError {
    pub message: String,
    pub hint: Option<String>,
}

/// Lookup tables for resolution, built once per build.
pub struct LinkIndex<'p> {
    pub by_rel: &'p HashMap<String, usize>,
    pub assets: &'p [String],
    /// Symbolic links in the content folder, which are not followed.
    pub symlinks: &'p [String],
    /// Markdown files a SUMMARY.md leaves out, which are not published.
    pub unlisted: &'p [String],
}

pub use crate::paths::normalize;

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Resolves a link found in the page `from` (index `from_idx`, folder `from_dir`).
pub fn resolve(
    url: &str,
    from_idx: usize,
    from_dir: &str,
    index: &LinkIndex<'_>,
) -> Result<Target, LinkError> {
    let url = url.trim();
    if let Some(slug) = url.strip_prefix("glossary:") {
        return Ok(Target::Term(slug.to_string()));
    }
    match crate::safe_url::classify(url) {
        Ok(UrlKind::Relative) => {}
        Ok(UrlKind::Absolute(_) | UrlKind::ProtocolRelative) => return Ok(Target::External),
        Err(why) => {
            return Err(LinkError {
                message: format!("link `{}` cannot be published: {why}", url.escape_debug()),
                hint: Some(format!(
                    "link to a page, a heading or an address with one of the schemes {}",
                    crate::safe_url::ALLOWED_SCHEMES.join(", ")
                )),
            })
        }
    }
    let (path, anchor) = match url.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string()).filter(|a| !a.is_empty())),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        return Ok(Target::Page {
            page: from_idx,
            anchor,
        });
    }
    if path.starts_with('/') {
        return Err(LinkError {
            message: format!("link `{url}` is absolute"),
            hint: Some("use a path relative to this file (for example `../principles/trust.md`) so the site also works from disk".into()),
        });
    }
    let path = percent_decode(path);
    let Some(target) = normalize(from_dir, &path) else {
        return Err(LinkError {
            message: format!("link `{url}` points outside the content directory"),
            hint: None,
        });
    };
    let folder = |t: &str| crate::paths::folder_page_paths(t).collect::<Vec<_>>();
    let candidates = if path.ends_with('/') || target.is_empty() {
        folder(&target)
    } else if let Some(stem) = target.strip_suffix(".html") {
        // mdBook links to the page as it is published: `page.html` is `page.md`, and
        // `dir/index.html` is the folder page.
        let mut c = vec![target.clone(), format!("{stem}.md")];
        if stem == "index" || stem.ends_with("/index") {
            c.extend(folder(stem.trim_end_matches("index").trim_end_matches('/')));
        }
        c
    } else {
        let mut c = vec![target.clone()];
        c.extend(folder(&target));
        c
    };
    for c in &candidates {
        if let Some(&page) = index.by_rel.get(c.as_str()) {
            return Ok(Target::Page { page, anchor });
        }
    }
    if index.assets.contains(&target) {
        return Ok(Target::Asset(target));
    }
    if let Some(u) = candidates.iter().find(|c| index.unlisted.contains(c)) {
        return Err(LinkError {
            message: format!("link `{url}`: `{u}` is not in SUMMARY.md, so it is not published"),
            hint: Some("add it to SUMMARY.md".into()),
        });
    }
    if index.symlinks.contains(&target) {
        return Err(LinkError {
            message: format!(
                "link `{url}`: `{target}` is a symbolic link, and accord does not follow symbolic links"
            ),
            hint: Some("copy or move the file into the content folder".into()),
        });
    }
    let hint = if !target.ends_with(".md")
        && !target.ends_with(".html")
        && index.by_rel.contains_key(format!("{target}.md").as_str())
    {
        Some(format!("add `.md`: `{path}.md`"))
    } else {
        nearest(&target, index).map(|n| format!("did you mean `{n}`?"))
    };
    Err(LinkError {
        message: format!("link to missing page `{url}` (resolved to `{target}`)"),
        hint,
    })
}

fn nearest(target: &str, index: &LinkIndex<'_>) -> Option<String> {
    let keys: Vec<&str> = index.by_rel.keys().map(String::as_str).collect();
    crate::error::did_you_mean(target, &keys).map(String::from)
}

/// The href that leads from the output file `from` to the output file `to`, both relative to
/// the site root.
pub fn relative_href(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts[..to_parts.len() - 1])
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// Rewrites the relative `href` and `src` values of HTML written for the page at `from` (a
/// site-root-relative URL) so they work from the site root. Only for HTML accord generated:
/// attribute values there are quoted and escaped, so a plain scan finds exactly the attributes.
pub fn rebase_html(html: &str, from: &str) -> String {
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    if dir.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    loop {
        let next = [" href=\"", " src=\""]
            .iter()
            .filter_map(|a| rest.find(a).map(|i| (i, a.len())))
            .min();
        let Some((i, len)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..i + len]);
        rest = &rest[i + len..];
        let end = rest.find('"').unwrap_or(rest.len());
        let value = &rest[..end];
        let lower = value.to_ascii_lowercase();
        let keep = value.is_empty()
            || value.starts_with('#')
            || value.starts_with('/')
            || lower.contains(':');
        if keep {
            out.push_str(value);
        } else {
            let (path, anchor) = value
                .split_once('#')
                .map_or((value, None), |(p, a)| (p, Some(a)));
            match normalize(dir, path) {
                Some(p) => {
                    out.push_str(&p);
                    if let Some(a) = anchor {
                        out.push('#');
                        out.push_str(a);
                    }
                }
                None => out.push_str(value),
            }
        }
        rest = &rest[end..];
    }
}

/// `../` repeated once per folder level of `url`: the way back to the site root.
pub fn root_of(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebases_relative_links_onto_the_root() {
        let html = r##"<a href="../b/c.html#x">c</a> <img src="img.png"> <a href="https://x.org/a">x</a> <a href="#top">t</a>"##;
        assert_eq!(
            rebase_html(html, "a/page.html"),
            r##"<a href="b/c.html#x">c</a> <img src="a/img.png"> <a href="https://x.org/a">x</a> <a href="#top">t</a>"##
        );
        assert_eq!(rebase_html(html, "index.html"), html);
    }

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(normalize("a", "./x/../y.md").as_deref(), Some("a/y.md"));
        assert_eq!(normalize("", "../x.md"), None);
    }

    #[test]
    fn relative_hrefs() {
        assert_eq!(relative_href("a/b.html", "a/c.html"), "c.html");
        assert_eq!(relative_href("a/b.html", "index.html"), "../index.html");
        assert_eq!(relative_href("index.html", "x/y/z.html"), "x/y/z.html");
        assert_eq!(relative_href("x/y/z.html", "x/q.html"), "../q.html");
        assert_eq!(root_of("x/y/z.html"), "../../");
        assert_eq!(root_of("index.html"), "");
    }

    #[test]
    fn resolves_pages_anchors_and_reports_missing() {
        let assets = vec!["img/map.png".to_string()];
        let by_rel: HashMap<String, usize> = [("a/b.md", 0), ("a/_index.md", 1), ("c.md", 2)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let idx = LinkIndex {
            by_rel: &by_rel,
            assets: &assets,
            symlinks: &[],
            unlisted: &[],
        };
        assert_eq!(
            resolve("b.md#x", 1, "a", &idx),
            Ok(Target::Page {
                page: 0,
                anchor: Some("x".into())
            })
        );
        assert_eq!(
            resolve("../c.md", 0, "a", &idx),
            Ok(Target::Page {
                page: 2,
                anchor: None
            })
        );
        assert_eq!(
            resolve("./", 0, "a", &idx),
            Ok(Target::Page {
                page: 1,
                anchor: None
            })
        );
        assert_eq!(
            resolve("#top", 2, "", &idx),
            Ok(Target::Page {
                page: 2,
                anchor: Some("top".into())
            })
        );
        assert_eq!(resolve("https://x.org", 0, "a", &idx), Ok(Target::External));
        assert_eq!(
            resolve("../img/map.png", 0, "a", &idx),
            Ok(Target::Asset("img/map.png".into()))
        );
        assert_eq!(
            resolve("glossary:mou", 0, "a", &idx),
            Ok(Target::Term("mou".into()))
        );
        let e = resolve("../b.md", 0, "a", &idx).unwrap_err();
        assert!(e.message.contains("missing page"), "{e:?}");
        assert!(resolve("/c.md", 0, "a", &idx)
            .unwrap_err()
            .message
            .contains("absolute"));
        assert!(resolve("javascript:alert(1)", 0, "a", &idx).is_err());
        // Links to pages as published, the way mdBook books write them.
        assert_eq!(
            resolve("c.html#top", 0, "", &idx),
            Ok(Target::Page {
                page: 2,
                anchor: Some("top".into())
            })
        );
        assert_eq!(
            resolve("a/index.html", 0, "", &idx),
            Ok(Target::Page {
                page: 1,
                anchor: None
            })
        );
        assert!(resolve("d.html", 0, "", &idx).is_err());
    }
}
