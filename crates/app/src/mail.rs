//! E-mail of notifications: the outbox's dispatcher and the texts of a
//! message. What sends is one interface, [`Mailer`] (SMTP in the
//! `iurhub-mail` crate, its client outside the application layer).
//!
//! Delivery is at least once and at most twice per crash:
//! - a notification's outbox row commits with the change that causes it;
//! - the dispatcher claims due rows for a lease, sends each and
//!   marks it sent. A server that stops between sending and marking leaves
//!   the row claimed; when the lease ends ([`DEFAULT_LEASE`]) another
//!   claim sends it again —
//!   the only duplicate, and every copy carries the same `Message-ID`
//!   (`<outbox-N@host>`), so mail clients show it once;
//! - a failed attempt is retried after a back-off
//!   ([`iurhub_domain::records::notifications::mail_backoff`]), and given up
//!   after [`MAIL_MAX_ATTEMPTS`] attempts (counted in `/metrics`);
//! - several servers on one PostgreSQL database never claim the same row
//!   (`FOR UPDATE SKIP LOCKED`).

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use iurhub_domain::Message;
use iurhub_domain::records::notifications::{
    DIGEST_MAX_ITEMS, MAIL_MAX_ATTEMPTS, Notification, mail_backoff,
};
use iurhub_store::notifications::MailJob;

use crate::App;

/// How long a claimed e-mail is left to the server that claimed it, by
/// default (longer than one attempt may take).
pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);
/// E-mails claimed at once.
const BATCH: u64 = 20;

/// Why an e-mail was not sent: its recipient may no longer see what it is
/// about.
pub const WITHDRAWN: &str = "not sent: the recipient may no longer see what it is about";

/// One e-mail, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// The same for every attempt at one outbox row.
    pub message_id: String,
    pub to: String,
    pub to_name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Why sending failed.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// Worth trying again later (server down, 4xx).
    #[error("{0}")]
    Transient(String),
    /// Trying again would fail the same way (5xx, a bad address).
    #[error("{0}")]
    Permanent(String),
}

/// Sends e-mail.
#[async_trait::async_trait]
pub trait Mailer: Send + Sync + std::fmt::Debug {
    async fn send(&self, mail: &Mail) -> Result<(), MailError>;
    /// The host part of message ids (the sender's domain).
    fn domain(&self) -> &str;
}

/// The e-mail of an outbox row, in its recipient's language (a digest
/// lists every notification of `job.digest`).
pub fn compose(job: &MailJob, domain: &str) -> Mail {
    if !job.digest.is_empty() {
        return compose_digest(job, &job.digest, domain);
    }
    let locale = job.locale;
    let title = job.notification.title(locale);
    let body = job.notification.body(locale);
    let footer = Message::new("notification.mail.footer").render(locale);
    let text = format!("{body}\n\n-- \n{footer}\n");
    let html = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body><h1 style=\"font-size:18px\">{t}</h1><p>{b}</p>\
         <hr><p style=\"color:#666;font-size:12px\">{f}</p></body></html>\n",
        t = escape(&title),
        b = escape(&body),
        f = escape(&footer),
    );
    Mail {
        message_id: format!("<outbox-{}@{domain}>", job.id),
        to: job.to.clone(),
        to_name: job.display_name.clone(),
        subject: title,
        text,
        html,
    }
}

