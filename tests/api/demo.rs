use serde_json::json;

use crate::common::TestApp;

e2e!(demo_data_loads_once_and_is_usable, |app| async move {
    let first = seed(&app).await;
    assert!(
        first.contains("password for all: iurhub-demo-2026"),
        "{first}"
    );
    assert!(first.contains("coordinator@demo.iurhub.cn"), "{first}");
    assert!(first.contains(", 2 agreements created"), "{first}");
    let second = seed(&app).await;
    assert!(
        second.contains(
            "0 organizations, 0 users, 0 talents, 0 capabilities, 0 needs, 0 instruments, 0 agreements created"
        ),
        "a second run creates nothing: {second}"
    );
    assert!(
        second.contains(
            "demo history recorded: 0 matches, 0 projects, 0 bookings, 0 activities, 0 plan targets, 0 work items"
        ),
        "a second run records no history: {second}"
    );

    let token = app
        .login("coordinator@demo.iurhub.cn", "iurhub-demo-2026")
        .await;
    let data = app
        .gql_ok(
            Some(&token),
            "{ me { platformRole }
               needs(first: 1) { totalCount }
               capabilities(first: 1) { totalCount }
               talents(first: 1) { totalCount }
               published: needs(first: 100, filter: {status: [PUBLISHED]}) { edges { node { title organization { name } disciplines { code } } } }
               roots: organizations(first: 20, filter: {rootsOnly: true}, orderBy: {field: NAME, direction: ASC}) { edges { node { name children { name } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["me"]["platformRole"], "COORDINATOR");
    assert!(
        data["needs"]["totalCount"].as_u64().unwrap() >= 20,
        "{data}"
    );
    assert!(
        data["capabilities"]["totalCount"].as_u64().unwrap() >= 40,
        "{data}"
    );
    assert!(
        data["talents"]["totalCount"].as_u64().unwrap() >= 20,
        "{data}"
    );
    let published = data["published"]["edges"].as_array().unwrap();
    assert!(
        published
            .iter()
            .all(|e| e["node"]["organization"]["name"].is_string())
    );
    assert!(
        published
            .iter()
            .any(|e| !e["node"]["disciplines"].as_array().unwrap().is_empty())
    );
    let roots: Vec<String> = data["roots"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| crate::common::text(&e["node"]["name"]))
        .collect();
    assert!(
        roots
            .iter()
            .any(|n| n.contains("Zhejiang University of Technology")),
        "{roots:?}"
    );
    assert!(
        roots
            .iter()
            .any(|n| n.contains("Electrical Group") || n.contains("机电集团")),
        "{roots:?}"
    );

    // The framework agreements of the seed text: the strategic one between
    // the university, the group and the vocational education group (six
    // areas, in force), and the testing center's; the group's needs are
    // filed under them.
    const AGREEMENTS: &str =
        "{ agreements(first: 10, orderBy: {field: CREATED_AT, direction: ASC}) {
        totalCount nodes { title status signedOn areas
          parties { organization { name } confirmed responsiblePeople { email } }
          needs(first: 1) { totalCount } } } }";
    let group = app
        .login("group.office@demo.iurhub.cn", "iurhub-demo-2026")
        .await;
    let seen = app.gql_ok(Some(&group), AGREEMENTS, json!({})).await;
    assert_eq!(seen["agreements"]["totalCount"], 2, "{seen}");
    let strategic = &seen["agreements"]["nodes"][0];
    // A five-year term from the signing (the news item names none): in
    // force until 2027-09-14 (China Standard Time), EXPIRED after.
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let in_force = today <= chrono::NaiveDate::from_ymd_opt(2027, 9, 14).unwrap();
    let expected = if in_force { "ACTIVE" } else { "EXPIRED" };
    assert_eq!(strategic["status"], expected, "{strategic}");
    assert_eq!(strategic["signedOn"], "2022-09-15");
    assert_eq!(strategic["areas"].as_array().unwrap().len(), 6);
    let parties = strategic["parties"].as_array().unwrap();
    assert_eq!(parties.len(), 3);
    assert!(
        parties
            .iter()
            .all(|p| p["confirmed"] == true
                && !p["responsiblePeople"].as_array().unwrap().is_empty())
    );
    assert!(
        parties.iter().any(|p| p["organization"]["name"]
            .as_str()
            .unwrap()
            .contains("职业教育集团")),
        "{strategic}"
    );
    assert!(strategic["needs"]["totalCount"].as_u64().unwrap() >= 10);
    let testing = &seen["agreements"]["nodes"][1];
    assert_eq!(testing["areas"], json!(["TESTING_CENTER"]));
    assert!(testing["needs"]["totalCount"].as_u64().unwrap() >= 1);
    // The vocational education group is party to the strategic one only.
    let voc = app
        .login("vocational@demo.iurhub.cn", "iurhub-demo-2026")
        .await;
    let seen = app.gql_ok(Some(&voc), AGREEMENTS, json!({})).await;
    assert_eq!(seen["agreements"]["totalCount"], 1, "{seen}");

    // Anonymous visitors see public needs only, never confidential ones.
    let public = app
        .gql_ok(
            None,
            "{ needs(first: 100) { totalCount edges { node { visibility } } } }",
            json!({}),
        )
        .await;
    assert!(
        public["needs"]["totalCount"].as_u64().unwrap()
            < data["needs"]["totalCount"].as_u64().unwrap()
    );
    assert!(
        public["needs"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["node"]["visibility"] == "PUBLIC")
    );

    // Scoped roles: the university's transfer office coordinates the
    // university, and no longer reads the group's confidential needs (the
    // investment department's due diligence); the platform coordinator,
    // coordinator of both, does; the service center's supervisor reads the
    // projects and figures and no confidential need.
    let due_diligence =
        "{ needs(first: 100, filter: {keyword: \"尽职调查\"}) { nodes { title visibility } } }";
    let titles = |data: &serde_json::Value| {
        data["needs"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| crate::common::text(&n["title"]))
            .collect::<Vec<_>>()
    };
    let seen = app.gql_ok(Some(&token), due_diligence, json!({})).await;
    assert_eq!(titles(&seen), ["高压多级泵项目技术尽职调查"], "{seen}");
    for email in ["transfer@demo.iurhub.cn", "supervisor@demo.iurhub.cn"] {
        let other = app.login(email, "iurhub-demo-2026").await;
        let seen = app.gql_ok(Some(&other), due_diligence, json!({})).await;
        assert!(titles(&seen).is_empty(), "{email}: {seen}");
    }
    let supervisor = app
        .login("supervisor@demo.iurhub.cn", "iurhub-demo-2026")
        .await;
    let data = app
        .gql_ok(
            Some(&supervisor),
            "{ me { roleGrants { role organization { name } } } stats { needsByStatus { status count } } }",
            json!({}),
        )
        .await;
    let grants = data["me"]["roleGrants"].as_array().unwrap();
    assert_eq!(grants.len(), 2, "{data}");
    assert!(grants.iter().all(|g| g["role"] == "SUPERVISOR"), "{data}");
    let by_status = data["stats"]["needsByStatus"].as_array().unwrap();
    assert!(
        by_status.iter().any(|s| s["count"].as_u64() > Some(0)),
        "{data}"
    );

    // The years of cooperation: the first dashboard query shows progress,
    // not zeros. Plans for 2023 to 2026; matches and projects in every
    // state; overdue checklist items; hours of the testing center served
    // to the university.
    let first = app
        .gql_ok(
            Some(&group),
            "{ agreements(first: 1, orderBy: {field: CREATED_AT, direction: ASC}) { nodes { id } } }",
            json!({}),
        )
        .await;
    let id = first["agreements"]["nodes"][0]["id"].clone();
    let data = app
        .gql_ok(
            Some(&group),
            "query($id: ID!) { agreement(id: $id) {
                 plans { year }
                 progress(year: 2025) { area metric target actual percent
                   contributions { record { __typename } } } }
               stats(scope: {agreementId: $id}) { matchesByStatus { status count }
                 projectsByStatus { status count } overdueChecklistItems byMonth { month } } }",
            json!({"id": id}),
        )
        .await;
    let strategic = &data["agreement"];
    assert_eq!(
        strategic["plans"],
        json!([{"year": 2023}, {"year": 2024}, {"year": 2025}, {"year": 2026}])
    );
    let progress = strategic["progress"].as_array().unwrap();
    let actual = |metric: &str| {
        progress
            .iter()
            .find(|r| r["metric"] == metric)
            .and_then(|r| r["actual"].as_f64())
            .unwrap_or_else(|| panic!("{metric} in {strategic}"))
    };
    // Every area of the agreement shows work done in 2025.
    for metric in [
        "PROJECTS_STARTED",
        "FUNDING_CONTRACTED",
        "NEEDS_DOCKED",
        "MATCHES_ACCEPTED",
        "INSTRUMENT_HOURS",
        "EXPERTS_EXCHANGED",
        "EXPERT_HOURS",
        "TRAINEES_PLACED",
        "COURSES_RUN",
        "STUDIES_COMPLETED",
        "PAIRING_ACTIVITIES",
    ] {
        assert!(actual(metric) > 0.0, "{metric} in {strategic}");
    }
    assert!(
        progress
            .iter()
            .all(|r| r["target"].is_number() || r["actual"].as_f64() > Some(0.0))
    );
    let hours = progress
        .iter()
        .find(|r| r["metric"] == "INSTRUMENT_HOURS")
        .unwrap();
    assert_eq!(hours["contributions"][0]["record"]["__typename"], "Booking");
    let stats = &data["stats"];
    let every = |list: &str| {
        stats[list]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] != "SUGGESTED")
            .all(|c| c["count"].as_u64() > Some(0))
    };
    assert!(every("matchesByStatus"), "{stats}");
    assert!(every("projectsByStatus"), "{stats}");
    assert!(stats["overdueChecklistItems"].as_u64() > Some(0), "{stats}");
    assert!(stats["byMonth"].as_array().unwrap().len() > 24, "{stats}");
});

