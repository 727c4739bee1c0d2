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
    id.map(|id| decode(field, Kind::Organization, &id))
        .transpose()
}

/// Orderings of `needs`, `capabilities` and `talents`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum ListOrderField {
    #[default]
    CreatedAt,
    UpdatedAt,
    /// Title of a need or capability, name of a talent.
    Title,
}

/// How to sort a list (default: newest first).
#[derive(InputObject, Default)]
pub struct ListOrder {
    #[graphql(default)]
    pub field: ListOrderField,
    #[graphql(default)]
    pub direction: OrderDirection,
}

pub(super) fn order_tag(
    list: &str,
    field: impl std::fmt::Debug,
    direction: OrderDirection,
) -> String {
    format!("{list}:{field:?}:{direction:?}")
}

/// A nullable input field: absent keeps the value, `null` clears it.
pub(super) fn maybe<T>(v: MaybeUndefined<T>) -> Option<Option<T>> {
    match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}
