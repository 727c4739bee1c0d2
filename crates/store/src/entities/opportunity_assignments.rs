//! `opportunity_assignments` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "opportunity_assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub need_id: i64,
    pub capability_id: i64,
    pub broker_id: i64,
    pub assigned_by: i64,
    pub due_on: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    belongs_to {
        TechNeed: tech_needs(NeedId -> Id), Cascade, "fk_opportunity_assignments_need_id";
        Capability: research_capabilities(CapabilityId -> Id), Cascade, "fk_opportunity_assignments_capability_id";
        Broker: users(BrokerId -> Id), Cascade, "fk_opportunity_assignments_broker_id";
    }
    has_many {}
    not_related {
        AssignedBy: users(AssignedBy -> Id), Cascade, "fk_opportunity_assignments_assigned_by";
    }
}
