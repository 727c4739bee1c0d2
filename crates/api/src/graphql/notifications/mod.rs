//! The inbox in the schema: the `Notification` node, `notifications`,
//! `unreadNotificationCount`, `notificationPreferences`, the mutations that
//! mark notifications read and set a kind's channel, and the
//! `notificationAdded` subscription (in `graphql::subscription`). Rules are
//! in `iurhub_app::notifications`; the notifications themselves are written
//! by the changes that cause them.

pub mod objects;
pub mod saved_searches;

pub use objects::NotificationObject;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use iurhub_app::notifications;

use crate::error::ApiResult as Result;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{NotificationChannel, NotificationKind};
use crate::graphql::ids::{Kind, decode};
use crate::graphql::paging::{Conn, PageInput, connection};

/// The channel of one kind of notification.
#[derive(SimpleObject)]
pub struct NotificationPreference {
    /// The kind.
    pub kind: NotificationKind,
    /// How it reaches you.
    pub channel: NotificationChannel,
    /// Whether this is the kind's default (you chose nothing).
    pub is_default: bool,
}

#[derive(Default)]
pub struct NotificationsQuery;

#[Object]
impl NotificationsQuery {
    /// Your notifications, newest first. Sign-in required.
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n notifications (20 by default, at most 100).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the notifications after this cursor (an edge's `cursor`).")]
        after: Option<String>,
        #[graphql(desc = "Returns the last n notifications; not with `first`.")] last: Option<i32>,
        #[graphql(desc = "Returns the notifications before this cursor.")] before: Option<String>,
        #[graphql(desc = "Only those not marked read (default false).")] unread_only: Option<bool>,
    ) -> Result<Conn<NotificationObject>> {
        let caller = ctx.caller()?;
        let unread_only = unread_only.unwrap_or(false);
        let tag = if unread_only {
            "notifications:unread"
        } else {
            "notifications"
        };
        let args = PageInput::new(first, after, last, before).to_args(ctx, tag)?;
        let page = notifications::list(ctx.app(), caller, unread_only, args).await?;
        Ok(connection(tag, page, NotificationObject::new))
    }

    /// How many of your notifications are unread. Sign-in required.
    async fn unread_notification_count(&self, ctx: &Context<'_>) -> Result<u64> {
        Ok(notifications::unread_count(ctx.app(), ctx.caller()?).await?)
    }

    /// The channel of every kind of notification for you (its default
    /// where you chose none). Sign-in required.
    async fn notification_preferences(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<NotificationPreference>> {
        Ok(notifications::preferences(ctx.app(), ctx.caller()?)
            .await?
            .into_iter()
            .map(|(kind, channel, is_default)| NotificationPreference {
                kind: kind.into(),
                channel: channel.into(),
                is_default,
            })
            .collect())
    }
}

/// Notifications to mark read.
#[derive(InputObject)]
pub struct MarkNotificationsReadInput {
    /// Your notifications, at most 100; any other id is NOT_FOUND and
    /// nothing is marked.
    pub ids: Vec<ID>,
}

/// The notifications marked read.
#[derive(SimpleObject)]
pub struct MarkNotificationsReadPayload {
    /// The notifications named, newest first.
    pub notifications: Vec<NotificationObject>,
    /// Your unread notifications left.
    pub unread_count: u64,
}

/// Marks every unread notification read.
#[derive(InputObject)]
pub struct MarkAllNotificationsReadInput {
    /// The newest notification you were shown: those written after it stay
    /// unread. All when omitted.
    pub until_id: Option<ID>,
}

/// What marking all read did.
#[derive(SimpleObject)]
pub struct MarkAllNotificationsReadPayload {
    /// How many were marked.
    pub marked: u64,
    /// Your unread notifications left.
    pub unread_count: u64,
}

/// The channel of one kind of notification.
#[derive(InputObject)]
pub struct SetNotificationPreferenceInput {
    /// The kind.
    pub kind: NotificationKind,
    /// How it should reach you.
    pub channel: NotificationChannel,
}

/// The channel set.
#[derive(SimpleObject)]
pub struct SetNotificationPreferencePayload {
    /// Your channel of every kind.
    pub preferences: Vec<NotificationPreference>,
}

#[derive(Default)]
pub struct NotificationsMutation;

#[Object]
impl NotificationsMutation {
    /// Marks notifications of yours read.
    async fn mark_notifications_read(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The notifications.")] input: MarkNotificationsReadInput,
    ) -> Result<MarkNotificationsReadPayload> {
        let caller = ctx.caller()?;
        let ids = input
            .ids
            .iter()
            .enumerate()
            .map(|(i, id)| decode(&format!("input.ids[{i}]"), Kind::Notification, id))
            .collect::<Result<Vec<_>>>()?;
        let marked = notifications::mark_read(ctx.app(), caller, &ids).await?;
        Ok(MarkNotificationsReadPayload {
            notifications: marked.into_iter().map(NotificationObject::new).collect(),
            unread_count: notifications::unread_count(ctx.app(), caller).await?,
        })
    }

    /// Marks every unread notification of yours read (up to `untilId`).
    async fn mark_all_notifications_read(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Up to which notification.")] input: MarkAllNotificationsReadInput,
    ) -> Result<MarkAllNotificationsReadPayload> {
        let caller = ctx.caller()?;
        let until = input
            .until_id
            .as_ref()
            .map(|id| decode("input.untilId", Kind::Notification, id))
            .transpose()?;
        let marked = notifications::mark_all_read(ctx.app(), caller, until).await?;
        Ok(MarkAllNotificationsReadPayload {
            marked,
            unread_count: notifications::unread_count(ctx.app(), caller).await?,
        })
    }

    /// Sets how one kind of notification reaches you.
    async fn set_notification_preference(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The kind and its channel.")] input: SetNotificationPreferenceInput,
    ) -> Result<SetNotificationPreferencePayload> {
        let caller = ctx.caller()?;
        notifications::set_preference(ctx.app(), caller, input.kind.into(), input.channel.into())
            .await?;
        let preferences = NotificationsQuery.notification_preferences(ctx).await?;
        Ok(SetNotificationPreferencePayload { preferences })
    }
}
