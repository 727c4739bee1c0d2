//! The testing center: who runs the instruments, who may book them, and the
//! rules of a booking. The database has the last word on overlaps.

use chrono::{DateTime, Duration, Utc};
use iurhub_domain::NotificationKind;
pub use iurhub_domain::booking::{self, BookingRules, Usage};
use iurhub_domain::records::notifications::{NewNotice, NoticeSubject, Notices, Recipients};
use iurhub_domain::{BookingStatus, InstrumentStatus, Message};
use iurhub_store::instruments::{
    Booking, BookingFilter, BookingVisibility, Instrument, InstrumentFields, Maintenance,
    NewBooking, Qualification,
};
pub use iurhub_store::instruments::{BookingSort, InstrumentSort};
use iurhub_store::page::{Page, PageArgs};

use crate::App;
use crate::caller::{Caller, Identity};
use crate::error::{AppError, AppResult};
use iurhub_domain::records::centers::Owner;

/// How long a waiting list's offer holds a freed window.
pub(crate) fn offer_hold(app: &App) -> chrono::TimeDelta {
    chrono::TimeDelta::seconds(app.booking.offer_hold_secs)
}

/// Testing-center staff: ORG_ADMIN of the owning organisation, or ADMIN.
pub fn is_staff(caller: &Caller, instrument: &Instrument) -> bool {
    iurhub_domain::policy::staffs_instrument(
        caller.user().platform_role,
        caller.administered_org_ids(),
        instrument,
    )
}

pub async fn instrument(app: &App, id: i64) -> AppResult<Instrument> {
    let store = &app.store;
    store
        .instrument(id)
        .await?
        .ok_or(AppError::NotFound("instrument"))
}

/// The instrument as `who` may read it: every instrument for signed-in
/// users (NOT_FOUND when there is none); for anonymous visitors a public
/// one, and UNAUTHENTICATED for any other id (a missing one too), as
/// before the catalogue was public.
pub async fn readable(app: &App, who: &Identity, id: i64) -> AppResult<Instrument> {
    match who {
        Identity::User(_) => instrument(app, id).await,
        Identity::Anonymous => match app.store.instrument(id).await? {
            Some(found) if found.public => Ok(found),
            _ => Err(AppError::Unauthenticated("auth.required")),
        },
    }
}

async fn staffed(app: &App, caller: &Caller, id: i64) -> AppResult<Instrument> {
    let found = instrument(app, id).await?;
    if !is_staff(caller, &found) {
        return Err(AppError::denied(Message::new(
            "instrument.manage.forbidden",
        )));
    }
    Ok(found)
}

fn text(field: &str, value: &str, max: usize, required: bool) -> AppResult<String> {
    Ok(iurhub_domain::validate::text(
        field,
        value,
        usize::from(required),
        max,
    )?)
}

fn check_fields(f: InstrumentFields) -> AppResult<InstrumentFields> {
    if f.rate_internal_cents < 0 {
        return Err(AppError::invalid(
            "rateInternalCents",
            Message::new("value.negative"),
        ));
    }
    if f.rate_group_cents < 0 {
        return Err(AppError::invalid(
            "rateGroup",
            Message::new("value.negative"),
        ));
    }
    if f.rate_external_cents < 0 {
        return Err(AppError::invalid(
            "rateExternalCents",
            Message::new("value.negative"),
        ));
    }
    if f.original_value_cents.is_some_and(|v| v < 0) {
        return Err(AppError::invalid(
            "originalValue",
            Message::new("value.negative"),
        ));
    }
    Ok(InstrumentFields {
        name: text("name", &f.name, 200, true)?,
        model: text("model", &f.model, 200, false)?,
        category: text("category", &f.category, 100, true)?,
        location: text("location", &f.location, 200, false)?,
        description: text("description", &f.description, 5_000, false)?,
        registration_number: text("registrationNumber", &f.registration_number, 100, false)?,
        ..f
    })
}

