//! Billing through HTTP on a hand-computed example: a co-owned instrument
//! (60/40) of a center, three client organisations (a lab under an owner:
//! INTERNAL; a sibling office in the owner's group: GROUP; an outside
//! company: EXTERNAL), completed bookings, invoices with every line's tier,
//! price and amount, the settlement to the fen, the CSV bytes, issuing
//! twice (and twice at once) bills nothing twice, DRAFT → ISSUED → PAID;
//! test items and billing accounts with their rules.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};

use crate::common::{self, TestApp, text};
use crate::fixtures::{World, add_member, create_org};

/// The group with its Testing Institute (runs the center; its lab below it)
/// and its office; the university's College of ME (co-builds the center,
/// owns 40 % of the SEM); enterprise B outside; who works where.
struct Setup {
    w: World,
    institute: String,
    lab: String,
    office: String,
    college: String,
    /// ORG_ADMIN of the institute: the center's staff.
    staff: String,
    /// MEMBER of the lab.
    lab_user: String,
    /// MEMBER of the office.
    clerk: String,
    /// ORG_ADMIN of enterprise B (its billing).
    b_admin: String,
    center: String,
    sem: String,
}

const CREATE_INSTRUMENT: &str =
    "mutation($input: CreateInstrumentInput!) { createInstrument(input: $input) {
  instrument { id rateInternal { amount } rateGroup { amount } rateExternal { amount } } } }";

async fn setup(app: &TestApp) -> Setup {
    let w = World::new(app).await;
    let a = &w.admin;
    let group = create_org(app, a, "机电集团 M&E Group", "ENTERPRISE", None).await;
    let institute = create_org(
        app,
        a,
        "检测研究院 Testing Institute",
        "INSTITUTE",
        Some(&group),
    )
    .await;
    let lab = create_org(
        app,
        a,
        "材料实验室 Materials Lab",
        "INSTITUTE",
        Some(&institute),
    )
    .await;
    let office = create_org(
        app,
        a,
        "集团办公室 Group Office",
        "ENTERPRISE",
        Some(&group),
    )
    .await;
    let college = create_org(
        app,
        a,
        "机械工程学院 College of ME",
        "UNIVERSITY",
        Some(&w.org_u),
    )
    .await;
    let staff = app.user("staff@institute.test").await;
    let lab_user = app.user("lab@institute.test").await;
    let clerk = app.user("clerk@office.test").await;
    let b_admin = app.user("boss@enterprise-b.test").await;
    for (org, email, role) in [
        (&institute, "staff@institute.test", "ORG_ADMIN"),
        (&lab, "lab@institute.test", "MEMBER"),
        (&office, "clerk@office.test", "MEMBER"),
        (&w.org_b, "boss@enterprise-b.test", "ORG_ADMIN"),
    ] {
        let res = add_member(app, a, org, email, role).await;
        assert!(res.get("errors").is_none(), "{res}");
    }
    let data = app
        .gql_ok(
            Some(&staff),
            "mutation($input: CreateTestingCenterInput!) { createTestingCenter(input: $input) { testingCenter { id } } }",
            json!({"input": {"organizationId": institute, "name": "机械分析测试中心 MATC",
                "cobuilderIds": [college]}}),
        )
        .await;
    let center = text(&data["createTestingCenter"]["testingCenter"]["id"]);
    let data = app
        .gql_ok(
            Some(&staff),
            CREATE_INSTRUMENT,
            json!({"input": {"organizationId": institute, "centerId": center, "name": "扫描电镜 SEM",
                "category": "MICROSCOPY", "rateInternal": "100", "rateGroup": "150",
                "rateExternal": "300.01"}}),
        )
        .await;
    let i = &data["createInstrument"]["instrument"];
    assert_eq!(
        (
            &i["rateInternal"]["amount"],
            &i["rateGroup"]["amount"],
            &i["rateExternal"]["amount"]
        ),
        (&json!("100.00"), &json!("150.00"), &json!("300.01"))
    );
    let sem = text(&i["id"]);
    app.gql_ok(
        Some(&staff),
        "mutation($input: SetInstrumentOwnersInput!) { setInstrumentOwners(input: $input) { owners { sharePercent } } }",
        json!({"input": {"instrumentId": sem, "owners": [
            {"organizationId": institute, "sharePercent": 60},
            {"organizationId": college, "sharePercent": 40}]}}),
    )
    .await;
    Setup {
        w,
        institute,
        lab,
        office,
        college,
        staff,
        lab_user,
        clerk,
        b_admin,
        center,
        sem,
    }
}

