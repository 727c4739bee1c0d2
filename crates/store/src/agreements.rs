//! Framework agreements (合作框架协议): the agreement row, its parties (with
//! their confirmations), areas and the people responsible on each side.
//! Every write runs in one transaction on the agreement's locked row and
//! checks the state it needs there, so concurrent writers cannot slip a
//! change past a step of the life cycle; `version` guards lost updates.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use iurhub_domain::{AgreementStatus, Message, ProjectArea};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, Set,
};

use crate::entities::{agreement_areas, agreement_parties, agreement_responsibles, agreements};
use crate::page::{Key, Page, PageArgs, paginate};
use crate::rows;
use crate::{Scope, Store, StoreError, StoreResult, parse_enum, versioned};

pub use iurhub_domain::records::agreements::{
    Agreement, AgreementFilter, AgreementParty, AgreementPatch, AgreementSort, NewAgreement,
    effective_status,
};

use agreements::Column as A;

/// The areas, parties and responsible people of agreements `ids`.
struct Parts {
    areas: HashMap<i64, Vec<ProjectArea>>,
    parties: HashMap<i64, Vec<AgreementParty>>,
}

async fn parts_of<C: ConnectionTrait>(db: &C, ids: &[i64]) -> StoreResult<Parts> {
    let mut parts = Parts {
        areas: HashMap::new(),
        parties: HashMap::new(),
    };
    if ids.is_empty() {
        return Ok(parts);
    }
    for row in agreement_areas::Entity::find()
        .filter(agreement_areas::Column::AgreementId.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        parts
            .areas
            .entry(row.agreement_id)
            .or_default()
            .push(parse_enum(&row.area)?);
    }
    for areas in parts.areas.values_mut() {
        areas.sort_unstable();
    }
    let mut responsible: HashMap<(i64, i64), Vec<i64>> = HashMap::new();
    for row in agreement_responsibles::Entity::find()
        .filter(agreement_responsibles::Column::AgreementId.is_in(ids.iter().copied()))
        .order_by_asc(agreement_responsibles::Column::UserId)
        .all(db)
        .await?
    {
        responsible
            .entry((row.agreement_id, row.organization_id))
            .or_default()
            .push(row.user_id);
    }
    for row in agreement_parties::Entity::find()
        .filter(agreement_parties::Column::AgreementId.is_in(ids.iter().copied()))
        .order_by_asc(agreement_parties::Column::OrganizationId)
        .all(db)
        .await?
    {
        parts
            .parties
            .entry(row.agreement_id)
            .or_default()
            .push(AgreementParty {
                organization_id: row.organization_id,
                confirmed_by: row.confirmed_by,
                confirmed_at: row.confirmed_at,
                responsible_user_ids: responsible
                    .remove(&(row.agreement_id, row.organization_id))
                    .unwrap_or_default(),
            });
    }
    Ok(parts)
}

fn assemble(m: agreements::Model, parts: &mut Parts) -> StoreResult<Agreement> {
    Ok(Agreement {
        id: m.id,
        title: m.title,
        signed_on: m.signed_on,
        term_start: m.term_start,
        term_end: m.term_end,
        status: parse_enum(&m.status)?,
        termination_reason: m.termination_reason,
        version: m.version,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        areas: parts.areas.remove(&m.id).unwrap_or_default(),
        parties: parts.parties.remove(&m.id).unwrap_or_default(),
    })
}

async fn load<C: ConnectionTrait>(db: &C, id: i64) -> StoreResult<Agreement> {
    let model = rows::get::<agreements::Entity, _>(db, id, "agreement").await?;
    let mut parts = parts_of(db, &[id]).await?;
    assemble(model, &mut parts)
}

/// Locks the agreement's row for the transaction and reads it whole; a
/// stale `expected_version` is a CONFLICT.
pub(crate) async fn locked(
    txn: &DatabaseTransaction,
    id: i64,
    expected_version: Option<i32>,
) -> StoreResult<Agreement> {
    rows::lock::<agreements::Entity, _>(txn, id, "agreement").await?;
    let current = load(txn, id).await?;
    versioned::AGREEMENT.check(expected_version, current.version)?;
    Ok(current)
}

