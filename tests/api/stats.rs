//! Statistics with a scope and a period, drilled down by organisation and
//! month, and an agreement's annual review over GraphQL and as CSV (the
//! same numbers).

use chrono::{Duration, FixedOffset, Utc};
use serde_json::{Value, json};

use crate::common::{TestApp, assert_code, text};
use crate::fixtures::{CREATE_NEED, World};

const STATS: &str = "query($scope: StatsScopeInput, $period: PeriodInput) {
  stats(scope: $scope, period: $period) {
    needsByStatus { status count } projectsByArea { area count }
    byOrganization { organization { id } needs capabilities projects matchesAccepted }
    byMonth { month needs projectsCreated } } }";

/// Today in China Standard Time.
fn today() -> chrono::NaiveDate {
    Utc::now()
        .with_timezone(&FixedOffset::east_opt(8 * 3600).unwrap())
        .date_naive()
}

async fn need(app: &TestApp, token: &str, org: &str, title: &str) -> String {
    let data = app
        .gql_ok(
            Some(token),
            CREATE_NEED,
            json!({"input": {"organizationId": org, "title": title,
                "description": "测试 test", "keywords": ["bearing"], "visibility": "PUBLIC"}}),
        )
        .await;
    text(&data["createNeed"]["need"]["id"])
}

fn needs_total(data: &Value) -> u64 {
    data["stats"]["needsByStatus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum()
}

/// An ACTIVE A–U agreement over this year; its id.
async fn agreement(app: &TestApp, w: &World) -> String {
    let y = today().format("%Y").to_string();
    let data = app
        .gql_ok(
            Some(&w.a),
            "mutation($input: CreateAgreementInput!) { createAgreement(input: $input) { agreement { id } } }",
            json!({"input": {"title": "框架协议 Framework", "termStart": format!("{y}-01-01"),
                "termEnd": format!("{y}-12-31"), "areas": ["JOINT_RESEARCH_PLATFORM"],
                "partyOrganizationIds": [w.org_a, w.org_u]}}),
        )
        .await;
    let id = text(&data["createAgreement"]["agreement"]["id"]);
    app.gql_ok(
        Some(&w.admin),
        "mutation($id: ID!) { activateAgreement(input: {id: $id}) { agreement { status } } }",
        json!({"id": id}),
    )
    .await;
    id
}

e2e!(
    figures_count_the_scope_and_the_period_asked_for,
    |app| async move {
        let w = World::new(&app).await;
        need(&app, &w.a, &w.org_a, "甲需求一 A one").await;
        let filed = need(&app, &w.a, &w.org_a, "甲需求二 A two").await;
        need(&app, &w.b, &w.org_b, "乙需求 B").await;

        // A's member: A's figures, never B's, and no platform figures.
        let mine = json!({"organizationId": w.org_a});
        let data = app.gql_ok(Some(&w.a), STATS, json!({"scope": mine})).await;
        assert_eq!(needs_total(&data), 2, "{data}");
        let by_org = data["stats"]["byOrganization"].as_array().unwrap();
        assert_eq!(by_org.len(), 1, "{data}");
        assert_eq!(by_org[0]["organization"]["id"], w.org_a.as_str());
        assert_eq!(by_org[0]["needs"], 2);
        let month = today().format("%Y-%m").to_string();
        assert_eq!(data["stats"]["byMonth"][0]["month"], month.as_str());
        assert_eq!(data["stats"]["byMonth"][0]["needs"], 2);
        let res = app
            .gql(
                Some(&w.a),
                STATS,
                json!({"scope": {"organizationId": w.org_b}}),
            )
            .await;
        assert_code(&res, "FORBIDDEN");
        assert_code(&app.gql(Some(&w.a), STATS, json!({})).await, "FORBIDDEN");
        // The platform's figures for the admin.
        let data = app.gql_ok(Some(&w.admin), STATS, json!({})).await;
        assert_eq!(needs_total(&data), 3);

        // Periods: today counts, tomorrow on and yesterday back do not.
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        for (period, want) in [
            (json!({"from": day(today()), "to": day(today())}), 2),
            (json!({"from": day(today() + Duration::days(1))}), 0),
            (json!({"to": day(today() - Duration::days(1))}), 0),
        ] {
            let data = app
                .gql_ok(Some(&w.a), STATS, json!({"scope": mine, "period": period}))
                .await;
            assert_eq!(needs_total(&data), want, "{period}");
        }
        let res = app
            .gql(
                Some(&w.a),
                STATS,
                json!({"scope": mine, "period": {"from": day(today()), "to": day(today() - Duration::days(1))}}),
            )
            .await;
        assert_code(&res, "BAD_USER_INPUT");
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"],
            "period.to"
        );
        // One scope at a time.
        let res = app
            .gql(
                Some(&w.a),
                STATS,
                json!({"scope": {"organizationId": w.org_a, "agreementId": w.org_a}}),
            )
            .await;
        assert_code(&res, "BAD_USER_INPUT");

        // An agreement's figures: what is filed under it, for its parties.
        let agreement = agreement(&app, &w).await;
        app.gql_ok(
            Some(&w.a),
            "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { id } } }",
            json!({"input": {"id": filed, "agreementId": agreement}}),
        )
        .await;
        app.gql_ok(
            Some(&w.u),
            "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
            json!({"input": {"title": "联合研发 R&D", "area": "JOINT_RESEARCH_PLATFORM",
                "partyOrganizationIds": [w.org_a, w.org_u], "agreementId": agreement}}),
        )
        .await;
        let scope = json!({"agreementId": agreement});
        let data = app.gql_ok(Some(&w.u), STATS, json!({"scope": scope})).await;
        assert_eq!(needs_total(&data), 1, "{data}");
        let platform = data["stats"]["projectsByArea"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["area"] == "JOINT_RESEARCH_PLATFORM")
            .unwrap()["count"]
            .clone();
        assert_eq!(platform, 1);
        assert_eq!(data["stats"]["byMonth"][0]["projectsCreated"], 1);
        let parties: Vec<Value> = data["stats"]["byOrganization"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["projects"].clone())
            .collect();
        assert_eq!(parties, [json!(1), json!(1)], "{data}");
        let res = app.gql(Some(&w.b), STATS, json!({"scope": scope})).await;
        assert_code(&res, "NOT_FOUND");
    }
);

