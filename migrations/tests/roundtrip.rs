//! Every migration applies and rolls back on SQLite and PostgreSQL, and the
//! booking overlap guard it installs refuses overlaps but not neighbours.

use iurhub_migration::{Migrator, MigratorTrait};
use sea_orm_migration::sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn exec(db: &DatabaseConnection, sql: &str) -> Result<(), String> {
    db.execute_unprepared(sql)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Inserts the rows a booking needs and checks the overlap guard.
async fn booking_guard(db: &DatabaseConnection, ts: &dyn Fn(&str) -> String) {
    let now = ts("2026-01-01 00:00:00");
    exec(db, &format!("INSERT INTO organizations (name, kind, created_at, updated_at) VALUES ('Center', 'INSTITUTE', {now}, {now})")).await.unwrap();
    exec(db, &format!("INSERT INTO users (email, password_hash, display_name, created_at, updated_at) VALUES ('u@x.cn', 'h', 'U', {now}, {now})")).await.unwrap();
    exec(db, &format!(
        "INSERT INTO instruments (organization_id, name, model, category, location, rate_internal_cents, rate_external_cents, requires_qualification, status, description, created_at, updated_at) \
         VALUES (1, 'SEM', 'Sigma 300', 'Microscopy', 'B3', 100, 200, true, 'AVAILABLE', '', {now}, {now})"
    ))
    .await
    .unwrap();
    let book = |start: &str, end: &str, status: &str| {
        format!(
            "INSERT INTO bookings (instrument_id, user_id, organization_id, start_at, end_at, purpose, status, created_at, updated_at) \
             VALUES (1, 1, 1, {}, {}, 'test', '{status}', {now}, {now})",
            ts(start),
            ts(end)
        )
    };
    exec(
        db,
        &book("2026-03-01 09:00:00", "2026-03-01 11:00:00", "APPROVED"),
    )
    .await
    .unwrap();
    let overlap = exec(
        db,
        &book("2026-03-01 10:00:00", "2026-03-01 12:00:00", "REQUESTED"),
    )
    .await;
    assert!(overlap.is_err(), "an overlapping booking was accepted");
    let inside = exec(
        db,
        &book("2026-03-01 09:30:00", "2026-03-01 10:00:00", "REQUESTED"),
    )
    .await;
    assert!(inside.is_err(), "a booking inside another was accepted");
    exec(
        db,
        &book("2026-03-01 11:00:00", "2026-03-01 12:00:00", "REQUESTED"),
    )
    .await
    .expect("back-to-back is allowed");
    exec(
        db,
        &book("2026-03-01 10:00:00", "2026-03-01 10:30:00", "CANCELLED"),
    )
    .await
    .expect("inactive bookings hold no slot");
    let backwards = exec(
        db,
        &book("2026-03-02 10:00:00", "2026-03-02 09:00:00", "REQUESTED"),
    )
    .await;
    assert!(backwards.is_err(), "end before start was accepted");
}

#[tokio::test]
async fn sqlite_up_guard_down() {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    booking_guard(&db, &|t| format!("'{t}+00:00'")).await;
    Migrator::down(&db, None).await.unwrap();
    let left = count(
        &db,
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'",
    )
    .await;
    assert_eq!(left, 0, "tables left after rolling back");
    Migrator::up(&db, None)
        .await
        .expect("migrations apply again after a full rollback");
}

#[tokio::test]
async fn postgres_up_guard_down() {
    let Ok(admin_url) = std::env::var("IURHUB_TEST_DATABASE_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "PostgreSQL tests must not be skipped in CI"
        );
        eprintln!(
            "SKIPPED PostgreSQL migration test: IURHUB_TEST_DATABASE_URL is not set (run ./scripts/test)"
        );
        return;
    };
    let name = format!("iurhub_mig_{}", std::process::id());
    let admin = Database::connect(&admin_url).await.unwrap();
    exec(&admin, &format!("DROP DATABASE IF EXISTS {name}"))
        .await
        .unwrap();
    exec(&admin, &format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let url = match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("unexpected URL {admin_url}"),
    };
    let db = Database::connect(&url).await.unwrap();
    assert_eq!(db.get_database_backend(), DbBackend::Postgres);
    Migrator::up(&db, None).await.unwrap();
    booking_guard(&db, &|t| format!("TIMESTAMPTZ '{t}+00'")).await;
    Migrator::down(&db, None).await.unwrap();
    let left = count(
        &db,
        "SELECT count(*)::bigint FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'seaql_migrations'",
    )
    .await;
    assert_eq!(left, 0, "tables left after rolling back");
    db.close().await.unwrap();
    exec(&admin, &format!("DROP DATABASE {name}"))
        .await
        .unwrap();
}
