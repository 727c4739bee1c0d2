//! The inbox in the schema: the `Notification` node, `notifications`,
//! `unreadNotificationCount`, `notificationPreferences`, the mutations that
//! mark notifications read and set a kind's channel, and the
//! `notificationAdded` subscription (in `graphql::subscription`). Rules are
//! in `iurhub_app::notifications`; the notifications themselves are written
//! by the changes that cause them.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use iurhub_app::notifications;
use iurhub_domain::Message;
use iurhub_domain::records::notifications::{NoticeSubject, Notification};

use crate::error::ApiResult as Result;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{NotificationChannel, NotificationKind};
use crate::graphql::ids::{Kind, decode, encode, encode_match};
use crate::graphql::node::{Node, visible_node};
use crate::graphql::paging::{Conn, PageInput, connection};
use crate::graphql::scalars::DateTime;

/// A notification, and whether its reader may still see what it is about
/// (asked once per object).
pub struct NotificationObject(pub Notification, tokio::sync::OnceCell<bool>);

impl NotificationObject {
    pub fn new(notification: Notification) -> NotificationObject {
        NotificationObject(notification, tokio::sync::OnceCell::new())
    }

    /// Whether its texts may be shown: the reader still sees its subject.
    async fn shown(&self, ctx: &Context<'_>) -> Result<bool> {
        let caller = ctx.caller()?;
        Ok(*self
            .1
            .get_or_try_init(|| notifications::sees_subject(ctx.app(), caller, self.0.subject))
            .await?)
    }
}

/// The global id of what a notification is about.
fn subject_id(subject: NoticeSubject) -> ID {
    ID(match subject {
        NoticeSubject::Need(id) => encode(Kind::Need, id),
        NoticeSubject::Capability(id) => encode(Kind::Capability, id),
        NoticeSubject::Match {
            need_id,
            capability_id,
        } => encode_match(need_id, capability_id),
        NoticeSubject::Interest(id) => encode(Kind::Interest, id),
        NoticeSubject::Thread(id) => encode(Kind::Thread, id),
        NoticeSubject::Project(id) => encode(Kind::Project, id),
        NoticeSubject::Booking(id) => encode(Kind::Booking, id),
        NoticeSubject::ChecklistItem(id) => encode(Kind::ChecklistItem, id),
    })
}

/// Something that happened for you (通知): shown in your inbox and, for the
/// kinds you get by e-mail, sent to your address in your language. Only its
/// recipient reads it.
#[Object(name = "Notification")]
impl NotificationObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Notification, self.0.id))
    }

    /// What it tells.
    async fn kind(&self) -> NotificationKind {
        self.0.kind.into()
    }

    /// A one-line title, in the request's language. A notification about
    /// something you may no longer see (archived, withdrawn, an
    /// organisation you left) says only that.
    async fn title(&self, ctx: &Context<'_>) -> Result<String> {
        let locale = crate::i18n::current();
        Ok(if self.shown(ctx).await? {
            self.0.title(locale)
        } else {
            Message::new("notification.hidden.title").render(locale)
        })
    }

    /// The text, in the request's language (likewise).
    async fn body(&self, ctx: &Context<'_>) -> Result<String> {
        let locale = crate::i18n::current();
        Ok(if self.shown(ctx).await? {
            self.0.body(locale)
        } else {
            Message::new("notification.hidden.body").render(locale)
        })
    }

    /// What it is about (a need, match, interest, conversation, project or
    /// booking); null when you may not see that object (any more).
    async fn subject(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        match self.0.subject {
            Some(subject) => visible_node(ctx, &subject_id(subject)).await,
            None => Ok(None),
        }
    }

    /// The global id of what it is about (also when `subject` is hidden).
    async fn subject_id(&self) -> Option<ID> {
        self.0.subject.map(subject_id)
    }

    /// When it was written.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When you marked it read; null while unread.
    async fn read_at(&self) -> Option<DateTime> {
        self.0.read_at.map(DateTime)
    }

    /// Whether you marked it read.
    async fn read(&self) -> bool {
        self.0.read_at.is_some()
    }
}

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
