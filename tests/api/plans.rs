//! Annual plans of framework agreements (年度工作计划): targets on named
//! metrics whose actuals are computed from the records — projects, their
//! funding, bookings between the parties — and recomputed when a record
//! changes; a record outside the plan's year does not count; work items
//! with their life cycle; and who may read and change a plan.

use chrono::{Datelike, Duration, FixedOffset, TimeZone, Utc};
use serde_json::{Value, json};

use crate::common::{self, TestApp, assert_code, has_chinese, text};
use crate::fixtures::{World, add_member, me};

const AGREEMENT: &str = "mutation($input: CreateAgreementInput!) {
  createAgreement(input: $input) { agreement { id version } } }";

const ACTIVATE: &str = "mutation($id: ID!) {
  activateAgreement(input: {id: $id}) { agreement { id status } } }";

const SET_TARGET: &str = "mutation($input: SetPlanTargetInput!) {
  setPlanTarget(input: $input) { target { id year area metric unit target note version } } }";

const PROGRESS: &str = "query($id: ID!, $year: Int!) { agreement(id: $id) {
  progress(year: $year) { area metric unit target actual percent
    contributions { value on record { __typename id } } } } }";

const PROJECT: &str = "mutation($input: CreateProjectInput!) {
  createProject(input: $input) { project { id version funding { amount } } } }";

const WORK_ITEM: &str = "mutation($input: AddPlanWorkItemInput!) {
  addPlanWorkItem(input: $input) { workItem { id title status version doneAt
    responsibleOrganization { id } } } }";

const UPDATE_WORK_ITEM: &str = "mutation($input: UpdatePlanWorkItemInput!) {
  updatePlanWorkItem(input: $input) { workItem { id title status version doneAt } } }";

/// This year in China Standard Time (the plans' calendar).
fn this_year() -> i32 {
    Utc::now()
        .with_timezone(&FixedOffset::east_opt(8 * 3600).unwrap())
        .year()
}

/// An ACTIVE agreement between A and U over three years around now,
/// covering the research platform and the testing center.
async fn active_agreement(app: &TestApp, w: &World) -> String {
    let y = this_year();
    let data = app
        .gql_ok(
            Some(&w.a),
            AGREEMENT,
            json!({"input": {
                "title": "全面战略合作框架协议 Strategic cooperation",
                "termStart": format!("{}-01-01", y - 1), "termEnd": format!("{}-12-31", y + 1),
                "areas": ["JOINT_RESEARCH_PLATFORM", "TESTING_CENTER"],
                "partyOrganizationIds": [w.org_a, w.org_u]}}),
        )
        .await;
    let id = text(&data["createAgreement"]["agreement"]["id"]);
    let data = app
        .gql_ok(Some(&w.admin), ACTIVATE, json!({"id": id}))
        .await;
    assert_eq!(data["activateAgreement"]["agreement"]["status"], "ACTIVE");
    id
}

async fn set_target(
    app: &TestApp,
    token: &str,
    agreement: &str,
    year: i32,
    area: &str,
    metric: &str,
    target: i64,
) -> Value {
    app.gql(
        Some(token),
        SET_TARGET,
        json!({"input": {"agreementId": agreement, "year": year, "area": area,
            "metric": metric, "target": target}}),
    )
    .await
}

/// The progress row of `metric` in `year`, if any.
async fn row(app: &TestApp, token: &str, agreement: &str, year: i32, metric: &str) -> Value {
    let data = app
        .gql_ok(
            Some(token),
            PROGRESS,
            json!({"id": agreement, "year": year}),
        )
        .await;
    data["agreement"]["progress"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["metric"] == metric)
        .cloned()
        .unwrap_or(Value::Null)
}

/// A project of A and U under the agreement with `funding` yuan, moved to
/// IN_PROGRESS by A's member and the admin; its id.
async fn started_project(app: &TestApp, w: &World, agreement: &str, funding: &str) -> String {
    let data = app
        .gql_ok(
            Some(&w.a),
            PROJECT,
            json!({"input": {"title": "联合研发 Joint R&D", "area": "JOINT_RESEARCH_PLATFORM",
                "partyOrganizationIds": [w.org_a, w.org_u], "agreementId": agreement,
                "funding": funding}}),
        )
        .await;
    let id = text(&data["createProject"]["project"]["id"]);
    // U accepts; the admin moves alone.
    crate::project_consent::accept_all(app, &id, &[&w.u]).await;
    for step in ["agreeProject", "startProject"] {
        app.gql_ok(
            Some(&w.admin),
            &format!(
                "mutation($id: ID!) {{ {step}(input: {{id: $id}}) {{ project {{ status }} }} }}"
            ),
            json!({"id": id}),
        )
        .await;
    }
    id
}

