//! Scoped roles: a COORDINATOR or SUPERVISOR granted over an organisation
//! and everything below it. A coordinator sees and curates the
//! organisations in scope, CONFIDENTIAL needs included, and nothing
//! outside; the platform role COORDINATOR alone no longer reads any
//! enterprise's confidential needs. A supervisor reads the projects in
//! scope and the platform's figures and every mutation of theirs is
//! FORBIDDEN, over HTTP and WebSocket. Grants and revocations are recorded.

use std::time::Duration;

use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

use crate::common::{TestApp, assert_code, text};
use crate::fixtures::{World, create_org};
use crate::subscriptions::Ws;

const GRANT: &str = "mutation($input: GrantRoleInput!) { grantRole(input: $input) {
  roleGrant { id role active organization { id } user { displayName } grantedBy { displayName }
    grantedAt revokedBy { displayName } revokedAt viewerCanRevoke } } }";

const REVOKE: &str = "mutation($id: ID!) { revokeRole(input: {roleGrantId: $id}) {
  roleGrant { id active revokedBy { displayName } revokedAt viewerCanRevoke } } }";

const NEED: &str = "query($id: ID!) { need(id: $id) { id title } }";

const NEEDS: &str = "query { needs(first: 100) { nodes { id } } }";

const UPDATE_NEED: &str =
    "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { id title } } }";

/// Runs `sql` straight in the database, as an operator would.
async fn in_the_database(app: &TestApp, sql: &str) {
    let db = Database::connect(app.database_url.as_str()).await.unwrap();
    db.execute_unprepared(sql).await.unwrap();
    db.close().await.unwrap();
}

async fn grant(app: &TestApp, token: &str, org: &str, email: &str, role: &str) -> Value {
    app.gql(
        Some(token),
        GRANT,
        json!({"input": {"organizationId": org, "email": email, "role": role}}),
    )
    .await
}

async fn granted(app: &TestApp, token: &str, org: &str, email: &str, role: &str) -> String {
    let res = grant(app, token, org, email, role).await;
    assert!(res.get("errors").is_none(), "{res}");
    text(&res["data"]["grantRole"]["roleGrant"]["id"])
}

/// The ids of the needs `token` lists.
async fn listed(app: &TestApp, token: &str) -> Vec<String> {
    let data = app.gql_ok(Some(token), NEEDS, json!({})).await;
    data["needs"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| text(&n["id"]))
        .collect()
}

/// A CONFIDENTIAL, published need of enterprise B.
async fn b_confidential(app: &TestApp, w: &World) -> String {
    let data = app
        .gql_ok(
            Some(&w.b),
            crate::fixtures::CREATE_NEED,
            json!({"input": {
                "organizationId": w.org_b, "title": "乙方机密 B's due diligence",
                "description": "收购尽调 acquisition due diligence", "keywords": ["diligence"],
                "disciplineCodes": ["460"], "industryCodes": ["C34"], "trlRequired": 6,
                "cooperationModes": ["JOINT_RESEARCH"], "visibility": "CONFIDENTIAL"}}),
        )
        .await;
    let id = text(&data["createNeed"]["need"]["id"]);
    app.gql_ok(
        Some(&w.b),
        "mutation($id: ID!) { publishNeed(input: {id: $id}) { need { status } } }",
        json!({"id": id}),
    )
    .await;
    id
}

