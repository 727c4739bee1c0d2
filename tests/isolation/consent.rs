//! Every party consents, across tenants: the parties' answers and the
//! pending confirmations of a project are read by those who see the
//! project (an invited party's managers too, to decide) and nobody else;
//! an invitation is answered, and a confirmation withdrawn, only by a
//! manager of the party — anyone else is refused as if the project did not
//! exist; the consent events answer `node(id:)` as their project does.

use serde_json::{Value, json};

use crate::world::{AU_PROJECT, Tenants, Who, missing};

const CONSENT: &str = "query($id: ID!) { project(id: $id) { id
  partyConsents { organization { id } consent respondedAt respondedBy { id displayName }
    declineReason viewerCanRespond }
  pendingMoves { to awaitedParties { id } viewerCanWithdraw
    confirmations { organization { id } confirmedBy { id displayName } confirmedAt reason } } } }";

const EVENTS: &str = "query($id: ID!) { project(id: $id) { events(first: 100) {
  edges { node { __typename id } } } } }";

const NODE: &str = "query($id: ID!) { node(id: $id) { id
  ... on ProjectPartyRespondedEvent { consent reason parties { id } actor { id } project { id }
    changes { field } }
  ... on ProjectMoveConfirmationEvent { to reason confirmedFor { id } withdrawnFor { id }
    actor { id } project { id } changes { field } } } }";

fn op(name: &str, extra: &str, params: &str) -> String {
    format!(
        "mutation($id: ID!{params}) {{ {name}(input: {{id: $id{extra}}}) {{ project {{ id partyConsents {{ consent }} }} }} }}"
    )
}

fn accept() -> String {
    op("acceptProjectInvitation", "", "")
}

fn decline() -> String {
    op("declineProjectInvitation", ", reason: \"sabotage\"", "")
}

fn withdraw() -> String {
    op("withdrawProjectConfirmation", ", to: COMPLETED", "")
}

fn agree() -> String {
    op("agreeProject", "", "")
}

/// The global id of the first event of `typename` of project `id`.
fn event_of(data: &Value, typename: &str) -> String {
    data["project"]["events"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["__typename"] == typename)
        .map(|e| crate::common::text(&e["node"]["id"]))
        .unwrap_or_else(|| panic!("a {typename}: {data}"))
}

