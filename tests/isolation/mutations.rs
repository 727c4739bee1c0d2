//! Every mutation, tried by the other tenants (and an anonymous caller) on
//! the objects of A and U: refused with the right code, worded like a
//! missing object where the object is hidden, and — re-read by a platform
//! admin before and after — nothing changed.

use serde_json::{Value, json};

use crate::world::*;

/// `query` as each of `whos` is refused with `code`; with `missing`
/// (variables naming nothing), exactly as an object that does not exist.
async fn deny(
    t: &Tenants<'_>,
    whos: &[Who],
    query: &str,
    vars: Value,
    code: &str,
    missing: Option<Value>,
) {
    for &who in whos {
        match &missing {
            Some(m) => {
                t.refused_like_missing(who, query, vars.clone(), m.clone(), code)
                    .await
            }
            None => {
                t.refused(who, query, vars.clone(), code).await;
            }
        }
    }
    t.refused(Who::Anon, query, vars, "UNAUTHENTICATED").await;
}

fn id_op(op: &str, payload: &str) -> String {
    // Mutations that take one input object (the others still take `id`).
    const INPUT: &[&str] = &[
        "publishNeed",
        "withdrawNeed",
        "closeNeed",
        "publishCapability",
        "archiveCapability",
        "confirmNeed",
        "confirmCapability",
    ];
    if INPUT.contains(&op) {
        format!("mutation($id: ID!) {{ {op}(input: {{id: $id}}) {{ {payload} }} }}")
    } else {
        format!("mutation($id: ID!) {{ {op}(id: $id) {{ {payload} }} }}")
    }
}

/// A mutation taking one input object with the id.
fn input_op(op: &str, payload: &str) -> String {
    format!("mutation($id: ID!) {{ {op}(input: {{id: $id}}) {{ {payload} }} }}")
}

const NEED_SNAPSHOT: &str = "query($org: ID!) { needs(first: 100, filter: {organizationId: $org}) {
  totalCount nodes { id title description keywords status visibility version updatedAt confirmedAt } } }";

const CAPABILITY_SNAPSHOT: &str =
    "query($org: ID!) { capabilities(first: 100, filter: {organizationId: $org}) {
  totalCount nodes { id title summary keywords status version updatedAt confirmedAt talents { id } } } }";

const TALENT_SNAPSHOT: &str =
    "{ talents(first: 100) { totalCount nodes { id name bio organization { id } updatedAt } } }";

async fn catalogue(t: &Tenants<'_>) -> Vec<Value> {
    let mut out = Vec::new();
    for org in [&t.w.org_a, &t.w.org_b, &t.w.org_u] {
        out.push(t.ok(Who::Admin, NEED_SNAPSHOT, json!({"org": org})).await);
        out.push(
            t.ok(Who::Admin, CAPABILITY_SNAPSHOT, json!({"org": org}))
                .await,
        );
    }
    out.push(t.ok(Who::Admin, TALENT_SNAPSHOT, json!({})).await);
    out
}

e2e!(
    need_capability_talent_and_import_mutations,
    |app| async move {
        let t = Tenants::build(&app).await;
        let before = catalogue(&t).await;

        let update_need = "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { id title } } }";
        let hijack =
            |id: &str| json!({"input": {"id": id, "title": "hijacked", "visibility": "PUBLIC"}});
        let missing_need = Some(json!({"id": missing("Need")}));
        // Hidden needs: NOT_FOUND, like a need that does not exist.
        for need in [&t.need_conf, &t.need_draft, &t.need_withdrawn] {
            deny(
                &t,
                &[Who::B, Who::U],
                update_need,
                hijack(need),
                "NOT_FOUND",
                Some(hijack(&missing("Need"))),
            )
            .await;
            for op in ["publishNeed", "withdrawNeed", "closeNeed", "confirmNeed"] {
                deny(
                    &t,
                    &[Who::B, Who::U],
                    &id_op(op, "need { id title }"),
                    json!({"id": need}),
                    "NOT_FOUND",
                    missing_need.clone(),
                )
                .await;
            }
        }
        // B's confidential need, the other way round.
        deny(
            &t,
            &[Who::A, Who::U],
            update_need,
            hijack(&t.b_need_conf),
            "NOT_FOUND",
            Some(hijack(&missing("Need"))),
        )
        .await;
        deny(
            &t,
            &[Who::A, Who::U],
            &id_op("withdrawNeed", "need { id }"),
            json!({"id": t.b_need_conf}),
            "NOT_FOUND",
            missing_need.clone(),
        )
        .await;
        // Needs the others may read but not change: FORBIDDEN.
        for need in [&t.need_public, &t.need_platform] {
            deny(
                &t,
                &[Who::B, Who::U],
                update_need,
                hijack(need),
                "FORBIDDEN",
                None,
            )
            .await;
            for op in ["publishNeed", "withdrawNeed", "closeNeed", "confirmNeed"] {
                deny(
                    &t,
                    &[Who::B, Who::U],
                    &id_op(op, "need { id }"),
                    json!({"id": need}),
                    "FORBIDDEN",
                    None,
                )
                .await;
            }
        }
        // Posting for another organisation, alone or among one's own rows.
        let create_need =
            "mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id } } }";
        deny(
            &t,
            &[Who::B, Who::U],
            create_need,
            json!({"input": {"organizationId": t.w.org_a, "title": "posted for A"}}),
            "FORBIDDEN",
            None,
        )
        .await;
        deny(
        &t,
        &[Who::B],
        "mutation($input: [CreateNeedInput!]!) { importNeeds(input: {rows: $input, publish: true}) { count } }",
        json!({"input": [{"organizationId": t.w.org_b, "title": "B's own row"},
            {"organizationId": t.w.org_a, "title": "a row for A"}]}),
        "FORBIDDEN",
        None,
    )
    .await;

        // Capabilities: U's draft and archived ones are hidden, the published
        // one is read-only to the others.
        let update_capability = "mutation($input: UpdateCapabilityInput!) { updateCapability(input: $input) { capability { id title } } }";
        let rename = |id: &str| json!({"input": {"id": id, "title": "hijacked"}});
        for capability in [&t.cap_draft, &t.cap_archived] {
            deny(
                &t,
                &[Who::A, Who::B],
                update_capability,
                rename(capability),
                "NOT_FOUND",
                Some(rename(&missing("Capability"))),
            )
            .await;
            for op in [
                "publishCapability",
                "archiveCapability",
                "confirmCapability",
            ] {
                deny(
                    &t,
                    &[Who::A, Who::B],
                    &id_op(op, "capability { id }"),
                    json!({"id": capability}),
                    "NOT_FOUND",
                    Some(json!({"id": missing("Capability")})),
                )
                .await;
            }
        }
        deny(
            &t,
            &[Who::A, Who::B],
            update_capability,
            rename(&t.cap_published),
            "FORBIDDEN",
            None,
        )
        .await;
        for op in [
            "publishCapability",
            "archiveCapability",
            "confirmCapability",
        ] {
            deny(
                &t,
                &[Who::A, Who::B],
                &id_op(op, "capability { id }"),
                json!({"id": t.cap_published}),
                "FORBIDDEN",
                None,
            )
            .await;
        }
        deny(
        &t,
        &[Who::A, Who::B],
        "mutation($input: CreateCapabilityInput!) { createCapability(input: $input) { capability { id } } }",
        json!({"input": {"organizationId": t.w.org_u, "title": "posted for U"}}),
        "FORBIDDEN",
        None,
    )
    .await;
        deny(
        &t,
        &[Who::A, Who::B],
        "mutation($input: [CreateCapabilityInput!]!) { importCapabilities(input: {rows: $input, publish: true}) { count } }",
        json!({"input": [{"organizationId": t.w.org_u, "title": "a row for U"}]}),
        "FORBIDDEN",
        None,
    )
    .await;

        // Talent profiles: readable by all signed-in users, changed by their
        // organisation only — neither edited in place nor moved to B.
        let upsert = "mutation($input: UpsertTalentProfileInput!) { upsertTalentProfile(input: $input) { talent { id name } } }";
        for org in [&t.w.org_u, &t.w.org_b] {
            deny(
                &t,
                &[Who::A, Who::B],
                upsert,
                json!({"input": {"id": t.talent_u, "organizationId": org, "name": "hijacked"}}),
                "FORBIDDEN",
                None,
            )
            .await;
        }
        deny(
            &t,
            &[Who::B],
            upsert,
            json!({"input": {"organizationId": t.w.org_u, "name": "planted in U"}}),
            "FORBIDDEN",
            None,
        )
        .await;

        assert_eq!(
            catalogue(&t).await,
            before,
            "a refused mutation changed something"
        );
    }
);

