//! State shared by every request handler.

use std::sync::Arc;

use iurhub_app::App;

use crate::auth::JwtKeys;
use crate::config::Settings;
use crate::graphql::ApiSchema;

#[derive(Clone)]
pub struct AppState {
    /// The application layer every request goes through.
    pub app: App,
    pub jwt: Arc<JwtKeys>,
    pub settings: Arc<Settings>,
    /// The schema of POST and GET `/graphql`.
    pub schema: ApiSchema,
    /// The schema of `/graphql/ws` (with the limits and metrics as extensions).
    pub ws_schema: ApiSchema,
    /// Answers to anonymous GraphQL queries, kept for a moment.
    pub response_cache: Arc<crate::graphql::response_cache::ResponseCache>,
    /// The rate limits and their buckets.
    pub limits: Arc<crate::ratelimit::RateLimits>,
    /// Turns `true` when the server starts shutting down (long-lived
    /// WebSocket connections end then).
    pub closing: tokio::sync::watch::Receiver<bool>,
}
