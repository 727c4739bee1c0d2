//! Reads and writes of the data generators in `iurhub-fixtures` (the demo
//! data set and synthetic data at scale): existence checks that make seeding
//! idempotent, and multi-row inserts, one transaction per call.

use chrono::Utc;
use iurhub_domain::{CapabilityStatus, NeedStatus};
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entities::{
    instruments, memberships, organizations, research_capabilities, talent_profiles, tech_needs,
};
use crate::{Store, StoreResult, to_json};

pub use iurhub_domain::records::capabilities::NewCapability;
pub use iurhub_domain::records::needs::NewNeed;
pub use iurhub_domain::records::organizations::NewOrganization;

/// Rows per INSERT statement and per transaction. A capability row binds 13
/// values, so a chunk stays far below SQLite's 32,766 and PostgreSQL's 65,535
/// bind parameters.
pub const CHUNK: usize = 500;

impl Store {
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
            let models = chunk.iter().map(|o| organizations::ActiveModel {
                parent_id: Set(None),
                name: Set(o.name.clone()),
                kind: Set(o.kind.as_str().to_owned()),
                region_province: Set(Some(o.province.clone())),
                region_city: Set(Some(o.city.clone())),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            });
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
        let models: Vec<_> = rows
            .iter()
            .map(|c| research_capabilities::ActiveModel {
                organization_id: Set(c.organization_id),
                created_by: Set(c.created_by),
                title: Set(c.title.clone()),
                summary: Set(c.summary.clone()),
                keywords: Set(to_json(&c.keywords)),
                trl: Set(c.trl),
                achievements: Set("[]".to_owned()),
                status: Set(c.status.as_str().to_owned()),
                version: Set(1),
                published_at: Set((c.status == CapabilityStatus::Published).then_some(now)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .collect();
        let txn = self.write().await?;
        let ids = inserted_ids(
            research_capabilities::Entity::insert_many(models)
                .exec_with_returning_keys(&txn)
                .await?,
        );
        let links = ids.iter().zip(rows).flat_map(|(&id, c)| {
            c.discipline_codes
                .iter()
                .map(move |code| (id, code.clone()))
        });
        insert_links(&txn, "capability_disciplines", "capability_id", links).await?;
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
        let models: Vec<_> = rows
            .iter()
            .map(|n| tech_needs::ActiveModel {
                organization_id: Set(n.organization_id),
                created_by: Set(n.created_by),
                title: Set(n.title.clone()),
                description: Set(n.description.clone()),
                keywords: Set(to_json(&n.keywords)),
                trl_required: Set(n.trl_required),
                budget_min: Set(n.budget_min),
                budget_max: Set(n.budget_max),
                deadline: Set(n.deadline),
                cooperation_modes: Set(to_json(&n.cooperation_modes)),
                visibility: Set(n.visibility.as_str().to_owned()),
                status: Set(n.status.as_str().to_owned()),
                version: Set(1),
                published_at: Set((n.status != NeedStatus::Draft).then_some(now)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .collect();
        let txn = self.write().await?;
        let ids = inserted_ids(
            tech_needs::Entity::insert_many(models)
                .exec_with_returning_keys(&txn)
                .await?,
        );
        let links = ids.iter().zip(rows).flat_map(|(&id, n)| {
            n.discipline_codes
                .iter()
                .map(move |code| (id, code.clone()))
        });
        insert_links(&txn, "need_disciplines", "need_id", links).await?;
        let industries = ids.iter().map(|&id| (id, industry(id)));
        insert_links(&txn, "need_industries", "need_id", industries).await?;
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

async fn insert_links<C: ConnectionTrait>(
    db: &C,
    table: &str,
    owner: &str,
    rows: impl Iterator<Item = (i64, String)>,
) -> StoreResult<()> {
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new(table))
        .columns([Alias::new(owner), Alias::new("code")]);
    let mut any = false;
    for (id, code) in rows {
        insert.values_panic([id.into(), code.into()]);
        any = true;
    }
    if any {
        db.execute(&insert).await?;
    }
    Ok(())
}