/// A whole hour `days` days from now, in UTC.
fn at(days: i64, hour: u32) -> DateTime<Utc> {
    let d = (Utc::now() + Duration::days(days)).date_naive();
    Utc.from_utc_datetime(&d.and_hms_opt(hour, 0, 0).unwrap())
}

/// Today in China Standard Time, `days` days on.
fn china_day(days: i64) -> NaiveDate {
    let cst = FixedOffset::east_opt(8 * 3600).unwrap();
    (Utc::now().with_timezone(&cst) + Duration::days(days)).date_naive()
}

/// Books the SEM for `token` (in `day` days, at `hour`), approves it and
/// completes it with the actual use `used` (start, end) yesterday.
async fn used(
    app: &TestApp,
    s: &Setup,
    token: &str,
    day: i64,
    hour: u32,
    used: (DateTime<Utc>, DateTime<Utc>),
) -> String {
    let data = app
        .gql_ok(
            Some(token),
            "mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { id } } }",
            json!({"input": {"instrumentId": s.sem, "start": at(day, hour).to_rfc3339(),
                "end": at(day, hour + 2).to_rfc3339(), "purpose": "断口分析 fracture analysis"}}),
        )
        .await;
    let booking = text(&data["requestBooking"]["booking"]["id"]);
    app.gql_ok(
        Some(&s.staff),
        "mutation($id: ID!) { approveBooking(input: {id: $id}) { booking { status } } }",
        json!({"id": booking}),
    )
    .await;
    app.gql_ok(
        Some(&s.staff),
        "mutation($input: CompleteBookingInput!) { completeBooking(input: $input) { booking { status } } }",
        json!({"input": {"id": booking, "actualStart": used.0.to_rfc3339(),
            "actualEnd": used.1.to_rfc3339()}}),
    )
    .await;
    booking
}

const INVOICE_FIELDS: &str = "id status client { id } periodStart periodEnd total { amount }
  lines { kind bookingId instrument { id } description hours tier unitPrice { amount } amount { amount }
    shares { organization { id } sharePercent amount { amount } } }
  settlement { organization { id } amount { amount } }";

fn issue_query() -> String {
    format!(
        "mutation($input: IssueInvoicesInput!) {{ issueInvoices(input: $input) {{ invoices {{ {INVOICE_FIELDS} }} }} }}"
    )
}

fn period(s: &Setup) -> Value {
    json!({"input": {"centerId": s.center, "periodStart": china_day(-3).to_string(),
        "periodEnd": china_day(0).to_string()}})
}

fn share(org: &str, percent: i64, amount: &str) -> Value {
    json!({"organization": {"id": org}, "sharePercent": percent, "amount": {"amount": amount}})
}

fn owner(org: &str, amount: &str) -> Value {
    json!({"organization": {"id": org}, "amount": {"amount": amount}})
}

