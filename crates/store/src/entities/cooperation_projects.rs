//! `cooperation_projects` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "cooperation_projects")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub area: String,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub need_id: Option<i64>,
    pub capability_id: Option<i64>,
    pub match_id: Option<i64>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub termination_reason: Option<String>,
    pub version: i32,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub items_total: i32,
    pub items_done: i32,
    pub progress: i32,
    pub due_key: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::tech_needs::Entity",
        from = "Column::NeedId",
        to = "super::tech_needs::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_cooperation_projects_need_id"
    )]
    TechNeed,
    #[sea_orm(
        belongs_to = "super::research_capabilities::Entity",
        from = "Column::CapabilityId",
        to = "super::research_capabilities::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_cooperation_projects_capability_id"
    )]
    ResearchCapability,
    #[sea_orm(
        belongs_to = "super::matches::Entity",
        from = "Column::MatchId",
        to = "super::matches::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_cooperation_projects_match_id"
    )]
    Match,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::CreatedBy",
        to = "super::users::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_cooperation_projects_created_by"
    )]
    Creator,
    #[sea_orm(has_many = "super::project_parties::Entity")]
    ProjectParties,
    #[sea_orm(has_many = "super::milestones::Entity")]
    Milestones,
    #[sea_orm(has_many = "super::checklist_items::Entity")]
    ChecklistItems,
    #[sea_orm(has_many = "super::project_events::Entity")]
    ProjectEvents,
}

impl Related<super::tech_needs::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TechNeed.def()
    }
}

impl Related<super::research_capabilities::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ResearchCapability.def()
    }
}

impl Related<super::matches::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Match.def()
    }
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Creator.def()
    }
}

impl Related<super::project_parties::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProjectParties.def()
    }
}

impl Related<super::milestones::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Milestones.def()
    }
}

impl Related<super::checklist_items::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ChecklistItems.def()
    }
}

impl Related<super::project_events::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProjectEvents.def()
    }
}

/// Through `project_parties`.
impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        super::project_parties::Relation::Organization.def()
    }

    fn via() -> Option<RelationDef> {
        Some(
            super::project_parties::Relation::CooperationProject
                .def()
                .rev(),
        )
    }
}

impl ActiveModelBehavior for ActiveModel {}
