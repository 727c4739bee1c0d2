//! Listing freshness, digests and saved searches:
//! - `tech_needs.confirmed_at`, `research_capabilities.confirmed_at`: when
//!   the listing was last confirmed by its owners (editing and publishing
//!   confirm too); filled with its `updated_at` for the rows already there;
//! - `users.digest_frequency` (`DAILY` / `WEEKLY`, `DAILY` by default) and
//!   `users.digest_sent_at` (the user's last digest e-mail);
//! - `notifications.digest` (the notification goes out in its user's
//!   digest, not one by one) and `notifications.digested_at` (when a digest
//!   took it);
//! - `mail_outbox.digest_of`: for a digest e-mail, the JSON array of the
//!   notifications it lists (its `notification_id` is the newest of them);
//! - `saved_searches`: a user's saved searches (query, types, filters as
//!   JSON) and when each was last checked for new objects.
//!
//! `down` drops the table and the columns.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000030_listing_freshness_digests"
    }
}

/// (table, column) of every column added, in order.
const COLUMNS: &[(&str, &str)] = &[
    ("tech_needs", "confirmed_at"),
    ("research_capabilities", "confirmed_at"),
    ("users", "digest_frequency"),
    ("users", "digest_sent_at"),
    ("notifications", "digest"),
    ("notifications", "digested_at"),
    ("mail_outbox", "digest_of"),
];

fn column(name: &str) -> ColumnDef {
    match name {
        "confirmed_at" => time_null("confirmed_at"),
        "digest_frequency" => txt("digest_frequency").default("DAILY").to_owned(),
        "digest_sent_at" => time_null("digest_sent_at"),
        "digest" => flag("digest").default(false).to_owned(),
        "digested_at" => time_null("digested_at"),
        _ => txt_null("digest_of"),
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;
        // One column per statement: SQLite alters one at a time.
        for (table, name) in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(*table))
                        .add_column(column(name))
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        for table in ["tech_needs", "research_capabilities"] {
            db.execute_unprepared(&format!("UPDATE {table} SET confirmed_at = updated_at"))
                .await?;
        }
        let tables = vec![
            table_with_id("saved_searches")
                .col(id("user_id"))
                .col(txt("query"))
                .col(json_text("types"))
                .col(json_text("filters"))
                .col(time("created_at"))
                .col(time("checked_at"))
                .foreign_key(&mut fk("saved_searches", "user_id", "users", Cascade))
                .to_owned(),
        ];
        let indexes = vec![
            index("saved_searches", &["user_id"], false),
            index("notifications", &["digest", "digested_at"], false),
        ];
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["saved_searches"]).await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_notifications_digest_digested_at")
                    .table(Alias::new("notifications"))
                    .to_owned(),
            )
            .await?;
        for (table, name) in COLUMNS.iter().rev() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(*table))
                        .drop_column(Alias::new(*name))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
