//! Talent profiles: visible to signed-in users; changed by their owner, the
//! organisation's members, coordinators and admins.

use iurhub_domain::Message;
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

/// What to change of a talent profile; `None` keeps the value (for a new
/// profile: `organization_id` and `name` are required, the rest defaults to
/// empty).
#[derive(Debug, Clone, Default)]
pub struct TalentPatch {
    pub organization_id: Option<i64>,
    pub name: Option<String>,
    /// `Some(None)` clears the title.
    pub title: Option<Option<String>>,
    pub bio: Option<String>,
    pub keywords: Option<Vec<String>>,
    pub discipline_codes: Option<Vec<String>>,
    pub availability: Option<Vec<iurhub_domain::CooperationMode>>,
}

/// Creates a profile, or changes profile `id` (with `link_to_me` and no
/// `id`: the caller's own profile, created once, then changed). Fields the
/// patch leaves out keep their values; a stale `version` is a CONFLICT.
pub async fn upsert(
    app: &App,
    caller: &Caller,
    id: Option<i64>,
    link_to_me: bool,
    patch: TalentPatch,
    version: Option<i32>,
) -> AppResult<Talent> {
    let store = &app.store;
    let existing = match (id, link_to_me) {
        (Some(id), _) => Some(visible(app, caller, id).await?),
        (None, true) => store.talent_of_user(caller.id()).await?,
        (None, false) => None,
    };
    let talent = match existing {
        Some(talent) => {
            if !may_link(caller, &talent) {
                return Err(AppError::denied(Message::new("talent.write.forbidden")));
            }
            let disciplines = store
                .talent_disciplines(&[talent.id])
                .await?
                .remove(&talent.id)
                .unwrap_or_default();
            let fields = TalentFields {
                organization_id: patch.organization_id.unwrap_or(talent.organization_id),
                name: patch.name.unwrap_or(talent.name.clone()),
                title: patch.title.unwrap_or(talent.title.clone()),
                bio: patch.bio.unwrap_or(talent.bio.clone()),
                keywords: patch.keywords.unwrap_or(talent.keywords.clone()),
                discipline_codes: patch.discipline_codes.unwrap_or(disciplines),
                availability: patch.availability.unwrap_or(talent.availability.clone()),
            };
            let fields = checked(app, fields).await?;
            if talent.organization_id != fields.organization_id {
                require_manageable_org(app, caller, fields.organization_id).await?;
            }
            store
                .save_talent(Some(talent.id), talent.user_id, fields, version)
                .await?
        }
        None => {
            if version.is_some() {
                return Err(AppError::invalid(
                    "version",
                    Message::new("talent.version.unexpected"),
                ));
            }
            let mut missing = Vec::new();
            if patch.organization_id.is_none() {
                missing.push("organizationId");
            }
            if patch.name.is_none() {
                missing.push("name");
            }
            if let Some(field) = missing.first() {
                return Err(AppError::invalid(
                    field,
                    Message::new("talent.create.required"),
                ));
            }
            let fields = TalentFields {
                organization_id: patch.organization_id.unwrap_or_default(),
                name: patch.name.unwrap_or_default(),
                title: patch.title.flatten(),
                bio: patch.bio.unwrap_or_default(),
                keywords: patch.keywords.unwrap_or_default(),
                discipline_codes: patch.discipline_codes.unwrap_or_default(),
                availability: patch.availability.unwrap_or_default(),
            };
            let fields = checked(app, fields).await?;
            require_manageable_org(app, caller, fields.organization_id).await?;
            let user_id = link_to_me.then(|| caller.id());
            store.save_talent(None, user_id, fields, None).await?
        }
    };
    app.talents_written(std::slice::from_ref(&talent)).await;
    Ok(talent)
}

async fn checked(app: &App, fields: TalentFields) -> AppResult<TalentFields> {
    let fields = fields.validate()?;
    check_codes(
        app,
        "disciplineCodes",
        TaxonomyKind::Discipline,
        &fields.discipline_codes,
    )
    .await?;
    Ok(fields)
}

/// The talent profile linked to a user (their own), if any.
pub async fn of_user(app: &App, user_id: i64) -> AppResult<Option<Talent>> {
    Ok(app.store.talent_of_user(user_id).await?)
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
