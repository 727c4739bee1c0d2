//! The world of the isolation matrix and the leak-checking client.
//!
//! Enterprises A and B compete; university U works with A. Every text that
//! some tenant must not see carries a unique marker (`SECRET-…-7f3`), and
//! [`SECRETS`] says who may see each one. [`Tenants::gql`] and
//! [`Tenants::rest`] scan every raw response for the markers hidden from the
//! caller, so each request of every case is also a leak check — including
//! the ones that are expected to succeed.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};

use crate::common::{TestApp, error_code};
use crate::fixtures::{CREATE_CAPABILITY, CREATE_NEED, World, add_member, me};

/// Who sends a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Anon,
    /// Member of enterprise A.
    A,
    /// Member of enterprise B, A's competitor.
    B,
    /// Faculty member (plain MEMBER) of university U.
    U,
    /// ORG_ADMIN of U: runs U's instrument (testing-center staff).
    UStaff,
    /// Platform ADMIN: sees everything (used for positive controls and
    /// before/after snapshots, never leak-checked).
    Admin,
    /// COORDINATOR over university U (granted by U's ORG_ADMIN): sees and
    /// curates what U's members do, and nothing of A or B beyond.
    UCoord,
    /// SUPERVISOR over enterprise A: reads A's projects and the figures,
    /// never A's confidential or draft records; changes nothing.
    ASup,
    /// Platform COORDINATOR without any grant: platform staff, no tenant's
    /// hidden records.
    PCoord,
}

/// Every signed-in caller of the world.
pub const SIGNED_IN: [Who; 8] = [
    Who::A,
    Who::B,
    Who::U,
    Who::UStaff,
    Who::Admin,
    Who::UCoord,
    Who::ASup,
    Who::PCoord,
];

/// A marker and who may see it.
pub struct Secret {
    pub marker: &'static str,
    pub audience: &'static [Who],
}

/// A's CONFIDENTIAL, published need (title, description, keywords).
pub const A_CONF: &str = "SECRET-A-CONF-7f3";
/// A's DRAFT need (visibility PUBLIC once published, which it is not).
pub const A_DRAFT: &str = "SECRET-A-DRAFT-7f3";
/// A's need, published then WITHDRAWN.
pub const A_WITHDRAWN: &str = "SECRET-A-WITHDRAWN-7f3";
/// A's PLATFORM need: every signed-in user, never anonymous callers.
pub const A_PLATFORM: &str = "MARK-A-PLATFORM-7f3";
/// The comment of A's decline of a suggested capability.
pub const A_DECLINE: &str = "SECRET-A-DECLINE-7f3";
/// The A–U project: title, milestone, checklist titles, the blocking note.
pub const AU_PROJECT: &str = "SECRET-AU-PROJECT-7f3";
/// U's DRAFT capability.
pub const U_DRAFT: &str = "SECRET-U-DRAFT-7f3";
/// U's capability, published then ARCHIVED.
pub const U_ARCHIVED: &str = "SECRET-U-ARCHIVED-7f3";
/// U's talent profile: signed-in users, never anonymous callers.
pub const U_TALENT: &str = "MARK-U-TALENT-7f3";
/// Purposes and the reject reason of A's bookings of U's instrument.
pub const A_BOOKING: &str = "SECRET-A-BOOKING-7f3";
/// The A–U framework agreement: its title and termination-free terms.
pub const AU_AGREEMENT: &str = "SECRET-AU-AGREEMENT-7f3";
/// The A–U cooperation activity: its title, description and the name of
/// its named participant.
pub const AU_ACTIVITY: &str = "SECRET-AU-ACTIVITY-7f3";
/// B's own cooperation activity.
pub const B_ACTIVITY: &str = "SECRET-B-ACTIVITY-7f3";
/// B's CONFIDENTIAL need.
pub const B_CONF: &str = "SECRET-B-CONF-7f3";
/// B's own project.
pub const B_PROJECT: &str = "SECRET-B-PROJECT-7f3";
/// The purpose of B's booking of U's instrument.
pub const B_BOOKING: &str = "SECRET-B-BOOKING-7f3";

use Who::{A, ASup, B, PCoord, U, UCoord, UStaff};

