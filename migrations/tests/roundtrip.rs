//! Every migration applies and rolls back on SQLite and PostgreSQL, the
//! booking overlap guard it installs refuses overlaps but not neighbours,
//! one match has at most one project (projects made twice for one match
//! before the index are detached, not lost) and the instruments there were
//! before migration 10 start at version 1, and those before migration 31
//! get a default center and their organisation as their owner.
//!
//! Values are bound the way sea-orm binds them (times as `DateTime<Utc>`), so
//! the guard is checked against the representation the store really writes.

use iurhub_migration::{Alias, Expr, ExprTrait, Migrator, MigratorTrait, Query};
use sea_orm_migration::sea_orm::prelude::ChronoDateTimeUtc;
use sea_orm_migration::sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, RuntimeErr, SqlErr, Statement,
    Value, sqlx,
};

/// The migrations before the one that makes `cooperation_projects.match_id`
/// unique.
const BEFORE_ONE_PROJECT_PER_MATCH: u32 = 8;

/// `2026-03-01 09:00:00` → that instant, UTC.
fn at(text: &str) -> ChronoDateTimeUtc {
    format!("{}Z", text.replace(' ', "T"))
        .parse()
        .unwrap_or_else(|e| panic!("bad time {text}: {e}"))
}

async fn scalar_i64(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn scalar_text(db: &DatabaseConnection, sql: &str) -> String {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no row for {sql}"));
    row.try_get_by_index::<String>(0).unwrap()
}

/// `INSERT INTO table (columns…) VALUES (values…)` with bound values.
async fn insert(
    db: &DatabaseConnection,
    table: &str,
    columns: &[&str],
    values: Vec<Value>,
) -> Result<(), DbErr> {
    let stmt = Query::insert()
        .into_table(Alias::new(table))
        .columns(columns.iter().map(|c| Alias::new(*c)))
        .values(values.into_iter().map(Expr::val))
        .expect("as many values as columns")
        .to_owned();
    db.execute(&stmt).await.map(|_| ())
}

/// The SQLSTATE (PostgreSQL) or extended result code (SQLite) of a failure.
fn code(err: &DbErr) -> Option<String> {
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match e.as_ref() {
                sqlx::Error::Database(d) => d.code().map(|c| c.into_owned()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// How each backend reports the two guards.
#[derive(Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn assert_overlap<T: std::fmt::Debug>(self, result: Result<T, DbErr>, what: &str) {
        let err = result.expect_err(what);
        match self {
            // SQLITE_CONSTRAINT_TRIGGER, raised by `RAISE(ABORT, 'booking_overlap')`.
            Backend::Sqlite => assert!(
                err.to_string().contains("booking_overlap"),
                "{what}: unexpected error {err}"
            ),
            Backend::Postgres => assert_eq!(
                code(&err).as_deref(),
                Some("23P01"),
                "{what}: not an exclusion violation: {err}"
            ),
        }
    }

    fn assert_time_order<T: std::fmt::Debug>(self, result: Result<T, DbErr>, what: &str) {
        let err = result.expect_err(what);
        match self {
            Backend::Sqlite => assert!(
                err.to_string().contains("bookings_time_order"),
                "{what}: unexpected error {err}"
            ),
            Backend::Postgres => assert_eq!(
                code(&err).as_deref(),
                Some("23514"),
                "{what}: not a check violation: {err}"
            ),
        }
    }
}

/// Rows every table group depends on, including self-references, so the
/// rollback has to cope with content.
async fn seed(db: &DatabaseConnection) {
    let now = at("2026-01-01 00:00:00");
    let org = ["parent_id", "name", "kind", "created_at", "updated_at"];
    insert(
        db,
        "organizations",
        &org,
        vec![
            Option::<i64>::None.into(),
            "Center".into(),
            "INSTITUTE".into(),
            now.into(),
            now.into(),
        ],
    )
    .await
    .unwrap();
    insert(
        db,
        "organizations",
        &org,
        vec![
            1i64.into(),
            "Lab".into(),
            "INSTITUTE".into(),
            now.into(),
            now.into(),
        ],
    )
    .await
    .unwrap();
    insert(
        db,
        "users",
        &[
            "email",
            "password_hash",
            "display_name",
            "created_at",
            "updated_at",
        ],
        vec![
            "u@x.cn".into(),
            "h".into(),
            "U".into(),
            now.into(),
            now.into(),
        ],
    )
    .await
    .unwrap();
    for taxonomy in ["disciplines", "industries"] {
        let columns = ["code", "parent_code", "name_zh", "name_en", "level"];
        insert(
            db,
            taxonomy,
            &columns,
            vec![
                "08".into(),
                Option::<String>::None.into(),
                "工学".into(),
                "Engineering".into(),
                1i32.into(),
            ],
        )
        .await
        .unwrap();
        insert(
            db,
            taxonomy,
            &columns,
            vec![
                "0802".into(),
                "08".into(),
                "机械工程".into(),
                "Mechanical engineering".into(),
                2i32.into(),
            ],
        )
        .await
        .unwrap();
    }
    let instrument = [
        "organization_id",
        "name",
        "model",
        "category",
        "location",
        "rate_internal_cents",
        "rate_external_cents",
        "requires_qualification",
        "status",
        "description",
        "created_at",
        "updated_at",
    ];
    // The center's SEM and XRD, and the lab's CMM (the lab belongs to the
    // center's legal entity).
    for (org, name, internal) in [
        (1i64, "SEM", 10_000i64),
        (1, "XRD", 12_345),
        (2, "CMM", 15_000),
    ] {
        insert(
            db,
            "instruments",
            &instrument,
            vec![
                org.into(),
                name.into(),
                "M".into(),
                "Microscopy".into(),
                "B3".into(),
                internal.into(),
                20_000i64.into(),
                true.into(),
                "AVAILABLE".into(),
                "".into(),
                now.into(),
                now.into(),
            ],
        )
        .await
        .unwrap();
    }
}

/// Books `instrument_id` from `start` to `end`; the new booking's id.
///
/// (Ids are read back: on PostgreSQL a refused insert still uses up one.)
async fn book(
    db: &DatabaseConnection,
    instrument_id: i64,
    start: &str,
    end: &str,
    status: &str,
) -> Result<i64, DbErr> {
    let now = at("2026-01-01 00:00:00");
    let stmt = Query::insert()
        .into_table(Alias::new("bookings"))
        .columns(
            [
                "instrument_id",
                "user_id",
                "organization_id",
                "start_at",
                "end_at",
                "purpose",
                "status",
                "created_at",
                "updated_at",
            ]
            .map(Alias::new),
        )
        .values_panic([
            instrument_id.into(),
            1i64.into(),
            1i64.into(),
            at(start).into(),
            at(end).into(),
            "test".into(),
            status.into(),
            now.into(),
            now.into(),
        ])
        .returning_col(Alias::new("id"))
        .to_owned();
    let row = db.query_one(&stmt).await?.expect("RETURNING gives a row");
    row.try_get_by_index::<i64>(0)
        .map_err(|e| DbErr::Custom(format!("{e:?}")))
}

async fn update_booking(
    db: &DatabaseConnection,
    id: i64,
    column: &str,
    value: Value,
) -> Result<(), DbErr> {
    let stmt = Query::update()
        .table(Alias::new("bookings"))
        .value(Alias::new(column), value)
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    db.execute(&stmt).await.map(|_| ())
}

/// The overlap guard and the time-order check, on inserts and updates.
/// Returns the id of a booking stored with a fractional start second.
async fn booking_guard(db: &DatabaseConnection, backend: Backend) -> i64 {
    let first = book(
        db,
        1,
        "2026-03-01 09:00:00",
        "2026-03-01 11:00:00",
        "APPROVED",
    )
    .await
    .expect("a first booking");
    backend.assert_overlap(
        book(
            db,
            1,
            "2026-03-01 10:00:00",
            "2026-03-01 12:00:00",
            "REQUESTED",
        )
        .await,
        "an overlapping booking was accepted",
    );
    backend.assert_overlap(
        book(
            db,
            1,
            "2026-03-01 09:30:00",
            "2026-03-01 10:00:00",
            "REQUESTED",
        )
        .await,
        "a booking inside another was accepted",
    );
    backend.assert_overlap(
        book(
            db,
            1,
            "2026-03-01 08:00:00",
            "2026-03-01 12:00:00",
            "APPROVED",
        )
        .await,
        "a booking around another was accepted",
    );
    // Half-open intervals: neighbours touch without overlapping.
    let after = book(
        db,
        1,
        "2026-03-01 11:00:00",
        "2026-03-01 12:00:00",
        "REQUESTED",
    )
    .await
    .expect("back-to-back after is allowed");
    book(
        db,
        1,
        "2026-03-01 08:00:00",
        "2026-03-01 09:00:00",
        "APPROVED",
    )
    .await
    .expect("back-to-back before is allowed");
    let cancelled = book(
        db,
        1,
        "2026-03-01 10:00:00",
        "2026-03-01 10:30:00",
        "CANCELLED",
    )
    .await
    .expect("inactive bookings hold no slot");
    book(
        db,
        2,
        "2026-03-01 10:00:00",
        "2026-03-01 12:00:00",
        "APPROVED",
    )
    .await
    .expect("another instrument is independent");

    // Fractional seconds (stored with a fraction only when it is non-zero).
    let fractional = book(
        db,
        1,
        "2026-03-01 12:00:00.5",
        "2026-03-01 13:00:00",
        "REQUESTED",
    )
    .await
    .expect("after a fractional gap");
    book(
        db,
        1,
        "2026-03-01 12:00:00",
        "2026-03-01 12:00:00.5",
        "REQUESTED",
    )
    .await
    .expect("exactly filling a fractional gap");
    backend.assert_overlap(
        book(
            db,
            1,
            "2026-03-01 12:00:00.25",
            "2026-03-01 12:00:00.75",
            "REQUESTED",
        )
        .await,
        "an overlap within a second was accepted",
    );

    // Updates: reviving the cancelled booking would overlap the first one;
    // a booking does not collide with itself.
    backend.assert_overlap(
        update_booking(db, cancelled, "status", "APPROVED".into()).await,
        "an update into an overlap was accepted",
    );
    backend.assert_overlap(
        update_booking(db, after, "end_at", at("2026-03-01 12:30:00").into()).await,
        "extending into the next booking was accepted",
    );
    update_booking(db, first, "purpose", "renamed".into())
        .await
        .expect("an active booking may be edited");
    update_booking(db, first, "status", "COMPLETED".into())
        .await
        .expect("completing a booking");
    update_booking(db, cancelled, "status", "APPROVED".into())
        .await
        .expect("the slot is free once the other booking is no longer active");

    backend.assert_time_order(
        book(
            db,
            1,
            "2026-03-02 10:00:00",
            "2026-03-02 09:00:00",
            "REQUESTED",
        )
        .await,
        "end before start was accepted",
    );
    backend.assert_time_order(
        book(
            db,
            1,
            "2026-03-02 10:00:00",
            "2026-03-02 10:00:00",
            "CANCELLED",
        )
        .await,
        "an empty booking was accepted",
    );
    backend.assert_time_order(
        update_booking(db, after, "end_at", at("2026-03-01 10:00:00").into()).await,
        "an update to end before start was accepted",
    );
    let active = scalar_i64(
        db,
        "SELECT count(*) FROM bookings WHERE status IN ('REQUESTED', 'APPROVED')",
    )
    .await;
    assert_eq!(active, 6);
    fractional
}

/// A need, a capability, a match between them, and projects made before the
/// unique index: three for the match (ids 1–3), one without a match (4).
async fn projects_made_twice(db: &DatabaseConnection) {
    let now = at("2026-01-01 00:00:00");
    insert(
        db,
        "tech_needs",
        &[
            "organization_id",
            "created_by",
            "title",
            "description",
            "keywords",
            "cooperation_modes",
            "visibility",
            "status",
            "created_at",
            "updated_at",
        ],
        vec![
            1i64.into(),
            1i64.into(),
            "N".into(),
            "".into(),
            "[]".into(),
            "[]".into(),
            "PUBLIC".into(),
            "PUBLISHED".into(),
            now.into(),
            now.into(),
        ],
    )
    .await
    .unwrap();
    insert(
        db,
        "research_capabilities",
        &[
            "organization_id",
            "created_by",
            "title",
            "summary",
            "keywords",
            "achievements",
            "status",
            "created_at",
            "updated_at",
        ],
        vec![
            2i64.into(),
            1i64.into(),
            "C".into(),
            "".into(),
            "[]".into(),
            "[]".into(),
            "PUBLISHED".into(),
            now.into(),
            now.into(),
        ],
    )
    .await
    .unwrap();
    insert(
        db,
        "matches",
        &[
            "need_id",
            "capability_id",
            "score",
            "factors",
            "matched_terms",
            "status",
            "created_at",
            "updated_at",
        ],
        vec![
            1i64.into(),
            1i64.into(),
            0.5f64.into(),
            "[]".into(),
            "[]".into(),
            "ACCEPTED".into(),
            now.into(),
            now.into(),
        ],
    )
    .await
    .unwrap();
    for match_id in [Some(1i64), Some(1), Some(1), None] {
        project(db, match_id).await.unwrap();
    }
}

/// Inserts a project for `match_id` (or none).
async fn project(db: &DatabaseConnection, match_id: Option<i64>) -> Result<(), DbErr> {
    let now = at("2026-01-01 00:00:00");
    insert(
        db,
        "cooperation_projects",
        &[
            "title",
            "area",
            "status",
            "match_id",
            "created_by",
            "created_at",
            "updated_at",
        ],
        vec![
            "P".into(),
            "OTHER".into(),
            "PROPOSED".into(),
            match_id.into(),
            1i64.into(),
            now.into(),
            now.into(),
        ],
    )
    .await
}

/// After the index: the earliest project keeps the match, the later ones are
/// detached with an event saying so; a second project for the match is a
/// unique violation, projects without a match are not limited.
async fn one_project_per_match(db: &DatabaseConnection) {
    let of_match = scalar_i64(
        db,
        "SELECT count(*) FROM cooperation_projects WHERE match_id = 1 AND id = 1",
    )
    .await;
    assert_eq!(of_match, 1, "the earliest project keeps its match");
    let detached = scalar_i64(
        db,
        "SELECT count(*) FROM cooperation_projects WHERE id IN (2, 3) AND match_id IS NULL AND version = 2",
    )
    .await;
    assert_eq!(
        detached, 2,
        "the later ones are detached, their version bumped"
    );
    let untouched = scalar_i64(
        db,
        "SELECT count(*) FROM cooperation_projects WHERE id IN (1, 4) AND version = 1",
    )
    .await;
    assert_eq!(untouched, 2);
    let events = scalar_i64(
        db,
        "SELECT count(*) FROM project_events WHERE project_id IN (2, 3) AND kind = 'PROJECT_UPDATED' \
         AND actor_user_id IS NULL AND detail = '{\"changes\":[{\"field\":\"matchId\",\"from\":\"1\",\"to\":null}]}'",
    )
    .await;
    assert_eq!(events, 2, "each detached project's log says so");

    let err = project(db, Some(1))
        .await
        .expect_err("a second project for the match was accepted");
    assert!(
        matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))),
        "not a unique violation: {err}"
    );
    project(db, None).await.expect("projects without a match");
    project(db, None).await.expect("are not limited");
}

