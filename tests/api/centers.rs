//! Testing centers and co-built instruments: the national open-sharing
//! assessment on a hand-computed example (over GraphQL and as the CSV a
//! center hands in), the public catalogue, and the rules of centers and
//! owners.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};

use crate::common::{self, TestApp, text};
use crate::fixtures::{World, add_member, create_org, me};

const CREATE_CENTER: &str =
    "mutation($input: CreateTestingCenterInput!) { createTestingCenter(input: $input) {
  testingCenter { id name organization { id } cobuilders { id } } } }";

const CREATE_INSTRUMENT: &str =
    "mutation($input: CreateInstrumentInput!) { createInstrument(input: $input) {
  instrument { id center { id } owners { organization { id } sharePercent } public } } }";

const SET_OWNERS: &str =
    "mutation($input: SetInstrumentOwnersInput!) { setInstrumentOwners(input: $input) {
  owners { organization { id } sharePercent } } }";

fn raw_id(global: &str) -> i64 {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(global).unwrap()).unwrap();
    raw.split(':').nth(1).unwrap().parse().unwrap()
}

/// A group (legal entity) with its Testing Institute and an office, the
/// university's College of ME, enterprise A's plant; the institute's
/// ORG_ADMIN (the staff) and a member of the office.
struct Setup {
    w: World,
    institute: String,
    office: String,
    college: String,
    plant: String,
    staff: String,
    clerk: String,
}

async fn setup(app: &TestApp) -> Setup {
    let w = World::new(app).await;
    let group = create_org(app, &w.admin, "机电集团 M&E Group", "ENTERPRISE", None).await;
    let institute = create_org(
        app,
        &w.admin,
        "检测研究院 Testing Institute",
        "INSTITUTE",
        Some(&group),
    )
    .await;
    let office = create_org(
        app,
        &w.admin,
        "集团办公室 Group Office",
        "ENTERPRISE",
        Some(&group),
    )
    .await;
    let college = create_org(
        app,
        &w.admin,
        "机械工程学院 College of ME",
        "UNIVERSITY",
        Some(&w.org_u),
    )
    .await;
    let plant = create_org(
        app,
        &w.admin,
        "甲一厂 Plant 1",
        "ENTERPRISE",
        Some(&w.org_a),
    )
    .await;
    let staff = app.user("staff@institute.test").await;
    let clerk = app.user("clerk@office.test").await;
    for (org, email, role) in [
        (&institute, "staff@institute.test", "ORG_ADMIN"),
        (&office, "clerk@office.test", "MEMBER"),
    ] {
        let res = add_member(app, &w.admin, org, email, role).await;
        assert!(res.get("errors").is_none(), "{res}");
    }
    Setup {
        w,
        institute,
        office,
        college,
        plant,
        staff,
        clerk,
    }
}

async fn create_center(
    app: &TestApp,
    token: &str,
    org: &str,
    name: &str,
    cobuilders: &[&str],
) -> String {
    let data = app
        .gql_ok(
            Some(token),
            CREATE_CENTER,
            json!({"input": {"organizationId": org, "name": name, "cobuilderIds": cobuilders}}),
        )
        .await;
    text(&data["createTestingCenter"]["testingCenter"]["id"])
}

/// An instrument (rates in yuan) of `org` in `center`.
#[allow(clippy::too_many_arguments)]
async fn create_instrument(
    app: &TestApp,
    token: &str,
    org: &str,
    center: &str,
    name: &str,
    rates: (&str, &str),
    public: bool,
    description: &str,
) -> String {
    let data = app
        .gql_ok(
            Some(token),
            CREATE_INSTRUMENT,
            json!({"input": {"organizationId": org, "centerId": center, "name": name,
                "category": "MICROSCOPY", "rateInternal": rates.0, "rateExternal": rates.1,
                "public": public, "description": description, "registrationNumber": format!("REG-{name}"),
                "originalValue": "1500000", "purchaseDate": "2019-06-30"}}),
        )
        .await;
    text(&data["createInstrument"]["instrument"]["id"])
}

const ASSESSMENT: &str = "query($year: Int!, $center: ID) { assessment(year: $year, centerId: $center) {
  year
  total { effectiveHours externalHours sharingRate users outsideOrganizations income { amount } serviceOrders trainingSessions ratings ratingAverage }
  centers { center { id }
    figures { effectiveHours externalHours sharingRate users outsideOrganizations income { amount } serviceOrders trainingSessions ratings ratingAverage }
    instruments { instrument { id }
      figures { effectiveHours externalHours sharingRate users outsideOrganizations income { amount } serviceOrders trainingSessions ratings ratingAverage } } } } }";

/// The figures as the answer gives them; `income` is the income and the
/// service orders completed, `rated` is (ratings, their score total).
fn figures(
    effective: f64,
    external: f64,
    users: u64,
    outside: u64,
    (income, orders): (&str, u32),
    trainings: u64,
    rated: (u32, u32),
) -> Value {
    json!({"effectiveHours": effective, "externalHours": external,
        "sharingRate": if effective > 0.0 { json!(external / effective) } else { Value::Null },
        "users": users, "outsideOrganizations": outside, "income": {"amount": income},
        "serviceOrders": orders, "trainingSessions": trainings, "ratings": rated.0,
        "ratingAverage": if rated.0 > 0 { json!(f64::from(rated.1) / f64::from(rated.0)) } else { Value::Null }})
}

