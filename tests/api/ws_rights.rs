//! An open WebSocket has the rights of its caller as they are now: the
//! caller is resolved again for every operation and every event, and the
//! connection closes with 4401 when its sign-in ends (the access token
//! expires, logout).

use std::time::{Duration, Instant};

use iurhub_api::config::Settings;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

use crate::common::{DEFAULT_PASSWORD, TestApp};
use crate::fixtures::{CREATE_ORG, World, add_member};
use crate::subscriptions::{Init, Ws};

/// The close code of a connection whose sign-in ended.
const SIGN_IN_ENDED: u16 = 4401;

const MINE: &str = "subscription { myProjectsUpdated { kind project { id } } }";
const ONE: &str =
    "subscription($id: ID!) { projectUpdated(projectId: $id) { kind project { id } } }";
const ADD_ITEM: &str = "mutation($input: AddChecklistItemInput!) {
  addChecklistItem(input: $input) { item { id } } }";

/// Runs `sql` straight in the database, as an operator would.
async fn in_the_database(app: &TestApp, sql: &str) {
    let db = Database::connect(app.database_url.as_str()).await.unwrap();
    db.execute_unprepared(sql).await.unwrap();
    db.close().await.unwrap();
}

/// Runs one query or mutation over the connection; returns its payload.
async fn ask(ws: &mut Ws, id: &str, query: &str, variables: Value) -> Value {
    ws.subscribe(id, query, variables).await;
    let msg = ws.next(Duration::from_secs(10)).await.expect("an answer");
    assert_eq!(msg["id"], id, "{msg}");
    if msg["type"] == "error" {
        return json!({ "errors": msg["payload"] });
    }
    assert_eq!(msg["type"], "next", "{msg}");
    let done = ws.next(Duration::from_secs(10)).await.expect("complete");
    assert_eq!(done, json!({"id": id, "type": "complete"}));
    msg["payload"].clone()
}

/// Reads until the server closes the connection; returns the close code and
/// every message before it.
async fn until_closed(ws: &mut Ws, wait: Duration) -> (u16, Vec<Value>) {
    let mut before = Vec::new();
    loop {
        match ws.next_frame(wait).await {
            Some(Ok(msg)) => before.push(msg),
            Some(Err(code)) => return (code, before),
            None => panic!("still open after {wait:?}; received {before:?}"),
        }
    }
}

/// Signs in; returns the access and the refresh token.
async fn sign_in(app: &TestApp, email: &str, password: &str) -> (String, String) {
    let res = app.post_login(email, password).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    (
        crate::common::text(&body["accessToken"]),
        crate::common::text(&body["refreshToken"]),
    )
}

/// A's in-house project (A the only party); its id.
async fn in_house_project(app: &TestApp, w: &World) -> String {
    let data = app
        .gql_ok(
            Some(&w.a),
            "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
            json!({"input": {"title": "内部研发 In-house R&D", "area": "JOINT_TRAINING",
                "partyOrganizationIds": [w.org_a]}}),
        )
        .await;
    crate::common::text(&data["createProject"]["project"]["id"])
}

/// The names of every organisation, as the admin sees them over HTTP.
async fn organization_names(app: &TestApp) -> Vec<String> {
    let admin = app.admin_token().await;
    let data = app
        .gql_ok(
            Some(&admin),
            "{ organizations(first: 100) { edges { node { name } } } }",
            json!({}),
        )
        .await;
    data["organizations"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| crate::common::text(&e["node"]["name"]))
        .collect()
}

fn short_tokens(s: &mut Settings) {
    s.access_token_ttl_secs = 3;
    s.jwt_leeway_secs = 0;
}

