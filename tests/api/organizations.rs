use serde_json::json;

use crate::common;
use crate::fixtures::{CREATE_ORG, World, add_member, create_org};

e2e!(organizations_form_a_tree, |app| async move {
    let admin = app.admin_token().await;
    let group = create_org(
        &app,
        &admin,
        "浙江省机电集团 Zhejiang M&E Group",
        "ENTERPRISE",
        None,
    )
    .await;
    let institute = create_org(
        &app,
        &admin,
        "Testing Institute 检测研究院",
        "INSTITUTE",
        Some(&group),
    )
    .await;
    create_org(
        &app,
        &admin,
        "Investment and Development Department",
        "ENTERPRISE",
        Some(&group),
    )
    .await;

    let data = app
        .gql_ok(
            None,
            "query($id: ID!) { organization(id: $id) { name kind region { province city } parent { id }
               children { name parent { name } } } }",
            json!({"id": group}),
        )
        .await;
    let org = &data["organization"];
    assert_eq!(org["kind"], "ENTERPRISE");
    assert_eq!(org["region"]["province"], "浙江省");
    assert!(org["parent"].is_null());
    let children: Vec<&str> = org["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        children,
        [
            "Investment and Development Department",
            "Testing Institute 检测研究院"
        ]
    );
    assert_eq!(
        org["children"][0]["parent"]["name"],
        "浙江省机电集团 Zhejiang M&E Group"
    );

    let node = app
        .gql_ok(
            None,
            "query($id: ID!) { node(id: $id) { id ... on Organization { name } } }",
            json!({"id": institute}),
        )
        .await;
    assert_eq!(node["node"]["name"], "Testing Institute 检测研究院");

    let roots = app
        .gql_ok(
            None,
            "{ organizations(filter: {rootsOnly: true}) { totalCount edges { node { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(roots["organizations"]["totalCount"], 1);
});

e2e!(only_staff_create_organizations, |app| async move {
    let w = World::new(&app).await;
    let input = json!({"input": {"name": "Rogue Org", "kind": "OTHER"}});
    app.gql_err(Some(&w.a), CREATE_ORG, input.clone(), "FORBIDDEN")
        .await;
    app.gql_err(None, CREATE_ORG, input, "UNAUTHENTICATED")
        .await;

    // Same name under the same parent (or at the top) is a conflict.
    let res = app
        .gql_err(
            Some(&w.admin),
            CREATE_ORG,
            json!({"input": {"name": "Enterprise A 甲机电", "kind": "ENTERPRISE"}}),
            "CONFLICT",
        )
        .await;
    assert_eq!(
        res["errors"][0]["extensions"]["fields"][0]["field"],
        "input.name"
    );

    for (parent, code) in [
        ("bm90LWFuLWlk", "BAD_USER_INPUT"),
        (w.a.as_str(), "BAD_USER_INPUT"),
    ] {
        let res = app
            .gql(
                Some(&w.admin),
                CREATE_ORG,
                json!({"input": {"name": "Child", "kind": "OTHER", "parentId": parent}}),
            )
            .await;
        common::assert_code(&res, code);
    }
    let res = app
        .gql_err(
            Some(&w.admin),
            CREATE_ORG,
            json!({"input": {"name": "x".repeat(201), "kind": "OTHER"}}),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(
        res["errors"][0]["extensions"]["fields"][0]["field"],
        "input.name"
    );
    let res = app
        .gql(
            Some(&w.admin),
            CREATE_ORG,
            json!({"input": {"kind": "OTHER"}}),
        )
        .await;
    assert!(crate::common::error_message(&res).contains("name"), "{res}");
});

e2e!(
    members_are_added_by_admins_and_org_admins_only,
    |app| async move {
        let w = World::new(&app).await;
        app.user("boss@enterprise-a.test").await;
        app.user("new@enterprise-a.test").await;
        app.user("intruder@enterprise-b.test").await;

        // A plain member cannot add people, even to their own organisation.
        let res = add_member(&app, &w.a, &w.org_a, "new@enterprise-a.test", "MEMBER").await;
        common::assert_code(&res, "FORBIDDEN");

        let res = add_member(
            &app,
            &w.admin,
            &w.org_a,
            "boss@enterprise-a.test",
            "ORG_ADMIN",
        )
        .await;
        assert_eq!(
            res["data"]["addMember"]["membership"]["role"], "ORG_ADMIN",
            "{res}"
        );
        let boss = app
            .login("boss@enterprise-a.test", common::DEFAULT_PASSWORD)
            .await;

        let res = add_member(&app, &boss, &w.org_a, "new@enterprise-a.test", "MEMBER").await;
        assert_eq!(
            res["data"]["addMember"]["membership"]["organization"]["id"],
            w.org_a.as_str(),
            "{res}"
        );
        // An ORG_ADMIN of A administers A's sub-organisations too, but not B.
        let dept = create_org(
            &app,
            &w.admin,
            "A R&D Department",
            "ENTERPRISE",
            Some(&w.org_a),
        )
        .await;
        let res = add_member(&app, &boss, &dept, "new@enterprise-a.test", "MEMBER").await;
        assert!(res.get("errors").is_none(), "{res}");
        let res = add_member(
            &app,
            &boss,
            &w.org_b,
            "intruder@enterprise-b.test",
            "MEMBER",
        )
        .await;
        common::assert_code(&res, "FORBIDDEN");

        let res = add_member(&app, &w.admin, &w.org_a, "new@enterprise-a.test", "MEMBER").await;
        common::assert_code(&res, "CONFLICT");
        let res = add_member(&app, &w.admin, &w.org_a, "nobody@nowhere.test", "MEMBER").await;
        common::assert_code(&res, "BAD_USER_INPUT");
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"],
            "input.email"
        );

        let me = app
            .gql_ok(
                Some(&boss),
                "{ me { memberships { role organization { name } } } }",
                json!({}),
            )
            .await;
        assert_eq!(me["me"]["memberships"][0]["role"], "ORG_ADMIN");
    }
);
