//! The content model, as data: every kind of page and every front-matter key, defined once.
//!
//! Validation, "did you mean" hints, the facts table of a page, the timeline, the CSV and JSON
//! export, `accord new`, `accord schema` and the front-matter reference in the README are all
//! derived from [`KINDS`] and [`KEYS`]. Adding a key is one entry in [`KEYS`] (plus the theme,
//! if the key needs more than a row in the facts table); adding a kind is one variant of
//! [`Kind`], one entry in [`KINDS`] and the keys that name it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Principle,
    Instrument,
    Agreement,
    Initiative,
    Organisation,
    Event,
    Practice,
    Term,
    Page,
}

/// What a kind is called and where its pages go.
pub struct KindDef {
    pub kind: Kind,
    /// The value of `kind:` in front matter.
    pub name: &'static str,
    pub label: &'static str,
    pub plural: &'static str,
    /// Folder under the content directory that `accord new` writes into.
    pub folder: &'static str,
    /// The dates a page of this kind is sorted and listed by: the first one the page has.
    pub key_dates: &'static [&'static str],
    /// One line for the README reference and the JSON Schema.
    pub doc: &'static str,
}

pub const KINDS: &[KindDef] = &[
    KindDef {
        kind: Kind::Principle,
        name: "principle",
        label: "Principle",
        plural: "Principles",
        folder: "principles",
        key_dates: &[],
        doc: "A guiding principle for cooperation.",
    },
    KindDef {
        kind: Kind::Instrument,
        name: "instrument",
        label: "Instrument",
        plural: "Instruments",
        folder: "instruments",
        key_dates: &["adopted"],
        doc: "A treaty, directive or other legal or policy instrument.",
    },
    KindDef {
        kind: Kind::Agreement,
        name: "agreement",
        label: "Agreement",
        plural: "Agreements",
        folder: "agreements",
        key_dates: &["signed", "adopted", "published", "in_operation_since"],
        doc: "An MoU or cooperation agreement between agencies or organisations.",
    },
    KindDef {
        kind: Kind::Initiative,
        name: "initiative",
        label: "Initiative",
        plural: "Initiatives",
        folder: "initiatives",
        key_dates: &["started"],
        doc: "A regional initiative, network or programme.",
    },
    KindDef {
        kind: Kind::Organisation,
        name: "organisation",
        label: "Organisation",
        plural: "Organisations",
        folder: "organisations",
        key_dates: &["founded"],
        doc: "An organisation that takes part in cooperation.",
    },
    KindDef {
        kind: Kind::Event,
        name: "event",
        label: "Event",
        plural: "Events",
        folder: "events",
        key_dates: &["date"],
        doc: "A conference, workshop or other dated event.",
    },
    KindDef {
        kind: Kind::Practice,
        name: "practice",
        label: "Practice",
        plural: "Practices",
        folder: "practices",
        key_dates: &[],
        doc: "A practice guide.",
    },
    KindDef {
        kind: Kind::Term,
        name: "term",
        label: "Glossary term",
        plural: "Glossary terms",
        folder: "glossary",
        key_dates: &[],
        doc: "A glossary term, linked wherever the text uses it.",
    },
    KindDef {
        kind: Kind::Page,
        name: "page",
        label: "Page",
        plural: "Pages",
        folder: "",
        key_dates: &[],
        doc: "Any other page (the default when `kind` is absent).",
    },
];

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Principle,
        Kind::Instrument,
        Kind::Agreement,
        Kind::Initiative,
        Kind::Organisation,
        Kind::Event,
        Kind::Practice,
        Kind::Term,
        Kind::Page,
    ];

    pub fn def(self) -> &'static KindDef {
        // KINDS lists the variants in declaration order; a test keeps it so.
        &KINDS[self as usize]
    }

    pub fn as_str(self) -> &'static str {
        self.def().name
    }

    pub fn label(self) -> &'static str {
        self.def().label
    }

    pub fn plural_label(self) -> &'static str {
        self.def().plural
    }

    pub fn folder(self) -> &'static str {
        self.def().folder
    }

    pub fn parse(s: &str) -> Option<Kind> {
        KINDS.iter().find(|k| k.name == s).map(|k| k.kind)
    }

    pub fn names() -> Vec<&'static str> {
        KINDS.iter().map(|k| k.name).collect()
    }

    /// Kinds whose pages state facts and so must list their sources.
    pub fn needs_sources(self) -> bool {
        key(self, "sources").is_some_and(|k| k.required.contains(&self))
    }

    /// The keys a page of this kind may use, in model order.
    pub fn keys(self) -> impl Iterator<Item = &'static Key> {
        KEYS.iter().filter(move |k| k.applies_to(self))
    }

    pub fn key_names(self) -> Vec<&'static str> {
        self.keys().map(|k| k.name).collect()
    }

    /// The key that holds the page title: `term` for glossary terms, `title` otherwise.
    pub fn title_key(self) -> &'static str {
        if self == Kind::Term {
            "term"
        } else {
            "title"
        }
    }
}