// Not the score: it is recomputed from the text index at each read.
const MATCH_SNAPSHOT: &str =
    "query($id: ID!) { node(id: $id) { ... on Match { status declineReason declineComment } } }";

async fn decisions(t: &Tenants<'_>) -> Vec<Value> {
    let mut out = Vec::new();
    for id in [&t.match_accepted, &t.match_declined, &t.match_public] {
        out.push(t.ok(Who::A, MATCH_SNAPSHOT, json!({"id": id})).await);
    }
    out.push(
        t.ok(
            Who::Admin,
            "{ stats { matchesByStatus { status count } } projects { totalCount } }",
            json!({}),
        )
        .await,
    );
    out
}

const FROM_MATCH: &str =
    "mutation($m: ID!, $title: String) { createProjectFromMatch(input: {matchId: $m, title: $title}) {
  project { id title need { id } } } }";

e2e!(
    match_decisions_and_projects_from_matches,
    |app| async move {
        let t = Tenants::build(&app).await;
        let before = decisions(&t).await;

        let decline = "mutation($id: ID!) { declineMatch(input: {id: $id, reason: OTHER}) { match { id status } } }";
        let decide: Vec<String> = ["shortlistMatch", "contactMatch", "acceptMatch"]
            .iter()
            .map(|op| input_op(op, "match { id status need { title } }"))
            .chain([decline.to_owned()])
            .collect();
        // Pairs of A's confidential need: nobody else learns the need exists.
        let missing_match = json!({"id": match_id(&missing("Need"), &t.cap_published)});
        for m in [&t.match_accepted, &t.match_declined] {
            for query in &decide {
                deny(
                    &t,
                    &[Who::B, Who::U],
                    query,
                    json!({"id": m}),
                    "NOT_FOUND",
                    Some(missing_match.clone()),
                )
                .await;
            }
            deny(
                &t,
                &[Who::B, Who::U],
                FROM_MATCH,
                json!({"m": m}),
                "NOT_FOUND",
                Some(json!({"m": match_id(&missing("Need"), &t.cap_published)})),
            )
            .await;
        }
        // The pair of A's public need: its need is public, the pair is its
        // two sides' — B does not learn it exists; U, whose capability it is,
        // neither takes the need side's steps nor speaks for it.
        for query in &decide {
            deny(
                &t,
                &[Who::B],
                query,
                json!({"id": t.match_public}),
                "NOT_FOUND",
                Some(missing_match.clone()),
            )
            .await;
        }
        for op in ["shortlistMatch", "contactMatch"] {
            deny(
                &t,
                &[Who::U],
                &input_op(op, "match { id status need { title } }"),
                json!({"id": t.match_public}),
                "BAD_USER_INPUT",
                None,
            )
            .await;
        }
        deny(
            &t,
            &[Who::U],
            "mutation($id: ID!) { acceptMatch(input: {id: $id, side: NEED}) { match { id status } } }",
            json!({"id": t.match_public}),
            "FORBIDDEN",
            None,
        )
        .await;
        deny(
            &t,
            &[Who::B, Who::U],
            FROM_MATCH,
            json!({"m": t.match_public}),
            "FORBIDDEN",
            None,
        )
        .await;
        // A pair id is two ids anyone can write: A pairing its own need with
        // U's draft or archived capability cannot decide on (or learn of) it.
        for capability in [&t.cap_draft, &t.cap_archived] {
            t.refused_like_missing(
                Who::A,
                &decide[0],
                json!({"id": match_id(&t.need_conf, capability)}),
                json!({"id": match_id(&t.need_conf, &missing("Capability"))}),
                "NOT_FOUND",
            )
            .await;
        }
        assert_eq!(
            decisions(&t).await,
            before,
            "a refused decision changed something"
        );

        // A project from a match of a confidential need does not copy the
        // need's title to the other party: it needs a title of its own.
        let data = t
        .ok(
            Who::U,
            "mutation($input: CreateCapabilityInput!) { createCapability(input: $input) { capability { id } } }",
            json!({"input": {"organizationId": t.w.org_u, "title": "Bearing vibration analytics 轴承振动分析",
                "summary": "振动信号 轴承 故障诊断", "keywords": ["轴承", "故障诊断"], "disciplineCodes": ["460"], "trl": 5}}),
        )
        .await;
        let fresh = crate::common::text(&data["createCapability"]["capability"]["id"]);
        t.ok(
            Who::U,
            &id_op("publishCapability", "capability { id }"),
            json!({"id": fresh}),
        )
        .await;
        let pair = match_id(&t.need_conf, &fresh);
        for op in ["shortlistMatch", "contactMatch", "acceptMatch"] {
            t.ok(
                Who::A,
                &input_op(op, "match { status }"),
                json!({"id": pair}),
            )
            .await;
        }
        t.ok(
            Who::Admin,
            "mutation($id: ID!) { acceptMatch(input: {id: $id, side: CAPABILITY}) { match { status } } }",
            json!({"id": pair}),
        )
        .await;
        let res = t
            .refused(Who::A, FROM_MATCH, json!({"m": pair}), "BAD_USER_INPUT")
            .await;
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"], "input.title",
            "{res}"
        );
        let data = t
            .ok(
                Who::A,
                FROM_MATCH,
                json!({"m": pair, "title": "振动分析联合攻关 joint study"}),
            )
            .await;
        let project = crate::common::text(&data["createProjectFromMatch"]["project"]["id"]);
        let data = t
        .ok(
            Who::U,
            "query($id: ID!) { project(id: $id) { title need { id } events { nodes { changes { field to } } } } }",
            json!({"id": project}),
        )
        .await;
        assert_eq!(data["project"]["title"], "振动分析联合攻关 joint study");
        assert!(data["project"]["need"].is_null());
        // A public need's title is not secret: it stays the default.
        for op in ["contactMatch", "acceptMatch"] {
            t.ok(
                Who::A,
                &input_op(op, "match { status }"),
                json!({"id": t.match_public}),
            )
            .await;
        }
        t.ok(
            Who::U,
            &input_op("acceptMatch", "match { status }"),
            json!({"id": t.match_public}),
        )
        .await;
        let data = t.ok(Who::A, FROM_MATCH, json!({"m": t.match_public})).await;
        assert_eq!(
            data["createProjectFromMatch"]["project"]["title"],
            "大型电机轴承早期故障预警 bearing early warning"
        );
    }
);

