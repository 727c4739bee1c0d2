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
    pub agreement_id: Option<i64>,
    pub published_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the need was last confirmed current (its owners confirmed,
    /// edited or published it).
    pub confirmed_at: Option<DateTimeUtc>,
}

relations! {
    belongs_to {
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_tech_needs_organization_id";
        Creator: users(CreatedBy -> Id), Restrict, "fk_tech_needs_created_by";
        Agreement: agreements(AgreementId -> Id), Restrict, "fk_tech_needs_agreement_id";
    }
    has_many {
        NeedDisciplines: need_disciplines;
        NeedIndustries: need_industries;
        Matches: matches;
        CooperationProjects: cooperation_projects;
    }
}

related_through! { disciplines: need_disciplines, TechNeed -> Discipline }
related_through! { industries: need_industries, TechNeed -> Industry }
