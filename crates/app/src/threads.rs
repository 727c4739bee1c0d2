//! Conversations on matches, projects and service orders (会话): one
//! thread per match, per project and per service order, made on first use (reading it or writing in it; its id never
//! changes after), with messages, attachments and each reader's read mark.
//!
//! - Seeing, writing, uploading, downloading: whoever
//!   [`policy::may_see_thread`] names — admins, the managers of one of the
//!   parties (a match's need organisation and capability organisation; a
//!   project's parties) and the coordinators of the agreement the subject
//!   is filed under; a service order's: who may see the order (its client
//!   side, the center's staff, admins). To anyone else a thread, its
//!   messages and attachments do not exist (NOT_FOUND). Read-only accounts (supervisors) write
//!   nothing.
//! - Unread: the messages of others after the reader's read mark
//!   (`markThreadRead`); one's own messages are never unread.
//! - Attachments: uploaded first (checked by name and leading bytes, name
//!   sanitised, at most `max_attachment_bytes`), then named in a message's
//!   `attachmentIds`. An upload no message names within a day is dropped
//!   ([`sweep_unreferenced`]).

use iurhub_domain::NotificationKind;
use iurhub_domain::records::notifications::{NewNotice, NoticeSubject, Notices, Recipients};
use std::sync::Arc;

use bytes::Bytes;
use chrono::{TimeDelta, Utc};
use iurhub_domain::policy;
use iurhub_domain::records::service_orders;
use iurhub_domain::records::threads::{
    self, Attachment, MAX_ATTACHMENTS, MAX_BODY, ReadState, SNIFF_BYTES, Thread, ThreadMessage,
    ThreadParties, ThreadSubject,
};
use iurhub_domain::validate::Validator;
use iurhub_domain::{Message, records::scope::Scope};
use iurhub_store::threads::NewAttachment;

use crate::App;
use crate::caller::{Caller, Identity};
use crate::error::{AppError, AppResult};
use crate::events::Event;
use crate::files::{FileStore, new_key};

/// Largest attachment by default: 20 MiB.
pub const DEFAULT_MAX_ATTACHMENT_BYTES: u64 = 20 * 1024 * 1024;

/// Where attachments go, and how large one may be.
#[derive(Clone, Debug)]
pub struct Attachments {
    pub store: Arc<dyn FileStore>,
    pub max_bytes: u64,
}

/// The parties of `subject` (NOT_FOUND when the match's need or capability,
/// or the project, does not exist).
pub async fn parties(app: &App, subject: ThreadSubject) -> AppResult<ThreadParties> {
    let store = &app.store;
    match subject {
        ThreadSubject::Match {
            need_id,
            capability_id,
        } => {
            let need = store.need(need_id).await?;
            let capability = store.capability(capability_id).await?;
            let (Some(need), Some(capability)) = (need, capability) else {
                return Err(AppError::NotFound("thread"));
            };
            let mut party_ids = vec![need.organization_id, capability.organization_id];
            party_ids.dedup();
            // The capability's side talks on the pair once it reads the
            // need: a shared one, or a CONFIDENTIAL one disclosed to it —
            // not while it sees the need blind, through its teaser (the
            // need's side would name itself in the conversation).
            let known = policy::need_is_shared(need.status, need.visibility)
                || crate::disclosure_reads::disclosed_to(app, &need, capability.organization_id)
                    .await?;
            Ok(ThreadParties {
                party_ids,
                agreement_id: need.agreement_id,
                need_side_only: (!known).then_some(need.organization_id),
            })
        }
        ThreadSubject::Project(id) => {
            let project = store
                .project(id)
                .await?
                .ok_or(AppError::NotFound("thread"))?;
            Ok(ThreadParties {
                party_ids: project.party_ids,
                agreement_id: project.agreement_id,
                need_side_only: None,
            })
        }
        ThreadSubject::ServiceOrder(id) => {
            let order = store
                .service_order(id)
                .await?
                .ok_or(AppError::NotFound("thread"))?;
            let mut party_ids = vec![order.client_organization_id, order.center_organization_id];
            party_ids.dedup();
            Ok(ThreadParties {
                party_ids,
                agreement_id: None,
                need_side_only: None,
            })
        }
    }
}