/// Registers an instrument run by `organization_id` in `center_id` (else
/// the default center of its legal entity, see `centers::center_for`),
/// owned by the organisation alone until `setInstrumentOwners`.
pub async fn create(
    app: &App,
    caller: &Caller,
    organization_id: i64,
    center_id: Option<i64>,
    fields: InstrumentFields,
) -> AppResult<Instrument> {
    let store = &app.store;
    if store.organization(organization_id).await?.is_none() {
        return Err(AppError::invalid(
            "organizationId",
            Message::new("organization.unknown"),
        ));
    }
    if !(caller.is_admin() || caller.can_administer(organization_id)) {
        return Err(AppError::denied(Message::new(
            "instrument.create.forbidden",
        )));
    }
    let fields = check_fields(fields)?;
    let center = crate::centers::center_for(app, organization_id, center_id).await?;
    let owners = [Owner {
        organization_id,
        share_percent: 100,
    }];
    Ok(app.wrote(
        store
            .create_instrument(organization_id, center.id, &owners, fields)
            .await?,
    ))
}

pub async fn update(
    app: &App,
    caller: &Caller,
    id: i64,
    fields: impl FnOnce(&Instrument) -> InstrumentFields,
    status: Option<InstrumentStatus>,
) -> AppResult<Instrument> {
    let store = &app.store;
    let current = staffed(app, caller, id).await?;
    if current.status == InstrumentStatus::Retired {
        return Err(AppError::invalid(
            "id",
            Message::new("instrument.retired.not_editable"),
        ));
    }
    let fields = check_fields(fields(&current))?;
    Ok(app.wrote(
        store
            .update_instrument(id, fields, current.status, status.unwrap_or(current.status))
            .await?,
    ))
}

pub async fn add_maintenance(
    app: &App,
    caller: &Caller,
    id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    reason: &str,
) -> AppResult<Maintenance> {
    let store = &app.store;
    staffed(app, caller, id).await?;
    if end <= start {
        return Err(AppError::invalid(
            "end",
            Message::new("maintenance_window.end.before_start"),
        ));
    }
    let reason = text("reason", reason, 500, true)?;
    Ok(app.wrote(store.add_maintenance(id, start, end, reason).await?))
}

/// A maintenance window by id. Every signed-in user sees the windows of
/// every instrument (`instrument.maintenance`); the transport requires a
/// signed-in caller as for the instrument itself.
pub async fn maintenance_window(app: &App, id: i64) -> AppResult<Maintenance> {
    app.store
        .maintenance(id)
        .await?
        .ok_or(AppError::NotFound("maintenance window"))
}

/// Deletes a maintenance window (the staff of its instrument); its time is
/// bookable again. Returns the window as it was and its instrument.
pub async fn delete_maintenance(
    app: &App,
    caller: &Caller,
    id: i64,
) -> AppResult<(Maintenance, Instrument)> {
    let window = maintenance_window(app, id).await?;
    let found = staffed(app, caller, window.instrument_id).await?;
    let mut notices = Notices::none();
    app.store
        .delete_maintenance(id, found.id, offer_hold(app), &mut notices)
        .await?;
    crate::notifications::written(app, &notices);
    app.written();
    Ok((window, found))
}

pub async fn grant(
    app: &App,
    caller: &Caller,
    instrument_id: i64,
    user_id: i64,
    expires_at: Option<DateTime<Utc>>,
) -> AppResult<Qualification> {
    let store = &app.store;
    staffed(app, caller, instrument_id).await?;
    if store.user(user_id).await?.is_none() {
        return Err(AppError::invalid(
            "userId",
            Message::new("qualification.user.unknown"),
        ));
    }
    if expires_at.is_some_and(|e| e <= Utc::now()) {
        return Err(AppError::invalid(
            "expiresAt",
            Message::new("qualification.expiry.past"),
        ));
    }
    Ok(app.wrote(
        store
            .grant_qualification(instrument_id, user_id, expires_at, caller.id())
            .await?,
    ))
}

pub async fn revoke(
    app: &App,
    caller: &Caller,
    instrument_id: i64,
    user_id: i64,
) -> AppResult<Qualification> {
    let store = &app.store;
    staffed(app, caller, instrument_id).await?;
    Ok(app.wrote(store.revoke_qualification(instrument_id, user_id).await?))
}