e2e!(
    the_assessment_of_a_year_on_a_hand_computed_example,
    |app| async move {
        use iurhub_store::entities::{
            booking_ratings, bookings, qualifications, service_order_events,
            service_order_item_lines, service_order_ratings, service_orders,
        };
        use sea_orm::{ActiveModelTrait, Database, Set};
        use std::collections::HashMap;

        let s = setup(&app).await;
        let w = &s.w;
        // Center 1: run by the institute, co-built by the college. The SEM
        // is owned 60/40 by them, the CT by the institute alone.
        let c1 = create_center(
            &app,
            &s.staff,
            &s.institute,
            "机械分析测试中心 MATC",
            &[&s.college],
        )
        .await;
        let sem = create_instrument(
            &app,
            &s.staff,
            &s.institute,
            &c1,
            "扫描电镜 SEM",
            ("100", "300"),
            true,
            "",
        )
        .await;
        let ct = create_instrument(
            &app,
            &s.staff,
            &s.institute,
            &c1,
            "工业 CT",
            ("200", "500"),
            false,
            "",
        )
        .await;
        app.gql_ok(
            Some(&s.staff),
            SET_OWNERS,
            json!({"input": {"instrumentId": sem, "owners": [
                {"organizationId": s.institute, "sharePercent": 60},
                {"organizationId": s.college, "sharePercent": 40}]}}),
        )
        .await;
        // Center 2: enterprise B's, with an XRD (registered by an admin).
        let c2 = create_center(&app, &w.admin, &w.org_b, "乙检测中心 B Lab", &[]).await;
        let xrd = create_instrument(
            &app,
            &w.admin,
            &w.org_b,
            &c2,
            "X 射线衍射仪 XRD",
            ("50", "150"),
            false,
            "",
        )
        .await;

        // The history of 2025, written directly (the API books the future).
        let db = Database::connect(app.database_url.as_str()).await.unwrap();
        let at = |y: i32, mo: u32, d: u32, h: u32| Utc.with_ymd_and_hms(y, mo, d, h, 0, 0).unwrap();
        let (a, u, b, clerk) = (
            raw_id(&me(&app, &w.a).await),
            raw_id(&me(&app, &w.u).await),
            raw_id(&me(&app, &w.b).await),
            raw_id(&me(&app, &s.clerk).await),
        );
        let (org_a, org_b, college, office, plant) = (
            raw_id(&w.org_a),
            raw_id(&w.org_b),
            raw_id(&s.college),
            raw_id(&s.office),
            raw_id(&s.plant),
        );
        type Row = (
            String,
            i64,
            i64,
            DateTime<Utc>,
            DateTime<Utc>,
            &'static str,
            Option<(DateTime<Utc>, DateTime<Utc>)>,
        );
        let rows: Vec<Row> = vec![
            // SEM: enterprise A, 2 of 3 booked hours used: external.
            (
                sem.clone(),
                a,
                org_a,
                at(2025, 3, 3, 9),
                at(2025, 3, 3, 12),
                "COMPLETED",
                Some((at(2025, 3, 3, 9), at(2025, 3, 3, 11))),
            ),
            // SEM: the co-building college, 1 hour: internal.
            (
                sem.clone(),
                u,
                college,
                at(2025, 3, 4, 9),
                at(2025, 3, 4, 10),
                "COMPLETED",
                None,
            ),
            // SEM: the group's office, 3 of 4 hours: internal.
            (
                sem.clone(),
                clerk,
                office,
                at(2025, 3, 5, 9),
                at(2025, 3, 5, 13),
                "COMPLETED",
                Some((at(2025, 3, 5, 9), at(2025, 3, 5, 12))),
            ),
            // SEM: a no-show: not counted.
            (
                sem.clone(),
                a,
                org_a,
                at(2025, 4, 1, 9),
                at(2025, 4, 1, 10),
                "APPROVED",
                None,
            ),
            // SEM: enterprise B from 23:00 to 01:00 China time on New
            // Year's Eve: 1 hour in 2025, external.
            (
                sem.clone(),
                b,
                org_b,
                at(2025, 12, 31, 15),
                at(2025, 12, 31, 17),
                "COMPLETED",
                None,
            ),
            // CT: enterprise B, 2 hours, external.
            (
                ct.clone(),
                b,
                org_b,
                at(2025, 6, 1, 9),
                at(2025, 6, 1, 11),
                "COMPLETED",
                None,
            ),
            // CT: A's plant, 1 hour: external, the legal entity A.
            (
                ct.clone(),
                a,
                plant,
                at(2025, 6, 2, 9),
                at(2025, 6, 2, 10),
                "COMPLETED",
                None,
            ),
            // CT: enterprise A over New Year 2025: its second hour is in 2025.
            (
                ct.clone(),
                a,
                org_a,
                at(2024, 12, 31, 15),
                at(2024, 12, 31, 17),
                "COMPLETED",
                None,
            ),
            // XRD: enterprise A, 2 hours, external to B's center.
            (
                xrd.clone(),
                a,
                org_a,
                at(2025, 7, 1, 9),
                at(2025, 7, 1, 11),
                "COMPLETED",
                None,
            ),
            // XRD: enterprise B itself, 1 hour, internal.
            (
                xrd.clone(),
                b,
                org_b,
                at(2025, 7, 2, 9),
                at(2025, 7, 2, 10),
                "COMPLETED",
                None,
            ),
        ];
        // Users' ratings of the SEM's first and third bookings, of its
        // no-show (not counted) and of the XRD's first.
        let scores = HashMap::from([(0, 5), (2, 3), (3, 1), (8, 2)]);
        for (k, (instrument, user, org, start, end, status, actual)) in rows.into_iter().enumerate()
        {
            let booking = bookings::ActiveModel {
                instrument_id: Set(raw_id(&instrument)),
                user_id: Set(user),
                organization_id: Set(org),
                start_at: Set(start),
                end_at: Set(end),
                purpose: Set("history".into()),
                status: Set(status.into()),
                actual_start: Set(actual.map(|x| x.0)),
                actual_end: Set(actual.map(|x| x.1)),
                created_at: Set(start),
                updated_at: Set(start),
                ..Default::default()
            }
            .insert(&db)
            .await
            .unwrap();
            if let Some(score) = scores.get(&k) {
                booking_ratings::ActiveModel {
                    booking_id: Set(booking.id),
                    instrument_id: Set(booking.instrument_id),
                    user_id: Set(user),
                    score: Set(*score),
                    comment: Set(String::new()),
                    created_at: Set(end),
                    ..Default::default()
                }
                .insert(&db)
                .await
                .unwrap();
            }
        }
        // Trainings: two users qualified on the SEM in 2025, one on the CT
        // in 2024 (another year).
        for (instrument, user, when) in [
            (&sem, a, at(2025, 2, 1, 2)),
            (&sem, b, at(2025, 9, 1, 2)),
            (&ct, a, at(2024, 11, 1, 2)),
        ] {
            qualifications::ActiveModel {
                instrument_id: Set(raw_id(instrument)),
                user_id: Set(user),
                granted_by: Set(None),
                expires_at: Set(None),
                revoked_at: Set(None),
                created_at: Set(when),
                ..Default::default()
            }
            .insert(&db)
            .await
            .unwrap();
        }

        // Service orders of center 1: one completed in 2025 with three
        // hardness tests at A's quoted 120.50 each, rated 5; one completed
        // in 2024 (another year), rated 1.
        let data = app
            .gql_ok(
                Some(&s.staff),
                "mutation($input: CreateTestItemInput!) { createTestItem(input: $input) { testItem { id } } }",
                json!({"input": {"centerId": c1, "code": "HV-10", "nameZh": "维氏硬度",
                    "nameEn": "Vickers hardness", "unit": "sample", "priceInternal": "50",
                    "priceGroup": "80", "priceExternal": "120.5"}}),
            )
            .await;
        let hv = raw_id(&common::text(&data["createTestItem"]["testItem"]["id"]));
        for (completed, score) in [(at(2025, 8, 1, 2), 5), (at(2024, 8, 1, 2), 1)] {
            let order = service_orders::ActiveModel {
                center_organization_id: Set(raw_id(&s.institute)),
                center_id: Set(Some(raw_id(&c1))),
                client_organization_id: Set(org_a),
                requested_by: Set(a),
                samples: Set("3 件轴承 bearings".into()),
                test_items: Set("硬度 hardness".into()),
                standards: Set(String::new()),
                required_by: Set(completed),
                status: Set("COMPLETED".into()),
                quote_note: Set(None),
                quoted_at: Set(Some(completed)),
                created_at: Set(completed),
                updated_at: Set(completed),
                ..Default::default()
            }
            .insert(&db)
            .await
            .unwrap();
            service_order_item_lines::ActiveModel {
                order_id: Set(order.id),
                test_item_id: Set(hv),
                quantity: Set(3),
                tier: Set("EXTERNAL".into()),
                unit_price_cents: Set(12_050),
                amount_cents: Set(36_150),
                ..Default::default()
            }
            .insert(&db)
            .await
            .unwrap();
            service_order_events::ActiveModel {
                order_id: Set(order.id),
                actor_id: Set(None),
                from_status: Set(Some("IN_PROGRESS".into())),
                to_status: Set("COMPLETED".into()),
                note: Set(String::new()),
                created_at: Set(completed),
                ..Default::default()
            }
            .insert(&db)
            .await
            .unwrap();
            service_order_ratings::ActiveModel {
                order_id: Set(order.id),
                user_id: Set(a),
                score: Set(score),
                comment: Set(String::new()),
                created_at: Set(completed),
                ..Default::default()
            }
            .insert(&db)
            .await
            .unwrap();
        }

        // By hand. SEM: used 2 + 1 + 3 + 1 = 7 h, external 2 (A) + 1 (B);
        // users a, u, clerk, b; outside A and B; 4 h × 100 + 3 h × 300.
        let sem_f = figures(7.0, 3.0, 4, 2, ("1300.00", 0), 2, (2, 8));
        // CT: 2 + 1 + 1 = 4 h, all external (B, A's plant, A); users b, a;
        // outside B and A; 4 h × 500.
        let ct_f = figures(4.0, 4.0, 2, 2, ("2000.00", 0), 0, (0, 0));
        // Center 1: 11 h, 7 external; users a, u, clerk, b once each; the
        // 2025 order's tests (361.50) and rating (5) added.
        let c1_f = figures(11.0, 7.0, 4, 2, ("3661.50", 1), 2, (3, 13));
        // XRD: 3 h, 2 external (A); users a, b; 2 h × 150 + 1 h × 50.
        let xrd_f = figures(3.0, 2.0, 2, 1, ("350.00", 0), 0, (1, 2));
        // The platform: 14 h, 9 external; users a, u, clerk, b; outside A
        // and B (B is outside the SEM's owners); the order.
        let platform = figures(14.0, 9.0, 4, 2, ("4011.50", 1), 2, (4, 15));

        let data = app
            .gql_ok(Some(&w.admin), ASSESSMENT, json!({"year": 2025}))
            .await;
        let report = &data["assessment"];
        assert_eq!(report["year"], 2025);
        assert_eq!(report["total"], platform, "{report}");
        let centers = report["centers"].as_array().unwrap();
        let center = |id: &str| {
            centers
                .iter()
                .find(|c| c["center"]["id"] == id)
                .unwrap_or_else(|| panic!("{id}: {report}"))
        };
        assert_eq!(center(&c1)["figures"], c1_f);
        assert_eq!(center(&c2)["figures"], xrd_f);
        let of = |c: &Value, id: &str| {
            c["instruments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["instrument"]["id"] == id)
                .unwrap()["figures"]
                .clone()
        };
        assert_eq!(of(center(&c1), &sem), sem_f);
        assert_eq!(of(center(&c1), &ct), ct_f);
        assert_eq!(of(center(&c2), &xrd), xrd_f);

        // The institute's staff: their center only; B's is refused.
        let data = app
            .gql_ok(Some(&s.staff), ASSESSMENT, json!({"year": 2025}))
            .await;
        let ids: Vec<&Value> = data["assessment"]["centers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| &c["center"]["id"])
            .collect();
        assert_eq!(ids, vec![&json!(c1)]);
        assert_eq!(data["assessment"]["total"], c1_f);
        app.gql_err(
            Some(&s.staff),
            ASSESSMENT,
            json!({"year": 2025, "center": c2}),
            "FORBIDDEN",
        )
        .await;
        // A plain member, and anonymous visitors, are refused; so is a
        // year out of range.
        app.gql_err(Some(&w.a), ASSESSMENT, json!({"year": 2025}), "FORBIDDEN")
            .await;
        app.gql_err(None, ASSESSMENT, json!({"year": 2025}), "UNAUTHENTICATED")
            .await;
        app.gql_err(
            Some(&w.admin),
            ASSESSMENT,
            json!({"year": 1999}),
            "BAD_USER_INPUT",
        )
        .await;

        // The CSV the center hands in: the same numbers.
        let path = format!("/api/v1/centers/{c1}/assessment.csv?year=2025");
        let res = app.get_as(&path, &s.staff).await;
        assert_eq!(res.status(), 200);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let body = res.bytes().await.unwrap();
        assert!(body.starts_with("\u{feff}".as_bytes()));
        let mut reader = csv::Reader::from_reader(&body[3..]);
        assert_eq!(
            reader.headers().unwrap(),
            vec![
                "scope",
                "id",
                "name",
                "registration_number",
                "original_value",
                "purchase_date",
                "effective_hours",
                "external_hours",
                "sharing_rate_percent",
                "users",
                "outside_organizations",
                "income",
                "service_orders",
                "training_sessions",
                "ratings",
                "rating_average"
            ]
        );
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(
            rows[0][..3],
            [
                "CENTER".to_owned(),
                c1.clone(),
                "机械分析测试中心 MATC".to_owned()
            ]
        );
        assert_eq!(
            rows[0][6..],
            [
                "11", "7", "63.64", "4", "2", "3661.50", "1", "2", "3", "4.33"
            ]
            .map(str::to_owned)
        );
        let sem_row = rows.iter().find(|r| r[1] == sem).unwrap();
        assert_eq!(
            sem_row[2..],
            [
                "扫描电镜 SEM",
                "REG-扫描电镜 SEM",
                "1500000.00",
                "2019-06-30",
                "7",
                "3",
                "42.86",
                "4",
                "2",
                "1300.00",
                "0",
                "2",
                "2",
                "4.00"
            ]
            .map(str::to_owned)
        );
        let ct_row = rows.iter().find(|r| r[1] == ct).unwrap();
        assert_eq!(
            ct_row[6..],
            ["4", "4", "100.00", "2", "2", "2000.00", "0", "0", "0", ""].map(str::to_owned)
        );

        // The same as a workbook: one sheet, the same header, figures as
        // numbers, text as text.
        let xlsx = format!("/api/v1/centers/{c1}/assessment.xlsx?year=2025");
        let res = app.get_as(&xlsx, &s.staff).await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["content-type"].to_str().unwrap(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("center-assessment-2025.xlsx")
        );
        let body = res.bytes().await.unwrap();
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(body.to_vec())).unwrap();
        use calamine::{Data, Reader};
        assert_eq!(book.sheet_names(), vec!["Assessment 2025".to_owned()]);
        let sheet = book.worksheet_range("Assessment 2025").unwrap();
        let cells: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
        assert_eq!(cells.len(), 4, "{cells:?}");
        assert_eq!(
            cells[0].iter().map(ToString::to_string).collect::<Vec<_>>(),
            reader.headers().unwrap().iter().collect::<Vec<_>>()
        );
        let center_row = &cells[1];
        assert_eq!(center_row[0], Data::String("CENTER".into()));
        assert_eq!(center_row[2], Data::String("机械分析测试中心 MATC".into()));
        assert_eq!(
            center_row[6..],
            [
                Data::Float(11.0),
                Data::Float(7.0),
                Data::Float(7.0 / 11.0 * 100.0),
                Data::Float(4.0),
                Data::Float(2.0),
                Data::Float(3661.5),
                Data::Float(1.0),
                Data::Float(2.0),
                Data::Float(3.0),
                Data::Float(13.0 / 3.0),
            ]
        );
        let sem_cells = cells
            .iter()
            .find(|r| r[1] == Data::String(sem.clone()))
            .unwrap();
        assert_eq!(sem_cells[3], Data::String("REG-扫描电镜 SEM".into()));
        assert_eq!(sem_cells[4], Data::Float(1_500_000.0));
        assert_eq!(sem_cells[5], Data::String("2019-06-30".into()));
        let ct_cells = cells
            .iter()
            .find(|r| r[1] == Data::String(ct.clone()))
            .unwrap();
        assert_eq!(ct_cells[15], Data::Empty, "no rating, no average");
        assert_eq!(app.get(&xlsx).await.status(), 401);
        assert_eq!(app.get_as(&xlsx, &w.a).await.status(), 403);
        // Refused as over GraphQL.
        assert_eq!(app.get(&path).await.status(), 401);
        assert_eq!(app.get_as(&path, &w.a).await.status(), 403);
        let other = format!("/api/v1/centers/{c2}/assessment.csv?year=2025");
        assert_eq!(app.get_as(&other, &s.staff).await.status(), 403);
        assert_eq!(app.get_as(&other, &w.admin).await.status(), 200);
    }
);

e2e!(
    anonymous_visitors_browse_and_search_the_public_catalogue,
    |app| async move {
        let s = setup(&app).await;
        let c1 = create_center(
            &app,
            &s.staff,
            &s.institute,
            "机械分析测试中心 MATC",
            &[&s.college],
        )
        .await;
        let sem = create_instrument(
            &app,
            &s.staff,
            &s.institute,
            &c1,
            "场发射扫描电子显微镜 Field-emission SEM",
            ("100", "300"),
            true,
            "断口形貌观察 fracture surfaces of bearings",
        )
        .await;
        let ct = create_instrument(
            &app,
            &s.staff,
            &s.institute,
            &c1,
            "工业 CT Industrial CT",
            ("200", "500"),
            false,
            "铸件孔隙分析 porosity of castings",
        )
        .await;

        // The catalogue: public instruments only, with their center, rates
        // and free slots.
        let tomorrow = (Utc::now() + chrono::Duration::days(1)).date_naive();
        let (from, to) = (
            format!("{tomorrow}T08:00:00Z"),
            format!("{tomorrow}T10:00:00Z"),
        );
        let list = "query($f: DateTime!, $t: DateTime!, $q: String) { instruments(first: 10, filter: {search: $q}) {
          totalCount nodes { id name public rateExternal { amount } center { name cobuilders { id } }
            availability(from: $f, to: $t) { start end } } } }";
        let data = app.gql_ok(None, list, json!({"f": from, "t": to})).await;
        assert_eq!(data["instruments"]["totalCount"], 1, "{data}");
        let node = &data["instruments"]["nodes"][0];
        assert_eq!(node["id"], sem);
        assert_eq!(node["rateExternal"]["amount"], "300.00");
        assert_eq!(
            node["center"],
            json!({"name": "机械分析测试中心 MATC", "cobuilders": [{"id": s.college}]})
        );
        assert_eq!(
            node["availability"],
            json!([{"start": from, "end": to}]),
            "{data}"
        );
        // Signed in: both.
        let data = app
            .gql_ok(Some(&s.w.b), list, json!({"f": from, "t": to}))
            .await;
        assert_eq!(data["instruments"]["totalCount"], 2, "{data}");

        // The search analyses Chinese and English as the matching engine
        // does (segmentation, stemming).
        for (who, q, expected) in [
            (None, "显微镜", vec![sem.clone()]),
            (None, "SEM bearing", vec![sem.clone()]),
            (None, "fractured", vec![sem.clone()]),
            (None, "castings", vec![]),
            (Some(&s.w.b), "castings", vec![ct.clone()]),
            (Some(&s.w.b), "CT 孔隙", vec![ct.clone()]),
            (Some(&s.w.b), "显微镜 castings", vec![]),
        ] {
            let data = app
                .gql_ok(
                    who.map(String::as_str),
                    list,
                    json!({"f": from, "t": to, "q": q}),
                )
                .await;
            let ids: Vec<String> = data["instruments"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| text(&n["id"]))
                .collect();
            assert_eq!(ids, expected, "{q}");
        }

        // One instrument: the public one; any other id is refused as
        // before the catalogue was public.
        let one = "query($id: ID!) { instrument(id: $id) { name center { name } } }";
        let data = app.gql_ok(None, one, json!({"id": sem})).await;
        assert_eq!(
            data["instrument"]["center"]["name"],
            "机械分析测试中心 MATC"
        );
        app.gql_err(None, one, json!({"id": ct}), "UNAUTHENTICATED")
            .await;
        let missing = URL_SAFE_NO_PAD.encode("Instrument:999999");
        app.gql_err(None, one, json!({"id": missing}), "UNAUTHENTICATED")
            .await;
        let node = "query($id: ID!) { node(id: $id) { id } }";
        app.gql_err(None, node, json!({"id": ct}), "UNAUTHENTICATED")
            .await;
        // What the staff see stays theirs.
        app.gql_err(
            None,
            "query($id: ID!) { instrument(id: $id) { qualifications { valid } } }",
            json!({"id": sem}),
            "UNAUTHENTICATED",
        )
        .await;
        // The centers are public.
        let data = app
            .gql_ok(
                None,
                "{ testingCenters(first: 10) { totalCount nodes { id name } } }",
                json!({}),
            )
            .await;
        assert!(
            data["testingCenters"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["id"] == c1),
            "{data}"
        );

        // REST alike.
        let res = app
            .get("/api/v1/instruments?search=%E6%98%BE%E5%BE%AE%E9%95%9C")
            .await;
        assert_eq!(res.status(), 200);
        let page: Value = res.json().await.unwrap();
        let ids: Vec<String> = page["items"]
            .as_array()
            .unwrap_or_else(|| panic!("{page}"))
            .iter()
            .map(|i| text(&i["id"]))
            .collect();
        assert_eq!(ids, vec![sem.clone()], "{page}");
        let res = app.get("/api/v1/instruments").await;
        let page: Value = res.json().await.unwrap();
        assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
        assert_eq!(page["items"][0]["centerId"], c1);
        assert_eq!(
            app.get(&format!("/api/v1/instruments/{sem}"))
                .await
                .status(),
            200
        );
        assert_eq!(
            app.get(&format!("/api/v1/instruments/{ct}")).await.status(),
            401
        );

        // Booking still needs sign-in.
        let start = (Utc::now() + chrono::Duration::days(2)).date_naive();
        app.gql_err(
            None,
            "mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { id } } }",
            json!({"input": {"instrumentId": sem, "start": format!("{start}T09:00:00Z"),
                "end": format!("{start}T10:00:00Z"), "purpose": "x"}}),
            "UNAUTHENTICATED",
        )
        .await;
    }
);

