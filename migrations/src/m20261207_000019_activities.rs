//! Cooperation activities (合作活动): the records of the four areas of the
//! framework agreement that are neither projects nor the testing center —
//! TALENT_SHARING, JOINT_TRAINING, VOCATIONAL_EDUCATION and
//! ORGANIZATION_PAIRING. `activities` (optionally under an agreement),
//! `activity_organizations` (every organisation involved, the host
//! included) and `activity_participants` (the people taking part, with the
//! hours they contributed).
//!
//! Touches no table of the earlier migrations. `down` drops the three
//! tables, children first.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000019_activities"
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
            table_with_id("activities")
                .col(id_null("agreement_id"))
                .col(txt("area"))
                .col(txt("kind"))
                .col(txt("title"))
                .col(txt_null("description"))
                .col(txt("status"))
                .col(schema::date(Alias::new("start_date")))
                .col(day_null("end_date"))
                .col(id("host_organization_id"))
                .col(int_null("attendance"))
                .col(txt_null("cancel_reason"))
                .col(version())
                .col(id("created_by"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .col(time_null("completed_at"))
                .foreign_key(&mut fk(
                    "activities",
                    "agreement_id",
                    "agreements",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "activities",
                    "host_organization_id",
                    "organizations",
                    Restrict,
                ))
                .foreign_key(&mut fk("activities", "created_by", "users", Restrict))
                .to_owned(),
            table("activity_organizations")
                .col(id("activity_id"))
                .col(id("organization_id"))
                .primary_key(&mut composite_key("activity_id", "organization_id"))
                .foreign_key(&mut fk(
                    "activity_organizations",
                    "activity_id",
                    "activities",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "activity_organizations",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .to_owned(),
            table_with_id("activity_participants")
                .col(id("activity_id"))
                .col(txt("role"))
                .col(id_null("talent_id"))
                .col(txt("name"))
                .col(id_null("organization_id"))
                .col(int_null("hours"))
                .col(time("created_at"))
                .foreign_key(&mut fk(
                    "activity_participants",
                    "activity_id",
                    "activities",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "activity_participants",
                    "talent_id",
                    "talent_profiles",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "activity_participants",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .to_owned(),
        ];
        let indexes = vec![
            index("activities", &["agreement_id"], false),
            index("activities", &["area"], false),
            index("activities", &["status"], false),
            index("activities", &["start_date"], false),
            index("activities", &["host_organization_id"], false),
            index("activity_organizations", &["organization_id"], false),
            index("activity_participants", &["activity_id"], false),
            index("activity_participants", &["talent_id"], false),
        ];
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "activity_participants",
                "activity_organizations",
                "activities",
            ],
        )
        .await
    }
}
