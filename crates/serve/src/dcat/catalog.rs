//! `/catalog`: this catalogue as a paged `dcat:Catalog` with Hydra paging links.

use std::sync::Arc;

use axum::extract::{OriginalUri, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use ldtcat_index::SortOrder;
use ldtcat_vocab::ns;
use oxrdf::{Literal, NamedNode, Term, Triple};

use super::document::{rdf_response, record_document, RdfSyntax, WithQuality};
use crate::error::{ApiError, ServeError};
use crate::query::SearchParams;
use crate::state::{blocking, AppState, SiteSettings};

/// Records per page when none is asked for.
pub const CATALOG_PAGE_SIZE: usize = 100;
/// The largest page served.
pub const CATALOG_MAX_PAGE_SIZE: usize = 1_000;

const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";
const DATA_THEME: &str = "http://publications.europa.eu/resource/authority/data-theme";

fn node(iri: impl Into<String>) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

fn at(namespace: &str, local: &str) -> NamedNode {
    node(format!("{namespace}{local}"))
}

/// `GET /catalog[.ttl|.jsonld|.rdf|.nt]`.
pub(crate) async fn catalog(
    State(state): State<Arc<AppState>>,
    OriginalUri(uri): OriginalUri,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let path = uri.path().to_owned();
    let syntax = RdfSyntax::for_request(&path, "/catalog", &headers)?;
    let mut params = SearchParams::from_query(raw.as_deref())?;
    params.page_size = requested_page_size(raw.as_deref());
    params.sort = SortOrder::Id;
    let after = cursor(raw.as_deref())?;
    let mut request = params.to_request()?;
    request.facets = false;
    if after.is_some() {
        // The cursor replaces the offset: every page costs the same, however deep.
        request.offset = 0;
        request.after_id.clone_from(&after);
    }
    let index = Arc::clone(&state.index);
    let (results, total) = blocking(move || -> Result<_, ServeError> {
        let results = index.search(&request)?;
        let total = if request.after_id.is_some() {
            // totalItems counts the whole collection, not what follows the cursor.
            let count = ldtcat_index::SearchRequest {
                after_id: None,
                limit: 0,
                ..request
            };
            index.search(&count)?.total
        } else {
            results.total
        };
        Ok((results, total))
    })
    .await?;
    let store = state.store.clone();
    let catalogue_iri = state.site.catalogue_iri();
    let hits: Vec<(String, String)> = results
        .hits
        .iter()
        .map(|hit| (hit.id.clone(), hit.iri.clone()))
        .collect();
    let records = blocking(move || -> Result<Vec<PageRecord>, ServeError> {
        let mut records = Vec::with_capacity(hits.len());
        for (id, iri) in hits {
            if let Some(mut triples) = record_document(&store, &id, WithQuality::No)? {
                add_local_origin(&mut triples, &id, &catalogue_iri);
                records.push(PageRecord { id, iri, triples });
            }
        }
        Ok(records)
    })
    .await?;
    let page = Page {
        site: &state.site,
        path: &path,
        params: &params,
        total,
        after,
        next_after: results.hits.last().map(|hit| hit.id.clone()),
    };
    let triples = page.triples(&records);
    Ok(rdf_response(syntax, &triples, &[])?)
}

/// A record that entered the federation here gets this catalogue as its origin, 0 hops
/// (records from peers carry theirs in the store).
pub(crate) fn add_local_origin(triples: &mut Vec<Triple>, record_id: &str, catalogue_iri: &str) {
    let record = node(format!("urn:ldtcat:record:{record_id}"));
    let origin = at(ns::LDT, "originCatalogue");
    if triples
        .iter()
        .any(|t| t.predicate == origin && t.subject.to_string() == record.to_string())
    {
        return;
    }
    triples.push(Triple::new(record.clone(), origin, node(catalogue_iri)));
    triples.push(Triple::new(
        record,
        at(ns::LDT, "hops"),
        Literal::from(0_u64),
    ));
}

/// The `after` cursor: the last record id of the previous page (ids are hex digits).
fn cursor(raw: Option<&str>) -> Result<Option<String>, ServeError> {
    let Some((_, value)) =
        form_urlencoded::parse(raw.unwrap_or("").as_bytes()).find(|(name, _)| name == "after")
    else {
        return Ok(None);
    };
    if value.is_empty() || value.len() > 128 || !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(ServeError::bad_parameter(
            "after",
            "expected a record id (the last one of the previous page)",
        ));
    }
    Ok(Some(value.into_owned()))
}

/// `page_size` for the catalogue: like search's, but up to [`CATALOG_MAX_PAGE_SIZE`].
fn requested_page_size(raw: Option<&str>) -> usize {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .find(|(name, _)| name == "page_size")
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .filter(|size| *size > 0)
        .map_or(CATALOG_PAGE_SIZE, |size| size.min(CATALOG_MAX_PAGE_SIZE))
}

/// One record of a page: its id, resource IRI and published statements.
struct PageRecord {
    id: String,
    iri: String,
    triples: Vec<Triple>,
}

struct Page<'a> {
    site: &'a SiteSettings,
    path: &'a str,
    params: &'a SearchParams,
    total: usize,
    /// The cursor this page was asked with.
    after: Option<String>,
    /// The cursor of the next page: the last record id of this one.
    next_after: Option<String>,
}

