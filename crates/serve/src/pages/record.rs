//! `/resources/{id}`: one record, readable: title, kind and why, every statement, the
//! distributions, the provenance and the record's dates. 404 for unknown ids, 410 for
//! withdrawn records (tombstones).

use std::sync::Arc;

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use ldtcat_model::extract::{summarize, RecordFacts};
use ldtcat_store::{Provenance, StoredRecord};

use crate::error::ServeError;
use crate::html::{render_page, respond, Layout};
use crate::labels::format_time;
use crate::state::{blocking, AppState};
use crate::statements::{group_statements, iri_value, Statements, Value};

/// The longest record id looked up (ids are 32 hex digits; anything much longer is no id).
const MAX_ID_LENGTH: usize = 128;

/// One source's delivery, as shown.
struct ProvenanceView {
    source_id: String,
    source_url: Value,
    first_seen: Option<String>,
    last_seen: Option<String>,
    hash: String,
    short_hash: String,
    primary: bool,
}

/// A date with its machine-readable form.
struct DateView {
    label: &'static str,
    text: String,
    iso: String,
}

#[derive(Template)]
#[template(path = "record.html")]
struct RecordPage {
    layout: Layout,
    id: String,
    iri: Value,
    title: String,
    description: String,
    kind: &'static str,
    kind_label: &'static str,
    rule_label: String,
    rule_iri: Value,
    statements: Statements,
    provenance: Vec<ProvenanceView>,
    dates: Vec<DateView>,
}

/// `GET /resources/{id}`.
pub(crate) async fn record(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let result = match id {
        Ok(Path(id)) => record_page(&state, id).await,
        Err(rejection) => Err(ServeError::bad_parameter("id", rejection.body_text())),
    };
    respond(&state.site, result)
}

/// Whether a path segment can be a record id (no store lookup otherwise).
fn is_plausible_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LENGTH
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

async fn record_page(state: &AppState, id: String) -> Result<Response, ServeError> {
    if !is_plausible_id(&id) {
        return Err(ServeError::RecordNotFound { id });
    }
    let store = state.store.clone();
    let lookup_id = id.clone();
    let found = blocking(move || {
        // A harvested record that no source delivers any more is a tombstone in the
        // store's default graph: 410, not 404.
        let tombstone_time = match store.record(&lookup_id)? {
            Some(record) => return Ok((Some(record), None)),
            None => store.tombstone(&lookup_id)?.and_then(|t| t.deleted_at),
        };
        Ok::<_, ldtcat_store::StoreError>((None, tombstone_time))
    })
    .await?;
    let record = match found {
        (Some(record), _) => record,
        (None, Some(deleted_at)) => return Err(ServeError::RecordGone { id, deleted_at }),
        (None, None) => return Err(ServeError::RecordNotFound { id }),
    };
    if let Some(deleted_at) = record.deleted_at {
        return Err(ServeError::RecordGone { id, deleted_at });
    }
    let page = record_view(state, record);
    render_page(StatusCode::OK, &page)
}

fn record_view(state: &AppState, record: StoredRecord) -> RecordPage {
    let sources: Vec<String> = record
        .provenance
        .iter()
        .map(|p| p.source_id.clone())
        .collect();
    let facts = RecordFacts {
        id: &record.id,
        iri: &record.iri,
        kind: record.kind,
        sources: &sources,
    };
    let summary = summarize(&facts, &record.triples);
    let title = summary.display_title().to_owned();
    let rule_label = match state.rules.rule(&record.rule) {
        Some(rule) => rule.label.clone(),
        None => "no classification rule matched: treated as a dataset".to_owned(),
    };
    let dates = [
        ("Resource modified", summary.modified),
        ("First catalogued", record.issued),
        ("Description last changed", record.modified),
        ("Last harvested", record.last_seen),
    ]
    .into_iter()
    .filter_map(|(label, time)| time.map(|time| date_view(label, &time)))
    .collect();
    RecordPage {
        layout: Layout::new(&state.site, title.clone()),
        iri: iri_value(&record.iri),
        description: summary.display_description().to_owned(),
        kind: record.kind.as_str(),
        kind_label: record.kind.label(),
        rule_label,
        rule_iri: iri_value(&record.rule),
        statements: group_statements(&record.iri, &record.triples),
        provenance: record
            .provenance
            .iter()
            .map(|p| provenance_view(p, &record.primary_source))
            .collect(),
        dates,
        title,
        id: record.id,
    }
}

fn date_view(label: &'static str, time: &DateTime<Utc>) -> DateView {
    DateView {
        label,
        text: format_time(time),
        iso: time.to_rfc3339(),
    }
}

fn provenance_view(provenance: &Provenance, primary_source: &str) -> ProvenanceView {
    ProvenanceView {
        source_id: provenance.source_id.clone(),
        source_url: iri_value(&provenance.source_url),
        first_seen: provenance.first_seen.as_ref().map(format_time),
        last_seen: provenance.last_seen.as_ref().map(format_time),
        short_hash: provenance.hash.chars().take(12).collect(),
        hash: provenance.hash.clone(),
        primary: provenance.source_id == primary_source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plausible_ids_reach_the_store() {
        assert!(is_plausible_id("0123456789abcdef0123456789abcdef"));
        assert!(!is_plausible_id(""));
        assert!(!is_plausible_id("a b"));
        assert!(!is_plausible_id("a:b"));
        assert!(!is_plausible_id(&"a".repeat(200)));
    }
}
