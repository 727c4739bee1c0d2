//! Resilience of the real `iurhub serve` process: the PostgreSQL server
//! stopped and started again under it, PostgreSQL down when it starts, and
//! SIGTERM under write load (issue 7, item 8). Each test runs the binary as a
//! child process, as an operator does.

// These tests run processes, not the in-process `e2e!` pairs: the macro
// comes with the harness but is not used here.
#[allow(unused_macros)]
#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod grace;
mod postgres_stopped;
mod serve;
mod sigterm;
