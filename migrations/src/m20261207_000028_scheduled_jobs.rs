//! Scheduled work run once per cluster: `scheduled_jobs` (one row per job:
//! when it last ran and runs next, the lease of the server running it, how
//! its last run went) and `reminders` (one row per reminder sent: what about, which
//! stage, for which date — so a reminder is sent once, and again only when
//! the date moves). `down` drops both.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000028_scheduled_jobs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = vec![
            table("scheduled_jobs")
                .col(txt("name").primary_key())
                .col(time("next_run_at"))
                .col(time_null("lease_until"))
                .col(txt_null("leased_by"))
                .col(time_null("last_run_at"))
                .col(schema::big_integer(Alias::new("last_items")).default(0))
                .col(schema::big_integer(Alias::new("runs")).default(0))
                .col(schema::big_integer(Alias::new("failures")).default(0))
                .col(txt_null("last_error"))
                .to_owned(),
            table("reminders")
                .col(txt("subject"))
                .col(txt("stage"))
                .col(txt("due"))
                .col(time("sent_at"))
                .primary_key(
                    Index::create()
                        .col(Alias::new("subject"))
                        .col(Alias::new("stage"))
                        .col(Alias::new("due")),
                )
                .to_owned(),
        ];
        create(manager, tables, Vec::new()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["reminders", "scheduled_jobs"]).await
    }
}
