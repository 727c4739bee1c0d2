//! Nested edges: the fields that lead from an object one may see to
//! objects one may not (need → matches, capability → matching needs,
//! project → need/checklist/events, instrument → qualifications, …).

use serde_json::{Value, json};

use crate::world::*;

fn ids_at(list: &Value, pointer: &str) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|n| {
            n.pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("{pointer} in {n}"))
                .to_owned()
        })
        .collect()
}

const MATCHES: &str = "query($id: ID!) { need(id: $id) { id matches(first: 50) { totalCount nodes {
  id status declineComment factors { detail } matchedTerms
  need { id title description keywords } capability { id title summary keywords talents { id bio } } } } } }";

const MATCHING_TALENTS: &str = "query($id: ID!) { need(id: $id) { matchingTalents(first: 50) {
  nodes { score matchedTerms factors { detail } talent { id name bio } } } } }";

const MATCHING_NEEDS: &str = "query($id: ID!) { capability(id: $id) { matchingNeeds(first: 50) {
  totalCount nodes { score matchedTerms factors { detail } need { id title description keywords } } } } }";

e2e!(edges_of_needs_capabilities_and_matches, |app| async move {
    let t = Tenants::build(&app).await;

    // Need.matches: the confidential need is matched for its owner (SPEC:
    // "a confidential need is matched for its owners"), with the accepted
    // pair and without the declined one, drafts or archived capabilities.
    let data = t.ok(Who::A, MATCHES, json!({"id": t.need_conf})).await;
    let nodes = &data["need"]["matches"]["nodes"];
    let capabilities = ids_at(nodes, "/capability/id");
    assert!(capabilities.contains(&t.cap_published), "{data}");
    assert!(
        !capabilities.contains(&t.cap_declined),
        "declined pairs are not suggested again"
    );
    assert!(ids_at(nodes, "/need/id").iter().all(|n| *n == t.need_conf));
    assert!(data.to_string().contains(A_CONF));
    // Only those who decide on the need's matches read them: a need one
    // may see is FORBIDDEN, one one may not see is NOT_FOUND.
    for who in [Who::B, Who::U] {
        t.refused(who, MATCHES, json!({"id": t.need_public}), "FORBIDDEN")
            .await;
        t.refused_like_missing(
            who,
            MATCHES,
            json!({"id": t.need_conf}),
            json!({"id": missing("Need")}),
            "NOT_FOUND",
        )
        .await;
    }
    t.refused(
        Who::Anon,
        MATCHES,
        json!({"id": t.need_public}),
        "UNAUTHENTICATED",
    )
    .await;
    // Also not through a list of needs.
    t.refused(
        Who::B,
        "{ needs(first: 100) { nodes { id matches { nodes { id capability { id } } } } } }",
        json!({}),
        "FORBIDDEN",
    )
    .await;

    // Need.matchingTalents: the same rule.
    let data = t
        .ok(Who::A, MATCHING_TALENTS, json!({"id": t.need_conf}))
        .await;
    let nodes = &data["need"]["matchingTalents"]["nodes"];
    assert_eq!(ids_at(nodes, "/talent/id"), vec![t.talent_u.clone()]);
    for who in [Who::B, Who::U] {
        t.refused(
            who,
            MATCHING_TALENTS,
            json!({"id": t.need_public}),
            "FORBIDDEN",
        )
        .await;
    }

    // Need.createdBy: the author is shown to the need's organisation only.
    let q = "query($id: ID!) { need(id: $id) { createdBy { id displayName email } } }";
    let data = t.ok(Who::A, q, json!({"id": t.need_public})).await;
    assert_eq!(data["need"]["createdBy"]["id"], t.user_a.as_str());
    for who in [Who::B, Who::U, Who::Anon] {
        let data = t.ok(who, q, json!({"id": t.need_public})).await;
        assert!(data["need"]["createdBy"].is_null(), "{who:?}: {data}");
    }

    // Capability.matchingNeeds: U sees the needs its capability fits —
    // never A's or B's confidential ones, drafts or withdrawn ones (SPEC:
    // a confidential need's "text is never shown to anyone else through a
    // match") — while the platform staff see that they are matched.
    let data = t
        .ok(Who::U, MATCHING_NEEDS, json!({"id": t.cap_published}))
        .await;
    let needs = ids_at(&data["capability"]["matchingNeeds"]["nodes"], "/need/id");
    assert!(
        needs.contains(&t.need_public) && needs.contains(&t.need_platform),
        "{data}"
    );
    for hidden in [
        &t.need_conf,
        &t.b_need_conf,
        &t.need_draft,
        &t.need_withdrawn,
    ] {
        assert!(!needs.contains(hidden), "{data}");
    }
    let data = t
        .ok(Who::Admin, MATCHING_NEEDS, json!({"id": t.cap_published}))
        .await;
    let needs = ids_at(&data["capability"]["matchingNeeds"]["nodes"], "/need/id");
    assert!(
        needs.contains(&t.need_conf) && needs.contains(&t.b_need_conf),
        "the confidential needs are matched; only their text is hidden: {data}"
    );
    for who in [Who::A, Who::B] {
        t.refused(
            who,
            MATCHING_NEEDS,
            json!({"id": t.cap_published}),
            "FORBIDDEN",
        )
        .await;
    }
    t.refused(
        Who::Anon,
        MATCHING_NEEDS,
        json!({"id": t.cap_published}),
        "UNAUTHENTICATED",
    )
    .await;

    // Capability.talents: people are listed to signed-in users only.
    let q = "query($id: ID!) { capability(id: $id) { talents { id name bio } } }";
    let data = t.ok(Who::Anon, q, json!({"id": t.cap_published})).await;
    assert_eq!(data["capability"]["talents"], json!([]));
    let data = t.ok(Who::B, q, json!({"id": t.cap_published})).await;
    assert_eq!(
        ids_at(&data["capability"]["talents"], "/id"),
        vec![t.talent_u.clone()]
    );

    // SearchHit.node: every node type with its text, for each reader.
    let search = "query($q: String!) { search(query: $q, first: 50) { edges { node { __typename
      ... on Need { id title description keywords organization { id } }
      ... on Capability { id title summary keywords talents { bio } }
      ... on Talent { id name bio } } } } }";
    for who in [Who::Anon, Who::A, Who::B, Who::U] {
        let data = t.ok(who, search, json!({"q": "轴承"})).await;
        assert!(
            !data["search"]["edges"].as_array().unwrap().is_empty(),
            "{who:?}"
        );
    }
});

