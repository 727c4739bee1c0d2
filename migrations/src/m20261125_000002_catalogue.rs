//! Technology needs, research capabilities, talent profiles, their codes, and matches.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000002_catalogue"
    }
}

/// A link table `owner_column → owner(id)`, `other_column → other(key)`.
fn link(
    name: &'static str,
    owner_column: &'static str,
    owner: &'static str,
    other_column: &'static str,
    other: &'static str,
    other_key: &'static str,
    other_is_text: bool,
) -> TableCreateStatement {
    let other_col = if other_is_text {
        txt(other_column)
    } else {
        id(other_column)
    };
    let other_action = if other_is_text {
        ForeignKeyAction::Restrict
    } else {
        ForeignKeyAction::Cascade
    };
    table(name)
        .col(id(owner_column))
        .col(other_col)
        .primary_key(
            Index::create()
                .col(Alias::new(owner_column))
                .col(Alias::new(other_column)),
        )
        .foreign_key(&mut fk(
            name,
            owner_column,
            owner,
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk_to(
            name,
            other_column,
            other,
            other_key,
            other_action,
        ))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        let tables = vec![
            table_with_id("tech_needs")
                .col(id("organization_id"))
                .col(id("created_by"))
                .col(txt("title"))
                .col(txt("description"))
                .col(txt("keywords"))
                .col(int_null("trl_required"))
                .col(money_null("budget_min"))
                .col(money_null("budget_max"))
                .col(day_null("deadline"))
                .col(txt("cooperation_modes"))
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
            link(
                "need_disciplines",
                "need_id",
                "tech_needs",
                "code",
                "disciplines",
                "code",
                true,
            ),
            link(
                "need_industries",
                "need_id",
                "tech_needs",
                "code",
                "industries",
                "code",
                true,
            ),
            table_with_id("research_capabilities")
                .col(id("organization_id"))
                .col(id("created_by"))
                .col(txt("title"))
                .col(txt("summary"))
                .col(txt("keywords"))
                .col(int_null("trl"))
                .col(txt("achievements"))
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
            link(
                "capability_disciplines",
                "capability_id",
                "research_capabilities",
                "code",
                "disciplines",
                "code",
                true,
            ),
            table_with_id("talent_profiles")
                .col(id("organization_id"))
                .col(id_null("user_id"))
                .col(txt("name"))
                .col(txt_null("title"))
                .col(txt("bio"))
                .col(txt("keywords"))
                .col(txt("availability"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "talent_profiles",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .foreign_key(&mut fk("talent_profiles", "user_id", "users", SetNull))
                .to_owned(),
            link(
                "talent_disciplines",
                "talent_id",
                "talent_profiles",
                "code",
                "disciplines",
                "code",
                true,
            ),
            link(
                "capability_talents",
                "capability_id",
                "research_capabilities",
                "talent_id",
                "talent_profiles",
                "id",
                false,
            ),
            table_with_id("matches")
                .col(id("need_id"))
                .col(id("capability_id"))
                .col(
                    ColumnDef::new(Alias::new("score"))
                        .double()
                        .not_null()
                        .to_owned(),
                )
                .col(txt("factors"))
                .col(txt("matched_terms"))
                .col(txt("status"))
                .col(txt_null("decline_reason"))
                .col(txt_null("decline_comment"))
                .col(id_null("decided_by"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk("matches", "need_id", "tech_needs", Cascade))
                .foreign_key(&mut fk(
                    "matches",
                    "capability_id",
                    "research_capabilities",
                    Cascade,
                ))
                .foreign_key(&mut fk("matches", "decided_by", "users", SetNull))
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
            index("matches", &["need_id", "capability_id"], true),
            index("matches", &["capability_id"], false),
            index("matches", &["need_id", "status"], false),
        ];
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "matches",
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