/// Every marker with its audience (ADMIN sees all of them).
pub const SECRETS: &[Secret] = &[
    Secret {
        marker: A_CONF,
        audience: &[A],
    },
    Secret {
        marker: A_DRAFT,
        audience: &[A],
    },
    Secret {
        marker: A_WITHDRAWN,
        audience: &[A],
    },
    Secret {
        marker: A_PLATFORM,
        audience: &[A, B, U, UStaff, UCoord, ASup, PCoord],
    },
    Secret {
        marker: A_DECLINE,
        audience: &[A],
    },
    Secret {
        marker: AU_PROJECT,
        audience: &[A, U, UStaff, UCoord, ASup],
    },
    Secret {
        marker: U_DRAFT,
        audience: &[U, UStaff, UCoord],
    },
    Secret {
        marker: U_ARCHIVED,
        audience: &[U, UStaff, UCoord],
    },
    Secret {
        marker: U_TALENT,
        audience: &[A, B, U, UStaff, UCoord, ASup, PCoord],
    },
    Secret {
        marker: A_BOOKING,
        audience: &[A, UStaff],
    },
    Secret {
        marker: AU_AGREEMENT,
        audience: &[A, U, UStaff, UCoord, ASup],
    },
    Secret {
        marker: AU_ACTIVITY,
        audience: &[A, U, UStaff, UCoord, ASup],
    },
    Secret {
        marker: B_ACTIVITY,
        audience: &[B],
    },
    Secret {
        marker: B_CONF,
        audience: &[B],
    },
    Secret {
        marker: B_PROJECT,
        audience: &[B],
    },
    Secret {
        marker: B_BOOKING,
        audience: &[B, UStaff],
    },
];

/// The markers `who` must never see.
pub fn hidden_from(who: Who) -> Vec<&'static str> {
    if who == Who::Admin {
        return Vec::new();
    }
    SECRETS
        .iter()
        .filter(|s| !s.audience.contains(&who))
        .map(|s| s.marker)
        .collect()
}

/// Fails when `text` (a whole response) shows `who` a marker hidden from them.
pub fn assert_no_leak(who: Who, what: &str, text: &str) {
    for marker in hidden_from(who) {
        assert!(
            !text.contains(marker),
            "{what}: {who:?} was shown {marker}, which is hidden from them:\n{text}"
        );
    }
}

/// A global id (`Need:42` → opaque string), to name objects that do not exist.
pub fn gid(kind: &str, n: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{n}"))
}

/// The id of an object of `kind` that does not exist.
pub fn missing(kind: &str) -> String {
    gid(kind, 999_999)
}

/// The database id inside a global id.
pub fn raw_id(global: &str) -> i64 {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(global).unwrap()).unwrap();
    raw.split(':').nth(1).unwrap().parse().unwrap()
}

/// The id of the (need, capability) pair.
pub fn match_id(need: &str, capability: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("Match:{}.{}", raw_id(need), raw_id(capability)))
}

/// A whole hour `days` days from now, in UTC.
pub fn at(days: i64, hour: u32) -> DateTime<Utc> {
    let d = (Utc::now() + Duration::days(days)).date_naive();
    Utc.from_utc_datetime(&d.and_hms_opt(hour, 0, 0).unwrap())
}

/// The first line of a GraphQL document, to name it in failures.
fn name_of(query: &str) -> String {
    query.lines().next().unwrap_or_default().trim().to_owned()
}

