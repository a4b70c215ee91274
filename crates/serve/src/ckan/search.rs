//! `package_search`: CKAN's parameters (`q`, `fq`, `sort`, `rows`, `start`, `facet.field`,
//! `facet.limit`, `include_private`...) translated into the search `/api/search` runs —
//! the same `SearchParams::to_request` (text and order), the same index — with CKAN's filter
//! fields as facet clauses. Nothing here ranks or filters records by itself.

use std::collections::BTreeMap;

use ldtcat_index::{
    CatalogIndex, FacetClause, FacetCount, FacetField, SearchRequest, SearchResults, SortOrder,
};
use ldtcat_vocab::Kind;
use serde::Serialize;

use super::data::DataDict;
use super::envelope::CkanError;
use super::filter::{parse_filter, split_query, Clause};
use super::names::{choose_label, group_name, organization_name};
use crate::query::SearchParams;

/// CKAN's `ckan.search.rows_max`: larger `rows` are cut to it.
pub(crate) const ROWS_MAX: u64 = 1000;
/// CKAN's default `rows`.
pub(crate) const DEFAULT_ROWS: u64 = 10;
/// CKAN's default `sort`.
pub(crate) const DEFAULT_SORT: &str = "score desc, metadata_modified desc";

/// The parameters `package_search` accepts (CKAN's schema and `VALID_SOLR_PARAMETERS`);
/// others are refused as CKAN refuses them.
const KNOWN_PARAMETERS: &[&str] = &[
    "q",
    "fq",
    "fq_list",
    "rows",
    "start",
    "sort",
    "fl",
    "wt",
    "qf",
    "bf",
    "boost",
    "tie",
    "defType",
    "mm",
    "df",
    "facet",
    "facet.field",
    "facet.limit",
    "facet.mincount",
    "include_private",
    "include_drafts",
    "include_deleted",
    "use_default_schema",
    "callback",
];

/// A `package_search` as asked.
#[derive(Debug, Clone)]
pub(crate) struct PackageQuery {
    /// The free text and the order, as `/api/search` takes them.
    pub(crate) params: SearchParams,
    /// The filter clauses of `fq`, `fq_list` and `q`.
    pub(crate) clauses: Vec<Clause>,
    /// `rows`, at most [`ROWS_MAX`].
    pub(crate) rows: usize,
    /// `start`.
    pub(crate) start: usize,
    /// `sort`, as answered back.
    pub(crate) sort: String,
    /// `facet.field`, when `facet` is not false.
    pub(crate) facet_fields: Vec<String>,
    /// `facet.limit` (CKAN's default 50; at most the index's 50).
    pub(crate) facet_limit: usize,
}

impl PackageQuery {
    /// Reads and validates the parameters.
    pub(crate) fn from_data(data: &DataDict) -> Result<PackageQuery, CkanError> {
        let unknown: Vec<&str> = data
            .keys()
            .filter(|key| !KNOWN_PARAMETERS.contains(key) && !key.starts_with("ext_"))
            .collect();
        if !unknown.is_empty() {
            return Err(CkanError::SearchQuery(format!(
                "Invalid search parameters: {unknown:?}"
            )));
        }
        if data.boolean("include_private")? == Some(true) {
            return Err(CkanError::Authorization(
                "private datasets need authorisation, and this catalogue has none".to_owned(),
            ));
        }
        data.boolean("include_drafts")?;
        data.boolean("include_deleted")?;
        let rows = data.natural("rows")?.unwrap_or(DEFAULT_ROWS).min(ROWS_MAX);
        let start = data.natural("start")?.unwrap_or(0);
        let q = data.text("q").unwrap_or_default();
        let (text, mut clauses) = split_query(&q, is_filter_field)
            .map_err(|why| CkanError::Search(format!("q: {why}")))?;
        let mut filters: Vec<String> = data.text("fq").into_iter().collect();
        filters.extend(data.list("fq_list")?.unwrap_or_default());
        for fq in &filters {
            clauses
                .extend(parse_filter(fq).map_err(|why| CkanError::Search(format!("fq: {why}")))?);
        }
        let sort_text = data
            .text("sort")
            .filter(|s| s != "rank")
            .unwrap_or_else(|| DEFAULT_SORT.to_owned());
        let with_facets = data.boolean("facet")?.unwrap_or(true);
        let facet_fields = if with_facets {
            data.list("facet.field")?.unwrap_or_default()
        } else {
            Vec::new()
        };
        let facet_limit = match data.text("facet.limit") {
            None => ldtcat_index::MAX_FACET_VALUES,
            Some(text) => match text.trim().parse::<i64>() {
                Ok(limit) if limit < 0 => ldtcat_index::MAX_FACET_VALUES,
                Ok(limit) => usize::try_from(limit)
                    .unwrap_or(usize::MAX)
                    .min(ldtcat_index::MAX_FACET_VALUES),
                Err(_) => return Err(CkanError::invalid("facet.limit", "Invalid integer")),
            },
        };
        data.natural("facet.mincount")?;
        let params = SearchParams {
            text,
            sort: parse_sort(&sort_text)?,
            ..SearchParams::default()
        };
        Ok(PackageQuery {
            params,
            clauses,
            rows: usize::try_from(rows).unwrap_or(usize::MAX),
            start: usize::try_from(start).unwrap_or(usize::MAX),
            sort: sort_text,
            facet_fields,
            facet_limit,
        })
    }

