//! Docking: both sides of a match see it and decide, the research side
//! expresses interest, conflicts of interest are kept out of the external
//! matches.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{TestApp, assert_code, error_code, text};
use crate::fixtures::{World, add_member, create_org, me};
use crate::matching::{UPSERT_TALENT, capability, need};
use crate::subscriptions::Ws;

const MATCH: &str = "query($id: ID!) { node(id: $id) { ... on Match { id status declineReason
  declinedBy waitingFor viewerSide viewerSides viewerCanShortlist viewerCanAccept viewerCanDecline viewerActions
  needSide { side decision decidedAt decidedBy { id } }
  capabilitySide { side decision decidedAt decidedBy { id } }
  need { id title } capability { id } } } }";

const MATCH_IDS: &str = "query($id: ID!, $own: Boolean!) { need(id: $id) {
  matches(first: 100, includeOwnOrganization: $own) { edges { node { id capability { id title } } } } } }";

const MATCHING_NEEDS: &str = "query($id: ID!) { capability(id: $id) { matchingNeeds(first: 100) {
  nodes { matchId status waitingFor viewerSide viewerCanAccept viewerActions need { id title }
    capabilitySide { decision } needSide { decision } } } } }";

const EXPRESS: &str = "mutation($input: ExpressInterestInput!) { expressInterest(input: $input) {
  interest { id message status viewerCanAccept createdBy { id } need { id }
    capability { id } talent { id } match { id status waitingFor capabilitySide { decision } } } } }";

const INTERESTS: &str = "query($id: ID!) { need(id: $id) { interests(first: 20) { totalCount
  nodes { id message status createdAt createdBy { id } capability { id } talent { id }
    viewerCanAccept viewerCanDecline match { id status } } } } }";

const ACCEPT_INTEREST: &str = "mutation($id: ID!) { acceptInterest(input: {id: $id}) {
  interest { id status reviewedBy { id } viewerCanAccept match { status } } } }";

const DECLINE_INTEREST: &str = "mutation($id: ID!, $reason: DeclineReason!) {
  declineInterest(input: {id: $id, reason: $reason}) { interest { id status declineReason } } }";

const UPDATED: &str = "subscription($needId: ID!) { matchUpdated(needId: $needId) {
  match { id status waitingFor capabilitySide { decision } }
  interest { id message status capability { id } talent { id } } } }";

/// A step on a match: `op` is the mutation, `extra` more input fields.
async fn step(app: &TestApp, token: &str, op: &str, id: &str, extra: Value) -> Value {
    let mut input = json!({"id": id});
    input
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().cloned().unwrap_or_default());
    let input_type = format!("{}{}Input", op[..1].to_uppercase(), &op[1..]);
    app.gql(
        Some(token),
        &format!(
            "mutation($input: {input_type}!) {{ {op}(input: $input) {{ match {{ id status declinedBy declineReason waitingFor }} }} }}"
        ),
        json!({"input": input}),
    )
    .await
}

async fn step_ok(app: &TestApp, token: &str, op: &str, id: &str, extra: Value) -> Value {
    let res = step(app, token, op, id, extra).await;
    assert!(res.get("errors").is_none(), "{op}: {res}");
    res["data"][op]["match"].clone()
}

/// The match id of `capability` among the need's matches (as A sees them).
async fn match_of(app: &TestApp, w: &World, need: &str, capability: &str, own: bool) -> String {
    let data = app
        .gql_ok(Some(&w.a), MATCH_IDS, json!({"id": need, "own": own}))
        .await;
    data["need"]["matches"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["capability"]["id"] == capability)
        .map(|e| text(&e["node"]["id"]))
        .unwrap_or_else(|| panic!("{capability} among the matches: {data}"))
}

async fn node(app: &TestApp, token: &str, id: &str) -> Value {
    app.gql(Some(token), MATCH, json!({"id": id})).await
}

async fn bearing_need(app: &TestApp, w: &World, title: &str, visibility: &str) -> String {
    need(
        app,
        w,
        title,
        "需要基于振动信号的电机轴承故障早期预警 bearing fault diagnosis from vibration signals",
        &["轴承", "故障诊断", "bearing", "fault diagnosis"],
        visibility,
    )
    .await
}

