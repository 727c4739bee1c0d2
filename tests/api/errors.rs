//! The error convention, end to end: every error carries `extensions { code,
//! key, fields, requestId }` (REST: `{code, key, message, fields,
//! requestId}`), messages follow `Accept-Language` (English or Chinese),
//! input coercion errors name every bad value, validation answers in one
//! round, past deadlines are refused, money is `Money {amount,
//! currencyCode}` — and a walk over the schema checks every mutation.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::TestApp;
use crate::common::has_chinese;
use crate::fixtures::{CREATE_NEED, World};

const CODES: [&str; 7] = [
    "BAD_USER_INPUT",
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "CONFLICT",
    "RATE_LIMITED",
    "INTERNAL_SERVER_ERROR",
];

/// POSTs an operation with `Accept-Language: lang`; the body and the
/// response's `x-request-id`.
async fn gql_lang(
    app: &TestApp,
    token: Option<&str>,
    lang: Option<&str>,
    query: &str,
    variables: Value,
) -> (Value, String) {
    let mut req = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({"query": query, "variables": variables}));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(lang) = lang {
        req = req.header("accept-language", lang);
    }
    let res = req.send().await.expect("POST /graphql");
    let id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    (res.json().await.expect("JSON"), id)
}

/// Fails unless every error of `body` follows the convention; returns the
/// first error.
#[track_caller]
fn conventional(body: &Value, request_id: Option<&str>) -> Value {
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors: {body}"));
    assert!(!errors.is_empty(), "{body}");
    for error in errors {
        let ext = &error["extensions"];
        let code = ext["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no code: {error}"));
        assert!(CODES.contains(&code), "unknown code {code}: {error}");
        let key = ext["key"]
            .as_str()
            .unwrap_or_else(|| panic!("no key: {error}"));
        assert!(
            !key.is_empty() && !key.contains(' '),
            "key {key:?}: {error}"
        );
        let fields = ext["fields"]
            .as_array()
            .unwrap_or_else(|| panic!("fields is not a list: {error}"));
        for f in fields {
            for name in ["field", "code", "key", "message"] {
                assert!(f[name].is_string(), "field problem without {name}: {error}");
            }
        }
        match request_id {
            Some(id) => assert_eq!(ext["requestId"], id, "{error}"),
            None => assert!(ext["requestId"].is_string(), "no requestId: {error}"),
        }
        assert!(error["message"].is_string(), "{error}");
    }
    errors[0].clone()
}

fn field_names(error: &Value) -> Vec<String> {
    error["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect()
}

fn field<'a>(error: &'a Value, name: &str) -> &'a Value {
    error["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == name)
        .unwrap_or_else(|| panic!("no problem named {name}: {error}"))
}

fn need_input(w: &World, patch: Value) -> Value {
    let mut input = json!({"organizationId": w.org_a, "title": "轴承故障预警 bearing warning",
        "disciplineCodes": ["460"], "trlRequired": 6, "deadline": "2027-06-30"});
    for (k, v) in patch.as_object().unwrap() {
        input[k] = v.clone();
    }
    json!({ "input": input })
}

