//! Listing freshness: `confirmNeed` / `confirmCapability` (and editing)
//! confirm a listing current; the `listing_freshness` job tells the
//! organisation of a published listing unconfirmed for
//! `listing_confirm_days` once (`LISTING_UNCONFIRMED`), and takes it off the
//! public lists a grace period after that warning (`LISTING_WITHDRAWN`: a
//! need withdrawn, a capability archived).

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

use crate::common::{TestApp, assert_code, text};
use crate::fixtures::World;
use crate::matching::capability;
use crate::notifications::{inbox, kinds, raw, until_count};

/// Sets `column` of row `id` of `table` to `at` (what time does to rows),
/// bound as the application binds its instants.
pub(crate) async fn set_time(app: &TestApp, table: &str, column: &str, id: i64, at: DateTime<Utc>) {
    set_time_where(app, table, column, ("id", id.into()), at).await
}

/// [`set_time`] on the rows where `key` is the given value.
pub(crate) async fn set_time_where(
    app: &TestApp,
    table: &str,
    column: &str,
    key: (&str, sea_orm::Value),
    at: DateTime<Utc>,
) {
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let stmt = Query::update()
        .table(Alias::new(table))
        .value(Alias::new(column), at)
        .and_where(Expr::col(Alias::new(key.0)).eq(key.1))
        .to_owned();
    let done = db.execute(&stmt).await.unwrap();
    assert!(done.rows_affected() > 0, "no {table} row");
    db.close().await.unwrap();
}

const CONFIRM_NEED: &str =
    "mutation($id: ID!) { confirmNeed(input: {id: $id}) { need { id confirmedAt status } } }";
const CONFIRM_CAPABILITY: &str = "mutation($id: ID!) { confirmCapability(input: {id: $id}) {
  capability { id confirmedAt status } } }";
const NEED: &str = "query($id: ID!) { need(id: $id) { status confirmedAt } }";
const CAPABILITY: &str = "query($id: ID!) { capability(id: $id) { status confirmedAt } }";

fn instant(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&text(v))
        .unwrap()
        .with_timezone(&Utc)
}

fn count(data: &Value, kind: &str) -> usize {
    kinds(data).iter().filter(|k| *k == kind).count()
}

e2e!(
    owners_confirm_a_listing_and_editing_confirms_it_too,
    |app| async move {
        let w = World::new(&app).await;
        let need = w
            .need(&app, "传感器标定 Sensor calibration", "PUBLIC", true)
            .await;
        let cap = capability(
            &app,
            &w,
            "传感器标定服务 Calibration service",
            "Calibration",
            &["传感器"],
            &["460"],
            6,
        )
        .await;
        set_time(
            &app,
            "tech_needs",
            "confirmed_at",
            raw(&need),
            Utc::now() - TimeDelta::days(90),
        )
        .await;
        set_time(
            &app,
            "research_capabilities",
            "confirmed_at",
            raw(&cap),
            Utc::now() - TimeDelta::days(90),
        )
        .await;
        let before = Utc::now() - TimeDelta::seconds(5);
        let old = instant(
            &app.gql_ok(Some(&w.a), NEED, json!({"id": need})).await["need"]["confirmedAt"],
        );
        assert!(old < before - TimeDelta::days(89), "{old}");

        // The owners confirm; the others may read it but not confirm it.
        let data = app
            .gql_ok(Some(&w.a), CONFIRM_NEED, json!({"id": need}))
            .await;
        assert!(
            instant(&data["confirmNeed"]["need"]["confirmedAt"]) >= before,
            "{data}"
        );
        assert_eq!(data["confirmNeed"]["need"]["status"], "PUBLISHED");
        let data = app
            .gql_ok(Some(&w.u), CONFIRM_CAPABILITY, json!({"id": cap}))
            .await;
        assert!(
            instant(&data["confirmCapability"]["capability"]["confirmedAt"]) >= before,
            "{data}"
        );
        assert_code(
            &app.gql(Some(&w.u), CONFIRM_NEED, json!({"id": need})).await,
            "FORBIDDEN",
        );
        assert_code(
            &app.gql(Some(&w.b), CONFIRM_CAPABILITY, json!({"id": cap}))
                .await,
            "FORBIDDEN",
        );
        assert_code(
            &app.gql(None, CONFIRM_NEED, json!({"id": need})).await,
            "UNAUTHENTICATED",
        );
        // A need's id is no capability's; a closed need is confirmed no more.
        assert_code(
            &app.gql(Some(&w.u), CONFIRM_CAPABILITY, json!({"id": need}))
                .await,
            "BAD_USER_INPUT",
        );
        app.gql_ok(
            Some(&w.a),
            "mutation($id: ID!) { closeNeed(input: {id: $id}) { need { status } } }",
            json!({"id": need}),
        )
        .await;
        assert_code(
            &app.gql(Some(&w.a), CONFIRM_NEED, json!({"id": need})).await,
            "BAD_USER_INPUT",
        );

        // Editing confirms.
        set_time(
            &app,
            "research_capabilities",
            "confirmed_at",
            raw(&cap),
            Utc::now() - TimeDelta::days(90),
        )
        .await;
        let before = Utc::now() - TimeDelta::seconds(5);
        let data = app
        .gql_ok(
            Some(&w.u),
            "mutation($id: ID!) { updateCapability(input: {id: $id, summary: \"Calibration of strain gauges\"}) { capability { confirmedAt } } }",
            json!({"id": cap}),
        )
        .await;
        assert!(
            instant(&data["updateCapability"]["capability"]["confirmedAt"]) >= before,
            "{data}"
        );
    }
);