/// A booking request: the instrument must be available and outside
/// maintenance, the caller qualified when it requires it, the slot within
/// the limits and free (and not held for another user of the instrument's
/// waiting list).
#[allow(clippy::too_many_arguments)]
pub async fn request(
    app: &App,
    caller: &Caller,
    instrument_id: i64,
    organization_id: Option<i64>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    purpose: &str,
    agreement_id: Option<i64>,
) -> AppResult<Booking> {
    let asked = Asked {
        instrument_id,
        organization_id,
        purpose,
        agreement_id,
    };
    let mut made = book(app, caller, &asked, &[(start, end)], None).await?;
    Ok(made.remove(0))
}

/// What a booking request (or a place on a waiting list) names besides
/// its time.
pub struct Asked<'a> {
    pub instrument_id: i64,
    pub organization_id: Option<i64>,
    pub purpose: &'a str,
    pub agreement_id: Option<i64>,
}

/// What [`check_request`] found: the instrument, the organisation the
/// booking is for and the trimmed purpose.
pub(crate) struct Checked {
    pub found: Instrument,
    pub organization_id: i64,
    pub purpose: String,
}

/// The checks of a request that do not depend on its time: the purpose,
/// the instrument AVAILABLE, the organisation one the caller may book for.
pub(crate) async fn check_request(
    app: &App,
    caller: &Caller,
    asked: &Asked<'_>,
) -> AppResult<Checked> {
    let found = instrument(app, asked.instrument_id).await?;
    let purpose = text("purpose", asked.purpose, 1_000, true)?;
    check_available(&found)?;
    let organization_id = match asked.organization_id {
        Some(org) if caller.managed_org_ids().contains(&org) => org,
        Some(_) => {
            return Err(AppError::denied(Message::new(
                "booking.organization.not_member",
            )));
        }
        None => default_organization(app, caller).await?,
    };
    Ok(Checked {
        found,
        organization_id,
        purpose,
    })
}

/// An instrument takes bookings only while it is AVAILABLE (a CONFLICT
/// on `instrumentId` otherwise).
pub(crate) fn check_available(found: &Instrument) -> AppResult<()> {
    if found.status != InstrumentStatus::Available {
        return Err(AppError::conflict_on(
            "instrumentId",
            Message::new("booking.instrument.not_available").with("status", found.status),
        ));
    }
    Ok(())
}

/// The checks of one time of a request: within the limits, the caller
/// qualified until its end when the instrument requires it, and (when
/// `maintenance`) outside the instrument's maintenance windows.
pub(crate) async fn check_time(
    app: &App,
    caller: &Caller,
    found: &Instrument,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    maintenance: bool,
) -> AppResult<()> {
    let store = &app.store;
    app.booking.check_slot(start, end, Utc::now())?;
    if found.requires_qualification {
        let qualified = store
            .qualification(found.id, caller.id())
            .await?
            .is_some_and(|q| q.valid_at(end));
        if !qualified {
            return Err(AppError::denied(
                Message::new("booking.qualification.required").with("name", &found.name),
            ));
        }
    }
    if maintenance
        && let Some(m) = store
            .maintenance_between(found.id, start, end)
            .await?
            .first()
    {
        return Err(AppError::conflict_on(
            "start",
            Message::new("booking.maintenance.overlap")
                .with("start", m.start.to_rfc3339())
                .with("end", m.end.to_rfc3339())
                .with("reason", &m.reason),
        ));
    }
    Ok(())
}

/// The error about one occurrence of a recurring booking: the same code
/// and field, its message naming the occurrence (from 1) and its start.
fn in_occurrence(err: AppError, k: usize, start: DateTime<Utc>) -> AppError {
    let text = booking::occurrence_error(k + 1, start, &err.text());
    match err {
        AppError::BadUserInput { fields, .. } => {
            let field = fields.first().map_or("start", |f| f.field.as_str());
            AppError::invalid(field, text)
        }
        AppError::Keyed { code, fields, .. } => AppError::Keyed {
            code,
            fields: fields
                .into_iter()
                .map(|f| iurhub_domain::FieldError::keyed(f.field, text.clone()))
                .collect(),
            text,
        },
        other => other,
    }
}

