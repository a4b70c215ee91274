//! The ODRL offers of a dataset: the record's own policies written in DSP's compact form, or
//! one derived by the configured offer rule (`ldtcat_config::DspConfig`).
//!
//! A policy of the record (`odrl:hasPolicy` of the resource) is served when DSP's schema can
//! carry it: it has a permission or a prohibition; every rule's actions are IRIs (a rule
//! with several is written once per action, see `rule_objects`);
//! every constraint is atomic (left operand IRI, an ODRL operator, a right operand) or
//! logical (`and`, `or`, `xone`, `andSequence`). It is written with `@type` `Offer` (its other
//! classes are not carried: DSP requires that one) and without `odrl:target` (DSP's catalog
//! offers have none: the dataset is the target); every other statement is kept. A blank
//! policy keeps its blank label as `@id`, so that the message means exactly the record's
//! statements. A record with no policy DSP can carry gets the derived offer
//! `urn:ldtcat:offer:{record id}:{rule}`.

use ldtcat_config::{DspConfig, OfferTerms, Operand};
use ldtcat_vocab::ns;
use oxrdf::Term;
use serde_json::{json, Map, Value};

use super::jsonld::{add_values, compact_iri, term_key, NodeWriter, RecordGraph};

/// ODRL's operators, by the names DSP's schema admits.
const OPERATORS: [&str; 12] = [
    "eq", "gt", "gteq", "lt", "lteq", "neq", "isA", "hasPart", "isPartOf", "isAllOf", "isAnyOf",
    "isNoneOf",
];

/// The logical constraint operands, by DSP term.
const LOGICAL: [&str; 4] = ["and", "andSequence", "or", "xone"];

fn odrl(local: &str) -> String {
    format!("{}{local}", ns::ODRL)
}

/// An action IRI as DSP writes it (`use`, `odrl:distribute`, or the IRI).
fn action_name(iri: &str) -> String {
    if iri == odrl("use") {
        return "use".to_owned();
    }
    compact_iri(iri)
}

/// The offers of the record's own policies that DSP can carry, with the writer's state
/// advanced past what they embedded.
pub(crate) fn own_offers(writer: &mut NodeWriter<'_, '_>, resource: &str) -> Vec<Value> {
    let graph = writer.graph;
    let mut offers = Vec::new();
    for policy in graph.objects(resource, &odrl("hasPolicy")) {
        let Some(key) = term_key(policy) else {
            continue;
        };
        let mut attempt = writer.clone();
        if let Some(offer) = policy_offer(&mut attempt, &key) {
            *writer = attempt;
            offers.push(offer);
        }
    }
    offers
}

/// One policy as an `Offer`, or `None` when DSP cannot carry it.
fn policy_offer(writer: &mut NodeWriter<'_, '_>, key: &str) -> Option<Value> {
    let graph = writer.graph;
    if !graph.describes(key) {
        return None;
    }
    writer.claim(key);
    let mut offer = Map::new();
    offer.insert("@id".to_owned(), writer.id_of(key, true)?);
    offer.insert("@type".to_owned(), Value::String("Offer".to_owned()));
    for (predicate, term) in [
        ("permission", "permission"),
        ("prohibition", "prohibition"),
        ("obligation", "obligation"),
    ] {
        let mut rules = Vec::new();
        for rule in graph.objects(key, &odrl(predicate)) {
            rules.extend(rule_objects(writer, rule)?);
        }
        add_values(&mut offer, term.to_owned(), rules);
    }
    if !(offer.contains_key("permission") || offer.contains_key("prohibition")) {
        return None;
    }
    let profiles = graph.iris(key, &odrl("profile"));
    if !profiles.is_empty() {
        offer.insert("profile".to_owned(), json!(profiles));
    }
    let handled = [
        odrl("permission"),
        odrl("prohibition"),
        odrl("obligation"),
        odrl("profile"),
        odrl("target"),
    ];
    let skip: Vec<&str> = handled.iter().map(String::as_str).collect();
    writer.properties(key, &mut offer, &skip);
    Some(Value::Object(offer))
}