e2e!(
    a_websocket_closes_when_its_access_token_expires,
    settings = short_tokens,
    |app| async move {
        let (token, _) = sign_in(
            &app,
            crate::common::ADMIN_EMAIL,
            crate::common::ADMIN_PASSWORD,
        )
        .await;
        let signed_in = Instant::now();
        let mut idle = Ws::connect(&app, Some(&token)).await;
        let mut writer = Ws::connect(&app, Some(&token)).await;
        let me = ask(&mut writer, "me", "{ me { email } }", json!({})).await;
        assert_eq!(
            me["data"]["me"]["email"],
            crate::common::ADMIN_EMAIL,
            "{me}"
        );

        // At the token's expiry the server closes the connection by itself.
        let (code, before) = until_closed(&mut idle, Duration::from_secs(10)).await;
        assert_eq!(code, SIGN_IN_ENDED, "{before:?}");
        assert!(before.is_empty(), "{before:?}");
        assert!(
            signed_in.elapsed() <= Duration::from_secs(5),
            "closed {:?} after signing in with a 3 s token",
            signed_in.elapsed()
        );

        // A mutation sent after the expiry is not run.
        writer
            .try_send(json!({"id": "late", "type": "subscribe", "payload": {
                "query": CREATE_ORG,
                "variables": {"input": {"name": "Created after expiry", "kind": "ENTERPRISE",
                    "region": {"province": "浙江省", "city": "杭州市"}}}}}))
            .await;
        let (code, before) = until_closed(&mut writer, Duration::from_secs(10)).await;
        assert_eq!(code, SIGN_IN_ENDED, "{before:?}");
        assert!(
            before.iter().all(|m| m["payload"]["data"].is_null()),
            "{before:?}"
        );
        assert!(
            !organization_names(&app)
                .await
                .contains(&"Created after expiry".to_owned()),
            "the organisation was created after the token expired"
        );

        // A fresh token opens a fresh connection.
        let (fresh, _) = sign_in(
            &app,
            crate::common::ADMIN_EMAIL,
            crate::common::ADMIN_PASSWORD,
        )
        .await;
        let mut again = Ws::connect(&app, Some(&fresh)).await;
        let me = ask(&mut again, "me", "{ me { email } }", json!({})).await;
        assert_eq!(
            me["data"]["me"]["email"],
            crate::common::ADMIN_EMAIL,
            "{me}"
        );
    }
);

e2e!(a_websocket_closes_when_its_sign_in_ends, |app| async move {
    let w = World::new(&app).await;
    let (access, refresh) = sign_in(&app, "a@enterprise-a.test", DEFAULT_PASSWORD).await;
    let mut ws = Ws::connect(&app, Some(&access)).await;
    ws.subscribe("mine", MINE, json!({})).await;
    // Another sign-in of the same user is not affected.
    let mut other = Ws::connect(&app, Some(&w.a)).await;

    let res = app.post_logout(&refresh).await;
    assert_eq!(res.status(), 204);
    let (code, before) = until_closed(&mut ws, Duration::from_secs(5)).await;
    assert_eq!(code, SIGN_IN_ENDED, "{before:?}");

    // The signed-out access token opens no new connection, and the next
    // operation over a connection opened before the logout is refused.
    match Ws::init(&app, Some(&access)).await {
        Init::Closed(code) => assert_eq!(code, 4403),
        Init::Ack(_) => panic!("a signed-out token was accepted"),
    }
    let me = ask(&mut other, "me", "{ me { email } }", json!({})).await;
    assert_eq!(me["data"]["me"]["email"], "a@enterprise-a.test", "{me}");

    // Reuse of a refresh token ends the sign-in too.
    let (access, refresh) = sign_in(&app, "a@enterprise-a.test", DEFAULT_PASSWORD).await;
    let mut ws = Ws::connect(&app, Some(&access)).await;
    for expected in [200, 401] {
        let res = app.post_refresh(&refresh).await;
        assert_eq!(res.status(), expected);
    }
    let (code, _) = until_closed(&mut ws, Duration::from_secs(5)).await;
    assert_eq!(code, SIGN_IN_ENDED);
});

e2e!(
    a_password_change_ends_the_other_sign_ins,
    |app| async move {
        let _w = World::new(&app).await;
        let email = "a@enterprise-a.test";
        let (other_access, _) = sign_in(&app, email, DEFAULT_PASSWORD).await;
        let mut other = Ws::connect(&app, Some(&other_access)).await;
        other.subscribe("mine", MINE, json!({})).await;
        let (access, _) = sign_in(&app, email, DEFAULT_PASSWORD).await;
        let mut mine = Ws::connect(&app, Some(&access)).await;

        let res = app
        .client
        .post(app.url("/api/v1/auth/password"))
        .bearer_auth(&access)
        .json(&json!({"currentPassword": DEFAULT_PASSWORD, "newPassword": "another long password"}))
        .send()
        .await
        .unwrap();
        assert_eq!(res.status(), 204);
        // The other sign-in's socket closes; the one that changed it goes on.
        let (code, before) = until_closed(&mut other, Duration::from_secs(5)).await;
        assert_eq!(code, SIGN_IN_ENDED, "{before:?}");
        let me = ask(&mut mine, "me", "{ me { email } }", json!({})).await;
        assert_eq!(me["data"]["me"]["email"], email, "{me}");
    }
);