/// The type of a key's value (of each item, for lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Text,
    Bool,
    Integer,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real calendar date.
    Date,
    /// An absolute `http` or `https` URL.
    Url,
    /// One of [`Kind`]'s names.
    KindName,
    /// An ISO 3166-1 alpha-2 code.
    Country,
    /// One of [`STAKEHOLDERS`].
    Stakeholder,
    /// One of [`ELEMENTS`].
    Element,
    /// A page, by its path relative to the content directory.
    PagePath,
    /// A glossary term, by its file name without `.md`.
    TermSlug,
    /// `{title, publisher, date, url}` entries.
    Source,
    /// `{instrument, articles}` entries.
    Citation,
    /// `{number, summary}` entries: an instrument's key articles.
    Article,
    /// A map from MoU element to the anchor of the heading that covers it.
    ElementMap,
    /// One of [`REPLACEABLE`]: a generated page that a content page may stand in for.
    Generated,
    /// A path from the site root where a page used to be.
    OldUrl,
}

/// Generated pages a project may replace with its own page, declared with `replaces:`.
pub const REPLACEABLE: &[&str] = &["404.html"];

/// How `accord new` writes a key into a new page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum New {
    /// Left out.
    Skip,
    /// Written with an empty value to fill in.
    Show,
    /// Written as a comment, to uncomment when needed.
    Comment,
}

/// One front-matter key.
pub struct Key {
    pub name: &'static str,
    pub ty: Type,
    pub list: bool,
    /// The kinds that may use it; empty means every kind.
    pub kinds: &'static [Kind],
    /// The kinds whose pages must have it.
    pub required: &'static [Kind],
    /// Its row label in the page's facts table, if it has a row.
    pub fact: Option<&'static str>,
    /// For a date that starts a period: the key of the date that ends it. The fact and the
    /// timeline show the two as one range, and the end may not come before the start.
    pub until: Option<&'static str>,
    /// For a date: a key whose date this one may not precede.
    pub not_before: Option<&'static str>,
    /// For a date: what it marks on the timeline, if the timeline shows it.
    pub timeline: Option<&'static str>,
    /// A column of the CSV export.
    pub export: bool,
    pub new: New,
    /// One line for the README reference, the JSON Schema and `accord new`.
    pub doc: &'static str,
}

const KEY: Key = Key {
    name: "",
    ty: Type::Text,
    list: false,
    kinds: &[],
    required: &[],
    fact: None,
    until: None,
    not_before: None,
    timeline: None,
    export: true,
    new: New::Skip,
    doc: "",
};

use Kind::*;

/// Kinds that state facts, and so must list their sources.
const SOURCED: &[Kind] = &[
    Principle,
    Instrument,
    Agreement,
    Initiative,
    Organisation,
    Event,
    Practice,
];

