//! Conversations: `threads` (one per match and per project, made on its
//! first message), `thread_messages`, `thread_attachments` (the metadata of
//! uploaded files; their bytes are in the file store under `storage_key`)
//! and `thread_reads` (each reader's read mark per thread). A thread goes
//! with its need, capability or project; messages and attachments go with
//! their thread. `down` drops the four tables.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000024_threads"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};
        let tables = vec![
            table_with_id("threads")
                .col(txt("subject_key"))
                .col(id_null("need_id"))
                .col(id_null("capability_id"))
                .col(id_null("project_id"))
                .col(time("created_at"))
                .foreign_key(&mut fk("threads", "need_id", "tech_needs", Cascade))
                .foreign_key(&mut fk(
                    "threads",
                    "capability_id",
                    "research_capabilities",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "threads",
                    "project_id",
                    "cooperation_projects",
                    Cascade,
                ))
                .to_owned(),
            table_with_id("thread_messages")
                .col(id("thread_id"))
                .col(id("author_id"))
                .col(id_null("organization_id"))
                .col(txt("body"))
                .col(time("posted_at"))
                .foreign_key(&mut fk("thread_messages", "thread_id", "threads", Cascade))
                .foreign_key(&mut fk("thread_messages", "author_id", "users", Restrict))
                .foreign_key(&mut fk(
                    "thread_messages",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .to_owned(),
            table_with_id("thread_attachments")
                .col(id("thread_id"))
                .col(id_null("message_id"))
                .col(txt("storage_key"))
                .col(txt("name"))
                .col(txt("content_type"))
                .col(money("size"))
                .col(id("uploaded_by"))
                .col(time("created_at"))
                .foreign_key(&mut fk(
                    "thread_attachments",
                    "thread_id",
                    "threads",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "thread_attachments",
                    "message_id",
                    "thread_messages",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "thread_attachments",
                    "uploaded_by",
                    "users",
                    Restrict,
                ))
                .to_owned(),
            table("thread_reads")
                .col(id("thread_id"))
                .col(id("user_id"))
                .col(id("last_read_message_id"))
                .col(time("read_at"))
                .primary_key(&mut composite_key("thread_id", "user_id"))
                .foreign_key(&mut fk("thread_reads", "thread_id", "threads", Cascade))
                .foreign_key(&mut fk("thread_reads", "user_id", "users", Cascade))
                .to_owned(),
        ];
        let indexes = vec![
            index("threads", &["subject_key"], true),
            index("threads", &["need_id"], false),
            index("threads", &["capability_id"], false),
            index("threads", &["project_id"], false),
            index("thread_messages", &["thread_id"], false),
            index("thread_attachments", &["storage_key"], true),
            index("thread_attachments", &["thread_id"], false),
            index("thread_attachments", &["message_id"], false),
            index("thread_reads", &["user_id"], false),
        ];
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "thread_reads",
                "thread_attachments",
                "thread_messages",
                "threads",
            ],
        )
        .await
    }
}
