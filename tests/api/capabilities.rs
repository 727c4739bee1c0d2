use serde_json::{Value, json};

use crate::common;
use crate::fixtures::{CREATE_CAPABILITY, World};

const CAPABILITY: &str = "query($id: ID!) { capability(id: $id) { id title summary status version trl keywords
  disciplineCodes achievements { kind title year reference } talents { name } organization { id } viewerCanEdit } }";

const UPDATE: &str = "mutation($input: UpdateCapabilityInput!) { updateCapability(input: $input) {
  capability { title version trl summary talents { name } } } }";

async fn talent(app: &crate::common::TestApp, token: &str, org: &str, name: &str) -> String {
    let data = app
        .gql_ok(
            Some(token),
            "mutation($input: UpsertTalentProfileInput!) { upsertTalentProfile(input: $input) { talent { id } } }",
            json!({"input": {"organizationId": org, "name": name, "title": "教授 Professor", "availability": ["CONSULTING"]}}),
        )
        .await;
    crate::common::text(&data["upsertTalentProfile"]["talent"]["id"])
}

fn transition(name: &str) -> String {
    format!("mutation($id: ID!) {{ {name}(input: {{id: $id}}) {{ capability {{ status }} }} }}")
}

e2e!(capability_life_cycle_and_permissions, |app| async move {
    let w = World::new(&app).await;
    let zhang = talent(&app, &w.u, &w.org_u, "张伟 Zhang Wei").await;
    let data = app
        .gql_ok(
            Some(&w.u),
            CREATE_CAPABILITY,
            json!({"input": {
                "organizationId": w.org_u,
                "title": "Bearing fault diagnosis with deep learning 基于深度学习的轴承故障诊断",
                "summary": "Vibration signals, 98.7% accuracy on CWRU.",
                "keywords": ["故障诊断", "fault diagnosis"], "disciplineCodes": ["460"], "trl": 5,
                "achievements": [{"kind": "PATENT", "title": "一种轴承故障诊断方法", "year": 2022, "reference": "ZL202210000001.1"}],
                "talentIds": [zhang]}}),
        )
        .await;
    let cap = &data["createCapability"]["capability"];
    assert_eq!(cap["status"], "DRAFT");
    let id = crate::common::text(&cap["id"]);

    let res = app.gql(Some(&w.a), CAPABILITY, json!({"id": id})).await;
    assert_eq!(
        common::error_code(&res).as_deref(),
        Some("NOT_FOUND"),
        "drafts are private: {res}"
    );

    let res = app
        .gql(
            Some(&w.u),
            &transition("publishCapability"),
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        res["data"]["publishCapability"]["capability"]["status"], "PUBLISHED",
        "{res}"
    );

    let data = app.gql_ok(Some(&w.a), CAPABILITY, json!({"id": id})).await;
    let cap = &data["capability"];
    assert_eq!(cap["achievements"][0]["reference"], "ZL202210000001.1");
    assert_eq!(cap["talents"][0]["name"], "张伟 Zhang Wei");
    assert_eq!(cap["viewerCanEdit"], false);
    let anonymous = app.gql_ok(None, CAPABILITY, json!({"id": id})).await;
    assert_eq!(
        anonymous["capability"]["talents"],
        json!([]),
        "people are listed to signed-in users only"
    );

    // An enterprise cannot edit or archive the university's capability.
    app.gql_err(
        Some(&w.a),
        UPDATE,
        json!({"input": {"id": id, "title": "Mine now"}}),
        "FORBIDDEN",
    )
    .await;
    app.gql_err(
        Some(&w.b),
        &transition("archiveCapability"),
        json!({"id": id}),
        "FORBIDDEN",
    )
    .await;

    let data = app
        .gql_ok(
            Some(&w.u),
            UPDATE,
            json!({"input": {"id": id, "version": 2, "trl": 6, "talentIds": []}}),
        )
        .await;
    let cap = &data["updateCapability"]["capability"];
    assert_eq!(cap["trl"], 6);
    assert_eq!(cap["version"], 3);
    assert_eq!(cap["talents"], json!([]));
    assert_eq!(cap["summary"], "Vibration signals, 98.7% accuracy on CWRU.");
    app.gql_err(
        Some(&w.u),
        UPDATE,
        json!({"input": {"id": id, "version": 2, "trl": 7}}),
        "CONFLICT",
    )
    .await;

    let res = app
        .gql(
            Some(&w.u),
            &transition("archiveCapability"),
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        res["data"]["archiveCapability"]["capability"]["status"],
        "ARCHIVED"
    );
    let res = app
        .gql_err(
            Some(&w.u),
            &transition("archiveCapability"),
            json!({"id": id}),
            "BAD_USER_INPUT",
        )
        .await;
    assert!(crate::common::error_message(&res).contains("ARCHIVED"));
    app.gql_err(
        Some(&w.u),
        UPDATE,
        json!({"input": {"id": id, "title": "Edit archived"}}),
        "BAD_USER_INPUT",
    )
    .await;
    let res = app.gql(Some(&w.a), CAPABILITY, json!({"id": id})).await;
    assert_eq!(
        common::error_code(&res).as_deref(),
        Some("NOT_FOUND"),
        "archived ones leave the catalogue: {res}"
    );
});

