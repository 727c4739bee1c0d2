//! Subscriptions: refused on the others' needs and projects, and the
//! streams one may open never carry another tenant's events. Every message
//! is leak-checked by [`Ws`].

use std::time::Duration;

use serde_json::{Value, json};

use crate::world::*;
use crate::ws::Ws;

const SUGGESTED: &str = "subscription($needId: ID!) { matchSuggested(needId: $needId) {
  id status need { id title description keywords } capability { id title summary } } }";

/// Everything heard within `quiet` of the last message.
async fn drain(ws: &mut Ws, quiet: Duration) -> Vec<Value> {
    let mut heard = Vec::new();
    while let Some(msg) = ws.next(quiet).await {
        heard.push(msg);
    }
    heard
}

e2e!(match_suggested_refuses_other_tenants, |app| async move {
    let t = Tenants::build(&app).await;

    // A's confidential need: NOT_FOUND, worded like a need that does not
    // exist; A's public need: FORBIDDEN (visible, but not theirs to follow).
    for who in [Who::B, Who::U] {
        let mut ws = Ws::connect(&t, who).await;
        ws.subscribe("conf", SUGGESTED, json!({"needId": t.need_conf}))
            .await;
        let hidden = ws.refusal("conf").await;
        ws.subscribe("none", SUGGESTED, json!({"needId": missing("Need")}))
            .await;
        let absent = ws.refusal("none").await;
        assert_eq!(hidden.0.as_deref(), Some("NOT_FOUND"), "{who:?}");
        assert_eq!(hidden, absent, "{who:?}");
        ws.subscribe("public", SUGGESTED, json!({"needId": t.need_public}))
            .await;
        assert_eq!(
            ws.refusal("public").await.0.as_deref(),
            Some("FORBIDDEN"),
            "{who:?}"
        );
    }
    let mut anonymous = Ws::connect(&t, Who::Anon).await;
    anonymous
        .subscribe("conf", SUGGESTED, json!({"needId": t.need_conf}))
        .await;
    assert_eq!(
        anonymous.refusal("conf").await.0.as_deref(),
        Some("UNAUTHENTICATED")
    );

    // A and B follow their own confidential needs; a capability U
    // publishes fits both. Each hears about its own need only.
    let mut a = Ws::connect(&t, Who::A).await;
    a.subscribe("own", SUGGESTED, json!({"needId": t.need_conf}))
        .await;
    let mut b = Ws::connect(&t, Who::B).await;
    b.subscribe("own", SUGGESTED, json!({"needId": t.b_need_conf}))
        .await;
    let data = t
        .ok(
            Who::U,
            "mutation($input: CreateCapabilityInput!) { createCapability(input: $input) { capability { id } } }",
            json!({"input": {"organizationId": t.w.org_u, "title": "Bearing condition monitoring 轴承状态监测",
                "summary": "振动信号 轴承 故障诊断 fault diagnosis", "keywords": ["轴承", "故障诊断"],
                "disciplineCodes": ["460"], "trl": 5}}),
        )
        .await;
    let fresh = crate::common::text(&data["createCapability"]["capability"]["id"]);
    t.ok(
        Who::U,
        "mutation($id: ID!) { publishCapability(input: {id: $id}) { capability { id } } }",
        json!({"id": fresh}),
    )
    .await;
    // Subscriptions start asynchronously: edits of a published capability
    // announce it again until both have heard.
    let (mut heard_a, mut heard_b) = (Vec::new(), Vec::new());
    for attempt in 0..10 {
        heard_b.extend(drain(&mut b, Duration::from_millis(1500)).await);
        heard_a.extend(drain(&mut a, Duration::from_millis(300)).await);
        if !heard_a.is_empty() && !heard_b.is_empty() {
            break;
        }
        t.ok(
            Who::U,
            "mutation($input: UpdateCapabilityInput!) { updateCapability(input: $input) { capability { id } } }",
            json!({"input": {"id": fresh, "summary": format!("振动信号 轴承 故障诊断 fault diagnosis (rev {attempt})")}}),
        )
        .await;
    }
    for (who, heard, need) in [
        (Who::A, &heard_a, &t.need_conf),
        (Who::B, &heard_b, &t.b_need_conf),
    ] {
        assert!(!heard.is_empty(), "{who:?} heard nothing within 15 s");
        for msg in heard {
            let m = &msg["payload"]["data"]["matchSuggested"];
            assert_eq!(m["need"]["id"], need.as_str(), "{who:?}: {msg}");
            assert_eq!(m["capability"]["id"], fresh.as_str(), "{who:?}: {msg}");
        }
    }
});

const ONE: &str = "subscription($id: ID!) { projectUpdated(projectId: $id) {
  id kind subjectId changes { field from to } actor { id } project { id title checklist { title note } } } }";