/// Migration 10: the instruments there were start at version 1, and the
/// column refuses NULL.
async fn instruments_start_at_version_one(db: &DatabaseConnection) {
    assert!(scalar_i64(db, "SELECT count(*) FROM instruments").await > 0);
    assert_eq!(
        scalar_i64(db, "SELECT count(*) FROM instruments WHERE version <> 1").await,
        0,
        "existing instruments start at version 1"
    );
    db.execute_unprepared("UPDATE instruments SET version = NULL")
        .await
        .expect_err("version is NOT NULL");
}

/// Migration 34: every instrument keeps its internal and external rates
/// (the INTERNAL and EXTERNAL tiers) and gets its internal rate as the
/// GROUP tier's; the billing tables start empty.
async fn instruments_get_a_group_rate(db: &DatabaseConnection) {
    assert_eq!(
        scalar_i64(
            db,
            "SELECT count(*) FROM instruments WHERE rate_group_cents = rate_internal_cents \
             AND rate_external_cents = 20000 AND rate_internal_cents IN (10000, 12345, 15000)"
        )
        .await,
        3
    );
    for table in [
        "test_items",
        "billing_accounts",
        "invoices",
        "invoice_lines",
    ] {
        assert_eq!(
            scalar_i64(db, &format!("SELECT count(*) FROM {table}")).await,
            0,
            "{table}"
        );
    }
}

