//! Extracting a [`RecordSummary`] from a record's statements.
//!
//! Runs identically at import and at reindex (both read the same statements), which is what
//! makes the index a pure function of the store.

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use ldtcat_vocab::authority::authority;
use ldtcat_vocab::{ns, Kind};
use oxrdf::{NamedOrBlankNode, Term, Triple};

use crate::literal::Correction;
use crate::split::Repair;
use crate::summary::{
    pick_display, BoundingBox, LangString, NodeLabel, RecordQuality, RecordSummary,
    TemporalCoverage,
};

/// What is known of a record besides its statements.
pub struct RecordFacts<'a> {
    /// Record id.
    pub id: &'a str,
    /// Resource IRI.
    pub iri: &'a str,
    /// Kind.
    pub kind: Kind,
    /// Source ids.
    pub sources: &'a [String],
    /// The statements whose literal the source gave ill-typed, as it gave them: findings of
    /// the record's quality.
    pub corrections: &'a [Correction],
    /// The statements in which parsing repaired an IRI or a language tag: findings too.
    pub repairs: &'a [Repair],
    /// The last checks of the record's access and download URLs (none: not measured).
    pub links: &'a [ldtcat_quality::LinkCheck],
}

struct View<'a> {
    triples: &'a [Triple],
}

fn node_key(node: &NamedOrBlankNode) -> &str {
    match node {
        NamedOrBlankNode::NamedNode(n) => n.as_str(),
        NamedOrBlankNode::BlankNode(b) => b.as_str(),
    }
}

fn term_node_key(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(n) => Some(n.as_str()),
        Term::BlankNode(b) => Some(b.as_str()),
        _ => None,
    }
}

impl<'a> View<'a> {
    fn objects(&self, subject: &str, predicate: &str) -> impl Iterator<Item = &'a Term> + '_ {
        let predicate = predicate.to_owned();
        let subject = subject.to_owned();
        self.triples
            .iter()
            .filter(move |t| t.predicate.as_str() == predicate && node_key(&t.subject) == subject)
            .map(|t| &t.object)
    }

    fn lang_strings(&self, subject: &str, predicate: &str) -> Vec<LangString> {
        let mut values: Vec<LangString> = self
            .objects(subject, predicate)
            .filter_map(|term| match term {
                Term::Literal(l) if !l.value().trim().is_empty() => Some(LangString {
                    value: l.value().trim().to_owned(),
                    lang: l.language().map(str::to_ascii_lowercase),
                }),
                _ => None,
            })
            .collect();
        values.dedup();
        values
    }

    fn texts(&self, subject: &str, predicate: &str) -> Vec<String> {
        self.objects(subject, predicate)
            .filter_map(|term| match term {
                Term::NamedNode(n) => Some(n.as_str().to_owned()),
                Term::Literal(l) if !l.value().trim().is_empty() => {
                    Some(l.value().trim().to_owned())
                }
                _ => None,
            })
            .collect()
    }

    fn linked_nodes(&self, subject: &str, predicate: &str) -> Vec<&'a str> {
        self.objects(subject, predicate)
            .filter_map(term_node_key)
            .collect()
    }

    fn first_literal(&self, subject: &str, predicates: &[String]) -> Option<String> {
        predicates.iter().find_map(|p| {
            self.objects(subject, p).find_map(|t| match t {
                Term::Literal(l) => Some(l.value().trim().to_owned()),
                _ => None,
            })
        })
    }
}

fn dct(local: &str) -> String {
    format!("{}{local}", ns::DCT)
}

fn dcat(local: &str) -> String {
    format!("{}{local}", ns::DCAT)
}

/// The summary of one record, with its metadata quality (unless switched off, see
/// [`set_quality_assessment`]): what the index keeps.
pub fn summarize(facts: &RecordFacts<'_>, triples: &[Triple]) -> RecordSummary {
    let mut summary = summarize_unscored(facts, triples);
    if quality_assessment_enabled() {
        summary.quality = Some(record_quality(
            triples,
            facts.iri,
            facts.kind,
            facts.corrections,
            facts.repairs,
            facts.links,
        ));
    }
    summary
}

