//! The interface in the reader's language: every message file has every key, and no page of the
//! bundled knowledge base's German and Polish sites shows an English interface string (or the
//! name of a message that is missing) outside the page's own content.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use accord::messages::{Messages, Table};

const LANGUAGES: &[&str] = &[
    "en", "da", "et", "fi", "de", "is", "lv", "lt", "nb", "pl", "sv", "ru",
];

fn i18n() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n")
}

fn table(code: &str) -> Table {
    let text = std::fs::read_to_string(i18n().join(format!("{code}.toml"))).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{code}.toml: {e}"))
}

fn tables() -> BTreeMap<String, Table> {
    LANGUAGES
        .iter()
        .map(|c| (c.to_string(), table(c)))
        .collect()
}

#[test]
fn every_language_has_every_message() {
    let tables = tables();
    let gaps: BTreeMap<&str, Vec<String>> = LANGUAGES
        .iter()
        .map(|&code| (code, Messages::new(code, &tables).missing()))
        .filter(|(_, missing)| !missing.is_empty())
        .collect();
    assert!(gaps.is_empty(), "messages missing: {gaps:#?}");
    // And every plural form a language needs, where English has the message.
    let en = &tables["en"];
    for &code in LANGUAGES {
        for key in en.keys().filter_map(|k| k.strip_suffix("_other")) {
            for category in accord::messages::plural_categories(code) {
                let k = format!("{key}_{category}");
                assert!(tables[code].contains_key(&k), "{code}.toml lacks {k}");
            }
        }
    }
}

// ---- The rendered interface -------------------------------------------------------------------

/// Elements that hold nothing a reader sees, or the page's own text rather than the interface.
fn holds_content(name: &str, attrs: &BTreeMap<String, String>, page_lang: &str) -> bool {
    let class = attrs.get("class").map(String::as_str).unwrap_or("");
    let classes: Vec<&str> = class.split_whitespace().collect();
    let has = |c: &str| classes.contains(&c);
    matches!(name, "head" | "script" | "style" | "h1" | "cite" | "code" | "pre")
        || has("content")
        || has("summary")
        || has("source-url")
        || has("tl-grid")
        // Text in another language: the original's title, the languages' own names.
        || attrs.get("lang").is_some_and(|l| l != page_lang)
        // A link names where it leads: a page's title (content), unless it leads to a page
        // accord makes.
        || (name == "a" && !leads_to_interface(attrs.get("href").map_or("", String::as_str)))
}