/// Adds checklist items to `project` as `token` until `ws` hears of one
/// (subscriptions start asynchronously).
async fn until_heard(app: &TestApp, token: &str, project: &str, ws: &mut Ws) -> Value {
    for n in 0..10 {
        app.gql_ok(
            Some(token),
            ADD_ITEM,
            json!({"input": {"projectId": project, "title": format!("warm-up {n}")}}),
        )
        .await;
        if let Some(msg) = ws.next(Duration::from_millis(1500)).await {
            return msg;
        }
    }
    panic!("no event within 15 s");
}

/// Every message that arrives within `wait`.
async fn drain(ws: &mut Ws, wait: Duration) -> Vec<Value> {
    let mut got = Vec::new();
    while let Some(msg) = ws.next(wait).await {
        got.push(msg);
    }
    got
}

e2e!(
    a_removed_member_hears_no_more_of_the_organizations_projects,
    |app| async move {
        let w = World::new(&app).await;
        let colleague = app.user("colleague@enterprise-a.test").await;
        let res = add_member(
            &app,
            &w.admin,
            &w.org_a,
            "colleague@enterprise-a.test",
            "MEMBER",
        )
        .await;
        assert!(res.get("errors").is_none(), "{res}");
        let project = in_house_project(&app, &w).await;

        let mut leaving = Ws::connect(&app, Some(&w.a)).await;
        leaving.subscribe("mine", MINE, json!({})).await;
        leaving.subscribe("one", ONE, json!({"id": project})).await;
        let mut staying = Ws::connect(&app, Some(&colleague)).await;
        staying.subscribe("mine", MINE, json!({})).await;
        until_heard(&app, &colleague, &project, &mut leaving).await;
        until_heard(&app, &colleague, &project, &mut staying).await;
        drain(&mut leaving, Duration::from_millis(1000)).await;
        drain(&mut staying, Duration::from_millis(1000)).await;

        // The member leaves enterprise A (no mutation removes members: an
        // operator does it in the database).
        in_the_database(
            &app,
            "DELETE FROM memberships WHERE user_id = \
             (SELECT id FROM users WHERE email = 'a@enterprise-a.test')",
        )
        .await;
        app.gql_ok(
            Some(&colleague),
            ADD_ITEM,
            json!({"input": {"projectId": project, "title": "after the departure"}}),
        )
        .await;
        let heard = drain(&mut staying, Duration::from_millis(2000)).await;
        assert!(
            heard
                .iter()
                .any(|m| m["payload"]["data"]["myProjectsUpdated"]["project"]["id"] == project),
            "the colleague still hears: {heard:?}"
        );
        let leaked = drain(&mut leaving, Duration::from_millis(1000)).await;
        assert!(
            leaked.is_empty(),
            "the former member still hears: {leaked:?}"
        );

        // The connection itself stays open (the sign-in did not end); its
        // operations have the rights of now.
        let me = ask(
            &mut leaving,
            "me",
            "{ me { memberships { id } } }",
            json!({}),
        )
        .await;
        assert_eq!(me["data"]["me"]["memberships"], json!([]), "{me}");
    }
);