/// Books `slots` of one instrument for the caller, all or none (a request
/// of several is a recurring booking: an error names the occurrence);
/// `from_offer`: the caller's waiting entry whose offer this takes.
pub(crate) async fn book(
    app: &App,
    caller: &Caller,
    asked: &Asked<'_>,
    slots: &[(DateTime<Utc>, DateTime<Utc>)],
    from_offer: Option<i64>,
) -> AppResult<Vec<Booking>> {
    let store = &app.store;
    let several = slots.len() > 1;
    let at = |k: usize, err: AppError| {
        if several {
            in_occurrence(err, k, slots[k].0)
        } else {
            err
        }
    };
    if let Some(&first) = slots.first() {
        app.booking
            .check_slot(first.0, first.1, Utc::now())
            .map_err(|e| at(0, e.into()))?;
    }
    let checked = check_request(app, caller, asked).await?;
    if let Some(agreement) = asked.agreement_id {
        // Filed under an agreement the caller works under (a party's
        // member, a coordinator in scope), in force or a draft.
        crate::agreements::linkable(app, caller, "agreementId", agreement).await?;
    }
    for (k, &slot) in slots.iter().enumerate() {
        check_time(app, caller, &checked.found, slot, true)
            .await
            .map_err(|e| at(k, e))?;
    }
    let found = &checked.found;
    // The instrument's staff: the ORG_ADMINs of its organisation and of
    // those above it.
    let parents = store
        .organization_parents_of([found.organization_id])
        .await?;
    let staff_orgs =
        iurhub_domain::policy::chain_of(found.organization_id, &|o| parents.get(&o).copied());
    let first = slots.first().map(|s| s.0).unwrap_or_else(Utc::now);
    let mut notices = Notices::of(vec![
        NewNotice::new(
            NotificationKind::BookingRequested,
            Recipients::AdminsOf(staff_orgs),
        )
        .by(caller.id())
        .with("instrument", &found.name)
        .with("start", first.format("%Y-%m-%d %H:%M")),
    ]);
    let news = slots
        .iter()
        .map(|&(start, end)| NewBooking {
            instrument_id: found.id,
            user_id: caller.id(),
            organization_id: checked.organization_id,
            start,
            end,
            purpose: checked.purpose.clone(),
            agreement_id: asked.agreement_id,
        })
        .collect();
    let made = store
        .request_bookings(news, from_offer, &mut notices)
        .await
        .map_err(|(k, err)| at(k, err.into()))?;
    crate::notifications::written(app, &notices);
    Ok(app.wrote(made))
}

/// A weekly booking: `[start, end)` and the same time in each of the next
/// `weeks - 1` weeks (2 to [`booking::MAX_RECURRING_WEEKS`] in all), all
/// booked in one transaction or none; a refused occurrence (limits,
/// qualification, maintenance, overlap, a held window) is named in the
/// error.
#[allow(clippy::too_many_arguments)]
pub async fn request_recurring(
    app: &App,
    caller: &Caller,
    instrument_id: i64,
    organization_id: Option<i64>,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    weeks: u32,
    purpose: &str,
    agreement_id: Option<i64>,
) -> AppResult<Vec<Booking>> {
    let slots = booking::weekly(start, end, weeks)?;
    let asked = Asked {
        instrument_id,
        organization_id,
        purpose,
        agreement_id,
    };
    book(app, caller, &asked, &slots, None).await
}

/// The organisation a booking is for when the request names none: the
/// caller's first membership, in the order `me.memberships` lists them (the
/// order they were added), whatever the organisations' ids. FORBIDDEN for a
/// caller without a membership.
async fn default_organization(app: &App, caller: &Caller) -> AppResult<i64> {
    app.store
        .memberships_of_user(caller.id())
        .await?
        .first()
        .map(|m| m.organization_id)
        .ok_or_else(|| AppError::denied(Message::new("booking.organization.none")))
}

