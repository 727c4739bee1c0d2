//! Staged confidentiality of CONFIDENTIAL needs: teasers, disclosures and
//! their log (`iurhub_domain::records::disclosures`). Every change of a
//! disclosure locks its row, follows the life cycle of
//! `DisclosureStatus::transition` and writes its log line in the same
//! transaction.

use chrono::Utc;
use iurhub_domain::records::disclosures::{Disclosure, DisclosureEvent, Teaser};
use iurhub_domain::{DisclosureAction, DisclosureStatus, Message};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::entities::{disclosure_events, need_disclosures, need_teasers};
use crate::page::{Key, Order, Page, PageArgs, paginate_records};
use crate::{Store, StoreError, StoreResult, parse_enum, rows};

impl TryFrom<need_teasers::Model> for Teaser {
    type Error = StoreError;
    fn try_from(m: need_teasers::Model) -> StoreResult<Self> {
        Ok(Teaser {
            need_id: m.need_id,
            title: m.title,
            summary: m.summary,
            version: m.version,
            updated_by: m.updated_by,
            updated_at: m.updated_at,
        })
    }
}

impl TryFrom<need_disclosures::Model> for Disclosure {
    type Error = StoreError;
    fn try_from(m: need_disclosures::Model) -> StoreResult<Self> {
        Ok(Disclosure {
            id: m.id,
            need_id: m.need_id,
            organization_id: m.organization_id,
            status: parse_enum(&m.status)?,
            nda_version: m.nda_version,
            offered_by: m.offered_by,
            offered_at: m.offered_at,
            accepted_by: m.accepted_by,
            accepted_at: m.accepted_at,
            revoked_by: m.revoked_by,
            revoked_at: m.revoked_at,
            version: m.version,
        })
    }
}

impl TryFrom<disclosure_events::Model> for DisclosureEvent {
    type Error = StoreError;
    fn try_from(m: disclosure_events::Model) -> StoreResult<Self> {
        Ok(DisclosureEvent {
            id: m.id,
            need_id: m.need_id,
            disclosure_id: m.disclosure_id,
            organization_id: m.organization_id,
            user_id: m.user_id,
            action: parse_enum(&m.action)?,
            nda_version: m.nda_version,
            at: m.at,
        })
    }
}

