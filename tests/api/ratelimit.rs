//! Rate limits: auth routes per client IP, sign-in per account, GraphQL per
//! user; 429 with `Retry-After` and the code RATE_LIMITED.

use serde_json::{Value, json};

use crate::common::{DEFAULT_PASSWORD, TestApp};

/// POSTs `body` to `path`, as forwarded for `client` when given.
async fn post(app: &TestApp, path: &str, body: Value, client: Option<&str>) -> reqwest::Response {
    let mut req = app.client.post(app.url(path)).json(&body);
    if let Some(ip) = client {
        req = req.header("x-forwarded-for", ip);
    }
    req.send().await.expect("POST")
}

async fn login(
    app: &TestApp,
    email: &str,
    password: &str,
    client: Option<&str>,
) -> reqwest::Response {
    post(
        app,
        "/api/v1/auth/login",
        json!({"email": email, "password": password}),
        client,
    )
    .await
}

async fn register(app: &TestApp, email: &str, client: Option<&str>) -> reqwest::Response {
    post(
        app,
        "/api/v1/auth/register",
        json!({"email": email, "password": DEFAULT_PASSWORD, "displayName": email}),
        client,
    )
    .await
}

/// Signs in `email` with the wrong `password` `times` times; each is a 401.
async fn wrong_logins(app: &TestApp, email: &str, password: &str, times: usize) {
    for _ in 0..times {
        let res = login(app, email, password, None).await;
        assert_eq!(res.status(), 401);
    }
}

/// Asks `me` with `token` `times` times; each answer names `email`.
async fn me_answers(app: &TestApp, token: &str, email: &str, times: usize) {
    for _ in 0..times {
        let data = app.gql_ok(Some(token), ME, json!({})).await;
        assert_eq!(data["me"]["email"], email);
    }
}

/// Checks a REST refusal and returns its `Retry-After` seconds and message.
async fn rest_refusal(res: reqwest::Response) -> (u64, String) {
    assert_eq!(res.status(), 429);
    let retry_after: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After is whole seconds");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "RATE_LIMITED", "{body}");
    assert!(body["requestId"].is_string(), "{body}");
    (retry_after, crate::common::text(&body["message"]))
}

e2e!(
    login_per_ip_refuses_after_the_burst_before_the_password_is_checked,
    settings = |s| {
        s.rate_limit_auth_per_ip_burst = 3;
        s.rate_limit_auth_per_ip_period_secs = 600;
    },
    |app| async move {
        let email = "alice@example.org";
        assert_eq!(register(&app, email, None).await.status(), 201);
        wrong_logins(&app, email, "not the password at all", 3).await;
        // The right password is refused too: the password is never looked at.
        let (retry_after, message) =
            rest_refusal(login(&app, email, DEFAULT_PASSWORD, None).await).await;
        assert!(
            (590..=600).contains(&retry_after),
            "Retry-After {retry_after}"
        );
        assert!(message.contains("address"), "{message}");
        // X-Forwarded-For from a peer that is not a trusted proxy is ignored.
        let res = login(&app, email, DEFAULT_PASSWORD, Some("203.0.113.9")).await;
        assert_eq!(res.status(), 429);
        // Each route has its own bucket: registering still works.
        assert_eq!(register(&app, "bob@example.org", None).await.status(), 201);
    }
);

e2e!(
    register_and_refresh_are_limited_per_ip,
    settings = |s| {
        s.rate_limit_auth_per_ip_burst = 2;
        s.rate_limit_auth_per_ip_period_secs = 600;
    },
    |app| async move {
        assert_eq!(register(&app, "a@example.org", None).await.status(), 201);
        assert_eq!(register(&app, "b@example.org", None).await.status(), 201);
        rest_refusal(register(&app, "c@example.org", None).await).await;

        let refresh = |token: &'static str| {
            post(
                &app,
                "/api/v1/auth/refresh",
                json!({"refreshToken": token}),
                None,
            )
        };
        assert_eq!(refresh("forged-1").await.status(), 401);
        assert_eq!(refresh("forged-2").await.status(), 401);
        rest_refusal(refresh("forged-3").await).await;
        // Logout is not limited.
        let res = post(
            &app,
            "/api/v1/auth/logout",
            json!({"refreshToken": "x"}),
            None,
        )
        .await;
        assert_eq!(res.status(), 204);
    }
);

e2e!(
    failures_lock_an_account_from_any_address_while_others_sign_in,
    settings = |s| {
        s.trusted_proxies = vec!["127.0.0.1".into()];
        s.rate_limit_auth_per_ip_burst = 2;
        s.rate_limit_auth_per_ip_period_secs = 600;
        s.rate_limit_login_per_account_burst = 3;
        s.rate_limit_login_per_account_period_secs = 900;
    },
    |app| async move {
        let alice = "alice@example.org";
        let bob = "bob@example.org";
        assert_eq!(
            register(&app, alice, Some("198.51.100.1")).await.status(),
            201
        );
        assert_eq!(
            register(&app, bob, Some("198.51.100.2")).await.status(),
            201
        );

        // Three wrong passwords for alice, each from another address.
        for i in 0..3 {
            let client = format!("198.51.100.{}", 10 + i);
            let res = login(&app, alice, "a wrong password", Some(&client)).await;
            assert_eq!(res.status(), 401, "attempt {i}");
        }
        // Her account is locked, whatever the address and the spelling.
        let (retry_after, message) =
            rest_refusal(login(&app, alice, DEFAULT_PASSWORD, Some("198.51.100.20")).await).await;
        assert!(
            (890..=900).contains(&retry_after),
            "Retry-After {retry_after}"
        );
        assert!(message.contains("account"), "{message}");
        let res = login(
            &app,
            " Alice@Example.ORG ",
            DEFAULT_PASSWORD,
            Some("198.51.100.21"),
        )
        .await;
        assert_eq!(res.status(), 429);
        // Bob signs in.
        let res = login(&app, bob, DEFAULT_PASSWORD, Some("198.51.100.22")).await;
        assert_eq!(res.status(), 200);

        // The forwarded address is the per-IP key when the peer is trusted.
        for _ in 0..2 {
            let res = login(
                &app,
                "nobody@example.org",
                "whatever it is",
                Some("198.51.100.30"),
            )
            .await;
            assert_eq!(res.status(), 401);
        }
        let (_, message) = rest_refusal(
            login(
                &app,
                "nobody2@example.org",
                "whatever",
                Some("198.51.100.30"),
            )
            .await,
        )
        .await;
        assert!(message.contains("address"), "{message}");
        let res = login(
            &app,
            "nobody3@example.org",
            "whatever",
            Some("198.51.100.31"),
        )
        .await;
        assert_eq!(res.status(), 401);
    }
);

