//! `interests` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "interests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub need_id: i64,
    pub capability_id: Option<i64>,
    pub talent_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub message: String,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub reviewed_by: Option<i64>,
    pub reviewed_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub decline_reason: Option<String>,
}

relations! {
    belongs_to {
        TechNeed: tech_needs(NeedId -> Id), Cascade, "fk_interests_need_id";
        ResearchCapability: research_capabilities(CapabilityId -> Id), Cascade, "fk_interests_capability_id";
        TalentProfile: talent_profiles(TalentId -> Id), Cascade, "fk_interests_talent_id";
        Creator: users(CreatedBy -> Id), SetNull, "fk_interests_created_by";
    }
    has_many {}
    not_related {
        Reviewer: users(ReviewedBy -> Id), SetNull, "fk_interests_reviewed_by";
    }
}
