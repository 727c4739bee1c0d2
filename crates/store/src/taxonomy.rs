//! Discipline (GB/T 13745) and industry (GB/T 4754) codes.

use std::collections::HashSet;

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::ExprTrait;
use sea_orm::sea_query::{Alias, Expr, Query};
use serde::Deserialize;

use crate::{Store, StoreResult};

pub use iurhub_domain::records::taxonomy::{TaxonomyEntry, TaxonomyKind};

/// The reference codes shipped with the service.
const TAXONOMY_JSON: &str = include_str!("../data/taxonomy.json");

/// The table holding a code list.
fn table(kind: TaxonomyKind) -> &'static str {
    match kind {
        TaxonomyKind::Discipline => "disciplines",
        TaxonomyKind::Industry => "industries",
    }
}

#[derive(Deserialize)]
struct TaxonomyFile {
    disciplines: Vec<TaxonomyEntry>,
    industries: Vec<TaxonomyEntry>,
}

fn level_of(entries: &[TaxonomyEntry], entry: &TaxonomyEntry) -> i32 {
    let mut level = 1;
    let mut parent = entry.parent_code.as_deref();
    while let Some(p) = parent {
        level += 1;
        parent = entries
            .iter()
            .find(|e| e.code == p)
            .and_then(|e| e.parent_code.as_deref());
        if level > 10 {
            break;
        }
    }
    level
}

impl Store {
    /// Loads the shipped code lists; codes already present are left alone, so
    /// this is safe on every start.
    pub async fn ensure_taxonomy(&self) -> StoreResult<usize> {
        let file: TaxonomyFile =
            serde_json::from_str(TAXONOMY_JSON).expect("shipped taxonomy.json is valid");
        let mut inserted = 0;
        let txn = self.write().await?;
        if crate::db::is_postgres(&self.db) {
            // Servers starting at once on an empty database take turns (the
            // second then finds every code present); released at commit.
            txn.execute_unprepared(&format!(
                "SELECT pg_advisory_xact_lock({})",
                crate::db::MIGRATION_LOCK_KEY + 1
            ))
            .await?;
        }
        for (kind, entries) in [
            (TaxonomyKind::Discipline, &file.disciplines),
            (TaxonomyKind::Industry, &file.industries),
        ] {
            let existing: HashSet<String> = load(&txn, kind, None)
                .await?
                .into_iter()
                .map(|e| e.code)
                .collect();
            // Parents first, so the self-reference holds at every insert.
            let mut ordered: Vec<(i32, &TaxonomyEntry)> =
                entries.iter().map(|e| (level_of(entries, e), e)).collect();
            ordered.sort_by_key(|(level, e)| (*level, e.code.clone()));
            for (level, e) in ordered {
                if existing.contains(&e.code) {
                    continue;
                }
                let insert = Query::insert()
                    .into_table(Alias::new(table(kind)))
                    .columns(["code", "parent_code", "name_zh", "name_en", "level"].map(Alias::new))
                    .values_panic([
                        e.code.clone().into(),
                        e.parent_code.clone().into(),
                        e.name_zh.clone().into(),
                        e.name_en.clone().into(),
                        level.into(),
                    ])
                    .to_owned();
                txn.execute(&insert).await?;
                inserted += 1;
            }
        }
        txn.commit().await?;
        Ok(inserted)
    }

    /// Codes of a list, optionally only the children of `parent` (`Some(None)`
    /// for the top level).
    pub async fn taxonomy(
        &self,
        kind: TaxonomyKind,
        parent: Option<Option<&str>>,
    ) -> StoreResult<Vec<TaxonomyEntry>> {
        load(&self.db, kind, parent).await
    }

    /// Entries for the given codes (unknown codes are skipped).
    pub async fn taxonomy_entries(
        &self,
        kind: TaxonomyKind,
        codes: &[String],
    ) -> StoreResult<Vec<TaxonomyEntry>> {
        if codes.is_empty() {
            return Ok(Vec::new());
        }
        let select = select_entries(kind)
            .and_where(Expr::col(Alias::new("code")).is_in(codes.iter().cloned()))
            .to_owned();
        rows_to_entries(self.db.query_all(&select).await?)
    }

    /// The codes of `codes` that are not in the list.
    pub async fn unknown_codes(
        &self,
        kind: TaxonomyKind,
        codes: &[String],
    ) -> StoreResult<Vec<String>> {
        let known: HashSet<String> = self
            .taxonomy_entries(kind, codes)
            .await?
            .into_iter()
            .map(|e| e.code)
            .collect();
        Ok(codes
            .iter()
            .filter(|c| !known.contains(*c))
            .cloned()
            .collect())
    }
}

fn select_entries(kind: TaxonomyKind) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .columns(["code", "parent_code", "name_zh", "name_en", "level"].map(Alias::new))
        .from(Alias::new(table(kind)))
        .order_by(Alias::new("code"), sea_orm::Order::Asc)
        .to_owned()
}

fn rows_to_entries(rows: Vec<sea_orm::QueryResult>) -> StoreResult<Vec<TaxonomyEntry>> {
    rows.into_iter()
        .map(|r| {
            Ok(TaxonomyEntry {
                code: r.try_get_by_index(0)?,
                parent_code: r.try_get_by_index(1)?,
                name_zh: r.try_get_by_index(2)?,
                name_en: r.try_get_by_index(3)?,
                level: r.try_get_by_index(4)?,
            })
        })
        .collect()
}

async fn load<C: ConnectionTrait>(
    db: &C,
    kind: TaxonomyKind,
    parent: Option<Option<&str>>,
) -> StoreResult<Vec<TaxonomyEntry>> {
    let mut select = select_entries(kind);
    match parent {
        Some(Some(p)) => {
            select.and_where(Expr::col(Alias::new("parent_code")).eq(p));
        }
        Some(None) => {
            select.and_where(Expr::col(Alias::new("parent_code")).is_null());
        }
        None => {}
    }
    rows_to_entries(db.query_all(&select).await?)
}
