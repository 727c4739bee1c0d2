//! `thread_messages` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "thread_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub thread_id: i64,
    pub author_id: i64,
    pub organization_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub posted_at: DateTimeUtc,
}

relations! {
    belongs_to {
        Thread: threads(ThreadId -> Id), Cascade, "fk_thread_messages_thread_id";
        Author: users(AuthorId -> Id), Restrict, "fk_thread_messages_author_id";
        Organization: organizations(OrganizationId -> Id), Restrict, "fk_thread_messages_organization_id";
    }
    has_many {
        Attachments: thread_attachments;
    }
}
