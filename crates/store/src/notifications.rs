//! Notifications, their preferences and the e-mail outbox.
//!
//! [`write_notices`] runs inside the transaction of the change that causes
//! the notices: each recipient's notification, and its outbox row when the
//! user gets that kind by e-mail, commit with the change or not at all.
//! The outbox is claimed row by row for a lease ([`Store::claim_mail`]):
//! `FOR UPDATE SKIP LOCKED` on PostgreSQL, so servers sharing a database
//! never claim the same row; SQLite has one server and one writer.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, TimeDelta, Utc};
use iurhub_domain::records::notifications::{
    NoticeSubject, Notices, Notification, Recipients, locale_of,
};
use iurhub_domain::{Locale, NotificationChannel, NotificationKind, OrgRole};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, Set, Statement,
};

use crate::entities::{mail_outbox, memberships, notification_preferences, notifications, users};
use crate::page::{Key, Page, PageArgs, paginate};
use crate::{Store, StoreError, StoreResult, parse_enum, parse_json};

impl TryFrom<notifications::Model> for Notification {
    type Error = StoreError;
    fn try_from(m: notifications::Model) -> StoreResult<Self> {
        Ok(Notification {
            id: m.id,
            user_id: m.user_id,
            kind: parse_enum(&m.kind)?,
            subject: m.subject.as_deref().and_then(NoticeSubject::from_key),
            params: parse_json::<BTreeMap<String, String>>(&m.params)?,
            created_at: m.created_at,
            read_at: m.read_at,
        })
    }
}

/// Writes `notices.pending` on `db` (the transaction of the change that
/// causes them) and records what it wrote in `notices.written`. `created`
/// is the object the change makes, for notices about it (`subject: None`).
pub(crate) async fn write_notices<C: ConnectionTrait>(
    db: &C,
    notices: &mut Notices,
    created: Option<NoticeSubject>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    for notice in std::mem::take(&mut notices.pending) {
        let mut users: Vec<i64> = match &notice.recipients {
            Recipients::Users(ids) => ids.clone(),
            Recipients::MembersOf(orgs) => members(db, orgs, None).await?,
            Recipients::AdminsOf(orgs) => members(db, orgs, Some(OrgRole::OrgAdmin)).await?,
        };
        users.sort_unstable();
        users.dedup();
        users.retain(|u| Some(*u) != notice.actor);
        if users.is_empty() {
            continue;
        }
        let chosen: HashMap<i64, String> = notification_preferences::Entity::find()
            .filter(notification_preferences::Column::Kind.eq(notice.kind.as_str()))
            .filter(notification_preferences::Column::UserId.is_in(users.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.user_id, p.channel))
            .collect();
        let subject = notice.subject.or(created).map(|s| s.key());
        let params = serde_json::to_string(&notice.params)
            .map_err(|e| StoreError::Database(sea_orm::DbErr::Json(e.to_string())))?;
        for user in users {
            let channel = match chosen.get(&user) {
                Some(text) => parse_enum(text)?,
                None => notice.kind.default_channel(),
            };
            if channel == NotificationChannel::Off {
                continue;
            }
            let row = notifications::ActiveModel {
                user_id: Set(user),
                kind: Set(notice.kind.as_str().to_owned()),
                subject: Set(subject.clone()),
                params: Set(params.clone()),
                created_at: Set(now),
                read_at: Set(None),
                digest: Set(channel == NotificationChannel::Digest),
                digested_at: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await?;
            if channel == NotificationChannel::Email {
                mail_outbox::ActiveModel {
                    notification_id: Set(row.id),
                    attempts: Set(0),
                    next_attempt_at: Set(now),
                    created_at: Set(now),
                    digest_of: Set(None),
                    ..Default::default()
                }
                .insert(db)
                .await?;
                notices.mail = true;
            }
            notices.written.push((user, row.id));
        }
    }
    Ok(())
}

/// The members of `orgs` (of `role`, when given).
async fn members<C: ConnectionTrait>(
    db: &C,
    orgs: &[i64],
    role: Option<OrgRole>,
) -> StoreResult<Vec<i64>> {
    let mut select = memberships::Entity::find()
        .select_only()
        .column(memberships::Column::UserId)
        .filter(memberships::Column::OrganizationId.is_in(orgs.iter().copied()));
    if let Some(role) = role {
        select = select.filter(memberships::Column::Role.eq(role.as_str()));
    }
    Ok(select.into_tuple::<i64>().all(db).await?)
}

/// One e-mail to send: the notification, its recipient and their language.
#[derive(Debug, Clone, PartialEq)]
pub struct MailJob {
    /// The outbox row.
    pub id: i64,
    /// Attempts made before this one.
    pub attempts: i32,
    pub notification: Notification,
    pub to: String,
    pub display_name: String,
    pub locale: Locale,
    /// A digest e-mail: the notifications it lists, oldest first (empty
    /// for the e-mail of `notification` alone).
    pub digest: Vec<Notification>,
}

/// What the outbox holds, for `/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    /// Not sent yet and not given up.
    pub pending: u64,
    /// Given up after the last attempt.
    pub failed: u64,
}

