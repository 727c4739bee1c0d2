//! Cooperation activities (合作活动) of the four areas that are neither
//! projects nor the testing center: the life cycle in each area with the
//! refused moves, participants and their hours, activities filed under a
//! framework agreement, the errors of bad input (in Chinese on request),
//! optimistic concurrency, and who sees and changes them — a stranger sees
//! nothing, a supervisor in scope reads and changes nothing.

use serde_json::{Value, json};

use crate::common::{self, TestApp, text};
use crate::fixtures::{World, create_org};

const ACTIVITY_FIELDS: &str = "id area kind title description status startDate endDate
  hostOrganization { id } organizations { id } attendance version completedAt cancelReason
  viewerCanEdit createdBy { id } agreement { id }
  participants { id role name hours talent { id name } organization { id } }";

fn mutation(name: &str) -> String {
    let input = match name {
        "startActivity" | "completeActivity" => "ActivityStepInput".to_owned(),
        _ => format!("{}{}Input", name[..1].to_uppercase(), &name[1..]),
    };
    format!(
        "mutation($input: {input}!) {{ {name}(input: $input) {{ activity {{ {ACTIVITY_FIELDS} }} }} }}"
    )
}

const ACTIVITY: &str = "query($id: ID!) { activity(id: $id) { id title status version } }";

const LIST: &str = "query($f: ActivityFilterInput) { activities(first: 50, filter: $f) {
  totalCount nodes { id kind area status } } }";

fn field_names(body: &Value) -> Vec<String> {
    let mut names: Vec<String> = body["errors"][0]["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| text(&f["field"]))
        .collect();
    names.sort();
    names
}

fn key(body: &Value) -> String {
    text(&body["errors"][0]["extensions"]["key"])
}

/// Creates an activity as `token`; returns it.
async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    let data = app
        .gql_ok(
            Some(token),
            &mutation("createActivity"),
            json!({"input": input}),
        )
        .await;
    data["createActivity"]["activity"].clone()
}

/// Runs one mutation of an activity as `token`; returns the activity.
async fn step(app: &TestApp, token: &str, name: &str, input: Value) -> Value {
    let data = app
        .gql_ok(Some(token), &mutation(name), json!({"input": input}))
        .await;
    data[name]["activity"].clone()
}

async fn count(app: &TestApp, token: &str, filter: Value) -> i64 {
    let data = app.gql_ok(Some(token), LIST, json!({"f": filter})).await;
    data["activities"]["totalCount"].as_i64().unwrap()
}

