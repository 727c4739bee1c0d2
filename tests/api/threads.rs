//! Conversations on matches and projects (会话): both parties write and
//! read, strangers find nothing; unread counts per reader; `messageAdded`
//! over WebSocket with the rights of the moment; attachments uploaded over
//! HTTP to the configured file store — a directory, or a real
//! S3-compatible server (`scripts/with-s3`) — checked by size, by name and
//! by their leading bytes, and downloaded back only by those who see the
//! conversation.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use iurhub_api::config::{FileStoreKind, Settings};
use serde_json::{Value, json};

use crate::common::{self, TestApp, assert_code, text};
use crate::fixtures::{World, add_member};
use crate::subscriptions::Ws;

const POST: &str = "mutation($input: PostMessageInput!) {
  postMessage(input: $input) {
    message { id body viewerIsAuthor author { displayName } organization { id }
      attachments { id name contentType size url } }
    thread { id subjectId } } }";

const THREAD: &str = "query($id: ID!) { node(id: $id) { ... on Thread {
  id subjectId unreadCount lastReadAt subject { __typename id }
  messages(first: 50) { totalCount edges { node { id body author { displayName } } } } } } }";

const PROJECT_THREAD: &str =
    "query($id: ID!) { node(id: $id) { ... on Project { thread { id } } } }";

const MARK_READ: &str = "mutation($id: ID!) {
  markThreadRead(input: {threadId: $id}) { thread { id unreadCount lastReadAt } } }";

/// A project between A and U; its id.
async fn project(app: &TestApp, w: &World) -> String {
    let data = app
        .gql_ok(
            Some(&w.a),
            "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
            json!({"input": {"title": "联合研发 Joint R&D", "area": "JOINT_RESEARCH_PLATFORM",
                "partyOrganizationIds": [w.org_a, w.org_u]}}),
        )
        .await;
    text(&data["createProject"]["project"]["id"])
}

/// The number inside a global id (`Need:12` → 12).
fn number(id: &str) -> String {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(id).unwrap()).unwrap();
    raw.split_once(':').unwrap().1.to_owned()
}

/// The match id of a need and a capability.
fn match_id(need: &str, capability: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("Match:{}.{}", number(need), number(capability)))
}

async fn post(app: &TestApp, token: &str, input: Value) -> Value {
    app.gql(Some(token), POST, json!({"input": input})).await
}

async fn post_ok(app: &TestApp, token: &str, input: Value) -> Value {
    let res = post(app, token, input).await;
    assert!(res.get("errors").is_none(), "{res}");
    res["data"]["postMessage"].clone()
}

async fn unread(app: &TestApp, token: &str, thread: &str) -> i64 {
    let data = app.gql_ok(Some(token), THREAD, json!({"id": thread})).await;
    data["node"]["unreadCount"].as_i64().unwrap()
}

async fn unread_total(app: &TestApp, token: &str) -> i64 {
    let data = app
        .gql_ok(Some(token), "{ me { unreadMessages } }", json!({}))
        .await;
    data["me"]["unreadMessages"].as_i64().unwrap()
}

