//! `opportunity_rankings` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "opportunity_rankings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub need_id: i64,
    pub ranked_at: DateTimeUtc,
}

relations! {
    belongs_to {
        TechNeed: tech_needs(NeedId -> Id), Cascade, "fk_opportunity_rankings_need_id";
    }
    has_many {}
}
