//! `notifications` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub subject: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub params: String,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
    /// Whether it goes out in its user's digest (not by e-mail of its own).
    pub digest: bool,
    /// When a digest took it.
    pub digested_at: Option<DateTimeUtc>,
}

relations! {
    belongs_to {
        User: users(UserId -> Id), Cascade, "fk_notifications_user_id";
    }
    has_many {
        Mails: mail_outbox;
    }
}