const PROJECT_EDGES: &str = "query($id: ID!) { project(id: $id) { id title
  need { id title description keywords } capability { id title summary }
  checklist { id title note owner { id email } }
  milestones { id title items { id title note } }
  events(first: 50) { totalCount nodes { kind subjectId actor { id } changes { field from to } project { id title } } } } }";

const PROJECTS_EDGES: &str = "{ projects(first: 100) { nodes { id title
  need { title description } capability { title summary }
  checklist { title note owner { id } } milestones { title items { title } }
  events(first: 50) { nodes { changes { field to } actor { id } project { title } } } } } }";

e2e!(edges_of_projects, |app| async move {
    let t = Tenants::build(&app).await;

    // A project from A's confidential need: the need's side sees the need,
    // the capability's side takes part without seeing it.
    let data = t.ok(Who::A, PROJECT_EDGES, json!({"id": t.project})).await;
    assert_eq!(data["project"]["need"]["id"], t.need_conf.as_str());
    let data = t.ok(Who::U, PROJECT_EDGES, json!({"id": t.project})).await;
    let p = &data["project"];
    assert!(p["need"].is_null(), "{data}");
    assert_eq!(p["capability"]["id"], t.cap_published.as_str());
    assert_eq!(p["checklist"].as_array().unwrap().len(), 2);
    assert_eq!(p["checklist"][0]["owner"]["id"], t.user_u.as_str());
    assert_eq!(
        p["milestones"][0]["items"][0]["id"],
        t.item_open.as_str(),
        "{data}"
    );
    let events = p["events"]["nodes"].as_array().unwrap();
    assert!(events.len() >= 5, "{data}");
    assert!(
        events
            .iter()
            .all(|e| e["project"]["id"] == t.project.as_str())
    );
    assert!(data.to_string().contains(AU_PROJECT));
    // B reaches none of it, by id or through its project list.
    t.refused_like_missing(
        Who::B,
        PROJECT_EDGES,
        json!({"id": t.project}),
        json!({"id": missing("Project")}),
        "NOT_FOUND",
    )
    .await;
    let data = t.ok(Who::B, PROJECTS_EDGES, json!({})).await;
    assert_eq!(
        ids_at(&data["projects"]["nodes"], "/id"),
        vec![t.b_project.clone()]
    );
    assert!(data.to_string().contains(B_PROJECT));
    let data = t.ok(Who::U, PROJECTS_EDGES, json!({})).await;
    assert_eq!(
        ids_at(&data["projects"]["nodes"], "/id"),
        vec![t.project.clone()]
    );

    // Another enterprise as a party: A pairs with B on a project linked to
    // A's confidential need; B takes part but the need stays A's.
    let data = t
        .ok(
            Who::A,
            "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
            json!({"input": {"title": "甲乙结对 A–B pairing", "area": "ORGANIZATION_PAIRING",
                "partyOrganizationIds": [t.w.org_a, t.w.org_b], "needId": t.need_conf}}),
        )
        .await;
    let pairing = crate::common::text(&data["createProject"]["project"]["id"]);
    let data = t.ok(Who::B, PROJECT_EDGES, json!({"id": pairing})).await;
    assert!(data["project"]["need"].is_null(), "{data}");
    assert_eq!(data["project"]["title"], "甲乙结对 A–B pairing");
    let data = t.ok(Who::A, PROJECT_EDGES, json!({"id": pairing})).await;
    assert_eq!(data["project"]["need"]["id"], t.need_conf.as_str());

    // And a capability one may not see: U links its draft to a project with A.
    let data = t
        .ok(
            Who::U,
            "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
            json!({"input": {"title": "预研 pre-study", "area": "OTHER",
                "partyOrganizationIds": [t.w.org_u, t.w.org_a], "capabilityId": t.cap_draft}}),
        )
        .await;
    let pre_study = crate::common::text(&data["createProject"]["project"]["id"]);
    let data = t.ok(Who::A, PROJECT_EDGES, json!({"id": pre_study})).await;
    assert!(data["project"]["capability"].is_null(), "{data}");
    let data = t.ok(Who::U, PROJECT_EDGES, json!({"id": pre_study})).await;
    assert_eq!(
        data["project"]["capability"]["id"],
        t.cap_draft.as_str(),
        "the edge works for who may see the capability"
    );
});