e2e!(capability_input_and_lists, |app| async move {
    let w = World::new(&app).await;
    let create = |input: Value| {
        let app = &app;
        let token = w.u.clone();
        async move {
            app.gql(Some(&token), CREATE_CAPABILITY, json!({"input": input}))
                .await
        }
    };
    for (input, field) in [
        (
            json!({"organizationId": w.org_u, "title": "t", "trl": 0}),
            "trl",
        ),
        (
            json!({"organizationId": w.org_u, "title": "t", "talentIds": [w.org_u]}),
            "talentIds",
        ),
        (
            json!({"organizationId": w.org_u, "title": "t", "achievements": [{"kind": "PAPER", "title": " "}]}),
            "achievements[0].title",
        ),
        (
            json!({"organizationId": w.org_u, "title": "t", "disciplineCodes": ["000"]}),
            "disciplineCodes",
        ),
    ] {
        let res = create(input.clone()).await;
        common::assert_code_why(&res, "BAD_USER_INPUT", &input);
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"],
            format!("input.{field}"),
            "{res}"
        );
    }
    app.gql_err(
        Some(&w.a),
        CREATE_CAPABILITY,
        json!({"input": {"organizationId": w.org_u, "title": "Not my college"}}),
        "FORBIDDEN",
    )
    .await;

    for (title, code) in [
        ("Laser cladding 激光熔覆", "430"),
        ("Machine vision inspection 机器视觉检测", "520"),
        ("Servo control", "470"),
    ] {
        let res =
            create(json!({"organizationId": w.org_u, "title": title, "disciplineCodes": [code]}))
                .await;
        let id = crate::common::text(&res["data"]["createCapability"]["capability"]["id"]);
        app.gql_ok(
            Some(&w.u),
            &transition("publishCapability"),
            json!({"id": id}),
        )
        .await;
    }
    create(json!({"organizationId": w.org_u, "title": "Unpublished draft"})).await;

    let list = "query($filter: CapabilityFilterInput, $first: Int, $after: String) {
      capabilities(filter: $filter, first: $first, after: $after, orderBy: {field: TITLE, direction: ASC}) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { title } } } }";
    let names = |d: &Value| -> Vec<String> {
        d["capabilities"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| crate::common::text(&e["node"]["title"]))
            .collect()
    };
    let d = app.gql_ok(Some(&w.a), list, json!({})).await;
    assert_eq!(
        names(&d),
        [
            "Laser cladding 激光熔覆",
            "Machine vision inspection 机器视觉检测",
            "Servo control"
        ]
    );
    let d = app.gql_ok(Some(&w.u), list, json!({})).await;
    assert_eq!(
        d["capabilities"]["totalCount"], 4,
        "owners also see their drafts"
    );
    let d = app
        .gql_ok(None, list, json!({"filter": {"disciplineCode": "52"}}))
        .await;
    assert_eq!(names(&d), ["Machine vision inspection 机器视觉检测"]);
    let d = app
        .gql_ok(None, list, json!({"filter": {"keyword": "熔覆"}}))
        .await;
    assert_eq!(names(&d), ["Laser cladding 激光熔覆"]);
    let d = app.gql_ok(None, list, json!({"first": 2})).await;
    assert_eq!(d["capabilities"]["pageInfo"]["hasNextPage"], true);
    let d = app
        .gql_ok(
            None,
            list,
            json!({"first": 2, "after": d["capabilities"]["pageInfo"]["endCursor"]}),
        )
        .await;
    assert_eq!(names(&d), ["Servo control"]);
});
