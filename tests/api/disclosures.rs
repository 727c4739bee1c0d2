//! Staged confidentiality of CONFIDENTIAL needs: a teaser for outsiders,
//! disclosure to one organisation under a non-disclosure agreement, the
//! log of every disclosure and read, and revocation. The full text of the
//! need never appears in any answer the receiving side gets — GraphQL over
//! HTTP and WebSocket, REST, search, CSV, errors — before the disclosure is
//! accepted or after it is revoked, and does while it is in force.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{TestApp, assert_code, has_chinese, text};
use crate::fixtures::{World, me};
use crate::matching::{capability, need};
use crate::subscriptions::Ws;

/// In the need's title, description and keywords: never in an answer to
/// the receiving side unless the need is disclosed to it.
const MARK: &str = "QX7密封配方";

const SET_TEASER: &str = "mutation($input: SetNeedTeaserInput!) {
  setNeedTeaser(input: $input) { need { id teaser { title } }
    teaser { title summary trlRequired disciplines { code } version } } }";

const OFFER: &str = "mutation($need: ID!, $org: ID!) {
  offerDisclosure(input: {needId: $need, organizationId: $org}) {
    disclosure { id status version organization { id } } } }";

const ACCEPT: &str = "mutation($id: ID!, $nda: String!) {
  acceptDisclosure(input: {id: $id, ndaVersion: $nda}) {
    disclosure { id status ndaVersion acceptedAt acceptedBy { id } version } } }";

const REVOKE: &str = "mutation($id: ID!) {
  revokeDisclosure(input: {id: $id}) { disclosure { id status revokedAt } } }";

const RECEIVED: &str = "{ receivedDisclosures(first: 10) { totalCount edges { node {
  id status offeredBy { id } revokedBy { id } viewerCanAccept viewerCanRevoke
  teaser { title summary trlRequired disciplines { code } }
  need { id title description keywords organization { id } } } } } }";

const NDA: &str = "{ nonDisclosureAgreement { version text } }";

const LOG: &str = "query($id: ID!) { need(id: $id) {
  disclosures { id status organization { id } ndaVersion }
  disclosureLog(first: 50) { edges { node { action user { id } organization { id } ndaVersion at } } } } }";

/// A CONFIDENTIAL need of A carrying [`MARK`], published, with a teaser.
async fn confidential_need(app: &TestApp, w: &World) -> String {
    let id = need(
        app,
        w,
        &format!("{MARK} 高速轴承润滑密封 high-speed bearing seal"),
        &format!("密封件配方 {MARK}，轴承在 18000 rpm 下的润滑与密封失效 bearing seal failure"),
        &["bearing seal", MARK],
        "CONFIDENTIAL",
    )
    .await;
    let data = app
        .gql_ok(
            Some(&w.a),
            SET_TEASER,
            json!({"input": {"needId": id, "title": "高速轴承密封寿命提升 Bearing seal life",
                "summary": "某装备制造企业需要提升高速轴承密封件寿命 seal life at high speed"}}),
        )
        .await;
    let teaser = &data["setNeedTeaser"]["teaser"];
    assert_eq!(teaser["trlRequired"], 5);
    assert_eq!(teaser["disciplines"][0]["code"], "460");
    assert_eq!(teaser["version"], 1);
    id
}