    /// The index request: `/api/search`'s request for the same text and order, with the
    /// filter clauses resolved against the index's values, and this page.
    pub(crate) fn request(&self, index: &CatalogIndex) -> Result<SearchRequest, CkanError> {
        let mut request = self.params.to_request().map_err(CkanError::from)?;
        request.offset = self.start;
        request.limit = self.rows;
        request.facets = false;
        for clause in &self.clauses {
            resolve_clause(index, clause, &mut request)?;
        }
        Ok(request)
    }

    /// The index fields of `facet.field`, in order.
    pub(crate) fn index_facet_fields(&self) -> Result<Vec<FacetField>, CkanError> {
        self.facet_fields
            .iter()
            .map(|name| {
                facet_field_of(name).ok_or_else(|| {
                    CkanError::Search(format!(
                        "cannot facet on `{name}` (supported: organization, groups, tags, res_format, license_id, {})",
                        ldtcat_model::ckan::KIND_EXTRA
                    ))
                })
            })
            .collect()
    }
}

/// Whether a `q` or `fq` field is one of the filters (else, in `q`, a text field).
fn is_filter_field(name: &str) -> bool {
    facet_field_of(name).is_some()
        || matches!(
            name,
            "metadata_modified"
                | "type"
                | "dataset_type"
                | "capacity"
                | "state"
                | "site_id"
                | "entity_type"
        )
}

/// The index facet field behind a CKAN field name.
fn facet_field_of(name: &str) -> Option<FacetField> {
    match name {
        "organization" => Some(FacetField::Publisher),
        "groups" => Some(FacetField::Theme),
        "tags" => Some(FacetField::Keyword),
        "res_format" => Some(FacetField::Format),
        "license_id" => Some(FacetField::Licence),
        "ldt_kind" | "extras_ldt_kind" => Some(FacetField::Kind),
        _ => None,
    }
}

/// CKAN's sort strings onto the index's orders; the first key decides (the index breaks
/// ties by modification date, then record id).
fn parse_sort(text: &str) -> Result<SortOrder, CkanError> {
    let first = text
        .split(',')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>();
    let order = match first[..] {
        ["score", "desc"] | ["score"] => SortOrder::Relevance,
        ["metadata_modified", "desc"] => SortOrder::Changed,
        ["title_string", "asc"] | ["title_string"] => SortOrder::Title,
        ["name", "asc"] | ["name"] => SortOrder::Name,
        ["id", "asc"] | ["id"] => SortOrder::Id,
        _ => {
            return Err(CkanError::SearchQuery(format!(
                "Invalid \"sort\" parameter `{text}`: supported are score desc, metadata_modified desc, title_string asc, name asc, id asc"
            )))
        }
    };
    Ok(order)
}

fn resolve_clause(
    index: &CatalogIndex,
    clause: &Clause,
    request: &mut SearchRequest,
) -> Result<(), CkanError> {
    let refuse = |why: &str| CkanError::Search(format!("`{}`: {why}", clause.field));
    if clause.field == "metadata_modified" {
        let (Some(range), false) = (clause.range, clause.negated) else {
            return Err(refuse("expected a range [X TO Y], not negated"));
        };
        // The record's change here, as CKAN's `metadata_modified` is its own record's.
        if let Some(from) = range.from {
            request.changed_since = Some(request.changed_since.map_or(from, |t| t.max(from)));
        }
        if let Some(to) = range.to {
            request.changed_until = Some(request.changed_until.map_or(to, |t| t.min(to)));
        }
        return Ok(());
    }
    if clause.range.is_some() {
        return Err(refuse("a range is only supported on metadata_modified"));
    }
    let Some(field) = facet_field_of(&clause.field) else {
        // Fields whose value is the same for every package here.
        let constant = match clause.field.as_str() {
            "type" | "dataset_type" => "dataset",
            "capacity" => "public",
            "state" => "active",
            "entity_type" => "package",
            "site_id" => return Ok(()),
            _ => return Err(refuse("unknown field")),
        };
        let holds = clause.values.iter().any(|v| v == constant || v == "*");
        if holds == clause.negated {
            request.facet_clauses.push(FacetClause {
                field: FacetField::Kind,
                values: Vec::new(),
                negated: false,
            });
        }
        return Ok(());
    };
    let values = match field {
        FacetField::Publisher => values_named(index, field, &clause.values, organization_name)?,
        FacetField::Theme => values_named(index, field, &clause.values, group_name)?,
        FacetField::Kind => {
            for value in &clause.values {
                value
                    .parse::<Kind>()
                    .map_err(|error| refuse(&error.to_string()))?;
            }
            clause.values.clone()
        }
        _ => clause.values.clone(),
    };
    request.facet_clauses.push(FacetClause {
        field,
        values,
        negated: clause.negated,
    });
    Ok(())
}

