//! `threads` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "threads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub subject_key: String,
    pub need_id: Option<i64>,
    pub capability_id: Option<i64>,
    pub project_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub service_order_id: Option<i64>,
}

relations! {
    belongs_to {
        Need: tech_needs(NeedId -> Id), Cascade, "fk_threads_need_id";
        Capability: research_capabilities(CapabilityId -> Id), Cascade, "fk_threads_capability_id";
        Project: cooperation_projects(ProjectId -> Id), Cascade, "fk_threads_project_id";
        ServiceOrder: service_orders(ServiceOrderId -> Id), Cascade, "fk_threads_service_order_id";
    }
    has_many {
        Messages: thread_messages;
        Attachments: thread_attachments;
        Reads: thread_reads;
    }
}
