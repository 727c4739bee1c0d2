//! The shared testing center: instruments, qualifications, bookings that
//! never overlap, availability, the calendar export and usage statistics.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use serde_json::{Value, json};

use crate::common::{self, TestApp};
use crate::fixtures::{World, add_member, create_org, me};

/// The testing institute of a group (the group is the legal entity) with a
/// staff member (the institute's ORG_ADMIN).
struct Center {
    group: String,
    org: String,
    staff: String,
}

async fn center(app: &TestApp, w: &World) -> Center {
    let group = create_org(app, &w.admin, "机电集团 M&E Group", "ENTERPRISE", None).await;
    let org = create_org(
        app,
        &w.admin,
        "检测中心 Testing Center",
        "INSTITUTE",
        Some(&group),
    )
    .await;
    let staff = app.user("staff@center.test").await;
    let res = add_member(app, &w.admin, &org, "staff@center.test", "ORG_ADMIN").await;
    assert!(res.get("errors").is_none(), "{res}");
    Center { group, org, staff }
}

const CREATE: &str = "mutation($input: CreateInstrumentInput!) { createInstrument(input: $input) {
  instrument { id name status requiresQualification rateInternal { amount currencyCode } rateExternal { amount currencyCode } viewerIsStaff } } }";

async fn instrument(app: &TestApp, c: &Center, name: &str, qualification: bool) -> String {
    instrument_in(app, c, name, qualification, None).await
}

/// An instrument of the center's institute in testing center `center`
/// (else the default center of the group).
async fn instrument_in(
    app: &TestApp,
    c: &Center,
    name: &str,
    qualification: bool,
    center: Option<&str>,
) -> String {
    let data = app
        .gql_ok(
            Some(&c.staff),
            CREATE,
            json!({"input": {"organizationId": c.org, "name": name, "model": "JSM-IT800",
                "category": "SEM", "location": "B 楼 101", "rateInternal": "100",
                "rateExternal": "300", "requiresQualification": qualification,
                "centerId": center}}),
        )
        .await;
    crate::common::text(&data["createInstrument"]["instrument"]["id"])
}

const REQUEST: &str = "mutation($input: RequestBookingInput!) { requestBooking(input: $input) {
  booking { id status start end purpose organization { id } } } }";

/// A whole hour `days` days from now, in UTC.
fn at(days: i64, hour: u32) -> DateTime<Utc> {
    let d = (Utc::now() + Duration::days(days)).date_naive();
    Utc.from_utc_datetime(&d.and_hms_opt(hour, 0, 0).unwrap())
}

async fn request(
    app: &TestApp,
    token: &str,
    instrument: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Value {
    app.gql(
        Some(token),
        REQUEST,
        json!({"input": {"instrumentId": instrument, "start": start.to_rfc3339(),
            "end": end.to_rfc3339(), "purpose": "断口形貌观察 fracture surfaces"}}),
    )
    .await
}

fn booking_id(res: &Value) -> String {
    res["data"]["requestBooking"]["booking"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{res}"))
        .to_owned()
}

fn raw_id(global: &str) -> i64 {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(global).unwrap()).unwrap();
    raw.split(':').nth(1).unwrap().parse().unwrap()
}

e2e!(
    instruments_staff_and_the_qualification_gate,
    |app| async move {
        let w = World::new(&app).await;
        let c = center(&app, &w).await;
        app.gql_err(
            Some(&w.a),
            CREATE,
            json!({"input": {"organizationId": c.org, "name": "x", "category": "SEM",
                "rateInternal": "0.01", "rateExternal": "0.01"}}),
            "FORBIDDEN",
        )
        .await;
        app.gql_err(
            Some(&c.staff),
            CREATE,
            json!({"input": {"organizationId": c.org, "name": "x", "category": "SEM",
                "rateInternal": "-1", "rateExternal": "0.01"}}),
            "BAD_USER_INPUT",
        )
        .await;
        let sem = instrument(&app, &c, "扫描电镜 SEM", true).await;

        // Without a qualification: FORBIDDEN with a clear message.
        let res = request(&app, &w.a, &sem, at(2, 9), at(2, 11)).await;
        common::assert_code(&res, "FORBIDDEN");
        assert!(
            crate::common::error_message(&res).contains("requires a valid qualification"),
            "{res}"
        );

        let a_id = me(&app, &w.a).await;
        let grant = "mutation($i: ID!, $u: ID!, $e: DateTime) { grantQualification(input: {instrumentId: $i, userId: $u, expiresAt: $e}) {
      qualification { valid expiresAt user { id } } } }";
        let res = app
            .gql(
                Some(&w.a),
                grant,
                json!({"i": sem, "u": a_id, "e": at(30, 0).to_rfc3339()}),
            )
            .await;
        assert_eq!(
            common::error_code(&res).as_deref(),
            Some("FORBIDDEN"),
            "members do not grant"
        );
        app.gql_err(
            Some(&c.staff),
            grant,
            json!({"i": sem, "u": a_id, "e": at(-1, 0).to_rfc3339()}),
            "BAD_USER_INPUT",
        )
        .await;
        // Valid until tomorrow: a booking after that is still refused.
        app.gql_ok(
            Some(&c.staff),
            grant,
            json!({"i": sem, "u": a_id, "e": at(1, 23).to_rfc3339()}),
        )
        .await;
        let res = request(&app, &w.a, &sem, at(3, 9), at(3, 11)).await;
        assert_eq!(
            common::error_code(&res).as_deref(),
            Some("FORBIDDEN"),
            "expires first: {res}"
        );
        let data = app
            .gql_ok(
                Some(&c.staff),
                grant,
                json!({"i": sem, "u": a_id, "e": at(60, 0).to_rfc3339()}),
            )
            .await;
        assert_eq!(data["grantQualification"]["qualification"]["valid"], true);
        let res = request(&app, &w.a, &sem, at(3, 9), at(3, 11)).await;
        assert_eq!(
            res["data"]["requestBooking"]["booking"]["status"], "REQUESTED",
            "{res}"
        );
        assert_eq!(
            res["data"]["requestBooking"]["booking"]["organization"]["id"], w.org_a,
            "booked for the member's organisation"
        );

        let data = app
        .gql_ok(
            Some(&c.staff),
            "query($i: ID!) { instrument(id: $i) { viewerIsStaff qualifications { user { id } valid } } }",
            json!({"i": sem}),
        )
        .await;
        assert_eq!(data["instrument"]["viewerIsStaff"], true);
        assert_eq!(data["instrument"]["qualifications"][0]["user"]["id"], a_id);
        app.gql_err(
            Some(&w.a),
            "query($i: ID!) { instrument(id: $i) { qualifications { valid } viewerQualification { valid } } }",
            json!({"i": sem}), "FORBIDDEN").await;

        app.gql_ok(
        Some(&c.staff),
        "mutation($i: ID!, $u: ID!) { revokeQualification(input: {instrumentId: $i, userId: $u}) { qualification { valid } } }",
        json!({"i": sem, "u": a_id}),
    )
    .await;
        let res = request(&app, &w.a, &sem, at(4, 9), at(4, 11)).await;
        assert_eq!(
            common::error_code(&res).as_deref(),
            Some("FORBIDDEN"),
            "revoked: {res}"
        );

        // Retired instruments take no bookings and no edits.
        app.gql_ok(
            Some(&c.staff),
            "mutation($i: ID!) { retireInstrument(input: {id: $i}) { instrument { status } } }",
            json!({"i": sem}),
        )
        .await;
        let res = request(&app, &c.staff, &sem, at(5, 9), at(5, 11)).await;
        common::assert_code(&res, "CONFLICT");
    }
);

