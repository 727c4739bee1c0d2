//! Technology needs, research capabilities and talent profiles, with their
//! classification codes and the capability ↔ talent links.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000003_needs_capabilities_talents"
    }
}

/// A link table `owner_column → owner(id)` (cascade) and `code → taxonomy(code)`
/// (restrict), keyed by both.
fn code_link(
    name: &'static str,
    owner_column: &'static str,
    owner: &'static str,
    taxonomy: &'static str,
) -> TableCreateStatement {
    table(name)
        .col(id(owner_column))
        .col(txt("code"))
        .primary_key(&mut composite_key(owner_column, "code"))
        .foreign_key(&mut fk(
            name,
            owner_column,
            owner,
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk_to(
            name,
            "code",
            taxonomy,
            "code",
            ForeignKeyAction::Restrict,
        ))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};
        let tables = vec![
            table_with_id("tech_needs")
                .col(id("organization_id"))
                .col(id("created_by"))
                .col(txt("title"))
                .col(txt("description"))
                .col(json_text("keywords"))
                .col(int_null("trl_required"))
                .col(money_null("budget_min"))
                .col(money_null("budget_max"))
                .col(day_null("deadline"))
                .col(json_text("cooperation_modes"))
                .col(txt("visibility"))
                .col(txt("status"))
                .col(version())
                .col(time_null("published_at"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "tech_needs",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .foreign_key(&mut fk("tech_needs", "created_by", "users", Restrict))
                .to_owned(),
            code_link("need_disciplines", "need_id", "tech_needs", "disciplines"),
            code_link("need_industries", "need_id", "tech_needs", "industries"),
            table_with_id("research_capabilities")
                .col(id("organization_id"))
                .col(id("created_by"))
                .col(txt("title"))
                .col(txt("summary"))
                .col(json_text("keywords"))
                .col(int_null("trl"))
                .col(json_text("achievements"))
                .col(txt("status"))
                .col(version())
                .col(time_null("published_at"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "research_capabilities",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "research_capabilities",
                    "created_by",
                    "users",
                    Restrict,
                ))
                .to_owned(),
            code_link(
                "capability_disciplines",
                "capability_id",
                "research_capabilities",
                "disciplines",
            ),
            table_with_id("talent_profiles")
                .col(id("organization_id"))
                .col(id_null("user_id"))
                .col(txt("name"))
                .col(txt_null("title"))
                .col(txt("bio"))
                .col(json_text("keywords"))
                .col(json_text("availability"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "talent_profiles",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .foreign_key(&mut fk("talent_profiles", "user_id", "users", Restrict))
                .to_owned(),
            code_link(
                "talent_disciplines",
                "talent_id",
                "talent_profiles",
                "disciplines",
            ),
            table("capability_talents")
                .col(id("capability_id"))
                .col(id("talent_id"))
                .primary_key(&mut composite_key("capability_id", "talent_id"))
                .foreign_key(&mut fk(
                    "capability_talents",
                    "capability_id",
                    "research_capabilities",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "capability_talents",
                    "talent_id",
                    "talent_profiles",
                    Cascade,
                ))
                .to_owned(),
        ];
        let indexes = vec![
            index("tech_needs", &["organization_id"], false),
            index("tech_needs", &["status", "id"], false),
            index("tech_needs", &["visibility"], false),
            index("tech_needs", &["updated_at"], false),
            index("need_disciplines", &["code"], false),
            index("need_industries", &["code"], false),
            index("research_capabilities", &["organization_id"], false),
            index("research_capabilities", &["status", "id"], false),
            index("research_capabilities", &["updated_at"], false),
            index("capability_disciplines", &["code"], false),
            index("talent_profiles", &["organization_id"], false),
            index("talent_profiles", &["user_id"], true),
            index("talent_disciplines", &["code"], false),
            index("capability_talents", &["talent_id"], false),
        ];
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "capability_talents",
                "talent_disciplines",
                "talent_profiles",
                "capability_disciplines",
                "research_capabilities",
                "need_industries",
                "need_disciplines",
                "tech_needs",
            ],
        )
        .await
    }
}
