//! Subscriptions, served over WebSocket at `/graphql/ws`
//! (graphql-transport-ws; the caller signs in with the connection-init payload).
//!
//! The subscriber is resolved again for every event ([`Subscriber::now`]):
//! an event is pushed only if the caller may see it with their current roles
//! and memberships, and a subscription ends when its sign-in ends.

use crate::graphql::notifications::NotificationObject;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use async_graphql::{Context, ID, Subscription as SubscriptionRoot};

use crate::error::ApiResult as Result;
use futures::Stream;
use iurhub_app::events::Event;
use iurhub_app::matching::{self, CapabilityMatch, MatchFilter};
use iurhub_app::{App, interests, projects};
use iurhub_domain::records::needs::Need;
use iurhub_domain::records::projects::ProjectEvent;
use iurhub_domain::{MatchStatus, NeedStatus};
use tokio::sync::broadcast::{self, error::RecvError};

use super::context::ContextExt;
use super::docking::{InterestObject, MatchUpdateObject};
use super::ids::{Kind, decode};
use super::matching::{MatchObject, NeedMatchObject};
use super::projects::ProjectEventNode;
use super::threads::ThreadMessageObject;
use super::ws::{Session, signed_out};
use crate::auth::Identity;
use crate::error::ApiResult;

/// The lowest score a capability needs to be pushed as a new suggestion.
#[derive(Debug, Clone, Copy)]
pub struct SuggestMinScore(pub f64);

pub struct Subscription;

