//! Annual plans of the A–U agreement: its targets, work items and progress
//! are read by those who see the agreement — its parties, coordinators and
//! supervisors in scope — and changed by its parties' members only. The
//! records behind a metric are shown as each reader may see them: A's
//! confidential need, docked through the accepted match with U's
//! capability, counts for everyone and is shown to A alone.

use serde_json::{Value, json};

use crate::world::{AU_AGREEMENT, Tenants, Who, missing};

const YEAR: i32 = 2026;

const PLAN: &str = "query($id: ID!, $year: Int!) { agreement(id: $id) { id
  plans { year }
  plan(year: $year) {
    targets { id metric target note agreement { id } updatedBy { id } }
    workItems { id title agreement { id } responsibleOrganization { id } createdBy { id } }
    progress { metric }
  }
  progress(year: $year) { metric target actual
    contributions { value record { __typename id
      ... on Need { title } ... on Match { need { title } } ... on Project { title } } } } } }";

const NODE: &str = "query($id: ID!) { node(id: $id) { id
  ... on PlanTarget { note } ... on PlanWorkItem { title } } }";

const SET_TARGET: &str = "mutation($input: SetPlanTargetInput!) {
  setPlanTarget(input: $input) { target { id note } } }";

const REMOVE_TARGET: &str = "mutation($input: RemovePlanTargetInput!) {
  removePlanTarget(input: $input) { removedId } }";

const ADD_ITEM: &str = "mutation($input: AddPlanWorkItemInput!) {
  addPlanWorkItem(input: $input) { workItem { id title } } }";

const UPDATE_ITEM: &str = "mutation($input: UpdatePlanWorkItemInput!) {
  updatePlanWorkItem(input: $input) { workItem { id title } } }";

const DELETE_ITEM: &str = "mutation($input: DeletePlanWorkItemInput!) {
  deletePlanWorkItem(input: $input) { deletedId } }";

fn row<'v>(data: &'v Value, metric: &str) -> &'v Value {
    data["agreement"]["progress"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["metric"] == metric)
        .unwrap_or_else(|| panic!("{metric} in {data}"))
}