const PROJECT_SNAPSHOT: &str =
    "query($id: ID!) { project(id: $id) { title area status version startDate endDate
  terminationReason updatedAt progress { done total } parties { id }
  milestones { id title dueDate items { id } }
  checklist { id title status note version dueDate position milestone { id } owner { id } }
  events(first: 100) { totalCount } } }";

async fn projects(t: &Tenants<'_>) -> Vec<Value> {
    let mut out = Vec::new();
    for id in [&t.project, &t.b_project] {
        out.push(t.ok(Who::Admin, PROJECT_SNAPSHOT, json!({"id": id})).await);
    }
    out.push(
        t.ok(
            Who::Admin,
            "{ projects(first: 100) { totalCount nodes { id } } }",
            json!({}),
        )
        .await,
    );
    out
}

e2e!(project_mutations, |app| async move {
    let t = Tenants::build(&app).await;
    let before = projects(&t).await;

    let project = |id: &str| json!({"id": id});
    let missing_project = || Some(json!({"id": missing("Project")}));
    for op in ["agreeProject", "startProject", "completeProject"] {
        deny(
            &t,
            &[Who::B],
            &input_op(op, "project { id title }"),
            project(&t.project),
            "NOT_FOUND",
            missing_project(),
        )
        .await;
    }
    let terminate = "mutation($id: ID!) { terminateProject(input: {id: $id, reason: \"sabotage\"}) { project { id } } }";
    let update = "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { id title } } }";
    let retitle = |id: &str| json!({"input": {"id": id, "title": "hijacked", "endDate": null}});
    let add_milestone = "mutation($input: AddMilestoneInput!) { addMilestone(input: $input) { milestone { id } project { title } } }";
    let milestone_in = |id: &str| json!({"input": {"projectId": id, "title": "planted"}});
    let update_milestone = "mutation($input: UpdateMilestoneInput!) { updateMilestone(input: $input) { milestone { id title } project { title } } }";
    let milestone_edit =
        |id: &str| json!({"input": {"id": id, "title": "hijacked", "dueDate": null}});
    let add_item = "mutation($input: AddChecklistItemInput!) { addChecklistItem(input: $input) { item { id } project { title } } }";
    let item_in = |id: &str| json!({"input": {"projectId": id, "title": "planted"}});
    let update_item = "mutation($input: UpdateChecklistItemInput!) { updateChecklistItem(input: $input) { item { id title note } project { title } } }";
    let item_edit = |id: &str| json!({"input": {"id": id, "title": "hijacked", "note": null}});
    let b: &[Who] = &[Who::B];
    // The variables for `id`, and the same naming a `kind` that does not exist.
    let both =
        |vars: &dyn Fn(&str) -> Value, id: &str, kind: &str| (vars(id), Some(vars(&missing(kind))));
    // (who is refused, the mutation, (its variables, the same naming nothing))
    let cases = [
        (b, terminate, (project(&t.project), missing_project())),
        (b, update, both(&retitle, &t.project, "Project")),
        (b, add_milestone, both(&milestone_in, &t.project, "Project")),
        (
            b,
            update_milestone,
            both(&milestone_edit, &t.milestone, "Milestone"),
        ),
        (b, add_item, both(&item_in, &t.project, "Project")),
        (
            b,
            update_item,
            both(&item_edit, &t.item_blocked, "ChecklistItem"),
        ),
    ];
    for (whos, query, (vars, missing)) in cases {
        deny(&t, whos, query, vars, "NOT_FOUND", missing).await;
    }
    let missing_item = || Some(json!({"id": missing("ChecklistItem")}));
    for (op, item) in [
        ("completeChecklistItem", &t.item_open),
        ("reopenChecklistItem", &t.item_blocked),
    ] {
        deny(
            &t,
            &[Who::B],
            &input_op(op, "item { id title note } project { title }"),
            json!({"id": item}),
            "NOT_FOUND",
            missing_item(),
        )
        .await;
    }
    // Deleting: B neither deletes A and U's item or milestone nor learns they exist.
    deny(
        &t,
        &[Who::B],
        &input_op("deleteChecklistItem", "deletedId project { title }"),
        json!({"id": t.item_open}),
        "NOT_FOUND",
        missing_item(),
    )
    .await;
    deny(
        &t,
        &[Who::B],
        &input_op("deleteMilestone", "deletedId project { title }"),
        json!({"id": t.milestone}),
        "NOT_FOUND",
        Some(json!({"id": missing("Milestone")})),
    )
    .await;
    let block = "mutation($id: ID!) { blockChecklistItem(input: {id: $id, note: \"sabotage\"}) { item { id note } } }";
    let reorder = "mutation($p: ID!, $items: [ID!]!) { reorderChecklist(input: {projectId: $p, itemIds: $items}) { project { checklist { title } } } }";
    let a_u: &[Who] = &[Who::A, Who::U];
    let order = |p: &str| json!({"p": p, "items": [t.item_blocked, t.item_open]});
    let cases = [
        (b, block, (json!({"id": t.item_open}), missing_item())),
        (b, reorder, both(&order, &t.project, "Project")),
        // And the other way round: A and U on B's project.
        (a_u, update, both(&retitle, &t.b_project, "Project")),
        (a_u, add_item, both(&item_in, &t.b_project, "Project")),
    ];
    for (whos, query, (vars, missing)) in cases {
        deny(&t, whos, query, vars, "NOT_FOUND", missing).await;
    }

    // createProject: only with a party one belongs to, and never linked
    // to a need or capability one may not see (refused like missing ones).
    let create =
        "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }";
    let linked = |field: &str, id: &str| json!({"input": {"title": "linked", "area": "OTHER", "partyOrganizationIds": [t.w.org_b], field: id}});
    let cases = [
        (
            json!({"input": {"title": "A and U, by B", "area": "OTHER", "partyOrganizationIds": [t.w.org_a, t.w.org_u]}}),
            "FORBIDDEN",
            None,
        ),
        (
            linked("needId", &t.need_conf),
            "BAD_USER_INPUT",
            Some(linked("needId", &missing("Need"))),
        ),
        (
            linked("capabilityId", &t.cap_draft),
            "BAD_USER_INPUT",
            Some(linked("capabilityId", &missing("Capability"))),
        ),
    ];
    for (vars, code, missing) in cases {
        deny(&t, &[Who::B], create, vars, code, missing).await;
    }

    assert_eq!(
        projects(&t).await,
        before,
        "a refused mutation changed something"
    );
});

