//! Staged confidentiality of CONFIDENTIAL needs: the teaser an owner writes
//! for outsiders (`need_teasers`, one per need), the disclosures of a need
//! to another organisation under a non-disclosure agreement
//! (`need_disclosures`, one per need and receiving organisation, revoked
//! and offered again in place), and the log of every offer, acceptance,
//! revocation and read of disclosed text (`disclosure_events`, written in
//! the transaction of the change or with the read, never changed).

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000025_disclosures"
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
            table_with_id("need_teasers")
                .col(id("need_id"))
                .col(txt("title"))
                .col(txt("summary"))
                .col(version())
                .col(id("updated_by"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk("need_teasers", "need_id", "tech_needs", Cascade))
                .foreign_key(&mut fk("need_teasers", "updated_by", "users", Restrict))
                .to_owned(),
            table_with_id("need_disclosures")
                .col(id("need_id"))
                .col(id("organization_id"))
                .col(txt("status"))
                .col(txt_null("nda_version"))
                .col(id("offered_by"))
                .col(time("offered_at"))
                .col(id_null("accepted_by"))
                .col(time_null("accepted_at"))
                .col(id_null("revoked_by"))
                .col(time_null("revoked_at"))
                .col(version())
                .foreign_key(&mut fk(
                    "need_disclosures",
                    "need_id",
                    "tech_needs",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "need_disclosures",
                    "organization_id",
                    "organizations",
                    Cascade,
                ))
                .foreign_key(&mut fk("need_disclosures", "offered_by", "users", Restrict))
                .foreign_key(&mut fk(
                    "need_disclosures",
                    "accepted_by",
                    "users",
                    Restrict,
                ))
                .foreign_key(&mut fk("need_disclosures", "revoked_by", "users", Restrict))
                .to_owned(),
            table_with_id("disclosure_events")
                .col(id("need_id"))
                .col(id("disclosure_id"))
                .col(id("organization_id"))
                .col(id("user_id"))
                .col(txt("action"))
                .col(txt_null("nda_version"))
                .col(time("at"))
                .foreign_key(&mut fk(
                    "disclosure_events",
                    "need_id",
                    "tech_needs",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "disclosure_events",
                    "disclosure_id",
                    "need_disclosures",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "disclosure_events",
                    "organization_id",
                    "organizations",
                    Cascade,
                ))
                .foreign_key(&mut fk("disclosure_events", "user_id", "users", Restrict))
                .to_owned(),
        ];
        let indexes = vec![
            index("need_teasers", &["need_id"], true),
            index("need_disclosures", &["need_id", "organization_id"], true),
            index("need_disclosures", &["organization_id", "status"], false),
            index("disclosure_events", &["need_id", "id"], false),
            index("disclosure_events", &["disclosure_id"], false),
        ];
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &["disclosure_events", "need_disclosures", "need_teasers"],
        )
        .await
    }
}