e2e!(
    an_unconfirmed_listing_warns_once_then_leaves_the_public_lists,
    |app| async move {
        let w = World::new(&app).await;
        let stale = w.need(&app, "陈旧需求 Stale need", "PUBLIC", true).await;
        let lapsed = w.need(&app, "失效需求 Lapsed need", "PUBLIC", true).await;
        let fresh = w.need(&app, "新近需求 Fresh need", "PUBLIC", true).await;
        let cap = capability(
            &app,
            &w,
            "失效能力 Lapsed capability",
            "Old lab",
            &["旧"],
            &["460"],
            5,
        )
        .await;
        let now = Utc::now();
        set_time(
            &app,
            "tech_needs",
            "confirmed_at",
            raw(&stale),
            now - TimeDelta::days(200),
        )
        .await;
        // Unconfirmed for far longer, but never warned: warned first.
        set_time(
            &app,
            "tech_needs",
            "confirmed_at",
            raw(&lapsed),
            now - TimeDelta::days(400),
        )
        .await;
        set_time(
            &app,
            "research_capabilities",
            "confirmed_at",
            raw(&cap),
            now - TimeDelta::days(400),
        )
        .await;
        let app = app.restart_with(|s| s.schedule_every_secs = 1).await;

        let warned = until_count(&app, &w.a, "LISTING_UNCONFIRMED", 2).await;
        let subjects: Vec<&str> = warned
            .iter()
            .map(|n| n["subject"]["id"].as_str().unwrap())
            .collect();
        assert!(
            subjects.contains(&stale.as_str()) && subjects.contains(&lapsed.as_str()),
            "{warned:?}"
        );
        let n = warned
            .iter()
            .find(|n| n["subject"]["id"] == stale.as_str())
            .unwrap();
        assert!(text(&n["title"]).contains("陈旧需求"), "{n}");
        assert!(text(&n["body"]).contains("需求"), "{n}");
        let told = until_count(&app, &w.u, "LISTING_UNCONFIRMED", 1).await;
        assert_eq!(told[0]["subject"]["id"], cap.as_str());
        let status = |q: &'static str, id: String, token: String| {
            let app = &app;
            async move { app.gql_ok(Some(&token), q, json!({"id": id})).await }
        };
        assert_eq!(
            status(NEED, lapsed.clone(), w.a.clone()).await["need"]["status"],
            "PUBLISHED"
        );

        // The warning was 31 days ago: the lapsed listings leave the lists.
        for subject in [
            format!("need:{}", raw(&lapsed)),
            format!("capability:{}", raw(&cap)),
        ] {
            set_time_where(
                &app,
                "reminders",
                "sent_at",
                ("subject", subject.into()),
                now - TimeDelta::days(31),
            )
            .await;
        }
        let gone = until_count(&app, &w.a, "LISTING_WITHDRAWN", 1).await;
        assert_eq!(gone[0]["subject"]["id"], lapsed.as_str());
        assert!(text(&gone[0]["title"]).contains("失效需求"), "{}", gone[0]);
        let gone = until_count(&app, &w.u, "LISTING_WITHDRAWN", 1).await;
        assert_eq!(gone[0]["subject"]["id"], cap.as_str());
        assert_eq!(
            status(NEED, lapsed.clone(), w.a.clone()).await["need"]["status"],
            "WITHDRAWN"
        );
        assert_eq!(
            status(NEED, stale.clone(), w.a.clone()).await["need"]["status"],
            "PUBLISHED"
        );
        assert_eq!(
            status(NEED, fresh.clone(), w.a.clone()).await["need"]["status"],
            "PUBLISHED"
        );
        assert_eq!(
            status(CAPABILITY, cap.clone(), w.u.clone()).await["capability"]["status"],
            "ARCHIVED"
        );
        let listed = app
            .gql_ok(
                None,
                "{ needs(first: 50) { nodes { id } } capabilities(first: 50) { nodes { id } } }",
                json!({}),
            )
            .await
            .to_string();
        assert!(
            !listed.contains(&lapsed) && !listed.contains(&cap),
            "{listed}"
        );
        assert!(
            listed.contains(&stale) && listed.contains(&fresh),
            "{listed}"
        );

        // Once each, whatever the runs since; confirming the stale one ends
        // its warnings.
        app.gql_ok(Some(&w.a), CONFIRM_NEED, json!({"id": stale}))
            .await;
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let a = inbox(&app, &w.a).await;
        assert_eq!(count(&a, "LISTING_UNCONFIRMED"), 2, "{a}");
        assert_eq!(count(&a, "LISTING_WITHDRAWN"), 1, "{a}");
        let u = inbox(&app, &w.u).await;
        assert_eq!(count(&u, "LISTING_WITHDRAWN"), 1, "{u}");
        assert!(
            !kinds(&inbox(&app, &w.b).await)
                .iter()
                .any(|k| k.starts_with("LISTING"))
        );
        let metrics = app.get("/metrics").await.text().await.unwrap();
        assert!(
            metrics.contains("iurhub_job_runs{job=\"listing_freshness\"}"),
            "{metrics}"
        );
    }
);
