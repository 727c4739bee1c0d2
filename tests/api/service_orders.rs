//! Testing service orders: a client organisation asks a testing center for
//! tests, the center's staff quote them from the instruments' rates (the
//! client's tier), the client accepts or declines; every move is in the
//! history and tells the other side.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::common::{self, TestApp};
use crate::fixtures::{World, add_member, create_org, me};

struct Center {
    org: String,
    staff: String,
}

async fn center(app: &TestApp, w: &World) -> Center {
    let org = create_org(app, &w.admin, "检测中心 Testing Center", "INSTITUTE", None).await;
    let staff = app.user("staff@center.test").await;
    let res = add_member(app, &w.admin, &org, "staff@center.test", "ORG_ADMIN").await;
    assert!(res.get("errors").is_none(), "{res}");
    Center { org, staff }
}

async fn instrument(
    app: &TestApp,
    token: &str,
    org: &str,
    name: &str,
    internal: &str,
    external: &str,
) -> String {
    let data = app
        .gql_ok(
            Some(token),
            "mutation($input: CreateInstrumentInput!) { createInstrument(input: $input) { instrument { id } } }",
            json!({"input": {"organizationId": org, "name": name, "category": "test",
                "rateInternal": internal, "rateExternal": external}}),
        )
        .await;
    common::text(&data["createInstrument"]["instrument"]["id"])
}

const ORDER: &str = "id status samples testItems standards requiredBy quoteNote quotedAt
  center { id } client { id } requestedBy { id } viewerIsStaff
  quoteTotal { amount currencyCode }
  quoteLines { instrument { id } minutes rate { amount } amount { amount } }
  history { from to note actor { id } }";

fn request_query() -> String {
    format!(
        "mutation($input: RequestServiceOrderInput!) {{ requestServiceOrder(input: $input) {{ order {{ {ORDER} }} }} }}"
    )
}

fn request_input(center: &str, required: DateTime<Utc>) -> Value {
    json!({"input": {"centerOrganizationId": center, "samples": "3 件轴承外圈 3 bearing rings",
        "testItems": "硬度 hardness; 金相 metallography", "standards": "GB/T 230.1-2018",
        "requiredBy": required.to_rfc3339()}})
}

fn decision(op: &str) -> String {
    format!(
        "mutation($id: ID!, $note: String!) {{ {op}(input: {{id: $id, note: $note}}) {{ order {{ {ORDER} }} }} }}"
    )
}

fn quote_query() -> String {
    format!(
        "mutation($input: QuoteServiceOrderInput!) {{ quoteServiceOrder(input: $input) {{ order {{ {ORDER} }} }} }}"
    )
}

fn yuan(v: &Value) -> f64 {
    common::text(v).parse().unwrap()
}

/// The kinds and bodies of a user's notifications, newest first.
async fn inbox(app: &TestApp, token: &str) -> Vec<(String, String)> {
    let data = app
        .gql_ok(
            Some(token),
            "{ notifications(first: 50) { edges { node { kind body } } } }",
            json!({}),
        )
        .await;
    data["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                common::text(&e["node"]["kind"]),
                common::text(&e["node"]["body"]),
            )
        })
        .collect()
}

fn told(inbox: &[(String, String)], word: &str) -> bool {
    inbox
        .iter()
        .any(|(k, body)| k == "SERVICE_ORDER_CHANGED" && body.contains(word))
}

