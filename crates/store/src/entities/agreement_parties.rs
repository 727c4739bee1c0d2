//! `agreement_parties` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_parties")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub agreement_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i64,
    pub confirmed_by: Option<i64>,
    pub confirmed_at: Option<DateTimeUtc>,
}

relations! {
    belongs_to {
        Agreement: agreements(AgreementId -> Id), Cascade, "fk_agreement_parties_agreement_id";
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_agreement_parties_organization_id";
        ConfirmedBy: users(ConfirmedBy -> Id), Restrict, "fk_agreement_parties_confirmed_by";
    }
    has_many {}
}
