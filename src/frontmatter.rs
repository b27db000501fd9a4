//! Front matter: YAML read with serde_yaml, checked against the content model, every problem
//! reported at the line and column of the value that causes it.
//!
//! serde_yaml gives the values but no positions inside them, so the same text is also read by
//! saphyr's event parser, which reports where every key, value and list item starts. The two
//! meet in [`Spans`], keyed by the value's path (`sources[1].url`, `countries[2]`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use saphyr_parser::{Event, Parser};
use serde::Serialize;
use serde_yaml::Value as Yaml;

use crate::countries;
use crate::date::Date;
use crate::error::{did_you_mean, Diagnostic};
use crate::model::{self, Key, Kind, Type};

/// A 1-based line and column in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// Where each key and value of the front matter starts in the file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spans {
    /// Position of the value (for list items, the item) at each path.
    values: HashMap<String, Pos>,
    /// Position of the key at each path of a mapping entry.
    keys: HashMap<String, Pos>,
    /// The text of each scalar as written, so `title: 1951` keeps its spelling as text.
    raw: HashMap<String, String>,
    /// Where the front matter starts: the fallback position.
    start: Pos,
}

impl Spans {
    /// Position of the value at `path`, else of its key, else of the nearest enclosing value.
    pub fn at(&self, path: &str) -> Pos {
        let mut p = path;
        loop {
            if let Some(pos) = self.values.get(p).or_else(|| self.keys.get(p)) {
                return *pos;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => return self.start,
            }
        }
    }

    /// Position of the key of a mapping entry (falls back to [`Spans::at`]).
    pub fn key(&self, path: &str) -> Pos {
        self.keys
            .get(path)
            .copied()
            .unwrap_or_else(|| self.at(path))
    }
}

/// One entry of `sources`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Source {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One entry of `cites`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Citation {
    pub instrument: String,
    pub articles: Vec<String>,
}

/// One entry of an instrument's `articles`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Article {
    pub number: String,
    pub summary: String,
}

/// A checked front-matter value.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Value {
    Text(String),
    Bool(bool),
    Int(i64),
    Date(Date),
    List(Vec<String>),
    Sources(Vec<Source>),
    Cites(Vec<Citation>),
    Articles(Vec<Article>),
    Map(BTreeMap<String, String>),
}

/// A page's front matter, checked: each key the editor wrote, with a value of the model's type.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(transparent)]
pub struct Meta {
    values: BTreeMap<&'static str, Value>,
}

