//! `dsp` sources: a Dataspace Protocol (2025-1) connector's catalog. Every request POSTs a
//! `CatalogRequestMessage` (`application/json`) to the source's URL, its
//! `…/catalog/request`; the answer's `Link: <…>; rel="next"` header gives the next page, to
//! which the same message is POSTed.
//!
//! An answer is read as JSON-LD (the DSP context is shipped, see `ldtcat_model::contexts`) and
//! must hold a `dcat:Catalog` at its top. Datasets inside nested catalogs (`dcat:catalog`, a
//! federated catalog) are records like the others. A nested catalog that lists no dataset of
//! its own but names a `DataService` is read from that service's endpoint
//! (`{endpointURL}/catalog/request`) when it is on the source's host; elsewhere it is noted and
//! not read (the harvester contacts only configured hosts). Every resource a catalog lists
//! gets that catalog's `participantId`, or its parent's ([`crate::Participants`]); the offers
//! (`odrl:hasPolicy`) stay in each dataset's description as the connector gave them. Only the
//! resources a catalog lists (`dcat:dataset`, `dcat:service`) become records
//! ([`crate::Page::listed`]): a `DataService` written inside a distribution is part of that
//! dataset, and its own record comes from the page that lists it.

use std::collections::{HashMap, HashSet, VecDeque};

use ldtcat_config::SourceConfig;
use ldtcat_model::ParseReport;
use ldtcat_vocab::ns;
use oxrdf::{NamedOrBlankNode, Term};
use url::Url;

use crate::fetch::Fetched;
use crate::kinds::{PageRequest, SourceReader};
use crate::link::link_targets;
use crate::page::{rdf_page, Page, Participants};
use crate::pager::PagerEvent;
use crate::HarvestError;

/// The DSP 2025-1 context.
const DSP_CONTEXT: &str = "https://w3id.org/dspace/2025/1/context.jsonld";

/// Where a DSP harvest is.
pub struct DspReader {
    next: Option<Url>,
    /// Sub-catalogs to read after the pages of the current one.
    sub_catalogs: VecDeque<Url>,
    queued: HashSet<String>,
    source: Url,
    message: Vec<u8>,
}

impl DspReader {
    /// A reader at the source's catalog endpoint.
    pub fn new(source: &SourceConfig) -> DspReader {
        let message = serde_json::json!({
            "@context": [DSP_CONTEXT],
            "@type": "CatalogRequestMessage",
            "filter": [],
        });
        DspReader {
            next: Some(source.url.clone()),
            sub_catalogs: VecDeque::new(),
            queued: HashSet::from([source.url.to_string()]),
            source: source.url.clone(),
            message: message.to_string().into_bytes(),
        }
    }

    fn page(&mut self, fetched: Fetched) -> Result<Page, HarvestError> {
        let links = fetched.links.clone();
        let mut page = rdf_page(fetched, Some("application/ld+json"))?;
        let shape = CatalogShape::read(&page)?;
        if shape.roots.is_empty() {
            return Err(HarvestError::Unexpected {
                url: page.url.to_string(),
                message: match shape.types.first() {
                    Some(found) => format!("not a DSP Catalog: the answer is a {found}"),
                    None => "not a DSP Catalog: no dcat:Catalog in the answer".to_owned(),
                },
            });
        }
        page.participants = shape.participants();
        page.listed = Some(shape.listed.values().flatten().cloned().collect());
        for endpoint in shape.sub_catalog_endpoints() {
            let same_host = endpoint.origin() == self.source.origin();
            let Ok(request_url) = Url::parse(&format!(
                "{}/catalog/request",
                endpoint.as_str().trim_end_matches('/')
            )) else {
                continue;
            };
            if !same_host {
                page.notes.push(format!(
                    "{}: nested catalog at {endpoint} is on another host: not read",
                    page.url
                ));
            } else if self.queued.insert(request_url.to_string()) {
                self.sub_catalogs.push_back(request_url);
            }
        }
        let next = link_targets(&links, "next", &page.url);
        if next.len() > 1 {
            page.notes.push(format!(
                "{}: {} next links; following the first",
                page.url,
                next.len()
            ));
        }
        self.next = next.into_iter().next();
        Ok(page)
    }
}

impl SourceReader for DspReader {
    fn accept(&self) -> String {
        "application/json, application/ld+json;q=0.9".to_owned()
    }

    fn honours_format(&self) -> bool {
        false
    }

    fn next_request(&mut self) -> Option<PageRequest> {
        let url = self.next.take().or_else(|| self.sub_catalogs.pop_front())?;
        Some(PageRequest::post(
            url,
            self.message.clone(),
            "application/json",
        ))
    }

    fn read(&mut self, fetched: Fetched) -> PagerEvent {
        match self.page(fetched) {
            Ok(page) => PagerEvent::Page(page),
            Err(error) => PagerEvent::failed(error),
        }
    }

    /// A failed page of a sub-catalog does not stop the others.
    fn after_failure(&mut self) -> bool {
        !self.sub_catalogs.is_empty()
    }