async fn bearing_capability(app: &TestApp, w: &World) -> String {
    capability(
        app,
        w,
        "Bearing fault diagnosis from vibration signals 轴承故障诊断",
        "振动信号 故障诊断 vibration signals detect early bearing faults",
        &["轴承", "故障诊断", "bearing", "fault diagnosis"],
        &["460"],
        6,
    )
    .await
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("a list: {v}"))
        .iter()
        .map(text)
        .collect()
}

e2e!(
    both_sides_see_the_match_and_it_is_accepted_only_when_both_accept,
    |app| async move {
        let w = World::new(&app).await;
        let cap = bearing_capability(&app, &w).await;
        let first =
            bearing_need(&app, &w, "电机轴承故障预警 bearing early warning", "PUBLIC").await;
        let m = match_of(&app, &w, &first, &cap, false).await;
        let u_id = me(&app, &w.u).await;
        let a_id = me(&app, &w.a).await;

        // The lab sees the match it was suggested for, and what it may do.
        let res = node(&app, &w.u, &m).await;
        let seen = &res["data"]["node"];
        assert_eq!(seen["id"], m.as_str(), "{res}");
        assert_eq!(seen["viewerSide"], "CAPABILITY");
        assert_eq!(strings(&seen["viewerSides"]), ["CAPABILITY"]);
        assert_eq!(strings(&seen["waitingFor"]), ["NEED", "CAPABILITY"]);
        assert_eq!(seen["viewerCanAccept"], true);
        assert_eq!(seen["viewerCanShortlist"], false);
        assert_eq!(strings(&seen["viewerActions"]), ["ACCEPT", "DECLINE"]);
        // A stranger does not learn it exists.
        let res = node(&app, &w.b, &m).await;
        assert_code(&res, "NOT_FOUND");
        let res = step(&app, &w.b, "acceptMatch", &m, json!({})).await;
        assert_code(&res, "NOT_FOUND");
        // The lab's side is not the need's: it neither shortlists nor speaks
        // for the need.
        let res = step(&app, &w.u, "shortlistMatch", &m, json!({})).await;
        assert_code(&res, "BAD_USER_INPUT");
        let res = step(&app, &w.u, "acceptMatch", &m, json!({"side": "NEED"})).await;
        assert_code(&res, "FORBIDDEN");

        // The lab accepts: the match waits for the need's side.
        let after = step_ok(&app, &w.u, "acceptMatch", &m, json!({})).await;
        assert_eq!(after["status"], "SUGGESTED");
        assert_eq!(strings(&after["waitingFor"]), ["NEED"]);
        let res = step(&app, &w.u, "acceptMatch", &m, json!({})).await;
        assert_code(&res, "BAD_USER_INPUT");
        let res = node(&app, &w.u, &m).await;
        let seen = &res["data"]["node"];
        assert_eq!(seen["capabilitySide"]["decision"], "ACCEPTED");
        assert_eq!(seen["capabilitySide"]["decidedBy"]["id"], u_id.as_str());
        assert!(seen["capabilitySide"]["decidedAt"].is_string());
        assert!(seen["needSide"]["decision"].is_null());
        assert_eq!(seen["viewerCanAccept"], false);
        // The need's side sees the lab's decision, not who took it.
        let res = node(&app, &w.a, &m).await;
        let seen = &res["data"]["node"];
        assert_eq!(seen["viewerSide"], "NEED");
        assert_eq!(seen["capabilitySide"]["decision"], "ACCEPTED");
        assert!(seen["capabilitySide"]["decidedBy"].is_null(), "{res}");
        assert!(seen["capabilitySide"]["decidedAt"].is_string());
        // The lab's yes lets the need's side accept at once: ACCEPTED.
        assert_eq!(seen["viewerCanAccept"], true);
        let after = step_ok(&app, &w.a, "acceptMatch", &m, json!({})).await;
        assert_eq!(after["status"], "ACCEPTED");
        assert_eq!(strings(&after["waitingFor"]), Vec::<String>::new());
        let res = node(&app, &w.u, &m).await;
        assert_eq!(res["data"]["node"]["status"], "ACCEPTED", "{res}");
        assert_eq!(
            res["data"]["node"]["needSide"]["decision"], "ACCEPTED",
            "{res}"
        );
        assert!(res["data"]["node"]["needSide"]["decidedBy"].is_null());
        let res = node(&app, &w.a, &m).await;
        assert_eq!(
            res["data"]["node"]["needSide"]["decidedBy"]["id"],
            a_id.as_str()
        );

        // The other order: the need's side accepts first, the match is not
        // ACCEPTED (no project yet) until the lab accepts too.
        let second =
            bearing_need(&app, &w, "轴承寿命预测 bearing life prediction", "PLATFORM").await;
        let m2 = match_of(&app, &w, &second, &cap, false).await;
        let res = step(&app, &w.a, "acceptMatch", &m2, json!({})).await;
        assert_code(&res, "BAD_USER_INPUT");
        step_ok(&app, &w.a, "shortlistMatch", &m2, json!({})).await;
        let after = step_ok(&app, &w.a, "acceptMatch", &m2, json!({})).await;
        assert_eq!(after["status"], "SHORTLISTED");
        assert_eq!(strings(&after["waitingFor"]), ["CAPABILITY"]);
        let project = "mutation($m: ID!) { createProjectFromMatch(input: {matchId: $m}) { project { id title } } }";
        let res = app.gql(Some(&w.a), project, json!({"m": m2})).await;
        assert!(
            error_code(&res).is_some(),
            "no project before both accept: {res}"
        );
        // The lab finds the need on its capability, waiting for it.
        let data = app
            .gql_ok(Some(&w.u), MATCHING_NEEDS, json!({"id": cap}))
            .await;
        let listed = data["capability"]["matchingNeeds"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["matchId"] == m2.as_str())
            .unwrap_or_else(|| panic!("{m2} on the capability: {data}"))
            .clone();
        assert_eq!(listed["status"], "SHORTLISTED");
        assert_eq!(strings(&listed["waitingFor"]), ["CAPABILITY"]);
        assert_eq!(listed["viewerSide"], "CAPABILITY");
        assert_eq!(listed["viewerCanAccept"], true);
        assert_eq!(listed["needSide"]["decision"], "ACCEPTED");
        let after = step_ok(&app, &w.u, "acceptMatch", &m2, json!({})).await;
        assert_eq!(after["status"], "ACCEPTED");
        let data = app.gql_ok(Some(&w.a), project, json!({"m": m2})).await;
        assert!(data["createProjectFromMatch"]["project"]["id"].is_string());
        // Accepted pairs stay on the capability with what they wait for.
        let data = app
            .gql_ok(Some(&w.u), MATCHING_NEEDS, json!({"id": cap}))
            .await;
        let statuses: Vec<(String, String)> = data["capability"]["matchingNeeds"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["matchId"] == m.as_str() || n["matchId"] == m2.as_str())
            .map(|n| (text(&n["matchId"]), text(&n["status"])))
            .collect();
        assert_eq!(statuses.len(), 2, "{data}");
        assert!(statuses.iter().all(|(_, s)| s == "ACCEPTED"), "{data}");
    }
);