impl Meta {
    /// Sets `key`, replacing its value: a translation's texts laid over its original's.
    pub fn set(&mut self, key: &'static str, value: Value) {
        self.values.insert(key, value);
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    pub fn text(&self, key: &str) -> Option<&str> {
        match self.values.get(key) {
            Some(Value::Text(s)) => Some(s),
            _ => None,
        }
    }

    pub fn flag(&self, key: &str) -> Option<bool> {
        match self.values.get(key) {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub fn int(&self, key: &str) -> Option<i64> {
        match self.values.get(key) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        }
    }

    pub fn date(&self, key: &str) -> Option<&Date> {
        match self.values.get(key) {
            Some(Value::Date(d)) => Some(d),
            _ => None,
        }
    }

    pub fn list(&self, key: &str) -> &[String] {
        match self.values.get(key) {
            Some(Value::List(l)) => l,
            _ => &[],
        }
    }

    pub fn sources(&self) -> &[Source] {
        match self.values.get("sources") {
            Some(Value::Sources(s)) => s,
            _ => &[],
        }
    }

    pub fn cites(&self) -> &[Citation] {
        match self.values.get("cites") {
            Some(Value::Cites(c)) => c,
            _ => &[],
        }
    }

    /// An instrument's key articles (empty for other kinds).
    pub fn articles(&self) -> &[Article] {
        match self.values.get("articles") {
            Some(Value::Articles(a)) => a,
            _ => &[],
        }
    }

    /// The agreement's element → anchor map (empty for other kinds).
    pub fn element_map(&self) -> Option<&BTreeMap<String, String>> {
        match self.values.get("elements") {
            Some(Value::Map(m)) => Some(m),
            _ => None,
        }
    }

    /// The elements a principle underpins or an agreement covers.
    pub fn element_names(&self) -> Vec<String> {
        match self.values.get("elements") {
            Some(Value::List(l)) => l.clone(),
            Some(Value::Map(m)) => m.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// Removes a key: for values that later stages found broken.
    pub fn remove(&mut self, key: &str) {
        self.values.remove(key);
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Value)> {
        self.values.iter().map(|(k, v)| (*k, v))
    }
}

/// Front matter read and checked.
pub struct FrontMatter {
    pub kind: Kind,
    pub meta: Meta,
    pub spans: Spans,
}

/// Reads the YAML block that starts on file line `first_line`. Every problem goes into
/// `diags`; `None` when the block cannot be read at all (bad YAML, not a mapping, unknown kind).
pub fn parse(
    yaml: &str,
    first_line: usize,
    source: &Path,
    translation: Option<Kind>,
    diags: &mut Vec<Diagnostic>,
) -> Option<FrontMatter> {
    if yaml.len() > MAX_FRONT_MATTER_BYTES {
        diags.push(
            Diagnostic::error(
                source,
                first_line,
                1,
                format!(
                    "the front matter is {} bytes; accord reads at most {MAX_FRONT_MATTER_BYTES}",
                    yaml.len()
                ),
            )
            .with_hint("front matter describes the page; put long text in the body"),
        );
        return None;
    }
    let value: Yaml = match serde_yaml::from_str(yaml) {
        Ok(v) => v,
        Err(e) => {
            let (line, col) = e
                .location()
                .map_or((first_line, 1), |l| (first_line + l.line() - 1, l.column()));
            let msg = e.to_string();
            // serde_yaml appends " at line X column Y" relative to the block; the prefix is ours.
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            diags.push(
                Diagnostic::error(source, line, col, msg)
                    .with_hint("front matter must be valid YAML: `key: value` lines"),
            );
            return None;
        }
    };
    let spans = positions(yaml, first_line);
    check(value, spans, first_line, source, translation, diags)
}

/// Reads a TOML front-matter block (`+++`, as Zola and Hugo write it) that starts on file line
/// `first_line`: the same keys and checks as YAML.
pub fn parse_toml(
    text: &str,
    first_line: usize,
    source: &Path,
    translation: Option<Kind>,
    diags: &mut Vec<Diagnostic>,
) -> Option<FrontMatter> {
    let doc = match toml_edit::ImDocument::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let (line, col) = e
                .span()
                .map_or((1, 1), |s| crate::error::line_col(text, s.start));
            diags.push(
                Diagnostic::error(
                    source,
                    first_line + line - 1,
                    col,
                    e.message().trim().to_string(),
                )
                .with_hint(
                    "TOML front matter between `+++` lines must be valid TOML: `key = value` lines",
                ),
            );
            return None;
        }
    };
    let mut spans = Spans {
        start: Pos {
            line: first_line,
            col: 1,
        },
        ..Spans::default()
    };
    let at = |span: Option<std::ops::Range<usize>>| {
        span.map(|s| {
            let (line, col) = crate::error::line_col(text, s.start);
            Pos {
                line: first_line + line - 1,
                col,
            }
        })
    };
    let value = toml_table(doc.as_table(), "", &at, &mut spans);
    check(value, spans, first_line, source, translation, diags)
}

fn toml_table(
    table: &dyn toml_edit::TableLike,
    path: &str,
    at: &dyn Fn(Option<std::ops::Range<usize>>) -> Option<Pos>,
    spans: &mut Spans,
) -> Yaml {
    let mut map = serde_yaml::Mapping::new();
    for (k, item) in table.iter() {
        let sub = if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        };
        if let Some(p) = at(table.key(k).and_then(|key| key.span())) {
            spans.keys.insert(sub.clone(), p);
        }
        if let Some(p) = at(item.span()) {
            spans.values.insert(sub.clone(), p);
        }
        map.insert(
            Yaml::String(k.to_string()),
            toml_item(item, &sub, at, spans),
        );
    }
    Yaml::Mapping(map)
}

fn toml_item(
    item: &toml_edit::Item,
    path: &str,
    at: &dyn Fn(Option<std::ops::Range<usize>>) -> Option<Pos>,
    spans: &mut Spans,
) -> Yaml {
    match item {
        toml_edit::Item::Value(v) => toml_value(v, path, at, spans),
        toml_edit::Item::Table(t) => toml_table(t, path, at, spans),
        toml_edit::Item::ArrayOfTables(a) => Yaml::Sequence(
            a.iter()
                .enumerate()
                .map(|(i, t)| {
                    let sub = format!("{path}[{i}]");
                    if let Some(p) = at(t.span()) {
                        spans.values.insert(sub.clone(), p);
                    }
                    toml_table(t, &sub, at, spans)
                })
                .collect(),
        ),
        toml_edit::Item::None => Yaml::Null,
    }
}

fn toml_value(
    v: &toml_edit::Value,
    path: &str,
    at: &dyn Fn(Option<std::ops::Range<usize>>) -> Option<Pos>,
    spans: &mut Spans,
) -> Yaml {
    use toml_edit::Value as T;
    match v {
        T::String(s) => Yaml::String(s.value().clone()),
        T::Integer(i) => Yaml::Number((*i.value()).into()),
        T::Float(f) => Yaml::Number((*f.value()).into()),
        T::Boolean(b) => Yaml::Bool(*b.value()),
        // Dates are written as text in accord's model; a TOML date keeps its spelling.
        T::Datetime(d) => Yaml::String(d.value().to_string()),
        T::Array(a) => Yaml::Sequence(
            a.iter()
                .enumerate()
                .map(|(i, item)| {
                    let sub = format!("{path}[{i}]");
                    if let Some(p) = at(item.span()) {
                        spans.values.insert(sub.clone(), p);
                    }
                    toml_value(item, &sub, at, spans)
                })
                .collect(),
        ),
        T::InlineTable(t) => toml_table(t, path, at, spans),
    }
}

/// Checks a front-matter value (from YAML or TOML) against the content model.
/// `translation` is the original's kind when the block is a translation's: it may then set only
/// [`model::TRANSLATION_KEYS`].
fn check(
    value: Yaml,
    spans: Spans,
    first_line: usize,
    source: &Path,
    translation: Option<Kind>,
    diags: &mut Vec<Diagnostic>,
) -> Option<FrontMatter> {
    let map = match value {
        Yaml::Mapping(m) => m,
        Yaml::Null => serde_yaml::Mapping::new(),
        _ => {
            diags.push(Diagnostic::error(
                source,
                first_line,
                1,
                "front matter must be a set of `key: value` lines",
            ));
            return None;
        }
    };
    let mut check = Checker {
        source,
        spans: &spans,
        diags,
    };
    let kind = match translation {
        Some(kind) => kind,
        None => check.kind(&map)?,
    };
    let mut meta = Meta::default();
    let mut invalid: Vec<&'static str> = Vec::new();
    for (k, v) in &map {
        let name = match k {
            Yaml::String(s) => s.clone(),
            other => scalar_text(other).unwrap_or_else(|| format!("{other:?}")),
        };
        let Some(key) = model::key(kind, &name) else {
            check.unknown_key(kind, &name);
            continue;
        };
        if translation.is_some() && !model::translatable(kind, key.name) {
            check.inherited_key(kind, key.name);
            continue;
        }
        if translation.is_none() && model::TRANSLATION_ONLY.contains(&key.name) {
            check.translation_only_key(key.name);
            continue;
        }
        if is_blank(v, key.ty) {
            continue;
        }
        match check.value(key, &name, v) {
            Some(value) => {
                meta.values.insert(key.name, value);
            }
            None => invalid.push(key.name),
        }
    }
    if translation.is_none() {
        check.required(kind, &meta, &invalid);
        check.date_order(kind, &meta);
    }
    Some(FrontMatter { kind, meta, spans })
}

struct Checker<'a> {
    source: &'a Path,
    spans: &'a Spans,
    diags: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, pos: Pos, message: String, hint: Option<String>) {
        let mut d = Diagnostic::error(self.source, pos.line, pos.col, message);
        d.hint = hint;
        self.diags.push(d);
    }

    fn kind(&mut self, map: &serde_yaml::Mapping) -> Option<Kind> {
        let Some(v) = map.get("kind") else {
            return Some(Kind::Page);
        };
        let pos = self.spans.at("kind");
        let names = Kind::names();
        match v {
            Yaml::String(s) => match Kind::parse(s) {
                Some(k) => Some(k),
                None => {
                    let hint = match did_you_mean(s, &names) {
                        Some(n) => format!("did you mean `{n}`? (kinds: {})", names.join(", ")),
                        None => format!("kinds: {}", names.join(", ")),
                    };
                    self.error(pos, format!("unknown kind `{s}`"), Some(hint));
                    None
                }
            },
            _ => {
                self.error(
                    pos,
                    "`kind` must be a word such as `principle`".into(),
                    Some(format!("kinds: {}", names.join(", "))),
                );
                None
            }
        }
    }

    /// A key a translation takes from its original.
    fn inherited_key(&mut self, kind: Kind, name: &str) {
        let own: Vec<&str> = model::TRANSLATION_KEYS
            .iter()
            .copied()
            .filter(|k| model::key(kind, k).is_some() && model::translatable(kind, k))
            .collect();
        let pos = self.spans.key(name);
        self.error(
            pos,
            format!("a translation takes `{name}` from its original"),
            Some(format!(
                "remove it here (change it in the original); a translation of a `{}` sets only: {}",
                kind.as_str(),
                own.join(", ")
            )),
        );
    }

    /// `translated`, `translated_from` or `term_source` in a page that is not a translation.
    fn translation_only_key(&mut self, name: &str) {
        let pos = self.spans.key(name);
        self.error(
            pos,
            format!("`{name}` belongs in a translation, and this page is not one"),
            Some(
                "a translation is named after its original plus a language of book.toml: `page.de.md` beside `page.md`"
                    .into(),
            ),
        );
    }

    fn unknown_key(&mut self, kind: Kind, name: &str) {
        let allowed = kind.key_names();
        let foreign = FOREIGN_KEYS
            .iter()
            .find(|(k, _)| *k == name)
            .filter(|(_, ours)| allowed.contains(ours));
        let hint = match did_you_mean(name, &allowed) {
            _ if foreign.is_some() => foreign.map_or_else(String::new, |(k, ours)| {
                format!("accord calls `{k}` `{ours}` (Zola and Hugo write `{k}`)")
            }),
            Some(near) => format!("did you mean `{near}`?"),
            None if model::is_key_of_some_kind(name) => format!(
                "`{name}` belongs to another kind; kind `{}` allows: {}",
                kind.as_str(),
                allowed.join(", ")
            ),
            None => format!(
                "allowed keys for kind `{}`: {}",
                kind.as_str(),
                allowed.join(", ")
            ),
        };
        let pos = self.spans.key(name);
        self.error(
            pos,
            format!("unknown key `{name}` for kind `{}`", kind.as_str()),
            Some(hint),
        );
    }

    /// The value of `key` at `path`, checked against its type; `None` after reporting why not.
    fn value(&mut self, key: &Key, path: &str, v: &Yaml) -> Option<Value> {
        match key.ty {
            Type::Source => self
                .list_of(path, v, |c, p, item| c.source(p, item))
                .map(Value::Sources),
            Type::Citation => self
                .list_of(path, v, |c, p, item| c.citation(p, item))
                .map(Value::Cites),
            Type::Article => self
                .list_of(path, v, |c, p, item| c.article(p, item))
                .map(Value::Articles),
            Type::ElementMap => self.element_map(path, v).map(Value::Map),
            _ if key.list => self
                .list_of(path, v, |c, p, item| c.word(key.ty, p, item))
                .map(Value::List),
            Type::Bool => match v {
                Yaml::Bool(b) => Some(Value::Bool(*b)),
                _ => self.wrong_type(path, "true or false"),
            },
            Type::Integer => match v.as_i64() {
                Some(i) => Some(Value::Int(i)),
                None => self.wrong_type(path, "a whole number"),
            },
            Type::Date => self.date(path, v).map(Value::Date),
            _ => self.word(key.ty, path, v).map(Value::Text),
        }
    }

    fn wrong_type<T>(&mut self, path: &str, expected: &str) -> Option<T> {
        let pos = self.spans.at(path);
        self.error(pos, format!("`{path}` must be {expected}"), None);
        None
    }

    /// Each item of a list, checked on its own so that one bad item does not hide the others.
    fn list_of<T>(
        &mut self,
        path: &str,
        v: &Yaml,
        mut item: impl FnMut(&mut Self, &str, &Yaml) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Yaml::Sequence(seq) = v else {
            let pos = self.spans.at(path);
            self.error(
                pos,
                format!("`{path}` must be a list"),
                Some(format!("write `{path}: [a, b]` or one `- item` per line")),
            );
            return None;
        };
        if seq.len() > MAX_LIST_ITEMS {
            let pos = self.spans.at(path);
            self.error(
                pos,
                format!(
                    "`{path}` has {} items; accord reads at most {MAX_LIST_ITEMS}",
                    seq.len()
                ),
                None,
            );
            return None;
        }
        let before = self.diags.len();
        let items: Vec<T> = seq
            .iter()
            .enumerate()
            .filter_map(|(i, v)| item(self, &format!("{path}[{i}]"), v))
            .collect();
        (self.diags.len() == before).then_some(items)
    }

    /// A scalar as text, checked against a vocabulary where the type has one.
    fn word(&mut self, ty: Type, path: &str, v: &Yaml) -> Option<String> {
        let Some(text) = self.text(path, v) else {
            return self.wrong_type(path, "text");
        };
        let pos = self.spans.at(path);
        let vocabulary_error = |what: &str, allowed: &[&str]| {
            let hint = match did_you_mean(&text, allowed) {
                Some(n) => format!("did you mean `{n}`? (allowed: {})", allowed.join(", ")),
                None => format!("allowed: {}", allowed.join(", ")),
            };
            (format!("unknown {what} `{text}`"), Some(hint))
        };
        let problem = match ty {
            Type::Country if countries::name(&text).is_none() => Some((
                format!("unknown country code `{text}`"),
                Some(if countries::name(&text.to_uppercase()).is_some() {
                    format!("write it in capitals: `{}`", text.to_uppercase())
                } else {
                    "use ISO 3166-1 alpha-2 codes such as DE, IT, GB".into()
                }),
            )),
            Type::Stakeholder if !model::stakeholder_names().contains(&text.as_str()) => {
                Some(vocabulary_error("stakeholder", &model::stakeholder_names()))
            }
            Type::Element if !model::element_names().contains(&text.as_str()) => {
                Some(vocabulary_error("MoU element", &model::element_names()))
            }
            Type::Generated if !model::REPLACEABLE.contains(&text.as_str()) => {
                Some(vocabulary_error("replaceable page", model::REPLACEABLE))
            }
            Type::OldUrl if crate::paths::old_path(&text).is_none() => Some((
                format!("`{path}`: `{text}` is not an address on this site"),
                Some("write the old path from the site root, such as `old/page.html` or `old/folder/`".into()),
            )),
            Type::Url if !crate::safe_url::is_web_url(&text) => Some((
                format!("`{path}` must be an http or https URL: `{text}`"),
                Some("write the full address, starting with https://".into()),
            )),
            _ => None,
        };
        match problem {
            Some((message, hint)) => {
                self.error(pos, message, hint);
                None
            }
            None => Some(text),
        }
    }

    fn text(&self, path: &str, v: &Yaml) -> Option<String> {
        match v {
            Yaml::String(s) => Some(s.clone()),
            Yaml::Number(_) | Yaml::Bool(_) => {
                self.spans.raw.get(path).cloned().or_else(|| scalar_text(v))
            }
            _ => None,
        }
    }

    /// A date, parsed once: the value is kept only if it is a day of the calendar.
    fn date(&mut self, path: &str, v: &Yaml) -> Option<Date> {
        let text = self.word(Type::Date, path, v)?;
        match Date::parse(&text) {
            Ok(d) => Some(d),
            Err(e) => {
                let pos = self.spans.at(path);
                self.error(pos, format!("`{path}`: {e}"), Some(DATE_HINT.into()));
                None
            }
        }
    }

    fn fields<'y>(
        &mut self,
        path: &str,
        v: &'y Yaml,
        fields: &[(&str, Type, bool, &str)],
        what: &str,
    ) -> Option<HashMap<String, &'y Yaml>> {
        let Yaml::Mapping(m) = v else {
            return self.wrong_type(path, &format!("a {what} with {}", field_list(fields)));
        };
        let names: Vec<&str> = fields.iter().map(|f| f.0).collect();
        let mut out = HashMap::new();
        let mut ok = true;
        for (k, v) in m {
            let name = scalar_text(k).unwrap_or_default();
            let sub = format!("{path}.{name}");
            if !names.contains(&name.as_str()) {
                let hint = match did_you_mean(&name, &names) {
                    Some(n) => format!("did you mean `{n}`? ({what} keys: {})", names.join(", ")),
                    None => format!("{what} keys: {}", names.join(", ")),
                };
                let pos = self.spans.key(&sub);
                self.error(pos, format!("unknown key `{name}` in {what}"), Some(hint));
                ok = false;
            } else if !is_blank(v, Type::Date) {
                out.insert(name, v);
            }
        }
        for (name, _, required, _) in fields {
            if *required && !out.contains_key(*name) {
                let pos = self.spans.at(path);
                self.error(
                    pos,
                    format!("{what} `{path}` has no `{name}`"),
                    Some(format!("add `{name}: ...` to it")),
                );
                ok = false;
            }
        }
        ok.then_some(out)
    }

    fn source(&mut self, path: &str, v: &Yaml) -> Option<Source> {
        let f = self.fields(path, v, model::SOURCE_FIELDS, "source")?;
        let text = |c: &mut Self, name: &str, ty: Type| {
            f.get(name)
                .map(|v| c.word(ty, &format!("{path}.{name}"), v).ok_or(()))
                .transpose()
        };
        let title = text(self, "title", Type::Text);
        let publisher = text(self, "publisher", Type::Text);
        let url = text(self, "url", Type::Url);
        let date = f
            .get("date")
            .map(|v| self.date(&format!("{path}.date"), v).ok_or(()))
            .transpose();
        let title = title.ok()?.unwrap_or_default();
        if title.trim().is_empty() {
            let pos = self.spans.at(&format!("{path}.title"));
            self.error(pos, format!("source `{path}` has an empty title"), None);
            return None;
        }
        let publisher = publisher.ok()?;
        if publisher.as_deref().is_some_and(|p| p.trim().is_empty()) {
            let pos = self.spans.at(&format!("{path}.publisher"));
            self.error(pos, format!("source `{path}` has an empty publisher"), None);
            return None;
        }
        Some(Source {
            title,
            publisher,
            date: date.ok()?,
            url: url.ok()?,
        })
    }

    fn citation(&mut self, path: &str, v: &Yaml) -> Option<Citation> {
        let f = self.fields(path, v, model::CITATION_FIELDS, "citation")?;
        let instrument = f
            .get("instrument")
            .and_then(|v| self.word(Type::PagePath, &format!("{path}.instrument"), v));
        let articles = match f.get("articles") {
            Some(v) => self.list_of(&format!("{path}.articles"), v, |c, p, item| {
                c.word(Type::Text, p, item)
            }),
            None => Some(Vec::new()),
        };
        Some(Citation {
            instrument: instrument?,
            articles: articles?,
        })
    }

    fn article(&mut self, path: &str, v: &Yaml) -> Option<Article> {
        let f = self.fields(path, v, model::ARTICLE_FIELDS, "article")?;
        let text = |c: &mut Self, name: &str| -> Option<String> {
            let sub = format!("{path}.{name}");
            let t = c.word(Type::Text, &sub, f.get(name)?)?;
            if t.trim().is_empty() {
                let pos = c.spans.at(&sub);
                c.error(pos, format!("article `{path}` has an empty {name}"), None);
                return None;
            }
            Some(t.trim().to_string())
        };
        let number = text(self, "number");
        let summary = text(self, "summary");
        Some(Article {
            number: number?,
            summary: summary?,
        })
    }

    fn element_map(&mut self, path: &str, v: &Yaml) -> Option<BTreeMap<String, String>> {
        let Yaml::Mapping(m) = v else {
            let pos = self.spans.at(path);
            self.error(
                pos,
                "`elements` of an agreement maps each element to the heading that covers it".into(),
                Some(
                    "write `elements: {roles: roles-and-responsibilities}` (element: heading anchor)"
                        .into(),
                ),
            );
            return None;
        };
        let before = self.diags.len();
        let mut out = BTreeMap::new();
        for (k, v) in m {
            let name = scalar_text(k).unwrap_or_default();
            let sub = format!("{path}.{name}");
            if !model::element_names().contains(&name.as_str()) {
                let names = model::element_names();
                let hint = match did_you_mean(&name, &names) {
                    Some(n) => format!("did you mean `{n}`? (elements: {})", names.join(", ")),
                    None => format!("elements: {}", names.join(", ")),
                };
                let pos = self.spans.key(&sub);
                self.error(pos, format!("unknown MoU element `{name}`"), Some(hint));
                continue;
            }
            if let Some(anchor) = self.word(Type::Text, &sub, v) {
                out.insert(name, anchor);
            }
        }
        (self.diags.len() == before).then_some(out)
    }

    fn required(&mut self, kind: Kind, meta: &Meta, invalid: &[&str]) {
        for key in kind.keys().filter(|k| k.is_required(kind)) {
            let present = match meta.get(key.name) {
                Some(Value::Text(t)) => !t.trim().is_empty(),
                Some(Value::Sources(s)) => !s.is_empty(),
                Some(Value::Articles(a)) => !a.is_empty(),
                Some(Value::List(l)) => !l.is_empty(),
                Some(_) => true,
                // A value that was present but wrong has been reported already.
                None => invalid.contains(&key.name),
            };
            if present {
                continue;
            }
            let pos = self.spans.at("kind");
            let hint = format!("add `{}:` ({})", key.name, key.doc);
            self.error(
                pos,
                format!("a page of kind `{}` needs `{}`", kind.as_str(), key.name),
                Some(hint),
            );
        }
    }

    fn date_order(&mut self, kind: Kind, meta: &Meta) {
        for key in kind.keys() {
            let (Some(earlier_key), Some(this)) = (key.not_before, meta.date(key.name)) else {
                continue;
            };
            let Some(earlier) = meta.date(earlier_key) else {
                continue;
            };
            if this.is_before(earlier) {
                let pos = self.spans.at(key.name);
                self.error(
                    pos,
                    format!(
                        "`{}` ({this}) is before `{earlier_key}` ({earlier})",
                        key.name
                    ),
                    Some(format!("`{}` cannot come before `{earlier_key}`", key.name)),
                );
            }
        }
    }
}