e2e!(
    activities_of_the_four_areas_go_through_their_life_cycle,
    |app| async move {
        let w = World::new(&app).await;
        let both = |kind: &str, title: &str, start: &str| {
            json!({"kind": kind, "title": title, "startDate": start,
                "hostOrganizationId": w.org_a, "organizationIds": [w.org_u]})
        };
        let consultation = create(
            &app,
            &w.a,
            json!({"kind": "EXPERT_CONSULTATION", "title": "专家咨询 Bearing failure analysis",
                "description": "轴承失效分析 a day of consultation", "startDate": "2026-11-03",
                "endDate": "2026-11-03", "hostOrganizationId": w.org_a,
                "organizationIds": [w.org_u, w.org_a]}),
        )
        .await;
        let internship = create(
            &app,
            &w.a,
            both("INTERNSHIP", "暑期实习 Summer internship", "2026-07-01"),
        )
        .await;
        let course = create(
            &app,
            &w.u,
            json!({"kind": "VOCATIONAL_COURSE", "title": "课程共建 Mechatronics course",
                "startDate": "2026-09-01", "hostOrganizationId": w.org_u,
                "organizationIds": [w.org_a]}),
        )
        .await;
        let pairing = create(
            &app,
            &w.a,
            json!({"kind": "PARTY_PAIRING", "title": "党组织结对共建 Branch pairing",
                "startDate": "2026-05-01", "hostOrganizationId": w.org_a,
                "organizationIds": [w.org_u], "attendance": 60}),
        )
        .await;
        let future = create(
            &app,
            &w.a,
            both(
                "JOINT_PARTY_ACTIVITY",
                "党建联建 Joint activity",
                "2099-01-01",
            ),
        )
        .await;

        // The area is always the kind's; the host is among the organisations.
        for (activity, area) in [
            (&consultation, "TALENT_SHARING"),
            (&internship, "JOINT_TRAINING"),
            (&course, "VOCATIONAL_EDUCATION"),
            (&pairing, "ORGANIZATION_PAIRING"),
            (&future, "ORGANIZATION_PAIRING"),
        ] {
            assert_eq!(activity["area"], area, "{activity}");
            assert_eq!(activity["status"], "PLANNED");
            assert_eq!(activity["version"], 1);
            assert_eq!(activity["viewerCanEdit"], true);
            let mut orgs: Vec<String> = activity["organizations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| text(&o["id"]))
                .collect();
            orgs.sort();
            let mut expected = vec![w.org_a.clone(), w.org_u.clone()];
            expected.sort();
            assert_eq!(orgs, expected, "{activity}");
        }
        assert_eq!(consultation["hostOrganization"]["id"], w.org_a.as_str());
        assert_eq!(pairing["attendance"], 60);
        // Both sides see what they take part in, and may change it.
        let data = app
            .gql_ok(
                Some(&w.u),
                "query($id: ID!) { activity(id: $id) { viewerCanEdit createdBy { id } } }",
                json!({"id": consultation["id"]}),
            )
            .await;
        assert_eq!(data["activity"]["viewerCanEdit"], true);
        assert!(data["activity"]["createdBy"]["id"].is_string());

        // A one-day consultation is completed straight from PLANNED and
        // keeps its end date.
        let done = step(
            &app,
            &w.u,
            "completeActivity",
            json!({"id": consultation["id"], "version": 1}),
        )
        .await;
        assert_eq!(done["status"], "COMPLETED");
        assert_eq!(done["endDate"], "2026-11-03");
        assert!(done["completedAt"].is_string());
        assert_eq!(done["version"], 2);

        // The internship starts, then completes: it ends today.
        let started = step(&app, &w.a, "startActivity", json!({"id": internship["id"]})).await;
        assert_eq!(started["status"], "UNDER_WAY");
        assert!(started["endDate"].is_null());
        let done = step(
            &app,
            &w.a,
            "completeActivity",
            json!({"id": internship["id"]}),
        )
        .await;
        assert_eq!(done["status"], "COMPLETED");
        let today = iurhub_domain::validate::today_in_china(chrono::Utc::now()).to_string();
        assert_eq!(done["endDate"], today.as_str());

        // An activity that has not started yet is not completed.
        let body = app
            .gql_err(
                Some(&w.a),
                &mutation("completeActivity"),
                json!({"input": {"id": future["id"]}}),
                "CONFLICT",
            )
            .await;
        assert_eq!(key(&body), "activity.complete.before_start");

        // Cancelling needs a reason.
        let cancel = mutation("cancelActivity");
        let body = app
            .gql_err(
                Some(&w.a),
                &cancel,
                json!({"input": {"id": pairing["id"], "reason": "  "}}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(field_names(&body), ["input.reason"]);
        let cancelled = step(
            &app,
            &w.a,
            "cancelActivity",
            json!({"id": pairing["id"], "reason": "支部换届 branch elections"}),
        )
        .await;
        assert_eq!(cancelled["status"], "CANCELLED");
        assert_eq!(cancelled["cancelReason"], "支部换届 branch elections");

        // Refused moves are CONFLICT and change nothing.
        for (name, activity) in [
            ("startActivity", &consultation),
            ("completeActivity", &pairing),
            ("startActivity", &pairing),
        ] {
            let body = app
                .gql_err(
                    Some(&w.a),
                    &mutation(name),
                    json!({"input": {"id": activity["id"]}}),
                    "CONFLICT",
                )
                .await;
            assert_eq!(key(&body), "activity.transition.not_allowed", "{name}");
        }
        let body = app
            .gql_err(
                Some(&w.a),
                &cancel,
                json!({"input": {"id": consultation["id"], "reason": "too late"}}),
                "CONFLICT",
            )
            .await;
        assert_eq!(key(&body), "activity.transition.not_allowed");
        let body = app
            .gql_err(
                Some(&w.a),
                &mutation("updateActivity"),
                json!({"input": {"id": pairing["id"], "title": "again"}}),
                "CONFLICT",
            )
            .await;
        assert_eq!(key(&body), "activity.not_editable");
        // A completed activity's record is still filled in.
        let edited = step(
            &app,
            &w.a,
            "updateActivity",
            json!({"id": consultation["id"], "attendance": 12}),
        )
        .await;
        assert_eq!(edited["attendance"], 12);

        // The list and its filters.
        assert_eq!(count(&app, &w.a, json!({})).await, 5);
        assert_eq!(count(&app, &w.u, json!({})).await, 5);
        assert_eq!(
            count(&app, &w.a, json!({"areas": ["ORGANIZATION_PAIRING"]})).await,
            2
        );
        assert_eq!(
            count(
                &app,
                &w.a,
                json!({"kinds": ["INTERNSHIP", "VOCATIONAL_COURSE"]})
            )
            .await,
            2
        );
        assert_eq!(
            count(&app, &w.a, json!({"statuses": ["COMPLETED"]})).await,
            2
        );
        assert_eq!(
            count(
                &app,
                &w.a,
                json!({"startFrom": "2026-06-01", "startTo": "2026-12-31"})
            )
            .await,
            3
        );
        assert_eq!(
            count(&app, &w.a, json!({"organizationId": w.org_u})).await,
            5
        );
        assert_eq!(
            count(&app, &w.admin, json!({"organizationId": w.org_b})).await,
            0
        );
        // Newest first, with cursors.
        let data = app
            .gql_ok(
                Some(&w.a),
                "{ activities(first: 2) { nodes { id } pageInfo { hasNextPage endCursor } } }",
                json!({}),
            )
            .await;
        assert_eq!(data["activities"]["nodes"][0]["id"], future["id"]);
        assert_eq!(data["activities"]["pageInfo"]["hasNextPage"], true);
        let after = text(&data["activities"]["pageInfo"]["endCursor"]);
        let data = app
            .gql_ok(
                Some(&w.a),
                "query($after: String) { activities(first: 10, after: $after) { nodes { id } } }",
                json!({"after": after}),
            )
            .await;
        assert_eq!(data["activities"]["nodes"].as_array().unwrap().len(), 3);
        assert_eq!(data["activities"]["nodes"][2]["id"], consultation["id"]);
        // node(id:) answers as activity(id:).
        let data = app
            .gql_ok(
                Some(&w.u),
                "query($id: ID!) { node(id: $id) { id ... on Activity { kind } } }",
                json!({"id": course["id"]}),
            )
            .await;
        assert_eq!(data["node"]["kind"], "VOCATIONAL_COURSE");
    }
);

const UPSERT_TALENT: &str = "mutation($input: UpsertTalentProfileInput!) {
  upsertTalentProfile(input: $input) { talent { id name } } }";

e2e!(participants_are_named_with_their_hours, |app| async move {
    let w = World::new(&app).await;
    let data = app
        .gql_ok(
            Some(&w.u),
            UPSERT_TALENT,
            json!({"input": {"organizationId": w.org_u, "name": "王芳 Wang Fang",
                "bio": "Tribology.", "keywords": ["摩擦学"], "disciplineCodes": ["460"],
                "availability": ["CONSULTING"]}}),
        )
        .await;
    let talent = text(&data["upsertTalentProfile"]["talent"]["id"]);

    let created = create(
        &app,
        &w.a,
        json!({"kind": "CO_SUPERVISED_GRADUATE", "title": "校企联合指导研究生 Co-supervised graduate",
            "startDate": "2026-09-01", "hostOrganizationId": w.org_a, "organizationIds": [w.org_u],
            "participants": [
                {"role": "SUPERVISOR", "talentId": talent, "hours": 16},
                {"role": "TRAINEE", "name": " 李明 Li Ming ", "organizationId": w.org_u, "hours": 0},
            ]}),
    )
    .await;
    let id = text(&created["id"]);
    let people = created["participants"].as_array().unwrap();
    assert_eq!(people.len(), 2);
    // A talent's name and organisation are the profile's.
    assert_eq!(people[0]["role"], "SUPERVISOR");
    assert_eq!(people[0]["name"], "王芳 Wang Fang");
    assert_eq!(people[0]["talent"]["id"], talent.as_str());
    assert_eq!(people[0]["organization"]["id"], w.org_u.as_str());
    assert_eq!(people[0]["hours"], 16);
    assert_eq!(people[1]["name"], "李明 Li Ming");
    assert!(people[1]["talent"].is_null());
    assert_eq!(people[1]["hours"], 0);

    let add = mutation("addActivityParticipant");
    let data = app
        .gql_ok(
            Some(&w.u),
            &add,
            json!({"input": {"activityId": id, "version": 1, "role": "EXPERT",
                "name": "张工 Zhang", "organizationId": w.org_a, "hours": 10000}}),
        )
        .await;
    let activity = &data["addActivityParticipant"]["activity"];
    assert_eq!(activity["version"], 2);
    assert_eq!(activity["participants"].as_array().unwrap().len(), 3);
    assert_eq!(activity["participants"][2]["hours"], 10000);
    // Every bad field of the participant is named.
    let body = app
        .gql_err(
            Some(&w.a),
            &add,
            json!({"input": {"activityId": id, "role": "TRAINEE", "hours": 10001,
                "talentId": "VGFsZW50Ojk5OTk5"}}),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(field_names(&body), ["input.hours", "input.talentId"]);
    let body = app
        .gql_err(
            Some(&w.a),
            &add,
            json!({"input": {"activityId": id, "role": "TRAINEE", "hours": -1}}),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(field_names(&body), ["input.hours", "input.name"]);
    // B is no party of it: NOT_FOUND.
    app.gql_err(
        Some(&w.b),
        &add,
        json!({"input": {"activityId": id, "role": "EXPERT", "name": "B"}}),
        "NOT_FOUND",
    )
    .await;

    let remove = mutation("removeActivityParticipant");
    let trainee = text(&activity["participants"][1]["id"]);
    app.gql_err(
        Some(&w.b),
        &remove,
        json!({"input": {"participantId": trainee}}),
        "NOT_FOUND",
    )
    .await;
    let data = app
        .gql_ok(
            Some(&w.a),
            &remove,
            json!({"input": {"participantId": trainee, "version": 2}}),
        )
        .await;
    let activity = &data["removeActivityParticipant"]["activity"];
    assert_eq!(activity["version"], 3);
    let names: Vec<String> = activity["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| text(&p["name"]))
        .collect();
    assert_eq!(names, ["王芳 Wang Fang", "张工 Zhang"]);
    let body = app
        .gql_err(
            Some(&w.a),
            &remove,
            json!({"input": {"participantId": trainee}}),
            "NOT_FOUND",
        )
        .await;
    assert_eq!(key(&body), "activity_participant.not_found");
    // The participant's node is seen by those who see the activity.
    let first = text(&activity["participants"][0]["id"]);
    let node = "query($id: ID!) { node(id: $id) { ... on ActivityParticipant { name hours } } }";
    let data = app.gql_ok(Some(&w.u), node, json!({"id": first})).await;
    assert_eq!(data["node"]["hours"], 16);
    app.gql_err(Some(&w.b), node, json!({"id": first}), "NOT_FOUND")
        .await;

    // At most 200 participants.
    let many: Vec<Value> = (0..201)
        .map(|i| json!({"role": "PARTICIPANT", "name": format!("学员 {i}")}))
        .collect();
    let body = app
        .gql_err(
            Some(&w.a),
            &mutation("createActivity"),
            json!({"input": {"kind": "TRAINING_PROGRAMME", "title": "大班 Large class",
                "startDate": "2026-09-01", "hostOrganizationId": w.org_a, "participants": many}}),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(field_names(&body), ["input.participants"]);
    assert_eq!(key(&body), "activity.participants.too_many");
});

const CREATE_AGREEMENT: &str = "mutation($input: CreateAgreementInput!) {
  createAgreement(input: $input) { agreement { id } } }";

const AGREEMENT_ACTIVITIES: &str = "query($id: ID!) { agreement(id: $id) {
  activities(first: 20) { totalCount nodes { id kind agreement { id } } } } }";

e2e!(
    activities_filed_under_an_agreement_are_of_its_areas_and_parties,
    |app| async move {
        let w = World::new(&app).await;
        // A department of A: below a party, so it may take part.
        let dept = create_org(
            &app,
            &w.admin,
            "A 研究院 A's institute",
            "ENTERPRISE",
            Some(&w.org_a),
        )
        .await;
        let data = app
            .gql_ok(
                Some(&w.a),
                CREATE_AGREEMENT,
                json!({"input": {"title": "人才合作协议 Talent agreement", "termStart": "2026-01-01",
                    "termEnd": "2030-12-31", "areas": ["TALENT_SHARING", "JOINT_TRAINING"],
                    "partyOrganizationIds": [w.org_a, w.org_u]}}),
            )
            .await;
        let agreement = text(&data["createAgreement"]["agreement"]["id"]);

        let filed = create(
            &app,
            &w.a,
            json!({"kind": "JOINT_STUDENT", "title": "联合培养学生 Joint student",
                "startDate": "2026-09-01", "hostOrganizationId": w.org_a,
                "organizationIds": [dept, w.org_u], "agreementId": agreement}),
        )
        .await;
        assert_eq!(filed["agreement"]["id"], agreement.as_str());
        let data = app
            .gql_ok(Some(&w.u), AGREEMENT_ACTIVITIES, json!({"id": agreement}))
            .await;
        assert_eq!(data["agreement"]["activities"]["totalCount"], 1);
        assert_eq!(
            data["agreement"]["activities"]["nodes"][0]["id"],
            filed["id"]
        );
        assert_eq!(
            count(&app, &w.a, json!({"agreementId": agreement})).await,
            1
        );

        // An area the agreement does not cover.
        let create_q = mutation("createActivity");
        let body = app
            .gql_err(
                Some(&w.a),
                &create_q,
                json!({"input": {"kind": "PARTY_PAIRING", "title": "结对", "startDate": "2026-09-01",
                    "hostOrganizationId": w.org_a, "organizationIds": [w.org_u],
                    "agreementId": agreement}}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(field_names(&body), ["input.agreementId"]);
        assert_eq!(key(&body), "activity.agreement.area_not_covered");
        // An organisation that is no party (nor below one).
        let body = app
            .gql_err(
                Some(&w.a),
                &create_q,
                json!({"input": {"kind": "SECONDMENT", "title": "挂职", "startDate": "2026-09-01",
                    "hostOrganizationId": w.org_a, "organizationIds": [w.org_b],
                    "agreementId": agreement}}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(field_names(&body), ["input.organizationIds"]);
        assert_eq!(key(&body), "activity.agreement.not_a_party");
        // B does not see the agreement: to it, it does not exist.
        let body = app
            .gql_err(
                Some(&w.b),
                &create_q,
                json!({"input": {"kind": "SECONDMENT", "title": "挂职", "startDate": "2026-09-01",
                    "hostOrganizationId": w.org_b, "agreementId": agreement}}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(key(&body), "agreement.unknown");

        // The draft agreement drops JOINT_TRAINING: the activity filed
        // under it keeps its link through edits that leave its area, its
        // organisations and its agreement alone.
        app.gql_ok(
            Some(&w.u),
            "mutation($input: UpdateAgreementInput!) { updateAgreement(input: $input) { agreement { id } } }",
            json!({"input": {"id": agreement, "areas": ["TALENT_SHARING"]}}),
        )
        .await;
        let renamed = step(
            &app,
            &w.u,
            "updateActivity",
            json!({"id": filed["id"], "title": "联合培养学生（二期）"}),
        )
        .await;
        assert_eq!(renamed["agreement"]["id"], agreement.as_str());

        // A new kind must stay within the agreement's areas too.
        let update = mutation("updateActivity");
        let body = app
            .gql_err(
                Some(&w.a),
                &update,
                json!({"input": {"id": filed["id"], "kind": "VOCATIONAL_STUDY"}}),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(key(&body), "activity.agreement.area_not_covered");
        let moved = step(
            &app,
            &w.a,
            "updateActivity",
            json!({"id": filed["id"], "kind": "SECONDMENT"}),
        )
        .await;
        assert_eq!(moved["area"], "TALENT_SHARING");
        // Taken out of the agreement with null.
        let out = step(
            &app,
            &w.a,
            "updateActivity",
            json!({"id": filed["id"], "agreementId": null}),
        )
        .await;
        assert!(out["agreement"].is_null());
        let data = app
            .gql_ok(Some(&w.a), AGREEMENT_ACTIVITIES, json!({"id": agreement}))
            .await;
        assert_eq!(data["agreement"]["activities"]["totalCount"], 0);
        // Out of it, it may involve B.
        let with_b = step(
            &app,
            &w.a,
            "updateActivity",
            json!({"id": filed["id"], "organizationIds": [w.org_b]}),
        )
        .await;
        assert_eq!(with_b["organizations"].as_array().unwrap().len(), 2);
        // … but A may not hand it over to B alone.
        let body = app
            .gql_err(
                Some(&w.a),
                &update,
                json!({"input": {"id": filed["id"], "hostOrganizationId": w.org_b,
                    "organizationIds": []}}),
                "FORBIDDEN",
            )
            .await;
        assert_eq!(key(&body), "activity.write.forbidden");
    }
);

e2e!(
    bad_input_names_every_field_in_chinese_and_stale_versions_conflict,
    |app| async move {
        let w = World::new(&app).await;
        let body = app
            .gql_in(
                Some(&w.a),
                "zh-CN",
                &mutation("createActivity"),
                json!({"input": {"kind": "SECONDMENT", "title": " ",
                    "description": "长".repeat(5001), "startDate": "2027-01-02",
                    "endDate": "2027-01-01", "attendance": -1, "hostOrganizationId": w.org_a,
                    "organizationIds": ["T3JnYW5pemF0aW9uOjk5OTk5"],
                    "participants": [{"role": "EXPERT", "hours": 20000}]}}),
            )
            .await;
        common::assert_code(&body, "BAD_USER_INPUT");
        assert_eq!(key(&body), "input.invalid_many");
        assert_eq!(
            field_names(&body),
            [
                "input.attendance",
                "input.description",
                "input.endDate",
                "input.organizationIds",
                "input.participants[0].hours",
                "input.participants[0].name",
                "input.title",
            ]
        );
        let message = common::error_message(&body);
        assert!(common::has_chinese(&message), "{body}");
        let fields = body["errors"][0]["extensions"]["fields"]
            .as_array()
            .unwrap();
        let of = |name: &str| {
            fields
                .iter()
                .find(|f| f["field"] == name)
                .unwrap_or_else(|| panic!("{name} in {body}"))
        };
        assert_eq!(of("input.endDate")["key"], "activity.end_before_start");
        assert_eq!(of("input.title")["key"], "value.required");
        assert_eq!(
            of("input.participants[0].name")["key"],
            "activity.participant.name_required"
        );
        assert_eq!(of("input.attendance")["key"], "value.out_of_range");
        for f in fields {
            assert!(common::has_chinese(&text(&f["message"])), "{f}");
        }
        assert!(message.contains("开始日期"), "{message}");

        // Optimistic concurrency: an edit based on an old version is refused.
        let created = create(
            &app,
            &w.a,
            json!({"kind": "VOCATIONAL_STUDY", "title": "职业教育研究课题 Study",
                "startDate": "2026-03-01", "hostOrganizationId": w.org_a}),
        )
        .await;
        let update = mutation("updateActivity");
        let data = app
            .gql_ok(
                Some(&w.a),
                &update,
                json!({"input": {"id": created["id"], "version": 1, "title": "课题（修订）",
                    "endDate": "2026-12-31", "description": "产教融合 industry–education"}}),
            )
            .await;
        let updated = &data["updateActivity"]["activity"];
        assert_eq!(updated["version"], 2);
        assert_eq!(updated["endDate"], "2026-12-31");
        assert_eq!(updated["description"], "产教融合 industry–education");
        let stale = [
            (
                "updateActivity",
                json!({"id": created["id"], "version": 1, "title": "lost"}),
            ),
            ("startActivity", json!({"id": created["id"], "version": 1})),
            (
                "cancelActivity",
                json!({"id": created["id"], "version": 1, "reason": "lost"}),
            ),
        ];
        for (name, input) in stale {
            let body = app
                .gql_err(
                    Some(&w.a),
                    &mutation(name),
                    json!({"input": input}),
                    "CONFLICT",
                )
                .await;
            assert_eq!(field_names(&body), ["input.version"], "{name}");
        }
        let data = app
            .gql_ok(Some(&w.a), ACTIVITY, json!({"id": created["id"]}))
            .await;
        assert_eq!(data["activity"]["title"], "课题（修订）");
        assert_eq!(data["activity"]["status"], "PLANNED");
        // `null` clears the end date again.
        let cleared = step(
            &app,
            &w.a,
            "updateActivity",
            json!({"id": created["id"], "endDate": null, "version": 2}),
        )
        .await;
        assert!(cleared["endDate"].is_null());
    }
);

e2e!(
    strangers_see_nothing_and_supervisors_change_nothing,
    |app| async move {
        let w = World::new(&app).await;
        let sup = app.user("sup@service-center.test").await;
        let res = app
            .gql(
                Some(&w.admin),
                "mutation($input: GrantRoleInput!) { grantRole(input: $input) { roleGrant { id } } }",
                json!({"input": {"organizationId": w.org_a, "email": "sup@service-center.test",
                    "role": "SUPERVISOR"}}),
            )
            .await;
        assert!(res.get("errors").is_none(), "{res}");

        let created = create(
            &app,
            &w.a,
            json!({"kind": "SECONDMENT", "title": "挂职交流 Secondment of A's engineer",
                "startDate": "2026-10-01", "hostOrganizationId": w.org_a,
                "participants": [{"role": "EXPERT", "name": "赵工 Zhao", "hours": 300}]}),
        )
        .await;
        let id = text(&created["id"]);
        let participant = text(&created["participants"][0]["id"]);

        // The stranger: NOT_FOUND, worded as for an id that names nothing,
        // and an empty list whatever the filter.
        let hidden = app
            .gql_err(Some(&w.b), ACTIVITY, json!({"id": id}), "NOT_FOUND")
            .await;
        let missing = app
            .gql_err(
                Some(&w.b),
                ACTIVITY,
                json!({"id": "QWN0aXZpdHk6OTk5OTk"}),
                "NOT_FOUND",
            )
            .await;
        assert_eq!(
            hidden["errors"][0]["message"],
            missing["errors"][0]["message"]
        );
        assert!(hidden["data"]["activity"].is_null());
        for filter in [
            json!({}),
            json!({"organizationId": w.org_a}),
            json!({"areas": ["TALENT_SHARING"]}),
        ] {
            assert_eq!(count(&app, &w.b, filter).await, 0);
        }
        app.gql_err(None, ACTIVITY, json!({"id": id}), "UNAUTHENTICATED")
            .await;
        // The stranger records nothing for A.
        let body = app
            .gql_err(
                Some(&w.b),
                &mutation("createActivity"),
                json!({"input": {"kind": "SECONDMENT", "title": "B for A", "startDate": "2026-10-01",
                    "hostOrganizationId": w.org_a}}),
                "FORBIDDEN",
            )
            .await;
        assert_eq!(key(&body), "activity.create.forbidden");

        // The supervisor of A reads it and lists it …
        let data = app
            .gql_ok(
                Some(&sup),
                "query($id: ID!) { activity(id: $id) { title viewerCanEdit createdBy { id } } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(
            data["activity"]["title"],
            "挂职交流 Secondment of A's engineer"
        );
        assert_eq!(data["activity"]["viewerCanEdit"], false);
        assert!(data["activity"]["createdBy"].is_null());
        assert_eq!(count(&app, &sup, json!({})).await, 1);
        // … and every activity mutation is FORBIDDEN.
        let version = json!({"id": id, "version": 1});
        let cases = [
            (
                "createActivity",
                json!({"kind": "SECONDMENT", "title": "x", "startDate": "2026-10-01",
                    "hostOrganizationId": w.org_a}),
            ),
            ("updateActivity", json!({"id": id, "title": "x"})),
            ("startActivity", version.clone()),
            ("completeActivity", version.clone()),
            ("cancelActivity", json!({"id": id, "reason": "x"})),
            (
                "addActivityParticipant",
                json!({"activityId": id, "role": "EXPERT", "name": "x"}),
            ),
            (
                "removeActivityParticipant",
                json!({"participantId": participant}),
            ),
        ];
        for (name, input) in cases {
            app.gql_err(
                Some(&sup),
                &mutation(name),
                json!({"input": input}),
                "FORBIDDEN",
            )
            .await;
        }
        // Nothing changed.
        let data = app.gql_ok(Some(&w.a), ACTIVITY, json!({"id": id})).await;
        assert_eq!(data["activity"]["version"], 1);
        assert_eq!(data["activity"]["status"], "PLANNED");
    }
);