e2e!(
    bookings_never_overlap_and_follow_their_rules,
    |app| async move {
        let w = World::new(&app).await;
        let c = center(&app, &w).await;
        let cmm = instrument(&app, &c, "三坐标测量机 CMM", false).await;

        let first = request(&app, &w.a, &cmm, at(2, 10), at(2, 12)).await;
        let first = booking_id(&first);
        // Overlapping: CONFLICT naming the booked slot.
        let res = request(&app, &w.b, &cmm, at(2, 11), at(2, 13)).await;
        common::assert_code(&res, "CONFLICT");
        let message = crate::common::error_message(&res);
        assert!(
            message.contains(&at(2, 10).to_rfc3339()) && message.contains(&at(2, 12).to_rfc3339()),
            "names the slot: {message}"
        );
        // Back to back is fine, on both sides.
        let after = request(&app, &w.b, &cmm, at(2, 12), at(2, 14)).await;
        let after = booking_id(&after);
        booking_id(&request(&app, &w.u, &cmm, at(2, 9), at(2, 10)).await);

        // Times with an offset are stored in UTC.
        let beijing = FixedOffset::east_opt(8 * 3600).unwrap();
        let res = app
            .gql(
                Some(&w.a),
                REQUEST,
                json!({"input": {"instrumentId": cmm,
                "start": at(5, 10).with_timezone(&beijing).to_rfc3339(),
                "end": at(5, 12).with_timezone(&beijing).to_rfc3339(), "purpose": "x"}}),
            )
            .await;
        let stored: DateTime<Utc> = res["data"]["requestBooking"]["booking"]["start"]
            .as_str()
            .unwrap_or_else(|| panic!("{res}"))
            .parse()
            .unwrap();
        assert_eq!(stored, at(5, 10), "{res}");

        // The limits.
        for (start, end, why) in [
            (
                at(6, 10) + Duration::seconds(30),
                at(6, 12),
                "whole minutes",
            ),
            (at(6, 10), at(6, 10) + Duration::minutes(15), "too short"),
            (at(6, 10), at(7, 11), "too long"),
            (at(120, 10), at(120, 12), "beyond the horizon"),
            (at(-1, 10), at(-1, 12), "in the past"),
            (at(6, 12), at(6, 10), "end before start"),
        ] {
            let res = request(&app, &w.a, &cmm, start, end).await;
            common::assert_code_why(&res, "BAD_USER_INPUT", why);
        }

        // Maintenance windows block bookings.
        let res = app
        .gql(
            Some(&c.staff),
            "mutation($i: ID!, $s: DateTime!, $e: DateTime!) { addMaintenanceWindow(input: {instrumentId: $i, start: $s, end: $e, reason: \"年度校准 calibration\"}) { maintenance { start end reason } } }",
            json!({"i": cmm, "s": at(3, 8).to_rfc3339(), "e": at(3, 17).to_rfc3339()}),
        )
        .await;
        assert!(res.get("errors").is_none(), "{res}");
        let res = request(&app, &w.a, &cmm, at(3, 16), at(3, 18)).await;
        common::assert_code(&res, "CONFLICT");
        assert!(crate::common::error_message(&res).contains("maintenance"));

        // Availability: the gaps between bookings.
        let data = app
        .gql_ok(
            Some(&w.b),
            "query($i: ID!, $f: DateTime!, $t: DateTime!) { instrument(id: $i) { availability(from: $f, to: $t) { start end } } }",
            json!({"i": cmm, "f": at(2, 8).to_rfc3339(), "t": at(2, 18).to_rfc3339()}),
        )
        .await;
        let slots = crate::common::spans(&data["instrument"]["availability"]);
        let parse = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            slots
                .iter()
                .map(|(s, e)| (parse(s), parse(e)))
                .collect::<Vec<_>>(),
            vec![(at(2, 8), at(2, 9)), (at(2, 14), at(2, 18))],
            "{slots:?}"
        );

        // Decisions: staff approve and reject (with a reason); bookers cancel.
        let decide = |op: &str| {
            format!("mutation($id: ID!) {{ {op}(input: {{id: $id}}) {{ booking {{ status }} }} }}")
        };
        app.gql_err(
            Some(&w.a),
            &decide("approveBooking"),
            json!({"id": first}),
            "FORBIDDEN",
        )
        .await;
        let res = app
            .gql(Some(&w.b), &decide("cancelBooking"), json!({"id": first}))
            .await;
        assert_eq!(
            common::error_code(&res).as_deref(),
            Some("NOT_FOUND"),
            "another tenant's booking"
        );
        let data = app
            .gql_ok(
                Some(&c.staff),
                &decide("approveBooking"),
                json!({"id": first}),
            )
            .await;
        assert_eq!(data["approveBooking"]["booking"]["status"], "APPROVED");
        app.gql_err(
            Some(&c.staff),
            "mutation($id: ID!) { rejectBooking(input: {id: $id, reason: \" \"}) { booking { status } } }",
            json!({"id": after}),
            "BAD_USER_INPUT",
        )
        .await;
        let data = app
        .gql_ok(
            Some(&c.staff),
            "mutation($id: ID!) { rejectBooking(input: {id: $id, reason: \"样品不符 wrong samples\"}) { booking { status rejectReason } } }",
            json!({"id": after}),
        )
        .await;
        assert_eq!(data["rejectBooking"]["booking"]["status"], "REJECTED");
        let res = app
        .gql(
            Some(&c.staff),
            "mutation($id: ID!, $s: DateTime!, $e: DateTime!) { completeBooking(input: {id: $id, actualStart: $s, actualEnd: $e}) { booking { status } } }",
            json!({"id": first, "s": at(2, 10).to_rfc3339(), "e": at(2, 12).to_rfc3339()}),
        )
        .await;
        assert_eq!(
            common::error_code(&res).as_deref(),
            Some("BAD_USER_INPUT"),
            "not before it happened: {res}"
        );
        let res = app
            .gql(
                Some(&c.staff),
                &decide("approveBooking"),
                json!({"id": after}),
            )
            .await;
        assert_eq!(
            common::error_code(&res).as_deref(),
            Some("BAD_USER_INPUT"),
            "REJECTED → APPROVED"
        );

        // The calendar export shows approved bookings only, without who or why.
        let res = app
            .get_as(&format!("/api/v1/instruments/{cmm}/calendar.ics"), &w.b)
            .await;
        assert_eq!(res.status(), 200);
        crate::common::assert_content_type(&res, "text/calendar; charset=utf-8");
        let ics = res.text().await.unwrap();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1, "{ics}");
        assert!(ics.contains(&format!("UID:booking-{}@iurhub", raw_id(&first))));
        assert!(ics.contains(&format!("DTSTART:{}", at(2, 10).format("%Y%m%dT%H%M%SZ"))));
        assert!(!ics.contains("fracture"), "no purposes in the calendar");
        let res = app
            .get(&format!("/api/v1/instruments/{cmm}/calendar.ics"))
            .await;
        assert_eq!(res.status(), 401);

        // Cancelling frees the slot.
        let data = app
            .gql_ok(Some(&w.a), &decide("cancelBooking"), json!({"id": first}))
            .await;
        assert_eq!(data["cancelBooking"]["booking"]["status"], "CANCELLED");
        booking_id(&request(&app, &w.b, &cmm, at(2, 11), at(2, 12)).await);
    }
);

