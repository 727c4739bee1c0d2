//! Research capabilities: who may see and change them, and how.

use iurhub_domain::CapabilityStatus;
use iurhub_domain::validate::{Achievement, CapabilityFields};
use iurhub_store::Store;
use iurhub_store::capabilities::Capability;
use iurhub_store::taxonomy::TaxonomyKind;

use super::{check_codes, require_manageable_org};
use crate::auth::{Caller, Identity};
use crate::error::{ApiError, ApiResult};

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

pub async fn visible(store: &Store, who: &Identity, id: i64) -> ApiResult<Capability> {
    match store.capability(id).await? {
        Some(c) if c.visible_to(&who.scope()) => Ok(c),
        _ => Err(ApiError::NotFound("capability")),
    }
}

async fn manageable(store: &Store, caller: &Caller, id: i64) -> ApiResult<Capability> {
    let capability = visible(store, &Identity::User(Box::new(caller.clone())), id).await?;
    if !caller.can_manage(capability.organization_id) {
        return Err(ApiError::forbidden(
            "only members of the capability's organization, coordinators and admins may change it",
        ));
    }
    Ok(capability)
}

/// Checks the fields; `linked` are the talents the capability names already
/// (kept even when the caller could not link them today).
async fn check(
    store: &Store,
    caller: &Caller,
    fields: CapabilityFields,
    linked: &[i64],
) -> ApiResult<CapabilityFields> {
    let fields = fields.validate()?;
    check_codes(
        store,
        "disciplineCodes",
        TaxonomyKind::Discipline,
        &fields.discipline_codes,
    )
    .await?;
    let found = store.talents_by_ids(&fields.talent_ids).await?;
    if found.len() != fields.talent_ids.len() {
        return Err(ApiError::bad_input(
            "talentIds",
            "refers to a talent profile that does not exist",
        ));
    }
    if found
        .iter()
        .any(|t| !linked.contains(&t.id) && !super::talents::may_link(caller, t))
    {
        return Err(ApiError::forbidden(
            "talentIds: only talent profiles of organizations you belong to may be named as responsible",
        ));
    }
    Ok(fields)
}

pub async fn create(
    store: &Store,
    caller: &Caller,
    organization_id: i64,
    fields: CapabilityFields,
) -> ApiResult<Capability> {
    require_manageable_org(store, caller, organization_id).await?;
    let fields = check(store, caller, fields, &[]).await?;
    Ok(store
        .create_capability(organization_id, caller.id(), fields)
        .await?)
}

pub async fn update(
    store: &Store,
    caller: &Caller,
    id: i64,
    patch: CapabilityPatch,
    version: Option<i32>,
) -> ApiResult<Capability> {
    let capability = manageable(store, caller, id).await?;
    if !capability.status.is_editable() {
        return Err(ApiError::bad_input(
            "id",
            format!(
                "a capability in status {} can no longer be edited",
                capability.status
            ),
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
    let fields = check(store, caller, fields, &talents).await?;
    Ok(store.update_capability(id, fields, version).await?)
}

pub async fn transition(
    store: &Store,
    caller: &Caller,
    id: i64,
    to: CapabilityStatus,
) -> ApiResult<Capability> {
    let capability = manageable(store, caller, id).await?;
    capability.status.transition(to)?;
    Ok(store
        .set_capability_status(id, capability.status, to)
        .await?)
}
