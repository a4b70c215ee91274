//! `/resources/{id}`: one record, readable: title, kind and why, every statement, the
//! distributions, the provenance and the record's dates. 404 for unknown ids, 410 for
//! withdrawn records (tombstones).

use std::sync::Arc;

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use ldtcat_compat::requirements_of;
use ldtcat_store::{Provenance, StoredRecord};
use ldtcat_vocab::Kind;

use super::schema_org::schema_org_json_ld;
use crate::compat::view::{assessment_view, profile_options, AssessmentView, ProfileOption};
use crate::compat::ProfileContext;
use crate::dcat::{alternate_links, rdf_response, record_document, RdfSyntax, WithQuality};
use crate::error::{ApiError, ServeError};
use crate::html::{render_page, respond, respond_in, Layout};
use crate::i18n::{Locale, Messages};
use crate::labels::format_time;
use crate::map::{extent_map, MapView};
use crate::negotiate::choose;
use crate::pages::{kind_label, LocalText};
use crate::query::decode_pairs;
use crate::resolver::RecordLabels;
use crate::rich_text::RichText;
use crate::state::{blocking, AppState};
use crate::statements::{group_statements, iri_value, url_value, Statements, Value};

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
    /// `origin catalogue, n hop(s)` for copies read from peers, `data space participant …`
    /// for records from a DSP catalog; empty for local sources.
    origin: String,
    /// The source's ill-typed statements as it gave them (the page shows them corrected).
    corrected: Vec<String>,
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
    title: LocalText,
    /// The description, rendered and sanitised.
    description: Option<RichText>,
    /// The description's language, when it is not the page's.
    description_lang: Option<String>,
    /// The spatial extent on a map.
    map: Option<MapView>,
    kind: &'static str,
    kind_label: &'static str,
    rule_label: String,
    rule_iri: Value,
    statements: Statements,
    provenance: Vec<ProvenanceView>,
    /// Where the stored description entered the federation.
    origin: Value,
    /// How it reached this catalogue: hop count and the catalogues on the way.
    path: String,
    dates: Vec<DateView>,
    /// The RDF versions of the page: (absolute URL, media type).
    alternates: Vec<(String, &'static str)>,
    /// schema.org JSON-LD, escaped for a `<script>` element.
    schema_org: String,
    /// Whether the record states requirements (a component).
    has_requirements: bool,
    /// The catalogued LDT profiles to assess against.
    profiles: Vec<ProfileOption>,
    /// The assessment against the chosen profile.
    assessment: Option<AssessmentView>,
    /// For an LDT profile: its compatible components.
    compatible_href: Option<String>,
    /// The record's metadata quality.
    quality: QualityView,
}

