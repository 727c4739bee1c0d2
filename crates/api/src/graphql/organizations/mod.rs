//! Organisations, their members and the users of the platform: `me`, the
//! organisation directory, `createOrganization` and `addMember`.

mod objects;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};

use crate::error::ApiResult as Result;
use crate::graphql::inputs::id_of;
use iurhub_app::organizations;
use iurhub_domain::records::organizations::{OrganizationFilter, OrganizationSort};
use iurhub_domain::validate::{OrganizationFields, Region};

use super::context::ContextExt;
use super::enums::{OrderDirection, OrgKind, OrgRole};
use super::ids::{Kind, decode};
use super::inputs::{keyword, order_tag, org_id};
use super::paging::{Conn, PageInput, connection};

pub use objects::{MembershipObject, OrganizationObject, UserObject};

/// Filters of `organizations`.
#[derive(InputObject, Default)]
pub struct OrganizationFilterInput {
    /// Only direct children of this organisation.
    pub parent_id: Option<ID>,
    /// Only top-level organisations (groups, universities, agencies).
    #[graphql(default)]
    pub roots_only: bool,
    pub kind: Option<OrgKind>,
    /// Case-insensitive text in the name.
    pub keyword: Option<String>,
}

/// Orderings of `organizations`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum OrganizationOrderField {
    #[default]
    CreatedAt,
    Name,
}

/// How to sort organisations; without `orderBy` they are oldest first
/// (CREATED_AT, ASC).
#[derive(InputObject)]
pub struct OrganizationOrder {
    /// What to sort by.
    pub field: OrganizationOrderField,
    /// Ascending or descending.
    pub direction: OrderDirection,
}

#[derive(Default)]
pub struct OrganizationsQuery;

#[Object]
impl OrganizationsQuery {
    /// The signed-in user; null when the request carries no token.
    async fn me(&self, ctx: &Context<'_>) -> Option<UserObject> {
        ctx.caller().ok().map(|c| UserObject(c.user().clone()))
    }

    /// One organisation.
    async fn organization(&self, ctx: &Context<'_>, id: ID) -> Result<Option<OrganizationObject>> {
        let id = decode("id", Kind::Organization, &id)?;
        Ok(Some(OrganizationObject(
            organizations::get(ctx.app(), id).await?,
        )))
    }

    /// The organisation directory. Use `filter: {rootsOnly: true}` and `children` to walk the tree.
    #[allow(clippy::too_many_arguments)]
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<OrganizationFilterInput>,
        order_by: Option<OrganizationOrder>,
    ) -> Result<Conn<OrganizationObject>> {
        let filter = filter.unwrap_or_default();
        let order = order_by.unwrap_or(OrganizationOrder {
            field: OrganizationOrderField::CreatedAt,
            direction: OrderDirection::Asc,
        });
        let tag = order_tag("organizations", order.field, order.direction);
        let args = PageInput::new(first, after, last, before).to_args(ctx, &tag)?;
        let store_filter = OrganizationFilter {
            parent_id: org_id("filter.parentId", filter.parent_id)?,
            roots_only: filter.roots_only,
            kind: filter.kind.map(Into::into),
            keyword: keyword(filter.keyword)?,
        };
        let sort = match order.field {
            OrganizationOrderField::CreatedAt => OrganizationSort::CreatedAt,
            OrganizationOrderField::Name => OrganizationSort::Name,
        };
        let page = organizations::list(
            ctx.app(),
            &store_filter,
            sort,
            order.direction == OrderDirection::Desc,
            args,
        )
        .await?;
        Ok(connection(&tag, page, OrganizationObject))
    }
}

/// Province and city.
#[derive(InputObject, Default)]
pub struct RegionInput {
    pub province: Option<String>,
    pub city: Option<String>,
}

/// A new organisation.
#[derive(InputObject)]
pub struct CreateOrganizationInput {
    pub name: String,
    pub kind: OrgKind,
    /// The organisation it belongs to; omit for a top-level one.
    pub parent_id: Option<ID>,
    pub region: Option<RegionInput>,
}

/// Result of `createOrganization`.
#[derive(SimpleObject)]
pub struct OrganizationPayload {
    pub organization: OrganizationObject,
}

/// A registered user to add to an organisation.
#[derive(InputObject)]
pub struct AddMemberInput {
    pub organization_id: ID,
    /// E-mail the user registered with.
    pub email: String,
    #[graphql(default_with = "OrgRole::Member")]
    pub role: OrgRole,
}

/// Result of `addMember`.
#[derive(SimpleObject)]
pub struct MembershipPayload {
    pub membership: MembershipObject,
}

#[derive(Default)]
pub struct OrganizationsMutation;

#[Object]
impl OrganizationsMutation {
    /// Creates an organisation (ADMIN or COORDINATOR).
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> Result<OrganizationPayload> {
        let caller = ctx.caller()?;
        let region = input.region.unwrap_or_default();
        let fields = OrganizationFields {
            name: input.name,
            kind: input.kind.into(),
            parent_id: id_of("parentId", Kind::Organization, input.parent_id)?,
            region: Region {
                province: region.province,
                city: region.city,
            },
        };
        let organization = iurhub_app::organizations::create(ctx.app(), caller, fields).await?;
        Ok(OrganizationPayload {
            organization: OrganizationObject(organization),
        })
    }

    /// Adds a registered user to an organisation (ADMIN, or an ORG_ADMIN of that organisation).
    async fn add_member(
        &self,
        ctx: &Context<'_>,
        input: AddMemberInput,
    ) -> Result<MembershipPayload> {
        let caller = ctx.caller()?;
        let org = decode("organizationId", Kind::Organization, &input.organization_id)?;
        let membership = iurhub_app::organizations::add_member(
            ctx.app(),
            caller,
            org,
            &input.email,
            input.role.into(),
        )
        .await?;
        Ok(MembershipPayload {
            membership: MembershipObject(membership),
        })
    }
}
