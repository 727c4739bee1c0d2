//! `/graphql/ws`: GraphQL over WebSocket (graphql-transport-ws, or the older
//! graphql-ws sub-protocol), and the sign-in of a connection.
//!
//! A connection lives longer than the rights it was opened with, so its
//! caller is resolved again, from the database, for every operation and
//! every subscription event ([`Session::identity`]): the user must still
//! exist, the access token must not have expired, its sign-in must not have
//! been revoked, and the roles and memberships are the current ones. The
//! connection closes with **4401** when its sign-in ends: at the access
//! token's `exp` (plus `jwt_leeway_secs`, scheduled, not polled), when the
//! sign-in is revoked (logout or refresh-token reuse: at once on this
//! server, at the next operation or event on other replicas), or when its
//! user is gone. The client reconnects with a fresh access token.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::graphql::loaders::RelationLoader;
use async_graphql::dataloader::DataLoader;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::{Data, Executor, Pos};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{State, WebSocketUpgrade};
use axum::response::Response;
use futures::stream::BoxStream;
use futures::{SinkExt, StreamExt};
use iurhub_app::{App, AppError, accounts};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;

use super::ApiSchema;
use crate::auth::Identity;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::AppState;
use iurhub_app::events::{Event, Events};
use iurhub_domain::Locale;

/// How long a WebSocket client has to send `connection_init`.
const CONNECTION_INIT_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest a connection sleeps before it looks at its token's expiry
/// again.
const LONGEST_SLEEP: Duration = Duration::from_secs(3600);

/// The close code of a connection whose sign-in ended (graphql-transport-ws
/// "4401: Unauthorized"): reconnect with a fresh access token.
pub const SIGN_IN_ENDED: u16 = 4401;

/// GET /graphql/ws: subscriptions, queries and mutations over WebSocket
/// (graphql-transport-ws, or the older graphql-ws sub-protocol). The
/// connection-init payload signs in: `{"Authorization": "Bearer <access
/// token>"}` (or `{"token": "<access token>"}`); without it, the connection
/// is anonymous. A bad token closes the connection with 4403, no
/// `connection_init` within 10 s with 4408, as the protocol asks; the end of
/// the sign-in (expiry, logout) with 4401. Connections end when the server
/// shuts down.
///
/// Errors are written in the language of the upgrade request's
/// `Accept-Language`, or of `locale` in the `connection_init` payload
/// (`"zh-CN"`, `"en"`; it wins); each operation's errors carry a request id
/// of their own (`extensions.requestId`).
pub async fn graphql_ws(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let locale = crate::i18n::of_headers(&headers);
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .max_message_size(state.settings.body_limit_bytes)
        .on_upgrade(move |socket| async move {
            let mut closing = state.closing.clone();
            tokio::select! {
                () = serve_socket(state, socket, protocol, locale) => {}
                _ = closing.wait_for(|closing| *closing) => {}
            }
        })
}

async fn serve_socket(
    state: AppState,
    socket: WebSocket,
    protocol: GraphQLProtocol,
    locale: Locale,
) {
    let (mut sink, mut stream) = socket.split();
    // The first message must be `connection_init`; it is checked here so a
    // refusal can carry the protocol's close codes.
    let first = match tokio::time::timeout(CONNECTION_INIT_TIMEOUT, stream.next()).await {
        Ok(Some(Ok(Message::Text(text)))) => text,
        Ok(_) => return,
        Err(_) => {
            let _ = sink
                .send(close(4408, "Connection initialisation timeout"))
                .await;
            return;
        }
    };
    let payload = match serde_json::from_str::<serde_json::Value>(first.as_str()) {
        Ok(msg) if msg["type"] == "connection_init" => msg["payload"].clone(),
        _ => {
            let _ = sink
                .send(close(4400, "the first message must be connection_init"))
                .await;
            return;
        }
    };
    let locale = match payload.get("locale").and_then(serde_json::Value::as_str) {
        Some(asked) => Locale::from_accept_language(asked),
        None => locale,
    };
    crate::i18n::with_locale(
        locale,
        serve_session(state, sink, stream, protocol, first, payload),
    )
    .await;
}

