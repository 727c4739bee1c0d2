//! `node(id:)` with the id of every kind of object, as every tenant.

use serde_json::{Value, json};

use crate::world::*;

/// Every text field of every Node type, so that a leak through any of them
/// shows in the raw body.
const NODE: &str = "query($id: ID!) { node(id: $id) { id __typename
  ... on Need { title description keywords visibility status }
  ... on Capability { title summary keywords status }
  ... on Talent { name bio }
  ... on Project { title status milestones { title } checklist { title note } }
  ... on Match { status declineReason declineComment need { title description } capability { title summary } }
  ... on Membership { role organization { id } user { id } }
  ... on User { displayName email memberships { id } }
  ... on Organization { name }
  ... on Milestone { title project { id title } items { title note } }
  ... on ChecklistItem { title note milestone { title } project { id title } }
  ... on ProjectEvent { kind changes { field from to } project { title } }
  ... on ProjectCreatedEvent { title parties { id } match { id } }
  ... on ProjectUpdatedEvent { subjectId }
  ... on ProjectStatusChangedEvent { from to reason }
  ... on MilestoneAddedEvent { milestone { title } }
  ... on MilestoneUpdatedEvent { milestone { title } }
  ... on MilestoneDeletedEvent { title }
  ... on ChecklistItemAddedEvent { item { title note } owner { id } }
  ... on ChecklistItemUpdatedEvent { item { title note } }
  ... on ChecklistItemStatusChangedEvent { item { title note } note }
  ... on ChecklistItemDeletedEvent { title }
  ... on ChecklistReorderedEvent { items { title } }
  ... on Instrument { name description }
  ... on Booking { purpose status }
  ... on MaintenanceWindow { reason start instrument { id name } }
  ... on CalendarFeed { kind createdAt instrument { id } }
  ... on Agreement { title status parties { organization { id } responsiblePeople { id } } }
  ... on Activity { title description participants { name hours } }
  ... on ActivityParticipant { name hours talent { id } } } }";