/// Every key, in the order of the facts table, the CSV columns and the reference.
pub const KEYS: &[Key] = &[
    Key {
        name: "kind",
        ty: Type::KindName,
        export: false,
        doc: "What the page is; `page` when absent.",
        ..KEY
    },
    Key {
        name: "title",
        export: false,
        doc: "The page title; required in front matter (a term's title defaults to `term`). A file without front matter takes its first heading.",
        ..KEY
    },
    Key {
        name: "term",
        kinds: &[Term],
        required: &[Term],
        new: New::Show,
        doc: "The term as it appears in running text; it is the page title.",
        ..KEY
    },
    Key {
        name: "summary",
        new: New::Show,
        doc: "One or two sentences shown under the title, in lists and in search results.",
        ..KEY
    },
    Key {
        name: "definition",
        kinds: &[Term],
        required: &[Term],
        new: New::Show,
        doc: "One sentence: the definition shown in tooltips and search cards.",
        ..KEY
    },
    Key {
        name: "short_title",
        kinds: &[Instrument, Agreement],
        fact: Some("Short title"),
        new: New::Show,
        doc: "The usual short name, such as `CETS 197`.",
        ..KEY
    },
    Key {
        name: "abbreviation",
        kinds: &[Organisation, Term],
        fact: Some("Abbreviation"),
        new: New::Show,
        doc: "The abbreviation, matched with its exact case in running text.",
        ..KEY
    },
    Key {
        name: "aliases",
        kinds: &[Term],
        list: true,
        fact: Some("Also written"),
        new: New::Show,
        doc: "Other spellings that link to the term.",
        ..KEY
    },
    Key {
        name: "aliases",
        ty: Type::OldUrl,
        kinds: &[
            Principle,
            Instrument,
            Agreement,
            Initiative,
            Organisation,
            Event,
            Practice,
            Page,
        ],
        list: true,
        export: false,
        doc: "Addresses the page had before it moved (`old/page.html`, from the site root): each gets a page that leads here.",
        ..KEY
    },
    Key {
        name: "adopted",
        ty: Type::Date,
        kinds: &[Instrument],
        fact: Some("Adopted"),
        timeline: Some("Adopted"),
        new: New::Show,
        doc: "The date the instrument was adopted.",
        ..KEY
    },
    Key {
        name: "adopted",
        ty: Type::Date,
        kinds: &[Agreement],
        fact: Some("Adopted"),
        timeline: Some("Adopted"),
        new: New::Comment,
        doc: "The date one body adopted or issued it (a decree, a concept, a policy), for an agreement nobody signed.",
        ..KEY
    },
    Key {
        name: "in_force",
        ty: Type::Date,
        kinds: &[Instrument],
        fact: Some("In force"),
        not_before: Some("adopted"),
        timeline: Some("In force"),
        new: New::Comment,
        doc: "The date it entered into force; not before `adopted`.",
        ..KEY
    },
    Key {
        name: "articles",
        ty: Type::Article,
        kinds: &[Instrument],
        list: true,
        new: New::Comment,
        doc: "Its key articles, each `{number, summary}`: an entry `#art-NUMBER` on the page that `cites` link to, listed in the Articles view.",
        ..KEY
    },
    Key {
        name: "binding",
        ty: Type::Bool,
        kinds: &[Instrument],
        fact: Some("Legally binding"),
        new: New::Show,
        doc: "Whether the instrument binds the states or bodies that accept it.",
        ..KEY
    },
    Key {
        name: "body",
        kinds: &[Instrument],
        fact: Some("Adopted by"),
        new: New::Comment,
        doc: "The body that adopted it.",
        ..KEY
    },
    Key {
        name: "depositary",
        kinds: &[Instrument],
        fact: Some("Depositary"),
        new: New::Comment,
        doc: "Who holds the instrument and records ratifications.",
        ..KEY
    },
    Key {
        name: "monitoring",
        kinds: &[Instrument],
        fact: Some("Monitoring"),
        new: New::Comment,
        doc: "The body that monitors implementation.",
        ..KEY
    },
    Key {
        name: "signed",
        ty: Type::Date,
        kinds: &[Agreement],
        fact: Some("Signed"),
        timeline: Some("Signed"),
        new: New::Show,
        doc: "The date the parties signed the agreement; use `adopted`, `published` or `in_operation_since` where nobody signed.",
        ..KEY
    },
    Key {
        name: "published",
        ty: Type::Date,
        kinds: &[Agreement],
        fact: Some("Published"),
        timeline: Some("Published"),
        new: New::Comment,
        doc: "The date the text was published, for an agreement that nobody signed.",
        ..KEY
    },
    Key {
        name: "in_operation_since",
        ty: Type::Date,
        kinds: &[Agreement],
        fact: Some("In operation since"),
        timeline: Some("In operation"),
        new: New::Comment,
        doc: "The date a mechanism or procedure started to operate, for one that nobody signed.",
        ..KEY
    },
    Key {
        name: "parties",
        kinds: &[Agreement],
        list: true,
        fact: Some("Parties"),
        new: New::Show,
        doc: "The agencies or organisations that are party to it.",
        ..KEY
    },
    Key {
        name: "region",
        kinds: &[Initiative],
        fact: Some("Region"),
        new: New::Show,
        doc: "The region the initiative covers.",
        ..KEY
    },
    Key {
        name: "started",
        ty: Type::Date,
        kinds: &[Initiative],
        fact: Some("Period"),
        until: Some("ended"),
        timeline: Some("Initiative"),
        new: New::Show,
        doc: "When the initiative started.",
        ..KEY
    },
    Key {
        name: "ended",
        ty: Type::Date,
        kinds: &[Initiative],
        not_before: Some("started"),
        new: New::Comment,
        doc: "When it ended; not before `started`.",
        ..KEY
    },
    Key {
        name: "founded",
        ty: Type::Date,
        kinds: &[Organisation],
        fact: Some("Founded"),
        new: New::Comment,
        doc: "When the organisation was founded.",
        ..KEY
    },
    Key {
        name: "website",
        ty: Type::Url,
        kinds: &[Organisation],
        fact: Some("Website"),
        new: New::Comment,
        doc: "The organisation's website (http or https).",
        ..KEY
    },
    Key {
        name: "date",
        ty: Type::Date,
        kinds: &[Event],
        required: &[Event],
        fact: Some("Date"),
        until: Some("end_date"),
        timeline: Some("Event"),
        new: New::Show,
        doc: "The date of the event (its first day).",
        ..KEY
    },
    Key {
        name: "end_date",
        ty: Type::Date,
        kinds: &[Event],
        not_before: Some("date"),
        new: New::Comment,
        doc: "The last day of an event of several days; not before `date`.",
        ..KEY
    },
    Key {
        name: "place",
        kinds: &[Event],
        fact: Some("Place"),
        new: New::Show,
        doc: "Where the event took place.",
        ..KEY
    },
    Key {
        name: "elements",
        ty: Type::Element,
        kinds: &[Principle],
        list: true,
        fact: Some("MoU elements"),
        new: New::Show,
        doc: "The MoU elements this principle underpins.",
        ..KEY
    },
    Key {
        name: "principle_for",
        ty: Type::Element,
        kinds: &[Principle],
        list: true,
        export: false,
        new: New::Comment,
        doc: "The MoU elements this is *the* principle for: their column headings in the comparison matrix link here. Each must be among its `elements`; on a site with agreements, every element that some principle underpins needs exactly one principle naming it here.",
        ..KEY
    },
    Key {
        name: "elements",
        ty: Type::ElementMap,
        kinds: &[Agreement],
        fact: Some("Covers"),
        new: New::Comment,
        doc: "Each MoU element the agreement covers, mapped to the anchor of the heading that describes it.",
        ..KEY
    },
    Key {
        name: "tags",
        list: true,
        new: New::Show,
        doc: "Free keywords; each gets a page listing its pages.",
        ..KEY
    },
    Key {
        name: "regions",
        list: true,
        new: New::Comment,
        doc: "Regions the page concerns.",
        ..KEY
    },
    Key {
        name: "countries",
        ty: Type::Country,
        list: true,
        new: New::Comment,
        doc: "Countries the page concerns, as ISO 3166-1 alpha-2 codes such as DE, IT, GB.",
        ..KEY
    },
    Key {
        name: "stakeholders",
        ty: Type::Stakeholder,
        list: true,
        new: New::Comment,
        doc: "Stakeholder groups the page concerns.",
        ..KEY
    },
    Key {
        name: "see_also",
        ty: Type::TermSlug,
        kinds: &[Term],
        list: true,
        export: false,
        new: New::Show,
        doc: "Related glossary terms, by file name; shown on both terms.",
        ..KEY
    },
    Key {
        name: "related",
        ty: Type::PagePath,
        list: true,
        doc: "Related pages, by path in the content folder; shown on both pages.",
        ..KEY
    },
    Key {
        name: "cites",
        ty: Type::Citation,
        list: true,
        doc: "Instruments the page relies on, with article numbers; each article must be one the instrument's `articles` lists (`11(3)` may cite the entry `11`).",
        ..KEY
    },
    Key {
        name: "sources",
        ty: Type::Source,
        list: true,
        required: SOURCED,
        new: New::Show,
        doc: "Where the page's facts come from: title, publisher, date and url of each.",
        ..KEY
    },
    Key {
        name: "updated",
        ty: Type::Date,
        new: New::Show,
        doc: "The date the page was last checked against its sources.",
        ..KEY
    },
    Key {
        name: "translated",
        ty: Type::Date,
        export: false,
        doc: "In a translation (`page.de.md` beside `page.md`): the date it was translated. A translation sets only its texts (`title` or `term`, `summary`, `definition`, `aliases` of a term, extra `sources`) and takes every other key from its original.",
        ..KEY
    },
    Key {
        name: "translated_from",
        export: false,
        doc: "In a translation: the fingerprint of the original it was translated from, written by `accord translated PATH`; `accord check` reports the translation as outdated once the original changes.",
        ..KEY
    },
    Key {
        name: "term_source",
        ty: Type::Source,
        list: true,
        kinds: &[Term],
        export: false,
        doc: "In a translation of a term: the official text in that language that uses this equivalent. Without it, the term's page says the equivalent is the knowledge base's own choice.",
        ..KEY
    },
    Key {
        name: "replaces",
        ty: Type::Generated,
        kinds: &[Page],
        export: false,
        doc: "`404.html`: this page (`404.md` at the top of the content folder) is the site's 404 page instead of the generated one.",
        ..KEY
    },
    Key {
        name: "weight",
        ty: Type::Integer,
        export: false,
        doc: "Position among the pages of its folder (lower first); then by title.",
        ..KEY
    },
    Key {
        name: "draft",
        ty: Type::Bool,
        export: false,
        doc: "`true` leaves the page out of the site.",
        ..KEY
    },
    Key {
        name: "glossary",
        ty: Type::Bool,
        export: false,
        doc: "`false` turns off automatic glossary links on this page.",
        ..KEY
    },
];

