//! The testing center's errors speak Chinese to `Accept-Language: zh-CN`:
//! every rule of instruments, maintenance windows, qualifications, bookings
//! and calendar feeds answers with its code, its own message key and, when
//! it is about a value the client sent, the field.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};

use crate::common::TestApp;
use crate::common::has_chinese;
use crate::fixtures::{World, add_member, create_org, me};

/// POSTs an operation with `Accept-Language: zh-CN`.
async fn gql_zh(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    app.gql_in(Some(token), "zh-CN", query, variables).await
}

/// Fails unless the first error of `body` has `code` and `key`, a Chinese
/// message and, with `field`, names that field under the same key (without,
/// names no field).
#[track_caller]
fn assert_zh(body: &Value, code: &str, key: &str, field: Option<&str>) {
    let error = &body["errors"][0];
    let ext = &error["extensions"];
    assert_eq!(ext["code"], code, "{key}: {body}");
    assert_eq!(ext["key"], key, "{body}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(has_chinese(message), "{key}: not Chinese: {message}");
    assert!(
        !message.contains('{'),
        "{key}: a value is missing: {message}"
    );
    let fields = ext["fields"].as_array().expect("fields");
    match field {
        Some(field) => {
            assert_eq!(fields.len(), 1, "{body}");
            assert_eq!(fields[0]["field"], field, "{body}");
            assert_eq!(fields[0]["key"], key, "{body}");
            assert!(
                has_chinese(fields[0]["message"].as_str().unwrap_or_default()),
                "{body}"
            );
        }
        None => assert!(fields.is_empty(), "{body}"),
    }
}

/// The global id of an object that does not exist.
fn ghost(kind: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:987654"))
}

/// A whole hour `days` days from now, in UTC.
fn at(days: i64, hour: u32) -> DateTime<Utc> {
    let d = (Utc::now() + Duration::days(days)).date_naive();
    Utc.from_utc_datetime(&d.and_hms_opt(hour, 0, 0).unwrap())
}

const CREATE: &str = "mutation($input: CreateInstrumentInput!) {
  createInstrument(input: $input) { instrument { id } } }";

const UPDATE: &str = "mutation($input: UpdateInstrumentInput!) {
  updateInstrument(input: $input) { instrument { id } } }";

const REQUEST: &str = "mutation($input: RequestBookingInput!) {
  requestBooking(input: $input) { booking { id status } } }";

const MAINTENANCE: &str = "mutation($i: ID!, $s: DateTime!, $e: DateTime!) {
  addMaintenanceWindow(input: {instrumentId: $i, start: $s, end: $e, reason: \"年度校准 calibration\"}) {
    maintenance { id } } }";

const GRANT: &str = "mutation($i: ID!, $u: ID!, $e: DateTime) {
  grantQualification(input: {instrumentId: $i, userId: $u, expiresAt: $e}) { qualification { valid } } }";

const COMPLETE: &str = "mutation($id: ID!, $s: DateTime!, $e: DateTime!) {
  completeBooking(input: {id: $id, actualStart: $s, actualEnd: $e}) { booking { status } } }";

const FEED: &str =
    "mutation($i: ID) { createCalendarFeed(input: {instrumentId: $i}) { feed { id } } }";

/// The testing center (staff: its ORG_ADMIN) and one instrument of it.
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

fn instrument_input(org: &str, name: &str, qualification: bool) -> Value {
    json!({"input": {"organizationId": org, "name": name, "category": "SEM",
        "rateInternal": "100", "rateExternal": "300", "requiresQualification": qualification}})
}

async fn instrument(app: &TestApp, c: &Center, name: &str, qualification: bool) -> String {
    let data = app
        .gql_ok(
            Some(&c.staff),
            CREATE,
            instrument_input(&c.org, name, qualification),
        )
        .await;
    crate::common::text(&data["createInstrument"]["instrument"]["id"])
}

fn booking_input(
    instrument: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    org: Option<&str>,
) -> Value {
    json!({"input": {"instrumentId": instrument, "start": start.to_rfc3339(),
        "end": end.to_rfc3339(), "purpose": "断口形貌观察", "organizationId": org}})
}