/// Live updates over the WebSocket endpoint `/graphql/ws` (graphql-ws):
/// each event is checked against the subscriber's rights when it is sent.
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
        #[graphql(desc = "The need whose new suggestions to receive.")] need_id: ID,
    ) -> Result<impl Stream<Item = MatchObject> + use<>> {
        ctx.caller()?;
        let need_id = decode("needId", Kind::Need, &need_id)?;
        let watch = Watch {
            events: ctx.app().events().subscribe(),
            app: ctx.app().clone(),
            min_score: ctx.data_unchecked::<SuggestMinScore>().0,
            who: Subscriber::of(ctx),
            need_id,
            pending: VecDeque::new(),
            pushed: HashMap::new(),
        };
        // Refuse at once rather than stay silent forever.
        watch.need().await?;
        Ok(futures::stream::unfold(watch, |mut watch| async move {
            let m = watch.next_suggestion().await?;
            Some((MatchObject::new(m), watch))
        }))
    }

    /// New needs for a capability (the reverse of `matchSuggested`): each
    /// time a need it fits (a score of at least the server's
    /// `matching_suggest_min_score`) is published or edited while
    /// published, on any server, the pair is pushed as
    /// `Capability.matchingNeeds` shows it — a CONFIDENTIAL need blind,
    /// through its teaser, or not at all without one. Pairs decided on are
    /// not pushed again. Only those who decide for the capability may
    /// subscribe (its organisation's managers, coordinators in scope,
    /// admins); the rule is checked again at each event.
    async fn need_suggested(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The capability whose new fitting needs to receive.")] capability_id: ID,
    ) -> Result<impl Stream<Item = NeedMatchObject> + use<>> {
        let caller = ctx.caller()?;
        let capability_id = decode("capabilityId", Kind::Capability, &capability_id)?;
        let events = ctx.app().events().subscribe();
        // Refuse at once rather than stay silent forever.
        let capability =
            iurhub_app::capabilities::visible(ctx.app(), ctx.identity(), capability_id).await?;
        matching::needs_for_own_capability(ctx.app(), caller, &capability).await?;
        let watch = NeedWatch {
            events,
            app: ctx.app().clone(),
            min_score: ctx.data_unchecked::<SuggestMinScore>().0,
            who: Subscriber::of(ctx),
            capability_id,
            pending: VecDeque::new(),
            pushed: HashMap::new(),
        };
        Ok(futures::stream::unfold(watch, |mut watch| async move {
            let m = watch.next_suggestion().await?;
            Some((NeedMatchObject::new(m), watch))
        }))
    }

    /// Changes of a need's docking as they happen: a side decided on one of
    /// its matches (`match` as it stands now), the research side expressed
    /// an interest or the need's side reviewed one (`interest`). NOT_FOUND
    /// unless the caller may see the need; each update is then pushed only
    /// if the subscriber may see that match or interest at that moment —
    /// the need's side sees all of them, a capability's side its own pairs
    /// (never those of a need hidden from it), a talent's side its own
    /// interests, a stranger nothing.
    async fn match_updated(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The need whose matches and interests to follow.")] need_id: ID,
    ) -> Result<impl Stream<Item = MatchUpdateObject> + use<>> {
        ctx.caller()?;
        let need_id = decode("needId", Kind::Need, &need_id)?;
        let events = ctx.app().events().subscribe();
        iurhub_app::needs::visible(ctx.app(), ctx.identity(), need_id).await?;
        let watch = DockingWatch {
            events,
            app: ctx.app().clone(),
            who: Subscriber::of(ctx),
            need_id,
            pushed: HashMap::new(),
        };
        Ok(futures::stream::unfold(watch, |mut watch| async move {
            let update = watch.next_update().await?;
            Some((update, watch))
        }))
    }

    /// Every change of one project (the event log as it grows), for those who
    /// may see the project.
    async fn project_updated(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project to follow.")] project_id: ID,
    ) -> Result<impl Stream<Item = ProjectEventNode> + use<>> {
        let id = decode("projectId", Kind::Project, &project_id)?;
        Ok(project_stream(project_watch(ctx, Follow::One(id)).await?))
    }

    /// Every change of every project the caller may see: their
    /// organisations' projects (with those in a coordinator's or
    /// supervisor's scope; all projects for admins).
    /// With `agreementId`, only the projects of that framework agreement —
    /// those filed under it when the event is delivered, and the event
    /// that takes one out (its `changes` name `agreement`) — to keep
    /// `Agreement.projects` live.
    async fn my_projects_updated(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only the projects of this framework agreement (NOT_FOUND unless the caller may see it)."
        )]
        agreement_id: Option<ID>,
    ) -> Result<impl Stream<Item = ProjectEventNode> + use<>> {
        let follow = match agreement_id {
            None => Follow::Mine,
            Some(id) => {
                let id = decode("agreementId", Kind::Agreement, &id)?;
                ctx.caller()?;
                iurhub_app::agreements::visible(ctx.app(), ctx.identity(), id).await?;
                Follow::Agreement(id)
            }
        };
        Ok(project_stream(project_watch(ctx, follow).await?))
    }

    /// Every new message of one conversation, as it is posted (the
    /// subscriber's own too). Each message is pushed only while the
    /// subscriber may still see the conversation: one who left the party or
    /// lost the role hears no more. NOT_FOUND for a conversation the caller
    /// may not see.
    async fn message_added(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The conversation to follow (`Thread.id`).")] thread_id: ID,
    ) -> Result<impl Stream<Item = ThreadMessageObject> + use<>> {
        ctx.caller()?;
        let id = decode("threadId", Kind::Thread, &thread_id)?;
        // Subscribe before checking: nothing posted in between is missed.
        let events = ctx.app().events().subscribe();
        iurhub_app::threads::visible(ctx.app(), ctx.identity(), id).await?;
        let watch = MessageWatch {
            events,
            app: ctx.app().clone(),
            who: Subscriber::of(ctx),
            thread_id: id,
            pushed: VecDeque::new(),
        };
        Ok(futures::stream::unfold(watch, |mut watch| async move {
            let message = watch.next_message().await?;
            Some((ThreadMessageObject(message), watch))
        }))
    }

    /// Every notification written for you, as it is written (on any
    /// server of the cluster). Pushed only while your sign-in lasts; the
    /// notification is read again at each event, so one pushed is yours.
    async fn notification_added(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = NotificationObject> + use<>> {
        let user_id = ctx.caller()?.id();
        let watch = NotificationWatch {
            events: ctx.app().events().subscribe(),
            app: ctx.app().clone(),
            who: Subscriber::of(ctx),
            user_id,
            pushed: VecDeque::new(),
        };
        Ok(futures::stream::unfold(watch, |mut watch| async move {
            let notification = watch.next_notification().await?;
            Some((NotificationObject::new(notification), watch))
        }))
    }
}

