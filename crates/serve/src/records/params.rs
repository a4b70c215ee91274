//! The query parameters of `items`, read into the search of `/api/search`
//! ([`SearchParams`]) plus what paging and the representation need.
//!
//! - `q`: Records' keyword syntax (commas separate alternatives, spaces a phrase) becomes
//!   the index's query text: each alternative quoted, joined with `OR`
//!   (`q=air quality,no2` ≡ `/api/search?q="air quality" OR "no2"`).
//! - `bbox` (4 or 6 numbers; a west edge east of the east edge crosses the antimeridian),
//!   `datetime`, `type` (kinds), `ids`, `externalIds`, the facets of `/api/search`
//!   (`kind`, `theme`, `publisher`, `format`, `licence`, `source`), `modified_since`,
//!   `compatible_with`, `verdicts`: filters, AND'ed.
//! - `limit` (1 to [`MAX_LIMIT`]), `sortby` (one key: `id`, `title`, `-updated`,
//!   `-relevance`), `after` (the cursor of a `next` link), `offset` (of a `prev` link).
//! - `f`, `language`. Any other parameter is a 400.

use chrono::DateTime;
use ldtcat_index::{AfterHit, FacetField, FacetFilter, SearchHit, SortOrder};
use ldtcat_model::BoundingBox;
use ldtcat_vocab::Kind;

use super::{CollectionId, DEFAULT_LIMIT, MAX_LIMIT};
use crate::error::ServeError;
use crate::query::{decode_pairs, parse_datetime_interval, push_list, SearchParams};

/// A parsed `items` request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ItemsQuery {
    /// The search, as `/api/search` would run it (`page`/`page_size` unused).
    pub search: SearchParams,
    /// The raw `q`, as given (for links and the HTML form).
    pub q: Option<String>,
    /// The kinds asked by `type` (and `kind`).
    pub types: Vec<Kind>,
    /// Records per page.
    pub limit: usize,
    /// Where the page starts.
    pub position: Position,
    /// `f`.
    pub f: Option<String>,
    /// `language`.
    pub language: Option<String>,
    /// Whether `sortby` was given (kept in links).
    pub sortby: Option<String>,
}

/// Where a page starts: after a cursor (the last record of the previous page and how many
/// came before it), or at an offset.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Position {
    /// The first page, or `offset` records in.
    Offset(usize),
    /// After a record (a `next` link).
    After {
        /// Records before the page.
        offset: usize,
        /// The last record of the previous page, in the page's order.
        cursor: Cursor,
    },
}

/// The last record of a page in a keyed order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cursor {
    /// By record id.
    Id(String),
    /// By the index's keyed orders.
    Hit(AfterHit),
}

impl Position {
    /// Records before this page.
    pub(crate) fn offset(&self) -> usize {
        match self {
            Position::Offset(offset) | Position::After { offset, .. } => *offset,
        }
    }
}

impl Cursor {
    /// The cursor after `hit` in `sort` order (`None` for relevance with a text: offsets).
    pub(crate) fn after(hit: &SearchHit, sort: SortOrder) -> Option<Cursor> {
        match sort {
            SortOrder::Id => Some(Cursor::Id(hit.id.clone())),
            other => AfterHit::of(hit, other).map(Cursor::Hit),
        }
    }

    /// The `after` token of a `next` link: `{offset}.{key}` where the key is `i.{id}`,
    /// `m.{unix seconds or -}.{id}` or `t.{title in hex}.{id}`.
    pub(crate) fn token(&self, offset: usize) -> String {
        let key = match self {
            Cursor::Id(id) => format!("i.{id}"),
            Cursor::Hit(AfterHit::Modified { modified, id }) => format!(
                "m.{}.{id}",
                modified.map_or("-".to_owned(), |m| m.timestamp().to_string())
            ),
            Cursor::Hit(AfterHit::Title { title, id }) => {
                let hex: String = title.bytes().map(|b| format!("{b:02x}")).collect();
                format!("t.{hex}.{id}")
            }
        };
        format!("{offset}.{key}")
    }

