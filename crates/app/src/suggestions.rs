//! Accurate mining in both directions: when a capability is published (or
//! edited while published) the organisations of the PUBLISHED needs it fits
//! are told (`CAPABILITY_SUGGESTED`), and when a need is published the
//! organisations of the capabilities that fit it are told
//! (`NEED_SUGGESTED`). "Fits" is the ranking of the matching engine with a
//! score of at least `suggest_min_score` (0.3 by default, the threshold of
//! `matchSuggested`); a pair either side decided on is not suggested. Each
//! pair is suggested once to each side, whatever the edits since (recorded
//! in `reminders` with the notices, in one transaction).
//!
//! This runs on the server that made the write, after the search index has
//! the new text (the ranking needs it), in a transaction of its own: the
//! cause is the publication, committed before. A server that stops in
//! between loses these suggestions (the `matchSuggested` and `needSuggested`
//! subscriptions and `Need.matches` still show the pair).
//!
//! The research side learns of a need only as it may see it: a shared need
//! by its title, a CONFIDENTIAL one by its teaser (no teaser: not
//! suggested); never by its organisation.

use chrono::NaiveDate;
use iurhub_domain::records::notifications::{NewNotice, NoticeSubject, Notices, Recipients};
use iurhub_domain::records::scope::Scope;
use iurhub_domain::{CapabilityStatus, MatchStatus, NeedStatus, NotificationKind, policy};

use crate::App;
use crate::error::AppResult;
use crate::matching::{self, MatchFilter};

/// The date a once-only reminder is recorded under.
fn once() -> NaiveDate {
    NaiveDate::default()
}

/// Tells, in the background, the organisations whose needs the published
/// capabilities `ids` fit.
pub(crate) fn capabilities_published(app: &App, ids: Vec<i64>) {
    if ids.is_empty() {
        return;
    }
    let app = app.clone();
    tokio::spawn(async move {
        for id in ids {
            if let Err(err) = for_capability(&app, id).await {
                tracing::warn!(
                    capability = id,
                    error = err.message(),
                    "suggesting needs failed"
                );
            }
        }
    });
}

/// Tells, in the background, the organisations whose capabilities fit the
/// published needs `ids`.
pub(crate) fn needs_published(app: &App, ids: Vec<i64>) {
    if ids.is_empty() {
        return;
    }
    let app = app.clone();
    tokio::spawn(async move {
        for id in ids {
            if let Err(err) = for_need(&app, id).await {
                tracing::warn!(
                    need = id,
                    error = err.message(),
                    "suggesting capabilities failed"
                );
            }
        }
    });
}

/// The needs' sides a published capability fits; how many were told.
pub async fn for_capability(app: &App, capability_id: i64) -> AppResult<usize> {
    let Some(capability) = app.store.capability(capability_id).await? else {
        return Ok(0);
    };
    if capability.status != CapabilityStatus::Published {
        return Ok(0);
    }
    let organization = app
        .store
        .organization(capability.organization_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let ranked = matching::needs_for_capability(app, &Scope::All, &capability).await?;
    let fits: Vec<(i64, i64, f64)> = ranked
        .iter()
        .filter(|m| m.need.status == NeedStatus::Published)
        .map(|m| (m.need.id, m.need.organization_id, m.explanation.score))
        .collect();
    crate::opportunities::capability_ranked(app, &capability, &fits).await?;
    let mut told = 0;
    for m in ranked {
        let fits = m.explanation.score >= app.suggest_min_score
            && m.need.status == NeedStatus::Published
            && m.need.organization_id != capability.organization_id
            && m.row
                .as_ref()
                .is_none_or(|r| r.status == MatchStatus::Suggested);
        if !fits {
            continue;
        }
        let subject = NoticeSubject::Match {
            need_id: m.need.id,
            capability_id,
        };
        let mut notices = Notices::of(vec![
            NewNotice::new(
                NotificationKind::CapabilitySuggested,
                Recipients::MembersOf(vec![m.need.organization_id]),
            )
            .about(subject)
            .with("need", &m.need.title)
            .with("capability", &capability.title)
            .with("organization", &organization),
        ]);
        if app
            .store
            .remind(subject, "CAPABILITY_SUGGESTED", once(), &mut notices)
            .await?
        {
            crate::notifications::written(app, &notices);
            told += 1;
        }
    }
    Ok(told)
}

/// The capabilities' sides a published need fits; how many were told.
pub async fn for_need(app: &App, need_id: i64) -> AppResult<usize> {
    let Some(need) = app.store.need(need_id).await? else {
        return Ok(0);
    };
    if need.status != NeedStatus::Published {
        return Ok(0);
    }
    crate::opportunities::rank_need(app, &need).await?;
    // What the research side may read of the need: a shared need's title,
    // a confidential one's teaser (never its organisation).
    let title = if policy::need_is_shared(need.status, need.visibility) {
        need.title.clone()
    } else {
        match app.store.need_teaser(need.id).await? {
            Some(teaser) => teaser.title,
            None => return Ok(0),
        }
    };
    let filter = MatchFilter {
        min_score: Some(app.suggest_min_score),
        ..MatchFilter::default()
    };
    let ranked: Vec<_> = matching::capabilities_for_need(app, &need, &filter)
        .await?
        .into_iter()
        .filter(|m| m.status() == MatchStatus::Suggested)
        .collect();
    let ids: Vec<i64> = ranked.iter().map(|m| m.capability_id).collect();
    let capabilities = app.store.capabilities_by_ids(&ids).await?;
    let mut told = 0;
    for capability in capabilities {
        if capability.organization_id == need.organization_id {
            continue;
        }
        let subject = NoticeSubject::Match {
            need_id: need.id,
            capability_id: capability.id,
        };
        let mut notices = Notices::of(vec![
            NewNotice::new(
                NotificationKind::NeedSuggested,
                Recipients::MembersOf(vec![capability.organization_id]),
            )
            .about(subject)
            .with("need", &title)
            .with("capability", &capability.title),
        ]);
        if app
            .store
            .remind(subject, "NEED_SUGGESTED", once(), &mut notices)
            .await?
        {
            crate::notifications::written(app, &notices);
            told += 1;
        }
    }
    Ok(told)
}
