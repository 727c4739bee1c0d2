//! Concurrent writers: many users of different organisations writing at
//! once get an answer or a CONFLICT, never a 5xx; nothing an accepted write
//! did is lost; one project per match however many ask at once.

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};

use crate::common::{self, TestApp};
use crate::fixtures::{CREATE_NEED, World, add_member, create_org};
use crate::projects::bearing_match;

/// Sends `(token, query, variables)` all at once; (HTTP status, body) of each.
pub(crate) async fn all_at_once(
    app: &TestApp,
    requests: Vec<(String, String, Value)>,
) -> Vec<(u16, Value)> {
    let sends = requests
        .into_iter()
        .map(|(token, query, variables)| async move {
            let res = app
                .post_json(
                    "/graphql",
                    json!({"query": query, "variables": variables}),
                    Some(&token),
                )
                .await;
            let status = res.status().as_u16();
            let body = res.text().await.unwrap_or_default();
            let body = serde_json::from_str(&body).unwrap_or(Value::String(body));
            (status, body)
        });
    futures::future::join_all(sends).await
}

/// Whether a response is an answer (no error at all).
fn ok(body: &Value) -> bool {
    body.get("errors").is_none() && body.get("data").is_some_and(|d| !d.is_null())
}

/// Every response is 200 and either an answer or a CONFLICT.
fn assert_answered_or_conflict(results: &[(u16, Value)]) {
    for (status, body) in results {
        assert_eq!(*status, 200, "no 5xx: {body}");
        assert!(
            ok(body) || common::error_code(body).as_deref() == Some("CONFLICT"),
            "an answer or a CONFLICT, nothing else: {body}"
        );
    }
}

const CREATE_PROJECT: &str = "mutation($input: CreateProjectInput!) {
  createProject(input: $input) { project { id version } } }";

const ADD_ITEM: &str = "mutation($input: AddChecklistItemInput!) {
  addChecklistItem(input: $input) { item { id version } } }";

const COMPLETE_ITEM: &str = "mutation($id: ID!, $version: Int) {
  completeChecklistItem(input: {id: $id, version: $version}) { item { id status version } } }";

const UPDATE_PROJECT: &str = "mutation($input: UpdateProjectInput!) {
  updateProject(input: $input) { project { id title version } } }";

const ADD_MILESTONE: &str = "mutation($input: AddMilestoneInput!) {
  addMilestone(input: $input) { milestone { id } } }";

const UPDATE_NEED: &str = "mutation($input: UpdateNeedInput!) {
  updateNeed(input: $input) { need { id title version } } }";

const CREATE_INSTRUMENT: &str = "mutation($input: CreateInstrumentInput!) {
  createInstrument(input: $input) { instrument { id } } }";

const REQUEST_BOOKING: &str = "mutation($input: RequestBookingInput!) {
  requestBooking(input: $input) { booking { id status } } }";

const PROJECT: &str = "query($id: ID!) { project(id: $id) { title version
  progress { done total percent } checklist { id status position }
  milestones { id } events(first: 100) { totalCount } } }";

/// A whole hour `days` days from now, in UTC.
fn at(days: i64, hour: u32) -> DateTime<Utc> {
    let d = (Utc::now() + Duration::days(days)).date_naive();
    Utc.from_utc_datetime(&d.and_hms_opt(hour, 0, 0).unwrap())
}

fn need_input(org: &str, title: &str) -> Value {
    json!({"input": {"organizationId": org, "title": title,
        "description": "振动数据 vibration data", "keywords": ["bearing"],
        "disciplineCodes": ["460"], "industryCodes": ["C34"], "trlRequired": 5,
        "budgetMin": 100000, "budgetMax": 300000, "deadline": "2027-06-30",
        "cooperationModes": ["JOINT_RESEARCH"], "visibility": "PUBLIC"}})
}

async fn create_need(app: &TestApp, token: &str, org: &str, title: &str) -> String {
    let data = app
        .gql_ok(Some(token), CREATE_NEED, need_input(org, title))
        .await;
    crate::common::text(&data["createNeed"]["need"]["id"])
}