e2e!(
    centers_owners_and_legal_entities_follow_their_rules,
    |app| async move {
        let s = setup(&app).await;
        let w = &s.w;
        // Only the running organisation's admins (or ADMIN) register a
        // center; it cannot co-build itself.
        app.gql_err(
            Some(&w.a),
            CREATE_CENTER,
            json!({"input": {"organizationId": s.institute, "name": "x"}}),
            "FORBIDDEN",
        )
        .await;
        let res = app.gql(Some(&s.staff), CREATE_CENTER,
            json!({"input": {"organizationId": s.institute, "name": "x", "cobuilderIds": [s.institute]}})).await;
        common::assert_code(&res, "BAD_USER_INPUT");
        let res = app
            .gql(
                Some(&s.staff),
                CREATE_CENTER,
                json!({"input": {"organizationId": s.institute, "name": " "}}),
            )
            .await;
        common::assert_code(&res, "BAD_USER_INPUT");
        let c1 = create_center(
            &app,
            &s.staff,
            &s.institute,
            "机械分析测试中心 MATC",
            &[&s.college],
        )
        .await;

        // Renaming and co-builders: the center's managers only.
        let update =
            "mutation($input: UpdateTestingCenterInput!) { updateTestingCenter(input: $input) {
          testingCenter { name cobuilders { id } viewerManages } } }";
        app.gql_err(
            Some(&w.u),
            update,
            json!({"input": {"id": c1, "name": "y"}}),
            "FORBIDDEN",
        )
        .await;
        let data = app
            .gql_ok(
                Some(&s.staff),
                update,
                json!({"input": {"id": c1, "cobuilderIds": [s.college, w.org_b]}}),
            )
            .await;
        // Ascending ids: enterprise B was registered before the college.
        assert_eq!(
            data["updateTestingCenter"]["testingCenter"]["cobuilders"],
            json!([{"id": w.org_b}, {"id": s.college}])
        );
        assert_eq!(
            data["updateTestingCenter"]["testingCenter"]["name"],
            "机械分析测试中心 MATC"
        );
        assert_eq!(
            data["updateTestingCenter"]["testingCenter"]["viewerManages"],
            true
        );

        // An instrument joins a center its legal entity runs or co-builds:
        // not enterprise A's.
        let res = app.gql(Some(&w.admin), CREATE_INSTRUMENT,
            json!({"input": {"organizationId": w.org_a, "centerId": c1, "name": "x", "category": "SEM",
                "rateInternal": "1", "rateExternal": "1"}})).await;
        common::assert_code(&res, "BAD_USER_INPUT");
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"], "input.centerId",
            "{res}"
        );
        // Without a center: the default center of its legal entity (the
        // group's), made on first use; owned by its organisation alone.
        let data = app.gql_ok(Some(&s.staff), CREATE_INSTRUMENT,
            json!({"input": {"organizationId": s.institute, "name": "万能试验机 UTM", "category": "TESTING",
                "rateInternal": "1", "rateExternal": "2"}})).await;
        let made = &data["createInstrument"]["instrument"];
        assert_ne!(made["center"]["id"], c1);
        assert_eq!(
            made["owners"],
            json!([{"organization": {"id": s.institute}, "sharePercent": 100}])
        );
        assert_eq!(made["public"], false);
        let sem = create_instrument(
            &app,
            &s.staff,
            &s.institute,
            &c1,
            "SEM",
            ("1", "2"),
            false,
            "",
        )
        .await;

        // Owners: shares of 100 %, each once, within the center's legal
        // entities (B co-builds now; A does not).
        let owners = |list: Value| json!({"input": {"instrumentId": sem, "owners": list}});
        for (list, why) in [
            (
                json!([{"organizationId": s.institute, "sharePercent": 60}, {"organizationId": s.college, "sharePercent": 30}]),
                "instrument.owners.share_total",
            ),
            (
                json!([{"organizationId": s.institute, "sharePercent": 0}, {"organizationId": s.college, "sharePercent": 100}]),
                "instrument.owners.share_range",
            ),
            (
                json!([{"organizationId": s.institute, "sharePercent": 50}, {"organizationId": s.institute, "sharePercent": 50}]),
                "instrument.owners.repeated",
            ),
            (
                json!([{"organizationId": s.institute, "sharePercent": 50}, {"organizationId": w.org_a, "sharePercent": 50}]),
                "instrument.owners.outside_center",
            ),
            (json!([]), "instrument.owners.count"),
        ] {
            let res = app.gql(Some(&s.staff), SET_OWNERS, owners(list)).await;
            common::assert_code_why(&res, "BAD_USER_INPUT", why);
            let field = &res["errors"][0]["extensions"]["fields"][0];
            assert_eq!(field["field"], "input.owners", "{why}: {res}");
            assert_eq!(field["key"], why, "{res}");
        }
        app.gql_err(
            Some(&w.u),
            SET_OWNERS,
            owners(json!([{"organizationId": s.college, "sharePercent": 100}])),
            "FORBIDDEN",
        )
        .await;
        let data = app
            .gql_ok(
                Some(&s.staff),
                SET_OWNERS,
                owners(json!([
            {"organizationId": w.org_b, "sharePercent": 25},
            {"organizationId": s.college, "sharePercent": 75}])),
            )
            .await;
        assert_eq!(
            data["setInstrumentOwners"]["owners"],
            json!([{"organization": {"id": s.college}, "sharePercent": 75},
                {"organization": {"id": w.org_b}, "sharePercent": 25}])
        );

        // Legal entities: new top-level organisations are, their children
        // are not; platform staff change that.
        let q = "query($id: ID!) { node(id: $id) { ... on Organization { legalEntity } } }";
        for (org, expected) in [(&w.org_a, true), (&s.plant, false)] {
            let data = app.gql_ok(Some(&w.a), q, json!({"id": org})).await;
            assert_eq!(data["node"]["legalEntity"], expected);
        }
        let mark = "mutation($input: SetOrganizationLegalEntityInput!) { setOrganizationLegalEntity(input: $input) {
          organization { legalEntity } } }";
        app.gql_err(
            Some(&w.a),
            mark,
            json!({"input": {"organizationId": s.plant, "legalEntity": true}}),
            "FORBIDDEN",
        )
        .await;
        let data = app
            .gql_ok(
                Some(&w.admin),
                mark,
                json!({"input": {"organizationId": s.plant, "legalEntity": true}}),
            )
            .await;
        assert_eq!(
            data["setOrganizationLegalEntity"]["organization"]["legalEntity"],
            true
        );
    }
);

