//! Dashboard figures, counted by the database: every count is a
//! `SELECT … GROUP BY` over the records of a scope (the platform, a set of
//! organisations, a framework agreement) created in a period.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use iurhub_domain::{
    CapabilityStatus, ChecklistStatus, MatchStatus, NeedStatus, ProjectArea, ProjectStatus,
};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query, SelectStatement, SimpleExpr};
use sea_orm::{
    ColumnTrait, DatabaseBackend, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QuerySelect,
    RelationTrait,
};

use crate::entities::{
    checklist_items, cooperation_projects, matches, project_parties, research_capabilities,
    tech_needs,
};
use crate::{Store, StoreResult, parse_enum};

pub use iurhub_domain::records::stats::{
    MonthFigures, OrganizationFigures, Period, Stats, StatsScope,
};

use cooperation_projects::Column as P;
use matches::Column as M;
use research_capabilities::Column as C;
use tech_needs::Column as N;

/// `column` within the period (a null instant never is, when bounded).
fn within<T: ColumnTrait>(column: T, period: &Period) -> Condition {
    let mut cond = Condition::all();
    if let Some(start) = period.start() {
        cond = cond.add(column.gte(start));
    }
    if let Some(end) = period.end() {
        cond = cond.add(column.lt(end));
    }
    cond
}

/// The ids of the projects of the scope, as a subquery.
fn projects_of(scope: &StatsScope) -> Option<SelectStatement> {
    match scope {
        StatsScope::Platform => None,
        StatsScope::Organizations(ids) => Some(
            Query::select()
                .column(project_parties::Column::ProjectId)
                .from(project_parties::Entity)
                .and_where(project_parties::Column::OrganizationId.is_in(ids.iter().copied()))
                .to_owned(),
        ),
        StatsScope::Agreement { agreement_id, .. } => Some(
            Query::select()
                .column(P::Id)
                .from(cooperation_projects::Entity)
                .and_where(P::AgreementId.eq(*agreement_id))
                .to_owned(),
        ),
    }
}

fn project_scope(scope: &StatsScope) -> Condition {
    match projects_of(scope) {
        None => Condition::all(),
        Some(ids) => Condition::all().add(P::Id.in_subquery(ids)),
    }
}

fn need_scope(scope: &StatsScope) -> Condition {
    match scope {
        StatsScope::Platform => Condition::all(),
        StatsScope::Organizations(ids) => {
            Condition::all().add(N::OrganizationId.is_in(ids.iter().copied()))
        }
        StatsScope::Agreement { agreement_id, .. } => {
            Condition::all().add(N::AgreementId.eq(*agreement_id))
        }
    }
}

fn capability_scope(scope: &StatsScope) -> Condition {
    match scope {
        StatsScope::Platform => Condition::all(),
        StatsScope::Organizations(ids)
        | StatsScope::Agreement {
            organization_ids: ids,
            ..
        } => Condition::all().add(C::OrganizationId.is_in(ids.iter().copied())),
    }
}

/// Matches of the scope: of its needs, or (organisations) of its
/// capabilities too.
fn match_scope(scope: &StatsScope) -> Condition {
    let needs = |cond: Condition| {
        Query::select()
            .column(N::Id)
            .from(tech_needs::Entity)
            .cond_where(cond)
            .to_owned()
    };
    match scope {
        StatsScope::Platform => Condition::all(),
        StatsScope::Organizations(ids) => Condition::any()
            .add(M::NeedId.in_subquery(needs(need_scope(scope))))
            .add(
                M::CapabilityId.in_subquery(
                    Query::select()
                        .column(C::Id)
                        .from(research_capabilities::Entity)
                        .and_where(C::OrganizationId.is_in(ids.iter().copied()))
                        .to_owned(),
                ),
            ),
        StatsScope::Agreement { .. } => {
            Condition::all().add(M::NeedId.in_subquery(needs(need_scope(scope))))
        }
    }
}

