//! Instruments' key articles and the pages that cite them.
//!
//! An instrument page lists its key articles in `articles` (`{number, summary}`); each becomes an
//! entry `#art-NUMBER` on the page. Other pages cite articles in `cites`. A cited number resolves
//! to the entry with the same number, or else to the entry of the article it is a paragraph of
//! (`11(3)` → `11`), so an editor can cite a paragraph without the instrument listing every one.
//! A citation that resolves to no entry is an error: a practitioner following it would land on
//! nothing.

use crate::frontmatter::Article;

/// The anchor of an article entry on its instrument page: `art-13`, `art-11-3` for `11(3)`.
pub fn anchor(number: &str) -> String {
    format!("art-{}", crate::slug::slugify(number))
}

/// The anchor of an instrument in the Articles view: the file name of its page (`rel`, the path
/// in the content folder), such as `cets-197`.
pub fn instrument_anchor(rel: &str) -> String {
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".md");
    crate::slug::slugify(stem)
}

/// The anchor of an article in the Articles view: the instrument's, then the entry's
/// (`cets-197-art-13`), so articles of two instruments never share one.
pub fn view_anchor(rel: &str, number: &str) -> String {
    format!("{}-{}", instrument_anchor(rel), anchor(number))
}

/// The article a paragraph belongs to: `11(3)` → `11`; `None` when the number has no paragraph.
fn parent(number: &str) -> Option<&str> {
    number
        .split_once('(')
        .map(|(article, _)| article.trim())
        .filter(|a| !a.is_empty())
}

/// The position in `articles` of the entry a cited number resolves to.
pub fn resolve(articles: &[Article], cited: &str) -> Option<usize> {
    let cited = cited.trim();
    articles.iter().position(|a| a.number == cited).or_else(|| {
        let article = parent(cited)?;
        articles.iter().position(|a| a.number == article)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(n: &str) -> Article {
        Article {
            number: n.into(),
            summary: String::new(),
        }
    }

    #[test]
    fn anchors_are_stable_words() {
        assert_eq!(anchor("13"), "art-13");
        assert_eq!(anchor("11(3)"), "art-11-3");
        assert_eq!(anchor("3(a)"), "art-3-a");
    }

    #[test]
    fn a_paragraph_resolves_to_its_own_entry_first_then_its_article() {
        let list = [art("11"), art("11(4)"), art("13")];
        assert_eq!(resolve(&list, "11(4)"), Some(1));
        assert_eq!(resolve(&list, "11(3)"), Some(0));
        assert_eq!(resolve(&list, "13"), Some(2));
        assert_eq!(resolve(&list, "12"), None);
        assert_eq!(resolve(&list, "12(1)"), None);
        assert_eq!(resolve(&list, "(1)"), None);
    }
}