fn gid(kind: &str, n: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{n}"))
}

fn raw_id(global: &str) -> i64 {
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(global)
        .unwrap();
    let text = String::from_utf8(raw).unwrap();
    text.split_once(':').unwrap().1.parse().unwrap()
}

e2e!(
    actuals_are_computed_from_the_records_and_follow_every_change,
    |app| async move {
        let w = World::new(&app).await;
        let agreement = active_agreement(&app, &w).await;
        let y = this_year();
        let area = "JOINT_RESEARCH_PLATFORM";
        for (metric, target) in [("PROJECTS_STARTED", 4), ("FUNDING_CONTRACTED", 2_000_000)] {
            let res = set_target(&app, &w.u, &agreement, y, area, metric, target).await;
            assert!(res.get("errors").is_none(), "{res}");
        }
        // Nothing done yet: targets against zero.
        let started = row(&app, &w.a, &agreement, y, "PROJECTS_STARTED").await;
        assert_eq!(
            (started["target"].as_i64(), started["actual"].as_f64()),
            (Some(4), Some(0.0))
        );
        assert_eq!(started["percent"].as_f64(), Some(0.0));
        assert_eq!(started["unit"], "COUNT");

        let first = started_project(&app, &w, &agreement, "500000").await;
        let started = row(&app, &w.a, &agreement, y, "PROJECTS_STARTED").await;
        assert_eq!(started["actual"].as_f64(), Some(1.0), "{started}");
        assert_eq!(started["percent"].as_f64(), Some(25.0));
        // The record behind the number is reachable.
        assert_eq!(started["contributions"][0]["record"]["id"], first.as_str());
        assert_eq!(
            started["contributions"][0]["record"]["__typename"],
            "Project"
        );
        let funding = row(&app, &w.a, &agreement, y, "FUNDING_CONTRACTED").await;
        assert_eq!(
            (funding["unit"].as_str(), funding["actual"].as_f64()),
            (Some("YUAN"), Some(500_000.0))
        );
        assert_eq!(funding["percent"].as_f64(), Some(25.0));

        // A change of a record changes the actual at once.
        app.gql_ok(
            Some(&w.a),
            "mutation($id: ID!) { updateProject(input: {id: $id, funding: \"1500000.50\"}) { project { funding { amount } } } }",
            json!({"id": first}),
        )
        .await;
        let funding = row(&app, &w.u, &agreement, y, "FUNDING_CONTRACTED").await;
        assert_eq!(funding["actual"].as_f64(), Some(1_500_000.5));
        started_project(&app, &w, &agreement, "100").await;
        let started = row(&app, &w.a, &agreement, y, "PROJECTS_STARTED").await;
        assert_eq!(started["actual"].as_f64(), Some(2.0));

        // A project outside the agreement does not count.
        app.gql_ok(
            Some(&w.a),
            PROJECT,
            json!({"input": {"title": "独立项目 Standalone", "area": area,
                "partyOrganizationIds": [w.org_a, w.org_u], "funding": "999"}}),
        )
        .await;
        // A record outside the plan's year does not count: the first
        // project started (and was agreed) last year after all.
        let last_year = Utc.with_ymd_and_hms(y - 1, 11, 30, 4, 0, 0).unwrap();
        let db = sea_orm::Database::connect(app.database_url.as_str())
            .await
            .unwrap();
        {
            use iurhub_store::entities::cooperation_projects as p;
            use sea_orm::{ActiveModelTrait, EntityTrait, Set};
            let row = p::Entity::find_by_id(raw_id(&first))
                .one(&db)
                .await
                .unwrap()
                .unwrap();
            let mut row: p::ActiveModel = row.into();
            row.started_at = Set(Some(last_year));
            row.agreed_at = Set(Some(last_year));
            row.update(&db).await.unwrap();
        }
        let started = row(&app, &w.a, &agreement, y, "PROJECTS_STARTED").await;
        assert_eq!(started["actual"].as_f64(), Some(1.0));
        let funding = row(&app, &w.a, &agreement, y, "FUNDING_CONTRACTED").await;
        assert_eq!(funding["actual"].as_f64(), Some(100.0));
        // Last year has no target for it, and shows the record all the same.
        let before = row(&app, &w.a, &agreement, y - 1, "PROJECTS_STARTED").await;
        assert_eq!(before["target"], Value::Null);
        assert_eq!(before["actual"].as_f64(), Some(1.0));
        assert_eq!(before["percent"], Value::Null);

        // Hours of U's instrument used by A (another party) count; U's own
        // use does not.
        let dean = app.user("dean@university.test").await;
        add_member(
            &app,
            &w.admin,
            &w.org_u,
            "dean@university.test",
            "ORG_ADMIN",
        )
        .await;
        let data = app
            .gql_ok(
                Some(&dean),
                "mutation($input: CreateInstrumentInput!) { createInstrument(input: $input) { instrument { id } } }",
                json!({"input": {"organizationId": w.org_u, "name": "扫描电镜 SEM", "category": "SEM",
                    "rateInternal": "100", "rateExternal": "300", "requiresQualification": false}}),
            )
            .await;
        let sem = raw_id(&text(&data["createInstrument"]["instrument"]["id"]));
        let (a_user, u_user) = (raw_id(&me(&app, &w.a).await), raw_id(&me(&app, &w.u).await));
        let when = Utc.with_ymd_and_hms(y, 3, 2, 1, 0, 0).unwrap();
        {
            use iurhub_store::entities::bookings as b;
            use sea_orm::{ActiveModelTrait, Set};
            for (user, org, minutes) in [
                (a_user, raw_id(&w.org_a), 150),
                (u_user, raw_id(&w.org_u), 600),
            ] {
                b::ActiveModel {
                    instrument_id: Set(sem),
                    user_id: Set(user),
                    organization_id: Set(org),
                    start_at: Set(when),
                    end_at: Set(when + Duration::minutes(minutes)),
                    purpose: Set("断口分析 fracture analysis".into()),
                    status: Set("COMPLETED".into()),
                    actual_start: Set(Some(when)),
                    actual_end: Set(Some(when + Duration::minutes(minutes))),
                    created_at: Set(when),
                    updated_at: Set(when),
                    ..Default::default()
                }
                .insert(&db)
                .await
                .unwrap();
            }
        }
        db.close().await.unwrap();
        let hours = row(&app, &w.a, &agreement, y, "INSTRUMENT_HOURS").await;
        assert_eq!(
            (hours["unit"].as_str(), hours["actual"].as_f64()),
            (Some("HOURS"), Some(2.5)),
            "{hours}"
        );
        assert_eq!(hours["target"], Value::Null);
        assert_eq!(hours["contributions"][0]["record"]["__typename"], "Booking");

        // A booking filed under an agreement counts for that one only: A's
        // session filed under a second A–U agreement is not this one's.
        let other = active_agreement(&app, &w).await;
        let request = "mutation($input: RequestBookingInput!) { requestBooking(input: $input) {
          booking { id agreement { id } } } }";
        let mut filed = Vec::new();
        for (day, under) in [(2, &agreement), (3, &other)] {
            let start = (Utc::now() + Duration::days(day))
                .date_naive()
                .and_hms_opt(1, 0, 0)
                .unwrap()
                .and_utc();
            let data = app
                .gql_ok(
                    Some(&w.a),
                    request,
                    json!({"input": {"instrumentId": gid("Instrument", sem),
                        "start": start.to_rfc3339(), "end": (start + Duration::hours(1)).to_rfc3339(),
                        "purpose": "协议内测试 Under the agreement", "agreementId": under}}),
                )
                .await;
            let booking = &data["requestBooking"]["booking"];
            assert_eq!(booking["agreement"]["id"], under.as_str());
            filed.push(raw_id(&text(&booking["id"])));
        }
        // B, no party, cannot file its work under the agreement.
        let res = app
            .gql(
                Some(&w.b),
                request,
                json!({"input": {"instrumentId": gid("Instrument", sem),
                    "start": (Utc::now() + Duration::days(4)).to_rfc3339(),
                    "end": (Utc::now() + Duration::days(4) + Duration::hours(1)).to_rfc3339(),
                    "purpose": "x", "agreementId": agreement}}),
            )
            .await;
        assert_code(&res, "BAD_USER_INPUT");
        // Both sessions happened in March, an hour each.
        let db = sea_orm::Database::connect(app.database_url.as_str())
            .await
            .unwrap();
        for (k, id) in filed.into_iter().enumerate() {
            use iurhub_store::entities::bookings as b;
            use sea_orm::{ActiveModelTrait, EntityTrait, Set};
            let start = when + Duration::days(k as i64 + 1);
            let mut row: b::ActiveModel = b::Entity::find_by_id(id)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .into();
            row.start_at = Set(start);
            row.end_at = Set(start + Duration::hours(1));
            row.actual_start = Set(Some(start));
            row.actual_end = Set(Some(start + Duration::hours(1)));
            row.status = Set("COMPLETED".into());
            row.update(&db).await.unwrap();
        }
        db.close().await.unwrap();
        let hours = row(&app, &w.a, &agreement, y, "INSTRUMENT_HOURS").await;
        assert_eq!(hours["actual"].as_f64(), Some(3.5), "{hours}");
        let hours = row(&app, &w.a, &other, y, "INSTRUMENT_HOURS").await;
        assert_eq!(
            hours["actual"].as_f64(),
            Some(3.5),
            "A's unfiled session counts for both: {hours}"
        );
    }
);

