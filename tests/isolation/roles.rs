//! Scoped roles in the matrix: a COORDINATOR of U, a SUPERVISOR of A and a
//! platform COORDINATOR without grants read the whole world — every object
//! by id, every list, search, the figures, the REST reads and exports — and
//! see exactly their audience's markers ([`SECRETS`]); grants themselves
//! stay with the organisations they are over.

use serde_json::{Value, json};

use crate::world::*;

const NODE: &str = "query($id: ID!) { node(id: $id) { id __typename
  ... on Need { title description keywords }
  ... on Capability { title summary keywords }
  ... on Talent { name bio }
  ... on Project { title milestones { title } checklist { title note } }
  ... on Match { declineComment need { title } capability { title } }
  ... on Milestone { title items { title note } }
  ... on ChecklistItem { title note }
  ... on ProjectEvent { changes { field from to } project { title } }
  ... on Booking { purpose rejectReason }
  ... on RoleGrant { role user { id } organization { id } }
  ... on Agreement { title }
  ... on Activity { title description participants { name } }
  ... on ActivityParticipant { name } } }";

const LISTS: &str = "{ needs(first: 100) { nodes { title description keywords } }
  capabilities(first: 100) { nodes { title summary keywords } }
  projects(first: 100) { nodes { title milestones { title } checklist { title note } } }
  bookings(first: 100) { nodes { purpose rejectReason } }
  agreements(first: 100) { nodes { title activities(first: 100) { nodes { title } } } }
  activities(first: 100) { nodes { title description participants { name } } } }";

const SEARCH: &str = "query($q: String!) { search(query: $q, first: 50) { edges { snippet
  node { __typename ... on Need { title description } ... on Capability { title summary } } } } }";

const NEED: &str = "query($id: ID!) { need(id: $id) { id title } }";
const CAPABILITY: &str = "query($id: ID!) { capability(id: $id) { id title } }";
const PROJECT: &str = "query($id: ID!) { project(id: $id) { id title } }";
const STATS: &str = "{ stats { overdueChecklistItems } }";

const SCOPED: [Who; 3] = [Who::UCoord, Who::ASup, Who::PCoord];

