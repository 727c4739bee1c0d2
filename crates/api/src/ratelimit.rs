//! Rate limits (token buckets, GCRA, from `governor`), kept in memory by each
//! replica:
//!
//! - `POST /api/v1/auth/register`, `/login` and `/refresh`: per client IP,
//!   one bucket per route and address;
//! - sign-in per account: every attempt on one (normalised) e-mail address,
//!   from any address, right or wrong, checked before the password is;
//! - `GET`/`POST /graphql`: per signed-in user (the verified access token's
//!   user), or per client IP for anonymous requests and invalid tokens.
//!
//! A refused request is answered 429 with `Retry-After` (whole seconds) and
//! the code `RATE_LIMITED`, before anything else is done. WebSocket
//! subscriptions (`/graphql/ws`) are not limited per message.
//!
//! The client IP is the socket peer; `X-Forwarded-For` is believed only when
//! the peer is one of `trusted_proxies`, and then read from the right,
//! skipping trusted proxies. IPv6 clients are counted per /64 network (one
//! host usually holds a whole /64). Idle keys are evicted every minute.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, NotUntil, Quota};
use ipnet::IpNet;

use crate::auth::jwt::JwtKeys;
use crate::config::{Settings, parse_proxy};
use crate::error::ApiError;

/// How often keys whose bucket is full again are forgotten.
const EVICT_EVERY: Duration = Duration::from_secs(60);

/// The routes limited per client IP, each with its own buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthRoute {
    Register,
    Login,
    Refresh,
}

/// Whose GraphQL requests share a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum GraphqlCaller {
    User(i64),
    Address(IpAddr),
}

/// The limits in force (`None`: that limit is off).
pub struct RateLimits {
    auth_per_ip: Option<Limiter<(AuthRoute, IpAddr)>>,
    login_per_account: Option<Limiter<String>>,
    graphql_per_user: Option<Limiter<GraphqlCaller>>,
    trusted_proxies: Vec<IpNet>,
}

/// A quota of `burst` at once, then one more every `period`.
fn quota(burst: u32, period: Duration) -> Option<Quota> {
    Some(Quota::with_period(period)?.allow_burst(NonZeroU32::new(burst)?))
}

type Limiter<K> = DefaultKeyedRateLimiter<K>;

/// A limiter with a quota of `burst`, then one every `period`; `None` when off.
fn keyed<K: std::hash::Hash + Eq + Clone>(
    on: bool,
    burst: u32,
    period: Duration,
) -> Option<Limiter<K>> {
    quota(burst, period).filter(|_| on).map(Limiter::keyed)
}

/// Takes one request from `key`'s bucket; refused, the time to wait.
fn take<K: std::hash::Hash + Eq + Clone>(limiter: &Limiter<K>, key: &K) -> Result<(), Duration> {
    limiter
        .check_key(key)
        .map_err(|refusal: NotUntil<<DefaultClock as Clock>::Instant>| {
            refusal.wait_time_from(limiter.clock().now())
        })
}

impl RateLimits {
    /// The limits of `settings` (every one off when `rate_limit_enabled` is false).
    pub fn new(settings: &Settings) -> RateLimits {
        let on = settings.rate_limit_enabled;
        let per_sec = settings.rate_limit_graphql_per_user_per_sec.max(1);
        RateLimits {
            auth_per_ip: keyed(
                on,
                settings.rate_limit_auth_per_ip_burst,
                Duration::from_secs(settings.rate_limit_auth_per_ip_period_secs),
            ),
            login_per_account: keyed(
                on,
                settings.rate_limit_login_per_account_burst,
                Duration::from_secs(settings.rate_limit_login_per_account_period_secs),
            ),
            graphql_per_user: keyed(
                on,
                settings.rate_limit_graphql_per_user_burst,
                Duration::from_secs(1) / per_sec,
            ),
            trusted_proxies: settings
                .trusted_proxies
                .iter()
                .filter_map(|p| parse_proxy(p))
                .collect(),
        }
    }

    /// Whether any limit is on (eviction is needed).
    fn any(&self) -> bool {
        self.auth_per_ip.is_some()
            || self.login_per_account.is_some()
            || self.graphql_per_user.is_some()
    }

