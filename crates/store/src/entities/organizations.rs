//! `organizations` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub parent_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub region_province: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub region_city: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::ParentId",
        to = "Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_organizations_parent_id"
    )]
    Parent,
    #[sea_orm(has_many = "super::memberships::Entity")]
    Memberships,
    #[sea_orm(has_many = "super::tech_needs::Entity")]
    TechNeeds,
    #[sea_orm(has_many = "super::research_capabilities::Entity")]
    ResearchCapabilities,
    #[sea_orm(has_many = "super::talent_profiles::Entity")]
    TalentProfiles,
    #[sea_orm(has_many = "super::project_parties::Entity")]
    ProjectParties,
    #[sea_orm(has_many = "super::instruments::Entity")]
    Instruments,
}

impl Related<super::memberships::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Memberships.def()
    }
}

impl Related<super::tech_needs::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TechNeeds.def()
    }
}

impl Related<super::research_capabilities::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ResearchCapabilities.def()
    }
}

impl Related<super::talent_profiles::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TalentProfiles.def()
    }
}

impl Related<super::project_parties::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProjectParties.def()
    }
}

impl Related<super::instruments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Instruments.def()
    }
}

/// Through `memberships`.
impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        super::memberships::Relation::User.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::memberships::Relation::Organization.def().rev())
    }
}

/// Through `project_parties`.
impl Related<super::cooperation_projects::Entity> for Entity {
    fn to() -> RelationDef {
        super::project_parties::Relation::CooperationProject.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::project_parties::Relation::Organization.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