/// Every answer the receiving side (`token`) can get about the need `id`,
/// as text: GraphQL lists, lookups, search and matching; REST; the CSV of
/// projects; the error of a write.
async fn everything_seen(app: &TestApp, token: &str, id: &str, capability: &str) -> String {
    let mut seen = String::new();
    for (query, vars) in [
        (
            "{ needs(first: 100) { edges { node { id title description keywords } } } }",
            json!({}),
        ),
        (
            "query($id: ID!) { need(id: $id) { id title description keywords } }",
            json!({"id": id}),
        ),
        (
            "query($id: ID!) { node(id: $id) { id ... on Need { title description } } }",
            json!({"id": id}),
        ),
        (
            "query($q: String!) { search(query: $q, first: 50) { edges { node {
               __typename ... on Need { id title description } } snippet matchedTerms } } }",
            json!({"q": format!("{MARK} bearing seal 轴承 密封")}),
        ),
        (
            "query($c: ID!) { capability(id: $c) { matchingNeeds(first: 50) { edges { node {
               need { id title description } matchedTerms } } } } }",
            json!({"c": capability}),
        ),
        (RECEIVED, json!({})),
        (
            "mutation($id: ID!) { updateNeed(input: {id: $id, title: \"x\"}) { need { title } } }",
            json!({"id": id}),
        ),
    ] {
        seen.push_str(&app.gql(Some(token), query, vars).await.to_string());
    }
    for path in [
        "/api/v1/needs?first=100".to_owned(),
        format!("/api/v1/needs/{id}"),
        format!("/api/v1/needs/{id}/matches"),
        "/api/v1/projects.csv".to_owned(),
    ] {
        let res = app.get_as(&path, token).await;
        assert!(res.status().as_u16() < 500, "{path}: {}", res.status());
        seen.push_str(&res.text().await.unwrap());
    }
    // Over WebSocket: a query, and the subscription to the need's
    // suggestions.
    let mut ws = Ws::connect(app, Some(token)).await;
    ws.subscribe(
        "q",
        "query($id: ID!) { need(id: $id) { title description } }",
        json!({"id": id}),
    )
    .await;
    ws.subscribe(
        "s",
        "subscription($id: ID!) { matchSuggested(needId: $id) { need { title description } } }",
        json!({"id": id}),
    )
    .await;
    while let Some(Ok(msg)) = ws.next_frame(Duration::from_millis(1500)).await {
        seen.push_str(&msg.to_string());
    }
    seen
}

fn received_node(data: &Value) -> &Value {
    &data["receivedDisclosures"]["edges"][0]["node"]
}

