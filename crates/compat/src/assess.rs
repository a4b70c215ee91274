//! Applying the rules: one verdict per requirement, with its rule and explanation, and the
//! component's verdict, the worst of them.

use std::fmt;

use ldtcat_vocab::{ns, Kind};
use serde::Serialize;

use crate::offer::Offer;
use crate::profile::Profile;
use crate::requirement::{display_iri, is_true, Form, Requirement};
use crate::rules::{Check, CompatRule, CompatRules};

/// The three verdicts of the LDT4SSC blueprint, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Compatible out of the box.
    OutOfTheBox,
    /// Compatible with limited adaptations.
    LimitedAdaptations,
    /// Not currently compatible.
    NotCompatible,
}

impl Verdict {
    /// Every verdict, best first.
    pub const ALL: [Verdict; 3] = [
        Verdict::OutOfTheBox,
        Verdict::LimitedAdaptations,
        Verdict::NotCompatible,
    ];

    /// The name used in URLs and JSON (`out-of-the-box`, `limited-adaptations`,
    /// `not-compatible`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::OutOfTheBox => "out-of-the-box",
            Verdict::LimitedAdaptations => "limited-adaptations",
            Verdict::NotCompatible => "not-compatible",
        }
    }

    /// A human label.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::OutOfTheBox => "Compatible out of the box",
            Verdict::LimitedAdaptations => "Compatible with limited adaptations",
            Verdict::NotCompatible => "Not currently compatible",
        }
    }

    /// The verdict's IRI in the rules (`ldt:CompatibleOutOfTheBox`, ...).
    pub fn iri(self) -> String {
        let local = match self {
            Verdict::OutOfTheBox => "CompatibleOutOfTheBox",
            Verdict::LimitedAdaptations => "CompatibleWithAdaptations",
            Verdict::NotCompatible => "NotCompatible",
        };
        format!("{}{local}", ns::LDT)
    }

    /// The verdict named by an IRI.
    pub fn from_iri(iri: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.iri() == iri)
    }

    /// The verdict named by [`Verdict::as_str`].
    pub fn parse(name: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == name)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A record of the catalogue that may serve as an adapter.
#[derive(Debug, Clone, PartialEq)]
pub struct AdapterRecord {
    /// Record id.
    pub id: String,
    /// Resource IRI.
    pub iri: String,
    /// Title to show.
    pub title: String,
    /// Kind.
    pub kind: Kind,
    /// What it offers.
    pub offers: Vec<Offer>,
}

/// The catalogue's adapters.
#[derive(Debug, Clone, Default)]
pub struct Adapters {
    records: Vec<AdapterRecord>,
}

impl Adapters {
    /// From the records that offer something (others are ignored), sorted by id.
    pub fn new(records: impl IntoIterator<Item = AdapterRecord>) -> Adapters {
        let mut records: Vec<AdapterRecord> = records
            .into_iter()
            .filter(|r| !r.offers.is_empty())
            .collect();
        records.sort_by(|a, b| a.id.cmp(&b.id));
        Adapters { records }
    }

    /// Number of adapter records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

/// An adapter record used by a verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdapterUse {
    /// Record id (`/resources/{id}`).
    pub id: String,
    /// Title.
    pub title: String,
    /// The profile value it starts from, for conversions and bridges.
    pub from: Option<String>,
}

/// The verdict on one requirement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementVerdict {
    /// The requirement.
    #[serde(serialize_with = "serialize_requirement")]
    pub requirement: Requirement,
    /// Its verdict.
    pub verdict: Verdict,
    /// The IRI of the rule that gave it.
    pub rule: String,
    /// The rule's label.
    pub rule_label: String,
    /// Why, in words.
    pub explanation: String,
    /// The adapter records that ground a limited adaptation.
    pub via: Vec<AdapterUse>,
}

fn serialize_requirement<S: serde::Serializer>(
    requirement: &Requirement,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut s = serializer.serialize_struct("Requirement", 4)?;
    s.serialize_field("form", &requirement.form.iri())?;
    s.serialize_field("category", requirement.form.category().label())?;
    s.serialize_field("values", &requirement.values)?;
    s.serialize_field("term", &requirement.term())?;
    s.end()
}

/// The assessment of one component against one profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The worst verdict of the requirements; `None` when the component states none.
    pub verdict: Option<Verdict>,
    /// One verdict per requirement.
    pub requirements: Vec<RequirementVerdict>,
}

/// Assesses components against one profile, with the catalogue's adapters.
pub struct Assessor<'a> {
    rules: &'a CompatRules,
    profile: &'a Profile,
    adapters: &'a Adapters,
}

impl<'a> Assessor<'a> {
    /// An assessor for a profile.
    pub fn new(rules: &'a CompatRules, profile: &'a Profile, adapters: &'a Adapters) -> Self {
        Assessor {
            rules,
            profile,
            adapters,
        }
    }

    /// The profile assessed against.
    pub fn profile(&self) -> &Profile {
        self.profile
    }

    /// All requirements of a component.
    pub fn assess(&self, requirements: &[Requirement]) -> Assessment {
        let verdicts: Vec<RequirementVerdict> = requirements
            .iter()
            .map(|r| self.assess_requirement(r))
            .collect();
        Assessment {
            verdict: verdicts.iter().map(|v| v.verdict).max(),
            requirements: verdicts,
        }
    }

