//! Which URLs accord publishes: relative ones, and absolute ones with an allowed scheme.
//!
//! URLs are parsed as browsers parse them (the WHATWG rules of the `url` crate: leading
//! spaces and control characters dropped, tabs and newlines removed anywhere), so
//! `java\tscript:` and `javascript://%0Aalert(1)` are seen as the `javascript:` URLs a browser
//! would run, not as harmless text or as web addresses.

use url::{ParseError, Url};

/// Schemes a published link or image may use.
pub const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// What kind of URL a link or image names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlKind {
    /// A path within the site (resolved against the page).
    Relative,
    /// `//host/path`: another site, by the page's own scheme.
    ProtocolRelative,
    /// An absolute URL with an allowed scheme.
    Absolute(String),
}

/// Classifies a URL, or says why it may not be published.
pub fn classify(raw: &str) -> Result<UrlKind, String> {
    match Url::parse(raw) {
        Ok(u) if ALLOWED_SCHEMES.contains(&u.scheme()) => Ok(UrlKind::Absolute(u.scheme().into())),
        Ok(u) => Err(format!("the `{}:` scheme is not allowed", u.scheme())),
        Err(ParseError::RelativeUrlWithoutBase) => {
            let trimmed = raw.trim_start_matches(|c: char| c <= ' ');
            if trimmed.starts_with("//") || trimmed.starts_with("\\\\") {
                Ok(UrlKind::ProtocolRelative)
            } else {
                Ok(UrlKind::Relative)
            }
        }
        Err(e) => Err(format!("it is not a valid URL ({e})")),
    }
}

/// An absolute `http` or `https` URL with a host: what `sources[].url`, `website` and
/// `base-url` must be.
pub fn is_web_url(raw: &str) -> bool {
    Url::parse(raw).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https")
            && u.host_str().is_some_and(|h| !h.is_empty())
            && raw == raw.trim()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_allowed_schemes_pass() {
        for ok in [
            "https://example.org/a",
            "HTTP://example.org",
            "mailto:a@example.org",
            "tel:+4930123",
        ] {
            assert!(matches!(classify(ok), Ok(UrlKind::Absolute(_))), "{ok}");
        }
        for rel in ["a.md", "../b.md#x", "#top", "img/x.png", "?q=1", ""] {
            assert_eq!(classify(rel), Ok(UrlKind::Relative), "{rel}");
        }
        assert_eq!(
            classify("//cdn.example.org/x"),
            Ok(UrlKind::ProtocolRelative)
        );
        for (bad, scheme) in [
            ("javascript:alert(1)", "javascript"),
            ("javascript://%0Aalert(1)", "javascript"),
            (" JavaScript:alert(1)", "javascript"),
            ("java\tscript:alert(1)", "javascript"),
            ("java\nscript:alert(1)", "javascript"),
            ("\u{1}javascript:alert(1)", "javascript"),
            ("data:text/html,<script>alert(1)</script>", "data"),
            ("vbscript:msgbox", "vbscript"),
            ("file:///etc/passwd", "file"),
        ] {
            assert_eq!(
                classify(bad),
                Err(format!("the `{scheme}:` scheme is not allowed")),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn web_urls() {
        assert!(is_web_url("https://example.org/x"));
        assert!(!is_web_url("https://"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("ftp://example.org"));
        assert!(!is_web_url(" https://example.org"));
    }
}
