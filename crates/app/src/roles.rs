//! Scoped roles: COORDINATOR and SUPERVISOR grants over an organisation and
//! every organisation below it (see [`iurhub_domain::ScopedRole`]). A grant
//! is part of its user's rights: granting and revoking forget every kept
//! caller at once, here and (through `access_version`) on every replica.

use iurhub_domain::{Message, ScopedRole, policy, validate};
use iurhub_store::users::RoleGrant;

use crate::App;
use crate::caller::Caller;
use crate::error::{AppError, AppResult};

/// Whether `caller` may grant and revoke roles over `organization_id`: a
/// platform ADMIN, or an ORG_ADMIN of it or of an organisation above it.
fn grants_over(caller: &Caller, organization_id: i64) -> bool {
    policy::may_grant_roles_over(
        caller.user().platform_role,
        caller.administered_org_ids(),
        organization_id,
    )
}

/// Whether `caller` may revoke `grant`: who may grant roles over its
/// organisation, and its user (giving the role up).
pub fn may_revoke(caller: &Caller, grant: &RoleGrant) -> bool {
    grant.user_id == caller.id() || grants_over(caller, grant.organization_id)
}

/// Whether `caller` sees `grant`: its user, platform staff, and those who
/// may grant roles over its organisation.
fn sees(caller: &Caller, grant: &RoleGrant) -> bool {
    caller.sees_account_of(grant.user_id) || grants_over(caller, grant.organization_id)
}

/// Grants `role` over `organization_id` and its descendants to the user
/// registered with `email`. NOT_FOUND for an organisation that does not
/// exist, FORBIDDEN for a caller who may not grant roles over it,
/// BAD_USER_INPUT for an unknown e-mail address, CONFLICT when the user
/// already holds that role there.
pub async fn grant(
    app: &App,
    caller: &Caller,
    email: &str,
    role: ScopedRole,
    organization_id: i64,
) -> AppResult<RoleGrant> {
    let store = &app.store;
    if store.organization(organization_id).await?.is_none() {
        return Err(AppError::NotFound("organization"));
    }
    if !grants_over(caller, organization_id) {
        return Err(AppError::denied(Message::new("role.grant.forbidden")));
    }
    let email = validate::email("email", email)?;
    let user = store
        .user_by_email(&email)
        .await?
        .ok_or_else(|| AppError::invalid("email", Message::new("membership.email.unknown")))?;
    // Also refused by the database (one active grant per user, role and
    // organisation), when two requests grant it at once.
    let held = store
        .role_grants(Some(user.id), Some(organization_id), false)
        .await?;
    if held.iter().any(|g| g.role == role) {
        return Err(AppError::conflict_on(
            "role",
            Message::new("role.grant.exists"),
        ));
    }
    let granted = store
        .grant_role(user.id, role, organization_id, Some(caller.id()))
        .await;
    Ok(app.wrote(app.access_written(granted)?))
}

/// Revokes a grant: who may grant roles over its organisation, or its user
/// (giving the role up). NOT_FOUND for a grant the caller may not see,
/// FORBIDDEN for one they see but may not revoke, CONFLICT when it was
/// revoked already.
pub async fn revoke(app: &App, caller: &Caller, id: i64) -> AppResult<RoleGrant> {
    let found = visible(app, caller, id).await?;
    if !may_revoke(caller, &found) {
        return Err(AppError::denied(Message::new("role.revoke.forbidden")));
    }
    let revoked = app.store.revoke_role(id, Some(caller.id())).await;
    match app.wrote(app.access_written(revoked)?) {
        Some(grant) => Ok(grant),
        None => Err(AppError::conflict(Message::new("role.revoke.revoked"))),
    }
}

/// A grant the caller may see, or NOT_FOUND.
pub async fn visible(app: &App, caller: &Caller, id: i64) -> AppResult<RoleGrant> {
    app.store
        .role_grants_by_ids(&[id])
        .await?
        .pop()
        .filter(|g| sees(caller, g))
        .ok_or(AppError::NotFound("role grant"))
}

/// The grants of user `user_id` the caller may see, oldest first.
pub async fn of_user(
    app: &App,
    caller: &Caller,
    user_id: i64,
    include_revoked: bool,
) -> AppResult<Vec<RoleGrant>> {
    let mut grants = app
        .store
        .role_grants(Some(user_id), None, include_revoked)
        .await?;
    grants.retain(|g| sees(caller, g));
    Ok(grants)
}

/// The grants over organisation `organization_id` (not those over an
/// organisation above it), oldest first: for who may grant roles over it
/// and platform staff; FORBIDDEN for anyone else.
pub async fn of_organization(
    app: &App,
    caller: &Caller,
    organization_id: i64,
    include_revoked: bool,
) -> AppResult<Vec<RoleGrant>> {
    if !caller.is_staff() && !grants_over(caller, organization_id) {
        return Err(AppError::denied(Message::new(
            "organization.role_grants.forbidden",
        )));
    }
    Ok(app
        .store
        .role_grants(None, Some(organization_id), include_revoked)
        .await?)
}
