//! Testing centers and their co-builders, the owners of instruments and
//! their shares, and the legal entities of the organisation tree.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::entities::{
    center_cobuilders, instrument_owners, organizations, qualifications, testing_centers,
};
use crate::page::{Key, Page, PageArgs, paginate};
use crate::{Store, StoreError, StoreResult};

pub use iurhub_domain::records::centers::{Center, LegalEntities, Owner};
use iurhub_domain::records::organizations::Organization;

/// A center's name and description.
#[derive(Debug, Clone)]
pub struct CenterFields {
    pub name: String,
    pub description: String,
}

fn center_of(m: testing_centers::Model, cobuilder_ids: Vec<i64>) -> Center {
    Center {
        id: m.id,
        organization_id: m.organization_id,
        name: m.name,
        description: m.description,
        cobuilder_ids,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// The co-builders of the centers `ids`, ascending per center.
async fn cobuilders_of<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> StoreResult<HashMap<i64, Vec<i64>>> {
    use center_cobuilders::Column as C;
    let rows: Vec<(i64, i64)> = center_cobuilders::Entity::find()
        .select_only()
        .columns([C::CenterId, C::OrganizationId])
        .filter(C::CenterId.is_in(ids.iter().copied()))
        .order_by_asc(C::OrganizationId)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for (center, org) in rows {
        out.entry(center).or_default().push(org);
    }
    Ok(out)
}

async fn with_cobuilders<C: ConnectionTrait>(
    db: &C,
    models: Vec<testing_centers::Model>,
) -> StoreResult<Vec<Center>> {
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let mut cobuilders = cobuilders_of(db, &ids).await?;
    Ok(models
        .into_iter()
        .map(|m| {
            let c = cobuilders.remove(&m.id).unwrap_or_default();
            center_of(m, c)
        })
        .collect())
}

async fn write_cobuilders<C: ConnectionTrait>(
    db: &C,
    center_id: i64,
    organization_ids: &[i64],
) -> StoreResult<()> {
    center_cobuilders::Entity::delete_many()
        .filter(center_cobuilders::Column::CenterId.eq(center_id))
        .exec(db)
        .await?;
    if organization_ids.is_empty() {
        return Ok(());
    }
    center_cobuilders::Entity::insert_many(organization_ids.iter().map(|o| {
        center_cobuilders::ActiveModel {
            center_id: Set(center_id),
            organization_id: Set(*o),
        }
    }))
    .exec(db)
    .await?;
    Ok(())
}

impl Store {
    /// Creates a center run by `organization_id` with its co-builders.
    pub async fn create_center(
        &self,
        organization_id: i64,
        fields: CenterFields,
        cobuilder_ids: &[i64],
    ) -> StoreResult<Center> {
        let now = Utc::now();
        let txn = self.write().await?;
        let model = testing_centers::ActiveModel {
            organization_id: Set(organization_id),
            name: Set(fields.name),
            description: Set(fields.description),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        write_cobuilders(&txn, model.id, cobuilder_ids).await?;
        txn.commit().await?;
        self.center(model.id)
            .await?
            .ok_or(StoreError::NotFound("center"))
    }

    /// Renames a center, or replaces its co-builders when `cobuilder_ids`
    /// is given.
    pub async fn update_center(
        &self,
        id: i64,
        fields: CenterFields,
        cobuilder_ids: Option<&[i64]>,
    ) -> StoreResult<Center> {
        use testing_centers::Column as C;
        let txn = self.write().await?;
        let done = testing_centers::Entity::update_many()
            .col_expr(C::Name, Expr::value(fields.name))
            .col_expr(C::Description, Expr::value(fields.description))
            .col_expr(C::UpdatedAt, Expr::value(Utc::now()))
            .filter(C::Id.eq(id))
            .exec(&txn)
            .await?;
        if done.rows_affected == 0 {
            return Err(StoreError::NotFound("center"));
        }
        if let Some(ids) = cobuilder_ids {
            write_cobuilders(&txn, id, ids).await?;
        }
        txn.commit().await?;
        self.center(id).await?.ok_or(StoreError::NotFound("center"))
    }

    pub async fn center(&self, id: i64) -> StoreResult<Option<Center>> {
        let Some(m) = testing_centers::Entity::find_by_id(id)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        Ok(with_cobuilders(&self.db, vec![m]).await?.pop())
    }

    /// The centers `ids` (unknown ones left out), in no particular order.
    pub async fn centers_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<Center>> {
        let models = testing_centers::Entity::find()
            .filter(testing_centers::Column::Id.is_in(ids.iter().copied()))
            .all(&self.db)
            .await?;
        with_cobuilders(&self.db, models).await
    }

    /// Every center (a platform has a handful), by name.
    pub async fn all_centers(&self) -> StoreResult<Vec<Center>> {
        use testing_centers::Column as C;
        let models = testing_centers::Entity::find()
            .order_by_asc(C::Name)
            .order_by_asc(C::Id)
            .all(&self.db)
            .await?;
        with_cobuilders(&self.db, models).await
    }

    /// One page of centers, by name.
    pub async fn list_centers(&self, args: PageArgs) -> StoreResult<Page<Center>> {
        use testing_centers::Column as C;
        let page = paginate(
            &self.db,
            testing_centers::Entity::find(),
            C::Name,
            C::Id,
            false,
            args,
            |m| Key::new(m.name.clone(), m.id),
        )
        .await?;
        let models: Vec<testing_centers::Model> =
            page.items.iter().map(|(_, m)| m.clone()).collect();
        let mut centers = with_cobuilders(&self.db, models).await?.into_iter();
        page.try_map(|_| centers.next().ok_or(StoreError::NotFound("center")))
    }

    /// The oldest center run by `organization_id`, if any.
    pub async fn first_center_of(&self, organization_id: i64) -> StoreResult<Option<Center>> {
        use testing_centers::Column as C;
        let Some(m) = testing_centers::Entity::find()
            .filter(C::OrganizationId.eq(organization_id))
            .order_by_asc(C::Id)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        Ok(with_cobuilders(&self.db, vec![m]).await?.pop())
    }

    /// The organisation tree's parents and legal entities.
    pub async fn legal_entities(&self) -> StoreResult<LegalEntities> {
        use organizations::Column as C;
        let rows: Vec<(i64, Option<i64>, bool)> = organizations::Entity::find()
            .select_only()
            .columns([C::Id, C::ParentId, C::LegalEntity])
            .into_tuple()
            .all(&self.db)
            .await?;
        let parents = rows
            .iter()
            .filter_map(|(id, parent, _)| parent.map(|p| (*id, p)))
            .collect();
        let marked = rows
            .iter()
            .filter(|(_, _, marked)| *marked)
            .map(|(id, _, _)| *id);
        Ok(LegalEntities::new(parents, marked))
    }

    /// Marks an organisation as a legal entity or not.
    pub async fn set_legal_entity(
        &self,
        organization_id: i64,
        legal_entity: bool,
    ) -> StoreResult<Organization> {
        use organizations::Column as C;
        let done = organizations::Entity::update_many()
            .col_expr(C::LegalEntity, Expr::value(legal_entity))
            .col_expr(C::UpdatedAt, Expr::value(Utc::now()))
            .filter(C::Id.eq(organization_id))
            .exec(&self.db)
            .await?;
        if done.rows_affected == 0 {
            return Err(StoreError::NotFound("organization"));
        }
        self.organization(organization_id)
            .await?
            .ok_or(StoreError::NotFound("organization"))
    }

    /// The owners of the instruments `ids`, largest share first.
    pub async fn instrument_owners(&self, ids: &[i64]) -> StoreResult<HashMap<i64, Vec<Owner>>> {
        use instrument_owners::Column as C;
        let rows = instrument_owners::Entity::find()
            .filter(C::InstrumentId.is_in(ids.iter().copied()))
            .order_by_desc(C::SharePercent)
            .order_by_asc(C::OrganizationId)
            .all(&self.db)
            .await?;
        let mut out: HashMap<i64, Vec<Owner>> = HashMap::new();
        for r in rows {
            out.entry(r.instrument_id).or_default().push(Owner {
                organization_id: r.organization_id,
                share_percent: r.share_percent,
            });
        }
        Ok(out)
    }

    /// Replaces the owners of an instrument (checked by the caller).
    pub async fn set_instrument_owners(
        &self,
        instrument_id: i64,
        owners: &[Owner],
    ) -> StoreResult<Vec<Owner>> {
        let txn = self.write().await?;
        write_owners(&txn, instrument_id, owners).await?;
        txn.commit().await?;
        Ok(self
            .instrument_owners(&[instrument_id])
            .await?
            .remove(&instrument_id)
            .unwrap_or_default())
    }

    /// The instrument of every qualification first granted in `[from, to)`.
    pub async fn qualifications_granted_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>> {
        use qualifications::Column as C;
        Ok(qualifications::Entity::find()
            .select_only()
            .column(C::InstrumentId)
            .filter(C::CreatedAt.gte(from))
            .filter(C::CreatedAt.lt(to))
            .into_tuple()
            .all(&self.db)
            .await?)
    }
}

/// Replaces the owner rows of an instrument within a transaction.
pub(crate) async fn write_owners<C: ConnectionTrait>(
    db: &C,
    instrument_id: i64,
    owners: &[Owner],
) -> StoreResult<()> {
    instrument_owners::Entity::delete_many()
        .filter(instrument_owners::Column::InstrumentId.eq(instrument_id))
        .exec(db)
        .await?;
    instrument_owners::Entity::insert_many(owners.iter().map(|o| instrument_owners::ActiveModel {
        instrument_id: Set(instrument_id),
        organization_id: Set(o.organization_id),
        share_percent: Set(o.share_percent),
    }))
    .exec(db)
    .await?;
    Ok(())
}
