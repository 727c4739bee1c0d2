//! Metrics the application records (names and descriptions: the transports'
//! `/metrics` exporter describes them).

use std::time::Instant;

/// Histogram: seconds per matching query, by `operation`.
pub const MATCHING_DURATION: &str = "iurhub_matching_query_duration_seconds";
/// Counter: lookups of the ranking cache, by `result` (`hit`, `miss`).
pub const MATCH_CACHE: &str = "iurhub_matching_cache_lookups_total";

/// Counts one lookup of the ranking cache.
pub fn match_cache(hit: bool) {
    let result = if hit { "hit" } else { "miss" };
    metrics::counter!(MATCH_CACHE, "result" => result).increment(1);
}

/// Times one matching query; records when dropped (also on errors).
pub struct MatchingTimer {
    operation: &'static str,
    started: Instant,
}

impl MatchingTimer {
    pub fn start(operation: &'static str) -> MatchingTimer {
        MatchingTimer {
            operation,
            started: Instant::now(),
        }
    }
}

impl Drop for MatchingTimer {
    fn drop(&mut self) {
        metrics::histogram!(MATCHING_DURATION, "operation" => self.operation)
            .record(self.started.elapsed().as_secs_f64());
    }
}
