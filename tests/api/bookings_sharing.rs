//! Ratings of completed bookings, recurring bookings that are all or
//! nothing, and instruments' waiting lists that offer a freed window to the
//! next in line (held for a while, then passed on) — with the races that
//! matter: a freed window is booked once, by the user it is held for.

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};

use crate::common::{self, TestApp};
use crate::concurrency::all_at_once;
use crate::fixtures::{World, add_member, create_org};

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

async fn instrument(app: &TestApp, c: &Center, name: &str, qualification: bool) -> String {
    let data = app
        .gql_ok(
            Some(&c.staff),
            "mutation($input: CreateInstrumentInput!) { createInstrument(input: $input) { instrument { id } } }",
            json!({"input": {"organizationId": c.org, "name": name, "category": "SEM",
                "rateInternal": "100", "rateExternal": "300",
                "requiresQualification": qualification}}),
        )
        .await;
    common::text(&data["createInstrument"]["instrument"]["id"])
}

/// A whole hour `days` days from now, in UTC.
fn at(days: i64, hour: u32) -> DateTime<Utc> {
    let d = (Utc::now() + Duration::days(days)).date_naive();
    Utc.from_utc_datetime(&d.and_hms_opt(hour, 0, 0).unwrap())
}

const REQUEST: &str = "mutation($input: RequestBookingInput!) { requestBooking(input: $input) {
  booking { id status start end user { id } } } }";

fn booking_input(instrument: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> Value {
    json!({"input": {"instrumentId": instrument, "start": start.to_rfc3339(),
        "end": end.to_rfc3339(), "purpose": "断口形貌观察 fracture surfaces"}})
}

async fn book(
    app: &TestApp,
    token: &str,
    instrument: &str,
    s: DateTime<Utc>,
    e: DateTime<Utc>,
) -> String {
    let data = app
        .gql_ok(Some(token), REQUEST, booking_input(instrument, s, e))
        .await;
    common::text(&data["requestBooking"]["booking"]["id"])
}

async fn decide(app: &TestApp, token: &str, mutation: &str, id: &str) -> Value {
    app.gql(
        Some(token),
        &format!(
            "mutation($id: ID!) {{ {mutation}(input: {{id: $id}}) {{ booking {{ status }} }} }}"
        ),
        json!({"id": id}),
    )
    .await
}

const RATE: &str = "mutation($input: RateBookingInput!) { rateBooking(input: $input) {
  rating { score comment createdAt } booking { id rating { score } } } }";

fn rate(booking: &str, score: i32, comment: &str) -> Value {
    json!({"input": {"bookingId": booking, "score": score, "comment": comment}})
}

/// Approves a booking and completes it with an hour of use yesterday.
async fn approve_and_complete(app: &TestApp, c: &Center, booking: &str, hour: u32) {
    let res = decide(app, &c.staff, "approveBooking", booking).await;
    assert_eq!(
        res["data"]["approveBooking"]["booking"]["status"], "APPROVED",
        "{res}"
    );
    app.gql_ok(
        Some(&c.staff),
        "mutation($input: CompleteBookingInput!) { completeBooking(input: $input) { booking { status } } }",
        json!({"input": {"id": booking, "actualStart": at(-1, hour).to_rfc3339(),
            "actualEnd": at(-1, hour + 1).to_rfc3339()}}),
    )
    .await;
}