const REVIEW: &str = "query($id: ID!, $year: Int!) { agreement(id: $id) { review(year: $year) {
  year progress { metric actual } stats { byMonth { month } }
  lines { section key metric unit target actual percent } } } }";

e2e!(
    the_annual_review_csv_holds_the_numbers_of_the_graphql_review,
    |app| async move {
        let w = World::new(&app).await;
        let agreement = agreement(&app, &w).await;
        let year: i32 = today().format("%Y").to_string().parse().unwrap();
        app.gql_ok(
            Some(&w.a),
            "mutation($input: SetPlanTargetInput!) { setPlanTarget(input: $input) { target { id } } }",
            json!({"input": {"agreementId": agreement, "year": year,
                "area": "JOINT_RESEARCH_PLATFORM", "metric": "PROJECTS_STARTED", "target": 3}}),
        )
        .await;
        let data = app
            .gql_ok(
                Some(&w.a),
                "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
                json!({"input": {"title": "=HYPERLINK(\"x\") 联合研发", "area": "JOINT_RESEARCH_PLATFORM",
                    "partyOrganizationIds": [w.org_a, w.org_u], "agreementId": agreement,
                    "funding": "250000.5"}}),
            )
            .await;
        let project = text(&data["createProject"]["project"]["id"]);
        // U accepts; the admin moves alone.
        crate::project_consent::accept_all(&app, &project, &[&w.u]).await;
        for step in ["agreeProject", "startProject"] {
            app.gql_ok(
                Some(&w.admin),
                &format!(
                    "mutation($id: ID!) {{ {step}(input: {{id: $id}}) {{ project {{ status }} }} }}"
                ),
                json!({"id": project}),
            )
            .await;
        }
        let data = app
            .gql_ok(Some(&w.u), REVIEW, json!({"id": agreement, "year": year}))
            .await;
        let review = &data["agreement"]["review"];
        let lines = review["lines"].as_array().unwrap();
        let started = lines
            .iter()
            .find(|l| l["metric"] == "PROJECTS_STARTED" && l["section"] == "PLAN")
            .unwrap();
        assert_eq!(started["target"], 3);
        assert_eq!(started["actual"], 1.0);
        assert_eq!(started["percent"].as_f64(), Some(33.3));
        let funding = lines
            .iter()
            .find(|l| l["metric"] == "FUNDING_CONTRACTED")
            .unwrap();
        assert_eq!(funding["actual"], 250_000.5);
        assert_eq!(funding["unit"], "YUAN");
        assert!(
            lines
                .iter()
                .any(|l| l["section"] == "ORGANIZATION" && l["key"] == "University U 某工业大学"),
            "{review}"
        );

        // The CSV: a byte-order mark, the header, then the same rows.
        let res = app
            .get_as(
                &format!("/api/v1/agreements/{agreement}/review.csv?year={year}"),
                &w.a,
            )
            .await;
        assert_eq!(res.status(), 200);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let body = res.bytes().await.unwrap();
        assert!(body.starts_with("\u{feff}".as_bytes()));
        let text = std::str::from_utf8(&body[3..]).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            reader.headers().unwrap(),
            vec![
                "section", "key", "metric", "unit", "target", "actual", "percent"
            ]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), lines.len());
        let cell = |v: &Value| match v {
            Value::Null => String::new(),
            Value::Number(n) => {
                let f = n.as_f64().unwrap();
                if f.fract() == 0.0 {
                    format!("{f:.0}")
                } else {
                    f.to_string()
                }
            }
            other => crate::common::text(other),
        };
        for (row, line) in rows.iter().zip(lines) {
            let want: Vec<String> = [
                "section", "key", "metric", "unit", "target", "actual", "percent",
            ]
            .iter()
            .map(|k| cell(&line[*k]))
            .collect();
            assert_eq!(row.iter().collect::<Vec<_>>(), want);
        }

        // Strangers, anonymous callers and bad years are refused.
        let path = format!("/api/v1/agreements/{agreement}/review.csv?year={year}");
        assert_eq!(app.get_as(&path, &w.b).await.status(), 404);
        assert_eq!(app.get(&path).await.status(), 401);
        let bad = format!("/api/v1/agreements/{agreement}/review.csv?year=1800");
        assert_eq!(app.get_as(&bad, &w.a).await.status(), 400);
        let res = app
            .gql(Some(&w.b), REVIEW, json!({"id": agreement, "year": year}))
            .await;
        assert_code(&res, "NOT_FOUND");
    }
);
