//! `tech_needs` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tech_needs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub created_by: i64,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    #[sea_orm(column_type = "Text")]
    pub keywords: String,
    pub trl_required: Option<i32>,
    pub budget_min: Option<i64>,
    pub budget_max: Option<i64>,
    pub deadline: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub cooperation_modes: String,
    #[sea_orm(column_type = "Text")]
    pub visibility: String,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub version: i32,
    pub published_at: Option<DateTimeUtc>,
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
        fk_name = "fk_tech_needs_organization_id"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::CreatedBy",
        to = "super::users::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict",
        fk_name = "fk_tech_needs_created_by"
    )]
    Creator,
    #[sea_orm(has_many = "super::need_disciplines::Entity")]
    NeedDisciplines,
    #[sea_orm(has_many = "super::need_industries::Entity")]
    NeedIndustries,
    #[sea_orm(has_many = "super::matches::Entity")]
    Matches,
    #[sea_orm(has_many = "super::cooperation_projects::Entity")]
    CooperationProjects,
}

related! {
    organizations => Organization,
    users => Creator,
    need_disciplines => NeedDisciplines,
    need_industries => NeedIndustries,
    matches => Matches,
    cooperation_projects => CooperationProjects,
}
related_through! { disciplines: need_disciplines, TechNeed -> Discipline }
related_through! { industries: need_industries, TechNeed -> Industry }