e2e!(plans_are_their_agreements_alone, |app| async move {
    let t = Tenants::build(&app).await;
    // A files its confidential need (ACCEPTED match with U's capability,
    // the A–U project) under the agreement; A sets a target, U adds a work
    // item, both marked as the agreement is.
    t.ok(
        Who::A,
        "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { id } } }",
        json!({"input": {"id": t.need_conf, "agreementId": t.agreement}}),
    )
    .await;
    let data = t
        .ok(
            Who::A,
            SET_TARGET,
            json!({"input": {"agreementId": t.agreement, "year": YEAR,
                "area": "JOINT_RESEARCH_PLATFORM", "metric": "NEEDS_DOCKED", "target": 3,
                "note": format!("{AU_AGREEMENT} 需求对接")}}),
        )
        .await;
    let target = crate::common::text(&data["setPlanTarget"]["target"]["id"]);
    let data = t
        .ok(
            Who::U,
            ADD_ITEM,
            json!({"input": {"agreementId": t.agreement, "year": YEAR,
                "area": "TESTING_CENTER", "title": format!("{AU_AGREEMENT} 年度例会"),
                "responsibleOrganizationId": t.w.org_u}}),
        )
        .await;
    let item = crate::common::text(&data["addPlanWorkItem"]["workItem"]["id"]);
    let vars = json!({"id": t.agreement, "year": YEAR});

    // Those who see the agreement read the plan; the docked need counts
    // for all of them and is shown to A (and the admin) alone.
    for who in [
        Who::A,
        Who::U,
        Who::UStaff,
        Who::UCoord,
        Who::ASup,
        Who::Admin,
    ] {
        let data = t.ok(who, PLAN, vars.clone()).await;
        let plan = &data["agreement"]["plan"];
        assert_eq!(plan["targets"][0]["id"], target.as_str(), "{who:?}");
        assert_eq!(plan["workItems"][0]["id"], item.as_str(), "{who:?}");
        let docked = row(&data, "NEEDS_DOCKED");
        assert_eq!(docked["actual"].as_f64(), Some(1.0), "{who:?}");
        let accepted = row(&data, "MATCHES_ACCEPTED");
        assert_eq!(accepted["actual"].as_f64(), Some(1.0), "{who:?}");
        let need = &docked["contributions"][0]["record"];
        let the_match = &accepted["contributions"][0]["record"];
        if matches!(who, Who::A | Who::Admin) {
            assert_eq!(need["id"], t.need_conf.as_str(), "{who:?}");
            assert_eq!(the_match["id"], t.match_accepted.as_str(), "{who:?}");
        } else {
            assert!(need.is_null(), "{who:?}: {need}");
            assert!(the_match.is_null(), "{who:?}: {the_match}");
        }
        for id in [&target, &item] {
            t.ok(who, NODE, json!({"id": id})).await;
        }
    }

    // To B and to platform staff without a grant, the plan, its targets
    // and work items do not exist; anonymous callers sign in first.
    for who in [Who::B, Who::PCoord] {
        t.refused_like_missing(
            who,
            PLAN,
            vars.clone(),
            json!({"id": missing("Agreement"), "year": YEAR}),
            "NOT_FOUND",
        )
        .await;
        t.refused_like_missing(
            who,
            NODE,
            json!({"id": target}),
            json!({"id": missing("PlanTarget")}),
            "NOT_FOUND",
        )
        .await;
        t.refused_like_missing(
            who,
            NODE,
            json!({"id": item}),
            json!({"id": missing("PlanWorkItem")}),
            "NOT_FOUND",
        )
        .await;
    }
    t.refused(Who::Anon, PLAN, vars.clone(), "UNAUTHENTICATED")
        .await;

    // Every change: NOT_FOUND to B exactly as on a missing object,
    // FORBIDDEN to the supervisor, UNAUTHENTICATED anonymously.
    let new_target = |agreement: &str| {
        json!({"input": {"agreementId": agreement, "year": YEAR,
        "area": "JOINT_RESEARCH_PLATFORM", "metric": "NEEDS_DOCKED", "target": 0}})
    };
    let new_item = |agreement: &str| {
        json!({"input": {"agreementId": agreement, "year": YEAR,
        "area": "TESTING_CENTER", "title": "hijacked"}})
    };
    let on = |id: &str| json!({"input": {"id": id}});
    let edit = |id: &str| json!({"input": {"id": id, "title": "hijacked"}});
    let cases = [
        (
            SET_TARGET,
            new_target(&t.agreement),
            new_target(&missing("Agreement")),
        ),
        (REMOVE_TARGET, on(&target), on(&missing("PlanTarget"))),
        (
            ADD_ITEM,
            new_item(&t.agreement),
            new_item(&missing("Agreement")),
        ),
        (UPDATE_ITEM, edit(&item), edit(&missing("PlanWorkItem"))),
        (DELETE_ITEM, on(&item), on(&missing("PlanWorkItem"))),
    ];
    for (query, vars, missing) in cases {
        t.refused_like_missing(Who::B, query, vars.clone(), missing, "NOT_FOUND")
            .await;
        t.refused(Who::ASup, query, vars.clone(), "FORBIDDEN").await;
        t.refused(Who::Anon, query, vars, "UNAUTHENTICATED").await;
    }
    // Nothing changed: the target and the work item are as A and U left
    // them.
    let data = t.ok(Who::Admin, PLAN, vars).await;
    let plan = &data["agreement"]["plan"];
    assert_eq!(plan["targets"][0]["target"], 3);
    assert!(
        plan["workItems"][0]["title"]
            .as_str()
            .unwrap()
            .contains(AU_AGREEMENT)
    );
    assert_eq!(plan["targets"].as_array().unwrap().len(), 1);
    assert_eq!(plan["workItems"].as_array().unwrap().len(), 1);
});

const REVIEW: &str = "query($id: ID!, $year: Int!) { agreement(id: $id) { review(year: $year) {
  year progress { metric actual } lines { section key metric actual }
  stats { needsByStatus { count } byOrganization { organization { id } needs projects }
    byMonth { month needs } } } } }";

const STATS: &str = "query($scope: StatsScopeInput) { stats(scope: $scope) {
  needsByStatus { count } byOrganization { organization { id } needs } byMonth { month needs } } }";

/// The organisations `stats` (or a review's stats) broke its figures down by.
fn organizations(stats: &Value) -> Vec<String> {
    stats["byOrganization"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| crate::common::text(&o["organization"]["id"]))
        .collect()
}

