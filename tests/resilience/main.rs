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

/// `on_both_backends!(name, scenario)`: tests `name::{sqlite,postgres}`
/// (named like the harness's `e2e!` tests) that run the async function
/// `scenario(backend, database_url)` on a fresh SQLite file and on a
/// database of its own on the shared PostgreSQL cluster.
macro_rules! on_both_backends {
    ($name:ident, $scenario:path) => {
        mod $name {
            use crate::common::{self, Backend, TestDatabase};

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let dir = tempfile::tempdir().unwrap();
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("iurhub.db").display()
                );
                $scenario(Backend::Sqlite, &url).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                // `None`: skipped (no PostgreSQL outside CI); the harness said so.
                let Some(admin_url) = common::postgres_admin_url() else {
                    return;
                };
                // Dropped (FORCE) after the test, also when it panics.
                let db = TestDatabase::create(&admin_url).await;
                $scenario(Backend::Postgres, &db.url()).await;
            }
        }
    };
}

mod grace;
mod postgres_stopped;
mod serve;
mod sigterm;
