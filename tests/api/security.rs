//! Tokens that must not pass, roles that must not be enough, and database
//! failures that must not leak.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

use crate::common::{self, Backend, TestApp};
use crate::fixtures::{CREATE_ORG, World};

/// The secret the harness configures.
const SECRET: &str = "test secret that is long enough for HS256";

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn sign(alg: Algorithm, key: &str, claims: &Value) -> String {
    encode(
        &Header::new(alg),
        claims,
        &EncodingKey::from_secret(key.as_bytes()),
    )
    .unwrap()
}

async fn me_status(app: &TestApp, token: &str) -> (u16, Value) {
    let res = app
        .post_json("/graphql", json!({"query": "{ me { id } }"}), Some(token))
        .await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

e2e!(jwt_matrix_over_http, |app| async move {
    let w = World::new(&app).await;
    // A valid token for a's user id, to copy the subject from.
    let data = app.gql_ok(Some(&w.a), "{ me { id } }", json!({})).await;
    let raw = String::from_utf8(
        URL_SAFE_NO_PAD
            .decode(data["me"]["id"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    let sub = raw.split(':').nth(1).unwrap().to_owned();
    let good = json!({"sub": sub, "iss": "iurhub", "aud": "iurhub-api", "iat": now(),
        "exp": now() + 600, "typ": "access"});
    let (status, body) = me_status(&app, &sign(Algorithm::HS256, SECRET, &good)).await;
    assert_eq!(status, 200, "the control token works: {body}");
    assert!(body["data"]["me"]["id"].is_string());

    let with = |patch: Value| {
        let mut c = good.clone();
        for (k, v) in patch.as_object().unwrap() {
            if v.is_null() {
                c.as_object_mut().unwrap().remove(k);
            } else {
                c[k] = v.clone();
            }
        }
        c
    };
    let none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(good.to_string())
    );
    let cases = [
        ("alg none", none),
        ("HS512", sign(Algorithm::HS512, SECRET, &good)),
        (
            "another key",
            sign(
                Algorithm::HS256,
                "another secret that is long enough!!",
                &good,
            ),
        ),
        (
            "expired beyond the leeway",
            sign(Algorithm::HS256, SECRET, &with(json!({"exp": now() - 120}))),
        ),
        (
            "wrong iss",
            sign(
                Algorithm::HS256,
                SECRET,
                &with(json!({"iss": "someone-else"})),
            ),
        ),
        (
            "wrong aud",
            sign(Algorithm::HS256, SECRET, &with(json!({"aud": "other-api"}))),
        ),
        (
            "no exp",
            sign(Algorithm::HS256, SECRET, &with(json!({"exp": null}))),
        ),
        (
            "string exp",
            sign(
                Algorithm::HS256,
                SECRET,
                &with(json!({"exp": (now() + 600).to_string()})),
            ),
        ),
        (
            "not an access token",
            sign(Algorithm::HS256, SECRET, &with(json!({"typ": "refresh"}))),
        ),
        (
            "a user that does not exist",
            sign(Algorithm::HS256, SECRET, &with(json!({"sub": "987654321"}))),
        ),
    ];
    for (why, token) in cases {
        let (status, body) = me_status(&app, &token).await;
        assert_eq!(status, 401, "{why}: {body}");
        assert_eq!(
            common::error_code(&body).as_deref(),
            Some("UNAUTHENTICATED"),
            "{why}"
        );
    }

    // A refresh token is not an access token.
    let res = app
        .post_login("a@enterprise-a.test", common::DEFAULT_PASSWORD)
        .await;
    let pair: Value = res.json().await.unwrap();
    let (status, _) = me_status(&app, pair["refreshToken"].as_str().unwrap()).await;
    assert_eq!(status, 401);

    // Staff-only mutation with a member token: FORBIDDEN.
    app.gql_err(
        Some(&w.a),
        CREATE_ORG,
        json!({"input": {"name": "Rogue", "kind": "ENTERPRISE"}}),
        "FORBIDDEN",
    )
    .await;
});

e2e!(database_failures_are_masked, |app| async move {
    use sea_orm::{ConnectionTrait, Database};
    let w = World::new(&app).await;
    // Break the database under the running server.
    let db = Database::connect(app.database_url.as_str()).await.unwrap();
    let sql = match app.backend {
        Backend::Sqlite => "DROP TABLE talent_disciplines",
        Backend::Postgres => "DROP TABLE talent_disciplines CASCADE",
    };
    db.execute_unprepared(sql).await.unwrap();

    let res = app
        .post_json(
            "/graphql",
            json!({"query": "{ talents(first: 5, filter: {disciplineCode: \"460\"}) { totalCount } }"}),
            Some(&w.u),
        )
        .await;
    let request_id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    let body: Value = res.json().await.unwrap();
    common::assert_code(&body, "INTERNAL_SERVER_ERROR");
    assert_eq!(body["errors"][0]["extensions"]["requestId"], request_id);
    let text = body.to_string().to_lowercase();
    for leak in [
        "talent_disciplines",
        "select",
        "sqlite",
        "postgres",
        "no such table",
        "relation",
        ".rs",
    ] {
        assert!(!text.contains(leak), "leaks {leak:?}: {body}");
    }

    let res = app.get_as("/api/v1/talents?disciplineCode=460", &w.u).await;
    assert_eq!(res.status().as_u16(), 500);
    let request_id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "INTERNAL_SERVER_ERROR");
    assert_eq!(body["requestId"], request_id);
    let text = body.to_string().to_lowercase();
    assert!(
        !text.contains("talent_disciplines") && !text.contains("select"),
        "{body}"
    );
});
