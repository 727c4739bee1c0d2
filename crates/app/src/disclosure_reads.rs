//! Reading a CONFIDENTIAL need through a disclosure in force: the rule the
//! lookups of needs (`crate::needs::visible`), the capability side of
//! matching (`crate::matching::need_sight`) and conversations
//! (`crate::threads`) share, below the disclosures' own operations
//! (`crate::disclosures`), which look needs up themselves.

use iurhub_domain::records::disclosures::Disclosure;
use iurhub_domain::records::scope::Scope;
use iurhub_domain::{Visibility, policy};
use iurhub_store::needs::Need;

use crate::App;
use crate::caller::Identity;
use crate::error::AppResult;

/// The disclosure in force through which a reader of `scope` reads `need`,
/// which the visibility rules alone do not show them
/// ([`policy::reads_by_disclosure`]); `None` when there is none. Nothing is
/// logged: for rules and counts, never before showing the text (that is
/// [`read_through_disclosure`]).
pub(crate) async fn in_force_for(
    app: &App,
    scope: &Scope,
    need: &Need,
) -> AppResult<Option<Disclosure>> {
    // Only a released CONFIDENTIAL need read by a signed-in user can be
    // disclosed: anything else costs no statement.
    if need.visibility != Visibility::Confidential
        || !need.status.is_released()
        || !scope.signed_in()
    {
        return Ok(None);
    }
    let in_force = in_force(app, need).await?;
    let orgs: Vec<i64> = in_force.iter().map(|d| d.organization_id).collect();
    if !policy::reads_by_disclosure(scope, need, &orgs) {
        return Ok(None);
    }
    Ok(in_force
        .into_iter()
        .find(|d| policy::may_manage(scope, d.organization_id)))
}

/// The disclosure through which `who` reads `need`, which the visibility
/// rules alone do not show them ([`policy::reads_by_disclosure`]); the read
/// is logged before the need is shown. `None` when there is none in force.
pub(crate) async fn read_through_disclosure(
    app: &App,
    who: &Identity,
    need: &Need,
) -> AppResult<Option<Disclosure>> {
    let Identity::User(caller) = who else {
        return Ok(None);
    };
    let Some(d) = in_force_for(app, who.scope(), need).await? else {
        return Ok(None);
    };
    app.store.log_disclosure_read(&d, caller.id()).await?;
    Ok(Some(d))
}

/// Whether the conversation of a match of `need` is open to the
/// capability's organisation `organization_id`: a disclosure of the need
/// to it is in force (the need's side decided to show it the need).
pub(crate) async fn disclosed_to(app: &App, need: &Need, organization_id: i64) -> AppResult<bool> {
    Ok(in_force(app, need)
        .await?
        .iter()
        .any(|d| d.organization_id == organization_id))
}

/// The disclosures of `need` in force (ACCEPTED).
async fn in_force(app: &App, need: &Need) -> AppResult<Vec<Disclosure>> {
    let mut all = app.store.need_disclosures(need.id).await?;
    all.retain(Disclosure::is_in_force);
    Ok(all)
}