e2e!(
    a_coordinator_sees_and_curates_confidential_needs_only_in_scope,
    |app| async move {
        let w = World::new(&app).await;
        // A's department below A: a grant over A covers it.
        let dept = create_org(&app, &w.admin, "A 研发部 R&D", "ENTERPRISE", Some(&w.org_a)).await;
        let a_need = w
            .need(&app, "甲方机密 A's bearing plan", "CONFIDENTIAL", true)
            .await;
        let dept_member = app.user("d@enterprise-a.test").await;
        crate::fixtures::add_member(&app, &w.admin, &dept, "d@enterprise-a.test", "MEMBER").await;
        let dept_need = {
            let data = app
                .gql_ok(
                    Some(&dept_member),
                    crate::fixtures::CREATE_NEED,
                    json!({"input": {"organizationId": dept, "title": "部门机密 Dept secret",
                        "description": "内部 internal", "keywords": ["gear"], "disciplineCodes": ["460"],
                        "industryCodes": ["C34"], "trlRequired": 5, "cooperationModes": ["JOINT_RESEARCH"],
                        "visibility": "CONFIDENTIAL"}}),
                )
                .await;
            text(&data["createNeed"]["need"]["id"])
        };
        let b_need = b_confidential(&app, &w).await;

        // The platform role alone: no confidential need of anyone (the
        // university's transfer office read enterprises' due diligence).
        let tto = app.user("tto@university.test").await;
        in_the_database(
            &app,
            "UPDATE users SET platform_role = 'COORDINATOR' WHERE email = 'tto@university.test'",
        )
        .await;
        for id in [&a_need, &dept_need, &b_need] {
            let res = app.gql(Some(&tto), NEED, json!({"id": id})).await;
            assert_code(&res, "NOT_FOUND");
        }
        let seen = listed(&app, &tto).await;
        assert!(
            !seen.contains(&a_need) && !seen.contains(&b_need),
            "{seen:?}"
        );

        // Only who administers A grants over it: not B, not A's plain
        // member; the admin does.
        for token in [&w.b, &w.a, &tto] {
            let res = grant(&app, token, &w.org_a, "tto@university.test", "COORDINATOR").await;
            assert_code(&res, "FORBIDDEN");
        }
        let res = grant(
            &app,
            &w.admin,
            &w.org_a,
            "nobody@nowhere.test",
            "COORDINATOR",
        )
        .await;
        assert_code(&res, "BAD_USER_INPUT");
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"], "input.email",
            "{res}"
        );
        let res = grant(
            &app,
            &w.admin,
            &w.org_a,
            "tto@university.test",
            "COORDINATOR",
        )
        .await;
        assert!(res.get("errors").is_none(), "{res}");
        let g = &res["data"]["grantRole"]["roleGrant"];
        assert_eq!(g["role"], "COORDINATOR");
        assert_eq!(g["active"], true);
        assert_eq!(g["organization"]["id"], w.org_a.as_str());
        assert_eq!(g["user"]["displayName"], "tto@university.test");
        assert_eq!(g["grantedBy"]["displayName"], "Administrator");
        assert!(g["revokedAt"].is_null() && g["revokedBy"].is_null(), "{g}");
        let grant_id = text(&g["id"]);
        let again = grant(
            &app,
            &w.admin,
            &w.org_a,
            "tto@university.test",
            "COORDINATOR",
        )
        .await;
        assert_code(&again, "CONFLICT");

        // In scope at once (the kept caller is forgotten): A's and its
        // department's confidential needs, listed and read; B's stays hidden.
        for (id, title) in [
            (&a_need, "甲方机密 A's bearing plan"),
            (&dept_need, "部门机密 Dept secret"),
        ] {
            let data = app.gql_ok(Some(&tto), NEED, json!({"id": id})).await;
            assert_eq!(data["need"]["title"], title);
        }
        let seen = listed(&app, &tto).await;
        assert!(
            seen.contains(&a_need) && seen.contains(&dept_need),
            "{seen:?}"
        );
        assert!(!seen.contains(&b_need), "{seen:?}");
        assert_code(
            &app.gql(Some(&tto), NEED, json!({"id": b_need})).await,
            "NOT_FOUND",
        );
        // Curates: edits A's need; not B's.
        let edited = app
            .gql_ok(
                Some(&tto),
                UPDATE_NEED,
                json!({"input": {"id": a_need, "title": "甲方机密 A's bearing plan (reviewed)"}}),
            )
            .await;
        assert_eq!(
            edited["updateNeed"]["need"]["title"],
            "甲方机密 A's bearing plan (reviewed)"
        );
        let res = app
            .gql(
                Some(&tto),
                UPDATE_NEED,
                json!({"input": {"id": b_need, "title": "x"}}),
            )
            .await;
        assert_code(&res, "NOT_FOUND");

        // The record: the holder and the admin see it, B does not.
        let mine = app
            .gql_ok(
                Some(&tto),
                "{ me { roleGrants { id role organization { id } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            mine["me"]["roleGrants"][0]["id"],
            grant_id.as_str(),
            "{mine}"
        );
        let on_a = app
            .gql_ok(
                Some(&w.admin),
                "query($id: ID!) { organization(id: $id) { roleGrants { id user { displayName } } } }",
                json!({"id": w.org_a}),
            )
            .await;
        assert_eq!(
            on_a["organization"]["roleGrants"][0]["id"],
            grant_id.as_str()
        );
        let res = app
            .gql(
                Some(&w.b),
                "query($id: ID!) { organization(id: $id) { roleGrants { id } } }",
                json!({"id": w.org_a}),
            )
            .await;
        assert_code(&res, "FORBIDDEN");
        let res = app
            .gql(
                Some(&w.b),
                "query($id: ID!) { node(id: $id) { id } }",
                json!({"id": grant_id}),
            )
            .await;
        assert_code(&res, "NOT_FOUND");
        assert_code(
            &app.gql(Some(&w.b), REVOKE, json!({"id": grant_id})).await,
            "NOT_FOUND",
        );

        // Revoked: out of scope at once; on record with who and when.
        let res = app
            .gql_ok(Some(&w.admin), REVOKE, json!({"id": grant_id}))
            .await;
        let r = &res["revokeRole"]["roleGrant"];
        assert_eq!(r["active"], false);
        assert_eq!(r["revokedBy"]["displayName"], "Administrator");
        assert!(r["revokedAt"].is_string(), "{r}");
        assert_eq!(r["viewerCanRevoke"], false);
        assert_code(
            &app.gql(Some(&w.admin), REVOKE, json!({"id": grant_id}))
                .await,
            "CONFLICT",
        );
        assert_code(
            &app.gql(Some(&tto), NEED, json!({"id": a_need})).await,
            "NOT_FOUND",
        );
        let history = app
            .gql_ok(
                Some(&w.admin),
                "query($id: ID!) { organization(id: $id) { active: roleGrants { id }
                   all: roleGrants(includeRevoked: true) { id active revokedAt } } }",
                json!({"id": w.org_a}),
            )
            .await;
        assert_eq!(history["organization"]["active"], json!([]));
        assert_eq!(
            history["organization"]["all"][0]["active"], false,
            "{history}"
        );

        // An ORG_ADMIN of B grants over B (the university's office would be
        // given the university the same way) — and A's ORG_ADMIN cannot.
        let b_admin = app.user("boss@enterprise-b.test").await;
        crate::fixtures::add_member(
            &app,
            &w.admin,
            &w.org_b,
            "boss@enterprise-b.test",
            "ORG_ADMIN",
        )
        .await;
        let a_admin = app.user("boss@enterprise-a.test").await;
        crate::fixtures::add_member(
            &app,
            &w.admin,
            &w.org_a,
            "boss@enterprise-a.test",
            "ORG_ADMIN",
        )
        .await;
        assert_code(
            &grant(
                &app,
                &a_admin,
                &w.org_b,
                "tto@university.test",
                "COORDINATOR",
            )
            .await,
            "FORBIDDEN",
        );
        let over_b = granted(
            &app,
            &b_admin,
            &w.org_b,
            "tto@university.test",
            "COORDINATOR",
        )
        .await;
        let data = app.gql_ok(Some(&tto), NEED, json!({"id": b_need})).await;
        assert_eq!(data["need"]["title"], "乙方机密 B's due diligence");
        assert_code(
            &app.gql(Some(&tto), NEED, json!({"id": a_need})).await,
            "NOT_FOUND",
        );
        // The holder may give the role up.
        let res = app.gql_ok(Some(&tto), REVOKE, json!({"id": over_b})).await;
        assert_eq!(res["revokeRole"]["roleGrant"]["active"], false);
        assert_code(
            &app.gql(Some(&tto), NEED, json!({"id": b_need})).await,
            "NOT_FOUND",
        );
    }
);