/// Whether `who` may see the thread of `subject` (false also when the
/// subject is gone): a service order's conversation is for who may see the
/// order ([`service_orders::sees_order`] — not the center's plain
/// members); the others' for their parties ([`policy::may_see_thread`]).
async fn may_see(app: &App, who: &Identity, subject: ThreadSubject) -> AppResult<bool> {
    if let ThreadSubject::ServiceOrder(id) = subject {
        let Identity::User(caller) = who else {
            return Ok(false);
        };
        return Ok(app.store.service_order(id).await?.is_some_and(|order| {
            service_orders::sees_order(
                caller.user().platform_role,
                caller.managed_org_ids(),
                caller.administered_org_ids(),
                &order,
            )
        }));
    }
    match parties(app, subject).await {
        Ok(p) => Ok(policy::may_see_thread(who.scope(), &p)),
        Err(AppError::NotFound(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The thread `id`, if `who` may see it (NOT_FOUND otherwise).
pub async fn visible(app: &App, who: &Identity, id: i64) -> AppResult<Thread> {
    let thread = app
        .store
        .thread(id)
        .await?
        .ok_or(AppError::NotFound("thread"))?;
    if !may_see(app, who, thread.subject).await? {
        return Err(AppError::NotFound("thread"));
    }
    Ok(thread)
}

/// The thread of `subject` for `who` — made now if it has none — or `None`
/// when `who` may not see it.
pub async fn of_subject(
    app: &App,
    who: &Identity,
    subject: ThreadSubject,
) -> AppResult<Option<Thread>> {
    if who.require().is_err() || !may_see(app, who, subject).await? {
        return Ok(None);
    }
    Ok(Some(app.store.ensure_thread(subject, Utc::now()).await?))
}

/// The thread of `subject` for a write: NOT_FOUND unless `who` may see it.
pub async fn for_subject(app: &App, who: &Identity, subject: ThreadSubject) -> AppResult<Thread> {
    of_subject(app, who, subject)
        .await?
        .ok_or(AppError::NotFound("thread"))
}

/// The thread's messages, oldest first.
pub async fn messages(app: &App, who: &Identity, thread_id: i64) -> AppResult<Vec<ThreadMessage>> {
    visible(app, who, thread_id).await?;
    Ok(app.store.thread_messages(thread_id).await?)
}

/// One message, if `who` may see its thread.
pub async fn message(app: &App, who: &Identity, id: i64) -> AppResult<ThreadMessage> {
    let message = app
        .store
        .thread_message(id)
        .await?
        .ok_or(AppError::NotFound("thread_message"))?;
    visible(app, who, message.thread_id)
        .await
        .map_err(|_| AppError::NotFound("thread_message"))?;
    Ok(message)
}

/// The attachments of messages the caller has already been shown (no
/// check here), by message and id.
pub async fn attachments_of(app: &App, message_ids: &[i64]) -> AppResult<Vec<Attachment>> {
    Ok(app.store.attachments_of_messages(message_ids).await?)
}

/// Where a message goes: a thread, or the thread of a match or project.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    Thread(i64),
    Subject(ThreadSubject),
}

/// A new message.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub target: Target,
    pub body: String,
    pub attachment_ids: Vec<i64>,
}

/// Posts a message (and makes the thread when it is the first); its
/// subscribers hear of it.
pub async fn post(
    app: &App,
    caller: &Caller,
    new: NewMessage,
) -> AppResult<(Thread, ThreadMessage)> {
    let mut v = Validator::new();
    let body = v.text("body", &new.body, 1, MAX_BODY);
    if new.attachment_ids.len() > MAX_ATTACHMENTS {
        v.fail(
            "attachmentIds",
            Message::new("thread.attachments.too_many").with("max", MAX_ATTACHMENTS),
        );
    }
    v.finish()?;
    let who = caller.identity();
    let thread = match new.target {
        Target::Thread(id) => visible(app, &who, id).await?,
        Target::Subject(subject) => for_subject(app, &who, subject).await?,
    };
    if caller.read_only() {
        return Err(Identity::read_only_refusal());
    }
    let parties = parties(app, thread.subject).await?;
    let organization_id = parties
        .party_ids
        .iter()
        .copied()
        .find(|org| caller.managed_org_ids().contains(org));
    let mut ids = new.attachment_ids.clone();
    ids.dedup();
    let excerpt: String = body.chars().take(EXCERPT).collect();
    let topic = topic(app, thread.subject).await?;
    let mut notices = Notices::of(
        told(app, thread.subject, &parties)
            .await?
            .into_iter()
            .map(|to| {
                NewNotice::new(NotificationKind::MessagePosted, to)
                    .by(caller.id())
                    .about(NoticeSubject::Thread(thread.id))
                    .with("topic", &topic)
                    .with("excerpt", &excerpt)
            })
            .collect(),
    );
    let message = app
        .store
        .post_thread_message(
            iurhub_store::threads::NewThreadMessage {
                thread_id: thread.id,
                author_id: caller.id(),
                organization_id,
                body,
                attachment_ids: ids,
                posted_at: Utc::now(),
            },
            &mut notices,
        )
        .await?;
    crate::notifications::written(app, &notices);
    app.events.publish(Event::MessagePosted {
        thread_id: thread.id,
        message_id: message.id,
    });
    app.written();
    Ok((thread, message))
}

/// The characters of a message a notification quotes.
const EXCERPT: usize = 140;

/// Those who take part in the conversation: the parties' members (the
/// need's side alone while the capability's sees the need blind); for a
/// service order, the client organisation's members and the center's staff
/// (the ORG_ADMINs of the center's organisation and of those above it).
async fn told(
    app: &App,
    subject: ThreadSubject,
    parties: &ThreadParties,
) -> AppResult<Vec<Recipients>> {
    if let ThreadSubject::ServiceOrder(id) = subject {
        let order = app
            .store
            .service_order(id)
            .await?
            .ok_or(AppError::NotFound("thread"))?;
        let center = order.center_organization_id;
        let above = app.store.organization_parents_of([center]).await?;
        return Ok(vec![
            Recipients::MembersOf(vec![order.client_organization_id]),
            Recipients::AdminsOf(policy::chain_of(center, &|o| above.get(&o).copied())),
        ]);
    }
    Ok(vec![Recipients::MembersOf(match parties.need_side_only {
        Some(org) => vec![org],
        None => parties.party_ids.clone(),
    })])
}

/// What a conversation's notifications call it: the project's title, or
/// the match's capability (a need may be seen blind by the other side).
async fn topic(app: &App, subject: ThreadSubject) -> AppResult<String> {
    Ok(match subject {
        ThreadSubject::Project(id) => app.store.project(id).await?.map(|p| p.title),
        ThreadSubject::Match { capability_id, .. } => {
            app.store.capability(capability_id).await?.map(|c| c.title)
        }
        ThreadSubject::ServiceOrder(id) => app
            .store
            .service_order(id)
            .await?
            .map(|o| o.test_items.chars().take(80).collect()),
    }
    .unwrap_or_default())
}

/// The caller's read state of the thread (nothing read, nothing unread for
/// an empty thread).
pub async fn read_state(app: &App, caller: &Caller, thread_id: i64) -> AppResult<ReadState> {
    Ok(app
        .store
        .read_states(caller.id(), &[thread_id])
        .await?
        .remove(&thread_id)
        .unwrap_or_default())
}

/// Marks every message of the thread read by the caller.
pub async fn mark_read(app: &App, caller: &Caller, thread_id: i64) -> AppResult<Thread> {
    let thread = visible(app, &caller.identity(), thread_id).await?;
    let newest = app
        .store
        .thread_messages(thread_id)
        .await?
        .last()
        .map_or(0, |m| m.id);
    app.store
        .mark_thread_read(thread_id, caller.id(), newest, Utc::now())
        .await?;
    app.written();
    Ok(thread)
}

/// The threads the caller may see that have messages unread by them, with
/// their counts, oldest thread first.
pub async fn unread_threads(app: &App, caller: &Caller) -> AppResult<Vec<(Thread, ReadState)>> {
    // Only threads in which others wrote, of subjects that touch what the
    // caller manages or coordinates; the rule then decides each.
    let candidates = match caller.scope() {
        Scope::All => {
            app.store
                .threads_with_messages_for(caller.id(), None, &[])
                .await?
        }
        Scope::Reader {
            organization_ids,
            coordinated_agreement_ids,
            ..
        } => {
            app.store
                .threads_with_messages_for(
                    caller.id(),
                    Some(organization_ids),
                    coordinated_agreement_ids,
                )
                .await?
        }
    };
    let mut seen = Vec::new();
    let who = caller.identity();
    for thread in candidates {
        if may_see(app, &who, thread.subject).await? {
            seen.push(thread);
        }
    }
    let ids: Vec<i64> = seen.iter().map(|t| t.id).collect();
    let mut states = app.store.read_states(caller.id(), &ids).await?;
    Ok(seen
        .into_iter()
        .filter_map(|t| {
            let state = states.remove(&t.id)?;
            (state.unread > 0).then_some((t, state))
        })
        .collect())
}

/// The caller's unread messages over every thread they may see.
pub async fn unread_total(app: &App, caller: &Caller) -> AppResult<i64> {
    Ok(unread_threads(app, caller)
        .await?
        .iter()
        .map(|(_, s)| s.unread)
        .sum())
}

fn attachments(app: &App) -> AppResult<&Attachments> {
    app.attachments
        .as_deref()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no file store configured")))
}

/// The largest attachment accepted, in bytes.
pub fn max_attachment_bytes(app: &App) -> u64 {
    app.attachments
        .as_deref()
        .map_or(DEFAULT_MAX_ATTACHMENT_BYTES, |a| a.max_bytes)
}

/// May the caller upload to the thread (NOT_FOUND / FORBIDDEN otherwise)?
/// Checked before the upload's body is read.
pub async fn may_upload(app: &App, caller: &Caller, thread_id: i64) -> AppResult<Thread> {
    let thread = visible(app, &caller.identity(), thread_id).await?;
    if caller.read_only() {
        return Err(Identity::read_only_refusal());
    }
    Ok(thread)
}

/// Stores an uploaded file for the thread: the name sanitised, the type
/// checked by name and leading bytes, the size at most the limit; its bytes
/// under a random key. On no message until one names it.
pub async fn upload(
    app: &App,
    caller: &Caller,
    thread_id: i64,
    name: &str,
    bytes: Bytes,
) -> AppResult<Attachment> {
    may_upload(app, caller, thread_id).await?;
    let file = store_upload(app, name, bytes).await?;
    let stored = app
        .store
        .add_attachment(
            NewAttachment {
                thread_id,
                storage_key: file.key.clone(),
                name: file.name.clone(),
                content_type: file.content_type.to_owned(),
                size: file.size,
                uploaded_by: caller.id(),
            },
            Utc::now(),
        )
        .await;
    match stored {
        Ok(attachment) => Ok(attachment),
        Err(e) => {
            file.discard(app).await;
            Err(e.into())
        }
    }
}

/// An uploaded file checked and in the file store, not yet on any row.
#[derive(Debug, Clone)]
pub struct StoredFile {
    /// Its random key in the file store.
    pub key: String,
    /// The sanitised name.
    pub name: String,
    pub content_type: &'static str,
    pub size: i64,
}

impl StoredFile {
    /// Removes the bytes of a file whose row could not be written.
    pub async fn discard(&self, app: &App) {
        discard_bytes(app, &self.key).await;
    }
}

/// Removes the bytes under `key`, logging a failure (the row naming them
/// is gone or was never written).
pub async fn discard_bytes(app: &App, key: &str) {
    if let Ok(files) = attachments(app)
        && let Err(err) = files.store.delete(key).await
    {
        tracing::warn!(error = %err, "removing the bytes of a file");
    }
}

/// The one check of an uploaded file, for conversations and service order
/// reports alike: the name sanitised, not empty, at most the limit, its
/// type checked by name and leading bytes; then its bytes stored under a
/// random key.
pub async fn store_upload(app: &App, name: &str, bytes: Bytes) -> AppResult<StoredFile> {
    let files = attachments(app)?;
    let Some(name) = threads::sanitize_file_name(name) else {
        return Err(AppError::invalid(
            "file",
            Message::new("attachment.name.invalid"),
        ));
    };
    if bytes.is_empty() {
        return Err(AppError::invalid("file", Message::new("attachment.empty")));
    }
    if bytes.len() as u64 > files.max_bytes {
        return Err(too_large(files.max_bytes));
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let kind = threads::check_file(&name, head).map_err(|m| AppError::invalid("file", m))?;
    let key = new_key();
    let size = bytes.len() as i64;
    files
        .store
        .put(&key, bytes)
        .await
        .map_err(AppError::internal)?;
    Ok(StoredFile {
        key,
        name,
        content_type: kind.content_type(),
        size,
    })
}

/// The bytes under `key` (NOT_FOUND as `what` when the store has lost
/// them).
pub async fn stored_bytes(app: &App, key: &str, what: &'static str) -> AppResult<Bytes> {
    attachments(app)?
        .store
        .get(key)
        .await
        .map_err(AppError::internal)?
        .ok_or(AppError::NotFound(what))
}

/// The refusal of a file over `max` bytes.
pub fn too_large(max: u64) -> AppError {
    AppError::invalid(
        "file",
        Message::new("attachment.too_large").with("max", max),
    )
}

/// An attachment and its bytes, if `who` may see its thread (NOT_FOUND
/// otherwise, and for bytes the store has lost).
pub async fn download(app: &App, who: &Identity, id: i64) -> AppResult<(Attachment, Bytes)> {
    attachments(app)?;
    let attachment = app
        .store
        .attachment(id)
        .await?
        .ok_or(AppError::NotFound("attachment"))?;
    visible(app, who, attachment.thread_id)
        .await
        .map_err(|_| AppError::NotFound("attachment"))?;
    let bytes = stored_bytes(app, &attachment.storage_key, "attachment").await?;
    Ok((attachment, bytes))
}

/// Drops the uploads no message named within
/// [`threads::UNREFERENCED_TTL_HOURS`]: their rows, then their bytes.
/// The number dropped.
pub async fn sweep_unreferenced(app: &App) -> AppResult<usize> {
    let files = attachments(app)?;
    let before = Utc::now() - TimeDelta::hours(threads::UNREFERENCED_TTL_HOURS);
    let mut dropped = 0;
    for a in app.store.unreferenced_attachments(before).await? {
        if app.store.drop_unreferenced_attachment(a.id).await? {
            files
                .store
                .delete(&a.storage_key)
                .await
                .map_err(AppError::internal)?;
            dropped += 1;
        }
    }
    Ok(dropped)
}

/// Sweeps every hour until `closing` turns `true`.
pub fn spawn_sweeper(app: &App, mut closing: tokio::sync::watch::Receiver<bool>) {
    let app = app.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tokio::select! {
                _ = every.tick() => {}
                _ = closing.changed() => return,
            }
            if *closing.borrow() {
                return;
            }
            match sweep_unreferenced(&app).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(dropped = n, "unreferenced attachments dropped"),
                Err(e) => tracing::warn!(error = e.message(), "sweeping attachments failed"),
            }
        }
    });
}
