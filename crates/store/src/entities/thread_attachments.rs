//! `thread_attachments` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "thread_attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub thread_id: i64,
    pub message_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub storage_key: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub content_type: String,
    pub size: i64,
    pub uploaded_by: i64,
    pub created_at: DateTimeUtc,
}

relations! {
    belongs_to {
        Thread: threads(ThreadId -> Id), Cascade, "fk_thread_attachments_thread_id";
        Message: thread_messages(MessageId -> Id), Cascade, "fk_thread_attachments_message_id";
        UploadedBy: users(UploadedBy -> Id), Restrict, "fk_thread_attachments_uploaded_by";
    }
    has_many {}
}
