//! Applying the classification rules of `vocab/classification.ttl` to one record.

use ldtcat_vocab::{ns, ClassificationRule, Kind, RuleSet};
use oxrdf::{NamedOrBlankNode, Term, Triple};

/// The facts about a record that rules test.
struct Facts {
    types: Vec<String>,
    dct_types: Vec<String>,
    conforms_to: Vec<String>,
    media_types: Vec<String>,
    properties: Vec<String>,
}

fn term_text(term: &Term) -> Option<String> {
    match term {
        Term::NamedNode(node) => Some(node.as_str().to_owned()),
        Term::Literal(literal) => Some(literal.value().to_owned()),
        _ => None,
    }
}

fn is_subject(triple: &Triple, node: &str) -> bool {
    matches!(&triple.subject, NamedOrBlankNode::NamedNode(n) if n.as_str() == node)
        || matches!(&triple.subject, NamedOrBlankNode::BlankNode(b) if b.as_str() == node)
}

fn subject_key(subject: &NamedOrBlankNode) -> &str {
    match subject {
        NamedOrBlankNode::NamedNode(node) => node.as_str(),
        NamedOrBlankNode::BlankNode(node) => node.as_str(),
    }
}

fn gather(triples: &[Triple], root: &str) -> Facts {
    let p = |local: &str, namespace: &str| format!("{namespace}{local}");
    let (rdf_type, dct_type, conforms_to) = (
        p("type", ns::RDF),
        p("type", ns::DCT),
        p("conformsTo", ns::DCT),
    );
    let distribution = p("distribution", ns::DCAT);
    let media_predicates = [
        p("mediaType", ns::DCAT),
        p("format", ns::DCT),
        p("packageFormat", ns::DCAT),
    ];
    let distributions: Vec<String> = triples
        .iter()
        .filter(|t| is_subject(t, root) && t.predicate.as_str() == distribution)
        .filter_map(|t| match &t.object {
            Term::NamedNode(node) => Some(node.as_str().to_owned()),
            Term::BlankNode(node) => Some(node.as_str().to_owned()),
            _ => None,
        })
        .collect();
    let is_root_or_distribution = |t: &Triple| {
        is_subject(t, root) || distributions.iter().any(|d| d == subject_key(&t.subject))
    };
    let values = |predicate: &str, on_distributions: bool| -> Vec<String> {
        triples
            .iter()
            .filter(|t| t.predicate.as_str() == predicate)
            .filter(|t| {
                if on_distributions {
                    is_root_or_distribution(t)
                } else {
                    is_subject(t, root)
                }
            })
            .filter_map(|t| term_text(&t.object))
            .collect()
    };
    Facts {
        types: values(&rdf_type, false),
        dct_types: values(&dct_type, false),
        conforms_to: values(&conforms_to, true),
        media_types: media_predicates
            .iter()
            .flat_map(|m| values(m, true))
            .collect(),
        properties: triples
            .iter()
            .filter(|t| is_subject(t, root))
            .map(|t| t.predicate.as_str().to_owned())
            .collect(),
    }
}

fn any_equal(wanted: &[String], found: &[String]) -> bool {
    wanted.is_empty() || wanted.iter().any(|w| found.iter().any(|f| f == w))
}

fn media_type_matches(wanted: &str, found: &str) -> bool {
    let wanted = wanted.to_ascii_lowercase();
    let found = found.to_ascii_lowercase();
    found == wanted || found.ends_with(&format!("/{wanted}"))
}

fn rule_matches(rule: &ClassificationRule, facts: &Facts) -> bool {
    any_equal(&rule.when_type, &facts.types)
        && any_equal(&rule.when_dct_type, &facts.dct_types)
        && any_equal(&rule.when_conforms_to, &facts.conforms_to)
        && any_equal(&rule.when_property, &facts.properties)
        && (rule.when_media_type.is_empty()
            || rule
                .when_media_type
                .iter()
                .any(|w| facts.media_types.iter().any(|f| media_type_matches(w, f))))
}

/// The kind of the record rooted at `root` (an IRI or blank-node label), and the IRI of the
/// rule that decided it. `None` only when the rules have no fallback.
pub fn classify<'r>(rules: &'r RuleSet, triples: &[Triple], root: &str) -> Option<(Kind, &'r str)> {
    let facts = gather(triples, root);
    rules
        .rules
        .iter()
        .find(|rule| rule_matches(rule, &facts))
        .map(|rule| (rule.kind, rule.iri.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::{NamedNode, Triple};

    fn n(iri: &str) -> NamedNode {
        NamedNode::new_unchecked(iri)
    }

    fn kind_of(extra: Vec<Triple>) -> (Kind, String) {
        let rules = RuleSet::builtin().expect("rules");
        let mut triples = vec![Triple::new(
            n("http://ex.org/r"),
            n(&format!("{}type", ns::RDF)),
            n(&format!("{}Dataset", ns::DCAT)),
        )];
        triples.extend(extra);
        let (kind, rule) = classify(&rules, &triples, "http://ex.org/r").expect("fallback exists");
        (kind, rule.rsplit('/').next().unwrap_or_default().to_owned())
    }

    #[test]
    fn plain_dataset_is_a_dataset_by_the_dcat_rule() {
        assert_eq!(kind_of(vec![]), (Kind::Dataset, "dcat-dataset".to_owned()));
    }

    #[test]
    fn an_explicit_dct_type_wins() {
        let extra = vec![Triple::new(
            n("http://ex.org/r"),
            n(&format!("{}type", ns::DCT)),
            n(&Kind::Output.iri()),
        )];
        assert_eq!(kind_of(extra).0, Kind::Output);
    }

    #[test]
    fn a_gltf_distribution_makes_a_visualisation() {
        let extra = vec![
            Triple::new(
                n("http://ex.org/r"),
                n(&format!("{}distribution", ns::DCAT)),
                n("http://ex.org/d"),
            ),
            Triple::new(
                n("http://ex.org/d"),
                n(&format!("{}mediaType", ns::DCAT)),
                n("http://www.iana.org/assignments/media-types/model/gltf-binary"),
            ),
        ];
        assert_eq!(
            kind_of(extra),
            (Kind::Visualisation, "visualisation-media-type".to_owned())
        );
    }

    #[test]
    fn generated_by_an_activity_makes_an_output() {
        let extra = vec![Triple::new(
            n("http://ex.org/r"),
            n(&format!("{}wasGeneratedBy", ns::PROV)),
            n("http://ex.org/run"),
        )];
        assert_eq!(
            kind_of(extra),
            (Kind::Output, "output-provenance".to_owned())
        );
    }
}
