//! Billing: price tiers, test items, billing accounts, invoices and the
//! owners' settlement shares.
//!
//! - `instruments.rate_group_cents`: the hourly price of the GROUP tier;
//!   existing instruments get their internal rate (`rate_internal_cents`
//!   stays the INTERNAL price, `rate_external_cents` the EXTERNAL one).
//! - `test_items`: a center's price list of test items (code unique per
//!   center, names in Chinese and English, a unit, a price per tier).
//! - `billing_accounts`: one per client organisation
//!   (`ux_billing_accounts_organization_id`), its contact and invoice title.
//! - `invoices`: a DRAFT → ISSUED → PAID (or VOID) invoice of a center to a
//!   client organisation for a period of days.
//! - `invoice_lines`: kind BOOKING (a completed booking) or SERVICE_ORDER;
//!   a booking and a service order are billed at most once ever
//!   (`ux_invoice_lines_booking_id`, `ux_invoice_lines_service_order_id`;
//!   both nullable, so lines of the other kind do not collide).
//! - `invoice_line_shares`: each owner's part of a line, fixed when billed.
//!
//! Money is integer fen (BIGINT) throughout. `down` drops the tables and
//! the column.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000034_billing"
    }
}

fn day(name: &'static str) -> ColumnDef {
    schema::date(Alias::new(name))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("instruments"))
                    .add_column(money("rate_group_cents").default(0).to_owned())
                    .to_owned(),
            )
            .await?;
        let group = Query::update()
            .table(Alias::new("instruments"))
            .value(
                Alias::new("rate_group_cents"),
                Expr::col(Alias::new("rate_internal_cents")),
            )
            .to_owned();
        manager.exec_stmt(group).await?;

        let tables = vec![
            table_with_id("test_items")
                .col(id("center_id"))
                .col(txt("code"))
                .col(txt("name_zh"))
                .col(txt("name_en"))
                .col(txt("unit"))
                .col(money("price_internal_cents"))
                .col(money("price_group_cents"))
                .col(money("price_external_cents"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "test_items",
                    "center_id",
                    "testing_centers",
                    Cascade,
                ))
                .to_owned(),
            table_with_id("billing_accounts")
                .col(id("organization_id"))
                .col(txt("contact_name"))
                .col(txt("contact_email"))
                .col(txt("contact_phone"))
                .col(txt("invoice_title"))
                .col(txt("tax_number"))
                .col(txt("address"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "billing_accounts",
                    "organization_id",
                    "organizations",
                    Cascade,
                ))
                .to_owned(),
            table_with_id("invoices")
                .col(id("center_id"))
                .col(id("organization_id"))
                .col(id("billing_account_id"))
                .col(day("period_from"))
                .col(day("period_to"))
                .col(txt("status"))
                .col(money("total_cents"))
                .col(time_null("issued_at"))
                .col(time_null("paid_at"))
                .col(time_null("voided_at"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "invoices",
                    "center_id",
                    "testing_centers",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "invoices",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "invoices",
                    "billing_account_id",
                    "billing_accounts",
                    Restrict,
                ))
                .to_owned(),
            table_with_id("invoice_lines")
                .col(id("invoice_id"))
                .col(txt("kind"))
                .col(id_null("booking_id"))
                .col(id_null("service_order_id"))
                .col(id_null("instrument_id"))
                .col(txt("description"))
                .col(money_null("seconds"))
                .col(txt("tier"))
                .col(money("unit_price_cents"))
                .col(money("amount_cents"))
                .foreign_key(&mut fk("invoice_lines", "invoice_id", "invoices", Cascade))
                .foreign_key(&mut fk("invoice_lines", "booking_id", "bookings", Restrict))
                .foreign_key(&mut fk(
                    "invoice_lines",
                    "service_order_id",
                    "service_orders",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "invoice_lines",
                    "instrument_id",
                    "instruments",
                    Restrict,
                ))
                .to_owned(),
            table("invoice_line_shares")
                .col(id("line_id"))
                .col(id("organization_id"))
                .col(int("share_percent"))
                .col(money("amount_cents"))
                .primary_key(&mut composite_key("line_id", "organization_id"))
                .foreign_key(&mut fk(
                    "invoice_line_shares",
                    "line_id",
                    "invoice_lines",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "invoice_line_shares",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .to_owned(),
        ];
        let indexes = vec![
            index("test_items", &["center_id", "code"], true),
            index("billing_accounts", &["organization_id"], true),
            index("invoices", &["center_id", "id"], false),
            index("invoices", &["organization_id", "id"], false),
            index("invoice_lines", &["invoice_id"], false),
            index("invoice_lines", &["booking_id"], true),
            index("invoice_lines", &["service_order_id"], true),
        ];
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "invoice_line_shares",
                "invoice_lines",
                "invoices",
                "billing_accounts",
                "test_items",
            ],
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("instruments"))
                    .drop_column(Alias::new("rate_group_cents"))
                    .to_owned(),
            )
            .await
    }
}
