//! Disclosures of A's CONFIDENTIAL need to university U: the teaser is all
//! U sees until a member of U accepts the non-disclosure agreement; A's
//! side alone writes the teaser, offers, revokes and reads the log; to B,
//! the supervisor and platform staff without a grant a disclosure does not
//! exist. A's confidential text never reaches U before acceptance, nor
//! anyone else at any time.

use serde_json::{Value, json};

use crate::world::{A_CONF, Tenants, Who, assert_no_leak, missing};

const TEASER_TITLE: &str = "高速轴承故障诊断合作 Bearing diagnosis";

const SET_TEASER: &str = "mutation($input: SetNeedTeaserInput!) {
  setNeedTeaser(input: $input) { need { id } teaser { title } } }";

const OFFER: &str = "mutation($input: OfferDisclosureInput!) {
  offerDisclosure(input: $input) { disclosure { id status } } }";

const ACCEPT: &str = "mutation($input: AcceptDisclosureInput!) {
  acceptDisclosure(input: $input) { disclosure { id status } } }";

const REVOKE: &str = "mutation($input: RevokeDisclosureInput!) {
  revokeDisclosure(input: $input) { disclosure { id status } } }";

const NODE: &str = "query($id: ID!) { node(id: $id) { id ... on Disclosure {
  status organization { id } offeredBy { id } acceptedBy { id } revokedBy { id }
  teaser { title summary } need { id title description } } } }";

const RECEIVED: &str = "{ receivedDisclosures(first: 20) { totalCount edges { node { id
  teaser { title } need { title } } } } }";

const NEED: &str = "query($id: ID!) { need(id: $id) { id title teaser { title }
  disclosures { id status }
  disclosureLog(first: 20) { edges { node { action user { id } } } } } }";

const NDA: &str = "{ nonDisclosureAgreement { version } }";

fn the(data: &Value) -> &Value {
    &data["node"]
}

