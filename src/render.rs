//! The render stage: Tera pages from the resolved site and its Markdown fragments, in parallel.
//!
//! Templates receive plain data: every decision (what a fact row says, which pages are related,
//! how a date reads) is made here, so a theme only arranges it.

use std::collections::{BTreeMap, BTreeSet};

use indicatif::ProgressBar;
use rayon::prelude::*;
use serde::Serialize;

use crate::articles;
use crate::content::{Kind, Page};
use crate::date::Date;
use crate::error::{Diagnostic, Error, Result};
use crate::fragments::Fragments;
use crate::frontmatter::Value;
use crate::links;
use crate::markdown;
use crate::messages::Messages;
use crate::model::{self, Type};
use crate::output::{OutFile, Sink};
use crate::site::{Site, Taxonomy, TaxonomyTerm};
use crate::theme::Theme;

#[derive(Serialize, Clone)]
pub struct NavItem {
    pub title: String,
    pub url: String,
    /// Pages under this folder mark the item as current.
    pub prefix: String,
}

#[derive(Serialize)]
pub struct SiteCtx {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
    pub nav: Vec<NavItem>,
    pub version: &'static str,
    pub built: String,
    /// Style sheets and scripts added by book.toml (`[output.html] additional-css/js`), from the
    /// site root.
    pub extra_css: Vec<String>,
    pub extra_js: Vec<String>,
    /// Where the book's source is (`[output.html] git-repository-url`).
    pub repository: Option<String>,
    /// Whether the Browse page exists (some page is filed under a facet).
    pub has_browse: bool,
    /// Whether there is a home page (`index.html`).
    pub has_home: bool,
    /// From this language's root to the site root, where the shared files are: `""`, or
    /// `"../"` for a further language's site under its code.
    pub up: String,
    /// Where this language's site is, from the site root: `""` or `de/`.
    pub prefix: String,
    /// `ltr` or `rtl`, for `<html dir>`.
    pub dir: &'static str,
    /// Every language of the site, for the language switcher; empty for one language.
    pub languages: Vec<LanguageLink>,
    /// The site's language and the book's own, named in the site's language ("Polish" and
    /// "English" in English, "polski" and "angielski" in Polish), for the translation notes.
    pub language_name: String,
    pub original_language_name: String,
    /// The book's own language in that language, for the link to an original ("English").
    pub original_autonym: String,
    /// The messages and filter names the browser scripts show, as JSON for an inline
    /// `<script type="application/json">` (`<` escaped).
    pub script_messages: String,
    /// The interface messages in the site's language: `{{ site.msg.on_this_page }}`.
    pub msg: BTreeMap<String, String>,
    #[serde(skip)]
    pub messages: crate::messages::Messages,
    /// This context as a template value, made once for every page ([`SiteCtx::value`]).
    #[serde(skip)]
    value: std::sync::OnceLock<std::result::Result<tera::Value, String>>,
}

impl SiteCtx {
    /// The context as the templates read it, serialized once: serializing it for each page
    /// (its few hundred messages into a map, one insertion at a time) cost more than a tenth
    /// of rendering a page.
    pub fn value(&self) -> Result<&tera::Value> {
        self.value
            .get_or_init(|| tera::to_value(self).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::Other(format!("template context: {e}")))
    }

    /// The interface messages as a template value (`msg` of the printable pages).
    pub fn msg_value(&self) -> Result<&tera::Value> {
        self.value()?
            .get("msg")
            .ok_or_else(|| Error::Other("template context: no messages".into()))
    }
}

/// One language of the site, as the switcher and the `hreflang` links name it.
#[derive(Serialize, Clone)]
pub struct LanguageLink {
    pub code: String,
    /// Its name in that language ("Deutsch").
    pub name: String,
    /// Where its site is, from the site root: `""` or `de/`.
    pub prefix: String,
    /// Whether it is this page's language.
    pub current: bool,
}