/// Everything the tenants own, by global id.
pub struct Tenants<'a> {
    pub app: &'a TestApp,
    pub w: World,
    pub ustaff: String,
    /// Tokens of [`Who::UCoord`], [`Who::ASup`], [`Who::PCoord`].
    pub ucoord: String,
    pub asup: String,
    pub pcoord: String,
    /// The COORDINATOR grant of [`Who::UCoord`] over U.
    pub grant_u: String,
    pub user_a: String,
    pub user_b: String,
    pub user_u: String,
    /// A's membership of enterprise A.
    pub membership_a: String,

    pub need_conf: String,
    pub need_platform: String,
    pub need_public: String,
    pub need_draft: String,
    pub need_withdrawn: String,
    pub b_need_conf: String,

    /// U's published capability; matches A's needs (and B's).
    pub cap_published: String,
    /// U's published capability A declined for its confidential need.
    pub cap_declined: String,
    pub cap_draft: String,
    pub cap_archived: String,
    /// U's talent profile, responsible for `cap_published`.
    pub talent_u: String,

    /// (A's confidential need, `cap_published`): ACCEPTED, with the A–U project.
    pub match_accepted: String,
    /// (A's confidential need, `cap_declined`): DECLINED with [`A_DECLINE`].
    pub match_declined: String,
    /// (A's public need, `cap_published`): SHORTLISTED.
    pub match_public: String,

    /// The A–U project from `match_accepted` (AGREED).
    pub project: String,
    pub milestone: String,
    /// Owned by U's member, overdue.
    pub item_open: String,
    /// BLOCKED with a note carrying [`AU_PROJECT`].
    pub item_blocked: String,
    /// The project's first event (PROJECT_CREATED).
    pub event: String,
    /// B's own project.
    pub b_project: String,
    /// The A–U framework agreement (a DRAFT, A confirmed): the A–U project
    /// and A's public need are filed under it; U's member is responsible.
    pub agreement: String,
    /// The A–U joint-training activity (hosted by A, U involved) under the
    /// agreement: U's talent and a named trainee take part.
    pub activity: String,
    /// The named trainee of `activity` (the talent is the first participant).
    pub activity_participant: String,
    /// B's own activity (a party pairing within B).
    pub b_activity: String,

    /// U's instrument (requires a qualification; A and B are qualified).
    pub instrument: String,
    /// Its maintenance window.
    pub maintenance: String,
    /// A's, APPROVED (in the calendar).
    pub booking_approved: String,
    /// A's, REJECTED with a reason carrying [`A_BOOKING`].
    pub booking_rejected: String,
    /// A's, REQUESTED.
    pub booking_requested: String,
    /// B's, REQUESTED.
    pub b_booking: String,
}

async fn create_need(
    app: &TestApp,
    token: &str,
    org: &str,
    title: &str,
    marker: Option<&str>,
    visibility: &str,
) -> String {
    let mut keywords = vec!["轴承", "故障诊断"];
    keywords.extend(marker);
    let data = app
        .gql_ok(
            Some(token),
            CREATE_NEED,
            json!({"input": {"organizationId": org, "title": title,
                "description": format!("{} 振动信号 轴承 故障诊断 fault diagnosis", marker.unwrap_or("")),
                "keywords": keywords, "disciplineCodes": ["460"], "trlRequired": 5,
                "cooperationModes": ["JOINT_RESEARCH"], "visibility": visibility}}),
        )
        .await;
    crate::common::text(&data["createNeed"]["need"]["id"])
}

async fn need_step(app: &TestApp, token: &str, op: &str, id: &str) {
    app.gql_ok(
        Some(token),
        &format!("mutation($id: ID!) {{ {op}(input: {{id: $id}}) {{ need {{ id }} }} }}"),
        json!({"id": id}),
    )
    .await;
}

async fn create_capability(
    app: &TestApp,
    w: &World,
    title: &str,
    marker: Option<&str>,
    talents: &[&str],
) -> String {
    let mut keywords = vec!["轴承", "故障诊断", "fault diagnosis"];
    keywords.extend(marker);
    let data = app
        .gql_ok(
            Some(&w.u),
            CREATE_CAPABILITY,
            json!({"input": {"organizationId": w.org_u, "title": title,
                "summary": format!("{} 振动信号 fault diagnosis 轴承 故障诊断", marker.unwrap_or("")),
                "keywords": keywords, "disciplineCodes": ["460"], "trl": 5, "talentIds": talents}}),
        )
        .await;
    crate::common::text(&data["createCapability"]["capability"]["id"])
}

async fn capability_step(app: &TestApp, token: &str, op: &str, id: &str) {
    app.gql_ok(
        Some(token),
        &format!("mutation($id: ID!) {{ {op}(input: {{id: $id}}) {{ capability {{ id }} }} }}"),
        json!({"id": id}),
    )
    .await;
}

async fn match_step(app: &TestApp, token: &str, op: &str, id: &str) {
    app.gql_ok(
        Some(token),
        &format!("mutation($id: ID!) {{ {op}(input: {{id: $id}}) {{ match {{ status }} }} }}"),
        json!({"id": id}),
    )
    .await;
}

/// A need's suggestions as seen by `token`: capability id → match id.
async fn suggestions(app: &TestApp, token: &str, need: &str) -> HashMap<String, String> {
    let data = app
        .gql_ok(
            Some(token),
            "query($id: ID!) { need(id: $id) { matches(first: 50) { nodes { id capability { id } } } } }",
            json!({"id": need}),
        )
        .await;
    data["need"]["matches"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                crate::common::text(&m["capability"]["id"]),
                crate::common::text(&m["id"]),
            )
        })
        .collect()
}

