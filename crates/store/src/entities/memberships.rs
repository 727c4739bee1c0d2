//! `memberships` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "memberships")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub organization_id: i64,
    #[sea_orm(column_type = "Text")]
    pub role: String,
    pub created_at: DateTimeUtc,
}

relations! {
    belongs_to {
        User: users(UserId -> Id), Restrict, "fk_memberships_user_id";
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_memberships_organization_id";
    }
    has_many {}
}
