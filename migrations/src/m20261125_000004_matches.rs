//! Suggested (need, capability) pairs and their life cycle.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000004_matches"
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
            table_with_id("matches")
                .col(id("need_id"))
                .col(id("capability_id"))
                .col(double("score"))
                .col(json_text("factors"))
                .col(json_text("matched_terms"))
                .col(txt("status"))
                .col(txt_null("decline_reason"))
                .col(txt_null("decline_comment"))
                .col(id_null("decided_by"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk("matches", "need_id", "tech_needs", Cascade))
                .foreign_key(&mut fk(
                    "matches",
                    "capability_id",
                    "research_capabilities",
                    Cascade,
                ))
                .foreign_key(&mut fk("matches", "decided_by", "users", Restrict))
                .to_owned(),
        ];
        let indexes = vec![
            index("matches", &["need_id", "capability_id"], true),
            index("matches", &["capability_id"], false),
            index("matches", &["need_id", "status"], false),
        ];
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["matches"]).await
    }
}
