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
  ... on AgreementCoordinatorGrant { user { id } agreement { title } }
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

/// The markers an agreement coordinator of the A–U agreement may see: the
/// agreement and the work filed under it (the A–U project, the A–U
/// activity; A's public need carries no marker), and what every signed-in
/// user sees.
const A_U_COORDINATOR_SEES: &[&str] =
    &[AU_AGREEMENT, AU_PROJECT, AU_ACTIVITY, A_PLATFORM, U_TALENT];

/// Sends `query` with `token` (a caller outside the `Who` roster) and fails
/// on any marker not in `allowed`; returns the body.
async fn as_outsider(
    t: &Tenants<'_>,
    token: &str,
    allowed: &[&str],
    query: &str,
    vars: Value,
) -> Value {
    let res = t
        .app
        .post_json(
            "/graphql",
            json!({"query": query, "variables": vars}),
            Some(token),
        )
        .await;
    let text = res.text().await.expect("a body");
    for s in SECRETS {
        assert!(
            allowed.contains(&s.marker) || !text.contains(s.marker),
            "the agreement coordinator was shown {}:\n{text}",
            s.marker
        );
    }
    serde_json::from_str(&text).unwrap()
}

const COORDINATORS: &str = "query($id: ID!) { agreement(id: $id) { coordinators {
  id active viewerCanRevoke user { id } grantedBy { id } revokedBy { id } agreement { id } } } }";

