//! Interest from the research side: a capability's or talent's
//! organisation tells a need's side it wants to cooperate.
//!
//! For a capability the interest is the capability side's acceptance of
//! the pair (the match row is created if there is none); the need's side
//! then accepts the match to make it ACCEPTED. For a talent the need's side
//! reviews the interest itself (accept or decline with a reason). One
//! interest per (need, capability) and per (need, talent): a second is a
//! CONFLICT. Every write tells the need's `matchUpdated` subscribers.

use iurhub_domain::NotificationKind;
use iurhub_domain::records::matches::MAX_INTEREST_MESSAGE;
use iurhub_domain::records::notifications::{NewNotice, NoticeSubject, Notices, Recipients};
use iurhub_domain::{DeclineReason, InterestStatus, MatchSide, MatchStatus, Message, NeedStatus};
use iurhub_store::matches::{Interest, InterestTarget, MatchRow, NewInterest};
use iurhub_store::needs::Need;

use crate::App;
use crate::caller::{Caller, Identity};
use crate::error::{AppError, AppResult};
use crate::events::Event;
use crate::matching::{self, Step};

/// An interest as a reader is shown it: for a capability, where its match
/// stands says where the interest stands.
#[derive(Debug, Clone)]
pub struct InterestView {
    pub interest: Interest,
    /// The pair's stored row, for a capability's interest.
    pub row: Option<MatchRow>,
}

impl InterestView {
    /// PENDING until the need's side decided: a talent's interest as
    /// reviewed, a capability's as its match (ACCEPTED once both sides
    /// accepted, DECLINED when either side declined).
    pub fn status(&self) -> InterestStatus {
        match self.interest.target() {
            InterestTarget::Talent(_) => self.interest.status,
            InterestTarget::Capability(_) => match self.row.as_ref().map(|r| r.status) {
                Some(MatchStatus::Accepted) => InterestStatus::Accepted,
                Some(MatchStatus::Declined) => InterestStatus::Declined,
                _ => InterestStatus::Pending,
            },
        }
    }
}

/// What `expressInterest` asks.
#[derive(Debug, Clone)]
pub struct InterestInput {
    pub need_id: i64,
    pub target: InterestTarget,
    pub message: String,
}

/// A message of 1–[`MAX_INTEREST_MESSAGE`] characters, trimmed.
pub fn check_message(text: &str) -> AppResult<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid("message", Message::new("value.required")));
    }
    if text.chars().count() > MAX_INTEREST_MESSAGE {
        return Err(AppError::invalid(
            "message",
            Message::new("value.too_long").with("max", MAX_INTEREST_MESSAGE),
        ));
    }
    Ok(text.to_owned())
}