/// Uploads `bytes` as `name` to the thread; the response.
async fn upload(
    app: &TestApp,
    token: Option<&str>,
    thread: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    let mut req = app
        .client
        .post(app.url(&format!("/api/v1/threads/{thread}/attachments")))
        .multipart(form);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

fn pdf(len: usize) -> Vec<u8> {
    let mut data = b"%PDF-1.7\n".to_vec();
    data.resize(len, b'x');
    data
}

e2e!(
    the_parties_of_a_project_talk_and_strangers_find_nothing,
    |app| async move {
        let w = World::new(&app).await;
        let project = project(&app, &w).await;
        let first = post_ok(
            &app,
            &w.a,
            json!({"subjectId": project, "body": "  请看附件中的测试报告。\nPlease see the report.  "}),
        )
        .await;
        let thread = text(&first["thread"]["id"]);
        assert_eq!(first["thread"]["subjectId"], project.as_str());
        assert_eq!(
            first["message"]["body"],
            "请看附件中的测试报告。\nPlease see the report."
        );
        assert_eq!(first["message"]["viewerIsAuthor"], true);
        assert_eq!(first["message"]["organization"]["id"], w.org_a.as_str());
        // The project's thread is the same one, for either party; its id
        // stays.
        for token in [&w.a, &w.u] {
            let data = app
                .gql_ok(Some(token), PROJECT_THREAD, json!({"id": project}))
                .await;
            assert_eq!(data["node"]["thread"]["id"], thread.as_str());
        }
        post_ok(
            &app,
            &w.u,
            json!({"threadId": thread, "body": "收到 received"}),
        )
        .await;
        let data = app.gql_ok(Some(&w.u), THREAD, json!({"id": thread})).await;
        let node = &data["node"];
        assert_eq!(node["subject"]["__typename"], "Project");
        assert_eq!(node["messages"]["totalCount"], 2);
        let bodies: Vec<String> = node["messages"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| text(&e["node"]["body"]))
            .collect();
        assert_eq!(
            bodies,
            [
                "请看附件中的测试报告。\nPlease see the report.",
                "收到 received"
            ],
            "oldest first"
        );
        let message = text(&node["messages"]["edges"][0]["node"]["id"]);

        // B, a stranger: the thread, its messages and the writes are NOT_FOUND,
        // exactly as for ids that name nothing.
        for id in [&thread, &message] {
            let res = app
                .gql(
                    Some(&w.b),
                    "query($id: ID!) { node(id: $id) { id } }",
                    json!({"id": id}),
                )
                .await;
            assert_code(&res, "NOT_FOUND");
            assert!(res["data"]["node"].is_null(), "{res}");
        }
        let res = post(&app, &w.b, json!({"threadId": thread, "body": "hello"})).await;
        assert_code(&res, "NOT_FOUND");
        let res = post(&app, &w.b, json!({"subjectId": project, "body": "hello"})).await;
        assert_code(&res, "NOT_FOUND");
        let res = app.gql(Some(&w.b), MARK_READ, json!({"id": thread})).await;
        assert_code(&res, "NOT_FOUND");
        let res = upload(&app, Some(&w.b), &thread, "a.txt", b"hello".to_vec()).await;
        assert_eq!(res.status(), 404);
        let data = app.gql_ok(Some(&w.a), THREAD, json!({"id": thread})).await;
        assert_eq!(data["node"]["messages"]["totalCount"], 2, "B wrote nothing");

        // Bad input: every problem at once, on its field.
        let res = post(
            &app,
            &w.a,
            json!({"threadId": thread, "body": "   ", "attachmentIds": vec!["QXR0YWNobWVudDox"; 11]}),
        )
        .await;
        assert_code(&res, "BAD_USER_INPUT");
        let fields: Vec<String> = res["errors"][0]["extensions"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| text(&f["field"]))
            .collect();
        assert_eq!(fields, ["input.body", "input.attachmentIds"], "{res}");
        let res = post(
            &app,
            &w.a,
            json!({"threadId": thread, "body": "长".repeat(10_001)}),
        )
        .await;
        assert_code(&res, "BAD_USER_INPUT");
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["key"],
            "value.too_long"
        );
        post_ok(
            &app,
            &w.a,
            json!({"threadId": thread, "body": "长".repeat(10_000)}),
        )
        .await;
        let res = post(&app, &w.a, json!({"body": "no subject"})).await;
        assert_code(&res, "BAD_USER_INPUT");
        let res = post(
            &app,
            &w.a,
            json!({"subjectId": w.org_a, "body": "an organisation"}),
        )
        .await;
        assert_code(&res, "BAD_USER_INPUT");
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["key"],
            "thread.subject.kind"
        );
    }
);

