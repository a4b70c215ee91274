//! The `Catalog` and `Dataset` messages: a record as a DSP `Dataset`, and a page of them as a
//! `Catalog` naming the participant and ldtcat's own `DataService`.
//!
//! A dataset is the record's resource with every statement of its description (see
//! `jsonld`), `@type` `Dataset` first (added when the resource is of another class: DSP
//! lists every offered resource as a dataset), its offers under `hasPolicy` (see `offer`),
//! and its distributions under `distribution`, each with `@type` `Distribution`, a `format`
//! (its `dct:format` IRI, else the configured default transfer format) and an
//! `accessService` written as a `DataService` with its `endpointURL` (DSP's form, a string):
//! the distribution's own access service when the record or the service's own record gives
//! its endpoint, otherwise ldtcat's service. A resource without distributions gets one of
//! those. What is added rather than read from the record is only that: the `Dataset` and
//! `Distribution` classes, the derived offer, the default format, ldtcat's service, and
//! `endpointURL` strings beside the record's `dcat:endpointURL` IRIs.

use std::collections::HashMap;

use ldtcat_config::DspConfig;
use ldtcat_vocab::ns;
use oxrdf::{Term, Triple};
use serde_json::{json, Map, Value};

use super::jsonld::{
    add_values, insert_types, rdf_type, term_key, type_name, NodeWriter, RecordGraph, DSP_CONTEXT,
};
use super::offer::{derived_offer, own_offers};

/// What every message of one request shares.
pub(crate) struct MessageContext<'c> {
    /// The offer rule and default format.
    pub config: &'c DspConfig,
    /// ldtcat's `DataService`: its IRI and endpoint.
    pub service_iri: String,
    /// The endpoint (the DSP root, where `/catalog/request` is).
    pub service_endpoint: String,
    /// Endpoints of access services described in their own records, by IRI.
    pub endpoints: HashMap<String, String>,
}

impl MessageContext<'_> {
    /// ldtcat's own `DataService`.
    pub(crate) fn service(&self) -> Value {
        json!({
            "@id": self.service_iri,
            "@type": "DataService",
            "endpointURL": self.service_endpoint,
        })
    }
}

/// A record ready to be written.
pub(crate) struct DatasetRecord<'r> {
    /// The record id.
    pub id: &'r str,
    /// The resource IRI.
    pub iri: &'r str,
    /// The record's description.
    pub triples: &'r [Triple],
}

fn dcat(local: &str) -> String {
    format!("{}{local}", ns::DCAT)
}

/// The access services a record's distributions name that it does not describe (their
/// endpoints are read from their own records).
pub(crate) fn undescribed_services(record: &DatasetRecord<'_>) -> Vec<String> {
    let graph = RecordGraph::new(record.triples);
    let mut services = Vec::new();
    for distribution in graph.objects(record.iri, &dcat("distribution")) {
        let Some(key) = term_key(distribution) else {
            continue;
        };
        for service in graph.iris(&key, &dcat("accessService")) {
            if graph.iris(&service, &dcat("endpointURL")).is_empty() && !services.contains(&service)
            {
                services.push(service);
            }
        }
    }
    services
}

/// The first `dcat:endpointURL` IRI of a service in a record's statements.
pub(crate) fn endpoint_of(triples: &[Triple], service: &str) -> Option<String> {
    RecordGraph::new(triples)
        .iris(service, &dcat("endpointURL"))
        .into_iter()
        .next()
}

