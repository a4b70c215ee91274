//! A CKAN-compatible Action API under `/api/3/action/{action}` and `/api/action/{action}`,
//! so that CKAN clients and harvesters (ckanapi, CKAN's own CKAN harvester) read ldtcat
//! unmodified. Read actions answer GET (URL parameters) and POST (a JSON body), in CKAN's
//! envelope `{"help", "success", "result"}`; errors are CKAN's (`envelope`); write actions
//! answer 403 Authorization Error. Packages are shaped by `package` after the one CKAN ↔
//! DCAT mapping of `ldtcat_model::ckan`; `package_search` is `/api/search`'s search
//! (`search`).

mod actions;
mod data;
mod envelope;
mod filter;
mod groups;
mod names;
mod package;
mod search;
mod spatial;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, Method};
use axum::response::Response;
use serde::Serialize;

use crate::state::AppState;
use data::DataDict;
use envelope::{failure, help_url, success, CkanError};
use groups::GroupKind;

/// The read actions served, with one line each for `help_show`.
const ACTIONS: &[(&str, &str)] = &[
    ("status_show", "Return a dictionary with information about the site's configuration."),
    ("site_read", "Return true: the site can be read."),
    ("help_show", "Return the help string for a particular API action (:param name)."),
    ("package_search", "Search packages: q, fq, fq_list, sort, rows (at most 1000), start, facet, facet.field, facet.limit, include_private (refused), include_drafts, include_deleted."),
    ("package_show", "Return the metadata of a dataset (package) and its resources (:param id: the id or name)."),
    ("package_list", "Return a list of the names of the site's datasets, sorted by name (:param limit, :param offset)."),
    ("current_package_list_with_resources", "Return datasets and their resources, most recently modified first (:param limit, at most 1000, :param offset, :param page)."),
    ("resource_show", "Return the metadata of a resource (:param id)."),
    ("organization_list", "Return the names of the organizations (publishers) (:param sort, limit, offset, all_fields, q, organizations)."),
    ("organization_show", "Return the details of an organization (:param id: id or name, :param include_datasets)."),
    ("group_list", "Return the names of the groups (themes) (:param sort, limit, offset, all_fields, q, groups)."),
    ("group_show", "Return the details of a group (:param id: id or name, :param include_datasets)."),
    ("tag_list", "Return the site's tags (keywords) (:param query, :param all_fields)."),
    ("license_list", "Return the licences the site's datasets use."),
];

/// Suffixes and names of CKAN's write actions: refused with an Authorization Error.
const WRITE_SUFFIXES: &[&str] = &[
    "_create", "_update", "_patch", "_delete", "_purge", "_revise", "_reorder", "_import",
];

fn is_write_action(name: &str) -> bool {
    WRITE_SUFFIXES.iter().any(|suffix| name.ends_with(suffix))
        || name.starts_with("member_")
        || name.starts_with("bulk_update_")
}

/// `/api/3/action/{action}` and `/api/action/{action}`, any method.
pub(crate) async fn action(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    method: Method,
    headers: HeaderMap,
    RawQuery(raw_query): RawQuery,
    body: Bytes,
) -> Response {
    let help = help_url(&state.site.public_base_url, &name);
    let data = match read_data(&method, &headers, raw_query.as_deref(), &body) {
        Ok(data) => data,
        Err(error) => return failure(&help, error),
    };
    match run(state, &name, data, &help).await {
        Ok(response) => response,
        Err(error) => failure(&help, error),
    }
}

fn read_data(
    method: &Method,
    headers: &HeaderMap,
    raw_query: Option<&str>,
    body: &Bytes,
) -> Result<DataDict, CkanError> {
    if *method != Method::GET && *method != Method::POST {
        return Err(CkanError::BadRequest(format!(
            "{method} is not supported: use GET or POST"
        )));
    }
    if *method == Method::POST && !body.iter().all(u8::is_ascii_whitespace) {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        return DataDict::from_body(body, content_type);
    }
    DataDict::from_query(raw_query.unwrap_or(""))
}

fn answer<T: Serialize>(help: &str, result: Result<T, CkanError>) -> Result<Response, CkanError> {
    result.map(|value| success(help, value))
}

async fn run(
    state: Arc<AppState>,
    name: &str,
    data: DataDict,
    help: &str,
) -> Result<Response, CkanError> {
    let index = Arc::clone(&state.index);
    let facet_work = |work: fn(
        &ldtcat_index::CatalogIndex,
        &DataDict,
    ) -> Result<serde_json::Value, CkanError>| {
        let index = Arc::clone(&index);
        let data = data.clone();
        async move {
            tokio::task::spawn_blocking(move || work(&index, &data))
                .await
                .map_err(|error| CkanError::Internal(error.into()))?
        }
    };
    match name {
        "status_show" => answer(help, Ok(actions::status_show(&state.site))),
        "site_read" => answer(help, Ok(true)),
        "help_show" => answer(help, help_show(&data)),
        "package_search" => answer(help, actions::package_search(state, data).await),
        "package_show" => answer(help, actions::package_show(state, data).await),
        "package_list" => answer(help, actions::package_list(state, data).await),
        "current_package_list_with_resources" => answer(help, actions::current_package_list(state, data).await),
        "resource_show" => answer(help, actions::resource_show(state, data).await),
        "organization_show" => answer(help, actions::group_show(state, GroupKind::Organization, data).await),
        "group_show" => answer(help, actions::group_show(state, GroupKind::Group, data).await),
        "organization_list" => answer(help, facet_work(|i, d| groups::list(i, GroupKind::Organization, d)).await),
        "group_list" => answer(help, facet_work(|i, d| groups::list(i, GroupKind::Group, d)).await),
        "tag_list" => answer(help, facet_work(groups::tag_list).await),
        "license_list" => answer(help, facet_work(|i, _| groups::license_list(i)).await),
        write if is_write_action(write) => Err(CkanError::Authorization(format!(
            "{write} is not allowed: this catalogue is read-only through the Action API (records come from its harvested sources)"
        ))),
        unknown => Err(CkanError::UnknownAction(unknown.to_owned())),
    }
}

fn help_show(data: &DataDict) -> Result<String, CkanError> {
    let name = data
        .text("name")
        .ok_or_else(|| CkanError::invalid("name", "Missing value"))?;
    ACTIONS
        .iter()
        .find(|(action, _)| *action == name)
        .map(|(_, help)| (*help).to_owned())
        .ok_or_else(|| CkanError::NotFound("Action function not found".to_owned()))
}
