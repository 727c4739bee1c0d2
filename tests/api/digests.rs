//! Digests: a kind whose channel is `DIGEST` (the suggestions by default)
//! is not mailed one by one; the `digests` job writes each such user one
//! e-mail (through the outbox, to a real SMTP server) listing what came
//! since their last digest — only once their period (`DAILY` / `WEEKLY`,
//! `updateProfile(input: {digestFrequency})`) has passed, never what they
//! may no longer see, and nothing when nothing is new.

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};

use crate::common::{SmtpSink, TestApp, text};
use crate::fixtures::World;
use crate::freshness::set_time;
use crate::matching::{capability, need};
use crate::notifications::{raw, until_count};

/// The e-mails the sink received for `to`.
fn mails_to(sink: &SmtpSink, to: &str) -> Vec<Value> {
    sink.mails()
        .into_iter()
        .filter(|m| m["rcptTos"] == json!([to]))
        .collect()
}

/// Waits up to 10 s until `to` received `count` e-mails; those.
async fn until_mailed(sink: &SmtpSink, to: &str, count: usize) -> Vec<Value> {
    for _ in 0..100 {
        let mails = mails_to(sink, to);
        if mails.len() >= count {
            return mails;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("fewer than {count} e-mails to {to}: {:?}", sink.mails());
}

async fn bearing_need(app: &TestApp, w: &World, title: &str) -> String {
    need(
        app,
        w,
        title,
        "振动数据 vibration data from 40 motors, bearing faults",
        &["轴承", "bearing"],
        "PUBLIC",
    )
    .await
}

const U: &str = "u@university.test";

e2e!(
    a_digest_lists_what_came_since_the_last_once_its_period_passed,
    |app| async move {
        let w = World::new(&app).await;
        // Suggestions go to the digest unless one chooses otherwise.
        let prefs = app
            .gql_ok(
                Some(&w.u),
                "{ notificationPreferences { kind channel isDefault } }",
                json!({}),
            )
            .await;
        let suggested = prefs["notificationPreferences"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["kind"] == "NEED_SUGGESTED")
            .unwrap()
            .clone();
        assert_eq!(
            suggested,
            json!({"kind": "NEED_SUGGESTED", "channel": "DIGEST", "isDefault": true})
        );
        // U reads its digest weekly; A keeps the default, daily.
        let data = app
            .gql_ok(
                Some(&w.u),
                "mutation { updateProfile(input: {digestFrequency: WEEKLY}) { user { digestFrequency } } }",
                json!({}),
            )
            .await;
        assert_eq!(data["updateProfile"]["user"]["digestFrequency"], "WEEKLY");
        let me = app
            .gql_ok(Some(&w.a), "{ me { digestFrequency } }", json!({}))
            .await;
        assert_eq!(me["me"]["digestFrequency"], "DAILY");
        let u_id = raw(&crate::fixtures::me(&app, &w.u).await);

        // U's capability waits; A publishes two needs that fit it and
        // withdraws the second: U may no longer see that one.
        capability(
            &app,
            &w,
            "滚动轴承故障诊断 Bearing fault diagnosis",
            "Vibration analysis of motor bearings",
            &["轴承", "bearing"],
            &["460"],
            6,
        )
        .await;
        bearing_need(&app, &w, "电机轴承故障预警 Motor bearing warning").await;
        let withdrawn = bearing_need(&app, &w, "撤回的轴承需求 Withdrawn bearing need").await;
        until_count(&app, &w.u, "NEED_SUGGESTED", 2).await;
        app.gql_ok(
            Some(&w.a),
            "mutation($id: ID!) { withdrawNeed(input: {id: $id}) { need { status } } }",
            json!({"id": withdrawn}),
        )
        .await;

        let sink = SmtpSink::start().await;
        let app = app
            .restart_with(|s| {
                s.smtp_url = Some(sink.url().into());
                s.mail_poll_secs = 1;
                s.schedule_every_secs = 1;
            })
            .await;
        // One e-mail, in U's language (Chinese), listing what U still sees.
        let mails = until_mailed(&sink, U, 1).await;
        let mail = &mails[0];
        assert!(
            text(&mail["subject"]).contains("iurhub 摘要：1 条新通知"),
            "{mail}"
        );
        assert!(text(&mail["text"]).contains("电机轴承故障预警"), "{mail}");
        assert!(!text(&mail["text"]).contains("撤回的轴承需求"), "{mail}");
        assert!(text(&mail["html"]).contains("<li><strong>"), "{mail}");
        assert_eq!(mail["contentType"], "multipart/alternative");

        // A new suggestion waits for the week to pass.
        bearing_need(&app, &w, "风机轴承寿命预测 Fan bearing life prediction").await;
        until_count(&app, &w.u, "NEED_SUGGESTED", 3).await;
        tokio::time::sleep(Duration::from_millis(2500)).await;
        assert_eq!(mails_to(&sink, U).len(), 1);
        set_time(
            &app,
            "users",
            "digest_sent_at",
            u_id,
            Utc::now() - TimeDelta::days(8),
        )
        .await;
        let mails = until_mailed(&sink, U, 2).await;
        let mail = &mails[1];
        assert!(text(&mail["text"]).contains("风机轴承寿命预测"), "{mail}");
        assert!(!text(&mail["text"]).contains("电机轴承故障预警"), "{mail}");
        assert_ne!(mails[0]["messageId"], mails[1]["messageId"]);

        // Nothing new: no digest, however long since the last.
        set_time(
            &app,
            "users",
            "digest_sent_at",
            u_id,
            Utc::now() - TimeDelta::days(8),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(2500)).await;
        assert_eq!(mails_to(&sink, U).len(), 2, "{:?}", sink.mails());
        // The inbox keeps every suggestion.
        until_count(&app, &w.u, "NEED_SUGGESTED", 3).await;
    }
);
