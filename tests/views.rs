//! Views generated from front matter: the MoU comparison matrix, the timeline, faceted lists,
//! related pages and the data export.

mod common;

use common::*;

fn agreement(title: &str, signed: &str, elements: &str, body: &str) -> String {
    format!(
        "---\nkind: agreement\ntitle: {title}\nsigned: \"{signed}\"\nparties: [Police, NGO]\ncountries: [DE]\nregions: [Europe]\nelements: {elements}\nsources:\n  - title: S\n    publisher: P\n---\n\n{body}\n"
    )
}

fn views_site() -> Fixture {
    Fixture::new(&[
        ("book.toml", BOOK),
        ("content/_index.md", "---\ntitle: Home\n---\n\nHome.\n"),
        (
            "content/principles/roles.md",
            "---\nkind: principle\ntitle: Clear roles\nelements: [roles]\ntags: [roles]\nsources:\n  - {title: S, publisher: P}\n---\n\nText.\n",
        ),
        (
            "content/agreements/alpha.md",
            &agreement("Alpha MoU", "2004-10-29", "{roles: who-does-what, training: joint-training}", "## Who does what\n\nA.\n\n## Joint training\n\nB.\n"),
        ),
        ("content/agreements/beta.md", &agreement("Beta MoU", "1999", "{referral: referral-steps}", "## Referral steps\n\nC.\n")),
        ("content/agreements/gamma.md", &agreement("Gamma MoU", "2011-03", "{}", "No sections.\n")),
        (
            "content/instruments/conv.md",
            "---\nkind: instrument\ntitle: A Convention\nadopted: \"2005-05-16\"\nin_force: \"2008-02-01\"\ncountries: [DE]\nsources:\n  - {title: S, publisher: P, date: \"2005\"}\n---\n\nText.\n",
        ),
        (
            "content/events/forum.md",
            "---\nkind: event\ntitle: A Forum\ndate: \"2008-02-13\"\nend_date: \"2008-02-15\"\nplace: Vienna\nrelated: [agreements/alpha.md]\ncites: [{instrument: instruments/conv.md, articles: [\"10\", \"12\"]}]\nsources:\n  - {title: S, publisher: P}\n---\n\nText.\n",
        ),
    ])
}

#[test]
fn matrix_cells_link_to_the_sections_that_cover_each_element() {
    let f = views_site();
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let m = f.read("matrix.html");
    let tbody = &m[m.find("<tbody>").unwrap()..m.find("</tbody>").unwrap()];
    let rows: Vec<&str> = tbody.split("<tr>").skip(1).collect();
    assert_eq!(rows.len(), 3);
    // Rows in order of signature; each covered cell links to its section, the rest are empty.
    let cells = |row: &str| -> Vec<String> {
        row.split("<td")
            .skip(1)
            .map(|c| {
                references(&format!(" {c}"))
                    .first()
                    .cloned()
                    .unwrap_or_default()
            })
            .collect()
    };
    assert!(rows[0].contains("Beta MoU"));
    assert!(rows[1].contains("Alpha MoU"));
    assert!(rows[2].contains("Gamma MoU"));
    let columns = [
        "roles",
        "coordination",
        "information-exchange",
        "data-protection",
        "joint-operations",
        "victim-support",
        "referral",
        "training",
        "funding",
        "review",
        "dispute-resolution",
        "termination",
    ];
    let expect = |pairs: &[(&str, &str)]| -> Vec<String> {
        columns
            .iter()
            .map(|c| {
                pairs
                    .iter()
                    .find(|(k, _)| k == c)
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_default()
            })
            .collect()
    };
    assert_eq!(
        cells(rows[0]),
        expect(&[("referral", "agreements/beta.html#referral-steps")])
    );
    assert_eq!(
        cells(rows[1]),
        expect(&[
            ("roles", "agreements/alpha.html#who-does-what"),
            ("training", "agreements/alpha.html#joint-training")
        ])
    );
    assert_eq!(cells(rows[2]), expect(&[]));
    // The column for an element links to the principle behind it.
    assert!(
        m.contains("id=\"col-roles\"><a href=\"principles/roles.html\""),
        "{m}"
    );
    assert_links_resolve(&f.site());
}

#[test]
fn a_missing_element_anchor_is_an_error() {
    let f = views_site();
    f.write(
        "content/agreements/beta.md",
        &agreement(
            "Beta MoU",
            "1999",
            "{referral: referal-steps}",
            "## Referral steps\n\nC.\n",
        ),
    );
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).trim_end(),
        "content/agreements/beta.md:8:22: error: element `referral` points to `#referal-steps`, which is not a heading on this page\n  hint: did you mean `referral-steps`?\n1 error, 0 warnings"
    );
}

