//! Research capabilities (科研能力 / 成果).

use chrono::{DateTime, Utc};
use iurhub_domain::CapabilityStatus;
use iurhub_domain::records::notifications::Notices;
use iurhub_domain::validate::{Achievement, CapabilityFields};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set,
};

use crate::entities::research_capabilities::{self, Column};
use crate::links::{CAPABILITY_DISCIPLINES, CAPABILITY_TALENTS};
use crate::page::{Key, Order, Page, PageArgs, paginate_records};
use crate::rows;
use crate::scope::{keyword_in, statuses_in};
use crate::versioned;
use crate::{Scope, Store, StoreError, StoreResult, parse_enum, parse_json, to_json};

pub use iurhub_domain::records::capabilities::{
    Capability, CapabilityFilter, CapabilitySort, NewCapability,
};

impl TryFrom<research_capabilities::Model> for Capability {
    type Error = StoreError;
    fn try_from(m: research_capabilities::Model) -> StoreResult<Self> {
        Ok(Capability {
            id: m.id,
            organization_id: m.organization_id,
            created_by: m.created_by,
            title: m.title,
            summary: m.summary,
            keywords: parse_json(&m.keywords)?,
            trl: m.trl,
            achievements: parse_json(&m.achievements)?,
            status: parse_enum(&m.status)?,
            version: m.version,
            published_at: m.published_at,
            created_at: m.created_at,
            confirmed_at: m.confirmed_at.unwrap_or(m.updated_at),
            updated_at: m.updated_at,
        })
    }
}

/// A validated form as a new capability of `organization_id` by
/// `created_by` in `status`, with what the form adds: its achievements and
/// the talents it links.
fn new_capability(
    organization_id: i64,
    created_by: i64,
    status: CapabilityStatus,
    fields: CapabilityFields,
) -> (NewCapability, Vec<Achievement>, Vec<i64>) {
    let new = NewCapability {
        organization_id,
        created_by,
        title: fields.title,
        summary: fields.summary,
        keywords: fields.keywords,
        trl: fields.trl,
        status,
        discipline_codes: fields.discipline_codes,
    };
    (new, fields.achievements, fields.talent_ids)
}

