//! The SPARQL 1.1 Service Description of `/sparql`, answered to a GET without a query.

use ldtcat_sparql::{GraphFormat, ResultsFormat, SparqlLimits};

/// The description in Turtle: endpoint, language, result formats, the union default graph,
/// and the limits (as `rdfs:comment`).
pub(crate) fn service_description(endpoint: &str, limits: SparqlLimits) -> String {
    let formats: Vec<&str> = [
        "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
        "http://www.w3.org/ns/formats/SPARQL_Results_XML",
        "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
        "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
        "http://www.w3.org/ns/formats/Turtle",
        "http://www.w3.org/ns/formats/N-Triples",
        "http://www.w3.org/ns/formats/RDF_XML",
        "http://www.w3.org/ns/formats/JSON-LD",
    ]
    .to_vec();
    debug_assert_eq!(
        formats.len(),
        ResultsFormat::ALL.len() + GraphFormat::ALL.len()
    );
    let formats = formats
        .iter()
        .map(|f| format!("<{f}>"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n\
         @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n\
         <{endpoint}> a sd:Service ;\n  \
           sd:endpoint <{endpoint}> ;\n  \
           sd:supportedLanguage sd:SPARQL11Query ;\n  \
           sd:feature sd:UnionDefaultGraph ;\n  \
           sd:resultFormat {formats} ;\n  \
           rdfs:comment \"Read-only. Queries stop after {timeout} s and return at most {rows} rows (a cut answer carries the response header ldtcat-results-truncated). A top-level ORDER BY sorts at most {sort} solutions. SERVICE is refused.\"@en ;\n  \
           sd:defaultDataset [ a sd:Dataset ;\n    \
             sd:defaultGraph [ a sd:Graph ; rdfs:comment \"The union of the record graphs (urn:ldtcat:record:ID), of <urn:ldtcat:catalog> (CatalogRecords with provenance) and of the deletion notices and harvest run reports.\"@en ] ;\n    \
             sd:namedGraph [ a sd:NamedGraph ; sd:name <urn:ldtcat:catalog> ]\n  \
           ] .\n",
        timeout = limits.timeout.as_secs(),
        rows = limits.max_rows,
        sort = limits.max_sort_rows,
    )
}