/// Limits on what one file's front matter may make accord do, so a mistaken or hostile file
/// gives an error instead of a slow build.
pub const MAX_FRONT_MATTER_BYTES: usize = 1024 * 1024;
pub const MAX_LIST_ITEMS: usize = 1000;

/// Front-matter keys of Zola, Hugo and Jekyll and accord's name for what they mean.
const FOREIGN_KEYS: &[(&str, &str)] = &[
    ("description", "summary"),
    ("date", "updated"),
    ("lastmod", "updated"),
    ("categories", "tags"),
    ("keywords", "tags"),
    ("taxonomies", "tags"),
];

pub const DATE_HINT: &str = "write dates as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"";

fn field_list(fields: &[(&str, Type, bool, &str)]) -> String {
    fields
        .iter()
        .map(|f| format!("`{}`", f.0))
        .collect::<Vec<_>>()
        .join(", ")
}

/// No value: `key:` with nothing after it, or `""` where text is not what the key holds (the
/// empty placeholders `accord new` writes).
fn is_blank(v: &Yaml, ty: Type) -> bool {
    match v {
        Yaml::Null => true,
        Yaml::String(s) => s.is_empty() && ty != Type::Text,
        _ => false,
    }
}

fn scalar_text(v: &Yaml) -> Option<String> {
    match v {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) => Some(n.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Where each key and value starts, from saphyr's events. Anything the event parser cannot
/// read was already reported by serde_yaml, so positions simply stop there.
fn positions(yaml: &str, first_line: usize) -> Spans {
    enum Frame {
        Map { path: String, key: Option<String> },
        Seq { path: String, next: usize },
    }
    let mut spans = Spans {
        start: Pos {
            line: first_line,
            col: 1,
        },
        ..Spans::default()
    };
    let join = |base: &str, key: &str| {
        if base.is_empty() {
            key.to_string()
        } else {
            format!("{base}.{key}")
        }
    };
    let mut stack: Vec<Frame> = Vec::new();
    for event in Parser::new_from_str(yaml) {
        let Ok((event, span)) = event else { break };
        let pos = Pos {
            line: first_line + span.start.line() - 1,
            col: span.start.col() + 1,
        };
        let is_node = matches!(
            event,
            Event::Scalar(..)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
                | Event::Alias(_)
        );
        if is_node {
            // A scalar where a mapping expects a key is the key itself.
            if let (Some(Frame::Map { path, key }), Event::Scalar(text, ..)) =
                (stack.last_mut(), &event)
            {
                if key.is_none() {
                    let full = join(path, text);
                    spans.keys.insert(full, pos);
                    *key = Some(text.to_string());
                    continue;
                }
            }
            let path = match stack.last_mut() {
                Some(Frame::Map { path, key }) => join(path, &key.take().unwrap_or_default()),
                Some(Frame::Seq { path, next }) => {
                    *next += 1;
                    format!("{path}[{}]", *next - 1)
                }
                None => String::new(),
            };
            spans.values.entry(path.clone()).or_insert(pos);
            match event {
                Event::Scalar(text, ..) => {
                    spans.raw.insert(path, text.to_string());
                }
                Event::MappingStart(..) => stack.push(Frame::Map { path, key: None }),
                Event::SequenceStart(..) => stack.push(Frame::Seq { path, next: 0 }),
                _ => {}
            }
        } else if matches!(event, Event::MappingEnd | Event::SequenceEnd) {
            stack.pop();
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(yaml: &str) -> Vec<String> {
        let mut diags = Vec::new();
        parse(yaml, 2, Path::new("a.md"), None, &mut diags);
        diags.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn nested_values_are_reported_where_they_are() {
        let yaml = "kind: principle\ntitle: A\ncountries: [DE, XX, IT]\nsources:\n  - title: One\n    publisher: P\n  - title: Two\n    publisher: P\n    url: ftp://example.org/x\n";
        assert_eq!(
            errors(yaml),
            [
                "a.md:4:17: error: unknown country code `XX`\n  hint: use ISO 3166-1 alpha-2 codes such as DE, IT, GB",
                "a.md:10:10: error: `sources[1].url` must be an http or https URL: `ftp://example.org/x`\n  hint: write the full address, starting with https://",
            ]
        );
    }

    #[test]
    fn every_error_of_the_block_at_once() {
        let yaml = "kind: event\ntitle: E\ntags: oops\ndate: 2023-02-30\nend_date: 2023-01-01\nweight: heavy\n";
        assert_eq!(
            errors(yaml),
            [
                "a.md:4:7: error: `tags` must be a list\n  hint: write `tags: [a, b]` or one `- item` per line",
                "a.md:5:7: error: `date`: `2023-02-30` is not a day of the calendar\n  hint: write dates as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"",
                "a.md:7:9: error: `weight` must be a whole number",
                "a.md:2:7: error: a page of kind `event` needs `sources`\n  hint: add `sources:` (Where the page's facts come from: title, publisher, date and url of each.)",
            ]
        );
    }

    #[test]
    fn dates_in_the_wrong_order() {
        let yaml = "kind: instrument\ntitle: I\nadopted: 2005-05-16\nin_force: 2004-02-01\nsources: [{title: T, publisher: P}]\n";
        assert_eq!(
            errors(yaml),
            ["a.md:5:11: error: `in_force` (2004-02-01) is before `adopted` (2005-05-16)\n  hint: `in_force` cannot come before `adopted`"]
        );
    }

    #[test]
    fn numbers_written_as_text_keep_their_spelling() {
        let mut diags = Vec::new();
        let fm = parse(
            "title: 1951\nsummary: 2.50\nupdated: 2010\n",
            2,
            Path::new("a.md"),
            None,
            &mut diags,
        )
        .unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(fm.meta.text("title"), Some("1951"));
        assert_eq!(fm.meta.text("summary"), Some("2.50"));
        assert_eq!(
            fm.meta.date("updated").map(|d| d.to_string()).as_deref(),
            Some("2010")
        );
    }

    #[test]
    fn element_items_and_citation_keys() {
        let yaml = "kind: agreement\ntitle: A\nelements:\n  roles: roles\n  trainin: t\ncites:\n  - instrument: instruments/x.md\n    article: [\"4\"]\nsources: [{title: T, publisher: P}]\n";
        assert_eq!(
            errors(yaml),
            [
                "a.md:6:3: error: unknown MoU element `trainin`\n  hint: did you mean `training`? (elements: roles, coordination, information-exchange, data-protection, joint-operations, victim-support, referral, training, funding, review, dispute-resolution, termination)",
                "a.md:9:5: error: unknown key `article` in citation\n  hint: did you mean `articles`? (citation keys: instrument, articles)",
            ]
        );
    }
}
