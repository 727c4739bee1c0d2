//! Organisations, users, memberships and refresh tokens.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000001_organizations_users"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Restrict;
        let tables = vec![
            table_with_id("organizations")
                .col(id_null("parent_id"))
                .col(txt("name"))
                .col(txt("kind"))
                .col(txt_null("region_province"))
                .col(txt_null("region_city"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "organizations",
                    "parent_id",
                    "organizations",
                    Restrict,
                ))
                .to_owned(),
            table_with_id("users")
                .col(txt("email"))
                .col(txt("password_hash"))
                .col(txt("display_name"))
                .col(txt_null("platform_role"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .to_owned(),
            table_with_id("memberships")
                .col(id("user_id"))
                .col(id("organization_id"))
                .col(txt("role"))
                .col(time("created_at"))
                .foreign_key(&mut fk("memberships", "user_id", "users", Restrict))
                .foreign_key(&mut fk(
                    "memberships",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .to_owned(),
            table_with_id("refresh_tokens")
                .col(id("user_id"))
                .col(txt("family_id"))
                .col(txt("token_hash"))
                .col(time("expires_at"))
                .col(time_null("used_at"))
                .col(time_null("revoked_at"))
                .col(time("created_at"))
                .foreign_key(&mut fk("refresh_tokens", "user_id", "users", Restrict))
                .to_owned(),
        ];
        let indexes = vec![
            // Its leading column also serves lookups by `parent_id`.
            index("organizations", &["parent_id", "name"], true),
            index("organizations", &["name"], false),
            index("users", &["email"], true),
            index("memberships", &["user_id", "organization_id"], true),
            index("memberships", &["organization_id"], false),
            index("refresh_tokens", &["token_hash"], true),
            index("refresh_tokens", &["family_id"], false),
            index("refresh_tokens", &["user_id"], false),
        ];
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        clear_self_reference(manager, "organizations", "parent_id").await?;
        drop(
            manager,
            &["refresh_tokens", "memberships", "users", "organizations"],
        )
        .await
    }
}
