//! Answers to anonymous GraphQL queries are kept for a moment
//! (`response_cache_bytes`, `response_cache_ttl_ms`): served again until a
//! mutation runs or the TTL passes, never for signed-in callers, never with
//! errors. A write made behind the server's back (straight into the
//! database) shows what is kept; the replica follower is kept from noticing
//! it on PostgreSQL.

use std::time::Duration;

use iurhub_api::config::Settings;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::fixtures::World;
use crate::subscriptions::Ws;

const LIST: &str = "{ needs(first: 10, filter: {status: [PUBLISHED]}) {
  edges { node { title organization { name } keywords } } } }";

const HIT: &str = "iurhub_graphql_response_cache_lookups_total";

const UPDATE: &str =
    "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { title } } }";

/// Answers kept for a minute; the replica follower does not look for other
/// processes' writes during the test.
fn long_ttl(s: &mut Settings) {
    s.response_cache_ttl_ms = 60_000;
    s.replica_listen = false;
    s.replica_poll_secs = 3600;
}

use crate::common::titles;

async fn anonymous_titles(app: &TestApp) -> Vec<String> {
    titles(&app.gql_ok(None, LIST, json!({})).await)
}

const BEARING: &str = "Bearing monitoring 轴承监测";

/// The small world with one published public need, read once anonymously
/// (so its answer is kept); returns the need's id.
async fn listed_need(app: &TestApp) -> (World, String) {
    let w = World::new(app).await;
    let id = w.need(app, BEARING, "PUBLIC", true).await;
    assert_eq!(anonymous_titles(app).await, [BEARING]);
    (w, id)
}

/// Runs `sql` straight in the database, as another process would.
async fn behind_the_server(app: &TestApp, sql: &str) {
    let db = Database::connect(app.database_url.as_str()).await.unwrap();
    db.execute_unprepared(sql).await.unwrap();
    db.close().await.unwrap();
}

/// Renames every need behind the server's back.
async fn rename_behind_the_server(app: &TestApp, title: &str) {
    behind_the_server(app, &format!("UPDATE tech_needs SET title = '{title}'")).await;
}

async fn rename(app: &TestApp, token: &str, id: &str, title: &str) {
    app.gql_ok(
        Some(token),
        UPDATE,
        json!({"input": {"id": id, "title": title}}),
    )
    .await;
}

e2e!(
    anonymous_answers_are_kept_until_a_mutation_runs,
    settings = long_ttl,
    |app| async move {
        let (w, id) = listed_need(&app).await;
        let first = app
            .post_json("/graphql", json!({"query": LIST}), None)
            .await;
        let first = first.bytes().await.unwrap();

        rename_behind_the_server(&app, "Renamed in the database").await;
        // The kept answer, byte for byte, counted as a hit.
        let hits =
            |body: &str| crate::metrics::sample(body, HIT, &[("result", "hit")]).unwrap_or(0.0);
        let before = hits(&crate::metrics::scrape(&app).await);
        let again = app
            .post_json("/graphql", json!({"query": LIST}), None)
            .await;
        assert_eq!(again.status(), 200);
        assert_eq!(again.bytes().await.unwrap(), first);
        assert!(hits(&crate::metrics::scrape(&app).await) >= before + 1.0);
        // Signed-in callers always get a fresh answer.
        let fresh = app.gql_ok(Some(&w.b), LIST, json!({})).await;
        assert_eq!(titles(&fresh), ["Renamed in the database"]);

        // A mutation forgets every kept answer at once.
        rename(&app, &w.a, &id, "Renamed through the API").await;
        assert_eq!(anonymous_titles(&app).await, ["Renamed through the API"]);
    }
);

e2e!(
    a_mutation_over_websocket_forgets_kept_answers_too,
    settings = long_ttl,
    |app| async move {
        let (w, id) = listed_need(&app).await;

        let mut ws = Ws::connect(&app, Some(&w.a)).await;
        ws.subscribe(
            "rename",
            UPDATE,
            json!({"input": {"id": id, "title": "Renamed over WebSocket"}}),
        )
        .await;
        let msg = ws.next(Duration::from_secs(10)).await.expect("an answer");
        assert_eq!(
            msg["payload"]["data"]["updateNeed"]["need"]["title"], "Renamed over WebSocket",
            "{msg}"
        );
        assert_eq!(anonymous_titles(&app).await, ["Renamed over WebSocket"]);
    }
);

