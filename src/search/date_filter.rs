//! The date filter of searches and timelines.
//!
//! Every dated passage carries its day (the `date` field, one indexed term per day) and two period keys
//! (the `period` field): its year and its month. A date range is cut into whole years, whole months and
//! the days left at its edges, so that a filter reads a few dozen terms however wide the range: a decade
//! is ten year keys rather than 3,653 day terms (a range over day terms reads every day's postings and
//! was the slowest part of a dated search).

use std::ops::Bound;

use tantivy::query::{
    BooleanQuery, ConstScoreQuery, InvertedIndexRangeQuery, Occur, Query, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;
use time::{Date, Month};

use crate::index::schema::{index_date, Fields};
use crate::text::dates::{month_key, year_key, DateRange};

/// A piece of a date range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Year(i32),
    Month(i32, Month),
    /// Days from .. to, inclusive, within one month.
    Days(Date, Date),
}

fn last_of_month(d: Date) -> Date {
    let last = d.month().length(d.year());
    d.replace_day(last).unwrap_or(d)
}

fn next_day(d: Date) -> Option<Date> {
    d.next_day()
}

/// Cuts the inclusive range `since..=until` into whole years, whole months and runs of days.
pub fn decompose(since: Date, until: Date) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut d = since;
    while d <= until {
        let year_end = Date::from_calendar_date(d.year(), Month::December, 31).ok();
        let month_end = last_of_month(d);
        let end = if d.day() == 1 && d.month() == Month::January && year_end <= Some(until) {
            parts.push(Part::Year(d.year()));
            year_end.unwrap_or(until)
        } else if d.day() == 1 && month_end <= until {
            parts.push(Part::Month(d.year(), d.month()));
            month_end
        } else {
            let end = month_end.min(until);
            parts.push(Part::Days(d, end));
            end
        };
        match next_day(end) {
            Some(n) => d = n,
            None => break,
        }
    }
    parts
}

/// The filter of `dates` (`None` when the range is unbounded): matches every passage dated within the
/// range, and adds nothing to the score.
///
/// `bounds` are the earliest and latest dates in the index: an open end of the range stops there.
pub fn date_filter(
    fields: &Fields,
    bounds: Option<(Date, Date)>,
    dates: &DateRange,
) -> Option<Box<dyn Query>> {
    if dates.is_unbounded() {
        return None;
    }
    let nothing = || -> Box<dyn Query> { Box::new(BooleanQuery::new(Vec::new())) };
    let Some((first, last)) = bounds else {
        return Some(nothing());
    };
    let since = dates.since.map_or(first, |s| s.max(first));
    let until = dates.until.map_or(last, |u| u.min(last));
    if since > until {
        return Some(nothing());
    }
    let clauses: Vec<(Occur, Box<dyn Query>)> = decompose(since, until)
        .into_iter()
        .map(|part| {
            let q: Box<dyn Query> = match part {
                Part::Year(y) => Box::new(TermQuery::new(
                    Term::from_field_u64(fields.period, year_key(y)),
                    IndexRecordOption::Basic,
                )),
                Part::Month(y, m) => Box::new(TermQuery::new(
                    Term::from_field_u64(fields.period, month_key(y, m)),
                    IndexRecordOption::Basic,
                )),
                Part::Days(from, to) => Box::new(InvertedIndexRangeQuery::new(
                    Bound::Included(Term::from_field_date(fields.date, index_date(from))),
                    Bound::Included(Term::from_field_date(fields.date, index_date(to))),
                )),
            };
            (Occur::Should, q)
        })
        .collect();
    Some(Box::new(ConstScoreQuery::new(
        Box::new(BooleanQuery::new(clauses)),
        0.0,
    )))
}

/// `query` restricted to `dates`; the score is the query's own.
pub fn within_dates(
    query: Box<dyn Query>,
    fields: &Fields,
    bounds: Option<(Date, Date)>,
    dates: &DateRange,
) -> Box<dyn Query> {
    match date_filter(fields, bounds, dates) {
        None => query,
        Some(filter) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, query),
            (Occur::Must, filter),
        ])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn covers(parts: &[Part], d: Date) -> usize {
        parts
            .iter()
            .filter(|p| match **p {
                Part::Year(y) => d.year() == y,
                Part::Month(y, m) => d.year() == y && d.month() == m,
                Part::Days(a, b) => a <= d && d <= b,
            })
            .count()
    }

    #[test]
    fn every_day_of_a_range_is_covered_once_and_no_other() {
        let cases = [
            (date!(1987 - 03 - 15), date!(1987 - 03 - 15)),
            (date!(1987 - 01 - 01), date!(1987 - 12 - 31)),
            (date!(1996 - 05 - 01), date!(1996 - 05 - 31)),
            (date!(1999 - 12 - 31), date!(2001 - 01 - 01)),
            (date!(1987 - 02 - 14), date!(2026 - 11 - 24)),
            (date!(2000 - 02 - 01), date!(2000 - 02 - 29)),
            (date!(2000 - 01 - 01), date!(2009 - 12 - 31)),
        ];
        for (since, until) in cases {
            let parts = decompose(since, until);
            let mut d = since.previous_day().expect("day") - time::Duration::days(40);
            let end = until + time::Duration::days(40);
            while d <= end {
                let expected = usize::from(since <= d && d <= until);
                assert_eq!(
                    covers(&parts, d),
                    expected,
                    "{d} in {since}..{until}: {parts:?}"
                );
                d = d.next_day().expect("day");
            }
            // A handful of terms, however wide the range.
            assert!(parts.len() <= 2 + 11 + 11 + 40, "{parts:?}");
        }
        assert_eq!(
            decompose(date!(2000 - 01 - 01), date!(2009 - 12 - 31)).len(),
            10
        );
        assert_eq!(
            decompose(date!(1996 - 05 - 01), date!(1996 - 05 - 31)),
            vec![Part::Month(1996, Month::May)]
        );
    }
}
