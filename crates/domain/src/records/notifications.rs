//! Notifications (通知): each user's inbox, the channel each kind reaches
//! them by, and the e-mail outbox's pure rules (back-off, when to give up,
//! the texts in the user's language).
//!
//! A notification is written in the transaction of the change that causes
//! it ([`Notices`] travels with the write), and so is its outbox row when
//! the user gets that kind by e-mail: one commits only with the other.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::threads::ThreadSubject;
use crate::{Locale, Message, NotificationChannel, NotificationKind};

/// What a notification is about: an object its reader may open (and sees
/// only if they may see it when they open it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeSubject {
    Need(i64),
    Capability(i64),
    /// A (need, capability) pair.
    Match {
        need_id: i64,
        capability_id: i64,
    },
    Interest(i64),
    Thread(i64),
    Project(i64),
    Booking(i64),
    ChecklistItem(i64),
    Instrument(i64),
}

impl NoticeSubject {
    /// The stored key: `need:4`, `match:4.9`, `project:2`, …
    pub fn key(&self) -> String {
        match *self {
            NoticeSubject::Need(id) => format!("need:{id}"),
            NoticeSubject::Capability(id) => format!("capability:{id}"),
            NoticeSubject::Match {
                need_id,
                capability_id,
            } => ThreadSubject::Match {
                need_id,
                capability_id,
            }
            .key(),
            NoticeSubject::Interest(id) => format!("interest:{id}"),
            NoticeSubject::Thread(id) => format!("thread:{id}"),
            NoticeSubject::Project(id) => format!("project:{id}"),
            NoticeSubject::Booking(id) => format!("booking:{id}"),
            NoticeSubject::ChecklistItem(id) => format!("checklist_item:{id}"),
            NoticeSubject::Instrument(id) => format!("instrument:{id}"),
        }
    }

    /// The subject of a stored key.
    pub fn from_key(key: &str) -> Option<NoticeSubject> {
        if let Some(ThreadSubject::Match {
            need_id,
            capability_id,
        }) = ThreadSubject::from_key(key)
        {
            return Some(NoticeSubject::Match {
                need_id,
                capability_id,
            });
        }
        let (kind, id) = key.split_once(':')?;
        let id: i64 = id.parse().ok()?;
        Some(match kind {
            "need" => NoticeSubject::Need(id),
            "capability" => NoticeSubject::Capability(id),
            "interest" => NoticeSubject::Interest(id),
            "thread" => NoticeSubject::Thread(id),
            "project" => NoticeSubject::Project(id),
            "booking" => NoticeSubject::Booking(id),
            "checklist_item" => NoticeSubject::ChecklistItem(id),
            "instrument" => NoticeSubject::Instrument(id),
            _ => return None,
        })
    }
}

/// Who a notice goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipients {
    Users(Vec<i64>),
    /// The members of these organisations (their memberships, whatever the
    /// role).
    MembersOf(Vec<i64>),
    /// The ORG_ADMINs of these organisations.
    AdminsOf(Vec<i64>),
}

/// A notification to write with a change: to whom, of what kind, about
/// what, with the values its texts name. Nobody is told of their own act
/// (`actor`).
#[derive(Debug, Clone, PartialEq)]
pub struct NewNotice {
    pub kind: NotificationKind,
    pub recipients: Recipients,
    pub actor: Option<i64>,
    /// `None`: the object the write creates (an interest, a booking), known
    /// only inside its transaction.
    pub subject: Option<NoticeSubject>,
    pub params: BTreeMap<String, String>,
}

impl NewNotice {
    pub fn new(kind: NotificationKind, recipients: Recipients) -> NewNotice {
        NewNotice {
            kind,
            recipients,
            actor: None,
            subject: None,
            params: BTreeMap::new(),
        }
    }

    pub fn by(mut self, actor: i64) -> NewNotice {
        self.actor = Some(actor);
        self
    }

    pub fn about(mut self, subject: NoticeSubject) -> NewNotice {
        self.subject = Some(subject);
        self
    }

    /// Adds a value the texts name (`{name}`).
    pub fn with(mut self, name: &str, value: impl ToString) -> NewNotice {
        self.params.insert(name.to_owned(), value.to_string());
        self
    }

    /// Adds a value that is a text of the message table (`key`), written
    /// in the reader's language when the notification is read.
    pub fn with_text(mut self, name: &str, key: String) -> NewNotice {
        self.params.insert(format!("{name}{KEYED}"), key);
        self
    }
}

