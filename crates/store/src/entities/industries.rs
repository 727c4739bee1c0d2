//! `industries` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "industries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub parent_code: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub name_zh: String,
    #[sea_orm(column_type = "Text")]
    pub name_en: String,
    pub level: i32,
}

relations! {
    belongs_to {}
    has_many {
        NeedIndustries: need_industries;
    }
    not_related {
        Parent: industries(ParentCode -> Code), Restrict, "fk_industries_parent_code";
    }
}

related_through! { tech_needs: need_industries, Industry -> TechNeed }