e2e!(
    a_confidential_need_is_a_teaser_until_disclosed_under_the_nda,
    |app| async move {
        let w = World::new(&app).await;
        let cap = capability(
            &app,
            &w,
            "高速轴承密封与润滑 Bearing seal tribology",
            "轴承密封件寿命与润滑失效分析 bearing seal failure analysis at high speed",
            &["bearing seal", "轴承", "密封"],
            &["460"],
            5,
        )
        .await;
        let id = confidential_need(&app, &w).await;
        let u_id = me(&app, &w.u).await;

        // Before anything is offered: the lab sees nothing of it.
        let seen = everything_seen(&app, &w.u, &id, &cap).await;
        assert!(!seen.contains(MARK), "leaked before disclosure: {seen}");
        assert!(!seen.contains("18000 rpm"), "{seen}");

        // Offered: the lab sees the teaser, still not the need, nor whose
        // need it is.
        let data = app
            .gql_ok(Some(&w.a), OFFER, json!({"need": id, "org": w.org_u}))
            .await;
        let d = &data["offerDisclosure"]["disclosure"];
        assert_eq!(d["status"], "OFFERED");
        assert_eq!(d["organization"]["id"], w.org_u.as_str());
        let disclosure = text(&d["id"]);
        let data = app.gql_ok(Some(&w.u), RECEIVED, json!({})).await;
        let node = received_node(&data);
        assert_eq!(data["receivedDisclosures"]["totalCount"], 1);
        assert_eq!(node["status"], "OFFERED");
        assert_eq!(
            node["teaser"]["title"],
            "高速轴承密封寿命提升 Bearing seal life"
        );
        assert_eq!(node["teaser"]["trlRequired"], 5);
        assert_eq!(node["teaser"]["disciplines"][0]["code"], "460");
        assert_eq!(node["need"], Value::Null);
        assert_eq!(
            node["offeredBy"],
            Value::Null,
            "who offered names the owner"
        );
        assert_eq!(node["viewerCanAccept"], true);
        assert_eq!(node["viewerCanRevoke"], false);
        let seen = everything_seen(&app, &w.u, &id, &cap).await;
        assert!(seen.contains("Bearing seal life"), "the teaser is shown");
        assert!(!seen.contains(MARK), "leaked while only offered: {seen}");
        assert!(
            !seen.contains(&w.org_a),
            "the owner named while only offered"
        );

        // The agreement to accept, in the reader's language.
        let nda = app.gql_ok(Some(&w.u), NDA, json!({})).await;
        let version = text(&nda["nonDisclosureAgreement"]["version"]);
        let zh = app.gql_in(Some(&w.u), "zh-CN", NDA, json!({})).await;
        assert!(has_chinese(&text(
            &zh["data"]["nonDisclosureAgreement"]["text"]
        )));
        assert!(!has_chinese(&text(&nda["nonDisclosureAgreement"]["text"])));

        // Accepted: the lab reads the need everywhere it is looked up by id,
        // and every read is logged.
        let data = app
            .gql_ok(
                Some(&w.u),
                ACCEPT,
                json!({"id": disclosure, "nda": version}),
            )
            .await;
        let d = &data["acceptDisclosure"]["disclosure"];
        assert_eq!(d["status"], "ACCEPTED");
        assert_eq!(d["ndaVersion"], version.as_str());
        assert_eq!(d["acceptedBy"]["id"], u_id.as_str());
        let data = app.gql_ok(Some(&w.u), RECEIVED, json!({})).await;
        let node = received_node(&data);
        assert!(text(&node["need"]["title"]).contains(MARK));
        assert_eq!(node["need"]["organization"]["id"], w.org_a.as_str());
        let data = app
            .gql_ok(
                Some(&w.u),
                "query($id: ID!) { need(id: $id) { description } }",
                json!({"id": id}),
            )
            .await;
        assert!(text(&data["need"]["description"]).contains(MARK));
        let res = app.get_as(&format!("/api/v1/needs/{id}"), &w.u).await;
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains(MARK));
        // Lists and search stay the owner's: a disclosed need is reached
        // through its disclosure.
        let data = app
            .gql_ok(
                Some(&w.u),
                "{ needs(first: 100) { edges { node { title } } } }",
                json!({}),
            )
            .await;
        assert!(!data.to_string().contains(MARK));

        // The need's side sees who accepted which version and each read.
        let data = app.gql_ok(Some(&w.a), LOG, json!({"id": id})).await;
        let lines = data["need"]["disclosureLog"]["edges"].as_array().unwrap();
        let actions: Vec<&str> = lines
            .iter()
            .map(|e| e["node"]["action"].as_str().unwrap())
            .collect();
        assert_eq!(&actions[..2], ["OFFERED", "ACCEPTED"]);
        assert!(
            actions[2..].len() >= 3 && actions[2..].iter().all(|a| *a == "READ"),
            "{actions:?}"
        );
        assert_eq!(lines[1]["node"]["ndaVersion"], version.as_str());
        assert!(
            lines[2..]
                .iter()
                .all(|l| l["node"]["user"]["id"] == u_id.as_str()
                    && l["node"]["organization"]["id"] == w.org_u.as_str())
        );
        assert_eq!(data["need"]["disclosures"][0]["status"], "ACCEPTED");
        // The receiving side does not read the log.
        let res = app.gql(Some(&w.u), LOG, json!({"id": id})).await;
        assert_code(&res, "FORBIDDEN");

        // Revoked: the teaser only again, everywhere.
        let data = app
            .gql_ok(Some(&w.a), REVOKE, json!({"id": disclosure}))
            .await;
        assert_eq!(data["revokeDisclosure"]["disclosure"]["status"], "REVOKED");
        let seen = everything_seen(&app, &w.u, &id, &cap).await;
        assert!(!seen.contains(MARK), "leaked after revocation: {seen}");
        let data = app.gql_ok(Some(&w.u), RECEIVED, json!({})).await;
        assert_eq!(received_node(&data)["revokedBy"], Value::Null);
        assert_eq!(received_node(&data)["need"], Value::Null);

        // Offered again, it must be accepted again.
        let data = app
            .gql_ok(Some(&w.a), OFFER, json!({"need": id, "org": w.org_u}))
            .await;
        assert_eq!(
            data["offerDisclosure"]["disclosure"]["id"],
            disclosure.as_str()
        );
        assert_eq!(data["offerDisclosure"]["disclosure"]["status"], "OFFERED");
        let res = app
            .gql(
                Some(&w.u),
                "query($id: ID!) { need(id: $id) { title } }",
                json!({"id": id}),
            )
            .await;
        assert_code(&res, "NOT_FOUND");
        assert!(!res.to_string().contains(MARK));
    }
);

