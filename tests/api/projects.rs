//! Cooperation projects: from an accepted match to a completed project, the
//! checklist, the event log, the list and its CSV export, the dashboard and
//! the project subscriptions.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{self, TestApp};
use crate::fixtures::{World, me};
use crate::matching::{capability, need};
use crate::subscriptions::Ws;

const PROJECT_FIELDS: &str = "id title area status version startDate endDate terminationReason
  parties { id } need { id status } capability { id } match { id status }
  progress { done total percent } overdueItems viewerCanEdit
  checklist { id title status note position version overdue dueDate owner { id } milestone { id title } }
  milestones { id title dueDate items { id } }";

fn project_query() -> String {
    format!("query($id: ID!) {{ project(id: $id) {{ {PROJECT_FIELDS} }} }}")
}

fn project_mutation(name: &str, args: &str, params: &str) -> String {
    // Every mutation takes one input object: loose fields go into it.
    let args = if args.starts_with("input:") {
        args.to_owned()
    } else {
        format!("input: {{{args}}}")
    };
    format!("mutation({params}) {{ {name}({args}) {{ project {{ {PROJECT_FIELDS} }} }} }}")
}

pub(crate) async fn match_id(
    app: &TestApp,
    token: &str,
    need_id: &str,
    capability_id: &str,
) -> String {
    let data = app
        .gql_ok(
            Some(token),
            "query($id: ID!) { need(id: $id) { matches(first: 50) { edges { node { id capability { id } } } } } }",
            json!({"id": need_id}),
        )
        .await;
    data["need"]["matches"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["capability"]["id"] == capability_id)
        .map(|e| crate::common::text(&e["node"]["id"]))
        .expect("the capability is among the need's matches")
}

/// The bearing-diagnosis need of A and capability of U, both published, and
/// the match between them: `(need, capability, match)`.
pub(crate) async fn bearing_match(app: &TestApp, w: &World) -> (String, String, String) {
    let need_id = need(
        app,
        w,
        "轴承故障诊断 Bearing fault diagnosis",
        "振动信号 早期预警",
        &["轴承", "fault diagnosis"],
        "PUBLIC",
    )
    .await;
    let cap_id = capability(
        app,
        w,
        "Bearing fault diagnosis 轴承故障诊断",
        "振动信号 fault diagnosis",
        &["轴承", "fault diagnosis"],
        &["460"],
        5,
    )
    .await;
    let m = match_id(app, &w.a, &need_id, &cap_id).await;
    (need_id, cap_id, m)
}

async fn create_project(app: &TestApp, token: &str, input: Value) -> Value {
    let data = app
        .gql_ok(
            Some(token),
            &project_mutation(
                "createProject",
                "input: $input",
                "$input: CreateProjectInput!",
            ),
            json!({"input": input}),
        )
        .await;
    data["createProject"]["project"].clone()
}

async fn add_item(app: &TestApp, token: &str, input: Value) -> Value {
    app.gql(
        Some(token),
        "mutation($input: AddChecklistItemInput!) { addChecklistItem(input: $input) {
          item { id title status version overdue owner { id } }
          project { progress { done total percent } overdueItems } } }",
        json!({"input": input}),
    )
    .await
}

const ITEM_OP: &str =
    "mutation($id: ID!, $version: Int) { OP(input: {id: $id, version: $version}) {
  item { id status version note } project { progress { done total percent } } } }";

async fn item_op(app: &TestApp, token: &str, op: &str, id: &str, version: Option<i64>) -> Value {
    app.gql(
        Some(token),
        &ITEM_OP.replace("OP", op),
        json!({"id": id, "version": version}),
    )
    .await
}