e2e!(node_hides_every_kind_of_object, |app| async move {
    let t = Tenants::build(&app).await;
    let node = |id: &str| json!({"id": id});

    // Need, Capability, Project: what is hidden is NOT_FOUND for the
    // others, worded exactly like an id that names nothing, while the
    // owners read it (the leak check sees the marker is absent elsewhere).
    let hidden = [
        (
            &t.need_conf,
            "Need",
            Who::A,
            A_CONF,
            vec![Who::B, Who::U, Who::Anon],
        ),
        (
            &t.need_draft,
            "Need",
            Who::A,
            A_DRAFT,
            vec![Who::B, Who::U, Who::Anon],
        ),
        (
            &t.need_withdrawn,
            "Need",
            Who::A,
            A_WITHDRAWN,
            vec![Who::B, Who::U, Who::Anon],
        ),
        (
            &t.need_platform,
            "Need",
            Who::B,
            A_PLATFORM,
            vec![Who::Anon],
        ),
        (
            &t.b_need_conf,
            "Need",
            Who::B,
            B_CONF,
            vec![Who::A, Who::U, Who::Anon],
        ),
        (
            &t.cap_draft,
            "Capability",
            Who::U,
            U_DRAFT,
            vec![Who::A, Who::B, Who::Anon],
        ),
        (
            &t.cap_archived,
            "Capability",
            Who::U,
            U_ARCHIVED,
            vec![Who::A, Who::B, Who::Anon],
        ),
        (
            &t.project,
            "Project",
            Who::U,
            AU_PROJECT,
            vec![Who::B, Who::Anon],
        ),
        (
            &t.b_project,
            "Project",
            Who::B,
            B_PROJECT,
            vec![Who::A, Who::U, Who::Anon],
        ),
        (
            &t.agreement,
            "Agreement",
            Who::U,
            AU_AGREEMENT,
            vec![Who::B, Who::Anon],
        ),
        (
            &t.activity,
            "Activity",
            Who::U,
            AU_ACTIVITY,
            vec![Who::B, Who::PCoord, Who::Anon],
        ),
        (
            &t.activity_participant,
            "ActivityParticipant",
            Who::ASup,
            AU_ACTIVITY,
            vec![Who::B, Who::PCoord, Who::Anon],
        ),
        (
            &t.b_activity,
            "Activity",
            Who::B,
            B_ACTIVITY,
            vec![Who::A, Who::U, Who::Anon],
        ),
    ];
    for (id, kind, owner, marker, others) in hidden {
        let data = t.ok(owner, NODE, node(id)).await;
        assert_eq!(data["node"]["__typename"], kind);
        assert!(data.to_string().contains(marker), "{owner:?}: {data}");
        for who in others {
            t.refused_like_missing(who, NODE, node(id), node(&missing(kind)), "NOT_FOUND")
                .await;
        }
    }

    // Match: the pair of A's confidential need is A's alone, with its
    // decision and A's comment; nobody else learns the need exists.
    let data = t.ok(Who::A, NODE, node(&t.match_declined)).await;
    assert_eq!(data["node"]["status"], "DECLINED");
    assert!(data.to_string().contains(A_DECLINE));
    let missing_match = match_id(&missing("Need"), &missing("Capability"));
    for id in [&t.match_accepted, &t.match_declined] {
        for who in [Who::B, Who::U] {
            t.refused_like_missing(who, NODE, node(id), node(&missing_match), "NOT_FOUND")
                .await;
        }
        t.refused(Who::Anon, NODE, node(id), "UNAUTHENTICATED")
            .await;
    }
    // The pair of A's public need: its two sides see it (A, and U whose
    // capability it is), nobody else.
    for who in [Who::A, Who::U] {
        let data = t.ok(who, NODE, node(&t.match_public)).await;
        assert_eq!(data["node"]["status"], "SHORTLISTED", "{who:?}");
    }
    for who in [Who::B, Who::ASup, Who::PCoord] {
        t.refused(who, NODE, node(&t.match_public), "NOT_FOUND")
            .await;
    }
    // A pair id is made of two ids anyone can write: A pairing its need
    // with U's draft or archived capability learns nothing about them.
    for capability in [&t.cap_draft, &t.cap_archived] {
        t.refused_like_missing(
            Who::A,
            NODE,
            node(&match_id(&t.need_conf, capability)),
            node(&match_id(&t.need_conf, &missing("Capability"))),
            "NOT_FOUND",
        )
        .await;
    }

    // Membership: the member, the organisation's admins, platform staff.
    let data = t.ok(Who::A, NODE, node(&t.membership_a)).await;
    assert_eq!(data["node"]["organization"]["id"], t.w.org_a.as_str());
    for who in [Who::B, Who::U] {
        t.refused_like_missing(
            who,
            NODE,
            node(&t.membership_a),
            node(&missing("Membership")),
            "NOT_FOUND",
        )
        .await;
    }
    t.refused(Who::Anon, NODE, node(&t.membership_a), "UNAUTHENTICATED")
        .await;

    // User: any signed-in user may name a person, but not read their
    // e-mail address or organisations.
    let data = t.ok(Who::A, NODE, node(&t.user_a)).await;
    assert_eq!(data["node"]["email"], "a@enterprise-a.test");
    assert_eq!(data["node"]["memberships"].as_array().unwrap().len(), 1);
    for who in [Who::B, Who::U] {
        let data = t.ok(who, NODE, node(&t.user_a)).await;
        assert!(data["node"]["email"].is_null(), "{who:?}: {data}");
        assert_eq!(data["node"]["memberships"], json!([]), "{who:?}");
    }
    t.refused(Who::Anon, NODE, node(&t.user_a), "UNAUTHENTICATED")
        .await;

    // Talent: signed-in users; Organization: everybody.
    let data = t.ok(Who::B, NODE, node(&t.talent_u)).await;
    assert!(data.to_string().contains(U_TALENT));
    t.refused(Who::Anon, NODE, node(&t.talent_u), "UNAUTHENTICATED")
        .await;
    let data = t.ok(Who::Anon, NODE, node(&t.w.org_a)).await;
    assert_eq!(data["node"]["__typename"], "Organization");

    // Milestones, checklist items and events: those who see the project
    // (its parties), as through `project(id:)`; to B they do not exist.
    for (id, kind, typename) in [
        (&t.milestone, "Milestone", "Milestone"),
        (&t.item_blocked, "ChecklistItem", "ChecklistItem"),
        (&t.event, "ProjectEvent", "ProjectCreatedEvent"),
    ] {
        for who in [Who::A, Who::U] {
            let data = t.ok(who, NODE, node(id)).await;
            assert_eq!(data["node"]["__typename"], typename, "{who:?}: {data}");
            assert_eq!(data["node"]["id"], id.as_str());
        }
        t.refused_like_missing(Who::B, NODE, node(id), node(&missing(kind)), "NOT_FOUND")
            .await;
        t.refused(Who::Anon, NODE, node(id), "UNAUTHENTICATED")
            .await;
    }
    // The project's creation names its parties and its match, the latter
    // only for those who decide on the need's matches.
    let data = t.ok(Who::A, NODE, node(&t.event)).await;
    assert_eq!(data["node"]["match"]["id"], t.match_accepted.as_str());
    assert_eq!(data["node"]["parties"].as_array().unwrap().len(), 2);
    let data = t.ok(Who::U, NODE, node(&t.event)).await;
    assert!(data["node"]["match"].is_null(), "{data}");

    // Instruments: signed-in users; bookings: as `booking(id:)`.
    for who in [Who::A, Who::B, Who::U] {
        let data = t.ok(who, NODE, node(&t.instrument)).await;
        assert_eq!(data["node"]["__typename"], "Instrument");
    }
    t.refused(Who::Anon, NODE, node(&t.instrument), "UNAUTHENTICATED")
        .await;
    for who in [Who::A, Who::UStaff] {
        let data = t.ok(who, NODE, node(&t.booking_approved)).await;
        assert_eq!(data["node"]["__typename"], "Booking");
    }
    for who in [Who::B, Who::U] {
        t.refused_like_missing(
            who,
            NODE,
            node(&t.booking_approved),
            node(&missing("Booking")),
            "NOT_FOUND",
        )
        .await;
    }
    t.refused(
        Who::Anon,
        NODE,
        node(&t.booking_approved),
        "UNAUTHENTICATED",
    )
    .await;

    // Maintenance windows: every signed-in user, as
    // `instrument.maintenance` shows them.
    for who in [Who::A, Who::B, Who::U] {
        let data = t.ok(who, NODE, node(&t.maintenance)).await;
        assert_eq!(data["node"]["__typename"], "MaintenanceWindow");
        assert_eq!(data["node"]["instrument"]["id"], t.instrument.as_str());
    }
    t.refused(Who::Anon, NODE, node(&t.maintenance), "UNAUTHENTICATED")
        .await;
    // Calendar feeds: their owner only; to anyone else a feed is missing,
    // the instrument's staff and platform staff included.
    let data = t
        .ok(
            Who::A,
            "mutation($input: CreateCalendarFeedInput!) { createCalendarFeed(input: $input) { feed { id } } }",
            json!({"input": {"instrumentId": t.instrument}}),
        )
        .await;
    let feed = crate::common::text(&data["createCalendarFeed"]["feed"]["id"]);
    let data = t.ok(Who::A, NODE, node(&feed)).await;
    assert_eq!(data["node"]["__typename"], "CalendarFeed");
    assert_eq!(data["node"]["instrument"]["id"], t.instrument.as_str());
    for who in [Who::B, Who::U, Who::UStaff, Who::Admin] {
        t.refused_like_missing(
            who,
            NODE,
            node(&feed),
            node(&missing("CalendarFeed")),
            "NOT_FOUND",
        )
        .await;
    }
    t.refused(Who::Anon, NODE, node(&feed), "UNAUTHENTICATED")
        .await;
});

