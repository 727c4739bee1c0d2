//! Framework agreements in the schema: `agreement(id:)`, `agreements`, and
//! (in `mutation`) their drafting, confirmation and termination.

mod mutation;
mod objects;

use async_graphql::{Context, Enum, ID, InputObject, Object};

use crate::error::ApiResult as Result;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{AgreementStatus, OrderDirection, ProjectArea};
use crate::graphql::ids::{Kind, decode};
use crate::graphql::inputs::{all, id_of};
use crate::graphql::paging::{Conn, PageInput, connection};
use iurhub_app::agreements;
use iurhub_domain::records::agreements::{AgreementFilter, AgreementSort};

mod coordinators;
pub use coordinators::AgreementCoordinatorGrantObject;
pub use mutation::AgreementsMutation;
pub use objects::{AgreementObject, AgreementPartyObject};

/// Filters of `agreements`; all given ones must hold.
#[derive(InputObject, Default)]
pub struct AgreementFilterInput {
    /// Only agreements in one of these statuses (as of today: EXPIRED are
    /// the ACTIVE ones whose term has ended).
    pub status: Option<Vec<AgreementStatus>>,
    /// Only agreements covering one of these areas.
    pub area: Option<Vec<ProjectArea>>,
    /// Only agreements this organisation is a party to.
    pub party_organization_id: Option<ID>,
}

/// Orderings of `agreements`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum AgreementOrderField {
    /// When it was created.
    #[default]
    CreatedAt,
    /// When it last changed.
    UpdatedAt,
}

/// How to sort `agreements`; without `orderBy` they are newest first
/// (CREATED_AT, DESC).
#[derive(InputObject, Clone, Copy)]
pub struct AgreementOrder {
    /// What to sort by.
    pub field: AgreementOrderField,
    /// Ascending or descending.
    pub direction: OrderDirection,
}

#[derive(Default)]
pub struct AgreementsQuery;

#[Object]
impl AgreementsQuery {
    /// One framework agreement; NOT_FOUND unless one of the caller's
    /// organisations is a party, or a coordinator's or supervisor's scope
    /// includes one (admins see all).
    async fn agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agreement's global id.")] id: ID,
    ) -> Result<Option<AgreementObject>> {
        ctx.caller()?;
        let id = decode("id", Kind::Agreement, &id)?;
        Ok(Some(AgreementObject(
            agreements::visible(ctx.app(), ctx.identity(), id).await?,
        )))
    }

    /// The framework agreements the caller may see: those of their
    /// organisations and of the organisations they coordinate or supervise
    /// (admins: all).
    #[allow(clippy::too_many_arguments)]
    async fn agreements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n agreements (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the agreements after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n agreements (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the agreements before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which agreements to list.")] filter: Option<AgreementFilterInput>,
        #[graphql(desc = "How to sort them (default: newest first).")] order_by: Option<
            AgreementOrder,
        >,
    ) -> Result<Conn<AgreementObject>> {
        let caller = ctx.caller()?;
        let filter = filter.unwrap_or_default();
        let store_filter = AgreementFilter {
            statuses: all(filter.status),
            areas: all(filter.area),
            party_organization_id: id_of(
                "filter.partyOrganizationId",
                Kind::Organization,
                filter.party_organization_id,
            )?,
            today: None,
        };
        let (sort, descending) = match order_by {
            None => (
                AgreementSort::CreatedAt,
                agreements::descending_by_default(AgreementSort::CreatedAt),
            ),
            Some(order) => (
                match order.field {
                    AgreementOrderField::CreatedAt => AgreementSort::CreatedAt,
                    AgreementOrderField::UpdatedAt => AgreementSort::UpdatedAt,
                },
                order.direction == OrderDirection::Desc,
            ),
        };
        let tag = agreements::list_tag(sort, descending);
        let args = PageInput::new(first, after, last, before).to_args(ctx, &tag)?;
        let page =
            agreements::list(ctx.app(), caller, store_filter, sort, descending, args).await?;
        Ok(connection(&tag, page, AgreementObject))
    }
}
