//! Service orders run at a testing center, with instrument time, a report
//! and a rating:
//! - `service_orders.center_id`: the testing center the order is for (its
//!   running organisation stays in `center_organization_id`, whose
//!   ORG_ADMINs are the order's staff);
//! - `bookings.service_order_id`: instrument time booked by the staff under
//!   an order (for the client organisation), so billing tells order time
//!   from ordinary bookings;
//! - `service_order_reports`: the report file of an order (one per order,
//!   `ux_service_order_reports_order_id`; its bytes in the file store
//!   under `storage_key`);
//! - `threads.service_order_id`: the conversation of an order between its
//!   client side and the center's staff (subject key `service_order:<id>`);
//! - `service_order_ratings`: one rating (score 1–5 and a comment) per
//!   completed order (`ux_service_order_ratings_order_id`), by the client
//!   side.
//!
//! Existing orders get the center run by their center organisation (the
//! one of lowest id); an organisation running none gets a default center
//! named after it, as migration 31 made them. `down` drops the tables and
//! columns.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::ChronoUtc;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000033_service_order_runs"
    }
}

async fn drop_column(manager: &SchemaManager<'_>, table: &str, col: &str) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(Alias::new(table))
                .drop_column(Alias::new(col))
                .to_owned(),
        )
        .await
}

async fn drop_index(manager: &SchemaManager<'_>, table: &str, name: &str) -> Result<(), DbErr> {
    manager
        .drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned())
        .await
}

/// The center run by `organization_id` of lowest id, if any.
async fn center_of(
    manager: &SchemaManager<'_>,
    organization_id: i64,
) -> Result<Option<i64>, DbErr> {
    let select = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new("testing_centers"))
        .and_where(Expr::col(Alias::new("organization_id")).eq(organization_id))
        .order_by(Alias::new("id"), sea_orm_migration::sea_query::Order::Asc)
        .limit(1)
        .to_owned();
    match manager.get_connection().query_one(&select).await? {
        Some(row) => Ok(Some(row.try_get_by_index(0)?)),
        None => Ok(None),
    }
}

/// Sets `center_id` of the orders there are.
async fn backfill(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = manager.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT DISTINCT o.center_organization_id, g.name FROM service_orders o \
             JOIN organizations g ON g.id = o.center_organization_id",
        ))
        .await?;
    let now = ChronoUtc::now();
    for row in rows {
        let org: i64 = row.try_get_by_index(0)?;
        let name: String = row.try_get_by_index(1)?;
        let center = match center_of(manager, org).await? {
            Some(center) => center,
            None => {
                let insert = Query::insert()
                    .into_table(Alias::new("testing_centers"))
                    .columns(
                        [
                            "organization_id",
                            "name",
                            "description",
                            "created_at",
                            "updated_at",
                        ]
                        .map(Alias::new),
                    )
                    .values_panic([
                        org.into(),
                        format!("{name} 仪器中心 Instrument Center").into(),
                        "".into(),
                        now.into(),
                        now.into(),
                    ])
                    .to_owned();
                db.execute(&insert).await?;
                center_of(manager, org)
                    .await?
                    .ok_or_else(|| DbErr::Custom("the center just written is missing".into()))?
            }
        };
        let update = Query::update()
            .table(Alias::new("service_orders"))
            .value(Alias::new("center_id"), center)
            .and_where(Expr::col(Alias::new("center_organization_id")).eq(org))
            .to_owned();
        db.execute(&update).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};
        let db = manager.get_connection();
        // Column constraints, which both backends take in ADD COLUMN (NULL
        // until the backfill sets the order's center; NULL for ordinary
        // bookings).
        db.execute_unprepared(
            "ALTER TABLE service_orders ADD COLUMN center_id BIGINT NULL \
             CONSTRAINT fk_service_orders_center_id REFERENCES testing_centers (id) \
             ON DELETE RESTRICT ON UPDATE NO ACTION",
        )
        .await?;
        db.execute_unprepared(
            "ALTER TABLE bookings ADD COLUMN service_order_id BIGINT NULL \
             CONSTRAINT fk_bookings_service_order_id REFERENCES service_orders (id) \
             ON DELETE RESTRICT ON UPDATE NO ACTION",
        )
        .await?;
        db.execute_unprepared(
            "ALTER TABLE threads ADD COLUMN service_order_id BIGINT NULL \
             CONSTRAINT fk_threads_service_order_id REFERENCES service_orders (id) \
             ON DELETE CASCADE ON UPDATE NO ACTION",
        )
        .await?;
        manager
            .create_index(index("threads", &["service_order_id"], false))
            .await?;
        manager
            .create_index(index("service_orders", &["center_id", "id"], false))
            .await?;
        manager
            .create_index(index("bookings", &["service_order_id"], false))
            .await?;
        backfill(manager).await?;
        let tables = vec![
            table_with_id("service_order_reports")
                .col(id("order_id"))
                .col(txt("storage_key"))
                .col(txt("name"))
                .col(txt("content_type"))
                .col(id("size"))
                .col(id("uploaded_by"))
                .col(time("created_at"))
                .foreign_key(&mut fk(
                    "service_order_reports",
                    "order_id",
                    "service_orders",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "service_order_reports",
                    "uploaded_by",
                    "users",
                    Restrict,
                ))
                .to_owned(),
            table_with_id("service_order_ratings")
                .col(id("order_id"))
                .col(id("user_id"))
                .col(int("score"))
                .col(txt("comment"))
                .col(time("created_at"))
                .check(Check::named(
                    "service_order_ratings_score_range",
                    Expr::col(Alias::new("score")).between(1, 5),
                ))
                .foreign_key(&mut fk(
                    "service_order_ratings",
                    "order_id",
                    "service_orders",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "service_order_ratings",
                    "user_id",
                    "users",
                    Restrict,
                ))
                .to_owned(),
        ];
        let indexes = vec![
            index("service_order_reports", &["order_id"], true),
            index("service_order_reports", &["storage_key"], true),
            index("service_order_ratings", &["order_id"], true),
        ];
        create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["service_order_ratings", "service_order_reports"]).await?;
        drop_index(manager, "bookings", "ix_bookings_service_order_id").await?;
        drop_index(manager, "threads", "ix_threads_service_order_id").await?;
        drop_column(manager, "threads", "service_order_id").await?;
        drop_index(manager, "service_orders", "ix_service_orders_center_id_id").await?;
        drop_column(manager, "bookings", "service_order_id").await?;
        drop_column(manager, "service_orders", "center_id").await
    }
}