    /// Reads a token written by [`Cursor::token`].
    fn parse_token(token: &str) -> Option<(usize, Cursor)> {
        let (offset, rest) = token.split_once('.')?;
        let offset = offset.parse::<usize>().ok()?;
        let (kind, rest) = rest.split_once('.')?;
        let valid_id = |id: &str| {
            !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_alphanumeric())
        };
        let cursor = match kind {
            "i" if valid_id(rest) => Cursor::Id(rest.to_owned()),
            "m" => {
                let (seconds, id) = rest.split_once('.')?;
                let modified = match seconds {
                    "-" => None,
                    s => Some(DateTime::from_timestamp(s.parse::<i64>().ok()?, 0)?),
                };
                valid_id(id).then(|| {
                    Cursor::Hit(AfterHit::Modified {
                        modified,
                        id: id.to_owned(),
                    })
                })?
            }
            "t" => {
                let (hex, id) = rest.split_once('.')?;
                if hex.len() % 2 != 0 || !valid_id(id) {
                    return None;
                }
                let bytes: Option<Vec<u8>> = (0..hex.len())
                    .step_by(2)
                    .map(|at| u8::from_str_radix(hex.get(at..at + 2)?, 16).ok())
                    .collect();
                let title = String::from_utf8(bytes?).ok()?;
                Cursor::Hit(AfterHit::Title {
                    title,
                    id: id.to_owned(),
                })
            }
            _ => return None,
        };
        Some((offset, cursor))
    }
}

