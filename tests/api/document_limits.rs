//! Documents and variables that would cost far more than they weigh are
//! refused before async-graphql validates them, over HTTP and WebSocket: a
//! fragment bomb, root fields and aliases behind fragments, fragment cycles,
//! long lists, big variables, a comment ended by `\r`; and `search` searches
//! each kind once however often `types` names it.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{self, TestApp};
use crate::fixtures::World;
use crate::matching::{capability, need};
use crate::subscriptions::Ws;

/// How long a refusal may take, even in a debug build on a loaded machine:
/// the refused documents cost seconds to minutes when they are not refused.
const FAST: Duration = Duration::from_secs(1);

/// An anonymous POST to /graphql, its body and how long it took; fails the
/// test when no answer comes within 10 s.
async fn timed_post(app: &TestApp, body: Value) -> (Value, Duration) {
    let started = Instant::now();
    let send = app.client.post(app.url("/graphql")).json(&body).send();
    let res = tokio::time::timeout(Duration::from_secs(10), send)
        .await
        .expect("an answer within 10 s")
        .expect("POST");
    assert_eq!(res.status().as_u16(), 200);
    let body: Value = res.json().await.expect("a JSON body");
    (body, started.elapsed())
}

fn message(res: &Value) -> String {
    res["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Asserts a fast BAD_USER_INPUT refusal whose message contains `says`.
fn assert_refused(res: &Value, elapsed: Duration, says: &str) {
    assert_eq!(
        common::error_code(res).as_deref(),
        Some("BAD_USER_INPUT"),
        "{res}"
    );
    assert!(message(res).contains(says), "{res}");
    assert!(res["data"].is_null(), "nothing ran: {res}");
    assert!(elapsed < FAST, "refused in {elapsed:?}");
}

/// The attack's 26 layers of two fragments, each spreading both fragments of
/// the next: 2.1 KB, within the token limit, 2^25 fields once expanded.
fn fragment_bomb() -> String {
    let mut query = String::from("query{...F0_0}");
    for layer in 0..26 {
        for copy in 0..2 {
            if layer == 25 {
                query.push_str(&format!(" fragment F{layer}_{copy} on Query{{__typename}}"));
            } else {
                let next = layer + 1;
                query.push_str(&format!(
                    " fragment F{layer}_{copy} on Query{{...F{next}_0 ...F{next}_1}}"
                ));
            }
        }
    }
    query
}

e2e!(a_fragment_bomb_is_refused_at_once, |app| async move {
    let bomb = fragment_bomb();
    assert!(bomb.len() < 2_200, "{} bytes", bomb.len());
    let (res, elapsed) = timed_post(&app, json!({ "query": bomb })).await;
    assert_refused(&res, elapsed, "once its fragments are expanded");

    // Several at once leave the server responsive.
    let started = Instant::now();
    let bombs = (0..4).map(|_| timed_post(&app, json!({ "query": fragment_bomb() })));
    let (answers, health) = tokio::join!(futures::future::join_all(bombs), async {
        let res = app.get("/healthz").await;
        (res.status().as_u16(), started.elapsed())
    });
    for (res, elapsed) in answers {
        assert_refused(&res, elapsed, "once its fragments are expanded");
    }
    assert_eq!(health.0, 200);
    assert!(health.1 < FAST, "/healthz answered in {:?}", health.1);

    // The same over an anonymous WebSocket.
    let mut ws = Ws::connect(&app, None).await;
    let started = Instant::now();
    ws.subscribe("bomb", &fragment_bomb(), json!({})).await;
    let error = ws.refusal_error("bomb").await;
    let elapsed = started.elapsed();
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("once its fragments are expanded"),
        "{error}"
    );
    assert!(elapsed < FAST, "refused in {elapsed:?}");
});

e2e!(
    root_fields_and_aliases_are_counted_through_fragments,
    |app| async move {
        // 30 root fields (limit 15) behind ten levels of fragments.
        let mut query = String::from("{ ...L0 }");
        for level in 0..10 {
            let inner = if level == 9 {
                (0..30).map(|i| format!("r{i}: __typename ")).collect()
            } else {
                format!("...L{}", level + 1)
            };
            query.push_str(&format!(" fragment L{level} on Query {{ {inner} }}"));
        }
        let (res, elapsed) = timed_post(&app, json!({ "query": query })).await;
        assert_refused(&res, elapsed, "30 root fields");

        // Ten aliases in one fragment, spread three times: 32 aliases (limit
        // 30), counted at every use.
        let aliased: Vec<String> = (0..10).map(|i| format!("a{i}: totalCount")).collect();
        let query = format!(
            "{{ needs(first: 1) {{ ...T }} x: needs(first: 2) {{ ...T }} y: needs(first: 3) {{ ...T }} }}
             fragment T on NeedConnection {{ {} }}",
            aliased.join(" ")
        );
        let (res, elapsed) = timed_post(&app, json!({ "query": query })).await;
        assert_refused(&res, elapsed, "32 aliases");

        // Two uses are within the limit and answered.
        let query = format!(
            "{{ needs(first: 1) {{ ...T }} x: needs(first: 2) {{ ...T }} }}
             fragment T on NeedConnection {{ {} }}",
            aliased.join(" ")
        );
        let data = app.gql_ok(None, &query, json!({})).await;
        assert_eq!(data["x"]["a9"], 0, "{data}");

        // A fragment cycle is refused, not followed.
        for query in [
            "{ ...A } fragment A on Query { ...A }",
            "{ ...A } fragment A on Query { __typename ...B } fragment B on Query { ... on Query { ...A } }",
        ] {
            let (res, elapsed) = timed_post(&app, json!({ "query": query })).await;
            assert_refused(&res, elapsed, "spreads itself");
        }
    }
);

e2e!(
    the_standard_introspection_query_is_not_a_bomb,
    // With the default limits (depth 12): the introspection query of
    // graphql-js, GraphiQL and graphql-codegen nests 20 levels below
    // `__schema`, which has a depth limit of its own.
    |app| async move {
        let mut type_ref = String::from("kind name");
        for _ in 1..15 {
            type_ref = format!("kind name ofType {{ {type_ref} }}");
        }
        let query = format!(
            "query IntrospectionQuery {{ __schema {{ description
               queryType {{ name kind }} mutationType {{ name kind }} subscriptionType {{ name kind }}
               types {{ ...FullType }}
               directives {{ name description isRepeatable locations args(includeDeprecated: true) {{ ...InputValue }} }} }} }}
             fragment FullType on __Type {{ kind name description specifiedByURL isOneOf
               fields(includeDeprecated: true) {{ name description args(includeDeprecated: true) {{ ...InputValue }}
                 type {{ ...TypeRef }} isDeprecated deprecationReason }}
               inputFields(includeDeprecated: true) {{ ...InputValue }}
               interfaces {{ ...TypeRef }}
               enumValues(includeDeprecated: true) {{ name description isDeprecated deprecationReason }}
               possibleTypes {{ ...TypeRef }} }}
             fragment InputValue on __InputValue {{ name description type {{ ...TypeRef }} defaultValue
               isDeprecated deprecationReason }}
             fragment TypeRef on __Type {{ {type_ref} }}"
        );
        let data = app.gql_ok(None, &query, json!({})).await;
        let types = data["__schema"]["types"].as_array().unwrap();
        assert!(types.iter().any(|t| t["name"] == "Need"), "{data}");
    }
);

