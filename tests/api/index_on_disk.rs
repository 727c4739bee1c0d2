//! The search index kept in the data directory: reopened at start when it is
//! current, caught up with what other processes wrote while the server was
//! down, rebuilt when it is not current (docs/MATCHING.md, "The index on
//! disk").

use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::fixtures::World;
use crate::matching::{capability, factor_world};

const MATCHES: &str = "query($id: ID!) { need(id: $id) { matches(first: 20) { totalCount
  edges { node { id score matchedTerms capability { id title }
    factors { name value weight contribution detail terms } } } } } }";

const SEARCH: &str =
    "query($q: String!) { search(query: $q, types: [CAPABILITY], first: 20) { edges { node {
  ... on Capability { id title } } } } }";

/// A gauge of `/metrics`.
async fn gauge(app: &TestApp, name: &str) -> f64 {
    let body = app.get("/metrics").await.text().await.unwrap();
    body.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in\n{body}"))
}

async fn reopened(app: &TestApp) -> bool {
    gauge(app, "iurhub_matching_index_reopened").await == 1.0
}

async fn matches(app: &TestApp, token: &str, need: &str) -> Value {
    app.gql_ok(Some(token), MATCHES, json!({"id": need})).await["need"]["matches"].clone()
}

async fn found(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    app.gql_ok(Some(token), SEARCH, json!({"q": query})).await["search"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| crate::common::text(&e["node"]["id"]))
        .collect()
}

e2e!(
    a_current_index_is_reopened_and_ranks_as_a_rebuilt_one,
    settings = |s: &mut iurhub_api::Settings| s.matching_cache_needs = 0,
    |app| async move {
        assert!(!reopened(&app).await, "the first start builds the index");
        let w = World::new(&app).await;
        let (need, cap, _) = factor_world(&app, &w).await;
        let second = capability(
            &app,
            &w,
            "Bearing vibration diagnostics 轴承",
            "bearing fault vibration 轴承 diagnosis",
            &["bearing"],
            &["46020"],
            5,
        )
        .await;
        let before = matches(&app, &w.a, &need).await;
        assert_eq!(before["totalCount"], 2, "{before}");

        let backend = app.backend;
        if matches!(backend, Backend::Sqlite) {
            // Past the catch-up's overlap on SQLite.
            tokio::time::sleep(std::time::Duration::from_secs(6)).await;
        }
        let app = app.restart_with(|s| s.matching_cache_needs = 0).await;
        assert!(reopened(&app).await, "a current index is reopened");
        let caught_up = gauge(&app, "iurhub_matching_index_caught_up_rows").await;
        match backend {
            // The clean stop moved `complete_at` to its moment: nothing
            // written since.
            Backend::Sqlite => assert_eq!(caught_up, 0.0),
            // To the replica's last poll: the rows written within the
            // overlap before it are read again.
            Backend::Postgres => assert!(caught_up >= 3.0, "{caught_up}"),
        }
        // Tokens stay valid across the restart (the same key).
        assert_eq!(
            matches(&app, &w.a, &need).await,
            before,
            "the same ranking, factor by factor"
        );
        assert_eq!(found(&app, &w.a, "vibration").await.len(), 2);

        // The same as an index built from the rows in memory.
        let app = app
            .restart_with(|s| {
                s.matching_cache_needs = 0;
                s.search_index_on_disk = false;
            })
            .await;
        assert!(!reopened(&app).await);
        assert_eq!(matches(&app, &w.a, &need).await, before, "as rebuilt");

        // Writes while running are on disk at the next start.
        app.gql_ok(
            Some(&w.u),
            crate::matching::UPDATE_CAPABILITY,
            json!({"input": {"id": second, "title": "激光熔覆 laser cladding", "summary": "cladding of hydraulic columns",
                "keywords": ["cladding"]}}),
        )
        .await;
        let app = app.restart_with(|s| s.matching_cache_needs = 0).await;
        assert!(reopened(&app).await);
        assert_eq!(found(&app, &w.a, "cladding").await, [second]);
        let now = matches(&app, &w.a, &need).await;
        assert_eq!(now["totalCount"], 1, "{now}");
        assert_eq!(now["edges"][0]["node"]["capability"]["id"], cap.as_str());
    }
);

