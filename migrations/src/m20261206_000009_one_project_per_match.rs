//! One project per match, enforced by the database: a unique index on
//! `cooperation_projects.match_id` (projects without a match, `NULL`, stay
//! as many as there are). The service's check before the insert cannot
//! see a concurrent insert; the index refuses it, and the store answers
//! CONFLICT.
//!
//! A database that already holds several projects for one match (made by
//! that race) keeps all of them: the earliest (lowest id) stays the match's
//! project, the later ones are detached from the match (`match_id` cleared,
//! version bumped, a PROJECT_UPDATED event without an actor records the
//! cleared link in their log). Their need, capability, parties, checklist
//! and history are untouched. `down` drops the index only; it does not
//! re-attach the detached projects.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::ChronoUtc;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000009_one_project_per_match"
    }
}

/// Projects whose match already has an earlier project: (id, match id).
const DUPLICATES: &str = "SELECT p.id, p.match_id FROM cooperation_projects p \
     WHERE p.match_id IS NOT NULL AND EXISTS (SELECT 1 FROM cooperation_projects q \
     WHERE q.match_id = p.match_id AND q.id < p.id) ORDER BY p.id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let rows = db
            .query_all_raw(Statement::from_string(
                manager.get_database_backend(),
                DUPLICATES,
            ))
            .await?;
        let now = ChronoUtc::now();
        for row in rows {
            let id: i64 = row.try_get_by_index(0)?;
            let match_id: i64 = row.try_get_by_index(1)?;
            let detach = Query::update()
                .table(Alias::new("cooperation_projects"))
                .value(Alias::new("match_id"), Expr::null())
                .value(
                    Alias::new("version"),
                    Expr::col(Alias::new("version")).add(1),
                )
                .value(Alias::new("updated_at"), now)
                .and_where(Expr::col(Alias::new("id")).eq(id))
                .to_owned();
            db.execute(&detach).await?;
            // The store's event detail: {"changes": [{field, from, to}]}.
            let detail =
                format!(r#"{{"changes":[{{"field":"matchId","from":"{match_id}","to":null}}]}}"#);
            let event = Query::insert()
                .into_table(Alias::new("project_events"))
                .columns(
                    [
                        "project_id",
                        "actor_user_id",
                        "kind",
                        "detail",
                        "created_at",
                    ]
                    .map(Alias::new),
                )
                .values_panic([
                    id.into(),
                    Option::<i64>::None.into(),
                    "PROJECT_UPDATED".into(),
                    detail.into(),
                    now.into(),
                ])
                .to_owned();
            db.execute(&event).await?;
        }
        manager
            .create_index(index("cooperation_projects", &["match_id"], true))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_cooperation_projects_match_id")
                    .table(Alias::new("cooperation_projects"))
                    .to_owned(),
            )
            .await
    }
}
