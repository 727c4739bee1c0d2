//! The coordinators' opportunity queue: the best unactioned pairs for who
//! looks after either side, its filters, the hand-over to a broker (told in
//! their inbox), gap needs, stale needs, and the ranking job that keeps the
//! queue for needs changed or never ranked.

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};

use crate::common::{TestApp, text};
use crate::fixtures::{World, add_member, me};
use crate::matching::capability;

const QUEUE: &str = "query($filter: OpportunityFilterInput) {
  opportunities(first: 20, filter: $filter) { totalCount
    nodes { matchId score foundAt need { id title } capability { id title }
      assignment { broker { id } assignedBy { id } dueOn note assignedAt } } } }";

const ASSIGN: &str = "mutation($input: AssignOpportunityInput!) {
  assignOpportunity(input: $input) { opportunity { matchId
    assignment { broker { id displayName } assignedBy { id } dueOn note } } } }";

const UNASSIGN: &str = "mutation($id: ID!) {
  unassignOpportunity(input: {matchId: $id}) { opportunity { matchId assignment { note } } } }";

const GAPS: &str =
    "query($t: Float) { gapNeeds(first: 50, threshold: $t) { totalCount nodes { id } } }";

const STALE: &str = "query($d: Int!) { staleNeeds(first: 50, days: $d) { nodes { id } } }";

const EXPRESS: &str = "mutation($input: ExpressInterestInput!) { expressInterest(input: $input) {
  interest { id } } }";

const INBOX: &str = "{ notifications(first: 20) { nodes { kind title body subject { id } } } }";

async fn queue(app: &TestApp, token: &str, filter: Value) -> Vec<Value> {
    let data = app
        .gql_ok(Some(token), QUEUE, json!({ "filter": filter }))
        .await;
    data["opportunities"]["nodes"].as_array().unwrap().clone()
}

fn has_pair(nodes: &[Value], need: &str, capability: &str) -> bool {
    nodes
        .iter()
        .any(|n| n["need"]["id"] == need && n["capability"]["id"] == capability)
}

