//! Notifications are their recipient's alone: every caller's inbox holds
//! only what was written for them (the lists never share an id, and every
//! body passes the leak check of the matrix — a notification quotes nothing
//! its recipient may not read); a notification is NOT_FOUND to anyone else
//! exactly like a missing one (`node(id:)`, `markNotificationsRead`), the
//! admin included; marking all read and setting a channel change the
//! caller's own alone; `notificationAdded` pushes to the recipient only; and
//! `Notification.subject` is null once the recipient may no longer see what
//! it is about (its `subjectId` stays). `needSuggested` is refused to all
//! but those who decide for the capability.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{Value, json};

use crate::world::{SIGNED_IN, Tenants, Who, missing};
use crate::ws::Ws;

const INBOX: &str = "{ unreadNotificationCount notifications(first: 100) { totalCount
  nodes { id kind title body subjectId subject { id } } }
  notificationPreferences { kind channel isDefault } }";

const NODE: &str = "query($id: ID!) { node(id: $id) { id ... on Notification { kind body } } }";

const MARK: &str = "mutation($ids: [ID!]!) { markNotificationsRead(input: {ids: $ids}) {
  unreadCount } }";

const MARK_ALL: &str = "mutation { markAllNotificationsRead(input: {}) { marked unreadCount } }";

const SET: &str =
    "mutation { setNotificationPreference(input: {kind: MESSAGE_POSTED, channel: OFF}) {
  preferences { kind channel } } }";

const PROJECT_THREAD: &str = "query($id: ID!) { project(id: $id) { thread { id } } }";

const POST: &str =
    "mutation($input: PostMessageInput!) { postMessage(input: $input) { message { id } } }";

const ADDED: &str = "subscription { notificationAdded { id kind body } }";

const NEED_SUGGESTED: &str =
    "subscription($id: ID!) { needSuggested(capabilityId: $id) { matchId need { id } } }";

fn ids(data: &Value) -> Vec<String> {
    data["notifications"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| crate::common::text(&n["id"]))
        .collect()
}

e2e!(
    notifications_are_their_recipient_s_alone,
    |app| async move {
        let t = Tenants::build(&app).await;
        // U writes on the A–U project: A (a member of a party) is told.
        let thread = crate::common::text(
            &t.ok(Who::U, PROJECT_THREAD, json!({"id": t.project})).await["project"]["thread"]["id"],
        );
        let mut a_ws = Ws::connect(&t, Who::A).await;
        a_ws.subscribe("n", ADDED, json!({})).await;
        let mut b_ws = Ws::connect(&t, Who::B).await;
        b_ws.subscribe("n", ADDED, json!({})).await;
        t.ok(
            Who::U,
            POST,
            json!({"input": {"threadId": thread, "body": "请 A 方确认测试样品 samples"}}),
        )
        .await;
        let pushed = a_ws
            .next(Duration::from_secs(5))
            .await
            .expect("A hears of the message");
        assert_eq!(
            pushed["payload"]["data"]["notificationAdded"]["kind"], "MESSAGE_POSTED",
            "{pushed}"
        );
        assert!(
            b_ws.next(Duration::from_millis(500)).await.is_none(),
            "B hears nothing"
        );

        // New fitting needs of U's capability are followed by those who decide
        // for it alone.
        for (who, code) in [
            (Who::B, "FORBIDDEN"),
            (Who::A, "FORBIDDEN"),
            (Who::ASup, "FORBIDDEN"),
            (Who::Anon, "UNAUTHENTICATED"),
        ] {
            let mut ws = Ws::connect(&t, who).await;
            ws.subscribe("s", NEED_SUGGESTED, json!({"id": t.cap_published}))
                .await;
            let (got, _) = ws.refusal("s").await;
            assert_eq!(got.as_deref(), Some(code), "{who:?}");
        }
        let mut ws = Ws::connect(&t, Who::U).await;
        ws.subscribe("s", NEED_SUGGESTED, json!({"id": t.cap_draft}))
            .await;
        assert!(
            ws.next(Duration::from_millis(300)).await.is_none(),
            "U follows its own capability"
        );

        // Every inbox is its owner's: no id is in two (and every body passed
        // the leak check of `t.ok`).
        let mut seen = BTreeSet::new();
        let mut inboxes = Vec::new();
        for who in SIGNED_IN {
            let data = t.ok(who, INBOX, json!({})).await;
            for id in ids(&data) {
                assert!(seen.insert(id.clone()), "{id} is in two inboxes");
            }
            inboxes.push((who, data));
        }
        let a_inbox = &inboxes[0].1;
        assert_eq!(
            a_inbox["notifications"]["nodes"][0]["kind"], "MESSAGE_POSTED",
            "{a_inbox}"
        );
        let mine = ids(a_inbox)[0].clone();
        let a_unread = a_inbox["unreadNotificationCount"].clone();
        t.refused(Who::Anon, INBOX, json!({}), "UNAUTHENTICATED")
            .await;

        // Nobody else reads or marks it, as if it did not exist.
        for who in SIGNED_IN.into_iter().filter(|w| *w != Who::A) {
            t.refused_like_missing(
                who,
                NODE,
                json!({"id": mine}),
                json!({"id": missing("Notification")}),
                "NOT_FOUND",
            )
            .await;
            if who == Who::ASup {
                // A supervisor's account changes nothing (and is told
                // nothing: it is no member).
                for mutation in [MARK_ALL, SET] {
                    t.refused(who, mutation, json!({}), "FORBIDDEN").await;
                }
                t.refused(who, MARK, json!({"ids": [mine]}), "FORBIDDEN")
                    .await;
                continue;
            }
            t.refused_like_missing(
                who,
                MARK,
                json!({"ids": [mine]}),
                json!({"ids": [missing("Notification")]}),
                "NOT_FOUND",
            )
            .await;
            // Their own "all read" and channels are theirs.
            t.ok(who, MARK_ALL, json!({})).await;
            t.ok(who, SET, json!({})).await;
        }
        t.refused(Who::Anon, NODE, json!({"id": mine}), "UNAUTHENTICATED")
            .await;
        t.refused(Who::Anon, MARK, json!({"ids": [mine]}), "UNAUTHENTICATED")
            .await;
        let data = t.ok(Who::A, INBOX, json!({})).await;
        assert_eq!(data["unreadNotificationCount"], a_unread, "A's stay unread");
        let prefs = data["notificationPreferences"].as_array().unwrap();
        let messages = prefs
            .iter()
            .find(|p| p["kind"] == "MESSAGE_POSTED")
            .unwrap();
        assert_eq!(messages["isDefault"], true, "A's channels are A's: {data}");
        let data = t.ok(Who::A, NODE, json!({"id": mine})).await;
        assert_eq!(data["node"]["id"], mine.as_str());

        // A leaves A: the project's conversation is no longer A's to see, so
        // the notification's subject is null; its id stays.
        t.ok(
            Who::Admin,
            "mutation($id: ID!) { removeMember(input: {membershipId: $id}) { deletedId } }",
            json!({"id": t.membership_a}),
        )
        .await;
        let data = t.ok(Who::A, INBOX, json!({})).await;
        let node = data["notifications"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == mine.as_str())
            .unwrap()
            .clone();
        assert!(node["subject"].is_null(), "{node}");
        assert_eq!(node["subjectId"], thread.as_str());
    }
);

