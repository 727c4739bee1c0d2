//! Testing centers and co-built instruments, and "external" by legal entity.
//!
//! - `organizations.legal_entity`: the organisation is a legal entity (法人
//!   单位); an organisation belongs to the nearest legal entity above it (or
//!   itself). Every organisation without a parent is marked, the others not.
//! - `testing_centers`: a center run by an organisation, several per
//!   platform; `center_cobuilders` lists the organisations that co-build it.
//! - `instruments` gain `center_id`, `original_value_cents`,
//!   `purchase_date`, `registration_number` and `is_public` (false: the
//!   public catalogue shows nothing until the staff publish an instrument).
//! - `instrument_owners`: the organisations owning an instrument, with
//!   their shares in percent (100 in all).
//!
//! Existing data: every instrument gets the default center of its owning
//! organisation's legal entity (one per legal entity, run by it and named
//! after it) and its owning organisation as its 100 % owner. `down` drops
//! the tables and columns.

use std::collections::{BTreeMap, HashMap};

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::ChronoUtc;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

use crate::defs::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000031_testing_centers"
    }
}

/// Columns added to `instruments` (besides `center_id`), one statement each.
fn instrument_columns() -> Vec<ColumnDef> {
    vec![
        money_null("original_value_cents"),
        day_null("purchase_date"),
        txt("registration_number").default("").to_owned(),
        flag("is_public").default(false).to_owned(),
    ]
}

const INSTRUMENT_COLUMNS: [&str; 4] = [
    "original_value_cents",
    "purchase_date",
    "registration_number",
    "is_public",
];

async fn alter(manager: &SchemaManager<'_>, table: &str, col: ColumnDef) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(Alias::new(table))
                .add_column(col)
                .to_owned(),
        )
        .await
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

/// The nearest legal entity at or above `id` (the top of its tree when none
/// is marked).
fn legal_entity(id: i64, orgs: &HashMap<i64, (Option<i64>, bool)>) -> i64 {
    let mut current = id;
    let mut seen = vec![id];
    loop {
        match orgs.get(&current) {
            Some((_, true)) | None => return current,
            Some((Some(parent), false)) if !seen.contains(parent) => {
                seen.push(*parent);
                current = *parent;
            }
            Some(_) => return current,
        }
    }
}

/// Default centers and 100 % owners for the instruments there are.
async fn backfill(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = manager.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, parent_id, legal_entity, name FROM organizations",
        ))
        .await?;
    let mut orgs = HashMap::new();
    let mut names = HashMap::new();
    for row in rows {
        let id: i64 = row.try_get_by_index(0)?;
        let parent: Option<i64> = row.try_get_by_index(1)?;
        let marked: bool = row.try_get_by_index(2)?;
        let name: String = row.try_get_by_index(3)?;
        orgs.insert(id, (parent, marked));
        names.insert(id, name);
    }
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, organization_id FROM instruments ORDER BY id",
        ))
        .await?;
    let mut by_entity: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    for row in rows {
        let id: i64 = row.try_get_by_index(0)?;
        let org: i64 = row.try_get_by_index(1)?;
        by_entity
            .entry(legal_entity(org, &orgs))
            .or_default()
            .push((id, org));
    }
    let now = ChronoUtc::now();
    for (entity, instruments) in by_entity {
        let name = names.get(&entity).cloned().unwrap_or_default();
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
                entity.into(),
                format!("{name} 仪器中心 Instrument Center").into(),
                "".into(),
                now.into(),
                now.into(),
            ])
            .to_owned();
        db.execute(&insert).await?;
        let select = Query::select()
            .column(Alias::new("id"))
            .from(Alias::new("testing_centers"))
            .and_where(Expr::col(Alias::new("organization_id")).eq(entity))
            .to_owned();
        let center: i64 = db
            .query_one(&select)
            .await?
            .ok_or_else(|| DbErr::Custom("the center just written is missing".into()))?
            .try_get_by_index(0)?;
        for (id, org) in instruments {
            let update = Query::update()
                .table(Alias::new("instruments"))
                .value(Alias::new("center_id"), center)
                .and_where(Expr::col(Alias::new("id")).eq(id))
                .to_owned();
            db.execute(&update).await?;
            let owner = Query::insert()
                .into_table(Alias::new("instrument_owners"))
                .columns(["instrument_id", "organization_id", "share_percent"].map(Alias::new))
                .values_panic([id.into(), org.into(), 100.into()])
                .to_owned();
            db.execute(&owner).await?;
        }
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
        alter(
            manager,
            "organizations",
            flag("legal_entity").default(false).to_owned(),
        )
        .await?;
        let roots = Query::update()
            .table(Alias::new("organizations"))
            .value(Alias::new("legal_entity"), true)
            .and_where(Expr::col(Alias::new("parent_id")).is_null())
            .to_owned();
        manager.exec_stmt(roots).await?;

        let tables = vec![
            table_with_id("testing_centers")
                .col(id("organization_id"))
                .col(txt("name"))
                .col(txt("description"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk(
                    "testing_centers",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .to_owned(),
            table("center_cobuilders")
                .col(id("center_id"))
                .col(id("organization_id"))
                .primary_key(&mut composite_key("center_id", "organization_id"))
                .foreign_key(&mut fk(
                    "center_cobuilders",
                    "center_id",
                    "testing_centers",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "center_cobuilders",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .to_owned(),
            table("instrument_owners")
                .col(id("instrument_id"))
                .col(id("organization_id"))
                .col(int("share_percent"))
                .primary_key(&mut composite_key("instrument_id", "organization_id"))
                .check(Check::named(
                    "instrument_owners_share",
                    Expr::col(Alias::new("share_percent"))
                        .gt(0)
                        .and(Expr::col(Alias::new("share_percent")).lte(100)),
                ))
                .foreign_key(&mut fk(
                    "instrument_owners",
                    "instrument_id",
                    "instruments",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "instrument_owners",
                    "organization_id",
                    "organizations",
                    Restrict,
                ))
                .to_owned(),
        ];
        let indexes = vec![
            index("testing_centers", &["organization_id"], false),
            index("center_cobuilders", &["organization_id"], false),
            index("instrument_owners", &["organization_id"], false),
        ];
        create(manager, tables, indexes).await?;

        // A column constraint, which both backends take in ADD COLUMN (NULL
        // until the backfill below sets it).
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE instruments ADD COLUMN center_id BIGINT NULL \
                 CONSTRAINT fk_instruments_center_id REFERENCES testing_centers (id) \
                 ON DELETE RESTRICT ON UPDATE NO ACTION",
            )
            .await?;
        for col in instrument_columns() {
            alter(manager, "instruments", col).await?;
        }
        manager
            .create_index(index("instruments", &["center_id"], false))
            .await?;
        manager
            .create_index(index("instruments", &["is_public", "name"], false))
            .await?;
        backfill(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["ix_instruments_is_public_name", "ix_instruments_center_id"] {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(Alias::new("instruments"))
                        .to_owned(),
                )
                .await?;
        }
        for col in INSTRUMENT_COLUMNS.iter().rev() {
            drop_column(manager, "instruments", col).await?;
        }
        drop_column(manager, "instruments", "center_id").await?;
        drop(
            manager,
            &["instrument_owners", "center_cobuilders", "testing_centers"],
        )
        .await?;
        drop_column(manager, "organizations", "legal_entity").await
    }
}
