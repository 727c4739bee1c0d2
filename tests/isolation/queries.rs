//! Root query fields: what each tenant (and an anonymous caller) reads
//! about the others' objects, one by one and through lists, filters and
//! search.

use serde_json::{Value, json};

use crate::world::*;

const NEED: &str =
    "query($id: ID!) { need(id: $id) { id title description keywords visibility status } }";

const NEEDS: &str = "query($f: NeedFilterInput) { needs(first: 100, filter: $f) {
  totalCount nodes { id title description keywords } } }";

const CAPABILITY: &str =
    "query($id: ID!) { capability(id: $id) { id title summary keywords status } }";

const CAPABILITIES: &str =
    "query($f: CapabilityFilterInput) { capabilities(first: 100, filter: $f) {
  totalCount nodes { id title summary keywords } } }";

const SEARCH: &str =
    "query($q: String!) { search(query: $q, first: 50) { edges { snippet matchedTerms
  node { __typename ... on Need { id title description keywords }
    ... on Capability { id title summary keywords } ... on Talent { id name bio } } } } }";

/// The ids of a connection's nodes.
fn ids(connection: &Value) -> Vec<String> {
    connection["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("a connection: {connection}"))
        .iter()
        .map(|n| crate::common::text(&n["id"]))
        .collect()
}

use crate::common::url_encode;

e2e!(needs_capabilities_and_search, |app| async move {
    let t = Tenants::build(&app).await;
    let missing_need = json!({"id": missing("Need")});

    // need(id:): hidden needs are NOT_FOUND, worded like a need that does
    // not exist; the owner reads each of them (the query works).
    for (id, marker) in [
        (&t.need_conf, A_CONF),
        (&t.need_draft, A_DRAFT),
        (&t.need_withdrawn, A_WITHDRAWN),
    ] {
        let data = t.ok(Who::A, NEED, json!({"id": id})).await;
        assert!(data.to_string().contains(marker), "{data}");
        for who in [Who::B, Who::U, Who::UStaff, Who::Anon] {
            t.refused_like_missing(
                who,
                NEED,
                json!({"id": id}),
                missing_need.clone(),
                "NOT_FOUND",
            )
            .await;
        }
    }
    let data = t.ok(Who::B, NEED, json!({"id": t.b_need_conf})).await;
    assert!(data.to_string().contains(B_CONF));
    for who in [Who::A, Who::U] {
        t.refused_like_missing(
            who,
            NEED,
            json!({"id": t.b_need_conf}),
            missing_need.clone(),
            "NOT_FOUND",
        )
        .await;
    }
    // PLATFORM: every signed-in tenant, no anonymous caller.
    for who in [Who::B, Who::U] {
        let data = t.ok(who, NEED, json!({"id": t.need_platform})).await;
        assert!(data.to_string().contains(A_PLATFORM));
    }
    t.refused_like_missing(
        Who::Anon,
        NEED,
        json!({"id": t.need_platform}),
        missing_need.clone(),
        "NOT_FOUND",
    )
    .await;

    // The same over GET /graphql?query=: the transport changes nothing.
    let url = format!(
        "/graphql?query={}&variables={}",
        url_encode(NEED),
        url_encode(&json!({"id": t.need_conf}).to_string())
    );
    let res = app
        .client
        .get(app.url(&url))
        .bearer_auth(&t.w.b)
        .send()
        .await
        .unwrap();
    let text = res.text().await.unwrap();
    assert_no_leak(Who::B, "GET /graphql need(id:)", &text);
    let body: Value = serde_json::from_str(&text).unwrap();
    crate::common::assert_code(&body, "NOT_FOUND");

    // needs: A's needs as each tenant lists them, unfiltered and filtered
    // on exactly what would single out the hidden ones.
    let of_a = json!({"f": {"organizationId": t.w.org_a}});
    let data = t.ok(Who::A, NEEDS, of_a.clone()).await;
    assert_eq!(data["needs"]["totalCount"], 5, "A lists all its needs");
    for (who, expected) in [
        (Who::B, vec![&t.need_platform, &t.need_public]),
        (Who::U, vec![&t.need_platform, &t.need_public]),
        (Who::Anon, vec![&t.need_public]),
    ] {
        let data = t.ok(who, NEEDS, of_a.clone()).await;
        let mut found = ids(&data["needs"]);
        found.sort();
        let mut expected: Vec<String> = expected.into_iter().cloned().collect();
        expected.sort();
        assert_eq!(found, expected, "{who:?}");
        assert_eq!(data["needs"]["totalCount"], expected.len(), "{who:?}");
        t.ok(who, NEEDS, json!({})).await;
    }
    let data = t.ok(Who::B, NEEDS, json!({})).await;
    assert!(
        ids(&data["needs"]).contains(&t.b_need_conf),
        "B lists its own confidential need"
    );
    for filter in [
        json!({"organizationId": t.w.org_a, "visibility": "CONFIDENTIAL"}),
        json!({"organizationId": t.w.org_a, "status": ["DRAFT", "WITHDRAWN"]}),
        json!({"keyword": "SECRET-A"}),
    ] {
        let data = t.ok(Who::A, NEEDS, json!({"f": filter})).await;
        assert!(
            data["needs"]["totalCount"].as_u64().unwrap() >= 1,
            "A finds its own with {filter}"
        );
        for who in [Who::B, Who::U, Who::Anon] {
            let data = t.ok(who, NEEDS, json!({"f": filter})).await;
            assert_eq!(data["needs"]["totalCount"], 0, "{who:?} with {filter}");
        }
    }

    // capability(id:): U's draft and archived capabilities.
    for (id, marker) in [(&t.cap_draft, U_DRAFT), (&t.cap_archived, U_ARCHIVED)] {
        let data = t.ok(Who::U, CAPABILITY, json!({"id": id})).await;
        assert!(data.to_string().contains(marker), "{data}");
        for who in [Who::A, Who::B, Who::Anon] {
            t.refused_like_missing(
                who,
                CAPABILITY,
                json!({"id": id}),
                json!({"id": missing("Capability")}),
                "NOT_FOUND",
            )
            .await;
        }
    }
    let data = t
        .ok(Who::Anon, CAPABILITY, json!({"id": t.cap_published}))
        .await;
    assert_eq!(data["capability"]["status"], "PUBLISHED");

    // capabilities: the drafts and archived ones are U's alone.
    let of_u = json!({"f": {"organizationId": t.w.org_u}});
    let private = json!({"f": {"organizationId": t.w.org_u, "status": ["DRAFT", "ARCHIVED"]}});
    let data = t.ok(Who::U, CAPABILITIES, of_u.clone()).await;
    assert_eq!(data["capabilities"]["totalCount"], 4);
    let data = t.ok(Who::U, CAPABILITIES, private.clone()).await;
    assert_eq!(data["capabilities"]["totalCount"], 2);
    for who in [Who::A, Who::B, Who::Anon] {
        let data = t.ok(who, CAPABILITIES, of_u.clone()).await;
        let mut found = ids(&data["capabilities"]);
        found.sort();
        let mut expected = vec![t.cap_published.clone(), t.cap_declined.clone()];
        expected.sort();
        assert_eq!(found, expected, "{who:?}");
        let data = t.ok(who, CAPABILITIES, private.clone()).await;
        assert_eq!(data["capabilities"]["totalCount"], 0, "{who:?}");
        let data = t
            .ok(who, CAPABILITIES, json!({"f": {"keyword": "SECRET-U"}}))
            .await;
        assert_eq!(data["capabilities"]["totalCount"], 0, "{who:?}");
    }

    // search: every object is about bearings, so each tenant's hits show
    // what visibility lets through; the leak check does the rest.
    let hits = crate::common::search_hit_ids;
    let q = json!({"q": "轴承 故障诊断"});
    let data = t.ok(Who::A, SEARCH, q.clone()).await;
    let found = hits(&data);
    for id in [&t.need_conf, &t.need_draft, &t.need_withdrawn] {
        assert!(found.contains(id), "A finds its own hidden needs: {data}");
    }
    let data = t.ok(Who::U, SEARCH, q.clone()).await;
    let found = hits(&data);
    assert!(found.contains(&t.cap_draft) && found.contains(&t.cap_archived));
    let data = t.ok(Who::B, SEARCH, q.clone()).await;
    let found = hits(&data);
    assert!(found.contains(&t.b_need_conf) && found.contains(&t.need_platform));
    assert!(found.contains(&t.talent_u), "signed-in users find talents");
    let data = t.ok(Who::Anon, SEARCH, q.clone()).await;
    let found = hits(&data);
    assert!(found.contains(&t.need_public) && found.contains(&t.cap_published));
    assert!(
        !found.contains(&t.talent_u),
        "talents are for signed-in users"
    );
    // Searching for the markers themselves finds nothing of the others.
    for who in [Who::B, Who::U, Who::Anon] {
        let data = t.ok(who, SEARCH, json!({"q": "SECRET A CONF 7f3"})).await;
        let found = hits(&data);
        assert!(!found.contains(&t.need_conf), "{who:?}: {data}");
    }
});

const PROJECT: &str = "query($id: ID!) { project(id: $id) { id title status
  milestones { title } checklist { title note } } }";