e2e!(
    scoped_roles_see_their_scope_and_no_further,
    |app| async move {
        let t = Tenants::build(&app).await;
        let ids = [
            &t.need_conf,
            &t.need_platform,
            &t.need_public,
            &t.need_draft,
            &t.need_withdrawn,
            &t.b_need_conf,
            &t.cap_published,
            &t.cap_declined,
            &t.cap_draft,
            &t.cap_archived,
            &t.talent_u,
            &t.match_accepted,
            &t.match_declined,
            &t.match_public,
            &t.project,
            &t.milestone,
            &t.item_open,
            &t.item_blocked,
            &t.event,
            &t.b_project,
            &t.booking_approved,
            &t.booking_rejected,
            &t.booking_requested,
            &t.b_booking,
            &t.grant_u,
            &t.agreement,
            &t.activity,
            &t.activity_participant,
            &t.b_activity,
        ];
        for who in SCOPED {
            // Every object by id, every list: the leak check of `Tenants::gql`
            // fails on any marker outside the caller's audience.
            for id in ids {
                t.gql(who, NODE, json!({"id": id})).await;
            }
            t.ok(who, LISTS, json!({})).await;
            for marker in [A_CONF, A_DRAFT, A_WITHDRAWN, B_CONF, U_DRAFT, U_ARCHIVED] {
                t.gql(who, SEARCH, json!({"q": marker})).await;
            }
            for path in [
                "/api/v1/needs",
                "/api/v1/capabilities",
                "/api/v1/projects",
                "/api/v1/projects.csv",
            ] {
                t.rest(who, path).await;
            }
            // Nobody in a scoped role reads A's or B's confidential needs, A's
            // draft or withdrawn one: exactly like an id that names nothing.
            for id in [
                &t.need_conf,
                &t.need_draft,
                &t.need_withdrawn,
                &t.b_need_conf,
            ] {
                t.refused_like_missing(
                    who,
                    NEED,
                    json!({"id": id}),
                    json!({"id": missing("Need")}),
                    "NOT_FOUND",
                )
                .await;
            }
            // Nor B's project.
            t.refused_like_missing(
                who,
                PROJECT,
                json!({"id": t.b_project}),
                json!({"id": missing("Project")}),
                "NOT_FOUND",
            )
            .await;
        }

        // Positive controls: what each may see, they do see.
        for id in [&t.cap_draft, &t.cap_archived] {
            let data = t.ok(Who::UCoord, CAPABILITY, json!({"id": id})).await;
            assert!(data["capability"]["id"].is_string(), "{data}");
            for who in [Who::ASup, Who::PCoord] {
                t.refused(who, CAPABILITY, json!({"id": id}), "NOT_FOUND")
                    .await;
            }
        }
        for who in [Who::UCoord, Who::ASup] {
            let data = t.ok(who, PROJECT, json!({"id": t.project})).await;
            assert!(data.to_string().contains(AU_PROJECT), "{who:?}: {data}");
        }
        t.refused(Who::PCoord, PROJECT, json!({"id": t.project}), "NOT_FOUND")
            .await;
        // The A–U agreement: in the coordinator's and the supervisor's scope.
        let agreement = "query($id: ID!) { agreement(id: $id) { id title } }";
        for who in [Who::UCoord, Who::ASup] {
            let data = t.ok(who, agreement, json!({"id": t.agreement})).await;
            assert!(data.to_string().contains(AU_AGREEMENT), "{who:?}: {data}");
        }
        t.refused_like_missing(
            Who::PCoord,
            agreement,
            json!({"id": t.agreement}),
            json!({"id": missing("Agreement")}),
            "NOT_FOUND",
        )
        .await;
        // The A–U activity likewise; B's is B's alone.
        let activity = "query($id: ID!) { activity(id: $id) { id title } }";
        for who in [Who::UCoord, Who::ASup] {
            let data = t.ok(who, activity, json!({"id": t.activity})).await;
            assert!(data.to_string().contains(AU_ACTIVITY), "{who:?}: {data}");
        }
        for (who, id) in [
            (Who::PCoord, &t.activity),
            (Who::UCoord, &t.b_activity),
            (Who::ASup, &t.b_activity),
        ] {
            t.refused_like_missing(
                who,
                activity,
                json!({"id": id}),
                json!({"id": missing("Activity")}),
                "NOT_FOUND",
            )
            .await;
        }
        // The figures: platform staff and supervisors; a coordinator of one
        // organisation is neither.
        for who in [Who::ASup, Who::PCoord] {
            t.ok(who, STATS, json!({})).await;
        }
        t.refused(Who::UCoord, STATS, json!({}), "FORBIDDEN").await;

        // A coordinator of U curates U's draft, not A's need; a supervisor
        // changes nothing, not even in scope; nothing changed.
        let snapshot = || async {
            t.ok(
            Who::Admin,
            "query($n: ID!, $p: ID!) { need(id: $n) { title version } project(id: $p) { title version } }",
            json!({"n": t.need_conf, "p": t.project}),
        )
        .await
        };
        let before = snapshot().await;
        let update_need =
            "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { id } } }";
        t.refused_like_missing(
            Who::UCoord,
            update_need,
            json!({"input": {"id": t.need_conf, "title": "hijacked"}}),
            json!({"input": {"id": missing("Need"), "title": "hijacked"}}),
            "NOT_FOUND",
        )
        .await;
        let update_project = "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { id } } }";
        let res = t
            .refused(
                Who::ASup,
                update_project,
                json!({"input": {"id": t.project, "title": "hijacked"}}),
                "FORBIDDEN",
            )
            .await;
        assert_eq!(
            res["errors"][0]["extensions"]["key"], "account.read_only",
            "{res}"
        );
        assert_eq!(
            snapshot().await,
            before,
            "a refused mutation changed something"
        );
        let data = t
        .ok(
            Who::UCoord,
            "mutation($input: UpdateCapabilityInput!) { updateCapability(input: $input) { capability { id } } }",
            json!({"input": {"id": t.cap_draft, "summary": format!("{U_DRAFT} curated by the office")}}),
        )
        .await;
        assert_eq!(
            data["updateCapability"]["capability"]["id"],
            t.cap_draft.as_str()
        );
    }
);

const GRANTS_OF_U: &str =
    "query($id: ID!) { organization(id: $id) { roleGrants(includeRevoked: true) {
  id role user { id } grantedBy { id } revokedBy { id } } } }";