e2e!(
    ratings_of_completed_bookings_by_their_booker_once,
    |app| async move {
        let w = World::new(&app).await;
        let c = center(&app, &w).await;
        let sem = instrument(&app, &c, "扫描电镜 SEM", false).await;
        let mine = book(&app, &w.a, &sem, at(2, 9), at(2, 10)).await;
        let theirs = book(&app, &w.u, &sem, at(2, 10), at(2, 11)).await;

        // Not completed yet: a CONFLICT on bookingId.
        let res = app.gql(Some(&w.a), RATE, rate(&mine, 5, "")).await;
        common::assert_code(&res, "CONFLICT");
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"], "input.bookingId",
            "{res}"
        );
        assert!(
            common::error_message(&res).contains("once it is completed"),
            "{res}"
        );

        approve_and_complete(&app, &c, &mine, 9).await;
        approve_and_complete(&app, &c, &theirs, 10).await;

        // Another tenant does not see the booking; the staff see it but did
        // not book it; the score is 1–5.
        common::assert_code(
            &app.gql(Some(&w.b), RATE, rate(&mine, 5, "")).await,
            "NOT_FOUND",
        );
        let res = app.gql(Some(&c.staff), RATE, rate(&mine, 5, "")).await;
        common::assert_code(&res, "FORBIDDEN");
        assert!(
            common::error_message(&res).contains("only the user who booked"),
            "{res}"
        );
        for score in [0, 6] {
            let res = app.gql(Some(&w.a), RATE, rate(&mine, score, "")).await;
            common::assert_code(&res, "BAD_USER_INPUT");
            assert_eq!(
                res["errors"][0]["extensions"]["fields"][0]["field"], "input.score",
                "{res}"
            );
        }

        let data = app
            .gql_ok(
                Some(&w.a),
                RATE,
                rate(&mine, 4, "  图像清晰 sharp images  "),
            )
            .await;
        assert_eq!(data["rateBooking"]["rating"]["score"], 4);
        assert_eq!(
            data["rateBooking"]["rating"]["comment"],
            "图像清晰 sharp images"
        );
        assert_eq!(data["rateBooking"]["booking"]["rating"]["score"], 4);
        // Once.
        let res = app
            .gql(Some(&w.a), RATE, rate(&mine, 1, "changed my mind"))
            .await;
        common::assert_code(&res, "CONFLICT");
        assert!(
            common::error_message(&res).contains("rated already"),
            "{res}"
        );

        app.gql_ok(Some(&w.u), RATE, rate(&theirs, 1, "样品台松动 loose stage"))
            .await;

        // Every signed-in user sees the ratings on the instrument, newest
        // first, with their count and average.
        let data = app
            .gql_ok(
                Some(&w.b),
                "query($id: ID!) { instrument(id: $id) { rating { count average }
              ratings(first: 10) { totalCount edges { node { score comment } } } } }",
                json!({"id": sem}),
            )
            .await;
        let i = &data["instrument"];
        assert_eq!(i["rating"]["count"], 2);
        assert_eq!(i["rating"]["average"], 2.5);
        assert_eq!(i["ratings"]["totalCount"], 2);
        assert_eq!(i["ratings"]["edges"][0]["node"]["score"], 1);
        assert_eq!(
            i["ratings"]["edges"][1]["node"]["comment"],
            "图像清晰 sharp images"
        );
        let data = app
            .gql_ok(
                Some(&w.b),
                "query($id: ID!) { instrument(id: $id) { rating { count average } } }",
                json!({"id": instrument(&app, &c, "未评价 unrated", false).await}),
            )
            .await;
        assert_eq!(
            data["instrument"]["rating"],
            json!({"count": 0, "average": null})
        );
    }
);

const RECURRING: &str = "mutation($input: RequestRecurringBookingInput!) {
  requestRecurringBooking(input: $input) { bookings { id status start end } } }";

fn recurring(instrument: &str, start: DateTime<Utc>, end: DateTime<Utc>, weeks: i32) -> Value {
    json!({"input": {"instrumentId": instrument, "start": start.to_rfc3339(),
        "end": end.to_rfc3339(), "weeks": weeks, "purpose": "疲劳试验 fatigue series"}})
}

/// The bookings of an instrument in `[from, to)` as (user id, start).
async fn bookings_of(app: &TestApp, token: &str, instrument: &str) -> Vec<(String, String)> {
    let data = app
        .gql_ok(
            Some(token),
            "query($i: ID!) { bookings(first: 100, filter: {instrumentId: $i, status: [REQUESTED, APPROVED]}) {
              edges { node { start user { id } } } } }",
            json!({"i": instrument}),
        )
        .await;
    data["bookings"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                common::text(&e["node"]["user"]["id"]),
                common::text(&e["node"]["start"]),
            )
        })
        .collect()
}

