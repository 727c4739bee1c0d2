use serde_json::{Value, json};

use crate::common::{self, TestApp};
use crate::fixtures::{CREATE_CAPABILITY, World};

const MATCHES: &str = "query($id: ID!, $filter: MatchFilterInput, $first: Int, $after: String) {
  need(id: $id) { matches(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { id score status matchedTerms declineReason
      capability { id title } factors { name value weight contribution detail } } } } } }";

const DECIDE: &str = "mutation($id: ID!) { M: OP(id: $id) { match { id status score } } }";

pub async fn capability(
    app: &TestApp,
    w: &World,
    title: &str,
    summary: &str,
    keywords: &[&str],
    codes: &[&str],
    trl: i32,
) -> String {
    let data = app
        .gql_ok(
            Some(&w.u),
            CREATE_CAPABILITY,
            json!({"input": {"organizationId": w.org_u, "title": title, "summary": summary,
                "keywords": keywords, "disciplineCodes": codes, "trl": trl}}),
        )
        .await;
    let id = crate::common::text(&data["createCapability"]["capability"]["id"]);
    app.gql_ok(
        Some(&w.u),
        "mutation($id: ID!) { publishCapability(input: {id: $id}) { capability { id } } }",
        json!({"id": id}),
    )
    .await;
    id
}

pub async fn need(
    app: &TestApp,
    w: &World,
    title: &str,
    description: &str,
    keywords: &[&str],
    visibility: &str,
) -> String {
    let data = app
        .gql_ok(
            Some(&w.a),
            crate::fixtures::CREATE_NEED,
            json!({"input": {"organizationId": w.org_a, "title": title, "description": description,
                "keywords": keywords, "disciplineCodes": ["460"], "trlRequired": 5, "visibility": visibility}}),
        )
        .await;
    let id = crate::common::text(&data["createNeed"]["need"]["id"]);
    app.gql_ok(
        Some(&w.a),
        "mutation($id: ID!) { publishNeed(input: {id: $id}) { need { id } } }",
        json!({"id": id}),
    )
    .await;
    id
}

fn titles(data: &Value) -> Vec<String> {
    data["need"]["matches"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| crate::common::text(&e["node"]["capability"]["title"]))
        .collect()
}

async fn decide(app: &TestApp, token: &str, op: &str, id: &str) -> Value {
    app.gql(Some(token), &DECIDE.replace("OP", op), json!({"id": id}))
        .await
}

