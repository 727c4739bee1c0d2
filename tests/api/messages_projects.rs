//! The errors of projects, checklists and matches in Chinese: each rule has
//! its own key, its code and the field it is about, and the message follows
//! `Accept-Language: zh-CN` (GraphQL and the REST project list).

use serde_json::{Value, json};

use crate::common::TestApp;
use crate::common::has_chinese;
use crate::fixtures::{World, me};
use crate::matching::{capability, need};
use crate::projects::{bearing_match, match_id};

const ZH: &str = "zh-CN";

/// The global id of `kind` `id` (one that names nothing).
fn ghost(kind: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:999999"))
}

/// POSTs an operation asking for Chinese; the whole body.
async fn gql_zh(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    app.gql_in(Some(token), ZH, query, variables).await
}

/// Like [`gql_zh`], but fails on any error; `data`.
async fn gql_ok(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let body = gql_zh(app, token, query, variables).await;
    assert!(body.get("errors").is_none(), "{body}");
    body["data"].clone()
}

/// Fails unless the first error of `body` has `code` and `key`, a Chinese
/// message, and — with `field` — names that field (under that key) and no
/// other; without `field`, names none. Returns the message.
#[track_caller]
fn refused(body: &Value, code: &str, key: &str, field: Option<&str>) -> String {
    let error = &body["errors"][0];
    let ext = &error["extensions"];
    assert_eq!(ext["code"], code, "{body}");
    assert_eq!(ext["key"], key, "{body}");
    let message = error["message"].as_str().unwrap_or_default().to_owned();
    assert!(has_chinese(&message), "not Chinese: {body}");
    let fields = ext["fields"].as_array().expect("fields");
    match field {
        Some(name) => {
            assert_eq!(fields.len(), 1, "{body}");
            assert_eq!(fields[0]["field"], name, "{body}");
            assert_eq!(fields[0]["key"], key, "{body}");
            let text = fields[0]["message"].as_str().unwrap_or_default();
            assert!(has_chinese(text), "field message not Chinese: {body}");
        }
        None => assert!(fields.is_empty(), "{body}"),
    }
    message
}

const CREATE: &str =
    "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }";

const FROM_MATCH: &str = "mutation($input: CreateProjectFromMatchInput!) {
  createProjectFromMatch(input: $input) { project { id } } }";

e2e!(creating_a_project_is_refused_in_chinese, |app| async move {
    let w = World::new(&app).await;
    let need_a = need(
        &app,
        &w,
        "轴承故障诊断 Bearing fault diagnosis",
        "振动信号 早期预警",
        &["轴承"],
        "PUBLIC",
    )
    .await;
    let cap_u = capability(
        &app,
        &w,
        "Bearing fault diagnosis 轴承故障诊断",
        "振动信号 fault diagnosis",
        &["轴承"],
        &["460"],
        5,
    )
    .await;
    let base = |patch: Value| {
        let mut input = json!({"title": "联合攻关 Joint work", "area": "OTHER",
            "partyOrganizationIds": [w.org_a]});
        for (k, v) in patch.as_object().unwrap() {
            input[k] = v.clone();
        }
        json!({ "input": input })
    };
    let cases: Vec<(&str, Value, &str, &str, Option<&str>)> = vec![
        (
            w.a.as_str(),
            base(json!({"partyOrganizationIds": []})),
            "BAD_USER_INPUT",
            "project.parties.required",
            Some("input.partyOrganizationIds"),
        ),
        (
            w.a.as_str(),
            base(json!({"partyOrganizationIds": [w.org_a, ghost("Organization")]})),
            "BAD_USER_INPUT",
            "project.parties.unknown",
            Some("input.partyOrganizationIds"),
        ),
        (
            w.a.as_str(),
            base(json!({"startDate": "2027-06-30", "endDate": "2027-01-01"})),
            "BAD_USER_INPUT",
            "project.end_date.before_start",
            Some("input.endDate"),
        ),
        // B belongs to no party.
        (
            w.b.as_str(),
            base(json!({})),
            "FORBIDDEN",
            "project.create.forbidden",
            None,
        ),
        (
            w.a.as_str(),
            base(json!({"needId": ghost("Need")})),
            "BAD_USER_INPUT",
            "need.unknown",
            Some("input.needId"),
        ),
        (
            w.a.as_str(),
            base(json!({"capabilityId": ghost("Capability")})),
            "BAD_USER_INPUT",
            "capability.unknown",
            Some("input.capabilityId"),
        ),
        // Another organisation's need or capability starts from a match.
        (
            w.a.as_str(),
            base(json!({"partyOrganizationIds": [w.org_a, w.org_u], "capabilityId": cap_u})),
            "FORBIDDEN",
            "project.capability.link_forbidden",
            None,
        ),
        (
            w.u.as_str(),
            base(json!({"partyOrganizationIds": [w.org_u, w.org_a], "needId": need_a})),
            "FORBIDDEN",
            "project.need.link_forbidden",
            None,
        ),
        // The admin manages every organisation, but the owner must be a party.
        (
            w.admin.as_str(),
            base(json!({"partyOrganizationIds": [w.org_b], "needId": need_a})),
            "BAD_USER_INPUT",
            "project.need.not_party",
            Some("input.needId"),
        ),
        (
            w.admin.as_str(),
            base(json!({"partyOrganizationIds": [w.org_b], "capabilityId": cap_u})),
            "BAD_USER_INPUT",
            "project.capability.not_party",
            Some("input.capabilityId"),
        ),
    ];
    for (token, variables, code, key, field) in cases {
        let body = gql_zh(&app, token, CREATE, variables).await;
        refused(&body, code, key, field);
    }
});

