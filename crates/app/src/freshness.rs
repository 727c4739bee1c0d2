//! Listing freshness, run by the scheduler ([`crate::schedule`]): the rule
//! is [`iurhub_domain::records::freshness`]; its owners confirm a listing
//! with [`crate::needs::confirm`] / [`crate::capabilities::confirm`] (or by
//! editing or publishing it).

use chrono::{DateTime, TimeDelta, Utc};
use iurhub_domain::records::freshness::{Freshness, GRACE_DAYS, freshness, stale_before};
use iurhub_domain::records::notifications::{NewNotice, NoticeSubject, Notices, Recipients};
use iurhub_domain::validate::today_in_china;
use iurhub_domain::{CapabilityStatus, NeedStatus, NotificationKind};

use crate::App;

/// The reminder stage of a warning (recorded per confirmation date).
const STAGE: &str = "UNCONFIRMED";

/// A published need or capability, as freshness sees it.
struct Listing {
    subject: NoticeSubject,
    organization_id: i64,
    title: String,
    confirmed_at: DateTime<Utc>,
}

impl Listing {
    /// A notice of `kind` about the listing to its organisation's members.
    fn notice(&self, kind: NotificationKind) -> NewNotice {
        let what = match self.subject {
            NoticeSubject::Need(_) => "notification.listing.need",
            _ => "notification.listing.capability",
        };
        NewNotice::new(kind, Recipients::MembersOf(vec![self.organization_id]))
            .about(self.subject)
            .with("listing", &self.title)
            .with_text("what", what.to_owned())
            .with("since", today_in_china(self.confirmed_at))
    }
}

/// Warns the organisations of the listings unconfirmed for `confirm_days`
/// and takes those that stayed so off the public lists; how many listings
/// were warned or taken off.
pub async fn check_listings(app: &App, confirm_days: u32) -> anyhow::Result<i64> {
    let now = Utc::now();
    let (needs, capabilities) = app
        .store
        .listings_unconfirmed(stale_before(now, confirm_days))
        .await?;
    let listings = needs
        .into_iter()
        .map(|n| Listing {
            subject: NoticeSubject::Need(n.id),
            organization_id: n.organization_id,
            title: n.title,
            confirmed_at: n.confirmed_at,
        })
        .chain(capabilities.into_iter().map(|c| Listing {
            subject: NoticeSubject::Capability(c.id),
            organization_id: c.organization_id,
            title: c.title,
            confirmed_at: c.confirmed_at,
        }));
    let mut done = 0;
    for listing in listings {
        let since = today_in_china(listing.confirmed_at);
        let warned = app
            .store
            .reminder_sent_at(listing.subject, STAGE, since)
            .await?;
        let acted = match freshness(listing.confirmed_at, warned, now, confirm_days) {
            Freshness::Fresh => false,
            Freshness::Unconfirmed => {
                warned.is_none() && warn(app, &listing, now, confirm_days).await?
            }
            Freshness::Lapsed => take_off(app, &listing).await?,
        };
        done += i64::from(acted);
    }
    Ok(done)
}

/// Tells the listing's organisation, once per confirmation date.
async fn warn(
    app: &App,
    listing: &Listing,
    now: DateTime<Utc>,
    confirm_days: u32,
) -> anyhow::Result<bool> {
    let grace = TimeDelta::days(GRACE_DAYS);
    let lapses =
        (listing.confirmed_at + TimeDelta::days(i64::from(confirm_days)) + grace).max(now + grace);
    let mut notices = Notices::of(vec![
        listing
            .notice(NotificationKind::ListingUnconfirmed)
            .with("due", today_in_china(lapses)),
    ]);
    let since = today_in_china(listing.confirmed_at);
    let sent = app
        .store
        .remind(listing.subject, STAGE, since, &mut notices)
        .await?;
    if sent {
        crate::notifications::written(app, &notices);
    }
    Ok(sent)
}

/// Withdraws the need or archives the capability, telling its
/// organisation in the same transaction; `false` when it changed meanwhile
/// (withdrawn, in cooperation).
async fn take_off(app: &App, listing: &Listing) -> anyhow::Result<bool> {
    let mut notices = Notices::of(vec![listing.notice(NotificationKind::ListingWithdrawn)]);
    let written = match listing.subject {
        NoticeSubject::Need(id) => {
            let step = app
                .store
                .set_need_status(
                    id,
                    NeedStatus::Published,
                    NeedStatus::Withdrawn,
                    &mut notices,
                )
                .await;
            match step {
                Ok(need) => {
                    app.needs_written(std::slice::from_ref(&need)).await;
                    true
                }
                Err(iurhub_store::StoreError::Conflict { .. }) => false,
                Err(err) => return Err(err.into()),
            }
        }
        NoticeSubject::Capability(id) => {
            let step = app
                .store
                .set_capability_status_noting(
                    id,
                    CapabilityStatus::Published,
                    CapabilityStatus::Archived,
                    &mut notices,
                )
                .await;
            match step {
                Ok(capability) => {
                    app.capabilities_written(std::slice::from_ref(&capability))
                        .await;
                    true
                }
                Err(iurhub_store::StoreError::Conflict { .. }) => false,
                Err(err) => return Err(err.into()),
            }
        }
        _ => false,
    };
    if written {
        crate::notifications::written(app, &notices);
    }
    Ok(written)
}
