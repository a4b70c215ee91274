//! Search parameters: strict decoding of the query string into [`SearchParams`], and back
//! into query strings for links (facet toggles, paging).
//!
//! Decoding is strict where `application/x-www-form-urlencoded` parsers are usually lenient: a
//! `%` not followed by two hex digits, or bytes that are not UTF-8, make the request a 400
//! that names the parameter, rather than being passed through or replaced.

use chrono::{DateTime, SecondsFormat, Utc};
use ldtcat_compat::Verdict;
use ldtcat_index::{FacetField, FacetFilter, SearchRequest, SortOrder, TimeRange};
use ldtcat_model::BoundingBox;
use ldtcat_vocab::Kind;

use crate::error::ServeError;
pub use crate::query_time::{datetime_text, parse_datetime_interval, push_list};

/// The page size when none is asked for.
pub const DEFAULT_PAGE_SIZE: usize = 20;
/// The largest page size served; larger requests are capped to it.
pub const MAX_PAGE_SIZE: usize = 100;

/// A search as asked for in the URL.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchParams {
    /// `q`: the query text (empty: everything).
    pub text: String,
    /// `kind`, `theme`, ...: facet filters, in URL order.
    pub filters: Vec<FacetFilter>,
    /// `bbox`: west, south, east, north.
    pub bbox: Option<BoundingBox>,
    /// `modified_since`: an RFC 3339 time or a date (midnight UTC).
    pub modified_since: Option<DateTime<Utc>>,
    /// `modified_until`: the same forms; records modified at or before it.
    pub modified_until: Option<DateTime<Utc>>,
    /// `changed_since`: records changed in this catalogue at or after it (the same forms).
    pub changed_since: Option<DateTime<Utc>>,
    /// `changed_until`: records changed in this catalogue at or before it.
    pub changed_until: Option<DateTime<Utc>>,
    /// `datetime`: an instant or a period (`start/end`, `..` or empty for an open end), as
    /// in OGC API Features; keeps records whose temporal coverage intersects it.
    pub datetime: Option<TimeRange>,
    /// `ids`: record ids, comma-separated or repeated.
    pub ids: Vec<String>,
    /// `external_ids`: `dct:identifier` values or resource IRIs, comma-separated or repeated.
    pub external_ids: Vec<String>,
    /// `min_quality`: records whose metadata-quality score is at least this.
    pub min_quality: Option<u32>,
    /// `max_quality`: records whose metadata-quality score is at most this.
    pub max_quality: Option<u32>,
    /// `sort`.
    pub sort: SortOrder,
    /// `page`, from 1.
    pub page: usize,
    /// `page_size`, 1 to [`MAX_PAGE_SIZE`].
    pub page_size: usize,
    /// `compatible_with`: an LDT profile's record id or IRI; keeps the components whose
    /// verdict against it is one of [`SearchParams::verdicts`].
    pub compatible_with: Option<String>,
    /// `verdicts`: comma-separated; empty means out of the box or with limited adaptations.
    pub verdicts: Vec<Verdict>,
    /// `lang`: the language chosen by the visitor, kept in every link (see `i18n`).
    pub lang: Option<String>,
}

impl Default for SearchParams {
    fn default() -> Self {
        SearchParams {
            text: String::new(),
            filters: Vec::new(),
            bbox: None,
            modified_since: None,
            modified_until: None,
            changed_since: None,
            changed_until: None,
            datetime: None,
            ids: Vec::new(),
            external_ids: Vec::new(),
            min_quality: None,
            max_quality: None,
            sort: SortOrder::Relevance,
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
            compatible_with: None,
            verdicts: Vec::new(),
            lang: None,
        }
    }
}

/// The URL name of a sort order.
pub fn sort_name(sort: SortOrder) -> &'static str {
    match sort {
        SortOrder::Relevance => "relevance",
        SortOrder::Modified => "modified",
        SortOrder::Title => "title",
        SortOrder::Id => "id",
        SortOrder::Name => "name",
        SortOrder::Changed => "changed",
        SortOrder::Quality => "quality",
    }
}

