use serde_json::{Value, json};

use crate::common::{self, ADMIN_EMAIL, ADMIN_PASSWORD};

const PASSWORD: &str = "a long enough password";

e2e!(register_login_and_me, |app| async move {
    let res = app
        .register("Li.Ming@Example.CN", PASSWORD, "李明 Li Ming")
        .await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["email"], "li.ming@example.cn", "e-mail is normalised");
    assert_eq!(body["displayName"], "李明 Li Ming");

    let res = app.post_login("li.ming@example.cn", PASSWORD).await;
    assert_eq!(res.status(), 200);
    let tokens: Value = res.json().await.unwrap();
    assert_eq!(tokens["tokenType"], "Bearer");
    assert_eq!(tokens["expiresIn"], 900);
    assert!(tokens["refreshToken"].as_str().unwrap().len() >= 40);
    let access = tokens["accessToken"].as_str().unwrap();
    assert_eq!(access.split('.').count(), 3, "a JWT");

    let me = app
        .gql_ok(
            Some(access),
            "{ me { id displayName email platformRole } }",
            json!({}),
        )
        .await;
    assert_eq!(me["me"]["displayName"], "李明 Li Ming");
    assert_eq!(me["me"]["email"], "li.ming@example.cn");
    assert!(me["me"]["platformRole"].is_null());
    assert_eq!(me["me"]["id"], body["id"]);

    let anonymous = app.gql_ok(None, "{ me { id } }", json!({})).await;
    assert!(anonymous["me"].is_null());
});

e2e!(registration_refuses_bad_input, |app| async move {
    let cases = [
        (
            json!({"email": "not-an-email", "password": PASSWORD, "displayName": "X"}),
            "email",
        ),
        (
            json!({"email": "x@example.cn", "password": "short", "displayName": "X"}),
            "password",
        ),
        (
            json!({"email": "x@example.cn", "password": PASSWORD, "displayName": "  "}),
            "displayName",
        ),
        (
            json!({"email": "x@example.cn", "password": "p".repeat(129), "displayName": "X"}),
            "password",
        ),
        (
            json!({"email": "x@example.cn", "displayName": "X"}),
            "password",
        ),
    ];
    for (body, field) in cases {
        let res = app
            .post_json("/api/v1/auth/register", body.clone(), None)
            .await;
        assert_eq!(res.status(), 400, "{body}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["code"], "BAD_USER_INPUT");
        let fields: Vec<&str> = err["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert!(fields.contains(&field), "{body} → {err}");
    }
    let res = app
        .post_json("/api/v1/auth/register", json!("[1,2"), None)
        .await;
    assert_eq!(res.status(), 400);

    assert_eq!(
        app.register("dup@example.cn", PASSWORD, "A").await.status(),
        201
    );
    let res = app.register("DUP@example.cn", PASSWORD, "B").await;
    assert_eq!(res.status(), 409);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["code"], "CONFLICT");
    assert_eq!(err["fields"][0]["field"], "email");
    assert_eq!(err["fields"][0]["code"], "CONFLICT");
});

e2e!(login_refuses_wrong_credentials_alike, |app| async move {
    app.register("known@example.cn", PASSWORD, "Known").await;
    for (email, password) in [
        ("known@example.cn", "wrong password!!"),
        ("unknown@example.cn", PASSWORD),
        ("", ""),
    ] {
        let res = app.post_login(email, password).await;
        assert_eq!(res.status(), 401);
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["code"], "UNAUTHENTICATED");
        assert_eq!(err["message"], "invalid e-mail or password");
    }
});

e2e!(refresh_rotates_and_rejects_reuse, |app| async move {
    app.register("r@example.cn", PASSWORD, "R").await;
    let first: Value = app
        .post_login("r@example.cn", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let r1 = crate::common::text(&first["refreshToken"]);

    let res = app.post_refresh(&r1).await;
    assert_eq!(res.status(), 200);
    let second: Value = res.json().await.unwrap();
    let r2 = crate::common::text(&second["refreshToken"]);
    assert_ne!(r1, r2, "the refresh token rotates");
    let me = app
        .gql_ok(
            second["accessToken"].as_str(),
            "{ me { displayName } }",
            json!({}),
        )
        .await;
    assert_eq!(me["me"]["displayName"], "R");

    // Replaying the used token fails and ends the whole family, so the
    // legitimate holder of r2 must sign in again.
    let res = app.post_refresh(&r1).await;
    assert_eq!(res.status(), 401);
    let res = app.post_refresh(&r2).await;
    assert_eq!(res.status(), 401);

    let res = app.post_refresh("made-up").await;
    assert_eq!(res.status(), 401);
});

e2e!(logout_revokes_the_refresh_token, |app| async move {
    app.register("l@example.cn", PASSWORD, "L").await;
    let tokens: Value = app
        .post_login("l@example.cn", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let refresh = tokens["refreshToken"].as_str().unwrap();
    let res = app.post_logout(refresh).await;
    assert_eq!(res.status(), 204);
    let res = app.post_refresh(refresh).await;
    assert_eq!(res.status(), 401);
});

e2e!(bad_tokens_are_unauthenticated, |app| async move {
    for token in ["garbage", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."] {
        let res = app.gql(Some(token), "{ me { id } }", json!({})).await;
        common::assert_code_why(&res, "UNAUTHENTICATED", token);
    }
});

e2e!(bootstrap_admin_is_platform_admin, |app| async move {
    let token = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let me = app
        .gql_ok(Some(&token), "{ me { platformRole } }", json!({}))
        .await;
    assert_eq!(me["me"]["platformRole"], "ADMIN");
});

e2e!(health_and_readiness, |app| async move {
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "ok");
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["database"], "up");
    let res = app.get("/no/such/route").await;
    assert_eq!(res.status(), 404);
    assert!(res.headers().contains_key("x-request-id"));
});
