//! Dashboard figures for coordinators, counted by the database.

use chrono::{DateTime, NaiveDate, Utc};
use iurhub_domain::{
    CapabilityStatus, ChecklistStatus, MatchStatus, NeedStatus, ProjectArea, ProjectStatus,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QuerySelect, RelationTrait,
};

use crate::entities::{
    checklist_items, cooperation_projects, matches, research_capabilities, tech_needs,
};
use crate::{Store, StoreResult, parse_enum};

pub use iurhub_domain::records::stats::Stats;

/// `SELECT column, count(*) … GROUP BY column` as (value, count) in the
/// vocabulary's order, zeros included.
async fn counts<E, T>(store: &Store, column: E::Column, all: &[T]) -> StoreResult<Vec<(T, u64)>>
where
    E: EntityTrait,
    T: Copy + std::str::FromStr + PartialEq,
    T::Err: std::fmt::Display,
{
    let rows: Vec<(String, i64)> = E::find()
        .select_only()
        .column(column)
        .column_as(Expr::col(column).count(), "n")
        .group_by(column)
        .into_tuple()
        .all(&store.db)
        .await?;
    let mut found = Vec::with_capacity(rows.len());
    for (value, n) in rows {
        found.push((parse_enum::<T>(&value)?, n as u64));
    }
    Ok(all
        .iter()
        .map(|v| {
            let n = found.iter().find(|(f, _)| f == v).map_or(0, |(_, n)| *n);
            (*v, n)
        })
        .collect())
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

impl Store {
    pub async fn stats(&self, today: NaiveDate) -> StoreResult<Stats> {
        let needs_by_status =
            counts::<tech_needs::Entity, _>(self, tech_needs::Column::Status, NeedStatus::ALL)
                .await?;
        let capabilities_by_status = counts::<research_capabilities::Entity, _>(
            self,
            research_capabilities::Column::Status,
            CapabilityStatus::ALL,
        )
        .await?;
        let matches_by_status =
            counts::<matches::Entity, _>(self, matches::Column::Status, MatchStatus::ALL).await?;
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
        let projects_by_area = counts::<cooperation_projects::Entity, _>(
            self,
            cooperation_projects::Column::Area,
            ProjectArea::ALL,
        )
        .await?;
        let projects_by_status = counts::<cooperation_projects::Entity, _>(
            self,
            cooperation_projects::Column::Status,
            ProjectStatus::ALL,
        )
        .await?;
        let overdue_checklist_items = checklist_items::Entity::find()
            .filter(checklist_items::Column::Status.ne(ChecklistStatus::Done.as_str()))
            .filter(checklist_items::Column::DueDate.lt(today))
            .count(&self.db)
            .await?;
        let pairs: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> =
            cooperation_projects::Entity::find()
                .select_only()
                .column(cooperation_projects::Column::CreatedAt)
                .column(tech_needs::Column::PublishedAt)
                .join(
                    JoinType::InnerJoin,
                    cooperation_projects::Relation::TechNeed.def(),
                )
                .into_tuple()
                .all(&self.db)
                .await?;
        let days = pairs
            .into_iter()
            .filter_map(|(project, published)| {
                Some((project - published?).num_seconds() as f64 / 86_400.0)
            })
            .collect();
        Ok(Stats {
            needs_by_status,
            capabilities_by_status,
            matches_by_status,
            acceptance_rate,
            projects_by_area,
            projects_by_status,
            overdue_checklist_items,
            median_days_need_to_project: median(days),
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
