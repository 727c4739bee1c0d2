//! Docking: both sides of a match decide, and the research side expresses
//! interest in needs.
//!
//! `matches` gains each side's decision (`need_decision`,
//! `capability_decision`: ACCEPTED / DECLINED or none) with who and when.
//! Rows decided before (one-sided) keep their meaning: an ACCEPTED pair was
//! accepted by both sides (its capability side's decider unknown), a
//! DECLINED pair was declined by the need's side. `interests` holds the
//! research side's interests in needs: for a capability (the pair's match
//! carries the decision) or for a talent profile (reviewed on the row).
//! One interest per (need, capability) and per (need, talent). `down` drops
//! the table and the columns.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000022_docking"
    }
}

const SIDE_COLUMNS: [&str; 6] = [
    "need_decision",
    "need_decided_by",
    "need_decided_at",
    "capability_decision",
    "capability_decided_by",
    "capability_decided_at",
];

fn side_column(name: &'static str) -> ColumnDef {
    if name.ends_with("_by") {
        id_null(name)
    } else if name.ends_with("_at") {
        time_null(name)
    } else {
        txt_null(name)
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        // SQLite adds one column per statement.
        for name in SIDE_COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new("matches"))
                        .add_column(side_column(name))
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE matches SET need_decision = 'ACCEPTED', need_decided_by = decided_by, \
             need_decided_at = decided_at, capability_decision = 'ACCEPTED', \
             capability_decided_at = decided_at WHERE status = 'ACCEPTED'",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE matches SET need_decision = 'DECLINED', need_decided_by = decided_by, \
             need_decided_at = decided_at WHERE status = 'DECLINED'",
        )
        .await?;
        let table = "interests";
        let tables = vec![
            table_with_id(table)
                .col(id("need_id"))
                .col(id_null("capability_id"))
                .col(id_null("talent_id"))
                .col(txt("message"))
                .col(txt("status"))
                .col(id_null("created_by"))
                .col(time("created_at"))
                .col(id_null("reviewed_by"))
                .col(time_null("reviewed_at"))
                .col(txt_null("decline_reason"))
                .foreign_key(&mut fk(table, "need_id", "tech_needs", Cascade))
                .foreign_key(&mut fk(
                    table,
                    "capability_id",
                    "research_capabilities",
                    Cascade,
                ))
                .foreign_key(&mut fk(table, "talent_id", "talent_profiles", Cascade))
                .foreign_key(&mut fk(table, "created_by", "users", SetNull))
                .foreign_key(&mut fk(table, "reviewed_by", "users", SetNull))
                .to_owned(),
        ];
        let indexes = vec![
            index(table, &["need_id", "capability_id"], true),
            index(table, &["need_id", "talent_id"], true),
            index(table, &["capability_id"], false),
            index(table, &["talent_id"], false),
        ];
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["interests"]).await?;
        for name in SIDE_COLUMNS.iter().rev() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new("matches"))
                        .drop_column(Alias::new(*name))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
