//! Reads and writes of the data generators in `iurhub-fixtures` (the demo
//! data set and synthetic data at scale): existence checks that make seeding
//! idempotent, and multi-row inserts, one transaction per call.

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::capabilities::{CapabilityLinks, capability_row};
use crate::entities::{
    instruments, memberships, organizations, research_capabilities, talent_profiles, tech_needs,
};
use crate::needs::{NeedLinks, need_row};
use crate::organizations::{fields_of, organization_row};
use crate::{Store, StoreResult};

pub use iurhub_domain::records::capabilities::NewCapability;
pub use iurhub_domain::records::needs::NewNeed;
pub use iurhub_domain::records::organizations::NewOrganization;

/// Rows per INSERT statement and per transaction. A capability row binds 13
/// values, so a chunk stays far below SQLite's 32,766 and PostgreSQL's 65,535
/// bind parameters.
pub const CHUNK: usize = 500;

impl Store {
    /// The id of the organisation named `name` (the first, by id).
    pub async fn organization_id_named(&self, name: &str) -> StoreResult<Option<i64>> {
        Ok(organizations::Entity::find()
            .filter(organizations::Column::Name.eq(name))
            .order_by_asc(organizations::Column::Id)
            .one(&self.db)
            .await?
            .map(|m| m.id))
    }

    /// The id of the need whose title starts with `prefix` (the first, by
    /// id).
    pub async fn need_id_titled(&self, prefix: &str) -> StoreResult<Option<i64>> {
        Ok(tech_needs::Entity::find()
            .filter(tech_needs::Column::Title.starts_with(prefix))
            .order_by_asc(tech_needs::Column::Id)
            .one(&self.db)
            .await?
            .map(|m| m.id))
    }

    /// The id of the instrument whose name starts with `prefix`.
    pub async fn instrument_id_named(&self, prefix: &str) -> StoreResult<Option<i64>> {
        Ok(instruments::Entity::find()
            .filter(instruments::Column::Name.starts_with(prefix))
            .order_by_asc(instruments::Column::Id)
            .one(&self.db)
            .await?
            .map(|m| m.id))
    }