e2e!(
    recurring_bookings_are_all_or_nothing_and_name_the_refused_occurrence,
    |app| async move {
        let w = World::new(&app).await;
        let c = center(&app, &w).await;
        let cmm = instrument(&app, &c, "三坐标测量机 CMM", false).await;

        for weeks in [1, 13, -2] {
            let res = app
                .gql(
                    Some(&w.a),
                    RECURRING,
                    recurring(&cmm, at(1, 9), at(1, 10), weeks),
                )
                .await;
            common::assert_code(&res, "BAD_USER_INPUT");
            assert_eq!(
                res["errors"][0]["extensions"]["fields"][0]["field"], "input.weeks",
                "{res}"
            );
        }

        // The third week is taken by another user: nothing is booked, and the
        // error names the third occurrence.
        book(&app, &w.u, &cmm, at(15, 9), at(15, 10)).await;
        let res = app
            .gql(
                Some(&w.a),
                RECURRING,
                recurring(&cmm, at(1, 9), at(1, 10), 4),
            )
            .await;
        common::assert_code(&res, "CONFLICT");
        let message = common::error_message(&res);
        assert!(message.contains("occurrence 3"), "{res}");
        assert!(message.contains(&at(15, 9).to_rfc3339()), "{res}");
        assert!(message.contains("no occurrence was booked"), "{res}");
        assert_eq!(
            bookings_of(&app, &c.staff, &cmm).await.len(),
            1,
            "only the other user's"
        );

        // A maintenance window in the second week.
        app.gql_ok(
        Some(&c.staff),
        "mutation($input: AddMaintenanceWindowInput!) { addMaintenanceWindow(input: $input) { maintenance { id } } }",
        json!({"input": {"instrumentId": cmm, "start": at(9, 0).to_rfc3339(),
            "end": at(9, 23).to_rfc3339(), "reason": "校准 calibration"}}),
    )
    .await;
        let res = app
            .gql(
                Some(&w.a),
                RECURRING,
                recurring(&cmm, at(2, 14), at(2, 15), 3),
            )
            .await;
        common::assert_code(&res, "CONFLICT");
        let message = common::error_message(&res);
        assert!(
            message.contains("occurrence 2") && message.contains("maintenance"),
            "{res}"
        );

        // Beyond the horizon (90 days): the last occurrence is named.
        let res = app
            .gql(
                Some(&w.a),
                RECURRING,
                recurring(&cmm, at(80, 9), at(80, 10), 3),
            )
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        assert!(
            common::error_message(&res).contains("occurrence 3"),
            "{res}"
        );
        assert_eq!(bookings_of(&app, &c.staff, &cmm).await.len(), 1);

        // A qualification that ends before the last occurrence.
        let sem = instrument(&app, &c, "扫描电镜 SEM", true).await;
        let a_id = crate::fixtures::me(&app, &w.a).await;
        app.gql_ok(
        Some(&c.staff),
        "mutation($i: ID!, $u: ID!, $e: DateTime) { grantQualification(input: {instrumentId: $i, userId: $u, expiresAt: $e}) { qualification { valid } } }",
        json!({"i": sem, "u": a_id, "e": at(10, 0).to_rfc3339()}),
    )
    .await;
        let res = app
            .gql(
                Some(&w.a),
                RECURRING,
                recurring(&sem, at(2, 9), at(2, 10), 3),
            )
            .await;
        common::assert_code(&res, "FORBIDDEN");
        assert!(
            common::error_message(&res).contains("occurrence 3"),
            "{res}"
        );

        // A free series: every week booked, in order, a week apart.
        let data = app
            .gql_ok(
                Some(&w.a),
                RECURRING,
                recurring(&cmm, at(3, 9), at(3, 11), 4),
            )
            .await;
        let made = data["requestRecurringBooking"]["bookings"]
            .as_array()
            .unwrap();
        assert_eq!(made.len(), 4);
        for (k, b) in made.iter().enumerate() {
            assert_eq!(b["status"], "REQUESTED");
            let start: DateTime<Utc> = common::text(&b["start"]).parse().unwrap();
            assert_eq!(start, at(3, 9) + Duration::weeks(k as i64), "{b}");
        }
        assert_eq!(bookings_of(&app, &c.staff, &cmm).await.len(), 5);
    }
);