async fn add_item(app: &TestApp, token: &str, input: Value) -> String {
    let data = app
        .gql_ok(
            Some(token),
            "mutation($input: AddChecklistItemInput!) { addChecklistItem(input: $input) { item { id } } }",
            json!({"input": input}),
        )
        .await;
    crate::common::text(&data["addChecklistItem"]["item"]["id"])
}

async fn request_booking(
    app: &TestApp,
    token: &str,
    instrument: &str,
    day: i64,
    hour: u32,
    purpose: &str,
) -> String {
    let data = app
        .gql_ok(
            Some(token),
            "mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { id } } }",
            json!({"input": {"instrumentId": instrument, "start": at(day, hour).to_rfc3339(),
                "end": at(day, hour + 2).to_rfc3339(), "purpose": purpose}}),
        )
        .await;
    crate::common::text(&data["requestBooking"]["booking"]["id"])
}

/// The holders of scoped roles: a COORDINATOR of U granted by U's ORG_ADMIN
/// (`ustaff`), a SUPERVISOR of A granted by the admin, and a platform
/// COORDINATOR without grants (the platform role is set the way
/// `iurhub user set-role` does, in the database). Their tokens and the id
/// of the grant over U.
async fn scoped_roles(app: &TestApp, w: &World, ustaff: &str) -> (String, String, String, String) {
    const GRANT: &str =
        "mutation($input: GrantRoleInput!) { grantRole(input: $input) { roleGrant { id } } }";
    let ucoord = app.user("tto@university.test").await;
    let data = app
        .gql_ok(
            Some(ustaff),
            GRANT,
            json!({"input": {"organizationId": w.org_u, "email": "tto@university.test", "role": "COORDINATOR"}}),
        )
        .await;
    let grant_u = crate::common::text(&data["grantRole"]["roleGrant"]["id"]);
    let asup = app.user("sup@service-center.test").await;
    app.gql_ok(
        Some(&w.admin),
        GRANT,
        json!({"input": {"organizationId": w.org_a, "email": "sup@service-center.test", "role": "SUPERVISOR"}}),
    )
    .await;
    let pcoord = app.user("staff@platform.test").await;
    {
        use sea_orm::{ConnectionTrait, Database};
        let db = Database::connect(app.database_url.as_str()).await.unwrap();
        db.execute_unprepared(
            "UPDATE users SET platform_role = 'COORDINATOR' WHERE email = 'staff@platform.test'",
        )
        .await
        .unwrap();
        db.close().await.unwrap();
    }
    (ucoord, asup, pcoord, grant_u)
}

