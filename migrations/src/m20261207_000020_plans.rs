//! Annual plans of framework agreements (年度工作计划): `plan_targets` (a
//! numeric target per agreement, year, area and metric) and
//! `plan_work_items` (the plan's work items); and the facts the plans'
//! actuals are computed from:
//!
//! - `cooperation_projects.funding` — the cooperation funding contracted
//!   (合同经费), in fen; `agreed_at`, `started_at`, `ended_at` — when the
//!   project became AGREED, IN_PROGRESS, and COMPLETED or TERMINATED;
//! - `matches.decided_at` — when the match was accepted or declined;
//! - `bookings.agreement_id` — the framework agreement a booking is filed
//!   under (NULL: none).
//!
//! Existing projects take their instants from their event log (the first
//! STATUS_CHANGED event to each status), existing decided matches their
//! `updated_at` (a decided match changes no more). `down` drops the columns
//! and the two tables.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000020_plans"
    }
}

/// Columns added to existing tables: (table, column).
const COLUMNS: [(&str, &str); 5] = [
    ("cooperation_projects", "funding"),
    ("cooperation_projects", "agreed_at"),
    ("cooperation_projects", "started_at"),
    ("cooperation_projects", "ended_at"),
    ("matches", "decided_at"),
];

fn column(name: &'static str) -> ColumnDef {
    if name == "funding" {
        money_null(name)
    } else {
        time_null(name)
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};
        let tables = vec![
            table_with_id("plan_targets")
                .col(id("agreement_id"))
                .col(int("year"))
                .col(txt("area"))
                .col(txt("metric"))
                .col(money("target"))
                .col(txt_null("note"))
                .col(version())
                .col(id("updated_by"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "plan_targets",
                    "agreement_id",
                    "agreements",
                    Cascade,
                ))
                .foreign_key(&mut fk("plan_targets", "updated_by", "users", Restrict))
                .to_owned(),
            table_with_id("plan_work_items")
                .col(id("agreement_id"))
                .col(int("year"))
                .col(txt("area"))
                .col(txt("title"))
                .col(txt_null("details"))
                .col(day_null("due_date"))
                .col(id_null("responsible_organization_id"))
                .col(txt("status"))
                .col(time_null("done_at"))
                .col(version())
                .col(id("created_by"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "plan_work_items",
                    "agreement_id",
                    "agreements",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "plan_work_items",
                    "responsible_organization_id",
                    "organizations",
                    Restrict,
                ))
                .foreign_key(&mut fk("plan_work_items", "created_by", "users", Restrict))
                .to_owned(),
        ];
        let indexes = vec![
            index(
                "plan_targets",
                &["agreement_id", "year", "area", "metric"],
                true,
            ),
            index("plan_work_items", &["agreement_id", "year"], false),
        ];
        create(manager, tables, indexes).await?;
        for (table, name) in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(column(name))
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        // A column constraint, which both backends take in ADD COLUMN (as
        // migration 18 adds `agreement_id` to projects and needs).
        db.execute_unprepared(
            "ALTER TABLE bookings ADD COLUMN agreement_id BIGINT NULL \
             CONSTRAINT fk_bookings_agreement_id REFERENCES agreements (id) \
             ON DELETE RESTRICT ON UPDATE NO ACTION",
        )
        .await?;
        manager
            .create_index(index("bookings", &["agreement_id"], false))
            .await?;
        for (column, status) in [
            ("agreed_at", "AGREED"),
            ("started_at", "IN_PROGRESS"),
            ("ended_at", "COMPLETED"),
            ("ended_at", "TERMINATED"),
        ] {
            db.execute_unprepared(&format!(
                "UPDATE cooperation_projects SET {column} = (\
                   SELECT min(e.created_at) FROM project_events e \
                   WHERE e.project_id = cooperation_projects.id \
                     AND e.kind = 'STATUS_CHANGED' \
                     AND e.detail LIKE '%\"field\":\"status\"%\"to\":\"{status}\"%') \
                 WHERE {column} IS NULL"
            ))
            .await?;
        }
        db.execute_unprepared(
            "UPDATE matches SET decided_at = updated_at \
             WHERE status IN ('ACCEPTED', 'DECLINED')",
        )
        .await?;
        for (table, column) in [
            ("cooperation_projects", "started_at"),
            ("matches", "decided_at"),
        ] {
            manager.create_index(index(table, &[column], false)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in [
            ("cooperation_projects", "started_at"),
            ("matches", "decided_at"),
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("ix_{table}_{column}"))
                        .table(Alias::new(table))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("ix_bookings_agreement_id")
                    .table(Alias::new("bookings"))
                    .to_owned(),
            )
            .await?;
        let dropped = COLUMNS
            .iter()
            .copied()
            .chain([("bookings", "agreement_id")]);
        for (table, name) in dropped {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Alias::new(name))
                        .to_owned(),
                )
                .await?;
        }
        drop(manager, &["plan_work_items", "plan_targets"]).await
    }
}