e2e!(
    project_from_an_accepted_match_and_its_life_cycle,
    |app| async move {
        let w = World::new(&app).await;
        let (need_id, cap_id, m) = bearing_match(&app, &w).await;
        let from_match = project_mutation(
            "createProjectFromMatch",
            "matchId: $m, area: JOINT_RESEARCH_PLATFORM, endDate: \"2027-06-30\"",
            "$m: ID!",
        );

        // Only an accepted match becomes a project.
        app.gql_err(Some(&w.a), &from_match, json!({"m": m}), "BAD_USER_INPUT")
            .await;
        crate::fixtures::accept_both(&app, &w.a, &w.u, &m).await;
        // Someone who does not decide on the need's matches cannot start it.
        app.gql_err(Some(&w.b), &from_match, json!({"m": m}), "FORBIDDEN")
            .await;

        let data = app.gql_ok(Some(&w.a), &from_match, json!({"m": m})).await;
        let p = &data["createProjectFromMatch"]["project"];
        let id = crate::common::text(&p["id"]);
        assert_eq!(p["status"], "PROPOSED");
        assert_eq!(p["area"], "JOINT_RESEARCH_PLATFORM");
        assert_eq!(p["title"], "轴承故障诊断 Bearing fault diagnosis");
        assert_eq!(p["need"]["id"], need_id);
        assert_eq!(p["capability"]["id"], cap_id);
        assert_eq!(p["match"]["id"], m);
        assert_eq!(p["match"]["status"], "ACCEPTED");
        assert_eq!(p["endDate"], "2027-06-30");
        let mut parties: Vec<&str> = p["parties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap())
            .collect();
        parties.sort_unstable();
        let mut expected = vec![w.org_a.as_str(), w.org_u.as_str()];
        expected.sort_unstable();
        assert_eq!(
            parties, expected,
            "the need's and the capability's organisations"
        );

        let res = app.gql(Some(&w.a), &from_match, json!({"m": m})).await;
        assert_eq!(
            common::error_code(&res).as_deref(),
            Some("CONFLICT"),
            "one project per match: {res}"
        );

        // Parties see it; a competitor does not learn it exists.
        app.gql_ok(Some(&w.u), &project_query(), json!({"id": id}))
            .await;
        app.gql_err(Some(&w.b), &project_query(), json!({"id": id}), "NOT_FOUND")
            .await;
        app.gql_err(
            Some(&w.b),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": id}),
            "NOT_FOUND",
        )
        .await;

        let status =
            |name: &str| project_mutation(name, "id: $id, version: $v", "$id: ID!, $v: Int");
        // Illegal transitions are coded errors.
        app.gql_err(
            Some(&w.a),
            &status("completeProject"),
            json!({"id": id}),
            "BAD_USER_INPUT",
        )
        .await;
        // U, invited, accepts; then a stale version is a conflict.
        crate::project_consent::accept_all(&app, &id, &[&w.u]).await;
        app.gql_err(
            Some(&w.u),
            &status("agreeProject"),
            json!({"id": id, "v": 99}),
            "CONFLICT",
        )
        .await;
        app.gql_err(
            Some(&w.b),
            &status("agreeProject"),
            json!({"id": id}),
            "NOT_FOUND",
        )
        .await;

        // Each party confirms; the last confirmation agrees.
        let data = app
            .gql_ok(
                Some(&w.u),
                &status("agreeProject"),
                json!({"id": id, "v": 1}),
            )
            .await;
        assert_eq!(data["agreeProject"]["project"]["status"], "PROPOSED");
        let data = app
            .gql_ok(
                Some(&w.a),
                &status("agreeProject"),
                json!({"id": id, "v": 1}),
            )
            .await;
        assert_eq!(data["agreeProject"]["project"]["status"], "AGREED");
        let data = app
            .gql_ok(Some(&w.a), &status("startProject"), json!({"id": id}))
            .await;
        let p = &data["startProject"]["project"];
        assert_eq!(p["status"], "IN_PROGRESS");
        assert_eq!(
            p["need"]["status"], "IN_COOPERATION",
            "the need follows its project"
        );

        let data = app
            .gql_ok(Some(&w.a), &status("completeProject"), json!({"id": id}))
            .await;
        assert_eq!(data["completeProject"]["project"]["status"], "IN_PROGRESS");
        let data = app
            .gql_ok(Some(&w.u), &status("completeProject"), json!({"id": id}))
            .await;
        let p = &data["completeProject"]["project"];
        assert_eq!(p["status"], "COMPLETED");
        assert_eq!(p["need"]["status"], "PUBLISHED", "and returns when it ends");
        let res = app
            .gql(
                Some(&w.a),
                &project_mutation(
                    "updateProject",
                    "input: $input",
                    "$input: UpdateProjectInput!",
                ),
                json!({"input": {"id": id, "title": "late edit"}}),
            )
            .await;
        assert_eq!(
            common::error_code(&res).as_deref(),
            Some("BAD_USER_INPUT"),
            "a completed project is closed: {res}"
        );

        // Terminating needs a reason.
        let other = create_project(
            &app,
            &w.a,
            json!({"title": "试制", "area": "OTHER", "partyOrganizationIds": [w.org_a]}),
        )
        .await;
        let terminate = project_mutation(
            "terminateProject",
            "id: $id, reason: $reason",
            "$id: ID!, $reason: String!",
        );
        app.gql_err(
            Some(&w.a),
            &terminate,
            json!({"id": other["id"], "reason": "  "}),
            "BAD_USER_INPUT",
        )
        .await;
        let data = app
            .gql_ok(
                Some(&w.a),
                &terminate,
                json!({"id": other["id"], "reason": "预算取消 budget cut"}),
            )
            .await;
        let p = &data["terminateProject"]["project"];
        assert_eq!(p["status"], "TERMINATED");
        assert_eq!(p["terminationReason"], "预算取消 budget cut");
    }
);

e2e!(
    checklist_progress_overdue_events_and_optimistic_concurrency,
    |app| async move {
        let w = World::new(&app).await;
        let u_id = me(&app, &w.u).await;
        let b_id = me(&app, &w.b).await;
        let p = create_project(
            &app,
            &w.a,
            json!({"title": "联合实验室建设 Joint lab", "area": "JOINT_RESEARCH_PLATFORM",
                "partyOrganizationIds": [w.org_a, w.org_u], "startDate": "2026-01-01", "endDate": "2027-12-31"}),
        )
        .await;
        let pid = crate::common::text(&p["id"]);
        assert_eq!(p["progress"], json!({"done": 0, "total": 0, "percent": 0}));

        let res = app
            .gql(
                Some(&w.a),
                "mutation($input: AddMilestoneInput!) { addMilestone(input: $input) { milestone { id title dueDate } } }",
                json!({"input": {"projectId": pid, "title": "设备到位 Equipment in place", "dueDate": "2026-06-30"}}),
            )
            .await;
        let milestone = crate::common::text(&res["data"]["addMilestone"]["milestone"]["id"]);

        // Owners must belong to a party.
        let res = add_item(
            &app,
            &w.a,
            json!({"projectId": pid, "title": "x", "ownerUserId": b_id}),
        )
        .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        let res = add_item(
            &app,
            &w.u,
            json!({"projectId": pid, "title": "采购振动台 Buy the shaker", "ownerUserId": u_id,
                "dueDate": "2020-01-31", "milestoneId": milestone}),
        )
        .await;
        let late = res["data"]["addChecklistItem"]["item"].clone();
        assert_eq!(late["overdue"], true, "{res}");
        assert_eq!(late["owner"]["id"], u_id);
        let res = add_item(
            &app,
            &w.a,
            json!({"projectId": pid, "title": "场地改造 Prepare the room", "dueDate": "2099-01-01"}),
        )
        .await;
        let room = res["data"]["addChecklistItem"]["item"].clone();
        let res = add_item(
            &app,
            &w.a,
            json!({"projectId": pid, "title": "验收 Acceptance"}),
        )
        .await;
        let acceptance = res["data"]["addChecklistItem"]["item"].clone();
        assert_eq!(
            res["data"]["addChecklistItem"]["project"],
            json!({"progress": {"done": 0, "total": 3, "percent": 0}, "overdueItems": 1})
        );
        // A competitor cannot add to it.
        let res = add_item(&app, &w.b, json!({"projectId": pid, "title": "spy"})).await;
        common::assert_code(&res, "NOT_FOUND");

        // Complete with the right version; a stale one is a conflict.
        let id = |v: &Value| crate::common::text(&v["id"]);
        let res = item_op(&app, &w.a, "completeChecklistItem", &id(&room), Some(7)).await;
        common::assert_code(&res, "CONFLICT");
        let res = item_op(&app, &w.a, "completeChecklistItem", &id(&room), Some(1)).await;
        let done = &res["data"]["completeChecklistItem"];
        assert_eq!(done["item"]["status"], "DONE", "{res}");
        assert_eq!(done["item"]["version"], 2);
        assert_eq!(
            done["project"]["progress"],
            json!({"done": 1, "total": 3, "percent": 33})
        );
        let res = item_op(&app, &w.a, "completeChecklistItem", &id(&room), None).await;
        assert_eq!(
            common::error_code(&res).as_deref(),
            Some("BAD_USER_INPUT"),
            "already done: {res}"
        );
        let res = item_op(&app, &w.a, "reopenChecklistItem", &id(&room), Some(2)).await;
        assert_eq!(res["data"]["reopenChecklistItem"]["item"]["status"], "OPEN");

        // Blocking needs a note.
        let block = "mutation($id: ID!, $note: String!) { blockChecklistItem(input: {id: $id, note: $note}) { item { status note } } }";
        app.gql_err(
            Some(&w.u),
            block,
            json!({"id": id(&late), "note": " "}),
            "BAD_USER_INPUT",
        )
        .await;
        let res = app
            .gql(
                Some(&w.u),
                block,
                json!({"id": id(&late), "note": "供应商缺货 supplier out of stock"}),
            )
            .await;
        assert_eq!(
            res["data"]["blockChecklistItem"]["item"],
            json!({"status": "BLOCKED", "note": "供应商缺货 supplier out of stock"})
        );

        // Edits, and a reorder that must name every item once.
        let res = app
            .gql(
                Some(&w.a),
                "mutation($input: UpdateChecklistItemInput!) { updateChecklistItem(input: $input) { item { title dueDate version } } }",
                json!({"input": {"id": id(&acceptance), "version": 1, "title": "最终验收 Final acceptance", "dueDate": "2027-12-01"}}),
            )
            .await;
        assert_eq!(
            res["data"]["updateChecklistItem"]["item"],
            json!({"title": "最终验收 Final acceptance", "dueDate": "2027-12-01", "version": 2})
        );
        let reorder = "mutation($p: ID!, $ids: [ID!]!) { reorderChecklist(input: {projectId: $p, itemIds: $ids}) { project { checklist { id position } } } }";
        app.gql_err(
            Some(&w.a),
            reorder,
            json!({"p": pid, "ids": [id(&acceptance)]}),
            "BAD_USER_INPUT",
        )
        .await;
        let order = [id(&acceptance), id(&late), id(&room)];
        let res = app
            .gql(Some(&w.a), reorder, json!({"p": pid, "ids": order}))
            .await;
        let listed: Vec<&str> = res["data"]["reorderChecklist"]["project"]["checklist"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect();
        assert_eq!(listed, order);

        let data = app
            .gql_ok(Some(&w.u), &project_query(), json!({"id": pid}))
            .await;
        let p = &data["project"];
        assert_eq!(p["overdueItems"], 1);
        assert_eq!(p["viewerCanEdit"], true);
        assert_eq!(p["milestones"][0]["items"][0]["id"], id(&late));

        // Every change is in the log, with who, old and new values.
        let data = app
            .gql_ok(
                Some(&w.a),
                "query($id: ID!) { project(id: $id) { events(first: 100) { totalCount edges { node {
                  kind at actor { id } subjectId changes { field from to } } } } } }",
                json!({"id": pid}),
            )
            .await;
        let events: Vec<&Value> = data["project"]["events"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["node"])
            .collect();
        let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            [
                "PROJECT_CREATED",
                "MILESTONE_ADDED",
                "ITEM_ADDED",
                "ITEM_ADDED",
                "ITEM_ADDED",
                "ITEM_STATUS_CHANGED",
                "ITEM_STATUS_CHANGED",
                "ITEM_STATUS_CHANGED",
                "ITEM_UPDATED",
                "CHECKLIST_REORDERED",
            ]
        );
        let blocked = events[7];
        assert_eq!(blocked["actor"]["id"], u_id);
        assert_eq!(blocked["subjectId"], id(&late));
        assert_eq!(
            blocked["changes"],
            json!([
                {"field": "status", "from": "OPEN", "to": "BLOCKED"},
                {"field": "note", "from": null, "to": "供应商缺货 supplier out of stock"},
            ])
        );
        assert_eq!(
            events[8]["changes"],
            json!([
                {"field": "title", "from": "验收 Acceptance", "to": "最终验收 Final acceptance"},
                {"field": "dueDate", "from": null, "to": "2027-12-01"},
            ])
        );

        // Project edits with optimistic concurrency.
        let update = project_mutation(
            "updateProject",
            "input: $input",
            "$input: UpdateProjectInput!",
        );
        let res = app
            .gql(
                Some(&w.a),
                &update,
                json!({"input": {"id": pid, "version": 1, "endDate": "2028-03-31"}}),
            )
            .await;
        assert_eq!(
            res["data"]["updateProject"]["project"]["version"], 2,
            "{res}"
        );
        app.gql_err(
            Some(&w.u),
            &update,
            json!({"input": {"id": pid, "version": 1, "title": "stale"}}),
            "CONFLICT",
        )
        .await;
        let res = app
            .gql(
                Some(&w.u),
                &update,
                json!({"input": {"id": pid, "startDate": "2029-01-01"}}),
            )
            .await;
        assert_eq!(
            common::error_code(&res).as_deref(),
            Some("BAD_USER_INPUT"),
            "end before start: {res}"
        );
    }
);