e2e!(
    instrument_and_qualification_rules_speak_chinese,
    |app| async move {
        let w = World::new(&app).await;
        let c = center(&app, &w).await;

        // Registering: the organization must exist, the caller administer it.
        let res = gql_zh(
            &app,
            &c.staff,
            CREATE,
            instrument_input(&ghost("Organization"), "x", false),
        )
        .await;
        assert_zh(
            &res,
            "BAD_USER_INPUT",
            "organization.unknown",
            Some("input.organizationId"),
        );
        let res = gql_zh(&app, &w.a, CREATE, instrument_input(&c.org, "x", false)).await;
        assert_zh(&res, "FORBIDDEN", "instrument.create.forbidden", None);

        let sem = instrument(&app, &c, "扫描电镜 SEM", true).await;
        let res = gql_zh(
            &app,
            &w.a,
            UPDATE,
            json!({"input": {"id": sem, "name": "y"}}),
        )
        .await;
        assert_zh(&res, "FORBIDDEN", "instrument.manage.forbidden", None);
        let res = gql_zh(
            &app,
            &c.staff,
            UPDATE,
            json!({"input": {"id": sem, "status": "RETIRED"}}),
        )
        .await;
        assert_zh(
            &res,
            "BAD_USER_INPUT",
            "instrument.status.retire_separately",
            Some("input.status"),
        );

        // Listing: a category filter is at most 100 characters.
        let res = gql_zh(
            &app,
            &w.a,
            "query($c: String) { instruments(first: 5, filter: {category: $c}) { totalCount } }",
            json!({"c": "长".repeat(101)}),
        )
        .await;
        assert_zh(&res, "BAD_USER_INPUT", "value.too_long", Some("category"));
        assert!(
            res["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("100"),
            "{res}"
        );

        // Maintenance windows end after they start.
        let res = gql_zh(
            &app,
            &c.staff,
            MAINTENANCE,
            json!({"i": sem, "s": at(3, 12).to_rfc3339(), "e": at(3, 8).to_rfc3339()}),
        )
        .await;
        assert_zh(
            &res,
            "BAD_USER_INPUT",
            "maintenance_window.end.before_start",
            Some("input.end"),
        );

        // Qualifications: an existing user, an expiry in the future; the list
        // is for the staff.
        let a_id = me(&app, &w.a).await;
        let res = gql_zh(
            &app,
            &c.staff,
            GRANT,
            json!({"i": sem, "u": ghost("User"), "e": null}),
        )
        .await;
        assert_zh(
            &res,
            "BAD_USER_INPUT",
            "qualification.user.unknown",
            Some("input.userId"),
        );
        let res = gql_zh(
            &app,
            &c.staff,
            GRANT,
            json!({"i": sem, "u": a_id, "e": at(-1, 0).to_rfc3339()}),
        )
        .await;
        assert_zh(
            &res,
            "BAD_USER_INPUT",
            "qualification.expiry.past",
            Some("input.expiresAt"),
        );
        let res = gql_zh(
            &app,
            &w.a,
            "query($i: ID!) { instrument(id: $i) { qualifications { valid } } }",
            json!({"i": sem}),
        )
        .await;
        assert_zh(&res, "FORBIDDEN", "qualification.list.forbidden", None);

        // Without a qualification, the instrument is named in both languages.
        let res = gql_zh(
            &app,
            &w.a,
            REQUEST,
            booking_input(&sem, at(2, 9), at(2, 11), None),
        )
        .await;
        assert_zh(&res, "FORBIDDEN", "booking.qualification.required", None);
        assert!(
            res["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("扫描电镜 SEM"),
            "{res}"
        );
        let res = app
            .gql(
                Some(&w.a),
                REQUEST,
                booking_input(&sem, at(2, 9), at(2, 11), None),
            )
            .await;
        let english = crate::common::error_message(&res);
        assert!(
            english.contains("扫描电镜 SEM requires a valid qualification"),
            "{english}"
        );

        // Retired: no more edits, no bookings (CONFLICT on the instrument).
        app.gql_ok(
            Some(&c.staff),
            "mutation($i: ID!) { retireInstrument(input: {id: $i}) { instrument { status } } }",
            json!({"i": sem}),
        )
        .await;
        let res = gql_zh(
            &app,
            &c.staff,
            UPDATE,
            json!({"input": {"id": sem, "name": "y"}}),
        )
        .await;
        assert_zh(
            &res,
            "BAD_USER_INPUT",
            "instrument.retired.not_editable",
            Some("input.id"),
        );
        let res = gql_zh(
            &app,
            &c.staff,
            REQUEST,
            booking_input(&sem, at(2, 9), at(2, 11), None),
        )
        .await;
        assert_zh(
            &res,
            "CONFLICT",
            "booking.instrument.not_available",
            Some("input.instrumentId"),
        );
        assert!(
            res["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("RETIRED"),
            "{res}"
        );
    }
);

e2e!(booking_rules_speak_chinese, |app| async move {
    let w = World::new(&app).await;
    let c = center(&app, &w).await;
    let cmm = instrument(&app, &c, "三坐标测量机 CMM", false).await;

    // The slot.
    for (start, end, key, field) in [
        (
            at(6, 10) + Duration::seconds(30),
            at(6, 12),
            "booking.time.not_whole_minute",
            "input.start",
        ),
        (
            at(6, 12),
            at(6, 10),
            "booking.end.before_start",
            "input.end",
        ),
        (
            at(6, 10),
            at(6, 10) + Duration::minutes(15),
            "booking.too_short",
            "input.end",
        ),
        (at(6, 10), at(7, 11), "booking.too_long", "input.end"),
        (at(-1, 10), at(-1, 12), "booking.start.past", "input.start"),
        (
            at(120, 10),
            at(120, 12),
            "booking.start.beyond_horizon",
            "input.start",
        ),
    ] {
        let res = gql_zh(&app, &w.a, REQUEST, booking_input(&cmm, start, end, None)).await;
        assert_zh(&res, "BAD_USER_INPUT", key, Some(field));
    }

    // For whom: an organization of the caller's; a caller without one
    // joins one first.
    let res = gql_zh(
        &app,
        &w.a,
        REQUEST,
        booking_input(&cmm, at(2, 9), at(2, 11), Some(&w.org_b)),
    )
    .await;
    assert_zh(&res, "FORBIDDEN", "booking.organization.not_member", None);
    let loner = app.user("loner@nowhere.test").await;
    let res = gql_zh(
        &app,
        &loner,
        REQUEST,
        booking_input(&cmm, at(2, 9), at(2, 11), None),
    )
    .await;
    assert_zh(&res, "FORBIDDEN", "booking.organization.none", None);

    // Maintenance: CONFLICT on the start, naming the window.
    app.gql_ok(
        Some(&c.staff),
        MAINTENANCE,
        json!({"i": cmm, "s": at(3, 8).to_rfc3339(), "e": at(3, 17).to_rfc3339()}),
    )
    .await;
    let res = gql_zh(
        &app,
        &w.a,
        REQUEST,
        booking_input(&cmm, at(3, 16), at(3, 18), None),
    )
    .await;
    assert_zh(
        &res,
        "CONFLICT",
        "booking.maintenance.overlap",
        Some("input.start"),
    );
    let message = res["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("年度校准") && message.contains(&at(3, 8).to_rfc3339()),
        "{message}"
    );

    // Decisions: the staff decide, the booker or the staff cancel.
    let res = app
        .gql(
            Some(&w.a),
            REQUEST,
            booking_input(&cmm, at(2, 9), at(2, 11), None),
        )
        .await;
    let booking = crate::common::text(&res["data"]["requestBooking"]["booking"]["id"]);
    let decide = |op: &str| {
        format!("mutation($id: ID!) {{ {op}(input: {{id: $id}}) {{ booking {{ status }} }} }}")
    };
    let res = gql_zh(
        &app,
        &w.a,
        &decide("approveBooking"),
        json!({"id": booking}),
    )
    .await;
    assert_zh(&res, "FORBIDDEN", "booking.decide.forbidden", None);
    // A colleague sees the booking but does not cancel it.
    let colleague = app.user("a2@enterprise-a.test").await;
    let res = add_member(&app, &w.admin, &w.org_a, "a2@enterprise-a.test", "MEMBER").await;
    assert!(res.get("errors").is_none(), "{res}");
    let res = gql_zh(
        &app,
        &colleague,
        &decide("cancelBooking"),
        json!({"id": booking}),
    )
    .await;
    assert_zh(&res, "FORBIDDEN", "booking.cancel.forbidden", None);

    // Completing: the actual end after the actual start, not before it
    // happened.
    app.gql_ok(
        Some(&c.staff),
        &decide("approveBooking"),
        json!({"id": booking}),
    )
    .await;
    let res = gql_zh(
        &app,
        &c.staff,
        COMPLETE,
        json!({"id": booking, "s": at(-1, 10).to_rfc3339(), "e": at(-1, 10).to_rfc3339()}),
    )
    .await;
    assert_zh(
        &res,
        "BAD_USER_INPUT",
        "booking.actual_end.before_start",
        Some("input.actualEnd"),
    );
    let res = gql_zh(
        &app,
        &c.staff,
        COMPLETE,
        json!({"id": booking, "s": at(2, 9).to_rfc3339(), "e": at(2, 11).to_rfc3339()}),
    )
    .await;
    assert_zh(
        &res,
        "BAD_USER_INPUT",
        "booking.complete.not_started",
        Some("input.actualStart"),
    );

    // Availability: a forward period of at most 93 days.
    let availability = "query($i: ID!, $f: DateTime!, $t: DateTime!) {
      instrument(id: $i) { availability(from: $f, to: $t) { start } } }";
    let res = gql_zh(
        &app,
        &w.b,
        availability,
        json!({"i": cmm, "f": at(2, 18).to_rfc3339(), "t": at(2, 8).to_rfc3339()}),
    )
    .await;
    assert_zh(
        &res,
        "BAD_USER_INPUT",
        "availability.to.before_from",
        Some("to"),
    );
    let res = gql_zh(
        &app,
        &w.b,
        availability,
        json!({"i": cmm, "f": at(1, 0).to_rfc3339(), "t": at(100, 0).to_rfc3339()}),
    )
    .await;
    assert_zh(
        &res,
        "BAD_USER_INPUT",
        "availability.period.too_long",
        Some("to"),
    );
    assert!(
        res["errors"][0]["message"].as_str().unwrap().contains("93"),
        "{res}"
    );

    // Usage statistics: a forward period, for the staff and coordinators.
    let usage = "query($f: DateTime!, $t: DateTime!) { usageStats(from: $f, to: $t) { from } }";
    let res = gql_zh(
        &app,
        &c.staff,
        usage,
        json!({"f": at(2, 0).to_rfc3339(), "t": at(1, 0).to_rfc3339()}),
    )
    .await;
    assert_zh(&res, "BAD_USER_INPUT", "usage.to.before_from", Some("to"));
    let res = gql_zh(
        &app,
        &w.a,
        usage,
        json!({"f": at(-30, 0).to_rfc3339(), "t": at(1, 0).to_rfc3339()}),
    )
    .await;
    assert_zh(&res, "FORBIDDEN", "usage.forbidden", None);
});

e2e!(calendar_feed_rules_speak_chinese, |app| async move {
    let w = World::new(&app).await;
    let res = gql_zh(&app, &w.a, FEED, json!({"i": ghost("Instrument")})).await;
    assert_zh(
        &res,
        "BAD_USER_INPUT",
        "calendar_feed.instrument.unknown",
        Some("input.instrumentId"),
    );
    for _ in 0..20 {
        app.gql_ok(Some(&w.a), FEED, json!({"i": null})).await;
    }
    let res = gql_zh(&app, &w.a, FEED, json!({"i": null})).await;
    assert_zh(
        &res,
        "BAD_USER_INPUT",
        "calendar_feed.too_many",
        Some("input.instrumentId"),
    );
    assert!(
        res["errors"][0]["message"].as_str().unwrap().contains("20"),
        "{res}"
    );
});