/// The CONFLICT of a change to an agreement that is no longer a draft (or
/// no longer in force, for `allow_active`).
pub(crate) fn require_state(
    current: &Agreement,
    today: NaiveDate,
    allow_active: bool,
) -> StoreResult<AgreementStatus> {
    let status = current.status_on(today);
    let ok =
        status == AgreementStatus::Draft || (allow_active && status == AgreementStatus::Active);
    if ok {
        Ok(status)
    } else {
        Err(StoreError::Conflict {
            field: None,
            text: Message::new("agreement.not_editable").with("status", status),
        })
    }
}

/// Bumps the version and `updated_at` of agreement `id` (at `current`),
/// with `update`'s columns besides.
async fn bump(
    txn: &DatabaseTransaction,
    id: i64,
    update: sea_orm::UpdateMany<agreements::Entity>,
    expected_version: Option<i32>,
    current: i32,
) -> StoreResult<()> {
    versioned::AGREEMENT
        .update(txn, update, id, expected_version, current)
        .await
}

/// A changed draft needs every party's confirmation again.
async fn clear_confirmations(txn: &DatabaseTransaction, id: i64) -> StoreResult<()> {
    agreement_parties::Entity::update_many()
        .col_expr(
            agreement_parties::Column::ConfirmedBy,
            Expr::value(Option::<i64>::None),
        )
        .col_expr(
            agreement_parties::Column::ConfirmedAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(agreement_parties::Column::AgreementId.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}

async fn insert_areas(
    txn: &DatabaseTransaction,
    id: i64,
    areas: &[ProjectArea],
) -> StoreResult<()> {
    for area in areas {
        agreement_areas::ActiveModel {
            agreement_id: Set(id),
            area: Set(area.as_str().to_owned()),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

async fn insert_party(txn: &DatabaseTransaction, id: i64, org: i64) -> StoreResult<()> {
    agreement_parties::ActiveModel {
        agreement_id: Set(id),
        organization_id: Set(org),
        confirmed_by: Set(None),
        confirmed_at: Set(None),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// `agreements.id IN (SELECT agreement_id FROM agreement_parties WHERE
/// organization_id IN orgs)`.
fn with_party_in(orgs: Vec<i64>) -> sea_orm::sea_query::SimpleExpr {
    A::Id.in_subquery(
        Query::select()
            .column(agreement_parties::Column::AgreementId)
            .from(agreement_parties::Entity)
            .and_where(agreement_parties::Column::OrganizationId.is_in(orgs))
            .to_owned(),
    )
}

/// The rows whose status on `today` is `status` (EXPIRED: stored ACTIVE,
/// the term ended before today).
fn status_condition(status: AgreementStatus, today: NaiveDate) -> Condition {
    let stored = |s: AgreementStatus| A::Status.eq(s.as_str());
    match status {
        AgreementStatus::Draft | AgreementStatus::Terminated => {
            Condition::all().add(stored(status))
        }
        AgreementStatus::Active => Condition::all()
            .add(stored(AgreementStatus::Active))
            .add(A::TermEnd.gte(today)),
        AgreementStatus::Expired => Condition::all()
            .add(stored(AgreementStatus::Active))
            .add(A::TermEnd.lt(today)),
    }
}

/// The SQL form of [`iurhub_domain::policy::may_see_agreement`]: admins see
/// every agreement, others those one of whose parties they manage or
/// supervise and those they coordinate.
fn scope_condition(scope: &Scope) -> Condition {
    match scope {
        Scope::All => Condition::all(),
        Scope::Reader {
            coordinated_agreement_ids,
            ..
        } => {
            let overseen = scope.overseen_ids().unwrap_or_default();
            // Inside an AND: the list's filters are added to it.
            Condition::all().add(
                Condition::any()
                    .add(with_party_in(overseen))
                    .add(A::Id.is_in(coordinated_agreement_ids.iter().copied())),
            )
        }
    }
}

impl Store {
    /// Creates a DRAFT with its areas and parties (none confirmed yet).
    pub async fn create_agreement(&self, new: NewAgreement, actor: i64) -> StoreResult<Agreement> {
        let now = Utc::now();
        let txn = self.write().await?;
        let model = agreements::ActiveModel {
            title: Set(new.title),
            signed_on: Set(new.signed_on),
            term_start: Set(new.term_start),
            term_end: Set(new.term_end),
            status: Set(AgreementStatus::Draft.as_str().to_owned()),
            termination_reason: Set(None),
            version: Set(1),
            created_by: Set(actor),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let mut areas = new.areas;
        areas.sort_unstable();
        areas.dedup();
        insert_areas(&txn, model.id, &areas).await?;
        for org in rows::sorted(new.party_ids) {
            insert_party(&txn, model.id, org).await?;
        }
        let agreement = load(&txn, model.id).await?;
        txn.commit().await?;
        Ok(agreement)
    }

    pub async fn agreement(&self, id: i64) -> StoreResult<Option<Agreement>> {
        match load(&self.db, id).await {
            Ok(a) => Ok(Some(a)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Agreements by id, in no particular order (unknown ids left out).
    pub async fn agreements_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<Agreement>> {
        let models = agreements::Entity::find()
            .filter(A::Id.is_in(ids.iter().copied()))
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
        let mut parts = parts_of(&self.db, &ids).await?;
        models
            .into_iter()
            .map(|m| assemble(m, &mut parts))
            .collect()
    }

    /// Changes a draft's terms; every party must confirm again.
    pub async fn update_agreement(
        &self,
        id: i64,
        patch: AgreementPatch,
        expected_version: Option<i32>,
        today: NaiveDate,
    ) -> StoreResult<Agreement> {
        let txn = self.write().await?;
        let current = locked(&txn, id, expected_version).await?;
        require_state(&current, today, false)?;
        let mut update = agreements::Entity::update_many();
        let mut changed = false;
        if let Some(title) = patch.title.filter(|t| *t != current.title) {
            update = update.col_expr(A::Title, Expr::value(title));
            changed = true;
        }
        if let Some(signed) = patch.signed_on.filter(|d| *d != current.signed_on) {
            update = update.col_expr(A::SignedOn, Expr::value(signed));
            changed = true;
        }
        if let Some(start) = patch.term_start.filter(|d| *d != current.term_start) {
            update = update.col_expr(A::TermStart, Expr::value(start));
            changed = true;
        }
        if let Some(end) = patch.term_end.filter(|d| *d != current.term_end) {
            update = update.col_expr(A::TermEnd, Expr::value(end));
            changed = true;
        }
        if let Some(mut areas) = patch.areas {
            areas.sort_unstable();
            areas.dedup();
            if areas != current.areas {
                agreement_areas::Entity::delete_many()
                    .filter(agreement_areas::Column::AgreementId.eq(id))
                    .exec(&txn)
                    .await?;
                insert_areas(&txn, id, &areas).await?;
                changed = true;
            }
        }
        if !changed {
            return Ok(current);
        }
        bump(&txn, id, update, expected_version, current.version).await?;
        clear_confirmations(&txn, id).await?;
        let agreement = load(&txn, id).await?;
        txn.commit().await?;
        Ok(agreement)
    }

    /// Adds a party to a draft; every party must confirm again. A party
    /// already there is a CONFLICT on `organizationId`.
    pub async fn add_agreement_party(
        &self,
        id: i64,
        organization_id: i64,
        expected_version: Option<i32>,
        today: NaiveDate,
    ) -> StoreResult<Agreement> {
        let txn = self.write().await?;
        let current = locked(&txn, id, expected_version).await?;
        require_state(&current, today, false)?;
        if current.party(organization_id).is_some() {
            return Err(StoreError::conflict(
                "organizationId",
                Message::new("agreement.party.taken"),
            ));
        }
        insert_party(&txn, id, organization_id).await?;
        let update = agreements::Entity::update_many();
        bump(&txn, id, update, expected_version, current.version).await?;
        clear_confirmations(&txn, id).await?;
        let agreement = load(&txn, id).await?;
        txn.commit().await?;
        Ok(agreement)
    }

    /// Removes a party (and its responsible people) from a draft, keeping
    /// at least `min_parties`; every party must confirm again.
    pub async fn remove_agreement_party(
        &self,
        id: i64,
        organization_id: i64,
        expected_version: Option<i32>,
        today: NaiveDate,
        min_parties: usize,
    ) -> StoreResult<Agreement> {
        let txn = self.write().await?;
        let current = locked(&txn, id, expected_version).await?;
        require_state(&current, today, false)?;
        if current.party(organization_id).is_none() {
            return Err(StoreError::Domain(iurhub_domain::DomainError::keyed(
                "organizationId",
                Message::new("agreement.party.unknown"),
            )));
        }
        if current.parties.len() <= min_parties {
            return Err(StoreError::conflict(
                "organizationId",
                Message::new("agreement.parties.too_few").with("min", min_parties),
            ));
        }
        agreement_responsibles::Entity::delete_many()
            .filter(agreement_responsibles::Column::AgreementId.eq(id))
            .filter(agreement_responsibles::Column::OrganizationId.eq(organization_id))
            .exec(&txn)
            .await?;
        agreement_parties::Entity::delete_many()
            .filter(agreement_parties::Column::AgreementId.eq(id))
            .filter(agreement_parties::Column::OrganizationId.eq(organization_id))
            .exec(&txn)
            .await?;
        let update = agreements::Entity::update_many();
        bump(&txn, id, update, expected_version, current.version).await?;
        clear_confirmations(&txn, id).await?;
        let agreement = load(&txn, id).await?;
        txn.commit().await?;
        Ok(agreement)
    }

    /// Replaces the people responsible for one party, while the agreement
    /// is a draft or in force (people change jobs; this needs no new
    /// confirmation).
    pub async fn set_agreement_responsibles(
        &self,
        id: i64,
        organization_id: i64,
        user_ids: Vec<i64>,
        expected_version: Option<i32>,
        today: NaiveDate,
    ) -> StoreResult<Agreement> {
        let txn = self.write().await?;
        let current = locked(&txn, id, expected_version).await?;
        require_state(&current, today, true)?;
        let Some(party) = current.party(organization_id) else {
            return Err(StoreError::Domain(iurhub_domain::DomainError::keyed(
                "organizationId",
                Message::new("agreement.party.unknown"),
            )));
        };
        let user_ids = rows::sorted(user_ids);
        if party.responsible_user_ids == user_ids {
            return Ok(current);
        }
        agreement_responsibles::Entity::delete_many()
            .filter(agreement_responsibles::Column::AgreementId.eq(id))
            .filter(agreement_responsibles::Column::OrganizationId.eq(organization_id))
            .exec(&txn)
            .await?;
        for user in &user_ids {
            agreement_responsibles::ActiveModel {
                agreement_id: Set(id),
                organization_id: Set(organization_id),
                user_id: Set(*user),
            }
            .insert(&txn)
            .await?;
        }
        let update = agreements::Entity::update_many();
        bump(&txn, id, update, expected_version, current.version).await?;
        let agreement = load(&txn, id).await?;
        txn.commit().await?;
        Ok(agreement)
    }

    /// Records `by`'s confirmation of a draft for `organization_ids` (those
    /// already confirmed keep theirs). When every party has confirmed, the
    /// agreement becomes ACTIVE, signed on `today` unless a date was given.
    pub async fn confirm_agreement(
        &self,
        id: i64,
        organization_ids: &[i64],
        by: i64,
        expected_version: Option<i32>,
        today: NaiveDate,
    ) -> StoreResult<Agreement> {
        let txn = self.write().await?;
        let current = locked(&txn, id, expected_version).await?;
        let status = current.status_on(today);
        status
            .transition(AgreementStatus::Active)
            .map_err(|_| transition_conflict(status, AgreementStatus::Active))?;
        let now = Utc::now();
        agreement_parties::Entity::update_many()
            .col_expr(agreement_parties::Column::ConfirmedBy, Expr::value(by))
            .col_expr(agreement_parties::Column::ConfirmedAt, Expr::value(now))
            .filter(agreement_parties::Column::AgreementId.eq(id))
            .filter(
                agreement_parties::Column::OrganizationId.is_in(organization_ids.iter().copied()),
            )
            .filter(agreement_parties::Column::ConfirmedBy.is_null())
            .exec(&txn)
            .await?;
        let confirmed = load(&txn, id).await?;
        let mut update = agreements::Entity::update_many();
        if confirmed.confirmed_by_every_party() {
            update = update.col_expr(A::Status, Expr::value(AgreementStatus::Active.as_str()));
            if confirmed.signed_on.is_none() {
                update = update.col_expr(A::SignedOn, Expr::value(today));
            }
        }
        bump(&txn, id, update, expected_version, current.version).await?;
        let agreement = load(&txn, id).await?;
        txn.commit().await?;
        Ok(agreement)
    }

    /// Ends a draft or an agreement in force, with the reason.
    pub async fn terminate_agreement(
        &self,
        id: i64,
        reason: String,
        expected_version: Option<i32>,
        today: NaiveDate,
    ) -> StoreResult<Agreement> {
        let txn = self.write().await?;
        let current = locked(&txn, id, expected_version).await?;
        let status = current.status_on(today);
        status
            .transition(AgreementStatus::Terminated)
            .map_err(|_| transition_conflict(status, AgreementStatus::Terminated))?;
        let update = agreements::Entity::update_many()
            .col_expr(A::Status, Expr::value(AgreementStatus::Terminated.as_str()))
            .col_expr(A::TerminationReason, Expr::value(reason));
        bump(&txn, id, update, expected_version, current.version).await?;
        let agreement = load(&txn, id).await?;
        txn.commit().await?;
        Ok(agreement)
    }

    /// The agreements `scope` may see that pass `filter`, one page.
    pub async fn list_agreements(
        &self,
        scope: &Scope,
        filter: &AgreementFilter,
        sort: AgreementSort,
        descending: bool,
        args: PageArgs,
    ) -> StoreResult<Page<Agreement>> {
        let today = filter.today.unwrap_or_else(|| Utc::now().date_naive());
        let mut cond = scope_condition(scope);
        if !filter.statuses.is_empty() {
            let mut any = Condition::any();
            for status in &filter.statuses {
                any = any.add(status_condition(*status, today));
            }
            cond = cond.add(any);
        }
        if !filter.areas.is_empty() {
            cond = cond.add(
                A::Id.in_subquery(
                    Query::select()
                        .column(agreement_areas::Column::AgreementId)
                        .from(agreement_areas::Entity)
                        .and_where(
                            agreement_areas::Column::Area
                                .is_in(filter.areas.iter().map(|a| a.as_str())),
                        )
                        .to_owned(),
                ),
            );
        }
        if let Some(org) = filter.party_organization_id {
            cond = cond.add(with_party_in(vec![org]));
        }
        let select = agreements::Entity::find().filter(cond);
        let (column, key_of): (A, fn(&agreements::Model) -> Key) = match sort {
            AgreementSort::CreatedAt => (A::Id, |m| Key::new(m.id, m.id)),
            AgreementSort::UpdatedAt => (A::UpdatedAt, |m| Key::new(m.updated_at, m.id)),
        };
        let page = paginate(&self.db, select, column, A::Id, descending, args, key_of).await?;
        let ids: Vec<i64> = page.items.iter().map(|(_, m)| m.id).collect();
        let mut parts = parts_of(&self.db, &ids).await?;
        page.try_map(|m| assemble(m, &mut parts))
    }
}

/// A refused step of an agreement's life cycle: a CONFLICT with its state.
pub fn transition_conflict(from: AgreementStatus, to: AgreementStatus) -> StoreError {
    StoreError::Conflict {
        field: None,
        text: Message::new("agreement.transition.not_allowed")
            .with("entity", "agreement")
            .with("from", from)
            .with("to", to),
    }
}