e2e!(
    project_list_filters_orders_pages_and_exports_csv,
    |app| async move {
        let w = World::new(&app).await;
        let mk = |title: &str, area: &str, orgs: Vec<&String>, end: Option<&str>| json!({"title": title, "area": area, "partyOrganizationIds": orgs, "endDate": end});
        let p1 = create_project(
            &app,
            &w.a,
            mk(
                "人才共享计划 Talent sharing",
                "TALENT_SHARING",
                vec![&w.org_a, &w.org_u],
                Some("2027-03-31"),
            ),
        )
        .await;
        let p2 = create_project(
            &app,
            &w.a,
            mk(
                "检测中心共建 Testing center",
                "TESTING_CENTER",
                vec![&w.org_a],
                Some("2026-12-31"),
            ),
        )
        .await;
        let p3 = create_project(
            &app,
            &w.b,
            mk(
                "乙方项目 B's project",
                "TESTING_CENTER",
                vec![&w.org_b],
                None,
            ),
        )
        .await;
        let p4 = create_project(
            &app,
            &w.u,
            mk(
                "职业教育 Vocational",
                "VOCATIONAL_EDUCATION",
                vec![&w.org_u, &w.org_a],
                Some("2026-06-30"),
            ),
        )
        .await;
        // p2 gets an overdue item and some progress.
        add_item(
            &app,
            &w.a,
            json!({"projectId": p2["id"], "title": "late", "dueDate": "2020-01-01"}),
        )
        .await;
        add_item(&app, &w.a, json!({"projectId": p2["id"], "title": "open"})).await;
        let res = add_item(
            &app,
            &w.a,
            json!({"projectId": p2["id"], "title": "soon done"}),
        )
        .await;
        let soon = crate::common::text(&res["data"]["addChecklistItem"]["item"]["id"]);
        item_op(&app, &w.a, "completeChecklistItem", &soon, None).await;

        let list = "query($filter: ProjectFilterInput, $order: ProjectOrder, $first: Int, $after: String) {
          projects(first: $first, after: $after, filter: $filter, orderBy: $order) {
            totalCount pageInfo { hasNextPage endCursor } edges { node { id title progress { percent } } } } }";
        let ids = |data: &Value| -> Vec<String> {
            data["projects"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| crate::common::text(&e["node"]["id"]))
                .collect()
        };
        let id = |p: &Value| crate::common::text(&p["id"]);

        // Members see their organisations' projects, by due date (none last).
        let data = app.gql_ok(Some(&w.a), list, json!({})).await;
        assert_eq!(ids(&data), [id(&p4), id(&p2), id(&p1)]);
        let data = app.gql_ok(Some(&w.b), list, json!({})).await;
        assert_eq!(ids(&data), [id(&p3)]);
        let admin = app.admin_token().await;
        let data = app.gql_ok(Some(&admin), list, json!({})).await;
        assert_eq!(
            ids(&data),
            [id(&p4), id(&p2), id(&p1), id(&p3)],
            "coordinators see all; no end date last"
        );
        app.gql_err(None, list, json!({}), "UNAUTHENTICATED").await;

        // Filters.
        let data = app
            .gql_ok(
                Some(&admin),
                list,
                json!({"filter": {"area": ["TESTING_CENTER"]}}),
            )
            .await;
        assert_eq!(ids(&data), [id(&p2), id(&p3)]);
        let data = app
            .gql_ok(
                Some(&admin),
                list,
                json!({"filter": {"partyOrganizationId": w.org_u}}),
            )
            .await;
        assert_eq!(ids(&data), [id(&p4), id(&p1)]);
        let data = app
            .gql_ok(Some(&w.a), list, json!({"filter": {"overdue": true}}))
            .await;
        assert_eq!(ids(&data), [id(&p2)]);
        let data = app
            .gql_ok(Some(&w.a), list, json!({"filter": {"overdue": false}}))
            .await;
        assert_eq!(ids(&data), [id(&p4), id(&p1)]);
        let data = app
            .gql_ok(
                Some(&w.a),
                list,
                json!({"filter": {"dueBefore": "2027-01-01"}}),
            )
            .await;
        assert_eq!(ids(&data), [id(&p4), id(&p2)]);
        let data = app
            .gql_ok(
                Some(&w.a),
                list,
                json!({"filter": {"status": ["IN_PROGRESS"]}}),
            )
            .await;
        assert!(ids(&data).is_empty());

        // Orderings and paging.
        let data = app
            .gql_ok(
                Some(&w.a),
                list,
                json!({"order": {"field": "PROGRESS", "direction": "DESC"}}),
            )
            .await;
        assert_eq!(ids(&data)[0], id(&p2), "highest progress first");
        let data = app
            .gql_ok(
                Some(&w.a),
                list,
                json!({"order": {"field": "DUE_DATE", "direction": "DESC"}, "first": 2}),
            )
            .await;
        assert_eq!(ids(&data), [id(&p1), id(&p2)]);
        assert_eq!(data["projects"]["totalCount"], 3);
        let cursor = data["projects"]["pageInfo"]["endCursor"].clone();
        let data = app
            .gql_ok(Some(&w.a), list, json!({"order": {"field": "DUE_DATE", "direction": "DESC"}, "first": 2, "after": cursor}))
            .await;
        assert_eq!(ids(&data), [id(&p4)]);
        assert_eq!(data["projects"]["pageInfo"]["hasNextPage"], false);

        // The same list as CSV, readable by spreadsheet software.
        let res = app
            .get_as(
                "/api/v1/projects.csv?area=TESTING_CENTER,TALENT_SHARING",
                &w.a,
            )
            .await;
        assert_eq!(res.status(), 200);
        crate::common::assert_content_type(&res, "text/csv; charset=utf-8");
        let bytes = res.bytes().await.unwrap();
        assert!(
            bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
            "UTF-8 byte-order mark"
        );
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            [
                "id",
                "title",
                "area",
                "status",
                "parties",
                "start_date",
                "end_date",
                "progress_percent",
                "items_done",
                "items_total",
                "overdue_items",
                "need_id",
                "capability_id",
                "updated_at"
            ]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2, "{text}");
        assert_eq!(&rows[0][0], id(&p2));
        assert_eq!(&rows[0][1], "检测中心共建 Testing center");
        assert_eq!(&rows[0][4], "Enterprise A 甲机电");
        assert_eq!(&rows[0][7], "33");
        assert_eq!(&rows[0][10], "1");
        assert_eq!(&rows[1][1], "人才共享计划 Talent sharing");
        assert!(!text.contains("乙方"), "no other tenant's project");

        let res = app.get("/api/v1/projects.csv").await;
        assert_eq!(res.status(), 401);
        let res = app
            .get_as("/api/v1/projects.csv?area=MOON_BASE", &w.a)
            .await;
        assert_eq!(res.status(), 400);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "BAD_USER_INPUT");
        let res = app.get_as("/api/v1/projects.csv?colour=red", &w.a).await;
        assert_eq!(res.status(), 400);
    }
);