#[derive(Serialize, Clone)]
pub struct LinkItem {
    pub title: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind_label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

#[derive(Serialize)]
struct Fact {
    label: String,
    value: String,
    href: Option<String>,
    external: Option<String>,
}

/// Facts with the same label shown as one row ("Covers: Roles, Referral").
#[derive(Serialize)]
pub struct FactRow {
    label: String,
    items: Vec<Fact>,
}

fn group_facts(facts: Vec<Fact>) -> Vec<FactRow> {
    let mut rows: Vec<FactRow> = Vec::new();
    for f in facts {
        match rows.last_mut() {
            Some(r) if r.label == f.label => r.items.push(f),
            _ => rows.push(FactRow {
                label: f.label.clone(),
                items: vec![f],
            }),
        }
    }
    rows
}

#[derive(Serialize)]
pub struct SourceCtx {
    title: String,
    publisher: Option<String>,
    date: Option<String>,
    url: Option<String>,
}

#[derive(Serialize)]
struct CiteCtx {
    title: String,
    url: String,
    articles: Vec<CitedArticleCtx>,
}

/// One cited article: the number as the page cites it, linked to the instrument's entry.
#[derive(Serialize)]
struct CitedArticleCtx {
    number: String,
    href: String,
}

/// One entry of an instrument's key articles, on the instrument's own page.
#[derive(Serialize)]
struct ArticleCtx {
    number: String,
    summary: String,
    anchor: String,
    /// How many pages cite it; the Articles view lists them.
    cited_by: usize,
    /// "Cited by 3 pages", in the reader's language.
    cited_label: String,
    /// Its entry in the Articles view, from the site root.
    view_href: String,
}

#[derive(Serialize)]
struct TaxCtx {
    label: String,
    items: Vec<LinkItem>,
}

#[derive(Serialize)]
struct TermCtx {
    see_also: Vec<LinkItem>,
    used_on: Vec<LinkItem>,
    /// The term in the site's other languages.
    equivalents: Vec<EquivalentCtx>,
    /// In a translation: whether an official text in the language uses the term, said in the
    /// reader's language.
    choice: Option<String>,
}

#[derive(Serialize)]
struct EquivalentCtx {
    language: String,
    /// The language's own name.
    name: String,
    term: String,
    /// Where that language's site is, from the site root.
    prefix: String,
}

#[derive(Serialize)]
struct GlossaryLetter {
    letter: String,
    terms: Vec<GlossaryEntry>,
}

#[derive(Serialize)]
struct GlossaryEntry {
    title: String,
    url: String,
    definition: String,
    abbreviation: Option<String>,
}

/// A page's own context; `site` is added from [`SiteCtx::value`].
#[derive(Serialize)]
struct PageCtx<'a> {
    root: String,
    url: &'a str,
    title: &'a str,
    kind: &'static str,
    kind_label: String,
    summary: Option<&'a str>,
    content: std::borrow::Cow<'a, str>,
    toc: Vec<&'a markdown::Heading>,
    /// The same headings nested and numbered for "On this page" (`toc::page_sections`).
    contents: Vec<crate::toc::PageSection<'a>>,
    facts: Vec<FactRow>,
    sources: Vec<SourceCtx>,
    cites: Vec<CiteCtx>,
    articles: Vec<ArticleCtx>,
    related: Vec<LinkItem>,
    suggestions: Vec<LinkItem>,
    backlinks: Vec<LinkItem>,
    breadcrumbs: Vec<LinkItem>,
    children: Vec<LinkItem>,
    taxonomies: Vec<TaxCtx>,
    updated: Option<String>,
    updated_iso: Option<String>,
    term: Option<TermCtx>,
    glossary: Vec<GlossaryLetter>,
    /// The languages this page exists in (translated, or the original), for `hreflang` links
    /// and the switcher.
    page_languages: Vec<&'a str>,
    /// The language of the page's text when it is not the site's: an original shown in a
    /// further language's site because it has no translation yet.
    text_language: Option<&'a str>,
    /// When the page is a translation: when it was made, and whether its original changed since.
    translation: Option<TranslationCtx>,
    /// "Suggest an edit" (`[output.html] edit-url-template`).
    edit_url: Option<String>,
    /// The browser tab's title, when the page sets its own (`{{#title …}}`).
    tab_title: Option<&'a str>,
    /// The sidebar's chapter tree, seen from this page, rendered once (see [`chapters_html`]).
    chapters_html: String,
    prev: Option<NeighbourCtx>,
    next: Option<NeighbourCtx>,
    /// The printable document of the page's section ("Print this section"), from the site root.
    print_section: Option<String>,
}