const PROJECTS: &str = "query($f: ProjectFilterInput) { projects(first: 100, filter: $f) {
  totalCount nodes { id title checklist { title note } } } }";

const STATS: &str = "{ stats { matchesByStatus { status count } projectsByStatus { status count }
  needsByStatus { status count } acceptanceRate overdueChecklistItems } }";

e2e!(projects_and_the_dashboard, |app| async move {
    let t = Tenants::build(&app).await;
    let missing_project = json!({"id": missing("Project")});

    // project(id:): the parties read it, everyone else gets NOT_FOUND.
    for who in [Who::A, Who::U, Who::UStaff] {
        let data = t.ok(who, PROJECT, json!({"id": t.project})).await;
        assert!(data.to_string().contains(AU_PROJECT), "{who:?}");
    }
    t.refused_like_missing(
        Who::B,
        PROJECT,
        json!({"id": t.project}),
        missing_project.clone(),
        "NOT_FOUND",
    )
    .await;
    t.refused(
        Who::Anon,
        PROJECT,
        json!({"id": t.project}),
        "UNAUTHENTICATED",
    )
    .await;
    let data = t.ok(Who::B, PROJECT, json!({"id": t.b_project})).await;
    assert!(data.to_string().contains(B_PROJECT));
    for who in [Who::A, Who::U] {
        t.refused_like_missing(
            who,
            PROJECT,
            json!({"id": t.b_project}),
            missing_project.clone(),
            "NOT_FOUND",
        )
        .await;
    }

    // projects: each tenant lists its own, also when filtering on the other's party.
    for (who, expected) in [
        (Who::A, &t.project),
        (Who::U, &t.project),
        (Who::B, &t.b_project),
    ] {
        let data = t.ok(who, PROJECTS, json!({})).await;
        assert_eq!(ids(&data["projects"]), vec![expected.clone()], "{who:?}");
        assert_eq!(data["projects"]["totalCount"], 1);
    }
    let data = t
        .ok(
            Who::B,
            PROJECTS,
            json!({"f": {"partyOrganizationId": t.w.org_a}}),
        )
        .await;
    assert_eq!(data["projects"]["totalCount"], 0);
    let data = t
        .ok(Who::B, PROJECTS, json!({"f": {"overdue": true}}))
        .await;
    assert_eq!(
        data["projects"]["totalCount"], 0,
        "A–U's overdue item is not B's"
    );
    t.refused(Who::Anon, PROJECTS, json!({}), "UNAUTHENTICATED")
        .await;

    // stats: the dashboard counts every tenant, so it is for coordinators
    // and admins only.
    for who in [Who::A, Who::B, Who::U, Who::UStaff] {
        t.refused(who, STATS, json!({}), "FORBIDDEN").await;
    }
    t.refused(Who::Anon, STATS, json!({}), "UNAUTHENTICATED")
        .await;
    let data = t.ok(Who::Admin, STATS, json!({})).await;
    let accepted = data["stats"]["matchesByStatus"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "ACCEPTED")
        .unwrap()["count"]
        .clone();
    assert_eq!(accepted, 1, "{data}");
});