e2e!(
    projects_from_matches_are_refused_in_chinese,
    |app| async move {
        let w = World::new(&app).await;
        let (_, cap_id, m) = bearing_match(&app, &w).await;

        // Only an ACCEPTED match becomes a project; the message says what it is.
        let body = gql_zh(&app, &w.a, FROM_MATCH, json!({"input": {"matchId": m}})).await;
        let message = refused(
            &body,
            "BAD_USER_INPUT",
            "project.match.not_accepted",
            Some("input.matchId"),
        );
        assert!(message.contains("SUGGESTED"), "{message}");
        // Someone who does not decide on the need's matches.
        let body = gql_zh(&app, &w.b, FROM_MATCH, json!({"input": {"matchId": m}})).await;
        refused(&body, "FORBIDDEN", "match.decide.forbidden", None);

        crate::fixtures::accept_both(&app, &w.a, &w.u, &m).await;
        gql_ok(&app, &w.a, FROM_MATCH, json!({"input": {"matchId": m}})).await;
        let body = gql_zh(&app, &w.a, FROM_MATCH, json!({"input": {"matchId": m}})).await;
        refused(
            &body,
            "CONFLICT",
            "project.match.taken",
            Some("input.matchId"),
        );

        // A confidential need's project needs a title of its own.
        let secret = need(
            &app,
            &w,
            "轴承故障诊断 Bearing fault diagnosis (confidential)",
            "振动信号 早期预警",
            &["轴承", "fault diagnosis"],
            "CONFIDENTIAL",
        )
        .await;
        let m2 = match_id(&app, &w.a, &secret, &cap_id).await;
        // The need is hidden from the lab: the admin accepts for its side.
        crate::fixtures::accept_both(&app, &w.a, &w.admin, &m2).await;
        let body = gql_zh(&app, &w.a, FROM_MATCH, json!({"input": {"matchId": m2}})).await;
        refused(
            &body,
            "BAD_USER_INPUT",
            "project.title.confidential_need",
            Some("input.title"),
        );
        gql_ok(
            &app,
            &w.a,
            FROM_MATCH,
            json!({"input": {"matchId": m2, "title": "保密合作 Confidential cooperation"}}),
        )
        .await;

        // The needs a capability fits are for the capability's organisation.
        let body = gql_zh(
            &app,
            &w.a,
            "query($id: ID!) { capability(id: $id) { matchingNeeds(first: 5) { totalCount } } }",
            json!({"id": cap_id}),
        )
        .await;
        refused(
            &body,
            "FORBIDDEN",
            "capability.matching_needs.forbidden",
            None,
        );

        // The dashboard is for staff.
        let body = gql_zh(
            &app,
            &w.a,
            "{ stats { needsByStatus { status count } } }",
            json!({}),
        )
        .await;
        refused(&body, "FORBIDDEN", "stats.read.forbidden", None);
    }
);

