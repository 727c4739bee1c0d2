//! The `AgreementCoordinatorGrant` type: a user COORDINATOR of one
//! framework agreement.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use super::AgreementObject;
use crate::error::{ApiError, ApiResult as Result};
use crate::graphql::context::{ContextExt, load_one};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::UserId;
use crate::graphql::organizations::UserObject;
use crate::graphql::scalars::DateTime;
use iurhub_domain::records::agreements::AgreementCoordinatorGrant;

/// A user COORDINATOR of one framework agreement.
pub struct AgreementCoordinatorGrantObject(pub AgreementCoordinatorGrant);

/// A user COORDINATOR of one framework agreement: they see and edit the
/// agreement and see and manage the needs (CONFIDENTIAL ones included),
/// projects and activities filed under it, as a party's member does — but
/// neither confirm nor terminate it, nor edit a need's text, nor see
/// anything else of the parties. Revoked, never deleted: who granted and
/// who revoked it, and when, stay on record.
#[Object(name = "AgreementCoordinatorGrant")]
impl AgreementCoordinatorGrantObject {
    /// Global id; `revokeAgreementCoordinator` takes it.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::AgreementCoordinatorGrant, self.0.id))
    }

    /// The user who coordinates (or coordinated) the agreement.
    async fn user(&self, ctx: &Context<'_>) -> Result<UserObject> {
        load_one(ctx, UserId(self.0.user_id))
            .await?
            .map(UserObject)
            .ok_or(ApiError::not_found("user"))
    }

    /// The agreement coordinated; null when the reader no longer sees it
    /// (a coordinator whose grant was revoked, for instance).
    async fn agreement(&self, ctx: &Context<'_>) -> Result<Option<AgreementObject>> {
        match iurhub_app::agreements::visible(ctx.app(), ctx.identity(), self.0.agreement_id).await
        {
            Ok(a) => Ok(Some(AgreementObject(a))),
            Err(iurhub_app::error::AppError::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Who granted it; null when that account is gone.
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

    /// Whether the grant is in force (not revoked).
    async fn active(&self) -> bool {
        self.0.is_active()
    }

    /// Whether the signed-in user may revoke it
    /// (`revokeAgreementCoordinator`): admins and the ORG_ADMINs of a party
    /// or of an organisation above one. False once it is revoked.
    async fn viewer_can_revoke(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(iurhub_app::agreement_coordinators::viewer_can_revoke(
            ctx.app(),
            ctx.identity(),
            &self.0,
        )
        .await?)
    }
}

/// A coordinator to appoint.
#[derive(InputObject)]
pub struct GrantAgreementCoordinatorInput {
    /// The agreement.
    pub agreement_id: ID,
    /// E-mail the user registered with.
    pub email: String,
}

/// A coordinator grant to revoke.
#[derive(InputObject)]
pub struct RevokeAgreementCoordinatorInput {
    /// The grant (`AgreementCoordinatorGrant.id`, e.g. from
    /// `agreement { coordinators }`).
    pub grant_id: ID,
}

/// Result of `grantAgreementCoordinator` and `revokeAgreementCoordinator`.
#[derive(SimpleObject)]
pub struct AgreementCoordinatorGrantPayload {
    /// The grant as it is now.
    pub grant: AgreementCoordinatorGrantObject,
}