e2e!(
    disclosures_stay_with_the_need_s_side_and_the_receiver,
    |app| async move {
        let t = Tenants::build(&app).await;
        let nda = t.ok(Who::U, NDA, json!({})).await;
        let version = crate::common::text(&nda["nonDisclosureAgreement"]["version"]);
        let teaser = |need: &str| {
            json!({"input": {"needId": need, "title": TEASER_TITLE,
        "summary": "需要轴承振动信号分析 vibration analysis"}})
        };
        let offer =
            |need: &str, org: &str| json!({"input": {"needId": need, "organizationId": org}});
        let on = |id: &str| json!({"input": {"id": id}});
        let accept = |id: &str| json!({"input": {"id": id, "ndaVersion": version}});

        // Writing the teaser and offering: A's side only. B and U do not see
        // the need (NOT_FOUND as on a missing one), the supervisor writes
        // nothing, anonymous callers sign in first.
        for (query, vars, missing_vars) in [
            (SET_TEASER, teaser(&t.need_conf), teaser(&missing("Need"))),
            (
                OFFER,
                offer(&t.need_conf, &t.w.org_b),
                offer(&missing("Need"), &t.w.org_b),
            ),
        ] {
            for who in [Who::B, Who::U, Who::PCoord] {
                t.refused_like_missing(who, query, vars.clone(), missing_vars.clone(), "NOT_FOUND")
                    .await;
            }
            t.refused(Who::ASup, query, vars.clone(), "FORBIDDEN").await;
            t.refused(Who::Anon, query, vars, "UNAUTHENTICATED").await;
        }
        t.ok(Who::A, SET_TEASER, teaser(&t.need_conf)).await;
        let data = t.ok(Who::A, OFFER, offer(&t.need_conf, &t.w.org_u)).await;
        let id = crate::common::text(&data["offerDisclosure"]["disclosure"]["id"]);

        // The receiving side and A's side see the disclosure; U sees the
        // teaser, not the need, not who offered it.
        for who in [Who::A, Who::U, Who::UStaff, Who::UCoord, Who::Admin] {
            let data = t.ok(who, NODE, json!({"id": id})).await;
            assert_eq!(the(&data)["teaser"]["title"], TEASER_TITLE, "{who:?}");
            assert_eq!(the(&data)["organization"]["id"], t.w.org_u.as_str());
            let a_side = matches!(who, Who::A | Who::Admin);
            assert_eq!(the(&data)["need"].is_null(), !a_side, "{who:?}: {data}");
            assert_eq!(the(&data)["offeredBy"].is_null(), !a_side, "{who:?}");
            assert_no_leak(who, "an offered disclosure", &data.to_string());
        }
        let data = t.ok(Who::U, RECEIVED, json!({})).await;
        assert_eq!(data["receivedDisclosures"]["totalCount"], 1);
        assert_no_leak(Who::U, "received disclosures", &data.to_string());
        for who in [Who::A, Who::B, Who::ASup, Who::PCoord] {
            let data = t.ok(who, RECEIVED, json!({})).await;
            assert_eq!(data["receivedDisclosures"]["totalCount"], 0, "{who:?}");
        }
        for who in [Who::B, Who::ASup, Who::PCoord] {
            t.refused_like_missing(
                who,
                NODE,
                json!({"id": id}),
                json!({"id": missing("Disclosure")}),
                "NOT_FOUND",
            )
            .await;
        }
        t.refused(Who::Anon, NODE, json!({"id": id}), "UNAUTHENTICATED")
            .await;
        t.refused(Who::Anon, NDA, json!({}), "UNAUTHENTICATED")
            .await;
        t.refused(Who::Anon, RECEIVED, json!({}), "UNAUTHENTICATED")
            .await;

        // Accepting: the receiving organisation's managers only; revoking:
        // A's side only.
        for who in [Who::B, Who::PCoord] {
            t.refused_like_missing(
                who,
                ACCEPT,
                accept(&id),
                accept(&missing("Disclosure")),
                "NOT_FOUND",
            )
            .await;
            t.refused_like_missing(
                who,
                REVOKE,
                on(&id),
                on(&missing("Disclosure")),
                "NOT_FOUND",
            )
            .await;
        }
        t.refused(Who::A, ACCEPT, accept(&id), "FORBIDDEN").await;
        t.refused(Who::Admin, ACCEPT, accept(&id), "FORBIDDEN")
            .await;
        t.refused(Who::U, REVOKE, on(&id), "FORBIDDEN").await;
        t.refused(Who::Anon, ACCEPT, accept(&id), "UNAUTHENTICATED")
            .await;
        t.refused(Who::Anon, REVOKE, on(&id), "UNAUTHENTICATED")
            .await;
        let data = t.ok(Who::U, ACCEPT, accept(&id)).await;
        assert_eq!(data["acceptDisclosure"]["disclosure"]["status"], "ACCEPTED");

        // Accepted: U reads the need — not its disclosures nor their log —
        // and nobody else gains anything.
        // (Through the harness without its leak check: U now reads A's
        // confidential text, by design.)
        let body = t.app.gql(t.token(Who::U), NODE, json!({"id": id})).await;
        assert!(body.get("errors").is_none(), "{body}");
        let data = &body["data"];
        assert!(crate::common::text(&the(data)["need"]["title"]).contains(A_CONF));
        assert!(the(data)["acceptedBy"]["id"].is_string());
        assert!(the(data)["offeredBy"].is_null());
        let body = t
            .app
            .gql(t.token(Who::U), NEED, json!({"id": t.need_conf}))
            .await;
        assert_eq!(body["data"]["need"]["id"], t.need_conf.as_str());
        assert_eq!(body["data"]["need"]["teaser"]["title"], TEASER_TITLE);
        let denied: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["path"][1].as_str().unwrap())
            .collect();
        assert_eq!(denied, ["disclosures", "disclosureLog"], "{body}");
        for who in [Who::B, Who::ASup, Who::PCoord] {
            let body = t.gql(who, NEED, json!({"id": t.need_conf})).await;
            assert_eq!(
                crate::common::error_code(&body).as_deref(),
                Some("NOT_FOUND")
            );
            assert_no_leak(who, "a disclosed need", &body.to_string());
        }
        let data = t.ok(Who::A, NEED, json!({"id": t.need_conf})).await;
        assert_eq!(data["need"]["disclosures"][0]["status"], "ACCEPTED");
        let actions: Vec<&str> = data["need"]["disclosureLog"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["action"].as_str().unwrap())
            .collect();
        assert_eq!(&actions[..2], ["OFFERED", "ACCEPTED"]);
        assert!(actions[2..].iter().all(|a| *a == "READ") && actions.len() >= 4);

        // Revoked by A: U is back to the teaser.
        t.ok(Who::A, REVOKE, on(&id)).await;
        let data = t.ok(Who::U, NODE, json!({"id": id})).await;
        assert!(the(&data)["need"].is_null());
        assert!(the(&data)["revokedBy"].is_null());
        assert_no_leak(Who::U, "a revoked disclosure", &data.to_string());
        t.refused(Who::U, NEED, json!({"id": t.need_conf}), "NOT_FOUND")
            .await;
    }
);

