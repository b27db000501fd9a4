//! Redirect pages: old addresses that lead to where a page is now, so links from outside keep
//! working after a page moves. From a page's `aliases`, from mdBook's
//! `[output.html.redirect]`, and for a book whose first chapter is not a folder page, an
//! `index.html` that leads to it.

use crate::html::escape_attr;
use crate::links::relative_href;
use crate::messages::Messages;
use crate::output::OutFile;
use crate::site::Site;

pub use crate::paths::old_path;

/// A page at `from` that sends the reader to `to` (a site-root-relative path, or an absolute
/// http(s) URL as mdBook's redirects allow), saying so in the site's language.
pub fn page(from: &str, to: &str, title: &str, msg: &Messages) -> OutFile {
    let href = if crate::safe_url::is_web_url(to) {
        to.to_string()
    } else {
        relative_href(from, to.trim_start_matches('/'))
    };
    let href = escape_attr(&href);
    let title = crate::html::escape_html(title);
    let lang = escape_attr(&msg.language);
    let link = format!("<a href=\"{href}\">{title}</a>");
    let moved = crate::html::escape_html(&msg.text("moved_to")).replace("{link}", &link);
    OutFile {
        path: from.to_string(),
        bytes: format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n<link rel=\"canonical\" href=\"{href}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p>{moved}</p>\n</body>\n</html>\n"
        )
        .into_bytes(),
    }
}

/// Every redirect page of the site.
pub fn pages(site: &Site, msg: &Messages) -> Vec<OutFile> {
    let mut out = Vec::new();
    // A glossary term's `aliases` are other spellings of it, not old addresses.
    for p in site
        .pages
        .iter()
        .filter(|p| p.kind != crate::model::Kind::Term)
    {
        for alias in p.meta.list("aliases") {
            if let Some(from) = old_path(alias) {
                out.push(page(&from, &p.url, &p.title, msg));
            }
        }
    }
    for (from, to) in &site.config.output.html.redirect {
        let Some(from) = old_path(from) else { continue };
        // As in mdBook, a relative target is relative to the old page's folder.
        let target = if crate::safe_url::is_web_url(to) || to.starts_with('/') {
            Some(to.clone())
        } else {
            let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
            crate::paths::normalize(dir, to)
        };
        if let Some(target) = target {
            out.push(page(&from, &target, to, msg));
        }
    }
    // mdBook makes its first chapter the front page when there is no README.md.
    if site.home().is_none() {
        if let Some(&first) = site.toc.order.first() {
            let p = &site.pages[first];
            out.push(page("index.html", &p.url, &p.title, msg));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_leads_relatively_and_escapes() {
        let mut tables = std::collections::BTreeMap::new();
        tables.insert(
            "en".to_string(),
            toml::from_str("moved_to = \"This page has moved to {link}.\"").unwrap(),
        );
        let f = page(
            "old/a.html",
            "new/b.html",
            "B <&>",
            &Messages::new("en", &tables),
        );
        let html = String::from_utf8(f.bytes).unwrap();
        assert!(html.contains("<meta http-equiv=\"refresh\" content=\"0; url=../new/b.html\">"));
        assert!(html.contains(
            "<p>This page has moved to <a href=\"../new/b.html\">B &lt;&amp;&gt;</a>.</p>"
        ));
        assert!(html.contains("<html lang=\"en\">"));
    }
}