e2e!(every_error_follows_the_convention, |app| async move {
    let w = World::new(&app).await;
    // NOT_FOUND: no field, the request id of the response.
    let missing = "query($id: ID!) { need(id: $id) { title } }";
    let ghost = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("Need:999999")
    };
    let (body, id) = gql_lang(&app, Some(&w.a), None, missing, json!({"id": ghost})).await;
    let error = conventional(&body, Some(&id));
    assert_eq!(error["extensions"]["code"], "NOT_FOUND");
    assert_eq!(error["extensions"]["key"], "need.not_found");
    assert_eq!(error["extensions"]["fields"], json!([]));
    assert_eq!(error["message"], "need not found");

    // UNAUTHENTICATED.
    let (body, id) = gql_lang(&app, None, None, CREATE_NEED, need_input(&w, json!({}))).await;
    let error = conventional(&body, Some(&id));
    assert_eq!(error["extensions"]["code"], "UNAUTHENTICATED");
    assert_eq!(error["extensions"]["key"], "auth.required");

    // FORBIDDEN: B may not post for A.
    let (body, id) = gql_lang(
        &app,
        Some(&w.b),
        None,
        CREATE_NEED,
        need_input(&w, json!({})),
    )
    .await;
    let error = conventional(&body, Some(&id));
    assert_eq!(error["extensions"]["code"], "FORBIDDEN");
    assert_eq!(error["extensions"]["fields"], json!([]));

    // BAD_USER_INPUT: fields named from the input argument.
    let (body, id) = gql_lang(
        &app,
        Some(&w.a),
        None,
        CREATE_NEED,
        need_input(&w, json!({"title": " "})),
    )
    .await;
    let error = conventional(&body, Some(&id));
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(error["extensions"]["key"], "value.required");
    let title = field(&error, "input.title");
    assert_eq!(title["code"], "BAD_USER_INPUT");
    assert_eq!(title["key"], "value.required");
    assert_eq!(title["message"], "must not be empty");

    // A life-cycle step of a mutation that takes only an id names no field.
    let need = w
        .need(&app, "Closed too early 过早关闭", "PUBLIC", false)
        .await;
    let close = "mutation($id: ID!) { closeNeed(input: {id: $id}) { need { id } } }";
    let (body, id) = gql_lang(&app, Some(&w.a), None, close, json!({"id": need})).await;
    let error = conventional(&body, Some(&id));
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(error["extensions"]["key"], "need.transition.not_allowed");
    assert_eq!(error["extensions"]["fields"], json!([]), "{error}");

    // CONFLICT names its field.
    let update =
        "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { version } } }";
    app.gql_ok(
        Some(&w.a),
        update,
        json!({"input": {"id": need, "title": "v2"}}),
    )
    .await;
    let (body, id) = gql_lang(
        &app,
        Some(&w.a),
        None,
        update,
        json!({"input": {"id": need, "version": 1, "title": "lost"}}),
    )
    .await;
    let error = conventional(&body, Some(&id));
    assert_eq!(error["extensions"]["code"], "CONFLICT");
    assert_eq!(error["extensions"]["key"], "conflict.version");
    let version = field(&error, "input.version");
    assert_eq!(version["code"], "CONFLICT");

    // A refusal before execution (a syntax error) follows it too.
    let (body, id) = gql_lang(&app, None, None, "{ needs(first: 1) { ", json!({})).await;
    let error = conventional(&body, Some(&id));
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
});

e2e!(messages_follow_accept_language, |app| async move {
    let w = World::new(&app).await;
    let bad = need_input(&w, json!({"title": "x".repeat(201)}));
    for (lang, chinese) in [
        (Some("zh-CN"), true),
        (Some("zh"), true),
        (Some("zh-Hans"), true),
        (Some("en-US,en;q=0.9,zh-CN;q=0.8"), false),
        (Some("en;q=0.4, zh-CN;q=0.8"), true),
        (Some("fr-FR, zh;q=0.5"), true),
        (Some("zh-CN;q=0, en"), false),
        (None, false),
    ] {
        let (body, _) = gql_lang(&app, Some(&w.a), lang, CREATE_NEED, bad.clone()).await;
        let error = conventional(&body, None);
        let message = error["message"].as_str().unwrap();
        assert_eq!(has_chinese(message), chinese, "{lang:?}: {message}");
        let title = field(&error, "input.title");
        assert_eq!(
            has_chinese(title["message"].as_str().unwrap()),
            chinese,
            "{lang:?}"
        );
        // The key does not change with the language.
        assert_eq!(title["key"], "value.too_long");
    }
    let (body, _) = gql_lang(&app, Some(&w.a), Some("zh-CN"), CREATE_NEED, bad).await;
    assert_eq!(
        field(&body["errors"][0], "input.title")["message"],
        "最多 200 个字符"
    );

    // REST errors too.
    let res = app
        .client
        .get(app.url("/api/v1/needs/TmVlZDo5OTk5OTk"))
        .header("accept-language", "zh-CN,zh;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["content-language"], "zh-CN");
    let request_id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "NOT_FOUND");
    assert_eq!(body["key"], "need.not_found");
    assert_eq!(body["message"], "技术需求不存在");
    assert_eq!(body["fields"], json!([]));
    assert_eq!(body["requestId"], request_id);
});

