//! `saved_searches` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "saved_searches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    #[sea_orm(column_type = "Text")]
    pub query: String,
    /// The JSON array of the types searched (`NEED`, `CAPABILITY`, …).
    #[sea_orm(column_type = "Text")]
    pub types: String,
    /// The JSON object of the search's filters.
    #[sea_orm(column_type = "Text")]
    pub filters: String,
    pub created_at: DateTimeUtc,
    /// Objects published after this instant are new to the search.
    pub checked_at: DateTimeUtc,
}

relations! {
    belongs_to {
        User: users(UserId -> Id), Cascade, "fk_saved_searches_user_id";
    }
    has_many {}
}