e2e!(
    a_coordinator_who_lost_the_role_sees_no_more_over_an_open_websocket,
    |app| async move {
        let w = World::new(&app).await;
        let coordinator = app.user("tto@university.test").await;
        // A coordinator of enterprise A (`grantRole`).
        app.gql_ok(
            Some(&w.admin),
            "mutation($input: GrantRoleInput!) { grantRole(input: $input) { roleGrant { id } } }",
            json!({"input": {"organizationId": w.org_a, "email": "tto@university.test", "role": "COORDINATOR"}}),
        )
        .await;
        let need = w
            .need(&app, "机密需求 Confidential need", "CONFIDENTIAL", true)
            .await;
        let project = in_house_project(&app, &w).await;
        let read = "query($id: ID!) { need(id: $id) { title } }";

        let mut ws = Ws::connect(&app, Some(&coordinator)).await;
        let seen = ask(&mut ws, "read", read, json!({"id": need})).await;
        assert_eq!(
            seen["data"]["need"]["title"], "机密需求 Confidential need",
            "{seen}"
        );
        ws.subscribe("mine", MINE, json!({})).await;
        until_heard(&app, &w.a, &project, &mut ws).await;
        drain(&mut ws, Duration::from_millis(1000)).await;

        // An operator revokes the grant in the database.
        in_the_database(
            &app,
            "UPDATE role_grants SET revoked_at = '2026-12-07 00:00:00+00:00' WHERE revoked_at IS NULL",
        )
        .await;
        let hidden = ask(&mut ws, "again", read, json!({"id": need})).await;
        assert!(hidden["data"]["need"].is_null(), "{hidden}");
        assert_eq!(
            hidden["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{hidden}"
        );
        app.gql_ok(
            Some(&w.a),
            ADD_ITEM,
            json!({"input": {"projectId": project, "title": "after the role was taken"}}),
        )
        .await;
        let leaked = drain(&mut ws, Duration::from_millis(2000)).await;
        assert!(
            leaked.is_empty(),
            "the former coordinator still hears: {leaked:?}"
        );
    }
);

e2e!(
    an_agreement_coordinator_s_rights_follow_the_grant_over_an_open_websocket,
    |app| async move {
        let w = World::new(&app).await;
        let coordinator = app.user("pmo@consultancy.test").await;
        let data = app
            .gql_ok(
                Some(&w.a),
                "mutation($input: CreateAgreementInput!) { createAgreement(input: $input) { agreement { id } } }",
                json!({"input": {"title": "框架协议 Framework", "termStart": "2026-01-01",
                    "termEnd": "2030-12-31", "areas": ["JOINT_TRAINING"],
                    "partyOrganizationIds": [w.org_a, w.org_u]}}),
            )
            .await;
        let agreement = crate::common::text(&data["createAgreement"]["agreement"]["id"]);
        let data = app
            .gql_ok(
                Some(&w.a),
                crate::fixtures::CREATE_NEED,
                json!({"input": {"organizationId": w.org_a, "title": "协议下机密 Filed secret",
                    "description": "尽调 due diligence", "keywords": ["diligence"],
                    "disciplineCodes": ["460"], "trlRequired": 5, "visibility": "CONFIDENTIAL",
                    "agreementId": agreement}}),
            )
            .await;
        let need = crate::common::text(&data["createNeed"]["need"]["id"]);
        let read = "query($id: ID!) { need(id: $id) { title } }";

        let mut ws = Ws::connect(&app, Some(&coordinator)).await;
        let hidden = ask(&mut ws, "before", read, json!({"id": need})).await;
        assert_eq!(
            hidden["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{hidden}"
        );
        // Granted over HTTP: the open connection has the right at once.
        app.gql_ok(
            Some(&w.admin),
            "mutation($input: GrantAgreementCoordinatorInput!) {
              grantAgreementCoordinator(input: $input) { grant { id } } }",
            json!({"input": {"agreementId": agreement, "email": "pmo@consultancy.test"}}),
        )
        .await;
        let seen = ask(&mut ws, "granted", read, json!({"id": need})).await;
        assert_eq!(
            seen["data"]["need"]["title"], "协议下机密 Filed secret",
            "{seen}"
        );

        // An operator revokes the grant in the database: the change of
        // access is noticed on the next operation.
        in_the_database(
            &app,
            "UPDATE agreement_coordinators SET revoked_at = '2026-12-07 00:00:00+00:00' \
             WHERE revoked_at IS NULL",
        )
        .await;
        let hidden = ask(&mut ws, "revoked", read, json!({"id": need})).await;
        assert!(hidden["data"]["need"].is_null(), "{hidden}");
        assert_eq!(
            hidden["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{hidden}"
        );
    }
);