async fn serve_session(
    state: AppState,
    mut sink: futures::stream::SplitSink<WebSocket, Message>,
    stream: futures::stream::SplitStream<WebSocket>,
    protocol: GraphQLProtocol,
    first: axum::extract::ws::Utf8Bytes,
    payload: serde_json::Value,
) {
    let session = match Session::open(&state, &payload).await {
        Ok(session) => Arc::new(session),
        Err(err) => {
            let _ = sink.send(close(4403, &err.message())).await;
            return;
        }
    };
    let data = connection_data(&state, &session);
    let executor = Guarded {
        schema: state.ws_schema.clone(),
        session: session.clone(),
    };
    // The protocol writes through a channel, so that the end of the sign-in
    // can close the socket with its own code whatever the protocol is doing.
    let (outbox, mut outgoing) = futures::channel::mpsc::channel::<Message>(16);
    let replayed = futures::stream::once(async move { Ok(Message::Text(first)) }).chain(stream);
    let serve = GraphQLWebSocket::new_with_pair(outbox, replayed, executor, protocol)
        .on_connection_init(move |_| async move { Ok(data) })
        .serve();
    let write = async move {
        let ended = session.ended(state.app.events());
        tokio::pin!(ended);
        loop {
            tokio::select! {
                // What the protocol already said goes first (the refusal of
                // the operation that found the sign-in ended).
                biased;
                message = outgoing.next() => match message {
                    Some(message) => {
                        if sink.send(message).await.is_err() {
                            return;
                        }
                    }
                    // The protocol ended (the client closed): all written.
                    None => return,
                },
                ending = &mut ended => {
                    tracing::debug!(reason = ending.reason(), "WebSocket sign-in ended");
                    let _ = sink.send(close(SIGN_IN_ENDED, ending.reason())).await;
                    return;
                }
            }
        }
    };
    tokio::pin!(serve, write);
    match futures::future::select(serve, write).await {
        // Writes what the protocol still has to say.
        futures::future::Either::Left(((), write)) => write.await,
        futures::future::Either::Right(((), _serve)) => {}
    }
}

fn close(code: u16, reason: &str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}

/// What every operation of a connection reaches besides the request: its
/// [`Session`] (whose caller is resolved again for each operation and
/// event) and a loader (it batches; it caches nothing).
fn connection_data(state: &AppState, session: &Arc<Session>) -> Data {
    let mut data = Data::default();
    data.insert(session.clone());
    data.insert(DataLoader::new(
        RelationLoader(state.app.clone()),
        tokio::spawn,
    ));
    data
}

/// Why a connection's sign-in ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The access token expired.
    Expired,
    /// The sign-in was revoked: logout, or a refresh token presented twice.
    SignedOut,
    /// The user was deleted.
    UserGone,
}

impl Ending {
    /// The close frame's reason.
    pub fn reason(self) -> &'static str {
        match self {
            Ending::Expired => "token expired",
            Ending::SignedOut => "signed out",
            Ending::UserGone => "user no longer exists",
        }
    }

    fn error(self) -> ApiError {
        ApiError::unauthenticated(match self {
            Ending::Expired => "auth.expired",
            Ending::SignedOut => "auth.signed_out",
            Ending::UserGone => "auth.user_gone",
        })
    }
}

/// The signed-in side of a connection.
struct SignIn {
    user_id: i64,
    /// The sign-in (refresh-token family) of the access token, if it names
    /// one.
    sid: Option<String>,
    /// When the access token stops being accepted: `exp` plus the leeway.
    expires: SystemTime,
}

/// Who is on the other end of one WebSocket connection, checked again for
/// every operation and every event.
pub struct Session {
    app: App,
    /// `None`: an anonymous connection (it may do what anonymous callers may).
    signed_in: Option<SignIn>,
    /// Set once, when the sign-in is found ended.
    ending: watch::Sender<Option<Ending>>,
}

impl Session {
    /// The connection named by a connection-init payload; a present but
    /// invalid, expired or revoked token is refused.
    async fn open(state: &AppState, payload: &serde_json::Value) -> ApiResult<Session> {
        let field = |name: &str| payload.get(name).and_then(serde_json::Value::as_str);
        let header = field("Authorization")
            .or_else(|| field("authorization"))
            .map(str::to_owned)
            .or_else(|| field("token").map(|t| format!("Bearer {t}")));
        let signed_in = match header {
            None => None,
            Some(header) => Some(sign_in(state, &header)?),
        };
        let session = Session {
            app: state.app.clone(),
            signed_in,
            ending: watch::Sender::new(None),
        };
        session.identity().await?;
        Ok(session)
    }

    /// The caller now: anonymous for an anonymous connection; otherwise the
    /// user as stored now, with their current roles and memberships, or
    /// UNAUTHENTICATED once the sign-in has ended (which also closes the
    /// connection).
    pub async fn identity(&self) -> ApiResult<Identity> {
        let Some(sign_in) = &self.signed_in else {
            return Ok(Identity::Anonymous);
        };
        if let Some(ending) = *self.ending.borrow() {
            return Err(ending.error());
        }
        if SystemTime::now() >= sign_in.expires {
            return Err(self.end(Ending::Expired));
        }
        if let Some(sid) = &sign_in.sid
            && accounts::sign_in_revoked(&self.app, sid).await?
        {
            return Err(self.end(Ending::SignedOut));
        }
        match accounts::caller(&self.app, sign_in.user_id).await {
            Ok(caller) => Ok(Identity::User(caller)),
            Err(AppError::Unauthenticated("auth.user_gone")) => Err(self.end(Ending::UserGone)),
            Err(err) => Err(err.into()),
        }
    }

    /// Records the end of the sign-in (the first one found counts).
    fn end(&self, ending: Ending) -> ApiError {
        self.ending.send_if_modified(|current| {
            let first = current.is_none();
            if first {
                *current = Some(ending);
            }
            first
        });
        self.ending.borrow().unwrap_or(ending).error()
    }

