//! File exports: the project list as CSV and an instrument's calendar.

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
