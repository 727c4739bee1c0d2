//! Keyset pagination shared by every list: ordered by (sort column, id), so
//! pages stay stable while rows are inserted.

use chrono::{DateTime, Utc};

/// The sort value of a row's position; part of an opaque cursor.
#[derive(Debug, Clone, PartialEq)]
pub enum SortValue {
    Int(i64),
    Text(String),
    Time(DateTime<Utc>),
}

impl From<i64> for SortValue {
    fn from(v: i64) -> Self {
        SortValue::Int(v)
    }
}

impl From<String> for SortValue {
    fn from(v: String) -> Self {
        SortValue::Text(v)
    }
}

impl From<DateTime<Utc>> for SortValue {
    fn from(v: DateTime<Utc>) -> Self {
        SortValue::Time(v)
    }
}

/// Position of one row in an ordering.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub value: SortValue,
    pub id: i64,
}

impl Key {
    /// The position of row `id` whose sort column holds `value`.
    pub fn new(value: impl Into<SortValue>, id: i64) -> Self {
        Key {
            value: value.into(),
            id,
        }
    }
}

/// Orderings of the lists of titled records (needs, capabilities).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListSort {
    /// By creation (the order of ids).
    #[default]
    CreatedAt,
    UpdatedAt,
    Title,
}

/// What page the client asked for; the API has already checked the bounds.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    pub first: Option<u64>,
    pub after: Option<Key>,
    pub last: Option<u64>,
    pub before: Option<Key>,
    /// Whether to also count every row that matches the filter.
    pub with_total: bool,
}

impl PageArgs {
    /// The page is taken from the end: `last` without `first`.
    pub fn is_backward(&self) -> bool {
        self.last.is_some() && self.first.is_none()
    }
}

/// One page of rows, each with its key.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<(Key, T)>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub total_count: Option<u64>,
}

impl<T> Page<T> {
    /// Converts every item, keeping keys and page info.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        let mut f = f;
        let items = self
            .items
            .into_iter()
            .map(|(k, t)| f(t).map(|u| (k, u)))
            .collect::<Result<Vec<_>, E>>()?;
        Ok(Page {
            items,
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            total_count: self.total_count,
        })
    }
}