impl<'a> Tenants<'a> {
    /// Builds the world through the public API, as the tenants would.
    pub async fn build(app: &'a TestApp) -> Tenants<'a> {
        let w = World::new(app).await;
        let ustaff = app.user("ustaff@university.test").await;
        let res = add_member(
            app,
            &w.admin,
            &w.org_u,
            "ustaff@university.test",
            "ORG_ADMIN",
        )
        .await;
        assert!(res.get("errors").is_none(), "{res}");
        let (ucoord, asup, pcoord, grant_u) = scoped_roles(app, &w, &ustaff).await;
        let user_a = me(app, &w.a).await;
        let user_b = me(app, &w.b).await;
        let user_u = me(app, &w.u).await;
        let data = app
            .gql_ok(Some(&w.a), "{ me { memberships { id } } }", json!({}))
            .await;
        let membership_a = crate::common::text(&data["me"]["memberships"][0]["id"]);

        // Needs of A in every visibility and state, and B's confidential one;
        // all about bearings, so that every one of them would be found by
        // search and matching if visibility did not hide it.
        let (a, b) = (w.a.clone(), w.b.clone());
        let publish: &[&str] = &["publishNeed"];
        // (author, organisation, title, hidden marker, visibility, steps)
        let needs = [
            (
                &a,
                &w.org_a,
                format!("{A_CONF} 电机轴承故障诊断 bearing fault diagnosis"),
                Some(A_CONF),
                "CONFIDENTIAL",
                publish,
            ),
            (
                &a,
                &w.org_a,
                format!("{A_PLATFORM} 轴承润滑监测"),
                Some(A_PLATFORM),
                "PLATFORM",
                publish,
            ),
            (
                &a,
                &w.org_a,
                "大型电机轴承早期故障预警 bearing early warning".to_owned(),
                None,
                "PUBLIC",
                publish,
            ),
            (
                &a,
                &w.org_a,
                format!("{A_DRAFT} 轴承新工艺"),
                Some(A_DRAFT),
                "PUBLIC",
                &[],
            ),
            (
                &a,
                &w.org_a,
                format!("{A_WITHDRAWN} 轴承旧项目"),
                Some(A_WITHDRAWN),
                "PUBLIC",
                &["publishNeed", "withdrawNeed"],
            ),
            (
                &b,
                &w.org_b,
                format!("{B_CONF} 轴承故障诊断 competitor programme"),
                Some(B_CONF),
                "CONFIDENTIAL",
                publish,
            ),
        ];
        let mut ids = Vec::new();
        for (token, org, title, marker, visibility, steps) in needs {
            let id = create_need(app, token, org, &title, marker, visibility).await;
            for op in steps {
                need_step(app, token, op, &id).await;
            }
            ids.push(id);
        }
        let [
            need_conf,
            need_platform,
            need_public,
            need_draft,
            need_withdrawn,
            b_need_conf,
        ] = <[String; 6]>::try_from(ids).unwrap();

        // U's talent and capabilities: published, declined by A, draft, archived.
        let data = app
            .gql_ok(
                Some(&w.u),
                "mutation($input: UpsertTalentProfileInput!) { upsertTalentProfile(input: $input) { talent { id } } }",
                json!({"input": {"organizationId": w.org_u, "name": "张伟 Zhang Wei", "title": "教授 Professor",
                    "bio": format!("{U_TALENT} 轴承故障诊断 振动信号 fault diagnosis"),
                    "keywords": ["轴承", "故障诊断"], "disciplineCodes": ["460"],
                    "availability": ["JOINT_RESEARCH"]}}),
            )
            .await;
        let talent_u = crate::common::text(&data["upsertTalentProfile"]["talent"]["id"]);
        let cap_published = create_capability(
            app,
            &w,
            "Bearing fault diagnosis 轴承故障诊断",
            None,
            &[&talent_u],
        )
        .await;
        capability_step(app, &w.u, "publishCapability", &cap_published).await;
        let cap_declined =
            create_capability(app, &w, "Rolling bearing life 轴承寿命预测", None, &[]).await;
        capability_step(app, &w.u, "publishCapability", &cap_declined).await;
        let cap_draft = create_capability(
            app,
            &w,
            &format!("{U_DRAFT} 轴承故障诊断新方法"),
            Some(U_DRAFT),
            &[],
        )
        .await;
        let cap_archived = create_capability(
            app,
            &w,
            &format!("{U_ARCHIVED} 轴承故障诊断旧方法"),
            Some(U_ARCHIVED),
            &[],
        )
        .await;
        capability_step(app, &w.u, "publishCapability", &cap_archived).await;
        capability_step(app, &w.u, "archiveCapability", &cap_archived).await;

        // A decides on the suggestions for its confidential and public needs.
        let for_conf = suggestions(app, &a, &need_conf).await;
        let for_public = suggestions(app, &a, &need_public).await;
        let match_accepted = for_conf
            .get(&cap_published)
            .expect("the published capability fits the confidential need")
            .clone();
        let match_declined = for_conf
            .get(&cap_declined)
            .expect("the second capability fits the confidential need")
            .clone();
        let match_public = for_public
            .get(&cap_published)
            .expect("the published capability fits the public need")
            .clone();
        for op in ["shortlistMatch", "contactMatch", "acceptMatch"] {
            match_step(app, &a, op, &match_accepted).await;
        }
        // Both sides accept; the confidential need is hidden from U, so the
        // admin brokers the capability's side.
        app.gql_ok(
            Some(&w.admin),
            "mutation($id: ID!) { acceptMatch(input: {id: $id, side: CAPABILITY}) { match { status } } }",
            json!({"id": match_accepted}),
        )
        .await;
        app.gql_ok(
            Some(&a),
            "mutation($i: DeclineMatchInput!) { declineMatch(input: $i) { match { status } } }",
            json!({"i": {"id": match_declined, "reason": "OFF_TOPIC", "comment": format!("{A_DECLINE} 不符合三号产线")}}),
        )
        .await;
        match_step(app, &a, "shortlistMatch", &match_public).await;

        // The A–U project from the accepted match, with a milestone, an
        // overdue item owned by U's member and an item U blocked.
        let data = app
            .gql_ok(
                Some(&a),
                "mutation($m: ID!, $t: String) { createProjectFromMatch(input: {matchId: $m, title: $t,
                   area: JOINT_RESEARCH_PLATFORM, endDate: \"2027-12-31\"}) { project { id } } }",
                json!({"m": match_accepted, "t": format!("{AU_PROJECT} 轴承联合实验室")}),
            )
            .await;
        let project = crate::common::text(&data["createProjectFromMatch"]["project"]["id"]);
        // U accepts the invitation; both parties agree.
        app.gql_ok(
            Some(&w.u),
            "mutation($id: ID!) { acceptProjectInvitation(input: {id: $id}) { project { status } } }",
            json!({"id": project}),
        )
        .await;
        for token in [&a, &w.u] {
            app.gql_ok(
                Some(token),
                "mutation($id: ID!) { agreeProject(input: {id: $id}) { project { status } } }",
                json!({"id": project}),
            )
            .await;
        }
        let data = app
            .gql_ok(
                Some(&a),
                "mutation($input: AddMilestoneInput!) { addMilestone(input: $input) { milestone { id } } }",
                json!({"input": {"projectId": project, "title": format!("{AU_PROJECT} 设备到位"), "dueDate": "2027-06-30"}}),
            )
            .await;
        let milestone = crate::common::text(&data["addMilestone"]["milestone"]["id"]);
        let item_open = add_item(
            app,
            &a,
            json!({"projectId": project, "title": format!("{AU_PROJECT} 采购振动台"),
                "ownerUserId": user_u, "dueDate": "2020-01-31", "milestoneId": milestone}),
        )
        .await;
        let item_blocked = add_item(
            app,
            &w.u,
            json!({"projectId": project, "title": format!("{AU_PROJECT} 数据标注")}),
        )
        .await;
        app.gql_ok(
            Some(&w.u),
            "mutation($id: ID!, $note: String!) { blockChecklistItem(input: {id: $id, note: $note}) { item { status } } }",
            json!({"id": item_blocked, "note": format!("{AU_PROJECT} 等待甲方数据")}),
        )
        .await;
        let data = app
            .gql_ok(
                Some(&a),
                "query($id: ID!) { project(id: $id) { events(first: 1) { nodes { id } } } }",
                json!({"id": project}),
            )
            .await;
        let event = crate::common::text(&data["project"]["events"]["nodes"][0]["id"]);

        let data = app
            .gql_ok(
                Some(&b),
                "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
                json!({"input": {"title": format!("{B_PROJECT} 乙方自研"), "area": "OTHER",
                    "partyOrganizationIds": [w.org_b]}}),
            )
            .await;
        let b_project = crate::common::text(&data["createProject"]["project"]["id"]);
        add_item(
            app,
            &b,
            json!({"projectId": b_project, "title": format!("{B_PROJECT} 样机")}),
        )
        .await;

        // The A–U framework agreement: A drafts it, U's member is
        // responsible for U, the A–U project and A's public need belong to
        // it. Nobody confirms it: it stays a DRAFT, open to every drafting
        // mutation of its parties.
        let data = app
            .gql_ok(
                Some(&a),
                "mutation($input: CreateAgreementInput!) { createAgreement(input: $input) { agreement { id } } }",
                json!({"input": {"title": format!("{AU_AGREEMENT} 全面战略合作框架协议"),
                    "termStart": "2026-01-01", "termEnd": "2030-12-31",
                    "areas": ["JOINT_RESEARCH_PLATFORM", "TESTING_CENTER", "JOINT_TRAINING"],
                    "partyOrganizationIds": [w.org_a, w.org_u]}}),
            )
            .await;
        let agreement = crate::common::text(&data["createAgreement"]["agreement"]["id"]);
        app.gql_ok(
            Some(&w.u),
            "mutation($input: SetAgreementResponsiblePeopleInput!) { setAgreementResponsiblePeople(input: $input) { agreement { id } } }",
            json!({"input": {"agreementId": agreement, "organizationId": w.org_u, "userIds": [user_u]}}),
        )
        .await;
        app.gql_ok(
            Some(&a),
            "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { id } } }",
            json!({"input": {"id": project, "agreementId": agreement}}),
        )
        .await;
        app.gql_ok(
            Some(&a),
            "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { id } } }",
            json!({"input": {"id": need_public, "agreementId": agreement}}),
        )
        .await;

        // The A–U activity under the agreement, with U's talent and a named
        // trainee; B's own activity.
        let data = app
            .gql_ok(
                Some(&a),
                "mutation($input: CreateActivityInput!) { createActivity(input: $input) { activity { id participants { id } } } }",
                json!({"input": {"kind": "TRAINING_PROGRAMME",
                    "title": format!("{AU_ACTIVITY} 联合培养项目"),
                    "description": format!("{AU_ACTIVITY} 校企联合培养"),
                    "startDate": "2026-09-01", "hostOrganizationId": w.org_a,
                    "organizationIds": [w.org_u], "agreementId": agreement, "attendance": 30,
                    "participants": [
                        {"role": "SUPERVISOR", "talentId": talent_u, "hours": 40},
                        {"role": "TRAINEE", "name": format!("{AU_ACTIVITY} 学员"), "hours": 120}]}}),
            )
            .await;
        let activity = crate::common::text(&data["createActivity"]["activity"]["id"]);
        let activity_participant =
            crate::common::text(&data["createActivity"]["activity"]["participants"][1]["id"]);
        let data = app
            .gql_ok(
                Some(&b),
                "mutation($input: CreateActivityInput!) { createActivity(input: $input) { activity { id } } }",
                json!({"input": {"kind": "JOINT_PARTY_ACTIVITY",
                    "title": format!("{B_ACTIVITY} 党建活动"), "startDate": "2026-07-01",
                    "hostOrganizationId": w.org_b,
                    "participants": [{"role": "PARTICIPANT", "name": format!("{B_ACTIVITY} 党员")}]}}),
            )
            .await;
        let b_activity = crate::common::text(&data["createActivity"]["activity"]["id"]);

        // U's instrument: A and B qualified; A's bookings approved, rejected
        // and requested; B's requested; a maintenance window.
        let data = app
            .gql_ok(
                Some(&ustaff),
                "mutation($input: CreateInstrumentInput!) { createInstrument(input: $input) { instrument { id } } }",
                json!({"input": {"organizationId": w.org_u, "name": "扫描电镜 SEM", "model": "JSM-IT800",
                    "category": "SEM", "location": "分析测试中心 101", "rateInternal": "100",
                    "rateExternal": "300", "requiresQualification": true}}),
            )
            .await;
        let instrument = crate::common::text(&data["createInstrument"]["instrument"]["id"]);
        for user in [&user_a, &user_b] {
            app.gql_ok(
                Some(&ustaff),
                "mutation($i: ID!, $u: ID!, $e: DateTime) { grantQualification(input: {instrumentId: $i, userId: $u, expiresAt: $e}) { qualification { valid } } }",
                json!({"i": instrument, "u": user, "e": at(60, 0).to_rfc3339()}),
            )
            .await;
        }
        let data = app
            .gql_ok(
                Some(&ustaff),
                "mutation($i: ID!, $s: DateTime!, $e: DateTime!) { addMaintenanceWindow(input: {instrumentId: $i, start: $s, end: $e, reason: \"年度校准 calibration\"}) { maintenance { id } } }",
                json!({"i": instrument, "s": at(6, 8).to_rfc3339(), "e": at(6, 17).to_rfc3339()}),
            )
            .await;
        let maintenance = crate::common::text(&data["addMaintenanceWindow"]["maintenance"]["id"]);
        let purpose = format!("{A_BOOKING} 断口形貌观察");
        let booking_approved = request_booking(app, &a, &instrument, 3, 9, &purpose).await;
        app.gql_ok(
            Some(&ustaff),
            "mutation($id: ID!) { approveBooking(input: {id: $id}) { booking { status } } }",
            json!({"id": booking_approved}),
        )
        .await;
        let booking_rejected = request_booking(app, &a, &instrument, 3, 13, &purpose).await;
        app.gql_ok(
            Some(&ustaff),
            "mutation($id: ID!, $r: String!) { rejectBooking(input: {id: $id, reason: $r}) { booking { status } } }",
            json!({"id": booking_rejected, "r": format!("{A_BOOKING} 样品不符")}),
        )
        .await;
        let booking_requested = request_booking(app, &a, &instrument, 4, 9, &purpose).await;
        let b_booking =
            request_booking(app, &b, &instrument, 5, 9, &format!("{B_BOOKING} 竞品分析")).await;

        Tenants {
            app,
            w,
            ustaff,
            ucoord,
            asup,
            pcoord,
            grant_u,
            user_a,
            user_b,
            user_u,
            membership_a,
            need_conf,
            need_platform,
            need_public,
            need_draft,
            need_withdrawn,
            b_need_conf,
            cap_published,
            cap_declined,
            cap_draft,
            cap_archived,
            talent_u,
            match_accepted,
            match_declined,
            match_public,
            project,
            milestone,
            item_open,
            item_blocked,
            event,
            b_project,
            agreement,
            activity,
            activity_participant,
            b_activity,
            instrument,
            maintenance,
            booking_approved,
            booking_rejected,
            booking_requested,
            b_booking,
        }
    }

    pub fn token(&self, who: Who) -> Option<&str> {
        match who {
            Who::Anon => None,
            Who::A => Some(&self.w.a),
            Who::B => Some(&self.w.b),
            Who::U => Some(&self.w.u),
            Who::UStaff => Some(&self.ustaff),
            Who::Admin => Some(&self.w.admin),
            Who::UCoord => Some(&self.ucoord),
            Who::ASup => Some(&self.asup),
            Who::PCoord => Some(&self.pcoord),
        }
    }

    /// Sends a GraphQL operation as `who`, fails on any marker hidden from
    /// them in the raw body, and returns the body.
    pub async fn gql(&self, who: Who, query: &str, variables: Value) -> Value {
        let res = self
            .app
            .post_json(
                "/graphql",
                json!({"query": query, "variables": variables}),
                self.token(who),
            )
            .await;
        let text = res.text().await.expect("a body");
        assert_no_leak(who, &name_of(query), &text);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    }

    /// Like [`Tenants::gql`], failing on any error; returns `data`.
    pub async fn ok(&self, who: Who, query: &str, variables: Value) -> Value {
        let body = self.gql(who, query, variables).await;
        assert!(
            body.get("errors").is_none(),
            "{who:?} was refused {}: {body}",
            name_of(query)
        );
        body["data"].clone()
    }

    /// Like [`Tenants::gql`], requiring a refusal with `code` whose field
    /// (the error's `path`) yields nothing; what else the answer holds is
    /// what the caller may see (the leak check covers it). Returns the body.
    pub async fn refused(&self, who: Who, query: &str, variables: Value, code: &str) -> Value {
        let body = self.gql(who, query, variables).await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some(code),
            "{who:?} on {}: {body}",
            name_of(query)
        );
        let mut at = &body["data"];
        for step in body["errors"][0]["path"].as_array().into_iter().flatten() {
            at = match step {
                Value::String(field) => &at[field.as_str()],
                Value::Number(i) => &at[i.as_u64().unwrap() as usize],
                _ => break,
            };
        }
        assert!(at.is_null(), "the refused field has a value: {body}");
        body
    }

