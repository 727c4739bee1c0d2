//! What /graphql refuses before doing any work: oversized and over-shaped
//! documents, batches, mutations over GET, non-JSON bodies, big bodies.

use serde_json::{Value, json};

use crate::common::{self, TestApp};

async fn post_raw(app: &TestApp, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let res = reqwest::Client::new()
        .post(app.url("/graphql"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn message(res: &Value) -> String {
    res["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

e2e!(document_shape_limits_have_codes, |app| async move {
    // 30 aliases pass, 31 do not.
    let aliased = |n: usize| {
        let fields: Vec<String> = (0..n).map(|i| format!("a{i}: totalCount")).collect();
        format!("{{ needs(first: 1) {{ {} }} }}", fields.join(" "))
    };
    let res = app.gql(None, &aliased(30), json!({})).await;
    assert!(res.get("errors").is_none(), "{res}");
    let res = app
        .gql_err(None, &aliased(31), json!({}), "BAD_USER_INPUT")
        .await;
    assert!(message(&res).contains("31 aliases"), "{res}");

    // Root fields (without aliases they would be merged: use distinct fields
    // through fragments).
    let roots: Vec<String> = (0..16)
        .map(|i| format!("... on Query {{ t{i}: __typename }}"))
        .collect();
    let res = app
        .gql_err(
            None,
            &format!("{{ {} }}", roots.join(" ")),
            json!({}),
            "BAD_USER_INPUT",
        )
        .await;
    assert!(message(&res).contains("root fields"), "{res}");

    // Tokens: a long but shallow document is refused before parsing.
    let many = format!("{{ __typename {} }}", "__typename ".repeat(2100));
    let res = app.gql_err(None, &many, json!({}), "BAD_USER_INPUT").await;
    assert!(message(&res).contains("tokens"), "{res}");

    // Depth (12) and directives per field (5).
    let deep = format!(
        "{{ {}id{} }}",
        "organizations(first: 1) { edges { node { children { ".repeat(3),
        " } } } }".repeat(3)
    );
    let res = app.gql(None, &deep, json!({})).await;
    assert!(res.get("errors").is_some(), "{res}");
    assert!(message(&res).contains("nested too deep"), "{res}");
    assert!(common::error_code(&res).is_some(), "coded: {res}");
    let directives = "{ __typename @include(if: true) @include(if: true) @include(if: true) @include(if: true) @include(if: true) @include(if: true) }";
    let res = app.gql(None, directives, json!({})).await;
    assert!(res.get("errors").is_some(), "{res}");
    assert!(common::error_code(&res).is_some(), "coded: {res}");

    // No field suggestions in errors.
    let res = app.gql(None, "{ needz { totalCount } }", json!({})).await;
    assert!(!message(&res).contains("Did you mean"), "{res}");
    assert!(common::error_code(&res).is_some(), "coded: {res}");

    // Page size cap.
    app.gql_err(
        None,
        "{ needs(first: 101) { totalCount } }",
        json!({}),
        "BAD_USER_INPUT",
    )
    .await;
});

e2e!(transport_limits_of_graphql, |app| async move {
    // Batches are refused (and so never allowed for login-like mutations).
    let (status, body) = post_raw(
        &app,
        "application/json",
        serde_json::to_vec(&json!([{"query": "{ __typename }"}, {"query": "{ __typename }"}]))
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(common::error_code(&body).is_some(), "{body}");

    // Only JSON bodies.
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        let (status, body) = post_raw(
            &app,
            content_type,
            br#"{"query":"{ __typename }"}"#.to_vec(),
        )
        .await;
        assert_eq!(status, 415, "{content_type}: {body}");
        assert!(common::error_code(&body).is_some());
    }

    // Bodies over 1 MiB: 413.
    let big = format!(
        r#"{{"query":"{{ __typename }}","variables":{{"x":"{}"}}}}"#,
        "x".repeat(1024 * 1024 + 10)
    );
    let (status, _) = post_raw(&app, "application/json", big.into_bytes()).await;
    assert_eq!(status, 413);

    // Mutations over GET: 405; queries over GET work.
    let res = reqwest::Client::new()
        .get(app.url("/graphql?query=mutation%20%7B%20__typename%20%7D"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 405);
    let res = reqwest::Client::new()
        .get(app.url("/graphql?query=%7B%20__typename%20%7D"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);

    // Syntax errors with the GraphQL-over-HTTP media type: 400 without data.
    let res = reqwest::Client::new()
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json")
        .body(r#"{"query":"{ oops"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
    let body: Value = res.json().await.unwrap();
    assert!(body.get("data").is_none(), "{body}");
});

e2e!(
    responses_follow_the_order_of_the_selection,
    |app| async move {
        let token = app.admin_token().await;
        // Fields asked in anything but alphabetical order, at two levels.
        let query = "{ me { platformRole email displayName id } __typename }";
        let res = app
            .post_json("/graphql", json!({ "query": query }), Some(&token))
            .await;
        let body = res.text().await.unwrap();
        let at = |name: &str| {
            body.find(&format!("\"{name}\""))
                .unwrap_or_else(|| panic!("{name} missing in {body}"))
        };
        assert!(
            at("me") < at("__typename")
                && at("platformRole") < at("email")
                && at("email") < at("displayName")
                && at("displayName") < at("id"),
            "GraphQL answers fields in the order they were selected: {body}"
        );
    }
);

e2e!(
    the_page_size_cap_is_configurable,
    settings = |s| s.page_size_max = 25,
    |app| async move {
        let needs = |n: i64| format!("{{ needs(first: {n}) {{ totalCount }} }}");
        let res = app.gql(None, &needs(25), json!({})).await;
        assert!(res.get("errors").is_none(), "{res}");
        for (query, refusal) in [
            (needs(26), "at most 25"),
            (
                "{ needs(last: 26) { totalCount } }".to_owned(),
                "at most 25",
            ),
            (
                "{ capabilities(first: 26) { totalCount } }".to_owned(),
                "at most 25",
            ),
            (
                "{ search(query: \"齿轮\", first: 26) { edges { score } } }".to_owned(),
                "at most 25",
            ),
        ] {
            let res = app.gql_err(None, &query, json!({}), "BAD_USER_INPUT").await;
            assert!(message(&res).contains(refusal), "{res}");
        }

        // REST: the same cap on `first`.
        for (first, status) in [(25, 200), (26, 400)] {
            let res = app.get(&format!("/api/v1/needs?first={first}")).await;
            assert_eq!(res.status().as_u16(), status, "first={first}");
            if status == 400 {
                let body: Value = res.json().await.unwrap();
                assert_eq!(body["code"], "BAD_USER_INPUT", "{body}");
                assert!(
                    body["message"]
                        .as_str()
                        .unwrap_or_default()
                        .contains("1 to 25"),
                    "{body}"
                );
            }
        }
    }
);
