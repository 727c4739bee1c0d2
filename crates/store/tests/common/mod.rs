//! The databases the store's tests run on: an in-memory SQLite database and
//! a throwaway PostgreSQL database (when `IURHUB_TEST_DATABASE_URL` names a
//! server, as `./scripts/test` does), and the records the checks start
//! from.

// Each test binary uses some of these helpers.
#![allow(dead_code)]

use iurhub_domain::validate::{CapabilityFields, NeedFields, OrganizationFields, Region};
use iurhub_domain::{OrgKind, PlatformRole, ProjectArea, Visibility};
use iurhub_store::Store;
use iurhub_store::projects::NewProject;
use sea_orm::{ConnectionTrait, Database};

/// Creates a university `name` (under `parent_id`, if given); its id.
pub async fn organization(store: &Store, name: &str, parent_id: Option<i64>) -> i64 {
    store
        .create_organization(OrganizationFields {
            name: name.to_owned(),
            kind: OrgKind::University,
            parent_id,
            region: Region::default(),
        })
        .await
        .unwrap()
        .id
}

/// Creates the platform admin who writes the records of a check; their id.
pub async fn author(store: &Store) -> i64 {
    store
        .create_user(
            "author@example.test",
            "x",
            "Author",
            Some(PlatformRole::Admin),
        )
        .await
        .unwrap()
        .id
}

/// The fields of a need with only a title and a visibility.
pub fn need_fields(title: &str, visibility: Visibility) -> NeedFields {
    NeedFields {
        title: title.into(),
        description: String::new(),
        keywords: Vec::new(),
        discipline_codes: Vec::new(),
        industry_codes: Vec::new(),
        trl_required: None,
        budget_min: None,
        budget_max: None,
        deadline: None,
        cooperation_modes: Vec::new(),
        visibility,
    }
}

/// The fields of a capability with only a title.
pub fn capability_fields(title: &str) -> CapabilityFields {
    CapabilityFields {
        title: title.into(),
        summary: String::new(),
        keywords: Vec::new(),
        discipline_codes: Vec::new(),
        trl: None,
        achievements: Vec::new(),
        talent_ids: Vec::new(),
    }
}

/// A project of `party_ids` in `area`, linked to nothing, without dates;
/// every party accepted.
pub fn new_project(title: &str, area: ProjectArea, party_ids: &[i64]) -> NewProject {
    NewProject {
        title: title.into(),
        area,
        party_ids: party_ids.to_vec(),
        accepted_party_ids: party_ids.to_vec(),
        need_id: None,
        capability_id: None,
        match_id: None,
        agreement_id: None,
        start_date: None,
        end_date: None,
        funding: None,
    }
}

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
