//! Date filter values: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (optionally with a time and zone), as the
//! start or the end of that period.

use std::sync::LazyLock;

use regex::Regex;
use time::Date;

use crate::article::make_date;
use crate::error::{Error, Result};

/// Which end of a partial date a bound means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundEnd {
    /// The first day of the period (`--since 2023-07` is July 1).
    Start,
    /// The last day of the period (`--until 2023-07` is July 31).
    End,
}

/// An inclusive date range; either end may be open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateRange {
    pub since: Option<Date>,
    pub until: Option<Date>,
}

impl DateRange {
    pub fn is_unbounded(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }
}

fn bad(flag: &'static str, value: &str, reason: &str) -> Error {
    Error::BadDate {
        flag,
        value: value.to_string(),
        reason: reason.to_string(),
    }
}

static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$")
        .expect("valid regex")
});

/// The `YYYY-MM-DD` part of an ISO 8601 date-time (`2023-07-28T23:30:00-05:00`, `2023-07-28T10:00Z`):
/// the calendar date as written, not converted to UTC (a day-granular archive must not move an
/// article to the day before or after). `None` when `value` is not such a date-time.
pub fn date_of_timestamp(value: &str) -> Option<&str> {
    TIMESTAMP
        .captures(value)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str())
}

/// Parses one date flag value; `flag` names it in errors. A full date may carry a time and zone, which
/// are ignored (see [`date_of_timestamp`]).
pub fn parse_date(flag: &'static str, value: &str, end: BoundEnd) -> Result<Date> {
    let v = value.trim();
    let v = date_of_timestamp(v).unwrap_or(v);
    let parts: Vec<&str> = v.split('-').collect();
    let shape_ok = match parts.as_slice() {
        [y] => y.len() == 4,
        [y, m] => y.len() == 4 && m.len() == 2,
        [y, m, d] => y.len() == 4 && m.len() == 2 && d.len() == 2,
        _ => false,
    } && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if !shape_ok {
        return Err(bad(flag, value, "expected YYYY, YYYY-MM or YYYY-MM-DD"));
    }
    let num = |i: usize| parts.get(i).and_then(|p| p.parse::<u32>().ok());
    let year = num(0).unwrap_or(0) as i32;
    let result = match (num(1), num(2)) {
        (None, _) => match end {
            BoundEnd::Start => make_date(year, 1, 1),
            BoundEnd::End => make_date(year, 12, 31),
        },
        (Some(m), None) => match end {
            BoundEnd::Start => make_date(year, m, 1),
            BoundEnd::End => make_date(year, m, 1).map(|first| {
                let month = first.month();
                Date::from_calendar_date(year, month, month.length(year)).unwrap_or(first)
            }),
        },
        (Some(m), Some(d)) => make_date(year, m, d),
    };
    result.map_err(|why| bad(flag, value, why))
}

/// Builds the range from `--since`, `--until` and `--on` values.
pub fn parse_range(
    since: Option<&str>,
    until: Option<&str>,
    on: Option<&str>,
) -> Result<DateRange> {
    let mut range = DateRange {
        since: since
            .map(|v| parse_date("--since", v, BoundEnd::Start))
            .transpose()?,
        until: until
            .map(|v| parse_date("--until", v, BoundEnd::End))
            .transpose()?,
    };
    if let Some(v) = on {
        let start = parse_date("--on", v, BoundEnd::Start)?;
        let end = parse_date("--on", v, BoundEnd::End)?;
        range.since = Some(range.since.map_or(start, |s| s.max(start)));
        range.until = Some(range.until.map_or(end, |u| u.min(end)));
    }
    if let (Some(s), Some(u)) = (range.since, range.until) {
        if s > u {
            return Err(Error::EmptyDateRange {
                since: s.to_string(),
                until: u.to_string(),
            });
        }
    }
    Ok(range)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn partial_dates_expand_to_their_period() {
        let p = |v, e| parse_date("--since", v, e).ok();
        assert_eq!(p("2023", BoundEnd::Start), Some(date!(2023 - 01 - 01)));
        assert_eq!(p("2023", BoundEnd::End), Some(date!(2023 - 12 - 31)));
        assert_eq!(p("2023-07", BoundEnd::End), Some(date!(2023 - 07 - 31)));
        assert_eq!(p("2024-02", BoundEnd::End), Some(date!(2024 - 02 - 29)));
        assert_eq!(p("2023-02", BoundEnd::End), Some(date!(2023 - 02 - 28)));
        assert_eq!(p("2023-07-28", BoundEnd::End), Some(date!(2023 - 07 - 28)));
    }

    #[test]
    fn a_time_and_zone_keep_the_date_as_written() {
        for v in [
            "2023-07-28T00:00Z",
            "2023-07-28T23:30:00-05:00",
            "2023-07-28t01:00:00.123+14:00",
            "2023-07-28T12:00+0200",
        ] {
            let d = parse_date("--since", v, BoundEnd::Start).ok();
            assert_eq!(d, Some(date!(2023 - 07 - 28)), "{v}");
        }
        assert_eq!(date_of_timestamp("2023-07-28"), None);
        assert_eq!(date_of_timestamp("2023-07-28T"), None);
    }

    #[test]
    fn malformed_and_impossible_dates_are_errors() {
        for v in [
            "2023-02-30",
            "2023-13",
            "23-07-01",
            "2023/07/01",
            "july",
            "",
            "2023-7-1",
            "1500",
            "2023-07-28T25",
            "2023-07-28 10:00",
            "2023-02-30T10:00Z",
            "87",
            "9999-01-01",
        ] {
            let err = parse_date("--until", v, BoundEnd::End);
            assert!(
                matches!(
                    err,
                    Err(Error::BadDate {
                        flag: "--until",
                        ..
                    })
                ),
                "{v} accepted"
            );
        }
    }

    #[test]
    fn on_and_inverted_ranges() {
        let r = parse_range(None, None, Some("2023-07")).ok();
        assert_eq!(
            r,
            Some(DateRange {
                since: Some(date!(2023 - 07 - 01)),
                until: Some(date!(2023 - 07 - 31))
            })
        );
        assert!(matches!(
            parse_range(Some("2024"), Some("2023"), None),
            Err(Error::EmptyDateRange { .. })
        ));
    }
}