/// `YYYY-MM` of an instant column in China Standard Time, in the
/// backend's SQL.
fn month_of(backend: DatabaseBackend, table: &str, column: &str) -> SimpleExpr {
    Expr::cust(match backend {
        DatabaseBackend::Postgres => {
            format!("to_char(\"{table}\".\"{column}\" AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')")
        }
        _ => format!("strftime('%Y-%m', \"{table}\".\"{column}\", '+8 hours')"),
    })
}

/// `(value, count)` per vocabulary value, zeros included.
fn in_order<T: Copy + PartialEq>(all: &[T], found: Vec<(T, u64)>) -> Vec<(T, u64)> {
    all.iter()
        .map(|v| {
            let n = found.iter().find(|(f, _)| f == v).map_or(0, |(_, n)| *n);
            (*v, n)
        })
        .collect()
}

/// The median of a non-empty, unsorted list.
fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

fn org(orgs: &mut BTreeMap<i64, OrganizationFigures>, id: i64) -> &mut OrganizationFigures {
    orgs.entry(id).or_insert_with(|| OrganizationFigures {
        organization_id: id,
        ..Default::default()
    })
}

fn month(months: &mut BTreeMap<String, MonthFigures>, m: String) -> &mut MonthFigures {
    months.entry(m.clone()).or_insert_with(|| MonthFigures {
        month: m,
        ..Default::default()
    })
}

/// Parses grouped `(text, count)` rows into vocabulary values.
fn parsed<T>(rows: Vec<(String, i64)>) -> StoreResult<Vec<(T, u64)>>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    rows.into_iter()
        .map(|(v, n)| Ok((parse_enum::<T>(&v)?, n as u64)))
        .collect()
}

