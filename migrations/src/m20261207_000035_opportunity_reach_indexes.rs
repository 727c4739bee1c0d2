//! The opportunity queue reads a scope's pairs with their scores from the
//! indexes alone: `(need_id, score_ppm)` for the needs it looks after and
//! `(capability_id, score_ppm)` (replacing the index on `capability_id`)
//! for the capabilities of the organisations it manages. The best pairs of
//! a scope are then found without visiting a row of `opportunities`.
//! `down` restores the index on `capability_id` alone.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000035_opportunity_reach_indexes"
    }
}

fn drop_index(name: &str) -> IndexDropStatement {
    Index::drop()
        .name(name)
        .table(Alias::new("opportunities"))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(index("opportunities", &["need_id", "score_ppm"], false))
            .await?;
        manager
            .create_index(index(
                "opportunities",
                &["capability_id", "score_ppm"],
                false,
            ))
            .await?;
        manager
            .drop_index(drop_index("ix_opportunities_capability_id"))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(index("opportunities", &["capability_id"], false))
            .await?;
        manager
            .drop_index(drop_index("ix_opportunities_capability_id_score_ppm"))
            .await?;
        manager
            .drop_index(drop_index("ix_opportunities_need_id_score_ppm"))
            .await
    }
}