e2e!(taxonomies_are_browsable, |app| async move {
    let data = app
        .gql_ok(
            None,
            "{ top: disciplines(first: 100) { totalCount edges { node { code nameZh nameEn level } } }
               mech: disciplines(parentCode: \"460\", first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { code parentCode level } } }
               industries(first: 100) { edges { node { code } } } }",
            json!({}),
        )
        .await;
    let top = data["top"]["edges"].as_array().unwrap();
    assert!(
        top.iter()
            .any(|e| e["node"]["code"] == "460" && e["node"]["nameZh"] == "机械工程")
    );
    assert!(top.iter().all(|e| e["node"]["level"] == 1));
    let mech = data["mech"]["edges"].as_array().unwrap();
    assert_eq!(mech.len(), 2);
    assert!(mech.iter().all(|e| e["node"]["parentCode"] == "460"
        && e["node"]["code"].as_str().unwrap().starts_with("460")));
    assert_eq!(data["mech"]["pageInfo"]["hasNextPage"], true);
    let next = app
        .gql_ok(
            None,
            "query($after: String) { disciplines(parentCode: \"460\", first: 100, after: $after) { edges { node { code } } } }",
            json!({"after": data["mech"]["pageInfo"]["endCursor"]}),
        )
        .await;
    let rest = next["disciplines"]["edges"].as_array().unwrap();
    assert_eq!(
        rest.len() as u64 + 2,
        data["mech"]["totalCount"].as_u64().unwrap()
    );
    assert!(
        data["industries"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["node"]["code"] == "C")
    );
});