/// Records an interest of the caller's side in a need they may read
/// ([`crate::needs::visible`]: not a need they see blind through its
/// teaser, whose matches they accept or decline instead; NOT_FOUND
/// otherwise): for a capability its organisation's managers, for a talent
/// the person and their organisation's managers. The need must be PUBLISHED, a
/// capability PUBLISHED, the pair not DECLINED (CONFLICT).
pub async fn express(app: &App, caller: &Caller, input: InterestInput) -> AppResult<InterestView> {
    let text = check_message(&input.message)?;
    let who = caller.identity();
    let need = crate::needs::visible(app, &who, input.need_id).await?;
    // Who is interested, and with what: the notice's texts.
    let with: (i64, String);
    let row = match input.target {
        InterestTarget::Capability(capability_id) => {
            let capability = crate::capabilities::visible(app, &who, capability_id).await?;
            if !iurhub_domain::policy::decides_for_capability(who.scope(), &capability) {
                return Err(AppError::denied(Message::new("interest.forbidden")));
            }
            open_need(&need)?;
            with = (capability.organization_id, capability.title.clone());
            if capability.status != iurhub_domain::CapabilityStatus::Published {
                return Err(AppError::invalid(
                    "capabilityId",
                    Message::new("interest.capability.not_published"),
                ));
            }
            not_twice(app, &need, input.target).await?;
            let current = matching::pair(app, &need, capability_id).await?;
            let docking = matching::docking_of(current.row.as_ref());
            if docking.status == MatchStatus::Declined {
                return Err(AppError::conflict(Message::new("interest.pair_declined")));
            }
            if docking.capability.is_none() {
                // The interest is the news: its notice says it.
                Some(
                    matching::record(
                        app,
                        caller,
                        &current,
                        MatchStatus::Accepted,
                        None,
                        Some(MatchSide::Capability),
                        None,
                    )
                    .await?,
                )
            } else {
                current.row
            }
        }
        InterestTarget::Talent(talent_id) => {
            let talent = crate::talents::visible(app, caller, talent_id).await?;
            if !crate::talents::may_link(caller, &talent) {
                return Err(AppError::denied(Message::new("interest.forbidden")));
            }
            open_need(&need)?;
            not_twice(app, &need, input.target).await?;
            with = (talent.organization_id, talent.name.clone());
            None
        }
    };
    let (organization_id, offered) = with;
    let organization = app
        .store
        .organization(organization_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let mut notices = Notices::of(vec![
        NewNotice::new(
            NotificationKind::InterestExpressed,
            Recipients::MembersOf(vec![need.organization_id]),
        )
        .by(caller.id())
        .with("organization", organization)
        .with("need", &need.title)
        .with("capability", offered),
    ]);
    let interest = app
        .store
        .add_interest(
            NewInterest {
                need_id: need.id,
                target: input.target,
                message: text,
                created_by: caller.id(),
            },
            &mut notices,
        )
        .await?;
    crate::notifications::written(app, &notices);
    announce(app, &interest);
    Ok(InterestView { interest, row })
}

fn open_need(need: &Need) -> AppResult<()> {
    if need.status == NeedStatus::Published {
        Ok(())
    } else {
        Err(AppError::invalid(
            "needId",
            Message::new("interest.need.not_open"),
        ))
    }
}

async fn not_twice(app: &App, need: &Need, target: InterestTarget) -> AppResult<()> {
    if app.store.interest_for(need.id, target).await?.is_some() {
        return Err(AppError::conflict_on(
            "needId",
            Message::new("interest.duplicate"),
        ));
    }
    Ok(())
}

fn announce(app: &App, interest: &Interest) {
    app.written();
    app.events.publish(Event::MatchChanged {
        need_id: interest.need_id,
        capability_id: interest.capability_id,
        interest_id: Some(interest.id),
    });
}

/// Whether `who` may see `interest` of `need`: the need's side (those who
/// decide on its matches) and the side that expressed it — the
/// capability's managers who may see the need (the same rule as its
/// match), or the talent's person and organisation.
async fn may_see(app: &App, who: &Identity, need: &Need, interest: &Interest) -> AppResult<bool> {
    let scope = who.scope();
    let Ok(caller) = who.require() else {
        return Ok(false);
    };
    if iurhub_domain::policy::decides_matches_of(scope, need) {
        return Ok(true);
    }
    Ok(match interest.target() {
        InterestTarget::Capability(id) => match app.store.capability(id).await? {
            Some(capability) => !matching::sides_of(who, need, &capability).is_empty(),
            None => false,
        },
        InterestTarget::Talent(id) => match app.store.talent(id).await? {
            Some(talent) => need.visible_to(scope) && crate::talents::may_link(caller, &talent),
            None => false,
        },
    })
}

/// The interest `id` if `who` may see it (NOT_FOUND otherwise).
pub async fn visible(app: &App, who: &Identity, id: i64) -> AppResult<InterestView> {
    who.require()?;
    let interest = app
        .store
        .interest(id)
        .await?
        .ok_or(AppError::NotFound("interest"))?;
    let need = app
        .store
        .need(interest.need_id)
        .await?
        .ok_or(AppError::NotFound("interest"))?;
    if !may_see(app, who, &need, &interest).await? {
        return Err(AppError::NotFound("interest"));
    }
    view(app, interest).await
}

async fn view(app: &App, interest: Interest) -> AppResult<InterestView> {
    let row = match interest.capability_id {
        Some(c) => app.store.match_row(interest.need_id, c).await?,
        None => None,
    };
    Ok(InterestView { interest, row })
}

/// The interests in a need, oldest first, for those who decide on its
/// matches (FORBIDDEN for others who see the need).
pub async fn of_need(app: &App, who: &Identity, need: &Need) -> AppResult<Vec<InterestView>> {
    matching::may_decide(who, need)?;
    let interests = app.store.interests_of_need(need.id).await?;
    let rows: std::collections::HashMap<i64, MatchRow> = app
        .store
        .matches_of_need(need.id)
        .await?
        .into_iter()
        .map(|m| (m.capability_id, m))
        .collect();
    Ok(interests
        .into_iter()
        .map(|interest| InterestView {
            row: interest.capability_id.and_then(|c| rows.get(&c).cloned()),
            interest,
        })
        .collect())
}

/// Whether `who` may review `interest` of `need` now (accept: `decline`
/// false): the need's side, on a PENDING interest. A capability's interest
/// is decided on its match, by the match's one rule
/// ([`matching::check_step`] for the need side).
pub async fn check_review(
    app: &App,
    who: &Identity,
    view: &InterestView,
    decline: bool,
) -> AppResult<()> {
    let need = app
        .store
        .need(view.interest.need_id)
        .await?
        .ok_or(AppError::NotFound("interest"))?;
    if !iurhub_domain::policy::decides_matches_of(who.scope(), &need) {
        return Err(AppError::denied(Message::new("interest.review.forbidden")));
    }
    let to = if decline {
        MatchStatus::Declined
    } else {
        MatchStatus::Accepted
    };
    match view.interest.target() {
        InterestTarget::Capability(id) => {
            let capability = app
                .store
                .capability(id)
                .await?
                .ok_or(AppError::NotFound("interest"))?;
            matching::check_step(
                who,
                &need,
                &capability,
                matching::docking_of(view.row.as_ref()),
                to,
                Some(MatchSide::Need),
            )?;
        }
        InterestTarget::Talent(_) => {
            if view.interest.status != InterestStatus::Pending {
                return Err(AppError::conflict_on(
                    "id",
                    Message::new("interest.already_reviewed"),
                ));
            }
        }
    }
    Ok(())
}

/// The need's side accepts or declines (with a reason) an interest
/// ([`check_review`]); NOT_FOUND for those who may not see it. A
/// capability's interest is decided as its match (the need side's
/// decision).
pub async fn review(
    app: &App,
    caller: &Caller,
    id: i64,
    decline: Option<(DeclineReason, Option<String>)>,
) -> AppResult<InterestView> {
    let who = caller.identity();
    let current = visible(app, &who, id).await?;
    check_review(app, &who, &current, decline.is_some()).await?;
    match current.interest.target() {
        InterestTarget::Capability(capability_id) => {
            let to = if decline.is_some() {
                MatchStatus::Declined
            } else {
                MatchStatus::Accepted
            };
            let decided = matching::decide(
                app,
                caller,
                Step {
                    need_id: current.interest.need_id,
                    capability_id,
                    to,
                    reason: decline,
                    side: Some(MatchSide::Need),
                },
            )
            .await?;
            Ok(InterestView {
                interest: current.interest,
                row: decided.row,
            })
        }
        InterestTarget::Talent(talent_id) => {
            let (status, reason) = match decline {
                Some((reason, _)) => (InterestStatus::Declined, Some(reason)),
                None => (InterestStatus::Accepted, None),
            };
            let talent = app.store.talent(talent_id).await?;
            let kind = if status == InterestStatus::Accepted {
                NotificationKind::InterestAccepted
            } else {
                NotificationKind::InterestDeclined
            };
            let mut told: Vec<i64> = current.interest.created_by.into_iter().collect();
            told.extend(talent.as_ref().and_then(|t| t.user_id));
            let mut notices = Notices::of(vec![
                NewNotice::new(kind, Recipients::Users(told))
                    .by(caller.id())
                    .about(NoticeSubject::Interest(id))
                    .with("capability", talent.map(|t| t.name).unwrap_or_default()),
            ]);
            let interest = app
                .store
                .review_interest(id, status, reason, caller.id(), &mut notices)
                .await?;
            crate::notifications::written(app, &notices);
            announce(app, &interest);
            Ok(InterestView {
                interest,
                row: None,
            })
        }
    }
}

/// The interests and matches of a need that changed, for a `matchUpdated`
/// subscriber: the match if `who` may see it, the interest likewise.
pub async fn update_for(
    app: &App,
    who: &Identity,
    need_id: i64,
    capability_id: Option<i64>,
    interest_id: Option<i64>,
) -> AppResult<(Option<matching::CapabilityMatch>, Option<InterestView>)> {
    let found = match capability_id {
        Some(c) => match matching::visible_match(app, who, need_id, c).await {
            Ok(m) => Some(m),
            Err(AppError::NotFound(_)) => None,
            Err(err) => return Err(err),
        },
        None => None,
    };
    let interest = match interest_id {
        Some(id) => match visible(app, who, id).await {
            Ok(v) => Some(v),
            Err(AppError::NotFound(_)) => None,
            Err(err) => return Err(err),
        },
        None => None,
    };
    Ok((found, interest))
}