e2e!(both_sides_of_a_match_share_its_thread, |app| async move {
    let w = World::new(&app).await;
    let need = w
        .need(&app, "轴承故障诊断 bearing diagnosis", "PUBLIC", true)
        .await;
    let capability = crate::matching::capability(
        &app,
        &w,
        "振动分析 vibration analysis",
        "轴承 bearing fault diagnosis with vibration data",
        &["bearing", "轴承"],
        &["460"],
        6,
    )
    .await;
    let pair = match_id(&need, &capability);
    // The need's side starts it; the capability's side (U) reads it and
    // answers; B sees nothing of it.
    let first = post_ok(
        &app,
        &w.a,
        json!({"subjectId": pair, "body": "可以合作吗？"}),
    )
    .await;
    let thread = text(&first["thread"]["id"]);
    assert_eq!(first["thread"]["subjectId"], pair.as_str());
    let again = post_ok(&app, &w.u, json!({"subjectId": pair, "body": "可以 yes"})).await;
    assert_eq!(
        again["thread"]["id"],
        thread.as_str(),
        "one thread per match"
    );
    assert_eq!(again["message"]["organization"]["id"], w.org_u.as_str());
    let data = app.gql_ok(Some(&w.u), THREAD, json!({"id": thread})).await;
    assert_eq!(data["node"]["messages"]["totalCount"], 2);
    let data = app
        .gql_ok(
            Some(&w.a),
            "query($id: ID!) { node(id: $id) { ... on Match { thread { id } } } }",
            json!({"id": pair}),
        )
        .await;
    assert_eq!(data["node"]["thread"]["id"], thread.as_str());
    let res = app
        .gql(
            Some(&w.b),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": thread}),
        )
        .await;
    assert_code(&res, "NOT_FOUND");
    let res = post(&app, &w.b, json!({"subjectId": pair, "body": "me too"})).await;
    assert_code(&res, "NOT_FOUND");
    // A confidential need nobody decided on: the pair's conversation is
    // the need's side's alone — its id finds nothing for U.
    let secret = w
        .need(&app, "保密需求 confidential", "CONFIDENTIAL", true)
        .await;
    let blind = match_id(&secret, &capability);
    let started = post_ok(&app, &w.a, json!({"subjectId": blind, "body": "内部讨论"})).await;
    let res = app
        .gql(
            Some(&w.u),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": started["thread"]["id"]}),
        )
        .await;
    assert_code(&res, "NOT_FOUND");
    let res = post(&app, &w.u, json!({"subjectId": blind, "body": "hello?"})).await;
    assert_code(&res, "NOT_FOUND");
    // A pair whose capability does not exist has no thread.
    let res = post(
            &app,
            &w.a,
            json!({"subjectId": match_id(&need, &URL_SAFE_NO_PAD.encode("Capability:999999")), "body": "x"}),
        )
        .await;
    assert_code(&res, "NOT_FOUND");
});

e2e!(
    unread_counts_are_per_reader_and_own_messages_are_never_unread,
    |app| async move {
        let w = World::new(&app).await;
        let project = project(&app, &w).await;
        assert_eq!(unread_total(&app, &w.u).await, 0);
        let thread = text(
            &post_ok(&app, &w.a, json!({"subjectId": project, "body": "one"})).await["thread"]["id"],
        );
        post_ok(&app, &w.a, json!({"threadId": thread, "body": "two"})).await;
        post_ok(&app, &w.u, json!({"threadId": thread, "body": "three"})).await;
        assert_eq!(unread(&app, &w.a, &thread).await, 1);
        assert_eq!(unread(&app, &w.u, &thread).await, 2);
        assert_eq!(unread_total(&app, &w.a).await, 1);
        assert_eq!(unread_total(&app, &w.u).await, 2);
        assert_eq!(unread_total(&app, &w.b).await, 0, "B sees no thread");
        // The admin sees every conversation: the three messages are others'.
        assert_eq!(unread_total(&app, &w.admin).await, 3);
        // A match's conversation counts for the capability's side (U) and
        // the need's side, not for B.
        let need = w
            .need(&app, "轴承故障诊断 bearing diagnosis", "PUBLIC", true)
            .await;
        let capability = crate::matching::capability(
            &app,
            &w,
            "振动分析 vibration analysis",
            "轴承 bearing fault diagnosis with vibration data",
            &["bearing", "轴承"],
            &["460"],
            6,
        )
        .await;
        let pair = match_id(&need, &capability);
        post_ok(
            &app,
            &w.a,
            json!({"subjectId": pair, "body": "可以合作吗？"}),
        )
        .await;
        assert_eq!(unread_total(&app, &w.u).await, 3);
        assert_eq!(unread_total(&app, &w.a).await, 1);
        assert_eq!(unread_total(&app, &w.b).await, 0);
        assert_eq!(unread_total(&app, &w.admin).await, 4);
        // Another user's count is not shown.
        let data = app
            .gql_ok(
                Some(&w.a),
                "query($id: ID!) { node(id: $id) { ... on User { unreadMessages } } }",
                json!({"id": crate::fixtures::me(&app, &w.u).await}),
            )
            .await;
        assert!(data["node"]["unreadMessages"].is_null(), "{data}");

        let data = app
            .gql_ok(Some(&w.u), MARK_READ, json!({"id": thread}))
            .await;
        assert_eq!(data["markThreadRead"]["thread"]["unreadCount"], 0);
        assert!(data["markThreadRead"]["thread"]["lastReadAt"].is_string());
        assert_eq!(unread(&app, &w.a, &thread).await, 1, "A's count is A's own");
        assert_eq!(unread_total(&app, &w.u).await, 1, "the match's message");
        post_ok(&app, &w.a, json!({"threadId": thread, "body": "four"})).await;
        assert_eq!(unread(&app, &w.u, &thread).await, 1);
        assert_eq!(unread(&app, &w.a, &thread).await, 1);
        let data = app.gql_ok(Some(&w.a), THREAD, json!({"id": thread})).await;
        assert!(
            data["node"]["lastReadAt"].is_null(),
            "A never marked it read"
        );
    }
);

