//! Ratings of completed bookings and the instruments' waiting lists:
//! - `booking_ratings`: one rating (score 1–5 and a comment) per booking
//!   (`ux_booking_ratings_booking_id`), by its booker, with the booking's
//!   instrument kept beside it so an instrument's ratings and their
//!   average are read from one index;
//! - `waitlist_entries`: a user queued for an instrument and a time window;
//!   `WAITING` → `OFFERED` (held for the user until `offer_expires_at`) →
//!   `BOOKED` (`booking_id`), or `EXPIRED` / `CANCELLED`;
//! - `service_orders`, `service_order_lines`, `service_order_events`:
//!   testing service orders of a client organisation at a testing center,
//!   their quote lines (instrument time at the client's rate) and their
//!   history.
//!
//! `down` drops the tables.

use sea_orm_migration::prelude::*;

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000032_ratings_waitlist"
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
            table_with_id("booking_ratings")
                .col(id("booking_id"))
                .col(id("instrument_id"))
                .col(id("user_id"))
                .col(int("score"))
                .col(txt("comment"))
                .col(time("created_at"))
                .check(Check::named(
                    "booking_ratings_score_range",
                    Expr::col(Alias::new("score")).between(1, 5),
                ))
                .foreign_key(&mut fk(
                    "booking_ratings",
                    "booking_id",
                    "bookings",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "booking_ratings",
                    "instrument_id",
                    "instruments",
                    Cascade,
                ))
                .foreign_key(&mut fk("booking_ratings", "user_id", "users", Restrict))
                .to_owned(),
            table_with_id("waitlist_entries")
                .col(id("instrument_id"))
                .col(id("user_id"))
                .col(id("organization_id"))
                .col(time("start_at"))
                .col(time("end_at"))
                .col(txt("purpose"))
                .col(txt("status"))
                .col(time_null("offered_at"))
                .col(time_null("offer_expires_at"))
                .col(id_null("booking_id"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .check(Check::named(
                    "waitlist_entries_time_order",
                    Expr::col(Alias::new("start_at")).lt(Expr::col(Alias::new("end_at"))),
                ))
                .foreign_key(&mut fk(
                    "waitlist_entries",
                    "instrument_id",
                    "instruments",
                    Cascade,
                ))
                .foreign_key(&mut fk("waitlist_entries", "user_id", "users", Cascade))
                .foreign_key(&mut fk(
                    "waitlist_entries",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "waitlist_entries",
                    "booking_id",
                    "bookings",
                    Restrict,
                ))
                .to_owned(),
            table_with_id("service_orders")
                .col(id("center_organization_id"))
                .col(id("client_organization_id"))
                .col(id("requested_by"))
                .col(txt("samples"))
                .col(txt("test_items"))
                .col(txt("standards"))
                .col(time("required_by"))
                .col(txt("status"))
                .col(txt_null("quote_note"))
                .col(time_null("quoted_at"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "service_orders",
                    "center_organization_id",
                    "organizations",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "service_orders",
                    "client_organization_id",
                    "organizations",
                    Restrict,
                ))
                .foreign_key(&mut fk("service_orders", "requested_by", "users", Restrict))
                .to_owned(),
            table_with_id("service_order_lines")
                .col(id("order_id"))
                .col(id("instrument_id"))
                .col(id("minutes"))
                .col(money("rate_cents"))
                .col(money("amount_cents"))
                .foreign_key(&mut fk(
                    "service_order_lines",
                    "order_id",
                    "service_orders",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "service_order_lines",
                    "instrument_id",
                    "instruments",
                    Restrict,
                ))
                .to_owned(),
            table_with_id("service_order_events")
                .col(id("order_id"))
                .col(id_null("actor_id"))
                .col(txt_null("from_status"))
                .col(txt("to_status"))
                .col(txt("note"))
                .col(time("created_at"))
                .foreign_key(&mut fk(
                    "service_order_events",
                    "order_id",
                    "service_orders",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "service_order_events",
                    "actor_id",
                    "users",
                    Restrict,
                ))
                .to_owned(),
        ];
        let indexes = vec![
            index("service_orders", &["client_organization_id", "id"], false),
            index("service_orders", &["center_organization_id", "id"], false),
            index("service_order_lines", &["order_id"], false),
            index("service_order_events", &["order_id", "id"], false),
            index("booking_ratings", &["booking_id"], true),
            index("booking_ratings", &["instrument_id", "id"], false),
            index(
                "waitlist_entries",
                &["instrument_id", "status", "id"],
                false,
            ),
            index("waitlist_entries", &["user_id", "status"], false),
            index("waitlist_entries", &["status", "offer_expires_at"], false),
        ];
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "service_order_events",
                "service_order_lines",
                "service_orders",
                "waitlist_entries",
                "booking_ratings",
            ],
        )
        .await
    }
}
