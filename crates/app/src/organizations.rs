//! Organisations and memberships.

use iurhub_domain::OrgRole;
use iurhub_domain::validate::{self, OrganizationFields};
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
        return Err(AppError::forbidden(
            "only admins and coordinators may create organizations",
        ));
    }
    let fields = fields.validate()?;
    Ok(app.wrote(store.create_organization(fields).await?))
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
        return Err(AppError::forbidden(
            "only admins and the organization's ORG_ADMINs may add members",
        ));
    }
    let email = validate::email("email", email)?;
    let user = store
        .user_by_email(&email)
        .await?
        .ok_or_else(|| AppError::bad_input("email", "no registered user has this e-mail"))?;
    Ok(app.wrote(store.add_membership(user.id, organization_id, role).await?))
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

/// A membership the caller may see: their own, or any for coordinators,
/// admins and administrators of its organisation; NOT_FOUND otherwise.
pub async fn membership(app: &App, caller: &Caller, id: i64) -> AppResult<Membership> {
    app.store
        .memberships_by_ids(&[id])
        .await?
        .pop()
        .filter(|m| {
            m.user_id == caller.id()
                || caller.is_staff()
                || caller.can_administer(m.organization_id)
        })
        .ok_or(AppError::NotFound("membership"))
}