    /// A component given by its requirement terms (as the index stores them); terms that do
    /// not parse are ignored.
    pub fn assess_terms<S: AsRef<str>>(&self, terms: &[S]) -> Assessment {
        let requirements: Vec<Requirement> = terms
            .iter()
            .filter_map(|t| Requirement::from_term(t.as_ref()))
            .collect();
        self.assess(&requirements)
    }

    /// One requirement: the first rule of its form whose check holds.
    pub fn assess_requirement(&self, requirement: &Requirement) -> RequirementVerdict {
        for rule in self.rules.for_form(requirement.form) {
            if let Some(outcome) = self.check(rule, requirement) {
                return RequirementVerdict {
                    explanation: explain(rule, requirement, &outcome),
                    requirement: requirement.clone(),
                    verdict: rule.verdict,
                    rule: rule.iri.clone(),
                    rule_label: rule.label.clone(),
                    via: outcome.via,
                };
            }
        }
        // Unreachable with loaded rules: every form ends with an ldt:Always rule.
        RequirementVerdict {
            requirement: requirement.clone(),
            verdict: Verdict::NotCompatible,
            rule: String::new(),
            rule_label: "no rule".to_owned(),
            explanation: "No compatibility rule applies to this requirement.".to_owned(),
            via: Vec::new(),
        }
    }

    fn check(&self, rule: &CompatRule, requirement: &Requirement) -> Option<Outcome> {
        let profile_values = || {
            rule.profile_property
                .as_deref()
                .and_then(|p| self.profile.values(p))
                .into_iter()
                .flatten()
        };
        match rule.check {
            Check::Always => Some(Outcome::default()),
            Check::ProfileHasValue => profile_values()
                .any(|offered| satisfied_by(requirement, offered))
                .then(Outcome::default),
            Check::AcceptedTerm => self
                .profile
                .accepts_term(&requirement.term())
                .then(Outcome::default),
            Check::AdapterFromProfile => {
                let held: Vec<&String> = profile_values().collect();
                let target = requirement.values.first()?;
                self.adapters_for(rule, |offer| {
                    offer.value == *target
                        && offer.from.as_ref().is_some_and(|from| held.contains(&from))
                })
            }
            Check::AdapterProvides => self.adapters_for(rule, |offer| {
                offer.from.is_none() && satisfied_by(requirement, &offer.value)
            }),
            Check::DataPolicyPermits | Check::DataPolicyPermitsUnderDuty => {
                let action = requirement.values.first()?;
                let actions = self.rules.action_and_broader(action);
                if actions
                    .iter()
                    .any(|a| self.profile.data_prohibitions().contains(a))
                {
                    return None;
                }
                let permits: Vec<&Vec<String>> = self
                    .profile
                    .data_permissions()
                    .iter()
                    .filter(|(permitted, _)| actions.contains(permitted))
                    .map(|(_, duties)| duties)
                    .collect();
                let free = permits.iter().any(|duties| duties.is_empty());
                match rule.check {
                    Check::DataPolicyPermits => free.then(Outcome::default),
                    _ => {
                        let mut duties: Vec<String> =
                            permits.into_iter().flatten().cloned().collect();
                        duties.sort();
                        duties.dedup();
                        (!free && !duties.is_empty()).then_some(Outcome {
                            via: Vec::new(),
                            duties,
                        })
                    }
                }
            }
        }
    }

    fn adapters_for(&self, rule: &CompatRule, matches: impl Fn(&Offer) -> bool) -> Option<Outcome> {
        let offer_key = rule.adapter_offer.as_deref()?;
        let mut via = Vec::new();
        for record in &self.adapters.records {
            if !rule.adapter_kinds.is_empty() && !rule.adapter_kinds.contains(&record.kind) {
                continue;
            }
            if let Some(offer) = record
                .offers
                .iter()
                .find(|offer| offer.key == offer_key && matches(offer))
            {
                via.push(AdapterUse {
                    id: record.id.clone(),
                    title: record.title.clone(),
                    from: offer.from.clone(),
                });
            }
        }
        (!via.is_empty()).then_some(Outcome {
            via,
            duties: Vec::new(),
        })
    }
}

#[derive(Debug, Default)]
struct Outcome {
    via: Vec<AdapterUse>,
    duties: Vec<String>,
}

/// Whether an offered value (of a profile or an adapter) meets a requirement.
fn satisfied_by(requirement: &Requirement, offered: &str) -> bool {
    match requirement.form {
        Form::DeploymentModel => requirement.values.iter().any(|v| v == offered),
        Form::RequiresGpu => is_true(offered),
        Form::RequiresMemoryGiB => {
            let needed = requirement
                .values
                .first()
                .and_then(|v| v.parse::<f64>().ok());
            let offered = offered.parse::<f64>().ok();
            matches!((needed, offered), (Some(n), Some(o)) if o >= n)
        }
        _ => requirement.values.first().is_some_and(|v| v == offered),
    }
}

fn explain(rule: &CompatRule, requirement: &Requirement, outcome: &Outcome) -> String {
    let via: Vec<String> = dedup(outcome.via.iter().map(|u| format!("“{}”", u.title)));
    let from: Vec<String> = dedup(
        outcome
            .via
            .iter()
            .filter_map(|u| u.from.as_deref())
            .map(display_iri),
    );
    let duties: Vec<String> = outcome.duties.iter().map(|d| display_iri(d)).collect();
    rule.explanation
        .replace("{value}", &requirement.display_value())
        .replace("{via}", &via.join(" or "))
        .replace("{from}", &from.join(" or "))
        .replace("{duties}", &duties.join(" and "))
}

fn dedup(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        if !out.contains(&value) {
            out.push(value);
        }
    }
    out
}