/// Runs `iurhub seed-demo` against the test app's database, as an operator would.
async fn seed(app: &TestApp) -> String {
    let url = app.database_url.clone();
    tokio::task::spawn_blocking(move || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_iurhub"))
            .arg("seed-demo")
            .env("IURHUB_DATABASE_URL", url)
            .env("RUST_LOG", "warn")
            .output()
            .expect("running iurhub seed-demo");
        assert!(
            out.status.success(),
            "seed-demo failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    })
    .await
    .unwrap()
}

e2e!(
    the_demo_bearing_need_suggests_no_capability_of_its_own_group,
    |app| async move {
        seed(&app).await;
        // The server indexes what it finds at start: start it again on the
        // seeded database.
        let app = app.restart_with(|_| {}).await;
        // 刘洋 of the group's Institute of Mechanical & Electrical
        // Engineering decides on the institute's bearing need.
        let token = app
            .login("liu.yang@demo.iurhub.cn", "iurhub-demo-2026")
            .await;
        let data = app
            .gql_ok(
                Some(&token),
                "{ needs(first: 100, filter: {status: [PUBLISHED]}) { nodes { id title } } }",
                json!({}),
            )
            .await;
        let need = data["needs"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["title"] == "大型高压电机轴承早期故障预警")
            .map(|n| n["id"].clone())
            .unwrap_or_else(|| panic!("the bearing need: {data}"));
        let query = "query($id: ID!, $own: Boolean!) { need(id: $id) {
            matches(first: 10, includeOwnOrganization: $own) { nodes { capability { title
              organization { name parent { name parent { name parent { name } } } } } } } } }";
        // The group a capability belongs to: the top of its organisation.
        let groups = |data: &serde_json::Value| -> Vec<(String, String)> {
            data["need"]["matches"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| {
                    let mut org = &n["capability"]["organization"];
                    while org["parent"].is_object() {
                        org = &org["parent"];
                    }
                    (
                        crate::common::text(&n["capability"]["title"]),
                        crate::common::text(&org["name"]),
                    )
                })
                .collect()
        };
        let group = "浙江省机电集团 Zhejiang Machinery & Electrical Group";
        let by_default = groups(
            &app.gql_ok(Some(&token), query, json!({"id": need, "own": false}))
                .await,
        );
        assert!(by_default.len() >= 3, "{by_default:?}");
        assert!(
            by_default.iter().all(|(_, g)| g != group),
            "the need's own group is suggested as an external match: {by_default:?}"
        );
        assert_eq!(
            by_default[0].0, "高压电机滚动轴承早期故障诊断与预警",
            "{by_default:?}"
        );
        // Asked for, the institute's own capability is back among the best.
        let asked = groups(
            &app.gql_ok(Some(&token), query, json!({"id": need, "own": true}))
                .await,
        );
        let own: Vec<usize> = asked
            .iter()
            .enumerate()
            .filter(|(_, (_, g))| g == group)
            .map(|(i, _)| i)
            .collect();
        assert!(!own.is_empty() && own[0] < 3, "{asked:?}");
    }
);

