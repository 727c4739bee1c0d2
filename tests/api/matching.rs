use serde_json::{Value, json};

use crate::common::{self, TestApp};
use crate::fixtures::{CREATE_CAPABILITY, World};

const MATCHES: &str = "query($id: ID!, $filter: MatchFilterInput, $first: Int, $after: String) {
  need(id: $id) { matches(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { id score status matchedTerms declineReason
      capability { id title } factors { name value weight contribution detail terms
        disciplines { need { code nameEn } candidate { code nameEn } credit } } } } } } }";

const DECIDE: &str = "mutation($id: ID!) { M: OP(input: {id: $id}) { match { id status score } } }";

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
        assert!(
            terms.iter().all(|t| t.chars().count() > 1),
            "no single characters: {terms:?}"
        );
        let factors = best["factors"].as_array().unwrap();
        let names: Vec<&str> = factors
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "TEXT_RELEVANCE",
                "DISCIPLINES",
                "KEYWORDS",
                "TRL_FIT",
                "COOPERATION_MODES",
                "REGION",
                "TRACK_RECORD"
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
        let discipline = factors.iter().find(|f| f["name"] == "DISCIPLINES").unwrap();
        assert_eq!(
            discipline["value"], 0.8,
            "460 is the parent of 46020: {discipline}"
        );
        // Disciplines by name, in words and structured.
        let detail = discipline["detail"].as_str().unwrap();
        assert!(
            detail.contains("Mechanical engineering (机械工程)")
                && detail.contains("Mechanical design (机械设计)"),
            "{detail}"
        );
        assert!(!detail.contains("460"), "no codes in the words: {detail}");
        // The words in Chinese when the reader asks for Chinese, over
        // GraphQL and REST.
        let zh = app
            .gql_in(Some(&w.a), "zh-CN", MATCHES, json!({"id": need_id}))
            .await;
        let zh_best = &zh["data"]["need"]["matches"]["edges"][0]["node"];
        assert_eq!(zh_best["id"], best["id"], "{zh}");
        let zh_detail = |name: &str| -> String {
            zh_best["factors"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["name"] == name)
                .map(|f| common::text(&f["detail"]))
                .unwrap()
        };
        assert_eq!(zh_detail("DISCIPLINES"), "共同学科：机械工程 ~ 机械设计");
        let shared_zh = zh_detail("KEYWORDS");
        assert!(
            shared_zh.starts_with("共同关键词：") && shared_zh.contains("轴承、"),
            "{shared_zh}"
        );
        assert!(zh_detail("TEXT_RELEVANCE").starts_with("匹配到："));
        let trl_zh = zh_detail("TRL_FIT");
        assert!(trl_zh.starts_with("技术成熟度 "), "{trl_zh}");
        for name in ["TRL_FIT", "COOPERATION_MODES", "REGION", "TRACK_RECORD"] {
            let text = zh_detail(name);
            assert!(
                !text.chars().any(|c| c.is_ascii_alphabetic()),
                "{name} in Chinese: {text}"
            );
        }
        let rest: Value = app
            .client
            .get(app.url(&format!("/api/v1/needs/{need_id}/matches?first=1")))
            .bearer_auth(&w.a)
            .header("accept-language", "zh-CN")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let rest_disciplines = rest["items"][0]["factors"]
            .as_array()
            .unwrap_or_else(|| panic!("{rest}"))
            .iter()
            .find(|f| f["name"] == "DISCIPLINES")
            .map(|f| common::text(&f["detail"]))
            .unwrap();
        assert_eq!(rest_disciplines, "共同学科：机械工程 ~ 机械设计");
        assert_eq!(
            discipline["disciplines"],
            json!([{"need": {"code": "460", "nameEn": "Mechanical engineering"},
                    "candidate": {"code": "46020", "nameEn": "Mechanical design"}, "credit": 0.8}]),
        );
        let keywords = factors.iter().find(|f| f["name"] == "KEYWORDS").unwrap();
        let shared: Vec<&str> = keywords["terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(
            shared.contains(&"轴承") && shared.contains(&"故障诊断"),
            "{keywords}"
        );
        let text = factors
            .iter()
            .find(|f| f["name"] == "TEXT_RELEVANCE")
            .unwrap();
        assert_eq!(text["terms"], best["matchedTerms"], "{text}");
        let trl = factors.iter().find(|f| f["name"] == "TRL_FIT").unwrap();
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
        // The need's side accepts; ACCEPTED once the capability's side does.
        let res = decide(&app, &w.a, "acceptMatch", &first).await;
        assert_eq!(res["data"]["M"]["match"]["status"], "CONTACTED");
        let res = decide(&app, &w.u, "acceptMatch", &first).await;
        assert_eq!(res["data"]["M"]["match"]["status"], "ACCEPTED");
        let res = decide(&app, &w.a, "shortlistMatch", &first).await;
        common::assert_code(&res, "BAD_USER_INPUT");
        assert!(crate::common::error_message(&res).contains("ACCEPTED"));

        // Only the need's side shortlists; a stranger does not see the pair.
        let res = decide(&app, &w.b, "shortlistMatch", &second).await;
        common::assert_code(&res, "NOT_FOUND");
        let res = decide(&app, &w.u, "shortlistMatch", &second).await;
        common::assert_code(&res, "BAD_USER_INPUT");

        let decline = "mutation($i: DeclineMatchInput!) { declineMatch(input: $i) { match { status declineReason } } }";
        let res = app
            .gql(
                Some(&w.a),
                decline,
                json!({"i": {"id": second, "reason": "TOO_EARLY_STAGE", "comment": "需要TRL 7"}}),
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
        let q = "query($q: String!, $t: [SearchType!]) { search(query: $q, types: $t, first: 10) { edges { score snippet matchedTerms
        node { __typename ... on Need { title } ... on Capability { title } } } } }";
        let data = app.gql_ok(None, q, json!({"q": "激光熔覆"})).await;
        let hits = data["search"]["edges"].as_array().unwrap();
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
            data["search"]["edges"].as_array().unwrap().len(),
            2,
            "the owner finds its confidential need: {data}"
        );
        app.gql_err(None, q, json!({"q": "  "}), "BAD_USER_INPUT")
            .await;

        // A connection: counted, paged with cursors bound to the query.
        let paged = "query($q: String!, $first: Int, $after: String) { search(query: $q, first: $first, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } edges { cursor score snippet node { ... on Need { title } ... on Capability { title } } } } }";
        let p1 = app
            .gql_ok(None, paged, json!({"q": "激光熔覆", "first": 1}))
            .await;
        assert_eq!(p1["search"]["totalCount"], 2, "{p1}");
        assert_eq!(p1["search"]["pageInfo"]["hasNextPage"], true);
        let after = p1["search"]["pageInfo"]["endCursor"].clone();
        let p2 = app
            .gql_ok(
                None,
                paged,
                json!({"q": "激光熔覆", "first": 1, "after": after}),
            )
            .await;
        assert_eq!(p2["search"]["pageInfo"]["hasNextPage"], false, "{p2}");
        let (a, b) = (&p1["search"]["edges"][0], &p2["search"]["edges"][0]);
        assert_ne!(a["node"], b["node"]);
        assert!(a["score"].as_f64() >= b["score"].as_f64(), "best first");
        app.gql_err(
            None,
            paged,
            json!({"q": "熔覆", "first": 1, "after": after}),
            "BAD_USER_INPUT",
        )
        .await;

        // A hit found only through a keyword shows the keywords, highlighted.
        capability(
            &app,
            &w,
            "陶瓷固化体 ceramic waste forms",
            "Immobilisation of actinides in titanate ceramics.",
            &["zirconolite", "锆石"],
            &["430"],
            5,
        )
        .await;
        let data = app.gql_ok(None, paged, json!({"q": "zirconolite"})).await;
        assert_eq!(data["search"]["totalCount"], 1, "{data}");
        let snippet = data["search"]["edges"][0]["snippet"].as_str().unwrap();
        assert!(snippet.contains("<b>zirconolite</b>"), "{snippet}");
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
            "mutation($i: DeclineMatchInput!) { declineMatch(input: $i) { match { status } } }",
            json!({"i": {"id": second_match, "reason": "TOO_EARLY_STAGE"}}),
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