/// A's in-house project with university U as the second party (created by
/// the admin, who may name any parties); its id.
async fn a_u_project(app: &TestApp, w: &World) -> String {
    let data = app
        .gql_ok(
            Some(&w.admin),
            "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
            json!({"input": {"title": "联合研发 Joint R&D", "area": "JOINT_RESEARCH_PLATFORM",
                "partyOrganizationIds": [w.org_a, w.org_u]}}),
        )
        .await;
    text(&data["createProject"]["project"]["id"])
}

e2e!(
    a_supervisor_reads_projects_and_figures_in_scope_and_changes_nothing,
    |app| async move {
        let w = World::new(&app).await;
        let project = a_u_project(&app, &w).await;
        let a_need = w
            .need(&app, "甲方机密 A's bearing plan", "CONFIDENTIAL", true)
            .await;
        let public = w.need(&app, "公开需求 Public need", "PUBLIC", true).await;
        let sup = app.user("sup@service-center.test").await;
        // An ORG_ADMIN in the supervisor's own account: still read-only.
        let center = create_org(
            &app,
            &w.admin,
            "项目管理服务中心 Service Center",
            "GOVERNMENT",
            None,
        )
        .await;
        crate::fixtures::add_member(
            &app,
            &w.admin,
            &center,
            "sup@service-center.test",
            "ORG_ADMIN",
        )
        .await;
        // Before the grant: neither the project nor the figures.
        let res = app
            .gql(
                Some(&sup),
                "query($id: ID!) { project(id: $id) { id } }",
                json!({"id": project}),
            )
            .await;
        assert_code(&res, "NOT_FOUND");
        let res = app
            .gql(Some(&sup), "{ stats { overdueChecklistItems } }", json!({}))
            .await;
        assert_code(&res, "FORBIDDEN");

        granted(
            &app,
            &w.admin,
            &w.org_a,
            "sup@service-center.test",
            "SUPERVISOR",
        )
        .await;
        // Reads: the project of A, the platform's figures, public needs;
        // never A's confidential need.
        let data = app
            .gql_ok(
                Some(&sup),
                "query($id: ID!) { project(id: $id) { id title } projects(first: 10) { totalCount } }",
                json!({"id": project}),
            )
            .await;
        assert_eq!(data["project"]["title"], "联合研发 Joint R&D");
        assert_eq!(data["projects"]["totalCount"], 1);
        app.gql_ok(Some(&sup), "{ stats { overdueChecklistItems } }", json!({}))
            .await;
        app.gql_ok(Some(&sup), NEED, json!({"id": public})).await;
        assert_code(
            &app.gql(Some(&sup), NEED, json!({"id": a_need})).await,
            "NOT_FOUND",
        );

        // Every mutation of the schema is FORBIDDEN before it runs, whatever
        // its arguments (none here).
        let schema = app
            .gql_ok(
                Some(&sup),
                "{ __schema { mutationType { fields { name } } } }",
                json!({}),
            )
            .await;
        let fields = schema["__schema"]["mutationType"]["fields"]
            .as_array()
            .unwrap();
        assert!(fields.len() > 40, "{schema}");
        for field in fields {
            let name = text(&field["name"]);
            let res = app
                .gql(
                    Some(&sup),
                    &format!("mutation {{ {name} {{ __typename }} }}"),
                    json!({}),
                )
                .await;
            assert_code(&res, "FORBIDDEN");
            assert_eq!(
                res["errors"][0]["extensions"]["key"], "account.read_only",
                "{name}: {res}"
            );
            assert!(res["data"].is_null(), "{name}: {res}");
        }
        // A well-formed write too: nothing changes.
        let res = app
            .gql(
                Some(&sup),
                "mutation { updateProfile(input: {displayName: \"changed\"}) { user { displayName } } }",
                json!({}),
            )
            .await;
        assert_code(&res, "FORBIDDEN");
        let res = app
            .gql(
                Some(&sup),
                "mutation($input: AddMemberInput!) { addMember(input: $input) { membership { id } } }",
                json!({"input": {"organizationId": center, "email": "a@enterprise-a.test"}}),
            )
            .await;
        assert_code(&res, "FORBIDDEN");
        let me = app
            .gql_ok(Some(&sup), "{ me { displayName } }", json!({}))
            .await;
        assert_eq!(me["me"]["displayName"], "sup@service-center.test");
        // Over a WebSocket as well.
        let mut ws = Ws::connect(&app, Some(&sup)).await;
        ws.subscribe(
            "w",
            "mutation { updateProfile(input: {displayName: \"over ws\"}) { user { displayName } } }",
            json!({}),
        )
        .await;
        let msg = ws.next(Duration::from_secs(10)).await.expect("an answer");
        let errors = if msg["type"] == "error" {
            msg["payload"].clone()
        } else {
            msg["payload"]["errors"].clone()
        };
        assert_eq!(errors[0]["extensions"]["code"], "FORBIDDEN", "{msg}");
        assert_eq!(errors[0]["extensions"]["key"], "account.read_only", "{msg}");

        // A stranger sees neither the project nor the figures.
        assert_code(
            &app.gql(
                Some(&w.b),
                "query($id: ID!) { project(id: $id) { id } }",
                json!({"id": project}),
            )
            .await,
            "NOT_FOUND",
        );
    }
);

