//! SPARQL sources: a CONSTRUCT query sent to the endpoint per the SPARQL 1.1 Protocol
//! (GET with `query=`), paged with `{limit}` and `{offset}` placeholders over a sorted
//! sub-select of resources, until a page holds no statement. A query without the
//! placeholders is one page.

use url::Url;

use crate::fetch::Fetched;
use crate::kinds::{PageRequest, SourceReader};
use crate::page::rdf_page;
use crate::pager::{with_query, PagerEvent};

/// The default query: DCAT resources, sorted, a page at a time, with their statements and
/// two levels of the nodes they point to (distributions, contact points, periods), but not
/// the statements of other catalogued resources (they come on their own page: a record
/// must not appear, cut short, on another record's page).
pub const DEFAULT_QUERY: &str = "PREFIX dcat: <http://www.w3.org/ns/dcat#>\n\
CONSTRUCT { ?s ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 . }\n\
WHERE {\n\
  { SELECT DISTINCT ?s WHERE {\n\
      VALUES ?type { dcat:Dataset dcat:DataService dcat:DatasetSeries }\n\
      ?s a ?type .\n\
    } ORDER BY ?s LIMIT {limit} OFFSET {offset} }\n\
  ?s ?p ?o .\n\
  OPTIONAL {\n\
    FILTER(!isLiteral(?o))\n\
    FILTER NOT EXISTS { VALUES ?other { dcat:Dataset dcat:DataService dcat:DatasetSeries dcat:Catalog } ?o a ?other }\n\
    ?o ?p2 ?o2 .\n\
    OPTIONAL { FILTER(isBlank(?o2)) ?o2 ?p3 ?o3 . }\n\
  }\n\
}";

/// Where a SPARQL harvest is.
pub struct SparqlCursor {
    endpoint: Url,
    query: String,
    page_size: u64,
    offset: u64,
    paged: bool,
    done: bool,
    format: Option<String>,
}

impl SparqlCursor {
    /// A cursor on `endpoint` with `query` (the default when `None`); `format` overrides
    /// the syntax of the answers.
    pub fn new(
        endpoint: &Url,
        query: Option<&str>,
        page_size: u64,
        format: Option<String>,
    ) -> SparqlCursor {
        let query = query.unwrap_or(DEFAULT_QUERY).to_owned();
        let paged = query.contains("{offset}");
        SparqlCursor {
            endpoint: endpoint.clone(),
            query,
            page_size,
            offset: 0,
            paged,
            done: false,
            format,
        }
    }

    /// The URL of the next request.
    fn next_page_url(&mut self) -> Option<Url> {
        if self.done {
            return None;
        }
        let query = self
            .query
            .replace("{limit}", &self.page_size.to_string())
            .replace("{offset}", &self.offset.to_string());
        if !self.paged {
            self.done = true;
        }
        self.offset += self.page_size;
        Some(with_query(&self.endpoint, &[("query", query)]))
    }
}

impl SourceReader for SparqlCursor {
    fn accept(&self) -> String {
        "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5".to_owned()
    }

    fn next_request(&mut self) -> Option<PageRequest> {
        self.next_page_url().map(PageRequest::get)
    }

    fn read(&mut self, fetched: Fetched) -> PagerEvent {
        match rdf_page(fetched, self.format.as_deref()) {
            Ok(page) => PagerEvent::Page(page),
            Err(error) => PagerEvent::failed(error),
        }
    }

    /// A page without statements ends the harvest.
    fn page_read(&mut self, statements: u64) {
        if statements == 0 {
            self.done = true;
        }
    }
}