e2e!(
    attachments_are_checked_named_safely_and_downloaded_by_the_parties_only,
    |app| async move {
        let w = World::new(&app).await;
        let project = project(&app, &w).await;
        let data = app
            .gql_ok(Some(&w.a), PROJECT_THREAD, json!({"id": project}))
            .await;
        let thread = text(&data["node"]["thread"]["id"]);

        let csv = "名称,数量\n轴承,40\n".as_bytes().to_vec();
        let res = upload(&app, Some(&w.a), &thread, "../../etc/清单.csv", csv.clone()).await;
        assert_eq!(res.status(), 201);
        let uploaded: Value = res.json().await.unwrap();
        assert_eq!(
            uploaded["name"], "清单.csv",
            "the path is dropped, the Chinese name kept"
        );
        assert_eq!(uploaded["contentType"], "text/csv; charset=utf-8");
        assert_eq!(uploaded["size"], csv.len());
        let id = text(&uploaded["id"]);
        // Stored under a random key in <data_dir>/files, never under its name.
        let files = app.data_dir().join("files");
        let stored: Vec<String> = walk(&files);
        assert_eq!(stored.len(), 1, "{stored:?}");
        assert!(
            !stored[0].contains("清单") && !stored[0].contains(".."),
            "{stored:?}"
        );

        let posted = post_ok(
            &app,
            &w.a,
            json!({"threadId": thread, "body": "清单见附件", "attachmentIds": [id]}),
        )
        .await;
        assert_eq!(posted["message"]["attachments"][0]["name"], "清单.csv");
        // An attachment goes on one message only.
        let res = post(
            &app,
            &w.a,
            json!({"threadId": thread, "body": "again", "attachmentIds": [id]}),
        )
        .await;
        assert_code(&res, "BAD_USER_INPUT");
        assert_eq!(
            res["errors"][0]["extensions"]["fields"][0]["field"],
            "input.attachmentIds[0]"
        );

        let res = app.get_as(&format!("/api/v1/attachments/{id}"), &w.u).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        let disposition = res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            disposition.starts_with("attachment;")
                && disposition.contains("filename*=UTF-8''%E6%B8%85%E5%8D%95.csv"),
            "{disposition}"
        );
        assert_eq!(res.bytes().await.unwrap().to_vec(), csv);
        assert_eq!(
            app.get_as(&format!("/api/v1/attachments/{id}"), &w.b)
                .await
                .status(),
            404
        );
        assert_eq!(
            app.get(&format!("/api/v1/attachments/{id}")).await.status(),
            401
        );
        assert_eq!(
            app.get_as(
                &format!(
                    "/api/v1/attachments/{}",
                    URL_SAFE_NO_PAD.encode("Attachment:999999")
                ),
                &w.a
            )
            .await
            .status(),
            404
        );

        // An executable named .pdf, HTML named .txt, an SVG: refused.
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
        for (name, bytes, key) in [
            ("report.pdf", exe.clone(), "attachment.type.mismatch"),
            (
                "notes.txt",
                b"<!DOCTYPE html><script>alert(1)</script>".to_vec(),
                "attachment.type.mismatch",
            ),
            (
                "logo.svg",
                b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
                "attachment.type.not_allowed",
            ),
            ("setup.exe", exe.clone(), "attachment.type.not_allowed"),
            ("...", pdf(100), "attachment.name.invalid"),
        ] {
            let res = upload(&app, Some(&w.a), &thread, name, bytes).await;
            assert_eq!(res.status(), 400, "{name}");
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["code"], "BAD_USER_INPUT", "{name}: {body}");
            assert_eq!(body["key"], key, "{name}: {body}");
        }
        assert_eq!(
            upload(&app, None, &thread, "a.txt", b"hi".to_vec())
                .await
                .status(),
            401
        );
        assert_eq!(walk(&files).len(), 1, "nothing refused was stored");
    }
);