    /// Completes when the sign-in ends: at the token's expiry, when this
    /// server revokes the sign-in, or when an operation or event found it
    /// ended. Never, for an anonymous connection.
    async fn ended(&self, events: &Events) -> Ending {
        let Some(sign_in) = &self.signed_in else {
            return std::future::pending().await;
        };
        let mut found = self.ending.subscribe();
        let mut revocations = Some(events.subscribe());
        // Set for the wall-clock expiry; woken early (a long-lived token, a
        // clock that moved), it is set again for what is left.
        let left = || {
            sign_in
                .expires
                .duration_since(SystemTime::now())
                .unwrap_or_default()
                .min(LONGEST_SLEEP)
        };
        let expiry = tokio::time::sleep(left());
        tokio::pin!(expiry);
        loop {
            if let Some(ending) = *found.borrow_and_update() {
                return ending;
            }
            tokio::select! {
                () = &mut expiry => {
                    if SystemTime::now() >= sign_in.expires {
                        self.end(Ending::Expired);
                    } else {
                        expiry.as_mut().reset(tokio::time::Instant::now() + left());
                    }
                }
                changed = found.changed() => {
                    if changed.is_err() {
                        return std::future::pending().await;
                    }
                }
                event = next_event(&mut revocations) => match event {
                    Some(Event::SignInEnded { sid }) if sign_in.sid.as_ref() == Some(&sid) => {
                        self.end(Ending::SignedOut);
                    }
                    _ => {}
                },
            }
        }
    }
}

/// The next event of the hub; lagging skips (the revocation is found again
/// at the next operation or event), a closed hub is never heard again.
async fn next_event(
    receiver: &mut Option<tokio::sync::broadcast::Receiver<Event>>,
) -> Option<Event> {
    let Some(events) = receiver else {
        return std::future::pending().await;
    };
    match events.recv().await {
        Ok(event) => Some(event),
        Err(RecvError::Lagged(_)) => None,
        Err(RecvError::Closed) => {
            *receiver = None;
            None
        }
    }
}

/// Verifies the access token of a connection-init payload.
fn sign_in(state: &AppState, header: &str) -> ApiResult<SignIn> {
    let (user_id, claims) = crate::auth::bearer_claims(state, header)?;
    let expires =
        UNIX_EPOCH + Duration::from_secs(claims.exp.saturating_add(state.jwt.leeway_secs()));
    Ok(SignIn {
        user_id,
        sid: claims.sid,
        expires,
    })
}

/// The WebSocket schema, run with the caller resolved afresh for each
/// operation (in the request's data, before the connection's).
#[derive(Clone)]
struct Guarded {
    schema: ApiSchema,
    session: Arc<Session>,
}

fn refused(err: ApiError) -> async_graphql::Response {
    async_graphql::Response::from_errors(vec![
        async_graphql::Error::from(err).into_server_error(Pos::default()),
    ])
}

/// A request id for one operation over the socket.
fn operation_id() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the error convention needs of an operation.
struct Operation {
    query: String,
    name: Option<String>,
    variables: async_graphql::Variables,
    id: String,
    locale: Locale,
}

impl Operation {
    fn of(request: &async_graphql::Request) -> Operation {
        Operation {
            query: request.query.clone(),
            name: request.operation_name.clone(),
            variables: request.variables.clone(),
            id: operation_id(),
            locale: crate::i18n::current(),
        }
    }

    /// The error convention ([`super::convention`]) for one response.
    fn finish(&self, mut response: async_graphql::Response) -> async_graphql::Response {
        super::convention::finish(
            &mut response.errors,
            &super::convention::Request {
                query: &self.query,
                operation: self.name.as_deref(),
                variables: &self.variables,
                locale: self.locale,
                request_id: Some(&self.id),
            },
        );
        response
    }
}

impl Executor for Guarded {
    async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        let operation = Operation::of(&request);
        operation.finish(match self.session.identity().await {
            Ok(identity) => match super::handler::read_only_refusal(
                &identity,
                &request.query,
                request.operation_name.as_deref(),
            ) {
                Some(err) => refused(err),
                None => self.schema.execute(request.data(identity)).await,
            },
            Err(err) => refused(err),
        })
    }

    fn execute_stream(
        &self,
        request: async_graphql::Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, async_graphql::Response> {
        let Guarded { schema, session } = self.clone();
        let operation = Arc::new(Operation::of(&request));
        futures::stream::once(async move {
            match session.identity().await {
                Ok(identity) => match super::handler::read_only_refusal(
                    &identity,
                    &request.query,
                    request.operation_name.as_deref(),
                ) {
                    Some(err) => futures::stream::once(async move { refused(err) }).boxed(),
                    None => schema.execute_stream_with_session_data(
                        request.data(identity),
                        session_data.unwrap_or_default(),
                    ),
                },
                Err(err) => futures::stream::once(async move { refused(err) }).boxed(),
            }
        })
        .flatten()
        .map(move |response| operation.finish(response))
        .boxed()
    }
}

/// Whether an error says that the caller's sign-in ended (the subscription
/// stops).
pub fn signed_out(err: &ApiError) -> bool {
    err.code() == ErrorCode::Unauthenticated
}
