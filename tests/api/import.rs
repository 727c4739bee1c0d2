//! Bulk import: `importCapabilities` / `importNeeds` over GraphQL and
//! `iurhub import` on the command line.

use std::process::{Command, Output, Stdio};

use base64::Engine;
use serde_json::{Value, json};

use crate::common::{self, TestApp};
use crate::fixtures::World;

const IMPORT_CAPABILITIES: &str = "mutation($input: [CreateCapabilityInput!]!, $publish: Boolean!) {
  importCapabilities(input: {rows: $input, publish: $publish}) { count
    capabilities { id title status publishedAt trl keywords disciplineCodes organization { id } } } }";

const IMPORT_NEEDS: &str = "mutation($input: [CreateNeedInput!]!, $publish: Boolean!) {
  importNeeds(input: {rows: $input, publish: $publish}) { count
    needs { id title status publishedAt visibility cooperationModes createdBy { email } organization { id } } } }";

const COUNT_CAPABILITIES: &str =
    "query($org: ID!) { capabilities(filter: {organizationId: $org}) { totalCount } }";

const COUNT_NEEDS: &str = "query($org: ID!) { needs(filter: {organizationId: $org}) { totalCount edges { node { title status createdBy { email } } } } }";

const MATCHES: &str = "query($id: ID!) { need(id: $id) { matches(first: 20) { edges { node { score capability { id title } } } } } }";

const SEARCH: &str =
    "query($q: String!) { search(query: $q, types: [CAPABILITY], first: 10) { edges {
  node { __typename ... on Capability { id title } } } } }";

async fn capability_count(app: &TestApp, token: &str, org: &str) -> u64 {
    let data = app
        .gql_ok(Some(token), COUNT_CAPABILITIES, json!({"org": org}))
        .await;
    data["capabilities"]["totalCount"].as_u64().unwrap()
}

async fn need_count(app: &TestApp, token: &str, org: &str) -> u64 {
    let data = app
        .gql_ok(Some(token), COUNT_NEEDS, json!({"org": org}))
        .await;
    data["needs"]["totalCount"].as_u64().unwrap()
}

