//! Organisations and memberships.

use iurhub_domain::validate::{self, OrganizationFields};
use iurhub_domain::{Message, OrgRole};
use iurhub_store::organizations::{Organization, OrganizationFilter, OrganizationSort};
use iurhub_store::page::{Page, PageArgs};
use iurhub_store::users::Membership;

use crate::App;
use crate::caller::Caller;
use crate::error::{AppError, AppResult};

/// Creates an organisation (platform ADMIN or COORDINATOR).
pub async fn create(
    app: &App,
    caller: &Caller,
    fields: OrganizationFields,
) -> AppResult<Organization> {
    let store = &app.store;
    if !caller.is_staff() {
        return Err(AppError::denied(Message::new(
            "organization.create.forbidden",
        )));
    }
    let fields = fields.validate()?;
    let written = store.create_organization(fields).await;
    // The tree the track records count in.
    app.organizations_written();
    Ok(app.wrote(app.access_written(written)?))
}

/// Adds a registered user to an organisation (ADMIN, or an ORG_ADMIN of it).
pub async fn add_member(
    app: &App,
    caller: &Caller,
    organization_id: i64,
    email: &str,
    role: OrgRole,
) -> AppResult<Membership> {
    let store = &app.store;
    if store.organization(organization_id).await?.is_none() {
        return Err(AppError::NotFound("organization"));
    }
    if !caller.can_administer(organization_id) {
        return Err(AppError::denied(Message::new("membership.add.forbidden")));
    }
    let email = validate::email("email", email)?;
    let user = store
        .user_by_email(&email)
        .await?
        .ok_or_else(|| AppError::invalid("email", Message::new("membership.email.unknown")))?;
    Ok(app.wrote(app.access_written(store.add_membership(user.id, organization_id, role).await)?))
}

/// One organisation, or NOT_FOUND.
pub async fn get(app: &App, id: i64) -> AppResult<Organization> {
    app.store
        .organization(id)
        .await?
        .ok_or(AppError::NotFound("organization"))
}

/// Organisations, one page.
pub async fn list(
    app: &App,
    filter: &OrganizationFilter,
    sort: OrganizationSort,
    descending: bool,
    args: PageArgs,
) -> AppResult<Page<Organization>> {
    Ok(app
        .store
        .list_organizations(filter, sort, descending, args)
        .await?)
}

/// The organisations a user belongs to, with their roles.
pub async fn memberships_of_user(app: &App, user_id: i64) -> AppResult<Vec<Membership>> {
    Ok(app.store.memberships_of_user(user_id).await?)
}

/// A membership the caller may see: their own, or any of an organisation
/// whose members they see (its members, the ORG_ADMINs of an organisation
/// above it, coordinators and admins, as `members`); NOT_FOUND otherwise.
pub async fn membership(app: &App, caller: &Caller, id: i64) -> AppResult<Membership> {
    app.store
        .memberships_by_ids(&[id])
        .await?
        .pop()
        .filter(|m| {
            m.user_id == caller.id()
                || caller.is_staff()
                || caller.can_manage(m.organization_id)
                || caller.can_administer(m.organization_id)
        })
        .ok_or(AppError::NotFound("membership"))
}

/// The members of an organisation, oldest membership first, one page: for
/// those who may manage the organisation's objects (its members, the
/// ORG_ADMINs of an organisation above it), coordinators and admins;
/// FORBIDDEN for anyone else, NOT_FOUND for an organisation that does not
/// exist.
pub async fn members(
    app: &App,
    caller: &Caller,
    organization_id: i64,
    args: PageArgs,
) -> AppResult<Page<Membership>> {
    get(app, organization_id).await?;
    if !caller.can_manage(organization_id) {
        return Err(AppError::denied(Message::new(
            "organization.members.forbidden",
        )));
    }
    Ok(app.store.members_of(organization_id, args).await?)
}

/// Removes a membership: ADMIN, an ORG_ADMIN of the organisation, or the
/// member themself (leaving). The last ORG_ADMIN of an organisation cannot
/// be removed (CONFLICT). A membership the caller may not see is NOT_FOUND.
pub async fn remove_member(
    app: &App,
    caller: &Caller,
    membership_id: i64,
) -> AppResult<Membership> {
    let found = membership(app, caller, membership_id).await?;
    if found.user_id != caller.id() && !caller.can_administer(found.organization_id) {
        return Err(AppError::denied(Message::new(
            "membership.remove.forbidden",
        )));
    }
    Ok(app.wrote(app.access_written(app.store.remove_membership(membership_id).await)?))
}

/// Changed fields of an organisation; `None` keeps the value.
#[derive(Debug, Clone, Default)]
pub struct OrganizationPatch {
    pub name: Option<String>,
    pub kind: Option<iurhub_domain::OrgKind>,
    /// `Some(None)` clears the province.
    pub province: Option<Option<String>>,
    /// `Some(None)` clears the city.
    pub city: Option<Option<String>>,
}

/// Renames an organisation or changes its kind or region: ADMIN,
/// COORDINATOR, or an ORG_ADMIN of it (or of an organisation above it).
pub async fn update(
    app: &App,
    caller: &Caller,
    id: i64,
    patch: OrganizationPatch,
) -> AppResult<Organization> {
    let current = get(app, id).await?;
    if !caller.is_staff() && !caller.can_administer(id) {
        return Err(AppError::denied(Message::new(
            "organization.update.forbidden",
        )));
    }
    let fields = OrganizationFields {
        name: patch.name.unwrap_or(current.name),
        kind: patch.kind.unwrap_or(current.kind),
        parent_id: current.parent_id,
        region: validate::Region {
            province: patch.province.unwrap_or(current.region.province),
            city: patch.city.unwrap_or(current.region.city),
        },
    }
    .validate()?;
    let written = app.store.update_organization(id, fields).await;
    // The region is a factor of every ranking of its capabilities.
    app.organizations_written();
    Ok(app.wrote(app.access_written(written)?))
}