/// The digest e-mail of an outbox row listing `items` (the newest
/// [`DIGEST_MAX_ITEMS`]), in its recipient's language.
pub fn compose_digest(job: &MailJob, items: &[Notification], domain: &str) -> Mail {
    let locale = job.locale;
    let subject = Message::new("notification.digest.subject")
        .with("count", items.len())
        .render(locale);
    let intro = Message::new("notification.digest.intro").render(locale);
    let footer = Message::new("notification.mail.footer").render(locale);
    let shown = &items[items.len().saturating_sub(DIGEST_MAX_ITEMS)..];
    let mut text = format!("{intro}\n\n");
    let mut list = String::new();
    for n in shown {
        let (title, body) = (n.title(locale), n.body(locale));
        text.push_str(&format!("* {title}\n  {body}\n\n"));
        list.push_str(&format!(
            "<li><strong>{}</strong><br>{}</li>",
            escape(&title),
            escape(&body)
        ));
    }
    text.push_str(&format!("-- \n{footer}\n"));
    let html = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body><h1 style=\"font-size:18px\">{t}</h1><p>{i}</p><ul>{list}</ul>\
         <hr><p style=\"color:#666;font-size:12px\">{f}</p></body></html>\n",
        t = escape(&subject),
        i = escape(&intro),
        f = escape(&footer),
    );
    Mail {
        message_id: format!("<outbox-{}@{domain}>", job.id),
        to: job.to.clone(),
        to_name: job.display_name.clone(),
        subject,
        text,
        html,
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Claims the due e-mails and sends them, until none is due; the number
/// sent.
pub async fn dispatch(app: &App, mailer: &dyn Mailer, lease: Duration) -> anyhow::Result<usize> {
    let lease = TimeDelta::from_std(lease)?;
    let mut sent = 0;
    loop {
        let now = Utc::now();
        let jobs = app.store.claim_mail(now, lease, BATCH).await?;
        if jobs.is_empty() {
            return Ok(sent);
        }
        for job in jobs {
            // Written about what its recipient saw then; not sent if they
            // may no longer see it (or no longer exist). A digest lists
            // what they still see.
            let subjects: Vec<_> = if job.digest.is_empty() {
                vec![&job.notification]
            } else {
                job.digest.iter().collect()
            };
            let shown = still_seen(app, job.notification.user_id, &subjects).await?;
            if shown.is_empty() {
                app.store
                    .mail_failed(job.id, WITHDRAWN, None, Utc::now())
                    .await?;
                continue;
            }
            let mail = if job.digest.is_empty() {
                compose(&job, mailer.domain())
            } else {
                compose_digest(&job, &shown, mailer.domain())
            };
            match mailer.send(&mail).await {
                Ok(()) => {
                    app.store.mail_sent(job.id, Utc::now()).await?;
                    metrics::counter!("iurhub_mail_sent_total").increment(1);
                    sent += 1;
                }
                Err(err) => {
                    let attempts = job.attempts + 1;
                    let permanent = matches!(err, MailError::Permanent(_));
                    let retry_at = (!permanent && attempts < MAIL_MAX_ATTEMPTS)
                        .then(|| Utc::now() + mail_backoff(attempts));
                    tracing::warn!(
                        outbox = job.id,
                        attempts,
                        error = %err,
                        given_up = retry_at.is_none(),
                        "sending an e-mail failed"
                    );
                    metrics::counter!("iurhub_mail_failures_total").increment(1);
                    app.store
                        .mail_failed(job.id, &err.to_string(), retry_at, Utc::now())
                        .await?;
                }
            }
        }
    }
}

/// Those of `notifications` whose subject `user_id` may still see (none
/// when the user no longer exists).
async fn still_seen(
    app: &App,
    user_id: i64,
    notifications: &[&Notification],
) -> anyhow::Result<Vec<Notification>> {
    let caller = match crate::accounts::caller(app, user_id).await {
        Ok(caller) => caller,
        Err(crate::AppError::Unauthenticated(_)) => return Ok(Vec::new()),
        Err(err) => return Err(anyhow::anyhow!(err.message())),
    };
    let mut seen = Vec::with_capacity(notifications.len());
    for n in notifications {
        if crate::notice_subjects::sees_subject(app, &caller, n.subject)
            .await
            .map_err(|e| anyhow::anyhow!(e.message()))?
        {
            seen.push((*n).clone());
        }
    }
    Ok(seen)
}

/// Sends the outbox's e-mail until `closing` turns `true`: at once when a
/// change wrote one, and every `poll` for retries and for rows written by
/// other servers.
pub fn spawn_dispatcher(
    app: &App,
    mailer: Arc<dyn Mailer>,
    poll: Duration,
    lease: Duration,
    mut closing: tokio::sync::watch::Receiver<bool>,
) {
    let app = app.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(poll);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = every.tick() => {}
                () = app.mail_wake.notified() => {}
                _ = closing.changed() => return,
            }
            if *closing.borrow() {
                return;
            }
            if let Err(err) = dispatch(&app, mailer.as_ref(), lease).await {
                tracing::warn!(
                    error = format!("{err:#}"),
                    "the e-mail outbox could not be read; trying again"
                );
            }
            match app.store.outbox_counts().await {
                Ok(counts) => {
                    metrics::gauge!("iurhub_mail_outbox_pending").set(counts.pending as f64);
                    metrics::gauge!("iurhub_mail_outbox_failed").set(counts.failed as f64);
                }
                Err(err) => tracing::debug!(error = %err, "counting the outbox failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use iurhub_domain::records::notifications::NoticeSubject;
    use iurhub_domain::{Locale, NotificationKind};

    #[test]
    fn mail_is_written_in_the_recipients_language_and_escaped() {
        let job = MailJob {
            id: 42,
            attempts: 0,
            to: "li@example.cn".into(),
            display_name: "李工".into(),
            locale: Locale::Zh,
            digest: Vec::new(),
            notification: Notification {
                id: 7,
                user_id: 3,
                kind: NotificationKind::InterestExpressed,
                subject: Some(NoticeSubject::Interest(5)),
                params: [
                    ("organization".to_owned(), "<b>西南大学</b>".to_owned()),
                    ("need".to_owned(), "轴承".to_owned()),
                    ("capability".to_owned(), "振动分析".to_owned()),
                ]
                .into(),
                created_at: Utc::now(),
                read_at: None,
            },
        };
        let mail = compose(&job, "iurhub.example");
        assert_eq!(mail.message_id, "<outbox-42@iurhub.example>");
        assert!(mail.subject.contains("表达了合作意向"), "{}", mail.subject);
        assert!(mail.text.contains("振动分析"), "{}", mail.text);
        assert!(mail.html.contains("&lt;b&gt;西南大学"), "{}", mail.html);
        assert!(!mail.html.contains("<b>西南"), "{}", mail.html);
    }
}