/// Field names of a BAD_USER_INPUT error.
fn error_fields(res: &Value) -> Vec<String> {
    res["errors"][0]["extensions"]["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("no field list: {res}"))
        .iter()
        .map(|f| crate::common::text(&f["field"]))
        .collect()
}

fn capability_rows(org: &str) -> Value {
    json!([
        {"organizationId": org, "title": "Rolling bearing fault diagnosis 滚动轴承故障诊断",
         "summary": "Vibration analysis of motor bearings 电机轴承振动分析.",
         "keywords": ["轴承", "bearing", "故障诊断"], "disciplineCodes": ["460"], "trl": 6},
        {"organizationId": org, "title": "Harmonic reducer wear prediction 谐波减速器磨损预测",
         "summary": "Wear models for robot joints.", "keywords": ["谐波减速器", "harmonic reducer"],
         "disciplineCodes": ["460"], "trl": 4},
        {"organizationId": org, "title": "Vocational curriculum design 职业教育课程设计",
         "summary": "Curricula for technicians.", "keywords": ["职业教育"]}
    ])
}

e2e!(
    imported_capabilities_are_published_searchable_and_matched,
    |app| async move {
        let w = World::new(&app).await;
        let data = app
            .gql_ok(
                Some(&w.u),
                IMPORT_CAPABILITIES,
                json!({"input": capability_rows(&w.org_u), "publish": true}),
            )
            .await;
        let payload = &data["importCapabilities"];
        assert_eq!(payload["count"], 3);
        let created = payload["capabilities"].as_array().unwrap();
        let titles: Vec<_> = created
            .iter()
            .map(|c| c["title"].as_str().unwrap())
            .collect();
        assert_eq!(
            titles,
            [
                "Rolling bearing fault diagnosis 滚动轴承故障诊断",
                "Harmonic reducer wear prediction 谐波减速器磨损预测",
                "Vocational curriculum design 职业教育课程设计"
            ],
            "in input order"
        );
        for c in created {
            assert_eq!(c["status"], "PUBLISHED");
            assert!(c["publishedAt"].is_string(), "{c}");
            assert_eq!(c["organization"]["id"], w.org_u);
        }
        assert_eq!(created[0]["disciplineCodes"], json!(["460"]));
        let bearing = created[0]["id"].as_str().unwrap();
        let reducer = created[1]["id"].as_str().unwrap();

        // Published imports are public and found by free-text search at once.
        let data = app.gql_ok(None, SEARCH, json!({"q": "谐波减速器"})).await;
        let hits: Vec<_> = data["search"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["node"]["id"].as_str().unwrap())
            .collect();
        assert_eq!(hits, [reducer], "{data}");
        assert_eq!(capability_count(&app, &w.a, &w.org_u).await, 3);

        // And matched against a fitting need of another organisation.
        let need = w
            .need(
                &app,
                "电机轴承故障预警 Motor bearing fault warning",
                "PUBLIC",
                true,
            )
            .await;
        let data = app.gql_ok(Some(&w.a), MATCHES, json!({"id": need})).await;
        let edges = data["need"]["matches"]["edges"].as_array().unwrap();
        assert_eq!(
            edges
                .first()
                .map(|e| e["node"]["capability"]["id"].as_str().unwrap()),
            Some(bearing),
            "the imported bearing capability is the best match: {data}"
        );
    }
);

e2e!(
    bad_rows_are_named_and_nothing_is_written,
    |app| async move {
        let w = World::new(&app).await;
        let mut rows = capability_rows(&w.org_u);
        rows[1]["trl"] = json!(12);
        rows[2]["disciplineCodes"] = json!(["460", "999999"]);
        let res = app
            .gql_err(
                Some(&w.u),
                IMPORT_CAPABILITIES,
                json!({"input": rows, "publish": true}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(
            error_fields(&res),
            ["input.rows[1].trl", "input.rows[2].disciplineCodes"],
            "one entry per problem, named by row: {res}"
        );
        let message = crate::common::error_message(&res);
        assert!(message.starts_with("2 of 3 rows are invalid"), "{message}");
        let unknown = &res["errors"][0]["extensions"]["fields"][1]["message"];
        assert!(
            unknown.as_str().unwrap().contains("999999"),
            "the unknown code is named: {unknown}"
        );
        assert!(res["data"].is_null(), "{res}");
        assert_eq!(
            capability_count(&app, &w.u, &w.org_u).await,
            0,
            "all or nothing: the valid row was not written either"
        );
        let data = app.gql_ok(None, SEARCH, json!({"q": "轴承"})).await;
        assert_eq!(
            data["search"]["edges"],
            json!([]),
            "nothing was indexed: {data}"
        );

        // An id that does not decode is a problem of its row too.
        let mut rows = capability_rows(&w.org_u);
        rows[0]["talentIds"] = json!(["not-an-id"]);
        rows[2]["organizationId"] =
            json!(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("Organization:999999"));
        rows[2]["title"] = json!(" ");
        let res = app
            .gql(
                Some(&w.u),
                IMPORT_CAPABILITIES,
                json!({"input": rows, "publish": false}),
            )
            .await;
        assert_eq!(
            error_fields(&res),
            [
                "input.rows[0].talentIds[0]",
                "input.rows[2].organizationId",
                "input.rows[2].title"
            ],
            "an undecodable id, an unknown organisation and an empty title: {res}"
        );
        assert_eq!(capability_count(&app, &w.u, &w.org_u).await, 0);
    }
);

e2e!(row_count_is_limited_to_1000, |app| async move {
    let w = World::new(&app).await;
    let row = |i: usize| json!({"organizationId": w.org_a, "title": format!("Need {i}")});
    let rows: Vec<Value> = (0..1001).map(&row).collect();
    let res = app
        .gql_err(
            Some(&w.a),
            IMPORT_NEEDS,
            json!({"input": rows, "publish": false}),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(error_fields(&res), ["input.rows"]);
    assert!(crate::common::error_message(&res).contains("1000"), "{res}");
    app.gql_err(
        Some(&w.a),
        IMPORT_NEEDS,
        json!({"input": [], "publish": false}),
        "BAD_USER_INPUT",
    )
    .await;
    assert_eq!(need_count(&app, &w.a, &w.org_a).await, 0);

    // Exactly 1,000 is fine.
    let rows: Vec<Value> = (0..1000).map(&row).collect();
    let data = app
        .gql_ok(
            Some(&w.a),
            "mutation($input: [CreateNeedInput!]!) { importNeeds(input: {rows: $input}) { count } }",
            json!({"input": rows}),
        )
        .await;
    assert_eq!(data["importNeeds"]["count"], 1000);
    assert_eq!(need_count(&app, &w.a, &w.org_a).await, 1000);
});

e2e!(
    importing_for_another_organization_is_forbidden,
    |app| async move {
        let w = World::new(&app).await;
        let rows = json!([
            {"organizationId": w.org_a, "title": "Our own need"},
            {"organizationId": w.org_b, "title": "A need posted for the competitor"}
        ]);
        let res = app
            .gql_err(
                Some(&w.a),
                IMPORT_NEEDS,
                json!({"input": rows, "publish": true}),
                "FORBIDDEN",
            )
            .await;
        assert!(
            crate::common::error_message(&res).contains("rows[1]"),
            "the row is named: {res}"
        );
        let rows = json!([{"organizationId": w.org_b, "title": "Their capability"}]);
        app.gql_err(
            Some(&w.a),
            IMPORT_CAPABILITIES,
            json!({"input": rows, "publish": false}),
            "FORBIDDEN",
        )
        .await;
        assert_eq!(need_count(&app, &w.admin, &w.org_a).await, 0);
        assert_eq!(need_count(&app, &w.admin, &w.org_b).await, 0);
        assert_eq!(capability_count(&app, &w.admin, &w.org_b).await, 0);

        // A coordinator or admin may import for any organisation.
        let data = app
        .gql_ok(
            Some(&w.admin),
            IMPORT_NEEDS,
            json!({"input": [{"organizationId": w.org_b, "title": "Curated need"}], "publish": false}),
        )
        .await;
        assert_eq!(data["importNeeds"]["count"], 1);
    }
);

e2e!(import_requires_sign_in, |app| async move {
    let w = World::new(&app).await;
    for (mutation, rows) in [
        (IMPORT_CAPABILITIES, capability_rows(&w.org_u)),
        (
            IMPORT_NEEDS,
            json!([{"organizationId": w.org_a, "title": "Anonymous need"}]),
        ),
    ] {
        app.gql_err(
            None,
            mutation,
            json!({"input": rows, "publish": true}),
            "UNAUTHENTICATED",
        )
        .await;
    }
    assert_eq!(capability_count(&app, &w.admin, &w.org_u).await, 0);
    assert_eq!(need_count(&app, &w.admin, &w.org_a).await, 0);
});

e2e!(imports_needs_as_drafts_or_published, |app| async move {
    let w = World::new(&app).await;
    let rows = json!([
        {"organizationId": w.org_a, "title": "Gear noise reduction 齿轮降噪",
         "description": "Gearboxes of 2 MW turbines.", "keywords": ["齿轮", "noise"],
         "disciplineCodes": ["460"], "industryCodes": ["C34"], "trlRequired": 5,
         "budgetMin": 100000, "budgetMax": 200000, "deadline": "2027-03-31",
         "cooperationModes": ["JOINT_RESEARCH", "TESTING"], "visibility": "CONFIDENTIAL"},
        {"organizationId": w.org_a, "title": "Weld seam inspection 焊缝检测"}
    ]);
    let data = app
        .gql_ok(
            Some(&w.a),
            IMPORT_NEEDS,
            json!({"input": rows, "publish": false}),
        )
        .await;
    let payload = &data["importNeeds"];
    assert_eq!(payload["count"], 2);
    let needs = payload["needs"].as_array().unwrap();
    assert_eq!(needs[0]["title"], "Gear noise reduction 齿轮降噪");
    assert_eq!(needs[0]["visibility"], "CONFIDENTIAL");
    assert_eq!(
        needs[0]["cooperationModes"],
        json!(["JOINT_RESEARCH", "TESTING"])
    );
    assert_eq!(needs[0]["createdBy"]["email"], "a@enterprise-a.test");
    assert_eq!(needs[1]["visibility"], "PUBLIC", "the input's default");
    for need in needs {
        assert_eq!(need["status"], "DRAFT");
        assert!(need["publishedAt"].is_null());
    }
    assert_eq!(need_count(&app, &w.a, &w.org_a).await, 2);
    assert_eq!(
        need_count(&app, &w.b, &w.org_a).await,
        0,
        "drafts stay private"
    );

    let data = app
        .gql_ok(
            Some(&w.a),
            IMPORT_NEEDS,
            json!({"input": [{"organizationId": w.org_a, "title": "Published at once"}], "publish": true}),
        )
        .await;
    let need = &data["importNeeds"]["needs"][0];
    assert_eq!(need["status"], "PUBLISHED");
    assert!(need["publishedAt"].is_string());
    assert_eq!(need_count(&app, &w.b, &w.org_a).await, 1);
});

// --- iurhub import ---------------------------------------------------------

/// The database id inside a global id (`Organization:5` → 5).
fn database_id(global: &str) -> i64 {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(global)
        .unwrap();
    let text = String::from_utf8(raw).unwrap();
    text.split_once(':').unwrap().1.parse().unwrap()
}

/// Runs `iurhub import ARGS` on the app's database.
fn import(app: &TestApp, dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iurhub"))
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env("IURHUB_DATABASE_URL", &app.database_url)
        .arg("import")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

e2e!(
    cli_imports_jsonl_capabilities_and_csv_needs,
    |app| async move {
        let w = World::new(&app).await;
        let dir = tempfile::tempdir().unwrap();
        let org_u = database_id(&w.org_u);
        let jsonl = format!(
            "{}\n\n{}\n",
            json!({"organizationId": org_u, "title": "Spindle thermal error compensation 主轴热误差补偿",
               "keywords": ["热误差", "spindle"], "disciplineCodes": ["460"], "trl": 5,
               "achievements": [{"kind": "PATENT", "title": "一种主轴热误差补偿方法", "year": 2023}]}),
            json!({"title": "Digital twin of machining lines 加工产线数字孪生", "keywords": ["数字孪生"]})
        );
        std::fs::write(dir.path().join("capabilities.jsonl"), jsonl).unwrap();
        let out = import(
            &app,
            dir.path(),
            &[
                "--kind",
                "capabilities",
                "--organization",
                &org_u.to_string(),
                "--publish",
                "capabilities.jsonl",
            ],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout).starts_with("imported 2 capabilities in "),
            "{}",
            text(&out.stdout)
        );
        assert_eq!(capability_count(&app, &w.a, &w.org_u).await, 2, "published");

        let csv = "title,description,keywords,industryCodes,cooperationModes,trlRequired,budgetMax,deadline,visibility\n\
               \"Hydraulic support, column repair 液压支架立柱修复\",Laser cladding of columns,激光熔覆;cladding,C35,JOINT_RESEARCH;TESTING,6,500000,2027-06-30,PLATFORM\n\
               Energy audit of foundries 铸造车间能耗审计,,,,,,,,\n";
        std::fs::write(dir.path().join("needs.csv"), csv).unwrap();
        // The organisation as a global ID, as the API shows it.
        let out = import(
            &app,
            dir.path(),
            &["--kind", "needs", "--organization", &w.org_a, "needs.csv"],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout).starts_with("imported 2 needs in "),
            "{}",
            text(&out.stdout)
        );
        let data = app
            .gql_ok(Some(&w.admin), COUNT_NEEDS, json!({"org": w.org_a}))
            .await;
        assert_eq!(data["needs"]["totalCount"], 2, "{data}");
        for edge in data["needs"]["edges"].as_array().unwrap() {
            assert_eq!(edge["node"]["status"], "DRAFT", "without --publish");
            assert_eq!(
                edge["node"]["createdBy"]["email"],
                common::ADMIN_EMAIL,
                "the oldest admin by default"
            );
        }
        assert_eq!(need_count(&app, &w.b, &w.org_a).await, 0);
    }
);

e2e!(cli_refuses_a_file_with_a_bad_row, |app| async move {
    let w = World::new(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let org_u = database_id(&w.org_u);
    let jsonl = [
        json!({"title": "Fine row", "trl": 3}).to_string(),
        json!({"title": "Too ready", "trl": 10}).to_string(),
        json!({"title": "Good too", "disciplineCodes": ["460"]}).to_string(),
        json!({"title": "Unknown field", "colour": "red"}).to_string(),
    ]
    .join("\n");
    std::fs::write(dir.path().join("bad.jsonl"), jsonl).unwrap();
    let out = import(
        &app,
        dir.path(),
        &[
            "--kind",
            "capabilities",
            "--organization",
            &org_u.to_string(),
            "bad.jsonl",
        ],
    );
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "a bad row fails the command");
    assert!(
        stderr.contains("line 2: trl: must be between 1 and 9"),
        "{stderr}"
    );
    assert!(stderr.contains("line 4: colour:"), "{stderr}");
    assert!(
        !stderr.contains("line 1:") && !stderr.contains("line 3:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("2 of 4 rows") && stderr.contains("nothing was imported"),
        "{stderr}"
    );
    assert_eq!(capability_count(&app, &w.admin, &w.org_u).await, 0);

    // CSV: the header is line 1; a row's problem is named by its line.
    std::fs::write(
        dir.path().join("needs.csv"),
        "title,trlRequired\nGood need,4\nBad need,nine\n",
    )
    .unwrap();
    let out = import(
        &app,
        dir.path(),
        &["--kind", "needs", "--organization", &w.org_a, "needs.csv"],
    );
    let stderr = text(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("line 3: trlRequired:"), "{stderr}");
    assert_eq!(need_count(&app, &w.admin, &w.org_a).await, 0);

    // Rows without an organisation and no --organization: named, not guessed.
    let out = import(&app, dir.path(), &["--kind", "needs", "needs.csv"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("line 2: organizationId: missing"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(need_count(&app, &w.admin, &w.org_a).await, 0);
});

e2e!(
    one_bulk_import_per_request_whatever_the_aliases,
    |app| async move {
        // The attack: one variable of rows used by every alias of the import
        // wrote the row limit once per alias (up to the 15 root fields).
        let w = World::new(&app).await;
        let aliases: String = (0..10)
            .map(|i| {
                format!(
                    "a{i}: importCapabilities(input: {{rows: $input, publish: true}}) {{ count }} "
                )
            })
            .collect();
        let aliased = format!("mutation($input: [CreateCapabilityInput!]!) {{ {aliases}}}");
        let spread = "mutation($input: [CreateCapabilityInput!]!) { ...I ...I }
            fragment I on Mutation { importCapabilities(input: {rows: $input, publish: true}) { count } }";
        for document in [aliased.as_str(), spread] {
            let started = std::time::Instant::now();
            let res = app
                .gql(
                    Some(&w.u),
                    document,
                    json!({"input": capability_rows(&w.org_u)}),
                )
                .await;
            assert!(started.elapsed() < std::time::Duration::from_secs(1));
            common::assert_code(&res, "BAD_USER_INPUT");
            assert_eq!(
                res["errors"][0]["extensions"]["key"], "document.bulk.too_many",
                "{res}"
            );
        }
        assert_eq!(
            capability_count(&app, &w.a, &w.org_u).await,
            0,
            "nothing written"
        );
        // One import per request still runs.
        let data = app
            .gql_ok(
                Some(&w.u),
                IMPORT_CAPABILITIES,
                json!({"input": capability_rows(&w.org_u), "publish": true}),
            )
            .await;
        assert_eq!(data["importCapabilities"]["count"], 3);
    }
);