impl SearchParams {
    /// Parses a raw query string (without the `?`); `None` is the empty query.
    pub fn from_query(raw_query: Option<&str>) -> Result<SearchParams, ServeError> {
        let mut params = SearchParams::default();
        for (name, value) in decode_pairs(raw_query.unwrap_or(""))? {
            if value.trim().is_empty() {
                continue;
            }
            params.apply(&name, value)?;
        }
        Ok(params)
    }

    fn apply(&mut self, name: &str, value: String) -> Result<(), ServeError> {
        match name {
            "q" => self.text = value,
            "sort" => self.sort = parse_sort(&value)?,
            "page" => self.page = parse_positive(name, &value)?,
            "page_size" => self.page_size = parse_positive(name, &value)?.min(MAX_PAGE_SIZE),
            "bbox" => self.bbox = Some(parse_bbox(&value)?),
            "modified_since" => self.modified_since = Some(parse_time(name, &value)?),
            "modified_until" => self.modified_until = Some(parse_time(name, &value)?),
            "changed_since" => self.changed_since = Some(parse_time(name, &value)?),
            "changed_until" => self.changed_until = Some(parse_time(name, &value)?),
            "datetime" => self.datetime = Some(parse_datetime_interval(name, &value)?),
            "ids" => push_list(&mut self.ids, &value),
            "external_ids" => push_list(&mut self.external_ids, &value),
            "min_quality" => self.min_quality = Some(parse_score(name, &value)?),
            "max_quality" => self.max_quality = Some(parse_score(name, &value)?),
            "compatible_with" => self.compatible_with = Some(value.trim().to_owned()),
            "lang" => self.lang = Some(value.trim().to_owned()),
            "verdicts" => {
                // Repeated (form checkboxes) or comma-separated: both add up.
                for verdict in crate::compat::parse_verdicts(name, &value)? {
                    if !self.verdicts.contains(&verdict) {
                        self.verdicts.push(verdict);
                    }
                }
            }
            _ => {
                let Ok(field) = name.parse::<FacetField>() else {
                    return Ok(()); // unknown parameters are ignored
                };
                if field == FacetField::Kind {
                    value
                        .parse::<Kind>()
                        .map_err(|error| ServeError::bad_parameter(name, error.to_string()))?;
                }
                let filter = FacetFilter { field, value };
                if !self.filters.contains(&filter) {
                    self.filters.push(filter);
                }
            }
        }
        Ok(())
    }

    /// The index request for this search.
    pub fn to_request(&self) -> Result<SearchRequest, ServeError> {
        let offset = (self.page - 1).checked_mul(self.page_size).ok_or_else(|| {
            ServeError::bad_parameter("page", format!("page {} is out of range", self.page))
        })?;
        Ok(SearchRequest {
            text: self.text.clone(),
            filters: self.filters.clone(),
            facet_clauses: Vec::new(),
            bbox: self.bbox,
            modified_since: self.modified_since,
            modified_until: self.modified_until,
            changed_since: self.changed_since,
            changed_until: self.changed_until,
            after_id: None,
            before_id: None,
            after_hit: None,
            ids: self.ids.clone(),
            identifiers: self.external_ids.clone(),
            temporal: self.datetime,
            min_quality: self.min_quality,
            max_quality: self.max_quality,
            sort: self.sort,
            offset,
            limit: self.page_size,
            facets: true,
            requirements: None,
        })
    }

    /// The verdicts a `compatible_with` search keeps.
    pub fn accepted_verdicts(&self) -> Vec<Verdict> {
        if self.verdicts.is_empty() {
            vec![Verdict::OutOfTheBox, Verdict::LimitedAdaptations]
        } else {
            self.verdicts.clone()
        }
    }

    /// Whether this filter is active.
    pub fn has_filter(&self, field: FacetField, value: &str) -> bool {
        self.filters
            .iter()
            .any(|f| f.field == field && f.value == value)
    }

    /// The same search with this filter added or, when active, removed; back on page 1.
    pub fn toggled(&self, field: FacetField, value: &str) -> SearchParams {
        let mut next = SearchParams {
            page: 1,
            ..self.clone()
        };
        if self.has_filter(field, value) {
            next.filters
                .retain(|f| !(f.field == field && f.value == value));
        } else {
            next.filters.push(FacetFilter {
                field,
                value: value.to_owned(),
            });
        }
        next
    }

