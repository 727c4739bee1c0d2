//! Testing centers, instrument owners and the assessment: centers are
//! public, an instrument's center and owners are what its readers see, the
//! assessment is its centers' admins' and the platform readers' alone, and
//! only a center's managers, an instrument's staff and platform staff
//! change centers, owners and legal entities.

use chrono::{Datelike, Utc};
use serde_json::json;

use crate::world::*;

const OF_INSTRUMENT: &str = "query($id: ID!) { instrument(id: $id) {
  center { id name } owners { organization { id } sharePercent } } }";

const ASSESSMENT: &str =
    "query($year: Int!, $center: ID) { assessment(year: $year, centerId: $center) {
  total { effectiveHours users }
  centers { center { id } figures { effectiveHours users }
    instruments { instrument { id } figures { effectiveHours externalHours } } } } }";

e2e!(
    centers_owners_and_the_assessment_keep_tenants_apart,
    |app| async move {
        let t = Tenants::build(&app).await;
        let year = Utc::now().year();

        // Instrument.center and Instrument.owners: for whoever reads the
        // instrument (U's is not public: anonymous callers are refused).
        let data = t
            .ok(Who::UStaff, OF_INSTRUMENT, json!({"id": t.instrument}))
            .await;
        let center = crate::common::text(&data["instrument"]["center"]["id"]);
        let owners = json!([{"organization": {"id": t.w.org_u}, "sharePercent": 100}]);
        assert_eq!(data["instrument"]["owners"], owners);
        for who in SIGNED_IN {
            let data = t.ok(who, OF_INSTRUMENT, json!({"id": t.instrument})).await;
            assert_eq!(data["instrument"]["center"]["id"], center, "{who:?}");
            assert_eq!(data["instrument"]["owners"], owners, "{who:?}");
        }
        t.refused(
            Who::Anon,
            OF_INSTRUMENT,
            json!({"id": t.instrument}),
            "UNAUTHENTICATED",
        )
        .await;

        // testingCenter, testingCenters: public.
        for who in [Who::Anon, Who::A, Who::B] {
            let data = t
                .ok(who, "query($id: ID!) { testingCenter(id: $id) { id organization { id } } testingCenters(first: 50) { nodes { id } } }",
                    json!({"id": center}))
                .await;
            assert_eq!(data["testingCenter"]["organization"]["id"], t.w.org_u);
            assert!(
                data["testingCenters"]["nodes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c["id"] == center)
            );
        }

        // assessment: U's center for U's staff; the platform for platform
        // staff and supervisors; nobody else.
        let data = t.ok(Who::UStaff, ASSESSMENT, json!({"year": year})).await;
        let centers = data["assessment"]["centers"].as_array().unwrap();
        assert_eq!(centers.len(), 1, "{data}");
        assert_eq!(centers[0]["center"]["id"], center);
        assert_eq!(
            centers[0]["instruments"][0]["instrument"]["id"],
            t.instrument
        );
        assert!(centers[0]["figures"]["users"].is_number());
        assert!(data["assessment"]["total"]["effectiveHours"].is_number());
        for who in [Who::Admin, Who::PCoord, Who::ASup] {
            let data = t
                .ok(who, ASSESSMENT, json!({"year": year, "center": center}))
                .await;
            assert_eq!(
                data["assessment"]["centers"][0]["center"]["id"], center,
                "{who:?}"
            );
        }
        for who in [Who::A, Who::B, Who::U, Who::UCoord] {
            t.refused(who, ASSESSMENT, json!({"year": year}), "FORBIDDEN")
                .await;
            t.refused(
                who,
                ASSESSMENT,
                json!({"year": year, "center": center}),
                "FORBIDDEN",
            )
            .await;
        }
        t.refused(
            Who::Anon,
            ASSESSMENT,
            json!({"year": year}),
            "UNAUTHENTICATED",
        )
        .await;

        // The assessment CSV and XLSX: the same readers.
        for file in ["/assessment.csv", "/assessment.xlsx"] {
            let path = format!("/api/v1/centers/{center}{file}?year={year}");
            assert_eq!(t.rest(Who::UStaff, &path).await.0, 200);
            assert_eq!(t.rest(Who::Admin, &path).await.0, 200);
            for who in [Who::A, Who::B, Who::U] {
                assert_eq!(t.rest(who, &path).await.0, 403, "{who:?} {file}");
            }
            assert_eq!(t.rest(Who::Anon, &path).await.0, 401);
        }

        // createTestingCenter / updateTestingCenter: the running
        // organisation's admins.
        let create = "mutation($input: CreateTestingCenterInput!) { createTestingCenter(input: $input) { testingCenter { id } } }";
        let for_u = json!({"input": {"organizationId": t.w.org_u, "name": "U 分析中心"}});
        for who in [Who::A, Who::B, Who::U, Who::UCoord, Who::ASup] {
            t.refused(who, create, for_u.clone(), "FORBIDDEN").await;
        }
        t.refused(Who::Anon, create, for_u.clone(), "UNAUTHENTICATED")
            .await;
        let update = "mutation($input: UpdateTestingCenterInput!) { updateTestingCenter(input: $input) { testingCenter { name } } }";
        let rename = json!({"input": {"id": center, "name": "改名 renamed"}});
        for who in [Who::A, Who::B, Who::U, Who::ASup] {
            t.refused(who, update, rename.clone(), "FORBIDDEN").await;
        }
        let data = t.ok(Who::UStaff, create, for_u).await;
        assert!(data["createTestingCenter"]["testingCenter"]["id"].is_string());
        let data = t.ok(Who::UStaff, update, rename).await;
        assert_eq!(
            data["updateTestingCenter"]["testingCenter"]["name"],
            "改名 renamed"
        );

        // setInstrumentOwners: the instrument's staff.
        let set = "mutation($input: SetInstrumentOwnersInput!) { setInstrumentOwners(input: $input) { owners { sharePercent } } }";
        let all_u = json!({"input": {"instrumentId": t.instrument,
            "owners": [{"organizationId": t.w.org_u, "sharePercent": 100}]}});
        for who in [Who::A, Who::B, Who::U, Who::UCoord, Who::ASup] {
            t.refused(who, set, all_u.clone(), "FORBIDDEN").await;
        }
        t.ok(Who::UStaff, set, all_u).await;

        // Need.matchingInstruments and Match.instruments: a TESTING need of
        // A fits U's instrument, which signed-in readers see and anonymous
        // ones (U's instrument is not public) do not.
        let data = t
            .ok(Who::A, crate::fixtures::CREATE_NEED,
                json!({"input": {"organizationId": t.w.org_a, "title": "扫描电镜断口分析 SEM fractography",
                    "description": "需要扫描电镜 SEM", "keywords": ["SEM"], "cooperationModes": ["TESTING"],
                    "visibility": "PUBLIC"}}))
            .await;
        let need = crate::common::text(&data["createNeed"]["need"]["id"]);
        t.ok(
            Who::A,
            "mutation($id: ID!) { publishNeed(input: {id: $id}) { need { status } } }",
            json!({"id": need}),
        )
        .await;
        let q = "query($id: ID!) { need(id: $id) { matchingInstruments { instrument { id } } } }";
        for who in [Who::A, Who::B, Who::U] {
            let data = t.ok(who, q, json!({"id": need})).await;
            assert_eq!(
                data["need"]["matchingInstruments"],
                json!([{"instrument": {"id": t.instrument}}]),
                "{who:?}"
            );
        }
        let data = t.ok(Who::Anon, q, json!({"id": need})).await;
        assert_eq!(data["need"]["matchingInstruments"], json!([]));
        let data = t
            .ok(Who::A, "query($id: ID!) { need(id: $id) { matches(first: 50) { nodes { instruments { instrument { id } } } } } }",
                json!({"id": need}))
            .await;
        for m in data["need"]["matches"]["nodes"].as_array().unwrap() {
            for i in m["instruments"].as_array().unwrap() {
                assert_eq!(i["instrument"]["id"], t.instrument, "{data}");
            }
        }

        // setOrganizationLegalEntity: platform staff.
        let mark = "mutation($input: SetOrganizationLegalEntityInput!) { setOrganizationLegalEntity(input: $input) { organization { legalEntity } } }";
        let input = json!({"input": {"organizationId": t.w.org_u, "legalEntity": true}});
        for who in [Who::A, Who::U, Who::UStaff, Who::UCoord, Who::ASup] {
            t.refused(who, mark, input.clone(), "FORBIDDEN").await;
        }
        let data = t.ok(Who::Admin, mark, input).await;
        assert_eq!(
            data["setOrganizationLegalEntity"]["organization"]["legalEntity"],
            true
        );
    }
);
