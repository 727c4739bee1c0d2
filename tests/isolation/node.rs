//! `node(id:)` with the id of every kind of object, as every tenant.

use serde_json::json;

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
  ... on Organization { name } } }";

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
    // The pair of A's public need: the need is public, its decisions are not.
    let data = t.ok(Who::A, NODE, node(&t.match_public)).await;
    assert_eq!(data["node"]["status"], "SHORTLISTED");
    for who in [Who::B, Who::U] {
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

    // Objects read only through their parent are refused for everybody,
    // owner included, exactly as an id that names nothing.
    for (id, kind) in [
        (&t.milestone, "Milestone"),
        (&t.item_blocked, "ChecklistItem"),
        (&t.event, "ProjectEvent"),
        (&t.booking_approved, "Booking"),
        (&t.instrument, "Instrument"),
    ] {
        for who in [Who::A, Who::B, Who::U, Who::Anon] {
            t.refused_like_missing(who, NODE, node(id), node(&missing(kind)), "BAD_USER_INPUT")
                .await;
        }
    }
});
