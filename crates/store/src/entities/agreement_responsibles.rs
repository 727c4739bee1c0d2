//! `agreement_responsibles` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_responsibles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub agreement_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
}

relations! {
    belongs_to {
        Agreement: agreements(AgreementId -> Id), Cascade, "fk_agreement_responsibles_agreement_id";
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_agreement_responsibles_organization_id";
        User: users(UserId -> Id), Restrict, "fk_agreement_responsibles_user_id";
    }
    has_many {}
}