#[derive(Serialize)]
struct TranslationCtx {
    date: Option<String>,
    outdated: bool,
    /// The original's title, in the book's language.
    original_title: String,
}

#[derive(Serialize)]
struct TocCtx<'a> {
    root: &'a str,
    /// "Sections of {title}", for the folding buttons.
    sections_of: &'a str,
    chapters: Vec<crate::navigation::TreeLine>,
}

#[derive(Serialize)]
struct NeighbourCtx {
    title: String,
    url: String,
}

/// A page as lists show it, with its kind and key date in the reader's language.
pub fn link_item(site: &Site, msg: &Messages, i: usize) -> LinkItem {
    let p = &site.pages[i];
    LinkItem {
        title: p.title.clone(),
        url: p.url.clone(),
        summary: p.summary().map(str::to_string),
        kind_label: (p.kind != Kind::Page && !p.is_index).then(|| msg.kind(p.kind)),
        date: key_date_label(p, msg),
    }
}

/// "Adopted 30 March 2009", or a period: the fact of the kind's key date.
fn key_date_label(p: &Page, msg: &Messages) -> Option<String> {
    let key = model::key(p.kind, p.key_date_key()?)?;
    let value = date_fact(p, key, msg)?;
    Some(match key.until {
        Some(_) => value,
        None => msg.fill(
            "key_date",
            &[
                ("label", &msg.fact(key, key.fact.unwrap_or(key.name))),
                ("date", &value),
            ],
        ),
    })
}

/// A date key's value as shown: a range when the key starts a period.
fn date_fact(p: &Page, key: &model::Key, msg: &Messages) -> Option<String> {
    let start = p.meta.date(key.name);
    match key.until {
        Some(end) => msg.range(start, p.meta.date(end)),
        None => start.map(|d| msg.date(d)),
    }
}

/// The facts table, from the content model: every key of the page's kind that has a row, in
/// model order.
/// A page's facts as its facts table shows them (the printable documents show them too).
pub fn fact_rows(site: &Site, p: &Page, msg: &Messages) -> Vec<FactRow> {
    group_facts(facts(site, p, msg))
}

fn facts(site: &Site, p: &Page, msg: &Messages) -> Vec<Fact> {
    let mut out = Vec::new();
    let plain = |label: String, value: String| Fact {
        label,
        value,
        href: None,
        external: None,
    };
    for key in p.kind.keys() {
        let Some(english) = key.fact else { continue };
        let label = msg.fact(key, english);
        match (key.ty, p.meta.get(key.name)) {
            (Type::Date, _) => out.extend(date_fact(p, key, msg).map(|v| plain(label, v))),
            (_, None) => {}
            (Type::Url, Some(Value::Text(u))) => out.push(Fact {
                label,
                value: u.clone(),
                href: None,
                external: Some(u.clone()),
            }),
            (Type::ElementMap, Some(Value::Map(map))) => {
                for (e, anchor) in map {
                    out.push(Fact {
                        label: label.clone(),
                        value: msg.element(e),
                        href: Some(format!("{}#{anchor}", p.url)),
                        external: None,
                    });
                }
            }
            (Type::Element, Some(Value::List(list))) => {
                let has_matrix = site.has_matrix();
                for e in list {
                    out.push(Fact {
                        label: label.clone(),
                        value: msg.element(e),
                        href: has_matrix.then(|| format!("matrix.html#col-{e}")),
                        external: None,
                    });
                }
            }
            (_, Some(Value::Bool(b))) => out.push(plain(
                label,
                msg.text(if *b { "fact_yes" } else { "fact_no" }),
            )),
            (_, Some(Value::List(l))) if !l.is_empty() => {
                let sep = if key.name == "parties" { "; " } else { ", " };
                out.push(plain(label, l.join(sep)));
            }
            (_, Some(Value::Text(t))) if !t.is_empty() => out.push(plain(label, t.clone())),
            _ => {}
        }
    }
    out
}

