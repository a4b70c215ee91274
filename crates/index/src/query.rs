//! Building the Tantivy query of a [`SearchRequest`]: the text query, facet filters and the
//! bounding-box intersection.

use std::collections::BTreeMap;
use std::ops::Bound;

use ldtcat_model::summary::BoundingBox;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, ExistsQuery, Occur, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::document::facet_value;
use crate::language::sort_key;
use crate::request::{
    AfterHit, FacetClause, FacetField, FacetFilter, RequirementFilter, SearchRequest, TimeRange,
};
use crate::schema::Fields;
use crate::text_query::TextParser;

/// The whole query of a request; filters do not change scores.
pub(crate) fn request_query(
    parser: &TextParser,
    fields: &Fields,
    request: &SearchRequest,
) -> Box<dyn Query> {
    let text_query = parser.query(&request.text);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
    let filters = facet_filters_query(fields, &request.filters)
        .into_iter()
        .chain(request.bbox.map(|bbox| bbox_query(fields, &bbox)));
    let dates = date_ranges(fields, request);
    let after = request.after_id.as_deref().map(|id| -> Box<dyn Query> {
        let lower = Bound::Excluded(Term::from_field_text(fields.id, id));
        Box::new(RangeQuery::new(lower, Bound::Unbounded))
    });
    let before = request.before_id.as_deref().map(|id| -> Box<dyn Query> {
        let upper = Bound::Excluded(Term::from_field_text(fields.id, id));
        Box::new(RangeQuery::new(Bound::Unbounded, upper))
    });
    let requirements = request
        .requirements
        .as_ref()
        .map(|filter| requirement_query(fields, filter));
    let after_hit = request
        .after_hit
        .as_ref()
        .map(|hit| after_hit_query(fields, hit));
    let ids = (!request.ids.is_empty()).then(|| terms_query(fields.id, &request.ids));
    let identifiers = (!request.identifiers.is_empty())
        .then(|| terms_query(fields.identifier, &request.identifiers));
    let temporal = request
        .temporal
        .as_ref()
        .map(|range| temporal_query(fields, range));
    let quality = quality_range(fields, request.min_quality, request.max_quality);
    let all_filters = filters
        .chain(dates)
        .chain(after)
        .chain(before)
        .chain(after_hit)
        .chain(requirements)
        .chain(ids)
        .chain(identifiers)
        .chain(temporal)
        .chain(quality);
    for filter in all_filters {
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
    }
    for clause in &request.facet_clauses {
        let occur = if clause.negated {
            Occur::MustNot
        } else {
            Occur::Must
        };
        let query = facet_clause_query(fields, clause);
        clauses.push((occur, Box::new(ConstScoreQuery::new(query, 0.0))));
    }
    if clauses.len() == 1 {
        if let Some((_, query)) = clauses.pop() {
            return query;
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Records whose quality score is within the bounds (inclusive), if there is a bound.
fn quality_range(fields: &Fields, min: Option<u32>, max: Option<u32>) -> Option<Box<dyn Query>> {
    if min.is_none() && max.is_none() {
        return None;
    }
    let bound =
        |score: u32| Bound::Included(Term::from_field_u64(fields.quality, u64::from(score)));
    let lower = min.map_or(Bound::Unbounded, bound);
    let upper = max.map_or(Bound::Unbounded, bound);
    Some(Box::new(RangeQuery::new(lower, upper)))
}

/// The ranges of `modified` and `changed` a request keeps, if it bounds them.
fn date_ranges(fields: &Fields, request: &SearchRequest) -> Vec<Box<dyn Query>> {
    [
        (
            fields.modified,
            request.modified_since,
            request.modified_until,
        ),
        (fields.changed, request.changed_since, request.changed_until),
    ]
    .into_iter()
    .filter_map(|(field, since, until)| date_range(field, since, until))
    .collect()
}

/// Records whose date in `field` is within the bounds (inclusive), if there is a bound.
fn date_range(
    field: Field,
    since: Option<chrono::DateTime<chrono::Utc>>,
    until: Option<chrono::DateTime<chrono::Utc>>,
) -> Option<Box<dyn Query>> {
    // Tantivy counts nanoseconds in an i64: later than about 2262 cannot be said, and means
    // "nothing" (or "everything") just as well from 2255 on.
    let bound = |time: chrono::DateTime<chrono::Utc>| {
        let date = tantivy::DateTime::from_timestamp_secs(
            time.timestamp().clamp(-9_000_000_000, 9_000_000_000),
        );
        Bound::Included(Term::from_field_date(field, date))
    };
    if since.is_none() && until.is_none() {
        return None;
    }
    let lower = since.map_or(Bound::Unbounded, bound);
    let upper = until.map_or(Bound::Unbounded, bound);
    Some(Box::new(RangeQuery::new(lower, upper)))
}

/// Records with one of a clause's values.
fn facet_clause_query(fields: &Fields, clause: &FacetClause) -> Box<dyn Query> {
    let field = fields.facet(clause.field);
    let alternatives: Vec<Box<dyn Query>> = clause
        .values
        .iter()
        .filter_map(|value| facet_value(value))
        .map(|facet| -> Box<dyn Query> {
            let term = Term::from_facet(field, &facet);
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
        })
        .collect();
    if alternatives.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(BooleanQuery::union(alternatives))
}

/// A time as a Tantivy date at second precision. Tantivy counts nanoseconds in an i64:
/// later than about 2262 cannot be said, and means "nothing" just as well from 2255 on.
fn date_term_value(time: chrono::DateTime<chrono::Utc>) -> tantivy::DateTime {
    tantivy::DateTime::from_timestamp_secs(time.timestamp().clamp(-9_000_000_000, 9_000_000_000))
}

/// Records whose `field` holds one of `values` (untokenised).
fn terms_query(field: Field, values: &[String]) -> Box<dyn Query> {
    Box::new(BooleanQuery::union(
        values
            .iter()
            .map(|value| -> Box<dyn Query> {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, value),
                    IndexRecordOption::Basic,
                ))
            })
            .collect(),
    ))
}

