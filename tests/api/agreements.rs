//! Framework agreements (合作框架协议): the life cycle with every party's
//! confirmation and the refused moves, the derived EXPIRED status, the
//! errors of bad input, and projects and needs filed under an agreement —
//! the agreement's project list following every change at once.

use serde_json::{Value, json};

use crate::common::{self, TestApp, assert_code, text};
use crate::fixtures::{World, add_member, me};

const AGREEMENT_FIELDS: &str = "id title status version signedOn termStart termEnd
  terminationReason areas viewerCanEdit viewerConfirmsFor { id }
  parties { organization { id } confirmed confirmedBy { id } responsiblePeople { id } }";

fn mutation(name: &str) -> String {
    let input = format!("{}{}Input", name[..1].to_uppercase(), &name[1..]);
    format!(
        "mutation($input: {input}!) {{ {name}(input: $input) {{ agreement {{ {AGREEMENT_FIELDS} }} }} }}"
    )
}

const AGREEMENT: &str = "query($id: ID!) { agreement(id: $id) { id title status } }";

/// The world with an ORG_ADMIN for A and one for U: `(world, a_admin, u_admin)`.
async fn world(app: &TestApp) -> (World, String, String) {
    let w = World::new(app).await;
    let a_admin = app.user("boss@enterprise-a.test").await;
    let u_admin = app.user("dean@university.test").await;
    for (org, email) in [
        (&w.org_a, "boss@enterprise-a.test"),
        (&w.org_u, "dean@university.test"),
    ] {
        let res = add_member(app, &w.admin, org, email, "ORG_ADMIN").await;
        assert!(res.get("errors").is_none(), "{res}");
    }
    (w, a_admin, u_admin)
}

/// A DRAFT between A and U drafted by A's member; its global id.
async fn draft(app: &TestApp, w: &World, term_end: &str) -> Value {
    let data = app
        .gql_ok(
            Some(&w.a),
            &mutation("createAgreement"),
            json!({"input": {
                "title": "全面战略合作框架协议 Comprehensive strategic cooperation",
                "termStart": "2026-01-01", "termEnd": term_end,
                "areas": ["TESTING_CENTER", "JOINT_TRAINING", "TESTING_CENTER"],
                "partyOrganizationIds": [w.org_a, w.org_u]}}),
        )
        .await;
    data["createAgreement"]["agreement"].clone()
}

fn party<'a>(agreement: &'a Value, org: &str) -> &'a Value {
    agreement["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["organization"]["id"] == org)
        .unwrap_or_else(|| panic!("party {org} in {agreement}"))
}