e2e!(
    websocket_errors_carry_a_request_id_and_the_language,
    |app| async move {
        let w = World::new(&app).await;
        // The language of the connection_init payload, or of the upgrade request.
        let url = app.url("/graphql/ws").replacen("http://", "ws://", 1);
        for (header, payload_locale) in [(None, Some("zh-CN")), (Some("zh-CN"), None)] {
            use futures::{SinkExt, StreamExt};
            use tokio_tungstenite::tungstenite::Message;
            use tokio_tungstenite::tungstenite::client::IntoClientRequest;
            let mut request = url.as_str().into_client_request().unwrap();
            request.headers_mut().insert(
                "sec-websocket-protocol",
                "graphql-transport-ws".parse().unwrap(),
            );
            if let Some(lang) = header {
                request
                    .headers_mut()
                    .insert("accept-language", lang.parse().unwrap());
            }
            let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
            let mut payload = json!({"Authorization": format!("Bearer {}", w.a)});
            if let Some(locale) = payload_locale {
                payload["locale"] = json!(locale);
            }
            socket
                .send(Message::text(
                    json!({"type": "connection_init", "payload": payload}).to_string(),
                ))
                .await
                .unwrap();
            let mut answers = Vec::new();
            let mut sent = 0;
            while answers.len() < 2 {
                let frame = tokio::time::timeout(Duration::from_secs(10), socket.next())
                    .await
                    .expect("an answer")
                    .expect("open")
                    .unwrap();
                let Message::Text(text) = frame else { continue };
                let msg: Value = serde_json::from_str(&text).unwrap();
                if msg["type"] == "connection_ack" {
                    for id in ["1", "2"] {
                        sent += 1;
                        socket
                        .send(Message::text(
                            json!({"id": id, "type": "subscribe", "payload": {
                                "query": CREATE_NEED, "variables": need_input(&w, json!({"title": ""}))}})
                            .to_string(),
                        ))
                        .await
                        .unwrap();
                    }
                } else if msg["type"] == "next" {
                    answers.push(msg["payload"].clone());
                }
            }
            assert_eq!(sent, 2);
            let first = conventional(&answers[0], None);
            let second = conventional(&answers[1], None);
            assert!(has_chinese(first["message"].as_str().unwrap()), "{first}");
            assert_eq!(field(&first, "input.title")["key"], "value.required");
            assert_ne!(
                first["extensions"]["requestId"], second["extensions"]["requestId"],
                "one request id per operation"
            );
        }
    }
);

