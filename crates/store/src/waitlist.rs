//! Instruments' waiting lists. Every write that can free or take a window
//! of an instrument locks the instrument's row first (`FOR UPDATE` on
//! PostgreSQL; SQLite serialises writers anyway), so a booking request, a
//! cancellation and an offer of the same instrument never interleave: a
//! window held for the next user of the list cannot be booked by anybody
//! else meanwhile.

use chrono::{DateTime, TimeDelta, Utc};
use iurhub_domain::records::notifications::{NewNotice, NoticeSubject, Notices, Recipients};
use iurhub_domain::{BookingStatus, Message, NotificationKind, WaitlistStatus};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entities::{bookings, instrument_maintenance, instruments, waitlist_entries};
use crate::rows::{self, Records};
use crate::{Store, StoreError, StoreResult, parse_enum};

pub use iurhub_domain::records::instruments::{NewWaitlistEntry, WaitlistEntry};

impl TryFrom<waitlist_entries::Model> for WaitlistEntry {
    type Error = StoreError;
    fn try_from(m: waitlist_entries::Model) -> StoreResult<Self> {
        Ok(WaitlistEntry {
            id: m.id,
            instrument_id: m.instrument_id,
            user_id: m.user_id,
            organization_id: m.organization_id,
            start: m.start_at,
            end: m.end_at,
            purpose: m.purpose,
            status: parse_enum(&m.status)?,
            offered_at: m.offered_at,
            offer_expires_at: m.offer_expires_at,
            booking_id: m.booking_id,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

/// Most WAITING entries of one instrument looked at when a window frees.
const SCAN: u64 = 200;

const ACTIVE_BOOKING: [&str; 2] = [
    BookingStatus::Requested.as_str(),
    BookingStatus::Approved.as_str(),
];

/// The instrument's row, locked until `txn` ends (its name for notices).
pub(crate) async fn lock_instrument(
    txn: &DatabaseTransaction,
    instrument_id: i64,
) -> StoreResult<instruments::Model> {
    rows::lock::<instruments::Entity, _>(txn, instrument_id, "instrument").await
}

/// The offer of another user's waiting entry that holds some of
/// `[start, end)` at `now` (`except`: the caller's own entry), if any.
pub(crate) async fn held_offer<C: ConnectionTrait>(
    db: &C,
    instrument_id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
    except: Option<i64>,
) -> StoreResult<Option<WaitlistEntry>> {
    use waitlist_entries::Column as C;
    let mut select = waitlist_entries::Entity::find()
        .filter(C::InstrumentId.eq(instrument_id))
        .filter(C::Status.eq(WaitlistStatus::Offered.as_str()))
        .filter(C::OfferExpiresAt.gt(now))
        .filter(C::StartAt.lt(end))
        .filter(C::EndAt.gt(start));
    if let Some(id) = except {
        select = select.filter(C::Id.ne(id));
    }
    select
        .order_by_asc(C::Id)
        .one(db)
        .await?
        .map(TryInto::try_into)
        .transpose()
}

/// The CONFLICT for a window held by another user's offer.
pub(crate) fn held_conflict(offer: &WaitlistEntry) -> StoreError {
    let until = offer.offer_expires_at.unwrap_or(offer.end);
    StoreError::conflict(
        "start",
        Message::new("booking.held_for_waitlist").with("until", until.to_rfc3339()),
    )
}

/// The busy ranges of an instrument overlapping `[from, to)`: active
/// bookings, maintenance windows and offers still held at `now`.
async fn busy<C: ConnectionTrait>(
    db: &C,
    instrument_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<Vec<(DateTime<Utc>, DateTime<Utc>)>> {
    let mut ranges: Vec<(DateTime<Utc>, DateTime<Utc>)> = bookings::Entity::find()
        .filter(bookings::Column::InstrumentId.eq(instrument_id))
        .filter(bookings::Column::Status.is_in(ACTIVE_BOOKING))
        .filter(bookings::Column::StartAt.lt(to))
        .filter(bookings::Column::EndAt.gt(from))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.start_at, b.end_at))
        .collect();
    ranges.extend(
        instrument_maintenance::Entity::find()
            .filter(instrument_maintenance::Column::InstrumentId.eq(instrument_id))
            .filter(instrument_maintenance::Column::StartAt.lt(to))
            .filter(instrument_maintenance::Column::EndAt.gt(from))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.start_at, m.end_at)),
    );
    use waitlist_entries::Column as C;
    ranges.extend(
        waitlist_entries::Entity::find()
            .filter(C::InstrumentId.eq(instrument_id))
            .filter(C::Status.eq(WaitlistStatus::Offered.as_str()))
            .filter(C::OfferExpiresAt.gt(now))
            .filter(C::StartAt.lt(to))
            .filter(C::EndAt.gt(from))
            .all(db)
            .await?
            .into_iter()
            .map(|e| (e.start_at, e.end_at)),
    );
    ranges.sort();
    Ok(ranges)
}

/// Moves the entry from `from` to `to` (with `offer`'s times when it is
/// offered); a concurrent change is a CONFLICT.
async fn set_status<C: ConnectionTrait>(
    db: &C,
    id: i64,
    from: WaitlistStatus,
    to: WaitlistStatus,
    offer: Option<(DateTime<Utc>, DateTime<Utc>)>,
    booking_id: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    use waitlist_entries::Column as C;
    from.transition(to)?;
    let mut update = waitlist_entries::Entity::update_many()
        .col_expr(C::Status, Expr::value(to.as_str()))
        .col_expr(C::UpdatedAt, Expr::value(now))
        .filter(C::Id.eq(id))
        .filter(C::Status.eq(from.as_str()));
    if let Some((at, until)) = offer {
        update = update
            .col_expr(C::OfferedAt, Expr::value(at))
            .col_expr(C::OfferExpiresAt, Expr::value(until));
    }
    if let Some(b) = booking_id {
        update = update.col_expr(C::BookingId, Expr::value(b));
    }
    if update.exec(db).await?.rows_affected == 0 {
        return Err(StoreError::conflict(
            "id",
            Message::new("conflict.status").with("object", "waitlist entry"),
        ));
    }
    Ok(())
}

/// Inside a write that freed (or may have freed) time of the instrument
/// locked as `instrument`: the offers whose hold ran out and the waiting
/// entries whose window began expire; then each waiting entry whose window
/// is wholly free, first come first served, is offered to its user until
/// `now + hold`, with a `WAITLIST_SLOT_OFFERED` notice in `notices`.
pub(crate) async fn offer_freed(
    txn: &DatabaseTransaction,
    instrument: &instruments::Model,
    now: DateTime<Utc>,
    hold: TimeDelta,
    notices: &mut Notices,
) -> StoreResult<()> {
    use waitlist_entries::Column as C;
    waitlist_entries::Entity::update_many()
        .col_expr(C::Status, Expr::value(WaitlistStatus::Expired.as_str()))
        .col_expr(C::UpdatedAt, Expr::value(now))
        .filter(C::InstrumentId.eq(instrument.id))
        .filter(
            sea_orm::Condition::any()
                .add(
                    C::Status
                        .eq(WaitlistStatus::Offered.as_str())
                        .and(C::OfferExpiresAt.lte(now)),
                )
                .add(
                    C::Status
                        .eq(WaitlistStatus::Waiting.as_str())
                        .and(C::StartAt.lte(now)),
                ),
        )
        .exec(txn)
        .await?;
    let waiting: Vec<WaitlistEntry> = waitlist_entries::Entity::find()
        .filter(C::InstrumentId.eq(instrument.id))
        .filter(C::Status.eq(WaitlistStatus::Waiting.as_str()))
        .order_by_asc(C::Id)
        .limit(SCAN)
        .records(txn)
        .await?;
    let (Some(from), Some(to)) = (
        waiting.iter().map(|e| e.start).min(),
        waiting.iter().map(|e| e.end).max(),
    ) else {
        return Ok(());
    };
    let taken = busy(txn, instrument.id, from, to, now).await?;
    let until = now + hold;
    for id in iurhub_domain::booking::offers(&waiting, &taken, now) {
        let Some(entry) = waiting.iter().find(|e| e.id == id) else {
            continue;
        };
        set_status(
            txn,
            id,
            WaitlistStatus::Waiting,
            WaitlistStatus::Offered,
            Some((now, until)),
            None,
            now,
        )
        .await?;
        notices.push(
            NewNotice::new(
                NotificationKind::WaitlistSlotOffered,
                Recipients::Users(vec![entry.user_id]),
            )
            .about(NoticeSubject::Instrument(instrument.id))
            .with("instrument", &instrument.name)
            .with("start", entry.start.format("%Y-%m-%d %H:%M"))
            .with("until", until.format("%Y-%m-%d %H:%M:%S")),
        );
    }
    Ok(())
}

/// Marks an offered entry BOOKED with the booking made from its offer.
pub(crate) async fn mark_booked(
    txn: &DatabaseTransaction,
    id: i64,
    booking_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    set_status(
        txn,
        id,
        WaitlistStatus::Offered,
        WaitlistStatus::Booked,
        None,
        Some(booking_id),
        now,
    )
    .await
}

impl Store {
    /// Puts a user on an instrument's waiting list for a window that is
    /// taken now (a free one is a CONFLICT: book it), at most `max_active`
    /// places per user at once and one per window.
    pub async fn join_waitlist(
        &self,
        new: NewWaitlistEntry,
        max_active: u64,
    ) -> StoreResult<WaitlistEntry> {
        use waitlist_entries::Column as C;
        let now = Utc::now();
        let txn = self.write().await?;
        lock_instrument(&txn, new.instrument_id).await?;
        let active = [
            WaitlistStatus::Waiting.as_str(),
            WaitlistStatus::Offered.as_str(),
        ];
        let mine = waitlist_entries::Entity::find()
            .filter(C::UserId.eq(new.user_id))
            .filter(C::Status.is_in(active))
            .all(&txn)
            .await?;
        if mine.iter().any(|e| {
            e.instrument_id == new.instrument_id && e.start_at == new.start && e.end_at == new.end
        }) {
            return Err(StoreError::conflict(
                "start",
                Message::new("waitlist.duplicate"),
            ));
        }
        if mine.len() as u64 >= max_active {
            return Err(StoreError::conflict(
                "instrumentId",
                Message::new("waitlist.too_many").with("max", max_active),
            ));
        }
        if busy(&txn, new.instrument_id, new.start, new.end, now)
            .await?
            .is_empty()
        {
            return Err(StoreError::conflict(
                "start",
                Message::new("waitlist.window.free"),
            ));
        }
        let entry = waitlist_entries::ActiveModel {
            instrument_id: Set(new.instrument_id),
            user_id: Set(new.user_id),
            organization_id: Set(new.organization_id),
            start_at: Set(new.start),
            end_at: Set(new.end),
            purpose: Set(new.purpose),
            status: Set(WaitlistStatus::Waiting.as_str().to_owned()),
            offered_at: Set(None),
            offer_expires_at: Set(None),
            booking_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        entry.try_into()
    }

    pub async fn waitlist_entry(&self, id: i64) -> StoreResult<Option<WaitlistEntry>> {
        rows::by_id::<waitlist_entries::Entity, _, _>(&self.db, id).await
    }

    /// A user's places on waiting lists that are still active (waiting or
    /// offered), by start.
    pub async fn active_waitlist_of_user(&self, user_id: i64) -> StoreResult<Vec<WaitlistEntry>> {
        use waitlist_entries::Column as C;
        waitlist_entries::Entity::find()
            .filter(C::UserId.eq(user_id))
            .filter(C::Status.is_in([
                WaitlistStatus::Waiting.as_str(),
                WaitlistStatus::Offered.as_str(),
            ]))
            .order_by_asc(C::StartAt)
            .order_by_asc(C::Id)
            .records(&self.db)
            .await
    }

    /// How many users wait (or hold an offer) on an instrument's list.
    pub async fn waitlist_length(&self, instrument_id: i64) -> StoreResult<u64> {
        use waitlist_entries::Column as C;
        Ok(waitlist_entries::Entity::find()
            .filter(C::InstrumentId.eq(instrument_id))
            .filter(C::Status.is_in([
                WaitlistStatus::Waiting.as_str(),
                WaitlistStatus::Offered.as_str(),
            ]))
            .count(&self.db)
            .await?)
    }

    /// Takes a place off its list (its user left it); an offer it held
    /// passes to the next in line, in the same transaction.
    pub async fn leave_waitlist(
        &self,
        id: i64,
        hold: TimeDelta,
        notices: &mut Notices,
    ) -> StoreResult<WaitlistEntry> {
        let now = Utc::now();
        let txn = self.write().await?;
        let of = rows::get::<waitlist_entries::Entity, _>(&txn, id, "waitlist entry")
            .await?
            .instrument_id;
        let instrument = lock_instrument(&txn, of).await?;
        // Read again under the lock: an offer may have passed meanwhile.
        let entry: WaitlistEntry =
            rows::get::<waitlist_entries::Entity, _>(&txn, id, "waitlist entry")
                .await?
                .try_into()?;
        set_status(
            &txn,
            id,
            entry.status,
            WaitlistStatus::Cancelled,
            None,
            None,
            now,
        )
        .await?;
        if entry.status == WaitlistStatus::Offered {
            offer_freed(&txn, &instrument, now, hold, notices).await?;
        }
        crate::notifications::write_notices(&txn, notices, None, now).await?;
        let left = rows::get::<waitlist_entries::Entity, _>(&txn, id, "waitlist entry")
            .await?
            .try_into()?;
        txn.commit().await?;
        Ok(left)
    }

    /// The instruments with an offer whose hold ran out by `now`.
    pub async fn instruments_with_lapsed_offers(
        &self,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>> {
        use waitlist_entries::Column as C;
        let mut ids: Vec<i64> = waitlist_entries::Entity::find()
            .select_only()
            .column(C::InstrumentId)
            .filter(C::Status.eq(WaitlistStatus::Offered.as_str()))
            .filter(C::OfferExpiresAt.lte(now))
            .into_tuple()
            .all(&self.db)
            .await?;
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// Passes the lapsed offers of an instrument to the next in line (and
    /// expires the waiting entries whose window began), in one transaction.
    pub async fn pass_lapsed_offers(
        &self,
        instrument_id: i64,
        hold: TimeDelta,
        notices: &mut Notices,
    ) -> StoreResult<()> {
        let now = Utc::now();
        let txn = self.write().await?;
        let instrument = lock_instrument(&txn, instrument_id).await?;
        offer_freed(&txn, &instrument, now, hold, notices).await?;
        crate::notifications::write_notices(&txn, notices, None, now).await?;
        txn.commit().await?;
        Ok(())
    }
}
