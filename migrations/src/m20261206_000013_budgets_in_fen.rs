//! Need budgets are held in fen (1/100 yuan), like every other amount of
//! money (instrument rates, usage revenue): the API's `Money` carries up to
//! two decimals. Stored whole-yuan budgets are multiplied by 100; `down`
//! divides them again (dropping any fen).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000013_budgets_in_fen"
    }
}

async fn scale(manager: &SchemaManager<'_>, up: bool) -> Result<(), DbErr> {
    let scaled = |column: &'static str| {
        let col = Expr::col(Alias::new(column));
        if up { col.mul(100) } else { col.div(100) }
    };
    let update = Query::update()
        .table(Alias::new("tech_needs"))
        .value(Alias::new("budget_min"), scaled("budget_min"))
        .value(Alias::new("budget_max"), scaled("budget_max"))
        .to_owned();
    manager.exec_stmt(update).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        scale(manager, true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        scale(manager, false).await
    }
}
