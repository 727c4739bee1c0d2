//! Link tables (`need_disciplines`, `capability_talents`, …): an owner id and
//! one other value per row, replaced as a whole when the owner is edited.

use std::collections::HashMap;

use sea_orm::sea_query::ExprTrait;
use sea_orm::sea_query::{Alias, Expr, IntoColumnRef, Query, SelectStatement, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, TryGetable, Value};

use crate::StoreResult;

/// One link table: its name, the owner column and the linked column.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LinkTable {
    pub table: &'static str,
    pub owner: &'static str,
    pub other: &'static str,
}

pub(crate) const NEED_DISCIPLINES: LinkTable =
    LinkTable::new("need_disciplines", "need_id", "code");
pub(crate) const NEED_INDUSTRIES: LinkTable = LinkTable::new("need_industries", "need_id", "code");
pub(crate) const CAPABILITY_DISCIPLINES: LinkTable =
    LinkTable::new("capability_disciplines", "capability_id", "code");
pub(crate) const CAPABILITY_TALENTS: LinkTable =
    LinkTable::new("capability_talents", "capability_id", "talent_id");
pub(crate) const TALENT_DISCIPLINES: LinkTable =
    LinkTable::new("talent_disciplines", "talent_id", "code");

impl LinkTable {
    const fn new(table: &'static str, owner: &'static str, other: &'static str) -> Self {
        LinkTable {
            table,
            owner,
            other,
        }
    }

    /// Makes `values` the complete set of links of `owner_id`.
    pub async fn replace<C, V>(self, db: &C, owner_id: i64, values: &[V]) -> StoreResult<()>
    where
        C: ConnectionTrait,
        V: Clone + Into<Value>,
    {
        let delete = Query::delete()
            .from_table(Alias::new(self.table))
            .and_where(Expr::col(Alias::new(self.owner)).eq(owner_id))
            .to_owned();
        db.execute(&delete).await?;
        self.insert(db, owner_id, values).await
    }

    /// Adds the links of an owner that has none yet (a row just created).
    pub async fn insert<C, V>(self, db: &C, owner_id: i64, values: &[V]) -> StoreResult<()>
    where
        C: ConnectionTrait,
        V: Clone + Into<Value>,
    {
        self.insert_pairs(db, values.iter().map(|v| (owner_id, v.clone())))
            .await
    }

    /// Adds `(owner id, value)` links of owners that have none yet, in one
    /// statement (nothing without rows).
    pub async fn insert_pairs<C, V>(
        self,
        db: &C,
        rows: impl IntoIterator<Item = (i64, V)>,
    ) -> StoreResult<()>
    where
        C: ConnectionTrait,
        V: Into<Value>,
    {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(self.table))
            .columns([Alias::new(self.owner), Alias::new(self.other)]);
        let mut any = false;
        for (owner_id, v) in rows {
            insert.values_panic([owner_id.into(), v.into().into()]);
            any = true;
        }
        if any {
            db.execute(&insert).await?;
        }
        Ok(())
    }

    /// The linked values of each owner, in insertion order.
    pub async fn load<C, V>(self, db: &C, owner_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<V>>>
    where
        C: ConnectionTrait,
        V: TryGetable,
    {
        if owner_ids.is_empty() {
            return Ok(HashMap::new());
        }
        self.read(db, Some(owner_ids)).await
    }

    /// The linked values of every owner, in the order of [`LinkTable::load`]
    /// (to load what the matching keeps in memory at start).
    pub async fn load_all<C, V>(self, db: &C) -> StoreResult<HashMap<i64, Vec<V>>>
    where
        C: ConnectionTrait,
        V: TryGetable,
    {
        self.read(db, None).await
    }

    /// The linked values of the owners in `owner_ids`, or of every owner.
    async fn read<C, V>(
        self,
        db: &C,
        owner_ids: Option<&[i64]>,
    ) -> StoreResult<HashMap<i64, Vec<V>>>
    where
        C: ConnectionTrait,
        V: TryGetable,
    {
        let mut select = Query::select()
            .columns([Alias::new(self.owner), Alias::new(self.other)])
            .from(Alias::new(self.table))
            .order_by(Alias::new(self.owner), sea_orm::Order::Asc)
            .order_by(Alias::new(self.other), sea_orm::Order::Asc)
            .to_owned();
        if let Some(ids) = owner_ids {
            select.and_where(Expr::col(Alias::new(self.owner)).is_in(ids.iter().copied()));
        }
        let mut out: HashMap<i64, Vec<V>> = HashMap::new();
        for row in db.query_all(&select).await? {
            let owner: i64 = row.try_get_by_index(0)?;
            let value: V = row.try_get_by_index(1)?;
            out.entry(owner).or_default().push(value);
        }
        Ok(out)
    }

    /// The owner `id` is linked to a code with the filter's prefix
    /// (hierarchical codes); `None` without a code.
    pub fn owners_with_prefix<C: ColumnTrait>(
        self,
        id: C,
        code: &Option<String>,
    ) -> Option<SimpleExpr> {
        let code = code.as_deref()?;
        Some(
            id.in_subquery(
                self.owners_where(crate::scope::code_under(Alias::new(self.other), code)),
            ),
        )
    }

    /// The row of the outer query whose id is in column `owner` is linked
    /// to a code with `code`'s prefix: a correlated `EXISTS`, checked for
    /// that row alone (where an `IN` list of every owner would be read
    /// whole).
    pub fn linked_with_prefix<T: IntoColumnRef>(self, owner: T, code: &str) -> SimpleExpr {
        let table = Alias::new(self.table);
        Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(table.clone())
                .and_where(Expr::col((table.clone(), Alias::new(self.owner))).equals(owner))
                .and_where(crate::scope::code_under(
                    (table, Alias::new(self.other)),
                    code,
                ))
                .to_owned(),
        )
    }

    /// The owner `id` is linked to exactly `value`; `None` without one.
    pub fn owners_with<C: ColumnTrait>(self, id: C, value: Option<i64>) -> Option<SimpleExpr> {
        Some(id.in_subquery(self.owners_where(Expr::col(Alias::new(self.other)).eq(value?))))
    }

    /// Sub-select of the owners of the links that pass `cond`.
    fn owners_where(self, cond: SimpleExpr) -> SelectStatement {
        Query::select()
            .column(Alias::new(self.owner))
            .from(Alias::new(self.table))
            .and_where(cond)
            .to_owned()
    }
}
