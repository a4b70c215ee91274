//! Metadata records found in XML answers (CSW `GetRecords`, OAI-PMH `ListRecords`) made into
//! a page of RDF: each record is mapped on its own ([`crate::iso`], [`crate::dc_map`], or an
//! embedded RDF/XML document), so one record that cannot be read is reported and skipped and
//! the others are kept.

use std::sync::Arc;

use oxrdf::NamedNode;
use oxrdfio::{RdfFormat, RdfParser};
use url::Url;

use crate::body::PageBody;
use crate::dc_map::map_dc_record;
use crate::fetch::Fetched;
use crate::iso::{map_record, table, RecordContext};
use crate::page::Page;
use crate::rdf_out::Graph;
use crate::xml::Element;

/// Whether an element is a metadata record this module reads.
pub fn is_record(element: &Element) -> bool {
    element.is("gmd:MD_Metadata")
        || element.is("gmi:MI_Metadata")
        || element.is("csw:Record")
        || element.is("csw:SummaryRecord")
        || element.is("csw:BriefRecord")
        || element.is("oai_dc:dc")
        || element.is("rdf:RDF")
}

/// Records of one answer, mapped as they come.
pub struct RecordPage {
    graph: Graph,
    source_id: String,
    /// Records mapped.
    pub records: u64,
    /// Records that could not be read (the reason, with the record's identifier).
    pub errors: Vec<String>,
    /// The resources mapped, in order.
    pub resources: Vec<NamedNode>,
}

impl RecordPage {
    /// An empty page for `source_id`.
    pub fn new(source_id: &str) -> RecordPage {
        RecordPage {
            graph: Graph::default(),
            source_id: source_id.to_owned(),
            records: 0,
            errors: Vec::new(),
            resources: Vec::new(),
        }
    }

    /// Maps one record; `identifier` is the protocol's own (OAI-PMH header), `original` the
    /// URL that returns this record alone.
    pub fn add(&mut self, record: &Element, identifier: Option<&str>, original: Option<Url>) {
        let n = self.records + self.errors.len() as u64;
        self.graph.start_record(&format!("r{n}"));
        let mark = self.graph.mark();
        let mapped = if record.is("gmd:MD_Metadata") || record.is("gmi:MI_Metadata") {
            table::builtin().and_then(|table| {
                let context = RecordContext {
                    source_id: &self.source_id,
                    identifier,
                    original,
                };
                map_record(record, &context, table, &mut self.graph).map(|m| m.iri)
            })
        } else if record.is("rdf:RDF") {
            self.embedded_rdf(record)
        } else {
            map_dc_record(
                record,
                &self.source_id,
                identifier,
                original.as_ref(),
                &mut self.graph,
            )
            .map(|m| m.iri)
        };
        match mapped {
            Ok(iri) => {
                self.records += 1;
                self.resources.push(iri);
            }
            Err(message) => {
                self.graph.undo_to(mark);
                let named = identifier
                    .map(str::to_owned)
                    .or_else(|| record_identifier(record))
                    .unwrap_or_else(|| format!("record {}", n + 1));
                self.errors.push(format!("{named}: {message}; skipped"));
            }
        }
    }

    /// An RDF/XML document inside the answer, re-read by the RDF/XML parser.
    fn embedded_rdf(&mut self, record: &Element) -> Result<NamedNode, String> {
        let xml = record.to_xml();
        let mut first = None;
        for quad in RdfParser::from_format(RdfFormat::RdfXml).for_reader(xml.as_bytes()) {
            let quad = quad.map_err(|e| format!("embedded RDF/XML: {e}"))?;
            if first.is_none() {
                if let oxrdf::NamedOrBlankNode::NamedNode(subject) = &quad.subject {
                    first = Some(subject.clone());
                }
            }
            let subject: oxrdf::NamedOrBlankNode = match quad.subject {
                oxrdf::NamedOrBlankNode::BlankNode(b) => {
                    oxrdf::BlankNode::new_unchecked(format!("r{}x{}", self.records, b.as_str()))
                        .into()
                }
                named => named,
            };
            let object: oxrdf::Term = match quad.object {
                oxrdf::Term::BlankNode(b) => {
                    oxrdf::BlankNode::new_unchecked(format!("r{}x{}", self.records, b.as_str()))
                        .into()
                }
                other => other,
            };
            self.graph.add(&subject, quad.predicate, object);
        }
        first.ok_or_else(|| "embedded RDF/XML describes no named resource".to_owned())
    }

    /// The page to hand on: the mapped records as N-Triples, the errors as record errors.
    pub fn into_page(self, fetched: Fetched, mut notes: Vec<String>) -> Page {
        let ntriples = self.graph.into_ntriples();
        if self.records == 0 && self.errors.is_empty() {
            notes.retain(|n| !n.is_empty());
        }
        Page {
            url: fetched.url,
            body: PageBody::Memory(Arc::new(ntriples.into_bytes())),
            format: RdfFormat::NTriples,
            bytes: fetched.bytes,
            validators: fetched.validators,
            notes,
            record_errors: self.errors,
            deleted: Vec::new(),
            participants: crate::page::Participants::default(),
            listed: None,
        }
    }
}

/// A record's own identifier, for reports.
pub fn record_identifier(record: &Element) -> Option<String> {
    record
        .value("gmd:fileIdentifier/*")
        .or_else(|| record.value("dc:identifier"))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::parse_document;

    #[test]
    fn an_embedded_rdf_xml_record_is_read_as_rdf_and_a_record_without_identifier_is_reported() {
        let rdf = parse_document(
            br#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
                 <dcat:Dataset rdf:about="https://data.example.org/ds/1"><dct:title xml:lang="en">Air</dct:title>
                 <dct:publisher><rdf:Description><dct:title>City</dct:title></rdf:Description></dct:publisher></dcat:Dataset></rdf:RDF>"#,
        )
        .expect("xml");
        let dc = parse_document(
            br#"<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>No id</dc:title></oai_dc:dc>"#,
        )
        .expect("xml");
        let mut page = RecordPage::new("s");
        page.add(&rdf, Some("oai:x:1"), None);
        page.add(&dc, None, None);
        assert_eq!(page.records, 1, "{:?}", page.errors);
        assert_eq!(page.resources[0].as_str(), "https://data.example.org/ds/1");
        assert_eq!(page.errors.len(), 1);
        assert!(
            page.errors[0].contains("no dc:identifier"),
            "{:?}",
            page.errors
        );
        let text = page.graph.into_ntriples();
        assert!(text.contains("\"Air\"@en"), "{text}");
        assert!(
            !text.contains("No id"),
            "a skipped record leaves nothing: {text}"
        );
    }
}