/// The `matchedTerms` of every match of `data`'s need, by capability title.
fn terms_by_title(data: &Value) -> Vec<(String, Vec<String>)> {
    data["need"]["matches"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let terms = e["node"]["matchedTerms"]
                .as_array()
                .unwrap()
                .iter()
                .map(crate::common::text)
                .collect();
            (
                crate::common::text(&e["node"]["capability"]["title"]),
                terms,
            )
        })
        .collect()
}

/// Whether a matched term is noise: a bare number or one character.
fn noise(term: &str) -> bool {
    term.chars().count() < 2 || term.chars().all(|c| c.is_numeric() || c == '.')
}

e2e!(matched_terms_are_the_words_as_written, |app| async move {
    let w = World::new(&app).await;
    capability(
        &app,
        &w,
        "Condition monitoring of wind turbines",
        "Vibration sensors on bearings and gearboxes; diagnosis models for 10 turbines.",
        &["bearings", "diagnosis"],
        &["46020"],
        6,
    )
    .await;
    capability(
        &app,
        &w,
        "风电机组轴承故障诊断",
        "为10台风机的主轴承提供一个故障诊断模型。",
        &["轴承", "故障诊断"],
        &["46020"],
        6,
    )
    .await;
    let en = need(
        &app,
        &w,
        "Bearing diagnosis for turbine fleets",
        "We run 10 turbines and want bearing fault diagnosis.",
        &["bearing"],
        "PUBLIC",
    )
    .await;
    let data = app.gql_ok(Some(&w.a), MATCHES, json!({"id": en})).await;
    let found = terms_by_title(&data);
    let (_, terms) = found
        .iter()
        .find(|(t, _)| t == "Condition monitoring of wind turbines")
        .unwrap_or_else(|| panic!("{data}"));
    for word in ["turbines", "bearings", "diagnosis"] {
        assert!(terms.iter().any(|t| t == word), "{word} in {terms:?}");
    }
    for stem in ["turbin", "bear", "diagnosi", "10"] {
        assert!(!terms.iter().any(|t| t == stem), "{stem} in {terms:?}");
    }

    let zh = need(
        &app,
        &w,
        "主轴承故障诊断",
        "风场有10个机组，需要一个轴承故障诊断方案。",
        &["轴承"],
        "PUBLIC",
    )
    .await;
    let data = app.gql_ok(Some(&w.a), MATCHES, json!({"id": zh})).await;
    let found = terms_by_title(&data);
    let (_, terms) = found
        .iter()
        .find(|(t, _)| t == "风电机组轴承故障诊断")
        .unwrap_or_else(|| panic!("{data}"));
    assert!(
        terms.iter().any(|t| t == "轴承") && terms.iter().any(|t| t == "故障诊断"),
        "{terms:?}"
    );
    for (_, terms) in &found {
        assert!(!terms.iter().any(|t| noise(t)), "noise in {terms:?}");
        assert!(
            !(terms.iter().any(|t| t == "故障") && terms.iter().any(|t| t == "故障诊断")),
            "a word inside a longer one is shown once: {terms:?}"
        );
    }

    // Search shows the words of the object found, not the query's stems.
    let q = "query($q: String!) { search(query: $q, types: [CAPABILITY]) { edges { matchedTerms node { ... on Capability { title } } } } }";
    let data = app
        .gql_ok(Some(&w.a), q, json!({"q": "turbine bearing 10"}))
        .await;
    let hit = data["search"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["title"] == "Condition monitoring of wind turbines")
        .unwrap_or_else(|| panic!("{data}"));
    assert_eq!(
        hit["matchedTerms"],
        json!(["turbines", "bearings"]),
        "{data}"
    );
});