e2e!(
    invoices_price_each_client_s_tier_and_settle_to_the_fen,
    |app| async move {
        let s = setup(&app).await;
        let y = |h: u32, m: i64| at(-1, h) + Duration::minutes(m);
        // The lab (under the institute, an owner): 1.5 h INTERNAL at 100.00.
        let lab_booking = used(&app, &s, &s.lab_user, 2, 8, (y(1, 0), y(2, 30))).await;
        // The group's office (the institute's legal entity): 2 h GROUP at 150.00.
        let office_booking = used(&app, &s, &s.clerk, 2, 11, (y(3, 0), y(5, 0))).await;
        // Enterprise B: 1.5 h EXTERNAL at 300.01 = 450.015 → 450.02.
        let b_booking = used(&app, &s, &s.w.b, 2, 14, (y(6, 0), y(7, 30))).await;
        // Approved, never completed: not billed.
        let data = app
            .gql_ok(
                Some(&s.w.b),
                "mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { id } } }",
                json!({"input": {"instrumentId": s.sem, "start": at(3, 9).to_rfc3339(),
                    "end": at(3, 10).to_rfc3339(), "purpose": "复测 retest"}}),
            )
            .await;
        let pending = text(&data["requestBooking"]["booking"]["id"]);

        // Only the center's staff issue.
        for who in [&s.w.b, &s.b_admin, &s.clerk] {
            let res = app.gql(Some(who), &issue_query(), period(&s)).await;
            common::assert_code(&res, "FORBIDDEN");
        }
        // A period backwards is refused, naming the field.
        let res = app
            .gql(
                Some(&s.staff),
                &issue_query(),
                json!({"input": {"centerId": s.center, "periodStart": china_day(0).to_string(),
                    "periodEnd": china_day(-1).to_string()}}),
            )
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        assert!(res.to_string().contains("periodEnd"), "{res}");

        let data = app.gql_ok(Some(&s.staff), &issue_query(), period(&s)).await;
        let invoices = data["issueInvoices"]["invoices"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(invoices.len(), 3, "one per client: {data}");
        let of = |org: &str| {
            invoices
                .iter()
                .find(|i| i["client"]["id"] == org)
                .unwrap_or_else(|| panic!("an invoice of {org}: {invoices:?}"))
                .clone()
        };
        let line =
            |booking: &str, tier: &str, hours: f64, price: &str, amount: &str, shares: Value| {
                json!({"kind": "BOOKING", "bookingId": booking, "instrument": {"id": s.sem},
                "description": "扫描电镜 SEM", "hours": hours, "tier": tier,
                "unitPrice": {"amount": price}, "amount": {"amount": amount}, "shares": shares})
            };
        let lab = of(&s.lab);
        assert_eq!(lab["status"], "DRAFT");
        assert_eq!(lab["periodStart"], china_day(-3).to_string());
        assert_eq!(lab["periodEnd"], china_day(0).to_string());
        assert_eq!(
            lab["lines"],
            json!([line(
                &lab_booking,
                "INTERNAL",
                1.5,
                "100.00",
                "150.00",
                json!([
                    share(&s.institute, 60, "90.00"),
                    share(&s.college, 40, "60.00")
                ])
            )])
        );
        assert_eq!(lab["total"]["amount"], "150.00");
        let office = of(&s.office);
        assert_eq!(
            office["lines"],
            json!([line(
                &office_booking,
                "GROUP",
                2.0,
                "150.00",
                "300.00",
                json!([
                    share(&s.institute, 60, "180.00"),
                    share(&s.college, 40, "120.00")
                ])
            )])
        );
        // 450.02 × 60 % = 270.012 and × 40 % = 180.008: the fen left over
        // goes to the larger remainder (the college's .8).
        let b = of(&s.w.org_b);
        assert_eq!(
            b["lines"],
            json!([line(
                &b_booking,
                "EXTERNAL",
                1.5,
                "300.01",
                "450.02",
                json!([
                    share(&s.institute, 60, "270.01"),
                    share(&s.college, 40, "180.01")
                ])
            )])
        );
        assert_eq!(b["total"]["amount"], "450.02");
        assert_eq!(
            b["settlement"],
            json!([owner(&s.institute, "270.01"), owner(&s.college, "180.01")])
        );
        assert!(!data.to_string().contains(&pending), "{data}");

        // Issuing again bills nothing twice.
        let again = app.gql_ok(Some(&s.staff), &issue_query(), period(&s)).await;
        assert_eq!(again["issueInvoices"]["invoices"], json!([]), "{again}");

        // The center's settlement over the period: 150 + 300 + 450.02.
        let settlement = app
            .gql_ok(
                Some(&s.staff),
                "query($c: ID!, $f: Date!, $t: Date!) { centerSettlement(centerId: $c, from: $f, to: $t) {
                  total { amount } owners { organization { id } amount { amount } } invoices { id } } }",
                json!({"c": s.center, "f": china_day(-3).to_string(), "t": china_day(0).to_string()}),
            )
            .await;
        assert_eq!(settlement["centerSettlement"]["total"]["amount"], "900.02");
        assert_eq!(
            settlement["centerSettlement"]["owners"],
            json!([owner(&s.institute, "540.01"), owner(&s.college, "360.01")])
        );
        assert_eq!(
            settlement["centerSettlement"]["invoices"]
                .as_array()
                .unwrap()
                .len(),
            3
        );

        // The invoice as CSV: UTF-8 with a BOM, the header, the line, the
        // owners' parts, the settlement and the total.
        let id = text(&b["id"]);
        let res = app
            .get_as(&format!("/api/v1/invoices/{id}.csv"), &s.staff)
            .await;
        assert_eq!(res.status(), 200);
        common::assert_content_type(&res, "text/csv; charset=utf-8");
        let bytes = res.bytes().await.unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "a BOM");
        let body = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let rows: Vec<&str> = body.lines().collect();
        let (inst, coll) = ("检测研究院 Testing Institute", "机械工程学院 College of ME");
        assert_eq!(
            rows,
            vec![
                "record,invoice_id,line,kind,booking_id,instrument_id,description,hours,tier,unit_price,amount,organization_id,organization,share_percent".to_owned(),
                format!("LINE,{id},1,BOOKING,{b_booking},{},扫描电镜 SEM,1.5,EXTERNAL,300.01,450.02,,,", s.sem),
                format!("SHARE,{id},1,,,,,,,,270.01,{},{inst},60", s.institute),
                format!("SHARE,{id},1,,,,,,,,180.01,{},{coll},40", s.college),
                format!("SETTLEMENT,{id},,,,,,,,,270.01,{},{inst},", s.institute),
                format!("SETTLEMENT,{id},,,,,,,,,180.01,{},{coll},", s.college),
                format!("TOTAL,{id},,,,,,,,,450.02,,,"),
            ]
        );
        // The client's admin reads it too; the client's plain member does not.
        let res = app
            .get_as(&format!("/api/v1/invoices/{id}.csv"), &s.b_admin)
            .await;
        assert_eq!(res.status(), 200);
        let res = app
            .get_as(&format!("/api/v1/invoices/{id}.csv"), &s.w.b)
            .await;
        assert_eq!(res.status(), 404);

        // The settlement CSV: every line with its parts, then the owners'
        // totals and the total.
        let res = app
            .get_as(
                &format!(
                    "/api/v1/centers/{}/settlement.csv?from={}&to={}",
                    s.center,
                    china_day(-3),
                    china_day(0)
                ),
                &s.staff,
            )
            .await;
        assert_eq!(res.status(), 200);
        let bytes = res.bytes().await.unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()));
        let body = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let rows: Vec<&str> = body.lines().collect();
        assert_eq!(rows.len(), 1 + 3 * 3 + 2 + 1, "{body}");
        assert_eq!(
            rows[rows.len() - 3..].to_vec(),
            vec![
                format!("SETTLEMENT,,,,,,,,,,540.01,{},{inst},", s.institute),
                format!("SETTLEMENT,,,,,,,,,,360.01,{},{coll},", s.college),
                "TOTAL,,,,,,,,,,900.02,,,".to_owned(),
            ]
        );

        // DRAFT → ISSUED → PAID; paying a draft or voiding a paid invoice is
        // refused.
        let mv = |m: &str| {
            format!(
                "mutation($id: ID!) {{ {m}(input: {{id: $id}}) {{ invoice {{ status issuedAt paidAt }} }} }}"
            )
        };
        let res = app
            .gql(Some(&s.staff), &mv("markInvoicePaid"), json!({"id": id}))
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        let res = app
            .gql(Some(&s.b_admin), &mv("issueInvoice"), json!({"id": id}))
            .await;
        common::assert_code(&res, "FORBIDDEN");
        let data = app
            .gql_ok(Some(&s.staff), &mv("issueInvoice"), json!({"id": id}))
            .await;
        assert_eq!(data["issueInvoice"]["invoice"]["status"], "ISSUED");
        assert!(data["issueInvoice"]["invoice"]["issuedAt"].is_string());
        let data = app
            .gql_ok(Some(&s.staff), &mv("markInvoicePaid"), json!({"id": id}))
            .await;
        assert_eq!(data["markInvoicePaid"]["invoice"]["status"], "PAID");
        assert!(data["markInvoicePaid"]["invoice"]["paidAt"].is_string());
        let res = app
            .gql(Some(&s.staff), &mv("voidInvoice"), json!({"id": id}))
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        // A voided draft stays billed: its booking is never billed again.
        let lab_id = text(&lab["id"]);
        let data = app
            .gql_ok(Some(&s.staff), &mv("voidInvoice"), json!({"id": lab_id}))
            .await;
        assert_eq!(data["voidInvoice"]["invoice"]["status"], "VOID");
        let again = app.gql_ok(Some(&s.staff), &issue_query(), period(&s)).await;
        assert_eq!(again["issueInvoices"]["invoices"], json!([]));

        // The client's admin lists its own invoice; the staff list the
        // center's.
        let list = "query($f: InvoiceFilterInput) { invoices(first: 10, filter: $f) { totalCount nodes { id status } } }";
        let data = app.gql_ok(Some(&s.b_admin), list, json!({})).await;
        assert_eq!(
            data["invoices"]["nodes"],
            json!([{"id": id, "status": "PAID"}])
        );
        let data = app
            .gql_ok(
                Some(&s.staff),
                list,
                json!({"f": {"centerId": s.center, "status": ["DRAFT"]}}),
            )
            .await;
        assert_eq!(
            data["invoices"]["totalCount"], 1,
            "the office's draft: {data}"
        );
        let data = app.gql_ok(Some(&s.w.b), list, json!({})).await;
        assert_eq!(data["invoices"]["totalCount"], 0);

        // The usage report's revenue uses the same rule: 150 + 300 + 450.02
        // (its period spans the booked times too: it reads bookings by them).
        let data = app
            .gql_ok(
                Some(&s.staff),
                "query($f: DateTime!, $t: DateTime!) { usageStats(from: $f, to: $t) { center { revenue { amount } } } }",
                json!({"f": at(-3, 0).to_rfc3339(), "t": at(4, 0).to_rfc3339()}),
            )
            .await;
        assert_eq!(
            data["usageStats"]["center"]["revenue"]["amount"], "900.02",
            "{data}"
        );
    }
);