/// [`summarize`] without the quality assessment, for the pages and interfaces that show a
/// record and have no use for its score (the index has it).
pub fn summarize_unscored(facts: &RecordFacts<'_>, triples: &[Triple]) -> RecordSummary {
    let view = View { triples };
    let root = facts.iri;
    let mut parts: Vec<&str> = vec![root];
    parts.extend(view.linked_nodes(root, &dcat("distribution")));

    let mut formats = Vec::new();
    let mut licences = Vec::new();
    for part in &parts {
        for predicate in [dcat("mediaType"), dct("format"), dcat("packageFormat")] {
            formats.extend(
                view.texts(part, &predicate)
                    .into_iter()
                    .map(|f| format_facet_value(&f)),
            );
        }
        licences.extend(
            view.texts(part, &dct("license"))
                .into_iter()
                .map(|licence| licence_facet_value(&licence)),
        );
    }
    sort_dedup(&mut formats);
    sort_dedup(&mut licences);

    let mut publishers = Vec::new();
    for predicate in [dct("publisher"), format!("{}hasProvider", ns::MLDCAT)] {
        for term in view.objects(root, &predicate) {
            let name = term_node_key(term).and_then(|node| {
                let names = view.lang_strings(node, &format!("{}name", ns::FOAF));
                pick_display(&names).map(str::to_owned)
            });
            // An IRI publisher is kept as its IRI, so that records naming it and records
            // that do not are one facet value; pages name it (its `foaf:name` is in `labels`).
            match (name, term) {
                (_, Term::NamedNode(n)) => publishers.push(n.as_str().to_owned()),
                (Some(name), _) => publishers.push(name),
                (None, Term::Literal(l)) => publishers.push(l.value().to_owned()),
                _ => {}
            }
        }
    }
    sort_dedup(&mut publishers);
    let mut themes = view.texts(root, &dcat("theme"));
    sort_dedup(&mut themes);
    let mut sources = facts.sources.to_vec();
    sort_dedup(&mut sources);

    RecordSummary {
        id: facts.id.to_owned(),
        iri: facts.iri.to_owned(),
        identifiers: {
            let mut identifiers = view.texts(root, &dct("identifier"));
            sort_dedup(&mut identifiers);
            identifiers
        },
        kind: facts.kind,
        titles: view.lang_strings(root, &dct("title")),
        descriptions: view.lang_strings(root, &dct("description")),
        keywords: view.lang_strings(root, &dcat("keyword")),
        themes,
        publishers,
        formats,
        licences,
        sources,
        bbox: bounding_box(&view, root),
        temporal: temporal_coverage(&view, root),
        modified: view
            .first_literal(root, &[dct("modified"), dct("issued")])
            .and_then(|text| parse_datetime(&text)),
        changed: None,
        requirements: ldtcat_compat::requirements_of(root, triples)
            .iter()
            .map(|r| r.term())
            .collect(),
        offers: ldtcat_compat::offers_of(root, triples)
            .iter()
            .map(|o| o.term())
            .collect(),
        labels: node_labels(triples),
        quality: None,
    }
}

/// Whether [`summarize`] assesses metadata quality (on unless switched off).
static ASSESS_QUALITY: AtomicBool = AtomicBool::new(true);

/// Switches the metadata-quality assessment of [`summarize`] on or off for the whole
/// process. Off, summaries carry no quality (records are unscored until a reindex with it on):
/// for operators who would rather not pay its cost at ingest (`LDTCAT_QUALITY=off`), and for
/// measuring that cost.
pub fn set_quality_assessment(enabled: bool) {
    ASSESS_QUALITY.store(enabled, Ordering::Relaxed);
}

/// Whether [`summarize`] assesses metadata quality.
pub fn quality_assessment_enabled() -> bool {
    ASSESS_QUALITY.load(Ordering::Relaxed)
}

/// The version of the shapes [`record_quality`] validates with: an index built with other
/// shapes is rebuilt (`ldtcat_index` writes it into every commit).
pub fn quality_shapes_version() -> &'static str {
    ldtcat_quality::shapes_version()
}