const MATCH_PAGE: &str = "query($id: ID!, $status: [MatchStatus!], $first: Int, $after: String) {
  need(id: $id) { matches(first: $first, after: $after, filter: {status: $status}) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id status capability { title } } } } } }";

e2e!(
    matches_filter_by_status_and_page_under_the_filter,
    |app| async move {
        let w = World::new(&app).await;
        for n in 1..=4 {
            capability(
                &app,
                &w,
                &format!("Gear noise diagnosis {n} 齿轮噪声诊断"),
                "Gearbox acoustic testing.",
                &["gear noise", "齿轮"],
                &["46020"],
                6,
            )
            .await;
        }
        let need_id = need(
            &app,
            &w,
            "齿轮箱噪声诊断 gear noise diagnosis",
            "Gearbox noise on the test bench.",
            &["齿轮"],
            "PUBLIC",
        )
        .await;
        let list = |status: Value, first: i64, after: Value| {
            let (app, a, need_id) = (&app, w.a.clone(), need_id.clone());
            async move {
                app.gql_ok(
                    Some(&a),
                    MATCH_PAGE,
                    json!({"id": need_id, "status": status, "first": first, "after": after}),
                )
                .await["need"]["matches"]
                    .clone()
            }
        };
        let all = list(Value::Null, 10, Value::Null).await;
        assert_eq!(all["totalCount"], 4, "{all}");
        let ids: Vec<String> = all["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| crate::common::text(&e["node"]["id"]))
            .collect();
        decide(&app, &w.a, "shortlistMatch", &ids[0]).await;
        decide(&app, &w.a, "contactMatch", &ids[1]).await;
        app.gql_ok(
        Some(&w.a),
        "mutation($id: ID!) { declineMatch(input: {id: $id, reason: OFF_TOPIC}) { match { status } } }",
        json!({"id": ids[2]}),
    )
    .await;

        let statuses = |page: &Value| -> Vec<String> {
            page["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| crate::common::text(&e["node"]["status"]))
                .collect()
        };
        let page = list(json!(["SHORTLISTED"]), 10, Value::Null).await;
        assert_eq!(
            (page["totalCount"].clone(), statuses(&page)),
            (json!(1), vec!["SHORTLISTED".to_owned()])
        );
        let page = list(json!(["DECLINED"]), 10, Value::Null).await;
        assert_eq!(
            statuses(&page),
            ["DECLINED"],
            "declined pairs when asked for"
        );
        assert_eq!(page["edges"][0]["node"]["id"], ids[2].as_str());
        let page = list(json!(["SUGGESTED"]), 10, Value::Null).await;
        assert_eq!(statuses(&page), ["SUGGESTED"]);
        let page = list(Value::Null, 10, Value::Null).await;
        assert_eq!(
            page["totalCount"], 3,
            "no filter: every pair but the declined one"
        );

        // Paging under a filter: the count and the pages are the filter's.
        let open = json!(["SUGGESTED", "SHORTLISTED", "CONTACTED"]);
        let p1 = list(open.clone(), 2, Value::Null).await;
        assert_eq!(p1["totalCount"], 3, "{p1}");
        assert_eq!(p1["pageInfo"]["hasNextPage"], true);
        let p2 = list(open.clone(), 2, p1["pageInfo"]["endCursor"].clone()).await;
        assert_eq!(p2["edges"].as_array().unwrap().len(), 1, "{p2}");
        assert_eq!(p2["pageInfo"]["hasNextPage"], false);
        let mut seen: Vec<String> = statuses(&p1);
        seen.extend(statuses(&p2));
        seen.sort();
        assert_eq!(seen, ["CONTACTED", "SHORTLISTED", "SUGGESTED"]);
        // A cursor of one filter is refused by another.
        app.gql_err(
        Some(&w.a),
        MATCH_PAGE,
        json!({"id": need_id, "status": ["SUGGESTED"], "first": 2, "after": p1["pageInfo"]["endCursor"]}),
        "BAD_USER_INPUT",
    )
    .await;
        app.gql_err(
            Some(&w.a),
            MATCH_PAGE,
            json!({"id": need_id, "status": ["NOT_A_STATUS"]}),
            "BAD_USER_INPUT",
        )
        .await;
    }
);

const FLAGS: &str =
    "viewerCanShortlist viewerCanContact viewerCanAccept viewerCanDecline viewerActions";

/// The four actions: (mutation, `viewerCan…` flag, `MatchAction`, status after).
const ACTIONS: [(&str, &str, &str, &str); 4] = [
    (
        "shortlistMatch",
        "viewerCanShortlist",
        "SHORTLIST",
        "SHORTLISTED",
    ),
    ("contactMatch", "viewerCanContact", "CONTACT", "CONTACTED"),
    ("acceptMatch", "viewerCanAccept", "ACCEPT", "ACCEPTED"),
    ("declineMatch", "viewerCanDecline", "DECLINE", "DECLINED"),
];

async fn act(app: &TestApp, token: &str, op: &str, id: &str) -> Value {
    let input = if op == "declineMatch" {
        "{id: $id, reason: OTHER}"
    } else {
        "{id: $id}"
    };
    app.gql(
        Some(token),
        &format!("mutation($id: ID!) {{ M: {op}(input: {input}) {{ match {{ status }} }} }}"),
        json!({"id": id}),
    )
    .await
}

e2e!(
    viewer_can_is_true_exactly_when_the_mutation_succeeds,
    |app| async move {
        let w = World::new(&app).await;
        let statuses = [
            "SUGGESTED",
            "SHORTLISTED",
            "CONTACTED",
            "ACCEPTED",
            "DECLINED",
        ];
        // One capability per (status, action): each action is tried once, on
        // a pair in that status.
        let mut caps = Vec::new();
        for status in statuses {
            for (op, ..) in ACTIONS {
                let title = format!("Spindle thermal drift compensation {status} {op}");
                let id = capability(
                    &app,
                    &w,
                    &title,
                    "Thermal error models for machine tool spindles 主轴热误差补偿.",
                    &["spindle", "主轴"],
                    &["46020"],
                    6,
                )
                .await;
                caps.push((status, op, id));
            }
        }
        let need_id = need(
            &app,
            &w,
            "主轴热误差补偿 spindle thermal drift compensation",
            "Machine tool spindles drift when warm.",
            &["主轴", "spindle"],
            "PUBLIC",
        )
        .await;
        let every = json!(statuses);
        let q = format!(
        "query($id: ID!, $s: [MatchStatus!]) {{ need(id: $id) {{ matches(first: 50, filter: {{status: $s}}) {{
           edges {{ node {{ id status capability {{ id }} {FLAGS} }} }} }} }} }}"
    );
        let read = |token: String| {
            let (app, q, need_id, every) = (&app, q.clone(), need_id.clone(), every.clone());
            async move {
                let data = app
                    .gql_ok(Some(&token), &q, json!({"id": need_id, "s": every}))
                    .await;
                data["need"]["matches"]["edges"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| {
                        (
                            crate::common::text(&e["node"]["capability"]["id"]),
                            e["node"].clone(),
                        )
                    })
                    .collect::<std::collections::HashMap<String, Value>>()
            }
        };
        let suggested = read(w.a.clone()).await;
        assert_eq!(suggested.len(), caps.len(), "every capability is suggested");
        // Bring each pair to its status.
        for (status, _, cap) in &caps {
            let id = crate::common::text(&suggested[cap]["id"]);
            let path: &[(&str, &str)] = match *status {
                "SHORTLISTED" => &[("a", "shortlistMatch")],
                "CONTACTED" => &[("a", "contactMatch")],
                "ACCEPTED" => &[
                    ("a", "shortlistMatch"),
                    ("a", "acceptMatch"),
                    ("u", "acceptMatch"),
                ],
                "DECLINED" => &[("a", "declineMatch")],
                _ => &[],
            };
            for (who, op) in path {
                let token = if *who == "a" { &w.a } else { &w.u };
                let res = act(&app, token, op, &id).await;
                assert!(res.get("errors").is_none(), "{res}");
            }
        }
        let of_a = read(w.a.clone()).await;
        let of_admin = read(w.admin.clone()).await;
        let faculty_q = format!(
            "query($id: ID!) {{ capability(id: $id) {{ matchingNeeds(first: 10) {{ edges {{ node {{ matchId status {FLAGS} }} }} }} }} }}"
        );
        for (i, (status, op, cap)) in caps.iter().enumerate() {
            let m = &of_a[cap];
            assert_eq!(m["status"], *status, "{m}");
            let id = crate::common::text(&m["id"]);
            let (_, flag, action, after) = ACTIONS.iter().find(|a| a.0 == *op).unwrap();
            // Both deciders see the same flags; viewerActions lists the true ones.
            for key in [
                "viewerCanShortlist",
                "viewerCanContact",
                "viewerCanAccept",
                "viewerCanDecline",
                "viewerActions",
            ] {
                assert_eq!(m[key], of_admin[cap][key], "{status} {key}");
            }
            let listed: Vec<&str> = ACTIONS
                .iter()
                .filter(|a| m[a.1] == true)
                .map(|a| a.2)
                .collect();
            assert_eq!(m["viewerActions"], json!(listed), "{status}");

            // The capability's side sees the pair (not a declined one): it
            // accepts or declines an open pair, never takes the need side's
            // steps; the mutations agree.
            let data = app.gql_ok(Some(&w.u), &faculty_q, json!({"id": cap})).await;
            let edges = data["capability"]["matchingNeeds"]["edges"]
                .as_array()
                .unwrap()
                .clone();
            if *status == "DECLINED" {
                assert!(edges.is_empty(), "{data}");
            } else {
                assert_eq!(edges.len(), 1, "{data}");
                let n = &edges[0]["node"];
                assert_eq!(
                    (n["matchId"].clone(), n["status"].clone()),
                    (json!(id), json!(status))
                );
                let open = *status != "ACCEPTED";
                let lab_acts = *op == "acceptMatch" || *op == "declineMatch";
                assert_eq!(n[*flag] == true, open && lab_acts, "{n}");
                let expected = if open {
                    json!(["ACCEPT", "DECLINE"])
                } else {
                    json!([])
                };
                assert_eq!(n["viewerActions"], expected, "{n}");
                if !lab_acts {
                    let res = act(&app, &w.u, op, &id).await;
                    assert!(res.get("errors").is_some(), "{status} {op}: {res}");
                }
            }
            let res = act(&app, &w.b, op, &id).await;
            common::assert_code(&res, "NOT_FOUND");

            // The decider: the flag says whether the mutation succeeds.
            let decider = if i % 2 == 0 { &w.a } else { &w.admin };
            let expected = m[*flag] == true;
            let res = act(&app, decider, op, &id).await;
            assert_eq!(
                res.get("errors").is_none(),
                expected,
                "{status} {op}: {flag} = {expected} but {res}"
            );
            if expected {
                // The need side's acceptance alone moves no status: the
                // match waits for the capability's side.
                let after = if *op == "acceptMatch" {
                    *status
                } else {
                    *after
                };
                assert_eq!(res["data"]["M"]["match"]["status"], after);
            } else {
                common::assert_code(&res, "BAD_USER_INPUT");
            }
            let _ = action;
        }
        // The life cycle, as the flags tell it.
        let can = |status: &str, op: &str| {
            let (_, _, cap) = caps.iter().find(|c| c.0 == status && c.1 == op).unwrap();
            of_a[cap][ACTIONS.iter().find(|a| a.0 == op).unwrap().1] == true
        };
        assert!(can("SUGGESTED", "shortlistMatch") && can("SUGGESTED", "declineMatch"));
        assert!(!can("SUGGESTED", "acceptMatch"));
        assert!(can("CONTACTED", "acceptMatch") && !can("CONTACTED", "shortlistMatch"));
        for op in [
            "shortlistMatch",
            "contactMatch",
            "acceptMatch",
            "declineMatch",
        ] {
            assert!(!can("ACCEPTED", op) && !can("DECLINED", op), "{op}");
        }
    }
);

