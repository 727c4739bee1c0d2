//! Agreement coordinators: COORDINATOR of one framework agreement — the
//! agreement and the needs, projects and activities filed under it, as a
//! party's member (CONFIDENTIAL needs included), and nothing else of the
//! parties. Who appoints them is [`policy::may_grant_agreement_coordinators`]
//! (the ORG_ADMINs of a party or of an organisation above one, and admins).
//! A grant is part of its user's rights: granting and revoking forget every
//! kept caller at once, here and (through `access_version`) on every
//! replica.

use iurhub_domain::records::agreements::AgreementActor;
use iurhub_domain::{Message, policy, validate};
use iurhub_store::agreements::Agreement;
use iurhub_store::users::AgreementCoordinatorGrant;

use crate::App;
use crate::caller::{Caller, Identity};
use crate::error::{AppError, AppResult};

fn actor(caller: &Caller) -> AgreementActor<'_> {
    AgreementActor {
        platform_role: caller.user().platform_role,
        managed_org_ids: caller.managed_org_ids(),
        administered_org_ids: caller.administered_org_ids(),
        coordinated_agreement_ids: caller.coordinated_agreement_ids(),
    }
}

/// Whether `caller` appoints and dismisses the coordinators of `agreement`.
pub fn grants_over(caller: &Caller, agreement: &Agreement) -> bool {
    policy::may_grant_agreement_coordinators(actor(caller), agreement)
}

/// Whether `caller` sees every grant (revoked ones too) over `agreement` to
/// user `user_id`: the user themself, admins, and who appoints the
/// agreement's coordinators.
fn keeps_record(caller: &Caller, user_id: i64, agreement: &Agreement) -> bool {
    caller.id() == user_id || caller.is_admin() || grants_over(caller, agreement)
}

/// Whether `who` sees `grant` (over `agreement`): those who keep its record
/// ([`keeps_record`]), and, while it is active, whoever sees the agreement.
fn sees(who: &Identity, grant: &AgreementCoordinatorGrant, agreement: &Agreement) -> bool {
    match who.require() {
        Ok(caller) if keeps_record(caller, grant.user_id, agreement) => true,
        _ => grant.is_active() && agreement.visible_to(who.scope()),
    }
}

/// Whether `caller` may revoke `grant` (over `agreement`) now: it is active
/// and the caller appoints the agreement's coordinators.
pub fn may_revoke(
    caller: &Caller,
    grant: &AgreementCoordinatorGrant,
    agreement: &Agreement,
) -> bool {
    grant.is_active() && grants_over(caller, agreement)
}

async fn agreement_of(app: &App, agreement_id: i64) -> AppResult<Agreement> {
    app.store
        .agreement(agreement_id)
        .await?
        .ok_or(AppError::NotFound("agreement"))
}

/// Makes the user registered with `email` a coordinator of `agreement_id`.
/// NOT_FOUND for an agreement the caller does not see, FORBIDDEN for one
/// they see but whose coordinators they do not appoint, BAD_USER_INPUT for
/// an unknown e-mail address, CONFLICT when the user coordinates it
/// already.
pub async fn grant(
    app: &App,
    caller: &Caller,
    agreement_id: i64,
    email: &str,
) -> AppResult<AgreementCoordinatorGrant> {
    let agreement = crate::agreements::visible(app, &caller.identity(), agreement_id).await?;
    if !grants_over(caller, &agreement) {
        return Err(AppError::denied(Message::new(
            "agreement.coordinator.grant.forbidden",
        )));
    }
    let email = validate::email("email", email)?;
    let store = &app.store;
    let user = store
        .user_by_email(&email)
        .await?
        .ok_or_else(|| AppError::invalid("email", Message::new("membership.email.unknown")))?;
    // Also refused by the database (one active grant per user and
    // agreement), when two requests grant it at once.
    let held = store
        .agreement_coordinator_grants(Some(user.id), Some(agreement_id), false)
        .await?;
    if !held.is_empty() {
        return Err(AppError::conflict_on(
            "email",
            Message::new("agreement.coordinator.exists"),
        ));
    }
    let granted = store
        .grant_agreement_coordinator(user.id, agreement_id, Some(caller.id()))
        .await;
    Ok(app.wrote(app.access_written(granted)?))
}

