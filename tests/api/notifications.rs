//! Notifications: the inbox (`notifications`, `unreadNotificationCount`,
//! `markNotificationsRead`, `markAllNotificationsRead`), the channels a
//! user chooses per kind, the `notificationAdded` subscription, and the
//! e-mail that carries them, sent through a real SMTP server the tests
//! start (`scripts/smtp-sink.py`): in the user's language, while the server
//! is down (it arrives when it is back), once per message across a crash
//! and across two replicas.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{SmtpSink, TestApp, assert_code, text};
use crate::fixtures::World;
use crate::matching::{capability, need};
use crate::subscriptions::Ws;

pub const INBOX: &str = "query($unread: Boolean) { unreadNotificationCount
  notifications(first: 50, unreadOnly: $unread) { totalCount edges { node {
    id kind title body read readAt createdAt subjectId
    subject { __typename id } } } } }";

const EXPRESS: &str = "mutation($input: ExpressInterestInput!) { expressInterest(input: $input) {
  interest { id match { id } } } }";

const ACCEPT_INTEREST: &str =
    "mutation($id: ID!) { acceptInterest(input: {id: $id}) { interest { id status } } }";

const POST: &str = "mutation($input: PostMessageInput!) { postMessage(input: $input) {
  message { id } thread { id } } }";

const MARK: &str = "mutation($ids: [ID!]!) { markNotificationsRead(input: {ids: $ids}) {
  unreadCount notifications { id read } } }";

const MARK_ALL: &str = "mutation($until: ID) { markAllNotificationsRead(input: {untilId: $until}) {
  marked unreadCount } }";

pub(crate) const SET: &str = "mutation($kind: NotificationKind!, $channel: NotificationChannel!) {
  setNotificationPreference(input: {kind: $kind, channel: $channel}) {
    preferences { kind channel isDefault } } }";

const ADDED: &str = "subscription { notificationAdded { id kind title subjectId } }";

/// The caller's notifications, newest first.
pub async fn inbox(app: &TestApp, token: &str) -> Value {
    app.gql_ok(Some(token), INBOX, json!({})).await
}

