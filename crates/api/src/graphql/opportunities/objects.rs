//! The objects of the opportunity queue: `Opportunity` and its
//! `OpportunityAssignment`.

use async_graphql::{Context, ID, Object};
use iurhub_app::opportunities::OpportunityView;
use iurhub_domain::records::opportunities::Assignment;

use crate::error::ApiResult as Result;
use crate::graphql::capabilities::CapabilityObject;
use crate::graphql::context::load_one;
use crate::graphql::ids::encode_match;
use crate::graphql::loaders::UserId;
use crate::graphql::matching::MatchObject;
use crate::graphql::needs::NeedObject;
use crate::graphql::organizations::UserObject;
use crate::graphql::scalars::{Date, DateTime};

/// A pair of a published need and a published capability among the need's
/// best candidates (as last ranked) that no side has acted on: nobody
/// decided on it or expressed interest in it. Listed by `opportunities` to
/// who looks after either side.
pub struct OpportunityObject(pub OpportunityView);

/// A pair of a published need and a published capability among the need's
/// best candidates that no side has acted on yet, for coordinators to
/// follow up or hand to a broker.
#[Object(name = "Opportunity")]
impl OpportunityObject {
    /// The global id of the pair's `Match` (`node(id:)` and `match` read
    /// it; `assignOpportunity` takes it).
    async fn match_id(&self) -> ID {
        ID(encode_match(
            self.0.opportunity.need_id,
            self.0.opportunity.capability_id,
        ))
    }

    /// 0–1, the matching engine's score when the need was last ranked.
    async fn score(&self) -> f64 {
        self.0.opportunity.score
    }

    /// When the pair was first ranked among the need's best.
    async fn found_at(&self) -> DateTime {
        DateTime(self.0.opportunity.found_at)
    }

    /// The need.
    async fn need(&self) -> NeedObject {
        NeedObject::new((*self.0.need).clone())
    }

    /// The capability.
    async fn capability(&self) -> CapabilityObject {
        CapabilityObject((*self.0.capability).clone())
    }

    /// The pair as a match, explained factor by factor (ranked afresh
    /// when selected: select it for one pair rather than a whole page).
    async fn r#match(&self, ctx: &Context<'_>) -> Result<MatchObject> {
        crate::graphql::matching::match_for(
            ctx,
            self.0.opportunity.need_id,
            self.0.opportunity.capability_id,
        )
        .await
    }

    /// Its hand-over to a broker; null while nobody was given it.
    async fn assignment(&self) -> Option<AssignmentObject> {
        self.0.opportunity.assignment.clone().map(AssignmentObject)
    }
}

/// A pair handed to a broker (技术经纪人) to follow up.
pub struct AssignmentObject(pub Assignment);

/// A pair handed to a broker (技术经纪人) to follow up, by a due date.
#[Object(name = "OpportunityAssignment")]
impl AssignmentObject {
    /// Who follows the pair up.
    async fn broker(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        Ok(load_one(ctx, UserId(self.0.broker_id))
            .await?
            .map(UserObject))
    }

    /// Who handed it over.
    async fn assigned_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        Ok(load_one(ctx, UserId(self.0.assigned_by))
            .await?
            .map(UserObject))
    }

    /// By when the broker should have acted (none when not set).
    async fn due_on(&self) -> Option<Date> {
        self.0.due_on.map(Date)
    }

    /// What the broker is told (may be empty).
    async fn note(&self) -> &str {
        &self.0.note
    }

    /// When it was handed over (to this broker).
    async fn assigned_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}