/// Waits up to 10 s until `token`'s queue holds the pair; the pair.
async fn until_queued(app: &TestApp, token: &str, need: &str, capability: &str) -> Value {
    for _ in 0..100 {
        let nodes = queue(app, token, json!({})).await;
        if let Some(n) = nodes
            .iter()
            .find(|n| n["need"]["id"] == need && n["capability"]["id"] == capability)
        {
            return n.clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the pair never reached the queue");
}

/// A published need of enterprise A classified under `code`.
async fn need(app: &TestApp, w: &World, title: &str, keywords: &[&str], code: &str) -> String {
    let data = app
        .gql_ok(
            Some(&w.a),
            crate::fixtures::CREATE_NEED,
            json!({"input": {"organizationId": w.org_a, "title": title,
                "description": format!("{title}: 需求说明 what the department needs"),
                "keywords": keywords, "disciplineCodes": [code], "trlRequired": 5,
                "visibility": "PUBLIC"}}),
        )
        .await;
    let id = text(&data["createNeed"]["need"]["id"]);
    app.gql_ok(
        Some(&w.a),
        "mutation($id: ID!) { publishNeed(input: {id: $id}) { need { id } } }",
        json!({"id": id}),
    )
    .await;
    id
}

/// A's published bearing need and U's published capability that fits it.
async fn bearing_pair(app: &TestApp, w: &World) -> (String, String) {
    let bearing = need(
        app,
        w,
        "轴承故障诊断 Bearing fault diagnosis",
        &["轴承", "bearing"],
        "460",
    )
    .await;
    let cap = capability(
        app,
        w,
        "滚动轴承故障诊断 Bearing fault diagnosis",
        "电机轴承振动分析 Vibration analysis of motor bearings",
        &["轴承", "bearing"],
        &["460"],
        6,
    )
    .await;
    (bearing, cap)
}

fn raw(id: &str) -> i64 {
    let decoded = String::from_utf8(
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, id).unwrap(),
    )
    .unwrap();
    decoded.rsplit(':').next().unwrap().parse().unwrap()
}

async fn db(app: &TestApp) -> sea_orm::DatabaseConnection {
    sea_orm::Database::connect(&app.database_url).await.unwrap()
}

fn error_key(res: &Value) -> String {
    text(&res["errors"][0]["extensions"]["key"])
}

fn error_code(res: &Value) -> String {
    text(&res["errors"][0]["extensions"]["code"])
}

e2e!(
    the_queue_lists_unactioned_pairs_to_who_looks_after_either_side,
    |app| async move {
        let w = World::new(&app).await;
        let (bearing, cap) = bearing_pair(&app, &w).await;
        let pair = until_queued(&app, &w.a, &bearing, &cap).await;
        let score = pair["score"].as_f64().unwrap();
        assert!(score > 0.1 && score <= 1.0, "{pair}");
        assert_eq!(
            pair["capability"]["title"],
            "滚动轴承故障诊断 Bearing fault diagnosis"
        );
        assert!(pair["assignment"].is_null(), "{pair}");
        let match_id = text(&pair["matchId"]);
        // The pair is a match: `node` reads it.
        let node = app
            .gql_ok(
                Some(&w.a),
                "query($id: ID!) { node(id: $id) { ... on Match { score need { id } } } }",
                json!({"id": match_id}),
            )
            .await;
        assert_eq!(node["node"]["need"]["id"], bearing.as_str(), "{node}");

        // The admin's queue (which walks every pair best first) and A's
        // (which sorts A's own) agree on A's pairs.
        let admin = app.admin_token().await;
        let pairs_of = |nodes: Vec<Value>| -> Vec<String> {
            nodes.iter().map(|n| text(&n["matchId"])).collect()
        };
        assert_eq!(
            pairs_of(queue(&app, &admin, json!({"organizationId": w.org_a})).await),
            pairs_of(queue(&app, &w.a, json!({})).await)
        );

        // The capability's side sees it too (the need is public); B, who
        // looks after neither side, does not; anonymous callers sign in.
        assert!(has_pair(
            &queue(&app, &w.u, json!({})).await,
            &bearing,
            &cap
        ));
        assert!(queue(&app, &w.b, json!({})).await.is_empty());
        let res = app.gql(None, QUEUE, json!({})).await;
        assert_eq!(error_code(&res), "UNAUTHENTICATED", "{res}");

        // Filters.
        let with = |filter: Value| {
            let app = &app;
            let token = w.a.clone();
            let (bearing, cap) = (bearing.clone(), cap.clone());
            async move { has_pair(&queue(app, &token, filter).await, &bearing, &cap) }
        };
        assert!(with(json!({"minScore": score})).await);
        assert!(!with(json!({"minScore": (score + 0.001).min(1.0)})).await || score >= 0.999);
        assert!(with(json!({"organizationId": w.org_u})).await);
        assert!(with(json!({"organizationId": w.org_a})).await);
        assert!(!with(json!({"organizationId": w.org_b})).await);
        assert!(with(json!({"area": "46"})).await);
        assert!(!with(json!({"area": "120"})).await);
        assert!(!with(json!({"unactionedDays": 1})).await);
        assert!(with(json!({"unactionedDays": 0})).await);
        assert!(!with(json!({"assigned": true})).await);
        for (filter, field) in [
            (json!({"minScore": 1.5}), "filter.minScore"),
            (json!({"unactionedDays": -1}), "filter.unactionedDays"),
            (json!({"unactionedDays": 4000}), "filter.unactionedDays"),
            (json!({"area": "46; --"}), "filter.area"),
        ] {
            let res = app
                .gql(Some(&w.a), QUEUE, json!({ "filter": filter }))
                .await;
            assert_eq!(error_code(&res), "BAD_USER_INPUT", "{res}");
            assert_eq!(
                res["errors"][0]["extensions"]["fields"][0]["field"], field,
                "{res}"
            );
        }

        // A hands the pair to a colleague with a due date and a note.
        let broker = app.user("broker@enterprise-a.test").await;
        let res = add_member(&app, &admin, &w.org_a, "broker@enterprise-a.test", "MEMBER").await;
        assert!(res.get("errors").is_none(), "{res}");
        let broker_id = me(&app, &broker).await;
        let a_id = me(&app, &w.a).await;
        let b_id = me(&app, &w.b).await;
        let due = (Utc::now() + TimeDelta::days(7)).date_naive().to_string();
        let input = |broker: &str, due: &str| {
            json!({"input": {"matchId": match_id, "brokerId": broker, "dueOn": due,
                "note": "请先联系王老师 call Prof. Wang first"}})
        };
        // Refused: a broker outside A's organisations, a past date, a side
        // B does not look after, a pair that is not kept.
        let res = app.gql(Some(&w.a), ASSIGN, input(&b_id, &due)).await;
        assert_eq!(error_key(&res), "opportunity.broker.invalid", "{res}");
        let res = app
            .gql(Some(&w.a), ASSIGN, input(&broker_id, "2020-01-01"))
            .await;
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"], "input.dueOn",
            "{res}"
        );
        let res = app.gql(Some(&w.b), ASSIGN, input(&b_id, &due)).await;
        assert_eq!(error_code(&res), "FORBIDDEN", "{res}");
        let data = app
            .gql_ok(Some(&w.a), ASSIGN, input(&broker_id, &due))
            .await;
        let assignment = &data["assignOpportunity"]["opportunity"]["assignment"];
        assert_eq!(assignment["broker"]["id"], broker_id.as_str(), "{data}");
        assert_eq!(assignment["assignedBy"]["id"], a_id.as_str(), "{data}");
        assert_eq!(assignment["dueOn"], due.as_str(), "{data}");
        // The broker is told, in their inbox.
        let inbox = app.gql_ok(Some(&broker), INBOX, json!({})).await;
        let told = &inbox["notifications"]["nodes"][0];
        assert_eq!(told["kind"], "OPPORTUNITY_ASSIGNED", "{inbox}");
        assert!(text(&told["title"]).contains("轴承故障诊断"), "{told}");
        assert!(
            text(&told["body"]).contains("call Prof. Wang first"),
            "{told}"
        );
        assert!(text(&told["body"]).contains(&due), "{told}");
        assert_eq!(told["subject"]["id"], match_id.as_str(), "{told}");
        // It left the queue for the assigned list.
        assert!(!with(json!({})).await);
        assert!(with(json!({"assigned": true})).await);
        assert!(with(json!({"brokerId": broker_id})).await);
        assert!(!with(json!({"brokerId": a_id})).await);
        assert!(!with(json!({"assigned": true, "unactionedDays": 1})).await);
        // Taken back, it returns; taking back twice is NOT_FOUND.
        let data = app
            .gql_ok(Some(&w.a), UNASSIGN, json!({"id": match_id}))
            .await;
        assert!(data["unassignOpportunity"]["opportunity"]["assignment"].is_null());
        assert!(with(json!({})).await);
        let res = app.gql(Some(&w.a), UNASSIGN, json!({"id": match_id})).await;
        assert_eq!(error_key(&res), "opportunity.assignment.not_found", "{res}");

        // Once the lab expresses interest, the pair is acted on: it leaves
        // both sides' queues.
        app.gql_ok(
            Some(&w.u),
            EXPRESS,
            json!({"input": {"needId": bearing, "capabilityId": cap, "message": "我们有现成的诊断模型"}}),
        )
        .await;
        assert!(!with(json!({})).await);
        assert!(!has_pair(
            &queue(&app, &w.u, json!({})).await,
            &bearing,
            &cap
        ));
    }
);

