//! The REST reads under `/api/v1`: the same visibility as GraphQL, also for
//! lists, filters and the error bodies. Every body is leak-checked.

use serde_json::Value;

use crate::world::*;

fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

fn item_ids(body: &str) -> Vec<String> {
    json_of(body)["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a page: {body}"))
        .iter()
        .map(|i| crate::common::text(&i["id"]))
        .collect()
}

/// GET `path` (an object hidden from `who`) answers exactly like `missing`
/// (an id that names nothing): same status, code and message.
async fn like_missing(t: &Tenants<'_>, who: Who, path: &str, missing: &str, status: u16) {
    let (hidden_status, hidden) = t.rest(who, path).await;
    let (missing_status, absent) = t.rest(who, missing).await;
    assert_eq!(hidden_status, status, "{who:?} GET {path}: {hidden}");
    assert_eq!(missing_status, status, "{who:?} GET {missing}: {absent}");
    let (hidden, absent) = (json_of(&hidden), json_of(&absent));
    assert_eq!(
        (&hidden["code"], &hidden["message"]),
        (&absent["code"], &absent["message"]),
        "{who:?} GET {path}: a hidden object is answered differently from a missing one"
    );
}

e2e!(rest_reads_keep_tenants_apart, |app| async move {
    let t = Tenants::build(&app).await;

    // Needs: lists and filters.
    let (status, body) = t.rest(Who::A, "/api/v1/needs?first=100").await;
    assert_eq!(status, 200);
    for marker in [A_CONF, A_DRAFT, A_WITHDRAWN] {
        assert!(body.contains(marker), "A lists its own needs: {body}");
    }
    for who in [Who::B, Who::U, Who::Anon] {
        let (status, body) = t.rest(who, "/api/v1/needs?first=100").await;
        assert_eq!(status, 200, "{who:?}");
        assert!(item_ids(&body).contains(&t.need_public), "{who:?}");
        let hidden = format!(
            "/api/v1/needs?first=100&organizationId={}&status=DRAFT,WITHDRAWN",
            t.w.org_a
        );
        let (_, body) = t.rest(who, &hidden).await;
        assert_eq!(item_ids(&body), Vec::<String>::new(), "{who:?}");
        let (_, body) = t.rest(who, "/api/v1/needs?keyword=SECRET-A").await;
        assert_eq!(item_ids(&body), Vec::<String>::new(), "{who:?}");
    }
    let (_, body) = t.rest(Who::B, "/api/v1/needs?first=100").await;
    assert!(item_ids(&body).contains(&t.b_need_conf));

    // One need, and its matches.
    let missing_need = format!("/api/v1/needs/{}", missing("Need"));
    let (status, body) = t
        .rest(Who::A, &format!("/api/v1/needs/{}", t.need_conf))
        .await;
    assert_eq!(status, 200);
    assert!(body.contains(A_CONF));
    for who in [Who::B, Who::U, Who::Anon] {
        for need in [&t.need_conf, &t.need_draft, &t.need_withdrawn] {
            like_missing(
                &t,
                who,
                &format!("/api/v1/needs/{need}"),
                &missing_need,
                404,
            )
            .await;
        }
    }
    like_missing(
        &t,
        Who::Anon,
        &format!("/api/v1/needs/{}", t.need_platform),
        &missing_need,
        404,
    )
    .await;
    let (status, body) = t
        .rest(Who::A, &format!("/api/v1/needs/{}/matches", t.need_conf))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        json_of(&body)["items"][0]["capabilityId"],
        t.cap_published.as_str()
    );
    for who in [Who::B, Who::U] {
        like_missing(
            &t,
            who,
            &format!("/api/v1/needs/{}/matches", t.need_conf),
            &format!("/api/v1/needs/{}/matches", missing("Need")),
            404,
        )
        .await;
        let (status, body) = t
            .rest(who, &format!("/api/v1/needs/{}/matches", t.need_public))
            .await;
        assert_eq!(
            (status, json_of(&body)["code"].clone()),
            (403, "FORBIDDEN".into())
        );
    }
    let (status, _) = t
        .rest(
            Who::Anon,
            &format!("/api/v1/needs/{}/matches", t.need_public),
        )
        .await;
    assert_eq!(status, 401);

    // Capabilities.
    let (_, body) = t.rest(Who::U, "/api/v1/capabilities?first=100").await;
    assert!(body.contains(U_DRAFT) && body.contains(U_ARCHIVED));
    let missing_capability = format!("/api/v1/capabilities/{}", missing("Capability"));
    for who in [Who::A, Who::B, Who::Anon] {
        let (status, body) = t.rest(who, "/api/v1/capabilities?first=100").await;
        assert_eq!(status, 200);
        let mut found = item_ids(&body);
        found.sort();
        let mut expected = vec![t.cap_published.clone(), t.cap_declined.clone()];
        expected.sort();
        assert_eq!(found, expected, "{who:?}");
        for capability in [&t.cap_draft, &t.cap_archived] {
            like_missing(
                &t,
                who,
                &format!("/api/v1/capabilities/{capability}"),
                &missing_capability,
                404,
            )
            .await;
        }
    }

    // Talents: signed-in users.
    for path in [
        "/api/v1/talents".to_owned(),
        format!("/api/v1/talents/{}", t.talent_u),
    ] {
        let (status, body) = t.rest(Who::B, &path).await;
        assert_eq!(status, 200, "{path}");
        assert!(body.contains(U_TALENT));
        let (status, _) = t.rest(Who::Anon, &path).await;
        assert_eq!(status, 401, "{path}");
    }

    // Organisations: the public directory; the API's description too.
    let (status, body) = t.rest(Who::Anon, "/api/v1/organizations").await;
    assert_eq!(status, 200);
    assert_eq!(item_ids(&body).len(), 3);
    let (status, body) = t
        .rest(Who::Anon, &format!("/api/v1/organizations/{}", t.w.org_a))
        .await;
    assert_eq!(status, 200);
    assert_eq!(json_of(&body)["id"], t.w.org_a.as_str());
    let (status, _) = t.rest(Who::Anon, "/api/v1/openapi.json").await;
    assert_eq!(status, 200);

    // Projects.
    for (who, expected) in [
        (Who::A, &t.project),
        (Who::U, &t.project),
        (Who::B, &t.b_project),
    ] {
        let (status, body) = t.rest(who, "/api/v1/projects?first=100").await;
        assert_eq!(status, 200);
        assert_eq!(item_ids(&body), vec![expected.clone()], "{who:?}");
    }
    let (_, body) = t
        .rest(
            Who::B,
            &format!("/api/v1/projects?partyOrganizationId={}", t.w.org_a),
        )
        .await;
    assert_eq!(item_ids(&body), Vec::<String>::new());
    let (status, body) = t
        .rest(Who::U, &format!("/api/v1/projects/{}", t.project))
        .await;
    assert_eq!(status, 200);
    assert!(body.contains(AU_PROJECT));
    like_missing(
        &t,
        Who::B,
        &format!("/api/v1/projects/{}", t.project),
        &format!("/api/v1/projects/{}", missing("Project")),
        404,
    )
    .await;
    let (status, _) = t.rest(Who::Anon, "/api/v1/projects").await;
    assert_eq!(status, 401);

    // Instruments: shared with every signed-in user; anonymous callers see
    // the public catalogue, which U's instrument is not part of.
    for path in [
        "/api/v1/instruments".to_owned(),
        format!("/api/v1/instruments/{}", t.instrument),
    ] {
        let (status, _) = t.rest(Who::B, &path).await;
        assert_eq!(status, 200, "{path}");
    }
    let (status, body) = t.rest(Who::Anon, "/api/v1/instruments").await;
    assert_eq!(status, 200);
    assert_eq!(item_ids(&body), Vec::<String>::new());
    let (status, _) = t
        .rest(Who::Anon, &format!("/api/v1/instruments/{}", t.instrument))
        .await;
    assert_eq!(status, 401);
});