e2e!(dates_and_times_are_coded_scalars, |app| async move {
    let w = World::new(&app).await;
    let res = app
        .gql_err(
            Some(&w.a),
            CREATE_NEED,
            need_input(&w, json!({"deadline": "30.06.2027"})),
            "BAD_USER_INPUT",
        )
        .await;
    let error = conventional(&res, None);
    assert_eq!(field(&error, "input.deadline")["key"], "date.invalid");
    let availability = "query($id: ID!) { instrument(id: $id) { id } bookings(first: 1, filter: {from: \"tomorrow\"}) { totalCount } }";
    let res = app
        .gql_err(
            Some(&w.a),
            availability,
            json!({"id": "x"}),
            "BAD_USER_INPUT",
        )
        .await;
    let error = conventional(&res, None);
    assert_eq!(
        field(&error, "filter.from")["key"],
        "datetime.invalid",
        "{error}"
    );

    let data = app
        .gql_ok(
            None,
            "{ date: __type(name: \"Date\") { description specifiedByURL }
               time: __type(name: \"DateTime\") { description specifiedByURL }
               old: __type(name: \"NaiveDate\") { name } }",
            json!({}),
        )
        .await;
    for t in ["date", "time"] {
        assert!(
            data[t]["specifiedByURL"]
                .as_str()
                .unwrap()
                .contains("rfc3339"),
            "{data}"
        );
        assert!(
            data[t]["description"]
                .as_str()
                .unwrap()
                .contains("RFC 3339")
        );
    }
    assert!(data["old"].is_null(), "NaiveDate is gone: {data}");
});

e2e!(coercion_errors_name_every_bad_value, |app| async move {
    let w = World::new(&app).await;
    let input = json!({"input": {
        "title": 5,
        "trlRequired": 3_000_000_000_i64,
        "visibility": "NOT_A_VISIBILITY",
        "keywords": ["ok", 7],
        "cooperationModes": ["JOINT_RESEARCH", "TELEPATHY"],
        "budgetMax": "12.345",
        "deadline": "2027-02-30",
        "colour": "red"
    }});
    let (body, id) = gql_lang(&app, Some(&w.a), None, CREATE_NEED, input.clone()).await;
    let error = conventional(&body, Some(&id));
    assert_eq!(
        body["errors"].as_array().unwrap().len(),
        1,
        "one error: {body}"
    );
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(error["extensions"]["key"], "graphql.invalid_values");
    let mut names = field_names(&error);
    names.sort();
    assert_eq!(
        names,
        [
            "input.budgetMax",
            "input.colour",
            "input.cooperationModes[1]",
            "input.deadline",
            "input.keywords[1]",
            "input.organizationId",
            "input.title",
            "input.trlRequired",
            "input.visibility",
        ],
        "{error}"
    );
    assert_eq!(
        field(&error, "input.trlRequired")["key"],
        "graphql.int_range"
    );
    assert_eq!(
        field(&error, "input.organizationId")["key"],
        "graphql.required"
    );
    assert_eq!(
        field(&error, "input.visibility")["key"],
        "graphql.unknown_enum_value"
    );
    assert_eq!(
        field(&error, "input.colour")["key"],
        "graphql.unknown_field"
    );
    assert_eq!(field(&error, "input.budgetMax")["key"], "money.invalid");
    assert_eq!(field(&error, "input.title")["key"], "graphql.type_mismatch");
    // In Chinese too.
    let (body, _) = gql_lang(&app, Some(&w.a), Some("zh-CN"), CREATE_NEED, input).await;
    let error = conventional(&body, None);
    assert!(has_chinese(error["message"].as_str().unwrap()), "{error}");

    // A literal argument and an Int beyond 32 bits in a query.
    let (body, _) = gql_lang(
        &app,
        None,
        None,
        "{ needs(first: 3000000000, filter: {status: [NOPE]}) { totalCount } }",
        json!({}),
    )
    .await;
    let error = conventional(&body, None);
    let mut names = field_names(&error);
    names.sort();
    assert_eq!(names, ["filter.status[0]", "first"], "{error}");
});

e2e!(
    validation_answers_every_problem_in_one_round,
    |app| async move {
        let w = World::new(&app).await;
        let res = app
            .gql_err(
                Some(&w.a),
                CREATE_NEED,
                need_input(
                    &w,
                    json!({"title": "", "trlRequired": 12, "disciplineCodes": ["999999"],
                    "industryCodes": ["Z99"], "deadline": "2020-01-01",
                    "budgetMin": "500", "budgetMax": "100"}),
                ),
                "BAD_USER_INPUT",
            )
            .await;
        let error = conventional(&res, None);
        let mut names = field_names(&error);
        names.sort();
        assert_eq!(
            names,
            [
                "input.budgetMax",
                "input.deadline",
                "input.disciplineCodes",
                "input.industryCodes",
                "input.title",
                "input.trlRequired",
            ],
            "title and TRL errors do not hide unknown codes: {error}"
        );
        assert_eq!(
            field(&error, "input.disciplineCodes")["key"],
            "taxonomy.unknown_codes"
        );
        assert_eq!(error["extensions"]["key"], "input.invalid_many");

        // Capabilities too, and an organisation that does not exist.
        let ghost_org = {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("Organization:999999")
        };
        let res = app
            .gql_err(
                Some(&w.u),
                crate::fixtures::CREATE_CAPABILITY,
                json!({"input": {"organizationId": ghost_org, "title": " ", "trl": 0,
                "disciplineCodes": ["999999"]}}),
                "BAD_USER_INPUT",
            )
            .await;
        let error = conventional(&res, None);
        let mut names = field_names(&error);
        names.sort();
        assert_eq!(
            names,
            [
                "input.disciplineCodes",
                "input.organizationId",
                "input.title",
                "input.trl"
            ],
            "{error}"
        );
    }
);

e2e!(
    register_reports_every_bad_field_without_serde_text,
    |app| async move {
        for (lang, body, want) in [
            (
                "en",
                json!({"email": "not-an-email", "password": "short", "displayName": " "}),
                vec![
                    ("displayName", "value.required"),
                    ("email", "email.invalid"),
                    ("password", "password.too_short"),
                ],
            ),
            (
                "zh-CN",
                json!({"password": 12}),
                vec![
                    ("displayName", "body.missing_field"),
                    ("email", "body.missing_field"),
                    ("password", "body.wrong_type"),
                ],
            ),
        ] {
            let res = app
                .client
                .post(app.url("/api/v1/auth/register"))
                .header("accept-language", lang)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 400);
            let request_id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
            let err: Value = res.json().await.unwrap();
            assert_eq!(err["code"], "BAD_USER_INPUT", "{err}");
            assert_eq!(err["requestId"], request_id);
            let mut got: Vec<(String, String)> = err["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        crate::common::text(&f["field"]),
                        crate::common::text(&f["key"]),
                    )
                })
                .collect();
            got.sort();
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(f, k)| ((*f).to_owned(), (*k).to_owned()))
                .collect();
            assert_eq!(got, want, "{err}");
            let text = err.to_string();
            assert!(
                !text.contains("missing field `"),
                "serde's text leaked: {text}"
            );
            assert!(
                !text.contains("invalid type"),
                "serde's text leaked: {text}"
            );
            if lang == "zh-CN" {
                assert!(has_chinese(err["message"].as_str().unwrap()), "{err}");
            }
        }
    }
);