const INSTRUMENT: &str =
    "query($id: ID!) { instrument(id: $id) { id name organization { id } viewerIsStaff } }";

const BOOKING: &str = "query($id: ID!) { booking(id: $id) { id purpose status rejectReason
  user { id } organization { id } } }";

const BOOKINGS: &str = "query($f: BookingFilterInput) { bookings(first: 100, filter: $f) {
  totalCount nodes { id purpose rejectReason user { id } } } }";

const USAGE: &str = "query($f: DateTime!, $t: DateTime!) { usageStats(from: $f, to: $t) {
  center { bookedHours } instruments { instrument { id name } bookedHours } } }";

e2e!(testing_center_reads, |app| async move {
    let t = Tenants::build(&app).await;

    // Instruments are shared by the center with every signed-in tenant.
    for who in [Who::A, Who::B, Who::U] {
        let data = t.ok(who, INSTRUMENT, json!({"id": t.instrument})).await;
        assert_eq!(data["instrument"]["viewerIsStaff"], false, "{who:?}");
        let data = t
            .ok(
                who,
                "{ instruments(first: 100) { nodes { id } } }",
                json!({}),
            )
            .await;
        assert_eq!(ids(&data["instruments"]), vec![t.instrument.clone()]);
    }
    t.refused(
        Who::Anon,
        INSTRUMENT,
        json!({"id": t.instrument}),
        "UNAUTHENTICATED",
    )
    .await;
    // Anonymous callers browse the public catalogue: U's instrument is not
    // in it.
    let data = t
        .ok(Who::Anon, "{ instruments { totalCount } }", json!({}))
        .await;
    assert_eq!(data["instruments"]["totalCount"], 0);
    t.refused(
        Who::B,
        INSTRUMENT,
        json!({"id": missing("Instrument")}),
        "NOT_FOUND",
    )
    .await;

    // booking(id:): the booker's organisation and the instrument's staff.
    let missing_booking = json!({"id": missing("Booking")});
    for id in [
        &t.booking_approved,
        &t.booking_rejected,
        &t.booking_requested,
    ] {
        for who in [Who::A, Who::UStaff] {
            let data = t.ok(who, BOOKING, json!({"id": id})).await;
            assert!(data.to_string().contains(A_BOOKING), "{who:?}");
        }
        for who in [Who::B, Who::U] {
            t.refused_like_missing(
                who,
                BOOKING,
                json!({"id": id}),
                missing_booking.clone(),
                "NOT_FOUND",
            )
            .await;
        }
        t.refused(Who::Anon, BOOKING, json!({"id": id}), "UNAUTHENTICATED")
            .await;
    }
    let data = t.ok(Who::B, BOOKING, json!({"id": t.b_booking})).await;
    assert!(data.to_string().contains(B_BOOKING));
    for who in [Who::A, Who::U] {
        t.refused_like_missing(
            who,
            BOOKING,
            json!({"id": t.b_booking}),
            missing_booking.clone(),
            "NOT_FOUND",
        )
        .await;
    }

    // bookings: own ones, also when asking for the instrument's.
    let all_of_a = {
        let mut v = vec![
            t.booking_approved.clone(),
            t.booking_rejected.clone(),
            t.booking_requested.clone(),
        ];
        v.sort();
        v
    };
    for filter in [json!({}), json!({"f": {"instrumentId": t.instrument}})] {
        let data = t.ok(Who::B, BOOKINGS, filter.clone()).await;
        assert_eq!(
            ids(&data["bookings"]),
            vec![t.b_booking.clone()],
            "{filter}"
        );
        let data = t.ok(Who::A, BOOKINGS, filter.clone()).await;
        let mut found = ids(&data["bookings"]);
        found.sort();
        assert_eq!(found, all_of_a, "{filter}");
        let data = t.ok(Who::U, BOOKINGS, filter.clone()).await;
        assert_eq!(
            data["bookings"]["totalCount"], 0,
            "a plain member of the owner does not run the instrument"
        );
        let data = t.ok(Who::UStaff, BOOKINGS, filter.clone()).await;
        assert_eq!(data["bookings"]["totalCount"], 4, "the staff see all");
    }
    t.refused(Who::Anon, BOOKINGS, json!({}), "UNAUTHENTICATED")
        .await;

    // usageStats: the staff of the instrument's organisation.
    let period = json!({"f": at(-1, 0).to_rfc3339(), "t": at(30, 0).to_rfc3339()});
    let data = t.ok(Who::UStaff, USAGE, period.clone()).await;
    assert_eq!(
        data["usageStats"]["instruments"][0]["instrument"]["id"],
        t.instrument.as_str()
    );
    assert_eq!(data["usageStats"]["center"]["bookedHours"], 2.0);
    for who in [Who::A, Who::B, Who::U] {
        t.refused(who, USAGE, period.clone(), "FORBIDDEN").await;
    }
    t.refused(Who::Anon, USAGE, period, "UNAUTHENTICATED").await;
});

