//! Talent profiles: visible to signed-in users; changed by their owner, the
//! organisation's members, coordinators and admins.

use iurhub_domain::validate::TalentFields;
use iurhub_store::page::{Page, PageArgs};
use iurhub_store::talents::{Talent, TalentFilter, TalentSort};
use iurhub_store::taxonomy::TaxonomyKind;

use super::{check_codes, require_manageable_org};
use crate::App;
use crate::caller::Caller;
use crate::error::{AppError, AppResult};

pub async fn visible(app: &App, _caller: &Caller, id: i64) -> AppResult<Talent> {
    let store = &app.store;
    store.talent(id).await?.ok_or(AppError::NotFound("talent"))
}

/// The person themselves, members of the profile's organisation,
/// coordinators and admins change a talent profile, and only they may name it
/// as responsible for a capability.
pub fn may_link(caller: &Caller, talent: &Talent) -> bool {
    talent.user_id == Some(caller.id()) || caller.can_manage(talent.organization_id)
}

/// Creates a profile, or replaces profile `id`. With `link_to_me`, the profile
/// is the caller's own (created once, then updated).
pub async fn upsert(
    app: &App,
    caller: &Caller,
    id: Option<i64>,
    link_to_me: bool,
    fields: TalentFields,
) -> AppResult<Talent> {
    let store = &app.store;
    let fields = fields.validate()?;
    check_codes(
        app,
        "disciplineCodes",
        TaxonomyKind::Discipline,
        &fields.discipline_codes,
    )
    .await?;
    let existing = match (id, link_to_me) {
        (Some(id), _) => Some(visible(app, caller, id).await?),
        (None, true) => store.talent_of_user(caller.id()).await?,
        (None, false) => None,
    };
    let talent = match existing {
        Some(talent) => {
            if !may_link(caller, &talent) {
                return Err(AppError::forbidden(
                    "only the person, members of their organization, coordinators and admins may change a talent profile",
                ));
            }
            if talent.organization_id != fields.organization_id {
                require_manageable_org(app, caller, fields.organization_id).await?;
            }
            store
                .save_talent(Some(talent.id), talent.user_id, fields)
                .await?
        }
        None => {
            require_manageable_org(app, caller, fields.organization_id).await?;
            let user_id = link_to_me.then(|| caller.id());
            store.save_talent(None, user_id, fields).await?
        }
    };
    app.talents_written(std::slice::from_ref(&talent));
    Ok(talent)
}

/// Talent profiles, one page (every signed-in user sees them all).
pub async fn list(
    app: &App,
    filter: &TalentFilter,
    sort: TalentSort,
    descending: bool,
    args: PageArgs,
) -> AppResult<Page<Talent>> {
    Ok(app
        .store
        .list_talents(filter, sort, descending, args)
        .await?)
}
