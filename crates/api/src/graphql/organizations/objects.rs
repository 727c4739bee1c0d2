use crate::graphql::loaders::{OrganizationChildren, OrganizationId, UserId};
use async_graphql::{Context, ID, Object, SimpleObject};

use crate::error::{ApiError, ApiResult as Result};
use crate::graphql::scalars::DateTime;
use iurhub_domain::records::organizations::Organization;
use iurhub_domain::records::users::{Membership, RoleGrant, User};

use crate::graphql::context::{ContextExt, load_one};
use crate::graphql::enums::{OrgKind, OrgRole, PlatformRole, ScopedRole};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::paging::{Conn, PageInput, connection};
use crate::graphql::talents::TalentObject;

/// An enterprise, university, institute, department, college or lab. Organisations form a tree.
pub struct OrganizationObject(pub Organization);

/// Where an organisation is.
#[derive(SimpleObject)]
pub struct Region {
    /// Province, e.g. 浙江省.
    pub province: Option<String>,
    /// City, e.g. 杭州市.
    pub city: Option<String>,
}

/// An enterprise, university, institute, department, college or lab. Organisations form a tree.
#[Object(name = "Organization")]
impl OrganizationObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Organization, self.0.id))
    }

    /// A legal entity (法人单位): the organisations below it belong to it
    /// unless they are one themselves. Service between organisations of one
    /// legal entity is not external.
    async fn legal_entity(&self) -> bool {
        self.0.legal_entity
    }

    /// Full name, often bilingual ("浙江工业大学 Zhejiang University of Technology").
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Enterprise, university, institute, government agency or other.
    async fn kind(&self) -> OrgKind {
        self.0.kind.into()
    }

    /// Province and city.
    async fn region(&self) -> Region {
        Region {
            province: self.0.region.province.clone(),
            city: self.0.region.city.clone(),
        }
    }

    /// The organisation this one belongs to; null for a root (a group or a university).
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<OrganizationObject>> {
        let Some(parent) = self.0.parent_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, OrganizationId(parent))
            .await?
            .map(OrganizationObject))
    }

    /// Direct sub-organisations (departments, colleges, labs), by name.
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<OrganizationObject>> {
        Ok(load_one(ctx, OrganizationChildren(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(OrganizationObject)
            .collect())
    }

    /// The members with their roles, oldest membership first. Shown to the
    /// organisation's members, the ORG_ADMINs of an organisation above it,
    /// coordinators and admins; null with FORBIDDEN for anyone else
    /// (UNAUTHENTICATED when not signed in).
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n members (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the members after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n members (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the members before this cursor.")] before: Option<String>,
    ) -> Result<Option<Conn<MembershipObject>>> {
        let caller = ctx.caller()?;
        let tag = format!("members:{}", self.0.id);
        let args = PageInput::new(first, after, last, before).to_args(ctx, &tag)?;
        let page = iurhub_app::organizations::members(ctx.app(), caller, self.0.id, args).await?;
        Ok(Some(connection(&tag, page, MembershipObject)))
    }

    /// The COORDINATOR and SUPERVISOR roles granted over this organisation
    /// (each also covers every organisation below it), oldest first. Shown
    /// to admins, coordinators and the ORG_ADMINs of it or of an
    /// organisation above it; null with FORBIDDEN for anyone else
    /// (UNAUTHENTICATED when not signed in).
    async fn role_grants(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Also the revoked grants (with who revoked them and when).",
            default = false
        )]
        include_revoked: bool,
    ) -> Result<Option<Vec<RoleGrantObject>>> {
        let caller = ctx.caller()?;
        let grants =
            iurhub_app::roles::of_organization(ctx.app(), caller, self.0.id, include_revoked)
                .await?;
        Ok(Some(grants.into_iter().map(RoleGrantObject).collect()))
    }

    /// Whether the signed-in user may create and edit this organisation's needs, capabilities and talents.
    async fn viewer_can_manage(&self, ctx: &Context<'_>) -> bool {
        ctx.caller().is_ok_and(|c| c.can_manage(self.0.id))
    }

    /// Whether the signed-in user may add and remove members of this organisation.
    async fn viewer_can_administer(&self, ctx: &Context<'_>) -> bool {
        ctx.caller().is_ok_and(|c| c.can_administer(self.0.id))
    }

    /// Whether the signed-in user may rename the organisation or change its
    /// kind and region (`updateOrganization`).
    async fn viewer_can_update(&self, ctx: &Context<'_>) -> bool {
        ctx.caller()
            .is_ok_and(|c| c.is_staff() || c.can_administer(self.0.id))
    }

    /// When the organisation was registered.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the organisation was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// A user's role in one organisation.
pub struct MembershipObject(pub Membership);

/// A user's role in one organisation.
#[Object(name = "Membership")]
impl MembershipObject {
    /// Global id; `removeMember` takes it.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Membership, self.0.id))
    }

    /// ORG_ADMIN or MEMBER.
    async fn role(&self) -> OrgRole {
        self.0.role.into()
    }

    /// The organisation.
    async fn organization(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        load_one(ctx, OrganizationId(self.0.organization_id))
            .await?
            .map(OrganizationObject)
            .ok_or(ApiError::not_found("organization"))
    }

    /// The member.
    async fn user(&self, ctx: &Context<'_>) -> Result<UserObject> {
        load_one(ctx, UserId(self.0.user_id))
            .await?
            .map(UserObject)
            .ok_or(ApiError::not_found("user"))
    }

    /// Whether the signed-in user may remove this membership (`removeMember`):
    /// admins, the organisation's ORG_ADMINs, and the member themself.
    async fn viewer_can_remove(&self, ctx: &Context<'_>) -> bool {
        ctx.caller()
            .is_ok_and(|c| c.id() == self.0.user_id || c.can_administer(self.0.organization_id))
    }

    /// When the user joined the organisation.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// A person with an account.
pub struct UserObject(pub User);

/// A person with an account.
#[Object(name = "User")]
impl UserObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::User, self.0.id))
    }

    /// The name shown to others (`updateProfile` changes it).
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }

    /// E-mail address; shown only to the user themself, coordinators and admins.
    async fn email(&self, ctx: &Context<'_>) -> Option<&str> {
        let caller = ctx.caller().ok()?;
        caller
            .sees_account_of(self.0.id)
            .then_some(self.0.email.as_str())
    }

    /// ADMIN or COORDINATOR; null for everyone else. Shown only to the user
    /// themself, coordinators and admins (null for other callers), so the
    /// platform's staff cannot be listed by anyone.
    async fn platform_role(&self, ctx: &Context<'_>) -> Option<PlatformRole> {
        let caller = ctx.caller().ok()?;
        if !caller.sees_account_of(self.0.id) {
            return None;
        }
        self.0.platform_role.map(Into::into)
    }

    /// The language of the user's e-mail; shown to the user themself only
    /// (null for everyone else).
    async fn language(&self, ctx: &Context<'_>) -> Option<crate::graphql::enums::Language> {
        let caller = ctx.caller().ok()?;
        (caller.id() == self.0.id).then(|| crate::graphql::enums::Language::of(self.0.locale))
    }

    /// How often the user's digest e-mail goes out (`updateProfile`); shown
    /// to the user themself only (null for everyone else).
    async fn digest_frequency(
        &self,
        ctx: &Context<'_>,
    ) -> Option<crate::graphql::enums::DigestFrequency> {
        let caller = ctx.caller().ok()?;
        (caller.id() == self.0.id).then(|| self.0.digest_frequency.into())
    }

    /// Messages of others the user has not read, over every conversation
    /// they may see now (`Thread.unreadCount` summed); shown to the user
    /// themself only (null for everyone else).
    async fn unread_messages(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        let Ok(caller) = ctx.caller() else {
            return Ok(None);
        };
        if caller.id() != self.0.id {
            return Ok(None);
        }
        let total = iurhub_app::threads::unread_total(ctx.app(), caller).await?;
        Ok(Some(i32::try_from(total).unwrap_or(i32::MAX)))
    }

    /// The user's organisations and roles; shown to the user themself, coordinators and admins.
    async fn memberships(&self, ctx: &Context<'_>) -> Result<Vec<MembershipObject>> {
        let Ok(caller) = ctx.caller() else {
            return Ok(Vec::new());
        };
        if !caller.sees_account_of(self.0.id) {
            return Ok(Vec::new());
        }
        let list = iurhub_app::organizations::memberships_of_user(ctx.app(), self.0.id).await?;
        Ok(list.into_iter().map(MembershipObject).collect())
    }

    /// The COORDINATOR and SUPERVISOR roles the user holds over
    /// organisations, oldest first; shown to the user themself, coordinators
    /// and admins, and to the ORG_ADMINs of the organisations concerned
    /// (the grants over theirs only). Empty for anyone else.
    async fn role_grants(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Also the revoked grants (with who revoked them and when).",
            default = false
        )]
        include_revoked: bool,
    ) -> Result<Vec<RoleGrantObject>> {
        let Ok(caller) = ctx.caller() else {
            return Ok(Vec::new());
        };
        let list =
            iurhub_app::roles::of_user(ctx.app(), caller, self.0.id, include_revoked).await?;
        Ok(list.into_iter().map(RoleGrantObject).collect())
    }

    /// The agreements the user coordinates (`grantAgreementCoordinator`),
    /// oldest grant first; shown to the user themself, admins, and the
    /// ORG_ADMINs who may grant them (the grants over their agreements
    /// only). Empty for anyone else.
    async fn agreement_coordinator_grants(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Also the revoked grants (with who revoked them and when).",
            default = false
        )]
        include_revoked: bool,
    ) -> Result<Vec<crate::graphql::agreements::AgreementCoordinatorGrantObject>> {
        let Ok(caller) = ctx.caller() else {
            return Ok(Vec::new());
        };
        let list = iurhub_app::agreement_coordinators::of_user(
            ctx.app(),
            caller,
            self.0.id,
            include_revoked,
        )
        .await?;
        Ok(list
            .into_iter()
            .map(crate::graphql::agreements::AgreementCoordinatorGrantObject)
            .collect())
    }

    /// The user's own talent (expertise) profile (the one created with
    /// `linkToMe: true`); null when they have none, and for anonymous
    /// callers (talent profiles are for signed-in users).
    async fn talent_profile(&self, ctx: &Context<'_>) -> Result<Option<TalentObject>> {
        if ctx.caller().is_err() {
            return Ok(None);
        }
        Ok(iurhub_app::talents::of_user(ctx.app(), self.0.id)
            .await?
            .map(TalentObject))
    }
}

