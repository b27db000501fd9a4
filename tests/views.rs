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
            "---\nkind: principle\ntitle: Clear roles\nelements: [roles]\nprinciple_for: [roles]\ntags: [roles]\nsources:\n  - {title: S, publisher: P}\n---\n\nText.\n",
        ),
        (
            "content/agreements/alpha.md",
            &agreement("Alpha MoU", "2004-10-29", "{roles: who-does-what, training: joint-training}", "## Who does what\n\nA.\n\n## Joint training\n\nB.\n"),
        ),
        ("content/agreements/beta.md", &agreement("Beta MoU", "1999", "{referral: referral-steps}", "## Referral steps\n\nC.\n")),
        ("content/agreements/gamma.md", &agreement("Gamma MoU", "2011-03", "{}", "No sections.\n")),
        (
            "content/instruments/conv.md",
            "---\nkind: instrument\ntitle: A Convention\nshort_title: Conv\nadopted: \"2005-05-16\"\nin_force: \"2008-02-01\"\ncountries: [DE]\narticles:\n  - {number: \"10\", summary: Identification with support organisations.}\n  - {number: \"12\", summary: Assistance to victims.}\n  - {number: \"35\", summary: Partnerships with civil society.}\nsources:\n  - {title: S, publisher: P, date: \"2005\"}\n---\n\nText.\n",
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
    let rows: Vec<&str> = tbody.split("<tr ").skip(1).collect();
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
    // An agreement whose sources describe no clause says so in words, not in a row of dashes.
    assert!(
        rows[2].contains("<td class=\"undescribed\" colspan=\"12\">The sources used here do not describe this agreement&#39;s clauses.</td>"),
        "{}",
        rows[2]
    );
    assert_eq!(rows[2].matches("<td").count(), 1);
    // The column for an element links to the principle behind it.
    assert!(
        m.contains("id=\"col-roles\" data-element=\"roles\"><span class=\"col-head\"><a href=\"principles/roles.html\""),
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
    // The chart is the list: text that wraps between words, never cut, with a legend.
    assert!(t.contains("<figure class=\"tl\" aria-labelledby=\"tl-caption\">"));
    assert!(t.contains("<ul class=\"tl-legend\" aria-label=\"Legend\">"));
    // (In the chart: the page's script messages, elsewhere, may well use an ellipsis.)
    let chart = &t[t.find("<figure").unwrap()..t.find("</figure>").unwrap()];
    assert!(!chart.contains("…"), "a label was cut");
    let list = &t[t.find("<ol class=\"tl-rows\">").unwrap()..];
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
    // The first item stands at the start of the axis, its label after its mark; a period's
    // mark runs to its end.
    assert!(
        list.contains("<li class=\"tl-row tl-after\" style=\"--at: 0%; --until: 0%\">"),
        "{list}"
    );
    assert!(list.contains("<span class=\"tl-mark tl-period\"></span>"));
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
    assert!(forum.contains("Legal basis cited"));
    assert!(forum.contains(
        "Art. <a href=\"../instruments/conv.html#art-10\">10</a>, <a href=\"../instruments/conv.html#art-12\">12</a>"
    ));
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
    // Citations keep their articles in both exports.
    let forum = rows.iter().find(|r| &r[0] == "events/forum.md").unwrap();
    assert_eq!(&forum[col("cites")], "instruments/conv.md Art. 10, 12");
    let conv = rows
        .iter()
        .find(|r| &r[0] == "instruments/conv.md")
        .unwrap();
    assert_eq!(&conv[col("articles")], "10; 12; 35");
    let forum_json = items
        .iter()
        .find(|i| i["path"] == "events/forum.md")
        .unwrap();
    assert_eq!(
        forum_json["front_matter"]["cites"],
        serde_json::json!([{"instrument": "instruments/conv.md", "articles": ["10", "12"]}])
    );
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

/// The instrument page lists its articles as entries, each page that cites one links to the
/// entry, and the Articles view lists, per article, exactly the pages that cite it.
#[test]
fn articles_are_entries_that_citing_pages_link_to_and_the_articles_view_lists() {
    let f = views_site();
    f.write(
        "content/principles/roles.md",
        "---\nkind: principle\ntitle: Clear roles\nelements: [roles]\nprinciple_for: [roles]\ntags: [roles]\ncites: [{instrument: instruments/conv.md, articles: [\"10(2)\", \"35\"]}]\nsources:\n  - {title: S, publisher: P}\n---\n\nText.\n",
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));

    let conv = f.read("instruments/conv.html");
    assert!(
        conv.contains("<div class=\"article-entry\" id=\"art-10\"><dt>Art. 10</dt><dd>Identification with support organisations. <a class=\"cited-count\" href=\"../articles.html#conv-art-10\">Cited by 2 pages</a></dd></div>"),
        "{conv}"
    );
    assert!(conv.contains("<div class=\"article-entry\" id=\"art-12\"><dt>Art. 12</dt><dd>Assistance to victims. <a class=\"cited-count\" href=\"../articles.html#conv-art-12\">Cited by 1 page</a></dd></div>"));

    // A paragraph cites the entry of its article; each number links to its entry.
    let roles = f.read("principles/roles.html");
    assert!(
        roles.contains("<li><a href=\"../instruments/conv.html\">Conv</a>: Art. <a href=\"../instruments/conv.html#art-10\">10(2)</a>, <a href=\"../instruments/conv.html#art-35\">35</a></li>"),
        "{roles}"
    );

    let view = f.read("articles.html");
    let entry = |anchor: &str| -> String {
        let start = view.find(&format!("id=\"{anchor}\"")).unwrap();
        let end = view[start..].find("</div>").unwrap();
        view[start..start + end].to_string()
    };
    assert_eq!(
        entry("conv-art-10"),
        "id=\"conv-art-10\">\n<dt><a href=\"instruments/conv.html#art-10\">Art. 10</a> <span class=\"count\">cited by 2 pages</span></dt>\n<dd><p>Identification with support organisations.</p>\n<p class=\"cited-by\"><span class=\"tax-label\">Principles:</span> <a href=\"principles/roles.html\">Clear roles</a></p><p class=\"cited-by\"><span class=\"tax-label\">Events:</span> <a href=\"events/forum.html\">A Forum</a></p>\n</dd>"
    );
    assert!(entry("conv-art-35").contains("cited by 1 page"));
    assert!(entry("conv-art-12").contains("<a href=\"events/forum.html\">A Forum</a>"));
    assert!(
        view.contains("<a href=\"#conv\">A Convention</a> (3 articles, 4 citations)"),
        "{view}"
    );
    assert!(f.read("index.html").contains("articles.html"));
    assert_links_resolve(&f.site());
}

#[test]
fn citing_an_article_the_instrument_does_not_list_is_an_error_at_its_place() {
    let f = views_site();
    f.write(
        "content/principles/roles.md",
        "---\nkind: principle\ntitle: Clear roles\ncites:\n  - instrument: instruments/conv.md\n    articles: [\"10\", \"13\"]\nsources:\n  - {title: S, publisher: P}\n---\n\nText.\n",
    );
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).trim_end(),
        "content/principles/roles.md:6:22: error: `cites` names Art. 13 of `instruments/conv.md`, which that page does not list\n  hint: articles listed there: 10, 12, 35; add `13` to its `articles` or cite one of these\n1 error, 0 warnings"
    );
}

