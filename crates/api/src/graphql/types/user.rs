use async_graphql::{Context, ID, Object, Result};
use iurhub_store::users::User;

use super::MembershipObject;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::PlatformRole;
use crate::graphql::ids::{Kind, encode};

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
        (caller.id() == self.0.id || caller.is_staff()).then_some(self.0.email.as_str())
    }

    /// ADMIN or COORDINATOR; null for everyone else. Shown only to the user
    /// themself, coordinators and admins (null for other callers), so the
    /// platform's staff cannot be listed by anyone.
    async fn platform_role(&self, ctx: &Context<'_>) -> Option<PlatformRole> {
        let caller = ctx.caller().ok()?;
        if caller.id() != self.0.id && !caller.is_staff() {
            return None;
        }
        self.0.platform_role.map(Into::into)
    }

    /// The user's organisations and roles; shown to the user themself, coordinators and admins.
    async fn memberships(&self, ctx: &Context<'_>) -> Result<Vec<MembershipObject>> {
        let Ok(caller) = ctx.caller() else {
            return Ok(Vec::new());
        };
        if caller.id() != self.0.id && !caller.is_staff() {
            return Ok(Vec::new());
        }
        let list = ctx
            .store()
            .memberships_of_user(self.0.id)
            .await
            .map_err(crate::error::ApiError::from)?;
        Ok(list.into_iter().map(MembershipObject).collect())
    }
}