fn field_names(body: &Value) -> Vec<String> {
    body["errors"][0]["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| text(&f["field"]))
        .collect()
}

fn key(body: &Value) -> String {
    text(&body["errors"][0]["extensions"]["key"])
}

e2e!(
    every_party_confirms_before_an_agreement_is_active,
    |app| async move {
        let (w, a_admin, u_admin) = world(&app).await;
        let created = draft(&app, &w, "2030-12-31").await;
        let id = text(&created["id"]);
        assert_eq!(created["status"], "DRAFT");
        assert_eq!(
            created["areas"],
            json!(["JOINT_TRAINING", "TESTING_CENTER"])
        );
        assert_eq!(created["viewerCanEdit"], true);
        assert_eq!(created["viewerConfirmsFor"], json!([]));
        assert_eq!(party(&created, &w.org_a)["confirmed"], false);

        // A member drafts but does not sign for the organisation.
        let activate = mutation("activateAgreement");
        let body = app
            .gql_err(
                Some(&w.a),
                &activate,
                json!({"input": {"id": id}}),
                "FORBIDDEN",
            )
            .await;
        assert_eq!(key(&body), "agreement.activate.forbidden");

        // A's ORG_ADMIN would confirm for A, and only for A.
        let data = app
            .gql_ok(
                Some(&a_admin),
                "query($id: ID!) { agreement(id: $id) { viewerConfirmsFor { id } } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(
            data["agreement"]["viewerConfirmsFor"],
            json!([{"id": w.org_a}])
        );
        // A's ORG_ADMIN confirms for A: still a draft, A confirmed.
        let data = app
            .gql_ok(Some(&a_admin), &activate, json!({"input": {"id": id}}))
            .await;
        let a1 = &data["activateAgreement"]["agreement"];
        assert_eq!(a1["status"], "DRAFT");
        assert_eq!(party(a1, &w.org_a)["confirmed"], true);
        assert_eq!(
            party(a1, &w.org_a)["confirmedBy"]["id"],
            me(&app, &a_admin).await
        );
        assert_eq!(party(a1, &w.org_u)["confirmed"], false);
        assert_eq!(a1["viewerConfirmsFor"], json!([]), "A has confirmed");

        // Changing the draft clears the confirmations.
        let update = mutation("updateAgreement");
        let data = app
            .gql_ok(
                Some(&w.a),
                &update,
                json!({"input": {"id": id, "title": "合作协议（修订）", "version": a1["version"]}}),
            )
            .await;
        let a2 = &data["updateAgreement"]["agreement"];
        assert_eq!(a2["title"], "合作协议（修订）");
        assert_eq!(party(a2, &w.org_a)["confirmed"], false);
        // A stale version is refused.
        let body = app
            .gql_err(
                Some(&w.a),
                &update,
                json!({"input": {"id": id, "title": "lost", "version": a1["version"]}}),
                "CONFLICT",
            )
            .await;
        assert_eq!(field_names(&body), ["input.version"]);

        app.gql_ok(Some(&a_admin), &activate, json!({"input": {"id": id}}))
            .await;
        let data = app
            .gql_ok(Some(&u_admin), &activate, json!({"input": {"id": id}}))
            .await;
        let active = &data["activateAgreement"]["agreement"];
        assert_eq!(active["status"], "ACTIVE");
        assert!(
            active["signedOn"].is_string(),
            "signed on activation: {active}"
        );

        // Refused moves are CONFLICT, and nothing changes.
        let body = app
            .gql_err(
                Some(&u_admin),
                &activate,
                json!({"input": {"id": id}}),
                "CONFLICT",
            )
            .await;
        assert_eq!(key(&body), "agreement.transition.not_allowed");
        let body = app
            .gql_err(
                Some(&w.a),
                &update,
                json!({"input": {"id": id, "termEnd": "2031-12-31"}}),
                "CONFLICT",
            )
            .await;
        assert_eq!(key(&body), "agreement.not_editable");
        let body = app
            .gql_err(
                Some(&w.a),
                &mutation("addAgreementParty"),
                json!({"input": {"agreementId": id, "organizationId": w.org_b}}),
                "CONFLICT",
            )
            .await;
        assert_eq!(key(&body), "agreement.not_editable");

        // People responsible change while it is in force; they must belong
        // to the party.
        let set = mutation("setAgreementResponsiblePeople");
        let a_user = me(&app, &w.a).await;
        let data = app
            .gql_ok(
                Some(&w.a),
                &set,
                json!({"input": {"agreementId": id, "organizationId": w.org_a, "userIds": [a_user]}}),
            )
            .await;
        let with_people = &data["setAgreementResponsiblePeople"]["agreement"];
        assert_eq!(
            party(with_people, &w.org_a)["responsiblePeople"],
            json!([{"id": a_user}])
        );
        let b_user = me(&app, &w.b).await;
        let body = app
            .gql_err(
                Some(&w.a),
                &set,
                json!({"input": {"agreementId": id, "organizationId": w.org_a, "userIds": [b_user]}}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(field_names(&body), ["input.userIds"]);

        // Termination: an ORG_ADMIN of a party, with a reason.
        let terminate = mutation("terminateAgreement");
        app.gql_err(
            Some(&w.a),
            &terminate,
            json!({"input": {"id": id, "reason": "merger"}}),
            "FORBIDDEN",
        )
        .await;
        let body = app
            .gql_err(
                Some(&u_admin),
                &terminate,
                json!({"input": {"id": id, "reason": "  "}}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(field_names(&body), ["input.reason"]);
        let data = app
            .gql_ok(
                Some(&u_admin),
                &terminate,
                json!({"input": {"id": id, "reason": "合作主体重组 restructuring"}}),
            )
            .await;
        let ended = &data["terminateAgreement"]["agreement"];
        assert_eq!(ended["status"], "TERMINATED");
        assert_eq!(ended["terminationReason"], "合作主体重组 restructuring");
        app.gql_err(
            Some(&u_admin),
            &terminate,
            json!({"input": {"id": id, "reason": "again"}}),
            "CONFLICT",
        )
        .await;
        let data = app.gql_ok(Some(&w.u), AGREEMENT, json!({"id": id})).await;
        assert_eq!(data["agreement"]["status"], "TERMINATED");
    }
);

e2e!(
    drafts_change_parties_and_bad_input_names_every_field,
    |app| async move {
        let (w, _, _) = world(&app).await;
        let create = mutation("createAgreement");
        let body = app
            .gql_err(
                Some(&w.a),
                &create,
                json!({"input": {"title": " ", "termStart": "2027-01-01", "termEnd": "2026-01-01",
                    "areas": [], "partyOrganizationIds": [w.org_a]}}),
                "BAD_USER_INPUT",
            )
            .await;
        let mut fields = field_names(&body);
        fields.sort();
        assert_eq!(
            fields,
            [
                "input.areas",
                "input.partyOrganizationIds",
                "input.termEnd",
                "input.title"
            ]
        );
        // Only a party's member (or an admin) drafts an agreement.
        let body = app
            .gql_err(
                Some(&w.a),
                &create,
                json!({"input": {"title": "B–U", "termStart": "2027-01-01", "termEnd": "2028-01-01",
                    "areas": ["TALENT_SHARING"], "partyOrganizationIds": [w.org_b, w.org_u]}}),
                "FORBIDDEN",
            )
            .await;
        assert_eq!(key(&body), "agreement.create.forbidden");
        app.gql_err(
            Some(&w.a),
            &create,
            json!({"input": {"title": "x", "termStart": "2027-01-01", "termEnd": "2028-01-01",
                "areas": ["TALENT_SHARING"], "partyOrganizationIds": [w.org_a, "bm90LWFuLWlk"]}}),
            "BAD_USER_INPUT",
        )
        .await;

        let created = draft(&app, &w, "2030-12-31").await;
        let id = text(&created["id"]);
        let add = mutation("addAgreementParty");
        let data = app
            .gql_ok(
                Some(&w.u),
                &add,
                json!({"input": {"agreementId": id, "organizationId": w.org_b}}),
            )
            .await;
        assert_eq!(
            data["addAgreementParty"]["agreement"]["parties"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
        // B is a party now: it sees the agreement.
        app.gql_ok(Some(&w.b), AGREEMENT, json!({"id": id})).await;
        let body = app
            .gql_err(
                Some(&w.u),
                &add,
                json!({"input": {"agreementId": id, "organizationId": w.org_b}}),
                "CONFLICT",
            )
            .await;
        assert_eq!(field_names(&body), ["input.organizationId"]);
        let remove = mutation("removeAgreementParty");
        app.gql_ok(
            Some(&w.a),
            &remove,
            json!({"input": {"agreementId": id, "organizationId": w.org_b}}),
        )
        .await;
        // B left: the agreement is gone for it, as if it never existed.
        let hidden = app
            .gql_err(Some(&w.b), AGREEMENT, json!({"id": id}), "NOT_FOUND")
            .await;
        let missing = app
            .gql_err(
                Some(&w.b),
                AGREEMENT,
                json!({"id": "QWdyZWVtZW50Ojk5OTk5"}),
                "NOT_FOUND",
            )
            .await;
        assert_eq!(
            hidden["errors"][0]["message"],
            missing["errors"][0]["message"]
        );
        assert!(hidden["data"]["agreement"].is_null());
        // Two parties stay.
        let body = app
            .gql_err(
                Some(&w.a),
                &remove,
                json!({"input": {"agreementId": id, "organizationId": w.org_u}}),
                "CONFLICT",
            )
            .await;
        assert_eq!(key(&body), "agreement.parties.too_few");
        // Chinese messages on request.
        let body = app
            .gql_in(
                Some(&w.a),
                "zh-CN",
                &remove,
                json!({"input": {"agreementId": id, "organizationId": w.org_u}}),
            )
            .await;
        assert!(common::has_chinese(&common::error_message(&body)), "{body}");
    }
);

e2e!(
    an_agreement_past_its_term_is_expired_and_takes_no_new_work,
    |app| async move {
        let (w, _, _) = world(&app).await;
        let created = draft(&app, &w, "2026-01-31").await;
        let id = text(&created["id"]);
        // A platform admin confirms for every party at once.
        let data = app
            .gql_ok(
                Some(&w.admin),
                &mutation("activateAgreement"),
                json!({"input": {"id": id}}),
            )
            .await;
        assert_eq!(data["activateAgreement"]["agreement"]["status"], "EXPIRED");
        let list = "query($status: [AgreementStatus!]) {
            agreements(first: 10, filter: {status: $status}) { totalCount nodes { id status } } }";
        for (status, count) in [("EXPIRED", 1), ("ACTIVE", 0), ("DRAFT", 0)] {
            let data = app
                .gql_ok(Some(&w.u), list, json!({"status": [status]}))
                .await;
            assert_eq!(data["agreements"]["totalCount"], count, "{status}: {data}");
        }
        let body = app
            .gql_err(
                Some(&w.admin),
                &mutation("terminateAgreement"),
                json!({"input": {"id": id, "reason": "late"}}),
                "CONFLICT",
            )
            .await;
        assert_eq!(key(&body), "agreement.transition.not_allowed");
        let body = app
            .gql_err(
                Some(&w.a),
                "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
                json!({"input": {"title": "late", "area": "TESTING_CENTER",
                    "partyOrganizationIds": [w.org_a], "agreementId": id}}),
                "CONFLICT",
            )
            .await;
        assert_eq!(key(&body), "agreement.link.closed");
        assert_eq!(field_names(&body), ["input.agreementId"]);
    }
);

const CREATE_PROJECT: &str = "mutation($input: CreateProjectInput!) {
  createProject(input: $input) { project { id status version agreement { id } } } }";
const UPDATE_PROJECT: &str = "mutation($input: UpdateProjectInput!) {
  updateProject(input: $input) { project { id version agreement { id }
    events(last: 1) { nodes { changes { field from to } } } } } }";
const AGREEMENT_PROJECTS: &str = "query($id: ID!, $status: [ProjectStatus!]) {
  agreement(id: $id) { projects(first: 20, filter: {status: $status}) { totalCount nodes { id status title } }
    needs(first: 20) { totalCount nodes { id agreement { id } } } } }";

async fn listed(app: &TestApp, token: &str, id: &str, status: Option<&str>) -> Vec<String> {
    let data = app
        .gql_ok(
            Some(token),
            AGREEMENT_PROJECTS,
            json!({"id": id, "status": status.map(|s| vec![s])}),
        )
        .await;
    let mut titles: Vec<String> = data["agreement"]["projects"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| text(&p["title"]))
        .collect();
    titles.sort();
    titles
}

e2e!(
    projects_and_needs_filed_under_an_agreement_are_listed_at_once,
    |app| async move {
        let (w, _, _) = world(&app).await;
        let id = text(&draft(&app, &w, "2030-12-31").await["id"]);

        // A member of a party files a new project under it.
        let data = app
            .gql_ok(
                Some(&w.a),
                CREATE_PROJECT,
                json!({"input": {"title": "检测中心共建 Testing center", "area": "TESTING_CENTER",
                    "partyOrganizationIds": [w.org_a, w.org_u], "agreementId": id}}),
            )
            .await;
        let p1 = data["createProject"]["project"].clone();
        assert_eq!(p1["agreement"]["id"], id);
        assert_eq!(
            listed(&app, &w.u, &id, None).await,
            ["检测中心共建 Testing center"]
        );

        // An organisation that is not a party cannot file work under it:
        // to B the agreement does not exist.
        let body = app
            .gql_err(
                Some(&w.b),
                CREATE_PROJECT,
                json!({"input": {"title": "B's", "area": "OTHER",
                    "partyOrganizationIds": [w.org_b], "agreementId": id}}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(field_names(&body), ["input.agreementId"]);
        assert_eq!(key(&body), "agreement.unknown");
        let data = app
            .gql_ok(
                Some(&w.b),
                CREATE_PROJECT,
                json!({"input": {"title": "B's own", "area": "OTHER", "partyOrganizationIds": [w.org_b]}}),
            )
            .await;
        let b_project = text(&data["createProject"]["project"]["id"]);
        app.gql_err(
            Some(&w.b),
            UPDATE_PROJECT,
            json!({"input": {"id": b_project, "agreementId": id}}),
            "BAD_USER_INPUT",
        )
        .await;
        assert_eq!(listed(&app, &w.a, &id, None).await.len(), 1);

        // U files an existing project under it; the event log records it.
        let data = app
            .gql_ok(
                Some(&w.u),
                CREATE_PROJECT,
                json!({"input": {"title": "联合培养 Joint training", "area": "JOINT_TRAINING",
                    "partyOrganizationIds": [w.org_u]}}),
            )
            .await;
        let p2 = text(&data["createProject"]["project"]["id"]);
        let data = app
            .gql_ok(
                Some(&w.u),
                UPDATE_PROJECT,
                json!({"input": {"id": p2, "agreementId": id}}),
            )
            .await;
        let updated = &data["updateProject"]["project"];
        assert_eq!(updated["agreement"]["id"], id);
        assert_eq!(
            updated["events"]["nodes"][0]["changes"],
            json!([{"field": "agreement", "from": null, "to": id}])
        );
        // The list shows what each reader may see of the agreement's
        // projects: A is no party of U's own project.
        assert_eq!(listed(&app, &w.u, &id, None).await.len(), 2);
        assert_eq!(listed(&app, &w.a, &id, None).await.len(), 1);
        assert_eq!(listed(&app, &w.admin, &id, None).await.len(), 2);

        // A change of status shows in the filtered list at once.
        assert!(listed(&app, &w.a, &id, Some("AGREED")).await.is_empty());
        let p1_id = text(&p1["id"]);
        crate::project_consent::accept_all(&app, &p1_id, &[&w.u]).await;
        crate::project_consent::confirm_all(&app, &p1_id, "agreeProject", &[&w.u, &w.a]).await;
        assert_eq!(
            listed(&app, &w.a, &id, Some("AGREED")).await,
            ["检测中心共建 Testing center"]
        );

        // Taken out again with null.
        let data = app
            .gql_ok(
                Some(&w.u),
                UPDATE_PROJECT,
                json!({"input": {"id": p2, "agreementId": null}}),
            )
            .await;
        assert!(data["updateProject"]["project"]["agreement"].is_null());
        assert_eq!(listed(&app, &w.u, &id, None).await.len(), 1);

        // Needs: filed on creation by a party's member, refused for others.
        let data = app
            .gql_ok(
                Some(&w.a),
                "mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id agreement { id } } } }",
                json!({"input": {"organizationId": w.org_a, "title": "检测需求 Fatigue testing",
                    "agreementId": id}}),
            )
            .await;
        let need = text(&data["createNeed"]["need"]["id"]);
        assert_eq!(data["createNeed"]["need"]["agreement"]["id"], id);
        let data = app
            .gql_ok(Some(&w.u), AGREEMENT_PROJECTS, json!({"id": id}))
            .await;
        // U sees the agreement, not A's draft need.
        assert_eq!(data["agreement"]["needs"]["totalCount"], 0);
        let data = app
            .gql_ok(Some(&w.a), AGREEMENT_PROJECTS, json!({"id": id}))
            .await;
        assert_eq!(data["agreement"]["needs"]["nodes"][0]["id"], need);
        let body = app
            .gql_err(
                Some(&w.b),
                "mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id } } }",
                json!({"input": {"organizationId": w.org_b, "title": "B", "agreementId": id}}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(field_names(&body), ["input.agreementId"]);
        // A's need taken out with updateNeed.
        let data = app
            .gql_ok(
                Some(&w.a),
                "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { agreement { id } } } }",
                json!({"input": {"id": need, "agreementId": null}}),
            )
            .await;
        assert!(data["updateNeed"]["need"]["agreement"].is_null());
        let data = app
            .gql_ok(Some(&w.a), AGREEMENT_PROJECTS, json!({"id": id}))
            .await;
        assert_eq!(data["agreement"]["needs"]["totalCount"], 0);
        // An agreement id of the wrong kind is named.
        let body = app
            .gql_err(
                Some(&w.a),
                UPDATE_PROJECT,
                json!({"input": {"id": p1["id"], "agreementId": p1["id"]}}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_code(&body, "BAD_USER_INPUT");
        assert_eq!(field_names(&body), ["input.agreementId"]);
    }
);

e2e!(
    subscribers_follow_the_projects_of_an_agreement,
    |app| async move {
        use crate::subscriptions::Ws;
        use std::time::Duration;
        let (w, _, _) = world(&app).await;
        let id = text(&draft(&app, &w, "2030-12-31").await["id"]);
        const FOLLOW: &str = "subscription($a: ID) { myProjectsUpdated(agreementId: $a) {
            kind changes { field to } project { id agreement { id } } } }";

        // A stranger to the agreement is refused, like a missing one.
        let mut ws_b = Ws::connect(&app, Some(&w.b)).await;
        ws_b.subscribe("1", FOLLOW, json!({"a": id})).await;
        assert_eq!(ws_b.refusal("1").await.as_deref(), Some("NOT_FOUND"));

        let mut ws = Ws::connect(&app, Some(&w.u)).await;
        ws.subscribe("1", FOLLOW, json!({"a": id})).await;
        // Give the subscription a moment to start before writing.
        tokio::time::sleep(Duration::from_millis(300)).await;

        // A project of U outside the agreement: not pushed.
        let data = app
            .gql_ok(
                Some(&w.u),
                CREATE_PROJECT,
                json!({"input": {"title": "outside", "area": "OTHER", "partyOrganizationIds": [w.org_u]}}),
            )
            .await;
        let outside = text(&data["createProject"]["project"]["id"]);
        // One filed under it: pushed, carrying its agreement.
        let data = app
            .gql_ok(
                Some(&w.u),
                CREATE_PROJECT,
                json!({"input": {"title": "inside", "area": "JOINT_TRAINING",
                    "partyOrganizationIds": [w.org_u], "agreementId": id}}),
            )
            .await;
        let inside = text(&data["createProject"]["project"]["id"]);
        let msg = ws.next(Duration::from_secs(10)).await.expect("an event");
        let event = &msg["payload"]["data"]["myProjectsUpdated"];
        assert_eq!(event["kind"], "PROJECT_CREATED", "{msg}");
        assert_eq!(event["project"]["id"], inside);
        assert_eq!(event["project"]["agreement"]["id"], id);

        // Taking it out is pushed (the change names the agreement) …
        app.gql_ok(
            Some(&w.u),
            UPDATE_PROJECT,
            json!({"input": {"id": inside, "agreementId": null}}),
        )
        .await;
        let msg = ws.next(Duration::from_secs(10)).await.expect("an event");
        let event = &msg["payload"]["data"]["myProjectsUpdated"];
        assert_eq!(event["project"]["id"], inside, "{msg}");
        assert_eq!(
            event["changes"],
            json!([{"field": "agreement", "to": null}])
        );
        // … and later changes of it, or of the other project, are not.
        for p in [&inside, &outside] {
            app.gql_ok(
                Some(&w.u),
                UPDATE_PROJECT,
                json!({"input": {"id": p, "title": "renamed"}}),
            )
            .await;
        }
        assert!(
            ws.next(Duration::from_millis(800)).await.is_none(),
            "nothing more for this agreement"
        );
    }
);
