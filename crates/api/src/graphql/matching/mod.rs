//! Matches and free-text search: `search` over needs, capabilities and
//! talents, and the decisions on a suggested (need, capability) pair.

mod objects;

use iurhub_domain::Message;
use std::sync::Arc;

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use crate::error::ApiResult as Result;
use iurhub_domain::validate::MAX_KEYWORD_FILTER;
use iurhub_matching::DocKind;

use super::context::ContextExt;
use super::enums::{DeclineReason, MatchSide, MatchStatus};
use super::ids::decode_match;
use super::paging::{ConnectionFields, PageCursor, PageInput, slice};
use crate::error::ApiError;
use iurhub_app::matching;
use iurhub_app::matching::Found;

pub use objects::{
    MatchAction, MatchFactorName, MatchFactorObject, MatchObject, MatchSideDecisionObject,
    NeedMatchObject, SearchHitFields, SearchResult, SearchType, TalentMatchObject,
};

/// A page of search results, best first.
pub type SearchConnection = Connection<PageCursor, SearchResult, ConnectionFields, SearchHitFields>;

#[derive(Default)]
pub struct MatchingQuery;

#[Object]
impl MatchingQuery {
    /// Free-text search (Chinese, English or mixed) over the needs,
    /// capabilities and talents the caller may see, best first, with a
    /// highlighted excerpt each: a connection through the best 1,000 hits
    /// of each type (`totalCount` counts them). Talents are searched for
    /// signed-in users only. `types` defaults to all three. A cursor is
    /// bound to its query and types.
    #[allow(clippy::too_many_arguments)]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Words to look for, 1–200 characters.")] query: String,
        #[graphql(desc = "What to look through; all three when omitted.")] types: Option<
            Vec<SearchType>,
        >,
        #[graphql(desc = "Returns the first n results (20 by default).")] first: Option<i32>,
        #[graphql(desc = "Returns the results after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n results.")] last: Option<i32>,
        #[graphql(desc = "Returns the results before this cursor.")] before: Option<String>,
    ) -> Result<SearchConnection> {
        let text = query.trim();
        if text.is_empty() {
            return Err(ApiError::invalid("query", Message::new("value.required")));
        }
        if text.chars().count() > MAX_KEYWORD_FILTER {
            return Err(ApiError::invalid(
                "query",
                Message::new("value.too_long").with("max", MAX_KEYWORD_FILTER),
            ));
        }
        let mut types = types
            .unwrap_or_else(|| vec![SearchType::Need, SearchType::Capability, SearchType::Talent]);
        types.sort_by_key(|t| *t as u8);
        types.dedup();
        let kinds: Vec<DocKind> = types
            .iter()
            .map(|t| match t {
                SearchType::Need => DocKind::Need,
                SearchType::Capability => DocKind::Capability,
                SearchType::Talent => DocKind::Talent,
            })
            .collect();
        let tag = search_tag(text, &types);
        let page = PageInput::new(first, after, last, before);
        let args = page.to_args(ctx, &tag)?;
        // Enough hits for the page and one more (hasNextPage); the whole
        // window for totalCount or paging from the end.
        let want = match (&args.first, &args.last, &args.before, args.with_total) {
            (_, None, None, false) => args
                .after
                .as_ref()
                .map_or(0, |k| usize::try_from(k.id).unwrap_or(0))
                .saturating_add(args.first.unwrap_or(iurhub_domain::DEFAULT_PAGE_SIZE) as usize)
                .saturating_add(1),
            _ => usize::MAX,
        };
        let found = matching::search(ctx.app(), ctx.identity(), text, &kinds, want).await?;
        let query: Arc<str> = text.into();
        // The page's hits, in edge order, beside the nodes `slice` makes.
        let shown = std::cell::RefCell::new(Vec::new());
        let conn = slice(ctx, &tag, found, &page, |(hit, found): (_, Found)| {
            shown.borrow_mut().push((hit, found.clone()));
            SearchResult::from(found)
        })?;
        let mut out = SearchConnection::with_additional_fields(
            conn.has_previous_page,
            conn.has_next_page,
            conn.additional_fields,
        );
        out.edges
            .extend(
                conn.edges
                    .into_iter()
                    .zip(shown.into_inner())
                    .map(|(edge, (hit, found))| {
                        Edge::with_additional_fields(
                            edge.cursor,
                            edge.node,
                            SearchHitFields {
                                hit,
                                found,
                                query: query.clone(),
                            },
                        )
                    }),
            );
        Ok(out)
    }
}

