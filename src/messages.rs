//! The interface in the reader's language: every string accord shows comes from a message file.
//!
//! The default theme ships `i18n/<code>.toml` for twelve languages; a project overrides any of
//! them key by key with its own `themes/<theme>/i18n/<code>.toml`. A key a language lacks falls
//! back to English (and `accord check` names it). Plurals follow the CLDR categories of the
//! language (`_one`, `_few`, `_many`, `_other`, Latvian `_zero`); dates use the language's month
//! names and order.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::date::Date;

/// The language every message exists in, and the fallback for the others.
pub const FALLBACK: &str = "en";

/// One language's message table, as read (strings and lists of strings).
pub type Table = BTreeMap<String, toml::Value>;

/// The messages of one language, with English behind them.
#[derive(Clone, Debug, Default)]
pub struct Messages {
    pub language: String,
    own: Table,
    fallback: Table,
}

impl Messages {
    pub fn new(language: &str, tables: &BTreeMap<String, Table>) -> Messages {
        let lookup = |code: &str| -> Table {
            tables
                .get(code)
                .or_else(|| tables.get(code.split('-').next().unwrap_or(code)))
                .cloned()
                .unwrap_or_default()
        };
        Messages {
            language: language.to_string(),
            own: lookup(language),
            fallback: lookup(FALLBACK),
        }
    }

    fn value(&self, key: &str) -> Option<&toml::Value> {
        self.own.get(key).or_else(|| self.fallback.get(key))
    }

    /// The message `key`; the key itself when no file has it, so a gap shows on the page and
    /// in `accord check` rather than as an empty string.
    pub fn text(&self, key: &str) -> String {
        match self.value(key) {
            Some(toml::Value::String(s)) => s.clone(),
            _ => key.to_string(),
        }
    }

