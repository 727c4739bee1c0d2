//! `agreement_areas` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_areas")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub agreement_id: i64,
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub area: String,
}

relations! {
    belongs_to {
        Agreement: agreements(AgreementId -> Id), Cascade, "fk_agreement_areas_agreement_id";
    }
    has_many {}
}