const CENTER_SNAPSHOT: &str = "query($id: ID!, $f: DateTime!, $t: DateTime!) {
  instrument(id: $id) { name model category location description rateInternal { amount currencyCode } rateExternal { amount currencyCode }
    requiresQualification status qualifications { user { id } valid expiresAt revokedAt }
    maintenance(from: $f, to: $t) { id start end reason } }
  bookings(first: 100) { totalCount nodes { id status purpose rejectReason start end actualStart actualEnd organization { id } } }
  instruments(first: 100) { totalCount } }";

async fn center(t: &Tenants<'_>) -> Value {
    t.ok(
        Who::Admin,
        CENTER_SNAPSHOT,
        json!({"id": t.instrument, "f": at(-1, 0).to_rfc3339(), "t": at(60, 0).to_rfc3339()}),
    )
    .await
}

e2e!(testing_center_mutations, |app| async move {
    let t = Tenants::build(&app).await;
    let before = center(&t).await;
    // Only the staff of the owning organisation (U's ORG_ADMIN) run the
    // instrument: not A or B, and not U's plain member either.
    let outsiders = [Who::A, Who::B, Who::U];
    let retire = input_op("retireInstrument", "instrument { id }");
    let cases = [
        (
            "mutation($input: UpdateInstrumentInput!) { updateInstrument(input: $input) { instrument { id } } }",
            json!({"input": {"id": t.instrument, "rateExternal": "0", "status": "MAINTENANCE"}}),
        ),
        (retire.as_str(), json!({"id": t.instrument})),
        (
            "mutation($i: ID!, $s: DateTime!, $e: DateTime!) { addMaintenanceWindow(input: {instrumentId: $i, start: $s, end: $e, reason: \"blocked\"}) { maintenance { start } } }",
            json!({"i": t.instrument, "s": at(4, 8).to_rfc3339(), "e": at(4, 18).to_rfc3339()}),
        ),
        (
            "mutation($i: ID!, $u: ID!) { grantQualification(input: {instrumentId: $i, userId: $u}) { qualification { valid } } }",
            json!({"i": t.instrument, "u": t.user_u}),
        ),
        (
            "mutation($i: ID!, $u: ID!) { revokeQualification(input: {instrumentId: $i, userId: $u}) { qualification { valid } } }",
            json!({"i": t.instrument, "u": t.user_a}),
        ),
        (
            "mutation($input: CreateInstrumentInput!) { createInstrument(input: $input) { instrument { id } } }",
            json!({"input": {"organizationId": t.w.org_u, "name": "planted", "category": "SEM",
                "rateInternal": "0.01", "rateExternal": "0.01"}}),
        ),
    ];
    for (query, vars) in cases {
        deny(&t, &outsiders, query, vars, "FORBIDDEN", None).await;
    }

    // A's bookings: hidden from B and from U's plain member, worded like a
    // booking that does not exist.
    let missing_booking = || Some(json!({"id": missing("Booking")}));
    for booking in [&t.booking_requested, &t.booking_approved] {
        for op in ["approveBooking", "cancelBooking"] {
            deny(
                &t,
                &[Who::B, Who::U],
                &input_op(op, "booking { id status purpose }"),
                json!({"id": booking}),
                "NOT_FOUND",
                missing_booking(),
            )
            .await;
        }
        deny(
            &t,
            &[Who::B, Who::U],
            "mutation($id: ID!) { rejectBooking(input: {id: $id, reason: \"no\"}) { booking { id purpose } } }",
            json!({"id": booking}),
            "NOT_FOUND",
            missing_booking(),
        )
        .await;
        let complete = "mutation($id: ID!, $s: DateTime!, $e: DateTime!) { completeBooking(input: {id: $id, actualStart: $s, actualEnd: $e}) { booking { id purpose } } }";
        let times =
            |id: &str| json!({"id": id, "s": at(-1, 9).to_rfc3339(), "e": at(-1, 10).to_rfc3339()});
        deny(
            &t,
            &[Who::B, Who::U],
            complete,
            times(booking),
            "NOT_FOUND",
            Some(times(&missing("Booking"))),
        )
        .await;
    }
    // Maintenance windows are deleted by the instrument's staff only.
    deny(
        &t,
        &outsiders,
        "mutation($id: ID!) { deleteMaintenanceWindow(input: {id: $id}) { deletedMaintenanceWindowId } }",
        json!({"id": t.maintenance}),
        "FORBIDDEN",
        None,
    )
    .await;
    // B books for A (A's rate, A's name on it): refused.
    deny(
        &t,
        &[Who::B],
        "mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { id } } }",
        json!({"input": {"instrumentId": t.instrument, "organizationId": t.w.org_a,
            "start": at(7, 9).to_rfc3339(), "end": at(7, 11).to_rfc3339(), "purpose": "on A's account"}}),
        "FORBIDDEN",
        None,
    )
    .await;

    assert_eq!(
        center(&t).await,
        before,
        "a refused mutation changed something"
    );
});

e2e!(
    ratings_and_waiting_lists_stay_with_their_user,
    |app| async move {
        let t = Tenants::build(&app).await;
        // A queues for the window B booked (day 5, 9–11).
        let join = "mutation($input: JoinWaitlistInput!) { joinWaitlist(input: $input) { entry { id status } } }";
        let window = |org: &str| {
            json!({"input": {"instrumentId": t.instrument, "organizationId": org,
                "start": at(5, 9).to_rfc3339(), "end": at(5, 11).to_rfc3339(),
                "purpose": format!("{A_BOOKING} 候补")}})
        };
        let data = t.ok(Who::A, join, window(&t.w.org_a)).await;
        let place = crate::common::text(&data["joinWaitlist"]["entry"]["id"]);

        // Nobody else accepts or leaves A's place: refused like a missing one.
        for op in ["acceptWaitlistOffer", "leaveWaitlist"] {
            deny(
                &t,
                &[Who::B, Who::U, Who::UStaff],
                &input_op(op, "entry { id purpose status }"),
                json!({"id": place}),
                "NOT_FOUND",
                Some(json!({"id": missing("WaitlistEntry")})),
            )
            .await;
        }
        // Nobody else lists it (the admin neither: the list is one's own).
        let entries = "{ waitlistEntries { id purpose status instrument { id } booking { id } } }";
        for who in [Who::B, Who::U, Who::UStaff, Who::Admin] {
            let data = t.ok(who, entries, json!({})).await;
            assert_eq!(data["waitlistEntries"], json!([]), "{who:?}");
        }
        t.refused(Who::Anon, entries, json!({}), "UNAUTHENTICATED")
            .await;
        // B neither queues nor books a weekly series on A's account.
        deny(&t, &[Who::B], join, window(&t.w.org_a), "FORBIDDEN", None).await;
        deny(
            &t,
            &[Who::B],
            "mutation($input: RequestRecurringBookingInput!) { requestRecurringBooking(input: $input) { bookings { id } } }",
            json!({"input": {"instrumentId": t.instrument, "organizationId": t.w.org_a, "weeks": 2,
                "start": at(8, 9).to_rfc3339(), "end": at(8, 11).to_rfc3339(), "purpose": "on A's account"}}),
            "FORBIDDEN",
            None,
        )
        .await;

        // A's booking is rated by A alone: hidden from B and U's member like
        // a missing booking; the staff see it but did not book it.
        let rate = "mutation($id: ID!) { rateBooking(input: {bookingId: $id, score: 5}) { rating { score } booking { id purpose } } }";
        deny(
            &t,
            &[Who::B, Who::U],
            rate,
            json!({"id": t.booking_approved}),
            "NOT_FOUND",
            Some(json!({"id": missing("Booking")})),
        )
        .await;
        deny(
            &t,
            &[Who::UStaff],
            rate,
            json!({"id": t.booking_approved}),
            "FORBIDDEN",
            None,
        )
        .await;
        // Booking.rating is read through a booking one may see; an
        // instrument's rating and ratings are for signed-in users.
        let data = t
            .ok(
                Who::A,
                "query($id: ID!) { booking(id: $id) { rating { score } } }",
                json!({"id": t.booking_approved}),
            )
            .await;
        assert_eq!(data["booking"]["rating"], Value::Null);
        let ratings = "query($i: ID!) { instrument(id: $i) { rating { count } ratings(first: 5) { totalCount nodes { score comment } } } }";
        let data = t.ok(Who::B, ratings, json!({"i": t.instrument})).await;
        assert_eq!(data["instrument"]["rating"]["count"], 0);
        t.refused(
            Who::Anon,
            ratings,
            json!({"i": t.instrument}),
            "UNAUTHENTICATED",
        )
        .await;

        // A's place is there as it was.
        let data = t.ok(Who::A, entries, json!({})).await;
        assert_eq!(data["waitlistEntries"][0]["id"], json!(place));
        assert_eq!(data["waitlistEntries"][0]["status"], "WAITING");
    }
);

