//! `GET /metrics`: Prometheus text format with HTTP, GraphQL, pool and
//! matching metrics. Counters are global to the test process (every server of
//! it shares one recorder), so counts are compared before and after, and
//! asserted as "at least".

use std::process::Stdio;

use serde_json::{Value, json};

use crate::cli::{serve_beside, terminate};
use crate::common::TestApp;
use crate::subscriptions::Ws;

/// The sum of the samples of `name` whose labels include every `labels` pair
/// (any order, other labels allowed).
pub(crate) fn sample(body: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let mut found = None;
    for line in body.lines() {
        let Some(rest) = line.strip_prefix(name) else {
            continue;
        };
        let (set, value) = match rest.strip_prefix('{') {
            Some(rest) => match rest.rsplit_once("} ") {
                Some((set, value)) => (set, value),
                None => continue,
            },
            None => match rest.strip_prefix(' ') {
                Some(value) => ("", value),
                None => continue,
            },
        };
        let wanted = labels
            .iter()
            .all(|(k, v)| set.split(',').any(|pair| pair == format!("{k}=\"{v}\"")));
        if wanted {
            let value: f64 = value.trim().parse().expect("a numeric sample");
            *found.get_or_insert(0.0) += value;
        }
    }
    found
}

pub(crate) async fn scrape(app: &TestApp) -> String {
    let res = app.get("/metrics").await;
    assert_eq!(res.status(), 200);
    let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    res.text().await.unwrap()
}

const GRAPHQL_200: &[(&str, &str)] = &[("route", "/graphql"), ("status", "200")];

e2e!(
    metrics_count_http_graphql_pool_and_index,
    |app| async move {
        let before = scrape(&app).await;
        let count = |body: &str, name: &str, labels: &[(&str, &str)]| {
            sample(body, name, labels).unwrap_or(0.0)
        };

        // REST: register and sign in.
        let token = app.user("metrics@example.org").await;
        // GraphQL: a named query, an anonymous one, one refused with BAD_USER_INPUT.
        let data = app
            .gql_ok(
                Some(&token),
                "query MetricsProbeNeeds { needs(first: 1) { totalCount } }",
                json!({}),
            )
            .await;
        assert!(data["needs"]["totalCount"].is_number());
        app.gql_ok(None, "{ needs(first: 2) { totalCount } }", json!({}))
            .await;
        app.gql_err(
            None,
            "query MetricsProbeBadInput { needs(first: -1) { totalCount } }",
            json!({}),
            "BAD_USER_INPUT",
        )
        .await;
        // A free-text search goes through the matching index.
        app.gql_ok(
            Some(&token),
            "query MetricsProbeSearch { search(query: \"bearing\") { edges { score } } }",
            json!({}),
        )
        .await;
        // A subscription over WebSocket, refused for its bad argument.
        let errors_before = count(
            &before,
            "iurhub_graphql_errors_total",
            &[("code", "BAD_USER_INPUT")],
        );
        let mut ws = Ws::connect(&app, Some(&token)).await;
        ws.subscribe(
        "live",
        "subscription MetricsProbeLive($needId: ID!) { matchSuggested(needId: $needId) { id } }",
        json!({"needId": "nonsense"}),
    )
    .await;
        assert_eq!(ws.refusal("live").await.as_deref(), Some("BAD_USER_INPUT"));
        // Unknown routes, with ids in the path.
        assert_eq!(app.get("/nope/12345").await.status(), 404);
        assert_eq!(app.get("/api/v1/nope/67890").await.status(), 404);

        let after = scrape(&app).await;

        // HTTP: counted by route template and status, timed in buckets.
        let graphql_ok = count(&after, "iurhub_http_requests_total", GRAPHQL_200)
            - count(&before, "iurhub_http_requests_total", GRAPHQL_200);
        assert!(
            graphql_ok >= 4.0,
            "{graphql_ok} POST /graphql 200 counted\n{after}"
        );
        let login = [("route", "/api/v1/auth/login"), ("status", "200")];
        assert!(
            count(&after, "iurhub_http_requests_total", &login)
                > count(&before, "iurhub_http_requests_total", &login),
            "{after}"
        );
        assert!(
            after.lines().any(|l| {
                l.starts_with("iurhub_http_request_duration_seconds_bucket{")
                    && l.contains("route=\"/graphql\"")
                    && l.contains("le=\"")
            }),
            "no latency buckets for /graphql\n{after}"
        );
        assert!(
            count(
                &after,
                "iurhub_http_request_duration_seconds_count",
                GRAPHQL_200
            ) >= graphql_ok,
            "{after}"
        );
        // No raw path becomes a label; unknown routes share one.
        assert!(!after.contains("12345"), "a raw path leaked into labels");
        assert!(!after.contains("67890"), "a raw path leaked into labels");
        let unmatched = [("route", "unmatched"), ("status", "404")];
        assert!(
            count(&after, "iurhub_http_requests_total", &unmatched)
                > count(&before, "iurhub_http_requests_total", &unmatched),
            "{after}"
        );

        // GraphQL operations by name and type, errors by code.
        let named = [("operation", "MetricsProbeNeeds"), ("type", "query")];
        assert!(count(&after, "iurhub_graphql_operations_total", &named) >= 1.0);
        let anonymous = [("operation", "anonymous"), ("type", "query")];
        assert!(
            count(&after, "iurhub_graphql_operations_total", &anonymous)
                > count(&before, "iurhub_graphql_operations_total", &anonymous),
            "{after}"
        );
        let bad = [("operation", "MetricsProbeBadInput"), ("type", "query")];
        assert!(count(&after, "iurhub_graphql_operations_total", &bad) >= 1.0);
        let live = [("operation", "MetricsProbeLive"), ("type", "subscription")];
        assert!(count(&after, "iurhub_graphql_operations_total", &live) >= 1.0);
        // One from the query, one from the subscription.
        let code = [("code", "BAD_USER_INPUT")];
        assert!(
            count(&after, "iurhub_graphql_errors_total", &code) >= errors_before + 2.0,
            "{after}"
        );
        assert!(
            sample(
                &after,
                "iurhub_graphql_operation_duration_seconds_count",
                &named
            )
            .is_some(),
            "{after}"
        );

        // The database pool, sampled at scrape (the harness's pool has 5).
        let in_use = sample(&after, "iurhub_db_pool_connections", &[("state", "in_use")]);
        let idle = sample(&after, "iurhub_db_pool_connections", &[("state", "idle")]);
        assert!(in_use.is_some() && idle.is_some(), "{after}");
        let max = sample(&after, "iurhub_db_pool_max_connections", &[]);
        assert!(max.is_some_and(|m| m >= 1.0), "{after}");

        // The matching index by kind, and matching latency.
        for kind in ["need", "capability", "talent"] {
            assert!(
                sample(&after, "iurhub_matching_index_documents", &[("kind", kind)]).is_some(),
                "no index size for {kind}\n{after}"
            );
        }
        assert!(
            sample(
                &after,
                "iurhub_matching_query_duration_seconds_count",
                &[("operation", "search")]
            )
            .is_some_and(|n| n >= 1.0),
            "{after}"
        );
    }
);

