use serde_json::{Value, json};

use crate::common::{self, TestApp};
use crate::fixtures::{CREATE_NEED, World};

const NEED: &str =
    "query($id: ID!) { need(id: $id) { id title status visibility version keywords disciplineCodes
  industryCodes trlRequired budgetMin { amount currencyCode } budgetMax { amount currencyCode } deadline cooperationModes viewerCanEdit
  organization { id } createdBy { displayName } disciplines { code nameZh nameEn } } }";

const NODE: &str = "query($id: ID!) { node(id: $id) { id ... on Need { title } } }";

const LIST: &str = "query($first: Int, $after: String, $last: Int, $before: String, $filter: NeedFilterInput, $orderBy: ListOrder) {
  needs(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id title } } } }";

async fn status_change(app: &TestApp, token: &str, mutation: &str, id: &str) -> Value {
    app.gql(
        Some(token),
        &format!("mutation($id: ID!) {{ {mutation}(input: {{id: $id}}) {{ need {{ status }} }} }}"),
        json!({"id": id}),
    )
    .await
}

use crate::common::titles;

e2e!(need_life_cycle, |app| async move {
    let w = World::new(&app).await;
    let id = w
        .need(
            &app,
            "Early fault warning for motor bearings 电机轴承早期故障预警",
            "PUBLIC",
            false,
        )
        .await;

    let data = app.gql_ok(Some(&w.a), NEED, json!({"id": id})).await;
    let need = &data["need"];
    assert_eq!(need["status"], "DRAFT");
    assert_eq!(need["version"], 1);
    assert_eq!(need["keywords"], json!(["bearing", "轴承"]));
    assert_eq!(need["disciplineCodes"], json!(["460"]));
    assert_eq!(need["disciplines"][0]["nameZh"], "机械工程");
    assert_eq!(need["industryCodes"], json!(["C34"]));
    assert_eq!(
        need["budgetMax"],
        json!({"amount": "300000.00", "currencyCode": "CNY"})
    );
    assert_eq!(need["deadline"], "2027-06-30");
    assert_eq!(need["cooperationModes"], json!(["JOINT_RESEARCH"]));
    assert_eq!(need["viewerCanEdit"], true);
    assert_eq!(need["organization"]["id"], w.org_a.as_str());
    assert!(need["createdBy"]["displayName"].is_string());

    // Drafts are private to the organisation.
    app.gql_err(None, NEED, json!({"id": id}), "NOT_FOUND")
        .await;
    app.gql_err(Some(&w.b), NEED, json!({"id": id}), "NOT_FOUND")
        .await;

    // An illegal step names both states.
    let res = status_change(&app, &w.a, "closeNeed", &id).await;
    common::assert_code(&res, "BAD_USER_INPUT");
    let message = crate::common::error_message(&res);
    assert!(
        message.contains("DRAFT") && message.contains("CLOSED"),
        "{message}"
    );

    let res = status_change(&app, &w.a, "publishNeed", &id).await;
    assert_eq!(
        res["data"]["publishNeed"]["need"]["status"], "PUBLISHED",
        "{res}"
    );
    let data = app.gql_ok(None, NEED, json!({"id": id})).await;
    assert_eq!(
        data["need"]["title"],
        "Early fault warning for motor bearings 电机轴承早期故障预警"
    );
    assert_eq!(data["need"]["viewerCanEdit"], false);
    assert!(
        data["need"]["createdBy"].is_null(),
        "the author is not shown to outsiders"
    );

    let res = status_change(&app, &w.a, "publishNeed", &id).await;
    common::assert_code(&res, "BAD_USER_INPUT");
    let res = status_change(&app, &w.a, "closeNeed", &id).await;
    assert_eq!(res["data"]["closeNeed"]["need"]["status"], "CLOSED");
    let res = status_change(&app, &w.a, "withdrawNeed", &id).await;
    common::assert_code(&res, "BAD_USER_INPUT");

    let other = w
        .need(&app, "Weld seam inspection 焊缝检测", "PUBLIC", true)
        .await;
    let res = status_change(&app, &w.a, "withdrawNeed", &other).await;
    assert_eq!(res["data"]["withdrawNeed"]["need"]["status"], "WITHDRAWN");
    let res = app.gql(None, NEED, json!({"id": other})).await;
    assert_eq!(
        common::error_code(&res).as_deref(),
        Some("NOT_FOUND"),
        "withdrawn needs are private again"
    );
});