/// Migration 31: the top-level organisation is a legal entity, the lab is
/// not; the instruments there were are in one default center run by that
/// legal entity, each owned 100 % by its organisation.
async fn instruments_get_a_center_and_their_owner(db: &DatabaseConnection) {
    assert_eq!(
        scalar_i64(
            db,
            "SELECT count(*) FROM organizations WHERE legal_entity = (1 = 1) AND id = 1"
        )
        .await
            + scalar_i64(
                db,
                "SELECT count(*) FROM organizations WHERE legal_entity = (1 = 0) AND id = 2"
            )
            .await,
        2,
        "the root is a legal entity, its child is not"
    );
    assert_eq!(
        scalar_i64(db, "SELECT count(*) FROM testing_centers").await,
        1
    );
    assert_eq!(
        scalar_text(
            db,
            "SELECT name FROM testing_centers WHERE organization_id = 1"
        )
        .await,
        "Center 仪器中心 Instrument Center"
    );
    let instruments = scalar_i64(db, "SELECT count(*) FROM instruments").await;
    assert_eq!(instruments, 3);
    assert_eq!(
        scalar_i64(
            db,
            "SELECT count(*) FROM instruments i JOIN testing_centers c ON c.id = i.center_id \
             WHERE c.organization_id = 1"
        )
        .await,
        instruments,
        "every instrument is in the legal entity's center"
    );
    assert_eq!(
        scalar_i64(
            db,
            "SELECT count(*) FROM instrument_owners o JOIN instruments i ON i.id = o.instrument_id \
             WHERE o.organization_id = i.organization_id AND o.share_percent = 100"
        )
        .await,
        instruments,
        "each owned by its organisation alone"
    );
    assert_eq!(
        scalar_i64(db, "SELECT count(*) FROM instrument_owners").await,
        instruments
    );
    db.execute_unprepared("UPDATE instrument_owners SET share_percent = 0")
        .await
        .expect_err("a share is 1 to 100 percent");
}