    fn next_url(&self) -> Option<&Url> {
        self.next.as_ref()
    }
}

/// What a catalog answer says about its catalogs: which are on top, which nest in which,
/// what each lists, and who publishes it.
#[derive(Default)]
struct CatalogShape {
    catalogs: HashSet<String>,
    roots: Vec<String>,
    types: Vec<String>,
    parent: HashMap<String, String>,
    participant: HashMap<String, String>,
    /// Catalog → the resources it lists (`dcat:dataset`, `dcat:service`).
    listed: HashMap<String, Vec<String>>,
    datasets: HashSet<String>,
    services: HashMap<String, Vec<String>>,
    endpoints: HashMap<String, String>,
}

fn key(node: &NamedOrBlankNode) -> String {
    match node {
        NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

fn term_key(term: &Term) -> Option<String> {
    match term {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        Term::BlankNode(b) => Some(format!("_:{}", b.as_str())),
        _ => None,
    }
}

impl CatalogShape {
    /// Reads the page's statements (a syntax error fails the page).
    fn read(page: &Page) -> Result<CatalogShape, HarvestError> {
        let mut shape = CatalogShape::default();
        let (rdf_type, catalog) = (format!("{}type", ns::RDF), format!("{}Catalog", ns::DCAT));
        let (dataset, service) = (
            format!("{}dataset", ns::DCAT),
            format!("{}service", ns::DCAT),
        );
        let nested = format!("{}catalog", ns::DCAT);
        let endpoint = format!("{}endpointURL", ns::DCAT);
        let participant = format!("{}participantId", ns::DSPACE);
        let mut report = ParseReport::default();
        let document = page.document();
        document
            .for_each_quad(&mut report, |quad| {
                let subject = key(&quad.subject);
                let predicate = quad.predicate.as_str();
                let object = &quad.object;
                if predicate == rdf_type {
                    if let Term::NamedNode(class) = object {
                        if class.as_str() == catalog {
                            shape.catalogs.insert(subject.clone());
                        } else if shape.types.len() < 3 {
                            shape.types.push(class.as_str().to_owned());
                        }
                    }
                } else if predicate == nested {
                    if let Some(child) = term_key(object) {
                        shape.parent.insert(child, subject);
                    }
                } else if predicate == dataset || predicate == service {
                    if let Some(listed) = term_key(object) {
                        if predicate == dataset {
                            shape.datasets.insert(subject.clone());
                        } else {
                            shape
                                .services
                                .entry(subject.clone())
                                .or_default()
                                .push(listed.clone());
                        }
                        shape.listed.entry(subject).or_default().push(listed);
                    }
                } else if predicate == participant {
                    let value = match object {
                        Term::NamedNode(n) => n.as_str().to_owned(),
                        Term::Literal(l) => l.value().to_owned(),
                        other => other.to_string(),
                    };
                    shape.participant.insert(subject, value);
                } else if predicate == endpoint {
                    let value = match object {
                        Term::NamedNode(n) => n.as_str().to_owned(),
                        Term::Literal(l) => l.value().to_owned(),
                        other => other.to_string(),
                    };
                    shape.endpoints.insert(subject, value);
                }
                Ok(())
            })
            .map_err(|error| HarvestError::Unexpected {
                url: page.url.to_string(),
                message: format!("the catalog does not parse as JSON-LD: {error}"),
            })?;
        let mut roots: Vec<String> = shape
            .catalogs
            .iter()
            .filter(|c| !shape.parent.contains_key(*c))
            .cloned()
            .collect();
        roots.sort();
        shape.roots = roots;
        Ok(shape)
    }

    /// The participant of a catalog: its own, else its nearest ancestor's.
    fn participant_of(&self, catalog: &str) -> Option<&String> {
        let mut current = catalog;
        for _ in 0..64 {
            if let Some(participant) = self.participant.get(current) {
                return Some(participant);
            }
            current = self.parent.get(current)?;
        }
        None
    }

    fn participants(&self) -> Participants {
        let mut participants = Participants {
            page: self
                .roots
                .iter()
                .find_map(|root| self.participant_of(root).cloned()),
            ..Participants::default()
        };
        for (catalog, listed) in &self.listed {
            if let Some(participant) = self.participant_of(catalog) {
                for resource in listed.iter().filter(|r| !r.starts_with("_:")) {
                    participants
                        .by_resource
                        .entry(resource.clone())
                        .or_insert_with(|| participant.clone());
                }
            }
        }
        participants
    }

    /// The endpoints of nested catalogs that list no dataset themselves.
    fn sub_catalog_endpoints(&self) -> Vec<Url> {
        let mut endpoints: Vec<Url> = self
            .parent
            .keys()
            .filter(|catalog| self.catalogs.contains(*catalog) && !self.datasets.contains(*catalog))
            .flat_map(|catalog| self.services.get(catalog).into_iter().flatten())
            .filter_map(|service| self.endpoints.get(service))
            .filter_map(|endpoint| Url::parse(endpoint).ok())
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .collect();
        endpoints.sort();
        endpoints.dedup();
        endpoints
    }
}