e2e!(
    disclosure_rules_are_enforced_with_coded_errors,
    |app| async move {
        let w = World::new(&app).await;
        let id = confidential_need(&app, &w).await;

        // A teaser must not say whose need it is (the organisation's name).
        let res = app
            .gql_in(
                Some(&w.a),
                "zh-CN",
                SET_TEASER,
                json!({"input": {"needId": id, "title": "甲机电的轴承需求",
                "summary": "a need of Enterprise A 甲机电"}}),
            )
            .await;
        assert_code(&res, "BAD_USER_INPUT");
        let fields = &res["errors"][0]["extensions"]["fields"];
        assert_eq!(fields[0]["field"], "input.title");
        assert_eq!(fields[0]["key"], "need_teaser.names_organization");
        assert!(has_chinese(&text(&fields[0]["message"])));
        assert_eq!(fields[1]["field"], "input.summary");
        // Stale version of the teaser.
        let res = app
            .gql(
                Some(&w.a),
                SET_TEASER,
                json!({"input": {"needId": id, "title": "t", "summary": "s", "version": 7}}),
            )
            .await;
        assert_code(&res, "CONFLICT");
        // Only the need's side writes it; the lab does not even see the need.
        let res = app
            .gql(
                Some(&w.u),
                SET_TEASER,
                json!({"input": {"needId": id, "title": "t", "summary": "s"}}),
            )
            .await;
        assert_code(&res, "NOT_FOUND");

        // What may be offered, and to whom — every bad field at once.
        let public = need(
            &app,
            &w,
            "公开需求 public need",
            "bearing",
            &["bearing"],
            "PUBLIC",
        )
        .await;
        let res = app
            .gql(Some(&w.a), OFFER, json!({"need": public, "org": w.org_a}))
            .await;
        assert_code(&res, "BAD_USER_INPUT");
        let fields: Vec<(String, String)> = res["errors"][0]["extensions"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (text(&f["field"]), text(&f["key"])))
            .collect();
        assert_eq!(
            fields,
            [
                (
                    "input.needId".into(),
                    "disclosure.need.not_confidential".into()
                ),
                (
                    "input.organizationId".into(),
                    "disclosure.organization.own".into()
                ),
            ]
        );
        let bare = need(
            &app,
            &w,
            "无摘要 no teaser",
            "bearing",
            &["bearing"],
            "CONFIDENTIAL",
        )
        .await;
        let res = app
            .gql(Some(&w.a), OFFER, json!({"need": bare, "org": w.org_u}))
            .await;
        assert_code(&res, "BAD_USER_INPUT");
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["key"],
            "disclosure.teaser.missing"
        );
        // The receiving side may not offer (it does not see the need).
        let res = app
            .gql(Some(&w.u), OFFER, json!({"need": id, "org": w.org_b}))
            .await;
        assert_code(&res, "NOT_FOUND");

        let data = app
            .gql_ok(Some(&w.a), OFFER, json!({"need": id, "org": w.org_u}))
            .await;
        let disclosure = text(&data["offerDisclosure"]["disclosure"]["id"]);
        let res = app
            .gql(Some(&w.a), OFFER, json!({"need": id, "org": w.org_u}))
            .await;
        assert_code(&res, "CONFLICT");

        // Only the receiving organisation accepts, only the agreement in force.
        let nda = app.gql_ok(Some(&w.u), NDA, json!({})).await;
        let version = text(&nda["nonDisclosureAgreement"]["version"]);
        let res = app
            .gql(
                Some(&w.a),
                ACCEPT,
                json!({"id": disclosure, "nda": version}),
            )
            .await;
        assert_code(&res, "FORBIDDEN");
        let res = app
            .gql(
                Some(&w.u),
                ACCEPT,
                json!({"id": disclosure, "nda": "iurhub-nda-2019-01"}),
            )
            .await;
        assert_code(&res, "BAD_USER_INPUT");
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"],
            "input.ndaVersion"
        );
        // A stranger (enterprise B) knows nothing of it.
        for query in [
            "query($id: ID!) { node(id: $id) { id } }",
            "mutation($id: ID!) { revokeDisclosure(input: {id: $id}) { disclosure { id } } }",
        ] {
            let res = app.gql(Some(&w.b), query, json!({"id": disclosure})).await;
            assert_code(&res, "NOT_FOUND");
        }
        let res = app
            .gql(
                Some(&w.b),
                ACCEPT,
                json!({"id": disclosure, "nda": version}),
            )
            .await;
        assert_code(&res, "NOT_FOUND");
        let data = app.gql_ok(Some(&w.b), RECEIVED, json!({})).await;
        assert_eq!(data["receivedDisclosures"]["totalCount"], 0);
        // The receiving side may not revoke.
        let res = app.gql(Some(&w.u), REVOKE, json!({"id": disclosure})).await;
        assert_code(&res, "FORBIDDEN");

        app.gql_ok(
            Some(&w.u),
            ACCEPT,
            json!({"id": disclosure, "nda": version}),
        )
        .await;
        // Accepting twice is a step the life cycle does not have.
        let res = app
            .gql(
                Some(&w.u),
                ACCEPT,
                json!({"id": disclosure, "nda": version}),
            )
            .await;
        assert!(res.get("errors").is_some(), "{res}");
        assert!(!res.to_string().contains(MARK));
        // Anonymous callers get nothing.
        let res = app.gql(None, NDA, json!({})).await;
        assert_code(&res, "UNAUTHENTICATED");
    }
);

