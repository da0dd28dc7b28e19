//! Dates, in one place: building a calendar date, reading a date value (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`,
//! optionally with a time and zone) as the start or the end of that period, and converting between a day,
//! a timestamp (seconds since the epoch at midnight UTC), a day number and the year and month keys the
//! index filters on.
//!
//! An article has a day, not an instant: a day is always stored at midnight UTC, and a time and zone
//! written after a date are dropped rather than converted (converting could move an article to the day
//! before or after).

use std::sync::LazyLock;

use regex::Regex;
use time::{Date, Month};

pub use crate::error::{DateBound, DateProblem};
use crate::error::{Error, Result};

/// Earliest and latest years the index can hold (tantivy stores dates as i64 nanoseconds).
pub const MIN_YEAR: i32 = 1678;
pub const MAX_YEAR: i32 = 2261;

const SECS_PER_DAY: i64 = 86_400;

/// Builds a date, rejecting impossible dates and years the index cannot store.
pub fn make_date(year: i32, month: u32, day: u32) -> std::result::Result<Date, DateProblem> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(DateProblem::OutOfRange);
    }
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(DateProblem::NoSuchDay)?;
    let day = u8::try_from(day).map_err(|_| DateProblem::NoSuchDay)?;
    Date::from_calendar_date(year, month, day).map_err(|_| DateProblem::NoSuchDay)
}

/// Seconds since the epoch of a day's midnight UTC (how the index stores a day).
pub fn day_to_secs(date: Date) -> i64 {
    date.midnight().assume_utc().unix_timestamp()
}

/// The UTC day of a timestamp; `None` outside the calendar's range.
pub fn secs_to_day(secs: i64) -> Option<Date> {
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .map(|t| t.date())
}

/// The number of days since 1970-01-01 of a timestamp (negative before): a small key to count by.
pub fn secs_to_day_number(secs: i64) -> i32 {
    secs.div_euclid(SECS_PER_DAY) as i32
}

/// The day of a day number (see [`secs_to_day_number`]).
pub fn day_number_to_day(day: i32) -> Option<Date> {
    secs_to_day(i64::from(day) * SECS_PER_DAY)
}

/// A timestamp's day as `YYYY-MM-DD`.
pub fn format_day(secs: i64) -> Option<String> {
    secs_to_day(secs).map(|d| d.to_string())
}

/// The period key of a whole year (see the index's `period` field).
pub fn year_key(year: i32) -> u64 {
    // Index dates lie within 1677..2262 (tantivy's range), so the key is positive.
    (i64::from(year) * 100).max(0) as u64
}

/// The period key of a month of a year.
pub fn month_key(year: i32, month: Month) -> u64 {
    year_key(year) + u64::from(u8::from(month))
}

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

fn bad(bound: DateBound, value: &str, problem: DateProblem) -> Error {
    Error::BadDate {
        bound,
        value: value.to_string(),
        problem,
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

/// Parses one date value given for `bound` (named in errors). A full date may carry a time and zone,
/// which are ignored (see [`date_of_timestamp`]).
pub fn parse_date(bound: DateBound, value: &str, end: BoundEnd) -> Result<Date> {
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
        return Err(bad(bound, value, DateProblem::Shape));
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
    result.map_err(|why| bad(bound, value, why))
}

/// Builds the range from a start, an end and a single period (each optional; the period narrows the
/// other two).
pub fn parse_range(
    since: Option<&str>,
    until: Option<&str>,
    on: Option<&str>,
) -> Result<DateRange> {
    let mut range = DateRange {
        since: since
            .map(|v| parse_date(DateBound::Since, v, BoundEnd::Start))
            .transpose()?,
        until: until
            .map(|v| parse_date(DateBound::Until, v, BoundEnd::End))
            .transpose()?,
    };
    if let Some(v) = on {
        let start = parse_date(DateBound::On, v, BoundEnd::Start)?;
        let end = parse_date(DateBound::On, v, BoundEnd::End)?;
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
        let p = |v, e| parse_date(DateBound::Since, v, e).ok();
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
            let d = parse_date(DateBound::Since, v, BoundEnd::Start).ok();
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
            let err = parse_date(DateBound::Until, v, BoundEnd::End);
            assert!(
                matches!(
                    err,
                    Err(Error::BadDate {
                        bound: DateBound::Until,
                        ..
                    })
                ),
                "{v} accepted"
            );
        }
    }

    #[test]
    fn days_timestamps_and_day_numbers_convert_both_ways() {
        for d in [
            date!(1678 - 01 - 01),
            date!(1969 - 12 - 31),
            date!(1970 - 01 - 01),
            date!(2023 - 07 - 28),
            date!(2261 - 12 - 31),
        ] {
            let secs = day_to_secs(d);
            assert_eq!(secs_to_day(secs), Some(d));
            assert_eq!(day_number_to_day(secs_to_day_number(secs)), Some(d));
            // Any second of the day is that day.
            assert_eq!(secs_to_day(secs + SECS_PER_DAY - 1), Some(d));
            assert_eq!(
                secs_to_day_number(secs + SECS_PER_DAY - 1),
                secs_to_day_number(secs)
            );
        }
        assert_eq!(day_to_secs(date!(2023 - 07 - 28)), 1_690_502_400);
        assert_eq!(format_day(1_690_502_400).as_deref(), Some("2023-07-28"));
        assert_eq!(secs_to_day_number(-1), -1);
    }

    #[test]
    fn keys_of_years_and_months_differ() {
        assert_eq!(year_key(1987), 198_700);
        assert_eq!(month_key(1987, Month::December), 198_712);
    }

    #[test]
    fn errors_name_the_bound_and_value_but_no_flag() {
        let bad = parse_range(Some("1987"), Some("1987-13"), None).err();
        let text = bad.as_ref().map(ToString::to_string).unwrap_or_default();
        assert_eq!(text, "invalid end date '1987-13': does not exist");
        assert!(matches!(
            bad,
            Some(Error::BadDate {
                bound: DateBound::Until,
                problem: DateProblem::NoSuchDay,
                ..
            })
        ));
        let problem = |v| match parse_date(DateBound::Since, v, BoundEnd::Start) {
            Err(Error::BadDate { problem, .. }) => Some(problem),
            _ => None,
        };
        assert_eq!(problem("87"), Some(DateProblem::Shape));
        assert_eq!(problem("2023-02-30"), Some(DateProblem::NoSuchDay));
        assert_eq!(problem("1500"), Some(DateProblem::OutOfRange));
        let inverted = parse_range(Some("2024"), Some("2023"), None).err();
        assert_eq!(
            inverted.map(|e| e.to_string()).unwrap_or_default(),
            "the start date 2024-01-01 is after the end date 2023-12-31"
        );
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