/// The facet values whose CKAN name is one of `names`.
fn values_named(
    index: &CatalogIndex,
    field: FacetField,
    names: &[String],
    name_of: fn(&str) -> String,
) -> Result<Vec<String>, CkanError> {
    let counts = index
        .facet_counts(field)
        .map_err(|e| CkanError::Internal(e.into()))?;
    Ok(counts
        .into_iter()
        .filter(|count| names.contains(&name_of(&count.value)))
        .map(|count| count.value)
        .collect())
}

/// The `search_facets` and `facets` of an answer.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Facets {
    pub(crate) facets: BTreeMap<String, BTreeMap<String, u64>>,
    pub(crate) search_facets: BTreeMap<String, SearchFacet>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SearchFacet {
    title: String,
    items: Vec<FacetItem>,
}

#[derive(Debug, Serialize)]
struct FacetItem {
    count: u64,
    display_name: String,
    name: String,
}

/// CKAN's facet answer for the asked fields: items by CKAN name (organisations and groups
/// gather the values that share a name), `facet.limit` of them, sorted as CKAN sorts them
/// (by display name, descending).
pub(crate) fn facets_of(query: &PackageQuery, results: &SearchResults) -> Facets {
    let mut answer = Facets::default();
    for (name, (field, counts)) in query.facet_fields.iter().zip(&results.facets) {
        let mut items: Vec<FacetItem> = Vec::new();
        for count in counts {
            let (item_name, display) = facet_item_names(*field, count);
            match items.iter_mut().find(|item| item.name == item_name) {
                Some(item) => item.count += count.count,
                None => items.push(FacetItem {
                    count: count.count,
                    display_name: display,
                    name: item_name,
                }),
            }
        }
        items.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        items.truncate(query.facet_limit);
        answer.facets.insert(
            name.clone(),
            items.iter().map(|i| (i.name.clone(), i.count)).collect(),
        );
        items.sort_by(|a, b| b.display_name.cmp(&a.display_name));
        answer.search_facets.insert(
            name.clone(),
            SearchFacet {
                title: name.clone(),
                items,
            },
        );
    }
    answer
}

fn facet_item_names(field: FacetField, count: &FacetCount) -> (String, String) {
    let value = count.value.as_str();
    match field {
        FacetField::Publisher => (organization_name(value), value.to_owned()),
        FacetField::Theme => (group_name(value), choose_label(value, &[])),
        FacetField::Licence | FacetField::Kind => (value.to_owned(), choose_label(value, &[])),
        _ => (value.to_owned(), value.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(raw: &str) -> Result<PackageQuery, CkanError> {
        PackageQuery::from_data(&DataDict::from_query(raw)?)
    }

    #[test]
    fn ckan_parameters_become_the_api_search() -> Result<(), CkanError> {
        let asked = query("q=air+tags:pm10&fq=organization:city&rows=5000&start=20&sort=metadata_modified+desc&facet.field=%5B%22tags%22%5D")?;
        assert_eq!(asked.params.text, "air");
        assert_eq!(asked.params.sort, SortOrder::Changed);
        assert_eq!((asked.rows, asked.start), (1000, 20));
        assert_eq!(asked.clauses.len(), 2);
        assert_eq!(asked.index_facet_fields()?, vec![FacetField::Keyword]);
        let default = query("")?;
        assert_eq!(
            (default.rows, default.start, default.sort.as_str()),
            (10, 0, DEFAULT_SORT)
        );
        assert_eq!(default.params.sort, SortOrder::Relevance);
        Ok(())
    }

    /// A query string and the test its error must pass.
    type Case = (&'static str, fn(&CkanError) -> bool);

    #[test]
    fn bad_parameters_get_ckans_errors() {
        let cases: [Case; 8] = [
            ("rows=-1", |e| matches!(e, CkanError::Validation(_))),
            ("start=x", |e| matches!(e, CkanError::Validation(_))),
            ("fq=tags:(a", |e| matches!(e, CkanError::Search(_))),
            ("fq=tags:a+OR+groups:b", |e| {
                matches!(e, CkanError::Search(_))
            }),
            ("sort=views_recent+desc", |e| {
                matches!(e, CkanError::SearchQuery(_))
            }),
            ("include_private=true", |e| {
                matches!(e, CkanError::Authorization(_))
            }),
            ("bogus=1", |e| matches!(e, CkanError::SearchQuery(_))),
            ("facet.limit=x", |e| matches!(e, CkanError::Validation(_))),
        ];
        for (raw, expected) in cases {
            match query(raw) {
                Err(error) => assert!(expected(&error), "{raw}: {error:?}"),
                Ok(_) => panic!("{raw} was accepted"),
            }
        }
        assert!(query("facet.field=%5B%22num_resources%22%5D")
            .and_then(|q| q.index_facet_fields())
            .is_err());
    }
}