e2e!(
    fifty_concurrent_overlapping_requests_one_wins,
    |app| async move {
        let w = World::new(&app).await;
        let c = center(&app, &w).await;
        let press = instrument(&app, &c, "疲劳试验机 fatigue tester", false).await;
        let requests = (0..50).map(|i| {
        let token = [&w.a, &w.b, &w.u][i % 3].clone();
        let app = &app;
        let press = press.clone();
        // Each overlaps every other: all contain 10:30–11:00.
        let start = at(4, 10) + Duration::minutes((i % 30) as i64);
        let end = at(4, 11) + Duration::minutes((i % 7) as i64 * 10);
        async move {
            let res = app
                .post_json(
                    "/graphql",
                    json!({"query": REQUEST, "variables": {"input": {"instrumentId": press,
                        "start": start.to_rfc3339(), "end": end.to_rfc3339(), "purpose": format!("run {i}")}}}),
                    Some(&token),
                )
                .await;
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap())
        }
    });
        let results = futures::future::join_all(requests).await;
        let ok = results
            .iter()
            .filter(|(_, body)| body["data"]["requestBooking"]["booking"]["status"] == "REQUESTED")
            .count();
        let conflicts = results
            .iter()
            .filter(|(_, body)| common::error_code(body).as_deref() == Some("CONFLICT"))
            .count();
        assert!(
            results.iter().all(|(status, _)| *status == 200),
            "no 5xx: {results:?}"
        );
        assert_eq!((ok, conflicts), (1, 49), "{results:?}");
        let data = app
        .gql_ok(
            Some(&c.staff),
            "query($i: ID!) { bookings(first: 100, filter: {instrumentId: $i}) { totalCount } }",
            json!({"i": press}),
        )
        .await;
        assert_eq!(data["bookings"]["totalCount"], 1);
    }
);

