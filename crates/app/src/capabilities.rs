//! Research capabilities: who may see and change them, and how.

use iurhub_domain::validate::{Achievement, CapabilityFields};
use iurhub_domain::{CapabilityStatus, DomainError, FieldError, Message};
use iurhub_store::capabilities::{Capability, CapabilityFilter, CapabilitySort};
use iurhub_store::page::{Page, PageArgs};
use iurhub_store::taxonomy::TaxonomyKind;

use super::{owning_org_problem, unknown_codes};
use crate::App;
use crate::caller::{Caller, Identity};
use crate::error::{AppError, AppResult, ErrorCode};

/// Changed fields of a capability; `None` keeps the stored value.
#[derive(Debug, Default)]
pub struct CapabilityPatch {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub keywords: Option<Vec<String>>,
    pub discipline_codes: Option<Vec<String>>,
    pub trl: Option<Option<i32>>,
    pub achievements: Option<Vec<Achievement>>,
    pub talent_ids: Option<Vec<i64>>,
}

pub async fn visible(app: &App, who: &Identity, id: i64) -> AppResult<Capability> {
    let store = &app.store;
    match store.capability(id).await? {
        Some(c) if c.visible_to(who.scope()) => Ok(c),
        _ => Err(AppError::NotFound("capability")),
    }
}

async fn manageable(app: &App, caller: &Caller, id: i64) -> AppResult<Capability> {
    let _store = &app.store;
    let capability = visible(app, &caller.identity(), id).await?;
    if !caller.can_manage(capability.organization_id) {
        return Err(AppError::keyed(
            ErrorCode::Forbidden,
            Message::new("capability.write.forbidden"),
        ));
    }
    Ok(capability)
}

/// Checks the fields; `linked` are the talents the capability names already
/// (kept even when the caller could not link them today).
async fn check(
    app: &App,
    caller: &Caller,
    fields: CapabilityFields,
    linked: &[i64],
    found: Option<FieldError>,
) -> AppResult<CapabilityFields> {
    let store = &app.store;
    // Every rule at once: the fields' own, the codes, the talents.
    let (fields, mut errors) = fields.checked();
    errors.extend(found);
    if let Some(error) = unknown_codes(
        app,
        "disciplineCodes",
        TaxonomyKind::Discipline,
        &fields.discipline_codes,
    )
    .await?
    {
        errors.push(error);
    }
    let found = store.talents_by_ids(&fields.talent_ids).await?;
    if found.len() != fields.talent_ids.len() {
        errors.push(FieldError::keyed(
            "talentIds",
            Message::new("talent.ids.unknown"),
        ));
    }
    if !errors.is_empty() {
        return Err(DomainError::Validation(errors).into());
    }
    if found
        .iter()
        .any(|t| !linked.contains(&t.id) && !super::talents::may_link(caller, t))
    {
        return Err(AppError::denied(Message::new("talent.link.forbidden")));
    }
    Ok(fields)
}

pub async fn create(
    app: &App,
    caller: &Caller,
    organization_id: i64,
    fields: CapabilityFields,
) -> AppResult<Capability> {
    let store = &app.store;
    let org = owning_org_problem(app, caller, organization_id).await?;
    let fields = check(app, caller, fields, &[], org).await?;
    let capability = store
        .create_capability(organization_id, caller.id(), fields)
        .await?;
    app.capabilities_written(std::slice::from_ref(&capability))
        .await;
    Ok(capability)
}

pub async fn update(
    app: &App,
    caller: &Caller,
    id: i64,
    patch: CapabilityPatch,
    version: Option<i32>,
) -> AppResult<Capability> {
    let store = &app.store;
    let capability = manageable(app, caller, id).await?;
    if !capability.status.is_editable() {
        return Err(AppError::keyed(
            ErrorCode::BadUserInput,
            Message::new("capability.not_editable").with("status", capability.status),
        ));
    }
    let (disciplines, talents) = store.capability_links(id).await?;
    let fields = CapabilityFields {
        title: patch.title.unwrap_or(capability.title),
        summary: patch.summary.unwrap_or(capability.summary),
        keywords: patch.keywords.unwrap_or(capability.keywords),
        discipline_codes: patch.discipline_codes.unwrap_or(disciplines),
        trl: patch.trl.unwrap_or(capability.trl),
        achievements: patch.achievements.unwrap_or(capability.achievements),
        talent_ids: patch.talent_ids.unwrap_or_else(|| talents.clone()),
    };
    let fields = check(app, caller, fields, &talents, None).await?;
    let capability = store.update_capability(id, fields, version).await?;
    app.capabilities_written(std::slice::from_ref(&capability))
        .await;
    Ok(capability)
}

pub async fn transition(
    app: &App,
    caller: &Caller,
    id: i64,
    to: CapabilityStatus,
) -> AppResult<Capability> {
    let store = &app.store;
    let capability = manageable(app, caller, id).await?;
    capability.status.transition(to)?;
    let capability = store
        .set_capability_status(id, capability.status, to)
        .await?;
    app.capabilities_written(std::slice::from_ref(&capability))
        .await;
    Ok(capability)
}

/// Confirms a capability current (its owners: those who may edit it);
/// an ARCHIVED one is published again instead (`publishCapability`).
pub async fn confirm(app: &App, caller: &Caller, id: i64) -> AppResult<Capability> {
    let capability = manageable(app, caller, id).await?;
    if !capability.status.is_editable() {
        return Err(AppError::keyed(
            ErrorCode::BadUserInput,
            Message::new("capability.not_editable").with("status", capability.status),
        ));
    }
    Ok(app.store.confirm_capability(id).await?)
}

/// Capabilities the caller may see, one page.
pub async fn list(
    app: &App,
    who: &Identity,
    filter: &CapabilityFilter,
    sort: CapabilitySort,
    descending: bool,
    args: PageArgs,
) -> AppResult<Page<Capability>> {
    Ok(app
        .store
        .list_capabilities(who.scope(), filter, sort, descending, args)
        .await?)
}