async fn needs_of(app: &TestApp, token: &str, org: &str) -> Vec<Value> {
    let data = app
        .gql_ok(
            Some(token),
            "query($o: ID!) { needs(first: 100, filter: {organizationId: $o}) { edges { node { id title version } } } }",
            json!({"o": org}),
        )
        .await;
    data["needs"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

e2e!(
    fifty_concurrent_writers_of_every_kind_succeed_or_conflict,
    |app| async move {
        let w = World::new(&app).await;
        let center = create_org(&app, &w.admin, "检测中心 Testing Center", "INSTITUTE", None).await;
        let staff = app.user("staff@center.test").await;
        let res = add_member(&app, &w.admin, &center, "staff@center.test", "ORG_ADMIN").await;
        assert!(res.get("errors").is_none(), "{res}");
        let data = app
            .gql_ok(
                Some(&staff),
                CREATE_INSTRUMENT,
                json!({"input": {"organizationId": center, "name": "疲劳试验机 fatigue tester",
                    "model": "X", "category": "Mechanics", "location": "B 楼 101",
                    "rateInternal": "100", "rateExternal": "300",
                    "requiresQualification": false}}),
            )
            .await;
        let press = crate::common::text(&data["createInstrument"]["instrument"]["id"]);

        // Enterprise A's project with the university, with eight open items.
        let data = app
            .gql_ok(
                Some(&w.a),
                CREATE_PROJECT,
                json!({"input": {"title": "联合研发 joint research", "area": "JOINT_RESEARCH_PLATFORM",
                    "partyOrganizationIds": [w.org_a, w.org_u]}}),
            )
            .await;
        let p1 = crate::common::text(&data["createProject"]["project"]["id"]);
        let mut open_items = Vec::new();
        for i in 0..8 {
            let data = app
                .gql_ok(
                    Some(&w.a),
                    ADD_ITEM,
                    json!({"input": {"projectId": p1, "title": format!("prepared {i}")}}),
                )
                .await;
            let item = &data["addChecklistItem"]["item"];
            open_items.push((
                crate::common::text(&item["id"]),
                item["version"].as_i64().unwrap(),
            ));
        }
        // Enterprise B's project with the university.
        let data = app
            .gql_ok(
                Some(&w.b),
                CREATE_PROJECT,
                json!({"input": {"title": "联合培养 joint training", "area": "JOINT_TRAINING",
                    "partyOrganizationIds": [w.org_b, w.org_u]}}),
            )
            .await;
        let p2 = crate::common::text(&data["createProject"]["project"]["id"]);
        let p2_version = data["createProject"]["project"]["version"]
            .as_i64()
            .unwrap();
        // One need of each enterprise, edited by three writers at once each.
        let need_a = create_need(&app, &w.a, &w.org_a, "need of A").await;
        let need_b = create_need(&app, &w.b, &w.org_b, "need of B").await;

        let mut requests: Vec<(String, String, Value)> = Vec::new();
        // 12 new items on project 1, by both parties.
        for i in 0..12 {
            let token = if i % 2 == 0 { &w.a } else { &w.u };
            requests.push((
                token.clone(),
                ADD_ITEM.into(),
                json!({"input": {"projectId": p1, "title": format!("concurrent {i}")}}),
            ));
        }
        // The 8 prepared items completed.
        for (id, version) in &open_items {
            requests.push((
                w.u.clone(),
                COMPLETE_ITEM.into(),
                json!({"id": id, "version": version}),
            ));
        }
        // 6 milestones on project 1.
        for i in 0..6 {
            requests.push((
                w.a.clone(),
                ADD_MILESTONE.into(),
                json!({"input": {"projectId": p1, "title": format!("milestone {i}")}}),
            ));
        }
        // 6 edits of project 2 from the same version: one wins.
        for i in 0..6 {
            let token = if i % 2 == 0 { &w.b } else { &w.u };
            requests.push((
                token.clone(),
                UPDATE_PROJECT.into(),
                json!({"input": {"id": p2, "title": format!("renamed {i}"), "version": p2_version}}),
            ));
        }
        // 6 new needs, of both enterprises.
        for i in 0..6 {
            let (token, org) = if i % 2 == 0 {
                (&w.a, &w.org_a)
            } else {
                (&w.b, &w.org_b)
            };
            requests.push((
                token.clone(),
                CREATE_NEED.into(),
                need_input(org, &format!("concurrent need {i}")),
            ));
        }
        // 3 edits of each enterprise's need from version 1: one wins each.
        for i in 0..6 {
            let (token, id) = if i % 2 == 0 {
                (&w.a, &need_a)
            } else {
                (&w.b, &need_b)
            };
            requests.push((
                token.clone(),
                UPDATE_NEED.into(),
                json!({"input": {"id": id, "title": format!("edited {i}"), "version": 1}}),
            ));
        }
        // 6 bookings of distinct slots, by users of three organisations.
        for i in 0..6u32 {
            let token = [&w.a, &w.b, &w.u][i as usize % 3];
            requests.push((
                token.clone(),
                REQUEST_BOOKING.into(),
                json!({"input": {"instrumentId": press, "start": at(3, 8 + i).to_rfc3339(),
                    "end": at(3, 9 + i).to_rfc3339(), "purpose": format!("run {i}")}}),
            ));
        }
        assert_eq!(requests.len(), 50);
        let results = all_at_once(&app, requests).await;
        assert_answered_or_conflict(&results);
        let by_field = |field: &str| -> Vec<&Value> {
            results
                .iter()
                .filter(|(_, body)| ok(body) && !body["data"][field].is_null())
                .map(|(_, body)| &body["data"][field])
                .collect()
        };
        // Writes that cannot clash all went through.
        assert_eq!(by_field("addChecklistItem").len(), 12, "{results:?}");
        assert_eq!(by_field("completeChecklistItem").len(), 8, "{results:?}");
        assert_eq!(by_field("addMilestone").len(), 6, "{results:?}");
        assert_eq!(by_field("createNeed").len(), 6, "{results:?}");
        assert_eq!(by_field("requestBooking").len(), 6, "{results:?}");
        // Edits from one version: exactly one each, the others CONFLICT.
        let renamed = by_field("updateProject");
        assert_eq!(renamed.len(), 1, "{results:?}");
        let edited = by_field("updateNeed");
        assert_eq!(edited.len(), 2, "one per need: {results:?}");
        let conflicts = results
            .iter()
            .filter(|(_, body)| common::error_code(body).as_deref() == Some("CONFLICT"))
            .count();
        assert_eq!(conflicts, 5 + 4, "{results:?}");

        // Nothing an accepted write did is lost.
        let data = app.gql_ok(Some(&w.a), PROJECT, json!({"id": p1})).await;
        let p = &data["project"];
        let checklist = p["checklist"].as_array().unwrap();
        assert_eq!(checklist.len(), 20, "{p}");
        let done = checklist.iter().filter(|i| i["status"] == "DONE").count();
        assert_eq!(done, 8, "{p}");
        assert_eq!(
            p["progress"],
            json!({"done": 8, "total": 20, "percent": 40}),
            "the kept counts agree with the checklist"
        );
        let mut positions: Vec<i64> = checklist
            .iter()
            .map(|i| i["position"].as_i64().unwrap())
            .collect();
        positions.sort_unstable();
        assert_eq!(positions, (0..20).collect::<Vec<_>>(), "one place each");
        assert_eq!(p["milestones"].as_array().unwrap().len(), 6, "{p}");
        // Created, 8 + 12 items added, 8 completed, 6 milestones.
        assert_eq!(p["events"]["totalCount"], 1 + 20 + 8 + 6, "{p}");

        let data = app.gql_ok(Some(&w.b), PROJECT, json!({"id": p2})).await;
        assert_eq!(data["project"]["title"], renamed[0]["project"]["title"]);
        assert_eq!(data["project"]["version"], p2_version + 1);

        for (token, org, id) in [(&w.a, &w.org_a, &need_a), (&w.b, &w.org_b, &need_b)] {
            let needs = needs_of(&app, token, org).await;
            assert_eq!(needs.len(), 4, "the need, three new ones: {needs:?}");
            let need = needs.iter().find(|n| n["id"] == **id).unwrap();
            let winner = edited
                .iter()
                .find(|e| e["need"]["id"] == **id)
                .expect("one edit of each need won");
            assert_eq!(need["title"], winner["need"]["title"]);
            assert_eq!(need["version"], 2);
        }

        let data = app
            .gql_ok(
                Some(&staff),
                "query($i: ID!) { bookings(first: 100, filter: {instrumentId: $i}) { totalCount } }",
                json!({"i": press}),
            )
            .await;
        assert_eq!(data["bookings"]["totalCount"], 6);
    }
);

e2e!(
    twenty_concurrent_projects_from_one_match_make_one,
    |app| async move {
        let w = World::new(&app).await;
        let (_, _, m) = bearing_match(&app, &w).await;
        crate::fixtures::accept_both(&app, &w.a, &w.u, &m).await;
        let from_match = "mutation($m: ID!, $t: String) {
          createProjectFromMatch(input: {matchId: $m, title: $t}) { project { id match { id } } } }";
        let requests = (0..20)
            .map(|i| {
                (
                    w.a.clone(),
                    from_match.to_owned(),
                    json!({"m": m, "t": format!("attempt {i}")}),
                )
            })
            .collect();
        let results = all_at_once(&app, requests).await;
        assert_answered_or_conflict(&results);
        let made: Vec<&Value> = results
            .iter()
            .filter(|(_, body)| ok(body))
            .map(|(_, body)| &body["data"]["createProjectFromMatch"]["project"])
            .collect();
        assert_eq!(made.len(), 1, "exactly one project: {results:?}");
        for (_, body) in results.iter().filter(|(_, body)| !ok(body)) {
            assert_eq!(
                body["errors"][0]["extensions"]["fields"][0]["field"], "input.matchId",
                "{body}"
            );
            assert_eq!(
                body["errors"][0]["message"], "this match already has a project",
                "{body}"
            );
        }

        let data = app
            .gql_ok(
                Some(&w.a),
                "{ projects(first: 100) { edges { node { id match { id } } } } }",
                json!({}),
            )
            .await;
        let of_match: Vec<&Value> = data["projects"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["node"]["match"]["id"] == m)
            .collect();
        assert_eq!(of_match.len(), 1, "{data}");
        assert_eq!(of_match[0]["node"]["id"], made[0]["id"]);
    }
);

e2e!(
    an_edit_racing_a_retire_never_brings_the_instrument_back,
    |app| async move {
        let w = World::new(&app).await;
        let center = create_org(&app, &w.admin, "检测中心 Testing Center", "INSTITUTE", None).await;
        let staff = app.user("staff@center.test").await;
        let res = add_member(&app, &w.admin, &center, "staff@center.test", "ORG_ADMIN").await;
        assert!(res.get("errors").is_none(), "{res}");
        // Several rounds: the old write (filtered on the id alone) lost the
        // race only now and then.
        for round in 0..6 {
            let data = app
                .gql_ok(
                    Some(&staff),
                    CREATE_INSTRUMENT,
                    json!({"input": {"organizationId": center, "name": format!("拉力机 {round}"),
                        "model": "X", "category": "Mechanics", "location": "B 楼 101",
                        "rateInternal": "100", "rateExternal": "300",
                        "requiresQualification": false}}),
                )
                .await;
            let id = crate::common::text(&data["createInstrument"]["instrument"]["id"]);
            let mut requests: Vec<(String, String, Value)> = (0..12)
                .map(|n| {
                    (
                        staff.clone(),
                        "mutation($input: UpdateInstrumentInput!) { updateInstrument(input: $input) { instrument { id } } }".to_owned(),
                        json!({"input": {"id": id, "location": format!("C 楼 {n}"), "status": "AVAILABLE"}}),
                    )
                })
                .collect();
            requests.insert(
                6,
                (
                    staff.clone(),
                    "mutation($id: ID!) { retireInstrument(input: {id: $id}) { instrument { status } } }"
                        .to_owned(),
                    json!({"id": id}),
                ),
            );
            let results = all_at_once(&app, requests).await;
            for (status, body) in &results {
                assert_eq!(*status, 200, "{body}");
                let code = common::error_code(body);
                assert!(
                    ok(body) || matches!(code.as_deref(), Some("CONFLICT" | "BAD_USER_INPUT")),
                    "{body}"
                );
            }
            assert!(
                ok(&results[6].1),
                "the retire went through: {}",
                results[6].1
            );
            let data = app
                .gql_ok(
                    Some(&staff),
                    "query($id: ID!) { instrument(id: $id) { status } }",
                    json!({"id": id}),
                )
                .await;
            assert_eq!(data["instrument"]["status"], "RETIRED", "round {round}");
        }
    }
);