e2e!(
    usage_statistics_on_a_hand_computed_example,
    |app| async move {
        use iurhub_store::entities::bookings;
        use sea_orm::{ActiveModelTrait, Database, Set};

        let w = World::new(&app).await;
        let c = center(&app, &w).await;
        // A sibling of the institute in the group (one legal entity), and
        // the university's college co-building the center and owning 40 %
        // of the SEM: service to either is not external.
        let sibling = create_org(
            &app,
            &w.admin,
            "集团办公室 Group Office",
            "ENTERPRISE",
            Some(&c.group),
        )
        .await;
        let college = create_org(
            &app,
            &w.admin,
            "机械工程学院 College of ME",
            "UNIVERSITY",
            Some(&w.org_u),
        )
        .await;
        let data = app
            .gql_ok(
                Some(&c.staff),
                "mutation($input: CreateTestingCenterInput!) { createTestingCenter(input: $input) {
                   testingCenter { id cobuilders { id } } } }",
                json!({"input": {"organizationId": c.org, "name": "机械分析测试中心 MATC",
                    "cobuilderIds": [college]}}),
            )
            .await;
        let matc = common::text(&data["createTestingCenter"]["testingCenter"]["id"]);
        let sem = instrument_in(&app, &c, "扫描电镜 SEM", false, Some(&matc)).await;
        let idle = instrument_in(&app, &c, "X 射线衍射仪 XRD", false, Some(&matc)).await;
        let data = app
            .gql_ok(
                Some(&c.staff),
                "mutation($input: SetInstrumentOwnersInput!) { setInstrumentOwners(input: $input) {
                   owners { organization { id } sharePercent } } }",
                json!({"input": {"instrumentId": sem, "owners": [
                    {"organizationId": c.org, "sharePercent": 60},
                    {"organizationId": college, "sharePercent": 40}]}}),
            )
            .await;
        assert_eq!(
            data["setInstrumentOwners"]["owners"],
            json!([{"organization": {"id": c.org}, "sharePercent": 60},
                {"organization": {"id": college}, "sharePercent": 40}])
        );
        let a_id = raw_id(&me(&app, &w.a).await);
        let (center_org, org_a, org_b) = (raw_id(&c.org), raw_id(&w.org_a), raw_id(&w.org_b));
        let (sibling_org, college_org) = (raw_id(&sibling), raw_id(&college));

        // History the API cannot create (the past), written directly.
        let db = Database::connect(app.database_url.as_str()).await.unwrap();
        let t = |d: u32, h: u32, m: u32| Utc.with_ymd_and_hms(2026, 1, d, h, m, 0).unwrap();
        let feb1 = |h: u32| Utc.with_ymd_and_hms(2026, 2, 1, h, 0, 0).unwrap();
        let rows = [
            // Internal, used 2.5 of 3 booked hours.
            (
                center_org,
                t(5, 9, 0),
                t(5, 12, 0),
                "COMPLETED",
                Some((t(5, 9, 0), t(5, 11, 30))),
            ),
            // External, used 3.5 of 4.
            (
                org_a,
                t(10, 13, 0),
                t(10, 17, 0),
                "COMPLETED",
                Some((t(10, 13, 30), t(10, 17, 0))),
            ),
            // External no-show, 2 booked hours.
            (org_b, t(20, 10, 0), t(20, 12, 0), "APPROVED", None),
            // Cancelled: does not count.
            (org_a, t(22, 10, 0), t(22, 12, 0), "CANCELLED", None),
            // The group's sibling: internal, 1 hour.
            (
                sibling_org,
                t(12, 9, 0),
                t(12, 10, 0),
                "COMPLETED",
                Some((t(12, 9, 0), t(12, 10, 0))),
            ),
            // The co-building college: internal, 2 hours.
            (
                college_org,
                t(14, 9, 0),
                t(14, 11, 0),
                "COMPLETED",
                Some((t(14, 9, 0), t(14, 11, 0))),
            ),
            // External across the period's end: 2 of its 4 hours fall inside.
            (
                org_a,
                t(31, 22, 0),
                feb1(2),
                "COMPLETED",
                Some((t(31, 22, 0), feb1(2))),
            ),
        ];
        for (org, start, end, status, actual) in rows {
            bookings::ActiveModel {
                instrument_id: Set(raw_id(&sem)),
                user_id: Set(a_id),
                organization_id: Set(org),
                start_at: Set(start),
                end_at: Set(end),
                purpose: Set("history".into()),
                status: Set(status.into()),
                actual_start: Set(actual.map(|a| a.0)),
                actual_end: Set(actual.map(|a| a.1)),
                created_at: Set(start),
                updated_at: Set(start),
                ..Default::default()
            }
            .insert(&db)
            .await
            .unwrap();
        }

        let query = "query($f: DateTime!, $t: DateTime!) { usageStats(from: $f, to: $t) {
      center { bookedHours effectiveHours externalHours sharingRate noShowCount revenue { amount } }
      instruments { instrument { id } bookedHours effectiveHours externalHours sharingRate noShowCount revenue { amount } } } }";
        let vars = json!({"f": "2026-01-01T08:00:00+08:00", "t": "2026-02-01T00:00:00Z"});
        app.gql_err(Some(&w.a), query, vars.clone(), "FORBIDDEN")
            .await;
        let data = app.gql_ok(Some(&c.staff), query, vars.clone()).await;
        // Booked 3 + 4 + 2 + 2 (of 4) + 1 + 2; used 2.5 + 3.5 + 2 + 1 + 2, of
        // which 3.5 + 2 external (enterprise A); revenue 5.5 h × 100 +
        // 5.5 h × 300 yuan.
        let expected = json!({"bookedHours": 14.0, "effectiveHours": 11.0, "externalHours": 5.5,
        "sharingRate": 0.5, "noShowCount": 1, "revenue": {"amount": "2200.00"}});
        assert_eq!(data["usageStats"]["center"], expected);
        let per = data["usageStats"]["instruments"].as_array().unwrap();
        let of = |id: &str| {
            let mut row = per
                .iter()
                .find(|r| r["instrument"]["id"] == id)
                .unwrap()
                .clone();
            row.as_object_mut().unwrap().remove("instrument");
            row
        };
        assert_eq!(of(&sem), expected);
        assert_eq!(
            of(&idle),
            json!({"bookedHours": 0.0, "effectiveHours": 0.0, "externalHours": 0.0,
            "sharingRate": null, "noShowCount": 0, "revenue": {"amount": "0.00"}})
        );

        // Registered as a legal entity of its own, the sibling is external:
        // 6.5 of 11 hours, its hour at the external rate.
        let mark = "mutation($input: SetOrganizationLegalEntityInput!) { setOrganizationLegalEntity(input: $input) {
          organization { legalEntity } } }";
        let input = json!({"input": {"organizationId": sibling, "legalEntity": true}});
        app.gql_err(Some(&c.staff), mark, input.clone(), "FORBIDDEN")
            .await;
        let data = app.gql_ok(Some(&w.admin), mark, input).await;
        assert_eq!(
            data["setOrganizationLegalEntity"]["organization"]["legalEntity"],
            true
        );
        let data = app.gql_ok(Some(&c.staff), query, vars).await;
        let center = &data["usageStats"]["center"];
        assert_eq!(center["externalHours"], 6.5, "{data}");
        assert_eq!(center["sharingRate"], 6.5 / 11.0, "{data}");
        assert_eq!(center["revenue"]["amount"], "2400.00", "{data}");
    }
);

