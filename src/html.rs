//! Escaping text for HTML: everything that comes from content or queries passes through here.

pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
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
    out
}

/// Attribute values are escaped the same way: quotes included, so either quote style is safe.
pub fn escape_attr(s: &str) -> String {
    escape_html(s)
}