const ME: &str = "{ me { email } }";

e2e!(
    graphql_is_limited_per_user,
    settings = |s| {
        s.rate_limit_graphql_per_user_burst = 5;
        s.rate_limit_graphql_per_user_per_sec = 1;
    },
    |app| async move {
        let alice = app.user("alice@example.org").await;
        let bob = app.user("bob@example.org").await;

        let started = std::time::Instant::now();
        let mut statuses = Vec::new();
        let mut refusals = Vec::new();
        for i in 0..30 {
            // POST and GET share the bucket.
            let req = if i % 2 == 0 {
                app.client
                    .post(app.url("/graphql"))
                    .json(&json!({ "query": ME }))
            } else {
                {
                    let mut url = reqwest::Url::parse(&app.url("/graphql")).unwrap();
                    url.query_pairs_mut().append_pair("query", ME);
                    app.client.get(url)
                }
            };
            let res = req.bearer_auth(&alice).send().await.unwrap();
            statuses.push(res.status().as_u16());
            if res.status() == 429 {
                let retry_after = res.headers()["retry-after"].to_str().unwrap().to_owned();
                let body: Value = res.json().await.unwrap();
                refusals.push((i, retry_after, body));
            } else {
                let body: Value = res.json().await.unwrap();
                assert_eq!(body["data"]["me"]["email"], "alice@example.org", "{body}");
            }
        }
        let elapsed = started.elapsed().as_secs();
        assert_eq!(statuses[..5], [200; 5], "{statuses:?}");
        let allowed = statuses.iter().filter(|s| **s == 200).count() as u64;
        assert!(
            allowed <= 5 + elapsed + 1,
            "{allowed} allowed in {elapsed} s: {statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| *s == 200 || *s == 429),
            "{statuses:?}"
        );
        assert!(
            refusals.iter().any(|(i, ..)| i % 2 == 0),
            "a POST refused: {statuses:?}"
        );
        assert!(
            refusals.iter().any(|(i, ..)| i % 2 == 1),
            "a GET refused: {statuses:?}"
        );
        for (_, retry_after, body) in &refusals {
            assert_eq!(retry_after, "1");
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "RATE_LIMITED",
                "{body}"
            );
            assert!(body["errors"][0]["message"].is_string(), "{body}");
            assert!(body.get("data").is_none(), "{body}");
        }

        // Bob and anonymous callers have buckets of their own.
        me_answers(&app, &bob, "bob@example.org", 5).await;
        for _ in 0..3 {
            let data = app.gql_ok(None, "{ __typename }", json!({})).await;
            assert_eq!(data["__typename"], "Query");
        }
    }
);

e2e!(
    limits_turned_off_never_refuse,
    settings = |s| {
        s.rate_limit_enabled = false;
        s.rate_limit_auth_per_ip_burst = 1;
        s.rate_limit_login_per_account_burst = 1;
        s.rate_limit_graphql_per_user_burst = 1;
        s.rate_limit_graphql_per_user_per_sec = 1;
    },
    |app| async move {
        let email = "alice@example.org";
        assert_eq!(register(&app, email, None).await.status(), 201);
        wrong_logins(&app, email, "a wrong password", 5).await;
        let token = app.login(email, DEFAULT_PASSWORD).await;
        me_answers(&app, &token, email, 10).await;
    }
);

e2e!(
    password_changes_count_against_the_accounts_sign_in_limit,
    settings = |s| {
        s.rate_limit_login_per_account_burst = 2;
        s.rate_limit_login_per_account_period_secs = 900;
    },
    |app| async move {
        let email = "alice@example.org";
        assert_eq!(register(&app, email, None).await.status(), 201);
        // One sign-in spends one of the two attempts.
        let token = app.login(email, DEFAULT_PASSWORD).await;
        let change = |current: &str| {
            app.client
                .post(app.url("/api/v1/auth/password"))
                .bearer_auth(&token)
                .json(&json!({"currentPassword": current, "newPassword": "a brand new password"}))
                .send()
        };
        // A wrong guess of the current password spends the other one.
        assert_eq!(change("a wrong guess").await.unwrap().status(), 403);
        // Then guessing stops, also with the right password, and sign-in too.
        let (_, message) = rest_refusal(change(DEFAULT_PASSWORD).await.unwrap()).await;
        assert!(message.contains("account"), "{message}");
        rest_refusal(login(&app, email, DEFAULT_PASSWORD, None).await).await;
    }
);
