//! Multilingual sites: translations beside their originals, one site per language, the language
//! switcher and hreflang links, fallbacks, per-language search and glossary, and the editors'
//! checks.

mod common;

use common::{stderr, stdout, Fixture};

const BOOK: &str = "[book]\ntitle = \"Cooperation\"\nlanguage = \"en\"\n\n[languages.de]\ntitle = \"Zusammenarbeit\"\n\n[languages.pl]\ntitle = \"Współpraca\"\n";

const SOURCES: &str =
    "sources:\n  - title: A source\n    publisher: A publisher\n    date: \"2009\"\n";

fn fixture() -> Fixture {
    let trust = format!("---\nkind: principle\ntitle: Building trust\nsummary: Trust grows from regular contact.\ncountries:\n  - DE\n{SOURCES}---\n\nVictims of trafficking need support before they talk to the police. See [consent](consent.md#why-it-matters) and the [reflection period](../glossary/reflection-period.md).\n\n## What it means\n\nRegular contact.\n");
    let consent = format!("---\nkind: principle\ntitle: Informed consent\n{SOURCES}---\n\n## Why it matters\n\nConsent must be informed.\n");
    Fixture::new(&[
        ("book.toml", BOOK),
        ("content/_index.md", "---\ntitle: Home\n---\n\nStart with [trust](principles/trust.md).\n"),
        ("content/_index.de.md", "---\ntitle: Startseite\ntranslated: \"2026-12-02\"\n---\n\nBeginnen Sie mit [Vertrauen](principles/trust.md).\n"),
        ("content/_index.pl.md", "---\ntitle: Strona główna\ntranslated: \"2026-12-02\"\n---\n\nZacznij od [zaufania](principles/trust.md).\n"),
        ("content/principles/trust.md", &trust),
        ("content/principles/trust.de.md", "---\ntitle: Vertrauen aufbauen\nsummary: Vertrauen wächst aus regelmäßigem Kontakt.\ntranslated: \"2026-12-02\"\n---\n\nOpfer von Menschenhandel brauchen Unterstützung, bevor sie mit der Polizei sprechen. Siehe [Einwilligung](consent.md#why-it-matters) und die [Bedenkzeit](../glossary/reflection-period.md).\n\n## Was das bedeutet {#what-it-means}\n\nRegelmäßiger Kontakt zu Fachberatungsstellen.\n\n- [ ] Termine vereinbaren\n\n> [!NOTE]\n> Vertraulich.\n"),
        ("content/principles/trust.pl.md", "---\ntitle: Budowanie zaufania\ntranslated: \"2026-12-02\"\n---\n\nOrganizacje pomagają ofiarom handlu ludźmi, zanim porozmawiają z policją. Zobacz [zgodę](consent.md#why-it-matters) i [okres na zastanowienie się](../glossary/reflection-period.md).\n\n## Co to oznacza {#what-it-means}\n\nRegularny kontakt.\n"),
        ("content/principles/consent.md", &consent),
        ("content/glossary/reflection-period.md", "---\nkind: term\nterm: reflection and recovery period\naliases:\n  - reflection period\ndefinition: A period in which a presumed victim may recover and decide.\n---\n\nAt least 30 days under Article 13.\n"),
        ("content/glossary/reflection-period.de.md", "---\nterm: Erholungs- und Bedenkzeit\naliases:\n  - Bedenkzeit\ndefinition: Ein Zeitraum, in dem sich ein mutmaßliches Opfer erholen und entscheiden kann.\ntranslated: \"2026-12-02\"\n---\n\nMindestens 30 Tage nach Artikel 13.\n"),
    ])
}

fn built() -> Fixture {
    let f = fixture();
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    f
}

