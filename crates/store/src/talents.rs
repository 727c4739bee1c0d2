//! Talent (expertise) profiles (人才).

use chrono::{DateTime, Utc};
use iurhub_domain::validate::TalentFields;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, Set};

use crate::entities::talent_profiles::{self, Column};
use crate::error::unique_as;
use crate::links::TALENT_DISCIPLINES;
use crate::page::{Key, Order, Page, PageArgs, paginate_records};
use crate::rows;
use crate::scope::keyword_in;
use crate::{Store, StoreError, StoreResult, parse_json, to_json};

pub use iurhub_domain::records::talents::{Talent, TalentFilter, TalentSort};

impl TryFrom<talent_profiles::Model> for Talent {
    type Error = StoreError;
    fn try_from(m: talent_profiles::Model) -> StoreResult<Self> {
        Ok(Talent {
            id: m.id,
            organization_id: m.organization_id,
            user_id: m.user_id,
            name: m.name,
            title: m.title,
            bio: m.bio,
            keywords: parse_json(&m.keywords)?,
            availability: parse_json(&m.availability)?,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

/// The columns of a talent profile that its fields give, changed at `now`.
fn talent_row(fields: &TalentFields, now: DateTime<Utc>) -> talent_profiles::ActiveModel {
    talent_profiles::ActiveModel {
        organization_id: Set(fields.organization_id),
        name: Set(fields.name.clone()),
        title: Set(fields.title.clone()),
        bio: Set(fields.bio.clone()),
        keywords: Set(to_json(&fields.keywords)),
        availability: Set(to_json(&fields.availability)),
        updated_at: Set(now),
        ..Default::default()
    }
}

impl Store {
    /// Creates a profile, or replaces profile `id` when given; a stale
    /// `expected_version` of the profile replaced is a CONFLICT on `version`.
    pub async fn save_talent(
        &self,
        id: Option<i64>,
        user_id: Option<i64>,
        fields: TalentFields,
        expected_version: Option<i32>,
    ) -> StoreResult<Talent> {
        let now = Utc::now();
        let txn = self.write().await?;
        let mut model = talent_row(&fields, now);
        let saved = match id {
            Some(id) => {
                let current = rows::lock::<talent_profiles::Entity, _>(&txn, id, "talent").await?;
                crate::versioned::TALENT.check(expected_version, current.version)?;
                model.id = Set(id);
                model.version = Set(current.version + 1);
                model.update(&txn).await.map_err(|e| match e {
                    sea_orm::DbErr::RecordNotUpdated => StoreError::NotFound("talent"),
                    e => e.into(),
                })?
            }
            None => {
                model.user_id = Set(user_id);
                model.version = Set(1);
                model.created_at = Set(now);
                model
                    .insert(&txn)
                    .await
                    .map_err(unique_as("userId", "talent.exists"))?
            }
        };
        TALENT_DISCIPLINES
            .replace(&txn, saved.id, &fields.discipline_codes)
            .await?;
        txn.commit().await?;
        saved.try_into()
    }

    pub async fn talent(&self, id: i64) -> StoreResult<Option<Talent>> {
        rows::by_id::<talent_profiles::Entity, _, _>(&self.db, id).await
    }

    pub async fn talent_of_user(&self, user_id: i64) -> StoreResult<Option<Talent>> {
        talent_profiles::Entity::find()
            .filter(Column::UserId.eq(user_id))
            .one(&self.db)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    pub async fn talents_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<Talent>> {
        rows::by_ids::<talent_profiles::Entity, _, _>(&self.db, Column::Id, ids).await
    }

    /// One page of talent profiles (visible to every signed-in user).
    pub async fn list_talents(
        &self,
        filter: &TalentFilter,
        sort: TalentSort,
        descending: bool,
        args: PageArgs,
    ) -> StoreResult<Page<Talent>> {
        let cond = Condition::all()
            .add_option(
                filter
                    .organization_id
                    .map(|org| Column::OrganizationId.eq(org)),
            )
            .add_option(keyword_in(
                &filter.keyword,
                &[Column::Name, Column::Bio, Column::Keywords],
            ))
            .add_option(TALENT_DISCIPLINES.owners_with_prefix(Column::Id, &filter.discipline_code))
            .add_option(
                filter
                    .available_for
                    .map(|mode| Column::Availability.like(format!("%\"{}\"%", mode.as_str()))),
            );
        let select = talent_profiles::Entity::find().filter(cond);
        let order: Order<talent_profiles::Entity> = match sort {
            TalentSort::CreatedAt => (Column::Id, |m| Key::new(m.id, m.id)),
            TalentSort::UpdatedAt => (Column::UpdatedAt, |m| Key::new(m.updated_at, m.id)),
            TalentSort::Name => (Column::Name, |m| Key::new(m.name.clone(), m.id)),
        };
        paginate_records(&self.db, select, order, Column::Id, descending, args).await
    }
}

impl Store {
    /// Creates many talent profiles (not linked to a user) in one transaction,
    /// all or nothing. The fields are already validated and carry their
    /// organisation; `progress` is called with the number of rows written so
    /// far. Returns the profiles in input order.
    pub async fn import_talents(
        &self,
        rows: Vec<TalentFields>,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> StoreResult<Vec<Talent>> {
        let now = Utc::now();
        let txn = self.write().await?;
        let mut created = Vec::with_capacity(rows.len());
        for fields in rows {
            let model = talent_profiles::ActiveModel {
                user_id: Set(None),
                created_at: Set(now),
                ..talent_row(&fields, now)
            }
            .insert(&txn)
            .await?;
            TALENT_DISCIPLINES
                .insert(&txn, model.id, &fields.discipline_codes)
                .await?;
            created.push(Talent::try_from(model)?);
            progress(created.len());
        }
        txn.commit().await?;
        Ok(created)
    }
}