e2e!(
    needs_find_capabilities_across_languages_with_explanations,
    |app| async move {
        let w = World::new(&app).await;
        let bearing = capability(
        &app,
        &w,
        "Rolling bearing fault diagnosis from vibration signals",
        "Deep convolutional networks on vibration spectra detect inner and outer race faults with 98.7% accuracy.",
        &["fault diagnosis", "故障诊断", "rolling bearing", "轴承", "vibration", "振动"],
        &["46020"],
        6,
    )
    .await;
        capability(
            &app,
            &w,
            "激光熔覆修复轴类零件",
            "采用同轴送粉激光熔覆修复磨损轴颈，结合强度高。",
            &["laser cladding", "激光熔覆"],
            &["430"],
            5,
        )
        .await;
        capability(
            &app,
            &w,
            "Vocational curriculum for CNC technicians",
            "Modular training programme.",
            &["training", "数控"],
            &["880"],
            7,
        )
        .await;

        let need_id = need(
            &app,
            &w,
            "大型电机轴承早期故障预警",
            "利用振动数据实现轴承故障诊断，提前两周预警。",
            &["轴承", "故障诊断"],
            "PUBLIC",
        )
        .await;
        let data = app
            .gql_ok(Some(&w.a), MATCHES, json!({"id": need_id}))
            .await;
        let t = titles(&data);
        assert_eq!(
            t[0], "Rolling bearing fault diagnosis from vibration signals",
            "{data}"
        );
        assert!(
            !t.contains(&"Vocational curriculum for CNC technicians".to_owned()),
            "no shared term, no suggestion"
        );
        let best = &data["need"]["matches"]["edges"][0]["node"];
        assert_eq!(best["status"], "SUGGESTED");
        assert_eq!(best["capability"]["id"], bearing.as_str());
        let terms: Vec<&str> = best["matchedTerms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(
            terms.contains(&"轴承") && terms.contains(&"故障诊断"),
            "{terms:?}"
        );
        let factors = best["factors"].as_array().unwrap();
        let names: Vec<&str> = factors
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "text",
                "discipline",
                "keywords",
                "trl",
                "cooperationMode",
                "region",
                "trackRecord"
            ]
        );
        let sum: f64 = factors
            .iter()
            .map(|f| f["contribution"].as_f64().unwrap())
            .sum();
        assert!(
            (sum - best["score"].as_f64().unwrap()).abs() < 1e-6,
            "contributions add up to the score"
        );
        let discipline = factors.iter().find(|f| f["name"] == "discipline").unwrap();
        assert_eq!(
            discipline["value"], 0.8,
            "460 is the parent of 46020: {discipline}"
        );
        let trl = factors.iter().find(|f| f["name"] == "trl").unwrap();
        assert_eq!(trl["value"], 1.0);

        // The other way round: an English need finds a Chinese capability through its bilingual keywords.
        let en = need(
            &app,
            &w,
            "Laser cladding repair of worn shafts",
            "Restore journals of pump shafts.",
            &[],
            "PUBLIC",
        )
        .await;
        let data = app.gql_ok(Some(&w.a), MATCHES, json!({"id": en})).await;
        assert_eq!(titles(&data)[0], "激光熔覆修复轴类零件");

        // Filters and paging.
        let data = app
            .gql_ok(
                Some(&w.a),
                MATCHES,
                json!({"id": need_id, "filter": {"minScore": 0.99}}),
            )
            .await;
        assert!(
            data["need"]["matches"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e["node"]["score"].as_f64().unwrap() >= 0.99)
        );
        let data = app
            .gql_ok(
                Some(&w.a),
                MATCHES,
                json!({"id": need_id, "filter": {"disciplineCode": "430"}}),
            )
            .await;
        assert!(
            titles(&data).iter().all(|t| t == "激光熔覆修复轴类零件"),
            "{data}"
        );
        let p1 = app
            .gql_ok(Some(&w.a), MATCHES, json!({"id": need_id, "first": 1}))
            .await;
        if p1["need"]["matches"]["totalCount"].as_u64().unwrap() > 1 {
            assert_eq!(p1["need"]["matches"]["pageInfo"]["hasNextPage"], true);
            let p2 = app
            .gql_ok(Some(&w.a), MATCHES, json!({"id": need_id, "first": 1, "after": p1["need"]["matches"]["pageInfo"]["endCursor"]}))
            .await;
            assert_ne!(titles(&p1), titles(&p2));
        }
        app.gql_err(
            Some(&w.a),
            MATCHES,
            json!({"id": need_id, "filter": {"minScore": 2}}),
            "BAD_USER_INPUT",
        )
        .await;

        // Other organisations do not see a need's suggestions.
        app.gql_err(Some(&w.b), MATCHES, json!({"id": need_id}), "FORBIDDEN")
            .await;
    }
);

e2e!(
    match_life_cycle_and_declines_are_remembered,
    |app| async move {
        let w = World::new(&app).await;
        capability(
            &app,
            &w,
            "Weld seam inspection with machine vision 焊缝视觉检测",
            "Line lasers and CNNs find porosity.",
            &["焊缝", "weld seam", "machine vision"],
            &["46020"],
            6,
        )
        .await;
        capability(
            &app,
            &w,
            "Ultrasonic phased array weld testing 焊缝超声检测",
            "PAUT for thick welds.",
            &["焊缝", "ultrasonic"],
            &["46020"],
            7,
        )
        .await;
        let need_id = need(
            &app,
            &w,
            "焊缝质量在线检测 weld seam inspection",
            "Robotic welding line, 3 shifts.",
            &["焊缝"],
            "PUBLIC",
        )
        .await;
        let data = app
            .gql_ok(Some(&w.a), MATCHES, json!({"id": need_id}))
            .await;
        let edges = data["need"]["matches"]["edges"].as_array().unwrap().clone();
        assert_eq!(edges.len(), 2, "{data}");
        let first = crate::common::text(&edges[0]["node"]["id"]);
        let second = crate::common::text(&edges[1]["node"]["id"]);

        let res = decide(&app, &w.a, "shortlistMatch", &first).await;
        assert_eq!(res["data"]["M"]["match"]["status"], "SHORTLISTED", "{res}");
        let res = decide(&app, &w.a, "contactMatch", &first).await;
        assert_eq!(res["data"]["M"]["match"]["status"], "CONTACTED");
        let res = decide(&app, &w.a, "acceptMatch", &first).await;
        assert_eq!(res["data"]["M"]["match"]["status"], "ACCEPTED");
        let res = decide(&app, &w.a, "shortlistMatch", &first).await;
        common::assert_code(&res, "BAD_USER_INPUT");
        assert!(crate::common::error_message(&res).contains("ACCEPTED"));

        // Only the need's side decides.
        let res = decide(&app, &w.b, "shortlistMatch", &second).await;
        common::assert_code(&res, "FORBIDDEN");
        let res = decide(&app, &w.u, "shortlistMatch", &second).await;
        common::assert_code(&res, "FORBIDDEN");

        let decline = "mutation($id: ID!, $r: DeclineReasonInput!) { declineMatch(id: $id, reason: $r) { match { status declineReason } } }";
        let res = app
            .gql(
                Some(&w.a),
                decline,
                json!({"id": second, "r": {"code": "TOO_EARLY_STAGE", "comment": "需要TRL 7"}}),
            )
            .await;
        assert_eq!(
            res["data"]["declineMatch"]["match"]["declineReason"], "TOO_EARLY_STAGE",
            "{res}"
        );
        let data = app
            .gql_ok(Some(&w.a), MATCHES, json!({"id": need_id}))
            .await;
        let left: Vec<&str> = data["need"]["matches"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            left,
            [first.as_str()],
            "a declined pair is never suggested again, the accepted one keeps its status"
        );
        assert_eq!(
            data["need"]["matches"]["edges"][0]["node"]["status"],
            "ACCEPTED"
        );
        let node = app
            .gql_ok(
                Some(&w.a),
                "query($id: ID!) { node(id: $id) { ... on Match { status declineReason } } }",
                json!({"id": second}),
            )
            .await;
        assert_eq!(node["node"]["status"], "DECLINED");
        let res = decide(&app, &w.a, "shortlistMatch", &second).await;
        common::assert_code(&res, "BAD_USER_INPUT");

        for bad in ["bm9wZQ", "TWF0Y2g6MS4", &w.org_a] {
            let res = decide(&app, &w.a, "shortlistMatch", bad).await;
            common::assert_code_why(&res, "BAD_USER_INPUT", bad);
        }
    }
);