/// The quality the index keeps of a record (see [`RecordQuality`]).
pub fn record_quality(
    triples: &[Triple],
    root: &str,
    kind: Kind,
    corrections: &[Correction],
    repairs: &[Repair],
    links: &[ldtcat_quality::LinkCheck],
) -> RecordQuality {
    let corrected = corrected_values(corrections, repairs);
    let assessment = ldtcat_quality::assess(triples, root, kind == Kind::Model, &corrected, links);
    let mandatory_violations = assessment.count(
        ldtcat_quality::ShapeGroup::Mandatory,
        ldtcat_quality::Severity::Violation,
    );
    RecordQuality {
        score: assessment.score.total,
        max_measured: assessment.score.max_measured,
        mandatory_violations: u32::try_from(mandatory_violations).unwrap_or(u32::MAX),
        findings: assessment.finding_keys(),
    }
}

/// What ldtcat corrected in a record at ingest, as its quality assessment counts it.
pub fn corrected_values(
    corrections: &[Correction],
    repairs: &[Repair],
) -> Vec<ldtcat_quality::Corrected> {
    corrections
        .iter()
        .map(|c| ldtcat_quality::Corrected::IllTypedLiteral(c.original.clone()))
        .chain(repairs.iter().map(|r| ldtcat_quality::Corrected::Repaired {
            predicate: r.predicate.as_str().to_owned(),
            what: r.what.clone(),
        }))
        .collect()
}

/// The predicates that name a node, most specific first.
pub const LABEL_PREDICATES: &[(&str, &str)] = &[
    (ns::SKOS, "prefLabel"),
    (ns::FOAF, "name"),
    (ns::VCARD, "fn"),
    (ns::VCARD, "organization-name"),
    (ns::DCT, "title"),
    (ns::SCHEMA, "name"),
    (ns::RDFS, "label"),
];

/// How many labels a record carries at most (a record naming thousands of nodes keeps the
/// first ones; the rest are named by the pages' fallback).
pub const MAX_LABELS_PER_RECORD: usize = 256;

/// The rank of a label predicate in [`LABEL_PREDICATES`], if it is one.
pub fn label_predicate_rank(predicate: &str) -> Option<usize> {
    LABEL_PREDICATES.iter().position(|(namespace, local)| {
        predicate.len() == namespace.len() + local.len()
            && predicate.starts_with(namespace)
            && predicate.ends_with(local)
    })
}

/// Every label of an IRI node of the record, by IRI then predicate rank, without repeats.
fn node_labels(triples: &[Triple]) -> Vec<NodeLabel> {
    let mut ranked: Vec<(String, usize, LangString)> = Vec::new();
    for triple in triples {
        let (NamedOrBlankNode::NamedNode(subject), Term::Literal(literal)) =
            (&triple.subject, &triple.object)
        else {
            continue;
        };
        let Some(rank) = label_predicate_rank(triple.predicate.as_str()) else {
            continue;
        };
        let value = literal.value().trim();
        if value.is_empty() {
            continue;
        }
        ranked.push((
            subject.as_str().to_owned(),
            rank,
            LangString {
                value: value.to_owned(),
                lang: literal.language().map(str::to_ascii_lowercase),
            },
        ));
    }
    ranked.sort();
    ranked.dedup_by(|a, b| a.0 == b.0 && a.2 == b.2);
    ranked.truncate(MAX_LABELS_PER_RECORD);
    ranked
        .into_iter()
        .map(|(iri, _, label)| NodeLabel { iri, label })
        .collect()
}

fn sort_dedup(values: &mut Vec<String>) {
    values.sort();
    values.dedup();
}

/// `text/csv` for an IANA media-type IRI, `CSV` for an EU file-type IRI, the literal itself.
pub fn normalise_format(value: &str) -> String {
    if let Some((_, media_type)) = value.split_once("/assignments/media-types/") {
        return media_type.to_owned();
    }
    if value.starts_with("http://") || value.starts_with("https://") {
        return value
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(value)
            .to_owned();
    }
    value.to_owned()
}

/// The one value a format has in search and facets, however the source wrote it: the EU
/// file-type code (`CSV`) when the vendored table knows the format by its code, media type
/// (parameters ignored), the IRI of either, or a file extension (`.csv`); otherwise
/// [`normalise_format`]'s value. `CSV`, `text/csv`, `.csv` and the EU and IANA IRIs are one
/// facet value.
pub fn format_facet_value(value: &str) -> String {
    let normalised = normalise_format(value.trim());
    let essence = normalised.split(';').next().unwrap_or_default().trim();
    let bare = essence.strip_prefix('.').unwrap_or(essence);
    match authority().file_type(bare) {
        Some(file_type) => file_type.code.clone(),
        None => normalised,
    }
}

