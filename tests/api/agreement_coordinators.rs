//! Agreement coordinators: COORDINATOR of one framework agreement, appointed
//! by an ORG_ADMIN of a party (or an admin). The coordinator sees and edits
//! the agreement, sees the needs filed under it (CONFIDENTIAL ones too) and
//! decides on their matches, manages the projects filed under it and sets
//! its plans — and sees nothing else of the parties; confirming and
//! terminating stay with the parties' ORG_ADMINs. Revoking ends every one of
//! those rights on the next request.

use serde_json::{Value, json};

use crate::common::{TestApp, assert_code, search_hit_ids, text};
use crate::fixtures::{CREATE_NEED, World, add_member};

const GRANT: &str = "mutation($input: GrantAgreementCoordinatorInput!) {
  grantAgreementCoordinator(input: $input) { grant { id active user { displayName }
    agreement { id } grantedBy { displayName } grantedAt revokedBy { displayName } revokedAt
    viewerCanRevoke } } }";

const REVOKE: &str = "mutation($id: ID!) { revokeAgreementCoordinator(input: {grantId: $id}) {
  grant { id active revokedBy { displayName } revokedAt viewerCanRevoke agreement { id } } } }";

const AGREEMENT: &str = "query($id: ID!) { agreement(id: $id) { id viewerCanEdit
  coordinators { id user { displayName } active } } }";

const NEED: &str = "query($id: ID!) { need(id: $id) { id title viewerCanEdit } }";

const NEEDS: &str = "query($id: ID!) { needs(first: 100) { nodes { id } }
  agreement(id: $id) { needs(first: 100) { nodes { id } } } }";

const SEARCH: &str = "query($q: String!) { search(query: $q, types: [NEED], first: 20) {
  edges { node { ... on Need { id } } } } }";

const MATCHES: &str =
    "query($id: ID!) { need(id: $id) { matches(first: 10) { nodes { id status } } } }";

const SHORTLIST: &str =
    "mutation($id: ID!) { shortlistMatch(input: {id: $id}) { match { id status } } }";

const UPDATE_NEED: &str =
    "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { id title } } }";

const CREATE_PROJECT: &str = "mutation($input: CreateProjectInput!) {
  createProject(input: $input) { project { id } } }";

const UPDATE_PROJECT: &str = "mutation($input: UpdateProjectInput!) {
  updateProject(input: $input) { project { id title } } }";

const SET_TARGET: &str = "mutation($input: SetPlanTargetInput!) {
  setPlanTarget(input: $input) { target { id target } } }";