const ME: &str = "{ me { id email memberships { role organization { id } } } }";

e2e!(directory_and_reference_data, |app| async move {
    let t = Tenants::build(&app).await;

    // me: one's own account only.
    let data = t.ok(Who::B, ME, json!({})).await;
    assert_eq!(data["me"]["id"], t.user_b.as_str());
    assert_eq!(data["me"]["email"], "b@enterprise-b.test");
    assert_eq!(
        data["me"]["memberships"],
        json!([{"role": "MEMBER", "organization": {"id": t.w.org_b}}])
    );
    let data = t.ok(Who::Anon, ME, json!({})).await;
    assert!(data["me"].is_null());

    // Organisations are a public directory: everybody reads them, and
    // nothing of a tenant's objects hangs off them (the leak check scans
    // every field).
    let org = "query($id: ID!) { organization(id: $id) { id name kind region { province city }
      parent { id } children { id } viewerCanManage viewerCanAdminister } }";
    for who in [Who::Anon, Who::B] {
        let data = t.ok(who, org, json!({"id": t.w.org_a})).await;
        assert_eq!(data["organization"]["viewerCanManage"], false, "{who:?}");
        let data = t
            .ok(
                who,
                "{ organizations(first: 100) { totalCount nodes { id name } } }",
                json!({}),
            )
            .await;
        assert_eq!(data["organizations"]["totalCount"], 3);
    }
    let data = t.ok(Who::A, org, json!({"id": t.w.org_a})).await;
    assert_eq!(data["organization"]["viewerCanManage"], true);
    t.refused(
        Who::B,
        org,
        json!({"id": missing("Organization")}),
        "NOT_FOUND",
    )
    .await;

    // Talent profiles: signed-in users of every tenant, no anonymous caller.
    let talent = "query($id: ID!) { talent(id: $id) { id name bio keywords viewerCanEdit } }";
    let talents = "{ talents(first: 100) { totalCount nodes { id bio } } }";
    for who in [Who::A, Who::B] {
        let data = t.ok(who, talent, json!({"id": t.talent_u})).await;
        assert!(data.to_string().contains(U_TALENT));
        assert_eq!(data["talent"]["viewerCanEdit"], false);
        let data = t.ok(who, talents, json!({})).await;
        assert_eq!(ids(&data["talents"]), vec![t.talent_u.clone()]);
    }
    t.refused(
        Who::Anon,
        talent,
        json!({"id": t.talent_u}),
        "UNAUTHENTICATED",
    )
    .await;
    t.refused(Who::Anon, talents, json!({}), "UNAUTHENTICATED")
        .await;

    // The classifications are reference data, the same for everybody.
    for field in ["disciplines", "industries"] {
        let q = format!("{{ {field}(first: 100) {{ totalCount nodes {{ code nameZh }} }} }}");
        let anonymous = t.ok(Who::Anon, &q, json!({})).await;
        assert!(anonymous[field]["totalCount"].as_u64().unwrap() > 0);
        assert_eq!(t.ok(Who::B, &q, json!({})).await, anonymous);
    }
});

