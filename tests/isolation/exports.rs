//! File exports: the project list as CSV and an instrument's calendar.

use serde_json::json;

use crate::world::*;

/// The data rows of a CSV export (after the byte-order mark and header).
fn rows(csv_text: &str) -> Vec<csv::StringRecord> {
    let text = csv_text.trim_start_matches('\u{feff}');
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect()
}

e2e!(
    csv_and_calendar_exports_keep_tenants_apart,
    |app| async move {
        let t = Tenants::build(&app).await;

        // projects.csv: each tenant's own projects; the A–U row names the
        // confidential need by id only (the leak check scans every cell).
        for (who, project, marker) in [
            (Who::A, &t.project, AU_PROJECT),
            (Who::U, &t.project, AU_PROJECT),
            (Who::B, &t.b_project, B_PROJECT),
        ] {
            let (status, body) = t.rest(who, "/api/v1/projects.csv").await;
            assert_eq!(status, 200, "{who:?}");
            let rows = rows(&body);
            assert_eq!(rows.len(), 1, "{who:?}: {body}");
            assert_eq!(&rows[0][0], project.as_str());
            assert!(rows[0][1].contains(marker));
        }
        let (status, body) = t
            .rest(
                Who::B,
                &format!("/api/v1/projects.csv?partyOrganizationId={}", t.w.org_a),
            )
            .await;
        assert_eq!(status, 200);
        assert!(rows(&body).is_empty(), "{body}");
        let (status, _) = t.rest(Who::Anon, "/api/v1/projects.csv").await;
        assert_eq!(status, 401);

        // calendar.ics: every signed-in user sees when the instrument is
        // taken (A's approved booking), never by whom or why.
        let path = format!("/api/v1/instruments/{}/calendar.ics", t.instrument);
        for who in [Who::B, Who::U, Who::UStaff] {
            let (status, ics) = t.rest(who, &path).await;
            assert_eq!(status, 200, "{who:?}");
            assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1, "{who:?}: {ics}");
            assert!(ics.contains(&format!(
                "UID:booking-{}@iurhub",
                raw_id(&t.booking_approved)
            )));
            for private in [A_BOOKING, "a@enterprise-a.test", "Enterprise A"] {
                assert!(!ics.contains(private), "{who:?}: {private} in {ics}");
            }
        }
        let (status, _) = t.rest(Who::Anon, &path).await;
        assert_eq!(status, 401);
        let (status, _) = t
            .rest(
                Who::B,
                &format!("/api/v1/instruments/{}/calendar.ics", missing("Instrument")),
            )
            .await;
        assert_eq!(status, 404);
    }
);

e2e!(calendar_feeds_keep_tenants_apart, |app| async move {
    let t = Tenants::build(&app).await;
    let create = "mutation($input: CreateCalendarFeedInput!) { createCalendarFeed(input: $input) {
      url feed { id instrument { id } } } }";
    let list = "{ calendarFeeds { id instrument { id } } }";

    // Each user's own feed, fetched without a header: their bookings only
    // (the leak check reads each body as its user).
    let mut feeds = Vec::new();
    for who in [Who::A, Who::B, Who::U] {
        let data = t.ok(who, create, json!({"input": {}})).await;
        let url = crate::common::text(&data["createCalendarFeed"]["url"]);
        let id = crate::common::text(&data["createCalendarFeed"]["feed"]["id"]);
        let res = app.get(&url).await;
        assert_eq!(res.status(), 200, "{who:?}");
        let body = res.text().await.unwrap();
        assert_no_leak(who, &url, &body);
        let own = match who {
            Who::A => Some(A_BOOKING),
            Who::B => Some(B_BOOKING),
            _ => None,
        };
        if let Some(marker) = own {
            assert!(body.contains(marker), "{who:?}: {body}");
        }
        feeds.push((who, url, id));
    }

    // An instrument feed of B's: approved bookings as "booked", nobody's
    // purposes; its instrument is the one B asked for.
    let data = t
        .ok(
            Who::B,
            create,
            json!({"input": {"instrumentId": t.instrument}}),
        )
        .await;
    assert_eq!(
        data["createCalendarFeed"]["feed"]["instrument"]["id"],
        t.instrument
    );
    let url = crate::common::text(&data["createCalendarFeed"]["url"]);
    let res = app.get(&url).await;
    assert_eq!(res.status(), 200);
    assert_no_leak(Who::B, &url, &res.text().await.unwrap());

    // Everyone lists only their own feeds.
    for (who, _, id) in &feeds {
        let data = t.ok(*who, list, json!({})).await;
        let listed: Vec<&str> = data["calendarFeeds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap())
            .collect();
        assert!(listed.contains(&id.as_str()), "{who:?}: {data}");
        for (other, _, other_id) in &feeds {
            if other != who {
                assert!(
                    !listed.contains(&other_id.as_str()),
                    "{who:?} lists {other:?}'s feed"
                );
            }
        }
    }

    // Another user's feed cannot be revoked, and looks like a missing one.
    let revoke = "mutation($id: ID!) { revokeCalendarFeed(input: {id: $id}) { feed { id } } }";
    let a_feed = &feeds[0].2;
    t.refused_like_missing(
        Who::B,
        revoke,
        json!({"id": a_feed}),
        json!({"id": missing("CalendarFeed")}),
        "NOT_FOUND",
    )
    .await;
    assert_eq!(app.get(&feeds[0].1).await.status(), 200, "still A's");
    t.refused(Who::Anon, create, json!({"input": {}}), "UNAUTHENTICATED")
        .await;
    t.refused(Who::Anon, list, json!({}), "UNAUTHENTICATED")
        .await;
    t.refused(Who::Anon, revoke, json!({"id": a_feed}), "UNAUTHENTICATED")
        .await;
    let (status, _) = t.rest(Who::Anon, "/api/v1/me/bookings.ics").await;
    assert_eq!(status, 401);
});
