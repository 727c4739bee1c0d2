//! Test items on quotes: `service_order_item_lines`, the lines of a
//! service order's quote that charge test items of the center's price list
//! (`test_items`) — a quantity at the client's tier price, fixed when
//! quoted — beside the instrument time of `service_order_lines`. A test
//! item on a quote cannot be removed from the price list (`Restrict`).
//! `down` drops the table.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261208_000036_service_order_items"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};
        manager
            .create_table(
                table_with_id("service_order_item_lines")
                    .col(id("order_id"))
                    .col(id("test_item_id"))
                    .col(id("quantity"))
                    .col(txt("tier"))
                    .col(money("unit_price_cents"))
                    .col(money("amount_cents"))
                    .foreign_key(&mut fk(
                        "service_order_item_lines",
                        "order_id",
                        "service_orders",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "service_order_item_lines",
                        "test_item_id",
                        "test_items",
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("service_order_item_lines", &["order_id"], false))
            .await?;
        manager
            .create_index(index("service_order_item_lines", &["test_item_id"], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(Alias::new("service_order_item_lines"))
                    .to_owned(),
            )
            .await
    }
}