impl Key {
    pub fn applies_to(&self, kind: Kind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }

    pub fn is_required(&self, kind: Kind) -> bool {
        self.required.contains(&kind)
    }
}

/// The definition of `name` for `kind`, if the kind may use it.
pub fn key(kind: Kind, name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name && k.applies_to(kind))
}

/// The keys a translation may set: its own texts and when it was translated. It takes every
/// other key (dates, countries, sources, relations) from its original, so facts are kept once.
pub const TRANSLATION_KEYS: &[&str] = &[
    "title",
    "term",
    "summary",
    "definition",
    "aliases",
    "sources",
    "term_source",
    "translated",
    "translated_from",
];

/// Whether a translation of a `kind` page may set `key`: a term's `aliases` are its other
/// names, translated; other kinds' `aliases` are old addresses, which belong to the original.
pub fn translatable(kind: Kind, key: &str) -> bool {
    TRANSLATION_KEYS.contains(&key) && (key != "aliases" || kind == Kind::Term)
}

/// The keys only a translation may set.
pub const TRANSLATION_ONLY: &[&str] = &["translated", "translated_from", "term_source"];

/// Whether any kind uses `name`.
pub fn is_key_of_some_kind(name: &str) -> bool {
    KEYS.iter().any(|k| k.name == name)
}