const MINE: &str = "subscription { myProjectsUpdated {
  id kind changes { field from to } project { id title checklist { title note } } } }";

async fn add_item(t: &Tenants<'_>, who: Who, project: &str, title: String) {
    t.ok(
        who,
        "mutation($input: AddChecklistItemInput!) { addChecklistItem(input: $input) { item { id } } }",
        json!({"input": {"projectId": project, "title": title}}),
    )
    .await;
}

fn project_of(msg: &Value, field: &str) -> String {
    msg["payload"]["data"][field]["project"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("an event with its project: {msg}"))
        .to_owned()
}

e2e!(
    project_subscriptions_push_to_parties_only,
    |app| async move {
        let t = Tenants::build(&app).await;

        // projectUpdated on the A–U project: NOT_FOUND for B, like a missing project.
        let mut b = Ws::connect(&t, Who::B).await;
        b.subscribe("au", ONE, json!({"id": t.project})).await;
        let hidden = b.refusal("au").await;
        b.subscribe("none", ONE, json!({"id": missing("Project")}))
            .await;
        let absent = b.refusal("none").await;
        assert_eq!(hidden.0.as_deref(), Some("NOT_FOUND"));
        assert_eq!(hidden, absent);
        let mut anonymous = Ws::connect(&t, Who::Anon).await;
        anonymous
            .subscribe("au", ONE, json!({"id": t.project}))
            .await;
        assert_eq!(
            anonymous.refusal("au").await.0.as_deref(),
            Some("UNAUTHENTICATED")
        );
        anonymous.subscribe("mine", MINE, json!({})).await;
        assert_eq!(
            anonymous.refusal("mine").await.0.as_deref(),
            Some("UNAUTHENTICATED")
        );

        // B's own stream is live before anything happens to the A–U project:
        // B writes to its project until it hears its own event.
        b.subscribe("mine", MINE, json!({})).await;
        let mut live = false;
        for n in 0..10 {
            add_item(&t, Who::B, &t.b_project, format!("乙方任务 {n}")).await;
            let heard = drain(&mut b, Duration::from_millis(1500)).await;
            if !heard.is_empty() {
                assert!(
                    heard
                        .iter()
                        .all(|m| project_of(m, "myProjectsUpdated") == t.b_project)
                );
                live = true;
                break;
            }
        }
        assert!(live, "B's myProjectsUpdated heard nothing within 15 s");

        // The parties follow the A–U project as A and U work on it.
        let mut u = Ws::connect(&t, Who::U).await;
        u.subscribe("au", ONE, json!({"id": t.project})).await;
        let mut a = Ws::connect(&t, Who::A).await;
        a.subscribe("mine", MINE, json!({})).await;
        let (mut heard_u, mut heard_a) = (Vec::new(), Vec::new());
        for n in 0..10 {
            add_item(&t, Who::A, &t.project, format!("{AU_PROJECT} 任务 {n}")).await;
            heard_u.extend(drain(&mut u, Duration::from_millis(1500)).await);
            heard_a.extend(drain(&mut a, Duration::from_millis(300)).await);
            if !heard_u.is_empty() && !heard_a.is_empty() {
                break;
            }
        }
        t.ok(
            Who::U,
            "mutation($id: ID!) { startProject(input: {id: $id}) { project { status } } }",
            json!({"id": t.project}),
        )
        .await;
        heard_u.extend(drain(&mut u, Duration::from_millis(1500)).await);
        heard_a.extend(drain(&mut a, Duration::from_millis(300)).await);
        assert!(
            heard_u
                .iter()
                .all(|m| project_of(m, "projectUpdated") == t.project),
            "{heard_u:?}"
        );
        assert!(
            heard_u
                .iter()
                .any(|m| m["payload"]["data"]["projectUpdated"]["kind"] == "STATUS_CHANGED"),
            "U hears U's own change too: {heard_u:?}"
        );
        assert!(
            !heard_a.is_empty()
                && heard_a
                    .iter()
                    .all(|m| project_of(m, "myProjectsUpdated") == t.project),
            "A follows its project and hears nothing of B's: {heard_a:?}"
        );

        // B heard none of it: its stream, live all along, carries only B's
        // own next event (events arrive in order, so a leaked one would come
        // first).
        add_item(&t, Who::B, &t.b_project, "乙方收尾".into()).await;
        let heard_b = drain(&mut b, Duration::from_millis(1500)).await;
        assert!(!heard_b.is_empty(), "B's own event");
        for msg in &heard_b {
            assert_eq!(
                project_of(msg, "myProjectsUpdated"),
                t.b_project,
                "B heard of another tenant's project: {msg}"
            );
        }
    }
);