e2e!(
    either_side_declines_for_both_with_its_reason,
    |app| async move {
        let w = World::new(&app).await;
        let cap = bearing_capability(&app, &w).await;
        let first =
            bearing_need(&app, &w, "电机轴承故障预警 bearing early warning", "PUBLIC").await;
        let m = match_of(&app, &w, &first, &cap, false).await;
        // The lab declines with a reason a lab gives.
        let after = step_ok(
            &app,
            &w.u,
            "declineMatch",
            &m,
            json!({"reason": "BUDGET_TOO_LOW", "comment": "经费不足以覆盖现场试验"}),
        )
        .await;
        assert_eq!(after["status"], "DECLINED");
        assert_eq!(after["declinedBy"], "CAPABILITY");
        assert_eq!(after["declineReason"], "BUDGET_TOO_LOW");
        let res = node(&app, &w.a, &m).await;
        let seen = &res["data"]["node"];
        assert_eq!(seen["status"], "DECLINED", "{res}");
        assert_eq!(seen["declinedBy"], "CAPABILITY");
        assert_eq!(seen["capabilitySide"]["decision"], "DECLINED");
        assert_eq!(strings(&seen["waitingFor"]), Vec::<String>::new());
        assert_eq!(seen["viewerCanAccept"], false);
        let res = step(&app, &w.a, "shortlistMatch", &m, json!({})).await;
        assert_code(&res, "BAD_USER_INPUT");
        // Declined pairs take no interest any more.
        let res = app
            .gql(
                Some(&w.u),
                EXPRESS,
                json!({"input": {"needId": first, "capabilityId": cap, "message": "再考虑一下"}}),
            )
            .await;
        assert_code(&res, "CONFLICT");
        assert_eq!(
            res["errors"][0]["extensions"]["key"], "interest.pair_declined",
            "{res}"
        );

        // The need's side declines after the lab accepted: DECLINED by NEED.
        let second = bearing_need(&app, &w, "轴承寿命预测 bearing life prediction", "PUBLIC").await;
        let m2 = match_of(&app, &w, &second, &cap, false).await;
        step_ok(&app, &w.u, "acceptMatch", &m2, json!({})).await;
        let after = step_ok(
            &app,
            &w.a,
            "declineMatch",
            &m2,
            json!({"reason": "OFF_TOPIC"}),
        )
        .await;
        assert_eq!(after["status"], "DECLINED");
        assert_eq!(after["declinedBy"], "NEED");
        let res = node(&app, &w.u, &m2).await;
        assert_eq!(res["data"]["node"]["declinedBy"], "NEED", "{res}");
        assert_eq!(res["data"]["node"]["declineReason"], "OFF_TOPIC");
        assert_eq!(
            res["data"]["node"]["capabilitySide"]["decision"],
            "ACCEPTED"
        );
        let res = step(&app, &w.u, "declineMatch", &m2, json!({"reason": "OTHER"})).await;
        assert_code(&res, "BAD_USER_INPUT");
    }
);