e2e!(dashboard_for_coordinators, |app| async move {
    let w = World::new(&app).await;
    let need_id = need(
        &app,
        &w,
        "轴承故障诊断",
        "振动信号",
        &["轴承", "bearing"],
        "PUBLIC",
    )
    .await;
    let cap_id = capability(
        &app,
        &w,
        "轴承故障诊断 bearing diagnosis",
        "振动信号",
        &["轴承", "bearing"],
        &["460"],
        5,
    )
    .await;
    let other_cap = capability(
        &app,
        &w,
        "轴承寿命 bearing life",
        "振动",
        &["轴承"],
        &["460"],
        3,
    )
    .await;
    let m = match_id(&app, &w.a, &need_id, &cap_id).await;
    crate::fixtures::accept_both(&app, &w.a, &w.u, &m).await;
    let declined = match_id(&app, &w.a, &need_id, &other_cap).await;
    app.gql_ok(
        Some(&w.a),
        "mutation($id: ID!) { declineMatch(input: {id: $id, reason: TOO_EARLY_STAGE}) { match { status } } }",
        json!({"id": declined}),
    )
    .await;
    let data = app
        .gql_ok(
            Some(&w.a),
            &project_mutation("createProjectFromMatch", "matchId: $m", "$m: ID!"),
            json!({"m": m}),
        )
        .await;
    let pid = data["createProjectFromMatch"]["project"]["id"].clone();
    add_item(
        &app,
        &w.a,
        json!({"projectId": pid, "title": "late", "dueDate": "2021-05-01"}),
    )
    .await;

    let stats = "{ stats { needsByStatus { status count } capabilitiesByStatus { status count }
      matchesByStatus { status count } acceptanceRate projectsByArea { area count }
      projectsByStatus { status count } overdueChecklistItems medianDaysNeedToProject } }";
    app.gql_err(Some(&w.a), stats, json!({}), "FORBIDDEN").await;
    let admin = app.admin_token().await;
    let data = app.gql_ok(Some(&admin), stats, json!({})).await;
    let s = &data["stats"];
    let count = |list: &str, key: &str, value: &str| {
        s[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e[key] == value)
            .map(|e| e["count"].as_u64().unwrap())
    };
    assert_eq!(count("needsByStatus", "status", "PUBLISHED"), Some(1));
    assert_eq!(
        count("needsByStatus", "status", "DRAFT"),
        Some(0),
        "zeros listed"
    );
    assert_eq!(
        count("capabilitiesByStatus", "status", "PUBLISHED"),
        Some(2)
    );
    assert_eq!(count("matchesByStatus", "status", "ACCEPTED"), Some(1));
    assert_eq!(count("matchesByStatus", "status", "DECLINED"), Some(1));
    assert_eq!(s["acceptanceRate"], 0.5);
    assert_eq!(count("projectsByArea", "area", "OTHER"), Some(1));
    assert_eq!(count("projectsByStatus", "status", "PROPOSED"), Some(1));
    assert_eq!(s["overdueChecklistItems"], 1);
    let median = s["medianDaysNeedToProject"].as_f64().unwrap();
    assert!((0.0..1.0).contains(&median), "minutes, not days: {median}");
});