/// One subscriber's new fitting needs for one capability.
struct NeedWatch {
    events: broadcast::Receiver<Event>,
    app: App,
    min_score: f64,
    who: Subscriber,
    capability_id: i64,
    pending: VecDeque<matching::NeedMatch>,
    /// The version of each need pushed (an edit of it is news again only
    /// when it changed).
    pushed: HashMap<i64, i32>,
}

impl NeedWatch {
    /// Waits for the next fitting need; `None` when the server stops or the
    /// subscriber may no longer decide for the capability.
    async fn next_suggestion(&mut self) -> Option<matching::NeedMatch> {
        loop {
            if let Some(next) = self.pending.pop_front() {
                return Some(next);
            }
            let need_ids = match self.events.recv().await {
                Ok(Event::NeedsPublished { need_ids }) => need_ids,
                Ok(_) => continue,
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(skipped, "a needSuggested subscriber fell behind");
                    continue;
                }
                Err(RecvError::Closed) => return None,
            };
            match self.suggestions(&need_ids).await {
                Ok(found) => {
                    for m in found {
                        let (id, version) = (m.need.id, m.need.version);
                        if self.pushed.get(&id).is_some_and(|v| *v >= version) {
                            continue;
                        }
                        self.pushed.insert(id, version);
                        self.pending.push_back(m);
                    }
                }
                Err(err)
                    if signed_out(&err)
                        || matches!(
                            err.code(),
                            crate::error::ErrorCode::Forbidden | crate::error::ErrorCode::NotFound
                        ) =>
                {
                    return None;
                }
                Err(err) => {
                    tracing::warn!(
                        capability_id = self.capability_id,
                        error = err.message(),
                        "needSuggested: skipped an event"
                    );
                }
            }
        }
    }

    /// The fitting undecided pairs among `need_ids`, best first, as the
    /// subscriber may see them now.
    async fn suggestions(&self, need_ids: &[i64]) -> ApiResult<Vec<matching::NeedMatch>> {
        let who = self.who.now().await?;
        let caller = who.require()?;
        let capability =
            iurhub_app::capabilities::visible(&self.app, &who, self.capability_id).await?;
        Ok(
            matching::needs_for_own_capability(&self.app, caller, &capability)
                .await?
                .into_iter()
                .filter(|m| {
                    need_ids.contains(&m.need.id)
                        && m.explanation.score >= self.min_score
                        && m.status() == MatchStatus::Suggested
                })
                .collect(),
        )
    }
}

/// One subscriber's notifications.
struct NotificationWatch {
    events: broadcast::Receiver<Event>,
    app: App,
    who: Subscriber,
    user_id: i64,
    /// The newest notifications pushed (each once, also when announced
    /// twice).
    pushed: VecDeque<i64>,
}