const USERS: &str = "query($f: UserFilterInput) { users(first: 100, filter: $f) {
  totalCount nodes { id displayName email memberships { id } } } }";

const MEMBERS: &str = "query($id: ID!) { organization(id: $id) { id name
  members(first: 100) { totalCount nodes { id role user { id displayName email } } } } }";

e2e!(people_are_found_only_within_ones_circle, |app| async move {
    let t = Tenants::build(&app).await;
    let ids = |data: &Value| -> Vec<String> {
        data["users"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| crate::common::text(&n["id"]))
            .collect()
    };

    // users: one's own organisations' members, nobody else's.
    let data = t.ok(Who::A, USERS, json!({})).await;
    assert_eq!(ids(&data), vec![t.user_a.clone()]);
    let data = t
        .ok(Who::A, USERS, json!({"f": {"query": "enterprise-b"}}))
        .await;
    assert_eq!(data["users"]["totalCount"], 0, "A finds nobody of B");
    t.refused(
        Who::A,
        USERS,
        json!({"f": {"organizationId": t.w.org_b}}),
        "FORBIDDEN",
    )
    .await;
    t.refused(Who::Anon, USERS, json!({}), "UNAUTHENTICATED")
        .await;
    // With a project: its parties' members (to pick a checklist owner),
    // without their e-mail addresses or organisations.
    let data = t
        .ok(Who::A, USERS, json!({"f": {"projectId": t.project}}))
        .await;
    let mut found = ids(&data);
    found.sort();
    let mut parties = vec![t.user_a.clone(), t.user_u.clone()];
    let ustaff = data["users"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["displayName"] == "ustaff@university.test")
        .map(|n| crate::common::text(&n["id"]))
        .expect("U's staff member is a member of a party");
    parties.push(ustaff);
    parties.sort();
    assert_eq!(found, parties);
    for node in data["users"]["nodes"].as_array().unwrap() {
        if node["id"] != t.user_a.as_str() {
            assert!(node["email"].is_null(), "{data}");
            assert_eq!(node["memberships"], json!([]));
        }
    }
    // B may not name the A–U project: it does not exist for B.
    t.refused_like_missing(
        Who::B,
        USERS,
        json!({"f": {"projectId": t.project}}),
        json!({"f": {"projectId": missing("Project")}}),
        "NOT_FOUND",
    )
    .await;
    // Platform staff find everybody, also by e-mail address.
    let data = t
        .ok(Who::Admin, USERS, json!({"f": {"query": "enterprise-b"}}))
        .await;
    assert_eq!(ids(&data), vec![t.user_b.clone()]);

    // Organization.members: the organisation's members and staff only.
    let data = t.ok(Who::A, MEMBERS, json!({"id": t.w.org_a})).await;
    let members = &data["organization"]["members"];
    assert_eq!(members["totalCount"], 1);
    assert_eq!(members["nodes"][0]["id"], t.membership_a.as_str());
    assert_eq!(members["nodes"][0]["user"]["id"], t.user_a.as_str());
    let data = t.ok(Who::Admin, MEMBERS, json!({"id": t.w.org_u})).await;
    assert_eq!(data["organization"]["members"]["totalCount"], 2);
    for who in [Who::B, Who::U] {
        let body = t
            .refused(who, MEMBERS, json!({"id": t.w.org_a}), "FORBIDDEN")
            .await;
        assert_eq!(
            body["data"]["organization"]["name"], "Enterprise A 甲机电",
            "the organisation itself stays public: {body}"
        );
    }
    t.refused(
        Who::Anon,
        MEMBERS,
        json!({"id": t.w.org_a}),
        "UNAUTHENTICATED",
    )
    .await;

    // User.talentProfile: one's own profile, for signed-in users.
    t.ok(
        Who::B,
        "mutation($input: UpsertTalentProfileInput!) { upsertTalentProfile(input: $input) { talent { id } } }",
        json!({"input": {"organizationId": t.w.org_b, "name": "乙工程师 B engineer", "linkToMe": true}}),
    )
    .await;
    let profile = "query($id: ID!) { node(id: $id) { ... on User { talentProfile { name organization { id } } } } }";
    let data = t.ok(Who::U, profile, json!({"id": t.user_b})).await;
    assert_eq!(data["node"]["talentProfile"]["name"], "乙工程师 B engineer");
    let data = t.ok(Who::U, profile, json!({"id": t.user_a})).await;
    assert!(data["node"]["talentProfile"].is_null());
});