e2e!(metrics_follow_the_index_and_matching, |app| async move {
    let w = crate::fixtures::World::new(&app).await;
    let need = w
        .need(&app, "Bearing fault diagnosis 轴承故障诊断", "PUBLIC", true)
        .await;
    let body = scrape(&app).await;
    // Another test's server may have sampled last, so only presence is
    // certain for the gauges of this one.
    assert!(
        sample(
            &body,
            "iurhub_matching_index_documents",
            &[("kind", "need")]
        )
        .is_some_and(|n| n >= 0.0)
    );
    let before = sample(
        &body,
        "iurhub_matching_query_duration_seconds_count",
        &[("operation", "capabilities_for_need")],
    )
    .unwrap_or(0.0);
    let data = app
        .gql(
            Some(&w.a),
            "query($id: ID!) { need(id: $id) { matches(first: 3) { totalCount } } }",
            json!({"id": need}),
        )
        .await;
    assert!(data.get("errors").is_none(), "{data}");
    let body = scrape(&app).await;
    let after = sample(
        &body,
        "iurhub_matching_query_duration_seconds_count",
        &[("operation", "capabilities_for_need")],
    )
    .unwrap_or(0.0);
    assert!(after > before, "{before} → {after}\n{body}");
});

e2e!(metrics_can_be_turned_off, |app| async move {
    // The real binary in a process of its own, with `metrics_enabled = false`.
    let dir = tempfile::tempdir().unwrap();
    let (child, port) = serve_beside(&app, dir.path(), |cmd| {
        cmd.env("IURHUB_METRICS_ENABLED", "false")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
    })
    .await;
    let client = reqwest::Client::new();
    let res = client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "NOT_FOUND", "{body}");
    // Everything else still works.
    let res = client
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .json(&json!({"query": "{ needs(first: 1) { totalCount } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    terminate(child).await;
});
