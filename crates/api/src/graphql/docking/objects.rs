//! Interests of the research side and the updates of a need's matches.

use async_graphql::{Context, ID, Object};

use crate::error::ApiResult as Result;
use iurhub_app::interests::{self, InterestView};
use iurhub_domain::records::matches::InterestTarget;

use crate::graphql::capabilities::CapabilityObject;
use crate::graphql::context::{ContextExt, load_one};
use crate::graphql::enums::{DeclineReason, InterestStatus};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::{TalentId, UserId};
use crate::graphql::matching::MatchObject;
use crate::graphql::needs::NeedObject;
use crate::graphql::organizations::UserObject;
use crate::graphql::scalars::DateTime;
use crate::graphql::talents::TalentObject;

/// The research side's interest in a need: for a capability (its match
/// carries both sides' decisions) or for a talent profile (the need's side
/// reviews it here).
pub struct InterestObject(pub InterestView);

/// The research side's interest in a need: for a capability (its match
/// carries both sides' decisions) or for a talent profile (the need's side
/// reviews it here). Seen by the need's side and by the side that
/// expressed it.
#[Object(name = "Interest")]
impl InterestObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Interest, self.0.interest.id))
    }

    /// The need.
    async fn need(&self, ctx: &Context<'_>) -> Result<Option<NeedObject>> {
        Ok(
            iurhub_app::needs::visible(ctx.app(), ctx.identity(), self.0.interest.need_id)
                .await
                .ok()
                .map(NeedObject::new),
        )
    }

    /// The interested capability (null for a talent's interest).
    async fn capability(&self, ctx: &Context<'_>) -> Result<Option<CapabilityObject>> {
        let Some(id) = self.0.interest.capability_id else {
            return Ok(None);
        };
        Ok(
            iurhub_app::capabilities::visible(ctx.app(), ctx.identity(), id)
                .await
                .ok()
                .map(CapabilityObject),
        )
    }

    /// The interested talent profile (null for a capability's interest).
    async fn talent(&self, ctx: &Context<'_>) -> Result<Option<TalentObject>> {
        let Some(id) = self.0.interest.talent_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, TalentId(id)).await?.map(TalentObject))
    }

    /// The capability's match with the need, where the decisions are taken
    /// (`acceptMatch`, `declineMatch`); null for a talent's interest.
    #[graphql(name = "match")]
    async fn matched(&self, ctx: &Context<'_>) -> Result<Option<MatchObject>> {
        let InterestTarget::Capability(capability_id) = self.0.interest.target() else {
            return Ok(None);
        };
        Ok(iurhub_app::matching::visible_match(
            ctx.app(),
            ctx.identity(),
            self.0.interest.need_id,
            capability_id,
        )
        .await
        .ok()
        .map(MatchObject::new))
    }

    /// What the research side wrote (1–2000 characters).
    async fn message(&self) -> &str {
        &self.0.interest.message
    }

    /// PENDING until the need's side decides: a talent's interest as
    /// reviewed (`acceptInterest`, `declineInterest`), a capability's as its
    /// match stands (ACCEPTED once both sides accepted, DECLINED when either
    /// declined).
    async fn status(&self) -> InterestStatus {
        self.0.status().into()
    }

    /// Who expressed it.
    async fn created_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        let Some(id) = self.0.interest.created_by else {
            return Ok(None);
        };
        Ok(load_one(ctx, UserId(id)).await?.map(UserObject))
    }

    /// When it was expressed.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.interest.created_at)
    }

    /// Who of the need's side reviewed a talent's interest.
    async fn reviewed_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        let Some(id) = self.0.interest.reviewed_by else {
            return Ok(None);
        };
        Ok(load_one(ctx, UserId(id)).await?.map(UserObject))
    }

    /// When a talent's interest was reviewed.
    async fn reviewed_at(&self) -> Option<DateTime> {
        self.0.interest.reviewed_at.map(DateTime)
    }

    /// Why a talent's interest was declined.
    async fn decline_reason(&self) -> Option<DeclineReason> {
        self.0.interest.decline_reason.map(Into::into)
    }

    /// Whether `acceptInterest` would succeed for the caller now.
    async fn viewer_can_accept(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(
            interests::check_review(ctx.app(), ctx.identity(), &self.0, false)
                .await
                .is_ok(),
        )
    }

    /// Whether `declineInterest` would succeed for the caller now.
    async fn viewer_can_decline(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(
            interests::check_review(ctx.app(), ctx.identity(), &self.0, true)
                .await
                .is_ok(),
        )
    }
}

/// A change of a need's docking pushed by `matchUpdated`: a side decided on
/// a match, or an interest was expressed or reviewed.
pub struct MatchUpdateObject {
    pub matched: Option<MatchObject>,
    pub interest: Option<InterestObject>,
}

/// A change of a need's docking pushed by `matchUpdated`: a side decided on
/// a match, or an interest was expressed or reviewed.
#[Object(name = "MatchUpdate")]
impl MatchUpdateObject {
    /// The match as it stands now (null for a talent's interest).
    #[graphql(name = "match")]
    async fn matched(&self) -> Option<&MatchObject> {
        self.matched.as_ref()
    }

    /// The interest expressed or reviewed, if that is what changed.
    async fn interest(&self) -> Option<&InterestObject> {
        self.interest.as_ref()
    }
}