const SAVED: &str = "{ savedSearches { id query } }";

const SAVE_SEARCH: &str = "mutation($q: String!) { saveSearch(input: {query: $q}) {
  savedSearch { id query } } }";

const DELETE_SEARCH: &str = "mutation($id: ID!) { deleteSavedSearch(input: {id: $id}) {
  deletedId } }";

e2e!(saved_searches_are_their_owner_s_alone, |app| async move {
    let t = Tenants::build(&app).await;
    let saved = t
        .ok(Who::A, SAVE_SEARCH, json!({"q": "A 的搜索 A's search"}))
        .await;
    let id = crate::common::text(&saved["saveSearch"]["savedSearch"]["id"]);
    // Nobody else lists it, deletes it (NOT_FOUND, like a missing one) or
    // reaches it by `node`, the admin included.
    for who in SIGNED_IN {
        let data = t.ok(who, SAVED, json!({})).await;
        let listed = data["savedSearches"].to_string();
        assert_eq!(listed.contains(&id), who == Who::A, "{who:?}: {listed}");
        if who == Who::ASup {
            // A supervisor's account changes nothing at all.
            t.refused(who, DELETE_SEARCH, json!({"id": id}), "FORBIDDEN")
                .await;
        } else if who != Who::A {
            t.refused_like_missing(
                who,
                DELETE_SEARCH,
                json!({"id": id}),
                json!({"id": missing("SavedSearch")}),
                "NOT_FOUND",
            )
            .await;
        }
    }
    t.refused(Who::Anon, SAVED, json!({}), "UNAUTHENTICATED")
        .await;
    t.refused(
        Who::Anon,
        DELETE_SEARCH,
        json!({"id": id}),
        "UNAUTHENTICATED",
    )
    .await;
    t.refused(
        Who::B,
        "query($id: ID!) { node(id: $id) { id } }",
        json!({"id": id}),
        "NOT_FOUND",
    )
    .await;
    assert_eq!(
        t.ok(Who::A, SAVED, json!({})).await["savedSearches"][0]["id"],
        id.as_str()
    );
    t.ok(Who::A, DELETE_SEARCH, json!({"id": id})).await;
});
