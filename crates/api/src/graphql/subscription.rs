//! Subscriptions, served over WebSocket at `/graphql/ws`
//! (graphql-transport-ws; the caller signs in with the connection-init payload).

use std::collections::VecDeque;
use std::sync::Arc;

use async_graphql::{Context, ID, Result, Subscription as SubscriptionRoot};
use futures::Stream;
use iurhub_domain::{MatchStatus, NeedStatus};
use iurhub_matching::{SearchIndex, Weights};
use iurhub_store::Store;
use tokio::sync::broadcast::{self, error::RecvError};

use super::context::ContextExt;
use super::ids::{Kind, decode};
use super::types::MatchObject;
use crate::auth::{Caller, Identity};
use crate::error::{ApiError, ApiResult};
use crate::events::Event;
use crate::service;
use crate::service::matching::{CapabilityMatch, MatchFilter};

/// The lowest score a capability needs to be pushed as a new suggestion.
#[derive(Debug, Clone, Copy)]
pub struct SuggestMinScore(pub f64);

pub struct Subscription;

#[SubscriptionRoot]
impl Subscription {
    /// New suggestions for a need: each time a capability that fits it (a
    /// match score of at least the server's `matching_suggest_min_score`) is
    /// published or edited while published, the match is pushed, with its
    /// explanation. Pairs already decided on (shortlisted, contacted,
    /// accepted, declined) are not pushed again. Only those who decide on the
    /// need's matches may subscribe: its organisation, coordinators, admins.
    async fn match_suggested(
        &self,
        ctx: &Context<'_>,
        need_id: ID,
    ) -> Result<impl Stream<Item = MatchObject> + use<>> {
        let caller = ctx.caller()?.clone();
        let need_id = decode("needId", Kind::Need, &need_id)?;
        let watch = Watch {
            events: ctx.events().subscribe(),
            store: ctx.store().clone(),
            index: ctx.data_unchecked::<Arc<SearchIndex>>().clone(),
            weights: *ctx.weights(),
            min_score: ctx.data_unchecked::<SuggestMinScore>().0,
            caller,
            need_id,
            pending: VecDeque::new(),
        };
        // Refuse at once rather than stay silent forever.
        watch.need().await?;
        Ok(futures::stream::unfold(watch, |mut watch| async move {
            let m = watch.next_suggestion().await?;
            Some((MatchObject(Box::new(m)), watch))
        }))
    }
}

/// One subscriber's view of the events for one need.
struct Watch {
    events: broadcast::Receiver<Event>,
    store: Store,
    index: Arc<SearchIndex>,
    weights: Weights,
    min_score: f64,
    caller: Caller,
    need_id: i64,
    /// Suggestions of one event not yet pushed.
    pending: VecDeque<CapabilityMatch>,
}

impl Watch {
    /// The need, if the subscriber may still decide on its matches.
    async fn need(&self) -> ApiResult<iurhub_store::needs::Need> {
        let who = Identity::User(Box::new(self.caller.clone()));
        let need = service::needs::visible(&self.store, &who, self.need_id).await?;
        if !self.caller.can_manage(need.organization_id) {
            return Err(ApiError::forbidden(
                "only the need's organization, coordinators and admins follow its suggestions",
            ));
        }
        Ok(need)
    }

    /// Waits for the next fitting capability; `None` when the server stops.
    async fn next_suggestion(&mut self) -> Option<CapabilityMatch> {
        if let Some(next) = self.pending.pop_front() {
            return Some(next);
        }
        loop {
            let event = match self.events.recv().await {
                Ok(event) => event,
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(skipped, "a matchSuggested subscriber fell behind");
                    continue;
                }
                Err(RecvError::Closed) => return None,
            };
            let Event::CapabilitiesPublished { capability_ids } = event else {
                continue;
            };
            match self.suggestions(&capability_ids).await {
                Ok(found) => self.pending.extend(found),
                Err(err) => {
                    tracing::warn!(
                        need_id = self.need_id,
                        error = err.message(),
                        "matchSuggested: skipped an event"
                    );
                }
            }
            if let Some(next) = self.pending.pop_front() {
                return Some(next);
            }
        }
    }

    /// The fitting ones among `capability_ids`, best first.
    async fn suggestions(&self, capability_ids: &[i64]) -> ApiResult<Vec<CapabilityMatch>> {
        let need = self.need().await?;
        if need.status != NeedStatus::Published {
            return Ok(Vec::new());
        }
        let filter = MatchFilter {
            min_score: Some(self.min_score),
            ..MatchFilter::default()
        };
        let ranked = service::matching::capabilities_for_need(
            &self.store,
            &self.index,
            &self.weights,
            &need,
            &filter,
        )
        .await?;
        Ok(ranked
            .into_iter()
            .filter(|m| {
                capability_ids.contains(&m.capability.id) && m.status() == MatchStatus::Suggested
            })
            .collect())
    }
}
