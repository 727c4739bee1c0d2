//! Reads of whole rows that every repository makes the same way: one row by
//! id, many rows by id, and a row locked for an edit.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PrimaryKeyTrait, QueryFilter, QuerySelect, Select,
};

use crate::{StoreError, StoreResult};

/// Row `id` of `E` as a domain record, if there is one.
pub(crate) async fn by_id<E, T, C>(db: &C, id: i64) -> StoreResult<Option<T>>
where
    E: EntityTrait,
    i64: Into<<E::PrimaryKey as PrimaryKeyTrait>::ValueType>,
    T: TryFrom<E::Model, Error = StoreError>,
    C: ConnectionTrait,
{
    E::find_by_id(id)
        .one(db)
        .await?
        .map(T::try_from)
        .transpose()
}

/// The rows of `E` whose `id` column holds one of `ids`, as domain records
/// (in no particular order; unknown ids are left out).
pub(crate) async fn by_ids<E, T, C>(db: &C, id: E::Column, ids: &[i64]) -> StoreResult<Vec<T>>
where
    E: EntityTrait,
    T: TryFrom<E::Model, Error = StoreError>,
    C: ConnectionTrait,
{
    E::find()
        .filter(id.is_in(ids.iter().copied()))
        .records(db)
        .await
}

/// Every row of a query as a domain record.
pub(crate) trait Records {
    type Model;

    async fn records<T, C>(self, db: &C) -> StoreResult<Vec<T>>
    where
        T: TryFrom<Self::Model, Error = StoreError>,
        C: ConnectionTrait;
}

impl<E: EntityTrait> Records for Select<E> {
    type Model = E::Model;

    async fn records<T, C>(self, db: &C) -> StoreResult<Vec<T>>
    where
        T: TryFrom<E::Model, Error = StoreError>,
        C: ConnectionTrait,
    {
        self.all(db).await?.into_iter().map(T::try_from).collect()
    }
}

/// Row `id` of `E`; NOT_FOUND (`what`) when there is none.
pub(crate) async fn get<E, C>(db: &C, id: i64, what: &'static str) -> StoreResult<E::Model>
where
    E: EntityTrait,
    i64: Into<<E::PrimaryKey as PrimaryKeyTrait>::ValueType>,
    C: ConnectionTrait,
{
    found(E::find_by_id(id), db, what).await
}

/// Row `id` of `E`, locked until the transaction `db` ends (`FOR UPDATE`
/// where the database has row locks); NOT_FOUND (`what`) when there is none.
pub(crate) async fn lock<E, C>(db: &C, id: i64, what: &'static str) -> StoreResult<E::Model>
where
    E: EntityTrait,
    i64: Into<<E::PrimaryKey as PrimaryKeyTrait>::ValueType>,
    C: ConnectionTrait,
{
    found(E::find_by_id(id).lock_exclusive(), db, what).await
}

/// The one row of `select`; NOT_FOUND (`what`) when there is none.
async fn found<E: EntityTrait, C: ConnectionTrait>(
    select: Select<E>,
    db: &C,
    what: &'static str,
) -> StoreResult<E::Model> {
    select.one(db).await?.ok_or(StoreError::NotFound(what))
}

/// `ids` ascending, without repeats.
pub(crate) fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids.dedup();
    ids
}