/// Revokes a grant (who appoints the agreement's coordinators). NOT_FOUND
/// for a grant the caller does not see, FORBIDDEN for one they see but may
/// not revoke, CONFLICT when it was revoked already.
pub async fn revoke(app: &App, caller: &Caller, id: i64) -> AppResult<AgreementCoordinatorGrant> {
    let who = caller.identity();
    let (found, agreement) = visible_with_agreement(app, &who, id).await?;
    if !grants_over(caller, &agreement) {
        return Err(AppError::denied(Message::new(
            "agreement.coordinator.revoke.forbidden",
        )));
    }
    if !found.is_active() {
        return Err(AppError::conflict(Message::new(
            "agreement.coordinator.revoked",
        )));
    }
    let revoked = app
        .store
        .revoke_agreement_coordinator(id, Some(caller.id()))
        .await;
    match app.wrote(app.access_written(revoked)?) {
        Some(grant) => Ok(grant),
        None => Err(AppError::conflict(Message::new(
            "agreement.coordinator.revoked",
        ))),
    }
}

async fn visible_with_agreement(
    app: &App,
    who: &Identity,
    id: i64,
) -> AppResult<(AgreementCoordinatorGrant, Agreement)> {
    let not_found = || AppError::NotFound("agreement coordinator grant");
    let grant = app
        .store
        .agreement_coordinator_grants_by_ids(&[id])
        .await?
        .pop()
        .ok_or_else(not_found)?;
    let agreement = agreement_of(app, grant.agreement_id).await?;
    if !sees(who, &grant, &agreement) {
        return Err(not_found());
    }
    Ok((grant, agreement))
}

/// A grant `who` may see, or NOT_FOUND.
pub async fn visible(app: &App, who: &Identity, id: i64) -> AppResult<AgreementCoordinatorGrant> {
    Ok(visible_with_agreement(app, who, id).await?.0)
}

/// Whether the caller may revoke `grant` now (`viewerCanRevoke`).
pub async fn viewer_can_revoke(
    app: &App,
    who: &Identity,
    grant: &AgreementCoordinatorGrant,
) -> AppResult<bool> {
    let Ok(caller) = who.require() else {
        return Ok(false);
    };
    if !grant.is_active() {
        return Ok(false);
    }
    let agreement = agreement_of(app, grant.agreement_id).await?;
    Ok(may_revoke(caller, grant, &agreement))
}

/// The active coordinators of `agreement`, oldest grant first: for whoever
/// sees the agreement (empty for anyone else).
pub async fn of_agreement(
    app: &App,
    who: &Identity,
    agreement: &Agreement,
) -> AppResult<Vec<AgreementCoordinatorGrant>> {
    if !agreement.visible_to(who.scope()) {
        return Ok(Vec::new());
    }
    Ok(app
        .store
        .agreement_coordinator_grants(None, Some(agreement.id), false)
        .await?)
}

/// The agreement coordinator grants of user `user_id` whose record the
/// caller keeps (the user themself, admins, who appoints the agreement's
/// coordinators), oldest first.
pub async fn of_user(
    app: &App,
    caller: &Caller,
    user_id: i64,
    include_revoked: bool,
) -> AppResult<Vec<AgreementCoordinatorGrant>> {
    let grants = app
        .store
        .agreement_coordinator_grants(Some(user_id), None, include_revoked)
        .await?;
    let mut ids: Vec<i64> = grants.iter().map(|g| g.agreement_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let agreements = app.store.agreements_by_ids(&ids).await?;
    Ok(grants
        .into_iter()
        .filter(|g| {
            agreements
                .iter()
                .find(|a| a.id == g.agreement_id)
                .is_some_and(|a| keeps_record(caller, g.user_id, a))
        })
        .collect())
}
