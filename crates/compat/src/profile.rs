//! An LDT profile: what one Local Digital Twin has. Read from RDF (an `ldt:LdtProfile`, as
//! catalogue records of kind `ldt` carry it) or from TOML, which is turned into the same RDF.
//!
//! The TOML form (prefixed names such as `odrl:attribute`, `ldti:ngsi-ld`, `sdm:…` are
//! expanded; see [`expand`]):
//!
//! ```toml
//! iri = "https://example.org/ldt/antibes"
//! title = "Antibes school air-quality twin"
//! holds_data_models = ["sdm:dataModel.Environment/IndoorEnvironmentObserved"]
//! exposes_interfaces = ["ldti:ngsi-ld", "ldti:3d-tiles"]
//! supports_provenance = ["ldtc:observation-timestamps"]
//! supports_observability = []
//! offers_deployment = ["ldtd:self-hosted-container"]
//! offers_gpu = false
//! offers_memory_gib = 16
//!
//! [accepts]                     # ldt:acceptsPolicy: terms accepted from components
//! duties = ["odrl:attribute"]
//! prohibitions = ["odrl:commercialize"]
//! constraints = [["odrl:purpose", "odrl:isA", "https://w3id.org/dpv#NonCommercialPurpose"]]
//!
//! [data_policy]                 # odrl:hasPolicy: what the LDT permits on its data
//! prohibitions = ["odrl:distribute"]
//! [[data_policy.permissions]]
//! actions = ["odrl:use"]
//! duties = ["odrl:attribute"]
//! ```

use std::collections::{BTreeMap, BTreeSet};

use ldtcat_vocab::{ns, Kind};
use oxrdf::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use oxrdfio::{RdfFormat, RdfParser};
use serde::Deserialize;

use crate::error::CompatError;
use crate::graph::{subject_key, View};
use crate::requirement::{odrl, permissions, policy_terms, prohibitions};

/// What one LDT has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The profile's IRI.
    pub iri: String,
    /// Its `dct:title`, if any.
    pub title: Option<String>,
    values: BTreeMap<String, BTreeSet<String>>,
    accepted_terms: BTreeSet<String>,
    data_permissions: Vec<(String, Vec<String>)>,
    data_prohibitions: BTreeSet<String>,
}

impl Profile {
    /// The profile `iri` in `triples`; without an IRI, the one `ldt:LdtProfile` there is.
    pub fn from_triples(triples: &[Triple], iri: Option<&str>) -> Result<Profile, CompatError> {
        let view = View::new(triples);
        let root = match iri {
            Some(iri) => iri.to_owned(),
            None => single_profile(triples)?,
        };
        let mut values: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for triple in triples.iter().filter(|t| subject_key(&t.subject) == root) {
            if let Some(value) = crate::graph::value_text(&triple.object) {
                values
                    .entry(triple.predicate.as_str().to_owned())
                    .or_default()
                    .insert(value);
            }
        }
        let mut accepted_terms = BTreeSet::new();
        for policy in view.nodes(&root, &format!("{}acceptsPolicy", ns::LDT)) {
            accepted_terms.extend(policy_terms(&view, policy).iter().map(|r| r.term()));
        }
        let mut data_permissions = Vec::new();
        let mut data_prohibitions = BTreeSet::new();
        for policy in view.nodes(&root, &odrl("hasPolicy")) {
            data_permissions.extend(permissions(&view, policy));
            data_prohibitions.extend(prohibitions(&view, policy));
        }
        let title = view
            .values(&root, &format!("{}title", ns::DCT))
            .into_iter()
            .next()
            .map(|t| t.replace("%20", " "));
        Ok(Profile {
            iri: root,
            title,
            values,
            accepted_terms,
            data_permissions,
            data_prohibitions,
        })
    }

    /// The profile that a catalogue record of kind `ldt` describes.
    pub fn from_record(kind: Kind, iri: &str, triples: &[Triple]) -> Result<Profile, CompatError> {
        if kind != Kind::Ldt {
            return Err(CompatError::InvalidProfile(format!(
                "<{iri}> is a {}, not an LDT profile",
                kind.label().to_lowercase()
            )));
        }
        Profile::from_triples(triples, Some(iri))
    }

    /// The profile in an RDF document (Turtle, JSON-LD, RDF/XML, N-Triples).
    pub fn from_rdf(text: &str, format: RdfFormat) -> Result<Profile, CompatError> {
        let mut triples = Vec::new();
        for quad in RdfParser::from_format(format).for_slice(text.as_bytes()) {
            let quad = quad.map_err(|e| CompatError::Syntax {
                what: "the LDT profile".to_owned(),
                message: e.to_string(),
            })?;
            triples.push(Triple::from(quad));
        }
        Profile::from_triples(&triples, None)
    }

