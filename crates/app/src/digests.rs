//! Digests, run by the scheduler ([`crate::schedule`]): a notification
//! whose kind the user set to `DIGEST` (the suggestions and saved-search
//! matches by default) waits in the inbox; once the user's period
//! (`DAILY` / `WEEKLY`) has passed since their last digest, the `digests`
//! job writes them one e-mail into the outbox listing what came since —
//! only what they may still see ([`crate::notice_subjects`]), and nothing
//! when nothing is new. The outbox sends it like any e-mail
//! ([`crate::mail`]), in their language.

use chrono::Utc;
use iurhub_domain::DigestFrequency;

use crate::App;
use crate::caller::Caller;
use crate::error::AppResult;

/// Writes the digests that are due; how many.
pub async fn send_digests(app: &App) -> anyhow::Result<i64> {
    let now = Utc::now();
    let mut written = 0;
    for reader in app.store.digest_readers().await? {
        if !reader.frequency.due(reader.last_sent_at, now) {
            continue;
        }
        let pending = app.store.digest_pending(reader.user_id).await?;
        let (mut listed, mut dropped) = (Vec::new(), Vec::new());
        match crate::accounts::caller(app, reader.user_id).await {
            Ok(caller) => {
                for n in &pending {
                    let seen = crate::notice_subjects::sees_subject(app, &caller, n.subject)
                        .await
                        .map_err(|e| anyhow::anyhow!(e.message()))?;
                    if seen {
                        listed.push(n.id);
                    } else {
                        dropped.push(n.id);
                    }
                }
            }
            Err(crate::AppError::Unauthenticated(_)) => {
                dropped.extend(pending.iter().map(|n| n.id));
            }
            Err(err) => return Err(anyhow::anyhow!(err.message())),
        }
        if app
            .store
            .write_digest(reader.user_id, &listed, &dropped, now)
            .await?
            && !listed.is_empty()
        {
            written += 1;
        }
    }
    if written > 0 {
        app.mail_wake.notify_one();
    }
    Ok(written)
}

/// Sets how often the caller's digest goes out.
pub async fn set_frequency(
    app: &App,
    caller: &Caller,
    frequency: DigestFrequency,
) -> AppResult<()> {
    app.store
        .set_digest_frequency(caller.id(), frequency)
        .await?;
    app.access_written(Ok(()))
}
