//! Testing centers and co-built instruments: centers and their co-builders,
//! the owners of an instrument and their shares, the legal entities that
//! decide who is external, and the figures of the national open-sharing
//! assessment per instrument, per center and for the platform.
//!
//! - Centers are public (the catalogue shows them); their organisation's
//!   admins (and platform ADMINs) create and edit them.
//! - Owners are set by the instrument's staff: shares of 100 % in all, each
//!   owner of a legal entity running or co-building the center.
//! - Legal entities are marked by platform staff (ADMIN, COORDINATOR).
//! - The assessment of a center is read by platform staff and supervisors
//!   and by the admins of the organisations running or co-building it.

use std::collections::HashMap;

use iurhub_domain::assessment::{self, Assessed, AssessedOrder, Figures};
use iurhub_domain::records::centers::{self as rules, Center, LegalEntities, MAX_PARTNERS, Owner};
use iurhub_domain::records::instruments::Instrument;
use iurhub_domain::records::organizations::Organization;
use iurhub_domain::records::plans::YEARS;
use iurhub_domain::records::stats::Period;
use iurhub_domain::{BookingStatus, Message};
use iurhub_store::centers::CenterFields;
use iurhub_store::page::{Page, PageArgs};

use crate::App;
use crate::caller::Caller;
use crate::error::{AppError, AppResult};

/// The center, or NOT_FOUND.
pub async fn get(app: &App, id: i64) -> AppResult<Center> {
    app.store
        .center(id)
        .await?
        .ok_or(AppError::NotFound("center"))
}

/// The centers, by name, one page (everyone).
pub async fn list(app: &App, args: PageArgs) -> AppResult<Page<Center>> {
    Ok(app.store.list_centers(args).await?)
}

/// The organisation tree's legal entities.
pub async fn legal_entities(app: &App) -> AppResult<LegalEntities> {
    Ok(app.store.legal_entities().await?)
}

fn check_fields(name: &str, description: &str) -> AppResult<CenterFields> {
    Ok(CenterFields {
        name: iurhub_domain::validate::text("name", name, 1, 200)?,
        description: iurhub_domain::validate::text("description", description, 0, 5_000)?,
    })
}

/// Co-builders: known organisations, each once, not the center's own, at
/// most [`MAX_PARTNERS`]; ascending.
async fn check_cobuilders(app: &App, organization_id: i64, ids: &[i64]) -> AppResult<Vec<i64>> {
    let invalid = |m: Message| AppError::invalid("cobuilderIds", m);
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() > MAX_PARTNERS {
        return Err(invalid(
            Message::new("center.cobuilders.too_many").with("max", MAX_PARTNERS),
        ));
    }
    if ids.contains(&organization_id) {
        return Err(invalid(Message::new("center.cobuilders.own")));
    }
    if app.store.organizations_by_ids(&ids).await?.len() != ids.len() {
        return Err(invalid(Message::new("organization.unknown")));
    }
    Ok(ids)
}

/// Creates a center run by `organization_id` (its admins, or a platform
/// ADMIN).
pub async fn create(
    app: &App,
    caller: &Caller,
    organization_id: i64,
    name: &str,
    description: &str,
    cobuilder_ids: &[i64],
) -> AppResult<Center> {
    if app.store.organization(organization_id).await?.is_none() {
        return Err(AppError::invalid(
            "organizationId",
            Message::new("organization.unknown"),
        ));
    }
    if !(caller.is_admin() || caller.can_administer(organization_id)) {
        return Err(AppError::denied(Message::new("center.manage.forbidden")));
    }
    let fields = check_fields(name, description)?;
    let cobuilders = check_cobuilders(app, organization_id, cobuilder_ids).await?;
    Ok(app.wrote(
        app.store
            .create_center(organization_id, fields, &cobuilders)
            .await?,
    ))
}

/// Renames a center or replaces its co-builders (its managers).
pub async fn update(
    app: &App,
    caller: &Caller,
    id: i64,
    name: Option<&str>,
    description: Option<&str>,
    cobuilder_ids: Option<&[i64]>,
) -> AppResult<Center> {
    let current = get(app, id).await?;
    if !rules::may_manage_center(
        caller.user().platform_role,
        caller.administered_org_ids(),
        &current,
    ) {
        return Err(AppError::denied(Message::new("center.manage.forbidden")));
    }
    let fields = check_fields(
        name.unwrap_or(&current.name),
        description.unwrap_or(&current.description),
    )?;
    let cobuilders = match cobuilder_ids {
        Some(ids) => Some(check_cobuilders(app, current.organization_id, ids).await?),
        None => None,
    };
    Ok(app.wrote(
        app.store
            .update_center(id, fields, cobuilders.as_deref())
            .await?,
    ))
}