e2e!(update_need_merges_and_checks_versions, |app| async move {
    let w = World::new(&app).await;
    let id = w
        .need(&app, "Lightweight motor housing", "PUBLIC", false)
        .await;
    let update = "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) {
        need { title version trlRequired budgetMin { amount } keywords visibility description } } }";

    let data = app
        .gql_ok(Some(&w.a), update, json!({"input": {"id": id, "version": 1, "title": "Lightweight motor housing 电机壳体轻量化", "trlRequired": null}}))
        .await;
    let need = &data["updateNeed"]["need"];
    assert_eq!(need["title"], "Lightweight motor housing 电机壳体轻量化");
    assert_eq!(need["version"], 2);
    assert!(need["trlRequired"].is_null(), "null clears");
    assert_eq!(
        need["budgetMin"]["amount"], "100000.00",
        "omitted fields are kept"
    );
    assert_eq!(need["keywords"], json!(["bearing", "轴承"]));

    let res = app
        .gql_err(
            Some(&w.a),
            update,
            json!({"input": {"id": id, "version": 1, "title": "Lost update"}}),
            "CONFLICT",
        )
        .await;
    assert_eq!(
        res["errors"][0]["extensions"]["fields"][0]["field"],
        "input.version"
    );

    let res = app
        .gql(
            Some(&w.b),
            update,
            json!({"input": {"id": id, "title": "Hijack"}}),
        )
        .await;
    assert_eq!(
        common::error_code(&res).as_deref(),
        Some("NOT_FOUND"),
        "a draft of A does not exist for B"
    );
    app.gql_ok(
        Some(&w.a),
        "mutation($id: ID!) { publishNeed(input: {id: $id}) { need { id } } }",
        json!({"id": id}),
    )
    .await;
    app.gql_err(
        Some(&w.b),
        update,
        json!({"input": {"id": id, "title": "Hijack"}}),
        "FORBIDDEN",
    )
    .await;
    let res = status_change(&app, &w.b, "withdrawNeed", &id).await;
    common::assert_code(&res, "FORBIDDEN");

    // Coordinators and admins may curate any need.
    let data = app
        .gql_ok(
            Some(&w.admin),
            update,
            json!({"input": {"id": id, "description": "Curated."}}),
        )
        .await;
    assert_eq!(data["updateNeed"]["need"]["description"], "Curated.");

    let data = app.gql_ok(Some(&w.a), NEED, json!({"id": id})).await;
    assert_eq!(
        data["need"]["title"], "Lightweight motor housing 电机壳体轻量化",
        "nothing of the refused edits landed"
    );
});

