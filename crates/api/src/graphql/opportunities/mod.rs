//! The coordinators' opportunity queue in the schema: `opportunities`,
//! `gapNeeds`, `staleNeeds`, and the mutations that hand a pair to a broker
//! and take it back. Rules are in `iurhub_app::opportunities`.

pub mod objects;

pub use objects::OpportunityObject;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use iurhub_app::opportunities;
use iurhub_domain::Message;
use iurhub_domain::records::opportunities::{MAX_DAYS, NewAssignment, OpportunityFilter};

use crate::error::{ApiError, ApiResult as Result};
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{Kind, decode, decode_match};
use crate::graphql::inputs::id_of;
use crate::graphql::needs::NeedObject;
use crate::graphql::paging::{Conn, PageInput, connection};
use crate::graphql::scalars::Date;

/// Which pairs of the queue to list; every given filter must hold.
#[derive(InputObject, Default)]
pub struct OpportunityFilterInput {
    /// Only pairs scoring at least this (0–1).
    pub min_score: Option<f64>,
    /// A discipline code (`disciplines`): only pairs whose need or
    /// capability is classified under it or a narrower discipline.
    pub area: Option<String>,
    /// Only pairs whose need or capability belongs to this organisation or
    /// one below it.
    pub organization_id: Option<ID>,
    /// Only pairs whose need is filed under this agreement.
    pub agreement_id: Option<ID>,
    /// Only pairs waiting at least this many days (at most 3650): found
    /// that long ago and, with `assigned`, handed over that long ago, and
    /// not acted on since.
    pub unactioned_days: Option<i32>,
    /// false (default): pairs nobody has taken up; true: pairs handed to a
    /// broker that no side has acted on yet.
    pub assigned: Option<bool>,
    /// Only pairs handed to this user (implies `assigned`).
    pub broker_id: Option<ID>,
}

/// A number of days, refused when negative.
fn days(field: &str, days: i32) -> Result<u32> {
    u32::try_from(days).map_err(|_| {
        ApiError::invalid(
            field,
            Message::new("value.out_of_range")
                .with("min", 0)
                .with("max", MAX_DAYS),
        )
    })
}

#[derive(Default)]
pub struct OpportunitiesQuery;

#[Object]
impl OpportunitiesQuery {
    /// The coordinators' opportunity queue: across every published need you
    /// look after (of the organisations you manage or the agreements you
    /// coordinate; every need for admins) and every shared need fitting a
    /// capability of yours, the best pairs no side has acted on, best
    /// first. Sign-in required.
    async fn opportunities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which pairs.")] filter: Option<OpportunityFilterInput>,
        #[graphql(desc = "Returns the first n pairs (20 by default, at most 100).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns the pairs after this cursor (an edge's `cursor`).")]
        after: Option<String>,
        #[graphql(desc = "Returns the last n pairs; not with `first`.")] last: Option<i32>,
        #[graphql(desc = "Returns the pairs before this cursor.")] before: Option<String>,
    ) -> Result<Conn<OpportunityObject>> {
        let caller = ctx.caller()?;
        let filter = filter.unwrap_or_default();
        let organization_id = id_of(
            "filter.organizationId",
            Kind::Organization,
            filter.organization_id,
        )?;
        let domain = OpportunityFilter {
            min_score: filter.min_score,
            area: filter.area,
            organization_ids: None,
            agreement_id: id_of("filter.agreementId", Kind::Agreement, filter.agreement_id)?,
            unactioned_days: filter
                .unactioned_days
                .map(|d| days("filter.unactionedDays", d))
                .transpose()?,
            assigned: filter.assigned.unwrap_or(false),
            broker_id: id_of("filter.brokerId", Kind::User, filter.broker_id)?,
        };
        let tag = "opportunities";
        let args = PageInput::new(first, after, last, before).to_args(ctx, tag)?;
        let page = opportunities::list(ctx.app(), caller, domain, organization_id, args).await?;
        Ok(connection(tag, page, OpportunityObject))
    }

    /// Gap needs: published needs you may see, already ranked, without a
    /// published candidate scoring `threshold` or more — what the research
    /// side should be told it is missing. Newest first. Sign-in required.
    async fn gap_needs(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The score a candidate needs to count (0–1; the suggestion threshold by default)."
        )]
        threshold: Option<f64>,
        #[graphql(desc = "Returns the first n needs (20 by default, at most 100).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns the needs after this cursor (an edge's `cursor`).")]
        after: Option<String>,
        #[graphql(desc = "Returns the last n needs; not with `first`.")] last: Option<i32>,
        #[graphql(desc = "Returns the needs before this cursor.")] before: Option<String>,
    ) -> Result<Conn<NeedObject>> {
        let caller = ctx.caller()?;
        let tag = "needs:gap";
        let args = PageInput::new(first, after, last, before).to_args(ctx, tag)?;
        let page = opportunities::gap_needs(ctx.app(), caller, threshold, args).await?;
        Ok(connection(tag, page, NeedObject::new))
    }

    /// Stale needs: published needs you look after (of the organisations
    /// you manage or the agreements you coordinate) on which nothing
    /// happened for `days` days — no edit, decision, interest or hand-over.
    /// The longest waiting first. Sign-in required.
    async fn stale_needs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Days without action (0–3650).")] days: i32,
        #[graphql(desc = "Returns the first n needs (20 by default, at most 100).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns the needs after this cursor (an edge's `cursor`).")]
        after: Option<String>,
        #[graphql(desc = "Returns the last n needs; not with `first`.")] last: Option<i32>,
        #[graphql(desc = "Returns the needs before this cursor.")] before: Option<String>,
    ) -> Result<Conn<NeedObject>> {
        let caller = ctx.caller()?;
        let tag = "needs:stale";
        let args = PageInput::new(first, after, last, before).to_args(ctx, tag)?;
        let days = self::days("days", days)?;
        let page = opportunities::stale_needs(ctx.app(), caller, days, args).await?;
        Ok(connection(tag, page, NeedObject::new))
    }
}

