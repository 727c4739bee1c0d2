//! Benchmark support: deterministic synthetic bilingual needs and
//! capabilities, and latency statistics.

pub mod stats;
pub use iurhub_fixtures::synthetic as synth;
