//! The parts of a record mapped back one by one: themes, contacts, dates, rights, the
//! temporal extent and languages.

use ldtcat_vocab::ns;
use oxrdf::{Literal, NamedNode, NamedOrBlankNode};
use serde_json::Value;

use super::{array_of, iri, node, text_of, Writer, LITERAL_THEME_SCHEME};

pub(super) fn map_themes(
    writer: &mut Writer,
    resource: &NamedOrBlankNode,
    properties: &Value,
    lang: Option<&str>,
) {
    let skos = |local: &str| iri(ns::SKOS, local);
    for theme in array_of(properties, "themes") {
        let scheme = text_of(theme, "scheme");
        for concept in array_of(theme, "concepts") {
            let concept_iri = text_of(concept, "url")
                .and_then(node)
                .or_else(|| text_of(concept, "id").and_then(node));
            let (Some(id), scheme) = (text_of(concept, "id"), scheme) else {
                continue;
            };
            if concept_iri.is_none() && scheme == Some(LITERAL_THEME_SCHEME) {
                writer.text(resource, iri(ns::DCAT, "theme"), id, None);
                continue;
            }
            let subject = writer.node_or_blank(concept_iri.as_ref().map(NamedNode::as_str));
            writer.add(resource, iri(ns::DCAT, "theme"), subject.clone());
            writer.add(&subject, iri(ns::RDF, "type"), skos("Concept"));
            if let Some(scheme) = scheme
                .and_then(node)
                .filter(|s| s.as_str() != LITERAL_THEME_SCHEME)
            {
                writer.add(&subject, skos("inScheme"), scheme);
            }
            match (text_of(concept, "title"), &concept_iri) {
                (Some(title), _) => writer.text(&subject, skos("prefLabel"), title, lang),
                (None, None) => writer.text(&subject, skos("prefLabel"), id, None),
                (None, Some(_)) => {}
            }
            if concept_iri.is_none() {
                writer.text(&subject, skos("notation"), id, None);
            }
        }
    }
}

pub(super) fn map_contacts(writer: &mut Writer, resource: &NamedOrBlankNode, properties: &Value) {
    for contact in array_of(properties, "contacts") {
        let roles: Vec<&str> = array_of(contact, "roles")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let agent_property = if roles.contains(&"publisher") {
            Some(iri(ns::DCT, "publisher"))
        } else if roles
            .iter()
            .any(|r| matches!(*r, "author" | "creator" | "originator"))
        {
            Some(iri(ns::DCT, "creator"))
        } else {
            None
        };
        let name = text_of(contact, "organization").or_else(|| text_of(contact, "name"));
        let email = array_of(contact, "emails")
            .iter()
            .find_map(|e| text_of(e, "value"));
        let about = array_of(contact, "links")
            .iter()
            .find_map(|l| text_of(l, "href"));
        let subject = writer.node_or_blank(text_of(contact, "identifier"));
        let mailto = email.and_then(|e| node(&format!("mailto:{e}")));
        match agent_property {
            Some(property) => {
                writer.add(resource, property, subject.clone());
                writer.add(&subject, iri(ns::RDF, "type"), iri(ns::FOAF, "Agent"));
                if let Some(name) = name {
                    writer.text(&subject, iri(ns::FOAF, "name"), name, None);
                }
                if let Some(mailto) = mailto {
                    writer.add(&subject, iri(ns::FOAF, "mbox"), mailto);
                }
                if let Some(page) = about.and_then(node) {
                    writer.add(&subject, iri(ns::FOAF, "homepage"), page);
                }
            }
            None => {
                let vcard = |local: &str| iri(ns::VCARD, local);
                writer.add(resource, iri(ns::DCAT, "contactPoint"), subject.clone());
                writer.add(&subject, iri(ns::RDF, "type"), vcard("Kind"));
                if let Some(name) = text_of(contact, "name") {
                    writer.text(&subject, vcard("fn"), name, None);
                }
                if let Some(organization) = text_of(contact, "organization") {
                    writer.text(&subject, vcard("organization-name"), organization, None);
                }
                if let Some(mailto) = mailto {
                    writer.add(&subject, vcard("hasEmail"), mailto);
                }
                let phone = array_of(contact, "phones")
                    .iter()
                    .find_map(|p| text_of(p, "value"));
                if let Some(tel) = phone.and_then(|p| node(&format!("tel:{p}"))) {
                    writer.add(&subject, vcard("hasTelephone"), tel);
                }
                if let Some(page) = about.and_then(node) {
                    writer.add(&subject, vcard("hasURL"), page);
                }
            }
        }
    }
}

