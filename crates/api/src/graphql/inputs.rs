//! Inputs and argument checks shared by several areas: the ordering of the
//! need, capability and talent lists, the keyword, code and organisation
//! filters, and nullable input fields.

use async_graphql::{Enum, ID, InputObject, MaybeUndefined};

use super::enums::OrderDirection;
use super::ids::{Kind, decode};
use crate::error::ApiResult;

pub(super) fn keyword(k: Option<String>) -> ApiResult<Option<String>> {
    Ok(iurhub_domain::validate::keyword_filter(
        "filter.keyword",
        k,
    )?)
}

pub(super) fn code(field: &str, c: Option<String>) -> ApiResult<Option<String>> {
    Ok(iurhub_domain::validate::code_filter(field, c)?)
}

pub(super) fn org_id(field: &str, id: Option<ID>) -> ApiResult<Option<i64>> {
    id_of(field, Kind::Organization, id)
}

/// An optional id argument of one kind.
pub(super) fn id_of(field: &str, kind: Kind, id: Option<ID>) -> ApiResult<Option<i64>> {
    id.map(|id| decode(field, kind, &id)).transpose()
}

/// The values of an optional list filter in the domain's terms; none when
/// it is not given.
pub(super) fn all<T: Into<U>, U>(values: Option<Vec<T>>) -> Vec<U> {
    values
        .unwrap_or_default()
        .into_iter()
        .map(Into::into)
        .collect()
}

/// Orderings of `needs`, `capabilities` and `talents`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum ListOrderField {
    /// When it was created.
    #[default]
    CreatedAt,
    /// When it last changed.
    UpdatedAt,
    /// Title of a need or capability, name of a talent.
    Title,
}

/// How to sort `needs`, `capabilities` or `talents`; without `orderBy`
/// they are newest first (CREATED_AT, DESC). Every list's ordering input has
/// this shape: `{field, direction}`, both required.
#[derive(InputObject, Default)]
pub struct ListOrder {
    /// What to sort by.
    pub field: ListOrderField,
    /// Ascending or descending.
    pub direction: OrderDirection,
}

impl ListOrder {
    /// The list's own ordering for this field: `sorts` are the orderings by
    /// creation, by update and by title (or name).
    pub(super) fn sort<S>(&self, sorts: [S; 3]) -> S {
        let [created, updated, title] = sorts;
        match self.field {
            ListOrderField::CreatedAt => created,
            ListOrderField::UpdatedAt => updated,
            ListOrderField::Title => title,
        }
    }

    pub(super) fn descending(&self) -> bool {
        self.direction == OrderDirection::Desc
    }
}

pub(super) fn order_tag(
    list: &str,
    field: impl std::fmt::Debug,
    direction: OrderDirection,
) -> String {
    format!("{list}:{field:?}:{direction:?}")
}

/// A nullable id input field of one kind: absent keeps the value, `null`
/// clears it.
pub(super) fn maybe_id(
    field: &str,
    kind: Kind,
    v: MaybeUndefined<ID>,
) -> ApiResult<Option<Option<i64>>> {
    Ok(match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(id) => Some(Some(decode(field, kind, &id)?)),
    })
}

/// A nullable input field: absent keeps the value, `null` clears it.
pub(super) fn maybe<T, U: From<T>>(v: MaybeUndefined<T>) -> Option<Option<U>> {
    match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v.into())),
    }
}