e2e!(
    errors_propagate_to_the_nearest_nullable_parent,
    |app| async move {
        let w = World::new(&app).await;
        let need = w
            .need(&app, "Bearing fault diagnosis", "PUBLIC", true)
            .await;
        // A lookup by id that finds nothing is null with NOT_FOUND, and the
        // other fields of the page stay.
        let missing = "TmVlZDo5OTk5OTk";
        let res = app
            .gql(
                Some(&w.a),
                "query($a: ID!, $b: ID!) { a: need(id: $a) { title } b: need(id: $b) { title } }",
                json!({"a": need, "b": missing}),
            )
            .await;
        assert_eq!(
            res["data"]["a"]["title"], "Bearing fault diagnosis",
            "{res}"
        );
        assert!(res["data"].as_object().unwrap().contains_key("b"), "{res}");
        assert!(res["data"]["b"].is_null(), "{res}");
        common::assert_code(&res, "NOT_FOUND");
        assert_eq!(res["errors"][0]["path"], json!(["b"]), "{res}");
        // The same over WebSocket.
        let mut ws = crate::subscriptions::Ws::connect(&app, Some(&w.a)).await;
        ws.subscribe(
            "q",
            "query($a: ID!, $b: ID!) { a: need(id: $a) { title } b: need(id: $b) { title } }",
            json!({"a": need, "b": missing}),
        )
        .await;
        let msg = ws
            .next(std::time::Duration::from_secs(10))
            .await
            .expect("an answer");
        let data = &msg["payload"]["data"];
        assert_eq!(data["a"]["title"], "Bearing fault diagnosis", "{msg}");
        assert!(data.as_object().unwrap().contains_key("b"), "{msg}");
        assert!(data["b"].is_null(), "{msg}");

        // A refused non-null field nulls its nearest nullable parent: here
        // the instrument, whose `availability` is `[Slot!]!`.
        let c = center(&app, &w).await;
        let sem = instrument(&app, &c, "SEM", false).await;
        let res = app
            .gql(
                Some(&c.staff),
                "query($id: ID!) { ok: instrument(id: $id) { name }
                   bad: instrument(id: $id) { name availability(from: \"2027-01-02T00:00:00Z\", to: \"2027-01-01T00:00:00Z\") { start } } }",
                json!({"id": sem}),
            )
            .await;
        assert_eq!(res["data"]["ok"]["name"], "SEM", "{res}");
        assert!(
            res["data"].as_object().unwrap().contains_key("bad"),
            "{res}"
        );
        assert!(res["data"]["bad"].is_null(), "{res}");
        common::assert_code(&res, "BAD_USER_INPUT");
        assert_eq!(
            res["errors"][0]["path"],
            json!(["bad", "availability"]),
            "{res}"
        );
    }
);

const CREATE_FEED: &str =
    "mutation($input: CreateCalendarFeedInput!) { createCalendarFeed(input: $input) {
  token url feed { id kind createdAt revokedAt instrument { id } } } }";

/// Creates a calendar feed; its (url, feed id).
async fn feed(app: &TestApp, token: &str, instrument: Option<&str>) -> (String, String) {
    let data = app
        .gql_ok(
            Some(token),
            CREATE_FEED,
            json!({"input": {"instrumentId": instrument}}),
        )
        .await;
    let created = &data["createCalendarFeed"];
    let secret = common::text(&created["token"]);
    assert!(
        secret.starts_with("cal_") && secret.len() >= 4 + 43,
        "{created}"
    );
    let url = common::text(&created["url"]);
    assert!(url.ends_with(&format!("?token={secret}")), "{created}");
    (url, common::text(&created["feed"]["id"]))
}

/// GETs `path` without any header: (status, body).
async fn fetch(app: &TestApp, path: &str) -> (u16, String) {
    let res = app.get(path).await;
    let status = res.status().as_u16();
    if status == 200 {
        common::assert_content_type(&res, "text/calendar; charset=utf-8");
        assert_eq!(res.headers()["cache-control"], "private, no-store");
    }
    (status, res.text().await.unwrap())
}

