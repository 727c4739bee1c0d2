//! `agreement_coordinators` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_coordinators")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// The agreement coordinated: it and the work filed under it.
    pub agreement_id: i64,
    pub granted_by: Option<i64>,
    pub granted_at: DateTimeUtc,
    pub revoked_by: Option<i64>,
    pub revoked_at: Option<DateTimeUtc>,
}

relations! {
    belongs_to {
        User: users(UserId -> Id), Cascade, "fk_agreement_coordinators_user_id";
        Agreement: agreements(AgreementId -> Id), Cascade, "fk_agreement_coordinators_agreement_id";
    }
    has_many {}
    not_related {
        GrantedBy: users(GrantedBy -> Id), SetNull, "fk_agreement_coordinators_granted_by";
        RevokedBy: users(RevokedBy -> Id), SetNull, "fk_agreement_coordinators_revoked_by";
    }
}
