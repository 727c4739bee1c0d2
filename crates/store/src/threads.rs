//! Conversations: threads, their messages, attachments' metadata and the
//! readers' read marks. Who may see a thread is decided by the application
//! (`iurhub_domain::policy::may_see_thread`); nothing here checks rights.

use iurhub_domain::records::notifications::Notices;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use iurhub_domain::records::threads::{
    self, Attachment, ReadState, Thread, ThreadMessage, ThreadSubject,
};
use iurhub_domain::{DomainError, Message};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

use crate::entities::{thread_attachments, thread_messages, thread_reads, threads as thread_rows};
use crate::{Store, StoreError, StoreResult};

fn thread_from(m: thread_rows::Model) -> StoreResult<Thread> {
    let subject = ThreadSubject::from_key(&m.subject_key).ok_or_else(|| {
        StoreError::Database(sea_orm::DbErr::Type(format!(
            "stored thread subject: {}",
            m.subject_key
        )))
    })?;
    Ok(Thread {
        id: m.id,
        subject,
        created_at: m.created_at,
    })
}

fn message_from(m: thread_messages::Model) -> ThreadMessage {
    ThreadMessage {
        id: m.id,
        thread_id: m.thread_id,
        author_id: m.author_id,
        organization_id: m.organization_id,
        body: m.body,
        posted_at: m.posted_at,
    }
}

fn attachment_from(m: thread_attachments::Model) -> Attachment {
    Attachment {
        id: m.id,
        thread_id: m.thread_id,
        message_id: m.message_id,
        storage_key: m.storage_key,
        name: m.name,
        content_type: m.content_type,
        size: m.size,
        uploaded_by: m.uploaded_by,
        created_at: m.created_at,
    }
}

/// A new attachment's metadata (its bytes are already stored).
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub thread_id: i64,
    pub storage_key: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_by: i64,
}

/// A new message: who writes what in which thread, with which uploads.
#[derive(Debug, Clone)]
pub struct NewThreadMessage {
    pub thread_id: i64,
    pub author_id: i64,
    /// The party the author writes for, if any.
    pub organization_id: Option<i64>,
    pub body: String,
    pub attachment_ids: Vec<i64>,
    pub posted_at: DateTime<Utc>,
}

impl Store {
    /// The thread `id`.
    pub async fn thread(&self, id: i64) -> StoreResult<Option<Thread>> {
        thread_rows::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(thread_from)
            .transpose()
    }

    /// The thread of `subject`, if it has one.
    pub async fn thread_of(&self, subject: ThreadSubject) -> StoreResult<Option<Thread>> {
        thread_rows::Entity::find()
            .filter(thread_rows::Column::SubjectKey.eq(subject.key()))
            .one(&self.db)
            .await?
            .map(thread_from)
            .transpose()
    }

    /// The thread of `subject`, made now when it has none (two callers
    /// making it at once get the same one).
    pub async fn ensure_thread(
        &self,
        subject: ThreadSubject,
        now: DateTime<Utc>,
    ) -> StoreResult<Thread> {
        if let Some(found) = self.thread_of(subject).await? {
            return Ok(found);
        }
        let (need_id, capability_id, project_id, service_order_id) = match subject {
            ThreadSubject::Match {
                need_id,
                capability_id,
            } => (Some(need_id), Some(capability_id), None, None),
            ThreadSubject::Project(id) => (None, None, Some(id), None),
            ThreadSubject::ServiceOrder(id) => (None, None, None, Some(id)),
        };
        let row = thread_rows::ActiveModel {
            subject_key: Set(subject.key()),
            need_id: Set(need_id),
            capability_id: Set(capability_id),
            project_id: Set(project_id),
            service_order_id: Set(service_order_id),
            created_at: Set(now),
            ..Default::default()
        };
        thread_rows::Entity::insert(row)
            .on_conflict_do_nothing_on([thread_rows::Column::SubjectKey])
            .exec(&self.db)
            .await?;
        self.thread_of(subject)
            .await?
            .ok_or(StoreError::NotFound("thread"))
    }