const BLIND: &str = "query($id: ID!) { node(id: $id) { id ... on Match { sealed score
  teaser { title summary } need { id title description } thread { id } } } }";

const MATCHING_NEEDS: &str = "query($id: ID!) { capability(id: $id) { matchingNeeds(first: 50) {
  edges { node { matchId sealed teaser { title } need { id title } } } } } }";

e2e!(
    a_blind_match_shows_the_teaser_to_the_capability_side_alone,
    |app| async move {
        let t = Tenants::build(&app).await;
        t.ok(
            Who::A,
            SET_TEASER,
            json!({"input": {"needId": t.need_conf, "title": TEASER_TITLE,
                "summary": "需要轴承振动信号分析 vibration analysis"}}),
        )
        .await;
        // U's side sees the match of A's confidential need with its
        // capability blind: the teaser and the score (the leak check of
        // `t.ok` keeps A's text out of every answer).
        for who in [Who::U, Who::UStaff, Who::UCoord] {
            let data = t.ok(who, BLIND, json!({"id": t.match_accepted})).await;
            let node = &data["node"];
            assert_eq!(node["sealed"], true, "{who:?}: {data}");
            assert_eq!(node["need"], Value::Null, "{who:?}");
            assert_eq!(node["thread"], Value::Null, "{who:?}");
            assert_eq!(node["teaser"]["title"], TEASER_TITLE, "{who:?}");
            let data = t
                .ok(who, MATCHING_NEEDS, json!({"id": t.cap_published}))
                .await;
            let listed = data["capability"]["matchingNeeds"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["node"]["matchId"] == t.match_accepted.as_str())
                .unwrap_or_else(|| panic!("{who:?}: {data}"));
            assert_eq!(listed["node"]["sealed"], true);
            assert_eq!(listed["node"]["teaser"]["title"], TEASER_TITLE);
        }
        // A's side reads it in full, with the same teaser.
        let data = t.ok(Who::A, BLIND, json!({"id": t.match_accepted})).await;
        assert_eq!(data["node"]["sealed"], false);
        assert!(data["node"]["need"]["title"].is_string());
        assert_eq!(data["node"]["teaser"]["title"], TEASER_TITLE);
        // Everyone else: the match, and so its teaser, does not exist.
        for who in [Who::B, Who::PCoord] {
            t.refused_like_missing(
                who,
                BLIND,
                json!({"id": t.match_accepted}),
                json!({"id": crate::world::match_id(&missing("Need"), &t.cap_published)}),
                "NOT_FOUND",
            )
            .await;
            let body = t
                .gql(who, MATCHING_NEEDS, json!({"id": t.cap_published}))
                .await;
            assert!(!body.to_string().contains(TEASER_TITLE), "{who:?}: {body}");
        }
        let body = t
            .gql(Who::Anon, BLIND, json!({"id": t.match_accepted}))
            .await;
        assert!(!body.to_string().contains(TEASER_TITLE), "{body}");
    }
);