e2e!(edges_of_the_testing_center, |app| async move {
    let t = Tenants::build(&app).await;
    let instrument = json!({"id": t.instrument});

    // Instrument.qualifications: everyone's, for the staff only.
    let q = "query($id: ID!) { instrument(id: $id) { qualifications { valid expiresAt user { id email } } } }";
    let data = t.ok(Who::UStaff, q, instrument.clone()).await;
    let mut users = ids_at(&data["instrument"]["qualifications"], "/user/id");
    users.sort();
    let mut expected = vec![t.user_a.clone(), t.user_b.clone()];
    expected.sort();
    assert_eq!(users, expected);
    for who in [Who::A, Who::B, Who::U] {
        t.refused(who, q, instrument.clone(), "FORBIDDEN").await;
    }

    // Instrument.viewerQualification: one's own, nobody else's.
    let q = "query($id: ID!) { instrument(id: $id) { viewerQualification { valid user { id } } } }";
    for (who, user) in [(Who::A, &t.user_a), (Who::B, &t.user_b)] {
        let data = t.ok(who, q, instrument.clone()).await;
        assert_eq!(
            data["instrument"]["viewerQualification"]["user"]["id"],
            user.as_str()
        );
    }
    let data = t.ok(Who::U, q, instrument.clone()).await;
    assert!(data["instrument"]["viewerQualification"].is_null());

    // Instrument.availability shows when the instrument is taken (A's
    // approved booking, 09–11 on day 3), never by whom or why.
    let q = "query($id: ID!, $f: DateTime!, $t: DateTime!) { instrument(id: $id) {
      availability(from: $f, to: $t) { start end } maintenance(from: $f, to: $t) { start end reason } } }";
    let data = t
        .ok(
            Who::B,
            q,
            json!({"id": t.instrument, "f": at(3, 8).to_rfc3339(), "t": at(3, 18).to_rfc3339()}),
        )
        .await;
    let slots = crate::common::spans(&data["instrument"]["availability"]);
    let parse = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    assert_eq!(
        slots
            .iter()
            .map(|(s, e)| (parse(s), parse(e)))
            .collect::<Vec<_>>(),
        vec![(at(3, 8), at(3, 9)), (at(3, 11), at(3, 18))]
    );
    // Instrument.maintenance: the center's own windows, public to users.
    let data = t
        .ok(
            Who::B,
            q,
            json!({"id": t.instrument, "f": at(6, 0).to_rfc3339(), "t": at(7, 0).to_rfc3339()}),
        )
        .await;
    assert_eq!(
        data["instrument"]["maintenance"][0]["reason"],
        "年度校准 calibration"
    );
    // MaintenanceWindow.instrument: the instrument it belongs to, which
    // every signed-in user sees; its qualification list stays the staff's.
    let q = "query($id: ID!, $f: DateTime!, $t: DateTime!) { instrument(id: $id) {
      maintenance(from: $f, to: $t) { instrument { id name qualifications { user { id } } } } } }";
    let window =
        json!({"id": t.instrument, "f": at(6, 0).to_rfc3339(), "t": at(7, 0).to_rfc3339()});
    let data = t.ok(Who::UStaff, q, window.clone()).await;
    assert_eq!(
        data["instrument"]["maintenance"][0]["instrument"]["id"],
        t.instrument.as_str()
    );
    t.refused(Who::B, q, window, "FORBIDDEN").await;

    // Booking.user / Booking.instrument / Booking.organization: bookers
    // see their own; the staff see who booked.
    let q = "{ bookings(first: 100) { nodes { id purpose rejectReason user { id email }
      organization { id } instrument { id qualifications { user { id } } } } } }";
    let data = t.ok(Who::UStaff, q, json!({})).await;
    let users = ids_at(&data["bookings"]["nodes"], "/user/id");
    assert!(users.contains(&t.user_a) && users.contains(&t.user_b));
    let q = "{ bookings(first: 100) { nodes { id purpose user { id email } organization { id } instrument { id name } } } }";
    let data = t.ok(Who::B, q, json!({})).await;
    assert_eq!(
        ids_at(&data["bookings"]["nodes"], "/user/id"),
        vec![t.user_b.clone()]
    );
    assert_eq!(
        data["bookings"]["nodes"][0]["instrument"]["id"],
        t.instrument.as_str()
    );
    // A member of B asking the instrument's qualifications through its
    // own booking is still refused.
    t.refused(
        Who::B,
        "{ bookings(first: 100) { nodes { instrument { qualifications { user { id } } } } } }",
        json!({}),
        "FORBIDDEN",
    )
    .await;

    // UsageStats.center / UsageStats.instruments / Usage.instrument: the
    // staff's own instruments.
    let q = "query($f: DateTime!, $t: DateTime!) { usageStats(from: $f, to: $t) {
      center { bookedHours externalHours } instruments { bookedHours instrument { id name } } } }";
    let period = json!({"f": at(-1, 0).to_rfc3339(), "t": at(30, 0).to_rfc3339()});
    let data = t.ok(Who::UStaff, q, period.clone()).await;
    assert_eq!(
        ids_at(&data["usageStats"]["instruments"], "/instrument/id"),
        vec![t.instrument.clone()]
    );
    t.refused(Who::B, q, period, "FORBIDDEN").await;

    // User.memberships / Membership.user: one's own organisations only.
    let q = "query($id: ID!) { node(id: $id) { ... on User { memberships { id organization { id } user { id } } } } }";
    let data = t.ok(Who::A, q, json!({"id": t.user_a})).await;
    assert_eq!(
        data["node"]["memberships"][0]["user"]["id"],
        t.user_a.as_str()
    );
    let data = t.ok(Who::Admin, q, json!({"id": t.user_a})).await;
    assert_eq!(data["node"]["memberships"].as_array().unwrap().len(), 1);
    for who in [Who::B, Who::U] {
        let data = t.ok(who, q, json!({"id": t.user_a})).await;
        assert_eq!(data["node"]["memberships"], json!([]), "{who:?}");
    }
});

