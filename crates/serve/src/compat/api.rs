//! `GET /api/compatibility?profile=&component=` and `POST /api/compatibility` (the profile in
//! the body: Turtle, N-Triples, RDF/XML, JSON-LD or the TOML form).
//!
//! With a component: its verdict and one explained verdict per requirement, each naming its
//! rule. Without: the counts of components per verdict and a page of components with their
//! verdicts (`limit`, at most [`MAX_LIMIT`]; `verdicts` to choose which).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::Json;
use ldtcat_compat::{requirements_of, Assessment, Profile, Verdict};
use ldtcat_index::{SearchRequest, SortOrder};
use oxrdfio::RdfFormat;
use serde::Serialize;

use super::{parse_verdicts, ProfileContext};
use crate::error::{ApiError, ServeError};
use crate::query::decode_pairs;
use crate::state::{blocking, AppState};

/// The most components listed in one answer.
pub(crate) const MAX_LIMIT: usize = 1000;
const DEFAULT_LIMIT: usize = 100;

#[derive(Debug, Default)]
struct Params {
    profile: Option<String>,
    component: Option<String>,
    verdicts: Vec<Verdict>,
    limit: usize,
}

fn params(raw: Option<&str>) -> Result<Params, ServeError> {
    let mut params = Params {
        limit: DEFAULT_LIMIT,
        ..Params::default()
    };
    for (name, value) in decode_pairs(raw.unwrap_or(""))? {
        match name.as_str() {
            "profile" => params.profile = Some(value),
            "component" => params.component = Some(value),
            "verdicts" => params.verdicts = parse_verdicts(&name, &value)?,
            "limit" => {
                params.limit = value
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| ServeError::bad_parameter("limit", "expected a number"))?
                    .min(MAX_LIMIT)
            }
            _ => {}
        }
    }
    if params.verdicts.is_empty() {
        params.verdicts = Verdict::ALL.to_vec();
    }
    Ok(params)
}

/// The answer.
#[derive(Debug, Serialize)]
pub(crate) struct CompatibilityResponse {
    profile: ProfileJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    component: Option<ComponentJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counts: Option<CountsJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    components: Option<Vec<ComponentVerdictJson>>,
}

#[derive(Debug, Serialize)]
struct ProfileJson {
    iri: String,
    title: Option<String>,
    /// The record id, when the profile is catalogued.
    id: Option<String>,
}

#[derive(Debug, Serialize)]
struct ComponentJson {
    id: String,
    iri: String,
    title: String,
    kind: &'static str,
    /// `null` when the component states no requirement.
    verdict: Option<Verdict>,
    assessment: Assessment,
}

#[derive(Debug, Serialize)]
struct CountsJson {
    #[serde(rename = "out-of-the-box")]
    out_of_the_box: usize,
    #[serde(rename = "limited-adaptations")]
    limited_adaptations: usize,
    #[serde(rename = "not-compatible")]
    not_compatible: usize,
}

#[derive(Debug, Serialize)]
struct ComponentVerdictJson {
    id: String,
    iri: String,
    title: String,
    kind: &'static str,
    verdict: Option<Verdict>,
    url: String,
}

/// `GET /api/compatibility`.
pub(crate) async fn get_compatibility(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<CompatibilityResponse>, ApiError> {
    let params = params(raw.as_deref())?;
    let key = params.profile.clone().ok_or_else(|| {
        ServeError::bad_parameter("profile", "give the LDT profile's record id or IRI")
    })?;
    let (store, index) = (state.store.clone(), Arc::clone(&state.index));
    let context = blocking(move || ProfileContext::catalogued(&store, &index, &key)).await?;
    Ok(Json(answer(&state, context, params).await?))
}

/// `POST /api/compatibility`: the profile in the body.
pub(crate) async fn post_compatibility(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<CompatibilityResponse>, ApiError> {
    let body = body.map_err(|rejection| {
        if crate::limits::is_too_large(rejection.status()) {
            crate::limits::body_too_large()
        } else {
            ServeError::BadBody(rejection.body_text())
        }
    })?;
    let params = params(raw.as_deref())?;
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let text = std::str::from_utf8(&body)
        .map_err(|_| ServeError::BadBody("the profile is not UTF-8 text".to_owned()))?;
    let profile = match media_type.as_str() {
        "application/toml" | "text/x-toml" | "text/toml" => Profile::from_toml(text),
        other => {
            let format = RdfFormat::from_media_type(other).ok_or_else(|| {
                ServeError::BadBody(format!(
                    "unsupported Content-Type `{other}`: send text/turtle, application/n-triples, \
                     application/rdf+xml, application/ld+json or application/toml"
                ))
            })?;
            Profile::from_rdf(text, format)
        }
    }
    .map_err(|e| ServeError::BadBody(e.to_string()))?;
    let index = Arc::clone(&state.index);
    let context = blocking(move || ProfileContext::for_profile(&index, profile)).await?;
    Ok(Json(answer(&state, context, params).await?))
}

async fn answer(
    state: &AppState,
    context: ProfileContext,
    params: Params,
) -> Result<CompatibilityResponse, ServeError> {
    let store = state.store.clone();
    let index = Arc::clone(&state.index);
    let site = state.site.clone();
    blocking(move || {
        let profile = ProfileJson {
            iri: context.profile.iri.clone(),
            title: context.profile.title.clone(),
            id: context.record_id.clone(),
        };
        if let Some(component_id) = &params.component {
            let record = store
                .record(component_id)?
                .ok_or_else(|| ServeError::RecordNotFound {
                    id: component_id.clone(),
                })?;
            let requirements = requirements_of(&record.iri, &record.triples);
            let assessment = context.assessor().assess(&requirements);
            let summary = record.summary_unscored();
            return Ok::<_, ServeError>(CompatibilityResponse {
                profile,
                component: Some(ComponentJson {
                    title: summary.display_title().to_owned(),
                    id: record.id,
                    iri: record.iri,
                    kind: record.kind.as_str(),
                    verdict: assessment.verdict,
                    assessment,
                }),
                counts: None,
                components: None,
            });
        }
        let terms = index.requirement_terms()?;
        let count = |verdict: Verdict| -> Result<usize, ServeError> {
            let request = SearchRequest {
                limit: 0,
                facets: false,
                requirements: Some(context.filter(&terms, &[verdict])),
                ..SearchRequest::default()
            };
            Ok(index.search(&request)?.total)
        };
        let counts = CountsJson {
            out_of_the_box: count(Verdict::OutOfTheBox)?,
            limited_adaptations: count(Verdict::LimitedAdaptations)?,
            not_compatible: count(Verdict::NotCompatible)?,
        };
        let request = SearchRequest {
            limit: params.limit,
            facets: false,
            sort: SortOrder::Id,
            requirements: Some(context.filter(&terms, &params.verdicts)),
            ..SearchRequest::default()
        };
        let components = index
            .search(&request)?
            .hits
            .into_iter()
            .map(|hit| ComponentVerdictJson {
                verdict: context.assess_terms(&hit.requirements).verdict,
                url: site.absolute_url(&format!("/resources/{}", hit.id)),
                id: hit.id,
                iri: hit.iri,
                title: hit.title,
                kind: hit.kind.as_str(),
            })
            .collect();
        Ok(CompatibilityResponse {
            profile,
            component: None,
            counts: Some(counts),
            components: Some(components),
        })
    })
    .await
}
