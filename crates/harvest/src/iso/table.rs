//! The ISO 19139 mapping table (`vocab/iso19139-mapping.ttl`), read once: the element
//! mappings and the code tables (resource types, date types, roles, frequencies, languages,
//! INSPIRE themes) that the mapper applies.

use std::collections::HashMap;
use std::sync::OnceLock;

use oxrdf::{NamedNode, NamedOrBlankNode, Term, Triple};
use oxrdfio::{RdfFormat, RdfParser};

const LDTX: &str = "https://w3id.org/ldtcat/xml-mapping#";

/// Where a mapped value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The dataset, series or service.
    Resource,
    /// The `dcat:CatalogRecord` describing the original ISO record.
    Record,
}

/// How a value becomes an RDF term (see the table's header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueKind {
    /// A literal in the metadata language.
    Text,
    /// A literal without language.
    PlainText,
    /// `xsd:date` / `xsd:dateTime`.
    Date,
    /// An EU language IRI.
    Language,
    /// A code appended to a base IRI.
    Code(String),
    /// An IRI when the value is an http(s) URL.
    Iri,
    /// A node of a class, labelled with the value.
    Statement(NamedNode),
    /// An EU frequency IRI.
    Frequency,
}

/// One element mapping.
#[derive(Debug, Clone)]
pub struct ElementMapping {
    /// The mapping's IRI (for error messages and documentation).
    pub id: String,
    /// The path below the metadata root.
    pub path: String,
    /// The property.
    pub property: NamedNode,
    /// Its subject.
    pub subject: Subject,
    /// How values are written.
    pub value: ValueKind,
}

/// The whole table.
#[derive(Debug, Default)]
pub struct MappingTable {
    /// Element mappings, in IRI order.
    pub elements: Vec<ElementMapping>,
    /// `MD_ScopeCode` → class.
    pub resource_types: HashMap<String, NamedNode>,
    /// `CI_DateTypeCode` → property.
    pub date_types: HashMap<String, NamedNode>,
    /// `CI_RoleCode` → property.
    pub roles: HashMap<String, NamedNode>,
    /// `MD_MaintenanceFrequencyCode` → concept.
    pub frequencies: HashMap<String, NamedNode>,
    /// ISO 639-2 code (lower case) → EU language concept and BCP 47 tag.
    pub languages: HashMap<String, (NamedNode, String)>,
    /// Thesauri whose keywords are themes with known IRIs: a fragment of the thesaurus
    /// title, and lower-cased labels → concept.
    pub theme_schemes: Vec<(String, HashMap<String, NamedNode>)>,
}

/// The table shipped in `vocab/`, parsed once.
pub fn builtin() -> Result<&'static MappingTable, String> {
    static TABLE: OnceLock<Result<MappingTable, String>> = OnceLock::new();
    TABLE
        .get_or_init(|| parse(ldtcat_vocab::ISO19139_MAPPING_TURTLE))
        .as_ref()
        .map_err(Clone::clone)
}

struct Statements(Vec<Triple>);