const AGREEMENT_EDGES: &str = "query($id: ID!) { agreement(id: $id) { id title
  parties { organization { id } confirmedBy { id } responsiblePeople { id displayName } }
  viewerConfirmsFor { id }
  projects(first: 50) { totalCount nodes { id title agreement { id title } } }
  needs(first: 50) { totalCount nodes { id title agreement { id title } } } } }";

const NEED_AGREEMENT: &str = "query($id: ID!) { need(id: $id) { id title agreement { id title parties { organization { id } } } } }";

const PROJECT_AGREEMENT: &str =
    "query($id: ID!) { project(id: $id) { id agreement { id title } } }";

e2e!(edges_of_agreements, |app| async move {
    let t = Tenants::build(&app).await;

    // The parties follow the agreement's edges to what each may see: the
    // A–U project, A's public need, U's responsible member.
    for who in [Who::A, Who::U, Who::UStaff] {
        let data = t.ok(who, AGREEMENT_EDGES, json!({"id": t.agreement})).await;
        let a = &data["agreement"];
        assert_eq!(
            ids_at(&a["projects"]["nodes"], "/id"),
            vec![t.project.clone()],
            "{who:?}"
        );
        assert_eq!(
            ids_at(&a["needs"]["nodes"], "/id"),
            vec![t.need_public.clone()],
            "{who:?}"
        );
        let u_party = a["parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["organization"]["id"] == t.w.org_u.as_str())
            .unwrap();
        assert_eq!(u_party["responsiblePeople"][0]["id"], t.user_u.as_str());
        assert!(u_party["confirmedBy"].is_null());
        assert!(data.to_string().contains(AU_AGREEMENT));
    }
    // B reaches none of it by id …
    t.refused_like_missing(
        Who::B,
        AGREEMENT_EDGES,
        json!({"id": t.agreement}),
        json!({"id": missing("Agreement")}),
        "NOT_FOUND",
    )
    .await;
    // … nor through A's public need, which B reads: its agreement is null.
    let data = t
        .ok(Who::B, NEED_AGREEMENT, json!({"id": t.need_public}))
        .await;
    assert_eq!(data["need"]["id"], t.need_public.as_str());
    assert!(data["need"]["agreement"].is_null(), "{data}");
    let data = t
        .ok(Who::Anon, NEED_AGREEMENT, json!({"id": t.need_public}))
        .await;
    assert!(data["need"]["agreement"].is_null(), "{data}");
    let data = t
        .ok(Who::U, NEED_AGREEMENT, json!({"id": t.need_public}))
        .await;
    assert_eq!(data["need"]["agreement"]["id"], t.agreement.as_str());
    // Project.agreement: the parties see it, B not even the project.
    let data = t
        .ok(Who::UStaff, PROJECT_AGREEMENT, json!({"id": t.project}))
        .await;
    assert_eq!(data["project"]["agreement"]["id"], t.agreement.as_str());
    t.refused(
        Who::B,
        PROJECT_AGREEMENT,
        json!({"id": t.project}),
        "NOT_FOUND",
    )
    .await;
    // B's own project filed under nothing.
    let data = t
        .ok(Who::B, PROJECT_AGREEMENT, json!({"id": t.b_project}))
        .await;
    assert!(data["project"]["agreement"].is_null());
});

const ACTIVITY_EDGES: &str = "query($id: ID!) { activity(id: $id) { id title
  hostOrganization { id } organizations { id } createdBy { id displayName }
  agreement { id title }
  participants { id name hours organization { id } talent { id name bio } } } }";