    /// The ids of every need and capability, ascending (to spread the
    /// demo's records over its years).
    pub async fn need_and_capability_ids(&self) -> StoreResult<(Vec<i64>, Vec<i64>)> {
        let needs = tech_needs::Entity::find()
            .order_by_asc(tech_needs::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        let capabilities = research_capabilities::Entity::find()
            .order_by_asc(research_capabilities::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        Ok((needs, capabilities))
    }

    /// The id of the agreement titled `title`, if there is one.
    pub async fn agreement_id_by_title(&self, title: &str) -> StoreResult<Option<i64>> {
        use crate::entities::agreements;
        Ok(agreements::Entity::find()
            .filter(agreements::Column::Title.eq(title))
            .one(&self.db)
            .await?
            .map(|m| m.id))
    }

    /// Files the needs of `organization_ids` that belong to no agreement
    /// under `agreement_id`; returns how many.
    pub async fn file_needs_under_agreement(
        &self,
        agreement_id: i64,
        organization_ids: &[i64],
    ) -> StoreResult<u64> {
        use sea_orm::sea_query::Expr;
        let res = tech_needs::Entity::update_many()
            .col_expr(tech_needs::Column::AgreementId, Expr::value(agreement_id))
            .filter(tech_needs::Column::OrganizationId.is_in(organization_ids.iter().copied()))
            .filter(tech_needs::Column::AgreementId.is_null())
            .exec(&self.db)
            .await?;
        Ok(res.rows_affected)
    }

    /// Whether the user is a member of the organisation (in any role).
    pub async fn has_membership(&self, user_id: i64, organization_id: i64) -> StoreResult<bool> {
        Ok(memberships::Entity::find()
            .filter(memberships::Column::UserId.eq(user_id))
            .filter(memberships::Column::OrganizationId.eq(organization_id))
            .one(&self.db)
            .await?
            .is_some())
    }

    /// The id of the organisation's talent profile named `name`.
    pub async fn talent_id_by_name(
        &self,
        organization_id: i64,
        name: &str,
    ) -> StoreResult<Option<i64>> {
        Ok(talent_profiles::Entity::find()
            .filter(talent_profiles::Column::OrganizationId.eq(organization_id))
            .filter(talent_profiles::Column::Name.eq(name))
            .one(&self.db)
            .await?
            .map(|m| m.id))
    }

    /// Whether the organisation has a capability titled `title`.
    pub async fn has_capability_titled(
        &self,
        organization_id: i64,
        title: &str,
    ) -> StoreResult<bool> {
        Ok(research_capabilities::Entity::find()
            .filter(research_capabilities::Column::OrganizationId.eq(organization_id))
            .filter(research_capabilities::Column::Title.eq(title))
            .one(&self.db)
            .await?
            .is_some())
    }

    /// Whether the organisation has a need titled `title`.
    pub async fn has_need_titled(&self, organization_id: i64, title: &str) -> StoreResult<bool> {
        Ok(tech_needs::Entity::find()
            .filter(tech_needs::Column::OrganizationId.eq(organization_id))
            .filter(tech_needs::Column::Title.eq(title))
            .one(&self.db)
            .await?
            .is_some())
    }

    /// Whether the organisation has an instrument named `name`.
    pub async fn has_instrument_named(
        &self,
        organization_id: i64,
        name: &str,
    ) -> StoreResult<bool> {
        Ok(instruments::Entity::find()
            .filter(instruments::Column::OrganizationId.eq(organization_id))
            .filter(instruments::Column::Name.eq(name))
            .one(&self.db)
            .await?
            .is_some())
    }

    /// Whether some organisation's name starts with `prefix`.
    pub async fn has_organization_prefixed(&self, prefix: &str) -> StoreResult<bool> {
        Ok(organizations::Entity::find()
            .filter(organizations::Column::Name.starts_with(prefix))
            .one(&self.db)
            .await?
            .is_some())
    }

    /// Writes top-level organisations in one transaction, [`CHUNK`] rows per
    /// statement; returns their ids in the order given.
    pub async fn insert_organizations(&self, rows: &[NewOrganization]) -> StoreResult<Vec<i64>> {
        let now = Utc::now();
        let mut ids = Vec::with_capacity(rows.len());
        let txn = self.write().await?;
        for chunk in rows.chunks(CHUNK) {
            let models = chunk.iter().map(|o| organization_row(fields_of(o), now));
            ids.extend(inserted_ids(
                organizations::Entity::insert_many(models)
                    .exec_with_returning_keys(&txn)
                    .await?,
            ));
        }
        txn.commit().await?;
        Ok(ids)
    }

    /// Writes capabilities (version 1, published now when PUBLISHED) and
    /// their discipline links in one transaction and one statement each; at
    /// most [`CHUNK`] rows.
    pub async fn insert_capabilities(&self, rows: &[NewCapability]) -> StoreResult<()> {
        let now = Utc::now();
        let models: Vec<_> = rows.iter().map(|c| capability_row(c, &[], now)).collect();
        let txn = self.write().await?;
        let ids = inserted_ids(
            research_capabilities::Entity::insert_many(models)
                .exec_with_returning_keys(&txn)
                .await?,
        );
        let mut links = CapabilityLinks::default();
        for (&id, c) in ids.iter().zip(rows) {
            links.add(id, c, &[]);
        }
        links.insert(&txn).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Writes needs (version 1, published now unless DRAFT), their discipline
    /// links and one industry each, `industry(id)` of the new row, in one
    /// transaction and one statement each; at most [`CHUNK`] rows.
    pub async fn insert_needs(
        &self,
        rows: &[NewNeed],
        industry: impl Fn(i64) -> String,
    ) -> StoreResult<()> {
        let now = Utc::now();
        let models: Vec<_> = rows.iter().map(|n| need_row(n, now)).collect();
        let txn = self.write().await?;
        let ids = inserted_ids(
            tech_needs::Entity::insert_many(models)
                .exec_with_returning_keys(&txn)
                .await?,
        );
        let mut links = NeedLinks::default();
        for (&id, n) in ids.iter().zip(rows) {
            links.add(id, n, [industry(id)]);
        }
        links.insert(&txn).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// The ids a multi-row insert returned, in insertion order: ids grow with
/// each row of one statement, while `RETURNING` does not promise an order.
fn inserted_ids(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids
}
