//! The databases the store's tests run on: an in-memory SQLite database and
//! a throwaway PostgreSQL database (when `IURHUB_TEST_DATABASE_URL` names a
//! server, as `./scripts/test` does).

use iurhub_store::Store;
use sea_orm::{ConnectionTrait, Database};

/// Runs `check` on a migrated in-memory SQLite database.
pub async fn on_sqlite<F, Fut>(check: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    // One connection: every connection to `sqlite::memory:` is a new database.
    let db = iurhub_store::db::connect("sqlite::memory:", 1)
        .await
        .unwrap();
    iurhub_store::db::migrate(&db).await.unwrap();
    check(Store::new(db)).await;
}

/// Runs `check` on a migrated database of its own on the PostgreSQL server
/// of `IURHUB_TEST_DATABASE_URL` (dropped afterwards, also when the check
/// fails); skipped without that variable, except in CI.
pub async fn on_postgres<F, Fut>(name: &str, check: F)
where
    F: FnOnce(Store) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let Ok(admin_url) = std::env::var("IURHUB_TEST_DATABASE_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "PostgreSQL tests must not be skipped in CI: IURHUB_TEST_DATABASE_URL is not set"
        );
        eprintln!("\n*** SKIPPED {name}: IURHUB_TEST_DATABASE_URL not set ***\n");
        return;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let db_name = format!("iurhub_store_{}_{nanos}", std::process::id());
    let admin = Database::connect(&admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {db_name}"))
        .await
        .unwrap();
    let url = match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{db_name}"),
        None => panic!("unexpected URL {admin_url}"),
    };
    // Run in a task so that the database is dropped even when it panics.
    let outcome = tokio::spawn(async move {
        let db = iurhub_store::db::connect(&url, 2).await.unwrap();
        iurhub_store::db::migrate(&db).await.unwrap();
        check(Store::new(db.clone())).await;
        db.close().await.unwrap();
    })
    .await;
    admin
        .execute_unprepared(&format!("DROP DATABASE {db_name} WITH (FORCE)"))
        .await
        .unwrap();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// Each check on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($($check:ident => $sqlite:ident, $postgres:ident;)+) => {$(
        #[tokio::test]
        async fn $sqlite() {
            common::on_sqlite($check).await;
        }

        #[tokio::test]
        async fn $postgres() {
            common::on_postgres(stringify!($postgres), $check).await;
        }
    )+};
}