e2e!(
    the_capability_side_never_sees_a_confidential_needs_match,
    |app| async move {
        let w = World::new(&app).await;
        let cap = bearing_capability(&app, &w).await;
        let secret = bearing_need(
            &app,
            &w,
            "保密 轴承故障预警 bearing early warning",
            "CONFIDENTIAL",
        )
        .await;
        let m = match_of(&app, &w, &secret, &cap, false).await;
        let res = node(&app, &w.u, &m).await;
        assert_code(&res, "NOT_FOUND");
        for (op, extra) in [
            ("acceptMatch", json!({})),
            ("declineMatch", json!({"reason": "OTHER"})),
        ] {
            let res = step(&app, &w.u, op, &m, extra).await;
            assert_code(&res, "NOT_FOUND");
        }
        let res = app
            .gql(
                Some(&w.u),
                EXPRESS,
                json!({"input": {"needId": secret, "capabilityId": cap, "message": "我们有兴趣"}}),
            )
            .await;
        assert_code(&res, "NOT_FOUND");
        // Decided by the need's side, the pair is stored: still hidden from
        // the lab, in its list too.
        step_ok(&app, &w.a, "shortlistMatch", &m, json!({})).await;
        step_ok(&app, &w.a, "acceptMatch", &m, json!({})).await;
        let res = node(&app, &w.u, &m).await;
        assert_code(&res, "NOT_FOUND");
        let data = app
            .gql_ok(Some(&w.u), MATCHING_NEEDS, json!({"id": cap}))
            .await;
        assert!(
            !data.to_string().contains(&secret) && !data.to_string().contains("保密"),
            "{data}"
        );
        // Its subscription is refused like the need itself.
        let mut ws = Ws::connect(&app, Some(&w.u)).await;
        ws.subscribe("s", UPDATED, json!({"needId": secret})).await;
        assert_eq!(ws.refusal("s").await.as_deref(), Some("NOT_FOUND"));
    }
);