    /// `who` is refused `query` on a hidden object exactly as on a missing
    /// one: same code, same message, so the answer does not reveal that the
    /// object exists.
    pub async fn refused_like_missing(
        &self,
        who: Who,
        query: &str,
        hidden: Value,
        missing: Value,
        code: &str,
    ) {
        let on_hidden = self.refused(who, query, hidden, code).await;
        let on_missing = self.refused(who, query, missing, code).await;
        assert_eq!(
            on_hidden["errors"][0]["message"],
            on_missing["errors"][0]["message"],
            "{who:?} on {}: a hidden object is answered differently from a missing one",
            name_of(query)
        );
    }

    /// GET `path` as `who`; fails on a hidden marker; returns status and body.
    pub async fn rest(&self, who: Who, path: &str) -> (u16, String) {
        let mut req = self.app.client.get(self.app.url(path));
        if let Some(t) = self.token(who) {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.expect("GET");
        let status = res.status().as_u16();
        let text = res.text().await.expect("a body");
        assert_no_leak(who, path, &text);
        (status, text)
    }
}

/// The leak check itself: a marker hidden from the caller fails the test,
/// one in the caller's audience does not.
#[test]
fn the_leak_check_fails_on_a_hidden_marker_only() {
    let body = format!("{{\"data\": {{\"title\": \"{AU_PROJECT} 轴承\"}}}}");
    assert_no_leak(Who::U, "a party's view", &body);
    assert_no_leak(Who::Admin, "an admin's view", &body);
    let outsider = std::panic::catch_unwind(|| assert_no_leak(Who::B, "B's view", &body));
    assert!(outsider.is_err(), "B was shown {AU_PROJECT} unnoticed");
    for who in [
        Who::Anon,
        Who::A,
        Who::B,
        Who::U,
        Who::UStaff,
        Who::UCoord,
        Who::ASup,
        Who::PCoord,
    ] {
        assert!(
            !hidden_from(who).is_empty(),
            "{who:?} must have something to not see"
        );
    }
}