/// A record as a `Dataset` node (without `@context`).
pub(crate) fn dataset(context: &MessageContext<'_>, record: &DatasetRecord<'_>) -> Value {
    let graph = RecordGraph::new(record.triples);
    let mut writer = NodeWriter::new(&graph);
    let resource = record.iri;
    writer.claim(resource);
    let mut object = Map::new();
    object.insert("@id".to_owned(), Value::String(resource.to_owned()));
    let mut types = vec!["Dataset".to_owned()];
    types.extend(
        graph
            .iris(resource, &rdf_type())
            .iter()
            .map(|iri| type_name(iri))
            .filter(|name| name != "Dataset"),
    );
    insert_types(&mut object, types);
    let mut offers = own_offers(&mut writer, resource);
    if offers.is_empty() {
        offers.push(derived_offer(context.config, record.id, &graph, resource));
    }
    object.insert("hasPolicy".to_owned(), Value::Array(offers));
    let mut distributions = Vec::new();
    for distribution in graph.objects(resource, &dcat("distribution")) {
        if let Some(key) = term_key(distribution) {
            distributions.push(distribution_object(context, &mut writer, &key));
        }
    }
    if distributions.is_empty() {
        distributions.push(json!({
            "@type": "Distribution",
            "format": context.config.default_format,
            "accessService": context.service(),
        }));
    }
    object.insert("distribution".to_owned(), Value::Array(distributions));
    let policy = format!("{}hasPolicy", ns::ODRL);
    let distribution = dcat("distribution");
    writer.properties(
        resource,
        &mut object,
        &[policy.as_str(), distribution.as_str()],
    );
    Value::Object(object)
}

fn distribution_object(
    context: &MessageContext<'_>,
    writer: &mut NodeWriter<'_, '_>,
    key: &str,
) -> Value {
    let graph = writer.graph;
    writer.claim(key);
    let mut object = Map::new();
    if let Some(id) = writer.id_of(key, false) {
        object.insert("@id".to_owned(), id);
    }
    let mut types = vec!["Distribution".to_owned()];
    types.extend(
        graph
            .iris(key, &rdf_type())
            .iter()
            .map(|iri| type_name(iri))
            .filter(|name| name != "Distribution"),
    );
    insert_types(&mut object, types);
    let format_predicate = format!("{}format", ns::DCT);
    let formats = graph.objects(key, &format_predicate);
    let format_iri = formats.iter().find_map(|term| match term {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        _ => None,
    });
    let other_formats: Vec<Value> = formats
        .iter()
        .filter(
            |term| !matches!(term, Term::NamedNode(n) if Some(n.as_str()) == format_iri.as_deref()),
        )
        .map(|term| writer.value(term))
        .collect();
    object.insert(
        "format".to_owned(),
        Value::String(format_iri.unwrap_or_else(|| context.config.default_format.clone())),
    );
    add_values(&mut object, "dct:format".to_owned(), other_formats);
    let services = graph.objects(key, &dcat("accessService"));
    let mut service_written = false;
    let mut other_services = Vec::new();
    for service in services {
        let service_key = term_key(service);
        let endpoint = service_key.as_deref().and_then(|s| {
            graph
                .iris(s, &dcat("endpointURL"))
                .into_iter()
                .next()
                .or_else(|| context.endpoints.get(s).cloned())
        });
        match (service_key, endpoint) {
            (Some(service_key), Some(endpoint)) if !service_written => {
                object.insert(
                    "accessService".to_owned(),
                    access_service(writer, &service_key, &endpoint),
                );
                service_written = true;
            }
            _ => other_services.push(writer.value(service)),
        }
    }
    if !service_written {
        object.insert("accessService".to_owned(), context.service());
    }
    add_values(&mut object, "dcat:accessService".to_owned(), other_services);
    let skip = [format_predicate.clone(), dcat("accessService")];
    let skip: Vec<&str> = skip.iter().map(String::as_str).collect();
    writer.properties(key, &mut object, &skip);
    Value::Object(object)
}

/// A distribution's access service as DSP writes it: a `DataService` with `endpointURL`;
/// what the record says of it, when it describes it, is kept beside.
fn access_service(writer: &mut NodeWriter<'_, '_>, key: &str, endpoint: &str) -> Value {
    let graph = writer.graph;
    let mut object = Map::new();
    object.insert("@id".to_owned(), Value::String(key.to_owned()));
    let described = graph.describes(key) && writer.claim(key);
    let mut types = vec!["DataService".to_owned()];
    if described {
        types.extend(
            graph
                .iris(key, &rdf_type())
                .iter()
                .map(|iri| type_name(iri))
                .filter(|name| name != "DataService"),
        );
    }
    insert_types(&mut object, types);
    object.insert("endpointURL".to_owned(), Value::String(endpoint.to_owned()));
    if described {
        writer.properties(key, &mut object, &[]);
    }
    Value::Object(object)
}