/// Writes a line of the disclosure log of `d`.
async fn log<C: ConnectionTrait>(
    db: &C,
    d: &need_disclosures::Model,
    user_id: i64,
    action: DisclosureAction,
) -> StoreResult<()> {
    disclosure_events::ActiveModel {
        need_id: Set(d.need_id),
        disclosure_id: Set(d.id),
        organization_id: Set(d.organization_id),
        user_id: Set(user_id),
        action: Set(action.as_str().to_owned()),
        nda_version: Set((action == DisclosureAction::Accepted)
            .then(|| d.nda_version.clone())
            .flatten()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The CONFLICT of a change based on `expected`, a version of `object` no
/// longer `current` (the message of every versioned row).
fn stale(object: &'static str, expected: Option<i32>, current: i32) -> StoreResult<()> {
    match expected {
        Some(v) if v != current => Err(StoreError::conflict(
            "version",
            Message::new("conflict.version")
                .with("object", object)
                .with("version", v),
        )),
        _ => Ok(()),
    }
}

impl Store {
    /// The teaser of a need, if it has one.
    pub async fn need_teaser(&self, need_id: i64) -> StoreResult<Option<Teaser>> {
        need_teasers::Entity::find()
            .filter(need_teasers::Column::NeedId.eq(need_id))
            .one(&self.db)
            .await?
            .map(Teaser::try_from)
            .transpose()
    }

    /// The teasers of many needs (those that have one).
    pub async fn need_teasers(&self, need_ids: &[i64]) -> StoreResult<Vec<Teaser>> {
        rows::by_ids::<need_teasers::Entity, _, _>(&self.db, need_teasers::Column::NeedId, need_ids)
            .await
    }

    /// Writes the teaser of a need: creates it, or changes the one there
    /// (with `expected_version`, if given, guarding a lost update).
    pub async fn set_need_teaser(
        &self,
        need_id: i64,
        title: String,
        summary: String,
        expected_version: Option<i32>,
        actor: i64,
    ) -> StoreResult<Teaser> {
        let txn = self.write().await?;
        let existing = need_teasers::Entity::find()
            .filter(need_teasers::Column::NeedId.eq(need_id))
            .one(&txn)
            .await?;
        let now = Utc::now();
        let saved = match existing {
            Some(row) => {
                stale("need_teaser", expected_version, row.version)?;
                let version = row.version + 1;
                let mut active: need_teasers::ActiveModel = row.into();
                active.title = Set(title);
                active.summary = Set(summary);
                active.version = Set(version);
                active.updated_by = Set(actor);
                active.updated_at = Set(now);
                active.update(&txn).await?
            }
            None => {
                need_teasers::ActiveModel {
                    need_id: Set(need_id),
                    title: Set(title),
                    summary: Set(summary),
                    version: Set(1),
                    updated_by: Set(actor),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        txn.commit().await?;
        saved.try_into()
    }

    /// Offers the need to `organization_id`: a new disclosure, or a revoked
    /// one offered again (CONFLICT while one is offered or accepted).
    pub async fn offer_disclosure(
        &self,
        need_id: i64,
        organization_id: i64,
        actor: i64,
    ) -> StoreResult<Disclosure> {
        use need_disclosures::Column as D;
        let txn = self.write().await?;
        let existing = need_disclosures::Entity::find()
            .filter(D::NeedId.eq(need_id))
            .filter(D::OrganizationId.eq(organization_id))
            .lock_exclusive()
            .one(&txn)
            .await?;
        let now = Utc::now();
        let saved = match existing {
            Some(row) => {
                let status: DisclosureStatus = parse_enum(&row.status)?;
                if status != DisclosureStatus::Revoked {
                    return Err(StoreError::Conflict {
                        field: None,
                        text: Message::new("disclosure.exists").with("status", status.as_str()),
                    });
                }
                status.transition(DisclosureStatus::Offered)?;
                let version = row.version + 1;
                let mut active: need_disclosures::ActiveModel = row.into();
                active.status = Set(DisclosureStatus::Offered.as_str().to_owned());
                active.nda_version = Set(None);
                active.offered_by = Set(actor);
                active.offered_at = Set(now);
                active.accepted_by = Set(None);
                active.accepted_at = Set(None);
                active.revoked_by = Set(None);
                active.revoked_at = Set(None);
                active.version = Set(version);
                active.update(&txn).await?
            }
            None => {
                need_disclosures::ActiveModel {
                    need_id: Set(need_id),
                    organization_id: Set(organization_id),
                    status: Set(DisclosureStatus::Offered.as_str().to_owned()),
                    nda_version: Set(None),
                    offered_by: Set(actor),
                    offered_at: Set(now),
                    accepted_by: Set(None),
                    accepted_at: Set(None),
                    revoked_by: Set(None),
                    revoked_at: Set(None),
                    version: Set(1),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        log(&txn, &saved, actor, DisclosureAction::Offered).await?;
        txn.commit().await?;
        saved.try_into()
    }

    /// Moves disclosure `id` to `to` (ACCEPTED under `nda_version`, or
    /// REVOKED) for `actor`, if its life cycle allows it and it is still at
    /// `expected_version` (when given).
    pub async fn move_disclosure(
        &self,
        id: i64,
        to: DisclosureStatus,
        nda_version: Option<String>,
        expected_version: Option<i32>,
        actor: i64,
    ) -> StoreResult<Disclosure> {
        let txn = self.write().await?;
        let row = rows::lock::<need_disclosures::Entity, _>(&txn, id, "disclosure").await?;
        stale("disclosure", expected_version, row.version)?;
        let from: DisclosureStatus = parse_enum(&row.status)?;
        from.transition(to)?;
        let now = Utc::now();
        let version = row.version + 1;
        let mut active: need_disclosures::ActiveModel = row.into();
        active.status = Set(to.as_str().to_owned());
        active.version = Set(version);
        let action = match to {
            DisclosureStatus::Accepted => {
                active.nda_version = Set(nda_version);
                active.accepted_by = Set(Some(actor));
                active.accepted_at = Set(Some(now));
                DisclosureAction::Accepted
            }
            DisclosureStatus::Revoked => {
                active.revoked_by = Set(Some(actor));
                active.revoked_at = Set(Some(now));
                DisclosureAction::Revoked
            }
            DisclosureStatus::Offered => DisclosureAction::Offered,
        };
        let saved = active.update(&txn).await?;
        log(&txn, &saved, actor, action).await?;
        txn.commit().await?;
        saved.try_into()
    }

    pub async fn disclosure(&self, id: i64) -> StoreResult<Option<Disclosure>> {
        rows::by_id::<need_disclosures::Entity, _, _>(&self.db, id).await
    }

    /// Every disclosure of a need, oldest first.
    pub async fn need_disclosures(&self, need_id: i64) -> StoreResult<Vec<Disclosure>> {
        need_disclosures::Entity::find()
            .filter(need_disclosures::Column::NeedId.eq(need_id))
            .order_by_asc(need_disclosures::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Disclosure::try_from)
            .collect()
    }

    /// Disclosures offered to the organisations `organization_ids` (every
    /// organisation's for `None`), newest first, of `status` if given.
    pub async fn received_disclosures(
        &self,
        organization_ids: Option<&[i64]>,
        status: Option<DisclosureStatus>,
        args: PageArgs,
    ) -> StoreResult<Page<Disclosure>> {
        use need_disclosures::Column as D;
        let mut select = need_disclosures::Entity::find();
        if let Some(ids) = organization_ids {
            select = select.filter(D::OrganizationId.is_in(ids.iter().copied()));
        }
        if let Some(status) = status {
            select = select.filter(D::Status.eq(status.as_str()));
        }
        let order: Order<need_disclosures::Entity> = (D::Id, |m| Key::new(m.id, m.id));
        paginate_records(&self.db, select, order, D::Id, true, args).await
    }

    /// Logs a read of the need of disclosure `d` by `user_id`.
    pub async fn log_disclosure_read(&self, d: &Disclosure, user_id: i64) -> StoreResult<()> {
        disclosure_events::ActiveModel {
            need_id: Set(d.need_id),
            disclosure_id: Set(d.id),
            organization_id: Set(d.organization_id),
            user_id: Set(user_id),
            action: Set(DisclosureAction::Read.as_str().to_owned()),
            nda_version: Set(None),
            at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(())
    }

    /// The disclosure log of a need, oldest first.
    pub async fn disclosure_events(
        &self,
        need_id: i64,
        args: PageArgs,
    ) -> StoreResult<Page<DisclosureEvent>> {
        use disclosure_events::Column as E;
        let select = disclosure_events::Entity::find().filter(E::NeedId.eq(need_id));
        let order: Order<disclosure_events::Entity> = (E::Id, |m| Key::new(m.id, m.id));
        paginate_records(&self.db, select, order, E::Id, false, args).await
    }
}
