//! Smaller holes of the December 2026 security review (docs/SECURITY.md,
//! finding 11): weak passwords, hidden characters in names, platform roles
//! shown to everybody, and request ids taken verbatim from the client.

use serde_json::{Value, json};

use crate::common::{self, TestApp};
use crate::fixtures::World;

async fn register(app: &TestApp, email: &str, password: &str, name: &str) -> (u16, Value) {
    let res = app.register(email, password, name).await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

e2e!(
    weak_passwords_and_hidden_characters_are_refused_at_registration,
    |app| async move {
        let weak = [
            " ".repeat(10),
            "\u{0}".repeat(10),
            "\u{3000}".repeat(10),
            "good\u{0}password".to_owned(),
        ];
        for (n, password) in weak.iter().enumerate() {
            let (status, body) =
                register(&app, &format!("weak{n}@test.iurhub"), password, "Weak").await;
            assert_eq!(status, 400, "{password:?}: {body}");
            assert_eq!(body["code"], "BAD_USER_INPUT", "{body}");
            assert_eq!(body["fields"][0]["field"], "password", "{body}");
        }
        for (n, name) in [
            "Li\u{0}Ming",
            "\u{202E}gnp.exe",
            "Li\u{85}Ming",
            "a\u{2066}b",
        ]
        .iter()
        .enumerate()
        {
            let (status, body) = register(
                &app,
                &format!("name{n}@test.iurhub"),
                common::DEFAULT_PASSWORD,
                name,
            )
            .await;
            assert_eq!(status, 400, "{name:?}: {body}");
            assert_eq!(body["code"], "BAD_USER_INPUT", "{body}");
        }
        // Nothing of the refused attempts was created; a sound one is.
        let (status, body) = register(
            &app,
            "weak0@test.iurhub",
            common::DEFAULT_PASSWORD,
            "李明 Li Ming",
        )
        .await;
        assert_eq!(status, 201, "{body}");
    }
);

e2e!(
    platform_roles_are_shown_to_the_user_and_staff_only,
    |app| async move {
        let w = World::new(&app).await;
        let me = |token: String| {
            let app = &app;
            async move {
                app.gql_ok(Some(&token), "{ me { id platformRole } }", json!({}))
                    .await["me"]
                    .clone()
            }
        };
        let admin = me(w.admin.clone()).await;
        assert_eq!(admin["platformRole"], "ADMIN");
        let q = "query($id: ID!) { node(id: $id) { ... on User { id platformRole } } }";
        // A member of an enterprise looks the admin up: the id, not the role.
        let data = app.gql_ok(Some(&w.b), q, json!({"id": admin["id"]})).await;
        assert_eq!(data["node"]["id"], admin["id"]);
        assert!(data["node"]["platformRole"].is_null(), "{data}");
        // The admin sees its own role, and others' roles.
        let member = me(w.b.clone()).await;
        let data = app
            .gql_ok(Some(&w.admin), q, json!({"id": admin["id"]}))
            .await;
        assert_eq!(data["node"]["platformRole"], "ADMIN");
        let data = app
            .gql_ok(Some(&w.admin), q, json!({"id": member["id"]}))
            .await;
        assert!(data["node"]["platformRole"].is_null());
    }
);

e2e!(
    request_ids_from_clients_are_kept_only_when_plain,
    |app| async move {
        let echo = |id: String| {
            let app = &app;
            async move {
                let res = app
                    .client
                    .get(app.url("/healthz"))
                    .header("x-request-id", id)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200);
                res.headers()["x-request-id"].to_str().unwrap().to_owned()
            }
        };
        let plain = "trace-4f1c.2026_12";
        assert_eq!(echo(plain.to_owned()).await, plain);
        for unfit in [
            "x".repeat(5_000),
            r#"a" injected="1"#.to_owned(),
            "id with spaces".to_owned(),
            "x".repeat(65),
        ] {
            let answered = echo(unfit.clone()).await;
            assert_ne!(answered, unfit);
            assert!(
                answered.len() <= 64
                    && answered
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || c == b'-'),
                "a fresh id instead of {unfit:.40}…: {answered}"
            );
        }
    }
);

/// A preflight from `origin` for a signed-in GraphQL POST.
async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(reqwest::Method::OPTIONS, app.url("/graphql"))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type",
        )
        .send()
        .await
        .expect("OPTIONS")
}

fn allowed_origin(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_owned())
}

e2e!(
    a_frontend_on_localhost_may_call_the_dev_server,
    |app| async move {
        // The dev profile with no configured origins: a frontend's development
        // server on localhost or 127.0.0.1, any port, passes the preflight.
        for origin in [
            "http://localhost:5173",
            "http://127.0.0.1:3000",
            "http://localhost",
        ] {
            let res = preflight(&app, origin).await;
            assert!(res.status().is_success(), "{origin}: {}", res.status());
            assert_eq!(allowed_origin(&res).as_deref(), Some(origin));
        }
        // Nothing that merely looks local.
        for origin in [
            "http://localhost.evil.example",
            "http://localhost:5173.evil.example",
            "https://evil.example",
            "http://127.0.0.1@evil.example",
        ] {
            let res = preflight(&app, origin).await;
            assert_eq!(allowed_origin(&res), None, "{origin}");
        }
        // A browser app may read the request id and when to retry.
        let res = app
            .client
            .post(app.url("/graphql"))
            .header("origin", "http://localhost:5173")
            .json(&json!({"query": "{ __typename }"}))
            .send()
            .await
            .unwrap();
        let exposed = res
            .headers()
            .get("access-control-expose-headers")
            .map(|v| v.to_str().unwrap().to_ascii_lowercase())
            .unwrap_or_default();
        assert!(exposed.contains("x-request-id"), "{exposed}");
        assert!(exposed.contains("retry-after"), "{exposed}");
    }
);

e2e!(
    configured_origins_replace_the_local_ones,
    settings = |s| s.cors_allowed_origins = vec!["https://app.example.cn".to_owned()],
    |app| async move {
        let res = preflight(&app, "https://app.example.cn").await;
        assert_eq!(
            allowed_origin(&res).as_deref(),
            Some("https://app.example.cn")
        );
        let res = preflight(&app, "http://localhost:5173").await;
        assert_eq!(allowed_origin(&res), None);
    }
);

e2e!(every_graphql_error_names_its_request, |app| async move {
    // Errors of every kind carry the request id the response header carries.
    for query in [
        "{ need(id: \"TmVlZDo5OTk5OTk\") { title } }",
        "{ noSuchField }",
        "{ needs(first: 1000) { totalCount } }",
    ] {
        let res = app
            .client
            .post(app.url("/graphql"))
            .json(&json!({"query": query}))
            .send()
            .await
            .unwrap();
        let request_id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
        let body: Value = res.json().await.unwrap();
        let errors = body["errors"].as_array().expect("errors");
        assert!(!errors.is_empty(), "{query}: {body}");
        for error in errors {
            assert_eq!(
                error["extensions"]["requestId"],
                request_id.as_str(),
                "{query}: {body}"
            );
            assert!(error["extensions"]["code"].is_string(), "{query}: {body}");
        }
    }
});