/// Marks an organisation as a legal entity or not (platform staff).
pub async fn set_legal_entity(
    app: &App,
    caller: &Caller,
    organization_id: i64,
    legal_entity: bool,
) -> AppResult<Organization> {
    if app.store.organization(organization_id).await?.is_none() {
        return Err(AppError::NotFound("organization"));
    }
    if !caller.is_staff() {
        return Err(AppError::denied(Message::new(
            "organization.legal_entity.forbidden",
        )));
    }
    Ok(app.wrote(
        app.store
            .set_legal_entity(organization_id, legal_entity)
            .await?,
    ))
}

/// The owners of an instrument, largest share first.
pub async fn owners(app: &App, instrument_id: i64) -> AppResult<Vec<Owner>> {
    Ok(app
        .store
        .instrument_owners(&[instrument_id])
        .await?
        .remove(&instrument_id)
        .unwrap_or_default())
}

/// The center a new instrument of `organization_id` goes to: the one named
/// (which its legal entity must run or co-build), else the oldest center run
/// by its legal entity — created, named after it, when there is none.
pub(crate) async fn center_for(
    app: &App,
    organization_id: i64,
    center_id: Option<i64>,
) -> AppResult<Center> {
    let entities = legal_entities(app).await?;
    if let Some(id) = center_id {
        let center = app
            .store
            .center(id)
            .await?
            .ok_or_else(|| AppError::invalid("centerId", Message::new("center.unknown")))?;
        if !rules::center_admits(&center, organization_id, &entities) {
            return Err(AppError::invalid(
                "centerId",
                Message::new("center.organization.outside"),
            ));
        }
        return Ok(center);
    }
    let entity = entities.of(organization_id);
    if let Some(center) = app.store.first_center_of(entity).await? {
        return Ok(center);
    }
    let name = app
        .store
        .organization(entity)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let fields = CenterFields {
        name: format!("{name} 仪器中心 Instrument Center"),
        description: String::new(),
    };
    Ok(app.store.create_center(entity, fields, &[]).await?)
}

