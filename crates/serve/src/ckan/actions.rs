//! The read actions on packages: `package_search`, `package_show`, `package_list`,
//! `current_package_list_with_resources`, `resource_show`, `organization_show` and
//! `group_show` with their datasets. Store and index calls run on the blocking pool, each
//! action in one closure.

use std::sync::Arc;

use ldtcat_index::{FacetClause, FacetField, SearchRequest, SortOrder};
use ldtcat_model::ckan::record_id_of_name;
use ldtcat_store::StoredRecord;
use serde::Serialize;

use super::data::DataDict;
use super::envelope::CkanError;
use super::groups::{self, GroupKind};
use super::package::{package_of, Package};
use super::search::{facets_of, Facets, PackageQuery, DEFAULT_ROWS, ROWS_MAX};
use crate::state::{AppState, SiteSettings};

/// The answer of `package_search`.
#[derive(Debug, Serialize)]
pub(crate) struct SearchAnswer {
    count: usize,
    sort: String,
    results: Vec<Package>,
    #[serde(flatten)]
    facets: Facets,
}

/// Runs blocking work, turning a failed task into an internal error.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, CkanError> + Send + 'static,
) -> Result<T, CkanError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| CkanError::Internal(error.into()))?
}

/// The packages of a page of hits, in order (a record gone since the search is left out).
fn packages_of(state: &AppState, ids: &[String]) -> Result<Vec<Package>, CkanError> {
    let mut packages = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(record) = live_record(state, id)? {
            packages.push(package_of(&record, &state.site));
        }
    }
    Ok(packages)
}

fn live_record(state: &AppState, id: &str) -> Result<Option<StoredRecord>, CkanError> {
    let record = state
        .store
        .record(id)
        .map_err(|e| CkanError::Internal(e.into()))?;
    Ok(record.filter(|r| r.deleted_at.is_none()))
}

/// `package_search`.
pub(crate) async fn package_search(
    state: Arc<AppState>,
    data: DataDict,
) -> Result<SearchAnswer, CkanError> {
    let query = PackageQuery::from_data(&data)?;
    blocking(move || run_search(&state, &query)).await
}

fn run_search(state: &AppState, query: &PackageQuery) -> Result<SearchAnswer, CkanError> {
    let request = query.request(&state.index)?;
    let fields = query.index_facet_fields()?;
    let results = state
        .index
        .search_with_facets(&request, &fields)
        .map_err(|e| CkanError::Internal(e.into()))?;
    let ids: Vec<String> = results.hits.iter().map(|hit| hit.id.clone()).collect();
    Ok(SearchAnswer {
        count: results.total,
        sort: query.sort.clone(),
        results: packages_of(state, &ids)?,
        facets: facets_of(query, &results),
    })
}

/// The record of a package id or name (a live one).
fn record_of(state: &AppState, id_or_name: &str) -> Result<StoredRecord, CkanError> {
    let not_found = || CkanError::NotFound("Dataset not found".to_owned());
    let id = id_or_name.trim();
    let record_id = if id.len() == 32 {
        Some(id)
    } else {
        record_id_of_name(id)
    };
    let record = match record_id {
        Some(record_id) => live_record(state, record_id)?,
        None => None,
    };
    let record = record.ok_or_else(not_found)?;
    let is_id = record.id == id;
    if is_id || ldtcat_model::ckan::record_name(&record.iri, &record.id) == id {
        Ok(record)
    } else {
        Err(not_found())
    }
}

/// `package_show`: by id or name.
pub(crate) async fn package_show(
    state: Arc<AppState>,
    data: DataDict,
) -> Result<Package, CkanError> {
    let id = data
        .text("id")
        .or_else(|| data.text("name_or_id"))
        .ok_or_else(|| CkanError::invalid("name_or_id", "Missing value"))?;
    blocking(move || Ok(package_of(&record_of(&state, &id)?, &state.site))).await
}

/// `resource_show`: the resource id starts with its package's record id.
pub(crate) async fn resource_show(
    state: Arc<AppState>,
    data: DataDict,
) -> Result<serde_json::Value, CkanError> {
    let id = data
        .text("id")
        .ok_or_else(|| CkanError::invalid("id", "Missing value"))?;
    blocking(move || {
        let not_found = || CkanError::NotFound("Resource was not found.".to_owned());
        let record_id = id
            .get(..32)
            .filter(|_| id.as_bytes().get(32) == Some(&b'-'))
            .ok_or_else(not_found)?;
        let record = live_record(&state, record_id)?.ok_or_else(not_found)?;
        let package = package_of(&record, &state.site);
        let resource = package
            .resources
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(not_found)?;
        serde_json::to_value(resource).map_err(|e| {
            CkanError::Internal(crate::error::ServeError::Serialization(e.to_string()))
        })
    })
    .await
}