pub const UPSERT_TALENT: &str = "mutation($input: UpsertTalentProfileInput!) {
  upsertTalentProfile(input: $input) { talent { id availability } } }";

pub const UPDATE_CAPABILITY: &str = "mutation($input: UpdateCapabilityInput!) {
  updateCapability(input: $input) { capability { id } } }";

pub const UPDATE_ORGANIZATION: &str = "mutation($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) { organization { id } } }";

/// The factors of `capability`'s match in `data` (a [`MATCHES`] answer), as
/// `(name, value, weight)`; `None` when it is not listed.
pub fn factors_of(data: &Value, capability: &str) -> Option<Vec<(String, f64, f64)>> {
    let edge = data["need"]["matches"]["edges"]
        .as_array()?
        .iter()
        .find(|e| e["node"]["capability"]["id"] == capability)?;
    Some(
        edge["node"]["factors"]
            .as_array()?
            .iter()
            .map(|f| {
                (
                    crate::common::text(&f["name"]),
                    f["value"].as_f64().unwrap_or(f64::NAN),
                    f["weight"].as_f64().unwrap_or(f64::NAN),
                )
            })
            .collect(),
    )
}

/// The value of the factor `name` among `factors`.
pub fn factor(factors: &[(String, f64, f64)], name: &str) -> f64 {
    factors
        .iter()
        .find(|f| f.0 == name)
        .unwrap_or_else(|| panic!("no factor {name} in {factors:?}"))
        .1
}