e2e!(
    signed_in_answers_are_never_kept_nor_shared,
    settings = long_ttl,
    |app| async move {
        let w = World::new(&app).await;
        w.need(&app, "Public need 公开需求", "PUBLIC", true).await;
        w.need(&app, "Draft of enterprise A", "PUBLIC", false).await;
        // Enterprise A's member sees its draft (newest first), with the very
        // query text an anonymous reader sends next.
        let all = "{ needs(first: 10) { edges { node { title } } } }";
        let mine = app.gql_ok(Some(&w.a), all, json!({})).await;
        assert_eq!(
            titles(&mine),
            ["Draft of enterprise A", "Public need 公开需求"]
        );
        let anonymous = app.gql_ok(None, all, json!({})).await;
        assert_eq!(titles(&anonymous), ["Public need 公开需求"]);
        // And the anonymous answer, now kept, is not served to the member.
        let mine = app.gql_ok(Some(&w.a), all, json!({})).await;
        assert_eq!(titles(&mine).len(), 2);
    }
);

e2e!(
    answers_with_errors_are_not_kept,
    settings = long_ttl,
    |app| async move {
        let w = World::new(&app).await;
        let id = w.need(&app, "Not published yet", "PUBLIC", false).await;
        let one = "query($id: ID!) { need(id: $id) { title } }";
        app.gql_err(None, one, json!({"id": id}), "NOT_FOUND").await;
        behind_the_server(
            &app,
            "UPDATE tech_needs SET status = 'PUBLISHED', published_at = updated_at",
        )
        .await;
        let found = app.gql_ok(None, one, json!({"id": id})).await;
        assert_eq!(found["need"]["title"], "Not published yet");
    }
);

e2e!(
    kept_answers_lapse_after_the_ttl,
    settings = |s: &mut Settings| {
        long_ttl(s);
        s.response_cache_ttl_ms = 300;
    },
    |app| async move {
        listed_need(&app).await;
        rename_behind_the_server(&app, "Renamed in the database").await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(anonymous_titles(&app).await, ["Renamed in the database"]);
    }
);

e2e!(
    with_no_bytes_nothing_is_kept,
    settings = |s: &mut Settings| {
        long_ttl(s);
        s.response_cache_bytes = 0;
    },
    |app| async move {
        listed_need(&app).await;
        rename_behind_the_server(&app, "Renamed in the database").await;
        assert_eq!(anonymous_titles(&app).await, ["Renamed in the database"]);
    }
);

e2e!(
    concurrent_anonymous_requests_get_one_answer,
    settings = long_ttl,
    |app| async move {
        let w = World::new(&app).await;
        w.need(&app, BEARING, "PUBLIC", true).await;
        let count = |body: &str, result: &str| {
            crate::metrics::sample(body, HIT, &[("result", result)]).unwrap_or(0.0)
        };
        let before = crate::metrics::scrape(&app).await;
        let bodies = futures::future::join_all((0..16).map(|_| async {
            let res = app
                .post_json("/graphql", json!({"query": LIST}), None)
                .await;
            assert_eq!(res.status(), 200);
            res.bytes().await.unwrap()
        }))
        .await;
        assert!(bodies.iter().all(|b| *b == bodies[0]));
        let answer: Value = serde_json::from_slice(&bodies[0]).unwrap();
        assert_eq!(titles(&answer["data"]), [BEARING]);
        let after = crate::metrics::scrape(&app).await;
        let delta = |result| count(&after, result) - count(&before, result);
        // Each request is one lookup; the query ran at least once.
        assert!(delta("miss") >= 1.0);
        assert!(delta("hit") + delta("joined") + delta("miss") >= 16.0);
    }
);

e2e!(
    an_organization_created_over_websocket_is_counted_at_once,
    settings = long_ttl,
    |app| async move {
        // The attack: a write over WebSocket that does not pass through the
        // search index (an organisation), then the same anonymous read.
        let count = "{ organizations { totalCount } }";
        let total = |data: Value| data["organizations"]["totalCount"].as_i64().unwrap();
        let before = total(app.gql_ok(None, count, json!({})).await);
        assert_eq!(total(app.gql_ok(None, count, json!({})).await), before);

        let admin = app.admin_token().await;
        let mut ws = Ws::connect(&app, Some(&admin)).await;
        ws.subscribe(
            "create",
            crate::fixtures::CREATE_ORG,
            json!({"input": {"name": "Created over WebSocket", "kind": "ENTERPRISE",
                "region": {"province": "浙江省", "city": "杭州市"}}}),
        )
        .await;
        let msg = ws.next(Duration::from_secs(10)).await.expect("an answer");
        assert_eq!(
            msg["payload"]["data"]["createOrganization"]["organization"]["name"],
            "Created over WebSocket",
            "{msg}"
        );
        assert_eq!(
            total(app.gql_ok(None, count, json!({})).await),
            before + 1,
            "the anonymous count is still the kept one"
        );
    }
);