/// A permission, prohibition, obligation or duty: its action, its constraints and (for
/// permissions) its duties. DSP's schema gives a rule one action (a string); a rule of the
/// record with several is written once per action under one `@id`, the rest of it in the
/// first, which a JSON-LD processor merges back into the record's one rule.
fn rule_objects(writer: &mut NodeWriter<'_, '_>, rule: &Term) -> Option<Vec<Value>> {
    let key = term_key(rule)?;
    let graph = writer.graph;
    let actions: Vec<String> = graph
        .objects(&key, &odrl("action"))
        .into_iter()
        .map(|term| match term {
            Term::NamedNode(action) => Some(action_name(action.as_str())),
            _ => None, // a refined action: DSP's schema has no form for it
        })
        .collect::<Option<_>>()?;
    let (first_action, other_actions) = actions.split_first()?;
    if !writer.claim(&key) {
        // Met before (a duty that is also an obligation): referenced by its `@id`, with its
        // actions again, as the schema wants every rule to have one.
        let id = writer.id_of(&key, true)?;
        return Some(
            actions
                .iter()
                .map(|action| json!({ "@id": id, "action": action }))
                .collect(),
        );
    }
    let mut object = Map::new();
    if let Some(id) = writer.id_of(&key, !other_actions.is_empty()) {
        object.insert("@id".to_owned(), id);
    }
    object.insert("action".to_owned(), Value::String(first_action.clone()));
    let mut constraints = Vec::new();
    for constraint in graph.objects(&key, &odrl("constraint")) {
        constraints.push(constraint_object(writer, constraint)?);
    }
    add_values(&mut object, "constraint".to_owned(), constraints);
    let mut duties = Vec::new();
    for duty in graph.objects(&key, &odrl("duty")) {
        duties.extend(rule_objects(writer, duty)?);
    }
    add_values(&mut object, "duty".to_owned(), duties);
    let handled = [odrl("action"), odrl("constraint"), odrl("duty")];
    let skip: Vec<&str> = handled.iter().map(String::as_str).collect();
    writer.properties(&key, &mut object, &skip);
    let mut objects = vec![Value::Object(object)];
    for action in other_actions {
        objects.push(json!({ "@id": key, "action": action }));
    }
    Some(objects)
}

/// An atomic or logical constraint.
fn constraint_object(writer: &mut NodeWriter<'_, '_>, constraint: &Term) -> Option<Value> {
    let key = term_key(constraint)?;
    let graph = writer.graph;
    if !writer.claim(&key) {
        return None;
    }
    let mut object = Map::new();
    if let Some(id) = writer.id_of(&key, false) {
        object.insert("@id".to_owned(), id);
    }
    let mut handled = vec![odrl("leftOperand"), odrl("operator"), odrl("rightOperand")];
    let logical: Vec<&str> = LOGICAL
        .into_iter()
        .filter(|name| !graph.objects(&key, &odrl(name)).is_empty())
        .collect();
    match logical.as_slice() {
        [] => {
            let left = graph.iris(&key, &odrl("leftOperand"));
            let operators = graph.iris(&key, &odrl("operator"));
            let rights = graph.objects(&key, &odrl("rightOperand"));
            let ([left], [operator]) = (left.as_slice(), operators.as_slice()) else {
                return None;
            };
            let operator = operator.strip_prefix(ns::ODRL)?;
            if !OPERATORS.contains(&operator) || rights.is_empty() {
                return None;
            }
            object.insert("leftOperand".to_owned(), Value::String(compact_iri(left)));
            object.insert("operator".to_owned(), Value::String(operator.to_owned()));
            let values: Vec<Value> = rights
                .iter()
                .map(|term| right_operand(writer, term))
                .collect();
            let value = match <[Value; 1]>::try_from(values) {
                Ok([one]) => one,
                Err(many) => Value::Array(many),
            };
            object.insert("rightOperand".to_owned(), value);
        }
        [name] => {
            let mut operands = Vec::new();
            for operand in graph.objects(&key, &odrl(name)) {
                operands.push(constraint_object(writer, operand)?);
            }
            object.insert((*name).to_owned(), Value::Array(operands));
            handled.push(odrl(name));
        }
        _ => return None,
    }
    let skip: Vec<&str> = handled.iter().map(String::as_str).collect();
    writer.properties(&key, &mut object, &skip);
    Some(Value::Object(object))
}

/// A right operand: a plain string stays a string (the term is not coerced), anything else
/// in its expanded form.
fn right_operand(writer: &mut NodeWriter<'_, '_>, term: &Term) -> Value {
    if let Term::Literal(literal) = term {
        if literal.language().is_none()
            && literal.datatype().as_str() == format!("{}string", ns::XSD)
        {
            return Value::String(literal.value().to_owned());
        }
    }
    writer.value(term)
}

/// The licences (the resource's `dct:license`, else its distributions') and access rights
/// that the offer rule looks at.
pub(crate) fn licences_and_access_rights(
    graph: &RecordGraph<'_>,
    resource: &str,
) -> (Vec<String>, Vec<String>) {
    let license = format!("{}license", ns::DCT);
    let mut licences = graph.iris(resource, &license);
    if licences.is_empty() {
        for distribution in graph.objects(resource, &format!("{}distribution", ns::DCAT)) {
            if let Some(key) = term_key(distribution) {
                licences.extend(graph.iris(&key, &license));
            }
        }
    }
    let access_rights = graph.iris(resource, &format!("{}accessRights", ns::DCT));
    (licences, access_rights)
}

