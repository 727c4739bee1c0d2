//! The end-to-end harness itself: the server it starts answers, the helpers
//! do what they say, each test gets a database of its own on the backend it
//! names, and that database is gone once the test is done with it.

#[macro_use]
mod common;

use std::path::PathBuf;

use common::{ADMIN_EMAIL, Backend, DEFAULT_PASSWORD, TestApp};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use serde_json::{Value, json};

fn is_json(res: &reqwest::Response) -> bool {
    res.headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

e2e!(healthz_is_ok, |app| async move {
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert!(is_json(&res), "content type: {:?}", res.headers());
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
});

e2e!(readyz_reports_the_database_up, |app| async move {
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 200);
    assert!(is_json(&res), "content type: {:?}", res.headers());
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["database"], "up", "{body}");
});

e2e!(register_and_login_give_a_bearer_token, |app| async move {
    let res = app
        .register("smoke@example.org", DEFAULT_PASSWORD, "Smoke Test")
        .await;
    assert_eq!(
        res.status(),
        201,
        "{}",
        res.text().await.unwrap_or_default()
    );

    let res = app.post_login("smoke@example.org", DEFAULT_PASSWORD).await;
    assert_eq!(res.status(), 200);
    let tokens: Value = res.json().await.unwrap();
    assert_eq!(tokens["tokenType"], "Bearer");
    assert!(tokens["expiresIn"].as_u64().unwrap() > 0, "{tokens}");
    assert!(!tokens["refreshToken"].as_str().unwrap().is_empty());

    // `login` returns a token the API accepts as that user.
    let token = app.login("smoke@example.org", DEFAULT_PASSWORD).await;
    let data = app
        .gql_ok(Some(&token), "{ me { email displayName } }", json!({}))
        .await;
    assert_eq!(data["me"]["email"], "smoke@example.org");
    assert_eq!(data["me"]["displayName"], "Smoke Test");

    // `user` registers and signs in in one go.
    let other = app.user("other@example.org").await;
    let data = app
        .gql_ok(Some(&other), "{ me { email } }", json!({}))
        .await;
    assert_eq!(data["me"]["email"], "other@example.org");

    // The bootstrap admin of the harness exists.
    let admin = app.admin_token().await;
    let data = app
        .gql_ok(Some(&admin), "{ me { email platformRole } }", json!({}))
        .await;
    assert_eq!(data["me"]["email"], ADMIN_EMAIL);
    assert_eq!(data["me"]["platformRole"], "ADMIN");

    // `gql` returns errors whole; `error_code` reads the first one's code.
    app.gql_err(
        Some("not-a-token"),
        "{ me { id } }",
        json!({}),
        "UNAUTHENTICATED",
    )
    .await;
});

e2e!(every_app_has_a_database_of_its_own, |app| async move {
    let other = TestApp::spawn(app.backend)
        .await
        .expect("a second app on the same backend");
    assert_ne!(app.database_url, other.database_url);
    assert_ne!(app.addr, other.addr);

    let res = app
        .register("same@example.org", DEFAULT_PASSWORD, "A")
        .await;
    assert_eq!(res.status(), 201);
    // The same e-mail is free on the other app's database...
    let res = other
        .register("same@example.org", DEFAULT_PASSWORD, "B")
        .await;
    assert_eq!(res.status(), 201);
    // ...and taken on the first one.
    let res = app
        .register("same@example.org", DEFAULT_PASSWORD, "C")
        .await;
    assert_eq!(res.status(), 409);
});

e2e!(runs_on_the_named_backend_and_cleans_up, |app| async move {
    match app.backend {
        Backend::Sqlite => {
            assert!(
                app.database_url.starts_with("sqlite:"),
                "{}",
                app.database_url
            );
            assert!(app.postgres_database().is_none());
            let file = PathBuf::from(
                app.database_url
                    .trim_start_matches("sqlite://")
                    .split('?')
                    .next()
                    .unwrap(),
            );
            assert!(
                file.exists(),
                "{} exists while the app runs",
                file.display()
            );
            drop(app);
            assert!(!file.exists(), "{} is removed with the app", file.display());
        }
        Backend::Postgres => {
            assert!(
                app.database_url.starts_with("postgres"),
                "{}",
                app.database_url
            );
            let db = app.postgres_database().expect("a PostgreSQL test database");
            let (admin_url, name) = (db.admin_url.clone(), db.name.clone());
            assert!(name.starts_with("iurhub_t_"), "{name}");
            assert!(app.database_url.contains(&format!("/{name}")));

            let admin = Database::connect(admin_url.as_str()).await.unwrap();
            let exists = |name: String| {
                let admin = &admin;
                async move {
                    admin
                        .query_one_raw(Statement::from_sql_and_values(
                            DbBackend::Postgres,
                            "SELECT 1 FROM pg_database WHERE datname = $1",
                            [name.into()],
                        ))
                        .await
                        .unwrap()
                        .is_some()
                }
            };
            assert!(
                exists(name.clone()).await,
                "{name} exists while the app runs"
            );
            // The server really uses it: a registered user lands in its tables.
            app.user("in-postgres@example.org").await;
            let own = Database::connect(app.database_url.as_str()).await.unwrap();
            let row = own
                .query_one_raw(Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT count(*) AS n FROM users WHERE email = 'in-postgres@example.org'",
                ))
                .await
                .unwrap()
                .expect("a row");
            assert_eq!(row.try_get::<i64>("", "n").unwrap(), 1);
            own.close().await.unwrap();
            drop(app);
            assert!(
                !exists(name.clone()).await,
                "{name} is dropped with the app"
            );
            admin.close().await.unwrap();
        }
    }
});

#[test]
fn database_urls_keep_everything_but_the_name() {
    use common::with_database;
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        with_database(
            "postgres://u:p%2F@db.example:6543/admin?sslmode=disable",
            "t2"
        ),
        "postgres://u:p%2F@db.example:6543/t2?sslmode=disable"
    );
    assert_eq!(
        with_database("postgres://postgres@localhost", "t3"),
        "postgres://postgres@localhost/t3"
    );
}