e2e!(
    secret_calendar_feeds_work_without_a_header_until_revoked,
    |app| async move {
        let w = World::new(&app).await;
        let c = center(&app, &w).await;
        let cmm = instrument(&app, &c, "三坐标测量机 CMM", false).await;
        let other = instrument(&app, &c, "扫描电镜 SEM", false).await;
        let mine = booking_id(&request(&app, &w.a, &cmm, at(2, 10), at(2, 12)).await);
        app.gql_ok(
            Some(&c.staff),
            "mutation($id: ID!) { approveBooking(input: {id: $id}) { booking { status } } }",
            json!({"id": mine}),
        )
        .await;
        let res = app
            .gql(
                Some(&w.b),
                REQUEST,
                json!({"input": {"instrumentId": cmm, "start": at(3, 10).to_rfc3339(),
                    "end": at(3, 12).to_rfc3339(), "purpose": "竞品分析 B's secret"}}),
            )
            .await;
        let theirs = booking_id(&res);

        // A's own bookings, fetched without a header: with what and why.
        let (personal, personal_id) = feed(&app, &w.a, None).await;
        assert!(
            personal.starts_with("/api/v1/me/bookings.ics?token="),
            "{personal}"
        );
        let (status, ics) = fetch(&app, &personal).await;
        assert_eq!(status, 200, "{ics}");
        assert!(
            ics.contains(&format!("UID:booking-{}@iurhub", raw_id(&mine))),
            "{ics}"
        );
        assert!(ics.contains("fracture"), "{ics}");
        assert!(!ics.contains(&format!("UID:booking-{}@iurhub", raw_id(&theirs))));
        assert!(!ics.contains("B's secret"), "{ics}");
        // The same calendar with the bearer token.
        let res = app.get_as("/api/v1/me/bookings.ics", &w.a).await;
        assert_eq!(res.status(), 200);

        // B's personal feed shows B's booking, never A's.
        let (b_personal, _) = feed(&app, &w.b, None).await;
        let (status, ics) = fetch(&app, &b_personal).await;
        assert_eq!(status, 200);
        assert!(ics.contains("B's secret"), "{ics}");
        assert!(ics.contains("STATUS:TENTATIVE"), "requested: {ics}");
        assert!(!ics.contains("fracture"), "{ics}");
        assert!(!ics.contains(&format!("UID:booking-{}@iurhub", raw_id(&mine))));

        // An instrument feed: approved bookings as "booked", for this
        // instrument only.
        let (calendar, _) = feed(&app, &w.b, Some(&cmm)).await;
        assert!(
            calendar.starts_with(&format!("/api/v1/instruments/{cmm}/calendar.ics?token=")),
            "{calendar}"
        );
        let (status, ics) = fetch(&app, &calendar).await;
        assert_eq!(status, 200);
        assert!(ics.contains(&format!("UID:booking-{}@iurhub", raw_id(&mine))));
        assert!(
            !ics.contains("fracture") && !ics.contains("B's secret"),
            "{ics}"
        );
        let secret = calendar.split("token=").nth(1).unwrap().to_owned();
        for path in [
            format!("/api/v1/instruments/{other}/calendar.ics?token={secret}"),
            format!("/api/v1/me/bookings.ics?token={secret}"),
            "/api/v1/me/bookings.ics?token=cal_not-a-feed".to_owned(),
            "/api/v1/me/bookings.ics".to_owned(),
        ] {
            assert_eq!(fetch(&app, &path).await.0, 401, "{path}");
        }
        assert_eq!(
            fetch(&app, &format!("{personal}&extra=1")).await.0,
            400,
            "unknown parameters"
        );

        // A feed secret is no bearer token.
        let a_secret = personal.split("token=").nth(1).unwrap().to_owned();
        let res = app
            .post_json(
                "/graphql",
                json!({"query": "{ me { email } }"}),
                Some(&a_secret),
            )
            .await;
        assert_eq!(res.status(), 401);
        assert_eq!(
            app.get_as("/api/v1/me/bookings.ics", &a_secret)
                .await
                .status(),
            401
        );

        // Each user lists and revokes only their own feeds.
        let list = "{ calendarFeeds { id kind instrument { id } revokedAt } }";
        let data = app.gql_ok(Some(&w.a), list, json!({})).await;
        assert_eq!(
            data["calendarFeeds"],
            json!([{"id": personal_id, "kind": "MY_BOOKINGS", "instrument": null, "revokedAt": null}])
        );
        let data = app.gql_ok(Some(&w.b), list, json!({})).await;
        let kinds: Vec<&str> = data["calendarFeeds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["MY_BOOKINGS", "INSTRUMENT"]);
        let revoke =
            "mutation($id: ID!) { revokeCalendarFeed(input: {id: $id}) { feed { id revokedAt } } }";
        app.gql_err(Some(&w.b), revoke, json!({"id": personal_id}), "NOT_FOUND")
            .await;
        assert_eq!(fetch(&app, &personal).await.0, 200, "B could not revoke it");
        let data = app
            .gql_ok(Some(&w.a), revoke, json!({"id": personal_id}))
            .await;
        assert!(
            data["revokeCalendarFeed"]["feed"]["revokedAt"].is_string(),
            "{data}"
        );
        assert_eq!(fetch(&app, &personal).await.0, 401, "revoked");
        let data = app.gql_ok(Some(&w.a), list, json!({})).await;
        assert_eq!(data["calendarFeeds"], json!([]));

        // Bad input and anonymous callers.
        app.gql_err(
            Some(&w.a),
            CREATE_FEED,
            json!({"input": {"instrumentId": w.org_a}}),
            "BAD_USER_INPUT",
        )
        .await;
        app.gql_err(None, CREATE_FEED, json!({"input": {}}), "UNAUTHENTICATED")
            .await;
    }
);

e2e!(
    a_booking_without_an_organization_is_for_the_first_membership_and_pays_its_rate,
    |app| async move {
        let w = World::new(&app).await;
        // The center is created after enterprise A: its id is higher.
        let c = center(&app, &w).await;
        let cmm = instrument(&app, &c, "三坐标测量机 CMM", false).await;
        let dual = app.user("dual@center.test").await;
        for org in [&c.org, &w.org_a] {
            let res = add_member(&app, &w.admin, org, "dual@center.test", "MEMBER").await;
            assert!(res.get("errors").is_none(), "{res}");
        }
        let data = app
            .gql_ok(
                Some(&dual),
                "{ me { memberships { organization { id } } } }",
                json!({}),
            )
            .await;
        assert_eq!(data["me"]["memberships"][0]["organization"]["id"], c.org);

        let usage = "query($f: DateTime!, $t: DateTime!) { usageStats(from: $f, to: $t) {
          instruments { instrument { id } effectiveHours externalHours revenue { amount } } } }";
        let complete = "mutation($input: CompleteBookingInput!) { completeBooking(input: $input) { booking { status } } }";
        let mut expected = (0.0, 0.0, String::new());
        let mut fen = 0;
        for (day, organization, external) in [(2, None, false), (3, Some(&w.org_a), true)] {
            let mut input = json!({"instrumentId": cmm, "start": at(day, 9).to_rfc3339(),
                "end": at(day, 10).to_rfc3339(), "purpose": "计量 metrology"});
            if let Some(org) = organization {
                input["organizationId"] = json!(org);
            }
            let res = app.gql(Some(&dual), REQUEST, json!({"input": input})).await;
            let booking = booking_id(&res);
            let for_org = &res["data"]["requestBooking"]["booking"]["organization"]["id"];
            assert_eq!(*for_org, json!(organization.unwrap_or(&c.org)), "{res}");
            app.gql_ok(
                Some(&c.staff),
                "mutation($id: ID!) { approveBooking(input: {id: $id}) { booking { status } } }",
                json!({"id": booking}),
            )
            .await;
            // Used for one hour yesterday (completion records actual times).
            app.gql_ok(
                Some(&c.staff),
                complete,
                json!({"input": {"id": booking, "actualStart": at(-1, day as u32).to_rfc3339(),
                    "actualEnd": at(-1, day as u32 + 1).to_rfc3339()}}),
            )
            .await;
            expected.0 += 1.0;
            if external {
                expected.1 += 1.0;
                fen += 30000;
            } else {
                fen += 10000;
            }
            expected.2 = format!("{}.{:02}", fen / 100, fen % 100);
            let data = app
                .gql_ok(
                    Some(&c.staff),
                    usage,
                    // The period holds the bookings and their use.
                    json!({"f": at(-1, 0).to_rfc3339(), "t": at(5, 0).to_rfc3339()}),
                )
                .await;
            let row = data["usageStats"]["instruments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["instrument"]["id"] == cmm)
                .unwrap()
                .clone();
            assert_eq!(
                (
                    row["effectiveHours"].as_f64().unwrap(),
                    row["externalHours"].as_f64().unwrap(),
                    crate::common::text(&row["revenue"]["amount"])
                ),
                expected.clone(),
                "the internal rate for the center, the external one for enterprise A: {row}"
            );
        }
    }
);

