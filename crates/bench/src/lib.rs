//! Benchmark support: deterministic synthetic bilingual needs and
//! capabilities, and latency statistics.

pub mod stats;
pub use iurhub_store::synthetic as synth;