pub(crate) fn nodes(data: &Value) -> Vec<Value> {
    data["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

pub(crate) fn kinds(data: &Value) -> Vec<String> {
    nodes(data).iter().map(|n| text(&n["kind"])).collect()
}

/// `tokens` hear no suggestions (`CAPABILITY_SUGGESTED`, `NEED_SUGGESTED`;
/// tested on their own), so their inboxes hold what a test counts.
pub(crate) async fn without_suggestions(app: &TestApp, tokens: &[&str]) {
    for token in tokens {
        for kind in ["CAPABILITY_SUGGESTED", "NEED_SUGGESTED"] {
            app.gql_ok(Some(token), SET, json!({"kind": kind, "channel": "OFF"}))
                .await;
        }
    }
}

/// A project "联合实验室 Joint lab" A creates naming U, which is invited.
async fn joint_project(app: &TestApp, w: &World) -> String {
    let data = app
        .gql_ok(
            Some(&w.a),
            "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
            json!({"input": {"title": "联合实验室 Joint lab", "area": "OTHER",
                "partyOrganizationIds": [w.org_a, w.org_u]}}),
        )
        .await;
    text(&data["createProject"]["project"]["id"])
}

/// `token` accepts its organisation's invitation to `project`.
async fn accept_invitation(app: &TestApp, token: &str, project: &str) {
    app.gql_ok(
        Some(token),
        "mutation($id: ID!) { acceptProjectInvitation(input: {id: $id}) { project { id } } }",
        json!({"id": project}),
    )
    .await;
}

/// A published need of A that U's published capability fits, and U's
/// interest in it; returns (need, capability, interest, match).
async fn interested(app: &TestApp, w: &World) -> (String, String, String, String) {
    let cap = capability(
        app,
        w,
        "滚动轴承故障诊断 Bearing fault diagnosis",
        "Vibration analysis of motor bearings",
        &["轴承", "bearing"],
        &["460"],
        6,
    )
    .await;
    let need = need(
        app,
        w,
        "电机轴承故障预警 Motor bearing fault warning",
        "振动数据 vibration data from 40 motors",
        &["轴承", "bearing"],
        "PUBLIC",
    )
    .await;
    let data = app
        .gql_ok(
            Some(&w.u),
            EXPRESS,
            json!({"input": {"needId": need, "capabilityId": cap, "message": "可先做现场测试"}}),
        )
        .await;
    let interest = text(&data["expressInterest"]["interest"]["id"]);
    let match_id = text(&data["expressInterest"]["interest"]["match"]["id"]);
    (need, cap, interest, match_id)
}

e2e!(
    each_side_hears_of_the_other_and_nobody_else,
    |app| async move {
        let w = World::new(&app).await;
        without_suggestions(&app, &[&w.a, &w.u, &w.b]).await;
        // Nothing yet; signed-in only.
        let data = inbox(&app, &w.a).await;
        assert_eq!(data["unreadNotificationCount"], 0);
        assert_eq!(data["notifications"]["totalCount"], 0);
        assert_code(&app.gql(None, INBOX, json!({})).await, "UNAUTHENTICATED");

        // U's interest tells A, in the request's language, not U nor B.
        let (_, _, interest, match_id) = interested(&app, &w).await;
        let data = inbox(&app, &w.a).await;
        assert_eq!(data["unreadNotificationCount"], 1, "{data}");
        let n = &nodes(&data)[0];
        assert_eq!(n["kind"], "INTEREST_EXPRESSED");
        assert_eq!(n["read"], false);
        assert!(n["readAt"].is_null());
        assert_eq!(n["subject"]["__typename"], "Interest");
        assert_eq!(n["subject"]["id"], interest.as_str());
        assert_eq!(n["subjectId"], interest.as_str());
        let title = text(&n["title"]);
        assert!(title.contains("University U 某工业大学"), "{title}");
        assert!(title.contains("电机轴承故障预警"), "{title}");
        let zh = app.gql_in(Some(&w.a), "zh-CN", INBOX, json!({})).await;
        let zh_title = text(&nodes(&zh["data"])[0]["title"]);
        assert!(zh_title.contains("表达了合作意向"), "{zh_title}");
        for token in [&w.u, &w.b] {
            assert_eq!(inbox(&app, token).await["unreadNotificationCount"], 0);
        }

        // A accepts: U hears it, named by its capability only.
        app.gql_ok(Some(&w.a), ACCEPT_INTEREST, json!({"id": interest}))
            .await;
        let data = inbox(&app, &w.u).await;
        assert_eq!(kinds(&data), ["MATCH_ACCEPTED"], "{data}");
        let n = &nodes(&data)[0];
        assert_eq!(n["subject"]["__typename"], "Match");
        assert_eq!(n["subjectId"], match_id.as_str());
        assert!(text(&n["body"]).contains("滚动轴承故障诊断"), "{n}");
        assert!(!text(&n["body"]).contains("电机轴承故障预警"), "{n}");

        // A message tells the other party's members (in the inbox: messages
        // are not e-mailed by default), not its author.
        app.gql_ok(
            Some(&w.u),
            POST,
            json!({"input": {"subjectId": match_id, "body": "下周二可以去现场采集数据吗？"}}),
        )
        .await;
        let data = inbox(&app, &w.a).await;
        assert_eq!(kinds(&data), ["MESSAGE_POSTED", "INTEREST_EXPRESSED"]);
        assert!(text(&nodes(&data)[0]["body"]).contains("下周二可以去现场采集数据吗"));
        assert_eq!(nodes(&data)[0]["subject"]["__typename"], "Thread");
        assert_eq!(kinds(&inbox(&app, &w.u).await), ["MATCH_ACCEPTED"]);

        // A notification is its recipient's alone.
        let mine = text(&nodes(&data)[0]["id"]);
        let res = app.gql(Some(&w.b), MARK, json!({"ids": [mine]})).await;
        assert_code(&res, "NOT_FOUND");
        let res = app
            .gql(
                Some(&w.b),
                "query($id: ID!) { node(id: $id) { id } }",
                json!({"id": mine}),
            )
            .await;
        assert_code(&res, "NOT_FOUND");
        assert!(res["data"]["node"].is_null(), "{res}");
        let res = app
            .gql(
                Some(&w.u),
                MARK,
                json!({"ids": [mine, text(&nodes(&inbox(&app, &w.u).await)[0]["id"])]}),
            )
            .await;
        assert_code(&res, "NOT_FOUND");
        assert_eq!(
            inbox(&app, &w.a).await["unreadNotificationCount"],
            2,
            "nothing marked"
        );
        let data = app
            .gql_ok(
                Some(&w.a),
                "query($id: ID!) { node(id: $id) { id ... on Notification { kind } } }",
                json!({"id": mine}),
            )
            .await;
        assert_eq!(data["node"]["kind"], "MESSAGE_POSTED");

        // Marking read.
        let data = app.gql_ok(Some(&w.a), MARK, json!({"ids": [mine]})).await;
        assert_eq!(data["markNotificationsRead"]["unreadCount"], 1);
        assert_eq!(
            data["markNotificationsRead"]["notifications"][0]["read"],
            true
        );
        let unread = app.gql_ok(Some(&w.a), INBOX, json!({"unread": true})).await;
        assert_eq!(kinds(&unread), ["INTEREST_EXPRESSED"]);
        let data = app.gql_ok(Some(&w.a), MARK_ALL, json!({})).await;
        assert_eq!(data["markAllNotificationsRead"]["marked"], 1);
        assert_eq!(data["markAllNotificationsRead"]["unreadCount"], 0);

        // A turns messages off: the next message writes nothing for A.
        let data = app
            .gql_ok(
                Some(&w.a),
                SET,
                json!({"kind": "MESSAGE_POSTED", "channel": "OFF"}),
            )
            .await;
        let prefs = data["setNotificationPreference"]["preferences"]
            .as_array()
            .unwrap();
        let message_pref = prefs
            .iter()
            .find(|p| p["kind"] == "MESSAGE_POSTED")
            .unwrap();
        assert_eq!(message_pref["channel"], "OFF");
        assert_eq!(message_pref["isDefault"], false);
        let interest_pref = prefs
            .iter()
            .find(|p| p["kind"] == "INTEREST_EXPRESSED")
            .unwrap();
        assert_eq!(interest_pref["channel"], "EMAIL");
        assert_eq!(interest_pref["isDefault"], true);
        app.gql_ok(
            Some(&w.u),
            POST,
            json!({"input": {"subjectId": match_id, "body": "再确认一下时间"}}),
        )
        .await;
        assert_eq!(
            inbox(&app, &w.a).await["notifications"]["totalCount"],
            2,
            "nothing new for A"
        );
    }
);

e2e!(
    a_new_notification_is_pushed_to_its_recipient_alone,
    |app| async move {
        let w = World::new(&app).await;
        without_suggestions(&app, &[&w.a, &w.b]).await;
        let mut a = Ws::connect(&app, Some(&w.a)).await;
        a.subscribe("n", ADDED, json!({})).await;
        let mut b = Ws::connect(&app, Some(&w.b)).await;
        b.subscribe("n", ADDED, json!({})).await;
        // Anonymous subscribers are refused.
        let mut anon = Ws::connect(&app, None).await;
        anon.subscribe("n", ADDED, json!({})).await;
        assert_eq!(anon.refusal("n").await.as_deref(), Some("UNAUTHENTICATED"));

        let (_, _, interest, _) = interested(&app, &w).await;
        let msg = a.next(Duration::from_secs(5)).await.expect("A hears of it");
        let pushed = &msg["payload"]["data"]["notificationAdded"];
        assert_eq!(pushed["kind"], "INTEREST_EXPRESSED", "{msg}");
        assert_eq!(pushed["subjectId"], interest.as_str());
        assert!(
            b.next(Duration::from_millis(500)).await.is_none(),
            "B hears nothing"
        );
    }
);

e2e!(bookings_tell_the_staff_and_the_booker, |app| async move {
    let w = World::new(&app).await;
    let (staff, instrument) = crate::instruments::staffed_instrument(&app, &w).await;
    let booking = crate::instruments::book(&app, &w.a, &instrument).await;
    let data = inbox(&app, &staff).await;
    assert_eq!(kinds(&data), ["BOOKING_REQUESTED"], "{data}");
    assert_eq!(nodes(&data)[0]["subject"]["id"], booking.as_str());
    assert!(kinds(&inbox(&app, &w.a).await).is_empty());
    let res = app
            .gql(
                Some(&staff),
                "mutation($id: ID!) { rejectBooking(input: {id: $id, reason: \"校准中 calibration\"}) { booking { status } } }",
                json!({"id": booking}),
            )
            .await;
    assert!(res.get("errors").is_none(), "{res}");
    let data = inbox(&app, &w.a).await;
    assert_eq!(kinds(&data), ["BOOKING_REJECTED"]);
    assert!(
        text(&nodes(&data)[0]["body"]).contains("calibration"),
        "{data}"
    );
});

e2e!(an_invited_party_hears_of_the_project, |app| async move {
    let w = World::new(&app).await;
    let project = joint_project(&app, &w).await;
    let data = inbox(&app, &w.u).await;
    assert_eq!(kinds(&data), ["PROJECT_INVITATION"], "{data}");
    let n = &nodes(&data)[0];
    assert_eq!(n["subject"]["id"], project.as_str());
    assert!(text(&n["title"]).contains("联合实验室"), "{n}");
    assert!(text(&n["body"]).contains("Enterprise A 甲机电"), "{n}");
    assert!(
        kinds(&inbox(&app, &w.a).await).is_empty(),
        "the creator's side accepted"
    );
    assert!(kinds(&inbox(&app, &w.b).await).is_empty());
});

e2e!(
    an_email_reaches_the_user_in_their_language,
    |app| async move {
        let w = World::new(&app).await;
        without_suggestions(&app, &[&w.a, &w.u]).await;
        let sink = SmtpSink::start().await;
        let app = app
            .restart_with(|s| {
                s.smtp_url = Some(sink.url().into());
                s.mail_from = "iurhub 平台 <noreply@iurhub.test>".into();
                s.mail_poll_secs = 1;
            })
            .await;
        // A reads English; U keeps the default, Chinese.
        let data = app
            .gql_ok(
                Some(&w.a),
                "mutation { updateProfile(input: {language: EN}) { user { language } } }",
                json!({}),
            )
            .await;
        assert_eq!(data["updateProfile"]["user"]["language"], "EN");
        let (_, _, interest, _) = interested(&app, &w).await;
        let mails = sink.wait_for(1, Duration::from_secs(10)).await;
        assert_eq!(mails.len(), 1, "{mails:?}");
        let mail = &mails[0];
        assert_eq!(mail["rcptTos"], json!(["a@enterprise-a.test"]));
        assert!(
            text(&mail["subject"]).contains("is interested in"),
            "{mail}"
        );
        assert!(
            text(&mail["text"]).contains("University U 某工业大学"),
            "{mail}"
        );
        assert!(text(&mail["html"]).contains("<h1"), "{mail}");
        assert_eq!(mail["contentType"], "multipart/alternative");
        assert!(
            text(&mail["messageId"]).ends_with("@iurhub.test>"),
            "{mail}"
        );
        assert!(
            text(&mail["from"]).contains("noreply@iurhub.test"),
            "{mail}"
        );

        // U hears of the acceptance in Chinese.
        app.gql_ok(Some(&w.a), ACCEPT_INTEREST, json!({"id": interest}))
            .await;
        let mails = sink.wait_for(2, Duration::from_secs(10)).await;
        assert_eq!(mails.len(), 2, "{mails:?}");
        let mail = &mails[1];
        assert_eq!(mail["rcptTos"], json!(["u@university.test"]));
        assert!(text(&mail["subject"]).contains("匹配已被接受"), "{mail}");
        assert!(text(&mail["text"]).contains("通知设置"), "{mail}");

        // Messages stay in the inbox unless asked for by e-mail; then they
        // are sent too.
        app.gql_ok(
            Some(&w.a),
            SET,
            json!({"kind": "MESSAGE_POSTED", "channel": "EMAIL"}),
        )
        .await;
        app.gql_ok(
            Some(&w.u),
            POST,
            json!({"input": {"subjectId": text(&nodes(&inbox(&app, &w.u).await)[0]["subjectId"]), "body": "<b>下周二</b>"}}),
        )
        .await;
        let mails = sink.wait_for(3, Duration::from_secs(10)).await;
        assert_eq!(mails.len(), 3, "{mails:?}");
        assert!(
            text(&mails[2]["html"]).contains("&lt;b&gt;下周二"),
            "{}",
            mails[2]
        );
        // Nothing more comes.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(sink.mails().len(), 3);
    }
);

e2e!(mail_waits_while_the_smtp_server_is_down, |app| async move {
    let w = World::new(&app).await;
    let mut sink = SmtpSink::stopped();
    let app = app
        .restart_with(|s| {
            s.smtp_url = Some(sink.url().into());
            s.mail_poll_secs = 1;
            s.smtp_timeout_secs = 2;
            s.mail_lease_secs = 10;
        })
        .await;
    interested(&app, &w).await;
    // The first attempt finds nobody; the write itself succeeded.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(inbox(&app, &w.a).await["unreadNotificationCount"], 1);
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(metrics.contains("iurhub_mail_failures_total"), "{metrics}");
    assert!(
        metrics.contains("iurhub_mail_outbox_pending 1"),
        "{metrics}"
    );
    // The server comes back: the retry (10 s after the failure) sends it.
    sink.run().await;
    let mails = sink.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(mails.len(), 1, "the e-mail arrives once the server is back");
    assert_eq!(mails[0]["rcptTos"], json!(["a@enterprise-a.test"]));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("iurhub_mail_outbox_pending 0"),
        "{metrics}"
    );
    assert!(metrics.contains("iurhub_mail_sent_total"), "{metrics}");
});

/// One `iurhub serve` process sending e-mail through `sink`; killed (not
/// stopped) when dropped.
struct Sender {
    app: TestApp,
    child: Option<std::process::Child>,
    log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Sender {
    async fn start(
        backend: crate::common::Backend,
        database_url: &str,
        sink: &SmtpSink,
        env: &[(&str, &str)],
    ) -> Sender {
        let smtp = sink.url();
        let mut all: Vec<(&str, &str)> = vec![
            ("IURHUB_SMTP_URL", smtp.as_str()),
            ("IURHUB_MAIL_POLL_SECS", "1"),
            ("IURHUB_DB_MAX_CONNECTIONS", "5"),
        ];
        all.extend_from_slice(env);
        let s = crate::common::spawn_serve(
            crate::cli::iurhub(),
            database_url,
            "the shared secret of the senders, long enough",
            all.iter(),
        );
        let sender = Sender {
            app: TestApp::remote(s.addr, backend, database_url),
            child: Some(s.child),
            log: s.log,
            _dir: s.dir,
        };
        crate::cli::wait_ready(sender.app.addr.port()).await;
        sender
    }

    /// SIGKILL: the process ends wherever it is, as in a crash.
    fn crash(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Sender {
    fn drop(&mut self) {
        self.crash();
    }
}

/// A database for processes of `backend`: a SQLite file in `dir`, or a new
/// PostgreSQL database (`None` when there is none, outside CI).
async fn process_database(
    backend: crate::common::Backend,
    dir: &std::path::Path,
) -> Option<(String, Option<crate::common::TestDatabase>)> {
    match backend {
        crate::common::Backend::Sqlite => Some((
            format!("sqlite://{}?mode=rwc", dir.join("iurhub.db").display()),
            None,
        )),
        crate::common::Backend::Postgres => {
            let db =
                crate::common::TestDatabase::create(&crate::common::postgres_admin_url()?).await;
            Some((db.url(), Some(db)))
        }
    }
}

/// A server that crashes after the SMTP server received an e-mail but
/// before it heard the server's "250": the next server sends it again once
/// the lease ends, with the same Message-ID — one duplicate, never a loss.
async fn a_crash_between_send_and_mark_loses_nothing(backend: crate::common::Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((url, _db)) = process_database(backend, dir.path()).await else {
        eprintln!("SKIPPED: no PostgreSQL");
        return;
    };
    // The sink keeps the first message 6 s before answering; the sender
    // waits up to 8 s, and leaves a claimed e-mail to itself for 9 s.
    let sink = SmtpSink::start_with_delay(6_000).await;
    let env = [
        ("IURHUB_SMTP_TIMEOUT_SECS", "8"),
        ("IURHUB_MAIL_LEASE_SECS", "9"),
    ];
    let mut first = Sender::start(backend, &url, &sink, &env).await;
    let w = World::new(&first.app).await;
    interested(&first.app, &w).await;
    let mails = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(
        mails.len(),
        1,
        "the first attempt reached the server:\n{}",
        first.log()
    );
    first.crash();

    let second = Sender::start(backend, &url, &sink, &env).await;
    let mails = sink.wait_for(2, Duration::from_secs(30)).await;
    assert_eq!(
        mails.len(),
        2,
        "sent again after the lease:\n{}",
        second.log()
    );
    assert_eq!(
        mails[0]["messageId"], mails[1]["messageId"],
        "one Message-ID"
    );
    assert_eq!(mails[1]["rcptTos"], json!(["a@enterprise-a.test"]));
    // And marked sent this time: nothing more comes.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(sink.mails().len(), 2, "{}", second.log());
    let metrics = second.app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("iurhub_mail_outbox_pending 0"),
        "{metrics}"
    );
}

#[test]
fn a_crash_between_send_and_mark_loses_nothing_sqlite() {
    crate::common::on_runtime(a_crash_between_send_and_mark_loses_nothing(
        crate::common::Backend::Sqlite,
    ));
}

#[test]
fn a_crash_between_send_and_mark_loses_nothing_postgres() {
    crate::common::on_runtime(a_crash_between_send_and_mark_loses_nothing(
        crate::common::Backend::Postgres,
    ));
}

/// Two servers on one PostgreSQL database: each e-mail is sent once,
/// whichever server wrote it and both reading the outbox every second.
#[test]
fn two_replicas_send_each_mail_once() {
    crate::common::on_runtime(async {
        let dir = tempfile::tempdir().unwrap();
        let Some((url, _db)) = process_database(crate::common::Backend::Postgres, dir.path()).await
        else {
            eprintln!("SKIPPED: no PostgreSQL");
            return;
        };
        let sink = SmtpSink::start().await;
        let a = Sender::start(crate::common::Backend::Postgres, &url, &sink, &[]).await;
        let b = Sender::start(crate::common::Backend::Postgres, &url, &sink, &[]).await;
        let w = World::new(&a.app).await;
        // A names U in twelve projects, through either server: U's member
        // is invited twelve times, by e-mail.
        const CREATE: &str = "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }";
        for i in 0..12 {
            let via = if i % 2 == 0 { &a.app } else { &b.app };
            via.gql_ok(
                Some(&w.a),
                CREATE,
                json!({"input": {"title": format!("联合项目 {i}"), "area": "OTHER",
                    "partyOrganizationIds": [w.org_a, w.org_u]}}),
            )
            .await;
        }
        let mails = sink.wait_for(12, Duration::from_secs(20)).await;
        assert_eq!(mails.len(), 12, "{}\n{}", a.log(), b.log());
        tokio::time::sleep(Duration::from_secs(3)).await;
        let mails = sink.mails();
        let ids: std::collections::BTreeSet<String> =
            mails.iter().map(|m| text(&m["messageId"])).collect();
        assert_eq!((mails.len(), ids.len()), (12, 12), "each once: {mails:?}");
        assert!(
            mails
                .iter()
                .all(|m| m["rcptTos"] == json!(["u@university.test"]))
        );
    });
}

/// The database id inside a global id.
pub(crate) fn raw(global: &str) -> i64 {
    use base64::Engine;
    let text = String::from_utf8(
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(global)
            .unwrap(),
    )
    .unwrap();
    text.rsplit(':').next().unwrap().parse().unwrap()
}

/// Runs `sql` on the test's database (what time does to rows).
pub(crate) async fn execute(app: &TestApp, sql: &str) {
    use sea_orm::ConnectionTrait;
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    db.execute_unprepared(sql).await.unwrap();
    db.close().await.unwrap();
}

/// Waits up to 10 s until `user`'s inbox holds `kind`; the inbox.
pub(crate) async fn until_told(app: &TestApp, token: &str, kind: &str) -> Value {
    for _ in 0..100 {
        let data = inbox(app, token).await;
        if kinds(&data).iter().any(|k| k == kind) {
            return data;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no {kind}: {}", inbox(app, token).await);
}

e2e!(
    a_need_past_its_deadline_closes_and_tells_its_organisation,
    |app| async move {
        let w = World::new(&app).await;
        let expired = w
            .need(&app, "过期的需求 Expired need", "PUBLIC", true)
            .await;
        let open = w.need(&app, "仍然有效 Still open", "PUBLIC", true).await;
        // Its deadline passes.
        execute(
            &app,
            &format!(
                "UPDATE tech_needs SET deadline = '2026-01-05' WHERE id = {}",
                raw(&expired)
            ),
        )
        .await;
        let app = app.restart_with(|s| s.schedule_every_secs = 1).await;
        let data = until_told(&app, &w.a, "NEED_EXPIRED").await;
        let n = &nodes(&data)[0];
        assert_eq!(n["subject"]["id"], expired.as_str());
        assert!(text(&n["body"]).contains("2026-01-05"), "{n}");
        let status = |id: String| {
            let app = &app;
            let token = w.a.clone();
            async move {
                app.gql_ok(
                    Some(&token),
                    "query($id: ID!) { need(id: $id) { status } }",
                    json!({"id": id}),
                )
                .await["need"]["status"]
                    .clone()
            }
        };
        assert_eq!(status(expired.clone()).await, "CLOSED");
        assert_eq!(status(open.clone()).await, "PUBLISHED");
        // No longer among the open needs, nor open for interest; told once,
        // whatever the runs since.
        let listed = app
            .gql_ok(
                None,
                "{ needs(first: 50, filter: {status: [PUBLISHED]}) { nodes { id } } }",
                json!({}),
            )
            .await;
        assert!(!listed.to_string().contains(&expired), "{listed}");
        assert!(listed.to_string().contains(&open), "{listed}");
        let cap = capability(
            &app,
            &w,
            "滚动轴承故障诊断 Bearing fault diagnosis",
            "Vibration analysis of motor bearings",
            &["轴承"],
            &["460"],
            6,
        )
        .await;
        let res = app
            .gql(
                Some(&w.u),
                EXPRESS,
                json!({"input": {"needId": expired, "capabilityId": cap, "message": "还来得及吗"}}),
            )
            .await;
        assert_eq!(
            res["errors"][0]["extensions"]["key"], "interest.need.not_open",
            "{res}"
        );
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let data = inbox(&app, &w.a).await;
        assert_eq!(
            kinds(&data).iter().filter(|k| *k == "NEED_EXPIRED").count(),
            1
        );
        // Its run is in /metrics.
        let metrics = app.get("/metrics").await.text().await.unwrap();
        assert!(
            metrics.contains("iurhub_job_last_run_timestamp_seconds{job=\"need_expiry\"}"),
            "{metrics}"
        );
        assert!(
            metrics.contains("iurhub_job_runs{job=\"checklist_reminders\"}"),
            "{metrics}"
        );
    }
);

e2e!(
    checklist_items_remind_their_owner_once_before_and_once_after_the_due_date,
    |app| async move {
        let w = World::new(&app).await;
        let project = joint_project(&app, &w).await;
        accept_invitation(&app, &w.u, &project).await;
        let a_id = crate::fixtures::me(&app, &w.a).await;
        let u_id = crate::fixtures::me(&app, &w.u).await;
        let today = chrono::Utc::now().date_naive();
        let add = |title: &str, owner: Option<&str>, due: chrono::NaiveDate| {
            json!({"input": {"projectId": project, "title": title, "ownerUserId": owner,
                "dueDate": due.to_string()}})
        };
        const ADD: &str = "mutation($input: AddChecklistItemInput!) { addChecklistItem(input: $input) { item { id } } }";
        let soon = app
            .gql_ok(
                Some(&w.a),
                ADD,
                add("采购 Purchase", Some(&a_id), today + chrono::Days::new(2)),
            )
            .await;
        let soon = text(&soon["addChecklistItem"]["item"]["id"]);
        let late = app
            .gql_ok(
                Some(&w.a),
                ADD,
                add("安装 Install", Some(&u_id), today - chrono::Days::new(10)),
            )
            .await;
        let late = text(&late["addChecklistItem"]["item"]["id"]);
        app.gql_ok(
            Some(&w.a),
            ADD,
            add("验收 Acceptance", None, today + chrono::Days::new(30)),
        )
        .await;
        let app = app.restart_with(|s| s.schedule_every_secs = 1).await;
        let data = until_told(&app, &w.a, "CHECKLIST_ITEM_DUE").await;
        let n = &nodes(&data)[0];
        assert_eq!(n["subject"]["id"], soon.as_str());
        assert!(text(&n["title"]).contains("采购"), "{n}");
        let data = until_told(&app, &w.u, "CHECKLIST_ITEM_OVERDUE").await;
        assert_eq!(
            nodes(&data)
                .iter()
                .find(|n| n["kind"] == "CHECKLIST_ITEM_OVERDUE")
                .unwrap()["subject"]["id"],
            late.as_str()
        );
        // Once each, whatever the runs since; the item due in 30 days waits.
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let count = |data: &Value, kind: &str| kinds(data).iter().filter(|k| *k == kind).count();
        let a = inbox(&app, &w.a).await;
        assert_eq!(count(&a, "CHECKLIST_ITEM_DUE"), 1, "{a}");
        assert_eq!(count(&a, "CHECKLIST_ITEM_OVERDUE"), 0, "{a}");
        assert_eq!(count(&inbox(&app, &w.u).await, "CHECKLIST_ITEM_OVERDUE"), 1);
        // A new due date reminds again.
        let version = app
            .gql_ok(
                Some(&w.a),
                "query($id: ID!) { node(id: $id) { ... on ChecklistItem { version } } }",
                json!({"id": soon}),
            )
            .await["node"]["version"]
            .clone();
        app.gql_ok(
            Some(&w.a),
            "mutation($input: UpdateChecklistItemInput!) { updateChecklistItem(input: $input) { item { dueDate } } }",
            json!({"input": {"id": soon, "dueDate": (today + chrono::Days::new(1)).to_string(), "version": version}}),
        )
        .await;
        for _ in 0..50 {
            if count(&inbox(&app, &w.a).await, "CHECKLIST_ITEM_DUE") == 2 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "the moved item did not remind again: {}",
            inbox(&app, &w.a).await
        );
    }
);

const NEED_SUGGESTED: &str = "subscription($id: ID!) { needSuggested(capabilityId: $id) {
  matchId status score sealed need { id title } teaser { title } } }";

/// Waits up to 10 s until `token`'s inbox holds `count` notifications of
/// `kind`; those.
pub(crate) async fn until_count(
    app: &TestApp,
    token: &str,
    kind: &str,
    count: usize,
) -> Vec<Value> {
    for _ in 0..100 {
        let data = inbox(app, token).await;
        let found: Vec<Value> = nodes(&data)
            .into_iter()
            .filter(|n| n["kind"] == kind)
            .collect();
        if found.len() >= count {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("fewer than {count} {kind}: {}", inbox(app, token).await);
}

e2e!(
    publications_are_suggested_to_the_other_side_once,
    |app| async move {
        let w = World::new(&app).await;
        // A's need waits; U publishes a capability that fits it: A is told.
        let first = need(
            &app,
            &w,
            "电机轴承故障预警 Motor bearing fault warning",
            "振动数据 vibration data from 40 motors, bearing faults",
            &["轴承", "bearing"],
            "PUBLIC",
        )
        .await;
        let cap = capability(
            &app,
            &w,
            "滚动轴承故障诊断 Bearing fault diagnosis",
            "Vibration analysis of motor bearings",
            &["轴承", "bearing"],
            &["460"],
            6,
        )
        .await;
        let told = until_count(&app, &w.a, "CAPABILITY_SUGGESTED", 1).await;
        assert_eq!(told[0]["subject"]["__typename"], "Match");
        assert!(
            text(&told[0]["body"]).contains("University U 某工业大学"),
            "{}",
            told[0]
        );
        assert!(
            text(&told[0]["title"]).contains("电机轴承故障预警"),
            "{}",
            told[0]
        );
        let _ = first;

        // U follows new needs for its capability; A publishes another.
        let mut ws = Ws::connect(&app, Some(&w.u)).await;
        ws.subscribe("s", NEED_SUGGESTED, json!({"id": cap})).await;
        let mut stranger = Ws::connect(&app, Some(&w.b)).await;
        stranger
            .subscribe("s", NEED_SUGGESTED, json!({"id": cap}))
            .await;
        assert_eq!(stranger.refusal("s").await.as_deref(), Some("FORBIDDEN"));
        let second = need(
            &app,
            &w,
            "风机轴承寿命预测 Fan bearing life prediction",
            "轴承振动 bearing vibration and wear of fan motors",
            &["轴承", "bearing"],
            "PUBLIC",
        )
        .await;
        let msg = ws.next(Duration::from_secs(10)).await.expect("pushed to U");
        let pushed = &msg["payload"]["data"]["needSuggested"];
        assert_eq!(pushed["need"]["id"], second.as_str(), "{msg}");
        assert_eq!(pushed["status"], "SUGGESTED");
        let told = until_count(&app, &w.u, "NEED_SUGGESTED", 1).await;
        assert!(
            told.iter()
                .any(|n| text(&n["title"]).contains("风机轴承寿命预测")),
            "{told:?}"
        );

        // A confidential need reaches the research side by its teaser only.
        let secret = need(
            &app,
            &w,
            "机密：主轴轴承失效分析 Secret spindle bearing failure",
            "主轴轴承 spindle bearing vibration failure analysis",
            &["轴承", "bearing"],
            "CONFIDENTIAL",
        )
        .await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let inbox_u = inbox(&app, &w.u).await.to_string();
        assert!(
            !inbox_u.contains("机密"),
            "no teaser, no suggestion: {inbox_u}"
        );
        app.gql_ok(
            Some(&w.a),
            "mutation($input: SetNeedTeaserInput!) { setNeedTeaser(input: $input) { teaser { title } } }",
            json!({"input": {"needId": secret, "title": "某装备企业：轴承失效分析 Bearing failure analysis",
                "summary": "轴承振动数据分析 vibration analysis of bearings"}}),
        )
        .await;
        app.gql_ok(
            Some(&w.a),
            "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { id } } }",
            json!({"input": {"id": secret, "keywords": ["轴承", "bearing", "spindle"]}}),
        )
        .await;
        let told = until_count(&app, &w.u, "NEED_SUGGESTED", 2).await;
        let text_u = serde_json::to_string(&told).unwrap();
        assert!(text_u.contains("某装备企业：轴承失效分析"), "{text_u}");
        assert!(!text_u.contains("机密"), "{text_u}");
        assert!(!text_u.contains("Enterprise A"), "{text_u}");

        // Once per pair: the edit of the capability tells A of its two
        // newer needs, not of the first again.
        let before = kinds(&inbox(&app, &w.a).await)
            .into_iter()
            .filter(|k| k == "CAPABILITY_SUGGESTED")
            .count();
        assert_eq!(before, 1);
        app.gql_ok(
            Some(&w.u),
            "mutation($input: UpdateCapabilityInput!) { updateCapability(input: $input) { capability { id } } }",
            json!({"input": {"id": cap, "summary": "Vibration analysis of motor and fan bearings"}}),
        )
        .await;
        let _ = until_count(&app, &w.a, "CAPABILITY_SUGGESTED", 3).await;
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let a_told = kinds(&inbox(&app, &w.a).await)
            .into_iter()
            .filter(|k| k == "CAPABILITY_SUGGESTED")
            .count();
        assert_eq!(a_told, 3, "each of A's three needs once");
        let told = until_count(&app, &w.a, "CAPABILITY_SUGGESTED", 3).await;
        assert_eq!(told.len(), 3);
        assert!(kinds(&inbox(&app, &w.b).await).is_empty());
    }
);

e2e!(
    project_moves_and_checklist_changes_tell_those_concerned,
    |app| async move {
        let w = World::new(&app).await;
        without_suggestions(&app, &[&w.a, &w.u]).await;
        let project = joint_project(&app, &w).await;
        accept_invitation(&app, &w.u, &project).await;
        let u_id = crate::fixtures::me(&app, &w.u).await;

        // An item given to U tells U, not A who gave it.
        let data = app
            .gql_ok(
                Some(&w.a),
                "mutation($input: AddChecklistItemInput!) { addChecklistItem(input: $input) { item { id } } }",
                json!({"input": {"projectId": project, "title": "采集振动数据 Collect vibration data",
                    "ownerUserId": u_id}}),
            )
            .await;
        let item = text(&data["addChecklistItem"]["item"]["id"]);
        let told = until_count(&app, &w.u, "CHECKLIST_ITEM_ASSIGNED", 1).await;
        assert_eq!(told[0]["subject"]["id"], item.as_str());
        assert!(
            text(&told[0]["title"]).contains("采集振动数据"),
            "{}",
            told[0]
        );

        // U blocks it: A, who created the project, hears why.
        app.gql_ok(
            Some(&w.u),
            "mutation($id: ID!, $note: String!) { blockChecklistItem(input: {id: $id, note: $note}) { item { status } } }",
            json!({"id": item, "note": "等待样品 waiting for samples"}),
        )
        .await;
        let told = until_count(&app, &w.a, "CHECKLIST_ITEM_BLOCKED", 1).await;
        assert!(
            text(&told[0]["body"]).contains("waiting for samples"),
            "{}",
            told[0]
        );
        assert!(!kinds(&inbox(&app, &w.u).await).contains(&"CHECKLIST_ITEM_BLOCKED".to_owned()));

        // Agreeing needs both: A's confirmation moves nothing and tells
        // nobody; U's moves the project and tells A, in A's language.
        const STEP: &str =
            "mutation($id: ID!) { agreeProject(input: {id: $id}) { project { status } } }";
        app.gql_ok(Some(&w.a), STEP, json!({"id": project})).await;
        assert!(!kinds(&inbox(&app, &w.u).await).contains(&"PROJECT_STATUS_CHANGED".to_owned()));
        let data = app.gql_ok(Some(&w.u), STEP, json!({"id": project})).await;
        assert_eq!(data["agreeProject"]["project"]["status"], "AGREED");
        let zh = app.gql_in(Some(&w.a), "zh-CN", INBOX, json!({})).await;
        let moved: Vec<Value> = nodes(&zh["data"])
            .into_iter()
            .filter(|n| n["kind"] == "PROJECT_STATUS_CHANGED")
            .collect();
        assert_eq!(moved.len(), 1, "{zh}");
        assert!(
            text(&moved[0]["title"]).contains("达成一致"),
            "{}",
            moved[0]
        );
        assert_eq!(moved[0]["subject"]["id"], project.as_str());
        let en = until_count(&app, &w.a, "PROJECT_STATUS_CHANGED", 1).await;
        assert!(
            text(&en[0]["body"]).ends_with("is now agreed."),
            "{}",
            en[0]
        );

        // Starting it tells U.
        app.gql_ok(
            Some(&w.a),
            "mutation($id: ID!) { startProject(input: {id: $id}) { project { status } } }",
            json!({"id": project}),
        )
        .await;
        let told = until_count(&app, &w.u, "PROJECT_STATUS_CHANGED", 1).await;
        assert!(
            text(&told[0]["body"]).contains("in progress"),
            "{}",
            told[0]
        );
    }
);

e2e!(
    a_qualification_about_to_expire_reminds_its_holder_once,
    |app| async move {
        let w = World::new(&app).await;
        let (staff, instrument) = crate::instruments::staffed_instrument(&app, &w).await;
        let a_id = crate::fixtures::me(&app, &w.a).await;
        let u_id = crate::fixtures::me(&app, &w.u).await;
        const GRANT: &str = "mutation($i: ID!, $u: ID!, $e: DateTime) { grantQualification(input: {instrumentId: $i, userId: $u, expiresAt: $e}) { qualification { valid } } }";
        let soon = (chrono::Utc::now() + chrono::Duration::days(5)).to_rfc3339();
        let later = (chrono::Utc::now() + chrono::Duration::days(60)).to_rfc3339();
        app.gql_ok(
            Some(&staff),
            GRANT,
            json!({"i": instrument, "u": a_id, "e": soon}),
        )
        .await;
        app.gql_ok(
            Some(&staff),
            GRANT,
            json!({"i": instrument, "u": u_id, "e": later}),
        )
        .await;
        let app = app.restart_with(|s| s.schedule_every_secs = 1).await;
        let told = until_count(&app, &w.a, "QUALIFICATION_EXPIRING", 1).await;
        assert_eq!(told[0]["subject"]["id"], instrument.as_str());
        assert!(text(&told[0]["title"]).contains("扫描电镜"), "{}", told[0]);
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let count = |data: &Value| {
            kinds(data)
                .iter()
                .filter(|k| *k == "QUALIFICATION_EXPIRING")
                .count()
        };
        assert_eq!(count(&inbox(&app, &w.a).await), 1, "once");
        assert_eq!(count(&inbox(&app, &w.u).await), 0, "60 days away");
    }
);