e2e!(staff_delete_maintenance_windows, |app| async move {
    let w = World::new(&app).await;
    let c = center(&app, &w).await;
    let cmm = instrument(&app, &c, "三坐标测量机 CMM", false).await;
    let data = app
            .gql_ok(
                Some(&c.staff),
                "mutation($input: AddMaintenanceWindowInput!) { addMaintenanceWindow(input: $input) { maintenance { id start end reason } } }",
                json!({"input": {"instrumentId": cmm, "start": at(3, 8).to_rfc3339(),
                    "end": at(3, 17).to_rfc3339(), "reason": "年度校准 calibration"}}),
            )
            .await;
    let window = common::text(&data["addMaintenanceWindow"]["maintenance"]["id"]);
    common::assert_code(
        &request(&app, &w.a, &cmm, at(3, 9), at(3, 11)).await,
        "CONFLICT",
    );

    let delete = "mutation($input: DeleteMaintenanceWindowInput!) { deleteMaintenanceWindow(input: $input) {
          deletedMaintenanceWindowId instrument { id maintenance(from: $from, to: $to) { id } } } }"
            .replace("mutation(", "mutation($from: DateTime!, $to: DateTime!, ");
    let vars = |id: &str| json!({"input": {"id": id}, "from": at(0, 0).to_rfc3339(), "to": at(10, 0).to_rfc3339()});
    app.gql_err(Some(&w.a), &delete, vars(&window), "FORBIDDEN")
        .await;
    app.gql_err(Some(&c.staff), &delete, vars(&cmm), "BAD_USER_INPUT")
        .await;
    let data = app.gql_ok(Some(&c.staff), &delete, vars(&window)).await;
    assert_eq!(
        data["deleteMaintenanceWindow"],
        json!({"deletedMaintenanceWindowId": window, "instrument": {"id": cmm, "maintenance": []}})
    );
    app.gql_err(Some(&c.staff), &delete, vars(&window), "NOT_FOUND")
        .await;
    // The time is bookable again, and a booking always names its user.
    let booking = booking_id(&request(&app, &w.a, &cmm, at(3, 9), at(3, 11)).await);
    let data = app
        .gql_ok(
            Some(&w.a),
            "query($id: ID!) { booking(id: $id) { user { id } } }",
            json!({"id": booking}),
        )
        .await;
    assert_eq!(data["booking"]["user"]["id"], me(&app, &w.a).await);
});

