//! Keyset pagination shared by every list: ordered by (sort column, id), so
//! pages stay stable while rows are inserted.

use sea_orm::{
    ColumnTrait, ConnectionTrait, Cursor, EntityTrait, FromQueryResult, PaginatorTrait, Related,
    Select, SelectorTrait, Value,
};

use crate::{StoreError, StoreResult};

pub use iurhub_domain::records::page::{Key, Page, PageArgs, SortValue};

/// The database value of a sort value (a free function: neither type is
/// this crate's).
pub fn sort_value(v: SortValue) -> Value {
    match v {
        SortValue::Int(i) => i.into(),
        SortValue::Text(s) => s.into(),
        SortValue::Time(t) => t.into(),
    }
}

/// Runs `select` one page at a time, ordered by `(sort, id)`.
pub async fn paginate<E, C>(
    db: &C,
    select: Select<E>,
    sort: E::Column,
    id: E::Column,
    descending: bool,
    args: PageArgs,
    key_of: impl Fn(&E::Model) -> Key,
) -> StoreResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Sync,
    E::Column: ColumnTrait,
    C: ConnectionTrait,
{
    let total_count = total(db, &select, &args).await?;
    let cursor = select.cursor_by((sort, id));
    page(db, cursor, total_count, descending, args, key_of).await
}

/// The order of a list: its sort column, and a row's position in that
/// order (ties are broken by id).
pub type Order<E> = (
    <E as EntityTrait>::Column,
    fn(&<E as EntityTrait>::Model) -> Key,
);

/// Like [`paginate`], each row converted into its domain record.
pub async fn paginate_records<E, T, C>(
    db: &C,
    select: Select<E>,
    (sort, key_of): Order<E>,
    id: E::Column,
    descending: bool,
    args: PageArgs,
) -> StoreResult<Page<T>>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Sync,
    E::Column: ColumnTrait,
    T: TryFrom<E::Model, Error = StoreError>,
    C: ConnectionTrait,
{
    paginate(db, select, sort, id, descending, args, key_of)
        .await?
        .try_map(T::try_from)
}

/// Like [`paginate`], each row with the `F` row it refers to, read in the
/// same statement (a left join).
#[allow(clippy::too_many_arguments)]
pub async fn paginate_also_related<E, F, C>(
    db: &C,
    select: Select<E>,
    related: F,
    sort: E::Column,
    id: E::Column,
    descending: bool,
    args: PageArgs,
    key_of: impl Fn(&E::Model) -> Key,
) -> StoreResult<Page<(E::Model, Option<F::Model>)>>
where
    E: EntityTrait + Related<F>,
    F: EntityTrait,
    E::Model: FromQueryResult + Sync,
    F::Model: FromQueryResult + Sync,
    E::Column: ColumnTrait,
    C: ConnectionTrait,
{
    let total_count = total(db, &select, &args).await?;
    let mut cursor = select.find_also_related(related).cursor_by((sort, id));
    // Each row joins one `F` row at most, so `(sort, id)` already orders the
    // rows totally; without this sea-orm adds `F`'s key to the ORDER BY.
    cursor.set_secondary_order_by(Vec::new());
    page(db, cursor, total_count, descending, args, |(row, _)| {
        key_of(row)
    })
    .await
}

async fn total<E, C>(db: &C, select: &Select<E>, args: &PageArgs) -> StoreResult<Option<u64>>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Sync,
    C: ConnectionTrait,
{
    Ok(if args.with_total {
        Some(select.clone().count(db).await?)
    } else {
        None
    })
}

/// One page of `cursor`, ordered by its columns.
async fn page<S, C>(
    db: &C,
    mut cursor: Cursor<S>,
    total_count: Option<u64>,
    descending: bool,
    args: PageArgs,
    key_of: impl Fn(&S::Item) -> Key,
) -> StoreResult<Page<S::Item>>
where
    S: SelectorTrait,
    C: ConnectionTrait,
{
    if descending {
        cursor.desc();
    }
    if let Some(after) = args.after.clone() {
        cursor.after((sort_value(after.value), Value::from(after.id)));
    }
    if let Some(before) = args.before.clone() {
        cursor.before((sort_value(before.value), Value::from(before.id)));
    }
    let backward = args.is_backward();
    let limit = if backward {
        args.last.unwrap_or(crate::DEFAULT_PAGE)
    } else {
        args.first.unwrap_or(crate::DEFAULT_PAGE)
    };
    let mut rows = if backward {
        cursor.last(limit + 1).all(db).await?
    } else {
        cursor.first(limit + 1).all(db).await?
    };
    let more = rows.len() as u64 > limit;
    if more {
        if backward {
            rows.remove(0);
        } else {
            rows.truncate(limit as usize);
        }
    }
    let (has_next_page, has_previous_page) = if backward {
        (args.before.is_some(), more)
    } else {
        (more, args.after.is_some())
    };
    Ok(Page {
        items: rows.into_iter().map(|m| (key_of(&m), m)).collect(),
        has_next_page,
        has_previous_page,
        total_count,
    })
}