/// Whether a link leads to a page accord generates, whose name is interface text.
fn leads_to_interface(href: &str) -> bool {
    let mut path = href.split('#').next().unwrap_or("");
    while let Some(rest) = path.strip_prefix("../") {
        path = rest;
    }
    for code in ["de/", "pl/"] {
        path = path.strip_prefix(code).unwrap_or(path);
    }
    [
        "browse.html",
        "search.html",
        "matrix.html",
        "timeline.html",
        "articles.html",
        "print.html",
        "offline.html",
        "feed.xml",
    ]
    .contains(&path)
        || path.ends_with("/print.html")
        || ["kinds/", "countries/", "stakeholders/"]
            .iter()
            .any(|p| path.starts_with(p))
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

fn text(s: &html5gum::HtmlString) -> String {
    String::from_utf8_lossy(s).into_owned()
}

/// The interface text of a page: text and names (aria-label, title, placeholder, alt) outside
/// the elements that hold the page's own text. A page shown in its original language because
/// it has no translation yet keeps only its frame (header, navigation, footer) and the note.
fn interface_text(html: &str, page_lang: &str) -> Vec<String> {
    let untranslated = html.contains("<p class=\"translation-note untranslated\" role=\"note\">");
    let mut out = Vec::new();
    // For each open element: its name, whether its text is skipped, its classes.
    let mut stack: Vec<(String, bool, String)> = Vec::new();
    for token in html5gum::Tokenizer::new(html).flatten() {
        match token {
            html5gum::Token::StartTag(tag) => {
                let name = text(&tag.name);
                let attrs: BTreeMap<String, String> = tag
                    .attributes
                    .iter()
                    .map(|(k, v)| (text(k), text(v)))
                    .collect();
                let inherited = stack.last().is_some_and(|(_, skip, _)| *skip);
                let parent_class = stack.last().map_or("", |(_, _, c)| c.as_str());
                let skip = inherited
                    || holds_content(&name, &attrs, page_lang)
                    || (untranslated && name == "article")
                    // The list of a page's sources; the page's own title in the breadcrumbs.
                    || (name == "ol" && parent_class.split_whitespace().any(|c| c == "sources"))
                    || (name == "li" && attrs.contains_key("aria-current"))
                    // A summary under a card's title or an article's number.
                    || (name == "p"
                        && !attrs.contains_key("class")
                        && (parent_class.split_whitespace().any(|c| c == "card")
                            || stack.last().is_some_and(|(n, _, _)| n == "dd")));
                let class = attrs.get("class").cloned().unwrap_or_default();
                if !skip {
                    for a in ["aria-label", "title", "placeholder", "alt"] {
                        out.extend(attrs.get(a).cloned());
                    }
                }
                if !VOID.contains(&name.as_str()) && !tag.self_closing {
                    stack.push((name, skip, class));
                }
            }
            html5gum::Token::EndTag(tag) => {
                let name = text(&tag.name);
                if let Some(at) = stack.iter().rposition(|(n, _, _)| *n == name) {
                    stack.truncate(at);
                }
            }
            html5gum::Token::String(s) => {
                // A fact's value as the page's front matter gives it (parties, a body), an
                // article's summary: the page's own text. Elements are links, checked as such.
                let in_fact = stack.len() >= 3
                    && stack[stack.len() - 1].0 == "dd"
                    && stack[stack.len() - 3]
                        .2
                        .split_whitespace()
                        .any(|c| c == "facts" || c == "article-list");
                if !in_fact && !stack.last().is_some_and(|(_, skip, _)| *skip) {
                    let t = text(&s).trim().to_string();
                    if !t.is_empty() {
                        out.push(t);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The literal parts of an English message (its text between placeholders) that would give it
/// away on a page in `own`'s language: longer than 3 characters, and not also a part of some
/// message of that language (words both languages write alike: "Region", "Art.").
fn english_giveaways(en: &Table, own: &Table) -> BTreeMap<String, String> {
    let parts = |v: &str| -> Vec<String> {
        v.split(['{', '}'])
            .step_by(2)
            .map(|p| {
                p.trim_matches(|c: char| c.is_whitespace() || ",.:;()–—→?!“”\"'".contains(c))
                    .to_string()
            })
            .filter(|p| p.chars().count() > 3)
            .collect()
    };
    let own_text: Vec<String> = own
        .values()
        .filter_map(|v| v.as_str())
        .map(str::to_string)
        .collect();
    let mut out = BTreeMap::new();
    for (key, value) in en {
        // Language names appear, in their own language, in the switcher.
        let Some(v) = value.as_str() else { continue };
        if key.starts_with("lang_") || key == "language_name" {
            continue;
        }
        if own.get(key).and_then(|o| o.as_str()) == Some(v) {
            continue;
        }
        for p in parts(v) {
            if !own_text.iter().any(|o| o.contains(&p)) {
                out.insert(p, key.clone());
            }
        }
    }
    out
}

/// Whether `needle` stands in `hay` as whole words.
fn has_words(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(at, _)| {
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

#[test]
fn german_and_polish_pages_show_no_english_interface_text() {
    let out = tempfile::tempdir().unwrap();
    let build = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["build", "--out"])
        .arg(out.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let en = table("en");
    let keys: BTreeSet<&String> = en.keys().collect();
    // Page titles are content, also where an interface message names them ("Sections of
    // Agreements" for a section not yet translated): taken out of the text before it is checked.
    let mut every = Vec::new();
    html_files(out.path(), &mut every);
    let mut titles: Vec<String> = every
        .iter()
        .filter_map(|f| {
            let html = std::fs::read_to_string(f).ok()?;
            let start = html.find("<h1>")? + 4;
            let end = start + html[start..].find("</h1>")?;
            Some(html[start..end].replace("&#39;", "'").replace("&amp;", "&"))
        })
        .filter(|t| !t.contains('<'))
        .collect();
    titles.sort_by_key(|t| std::cmp::Reverse(t.len()));
    let mut findings: Vec<String> = Vec::new();
    let mut pages = 0;
    for lang in ["de", "pl"] {
        let giveaways = english_giveaways(&en, &table(lang));
        let mut files = Vec::new();
        html_files(&out.path().join(lang), &mut files);
        files.sort();
        for file in files {
            pages += 1;
            let html = std::fs::read_to_string(&file).unwrap();
            let rel = file.strip_prefix(out.path()).unwrap().display().to_string();
            for t in interface_text(&html, lang) {
                let t = titles
                    .iter()
                    .fold(t, |t, title| t.replace(title.as_str(), " "));
                for (part, key) in &giveaways {
                    if has_words(&t, part) {
                        findings.push(format!("{rel}: {key} (“{part}”) in “{t}”"));
                    }
                }
                if keys.contains(&t) {
                    findings.push(format!("{rel}: the key {t} instead of its message"));
                }
            }
        }
    }
    assert!(pages > 100, "only {pages} pages under de/ and pl/");
    findings.sort();
    findings.dedup();
    assert!(
        findings.is_empty(),
        "{} English interface strings, first:\n{}",
        findings.len(),
        findings[..findings.len().min(60)].join("\n")
    );
}
