//! The opportunity queue is who looks after either side's alone: every
//! caller's queue holds only pairs whose need they look after (their
//! organisation's, their agreement's) or whose capability is theirs while
//! the need is shared — never a CONFIDENTIAL need of another organisation
//! (the leak check of the matrix reads every answer); gap needs are needs
//! the caller may see, stale needs those they look after; a pair of a
//! hidden need is NOT_FOUND to a hand-over exactly like a missing one, and
//! nobody — the admin included — hands a pair to a broker who may not see
//! both sides.

use std::time::Duration;

use serde_json::{Value, json};

use crate::fixtures::CREATE_CAPABILITY;
use crate::world::{SIGNED_IN, Tenants, Who, match_id, missing};

const QUEUE: &str = "{ opportunities(first: 100) { nodes { matchId score
  need { id title } capability { id title } match { id score }
  assignment { note broker { id } assignedBy { id } } } } }";

const GAPS: &str = "{ gapNeeds(first: 100, threshold: 1.0) { nodes { id title } } }";

const STALE: &str = "{ staleNeeds(first: 100, days: 0) { nodes { id title } } }";

const ASSIGN: &str = "mutation($id: ID!, $broker: ID!) {
  assignOpportunity(input: {matchId: $id, brokerId: $broker, note: \"跟进 follow up\"}) {
    opportunity { matchId assignment { note } } } }";

const UNASSIGN: &str = "mutation($id: ID!) {
  unassignOpportunity(input: {matchId: $id}) { opportunity { matchId } } }";

fn pairs(data: &Value) -> Vec<(String, String)> {
    data["opportunities"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                crate::common::text(&n["need"]["id"]),
                crate::common::text(&n["capability"]["id"]),
            )
        })
        .collect()
}

fn ids(data: &Value, field: &str) -> Vec<String> {
    data[field]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| crate::common::text(&n["id"]))
        .collect()
}

e2e!(
    the_opportunity_queue_is_who_looks_after_either_side_s_alone,
    |app| async move {
        let t = Tenants::build(&app).await;
        // U publishes one more bearing capability: nobody has acted on its
        // pairs with A's needs yet. They are kept in the background after
        // publication: wait until the admin's queue holds the one with A's
        // confidential need.
        let data = t
            .ok(
                Who::U,
                CREATE_CAPABILITY,
                json!({"input": {"organizationId": t.w.org_u,
                    "title": "Motor bearing monitoring 电机轴承监测",
                    "summary": "振动信号 fault diagnosis 轴承 故障诊断 bearing",
                    "keywords": ["轴承", "故障诊断", "fault diagnosis", "bearing"],
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
        let mut all = Vec::new();
        for _ in 0..100 {
            all = pairs(&t.ok(Who::Admin, QUEUE, json!({})).await);
            if all.iter().any(|(n, c)| *n == t.need_conf && *c == fresh) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let (_, conf_cap) = all
            .iter()
            .find(|(n, _)| *n == t.need_conf)
            .cloned()
            .expect("a pair of A's confidential need is queued");

        // Every queue: A's confidential need shows to A alone (and to the
        // admin); B's needs to B alone; the research side sees the shared
        // needs fitting U's capabilities (leak-checked in every answer).
        for who in SIGNED_IN {
            let queue = pairs(&t.ok(who, QUEUE, json!({})).await);
            for (need, _) in &queue {
                if *need == t.need_conf {
                    assert!(matches!(who, Who::A | Who::Admin), "{who:?}");
                }
                if *need == t.b_need_conf {
                    assert!(matches!(who, Who::B | Who::Admin), "{who:?}");
                }
            }
            if who == Who::B {
                assert!(
                    queue.iter().all(|(n, _)| *n == t.b_need_conf),
                    "B looks after none of the others: {queue:?}"
                );
            }
            if who == Who::PCoord || who == Who::ASup {
                assert!(queue.is_empty(), "{who:?} looks after nothing: {queue:?}");
            }
            // Gap needs are needs the caller may see; stale needs those it
            // looks after (the leak check covers their titles).
            t.ok(who, GAPS, json!({})).await;
            let stale = ids(&t.ok(who, STALE, json!({})).await, "staleNeeds");
            if matches!(
                who,
                Who::B | Who::U | Who::UStaff | Who::UCoord | Who::PCoord
            ) {
                for need in [&t.need_conf, &t.need_platform, &t.need_public] {
                    assert!(!stale.contains(need), "{who:?} was shown A's need as stale");
                }
            }
        }
        // Filed under the A–U agreement: A's public need alone.
        const FILED: &str =
            "query($a: ID!) { opportunities(first: 100, filter: {agreementId: $a}) {
  nodes { need { id } capability { id } } } }";
        let filed = pairs(&t.ok(Who::A, FILED, json!({"a": t.agreement})).await);
        assert!(
            filed
                .iter()
                .any(|(n, c)| *n == t.need_public && *c == fresh),
            "{filed:?}"
        );
        assert!(filed.iter().all(|(n, _)| *n == t.need_public), "{filed:?}");
        let none = pairs(
            &t.ok(Who::A, FILED, json!({"a": missing("Agreement")}))
                .await,
        );
        assert!(none.is_empty(), "{none:?}");
        for query in [QUEUE, GAPS, STALE] {
            t.refused(Who::Anon, query, json!({}), "UNAUTHENTICATED")
                .await;
        }

        // A pair of A's confidential need: hidden from the others, it is
        // refused to them exactly like a missing pair.
        let hidden = match_id(&t.need_conf, &conf_cap);
        let nobody = match_id(&missing("Need"), &missing("Capability"));
        for who in [Who::B, Who::U, Who::UCoord, Who::PCoord] {
            t.refused_like_missing(
                who,
                ASSIGN,
                json!({"id": hidden, "broker": t.user_u}),
                json!({"id": nobody, "broker": t.user_u}),
                "NOT_FOUND",
            )
            .await;
        }
        // Nobody hands it to a broker who may not see the need — not even
        // the admin, and not A to a person of another organisation.
        for (who, broker) in [
            (Who::Admin, &t.user_u),
            (Who::Admin, &t.user_b),
            (Who::A, &t.user_u),
            (Who::A, &t.user_b),
        ] {
            let body = t
                .refused(
                    who,
                    ASSIGN,
                    json!({"id": hidden, "broker": broker}),
                    "BAD_USER_INPUT",
                )
                .await;
            assert_eq!(
                body["errors"][0]["extensions"]["key"], "opportunity.broker.invalid",
                "{body}"
            );
        }
        // A supervisor changes nothing.
        t.refused(
            Who::ASup,
            ASSIGN,
            json!({"id": hidden, "broker": t.user_a}),
            "FORBIDDEN",
        )
        .await;
        // A hands it to themself and takes it back; the others' queues never
        // show the hand-over.
        let data = t
            .ok(Who::A, ASSIGN, json!({"id": hidden, "broker": t.user_a}))
            .await;
        assert_eq!(
            data["assignOpportunity"]["opportunity"]["assignment"]["note"],
            "跟进 follow up"
        );
        for who in [Who::B, Who::U, Who::UCoord] {
            t.refused_like_missing(
                who,
                UNASSIGN,
                json!({"id": hidden}),
                json!({"id": nobody}),
                "NOT_FOUND",
            )
            .await;
        }
        t.ok(Who::A, UNASSIGN, json!({"id": hidden})).await;
    }
);