/// `package_list`: every package name, sorted, paged by `limit` and `offset`.
pub(crate) async fn package_list(
    state: Arc<AppState>,
    data: DataDict,
) -> Result<Vec<String>, CkanError> {
    data.boolean("include_private")?;
    let limit = data.natural("limit")?;
    let offset = data.natural("offset")?.unwrap_or(0);
    blocking(move || {
        let everything = usize::try_from(state.index.num_docs()).unwrap_or(usize::MAX);
        let request = SearchRequest {
            sort: SortOrder::Name,
            offset: usize::try_from(offset).unwrap_or(usize::MAX),
            limit: limit.map_or(everything, |l| usize::try_from(l).unwrap_or(usize::MAX)),
            facets: false,
            ..SearchRequest::default()
        };
        let results = state
            .index
            .search(&request)
            .map_err(|e| CkanError::Internal(e.into()))?;
        Ok(results
            .hits
            .iter()
            .map(|hit| ldtcat_model::ckan::record_name(&hit.iri, &hit.id))
            .collect())
    })
    .await
}

/// `current_package_list_with_resources`: `package_search` with no query, most recently
/// changed first (CKAN's `metadata_modified desc`), `limit` (default 10, at most 1,000) from
/// `offset` (or `page`).
pub(crate) async fn current_package_list(
    state: Arc<AppState>,
    data: DataDict,
) -> Result<Vec<Package>, CkanError> {
    let limit = data.natural("limit")?.unwrap_or(DEFAULT_ROWS).min(ROWS_MAX);
    let offset = match (data.natural("offset")?, data.natural("page")?) {
        (Some(offset), _) => offset,
        (None, Some(page)) if page >= 1 => (page - 1).saturating_mul(limit),
        (None, Some(_)) => return Err(CkanError::invalid("page", "Must be a positive integer")),
        (None, None) => 0,
    };
    let search = DataDict::from_query(&format!(
        "rows={limit}&start={offset}&sort=metadata_modified+desc"
    ))?;
    let query = PackageQuery::from_data(&search)?;
    blocking(move || Ok(run_search(&state, &query)?.results)).await
}

/// `organization_show` / `group_show`, with `include_datasets` (up to 1,000, most
/// recently changed first).
pub(crate) async fn group_show(
    state: Arc<AppState>,
    kind: GroupKind,
    data: DataDict,
) -> Result<groups::GroupDict, CkanError> {
    let id = data
        .text("id")
        .ok_or_else(|| CkanError::invalid("id", "Missing value"))?;
    let include_datasets = data.boolean("include_datasets")?.unwrap_or(false);
    blocking(move || {
        let group = groups::find(&state.index, kind, id.trim())?;
        let mut dict = groups::group_dict(kind, &group);
        if include_datasets {
            dict.packages = Some(datasets_of(&state, kind, &group.values)?);
        }
        Ok(dict)
    })
    .await
}

fn datasets_of(
    state: &AppState,
    kind: GroupKind,
    values: &[String],
) -> Result<Vec<serde_json::Value>, CkanError> {
    let field = match kind {
        GroupKind::Organization => FacetField::Publisher,
        GroupKind::Group => FacetField::Theme,
    };
    let request = SearchRequest {
        facet_clauses: vec![FacetClause {
            field,
            values: values.to_vec(),
            negated: false,
        }],
        sort: SortOrder::Changed,
        limit: ROWS_MAX as usize,
        facets: false,
        ..SearchRequest::default()
    };
    let results = state
        .index
        .search(&request)
        .map_err(|e| CkanError::Internal(e.into()))?;
    let ids: Vec<String> = results.hits.iter().map(|hit| hit.id.clone()).collect();
    packages_of(state, &ids)?
        .into_iter()
        .map(|p| {
            serde_json::to_value(p).map_err(|e| {
                CkanError::Internal(crate::error::ServeError::Serialization(e.to_string()))
            })
        })
        .collect()
}

/// `status_show`: the site; the CKAN version is not claimed (as with `ckan.hide_version`).
pub(crate) fn status_show(site: &SiteSettings) -> serde_json::Value {
    serde_json::json!({
        "site_title": site.title,
        "site_description": site.description,
        "site_url": site.public_base_url,
        "error_emails_to": null,
        "locale_default": "en",
        "extensions": ["ldtcat", "dcat"],
        "ldtcat_version": env!("CARGO_PKG_VERSION"),
    })
}