e2e!(
    service_orders_are_their_client_and_center_alone,
    |app| async move {
        let t = Tenants::build(&app).await;
        // A asks U's testing center (U runs the instrument) for tests.
        let full = "id status samples requestedBy { id } quoteLines { minutes instrument { id } } quoteItems { quantity testItem { id code } } history { to actor { id } }";
        let request = format!(
            "mutation($input: RequestServiceOrderInput!) {{ requestServiceOrder(input: $input) {{ order {{ {full} }} }} }}"
        );
        let center = t
            .ok(
                Who::UStaff,
                "query($i: ID!) { instrument(id: $i) { center { id } } }",
                json!({"i": t.instrument}),
            )
            .await["instrument"]["center"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let ask = |client: &str| {
            json!({"input": {"centerId": center, "clientOrganizationId": client,
                "samples": format!("{A_BOOKING} 样品"), "testItems": "硬度 hardness",
                "requiredBy": at(20, 0).to_rfc3339()}})
        };
        let data = t.ok(Who::A, &request, ask(&t.w.org_a)).await;
        let order = crate::common::text(&data["requestServiceOrder"]["order"]["id"]);
        let read = format!("query($id: ID!) {{ serviceOrder(id: $id) {{ {full} }} }}");
        let before = t.ok(Who::A, &read, json!({"id": order})).await;

        // B and U's plain member (of the center, not its staff) neither read
        // it nor move it: refused like a missing order.
        let gone = || Some(json!({"id": missing("ServiceOrder")}));
        deny(
            &t,
            &[Who::B, Who::U],
            &read,
            json!({"id": order}),
            "NOT_FOUND",
            gone(),
        )
        .await;
        // A test item of the center's price list, quoted with the time.
        let item = t
            .ok(
                Who::UStaff,
                "mutation($input: CreateTestItemInput!) { createTestItem(input: $input) { testItem { id } } }",
                json!({"input": {"centerId": center, "code": "HV-10", "nameZh": "维氏硬度",
                    "nameEn": "Vickers hardness", "unit": "sample", "priceInternal": "50",
                    "priceGroup": "80", "priceExternal": "120.5"}}),
            )
            .await["createTestItem"]["testItem"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let quote = format!(
            "mutation($id: ID!, $i: ID!, $t: ID!) {{ quoteServiceOrder(input: {{id: $id, lines: [{{instrumentId: $i, minutes: 60}}], items: [{{testItemId: $t, quantity: 2}}]}}) {{ order {{ {full} }} }} }}"
        );
        let with_instrument = |id: &str| json!({"id": id, "i": t.instrument, "t": item});
        deny(
            &t,
            &[Who::B, Who::U],
            &quote,
            with_instrument(&order),
            "NOT_FOUND",
            Some(with_instrument(&missing("ServiceOrder"))),
        )
        .await;
        for op in [
            "rejectServiceOrder",
            "acceptServiceOrderQuote",
            "declineServiceOrderQuote",
            "cancelServiceOrder",
        ] {
            deny(
                &t,
                &[Who::B, Who::U],
                &input_op(op, "order { id samples }"),
                json!({"id": order}),
                "NOT_FOUND",
                gone(),
            )
            .await;
        }
        for who in [Who::B, Who::U] {
            let data = t
                .ok(
                    who,
                    "{ serviceOrders(first: 100) { totalCount nodes { id samples } } }",
                    json!({}),
                )
                .await;
            assert_eq!(data["serviceOrders"]["totalCount"], 0, "{who:?}");
        }
        // Each side keeps to its moves: the client does not quote or
        // reject, the staff do not decide for the client.
        deny(
            &t,
            &[Who::A],
            &quote,
            with_instrument(&order),
            "FORBIDDEN",
            None,
        )
        .await;
        deny(
            &t,
            &[Who::A],
            &input_op("rejectServiceOrder", "order { id }"),
            json!({"id": order}),
            "FORBIDDEN",
            None,
        )
        .await;
        for op in [
            "acceptServiceOrderQuote",
            "declineServiceOrderQuote",
            "cancelServiceOrder",
        ] {
            deny(
                &t,
                &[Who::UStaff],
                &input_op(op, "order { id }"),
                json!({"id": order}),
                "FORBIDDEN",
                None,
            )
            .await;
        }
        // B asks on A's account: refused.
        deny(&t, &[Who::B], &request, ask(&t.w.org_a), "FORBIDDEN", None).await;

        // The staff see it; nothing a refusal touched changed.
        let data = t
            .ok(
                Who::UStaff,
                "{ serviceOrders(first: 100) { totalCount nodes { id } } }",
                json!({}),
            )
            .await;
        assert_eq!(data["serviceOrders"]["nodes"], json!([{"id": order}]));
        assert_eq!(t.ok(Who::A, &read, json!({"id": order})).await, before);

        // The order runs: quoted, accepted, started. B and U's plain member
        // neither start nor complete it, nor book time under it, nor see
        // its time, report or rating.
        t.ok(Who::UStaff, &quote, with_instrument(&order)).await;
        let quoted = t.ok(Who::A, &read, json!({"id": order})).await;
        assert_eq!(
            quoted["serviceOrder"]["quoteItems"],
            json!([{"quantity": 2, "testItem": {"id": item, "code": "HV-10"}}])
        );
        t.ok(
            Who::A,
            &input_op("acceptServiceOrderQuote", "order { id }"),
            json!({"id": order}),
        )
        .await;
        for op in ["startServiceOrder", "completeServiceOrder"] {
            deny(
                &t,
                &[Who::B, Who::U],
                &input_op(op, "order { id samples }"),
                json!({"id": order}),
                "NOT_FOUND",
                gone(),
            )
            .await;
        }
        deny(
            &t,
            &[Who::A],
            &input_op("startServiceOrder", "order { id }"),
            json!({"id": order}),
            "FORBIDDEN",
            None,
        )
        .await;
        t.ok(
            Who::UStaff,
            &input_op("startServiceOrder", "order { id }"),
            json!({"id": order}),
        )
        .await;
        let staff_id = t.ok(Who::UStaff, "{ me { id } }", json!({})).await["me"]["id"].clone();
        t.ok(
            Who::UStaff,
            "mutation($i: ID!, $u: ID!) { grantQualification(input: {instrumentId: $i, userId: $u}) { qualification { valid } } }",
            json!({"i": t.instrument, "u": staff_id}),
        )
        .await;
        let book = "mutation($id: ID!, $i: ID!, $s: DateTime!, $e: DateTime!) { bookServiceOrderTime(input: {orderId: $id, instrumentId: $i, start: $s, end: $e}) { booking { id purpose } order { id samples } } }";
        let slot = |id: &str| json!({"id": id, "i": t.instrument, "s": at(17, 14).to_rfc3339(), "e": at(17, 15).to_rfc3339()});
        deny(
            &t,
            &[Who::B, Who::U],
            book,
            slot(&order),
            "NOT_FOUND",
            Some(slot(&missing("ServiceOrder"))),
        )
        .await;
        deny(&t, &[Who::A], book, slot(&order), "FORBIDDEN", None).await;
        let booked = t.ok(Who::UStaff, book, slot(&order)).await["bookServiceOrderTime"]["booking"]
            ["id"]
            .clone();
        // The report: uploaded by the staff only, read by the two sides.
        let upload = |who: Who, text: &'static str| {
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(format!("%PDF-1.7\n% {text}\n").into_bytes())
                    .file_name("报告.pdf"),
            );
            app.client
                .post(app.url(&format!("/api/v1/service-orders/{order}/report")))
                .bearer_auth(t.token(who).unwrap())
                .multipart(form)
                .send()
        };
        for (who, status) in [(Who::B, 404), (Who::U, 404), (Who::A, 403)] {
            let res = upload(who, "intrusion").await.unwrap();
            assert_eq!(res.status(), status, "{who:?} uploads");
        }
        assert_eq!(upload(Who::UStaff, "报告").await.unwrap().status(), 201);
        t.ok(
            Who::UStaff,
            &input_op("completeServiceOrder", "order { id }"),
            json!({"id": order}),
        )
        .await;
        let rate = "mutation($id: ID!) { rateServiceOrder(input: {orderId: $id, score: 5}) { rating { score } order { id samples } } }";
        deny(
            &t,
            &[Who::B, Who::U],
            rate,
            json!({"id": order}),
            "NOT_FOUND",
            gone(),
        )
        .await;
        deny(
            &t,
            &[Who::UStaff],
            rate,
            json!({"id": order}),
            "FORBIDDEN",
            None,
        )
        .await;
        let path = format!("/api/v1/service-orders/{order}/report");
        for who in [Who::B, Who::U, Who::UCoord, Who::PCoord] {
            let res = app.get_as(&path, t.token(who).unwrap()).await;
            assert_eq!(res.status(), 404, "{who:?} downloads");
        }
        for who in [Who::A, Who::UStaff] {
            let res = app.get_as(&path, t.token(who).unwrap()).await;
            assert_eq!(res.status(), 200, "{who:?} downloads");
        }
        t.ok(Who::A, rate, json!({"id": order})).await;
        // The booking under the order stays hidden from B.
        deny(
            &t,
            &[Who::B],
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": booked}),
            "NOT_FOUND",
            Some(json!({"id": missing("Booking")})),
        )
        .await;
        // The conversation of the order: its two sides alone (not the
        // center's plain member U).
        let post = "mutation($input: PostMessageInput!) { postMessage(input: $input) { thread { id } message { id body } } }";
        let tenants = &t;
        let unread_of = |who: Who| async move {
            tenants
                .ok(who, "{ me { unreadMessages } }", json!({}))
                .await["me"]["unreadMessages"]
                .as_i64()
                .unwrap()
        };
        let outsiders_before = (unread_of(Who::B).await, unread_of(Who::U).await);
        let thread = t
            .ok(
                Who::A,
                post,
                json!({"input": {"subjectId": order, "body": "样品 samples"}}),
            )
            .await["postMessage"]["thread"]["id"]
            .clone();
        let unread = || async {
            t.ok(Who::A, "{ me { unreadMessages } }", json!({})).await["me"]["unreadMessages"]
                .as_i64()
                .unwrap()
        };
        let unread_before = unread().await;
        t.ok(
            Who::UStaff,
            post,
            json!({"input": {"threadId": thread, "body": "收到 received"}}),
        )
        .await;
        deny(
            &t,
            &[Who::B, Who::U, Who::UCoord, Who::PCoord],
            post,
            json!({"input": {"subjectId": order, "body": "intrusion"}}),
            "NOT_FOUND",
            Some(json!({"input": {"subjectId": missing("ServiceOrder"), "body": "intrusion"}})),
        )
        .await;
        for who in [Who::Anon, Who::B, Who::U, Who::UCoord, Who::PCoord] {
            t.refused_like_missing(
                who,
                "query($id: ID!) { node(id: $id) { id } }",
                json!({"id": thread}),
                json!({"id": missing("Thread")}),
                "NOT_FOUND",
            )
            .await;
        }
        assert_eq!(
            (unread_of(Who::B).await, unread_of(Who::U).await),
            outsiders_before,
            "the order's messages are unread by no outsider"
        );
        assert_eq!(unread().await, unread_before + 1, "the staff's reply");
        let run = "query($id: ID!) { serviceOrder(id: $id) { status bookings { id } report { name uploadedBy { id } } rating { score user { id } } thread { id } } }";
        let seen = t.ok(Who::A, run, json!({"id": order})).await;
        assert_eq!(seen["serviceOrder"]["status"], "COMPLETED");
        assert_eq!(seen["serviceOrder"]["bookings"], json!([{"id": booked}]));
        assert_eq!(seen["serviceOrder"]["report"]["name"], "报告.pdf");
        assert_eq!(seen["serviceOrder"]["rating"]["score"], 5);
        deny(
            &t,
            &[Who::B, Who::U],
            run,
            json!({"id": order}),
            "NOT_FOUND",
            gone(),
        )
        .await;
    }
);

