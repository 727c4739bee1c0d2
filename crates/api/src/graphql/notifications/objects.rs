//! The `Notification` node.

use async_graphql::{Context, ID, Object};
use iurhub_domain::Message;
use iurhub_domain::records::notifications::{NoticeSubject, Notification};

use crate::error::ApiResult as Result;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::NotificationKind;
use crate::graphql::ids::{Kind, encode, encode_match};
use crate::graphql::node::{Node, visible_node};
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
            .get_or_try_init(|| {
                iurhub_app::notice_subjects::sees_subject(ctx.app(), caller, self.0.subject)
            })
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
        NoticeSubject::Instrument(id) => encode(Kind::Instrument, id),
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