impl NotificationWatch {
    /// The next notification of the subscriber; `None` when the server
    /// stops or their sign-in ends.
    async fn next_notification(
        &mut self,
    ) -> Option<iurhub_domain::records::notifications::Notification> {
        loop {
            let id = match self.events.recv().await {
                Ok(Event::NotificationAdded {
                    user_id,
                    notification_id,
                }) if user_id == self.user_id => notification_id,
                Ok(_) => continue,
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(skipped, "a notificationAdded subscriber fell behind");
                    continue;
                }
                Err(RecvError::Closed) => return None,
            };
            match self.who.now().await {
                Ok(who) if who.require().is_ok_and(|c| c.id() == self.user_id) => {}
                Ok(_) => return None,
                Err(err) if signed_out(&err) => return None,
                Err(err) => {
                    tracing::warn!(error = err.message(), "notificationAdded: skipped one");
                    continue;
                }
            }
            if self.pushed.contains(&id) {
                continue;
            }
            match iurhub_app::notifications::of_user(&self.app, self.user_id, id).await {
                Ok(Some(notification)) => {
                    if self.pushed.len() == REMEMBERED_MESSAGES {
                        self.pushed.pop_front();
                    }
                    self.pushed.push_back(id);
                    return Some(notification);
                }
                Ok(None) => continue,
                Err(err) => {
                    tracing::warn!(error = err.message(), "notificationAdded: skipped one");
                }
            }
        }
    }
}

/// One subscriber's view of one conversation.
struct MessageWatch {
    events: broadcast::Receiver<Event>,
    app: App,
    who: Subscriber,
    thread_id: i64,
    /// The newest messages pushed: a message is pushed once, also when it
    /// is announced twice (a replica that polls finds its own messages
    /// again).
    pushed: VecDeque<i64>,
}

/// How many pushed messages a `messageAdded` subscription remembers.
const REMEMBERED_MESSAGES: usize = 256;

impl MessageWatch {
    /// The next message the subscriber may see now; `None` when the
    /// server stops or their sign-in ends.
    async fn next_message(&mut self) -> Option<iurhub_domain::records::threads::ThreadMessage> {
        loop {
            let message_id = match self.events.recv().await {
                Ok(Event::MessagePosted {
                    thread_id,
                    message_id,
                }) if thread_id == self.thread_id => message_id,
                Ok(_) => continue,
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(skipped, "a messageAdded subscriber fell behind");
                    continue;
                }
                Err(RecvError::Closed) => return None,
            };
            let who = match self.who.now().await {
                Ok(who) => who,
                Err(err) if signed_out(&err) => return None,
                Err(err) => {
                    tracing::warn!(error = err.message(), "messageAdded: skipped a message");
                    continue;
                }
            };
            // Checked against the subscriber's rights as they are now.
            if self.pushed.contains(&message_id) {
                continue;
            }
            match iurhub_app::threads::message(&self.app, &who, message_id).await {
                Ok(message) => {
                    if self.pushed.len() == REMEMBERED_MESSAGES {
                        self.pushed.pop_front();
                    }
                    self.pushed.push_back(message_id);
                    return Some(message);
                }
                Err(iurhub_app::AppError::NotFound(_)) => continue,
                Err(err) => {
                    tracing::warn!(error = err.message(), "messageAdded: skipped a message");
                }
            }
        }
    }
}

/// Who a subscription serves, as they are at each event.
#[derive(Clone)]
enum Subscriber {
    /// Over WebSocket: resolved again from the connection's sign-in.
    Live(Arc<Session>),
    /// Elsewhere (tests of the schema): the caller of the subscribe request.
    Fixed(Identity),
}

impl Subscriber {
    fn of(ctx: &Context<'_>) -> Subscriber {
        match ctx.data_opt::<Arc<Session>>() {
            Some(session) => Subscriber::Live(session.clone()),
            None => Subscriber::Fixed(ctx.identity().clone()),
        }
    }

    /// The caller now, with their current roles and memberships;
    /// UNAUTHENTICATED once their sign-in has ended.
    async fn now(&self) -> ApiResult<Identity> {
        match self {
            Subscriber::Live(session) => session.identity().await,
            Subscriber::Fixed(identity) => Ok(identity.clone()),
        }
    }
}

