//! Testing service orders: a client organisation asks a testing center for
//! tests, the center's staff quote them from the instruments' rates (the
//! client's tier), the client accepts or declines; the staff run the tests
//! (booking instrument time under the order), attach the report and
//! complete the order; the client downloads the report and rates the order
//! once. Every move is in the history and tells the other side.

use chrono::{DateTime, Duration, TimeZone, Utc};
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

/// The testing center of an instrument.
async fn center_of(app: &TestApp, token: &str, instrument: &str) -> String {
    let data = app
        .gql_ok(
            Some(token),
            "query($id: ID!) { instrument(id: $id) { center { id } } }",
            json!({"id": instrument}),
        )
        .await;
    common::text(&data["instrument"]["center"]["id"])
}

const ORDER: &str = "id status samples testItems standards requiredBy quoteNote quotedAt
  center { id } centerOrganization { id } client { id } requestedBy { id } viewerIsStaff
  quoteTotal { amount currencyCode }
  quoteLines { instrument { id } minutes rate { amount } amount { amount } }
  history { from to note actor { id } }";

fn request_query() -> String {
    format!(
        "mutation($input: RequestServiceOrderInput!) {{ requestServiceOrder(input: $input) {{ order {{ {ORDER} }} }} }}"
    )
}

fn request_input(center: &str, required: DateTime<Utc>) -> Value {
    json!({"input": {"centerId": center, "samples": "3 件轴承外圈 3 bearing rings",
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
        let center_id = center_of(&app, &c.staff, &sem).await;
        let a_id = me(&app, &w.a).await;
        let required = Utc::now() + Duration::days(10);

        // Bad requests: a past date, a center without instruments, an
        // organisation's id for the center, another organisation's account.
        let res = app
            .gql(
                Some(&w.a),
                &request_query(),
                request_input(&center_id, Utc::now() - Duration::days(1)),
            )
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"], "input.requiredBy",
            "{res}"
        );
        let data = app
            .gql_ok(
                Some(&w.admin),
                "mutation($o: ID!) { createTestingCenter(input: {organizationId: $o, name: \"空中心 Empty\"}) { testingCenter { id } } }",
                json!({"o": w.org_b}),
            )
            .await;
        let empty = common::text(&data["createTestingCenter"]["testingCenter"]["id"]);
        let res = app
            .gql(
                Some(&w.a),
                &request_query(),
                request_input(&empty, required),
            )
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        assert!(
            common::error_message(&res).contains("runs no instruments"),
            "{res}"
        );
        let res = app
            .gql(
                Some(&w.a),
                &request_query(),
                request_input(&c.org, required),
            )
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"], "input.centerId",
            "{res}"
        );
        let mut for_b = request_input(&center_id, required);
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
                request_input(&center_id, required),
            )
            .await;
        let order = &data["requestServiceOrder"]["order"];
        let id = common::text(&order["id"]);
        assert_eq!(order["status"], "REQUESTED");
        assert_eq!(order["client"]["id"], w.org_a);
        assert_eq!(order["center"]["id"], center_id);
        assert_eq!(order["centerOrganization"]["id"], c.org);
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
                let mut own = request_input(&center_id, required);
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
                request_input(&center_id, required),
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
                request_input(&center_id, required),
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

/// A whole hour `days` days from now, in UTC.
fn at(days: i64, hour: u32) -> DateTime<Utc> {
    let d = (Utc::now() + Duration::days(days)).date_naive();
    Utc.from_utc_datetime(&d.and_hms_opt(hour, 0, 0).unwrap())
}

const BOOK_TIME: &str =
    "mutation($input: BookServiceOrderTimeInput!) { bookServiceOrderTime(input: $input) {
  booking { id status start end organization { id } user { id } serviceOrderId }
  order { id bookings { id } } } }";

fn book_time_input(order: &str, instrument: &str, s: DateTime<Utc>, e: DateTime<Utc>) -> Value {
    json!({"input": {"orderId": order, "instrumentId": instrument,
        "start": s.to_rfc3339(), "end": e.to_rfc3339()}})
}

