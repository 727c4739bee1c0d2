//! The REST resources under /api/v1: the same visibility as GraphQL, cursor
//! pages with `next` links, coded JSON errors with the request id, and the
//! OpenAPI document.

use serde_json::{Value, json};

use crate::common::TestApp;
use crate::fixtures::{CREATE_NEED, World};
use crate::matching::capability;

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> (u16, Option<String>, Value) {
    let mut req = reqwest::Client::new().get(app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let request_id = res
        .headers()
        .get("x-request-id")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = res.json().await.unwrap_or(Value::Null);
    (status, request_id, body)
}

async fn need(app: &TestApp, w: &World, title: &str, visibility: &str, publish: bool) -> String {
    let data = app
        .gql_ok(
            Some(&w.a),
            CREATE_NEED,
            json!({"input": {"organizationId": w.org_a, "title": title,
                "description": "振动信号 轴承 fault diagnosis", "keywords": ["轴承", "bearing"],
                "disciplineCodes": ["460"], "visibility": visibility}}),
        )
        .await;
    let id = crate::common::text(&data["createNeed"]["need"]["id"]);
    if publish {
        app.gql_ok(
            Some(&w.a),
            "mutation($id: ID!) { publishNeed(input: {id: $id}) { need { id } } }",
            json!({"id": id}),
        )
        .await;
    }
    id
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| crate::common::text(&i["id"]))
        .collect()
}

e2e!(
    rest_lists_page_with_next_links_and_keep_visibility,
    |app| async move {
        let w = World::new(&app).await;
        let mut public = Vec::new();
        for n in 0..3 {
            public.push(need(&app, &w, &format!("公开需求 {n}"), "PUBLIC", true).await);
        }
        let secret = need(&app, &w, "机密需求", "CONFIDENTIAL", true).await;
        let draft = need(&app, &w, "草稿", "PUBLIC", false).await;

        // Anonymous readers page through the public needs, oldest first.
        let (status, _, page) = get(
            &app,
            None,
            "/api/v1/needs?first=2&direction=ASC&totalCount=true",
        )
        .await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(ids(&page), public[..2]);
        assert_eq!(page["totalCount"], 3);
        assert_eq!(page["pageInfo"]["hasNextPage"], true);
        let next = crate::common::text(&page["next"]);
        assert!(
            next.starts_with("/api/v1/needs?") && next.contains("first=2"),
            "{next}"
        );
        let (_, _, page) = get(&app, None, &next).await;
        assert_eq!(ids(&page), public[2..]);
        assert_eq!(page["next"], Value::Null);
        assert_eq!(page["items"][0]["keywords"], json!(["轴承", "bearing"]));

        // The owner sees its confidential need and its draft.
        let (_, _, page) = get(&app, Some(&w.a), "/api/v1/needs?first=100").await;
        let mine = ids(&page);
        assert!(mine.contains(&secret) && mine.contains(&draft));
        let (_, _, page) = get(&app, Some(&w.b), "/api/v1/needs?first=100").await;
        assert!(!ids(&page).contains(&secret), "a competitor never sees it");
        let (_, _, page) = get(
            &app,
            None,
            &format!("/api/v1/needs?status=PUBLISHED&organizationId={}", w.org_a),
        )
        .await;
        assert_eq!(ids(&page).len(), 3);

        // Get: NOT_FOUND for what the caller may not see, with the request id.
        let (status, request_id, body) =
            get(&app, Some(&w.b), &format!("/api/v1/needs/{secret}")).await;
        assert_eq!(status, 404);
        assert_eq!(body["code"], "NOT_FOUND");
        assert_eq!(body["requestId"].as_str(), request_id.as_deref());
        let (status, _, body) = get(&app, Some(&w.a), &format!("/api/v1/needs/{secret}")).await;
        assert_eq!(status, 200);
        assert_eq!(body["visibility"], "CONFIDENTIAL");

        // Coded input errors.
        for path in [
            "/api/v1/needs?first=0",
            "/api/v1/needs?first=101",
            "/api/v1/needs?status=SOLD",
            "/api/v1/needs?colour=red",
            "/api/v1/needs?after=not-a-cursor",
            "/api/v1/needs?orderBy=PRICE",
        ] {
            let (status, request_id, body) = get(&app, None, path).await;
            assert_eq!(status, 400, "{path}: {body}");
            assert_eq!(body["code"], "BAD_USER_INPUT", "{path}");
            assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
            assert_eq!(body["requestId"].as_str(), request_id.as_deref(), "{path}");
        }
        // An id that names nothing is NOT_FOUND, in the path; as a filter it
        // matches nothing.
        for path in [
            "/api/v1/nothing-here",
            "/api/v1/needs/not-an-id",
            &format!("/api/v1/needs/{}", w.org_a),
        ] {
            let (status, _, body) = get(&app, None, path).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (404, Some("NOT_FOUND")),
                "{path}"
            );
        }
        let (status, _, page) = get(&app, None, "/api/v1/needs?organizationId=nonsense").await;
        assert_eq!(
            (status, page["items"].as_array().map(Vec::len)),
            (200, Some(0))
        );
        // A well-formed id naming no center filters to nothing, as the
        // OpenAPI document promises (schemathesis found `centerId=0`
        // refused with 400).
        for filter in ["centerId=0", &format!("centerId={}", w.org_a)] {
            let path = format!("/api/v1/instruments?{filter}");
            let (status, _, page) = get(&app, Some(&w.a), &path).await;
            assert_eq!(
                (status, page["items"].as_array().map(Vec::len)),
                (200, Some(0)),
                "{path}: {page}"
            );
        }
        let (status, _, _) = get(&app, None, "/api/v1/needs?status=").await;
        assert_eq!(status, 400, "an empty list is not a filter");

        // A need's matches: its organisation only.
        let cap = capability(
            &app,
            &w,
            "Bearing fault diagnosis 轴承故障诊断",
            "振动信号 fault diagnosis",
            &["轴承", "bearing"],
            &["460"],
            5,
        )
        .await;
        let other = capability(
            &app,
            &w,
            "Bearing wear monitoring 轴承磨损监测",
            "轴承 bearing",
            &["轴承"],
            &["460"],
            4,
        )
        .await;
        let path = format!("/api/v1/needs/{}/matches?first=5", public[0]);
        let (status, _, body) = get(&app, Some(&w.a), &path).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["items"][0]["capabilityId"], cap);
        assert_eq!(body["items"][0]["needId"], public[0].as_str());
        assert!(body["items"][0]["score"].as_f64().unwrap() > 0.0);
        assert!(!body["items"][0]["factors"].as_array().unwrap().is_empty());
        // Paged like every list: a page envelope, `next` to follow.
        let (status, _, page) = get(
            &app,
            Some(&w.a),
            &format!(
                "/api/v1/needs/{}/matches?first=1&totalCount=true",
                public[0]
            ),
        )
        .await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["totalCount"], 2, "{page}");
        assert_eq!(page["pageInfo"]["hasNextPage"], true);
        assert_eq!(page["items"][0]["capabilityId"], cap);
        let next = crate::common::text(&page["next"]);
        let (status, _, page) = get(&app, Some(&w.a), &next).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["items"][0]["capabilityId"], other, "{page}");
        assert_eq!(page["pageInfo"]["hasNextPage"], false);
        assert!(page["next"].is_null());
        let (status, _, _) = get(
            &app,
            Some(&w.a),
            &format!("/api/v1/needs/{}/matches?first=1&after=bad", public[0]),
        )
        .await;
        assert_eq!(status, 400);
        // The same fields as the GraphQL types: codes, creator.
        let (status, _, one) = get(&app, None, &format!("/api/v1/needs/{}", public[0])).await;
        assert_eq!(status, 200);
        assert_eq!(one["disciplineCodes"], json!(["460"]), "{one}");
        assert_eq!(one["industryCodes"], json!([]), "{one}");
        assert!(one["createdById"].is_string(), "{one}");
        let (_, _, list) = get(&app, None, "/api/v1/capabilities?first=100").await;
        assert!(
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["disciplineCodes"] == json!(["460"])),
            "{list}"
        );
        let (status, _, body) = get(&app, Some(&w.b), &path).await;
        assert_eq!((status, body["code"].as_str()), (403, Some("FORBIDDEN")));
        let (status, _, body) = get(&app, None, &path).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("UNAUTHENTICATED"))
        );
        let (status, _, _) = get(&app, Some("garbage"), "/api/v1/needs").await;
        assert_eq!(status, 401, "a bad token is refused, never anonymous");
    }
);

