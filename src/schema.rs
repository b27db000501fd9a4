//! `accord schema`: a JSON Schema (draft 2020-12) of the front matter of every kind, derived
//! from the content model, for editors' completion and checking (yaml-language-server).
//!
//! The schema says what the build accepts as far as JSON Schema can: it cannot see that
//! `2023-02-30` is not a day or that a `related` page exists, so the build checks more. Whatever
//! the schema rejects, the build rejects too (a test holds the two to that).

use serde_json::{json, Map, Value};

use crate::countries::COUNTRIES;
use crate::model::{self, Key, Kind, Type, ARTICLE_FIELDS, CITATION_FIELDS, KINDS, SOURCE_FIELDS};

/// The whole schema, as pretty-printed JSON.
pub fn json_schema() -> Value {
    let mut rules: Vec<Value> = KINDS
        .iter()
        .map(|k| {
            // A file without `kind` is a page, unless it is a translation.
            let condition = if k.kind == Kind::Page {
                json!({ "properties": { "kind": { "const": k.name } }, "not": { "required": ["translated"] } })
            } else {
                json!({ "required": ["kind"], "properties": { "kind": { "const": k.name } } })
            };
            json!({ "if": condition, "then": kind_schema(k.kind) })
        })
        .collect();
    // A translation (`page.de.md`) says when it was translated and sets only its texts.
    rules.push(json!({
        "if": { "required": ["translated"], "not": { "required": ["kind"] } },
        "then": translation_schema(),
    }));
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://accord.invalid/schema/front-matter.json",
        "title": "accord front matter",
        "description": "The YAML front matter of a page in an accord knowledge base. `kind` decides which keys a page may use.",
        "type": ["object", "null"],
        "properties": {
            "kind": { "enum": Kind::names(), "description": model::KEYS[0].doc }
        },
        "allOf": rules,
        "$defs": defs(),
    })
}

/// The keys a translation may set, typed as the originals' keys are (a term's `aliases`).
fn translation_schema() -> Value {
    let mut props = Map::new();
    for name in model::TRANSLATION_KEYS {
        let key = model::key(Kind::Term, name).or_else(|| model::key(Kind::Page, name));
        if let Some(key) = key {
            let mut schema = key_schema(key);
            if let Some(obj) = schema.as_object_mut() {
                obj.insert("description".into(), json!(key.doc));
            }
            props.insert(name.to_string(), schema);
        }
    }
    json!({
        "description": "A translation, beside its original (`page.de.md`): only its texts; every other key comes from the original.",
        "properties": props,
        "additionalProperties": false,
    })
}

fn kind_schema(kind: Kind) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for key in kind.keys() {
        let mut schema = key_schema(key);
        if let Some(obj) = schema.as_object_mut() {
            obj.insert("description".into(), json!(key.doc));
        }
        props.insert(key.name.to_string(), schema);
        if key.is_required(kind) {
            required.push(key.name);
        }
    }
    json!({
        "description": kind.def().doc,
        "properties": props,
        "required": required,
        "additionalProperties": false,
    })
}

fn key_schema(key: &Key) -> Value {
    let one = type_schema(key.ty);
    if key.list {
        json!({ "anyOf": [{ "type": "array", "items": one }, { "type": "null" }] })
    } else {
        json!({ "anyOf": [one, { "type": "null" }] })
    }
}

/// Empty text counts as no value for keys that do not hold text (`accord new` writes `""`).
fn blank_or(schema: Value) -> Value {
    json!({ "anyOf": [schema, { "const": "" }] })
}

fn type_schema(ty: Type) -> Value {
    match ty {
        // Numbers and booleans written where text is expected are read as the text written.
        Type::Text | Type::PagePath | Type::TermSlug => {
            json!({ "type": ["string", "number", "boolean"] })
        }
        Type::Bool => json!({ "type": "boolean" }),
        Type::Integer => json!({ "type": "integer" }),
        Type::Date => blank_or(json!({ "$ref": "#/$defs/date" })),
        Type::Url => blank_or(json!({ "$ref": "#/$defs/url" })),
        Type::KindName => json!({ "enum": Kind::names() }),
        Type::Country => json!({ "$ref": "#/$defs/country" }),
        Type::Stakeholder => json!({ "enum": model::stakeholder_names() }),
        Type::Element => json!({ "enum": model::element_names() }),
        Type::Generated => json!({ "enum": model::REPLACEABLE }),
        Type::OldUrl => json!({ "type": "string", "pattern": "^/?[^:]+$" }),
        Type::Source => json!({ "$ref": "#/$defs/source" }),
        Type::Citation => json!({ "$ref": "#/$defs/citation" }),
        Type::Article => json!({ "$ref": "#/$defs/article" }),
        Type::ElementMap => json!({
            "type": "object",
            "propertyNames": { "enum": model::element_names() },
            "additionalProperties": { "type": ["string", "number"] }
        }),
    }
}

fn record(fields: &[(&str, Type, bool, &str)]) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for (name, ty, req, doc) in fields {
        let mut s = if *name == "articles" {
            json!({ "type": "array", "items": type_schema(*ty) })
        } else {
            type_schema(*ty)
        };
        if let Some(obj) = s.as_object_mut() {
            obj.insert("description".into(), json!(doc));
        }
        props.insert(
            (*name).to_string(),
            json!({ "anyOf": [s, { "type": "null" }] }),
        );
        if *req {
            required.push(*name);
        }
    }
    json!({
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": false,
    })
}

fn defs() -> Value {
    let codes: Vec<&str> = COUNTRIES.iter().map(|(c, _)| *c).collect();
    json!({
        "date": {
            "description": "YYYY, YYYY-MM or YYYY-MM-DD",
            "anyOf": [
                { "type": "string", "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$" },
                { "type": "integer", "minimum": 1000, "maximum": 9999 }
            ]
        },
        "url": { "type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+$" },
        "country": { "enum": codes, "description": "ISO 3166-1 alpha-2 code" },
        "source": record(SOURCE_FIELDS),
        "citation": record(CITATION_FIELDS),
        "article": record(ARTICLE_FIELDS),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_rule_and_every_key_a_property() {
        let s = json_schema();
        let rules = s["allOf"].as_array().unwrap();
        // One rule per kind, and one for translations.
        assert_eq!(rules.len(), KINDS.len() + 1);
        for (rule, k) in rules.iter().zip(KINDS) {
            let props = rule["then"]["properties"].as_object().unwrap();
            let names: Vec<&str> = props.keys().map(String::as_str).collect();
            let mut expected = k.kind.key_names();
            expected.sort_unstable();
            assert_eq!(names, expected, "{}", k.name);
        }
        let translation = rules[KINDS.len()]["then"]["properties"]
            .as_object()
            .unwrap();
        let mut names: Vec<&str> = translation.keys().map(String::as_str).collect();
        let mut expected = model::TRANSLATION_KEYS.to_vec();
        names.sort_unstable();
        expected.sort_unstable();
        assert_eq!(names, expected);
    }
}
