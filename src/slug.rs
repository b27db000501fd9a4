//! Anchors and file names made from titles.
//!
//! Hand-written on purpose: the anchors must match the ones mdBook and GitHub readers already
//! link to for ASCII headings, fold accents the same way on every page (deunicode), and never be
//! empty. The slug crates either keep non-ASCII letters or drop them, which would change every
//! existing anchor of the knowledge base.

/// A heading anchor: lower case, accents folded, each run of other characters becomes `-`.
pub fn slugify(text: &str) -> String {
    let folded = deunicode::deunicode(text).to_lowercase();
    let mut out = String::with_capacity(folded.len());
    let mut dash = false;
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}
