//! The MoU comparison matrix as a tool: each column heading links to the principle that names
//! its element in `principle_for` (checked at build time), rows carry what the filters read,
//! and the page brings its own style sheet and script. Also the tables of content pages:
//! key–value tables as definition lists, data tables in labelled scrolling regions.

mod common;

use common::*;

fn principle(title: &str, elements: &str, principle_for: Option<&str>) -> String {
    let pf = principle_for
        .map(|p| format!("principle_for: {p}\n"))
        .unwrap_or_default();
    format!("---\nkind: principle\ntitle: {title}\nelements: {elements}\n{pf}sources:\n  - {{title: S, publisher: P}}\n---\n\nText.\n")
}

fn agreement(title: &str, signed: &str, regions: &str, elements: &str, body: &str) -> String {
    format!("---\nkind: agreement\ntitle: {title}\nsigned: \"{signed}\"\nregions: {regions}\nelements: {elements}\nsources:\n  - {{title: S, publisher: P}}\n---\n\n{body}\n")
}

/// Two principles underpin data protection; the one that comes first in reading order is not
/// the one the column should link to.
fn site() -> Fixture {
    Fixture::new(&[
        ("book.toml", BOOK),
        ("content/_index.md", "---\ntitle: Home\n---\n\nHome.\n"),
        (
            "content/principles/a-informed-consent.md",
            &principle(
                "Informed consent",
                "[victim-support, data-protection]",
                Some("[victim-support]"),
            ),
        ),
        (
            "content/principles/b-confidentiality.md",
            &principle(
                "Confidentiality and data protection",
                "[data-protection]",
                Some("[data-protection]"),
            ),
        ),
        (
            "content/agreements/alpha.md",
            &agreement(
                "Alpha MoU",
                "2004",
                "[Europe, Baltic Sea]",
                "{data-protection: data, victim-support: support}",
                "## Data\n\nA.\n\n## Support\n\nB.\n",
            ),
        ),
        (
            "content/agreements/beta.md",
            &agreement(
                "Beta MoU",
                "2010",
                "[South-East Asia]",
                "{victim-support: help}",
                "## Help\n\nC.\n",
            ),
        ),
    ])
}

#[test]
fn a_column_heading_links_to_the_principle_that_names_its_element() {
    let f = site();
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let m = f.read("matrix.html");
    assert!(
        m.contains("<th scope=\"col\" id=\"col-data-protection\" data-element=\"data-protection\"><span class=\"col-head\"><a href=\"principles/b-confidentiality.html\" title=\"Guiding principle: Confidentiality and data protection\">Data protection</a></span></th>"),
        "{m}"
    );
    assert!(
        m.contains("<th scope=\"col\" id=\"col-victim-support\" data-element=\"victim-support\"><span class=\"col-head\"><a href=\"principles/a-informed-consent.html\""),
        "{m}"
    );
    // No principle underpins training: its heading is plain text.
    assert!(
        m.contains("<th scope=\"col\" id=\"col-training\" data-element=\"training\"><span class=\"col-head\">Training</span></th>"),
        "{m}"
    );
    assert_links_resolve(&f.site());
}

#[test]
fn rows_carry_what_the_filters_read_and_the_page_brings_its_own_assets() {
    let f = site();
    assert!(f.build().status.success());
    let m = f.read("matrix.html");
    // Rows in order of signature, each with its covered elements and its regions as slugs.
    let alpha = m.find("<tr data-elements=\"data-protection victim-support\" data-regions=\"europe baltic-sea\"><th scope=\"row\"><a href=\"agreements/alpha.html\">Alpha MoU</a>");
    let beta = m.find("<tr data-elements=\"victim-support\" data-regions=\"south-east-asia\"><th scope=\"row\"><a href=\"agreements/beta.html\">Beta MoU</a>");
    assert!(alpha.is_some() && beta.is_some() && alpha < beta, "{m}");
    // A covered cell: a tick link named by its element and agreement, with the element's
    // label for the phone's card (hidden from screen readers, which read the link's name).
    assert!(
        m.contains("<td class=\"yes\" data-element=\"data-protection\"><a class=\"tick\" href=\"agreements/alpha.html#data\" aria-label=\"Data protection: covered in Alpha MoU\"><span aria-hidden=\"true\">✓</span><span class=\"cell-label\" aria-hidden=\"true\">Data protection</span></a></td>"),
        "{m}"
    );
    assert!(
        m.contains("<td class=\"no\" data-element=\"roles\"><span aria-hidden=\"true\">–</span><span class=\"visually-hidden\">not described</span></td>"),
        "{m}"
    );
    // The filters: hidden until the script shows them, every element, the rows' regions in
    // alphabetical order, each list labelled.
    assert!(
        m.contains("<form class=\"matrix-filters\" id=\"matrix-filters\" hidden>"),
        "{m}"
    );
    assert!(
        m.contains("<label for=\"filter-element\">Covers</label>"),
        "{m}"
    );
    assert_eq!(m.matches("<option value=\"").count(), 2 + 12 + 3, "{m}");
    assert!(
        m.contains("<select id=\"filter-region\" name=\"region\"><option value=\"\">Any region</option><option value=\"baltic-sea\">Baltic Sea</option><option value=\"europe\">Europe</option><option value=\"south-east-asia\">South-East Asia</option></select>"),
        "{m}"
    );
    // The scrolling table is a named, focusable region.
    assert!(
        m.contains("<div class=\"matrix-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"matrix-caption\">"),
        "{m}"
    );
    // Its style sheet and script, loaded by this page only, and published.
    assert!(
        m.contains("<link rel=\"stylesheet\" href=\"assets/matrix.css\">"),
        "{m}"
    );
    assert!(
        m.contains("<script src=\"assets/matrix.js\" defer></script>"),
        "{m}"
    );
    assert!(!f.read("index.html").contains("matrix.js"));
    let css = f.read("assets/matrix.css");
    assert!(css.contains("@page matrix { size: A4 landscape;"), "{css}");
    assert!(f.read("assets/matrix.js").contains("filter-element"));
}