e2e!(rest_resources_of_every_kind, |app| async move {
    let w = World::new(&app).await;
    let cap = capability(
        &app,
        &w,
        "激光熔覆修复 Laser cladding",
        "修复轴类零件",
        &["激光熔覆"],
        &["430"],
        6,
    )
    .await;
    let (status, _, page) = get(&app, None, "/api/v1/capabilities").await;
    assert_eq!(status, 200);
    assert_eq!(ids(&page), vec![cap.clone()]);
    let (_, _, one) = get(&app, None, &format!("/api/v1/capabilities/{cap}")).await;
    assert_eq!(one["title"], "激光熔覆修复 Laser cladding");
    assert_eq!(one["status"], "PUBLISHED");

    let (status, _, _) = get(&app, None, "/api/v1/talents").await;
    assert_eq!(status, 401, "talent profiles need an account");
    let (status, _, page) = get(&app, Some(&w.u), "/api/v1/talents").await;
    assert_eq!(status, 200);
    assert!(page["items"].is_array());

    let (_, _, page) = get(&app, None, "/api/v1/organizations?kind=UNIVERSITY").await;
    assert_eq!(ids(&page), vec![w.org_u.clone()]);
    let (_, _, org) = get(&app, None, &format!("/api/v1/organizations/{}", w.org_a)).await;
    assert_eq!(org["name"], "Enterprise A 甲机电");

    let data = app
        .gql_ok(
            Some(&w.a),
            "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
            json!({"input": {"title": "联合实验室", "area": "JOINT_RESEARCH_PLATFORM",
                "partyOrganizationIds": [w.org_a, w.org_u]}}),
        )
        .await;
    let project = crate::common::text(&data["createProject"]["project"]["id"]);
    let (_, _, page) = get(
        &app,
        Some(&w.u),
        "/api/v1/projects?area=JOINT_RESEARCH_PLATFORM",
    )
    .await;
    assert_eq!(ids(&page), vec![project.clone()]);
    let (_, _, page) = get(&app, Some(&w.b), "/api/v1/projects").await;
    assert!(ids(&page).is_empty());
    let (status, _, _) = get(&app, Some(&w.b), &format!("/api/v1/projects/{project}")).await;
    assert_eq!(status, 404);
    let (status, _, _) = get(&app, None, "/api/v1/projects").await;
    assert_eq!(status, 401);

    let (status, _, page) = get(&app, Some(&w.b), "/api/v1/instruments").await;
    assert_eq!(status, 200);
    assert_eq!(page["items"], json!([]));

    // The OpenAPI document is served and names every route.
    let (status, _, doc) = get(&app, None, "/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/needs",
        "/api/v1/needs/{id}",
        "/api/v1/needs/{id}/matches",
        "/api/v1/capabilities/{id}",
        "/api/v1/talents",
        "/api/v1/organizations",
        "/api/v1/projects",
        "/api/v1/projects.csv",
        "/api/v1/instruments/{id}/calendar.ics",
        "/api/v1/me/bookings.ics",
        "/api/v1/auth/login",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    // Closed vocabularies are enums (generated clients get unions).
    let schemas = &doc["components"]["schemas"];
    for (dto, field, vocabulary, value) in [
        ("NeedDto", "status", "NeedStatus", "PUBLISHED"),
        ("NeedDto", "visibility", "Visibility", "CONFIDENTIAL"),
        ("ProjectDto", "area", "ProjectArea", "TESTING_CENTER"),
        ("InstrumentDto", "status", "InstrumentStatus", "RETIRED"),
        ("MatchDto", "status", "MatchStatus", "SHORTLISTED"),
        ("OrganizationDto", "kind", "OrgKind", "UNIVERSITY"),
    ] {
        let property = schemas[dto]["properties"][field].to_string();
        assert!(
            property.contains(&format!("#/components/schemas/{vocabulary}")),
            "{dto}.{field}: {property}"
        );
        assert_eq!(schemas[vocabulary]["type"], "string");
        assert!(
            schemas[vocabulary]["enum"]
                .as_array()
                .unwrap()
                .contains(&json!(value)),
            "{vocabulary}"
        );
    }
    let modes = schemas["NeedDto"]["properties"]["cooperationModes"]["items"].to_string();
    assert!(modes.contains("CooperationMode"), "{modes}");
});

e2e!(
    the_openapi_document_states_the_configured_page_size_cap,
    settings = |s: &mut iurhub_api::config::Settings| s.page_size_max = 40,
    |app| async move {
        let (status, _, doc) = get(&app, None, "/api/v1/openapi.json").await;
        assert_eq!(status, 200);
        let first = &doc["paths"]["/api/v1/needs"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "first")
            .unwrap()["schema"];
        assert_eq!(first["maximum"], 40, "{first}");
        let (status, _, _) = get(&app, None, "/api/v1/needs?first=41").await;
        assert_eq!(status, 400);
        let (status, _, _) = get(&app, None, "/api/v1/needs?first=40").await;
        assert_eq!(status, 200);
    }
);

e2e!(
    rest_and_graphql_filters_have_the_same_limits,
    |app| async move {
        let w = World::new(&app).await;
        // (keyword, disciplineCode, accepted): the limits come from the domain,
        // once, for both transports (they were 100/10 in REST, 200/12 in GraphQL).
        let cases = [
            ("k".repeat(200), "460".to_owned(), true),
            ("k".repeat(201), "460".to_owned(), false),
            ("bearing".to_owned(), "123456789012".to_owned(), true),
            ("bearing".to_owned(), "1234567890123".to_owned(), false),
        ];
        for (keyword, code, accepted) in cases {
            let (status, _, body) = get(
                &app,
                Some(&w.a),
                &format!("/api/v1/needs?keyword={keyword}&disciplineCode={code}"),
            )
            .await;
            assert_eq!(
                status == 200,
                accepted,
                "REST {keyword:.12}… {code}: {body}"
            );
            let res = app
            .gql(
                Some(&w.a),
                "query($k: String, $c: String) { needs(first: 5, filter: {keyword: $k, disciplineCode: $c}) { totalCount } }",
                json!({"k": keyword, "c": code}),
            )
            .await;
            let code_of = crate::common::error_code(&res);
            assert_eq!(code_of.is_none(), accepted, "GraphQL: {res}");
            if !accepted {
                assert_eq!(status, 400);
                assert_eq!(body["code"], "BAD_USER_INPUT");
                assert_eq!(code_of.as_deref(), Some("BAD_USER_INPUT"));
            }
        }
    }
);
