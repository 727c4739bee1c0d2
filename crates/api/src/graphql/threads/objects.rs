//! The `Thread` and `ThreadMessage` nodes and the `Attachment` object.

use async_graphql::{Context, ID, Object};
use iurhub_app::threads;
use iurhub_domain::records::threads::{Attachment, Thread, ThreadMessage, ThreadSubject};

use crate::error::ApiResult as Result;
use crate::graphql::context::{ContextExt, load_one};
use crate::graphql::ids::{Kind, encode, encode_match};
use crate::graphql::loaders::{OrganizationId, UserId};
use crate::graphql::node::{Node, visible_node};
use crate::graphql::organizations::{OrganizationObject, UserObject};
use crate::graphql::paging::{Conn, PageInput, slice};
use crate::graphql::scalars::DateTime;

/// The global id of a thread's subject.
pub fn subject_id(subject: ThreadSubject) -> ID {
    ID(match subject {
        ThreadSubject::Match {
            need_id,
            capability_id,
        } => encode_match(need_id, capability_id),
        ThreadSubject::Project(id) => encode(Kind::Project, id),
        ThreadSubject::ServiceOrder(id) => encode(Kind::ServiceOrder, id),
    })
}

/// A conversation.
pub struct ThreadObject(pub Thread);

/// The conversation (会话) of a match, a project or a testing service
/// order: its parties' members, the coordinators of its agreement and
/// admins read and write in it (a service order's: its client side, the
/// center's staff and admins). Made when first read or written; its id
/// never changes.
#[Object(name = "Thread")]
impl ThreadObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Thread, self.0.id))
    }

    /// What the conversation is about: a `Match`, a `Project` or a
    /// `ServiceOrder`; null when the reader may not see that object itself.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        visible_node(ctx, &subject_id(self.0.subject)).await
    }

    /// The id of the match, project or service order the conversation is
    /// about (also when `subject` is hidden).
    async fn subject_id(&self) -> ID {
        subject_id(self.0.subject)
    }

    /// When the conversation was started.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// The messages, oldest first (the newest is the last of the last
    /// page: page from the end with `last`/`before`).
    async fn messages(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n messages (20 by default).")] first: Option<i32>,
        #[graphql(desc = "Returns the messages after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n messages.")] last: Option<i32>,
        #[graphql(desc = "Returns the messages before this cursor.")] before: Option<String>,
    ) -> Result<Conn<ThreadMessageObject>> {
        let list = threads::messages(ctx.app(), ctx.identity(), self.0.id).await?;
        let tag = format!("thread:{}", self.0.id);
        slice(
            ctx,
            &tag,
            list,
            &PageInput::new(first, after, last, before),
            ThreadMessageObject,
        )
    }

    /// Messages of others the viewer has not read (after their last
    /// `markThreadRead`); their own are never unread.
    async fn unread_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let caller = ctx.caller()?;
        let state = threads::read_state(ctx.app(), caller, self.0.id).await?;
        Ok(i32::try_from(state.unread).unwrap_or(i32::MAX))
    }

    /// When the viewer last marked the conversation read; null: never.
    async fn last_read_at(&self, ctx: &Context<'_>) -> Result<Option<DateTime>> {
        let caller = ctx.caller()?;
        let state = threads::read_state(ctx.app(), caller, self.0.id).await?;
        Ok(state.last_read_at.map(DateTime))
    }

    /// Whether the viewer may write here (false for read-only accounts).
    async fn viewer_can_post(&self, ctx: &Context<'_>) -> bool {
        ctx.caller().is_ok_and(|c| !c.read_only())
    }
}

/// A message of a conversation.
pub struct ThreadMessageObject(pub ThreadMessage);

/// One message of a conversation, with its attachments.
#[Object(name = "ThreadMessage")]
impl ThreadMessageObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::ThreadMessage, self.0.id))
    }

    /// The conversation.
    async fn thread(&self, ctx: &Context<'_>) -> Result<ThreadObject> {
        Ok(ThreadObject(
            threads::visible(ctx.app(), ctx.identity(), self.0.thread_id).await?,
        ))
    }

    /// Who wrote it.
    async fn author(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        Ok(load_one(ctx, UserId(self.0.author_id))
            .await?
            .map(UserObject))
    }

    /// The party the author wrote for (the first party of the conversation
    /// they are a member of); null for a coordinator or admin of none.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<OrganizationObject>> {
        let Some(id) = self.0.organization_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, OrganizationId(id))
            .await?
            .map(OrganizationObject))
    }

    /// The text, 1–10,000 characters, as written (line breaks kept).
    async fn body(&self) -> &str {
        &self.0.body
    }

    /// When it was posted.
    async fn posted_at(&self) -> DateTime {
        DateTime(self.0.posted_at)
    }

    /// Whether the viewer wrote it.
    async fn viewer_is_author(&self, ctx: &Context<'_>) -> bool {
        ctx.caller().is_ok_and(|c| c.id() == self.0.author_id)
    }

    /// The files attached, in the order uploaded.
    async fn attachments(&self, ctx: &Context<'_>) -> Result<Vec<AttachmentObject>> {
        let list = threads::attachments_of(ctx.app(), &[self.0.id]).await?;
        Ok(list.into_iter().map(AttachmentObject).collect())
    }
}

/// A file of a conversation.
pub struct AttachmentObject(pub Attachment);

/// A file attached to a message. Its bytes are downloaded from `url` with
/// the same bearer token (`GET /api/v1/attachments/{id}`).
#[Object(name = "Attachment")]
impl AttachmentObject {
    /// The attachment's id (as `POST /api/v1/threads/{id}/attachments`
    /// returned it; name it in `postMessage(input: {attachmentIds})`).
    async fn id(&self) -> ID {
        ID(encode(Kind::Attachment, self.0.id))
    }

    /// The file name as uploaded, made safe (no paths, control characters
    /// or leading dots; at most 200 characters).
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The media type, from the checked file type.
    async fn content_type(&self) -> &str {
        &self.0.content_type
    }

    /// Size in bytes.
    async fn size(&self) -> f64 {
        self.0.size as f64
    }

    /// Where to download it (relative to the server).
    async fn url(&self) -> String {
        format!(
            "/api/v1/attachments/{}",
            encode(Kind::Attachment, self.0.id)
        )
    }

    /// Who uploaded it.
    async fn uploaded_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        Ok(load_one(ctx, UserId(self.0.uploaded_by))
            .await?
            .map(UserObject))
    }

    /// When it was uploaded.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}