e2e!(
    index_is_fresh_and_visibility_holds_both_ways,
    |app| async move {
        let w = World::new(&app).await;
        let public = need(
            &app,
            &w,
            "Servo motor vibration suppression 伺服电机振动抑制",
            "Packaging line.",
            &["伺服", "vibration"],
            "PUBLIC",
        )
        .await;
        need(
            &app,
            &w,
            "保密：伺服电机新型号振动问题 servo vibration",
            "Confidential programme.",
            &["伺服"],
            "CONFIDENTIAL",
        )
        .await;
        let data = app.gql_ok(Some(&w.a), MATCHES, json!({"id": public})).await;
        assert_eq!(data["need"]["matches"]["totalCount"], 0);

        // A capability published now is matchable at once.
        let cap = capability(
            &app,
            &w,
            "伺服系统振动抑制 servo vibration suppression",
            "Notch filters and observers.",
            &["伺服", "vibration suppression"],
            &["470"],
            6,
        )
        .await;
        let data = app.gql_ok(Some(&w.a), MATCHES, json!({"id": public})).await;
        assert_eq!(data["need"]["matches"]["totalCount"], 1, "{data}");

        // The university sees the public need it fits, never the confidential one.
        let q = "query($id: ID!) { capability(id: $id) { matchingNeeds(first: 10) { totalCount edges { node { score need { title } } } } } }";
        let data = app.gql_ok(Some(&w.u), q, json!({"id": cap})).await;
        assert_eq!(
            data["capability"]["matchingNeeds"]["totalCount"], 1,
            "{data}"
        );
        assert!(
            !data.to_string().contains("保密"),
            "confidential text leaked: {data}"
        );
        let data = app.gql_ok(Some(&w.admin), q, json!({"id": cap})).await;
        assert_eq!(
            data["capability"]["matchingNeeds"]["totalCount"], 2,
            "coordinators see both"
        );
        app.gql_err(Some(&w.b), q, json!({"id": cap}), "FORBIDDEN")
            .await;

        // Archived capabilities leave the suggestions at once.
        app.gql_ok(
            Some(&w.u),
            "mutation($id: ID!) { archiveCapability(input: {id: $id}) { capability { id } } }",
            json!({"id": cap}),
        )
        .await;
        let data = app.gql_ok(Some(&w.a), MATCHES, json!({"id": public})).await;
        assert_eq!(data["need"]["matches"]["totalCount"], 0);

        // Talents for a need.
        app.gql_ok(
        Some(&w.u),
        "mutation($i: UpsertTalentProfileInput!) { upsertTalentProfile(input: $i) { talent { id } } }",
        json!({"i": {"organizationId": w.org_u, "name": "李强 Li Qiang", "bio": "伺服控制与振动抑制 servo control", "keywords": ["伺服"], "availability": ["CONSULTING"]}}),
    )
    .await;
        let q = "query($id: ID!) { need(id: $id) { matchingTalents(first: 5) { edges { node { score matchedTerms talent { name } } } } } }";
        let data = app.gql_ok(Some(&w.a), q, json!({"id": public})).await;
        assert_eq!(
            data["need"]["matchingTalents"]["edges"][0]["node"]["talent"]["name"], "李强 Li Qiang",
            "{data}"
        );
    }
);