e2e!(
    service_orders_are_quoted_from_the_instrument_rates_and_decided_by_the_client,
    |app| async move {
        let w = World::new(&app).await;
        let c = center(&app, &w).await;
        let sem = instrument(&app, &c.staff, &c.org, "扫描电镜 SEM", "100", "300").await;
        let cmm = instrument(&app, &c.staff, &c.org, "三坐标 CMM", "80", "200.01").await;
        let a_id = me(&app, &w.a).await;
        let required = Utc::now() + Duration::days(10);

        // Bad requests: a past date, an organisation without instruments,
        // another organisation's account.
        let res = app
            .gql(
                Some(&w.a),
                &request_query(),
                request_input(&c.org, Utc::now() - Duration::days(1)),
            )
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"], "input.requiredBy",
            "{res}"
        );
        let res = app
            .gql(
                Some(&w.a),
                &request_query(),
                request_input(&w.org_b, required),
            )
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        assert!(
            common::error_message(&res).contains("runs no instruments"),
            "{res}"
        );
        let mut for_b = request_input(&c.org, required);
        for_b["input"]["clientOrganizationId"] = json!(w.org_b);
        common::assert_code(
            &app.gql(Some(&w.a), &request_query(), for_b).await,
            "FORBIDDEN",
        );

        // A asks for tests for enterprise A; the center's staff are told.
        let data = app
            .gql_ok(
                Some(&w.a),
                &request_query(),
                request_input(&c.org, required),
            )
            .await;
        let order = &data["requestServiceOrder"]["order"];
        let id = common::text(&order["id"]);
        assert_eq!(order["status"], "REQUESTED");
        assert_eq!(order["client"]["id"], w.org_a);
        assert_eq!(order["center"]["id"], c.org);
        assert_eq!(order["requestedBy"]["id"], a_id);
        assert_eq!(order["quoteTotal"], Value::Null);
        assert_eq!(order["viewerIsStaff"], false);
        assert_eq!(
            order["history"],
            json!([{"from": null, "to": "REQUESTED", "note": "", "actor": {"id": a_id}}])
        );
        assert!(told(&inbox(&app, &c.staff).await, "requested"));

        // Another tenant neither sees nor lists it.
        let res = app
            .gql(
                Some(&w.b),
                "query($id: ID!) { serviceOrder(id: $id) { id samples } }",
                json!({"id": id}),
            )
            .await;
        common::assert_code(&res, "NOT_FOUND");
        let data = app
            .gql_ok(
                Some(&w.b),
                "{ serviceOrders(first: 10) { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(data["serviceOrders"]["totalCount"], 0);

        // Only the staff quote; the client cannot accept before the quote.
        let lines =
            json!([{"instrumentId": sem, "minutes": 90}, {"instrumentId": cmm, "minutes": 30}]);
        let quote = |lines: Value| json!({"input": {"id": id, "lines": lines, "note": "含制样 incl. preparation"}});
        common::assert_code(
            &app.gql(Some(&w.a), &quote_query(), quote(lines.clone()))
                .await,
            "FORBIDDEN",
        );
        let res = app
            .gql(
                Some(&w.a),
                &decision("acceptServiceOrderQuote"),
                json!({"id": id, "note": ""}),
            )
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        // Lines: 1–20, instruments of the center, 1 minute to a month.
        let other = instrument(&app, &w.admin, &w.org_u, "外单位 other", "1", "1").await;
        for bad in [
            json!([]),
            json!([{"instrumentId": other, "minutes": 60}]),
            json!([{"instrumentId": sem, "minutes": 0}]),
        ] {
            let res = app
                .gql(Some(&c.staff), &quote_query(), quote(bad.clone()))
                .await;
            common::assert_code(&res, "BAD_USER_INPUT");
        }

        // Enterprise A pays the external rates: 1.5 h × 300 + 0.5 h × 200.01.
        let data = app
            .gql_ok(Some(&c.staff), &quote_query(), quote(lines))
            .await;
        let order = &data["quoteServiceOrder"]["order"];
        assert_eq!(order["status"], "QUOTED");
        assert_eq!(order["viewerIsStaff"], true);
        assert_eq!(order["quoteNote"], "含制样 incl. preparation");
        let q = &order["quoteLines"];
        assert_eq!(q[0]["instrument"]["id"], sem);
        assert_eq!(
            (
                yuan(&q[0]["rate"]["amount"]),
                yuan(&q[0]["amount"]["amount"])
            ),
            (300.0, 450.0)
        );
        // 0.5 h × 200.01 = 100.005 → 100.01 (half up, to the fen).
        assert_eq!(
            (
                yuan(&q[1]["rate"]["amount"]),
                yuan(&q[1]["amount"]["amount"])
            ),
            (200.01, 100.01)
        );
        assert_eq!(yuan(&order["quoteTotal"]["amount"]), 550.01);
        assert_eq!(order["quoteTotal"]["currencyCode"], "CNY");
        assert!(told(&inbox(&app, &w.a).await, "quoted"));
        // Quoted once.
        let res = app
            .gql(
                Some(&c.staff),
                &quote_query(),
                quote(json!([{"instrumentId": sem, "minutes": 60}])),
            )
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");

        // The client accepts (the staff cannot for them); the staff are told.
        let res = app
            .gql(
                Some(&c.staff),
                &decision("acceptServiceOrderQuote"),
                json!({"id": id, "note": ""}),
            )
            .await;
        common::assert_code(&res, "FORBIDDEN");
        let data = app
            .gql_ok(
                Some(&w.a),
                &decision("acceptServiceOrderQuote"),
                json!({"id": id, "note": "同意 agreed"}),
            )
            .await;
        let order = &data["acceptServiceOrderQuote"]["order"];
        assert_eq!(order["status"], "ACCEPTED");
        let moves: Vec<(Value, Value)> = order["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["from"].clone(), e["to"].clone()))
            .collect();
        assert_eq!(
            moves,
            vec![
                (Value::Null, json!("REQUESTED")),
                (json!("REQUESTED"), json!("QUOTED")),
                (json!("QUOTED"), json!("ACCEPTED")),
            ]
        );
        assert_eq!(order["history"][2]["note"], "同意 agreed");
        assert!(told(&inbox(&app, &c.staff).await, "accepted"));
        let res = app
            .gql(
                Some(&w.a),
                &decision("cancelServiceOrder"),
                json!({"id": id, "note": ""}),
            )
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");

        // The center's own organisation pays the internal rate.
        let data = app
            .gql_ok(Some(&c.staff), &request_query(), {
                let mut own = request_input(&c.org, required);
                own["input"]["clientOrganizationId"] = json!(c.org);
                own
            })
            .await;
        let own = common::text(&data["requestServiceOrder"]["order"]["id"]);
        let data = app
            .gql_ok(
                Some(&c.staff),
                &quote_query(),
                json!({"input": {"id": own, "lines": [{"instrumentId": sem, "minutes": 60}]}}),
            )
            .await;
        assert_eq!(
            yuan(&data["quoteServiceOrder"]["order"]["quoteTotal"]["amount"]),
            100.0
        );

        // Rejected by the staff, or cancelled by the client.
        let data = app
            .gql_ok(
                Some(&w.a),
                &request_query(),
                request_input(&c.org, required),
            )
            .await;
        let rejected = common::text(&data["requestServiceOrder"]["order"]["id"]);
        common::assert_code(
            &app.gql(
                Some(&w.a),
                &decision("rejectServiceOrder"),
                json!({"id": rejected, "note": ""}),
            )
            .await,
            "FORBIDDEN",
        );
        let data = app
            .gql_ok(
                Some(&c.staff),
                &decision("rejectServiceOrder"),
                json!({"id": rejected, "note": "样品不足 too few samples"}),
            )
            .await;
        assert_eq!(data["rejectServiceOrder"]["order"]["status"], "REJECTED");
        assert!(told(&inbox(&app, &w.a).await, "rejected"));
        let data = app
            .gql_ok(
                Some(&w.a),
                &request_query(),
                request_input(&c.org, required),
            )
            .await;
        let cancelled = common::text(&data["requestServiceOrder"]["order"]["id"]);
        let data = app
            .gql_ok(
                Some(&w.a),
                &decision("cancelServiceOrder"),
                json!({"id": cancelled, "note": ""}),
            )
            .await;
        assert_eq!(data["cancelServiceOrder"]["order"]["status"], "CANCELLED");

        // The lists: the client's orders, the center's, by status.
        let list = "query($s: [ServiceOrderStatus!]) { serviceOrders(first: 10, filter: {status: $s}) { totalCount nodes { id status } } }";
        let data = app.gql_ok(Some(&w.a), list, json!({"s": null})).await;
        assert_eq!(data["serviceOrders"]["totalCount"], 3);
        assert_eq!(
            data["serviceOrders"]["nodes"][0]["id"], cancelled,
            "newest first"
        );
        let data = app
            .gql_ok(Some(&w.a), list, json!({"s": ["ACCEPTED"]}))
            .await;
        assert_eq!(
            data["serviceOrders"]["nodes"],
            json!([{"id": id, "status": "ACCEPTED"}])
        );
        let data = app.gql_ok(Some(&c.staff), list, json!({"s": null})).await;
        assert_eq!(data["serviceOrders"]["totalCount"], 4);
    }
);