e2e!(
    interest_from_a_capability_and_a_talent_reaches_the_need_side,
    |app| async move {
        let w = World::new(&app).await;
        let cap = bearing_capability(&app, &w).await;
        let target =
            bearing_need(&app, &w, "电机轴承故障预警 bearing early warning", "PUBLIC").await;
        let u_id = me(&app, &w.u).await;

        let mut a_ws = Ws::connect(&app, Some(&w.a)).await;
        a_ws.subscribe("a", UPDATED, json!({"needId": target}))
            .await;
        let mut b_ws = Ws::connect(&app, Some(&w.b)).await;
        b_ws.subscribe("b", UPDATED, json!({"needId": target}))
            .await;
        // Let both subscriptions register before the first event.
        tokio::time::sleep(Duration::from_millis(300)).await;

        // Bad input: every bad field at once.
        let res = app
            .gql(
                Some(&w.u),
                EXPRESS,
                json!({"input": {"needId": target, "capabilityId": cap, "talentId": cap, "message": "  "}}),
            )
            .await;
        assert_code(&res, "BAD_USER_INPUT");
        let fields: Vec<String> = res["errors"][0]["extensions"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| text(&f["field"]))
            .collect();
        assert!(fields.contains(&"input.message".to_owned()), "{res}");
        assert!(fields.contains(&"input.talentId".to_owned()), "{res}");
        let long = "长".repeat(2001);
        let res = app
            .gql(
                Some(&w.u),
                EXPRESS,
                json!({"input": {"needId": target, "capabilityId": cap, "message": long}}),
            )
            .await;
        assert_code(&res, "BAD_USER_INPUT");
        // Only the capability's organisation speaks for it.
        let res = app
            .gql(
                Some(&w.b),
                EXPRESS,
                json!({"input": {"needId": target, "capabilityId": cap, "message": "我们也有兴趣"}}),
            )
            .await;
        assert_code(&res, "FORBIDDEN");

        // The lab's interest is its side's acceptance of the pair.
        let message = "我们课题组做过32台电机的振动监测，可先做现场测试";
        let data = app
            .gql_ok(
                Some(&w.u),
                EXPRESS,
                json!({"input": {"needId": target, "capabilityId": cap, "message": message}}),
            )
            .await;
        let interest = &data["expressInterest"]["interest"];
        let cap_interest = text(&interest["id"]);
        assert_eq!(interest["message"], message);
        assert_eq!(interest["status"], "PENDING");
        assert_eq!(interest["createdBy"]["id"], u_id.as_str());
        assert_eq!(interest["match"]["status"], "SUGGESTED");
        assert_eq!(interest["match"]["capabilitySide"]["decision"], "ACCEPTED");
        assert_eq!(strings(&interest["match"]["waitingFor"]), ["NEED"]);
        // Once only.
        let res = app
            .gql(
                Some(&w.u),
                EXPRESS,
                json!({"input": {"needId": target, "capabilityId": cap, "message": "again"}}),
            )
            .await;
        assert_code(&res, "CONFLICT");
        assert_eq!(res["errors"][0]["extensions"]["key"], "interest.duplicate");

        // The need's side hears of it at once; the stranger does not.
        let pushed = a_ws
            .next(Duration::from_secs(10))
            .await
            .expect("the need's side hears of the interest");
        let update = &pushed["payload"]["data"]["matchUpdated"];
        assert_eq!(update["interest"]["message"], message, "{pushed}");
        assert_eq!(update["interest"]["capability"]["id"], cap.as_str());
        assert_eq!(update["match"]["capabilitySide"]["decision"], "ACCEPTED");

        // The need's side reads the interest with who and when.
        let data = app
            .gql_ok(Some(&w.a), INTERESTS, json!({"id": target}))
            .await;
        let listed = &data["need"]["interests"]["nodes"][0];
        assert_eq!(data["need"]["interests"]["totalCount"], 1);
        assert_eq!(listed["message"], message);
        assert_eq!(listed["createdBy"]["id"], u_id.as_str());
        assert!(listed["createdAt"].is_string());
        assert_eq!(listed["viewerCanAccept"], true);
        let res = app.gql(Some(&w.b), INTERESTS, json!({"id": target})).await;
        assert_code(&res, "FORBIDDEN");

        // A talent's interest, reviewed by the need's side.
        let data = app
            .gql_ok(
                Some(&w.u),
                UPSERT_TALENT,
                json!({"input": {"organizationId": w.org_u, "name": "王芳 Wang Fang",
                    "keywords": ["轴承"], "availability": ["CONSULTING"], "linkToMe": true}}),
            )
            .await;
        let talent = text(&data["upsertTalentProfile"]["talent"]["id"]);
        let data = app
            .gql_ok(
                Some(&w.u),
                EXPRESS,
                json!({"input": {"needId": target, "talentId": talent, "message": "可提供技术咨询"}}),
            )
            .await;
        let talent_interest = text(&data["expressInterest"]["interest"]["id"]);
        assert_eq!(data["expressInterest"]["interest"]["status"], "PENDING");
        assert!(data["expressInterest"]["interest"]["match"].is_null());
        assert_eq!(
            data["expressInterest"]["interest"]["viewerCanAccept"],
            false
        );
        let pushed = a_ws.next(Duration::from_secs(10)).await.expect("pushed");
        let update = &pushed["payload"]["data"]["matchUpdated"];
        assert_eq!(
            update["interest"]["talent"]["id"],
            talent.as_str(),
            "{pushed}"
        );
        assert!(update["match"].is_null());

        // Only the need's side reviews; strangers do not see the interest.
        let res = app
            .gql(Some(&w.u), ACCEPT_INTEREST, json!({"id": talent_interest}))
            .await;
        assert_code(&res, "FORBIDDEN");
        let res = app
            .gql(Some(&w.b), ACCEPT_INTEREST, json!({"id": talent_interest}))
            .await;
        assert_code(&res, "NOT_FOUND");
        let data = app
            .gql_ok(Some(&w.a), ACCEPT_INTEREST, json!({"id": talent_interest}))
            .await;
        assert_eq!(data["acceptInterest"]["interest"]["status"], "ACCEPTED");
        assert_eq!(data["acceptInterest"]["interest"]["viewerCanAccept"], false);
        let res = app
            .gql(
                Some(&w.a),
                DECLINE_INTEREST,
                json!({"id": talent_interest, "reason": "OTHER"}),
            )
            .await;
        assert_code(&res, "CONFLICT");
        let pushed = a_ws.next(Duration::from_secs(10)).await.expect("pushed");
        assert_eq!(
            pushed["payload"]["data"]["matchUpdated"]["interest"]["status"], "ACCEPTED",
            "{pushed}"
        );

        // Accepting the capability's interest is the need side's acceptance
        // of its match: ACCEPTED.
        let data = app
            .gql_ok(Some(&w.a), ACCEPT_INTEREST, json!({"id": cap_interest}))
            .await;
        assert_eq!(data["acceptInterest"]["interest"]["status"], "ACCEPTED");
        assert_eq!(
            data["acceptInterest"]["interest"]["match"]["status"],
            "ACCEPTED"
        );
        let pushed = a_ws.next(Duration::from_secs(10)).await.expect("pushed");
        assert_eq!(
            pushed["payload"]["data"]["matchUpdated"]["match"]["status"], "ACCEPTED",
            "{pushed}"
        );
        // The lab sees its own interest by id, the stranger does not.
        let query = "query($id: ID!) { node(id: $id) { ... on Interest { id status message } } }";
        let data = app
            .gql_ok(Some(&w.u), query, json!({"id": cap_interest}))
            .await;
        assert_eq!(data["node"]["status"], "ACCEPTED");
        let res = app
            .gql(Some(&w.b), query, json!({"id": cap_interest}))
            .await;
        assert_code(&res, "NOT_FOUND");

        // A talent's interest declined with a reason.
        let other = bearing_need(&app, &w, "轴承寿命预测 bearing life prediction", "PUBLIC").await;
        let data = app
            .gql_ok(
                Some(&w.u),
                EXPRESS,
                json!({"input": {"needId": other, "talentId": talent, "message": "可提供技术咨询"}}),
            )
            .await;
        let declined = text(&data["expressInterest"]["interest"]["id"]);
        let data = app
            .gql_ok(
                Some(&w.a),
                DECLINE_INTEREST,
                json!({"id": declined, "reason": "CAPACITY"}),
            )
            .await;
        assert_eq!(data["declineInterest"]["interest"]["status"], "DECLINED");
        assert_eq!(
            data["declineInterest"]["interest"]["declineReason"],
            "CAPACITY"
        );

        // Nothing of this reached the stranger watching the public need.
        assert!(
            b_ws.next(Duration::from_millis(500)).await.is_none(),
            "a stranger heard of the need's docking"
        );
    }
);

