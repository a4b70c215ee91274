//! Hydra paging links in a page: `hydra:next` (of a `hydra:PartialCollectionView`) and the
//! legacy `hydra:nextPage` (of a `hydra:PagedCollection`), as an IRI or as a string literal
//! (resolved against the page URL).

use ldtcat_model::{ParseReport, RdfDocument};
use ldtcat_vocab::ns;
use oxrdf::Term;
use url::Url;

/// The next-page links found in a page (in document order, without repeats), and the
/// syntax error that stopped the scan early, if any (links before it are kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NextLinks {
    /// The links.
    pub links: Vec<Url>,
    /// Values that are not URLs.
    pub invalid: Vec<String>,
    /// Why the scan stopped before the end.
    pub error: Option<String>,
}

/// Reads `document` for next-page links (blocking: run it off the async threads).
pub fn next_links(document: &RdfDocument<'_>, page_url: &Url) -> NextLinks {
    let next = format!("{}next", ns::HYDRA);
    let next_page = format!("{}nextPage", ns::HYDRA);
    let mut found = NextLinks::default();
    let mut report = ParseReport::default();
    let result = document.for_each_quad(&mut report, |quad| {
        let predicate = quad.predicate.as_str();
        if predicate != next && predicate != next_page {
            return Ok(());
        }
        let text = match &quad.object {
            Term::NamedNode(node) => node.as_str().to_owned(),
            Term::Literal(literal) => literal.value().to_owned(),
            Term::BlankNode(_) => return Ok(()),
        };
        match page_url.join(text.trim()) {
            Ok(url) if !found.links.contains(&url) => found.links.push(url),
            Ok(_) => {}
            Err(error) => found.invalid.push(format!("{text}: {error}")),
        }
        Ok(())
    });
    if let Err(error) = result {
        found.error = Some(error.to_string());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdfio::RdfFormat;

    #[test]
    fn iri_and_literal_links_of_both_variants_are_found() {
        let page = Url::parse("http://x.org/c?page=1").expect("url");
        let turtle = "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n\
            <http://x.org/c?page=1> a hydra:PartialCollectionView ; hydra:next <http://x.org/c?page=2> .\n\
            <http://x.org/c> a hydra:PagedCollection ; hydra:nextPage \"?page=3\" .\n";
        let document = RdfDocument::from_slice("t", None, RdfFormat::Turtle, turtle.as_bytes());
        let found = next_links(&document, &page);
        let links: Vec<&str> = found.links.iter().map(Url::as_str).collect();
        assert_eq!(links, ["http://x.org/c?page=2", "http://x.org/c?page=3"]);
        assert!(found.error.is_none());
        let truncated = "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n\
            <http://x.org/v> hydra:next <http://x.org/c?page=2> .\n<http://x.org/d> <http://x.org/p> \"unterminated";
        let document = RdfDocument::from_slice("t", None, RdfFormat::Turtle, truncated.as_bytes());
        let found = next_links(&document, &page);
        assert_eq!(found.links.len(), 1);
        assert!(found.error.is_some());
    }
}