e2e!(
    a_coordinator_grant_revoked_in_the_database_ends_at_once_on_an_open_websocket,
    |app| async move {
        let w = World::new(&app).await;
        let need = w
            .need(&app, "机密需求 Confidential need", "CONFIDENTIAL", true)
            .await;
        let tto = app.user("tto@university.test").await;
        granted(
            &app,
            &w.admin,
            &w.org_a,
            "tto@university.test",
            "COORDINATOR",
        )
        .await;
        let mut ws = Ws::connect(&app, Some(&tto)).await;
        ws.subscribe("read", NEED, json!({"id": need})).await;
        let msg = ws.next(Duration::from_secs(10)).await.expect("an answer");
        assert_eq!(
            msg["payload"]["data"]["need"]["title"], "机密需求 Confidential need",
            "{msg}"
        );
        ws.next(Duration::from_secs(10)).await.expect("complete");

        // As an operator would, in the database.
        in_the_database(
            &app,
            "UPDATE role_grants SET revoked_at = '2026-12-07 00:00:00+00:00' WHERE revoked_at IS NULL",
        )
        .await;
        ws.subscribe("again", NEED, json!({"id": need})).await;
        let msg = ws.next(Duration::from_secs(10)).await.expect("an answer");
        assert!(msg["payload"]["data"]["need"].is_null(), "{msg}");
        assert_eq!(
            msg["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{msg}"
        );
    }
);

e2e!(
    a_role_granted_twice_at_once_is_held_once,
    |app| async move {
        let w = World::new(&app).await;
        app.user("tto@university.test").await;
        // Ten grants of the same role at once: one is recorded, the others
        // are CONFLICT, whoever wins the race.
        let attempts = (0..10).map(|_| {
            grant(
                &app,
                &w.admin,
                &w.org_u,
                "tto@university.test",
                "COORDINATOR",
            )
        });
        let answers = futures::future::join_all(attempts).await;
        let granted = answers.iter().filter(|r| r.get("errors").is_none()).count();
        assert_eq!(granted, 1, "{answers:?}");
        for res in answers.iter().filter(|r| r.get("errors").is_some()) {
            assert_code(res, "CONFLICT");
            assert_eq!(
                res["errors"][0]["extensions"]["fields"][0]["field"], "input.role",
                "{res}"
            );
        }
        let held = app
            .gql_ok(
                Some(&w.admin),
                "query($id: ID!) { organization(id: $id) { roleGrants(includeRevoked: true) { id } } }",
                json!({"id": w.org_u}),
            )
            .await;
        assert_eq!(
            held["organization"]["roleGrants"].as_array().unwrap().len(),
            1,
            "{held}"
        );
    }
);
