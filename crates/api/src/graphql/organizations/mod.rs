//! Organisations, their members and the users of the platform: `me`, the
//! organisation directory, user search, and the mutations of organisations,
//! memberships and one's own profile.

mod objects;

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use crate::error::ApiResult as Result;
use crate::graphql::inputs::id_of;
use iurhub_app::organizations;
use iurhub_domain::records::organizations::{OrganizationFilter, OrganizationSort};
use iurhub_domain::validate::{OrganizationFields, Region};

use super::context::ContextExt;
use super::enums::{OrderDirection, OrgKind, OrgRole, ScopedRole};
use super::ids::{Kind, decode, encode};
use super::inputs::{keyword, maybe, order_tag, org_id};
use super::paging::{Conn, PageInput, connection};

pub use objects::{MembershipObject, OrganizationObject, RoleGrantObject, UserObject};

/// Filters of `organizations`.
#[derive(InputObject, Default)]
pub struct OrganizationFilterInput {
    /// Only direct children of this organisation.
    pub parent_id: Option<ID>,
    /// Only top-level organisations (groups, universities, agencies).
    #[graphql(default)]
    pub roots_only: bool,
    /// Only organisations of this kind.
    pub kind: Option<OrgKind>,
    /// Case-insensitive text in the name.
    pub keyword: Option<String>,
}

/// Filters of `users`.
#[derive(InputObject, Default)]
pub struct UserFilterInput {
    /// Case-insensitive text in the display name (for coordinators and
    /// admins also in the e-mail address).
    pub query: Option<String>,
    /// Only members of this organisation (one of the caller's own, unless
    /// the caller is a coordinator or admin).
    pub organization_id: Option<ID>,
    /// Only members of the parties of this project (one the caller sees):
    /// the people a checklist item may be assigned to.
    pub project_id: Option<ID>,
}

