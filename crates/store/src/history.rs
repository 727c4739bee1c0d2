//! Recorded history: the instants of records that happened before they
//! were entered (the demo's years of cooperation, or a cooperation
//! office's records from before the platform). Every record is created
//! through the usual paths first, with its rules; these functions only move
//! its instants into the past, consistently: a project's life-cycle
//! instants and the events that recorded them, a match's decision, a
//! need's publication.

use chrono::{DateTime, Utc};
use iurhub_domain::ProjectStatus;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::entities::{
    activities, activity_participants, bookings, checklist_items, cooperation_projects, matches,
    milestones, project_events, research_capabilities, tech_needs,
};
use crate::{Store, StoreResult};

/// When a project was created and reached each status.
#[derive(Debug, Clone, Copy)]
pub struct ProjectInstants {
    pub created: DateTime<Utc>,
    pub agreed: Option<DateTime<Utc>>,
    pub started: Option<DateTime<Utc>>,
    /// COMPLETED or TERMINATED.
    pub ended: Option<DateTime<Utc>>,
}

impl ProjectInstants {
    /// The last of the instants.
    fn last(&self) -> DateTime<Utc> {
        [self.agreed, self.started, self.ended]
            .into_iter()
            .flatten()
            .fold(self.created, Ord::max)
    }
}

impl Store {
    /// A need was created (and published) at these instants.
    pub async fn restamp_need(
        &self,
        id: i64,
        created: DateTime<Utc>,
        published: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        use tech_needs::Column as N;
        let mut update = tech_needs::Entity::update_many()
            .col_expr(N::CreatedAt, Expr::value(created))
            .col_expr(N::UpdatedAt, Expr::value(published.unwrap_or(created)))
            .filter(N::Id.eq(id));
        if published.is_some() {
            update = update
                .col_expr(N::PublishedAt, Expr::value(published))
                .filter(N::PublishedAt.is_not_null());
        }
        update.exec(&self.db).await?;
        Ok(())
    }

    /// A capability was registered at `created`.
    pub async fn restamp_capability(&self, id: i64, created: DateTime<Utc>) -> StoreResult<()> {
        use research_capabilities::Column as C;
        research_capabilities::Entity::update_many()
            .col_expr(C::CreatedAt, Expr::value(created))
            .col_expr(C::UpdatedAt, Expr::value(created))
            .filter(C::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// The pair was acted on at `at` (and decided then, if it is ACCEPTED
    /// or DECLINED).
    pub async fn restamp_match(
        &self,
        need_id: i64,
        capability_id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        use matches::Column as M;
        matches::Entity::update_many()
            .col_expr(M::CreatedAt, Expr::value(at))
            .col_expr(M::UpdatedAt, Expr::value(at))
            .filter(M::NeedId.eq(need_id))
            .filter(M::CapabilityId.eq(capability_id))
            .exec(&self.db)
            .await?;
        matches::Entity::update_many()
            .col_expr(M::DecidedAt, Expr::value(at))
            .filter(M::NeedId.eq(need_id))
            .filter(M::CapabilityId.eq(capability_id))
            .filter(M::DecidedAt.is_not_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// A project was created and moved through its life cycle at these
    /// instants: its columns, and the events that recorded each move (the
    /// others, its checklist's, at its creation).
    pub async fn restamp_project(&self, id: i64, at: ProjectInstants) -> StoreResult<()> {
        use cooperation_projects::Column as P;
        use project_events::Column as E;
        let txn = self.write().await?;
        cooperation_projects::Entity::update_many()
            .col_expr(P::CreatedAt, Expr::value(at.created))
            .col_expr(P::UpdatedAt, Expr::value(at.last()))
            .col_expr(P::AgreedAt, Expr::value(at.agreed))
            .col_expr(P::StartedAt, Expr::value(at.started))
            .col_expr(P::EndedAt, Expr::value(at.ended))
            .filter(P::Id.eq(id))
            .exec(&txn)
            .await?;
        project_events::Entity::update_many()
            .col_expr(E::CreatedAt, Expr::value(at.created))
            .filter(E::ProjectId.eq(id))
            .exec(&txn)
            .await?;
        let moves = [
            (ProjectStatus::Agreed, at.agreed),
            (ProjectStatus::InProgress, at.started),
            (ProjectStatus::Completed, at.ended),
            (ProjectStatus::Terminated, at.ended),
        ];
        for (status, when) in moves {
            let Some(when) = when else { continue };
            project_events::Entity::update_many()
                .col_expr(E::CreatedAt, Expr::value(when))
                .filter(E::ProjectId.eq(id))
                .filter(E::Kind.eq("STATUS_CHANGED"))
                .filter(E::Detail.like(format!("%\"to\":\"{}\"%", status.as_str())))
                .exec(&txn)
                .await?;
        }
        checklist_items::Entity::update_many()
            .col_expr(checklist_items::Column::CreatedAt, Expr::value(at.created))
            .col_expr(checklist_items::Column::UpdatedAt, Expr::value(at.last()))
            .filter(checklist_items::Column::ProjectId.eq(id))
            .exec(&txn)
            .await?;
        milestones::Entity::update_many()
            .col_expr(milestones::Column::CreatedAt, Expr::value(at.created))
            .col_expr(milestones::Column::UpdatedAt, Expr::value(at.created))
            .filter(milestones::Column::ProjectId.eq(id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// An activity was recorded at `created` (and completed at
    /// `completed`).
    pub async fn restamp_activity(
        &self,
        id: i64,
        created: DateTime<Utc>,
        completed: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        use activities::Column as A;
        let mut update = activities::Entity::update_many()
            .col_expr(A::CreatedAt, Expr::value(created))
            .col_expr(A::UpdatedAt, Expr::value(completed.unwrap_or(created)))
            .filter(A::Id.eq(id));
        if completed.is_some() {
            update = update.col_expr(A::CompletedAt, Expr::value(completed));
        }
        update.exec(&self.db).await?;
        activity_participants::Entity::update_many()
            .col_expr(
                activity_participants::Column::CreatedAt,
                Expr::value(created),
            )
            .filter(activity_participants::Column::ActivityId.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// A booking was requested at `requested`.
    pub async fn restamp_booking(&self, id: i64, requested: DateTime<Utc>) -> StoreResult<()> {
        use bookings::Column as B;
        bookings::Entity::update_many()
            .col_expr(B::CreatedAt, Expr::value(requested))
            .filter(B::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
