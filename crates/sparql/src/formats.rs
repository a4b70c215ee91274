//! The serialisations of query answers and their media types.

use oxigraph::sparql::results::QueryResultsFormat;
use oxrdfio::{JsonLdProfileSet, RdfFormat};

/// A serialisation of solutions (SELECT) and booleans (ASK).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsFormat {
    /// `application/sparql-results+json`
    Json,
    /// `application/sparql-results+xml`
    Xml,
    /// `text/csv`
    Csv,
    /// `text/tab-separated-values`
    Tsv,
}

impl ResultsFormat {
    /// Every format, the default first.
    pub const ALL: [ResultsFormat; 4] = [
        ResultsFormat::Json,
        ResultsFormat::Xml,
        ResultsFormat::Csv,
        ResultsFormat::Tsv,
    ];

    /// The media type answered.
    pub fn media_type(self) -> &'static str {
        match self {
            ResultsFormat::Json => "application/sparql-results+json",
            ResultsFormat::Xml => "application/sparql-results+xml",
            ResultsFormat::Csv => "text/csv; charset=utf-8",
            ResultsFormat::Tsv => "text/tab-separated-values; charset=utf-8",
        }
    }

    /// The media types and `format=` names that select this format.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            ResultsFormat::Json => &[
                "application/sparql-results+json",
                "application/json",
                "json",
            ],
            ResultsFormat::Xml => &[
                "application/sparql-results+xml",
                "application/xml",
                "text/xml",
                "xml",
            ],
            ResultsFormat::Csv => &["text/csv", "csv"],
            ResultsFormat::Tsv => &["text/tab-separated-values", "tsv"],
        }
    }

    /// CSV and TSV cannot carry a boolean.
    pub fn carries_booleans(self) -> bool {
        matches!(self, ResultsFormat::Json | ResultsFormat::Xml)
    }

    pub(crate) fn oxigraph(self) -> QueryResultsFormat {
        match self {
            ResultsFormat::Json => QueryResultsFormat::Json,
            ResultsFormat::Xml => QueryResultsFormat::Xml,
            ResultsFormat::Csv => QueryResultsFormat::Csv,
            ResultsFormat::Tsv => QueryResultsFormat::Tsv,
        }
    }
}

/// A serialisation of triples (CONSTRUCT and DESCRIBE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    /// `text/turtle`
    Turtle,
    /// `application/n-triples`
    NTriples,
    /// `application/rdf+xml`
    RdfXml,
    /// `application/ld+json`
    JsonLd,
}

impl GraphFormat {
    /// Every format, the default first.
    pub const ALL: [GraphFormat; 4] = [
        GraphFormat::Turtle,
        GraphFormat::NTriples,
        GraphFormat::RdfXml,
        GraphFormat::JsonLd,
    ];

    /// The media type answered.
    pub fn media_type(self) -> &'static str {
        match self {
            GraphFormat::Turtle => "text/turtle; charset=utf-8",
            GraphFormat::NTriples => "application/n-triples",
            GraphFormat::RdfXml => "application/rdf+xml",
            GraphFormat::JsonLd => "application/ld+json",
        }
    }

    /// The media types and `format=` names that select this format.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            GraphFormat::Turtle => &["text/turtle", "application/x-turtle", "turtle", "ttl"],
            GraphFormat::NTriples => &["application/n-triples", "text/plain", "ntriples", "nt"],
            GraphFormat::RdfXml => &[
                "application/rdf+xml",
                "application/xml",
                "text/xml",
                "rdfxml",
                "rdf",
                "xml",
            ],
            GraphFormat::JsonLd => &["application/ld+json", "application/json", "jsonld", "json"],
        }
    }

    /// The file extension of this format (`ttl`, `nt`, `rdf`, `jsonld`).
    pub fn extension(self) -> &'static str {
        match self {
            GraphFormat::Turtle => "ttl",
            GraphFormat::NTriples => "nt",
            GraphFormat::RdfXml => "rdf",
            GraphFormat::JsonLd => "jsonld",
        }
    }

    /// The `oxrdfio` format.
    pub fn rdf_format(self) -> RdfFormat {
        match self {
            GraphFormat::Turtle => RdfFormat::Turtle,
            GraphFormat::NTriples => RdfFormat::NTriples,
            GraphFormat::RdfXml => RdfFormat::RdfXml,
            GraphFormat::JsonLd => RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
        }
    }
}