/// A date (`xsd:date`) or time (`xsd:dateTime`) literal, or a plain one when it is neither.
fn temporal_literal(text: &str) -> Literal {
    let text = text.trim();
    if chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() {
        Literal::new_typed_literal(text, iri(ns::XSD, "date"))
    } else if chrono::DateTime::parse_from_rfc3339(text).is_ok() {
        Literal::new_typed_literal(text, iri(ns::XSD, "dateTime"))
    } else {
        Literal::new_simple_literal(text)
    }
}

pub(super) fn map_dates_and_rights(
    writer: &mut Writer,
    resource: &NamedOrBlankNode,
    properties: &Value,
) {
    if let Some(created) = text_of(properties, "created") {
        writer.add(resource, iri(ns::DCT, "issued"), temporal_literal(created));
    }
    if let Some(updated) = text_of(properties, "updated") {
        writer.add(
            resource,
            iri(ns::DCT, "modified"),
            temporal_literal(updated),
        );
    }
    if let Some(rights) = text_of(properties, "rights") {
        let statement = writer.blank();
        writer.add(resource, iri(ns::DCT, "rights"), statement.clone());
        writer.add(
            &statement,
            iri(ns::RDF, "type"),
            iri(ns::DCT, "RightsStatement"),
        );
        writer.text(&statement, iri(ns::RDFS, "label"), rights, None);
    }
}

pub(super) fn map_time(writer: &mut Writer, resource: &NamedOrBlankNode, time: Option<&Value>) {
    let Some(time) = time.filter(|t| t.is_object()) else {
        return;
    };
    let interval: Vec<&str> = array_of(time, "interval")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let (start, end) = match interval[..] {
        [start, end] => (Some(start), Some(end)),
        _ => {
            let instant = text_of(time, "timestamp").or_else(|| text_of(time, "date"));
            (instant, instant)
        }
    };
    let (start, end) = (open_bound(start), open_bound(end));
    if start.is_none() && end.is_none() {
        return;
    }
    let period = writer.blank();
    writer.add(resource, iri(ns::DCT, "temporal"), period.clone());
    writer.add(&period, iri(ns::RDF, "type"), iri(ns::DCT, "PeriodOfTime"));
    if let Some(start) = start {
        writer.add(&period, iri(ns::DCAT, "startDate"), temporal_literal(start));
    }
    if let Some(end) = end {
        writer.add(&period, iri(ns::DCAT, "endDate"), temporal_literal(end));
    }
}

/// An interval end, `None` when open (`..` or empty).
fn open_bound(bound: Option<&str>) -> Option<&str> {
    bound.map(str::trim).filter(|b| !b.is_empty() && *b != "..")
}

/// The EU language authority IRI of a BCP 47 tag's language.
pub(super) fn language_authority(code: &str) -> Option<NamedNode> {
    const CODES: [(&str, &str); 26] = [
        ("bg", "BUL"),
        ("cs", "CES"),
        ("da", "DAN"),
        ("de", "DEU"),
        ("el", "ELL"),
        ("en", "ENG"),
        ("et", "EST"),
        ("fi", "FIN"),
        ("fr", "FRA"),
        ("ga", "GLE"),
        ("hr", "HRV"),
        ("hu", "HUN"),
        ("it", "ITA"),
        ("lv", "LAV"),
        ("lt", "LIT"),
        ("mt", "MLT"),
        ("nl", "NLD"),
        ("pl", "POL"),
        ("pt", "POR"),
        ("ro", "RON"),
        ("sk", "SLK"),
        ("sl", "SLV"),
        ("es", "SPA"),
        ("sv", "SWE"),
        ("no", "NOR"),
        ("lb", "LTZ"),
    ];
    let primary = code.split('-').next()?.to_ascii_lowercase();
    let three = CODES
        .iter()
        .find(|(two, _)| *two == primary)
        .map(|(_, three)| *three)?;
    node(&format!(
        "http://publications.europa.eu/resource/authority/language/{three}"
    ))
}
