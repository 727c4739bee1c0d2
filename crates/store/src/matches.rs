//! Match rows (the life cycle of a suggested pair) and the bulk reads the
//! matching pipeline needs.

use iurhub_domain::Message;
use iurhub_domain::records::notifications::{NoticeSubject, Notices};
use std::collections::{HashMap, HashSet};

use chrono::Utc;
use iurhub_domain::docking::Docking;
use iurhub_domain::{CapabilityStatus, DeclineReason, InterestStatus, MatchSide, MatchStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::entities::{interests, matches, research_capabilities, talent_profiles, tech_needs};
use crate::links::{CAPABILITY_DISCIPLINES, CAPABILITY_TALENTS, TALENT_DISCIPLINES};
use crate::rows::Records;
use crate::{Store, StoreError, StoreResult, parse_enum, parse_json};

pub use iurhub_domain::records::matches::{
    IndexText, Interest, InterestTarget, MatchDecision, MatchRow, SideState,
};

/// What matching keeps in memory of a capability's own row (its disciplines,
/// talents and organisation are read apart).
#[derive(Debug, Clone, PartialEq)]
pub struct CapabilityFacts {
    pub id: i64,
    pub organization_id: i64,
    pub status: CapabilityStatus,
    pub trl: Option<i32>,
}

/// The index text of a row read in parts; `keywords` is the stored JSON.
fn index_text(
    (id, organization_id): (i64, i64),
    title: String,
    subtitle: Option<String>,
    body: String,
    keywords: &str,
    shared: bool,
) -> StoreResult<IndexText> {
    Ok(IndexText {
        id,
        organization_id,
        title,
        subtitle,
        body,
        keywords: parse_json(keywords)?,
        shared,
    })
}

impl TryFrom<matches::Model> for MatchRow {
    type Error = StoreError;
    fn try_from(m: matches::Model) -> StoreResult<Self> {
        Ok(MatchRow {
            id: m.id,
            need_id: m.need_id,
            capability_id: m.capability_id,
            status: parse_enum(&m.status)?,
            score: m.score,
            factors: m.factors,
            matched_terms: m.matched_terms,
            decline_reason: m.decline_reason.as_deref().map(parse_enum).transpose()?,
            decline_comment: m.decline_comment,
            decided_by: m.decided_by,
            updated_at: m.updated_at,
            need_side: SideState {
                decision: m.need_decision.as_deref().map(parse_enum).transpose()?,
                decided_by: m.need_decided_by,
                decided_at: m.need_decided_at,
            },
            capability_side: SideState {
                decision: m
                    .capability_decision
                    .as_deref()
                    .map(parse_enum)
                    .transpose()?,
                decided_by: m.capability_decided_by,
                decided_at: m.capability_decided_at,
            },
        })
    }
}

impl TryFrom<interests::Model> for Interest {
    type Error = StoreError;
    fn try_from(m: interests::Model) -> StoreResult<Self> {
        Ok(Interest {
            id: m.id,
            need_id: m.need_id,
            capability_id: m.capability_id,
            talent_id: m.talent_id,
            message: m.message,
            status: parse_enum(&m.status)?,
            created_by: m.created_by,
            created_at: m.created_at,
            reviewed_by: m.reviewed_by,
            reviewed_at: m.reviewed_at,
            decline_reason: m.decline_reason.as_deref().map(parse_enum).transpose()?,
        })
    }
}

/// A new interest (see [`Store::add_interest`]).
#[derive(Debug, Clone)]
pub struct NewInterest {
    pub need_id: i64,
    pub target: InterestTarget,
    pub message: String,
    pub created_by: i64,
}

impl Store {
    /// Every need, capability and talent, for rebuilding the search index.
    /// What the text index holds of every need, by id.
    pub async fn need_texts(&self) -> StoreResult<Vec<IndexText>> {
        use tech_needs::Column as C;
        let rows: Vec<(i64, i64, String, String, String, String, String)> =
            tech_needs::Entity::find()
                .select_only()
                .columns([
                    C::Id,
                    C::OrganizationId,
                    C::Title,
                    C::Description,
                    C::Keywords,
                    C::Status,
                    C::Visibility,
                ])
                .order_by_asc(C::Id)
                .into_tuple()
                .all(&self.db)
                .await?;
        rows.into_iter()
            .map(|(id, org, title, body, keywords, status, visibility)| {
                let shared = iurhub_domain::policy::need_is_shared(
                    parse_enum(&status)?,
                    parse_enum(&visibility)?,
                );
                index_text((id, org), title, None, body, &keywords, shared)
            })
            .collect()
    }

    /// What the text index holds of every capability, by id.
    pub async fn capability_texts(&self) -> StoreResult<Vec<IndexText>> {
        use research_capabilities::Column as C;
        let rows: Vec<(i64, i64, String, String, String, String)> =
            research_capabilities::Entity::find()
                .select_only()
                .columns([
                    C::Id,
                    C::OrganizationId,
                    C::Title,
                    C::Summary,
                    C::Keywords,
                    C::Status,
                ])
                .order_by_asc(C::Id)
                .into_tuple()
                .all(&self.db)
                .await?;
        rows.into_iter()
            .map(|(id, org, title, body, keywords, status)| {
                let shared =
                    parse_enum::<CapabilityStatus>(&status)? == CapabilityStatus::Published;
                index_text((id, org), title, None, body, &keywords, shared)
            })
            .collect()
    }

    /// What the text index holds of every talent, by id (the title is the
    /// name, the subtitle the academic title).
    pub async fn talent_texts(&self) -> StoreResult<Vec<IndexText>> {
        use talent_profiles::Column as C;
        let rows: Vec<(i64, i64, String, Option<String>, String, String)> =
            talent_profiles::Entity::find()
                .select_only()
                .columns([
                    C::Id,
                    C::OrganizationId,
                    C::Name,
                    C::Title,
                    C::Bio,
                    C::Keywords,
                ])
                .order_by_asc(C::Id)
                .into_tuple()
                .all(&self.db)
                .await?;
        rows.into_iter()
            .map(|(id, org, name, title, bio, keywords)| {
                index_text((id, org), name, title, bio, &keywords, true)
            })
            .collect()
    }

    /// Discipline codes of many capabilities.
    pub async fn capability_disciplines(
        &self,
        ids: &[i64],
    ) -> StoreResult<HashMap<i64, Vec<String>>> {
        CAPABILITY_DISCIPLINES.load(&self.db, ids).await
    }

    /// Talent ids of many capabilities.
    pub async fn capability_talent_ids(&self, ids: &[i64]) -> StoreResult<HashMap<i64, Vec<i64>>> {
        CAPABILITY_TALENTS.load(&self.db, ids).await
    }

    /// Discipline codes of many talents.
    pub async fn talent_disciplines(&self, ids: &[i64]) -> StoreResult<HashMap<i64, Vec<String>>> {
        TALENT_DISCIPLINES.load(&self.db, ids).await
    }

    /// Completed cooperation projects per party organisation that count for
    /// its track record (the rule: [`iurhub_domain::TRACK_RECORD_MIN_DAYS`]).
    pub async fn completed_projects(
        &self,
        organization_ids: &[i64],
    ) -> StoreResult<HashMap<i64, u32>> {
        if organization_ids.is_empty() {
            return Ok(HashMap::new());
        }
        self.completed_projects_of(Some(organization_ids)).await
    }

    /// [`Store::completed_projects`] of the given organisations, or of every
    /// organisation with `None`.
    pub async fn completed_projects_of(
        &self,
        organization_ids: Option<&[i64]>,
    ) -> StoreResult<HashMap<i64, u32>> {
        let backend = self.db.get_database_backend();
        let days = iurhub_domain::TRACK_RECORD_MIN_DAYS;
        let ran_long_enough = match backend {
            sea_orm::DatabaseBackend::Postgres => {
                format!("p.updated_at - p.created_at >= INTERVAL '{days} days'")
            }
            _ => format!("julianday(p.updated_at) - julianday(p.created_at) >= {days}"),
        };
        // Ids are integers: listed inline, no text of a client's reaches the SQL.
        let wanted = match organization_ids {
            Some(ids) => format!(
                "AND pp.organization_id IN ({})",
                ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
            ),
            None => String::new(),
        };
        let sql = format!(
            "WITH RECURSIVE roots(id, root) AS ( \
                SELECT id, id FROM organizations WHERE parent_id IS NULL \
                UNION ALL \
                SELECT o.id, r.root FROM organizations o JOIN roots r ON o.parent_id = r.id \
            ) \
            SELECT pp.organization_id, COUNT(DISTINCT p.id) \
            FROM cooperation_projects p \
            JOIN project_parties pp ON pp.project_id = p.id \
            JOIN roots mine ON mine.id = pp.organization_id \
            WHERE p.status = 'COMPLETED' \
              {wanted} \
              AND {ran_long_enough} \
              AND (p.match_id IS NOT NULL \
                   OR p.created_by IN (SELECT id FROM users WHERE platform_role IS NOT NULL)) \
              AND EXISTS (SELECT 1 FROM project_parties other \
                          JOIN roots theirs ON theirs.id = other.organization_id \
                          WHERE other.project_id = p.id AND theirs.root <> mine.root) \
            GROUP BY pp.organization_id"
        );
        let rows = self
            .db
            .query_all_raw(sea_orm::Statement::from_string(backend, sql))
            .await?;
        let mut out = HashMap::new();
        for row in rows {
            let org: i64 = row.try_get_by_index(0)?;
            let n: i64 = row.try_get_by_index(1)?;
            out.insert(org, u32::try_from(n).unwrap_or(u32::MAX));
        }
        Ok(out)
    }

    /// The structured facts of capabilities that matching keeps in memory,
    /// by id: every capability with `None`.
    pub async fn capability_facts(&self, ids: Option<&[i64]>) -> StoreResult<Vec<CapabilityFacts>> {
        use research_capabilities::Column as C;
        let mut select = research_capabilities::Entity::find()
            .select_only()
            .columns([C::Id, C::OrganizationId, C::Status, C::Trl]);
        if let Some(ids) = ids {
            select = select.filter(C::Id.is_in(ids.iter().copied()));
        }
        let rows: Vec<(i64, i64, String, Option<i32>)> = select
            .order_by_asc(C::Id)
            .into_tuple()
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|(id, organization_id, status, trl)| {
                Ok(CapabilityFacts {
                    id,
                    organization_id,
                    status: parse_enum(&status)?,
                    trl,
                })
            })
            .collect()
    }

    /// Discipline codes of every capability.
    pub async fn all_capability_disciplines(&self) -> StoreResult<HashMap<i64, Vec<String>>> {
        CAPABILITY_DISCIPLINES.load_all(&self.db).await
    }

    /// Talent ids of every capability.
    pub async fn all_capability_talent_ids(&self) -> StoreResult<HashMap<i64, Vec<i64>>> {
        CAPABILITY_TALENTS.load_all(&self.db).await
    }

    /// The modes talents are available for, by talent id: every talent with
    /// `None`.
    pub async fn talent_availability(
        &self,
        ids: Option<&[i64]>,
    ) -> StoreResult<HashMap<i64, Vec<iurhub_domain::CooperationMode>>> {
        use talent_profiles::Column as C;
        let mut select = talent_profiles::Entity::find()
            .select_only()
            .columns([C::Id, C::Availability]);
        if let Some(ids) = ids {
            select = select.filter(C::Id.is_in(ids.iter().copied()));
        }
        let rows: Vec<(i64, String)> = select.into_tuple().all(&self.db).await?;
        rows.into_iter()
            .map(|(id, availability)| Ok((id, parse_json(&availability)?)))
            .collect()
    }

    /// The province of every organisation.
    pub async fn organization_provinces(&self) -> StoreResult<HashMap<i64, Option<String>>> {
        use crate::entities::organizations::{Column as C, Entity};
        let rows: Vec<(i64, Option<String>)> = Entity::find()
            .select_only()
            .columns([C::Id, C::RegionProvince])
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// Stored rows of a need's pairs.
    pub async fn matches_of_need(&self, need_id: i64) -> StoreResult<Vec<MatchRow>> {
        matches::Entity::find()
            .filter(matches::Column::NeedId.eq(need_id))
            .records(&self.db)
            .await
    }

    /// Stored rows of a capability's pairs.
    pub async fn matches_of_capability(&self, capability_id: i64) -> StoreResult<Vec<MatchRow>> {
        matches::Entity::find()
            .filter(matches::Column::CapabilityId.eq(capability_id))
            .records(&self.db)
            .await
    }

    pub async fn match_row(
        &self,
        need_id: i64,
        capability_id: i64,
    ) -> StoreResult<Option<MatchRow>> {
        matches::Entity::find()
            .filter(matches::Column::NeedId.eq(need_id))
            .filter(matches::Column::CapabilityId.eq(capability_id))
            .one(&self.db)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    /// Capabilities declined for a need: never suggested again.
    pub async fn declined_for_need(&self, need_id: i64) -> StoreResult<HashSet<i64>> {
        Ok(self
            .matches_of_need(need_id)
            .await?
            .into_iter()
            .filter(|m| m.status == MatchStatus::Declined)
            .map(|m| m.capability_id)
            .collect())
    }

    /// Records a decision on a pair. `from` is where the pair stood when
    /// the caller decided (`None`: no row yet); a pair changed meanwhile is
    /// a CONFLICT. The deciding side's decision is stamped with the user and
    /// the instant.
    pub async fn decide_match(
        &self,
        need_id: i64,
        capability_id: i64,
        from: Option<Docking>,
        decision: MatchDecision,
        notices: &mut Notices,
    ) -> StoreResult<MatchRow> {
        let now = Utc::now();
        let txn = self.write().await?;
        let to = decision.docking;
        let decided = to.status.is_decided();
        let text = |d: Option<iurhub_domain::SideDecision>| d.map(|d| d.as_str().to_owned());
        let stamps = |side: MatchSide| {
            let mine = decision.side == side && to.decision(side).is_some();
            (mine.then_some(decision.decided_by), mine.then_some(now))
        };
        let (need_by, need_at) = stamps(MatchSide::Need);
        let (cap_by, cap_at) = stamps(MatchSide::Capability);
        match from {
            None => {
                matches::ActiveModel {
                    need_id: Set(need_id),
                    capability_id: Set(capability_id),
                    score: Set(decision.score),
                    factors: Set(decision.factors),
                    matched_terms: Set(decision.matched_terms),
                    status: Set(to.status.as_str().to_owned()),
                    decline_reason: Set(decision.decline_reason.map(|r| r.as_str().to_owned())),
                    decline_comment: Set(decision.decline_comment),
                    decided_by: Set(Some(decision.decided_by)),
                    decided_at: Set(decided.then_some(now)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    need_decision: Set(text(to.need)),
                    need_decided_by: Set(need_by),
                    need_decided_at: Set(need_at),
                    capability_decision: Set(text(to.capability)),
                    capability_decided_by: Set(cap_by),
                    capability_decided_at: Set(cap_at),
                    ..Default::default()
                }
                .insert(&txn)
                .await
                .map_err(crate::error::unique_as("id", "match.decided_meanwhile"))?;
            }
            Some(from) => {
                use matches::Column as C;
                let mut update = matches::Entity::update_many()
                    .col_expr(C::Status, Expr::value(to.status.as_str()))
                    .col_expr(C::Score, Expr::value(decision.score))
                    .col_expr(C::Factors, Expr::value(decision.factors))
                    .col_expr(C::MatchedTerms, Expr::value(decision.matched_terms))
                    .col_expr(C::DecidedBy, Expr::value(Some(decision.decided_by)))
                    .col_expr(C::UpdatedAt, Expr::value(now));
                if decision.decline_reason.is_some() {
                    update = update
                        .col_expr(
                            C::DeclineReason,
                            Expr::value(decision.decline_reason.map(|r| r.as_str().to_owned())),
                        )
                        .col_expr(C::DeclineComment, Expr::value(decision.decline_comment));
                }
                if decided {
                    update = update.col_expr(C::DecidedAt, Expr::value(Some(now)));
                }
                update = match decision.side {
                    MatchSide::Need => update
                        .col_expr(C::NeedDecision, Expr::value(text(to.need)))
                        .col_expr(C::NeedDecidedBy, Expr::value(need_by))
                        .col_expr(C::NeedDecidedAt, Expr::value(need_at)),
                    MatchSide::Capability => update
                        .col_expr(C::CapabilityDecision, Expr::value(text(to.capability)))
                        .col_expr(C::CapabilityDecidedBy, Expr::value(cap_by))
                        .col_expr(C::CapabilityDecidedAt, Expr::value(cap_at)),
                };
                let same = |col: C, d: Option<iurhub_domain::SideDecision>| match d {
                    Some(d) => col.eq(d.as_str()),
                    None => col.is_null(),
                };
                let res = update
                    .filter(C::NeedId.eq(need_id))
                    .filter(C::CapabilityId.eq(capability_id))
                    .filter(C::Status.eq(from.status.as_str()))
                    .filter(same(C::NeedDecision, from.need))
                    .filter(same(C::CapabilityDecision, from.capability))
                    .exec(&txn)
                    .await?;
                if res.rows_affected == 0 {
                    return Err(StoreError::conflict(
                        "id",
                        Message::new("match.decided_meanwhile"),
                    ));
                }
            }
        }
        crate::notifications::write_notices(&txn, notices, None, now).await?;
        txn.commit().await?;
        self.match_row(need_id, capability_id)
            .await?
            .ok_or(StoreError::NotFound("match"))
    }

    /// Stored rows of many pairs, by (need, capability).
    pub async fn match_rows_of_capabilities(
        &self,
        capability_ids: &[i64],
    ) -> StoreResult<Vec<MatchRow>> {
        matches::Entity::find()
            .filter(matches::Column::CapabilityId.is_in(capability_ids.iter().copied()))
            .order_by_asc(matches::Column::Id)
            .records(&self.db)
            .await
    }

    /// Records an interest; a second one for the same (need, capability)
    /// or (need, talent) is a CONFLICT.
    pub async fn add_interest(
        &self,
        new: NewInterest,
        notices: &mut Notices,
    ) -> StoreResult<Interest> {
        let now = Utc::now();
        let txn = self.write().await?;
        let (capability_id, talent_id) = match new.target {
            InterestTarget::Capability(c) => (Some(c), None),
            InterestTarget::Talent(t) => (None, Some(t)),
        };
        let row = interests::ActiveModel {
            need_id: Set(new.need_id),
            capability_id: Set(capability_id),
            talent_id: Set(talent_id),
            message: Set(new.message),
            status: Set(InterestStatus::Pending.as_str().to_owned()),
            created_by: Set(Some(new.created_by)),
            created_at: Set(now),
            reviewed_by: Set(None),
            reviewed_at: Set(None),
            decline_reason: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(crate::error::unique_as("needId", "interest.duplicate"))?;
        let created = NoticeSubject::Interest(row.id);
        crate::notifications::write_notices(&txn, notices, Some(created), now).await?;
        txn.commit().await?;
        row.try_into()
    }

    /// One interest.
    pub async fn interest(&self, id: i64) -> StoreResult<Option<Interest>> {
        interests::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    /// The interest for (need, target), if any.
    pub async fn interest_for(
        &self,
        need_id: i64,
        target: InterestTarget,
    ) -> StoreResult<Option<Interest>> {
        let select = interests::Entity::find().filter(interests::Column::NeedId.eq(need_id));
        let select = match target {
            InterestTarget::Capability(c) => select.filter(interests::Column::CapabilityId.eq(c)),
            InterestTarget::Talent(t) => select.filter(interests::Column::TalentId.eq(t)),
        };
        select
            .one(&self.db)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    /// The interests in a need, oldest first.
    pub async fn interests_of_need(&self, need_id: i64) -> StoreResult<Vec<Interest>> {
        interests::Entity::find()
            .filter(interests::Column::NeedId.eq(need_id))
            .order_by_asc(interests::Column::Id)
            .records(&self.db)
            .await
    }

    /// Reviews a talent's interest still PENDING; one reviewed meanwhile is
    /// a CONFLICT.
    pub async fn review_interest(
        &self,
        id: i64,
        status: InterestStatus,
        reason: Option<DeclineReason>,
        reviewed_by: i64,
        notices: &mut Notices,
    ) -> StoreResult<Interest> {
        use interests::Column as C;
        let now = Utc::now();
        let txn = self.write().await?;
        let res = interests::Entity::update_many()
            .col_expr(C::Status, Expr::value(status.as_str()))
            .col_expr(C::ReviewedBy, Expr::value(Some(reviewed_by)))
            .col_expr(C::ReviewedAt, Expr::value(Some(now)))
            .col_expr(
                C::DeclineReason,
                Expr::value(reason.map(|r| r.as_str().to_owned())),
            )
            .filter(C::Id.eq(id))
            .filter(C::Status.eq(InterestStatus::Pending.as_str()))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::conflict(
                "id",
                Message::new("interest.already_reviewed"),
            ));
        }
        crate::notifications::write_notices(&txn, notices, None, now).await?;
        txn.commit().await?;
        self.interest(id)
            .await?
            .ok_or(StoreError::NotFound("interest"))
    }

    /// The parent of every organisation that has one (the organisation
    /// tree, for the groups of [`iurhub_domain::policy::group_of`]).
    pub async fn organization_parents(&self) -> StoreResult<HashMap<i64, i64>> {
        use crate::entities::organizations::{Column as C, Entity};
        let rows: Vec<(i64, Option<i64>)> = Entity::find()
            .select_only()
            .columns([C::Id, C::ParentId])
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, parent)| parent.map(|p| (id, p)))
            .collect())
    }

    /// The parents on the way up from each of `ids` to its root: the part
    /// of [`Store::organization_parents`] that the chains of `ids` walk, in
    /// one statement however deep the tree, without reading the
    /// organisations no chain reaches.
    pub async fn organization_parents_of(
        &self,
        ids: impl IntoIterator<Item = i64>,
    ) -> StoreResult<HashMap<i64, i64>> {
        let ids: std::collections::BTreeSet<i64> = ids.into_iter().collect();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let backend = self.db.get_database_backend();
        // Ids are integers: listed inline, no text of a client's reaches the SQL.
        let listed = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let sql = format!(
            "WITH RECURSIVE up(id, parent_id) AS ( \
                SELECT id, parent_id FROM organizations WHERE id IN ({listed}) \
                UNION \
                SELECT o.id, o.parent_id FROM organizations o JOIN up ON o.id = up.parent_id \
            ) \
            SELECT id, parent_id FROM up WHERE parent_id IS NOT NULL"
        );
        let rows = self
            .db
            .query_all_raw(sea_orm::Statement::from_string(backend, sql))
            .await?;
        rows.into_iter()
            .map(|row| Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?)))
            .collect()
    }
}