/// Which projects a project subscription follows.
enum Follow {
    One(i64),
    /// Every project the subscriber may see.
    Mine,
    /// The projects of one agreement the subscriber may see.
    Agreement(i64),
}

/// One subscriber's view of project events: each event at most once, in
/// order per project, none written before the subscription started.
struct ProjectWatch {
    events: broadcast::Receiver<Event>,
    app: App,
    who: Subscriber,
    follow: Follow,
    /// Events up to this id were written before the subscription.
    watermark: i64,
    /// The last event pushed per project.
    seen: HashMap<i64, i64>,
    pending: VecDeque<ProjectEvent>,
}

impl ProjectWatch {
    async fn next_event(&mut self) -> Option<ProjectEvent> {
        loop {
            if let Some(next) = self.pending.pop_front() {
                return Some(next);
            }
            let project_id = match self.events.recv().await {
                Ok(Event::ProjectChanged { project_id }) => project_id,
                Ok(_) => continue,
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(skipped, "a project subscriber fell behind");
                    continue;
                }
                Err(RecvError::Closed) => return None,
            };
            if matches!(self.follow, Follow::One(id) if id != project_id) {
                continue;
            }
            if let Err(err) = self.collect(project_id).await {
                if signed_out(&err) {
                    return None;
                }
                tracing::warn!(
                    project_id,
                    error = err.message(),
                    "project subscription: skipped an event"
                );
            }
        }
    }

    /// Queues the project's events the subscriber has not seen, if they may
    /// see the project now (a party that left, a member who left the party,
    /// a coordinator who lost the role: they stop hearing at once).
    async fn collect(&mut self, project_id: i64) -> ApiResult<()> {
        let who = self.who.now().await?;
        let after = self
            .seen
            .get(&project_id)
            .copied()
            .unwrap_or(self.watermark);
        let events = projects::events_after(&self.app, &who, project_id, after, 100).await?;
        if let Some(last) = events.last() {
            self.seen.insert(project_id, last.id);
        }
        if let Follow::Agreement(agreement) = self.follow {
            // Filed under the agreement now, or an event that took it out.
            let current = match projects::visible(&self.app, &who, project_id).await {
                Ok(project) => project.agreement_id,
                Err(_) => return Ok(()),
            };
            let named = agreement.to_string();
            self.pending.extend(events.into_iter().filter(|e| {
                current == Some(agreement)
                    || e.changes.iter().any(|c| {
                        c.field == "agreementId"
                            && (c.from.as_deref() == Some(&named)
                                || c.to.as_deref() == Some(&named))
                    })
            }));
            return Ok(());
        }
        self.pending.extend(events);
        Ok(())
    }
}

async fn project_watch(ctx: &Context<'_>, follow: Follow) -> ApiResult<ProjectWatch> {
    ctx.caller()?;
    let who = Subscriber::of(ctx);
    // Subscribe before reading the watermark: nothing falls in between.
    let events = ctx.app().events().subscribe();
    let app = ctx.app().clone();
    if let Follow::One(id) = follow {
        projects::visible(&app, ctx.identity(), id).await?;
    }
    let watermark = projects::newest_event_id(&app).await?;
    Ok(ProjectWatch {
        events,
        app,
        who,
        follow,
        watermark,
        seen: HashMap::new(),
        pending: VecDeque::new(),
    })
}

fn project_stream(watch: ProjectWatch) -> impl Stream<Item = ProjectEventNode> {
    futures::stream::unfold(watch, |mut watch| async move {
        let event = watch.next_event().await?;
        Some((ProjectEventNode::new(event), watch))
    })
}

/// One subscriber's view of the docking of one need.
struct DockingWatch {
    events: broadcast::Receiver<Event>,
    app: App,
    who: Subscriber,
    need_id: i64,
    /// The newest state pushed per match row and per interest (by when it
    /// was written): a state is pushed once, also when it is announced
    /// twice (a replica that polls finds its own writes again).
    pushed: HashMap<Pushed, chrono::DateTime<chrono::Utc>>,
}