e2e!(
    rows_written_by_another_process_while_down_are_caught_up,
    |app| async move {
        let w = World::new(&app).await;
        let (need, cap, _) = factor_world(&app, &w).await;
        let before = matches(&app, &w.a, &need).await;
        assert_eq!(before["totalCount"], 1, "{before}");
        let data_dir = app.data_dir().to_owned();
        // Down: another server on the same database (with a data directory
        // of its own) edits the capability and publishes a new one.
        let app = app
            .restart_with(|s| s.data_dir = tempfile::tempdir().unwrap().keep())
            .await;
        assert!(!reopened(&app).await);
        app.gql_ok(
            Some(&w.u),
            crate::matching::UPDATE_CAPABILITY,
            json!({"input": {"id": cap, "title": "激光熔覆 laser cladding", "summary": "cladding of hydraulic columns",
                "keywords": ["cladding"]}}),
        )
        .await;
        let added = capability(
            &app,
            &w,
            "轴承寿命预测 bearing life prediction",
            "rolling bearing vibration 轴承",
            &["轴承"],
            &["460"],
            6,
        )
        .await;
        // Back on its own directory: reopened, and the other's writes are in.
        let app = app.restart_with(|s| s.data_dir = data_dir.clone()).await;
        assert!(reopened(&app).await);
        assert_eq!(
            found(&app, &w.a, "cladding").await,
            std::slice::from_ref(&cap)
        );
        let now = matches(&app, &w.a, &need).await;
        let ids: Vec<String> = now["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| crate::common::text(&e["node"]["capability"]["id"]))
            .collect();
        assert_eq!(ids, [added], "{now}");
    }
);

e2e!(an_index_that_is_not_current_is_rebuilt, |app| async move {
    let w = World::new(&app).await;
    let (need, _, _) = factor_world(&app, &w).await;
    let before = matches(&app, &w.a, &need).await;
    let manifest = app.data_dir().join("search-index").join("manifest.json");
    assert!(manifest.exists());

    // A crash during a rebuild leaves no manifest: never reopened.
    std::fs::remove_file(&manifest).unwrap();
    let app = app.restart_with(|_| {}).await;
    assert!(!reopened(&app).await);
    assert_eq!(matches(&app, &w.a, &need).await, before);

    // Another index format.
    let text = std::fs::read_to_string(&manifest).unwrap();
    let mut m: Value = serde_json::from_str(&text).unwrap();
    m["format"] = json!(0);
    std::fs::write(&manifest, m.to_string()).unwrap();
    let app = app.restart_with(|_| {}).await;
    assert!(!reopened(&app).await);
    assert_eq!(matches(&app, &w.a, &need).await, before);

    // A manifest that does not parse.
    std::fs::write(&manifest, "{").unwrap();
    let app = app.restart_with(|_| {}).await;
    assert!(!reopened(&app).await);
    let app = app.restart_with(|_| {}).await;
    assert!(reopened(&app).await);

    // Written by a server that stopped cleanly, in another boot of the
    // machine: nothing was written after it, reopened.
    let rebooted = |clean: bool| {
        let text = std::fs::read_to_string(&manifest).unwrap();
        let mut m: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(m["clean"], true, "a clean stop says so: {m}");
        assert!(m["boot"].is_string(), "{m}");
        m["boot"] = json!("a boot before the machine crashed");
        m["clean"] = json!(clean);
        std::fs::write(&manifest, m.to_string()).unwrap();
    };
    let app = app.restart_with(|_| rebooted(true)).await;
    assert!(reopened(&app).await, "a clean stop before a reboot");
    // Written while the server ran, and the machine crashed: what came
    // after it may be half on disk, rebuilt.
    let app = app.restart_with(|_| rebooted(false)).await;
    assert!(!reopened(&app).await, "a crash of the machine: rebuilt");
    assert_eq!(matches(&app, &w.a, &need).await, before);

    // An index that misses rows (written with stamps older than the last
    // start): counted, and rebuilt.
    let index = app.data_dir().join("search-index");
    let backend = app.backend;
    let app = app
        .restart_with(|s| s.data_dir = tempfile::tempdir().unwrap().keep())
        .await;
    capability(
        &app,
        &w,
        "轴承寿命预测 bearing life prediction",
        "rolling bearing vibration 轴承",
        &["轴承"],
        &["460"],
        6,
    )
    .await;
    backdate(&app, backend).await;
    let app = app
        .restart_with(|s| s.data_dir = index.parent().unwrap().to_owned())
        .await;
    assert!(!reopened(&app).await, "rows it does not hold: rebuilt");
    assert_eq!(matches(&app, &w.a, &need).await["totalCount"], 2);
});

/// Stamps every capability in 2001, as an import of old rows would (on
/// SQLite the year is replaced in the stored text, which keeps its format).
async fn backdate(app: &TestApp, backend: Backend) {
    use sea_orm::{ConnectionTrait, Database};
    let db = Database::connect(&app.database_url).await.unwrap();
    let sql = match backend {
        Backend::Sqlite => {
            "UPDATE research_capabilities SET updated_at = '2001' || substr(updated_at, 5)"
        }
        Backend::Postgres => {
            "UPDATE research_capabilities SET updated_at = updated_at - INTERVAL '25 years'"
        }
    };
    db.execute_unprepared(sql).await.unwrap();
    db.close().await.unwrap();
}

e2e!(another_database_gets_another_index, |app| async move {
    let w = World::new(&app).await;
    let (need, _, _) = factor_world(&app, &w).await;
    assert_eq!(matches(&app, &w.a, &need).await["totalCount"], 1);
    // The same data directory, another database.
    let other_file = tempfile::tempdir().unwrap();
    let other_pg = match app.backend {
        Backend::Postgres => Some(
            crate::common::TestDatabase::create(&crate::common::postgres_admin_url().unwrap())
                .await,
        ),
        Backend::Sqlite => None,
    };
    let other = match &other_pg {
        Some(db) => db.url(),
        None => format!(
            "sqlite://{}?mode=rwc",
            other_file.path().join("other.db").display()
        ),
    };
    let app = app
        .restart_with(|s| s.database_url = Some(other.clone()))
        .await;
    assert!(!reopened(&app).await, "built from its own database");
    let admin = app.admin_token().await;
    assert_eq!(
        found(&app, &admin, "bearing").await,
        Vec::<String>::new(),
        "nothing of the other database"
    );
    // And back: the first database's index is rebuilt too (the directory
    // now holds the other's).
    let app = app.restart_with(|_| {}).await;
    assert!(!reopened(&app).await);
    assert_eq!(matches(&app, &w.a, &need).await["totalCount"], 1);
    drop(app);
    drop(other_pg);
});
