//! `talent_profiles` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "talent_profiles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub user_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub title: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub bio: String,
    #[sea_orm(column_type = "Text")]
    pub keywords: String,
    #[sea_orm(column_type = "Text")]
    pub availability: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_talent_profiles_organization_id"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_talent_profiles_user_id"
    )]
    User,
    #[sea_orm(has_many = "super::talent_disciplines::Entity")]
    TalentDisciplines,
    #[sea_orm(has_many = "super::capability_talents::Entity")]
    CapabilityTalents,
}

related! {
    organizations => Organization,
    users => User,
    talent_disciplines => TalentDisciplines,
    capability_talents => CapabilityTalents,
}
related_through! { disciplines: talent_disciplines, TalentProfile -> Discipline }
related_through! { research_capabilities: capability_talents, TalentProfile -> ResearchCapability }
