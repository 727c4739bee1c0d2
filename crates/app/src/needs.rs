//! Technology needs: who may see and change them, and how.

use iurhub_domain::records::notifications::Notices;
use iurhub_domain::validate::{self, NeedFields};
use iurhub_domain::{CooperationMode, DomainError, FieldError, NeedStatus, Visibility};
use iurhub_store::needs::{Need, NeedFilter, NeedSort};
use iurhub_store::organizations::Organization;
use iurhub_store::page::{Page, PageArgs};
use iurhub_store::taxonomy::TaxonomyKind;

use super::{owning_org_problem, unknown_codes};
use crate::App;
use crate::caller::{Caller, Identity};
use crate::error::{AppError, AppResult, ErrorCode};
use iurhub_domain::Message;

/// Changed fields of a need; `None` keeps the stored value.
#[derive(Debug, Default)]
pub struct NeedPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub keywords: Option<Vec<String>>,
    pub discipline_codes: Option<Vec<String>>,
    pub industry_codes: Option<Vec<String>>,
    pub trl_required: Option<Option<i32>>,
    pub budget_min: Option<Option<i64>>,
    pub budget_max: Option<Option<i64>>,
    pub deadline: Option<Option<chrono::NaiveDate>>,
    pub cooperation_modes: Option<Vec<CooperationMode>>,
    pub visibility: Option<Visibility>,
    /// `Some(Some(id))` files the need under agreement `id`
    /// ([`crate::agreements::linkable`]), `Some(None)` takes it out.
    pub agreement_id: Option<Option<i64>>,
}

/// A need the caller may see, or NOT_FOUND (also when it exists but is
/// hidden): by the visibility rules, or — a CONFIDENTIAL need — through a
/// disclosure in force to an organisation the caller manages, the read
/// logged ([`crate::disclosure_reads`]).
pub async fn visible(app: &App, who: &Identity, id: i64) -> AppResult<Need> {
    let Some(need) = app.store.need(id).await? else {
        return Err(AppError::NotFound("need"));
    };
    if need.visible_to(who.scope())
        || crate::disclosure_reads::read_through_disclosure(app, who, &need)
            .await?
            .is_some()
    {
        Ok(need)
    } else {
        Err(AppError::NotFound("need"))
    }
}

/// A need the caller may change: NOT_FOUND when hidden, FORBIDDEN when only visible.
async fn manageable(app: &App, caller: &Caller, id: i64) -> AppResult<Need> {
    let _store = &app.store;
    let need = visible(app, &caller.identity(), id).await?;
    if !caller.can_manage(need.organization_id) {
        return Err(AppError::keyed(
            ErrorCode::Forbidden,
            Message::new("need.write.forbidden"),
        ));
    }
    Ok(need)
}

/// The problem of a new deadline that lies before today (China Standard
/// Time, Asia/Shanghai), if it does: every new deadline — of a created need,
/// an imported one over the API, or one an update changes — must be today or
/// later.
pub fn past_deadline(deadline: Option<chrono::NaiveDate>) -> Option<FieldError> {
    validate::deadline(
        "deadline",
        deadline?,
        validate::today_in_china(chrono::Utc::now()),
    )
}

/// Checks every rule at once: the fields' own, the codes against the
/// shipped classifications (the well-formed ones), and the deadline when it
/// is new (`deadline_changed`): today or later in China Standard Time.
async fn check(
    app: &App,
    fields: NeedFields,
    deadline_changed: bool,
    found: Option<FieldError>,
) -> AppResult<NeedFields> {
    let (fields, mut errors) = fields.checked();
    errors.extend(found);
    for (field, kind, codes) in [
        (
            "disciplineCodes",
            TaxonomyKind::Discipline,
            &fields.discipline_codes,
        ),
        (
            "industryCodes",
            TaxonomyKind::Industry,
            &fields.industry_codes,
        ),
    ] {
        if let Some(error) = unknown_codes(app, field, kind, codes).await? {
            errors.push(error);
        }
    }
    if deadline_changed && let Some(error) = past_deadline(fields.deadline) {
        errors.push(error);
    }
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(DomainError::Validation(errors).into())
    }
}

pub async fn create(
    app: &App,
    caller: &Caller,
    organization_id: i64,
    fields: NeedFields,
) -> AppResult<Need> {
    create_in(app, caller, organization_id, fields, None).await
}