impl Store {
    /// Writes notices in a transaction of their own (for causes that are
    /// no write of their own).
    pub async fn notify(&self, notices: &mut Notices) -> StoreResult<()> {
        if notices.pending.is_empty() {
            return Ok(());
        }
        let txn = self.write().await?;
        write_notices(&txn, notices, None, Utc::now()).await?;
        txn.commit().await?;
        Ok(())
    }

    /// A user's notifications, newest first, one page.
    pub async fn notifications_of(
        &self,
        user_id: i64,
        unread_only: bool,
        args: PageArgs,
    ) -> StoreResult<Page<Notification>> {
        let mut select =
            notifications::Entity::find().filter(notifications::Column::UserId.eq(user_id));
        if unread_only {
            select = select.filter(notifications::Column::ReadAt.is_null());
        }
        paginate(
            &self.db,
            select,
            notifications::Column::Id,
            notifications::Column::Id,
            true,
            args,
            |m| Key::new(m.id, m.id),
        )
        .await?
        .try_map(Notification::try_from)
    }

    pub async fn notification(&self, id: i64) -> StoreResult<Option<Notification>> {
        notifications::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(Notification::try_from)
            .transpose()
    }

    pub async fn notifications_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<Notification>> {
        notifications::Entity::find()
            .filter(notifications::Column::Id.is_in(ids.iter().copied()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(Notification::try_from)
            .collect()
    }

    /// How many of a user's notifications are unread.
    pub async fn unread_notifications(&self, user_id: i64) -> StoreResult<u64> {
        Ok(notifications::Entity::find()
            .filter(notifications::Column::UserId.eq(user_id))
            .filter(notifications::Column::ReadAt.is_null())
            .count(&self.db)
            .await?)
    }

    /// Marks read those of `ids` that are the user's and unread; the
    /// number marked.
    pub async fn mark_notifications_read(
        &self,
        user_id: i64,
        ids: &[i64],
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        let done = notifications::Entity::update_many()
            .col_expr(notifications::Column::ReadAt, Expr::value(now))
            .filter(notifications::Column::UserId.eq(user_id))
            .filter(notifications::Column::Id.is_in(ids.iter().copied()))
            .filter(notifications::Column::ReadAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(done.rows_affected)
    }

    /// Marks read every unread notification of the user up to `until_id`
    /// (what the user was shown); the number marked.
    pub async fn mark_all_notifications_read(
        &self,
        user_id: i64,
        until_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        let mut update = notifications::Entity::update_many()
            .col_expr(notifications::Column::ReadAt, Expr::value(now))
            .filter(notifications::Column::UserId.eq(user_id))
            .filter(notifications::Column::ReadAt.is_null());
        if let Some(until) = until_id {
            update = update.filter(notifications::Column::Id.lte(until));
        }
        Ok(update.exec(&self.db).await?.rows_affected)
    }

    /// The channels a user chose, by kind (kinds not listed take their
    /// default).
    pub async fn notification_preferences(
        &self,
        user_id: i64,
    ) -> StoreResult<Vec<(NotificationKind, NotificationChannel)>> {
        notification_preferences::Entity::find()
            .filter(notification_preferences::Column::UserId.eq(user_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| Ok((parse_enum(&p.kind)?, parse_enum(&p.channel)?)))
            .collect()
    }

    /// Sets the channel of one kind for a user.
    pub async fn set_notification_preference(
        &self,
        user_id: i64,
        kind: NotificationKind,
        channel: NotificationChannel,
    ) -> StoreResult<()> {
        let txn = self.write().await?;
        notification_preferences::Entity::delete_many()
            .filter(notification_preferences::Column::UserId.eq(user_id))
            .filter(notification_preferences::Column::Kind.eq(kind.as_str()))
            .exec(&txn)
            .await?;
        notification_preferences::ActiveModel {
            user_id: Set(user_id),
            kind: Set(kind.as_str().to_owned()),
            channel: Set(channel.as_str().to_owned()),
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Claims up to `limit` e-mails due at `now` for `lease`: no other
    /// claim takes them until the lease ends (a server that stops
    /// mid-send leaves them to the next claim after it).
    pub async fn claim_mail(
        &self,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: u64,
    ) -> StoreResult<Vec<MailJob>> {
        let txn = self.write().await?;
        let due = Query::select()
            .column(mail_outbox::Column::Id)
            .from(mail_outbox::Entity)
            .and_where(mail_outbox::Column::SentAt.is_null())
            .and_where(mail_outbox::Column::FailedAt.is_null())
            .and_where(mail_outbox::Column::NextAttemptAt.lte(now))
            .and_where(
                mail_outbox::Column::ClaimedUntil
                    .is_null()
                    .or(mail_outbox::Column::ClaimedUntil.lt(now)),
            )
            .order_by(mail_outbox::Column::Id, sea_orm::Order::Asc)
            .limit(limit)
            .to_owned();
        let mut due = due;
        if txn.get_database_backend() == DbBackend::Postgres {
            due.lock_with_behavior(
                sea_orm::sea_query::LockType::Update,
                sea_orm::sea_query::LockBehavior::SkipLocked,
            );
        }
        let ids: Vec<i64> = {
            let (sql, values) = match txn.get_database_backend() {
                DbBackend::Postgres => due.build(sea_orm::sea_query::PostgresQueryBuilder),
                _ => due.build(sea_orm::sea_query::SqliteQueryBuilder),
            };
            txn.query_all_raw(Statement::from_sql_and_values(
                txn.get_database_backend(),
                sql,
                values,
            ))
            .await?
            .iter()
            .map(|row| row.try_get::<i64>("", "id"))
            .collect::<Result<_, _>>()?
        };
        if ids.is_empty() {
            txn.commit().await?;
            return Ok(Vec::new());
        }
        mail_outbox::Entity::update_many()
            .col_expr(mail_outbox::Column::ClaimedUntil, Expr::value(now + lease))
            .filter(mail_outbox::Column::Id.is_in(ids.iter().copied()))
            .exec(&txn)
            .await?;
        let rows = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Id.is_in(ids.iter().copied()))
            .find_also_related(notifications::Entity)
            .all(&txn)
            .await?;
        let user_ids: Vec<i64> = rows
            .iter()
            .filter_map(|(_, n)| n.as_ref().map(|n| n.user_id))
            .collect();
        let people: HashMap<i64, users::Model> = users::Entity::find()
            .filter(users::Column::Id.is_in(user_ids))
            .all(&txn)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        let mut digests: HashMap<i64, Vec<i64>> = HashMap::new();
        for (mail, _) in &rows {
            if let Some(text) = &mail.digest_of {
                digests.insert(mail.id, parse_json(text)?);
            }
        }
        let listed: HashMap<i64, Notification> = if digests.is_empty() {
            HashMap::new()
        } else {
            notifications::Entity::find()
                .filter(notifications::Column::Id.is_in(digests.values().flatten().copied()))
                .all(&txn)
                .await?
                .into_iter()
                .map(|n| Ok((n.id, Notification::try_from(n)?)))
                .collect::<StoreResult<_>>()?
        };
        txn.commit().await?;
        let mut jobs = Vec::with_capacity(rows.len());
        for (mail, notification) in rows {
            let Some(notification) = notification else {
                continue;
            };
            let Some(user) = people.get(&notification.user_id) else {
                continue;
            };
            jobs.push(MailJob {
                id: mail.id,
                attempts: mail.attempts,
                to: user.email.clone(),
                display_name: user.display_name.clone(),
                locale: locale_of(&user.locale),
                notification: notification.try_into()?,
                digest: digests
                    .get(&mail.id)
                    .map(|ids| {
                        ids.iter()
                            .filter_map(|id| listed.get(id).cloned())
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
        jobs.sort_by_key(|j| j.id);
        Ok(jobs)
    }

    /// Marks an e-mail sent.
    pub async fn mail_sent(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        mail_outbox::Entity::update_many()
            .col_expr(mail_outbox::Column::SentAt, Expr::value(now))
            .col_expr(
                mail_outbox::Column::Attempts,
                Expr::col(mail_outbox::Column::Attempts).add(1),
            )
            .col_expr(
                mail_outbox::Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(mail_outbox::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Records a failed attempt: tried again at `retry_at`, or given up
    /// (`None`).
    pub async fn mail_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let error: String = error.chars().take(500).collect();
        let mut update = mail_outbox::Entity::update_many()
            .col_expr(
                mail_outbox::Column::Attempts,
                Expr::col(mail_outbox::Column::Attempts).add(1),
            )
            .col_expr(mail_outbox::Column::LastError, Expr::value(error))
            .col_expr(
                mail_outbox::Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            );
        update = match retry_at {
            Some(at) => update.col_expr(mail_outbox::Column::NextAttemptAt, Expr::value(at)),
            None => update.col_expr(mail_outbox::Column::FailedAt, Expr::value(now)),
        };
        update
            .filter(mail_outbox::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// The outbox's pending and given-up e-mails.
    pub async fn outbox_counts(&self) -> StoreResult<OutboxCounts> {
        let pending = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::SentAt.is_null())
            .filter(mail_outbox::Column::FailedAt.is_null())
            .count(&self.db)
            .await?;
        let failed = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::FailedAt.is_not_null())
            .count(&self.db)
            .await?;
        Ok(OutboxCounts { pending, failed })
    }

    /// Sets the language of a user's e-mail.
    pub async fn set_locale(&self, user_id: i64, locale: Locale) -> StoreResult<()> {
        users::Entity::update_many()
            .col_expr(
                users::Column::Locale,
                Expr::value(iurhub_domain::records::notifications::locale_key(locale)),
            )
            .filter(users::Column::Id.eq(user_id))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
