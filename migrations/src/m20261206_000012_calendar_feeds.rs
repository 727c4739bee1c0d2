//! Secret calendar feeds: a user's subscription URL for an instrument's
//! calendar or for their own bookings, which calendar apps fetch without a
//! bearer header. Only a SHA-256 digest of the secret is stored; a feed is
//! revoked, not deleted, so its digest is never issued again. `down` drops
//! the table.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000012_calendar_feeds"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;
        let tables = vec![
            table_with_id("calendar_feeds")
                .col(id("user_id"))
                // Null: the user's own bookings; otherwise that instrument's calendar.
                .col(id_null("instrument_id"))
                .col(txt("token_hash"))
                .col(time("created_at"))
                .col(time_null("revoked_at"))
                .foreign_key(&mut fk("calendar_feeds", "user_id", "users", Cascade))
                .foreign_key(&mut fk(
                    "calendar_feeds",
                    "instrument_id",
                    "instruments",
                    Cascade,
                ))
                .to_owned(),
        ];
        let indexes = vec![
            index("calendar_feeds", &["token_hash"], true),
            index("calendar_feeds", &["user_id"], false),
            index("calendar_feeds", &["instrument_id"], false),
        ];
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["calendar_feeds"]).await
    }
}
