//! Technology needs (技术需求).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use iurhub_domain::validate::NeedFields;
use iurhub_domain::{NeedStatus, Visibility};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Select,
    Set,
};

use crate::entities::organizations;
use crate::entities::tech_needs::{self, Column};
use crate::links::{NEED_DISCIPLINES, NEED_INDUSTRIES};
use crate::organizations::Organization;
use crate::page::{Key, Order, Page, PageArgs, paginate_also_related, paginate_records};
use crate::rows;
use crate::scope::{keyword_in, statuses_in};
use crate::versioned;
use crate::{Scope, Store, StoreError, StoreResult, parse_enum, parse_json, to_json};

pub use iurhub_domain::records::needs::{Need, NeedFilter, NeedSort, NewNeed};

impl TryFrom<tech_needs::Model> for Need {
    type Error = StoreError;
    fn try_from(m: tech_needs::Model) -> StoreResult<Self> {
        Ok(Need {
            id: m.id,
            organization_id: m.organization_id,
            created_by: m.created_by,
            title: m.title,
            description: m.description,
            keywords: parse_json(&m.keywords)?,
            trl_required: m.trl_required,
            budget_min: m.budget_min,
            budget_max: m.budget_max,
            deadline: m.deadline,
            cooperation_modes: parse_json(&m.cooperation_modes)?,
            visibility: parse_enum(&m.visibility)?,
            status: parse_enum(&m.status)?,
            version: m.version,
            agreement_id: m.agreement_id,
            published_at: m.published_at,
            created_at: m.created_at,
            confirmed_at: m.confirmed_at.unwrap_or(m.updated_at),
            updated_at: m.updated_at,
        })
    }
}

/// A validated form as a new need of `organization_id` by `created_by` in
/// `status`, with the industry codes the form links as well.
fn new_need(
    organization_id: i64,
    created_by: i64,
    status: NeedStatus,
    fields: NeedFields,
) -> (NewNeed, Vec<String>) {
    let new = NewNeed {
        organization_id,
        created_by,
        title: fields.title,
        description: fields.description,
        keywords: fields.keywords,
        trl_required: fields.trl_required,
        budget_min: fields.budget_min,
        budget_max: fields.budget_max,
        deadline: fields.deadline,
        cooperation_modes: fields.cooperation_modes,
        visibility: fields.visibility,
        status,
        discipline_codes: fields.discipline_codes,
    };
    (new, fields.industry_codes)
}