const AGREEMENT: &str = "query($id: ID!) { agreement(id: $id) { id title status areas
  parties { organization { id } responsiblePeople { id } } } }";

const AGREEMENTS: &str = "query($f: AgreementFilterInput) { agreements(first: 100, filter: $f) {
  totalCount nodes { id title } } }";

e2e!(agreements_are_their_parties_alone, |app| async move {
    let t = Tenants::build(&app).await;
    let missing_agreement = json!({"id": missing("Agreement")});

    // agreement(id:): the parties' members read it, B gets NOT_FOUND exactly
    // as for an id that names nothing, anonymous callers sign in first.
    for who in [Who::A, Who::U, Who::UStaff, Who::Admin] {
        let data = t.ok(who, AGREEMENT, json!({"id": t.agreement})).await;
        assert!(data.to_string().contains(AU_AGREEMENT), "{who:?}");
    }
    t.refused_like_missing(
        Who::B,
        AGREEMENT,
        json!({"id": t.agreement}),
        missing_agreement,
        "NOT_FOUND",
    )
    .await;
    t.refused(
        Who::Anon,
        AGREEMENT,
        json!({"id": t.agreement}),
        "UNAUTHENTICATED",
    )
    .await;

    // agreements: the parties list it; B lists nothing, whatever it filters on.
    for who in [Who::A, Who::U, Who::UStaff] {
        let data = t.ok(who, AGREEMENTS, json!({})).await;
        assert_eq!(
            ids(&data["agreements"]),
            vec![t.agreement.clone()],
            "{who:?}"
        );
    }
    for filter in [
        json!({}),
        json!({"partyOrganizationId": t.w.org_a}),
        json!({"status": ["DRAFT"], "area": ["TESTING_CENTER"]}),
    ] {
        let data = t.ok(Who::B, AGREEMENTS, json!({"f": filter})).await;
        assert_eq!(data["agreements"]["totalCount"], 0, "{filter}");
    }
    t.refused(Who::Anon, AGREEMENTS, json!({}), "UNAUTHENTICATED")
        .await;
});

