//! Docking: a match is its two sides' — the need's organisation and the
//! capability's — and nobody else's; the capability's side never sees a
//! match of a need hidden from it (A's confidential need); interests are
//! seen by the need's side and the side that expressed them, and reviewed
//! by the need's side only; `matchUpdated` carries them to those sides
//! alone.

use std::time::Duration;

use serde_json::{Value, json};

use crate::world::{Tenants, Who, missing};
use crate::ws::Ws;

/// What U writes to A: never seen by B or the other outsiders.
const U_MESSAGE: &str = "U-INTEREST-7f3 我们课题组愿意先做现场测试";

const EXPRESS: &str = "mutation($input: ExpressInterestInput!) { expressInterest(input: $input) {
  interest { id message status need { id } capability { id } talent { id } createdBy { id }
    match { id status capabilitySide { decision decidedBy { id } } } } } }";

const INTEREST_NODE: &str = "query($id: ID!) { node(id: $id) { id ... on Interest {
  message status need { id } capability { id } talent { id } match { id } createdBy { id } reviewedBy { id } } } }";

const INTERESTS: &str = "query($id: ID!) { need(id: $id) { interests(first: 20) {
  totalCount nodes { id message capability { id } talent { id } createdBy { id } match { id } } } } }";

const MATCH_SIDES: &str = "query($id: ID!) { node(id: $id) { id ... on Match { status viewerSide
  needSide { decision decidedBy { id } } capabilitySide { decision decidedBy { id } } } } }";

const REVIEW: &str =
    "mutation($id: ID!) { acceptInterest(input: {id: $id}) { interest { id status } } }";

const DECLINE: &str = "mutation($id: ID!) { declineInterest(input: {id: $id, reason: OTHER}) {
  interest { id status } } }";

const UPDATED: &str = "subscription($needId: ID!) { matchUpdated(needId: $needId) {
  match { id status need { id title } capability { id title } }
  interest { id message need { id title } } } }";