e2e!(organization_mutations, |app| async move {
    let t = Tenants::build(&app).await;
    let snapshot = || async {
        t.ok(
            Who::Admin,
            "query($b: ID!) { organizations(first: 100) { totalCount nodes { id name parent { id } } }
              node(id: $b) { ... on User { memberships { role organization { id } } } } }",
            json!({"b": t.user_b}),
        )
        .await
    };
    let before = snapshot().await;

    // Nobody but platform staff creates organisations, also not below A.
    deny(
        &t,
        &[Who::A, Who::B],
        "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id } } }",
        json!({"input": {"name": "B's outpost in A", "kind": "ENTERPRISE", "parentId": t.w.org_a}}),
        "FORBIDDEN",
        None,
    )
    .await;
    // B cannot join A; whether an e-mail has an account is not revealed
    // to someone who may not add members.
    let add =
        "mutation($input: AddMemberInput!) { addMember(input: $input) { membership { id } } }";
    for email in ["b@enterprise-b.test", "nobody@nowhere.test"] {
        let join =
            json!({"input": {"organizationId": t.w.org_a, "email": email, "role": "ORG_ADMIN"}});
        deny(&t, &[Who::A, Who::B, Who::U], add, join, "FORBIDDEN", None).await;
    }
    let with_account = t
        .refused(
            Who::B,
            add,
            json!({"input": {"organizationId": t.w.org_a, "email": "a@enterprise-a.test"}}),
            "FORBIDDEN",
        )
        .await;
    let without = t
        .refused(
            Who::B,
            add,
            json!({"input": {"organizationId": t.w.org_a, "email": "nobody@nowhere.test"}}),
            "FORBIDDEN",
        )
        .await;
    assert_eq!(
        with_account["errors"][0]["message"],
        without["errors"][0]["message"]
    );

    // B neither renames A nor removes A's member; A's plain member does not
    // rename its own organisation either (ORG_ADMINs and staff do).
    let rename = "mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { organization { id name } } }";
    deny(
        &t,
        &[Who::A, Who::B, Who::U],
        rename,
        json!({"input": {"id": t.w.org_a, "name": "hijacked"}}),
        "FORBIDDEN",
        None,
    )
    .await;
    let remove = "mutation($id: ID!) { removeMember(input: {membershipId: $id}) { deletedId organization { id } } }";
    deny(
        &t,
        &[Who::B, Who::U],
        remove,
        json!({"id": t.membership_a}),
        "NOT_FOUND",
        Some(json!({"id": missing("Membership")})),
    )
    .await;
    // updateProfile changes the caller's own profile only: it takes no id.
    t.refused(
        Who::Anon,
        "mutation { updateProfile(input: {displayName: \"anon\"}) { user { id } } }",
        json!({}),
        "UNAUTHENTICATED",
    )
    .await;
    let data = t
        .ok(
            Who::B,
            "mutation { updateProfile(input: {displayName: \"B 乙\"}) { user { id displayName } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["updateProfile"]["user"]["id"], t.user_b.as_str());

    assert_eq!(
        snapshot().await,
        before,
        "a refused mutation changed something"
    );
    t.refused(
        Who::B,
        "query($id: ID!) { need(id: $id) { id } }",
        json!({"id": t.need_conf}),
        "NOT_FOUND",
    )
    .await;
});

