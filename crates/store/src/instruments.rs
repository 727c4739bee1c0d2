//! The shared testing center: instruments, maintenance windows,
//! qualifications and bookings. Overlapping active bookings are refused by
//! the database itself (exclusion constraint on PostgreSQL, triggers on
//! SQLite, see migration 6); this module turns that refusal into a CONFLICT
//! naming the slot.

use chrono::{DateTime, TimeDelta, Utc};
use iurhub_domain::Message;
use iurhub_domain::records::notifications::{NoticeSubject, Notices};
use iurhub_domain::{BookingStatus, InstrumentStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entities::{
    bookings, calendar_feeds, instrument_maintenance, instruments, qualifications,
};
use crate::page::{Key, Order, Page, PageArgs, paginate_records};
use crate::rows::{self, Records};
use crate::{Store, StoreError, StoreResult, parse_enum, versioned};

use iurhub_domain::records::centers::Owner;
pub use iurhub_domain::records::instruments::{
    Booking, BookingFilter, BookingSort, BookingVisibility, CalendarFeed, Instrument,
    InstrumentFields, InstrumentSort, Maintenance, NewBooking, Qualification,
};

impl TryFrom<instruments::Model> for Instrument {
    type Error = StoreError;
    fn try_from(m: instruments::Model) -> StoreResult<Self> {
        Ok(Instrument {
            id: m.id,
            organization_id: m.organization_id,
            // Every instrument has had a center since migration 31.
            center_id: m.center_id.ok_or(StoreError::NotFound("center"))?,
            original_value_cents: m.original_value_cents,
            purchase_date: m.purchase_date,
            registration_number: m.registration_number,
            public: m.is_public,
            name: m.name,
            model: m.model,
            category: m.category,
            location: m.location,
            rate_internal_cents: m.rate_internal_cents,
            rate_group_cents: m.rate_group_cents,
            rate_external_cents: m.rate_external_cents,
            requires_qualification: m.requires_qualification,
            status: parse_enum(&m.status)?,
            description: m.description,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

impl From<instrument_maintenance::Model> for Maintenance {
    fn from(m: instrument_maintenance::Model) -> Self {
        Maintenance {
            id: m.id,
            instrument_id: m.instrument_id,
            start: m.start_at,
            end: m.end_at,
            reason: m.reason,
        }
    }
}

impl From<qualifications::Model> for Qualification {
    fn from(m: qualifications::Model) -> Self {
        Qualification {
            id: m.id,
            instrument_id: m.instrument_id,
            user_id: m.user_id,
            granted_by: m.granted_by,
            expires_at: m.expires_at,
            revoked_at: m.revoked_at,
            created_at: m.created_at,
        }
    }
}

impl TryFrom<bookings::Model> for Booking {
    type Error = StoreError;
    fn try_from(m: bookings::Model) -> StoreResult<Self> {
        Ok(Booking {
            id: m.id,
            instrument_id: m.instrument_id,
            user_id: m.user_id,
            organization_id: m.organization_id,
            start: m.start_at,
            end: m.end_at,
            purpose: m.purpose,
            status: parse_enum(&m.status)?,
            actual_start: m.actual_start,
            actual_end: m.actual_end,
            reject_reason: m.reject_reason,
            created_at: m.created_at,
            updated_at: m.updated_at,
            agreement_id: m.agreement_id,
            service_order_id: m.service_order_id,
        })
    }
}

impl From<calendar_feeds::Model> for CalendarFeed {
    fn from(m: calendar_feeds::Model) -> Self {
        CalendarFeed {
            id: m.id,
            user_id: m.user_id,
            instrument_id: m.instrument_id,
            created_at: m.created_at,
            revoked_at: m.revoked_at,
        }
    }
}

/// Whether `err` is the database refusing overlapping bookings.
pub(crate) fn is_overlap(err: &DbErr) -> bool {
    let text = err.to_string();
    text.contains("booking_overlap") || text.contains("bookings_no_overlap")
}

const ACTIVE: [BookingStatus; 2] = [BookingStatus::Requested, BookingStatus::Approved];

impl Store {
    /// Registers an instrument of `center_id` run by `organization_id`,
    /// with `owners` (checked by the caller).
    pub async fn create_instrument(
        &self,
        organization_id: i64,
        center_id: i64,
        owners: &[Owner],
        fields: InstrumentFields,
    ) -> StoreResult<Instrument> {
        let now = Utc::now();
        let txn = self.write().await?;
        let model = instruments::ActiveModel {
            organization_id: Set(organization_id),
            center_id: Set(Some(center_id)),
            original_value_cents: Set(fields.original_value_cents),
            purchase_date: Set(fields.purchase_date),
            registration_number: Set(fields.registration_number),
            is_public: Set(fields.public),
            name: Set(fields.name),
            model: Set(fields.model),
            category: Set(fields.category),
            location: Set(fields.location),
            rate_internal_cents: Set(fields.rate_internal_cents),
            rate_group_cents: Set(fields.rate_group_cents),
            rate_external_cents: Set(fields.rate_external_cents),
            requires_qualification: Set(fields.requires_qualification),
            status: Set(InstrumentStatus::Available.as_str().to_owned()),
            description: Set(fields.description),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        crate::centers::write_owners(&txn, model.id, owners).await?;
        txn.commit().await?;
        model.try_into()
    }

    /// Writes an instrument's fields and status, provided its status is still
    /// `from` (the one the caller's decision was based on): an update racing
    /// a retire cannot put a retired instrument back in service. A changed
    /// status is a CONFLICT on `status`; the write bumps the version like
    /// every edit of a versioned row.
    pub async fn update_instrument(
        &self,
        id: i64,
        fields: InstrumentFields,
        from: InstrumentStatus,
        status: InstrumentStatus,
    ) -> StoreResult<Instrument> {
        use instruments::Column as C;
        let txn = self.write().await?;
        let current = rows::lock::<instruments::Entity, _>(&txn, id, "instrument").await?;
        if current.status != from.as_str() {
            return Err(StoreError::conflict(
                "status",
                Message::new("instrument.status.changed"),
            ));
        }
        let update = instruments::Entity::update_many()
            .col_expr(C::Name, Expr::value(fields.name))
            .col_expr(C::Model, Expr::value(fields.model))
            .col_expr(C::Category, Expr::value(fields.category))
            .col_expr(C::Location, Expr::value(fields.location))
            .col_expr(
                C::RateInternalCents,
                Expr::value(fields.rate_internal_cents),
            )
            .col_expr(C::RateGroupCents, Expr::value(fields.rate_group_cents))
            .col_expr(
                C::RateExternalCents,
                Expr::value(fields.rate_external_cents),
            )
            .col_expr(
                C::RequiresQualification,
                Expr::value(fields.requires_qualification),
            )
            .col_expr(C::Description, Expr::value(fields.description))
            .col_expr(
                C::OriginalValueCents,
                Expr::value(fields.original_value_cents),
            )
            .col_expr(C::PurchaseDate, Expr::value(fields.purchase_date))
            .col_expr(
                C::RegistrationNumber,
                Expr::value(fields.registration_number),
            )
            .col_expr(C::IsPublic, Expr::value(fields.public))
            .col_expr(C::Status, Expr::value(status.as_str()))
            // The prior status stays part of the guard.
            .filter(C::Status.eq(from.as_str()));
        versioned::INSTRUMENT
            .update(&txn, update, id, None, current.version)
            .await?;
        let updated = rows::get::<instruments::Entity, _>(&txn, id, "instrument")
            .await?
            .try_into()?;
        txn.commit().await?;
        Ok(updated)
    }

    pub async fn instrument(&self, id: i64) -> StoreResult<Option<Instrument>> {
        rows::by_id::<instruments::Entity, _, _>(&self.db, id).await
    }

    pub async fn instruments_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<Instrument>> {
        rows::by_ids::<instruments::Entity, _, _>(&self.db, instruments::Column::Id, ids).await
    }

    /// Every instrument (the center has tens, not thousands), by name.
    pub async fn all_instruments(&self) -> StoreResult<Vec<Instrument>> {
        instruments::Entity::find()
            .order_by_asc(instruments::Column::Name)
            .order_by_asc(instruments::Column::Id)
            .records(&self.db)
            .await
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn list_instruments(
        &self,
        public_only: bool,
        center_id: Option<i64>,
        ids: Option<&[i64]>,
        organization_id: Option<i64>,
        category: Option<&str>,
        statuses: &[InstrumentStatus],
        sort: InstrumentSort,
        descending: bool,
        args: PageArgs,
    ) -> StoreResult<Page<Instrument>> {
        use instruments::Column as C;
        let mut cond = Condition::all();
        if public_only {
            cond = cond.add(C::IsPublic.eq(true));
        }
        if let Some(center) = center_id {
            cond = cond.add(C::CenterId.eq(center));
        }
        if let Some(ids) = ids {
            cond = cond.add(C::Id.is_in(ids.iter().copied()));
        }
        if let Some(org) = organization_id {
            cond = cond.add(C::OrganizationId.eq(org));
        }
        if let Some(c) = category {
            cond = cond.add(C::Category.eq(c));
        }
        if !statuses.is_empty() {
            cond = cond.add(C::Status.is_in(statuses.iter().map(|s| s.as_str())));
        }
        let select = instruments::Entity::find().filter(cond);
        let order: Order<instruments::Entity> = match sort {
            InstrumentSort::Name => (C::Name, |m| Key::new(m.name.clone(), m.id)),
            InstrumentSort::CreatedAt => (C::CreatedAt, |m| Key::new(m.created_at, m.id)),
        };
        paginate_records(&self.db, select, order, C::Id, descending, args).await
    }

    pub async fn add_maintenance(
        &self,
        instrument_id: i64,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        reason: String,
    ) -> StoreResult<Maintenance> {
        Ok(instrument_maintenance::ActiveModel {
            instrument_id: Set(instrument_id),
            start_at: Set(start),
            end_at: Set(end),
            reason: Set(reason),
            ..Default::default()
        }
        .insert(&self.db)
        .await?
        .into())
    }

    /// Maintenance windows of an instrument overlapping `[from, to)`.
    pub async fn maintenance_between(
        &self,
        instrument_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<Maintenance>> {
        use instrument_maintenance::Column as C;
        Ok(instrument_maintenance::Entity::find()
            .filter(C::InstrumentId.eq(instrument_id))
            .filter(C::StartAt.lt(to))
            .filter(C::EndAt.gt(from))
            .order_by_asc(C::StartAt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Grants (or renews) a qualification; a revoked one is granted again.
    pub async fn grant_qualification(
        &self,
        instrument_id: i64,
        user_id: i64,
        expires_at: Option<DateTime<Utc>>,
        granted_by: i64,
    ) -> StoreResult<Qualification> {
        use qualifications::Column as C;
        let existing = qualifications::Entity::find()
            .filter(C::InstrumentId.eq(instrument_id))
            .filter(C::UserId.eq(user_id))
            .one(&self.db)
            .await?;
        let model = match existing {
            Some(m) => {
                let mut active: qualifications::ActiveModel = m.into();
                active.expires_at = Set(expires_at);
                active.revoked_at = Set(None);
                active.granted_by = Set(Some(granted_by));
                active.update(&self.db).await?
            }
            None => {
                qualifications::ActiveModel {
                    instrument_id: Set(instrument_id),
                    user_id: Set(user_id),
                    granted_by: Set(Some(granted_by)),
                    expires_at: Set(expires_at),
                    revoked_at: Set(None),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(&self.db)
                .await?
            }
        };
        Ok(model.into())
    }

    pub async fn revoke_qualification(
        &self,
        instrument_id: i64,
        user_id: i64,
    ) -> StoreResult<Qualification> {
        use qualifications::Column as C;
        let m = qualifications::Entity::find()
            .filter(C::InstrumentId.eq(instrument_id))
            .filter(C::UserId.eq(user_id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound("qualification"))?;
        let mut active: qualifications::ActiveModel = m.into();
        active.revoked_at = Set(Some(Utc::now()));
        Ok(active.update(&self.db).await?.into())
    }

    pub async fn qualification(
        &self,
        instrument_id: i64,
        user_id: i64,
    ) -> StoreResult<Option<Qualification>> {
        use qualifications::Column as C;
        Ok(qualifications::Entity::find()
            .filter(C::InstrumentId.eq(instrument_id))
            .filter(C::UserId.eq(user_id))
            .one(&self.db)
            .await?
            .map(Into::into))
    }

    pub async fn qualifications_of_instrument(
        &self,
        instrument_id: i64,
    ) -> StoreResult<Vec<Qualification>> {
        use qualifications::Column as C;
        Ok(qualifications::Entity::find()
            .filter(C::InstrumentId.eq(instrument_id))
            .order_by_asc(C::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Stores a REQUESTED booking; an overlap with another active booking of
    /// the instrument (whatever the concurrency) is a CONFLICT naming it, and
    /// so is a window held for another user of the instrument's waiting
    /// list. `from_offer`: the caller's own waiting entry whose offer the
    /// booking takes (it must still hold; it becomes BOOKED).
    pub async fn request_booking(
        &self,
        new: NewBooking,
        from_offer: Option<i64>,
        notices: &mut Notices,
    ) -> StoreResult<Booking> {
        let mut made = self
            .request_bookings(vec![new], from_offer, notices)
            .await
            .map_err(|(_, err)| err)?;
        Ok(made.remove(0))
    }

    /// Stores several REQUESTED bookings of one instrument all together or
    /// none: the first refused (overlap, held window) rolls everything back
    /// and is returned with its index.
    pub async fn request_bookings(
        &self,
        news: Vec<NewBooking>,
        from_offer: Option<i64>,
        notices: &mut Notices,
    ) -> Result<Vec<Booking>, (usize, StoreError)> {
        let now = Utc::now();
        let Some(instrument_id) = news.first().map(|n| n.instrument_id) else {
            return Ok(Vec::new());
        };
        let txn = self.write().await.map_err(|e| (0, e.into()))?;
        crate::waitlist::lock_instrument(&txn, instrument_id)
            .await
            .map_err(|e| (0, e))?;
        if let Some(entry_id) = from_offer {
            let entry: crate::waitlist::WaitlistEntry = rows::get::<
                crate::entities::waitlist_entries::Entity,
                _,
            >(
                &txn, entry_id, "waitlist entry"
            )
            .await
            .and_then(TryInto::try_into)
            .map_err(|e| (0, e))?;
            if entry.status != iurhub_domain::WaitlistStatus::Offered {
                return Err((
                    0,
                    StoreError::conflict("id", Message::new("waitlist.not_offered")),
                ));
            }
            if !entry.holds_at(now) {
                let until = entry.offer_expires_at.unwrap_or(now);
                return Err((
                    0,
                    StoreError::conflict(
                        "id",
                        Message::new("waitlist.offer.expired").with("until", until.to_rfc3339()),
                    ),
                ));
            }
        }
        let mut made = Vec::with_capacity(news.len());
        for (k, new) in news.into_iter().enumerate() {
            if let Some(offer) = crate::waitlist::held_offer(
                &txn,
                new.instrument_id,
                new.start,
                new.end,
                now,
                from_offer,
            )
            .await
            .map_err(|e| (k, e))?
            {
                return Err((k, crate::waitlist::held_conflict(&offer)));
            }
            let (start, end) = (new.start, new.end);
            let inserted = bookings::ActiveModel {
                instrument_id: Set(new.instrument_id),
                user_id: Set(new.user_id),
                organization_id: Set(new.organization_id),
                start_at: Set(new.start),
                end_at: Set(new.end),
                purpose: Set(new.purpose),
                agreement_id: Set(new.agreement_id),
                status: Set(BookingStatus::Requested.as_str().to_owned()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await;
            match inserted {
                Ok(model) => made.push(model),
                Err(err) => {
                    // The connection goes back to the pool before the
                    // conflict is described (on another one).
                    let _ = txn.rollback().await;
                    return Err((
                        k,
                        if is_overlap(&err) {
                            self.overlap_conflict(instrument_id, start, end).await
                        } else {
                            err.into()
                        },
                    ));
                }
            }
        }
        if let Some(entry_id) = from_offer {
            crate::waitlist::mark_booked(&txn, entry_id, made[0].id, now)
                .await
                .map_err(|e| (0, e))?;
        }
        let created = NoticeSubject::Booking(made[0].id);
        crate::notifications::write_notices(&txn, notices, Some(created), now)
            .await
            .map_err(|e| (0, e))?;
        txn.commit().await.map_err(|e| (0, e.into()))?;
        made.into_iter()
            .map(TryInto::try_into)
            .collect::<StoreResult<Vec<Booking>>>()
            .map_err(|e| (0, e))
    }

    /// The CONFLICT for a refused slot, naming an active booking it clashes with.
    pub(crate) async fn overlap_conflict(
        &self,
        instrument_id: i64,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreError {
        let clash = self
            .active_bookings_between(instrument_id, start, end)
            .await;
        let text = match clash.as_deref() {
            Ok([first, ..]) => Message::new("booking.overlap")
                .with("start", first.start.to_rfc3339())
                .with("end", first.end.to_rfc3339()),
            _ => Message::new("booking.overlap.somewhere"),
        };
        StoreError::conflict("start", text)
    }

    pub async fn booking(&self, id: i64) -> StoreResult<Option<Booking>> {
        rows::by_id::<bookings::Entity, _, _>(&self.db, id).await
    }

    /// Moves a booking from `from` to `to` (a concurrent change is a
    /// CONFLICT), with the reason or the actual times where they apply.
    /// `frees`: the booking's instrument and the hold of a waiting list's
    /// offer, when the move frees its time (cancelled, rejected): the next
    /// users of the instrument's waiting list are offered it in the same
    /// transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_booking_status(
        &self,
        id: i64,
        from: BookingStatus,
        to: BookingStatus,
        reject_reason: Option<String>,
        actual: Option<(DateTime<Utc>, DateTime<Utc>)>,
        frees: Option<(i64, TimeDelta)>,
        notices: &mut Notices,
    ) -> StoreResult<Booking> {
        use bookings::Column as C;
        let now = Utc::now();
        let txn = self.write().await?;
        let instrument = match frees {
            Some((instrument_id, _)) => {
                Some(crate::waitlist::lock_instrument(&txn, instrument_id).await?)
            }
            None => None,
        };
        let mut update = bookings::Entity::update_many()
            .col_expr(C::Status, Expr::value(to.as_str()))
            .col_expr(C::UpdatedAt, Expr::value(now))
            .filter(C::Id.eq(id))
            .filter(C::Status.eq(from.as_str()));
        if let Some(r) = reject_reason {
            update = update.col_expr(C::RejectReason, Expr::value(r));
        }
        if let Some((s, e)) = actual {
            update = update
                .col_expr(C::ActualStart, Expr::value(s))
                .col_expr(C::ActualEnd, Expr::value(e));
        }
        let done = update.exec(&txn).await.map_err(StoreError::from)?;
        if done.rows_affected == 0 {
            return Err(StoreError::conflict(
                "status",
                Message::new("conflict.status").with("object", "booking"),
            ));
        }
        if let (Some(instrument), Some((_, hold))) = (&instrument, frees) {
            crate::waitlist::offer_freed(&txn, instrument, now, hold, notices).await?;
        }
        crate::notifications::write_notices(&txn, notices, None, now).await?;
        txn.commit().await?;
        self.booking(id)
            .await?
            .ok_or(StoreError::NotFound("booking"))
    }

    /// REQUESTED and APPROVED bookings of an instrument overlapping `[from, to)`.
    pub async fn active_bookings_between(
        &self,
        instrument_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<Booking>> {
        self.bookings_between(Some(instrument_id), &ACTIVE, from, to)
            .await
    }

    /// Bookings in some statuses overlapping `[from, to)`, by start.
    pub async fn bookings_between(
        &self,
        instrument_id: Option<i64>,
        statuses: &[BookingStatus],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<Booking>> {
        use bookings::Column as C;
        let mut select = bookings::Entity::find()
            .filter(C::StartAt.lt(to))
            .filter(C::EndAt.gt(from))
            .filter(C::Status.is_in(statuses.iter().map(|s| s.as_str())));
        if let Some(id) = instrument_id {
            select = select.filter(C::InstrumentId.eq(id));
        }
        select
            .order_by_asc(C::StartAt)
            .order_by_asc(C::Id)
            .records(&self.db)
            .await
    }

    pub async fn list_bookings(
        &self,
        filter: &BookingFilter,
        sort: BookingSort,
        descending: bool,
        args: PageArgs,
    ) -> StoreResult<Page<Booking>> {
        use bookings::Column as C;
        let mut cond = Condition::all();
        if let Some(v) = &filter.visible {
            let mut any = Condition::any().add(C::UserId.eq(v.user_id));
            if !v.organization_ids.is_empty() {
                any = any.add(C::OrganizationId.is_in(v.organization_ids.iter().copied()));
            }
            if !v.instrument_owner_ids.is_empty() {
                any = any.add(
                    C::InstrumentId.in_subquery(
                        sea_orm::sea_query::Query::select()
                            .column(instruments::Column::Id)
                            .from(instruments::Entity)
                            .and_where(
                                instruments::Column::OrganizationId
                                    .is_in(v.instrument_owner_ids.iter().copied()),
                            )
                            .to_owned(),
                    ),
                );
            }
            cond = cond.add(any);
        }
        if let Some(id) = filter.instrument_id {
            cond = cond.add(C::InstrumentId.eq(id));
        }
        if let Some(id) = filter.user_id {
            cond = cond.add(C::UserId.eq(id));
        }
        if !filter.statuses.is_empty() {
            cond = cond.add(C::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
        }
        if let Some(from) = filter.from {
            cond = cond.add(C::EndAt.gt(from));
        }
        if let Some(to) = filter.to {
            cond = cond.add(C::StartAt.lt(to));
        }
        let select = bookings::Entity::find().filter(cond);
        let order: Order<bookings::Entity> = match sort {
            BookingSort::Start => (C::StartAt, |m| Key::new(m.start_at, m.id)),
            BookingSort::CreatedAt => (C::CreatedAt, |m| Key::new(m.created_at, m.id)),
        };
        paginate_records(&self.db, select, order, C::Id, descending, args).await
    }

    /// One maintenance window.
    pub async fn maintenance(&self, id: i64) -> StoreResult<Option<Maintenance>> {
        Ok(instrument_maintenance::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(Into::into))
    }

    /// Deletes a maintenance window of `instrument_id` (NOT_FOUND when it is
    /// gone already); the next users of the instrument's waiting list whose
    /// window it blocked are offered it, held for `hold`, in the same
    /// transaction.
    pub async fn delete_maintenance(
        &self,
        id: i64,
        instrument_id: i64,
        hold: TimeDelta,
        notices: &mut Notices,
    ) -> StoreResult<()> {
        let now = Utc::now();
        let txn = self.write().await?;
        let instrument = crate::waitlist::lock_instrument(&txn, instrument_id).await?;
        let done = instrument_maintenance::Entity::delete_by_id(id)
            .exec(&txn)
            .await?;
        if done.rows_affected == 0 {
            return Err(StoreError::NotFound("maintenance window"));
        }
        crate::waitlist::offer_freed(&txn, &instrument, now, hold, notices).await?;
        crate::notifications::write_notices(&txn, notices, None, now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// A user's bookings in some statuses overlapping `[from, to)`, by start.
    pub async fn bookings_of_user_between(
        &self,
        user_id: i64,
        statuses: &[BookingStatus],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<Booking>> {
        use bookings::Column as C;
        bookings::Entity::find()
            .filter(C::UserId.eq(user_id))
            .filter(C::StartAt.lt(to))
            .filter(C::EndAt.gt(from))
            .filter(C::Status.is_in(statuses.iter().map(|s| s.as_str())))
            .order_by_asc(C::StartAt)
            .order_by_asc(C::Id)
            .records(&self.db)
            .await
    }

    /// Records a new calendar feed by the digest of its secret.
    pub async fn create_calendar_feed(
        &self,
        user_id: i64,
        instrument_id: Option<i64>,
        token_hash: String,
    ) -> StoreResult<CalendarFeed> {
        Ok(calendar_feeds::ActiveModel {
            user_id: Set(user_id),
            instrument_id: Set(instrument_id),
            token_hash: Set(token_hash),
            created_at: Set(Utc::now()),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await?
        .into())
    }

    /// The feed whose secret has this digest (revoked ones too).
    pub async fn calendar_feed_by_hash(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<CalendarFeed>> {
        Ok(calendar_feeds::Entity::find()
            .filter(calendar_feeds::Column::TokenHash.eq(token_hash))
            .one(&self.db)
            .await?
            .map(Into::into))
    }

    pub async fn calendar_feed(&self, id: i64) -> StoreResult<Option<CalendarFeed>> {
        Ok(calendar_feeds::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(Into::into))
    }

    /// A user's feeds that are not revoked, oldest first.
    pub async fn active_calendar_feeds(&self, user_id: i64) -> StoreResult<Vec<CalendarFeed>> {
        use calendar_feeds::Column as C;
        Ok(calendar_feeds::Entity::find()
            .filter(C::UserId.eq(user_id))
            .filter(C::RevokedAt.is_null())
            .order_by_asc(C::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Revokes a feed (once: a revoked feed keeps its first revocation time).
    pub async fn revoke_calendar_feed(&self, id: i64) -> StoreResult<CalendarFeed> {
        use calendar_feeds::Column as C;
        calendar_feeds::Entity::update_many()
            .col_expr(C::RevokedAt, Expr::value(Utc::now()))
            .filter(C::Id.eq(id))
            .filter(C::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        self.calendar_feed(id)
            .await?
            .ok_or(StoreError::NotFound("calendar feed"))
    }
}