e2e!(
    gap_needs_stale_needs_and_the_ranking_job,
    |app| async move {
        let w = World::new(&app).await;
        let (bearing, cap) = bearing_pair(&app, &w).await;
        let gap = need(
            &app,
            &w,
            "深海养殖网箱设计 Offshore aquaculture cage design",
            &["养殖网箱", "aquaculture"],
            "120",
        )
        .await;
        let pair = until_queued(&app, &w.a, &bearing, &cap).await;
        let score = pair["score"].as_f64().unwrap();

        // Gap needs: the aquaculture need has no candidate at all; the
        // bearing need has one scoring `score`. Both sides see them (the
        // needs are public): the university learns what it lacks.
        let mut gaps = Vec::new();
        for _ in 0..100 {
            let data = app.gql_ok(Some(&w.u), GAPS, json!({"t": score})).await;
            gaps = data["gapNeeds"]["nodes"].as_array().unwrap().clone();
            if !gaps.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let ids: Vec<String> = gaps.iter().map(|n| text(&n["id"])).collect();
        assert_eq!(ids, vec![gap.clone()]);
        let data = app.gql_ok(Some(&w.a), GAPS, json!({"t": 1.0})).await;
        assert_eq!(data["gapNeeds"]["totalCount"], 2, "{data}");
        let res = app.gql(Some(&w.a), GAPS, json!({"t": -0.5})).await;
        assert_eq!(error_code(&res), "BAD_USER_INPUT", "{res}");

        // Stale needs: nothing is stale today.
        let stale = |token: String, days: i64| {
            let app = &app;
            async move {
                let data = app.gql_ok(Some(&token), STALE, json!({"d": days})).await;
                data["staleNeeds"]["nodes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| text(&n["id"]))
                    .collect::<Vec<_>>()
            }
        };
        assert!(stale(w.a.clone(), 30).await.is_empty());
        // Both needs last changed 40 days ago; the lab expresses interest in
        // the bearing need today: only the aquaculture need is stale, to A
        // alone (B and U look after neither).
        {
            use iurhub_store::entities::tech_needs;
            use sea_orm::sea_query::Expr;
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let db = db(&app).await;
            tech_needs::Entity::update_many()
                .col_expr(
                    tech_needs::Column::UpdatedAt,
                    Expr::value(Utc::now() - TimeDelta::days(40)),
                )
                .filter(tech_needs::Column::Id.is_in([raw(&bearing), raw(&gap)]))
                .exec(&db)
                .await
                .unwrap();
        }
        app.gql_ok(
            Some(&w.u),
            EXPRESS,
            json!({"input": {"needId": bearing, "capabilityId": cap, "message": "可以合作"}}),
        )
        .await;
        assert_eq!(stale(w.a.clone(), 30).await, vec![gap.clone()]);
        assert!(stale(w.b.clone(), 30).await.is_empty());
        assert!(stale(w.u.clone(), 30).await.is_empty());
        assert!(stale(w.a.clone(), 60).await.is_empty());
        let res = app.gql(Some(&w.a), STALE, json!({"d": -1})).await;
        assert_eq!(error_code(&res), "BAD_USER_INPUT", "{res}");

        // The queue of a need whose kept ranking is lost (or that changed)
        // is rebuilt by the `opportunity_ranking` job.
        let other = capability(
            &app,
            &w,
            "轴承寿命预测 Bearing life prediction",
            "基于振动的轴承剩余寿命 Remaining useful life of bearings",
            &["轴承", "bearing"],
            &["460"],
            5,
        )
        .await;
        let fresh = need(
            &app,
            &w,
            "轴承寿命评估 Bearing life assessment",
            &["轴承", "bearing", "寿命"],
            "460",
        )
        .await;
        until_queued(&app, &w.a, &fresh, &other).await;
        {
            use iurhub_store::entities::{opportunities, opportunity_rankings};
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let db = db(&app).await;
            opportunities::Entity::delete_many()
                .filter(opportunities::Column::NeedId.eq(raw(&fresh)))
                .exec(&db)
                .await
                .unwrap();
            opportunity_rankings::Entity::delete_many()
                .filter(opportunity_rankings::Column::NeedId.eq(raw(&fresh)))
                .exec(&db)
                .await
                .unwrap();
        }
        assert!(!has_pair(
            &queue(&app, &w.a, json!({})).await,
            &fresh,
            &other
        ));
        let app = app.restart_with(|s| s.schedule_every_secs = 1).await;
        until_queued(&app, &w.a, &fresh, &other).await;
        let metrics = app.get("/metrics").await.text().await.unwrap();
        assert!(
            metrics.contains("iurhub_job_runs{job=\"opportunity_ranking\"}"),
            "{metrics}"
        );
    }
);

e2e!(
    rank_opportunities_fills_the_queue_of_a_database_filled_outside,
    |app| async move {
        let run = |args: &[&str]| {
            let out = crate::cli::iurhub()
                .env("IURHUB_DATABASE_URL", &app.database_url)
                .args(args)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            assert!(
                out.status.success(),
                "{stdout}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            stdout
        };
        run(&[
            "generate",
            "--capabilities",
            "300",
            "--needs",
            "40",
            "--seed",
            "3",
        ]);
        let admin = app.admin_token().await;
        const COUNT: &str = "{ opportunities(first: 1) { totalCount } }";
        let data = app.gql_ok(Some(&admin), COUNT, json!({})).await;
        assert_eq!(data["opportunities"]["totalCount"], 0, "{data}");
        let stdout = run(&["rank-opportunities"]);
        let ranked: u64 = stdout
            .lines()
            .find_map(|l| l.strip_prefix("ranked"))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{stdout}"));
        assert!(ranked > 0 && ranked <= 40, "{stdout}");
        let data = app.gql_ok(Some(&admin), COUNT, json!({})).await;
        let kept = data["opportunities"]["totalCount"].as_u64().unwrap();
        assert!(kept > 0 && kept <= ranked * 20, "{data}");
        // Once ranked, nothing waits.
        let stdout = run(&["rank-opportunities"]);
        assert!(stdout.contains("ranked       0 needs"), "{stdout}");
    }
);
