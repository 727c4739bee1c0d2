//! Every party consents: the parties a project names are invited (the
//! creator's own organisations accept at once) and accept or decline; the
//! binding moves (agree, complete, terminate) wait for each party's
//! confirmation, unless an admin or a coordinator of the project's
//! agreement moves alone; confirmations are shown, withdrawn, and two
//! parties confirming at once move the project once.

use serde_json::{Value, json};

use crate::common::{self, TestApp};
use crate::concurrency::all_at_once;
use crate::fixtures::{World, me};

const FIELDS: &str = "id status version agreedAt endedAt terminationReason
  partyConsents { organization { id } consent respondedAt respondedBy { id } declineReason viewerCanRespond }
  pendingMoves { to confirmations { organization { id } confirmedBy { id } confirmedAt reason }
    awaitedParties { id } viewerCanWithdraw }";

fn project_query() -> String {
    format!("query($id: ID!) {{ project(id: $id) {{ {FIELDS} }} }}")
}

fn mutation(name: &str, input: &str, params: &str) -> String {
    format!(
        "mutation($id: ID!{params}) {{ {name}(input: {{id: $id{input}}}) {{ project {{ {FIELDS} }} }} }}"
    )
}

/// `agreeProject`, `startProject` or `completeProject`.
fn step(op: &str) -> String {
    mutation(op, "", "")
}

fn terminate() -> String {
    mutation(
        "terminateProject",
        ", reason: $reason",
        ", $reason: String!",
    )
}

fn accept() -> String {
    mutation("acceptProjectInvitation", "", "")
}

fn decline() -> String {
    mutation(
        "declineProjectInvitation",
        ", reason: $reason",
        ", $reason: String",
    )
}

fn withdraw() -> String {
    mutation(
        "withdrawProjectConfirmation",
        ", to: $to",
        ", $to: ProjectStatus!",
    )
}

/// The key of the first error (of its first field, if it names one).
fn key(body: &Value) -> String {
    let ext = &body["errors"][0]["extensions"];
    common::text(if ext["fields"][0]["key"].is_string() {
        &ext["fields"][0]["key"]
    } else {
        &ext["key"]
    })
}

/// A project of A's between A and U, created by A: `(id, project)`.
pub(crate) async fn project_of_a_and_u(app: &TestApp, w: &World) -> (String, Value) {
    let data = app
        .gql_ok(
            Some(&w.a),
            &format!(
                "mutation($input: CreateProjectInput!) {{ createProject(input: $input) {{ project {{ {FIELDS} }} }} }}"
            ),
            json!({"input": {"title": "联合攻关 Joint work", "area": "JOINT_RESEARCH_PLATFORM",
                "partyOrganizationIds": [w.org_a, w.org_u]}}),
        )
        .await;
    let project = data["createProject"]["project"].clone();
    (common::text(&project["id"]), project)
}

/// Every invited party of project `id` accepts, through the managers
/// `tokens` (one per party).
pub(crate) async fn accept_all(app: &TestApp, id: &str, tokens: &[&str]) {
    for token in tokens {
        app.gql_ok(Some(token), &accept(), json!({"id": id})).await;
    }
}

/// Every party confirms the binding move `op` (`agreeProject`,
/// `completeProject`, `terminateProject`): the managers `tokens` (one per
/// party) call it in turn; the last call moves the project. Returns it.
pub(crate) async fn confirm_all(app: &TestApp, id: &str, op: &str, tokens: &[&str]) -> Value {
    let mut last = Value::Null;
    for token in tokens {
        let (query, vars) = if op == "terminateProject" {
            (
                terminate(),
                json!({"id": id, "reason": "各方同意终止 ended by all"}),
            )
        } else {
            (step(op), json!({"id": id}))
        };
        last = app.gql_ok(Some(token), &query, vars).await[op]["project"].clone();
    }
    last
}

fn consent_of<'a>(project: &'a Value, org: &str) -> &'a Value {
    project["partyConsents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["organization"]["id"] == org)
        .unwrap_or_else(|| panic!("{org} is a party: {project}"))
}