    /// The same search on another page.
    pub fn on_page(&self, page: usize) -> SearchParams {
        SearchParams {
            page,
            ..self.clone()
        }
    }

    /// The same search without a bounding box, back on page 1.
    pub fn without_bbox(&self) -> SearchParams {
        SearchParams {
            bbox: None,
            page: 1,
            ..self.clone()
        }
    }

    /// The query string of this search (without `?`), omitting defaults.
    pub fn to_query(&self) -> String {
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        if !self.text.is_empty() {
            serializer.append_pair("q", &self.text);
        }
        for filter in &self.filters {
            serializer.append_pair(filter.field.as_str(), &filter.value);
        }
        if let Some(bbox) = &self.bbox {
            serializer.append_pair("bbox", &bbox_text(bbox));
        }
        if let Some(since) = self.modified_since {
            serializer.append_pair(
                "modified_since",
                &since.to_rfc3339_opts(SecondsFormat::Secs, true),
            );
        }
        for (name, time) in [
            ("modified_until", self.modified_until),
            ("changed_since", self.changed_since),
            ("changed_until", self.changed_until),
        ] {
            if let Some(time) = time {
                serializer.append_pair(name, &time.to_rfc3339_opts(SecondsFormat::Secs, true));
            }
        }
        if let Some(range) = &self.datetime {
            serializer.append_pair("datetime", &datetime_text(range));
        }
        if !self.ids.is_empty() {
            serializer.append_pair("ids", &self.ids.join(","));
        }
        if !self.external_ids.is_empty() {
            serializer.append_pair("external_ids", &self.external_ids.join(","));
        }
        for (name, score) in [
            ("min_quality", self.min_quality),
            ("max_quality", self.max_quality),
        ] {
            if let Some(score) = score {
                serializer.append_pair(name, &score.to_string());
            }
        }
        if let Some(profile) = &self.compatible_with {
            serializer.append_pair("compatible_with", profile);
        }
        if !self.verdicts.is_empty() {
            let names: Vec<&str> = self.verdicts.iter().map(|v| v.as_str()).collect();
            serializer.append_pair("verdicts", &names.join(","));
        }
        if self.sort != SortOrder::Relevance {
            serializer.append_pair("sort", sort_name(self.sort));
        }
        if self.page != 1 {
            serializer.append_pair("page", &self.page.to_string());
        }
        if self.page_size != DEFAULT_PAGE_SIZE {
            serializer.append_pair("page_size", &self.page_size.to_string());
        }
        if let Some(lang) = &self.lang {
            serializer.append_pair("lang", lang);
        }
        serializer.finish()
    }

    /// `/search` with this search's query string.
    pub fn search_url(&self) -> String {
        let query = self.to_query();
        if query.is_empty() {
            "/search".to_owned()
        } else {
            format!("/search?{query}")
        }
    }
}

/// `west,south,east,north`, as in the `bbox` parameter.
pub fn bbox_text(bbox: &BoundingBox) -> String {
    format!("{},{},{},{}", bbox.west, bbox.south, bbox.east, bbox.north)
}

fn parse_sort(value: &str) -> Result<SortOrder, ServeError> {
    match value {
        "relevance" => Ok(SortOrder::Relevance),
        "modified" => Ok(SortOrder::Modified),
        "title" => Ok(SortOrder::Title),
        "id" => Ok(SortOrder::Id),
        "name" => Ok(SortOrder::Name),
        "changed" => Ok(SortOrder::Changed),
        "quality" => Ok(SortOrder::Quality),
        other => Err(ServeError::bad_parameter(
            "sort",
            format!(
                "expected relevance, modified, title, id, name, changed or quality, got `{other}`"
            ),
        )),
    }
}

/// A metadata-quality score: 0 to 405 (the MQA's maximum).
fn parse_score(name: &str, value: &str) -> Result<u32, ServeError> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|score| *score <= 405)
        .ok_or_else(|| {
            ServeError::bad_parameter(
                name,
                format!("expected a score from 0 to 405, got `{value}`"),
            )
        })
}