const AGREEMENT_SNAPSHOT: &str = "query($id: ID!, $bp: ID!, $need: ID!) {
  agreement(id: $id) { title status version signedOn termStart termEnd terminationReason areas updatedAt
    parties { organization { id } confirmed responsiblePeople { id } }
    projects(first: 100) { totalCount nodes { id } } needs(first: 100) { totalCount nodes { id } } }
  agreements(first: 100) { totalCount nodes { id } }
  project(id: $bp) { agreement { id } version }
  need(id: $need) { agreement { id } version } }";

async fn agreement_state(t: &Tenants<'_>) -> Value {
    t.ok(
        Who::Admin,
        AGREEMENT_SNAPSHOT,
        json!({"id": t.agreement, "bp": t.b_project, "need": t.need_public}),
    )
    .await
}

e2e!(agreement_mutations, |app| async move {
    let t = Tenants::build(&app).await;
    let before = agreement_state(&t).await;
    let b: &[Who] = &[Who::B];

    // B, a stranger to the A–U agreement: every change is NOT_FOUND, worded
    // like an agreement that does not exist.
    let update = "mutation($input: UpdateAgreementInput!) { updateAgreement(input: $input) { agreement { id title } } }";
    let add = "mutation($input: AddAgreementPartyInput!) { addAgreementParty(input: $input) { agreement { id title } } }";
    let remove = "mutation($input: RemoveAgreementPartyInput!) { removeAgreementParty(input: $input) { agreement { id title } } }";
    let people = "mutation($input: SetAgreementResponsiblePeopleInput!) { setAgreementResponsiblePeople(input: $input) { agreement { id title } } }";
    let activate = "mutation($input: ActivateAgreementInput!) { activateAgreement(input: $input) { agreement { id title } } }";
    let terminate = "mutation($input: TerminateAgreementInput!) { terminateAgreement(input: $input) { agreement { id title } } }";
    let on = |id: &str, rest: Value| {
        let mut input = json!({"id": id});
        input
            .as_object_mut()
            .unwrap()
            .extend(rest.as_object().unwrap().clone());
        json!({"input": input})
    };
    let party = |id: &str, org: &str, rest: Value| {
        let mut input = json!({"agreementId": id, "organizationId": org});
        input
            .as_object_mut()
            .unwrap()
            .extend(rest.as_object().unwrap().clone());
        json!({"input": input})
    };
    let missing_agreement = missing("Agreement");
    let cases = [
        (
            update,
            on(&t.agreement, json!({"title": "hijacked"})),
            on(&missing_agreement, json!({"title": "hijacked"})),
        ),
        (
            add,
            party(&t.agreement, &t.w.org_b, json!({})),
            party(&missing_agreement, &t.w.org_b, json!({})),
        ),
        (
            remove,
            party(&t.agreement, &t.w.org_u, json!({})),
            party(&missing_agreement, &t.w.org_u, json!({})),
        ),
        (
            people,
            party(&t.agreement, &t.w.org_u, json!({"userIds": [t.user_b]})),
            party(
                &missing_agreement,
                &t.w.org_u,
                json!({"userIds": [t.user_b]}),
            ),
        ),
        (
            activate,
            on(&t.agreement, json!({})),
            on(&missing_agreement, json!({})),
        ),
        (
            terminate,
            on(&t.agreement, json!({"reason": "sabotage"})),
            on(&missing_agreement, json!({"reason": "sabotage"})),
        ),
    ];
    for (query, vars, missing) in cases {
        deny(&t, b, query, vars, "NOT_FOUND", Some(missing)).await;
    }
    // A party's plain member sees it but does not sign for U: FORBIDDEN.
    t.refused(Who::U, activate, on(&t.agreement, json!({})), "FORBIDDEN")
        .await;
    t.refused(
        Who::U,
        terminate,
        on(&t.agreement, json!({"reason": "no"})),
        "FORBIDDEN",
    )
    .await;

    // createAgreement: only between organisations one of which is one's own.
    let create = "mutation($input: CreateAgreementInput!) { createAgreement(input: $input) { agreement { id } } }";
    deny(
        &t,
        b,
        create,
        json!({"input": {"title": "A and U, by B", "termStart": "2026-01-01", "termEnd": "2027-01-01",
            "areas": ["OTHER"], "partyOrganizationIds": [t.w.org_a, t.w.org_u]}}),
        "FORBIDDEN",
        None,
    )
    .await;

    // Filing B's work under A and U's agreement: refused exactly like an
    // agreement that does not exist.
    let linked_project =
        |agreement: &str| json!({"input": {"id": t.b_project, "agreementId": agreement}});
    deny(
        &t,
        b,
        "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { id } } }",
        linked_project(&t.agreement),
        "BAD_USER_INPUT",
        Some(linked_project(&missing_agreement)),
    )
    .await;
    let new_project = |agreement: &str| {
        json!({"input": {"title": "B under A–U", "area": "OTHER",
        "partyOrganizationIds": [t.w.org_b], "agreementId": agreement}})
    };
    deny(
        &t,
        b,
        "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
        new_project(&t.agreement),
        "BAD_USER_INPUT",
        Some(new_project(&missing_agreement)),
    )
    .await;
    let new_need = |agreement: &str| {
        json!({"input": {"organizationId": t.w.org_b,
        "title": "B under A–U", "agreementId": agreement}})
    };
    deny(
        &t,
        b,
        "mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id } } }",
        new_need(&t.agreement),
        "BAD_USER_INPUT",
        Some(new_need(&missing_agreement)),
    )
    .await;

    assert_eq!(
        agreement_state(&t).await,
        before,
        "a refused mutation changed something"
    );
});