e2e!(
    search_finds_visible_objects_with_snippets,
    |app| async move {
        let w = World::new(&app).await;
        capability(
            &app,
            &w,
            "激光熔覆修复轴类零件 laser cladding",
            "采用同轴送粉激光熔覆修复磨损轴颈。",
            &["激光熔覆"],
            &["430"],
            5,
        )
        .await;
        need(
            &app,
            &w,
            "激光熔覆再制造评价",
            "液压支架立柱激光熔覆层评价。",
            &["激光熔覆"],
            "PUBLIC",
        )
        .await;
        need(
            &app,
            &w,
            "保密激光熔覆项目",
            "内部项目。",
            &["激光熔覆"],
            "CONFIDENTIAL",
        )
        .await;
        let q = "query($q: String!, $t: [SearchType!]) { search(query: $q, types: $t, first: 10) { score snippet matchedTerms
        node { __typename ... on Need { title } ... on Capability { title } } } }";
        let data = app.gql_ok(None, q, json!({"q": "激光熔覆"})).await;
        let hits = data["search"].as_array().unwrap();
        assert_eq!(hits.len(), 2, "{data}");
        assert!(
            !data.to_string().contains("保密"),
            "confidential needs are not found by others"
        );
        assert!(
            hits.iter()
                .all(|h| h["snippet"].as_str().unwrap().contains("<b>")),
            "{data}"
        );
        let data = app
            .gql_ok(Some(&w.a), q, json!({"q": "激光熔覆", "t": ["NEED"]}))
            .await;
        assert_eq!(
            data["search"].as_array().unwrap().len(),
            2,
            "the owner finds its confidential need: {data}"
        );
        app.gql_err(None, q, json!({"q": "  "}), "BAD_USER_INPUT")
            .await;
    }
);

e2e!(
    kept_rankings_follow_every_change_behind_them,
    |app| async move {
        let w = World::new(&app).await;
        let first = capability(
            &app,
            &w,
            "轴承故障诊断 bearing fault diagnosis",
            "振动信号分析 vibration analysis of rolling bearings",
            &["轴承", "bearing"],
            &["460"],
            6,
        )
        .await;
        let need = need(
            &app,
            &w,
            "电机轴承故障预警",
            "rolling bearing vibration monitoring 轴承",
            &["轴承", "bearing"],
            "PUBLIC",
        )
        .await;
        let ask = || async {
            app.gql_ok(Some(&w.a), MATCHES, json!({"id": need, "first": 10}))
                .await
        };
        let before = ask().await;
        assert_eq!(titles(&before), ["轴承故障诊断 bearing fault diagnosis"]);
        // Asked again: the same answer (now from the kept ranking).
        assert_eq!(ask().await, before);

        // A capability published since shows at the next request.
        let second = capability(
            &app,
            &w,
            "Bearing vibration diagnostics 轴承",
            "bearing fault vibration 轴承 diagnosis",
            &["bearing"],
            &["460"],
            6,
        )
        .await;
        let data = ask().await;
        assert_eq!(titles(&data).len(), 2, "{data}");

        // A decline shows at once, and so does an archived capability.
        let match_of = |data: &Value, capability: &str| {
            data["need"]["matches"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["node"]["capability"]["id"] == capability)
                .map(|e| crate::common::text(&e["node"]["id"]))
        };
        let second_match = match_of(&data, &second).expect("second is suggested");
        app.gql_ok(
            Some(&w.a),
            "mutation($id: ID!, $r: DeclineReasonInput!) { declineMatch(id: $id, reason: $r) { match { status } } }",
            json!({"id": second_match, "r": {"code": "TOO_EARLY_STAGE"}}),
        )
        .await;
        let data = ask().await;
        assert_eq!(
            titles(&data),
            ["轴承故障诊断 bearing fault diagnosis"],
            "{data}"
        );
        app.gql_ok(
            Some(&w.u),
            "mutation($id: ID!) { archiveCapability(input: {id: $id}) { capability { id } } }",
            json!({"id": first}),
        )
        .await;
        let data = ask().await;
        assert_eq!(data["need"]["matches"]["totalCount"], 0, "{data}");

        // An edited need is ranked afresh: its new text finds nothing.
        app.gql_ok(
            Some(&w.a),
            "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { version } } }",
            json!({"input": {"id": need, "title": "激光熔覆", "description": "laser cladding", "keywords": ["cladding"]}}),
        )
        .await;
        let data = ask().await;
        assert_eq!(data["need"]["matches"]["totalCount"], 0, "{data}");
    }
);