/// [`create`], the need filed under agreement `agreement_id`.
pub async fn create_in(
    app: &App,
    caller: &Caller,
    organization_id: i64,
    fields: NeedFields,
    agreement_id: Option<i64>,
) -> AppResult<Need> {
    let store = &app.store;
    let org = owning_org_problem(app, caller, organization_id).await?;
    let fields = check(app, fields, true, org).await?;
    if let Some(agreement) = agreement_id {
        crate::agreements::linkable(app, caller, "agreementId", agreement).await?;
    }
    let need = store
        .create_need_in(organization_id, caller.id(), fields, agreement_id)
        .await?;
    app.needs_written(std::slice::from_ref(&need)).await;
    Ok(need)
}

pub async fn update(
    app: &App,
    caller: &Caller,
    id: i64,
    patch: NeedPatch,
    version: Option<i32>,
) -> AppResult<Need> {
    let store = &app.store;
    let need = manageable(app, caller, id).await?;
    if !need.status.is_editable() {
        return Err(AppError::keyed(
            ErrorCode::BadUserInput,
            Message::new("need.not_editable").with("status", need.status),
        ));
    }
    let (disciplines, industries) = store.need_codes(id).await?;
    let need_agreement = need.agreement_id;
    // A deadline that passed may stay; only a new one must be today or later.
    let deadline_changed = patch
        .deadline
        .is_some_and(|d| d.is_some() && d != need.deadline);
    let fields = NeedFields {
        title: patch.title.unwrap_or(need.title),
        description: patch.description.unwrap_or(need.description),
        keywords: patch.keywords.unwrap_or(need.keywords),
        discipline_codes: patch.discipline_codes.unwrap_or(disciplines),
        industry_codes: patch.industry_codes.unwrap_or(industries),
        trl_required: patch.trl_required.unwrap_or(need.trl_required),
        budget_min: patch.budget_min.unwrap_or(need.budget_min),
        budget_max: patch.budget_max.unwrap_or(need.budget_max),
        deadline: patch.deadline.unwrap_or(need.deadline),
        cooperation_modes: patch.cooperation_modes.unwrap_or(need.cooperation_modes),
        visibility: patch.visibility.unwrap_or(need.visibility),
    };
    let fields = check(app, fields, deadline_changed, None).await?;
    if let Some(Some(agreement)) = patch.agreement_id
        && Some(agreement) != need_agreement
    {
        crate::agreements::linkable(app, caller, "agreementId", agreement).await?;
    }
    let need = store
        .update_need_in(id, fields, patch.agreement_id, version)
        .await?;
    app.needs_written(std::slice::from_ref(&need)).await;
    Ok(need)
}

/// Moves a need through its life cycle (publish, withdraw, close).
pub async fn transition(app: &App, caller: &Caller, id: i64, to: NeedStatus) -> AppResult<Need> {
    let store = &app.store;
    let need = manageable(app, caller, id).await?;
    need.status.transition(to)?;
    let need = store
        .set_need_status(id, need.status, to, &mut Notices::none())
        .await?;
    app.needs_written(std::slice::from_ref(&need)).await;
    Ok(need)
}

/// Confirms a need current (its owners: those who may edit it; a DRAFT
/// or PUBLISHED need).
pub async fn confirm(app: &App, caller: &Caller, id: i64) -> AppResult<Need> {
    let need = manageable(app, caller, id).await?;
    if !need.status.is_editable() {
        return Err(AppError::keyed(
            ErrorCode::BadUserInput,
            Message::new("need.not_editable").with("status", need.status),
        ));
    }
    Ok(app.store.confirm_need(id).await?)
}

/// Needs the caller may see, one page (public ones for everybody, platform
/// ones for signed-in users, every need of the caller's organisations).
pub async fn list(
    app: &App,
    who: &Identity,
    filter: &NeedFilter,
    sort: NeedSort,
    descending: bool,
    args: PageArgs,
) -> AppResult<Page<Need>> {
    Ok(app
        .store
        .list_needs(who.scope(), filter, sort, descending, args)
        .await?)
}

/// [`list`], each need with its organisation, read in the same statement.
pub async fn list_with_organizations(
    app: &App,
    who: &Identity,
    filter: &NeedFilter,
    sort: NeedSort,
    descending: bool,
    args: PageArgs,
) -> AppResult<Page<(Need, Option<Organization>)>> {
    Ok(app
        .store
        .list_needs_with_organizations(who.scope(), filter, sort, descending, args)
        .await?)
}