e2e!(
    project_subscriptions_push_events_to_parties_only,
    |app| async move {
        let w = World::new(&app).await;
        let p = create_project(
            &app,
            &w.a,
            json!({"title": "联合培养 Joint training", "area": "JOINT_TRAINING",
            "partyOrganizationIds": [w.org_a, w.org_u]}),
        )
        .await;
        let pid = crate::common::text(&p["id"]);
        let one = "subscription($id: ID!) { projectUpdated(projectId: $id) {
      __typename kind actor { id } changes { field from to } project { id progress { total } }
      ... on ChecklistItemAddedEvent { title item { id title } }
      ... on ProjectStatusChangedEvent { from to } } }";
        let mine = "subscription { myProjectsUpdated { kind project { id } } }";

        let mut a = Ws::connect(&app, Some(&w.a)).await;
        a.subscribe("one", one, json!({"id": pid})).await;
        let mut u = Ws::connect(&app, Some(&w.u)).await;
        u.subscribe("mine", mine, json!({})).await;
        let mut b = Ws::connect(&app, Some(&w.b)).await;
        b.subscribe("mine", mine, json!({})).await;
        let mut spy = Ws::connect(&app, Some(&w.b)).await;
        spy.subscribe("one", one, json!({"id": pid})).await;
        assert_eq!(spy.refusal("one").await.as_deref(), Some("NOT_FOUND"));

        // Subscriptions start asynchronously: write until the first event comes.
        let mut first = None;
        for n in 0..10 {
            add_item(
                &app,
                &w.a,
                json!({"projectId": pid, "title": format!("任务 {n}")}),
            )
            .await;
            if let Some(msg) = a.next(Duration::from_millis(1500)).await {
                first = Some(msg);
                break;
            }
        }
        let msg = first.expect("an event within 15 s");
        let event = &msg["payload"]["data"]["projectUpdated"];
        assert_eq!(event["kind"], "ITEM_ADDED", "{msg}");
        assert_eq!(event["__typename"], "ChecklistItemAddedEvent", "{msg}");
        assert_eq!(event["item"]["title"], event["title"], "{msg}");
        assert_eq!(event["project"]["id"], pid);
        assert_eq!(event["changes"][0]["field"], "title");

        // The next change reaches both parties' subscriptions, once each:
        // U accepts, A agrees, U's agreement moves the project.
        crate::project_consent::accept_all(&app, &pid, &[&w.u]).await;
        app.gql_ok(
            Some(&w.a),
            &project_mutation("agreeProject", "id: $id", "$id: ID!"),
            json!({"id": pid}),
        )
        .await;
        app.gql_ok(
            Some(&w.u),
            &project_mutation("agreeProject", "id: $id", "$id: ID!"),
            json!({"id": pid}),
        )
        .await;
        let mut seen_by_a = Vec::new();
        while let Some(msg) = a.next(Duration::from_millis(1500)).await {
            seen_by_a.push(msg["payload"]["data"]["projectUpdated"]["kind"].clone());
        }
        assert_eq!(
            seen_by_a.last(),
            Some(&json!("STATUS_CHANGED")),
            "{seen_by_a:?}"
        );
        let mut seen_by_u = Vec::new();
        while let Some(msg) = u.next(Duration::from_millis(1500)).await {
            seen_by_u.push(msg["payload"]["data"]["myProjectsUpdated"]["kind"].clone());
        }
        assert_eq!(
            seen_by_u.last(),
            Some(&json!("STATUS_CHANGED")),
            "{seen_by_u:?}"
        );
        let status_changes = seen_by_u.iter().filter(|k| *k == "STATUS_CHANGED").count();
        assert_eq!(status_changes, 1, "each event once: {seen_by_u:?}");
        assert!(
            b.next(Duration::from_millis(500)).await.is_none(),
            "another tenant hears nothing"
        );
    }
);