/// What a `matchUpdated` subscription remembers having pushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Pushed {
    Match(i64),
    Interest(i64),
}

impl DockingWatch {
    /// Whether the state of `key` written `at` is newer than what was
    /// pushed; remembers it.
    fn is_news(&mut self, key: Pushed, at: chrono::DateTime<chrono::Utc>) -> bool {
        match self.pushed.get(&key) {
            Some(seen) if *seen >= at => false,
            _ => {
                self.pushed.insert(key, at);
                true
            }
        }
    }
}

impl DockingWatch {
    /// The next change the subscriber may see; `None` when the server
    /// stops or their sign-in ends.
    async fn next_update(&mut self) -> Option<MatchUpdateObject> {
        loop {
            let (capability_id, interest_id) = match self.events.recv().await {
                Ok(Event::MatchChanged {
                    need_id,
                    capability_id,
                    interest_id,
                }) if need_id == self.need_id => (capability_id, interest_id),
                Ok(_) => continue,
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(skipped, "a matchUpdated subscriber fell behind");
                    continue;
                }
                Err(RecvError::Closed) => return None,
            };
            let who = match self.who.now().await {
                Ok(who) => who,
                Err(err) if signed_out(&err) => return None,
                Err(_) => continue,
            };
            match interests::update_for(&self.app, &who, self.need_id, capability_id, interest_id)
                .await
            {
                Ok((found, interest)) => {
                    let found = found.filter(|m| match &m.row {
                        Some(row) => self.is_news(Pushed::Match(row.id), row.updated_at),
                        None => true,
                    });
                    let interest = interest.filter(|v| {
                        let i = &v.interest;
                        self.is_news(
                            Pushed::Interest(i.id),
                            i.reviewed_at.unwrap_or(i.created_at),
                        )
                    });
                    if found.is_none() && interest.is_none() {
                        continue;
                    }
                    return Some(MatchUpdateObject {
                        matched: found.map(MatchObject::new),
                        interest: interest.map(InterestObject),
                    });
                }
                Err(err) => {
                    tracing::warn!(
                        need_id = self.need_id,
                        error = err.message(),
                        "matchUpdated: skipped an event"
                    );
                }
            }
        }
    }
}

/// One subscriber's view of the events for one need.
struct Watch {
    events: broadcast::Receiver<Event>,
    app: App,
    min_score: f64,
    who: Subscriber,
    need_id: i64,
    /// Suggestions of one event not yet pushed.
    pending: VecDeque<CapabilityMatch>,
    /// The newest version pushed per capability: a version is pushed once,
    /// also when it is announced twice (replicas may hear a change both
    /// notified and polled).
    pushed: HashMap<i64, i32>,
}

impl Watch {
    /// The need, if the subscriber may still decide on its matches (with
    /// their roles and memberships as they are now).
    async fn need(&self) -> ApiResult<Need> {
        let who = self.who.now().await?;
        Ok(matching::need_for_matching(&self.app, &who, self.need_id).await?)
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
                Ok(found) => {
                    for m in found {
                        let (id, version) = (m.capability.id, m.capability.version);
                        if self.pushed.get(&id).is_some_and(|v| *v >= version) {
                            continue;
                        }
                        self.pushed.insert(id, version);
                        self.pending.push_back(m);
                    }
                }
                Err(err) if signed_out(&err) => return None,
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
        let ranked = matching::capabilities_for_need(&self.app, &need, &filter).await?;
        let fitting = ranked
            .into_iter()
            .filter(|m| {
                capability_ids.contains(&m.capability_id) && m.status() == MatchStatus::Suggested
            })
            .map(|m| ((), m))
            .collect();
        Ok(matching::with_capabilities(&self.app, fitting)
            .await?
            .into_iter()
            .map(|((), m)| m)
            .collect())
    }
}
