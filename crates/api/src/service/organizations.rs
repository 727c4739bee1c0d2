//! Organisations and memberships.

use iurhub_domain::OrgRole;
use iurhub_domain::validate::{self, OrganizationFields};
use iurhub_store::Store;
use iurhub_store::organizations::Organization;
use iurhub_store::users::Membership;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// Creates an organisation (platform ADMIN or COORDINATOR).
pub async fn create(
    store: &Store,
    caller: &Caller,
    fields: OrganizationFields,
) -> ApiResult<Organization> {
    if !caller.is_staff() {
        return Err(ApiError::forbidden(
            "only admins and coordinators may create organizations",
        ));
    }
    let fields = fields.validate()?;
    Ok(store.create_organization(fields).await?)
}

/// Adds a registered user to an organisation (ADMIN, or an ORG_ADMIN of it).
pub async fn add_member(
    store: &Store,
    caller: &Caller,
    organization_id: i64,
    email: &str,
    role: OrgRole,
) -> ApiResult<Membership> {
    if store.organization(organization_id).await?.is_none() {
        return Err(ApiError::NotFound("organization"));
    }
    if !caller.can_administer(organization_id) {
        return Err(ApiError::forbidden(
            "only admins and the organization's ORG_ADMINs may add members",
        ));
    }
    let email = validate::email("email", email)?;
    let user = store
        .user_by_email(&email)
        .await?
        .ok_or_else(|| ApiError::bad_input("email", "no registered user has this e-mail"))?;
    Ok(store.add_membership(user.id, organization_id, role).await?)
}