fn encode(kind: &str, id: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

fn express(need: &str, target: (&str, &str)) -> Value {
    json!({"input": {"needId": need, target.0: target.1, "message": U_MESSAGE}})
}

e2e!(docking_stays_with_its_two_sides, |app| async move {
    let t = Tenants::build(&app).await;
    let outsiders = [Who::B, Who::ASup, Who::PCoord];

    // Interest in A's confidential need: nobody outside A learns it exists.
    for who in [Who::U, Who::B] {
        t.refused_like_missing(
            who,
            EXPRESS,
            express(&t.need_conf, ("capabilityId", &t.cap_published)),
            express(&missing("Need"), ("capabilityId", &t.cap_published)),
            "NOT_FOUND",
        )
        .await;
    }
    // Only U's side speaks for U's capability and talent.
    for target in [
        ("capabilityId", t.cap_published.as_str()),
        ("talentId", t.talent_u.as_str()),
    ] {
        t.refused(
            Who::B,
            EXPRESS,
            express(&t.need_public, target),
            "FORBIDDEN",
        )
        .await;
    }
    t.refused(
        Who::Anon,
        EXPRESS,
        express(&t.need_public, ("capabilityId", &t.cap_published)),
        "UNAUTHENTICATED",
    )
    .await;

    // U's interest in A's public need, for its capability and its talent.
    let data = t
        .ok(
            Who::U,
            EXPRESS,
            express(&t.need_public, ("capabilityId", &t.cap_published)),
        )
        .await;
    let cap_interest = crate::common::text(&data["expressInterest"]["interest"]["id"]);
    assert_eq!(
        data["expressInterest"]["interest"]["match"]["id"],
        t.match_public.as_str()
    );
    let data = t
        .ok(
            Who::U,
            EXPRESS,
            express(&t.need_public, ("talentId", &t.talent_u)),
        )
        .await;
    let talent_interest = crate::common::text(&data["expressInterest"]["interest"]["id"]);

    // Each interest by id: the need's side and U's side; others as if it
    // did not exist.
    let missing_interest = json!({"id": encode("Interest", 999_999)});
    for id in [&cap_interest, &talent_interest] {
        for who in [Who::A, Who::U, Who::Admin] {
            let data = t.ok(who, INTEREST_NODE, json!({"id": id})).await;
            assert_eq!(data["node"]["message"], U_MESSAGE, "{who:?}");
        }
        for who in outsiders {
            t.refused_like_missing(
                who,
                INTEREST_NODE,
                json!({"id": id}),
                missing_interest.clone(),
                "NOT_FOUND",
            )
            .await;
        }
        t.refused(
            Who::Anon,
            INTEREST_NODE,
            json!({"id": id}),
            "UNAUTHENTICATED",
        )
        .await;
    }
    // The need's list of interests: its side only.
    let data = t.ok(Who::A, INTERESTS, json!({"id": t.need_public})).await;
    assert_eq!(data["need"]["interests"]["totalCount"], 2, "{data}");
    for who in [Who::U, Who::B, Who::PCoord] {
        let body = t
            .refused(who, INTERESTS, json!({"id": t.need_public}), "FORBIDDEN")
            .await;
        assert!(!body.to_string().contains(U_MESSAGE), "{who:?}: {body}");
    }
    for who in [Who::U, Who::B] {
        t.refused_like_missing(
            who,
            INTERESTS,
            json!({"id": t.need_conf}),
            json!({"id": missing("Need")}),
            "NOT_FOUND",
        )
        .await;
    }

    // Who decided: each side sees its own deciders, not the other's.
    let data = t
        .ok(Who::U, MATCH_SIDES, json!({"id": t.match_public}))
        .await;
    assert_eq!(data["node"]["viewerSide"], "CAPABILITY");
    assert_eq!(
        data["node"]["capabilitySide"]["decidedBy"]["id"],
        t.user_u.as_str()
    );
    let data = t
        .ok(Who::A, MATCH_SIDES, json!({"id": t.match_public}))
        .await;
    assert_eq!(data["node"]["capabilitySide"]["decision"], "ACCEPTED");
    assert!(
        data["node"]["capabilitySide"]["decidedBy"].is_null(),
        "{data}"
    );
    for who in outsiders {
        t.refused(who, MATCH_SIDES, json!({"id": t.match_public}), "NOT_FOUND")
            .await;
    }

    // Reviews: the need's side only; others as if it did not exist, U's
    // side refused.
    for query in [REVIEW, DECLINE] {
        // A supervisor changes nothing (refused before any lookup).
        t.refused(
            Who::ASup,
            query,
            json!({"id": talent_interest}),
            "FORBIDDEN",
        )
        .await;
        for who in [Who::B, Who::PCoord] {
            t.refused_like_missing(
                who,
                query,
                json!({"id": talent_interest}),
                missing_interest.clone(),
                "NOT_FOUND",
            )
            .await;
        }
        t.refused(Who::U, query, json!({"id": talent_interest}), "FORBIDDEN")
            .await;
        t.refused(
            Who::Anon,
            query,
            json!({"id": talent_interest}),
            "UNAUTHENTICATED",
        )
        .await;
    }
    let data = t.ok(Who::A, REVIEW, json!({"id": talent_interest})).await;
    assert_eq!(data["acceptInterest"]["interest"]["status"], "ACCEPTED");
    let data = t.ok(Who::A, DECLINE, json!({"id": cap_interest})).await;
    assert_eq!(data["declineInterest"]["interest"]["status"], "DECLINED");

    // A's confidential need's matches stay hidden from U's side, decided
    // or not, in its list too.
    for m in [&t.match_accepted, &t.match_declined] {
        t.refused(Who::U, MATCH_SIDES, json!({"id": m}), "NOT_FOUND")
            .await;
    }
    let data = t
        .ok(
            Who::U,
            "query($id: ID!) { capability(id: $id) { matchingNeeds(first: 100) { nodes { matchId need { id } } } } }",
            json!({"id": t.cap_published}),
        )
        .await;
    let listed = data.to_string();
    assert!(!listed.contains(&t.need_conf), "{listed}");
    assert!(
        !data["capability"]["matchingNeeds"]["nodes"]
            .as_array()
            .unwrap()
            .is_empty(),
        "the capability's other needs are listed: {listed}"
    );
});

/// Everything heard within `quiet` of the last message.
async fn drain(ws: &mut Ws, quiet: Duration) -> Vec<Value> {
    let mut heard = Vec::new();
    while let Some(msg) = ws.next(quiet).await {
        heard.push(msg);
    }
    heard
}

e2e!(match_updated_reaches_the_two_sides_only, |app| async move {
    let t = Tenants::build(&app).await;
    // A confidential need is followed by A's side alone.
    for who in [Who::U, Who::B] {
        let mut ws = Ws::connect(&t, who).await;
        ws.subscribe("conf", UPDATED, json!({"needId": t.need_conf}))
            .await;
        let hidden = ws.refusal("conf").await;
        ws.subscribe("none", UPDATED, json!({"needId": missing("Need")}))
            .await;
        let absent = ws.refusal("none").await;
        assert_eq!(hidden.0.as_deref(), Some("NOT_FOUND"), "{who:?}");
        assert_eq!(hidden, absent, "{who:?}");
    }
    let mut anonymous = Ws::connect(&t, Who::Anon).await;
    anonymous
        .subscribe("x", UPDATED, json!({"needId": t.need_public}))
        .await;
    assert_eq!(
        anonymous.refusal("x").await.0.as_deref(),
        Some("UNAUTHENTICATED")
    );

    // The public need: everyone who sees it may follow it, and hears what
    // they may see.
    let mut a = Ws::connect(&t, Who::A).await;
    let mut a_conf = Ws::connect(&t, Who::A).await;
    let mut u = Ws::connect(&t, Who::U).await;
    let mut b = Ws::connect(&t, Who::B).await;
    a.subscribe("a", UPDATED, json!({"needId": t.need_public}))
        .await;
    a_conf
        .subscribe("c", UPDATED, json!({"needId": t.need_conf}))
        .await;
    u.subscribe("u", UPDATED, json!({"needId": t.need_public}))
        .await;
    b.subscribe("b", UPDATED, json!({"needId": t.need_public}))
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    t.ok(
        Who::U,
        EXPRESS,
        express(&t.need_public, ("capabilityId", &t.cap_published)),
    )
    .await;
    // A's side decides on a pair of its confidential need with a capability
    // U publishes now: heard by A's confidential subscription only.
    let data = t
        .ok(
            Who::U,
            "mutation($input: CreateCapabilityInput!) { createCapability(input: $input) { capability { id } } }",
            json!({"input": {"organizationId": t.w.org_u, "title": "Bearing vibration analytics 轴承振动分析",
                "summary": "振动信号 轴承 故障诊断", "keywords": ["轴承", "故障诊断"], "disciplineCodes": ["460"], "trl": 5}}),
        )
        .await;
    let fresh = crate::common::text(&data["createCapability"]["capability"]["id"]);
    t.ok(
        Who::U,
        "mutation($id: ID!) { publishCapability(input: {id: $id}) { capability { id } } }",
        json!({"id": fresh}),
    )
    .await;
    t.ok(
        Who::A,
        "mutation($id: ID!) { shortlistMatch(input: {id: $id}) { match { status } } }",
        json!({"id": crate::world::match_id(&t.need_conf, &fresh)}),
    )
    .await;

    let heard_a = drain(&mut a, Duration::from_secs(3)).await;
    assert!(
        heard_a
            .iter()
            .any(|m| m["payload"]["data"]["matchUpdated"]["interest"]["message"] == U_MESSAGE),
        "{heard_a:?}"
    );
    let heard_u = drain(&mut u, Duration::from_secs(1)).await;
    assert!(
        heard_u
            .iter()
            .any(|m| m["payload"]["data"]["matchUpdated"]["match"]["id"] == t.match_public.as_str()),
        "{heard_u:?}"
    );
    let heard_conf = drain(&mut a_conf, Duration::from_secs(1)).await;
    assert_eq!(heard_conf.len(), 1, "{heard_conf:?}");
    assert!(
        heard_u
            .iter()
            .chain(heard_a.iter())
            .all(
                |m| m["payload"]["data"]["matchUpdated"]["match"]["need"]["id"]
                    != t.need_conf.as_str()
            ),
        "the confidential pair reached the public need's subscribers"
    );
    let heard_b = drain(&mut b, Duration::from_secs(1)).await;
    assert!(heard_b.is_empty(), "a stranger heard: {heard_b:?}");
});
