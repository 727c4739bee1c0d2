//! What happened, for the subscribers in this process (GraphQL
//! subscriptions, WebSocket connections). Writes publish after they commit; a subscriber that falls
//! more than the channel's capacity behind skips the oldest events.

use tokio::sync::broadcast;

/// Something subscribers may want to hear about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Capabilities became available for matching: published (one, or many
    /// by an import), or edited while published.
    CapabilitiesPublished { capability_ids: Vec<i64> },
    /// Needs became open for matching: published, or edited while
    /// published.
    NeedsPublished { need_ids: Vec<i64> },
    /// A project changed; its newest event says how.
    ProjectChanged { project_id: i64 },
    /// A match or an interest of a need changed: a side decided on the pair
    /// (`capability_id`), or the research side expressed an interest or the
    /// need's side reviewed one (`interest_id`).
    MatchChanged {
        need_id: i64,
        capability_id: Option<i64>,
        interest_id: Option<i64>,
    },
    /// A message was posted in a conversation.
    MessagePosted { thread_id: i64, message_id: i64 },
    /// A notification was written for a user.
    NotificationAdded { user_id: i64, notification_id: i64 },
    /// A sign-in was revoked (logout, refresh-token reuse): the WebSockets
    /// signed in with its access tokens close.
    SignInEnded { sid: String },
}

/// The in-process event hub.
#[derive(Clone)]
pub struct Events {
    sender: broadcast::Sender<Event>,
}

impl Events {
    /// A hub whose subscribers may lag `capacity` events behind.
    pub fn new(capacity: usize) -> Events {
        let (sender, _) = broadcast::channel(capacity.max(1));
        Events { sender }
    }

    /// Tells every current subscriber; nobody listening is fine.
    pub fn publish(&self, event: Event) {
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }
}

impl Default for Events {
    fn default() -> Self {
        Events::new(1024)
    }
}