/// The `<link rel="alternate" hreflang>` elements of a page, in order.
fn alternates(html: &str) -> Vec<String> {
    html.lines()
        .filter(|l| l.starts_with("<link rel=\"alternate\" hreflang="))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_language_has_its_own_tree_with_lang_and_hreflang() {
    let f = built();
    let en = f.read("principles/trust.html");
    let de = f.read("de/principles/trust.html");
    let pl = f.read("pl/principles/trust.html");
    assert!(en.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(de.contains("<html lang=\"de\" dir=\"ltr\">"));
    assert!(pl.contains("<html lang=\"pl\" dir=\"ltr\">"));
    assert!(de.contains("<h1>Vertrauen aufbauen</h1>"));
    // Without base-url there are no absolute addresses for `<link rel="alternate">` (search
    // engines ignore relative ones): the switcher's links name each language with hreflang.
    assert!(alternates(&de).is_empty(), "{:?}", alternates(&de));
    for (lang, href) in [
        ("en", "../../principles/trust.html"),
        ("de", "../../de/principles/trust.html"),
        ("pl", "../../pl/principles/trust.html"),
    ] {
        assert!(
            de.contains(&format!(
                "<a href=\"{href}\" hreflang=\"{lang}\" lang=\"{lang}\""
            )),
            "{lang}"
        );
    }
    // With base-url, every page lists the languages it exists in, absolutely.
    f.write(
        "book.toml",
        &format!("{BOOK}\n[site]\nbase-url = \"https://example.org/kb/\"\n"),
    );
    assert!(f.build().status.success());
    let (en, de) = (
        f.read("principles/trust.html"),
        f.read("de/principles/trust.html"),
    );
    let all = [
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/kb/principles/trust.html\">",
        "<link rel=\"alternate\" hreflang=\"de\" href=\"https://example.org/kb/de/principles/trust.html\">",
        "<link rel=\"alternate\" hreflang=\"pl\" href=\"https://example.org/kb/pl/principles/trust.html\">",
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/kb/principles/trust.html\">",
    ];
    assert_eq!(alternates(&de), all);
    assert_eq!(alternates(&en), all);
    // An untranslated page names only the language it exists in.
    assert_eq!(
        alternates(&f.read("de/principles/consent.html")),
        [
            "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/kb/principles/consent.html\">",
            "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/kb/principles/consent.html\">",
        ]
    );
    // Links inside a translation reach the same language's pages, anchors included.
    assert!(de.contains("href=\"consent.html#why-it-matters\""));
    assert!(de.contains("id=\"what-it-means\""));
    // What accord writes into the content is in the page's language too.
    assert!(
        de.contains("<span class=\"task\" role=\"img\" aria-label=\"Offen\">☐</span>"),
        "{de}"
    );
    assert!(de.contains("<aside class=\"callout callout-note\" role=\"note\" aria-label=\"Hinweis\">\n<p class=\"callout-title\">Hinweis</p>"), "{de}");
    // The shared files are the root's.
    assert!(de.contains("href=\"../../assets/style.css\""));
    assert!(!f.site().join("de/assets").exists());
    assert!(f.site().join("de/search/index.bin").is_file());
    common::assert_links_resolve(&f.site());
}

#[test]
fn the_switcher_reaches_every_language_and_marks_the_untranslated() {
    let f = built();
    let de = f.read("de/principles/consent.html");
    let start = de
        .find("<nav class=\"language-switcher\"")
        .expect("switcher");
    let end = start + de[start..].find("</nav>").unwrap() + 6;
    assert_eq!(
        &de[start..end],
        "<nav class=\"language-switcher\" aria-label=\"Sprache\">\n<details>\n<summary><span class=\"visually-hidden\">Sprache: </span><span class=\"language-name\" lang=\"de\">Deutsch</span><span class=\"language-code\" aria-hidden=\"true\">DE</span></summary>\n<ul>\n<li><a href=\"../../principles/consent.html\" hreflang=\"en\" lang=\"en\">English</a></li>\n<li><a href=\"../../de/principles/consent.html\" hreflang=\"de\" lang=\"de\" aria-current=\"page\">Deutsch</a> <span class=\"language-untranslated\">(noch nicht übersetzt)</span></li>\n<li><a href=\"../../pl/principles/consent.html\" hreflang=\"pl\" lang=\"pl\">Polski</a> <span class=\"language-untranslated\">(jeszcze nieprzetłumaczone)</span></li>\n</ul>\n</details>\n</nav>"
            .replace("(jeszcze nieprzetłumaczone)", "(noch nicht übersetzt)")
    );
}

#[test]
fn an_untranslated_page_is_the_original_with_a_note_in_the_readers_language() {
    let f = built();
    let de = f.read("de/principles/consent.html");
    assert!(de.contains("<h1>Informed consent</h1>"));
    assert!(de.contains("<p class=\"translation-note untranslated\" role=\"note\">Diese Seite gibt es noch nicht auf Deutsch; sie wird im Original gezeigt (Sprache: Englisch). <a href=\"../../principles/consent.html\" hreflang=\"en\" lang=\"en\">English</a></p>"), "{de}");
    let pl = f.read("pl/principles/consent.html");
    assert!(pl.contains("<p class=\"translation-note untranslated\" role=\"note\">Ta strona nie została jeszcze przetłumaczona na język polski; wyświetlany jest oryginał (język angielski). <a href=\"../../principles/consent.html\" hreflang=\"en\" lang=\"en\">English</a></p>"), "{pl}");
    // A translation says so, with its date, and that no legal translator reviewed it.
    let tr = f.read("pl/principles/trust.html");
    assert!(tr.contains("Ta strona jest tłumaczeniem strony „Building trust” (oryginał: język angielski), wykonanym 2 grudnia 2026. Tłumaczenie nie zostało sprawdzone przez tłumacza prawniczego."), "{tr}");
}

#[test]
fn each_language_is_searched_with_its_own_stemmer_and_glossary() {
    let f = built();
    // "ofiara" is nowhere in the Polish text; "ofiarom" is.
    let pl = f.accord(&["search", "--lang", "pl", "ofiara"]);
    assert!(pl.status.success(), "{}", stderr(&pl));
    assert!(
        stdout(&pl).contains("pl/principles/trust.html"),
        "{}",
        stdout(&pl)
    );
    let de = f.accord(&["search", "--lang", "de", "Bedenkzeit"]);
    assert!(stdout(&de).starts_with("Erholungs- und Bedenkzeit: Ein Zeitraum, in dem sich ein mutmaßliches Opfer erholen und entscheiden kann.\n"), "{}", stdout(&de));
    // German plural and compound: "Fachberatungsstellen" finds "Fachberatungsstellen"'s stem.
    let compound = f.accord(&["search", "--lang", "de", "Fachberatungsstelle"]);
    assert!(
        stdout(&compound).contains("de/principles/trust.html#what-it-means"),
        "{}",
        stdout(&compound)
    );
    // The English site knows the term by its German name and answers in English.
    let en = f.accord(&["search", "Bedenkzeit"]);
    assert!(stdout(&en).starts_with("reflection and recovery period: A period in which a presumed victim may recover and decide.\n"), "{}", stdout(&en));
    // Every language at once.
    let all = f.accord(&["search", "--all-languages", "trust", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&all)).unwrap();
    let urls: Vec<&str> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["url"].as_str().unwrap())
        .collect();
    assert!(urls.contains(&"principles/trust.html"), "{urls:?}");
    let unknown = f.accord(&["search", "--lang", "fr", "x"]);
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("this site has no pages in `fr`; its languages: en, de, pl"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn the_glossary_term_lists_its_equivalents_and_how_the_term_was_chosen() {
    let f = built();
    let en = f.read("glossary/reflection-period.html");
    assert!(en.contains("<li><span class=\"language-name\">Deutsch</span>: <a href=\"../de/glossary/reflection-period.html\" hreflang=\"de\" lang=\"de\">Erholungs- und Bedenkzeit</a></li>"), "{en}");
    let de = f.read("de/glossary/reflection-period.html");
    assert!(de.contains("<p class=\"note term-choice\">"), "{de}");
    // German text links the term by its declared forms.
    assert!(f
        .read("de/principles/trust.html")
        .contains("Bedenkzeit</a>"));
}

#[test]
fn check_reports_missing_and_outdated_translations() {
    let f = fixture();
    let marked = f.accord(&[
        "translated",
        "content/principles/trust.de.md",
        "content/_index.de.md",
        "content/_index.pl.md",
        "content/glossary/reflection-period.de.md",
    ]);
    assert!(marked.status.success(), "{}", stderr(&marked));
    assert!(stderr(&marked).contains("principles/trust.de.md: matches principles/trust.md as of "));
    let text = std::fs::read_to_string(f.path().join("content/principles/trust.de.md")).unwrap();
    assert!(text.contains("\ntranslated_from: \""), "{text}");
    // The original changes after the translation.
    let original = f.path().join("content/principles/trust.md");
    let changed = std::fs::read_to_string(&original)
        .unwrap()
        .replace("Regular contact.", "Regular contact, every month.");
    std::fs::write(&original, changed).unwrap();
    let check = f.accord(&["check"]);
    let out = format!("{}{}", stdout(&check), stderr(&check));
    assert!(out.contains("content/principles/trust.de.md:5:18: warning: outdated translation: `principles/trust.md` changed since it was translated\n  hint: bring the translation up to date, then run `accord translated content/principles/trust.de.md`"), "{out}");
    assert!(out.contains("content/principles/trust.pl.md:3:1: warning: no record of the version of `principles/trust.md` this translates"), "{out}");
    assert!(out.contains("book.toml: note: `pl`: 2 of 4 pages not translated yet: glossary/reflection-period.md, principles/consent.md"), "{out}");
    assert!(
        out.contains(
            "book.toml: note: `pl`: 1 glossary terms have no equivalent yet: reflection-period"
        ),
        "{out}"
    );
}

#[test]
fn a_translation_sets_only_its_texts_and_needs_an_original() {
    let f = fixture();
    f.write(
        "content/principles/consent.de.md",
        "---\ntitle: Einwilligung\ncountries:\n  - PL\ntranslated: \"2026-12-02\"\n---\n\nText.\n",
    );
    f.write(
        "content/principles/gone.pl.md",
        "---\ntitle: Weg\n---\n\nText.\n",
    );
    f.write(
        "content/principles/notes.md",
        "---\nkind: principle\ntitle: Notes\ntranslated: \"2026-12-02\"\n---\n\nText.\n",
    );
    let out = f.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("content/principles/consent.de.md:3:1: error: a translation takes `countries` from its original\n  hint: remove it here (change it in the original); a translation of a `principle` sets only: title, summary, sources, translated, translated_from"), "{err}");
    assert!(err.contains("content/principles/gone.pl.md:1:1: error: `principles/gone.pl.md` translates `principles/gone.md`, which is not a page"), "{err}");
    assert!(err.contains("content/principles/notes.md:4:1: error: `translated` belongs in a translation, and this page is not one"), "{err}");
}

#[test]
fn a_bad_languages_table_is_reported_where_it_is() {
    let f = fixture();
    f.write("book.toml", "[book]\ntitle = \"T\"\nlanguage = \"en\"\n\n[languages.German]\ntitle = \"x\"\n\n[languages.pl]\ntitel = \"y\"\n");
    let err = stderr(&f.build());
    assert!(
        err.contains("book.toml:5:12: error: `German` is not a language code"),
        "{err}"
    );
    assert!(err.contains("book.toml:9:1: error: unknown key `titel`\n  hint: did you mean `title`? (allowed keys here: title, description)"), "{err}");
}

#[test]
fn the_sitemap_feeds_and_print_pages_cover_every_language() {
    let f = fixture();
    f.write(
        "book.toml",
        &format!("{BOOK}\n[site]\nbase-url = \"https://example.org/kb/\"\n"),
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let sitemap = f.read("sitemap.xml");
    for url in [
        "https://example.org/kb/principles/trust.html",
        "https://example.org/kb/de/principles/trust.html",
        "https://example.org/kb/pl/principles/consent.html",
        "https://example.org/kb/pl/search.html",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{url}</loc>")),
            "{url} missing:\n{sitemap}"
        );
    }
    // Each language has its feed and its printable document, in its language.
    assert!(f
        .read("de/feed.xml")
        .contains("<title>Zusammenarbeit</title>"));
    assert!(f.read("de/print.html").contains("<html lang=\"de\""));
    assert!(f.read("pl/print.html").contains("Budowanie zaufania"));
    // The canonical address of a translation is in its language's folder.
    assert!(f.read("de/principles/trust.html").contains(
        "<link rel=\"canonical\" href=\"https://example.org/kb/de/principles/trust.html\">"
    ));
}
