//! The coordinators' opportunity queue: `opportunities` (the best
//! capabilities of each published need as last ranked, the score in
//! millionths so pages are keyed exactly, with when the pair was first
//! found), `opportunity_rankings` (when each need was last
//! ranked, so a need never ranked is told apart from one with no good
//! candidate) and `opportunity_assignments` (a pair handed to a broker with
//! a due date and a note, one per pair). `down` drops the three.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000029_opportunities"
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
            table_with_id("opportunities")
                .col(id("need_id"))
                .col(id("capability_id"))
                .col(id("score_ppm"))
                .col(time("found_at"))
                .col(time("ranked_at"))
                .foreign_key(&mut fk("opportunities", "need_id", "tech_needs", Cascade))
                .foreign_key(&mut fk(
                    "opportunities",
                    "capability_id",
                    "research_capabilities",
                    Cascade,
                ))
                .to_owned(),
            table("opportunity_rankings")
                .col(id("need_id").primary_key())
                .col(time("ranked_at"))
                .foreign_key(&mut fk(
                    "opportunity_rankings",
                    "need_id",
                    "tech_needs",
                    Cascade,
                ))
                .to_owned(),
            table_with_id("opportunity_assignments")
                .col(id("need_id"))
                .col(id("capability_id"))
                .col(id("broker_id"))
                .col(id("assigned_by"))
                .col(day_null("due_on"))
                .col(txt("note"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "opportunity_assignments",
                    "need_id",
                    "tech_needs",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "opportunity_assignments",
                    "capability_id",
                    "research_capabilities",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "opportunity_assignments",
                    "broker_id",
                    "users",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "opportunity_assignments",
                    "assigned_by",
                    "users",
                    Cascade,
                ))
                .to_owned(),
        ];
        let indexes = vec![
            index("opportunities", &["need_id", "capability_id"], true),
            index("opportunities", &["score_ppm", "id"], false),
            index("opportunities", &["capability_id"], false),
            index(
                "opportunity_assignments",
                &["need_id", "capability_id"],
                true,
            ),
            index("opportunity_assignments", &["broker_id"], false),
        ];
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "opportunity_assignments",
                "opportunity_rankings",
                "opportunities",
            ],
        )
        .await
    }
}