/// A pair handed to a broker.
#[derive(InputObject)]
pub struct AssignOpportunityInput {
    /// The pair (`Opportunity.matchId`).
    pub match_id: ID,
    /// Who follows it up: a person of an organisation you manage who may
    /// see both the need and the capability.
    pub broker_id: ID,
    /// By when (today or later, China Standard Time); none when omitted.
    pub due_on: Option<Date>,
    /// What the broker is told (at most 2000 characters).
    pub note: Option<String>,
}

/// The pair after its hand-over.
#[derive(SimpleObject)]
pub struct AssignOpportunityPayload {
    /// The pair, with its assignment.
    pub opportunity: OpportunityObject,
}

/// A pair taken back from its broker.
#[derive(InputObject)]
pub struct UnassignOpportunityInput {
    /// The pair (`Opportunity.matchId`).
    pub match_id: ID,
}

/// The pair after it was taken back.
#[derive(SimpleObject)]
pub struct UnassignOpportunityPayload {
    /// The pair, unassigned: back in the queue.
    pub opportunity: OpportunityObject,
}

#[derive(Default)]
pub struct OpportunitiesMutation;

#[Object]
impl OpportunitiesMutation {
    /// Hands a pair of the queue to a broker with a due date and a note
    /// (replacing an earlier hand-over); the broker is told
    /// (`OPPORTUNITY_ASSIGNED`). For who looks after the need or the
    /// capability.
    async fn assign_opportunity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The pair, the broker, the due date and the note.")]
        input: AssignOpportunityInput,
    ) -> Result<AssignOpportunityPayload> {
        let caller = ctx.caller()?;
        let (need_id, capability_id) = decode_match("input.matchId", &input.match_id)?;
        let new = NewAssignment {
            need_id,
            capability_id,
            broker_id: decode("input.brokerId", Kind::User, &input.broker_id)?,
            due_on: input.due_on.map(|d| d.0),
            note: input.note.unwrap_or_default(),
        };
        let view = opportunities::assign(ctx.app(), caller, new).await?;
        Ok(AssignOpportunityPayload {
            opportunity: OpportunityObject(view),
        })
    }

    /// Takes a pair back from its broker: it returns to the queue.
    async fn unassign_opportunity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The pair.")] input: UnassignOpportunityInput,
    ) -> Result<UnassignOpportunityPayload> {
        let caller = ctx.caller()?;
        let (need_id, capability_id) = decode_match("input.matchId", &input.match_id)?;
        let view = opportunities::unassign(ctx.app(), caller, need_id, capability_id).await?;
        Ok(UnassignOpportunityPayload {
            opportunity: OpportunityObject(view),
        })
    }
}