e2e!(consent_is_the_projects_parties_alone, |app| async move {
    let t = Tenants::build(&app).await;
    // A names U in a new project: U is invited, A confirms completing the
    // A–U project (in progress) and U waits.
    let data = t
        .ok(
            Who::A,
            "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
            json!({"input": {"title": format!("{AU_PROJECT} 邀请"), "area": "OTHER",
                "partyOrganizationIds": [t.w.org_a, t.w.org_u]}}),
        )
        .await;
    let invited = crate::common::text(&data["createProject"]["project"]["id"]);
    t.ok(
        Who::A,
        &op("startProject", "", ""),
        json!({"id": t.project}),
    )
    .await;
    t.ok(
        Who::A,
        &op("completeProject", "", ""),
        json!({"id": t.project}),
    )
    .await;

    // Who sees the answers and the pending confirmations: those who see
    // the project, the invited party's managers included.
    for who in [Who::A, Who::U, Who::UCoord, Who::ASup, Who::Admin] {
        let data = t.ok(who, CONSENT, json!({"id": t.project})).await;
        assert_eq!(
            data["project"]["pendingMoves"][0]["to"], "COMPLETED",
            "{who:?}: {data}"
        );
        assert_eq!(
            data["project"]["pendingMoves"][0]["viewerCanWithdraw"],
            who == Who::A,
            "{who:?}"
        );
    }
    for who in [Who::U, Who::UCoord] {
        let data = t.ok(who, CONSENT, json!({"id": invited})).await;
        let u = data["project"]["partyConsents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["organization"]["id"] == t.w.org_u.as_str())
            .unwrap()
            .clone();
        assert_eq!(u["consent"], "INVITED");
        assert_eq!(u["viewerCanRespond"], true, "{who:?} manages U");
    }
    for id in [&t.project, &invited] {
        for who in [Who::B, Who::PCoord] {
            t.refused_like_missing(
                who,
                CONSENT,
                json!({"id": id}),
                json!({"id": missing("Project")}),
                "NOT_FOUND",
            )
            .await;
        }
        t.refused(Who::Anon, CONSENT, json!({"id": id}), "UNAUTHENTICATED")
            .await;
    }

    // Answering and withdrawing: others are refused as on a missing project,
    // a supervisor changes nothing, and nothing moved.
    for mutation in [accept(), decline(), withdraw(), agree()] {
        for who in [Who::B, Who::PCoord] {
            t.refused_like_missing(
                who,
                &mutation,
                json!({"id": invited}),
                json!({"id": missing("Project")}),
                "NOT_FOUND",
            )
            .await;
        }
        t.refused(Who::ASup, &mutation, json!({"id": invited}), "FORBIDDEN")
            .await;
        t.refused(
            Who::Anon,
            &mutation,
            json!({"id": invited}),
            "UNAUTHENTICATED",
        )
        .await;
    }
    // A has nothing to answer for U, nor to withdraw for U.
    t.refused(Who::A, &accept(), json!({"id": invited}), "BAD_USER_INPUT")
        .await;
    t.refused(
        Who::U,
        &withdraw(),
        json!({"id": t.project}),
        "BAD_USER_INPUT",
    )
    .await;
    let data = t.ok(Who::Admin, CONSENT, json!({"id": invited})).await;
    assert!(
        data["project"]["partyConsents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["consent"] == "INVITED"),
        "nobody answered for U: {data}"
    );
    let data = t.ok(Who::Admin, CONSENT, json!({"id": t.project})).await;
    assert_eq!(data["project"]["pendingMoves"][0]["to"], "COMPLETED");

    // Naming U tells A nothing of who works there: until U accepts, U's
    // member is no checklist owner, refused exactly as an unknown user.
    let owner_item = |owner: &str| json!({"input": {"projectId": invited, "title": "probe", "ownerUserId": owner}});
    const ADD_ITEM: &str = "mutation($input: AddChecklistItemInput!) { addChecklistItem(input: $input) { item { id owner { id } } } }";
    let refusals = [
        t.gql(Who::A, ADD_ITEM, owner_item(&t.user_u)).await,
        t.gql(Who::A, ADD_ITEM, owner_item(&missing("User"))).await,
    ];
    for res in &refusals {
        assert_eq!(
            res["errors"][0]["extensions"]["key"], "checklist_item.owner.not_member",
            "{res}"
        );
    }
    assert_eq!(
        refusals[0]["errors"][0]["message"], refusals[1]["errors"][0]["message"],
        "a member of an invited party is answered as nobody"
    );

    const PEOPLE: &str =
        "query($p: ID!) { users(filter: {projectId: $p}, first: 100) { edges { node { id } } } }";
    let listed = |data: &Value| -> Vec<String> {
        data["users"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| crate::common::text(&e["node"]["id"]))
            .collect()
    };
    let data = t.ok(Who::A, PEOPLE, json!({"p": invited})).await;
    assert!(
        !listed(&data).contains(&t.user_u),
        "an invited party's people are not listed: {data}"
    );
    assert!(listed(&data).contains(&t.user_a), "{data}");

    // U's coordinator answers for U; A withdraws its own confirmation.
    t.ok(Who::UCoord, &accept(), json!({"id": invited})).await;
    let data = t.ok(Who::A, PEOPLE, json!({"p": invited})).await;
    assert!(listed(&data).contains(&t.user_u), "{data}");
    let data = t.ok(Who::A, ADD_ITEM, owner_item(&t.user_u)).await;
    assert_eq!(
        data["addChecklistItem"]["item"]["owner"]["id"],
        t.user_u.as_str(),
        "once U accepted, its member may own an item"
    );
    t.ok(Who::A, &withdraw(), json!({"id": t.project})).await;

    // The consent events are their project's: node(id:) answers its
    // readers and refuses the others as on a missing event.
    let data = t.ok(Who::A, EVENTS, json!({"id": invited})).await;
    let responded = event_of(&data, "ProjectPartyRespondedEvent");
    let data = t.ok(Who::A, EVENTS, json!({"id": t.project})).await;
    let confirmed = event_of(&data, "ProjectMoveConfirmationEvent");
    for event in [&responded, &confirmed] {
        for who in [Who::A, Who::U, Who::ASup, Who::Admin] {
            let data = t.ok(who, NODE, json!({"id": event})).await;
            assert_eq!(data["node"]["id"], event.as_str(), "{who:?}");
        }
        for who in [Who::B, Who::PCoord] {
            t.refused_like_missing(
                who,
                NODE,
                json!({"id": event}),
                json!({"id": missing("ProjectEvent")}),
                "NOT_FOUND",
            )
            .await;
        }
    }
});