/// A capability of U with a responsible talent available for consulting
/// only, and a need of A (joint research wanted, discipline 460, both
/// organisations in 浙江省) it fits: `(need, capability, talent)`.
pub async fn factor_world(app: &TestApp, w: &World) -> (String, String, String) {
    let data = app
        .gql_ok(
            Some(&w.u),
            UPSERT_TALENT,
            json!({"input": {"organizationId": w.org_u, "name": "王芳 Wang Fang",
                "keywords": ["轴承"], "availability": ["CONSULTING"], "linkToMe": true}}),
        )
        .await;
    let talent = crate::common::text(&data["upsertTalentProfile"]["talent"]["id"]);
    let cap = capability(
        app,
        w,
        "轴承故障诊断 bearing fault diagnosis",
        "振动信号分析 vibration analysis of rolling bearings",
        &["轴承", "bearing"],
        &["460"],
        6,
    )
    .await;
    app.gql_ok(
        Some(&w.u),
        UPDATE_CAPABILITY,
        json!({"input": {"id": cap, "talentIds": [talent]}}),
    )
    .await;
    let need = w
        .need(
            app,
            "电机轴承故障预警 bearing fault warning",
            "PUBLIC",
            true,
        )
        .await;
    (need, cap, talent)
}

/// Every factor a write can change moves at the next request: the
/// capability's keywords and disciplines, its talent's availability, its
/// organisation's province.
async fn factors_follow_every_write(app: TestApp) {
    let w = World::new(&app).await;
    let (need, cap, talent) = factor_world(&app, &w).await;
    let ask = || async {
        let data = app
            .gql_ok(Some(&w.a), MATCHES, json!({"id": need, "first": 10}))
            .await;
        factors_of(&data, &cap).unwrap_or_else(|| panic!("the capability is listed: {data}"))
    };
    let before = ask().await;
    assert!(factor(&before, "KEYWORDS") > 0.0, "{before:?}");
    assert_eq!(factor(&before, "DISCIPLINES"), 1.0, "{before:?}");
    assert_eq!(factor(&before, "COOPERATION_MODES"), 0.0, "{before:?}");
    let same_province = factor(&before, "REGION");

    // Keywords: none shared any more.
    app.gql_ok(
        Some(&w.u),
        UPDATE_CAPABILITY,
        json!({"input": {"id": cap, "keywords": ["激光熔覆"]}}),
    )
    .await;
    let now = ask().await;
    assert_eq!(factor(&now, "KEYWORDS"), 0.0, "{now:?}");

    // Disciplines: another branch.
    app.gql_ok(
        Some(&w.u),
        UPDATE_CAPABILITY,
        json!({"input": {"id": cap, "disciplineCodes": ["520"]}}),
    )
    .await;
    let now = ask().await;
    assert!(factor(&now, "DISCIPLINES") < 1.0, "{now:?}");

    // The responsible talent is now available for joint research.
    app.gql_ok(
        Some(&w.u),
        UPSERT_TALENT,
        json!({"input": {"id": talent, "availability": ["JOINT_RESEARCH"]}}),
    )
    .await;
    let now = ask().await;
    assert_eq!(factor(&now, "COOPERATION_MODES"), 1.0, "{now:?}");

    // The capability's organisation moved to another province.
    app.gql_ok(
        Some(&w.admin),
        UPDATE_ORGANIZATION,
        json!({"input": {"id": w.org_u, "province": "北京市"}}),
    )
    .await;
    let now = ask().await;
    assert!(factor(&now, "REGION") < same_province, "{now:?}");

    // Unpublished: gone at once; published again: back.
    app.gql_ok(
        Some(&w.u),
        "mutation($id: ID!) { archiveCapability(input: {id: $id}) { capability { id } } }",
        json!({"id": cap}),
    )
    .await;
    let data = app
        .gql_ok(Some(&w.a), MATCHES, json!({"id": need, "first": 10}))
        .await;
    assert!(factors_of(&data, &cap).is_none(), "{data}");
}

e2e!(
    rankings_afresh_follow_every_write_to_a_factor,
    settings = |s: &mut iurhub_api::Settings| s.matching_cache_needs = 0,
    |app| factors_follow_every_write(app)
);

e2e!(kept_rankings_follow_every_write_to_a_factor, |app| {
    factors_follow_every_write(app)
});
