//! Notifications: each user's inbox and the channels they chose. The
//! notices of a change are made here, by the app function that makes the
//! change, and written by the store in the change's transaction
//! ([`iurhub_store::notifications`]); [`written`] then tells subscribers
//! and wakes the mailer ([`crate::mail`]).

use chrono::Utc;
use iurhub_domain::records::notifications::{Notices, Notification};
use iurhub_domain::records::page::{Page, PageArgs};
use iurhub_domain::{Locale, Message, NotificationChannel, NotificationKind};

use crate::App;
use crate::caller::Caller;
use crate::error::{AppError, AppResult};
use crate::events::Event;

/// Most notifications marked read in one call.
pub const MAX_MARKED: usize = 100;

/// After the commit of a change that wrote `notices`: its recipients'
/// subscribers hear of them and the mailer wakes when one goes by e-mail.
pub(crate) fn written(app: &App, notices: &Notices) {
    for &(user_id, notification_id) in &notices.written {
        app.events.publish(Event::NotificationAdded {
            user_id,
            notification_id,
        });
    }
    if notices.mail {
        app.mail_wake.notify_one();
    }
}

/// The caller's notifications, newest first.
pub async fn list(
    app: &App,
    caller: &Caller,
    unread_only: bool,
    args: PageArgs,
) -> AppResult<Page<Notification>> {
    Ok(app
        .store
        .notifications_of(caller.id(), unread_only, args)
        .await?)
}

/// How many of the caller's notifications are unread.
pub async fn unread_count(app: &App, caller: &Caller) -> AppResult<u64> {
    Ok(app.store.unread_notifications(caller.id()).await?)
}

/// One notification of the caller's (NOT_FOUND for anyone else's).
pub async fn get(app: &App, caller: &Caller, id: i64) -> AppResult<Notification> {
    match app.store.notification(id).await? {
        Some(n) if n.user_id == caller.id() => Ok(n),
        _ => Err(AppError::NotFound("notification")),
    }
}

/// Notifications by id for the event of a subscription: those of `user_id`.
pub async fn of_user(app: &App, user_id: i64, id: i64) -> AppResult<Option<Notification>> {
    Ok(app
        .store
        .notification(id)
        .await?
        .filter(|n| n.user_id == user_id))
}

/// Marks read the caller's notifications `ids` (at most [`MAX_MARKED`]);
/// an id that is not the caller's is NOT_FOUND and nothing is marked.
pub async fn mark_read(app: &App, caller: &Caller, ids: &[i64]) -> AppResult<Vec<Notification>> {
    if ids.len() > MAX_MARKED {
        return Err(AppError::invalid(
            "ids",
            Message::new("notification.ids.too_many").with("max", MAX_MARKED),
        ));
    }
    let found = app.store.notifications_by_ids(ids).await?;
    if ids.iter().any(|id| {
        !found
            .iter()
            .any(|n| n.id == *id && n.user_id == caller.id())
    }) {
        return Err(AppError::NotFound("notification"));
    }
    app.store
        .mark_notifications_read(caller.id(), ids, Utc::now())
        .await?;
    let mut marked = app.store.notifications_by_ids(ids).await?;
    marked.sort_by_key(|n| std::cmp::Reverse(n.id));
    Ok(marked)
}

/// Marks read every unread notification of the caller up to `until_id`
/// (the newest they were shown; all when `None`); the number marked.
pub async fn mark_all_read(app: &App, caller: &Caller, until_id: Option<i64>) -> AppResult<u64> {
    Ok(app
        .store
        .mark_all_notifications_read(caller.id(), until_id, Utc::now())
        .await?)
}

/// The caller's channel for every kind (the default where they chose none).
pub async fn preferences(
    app: &App,
    caller: &Caller,
) -> AppResult<Vec<(NotificationKind, NotificationChannel, bool)>> {
    let chosen = app.store.notification_preferences(caller.id()).await?;
    Ok(NotificationKind::ALL
        .iter()
        .map(|kind| match chosen.iter().find(|(k, _)| k == kind) {
            Some((_, channel)) => (*kind, *channel, false),
            None => (*kind, kind.default_channel(), true),
        })
        .collect())
}

/// Sets the caller's channel for one kind.
pub async fn set_preference(
    app: &App,
    caller: &Caller,
    kind: NotificationKind,
    channel: NotificationChannel,
) -> AppResult<()> {
    Ok(app
        .store
        .set_notification_preference(caller.id(), kind, channel)
        .await?)
}

/// Sets the language of the caller's e-mail.
pub async fn set_locale(app: &App, caller: &Caller, locale: Locale) -> AppResult<()> {
    app.store.set_locale(caller.id(), locale).await?;
    app.access_written(Ok(()))
}