const RATE: &str = "mutation($input: RateServiceOrderInput!) { rateServiceOrder(input: $input) {
  rating { score comment user { id } } order { id rating { score } } } }";

/// Uploads `bytes` as `name` as the order's report; the response.
async fn upload_report(
    app: &TestApp,
    token: &str,
    order: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    app.client
        .post(app.url(&format!("/api/v1/service-orders/{order}/report")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.7\n% {text}\n%%EOF\n").into_bytes()
}

e2e!(
    a_service_order_is_run_booked_reported_completed_and_rated_once,
    |app| async move {
        let w = World::new(&app).await;
        let c = center(&app, &w).await;
        let sem = instrument(&app, &c.staff, &c.org, "扫描电镜 SEM", "100", "300").await;
        let center_id = center_of(&app, &c.staff, &sem).await;
        let a_id = me(&app, &w.a).await;
        let staff_id = me(&app, &c.staff).await;
        let required = Utc::now() + Duration::days(20);
        let data = app
            .gql_ok(
                Some(&w.a),
                &request_query(),
                request_input(&center_id, required),
            )
            .await;
        let id = common::text(&data["requestServiceOrder"]["order"]["id"]);
        app.gql_ok(
            Some(&c.staff),
            &quote_query(),
            json!({"input": {"id": id, "lines": [{"instrumentId": sem, "minutes": 120}]}}),
        )
        .await;
        // The fee: 2 h at the external rate.
        let fee = "query($id: ID!) { serviceOrder(id: $id) { total { amount currencyCode } } }";
        let data = app.gql_ok(Some(&w.a), fee, json!({"id": id})).await;
        assert_eq!(yuan(&data["serviceOrder"]["total"]["amount"]), 600.0);
        assert_eq!(data["serviceOrder"]["total"]["currencyCode"], "CNY");

        // Nothing runs before the client accepts.
        let start = decision("startServiceOrder");
        let res = app
            .gql(Some(&c.staff), &start, json!({"id": id, "note": ""}))
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        app.gql_ok(
            Some(&w.a),
            &decision("acceptServiceOrderQuote"),
            json!({"id": id, "note": ""}),
        )
        .await;
        // Time is booked only while the tests run, the report attached
        // likewise.
        let res = app
            .gql(
                Some(&c.staff),
                BOOK_TIME,
                book_time_input(&id, &sem, at(3, 9), at(3, 11)),
            )
            .await;
        common::assert_code(&res, "CONFLICT");
        let res = upload_report(&app, &c.staff, &id, "report.pdf", pdf("early")).await;
        assert_eq!(res.status(), 409);

        // The client does not start the tests; the staff do, the client is
        // told.
        let res = app
            .gql(Some(&w.a), &start, json!({"id": id, "note": ""}))
            .await;
        common::assert_code(&res, "FORBIDDEN");
        let data = app
            .gql_ok(
                Some(&c.staff),
                &start,
                json!({"id": id, "note": "样品已收到 samples received"}),
            )
            .await;
        assert_eq!(data["startServiceOrder"]["order"]["status"], "IN_PROGRESS");
        assert!(told(&inbox(&app, &w.a).await, "in progress"));

        // Messages on the order, between the client side and the staff; each
        // tells the other side.
        let post = "mutation($input: PostMessageInput!) { postMessage(input: $input) { thread { id subjectId } message { id body } } }";
        let data = app
            .gql_ok(
                Some(&w.a),
                post,
                json!({"input": {"subjectId": id, "body": "样品何时到达？ when do the samples arrive?"}}),
            )
            .await;
        let thread = common::text(&data["postMessage"]["thread"]["id"]);
        assert_eq!(data["postMessage"]["thread"]["subjectId"], id);
        assert!(
            inbox(&app, &c.staff)
                .await
                .iter()
                .any(|(k, body)| k == "MESSAGE_POSTED" && body.contains("when do the samples")),
            "the staff are told"
        );
        app.gql_ok(
            Some(&c.staff),
            post,
            json!({"input": {"threadId": thread, "body": "已收到 received"}}),
        )
        .await;
        assert!(
            inbox(&app, &w.a)
                .await
                .iter()
                .any(|(k, body)| k == "MESSAGE_POSTED" && body.contains("received")),
            "the client is told"
        );
        let messages = "query($id: ID!) { serviceOrder(id: $id) { thread { id messages(first: 10) { edges { node { body } } } } } }";
        let data = app.gql_ok(Some(&w.a), messages, json!({"id": id})).await;
        let t = &data["serviceOrder"]["thread"];
        assert_eq!(t["id"], thread);
        assert_eq!(
            t["messages"]["edges"][1]["node"]["body"], "已收到 received",
            "{data}"
        );

        // Instrument time under the order: approved at once, for the client
        // organisation, linked to the order.
        let data = app
            .gql_ok(
                Some(&c.staff),
                BOOK_TIME,
                book_time_input(&id, &sem, at(3, 9), at(3, 11)),
            )
            .await;
        let booked = &data["bookServiceOrderTime"]["booking"];
        let booking_id = common::text(&booked["id"]);
        assert_eq!(booked["status"], "APPROVED");
        assert_eq!(booked["organization"]["id"], w.org_a);
        assert_eq!(booked["user"]["id"], staff_id);
        assert_eq!(booked["serviceOrderId"], id);
        assert_eq!(
            data["bookServiceOrderTime"]["order"]["bookings"],
            json!([{"id": booking_id}])
        );
        // The client does not book under it; instruments of other centers
        // are not booked under it; an overlap is refused, either way.
        let res = app
            .gql(
                Some(&w.a),
                BOOK_TIME,
                book_time_input(&id, &sem, at(3, 13), at(3, 14)),
            )
            .await;
        common::assert_code(&res, "FORBIDDEN");
        let other = instrument(&app, &w.admin, &w.org_u, "外单位 other", "1", "1").await;
        let res = app
            .gql(
                Some(&c.staff),
                BOOK_TIME,
                book_time_input(&id, &other, at(3, 13), at(3, 14)),
            )
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        let res = app
            .gql(
                Some(&c.staff),
                BOOK_TIME,
                book_time_input(&id, &sem, at(3, 10), at(3, 12)),
            )
            .await;
        common::assert_code(&res, "CONFLICT");
        let res = app
            .gql(
                Some(&w.b),
                "mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { id } } }",
                json!({"input": {"instrumentId": sem, "start": at(3, 10).to_rfc3339(),
                    "end": at(3, 12).to_rfc3339(), "purpose": "overlap"}}),
            )
            .await;
        common::assert_code(&res, "CONFLICT");

        // Two bookings of one slot at once: exactly one wins.
        let input = book_time_input(&id, &sem, at(4, 9), at(4, 10));
        let (first, second) = tokio::join!(
            app.gql(Some(&c.staff), BOOK_TIME, input.clone()),
            app.gql(Some(&c.staff), BOOK_TIME, input.clone()),
        );
        let won = [&first, &second]
            .iter()
            .filter(|r| r.get("errors").is_none())
            .count();
        assert_eq!(won, 1, "{first} {second}");
        let lost = if first.get("errors").is_some() {
            &first
        } else {
            &second
        };
        common::assert_code(lost, "CONFLICT");
        let data = app
            .gql_ok(
                Some(&w.a),
                "query($id: ID!) { serviceOrder(id: $id) { bookings { start status } } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(
            data["serviceOrder"]["bookings"].as_array().unwrap().len(),
            2
        );

        // Completing needs the report.
        let complete = decision("completeServiceOrder");
        let res = app
            .gql(Some(&c.staff), &complete, json!({"id": id, "note": ""}))
            .await;
        common::assert_code(&res, "CONFLICT");
        assert!(common::error_message(&res).contains("report"), "{res}");

        // The report: the staff upload it, checked like an attachment.
        let res = upload_report(&app, &w.a, &id, "report.pdf", pdf("client")).await;
        assert_eq!(res.status(), 403);
        let res = upload_report(&app, &c.staff, &id, "report.exe", b"MZ\x90\x00".to_vec()).await;
        assert_eq!(res.status(), 400);
        let res = upload_report(&app, &c.staff, &id, "report.pdf", b"not a pdf".to_vec()).await;
        assert_eq!(res.status(), 400);
        let res = upload_report(&app, &c.staff, &id, "draft.pdf", pdf("draft")).await;
        assert_eq!(res.status(), 201);
        // A second upload replaces the first.
        let res = upload_report(
            &app,
            &c.staff,
            &id,
            "../../检测报告 final.pdf",
            pdf("final"),
        )
        .await;
        assert_eq!(res.status(), 201);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["name"], "检测报告 final.pdf");
        assert_eq!(body["orderId"], id);

        let data = app
            .gql_ok(
                Some(&c.staff),
                &complete,
                json!({"id": id, "note": "报告已出 report issued"}),
            )
            .await;
        let order = &data["completeServiceOrder"]["order"];
        assert_eq!(order["status"], "COMPLETED");
        let moves: Vec<Value> = order["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["to"].clone())
            .collect();
        assert_eq!(
            moves,
            vec![
                json!("REQUESTED"),
                json!("QUOTED"),
                json!("ACCEPTED"),
                json!("IN_PROGRESS"),
                json!("COMPLETED")
            ]
        );
        assert!(told(&inbox(&app, &w.a).await, "completed"));
        // No more time, no other report once completed.
        let res = app
            .gql(
                Some(&c.staff),
                BOOK_TIME,
                book_time_input(&id, &sem, at(5, 9), at(5, 10)),
            )
            .await;
        common::assert_code(&res, "CONFLICT");
        let res = upload_report(&app, &c.staff, &id, "late.pdf", pdf("late")).await;
        assert_eq!(res.status(), 409);

        // The client downloads the final report.
        let data = app
            .gql_ok(
                Some(&w.a),
                "query($id: ID!) { serviceOrder(id: $id) { report { name contentType size downloadPath uploadedBy { id } } } }",
                json!({"id": id}),
            )
            .await;
        let report = &data["serviceOrder"]["report"];
        assert_eq!(report["name"], "检测报告 final.pdf");
        assert_eq!(report["contentType"], "application/pdf");
        assert_eq!(report["uploadedBy"]["id"], staff_id);
        let path = common::text(&report["downloadPath"]);
        let res = app.get_as(&path, &w.a).await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["x-content-type-options"].to_str().unwrap(),
            "nosniff"
        );
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        assert_eq!(res.bytes().await.unwrap().as_ref(), pdf("final").as_slice());
        assert_eq!(app.get_as(&path, &c.staff).await.status(), 200);
        assert_eq!(app.get(&path).await.status(), 401);

        // Rated once, by the client side, 1 to 5.
        let rate = |score: i64| json!({"input": {"orderId": id, "score": score, "comment": "准时 on time"}});
        common::assert_code(&app.gql(Some(&c.staff), RATE, rate(5)).await, "FORBIDDEN");
        common::assert_code(&app.gql(Some(&w.a), RATE, rate(6)).await, "BAD_USER_INPUT");
        let data = app.gql_ok(Some(&w.a), RATE, rate(4)).await;
        assert_eq!(data["rateServiceOrder"]["rating"]["score"], 4);
        assert_eq!(data["rateServiceOrder"]["rating"]["user"]["id"], a_id);
        assert_eq!(data["rateServiceOrder"]["order"]["rating"]["score"], 4);
        let res = app.gql(Some(&w.a), RATE, rate(5)).await;
        common::assert_code(&res, "CONFLICT");

        // Billed once, at its quote: one SERVICE_ORDER line on the client's
        // invoice, the owner taking it all; the time booked under it is
        // not billed again as a booking, even once completed.
        app.gql_ok(
            Some(&c.staff),
            "mutation($input: CompleteBookingInput!) { completeBooking(input: $input) { booking { status } } }",
            json!({"input": {"id": booking_id, "actualStart": at(-1, 9).to_rfc3339(),
                "actualEnd": at(-1, 11).to_rfc3339()}}),
        )
        .await;
        let cst = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
        let today = Utc::now().with_timezone(&cst).date_naive();
        let issue =
            "mutation($input: IssueInvoicesInput!) { issueInvoices(input: $input) { invoices {
          client { id } total { amount }
          lines { kind bookingId serviceOrderId instrument { id } hours tier amount { amount }
            shares { organization { id } sharePercent amount { amount } } } } } }";
        let period = json!({"input": {"centerId": center_id,
            "periodStart": (today - Duration::days(3)).to_string(), "periodEnd": today.to_string()}});
        let data = app.gql_ok(Some(&c.staff), issue, period.clone()).await;
        let invoices = data["issueInvoices"]["invoices"].as_array().unwrap();
        assert_eq!(invoices.len(), 1, "{data}");
        assert_eq!(invoices[0]["client"]["id"], w.org_a);
        assert_eq!(yuan(&invoices[0]["total"]["amount"]), 600.0);
        assert_eq!(
            invoices[0]["lines"],
            json!([{"kind": "SERVICE_ORDER", "bookingId": null, "serviceOrderId": id,
                "instrument": {"id": sem}, "hours": 2.0, "tier": "EXTERNAL", "amount": {"amount": "600.00"},
                "shares": [{"organization": {"id": c.org}, "sharePercent": 100, "amount": {"amount": "600.00"}}]}]),
            "{data}"
        );
        // Issued again: nothing left to bill.
        let data = app.gql_ok(Some(&c.staff), issue, period).await;
        assert_eq!(data["issueInvoices"]["invoices"], json!([]), "{data}");

        // An outsider finds nothing of it.
        let res = app
            .gql(
                Some(&w.b),
                "query($id: ID!) { serviceOrder(id: $id) { id } }",
                json!({"id": id}),
            )
            .await;
        common::assert_code(&res, "NOT_FOUND");
        let res = app
            .gql(
                Some(&w.b),
                "query($id: ID!) { node(id: $id) { id } }",
                json!({"id": booking_id}),
            )
            .await;
        assert!(
            res.get("errors").is_some() || res["data"]["node"].is_null(),
            "{res}"
        );
        assert_eq!(app.get_as(&path, &w.b).await.status(), 404);
        // Nor its conversation.
        for (query, vars) in [
            (
                post,
                json!({"input": {"subjectId": id, "body": "intrusion"}}),
            ),
            (
                post,
                json!({"input": {"threadId": thread, "body": "intrusion"}}),
            ),
            (
                "query($id: ID!) { node(id: $id) { id } }",
                json!({"id": thread}),
            ),
        ] {
            common::assert_code(&app.gql(Some(&w.b), query, vars).await, "NOT_FOUND");
        }
        assert_eq!(
            upload_report(&app, &w.b, &id, "x.pdf", pdf("x"))
                .await
                .status(),
            404
        );
        for res in [
            app.gql(Some(&w.b), RATE, rate(3)).await,
            app.gql(
                Some(&w.b),
                BOOK_TIME,
                book_time_input(&id, &sem, at(6, 9), at(6, 10)),
            )
            .await,
            app.gql(Some(&w.b), &complete, json!({"id": id, "note": ""}))
                .await,
            app.gql(Some(&w.b), &start, json!({"id": id, "note": ""}))
                .await,
        ] {
            common::assert_code(&res, "NOT_FOUND");
        }
    }
);