const AGREEMENT_ACTIVITIES: &str = "query($id: ID!) { agreement(id: $id) { id
  activities(first: 50) { totalCount nodes { id title participants { name } } } } }";

e2e!(edges_of_activities, |app| async move {
    let t = Tenants::build(&app).await;

    // Those who see the A–U activity follow its edges: the agreement, its
    // participants (U's talent among them); who recorded it, for those who
    // may change it.
    for who in [Who::A, Who::U, Who::UStaff, Who::UCoord, Who::ASup] {
        let data = t.ok(who, ACTIVITY_EDGES, json!({"id": t.activity})).await;
        let a = &data["activity"];
        assert_eq!(a["agreement"]["id"], t.agreement.as_str(), "{who:?}");
        assert_eq!(
            a["participants"][0]["talent"]["id"],
            t.talent_u.as_str(),
            "{who:?}"
        );
        assert_eq!(a["participants"][1]["hours"], 120);
        assert_eq!(a["createdBy"].is_null(), who == Who::ASup, "{who:?}");
    }
    let data = t
        .ok(Who::A, ACTIVITY_EDGES, json!({"id": t.activity}))
        .await;
    assert_eq!(data["activity"]["createdBy"]["id"], t.user_a.as_str());
    // B reaches none of it by id, nor through the agreement.
    t.refused_like_missing(
        Who::B,
        ACTIVITY_EDGES,
        json!({"id": t.activity}),
        json!({"id": missing("Activity")}),
        "NOT_FOUND",
    )
    .await;
    t.refused_like_missing(
        Who::B,
        AGREEMENT_ACTIVITIES,
        json!({"id": t.agreement}),
        json!({"id": missing("Agreement")}),
        "NOT_FOUND",
    )
    .await;
    // Agreement.activities: the parties and those in scope.
    for who in [Who::A, Who::U, Who::UCoord, Who::ASup] {
        let data = t
            .ok(who, AGREEMENT_ACTIVITIES, json!({"id": t.agreement}))
            .await;
        assert_eq!(
            ids_at(&data["agreement"]["activities"]["nodes"], "/id"),
            vec![t.activity.clone()],
            "{who:?}"
        );
    }
    // B's own activity: no agreement, B's own participant.
    let data = t
        .ok(Who::B, ACTIVITY_EDGES, json!({"id": t.b_activity}))
        .await;
    assert!(data["activity"]["agreement"].is_null());
    assert!(data.to_string().contains(B_ACTIVITY));
    assert!(data["activity"]["participants"][0]["talent"].is_null());
});
