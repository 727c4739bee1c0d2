//! Keyed messages of organisations, members, accounts, talent profiles,
//! responsible talents and imports: every refusal carries its own key and
//! reads in Chinese with `Accept-Language: zh-CN` (GraphQL and REST), and the
//! command line's import names row problems in English.

use std::process::{Command, Output, Stdio};

use base64::Engine;
use serde_json::{Value, json};

use crate::common::has_chinese;
use crate::common::{self, TestApp};
use crate::fixtures::{CREATE_CAPABILITY, CREATE_ORG, World, add_member};

const ZH: &str = "zh-CN";

const ADD_MEMBER: &str = "mutation($input: AddMemberInput!) {
  addMember(input: $input) { membership { id } } }";

const MEMBERS: &str = "query($id: ID!) { organization(id: $id) {
  members(first: 10) { nodes { id user { email } } } } }";

const REMOVE: &str =
    "mutation($input: RemoveMemberInput!) { removeMember(input: $input) { deletedId } }";

const UPDATE_ORG: &str = "mutation($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) { organization { id } } }";

const USERS: &str = "query($f: UserFilterInput) { users(first: 5, filter: $f) { totalCount } }";

const UPSERT: &str = "mutation($input: UpsertTalentProfileInput!) {
  upsertTalentProfile(input: $input) { talent { id version } } }";

const MATCHES: &str = "query($id: ID!, $f: MatchFilterInput) {
  need(id: $id) { matches(first: 5, filter: $f) { totalCount } } }";

const IMPORT_CAPABILITIES: &str = "mutation($input: [CreateCapabilityInput!]!) {
  importCapabilities(input: {rows: $input, publish: false}) { count } }";

const IMPORT_NEEDS: &str = "mutation($input: [CreateNeedInput!]!) {
  importNeeds(input: {rows: $input, publish: false}) { count } }";

/// The global id of a database id (`Organization`, 999999).
fn global(kind: &str, id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

/// Runs an operation in Chinese; its first error.
async fn zh_error(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Value {
    let body = app.gql_in(token, ZH, query, variables).await;
    body["errors"][0].clone()
}

/// Fails unless `error` (GraphQL) has `code` and `key`, a Chinese message,
/// and — with `field` — names that field with the same key in Chinese (no
/// field otherwise).
#[track_caller]
fn keyed(error: &Value, code: &str, key: &str, field: Option<&str>) {
    let ext = &error["extensions"];
    assert_eq!(ext["code"], code, "{error}");
    assert_eq!(ext["key"], key, "{error}");
    let message = common::text(&error["message"]);
    assert!(has_chinese(&message), "not Chinese: {error}");
    let fields = ext["fields"].as_array().expect("fields");
    match field {
        Some(name) => {
            let f = fields
                .iter()
                .find(|f| f["field"] == name)
                .unwrap_or_else(|| panic!("no field {name}: {error}"));
            assert_eq!(f["key"], key, "{error}");
            assert_eq!(f["code"], code, "{error}");
            assert!(has_chinese(&common::text(&f["message"])), "{error}");
        }
        None => assert!(fields.is_empty(), "no field expected: {error}"),
    }
}

/// Fails unless the REST body has `code`, `key`, a Chinese message and
/// names `field`.
#[track_caller]
fn keyed_rest(body: &Value, code: &str, key: &str, field: &str) {
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["key"], key, "{body}");
    assert!(has_chinese(&common::text(&body["message"])), "{body}");
    let f = body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["field"] == field)
        .unwrap_or_else(|| panic!("no field {field}: {body}"));
    assert_eq!(f["key"], key, "{body}");
    assert!(has_chinese(&common::text(&f["message"])), "{body}");
}

/// GETs a REST path in Chinese; status and body.
async fn rest_zh(app: &TestApp, path: &str, token: &str) -> (u16, Value) {
    let res = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .header("accept-language", ZH)
        .send()
        .await
        .expect("GET");
    let status = res.status().as_u16();
    (status, res.json().await.expect("JSON"))
}

/// A talent profile of enterprise A, created by its member.
async fn talent_of_a(app: &TestApp, w: &World) -> String {
    let data = app
        .gql_ok(
            Some(&w.a),
            UPSERT,
            json!({"input": {"organizationId": w.org_a, "name": "王工 Wang"}}),
        )
        .await;
    common::text(&data["upsertTalentProfile"]["talent"]["id"])
}