    /// The profile in the TOML form.
    pub fn from_toml(text: &str) -> Result<Profile, CompatError> {
        let triples = toml_to_triples(text)?;
        Profile::from_triples(&triples, None)
    }

    /// Its values of a property of the profile itself (`ldt:holdsDataModel`, ...).
    pub fn values(&self, property: &str) -> Option<&BTreeSet<String>> {
        self.values.get(property)
    }

    /// Whether its `ldt:acceptsPolicy` has the duty, prohibition or constraint of this term.
    pub fn accepts_term(&self, term: &str) -> bool {
        self.accepted_terms.contains(term)
    }

    /// The permissions of its data policy: actions, each with the actions of its duties.
    pub fn data_permissions(&self) -> &[(String, Vec<String>)] {
        &self.data_permissions
    }

    /// The actions its data policy prohibits.
    pub fn data_prohibitions(&self) -> &BTreeSet<String> {
        &self.data_prohibitions
    }
}

fn single_profile(triples: &[Triple]) -> Result<String, CompatError> {
    let class = format!("{}LdtProfile", ns::LDT);
    let rdf_type = format!("{}type", ns::RDF);
    let mut profiles: Vec<String> = triples
        .iter()
        .filter(|t| t.predicate.as_str() == rdf_type)
        .filter(|t| matches!(&t.object, Term::NamedNode(n) if n.as_str() == class))
        .map(|t| subject_key(&t.subject).to_owned())
        .collect();
    profiles.sort();
    profiles.dedup();
    match profiles.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(CompatError::InvalidProfile(
            "the document has no ldt:LdtProfile".to_owned(),
        )),
        _ => Err(CompatError::InvalidProfile(format!(
            "the document has {} ldt:LdtProfile resources; give one",
            profiles.len()
        ))),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlProfile {
    iri: String,
    title: Option<String>,
    #[serde(default)]
    holds_data_models: Vec<String>,
    #[serde(default)]
    exposes_interfaces: Vec<String>,
    #[serde(default)]
    supports_provenance: Vec<String>,
    #[serde(default)]
    supports_observability: Vec<String>,
    #[serde(default)]
    offers_deployment: Vec<String>,
    #[serde(default)]
    offers_gpu: bool,
    offers_memory_gib: Option<f64>,
    #[serde(default)]
    accepts: TomlAccepts,
    #[serde(default)]
    data_policy: TomlDataPolicy,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlAccepts {
    #[serde(default)]
    duties: Vec<String>,
    #[serde(default)]
    prohibitions: Vec<String>,
    #[serde(default)]
    constraints: Vec<[String; 3]>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlDataPolicy {
    #[serde(default)]
    permissions: Vec<TomlPermission>,
    #[serde(default)]
    prohibitions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlPermission {
    actions: Vec<String>,
    #[serde(default)]
    duties: Vec<String>,
}

/// Prefixes that the TOML form may use, besides those of [`ns::PREFIXES`].
const EXTRA_PREFIXES: [(&str, &str); 5] = [
    ("ldti", "https://w3id.org/ldtcat/interface/"),
    ("ldtd", "https://w3id.org/ldtcat/deployment/"),
    ("ldtc", "https://w3id.org/ldtcat/capability/"),
    ("sdm", "https://smartdatamodels.org/"),
    ("dpv", "https://w3id.org/dpv#"),
];

/// A prefixed name (`odrl:attribute`) as an IRI; an absolute IRI as it is.
pub fn expand(value: &str) -> Result<NamedNode, CompatError> {
    let expanded = value.split_once(':').and_then(|(prefix, local)| {
        ns::PREFIXES
            .iter()
            .chain(EXTRA_PREFIXES.iter())
            .find(|(p, _)| *p == prefix)
            .map(|(_, namespace)| format!("{namespace}{local}"))
    });
    let iri = expanded.unwrap_or_else(|| value.to_owned());
    NamedNode::new(&iri).map_err(|e| {
        CompatError::InvalidProfile(format!(
            "`{value}` is neither an IRI nor a known prefixed name: {e}"
        ))
    })
}

/// Statements of ODRL policies, each policy and rule a fresh blank node.
struct PolicyStatements(Vec<Triple>);

impl PolicyStatements {
    /// A new `odrl:Set`, linked from `subject` by `property`.
    fn policy(&mut self, subject: &NamedOrBlankNode, property: NamedNode) -> BlankNode {
        let policy = BlankNode::default();
        self.0
            .push(Triple::new(subject.clone(), property, policy.clone()));
        self.0.push(Triple::new(
            policy.clone(),
            NamedNode::new_unchecked(format!("{}type", ns::RDF)),
            NamedNode::new_unchecked(odrl("Set")),
        ));
        policy
    }

    /// A new rule (`odrl:permission`, `odrl:duty`, ...) of `parent`, with these actions.
    fn rule(&mut self, parent: &BlankNode, kind: &str, actions: &[NamedNode]) -> BlankNode {
        let rule = BlankNode::default();
        self.0.push(Triple::new(
            parent.clone(),
            NamedNode::new_unchecked(odrl(kind)),
            rule.clone(),
        ));
        for action in actions {
            self.0.push(Triple::new(
                rule.clone(),
                NamedNode::new_unchecked(odrl("action")),
                action.clone(),
            ));
        }
        rule
    }
}

/// The RDF statements of a profile written in the TOML form.
pub fn toml_to_triples(text: &str) -> Result<Vec<Triple>, CompatError> {
    let profile: TomlProfile =
        toml::from_str(text).map_err(|e| CompatError::InvalidProfile(e.to_string()))?;
    let root = NamedOrBlankNode::from(expand(&profile.iri)?);
    let ldt = |local: &str| NamedNode::new_unchecked(format!("{}{local}", ns::LDT));
    let odrl_term = |local: &str| NamedNode::new_unchecked(odrl(local));
    let mut triples = vec![Triple::new(
        root.clone(),
        NamedNode::new_unchecked(format!("{}type", ns::RDF)),
        ldt("LdtProfile"),
    )];
    if let Some(title) = &profile.title {
        triples.push(Triple::new(
            root.clone(),
            NamedNode::new_unchecked(format!("{}title", ns::DCT)),
            Literal::new_simple_literal(title),
        ));
    }
    for (property, values) in [
        ("holdsDataModel", &profile.holds_data_models),
        ("exposesInterface", &profile.exposes_interfaces),
        ("supportsProvenance", &profile.supports_provenance),
        ("supportsObservability", &profile.supports_observability),
        ("offersDeployment", &profile.offers_deployment),
    ] {
        for value in values {
            triples.push(Triple::new(root.clone(), ldt(property), expand(value)?));
        }
    }
    if profile.offers_gpu {
        triples.push(Triple::new(
            root.clone(),
            ldt("offersGpu"),
            Literal::from(true),
        ));
    }
    if let Some(memory) = profile.offers_memory_gib {
        triples.push(Triple::new(
            root.clone(),
            ldt("offersMemoryGiB"),
            Literal::new_typed_literal(
                format!("{memory}"),
                NamedNode::new_unchecked(format!("{}decimal", ns::XSD)),
            ),
        ));
    }
    let mut policies = PolicyStatements(triples);
    let accepts = &profile.accepts;
    if !accepts.duties.is_empty()
        || !accepts.prohibitions.is_empty()
        || !accepts.constraints.is_empty()
    {
        let policy = policies.policy(&root, ldt("acceptsPolicy"));
        for duty in &accepts.duties {
            policies.rule(&policy, "obligation", &[expand(duty)?]);
        }
        for action in &accepts.prohibitions {
            policies.rule(&policy, "prohibition", &[expand(action)?]);
        }
        for [left, operator, right] in &accepts.constraints {
            let rule = policies.rule(&policy, "permission", &[odrl_term("use")]);
            let constraint = BlankNode::default();
            let right: Term = match expand(right) {
                Ok(iri) => iri.into(),
                Err(_) => Literal::new_simple_literal(right).into(),
            };
            let statements = &mut policies.0;
            statements.push(Triple::new(
                rule,
                odrl_term("constraint"),
                constraint.clone(),
            ));
            statements.push(Triple::new(
                constraint.clone(),
                odrl_term("leftOperand"),
                expand(left)?,
            ));
            statements.push(Triple::new(
                constraint.clone(),
                odrl_term("operator"),
                expand(operator)?,
            ));
            statements.push(Triple::new(constraint, odrl_term("rightOperand"), right));
        }
    }
    let data = &profile.data_policy;
    if !data.permissions.is_empty() || !data.prohibitions.is_empty() {
        let policy = policies.policy(&root, odrl_term("hasPolicy"));
        for permission in &data.permissions {
            let actions = permission
                .actions
                .iter()
                .map(|a| expand(a))
                .collect::<Result<Vec<_>, _>>()?;
            let rule = policies.rule(&policy, "permission", &actions);
            for duty in &permission.duties {
                policies.rule(&rule, "duty", &[expand(duty)?]);
            }
        }
        for action in &data.prohibitions {
            policies.rule(&policy, "prohibition", &[expand(action)?]);
        }
    }
    let triples = policies.0;
    Ok(triples)
}