e2e!(
    role_grants_stay_with_their_organisations,
    |app| async move {
        let t = Tenants::build(&app).await;
        let grant =
            "mutation($input: GrantRoleInput!) { grantRole(input: $input) { roleGrant { id } } }";
        let revoke = "mutation($id: ID!) { revokeRole(input: {roleGrantId: $id}) { roleGrant { id active } } }";
        let snapshot = || async {
            t.ok(Who::Admin, GRANTS_OF_U, json!({"id": t.w.org_u}))
                .await
        };
        let before = snapshot().await;

        // Nobody but U's ORG_ADMINs (and the admin) grants over U; whether an
        // e-mail has an account is not revealed to them.
        for email in ["b@enterprise-b.test", "nobody@nowhere.test"] {
            let over_u = json!({"input": {"organizationId": t.w.org_u, "email": email, "role": "COORDINATOR"}});
            for who in [Who::A, Who::B, Who::U, Who::UCoord, Who::PCoord] {
                t.refused(who, grant, over_u.clone(), "FORBIDDEN").await;
            }
            t.refused(Who::Anon, grant, over_u, "UNAUTHENTICATED").await;
        }
        // The grant over U: hidden from the other tenants like an id that
        // names nothing; its holder and U's ORG_ADMIN see it.
        let node = "query($id: ID!) { node(id: $id) { id ... on RoleGrant { role user { id } } } }";
        for who in [Who::A, Who::B, Who::U, Who::ASup] {
            let queries: &[&str] = if who == Who::ASup {
                // The supervisor's revocation is refused before it runs.
                t.refused(who, revoke, json!({"id": t.grant_u}), "FORBIDDEN")
                    .await;
                &[node]
            } else {
                &[node, revoke]
            };
            for &query in queries {
                t.refused_like_missing(
                    who,
                    query,
                    json!({"id": t.grant_u}),
                    json!({"id": missing("RoleGrant")}),
                    "NOT_FOUND",
                )
                .await;
            }
        }
        // Platform staff see accounts and their roles, and revoke nothing.
        t.refused(Who::PCoord, revoke, json!({"id": t.grant_u}), "FORBIDDEN")
            .await;
        for who in [Who::UCoord, Who::UStaff, Who::PCoord] {
            let data = t.ok(who, node, json!({"id": t.grant_u})).await;
            assert_eq!(data["node"]["role"], "COORDINATOR", "{data}");
        }
        // Who holds roles over U: its ORG_ADMINs and platform staff ask;
        // the others are refused. A user's grants show only to those who
        // see their account (or administer the organisation).
        for who in [Who::A, Who::B, Who::U, Who::UCoord, Who::ASup] {
            t.refused(who, GRANTS_OF_U, json!({"id": t.w.org_u}), "FORBIDDEN")
                .await;
        }
        let data = t
            .ok(Who::UStaff, GRANTS_OF_U, json!({"id": t.w.org_u}))
            .await;
        assert_eq!(
            data["organization"]["roleGrants"][0]["id"],
            t.grant_u.as_str()
        );
        let holder = data["organization"]["roleGrants"][0]["user"]["id"].clone();
        let of_user = "query($id: ID!) { node(id: $id) { ... on User { roleGrants(includeRevoked: true) { id } } } }";
        for who in [Who::A, Who::B, Who::U, Who::ASup] {
            let data = t.ok(who, of_user, json!({"id": holder})).await;
            assert_eq!(data["node"]["roleGrants"], json!([]), "{who:?}: {data}");
        }
        let data = t.ok(Who::UCoord, of_user, json!({"id": holder})).await;
        assert_eq!(data["node"]["roleGrants"][0]["id"], t.grant_u.as_str());

        assert_eq!(
            snapshot().await,
            before,
            "a refused grant changed something"
        );
        // U's ORG_ADMIN revokes: the record stays.
        let data = t.ok(Who::UStaff, revoke, json!({"id": t.grant_u})).await;
        assert_eq!(data["revokeRole"]["roleGrant"]["active"], false);
        let after: Value = snapshot().await;
        assert_eq!(
            after["organization"]["roleGrants"][0]["id"],
            t.grant_u.as_str()
        );
        assert!(
            after["organization"]["roleGrants"][0]["revokedBy"]["id"].is_string(),
            "{after}"
        );
    }
);