/// The offer the configured rule derives for a record.
pub(crate) fn derived_offer(
    config: &DspConfig,
    record_id: &str,
    graph: &RecordGraph<'_>,
    resource: &str,
) -> Value {
    let (licences, access_rights) = licences_and_access_rights(graph, resource);
    let (rule, terms) = config.offer_for(&licences, &access_rights);
    terms_offer(&format!("urn:ldtcat:offer:{record_id}:{rule}"), terms)
}

/// An `Offer` with these terms.
pub(crate) fn terms_offer(id: &str, terms: &OfferTerms) -> Value {
    let constraints: Vec<Value> = terms
        .constraints
        .iter()
        .map(|constraint| {
            let right = match &constraint.right_operand {
                Operand::Iri(iri) => json!({ "@id": iri }),
                Operand::Literal(text) => Value::String(text.clone()),
            };
            json!({
                "leftOperand": compact_iri(&constraint.left_operand),
                "operator": constraint.operator,
                "rightOperand": right,
            })
        })
        .collect();
    let duties: Vec<Value> = terms
        .duties
        .iter()
        .map(|action| json!({ "action": action_name(action) }))
        .collect();
    let permissions: Vec<Value> = terms
        .permissions
        .iter()
        .map(|action| {
            let mut rule = Map::new();
            rule.insert("action".to_owned(), Value::String(action_name(action)));
            add_values(&mut rule, "constraint".to_owned(), constraints.clone());
            add_values(&mut rule, "duty".to_owned(), duties.clone());
            Value::Object(rule)
        })
        .collect();
    let prohibitions: Vec<Value> = terms
        .prohibitions
        .iter()
        .map(|action| json!({ "action": action_name(action) }))
        .collect();
    let mut offer = Map::new();
    offer.insert("@id".to_owned(), Value::String(id.to_owned()));
    offer.insert("@type".to_owned(), Value::String("Offer".to_owned()));
    add_values(&mut offer, "permission".to_owned(), permissions);
    add_values(&mut offer, "prohibition".to_owned(), prohibitions);
    Value::Object(offer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::{BlankNode, Literal, NamedNode, Triple};

    fn n(text: &str) -> NamedNode {
        NamedNode::new_unchecked(text)
    }

    fn policy_triples(operator: &str) -> Vec<Triple> {
        let (policy, permission, constraint) = (
            BlankNode::new_unchecked("pol"),
            BlankNode::new_unchecked("perm"),
            BlankNode::new_unchecked("c"),
        );
        vec![
            Triple::new(n("https://x.org/d"), n(&odrl("hasPolicy")), policy.clone()),
            Triple::new(
                policy.clone(),
                n(&format!("{}type", ns::RDF)),
                n(&odrl("Set")),
            ),
            Triple::new(policy.clone(), n(&odrl("target")), n("https://x.org/d")),
            Triple::new(policy, n(&odrl("permission")), permission.clone()),
            Triple::new(permission.clone(), n(&odrl("action")), n(&odrl("use"))),
            Triple::new(permission, n(&odrl("constraint")), constraint.clone()),
            Triple::new(
                constraint.clone(),
                n(&odrl("leftOperand")),
                n(&odrl("spatial")),
            ),
            Triple::new(constraint.clone(), n(&odrl("operator")), n(&odrl(operator))),
            Triple::new(
                constraint,
                n(&odrl("rightOperand")),
                Literal::new_simple_literal("EU"),
            ),
        ]
    }

    #[test]
    fn a_policy_becomes_an_offer_without_target_with_its_blank_label() {
        let triples = policy_triples("eq");
        let graph = RecordGraph::new(&triples);
        let mut writer = NodeWriter::new(&graph);
        let offers = own_offers(&mut writer, "https://x.org/d");
        assert_eq!(
            offers,
            [json!({
                "@id": "_:pol",
                "@type": "Offer",
                "permission": [{
                    "action": "use",
                    "constraint": [{"leftOperand": "odrl:spatial", "operator": "eq", "rightOperand": "EU"}],
                }],
            })]
        );
    }

    #[test]
    fn a_policy_dsp_cannot_carry_is_left_out() {
        let triples = policy_triples("isSimilarTo");
        let graph = RecordGraph::new(&triples);
        let mut writer = NodeWriter::new(&graph);
        assert!(own_offers(&mut writer, "https://x.org/d").is_empty());
    }
}