/// Orderings of `organizations`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum OrganizationOrderField {
    /// When the organisation was registered.
    #[default]
    CreatedAt,
    /// By name.
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
    async fn organization(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation's global id.")] id: ID,
    ) -> Result<Option<OrganizationObject>> {
        let id = decode("id", Kind::Organization, &id)?;
        Ok(Some(OrganizationObject(
            organizations::get(ctx.app(), id).await?,
        )))
    }

    /// Users by display name, e.g. to pick a checklist item's owner.
    /// Coordinators and admins find everybody (their `query` also matches
    /// e-mail addresses); others find the members of their own organisations
    /// (and of those below one they administer) and, with
    /// `filter.projectId`, the members of the parties of a project they see.
    /// Naming another organisation is FORBIDDEN; signed-in users only.
    #[allow(clippy::too_many_arguments)]
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n users (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the users after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n users (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the users before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which users to find; all given conditions must hold.")] filter: Option<
            UserFilterInput,
        >,
    ) -> Result<Conn<UserObject>> {
        let caller = ctx.caller()?;
        let filter = filter.unwrap_or_default();
        let tag = "users:DISPLAY_NAME".to_owned();
        let args = PageInput::new(first, after, last, before).to_args(ctx, &tag)?;
        let query = iurhub_app::accounts::UserQuery {
            query: iurhub_domain::validate::keyword_filter("filter.query", filter.query)?,
            organization_id: org_id("filter.organizationId", filter.organization_id)?,
            project_id: id_of("filter.projectId", Kind::Project, filter.project_id)?,
        };
        let page = iurhub_app::accounts::search_users(ctx.app(), caller, query, args).await?;
        Ok(connection(&tag, page, UserObject))
    }

    /// The organisation directory. Use `filter: {rootsOnly: true}` and `children` to walk the tree.
    #[allow(clippy::too_many_arguments)]
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n organisations (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the organisations after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n organisations (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the organisations before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which organisations to list.")] filter: Option<OrganizationFilterInput>,
        #[graphql(desc = "How to sort them (default: oldest first).")] order_by: Option<
            OrganizationOrder,
        >,
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
    /// Province, e.g. 浙江省 (at most 50 characters).
    pub province: Option<String>,
    /// City, e.g. 杭州市 (at most 50 characters).
    pub city: Option<String>,
}

/// A new organisation.
#[derive(InputObject)]
pub struct CreateOrganizationInput {
    /// Full name, 1 to 200 characters; unique among its siblings.
    pub name: String,
    /// Enterprise, university, institute, government agency or other.
    pub kind: OrgKind,
    /// The organisation it belongs to; omit for a top-level one.
    pub parent_id: Option<ID>,
    /// Province and city.
    pub region: Option<RegionInput>,
}

/// Result of `createOrganization` and `updateOrganization`.
#[derive(SimpleObject)]
pub struct OrganizationPayload {
    /// The organisation as it is now.
    pub organization: OrganizationObject,
}

/// A registered user to add to an organisation.
#[derive(InputObject)]
pub struct AddMemberInput {
    /// The organisation to add the user to.
    pub organization_id: ID,
    /// E-mail the user registered with.
    pub email: String,
    /// MEMBER (default) or ORG_ADMIN.
    #[graphql(default_with = "OrgRole::Member")]
    pub role: OrgRole,
}

/// Result of `addMember`.
#[derive(SimpleObject)]
pub struct MembershipPayload {
    /// The new membership.
    pub membership: MembershipObject,
}

/// Changes to an organisation; fields left out keep their values.
#[derive(InputObject)]
pub struct UpdateOrganizationInput {
    /// The organisation.
    pub id: ID,
    /// New name, 1 to 200 characters; unique among its siblings.
    pub name: Option<String>,
    /// New kind.
    pub kind: Option<OrgKind>,
    /// New province; `null` clears it.
    pub province: MaybeUndefined<String>,
    /// New city; `null` clears it.
    pub city: MaybeUndefined<String>,
}

/// A membership to end.
#[derive(InputObject)]
pub struct RemoveMemberInput {
    /// The membership (`Membership.id`, e.g. from `organization { members }`).
    pub membership_id: ID,
}

/// Result of `removeMember`.
#[derive(SimpleObject)]
pub struct RemoveMemberPayload {
    /// The global id of the membership that was removed.
    pub deleted_id: ID,
    /// The organisation the user left.
    pub organization: OrganizationObject,
}

/// A role to grant.
#[derive(InputObject)]
pub struct GrantRoleInput {
    /// The root of the scope: the role covers this organisation and every
    /// organisation below it.
    pub organization_id: ID,
    /// E-mail the user registered with.
    pub email: String,
    /// COORDINATOR or SUPERVISOR.
    pub role: ScopedRole,
}

/// A role to revoke.
#[derive(InputObject)]
pub struct RevokeRoleInput {
    /// The grant (`RoleGrant.id`, e.g. from `organization { roleGrants }`).
    pub role_grant_id: ID,
}

/// Result of `grantRole` and `revokeRole`.
#[derive(SimpleObject)]
pub struct RoleGrantPayload {
    /// The grant as it is now.
    pub role_grant: RoleGrantObject,
}

/// Changes to the signed-in user's own profile; fields left out keep their values.
#[derive(InputObject)]
pub struct UpdateProfileInput {
    /// The name shown to others, 1 to 100 characters.
    pub display_name: Option<String>,
    /// The language of your e-mail (notifications).
    pub language: Option<crate::graphql::enums::Language>,
    /// How often your digest e-mail goes out (the notifications whose
    /// channel is `DIGEST`): `DAILY` (the default) or `WEEKLY`.
    pub digest_frequency: Option<crate::graphql::enums::DigestFrequency>,
}

/// Result of `updateProfile`.
#[derive(SimpleObject)]
pub struct UpdateProfilePayload {
    /// The signed-in user as they are now.
    pub user: UserObject,
}

#[derive(Default)]
pub struct OrganizationsMutation;

#[Object]
impl OrganizationsMutation {
    /// Creates an organisation (ADMIN or COORDINATOR).
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new organisation.")] input: CreateOrganizationInput,
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

    /// Renames an organisation or changes its kind or region (ADMIN,
    /// COORDINATOR, or an ORG_ADMIN of it or of an organisation above it).
    /// Its place in the tree stays.
    async fn update_organization(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation and the changes.")] input: UpdateOrganizationInput,
    ) -> Result<OrganizationPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Organization, &input.id)?;
        let patch = iurhub_app::organizations::OrganizationPatch {
            name: input.name,
            kind: input.kind.map(Into::into),
            province: maybe(input.province),
            city: maybe(input.city),
        };
        let organization = iurhub_app::organizations::update(ctx.app(), caller, id, patch).await?;
        Ok(OrganizationPayload {
            organization: OrganizationObject(organization),
        })
    }

    /// Removes a user from an organisation (ADMIN, an ORG_ADMIN of the
    /// organisation, or the member themself to leave). The last ORG_ADMIN
    /// of an organisation stays (CONFLICT). The user loses the
    /// organisation's rights at once, on open WebSockets too.
    async fn remove_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The membership to end.")] input: RemoveMemberInput,
    ) -> Result<RemoveMemberPayload> {
        let caller = ctx.caller()?;
        let id = decode("membershipId", Kind::Membership, &input.membership_id)?;
        let removed = iurhub_app::organizations::remove_member(ctx.app(), caller, id).await?;
        let organization = organizations::get(ctx.app(), removed.organization_id).await?;
        Ok(RemoveMemberPayload {
            deleted_id: ID(encode(Kind::Membership, removed.id)),
            organization: OrganizationObject(organization),
        })
    }

    /// Changes the signed-in user's own profile (display name). The
    /// password changes over REST: `POST /api/v1/auth/password`.
    async fn update_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateProfileInput,
    ) -> Result<UpdateProfilePayload> {
        let caller = ctx.caller()?;
        let mut user = match input.display_name {
            Some(name) => iurhub_app::accounts::update_profile(ctx.app(), caller, &name).await?,
            None => caller.user().clone(),
        };
        if let Some(language) = input.language {
            let locale = language.locale();
            iurhub_app::notifications::set_locale(ctx.app(), caller, locale).await?;
            user.locale = locale;
        }
        if let Some(frequency) = input.digest_frequency {
            iurhub_app::digests::set_frequency(ctx.app(), caller, frequency.into()).await?;
            user.digest_frequency = frequency.into();
        }
        Ok(UpdateProfilePayload {
            user: UserObject(user),
        })
    }

    /// Grants a COORDINATOR or SUPERVISOR role over an organisation and
    /// every organisation below it (ADMIN, or an ORG_ADMIN of it or of an
    /// organisation above it). A coordinator sees and curates everything
    /// of the organisations in scope, CONFIDENTIAL needs included; a
    /// supervisor reads their projects and the platform's figures and
    /// changes nothing. Takes effect at once, on open WebSockets too. An
    /// unknown e-mail address is BAD_USER_INPUT (`email`); a role the user
    /// already holds there is CONFLICT (`role`).
    async fn grant_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation, the user's e-mail address and the role.")]
        input: GrantRoleInput,
    ) -> Result<RoleGrantPayload> {
        let caller = ctx.caller()?;
        let org = decode("organizationId", Kind::Organization, &input.organization_id)?;
        let grant =
            iurhub_app::roles::grant(ctx.app(), caller, &input.email, input.role.into(), org)
                .await?;
        Ok(RoleGrantPayload {
            role_grant: RoleGrantObject(grant),
        })
    }

    /// Revokes a role (ADMIN, an ORG_ADMIN of its organisation or of one
    /// above it, or its holder giving it up). The grant stays on record
    /// with who revoked it and when; the rights end at once, on open
    /// WebSockets too. A grant revoked already is CONFLICT.
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The grant to revoke.")] input: RevokeRoleInput,
    ) -> Result<RoleGrantPayload> {
        let caller = ctx.caller()?;
        let id = decode("roleGrantId", Kind::RoleGrant, &input.role_grant_id)?;
        let grant = iurhub_app::roles::revoke(ctx.app(), caller, id).await?;
        Ok(RoleGrantPayload {
            role_grant: RoleGrantObject(grant),
        })
    }

    /// Adds a registered user to an organisation (ADMIN, or an ORG_ADMIN of that organisation).
    async fn add_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation, the user's e-mail address and the role.")]
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