/// The row of a new capability, whichever way it is created (one by hand, an
/// import, the data generators): version 1, published at `now` when
/// PUBLISHED.
pub(crate) fn capability_row(
    new: &NewCapability,
    achievements: &[Achievement],
    now: DateTime<Utc>,
) -> research_capabilities::ActiveModel {
    research_capabilities::ActiveModel {
        organization_id: Set(new.organization_id),
        created_by: Set(new.created_by),
        title: Set(new.title.clone()),
        summary: Set(new.summary.clone()),
        keywords: Set(to_json(&new.keywords)),
        trl: Set(new.trl),
        achievements: Set(to_json(&achievements)),
        status: Set(new.status.as_str().to_owned()),
        version: Set(1),
        published_at: Set((new.status == CapabilityStatus::Published).then_some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        confirmed_at: Set(Some(now)),
        ..Default::default()
    }
}

/// The link rows of new capabilities (their disciplines and talents),
/// written with one statement per link table.
#[derive(Default)]
pub(crate) struct CapabilityLinks {
    disciplines: Vec<(i64, String)>,
    talents: Vec<(i64, i64)>,
}

impl CapabilityLinks {
    /// The links of capability `id`, stored from `new` with `talent_ids`.
    pub fn add(&mut self, id: i64, new: &NewCapability, talent_ids: &[i64]) {
        self.disciplines
            .extend(new.discipline_codes.iter().map(|c| (id, c.clone())));
        self.talents.extend(talent_ids.iter().map(|t| (id, *t)));
    }

    pub async fn insert<C: ConnectionTrait>(self, db: &C) -> StoreResult<()> {
        CAPABILITY_DISCIPLINES
            .insert_pairs(db, self.disciplines)
            .await?;
        CAPABILITY_TALENTS.insert_pairs(db, self.talents).await
    }
}

impl Store {
    /// Creates a DRAFT capability with validated fields.
    pub async fn create_capability(
        &self,
        organization_id: i64,
        created_by: i64,
        fields: CapabilityFields,
    ) -> StoreResult<Capability> {
        let (new, achievements, talent_ids) =
            new_capability(organization_id, created_by, CapabilityStatus::Draft, fields);
        let txn = self.write().await?;
        let model = capability_row(&new, &achievements, Utc::now())
            .insert(&txn)
            .await?;
        let mut links = CapabilityLinks::default();
        links.add(model.id, &new, &talent_ids);
        links.insert(&txn).await?;
        txn.commit().await?;
        model.try_into()
    }

    /// Replaces the content of a capability (optimistic with `expected_version`).
    pub async fn update_capability(
        &self,
        id: i64,
        fields: CapabilityFields,
        expected_version: Option<i32>,
    ) -> StoreResult<Capability> {
        let txn = self.write().await?;
        let current =
            rows::lock::<research_capabilities::Entity, _>(&txn, id, "capability").await?;
        let update = research_capabilities::Entity::update_many()
            .col_expr(Column::Title, Expr::value(fields.title))
            .col_expr(Column::Summary, Expr::value(fields.summary))
            .col_expr(Column::Keywords, Expr::value(to_json(&fields.keywords)))
            .col_expr(Column::Trl, Expr::value(fields.trl))
            .col_expr(
                Column::Achievements,
                Expr::value(to_json(&fields.achievements)),
            )
            // Editing confirms the capability current.
            .col_expr(Column::ConfirmedAt, Expr::value(Utc::now()));
        versioned::CAPABILITY
            .update(&txn, update, id, expected_version, current.version)
            .await?;
        CAPABILITY_DISCIPLINES
            .replace(&txn, id, &fields.discipline_codes)
            .await?;
        CAPABILITY_TALENTS
            .replace(&txn, id, &fields.talent_ids)
            .await?;
        let model = rows::get::<research_capabilities::Entity, _>(&txn, id, "capability").await?;
        txn.commit().await?;
        model.try_into()
    }

    /// Moves a capability from `from` to `to`; a concurrent change is a CONFLICT.
    pub async fn set_capability_status(
        &self,
        id: i64,
        from: CapabilityStatus,
        to: CapabilityStatus,
    ) -> StoreResult<Capability> {
        self.set_capability_status_noting(id, from, to, &mut Notices::none())
            .await
    }

    /// [`Store::set_capability_status`], writing `notices` in its
    /// transaction.
    pub async fn set_capability_status_noting(
        &self,
        id: i64,
        from: CapabilityStatus,
        to: CapabilityStatus,
        notices: &mut Notices,
    ) -> StoreResult<Capability> {
        let txn = self.write().await?;
        let current =
            rows::lock::<research_capabilities::Entity, _>(&txn, id, "capability").await?;
        versioned::CAPABILITY_STATUS
            .step(
                &txn,
                id,
                (&current.status, current.version),
                (from.as_str(), to.as_str()),
                to == CapabilityStatus::Published,
            )
            .await?;
        let model = rows::get::<research_capabilities::Entity, _>(&txn, id, "capability").await?;
        crate::notifications::write_notices(&txn, notices, None, Utc::now()).await?;
        txn.commit().await?;
        model.try_into()
    }

    /// Confirms a capability current: `confirmed_at` becomes now (its
    /// content and version are left as they are).
    pub async fn confirm_capability(&self, id: i64) -> StoreResult<Capability> {
        let txn = self.write().await?;
        rows::lock::<research_capabilities::Entity, _>(&txn, id, "capability").await?;
        research_capabilities::Entity::update_many()
            .col_expr(Column::ConfirmedAt, Expr::value(Utc::now()))
            .filter(Column::Id.eq(id))
            .exec(&txn)
            .await?;
        let model = rows::get::<research_capabilities::Entity, _>(&txn, id, "capability").await?;
        txn.commit().await?;
        model.try_into()
    }

    pub async fn capability(&self, id: i64) -> StoreResult<Option<Capability>> {
        rows::by_id::<research_capabilities::Entity, _, _>(&self.db, id).await
    }

    pub async fn capabilities_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<Capability>> {
        rows::by_ids::<research_capabilities::Entity, _, _>(&self.db, Column::Id, ids).await
    }

    /// Discipline codes and talent ids of one capability.
    pub async fn capability_links(&self, id: i64) -> StoreResult<(Vec<String>, Vec<i64>)> {
        let mut d = CAPABILITY_DISCIPLINES
            .load::<_, String>(&self.db, &[id])
            .await?;
        let mut t = CAPABILITY_TALENTS.load::<_, i64>(&self.db, &[id]).await?;
        Ok((
            d.remove(&id).unwrap_or_default(),
            t.remove(&id).unwrap_or_default(),
        ))
    }

    /// One page of the capabilities `scope` may see.
    pub async fn list_capabilities(
        &self,
        scope: &Scope,
        filter: &CapabilityFilter,
        sort: CapabilitySort,
        descending: bool,
        args: PageArgs,
    ) -> StoreResult<Page<Capability>> {
        let visible = match scope {
            Scope::All => None,
            Scope::Reader {
                organization_ids, ..
            } => Some(
                Condition::any()
                    .add(Column::Status.eq(CapabilityStatus::Published.as_str()))
                    .add(Column::OrganizationId.is_in(organization_ids.iter().copied())),
            ),
        };
        let cond = Condition::all()
            .add_option(visible)
            .add_option(
                filter
                    .organization_id
                    .map(|org| Column::OrganizationId.eq(org)),
            )
            .add_option(statuses_in(Column::Status, &filter.statuses))
            .add_option(keyword_in(
                &filter.keyword,
                &[Column::Title, Column::Summary, Column::Keywords],
            ))
            .add_option(
                CAPABILITY_DISCIPLINES.owners_with_prefix(Column::Id, &filter.discipline_code),
            )
            .add_option(CAPABILITY_TALENTS.owners_with(Column::Id, filter.talent_id));
        let select = research_capabilities::Entity::find().filter(cond);
        let order: Order<research_capabilities::Entity> = match sort {
            CapabilitySort::CreatedAt => (Column::Id, |m| Key::new(m.id, m.id)),
            CapabilitySort::UpdatedAt => (Column::UpdatedAt, |m| Key::new(m.updated_at, m.id)),
            CapabilitySort::Title => (Column::Title, |m| Key::new(m.title.clone(), m.id)),
        };
        paginate_records(&self.db, select, order, Column::Id, descending, args).await
    }
}

impl Store {
    /// Creates many capabilities in one transaction (all or nothing) with the
    /// given status (PUBLISHED ones get `published_at`). Each row is
    /// `(organisation id, fields)`, already validated; `progress` is called
    /// with the number of rows written so far. Returns the capabilities in
    /// input order.
    pub async fn import_capabilities(
        &self,
        created_by: i64,
        rows: Vec<(i64, CapabilityFields)>,
        status: CapabilityStatus,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> StoreResult<Vec<Capability>> {
        let now = Utc::now();
        let txn = self.write().await?;
        let mut created = Vec::with_capacity(rows.len());
        for (organization_id, fields) in rows {
            let (new, achievements, talent_ids) =
                new_capability(organization_id, created_by, status, fields);
            let model = capability_row(&new, &achievements, now)
                .insert(&txn)
                .await?;
            let mut links = CapabilityLinks::default();
            links.add(model.id, &new, &talent_ids);
            links.insert(&txn).await?;
            created.push(Capability::try_from(model)?);
            progress(created.len());
        }
        txn.commit().await?;
        Ok(created)
    }
}