    /// The message `key` with its `{name}` placeholders filled.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(&self.text(key), args)
    }

    /// The message for `count` things: `key_one`, `key_few`, … as the language's plural rules
    /// choose, with `{count}` filled.
    pub fn plural(&self, key: &str, count: usize, args: &[(&str, &str)]) -> String {
        let category = plural_category(&self.language, count);
        let chosen = [category, "other"]
            .iter()
            .map(|c| format!("{key}_{c}"))
            .find(|k| matches!(self.value(k), Some(toml::Value::String(_))))
            .unwrap_or_else(|| format!("{key}_other"));
        let n = count.to_string();
        let mut all: Vec<(&str, &str)> = vec![("count", n.as_str())];
        all.extend_from_slice(args);
        self.fill(&chosen, &all)
    }

    /// A date as readers of the language write it: "2 December 2026", "2. Dezember 2026",
    /// "2 grudnia 2026"; "December 2026"; "2026".
    pub fn date(&self, d: &Date) -> String {
        let (year, month, day) = d.parts();
        let year = year.to_string();
        match (month, day) {
            (Some(m), Some(day)) => self.fill(
                "date_full",
                &[
                    ("day", &day.to_string()),
                    ("month", &self.month("months_in_date", m)),
                    ("year", &year),
                ],
            ),
            (Some(m), None) => self.fill(
                "date_month",
                &[("month", &self.month("months", m)), ("year", &year)],
            ),
            _ => self.fill("date_year", &[("year", &year)]),
        }
    }

    fn month(&self, key: &str, month: u8) -> String {
        match self.value(key) {
            Some(toml::Value::Array(names)) => names
                .get(usize::from(month.saturating_sub(1)))
                .and_then(toml::Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| month.to_string()),
            _ => month.to_string(),
        }
    }

    /// The message `key` if some file has it.
    pub fn get(&self, key: &str) -> Option<String> {
        match self.value(key) {
            Some(toml::Value::String(s)) => Some(s.clone()),
            _ => None,
        }
    }

    /// A kind of page, as its badge names it ("Principle").
    pub fn kind(&self, kind: crate::model::Kind) -> String {
        self.get(&format!("kind_{}", kind.as_str()))
            .unwrap_or_else(|| kind.label().to_string())
    }

    /// A kind of page in the plural ("Principles").
    pub fn kind_plural(&self, kind: crate::model::Kind) -> String {
        self.get(&format!("kind_{}_plural", kind.as_str()))
            .unwrap_or_else(|| kind.plural_label().to_string())
    }

    /// The facts-table row of a front-matter key; `fallback` is the model's English label.
    pub fn fact(&self, key: &crate::model::Key, fallback: &str) -> String {
        let name = if key.ty == crate::model::Type::ElementMap {
            "elements_map".to_string()
        } else {
            key.name.to_string()
        };
        self.get(&format!("fact_{name}"))
            .unwrap_or_else(|| fallback.to_string())
    }

    /// What a date marks on the timeline ("Adopted"), and inside running text ("adopted").
    pub fn timeline(&self, key: &str, fallback: &str) -> (String, String) {
        (
            self.get(&format!("timeline_{key}"))
                .unwrap_or_else(|| fallback.to_string()),
            self.get(&format!("timeline_inline_{key}"))
                .unwrap_or_else(|| fallback.to_lowercase()),
        )
    }

    /// A stakeholder group by the key editors write ("labour-inspectorate").
    pub fn stakeholder(&self, key: &str) -> String {
        self.get(&format!("stakeholder_{}", key.replace('-', "_")))
            .unwrap_or_else(|| crate::model::stakeholder_label(key))
    }

    /// An MoU element by key ("information-exchange").
    pub fn element(&self, key: &str) -> String {
        self.get(&format!("element_{}", key.replace('-', "_")))
            .unwrap_or_else(|| crate::model::element_label(key).to_string())
    }

    /// A taxonomy by name ("regions"); `fallback` is its English label.
    pub fn taxonomy(&self, name: &str, fallback: &str) -> String {
        self.get(&format!("taxonomy_{name}"))
            .unwrap_or_else(|| fallback.to_string())
    }

    /// A country by ISO code; the English short name where the file has none.
    pub fn country(&self, code: &str) -> String {
        self.get(&format!("country_{}", code.to_lowercase()))
            .unwrap_or_else(|| crate::countries::name(code).unwrap_or(code).to_string())
    }

    /// A period: "1 May 2020 – 3 May 2020", "1 May 2020", "until 3 May 2020".
    pub fn range(&self, from: Option<&Date>, to: Option<&Date>) -> Option<String> {
        match (from, to) {
            (Some(a), Some(b)) => Some(self.fill(
                "date_range",
                &[("from", &self.date(a)), ("to", &self.date(b))],
            )),
            (Some(a), None) => Some(self.date(a)),
            (None, Some(b)) => Some(self.fill("date_until", &[("date", &self.date(b))])),
            (None, None) => None,
        }
    }

    /// Every string message, for templates (`{{ site.msg.on_this_page }}`).
    pub fn strings(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for table in [&self.fallback, &self.own] {
            for (k, v) in table {
                if let toml::Value::String(s) = v {
                    out.insert(k.clone(), s.clone());
                }
            }
        }
        out
    }

    /// The English keys this language's file lacks (plural forms the language does not use
    /// excepted), for `accord check`.
    pub fn missing(&self) -> Vec<String> {
        self.fallback
            .keys()
            .filter(|k| !self.own.contains_key(*k))
            .filter(|k| !is_unused_plural(&self.language, k))
            .cloned()
            .collect()
    }
}

/// Fills `{name}` placeholders.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

fn is_unused_plural(language: &str, key: &str) -> bool {
    ["_zero", "_few", "_many"]
        .iter()
        .any(|suffix| key.ends_with(suffix))
        && !["_zero", "_few", "_many"].iter().any(|suffix| {
            key.ends_with(suffix) && plural_categories(language).contains(&&suffix[1..])
        })
}

/// The CLDR plural categories a language distinguishes for whole numbers.
pub fn plural_categories(language: &str) -> &'static [&'static str] {
    match base(language) {
        "pl" | "ru" | "uk" => &["one", "few", "many", "other"],
        "lt" => &["one", "few", "other"],
        "lv" => &["zero", "one", "other"],
        _ => &["one", "other"],
    }
}