e2e!(deadlines_in_the_past_are_refused, |app| async move {
    let w = World::new(&app).await;
    // "Today" is the calendar day in China Standard Time (UTC+8).
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let yesterday = today - chrono::Duration::days(1);
    let res = app
        .gql_err(
            Some(&w.a),
            CREATE_NEED,
            need_input(&w, json!({"deadline": yesterday.to_string()})),
            "BAD_USER_INPUT",
        )
        .await;
    let error = conventional(&res, None);
    let deadline = field(&error, "input.deadline");
    assert_eq!(deadline["key"], "need.deadline.past");
    assert!(
        deadline["message"]
            .as_str()
            .unwrap()
            .contains(&today.to_string()),
        "{deadline}"
    );
    let data = app
        .gql_ok(
            Some(&w.a),
            CREATE_NEED,
            need_input(&w, json!({"deadline": today.to_string()})),
        )
        .await;
    let id = crate::common::text(&data["createNeed"]["need"]["id"]);
    let update =
        "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { deadline } } }";
    let res = app
        .gql_err(
            Some(&w.a),
            update,
            json!({"input": {"id": id, "deadline": yesterday.to_string()}}),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(
        field(&conventional(&res, None), "input.deadline")["key"],
        "need.deadline.past"
    );
    let data = app
        .gql_ok(
            Some(&w.a),
            update,
            json!({"input": {"id": id, "deadline": "2030-12-31"}}),
        )
        .await;
    assert_eq!(data["updateNeed"]["need"]["deadline"], "2030-12-31");

    // A bulk import over the API creates needs too.
    let res = app
        .gql_err(
            Some(&w.a),
            "mutation($rows: [CreateNeedInput!]!) { importNeeds(input: {rows: $rows}) { count } }",
            json!({"rows": [
                {"organizationId": w.org_a, "title": "On time", "deadline": today.to_string()},
                {"organizationId": w.org_a, "title": "Too late", "deadline": yesterday.to_string()}]}),
            "BAD_USER_INPUT",
        )
        .await;
    let error = conventional(&res, None);
    assert_eq!(field_names(&error), ["input.rows[1].deadline"]);
    assert_eq!(
        field(&error, "input.rows[1].deadline")["key"],
        "need.deadline.past"
    );
});

e2e!(
    money_is_one_decimal_convention_on_both_apis,
    |app| async move {
        let w = World::new(&app).await;
        let data = app
        .gql_ok(
            Some(&w.a),
            "mutation($input: CreateNeedInput!) { createNeed(input: $input) {
               need { id budgetMin { amount currencyCode } budgetMax { amount currencyCode } } } }",
            need_input(
                &w,
                json!({"budgetMin": "1200.5", "budgetMax": "3000000000.99", "visibility": "PUBLIC"}),
            ),
        )
        .await;
        let need = &data["createNeed"]["need"];
        assert_eq!(
            need["budgetMin"],
            json!({"amount": "1200.50", "currencyCode": "CNY"})
        );
        assert_eq!(
            need["budgetMax"],
            json!({"amount": "3000000000.99", "currencyCode": "CNY"}),
            "beyond 32 bits"
        );
        let id = crate::common::text(&need["id"]);
        app.gql_ok(
            Some(&w.a),
            "mutation($id: ID!) { publishNeed(input: {id: $id}) { need { id } } }",
            json!({"id": id}),
        )
        .await;
        let rest: Value = app
            .get(&format!("/api/v1/needs/{id}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            rest["budgetMax"],
            json!({"amount": "3000000000.99", "currencyCode": "CNY"})
        );
        assert_eq!(rest["budgetMin"]["amount"], "1200.50");

        for (value, key) in [
            ("1.234", "money.invalid"),
            ("-5", "value.negative"),
            ("abc", "money.invalid"),
            ("100000000000000", "money.too_large"),
        ] {
            let res = app
                .gql_err(
                    Some(&w.a),
                    CREATE_NEED,
                    need_input(&w, json!({"budgetMax": value})),
                    "BAD_USER_INPUT",
                )
                .await;
            assert_eq!(
                field(&conventional(&res, None), "input.budgetMax")["key"],
                key,
                "{value}"
            );
        }
    }
);