/// An RFC 3339 time (`2024-05-01T12:00:00Z`) or a date (`2024-05-01`, midnight UTC).
fn parse_time(name: &str, value: &str) -> Result<DateTime<Utc>, ServeError> {
    if let Ok(time) = DateTime::parse_from_rfc3339(value.trim()) {
        return Ok(time.with_timezone(&Utc));
    }
    chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|time| time.and_utc())
        .ok_or_else(|| {
            ServeError::bad_parameter(
                name,
                format!("expected an RFC 3339 time or a YYYY-MM-DD date, got `{value}`"),
            )
        })
}

fn parse_positive(name: &str, value: &str) -> Result<usize, ServeError> {
    match value.trim().parse::<usize>() {
        Ok(number) if number >= 1 => Ok(number),
        _ => Err(ServeError::bad_parameter(
            name,
            format!("expected a whole number of at least 1, got `{value}`"),
        )),
    }
}

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
        .map_err(|_| invalid("four numbers"))?;
    let [west, south, east, north] = numbers[..] else {
        return Err(invalid("four numbers"));
    };
    let longitude = -180.0..=180.0;
    let latitude = -90.0..=90.0;
    if ![west, east].iter().all(|lon| longitude.contains(lon))
        || ![south, north].iter().all(|lat| latitude.contains(lat))
    {
        return Err(invalid("longitudes within ±180, latitudes within ±90"));
    }
    if south > north || west > east {
        return Err(invalid("south not above north, west not east of east"));
    }
    Ok(BoundingBox {
        west,
        south,
        east,
        north,
    })
}

/// Splits and strictly decodes `application/x-www-form-urlencoded` pairs.
pub fn decode_pairs(raw_query: &str) -> Result<Vec<(String, String)>, ServeError> {
    let mut pairs = Vec::new();
    for part in raw_query.split('&').filter(|part| !part.is_empty()) {
        let (raw_name, raw_value) = part.split_once('=').unwrap_or((part, ""));
        let name = decode_component(raw_name).map_err(|why| ServeError::MalformedQuery {
            message: format!("a parameter name has {why}"),
        })?;
        let value = decode_component(raw_value).map_err(|why| ServeError::MalformedQuery {
            message: format!("the value of `{name}` has {why}"),
        })?;
        pairs.push((name, value));
    }
    Ok(pairs)
}

/// Decodes `+` and `%XX`; says what is wrong otherwise.
fn decode_component(raw: &str) -> Result<String, &'static str> {
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut position = 0;
    while position < bytes.len() {
        match bytes[position] {
            b'+' => decoded.push(b' '),
            b'%' => {
                let high = bytes.get(position + 1).and_then(|b| hex_value(*b));
                let low = bytes.get(position + 2).and_then(|b| hex_value(*b));
                let (Some(high), Some(low)) = (high, low) else {
                    return Err("a `%` not followed by two hex digits");
                };
                decoded.push(high * 16 + low);
                position += 2;
            }
            byte => decoded.push(byte),
        }
        position += 1;
    }
    String::from_utf8(decoded).map_err(|_| "percent-encoded bytes that are not UTF-8")
}