/// The ordering tag of a search's cursors: the query and types, hashed
/// (FNV-1a), so a cursor of one search is refused by another.
fn search_tag(text: &str, types: &[SearchType]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let types: Vec<u8> = types.iter().map(|t| *t as u8).collect();
    for byte in text
        .as_bytes()
        .iter()
        .chain([0u8].iter())
        .chain(types.iter())
    {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("search:{hash:016x}")
}

#[derive(Default)]
pub struct MatchingMutation;

#[Object]
impl MatchingMutation {
    /// SUGGESTED → SHORTLISTED: keep this capability in view. For the
    /// need's organisation, coordinators and admins (`Match.viewerCanShortlist`).
    async fn shortlist_match(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `ShortlistMatchInput`.")]
        input: ShortlistMatchInput,
    ) -> Result<MatchPayload> {
        decide(ctx, input.id, MatchStatus::Shortlisted, None, None).await
    }

    /// SUGGESTED or SHORTLISTED → CONTACTED: the enterprise has contacted
    /// the capability's team (`Match.viewerCanContact`).
    async fn contact_match(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `ContactMatchInput`.")] input: ContactMatchInput,
    ) -> Result<MatchPayload> {
        decide(ctx, input.id, MatchStatus::Contacted, None, None).await
    }

    /// One side accepts (`Match.viewerCanAccept`); the match is ACCEPTED —
    /// a project can start from it — once both sides have accepted. The
    /// need side accepts a SHORTLISTED or CONTACTED match, or a SUGGESTED
    /// one the capability side has accepted; the capability side accepts
    /// any open match. `input.side` chooses the side for those who decide
    /// for both (`Match.viewerSides`).
    async fn accept_match(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `AcceptMatchInput`.")] input: AcceptMatchInput,
    ) -> Result<MatchPayload> {
        decide(
            ctx,
            input.id,
            MatchStatus::Accepted,
            None,
            input.side.map(Into::into),
        )
        .await
    }

    /// Either side declines an open match with a reason: the match is
    /// DECLINED for both (`Match.declinedBy` records the side), the pair is
    /// never suggested again and the reason is kept as feedback
    /// (`Match.viewerCanDecline`). A side may decline after accepting, while
    /// the other side has not.
    async fn decline_match(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `DeclineMatchInput`.")] input: DeclineMatchInput,
    ) -> Result<MatchPayload> {
        let comment = input
            .comment
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        if comment.as_deref().is_some_and(|c| c.chars().count() > 2000) {
            return Err(crate::error::ApiError::invalid(
                "comment",
                Message::new("value.too_long").with("max", 2000),
            ));
        }
        decide(
            ctx,
            input.id,
            MatchStatus::Declined,
            Some((input.reason.into(), comment)),
            input.side.map(Into::into),
        )
        .await
    }
}

/// Input of `shortlistMatch`.
#[derive(InputObject)]
pub struct ShortlistMatchInput {
    /// The match (a `Match` id).
    pub id: ID,
}

/// Input of `contactMatch`.
#[derive(InputObject)]
pub struct ContactMatchInput {
    /// The match (a `Match` id).
    pub id: ID,
}

/// Input of `acceptMatch`.
#[derive(InputObject)]
pub struct AcceptMatchInput {
    /// The match (a `Match` id).
    pub id: ID,
    /// The side accepting; by default the caller's `Match.viewerSide`.
    /// FORBIDDEN for a side the caller does not decide for.
    pub side: Option<MatchSide>,
}

/// Input of `declineMatch`.
#[derive(InputObject)]
pub struct DeclineMatchInput {
    /// The match (a `Match` id).
    pub id: ID,
    /// Why the match is declined.
    pub reason: DeclineReason,
    /// Free text for the coordinators, at most 2000 characters.
    pub comment: Option<String>,
    /// The side declining; by default the caller's `Match.viewerSide`.
    /// FORBIDDEN for a side the caller does not decide for.
    pub side: Option<MatchSide>,
}

/// Result of a match decision.
#[derive(SimpleObject)]
pub struct MatchPayload {
    /// The match with its new status.
    #[graphql(name = "match")]
    pub matched: MatchObject,
}

async fn decide(
    ctx: &Context<'_>,
    id: ID,
    to: MatchStatus,
    reason: Option<(iurhub_domain::DeclineReason, Option<String>)>,
    side: Option<iurhub_domain::MatchSide>,
) -> Result<MatchPayload> {
    let caller = ctx.caller()?;
    let (need_id, capability_id) = decode_match("id", &id)?;
    let step = matching::Step {
        need_id,
        capability_id,
        to: to.into(),
        reason,
        side,
    };
    let decided = matching::decide(ctx.app(), caller, step).await?;
    Ok(MatchPayload {
        matched: MatchObject::new(decided),
    })
}

/// The match of a (need, capability) pair, for its two sides
/// (`matching::visible_match`); NOT_FOUND for everybody else.
pub(crate) async fn match_for(
    ctx: &Context<'_>,
    need_id: i64,
    capability_id: i64,
) -> Result<MatchObject> {
    let found = matching::visible_match(ctx.app(), ctx.identity(), need_id, capability_id).await?;
    Ok(MatchObject::new(found))
}