e2e!(need_input_is_validated_field_by_field, |app| async move {
    let w = World::new(&app).await;
    let base = json!({"organizationId": w.org_a, "title": "Valid title"});
    let with = |patch: Value| {
        let mut input = base.clone();
        for (k, v) in patch.as_object().unwrap() {
            input[k] = v.clone();
        }
        json!({"input": input})
    };
    let cases = [
        (json!({"title": "x".repeat(201)}), "title"),
        (json!({"title": "   "}), "title"),
        (json!({"trlRequired": 10}), "trlRequired"),
        (json!({"budgetMin": 500, "budgetMax": 100}), "budgetMax"),
        (json!({"budgetMin": -1}), "budgetMin"),
        (json!({"disciplineCodes": ["999999"]}), "disciplineCodes"),
        (json!({"disciplineCodes": ["46-0"]}), "disciplineCodes"),
        (json!({"industryCodes": ["Z99"]}), "industryCodes"),
        (json!({"keywords": ["k".repeat(61)]}), "keywords"),
        (json!({"organizationId": "bm9wZQ"}), "organizationId"),
    ];
    for (patch, field) in cases {
        let res = app.gql(Some(&w.a), CREATE_NEED, with(patch.clone())).await;
        common::assert_code_why(&res, "BAD_USER_INPUT", &patch);
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"],
            format!("input.{field}"),
            "{patch}: {res}"
        );
        assert!(res["data"].is_null() || res["data"]["createNeed"].is_null());
    }
    // Missing required fields and wrong enum values fail GraphQL validation.
    let res = app
        .gql(
            Some(&w.a),
            CREATE_NEED,
            json!({"input": {"organizationId": w.org_a}}),
        )
        .await;
    assert!(
        crate::common::error_message(&res).contains("title"),
        "{res}"
    );
    let res = app
        .gql(
            Some(&w.a),
            CREATE_NEED,
            with(json!({"visibility": "SECRET"})),
        )
        .await;
    assert!(res["errors"].is_array(), "{res}");
    // Someone else's organisation.
    app.gql_err(Some(&w.b), CREATE_NEED, with(json!({})), "FORBIDDEN")
        .await;
    app.gql_err(None, CREATE_NEED, with(json!({})), "UNAUTHENTICATED")
        .await;

    // Bad ids.
    for id in ["", "%%%", "TmVlZDphYmM", &w.org_a] {
        let res = app.gql(Some(&w.a), NEED, json!({"id": id})).await;
        common::assert_code_why(&res, "BAD_USER_INPUT", id);
    }
    let list = app.gql(Some(&w.a), LIST, json!({"first": 1})).await;
    assert_eq!(
        list["data"]["needs"]["totalCount"], 0,
        "nothing was created by the refused inputs: {list}"
    );
});

e2e!(visibility_is_enforced_everywhere, |app| async move {
    let w = World::new(&app).await;
    let public = w.need(&app, "Public need", "PUBLIC", true).await;
    let platform = w.need(&app, "Platform need", "PLATFORM", true).await;
    let secret = w
        .need(&app, "Confidential need 保密需求", "CONFIDENTIAL", true)
        .await;

    let visible = |token: Option<String>| {
        let app = &app;
        async move {
            let data = app
                .gql_ok(
                    token.as_deref(),
                    LIST,
                    json!({"first": 50, "orderBy": {"field": "TITLE", "direction": "ASC"}}),
                )
                .await;
            titles(&data)
        }
    };
    assert_eq!(visible(None).await, ["Public need"]);
    assert_eq!(
        visible(Some(w.b.clone())).await,
        ["Platform need", "Public need"]
    );
    assert_eq!(
        visible(Some(w.u.clone())).await,
        ["Platform need", "Public need"]
    );
    assert_eq!(
        visible(Some(w.a.clone())).await,
        ["Confidential need 保密需求", "Platform need", "Public need"]
    );
    assert_eq!(
        visible(Some(w.admin.clone())).await,
        ["Confidential need 保密需求", "Platform need", "Public need"]
    );

    for (token, id, expect) in [
        (None, &platform, false),
        (Some(&w.b), &platform, true),
        (Some(&w.b), &secret, false),
        (Some(&w.u), &secret, false),
        (None, &secret, false),
        (Some(&w.a), &secret, true),
        (None, &public, true),
    ] {
        for query in [NEED, NODE] {
            let res = app
                .gql(token.map(String::as_str), query, json!({"id": id}))
                .await;
            if expect {
                assert!(res.get("errors").is_none(), "{res}");
            } else {
                common::assert_code(&res, "NOT_FOUND");
                assert!(
                    !res.to_string().contains("保密"),
                    "confidential text leaked: {res}"
                );
            }
        }
    }
    let data = app
        .gql_ok(Some(&w.b), LIST, json!({"filter": {"keyword": "保密"}}))
        .await;
    assert_eq!(data["needs"]["totalCount"], 0);
    let data = app
        .gql_ok(
            Some(&w.b),
            LIST,
            json!({"filter": {"organizationId": w.org_a}}),
        )
        .await;
    assert_eq!(data["needs"]["totalCount"], 2);
});

