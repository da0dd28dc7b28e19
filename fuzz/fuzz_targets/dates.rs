//! Date flag values: never a panic; an accepted value is a real date inside the range the index holds,
//! and the start of a period is never after its end.
#![no_main]

use dateline::text::dates::{parse_date, parse_range, BoundEnd, DateBound};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\n');
    let (a, b, c) = (parts.next(), parts.next(), parts.next());
    let start = parse_date(DateBound::Since, a.unwrap_or(""), BoundEnd::Start);
    let end = parse_date(DateBound::Until, a.unwrap_or(""), BoundEnd::End);
    assert_eq!(start.is_ok(), end.is_ok());
    if let (Ok(s), Ok(e)) = (start, end) {
        assert!(s <= e);
        assert!((1678..=2261).contains(&s.year()) && (1678..=2261).contains(&e.year()));
        // A full date read back from its own text is the same date.
        let again = parse_date(DateBound::On, &s.to_string(), BoundEnd::Start).ok();
        assert_eq!(again, Some(s));
    }
    if let Ok(range) = parse_range(a, b, c) {
        if let (Some(s), Some(u)) = (range.since, range.until) {
            assert!(s <= u);
        }
    }
});
