//! State shared by every request handler.

use std::sync::Arc;

use iurhub_matching::SearchIndex;
use iurhub_store::Store;

use crate::auth::JwtKeys;
use crate::config::Settings;
use crate::events::Events;
use crate::graphql::ApiSchema;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub jwt: Arc<JwtKeys>,
    pub settings: Arc<Settings>,
    /// The schema of POST and GET `/graphql`.
    pub schema: ApiSchema,
    /// The schema of `/graphql/ws` (with the limits and metrics as extensions).
    pub ws_schema: ApiSchema,
    /// The text index of needs, capabilities and talents.
    pub index: Arc<SearchIndex>,
    /// Rankings of needs kept between requests.
    pub match_cache: Arc<crate::service::match_cache::MatchCache>,
    /// Answers to anonymous GraphQL queries, kept for a moment.
    pub response_cache: Arc<crate::graphql::response_cache::ResponseCache>,
    /// Subscribers' event hub.
    pub events: Events,
    /// The rate limits and their buckets.
    pub limits: Arc<crate::ratelimit::RateLimits>,
    /// Turns `true` when the server starts shutting down (long-lived
    /// WebSocket connections end then).
    pub closing: tokio::sync::watch::Receiver<bool>,
}