const TIMELINE: &str = "query($id: ID!) { project(id: $id) { events(first: 100) { nodes {
  __typename id kind createdAt actor { id } subjectId changes { field from to }
  ... on ProjectCreatedEvent { title area parties { id } match { id } }
  ... on ProjectStatusChangedEvent { from to reason }
  ... on MilestoneAddedEvent { title milestone { id } }
  ... on MilestoneDeletedEvent { title }
  ... on ChecklistItemAddedEvent { title item { id } owner { id } }
  ... on ChecklistItemStatusChangedEvent { from to note item { id status } }
  ... on ChecklistItemDeletedEvent { title }
  ... on ChecklistReorderedEvent { items { id } } } } } }";

const DELETE_ITEM: &str =
    "mutation($input: DeleteChecklistItemInput!) { deleteChecklistItem(input: $input) {
  deletedId project { progress { done total percent } checklist { id position } } } }";

const DELETE_MILESTONE: &str =
    "mutation($input: DeleteMilestoneInput!) { deleteMilestone(input: $input) {
  deletedId project { milestones { id } checklist { id milestone { id } } } } }";

e2e!(
    typed_timeline_with_global_ids_and_deletes,
    |app| async move {
        let w = World::new(&app).await;
        let (a_id, u_id) = (me(&app, &w.a).await, me(&app, &w.u).await);
        let p = create_project(
            &app,
            &w.a,
            json!({"title": "联合实验室 Joint lab", "area": "JOINT_RESEARCH_PLATFORM",
            "partyOrganizationIds": [w.org_a, w.org_u]}),
        )
        .await;
        let pid = common::text(&p["id"]);
        // U takes part: its people may own items.
        app.gql_ok(
            Some(&w.u),
            "mutation($id: ID!) { acceptProjectInvitation(input: {id: $id}) { project { id } } }",
            json!({"id": pid}),
        )
        .await;
        let data = app
        .gql_ok(
            Some(&w.a),
            "mutation($input: AddMilestoneInput!) { addMilestone(input: $input) { milestone { id version project { id } } } }",
            json!({"input": {"projectId": pid, "title": "设备到位 Equipment"}}),
        )
        .await;
        let milestone = common::text(&data["addMilestone"]["milestone"]["id"]);
        assert_eq!(
            data["addMilestone"]["milestone"]["project"]["id"],
            pid.as_str()
        );
        let mut items = Vec::new();
        for title in ["采购 Purchase", "安装 Install", "调试 Commission"] {
            let res = add_item(
            &app,
            &w.a,
            json!({"projectId": pid, "title": title, "ownerUserId": u_id, "milestoneId": milestone}),
        )
        .await;
            items.push(common::text(&res["data"]["addChecklistItem"]["item"]["id"]));
        }
        item_op(&app, &w.u, "completeChecklistItem", &items[0], None).await;
        let reorder = "mutation($input: ReorderChecklistInput!) { reorderChecklist(input: $input) { project { id } } }";
        let order = [items[2].clone(), items[0].clone(), items[1].clone()];
        app.gql_ok(
            Some(&w.a),
            reorder,
            json!({"input": {"projectId": pid, "itemIds": order}}),
        )
        .await;

        // ChecklistItem.milestone and node(id:) of an item are objects.
        let data = app
        .gql_ok(
            Some(&w.u),
            "query($id: ID!) { node(id: $id) { __typename ... on ChecklistItem { title milestone { id } project { id } } } }",
            json!({"id": items[1]}),
        )
        .await;
        assert_eq!(data["node"]["milestone"]["id"], milestone.as_str());

        // Deleting: a stale version is a CONFLICT; others' projects do not exist.
        app.gql_err(
            Some(&w.a),
            DELETE_ITEM,
            json!({"input": {"id": items[1], "version": 9}}),
            "CONFLICT",
        )
        .await;
        app.gql_err(
            Some(&w.b),
            DELETE_ITEM,
            json!({"input": {"id": items[1]}}),
            "NOT_FOUND",
        )
        .await;
        app.gql_err(
            Some(&w.a),
            DELETE_ITEM,
            json!({"input": {"id": milestone}}),
            "BAD_USER_INPUT",
        )
        .await;
        let data = app
            .gql_ok(
                Some(&w.u),
                DELETE_ITEM,
                json!({"input": {"id": items[1], "version": 1}}),
            )
            .await;
        let deleted = &data["deleteChecklistItem"];
        assert_eq!(deleted["deletedId"], items[1].as_str());
        assert_eq!(
            deleted["project"]["progress"],
            json!({"done": 1, "total": 2, "percent": 50})
        );
        assert_eq!(
            deleted["project"]["checklist"],
            json!([{"id": items[2], "position": 0}, {"id": items[0], "position": 1}])
        );
        app.gql_err(
            Some(&w.u),
            DELETE_ITEM,
            json!({"input": {"id": items[1]}}),
            "NOT_FOUND",
        )
        .await;
        // A milestone goes; its items stay, without a milestone.
        app.gql_err(
            Some(&w.a),
            DELETE_MILESTONE,
            json!({"input": {"id": milestone, "version": 2}}),
            "CONFLICT",
        )
        .await;
        let data = app
            .gql_ok(
                Some(&w.a),
                DELETE_MILESTONE,
                json!({"input": {"id": milestone, "version": 1}}),
            )
            .await;
        let p = &data["deleteMilestone"]["project"];
        assert_eq!(p["milestones"], json!([]));
        assert_eq!(
            p["checklist"],
            json!([{"id": items[2], "milestone": null}, {"id": items[0], "milestone": null}])
        );

        // The timeline: one type per kind, actor and subject objects, only global ids.
        let data = app.gql_ok(Some(&w.u), TIMELINE, json!({"id": pid})).await;
        let all = data["project"]["events"]["nodes"]
            .as_array()
            .unwrap()
            .clone();
        // U's acceptance of the invitation comes second; the checklist's
        // story is the rest.
        assert_eq!(all[1]["__typename"], "ProjectPartyRespondedEvent");
        let events: Vec<Value> = all
            .into_iter()
            .filter(|e| e["__typename"] != "ProjectPartyRespondedEvent")
            .collect();
        let types: Vec<&str> = events
            .iter()
            .map(|e| e["__typename"].as_str().unwrap())
            .collect();
        assert_eq!(
            types,
            [
                "ProjectCreatedEvent",
                "MilestoneAddedEvent",
                "ChecklistItemAddedEvent",
                "ChecklistItemAddedEvent",
                "ChecklistItemAddedEvent",
                "ChecklistItemStatusChangedEvent",
                "ChecklistReorderedEvent",
                "ChecklistItemDeletedEvent",
                "MilestoneDeletedEvent",
            ]
        );
        for e in &events {
            assert!(e["createdAt"].is_string());
            for change in e["changes"].as_array().unwrap() {
                for value in [&change["from"], &change["to"]] {
                    let raw = value.as_str().unwrap_or("x");
                    assert!(
                        raw.split(',').any(|part| part.parse::<i64>().is_err()),
                        "a database id in {e}"
                    );
                }
            }
        }
        let created = &events[0];
        assert_eq!(created["actor"]["id"], a_id.as_str());
        assert_eq!(created["title"], "联合实验室 Joint lab");
        assert_eq!(created["area"], "JOINT_RESEARCH_PLATFORM");
        assert_eq!(
            created["parties"],
            json!([{"id": w.org_a}, {"id": w.org_u}])
        );
        assert!(created["match"].is_null(), "created directly");
        let parties = created["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == "parties")
            .unwrap();
        assert_eq!(parties["to"], format!("{},{}", w.org_a, w.org_u));
        assert_eq!(events[1]["milestone"], Value::Null, "deleted since");
        assert_eq!(events[1]["title"], "设备到位 Equipment");
        let added = &events[2];
        assert_eq!(added["item"]["id"], items[0].as_str());
        assert_eq!(added["owner"]["id"], u_id.as_str());
        assert!(
            added["changes"]
                .as_array()
                .unwrap()
                .contains(&json!({"field": "owner", "from": null, "to": u_id}))
        );
        assert!(
            added["changes"]
                .as_array()
                .unwrap()
                .contains(&json!({"field": "milestone", "from": null, "to": milestone}))
        );
        assert!(events[3]["item"].is_null(), "the deleted item");
        let done = &events[5];
        assert_eq!(
            (done["from"].as_str(), done["to"].as_str()),
            (Some("OPEN"), Some("DONE"))
        );
        assert_eq!(done["actor"]["id"], u_id.as_str());
        assert_eq!(done["item"]["status"], "DONE");
        let reordered = &events[6];
        assert_eq!(
            reordered["items"],
            json!([{"id": items[2]}, {"id": items[0]}])
        );
        assert_eq!(reordered["changes"][0]["to"], order.join(","));
        assert_eq!(events[7]["title"], "安装 Install");
        assert_eq!(events[7]["subjectId"], items[1].as_str());
        assert_eq!(events[8]["title"], "设备到位 Equipment");
        assert_eq!(events[8]["subjectId"], milestone.as_str());
        // Each event is a node of its own, for the parties.
        let event_id = common::text(&events[5]["id"]);
        let data = app
            .gql_ok(
                Some(&w.a),
                "query($id: ID!) { node(id: $id) { __typename id } }",
                json!({"id": event_id}),
            )
            .await;
        assert_eq!(
            data["node"]["__typename"],
            "ChecklistItemStatusChangedEvent"
        );
        app.gql_err(
            Some(&w.b),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": event_id}),
            "NOT_FOUND",
        )
        .await;

        // A finished project's checklist no longer changes.
        let step = |op: &str| {
            format!("mutation($id: ID!) {{ {op}(input: {{id: $id}}) {{ project {{ status }} }} }}")
        };
        // (U accepted the invitation at the start.)
        for op in ["agreeProject", "startProject", "completeProject"] {
            app.gql_ok(Some(&w.a), &step(op), json!({"id": pid})).await;
            if op != "startProject" {
                app.gql_ok(Some(&w.u), &step(op), json!({"id": pid})).await;
            }
        }
        app.gql_err(
            Some(&w.a),
            DELETE_ITEM,
            json!({"input": {"id": items[0]}}),
            "BAD_USER_INPUT",
        )
        .await;
        let data = app.gql_ok(Some(&w.a), TIMELINE, json!({"id": pid})).await;
        let last = data["project"]["events"]["nodes"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        assert_eq!(last["__typename"], "ProjectStatusChangedEvent");
        assert_eq!(
            (last["from"].as_str(), last["to"].as_str()),
            (Some("IN_PROGRESS"), Some("COMPLETED"))
        );
    }
);