e2e!(
    checklists_and_closed_projects_are_refused_in_chinese,
    |app| async move {
        let w = World::new(&app).await;
        let b_id = me(&app, &w.b).await;
        let data = gql_ok(
            &app,
            &w.a,
            CREATE,
            json!({"input": {"title": "联合实验室 Joint lab", "area": "OTHER",
                "partyOrganizationIds": [w.org_a, w.org_u]}}),
        )
        .await;
        let pid = crate::common::text(&data["createProject"]["project"]["id"]);
        let add = "mutation($input: AddChecklistItemInput!) { addChecklistItem(input: $input) { item { id } } }";

        let body = gql_zh(
            &app,
            &w.a,
            add,
            json!({"input": {"projectId": pid, "title": "采购 Buy", "ownerUserId": b_id}}),
        )
        .await;
        refused(
            &body,
            "BAD_USER_INPUT",
            "checklist_item.owner.not_member",
            Some("input.ownerUserId"),
        );
        let body = gql_zh(
            &app,
            &w.a,
            add,
            json!({"input": {"projectId": pid, "title": "采购 Buy", "milestoneId": ghost("Milestone")}}),
        )
        .await;
        refused(
            &body,
            "BAD_USER_INPUT",
            "checklist_item.milestone.unknown",
            Some("input.milestoneId"),
        );

        let data = gql_ok(
            &app,
            &w.a,
            add,
            json!({"input": {"projectId": pid, "title": "采购 Buy"}}),
        )
        .await;
        let item = crate::common::text(&data["addChecklistItem"]["item"]["id"]);
        let complete =
            "mutation($id: ID!) { completeChecklistItem(input: {id: $id}) { item { status } } }";
        gql_ok(&app, &w.a, complete, json!({"id": item})).await;
        let body = gql_zh(&app, &w.a, complete, json!({"id": item})).await;
        let message = refused(
            &body,
            "BAD_USER_INPUT",
            "checklist_item.status.unchanged",
            Some("input.id"),
        );
        assert!(message.contains("DONE"), "{message}");

        let block = "mutation($id: ID!, $note: String!) { blockChecklistItem(input: {id: $id, note: $note}) { item { status } } }";
        let body = gql_zh(&app, &w.a, block, json!({"id": item, "note": "  "})).await;
        refused(
            &body,
            "BAD_USER_INPUT",
            "checklist_item.block.note_required",
            Some("input.note"),
        );

        let terminate = "mutation($id: ID!, $reason: String!) { terminateProject(input: {id: $id, reason: $reason}) { project { status } } }";
        let body = gql_zh(&app, &w.a, terminate, json!({"id": pid, "reason": " "})).await;
        refused(
            &body,
            "BAD_USER_INPUT",
            "project.termination.reason_required",
            Some("input.reason"),
        );
        gql_ok(
            &app,
            &w.a,
            terminate,
            json!({"id": pid, "reason": "预算取消 budget cut"}),
        )
        .await;

        // A terminated project is closed.
        let body = gql_zh(
            &app,
            &w.a,
            "mutation($id: ID!) { updateProject(input: {id: $id, title: \"新标题\"}) { project { id } } }",
            json!({"id": pid}),
        )
        .await;
        let message = refused(
            &body,
            "BAD_USER_INPUT",
            "project.not_editable",
            Some("input.id"),
        );
        assert!(message.contains("TERMINATED"), "{message}");
    }
);

e2e!(the_rest_project_list_refuses_in_chinese, |app| async move {
    let w = World::new(&app).await;
    for (query, key, field) in [
        ("dueBefore=2027-13-01", "date.invalid", "dueBefore"),
        ("orderBy=TITLE", "project.order_by.unknown", "orderBy"),
        ("direction=UP", "order.direction.invalid", "direction"),
    ] {
        let res = app
            .client
            .get(app.url(&format!("/api/v1/projects?{query}")))
            .bearer_auth(&w.a)
            .header("accept-language", ZH)
            .send()
            .await
            .expect("GET");
        assert_eq!(res.status(), 400, "{query}");
        let body: Value = res.json().await.expect("JSON");
        assert_eq!(body["code"], "BAD_USER_INPUT", "{body}");
        assert_eq!(body["key"], key, "{body}");
        assert!(
            has_chinese(body["message"].as_str().unwrap_or_default()),
            "{body}"
        );
        assert_eq!(body["fields"][0]["field"], field, "{body}");
        assert_eq!(body["fields"][0]["key"], key, "{body}");
    }
});