e2e!(
    concurrent_recurring_bookings_of_one_time_book_one_series_whole,
    |app| async move {
        let w = World::new(&app).await;
        let c = center(&app, &w).await;
        let cmm = instrument(&app, &c, "三坐标测量机 CMM", false).await;
        // Three users ask for overlapping series at once (shifted by an
        // hour, so each pair clashes in every week).
        let requests = [(&w.a, 9), (&w.b, 10), (&w.u, 9)]
            .into_iter()
            .map(|(token, hour)| {
                (
                    token.clone(),
                    RECURRING.to_owned(),
                    recurring(&cmm, at(2, hour), at(2, hour + 2), 5),
                )
            })
            .collect();
        let results = all_at_once(&app, requests).await;
        let mut won = 0;
        for (status, body) in &results {
            assert_eq!(*status, 200, "{body}");
            if body.get("errors").is_none() {
                won += 1;
            } else {
                common::assert_code(body, "CONFLICT");
            }
        }
        assert_eq!(won, 1, "{results:?}");
        let booked = bookings_of(&app, &c.staff, &cmm).await;
        assert_eq!(booked.len(), 5, "one whole series: {booked:?}");
        assert!(booked.iter().all(|(user, _)| *user == booked[0].0));
    }
);

const JOIN: &str = "mutation($input: JoinWaitlistInput!) { joinWaitlist(input: $input) {
  entry { id status start end offerExpiresAt instrument { id waitlistLength } } } }";

fn join_input(instrument: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> Value {
    json!({"input": {"instrumentId": instrument, "start": start.to_rfc3339(),
        "end": end.to_rfc3339(), "purpose": "拉伸试验 tensile test"}})
}

async fn join(
    app: &TestApp,
    token: &str,
    instrument: &str,
    s: DateTime<Utc>,
    e: DateTime<Utc>,
) -> String {
    let data = app
        .gql_ok(Some(token), JOIN, join_input(instrument, s, e))
        .await;
    assert_eq!(data["joinWaitlist"]["entry"]["status"], "WAITING");
    common::text(&data["joinWaitlist"]["entry"]["id"])
}

const ENTRIES: &str = "{ waitlistEntries { id status offerExpiresAt start } }";

/// The status of a user's active place `id` (`None` once it left the list).
async fn entry_status(app: &TestApp, token: &str, id: &str) -> Option<String> {
    let data = app.gql_ok(Some(token), ENTRIES, json!({})).await;
    data["waitlistEntries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .map(|e| common::text(&e["status"]))
}

const ACCEPT: &str = "mutation($id: ID!) { acceptWaitlistOffer(input: {id: $id}) {
  entry { status booking { id } } booking { id status start end user { id } } } }";

const LEAVE: &str = "mutation($id: ID!) { leaveWaitlist(input: {id: $id}) { entry { status } } }";

/// The kinds of a user's unread notifications, newest first.
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

fn offers(inbox: &[(String, String)]) -> usize {
    inbox
        .iter()
        .filter(|(k, _)| k == "WAITLIST_SLOT_OFFERED")
        .count()
}

