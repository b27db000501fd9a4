//! Escaping text for HTML: everything that comes from content or queries passes through here.

pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s);
    out
}

/// Appends `s` escaped to `out`: for markup built piece by piece without a string per piece.
pub fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Attribute values are escaped the same way: quotes included, so either quote style is safe.
pub fn escape_attr(s: &str) -> String {
    escape_html(s)
}