/// The whole output of a build that fails.
fn errors(f: &Fixture) -> String {
    let out = f.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    stderr(&out).trim_end().to_string()
}

#[test]
fn an_element_that_principles_underpin_but_none_names_is_an_error_with_the_candidates() {
    let f = site();
    f.write(
        "content/principles/b-confidentiality.md",
        &principle(
            "Confidentiality and data protection",
            "[data-protection]",
            None,
        ),
    );
    assert_eq!(
        errors(&f),
        "content/principles/a-informed-consent.md:4:28: error: MoU element `data-protection` has no principle: the matrix column \"Data protection\" would link nowhere\n  hint: add `principle_for: [data-protection]` to the principle the column should link to: principles/a-informed-consent.md, principles/b-confidentiality.md\n1 error, 0 warnings"
    );
}

#[test]
fn two_principles_for_one_element_is_an_error_at_the_second() {
    let f = site();
    f.write(
        "content/principles/a-informed-consent.md",
        &principle(
            "Informed consent",
            "[victim-support, data-protection]",
            Some("[victim-support, data-protection]"),
        ),
    );
    assert_eq!(
        errors(&f),
        "content/principles/b-confidentiality.md:5:17: error: MoU element `data-protection` already has a principle: principles/a-informed-consent.md\n  hint: the matrix column links to one principle: keep `data-protection` in the `principle_for` of one page only\n1 error, 0 warnings"
    );
}

#[test]
fn naming_an_element_the_principle_does_not_underpin_is_an_error() {
    let f = site();
    f.write(
        "content/principles/b-confidentiality.md",
        &principle(
            "Confidentiality and data protection",
            "[data-protection]",
            Some("[data-protection, training]"),
        ),
    );
    assert_eq!(
        errors(&f),
        "content/principles/b-confidentiality.md:5:34: error: `principle_for` names `training`, which is not among this principle's `elements`\n  hint: add `training` to `elements`, or leave it to the principle that underpins it\n1 error, 0 warnings"
    );
}

#[test]
fn an_unknown_element_is_an_error_with_the_elements() {
    let f = site();
    f.write(
        "content/principles/b-confidentiality.md",
        &principle(
            "Confidentiality and data protection",
            "[data-protection]",
            Some("[data-protection, trainin]"),
        ),
    );
    // Only the unknown name: the page did not load, so whether its elements have a principle
    // is not judged until it does.
    assert_eq!(
        errors(&f),
        "content/principles/b-confidentiality.md:5:34: error: unknown MoU element `trainin`\n  hint: did you mean `training`? (allowed: roles, coordination, information-exchange, data-protection, joint-operations, victim-support, referral, training, funding, review, dispute-resolution, termination)\n1 error, 0 warnings"
    );
}

#[test]
fn without_agreements_no_principle_needs_to_name_its_elements() {
    let f = site();
    for a in ["alpha", "beta"] {
        std::fs::remove_file(f.path().join(format!("content/agreements/{a}.md"))).unwrap();
    }
    f.write(
        "content/principles/b-confidentiality.md",
        &principle(
            "Confidentiality and data protection",
            "[data-protection]",
            None,
        ),
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!f.site().join("matrix.html").exists());
}

#[test]
fn at_a_glance_tables_are_definition_lists_and_data_tables_scroll_in_named_regions() {
    let f = site();
    f.write(
        "content/agreements/beta.md",
        &agreement(
            "Beta MoU",
            "2010",
            "[South-East Asia]",
            "{victim-support: help}",
            "## At a glance\n\n| | |\n| --- | --- |\n| Signed | 2010, *Bangkok* |\n| Parties | Police; NGO |\n\n## Help\n\n| Stage | Who acts | Within |\n|---|---|---|\n| Referral | NGO | 24 hours |\n",
        ),
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let html = f.read("agreements/beta.html");
    assert!(
        html.contains("At a glance</h2>\n<dl class=\"key-value\">\n<div><dt>Signed</dt><dd>2010, <em>Bangkok</em></dd></div>\n<div><dt>Parties</dt><dd>Police; NGO</dd></div>\n</dl>\n"),
        "{html}"
    );
    assert!(!html.contains("<th></th>"), "{html}");
    assert!(
        html.contains("Help</h2>\n<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"help\">\n<table>\n<thead>\n<tr>\n<th>Stage</th>\n<th>Who acts</th>\n<th>Within</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>Referral</td>\n<td>NGO</td>\n<td>24 hours</td>\n</tr>\n</tbody>\n</table>\n</div>\n"),
        "{html}"
    );
    // The section anchor the matrix links to is still there.
    assert!(html.contains("<h2 id=\"help\">"), "{html}");
}
