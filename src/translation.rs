//! Translations: `page.de.md` beside `page.md`, one site per language.
//!
//! A translation sits beside its original (Zola's layout rather than a folder per language), so
//! that an editor sees at a glance which pages lack one, a translation is linked to its original
//! by its name alone, and the relative links a translator copies from the original reach the
//! same pages. It sets only its texts (see [`crate::model::TRANSLATION_KEYS`]) and takes every
//! other key from the original: a date or a country is stated once, in one file.
//!
//! Each further language of book.toml gets a whole site under its code (`de/…`): every page of
//! the default language, in translation where one exists and otherwise as the original with a
//! note, so every link and the language switcher always reach a page.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use crate::content::Page;
pub use crate::content::{original_of, Translation};
use crate::frontmatter::Value;

/// The pages of one further language: each original, or its translation laid over it.
pub fn language_pages(
    originals: &[Page],
    translations: &[Translation],
    language: &str,
) -> Vec<Page> {
    let by_original: BTreeMap<&str, &Translation> = translations
        .iter()
        .filter(|t| t.language == language)
        .map(|t| (t.original.as_str(), t))
        .collect();
    originals
        .iter()
        .map(|p| match by_original.get(p.rel.as_str()) {
            Some(t) => overlay(p, t),
            None => p.clone(),
        })
        .collect()
}

/// The original with the translation's texts: its title, summary, definition, aliases and
/// body, plus the sources it adds. Everything else stays the original's.
pub fn overlay(original: &Page, t: &Translation) -> Page {
    let mut page = original.clone();
    let tr = &t.page;
    page.title = tr.title.clone();
    for (key, value) in tr.meta.iter() {
        match (key, value, page.meta.get(key)) {
            ("sources", Value::Sources(extra), Some(Value::Sources(own))) => {
                let mut all = own.clone();
                all.extend(extra.iter().cloned());
                page.meta.set(key, Value::Sources(all));
            }
            _ => page.meta.set(key, value.clone()),
        }
    }
    page.language = Some(t.language.clone());
    page.outdated = tr.meta.text("translated_from") != Some(fingerprint(original).as_str());
    page.source = tr.source.clone();
    page.body = tr.body.clone();
    page.body_line = tr.body_line;
    page.lines = tr.lines.clone();
    page.tab_title = tr.tab_title.clone();
    page.includes = tr.includes.clone();
    page.spans = tr.spans.clone();
    page.analysis = tr.analysis.clone();
    // An instrument's article entries come from the original's front matter and are link
    // targets in every language.
    page.analysis.anchors.extend(
        page.meta
            .articles()
            .iter()
            .map(|a| crate::articles::anchor(&a.number)),
    );
    page
}

/// What a translator translated: the original's title, texts and body. A change to anything
/// else (a date, a source) does not make a translation outdated.
pub fn fingerprint(original: &Page) -> String {
    let mut h = Sha256::new();
    h.update(original.title.as_bytes());
    for key in ["summary", "definition"] {
        h.update([0]);
        h.update(original.meta.text(key).unwrap_or_default().as_bytes());
    }
    if original.kind == crate::model::Kind::Term {
        for alias in original.meta.list("aliases") {
            h.update([0]);
            h.update(alias.as_bytes());
        }
    }
    h.update([0]);
    h.update(original.body.as_bytes());
    let digest = h.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Each glossary term, by slug, in the book's language and in each of its translations.
pub fn equivalents(
    language: &str,
    originals: &[Page],
    translations: &[Translation],
) -> BTreeMap<String, Vec<crate::site::Equivalent>> {
    let term = |language: &str, p: &Page| crate::site::Equivalent {
        language: language.to_string(),
        term: p.title.clone(),
        aliases: p.meta.list("aliases").to_vec(),
        official: match p.meta.get("term_source") {
            Some(Value::Sources(s)) => s.first().map(|s| s.title.clone()),
            _ => None,
        },
    };
    let mut out: BTreeMap<String, Vec<crate::site::Equivalent>> = BTreeMap::new();
    let mut slugs: BTreeMap<&str, &str> = BTreeMap::new();
    for p in originals
        .iter()
        .filter(|p| p.kind == crate::model::Kind::Term)
    {
        slugs.insert(p.rel.as_str(), p.slug());
        out.entry(p.slug().to_string())
            .or_default()
            .push(term(language, p));
    }
    for t in translations {
        if let Some(slug) = slugs.get(t.original.as_str()) {
            out.entry(slug.to_string())
                .or_default()
                .push(term(&t.language, &t.page));
        }
    }
    out
}

/// For each original (by path): the languages it has a translation in.
pub fn translated_in(translations: &[Translation]) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in translations {
        out.entry(t.original.clone())
            .or_default()
            .insert(t.language.clone());
    }
    out
}

