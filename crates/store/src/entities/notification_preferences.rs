//! `notification_preferences` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_preferences")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub channel: String,
}

relations! {
    belongs_to {
        User: users(UserId -> Id), Cascade, "fk_notification_preferences_user_id";
    }
    has_many {}
}
