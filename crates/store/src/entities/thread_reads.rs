//! `thread_reads` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "thread_reads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub thread_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    pub last_read_message_id: i64,
    pub read_at: DateTimeUtc,
}

relations! {
    belongs_to {
        Thread: threads(ThreadId -> Id), Cascade, "fk_thread_reads_thread_id";
        User: users(UserId -> Id), Cascade, "fk_thread_reads_user_id";
    }
    has_many {}
}