impl Statements {
    fn objects<'s>(
        &'s self,
        subject: &'s NamedOrBlankNode,
        local: &'s str,
    ) -> impl Iterator<Item = &'s Term> {
        self.0
            .iter()
            .filter(move |t| {
                &t.subject == subject && t.predicate.as_str().strip_prefix(LDTX) == Some(local)
            })
            .map(|t| &t.object)
    }

    fn text(&self, subject: &NamedOrBlankNode, local: &str) -> Option<String> {
        self.objects(subject, local).find_map(|o| match o {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        })
    }

    fn texts(&self, subject: &NamedOrBlankNode, local: &str) -> Vec<String> {
        self.objects(subject, local)
            .filter_map(|o| match o {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
            .collect()
    }

    fn node(&self, subject: &NamedOrBlankNode, local: &str) -> Option<NamedNode> {
        self.objects(subject, local).find_map(|o| match o {
            Term::NamedNode(n) => Some(n.clone()),
            _ => None,
        })
    }

    fn of_type(&self, class: &str) -> Vec<NamedOrBlankNode> {
        let mut found: Vec<NamedOrBlankNode> = self
            .0
            .iter()
            .filter(|t| {
                t.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
                    && matches!(&t.object, Term::NamedNode(n) if n.as_str().strip_prefix(LDTX) == Some(class))
            })
            .map(|t| t.subject.clone())
            .collect();
        found.sort_by_key(ToString::to_string);
        found
    }
}

/// Parses a mapping table.
pub fn parse(turtle: &str) -> Result<MappingTable, String> {
    let triples: Result<Vec<Triple>, _> = RdfParser::from_format(RdfFormat::Turtle)
        .for_reader(turtle.as_bytes())
        .map(|quad| quad.map(Triple::from))
        .collect();
    let statements = Statements(triples.map_err(|e| format!("mapping table: {e}"))?);
    let mut table = MappingTable::default();
    for mapping in statements.of_type("ElementMapping") {
        table.elements.push(element_mapping(&statements, &mapping)?);
    }
    let codes = |class: &str, value: &str| -> Result<HashMap<String, NamedNode>, String> {
        let mut map = HashMap::new();
        for entry in statements.of_type(class) {
            let target = statements
                .node(&entry, value)
                .ok_or_else(|| format!("mapping table: {entry} has no ldtx:{value}"))?;
            for code in statements.texts(&entry, "code") {
                map.insert(code, target.clone());
            }
        }
        Ok(map)
    };
    table.resource_types = codes("ResourceType", "class")?;
    table.date_types = codes("DateType", "property")?;
    table.roles = codes("Role", "property")?;
    table.frequencies = codes("Frequency", "concept")?;
    for entry in statements.of_type("LanguageCode") {
        let (Some(concept), Some(tag)) = (
            statements.node(&entry, "concept"),
            statements.text(&entry, "tag"),
        ) else {
            return Err(format!(
                "mapping table: {entry} needs ldtx:concept and ldtx:tag"
            ));
        };
        for code in statements.texts(&entry, "code") {
            table
                .languages
                .insert(code.to_lowercase(), (concept.clone(), tag.clone()));
        }
    }
    for scheme in statements.of_type("ThemeScheme") {
        let title = statements
            .text(&scheme, "titleContains")
            .ok_or_else(|| format!("mapping table: {scheme} has no ldtx:titleContains"))?;
        let mut labels = HashMap::new();
        for theme in statements.objects(&scheme, "theme") {
            let theme: NamedOrBlankNode = match theme {
                Term::BlankNode(b) => b.clone().into(),
                Term::NamedNode(n) => n.clone().into(),
                Term::Literal(_) => continue,
            };
            if let (Some(label), Some(concept)) = (
                statements.text(&theme, "label"),
                statements.node(&theme, "concept"),
            ) {
                labels.insert(label.to_lowercase(), concept);
            }
        }
        table.theme_schemes.push((title.to_lowercase(), labels));
    }
    Ok(table)
}

fn element_mapping(
    statements: &Statements,
    mapping: &NamedOrBlankNode,
) -> Result<ElementMapping, String> {
    let missing = |key: &str| format!("mapping table: {mapping} has no ldtx:{key}");
    let path = statements
        .text(mapping, "path")
        .ok_or_else(|| missing("path"))?;
    let property = statements
        .node(mapping, "property")
        .ok_or_else(|| missing("property"))?;
    let subject = match statements
        .node(mapping, "subject")
        .as_ref()
        .and_then(|n| n.as_str().strip_prefix(LDTX))
    {
        Some("Resource") => Subject::Resource,
        Some("Record") => Subject::Record,
        _ => return Err(missing("subject (ldtx:Resource or ldtx:Record)")),
    };
    let kind = statements
        .node(mapping, "value")
        .ok_or_else(|| missing("value"))?;
    let value = match kind.as_str().strip_prefix(LDTX) {
        Some("Text") => ValueKind::Text,
        Some("PlainText") => ValueKind::PlainText,
        Some("Date") => ValueKind::Date,
        Some("Language") => ValueKind::Language,
        Some("Iri") => ValueKind::Iri,
        Some("Frequency") => ValueKind::Frequency,
        Some("Code") => ValueKind::Code(
            statements
                .text(mapping, "codeBase")
                .ok_or_else(|| missing("codeBase"))?,
        ),
        Some("Statement") => ValueKind::Statement(
            statements
                .node(mapping, "nodeClass")
                .ok_or_else(|| missing("nodeClass"))?,
        ),
        _ => {
            return Err(format!(
                "mapping table: {mapping}: unknown value kind {kind}"
            ))
        }
    };
    Ok(ElementMapping {
        id: mapping.to_string(),
        path,
        property,
        subject,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_loads_with_every_part() {
        let table = builtin().expect("loads");
        assert!(table.elements.len() >= 15, "{}", table.elements.len());
        assert!(table
            .elements
            .iter()
            .any(|e| e.path.ends_with("gmd:title/*")));
        assert_eq!(
            table.resource_types.get("service").map(NamedNode::as_str),
            Some("http://www.w3.org/ns/dcat#DataService")
        );
        assert_eq!(
            table.languages.get("gre").map(|(_, tag)| tag.as_str()),
            Some("el")
        );
        let (_, themes) = &table.theme_schemes[0];
        assert_eq!(
            themes.get("orthoimagery").map(NamedNode::as_str),
            Some("http://inspire.ec.europa.eu/theme/oi")
        );
    }

    #[test]
    fn a_mapping_without_a_property_is_an_error_naming_it() {
        let error = parse(
            "@prefix ldtx: <https://w3id.org/ldtcat/xml-mapping#> .\n\
             ldtx:broken a ldtx:ElementMapping ; ldtx:path \"gmd:x\" ; ldtx:subject ldtx:Resource ; ldtx:value ldtx:Text .",
        )
        .expect_err("invalid");
        assert!(
            error.contains("broken") && error.contains("property"),
            "{error}"
        );
    }
}