impl Store {
    /// The figures of `scope` for `period`; `today` (China Standard Time)
    /// judges overdue checklist items.
    pub async fn stats(
        &self,
        scope: &StatsScope,
        period: &Period,
        today: NaiveDate,
    ) -> StoreResult<Stats> {
        let db = &self.db;
        let backend = db.get_database_backend();
        let needs = Condition::all()
            .add(need_scope(scope))
            .add(within(N::CreatedAt, period));
        let capabilities = Condition::all()
            .add(capability_scope(scope))
            .add(within(C::CreatedAt, period));
        let matches_cond = Condition::all()
            .add(match_scope(scope))
            .add(within(M::CreatedAt, period));
        let projects = Condition::all()
            .add(project_scope(scope))
            .add(within(P::CreatedAt, period));

        let rows: Vec<(String, i64)> = tech_needs::Entity::find()
            .select_only()
            .column(N::Status)
            .column_as(Expr::col(N::Status).count(), "n")
            .filter(needs.clone())
            .group_by(N::Status)
            .into_tuple()
            .all(db)
            .await?;
        let needs_by_status = in_order(NeedStatus::ALL, parsed(rows)?);
        let rows: Vec<(String, i64)> = research_capabilities::Entity::find()
            .select_only()
            .column(C::Status)
            .column_as(Expr::col(C::Status).count(), "n")
            .filter(capabilities.clone())
            .group_by(C::Status)
            .into_tuple()
            .all(db)
            .await?;
        let capabilities_by_status = in_order(CapabilityStatus::ALL, parsed(rows)?);
        let rows: Vec<(String, i64)> = matches::Entity::find()
            .select_only()
            .column(M::Status)
            .column_as(Expr::col(M::Status).count(), "n")
            .filter(matches_cond)
            .group_by(M::Status)
            .into_tuple()
            .all(db)
            .await?;
        let matches_by_status = in_order(MatchStatus::ALL, parsed(rows)?);
        let count_of = |status: MatchStatus| {
            matches_by_status
                .iter()
                .find(|(s, _)| *s == status)
                .map_or(0, |(_, n)| *n)
        };
        let (accepted, declined) = (
            count_of(MatchStatus::Accepted),
            count_of(MatchStatus::Declined),
        );
        let acceptance_rate =
            (accepted + declined > 0).then(|| accepted as f64 / (accepted + declined) as f64);
        let rows: Vec<(String, i64)> = cooperation_projects::Entity::find()
            .select_only()
            .column(P::Area)
            .column_as(Expr::col(P::Area).count(), "n")
            .filter(projects.clone())
            .group_by(P::Area)
            .into_tuple()
            .all(db)
            .await?;
        let projects_by_area = in_order(ProjectArea::ALL, parsed(rows)?);
        let rows: Vec<(String, i64)> = cooperation_projects::Entity::find()
            .select_only()
            .column(P::Status)
            .column_as(Expr::col(P::Status).count(), "n")
            .filter(projects.clone())
            .group_by(P::Status)
            .into_tuple()
            .all(db)
            .await?;
        let projects_by_status = in_order(ProjectStatus::ALL, parsed(rows)?);
        let project_ids = Query::select()
            .column(P::Id)
            .from(cooperation_projects::Entity)
            .cond_where(projects.clone())
            .to_owned();
        let overdue_checklist_items = checklist_items::Entity::find()
            .filter(checklist_items::Column::Status.ne(ChecklistStatus::Done.as_str()))
            .filter(checklist_items::Column::DueDate.lt(today))
            .filter(checklist_items::Column::ProjectId.in_subquery(project_ids))
            .count(db)
            .await?;
        let pairs: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> =
            cooperation_projects::Entity::find()
                .select_only()
                .column(P::CreatedAt)
                .column(N::PublishedAt)
                .join(
                    JoinType::InnerJoin,
                    cooperation_projects::Relation::TechNeed.def(),
                )
                .filter(projects.clone())
                .into_tuple()
                .all(db)
                .await?;
        let days = pairs
            .into_iter()
            .filter_map(|(project, published)| {
                Some((project - published?).num_seconds() as f64 / 86_400.0)
            })
            .collect();

        // By organisation.
        let mut orgs: BTreeMap<i64, OrganizationFigures> = BTreeMap::new();
        let rows: Vec<(i64, i64)> = tech_needs::Entity::find()
            .select_only()
            .column(N::OrganizationId)
            .column_as(Expr::col(N::Id).count(), "n")
            .filter(needs.clone())
            .group_by(N::OrganizationId)
            .into_tuple()
            .all(db)
            .await?;
        for (id, n) in rows {
            org(&mut orgs, id).needs = n as u64;
        }
        let rows: Vec<(i64, i64)> = research_capabilities::Entity::find()
            .select_only()
            .column(C::OrganizationId)
            .column_as(Expr::col(C::Id).count(), "n")
            .filter(capabilities.clone())
            .group_by(C::OrganizationId)
            .into_tuple()
            .all(db)
            .await?;
        for (id, n) in rows {
            org(&mut orgs, id).capabilities = n as u64;
        }
        let mut party_rows = project_parties::Entity::find()
            .select_only()
            .column(project_parties::Column::OrganizationId)
            .column_as(Expr::col(project_parties::Column::ProjectId).count(), "n")
            .join(
                JoinType::InnerJoin,
                project_parties::Relation::CooperationProject.def(),
            )
            .filter(projects.clone());
        match scope {
            StatsScope::Platform => {}
            StatsScope::Organizations(ids)
            | StatsScope::Agreement {
                organization_ids: ids,
                ..
            } => {
                party_rows = party_rows
                    .filter(project_parties::Column::OrganizationId.is_in(ids.iter().copied()));
            }
        }
        let rows: Vec<(i64, i64)> = party_rows
            .group_by(project_parties::Column::OrganizationId)
            .into_tuple()
            .all(db)
            .await?;
        for (id, n) in rows {
            org(&mut orgs, id).projects = n as u64;
        }
        let accepted_in_period = Condition::all()
            .add(match_scope(scope))
            .add(M::Status.eq(MatchStatus::Accepted.as_str()))
            .add(within(M::DecidedAt, period));
        let rows: Vec<(i64, i64)> = matches::Entity::find()
            .select_only()
            .column(N::OrganizationId)
            .column_as(Expr::col((matches::Entity, M::Id)).count(), "n")
            .join(JoinType::InnerJoin, matches::Relation::TechNeed.def())
            .filter(accepted_in_period.clone())
            .group_by(N::OrganizationId)
            .into_tuple()
            .all(db)
            .await?;
        for (id, n) in rows {
            if let StatsScope::Organizations(ids) = scope
                && !ids.contains(&id)
            {
                // A match of another organisation's need with one of the
                // scope's capabilities: counted above, not the scope's own.
                continue;
            }
            org(&mut orgs, id).matches_accepted = n as u64;
        }

        // By month.
        let mut months: BTreeMap<String, MonthFigures> = BTreeMap::new();
        let group = |table: &str, column: &str| month_of(backend, table, column);
        let rows: Vec<(String, i64)> = tech_needs::Entity::find()
            .select_only()
            .column_as(group("tech_needs", "created_at"), "m")
            .column_as(Expr::col(N::Id).count(), "n")
            .filter(needs)
            .group_by(group("tech_needs", "created_at"))
            .into_tuple()
            .all(db)
            .await?;
        for (m, n) in rows {
            month(&mut months, m).needs = n as u64;
        }
        let rows: Vec<(String, i64)> = research_capabilities::Entity::find()
            .select_only()
            .column_as(group("research_capabilities", "created_at"), "m")
            .column_as(Expr::col(C::Id).count(), "n")
            .filter(capabilities)
            .group_by(group("research_capabilities", "created_at"))
            .into_tuple()
            .all(db)
            .await?;
        for (m, n) in rows {
            month(&mut months, m).capabilities = n as u64;
        }
        let rows: Vec<(String, i64)> = matches::Entity::find()
            .select_only()
            .column_as(group("matches", "decided_at"), "m")
            .column_as(Expr::col(M::Id).count(), "n")
            .filter(accepted_in_period)
            .filter(M::DecidedAt.is_not_null())
            .group_by(group("matches", "decided_at"))
            .into_tuple()
            .all(db)
            .await?;
        for (m, n) in rows {
            month(&mut months, m).matches_accepted = n as u64;
        }
        for (column, which) in [
            (P::CreatedAt, "created_at"),
            (P::StartedAt, "started_at"),
            (P::EndedAt, "ended_at"),
        ] {
            let mut cond = Condition::all()
                .add(project_scope(scope))
                .add(within(column, period))
                .add(column.is_not_null());
            if which == "ended_at" {
                cond = cond.add(P::Status.eq(ProjectStatus::Completed.as_str()));
            }
            let rows: Vec<(String, i64)> = cooperation_projects::Entity::find()
                .select_only()
                .column_as(group("cooperation_projects", which), "m")
                .column_as(Expr::col(P::Id).count(), "n")
                .filter(cond)
                .group_by(group("cooperation_projects", which))
                .into_tuple()
                .all(db)
                .await?;
            for (m, n) in rows {
                let figures = month(&mut months, m);
                let n = n as u64;
                match which {
                    "created_at" => figures.projects_created = n,
                    "started_at" => figures.projects_started = n,
                    _ => figures.projects_completed = n,
                }
            }
        }

        Ok(Stats {
            needs_by_status,
            capabilities_by_status,
            matches_by_status,
            acceptance_rate,
            projects_by_area,
            projects_by_status,
            overdue_checklist_items,
            median_days_need_to_project: median(days),
            by_organization: orgs.into_values().collect(),
            by_month: months.into_values().collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn median_of_odd_and_even_lists() {
        assert_eq!(super::median(vec![]), None);
        assert_eq!(super::median(vec![5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(super::median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }
}
