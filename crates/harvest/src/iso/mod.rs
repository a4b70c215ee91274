//! ISO 19139 records (`gmd:MD_Metadata`, `gmi:MI_Metadata`) to GeoDCAT-AP, following SEMIC's
//! `iso-19139-to-dcat-ap.xsl` (core profile) where it decides a case.
//!
//! The simple element-to-property mappings are data (`vocab/iso19139-mapping.ttl`, read by
//! [`table`]); the structured parts are code: extents, dates and keywords in [`parts`],
//! responsible parties, online resources, constraints, conformity, reference systems and
//! resolution in [`resources`].
//!
//! The resource is an IRI when the citation names an http(s) identifier (SEMIC's rule: the
//! first `codeSpace` + `code`, or `code`, that is an http(s) URL), else ldtcat's record IRI
//! from the record identifier ([`crate::rdf_out::record_iri`]). Each resource carries, with
//! `foaf:isPrimaryTopicOf`, a `dcat:CatalogRecord` node describing the ISO record (metadata
//! date, language, file identifier, standard) whose `dct:source` is the URL that returns
//! the original ISO XML (the CSW `GetRecordById` or OAI-PMH `GetRecord` request), so that
//! nothing the mapping leaves out is lost.

pub mod parts;
pub mod resources;
pub mod table;

use ldtcat_vocab::ns;
use oxrdf::{Literal, NamedNode, NamedOrBlankNode, Term};
use url::Url;

use crate::rdf_out::{date_literal, http_iri, iri, record_iri, text_literal, Graph};
use crate::xml::Element;
use table::{MappingTable, Subject, ValueKind};

/// ISO 19139's namespace (CSW `outputSchema`, OAI-PMH metadata namespace).
pub const ISO19139_NAMESPACE: &str = "http://www.isotc211.org/2005/gmd";

/// Where a record comes from.
#[derive(Debug, Clone)]
pub struct RecordContext<'a> {
    /// The harvest source (for record IRIs).
    pub source_id: &'a str,
    /// The record's identifier at the source when the protocol gives one (OAI-PMH header).
    pub identifier: Option<&'a str>,
    /// The URL that returns the original record.
    pub original: Option<Url>,
}

/// What a mapped record is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    /// The resource's IRI.
    pub iri: NamedNode,
    /// Its DCAT class.
    pub class: NamedNode,
}

/// The state of one record's mapping.
pub struct IsoRecord<'a> {
    /// The metadata root.
    pub root: &'a Element,
    /// The table.
    pub table: &'a MappingTable,
    /// The resource.
    pub resource: NamedOrBlankNode,
    /// The catalogue record node.
    pub record: NamedOrBlankNode,
    /// The metadata language as a BCP 47 tag.
    pub language: Option<String>,
    /// `dataset`, `series` or `service`.
    pub scope: String,
}

impl IsoRecord<'_> {
    /// A literal in the metadata language.
    pub fn text(&self, value: &str) -> Term {
        text_literal(value, self.language.as_deref())
    }

    /// Whether the resource is a service.
    pub fn is_service(&self) -> bool {
        self.scope == "service"
    }
}

/// The identification section (`MD_DataIdentification`, `SV_ServiceIdentification`, …).
pub fn identification(root: &Element) -> Option<&Element> {
    root.select("gmd:identificationInfo/*").into_iter().next()
}

fn resource_uri(root: &Element) -> Option<NamedNode> {
    let identification = identification(root)?;
    for identifier in identification.select("gmd:citation/*/gmd:identifier/*") {
        let code = identifier
            .value("gmd:code/gmx:Anchor/@href")
            .or_else(|| identifier.value("gmd:code/*"));
        let code_space = identifier.value("gmd:codeSpace/*");
        let candidate = match (code_space, code) {
            (Some(space), Some(code)) => format!("{space}{code}"),
            (None, Some(code)) => code.to_owned(),
            _ => continue,
        };
        if let Some(iri) = http_iri(&candidate) {
            return Some(iri);
        }
    }
    None
}

fn scope_of(root: &Element) -> String {
    let declared = root
        .value("gmd:hierarchyLevel/gmd:MD_ScopeCode/@codeListValue")
        .or_else(|| root.value("gmd:hierarchyLevel/gmd:MD_ScopeCode"));
    let is_service_identification =
        identification(root).is_some_and(|i| i.is("srv:SV_ServiceIdentification"));
    match declared {
        Some(scope) if ["dataset", "series", "service"].contains(&scope) => scope.to_owned(),
        _ if is_service_identification => "service".to_owned(),
        _ => "dataset".to_owned(),
    }
}

