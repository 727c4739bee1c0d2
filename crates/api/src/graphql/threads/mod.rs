//! Conversations in the schema: `Match.thread`, `Project.thread`, the
//! `Thread` and `ThreadMessage` nodes, `postMessage`, `markThreadRead`,
//! `User.unreadMessages` and the `messageAdded` subscription. Rules are in
//! `iurhub_app::threads`; attachments are uploaded and downloaded over REST
//! (`crate::rest::attachments`).

pub mod objects;

pub use objects::{AttachmentObject, ThreadMessageObject, ThreadObject};

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use iurhub_app::threads::{self, NewMessage, Target};
use iurhub_domain::Message;
use iurhub_domain::records::threads::ThreadSubject;

use crate::error::{ApiError, ApiResult as Result};
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{Kind, decode, decode_any, decode_match};

/// The subject a global id names: a match or a project.
pub fn subject_of(field: &str, id: &ID) -> Result<ThreadSubject> {
    if let Ok((need_id, capability_id)) = decode_match(field, id) {
        return Ok(ThreadSubject::Match {
            need_id,
            capability_id,
        });
    }
    match decode_any(field, id)? {
        (Kind::Project, id) => Ok(ThreadSubject::Project(id)),
        (Kind::ServiceOrder, id) => Ok(ThreadSubject::ServiceOrder(id)),
        _ => Err(ApiError::invalid(
            field,
            Message::new("thread.subject.kind"),
        )),
    }
}

/// A new message.
#[derive(InputObject)]
pub struct PostMessageInput {
    /// The conversation; or give `subjectId` instead.
    pub thread_id: Option<ID>,
    /// The match, project or service order to write about (its
    /// conversation is made on the first message); or give `threadId`
    /// instead.
    pub subject_id: Option<ID>,
    /// The text, 1–10,000 characters.
    pub body: String,
    /// Files uploaded to this conversation by the caller and on no message
    /// yet (`POST /api/v1/threads/{id}/attachments`), at most 10.
    #[graphql(default)]
    pub attachment_ids: Vec<ID>,
}

/// The message posted.
#[derive(SimpleObject)]
pub struct PostMessagePayload {
    /// The new message.
    pub message: ThreadMessageObject,
    /// Its conversation.
    pub thread: ThreadObject,
}

/// Marks a conversation read.
#[derive(InputObject)]
pub struct MarkThreadReadInput {
    /// The conversation.
    pub thread_id: ID,
}

/// The conversation marked read.
#[derive(SimpleObject)]
pub struct MarkThreadReadPayload {
    /// The conversation, now without unread messages for the caller.
    pub thread: ThreadObject,
}

#[derive(Default)]
pub struct ThreadsMutation;

#[Object]
impl ThreadsMutation {
    /// Writes in the conversation of a match, a project or a service order
    /// (given as
    /// `threadId`, or as `subjectId` — the conversation is made on its
    /// first message). Those who may not see the conversation get
    /// NOT_FOUND; read-only accounts FORBIDDEN. Subscribers of
    /// `messageAdded` hear of it.
    async fn post_message(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The message.")] input: PostMessageInput,
    ) -> Result<PostMessagePayload> {
        let caller = ctx.caller()?;
        let target = match (&input.thread_id, &input.subject_id) {
            (Some(id), None) => Target::Thread(decode("threadId", Kind::Thread, id)?),
            (None, Some(id)) => Target::Subject(subject_of("subjectId", id)?),
            _ => {
                return Err(ApiError::invalid(
                    "threadId",
                    Message::new("thread.subject.required"),
                ));
            }
        };
        let attachment_ids = input
            .attachment_ids
            .iter()
            .enumerate()
            .map(|(i, id)| decode(&format!("attachmentIds[{i}]"), Kind::Attachment, id))
            .collect::<Result<Vec<_>>>()?;
        let (thread, message) = threads::post(
            ctx.app(),
            caller,
            NewMessage {
                target,
                body: input.body,
                attachment_ids,
            },
        )
        .await?;
        Ok(PostMessagePayload {
            message: ThreadMessageObject(message),
            thread: ThreadObject(thread),
        })
    }

    /// Marks every message of a conversation read by the caller
    /// (`unreadCount` 0, `lastReadAt` now).
    async fn mark_thread_read(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The conversation.")] input: MarkThreadReadInput,
    ) -> Result<MarkThreadReadPayload> {
        let caller = ctx.caller()?;
        let id = decode("threadId", Kind::Thread, &input.thread_id)?;
        let thread = threads::mark_read(ctx.app(), caller, id).await?;
        Ok(MarkThreadReadPayload {
            thread: ThreadObject(thread),
        })
    }
}

/// The conversation of `subject` for the reader (made now if it has none);
/// null when they may not see it.
pub async fn thread_of(ctx: &Context<'_>, subject: ThreadSubject) -> Result<Option<ThreadObject>> {
    Ok(threads::of_subject(ctx.app(), ctx.identity(), subject)
        .await?
        .map(ThreadObject))
}