/// The one value a licence has in search and facets, however the source wrote it: the EU
/// authority IRI (else the SPDX IRI) of a licence the vendored tables know by any of its IRIs
/// (`https://creativecommons.org/licenses/by/4.0/deed.fr` included), its EU code, SPDX id or
/// label; an SPDX IRI for any licence of the SPDX list; otherwise the value as given.
pub fn licence_facet_value(value: &str) -> String {
    let value = value.trim();
    let tables = authority();
    if let Some(licence) = tables.licence_by_name(value) {
        return licence.canonical_iri();
    }
    match tables.spdx_id(value) {
        Some(id) => tables.licence_by_name(id).map_or_else(
            || format!("http://spdx.org/licenses/{id}"),
            |l| l.canonical_iri(),
        ),
        None => value.to_owned(),
    }
}

fn bounding_box(view: &View<'_>, root: &str) -> Option<BoundingBox> {
    let geometry_predicates = [
        dcat("bbox"),
        format!("{}geometry", ns::LOCN),
        dcat("centroid"),
    ];
    let mut boxes = Vec::new();
    for place in view.linked_nodes(root, &dct("spatial")) {
        for predicate in &geometry_predicates {
            for term in view.objects(place, predicate) {
                if let Term::Literal(literal) = term {
                    boxes.extend(bbox_of_geometry(literal.value()));
                }
            }
        }
    }
    boxes.into_iter().reduce(|a, b| BoundingBox {
        west: a.west.min(b.west),
        south: a.south.min(b.south),
        east: a.east.max(b.east),
        north: a.north.max(b.north),
    })
}

/// The bounding box of the coordinates of a WKT (optionally with a CRS IRI prefix) or
/// GeoJSON geometry, read as longitude/latitude pairs; `None` when out of range.
pub fn bbox_of_geometry(text: &str) -> Option<BoundingBox> {
    let body = match text.trim_start().strip_prefix('<') {
        Some(rest) => rest.split_once('>').map(|(_, body)| body).unwrap_or(rest),
        None => text,
    };
    let numbers: Vec<f64> = body
        .split(|c: char| {
            !(c.is_ascii_digit() || c == '.' || c == '-' || c == 'e' || c == 'E' || c == '+')
        })
        .filter(|token| token.chars().any(|c| c.is_ascii_digit()))
        .filter_map(|token| token.parse::<f64>().ok())
        .collect();
    if numbers.len() < 2 || numbers.len() % 2 != 0 {
        return None;
    }
    let mut bbox = BoundingBox {
        west: f64::MAX,
        south: f64::MAX,
        east: f64::MIN,
        north: f64::MIN,
    };
    for pair in numbers.chunks(2) {
        let (lon, lat) = (pair[0], pair[1]);
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return None;
        }
        bbox.west = bbox.west.min(lon);
        bbox.east = bbox.east.max(lon);
        bbox.south = bbox.south.min(lat);
        bbox.north = bbox.north.max(lat);
    }
    Some(bbox)
}

fn temporal_coverage(view: &View<'_>, root: &str) -> Option<TemporalCoverage> {
    let starts = [dcat("startDate"), format!("{}startDate", ns::SCHEMA)];
    let ends = [dcat("endDate"), format!("{}endDate", ns::SCHEMA)];
    view.linked_nodes(root, &dct("temporal"))
        .into_iter()
        .find_map(|period| {
            let start = view
                .first_literal(period, &starts)
                .and_then(|t| parse_date(&t));
            let end = view
                .first_literal(period, &ends)
                .and_then(|t| parse_date(&t));
            (start.is_some() || end.is_some()).then_some(TemporalCoverage { start, end })
        })
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    parse_datetime(text).map(|dt| dt.date_naive())
}