e2e!(
    a_freed_window_is_offered_to_the_next_in_line_and_passes_on_when_the_hold_runs_out,
    settings = |s: &mut iurhub_api::Settings| {
        s.waitlist_offer_hold_secs = 4;
        s.schedule_every_secs = 1;
    },
    |app| async move {
        let w = World::new(&app).await;
        let c = center(&app, &w).await;
        let sem = instrument(&app, &c, "扫描电镜 SEM", false).await;
        let taken = book(&app, &w.u, &sem, at(3, 9), at(3, 11)).await;

        // A free window is booked, not queued for; a place is one per window.
        let res = app
            .gql(Some(&w.a), JOIN, join_input(&sem, at(3, 14), at(3, 15)))
            .await;
        common::assert_code(&res, "CONFLICT");
        assert!(
            common::error_message(&res).contains("this time is free"),
            "{res}"
        );
        let first = join(&app, &w.a, &sem, at(3, 9), at(3, 11)).await;
        let res = app
            .gql(Some(&w.a), JOIN, join_input(&sem, at(3, 9), at(3, 11)))
            .await;
        common::assert_code(&res, "CONFLICT");
        let second = join(&app, &w.b, &sem, at(3, 10), at(3, 11)).await;
        let data = app
            .gql_ok(
                Some(&w.b),
                "query($i: ID!) { instrument(id: $i) { waitlistLength } }",
                json!({"i": sem}),
            )
            .await;
        assert_eq!(data["instrument"]["waitlistLength"], 2);
        // Nobody else's place: refused like a missing one.
        common::assert_code(
            &app.gql(Some(&w.b), LEAVE, json!({"id": first})).await,
            "NOT_FOUND",
        );
        common::assert_code(
            &app.gql(Some(&w.b), ACCEPT, json!({"id": first})).await,
            "NOT_FOUND",
        );
        // Not offered yet.
        common::assert_code(
            &app.gql(Some(&w.a), ACCEPT, json!({"id": first})).await,
            "CONFLICT",
        );

        // The booking is cancelled: the first in line is offered the window
        // and told; the second's window overlaps it and waits.
        let res = decide(&app, &w.u, "cancelBooking", &taken).await;
        assert_eq!(
            res["data"]["cancelBooking"]["booking"]["status"], "CANCELLED",
            "{res}"
        );
        assert_eq!(
            entry_status(&app, &w.a, &first).await.as_deref(),
            Some("OFFERED")
        );
        assert_eq!(
            entry_status(&app, &w.b, &second).await.as_deref(),
            Some("WAITING")
        );
        let told = inbox(&app, &w.a).await;
        assert_eq!(offers(&told), 1, "{told:?}");
        assert!(
            told[0].1.contains("扫描电镜 SEM") && told[0].1.contains("held for you"),
            "{told:?}"
        );
        assert_eq!(offers(&inbox(&app, &w.b).await), 0);

        // While it is held nobody else books it.
        let res = app
            .gql(
                Some(&w.u),
                REQUEST,
                booking_input(&sem, at(3, 9), at(3, 10)),
            )
            .await;
        common::assert_code(&res, "CONFLICT");
        assert!(
            common::error_message(&res).contains("waiting list"),
            "{res}"
        );
        common::assert_code(
            &app.gql(Some(&w.b), ACCEPT, json!({"id": second})).await,
            "CONFLICT",
        );

        // The hold runs out: the window passes to the next in line.
        let mut passed = false;
        for _ in 0..60 {
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            if entry_status(&app, &w.b, &second).await.as_deref() == Some("OFFERED") {
                passed = true;
                break;
            }
        }
        assert!(passed, "the offer passed to the second in line");
        assert_eq!(entry_status(&app, &w.a, &first).await, None, "expired");
        assert_eq!(offers(&inbox(&app, &w.b).await), 1);
        let res = app.gql(Some(&w.a), ACCEPT, json!({"id": first})).await;
        common::assert_code(&res, "CONFLICT");

        // The second takes it: a REQUESTED booking of their window.
        let data = app.gql_ok(Some(&w.b), ACCEPT, json!({"id": second})).await;
        let accepted = &data["acceptWaitlistOffer"];
        assert_eq!(accepted["entry"]["status"], "BOOKED");
        assert_eq!(accepted["booking"]["status"], "REQUESTED");
        assert_eq!(
            accepted["entry"]["booking"]["id"],
            accepted["booking"]["id"]
        );
        let start: DateTime<Utc> = common::text(&accepted["booking"]["start"]).parse().unwrap();
        assert_eq!(start, at(3, 10));
        assert_eq!(
            entry_status(&app, &w.b, &second).await,
            None,
            "no longer waiting"
        );

        // A maintenance window deleted frees its time the same way; leaving
        // the list with an offer passes it on at once.
        let window = app
            .gql_ok(
                Some(&c.staff),
                "mutation($input: AddMaintenanceWindowInput!) { addMaintenanceWindow(input: $input) { maintenance { id } } }",
                json!({"input": {"instrumentId": sem, "start": at(4, 8).to_rfc3339(),
                    "end": at(4, 12).to_rfc3339(), "reason": "真空泵 vacuum pump"}}),
            )
            .await;
        let window = common::text(&window["addMaintenanceWindow"]["maintenance"]["id"]);
        let a_place = join(&app, &w.a, &sem, at(4, 9), at(4, 10)).await;
        let u_place = join(&app, &w.u, &sem, at(4, 9), at(4, 11)).await;
        app.gql_ok(
            Some(&c.staff),
            "mutation($id: ID!) { deleteMaintenanceWindow(input: {id: $id}) { deletedMaintenanceWindowId } }",
            json!({"id": window}),
        )
        .await;
        assert_eq!(
            entry_status(&app, &w.a, &a_place).await.as_deref(),
            Some("OFFERED")
        );
        assert_eq!(
            entry_status(&app, &w.u, &u_place).await.as_deref(),
            Some("WAITING")
        );
        let data = app.gql_ok(Some(&w.a), LEAVE, json!({"id": a_place})).await;
        assert_eq!(data["leaveWaitlist"]["entry"]["status"], "CANCELLED");
        assert_eq!(
            entry_status(&app, &w.u, &u_place).await.as_deref(),
            Some("OFFERED")
        );
        assert_eq!(offers(&inbox(&app, &w.u).await), 1);
    }
);

