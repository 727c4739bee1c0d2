//! Optimistic concurrency of the versioned rows (needs, capabilities,
//! projects, checklist items, milestones, instruments): one way to write
//! them. An edit bumps `version`, stamps `updated_at` and only applies to the
//! row still at the version it was based on; a row that moved on meanwhile
//! is a CONFLICT on the field `version`.

use chrono::Utc;
use iurhub_domain::Message;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, UpdateMany};

use crate::entities::{
    activities, agreements, checklist_items, cooperation_projects, instruments, milestones,
    plan_targets, plan_work_items, research_capabilities, talent_profiles, tech_needs,
};
use crate::{StoreError, StoreResult};

/// A table with an id, a `version` and an `updated_at` column, and what its
/// rows are called in a conflict's message.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Versioned<E: EntityTrait> {
    pub what: &'static str,
    pub id: E::Column,
    pub version: E::Column,
    pub updated_at: E::Column,
}

/// The `Versioned` of `table` (its `id`, `version` and `updated_at`
/// columns), its rows called `what` in a conflict's message.
macro_rules! versioned {
    ($($name:ident: $table:ident, $what:literal;)*) => {$(
        pub(crate) const $name: Versioned<$table::Entity> = Versioned {
            what: $what,
            id: $table::Column::Id,
            version: $table::Column::Version,
            updated_at: $table::Column::UpdatedAt,
        };
    )*};
}

versioned! {
    NEED: tech_needs, "need";
    CAPABILITY: research_capabilities, "capability";
    PROJECT: cooperation_projects, "project";
    CHECKLIST_ITEM: checklist_items, "checklist_item";
    MILESTONE: milestones, "milestone";
    INSTRUMENT: instruments, "instrument";
    TALENT: talent_profiles, "talent_profile";
    AGREEMENT: agreements, "agreement";
    ACTIVITY: activities, "activity";
    PLAN_TARGET: plan_targets, "plan_target";
    PLAN_WORK_ITEM: plan_work_items, "plan_work_item";
}

impl<E: EntityTrait> Versioned<E> {
    /// The CONFLICT of an edit based on a version that is no longer current.
    pub fn stale(&self, expected: Option<i32>) -> StoreError {
        let what = self.what;
        match expected {
            Some(v) => StoreError::conflict(
                "version",
                Message::new("conflict.version")
                    .with("object", what)
                    .with("version", v),
            ),
            None => StoreError::conflict(
                "version",
                Message::new("conflict.changed").with("object", what),
            ),
        }
    }

    /// A CONFLICT unless the caller's `expected` version (if any) is the
    /// `current` one read in this transaction.
    pub fn check(&self, expected: Option<i32>, current: i32) -> StoreResult<()> {
        match expected {
            Some(v) if v != current => Err(self.stale(expected)),
            _ => Ok(()),
        }
    }

    /// Applies `update` (its columns, and any further guard it filters on) to
    /// row `id`, provided the caller expected the `current` version and the
    /// row is still at it: `version = version + 1`, `updated_at = now`.
    /// Otherwise, or when no row was written, a CONFLICT on `version`.
    pub async fn update<C: ConnectionTrait>(
        &self,
        db: &C,
        update: UpdateMany<E>,
        id: i64,
        expected: Option<i32>,
        current: i32,
    ) -> StoreResult<()> {
        self.check(expected, current)?;
        let done = update
            .col_expr(self.version, Expr::col(self.version).add(1))
            .col_expr(self.updated_at, Expr::value(Utc::now()))
            .filter(self.id.eq(id))
            .filter(self.version.eq(current))
            .exec(db)
            .await?;
        if done.rows_affected == 0 {
            return Err(self.stale(expected));
        }
        Ok(())
    }
}

/// The status of a versioned row that is published (needs, capabilities):
/// its column, and the column of the time it was first published.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lifecycle<E: EntityTrait> {
    pub table: Versioned<E>,
    pub status: E::Column,
    pub published_at: E::Column,
    /// When the owners last confirmed the listing current: publishing
    /// confirms it.
    pub confirmed_at: E::Column,
}

pub(crate) const NEED_STATUS: Lifecycle<tech_needs::Entity> = Lifecycle {
    table: NEED,
    status: tech_needs::Column::Status,
    published_at: tech_needs::Column::PublishedAt,
    confirmed_at: tech_needs::Column::ConfirmedAt,
};

pub(crate) const CAPABILITY_STATUS: Lifecycle<research_capabilities::Entity> = Lifecycle {
    table: CAPABILITY,
    status: research_capabilities::Column::Status,
    published_at: research_capabilities::Column::PublishedAt,
    confirmed_at: research_capabilities::Column::ConfirmedAt,
};

impl<E: EntityTrait> Lifecycle<E> {
    /// Moves row `id`, locked and read at `(status, version)` in this
    /// transaction, from status `from` to `to`; a status other than `from`
    /// is a CONFLICT on `status`. `publishes`: `published_at` is set unless
    /// it already was.
    pub async fn step<C: ConnectionTrait>(
        &self,
        db: &C,
        id: i64,
        (status, version): (&str, i32),
        (from, to): (&str, &str),
        publishes: bool,
    ) -> StoreResult<()> {
        if status != from {
            return Err(StoreError::conflict(
                "status",
                Message::new("conflict.status").with("object", self.table.what),
            ));
        }
        let mut update = E::update_many().col_expr(self.status, Expr::value(to));
        if publishes {
            let first = Func::coalesce([Expr::col(self.published_at), Expr::value(Utc::now())]);
            update = update
                .col_expr(self.published_at, first.into())
                .col_expr(self.confirmed_at, Expr::value(Utc::now()));
        }
        self.table.update(db, update, id, None, version).await
    }
}