/// Distinct key names in model order, for CSV columns.
pub fn export_columns() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for k in KEYS.iter().filter(|k| k.export) {
        if !out.contains(&k.name) {
            out.push(k.name);
        }
    }
    out
}

/// The fields of one source entry: (name, type, required).
pub const SOURCE_FIELDS: &[(&str, Type, bool, &str)] = &[
    ("title", Type::Text, true, "Title of the document or page."),
    ("publisher", Type::Text, true, "Who published it."),
    ("date", Type::Date, false, "When it was published."),
    ("url", Type::Url, false, "Where to read it (http or https)."),
];

/// The fields of one `cites` entry.
pub const CITATION_FIELDS: &[(&str, Type, bool, &str)] = &[
    (
        "instrument",
        Type::PagePath,
        true,
        "The instrument page, by path, such as `instruments/cets-197.md`.",
    ),
    (
        "articles",
        Type::Text,
        false,
        "Article numbers, such as `10` or `11(3)`.",
    ),
];

/// The fields of one `articles` entry of an instrument.
pub const ARTICLE_FIELDS: &[(&str, Type, bool, &str)] = &[
    (
        "number",
        Type::Text,
        true,
        "The article number as the text numbers it, such as `13` or `11(4)`.",
    ),
    (
        "summary",
        Type::Text,
        true,
        "What the article does, in one line of the knowledge base's own words.",
    ),
];

pub const STAKEHOLDERS: &[(&str, &str)] = &[
    ("law-enforcement", "Law enforcement"),
    ("ngo", "NGOs"),
    ("labour-inspectorate", "Labour inspectorates"),
    ("prosecution", "Prosecution"),
    ("judiciary", "Judiciary"),
    ("immigration", "Immigration authorities"),
    ("border-guard", "Border guards"),
    ("social-services", "Social services"),
    ("health", "Health services"),
    ("igo", "International organisations"),
    ("government", "Government"),
    ("private-sector", "Private sector"),
    ("trade-union", "Trade unions"),
    ("research", "Research"),
];

