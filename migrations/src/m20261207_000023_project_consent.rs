//! Every party of a project consents: each row of `project_parties` keeps
//! the party's answer (INVITED, ACCEPTED, DECLINED), who gave it and when;
//! `project_confirmations` holds the pending confirmations of a project's
//! binding moves (agree, complete, terminate), one per party and move,
//! cleared when the project moves. The parties named before this migration
//! are ACCEPTED (nobody answered: `responded_by` stays NULL). `down` drops
//! the table and the columns.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000023_project_consent"
    }
}

const PARTIES: &str = "project_parties";
const CONFIRMATIONS: &str = "project_confirmations";

fn columns() -> Vec<ColumnDef> {
    vec![
        txt("consent").default("ACCEPTED").to_owned(),
        id_null("responded_by"),
        time_null("responded_at"),
        txt_null("decline_reason"),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};
        // One column per statement: SQLite alters one thing at a time.
        for mut column in columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(PARTIES))
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        let tables = vec![
            table(CONFIRMATIONS)
                .col(id("project_id"))
                .col(id("organization_id"))
                .col(txt("to_status"))
                .col(id("confirmed_by"))
                .col(time("confirmed_at"))
                .col(txt_null("reason"))
                .primary_key(
                    Index::create()
                        .col(Alias::new("project_id"))
                        .col(Alias::new("organization_id"))
                        .col(Alias::new("to_status")),
                )
                .foreign_key(&mut fk(
                    CONFIRMATIONS,
                    "project_id",
                    "cooperation_projects",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    CONFIRMATIONS,
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .foreign_key(&mut fk(CONFIRMATIONS, "confirmed_by", "users", Restrict))
                .to_owned(),
        ];
        create(manager, tables, Vec::new()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &[CONFIRMATIONS]).await?;
        for column in columns().iter().rev() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(PARTIES))
                        .drop_column(Alias::new(column.get_column_name()))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