/// Migration 18: the projects and needs there were belong to no agreement,
/// and `agreement_id` refuses an agreement that does not exist.
async fn projects_and_needs_start_without_agreement(db: &DatabaseConnection) {
    for table in ["cooperation_projects", "tech_needs"] {
        assert!(scalar_i64(db, &format!("SELECT count(*) FROM {table}")).await > 0);
        assert_eq!(
            scalar_i64(
                db,
                &format!("SELECT count(*) FROM {table} WHERE agreement_id IS NOT NULL")
            )
            .await,
            0,
            "{table}: no agreement yet"
        );
        db.execute_unprepared(&format!("UPDATE {table} SET agreement_id = 999999"))
            .await
            .expect_err("agreement_id is a foreign key");
    }
}

/// Migration 19: no activity yet, and an activity refers to an agreement,
/// a host organisation and a creator that exist.
async fn activities_start_empty(db: &DatabaseConnection) {
    for table in [
        "activities",
        "activity_organizations",
        "activity_participants",
    ] {
        assert_eq!(
            scalar_i64(db, &format!("SELECT count(*) FROM {table}")).await,
            0,
            "{table}"
        );
    }
    let refused = db
        .execute_unprepared(
            "INSERT INTO activities (agreement_id, area, kind, title, status, start_date, \
         host_organization_id, version, created_by, created_at, updated_at) \
         VALUES (999999, 'TALENT_SHARING', 'SECONDMENT', 't', 'PLANNED', '2026-01-01', \
         999999, 1, 999999, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        )
        .await
        .expect_err("agreement_id, host_organization_id and created_by are foreign keys")
        .to_string()
        .to_lowercase();
    assert!(refused.contains("foreign key"), "{refused}");
}

#[tokio::test]
async fn sqlite_up_guard_down() {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    Migrator::up(&db, Some(BEFORE_ONE_PROJECT_PER_MATCH))
        .await
        .unwrap();
    seed(&db).await;
    projects_made_twice(&db).await;
    Migrator::up(&db, None).await.unwrap();
    one_project_per_match(&db).await;
    instruments_start_at_version_one(&db).await;
    instruments_get_a_center_and_their_owner(&db).await;
    instruments_get_a_group_rate(&db).await;
    projects_and_needs_start_without_agreement(&db).await;
    activities_start_empty(&db).await;

    let ddl = scalar_text(
        &db,
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'bookings'",
    )
    .await;
    assert!(
        ddl.contains(r#""id" integer NOT NULL PRIMARY KEY AUTOINCREMENT"#),
        "unexpected key: {ddl}"
    );
    let fractional = booking_guard(&db, Backend::Sqlite).await;
    let stored = scalar_text(
        &db,
        &format!("SELECT start_at FROM bookings WHERE id = {fractional}"),
    )
    .await;
    assert_eq!(
        stored, "2026-03-01T12:00:00.500+00:00",
        "storage format changed"
    );

    Migrator::down(&db, None).await.unwrap();
    let left = scalar_i64(
        &db,
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'",
    )
    .await;
    assert_eq!(left, 0, "tables left after rolling back");
    let left = scalar_i64(
        &db,
        "SELECT count(*) FROM sqlite_master WHERE type IN ('index', 'trigger', 'view') AND tbl_name <> 'seaql_migrations'",
    )
    .await;
    assert_eq!(left, 0, "indexes or triggers left after rolling back");

    Migrator::up(&db, None)
        .await
        .expect("migrations apply again after a full rollback");
    assert!(
        Migrator::get_pending_migrations(&db)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn postgres_up_guard_down() {
    let Ok(admin_url) = std::env::var("IURHUB_TEST_DATABASE_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "PostgreSQL tests must not be skipped in CI: IURHUB_TEST_DATABASE_URL is not set"
        );
        eprintln!(
            "\n*** SKIPPED postgres_up_guard_down: IURHUB_TEST_DATABASE_URL not set \
             (run ./scripts/test, or point it at a PostgreSQL admin URL) ***\n"
        );
        return;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!("iurhub_mig_{}_{nanos}", std::process::id());
    let admin = Database::connect(&admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let url = match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("unexpected URL {admin_url}"),
    };

    // Run in a task so that the database is dropped even when it panics.
    let outcome = tokio::spawn(postgres_round_trip(url)).await;
    admin
        .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// Up, guard, down and up again on a fresh PostgreSQL database.
async fn postgres_round_trip(url: String) {
    let db = Database::connect(&url).await.unwrap();
    assert_eq!(db.get_database_backend(), DbBackend::Postgres);
    Migrator::up(&db, Some(BEFORE_ONE_PROJECT_PER_MATCH))
        .await
        .unwrap();
    seed(&db).await;
    projects_made_twice(&db).await;
    Migrator::up(&db, None).await.unwrap();
    one_project_per_match(&db).await;
    instruments_start_at_version_one(&db).await;
    instruments_get_a_center_and_their_owner(&db).await;
    instruments_get_a_group_rate(&db).await;
    projects_and_needs_start_without_agreement(&db).await;
    activities_start_empty(&db).await;
    let id_type = scalar_text(
        &db,
        "SELECT data_type::text FROM information_schema.columns WHERE table_name = 'bookings' AND column_name = 'id'",
    )
    .await;
    assert_eq!(id_type, "bigint");
    let start_type = scalar_text(
        &db,
        "SELECT data_type::text FROM information_schema.columns WHERE table_name = 'bookings' AND column_name = 'start_at'",
    )
    .await;
    assert_eq!(start_type, "timestamp with time zone");
    booking_guard(&db, Backend::Postgres).await;

    Migrator::down(&db, None).await.unwrap();
    let left = scalar_i64(
        &db,
        "SELECT count(*)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relname NOT LIKE 'seaql_migrations%'",
    )
    .await;
    assert_eq!(left, 0, "relations left after rolling back");
    Migrator::up(&db, None)
        .await
        .expect("migrations apply again after a full rollback");
    db.close().await.unwrap();
}
