//! Framework agreements (合作框架协议): who may see, draft, confirm and end
//! them, and which projects and needs may be filed under one. The rules
//! themselves are in `iurhub_domain::policy`; the store guards each step's
//! state in the write's transaction.
//!
//! - Seeing: members of a party organisation (ORG_ADMINs of an organisation
//!   above one and coordinators whose scope includes one too), supervisors
//!   whose scope includes one, and admins; to anyone else an agreement does
//!   not exist (NOT_FOUND).
//! - Drafting (create, edit the terms, add and remove parties, set the
//!   people responsible): managers of a party (coordinators in scope
//!   included), and admins.
//! - Activation: every party confirms the draft — an ORG_ADMIN of the party
//!   (or of an organisation above it) confirms for it, an admin for all;
//!   the last confirmation makes it ACTIVE. Any edit of the draft's terms
//!   or parties clears the confirmations.
//! - Termination (with a reason): an ORG_ADMIN of any party, or an admin.
//! - EXPIRED is derived: an ACTIVE agreement whose term ended before today
//!   (China Standard Time).

use chrono::NaiveDate;
use iurhub_domain::records::agreements::{AgreementActor, MIN_PARTIES};
use iurhub_domain::validate::{self, Validator};
use iurhub_domain::{AgreementStatus, Message, ProjectArea, policy};
use iurhub_store::agreements::{
    Agreement, AgreementFilter, AgreementPatch, AgreementSort, NewAgreement,
};
use iurhub_store::page::{Page, PageArgs};

use crate::App;
use crate::caller::{Caller, Identity};
use crate::error::{AppError, AppResult};

const MAX_TITLE: usize = 200;
const MAX_REASON: usize = 2_000;
/// Most people responsible for one party.
pub const MAX_RESPONSIBLE: usize = 20;

/// "Today" for the terms: China Standard Time, as for need deadlines.
pub fn today() -> NaiveDate {
    validate::today_in_china(chrono::Utc::now())
}

fn actor(caller: &Caller) -> AgreementActor<'_> {
    AgreementActor {
        platform_role: caller.user().platform_role,
        managed_org_ids: caller.managed_org_ids(),
        administered_org_ids: caller.administered_org_ids(),
        coordinated_agreement_ids: caller.coordinated_agreement_ids(),
    }
}

/// After an agreement write committed: kept answers are forgotten.
fn written(app: &App) {
    app.written();
}

/// The agreement, if `who` may see it; NOT_FOUND otherwise (the same
/// answer as for an id that names nothing).
pub async fn visible(app: &App, who: &Identity, id: i64) -> AppResult<Agreement> {
    match app.store.agreement(id).await? {
        Some(a) if a.visible_to(who.scope()) => Ok(a),
        _ => Err(AppError::NotFound("agreement")),
    }
}

/// Whether the caller may edit the agreement (terms, parties, people).
pub fn can_edit(caller: &Caller, agreement: &Agreement) -> bool {
    policy::may_edit_agreement(actor(caller), agreement)
}

/// The parties the caller confirms for.
pub fn confirms_for(caller: &Caller, agreement: &Agreement) -> Vec<i64> {
    policy::agreement_parties_confirmed_by(actor(caller), agreement)
}

/// Visible and editable by the caller: NOT_FOUND, then FORBIDDEN.
async fn editable(app: &App, caller: &Caller, id: i64) -> AppResult<Agreement> {
    let agreement = visible(app, &caller.identity(), id).await?;
    if !can_edit(caller, &agreement) {
        return Err(AppError::denied(Message::new("agreement.write.forbidden")));
    }
    Ok(agreement)
}

/// What a new agreement is.
#[derive(Debug, Clone)]
pub struct AgreementInput {
    pub title: String,
    pub signed_on: Option<NaiveDate>,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub areas: Vec<ProjectArea>,
    pub party_ids: Vec<i64>,
}

fn check_term(v: &mut Validator, start: NaiveDate, end: NaiveDate) {
    if end < start {
        v.fail("termEnd", Message::new("agreement.term.end_before_start"));
    }
}

fn check_areas(v: &mut Validator, areas: &[ProjectArea]) {
    if areas.is_empty() {
        v.fail("areas", Message::new("agreement.areas.required"));
    }
}

