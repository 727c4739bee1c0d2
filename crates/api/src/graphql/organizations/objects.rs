use crate::graphql::loaders::{OrganizationChildren, OrganizationId, UserId};
use async_graphql::{Context, ID, Object, SimpleObject};

use crate::error::ApiResult as Result;
use crate::graphql::scalars::DateTime;
use iurhub_domain::records::organizations::Organization;
use iurhub_domain::records::users::{Membership, User};

use crate::graphql::context::{ContextExt, load_one};
use crate::graphql::enums::{OrgKind, OrgRole, PlatformRole};
use crate::graphql::ids::{Kind, encode};

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

#[Object(name = "Organization")]
impl OrganizationObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Organization, self.0.id))
    }

    /// Full name, often bilingual ("浙江工业大学 Zhejiang University of Technology").
    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn kind(&self) -> OrgKind {
        self.0.kind.into()
    }

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

    /// Whether the signed-in user may create and edit this organisation's needs, capabilities and talents.
    async fn viewer_can_manage(&self, ctx: &Context<'_>) -> bool {
        ctx.caller().is_ok_and(|c| c.can_manage(self.0.id))
    }

    /// Whether the signed-in user may add members to this organisation.
    async fn viewer_can_administer(&self, ctx: &Context<'_>) -> bool {
        ctx.caller().is_ok_and(|c| c.can_administer(self.0.id))
    }

    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// A user's role in one organisation.
pub struct MembershipObject(pub Membership);

#[Object(name = "Membership")]
impl MembershipObject {
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Membership, self.0.id))
    }

    async fn role(&self) -> OrgRole {
        self.0.role.into()
    }

    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<OrganizationObject>> {
        Ok(load_one(ctx, OrganizationId(self.0.organization_id))
            .await?
            .map(OrganizationObject))
    }

    async fn user(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        Ok(load_one(ctx, UserId(self.0.user_id)).await?.map(UserObject))
    }

    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// A person with an account.
pub struct UserObject(pub User);

#[Object(name = "User")]
impl UserObject {
    pub async fn id(&self) -> ID {
        ID(encode(Kind::User, self.0.id))
    }

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
}