/// A match as the capability's side reads it: what it is shown of a
/// CONFIDENTIAL need and of the other side.
const BLIND: &str = "fragment Blind on Match { id sealed score status matchedTerms
  factors { name terms } teaser { title summary trlRequired }
  need { id title description organization { id name } }
  needSide { decision decidedBy { id } } capabilitySide { decision }
  thread { id } }
  query($id: ID!) { node(id: $id) { ...Blind } }";

const MATCHING_NEEDS: &str = "query($c: ID!) { capability(id: $c) { matchingNeeds(first: 50) {
  edges { node { matchId sealed score status matchedTerms factors { name }
    teaser { title } need { id title description } } } } } }";

/// The capability's matching needs as `token` reads them.
async fn matching_needs(app: &TestApp, token: &str, capability: &str) -> Vec<Value> {
    let data = app
        .gql_ok(Some(token), MATCHING_NEEDS, json!({"c": capability}))
        .await;
    data["capability"]["matchingNeeds"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

/// The READ lines of the need's disclosure log, as its side reads them.
async fn read_count(app: &TestApp, token: &str, need: &str) -> usize {
    let data = app.gql_ok(Some(token), LOG, json!({"id": need})).await;
    data["need"]["disclosureLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["action"] == "READ")
        .count()
}

e2e!(
    a_confidential_need_is_matched_blind_through_its_teaser,
    |app| async move {
        let w = World::new(&app).await;
        let cap = capability(
            &app,
            &w,
            "高速轴承密封与润滑 Bearing seal tribology",
            "轴承密封件寿命与润滑失效分析 bearing seal failure analysis at high speed",
            &["bearing seal", "轴承", "密封"],
            &["460"],
            5,
        )
        .await;
        let id = need(
            &app,
            &w,
            &format!("{MARK} 高速轴承润滑密封 high-speed bearing seal"),
            &format!("密封件配方 {MARK}，轴承在 18000 rpm 下的润滑与密封失效 bearing seal failure"),
            &["bearing seal", MARK],
            "CONFIDENTIAL",
        )
        .await;
        // The need's side sees the lab's capability among its suggestions.
        let data = app
            .gql_ok(
                Some(&w.a),
                "query($id: ID!) { need(id: $id) { matches(first: 20) { nodes { id capability { id } } } } }",
                json!({"id": id}),
            )
            .await;
        let m = data["need"]["matches"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["capability"]["id"] == cap.as_str())
            .map(|n| text(&n["id"]))
            .expect("the lab's capability is suggested");
        let leaks = |seen: &str| {
            assert!(!seen.contains(MARK), "the need's text leaked: {seen}");
            assert!(!seen.contains("18000 rpm"), "{seen}");
            assert!(!seen.contains(&w.org_a), "the owner named: {seen}");
            assert!(!seen.contains("甲"), "the owner's name: {seen}");
        };

        // No teaser written: the need is matched for nobody outside A.
        let listed = matching_needs(&app, &w.u, &cap).await;
        assert!(
            listed.iter().all(|n| n["matchId"] != m.as_str()),
            "{listed:?}"
        );
        let res = app.gql(Some(&w.u), BLIND, json!({"id": m})).await;
        assert_code(&res, "NOT_FOUND");

        // With a teaser, the lab sees the match blind: the teaser and the
        // score, not the need, its owner, its words or who decided for it.
        app.gql_ok(
            Some(&w.a),
            SET_TEASER,
            json!({"input": {"needId": id, "title": "高速轴承密封寿命提升 Bearing seal life",
                "summary": "某装备制造企业需要提升高速轴承密封件寿命 seal life at high speed"}}),
        )
        .await;
        let listed = matching_needs(&app, &w.u, &cap).await;
        let entry = listed
            .iter()
            .find(|n| n["matchId"] == m.as_str())
            .expect("the lab is shown the blind match");
        assert_eq!(entry["sealed"], true);
        assert_eq!(entry["need"], Value::Null);
        assert_eq!(
            entry["teaser"]["title"],
            "高速轴承密封寿命提升 Bearing seal life"
        );
        assert!(entry["score"].as_f64().unwrap() > 0.0, "{entry}");
        assert_eq!(entry["matchedTerms"], json!([]));
        assert_eq!(entry["factors"], json!([]));
        leaks(&Value::Array(listed.clone()).to_string());
        // The need's side shortlists it: who did stays unnamed.
        app.gql_ok(
            Some(&w.a),
            "mutation($id: ID!) { shortlistMatch(input: {id: $id}) { match { status } } }",
            json!({"id": m}),
        )
        .await;
        let res = app.gql(Some(&w.u), BLIND, json!({"id": m})).await;
        let node = &res["data"]["node"];
        assert_eq!(node["sealed"], true, "{res}");
        assert_eq!(node["need"], Value::Null);
        assert_eq!(node["needSide"]["decidedBy"], Value::Null);
        assert_eq!(node["thread"], Value::Null, "no conversation while blind");
        assert_eq!(node["teaser"]["trlRequired"], 5);
        leaks(&res.to_string());
        // Its words are not offered by an error either: the need is
        // NOT_FOUND by id, and an interest needs the need read.
        let res = app
            .gql(
                Some(&w.u),
                "query($id: ID!) { need(id: $id) { title } }",
                json!({"id": id}),
            )
            .await;
        assert_code(&res, "NOT_FOUND");
        let res = app
            .gql(
                Some(&w.u),
                "mutation($i: ExpressInterestInput!) { expressInterest(input: $i) { interest { id } } }",
                json!({"i": {"needId": id, "capabilityId": cap, "message": "我们能做"}}),
            )
            .await;
        assert_code(&res, "NOT_FOUND");
        leaks(&res.to_string());

        // "We can do this", blind: the lab accepts its side of the pair.
        let res = app
            .gql(
                Some(&w.u),
                "mutation($id: ID!) { acceptMatch(input: {id: $id}) { match { ...Blind } } }
                 fragment Blind on Match { sealed status need { title } capabilitySide { decision } }",
                json!({"id": m}),
            )
            .await;
        let accepted = &res["data"]["acceptMatch"]["match"];
        assert_eq!(accepted["capabilitySide"]["decision"], "ACCEPTED", "{res}");
        assert_eq!(accepted["sealed"], true);
        leaks(&res.to_string());
        let data = app.gql_ok(Some(&w.a), BLIND, json!({"id": m})).await;
        assert_eq!(data["node"]["sealed"], false);
        assert_eq!(data["node"]["capabilitySide"]["decision"], "ACCEPTED");
        assert!(text(&data["node"]["need"]["title"]).contains(MARK));

        // Another organisation's capability the matching does not rank for
        // the need: no scoring it against the need by the pair's id.
        let data = app
            .gql_ok(
                Some(&w.b),
                crate::fixtures::CREATE_CAPABILITY,
                json!({"input": {"organizationId": w.org_b, "title": "食品发酵工艺 fermentation",
                    "summary": "乳酸菌发酵工艺优化 lactic fermentation", "keywords": ["发酵"],
                    "disciplineCodes": ["520"], "trl": 4}}),
            )
            .await;
        let other = text(&data["createCapability"]["capability"]["id"]);
        app.gql_ok(
            Some(&w.b),
            "mutation($id: ID!) { publishCapability(input: {id: $id}) { capability { id } } }",
            json!({"id": other}),
        )
        .await;
        let pair = |need: &str, capability: &str| {
            use base64::Engine;
            let number = |g: &str| {
                let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(g)
                    .unwrap();
                String::from_utf8(raw)
                    .unwrap()
                    .rsplit(':')
                    .next()
                    .unwrap()
                    .to_owned()
            };
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
                "Match:{}.{}",
                number(need),
                number(capability)
            ))
        };
        let res = app
            .gql(Some(&w.b), BLIND, json!({"id": pair(&id, &other)}))
            .await;
        assert_code(&res, "NOT_FOUND");
        assert_eq!(pair(&id, &cap), m, "the pair's id as the API writes it");

        // Disclosed under the agreement: the lab reads the need on its
        // match, talks with the need's side, and each read is logged.
        let data = app
            .gql_ok(Some(&w.a), OFFER, json!({"need": id, "org": w.org_u}))
            .await;
        let disclosure = text(&data["offerDisclosure"]["disclosure"]["id"]);
        let nda = app.gql_ok(Some(&w.u), NDA, json!({})).await;
        app.gql_ok(
            Some(&w.u),
            ACCEPT,
            json!({"id": disclosure, "nda": text(&nda["nonDisclosureAgreement"]["version"])}),
        )
        .await;
        let data = app.gql_ok(Some(&w.u), BLIND, json!({"id": m})).await;
        let node = &data["node"];
        assert_eq!(node["sealed"], false);
        assert!(text(&node["need"]["description"]).contains(MARK));
        assert!(node["thread"]["id"].is_string(), "{data}");
        assert!(!node["matchedTerms"].as_array().unwrap().is_empty());
        let listed = matching_needs(&app, &w.u, &cap).await;
        let entry = listed.iter().find(|n| n["matchId"] == m.as_str()).unwrap();
        assert_eq!(entry["sealed"], false);
        assert!(text(&entry["need"]["title"]).contains(MARK));
        let reads = read_count(&app, &w.a, &id).await;
        assert!(reads >= 2, "{reads}");
        // The terms and factors quote the need: reading them is a read too,
        // one per match read.
        let data = app
            .gql_ok(
                Some(&w.u),
                "query($id: ID!) { node(id: $id) { ... on Match { matchedTerms factors { name } } } }",
                json!({"id": m}),
            )
            .await;
        assert!(!data["node"]["matchedTerms"].as_array().unwrap().is_empty());
        assert_eq!(read_count(&app, &w.a, &id).await, reads + 1);

        // Revoked: blind again, the conversation the need side's alone.
        app.gql_ok(Some(&w.a), REVOKE, json!({"id": disclosure}))
            .await;
        let res = app.gql(Some(&w.u), BLIND, json!({"id": m})).await;
        assert_eq!(res["data"]["node"]["sealed"], true, "{res}");
        assert_eq!(res["data"]["node"]["need"], Value::Null);
        assert_eq!(res["data"]["node"]["thread"], Value::Null);
        leaks(&res.to_string());
        leaks(&Value::Array(matching_needs(&app, &w.u, &cap).await).to_string());

        // Offered again and accepted again, the need's side accepts the pair
        // and starts a project (titled for the other party); the lab accepts
        // the invitation and both agree: docs/API.md's worked example.
        let data = app
            .gql_ok(Some(&w.a), OFFER, json!({"need": id, "org": w.org_u}))
            .await;
        assert_eq!(data["offerDisclosure"]["disclosure"]["status"], "OFFERED");
        app.gql_ok(
            Some(&w.u),
            ACCEPT,
            json!({"id": disclosure, "nda": text(&nda["nonDisclosureAgreement"]["version"])}),
        )
        .await;
        let data = app
            .gql_ok(
                Some(&w.a),
                "mutation($id: ID!) { acceptMatch(input: {id: $id}) { match { status waitingFor } } }",
                json!({"id": m}),
            )
            .await;
        assert_eq!(data["acceptMatch"]["match"]["status"], "ACCEPTED");
        let res = app
            .gql(
                Some(&w.a),
                "mutation($m: ID!) { createProjectFromMatch(input: {matchId: $m,
                   area: JOINT_RESEARCH_PLATFORM, endDate: \"2027-12-31\"}) { project { id } } }",
                json!({"m": m}),
            )
            .await;
        assert_code(&res, "BAD_USER_INPUT");
        let data = app
            .gql_ok(
                Some(&w.a),
                "mutation($m: ID!) { createProjectFromMatch(input: {matchId: $m, title: \"高速轴承密封联合攻关\",
                   area: JOINT_RESEARCH_PLATFORM, endDate: \"2027-12-31\"}) {
                   project { id status partyConsents { organization { id } consent } } } }",
                json!({"m": m}),
            )
            .await;
        let project = &data["createProjectFromMatch"]["project"];
        assert_eq!(project["status"], "PROPOSED");
        let consent_of = |p: &Value, org: &str| {
            p["partyConsents"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["organization"]["id"] == org)
                .map(|c| text(&c["consent"]))
                .unwrap()
        };
        assert_eq!(consent_of(project, &w.org_u), "INVITED");
        let project = text(&project["id"]);
        let data = app
            .gql_ok(
                Some(&w.u),
                "mutation($id: ID!) { acceptProjectInvitation(input: {id: $id}) {
                   project { partyConsents { organization { id } consent } } } }",
                json!({"id": project}),
            )
            .await;
        assert_eq!(
            consent_of(&data["acceptProjectInvitation"]["project"], &w.org_u),
            "ACCEPTED"
        );
        let agree = "mutation($id: ID!) { agreeProject(input: {id: $id}) { project { status } } }";
        let data = app.gql_ok(Some(&w.a), agree, json!({"id": project})).await;
        assert_eq!(
            data["agreeProject"]["project"]["status"], "PROPOSED",
            "waits for the lab's confirmation"
        );
        let data = app.gql_ok(Some(&w.u), agree, json!({"id": project})).await;
        assert_eq!(data["agreeProject"]["project"]["status"], "AGREED");
    }
);