/// Parses the date and time forms found in catalogues: RFC 3339, `+0000` offsets, no
/// offset (read as UTC), a date alone, a year alone.
pub fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(text, format) {
            return Some(dt.with_timezone(&Utc));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
            return Some(dt.and_utc());
        }
    }
    let date_part = text.get(..10).unwrap_or(text);
    if let Ok(date) = NaiveDate::parse_from_str(date_part, "%Y-%m-%d") {
        return date.and_hms_opt(0, 0, 0).map(|dt| dt.and_utc());
    }
    if text.len() == 4 {
        let year: i32 = text.parse().ok()?;
        return NaiveDate::from_ymd_opt(year, 1, 1)?
            .and_hms_opt(0, 0, 0)
            .map(|dt| dt.and_utc());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_catalogue_forms_parse() {
        for text in [
            "2014-12-03T14:24:37+0000",
            "2015-01-16T15:14:00+01:00",
            "2023-09-01",
            "2023-09-01T10:00:00",
            "2020",
        ] {
            assert!(parse_datetime(text).is_some(), "{text}");
        }
        assert!(parse_datetime("last tuesday").is_none());
    }

    #[test]
    fn geometries_give_bounding_boxes() {
        let bbox = bbox_of_geometry(
            "POLYGON((7.08 43.55, 7.14 43.55, 7.14 43.60, 7.08 43.60, 7.08 43.55))",
        )
        .expect("bbox");
        assert_eq!(
            (bbox.west, bbox.south, bbox.east, bbox.north),
            (7.08, 43.55, 7.14, 43.60)
        );
        let crs =
            bbox_of_geometry("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT(8.5 47.3)")
                .expect("bbox");
        assert_eq!((crs.west, crs.north), (8.5, 47.3));
        assert!(bbox_of_geometry("{\"type\":\"Point\",\"coordinates\":[8.5,47.3]}").is_some());
        assert!(bbox_of_geometry("POINT(500000 5000000)").is_none());
    }

    #[test]
    fn formats_are_normalised() {
        assert_eq!(
            normalise_format("http://www.iana.org/assignments/media-types/text/csv"),
            "text/csv"
        );
        assert_eq!(
            normalise_format("http://publications.europa.eu/resource/authority/file-type/CSV"),
            "CSV"
        );
        assert_eq!(normalise_format("application/json"), "application/json");
    }

    #[test]
    fn one_format_is_one_facet_value() {
        for written in [
            "CSV",
            "csv",
            ".csv",
            "text/csv",
            "text/csv; charset=utf-8",
            "http://www.iana.org/assignments/media-types/text/csv",
            "http://publications.europa.eu/resource/authority/file-type/CSV",
        ] {
            assert_eq!(format_facet_value(written), "CSV", "{written}");
        }
        assert_eq!(format_facet_value("application/ld+json"), "JSON_LD");
        assert_eq!(format_facet_value("JSON_LD"), "JSON_LD");
        assert_eq!(
            format_facet_value("application/x-unknown"),
            "application/x-unknown"
        );
        assert_eq!(format_facet_value("CityGML 3.0"), "CityGML 3.0");
    }

    #[test]
    fn one_licence_is_one_facet_value() {
        let cc_by = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0";
        for written in [
            cc_by,
            "https://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
            "http://creativecommons.org/licenses/by/4.0/",
            "https://creativecommons.org/licenses/by/4.0",
            "https://creativecommons.org/licenses/by/4.0/deed.fr",
            "https://creativecommons.org/licenses/by/4.0/legalcode.de",
            "http://spdx.org/licenses/CC-BY-4.0",
            "https://spdx.org/licenses/CC-BY-4.0.html",
            "CC-BY-4.0",
            "cc_by_4_0",
            " CC BY 4.0 ",
        ] {
            assert_eq!(licence_facet_value(written), cc_by, "{written}");
        }
        assert_eq!(
            licence_facet_value("https://www.etalab.gouv.fr/licence-ouverte-open-licence"),
            "http://spdx.org/licenses/etalab-2.0"
        );
        assert_eq!(
            licence_facet_value("https://spdx.org/licenses/gpl-3.0-only"),
            "http://spdx.org/licenses/GPL-3.0-only"
        );
        assert_eq!(
            licence_facet_value("https://example.org/our-licence"),
            "https://example.org/our-licence"
        );
        assert_eq!(licence_facet_value("Free to reuse"), "Free to reuse");
    }
}