/// A record's metadata quality, as shown.
struct QualityView {
    score: u32,
    max_measured: u32,
    rating: &'static str,
    /// `(dimension, points, measured maximum)`.
    dimensions: Vec<(&'static str, u32, u32)>,
    findings: Vec<FindingView>,
    /// `/api/quality?record=…`.
    api_href: String,
}

/// One finding, in plain words.
struct FindingView {
    group: &'static str,
    severity: &'static str,
    message: String,
}

fn quality_view(record: &StoredRecord, t: &'static Messages) -> QualityView {
    let assessment = crate::quality::assess_record(record);
    let score = &assessment.score;
    let rating = crate::quality::scaled_rating(score.total, score.max_measured);
    QualityView {
        score: score.total,
        max_measured: score.max_measured,
        rating: crate::quality::rating_label(rating, t),
        dimensions: score
            .dimensions
            .iter()
            .map(|d| {
                let key = format!("quality.{}", d.dimension.name().to_ascii_lowercase());
                (t.get(&key), d.points, d.max_measured)
            })
            .collect(),
        findings: assessment
            .findings
            .iter()
            .map(|grouped| FindingView {
                group: t.get(&format!("quality.group_{}", grouped.group.as_str())),
                severity: t.get(&format!(
                    "quality.severity_{}",
                    crate::quality::severity_name(grouped.finding.severity)
                )),
                message: crate::quality::finding_text(&grouped.finding, t),
            })
            .collect(),
        api_href: format!("/api/quality?record={}", record.id),
    }
}

/// `GET /resources/{id}[.ttl|.jsonld|.rdf|.nt]`: HTML for browsers, RDF for machines (by
/// extension or `Accept`), with `Link: rel=alternate` headers either way.
pub(crate) async fn record(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    locale: Locale,
) -> Response {
    let id = match id {
        Ok(Path(id)) => id,
        Err(rejection) => {
            return respond(
                &state.site,
                Err(ServeError::bad_parameter("id", rejection.body_text())),
            )
        }
    };
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let (id, syntax) = match id.rsplit_once('.') {
        Some((bare, extension)) => match RdfSyntax::from_extension(extension) {
            Some(syntax) => (bare.to_owned(), Some(syntax)),
            None => (id, None),
        },
        None => {
            let mut offers = vec!["text/html", "application/xhtml+xml"];
            offers.extend(RdfSyntax::ALL.iter().map(|s| s.media_type()));
            let syntax = match choose(accept, &offers) {
                Some(index) if index >= 2 => Some(RdfSyntax::ALL[index - 2]),
                _ => None,
            };
            (id, syntax)
        }
    };
    let links = alternate_links(&state.site.absolute_url(&format!("/resources/{id}")));
    let mut response = match syntax {
        Some(syntax) => match record_rdf(&state, id, syntax).await {
            Ok(response) => response,
            Err(error) => ApiError(error).into_response(),
        },
        None => {
            let page = record_page(Arc::clone(&state), id, raw.as_deref(), locale.clone()).await;
            respond_in(&state.site, page, &locale)
        }
    };
    let response_headers = response.headers_mut();
    response_headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    for link in links {
        if let Ok(value) = HeaderValue::from_str(&link) {
            response_headers.append(header::LINK, value);
        }
    }
    response
}

async fn record_rdf(
    state: &AppState,
    id: String,
    syntax: RdfSyntax,
) -> Result<Response, ServeError> {
    if !is_plausible_id(&id) {
        return Err(ServeError::RecordNotFound { id });
    }
    let store = state.store.clone();
    let lookup_id = id.clone();
    let (document, deleted_at) = blocking(move || {
        let document = record_document(&store, &lookup_id, WithQuality::Yes)?;
        let deleted_at = match document {
            Some(_) => None,
            None => store.tombstone(&lookup_id)?.and_then(|t| t.deleted_at),
        };
        Ok::<_, ServeError>((document, deleted_at))
    })
    .await?;
    match (document, deleted_at) {
        (Some(triples), _) => rdf_response(syntax, &triples, &[]),
        (None, Some(deleted_at)) => Err(ServeError::RecordGone { id, deleted_at }),
        (None, None) => Err(ServeError::RecordNotFound { id }),
    }
}

/// Whether a path segment can be a record id (no store lookup otherwise).
fn is_plausible_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LENGTH
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

async fn record_page(
    state: Arc<AppState>,
    id: String,
    raw_query: Option<&str>,
    locale: Locale,
) -> Result<Response, ServeError> {
    if !is_plausible_id(&id) {
        return Err(ServeError::RecordNotFound { id });
    }
    let profile_key = decode_pairs(raw_query.unwrap_or(""))?
        .into_iter()
        .find(|(name, value)| name == "profile" && !value.trim().is_empty())
        .map(|(_, value)| value.trim().to_owned());
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
    let (store, index) = (state.store.clone(), Arc::clone(&state.index));
    let page = blocking(move || {
        let has_requirements = !requirements_of(&record.iri, &record.triples).is_empty();
        let profiles = if has_requirements {
            profile_options(&index, profile_key.as_deref())?
        } else {
            Vec::new()
        };
        let assessment = match &profile_key {
            Some(key) => {
                let context = ProfileContext::catalogued(&store, &index, key)?;
                Some(assessment_view(&context, &record, locale.messages))
            }
            None => None,
        };
        // Labels read the index and descriptions are sanitised here, off the async workers.
        let mut page = record_view(&state, record, &locale);
        page.has_requirements = has_requirements;
        page.profiles = profiles;
        page.assessment = assessment;
        Ok::<_, ServeError>(page)
    })
    .await?;
    render_page(StatusCode::OK, &page)
}

fn record_view(state: &AppState, record: StoredRecord, locale: &Locale) -> RecordPage {
    let summary = record.summary_unscored();
    let t = locale.messages;
    let mut title = LocalText::pick(&summary.titles, locale);
    if title.text.is_empty() {
        title = LocalText::plain(summary.display_title());
    }
    let description_text = locale.languages.pick_text(&summary.descriptions);
    let description = description_text.map(|d| RichText::render(&d.value));
    let description_lang = description_text
        .and_then(|d| d.lang.clone())
        .filter(|lang| ldtcat_model::language::primary_subtag(lang) != locale.ui);
    let meta_description = description_text
        .map(|d| ldtcat_model::text::snippet_text(&d.value))
        .map(|text| text.chars().take(300).collect::<String>())
        .unwrap_or_default();
    let rule_label = match state.rules.rule(&record.rule) {
        Some(rule) => rule.label.clone(),
        None => t.get("record.no_rule").to_owned(),
    };
    let dates = [
        (t.get("record.resource_modified"), summary.modified),
        (t.get("record.first_catalogued"), record.issued),
        (t.get("record.description_changed"), record.modified),
        (t.get("record.last_harvested"), record.last_seen),
    ]
    .into_iter()
    .filter_map(|(label, time)| time.map(|time| date_view(label, &time)))
    .collect();
    let record_labels = RecordLabels::of(&record.triples);
    let name_of = |iri: &str| {
        let mut label = state
            .labels
            .label_in(iri, Some(&record_labels), &locale.languages);
        // A label in the page's language needs no `lang` attribute.
        label.lang = label
            .lang
            .filter(|lang| ldtcat_model::language::primary_subtag(lang) != locale.ui);
        label
    };
    let page_path = format!("/resources/{}", record.id);
    let schema_org = schema_org_json_ld(&summary, &state.site.absolute_url(&page_path));
    let alternates = RdfSyntax::ALL
        .iter()
        .map(|syntax| {
            (
                state
                    .site
                    .absolute_url(&format!("{page_path}.{}", syntax.extension())),
                syntax.media_type(),
            )
        })
        .collect();
    RecordPage {
        alternates,
        schema_org,
        layout: Layout::localised(&state.site, title.text.clone(), locale)
            .with_description(&meta_description),
        iri: url_value(&record.iri),
        description,
        description_lang,
        map: summary.bbox.as_ref().map(|bbox| extent_map(bbox, locale)),
        kind: record.kind.as_str(),
        kind_label: kind_label(record.kind, locale),
        rule_label,
        rule_iri: iri_value(&record.rule, &name_of),
        statements: group_statements(&record.iri, &record.triples, &name_of),
        provenance: record
            .provenance
            .iter()
            .map(|p| provenance_view(p, &record.primary_source))
            .collect(),
        origin: url_value(
            &record
                .origin
                .as_ref()
                .map_or_else(|| state.site.catalogue_iri(), |o| o.catalogue.clone()),
        ),
        path: match &record.origin {
            None => "entered the federation here (0 hops)".to_owned(),
            Some(origin) => format!(
                "{} hop(s): {} → this catalogue",
                origin.hops(),
                origin.path.join(" → ")
            ),
        },
        dates,
        title,
        has_requirements: false,
        profiles: Vec::new(),
        assessment: None,
        compatible_href: (record.kind == Kind::Ldt)
            .then(|| locale.link(&format!("/search?compatible_with={}", record.id))),
        quality: quality_view(&record, locale.messages),
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
        source_url: url_value(&provenance.source_url),
        first_seen: provenance.first_seen.as_ref().map(format_time),
        last_seen: provenance.last_seen.as_ref().map(format_time),
        short_hash: provenance.hash.chars().take(12).collect(),
        hash: provenance.hash.clone(),
        primary: provenance.source_id == primary_source,
        origin: provenance
            .origin
            .as_ref()
            .map(|o| format!("{}, {} hop(s)", o.catalogue, o.hops()))
            .into_iter()
            .chain(
                provenance
                    .participant
                    .as_ref()
                    .map(|p| format!("data space participant {p}")),
            )
            .collect::<Vec<_>>()
            .join("; "),
        corrected: provenance
            .corrected
            .iter()
            .cloned()
            .chain(provenance.repaired.iter().map(|r| r.replace('\t', ": ")))
            .collect(),
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
