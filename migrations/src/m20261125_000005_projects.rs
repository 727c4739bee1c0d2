//! Cooperation projects, their parties, milestones, checklist items and the
//! project event log.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000005_projects"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        let tables = vec![
            table_with_id("cooperation_projects")
                .col(txt("title"))
                .col(txt("area"))
                .col(txt("status"))
                .col(id_null("need_id"))
                .col(id_null("capability_id"))
                .col(id_null("match_id"))
                .col(day_null("start_date"))
                .col(day_null("end_date"))
                .col(txt_null("termination_reason"))
                .col(version())
                .col(id("created_by"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "cooperation_projects",
                    "need_id",
                    "tech_needs",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "cooperation_projects",
                    "capability_id",
                    "research_capabilities",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "cooperation_projects",
                    "match_id",
                    "matches",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "cooperation_projects",
                    "created_by",
                    "users",
                    Restrict,
                ))
                .to_owned(),
            table("project_parties")
                .col(id("project_id"))
                .col(id("organization_id"))
                .primary_key(&mut composite_key("project_id", "organization_id"))
                .foreign_key(&mut fk(
                    "project_parties",
                    "project_id",
                    "cooperation_projects",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "project_parties",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .to_owned(),
            table_with_id("milestones")
                .col(id("project_id"))
                .col(txt("title"))
                .col(day_null("due_date"))
                .col(int("position"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "milestones",
                    "project_id",
                    "cooperation_projects",
                    Cascade,
                ))
                .to_owned(),
            table_with_id("checklist_items")
                .col(id("project_id"))
                .col(id_null("milestone_id"))
                .col(txt("title"))
                .col(id_null("owner_user_id"))
                .col(day_null("due_date"))
                .col(txt("status"))
                .col(txt_null("note"))
                .col(int("position"))
                .col(version())
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "checklist_items",
                    "project_id",
                    "cooperation_projects",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "checklist_items",
                    "milestone_id",
                    "milestones",
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    "checklist_items",
                    "owner_user_id",
                    "users",
                    Restrict,
                ))
                .to_owned(),
            table_with_id("project_events")
                .col(id("project_id"))
                .col(id_null("actor_user_id"))
                .col(txt("kind"))
                .col(json_text("detail"))
                .col(time("created_at"))
                .foreign_key(&mut fk(
                    "project_events",
                    "project_id",
                    "cooperation_projects",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "project_events",
                    "actor_user_id",
                    "users",
                    Restrict,
                ))
                .to_owned(),
        ];
        let indexes = vec![
            index("cooperation_projects", &["status"], false),
            index("cooperation_projects", &["area"], false),
            index("cooperation_projects", &["need_id"], false),
            index("project_parties", &["organization_id"], false),
            index("milestones", &["project_id"], false),
            index("checklist_items", &["project_id", "position"], false),
            index("checklist_items", &["status", "due_date"], false),
            index("project_events", &["project_id", "id"], false),
        ];
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "project_events",
                "checklist_items",
                "milestones",
                "project_parties",
                "cooperation_projects",
            ],
        )
        .await
    }
}