/// A `Dataset` message.
pub(crate) fn dataset_message(context: &MessageContext<'_>, record: &DatasetRecord<'_>) -> Value {
    let mut message = dataset(context, record);
    if let Value::Object(object) = &mut message {
        object.insert("@context".to_owned(), json!([DSP_CONTEXT]));
    }
    message
}

/// What a `Catalog` message says of the catalogue itself.
pub(crate) struct CatalogHeader<'h> {
    /// The catalogue IRI.
    pub iri: &'h str,
    /// `participantId`.
    pub participant_id: &'h str,
    /// Its title and description (English).
    pub title: &'h str,
    /// Its description.
    pub description: &'h str,
}

/// A `Catalog` message with these datasets (none: no `dataset` key, as DSP's schema wants a
/// non-empty array when there is one).
pub(crate) fn catalog_message(
    context: &MessageContext<'_>,
    header: &CatalogHeader<'_>,
    datasets: Vec<Value>,
) -> Value {
    let mut object = Map::new();
    object.insert("@context".to_owned(), json!([DSP_CONTEXT]));
    object.insert("@id".to_owned(), Value::String(header.iri.to_owned()));
    object.insert("@type".to_owned(), Value::String("Catalog".to_owned()));
    object.insert(
        "participantId".to_owned(),
        Value::String(header.participant_id.to_owned()),
    );
    object.insert(
        "dct:title".to_owned(),
        json!([{"@value": header.title, "@language": "en"}]),
    );
    object.insert(
        "dct:description".to_owned(),
        json!([{"@value": header.description, "@language": "en"}]),
    );
    object.insert("service".to_owned(), json!([context.service()]));
    if !datasets.is_empty() {
        object.insert("dataset".to_owned(), Value::Array(datasets));
    }
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::{Literal, NamedNode};

    fn n(text: &str) -> NamedNode {
        NamedNode::new_unchecked(text)
    }

    #[test]
    fn a_record_without_policy_or_distribution_gets_the_derived_offer_and_ldtcat_service(
    ) -> Result<(), ldtcat_config::ConfigError> {
        let config = DspConfig::builtin()?;
        let context = MessageContext {
            config: &config,
            service_iri: "http://c.org/catalog#service".to_owned(),
            service_endpoint: "http://c.org".to_owned(),
            endpoints: HashMap::new(),
        };
        let triples = vec![
            Triple::new(
                n("https://x.org/m"),
                n(&rdf_type()),
                n("http://data.europa.eu/it6/MachineLearningModel"),
            ),
            Triple::new(
                n("https://x.org/m"),
                n("http://purl.org/dc/terms/license"),
                n("http://publications.europa.eu/resource/authority/licence/CC0"),
            ),
            Triple::new(
                n("https://x.org/m"),
                n("http://purl.org/dc/terms/title"),
                Literal::new_simple_literal("M"),
            ),
        ];
        let record = DatasetRecord {
            id: "abc",
            iri: "https://x.org/m",
            triples: &triples,
        };
        let message = dataset_message(&context, &record);
        assert_eq!(
            message["@type"],
            json!(["Dataset", "http://data.europa.eu/it6/MachineLearningModel"])
        );
        assert_eq!(
            message["hasPolicy"][0]["@id"],
            "urn:ldtcat:offer:abc:public-domain"
        );
        assert_eq!(message["distribution"][0]["format"], "HttpData-PULL");
        assert_eq!(
            message["distribution"][0]["accessService"]["endpointURL"],
            "http://c.org"
        );
        assert_eq!(message["dct:title"], json!([{"@value": "M"}]));
        assert_eq!(message["@context"], json!([DSP_CONTEXT]));
        Ok(())
    }
}
