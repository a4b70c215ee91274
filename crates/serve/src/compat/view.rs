//! What the HTML pages show of compatibility: verdict badges, the profile chooser and the
//! explained assessment of one component.

use ldtcat_compat::{requirements_of, Assessment, Verdict};
use ldtcat_index::{CatalogIndex, FacetField, FacetFilter, SearchRequest, SortOrder};
use ldtcat_store::StoredRecord;

use super::ProfileContext;
use crate::error::ServeError;
use crate::i18n::Messages;

/// The most profiles offered in a chooser.
const MAX_PROFILES_LISTED: usize = 200;

/// A verdict as a badge.
#[derive(Debug, Clone)]
pub struct VerdictBadge {
    /// CSS class (`verdict-out-of-the-box`, ...).
    pub class: String,
    /// The label.
    pub label: &'static str,
}

impl VerdictBadge {
    /// The badge of a verdict, in the interface language of `t`.
    pub fn new(verdict: Verdict, t: &'static Messages) -> VerdictBadge {
        VerdictBadge {
            class: format!("verdict-{}", verdict.as_str()),
            label: verdict_label(verdict, t),
        }
    }
}

/// A verdict's label in the interface language of `t` (`verdict.out_of_the_box`, ...).
pub fn verdict_label(verdict: Verdict, t: &'static Messages) -> &'static str {
    match verdict {
        Verdict::OutOfTheBox => t.get("verdict.out_of_the_box"),
        Verdict::LimitedAdaptations => t.get("verdict.limited_adaptations"),
        Verdict::NotCompatible => t.get("verdict.not_compatible"),
    }
}

/// One catalogued LDT profile in a chooser.
#[derive(Debug, Clone)]
pub struct ProfileOption {
    /// Record id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Whether it is the chosen one.
    pub selected: bool,
}

/// The catalogued LDT profiles, by title (blocking).
pub(crate) fn profile_options(
    index: &CatalogIndex,
    selected: Option<&str>,
) -> Result<Vec<ProfileOption>, ServeError> {
    let request = SearchRequest {
        filters: vec![FacetFilter {
            field: FacetField::Kind,
            value: "ldt".to_owned(),
        }],
        sort: SortOrder::Title,
        limit: MAX_PROFILES_LISTED,
        facets: false,
        ..SearchRequest::default()
    };
    Ok(index
        .search(&request)?
        .hits
        .into_iter()
        .map(|hit| ProfileOption {
            selected: selected.is_some_and(|s| s == hit.id || s == hit.iri),
            id: hit.id,
            title: hit.title,
        })
        .collect())
}

/// A verdict on one requirement, as a table row.
#[derive(Debug, Clone)]
pub struct RequirementRow {
    /// The requirement group.
    pub category: &'static str,
    /// The requirement, shortened.
    pub requirement: String,
    /// Its verdict.
    pub verdict: VerdictBadge,
    /// Why.
    pub explanation: String,
    /// The rule's label.
    pub rule_label: String,
    /// The rule's IRI.
    pub rule_iri: String,
    /// Adapter records: (`/resources/{id}`, title).
    pub via: Vec<(String, String)>,
}

/// The assessment of one component against one profile.
#[derive(Debug, Clone)]
pub struct AssessmentView {
    /// The profile's title (or IRI).
    pub profile_title: String,
    /// The profile's record page.
    pub profile_href: Option<String>,
    /// The component's verdict; `None` when it states no requirement.
    pub verdict: Option<VerdictBadge>,
    /// One row per requirement.
    pub rows: Vec<RequirementRow>,
}

/// The assessment of a stored component.
pub(crate) fn assessment_view(
    context: &ProfileContext,
    record: &StoredRecord,
    t: &'static Messages,
) -> AssessmentView {
    let requirements = requirements_of(&record.iri, &record.triples);
    let assessment: Assessment = context.assessor().assess(&requirements);
    AssessmentView {
        profile_title: context
            .profile
            .title
            .clone()
            .unwrap_or_else(|| context.profile.iri.clone()),
        profile_href: context
            .record_id
            .as_ref()
            .map(|id| format!("/resources/{id}")),
        verdict: assessment.verdict.map(|v| VerdictBadge::new(v, t)),
        rows: assessment
            .requirements
            .iter()
            .map(|item| RequirementRow {
                category: item.requirement.form.category().label(),
                requirement: item.requirement.to_string(),
                verdict: VerdictBadge::new(item.verdict, t),
                explanation: item.explanation.clone(),
                rule_label: item.rule_label.clone(),
                rule_iri: item.rule.clone(),
                via: item
                    .via
                    .iter()
                    .map(|u| (format!("/resources/{}", u.id), u.title.clone()))
                    .collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::UI_LANGUAGES;

    #[test]
    fn verdicts_are_named_in_every_interface_language() {
        let english = Messages::of("en");
        for lang in UI_LANGUAGES {
            let t = Messages::of(lang);
            let labels: Vec<&str> = Verdict::ALL
                .into_iter()
                .map(|v| verdict_label(v, t))
                .collect();
            assert_eq!(
                labels
                    .iter()
                    .collect::<std::collections::BTreeSet<_>>()
                    .len(),
                3,
                "{lang}: {labels:?}"
            );
            for (verdict, label) in Verdict::ALL.into_iter().zip(&labels) {
                assert_eq!(
                    lang == "en",
                    *label == verdict_label(verdict, english),
                    "{lang}: {label}"
                );
                assert_eq!(VerdictBadge::new(verdict, t).label, *label);
            }
        }
        assert_eq!(
            verdict_label(Verdict::OutOfTheBox, english),
            Verdict::OutOfTheBox.label()
        );
    }
}