const SEARCH: &str = "query($q: String!, $t: [SearchType!]) {
  search(query: $q, types: $t, first: 20) { edges { node { __typename ... on Need { id } ... on Capability { id } } } } }";

/// Ids of the hits of `search(query: q, types: t)`, in order.
async fn hits(app: &TestApp, token: &str, q: &str, types: Value) -> Vec<String> {
    let data = app
        .gql_ok(Some(token), SEARCH, json!({"q": q, "t": types}))
        .await;
    crate::common::search_hit_ids(&data)
}

e2e!(search_searches_each_kind_once, |app| async move {
    let w = World::new(&app).await;
    need(
        &app,
        &w,
        "激光熔覆涂层 laser cladding",
        "液压支架立柱激光熔覆层评价。",
        &["激光熔覆"],
        "PUBLIC",
    )
    .await;
    capability(
        &app,
        &w,
        "激光熔覆再制造 laser cladding",
        "激光熔覆修复。",
        &["激光熔覆"],
        &["460"],
        6,
    )
    .await;
    let distinct = hits(&app, &w.a, "激光熔覆", json!(["NEED", "CAPABILITY"])).await;
    assert_eq!(distinct.len(), 2, "{distinct:?}");
    for types in [
        json!(["NEED", "CAPABILITY", "NEED"]),
        json!(["CAPABILITY", "NEED", "CAPABILITY", "NEED"]),
    ] {
        let found = hits(&app, &w.a, "激光熔覆", types.clone()).await;
        let unique: BTreeSet<&String> = found.iter().collect();
        assert_eq!(
            unique.len(),
            found.len(),
            "{types}: duplicate hits {found:?}"
        );
        assert_eq!(
            unique,
            distinct.iter().collect::<BTreeSet<_>>(),
            "{types}: {found:?}"
        );
    }
});

