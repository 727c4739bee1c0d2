//! Organisations: a tree of groups, institutes, departments, universities,
//! colleges and labs.

use chrono::{DateTime, Utc};
use iurhub_domain::Message;
use iurhub_domain::validate::{OrganizationFields, Region};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::entities::organizations::{self, Column};
use crate::error::unique_as;
use crate::page::{Key, Order, Page, PageArgs, paginate_records};
use crate::rows::{self, Records};
use crate::scope::keyword_in;
use crate::{Store, StoreError, StoreResult, parse_enum};

pub use iurhub_domain::records::organizations::{
    NewOrganization, Organization, OrganizationFilter, OrganizationSort,
};

impl TryFrom<organizations::Model> for Organization {
    type Error = StoreError;
    fn try_from(m: organizations::Model) -> StoreResult<Self> {
        Ok(Organization {
            id: m.id,
            parent_id: m.parent_id,
            name: m.name,
            kind: parse_enum(&m.kind)?,
            region: Region {
                province: m.region_province,
                city: m.region_city,
            },
            legal_entity: m.legal_entity,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

/// The row of a new organisation, whichever way it is created (one by hand,
/// the data generators' top-level ones).
pub(crate) fn organization_row(
    fields: OrganizationFields,
    now: DateTime<Utc>,
) -> organizations::ActiveModel {
    organizations::ActiveModel {
        // A new top-level organisation is a legal entity; one below
        // another belongs to that one's until marked.
        legal_entity: Set(fields.parent_id.is_none()),
        parent_id: Set(fields.parent_id),
        name: Set(fields.name),
        kind: Set(fields.kind.as_str().to_owned()),
        region_province: Set(fields.region.province),
        region_city: Set(fields.region.city),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// A top-level organisation of the data generators as the fields of an
/// organisation.
pub(crate) fn fields_of(new: &NewOrganization) -> OrganizationFields {
    OrganizationFields {
        name: new.name.clone(),
        kind: new.kind,
        parent_id: None,
        region: Region {
            province: Some(new.province.clone()),
            city: Some(new.city.clone()),
        },
    }
}

impl Store {
    /// Creates an organisation; a sibling with the same name is a CONFLICT.
    pub async fn create_organization(
        &self,
        fields: OrganizationFields,
    ) -> StoreResult<Organization> {
        if let Some(parent) = fields.parent_id {
            if organizations::Entity::find_by_id(parent)
                .one(&self.db)
                .await?
                .is_none()
            {
                return Err(iurhub_domain::DomainError::keyed(
                    "parentId",
                    Message::new("organization.unknown"),
                )
                .into());
            }
        } else {
            let same_root = organizations::Entity::find()
                .filter(Column::ParentId.is_null())
                .filter(Column::Name.eq(fields.name.as_str()))
                .count(&self.db)
                .await?;
            if same_root > 0 {
                return Err(StoreError::conflict(
                    "name",
                    Message::new("organization.name.taken"),
                ));
            }
        }
        organization_row(fields, Utc::now())
            .insert(&self.db)
            .await
            .map_err(unique_as("name", "organization.name.taken_under_parent"))?
            .try_into()
    }

    pub async fn organization(&self, id: i64) -> StoreResult<Option<Organization>> {
        rows::by_id::<organizations::Entity, _, _>(&self.db, id).await
    }

    /// Finds a root or child organisation by its exact name.
    pub async fn organization_by_name(
        &self,
        parent_id: Option<i64>,
        name: &str,
    ) -> StoreResult<Option<Organization>> {
        let parent = match parent_id {
            Some(p) => Column::ParentId.eq(p),
            None => Column::ParentId.is_null(),
        };
        organizations::Entity::find()
            .filter(parent)
            .filter(Column::Name.eq(name))
            .one(&self.db)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    pub async fn organizations_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<Organization>> {
        rows::by_ids::<organizations::Entity, _, _>(&self.db, Column::Id, ids).await
    }

    /// Direct children of the given organisations, by name.
    pub async fn children_of(&self, parent_ids: &[i64]) -> StoreResult<Vec<Organization>> {
        organizations::Entity::find()
            .filter(Column::ParentId.is_in(parent_ids.iter().copied()))
            .order_by_asc(Column::Name)
            .records(&self.db)
            .await
    }

    /// One page of organisations (public directory).
    pub async fn list_organizations(
        &self,
        filter: &OrganizationFilter,
        sort: OrganizationSort,
        descending: bool,
        args: PageArgs,
    ) -> StoreResult<Page<Organization>> {
        let cond = Condition::all()
            .add_option(filter.parent_id.map(|parent| Column::ParentId.eq(parent)))
            .add_option(filter.roots_only.then(|| Column::ParentId.is_null()))
            .add_option(filter.kind.map(|kind| Column::Kind.eq(kind.as_str())))
            .add_option(keyword_in(&filter.keyword, &[Column::Name]));
        let select = organizations::Entity::find().filter(cond);
        let order: Order<organizations::Entity> = match sort {
            OrganizationSort::CreatedAt => (Column::Id, |m| Key::new(m.id, m.id)),
            OrganizationSort::Name => (Column::Name, |m| Key::new(m.name.clone(), m.id)),
        };
        paginate_records(&self.db, select, order, Column::Id, descending, args).await
    }
}

impl Store {
    /// Renames an organisation or changes its kind or region; a sibling with
    /// the same name is a CONFLICT on `name`. The parent stays.
    pub async fn update_organization(
        &self,
        id: i64,
        fields: OrganizationFields,
    ) -> StoreResult<Organization> {
        let current = rows::get::<organizations::Entity, _>(&self.db, id, "organization").await?;
        if current.parent_id.is_none() && current.name != fields.name {
            let same_root = organizations::Entity::find()
                .filter(Column::ParentId.is_null())
                .filter(Column::Name.eq(fields.name.as_str()))
                .filter(Column::Id.ne(id))
                .count(&self.db)
                .await?;
            if same_root > 0 {
                return Err(StoreError::conflict(
                    "name",
                    Message::new("organization.name.taken"),
                ));
            }
        }
        organizations::ActiveModel {
            id: Set(id),
            name: Set(fields.name),
            kind: Set(fields.kind.as_str().to_owned()),
            region_province: Set(fields.region.province),
            region_city: Set(fields.region.city),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .update(&self.db)
        .await
        .map_err(unique_as("name", "organization.name.taken_under_parent"))?
        .try_into()
    }
}