/// Records without a value in the fast field `name`.
fn missing(name: &str) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery)),
        (
            Occur::MustNot,
            Box::new(ExistsQuery::new(name.to_owned(), false)),
        ),
    ]))
}

/// Records whose id sorts after `id`.
fn id_after(fields: &Fields, id: &str) -> Box<dyn Query> {
    let lower = Bound::Excluded(Term::from_field_text(fields.id, id));
    Box::new(RangeQuery::new(lower, Bound::Unbounded))
}

/// Records that come after `hit` in its order (key, then record id).
fn after_hit_query(fields: &Fields, hit: &AfterHit) -> Box<dyn Query> {
    match hit {
        AfterHit::Modified { modified: None, id } => Box::new(BooleanQuery::intersection(vec![
            missing(crate::schema::MODIFIED),
            id_after(fields, id),
        ])),
        AfterHit::Modified {
            modified: Some(modified),
            id,
        } => {
            let at = Term::from_field_date(fields.modified, date_term_value(*modified));
            let older: Box<dyn Query> = Box::new(RangeQuery::new(
                Bound::Unbounded,
                Bound::Excluded(at.clone()),
            ));
            let same: Box<dyn Query> = Box::new(RangeQuery::new(
                Bound::Included(at.clone()),
                Bound::Included(at),
            ));
            Box::new(BooleanQuery::union(vec![
                older,
                Box::new(BooleanQuery::intersection(vec![same, id_after(fields, id)])),
                missing(crate::schema::MODIFIED),
            ]))
        }
        AfterHit::Title { title, id } => {
            let key = Term::from_field_text(fields.title_sort, &sort_key(title));
            let later: Box<dyn Query> = Box::new(RangeQuery::new(
                Bound::Excluded(key.clone()),
                Bound::Unbounded,
            ));
            let same: Box<dyn Query> = Box::new(TermQuery::new(key, IndexRecordOption::Basic));
            Box::new(BooleanQuery::union(vec![
                later,
                Box::new(BooleanQuery::intersection(vec![same, id_after(fields, id)])),
            ]))
        }
    }
}