/// A COORDINATOR or SUPERVISOR role of a user over an organisation and
/// every organisation below it. Revoked, never deleted: who granted and who
/// revoked it, and when, stay on record.
pub struct RoleGrantObject(pub RoleGrant);

/// A COORDINATOR or SUPERVISOR role of a user over an organisation and
/// every organisation below it. Revoked, never deleted: who granted and who
/// revoked it, and when, stay on record.
#[Object(name = "RoleGrant")]
impl RoleGrantObject {
    /// Global id; `revokeRole` takes it.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::RoleGrant, self.0.id))
    }

    /// COORDINATOR or SUPERVISOR.
    async fn role(&self) -> ScopedRole {
        self.0.role.into()
    }

    /// The user who holds (or held) the role.
    async fn user(&self, ctx: &Context<'_>) -> Result<UserObject> {
        load_one(ctx, UserId(self.0.user_id))
            .await?
            .map(UserObject)
            .ok_or(ApiError::not_found("user"))
    }

    /// The root of the scope: this organisation and every one below it.
    async fn organization(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        load_one(ctx, OrganizationId(self.0.organization_id))
            .await?
            .map(OrganizationObject)
            .ok_or(ApiError::not_found("organization"))
    }

    /// Who granted it; null when granted from the command line or when
    /// that account is gone.
    async fn granted_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        let Some(id) = self.0.granted_by else {
            return Ok(None);
        };
        Ok(load_one(ctx, UserId(id)).await?.map(UserObject))
    }

    /// When it was granted.
    async fn granted_at(&self) -> DateTime {
        DateTime(self.0.granted_at)
    }

    /// Who revoked it; null while it is active (or when that account is
    /// gone).
    async fn revoked_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        let Some(id) = self.0.revoked_by else {
            return Ok(None);
        };
        Ok(load_one(ctx, UserId(id)).await?.map(UserObject))
    }

    /// When it was revoked; null while it is active.
    async fn revoked_at(&self) -> Option<DateTime> {
        self.0.revoked_at.map(DateTime)
    }

    /// Whether the role is in force (not revoked).
    async fn active(&self) -> bool {
        self.0.is_active()
    }

    /// Whether the signed-in user may revoke it (`revokeRole`): admins, the
    /// ORG_ADMINs of its organisation or of one above it, and its holder.
    /// False once it is revoked.
    async fn viewer_can_revoke(&self, ctx: &Context<'_>) -> bool {
        self.0.is_active()
            && ctx
                .caller()
                .is_ok_and(|c| iurhub_app::roles::may_revoke(c, &self.0))
    }
}