/// Replaces the owners of an instrument (its staff): see
/// [`rules::check_owners`].
pub async fn set_owners(
    app: &App,
    caller: &Caller,
    instrument_id: i64,
    owners: Vec<Owner>,
) -> AppResult<(Instrument, Vec<Owner>)> {
    let found = app
        .store
        .instrument(instrument_id)
        .await?
        .ok_or(AppError::NotFound("instrument"))?;
    if !iurhub_domain::policy::staffs_instrument(
        caller.user().platform_role,
        caller.administered_org_ids(),
        &found,
    ) {
        return Err(AppError::denied(Message::new(
            "instrument.manage.forbidden",
        )));
    }
    let mut ids: Vec<i64> = owners.iter().map(|o| o.organization_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if app.store.organizations_by_ids(&ids).await?.len() != ids.len() {
        return Err(AppError::invalid(
            "owners",
            Message::new("organization.unknown"),
        ));
    }
    let center = get(app, found.center_id).await?;
    rules::check_owners(&owners, &center, &legal_entities(app).await?)?;
    let written = app
        .store
        .set_instrument_owners(instrument_id, &owners)
        .await?;
    Ok(app.wrote((found, written)))
}

/// The assessment of one instrument.
#[derive(Debug, Clone)]
pub struct InstrumentAssessment {
    pub instrument: Instrument,
    pub figures: Figures,
}

/// The assessment of one center and of each of its instruments (by name).
#[derive(Debug, Clone)]
pub struct CenterAssessment {
    pub center: Center,
    pub figures: Figures,
    pub instruments: Vec<InstrumentAssessment>,
}

/// The assessment's figures for a year: the centers asked for, and all of
/// them together (the platform, for a reader of the platform's figures
/// who names no center).
#[derive(Debug, Clone)]
pub struct Assessment {
    pub year: i32,
    pub total: Figures,
    pub centers: Vec<CenterAssessment>,
}

/// The assessment for `year` (China Standard Time): of center `center_id`
/// (NOT_FOUND if there is none, FORBIDDEN to whoever may not report on
/// it), or of every center the caller may report on (FORBIDDEN when none).
pub async fn assessment(
    app: &App,
    caller: &Caller,
    year: i32,
    center_id: Option<i64>,
) -> AppResult<Assessment> {
    if !YEARS.contains(&year) {
        return Err(AppError::invalid(
            "year",
            Message::new("value.out_of_range")
                .with("min", YEARS.start())
                .with("max", YEARS.end()),
        ));
    }
    let reports = |c: &Center| {
        rules::may_report_on_center(caller.reads_figures(), caller.administered_org_ids(), c)
    };
    let forbidden = || AppError::denied(Message::new("assessment.forbidden"));
    let centers: Vec<Center> = match center_id {
        Some(id) => {
            let center = get(app, id).await?;
            if !reports(&center) {
                return Err(forbidden());
            }
            vec![center]
        }
        None => {
            let all: Vec<Center> = app
                .store
                .all_centers()
                .await?
                .into_iter()
                .filter(|c| reports(c))
                .collect();
            if all.is_empty() && !caller.reads_figures() {
                return Err(forbidden());
            }
            all
        }
    };
    let period = Period::year(year);
    let (Some(from), Some(to)) = (period.start(), period.end()) else {
        return Err(AppError::invalid(
            "year",
            Message::new("value.out_of_range")
                .with("min", YEARS.start())
                .with("max", YEARS.end()),
        ));
    };
    let instruments: Vec<Instrument> = app
        .store
        .all_instruments()
        .await?
        .into_iter()
        .filter(|i| centers.iter().any(|c| c.id == i.center_id))
        .collect();
    let ids: Vec<i64> = instruments.iter().map(|i| i.id).collect();
    let owners = app.store.instrument_owners(&ids).await?;
    let owner_ids: Vec<(i64, Vec<i64>)> = instruments
        .iter()
        .map(|i| {
            let of = owners.get(&i.id).map(Vec::as_slice).unwrap_or_default();
            (i.id, of.iter().map(|o| o.organization_id).collect())
        })
        .collect();
    let bookings = app
        .store
        .bookings_between(None, &[BookingStatus::Completed], from, to)
        .await?;
    let trainings = app.store.qualifications_granted_between(from, to).await?;
    let booking_ids: Vec<i64> = bookings.iter().map(|b| b.id).collect();
    let scores = app.store.booking_scores(&booking_ids).await?;
    let entities = legal_entities(app).await?;
    let members: HashMap<i64, Vec<i64>> = app
        .store
        .all_centers()
        .await?
        .into_iter()
        .map(|c| (c.id, c.member_ids()))
        .collect();
    let assessed: Vec<Assessed<'_>> = instruments
        .iter()
        .zip(&owner_ids)
        .map(|(instrument, (_, owner_ids))| Assessed {
            instrument,
            owner_ids,
            center_member_ids: members
                .get(&instrument.center_id)
                .map(Vec::as_slice)
                .unwrap_or_default(),
        })
        .collect();
    let orders: Vec<AssessedOrder> = app
        .store
        .completed_service_orders(from, to)
        .await?
        .into_iter()
        .filter(|o| centers.iter().any(|c| c.id == o.center_id))
        .map(|o| AssessedOrder {
            center_id: o.center_id,
            items_cents: o.items_cents,
            score: o.score,
        })
        .collect();
    let figures = |of: &[Assessed<'_>], orders: &[AssessedOrder]| {
        assessment::figures(
            of,
            orders,
            &bookings,
            &trainings,
            &scores,
            (from, to),
            &entities,
        )
    };
    let per_center = centers
        .into_iter()
        .map(|center| {
            let of: Vec<Assessed<'_>> = assessed
                .iter()
                .copied()
                .filter(|a| a.instrument.center_id == center.id)
                .collect();
            let of_orders: Vec<AssessedOrder> = orders
                .iter()
                .copied()
                .filter(|o| o.center_id == center.id)
                .collect();
            CenterAssessment {
                figures: figures(&of, &of_orders),
                instruments: of
                    .iter()
                    .map(|a| InstrumentAssessment {
                        instrument: a.instrument.clone(),
                        figures: figures(std::slice::from_ref(a), &[]),
                    })
                    .collect(),
                center,
            }
        })
        .collect();
    Ok(Assessment {
        year,
        total: figures(&assessed, &orders),
        centers: per_center,
    })
}
