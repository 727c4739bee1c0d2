//! Framework agreements (合作框架协议): `agreements`, their parties (with
//! each party's confirmation), the areas they cover and the people
//! responsible on each side; `agreement_id` on `cooperation_projects` and
//! `tech_needs` (nullable: a project or need may belong to one agreement).
//!
//! Independent of migration 17 (`role_grants`, another branch): it touches
//! none of its tables. `down` drops the two columns (with their indexes and
//! foreign keys) and the four tables, children first.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000018_agreements"
    }
}

/// The tables that gain a nullable `agreement_id`.
const LINKED: [&str; 2] = ["cooperation_projects", "tech_needs"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};
        let tables = vec![
            table_with_id("agreements")
                .col(txt("title"))
                .col(day_null("signed_on"))
                .col(schema::date(Alias::new("term_start")))
                .col(schema::date(Alias::new("term_end")))
                .col(txt("status"))
                .col(txt_null("termination_reason"))
                .col(version())
                .col(id("created_by"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk("agreements", "created_by", "users", Restrict))
                .to_owned(),
            table("agreement_parties")
                .col(id("agreement_id"))
                .col(id("organization_id"))
                .col(id_null("confirmed_by"))
                .col(time_null("confirmed_at"))
                .primary_key(&mut composite_key("agreement_id", "organization_id"))
                .foreign_key(&mut fk(
                    "agreement_parties",
                    "agreement_id",
                    "agreements",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "agreement_parties",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "agreement_parties",
                    "confirmed_by",
                    "users",
                    Restrict,
                ))
                .to_owned(),
            table("agreement_areas")
                .col(id("agreement_id"))
                .col(txt("area"))
                .primary_key(&mut composite_key("agreement_id", "area"))
                .foreign_key(&mut fk(
                    "agreement_areas",
                    "agreement_id",
                    "agreements",
                    Cascade,
                ))
                .to_owned(),
            table("agreement_responsibles")
                .col(id("agreement_id"))
                .col(id("organization_id"))
                .col(id("user_id"))
                .primary_key(
                    Index::create()
                        .col(Alias::new("agreement_id"))
                        .col(Alias::new("organization_id"))
                        .col(Alias::new("user_id")),
                )
                .foreign_key(&mut fk(
                    "agreement_responsibles",
                    "agreement_id",
                    "agreements",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "agreement_responsibles",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "agreement_responsibles",
                    "user_id",
                    "users",
                    Restrict,
                ))
                .to_owned(),
        ];
        let indexes = vec![
            index("agreements", &["status"], false),
            index("agreements", &["term_end"], false),
            index("agreement_parties", &["organization_id"], false),
            index("agreement_areas", &["area"], false),
            index("agreement_responsibles", &["user_id"], false),
        ];
        create(manager, tables, indexes).await?;
        let db = manager.get_connection();
        for table in LINKED {
            // A column constraint, which both backends take in ADD COLUMN
            // (SQLite allows no other way to add a foreign key to a table
            // that exists; NULL default, so every existing row is valid).
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ADD COLUMN agreement_id BIGINT NULL \
                 CONSTRAINT fk_{table}_agreement_id REFERENCES agreements (id) \
                 ON DELETE RESTRICT ON UPDATE NO ACTION"
            ))
            .await?;
            manager
                .create_index(index(table, &["agreement_id"], false))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in LINKED {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("ix_{table}_agreement_id"))
                        .table(Alias::new(table))
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Alias::new("agreement_id"))
                        .to_owned(),
                )
                .await?;
        }
        drop(
            manager,
            &[
                "agreement_responsibles",
                "agreement_areas",
                "agreement_parties",
                "agreements",
            ],
        )
        .await
    }
}
