//! The database goes away under a running server, and comes back.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

use crate::common::{self, Backend};

e2e!(
    readiness_follows_the_database_and_the_service_recovers,
    |app| async move {
        // SQLite is a file inside the process: nothing to take away.
        if app.backend == Backend::Sqlite {
            return;
        }
        let token = app.admin_token().await;
        let db = app.postgres_database().unwrap();
        let admin = Database::connect(db.admin_url.as_str()).await.unwrap();
        let name = &db.name;
        let ready = || async { app.get("/readyz").await.status().as_u16() };
        assert_eq!(ready().await, 200);

        // The database refuses new connections and drops the server's.
        admin
            .execute_unprepared(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
            .await
            .unwrap();
        admin
            .execute_unprepared(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
            ))
            .await
            .unwrap();
        let from = Instant::now();
        loop {
            if ready().await == 503 {
                break;
            }
            assert!(
                from.elapsed() < Duration::from_secs(2),
                "/readyz still 200 two seconds into the outage"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        // Requests fail fast with a coded error, not a hang or a bare 500.
        let started = Instant::now();
        let res = app
            .post_json(
                "/graphql",
                json!({"query": "{ needs(first: 1) { totalCount } }"}),
                Some(&token),
            )
            .await;
        let body: Value = res.json().await.unwrap();
        assert!(common::error_code(&body).is_some(), "{body}");
        assert!(
            started.elapsed() < Duration::from_secs(12),
            "failed only after {:?}",
            started.elapsed()
        );
        let res = app.get("/api/v1/organizations").await;
        assert!(res.status().is_server_error());
        let body: Value = res.json().await.unwrap();
        assert!(body["code"].is_string(), "{body}");

        // Back: the same process serves again, no restart.
        admin
            .execute_unprepared(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
            .await
            .unwrap();
        let from = Instant::now();
        loop {
            if ready().await == 200 {
                break;
            }
            assert!(
                from.elapsed() < Duration::from_secs(15),
                "/readyz did not recover"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        app.gql_ok(
            Some(&token),
            "{ needs(first: 1) { totalCount } }",
            json!({}),
        )
        .await;
    }
);
