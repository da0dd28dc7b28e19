//! Looking at an index as a whole rather than hit by hit: timelines of queries over the calendar, and
//! statistics of the index itself.

pub mod batch;
pub mod related;
pub mod stats;
pub mod timeline;

pub use stats::{stats, IndexStats};
pub use timeline::{timeline, Bucket, Bucketing, Series, Timeline, TimelineRequest};
