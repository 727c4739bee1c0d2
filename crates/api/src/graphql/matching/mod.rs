//! Matches and free-text search: `search` over needs, capabilities and
//! talents, and the decisions on a suggested (need, capability) pair.

mod objects;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use crate::error::ApiResult as Result;
use iurhub_domain::validate::MAX_KEYWORD_FILTER;
use iurhub_matching::DocKind;

use super::capabilities::CapabilityObject;
use super::context::ContextExt;
use super::enums::{DeclineReason, MatchStatus};
use super::ids::decode_match;
use super::needs::NeedObject;
use super::talents::TalentObject;
use crate::error::ApiError;
use iurhub_app::matching;
use iurhub_app::matching::Found;

pub use objects::{
    MatchFactorObject, MatchObject, NeedMatchObject, SearchHit, SearchResult, SearchType,
    TalentMatchObject,
};

#[derive(Default)]
pub struct MatchingQuery;

#[Object]
impl MatchingQuery {
    /// Free-text search (Chinese, English or mixed) over the needs,
    /// capabilities and talents the caller may see, best first, with a
    /// highlighted excerpt each. Talents are searched for signed-in users only.
    /// `types` defaults to all three.
    async fn search(
        &self,
        ctx: &Context<'_>,
        query: String,
        types: Option<Vec<SearchType>>,
        #[graphql(default = 10)] first: i32,
    ) -> Result<Vec<SearchHit>> {
        let text = query.trim();
        if text.is_empty() {
            return Err(ApiError::bad_input("query", "must not be empty"));
        }
        if text.chars().count() > MAX_KEYWORD_FILTER {
            return Err(ApiError::bad_input(
                "query",
                format!("must be at most {MAX_KEYWORD_FILTER} characters"),
            ));
        }
        let max = super::paging::page_size_max(ctx);
        if !(1..=max as i32).contains(&first) {
            return Err(ApiError::bad_input(
                "first",
                format!("must be between 1 and {max}"),
            ));
        }
        let types = types
            .unwrap_or_else(|| vec![SearchType::Need, SearchType::Capability, SearchType::Talent]);
        let kinds: Vec<DocKind> = types
            .iter()
            .map(|t| match t {
                SearchType::Need => DocKind::Need,
                SearchType::Capability => DocKind::Capability,
                SearchType::Talent => DocKind::Talent,
            })
            .collect();
        let found =
            iurhub_app::matching::search(ctx.app(), ctx.identity(), text, &kinds, first as usize)
                .await?;
        Ok(found
            .into_iter()
            .map(|(hit, found)| SearchHit {
                score: f64::from(hit.score),
                matched_terms: hit.matched_terms,
                snippet: hit.snippet.unwrap_or_default(),
                node: match found {
                    Found::Need(n) => SearchResult::Need(NeedObject::new(n)),
                    Found::Capability(c) => SearchResult::Capability(CapabilityObject(c)),
                    Found::Talent(t) => SearchResult::Talent(TalentObject(t)),
                },
            })
            .collect())
    }
}

#[derive(Default)]
pub struct MatchingMutation;

#[Object]
impl MatchingMutation {
    /// SUGGESTED → SHORTLISTED: keep this capability in view.
    async fn shortlist_match(&self, ctx: &Context<'_>, id: ID) -> Result<MatchPayload> {
        decide(ctx, id, MatchStatus::Shortlisted, None).await
    }

    /// → CONTACTED: the enterprise has contacted the capability's team.
    async fn contact_match(&self, ctx: &Context<'_>, id: ID) -> Result<MatchPayload> {
        decide(ctx, id, MatchStatus::Contacted, None).await
    }

    /// → ACCEPTED: both sides want to cooperate (a project can start from here).
    async fn accept_match(&self, ctx: &Context<'_>, id: ID) -> Result<MatchPayload> {
        decide(ctx, id, MatchStatus::Accepted, None).await
    }

    /// → DECLINED with a reason; the pair is never suggested again and the
    /// reason is kept as feedback.
    async fn decline_match(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: DeclineReasonInput,
    ) -> Result<MatchPayload> {
        let comment = reason
            .comment
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        if comment.as_deref().is_some_and(|c| c.chars().count() > 2000) {
            return Err(crate::error::ApiError::bad_input(
                "reason.comment",
                "must be at most 2000 characters",
            ));
        }
        decide(
            ctx,
            id,
            MatchStatus::Declined,
            Some((reason.code.into(), comment)),
        )
        .await
    }
}

/// Why a match is declined.
#[derive(InputObject)]
pub struct DeclineReasonInput {
    pub code: DeclineReason,
    /// Free text for the coordinators, at most 2000 characters.
    pub comment: Option<String>,
}

/// Result of a match decision.
#[derive(SimpleObject)]
pub struct MatchPayload {
    #[graphql(name = "match")]
    pub matched: MatchObject,
}

async fn decide(
    ctx: &Context<'_>,
    id: ID,
    to: MatchStatus,
    reason: Option<(iurhub_domain::DeclineReason, Option<String>)>,
) -> Result<MatchPayload> {
    let caller = ctx.caller()?;
    let (need_id, capability_id) = decode_match("id", &id)?;
    let step = matching::Step {
        need_id,
        capability_id,
        to: to.into(),
        reason,
    };
    let decided = matching::decide(ctx.app(), caller, step).await?;
    Ok(MatchPayload {
        matched: MatchObject(Box::new(decided)),
    })
}
