//! Saved searches: the signed-in user keeps up to
//! [`MAX_SAVED_SEARCHES`] queries over the needs and capabilities; the
//! `saved_searches` job ([`crate::schedule`]) runs each **as its user**
//! through [`crate::matching::search`] — so it finds only what they may
//! see — and tells them once of each object published since the search
//! last ran that fits it (`SAVED_SEARCH_MATCHED`, by default in their
//! digest).

use chrono::{NaiveDate, TimeDelta, Utc};
use iurhub_domain::records::notifications::{NewNotice, NoticeSubject, Notices, Recipients};
use iurhub_domain::records::saved_searches::{
    MAX_SAVED_SEARCHES, SavedSearch, SavedSearchFields, too_many,
};
use iurhub_domain::{CapabilityStatus, NeedStatus, NotificationKind, SavedSearchType};
use iurhub_matching::DocKind;

use crate::App;
use crate::caller::Caller;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::matching::Found;

/// Saves a search of the caller's; BAD_USER_INPUT past
/// [`MAX_SAVED_SEARCHES`].
pub async fn save(app: &App, caller: &Caller, fields: SavedSearchFields) -> AppResult<SavedSearch> {
    let fields = fields.checked()?;
    app.store
        .create_saved_search(caller.id(), fields, MAX_SAVED_SEARCHES, Utc::now())
        .await?
        .ok_or_else(|| AppError::keyed(ErrorCode::BadUserInput, too_many()))
}

/// Deletes a saved search of the caller's (NOT_FOUND for anyone else's).
pub async fn delete(app: &App, caller: &Caller, id: i64) -> AppResult<()> {
    if app.store.delete_saved_search(caller.id(), id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound("saved_search"))
    }
}

/// The caller's saved searches, oldest first.
pub async fn list(app: &App, caller: &Caller) -> AppResult<Vec<SavedSearch>> {
    Ok(app.store.saved_searches_of(caller.id()).await?)
}

/// How far before its run a search's next run looks back, for objects
/// published while it ran (each is still told once).
const OVERLAP: TimeDelta = TimeDelta::minutes(1);

/// The reminder date of "once per search and object".
fn once() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date")
}

/// Runs every saved search as its user; how many notices were written.
pub async fn check_all(app: &App) -> anyhow::Result<i64> {
    let mut told = 0;
    for search in app.store.all_saved_searches().await? {
        let started = Utc::now();
        let caller = match crate::accounts::caller(app, search.user_id).await {
            Ok(caller) => caller,
            Err(AppError::Unauthenticated(_)) => continue,
            Err(err) => return Err(anyhow::anyhow!(err.message())),
        };
        told += check(app, &caller, &search).await?;
        let checked = (started - OVERLAP).max(search.checked_at);
        app.store.saved_search_checked(search.id, checked).await?;
    }
    Ok(told)
}

/// A new object a search found: its subject, kind, creator and title.
struct Fresh {
    subject: NoticeSubject,
    what: &'static str,
    created_by: i64,
    title: String,
}

/// Runs one search as `caller`, telling them of what is new to it.
async fn check(app: &App, caller: &Caller, search: &SavedSearch) -> anyhow::Result<i64> {
    let kinds: Vec<DocKind> = search
        .types
        .iter()
        .map(|t| match t {
            SavedSearchType::Need => DocKind::Need,
            SavedSearchType::Capability => DocKind::Capability,
        })
        .collect();
    let who = caller.identity();
    let found = crate::matching::search(app, &who, &search.query, &kinds, usize::MAX)
        .await
        .map_err(|e| anyhow::anyhow!(e.message()))?;
    let new_since = |published: Option<chrono::DateTime<Utc>>| {
        published.is_some_and(|at| at > search.checked_at)
    };
    let mut fresh = Vec::new();
    for (_, found) in found {
        match found {
            Found::Need(n) if n.status == NeedStatus::Published && new_since(n.published_at) => {
                fresh.push(Fresh {
                    subject: NoticeSubject::Need(n.id),
                    what: "notification.listing.need",
                    created_by: n.created_by,
                    title: n.title,
                })
            }
            Found::Capability(c)
                if c.status == CapabilityStatus::Published && new_since(c.published_at) =>
            {
                fresh.push(Fresh {
                    subject: NoticeSubject::Capability(c.id),
                    what: "notification.listing.capability",
                    created_by: c.created_by,
                    title: c.title,
                })
            }
            _ => {}
        }
    }
    if search.filters.discipline_code.is_some() && !fresh.is_empty() {
        let ids = |need: bool| -> Vec<i64> {
            fresh
                .iter()
                .filter_map(|f| match (f.subject, need) {
                    (NoticeSubject::Need(id), true) | (NoticeSubject::Capability(id), false) => {
                        Some(id)
                    }
                    _ => None,
                })
                .collect()
        };
        let needs = app.store.need_disciplines(&ids(true)).await?;
        let capabilities = app.store.capability_disciplines(&ids(false)).await?;
        fresh.retain(|f| {
            let codes = match f.subject {
                NoticeSubject::Need(id) => needs.get(&id),
                NoticeSubject::Capability(id) => capabilities.get(&id),
                _ => None,
            };
            search
                .filters
                .admits(codes.map(Vec::as_slice).unwrap_or_default())
        });
    }
    let stage = format!("SAVED_SEARCH:{}", search.id);
    let mut told = 0;
    for f in fresh {
        let mut notices = Notices::of(vec![
            NewNotice::new(
                NotificationKind::SavedSearchMatched,
                Recipients::Users(vec![search.user_id]),
            )
            .by(f.created_by)
            .about(f.subject)
            .with("listing", &f.title)
            .with_text("what", f.what.to_owned())
            .with("query", &search.query),
        ]);
        if app
            .store
            .remind(f.subject, &stage, once(), &mut notices)
            .await?
        {
            crate::notifications::written(app, &notices);
            told += i64::from(!notices.written.is_empty());
        }
    }
    Ok(told)
}