e2e!(
    organizations_and_members_refuse_in_chinese,
    |app| async move {
        let w = World::new(&app).await;
        let lead = app.user("lead@enterprise-a.test").await;
        let res = add_member(
            &app,
            &w.admin,
            &w.org_a,
            "lead@enterprise-a.test",
            "ORG_ADMIN",
        )
        .await;
        assert!(res.get("errors").is_none(), "{res}");

        // Creating organisations: staff only.
        let e = zh_error(
            &app,
            Some(&w.a),
            CREATE_ORG,
            json!({"input": {"name": "Rogue 某公司", "kind": "ENTERPRISE"}}),
        )
        .await;
        keyed(&e, "FORBIDDEN", "organization.create.forbidden", None);

        // Adding members: admins and the organisation's ORG_ADMINs.
        let join = json!({"input": {"organizationId": w.org_a, "email": "b@enterprise-b.test", "role": "MEMBER"}});
        let e = zh_error(&app, Some(&w.a), ADD_MEMBER, join).await;
        keyed(&e, "FORBIDDEN", "membership.add.forbidden", None);
        // An e-mail nobody registered.
        let e = zh_error(
        &app,
        Some(&lead),
        ADD_MEMBER,
        json!({"input": {"organizationId": w.org_a, "email": "nobody@nowhere.test", "role": "MEMBER"}}),
    )
    .await;
        keyed(
            &e,
            "BAD_USER_INPUT",
            "membership.email.unknown",
            Some("input.email"),
        );

        // Seeing members: the organisation's members and staff.
        let e = zh_error(&app, Some(&w.b), MEMBERS, json!({"id": w.org_a})).await;
        keyed(&e, "FORBIDDEN", "organization.members.forbidden", None);

        // Removing a member: admins, ORG_ADMINs, or the member leaving.
        let data = app
            .gql_ok(Some(&w.admin), MEMBERS, json!({"id": w.org_a}))
            .await;
        let lead_membership = data["organization"]["members"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["user"]["email"] == "lead@enterprise-a.test")
            .map(|n| common::text(&n["id"]))
            .expect("the lead's membership");
        let e = zh_error(
            &app,
            Some(&w.a),
            REMOVE,
            json!({"input": {"membershipId": lead_membership}}),
        )
        .await;
        keyed(&e, "FORBIDDEN", "membership.remove.forbidden", None);

        // Changing the organisation: staff and its ORG_ADMINs.
        let e = zh_error(
            &app,
            Some(&w.a),
            UPDATE_ORG,
            json!({"input": {"id": w.org_a, "name": "甲机电集团"}}),
        )
        .await;
        keyed(&e, "FORBIDDEN", "organization.update.forbidden", None);
        // In English the text is unchanged.
        let res = app
            .gql(
                Some(&w.a),
                UPDATE_ORG,
                json!({"input": {"id": w.org_a, "name": "甲机电集团"}}),
            )
            .await;
        assert_eq!(
            common::error_message(&res),
            "only admins, coordinators and the organization's ORG_ADMINs may change it"
        );

        // Finding users: only in one's own circle.
        let e = zh_error(
            &app,
            Some(&w.a),
            USERS,
            json!({"f": {"organizationId": w.org_b}}),
        )
        .await;
        keyed(&e, "FORBIDDEN", "user.search.forbidden", None);
    }
);

e2e!(talent_profiles_refuse_in_chinese, |app| async move {
    let w = World::new(&app).await;
    let talent = talent_of_a(&app, &w).await;

    // Changing another organisation's profile.
    let e = zh_error(
        &app,
        Some(&w.b),
        UPSERT,
        json!({"input": {"id": talent, "bio": "改写"}}),
    )
    .await;
    keyed(&e, "FORBIDDEN", "talent.write.forbidden", None);

    // A new profile has no version, and needs an organisation and a name.
    let e = zh_error(
        &app,
        Some(&w.a),
        UPSERT,
        json!({"input": {"organizationId": w.org_a, "name": "李工", "version": 1}}),
    )
    .await;
    keyed(
        &e,
        "BAD_USER_INPUT",
        "talent.version.unexpected",
        Some("input.version"),
    );
    let e = zh_error(&app, Some(&w.a), UPSERT, json!({"input": {"name": "李工"}})).await;
    keyed(
        &e,
        "BAD_USER_INPUT",
        "talent.create.required",
        Some("input.organizationId"),
    );
    let e = zh_error(
        &app,
        Some(&w.a),
        UPSERT,
        json!({"input": {"organizationId": w.org_a}}),
    )
    .await;
    keyed(
        &e,
        "BAD_USER_INPUT",
        "talent.create.required",
        Some("input.name"),
    );

    // The organisation must exist, and be one the caller writes for.
    let e = zh_error(
        &app,
        Some(&w.a),
        UPSERT,
        json!({"input": {"organizationId": global("Organization", 999_999), "name": "李工"}}),
    )
    .await;
    keyed(
        &e,
        "BAD_USER_INPUT",
        "organization.unknown",
        Some("input.organizationId"),
    );
    let e = zh_error(
        &app,
        Some(&w.b),
        UPSERT,
        json!({"input": {"organizationId": w.org_a, "name": "李工"}}),
    )
    .await;
    keyed(&e, "FORBIDDEN", "organization.write.forbidden", None);

    // A capability names as responsible only profiles the caller may link.
    let e = zh_error(
        &app,
        Some(&w.b),
        CREATE_CAPABILITY,
        json!({"input": {"organizationId": w.org_b, "title": "Motor testing 电机测试",
            "talentIds": [talent]}}),
    )
    .await;
    keyed(&e, "FORBIDDEN", "talent.link.forbidden", None);
});

