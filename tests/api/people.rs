//! People: an organisation's members, finding users, changing an
//! organisation, leaving and removing members, one's own profile and
//! password, and talent profiles changed field by field.

use serde_json::{Value, json};

use crate::common::{self, TestApp};
use crate::fixtures::{World, add_member, me};

const MEMBERS: &str = "query($id: ID!) { organization(id: $id) { name viewerCanUpdate
  members(first: 10) { totalCount pageInfo { hasNextPage endCursor }
    nodes { id role viewerCanRemove user { id displayName email } organization { id } } } } }";

const USERS: &str =
    "query($f: UserFilterInput, $after: String) { users(first: 2, after: $after, filter: $f) {
  totalCount pageInfo { hasNextPage endCursor } nodes { id displayName email } } }";

const UPDATE_ORG: &str =
    "mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) {
  organization { id name kind region { province city } updatedAt } } }";

const REMOVE: &str = "mutation($input: RemoveMemberInput!) { removeMember(input: $input) {
  deletedId organization { id members(first: 10) { totalCount } } } }";

const UPSERT: &str = "mutation($input: UpsertTalentProfileInput!) { upsertTalentProfile(input: $input) {
  talent { id version name title bio keywords availability disciplines { code } organization { id } } } }";

fn names(data: &Value) -> Vec<String> {
    data["users"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| common::text(&n["displayName"]))
        .collect()
}

/// Registers `email` with a display name and adds them to `org`.
async fn member(
    app: &TestApp,
    admin: &str,
    org: &str,
    email: &str,
    name: &str,
    role: &str,
) -> String {
    let res = app.register(email, common::DEFAULT_PASSWORD, name).await;
    assert_eq!(res.status(), 201);
    let res = add_member(app, admin, org, email, role).await;
    assert!(res.get("errors").is_none(), "{res}");
    app.login(email, common::DEFAULT_PASSWORD).await
}