e2e!(
    racing_for_a_freed_window_books_it_once_for_the_user_it_is_held_for,
    |app| async move {
        let w = World::new(&app).await;
        let c = center(&app, &w).await;
        let sem = instrument(&app, &c, "扫描电镜 SEM", false).await;
        let taken = book(&app, &w.u, &sem, at(5, 9), at(5, 11)).await;
        let place = join(&app, &w.a, &sem, at(5, 9), at(5, 11)).await;
        let request = |token: &String| {
            (
                token.clone(),
                REQUEST.to_owned(),
                booking_input(&sem, at(5, 9), at(5, 11)),
            )
        };

        // The cancellation and another user's requests at once: whichever
        // comes first, the other user never gets the window.
        let cancel = (
            w.u.clone(),
            "mutation($id: ID!) { cancelBooking(input: {id: $id}) { booking { status } } }"
                .to_owned(),
            json!({"id": taken}),
        );
        let mut requests = vec![cancel];
        requests.extend((0..4).map(|_| request(&w.b)));
        let results = all_at_once(&app, requests).await;
        assert!(results[0].1.get("errors").is_none(), "{:?}", results[0]);
        for (status, body) in &results[1..] {
            assert_eq!(*status, 200, "{body}");
            common::assert_code(body, "CONFLICT");
        }
        assert_eq!(
            entry_status(&app, &w.a, &place).await.as_deref(),
            Some("OFFERED")
        );

        // The user it is held for and the other one race for it: one
        // booking, the held user's.
        let mut requests: Vec<(String, String, Value)> = (0..3)
            .map(|_| (w.a.clone(), ACCEPT.to_owned(), json!({"id": place})))
            .collect();
        requests.extend((0..3).map(|_| request(&w.b)));
        requests.extend((0..2).map(|_| request(&w.a)));
        let results = all_at_once(&app, requests).await;
        let mut ok = 0;
        for (status, body) in &results {
            assert_eq!(*status, 200, "{body}");
            if body.get("errors").is_none() {
                ok += 1;
            } else {
                common::assert_code(body, "CONFLICT");
            }
        }
        assert_eq!(ok, 1, "{results:?}");
        let a_id = crate::fixtures::me(&app, &w.a).await;
        let booked = bookings_of(&app, &c.staff, &sem).await;
        assert_eq!(booked.len(), 1, "{booked:?}");
        assert_eq!(booked[0].0, a_id);
    }
);

e2e!(
    the_offer_of_a_freed_window_reaches_the_user_by_email_in_their_language,
    |app| async move {
        let w = World::new(&app).await;
        let c = center(&app, &w).await;
        let sem = instrument(&app, &c, "扫描电镜 SEM", false).await;
        let sink = common::SmtpSink::start().await;
        let app = app
            .restart_with(|s| {
                s.smtp_url = Some(sink.url().into());
                s.mail_poll_secs = 1;
            })
            .await;
        app.gql_ok(
            Some(&w.a),
            "mutation { updateProfile(input: {language: EN}) { user { language } } }",
            json!({}),
        )
        .await;
        let taken = book(&app, &w.u, &sem, at(6, 9), at(6, 11)).await;
        join(&app, &w.a, &sem, at(6, 9), at(6, 11)).await;
        let res = decide(&app, &w.u, "cancelBooking", &taken).await;
        assert_eq!(
            res["data"]["cancelBooking"]["booking"]["status"], "CANCELLED",
            "{res}"
        );
        // The staff's mail of the request, then A's of the offer.
        let mails = sink.wait_for(2, std::time::Duration::from_secs(15)).await;
        let offer = mails
            .iter()
            .find(|m| m["rcptTos"] == json!(["a@enterprise-a.test"]))
            .unwrap_or_else(|| panic!("{mails:?}"));
        assert!(
            common::text(&offer["subject"]).contains("A time you waited for is free: 扫描电镜 SEM"),
            "{offer}"
        );
        let body = common::text(&offer["text"]);
        assert!(body.contains("held for you until"), "{offer}");
        assert!(
            body.contains(&at(6, 9).format("%Y-%m-%d %H:%M").to_string()),
            "{offer}"
        );
    }
);
