//! Organisations, users, memberships, refresh tokens and the taxonomies.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000001_core"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};
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
                .foreign_key(&mut fk("memberships", "user_id", "users", Cascade))
                .foreign_key(&mut fk(
                    "memberships",
                    "organization_id",
                    "organizations",
                    Cascade,
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
                .foreign_key(&mut fk("refresh_tokens", "user_id", "users", Cascade))
                .to_owned(),
            taxonomy_table("disciplines"),
            taxonomy_table("industries"),
        ];
        let indexes = vec![
            index("organizations", &["parent_id", "name"], true),
            index("organizations", &["name"], false),
            index("users", &["email"], true),
            index("memberships", &["user_id", "organization_id"], true),
            index("memberships", &["organization_id"], false),
            index("refresh_tokens", &["token_hash"], true),
            index("refresh_tokens", &["family_id"], false),
            index("refresh_tokens", &["user_id"], false),
            index("disciplines", &["parent_code"], false),
            index("industries", &["parent_code"], false),
        ];
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "industries",
                "disciplines",
                "refresh_tokens",
                "memberships",
                "users",
                "organizations",
            ],
        )
        .await
    }
}

fn taxonomy_table(name: &'static str) -> TableCreateStatement {
    table(name)
        .col(txt("code").primary_key())
        .col(txt_null("parent_code"))
        .col(txt("name_zh"))
        .col(txt("name_en"))
        .col(int("level"))
        .foreign_key(&mut fk_to(
            name,
            "parent_code",
            name,
            "code",
            ForeignKeyAction::Restrict,
        ))
        .to_owned()
}