/// Records with a temporal coverage that intersects `range`: it starts at or before the
/// range's end (or has no start) and ends on or after the day of the range's start (or has
/// no end), and it has a start or an end.
fn temporal_query(fields: &Fields, range: &TimeRange) -> Box<dyn Query> {
    let mut parts: Vec<Box<dyn Query>> = vec![Box::new(BooleanQuery::union(vec![
        Box::new(ExistsQuery::new("temporal_start".to_owned(), false)),
        Box::new(ExistsQuery::new("temporal_end".to_owned(), false)),
    ]))];
    if let Some(end) = range.end {
        let end = Term::from_field_date(fields.temporal_start, date_term_value(end));
        let starts_before: Box<dyn Query> =
            Box::new(RangeQuery::new(Bound::Unbounded, Bound::Included(end)));
        parts.push(Box::new(BooleanQuery::union(vec![
            starts_before,
            missing("temporal_start"),
        ])));
    }
    if let Some(start) = range.start {
        let day = start
            .date_naive()
            .and_time(chrono::NaiveTime::MIN)
            .and_utc();
        let start = Term::from_field_date(fields.temporal_end, date_term_value(day));
        let ends_after: Box<dyn Query> =
            Box::new(RangeQuery::new(Bound::Included(start), Bound::Unbounded));
        parts.push(Box::new(BooleanQuery::union(vec![
            ends_after,
            missing("temporal_end"),
        ])));
    }
    Box::new(BooleanQuery::intersection(parts))
}

/// Records that pass one of the clauses of a requirement filter.
fn requirement_query(fields: &Fields, filter: &RequirementFilter) -> Box<dyn Query> {
    let term = |text: &String| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(fields.requirement, text),
            IndexRecordOption::Basic,
        ))
    };
    let clauses: Vec<Box<dyn Query>> = filter
        .clauses
        .iter()
        .filter(|clause| !clause.any_of.is_empty())
        .map(|clause| -> Box<dyn Query> {
            let mut parts: Vec<(Occur, Box<dyn Query>)> = vec![(
                Occur::Must,
                Box::new(BooleanQuery::union(
                    clause.any_of.iter().map(term).collect(),
                )),
            )];
            parts.extend(clause.none_of.iter().map(|t| (Occur::MustNot, term(t))));
            Box::new(BooleanQuery::new(parts))
        })
        .collect();
    if clauses.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(BooleanQuery::union(clauses))
}

/// One clause per facet field named by the filters: its values OR'ed. Blank values are
/// ignored.
fn facet_filters_query(fields: &Fields, filters: &[FacetFilter]) -> Vec<Box<dyn Query>> {
    let mut by_field: BTreeMap<FacetField, Vec<Box<dyn Query>>> = BTreeMap::new();
    for filter in filters {
        // A format or licence is asked for as the source writes it (`text/csv`, `.csv`,
        // `CC-BY-4.0`): the one value it has in the index.
        let value = match filter.field {
            FacetField::Format => ldtcat_model::extract::format_facet_value(&filter.value),
            FacetField::Licence => ldtcat_model::extract::licence_facet_value(&filter.value),
            _ => filter.value.clone(),
        };
        let Some(facet) = facet_value(&value) else {
            continue;
        };
        let term = Term::from_facet(fields.facet(filter.field), &facet);
        let query: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
        by_field.entry(filter.field).or_default().push(query);
    }
    by_field
        .into_values()
        .map(|alternatives| Box::new(BooleanQuery::union(alternatives)) as Box<dyn Query>)
        .collect()
}

/// Records with a box intersecting `bbox`. A query box with `west > east` crosses the
/// antimeridian; one with a NaN matches nothing.
fn bbox_query(fields: &Fields, bbox: &BoundingBox) -> Box<dyn Query> {
    if [bbox.west, bbox.south, bbox.east, bbox.north]
        .iter()
        .any(|c| c.is_nan())
    {
        return Box::new(EmptyQuery);
    }
    let at_most = |field: Field, value: f64| -> Box<dyn Query> {
        let upper = Bound::Included(Term::from_field_f64(field, value));
        Box::new(RangeQuery::new(Bound::Unbounded, upper))
    };
    let at_least = |field: Field, value: f64| -> Box<dyn Query> {
        let lower = Bound::Included(Term::from_field_f64(field, value));
        Box::new(RangeQuery::new(lower, Bound::Unbounded))
    };
    let starts_before_query_ends = at_most(fields.west, bbox.east);
    let ends_after_query_starts = at_least(fields.east, bbox.west);
    let longitude: Box<dyn Query> = if bbox.west <= bbox.east {
        Box::new(BooleanQuery::intersection(vec![
            starts_before_query_ends,
            ends_after_query_starts,
        ]))
    } else {
        Box::new(BooleanQuery::union(vec![
            starts_before_query_ends,
            ends_after_query_starts,
        ]))
    };
    let has_bbox = Term::from_field_bool(fields.has_bbox, true);
    Box::new(BooleanQuery::intersection(vec![
        Box::new(TermQuery::new(has_bbox, IndexRecordOption::Basic)),
        longitude,
        at_most(fields.south, bbox.north),
        at_least(fields.north, bbox.south),
    ]))
}