e2e!(
    own_organisation_capabilities_are_left_out_unless_asked_for,
    |app| async move {
        let w = World::new(&app).await;
        let external = bearing_capability(&app, &w).await;
        // A capability of the need's own organisation, and one of another
        // organisation of its group (a lab two levels under A: the group is
        // found by walking the whole chain up).
        let institute = create_org(
            &app,
            &w.admin,
            "A 研究院 A Research Institute",
            "INSTITUTE",
            Some(&w.org_a),
        )
        .await;
        let own_lab = create_org(
            &app,
            &w.admin,
            "A 研究院 实验室 A Research Lab",
            "INSTITUTE",
            Some(&institute),
        )
        .await;
        let make = |org: String, title: &'static str| {
            let app = &app;
            let admin = w.admin.clone();
            async move {
                let data = app
                    .gql_ok(
                        Some(&admin),
                        crate::fixtures::CREATE_CAPABILITY,
                        json!({"input": {"organizationId": org, "title": title,
                            "summary": "振动信号 故障诊断 vibration signals detect early bearing faults",
                            "keywords": ["轴承", "故障诊断", "bearing", "fault diagnosis"],
                            "disciplineCodes": ["460"], "trl": 6}}),
                    )
                    .await;
                let id = text(&data["createCapability"]["capability"]["id"]);
                app.gql_ok(
                    Some(&admin),
                    "mutation($id: ID!) { publishCapability(input: {id: $id}) { capability { id } } }",
                    json!({"id": id}),
                )
                .await;
                id
            }
        };
        let same_org = make(
            w.org_a.clone(),
            "自有 轴承故障诊断 own bearing fault diagnosis",
        )
        .await;
        let same_group = make(
            own_lab.clone(),
            "集团 轴承故障诊断 group bearing fault diagnosis",
        )
        .await;
        let target =
            bearing_need(&app, &w, "电机轴承故障预警 bearing early warning", "PUBLIC").await;

        let ids = |data: &Value| -> Vec<String> {
            data["need"]["matches"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| text(&e["node"]["capability"]["id"]))
                .collect()
        };
        let by_default = app
            .gql_ok(Some(&w.a), MATCH_IDS, json!({"id": target, "own": false}))
            .await;
        let listed = ids(&by_default);
        assert!(listed.contains(&external), "{by_default}");
        assert!(
            !listed.contains(&same_org),
            "own organisation suggested: {by_default}"
        );
        assert!(
            !listed.contains(&same_group),
            "own group suggested: {by_default}"
        );
        let asked = app
            .gql_ok(Some(&w.a), MATCH_IDS, json!({"id": target, "own": true}))
            .await;
        let listed = ids(&asked);
        assert!(listed.contains(&external), "{asked}");
        assert!(listed.contains(&same_org), "{asked}");
        assert!(listed.contains(&same_group), "{asked}");

        // Talents of the need's organisation or group are flagged.
        let res = add_member(&app, &w.admin, &own_lab, "a@enterprise-a.test", "MEMBER").await;
        assert!(res.get("errors").is_none(), "{res}");
        for (org, name) in [
            (w.org_a.clone(), "甲 张工 Zhang"),
            (own_lab.clone(), "研究院 李工 Li"),
            (w.org_u.clone(), "高校 王老师 Wang"),
        ] {
            let token = if org == w.org_u { &w.u } else { &w.a };
            app.gql_ok(
                Some(token),
                UPSERT_TALENT,
                json!({"input": {"organizationId": org, "name": name,
                    "bio": "轴承故障诊断 bearing fault diagnosis 振动信号",
                    "keywords": ["轴承", "故障诊断", "bearing"], "availability": ["CONSULTING"]}}),
            )
            .await;
        }
        let data = app
            .gql_ok(
                Some(&w.a),
                "query($id: ID!) { need(id: $id) { matchingTalents(first: 50) {
                   nodes { conflictOfInterest conflictDetail talent { name } } } } }",
                json!({"id": target}),
            )
            .await;
        let flags: Vec<(String, Value, Value)> = data["need"]["matchingTalents"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    text(&n["talent"]["name"]),
                    n["conflictOfInterest"].clone(),
                    n["conflictDetail"].clone(),
                )
            })
            .collect();
        let flag = |name: &str| {
            flags
                .iter()
                .find(|(n, _, _)| n == name)
                .unwrap_or_else(|| panic!("{name} among {data}"))
                .clone()
        };
        assert_eq!(flag("甲 张工 Zhang").1, "SAME_ORGANIZATION");
        assert_eq!(flag("研究院 李工 Li").1, "SAME_GROUP");
        assert!(
            flag("研究院 李工 Li")
                .2
                .as_str()
                .is_some_and(|d| d.contains("group"))
        );
        assert!(flag("高校 王老师 Wang").1.is_null());
        assert!(flag("高校 王老师 Wang").2.is_null());
    }
);