/// The row of a new need, whichever way it is created (one by hand, an
/// import, the data generators): version 1, published at `now` unless DRAFT.
pub(crate) fn need_row(new: &NewNeed, now: DateTime<Utc>) -> tech_needs::ActiveModel {
    tech_needs::ActiveModel {
        organization_id: Set(new.organization_id),
        created_by: Set(new.created_by),
        title: Set(new.title.clone()),
        description: Set(new.description.clone()),
        keywords: Set(to_json(&new.keywords)),
        trl_required: Set(new.trl_required),
        budget_min: Set(new.budget_min),
        budget_max: Set(new.budget_max),
        deadline: Set(new.deadline),
        cooperation_modes: Set(to_json(&new.cooperation_modes)),
        visibility: Set(new.visibility.as_str().to_owned()),
        status: Set(new.status.as_str().to_owned()),
        version: Set(1),
        published_at: Set((new.status != NeedStatus::Draft).then_some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        confirmed_at: Set(Some(now)),
        ..Default::default()
    }
}

/// The link rows of new needs (their disciplines and industries), written
/// with one statement per link table.
#[derive(Default)]
pub(crate) struct NeedLinks {
    disciplines: Vec<(i64, String)>,
    industries: Vec<(i64, String)>,
}

impl NeedLinks {
    /// The links of need `id`, stored from `new` with `industry_codes`.
    pub fn add(
        &mut self,
        id: i64,
        new: &NewNeed,
        industry_codes: impl IntoIterator<Item = String>,
    ) {
        self.disciplines
            .extend(new.discipline_codes.iter().map(|c| (id, c.clone())));
        self.industries
            .extend(industry_codes.into_iter().map(|c| (id, c)));
    }

    pub async fn insert<C: ConnectionTrait>(self, db: &C) -> StoreResult<()> {
        NEED_DISCIPLINES.insert_pairs(db, self.disciplines).await?;
        NEED_INDUSTRIES.insert_pairs(db, self.industries).await
    }
}

/// The SQL form of [`iurhub_domain::policy::may_see_need`]: admins see
/// every need; others the released ones their visibility allows, every need
/// of the organisations they manage and every need filed under an agreement
/// they coordinate.
pub(crate) fn scope_condition(scope: &Scope) -> Condition {
    match scope {
        Scope::All => Condition::all(),
        Scope::Reader {
            signed_in,
            organization_ids,
            coordinated_agreement_ids,
            ..
        } => {
            let mut visible =
                Condition::any().add(Column::Visibility.eq(Visibility::Public.as_str()));
            if *signed_in {
                visible = visible.add(Column::Visibility.eq(Visibility::Platform.as_str()));
            }
            let released = Condition::all()
                .add(
                    Column::Status
                        .is_not_in([NeedStatus::Draft.as_str(), NeedStatus::Withdrawn.as_str()]),
                )
                .add(visible);
            Condition::any()
                .add(released)
                .add(Column::OrganizationId.is_in(organization_ids.iter().copied()))
                .add(Column::AgreementId.is_in(coordinated_agreement_ids.iter().copied()))
        }
    }
}

impl Store {
    /// Creates a DRAFT need with validated fields.
    pub async fn create_need(
        &self,
        organization_id: i64,
        created_by: i64,
        fields: NeedFields,
    ) -> StoreResult<Need> {
        self.create_need_in(organization_id, created_by, fields, None)
            .await
    }

    /// [`Store::create_need`], the need belonging to `agreement_id` (the
    /// caller checked that it may be linked).
    pub async fn create_need_in(
        &self,
        organization_id: i64,
        created_by: i64,
        fields: NeedFields,
        agreement_id: Option<i64>,
    ) -> StoreResult<Need> {
        let (new, industry_codes) =
            new_need(organization_id, created_by, NeedStatus::Draft, fields);
        let txn = self.write().await?;
        let mut row = need_row(&new, Utc::now());
        row.agreement_id = Set(agreement_id);
        let model = row.insert(&txn).await?;
        let mut links = NeedLinks::default();
        links.add(model.id, &new, industry_codes);
        links.insert(&txn).await?;
        txn.commit().await?;
        model.try_into()
    }

    /// Replaces the content of a need. With `expected_version`, a need that
    /// changed meanwhile is a CONFLICT instead of being overwritten.
    pub async fn update_need(
        &self,
        id: i64,
        fields: NeedFields,
        expected_version: Option<i32>,
    ) -> StoreResult<Need> {
        self.update_need_in(id, fields, None, expected_version)
            .await
    }

    /// [`Store::update_need`], also moving the need into agreement
    /// `Some(Some(id))` or out of its agreement (`Some(None)`).
    pub async fn update_need_in(
        &self,
        id: i64,
        fields: NeedFields,
        agreement_id: Option<Option<i64>>,
        expected_version: Option<i32>,
    ) -> StoreResult<Need> {
        let txn = self.write().await?;
        let current = rows::lock::<tech_needs::Entity, _>(&txn, id, "need").await?;
        let mut update = tech_needs::Entity::update_many();
        if let Some(agreement) = agreement_id {
            update = update.col_expr(Column::AgreementId, Expr::value(agreement));
        }
        let update = update
            .col_expr(Column::Title, Expr::value(fields.title))
            .col_expr(Column::Description, Expr::value(fields.description))
            .col_expr(Column::Keywords, Expr::value(to_json(&fields.keywords)))
            .col_expr(Column::TrlRequired, Expr::value(fields.trl_required))
            .col_expr(Column::BudgetMin, Expr::value(fields.budget_min))
            .col_expr(Column::BudgetMax, Expr::value(fields.budget_max))
            .col_expr(Column::Deadline, Expr::value(fields.deadline))
            .col_expr(
                Column::CooperationModes,
                Expr::value(to_json(&fields.cooperation_modes)),
            )
            .col_expr(Column::Visibility, Expr::value(fields.visibility.as_str()))
            // Editing confirms the need current.
            .col_expr(Column::ConfirmedAt, Expr::value(Utc::now()));
        versioned::NEED
            .update(&txn, update, id, expected_version, current.version)
            .await?;
        NEED_DISCIPLINES
            .replace(&txn, id, &fields.discipline_codes)
            .await?;
        NEED_INDUSTRIES
            .replace(&txn, id, &fields.industry_codes)
            .await?;
        let model = rows::get::<tech_needs::Entity, _>(&txn, id, "need").await?;
        txn.commit().await?;
        model.try_into()
    }

    /// Moves a need from `from` to `to`; a concurrent change is a CONFLICT.
    pub async fn set_need_status(
        &self,
        id: i64,
        from: NeedStatus,
        to: NeedStatus,
        notices: &mut iurhub_domain::records::notifications::Notices,
    ) -> StoreResult<Need> {
        let txn = self.write().await?;
        let current = rows::lock::<tech_needs::Entity, _>(&txn, id, "need").await?;
        versioned::NEED_STATUS
            .step(
                &txn,
                id,
                (&current.status, current.version),
                (from.as_str(), to.as_str()),
                to == NeedStatus::Published,
            )
            .await?;
        let model = rows::get::<tech_needs::Entity, _>(&txn, id, "need").await?;
        crate::notifications::write_notices(&txn, notices, None, chrono::Utc::now()).await?;
        txn.commit().await?;
        model.try_into()
    }

    /// Confirms a need current: `confirmed_at` becomes now (its content
    /// and version are left as they are).
    pub async fn confirm_need(&self, id: i64) -> StoreResult<Need> {
        let txn = self.write().await?;
        rows::lock::<tech_needs::Entity, _>(&txn, id, "need").await?;
        tech_needs::Entity::update_many()
            .col_expr(Column::ConfirmedAt, Expr::value(Utc::now()))
            .filter(Column::Id.eq(id))
            .exec(&txn)
            .await?;
        let model = rows::get::<tech_needs::Entity, _>(&txn, id, "need").await?;
        txn.commit().await?;
        model.try_into()
    }

    pub async fn need(&self, id: i64) -> StoreResult<Option<Need>> {
        rows::by_id::<tech_needs::Entity, _, _>(&self.db, id).await
    }

    pub async fn needs_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<Need>> {
        rows::by_ids::<tech_needs::Entity, _, _>(&self.db, Column::Id, ids).await
    }

    /// Discipline and industry codes of one need.
    pub async fn need_codes(&self, id: i64) -> StoreResult<(Vec<String>, Vec<String>)> {
        let (mut d, mut i) = self.need_codes_many(&[id]).await?;
        Ok((
            d.remove(&id).unwrap_or_default(),
            i.remove(&id).unwrap_or_default(),
        ))
    }

    /// Discipline codes of many needs.
    pub async fn need_disciplines(&self, ids: &[i64]) -> StoreResult<HashMap<i64, Vec<String>>> {
        NEED_DISCIPLINES.load(&self.db, ids).await
    }

    /// Industry codes of many needs.
    pub async fn need_industries(&self, ids: &[i64]) -> StoreResult<HashMap<i64, Vec<String>>> {
        NEED_INDUSTRIES.load(&self.db, ids).await
    }

    /// Discipline and industry codes of many needs, in two queries.
    pub async fn need_codes_many(
        &self,
        ids: &[i64],
    ) -> StoreResult<(HashMap<i64, Vec<String>>, HashMap<i64, Vec<String>>)> {
        let disciplines = NEED_DISCIPLINES.load::<_, String>(&self.db, ids).await?;
        let industries = NEED_INDUSTRIES.load::<_, String>(&self.db, ids).await?;
        Ok((disciplines, industries))
    }

    /// One page of the needs `scope` may see.
    pub async fn list_needs(
        &self,
        scope: &Scope,
        filter: &NeedFilter,
        sort: NeedSort,
        descending: bool,
        args: PageArgs,
    ) -> StoreResult<Page<Need>> {
        let select = list_select(scope, filter);
        paginate_records(
            &self.db,
            select,
            sort_key(sort),
            Column::Id,
            descending,
            args,
        )
        .await
    }

    /// Like [`Store::list_needs`], each need with its organisation, read in
    /// the same statement.
    pub async fn list_needs_with_organizations(
        &self,
        scope: &Scope,
        filter: &NeedFilter,
        sort: NeedSort,
        descending: bool,
        args: PageArgs,
    ) -> StoreResult<Page<(Need, Option<Organization>)>> {
        let (column, key_of) = sort_key(sort);
        paginate_also_related(
            &self.db,
            list_select(scope, filter),
            organizations::Entity,
            column,
            Column::Id,
            descending,
            args,
            key_of,
        )
        .await?
        .try_map(|(need, organization)| {
            Ok::<_, StoreError>((
                need.try_into()?,
                organization.map(TryInto::try_into).transpose()?,
            ))
        })
    }
}

/// The needs `scope` may see that pass `filter`.
fn list_select(scope: &Scope, filter: &NeedFilter) -> Select<tech_needs::Entity> {
    let cond = Condition::all()
        .add(scope_condition(scope))
        .add_option(
            filter
                .organization_id
                .map(|org| Column::OrganizationId.eq(org)),
        )
        .add_option(statuses_in(Column::Status, &filter.statuses))
        .add_option(filter.visibility.map(|v| Column::Visibility.eq(v.as_str())))
        .add_option(keyword_in(
            &filter.keyword,
            &[Column::Title, Column::Description, Column::Keywords],
        ))
        .add_option(NEED_DISCIPLINES.owners_with_prefix(Column::Id, &filter.discipline_code))
        .add_option(NEED_INDUSTRIES.owners_with_prefix(Column::Id, &filter.industry_code))
        .add_option(filter.agreement_id.map(|a| Column::AgreementId.eq(a)));
    tech_needs::Entity::find().filter(cond)
}

/// The column a list is sorted by, and a row's position in that order.
fn sort_key(sort: NeedSort) -> Order<tech_needs::Entity> {
    match sort {
        NeedSort::CreatedAt => (Column::Id, |m| Key::new(m.id, m.id)),
        NeedSort::UpdatedAt => (Column::UpdatedAt, |m| Key::new(m.updated_at, m.id)),
        NeedSort::Title => (Column::Title, |m| Key::new(m.title.clone(), m.id)),
    }
}

impl Store {
    /// Creates many needs in one transaction (all or nothing) with the given
    /// status (any status but DRAFT gets `published_at`). Each row is
    /// `(organisation id, fields)`, already validated; `progress` is called
    /// with the number of rows written so far. Returns the needs in input
    /// order.
    pub async fn import_needs(
        &self,
        created_by: i64,
        rows: Vec<(i64, NeedFields)>,
        status: NeedStatus,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> StoreResult<Vec<Need>> {
        let now = Utc::now();
        let txn = self.write().await?;
        let mut created = Vec::with_capacity(rows.len());
        for (organization_id, fields) in rows {
            let (new, industry_codes) = new_need(organization_id, created_by, status, fields);
            let model = need_row(&new, now).insert(&txn).await?;
            let mut links = NeedLinks::default();
            links.add(model.id, &new, industry_codes);
            links.insert(&txn).await?;
            created.push(Need::try_from(model)?);
            progress(created.len());
        }
        txn.commit().await?;
        Ok(created)
    }
}
