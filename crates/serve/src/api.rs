//! The JSON routes: `/api/search` and `/healthz`. The wire shapes are serde structs that
//! live here only; the index's types stay free of serde.

use std::sync::Arc;

use axum::extract::{OriginalUri, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use ldtcat_compat::Verdict;
use ldtcat_index::{FacetCount, FacetField, SearchHit, SearchResults};
use serde::Serialize;

use crate::compat::ProfileContext;
use crate::error::{ApiError, ServeError};
use crate::i18n::Locale;
use crate::labels::facet_value_label;
use crate::query::SearchParams;
use crate::resolver::Labels;
use crate::state::{blocking, AppState};

/// The body of `/api/search`.
#[derive(Debug, Serialize)]
pub(crate) struct SearchResponse {
    total: usize,
    page: usize,
    page_size: usize,
    results: Vec<ResultJson>,
    facets: FacetsJson,
}

/// One hit.
#[derive(Debug, Serialize)]
struct ResultJson {
    id: String,
    iri: String,
    kind: &'static str,
    title: String,
    description: String,
    /// RFC 3339, or `null`.
    modified: Option<String>,
    /// The record page, absolute.
    url: String,
    /// With `compatible_with`: the verdict against that profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    compatibility: Option<Verdict>,
    /// The metadata-quality score (`/api/quality?record=` has the details), or `null`.
    quality: Option<u32>,
}

/// Facet counts by field; every field is present (empty when nothing matches).
#[derive(Debug, Default, Serialize)]
struct FacetsJson {
    kind: Vec<FacetCountJson>,
    theme: Vec<FacetCountJson>,
    publisher: Vec<FacetCountJson>,
    format: Vec<FacetCountJson>,
    licence: Vec<FacetCountJson>,
    source: Vec<FacetCountJson>,
}

#[derive(Debug, Serialize)]
struct FacetCountJson {
    value: String,
    /// How the value reads for a person, in the asked language (`lang`, `Accept-Language`).
    label: String,
    /// The label's language, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    label_lang: Option<String>,
    count: u64,
}

/// The body of `/healthz`.
#[derive(Debug, Serialize)]
pub(crate) struct Health {
    status: &'static str,
    records: u64,
}

/// `GET /api/search`.
pub(crate) async fn search(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    locale: Locale,
) -> Result<Json<SearchResponse>, ApiError> {
    let params = SearchParams::from_query(raw.as_deref())?;
    let (results, context) = crate::compat::run_search(&state, &params).await?;
    // Labels read the index: on the blocking pool.
    let response = blocking(move || {
        Ok::<_, ServeError>(search_response(
            &state,
            &params,
            results,
            context.as_ref(),
            &locale,
        ))
    })
    .await?;
    Ok(Json(response))
}

fn search_response(
    state: &AppState,
    params: &SearchParams,
    results: SearchResults,
    context: Option<&ProfileContext>,
    locale: &Locale,
) -> SearchResponse {
    let mut facets = FacetsJson::default();
    for (field, counts) in &results.facets {
        let slot = match field {
            FacetField::Kind => &mut facets.kind,
            FacetField::Theme => &mut facets.theme,
            FacetField::Publisher => &mut facets.publisher,
            FacetField::Format => &mut facets.format,
            FacetField::Licence => &mut facets.licence,
            FacetField::Source => &mut facets.source,
            FacetField::Keyword | FacetField::Finding => continue, // not counted here
        };
        *slot = counts
            .iter()
            .map(|count| facet_count_json(&state.labels, *field, count, locale))
            .collect();
    }
    SearchResponse {
        total: results.total,
        page: params.page,
        page_size: params.page_size,
        results: results
            .hits
            .iter()
            .map(|hit| result_json(state, hit, context))
            .collect(),
        facets,
    }
}

fn facet_count_json(
    labels: &Labels,
    field: FacetField,
    count: &FacetCount,
    locale: &Locale,
) -> FacetCountJson {
    let label = facet_value_label(labels, field, &count.value, locale);
    FacetCountJson {
        value: count.value.clone(),
        label: label.text,
        label_lang: label.lang,
        count: count.count,
    }
}

fn result_json(state: &AppState, hit: &SearchHit, context: Option<&ProfileContext>) -> ResultJson {
    ResultJson {
        compatibility: context.and_then(|c| c.assess_terms(&hit.requirements).verdict),
        quality: hit.quality,
        id: hit.id.clone(),
        iri: hit.iri.clone(),
        kind: hit.kind.as_str(),
        title: hit.title.clone(),
        description: hit.description.clone(),
        modified: hit.modified.map(|time| time.to_rfc3339()),
        url: state.site.absolute_url(&format!("/resources/{}", hit.id)),
    }
}

/// `GET /healthz`: `{"status":"ok","records":N}` (N: searchable records).
pub(crate) async fn health(State(state): State<Arc<AppState>>) -> Json<Health> {
    Json(Health {
        status: "ok",
        records: state.index.num_docs(),
    })
}

/// Unknown paths under `/api/`: a JSON 404.
pub(crate) async fn api_not_found(OriginalUri(uri): OriginalUri) -> Response {
    ApiError(ServeError::NoRoute {
        path: uri.path().to_owned(),
    })
    .into_response()
}