    /// The threads in which someone other than `user_id` wrote, of the
    /// subjects that touch the organisations `organization_ids` (a party of
    /// the project; the need's or the capability's organisation) or the
    /// agreements `agreement_ids` (the project's or the need's) — every
    /// thread for `None`. A superset of the threads such a reader may see
    /// (`policy::may_see_thread` decides), found in one statement.
    pub async fn threads_with_messages_for(
        &self,
        user_id: i64,
        organization_ids: Option<&[i64]>,
        agreement_ids: &[i64],
    ) -> StoreResult<Vec<Thread>> {
        use crate::entities::cooperation_projects;
        use crate::entities::{project_parties, research_capabilities, service_orders, tech_needs};
        use sea_orm::Condition;
        use sea_orm::sea_query::{Expr, ExprTrait, Query};

        let written_by_others = Query::select()
            .column(thread_messages::Column::ThreadId)
            .from(thread_messages::Entity)
            .and_where(Expr::col(thread_messages::Column::AuthorId).ne(user_id))
            .to_owned();
        let mut query = thread_rows::Entity::find()
            .filter(thread_rows::Column::Id.in_subquery(written_by_others));
        if let Some(orgs) = organization_ids {
            let orgs = orgs.to_vec();
            let agreements = agreement_ids.to_vec();
            let parties = Query::select()
                .column(project_parties::Column::ProjectId)
                .from(project_parties::Entity)
                .and_where(Expr::col(project_parties::Column::OrganizationId).is_in(orgs.clone()))
                .to_owned();
            let filed_projects = Query::select()
                .column(cooperation_projects::Column::Id)
                .from(cooperation_projects::Entity)
                .and_where(
                    Expr::col(cooperation_projects::Column::AgreementId).is_in(agreements.clone()),
                )
                .to_owned();
            let needs = Query::select()
                .column(tech_needs::Column::Id)
                .from(tech_needs::Entity)
                .cond_where(
                    Condition::any()
                        .add(Expr::col(tech_needs::Column::OrganizationId).is_in(orgs.clone()))
                        .add(Expr::col(tech_needs::Column::AgreementId).is_in(agreements)),
                )
                .to_owned();
            let capabilities = Query::select()
                .column(research_capabilities::Column::Id)
                .from(research_capabilities::Entity)
                .and_where(
                    Expr::col(research_capabilities::Column::OrganizationId).is_in(orgs.clone()),
                )
                .to_owned();
            // Orders of the reader's organisations, either side (the rule
            // then keeps the center's plain members out).
            let orders = Query::select()
                .column(service_orders::Column::Id)
                .from(service_orders::Entity)
                .cond_where(
                    Condition::any()
                        .add(
                            Expr::col(service_orders::Column::ClientOrganizationId)
                                .is_in(orgs.clone()),
                        )
                        .add(Expr::col(service_orders::Column::CenterOrganizationId).is_in(orgs)),
                )
                .to_owned();
            query = query.filter(
                Condition::any()
                    .add(thread_rows::Column::ProjectId.in_subquery(parties))
                    .add(thread_rows::Column::ProjectId.in_subquery(filed_projects))
                    .add(thread_rows::Column::NeedId.in_subquery(needs))
                    .add(thread_rows::Column::CapabilityId.in_subquery(capabilities))
                    .add(thread_rows::Column::ServiceOrderId.in_subquery(orders)),
            );
        }
        query
            .order_by_asc(thread_rows::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(thread_from)
            .collect()
    }

    /// The thread's messages, oldest first.
    pub async fn thread_messages(&self, thread_id: i64) -> StoreResult<Vec<ThreadMessage>> {
        Ok(thread_messages::Entity::find()
            .filter(thread_messages::Column::ThreadId.eq(thread_id))
            .order_by_asc(thread_messages::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(message_from)
            .collect())
    }

    /// The message `id`.
    pub async fn thread_message(&self, id: i64) -> StoreResult<Option<ThreadMessage>> {
        Ok(thread_messages::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(message_from))
    }

    /// Posts a message, attaching the uploads `attachment_ids` (each must
    /// be of this thread, uploaded by the author and on no message yet; the
    /// problems name `field`). One transaction.
    pub async fn post_thread_message(
        &self,
        new: NewThreadMessage,
        notices: &mut Notices,
    ) -> StoreResult<ThreadMessage> {
        let NewThreadMessage {
            thread_id,
            author_id,
            organization_id,
            body,
            attachment_ids,
            posted_at: now,
        } = new;
        let attachment_ids = attachment_ids.as_slice();
        let txn = self.write().await?;
        let found = thread_attachments::Entity::find()
            .filter(thread_attachments::Column::Id.is_in(attachment_ids.iter().copied()))
            .all(&txn)
            .await?;
        let mut problems = Vec::new();
        for (i, id) in attachment_ids.iter().enumerate() {
            let field = format!("attachmentIds[{i}]");
            match found.iter().find(|a| a.id == *id) {
                Some(a) if a.thread_id == thread_id && a.message_id.is_none() => {
                    if a.uploaded_by != author_id {
                        problems.push(iurhub_domain::FieldError::keyed(
                            field,
                            Message::new("thread.attachment.not_yours").with("id", id),
                        ));
                    }
                }
                _ => problems.push(iurhub_domain::FieldError::keyed(
                    field,
                    Message::new("thread.attachment.unknown").with("id", id),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Domain(DomainError::Validation(problems)));
        }
        let message = thread_messages::ActiveModel {
            thread_id: Set(thread_id),
            author_id: Set(author_id),
            organization_id: Set(organization_id),
            body: Set(body),
            posted_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        if !attachment_ids.is_empty() {
            thread_attachments::Entity::update_many()
                .col_expr(
                    thread_attachments::Column::MessageId,
                    sea_orm::sea_query::Expr::value(message.id),
                )
                .filter(thread_attachments::Column::Id.is_in(attachment_ids.iter().copied()))
                .exec(&txn)
                .await?;
        }
        crate::notifications::write_notices(&txn, notices, None, now).await?;
        txn.commit().await?;
        Ok(message_from(message))
    }

    /// Records an uploaded attachment.
    pub async fn add_attachment(
        &self,
        new: NewAttachment,
        now: DateTime<Utc>,
    ) -> StoreResult<Attachment> {
        let row = thread_attachments::ActiveModel {
            thread_id: Set(new.thread_id),
            message_id: Set(None),
            storage_key: Set(new.storage_key),
            name: Set(new.name),
            content_type: Set(new.content_type),
            size: Set(new.size),
            uploaded_by: Set(new.uploaded_by),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(attachment_from(row))
    }

    /// The attachment `id`.
    pub async fn attachment(&self, id: i64) -> StoreResult<Option<Attachment>> {
        Ok(thread_attachments::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(attachment_from))
    }

    /// The attachments of `message_ids`, by message and id.
    pub async fn attachments_of_messages(
        &self,
        message_ids: &[i64],
    ) -> StoreResult<Vec<Attachment>> {
        Ok(thread_attachments::Entity::find()
            .filter(thread_attachments::Column::MessageId.is_in(message_ids.iter().copied()))
            .order_by_asc(thread_attachments::Column::MessageId)
            .order_by_asc(thread_attachments::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(attachment_from)
            .collect())
    }

    /// Attachments on no message uploaded before `before`.
    pub async fn unreferenced_attachments(
        &self,
        before: DateTime<Utc>,
    ) -> StoreResult<Vec<Attachment>> {
        Ok(thread_attachments::Entity::find()
            .filter(thread_attachments::Column::MessageId.is_null())
            .filter(thread_attachments::Column::CreatedAt.lt(before))
            .order_by_asc(thread_attachments::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(attachment_from)
            .collect())
    }

    /// Forgets the attachment `id` if it is still on no message; whether
    /// it did.
    pub async fn drop_unreferenced_attachment(&self, id: i64) -> StoreResult<bool> {
        let done = thread_attachments::Entity::delete_many()
            .filter(thread_attachments::Column::Id.eq(id))
            .filter(thread_attachments::Column::MessageId.is_null())
            .exec(&self.db)
            .await?;
        Ok(done.rows_affected > 0)
    }

    /// Marks the thread read by `user_id` up to `message_id` (a mark never
    /// moves back).
    pub async fn mark_thread_read(
        &self,
        thread_id: i64,
        user_id: i64,
        message_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let txn = self.db.begin().await?;
        let current = thread_reads::Entity::find_by_id((thread_id, user_id))
            .one(&txn)
            .await?;
        match current {
            Some(row) => {
                let up_to = row.last_read_message_id.max(message_id);
                let mut row: thread_reads::ActiveModel = row.into();
                row.last_read_message_id = Set(up_to);
                row.read_at = Set(now);
                row.update(&txn).await?;
            }
            None => {
                thread_reads::Entity::insert(thread_reads::ActiveModel {
                    thread_id: Set(thread_id),
                    user_id: Set(user_id),
                    last_read_message_id: Set(message_id),
                    read_at: Set(now),
                })
                .on_conflict(
                    OnConflict::columns([
                        thread_reads::Column::ThreadId,
                        thread_reads::Column::UserId,
                    ])
                    .update_columns([
                        thread_reads::Column::LastReadMessageId,
                        thread_reads::Column::ReadAt,
                    ])
                    .to_owned(),
                )
                .exec(&txn)
                .await?;
            }
        }
        txn.commit().await?;
        Ok(())
    }

    /// The read state of `user_id` in each of `thread_ids` (threads without
    /// messages or marks are absent: nothing unread, never read).
    pub async fn read_states(
        &self,
        user_id: i64,
        thread_ids: &[i64],
    ) -> StoreResult<HashMap<i64, ReadState>> {
        let marks: HashMap<i64, thread_reads::Model> = thread_reads::Entity::find()
            .filter(thread_reads::Column::UserId.eq(user_id))
            .filter(thread_reads::Column::ThreadId.is_in(thread_ids.iter().copied()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| (m.thread_id, m))
            .collect();
        let rows: Vec<(i64, i64, i64)> = thread_messages::Entity::find()
            .select_only()
            .column(thread_messages::Column::ThreadId)
            .column(thread_messages::Column::AuthorId)
            .column(thread_messages::Column::Id)
            .filter(thread_messages::Column::ThreadId.is_in(thread_ids.iter().copied()))
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut by_thread: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
        for (thread, author, id) in rows {
            by_thread.entry(thread).or_default().push((author, id));
        }
        let mut out = HashMap::new();
        for id in thread_ids {
            let mark = marks.get(id);
            let messages = by_thread.get(id).map(Vec::as_slice).unwrap_or_default();
            let state = ReadState {
                last_read_at: mark.map(|m| m.read_at),
                unread: threads::unread(user_id, mark.map(|m| m.last_read_message_id), messages),
            };
            if state != ReadState::default() {
                out.insert(*id, state);
            }
        }
        Ok(out)
    }
}