/// The files below `dir`, as paths.
fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path.display().to_string());
        }
    }
    out
}

/// The server keeps attachments in the test S3 server's bucket, under a
/// prefix of its own, with a 64 KiB limit.
fn on_s3(s: &mut Settings) {
    let Ok(url) = std::env::var("IURHUB_TEST_S3_URL") else {
        return;
    };
    s.file_store = FileStoreKind::S3;
    s.s3_endpoint = Some(url);
    s.s3_bucket = Some(common::S3_TEST_BUCKET.into());
    s.s3_path_style = true;
    s.s3_access_key_id = Some("testing".into());
    s.s3_secret_access_key = Some("testing".to_owned().into());
    s.s3_prefix = format!("e2e-{}", rand::random::<u64>());
    s.attachments_max_bytes = 64 * 1024;
}

e2e!(
    a_file_uploaded_over_http_is_kept_in_s3_and_downloaded_back,
    settings = on_s3,
    |app| async move {
        if common::s3_url().await.is_none() {
            return;
        }
        let w = World::new(&app).await;
        let project = project(&app, &w).await;
        let data = app
            .gql_ok(Some(&w.a), PROJECT_THREAD, json!({"id": project}))
            .await;
        let thread = text(&data["node"]["thread"]["id"]);
        let report = pdf(60 * 1024);
        let res = upload(&app, Some(&w.a), &thread, "报告.pdf", report.clone()).await;
        assert_eq!(res.status(), 201);
        let uploaded: Value = res.json().await.unwrap();
        assert_eq!(uploaded["name"], "报告.pdf");
        assert_eq!(uploaded["contentType"], "application/pdf");
        let id = text(&uploaded["id"]);
        assert!(
            walk(&app.data_dir().join("files")).is_empty(),
            "nothing on the server's disk"
        );
        post_ok(
            &app,
            &w.a,
            json!({"threadId": thread, "body": "报告", "attachmentIds": [id]}),
        )
        .await;

        let res = app.get_as(&format!("/api/v1/attachments/{id}"), &w.u).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf")
        );
        assert!(
            res.bytes().await.unwrap().to_vec() == report,
            "the same bytes back"
        );
        assert_eq!(
            app.get_as(&format!("/api/v1/attachments/{id}"), &w.b)
                .await
                .status(),
            404
        );

        // Over the limit: 413, coded, while the file streams in.
        let res = upload(&app, Some(&w.a), &thread, "big.pdf", pdf(64 * 1024 + 1)).await;
        assert_eq!(res.status(), 413);
        assert_eq!(
            res.headers()["connection"],
            "close",
            "the unread rest of the body ends the connection: no client may reuse it"
        );
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "BAD_USER_INPUT", "{body}");
        assert_eq!(body["key"], "attachment.too_large", "{body}");
        // Far over it: refused without reading it all — the server answers
        // 413 and closes the connection, which the client may notice while
        // it is still sending.
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(pdf(3 * 1024 * 1024)).file_name("huge.pdf"),
        );
        let sent = app
            .client
            .post(app.url(&format!("/api/v1/threads/{thread}/attachments")))
            .bearer_auth(&w.a)
            .multipart(form)
            .send()
            .await;
        match sent {
            Ok(res) => assert_eq!(res.status(), 413),
            Err(e) => assert!(e.is_request(), "{e}"),
        }
        let data = app.gql_ok(Some(&w.a), THREAD, json!({"id": thread})).await;
        assert_eq!(
            data["node"]["messages"]["totalCount"], 1,
            "the server goes on"
        );
    }
);

/// The S3 store and the directory store pass the same storage suite; the
/// S3 one against the real S3-compatible server of `scripts/with-s3`.
#[tokio::test]
async fn both_file_stores_pass_the_storage_suite() {
    let dir = tempfile::tempdir().unwrap();
    iurhub_app::files::suite::run(&iurhub_app::files::DirStore::new(dir.path())).await;
    let Some(url) = common::s3_url().await else {
        return;
    };
    let s3 = iurhub_files::S3Store::new(&iurhub_files::S3Config {
        endpoint: Some(url),
        bucket: common::S3_TEST_BUCKET.into(),
        region: "us-east-1".into(),
        access_key_id: Some("testing".into()),
        secret_access_key: Some("testing".into()),
        path_style: true,
        prefix: format!("suite-{}", rand::random::<u64>()),
    })
    .unwrap();
    iurhub_app::files::suite::run(&s3).await;
}

