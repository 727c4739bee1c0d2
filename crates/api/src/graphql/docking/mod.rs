//! Docking: the research side's interest in needs (`expressInterest`) and
//! the need side's review of it (`acceptInterest`, `declineInterest`).
//! Both sides' decisions on a match are the matching mutations.

mod objects;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use iurhub_domain::Message;

use crate::error::ApiResult as Result;
use iurhub_app::interests::{self, InterestInput};
use iurhub_domain::FieldError;
use iurhub_domain::records::matches::InterestTarget;

use super::context::ContextExt;
use super::enums::DeclineReason;
use super::ids::{Kind, decode};
use crate::error::ApiError;

pub use objects::{InterestObject, MatchUpdateObject};

#[derive(Default)]
pub struct DockingMutation;

#[Object]
impl DockingMutation {
    /// The research side tells a need's side it wants to cooperate, with a
    /// message: for a capability (by its organisation's managers) this is
    /// the capability side's acceptance of the pair — the match is created
    /// if it was not stored — and the need's side then accepts the match to
    /// make it ACCEPTED; for a talent profile (by the person or their
    /// organisation's managers) the need's side reviews the interest
    /// (`acceptInterest`, `declineInterest`). The need must be PUBLISHED and
    /// visible to the caller (NOT_FOUND otherwise). A second interest for
    /// the same pair is a CONFLICT (`interest.duplicate`), as is interest in
    /// a DECLINED pair (`interest.pair_declined`). `matchUpdated`
    /// subscribers of the need's side hear of it.
    async fn express_interest(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `ExpressInterestInput`.")]
        input: ExpressInterestInput,
    ) -> Result<InterestPayload> {
        let caller = ctx.caller()?;
        let need_id = decode("needId", Kind::Need, &input.need_id);
        let capability_id = input
            .capability_id
            .as_ref()
            .map(|id| decode("capabilityId", Kind::Capability, id))
            .transpose();
        let talent_id = input
            .talent_id
            .as_ref()
            .map(|id| decode("talentId", Kind::Talent, id))
            .transpose();
        let mut problems: Vec<FieldError> = Vec::new();
        for res in [
            need_id.as_ref().err(),
            capability_id.as_ref().err(),
            talent_id.as_ref().err(),
        ]
        .into_iter()
        .flatten()
        {
            if let ApiError::App(err) = res {
                problems.extend(err.fields());
            }
        }
        let target = match (capability_id, talent_id) {
            (Ok(Some(c)), Ok(None)) => Some(InterestTarget::Capability(c)),
            (Ok(None), Ok(Some(t))) => Some(InterestTarget::Talent(t)),
            (Ok(_), Ok(_)) => {
                problems.push(FieldError::keyed(
                    "capabilityId",
                    Message::new("interest.target.exactly_one"),
                ));
                None
            }
            _ => None,
        };
        if let Err(err) = interests::check_message(&input.message) {
            problems.extend(err.fields());
        }
        let (Ok(need_id), Some(target), true) = (need_id, target, problems.is_empty()) else {
            return Err(iurhub_domain::DomainError::Validation(problems).into());
        };
        let view = interests::express(
            ctx.app(),
            caller,
            InterestInput {
                need_id,
                target,
                message: input.message,
            },
        )
        .await?;
        Ok(InterestPayload {
            interest: InterestObject(view),
        })
    }

    /// The need's side accepts a PENDING interest (`Interest.viewerCanAccept`):
    /// a talent's is ACCEPTED; a capability's is the need side's acceptance
    /// of its match (as `acceptMatch`), which makes the match ACCEPTED.
    async fn accept_interest(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `AcceptInterestInput`.")]
        input: AcceptInterestInput,
    ) -> Result<InterestPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Interest, &input.id)?;
        let view = interests::review(ctx.app(), caller, id, None).await?;
        Ok(InterestPayload {
            interest: InterestObject(view),
        })
    }

    /// The need's side declines a PENDING interest with a reason
    /// (`Interest.viewerCanDecline`); a capability's is the need side's
    /// decline of its match (as `declineMatch`).
    async fn decline_interest(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `DeclineInterestInput`.")]
        input: DeclineInterestInput,
    ) -> Result<InterestPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Interest, &input.id)?;
        let comment = input
            .comment
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        if comment.as_deref().is_some_and(|c| c.chars().count() > 2000) {
            return Err(ApiError::invalid(
                "comment",
                Message::new("value.too_long").with("max", 2000),
            ));
        }
        let view =
            interests::review(ctx.app(), caller, id, Some((input.reason.into(), comment))).await?;
        Ok(InterestPayload {
            interest: InterestObject(view),
        })
    }
}

/// Input of `expressInterest`: a need and either a capability or a talent.
#[derive(InputObject)]
pub struct ExpressInterestInput {
    /// The need (a `Need` id).
    pub need_id: ID,
    /// The interested capability (a `Capability` id); give it or `talentId`.
    pub capability_id: Option<ID>,
    /// The interested talent profile (a `Talent` id); give it or
    /// `capabilityId`.
    pub talent_id: Option<ID>,
    /// What the research side offers, 1–2000 characters.
    pub message: String,
}

/// Input of `acceptInterest`.
#[derive(InputObject)]
pub struct AcceptInterestInput {
    /// The interest (an `Interest` id).
    pub id: ID,
}

/// Input of `declineInterest`.
#[derive(InputObject)]
pub struct DeclineInterestInput {
    /// The interest (an `Interest` id).
    pub id: ID,
    /// Why it is declined.
    pub reason: DeclineReason,
    /// Free text, at most 2000 characters (kept on the match for a
    /// capability's interest).
    pub comment: Option<String>,
}

/// Result of an interest mutation.
#[derive(SimpleObject)]
pub struct InterestPayload {
    /// The interest as it stands now.
    pub interest: InterestObject,
}