/// The notices of one write, and what writing them made: the store writes
/// `pending` in the write's transaction and fills `written` before it
/// returns, so the caller can tell subscribers after the commit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Notices {
    pub pending: Vec<NewNotice>,
    /// (user, notification id) of every notification written.
    pub written: Vec<(i64, i64)>,
    /// Whether any of them has an e-mail to send.
    pub mail: bool,
}

impl Notices {
    pub fn none() -> Notices {
        Notices::default()
    }

    pub fn of(pending: Vec<NewNotice>) -> Notices {
        Notices {
            pending,
            ..Notices::default()
        }
    }

    pub fn push(&mut self, notice: NewNotice) {
        self.pending.push(notice);
    }
}

/// One notification of a user's inbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub id: i64,
    pub user_id: i64,
    pub kind: NotificationKind,
    pub subject: Option<NoticeSubject>,
    pub params: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl Notification {
    fn message(&self, part: &str, locale: Locale) -> Message {
        let mut message = Message::owned(format!("notification.{}.{part}", self.kind.key()));
        for (name, value) in &self.params {
            // A value stored as a key of the message table (a status, never
            // a user's text) is written in the reader's language too.
            let (name, value) = match name.strip_suffix(KEYED) {
                Some(name) => (name, Message::owned(value.clone()).render(locale)),
                None => (name.as_str(), value.clone()),
            };
            if let Some(name) = NAMES.iter().find(|n| **n == name) {
                message = message.with(name, value);
            }
        }
        message
    }

    /// The title in `locale`.
    pub fn title(&self, locale: Locale) -> String {
        self.message("title", locale).render(locale)
    }

    /// The body in `locale`.
    pub fn body(&self, locale: Locale) -> String {
        self.message("body", locale).render(locale)
    }
}

/// The suffix of a value's name when the value is a key of the message
/// table.
const KEYED: &str = "@text";

/// The values a notification's texts may name.
const NAMES: &[&str] = &[
    "organization",
    "need",
    "capability",
    "instrument",
    "project",
    "excerpt",
    "topic",
    "item",
    "due",
    "status",
    "start",
    "reason",
    "assigner",
    "note",
    "listing",
    "what",
    "since",
    "query",
    "until",
];

impl NotificationKind {
    /// The lower-case key of the kind's texts (`interest_expressed`).
    pub fn key(self) -> String {
        self.as_str().to_ascii_lowercase()
    }

    /// How the kind reaches a user who chose nothing: by e-mail, except
    /// those that can be many — messages in a lively conversation stay in
    /// the inbox; suggestions (after an import) and saved-search matches go
    /// out in the digest.
    pub fn default_channel(self) -> NotificationChannel {
        match self {
            NotificationKind::MessagePosted => NotificationChannel::InApp,
            NotificationKind::CapabilitySuggested
            | NotificationKind::NeedSuggested
            | NotificationKind::SavedSearchMatched => NotificationChannel::Digest,
            _ => NotificationChannel::Email,
        }
    }
}

impl crate::DigestFrequency {
    /// How long after a user's last digest the next may go out.
    pub fn period(self) -> TimeDelta {
        match self {
            crate::DigestFrequency::Daily => TimeDelta::days(1),
            crate::DigestFrequency::Weekly => TimeDelta::days(7),
        }
    }

    /// Whether a digest may go out at `now`, the last one written at
    /// `last` (never: at once).
    pub fn due(self, last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        last.is_none_or(|last| now >= last + self.period())
    }
}

/// Most notifications one digest e-mail lists (the newest; the inbox has
/// them all).
pub const DIGEST_MAX_ITEMS: usize = 50;

/// Attempts at sending one e-mail before it is given up (marked failed).
pub const MAIL_MAX_ATTEMPTS: i32 = 12;

/// How long to wait after the `attempts`-th failed attempt: 10 s doubled
/// each time, at most an hour (about 6 hours over the 12 attempts).
pub fn mail_backoff(attempts: i32) -> TimeDelta {
    let exponent = attempts.clamp(1, 20) - 1;
    let seconds = 10_i64.saturating_mul(1_i64 << exponent).min(3_600);
    TimeDelta::seconds(seconds)
}

/// The language of a stored locale (`zh-CN`, `en`): Chinese unless English
/// is named.
pub fn locale_of(stored: &str) -> Locale {
    if stored.to_ascii_lowercase().starts_with("en") {
        Locale::En
    } else {
        Locale::Zh
    }
}