e2e!(organization_members_and_user_search, |app| async move {
    let w = World::new(&app).await;
    let lead = member(
        &app,
        &w.admin,
        &w.org_a,
        "lead@enterprise-a.test",
        "刘主任 Director Liu",
        "ORG_ADMIN",
    )
    .await;
    member(
        &app,
        &w.admin,
        &w.org_a,
        "li@enterprise-a.test",
        "李工 Engineer Li",
        "MEMBER",
    )
    .await;
    member(
        &app,
        &w.admin,
        &w.org_a,
        "zhao@enterprise-a.test",
        "赵工 Engineer Zhao",
        "MEMBER",
    )
    .await;

    // The members, oldest first, paged; e-mail addresses only for oneself.
    let data = app
        .gql_ok(Some(&w.a), MEMBERS, json!({"id": w.org_a}))
        .await;
    let members = &data["organization"]["members"];
    assert_eq!(members["totalCount"], 4);
    let roles: Vec<&str> = members["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["MEMBER", "ORG_ADMIN", "MEMBER", "MEMBER"]);
    assert_eq!(members["nodes"][0]["user"]["email"], "a@enterprise-a.test");
    assert!(members["nodes"][1]["user"]["email"].is_null());
    assert_eq!(
        members["nodes"][0]["viewerCanRemove"], true,
        "one may leave"
    );
    assert_eq!(members["nodes"][1]["viewerCanRemove"], false);
    assert_eq!(data["organization"]["viewerCanUpdate"], false);
    let data = app
        .gql_ok(Some(&lead), MEMBERS, json!({"id": w.org_a}))
        .await;
    assert_eq!(data["organization"]["viewerCanUpdate"], true);
    assert_eq!(
        data["organization"]["members"]["nodes"][2]["viewerCanRemove"],
        true
    );
    // Strangers: the organisation, not its people.
    let res = app.gql(Some(&w.b), MEMBERS, json!({"id": w.org_a})).await;
    common::assert_code(&res, "FORBIDDEN");
    assert_eq!(res["data"]["organization"]["name"], "Enterprise A 甲机电");
    assert!(res["data"]["organization"]["members"].is_null());
    assert_eq!(res["errors"][0]["path"], json!(["organization", "members"]));

    // User search: by name, within one's organisations, paged by name.
    let data = app
        .gql_ok(Some(&w.a), USERS, json!({"f": {"query": "engineer"}}))
        .await;
    assert_eq!(data["users"]["totalCount"], 2);
    assert_eq!(names(&data), ["李工 Engineer Li", "赵工 Engineer Zhao"]);
    assert!(data["users"]["nodes"][0]["email"].is_null());
    let data = app.gql_ok(Some(&w.a), USERS, json!({})).await;
    assert_eq!(data["users"]["totalCount"], 4);
    assert_eq!(data["users"]["pageInfo"]["hasNextPage"], true);
    let after = data["users"]["pageInfo"]["endCursor"].clone();
    let next = app.gql_ok(Some(&w.a), USERS, json!({"after": after})).await;
    assert_eq!(next["users"]["nodes"].as_array().unwrap().len(), 2);
    assert_eq!(next["users"]["pageInfo"]["hasNextPage"], false);
    // A stranger cannot enumerate A's accounts: not by name, not by e-mail,
    // not by naming the organisation.
    let data = app
        .gql_ok(Some(&w.b), USERS, json!({"f": {"query": "engineer"}}))
        .await;
    assert_eq!(data["users"]["totalCount"], 0);
    let data = app
        .gql_ok(Some(&w.b), USERS, json!({"f": {"query": "enterprise-a"}}))
        .await;
    assert_eq!(data["users"]["totalCount"], 0);
    app.gql_err(
        Some(&w.b),
        USERS,
        json!({"f": {"organizationId": w.org_a}}),
        "FORBIDDEN",
    )
    .await;
    app.gql_err(None, USERS, json!({}), "UNAUTHENTICATED").await;
    // Coordinators and admins find anybody, also by e-mail address.
    let data = app
        .gql_ok(Some(&w.admin), USERS, json!({"f": {"query": "zhao@"}}))
        .await;
    assert_eq!(names(&data), ["赵工 Engineer Zhao"]);
    assert_eq!(data["users"]["nodes"][0]["email"], "zhao@enterprise-a.test");
    let data = app
        .gql_ok(
            Some(&w.admin),
            USERS,
            json!({"f": {"organizationId": w.org_b}}),
        )
        .await;
    assert_eq!(names(&data), ["b@enterprise-b.test"]);

    // Picking a checklist owner: the members of a project's parties.
    let data = app
        .gql_ok(
            Some(&w.a),
            "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
            json!({"input": {"title": "甲乙合作", "area": "OTHER", "partyOrganizationIds": [w.org_a, w.org_b]}}),
        )
        .await;
    let project = common::text(&data["createProject"]["project"]["id"]);
    // B is only invited: its people are its own until it accepts.
    let data = app
        .gql_ok(
            Some(&w.a),
            USERS,
            json!({"f": {"projectId": project, "query": "enterprise-b"}}),
        )
        .await;
    assert!(names(&data).is_empty(), "{data}");
    app.gql_ok(
        Some(&w.b),
        "mutation($id: ID!) { acceptProjectInvitation(input: {id: $id}) { project { id } } }",
        json!({"id": project}),
    )
    .await;
    let data = app
        .gql_ok(
            Some(&w.a),
            USERS,
            json!({"f": {"projectId": project, "query": "enterprise-b"}}),
        )
        .await;
    assert_eq!(names(&data), ["b@enterprise-b.test"]);
    app.gql_err(
        Some(&w.u),
        USERS,
        json!({"f": {"projectId": project}}),
        "NOT_FOUND",
    )
    .await;
});

e2e!(
    organizations_are_updated_and_members_removed,
    |app| async move {
        let w = World::new(&app).await;
        let lead = member(
            &app,
            &w.admin,
            &w.org_a,
            "lead@enterprise-a.test",
            "刘主任",
            "ORG_ADMIN",
        )
        .await;
        let li = member(
            &app,
            &w.admin,
            &w.org_a,
            "li@enterprise-a.test",
            "李工",
            "MEMBER",
        )
        .await;

        // Renaming: ORG_ADMINs of the organisation and staff; omitted fields stay, null clears.
        let rename = json!({"input": {"id": w.org_a, "name": "甲机电集团 Enterprise A Group", "city": null}});
        app.gql_err(Some(&w.a), UPDATE_ORG, rename.clone(), "FORBIDDEN")
            .await;
        app.gql_err(Some(&w.b), UPDATE_ORG, rename.clone(), "FORBIDDEN")
            .await;
        let data = app.gql_ok(Some(&lead), UPDATE_ORG, rename).await;
        let org = &data["updateOrganization"]["organization"];
        assert_eq!(org["name"], "甲机电集团 Enterprise A Group");
        assert_eq!(org["kind"], "ENTERPRISE");
        assert_eq!(org["region"], json!({"province": "浙江省", "city": null}));
        let data = app
            .gql_ok(
                Some(&w.admin),
                UPDATE_ORG,
                json!({"input": {"id": w.org_a, "kind": "INSTITUTE"}}),
            )
            .await;
        assert_eq!(
            data["updateOrganization"]["organization"]["name"],
            "甲机电集团 Enterprise A Group"
        );
        assert_eq!(
            data["updateOrganization"]["organization"]["kind"],
            "INSTITUTE"
        );
        // A taken name is a CONFLICT, a blank one BAD_USER_INPUT.
        let res = app
            .gql_err(
                Some(&w.admin),
                UPDATE_ORG,
                json!({"input": {"id": w.org_a, "name": "Enterprise B 乙电气"}}),
                "CONFLICT",
            )
            .await;
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"],
            "input.name"
        );
        let res = app
            .gql_err(
                Some(&w.admin),
                UPDATE_ORG,
                json!({"input": {"id": w.org_a, "name": " "}}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"],
            "input.name"
        );
        app.gql_err(
            Some(&w.admin),
            UPDATE_ORG,
            json!({"input": {"id": "x", "name": "x"}}),
            "BAD_USER_INPUT",
        )
        .await;

        let data = app
            .gql_ok(Some(&lead), MEMBERS, json!({"id": w.org_a}))
            .await;
        let ids: Vec<String> = data["organization"]["members"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| common::text(&n["id"]))
            .collect();
        let (a_membership, lead_membership, li_membership) =
            (ids[0].clone(), ids[1].clone(), ids[2].clone());

        // A plain member removes nobody else; a stranger does not see the membership.
        app.gql_err(
            Some(&w.a),
            REMOVE,
            json!({"input": {"membershipId": li_membership}}),
            "FORBIDDEN",
        )
        .await;
        app.gql_err(
            Some(&w.b),
            REMOVE,
            json!({"input": {"membershipId": li_membership}}),
            "NOT_FOUND",
        )
        .await;
        // The organisation's ORG_ADMIN removes a member, who loses its rights at once.
        let data = app
            .gql_ok(
                Some(&lead),
                REMOVE,
                json!({"input": {"membershipId": li_membership}}),
            )
            .await;
        assert_eq!(data["removeMember"]["deletedId"], li_membership.as_str());
        assert_eq!(
            data["removeMember"]["organization"]["members"]["totalCount"],
            2
        );
        app.gql_err(Some(&li), MEMBERS, json!({"id": w.org_a}), "FORBIDDEN")
            .await;
        app.gql_err(
            Some(&lead),
            REMOVE,
            json!({"input": {"membershipId": li_membership}}),
            "NOT_FOUND",
        )
        .await;
        // The last ORG_ADMIN stays.
        let res = app
            .gql_err(
                Some(&lead),
                REMOVE,
                json!({"input": {"membershipId": lead_membership}}),
                "CONFLICT",
            )
            .await;
        assert!(
            common::error_message(&res).contains("last ORG_ADMIN"),
            "{res}"
        );
        // A member may leave.
        let data = app
            .gql_ok(
                Some(&w.a),
                REMOVE,
                json!({"input": {"membershipId": a_membership}}),
            )
            .await;
        assert_eq!(
            data["removeMember"]["organization"]["members"]["totalCount"],
            1
        );
        let data = app
            .gql_ok(Some(&w.a), "{ me { memberships { id } } }", json!({}))
            .await;
        assert_eq!(data["me"]["memberships"], json!([]));
        // Wrong kind of id.
        app.gql_err(
            Some(&w.admin),
            REMOVE,
            json!({"input": {"membershipId": w.org_a}}),
            "BAD_USER_INPUT",
        )
        .await;
    }
);

e2e!(profile_and_password_are_the_users_own, |app| async move {
    let w = World::new(&app).await;
    let profile = "mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { user { id displayName } } }";
    let data = app
        .gql_ok(
            Some(&w.a),
            profile,
            json!({"input": {"displayName": "  张三 Zhang San "}}),
        )
        .await;
    assert_eq!(
        data["updateProfile"]["user"]["displayName"],
        "张三 Zhang San"
    );
    assert_eq!(
        data["updateProfile"]["user"]["id"],
        me(&app, &w.a).await.as_str()
    );
    let res = app
        .gql_err(
            Some(&w.a),
            profile,
            json!({"input": {"displayName": ""}}),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(
        res["errors"][0]["extensions"]["fields"][0]["field"],
        "input.displayName"
    );
    app.gql_err(
        None,
        profile,
        json!({"input": {"displayName": "x"}}),
        "UNAUTHENTICATED",
    )
    .await;

    // The password: the current one is required; other sign-ins end.
    let email = "a@enterprise-a.test";
    let other_login: Value = app
        .post_login(email, common::DEFAULT_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let login: Value = app
        .post_login(email, common::DEFAULT_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let token = login["accessToken"].as_str().unwrap().to_owned();
    let change = |current: &str, new: &str| json!({"currentPassword": current, "newPassword": new});
    let post = |body: Value, token: Option<String>| {
        let app = &app;
        async move {
            let mut req = app
                .client
                .post(app.url("/api/v1/auth/password"))
                .json(&body);
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            req.send().await.unwrap()
        }
    };
    let res = post(
        change(common::DEFAULT_PASSWORD, "a new long password"),
        None,
    )
    .await;
    assert_eq!(res.status(), 401);
    let res = post(
        change("not the password", "a new long password"),
        Some(token.clone()),
    )
    .await;
    // Well-formed but not proven: 403 (not 401, which clients read as an
    // expired token), with its own key.
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "FORBIDDEN");
    assert_eq!(body["key"], "account.password.wrong", "{body}");
    let res = post(
        change(common::DEFAULT_PASSWORD, "short"),
        Some(token.clone()),
    )
    .await;
    assert_eq!(res.status(), 400);
    let res = post(
        change(common::DEFAULT_PASSWORD, "a new long password"),
        Some(token.clone()),
    )
    .await;
    assert_eq!(res.status(), 204);

    // The old password no longer signs in, the new one does.
    assert_eq!(
        app.post_login(email, common::DEFAULT_PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.post_login(email, "a new long password").await.status(),
        200
    );
    // The other sign-in's refresh token is revoked; this one's goes on.
    let res = app
        .post_refresh(other_login["refreshToken"].as_str().unwrap())
        .await;
    assert_eq!(res.status(), 401);
    let res = app
        .post_refresh(login["refreshToken"].as_str().unwrap())
        .await;
    assert_eq!(res.status(), 200);
});

e2e!(
    talent_profiles_change_field_by_field_with_versions,
    |app| async move {
        let w = World::new(&app).await;
        let data = app
        .gql_ok(
            Some(&w.u),
            UPSERT,
            json!({"input": {"organizationId": w.org_u, "name": "王芳 Wang Fang", "title": "副教授",
                "bio": "Tribology.", "keywords": ["摩擦学"], "disciplineCodes": ["460"],
                "availability": ["CONSULTING"], "linkToMe": true}}),
        )
        .await;
        let t = &data["upsertTalentProfile"]["talent"];
        assert_eq!(t["version"], 1);
        let id = common::text(&t["id"]);

        // me.talentProfile is one's own.
        let mine = "{ me { talentProfile { id name version } } }";
        let data = app.gql_ok(Some(&w.u), mine, json!({})).await;
        assert_eq!(data["me"]["talentProfile"]["id"], id.as_str());
        let data = app.gql_ok(Some(&w.a), mine, json!({})).await;
        assert!(data["me"]["talentProfile"].is_null());

        // Sending only the name keeps everything else.
        let data = app
            .gql_ok(
                Some(&w.u),
                UPSERT,
                json!({"input": {"id": id, "version": 1, "name": "王芳教授 Prof. Wang"}}),
            )
            .await;
        let t = &data["upsertTalentProfile"]["talent"];
        assert_eq!(t["name"], "王芳教授 Prof. Wang");
        assert_eq!(t["title"], "副教授");
        assert_eq!(t["bio"], "Tribology.");
        assert_eq!(t["keywords"], json!(["摩擦学"]));
        assert_eq!(t["disciplines"], json!([{"code": "460"}]));
        assert_eq!(t["availability"], json!(["CONSULTING"]));
        assert_eq!(t["version"], 2);
        // An explicit null clears the title; the own profile is found without its id.
        let data = app
            .gql_ok(
                Some(&w.u),
                UPSERT,
                json!({"input": {"linkToMe": true, "title": null}}),
            )
            .await;
        let t = &data["upsertTalentProfile"]["talent"];
        assert!(t["title"].is_null());
        assert_eq!(t["name"], "王芳教授 Prof. Wang");
        assert_eq!(t["version"], 3);
        // A stale version is a CONFLICT and writes nothing.
        let res = app
            .gql_err(
                Some(&w.u),
                UPSERT,
                json!({"input": {"id": id, "version": 2, "bio": "lost"}}),
                "CONFLICT",
            )
            .await;
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"],
            "input.version"
        );
        let data = app
            .gql_ok(
                Some(&w.u),
                "query($id: ID!) { talent(id: $id) { bio version } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(data["talent"], json!({"bio": "Tribology.", "version": 3}));
        // A new profile needs its organisation and name, and has no version yet.
        let res = app
            .gql_err(
                Some(&w.a),
                UPSERT,
                json!({"input": {"organizationId": w.org_a}}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"],
            "input.name"
        );
        let res = app
            .gql_err(
                Some(&w.a),
                UPSERT,
                json!({"input": {"organizationId": w.org_a, "name": "x", "version": 1}}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"],
            "input.version"
        );
        // Others still may not change it.
        app.gql_err(
            Some(&w.a),
            UPSERT,
            json!({"input": {"id": id, "bio": "hijack"}}),
            "FORBIDDEN",
        )
        .await;
    }
);