#[cfg(test)]
mod tests {
    use ldtcat_model::summary::BoundingBox;

    use crate::fixtures::{fixture, index_of, sorted_ids, CC0, ENVIRONMENT, TRANSPORT};
    use crate::{CatalogIndex, FacetField, FacetFilter, SearchRequest};

    fn filtered(
        catalog: &CatalogIndex,
        filters: &[(FacetField, &str)],
    ) -> anyhow::Result<Vec<String>> {
        let request = SearchRequest {
            filters: filters
                .iter()
                .map(|(field, value)| FacetFilter {
                    field: *field,
                    value: (*value).to_owned(),
                })
                .collect(),
            limit: 100,
            ..SearchRequest::default()
        };
        sorted_ids(catalog, &request)
    }

    fn in_box(
        catalog: &CatalogIndex,
        west: f64,
        south: f64,
        east: f64,
        north: f64,
    ) -> anyhow::Result<Vec<String>> {
        let request = SearchRequest {
            bbox: Some(BoundingBox {
                west,
                south,
                east,
                north,
            }),
            limit: 100,
            ..SearchRequest::default()
        };
        sorted_ids(catalog, &request)
    }

    #[test]
    fn filters_or_within_a_field_and_across_fields() -> anyhow::Result<()> {
        let catalog = index_of(&fixture())?;
        let (kind, theme) = (FacetField::Kind, FacetField::Theme);
        assert_eq!(
            filtered(&catalog, &[(kind, "dataset")])?,
            vec!["r01", "r02", "r08", "r09"]
        );
        assert_eq!(
            filtered(&catalog, &[(kind, "dataset"), (kind, "model")])?.len(),
            6
        );
        assert_eq!(
            filtered(&catalog, &[(kind, "dataset"), (theme, TRANSPORT)])?,
            vec!["r02", "r08"]
        );
        assert_eq!(
            filtered(
                &catalog,
                &[(kind, "dataset"), (theme, TRANSPORT), (kind, "model")]
            )?,
            vec!["r02", "r08", "r10"]
        );
        assert_eq!(
            filtered(
                &catalog,
                &[(theme, ENVIRONMENT), (FacetField::Source, "utrecht")]
            )?,
            vec!["r01", "r04"]
        );
        assert!(filtered(&catalog, &[(kind, "catalogue")])?.is_empty());
        assert_eq!(
            filtered(&catalog, &[(kind, "  ")])?.len(),
            10,
            "blank values are ignored"
        );
        Ok(())
    }

    #[test]
    fn text_and_filters_combine() -> anyhow::Result<()> {
        let catalog = index_of(&fixture())?;
        let request = SearchRequest {
            text: "air".to_owned(),
            filters: vec![FacetFilter {
                field: FacetField::Licence,
                value: CC0.to_owned(),
            }],
            ..SearchRequest::default()
        };
        let results = catalog.search(&request)?;
        assert_eq!(results.total, 1);
        assert_eq!(results.hits[0].id, "r09");
        assert!(results.hits[0].score > 0.0, "filters keep the text score");
        Ok(())
    }

    #[test]
    fn bounding_boxes_intersect() -> anyhow::Result<()> {
        let catalog = index_of(&fixture())?;
        assert_eq!(
            in_box(&catalog, 4.0, 51.5, 6.0, 53.0)?,
            vec!["r01", "r05"],
            "Utrecht region"
        );
        assert_eq!(
            in_box(&catalog, 5.2, 52.2, 5.3, 52.3)?,
            vec!["r01", "r05"],
            "touching corner"
        );
        assert_eq!(
            in_box(&catalog, 8.5, 47.35, 8.55, 47.36)?,
            vec!["r02"],
            "inside Zürich"
        );
        assert!(in_box(&catalog, 100.0, -10.0, 110.0, 0.0)?.is_empty());
        assert_eq!(
            in_box(&catalog, 170.0, -90.0, -5.0, 90.0)?,
            vec!["r08"],
            "across the antimeridian"
        );
        assert!(in_box(&catalog, f64::NAN, 0.0, 1.0, 1.0)?.is_empty());
        assert_eq!(
            in_box(&catalog, -180.0, -90.0, 180.0, 90.0)?.len(),
            9,
            "r04 has no box"
        );
        Ok(())
    }
}

#[cfg(test)]
#[path = "query_cursor_tests.rs"]
mod cursor_and_filter_tests;