e2e!(
    a_testing_need_is_matched_to_instruments_and_its_suggestions_carry_them,
    |app| async move {
        use crate::fixtures::{CREATE_CAPABILITY, CREATE_NEED};
        let s = setup(&app).await;
        let w = &s.w;
        let c1 = create_center(
            &app,
            &s.staff,
            &s.institute,
            "机械分析测试中心 MATC",
            &[&s.college],
        )
        .await;
        // The SEM is public and co-owned by the university's college; the
        // CT is the institute's alone and not public; the press fits nothing.
        let sem = create_instrument(
            &app,
            &s.staff,
            &s.institute,
            &c1,
            "扫描电镜 SEM",
            ("100", "300"),
            true,
            "断口形貌观察 fractography of bearings",
        )
        .await;
        let ct = create_instrument(
            &app,
            &s.staff,
            &s.institute,
            &c1,
            "工业 CT",
            ("200", "500"),
            false,
            "轴承内部缺陷 internal defects of bearing castings",
        )
        .await;
        create_instrument(
            &app,
            &s.staff,
            &s.institute,
            &c1,
            "压力机 Press",
            ("10", "20"),
            true,
            "stamping",
        )
        .await;
        app.gql_ok(
            Some(&s.staff),
            SET_OWNERS,
            json!({"input": {"instrumentId": sem, "owners": [
            {"organizationId": s.institute, "sharePercent": 60},
            {"organizationId": s.college, "sharePercent": 40}]}}),
        )
        .await;

        let need = |modes: Value| {
            json!({"input": {"organizationId": w.org_a,
            "title": "轴承断口失效分析 Bearing fracture failure analysis",
            "description": "失效轴承的断口需要电镜观察 SEM fractography of failed bearings",
            "keywords": ["bearing", "断口"], "disciplineCodes": ["460"], "trlRequired": 5,
            "cooperationModes": modes, "visibility": "PUBLIC"}})
        };
        let mut ids = Vec::new();
        for modes in [
            json!(["TESTING", "JOINT_RESEARCH"]),
            json!(["JOINT_RESEARCH"]),
        ] {
            let data = app.gql_ok(Some(&w.a), CREATE_NEED, need(modes)).await;
            let id = text(&data["createNeed"]["need"]["id"]);
            app.gql_ok(
                Some(&w.a),
                "mutation($id: ID!) { publishNeed(input: {id: $id}) { need { status } } }",
                json!({"id": id}),
            )
            .await;
            ids.push(id);
        }
        let (testing, research) = (&ids[0], &ids[1]);

        let q = "query($id: ID!) { need(id: $id) { matchingInstruments { instrument { id } score matchedTerms } } }";
        let found = |data: &Value| -> Vec<String> {
            data["need"]["matchingInstruments"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| text(&m["instrument"]["id"]))
                .collect()
        };
        // Signed in: both instruments that fit, the SEM first (more of the
        // need's words); anonymous visitors: the public SEM only.
        let data = app.gql_ok(Some(&w.b), q, json!({"id": testing})).await;
        assert_eq!(found(&data), vec![sem.clone(), ct.clone()], "{data}");
        let first = &data["need"]["matchingInstruments"][0];
        let terms: Vec<&str> = first["matchedTerms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(terms.contains(&"sem") && terms.contains(&"断口"), "{first}");
        assert!(
            first["score"].as_f64().unwrap()
                > data["need"]["matchingInstruments"][1]["score"]
                    .as_f64()
                    .unwrap()
        );
        let data = app.gql_ok(None, q, json!({"id": testing})).await;
        assert_eq!(found(&data), vec![sem.clone()], "{data}");
        // A need that does not ask for testing: none.
        let data = app.gql_ok(Some(&w.b), q, json!({"id": research})).await;
        assert_eq!(found(&data), Vec::<String>::new());

        // The university's lab offers bearing failure analysis: its
        // suggestion carries the instruments of its legal entity (the SEM it
        // co-owns, not the institute's CT).
        let data = app.gql_ok(Some(&w.u), CREATE_CAPABILITY,
            json!({"input": {"organizationId": w.org_u, "title": "轴承断口失效分析 bearing fracture failure analysis",
                "summary": "断口 fractography, failure analysis of bearings", "keywords": ["bearing", "断口"],
                "disciplineCodes": ["460"], "trl": 6}})).await;
        let capability = text(&data["createCapability"]["capability"]["id"]);
        app.gql_ok(
            Some(&w.u),
            "mutation($id: ID!) { publishCapability(input: {id: $id}) { capability { id } } }",
            json!({"id": capability}),
        )
        .await;
        let q = "query($id: ID!) { need(id: $id) { matches(first: 20) { nodes { capability { id }
          instruments { instrument { id } matchedTerms } } } } }";
        let data = app.gql_ok(Some(&w.a), q, json!({"id": testing})).await;
        let suggestion = data["need"]["matches"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["capability"]["id"] == capability)
            .unwrap_or_else(|| panic!("{data}"));
        let instruments: Vec<String> = suggestion["instruments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| text(&i["instrument"]["id"]))
            .collect();
        assert_eq!(instruments, vec![sem.clone()], "{data}");
        let data = app.gql_ok(Some(&w.a), q, json!({"id": research})).await;
        for m in data["need"]["matches"]["nodes"].as_array().unwrap() {
            assert_eq!(m["instruments"], json!([]), "{data}");
        }
    }
);