pub fn stakeholder_names() -> Vec<&'static str> {
    STAKEHOLDERS.iter().map(|(k, _)| *k).collect()
}

pub fn stakeholder_label(s: &str) -> String {
    STAKEHOLDERS
        .iter()
        .find(|(k, _)| *k == s)
        .map_or_else(|| s.to_string(), |(_, l)| (*l).to_string())
}

/// The components an MoU can contain: the columns of the comparison matrix.
pub const ELEMENTS: &[(&str, &str)] = &[
    ("roles", "Roles and responsibilities"),
    ("coordination", "Coordination"),
    ("information-exchange", "Information exchange"),
    ("data-protection", "Data protection"),
    ("joint-operations", "Joint operations"),
    ("victim-support", "Victim support"),
    ("referral", "Referral"),
    ("training", "Training"),
    ("funding", "Funding"),
    ("review", "Review"),
    ("dispute-resolution", "Dispute resolution"),
    ("termination", "Termination"),
];

pub fn element_names() -> Vec<&'static str> {
    ELEMENTS.iter().map(|(k, _)| *k).collect()
}

pub fn element_label(e: &str) -> &str {
    ELEMENTS.iter().find(|(k, _)| *k == e).map_or(e, |(_, l)| l)
}

/// The front-matter reference as a Markdown table per kind, for the README.
pub fn reference_markdown() -> String {
    let mut out = String::from(
        "Dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD` and must be days of the calendar. \
         Sources are `{title, publisher, date, url}` (title and publisher required); citations are \
         `{instrument, articles}`; an instrument's articles are `{number, summary}`.\n\n",
    );
    for k in KINDS {
        out.push_str(&format!("### `{}`: {}\n\n", k.name, k.doc));
        out.push_str("| key | type | required | meaning |\n|---|---|---|---|\n");
        for key in k.kind.keys() {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                key.name,
                type_name(key),
                if key.is_required(k.kind) { "yes" } else { "" },
                key.doc.replace('|', "\\|")
            ));
        }
        out.push('\n');
    }
    let list = |names: Vec<&str>| {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    out.push_str(&format!("Stakeholders: {}.\n\n", list(stakeholder_names())));
    out.push_str(&format!("MoU elements: {}.\n\n", list(element_names())));
    let mut columns = vec!["path", "url", "kind", "title"];
    columns.extend(export_columns());
    out.push_str(&format!(
        "Columns of `data/items.csv`: {}. Lists are joined with `; `; each source is written \
         as `title, publisher, date, url` and sources are separated by ` | `; each citation is \
         written as `instruments/x.md Art. 10, 11(3)`; articles are written by number.\n",
        list(columns)
    ));
    out
}

fn type_name(key: &Key) -> String {
    let one = match key.ty {
        Type::Text => "text",
        Type::Bool => "true/false",
        Type::Integer => "whole number",
        Type::Date => "date",
        Type::Url => "URL",
        Type::KindName => "kind",
        Type::Country => "country code",
        Type::Stakeholder => "stakeholder",
        Type::Element => "MoU element",
        Type::PagePath => "page path",
        Type::TermSlug => "term",
        Type::Source => "source",
        Type::Citation => "citation",
        Type::Article => "article",
        Type::ElementMap => "map element → anchor",
        Type::Generated => "generated page",
        Type::OldUrl => "old address",
    };
    if key.list {
        format!("list of {one}")
    } else {
        one.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_table_follows_the_enum() {
        for (i, k) in Kind::ALL.iter().enumerate() {
            assert_eq!(KINDS[i].kind, *k);
            assert_eq!(Kind::parse(k.as_str()), Some(*k));
        }
    }

    #[test]
    fn no_kind_has_a_key_twice_and_links_name_real_keys() {
        for kind in Kind::ALL {
            let names = kind.key_names();
            for n in &names {
                assert_eq!(names.iter().filter(|m| *m == n).count(), 1, "{kind:?} {n}");
            }
            for k in kind.keys() {
                for other in [k.until, k.not_before].into_iter().flatten() {
                    assert!(key(kind, other).is_some(), "{} names {other}", k.name);
                }
            }
            for d in kind.def().key_dates {
                assert_eq!(key(kind, d).map(|k| k.ty), Some(Type::Date), "{d}");
            }
        }
    }

    #[test]
    fn sourced_kinds() {
        assert!(Kind::Principle.needs_sources());
        assert!(!Kind::Term.needs_sources());
        assert!(!Kind::Page.needs_sources());
    }
}