e2e!(
    a_target_must_fit_the_agreement_and_its_metric,
    |app| async move {
        let w = World::new(&app).await;
        let agreement = active_agreement(&app, &w).await;
        let y = this_year();
        // Every bad field at once: a year outside the term, an area the
        // agreement does not cover, a metric not counted there.
        let res = app
            .gql_in(
                Some(&w.a),
                "zh-CN",
                SET_TARGET,
                json!({"input": {"agreementId": agreement, "year": y + 5,
                    "area": "JOINT_TRAINING", "metric": "INSTRUMENT_HOURS", "target": 10}}),
            )
            .await;
        assert_code(&res, "BAD_USER_INPUT");
        let fields: Vec<(String, String)> = res["errors"][0]["extensions"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (text(&f["field"]), text(&f["key"])))
            .collect();
        assert_eq!(
            fields,
            [
                ("input.year".to_owned(), "plan.year.outside_term".to_owned()),
                ("input.area".to_owned(), "plan.area.not_covered".to_owned()),
                (
                    "input.metric".to_owned(),
                    "plan.metric.wrong_area".to_owned()
                ),
            ],
            "{res}"
        );
        assert!(has_chinese(&common::error_message(&res)), "{res}");
        let res = set_target(
            &app,
            &w.a,
            &agreement,
            y,
            "TESTING_CENTER",
            "NEEDS_DOCKED",
            1,
        )
        .await;
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"],
            "input.metric"
        );
        let res = set_target(
            &app,
            &w.a,
            &agreement,
            y,
            "TESTING_CENTER",
            "INSTRUMENT_HOURS",
            -1,
        )
        .await;
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["key"],
            "value.negative"
        );

        // Setting the same target again changes it (one per year, area and
        // metric); a stale version is a CONFLICT.
        let first = set_target(
            &app,
            &w.a,
            &agreement,
            y,
            "TESTING_CENTER",
            "INSTRUMENT_HOURS",
            300,
        )
        .await;
        let target = &first["data"]["setPlanTarget"]["target"];
        let again = app
            .gql_ok(
                Some(&w.u),
                SET_TARGET,
                json!({"input": {"agreementId": agreement, "year": y, "area": "TESTING_CENTER",
                    "metric": "INSTRUMENT_HOURS", "target": 400, "note": "含校外服务", "version": 1}}),
            )
            .await;
        let changed = &again["setPlanTarget"]["target"];
        assert_eq!(changed["id"], target["id"]);
        assert_eq!(
            (changed["target"].as_i64(), changed["version"].as_i64()),
            (Some(400), Some(2))
        );
        let res = app
            .gql(
                Some(&w.u),
                SET_TARGET,
                json!({"input": {"agreementId": agreement, "year": y, "area": "TESTING_CENTER",
                    "metric": "INSTRUMENT_HOURS", "target": 500, "version": 1}}),
            )
            .await;
        assert_code(&res, "CONFLICT");
        let data = app
            .gql_ok(
                Some(&w.a),
                "query($id: ID!, $y: Int!) { agreement(id: $id) { plans { year targets { id target } } plan(year: $y) { targets { id } } } }",
                json!({"id": agreement, "y": y}),
            )
            .await;
        assert_eq!(data["agreement"]["plans"][0]["year"], y);
        assert_eq!(data["agreement"]["plans"][0]["targets"][0]["target"], 400);
        assert_eq!(
            data["agreement"]["plan"]["targets"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        // The target is a node; removing it leaves the plan without it.
        let id = text(&target["id"]);
        let data = app
            .gql_ok(
                Some(&w.u),
                "query($id: ID!) { node(id: $id) { ... on PlanTarget { metric } } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(data["node"]["metric"], "INSTRUMENT_HOURS");
        app.gql_ok(
            Some(&w.a),
            "mutation($id: ID!) { removePlanTarget(input: {id: $id}) { removedId } }",
            json!({"id": id}),
        )
        .await;
        let res = app
            .gql(
                Some(&w.u),
                "query($id: ID!) { node(id: $id) { id } }",
                json!({"id": id}),
            )
            .await;
        assert_code(&res, "NOT_FOUND");
    }
);

e2e!(work_items_have_a_life_cycle, |app| async move {
    let w = World::new(&app).await;
    let agreement = active_agreement(&app, &w).await;
    let y = this_year();
    let data = app
        .gql_ok(
            Some(&w.u),
            WORK_ITEM,
            json!({"input": {"agreementId": agreement, "year": y, "area": "TESTING_CENTER",
                    "title": "发布共享仪器目录 Publish the shared catalogue",
                    "dueDate": format!("{y}-06-30"), "responsibleOrganizationId": w.org_u}}),
        )
        .await;
    let item = &data["addPlanWorkItem"]["workItem"];
    assert_eq!(item["status"], "PLANNED");
    assert_eq!(item["responsibleOrganization"]["id"], w.org_u.as_str());
    let id = text(&item["id"]);
    // Only a party may be responsible.
    let res = app
        .gql(
            Some(&w.u),
            WORK_ITEM,
            json!({"input": {"agreementId": agreement, "year": y, "area": "TESTING_CENTER",
                    "title": "x", "responsibleOrganizationId": w.org_b}}),
        )
        .await;
    assert_eq!(
        res["errors"][0]["extensions"]["fields"][0]["field"], "input.responsibleOrganizationId",
        "{res}"
    );
    let data = app
        .gql_ok(
            Some(&w.a),
            UPDATE_WORK_ITEM,
            json!({"input": {"id": id, "version": 1, "status": "DONE"}}),
        )
        .await;
    let done = &data["updatePlanWorkItem"]["workItem"];
    assert_eq!(done["status"], "DONE");
    assert!(done["doneAt"].is_string(), "{done}");
    let res = app
        .gql(
            Some(&w.a),
            UPDATE_WORK_ITEM,
            json!({"input": {"id": id, "version": 1, "title": "stale"}}),
        )
        .await;
    assert_code(&res, "CONFLICT");
    let res = app
        .gql(
            Some(&w.a),
            UPDATE_WORK_ITEM,
            json!({"input": {"id": id, "status": "DROPPED"}}),
        )
        .await;
    assert_code(&res, "BAD_USER_INPUT");
    let data = app
        .gql_ok(
            Some(&w.a),
            UPDATE_WORK_ITEM,
            json!({"input": {"id": id, "status": "PLANNED"}}),
        )
        .await;
    assert_eq!(
        data["updatePlanWorkItem"]["workItem"]["doneAt"],
        Value::Null
    );
    let data = app
            .gql_ok(
                Some(&w.a),
                "query($id: ID!, $y: Int!) { agreement(id: $id) { plan(year: $y) { workItems { id overdue } } } }",
                json!({"id": agreement, "y": y}),
            )
            .await;
    assert_eq!(data["agreement"]["plan"]["workItems"][0]["id"], id.as_str());
    app.gql_ok(
            Some(&w.u),
            "mutation($id: ID!) { deletePlanWorkItem(input: {id: $id}) { deletedId agreement { id } } }",
            json!({"id": id}),
        )
        .await;
    let data = app
        .gql_ok(
            Some(&w.a),
            "query($id: ID!) { agreement(id: $id) { plans { year } } }",
            json!({"id": agreement}),
        )
        .await;
    assert_eq!(data["agreement"]["plans"], json!([]));
});

e2e!(a_plan_is_its_parties_to_read_and_change, |app| async move {
    let w = World::new(&app).await;
    let agreement = active_agreement(&app, &w).await;
    let y = this_year();
    let res = set_target(
        &app,
        &w.a,
        &agreement,
        y,
        "TESTING_CENTER",
        "INSTRUMENT_HOURS",
        100,
    )
    .await;
    let target = text(&res["data"]["setPlanTarget"]["target"]["id"]);
    // Enterprise B is no party: the agreement, its plan and its targets
    // do not exist for it.
    let res = set_target(
        &app,
        &w.b,
        &agreement,
        y,
        "TESTING_CENTER",
        "INSTRUMENT_HOURS",
        1,
    )
    .await;
    assert_code(&res, "NOT_FOUND");
    let res = app
        .gql(Some(&w.b), PROGRESS, json!({"id": agreement, "year": y}))
        .await;
    assert_code(&res, "NOT_FOUND");
    assert_eq!(res["data"]["agreement"], Value::Null);
    let res = app
        .gql(
            Some(&w.b),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": target}),
        )
        .await;
    assert_code(&res, "NOT_FOUND");
    let res = app
        .gql(
            Some(&w.b),
            "mutation($id: ID!) { removePlanTarget(input: {id: $id}) { removedId } }",
            json!({"id": target}),
        )
        .await;
    assert_code(&res, "NOT_FOUND");
    // A supervisor of A reads the plan and changes nothing.
    let sup = app.user("sup@service-center.test").await;
    let res = app
            .gql(
                Some(&w.admin),
                "mutation($input: GrantRoleInput!) { grantRole(input: $input) { roleGrant { id } } }",
                json!({"input": {"organizationId": w.org_a, "email": "sup@service-center.test", "role": "SUPERVISOR"}}),
            )
            .await;
    assert!(res.get("errors").is_none(), "{res}");
    let hours = row(&app, &sup, &agreement, y, "INSTRUMENT_HOURS").await;
    assert_eq!(hours["target"], 100);
    let res = set_target(
        &app,
        &sup,
        &agreement,
        y,
        "TESTING_CENTER",
        "INSTRUMENT_HOURS",
        1,
    )
    .await;
    assert_code(&res, "FORBIDDEN");
    // A terminated agreement's plan is closed.
    let boss = app.user("boss@enterprise-a.test").await;
    add_member(
        &app,
        &w.admin,
        &w.org_a,
        "boss@enterprise-a.test",
        "ORG_ADMIN",
    )
    .await;
    app.gql_ok(
            Some(&boss),
            "mutation($id: ID!) { terminateAgreement(input: {id: $id, reason: \"合并 merged\"}) { agreement { status } } }",
            json!({"id": agreement}),
        )
        .await;
    let res = set_target(
        &app,
        &w.a,
        &agreement,
        y,
        "TESTING_CENTER",
        "INSTRUMENT_HOURS",
        1,
    )
    .await;
    assert_code(&res, "CONFLICT");
    assert_eq!(
        res["errors"][0]["extensions"]["key"],
        "plan.agreement.closed"
    );
    // Its progress stays readable.
    let hours = row(&app, &w.a, &agreement, y, "INSTRUMENT_HOURS").await;
    assert_eq!(hours["target"], 100);
});

e2e!(
    activities_count_toward_the_metrics_of_their_areas,
    |app| async move {
        let w = World::new(&app).await;
        let y = this_year();
        let data = app
            .gql_ok(
                Some(&w.a),
                AGREEMENT,
                json!({"input": {
                    "title": "人才与党建合作协议 Talent and party-building cooperation",
                    "termStart": format!("{}-01-01", y - 1), "termEnd": format!("{}-12-31", y + 1),
                    "areas": ["TALENT_SHARING", "JOINT_TRAINING", "VOCATIONAL_EDUCATION", "ORGANIZATION_PAIRING"],
                    "partyOrganizationIds": [w.org_a, w.org_u]}}),
            )
            .await;
        let agreement = text(&data["createAgreement"]["agreement"]["id"]);
        let create = "mutation($input: CreateActivityInput!) { createActivity(input: $input) { activity { id } } }";
        let activity = |kind: &str, start: String, people: Value| {
            json!({"input": {"kind": kind, "title": format!("{kind} 活动"), "startDate": start,
                "hostOrganizationId": w.org_u, "organizationIds": [w.org_a],
                "agreementId": agreement, "participants": people}})
        };
        let mut ids = Vec::new();
        for (kind, people) in [
            (
                "EXPERT_CONSULTATION",
                json!([{"role": "EXPERT", "name": "张教授", "hours": 6},
                       {"role": "EXPERT", "name": "李工", "hours": 4},
                       {"role": "PARTICIPANT", "name": "王主任", "hours": 9}]),
            ),
            (
                "INTERNSHIP",
                json!([{"role": "TRAINEE", "name": "学生甲"}, {"role": "TRAINEE", "name": "学生乙"},
                       {"role": "SUPERVISOR", "name": "导师", "hours": 20}]),
            ),
            ("VOCATIONAL_COURSE", json!([])),
            ("JOINT_PARTY_ACTIVITY", json!([])),
        ] {
            let data = app
                .gql_ok(
                    Some(&w.u),
                    create,
                    activity(kind, format!("{y}-01-15"), people),
                )
                .await;
            let id = text(&data["createActivity"]["activity"]["id"]);
            // Under way: it counts from its start (a planned one has not
            // happened yet).
            app.gql_ok(
                Some(&w.u),
                "mutation($input: ActivityStepInput!) { startActivity(input: $input) { activity { status } } }",
                json!({"input": {"id": id}}),
            )
            .await;
            ids.push(id);
        }
        // Last year's course does not count this year, nor does a course
        // only planned.
        for start in [format!("{}-03-01", y - 1), format!("{y}-02-01")] {
            let data = app
                .gql_ok(
                    Some(&w.u),
                    create,
                    activity("VOCATIONAL_COURSE", start.clone(), json!([])),
                )
                .await;
            if start.starts_with(&(y - 1).to_string()) {
                app.gql_ok(
                    Some(&w.u),
                    "mutation($input: ActivityStepInput!) { startActivity(input: $input) { activity { status } } }",
                    json!({"input": {"id": data["createActivity"]["activity"]["id"]}}),
                )
                .await;
            }
        }
        let progress = app
            .gql_ok(Some(&w.a), PROGRESS, json!({"id": agreement, "year": y}))
            .await;
        let actual = |metric: &str| {
            progress["agreement"]["progress"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["metric"] == metric)
                .map(|r| r["actual"].as_f64().unwrap())
                .unwrap_or(0.0)
        };
        assert_eq!(actual("EXPERTS_EXCHANGED"), 2.0, "{progress}");
        assert_eq!(actual("EXPERT_HOURS"), 10.0);
        assert_eq!(actual("TRAINEES_PLACED"), 2.0);
        assert_eq!(actual("COURSES_RUN"), 1.0);
        assert_eq!(actual("PAIRING_ACTIVITIES"), 1.0);
        let held = progress["agreement"]["progress"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["metric"] == "ACTIVITIES_HELD" && r["area"] == "TALENT_SHARING")
            .unwrap();
        assert_eq!(held["contributions"][0]["record"]["__typename"], "Activity");
        assert_eq!(held["contributions"][0]["record"]["id"], ids[0].as_str());
        // A cancelled activity no longer counts.
        app.gql_ok(
            Some(&w.u),
            "mutation($input: CancelActivityInput!) { cancelActivity(input: $input) { activity { status } } }",
            json!({"input": {"id": ids[0], "reason": "专家行程冲突 The experts could not come"}}),
        )
        .await;
        let progress = app
            .gql_ok(Some(&w.a), PROGRESS, json!({"id": agreement, "year": y}))
            .await;
        let exchanged = progress["agreement"]["progress"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["metric"] == "EXPERTS_EXCHANGED");
        assert!(exchanged.is_none(), "no target and no record: {progress}");
    }
);