/// Rewrites a translation's front matter so that it records the original it now matches:
/// `translated_from` set to the original's fingerprint and `translated` to `today`. Only those
/// two lines change; the rest of the file is kept byte for byte.
pub fn mark_translated(text: &str, fingerprint: &str, today: &str) -> Option<String> {
    let body_start = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let end = body_start
        .match_indices("\n---")
        .find(|(i, _)| {
            let after = &body_start[i + 4..];
            after.is_empty() || after.starts_with('\n') || after.starts_with("\r\n")
        })
        .map(|(i, _)| i + 1)?;
    let yaml = &body_start[..end];
    let rest = &body_start[end..];
    let mut lines: Vec<String> = yaml
        .lines()
        .filter(|l| !l.starts_with("translated_from:") && !l.starts_with("translated:"))
        .map(str::to_string)
        .collect();
    lines.push(format!("translated: \"{today}\""));
    lines.push(format!("translated_from: \"{fingerprint}\""));
    Some(format!("---\n{}\n{rest}", lines.join("\n")))
}

/// A language's name in that language, for the language switcher: readers look for their own
/// language's name, not its English one.
pub fn autonym(code: &str) -> String {
    let base = code.split('-').next().unwrap_or(code);
    let name = match base {
        "da" => "Dansk",
        "de" => "Deutsch",
        "en" => "English",
        "et" => "Eesti",
        "fi" => "Suomi",
        "fr" => "Français",
        "is" => "Íslenska",
        "lt" => "Lietuvių",
        "lv" => "Latviešu",
        "nb" | "no" => "Norsk bokmål",
        "nn" => "Norsk nynorsk",
        "pl" => "Polski",
        "ru" => "Русский",
        "sv" => "Svenska",
        "uk" => "Українська",
        _ => return code.to_string(),
    };
    name.to_string()
}

/// `rtl` for the languages written right to left, for `<html dir>`.
pub fn direction(code: &str) -> &'static str {
    let base = code.split('-').next().unwrap_or(code);
    if matches!(
        base,
        "ar" | "arc" | "ckb" | "dv" | "fa" | "he" | "ku" | "ps" | "sd" | "ug" | "ur" | "yi"
    ) {
        "rtl"
    } else {
        "ltr"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translation_is_named_after_its_original_and_a_configured_language() {
        let langs = vec!["de".to_string(), "pl".to_string()];
        assert_eq!(
            original_of("principles/trust.de.md", &langs),
            Some(("principles/trust.md".into(), "de".into()))
        );
        assert_eq!(
            original_of("_index.pl.md", &langs),
            Some(("_index.md".into(), "pl".into()))
        );
        // Not a configured language, or no name before the code: an ordinary page.
        assert_eq!(original_of("notes/v1.2.md", &langs), None);
        assert_eq!(original_of("a/.de.md", &langs), None);
        assert_eq!(original_of("trust.fr.md", &langs), None);
    }

    #[test]
    fn marking_a_translation_changes_only_its_two_lines() {
        let text =
            "---\ntitle: Vertrauen\ntranslated: \"2026-01-01\"\nsummary: a\n---\n\nBody ---\n";
        assert_eq!(
            mark_translated(text, "00ff", "2026-12-02").unwrap(),
            "---\ntitle: Vertrauen\nsummary: a\ntranslated: \"2026-12-02\"\ntranslated_from: \"00ff\"\n---\n\nBody ---\n"
        );
        assert_eq!(
            mark_translated("no front matter", "00ff", "2026-12-02"),
            None
        );
    }
}
