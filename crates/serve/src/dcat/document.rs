//! RDF documents: choosing the syntax (extension, `format`, or `Accept`), writing triples with
//! the usual prefixes, and a record's published document.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ldtcat_store::CatalogStore;
use ldtcat_vocab::ns;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxrdf::Triple;

use crate::error::ServeError;
use crate::negotiate::choose;

/// The RDF syntaxes documents are served in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RdfSyntax {
    Turtle,
    JsonLd,
    RdfXml,
    NTriples,
}

impl RdfSyntax {
    /// Every syntax, in the server's order of preference.
    pub const ALL: [RdfSyntax; 4] = [
        RdfSyntax::Turtle,
        RdfSyntax::JsonLd,
        RdfSyntax::RdfXml,
        RdfSyntax::NTriples,
    ];

    pub fn media_type(self) -> &'static str {
        match self {
            RdfSyntax::Turtle => "text/turtle",
            RdfSyntax::JsonLd => "application/ld+json",
            RdfSyntax::RdfXml => "application/rdf+xml",
            RdfSyntax::NTriples => "application/n-triples",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            RdfSyntax::Turtle => "ttl",
            RdfSyntax::JsonLd => "jsonld",
            RdfSyntax::RdfXml => "rdf",
            RdfSyntax::NTriples => "nt",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            RdfSyntax::Turtle => "text/turtle; charset=utf-8",
            other => other.media_type(),
        }
    }

    fn format(self) -> RdfFormat {
        match self {
            RdfSyntax::Turtle => RdfFormat::Turtle,
            RdfSyntax::JsonLd => RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
            RdfSyntax::RdfXml => RdfFormat::RdfXml,
            RdfSyntax::NTriples => RdfFormat::NTriples,
        }
    }

    /// The syntax of a file extension (`ttl`, `jsonld`, `rdf`, `nt`).
    pub fn from_extension(extension: &str) -> Option<RdfSyntax> {
        RdfSyntax::ALL
            .into_iter()
            .find(|s| s.extension() == extension)
    }

    /// The syntax the client prefers among [`RdfSyntax::ALL`], if any.
    pub fn negotiate(accept: Option<&str>) -> Option<RdfSyntax> {
        let mut offers: Vec<&str> = RdfSyntax::ALL.iter().map(|s| s.media_type()).collect();
        offers.extend([
            "application/x-turtle",
            "application/json",
            "application/xml",
            "text/plain",
        ]);
        choose(accept, &offers).map(|index| match index {
            0..=3 => RdfSyntax::ALL[index],
            4 => RdfSyntax::Turtle,
            5 => RdfSyntax::JsonLd,
            6 => RdfSyntax::RdfXml,
            _ => RdfSyntax::NTriples,
        })
    }

    /// The syntax of a request to `{route}` or `{route}.{extension}`: the extension's, else
    /// the one `Accept` prefers; an unknown extension is a 404, no acceptable syntax a 406.
    pub fn for_request(
        path: &str,
        route: &str,
        headers: &HeaderMap,
    ) -> Result<RdfSyntax, ServeError> {
        match path
            .strip_prefix(route)
            .and_then(|rest| rest.strip_prefix('.'))
        {
            Some(extension) => {
                RdfSyntax::from_extension(extension).ok_or_else(|| ServeError::NoRoute {
                    path: path.to_owned(),
                })
            }
            None => {
                let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
                RdfSyntax::negotiate(accept).ok_or_else(|| ServeError::NotAcceptable {
                    offered: RdfSyntax::ALL
                        .iter()
                        .map(|s| s.media_type())
                        .collect::<Vec<_>>()
                        .join(", "),
                })
            }
        }
    }
}

const PREFIXES: [(&str, &str); 16] = [
    ("dcat", ns::DCAT),
    ("dct", ns::DCT),
    ("foaf", ns::FOAF),
    ("rdf", ns::RDF),
    ("xsd", ns::XSD),
    ("ldt", ns::LDT),
    ("hydra", "http://www.w3.org/ns/hydra/core#"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("adms", "http://www.w3.org/ns/adms#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("it6", "http://data.europa.eu/it6/"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("ldes", ns::LDES),
    ("tree", ns::TREE),
    ("as", ns::ACTIVITY_STREAMS),
    ("ldtkind", ns::LDT_KIND),
];

/// Triples written in `syntax` (with prefixes where the syntax has them), as a response.
pub(crate) fn rdf_response(
    syntax: RdfSyntax,
    triples: &[Triple],
    links: &[String],
) -> Result<Response, ServeError> {
    let mut serializer = RdfSerializer::from_format(syntax.format());
    for (prefix, namespace) in PREFIXES {
        serializer = serializer
            .with_prefix(prefix, namespace)
            .map_err(|error| ServeError::Serialization(error.to_string()))?;
    }
    let mut writer = serializer.for_writer(Vec::new());
    for triple in triples {
        writer
            .serialize_triple(triple)
            .map_err(|error| ServeError::Serialization(error.to_string()))?;
    }
    let body = writer
        .finish()
        .map_err(|error| ServeError::Serialization(error.to_string()))?;
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(syntax.content_type()),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    for link in links {
        if let Ok(value) = HeaderValue::from_str(link) {
            headers.append(header::LINK, value);
        }
    }
    Ok(response)
}

/// Whether a record document carries the record's metadata quality (DQV).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WithQuality {
    Yes,
    No,
}

/// A record's published statements: its graph as harvested, then its CatalogRecord, then
/// (when asked) its quality. `None` for unknown ids and tombstones.
pub(crate) fn record_document(
    store: &CatalogStore,
    id: &str,
    with_quality: WithQuality,
) -> Result<Option<Vec<Triple>>, ServeError> {
    let Some(record) = store.record(id)? else {
        return Ok(None);
    };
    if record.deleted_at.is_some() {
        return Ok(None);
    }
    // The record's own document says its metadata quality, as W3C DQV measurements and
    // annotations; catalogue pages leave it out (harvesters assess what they harvest).
    let quality = match with_quality {
        WithQuality::Yes => {
            crate::quality::dqv_triples(&record.iri, &crate::quality::assess_record(&record))
        }
        WithQuality::No => Vec::new(),
    };
    let mut triples = record.triples;
    triples.extend(store.catalog_record_triples(id)?);
    triples.extend(quality);
    Ok(Some(triples))
}

/// The `Link: rel=alternate` values of a path's RDF versions (`/resources/{id}`).
pub(crate) fn alternate_links(absolute_path: &str) -> Vec<String> {
    RdfSyntax::ALL
        .iter()
        .map(|syntax| {
            format!(
                "<{absolute_path}.{}>; rel=\"alternate\"; type=\"{}\"",
                syntax.extension(),
                syntax.media_type()
            )
        })
        .collect()
}