/// Records' `q` as the index's query text: alternatives (commas) each quoted, `OR`'ed.
pub(crate) fn records_text(q: &str) -> String {
    q.split(',')
        .map(|term| term.replace('"', " "))
        .map(|term| term.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|term| !term.is_empty())
        .map(|term| format!("\"{term}\""))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// `bbox`: `west,south,east,north` or with heights `west,south,min,east,north,max`, in
/// degrees; `west > east` crosses the antimeridian.
fn parse_bbox(value: &str) -> Result<BoundingBox, ServeError> {
    let invalid = |why: &str| {
        ServeError::bad_parameter(
            "bbox",
            format!("expected west,south,east,north in degrees ({why}), got `{value}`"),
        )
    };
    let numbers: Vec<f64> = value
        .split(',')
        .map(|part| part.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| invalid("4 or 6 numbers"))?;
    let [west, south, east, north] = match numbers[..] {
        [w, s, e, n] | [w, s, _, e, n, _] => [w, s, e, n],
        _ => return Err(invalid("4 or 6 numbers")),
    };
    let longitude = -180.0..=180.0;
    let latitude = -90.0..=90.0;
    if ![west, east].iter().all(|lon| longitude.contains(lon))
        || ![south, north].iter().all(|lat| latitude.contains(lat))
    {
        return Err(invalid("longitudes within ±180, latitudes within ±90"));
    }
    if south > north {
        return Err(invalid("the south edge above the north edge"));
    }
    Ok(BoundingBox {
        west,
        south,
        east,
        north,
    })
}

/// `sortby`: one key, `+`/`-` for the direction (ascending without).
fn parse_sortby(value: &str) -> Result<SortOrder, ServeError> {
    let keys: Vec<&str> = value
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .collect();
    let [key] = keys[..] else {
        return Err(ServeError::bad_parameter(
            "sortby",
            "one sort key is supported",
        ));
    };
    match key {
        "id" | "+id" => Ok(SortOrder::Id),
        "title" | "+title" => Ok(SortOrder::Title),
        "-updated" => Ok(SortOrder::Modified),
        "-relevance" | "relevance" => Ok(SortOrder::Relevance),
        other => Err(ServeError::bad_parameter(
            "sortby",
            format!("`{other}` is not a sortable (id, title, -updated, -relevance; see sortables)"),
        )),
    }
}

fn parse_count(
    name: &str,
    value: &str,
    range: std::ops::RangeInclusive<usize>,
) -> Result<usize, ServeError> {
    match value.trim().parse::<usize>() {
        Ok(number) if range.contains(&number) => Ok(number),
        _ => Err(ServeError::bad_parameter(
            name,
            format!(
                "expected a whole number from {} to {}, got `{value}`",
                range.start(),
                range.end()
            ),
        )),
    }
}

impl ItemsQuery {
    /// Reads the query string of `items` in `collection`.
    pub(crate) fn parse(
        raw_query: Option<&str>,
        collection: CollectionId,
    ) -> Result<ItemsQuery, ServeError> {
        let mut query = ItemsQuery {
            search: SearchParams::default(),
            q: None,
            types: Vec::new(),
            limit: DEFAULT_LIMIT,
            position: Position::Offset(0),
            f: None,
            language: None,
            sortby: None,
        };
        let mut facet_pairs = Vec::new();
        for (name, value) in decode_pairs(raw_query.unwrap_or(""))? {
            if value.trim().is_empty() && name != "f" {
                continue;
            }
            match name.as_str() {
                "q" => {
                    query.search.text = records_text(&value);
                    query.q = Some(value);
                }
                "bbox" => query.search.bbox = Some(parse_bbox(&value)?),
                "datetime" => {
                    query.search.datetime = Some(parse_datetime_interval("datetime", &value)?)
                }
                "type" | "kind" => {
                    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                        let kind = part.parse::<Kind>().map_err(|_| {
                            ServeError::bad_parameter(
                                &name,
                                format!("`{part}` is not a record type (dataset, model, service, workflow, visualisation, output, ldt)"),
                            )
                        })?;
                        if !query.types.contains(&kind) {
                            query.types.push(kind);
                        }
                    }
                }
                "ids" => push_list(&mut query.search.ids, &value),
                "externalIds" => push_list(&mut query.search.external_ids, &value),
                "limit" => query.limit = parse_count("limit", &value, 1..=MAX_LIMIT)?,
                "sortby" => {
                    query.search.sort = parse_sortby(&value)?;
                    query.sortby = Some(value);
                }
                "offset" => {
                    query.position =
                        Position::Offset(parse_count("offset", &value, 0..=usize::MAX / 2)?);
                }
                "after" => {
                    let (offset, cursor) = Cursor::parse_token(value.trim()).ok_or_else(|| {
                        ServeError::bad_parameter(
                            "after",
                            "not a cursor of a next link of this API",
                        )
                    })?;
                    query.position = Position::After { offset, cursor };
                }
                "f" => query.f = Some(value),
                "language" => query.language = Some(value),
                "theme" | "publisher" | "format" | "licence" | "source" | "modified_since"
                | "compatible_with" | "verdicts" => facet_pairs.push((name, value)),
                other => {
                    return Err(ServeError::bad_parameter(
                        other,
                        "unknown parameter (see the queryables and the API definition)",
                    ))
                }
            }
        }
        // The facets and the rest of `/api/search`'s filters, read by its own parser.
        let facets: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&facet_pairs)
            .finish();
        let shared = SearchParams::from_query(Some(&facets))?;
        query.search.filters = shared.filters;
        query.search.modified_since = shared.modified_since;
        query.search.compatible_with = shared.compatible_with;
        query.search.verdicts = shared.verdicts;
        query.apply_collection(collection);
        Ok(query)
    }

    /// A kind collection keeps its kind; `type` narrows within it (a kind outside it leaves
    /// nothing: [`ItemsQuery::is_empty_by_type`]).
    fn apply_collection(&mut self, collection: CollectionId) {
        let kinds: Vec<Kind> = match collection.kind() {
            Some(kind) => vec![kind],
            None => self.types.clone(),
        };
        for kind in kinds {
            self.search.filters.push(FacetFilter {
                field: FacetField::Kind,
                value: kind.as_str().to_owned(),
            });
        }
    }

    /// Whether `type` excludes the collection's own kind (the answer is empty).
    pub(crate) fn is_empty_by_type(&self, collection: CollectionId) -> bool {
        match collection.kind() {
            Some(kind) => !self.types.is_empty() && !self.types.contains(&kind),
            None => false,
        }
    }

    /// The order the index applies: relevance without text is by modification time.
    pub(crate) fn effective_sort(&self) -> SortOrder {
        match self.search.sort {
            SortOrder::Relevance if self.search.text.trim().is_empty() => SortOrder::Modified,
            sort => sort,
        }
    }

    /// The query string of this search at another position (for `next`, `prev`, `self`).
    pub(crate) fn query_at(&self, position: &Position, f: Option<&str>) -> String {
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut add = |name: &str, value: String| pairs.push((name.to_owned(), value));
        if let Some(q) = &self.q {
            add("q", q.clone());
        }
        let shared = SearchParams {
            text: String::new(),
            sort: SortOrder::Relevance,
            filters: self
                .search
                .filters
                .iter()
                .filter(|filter| filter.field != FacetField::Kind)
                .cloned()
                .collect(),
            ..self.search.clone()
        };
        for (name, value) in decode_pairs(&shared.to_query()).unwrap_or_default() {
            match name.as_str() {
                "external_ids" => add("externalIds", value),
                _ => add(&name, value),
            }
        }
        if !self.types.is_empty() {
            add(
                "type",
                self.types
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            );
        }
        if let Some(sortby) = &self.sortby {
            add("sortby", sortby.clone());
        }
        if self.limit != DEFAULT_LIMIT {
            add("limit", self.limit.to_string());
        }
        match position {
            Position::Offset(0) => {}
            Position::Offset(offset) => add("offset", offset.to_string()),
            Position::After { offset, cursor } => add("after", cursor.token(*offset)),
        }
        if let Some(language) = &self.language {
            add("language", language.clone());
        }
        if let Some(f) = f {
            add("f", f.to_owned());
        }
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<ItemsQuery, ServeError> {
        ItemsQuery::parse(Some(query), CollectionId::Catalogue)
    }

    #[test]
    fn records_keywords_become_quoted_alternatives() {
        assert_eq!(records_text("air"), "\"air\"");
        assert_eq!(
            records_text("air  quality, no2 ,"),
            "\"air quality\" OR \"no2\""
        );
        assert_eq!(records_text("say \"hi\""), "\"say hi\"");
        assert_eq!(records_text(" , "), "");
    }

    #[test]
    fn every_parameter_reads_and_links_round_trip() -> Result<(), ServeError> {
        let query = parse(
            "q=air,noise&bbox=170,-10,-170,10&datetime=2020-01-01/..&type=dataset,model&ids=a,b\
             &externalIds=x&limit=100&sortby=title&theme=T&modified_since=2024-01-01&language=fr",
        )?;
        assert_eq!(query.search.text, "\"air\" OR \"noise\"");
        assert_eq!(query.types, [Kind::Dataset, Kind::Model]);
        assert_eq!(query.search.filters.len(), 3);
        assert_eq!(query.limit, 100);
        assert_eq!(query.search.sort, SortOrder::Title);
        let again = parse(&query.query_at(&query.position, None))?;
        assert_eq!(again, query);
        Ok(())
    }

    #[test]
    fn bad_values_and_unknown_parameters_are_named() {
        for (query, parameter) in [
            ("limit=1000000000", "`limit`"),
            ("limit=0", "`limit`"),
            ("bbox=1,2,3", "`bbox`"),
            ("bbox=0,10,1,5", "`bbox`"),
            ("datetime=tomorrow", "`datetime`"),
            ("type=catalogue", "`type`"),
            ("sortby=-title", "`sortby`"),
            ("sortby=id,title", "`sortby`"),
            ("after=zz", "`after`"),
            ("frobnicate=1", "`frobnicate`"),
            ("verdicts=maybe", "`verdicts`"),
        ] {
            let message = parse(query)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(message.contains(parameter), "{query}: {message}");
        }
    }

    #[test]
    fn cursor_tokens_round_trip() {
        let cursors = [
            Cursor::Id("ab12".to_owned()),
            Cursor::Hit(AfterHit::Modified {
                modified: DateTime::from_timestamp(1_700_000_000, 0),
                id: "c3".to_owned(),
            }),
            Cursor::Hit(AfterHit::Modified {
                modified: None,
                id: "c3".to_owned(),
            }),
            Cursor::Hit(AfterHit::Title {
                title: "Qualité de l'air. 1".to_owned(),
                id: "d4".to_owned(),
            }),
        ];
        for cursor in cursors {
            let token = cursor.token(300);
            assert_eq!(Cursor::parse_token(&token), Some((300, cursor)), "{token}");
        }
        assert_eq!(Cursor::parse_token("1.i.a-b"), None);
    }
}