e2e!(
    instruments_and_bookings_are_ordered_like_every_list,
    |app| async move {
        let w = World::new(&app).await;
        let c = center(&app, &w).await;
        // Registered in the order C, A, B.
        let (ci, ai, bi) = (
            instrument(&app, &c, "C 显微镜", false).await,
            instrument(&app, &c, "A 三坐标", false).await,
            instrument(&app, &c, "B 疲劳试验机", false).await,
        );
        let names = "query($order: InstrumentOrder, $first: Int, $after: String) {
          instruments(first: $first, after: $after, orderBy: $order) {
            pageInfo { endCursor } nodes { id } } }";
        let ids = |data: &Value| -> Vec<&String> {
            let found: Vec<String> = data["instruments"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| common::text(&n["id"]))
                .collect();
            found
                .iter()
                .map(|f| [&ai, &bi, &ci].into_iter().find(|x| *x == f).unwrap())
                .collect()
        };
        for (order, expected) in [
            (json!(null), [&ai, &bi, &ci]),
            (
                json!({"field": "NAME", "direction": "DESC"}),
                [&ci, &bi, &ai],
            ),
            (
                json!({"field": "CREATED_AT", "direction": "ASC"}),
                [&ci, &ai, &bi],
            ),
            (
                json!({"field": "CREATED_AT", "direction": "DESC"}),
                [&bi, &ai, &ci],
            ),
        ] {
            let data = app.gql_ok(Some(&w.a), names, json!({"order": order})).await;
            assert_eq!(ids(&data), expected, "{order}");
        }
        // Pages follow the ordering; a cursor of another ordering is refused.
        let newest = json!({"field": "CREATED_AT", "direction": "DESC"});
        let data = app
            .gql_ok(Some(&w.a), names, json!({"order": newest, "first": 1}))
            .await;
        assert_eq!(ids(&data), [&bi]);
        let cursor = data["instruments"]["pageInfo"]["endCursor"].clone();
        let data = app
            .gql_ok(
                Some(&w.a),
                names,
                json!({"order": newest, "first": 1, "after": cursor}),
            )
            .await;
        assert_eq!(ids(&data), [&ai]);
        app.gql_err(
            Some(&w.a),
            names,
            json!({"first": 1, "after": cursor}),
            "BAD_USER_INPUT",
        )
        .await;
        // Both parts of an ordering are required.
        let res = app
            .gql(Some(&w.a), names, json!({"order": {"field": "NAME"}}))
            .await;
        assert!(res["errors"].is_array(), "{res}");

        // The same over REST.
        let rest_ids = |body: &Value| -> Vec<&String> {
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    let id = common::text(&i["id"]);
                    [&ai, &bi, &ci].into_iter().find(|x| **x == id).unwrap()
                })
                .collect()
        };
        for (query, expected) in [
            ("", [&ai, &bi, &ci]),
            ("?orderBy=CREATED_AT&direction=DESC", [&bi, &ai, &ci]),
            ("?orderBy=NAME&direction=DESC", [&ci, &bi, &ai]),
        ] {
            let res = app
                .get_as(&format!("/api/v1/instruments{query}"), &w.a)
                .await;
            assert_eq!(res.status(), 200, "{query}");
            let body: Value = res.json().await.unwrap();
            assert_eq!(rest_ids(&body), expected, "{query}");
        }
        let res = app.get_as("/api/v1/instruments?orderBy=PRICE", &w.a).await;
        assert_eq!(res.status(), 400);

        // Bookings: requested for days 4, 2 and 3, in that order.
        let mut booked = Vec::new();
        for day in [4, 2, 3] {
            booked.push(booking_id(
                &request(&app, &w.a, &ai, at(day, 9), at(day, 10)).await,
            ));
        }
        let list =
            "query($order: BookingOrder) { bookings(first: 10, orderBy: $order) { nodes { id } } }";
        for (order, expected) in [
            (json!(null), [1, 2, 0]),
            (json!({"field": "START", "direction": "DESC"}), [0, 2, 1]),
            (
                json!({"field": "CREATED_AT", "direction": "ASC"}),
                [0, 1, 2],
            ),
            (
                json!({"field": "CREATED_AT", "direction": "DESC"}),
                [2, 1, 0],
            ),
        ] {
            let data = app.gql_ok(Some(&w.a), list, json!({"order": order})).await;
            let got: Vec<String> = data["bookings"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| common::text(&n["id"]))
                .collect();
            let want: Vec<String> = expected.iter().map(|&i| booked[i].clone()).collect();
            assert_eq!(got, want, "{order}");
        }
    }
);

e2e!(
    maintenance_windows_and_calendar_feeds_are_nodes,
    |app| async move {
        let w = World::new(&app).await;
        let c = center(&app, &w).await;
        let cmm = instrument(&app, &c, "三坐标测量机 CMM", false).await;
        let data = app
            .gql_ok(
                Some(&c.staff),
                "mutation($input: AddMaintenanceWindowInput!) { addMaintenanceWindow(input: $input) { maintenance { id } } }",
                json!({"input": {"instrumentId": cmm, "start": at(3, 8).to_rfc3339(),
                    "end": at(3, 17).to_rfc3339(), "reason": "年度校准 calibration"}}),
            )
            .await;
        let window = common::text(&data["addMaintenanceWindow"]["maintenance"]["id"]);
        let (_, feed_id) = feed(&app, &w.a, Some(&cmm)).await;
        let query = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
            ... on MaintenanceWindow { reason instrument { id } }
            ... on CalendarFeed { kind instrument { id } } } }";

        // Any signed-in user sees a window, as `instrument.maintenance`
        // shows it; only its owner sees a feed.
        let data = app
            .gql_ok(Some(&w.a), query, json!({"ids": [window, feed_id]}))
            .await;
        assert_eq!(
            data["nodes"],
            json!([
                {"__typename": "MaintenanceWindow", "id": window,
                 "reason": "年度校准 calibration", "instrument": {"id": cmm}},
                {"__typename": "CalendarFeed", "id": feed_id, "kind": "INSTRUMENT",
                 "instrument": {"id": cmm}},
            ])
        );
        let res = app
            .gql(Some(&w.b), query, json!({"ids": [window, feed_id]}))
            .await;
        assert_eq!(res["data"]["nodes"][0]["id"], window, "{res}");
        assert!(res["data"]["nodes"][1].is_null(), "{res}");
        assert_eq!(res["errors"].as_array().unwrap().len(), 1, "{res}");
        assert_eq!(res["errors"][0]["path"], json!(["nodes", 1]), "{res}");
        assert_eq!(res["errors"][0]["extensions"]["code"], "NOT_FOUND", "{res}");

        // A deleted window is gone; anonymous callers see neither.
        let res = app
            .gql(None, query, json!({"ids": [window, feed_id]}))
            .await;
        assert!(res["data"]["nodes"][0].is_null(), "{res}");
        assert!(res["data"]["nodes"][1].is_null(), "{res}");
        assert_eq!(
            res["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{res}"
        );
        app.gql_ok(
            Some(&c.staff),
            "mutation($input: DeleteMaintenanceWindowInput!) { deleteMaintenanceWindow(input: $input) { deletedMaintenanceWindowId } }",
            json!({"input": {"id": window}}),
        )
        .await;
        let res = app
            .gql(
                Some(&w.a),
                "query($id: ID!) { node(id: $id) { id } }",
                json!({"id": window}),
            )
            .await;
        assert!(res["data"]["node"].is_null(), "{res}");
        common::assert_code(&res, "NOT_FOUND");
    }
);

/// A testing center's instrument and its staff member's token (for other
/// test files).
pub async fn staffed_instrument(app: &TestApp, w: &World) -> (String, String) {
    let c = center(app, w).await;
    let id = instrument(app, &c, "扫描电镜 SEM", false).await;
    (c.staff, id)
}

/// A booking of `instrument` by `token` three days from now, 9–11 UTC.
pub async fn book(app: &TestApp, token: &str, instrument: &str) -> String {
    booking_id(&request(app, token, instrument, at(3, 9), at(3, 11)).await)
}