const TYPE_REF: &str =
    "kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }";

/// The named type inside NON_NULL/LIST wrappers, and whether the outermost is
/// NON_NULL.
fn unwrap_type(t: &Value) -> (&Value, bool) {
    let non_null = t["kind"] == "NON_NULL";
    let mut t = t;
    while t["name"].is_null() {
        t = &t["ofType"];
    }
    (t, non_null)
}

/// A value of type `t` the server accepts as input (required fields only);
/// ids name a need that does not exist.
fn sample(t: &Value, types: &HashMap<String, Value>, depth: usize) -> Value {
    match t["kind"].as_str() {
        Some("NON_NULL") => sample(&t["ofType"], types, depth),
        Some("LIST") => json!([]),
        _ => {
            let name = t["name"].as_str().unwrap();
            let def = &types[name];
            match def["kind"].as_str() {
                Some("INPUT_OBJECT") => {
                    let mut out = serde_json::Map::new();
                    for f in def["inputFields"].as_array().unwrap() {
                        if f["type"]["kind"] == "NON_NULL"
                            && f["defaultValue"].is_null()
                            && depth < 5
                        {
                            out.insert(
                                crate::common::text(&f["name"]),
                                sample(&f["type"], types, depth + 1),
                            );
                        }
                    }
                    Value::Object(out)
                }
                Some("ENUM") => def["enumValues"][0]["name"].clone(),
                _ => match name {
                    "ID" => json!("TmVlZDo5OTk5OTk"),
                    "String" => json!("x"),
                    "Int" => json!(1),
                    "Float" => json!(1.0),
                    "Boolean" => json!(false),
                    "Date" => json!("2030-01-01"),
                    "DateTime" => json!("2030-01-01T09:00:00+08:00"),
                    "Decimal" => json!("1.00"),
                    other => panic!("no sample for scalar {other}"),
                },
            }
        }
    }
}

/// A GraphQL type reference (`CreateNeedInput!`, `[ID!]!`).
fn type_ref(t: &Value) -> String {
    match t["kind"].as_str() {
        Some("NON_NULL") => format!("{}!", type_ref(&t["ofType"])),
        Some("LIST") => format!("[{}]", type_ref(&t["ofType"])),
        _ => crate::common::text(&t["name"]),
    }
}

