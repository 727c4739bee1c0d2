//! A small world: two competing enterprises and a university, each with a
//! member, created through the public API.

use serde_json::{Value, json};

use crate::common::TestApp;

pub struct World {
    pub admin: String,
    /// Member of enterprise A's R&D department.
    pub a: String,
    /// Member of enterprise B.
    pub b: String,
    /// Faculty member of the university's college.
    pub u: String,
    pub org_a: String,
    pub org_b: String,
    pub org_u: String,
}

pub const CREATE_ORG: &str = "mutation($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { organization { id name kind parent { id } } } }";

pub const ADD_MEMBER: &str = "mutation($input: AddMemberInput!) {
  addMember(input: $input) { membership { id role organization { id } user { displayName } } } }";

pub const CREATE_NEED: &str = "mutation($input: CreateNeedInput!) {
  createNeed(input: $input) { need { id status version title visibility } } }";

pub const CREATE_CAPABILITY: &str = "mutation($input: CreateCapabilityInput!) {
  createCapability(input: $input) { capability { id status version title } } }";

pub async fn create_org(
    app: &TestApp,
    token: &str,
    name: &str,
    kind: &str,
    parent: Option<&str>,
) -> String {
    let data = app
        .gql_ok(
            Some(token),
            CREATE_ORG,
            json!({"input": {"name": name, "kind": kind, "parentId": parent, "region": {"province": "浙江省", "city": "杭州市"}}}),
        )
        .await;
    crate::common::text(&data["createOrganization"]["organization"]["id"])
}

pub async fn add_member(app: &TestApp, token: &str, org: &str, email: &str, role: &str) -> Value {
    app.gql(
        Some(token),
        ADD_MEMBER,
        json!({"input": {"organizationId": org, "email": email, "role": role}}),
    )
    .await
}

/// The global id of the token's user.
pub async fn me(app: &TestApp, token: &str) -> String {
    let data = app.gql_ok(Some(token), "{ me { id } }", json!({})).await;
    crate::common::text(&data["me"]["id"])
}

impl World {
    pub async fn new(app: &TestApp) -> World {
        let admin = app.admin_token().await;
        let org_a = create_org(app, &admin, "Enterprise A 甲机电", "ENTERPRISE", None).await;
        let org_b = create_org(app, &admin, "Enterprise B 乙电气", "ENTERPRISE", None).await;
        let org_u = create_org(app, &admin, "University U 某工业大学", "UNIVERSITY", None).await;
        let a = app.user("a@enterprise-a.test").await;
        let b = app.user("b@enterprise-b.test").await;
        let u = app.user("u@university.test").await;
        for (org, email) in [
            (&org_a, "a@enterprise-a.test"),
            (&org_b, "b@enterprise-b.test"),
            (&org_u, "u@university.test"),
        ] {
            let res = add_member(app, &admin, org, email, "MEMBER").await;
            assert!(res.get("errors").is_none(), "{res}");
        }
        World {
            admin,
            a,
            b,
            u,
            org_a,
            org_b,
            org_u,
        }
    }

    /// Creates a need of enterprise A and returns its id.
    pub async fn need(
        &self,
        app: &TestApp,
        title: &str,
        visibility: &str,
        publish: bool,
    ) -> String {
        let data = app
            .gql_ok(
                Some(&self.a),
                CREATE_NEED,
                json!({"input": {
                    "organizationId": self.org_a, "title": title,
                    "description": "振动数据 vibration data from 40 motors", "keywords": ["bearing", "轴承"],
                    "disciplineCodes": ["460"], "industryCodes": ["C34"], "trlRequired": 6,
                    "budgetMin": 100000, "budgetMax": 300000, "deadline": "2027-06-30",
                    "cooperationModes": ["JOINT_RESEARCH"], "visibility": visibility}}),
            )
            .await;
        let id = crate::common::text(&data["createNeed"]["need"]["id"]);
        if publish {
            app.gql_ok(
                Some(&self.a),
                "mutation($id: ID!) { publishNeed(input: {id: $id}) { need { status } } }",
                json!({"id": id}),
            )
            .await;
        }
        id
    }
}

/// The need's side shortlists, contacts and accepts the match, then the
/// capability's side accepts it too (`lab`: a member of the capability's
/// organisation; the admin, acting for the capability side, when the need is
/// hidden from the lab): the match is ACCEPTED.
pub async fn accept_both(app: &TestApp, need_side: &str, lab: &str, match_id: &str) {
    for op in ["shortlistMatch", "contactMatch", "acceptMatch"] {
        app.gql_ok(
            Some(need_side),
            &format!("mutation($id: ID!) {{ {op}(input: {{id: $id}}) {{ match {{ status }} }} }}"),
            json!({"id": match_id}),
        )
        .await;
    }
    let data = app
        .gql_ok(
            Some(lab),
            "mutation($id: ID!) { acceptMatch(input: {id: $id, side: CAPABILITY}) { match { status } } }",
            json!({"id": match_id}),
        )
        .await;
    assert_eq!(data["acceptMatch"]["match"]["status"], "ACCEPTED", "{data}");
}
