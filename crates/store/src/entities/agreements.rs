//! `agreements` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agreements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    pub signed_on: Option<Date>,
    pub term_start: Date,
    pub term_end: Date,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub termination_reason: Option<String>,
    pub version: i32,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    belongs_to {
        Creator: users(CreatedBy -> Id), Restrict, "fk_agreements_created_by";
    }
    has_many {
        AgreementParties: agreement_parties;
        AgreementAreas: agreement_areas;
        AgreementResponsibles: agreement_responsibles;
        CooperationProjects: cooperation_projects;
        TechNeeds: tech_needs;
        PlanTargets: plan_targets;
        Bookings: bookings;
        PlanWorkItems: plan_work_items;
        Activities: activities;
    }
}
