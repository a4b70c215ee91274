//! Compatibility of components with LDT profiles, as the HTTP surface uses it: loading a
//! profile (a catalogue record of kind `ldt`, or a posted document), the catalogue's
//! adapters, the search filter and the verdict of each search hit.
//!
//! The search filter is exact without reading any record: the verdict of a requirement term
//! depends only on the term, the profile and the adapters, and a component's verdict is the
//! worst of its terms'. So every distinct term in the index is assessed once, and the filter
//! keeps, for "out of the box", records with no term that is worse; for "limited
//! adaptations", records with a limited term and no incompatible one; for "not compatible",
//! records with an incompatible term.

pub(crate) mod api;
pub(crate) mod view;

use std::sync::{Arc, OnceLock};

use ldtcat_compat::{Adapters, Assessment, Assessor, CompatRules, Profile, Verdict};
use ldtcat_index::{CatalogIndex, RequirementClause, RequirementFilter, SearchResults};
use ldtcat_store::CatalogStore;

use crate::error::ServeError;
use crate::query::SearchParams;
use crate::state::{blocking, AppState};

/// The rules shipped in `vocab/compatibility.ttl`, loaded once.
pub(crate) fn rules() -> Result<&'static CompatRules, ServeError> {
    static RULES: OnceLock<Result<CompatRules, String>> = OnceLock::new();
    RULES
        .get_or_init(|| CompatRules::builtin().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|message| ServeError::Compatibility(message.clone()))
}

/// A profile with what assessing against it needs.
pub(crate) struct ProfileContext {
    /// The record id, when the profile is a catalogue record.
    pub(crate) record_id: Option<String>,
    /// The profile.
    pub(crate) profile: Profile,
    /// The catalogue's adapters.
    pub(crate) adapters: Adapters,
    /// The rules.
    pub(crate) rules: &'static CompatRules,
}

impl ProfileContext {
    /// With a profile read from a posted document (blocking: reads the index).
    pub(crate) fn for_profile(
        index: &CatalogIndex,
        profile: Profile,
    ) -> Result<ProfileContext, ServeError> {
        Ok(ProfileContext {
            record_id: None,
            profile,
            adapters: adapters(index)?,
            rules: rules()?,
        })
    }

    /// With the catalogued profile `key`: a record id, or the profile's IRI (blocking).
    pub(crate) fn catalogued(
        store: &CatalogStore,
        index: &CatalogIndex,
        key: &str,
    ) -> Result<ProfileContext, ServeError> {
        let id = if key.contains(':') {
            ldtcat_model::record::record_id(key)
        } else {
            key.to_owned()
        };
        let bad = |message: String| ServeError::bad_parameter("profile", message);
        let record = store
            .record(&id)?
            .ok_or_else(|| bad(format!("no LDT profile `{key}` in this catalogue")))?;
        let profile = Profile::from_record(record.kind, &record.iri, &record.triples)
            .map_err(|e| bad(e.to_string()))?;
        Ok(ProfileContext {
            record_id: Some(record.id),
            profile,
            adapters: adapters(index)?,
            rules: rules()?,
        })
    }

    /// The assessor for this profile.
    pub(crate) fn assessor(&self) -> Assessor<'_> {
        Assessor::new(self.rules, &self.profile, &self.adapters)
    }

    /// A component given by its requirement terms.
    pub(crate) fn assess_terms(&self, terms: &[String]) -> Assessment {
        self.assessor().assess_terms(terms)
    }

    /// The index filter that keeps the components whose verdict is one of `verdicts`, given
    /// every distinct requirement term of the index.
    pub(crate) fn filter(&self, all_terms: &[String], verdicts: &[Verdict]) -> RequirementFilter {
        let assessor = self.assessor();
        let mut by_verdict: [Vec<String>; 3] = Default::default();
        let mut assessable = Vec::new();
        for term in all_terms {
            let Some(requirement) = ldtcat_compat::Requirement::from_term(term) else {
                continue;
            };
            let verdict = assessor.assess_requirement(&requirement).verdict;
            by_verdict[verdict as usize].push(term.clone());
            assessable.push(term.clone());
        }
        let [_, limited, incompatible] = by_verdict;
        let worse_than_out_of_the_box: Vec<String> =
            limited.iter().chain(&incompatible).cloned().collect();
        let clauses = verdicts
            .iter()
            .map(|verdict| match verdict {
                Verdict::OutOfTheBox => RequirementClause {
                    any_of: assessable.clone(),
                    none_of: worse_than_out_of_the_box.clone(),
                },
                Verdict::LimitedAdaptations => RequirementClause {
                    any_of: limited.clone(),
                    none_of: incompatible.clone(),
                },
                Verdict::NotCompatible => RequirementClause {
                    any_of: incompatible.clone(),
                    none_of: Vec::new(),
                },
            })
            .collect();
        RequirementFilter { clauses }
    }
}

/// The catalogue's adapter records, from the index (blocking).
pub(crate) fn adapters(index: &CatalogIndex) -> Result<Adapters, ServeError> {
    Ok(index.adapters()?)
}

/// The verdicts named by a `verdicts` parameter (comma-separated).
pub(crate) fn parse_verdicts(name: &str, value: &str) -> Result<Vec<Verdict>, ServeError> {
    let mut verdicts = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let verdict = Verdict::parse(part).ok_or_else(|| {
            ServeError::bad_parameter(
                name,
                format!(
                    "expected out-of-the-box, limited-adaptations or not-compatible, got `{part}`"
                ),
            )
        })?;
        if !verdicts.contains(&verdict) {
            verdicts.push(verdict);
        }
    }
    Ok(verdicts)
}

/// Runs a search, filtered by compatibility when it has `compatible_with`; gives back the
/// profile too, for the verdict of each hit.
pub(crate) async fn run_search(
    state: &AppState,
    params: &SearchParams,
) -> Result<(SearchResults, Option<ProfileContext>), ServeError> {
    let (results, _, context) = run_request(state, params, params.to_request()?, false).await?;
    Ok((results, context))
}

/// [`run_search`] with a request the caller prepared from `params` (its paging, cursor or
/// order); with `count_all`, also the number of matches without the request's cursor
/// (what a cursor page reports as the total).
pub(crate) async fn run_request(
    state: &AppState,
    params: &SearchParams,
    mut request: ldtcat_index::SearchRequest,
    count_all: bool,
) -> Result<(SearchResults, usize, Option<ProfileContext>), ServeError> {
    let store = state.store.clone();
    let index = Arc::clone(&state.index);
    let key = params.compatible_with.clone();
    let verdicts = params.accepted_verdicts();
    blocking(move || {
        let context = match key {
            Some(key) => {
                let context = ProfileContext::catalogued(&store, &index, &key)?;
                let terms = index.requirement_terms()?;
                request.requirements = Some(context.filter(&terms, &verdicts));
                Some(context)
            }
            None => None,
        };
        let results = index.search(&request)?;
        let total = if count_all && (request.after_id.is_some() || request.after_hit.is_some()) {
            let count = ldtcat_index::SearchRequest {
                after_id: None,
                after_hit: None,
                offset: 0,
                limit: 0,
                facets: false,
                ..request
            };
            index.search(&count)?.total
        } else {
            results.total
        };
        Ok::<_, ServeError>((results, total, context))
    })
    .await
}
