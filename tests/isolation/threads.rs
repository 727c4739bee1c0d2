//! Conversations of the A–U project and of A's accepted match with U's
//! capability: their parties' members (A, U, U's ORG_ADMIN), U's
//! coordinator and admins read and write them — the match's only A's side
//! and admins, as A's confidential need is not disclosed to U; B, anonymous callers, A's
//! supervisor (who reads A's projects, not the parties' conversations) and
//! a platform coordinator without grants find nothing — the thread, its
//! messages and its attachments are NOT_FOUND exactly like missing ones,
//! `Project.thread` and `Match.thread` are null, writes change nothing,
//! `messageAdded` is refused and the attachment is not downloaded.

use std::time::Duration;

use serde_json::{Value, json};

use crate::world::{Tenants, Who, missing};
use crate::ws::Ws;

/// A marker the conversations carry, seen only by their audience.
const THREAD_MARK: &str = "SECRET-THREAD-AU-7f3";

const POST: &str = "mutation($input: PostMessageInput!) {
  postMessage(input: $input) { message { id body attachments { id name } } thread { id } } }";

const NODE: &str = "query($id: ID!) { node(id: $id) { id
  ... on Thread { subjectId unreadCount subject { id }
    messages(first: 10) { nodes { body attachments { name uploadedBy { id } } } } }
  ... on ThreadMessage { body thread { id } author { id } attachments { name uploadedBy { id } } } } }";

const PROJECT_THREAD: &str = "query($id: ID!) { project(id: $id) { id thread { id
  messages(first: 10) { nodes { body } } } } }";

const MARK_READ: &str =
    "mutation($id: ID!) { markThreadRead(input: {threadId: $id}) { thread { id } } }";

const ADDED: &str = "subscription($id: ID!) { messageAdded(threadId: $id) { id body } }";

/// The raw answer must not carry the conversation's marker.
fn assert_hidden(who: Who, what: &str, body: &Value) {
    let text = body.to_string();
    assert!(
        !text.contains(THREAD_MARK),
        "{who:?} was shown the conversation through {what}: {text}"
    );
}