fn base(language: &str) -> &str {
    language.split('-').next().unwrap_or(language)
}

/// The CLDR plural category of a whole number in `language`.
pub fn plural_category(language: &str, n: usize) -> &'static str {
    let (m10, m100) = (n % 10, n % 100);
    match base(language) {
        "pl" => match n {
            1 => "one",
            _ if (2..=4).contains(&m10) && !(12..=14).contains(&m100) => "few",
            _ => "many",
        },
        "ru" | "uk" => {
            if m10 == 1 && m100 != 11 {
                "one"
            } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
                "few"
            } else {
                "many"
            }
        }
        "lt" => {
            if m10 == 1 && !(11..=19).contains(&m100) {
                "one"
            } else if (2..=9).contains(&m10) && !(11..=19).contains(&m100) {
                "few"
            } else {
                "other"
            }
        }
        "lv" => {
            if m10 == 0 || (11..=19).contains(&m100) {
                "zero"
            } else if m10 == 1 && m100 != 11 {
                "one"
            } else {
                "other"
            }
        }
        // Icelandic: 1, 21, 31, … but not 11.
        "is" => {
            if m10 == 1 && m100 != 11 {
                "one"
            } else {
                "other"
            }
        }
        _ => {
            if n == 1 {
                "one"
            } else {
                "other"
            }
        }
    }
}

/// What the browser's scripts show in the reader's language, embedded in every page as JSON:
/// their messages, and the display names of the search filters' values (the index keeps
/// language-neutral values, so that one filter works across every language's index).
#[derive(Serialize)]
pub struct ScriptMessages {
    pub messages: BTreeMap<String, String>,
    /// Facet (`kind`, `stakeholder`, `country`) → value in the index → name to show.
    pub facets: BTreeMap<&'static str, BTreeMap<String, String>>,
}

/// The messages the browser scripts use (search.js, matrix.js, offline.js): each key, or each
/// plural form of it. Only these go into every page.
const SCRIPT_KEYS: &[&str] = &[
    "search_facet_kind",
    "search_facet_region",
    "search_facet_country",
    "search_facet_stakeholder",
    "search_facet_tag",
    "search_results_label",
    "search_loading",
    "search_no_results",
    "search_did_you_mean",
    "search_no_results_short",
    "search_no_results_hint",
    "search_pages_found",
    "search_pages_found_fuzzy",
    "search_all_results",
    "search_more_in",
    "search_unavailable",
    "search_index_damaged",
    "search_file_damaged",
    "search_could_not_load",
    "search_file_incomplete",
    "matrix_count",
    "matrix_showing",
    "available_offline",
    "offline_saving",
    "offline_progress",
    "offline_failed",
];

/// Whether `key` is one of [`SCRIPT_KEYS`] or a plural form of one.
fn is_script_key(key: &str) -> bool {
    SCRIPT_KEYS.iter().any(|base| {
        key == *base
            || key
                .strip_prefix(base)
                .and_then(|r| r.strip_prefix('_'))
                .is_some_and(|c| ["zero", "one", "two", "few", "many", "other"].contains(&c))
    })
}

impl ScriptMessages {
    /// `countries`: the ISO codes the site's pages name.
    pub fn new(msg: &Messages, countries: &[String]) -> ScriptMessages {
        let messages = msg
            .strings()
            .into_iter()
            .filter(|(k, _)| is_script_key(k))
            .collect();
        let mut facets: BTreeMap<&'static str, BTreeMap<String, String>> = BTreeMap::new();
        facets.insert(
            "kind",
            crate::model::KINDS
                .iter()
                .map(|k| (k.name.to_string(), msg.kind(k.kind)))
                .collect(),
        );
        facets.insert(
            "stakeholder",
            crate::model::STAKEHOLDERS
                .iter()
                .map(|(key, label)| (label.to_string(), msg.stakeholder(key)))
                .collect(),
        );
        facets.insert(
            "country",
            countries
                .iter()
                .map(|c| {
                    (
                        crate::countries::name(c).unwrap_or(c).to_string(),
                        msg.country(c),
                    )
                })
                .collect(),
        );
        ScriptMessages { messages, facets }
    }