/// The stored form of a language.
pub fn locale_key(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "en",
        Locale::Zh => "zh-CN",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_keep_their_keys() {
        for subject in [
            NoticeSubject::Need(4),
            NoticeSubject::Capability(5),
            NoticeSubject::Match {
                need_id: 4,
                capability_id: 9,
            },
            NoticeSubject::Interest(2),
            NoticeSubject::Thread(3),
            NoticeSubject::Project(7),
            NoticeSubject::Booking(8),
            NoticeSubject::ChecklistItem(9),
            NoticeSubject::Instrument(10),
        ] {
            assert_eq!(NoticeSubject::from_key(&subject.key()), Some(subject));
        }
        assert_eq!(NoticeSubject::from_key("user:1"), None);
        assert_eq!(NoticeSubject::from_key("need:x"), None);
    }

    #[test]
    fn a_digest_waits_for_its_period() {
        use crate::DigestFrequency::{Daily, Weekly};
        let now = Utc::now();
        assert!(Daily.due(None, now));
        assert!(!Daily.due(Some(now - TimeDelta::hours(23)), now));
        assert!(Daily.due(Some(now - TimeDelta::hours(24)), now));
        assert!(!Weekly.due(Some(now - TimeDelta::days(6)), now));
        assert!(Weekly.due(Some(now - TimeDelta::days(7)), now));
        assert_eq!(crate::DigestFrequency::default(), Daily);
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(mail_backoff(1), TimeDelta::seconds(10));
        assert_eq!(mail_backoff(2), TimeDelta::seconds(20));
        assert_eq!(mail_backoff(4), TimeDelta::seconds(80));
        assert_eq!(mail_backoff(MAIL_MAX_ATTEMPTS), TimeDelta::seconds(3_600));
        assert_eq!(mail_backoff(1_000), TimeDelta::seconds(3_600));
    }

    #[test]
    fn every_project_status_has_its_text() {
        for status in crate::ProjectStatus::ALL {
            let key = format!("notification.project_status.{status}");
            for locale in [Locale::En, Locale::Zh] {
                assert!(crate::messages::template(&key, locale).is_some(), "{key}");
            }
        }
    }

    #[test]
    fn every_kind_has_its_texts_in_both_languages() {
        for kind in NotificationKind::ALL {
            for part in ["title", "body"] {
                let key = format!("notification.{}.{part}", kind.key());
                for locale in [Locale::En, Locale::Zh] {
                    assert!(
                        crate::messages::template(&key, locale).is_some(),
                        "{key} in {locale:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_status_is_written_in_the_readers_language_and_a_title_never_is_a_key() {
        let notice = NewNotice::new(
            NotificationKind::ProjectStatusChanged,
            Recipients::Users(vec![1]),
        )
        .with("project", "notification.project_status.AGREED")
        .with_text("status", "notification.project_status.AGREED".into());
        let n = Notification {
            id: 1,
            user_id: 1,
            kind: notice.kind,
            subject: None,
            params: notice.params,
            created_at: Utc::now(),
            read_at: None,
        };
        assert_eq!(
            n.body(Locale::En),
            "The project “notification.project_status.AGREED” is now agreed."
        );
        assert!(
            n.title(Locale::Zh).ends_with("已达成一致"),
            "{}",
            n.title(Locale::Zh)
        );
    }

    #[test]
    fn texts_name_the_values() {
        let n = Notification {
            id: 1,
            user_id: 2,
            kind: NotificationKind::InterestExpressed,
            subject: Some(NoticeSubject::Interest(3)),
            params: [
                ("organization".to_owned(), "西南大学".to_owned()),
                ("need".to_owned(), "轴承故障预警".to_owned()),
                ("unknown".to_owned(), "x".to_owned()),
            ]
            .into(),
            created_at: Utc::now(),
            read_at: None,
        };
        assert!(
            n.title(Locale::Zh).contains("西南大学"),
            "{}",
            n.title(Locale::Zh)
        );
        assert!(
            n.body(Locale::En).contains("轴承故障预警"),
            "{}",
            n.body(Locale::En)
        );
        assert_eq!(locale_of("en"), Locale::En);
        assert_eq!(locale_of("zh-CN"), Locale::Zh);
        assert_eq!(locale_of(locale_key(Locale::En)), Locale::En);
    }
}