const ADDED: &str =
    "subscription($id: ID!) { messageAdded(threadId: $id) { id body author { displayName } } }";

/// Every message that arrives within `wait`.
async fn drain(ws: &mut Ws, wait: Duration) -> Vec<Value> {
    let mut got = Vec::new();
    while let Some(msg) = ws.next(wait).await {
        got.push(msg);
    }
    got
}

e2e!(
    new_messages_reach_the_parties_and_stop_when_a_member_leaves,
    |app| async move {
        let w = World::new(&app).await;
        let colleague = app.user("colleague@university.test").await;
        let res = add_member(
            &app,
            &w.admin,
            &w.org_u,
            "colleague@university.test",
            "MEMBER",
        )
        .await;
        assert!(res.get("errors").is_none(), "{res}");
        let project = project(&app, &w).await;
        let data = app
            .gql_ok(Some(&w.a), PROJECT_THREAD, json!({"id": project}))
            .await;
        let thread = text(&data["node"]["thread"]["id"]);

        let mut leaving = Ws::connect(&app, Some(&w.u)).await;
        leaving.subscribe("m", ADDED, json!({"id": thread})).await;
        let mut staying = Ws::connect(&app, Some(&colleague)).await;
        staying.subscribe("m", ADDED, json!({"id": thread})).await;
        let mut stranger = Ws::connect(&app, Some(&w.b)).await;
        stranger.subscribe("m", ADDED, json!({"id": thread})).await;
        assert_eq!(stranger.refusal("m").await.as_deref(), Some("NOT_FOUND"));

        // Subscriptions start asynchronously: post until the first is heard.
        let mut heard = None;
        for n in 0..10 {
            post_ok(
                &app,
                &w.a,
                json!({"threadId": thread, "body": format!("hello {n}")}),
            )
            .await;
            if let Some(msg) = leaving.next(Duration::from_millis(1500)).await {
                heard = Some(msg);
                break;
            }
        }
        let heard = heard.expect("U hears A's message");
        assert!(text(&heard["payload"]["data"]["messageAdded"]["body"]).starts_with("hello"));
        assert_eq!(
            heard["payload"]["data"]["messageAdded"]["author"]["displayName"],
            "a@enterprise-a.test"
        );
        drain(&mut leaving, Duration::from_millis(1000)).await;
        assert!(
            !drain(&mut staying, Duration::from_millis(1000))
                .await
                .is_empty()
        );

        // U leaves the university (an operator removes the membership).
        let db = sea_orm::Database::connect(app.database_url.as_str())
            .await
            .unwrap();
        sea_orm::ConnectionTrait::execute_unprepared(
            &db,
            "DELETE FROM memberships WHERE user_id = \
             (SELECT id FROM users WHERE email = 'u@university.test')",
        )
        .await
        .unwrap();
        db.close().await.unwrap();
        post_ok(
            &app,
            &w.a,
            json!({"threadId": thread, "body": "after the departure"}),
        )
        .await;
        let got = drain(&mut staying, Duration::from_millis(2000)).await;
        assert!(
            got.iter()
                .any(|m| m["payload"]["data"]["messageAdded"]["body"] == "after the departure"),
            "the colleague still hears: {got:?}"
        );
        let leaked = drain(&mut leaving, Duration::from_millis(1000)).await;
        assert!(
            leaked.is_empty(),
            "the former member still hears: {leaked:?}"
        );
        // And reads nothing more over HTTP.
        let res = app.gql(Some(&w.u), THREAD, json!({"id": thread})).await;
        assert_code(&res, "NOT_FOUND");
    }
);

e2e!(
    an_id_that_names_no_thread_or_attachment_is_not_found,
    |app| async move {
        let w = World::new(&app).await;
        // What the OpenAPI document allows for `{id}` — any string — is an
        // object that does not exist, never a 400 (found by schemathesis).
        for id in ["2", "not-an-id", "TmVlZDox"] {
            let res = upload(&app, Some(&w.a), id, "a.txt", b"x".to_vec()).await;
            assert_eq!(res.status(), 404, "upload to {id}");
            let res = app.get_as(&format!("/api/v1/attachments/{id}"), &w.a).await;
            assert_eq!(res.status(), 404, "download {id}");
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["code"], "NOT_FOUND", "{body}");
        }
    }
);