const ACTIVITY_SNAPSHOT: &str = "query($id: ID!, $b: ID!, $agreement: ID!) {
  activity(id: $id) { title description status version startDate endDate attendance cancelReason
    agreement { id } organizations { id } updatedAt participants { id name hours talent { id } } }
  b: activity(id: $b) { title status version agreement { id } organizations { id } participants { id } }
  activities(first: 100) { totalCount nodes { id } }
  agreement(id: $agreement) { activities(first: 100) { totalCount } } }";

async fn activity_state(t: &Tenants<'_>) -> Value {
    t.ok(
        Who::Admin,
        ACTIVITY_SNAPSHOT,
        json!({"id": t.activity, "b": t.b_activity, "agreement": t.agreement}),
    )
    .await
}

e2e!(activity_mutations, |app| async move {
    let t = Tenants::build(&app).await;
    let before = activity_state(&t).await;
    let strangers: &[Who] = &[Who::B, Who::PCoord];

    // B and a coordinator without a grant, strangers to the A–U activity:
    // every change is NOT_FOUND, worded like an activity that does not
    // exist.
    let op = |name: &str, input: &str| {
        format!(
            "mutation($input: {input}!) {{ {name}(input: $input) {{ activity {{ id title }} }} }}"
        )
    };
    let update = op("updateActivity", "UpdateActivityInput");
    let start = op("startActivity", "ActivityStepInput");
    let complete = op("completeActivity", "ActivityStepInput");
    let cancel = op("cancelActivity", "CancelActivityInput");
    let add = op("addActivityParticipant", "AddActivityParticipantInput");
    let remove = op(
        "removeActivityParticipant",
        "RemoveActivityParticipantInput",
    );
    let missing_activity = missing("Activity");
    let on = |id: &str, rest: Value| {
        let mut input = json!({"id": id});
        input
            .as_object_mut()
            .unwrap()
            .extend(rest.as_object().unwrap().clone());
        json!({"input": input})
    };
    let cases = [
        (
            &update,
            on(&t.activity, json!({"title": "hijacked"})),
            on(&missing_activity, json!({"title": "hijacked"})),
        ),
        (
            &start,
            on(&t.activity, json!({})),
            on(&missing_activity, json!({})),
        ),
        (
            &complete,
            on(&t.activity, json!({})),
            on(&missing_activity, json!({})),
        ),
        (
            &cancel,
            on(&t.activity, json!({"reason": "sabotage"})),
            on(&missing_activity, json!({"reason": "sabotage"})),
        ),
        (
            &add,
            json!({"input": {"activityId": t.activity, "role": "EXPERT", "name": "mole", "hours": 1}}),
            json!({"input": {"activityId": missing_activity, "role": "EXPERT", "name": "mole", "hours": 1}}),
        ),
        (
            &remove,
            json!({"input": {"participantId": t.activity_participant}}),
            json!({"input": {"participantId": missing("ActivityParticipant")}}),
        ),
    ];
    for (query, vars, missing) in cases {
        deny(&t, strangers, query, vars, "NOT_FOUND", Some(missing)).await;
    }
    // A and U see B's activity no more than B sees theirs.
    deny(
        &t,
        &[Who::A, Who::U],
        &update,
        on(&t.b_activity, json!({"title": "hijacked"})),
        "NOT_FOUND",
        Some(on(&missing_activity, json!({"title": "hijacked"}))),
    )
    .await;
    // The supervisor of A reads it and changes nothing.
    for (query, vars) in [
        (&update, on(&t.activity, json!({"title": "hijacked"}))),
        (&cancel, on(&t.activity, json!({"reason": "no"}))),
        (
            &remove,
            json!({"input": {"participantId": t.activity_participant}}),
        ),
    ] {
        t.refused(Who::ASup, query, vars, "FORBIDDEN").await;
    }

    // createActivity: only for an organisation one manages, and B's work
    // is not filed under A and U's agreement — refused exactly like an
    // agreement that does not exist.
    let create = op("createActivity", "CreateActivityInput");
    deny(
        &t,
        strangers,
        &create,
        json!({"input": {"kind": "SECONDMENT", "title": "A and U, by B", "startDate": "2026-01-01",
            "hostOrganizationId": t.w.org_a, "organizationIds": [t.w.org_u]}}),
        "FORBIDDEN",
        None,
    )
    .await;
    let filed = |agreement: &str| {
        json!({"input": {"kind": "INTERNSHIP", "title": "B under A–U", "startDate": "2026-01-01",
            "hostOrganizationId": t.w.org_b, "agreementId": agreement}})
    };
    deny(
        &t,
        &[Who::B],
        &create,
        filed(&t.agreement),
        "BAD_USER_INPUT",
        Some(filed(&missing("Agreement"))),
    )
    .await;
    // Nor moved under it, nor handed to A.
    let b_filed = |agreement: &str| on(&t.b_activity, json!({"agreementId": agreement}));
    deny(
        &t,
        &[Who::B],
        &update,
        b_filed(&t.agreement),
        "BAD_USER_INPUT",
        Some(b_filed(&missing("Agreement"))),
    )
    .await;
    t.refused(
        Who::B,
        &update,
        on(
            &t.b_activity,
            json!({"hostOrganizationId": t.w.org_a, "organizationIds": []}),
        ),
        "FORBIDDEN",
    )
    .await;
    // B's talent-less participant is not A's to add to B's activity, and
    // U's talent is no way into B's.
    deny(
        &t,
        &[Who::A],
        &add,
        json!({"input": {"activityId": t.b_activity, "role": "EXPERT", "talentId": t.talent_u}}),
        "NOT_FOUND",
        Some(json!({"input": {"activityId": missing_activity, "role": "EXPERT", "talentId": t.talent_u}})),
    )
    .await;

    assert_eq!(
        activity_state(&t).await,
        before,
        "a refused mutation changed something"
    );
});