/// The booking, if the caller may see it: the booker, the managers of the
/// organisation it is for (coordinators in scope too), the instrument's
/// staff, admins.
pub async fn visible_booking(app: &App, caller: &Caller, id: i64) -> AppResult<Booking> {
    let store = &app.store;
    let booking = store
        .booking(id)
        .await?
        .ok_or(AppError::NotFound("booking"))?;
    if booking.user_id == caller.id()
        || caller.is_admin()
        || caller.managed_org_ids().contains(&booking.organization_id)
    {
        return Ok(booking);
    }
    let found = instrument(app, booking.instrument_id).await?;
    if is_staff(caller, &found) {
        Ok(booking)
    } else {
        Err(AppError::NotFound("booking"))
    }
}

/// Approve, reject or complete (staff), or cancel (the booker or staff).
pub async fn decide(
    app: &App,
    caller: &Caller,
    id: i64,
    to: BookingStatus,
    reason: Option<String>,
    actual: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> AppResult<Booking> {
    let store = &app.store;
    let booking = visible_booking(app, caller, id).await?;
    let found = instrument(app, booking.instrument_id).await?;
    let staff = is_staff(caller, &found);
    let allowed = match to {
        BookingStatus::Cancelled => staff || booking.user_id == caller.id(),
        _ => staff,
    };
    if !allowed {
        return Err(AppError::denied(match to {
            BookingStatus::Cancelled => Message::new("booking.cancel.forbidden"),
            _ => Message::new("booking.decide.forbidden"),
        }));
    }
    booking.status.transition(to)?;
    let reason = match (to, reason) {
        (BookingStatus::Rejected, r) => Some(text("reason", &r.unwrap_or_default(), 1_000, true)?),
        _ => None,
    };
    if let Some((s, e)) = actual
        && e <= s
    {
        return Err(AppError::invalid(
            "actualEnd",
            Message::new("booking.actual_end.before_start"),
        ));
    }
    if to == BookingStatus::Completed && actual.is_some_and(|(s, _)| s > Utc::now()) {
        return Err(AppError::invalid(
            "actualStart",
            Message::new("booking.complete.not_started"),
        ));
    }
    let mut notices = Notices::none();
    let told = match to {
        BookingStatus::Approved => Some(NotificationKind::BookingApproved),
        BookingStatus::Rejected => Some(NotificationKind::BookingRejected),
        _ => None,
    };
    if let Some(kind) = told {
        notices.push(
            NewNotice::new(kind, Recipients::Users(vec![booking.user_id]))
                .by(caller.id())
                .about(NoticeSubject::Booking(id))
                .with("instrument", &found.name)
                .with("start", booking.start.format("%Y-%m-%d %H:%M"))
                .with("reason", reason.clone().unwrap_or_default()),
        );
    }
    // Cancelled or rejected, its time goes to the instrument's waiting list.
    let frees = matches!(to, BookingStatus::Cancelled | BookingStatus::Rejected)
        .then(|| (booking.instrument_id, offer_hold(app)));
    let decided = store
        .set_booking_status(id, booking.status, to, reason, actual, frees, &mut notices)
        .await?;
    crate::notifications::written(app, &notices);
    Ok(app.wrote(decided))
}

/// The longest period an availability query covers, in days.
const AVAILABILITY_DAYS: i64 = 93;

/// Free `[start, end)` slots of an instrument in `[from, to)`: the time
/// outside active bookings and maintenance (none while it is not AVAILABLE).
pub async fn availability(
    app: &App,
    found: &Instrument,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<(DateTime<Utc>, DateTime<Utc>)>> {
    let store = &app.store;
    if to <= from {
        return Err(AppError::invalid(
            "to",
            Message::new("availability.to.before_from"),
        ));
    }
    if to - from > Duration::days(AVAILABILITY_DAYS) {
        return Err(AppError::invalid(
            "to",
            Message::new("availability.period.too_long").with("max", AVAILABILITY_DAYS),
        ));
    }
    if found.status != InstrumentStatus::Available {
        return Ok(Vec::new());
    }
    let mut busy: Vec<(DateTime<Utc>, DateTime<Utc>)> = store
        .active_bookings_between(found.id, from, to)
        .await?
        .into_iter()
        .map(|b| (b.start, b.end))
        .chain(
            store
                .maintenance_between(found.id, from, to)
                .await?
                .into_iter()
                .map(|m| (m.start, m.end)),
        )
        .collect();
    busy.sort();
    Ok(booking::free_slots(from, to, &busy))
}

/// What an instrument list asks for; all given conditions must hold.
#[derive(Debug, Clone, Default)]
pub struct InstrumentQuery {
    pub organization_id: Option<i64>,
    pub center_id: Option<i64>,
    /// Exactly this category (at most 100 characters).
    pub category: Option<String>,
    pub statuses: Vec<InstrumentStatus>,
    /// Free text (at most 200 characters), Chinese or English: every term
    /// of it, analysed as the matching engine analyses texts (jieba
    /// segmentation, stemming, stop words), is among the terms of the
    /// instrument's name, model, category, location or description.
    pub search: Option<String>,
}

/// The instruments `who` may list in `sort` order, one page: all of them
/// for signed-in users, the public ones for anonymous visitors (the public
/// catalogue).
pub async fn list(
    app: &App,
    who: &Identity,
    query: InstrumentQuery,
    (sort, descending): (InstrumentSort, bool),
    args: PageArgs,
) -> AppResult<Page<Instrument>> {
    if query
        .category
        .as_ref()
        .is_some_and(|c| c.chars().count() > 100)
    {
        return Err(AppError::invalid(
            "category",
            Message::new("value.too_long").with("max", 100),
        ));
    }
    let public_only = matches!(who, Identity::Anonymous);
    let ids = match query.search.as_deref().map(str::trim) {
        Some(text) if text.chars().count() > 200 => {
            return Err(AppError::invalid(
                "search",
                Message::new("value.too_long").with("max", 200),
            ));
        }
        Some(text) if !text.is_empty() => Some(search(app, text, public_only).await?),
        _ => None,
    };
    Ok(app
        .store
        .list_instruments(
            public_only,
            query.center_id,
            ids.as_deref(),
            query.organization_id,
            query.category.as_deref(),
            &query.statuses,
            sort,
            descending,
            args,
        )
        .await?)
}

/// The ids of the instruments (the public ones only, if so) whose text
/// holds every analysed term of `text`. A center has tens of instruments:
/// they are read and analysed here rather than indexed.
async fn search(app: &App, text: &str, public_only: bool) -> AppResult<Vec<i64>> {
    let wanted = app.index.analyze(text);
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    Ok(app
        .store
        .all_instruments()
        .await?
        .into_iter()
        .filter(|i| i.public || !public_only)
        .filter(|i| {
            let own = app.index.analyze(&format!(
                "{}\n{}\n{}\n{}\n{}",
                i.name, i.model, i.category, i.location, i.description
            ));
            wanted.iter().all(|t| own.contains(t))
        })
        .map(|i| i.id)
        .collect())
}

/// Maintenance windows of an instrument overlapping `[from, to)`.
pub async fn maintenance_between(
    app: &App,
    instrument_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<Maintenance>> {
    Ok(app
        .store
        .maintenance_between(instrument_id, from, to)
        .await?)
}

/// The caller's own qualification for an instrument, if any.
pub async fn own_qualification(
    app: &App,
    caller: &Caller,
    instrument_id: i64,
) -> AppResult<Option<Qualification>> {
    Ok(app.store.qualification(instrument_id, caller.id()).await?)
}

/// Everyone's qualifications for an instrument; its staff only.
pub async fn qualifications(
    app: &App,
    caller: &Caller,
    instrument: &Instrument,
) -> AppResult<Vec<Qualification>> {
    if !is_staff(caller, instrument) {
        return Err(AppError::denied(Message::new(
            "qualification.list.forbidden",
        )));
    }
    Ok(app
        .store
        .qualifications_of_instrument(instrument.id)
        .await?)
}

/// Which bookings `caller` may list: their own, their organisations' (with
/// those coordinated), those of the instruments they run (admins: all).
fn booking_visibility(caller: &Caller) -> Option<BookingVisibility> {
    if caller.is_admin() {
        return None;
    }
    Some(BookingVisibility {
        user_id: caller.id(),
        organization_ids: caller.managed_org_ids().to_vec(),
        instrument_owner_ids: caller.administered_org_ids().to_vec(),
    })
}

/// What a booking list asks for.
#[derive(Debug, Clone, Default)]
pub struct BookingQuery {
    pub instrument_id: Option<i64>,
    /// Only the caller's own bookings.
    pub mine: bool,
    pub statuses: Vec<BookingStatus>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// The order (by start by default).
    pub sort: BookingSort,
    pub descending: bool,
}

/// Bookings the caller may see, in the query's order, one page.
pub async fn bookings(
    app: &App,
    caller: &Caller,
    query: BookingQuery,
    args: PageArgs,
) -> AppResult<Page<Booking>> {
    let filter = BookingFilter {
        instrument_id: query.instrument_id,
        user_id: query.mine.then(|| caller.id()),
        statuses: query.statuses,
        from: query.from,
        to: query.to,
        visible: booking_visibility(caller),
    };
    Ok(app
        .store
        .list_bookings(&filter, query.sort, query.descending, args)
        .await?)
}

/// Usage of the instruments a caller may report on over a period, and their
/// sum for the whole center.
#[derive(Debug, Clone)]
pub struct UsageReport {
    pub center: Usage,
    pub instruments: Vec<(Instrument, Usage)>,
}

/// Usage over `[from, to)` (figures, no bookings): for platform staff and
/// supervisors every instrument, for organisation admins their
/// organisations' instruments; FORBIDDEN for everybody else.
pub async fn usage_report(
    app: &App,
    caller: &Caller,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<UsageReport> {
    if to <= from {
        return Err(AppError::invalid(
            "to",
            Message::new("usage.to.before_from"),
        ));
    }
    let instruments: Vec<Instrument> = app
        .store
        .all_instruments()
        .await?
        .into_iter()
        .filter(|i| caller.reads_figures() || is_staff(caller, i))
        .collect();
    if instruments.is_empty() && !caller.reads_figures() {
        return Err(AppError::denied(Message::new("usage.forbidden")));
    }
    let bookings = app
        .store
        .bookings_between(
            None,
            &[BookingStatus::Approved, BookingStatus::Completed],
            from,
            to,
        )
        .await?;
    let now = Utc::now();
    let ids: Vec<i64> = instruments.iter().map(|i| i.id).collect();
    let owners = app.store.instrument_owners(&ids).await?;
    let entities = app.store.legal_entities().await?;
    let centers: std::collections::HashMap<i64, Vec<i64>> = app
        .store
        .all_centers()
        .await?
        .into_iter()
        .map(|c| (c.id, c.member_ids()))
        .collect();
    let per: Vec<(Instrument, Usage)> = instruments
        .into_iter()
        .map(|i| {
            let owner_ids: Vec<i64> = owners
                .get(&i.id)
                .map(|o| o.iter().map(|o| o.organization_id).collect())
                .unwrap_or_default();
            let members = centers
                .get(&i.center_id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let external = |org| entities.is_external(org, &owner_ids);
            let tier = |org| iurhub_domain::billing::tier_for(&entities, org, &owner_ids, members);
            let u = booking::usage(&i, &external, &tier, &bookings, (from, to), now);
            (i, u)
        })
        .collect();
    let center = Usage::total(per.iter().map(|(_, u)| u));
    Ok(UsageReport {
        center,
        instruments: per,
    })
}

/// An instrument with its approved bookings from 90 days back to the
/// booking horizon (its calendar; signed-in users).
pub async fn calendar(app: &App, id: i64) -> AppResult<(Instrument, Vec<Booking>)> {
    let found = instrument(app, id).await?;
    let now = Utc::now();
    let bookings = app
        .store
        .bookings_between(
            Some(id),
            &[BookingStatus::Approved],
            now - Duration::days(90),
            now + Duration::days(app.booking.horizon_days),
        )
        .await?;
    Ok((found, bookings))
}