const ACTIVITY: &str = "query($id: ID!) { activity(id: $id) { id title description status
  attendance participants { name hours } } }";

const ACTIVITIES: &str = "query($f: ActivityFilterInput) { activities(first: 100, filter: $f) {
  totalCount nodes { id title description participants { name } } } }";

e2e!(activities_are_their_organisations_alone, |app| async move {
    let t = Tenants::build(&app).await;
    let missing_activity = json!({"id": missing("Activity")});

    // activity(id:): the organisations involved and those in scope read it;
    // B gets NOT_FOUND exactly as for an id that names nothing, anonymous
    // callers sign in first.
    for who in [
        Who::A,
        Who::U,
        Who::UStaff,
        Who::UCoord,
        Who::ASup,
        Who::Admin,
    ] {
        let data = t.ok(who, ACTIVITY, json!({"id": t.activity})).await;
        assert!(data.to_string().contains(AU_ACTIVITY), "{who:?}");
    }
    for who in [Who::B, Who::PCoord] {
        t.refused_like_missing(
            who,
            ACTIVITY,
            json!({"id": t.activity}),
            missing_activity.clone(),
            "NOT_FOUND",
        )
        .await;
    }
    for who in [Who::A, Who::U, Who::PCoord] {
        t.refused_like_missing(
            who,
            ACTIVITY,
            json!({"id": t.b_activity}),
            missing_activity.clone(),
            "NOT_FOUND",
        )
        .await;
    }
    t.refused(
        Who::Anon,
        ACTIVITY,
        json!({"id": t.activity}),
        "UNAUTHENTICATED",
    )
    .await;

    // activities: each lists its own; B lists only B's whatever it filters
    // on (the A–U agreement's id included), the others never B's.
    for who in [Who::A, Who::U, Who::UStaff, Who::UCoord, Who::ASup] {
        let data = t.ok(who, ACTIVITIES, json!({})).await;
        assert_eq!(
            ids(&data["activities"]),
            vec![t.activity.clone()],
            "{who:?}"
        );
    }
    let data = t.ok(Who::PCoord, ACTIVITIES, json!({})).await;
    assert_eq!(data["activities"]["totalCount"], 0);
    for filter in [
        json!({}),
        json!({"organizationId": t.w.org_a}),
        json!({"agreementId": t.agreement}),
        json!({"areas": ["JOINT_TRAINING"], "statuses": ["PLANNED"]}),
        json!({"kinds": ["TRAINING_PROGRAMME"], "startFrom": "2020-01-01"}),
    ] {
        let data = t.ok(Who::B, ACTIVITIES, json!({"f": filter})).await;
        let listed = ids(&data["activities"]);
        assert!(
            listed.iter().all(|id| *id == t.b_activity),
            "{filter}: {data}"
        );
    }
    let data = t.ok(Who::B, ACTIVITIES, json!({})).await;
    assert_eq!(ids(&data["activities"]), vec![t.b_activity.clone()]);
    let data = t.ok(Who::Admin, ACTIVITIES, json!({})).await;
    assert_eq!(data["activities"]["totalCount"], 2);
    t.refused(Who::Anon, ACTIVITIES, json!({}), "UNAUTHENTICATED")
        .await;
});