fn hex_value(byte: u8) -> Option<u8> {
    (byte as char)
        .to_digit(16)
        .and_then(|digit| u8::try_from(digit).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<SearchParams, ServeError> {
        SearchParams::from_query(Some(query))
    }

    #[test]
    fn parameters_parse_and_unknown_ones_are_ignored() -> Result<(), ServeError> {
        let params = parse("q=air+quality%20index&kind=model&theme=T1&theme=T2&sort=title&page=3&page_size=500&bbox=7,43.5,7.2,43.6&utm=x")?;
        assert_eq!(params.text, "air quality index");
        assert_eq!(params.filters.len(), 3);
        assert_eq!(params.sort, SortOrder::Title);
        assert_eq!((params.page, params.page_size), (3, MAX_PAGE_SIZE));
        assert_eq!(params.bbox.map(|b| b.north), Some(43.6));
        let request = params.to_request()?;
        assert_eq!((request.offset, request.limit), (200, 100));
        Ok(())
    }

    #[test]
    fn empty_values_count_as_absent() -> Result<(), ServeError> {
        assert_eq!(parse("q=&page=&bbox=&kind=")?, SearchParams::default());
        assert_eq!(SearchParams::from_query(None)?, SearchParams::default());
        Ok(())
    }

    #[test]
    fn bad_values_name_their_parameter() {
        for (query, parameter) in [
            ("page=abc", "`page`"),
            ("page=0", "`page`"),
            ("page_size=-1", "`page_size`"),
            ("sort=best", "`sort`"),
            ("kind=catalogue", "`kind`"),
            ("bbox=1,2,3", "`bbox`"),
            ("bbox=10,0,5,1", "`bbox`"),
            ("bbox=0,0,200,1", "`bbox`"),
            ("q=%zz", "`q`"),
            ("q=%C3%28", "`q`"),
            ("q=50%", "`q`"),
        ] {
            let message = parse(query)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(message.contains(parameter), "{query}: {message}");
        }
    }

    #[test]
    fn huge_pages_are_a_bad_parameter_not_an_overflow() -> Result<(), ServeError> {
        let params = parse(&format!("page={}&page_size=100", usize::MAX))?;
        assert!(params.to_request().is_err());
        Ok(())
    }

    #[test]
    fn links_round_trip_through_the_query_string() -> Result<(), ServeError> {
        let params = parse("q=a%26b&publisher=Ville+d%27Antibes&sort=modified&page=2")?;
        assert_eq!(parse(&params.to_query())?, params);
        let toggled = params.toggled(FacetField::Kind, "model");
        assert_eq!(toggled.page, 1);
        assert!(toggled.has_filter(FacetField::Kind, "model"));
        assert!(!toggled
            .toggled(FacetField::Kind, "model")
            .has_filter(FacetField::Kind, "model"));
        assert_eq!(SearchParams::default().search_url(), "/search");
        Ok(())
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Parameter names, known and not, and values that have broken parsers before.
        fn pair() -> impl Strategy<Value = String> {
            (
                prop::sample::select(vec![
                    "q",
                    "sort",
                    "page",
                    "page_size",
                    "bbox",
                    "modified_since",
                    "kind",
                    "theme",
                    "publisher",
                    "format",
                    "licence",
                    "source",
                    "compatible_with",
                    "verdicts",
                    "min_quality",
                    "max_quality",
                    "after",
                    "",
                    "%",
                    "q%5B%5D",
                ]),
                prop_oneof![
                    "\\PC{0,30}",
                    "[0-9.,+-]{0,25}",
                    prop::sample::select(vec![
                        "%",
                        "%zz",
                        "%FF%FE",
                        "%00",
                        "+",
                        "99999999999999999999999",
                        "-0",
                        "1e400",
                        "NaN",
                        "inf",
                        "0,0,0,0",
                        "-180,-90,180,90",
                        "2024-02-30",
                        "2024-01-01T00:00:00+25:00",
                        "model",
                        "MODEL",
                        "out-of-the-box,x",
                    ])
                    .prop_map(str::to_owned),
                ],
            )
                .prop_map(|(name, value)| format!("{name}={value}"))
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn any_query_string_is_parsed_or_refused_with_a_4xx(
                pairs in prop::collection::vec(pair(), 0..12),
                junk in "\\PC{0,40}",
            ) {
                let raw = format!("{}&{junk}", pairs.join("&"));
                match SearchParams::from_query(Some(&raw)) {
                    Ok(params) => {
                        // What is accepted can be written back and reads the same.
                        let again = SearchParams::from_query(Some(&params.to_query()));
                        prop_assert!(again.is_ok(), "{raw} -> {}", params.to_query());
                        let _ = params.to_request();
                    }
                    Err(error) => {
                        prop_assert!(error.status().is_client_error(), "{raw}: {error}");
                        prop_assert!(!error.to_string().is_empty());
                    }
                }
            }
        }
    }
}
