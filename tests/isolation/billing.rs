//! Billing: a center's price list is read by signed-in users and kept by
//! its staff; an invoice, its lines, shares and CSV are the center's staff's
//! and the client organisation's admins' alone; a billing account is its
//! organisation's admins' and the invoicing center's staff's; the
//! settlement (and its CSV) is the center's staff's. Another organisation
//! sees no invoice, account, settlement or CSV.

use serde_json::{Value, json};

use crate::common::{TestApp, error_code};
use crate::fixtures::add_member;
use crate::world::*;

const INVOICE: &str = "query($id: ID!) { invoice(id: $id) { id status total { amount }
  center { id } client { id } billingAccount { invoiceTitle }
  lines { tier amount { amount } instrument { id } shares { sharePercent amount { amount } } }
  settlement { amount { amount } } } }";

const INVOICES: &str = "{ invoices(first: 50) { totalCount nodes { id } } }";

const ACCOUNT: &str =
    "query($o: ID!) { billingAccount(organizationId: $o) { invoiceTitle organization { id } } }";

const SETTLEMENT: &str = "query($c: ID!, $f: Date!, $t: Date!) {
  centerSettlement(centerId: $c, from: $f, to: $t) {
    center { id } total { amount } owners { amount { amount } } invoices { id } } }";

async fn as_token(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    app.gql(Some(token), query, variables).await
}

fn code(body: &Value) -> String {
    error_code(body).unwrap_or_default()
}