/// Maps one ISO record into `graph`; an error when it names no identifier at all (no
/// resource IRI can be given to it).
pub fn map_record(
    root: &Element,
    context: &RecordContext<'_>,
    table: &MappingTable,
    graph: &mut Graph,
) -> Result<Mapped, String> {
    let file_identifier = root.value("gmd:fileIdentifier/*");
    let resource_iri = match resource_uri(root) {
        Some(found) => found,
        None => {
            let key = context.identifier.or(file_identifier).ok_or_else(|| {
                "no gmd:fileIdentifier and no http(s) resource identifier".to_owned()
            })?;
            record_iri(context.source_id, key)
        }
    };
    let scope = scope_of(root);
    let class = table
        .resource_types
        .get(&scope)
        .cloned()
        .unwrap_or_else(|| iri(ns::DCAT, "Dataset"));
    let language = root
        .value("gmd:language/gmd:LanguageCode/@codeListValue")
        .or_else(|| root.value("gmd:language/*"))
        .and_then(|code| table.languages.get(&code.to_lowercase()))
        .map(|(_, tag)| tag.clone());
    let resource: NamedOrBlankNode = resource_iri.clone().into();
    let record = IsoRecord {
        root,
        table,
        resource: resource.clone(),
        record: graph.blank(),
        language,
        scope,
    };
    graph.add(&resource, iri_of(ns::RDF, "type"), class.clone());
    catalog_record(&record, context, graph);
    for mapping in &table.elements {
        apply_mapping(&record, mapping, graph);
    }
    parts::dates(&record, graph);
    parts::keywords(&record, graph);
    parts::extents(&record, graph);
    resources::parties(&record, graph);
    resources::online_resources(&record, graph);
    resources::conformity(&record, graph);
    resources::reference_systems(&record, graph);
    resources::spatial_resolution(&record, graph);
    Ok(Mapped {
        iri: resource_iri,
        class,
    })
}

fn iri_of(namespace: &str, local: &str) -> NamedNode {
    iri(namespace, local)
}

fn catalog_record(record: &IsoRecord<'_>, context: &RecordContext<'_>, graph: &mut Graph) {
    let node = record.record.clone();
    graph.add(
        &record.resource,
        iri(ns::FOAF, "isPrimaryTopicOf"),
        node.clone(),
    );
    graph.typed(&node, ns::DCAT, "CatalogRecord");
    graph.add(
        &node,
        iri(ns::FOAF, "primaryTopic"),
        record.resource.clone(),
    );
    let standard = graph.blank();
    graph.add(&node, iri(ns::DCT, "conformsTo"), standard.clone());
    graph.typed(&standard, ns::DCT, "Standard");
    let name = record
        .root
        .value("gmd:metadataStandardName/*")
        .unwrap_or("ISO 19139");
    graph.add(
        &standard,
        iri(ns::DCT, "title"),
        Literal::new_simple_literal(name),
    );
    if let Some(version) = record.root.value("gmd:metadataStandardVersion/*") {
        graph.add(
            &standard,
            iri("http://www.w3.org/2002/07/owl#", "versionInfo"),
            Literal::new_simple_literal(version),
        );
    }
    if let Some(original) = context.original.as_ref().and_then(|u| http_iri(u.as_str())) {
        graph.add(&node, iri(ns::DCT, "source"), original.clone());
        let original: NamedOrBlankNode = original.into();
        graph.add(
            &original,
            iri(ns::DCT, "format"),
            iri(
                "http://publications.europa.eu/resource/authority/file-type/",
                "XML",
            ),
        );
        graph.add(
            &original,
            iri(ns::DCT, "conformsTo"),
            NamedNode::new_unchecked(ISO19139_NAMESPACE),
        );
    }
}

/// Applies one element mapping of the table.
fn apply_mapping(record: &IsoRecord<'_>, mapping: &table::ElementMapping, graph: &mut Graph) {
    let subject = match mapping.subject {
        Subject::Resource => record.resource.clone(),
        Subject::Record => record.record.clone(),
    };
    let values: Vec<&str> = match mapping.value {
        // A code element carries its value in codeListValue, its text a label.
        ValueKind::Language | ValueKind::Code(_) if !mapping.path.contains('@') => record
            .root
            .select(&mapping.path)
            .into_iter()
            .filter_map(|e| e.attribute("codeListValue").or_else(|| e.text()))
            .collect(),
        _ => record.root.values(&mapping.path),
    };
    for value in values {
        let term: Option<Term> = match &mapping.value {
            ValueKind::Text => Some(record.text(value)),
            ValueKind::PlainText => Some(Literal::new_simple_literal(value).into()),
            ValueKind::Date => Some(date_literal(value)),
            ValueKind::Language => record
                .table
                .languages
                .get(&value.to_lowercase())
                .map(|(concept, _)| concept.clone().into()),
            ValueKind::Code(base) => NamedNode::new(format!("{base}{}", value.trim()))
                .ok()
                .map(Into::into),
            ValueKind::Iri => http_iri(value).map(Into::into),
            ValueKind::Frequency => record
                .table
                .frequencies
                .get(value)
                .map(|concept| concept.clone().into()),
            ValueKind::Statement(class) => {
                let node = graph.blank();
                graph.add(&node, iri(ns::RDF, "type"), class.clone());
                graph.add(&node, iri(ns::RDFS, "label"), record.text(value));
                Some(node.into())
            }
        };
        if let Some(term) = term {
            graph.add(&subject, mapping.property.clone(), term);
        }
    }
}