const NODES: &str = "query($ids: [ID!]!) { nodes(ids: $ids) { id __typename
  ... on Need { title description }
  ... on Project { title }
  ... on ChecklistItem { title note } } }";

e2e!(nodes_answers_each_id_on_its_own, |app| async move {
    let t = Tenants::build(&app).await;
    let ids = json!({"ids": [t.need_public, t.project, t.need_conf, missing("Need"), "not-an-id", t.item_blocked]});

    // A sees everything it may, in order.
    let body = t.gql(Who::A, NODES, ids.clone()).await;
    let nodes = body["data"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 6);
    assert_eq!(nodes[0]["id"], t.need_public.as_str());
    assert_eq!(nodes[1]["id"], t.project.as_str());
    assert_eq!(nodes[2]["id"], t.need_conf.as_str());
    assert!(nodes[3].is_null() && nodes[4].is_null());
    assert_eq!(nodes[5]["__typename"], "ChecklistItem");
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{body}");
    assert_eq!(errors[0]["path"], json!(["nodes", 3]));
    assert_eq!(errors[0]["extensions"]["code"], "NOT_FOUND");
    assert_eq!(errors[1]["path"], json!(["nodes", 4]));
    assert_eq!(errors[1]["extensions"]["code"], "BAD_USER_INPUT");

    // B: A's confidential need, the A–U project and its item are null
    // with NOT_FOUND, worded as the missing need; the public need stays.
    let body = t.gql(Who::B, NODES, ids.clone()).await;
    let nodes = body["data"]["nodes"].as_array().unwrap();
    assert_eq!(nodes[0]["id"], t.need_public.as_str());
    for hidden in [1, 2, 3, 5] {
        assert!(nodes[hidden].is_null(), "{hidden}: {body}");
    }
    let paths: Vec<&Value> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["path"])
        .collect();
    assert_eq!(
        paths,
        [
            &json!(["nodes", 1]),
            &json!(["nodes", 2]),
            &json!(["nodes", 3]),
            &json!(["nodes", 4]),
            &json!(["nodes", 5])
        ]
    );
    assert_eq!(
        body["errors"][1]["message"], body["errors"][2]["message"],
        "a hidden need is answered like a missing one"
    );

    // At most 100 ids.
    let many: Vec<String> = (0..101).map(|_| t.need_public.clone()).collect();
    t.refused(Who::A, NODES, json!({"ids": many}), "BAD_USER_INPUT")
        .await;
});