e2e!(
    test_items_are_quoted_at_the_client_s_tier_billed_and_settled_to_the_center,
    |app| async move {
        let w = World::new(&app).await;
        let c = center(&app, &w).await;
        let sem = instrument(&app, &c.staff, &c.org, "扫描电镜 SEM", "100", "300").await;
        let center_id = center_of(&app, &c.staff, &sem).await;
        // The SEM is co-owned half and half with the university, which
        // co-builds the center.
        app.gql_ok(
            Some(&c.staff),
            "mutation($input: UpdateTestingCenterInput!) { updateTestingCenter(input: $input) { testingCenter { id } } }",
            json!({"input": {"id": center_id, "cobuilderIds": [w.org_u]}}),
        )
        .await;
        app.gql_ok(
            Some(&w.admin),
            "mutation($input: SetInstrumentOwnersInput!) { setInstrumentOwners(input: $input) { owners { sharePercent } } }",
            json!({"input": {"instrumentId": sem, "owners": [
                {"organizationId": c.org, "sharePercent": 50},
                {"organizationId": w.org_u, "sharePercent": 50}]}}),
        )
        .await;
        let create = "mutation($input: CreateTestItemInput!) { createTestItem(input: $input) { testItem { id } } }";
        let item = |center: &str, code: &str| {
            json!({"input": {"centerId": center, "code": code, "nameZh": "维氏硬度",
                "nameEn": "Vickers hardness", "unit": "sample", "priceInternal": "50",
                "priceGroup": "80", "priceExternal": "120.5"}})
        };
        let data = app
            .gql_ok(Some(&c.staff), create, item(&center_id, "HV-10"))
            .await;
        let hv = common::text(&data["createTestItem"]["testItem"]["id"]);
        // Another center's price list.
        let xrd = instrument(&app, &w.admin, &w.org_u, "X 射线衍射仪 XRD", "1", "1").await;
        let other_center = center_of(&app, &w.admin, &xrd).await;
        let data = app
            .gql_ok(Some(&w.admin), create, item(&other_center, "HV-10"))
            .await;
        let foreign = common::text(&data["createTestItem"]["testItem"]["id"]);

        let required = Utc::now() + Duration::days(10);
        let request = request_input(&center_id, required);
        let data = app
            .gql_ok(Some(&w.a), &request_query(), request.clone())
            .await;
        let id = common::text(&data["requestServiceOrder"]["order"]["id"]);
        let quote = "mutation($input: QuoteServiceOrderInput!) { quoteServiceOrder(input: $input) { order {
          status quoteTotal { amount } total { amount }
          quoteLines { instrument { id } minutes amount { amount } }
          quoteItems { testItem { id code unit } quantity tier unitPrice { amount } amount { amount } } } } }";
        // Refused: nothing to quote, another center's item, a quantity out
        // of range, more than 20 lines together.
        let field = |res: &Value| res["errors"][0]["extensions"]["fields"][0]["field"].clone();
        let res = app
            .gql(Some(&c.staff), quote, json!({"input": {"id": id}}))
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        let res = app
            .gql(
                Some(&c.staff),
                quote,
                json!({"input": {"id": id, "items": [{"testItemId": foreign, "quantity": 1}]}}),
            )
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        assert_eq!(field(&res), "input.items[0].testItemId", "{res}");
        for quantity in [0, -2, 10_001] {
            let res = app
                .gql(
                    Some(&c.staff),
                    quote,
                    json!({"input": {"id": id, "items": [{"testItemId": hv, "quantity": quantity}]}}),
                )
                .await;
            common::assert_code(&res, "BAD_USER_INPUT");
            assert_eq!(field(&res), "input.items[0].quantity", "{res}");
        }
        let many: Vec<Value> = (0..11)
            .map(|_| json!({"testItemId": hv, "quantity": 1}))
            .collect();
        let lines: Vec<Value> = (0..10)
            .map(|_| json!({"instrumentId": sem, "minutes": 10}))
            .collect();
        let res = app
            .gql(
                Some(&c.staff),
                quote,
                json!({"input": {"id": id, "lines": lines, "items": many}}),
            )
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        // The client does not quote.
        let res = app
            .gql(
                Some(&w.a),
                quote,
                json!({"input": {"id": id, "items": [{"testItemId": hv, "quantity": 1}]}}),
            )
            .await;
        common::assert_code(&res, "FORBIDDEN");

        // One hour of the SEM and three hardness tests, at A's EXTERNAL
        // prices: 300.00 + 3 × 120.50.
        let data = app
            .gql_ok(
                Some(&c.staff),
                quote,
                json!({"input": {"id": id, "lines": [{"instrumentId": sem, "minutes": 60}],
                    "items": [{"testItemId": hv, "quantity": 3}]}}),
            )
            .await;
        let quoted = &data["quoteServiceOrder"]["order"];
        assert_eq!(quoted["status"], "QUOTED");
        assert_eq!(
            quoted["quoteItems"],
            json!([{"testItem": {"id": hv, "code": "HV-10", "unit": "sample"}, "quantity": 3,
                "tier": "EXTERNAL", "unitPrice": {"amount": "120.50"}, "amount": {"amount": "361.50"}}])
        );
        assert_eq!(quoted["quoteTotal"]["amount"], "661.50");
        assert_eq!(quoted["total"]["amount"], "661.50");
        // A quoted item stays on the price list; its price may change, the
        // quote keeps its own.
        let res = app
            .gql(
                Some(&c.staff),
                "mutation($id: ID!) { deleteTestItem(input: {id: $id}) { deletedTestItemId } }",
                json!({"id": hv}),
            )
            .await;
        common::assert_code(&res, "CONFLICT");
        app.gql_ok(
            Some(&c.staff),
            "mutation($id: ID!) { updateTestItem(input: {id: $id, priceExternal: \"999\"}) { testItem { id } } }",
            json!({"id": hv}),
        )
        .await;
        let data = app
            .gql_ok(
                Some(&w.a),
                "query($id: ID!) { serviceOrder(id: $id) { total { amount } quoteItems { unitPrice { amount } } } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(data["serviceOrder"]["total"]["amount"], "661.50");
        assert_eq!(
            data["serviceOrder"]["quoteItems"][0]["unitPrice"]["amount"],
            "120.50"
        );

        // Run to completion.
        app.gql_ok(
            Some(&w.a),
            &decision("acceptServiceOrderQuote"),
            json!({"id": id, "note": ""}),
        )
        .await;
        app.gql_ok(
            Some(&c.staff),
            &decision("startServiceOrder"),
            json!({"id": id, "note": ""}),
        )
        .await;
        let res = upload_report(&app, &c.staff, &id, "report.pdf", pdf("hardness")).await;
        assert_eq!(res.status(), 201);
        app.gql_ok(
            Some(&c.staff),
            &decision("completeServiceOrder"),
            json!({"id": id, "note": ""}),
        )
        .await;

        // Billed at the quote: the SEM hour split between its owners, the
        // hardness tests to the organisation running the center.
        let cst = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
        let today = Utc::now().with_timezone(&cst).date_naive();
        let issue =
            "mutation($input: IssueInvoicesInput!) { issueInvoices(input: $input) { invoices {
          total { amount } lines { kind serviceOrderId hours tier amount { amount }
            shares { organization { id } sharePercent amount { amount } } } } } }";
        let data = app
            .gql_ok(
                Some(&c.staff),
                issue,
                json!({"input": {"centerId": center_id,
                    "periodStart": (today - Duration::days(1)).to_string(), "periodEnd": today.to_string()}}),
            )
            .await;
        assert_eq!(
            data["issueInvoices"]["invoices"],
            json!([{"total": {"amount": "661.50"}, "lines": [{"kind": "SERVICE_ORDER",
                "serviceOrderId": id, "hours": 1.0, "tier": "EXTERNAL", "amount": {"amount": "661.50"},
                "shares": [
                    {"organization": {"id": c.org}, "sharePercent": 77, "amount": {"amount": "511.50"}},
                    {"organization": {"id": w.org_u}, "sharePercent": 23, "amount": {"amount": "150.00"}}]}]}]),
            "{data}"
        );

        // A quote of test items alone, at today's price.
        let data = app.gql_ok(Some(&w.a), &request_query(), request).await;
        let second = common::text(&data["requestServiceOrder"]["order"]["id"]);
        let data = app
            .gql_ok(
                Some(&c.staff),
                quote,
                json!({"input": {"id": second, "items": [{"testItemId": hv, "quantity": 2}]}}),
            )
            .await;
        let quoted = &data["quoteServiceOrder"]["order"];
        assert_eq!(quoted["quoteLines"], json!([]));
        assert_eq!(quoted["total"]["amount"], "1998.00");
    }
);
