//! The list and period parameters of a search: `ids` / `external_ids` lists and the
//! `datetime` instant or interval of OGC API Features, parsed and written back.

use chrono::{DateTime, SecondsFormat, Utc};
use ldtcat_index::TimeRange;

use crate::error::ServeError;

/// Adds the comma-separated items of `value` that are not there yet.
pub fn push_list(list: &mut Vec<String>, value: &str) {
    for item in value.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        if !list.iter().any(|known| known == item) {
            list.push(item.to_owned());
        }
    }
}

/// A period as the `datetime` parameter writes it.
pub fn datetime_text(range: &TimeRange) -> String {
    let end = |time: Option<DateTime<Utc>>| {
        time.map_or("..".to_owned(), |t| {
            t.to_rfc3339_opts(SecondsFormat::Secs, true)
        })
    };
    if range.start.is_some() && range.start == range.end {
        return end(range.start);
    }
    format!("{}/{}", end(range.start), end(range.end))
}

/// The `datetime` parameter of OGC API Features: an instant (an RFC 3339 time, or a date:
/// that whole day) or an interval `start/end` whose ends are times or dates, `..` or empty
/// for an open end. A date as the end of an interval means its whole day.
pub fn parse_datetime_interval(name: &str, value: &str) -> Result<TimeRange, ServeError> {
    let invalid = |why: &str| {
        ServeError::bad_parameter(
            name,
            format!(
                "expected an RFC 3339 time or date, or an interval start/end with `..` for an open end ({why}), got `{value}`"
            ),
        )
    };
    let end_of_day = |time: DateTime<Utc>| time + chrono::Duration::seconds(86_399);
    let bound = |text: &str, is_end: bool| -> Result<Option<DateTime<Utc>>, ServeError> {
        let text = text.trim();
        if text.is_empty() || text == ".." {
            return Ok(None);
        }
        if let Ok(time) = DateTime::parse_from_rfc3339(text) {
            return Ok(Some(time.with_timezone(&Utc)));
        }
        let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| invalid("not a time or date"))?;
        let midnight = date.and_time(chrono::NaiveTime::MIN).and_utc();
        Ok(Some(if is_end {
            end_of_day(midnight)
        } else {
            midnight
        }))
    };
    let range = match value.split_once('/') {
        None => {
            let start = bound(value, false)?.ok_or_else(|| invalid("an empty instant"))?;
            let is_date = !value.contains('T') && !value.contains('t');
            TimeRange {
                start: Some(start),
                end: Some(if is_date { end_of_day(start) } else { start }),
            }
        }
        Some((start, end)) => TimeRange {
            start: bound(start, false)?,
            end: bound(end, true)?,
        },
    };
    if let (Some(start), Some(end)) = (range.start, range.end) {
        if start > end {
            return Err(invalid("the start is after the end"));
        }
    }
    Ok(range)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::SearchParams;

    #[test]
    fn datetime_instants_and_intervals_parse() -> Result<(), ServeError> {
        let day = parse_datetime_interval("datetime", "2024-05-01")?;
        assert_eq!(
            datetime_text(&day),
            "2024-05-01T00:00:00Z/2024-05-01T23:59:59Z"
        );
        let instant = parse_datetime_interval("datetime", "2024-05-01T10:00:00+02:00")?;
        assert_eq!(datetime_text(&instant), "2024-05-01T08:00:00Z");
        let open = parse_datetime_interval("datetime", "../2024-05-01")?;
        assert_eq!(open.start, None);
        assert_eq!(datetime_text(&open), "../2024-05-01T23:59:59Z");
        let open = parse_datetime_interval("datetime", "2024-05-01T00:00:00Z/")?;
        assert_eq!(open.end, None);
        for bad in ["2024-13-01", "yesterday", "2024-05-02/2024-05-01", "/x", ""] {
            let message = parse_datetime_interval("datetime", bad)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(message.contains("`datetime`"), "{bad}: {message}");
        }
        let params = SearchParams::from_query(Some(
            "datetime=2020-01-01/..&ids=a,b&ids=b,c&external_ids=x",
        ))?;
        assert_eq!(params.ids, ["a", "b", "c"]);
        assert_eq!(SearchParams::from_query(Some(&params.to_query()))?, params);
        Ok(())
    }
}