    /// The client's address as the limits count it.
    pub fn client_ip(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> IpAddr {
        bucket_address(client_ip(peer, headers, &self.trusted_proxies))
    }

    fn request_ip(&self, request: &Request) -> IpAddr {
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        self.client_ip(peer, request.headers())
    }

    /// One request to an auth route from `ip`.
    pub fn check_auth_ip(&self, route: AuthRoute, ip: IpAddr) -> Result<(), ApiError> {
        let Some(limiter) = &self.auth_per_ip else {
            return Ok(());
        };
        take(limiter, &(route, ip)).map_err(|wait| refused("auth_per_ip", "rate.auth_per_ip", wait))
    }

    /// One sign-in attempt on the account of `email` (already normalised).
    pub fn check_login_account(&self, email: &str) -> Result<(), ApiError> {
        let Some(limiter) = &self.login_per_account else {
            return Ok(());
        };
        take(limiter, &email.to_owned())
            .map_err(|wait| refused("login_per_account", "rate.login_per_account", wait))
    }

    /// One GraphQL request over HTTP by `user` (signed in) or from `ip`.
    fn check_graphql(&self, user: Option<i64>, ip: IpAddr) -> Result<(), ApiError> {
        let Some(limiter) = &self.graphql_per_user else {
            return Ok(());
        };
        let key = user.map_or(GraphqlCaller::Address(ip), GraphqlCaller::User);
        take(limiter, &key)
            .map_err(|wait| refused("graphql_per_user", "rate.graphql_per_user", wait))
    }

    /// Forgets the keys whose bucket is full again.
    pub fn evict(&self) {
        if let Some(l) = &self.auth_per_ip {
            l.retain_recent();
            l.shrink_to_fit();
        }
        if let Some(l) = &self.login_per_account {
            l.retain_recent();
            l.shrink_to_fit();
        }
        if let Some(l) = &self.graphql_per_user {
            l.retain_recent();
            l.shrink_to_fit();
        }
    }

    /// Keys currently held, over every limit.
    pub fn len(&self) -> usize {
        self.auth_per_ip.as_ref().map_or(0, |l| l.len())
            + self.login_per_account.as_ref().map_or(0, |l| l.len())
            + self.graphql_per_user.as_ref().map_or(0, |l| l.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A refusal telling the client to wait `wait`, in whole seconds rounded up
/// (at least 1).
fn refused(limit: &'static str, key: &'static str, wait: Duration) -> ApiError {
    let retry_after_secs = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
    tracing::info!(limit, retry_after_secs, "rate limited");
    ApiError::RateLimited {
        key,
        retry_after_secs,
    }
}

/// Evicts idle keys every minute until the server closes (or the limits
/// are dropped).
pub fn spawn_eviction(limits: &Arc<RateLimits>, mut closing: tokio::sync::watch::Receiver<bool>) {
    if !limits.any() {
        return;
    }
    let limits = Arc::downgrade(limits);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVICT_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = closing.wait_for(|closing| *closing) => return,
            }
            let Some(limits) = limits.upgrade() else {
                return;
            };
            limits.evict();
        }
    });
}

/// The client of a request: the peer, or — when the peer is a trusted proxy
/// — the right-most address of `X-Forwarded-For` that is not a trusted proxy
/// (the left-most when all are; the last trusted hop when an entry is not an
/// address). Without a peer (a router driven without a socket) the
/// unspecified address, one bucket for all.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let peer = peer.map_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), |ip| {
        ip.to_canonical()
    });
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let mut client = peer;
    for entry in forwarded.iter().rev() {
        let Some(ip) = parse_forwarded(entry) else {
            return client;
        };
        client = ip;
        if !is_trusted(&ip) {
            return ip;
        }
    }
    client
}

/// An `X-Forwarded-For` entry: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or
/// `[2001:db8::1]:443`.
fn parse_forwarded(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

/// The address a bucket is kept for: IPv4 as is, IPv6 by its /64 network.
fn bucket_address(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let network = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(network))
        }
        v4 => v4,
    }
}

/// Middleware state for one auth route.
#[derive(Clone)]
pub struct AuthLimit {
    pub limits: Arc<RateLimits>,
    pub route: AuthRoute,
}

