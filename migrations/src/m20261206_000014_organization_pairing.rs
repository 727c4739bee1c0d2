//! One spelling: the cooperation area `ORGANISATION_PAIRING` is
//! `ORGANIZATION_PAIRING`, like `Organization` everywhere else. Stored
//! projects and the project events that recorded an area change are
//! rewritten; `down` restores the old spelling.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000014_organization_pairing"
    }
}

const OLD: &str = "ORGANISATION_PAIRING";
const NEW: &str = "ORGANIZATION_PAIRING";

async fn respell(manager: &SchemaManager<'_>, from: &str, to: &str) -> Result<(), DbErr> {
    let projects = Query::update()
        .table(Alias::new("cooperation_projects"))
        .value(Alias::new("area"), to)
        .and_where(Expr::col(Alias::new("area")).eq(from))
        .to_owned();
    manager.exec_stmt(projects).await?;
    // Event details are JSON text: the area appears as a quoted value.
    let quoted = |s: &str| format!("\"{s}\"");
    let events = Query::update()
        .table(Alias::new("project_events"))
        .value(
            Alias::new("detail"),
            Func::cust(Alias::new("REPLACE")).args([
                Expr::col(Alias::new("detail")),
                Expr::val(quoted(from)),
                Expr::val(quoted(to)),
            ]),
        )
        .and_where(Expr::col(Alias::new("detail")).like(format!("%{}%", quoted(from))))
        .to_owned();
    manager.exec_stmt(events).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        respell(manager, OLD, NEW).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        respell(manager, NEW, OLD).await
    }
}