e2e!(
    agreement_coordinators_stay_with_their_agreement,
    |app| async move {
        let t = Tenants::build(&app).await;
        let grant = "mutation($input: GrantAgreementCoordinatorInput!) {
          grantAgreementCoordinator(input: $input) { grant { id } } }";
        let revoke = "mutation($id: ID!) { revokeAgreementCoordinator(input: {grantId: $id}) {
          grant { id active } } }";
        let pmo = app.user("pmo@consultancy.test").await;
        let pmo_id = crate::fixtures::me(&app, &pmo).await;
        let over = |agreement: &str| json!({"input": {"agreementId": agreement, "email": "pmo@consultancy.test"}});

        // B cannot grant over the A–U agreement: to B (and to platform
        // staff without a grant) it does not exist. The parties' plain
        // members, U's coordinator and A's supervisor are refused.
        for who in [Who::B, Who::PCoord] {
            t.refused_like_missing(
                who,
                grant,
                over(&t.agreement),
                over(&missing("Agreement")),
                "NOT_FOUND",
            )
            .await;
        }
        for who in [Who::A, Who::U, Who::UCoord, Who::ASup] {
            t.refused(who, grant, over(&t.agreement), "FORBIDDEN").await;
        }
        t.refused(Who::Anon, grant, over(&t.agreement), "UNAUTHENTICATED")
            .await;
        // U's ORG_ADMIN appoints.
        let data = t.ok(Who::UStaff, grant, over(&t.agreement)).await;
        let grant_id = crate::common::text(&data["grantAgreementCoordinator"]["grant"]["id"]);

        // The coordinator reads the whole world: the agreement and its
        // work, nothing else of A, U or B.
        let ids = [
            &t.need_conf,
            &t.need_platform,
            &t.need_public,
            &t.need_draft,
            &t.need_withdrawn,
            &t.b_need_conf,
            &t.cap_draft,
            &t.cap_archived,
            &t.match_accepted,
            &t.match_declined,
            &t.match_public,
            &t.project,
            &t.milestone,
            &t.item_blocked,
            &t.event,
            &t.b_project,
            &t.booking_rejected,
            &t.b_booking,
            &t.grant_u,
            &t.agreement,
            &t.activity,
            &t.activity_participant,
            &t.b_activity,
            &grant_id,
        ];
        for id in ids {
            as_outsider(&t, &pmo, A_U_COORDINATOR_SEES, NODE, json!({"id": id})).await;
        }
        as_outsider(&t, &pmo, A_U_COORDINATOR_SEES, LISTS, json!({})).await;
        for marker in [A_CONF, A_DRAFT, A_WITHDRAWN, B_CONF, U_DRAFT, U_ARCHIVED] {
            as_outsider(&t, &pmo, A_U_COORDINATOR_SEES, SEARCH, json!({"q": marker})).await;
        }
        // Positive controls: the agreement, its project and activity.
        for (query, id) in [
            (
                "query($id: ID!) { agreement(id: $id) { title } }",
                &t.agreement,
            ),
            (PROJECT, &t.project),
            (
                "query($id: ID!) { activity(id: $id) { title } }",
                &t.activity,
            ),
            (NEED, &t.need_public),
        ] {
            let body = as_outsider(&t, &pmo, A_U_COORDINATOR_SEES, query, json!({"id": id})).await;
            assert!(body.get("errors").is_none(), "{body}");
        }
        // A's confidential need (not filed under it), B's records: as if
        // they did not exist.
        for (query, id) in [
            (NEED, &t.need_conf),
            (NEED, &t.b_need_conf),
            (PROJECT, &t.b_project),
        ] {
            let body = as_outsider(&t, &pmo, A_U_COORDINATOR_SEES, query, json!({"id": id})).await;
            assert_eq!(
                crate::common::error_code(&body).as_deref(),
                Some("NOT_FOUND"),
                "{body}"
            );
        }

        // The grant: the parties see it on the agreement; to B it is an id
        // that names nothing; only the parties' ORG_ADMINs revoke it.
        let data = t.ok(Who::A, COORDINATORS, json!({"id": t.agreement})).await;
        let listed = &data["agreement"]["coordinators"][0];
        assert_eq!(listed["id"], grant_id.as_str(), "{data}");
        assert_eq!(listed["user"]["id"], pmo_id.as_str());
        assert_eq!(listed["viewerCanRevoke"], false);
        assert!(listed["revokedBy"].is_null() && listed["grantedBy"]["id"].is_string());
        let node = "query($id: ID!) { node(id: $id) { id ... on AgreementCoordinatorGrant {
          user { id } agreement { id } } } }";
        for who in [Who::B, Who::PCoord] {
            for query in [node, revoke] {
                t.refused_like_missing(
                    who,
                    query,
                    json!({"id": grant_id}),
                    json!({"id": missing("AgreementCoordinatorGrant")}),
                    "NOT_FOUND",
                )
                .await;
            }
            t.refused(who, COORDINATORS, json!({"id": t.agreement}), "NOT_FOUND")
                .await;
        }
        for who in [Who::A, Who::U, Who::UCoord] {
            t.refused(who, revoke, json!({"id": grant_id}), "FORBIDDEN")
                .await;
        }
        let body = as_outsider(
            &t,
            &pmo,
            A_U_COORDINATOR_SEES,
            revoke,
            json!({"id": grant_id}),
        )
        .await;
        assert_eq!(
            crate::common::error_code(&body).as_deref(),
            Some("FORBIDDEN"),
            "{body}"
        );
        // A user's agreement grants: themself, admins, who may grant them.
        let of_user = "query($id: ID!) { node(id: $id) { ... on User {
          agreementCoordinatorGrants(includeRevoked: true) { id } } } }";
        for who in [Who::A, Who::B, Who::U, Who::UCoord, Who::ASup, Who::PCoord] {
            let data = t.ok(who, of_user, json!({"id": pmo_id})).await;
            assert_eq!(
                data["node"]["agreementCoordinatorGrants"],
                json!([]),
                "{who:?}: {data}"
            );
        }
        let data = t.ok(Who::UStaff, of_user, json!({"id": pmo_id})).await;
        assert_eq!(
            data["node"]["agreementCoordinatorGrants"][0]["id"],
            grant_id.as_str()
        );

        // Revoked: the coordinator is a stranger to the agreement again.
        let data = t.ok(Who::UStaff, revoke, json!({"id": grant_id})).await;
        assert_eq!(data["revokeAgreementCoordinator"]["grant"]["active"], false);
        let stranger: &[&str] = &[A_PLATFORM, U_TALENT];
        as_outsider(&t, &pmo, stranger, LISTS, json!({})).await;
        for id in [&t.agreement, &t.project, &t.activity] {
            as_outsider(&t, &pmo, stranger, NODE, json!({"id": id})).await;
        }
        let data = t.ok(Who::A, COORDINATORS, json!({"id": t.agreement})).await;
        assert_eq!(data["agreement"]["coordinators"], json!([]));
    }
);