/// Refuses an auth request once its client's bucket for the route is empty.
pub async fn auth_per_ip(State(limit): State<AuthLimit>, request: Request, next: Next) -> Response {
    let ip = limit.limits.request_ip(&request);
    match limit.limits.check_auth_ip(limit.route, ip) {
        Ok(()) => next.run(request).await,
        Err(err) => err.into_response(),
    }
}

/// Middleware state of the GraphQL limit: the buckets, and the keys that
/// tell whose token a request carries.
#[derive(Clone)]
pub struct GraphqlLimit {
    pub limits: Arc<RateLimits>,
    pub jwt: Arc<JwtKeys>,
}

/// Refuses a GraphQL request over HTTP once its caller's bucket is empty,
/// with a GraphQL-shaped body.
pub async fn graphql_per_user(
    State(state): State<GraphqlLimit>,
    request: Request,
    next: Next,
) -> Response {
    let limits = &state.limits;
    if limits.graphql_per_user.is_none() {
        return next.run(request).await;
    }
    let user = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .and_then(|token| state.jwt.verify(token.trim()).ok());
    let ip = limits.request_ip(&request);
    match limits.check_graphql(user, ip) {
        Ok(()) => next.run(request).await,
        Err(err) => graphql_refusal(&err),
    }
}

fn graphql_refusal(err: &ApiError) -> Response {
    let body = err.graphql_body();
    let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
    if let ApiError::RateLimited {
        retry_after_secs, ..
    } = err
    {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(*retry_after_secs));
    }
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| parse_proxy(s).unwrap()).collect()
    }

    #[test]
    fn forwarded_for_is_ignored_unless_the_peer_is_trusted() {
        let h = headers(&["203.0.113.7"]);
        assert_eq!(client_ip(Some(ip("127.0.0.1")), &h, &[]), ip("127.0.0.1"));
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(
            client_ip(Some(ip("192.0.2.1")), &h, &trusted),
            ip("192.0.2.1")
        );
        assert_eq!(
            client_ip(Some(ip("10.1.2.3")), &h, &trusted),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn forwarded_for_is_read_from_the_right_skipping_trusted_proxies() {
        let trusted = nets(&["10.0.0.0/8", "127.0.0.1"]);
        // The client forged the left-most entry; the proxies appended the rest.
        let h = headers(&["1.1.1.1, 198.51.100.4", "10.0.0.2"]);
        assert_eq!(
            client_ip(Some(ip("127.0.0.1")), &h, &trusted),
            ip("198.51.100.4")
        );
        // Every hop trusted: the left-most.
        let h = headers(&["10.9.9.9, 10.0.0.2"]);
        assert_eq!(
            client_ip(Some(ip("127.0.0.1")), &h, &trusted),
            ip("10.9.9.9")
        );
        // Garbage stops the walk at the last trusted hop.
        let h = headers(&["198.51.100.4, not-an-ip, 10.0.0.2"]);
        assert_eq!(
            client_ip(Some(ip("127.0.0.1")), &h, &trusted),
            ip("10.0.0.2")
        );
        // Ports and brackets.
        let h = headers(&["[2001:db8::5]:443"]);
        assert_eq!(
            client_ip(Some(ip("127.0.0.1")), &h, &trusted),
            ip("2001:db8::5")
        );
        let h = headers(&["198.51.100.4:5678"]);
        assert_eq!(
            client_ip(Some(ip("127.0.0.1")), &h, &trusted),
            ip("198.51.100.4")
        );
        // No header: the proxy itself.
        assert_eq!(
            client_ip(Some(ip("127.0.0.1")), &HeaderMap::new(), &trusted),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn ipv6_clients_share_their_64_and_mapped_v4_is_v4() {
        assert_eq!(
            bucket_address(ip("2001:db8:1:2:aaaa::1")),
            ip("2001:db8:1:2::")
        );
        assert_eq!(
            bucket_address(ip("2001:db8:1:2:bbbb::9")),
            bucket_address(ip("2001:db8:1:2:aaaa::1"))
        );
        assert_eq!(bucket_address(ip("::ffff:192.0.2.9")), ip("192.0.2.9"));
        let trusted = nets(&["127.0.0.1"]);
        assert_eq!(
            client_ip(
                Some(ip("::ffff:127.0.0.1")),
                &headers(&["192.0.2.9"]),
                &trusted
            ),
            ip("192.0.2.9")
        );
    }

    #[test]
    fn proxies_parse_as_addresses_or_networks() {
        assert!(parse_proxy("10.0.0.0/8").is_some());
        assert!(parse_proxy(" 127.0.0.1 ").is_some());
        assert!(parse_proxy("fd00::/8").is_some());
        assert!(parse_proxy("::1").is_some());
        assert!(parse_proxy("localhost").is_none());
        assert!(parse_proxy("10.0.0.0/33").is_none());
    }

    fn settings(f: impl FnOnce(&mut Settings)) -> Settings {
        let mut s = Settings::default();
        f(&mut s);
        s
    }

    #[test]
    fn buckets_refuse_after_the_burst_with_a_retry_after() {
        let limits = RateLimits::new(&settings(|s| {
            s.rate_limit_auth_per_ip_burst = 2;
            s.rate_limit_auth_per_ip_period_secs = 30;
        }));
        let a = ip("192.0.2.1");
        assert!(limits.check_auth_ip(AuthRoute::Login, a).is_ok());
        assert!(limits.check_auth_ip(AuthRoute::Login, a).is_ok());
        match limits.check_auth_ip(AuthRoute::Login, a) {
            Err(ApiError::RateLimited {
                retry_after_secs, ..
            }) => assert!((29..=30).contains(&retry_after_secs), "{retry_after_secs}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        // Other routes and other addresses have their own buckets.
        assert!(limits.check_auth_ip(AuthRoute::Register, a).is_ok());
        assert!(
            limits
                .check_auth_ip(AuthRoute::Login, ip("192.0.2.2"))
                .is_ok()
        );
    }

    #[test]
    fn accounts_and_graphql_callers_have_their_own_buckets() {
        let limits = RateLimits::new(&settings(|s| {
            s.rate_limit_login_per_account_burst = 1;
            s.rate_limit_graphql_per_user_burst = 1;
        }));
        assert!(limits.check_login_account("a@example.org").is_ok());
        assert!(limits.check_login_account("a@example.org").is_err());
        assert!(limits.check_login_account("b@example.org").is_ok());
        let here = ip("192.0.2.1");
        assert!(limits.check_graphql(Some(1), here).is_ok());
        assert!(limits.check_graphql(Some(1), here).is_err());
        assert!(limits.check_graphql(Some(2), here).is_ok());
        assert!(limits.check_graphql(None, here).is_ok());
        assert!(limits.check_graphql(None, here).is_err());
    }

    #[test]
    fn disabled_limits_never_refuse_and_hold_nothing() {
        let limits = RateLimits::new(&settings(|s| {
            s.rate_limit_enabled = false;
            s.rate_limit_auth_per_ip_burst = 1;
            s.rate_limit_login_per_account_burst = 1;
            s.rate_limit_graphql_per_user_burst = 1;
        }));
        for _ in 0..10 {
            assert!(
                limits
                    .check_auth_ip(AuthRoute::Login, ip("192.0.2.1"))
                    .is_ok()
            );
            assert!(limits.check_login_account("a@example.org").is_ok());
            assert!(limits.check_graphql(Some(1), ip("192.0.2.1")).is_ok());
        }
        assert!(limits.is_empty());
    }

    #[test]
    fn eviction_forgets_full_buckets_only() {
        let limits = RateLimits::new(&settings(|s| {
            s.rate_limit_auth_per_ip_burst = 5;
            s.rate_limit_auth_per_ip_period_secs = 3600;
            s.rate_limit_graphql_per_user_burst = 1000;
            s.rate_limit_graphql_per_user_per_sec = 1000;
        }));
        limits
            .check_auth_ip(AuthRoute::Login, ip("192.0.2.1"))
            .unwrap();
        limits.check_graphql(Some(7), ip("192.0.2.1")).unwrap();
        assert_eq!(limits.len(), 2);
        // The GraphQL bucket refills within a millisecond; the login one takes an hour.
        std::thread::sleep(Duration::from_millis(20));
        limits.evict();
        assert_eq!(limits.len(), 1);
    }
}