#[test]
fn timeline_orders_items_by_date_with_a_text_alternative() {
    let f = views_site();
    assert!(f.build().status.success());
    let t = f.read("timeline.html");
    assert!(t.contains("<svg") && t.contains("role=\"group\" aria-labelledby=\"tl-caption\""));
    let list = &t[t.find("<ol class=\"timeline-list\">").unwrap()..];
    let order: Vec<&str> = [
        "datetime=\"1999\"",
        "datetime=\"2004-10-29\"",
        "datetime=\"2005-05-16\"",
        "datetime=\"2008-02-01\"",
        "datetime=\"2008-02-13\"",
        "datetime=\"2011-03\"",
    ]
    .into_iter()
    .collect();
    let positions: Vec<usize> = order
        .iter()
        .map(|d| list.find(d).unwrap_or_else(|| panic!("{d} missing")))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    assert!(list.contains("13 February 2008 – 15 February 2008"));
    assert!(list.contains("in force"));
}

#[test]
fn country_pages_gather_everything_and_related_links_go_both_ways() {
    let f = views_site();
    assert!(f.build().status.success());
    let de = f.read("countries/de.html");
    for t in [
        "Alpha MoU",
        "Beta MoU",
        "Gamma MoU",
        "A Convention",
        "Germany",
    ] {
        assert!(de.contains(t), "{t}");
    }
    assert!(de.contains("Adopted 16 May 2005"));
    let alpha = f.read("agreements/alpha.html");
    let related = &alpha[alpha.find("id=\"related\"").expect("related section")..];
    assert!(related.contains("A Forum"));
    let forum = f.read("events/forum.html");
    assert!(forum.contains("Legal basis cited") && forum.contains("Art. 10, 12"));
    // Suggestions come from shared facets.
    assert!(alpha.contains("See also") && alpha.contains("Beta MoU"));
}

#[test]
fn data_export_round_trips_the_front_matter() {
    let f = views_site();
    assert!(f.build().status.success());
    let items: Vec<serde_json::Value> = serde_json::from_str(&f.read("data/items.json")).unwrap();
    assert_eq!(items.len(), 6);
    let root = f.path().join("content");
    for item in &items {
        let path = item["path"].as_str().unwrap();
        // The exported front matter is the YAML as the editor wrote it, key for key.
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        let yaml = text.split("---\n").nth(1).unwrap();
        let written: serde_json::Value =
            serde_json::to_value(serde_yaml::from_str::<serde_yaml::Value>(yaml).unwrap()).unwrap();
        assert_eq!(item["front_matter"], written, "{path}");
        let page = accord::content::parse_page(text.as_bytes(), path, std::path::Path::new(path))
            .unwrap()
            .unwrap();
        assert_eq!(item["url"], page.url.as_str());
    }
    let csv = f.read("data/items.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        accord::views::csv_columns()
    );
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 6);
    let alpha = rows
        .iter()
        .find(|r| &r[0] == "agreements/alpha.md")
        .unwrap();
    assert_eq!(&alpha[col("signed")], "2004-10-29");
    assert_eq!(&alpha[col("parties")], "Police; NGO");
    assert_eq!(&alpha[col("elements")], "roles; training");
}

#[test]
fn a_timeline_is_made_and_linked_only_when_it_has_items() {
    // An organisation's founding date is a fact of its page, not an item of the timeline.
    let f = Fixture::new(&[
        ("book.toml", BOOK),
        ("content/_index.md", "---\ntitle: Home\n---\n\nSee [IOM](orgs/iom.md).\n"),
        (
            "content/orgs/iom.md",
            "---\nkind: organisation\ntitle: IOM\nfounded: \"1951\"\nsources: [{title: S, publisher: P}]\n---\n\nText.\n",
        ),
    ]);
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!f.site().join("timeline.html").exists());
    assert!(!f.read("index.html").contains("timeline.html"));
    assert!(f.read("orgs/iom.html").contains("Founded"));
    // An event puts it back.
    f.write(
        "content/orgs/forum.md",
        "---\nkind: event\ntitle: Forum\ndate: 2008-02-13\nsources: [{title: S, publisher: P}]\n---\n",
    );
    assert!(f.build().status.success());
    assert!(f.read("timeline.html").contains("Forum"));
    assert!(f.read("index.html").contains("timeline.html"));
}
