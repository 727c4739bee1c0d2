//! Notifications and the e-mail outbox: `notifications` (each user's inbox:
//! kind, what it is about as a key such as `match:3.8` or `project:5`, the
//! values its text is written from, read or not), `notification_preferences` (a user's channel per kind, when not
//! the kind's default), `mail_outbox` (one row per e-mail to send, written
//! in the transaction of the change that caused it; claimed by one server
//! at a time, retried with back-off, marked sent) and `users.locale` (the
//! language a user's e-mail is written in). On PostgreSQL every new
//! notification tells every listening server (`NOTIFY iurhub_changes`,
//! payload `{"o": …, "t": "notification", "id": 7, "p": <user id>}`), so
//! `notificationAdded` subscribers of any replica hear of it. `down` drops
//! the trigger, the function, the three tables and the column.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000027_notifications"
    }
}

const PG_FUNCTION: &str = r#"
CREATE OR REPLACE FUNCTION iurhub_notify_notification() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('iurhub_changes', json_build_object(
        'o', current_setting('application_name'),
        't', 'notification',
        'id', NEW.id,
        'p', NEW.user_id)::text);
    RETURN NULL;
END
$$"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("users"))
                    .add_column(txt("locale").default("zh-CN").to_owned())
                    .to_owned(),
            )
            .await?;
        let tables = vec![
            table_with_id("notifications")
                .col(id("user_id"))
                .col(txt("kind"))
                .col(txt_null("subject"))
                .col(json_text("params"))
                .col(time("created_at"))
                .col(time_null("read_at"))
                .foreign_key(&mut fk("notifications", "user_id", "users", Cascade))
                .to_owned(),
            table("notification_preferences")
                .col(id("user_id"))
                .col(txt("kind"))
                .col(txt("channel"))
                .primary_key(&mut composite_key("user_id", "kind"))
                .foreign_key(&mut fk(
                    "notification_preferences",
                    "user_id",
                    "users",
                    Cascade,
                ))
                .to_owned(),
            table_with_id("mail_outbox")
                .col(id("notification_id"))
                .col(int("attempts").default(0).to_owned())
                .col(time("next_attempt_at"))
                .col(time_null("claimed_until"))
                .col(time_null("sent_at"))
                .col(time_null("failed_at"))
                .col(txt_null("last_error"))
                .col(time("created_at"))
                .foreign_key(&mut fk(
                    "mail_outbox",
                    "notification_id",
                    "notifications",
                    Cascade,
                ))
                .to_owned(),
        ];
        let indexes = vec![
            index("notifications", &["user_id", "read_at"], false),
            index("mail_outbox", &["sent_at", "next_attempt_at"], false),
            index("mail_outbox", &["notification_id"], false),
        ];
        create(manager, tables, indexes).await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared(PG_FUNCTION).await?;
            db.execute_unprepared(
                "CREATE TRIGGER iurhub_notify_notification AFTER INSERT ON notifications \
                 FOR EACH ROW EXECUTE FUNCTION iurhub_notify_notification()",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS iurhub_notify_notification() CASCADE")
                .await?;
        }
        drop(
            manager,
            &["mail_outbox", "notification_preferences", "notifications"],
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("users"))
                    .drop_column(Alias::new("locale"))
                    .to_owned(),
            )
            .await
    }
}