    /// As JSON that can stand inside a `<script>` element: `<` escaped, so no `</script>`.
    pub fn to_script_json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|_| "{}".into())
            .replace('<', "\\u003c")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables() -> BTreeMap<String, Table> {
        let mut t = BTreeMap::new();
        t.insert(
            "en".to_string(),
            toml::from_str::<Table>(
                "pages_one = \"{count} page\"\npages_other = \"{count} pages\"\nhi = \"Hello\"\nmonths = [\"January\",\"February\",\"March\",\"April\",\"May\",\"June\",\"July\",\"August\",\"September\",\"October\",\"November\",\"December\"]\nmonths_in_date = [\"January\",\"February\",\"March\",\"April\",\"May\",\"June\",\"July\",\"August\",\"September\",\"October\",\"November\",\"December\"]\ndate_full = \"{day} {month} {year}\"\ndate_month = \"{month} {year}\"\ndate_year = \"{year}\"\npages_few = \"{count} pages\"\npages_many = \"{count} pages\"",
            )
            .unwrap(),
        );
        t.insert(
            "pl".to_string(),
            toml::from_str::<Table>(
                "pages_one = \"{count} strona\"\npages_few = \"{count} strony\"\npages_many = \"{count} stron\"\npages_other = \"{count} stron\"\nmonths = [\"styczeń\",\"luty\",\"marzec\",\"kwiecień\",\"maj\",\"czerwiec\",\"lipiec\",\"sierpień\",\"wrzesień\",\"październik\",\"listopad\",\"grudzień\"]\nmonths_in_date = [\"stycznia\",\"lutego\",\"marca\",\"kwietnia\",\"maja\",\"czerwca\",\"lipca\",\"sierpnia\",\"września\",\"października\",\"listopada\",\"grudnia\"]\ndate_full = \"{day} {month} {year}\"\ndate_month = \"{month} {year}\"\ndate_year = \"{year}\"",
            )
            .unwrap(),
        );
        t
    }

    #[test]
    fn polish_plurals_and_dates_follow_polish_grammar() {
        let pl = Messages::new("pl", &tables());
        let counts: Vec<String> = [1, 2, 5, 12, 22, 25]
            .iter()
            .map(|&n| pl.plural("pages", n, &[]))
            .collect();
        assert_eq!(
            counts,
            [
                "1 strona",
                "2 strony",
                "5 stron",
                "12 stron",
                "22 strony",
                "25 stron"
            ]
        );
        assert_eq!(
            pl.date(&Date::parse("2026-12-02").unwrap()),
            "2 grudnia 2026"
        );
        assert_eq!(pl.date(&Date::parse("2026-12").unwrap()), "grudzień 2026");
        // A key Polish lacks falls back to English, and is named as missing.
        assert_eq!(pl.text("hi"), "Hello");
        assert_eq!(pl.missing(), ["hi"]);
        let en = Messages::new("en", &tables());
        assert_eq!(en.plural("pages", 1, &[]), "1 page");
        assert!(en.missing().is_empty());
    }

    #[test]
    fn plural_categories_of_the_regions_languages() {
        let cats = |l: &str| -> Vec<&str> {
            [0, 1, 2, 5, 11, 21, 22]
                .iter()
                .map(|&n| plural_category(l, n))
                .collect()
        };
        assert_eq!(
            cats("ru"),
            ["many", "one", "few", "many", "many", "one", "few"]
        );
        assert_eq!(
            cats("lt"),
            ["other", "one", "few", "few", "other", "one", "few"]
        );
        assert_eq!(
            cats("lv"),
            ["zero", "one", "other", "other", "zero", "one", "other"]
        );
        assert_eq!(
            cats("is"),
            ["other", "one", "other", "other", "other", "one", "other"]
        );
        assert_eq!(
            cats("de"),
            ["other", "one", "other", "other", "other", "other", "other"]
        );
    }
}