e2e!(
    schema_walk_every_mutation_follows_the_conventions,
    |app| async move {
        let schema = app
        .gql_ok(
            None,
            &format!(
                "{{ __schema {{
                  mutationType {{ fields {{ name args {{ name defaultValue type {{ {TYPE_REF} }} }} type {{ {TYPE_REF} }} }} }}
                  types {{ kind name inputFields {{ name defaultValue type {{ {TYPE_REF} }} }} enumValues {{ name }} }} }} }}"
            ),
            json!({}),
        )
        .await;
        let types: HashMap<String, Value> = schema["__schema"]["types"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (crate::common::text(&t["name"]), t.clone()))
            .collect();
        let mutations = schema["__schema"]["mutationType"]["fields"]
            .as_array()
            .unwrap();
        assert!(mutations.len() > 30, "{}", mutations.len());

        // (a) One argument, `input`, of a non-null input-object type.
        let mut offending = Vec::new();
        for m in mutations {
            let args = m["args"].as_array().unwrap();
            let ok = args.len() == 1 && args[0]["name"] == "input" && {
                let (named, non_null) = unwrap_type(&args[0]["type"]);
                non_null
                    && args[0]["type"]["ofType"]["kind"] == "INPUT_OBJECT"
                    && types[named["name"].as_str().unwrap()]["kind"] == "INPUT_OBJECT"
            };
            if !ok {
                offending.push(crate::common::text(&m["name"]));
            }
        }
        offending.sort();
        assert!(
            offending.is_empty(),
            "mutations that do not take one `input: XxxInput!` argument: {offending:?}"
        );

        // (b) Each mutation, called so that it fails, answers by the error
        // convention, in Chinese when asked.
        let stranger = app.user("stranger@errors.test").await;
        for m in mutations {
            let name = crate::common::text(&m["name"]);
            let (returns, _) = unwrap_type(&m["type"]);
            let selection = match types[returns["name"].as_str().unwrap()]["kind"].as_str() {
                Some("OBJECT") => "{ __typename }",
                _ => "",
            };
            // The required arguments (the others are left out).
            let args: Vec<&Value> = m["args"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a["type"]["kind"] == "NON_NULL" && a["defaultValue"].is_null())
                .collect();
            let declared: Vec<String> = args
                .iter()
                .map(|a| {
                    format!(
                        "${}: {}",
                        crate::common::text(&a["name"]),
                        type_ref(&a["type"])
                    )
                })
                .collect();
            let passed: Vec<String> = args
                .iter()
                .map(|a| format!("{0}: ${0}", crate::common::text(&a["name"])))
                .collect();
            let (vars_decl, args_pass) = if args.is_empty() {
                (String::new(), String::new())
            } else {
                (
                    format!("({})", declared.join(", ")),
                    format!("({})", passed.join(", ")),
                )
            };
            let query = format!("mutation{vars_decl} {{ {name}{args_pass} {selection} }}");
            let valid: serde_json::Map<String, Value> = args
                .iter()
                .map(|a| {
                    (
                        crate::common::text(&a["name"]),
                        sample(&a["type"], &types, 0),
                    )
                })
                .collect();
            let empty: serde_json::Map<String, Value> = args
                .iter()
                .map(|a| {
                    let (named, _) = unwrap_type(&a["type"]);
                    let v = if types[named["name"].as_str().unwrap()]["kind"] == "INPUT_OBJECT" {
                        json!({})
                    } else {
                        Value::Null
                    };
                    (crate::common::text(&a["name"]), v)
                })
                .collect();
            for (who, variables, what) in [
                (None, Value::Object(empty.clone()), "an empty input"),
                (None, Value::Object(valid.clone()), "signed out"),
                (
                    Some(stranger.as_str()),
                    Value::Object(valid.clone()),
                    "unknown ids",
                ),
            ] {
                let (body, id) =
                    gql_lang(&app, who, Some("zh-CN"), &query, variables.clone()).await;
                if body.get("errors").is_none() {
                    assert!(who.is_some(), "{name} with {what} succeeded: {body}");
                    continue;
                }
                let error = conventional(&body, Some(&id));
                assert!(
                    has_chinese(error["message"].as_str().unwrap()),
                    "{name} ({what}): not in Chinese: {error}"
                );
                if who.is_none() && what == "signed out" {
                    assert_eq!(
                        error["extensions"]["code"], "UNAUTHENTICATED",
                        "{name}: {error}"
                    );
                }
                if what == "an empty input" && !empty.is_empty() {
                    let code = error["extensions"]["code"].as_str().unwrap();
                    assert!(
                        code == "BAD_USER_INPUT" || code == "UNAUTHENTICATED",
                        "{name}: {error}"
                    );
                }
            }
        }
    }
);