fn awaited(project: &Value, to: &str) -> Vec<String> {
    project["pendingMoves"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["to"] == to)
        .map_or_else(Vec::new, |m| {
            m["awaitedParties"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| common::text(&o["id"]))
                .collect()
        })
}

fn pending(project: &Value) -> Vec<String> {
    project["pendingMoves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| common::text(&m["to"]))
        .collect()
}

/// The kinds of the project's events, oldest first.
async fn event_kinds(app: &TestApp, token: &str, id: &str) -> Vec<String> {
    let data = app
        .gql_ok(
            Some(token),
            "query($id: ID!) { project(id: $id) { events(first: 100) { edges { node { kind } } } } }",
            json!({"id": id}),
        )
        .await;
    data["project"]["events"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| common::text(&e["node"]["kind"]))
        .collect()
}

async fn status_changes(app: &TestApp, token: &str, id: &str) -> usize {
    event_kinds(app, token, id)
        .await
        .iter()
        .filter(|k| *k == "STATUS_CHANGED")
        .count()
}

e2e!(
    one_party_no_longer_moves_a_project_alone,
    |app| async move {
        let w = World::new(&app).await;
        let (id, p) = project_of_a_and_u(&app, &w).await;
        let a_id = me(&app, &w.a).await;
        let u_id = me(&app, &w.u).await;
        // The creator's organisation accepted at creation, the other is invited.
        let mine = consent_of(&p, &w.org_a);
        assert_eq!(mine["consent"], "ACCEPTED");
        assert_eq!(mine["respondedBy"]["id"], a_id.as_str());
        assert!(mine["respondedAt"].is_string());
        assert_eq!(mine["viewerCanRespond"], false);
        let theirs = consent_of(&p, &w.org_u);
        assert_eq!(theirs["consent"], "INVITED");
        assert!(theirs["respondedBy"].is_null() && theirs["respondedAt"].is_null());
        assert_eq!(theirs["viewerCanRespond"], false, "not A's to answer");

        // The attack: A agrees and starts alone. The agreement waits for U.
        let data = app
            .gql_ok(Some(&w.a), &step("agreeProject"), json!({"id": id}))
            .await;
        let p = &data["agreeProject"]["project"];
        assert_eq!(p["status"], "PROPOSED", "one party does not agree alone");
        assert!(p["agreedAt"].is_null());
        assert_eq!(awaited(p, "AGREED"), vec![w.org_u.clone()]);
        let confirmation = &p["pendingMoves"][0]["confirmations"][0];
        assert_eq!(confirmation["organization"]["id"], w.org_a.as_str());
        assert_eq!(confirmation["confirmedBy"]["id"], a_id.as_str());
        // Asking again changes nothing.
        let data = app
            .gql_ok(Some(&w.a), &step("agreeProject"), json!({"id": id}))
            .await;
        assert_eq!(data["agreeProject"]["project"]["status"], "PROPOSED");
        let res = app
            .gql_err(
                Some(&w.a),
                &step("startProject"),
                json!({"id": id}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(key(&res), "project.transition.not_allowed");
        assert_eq!(status_changes(&app, &w.a, &id).await, 0);

        // The invited party sees the project, to decide; it confirms
        // nothing before it accepted.
        let data = app
            .gql_ok(Some(&w.u), &project_query(), json!({"id": id}))
            .await;
        assert_eq!(
            consent_of(&data["project"], &w.org_u)["viewerCanRespond"],
            true
        );
        let res = app
            .gql_err(
                Some(&w.u),
                &step("agreeProject"),
                json!({"id": id}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(key(&res), "project.consent.not_accepted");
        // Nor does an admin agree for a party still invited.
        let res = app
            .gql_err(
                Some(&w.admin),
                &step("agreeProject"),
                json!({"id": id}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(key(&res), "project.consent.invitations_open");
        // A has no invitation to answer.
        let res = app
            .gql_err(Some(&w.a), &accept(), json!({"id": id}), "BAD_USER_INPUT")
            .await;
        assert_eq!(key(&res), "project.consent.no_invitation");

        let data = app.gql_ok(Some(&w.u), &accept(), json!({"id": id})).await;
        let p = &data["acceptProjectInvitation"]["project"];
        let theirs = consent_of(p, &w.org_u);
        assert_eq!(theirs["consent"], "ACCEPTED");
        assert_eq!(theirs["respondedBy"]["id"], u_id.as_str());
        assert!(theirs["respondedAt"].is_string());
        assert_eq!(theirs["viewerCanRespond"], false);
        assert_eq!(p["status"], "PROPOSED", "accepting is not agreeing");

        // The last party's confirmation moves it, once.
        let data = app
            .gql_ok(Some(&w.u), &step("agreeProject"), json!({"id": id}))
            .await;
        let p = &data["agreeProject"]["project"];
        assert_eq!(p["status"], "AGREED");
        assert!(p["agreedAt"].is_string());
        assert!(
            pending(p).is_empty(),
            "a move clears its confirmations: {p}"
        );
        let kinds = event_kinds(&app, &w.u, &id).await;
        assert_eq!(
            kinds,
            [
                "PROJECT_CREATED",
                "MOVE_CONFIRMATION",
                "PARTY_RESPONDED",
                "STATUS_CHANGED"
            ]
        );
        // Starting stays any party's.
        let data = app
            .gql_ok(Some(&w.a), &step("startProject"), json!({"id": id}))
            .await;
        assert_eq!(data["startProject"]["project"]["status"], "IN_PROGRESS");
    }
);

e2e!(
    a_declined_party_blocks_the_agreement_and_the_creator_terminates,
    |app| async move {
        let w = World::new(&app).await;
        let (id, _) = project_of_a_and_u(&app, &w).await;
        let data = app
            .gql_ok(
                Some(&w.u),
                &decline(),
                json!({"id": id, "reason": "本年度无力承担 no capacity this year"}),
            )
            .await;
        let p = &data["declineProjectInvitation"]["project"];
        let theirs = consent_of(p, &w.org_u);
        assert_eq!(theirs["consent"], "DECLINED");
        assert_eq!(
            theirs["declineReason"],
            "本年度无力承担 no capacity this year"
        );
        // Answered once: no second answer.
        let res = app
            .gql_err(Some(&w.u), &accept(), json!({"id": id}), "BAD_USER_INPUT")
            .await;
        assert_eq!(key(&res), "project.consent.no_invitation");
        for token in [&w.a, &w.admin] {
            let res = app
                .gql_err(
                    Some(token),
                    &step("agreeProject"),
                    json!({"id": id}),
                    "BAD_USER_INPUT",
                )
                .await;
            assert_eq!(key(&res), "project.consent.party_declined");
        }
        // Only the parties that accepted are bound: A ends it alone.
        let data = app
            .gql_ok(
                Some(&w.a),
                &terminate(),
                json!({"id": id, "reason": "合作方拒绝 the partner declined"}),
            )
            .await;
        let p = &data["terminateProject"]["project"];
        assert_eq!(p["status"], "TERMINATED");
        assert_eq!(p["terminationReason"], "合作方拒绝 the partner declined");
        assert!(p["endedAt"].is_string());
    }
);

e2e!(
    complete_and_terminate_wait_for_every_party_and_confirmations_are_withdrawn,
    |app| async move {
        let w = World::new(&app).await;
        let (id, _) = project_of_a_and_u(&app, &w).await;
        accept_all(&app, &id, &[&w.u]).await;
        let p = confirm_all(&app, &id, "agreeProject", &[&w.a, &w.u]).await;
        assert_eq!(p["status"], "AGREED");
        app.gql_ok(Some(&w.u), &step("startProject"), json!({"id": id}))
            .await;

        let data = app
            .gql_ok(Some(&w.a), &step("completeProject"), json!({"id": id}))
            .await;
        let p = &data["completeProject"]["project"];
        assert_eq!(p["status"], "IN_PROGRESS");
        assert!(p["endedAt"].is_null());
        assert_eq!(awaited(p, "COMPLETED"), vec![w.org_u.clone()]);
        assert_eq!(p["pendingMoves"][0]["viewerCanWithdraw"], true);
        let data = app
            .gql_ok(Some(&w.u), &project_query(), json!({"id": id}))
            .await;
        assert_eq!(
            data["project"]["pendingMoves"][0]["viewerCanWithdraw"],
            false
        );

        // U would rather terminate: a confirmation of one move is not one of another.
        let data = app
            .gql_ok(
                Some(&w.u),
                &terminate(),
                json!({"id": id, "reason": "经费取消 funding cut"}),
            )
            .await;
        let p = &data["terminateProject"]["project"];
        assert_eq!(p["status"], "IN_PROGRESS");
        assert_eq!(pending(p), ["COMPLETED", "TERMINATED"]);
        assert_eq!(awaited(p, "TERMINATED"), vec![w.org_a.clone()]);
        assert_eq!(
            p["pendingMoves"][1]["confirmations"][0]["reason"],
            "经费取消 funding cut"
        );

        // A withdraws its confirmation to complete; U has none to withdraw.
        let data = app
            .gql_ok(
                Some(&w.a),
                &withdraw(),
                json!({"id": id, "to": "COMPLETED"}),
            )
            .await;
        assert_eq!(
            pending(&data["withdrawProjectConfirmation"]["project"]),
            ["TERMINATED"]
        );
        let res = app
            .gql_err(
                Some(&w.u),
                &withdraw(),
                json!({"id": id, "to": "COMPLETED"}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(key(&res), "project.confirmation.none");
        let res = app
            .gql_err(
                Some(&w.a),
                &withdraw(),
                json!({"id": id, "to": "IN_PROGRESS"}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(key(&res), "project.confirmation.not_binding");

        // U asks to complete: A's withdrawn confirmation no longer counts.
        let data = app
            .gql_ok(Some(&w.u), &step("completeProject"), json!({"id": id}))
            .await;
        let p = &data["completeProject"]["project"];
        assert_eq!(p["status"], "IN_PROGRESS");
        assert_eq!(awaited(p, "COMPLETED"), vec![w.org_a.clone()]);
        let data = app
            .gql_ok(Some(&w.a), &step("completeProject"), json!({"id": id}))
            .await;
        let p = &data["completeProject"]["project"];
        assert_eq!(p["status"], "COMPLETED");
        assert!(p["endedAt"].is_string());
        assert!(p["terminationReason"].is_null());
        assert!(pending(p).is_empty());
        assert_eq!(status_changes(&app, &w.a, &id).await, 3);
    }
);

e2e!(
    an_admin_moves_alone_and_strangers_find_nothing,
    |app| async move {
        let w = World::new(&app).await;
        let (id, _) = project_of_a_and_u(&app, &w).await;
        // A stranger neither sees nor answers nor confirms.
        for (query, vars) in [
            (accept(), json!({"id": id})),
            (decline(), json!({"id": id, "reason": null})),
            (withdraw(), json!({"id": id, "to": "AGREED"})),
            (step("agreeProject"), json!({"id": id})),
            (project_query(), json!({"id": id})),
        ] {
            app.gql_err(Some(&w.b), &query, vars, "NOT_FOUND").await;
        }
        app.gql_err(None, &accept(), json!({"id": id}), "UNAUTHENTICATED")
            .await;

        accept_all(&app, &id, &[&w.u]).await;
        let data = app
            .gql_ok(Some(&w.admin), &step("agreeProject"), json!({"id": id}))
            .await;
        assert_eq!(data["agreeProject"]["project"]["status"], "AGREED");
        app.gql_ok(Some(&w.a), &step("startProject"), json!({"id": id}))
            .await;
        let data = app
            .gql_ok(
                Some(&w.admin),
                &terminate(),
                json!({"id": id, "reason": "平台终止 closed by the platform"}),
            )
            .await;
        assert_eq!(data["terminateProject"]["project"]["status"], "TERMINATED");
        // An ended project's invitations are closed.
        let (other, _) = project_of_a_and_u(&app, &w).await;
        app.gql_ok(
            Some(&w.a),
            &terminate(),
            json!({"id": other, "reason": "取消 cancelled"}),
        )
        .await;
        let res = app
            .gql_err(
                Some(&w.u),
                &accept(),
                json!({"id": other}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(key(&res), "project.consent.closed");
    }
);

e2e!(
    two_parties_confirming_at_once_move_the_project_once,
    |app| async move {
        let w = World::new(&app).await;
        for _ in 0..4 {
            let (id, _) = project_of_a_and_u(&app, &w).await;
            accept_all(&app, &id, &[&w.u]).await;
            let results = all_at_once(
                &app,
                vec![
                    (w.a.clone(), step("agreeProject"), json!({"id": id})),
                    (w.u.clone(), step("agreeProject"), json!({"id": id})),
                ],
            )
            .await;
            for (status, body) in &results {
                assert_eq!(*status, 200, "{body}");
                assert!(
                    body.get("errors").is_none(),
                    "both confirmations count: {body}"
                );
            }
            let statuses: Vec<String> = results
                .iter()
                .map(|(_, b)| common::text(&b["data"]["agreeProject"]["project"]["status"]))
                .collect();
            assert!(
                statuses.contains(&"AGREED".to_owned())
                    && statuses.contains(&"PROPOSED".to_owned()),
                "one call recorded, the other moved: {statuses:?}"
            );
            let data = app
                .gql_ok(Some(&w.a), &project_query(), json!({"id": id}))
                .await;
            assert_eq!(data["project"]["status"], "AGREED");
            assert!(pending(&data["project"]).is_empty());
            assert_eq!(
                status_changes(&app, &w.a, &id).await,
                1,
                "exactly one transition"
            );
        }
    }
);

e2e!(
    the_coordinator_of_the_project_s_agreement_moves_alone,
    |app| async move {
        use crate::agreement_coordinators::{COORDINATOR, grant, world};
        let (w, a_admin, agreement) = world(&app).await;
        let coordinator = app.user(COORDINATOR).await;
        let res = grant(&app, &a_admin, &agreement, COORDINATOR).await;
        assert!(res.get("errors").is_none(), "{res}");
        let create = format!(
            "mutation($input: CreateProjectInput!) {{ createProject(input: $input) {{ project {{ {FIELDS} }} }} }}"
        );
        let data = app
            .gql_ok(
                Some(&w.a),
                &create,
                json!({"input": {"title": "协议内项目 Under the agreement", "area": "JOINT_TRAINING",
                    "partyOrganizationIds": [w.org_a, w.org_u], "agreementId": agreement}}),
            )
            .await;
        let id = common::text(&data["createProject"]["project"]["id"]);
        // Even the coordinator does not agree for a party still invited.
        let res = app
            .gql_err(
                Some(&coordinator),
                &step("agreeProject"),
                json!({"id": id}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(key(&res), "project.consent.invitations_open");
        // Nor answers for it: the coordinator manages no party.
        app.gql_err(
            Some(&coordinator),
            &accept(),
            json!({"id": id}),
            "FORBIDDEN",
        )
        .await;
        accept_all(&app, &id, &[&w.u]).await;
        let data = app
            .gql_ok(Some(&coordinator), &step("agreeProject"), json!({"id": id}))
            .await;
        assert_eq!(data["agreeProject"]["project"]["status"], "AGREED");
        app.gql_ok(Some(&w.u), &step("startProject"), json!({"id": id}))
            .await;
        let data = app
            .gql_ok(
                Some(&coordinator),
                &step("completeProject"),
                json!({"id": id}),
            )
            .await;
        assert_eq!(data["completeProject"]["project"]["status"], "COMPLETED");

        // A project of the same parties filed under no agreement is not the
        // coordinator's: it does not exist to them.
        let data = app
            .gql_ok(
                Some(&w.a),
                &create,
                json!({"input": {"title": "协议外项目 Outside", "area": "OTHER",
                    "partyOrganizationIds": [w.org_a, w.org_u]}}),
            )
            .await;
        let outside = common::text(&data["createProject"]["project"]["id"]);
        accept_all(&app, &outside, &[&w.u]).await;
        app.gql_err(
            Some(&coordinator),
            &step("agreeProject"),
            json!({"id": outside}),
            "NOT_FOUND",
        )
        .await;
    }
);