e2e!(
    two_issues_at_once_bill_each_booking_once,
    |app| async move {
        let s = setup(&app).await;
        let y = |h: u32| at(-1, h);
        let mut bookings = Vec::new();
        for (k, token) in [&s.lab_user, &s.clerk, &s.w.b, &s.lab_user]
            .into_iter()
            .enumerate()
        {
            let h = 1 + 2 * k as u32;
            bookings.push(used(&app, &s, token, 2, 1 + 3 * k as u32, (y(h), y(h + 1))).await);
        }
        let q = issue_query();
        let (one, two) = tokio::join!(
            app.gql(Some(&s.staff), &q, period(&s)),
            app.gql(Some(&s.staff), &q, period(&s)),
        );
        let mut billed: Vec<String> = Vec::new();
        for res in [&one, &two] {
            assert!(res.get("errors").is_none(), "{res}");
            for invoice in res["data"]["issueInvoices"]["invoices"].as_array().unwrap() {
                for line in invoice["lines"].as_array().unwrap() {
                    billed.push(text(&line["bookingId"]));
                }
            }
        }
        billed.sort();
        bookings.sort();
        assert_eq!(billed, bookings, "each booking once: {one} {two}");
    }
);

e2e!(
    test_items_and_billing_accounts_follow_their_rules,
    |app| async move {
        let s = setup(&app).await;
        let create = "mutation($input: CreateTestItemInput!) { createTestItem(input: $input) {
          testItem { id code nameZh nameEn unit center { id } prices { internal { amount } group { amount } external { amount } } } } }";
        let item = |code: &str| {
            json!({"input": {"centerId": s.center, "code": code, "nameZh": "维氏硬度",
                "nameEn": "Vickers hardness", "unit": "sample", "priceInternal": "50",
                "priceGroup": "80", "priceExternal": "120.5"}})
        };
        let data = app.gql_ok(Some(&s.staff), create, item("HV-10")).await;
        let created = &data["createTestItem"]["testItem"];
        assert_eq!(
            created["prices"],
            json!({"internal": {"amount": "50.00"}, "group": {"amount": "80.00"},
                "external": {"amount": "120.50"}})
        );
        let id = text(&created["id"]);
        // The same code again: a CONFLICT on code; a bad code: BAD_USER_INPUT.
        let res = app.gql(Some(&s.staff), create, item("HV-10")).await;
        common::assert_code(&res, "CONFLICT");
        let res = app.gql(Some(&s.staff), create, item("HV 10")).await;
        common::assert_code(&res, "BAD_USER_INPUT");
        // Only the center's staff keep the price list.
        let res = app.gql(Some(&s.w.b), create, item("HB")).await;
        common::assert_code(&res, "FORBIDDEN");
        let data = app
            .gql_ok(
                Some(&s.staff),
                "mutation($input: UpdateTestItemInput!) { updateTestItem(input: $input) { testItem { code prices { group { amount } } } } }",
                json!({"input": {"id": id, "priceGroup": "85.5"}}),
            )
            .await;
        assert_eq!(
            data["updateTestItem"]["testItem"],
            json!({"code": "HV-10", "prices": {"group": {"amount": "85.50"}}})
        );
        // Every signed-in user reads the price list.
        let list = "query($c: ID!) { testItems(centerId: $c) { code nameEn unit } }";
        let data = app.gql_ok(Some(&s.w.b), list, json!({"c": s.center})).await;
        assert_eq!(
            data["testItems"],
            json!([{"code": "HV-10", "nameEn": "Vickers hardness", "unit": "sample"}])
        );
        common::assert_code(
            &app.gql(None, list, json!({"c": s.center})).await,
            "UNAUTHENTICATED",
        );
        let data = app
            .gql_ok(
                Some(&s.staff),
                "mutation($id: ID!) { deleteTestItem(input: {id: $id}) { deletedTestItemId } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(data["deleteTestItem"]["deletedTestItemId"], id);

        // B's billing account: its admin writes it, created on first use.
        let update =
            "mutation($input: UpdateBillingAccountInput!) { updateBillingAccount(input: $input) {
          billingAccount { organization { id } invoiceTitle taxNumber contactEmail } } }";
        let read =
            "query($o: ID!) { billingAccount(organizationId: $o) { invoiceTitle taxNumber } }";
        let data = app
            .gql_ok(Some(&s.b_admin), read, json!({"o": s.w.org_b}))
            .await;
        assert_eq!(data["billingAccount"], Value::Null, "before its first use");
        let data = app
            .gql_ok(
                Some(&s.b_admin),
                update,
                json!({"input": {"organizationId": s.w.org_b, "invoiceTitle": "乙电气有限公司",
                    "taxNumber": "91330100MA2B3C4D5E", "contactEmail": "billing@b.test"}}),
            )
            .await;
        assert_eq!(
            data["updateBillingAccount"]["billingAccount"],
            json!({"organization": {"id": s.w.org_b}, "invoiceTitle": "乙电气有限公司",
                "taxNumber": "91330100MA2B3C4D5E", "contactEmail": "billing@b.test"})
        );
        let res = app
            .gql(
                Some(&s.b_admin),
                update,
                json!({"input": {"organizationId": s.w.org_b, "taxNumber": "91-33"}}),
            )
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        // A plain member of B neither writes nor reads it; nor does the
        // center's staff before invoicing B.
        let res = app
            .gql(
                Some(&s.w.b),
                update,
                json!({"input": {"organizationId": s.w.org_b, "invoiceTitle": "x"}}),
            )
            .await;
        common::assert_code(&res, "FORBIDDEN");
        for who in [&s.w.b, &s.staff] {
            let res = app.gql(Some(who), read, json!({"o": s.w.org_b})).await;
            common::assert_code(&res, "NOT_FOUND");
        }
        // Once the center invoiced B, its staff read the account.
        used(&app, &s, &s.w.b, 2, 9, (at(-1, 2), at(-1, 3))).await;
        app.gql_ok(Some(&s.staff), &issue_query(), period(&s)).await;
        let data = app
            .gql_ok(Some(&s.staff), read, json!({"o": s.w.org_b}))
            .await;
        assert_eq!(data["billingAccount"]["invoiceTitle"], "乙电气有限公司");
        let _ = (&s.office, &s.lab);
    }
);