e2e!(imports_refuse_in_chinese, |app| async move {
    let w = World::new(&app).await;
    let talent = talent_of_a(&app, &w).await;

    // Rows for an unknown organisation, naming an unknown talent profile.
    let rows = json!([
        {"organizationId": w.org_b, "title": "Fine row 正常"},
        {"organizationId": global("Organization", 999_999), "title": "Nowhere 无处"},
        {"organizationId": w.org_b, "title": "Ghost 幽灵", "talentIds": [global("Talent", 999_999)]}
    ]);
    let e = zh_error(
        &app,
        Some(&w.b),
        IMPORT_CAPABILITIES,
        json!({"input": rows}),
    )
    .await;
    assert_eq!(e["extensions"]["code"], "BAD_USER_INPUT", "{e}");
    assert!(has_chinese(&common::text(&e["message"])), "{e}");
    let field = |name: &str| {
        e["extensions"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == name)
            .unwrap_or_else(|| panic!("no field {name}: {e}"))
            .clone()
    };
    let org = field("input.rows[1].organizationId");
    assert_eq!(org["key"], "organization.unknown", "{e}");
    assert!(has_chinese(&common::text(&org["message"])), "{e}");
    let ghost = field("input.rows[2].talentIds");
    assert_eq!(ghost["key"], "talent.ids.unknown", "{e}");
    assert!(has_chinese(&common::text(&ghost["message"])), "{e}");

    // Another organisation's talent profile as responsible.
    let rows =
        json!([{"organizationId": w.org_b, "title": "Borrowed 借用", "talentIds": [talent]}]);
    let e = zh_error(
        &app,
        Some(&w.b),
        IMPORT_CAPABILITIES,
        json!({"input": rows}),
    )
    .await;
    keyed(&e, "FORBIDDEN", "talent.link.forbidden", None);

    // Rows for an organisation the caller may not write for: named.
    let rows = json!([
        {"organizationId": w.org_b, "title": "Ours 自己的"},
        {"organizationId": w.org_a, "title": "Theirs 别人的"}
    ]);
    let e = zh_error(&app, Some(&w.b), IMPORT_NEEDS, json!({"input": rows})).await;
    keyed(&e, "FORBIDDEN", "import.organization.forbidden", None);
    assert!(common::text(&e["message"]).contains("rows[1]"), "{e}");
    // More than ten such rows: the first ten and how many more.
    let rows: Vec<Value> = (0..12)
        .map(|i| json!({"organizationId": w.org_a, "title": format!("Theirs {i} 别人的")}))
        .collect();
    let e = zh_error(&app, Some(&w.b), IMPORT_NEEDS, json!({"input": rows})).await;
    keyed(&e, "FORBIDDEN", "import.organization.forbidden_more", None);
    let message = common::text(&e["message"]);
    assert!(
        message.contains("rows[9] 以及另外 2 行") && !message.contains("rows[10]"),
        "{e}"
    );
    let res = app
        .gql(Some(&w.b), IMPORT_NEEDS, json!({"input": rows}))
        .await;
    assert!(
        common::error_message(&res).contains("rows[9] and 2 more: only members"),
        "{res}"
    );
});

e2e!(list_filters_refuse_in_chinese, |app| async move {
    let w = World::new(&app).await;
    let need = w
        .need(&app, "轴承故障预警 bearing warning", "PLATFORM", true)
        .await;

    // GraphQL: a score outside 0–1.
    let e = zh_error(
        &app,
        Some(&w.a),
        MATCHES,
        json!({"id": need, "f": {"minScore": 1.5}}),
    )
    .await;
    keyed(
        &e,
        "BAD_USER_INPUT",
        "value.out_of_range",
        Some("filter.minScore"),
    );

    // REST: the same, and one kind or mode only.
    let (status, body) = rest_zh(
        &app,
        &format!("/api/v1/needs/{need}/matches?minScore=2"),
        &w.a,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    keyed_rest(&body, "BAD_USER_INPUT", "value.out_of_range", "minScore");
    let (status, body) = rest_zh(
        &app,
        "/api/v1/organizations?kind=ENTERPRISE,UNIVERSITY",
        &w.a,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    keyed_rest(&body, "BAD_USER_INPUT", "filter.one_value", "kind");
    let (status, body) = rest_zh(
        &app,
        "/api/v1/talents?availableFor=JOINT_RESEARCH,TESTING",
        &w.a,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    keyed_rest(&body, "BAD_USER_INPUT", "filter.one_value", "availableFor");
});

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

e2e!(cli_import_names_row_problems_in_english, |app| async move {
    let w = World::new(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let jsonl = [
        json!({"organizationId": 999_999, "title": "Nowhere"}).to_string(),
        json!({"title": "Ghost", "talentIds": [999_999]}).to_string(),
    ]
    .join("\n");
    std::fs::write(dir.path().join("rows.jsonl"), jsonl).unwrap();
    let out = import(
        &app,
        dir.path(),
        &[
            "--kind",
            "capabilities",
            "--organization",
            &w.org_u,
            "rows.jsonl",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("line 1: organizationId: no such organization"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 2: talentIds: refers to a talent profile that does not exist"),
        "{stderr}"
    );
});
