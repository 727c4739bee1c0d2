//! `mail_outbox` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub notification_id: i64,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub claimed_until: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    pub failed_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    /// A digest e-mail: the JSON array of the notifications it lists.
    #[sea_orm(column_type = "Text")]
    pub digest_of: Option<String>,
}

relations! {
    belongs_to {
        Notification: notifications(NotificationId -> Id), Cascade, "fk_mail_outbox_notification_id";
    }
    has_many {}
}