e2e!(
    billing_is_the_center_s_and_the_client_s_alone,
    |app| async move {
        let t = Tenants::build(&app).await;
        let admin = t.w.admin.clone();
        // The billing admins of enterprises A and B.
        let a_boss = app.user("boss@enterprise-a.test").await;
        let b_boss = app.user("boss@enterprise-b.test").await;
        for (org, email) in [
            (&t.w.org_a, "boss@enterprise-a.test"),
            (&t.w.org_b, "boss@enterprise-b.test"),
        ] {
            let res = add_member(&app, &admin, org, email, "ORG_ADMIN").await;
            assert!(res.get("errors").is_none(), "{res}");
        }
        let data = t
            .ok(
                Who::UStaff,
                "query($id: ID!) { instrument(id: $id) { center { id } } }",
                json!({"id": t.instrument}),
            )
            .await;
        let center = crate::common::text(&data["instrument"]["center"]["id"]);

        // testItems: read by every signed-in caller, kept by U's staff.
        let create = "mutation($input: CreateTestItemInput!) { createTestItem(input: $input) { testItem { id code center { id } prices { external { amount } } } } }";
        let input = |code: &str| {
            json!({"input": {"centerId": center, "code": code, "nameZh": "能谱分析",
                "nameEn": "EDS", "unit": "point", "priceInternal": "30", "priceGroup": "40",
                "priceExternal": "60"}})
        };
        for who in [Who::A, Who::B, Who::U, Who::UCoord, Who::PCoord] {
            t.refused(who, create, input("EDS"), "FORBIDDEN").await;
        }
        t.refused(Who::Anon, create, input("EDS"), "UNAUTHENTICATED")
            .await;
        let data = t.ok(Who::UStaff, create, input("EDS")).await;
        let item = crate::common::text(&data["createTestItem"]["testItem"]["id"]);
        let update = "mutation($id: ID!) { updateTestItem(input: {id: $id, unit: \"spot\"}) { testItem { unit } } }";
        let delete =
            "mutation($id: ID!) { deleteTestItem(input: {id: $id}) { deletedTestItemId } }";
        for who in [Who::A, Who::B, Who::UCoord] {
            t.refused(who, update, json!({"id": item}), "FORBIDDEN")
                .await;
            t.refused(who, delete, json!({"id": item}), "FORBIDDEN")
                .await;
        }
        let items = "query($c: ID!) { testItems(centerId: $c) { code } }";
        for who in SIGNED_IN {
            let data = t.ok(who, items, json!({"c": center})).await;
            assert_eq!(data["testItems"], json!([{"code": "EDS"}]), "{who:?}");
        }
        t.refused(Who::Anon, items, json!({"c": center}), "UNAUTHENTICATED")
            .await;
        t.ok(Who::UStaff, update, json!({"id": item})).await;

        // A's approved booking, used yesterday for an hour.
        t.ok(
            Who::UStaff,
            "mutation($input: CompleteBookingInput!) { completeBooking(input: $input) { booking { status } } }",
            json!({"input": {"id": t.booking_approved, "actualStart": at(-1, 2).to_rfc3339(),
                "actualEnd": at(-1, 3).to_rfc3339()}}),
        )
        .await;
        let (from, to) = (
            (chrono::Utc::now() - chrono::Duration::days(3))
                .date_naive()
                .to_string(),
            (chrono::Utc::now() + chrono::Duration::days(1))
                .date_naive()
                .to_string(),
        );

        // issueInvoices: U's staff alone.
        let issue = "mutation($input: IssueInvoicesInput!) { issueInvoices(input: $input) { invoices { id client { id } } } }";
        let period = json!({"input": {"centerId": center, "periodStart": from, "periodEnd": to}});
        for who in [Who::A, Who::B, Who::U, Who::UCoord, Who::PCoord, Who::ASup] {
            t.refused(who, issue, period.clone(), "FORBIDDEN").await;
        }
        for token in [&a_boss, &b_boss] {
            assert_eq!(
                code(&as_token(&app, token, issue, period.clone()).await),
                "FORBIDDEN"
            );
        }
        let data = t.ok(Who::UStaff, issue, period.clone()).await;
        let invoices = data["issueInvoices"]["invoices"].as_array().unwrap();
        assert_eq!(invoices.len(), 1, "{data}");
        assert_eq!(invoices[0]["client"]["id"], t.w.org_a);
        let invoice = crate::common::text(&invoices[0]["id"]);

        // invoice: U's staff and A's admin; nobody else, as if missing.
        let data = t.ok(Who::UStaff, INVOICE, json!({"id": invoice})).await;
        assert_eq!(data["invoice"]["total"]["amount"], "300.00", "{data}");
        assert_eq!(
            data["invoice"]["lines"][0]["instrument"]["id"],
            t.instrument
        );
        let data = as_token(&app, &a_boss, INVOICE, json!({"id": invoice})).await;
        assert_eq!(data["data"]["invoice"]["client"]["id"], t.w.org_a, "{data}");
        assert_eq!(
            data["data"]["invoice"]["billingAccount"]["invoiceTitle"],
            ""
        );
        for who in [Who::A, Who::B, Who::U, Who::UCoord, Who::ASup, Who::PCoord] {
            t.refused(who, INVOICE, json!({"id": invoice}), "NOT_FOUND")
                .await;
        }
        assert_eq!(
            code(&as_token(&app, &b_boss, INVOICE, json!({"id": invoice})).await),
            "NOT_FOUND"
        );
        t.refused(
            Who::Anon,
            INVOICE,
            json!({"id": invoice}),
            "UNAUTHENTICATED",
        )
        .await;

        // invoices: the center's and the client's; empty for the others.
        let data = as_token(&app, &a_boss, INVOICES, json!({})).await;
        assert_eq!(data["data"]["invoices"]["totalCount"], 1, "{data}");
        let data = t.ok(Who::UStaff, INVOICES, json!({})).await;
        assert_eq!(data["invoices"]["totalCount"], 1);
        for who in [Who::A, Who::B, Who::U, Who::UCoord, Who::ASup, Who::PCoord] {
            let data = t.ok(who, INVOICES, json!({})).await;
            assert_eq!(data["invoices"]["totalCount"], 0, "{who:?}");
        }
        let data = as_token(&app, &b_boss, INVOICES, json!({})).await;
        assert_eq!(data["data"]["invoices"]["totalCount"], 0);

        // billingAccount / updateBillingAccount: A's admins (and U's staff,
        // who invoiced A, read it); B's admin neither reads nor writes it.
        let write = "mutation($input: UpdateBillingAccountInput!) { updateBillingAccount(input: $input) { billingAccount { invoiceTitle } } }";
        let title =
            json!({"input": {"organizationId": t.w.org_a, "invoiceTitle": "甲机电有限公司"}});
        for token in [&b_boss] {
            assert_eq!(
                code(&as_token(&app, token, write, title.clone()).await),
                "FORBIDDEN"
            );
        }
        for who in [Who::A, Who::UStaff, Who::UCoord, Who::B] {
            t.refused(who, write, title.clone(), "FORBIDDEN").await;
        }
        let data = as_token(&app, &a_boss, write, title.clone()).await;
        assert_eq!(
            data["data"]["updateBillingAccount"]["billingAccount"]["invoiceTitle"],
            "甲机电有限公司",
            "{data}"
        );
        let data = t.ok(Who::UStaff, ACCOUNT, json!({"o": t.w.org_a})).await;
        assert_eq!(data["billingAccount"]["organization"]["id"], t.w.org_a);
        for who in [Who::A, Who::B, Who::U, Who::UCoord, Who::PCoord] {
            t.refused(who, ACCOUNT, json!({"o": t.w.org_a}), "NOT_FOUND")
                .await;
        }
        assert_eq!(
            code(&as_token(&app, &b_boss, ACCOUNT, json!({"o": t.w.org_a})).await),
            "NOT_FOUND"
        );
        // U's staff did not invoice B: B's account is not theirs to read.
        t.refused(Who::UStaff, ACCOUNT, json!({"o": t.w.org_b}), "NOT_FOUND")
            .await;

        // centerSettlement: U's staff alone.
        let vars = json!({"c": center, "f": from, "t": to});
        let data = t.ok(Who::UStaff, SETTLEMENT, vars.clone()).await;
        assert_eq!(data["centerSettlement"]["total"]["amount"], "300.00");
        assert_eq!(data["centerSettlement"]["center"]["id"], center);
        assert_eq!(
            data["centerSettlement"]["owners"][0]["amount"]["amount"],
            "300.00"
        );
        assert_eq!(data["centerSettlement"]["invoices"][0]["id"], invoice);
        for who in [Who::A, Who::B, Who::U, Who::UCoord, Who::ASup, Who::PCoord] {
            t.refused(who, SETTLEMENT, vars.clone(), "FORBIDDEN").await;
        }
        assert_eq!(
            code(&as_token(&app, &a_boss, SETTLEMENT, vars.clone()).await),
            "FORBIDDEN"
        );

        // The REST exports: /api/v1/invoices/{id}.csv and
        // /api/v1/centers/{id}/settlement.csv, 404 to the others.
        let invoice_csv = format!("/api/v1/invoices/{invoice}.csv");
        let settlement_csv = format!("/api/v1/centers/{center}/settlement.csv?from={from}&to={to}");
        let (status, body) = t.rest(Who::UStaff, &invoice_csv).await;
        assert_eq!(status, 200);
        assert!(body.contains("300.00"), "{body}");
        assert_eq!(app.get_as(&invoice_csv, &a_boss).await.status(), 200);
        assert_eq!(app.get_as(&invoice_csv, &b_boss).await.status(), 404);
        for who in [Who::A, Who::B, Who::U, Who::UCoord, Who::ASup, Who::PCoord] {
            assert_eq!(t.rest(who, &invoice_csv).await.0, 404, "{who:?}");
            assert_eq!(t.rest(who, &settlement_csv).await.0, 404, "{who:?}");
        }
        assert_eq!(t.rest(Who::Anon, &invoice_csv).await.0, 401);
        assert_eq!(t.rest(Who::UStaff, &settlement_csv).await.0, 200);
        assert_eq!(app.get_as(&settlement_csv, &a_boss).await.status(), 404);

        // issueInvoice, markInvoicePaid, voidInvoice: U's staff alone; the
        // client's admin is FORBIDDEN, the others do not see the invoice.
        let mv = |m: &str| {
            format!("mutation($id: ID!) {{ {m}(input: {{id: $id}}) {{ invoice {{ status }} }} }}")
        };
        for m in ["issueInvoice", "markInvoicePaid", "voidInvoice"] {
            assert_eq!(
                code(&as_token(&app, &a_boss, &mv(m), json!({"id": invoice})).await),
                "FORBIDDEN",
                "{m}"
            );
            assert_eq!(
                code(&as_token(&app, &b_boss, &mv(m), json!({"id": invoice})).await),
                "NOT_FOUND",
                "{m}"
            );
            for who in [Who::A, Who::B, Who::UCoord] {
                t.refused(who, &mv(m), json!({"id": invoice}), "NOT_FOUND")
                    .await;
            }
        }
        let data = t
            .ok(Who::UStaff, &mv("issueInvoice"), json!({"id": invoice}))
            .await;
        assert_eq!(data["issueInvoice"]["invoice"]["status"], "ISSUED");
        let data = t
            .ok(Who::UStaff, &mv("markInvoicePaid"), json!({"id": invoice}))
            .await;
        assert_eq!(data["markInvoicePaid"]["invoice"]["status"], "PAID");
        t.ok(Who::UStaff, delete, json!({"id": item})).await;
        // A second run over the same days bills nothing.
        let data = t.ok(Who::UStaff, issue, period).await;
        assert_eq!(data["issueInvoices"]["invoices"], json!([]));
        // voidInvoice on a PAID invoice: refused as a transition.
        assert_eq!(
            code(
                &t.gql(Who::UStaff, &mv("voidInvoice"), json!({"id": invoice}))
                    .await
            ),
            "BAD_USER_INPUT"
        );
    }
);
