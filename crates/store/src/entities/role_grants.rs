//! `role_grants` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "role_grants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// COORDINATOR or SUPERVISOR.
    #[sea_orm(column_type = "Text")]
    pub role: String,
    /// The root of the scope: this organisation and its descendants.
    pub organization_id: i64,
    pub granted_by: Option<i64>,
    pub granted_at: DateTimeUtc,
    pub revoked_by: Option<i64>,
    pub revoked_at: Option<DateTimeUtc>,
}

relations! {
    belongs_to {
        User: users(UserId -> Id), Cascade, "fk_role_grants_user_id";
        Organization: organizations(OrganizationId -> Id), Cascade, "fk_role_grants_organization_id";
    }
    has_many {}
    not_related {
        GrantedBy: users(GrantedBy -> Id), SetNull, "fk_role_grants_granted_by";
        RevokedBy: users(RevokedBy -> Id), SetNull, "fk_role_grants_revoked_by";
    }
}