const TERMINATE: &str = "mutation($id: ID!) {
  terminateAgreement(input: {id: $id, reason: \"不再合作 no longer\"}) { agreement { status } } }";

pub(crate) const COORDINATOR: &str = "pmo@consultancy.test";

/// The world with an ORG_ADMIN of A and an ACTIVE agreement between A and U
/// drafted by A's member: `(world, a_admin, agreement)`.
pub(crate) async fn world(app: &TestApp) -> (World, String, String) {
    let w = World::new(app).await;
    let a_admin = app.user("boss@enterprise-a.test").await;
    let res = add_member(
        app,
        &w.admin,
        &w.org_a,
        "boss@enterprise-a.test",
        "ORG_ADMIN",
    )
    .await;
    assert!(res.get("errors").is_none(), "{res}");
    let data = app
        .gql_ok(
            Some(&w.a),
            "mutation($input: CreateAgreementInput!) { createAgreement(input: $input) { agreement { id } } }",
            json!({"input": {
                "title": "产学研合作框架协议 Cooperation framework",
                "termStart": "2026-01-01", "termEnd": "2030-12-31",
                "areas": ["JOINT_RESEARCH_PLATFORM", "JOINT_TRAINING"],
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
    (w, a_admin, id)
}

pub(crate) async fn grant(app: &TestApp, token: &str, agreement: &str, email: &str) -> Value {
    app.gql(
        Some(token),
        GRANT,
        json!({"input": {"agreementId": agreement, "email": email}}),
    )
    .await
}

/// A published CONFIDENTIAL need of A, filed under `agreement` if given.
async fn confidential_need(
    app: &TestApp,
    w: &World,
    title: &str,
    agreement: Option<&str>,
) -> String {
    let data = app
        .gql_ok(
            Some(&w.a),
            CREATE_NEED,
            json!({"input": {
                "organizationId": w.org_a, "title": title,
                "description": "焊缝质量在线检测 weld seam inspection on the robotic line",
                "keywords": ["焊缝", "weld seam"], "disciplineCodes": ["460"], "trlRequired": 5,
                "visibility": "CONFIDENTIAL", "agreementId": agreement}}),
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

fn ids(list: &Value) -> Vec<String> {
    list["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|n| text(&n["id"]))
        .collect()
}

e2e!(
    a_party_s_org_admin_appoints_an_agreement_coordinator_and_nobody_else_does,
    |app| async move {
        let (w, a_admin, agreement) = world(&app).await;
        let coordinator = app.user(COORDINATOR).await;

        // To B the agreement does not exist; A's and U's plain members see
        // it but do not appoint its coordinators.
        assert_code(
            &grant(&app, &w.b, &agreement, COORDINATOR).await,
            "NOT_FOUND",
        );
        for token in [&w.a, &w.u] {
            assert_code(
                &grant(&app, token, &agreement, COORDINATOR).await,
                "FORBIDDEN",
            );
        }
        assert_code(
            &grant(&app, &a_admin, &agreement, "nobody@nowhere.test").await,
            "BAD_USER_INPUT",
        );

        let res = grant(&app, &a_admin, &agreement, COORDINATOR).await;
        assert!(res.get("errors").is_none(), "{res}");
        let granted = &res["data"]["grantAgreementCoordinator"]["grant"];
        assert_eq!(granted["active"], true);
        assert_eq!(granted["agreement"]["id"], agreement.as_str());
        assert_eq!(
            granted["grantedBy"]["displayName"],
            "boss@enterprise-a.test"
        );
        assert_eq!(granted["viewerCanRevoke"], true);
        assert!(granted["revokedAt"].is_null());
        let grant_id = text(&granted["id"]);

        // A coordinator appoints no other.
        assert_code(
            &grant(&app, &coordinator, &agreement, "u@university.test").await,
            "FORBIDDEN",
        );

        // One active grant per user and agreement.
        let again = grant(&app, &a_admin, &agreement, COORDINATOR).await;
        assert_code(&again, "CONFLICT");
        assert_eq!(
            again["errors"][0]["extensions"]["key"],
            "agreement.coordinator.exists"
        );

        // Whoever sees the agreement sees its coordinators; the
        // coordinator sees their own grants, but cannot revoke.
        let data = app
            .gql_ok(Some(&w.u), AGREEMENT, json!({"id": agreement}))
            .await;
        assert_eq!(
            data["agreement"]["coordinators"],
            json!([{"id": grant_id, "user": {"displayName": "pmo@consultancy.test"}, "active": true}])
        );
        let mine = app
            .gql_ok(
                Some(&coordinator),
                "{ me { agreementCoordinatorGrants { id viewerCanRevoke } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            mine["me"]["agreementCoordinatorGrants"],
            json!([{"id": grant_id, "viewerCanRevoke": false}])
        );
        for (token, code) in [
            (&w.b, "NOT_FOUND"),
            (&coordinator, "FORBIDDEN"),
            (&w.a, "FORBIDDEN"),
        ] {
            let res = app.gql(Some(token), REVOKE, json!({"id": grant_id})).await;
            assert_code(&res, code);
        }

        // The admin revokes; the record stays, a second revocation is a
        // CONFLICT, and the coordinators are gone from the agreement.
        let data = app
            .gql_ok(Some(&w.admin), REVOKE, json!({"id": grant_id}))
            .await;
        let revoked = &data["revokeAgreementCoordinator"]["grant"];
        assert_eq!(revoked["active"], false);
        assert!(!revoked["revokedAt"].is_null());
        assert_eq!(revoked["viewerCanRevoke"], false);
        let res = app
            .gql(Some(&a_admin), REVOKE, json!({"id": grant_id}))
            .await;
        assert_code(&res, "CONFLICT");
        let data = app
            .gql_ok(Some(&w.u), AGREEMENT, json!({"id": agreement}))
            .await;
        assert_eq!(data["agreement"]["coordinators"], json!([]));
        let mine = app
            .gql_ok(
                Some(&coordinator),
                "{ me { agreementCoordinatorGrants(includeRevoked: true) { id active agreement { id } } } }",
                json!({}),
            )
            .await;
        // The former coordinator no longer sees the agreement itself.
        assert_eq!(
            mine["me"]["agreementCoordinatorGrants"],
            json!([{"id": grant_id, "active": false, "agreement": null}])
        );
        // Granted anew after the revocation, twice at once: one grant is
        // recorded, the other is a CONFLICT.
        let (first, second) = tokio::join!(
            grant(&app, &a_admin, &agreement, COORDINATOR),
            grant(&app, &w.admin, &agreement, COORDINATOR),
        );
        let mut codes: Vec<Option<String>> = [&first, &second]
            .iter()
            .map(|r| crate::common::error_code(r))
            .collect();
        codes.sort();
        assert_eq!(codes, [None, Some("CONFLICT".into())], "{first} {second}");
        let data = app
            .gql_ok(Some(&w.u), AGREEMENT, json!({"id": agreement}))
            .await;
        assert_eq!(
            data["agreement"]["coordinators"].as_array().unwrap().len(),
            1
        );
    }
);

e2e!(
    an_agreement_coordinator_has_the_work_filed_under_it_until_revoked,
    |app| async move {
        let (w, a_admin, agreement) = world(&app).await;
        let coordinator = app.user(COORDINATOR).await;
        crate::matching::capability(
            &app,
            &w,
            "Weld seam inspection with machine vision 焊缝视觉检测",
            "Line lasers and CNNs find porosity in weld seams.",
            &["焊缝", "weld seam", "machine vision"],
            &["46020"],
            6,
        )
        .await;
        let filed =
            confidential_need(&app, &w, "协议下机密需求 Filed secret", Some(&agreement)).await;
        let unfiled = confidential_need(&app, &w, "协议外机密需求 Other secret", None).await;
        let data = app
            .gql_ok(
                Some(&w.a),
                CREATE_PROJECT,
                json!({"input": {"title": "焊缝检测联合攻关 Weld inspection", "area": "JOINT_RESEARCH_PLATFORM",
                    "partyOrganizationIds": [w.org_a, w.org_u], "agreementId": agreement}}),
            )
            .await;
        let project = text(&data["createProject"]["project"]["id"]);
        let data = app
            .gql_ok(
                Some(&w.a),
                CREATE_PROJECT,
                json!({"input": {"title": "甲方自研 A's own", "area": "OTHER",
                    "partyOrganizationIds": [w.org_a]}}),
            )
            .await;
        let other_project = text(&data["createProject"]["project"]["id"]);
        let data = app.gql_ok(Some(&w.a), MATCHES, json!({"id": filed})).await;
        let matches = ids(&data["need"]["matches"]);
        assert!(!matches.is_empty(), "{data}");

        // Before the grant: nothing of it.
        let res = app
            .gql(Some(&coordinator), NEED, json!({"id": filed}))
            .await;
        assert_code(&res, "NOT_FOUND");

        let res = grant(&app, &a_admin, &agreement, COORDINATOR).await;
        assert!(res.get("errors").is_none(), "{res}");
        let grant_id = text(&res["data"]["grantAgreementCoordinator"]["grant"]["id"]);

        // The agreement, and its edits.
        let data = app
            .gql_ok(Some(&coordinator), AGREEMENT, json!({"id": agreement}))
            .await;
        assert_eq!(data["agreement"]["viewerCanEdit"], true);

        // The CONFIDENTIAL need filed under it, listed and by id, but not
        // its text to edit; the one of A not filed under it stays hidden.
        let data = app
            .gql_ok(Some(&coordinator), NEED, json!({"id": filed}))
            .await;
        assert_eq!(data["need"]["title"], "协议下机密需求 Filed secret");
        assert_eq!(data["need"]["viewerCanEdit"], false);
        let res = app
            .gql(Some(&coordinator), NEED, json!({"id": unfiled}))
            .await;
        assert_code(&res, "NOT_FOUND");
        let data = app
            .gql_ok(Some(&coordinator), NEEDS, json!({"id": agreement}))
            .await;
        assert_eq!(ids(&data["needs"]), vec![filed.clone()]);
        assert_eq!(ids(&data["agreement"]["needs"]), vec![filed.clone()]);
        let res = app
            .gql(
                Some(&coordinator),
                UPDATE_NEED,
                json!({"input": {"id": filed, "title": "改写 Rewritten"}}),
            )
            .await;
        assert_code(&res, "FORBIDDEN");
        // The search index keeps its partitions: A's member finds the
        // need, the agreement's coordinator does not.
        let q = json!({"q": "焊缝"});
        let found = search_hit_ids(&app.gql_ok(Some(&w.a), SEARCH, q.clone()).await);
        assert!(found.contains(&filed), "{found:?}");
        let found = search_hit_ids(&app.gql_ok(Some(&coordinator), SEARCH, q).await);
        assert!(!found.contains(&filed), "{found:?}");

        // Its matches are the coordinator's to decide.
        let data = app
            .gql_ok(Some(&coordinator), SHORTLIST, json!({"id": matches[0]}))
            .await;
        assert_eq!(data["shortlistMatch"]["match"]["status"], "SHORTLISTED");

        // The project filed under it, not A's other one.
        let data = app
            .gql_ok(
                Some(&coordinator),
                UPDATE_PROJECT,
                json!({"input": {"id": project, "title": "焊缝检测 Weld inspection, phase 1"}}),
            )
            .await;
        assert_eq!(
            data["updateProject"]["project"]["title"],
            "焊缝检测 Weld inspection, phase 1"
        );
        let res = app
            .gql(
                Some(&coordinator),
                UPDATE_PROJECT,
                json!({"input": {"id": other_project, "title": "x"}}),
            )
            .await;
        assert_code(&res, "NOT_FOUND");

        // Its plans; but not its end.
        let target = json!({"input": {"agreementId": agreement, "year": 2027,
            "area": "JOINT_RESEARCH_PLATFORM", "metric": "PROJECTS_STARTED", "target": 3}});
        let data = app
            .gql_ok(Some(&coordinator), SET_TARGET, target.clone())
            .await;
        assert_eq!(data["setPlanTarget"]["target"]["target"], 3);
        let res = app
            .gql(Some(&coordinator), TERMINATE, json!({"id": agreement}))
            .await;
        assert_code(&res, "FORBIDDEN");

        // Revoked: every one of those ends on the next request.
        app.gql_ok(Some(&a_admin), REVOKE, json!({"id": grant_id}))
            .await;
        for (query, vars) in [
            (AGREEMENT, json!({"id": agreement})),
            (NEED, json!({"id": filed})),
            (SHORTLIST, json!({"id": matches[0]})),
            (
                UPDATE_PROJECT,
                json!({"input": {"id": project, "title": "x"}}),
            ),
            (SET_TARGET, target.clone()),
            (TERMINATE, json!({"id": agreement})),
        ] {
            let res = app.gql(Some(&coordinator), query, vars).await;
            assert_code(&res, "NOT_FOUND");
        }
        let data = app
            .gql_ok(
                Some(&coordinator),
                "{ needs(first: 100) { nodes { id } } projects(first: 100) { nodes { id } } agreements(first: 10) { nodes { id } } }",
                json!({}),
            )
            .await;
        assert_eq!(ids(&data["needs"]), Vec::<String>::new());
        assert_eq!(ids(&data["projects"]), Vec::<String>::new());
        assert_eq!(ids(&data["agreements"]), Vec::<String>::new());
    }
);