e2e!(long_lists_and_big_variables_are_refused, |app| async move {
    // The attack: 5,000 types (limit 2,000 items per list).
    let types: Vec<&str> = ["NEED", "CAPABILITY", "TALENT"]
        .into_iter()
        .cycle()
        .take(5_000)
        .collect();
    let body = json!({"query": SEARCH, "variables": {"q": "bearing", "t": types}});
    let (res, elapsed) = timed_post(&app, body).await;
    assert_refused(&res, elapsed, "a list has 5000 items");
    // Written in the document: limited by the tokens first.
    let literal = format!(
        "{{ search(query: \"bearing\", types: [{}]) {{ edges {{ score }} }} }}",
        types[..1_990].join(" ")
    );
    let (res, elapsed) = timed_post(&app, json!({ "query": literal })).await;
    assert_refused(&res, elapsed, "tokens");

    // Variables of 60,041 values (limit 50,000), none of them used, in
    // lists within the limit.
    let junk: Vec<Vec<u8>> = vec![vec![0; 1_500]; 40];
    let body = json!({"query": "{ __typename }", "variables": {"junk": junk}});
    let (res, elapsed) = timed_post(&app, body).await;
    assert_refused(&res, elapsed, "the variables hold 60041 values");
    // Over GET too (a URL holds 64 KiB at most: 2,001 items).
    let variables = json!({"t": types[..2_001]}).to_string();
    let url = reqwest::Url::parse_with_params(
        &app.url("/graphql"),
        [
            ("query", "{ __typename }"),
            ("variables", variables.as_str()),
        ],
    )
    .unwrap();
    let res = app.client.get(url).send().await.unwrap();
    let body: Value = res.json().await.unwrap();
    common::assert_code(&body, "BAD_USER_INPUT");
    assert!(message(&body).contains("a list has 2001 items"), "{body}");

    // Over WebSocket.
    let mut ws = Ws::connect(&app, None).await;
    let started = Instant::now();
    ws.subscribe("types", SEARCH, json!({"q": "bearing", "t": types}))
        .await;
    let error = ws.refusal_error("types").await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error}");
    assert_eq!(
        error["message"], "a list has 5000 items; at most 2000 are accepted",
        "{error}"
    );
    assert!(
        started.elapsed() < FAST,
        "refused in {:?}",
        started.elapsed()
    );

    // Within the limits the same search is answered.
    let few: Vec<&str> = types[..2_000].to_vec();
    let data = app
        .gql_ok(None, SEARCH, json!({"q": "bearing", "t": few}))
        .await;
    assert!(data["search"]["edges"].is_array(), "{data}");
});

e2e!(a_comment_ends_at_a_carriage_return, |app| async move {
    // The attack: 990 KB whose first line is a comment ended by `\r`; the
    // parser reads 90,000 fields after it, so the tokens are counted too.
    let query = format!("#\r{{ {}}}", "__typename ".repeat(90_000));
    assert!(query.len() > 980_000);
    let (res, elapsed) = timed_post(&app, json!({ "query": query })).await;
    assert_refused(&res, elapsed, "tokens");
    // A short one is answered.
    let data = app
        .gql_ok(None, "# a comment\r{ __typename }", json!({}))
        .await;
    assert_eq!(data["__typename"], "Query");
});