/// Each page shows when it was last reviewed, and the feed lists pages newest review first.
#[test]
fn pages_show_their_review_date_and_the_feed_lists_them_by_it() {
    let f = Fixture::new(&[
        ("book.toml", BOOK),
        (
            "content/_index.md",
            "---\ntitle: Home\nupdated: \"2023\"\n---\n\nSee [A](a.md) and [B](b.md).\n",
        ),
        (
            "content/a.md",
            "---\nkind: principle\ntitle: Alpha\nsources: [{title: S, publisher: P}]\nupdated: \"2024-03-05\"\n---\n\nText.\n",
        ),
        (
            "content/b.md",
            "---\ntitle: Beta\nupdated: \"2025-11\"\n---\n\nText.\n",
        ),
        ("content/c.md", "---\ntitle: Never reviewed\n---\n\nSee [A](a.md).\n"),
    ]);
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        f.read("a.html").contains(
            "<p class=\"updated\">Last reviewed: <time datetime=\"2024-03-05\">5 March 2024</time></p>"
        ),
        "{}",
        f.read("a.html")
    );
    assert!(f
        .read("b.html")
        .contains("Last reviewed: <time datetime=\"2025-11\">November 2025</time>"));
    assert!(!f.read("c.html").contains("Last reviewed"));

    let feed = f.read("feed.xml");
    let titles: Vec<&str> = feed
        .split("<entry>\n<title>")
        .skip(1)
        .map(|e| &e[..e.find("</title>").unwrap()])
        .collect();
    assert_eq!(titles, ["Beta", "Alpha", "Home"]);
    assert!(
        feed.contains("<updated>2025-11-01T00:00:00Z</updated>"),
        "{feed}"
    );
}

/// Hosts serve 404.html for a missing address at any depth; its links must not assume the root.
#[test]
fn the_404_page_links_from_the_site_root_at_any_depth() {
    let trust = principle("Trust", "Body.\n");
    // With base-url: links root-relative from its path.
    let f = Fixture::new(&[
        (
            "book.toml",
            "[book]\ntitle = \"KB\"\n[site]\nbase-url = \"https://example.org/kb\"\n",
        ),
        ("content/principles/trust.md", &trust),
    ]);
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = f.read("404.html");
    assert!(
        page.contains("<link rel=\"stylesheet\" href=\"/kb/assets/style.css\">"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"/kb/index.html\">Go to the home page</a>"),
        "{page}"
    );
    assert!(!page.contains("<script>\n/*"), "{page}");
    // Without: relative links (right at the root, and without JavaScript) and the site's
    // top-level folders for the script that finds the root in the address.
    let g = Fixture::new(&[
        ("book.toml", "[book]\ntitle = \"KB\"\n"),
        ("content/principles/trust.md", &trust),
    ]);
    let out = g.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = g.read("404.html");
    assert!(
        page.contains("<a href=\"index.html\">Go to the home page</a>"),
        "{page}"
    );
    assert!(
        page.contains("  var folders = [\"assets\",\"principles\",\"search\"];\n"),
        "{page}"
    );
    let script = page.find("<script>").expect("script");
    let style = page.find("assets/style.css").expect("stylesheet");
    assert!(
        script < style,
        "the root must be found before the stylesheet loads"
    );
}