/// Creates a DRAFT between at least two organisations; the caller must
/// manage one of them (or be an admin). Every bad field is named at once.
pub async fn create(app: &App, caller: &Caller, input: AgreementInput) -> AppResult<Agreement> {
    let mut v = Validator::new();
    let title = v.text("title", &input.title, 1, MAX_TITLE);
    check_term(&mut v, input.term_start, input.term_end);
    check_areas(&mut v, &input.areas);
    let mut parties = input.party_ids.clone();
    parties.sort_unstable();
    parties.dedup();
    if parties.len() < MIN_PARTIES {
        v.fail(
            "partyOrganizationIds",
            Message::new("agreement.parties.too_few").with("min", MIN_PARTIES),
        );
    } else if app.store.organizations_by_ids(&parties).await?.len() != parties.len() {
        v.fail(
            "partyOrganizationIds",
            Message::new("agreement.parties.unknown"),
        );
    }
    v.finish()?;
    if !policy::may_create_agreement(actor(caller), &parties) {
        return Err(AppError::denied(Message::new("agreement.create.forbidden")));
    }
    let agreement = app
        .store
        .create_agreement(
            NewAgreement {
                title,
                signed_on: input.signed_on,
                term_start: input.term_start,
                term_end: input.term_end,
                areas: input.areas,
                party_ids: parties,
            },
            caller.id(),
        )
        .await?;
    written(app);
    Ok(agreement)
}

/// Changes a draft's title, signing date, term or areas; every party must
/// confirm again.
pub async fn update(
    app: &App,
    caller: &Caller,
    id: i64,
    mut patch: AgreementPatch,
    version: Option<i32>,
) -> AppResult<Agreement> {
    let current = editable(app, caller, id).await?;
    let mut v = Validator::new();
    if let Some(t) = &patch.title {
        patch.title = Some(v.text("title", t, 1, MAX_TITLE));
    }
    check_term(
        &mut v,
        patch.term_start.unwrap_or(current.term_start),
        patch.term_end.unwrap_or(current.term_end),
    );
    if let Some(areas) = &patch.areas {
        check_areas(&mut v, areas);
    }
    v.finish()?;
    let agreement = app
        .store
        .update_agreement(id, patch, version, today())
        .await?;
    written(app);
    Ok(agreement)
}

/// Adds an organisation to a draft.
pub async fn add_party(
    app: &App,
    caller: &Caller,
    id: i64,
    organization_id: i64,
    version: Option<i32>,
) -> AppResult<Agreement> {
    editable(app, caller, id).await?;
    if app
        .store
        .organizations_by_ids(&[organization_id])
        .await?
        .is_empty()
    {
        return Err(AppError::invalid(
            "organizationId",
            Message::new("organization.unknown"),
        ));
    }
    let agreement = app
        .store
        .add_agreement_party(id, organization_id, version, today())
        .await?;
    written(app);
    Ok(agreement)
}

/// Takes an organisation out of a draft (at least two parties stay).
pub async fn remove_party(
    app: &App,
    caller: &Caller,
    id: i64,
    organization_id: i64,
    version: Option<i32>,
) -> AppResult<Agreement> {
    editable(app, caller, id).await?;
    let agreement = app
        .store
        .remove_agreement_party(id, organization_id, version, today(), MIN_PARTIES)
        .await?;
    written(app);
    Ok(agreement)
}