e2e!(need_lists_page_filter_and_sort, |app| async move {
    let w = World::new(&app).await;
    let mut ids = Vec::new();
    for t in ["Alpha", "Bravo", "Charlie", "Delta", "Echo"] {
        ids.push(w.need(&app, t, "PUBLIC", true).await);
    }
    let ordered = json!({"field": "TITLE", "direction": "ASC"});

    let p1 = app
        .gql_ok(None, LIST, json!({"first": 2, "orderBy": ordered}))
        .await;
    assert_eq!(titles(&p1), ["Alpha", "Bravo"]);
    assert_eq!(p1["needs"]["totalCount"], 5);
    assert_eq!(p1["needs"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(p1["needs"]["pageInfo"]["hasPreviousPage"], false);
    let end = p1["needs"]["pageInfo"]["endCursor"].clone();
    let p2 = app
        .gql_ok(
            None,
            LIST,
            json!({"first": 2, "after": end, "orderBy": ordered}),
        )
        .await;
    assert_eq!(titles(&p2), ["Charlie", "Delta"]);
    assert_eq!(p2["needs"]["pageInfo"]["hasPreviousPage"], true);
    let end = p2["needs"]["pageInfo"]["endCursor"].clone();
    let p3 = app
        .gql_ok(
            None,
            LIST,
            json!({"first": 2, "after": end, "orderBy": ordered}),
        )
        .await;
    assert_eq!(titles(&p3), ["Echo"]);
    assert_eq!(p3["needs"]["pageInfo"]["hasNextPage"], false);

    // Backwards from the end.
    let start = p3["needs"]["pageInfo"]["startCursor"].clone();
    let back = app
        .gql_ok(
            None,
            LIST,
            json!({"last": 2, "before": start, "orderBy": ordered}),
        )
        .await;
    assert_eq!(titles(&back), ["Charlie", "Delta"]);
    assert_eq!(back["needs"]["pageInfo"]["hasPreviousPage"], true);
    let last = app
        .gql_ok(None, LIST, json!({"last": 1, "orderBy": ordered}))
        .await;
    assert_eq!(titles(&last), ["Echo"]);

    // Default order: newest first.
    let newest = app.gql_ok(None, LIST, json!({"first": 1})).await;
    assert_eq!(titles(&newest), ["Echo"]);
    let empty = app.gql_ok(None, LIST, json!({"first": 0})).await;
    assert_eq!(titles(&empty), Vec::<String>::new());

    // Edges of the arguments.
    for vars in [
        json!({"first": 101}),
        json!({"first": -1}),
        json!({"first": 1, "last": 1}),
        json!({"after": "not-a-cursor"}),
        json!({"after": end, "orderBy": {"field": "UPDATED_AT", "direction": "DESC"}}),
        json!({"filter": {"disciplineCode": "46'0"}}),
        json!({"filter": {"keyword": "k".repeat(201)}}),
    ] {
        let res = app.gql(None, LIST, vars.clone()).await;
        common::assert_code_why(&res, "BAD_USER_INPUT", &vars);
    }

    // Filters.
    let data = app
        .gql_ok(None, LIST, json!({"filter": {"keyword": "char"}}))
        .await;
    assert_eq!(titles(&data), ["Charlie"]);
    let data = app
        .gql_ok(None, LIST, json!({"filter": {"keyword": "轴承"}}))
        .await;
    assert_eq!(data["needs"]["totalCount"], 5, "keywords are searched");
    let data = app
        .gql_ok(None, LIST, json!({"filter": {"disciplineCode": "460"}}))
        .await;
    assert_eq!(data["needs"]["totalCount"], 5);
    let data = app
        .gql_ok(None, LIST, json!({"filter": {"disciplineCode": "520"}}))
        .await;
    assert_eq!(data["needs"]["totalCount"], 0);
    let data = app
        .gql_ok(None, LIST, json!({"filter": {"industryCode": "C"}}))
        .await;
    assert_eq!(
        data["needs"]["totalCount"], 5,
        "a section matches the divisions below it"
    );
    app.gql_ok(
        Some(&w.a),
        "mutation($id: ID!) { closeNeed(input: {id: $id}) { need { id } } }",
        json!({"id": ids[0]}),
    )
    .await;
    let data = app
        .gql_ok(None, LIST, json!({"filter": {"status": ["CLOSED"]}}))
        .await;
    assert_eq!(titles(&data), ["Alpha"]);
    let data = app
        .gql_ok(None, LIST, json!({"filter": {"organizationId": w.org_b}}))
        .await;
    assert_eq!(data["needs"]["totalCount"], 0);
});

// With `organization` selected the list reads each need's organisation in
// the same statement; pages, order and page info stay exactly those of the
// list without it, in every order and direction.
e2e!(need_lists_with_organizations_page_alike, |app| async move {
    let w = World::new(&app).await;
    let mut owner = std::collections::HashMap::new();
    for t in ["Alpha", "Bravo", "Charlie"] {
        owner.insert(w.need(&app, t, "PUBLIC", true).await, w.org_a.clone());
    }
    for t in ["Delta", "Echo"] {
        let data = app
            .gql_ok(
                Some(&w.b),
                CREATE_NEED,
                json!({"input": {"organizationId": w.org_b, "title": t, "visibility": "PLATFORM"}}),
            )
            .await;
        let id = crate::common::text(&data["createNeed"]["need"]["id"]);
        owner.insert(id, w.org_b.clone());
    }
    let plain = "query($first: Int, $after: String, $last: Int, $before: String, $orderBy: ListOrder) {
      needs(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }";
    let joined =
        "query($first: Int, $after: String, $last: Int, $before: String, $orderBy: ListOrder) {
      needs(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id organization { id name } } }
        nodes { id organization { id } } } }";
    let node_ids = |data: &Value| -> Vec<String> {
        data["needs"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| crate::common::text(&e["node"]["id"]))
            .collect()
    };
    // B's member sees A's public needs and B's own drafts.
    for field in ["CREATED_AT", "UPDATED_AT", "TITLE"] {
        for direction in ["ASC", "DESC"] {
            let order = json!({"field": field, "direction": direction});
            let mut pages = vec![json!({"first": 2, "orderBy": order})];
            let mut seen = Vec::new();
            while let Some(vars) = pages.pop() {
                let a = app.gql_ok(Some(&w.b), plain, vars.clone()).await;
                let b = app.gql_ok(Some(&w.b), joined, vars.clone()).await;
                assert_eq!(a["needs"]["pageInfo"], b["needs"]["pageInfo"], "{vars}");
                assert_eq!(node_ids(&a), node_ids(&b), "{vars}");
                for (edge, node) in b["needs"]["edges"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .zip(b["needs"]["nodes"].as_array().unwrap())
                {
                    let id = edge["node"]["id"].as_str().unwrap();
                    let org = &owner[id];
                    assert_eq!(edge["node"]["organization"]["id"], org.as_str());
                    assert_eq!(node["organization"]["id"], org.as_str());
                    let name = edge["node"]["organization"]["name"].as_str().unwrap();
                    assert!(name.starts_with(if *org == w.org_a {
                        "Enterprise A"
                    } else {
                        "Enterprise B"
                    }));
                }
                seen.extend(node_ids(&b));
                let info = &b["needs"]["pageInfo"];
                if vars.get("first").is_some() && info["hasNextPage"] == true {
                    pages.push(json!({"first": 2, "after": info["endCursor"], "orderBy": order}));
                } else if vars.get("first").is_some() {
                    // At the end: walk back from it once.
                    pages.push(json!({"last": 2, "before": info["endCursor"], "orderBy": order}));
                }
            }
            assert_eq!(
                seen.len(),
                5 + 2,
                "{field} {direction}: five needs, then two back"
            );
        }
    }
});