e2e!(
    reviews_and_scoped_figures_stay_within_their_scope,
    |app| async move {
        let t = Tenants::build(&app).await;
        t.ok(
            Who::A,
            "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { id } } }",
            json!({"input": {"id": t.need_conf, "agreementId": t.agreement}}),
        )
        .await;
        let vars = json!({"id": t.agreement, "year": YEAR});
        let csv = format!("/api/v1/agreements/{}/review.csv?year={YEAR}", t.agreement);

        // The review: the agreement's parties and those in scope read it (the
        // confidential need counted, never named); its figures name the
        // parties only.
        for who in [Who::A, Who::U, Who::UStaff, Who::UCoord, Who::ASup] {
            let data = t.ok(who, REVIEW, vars.clone()).await;
            let stats = &data["agreement"]["review"]["stats"];
            for org in organizations(stats) {
                assert!(
                    org == t.w.org_a || org == t.w.org_u,
                    "{who:?}: {org} is no party"
                );
            }
            let (status, body) = t.rest(who, &csv).await;
            assert_eq!(status, 200, "{who:?}: {body}");
            assert!(
                body.contains("PLAN,JOINT_RESEARCH_PLATFORM,NEEDS_DOCKED"),
                "{body}"
            );
        }
        for who in [Who::B, Who::PCoord] {
            t.refused_like_missing(
                who,
                REVIEW,
                vars.clone(),
                json!({"id": missing("Agreement"), "year": YEAR}),
                "NOT_FOUND",
            )
            .await;
            let (status, _) = t.rest(who, &csv).await;
            assert_eq!(status, 404, "{who:?}");
            let (missing_status, _) = t
                .rest(
                    who,
                    &format!(
                        "/api/v1/agreements/{}/review.csv?year={YEAR}",
                        missing("Agreement")
                    ),
                )
                .await;
            assert_eq!(missing_status, 404);
        }
        assert_eq!(t.rest(Who::Anon, &csv).await.0, 401);

        // Scoped figures: an organisation's for those who oversee it, an
        // agreement's for those who see it.
        let of = |org: &str| json!({"scope": {"organizationId": org}});
        for (who, org) in [
            (Who::A, &t.w.org_a),
            (Who::ASup, &t.w.org_a),
            (Who::U, &t.w.org_u),
            (Who::UCoord, &t.w.org_u),
        ] {
            let data = t.ok(who, STATS, of(org)).await;
            assert_eq!(organizations(&data["stats"]), vec![org.clone()], "{who:?}");
        }
        for (who, org) in [
            (Who::B, &t.w.org_a),
            (Who::U, &t.w.org_a),
            (Who::UCoord, &t.w.org_a),
            (Who::ASup, &t.w.org_u),
            (Who::A, &t.w.org_b),
        ] {
            t.refused(who, STATS, of(org), "FORBIDDEN").await;
        }
        let agreement = json!({"scope": {"agreementId": t.agreement}});
        let data = t.ok(Who::U, STATS, agreement.clone()).await;
        for org in organizations(&data["stats"]) {
            assert!(org == t.w.org_a || org == t.w.org_u, "{org} is no party");
        }
        for who in [Who::B, Who::PCoord] {
            t.refused_like_missing(
                who,
                STATS,
                agreement.clone(),
                json!({"scope": {"agreementId": missing("Agreement")}}),
                "NOT_FOUND",
            )
            .await;
        }
        t.refused(Who::Anon, STATS, agreement, "UNAUTHENTICATED")
            .await;

        // Bookings filed under the agreement: A files one; U's staff (who
        // run the instrument) see it and its agreement; B cannot file
        // under it, refused as under an agreement that does not exist.
        let request = "mutation($input: RequestBookingInput!) { requestBooking(input: $input) {
          booking { id agreement { id } } } }";
        let slot = |days: i64, agreement: &str| {
            json!({"input": {"instrumentId": t.instrument,
                "start": crate::world::at(days, 9).to_rfc3339(),
                "end": crate::world::at(days, 10).to_rfc3339(),
                "purpose": "协议内 under the agreement", "agreementId": agreement}})
        };
        let data = t.ok(Who::A, request, slot(20, &t.agreement)).await;
        let booking = crate::common::text(&data["requestBooking"]["booking"]["id"]);
        assert_eq!(
            data["requestBooking"]["booking"]["agreement"]["id"],
            t.agreement.as_str()
        );
        let read = "query($id: ID!) { booking(id: $id) { id agreement { id } } }";
        let data = t.ok(Who::UStaff, read, json!({"id": booking})).await;
        assert_eq!(data["booking"]["agreement"]["id"], t.agreement.as_str());
        t.refused_like_missing(
            Who::B,
            request,
            slot(21, &t.agreement),
            slot(21, &missing("Agreement")),
            "BAD_USER_INPUT",
        )
        .await;
    }
);