/// Names the people responsible for one party (members of that party
/// organisation or of an organisation below it), replacing the previous
/// ones; in a draft or an agreement in force.
pub async fn set_responsible(
    app: &App,
    caller: &Caller,
    id: i64,
    organization_id: i64,
    user_ids: Vec<i64>,
    version: Option<i32>,
) -> AppResult<Agreement> {
    let current = editable(app, caller, id).await?;
    let mut users = user_ids;
    users.sort_unstable();
    users.dedup();
    if current.party(organization_id).is_none() {
        return Err(AppError::invalid(
            "organizationId",
            Message::new("agreement.party.unknown"),
        ));
    }
    if users.len() > MAX_RESPONSIBLE {
        return Err(AppError::invalid(
            "userIds",
            Message::new("agreement.responsible.too_many").with("max", MAX_RESPONSIBLE),
        ));
    }
    // The party, or a department, college or lab of it: a group's
    // agreement is run by the heads of its institutes as well.
    let subtree = app.store.organization_subtree_ids(organization_id).await?;
    for user in &users {
        let member = app.store.user(*user).await?.is_some()
            && app
                .store
                .managed_organization_ids(*user)
                .await?
                .iter()
                .any(|o| subtree.contains(o));
        if !member {
            return Err(AppError::invalid(
                "userIds",
                Message::new("agreement.responsible.not_member"),
            ));
        }
    }
    let agreement = app
        .store
        .set_agreement_responsibles(id, organization_id, users, version, today())
        .await?;
    written(app);
    Ok(agreement)
}

/// Confirms a draft for the parties the caller administers (an admin: all
/// of them); the last party's confirmation makes it ACTIVE.
pub async fn activate(
    app: &App,
    caller: &Caller,
    id: i64,
    version: Option<i32>,
) -> AppResult<Agreement> {
    let current = visible(app, &caller.identity(), id).await?;
    let status = current.status_on(today());
    if status != AgreementStatus::Draft {
        return Err(
            iurhub_store::agreements::transition_conflict(status, AgreementStatus::Active).into(),
        );
    }
    let parties = confirms_for(caller, &current);
    if parties.is_empty() {
        return Err(AppError::denied(Message::new(
            "agreement.activate.forbidden",
        )));
    }
    let agreement = app
        .store
        .confirm_agreement(id, &parties, caller.id(), version, today())
        .await?;
    written(app);
    Ok(agreement)
}

/// Ends a draft or an agreement in force, saying why.
pub async fn terminate(
    app: &App,
    caller: &Caller,
    id: i64,
    reason: &str,
    version: Option<i32>,
) -> AppResult<Agreement> {
    let current = visible(app, &caller.identity(), id).await?;
    if !policy::may_terminate_agreement(actor(caller), &current) {
        return Err(AppError::denied(Message::new(
            "agreement.terminate.forbidden",
        )));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            Message::new("agreement.termination.reason_required"),
        ));
    }
    let reason = validate::text("reason", reason, 1, MAX_REASON)?;
    let agreement = app
        .store
        .terminate_agreement(id, reason, version, today())
        .await?;
    written(app);
    Ok(agreement)
}

/// Whether a list is newest first unless asked otherwise (both orders are).
pub fn descending_by_default(_sort: AgreementSort) -> bool {
    true
}

/// The cursor tag of an agreement list in this order.
pub fn list_tag(sort: AgreementSort, descending: bool) -> String {
    let direction = if descending { "Desc" } else { "Asc" };
    format!("agreements:{sort:?}:{direction}")
}

/// The agreements the caller may see, one page; statuses judged on today.
pub async fn list(
    app: &App,
    caller: &Caller,
    mut filter: AgreementFilter,
    sort: AgreementSort,
    descending: bool,
    args: PageArgs,
) -> AppResult<Page<Agreement>> {
    filter.today = Some(today());
    Ok(app
        .store
        .list_agreements(caller.scope(), &filter, sort, descending, args)
        .await?)
}

/// The agreement a project or need is to be filed under (`field` names
/// the input): one the caller may see (else BAD_USER_INPUT, as for an id
/// that names nothing), whose parties the caller manages (else
/// FORBIDDEN), a draft or in force (else CONFLICT).
pub async fn linkable(app: &App, caller: &Caller, field: &str, id: i64) -> AppResult<Agreement> {
    let agreement = visible(app, &caller.identity(), id)
        .await
        .map_err(|e| match e {
            AppError::NotFound(_) => AppError::invalid(field, Message::new("agreement.unknown")),
            other => other,
        })?;
    if !policy::may_link_to_agreement(actor(caller), &agreement) {
        return Err(AppError::denied(Message::new("agreement.link.forbidden")));
    }
    let status = agreement.status_on(today());
    if !status.accepts_links() {
        return Err(AppError::conflict_on(
            field,
            Message::new("agreement.link.closed").with("status", status),
        ));
    }
    Ok(agreement)
}