impl Page<'_> {
    fn last_page(&self) -> usize {
        self.total.div_ceil(self.params.page_size).max(1)
    }

    /// [`Page::url`] with a cursor.
    fn url_after(&self, page: usize, after: Option<&str>) -> String {
        let url = self.url(page);
        match after {
            Some(after) => format!(
                "{url}{}after={after}",
                if url.contains('?') { '&' } else { '?' }
            ),
            None => url,
        }
    }

    /// The absolute URL of page `page` with the same filters and syntax.
    fn url(&self, page: usize) -> String {
        let mut params = self.params.clone();
        params.page = page;
        params.sort = SortOrder::Relevance; // implied by /catalog; kept out of the URL
        let mut query = params.to_query();
        if params.page_size != crate::query::DEFAULT_PAGE_SIZE && !query.contains("page_size=") {
            query.push_str(&format!("&page_size={}", params.page_size));
        }
        let query = query.trim_start_matches('&');
        if query.is_empty() {
            self.site.absolute_url(self.path)
        } else {
            self.site.absolute_url(&format!("{}?{query}", self.path))
        }
    }

    fn triples(&self, records: &[PageRecord]) -> Vec<Triple> {
        let site = self.site;
        let catalog = node(site.absolute_url("/catalog"));
        let publisher = node(site.absolute_url("/#publisher"));
        let mut out = Vec::new();
        let mut add = |s: &NamedNode, p: NamedNode, o: Term| out.push(Triple::new(s.clone(), p, o));
        let text =
            |value: &str| Term::from(Literal::new_language_tagged_literal_unchecked(value, "en"));
        let rdf_type = at(ns::RDF, "type");
        add(&catalog, rdf_type.clone(), at(ns::DCAT, "Catalog").into());
        add(&catalog, at(ns::DCT, "title"), text(&site.title));
        add(
            &catalog,
            at(ns::DCT, "description"),
            text(&site.description),
        );
        add(&catalog, at(ns::DCT, "publisher"), publisher.clone().into());
        add(
            &catalog,
            at(ns::FOAF, "homepage"),
            node(site.absolute_url("/")).into(),
        );
        add(
            &catalog,
            at(ns::DCT, "language"),
            node(&site.language).into(),
        );
        add(&catalog, at(ns::DCT, "license"), node(&site.licence).into());
        add(
            &catalog,
            at(ns::DCAT, "themeTaxonomy"),
            node(DATA_THEME).into(),
        );
        add(&publisher, rdf_type.clone(), at(ns::FOAF, "Agent").into());
        add(&publisher, at(ns::FOAF, "name"), text(&site.publisher_name));
        add(
            &node(&site.licence),
            rdf_type.clone(),
            at(ns::DCT, "LicenseDocument").into(),
        );
        add(
            &node(&site.language),
            rdf_type.clone(),
            at(ns::DCT, "LinguisticSystem").into(),
        );
        let theme_scheme = node(DATA_THEME);
        add(
            &theme_scheme,
            rdf_type.clone(),
            at("http://www.w3.org/2004/02/skos/core#", "ConceptScheme").into(),
        );
        add(&theme_scheme, at(ns::DCT, "title"), text("Data theme"));

        // Paging, in the current and the legacy Hydra vocabularies.
        let page = self.params.page;
        let last = self.last_page();
        let view = node(self.url_after(page, self.after.as_deref()));
        let total = Term::from(Literal::from(self.total as u64));
        add(&catalog, at(HYDRA, "view"), view.clone().into());
        add(&catalog, at(HYDRA, "totalItems"), total.clone());
        add(
            &view,
            rdf_type.clone(),
            at(HYDRA, "PartialCollectionView").into(),
        );
        add(&view, rdf_type.clone(), at(HYDRA, "PagedCollection").into());
        add(&view, at(HYDRA, "first"), node(self.url(1)).into());
        add(&view, at(HYDRA, "last"), node(self.url(last)).into());
        add(&view, at(HYDRA, "firstPage"), node(self.url(1)).into());
        add(&view, at(HYDRA, "lastPage"), node(self.url(last)).into());
        add(&view, at(HYDRA, "totalItems"), total);
        add(
            &view,
            at(HYDRA, "itemsPerPage"),
            Literal::from(self.params.page_size as u64).into(),
        );
        if page > 1 {
            let previous = node(self.url((page - 1).min(last)));
            add(&view, at(HYDRA, "previous"), previous.clone().into());
            add(&view, at(HYDRA, "previousPage"), previous.into());
        }
        if page < last && self.next_after.is_some() {
            // The next page is asked with a cursor, so that following `next` costs the same
            // on every page; `page` stays in the URL for `previous` and for people.
            let next = node(self.url_after(page + 1, self.next_after.as_deref()));
            add(&view, at(HYDRA, "next"), next.clone().into());
            add(&view, at(HYDRA, "nextPage"), next.into());
        }

        for PageRecord { id, iri, triples } in records {
            let resource = node(iri.as_str());
            add(
                &catalog,
                at(ns::DCAT, "record"),
                node(format!("urn:ldtcat:record:{id}")).into(),
            );
            let is_a = |class: &str| {
                triples.iter().any(|t| {
                    t.subject.to_string() == resource.to_string()
                        && t.predicate == rdf_type
                        && t.object == Term::from(at(ns::DCAT, class))
                })
            };
            let link = if is_a("Dataset") || is_a("DatasetSeries") {
                "dataset"
            } else if is_a("DataService") {
                "service"
            } else if is_a("Catalog") {
                "catalog"
            } else {
                "resource"
            };
            add(&catalog, at(ns::DCAT, link), resource.into());
        }
        for record in records {
            out.extend(record.triples.iter().cloned());
        }
        out
    }
}