/// Pages that share the most tags, regions, countries and stakeholders with `i`.
fn suggestions(site: &Site, msg: &Messages, i: usize, exclude: &BTreeSet<usize>) -> Vec<LinkItem> {
    let p = &site.pages[i];
    if p.is_index || p.kind == Kind::Page {
        return Vec::new();
    }
    let mut scores: BTreeMap<usize, u32> = BTreeMap::new();
    for &(ti, ki) in &site.page_terms[i] {
        let tax = &site.taxonomies[ti];
        let term = &tax.terms[ki];
        if tax.name == "kinds" || term.pages.len() > site.pages.len() / 2 + 2 {
            continue;
        }
        let weight = match tax.name {
            "tags" => 3,
            "stakeholders" => 1,
            _ => 2,
        };
        for &o in &term.pages {
            if o != i && !exclude.contains(&o) && !site.pages[o].is_index {
                *scores.entry(o).or_default() += weight;
            }
        }
    }
    let mut ranked: Vec<(usize, u32)> = scores.into_iter().filter(|(_, s)| *s >= 3).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(5)
        .map(|(o, _)| link_item(site, msg, o))
        .collect()
}

pub fn site_ctx(site: &Site, theme: &Theme) -> SiteCtx {
    let messages = theme.messages(&site.config.book.language);
    let mut nav = Vec::new();
    // With a chapter tree, the home page and the sections are in it; the list keeps only the
    // generated pages.
    if site.toc.len() <= 1 {
        if site.home().is_some() {
            nav.push(NavItem {
                title: messages.text("nav_home"),
                url: "index.html".into(),
                prefix: String::new(),
            });
        }
        for &s in &site.nav {
            let p = &site.pages[s];
            nav.push(NavItem {
                title: p.title.clone(),
                url: p.url.clone(),
                prefix: format!("{}/", p.dir()),
            });
        }
    }
    for (key, url) in site.generated_views() {
        nav.push(NavItem {
            title: messages.text(key),
            url: url.into(),
            prefix: String::new(),
        });
    }
    if site.has_facets() {
        nav.push(NavItem {
            title: messages.text("nav_browse"),
            url: "browse.html".into(),
            prefix: String::new(),
        });
    }
    nav.push(NavItem {
        title: messages.text("nav_search"),
        url: "search.html".into(),
        prefix: String::new(),
    });
    let c = &site.config;
    SiteCtx {
        title: c.book.title.clone(),
        description: c.book.description.clone(),
        language: c.book.language.clone(),
        base_url: c
            .base_url()
            .map(|u| {
                if u.ends_with('/') {
                    u.to_string()
                } else {
                    format!("{u}/")
                }
            })
            .unwrap_or_default(),
        nav,
        version: env!("CARGO_PKG_VERSION"),
        built: Date::today().to_string(),
        has_browse: site.has_facets(),
        extra_css: c
            .output
            .html
            .additional_css
            .iter()
            .filter_map(|p| crate::paths::extra_file_path(p))
            .collect(),
        extra_js: c
            .output
            .html
            .additional_js
            .iter()
            .filter_map(|p| crate::paths::extra_file_path(p))
            .collect(),
        repository: c
            .output
            .html
            .git_repository_url
            .clone()
            .filter(|u| crate::safe_url::is_web_url(u)),
        has_home: site.home().is_some(),
        up: if site.is_default_language() {
            String::new()
        } else {
            "../".into()
        },
        prefix: site.prefix(),
        dir: crate::translation::direction(&c.book.language),
        language_name: messages.text(&format!("lang_{}", c.book.language)),
        original_language_name: messages.text(&format!(
            "lang_{}",
            site.languages.first().unwrap_or(&c.book.language)
        )),
        original_autonym: crate::translation::autonym(
            site.languages.first().unwrap_or(&c.book.language),
        ),
        script_messages: crate::messages::ScriptMessages::new(&messages, &site_countries(site))
            .to_script_json(),
        msg: messages.strings(),
        messages,
        value: std::sync::OnceLock::new(),
        languages: if site.languages.len() > 1 {
            site.languages
                .iter()
                .map(|code| LanguageLink {
                    code: code.clone(),
                    name: crate::translation::autonym(code),
                    prefix: crate::site::prefix_of(&site.languages, code),
                    current: *code == c.book.language,
                })
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// The ISO codes of the countries the site's pages name.
fn site_countries(site: &Site) -> Vec<String> {
    let codes: BTreeSet<String> = site
        .pages
        .iter()
        .flat_map(|p| p.meta.list("countries").iter().map(|c| c.to_lowercase()))
        .collect();
    codes.into_iter().collect()
}

/// Renders one template into a file, turning template errors into diagnostics that name the
/// template.
pub fn render_template(
    theme: &Theme,
    name: &str,
    ctx: &impl Serialize,
    path: String,
) -> Result<OutFile> {
    render_template_sharing(theme, name, ctx, &[], path)
}

/// [`render_template`] with values serialized once for many renderings (`("site",
/// sctx.value())`) added to `ctx`: copying a value is much cheaper than serializing it again.
pub fn render_template_sharing(
    theme: &Theme,
    name: &str,
    ctx: &impl Serialize,
    shared: &[(&str, &tera::Value)],
    path: String,
) -> Result<OutFile> {
    let context_error = |e: &dyn std::fmt::Display| Error::Other(format!("template context: {e}"));
    let mut value = tera::to_value(ctx).map_err(|e| context_error(&e))?;
    if let tera::Value::Object(map) = &mut value {
        for (key, shared) in shared {
            map.insert((*key).to_string(), (*shared).clone());
        }
    }
    let context = tera::Context::from_value(value).map_err(|e| context_error(&e))?;
    theme
        .tera
        .render(name, &context)
        .map(|html| OutFile {
            path,
            bytes: html.into_bytes(),
        })
        .map_err(|e| Error::Content(vec![theme.diagnostic(name, &e)]))
}

/// Renders the pages `which` (indices into `site.pages`) and nothing else: `accord serve`
/// re-renders only the pages an edit can have changed.
pub fn page_files(
    site: &Site,
    frags: &Fragments,
    theme: &Theme,
    sctx: &SiteCtx,
    which: &[usize],
    progress: Option<&ProgressBar>,
) -> Result<Vec<OutFile>> {
    let results: Vec<Result<OutFile>> = which
        .par_iter()
        .map(|&i| {
            let out = render_page(site, frags, theme, sctx, i);
            if let Some(pb) = progress {
                pb.inc(1);
            }
            out
        })
        .collect();
    every_page(results)
}

/// Renders every page into `sink` as it is made, so that no more pages are held at once than
/// there are threads rendering them. Returns the pages' output paths, by page index.
pub fn put_pages(
    site: &Site,
    frags: &Fragments,
    theme: &Theme,
    sctx: &SiteCtx,
    sink: &Sink,
    progress: Option<&ProgressBar>,
) -> Result<Vec<String>> {
    let results: Vec<Result<String>> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| {
            let out = render_page(site, frags, theme, sctx, i);
            if let Some(pb) = progress {
                pb.inc(1);
            }
            sink.put(out?)
        })
        .collect();
    every_page(results)
}

/// Each page's result, or every distinct problem of every page that failed: one template error
/// shows once, not once per page.
fn every_page<T>(results: Vec<Result<T>>) -> Result<Vec<T>> {
    let mut out = Vec::with_capacity(results.len() + 64);
    let mut errors: Vec<Diagnostic> = Vec::new();
    for r in results {
        match r {
            Ok(f) => out.push(f),
            Err(Error::Content(d)) => {
                for d in d {
                    if !errors.contains(&d) {
                        errors.push(d);
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Content(errors));
    }
    Ok(out)
}

/// The template for a page: the home, glossary and section pages have their own; other pages
/// use their kind's template where the theme has one.
fn template_for(theme: &Theme, p: &Page) -> String {
    if p.is_index && p.dir().is_empty() {
        "home.html".to_string()
    } else if p.is_index && p.dir() == "glossary" {
        "glossary.html".into()
    } else if p.is_index {
        "section.html".into()
    } else if theme.has(&format!("{}.html", p.kind.as_str())) {
        format!("{}.html", p.kind.as_str())
    } else {
        "page.html".into()
    }
}

/// A taxonomy term's name in the reader's language: kinds, countries and stakeholders by their
/// key; regions and tags as editors wrote them.
pub fn term_label(msg: &Messages, tax: &Taxonomy, term: &TaxonomyTerm) -> String {
    match tax.name {
        "kinds" => {
            Kind::parse(&term.slug).map_or_else(|| term.label.clone(), |k| msg.kind_plural(k))
        }
        "countries" => msg.country(&term.slug),
        "stakeholders" => msg.stakeholder(&term.slug),
        _ => term.label.clone(),
    }
}

/// A glossary term's "see also" (both ways) and "used on" lists.
fn term_ctx(site: &Site, frags: &Fragments, sctx: &SiteCtx, i: usize) -> TermCtx {
    let msg = &sctx.messages;
    let p = &site.pages[i];
    let here = &site.config.book.language;
    let all = site.equivalents.get(p.slug());
    let equivalents = all
        .into_iter()
        .flatten()
        .filter(|e| e.language != *here)
        .map(|e| EquivalentCtx {
            language: e.language.clone(),
            name: crate::translation::autonym(&e.language),
            term: e.term.clone(),
            prefix: crate::site::prefix_of(&site.languages, &e.language),
        })
        .collect();
    let choice = p.language.as_ref().map(|_| {
        let official = all
            .into_iter()
            .flatten()
            .find(|e| e.language == *here)
            .and_then(|e| e.official.clone());
        let language = &sctx.language_name;
        match official {
            Some(source) => sctx.messages.fill(
                "term_choice_official",
                &[("language", language), ("source", &source)],
            ),
            None => sctx
                .messages
                .fill("term_choice_own", &[("language", language)]),
        }
    });
    let m = &p.meta;
    let g = site.glossary();
    let t = g.index_of(p.slug());
    let mut see: BTreeSet<usize> = BTreeSet::new();
    for s in m.list("see_also") {
        if let Some(x) = g.index_of(s) {
            see.insert(g.terms[x].page);
        }
    }
    // see_also is shown on both terms.
    for other in &g.terms {
        if site.pages[other.page]
            .meta
            .list("see_also")
            .iter()
            .any(|s| s == p.slug())
        {
            see.insert(other.page);
        }
    }
    TermCtx {
        equivalents,
        choice,
        see_also: see.into_iter().map(|x| link_item(site, msg, x)).collect(),
        used_on: t
            .map(|t| {
                frags.term_uses[t]
                    .iter()
                    .filter(|&&u| u != i)
                    .map(|&u| link_item(site, msg, u))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The taxonomy terms a page is filed under, by taxonomy (kinds left out: the page says its kind).
fn taxonomy_ctx(site: &Site, msg: &Messages, i: usize) -> Vec<TaxCtx> {
    site.taxonomies
        .iter()
        .enumerate()
        .filter(|(_, t)| t.name != "kinds")
        .filter_map(|(ti, t)| {
            let items: Vec<LinkItem> = site.page_terms[i]
                .iter()
                .filter(|(pt, _)| *pt == ti)
                .map(|&(_, ki)| {
                    let term = &t.terms[ki];
                    LinkItem {
                        title: term_label(msg, t, term),
                        url: format!("{}/{}.html", t.name, term.slug),
                        summary: None,
                        kind_label: None,
                        date: None,
                    }
                })
                .collect();
            (!items.is_empty()).then_some(TaxCtx {
                label: msg.taxonomy(t.name, t.label),
                items,
            })
        })
        .collect()
}

/// The sidebar's chapter tree seen from page `i`: the theme's `toc.html` when it has one, else
/// the default markup ([`crate::navigation::tree_html`]).
fn chapters_html(
    site: &Site,
    theme: &Theme,
    sctx: &SiteCtx,
    i: usize,
    root: &str,
) -> Result<String> {
    let sections_of = sctx.msg.get("toc_sections_of").map_or("", String::as_str);
    let chapters = crate::navigation::tree(site, i);
    if !theme.has(TOC_TEMPLATE) {
        return Ok(crate::navigation::tree_html(&chapters, root, sections_of));
    }
    let ctx = TocCtx {
        root,
        sections_of,
        chapters,
    };
    render_template(theme, TOC_TEMPLATE, &ctx, String::new())
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
}

/// The template a theme may add to write the sidebar's chapter tree its own way.
const TOC_TEMPLATE: &str = "toc.html";

fn render_page(
    site: &Site,
    frags: &Fragments,
    theme: &Theme,
    sctx: &SiteCtx,
    i: usize,
) -> Result<OutFile> {
    let msg = &sctx.messages;
    let p = &site.pages[i];
    let m = &p.meta;
    let related_set: BTreeSet<usize> = site.related[i].iter().copied().collect();
    let template = template_for(theme, p);
    let children: Vec<LinkItem> = if p.is_index {
        site.children
            .get(p.dir())
            .map(|c| c.iter().map(|&c| link_item(site, msg, c)).collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut exclude = related_set.clone();
    exclude.extend(site.backlinks[i].iter().copied());
    let term = (p.kind == Kind::Term).then(|| term_ctx(site, frags, sctx, i));
    let glossary = if p.is_index && p.dir() == "glossary" {
        glossary_letters(site)
    } else {
        Vec::new()
    };
    let (prev, next) = crate::navigation::neighbours(site, i);
    let root = links::root_of(&p.url);
    let chapters_html = chapters_html(site, theme, sctx, i, &root)?;
    let ctx = PageCtx {
        root: root.clone(),
        url: &p.url,
        title: &p.title,
        kind: p.kind.as_str(),
        kind_label: msg.kind(p.kind),
        summary: p.summary(),
        content: frags.html(i)?,
        toc: p
            .analysis
            .headings
            .iter()
            .filter(|h| (2..=3).contains(&h.level))
            .collect(),
        contents: crate::toc::page_sections(&p.analysis.headings),
        facts: fact_rows(site, p, msg),
        sources: source_ctx(p, msg),
        cites: cites_ctx(site, p),
        articles: articles_ctx(site, msg, i),
        related: site.related[i]
            .iter()
            .map(|&r| link_item(site, msg, r))
            .collect(),
        suggestions: suggestions(site, msg, i, &exclude),
        backlinks: site.backlinks[i]
            .iter()
            .map(|&b| link_item(site, msg, b))
            .collect(),
        breadcrumbs: site
            .breadcrumbs(i)
            .into_iter()
            .map(|b| link_item(site, msg, b))
            .collect(),
        tab_title: p.tab_title.as_deref(),
        edit_url: site
            .config
            .output
            .html
            .edit_url_template
            .as_ref()
            .map(|t| {
                let path = site.config.book.src.join(&p.rel);
                t.replace("{path}", &path.to_string_lossy().replace('\\', "/"))
            })
            .filter(|u| crate::safe_url::is_web_url(u)),
        chapters_html,
        prev: prev.map(|(title, url)| NeighbourCtx { title, url }),
        next: next.map(|(title, url)| NeighbourCtx { title, url }),
        print_section: crate::navigation::section_of(site, i),
        children,
        taxonomies: taxonomy_ctx(site, msg, i),
        updated: m.date("updated").map(|d| msg.date(d)),
        updated_iso: m.date("updated").map(Date::to_string),
        term,
        glossary,
        page_languages: site.languages_of(&p.rel),
        text_language: match (&p.language, site.is_default_language()) {
            (None, false) => site.languages.first().map(String::as_str),
            _ => None,
        },
        translation: p.language.as_ref().map(|_| TranslationCtx {
            date: m.date("translated").map(|d| sctx.messages.date(d)),
            outdated: p.outdated,
            original_title: site
                .original_titles
                .get(&p.rel)
                .cloned()
                .unwrap_or_default(),
        }),
    };
    render_template_sharing(
        theme,
        &template,
        &ctx,
        &[("site", sctx.value()?)],
        p.url.clone(),
    )
}

/// The instruments a page cites, each article linked to its entry on the instrument page.
fn cites_ctx(site: &Site, p: &Page) -> Vec<CiteCtx> {
    p.meta
        .cites()
        .iter()
        .filter_map(|c| {
            let t = site.page_index(&c.instrument)?;
            let tp = &site.pages[t];
            let listed = tp.meta.articles();
            Some(CiteCtx {
                title: tp.meta.text("short_title").unwrap_or(&tp.title).to_string(),
                url: tp.url.clone(),
                articles: c
                    .articles
                    .iter()
                    .map(|n| CitedArticleCtx {
                        number: n.clone(),
                        href: articles::resolve(listed, n).map_or_else(
                            || tp.url.clone(),
                            |a| format!("{}#{}", tp.url, articles::anchor(&listed[a].number)),
                        ),
                    })
                    .collect(),
            })
        })
        .collect()
}

/// An instrument's key articles, with how many pages cite each.
fn articles_ctx(site: &Site, msg: &Messages, i: usize) -> Vec<ArticleCtx> {
    let p = &site.pages[i];
    p.meta
        .articles()
        .iter()
        .enumerate()
        .map(|(n, a)| {
            let cited_by = site.cited_by[i].get(n).map_or(0, Vec::len);
            ArticleCtx {
                number: a.number.clone(),
                summary: a.summary.clone(),
                anchor: articles::anchor(&a.number),
                cited_by,
                cited_label: msg.plural("cited_by", cited_by, &[]),
                view_href: format!("articles.html#{}", articles::view_anchor(&p.rel, &a.number)),
            }
        })
        .collect()
}

/// A page's sources as templates show them.
pub fn source_ctx(p: &Page, msg: &Messages) -> Vec<SourceCtx> {
    p.meta
        .sources()
        .iter()
        .map(|s| SourceCtx {
            title: s.title.clone(),
            publisher: s.publisher.clone(),
            date: s.date.as_ref().map(|d| msg.date(d)),
            url: s.url.clone(),
        })
        .collect()
}

fn glossary_letters(site: &Site) -> Vec<GlossaryLetter> {
    let mut by_letter: BTreeMap<String, Vec<GlossaryEntry>> = BTreeMap::new();
    let mut terms: Vec<_> = site.glossary().terms.iter().collect();
    terms.sort_by_key(|t| deunicode::deunicode(&t.term).to_lowercase());
    for t in terms {
        let letter = deunicode::deunicode(&t.term)
            .chars()
            .find(|c| c.is_ascii_alphanumeric())
            .map(|c| {
                if c.is_ascii_digit() {
                    '#'
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .unwrap_or('#')
            .to_string();
        by_letter.entry(letter).or_default().push(GlossaryEntry {
            title: site.pages[t.page].title.clone(),
            url: t.url.clone(),
            definition: t.definition.clone(),
            abbreviation: t.abbreviation.clone(),
        });
    }
    by_letter
        .into_iter()
        .map(|(letter, terms)| GlossaryLetter { letter, terms })
        .collect()
}

/// What every generated view is made from.
pub struct ViewInput<'a> {
    pub site: &'a Site,
    pub frags: &'a Fragments,
    pub theme: &'a Theme,
    pub sctx: &'a SiteCtx,
}