e2e!(
    the_demo_holds_a_confidential_need_disclosed_and_talked_about,
    |app| async move {
        seed(&app).await;
        let app = app.restart_with(|_| {}).await;
        // 刘洋 owns the confidential stator-insulation need: it has a teaser,
        // it was disclosed to the lab that accepted it blind, and the two
        // sides talk on the match and on the project.
        let token = app
            .login("liu.yang@demo.iurhub.cn", "iurhub-demo-2026")
            .await;
        let data = app
            .gql_ok(
                Some(&token),
                "{ needs(first: 100) { nodes { id title visibility } } }",
                json!({}),
            )
            .await;
        let need = data["needs"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["title"] == "高压电机定子绝缘与匝间短路在线检测")
            .map(|n| n["id"].clone())
            .unwrap_or_else(|| panic!("the stator need: {data}"));
        let data = app
            .gql_ok(
                Some(&token),
                "query($id: ID!) { need(id: $id) { visibility teaser { title }
                   disclosures { status ndaVersion organization { id } }
                   disclosureLog(first: 20) { nodes { action } }
                   matches(first: 20) { nodes { status capabilitySide { decision }
                     capability { organization { id } }
                     thread { messages(first: 10) { totalCount nodes { body } } } } } } }",
                json!({"id": need}),
            )
            .await;
        let need = &data["need"];
        assert_eq!(need["visibility"], "CONFIDENTIAL");
        assert!(
            crate::common::text(&need["teaser"]["title"]).contains("匝间短路"),
            "{data}"
        );
        let disclosure = &need["disclosures"][0];
        assert_eq!(disclosure["status"], "ACCEPTED", "{data}");
        let actions: Vec<&str> = need["disclosureLog"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["action"].as_str().unwrap())
            .collect();
        assert_eq!(&actions[..2], ["OFFERED", "ACCEPTED"], "{data}");
        let accepted = need["matches"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["status"] == "ACCEPTED")
            .unwrap_or_else(|| panic!("the accepted pair: {data}"));
        assert_eq!(accepted["capabilitySide"]["decision"], "ACCEPTED");
        assert_eq!(
            accepted["capability"]["organization"]["id"], disclosure["organization"]["id"],
            "disclosed to the lab of the accepted pair"
        );
        let messages = &accepted["thread"]["messages"];
        assert_eq!(messages["totalCount"], 2, "{data}");
        assert!(
            crate::common::text(&messages["nodes"][0]["body"]).contains("保密协议"),
            "{data}"
        );
        let data = app
            .gql_ok(
                Some(&token),
                "{ projects(first: 50) { nodes { title thread { messages(first: 10) { totalCount } } } } }",
                json!({}),
            )
            .await;
        let project = data["projects"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| crate::common::text(&p["title"]).starts_with("电机绝缘在线监测合作"))
            .unwrap_or_else(|| panic!("the project: {data}"));
        assert_eq!(project["thread"]["messages"]["totalCount"], 2, "{data}");
    }
);