e2e!(threads_are_their_parties_alone, |app| async move {
    let t = Tenants::build(&app).await;
    // A writes on the A–U project, with an attachment, and on the accepted
    // match of its confidential need with U's capability.
    let thread = t.ok(Who::A, PROJECT_THREAD, json!({"id": t.project})).await["project"]["thread"]
        ["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(format!("{THREAD_MARK} 测试数据\n").into_bytes())
            .file_name("数据.txt"),
    );
    let res = app
        .client
        .post(app.url(&format!("/api/v1/threads/{thread}/attachments")))
        .bearer_auth(t.token(Who::A).unwrap())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let attachment = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let data = t
        .ok(
            Who::A,
            POST,
            json!({"input": {"threadId": thread, "body": format!("{THREAD_MARK} 项目进展"),
                "attachmentIds": [attachment]}}),
        )
        .await;
    let message = data["postMessage"]["message"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let data = t
        .ok(
            Who::A,
            POST,
            json!({"input": {"subjectId": t.match_accepted, "body": format!("{THREAD_MARK} 对接")}}),
        )
        .await;
    let match_thread = data["postMessage"]["thread"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // The audience reads both conversations and downloads the file — the
    // match's conversation only the need's side and the admin: U's side
    // sees A's confidential need blind (not disclosed to it), so it is not
    // shown the conversation in which A's side would name itself.
    for who in [Who::A, Who::U, Who::UStaff, Who::UCoord, Who::Admin] {
        let ids: &[&String] = if matches!(who, Who::A | Who::Admin) {
            &[&thread, &message, &match_thread]
        } else {
            &[&thread, &message]
        };
        for id in ids {
            let data = t.ok(who, NODE, json!({"id": id})).await;
            assert!(data.to_string().contains(THREAD_MARK), "{who:?}: {data}");
        }
        let (status, body) = t
            .rest(who, &format!("/api/v1/attachments/{attachment}"))
            .await;
        assert_eq!(status, 200, "{who:?}");
        assert!(body.contains(THREAD_MARK));
    }

    // U's side: the match's conversation does not exist for it.
    for who in [Who::U, Who::UStaff, Who::UCoord] {
        t.refused_like_missing(
            who,
            NODE,
            json!({"id": match_thread}),
            json!({"id": missing("Thread")}),
            "NOT_FOUND",
        )
        .await;
        t.refused_like_missing(
            who,
            POST,
            json!({"input": {"threadId": match_thread, "body": "intrusion"}}),
            json!({"input": {"threadId": missing("Thread"), "body": "intrusion"}}),
            "NOT_FOUND",
        )
        .await;
    }

    // Everyone else: refused exactly like a missing object, and shown
    // nothing of it anywhere.
    for who in [Who::Anon, Who::B, Who::ASup, Who::PCoord] {
        for (id, kind) in [
            (&thread, "Thread"),
            (&message, "ThreadMessage"),
            (&match_thread, "Thread"),
        ] {
            t.refused_like_missing(
                who,
                NODE,
                json!({"id": id}),
                json!({"id": missing(kind)}),
                "NOT_FOUND",
            )
            .await;
        }
        let (status, body) = t
            .rest(who, &format!("/api/v1/attachments/{attachment}"))
            .await;
        assert_eq!(status, if who == Who::Anon { 401 } else { 404 }, "{who:?}");
        assert!(!body.contains(THREAD_MARK));
        if who == Who::Anon {
            continue;
        }
        // Writes: NOT_FOUND as for a missing thread (a supervisor's
        // account writes nothing anywhere: FORBIDDEN, whatever the id);
        // nothing is written.
        let refusal = if who == Who::ASup {
            "FORBIDDEN"
        } else {
            "NOT_FOUND"
        };
        t.refused_like_missing(
            who,
            POST,
            json!({"input": {"threadId": thread, "body": "intrusion"}}),
            json!({"input": {"threadId": missing("Thread"), "body": "intrusion"}}),
            refusal,
        )
        .await;
        let body = t
            .refused(
                who,
                POST,
                json!({"input": {"subjectId": t.project, "body": "intrusion"}}),
                refusal,
            )
            .await;
        assert_hidden(who, "postMessage", &body);
        t.refused_like_missing(
            who,
            MARK_READ,
            json!({"id": thread}),
            json!({"id": missing("Thread")}),
            refusal,
        )
        .await;
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"intrusion".to_vec()).file_name("x.txt"),
        );
        let res = app
            .client
            .post(app.url(&format!("/api/v1/threads/{thread}/attachments")))
            .bearer_auth(t.token(who).unwrap())
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{who:?} uploads");
        // The viewer's total counts no conversation they may not see.
        let data = t.ok(who, "{ me { unreadMessages } }", json!({})).await;
        assert_eq!(data["me"]["unreadMessages"], 0, "{who:?}");
        // The subscription is refused.
        let mut ws = Ws::connect(&t, who).await;
        ws.subscribe("m", ADDED, json!({"id": thread})).await;
        assert_eq!(
            ws.refusal("m").await.0.as_deref(),
            Some("NOT_FOUND"),
            "{who:?}"
        );
    }
    // A's supervisor sees the project, not its conversation.
    let data = t
        .ok(Who::ASup, PROJECT_THREAD, json!({"id": t.project}))
        .await;
    assert!(data["project"]["id"].is_string(), "{data}");
    assert!(data["project"]["thread"].is_null(), "{data}");
    assert_hidden(Who::ASup, "Project.thread", &data);
    // B reading A's match by id: NOT_FOUND, no thread through it.
    let body = t
        .refused(
            Who::B,
            "query($id: ID!) { node(id: $id) { ... on Match { thread { id } } } }",
            json!({"id": t.match_accepted}),
            "NOT_FOUND",
        )
        .await;
    assert_hidden(Who::B, "Match.thread", &body);

    // A subscriber of the audience hears a new message; the others' sockets
    // stay silent (each refused above).
    let mut party = Ws::connect(&t, Who::U).await;
    party.subscribe("m", ADDED, json!({"id": thread})).await;
    let mut heard = None;
    for n in 0..10 {
        t.ok(
            Who::A,
            POST,
            json!({"input": {"threadId": thread, "body": format!("{THREAD_MARK} {n}")}}),
        )
        .await;
        if let Some(msg) = party.next(Duration::from_millis(1500)).await {
            heard = Some(msg);
            break;
        }
    }
    let heard = heard.expect("U hears A");
    assert!(heard.to_string().contains(THREAD_MARK));
    // Nothing the intruders tried was written.
    let data = t.ok(Who::A, NODE, json!({"id": thread})).await;
    assert!(
        !data.to_string().contains("intrusion"),
        "an intruder's message was written: {data}"
    );
});
