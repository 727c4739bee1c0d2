//! Cooperation projects: who may see and change them, and the rules of their
//! life cycle and checklists. Every write tells subscribers (`events`).

use chrono::NaiveDate;
use iurhub_domain::NotificationKind;
use iurhub_domain::records::notifications::{NewNotice, NoticeSubject, Notices, Recipients};
use iurhub_domain::{
    ChecklistStatus, MatchStatus, Message, PartyConsent, ProjectArea, ProjectStatus, Visibility,
    policy,
};
use iurhub_store::page::{Page, PageArgs};
use iurhub_store::projects::{
    ChecklistItem, ItemPatch, Milestone, MoveOutcome, NewItem, NewProject, Project, ProjectEvent,
    ProjectFilter, ProjectPatch, ProjectSort,
};

use crate::App;
use crate::caller::{Caller, Identity};
use crate::error::{AppError, AppResult};
use crate::events::Event;

const MAX_TITLE: usize = 200;
const MAX_NOTE: usize = 2_000;

/// The project, if `who` may see it (admins: all; others: projects one of
/// the organisations they manage, coordinate or supervise takes part in).
pub async fn visible(app: &App, who: &Identity, id: i64) -> AppResult<Project> {
    let store = &app.store;
    match store.project(id).await? {
        Some(p) if p.visible_to(who.scope()) => Ok(p),
        _ => Err(AppError::NotFound("project")),
    }
}

/// Members of a party organisation, coordinators (of a party, or of the
/// agreement the project is filed under) and admins change projects
/// ([`iurhub_domain::policy::may_edit_project`]).
pub fn can_edit(caller: &Caller, project: &Project) -> bool {
    iurhub_domain::policy::may_edit_project(caller.scope(), project)
}

async fn editable(app: &App, caller: &Caller, id: i64) -> AppResult<Project> {
    let _store = &app.store;
    let project = visible(app, &caller.identity(), id).await?;
    if !can_edit(caller, &project) {
        return Err(AppError::denied(Message::new("project.write.forbidden")));
    }
    if matches!(
        project.status,
        ProjectStatus::Completed | ProjectStatus::Terminated
    ) {
        return Err(AppError::invalid(
            "id",
            Message::new("project.not_editable").with("status", project.status),
        ));
    }
    Ok(project)
}

fn title(field: &str, value: &str) -> AppResult<String> {
    Ok(iurhub_domain::validate::text(field, value, 1, MAX_TITLE)?)
}

fn note(field: &str, value: Option<String>) -> AppResult<Option<String>> {
    let value = value.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    Ok(value
        .map(|n| iurhub_domain::validate::text(field, &n, 1, MAX_NOTE))
        .transpose()?)
}

fn dates(start: Option<NaiveDate>, end: Option<NaiveDate>) -> AppResult<()> {
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        return Err(AppError::invalid(
            "endDate",
            Message::new("project.end_date.before_start"),
        ));
    }
    Ok(())
}

/// After a project write committed: subscribers hear of it and kept answers
/// are forgotten.
fn announce(app: &App, project_id: i64) {
    app.events.publish(Event::ProjectChanged { project_id });
    app.written();
}

/// What a new project is.
#[derive(Debug, Clone)]
pub struct ProjectInput {
    pub title: String,
    pub area: ProjectArea,
    pub party_ids: Vec<i64>,
    pub need_id: Option<i64>,
    pub capability_id: Option<i64>,
    /// The framework agreement it belongs to: one the caller may file work
    /// under ([`crate::agreements::linkable`]).
    pub agreement_id: Option<i64>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// The cooperation funding contracted, in fen.
    pub funding: Option<i64>,
}

/// Funding is an amount of zero or more.
fn funding(value: Option<i64>) -> AppResult<()> {
    match value {
        Some(fen) if fen < 0 => Err(AppError::invalid("funding", Message::new("value.negative"))),
        _ => Ok(()),
    }
}

pub async fn create(app: &App, caller: &Caller, input: ProjectInput) -> AppResult<Project> {
    let store = &app.store;
    let title = title("title", &input.title)?;
    dates(input.start_date, input.end_date)?;
    funding(input.funding)?;
    let mut parties = input.party_ids.clone();
    parties.sort_unstable();
    parties.dedup();
    if parties.is_empty() {
        return Err(AppError::invalid(
            "partyOrganizationIds",
            Message::new("project.parties.required"),
        ));
    }
    let found = store.organizations_by_ids(&parties).await?;
    if found.len() != parties.len() {
        return Err(AppError::invalid(
            "partyOrganizationIds",
            Message::new("project.parties.unknown"),
        ));
    }
    if !parties.iter().any(|org| caller.can_manage(*org)) {
        return Err(AppError::denied(Message::new("project.create.forbidden")));
    }
    let who = caller.identity();
    // A project moves the need it names (IN_COOPERATION while it runs) and
    // counts for the parties' track record: only a need or capability the
    // caller manages, of an organisation that is a party, may be linked.
    if let Some(need) = input.need_id {
        let need = super::needs::visible(app, &who, need)
            .await
            .map_err(|_| AppError::invalid("needId", Message::new("need.unknown")))?;
        linkable(caller, &parties, Link::Need, need.organization_id)?;
    }
    if let Some(capability) = input.capability_id {
        let capability = super::capabilities::visible(app, &who, capability)
            .await
            .map_err(|_| AppError::invalid("capabilityId", Message::new("capability.unknown")))?;
        linkable(
            caller,
            &parties,
            Link::Capability,
            capability.organization_id,
        )?;
    }
    if let Some(agreement) = input.agreement_id {
        crate::agreements::linkable(app, caller, "agreementId", agreement).await?;
    }
    let new = NewProject {
        title,
        area: input.area,
        need_id: input.need_id,
        capability_id: input.capability_id,
        match_id: None,
        agreement_id: input.agreement_id,
        start_date: input.start_date,
        end_date: input.end_date,
        funding: input.funding,
        accepted_party_ids: own_parties(caller, &parties),
        party_ids: parties,
    };
    created(app, caller, new).await
}

/// Stores a new project with the invitations of the parties the creator
/// does not manage: their members are told (`PROJECT_INVITATION`).
async fn created(app: &App, caller: &Caller, new: NewProject) -> AppResult<Project> {
    let invited: Vec<i64> = new
        .party_ids
        .iter()
        .copied()
        .filter(|p| !new.accepted_party_ids.contains(p))
        .collect();
    let mut notices = Notices::none();
    if !invited.is_empty() {
        let inviter = match new.accepted_party_ids.first() {
            Some(org) => app.store.organization(*org).await?.map(|o| o.name),
            None => None,
        };
        notices.push(
            NewNotice::new(
                NotificationKind::ProjectInvitation,
                Recipients::MembersOf(invited),
            )
            .by(caller.id())
            .with("project", &new.title)
            .with(
                "organization",
                inviter.unwrap_or_else(|| caller.user().display_name.clone()),
            ),
        );
    }
    let project = app
        .store
        .create_project(new, caller.id(), &mut notices)
        .await?;
    crate::notifications::written(app, &notices);
    announce(app, project.id);
    Ok(project)
}

/// What a new project links to besides its parties.
#[derive(Debug, Clone, Copy)]
enum Link {
    Need,
    Capability,
}

/// A need or capability of `owner` may be linked to a new project by someone
/// who manages `owner`, and only when `owner` is one of the project's parties.
fn linkable(caller: &Caller, parties: &[i64], link: Link, owner: i64) -> AppResult<()> {
    let (field, forbidden, not_party) = match link {
        Link::Need => (
            "needId",
            "project.need.link_forbidden",
            "project.need.not_party",
        ),
        Link::Capability => (
            "capabilityId",
            "project.capability.link_forbidden",
            "project.capability.not_party",
        ),
    };
    if !caller.can_manage(owner) {
        return Err(AppError::denied(Message::new(forbidden)));
    }
    if !parties.contains(&owner) {
        return Err(AppError::invalid(field, Message::new(not_party)));
    }
    Ok(())
}

/// A project for an ACCEPTED match: the need's and the capability's
/// organisations are the parties; one project per match.
#[allow(clippy::too_many_arguments)]
pub async fn create_from_match(
    app: &App,
    caller: &Caller,
    need_id: i64,
    capability_id: i64,
    area: ProjectArea,
    title_override: Option<String>,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
    agreement_id: Option<i64>,
) -> AppResult<Project> {
    let store = &app.store;
    dates(start_date, end_date)?;
    let who = caller.identity();
    let need = super::needs::visible(app, &who, need_id)
        .await
        .map_err(|_| AppError::NotFound("match"))?;
    crate::matching::may_decide(&who, &need)?;
    let capability = super::capabilities::visible(app, &who, capability_id)
        .await
        .map_err(|_| AppError::NotFound("match"))?;
    let row = store.match_row(need_id, capability_id).await?;
    let status = row.as_ref().map_or(MatchStatus::Suggested, |r| r.status);
    let Some(row) = row.filter(|_| status == MatchStatus::Accepted) else {
        return Err(AppError::invalid(
            "matchId",
            Message::new("project.match.not_accepted").with("status", status),
        ));
    };
    if store.project_of_match(row.id).await?.is_some() {
        return Err(AppError::conflict_on(
            "matchId",
            Message::new("project.match.taken"),
        ));
    }
    let title = match title_override {
        Some(t) => title("title", &t)?,
        // The capability's organisation becomes a party and sees the
        // project, never a confidential need's text: no copy of its title.
        None if need.visibility == Visibility::Confidential => {
            return Err(AppError::invalid(
                "title",
                Message::new("project.title.confidential_need"),
            ));
        }
        None => need.title.chars().take(MAX_TITLE).collect(),
    };
    if let Some(agreement) = agreement_id {
        crate::agreements::linkable(app, caller, "agreementId", agreement).await?;
    }
    let new = NewProject {
        title,
        area,
        agreement_id,
        accepted_party_ids: own_parties(
            caller,
            &[need.organization_id, capability.organization_id],
        ),
        party_ids: vec![need.organization_id, capability.organization_id],
        need_id: Some(need.id),
        capability_id: Some(capability.id),
        match_id: Some(row.id),
        start_date,
        end_date,
        funding: None,
    };
    created(app, caller, new).await
}

pub async fn update(
    app: &App,
    caller: &Caller,
    id: i64,
    mut patch: ProjectPatch,
    version: Option<i32>,
) -> AppResult<Project> {
    let store = &app.store;
    let current = editable(app, caller, id).await?;
    if let Some(t) = &patch.title {
        patch.title = Some(title("title", t)?);
    }
    dates(
        patch.start_date.unwrap_or(current.start_date),
        patch.end_date.unwrap_or(current.end_date),
    )?;
    funding(patch.funding.flatten())?;
    // Filing under another agreement needs the right to; leaving one
    // (`Some(None)`) is the project's editors' to decide.
    if let Some(Some(agreement)) = patch.agreement_id
        && Some(agreement) != current.agreement_id
    {
        crate::agreements::linkable(app, caller, "agreementId", agreement).await?;
    }
    let project = store
        .update_project(id, patch, version, caller.id())
        .await?;
    announce(app, id);
    Ok(project)
}

/// The parties of a new project that accept at creation: those the
/// creator manages (the others are invited and answer).
fn own_parties(caller: &Caller, parties: &[i64]) -> Vec<i64> {
    parties
        .iter()
        .copied()
        .filter(|org| caller.managed_org_ids().contains(org))
        .collect()
}

/// Moves a project through its life cycle. Starting it (AGREED →
/// IN_PROGRESS) is any editor's; the binding moves (agree, complete,
/// terminate) need every party: the caller confirms for the accepted
/// parties they manage ([`policy::project_parties_confirmed_by`]) and the
/// project moves when the last one confirmed — at once for a coordinator
/// of its agreement or an admin ([`policy::moves_project_alone`]). Agreeing
/// also needs every invitation accepted
/// ([`iurhub_domain::records::consent::decide_move`]). Returns the project
/// and whether it moved.
pub async fn transition(
    app: &App,
    caller: &Caller,
    id: i64,
    to: ProjectStatus,
    reason: Option<String>,
    version: Option<i32>,
) -> AppResult<Project> {
    Ok(step(app, caller, id, to, reason, version).await?.0)
}

/// [`transition`], with whether the project moved (`false`: the caller's
/// confirmation is recorded and other parties are awaited).
pub async fn step(
    app: &App,
    caller: &Caller,
    id: i64,
    to: ProjectStatus,
    reason: Option<String>,
    version: Option<i32>,
) -> AppResult<(Project, bool)> {
    let store = &app.store;
    let current = editable(app, caller, id).await?;
    current.status.transition(to)?;
    let reason = note("reason", reason)?;
    if to == ProjectStatus::Terminated && reason.is_none() {
        return Err(AppError::invalid(
            "reason",
            Message::new("project.termination.reason_required"),
        ));
    }
    // The parties that took part hear of the move (when it happens).
    let mut notices = Notices::of(vec![
        NewNotice::new(
            NotificationKind::ProjectStatusChanged,
            Recipients::MembersOf(current.parties_in(PartyConsent::Accepted)),
        )
        .by(caller.id())
        .about(NoticeSubject::Project(id))
        .with("project", &current.title)
        .with_text("status", format!("notification.project_status.{to}")),
    ]);
    if !to.is_binding() {
        let project = store
            .set_project_status(id, to, reason, version, caller.id(), &mut notices)
            .await?;
        crate::notifications::written(app, &notices);
        announce(app, id);
        return Ok((project, true));
    }
    let alone = policy::moves_project_alone(caller.scope(), &current);
    let parties = policy::project_parties_confirmed_by(caller.managed_org_ids(), &current);
    if !alone && parties.is_empty() {
        // An editor of a project confirms for a party of theirs that has
        // not accepted yet (invited, or declined).
        return Err(AppError::invalid(
            "id",
            Message::new("project.consent.not_accepted"),
        ));
    }
    let (project, outcome) = store
        .confirm_project_move(
            id,
            to,
            &parties,
            alone,
            reason,
            version,
            caller.id(),
            &mut notices,
        )
        .await?;
    crate::notifications::written(app, &notices);
    let moved = outcome == MoveOutcome::Moves;
    if moved && to == ProjectStatus::Completed {
        // Completed projects count in the parties' track record.
        app.organizations_written();
    }
    announce(app, id);
    Ok((project, moved))
}

/// Withdraws the caller's parties' pending confirmations of moving a
/// project to `to` (those they gave, or another manager of their parties
/// gave for them).
pub async fn withdraw_confirmation(
    app: &App,
    caller: &Caller,
    id: i64,
    to: ProjectStatus,
) -> AppResult<Project> {
    let current = editable(app, caller, id).await?;
    if !to.is_binding() {
        return Err(AppError::invalid(
            "to",
            Message::new("project.confirmation.not_binding"),
        ));
    }
    let parties: Vec<i64> = current
        .party_ids
        .iter()
        .copied()
        .filter(|org| caller.managed_org_ids().contains(org))
        .collect();
    let project = app
        .store
        .withdraw_project_confirmation(id, to, &parties, caller.id())
        .await?;
    announce(app, id);
    Ok(project)
}

/// The parties of `project` whose invitation the caller answers
/// ([`policy::project_invitations_answered_by`]).
pub fn answers_for(caller: &Caller, project: &Project) -> Vec<i64> {
    policy::project_invitations_answered_by(caller.managed_org_ids(), project)
}

/// Whether the caller may withdraw a confirmation of `to`: one of the
/// pending confirmations of that move is of a party they manage.
pub fn may_withdraw(caller: &Caller, project: &Project, to: ProjectStatus) -> bool {
    project
        .confirmations
        .iter()
        .any(|c| c.to == to && caller.managed_org_ids().contains(&c.organization_id))
}

/// Accepts (or declines, with an optional reason) the invitations of the
/// parties of a project the caller manages. The project must be visible
/// (its invited parties' managers see it, to decide); a caller who answers
/// for no party is refused.
pub async fn answer_invitation(
    app: &App,
    caller: &Caller,
    id: i64,
    consent: PartyConsent,
    reason: Option<String>,
) -> AppResult<Project> {
    let current = visible(app, &caller.identity(), id).await?;
    let reason = note("reason", reason)?;
    if current.status.is_final() {
        return Err(AppError::invalid(
            "id",
            Message::new("project.consent.closed").with("status", current.status),
        ));
    }
    let parties = answers_for(caller, &current);
    if parties.is_empty() {
        if current
            .party_ids
            .iter()
            .any(|org| caller.managed_org_ids().contains(org))
        {
            return Err(AppError::invalid(
                "id",
                Message::new("project.consent.no_invitation"),
            ));
        }
        return Err(AppError::denied(Message::new("project.write.forbidden")));
    }
    let project = app
        .store
        .answer_project_invitation(id, &parties, consent, reason, caller.id())
        .await?;
    announce(app, id);
    Ok(project)
}

pub async fn add_milestone(
    app: &App,
    caller: &Caller,
    project_id: i64,
    name: &str,
    due_date: Option<NaiveDate>,
) -> AppResult<Milestone> {
    let store = &app.store;
    editable(app, caller, project_id).await?;
    let milestone = store
        .add_milestone(project_id, title("title", name)?, due_date, caller.id())
        .await?;
    announce(app, project_id);
    Ok(milestone)
}

pub async fn update_milestone(
    app: &App,
    caller: &Caller,
    id: i64,
    name: Option<String>,
    due_date: Option<Option<NaiveDate>>,
) -> AppResult<Milestone> {
    let store = &app.store;
    let milestone = milestone_of(app, caller, id).await?;
    editable(app, caller, milestone.project_id).await?;
    let name = name.map(|n| title("title", &n)).transpose()?;
    let milestone = store
        .update_milestone(id, name, due_date, caller.id())
        .await?;
    announce(app, milestone.project_id);
    Ok(milestone)
}

/// A milestone of a project the caller may see.
async fn milestone_of(app: &App, caller: &Caller, id: i64) -> AppResult<Milestone> {
    let store = &app.store;
    let milestone = store
        .milestone(id)
        .await?
        .ok_or(AppError::NotFound("milestone"))?;
    visible(app, &caller.identity(), milestone.project_id)
        .await
        .map_err(|_| AppError::NotFound("milestone"))?;
    Ok(milestone)
}

/// The owner must be a member of one of the project's parties open to the
/// caller (`Project::parties_open_to`).
async fn check_owner(
    app: &App,
    caller: &Caller,
    project: &Project,
    owner: Option<i64>,
) -> AppResult<()> {
    let store = &app.store;
    let Some(owner) = owner else {
        return Ok(());
    };
    let orgs = store.managed_organization_ids(owner).await?;
    let open = project.parties_open_to(|org| caller.can_manage(org));
    if store.user(owner).await?.is_none() || !open.iter().any(|p| orgs.contains(p)) {
        return Err(AppError::invalid(
            "ownerUserId",
            Message::new("checklist_item.owner.not_member"),
        ));
    }
    Ok(())
}

async fn check_milestone(app: &App, project: &Project, milestone: Option<i64>) -> AppResult<()> {
    let store = &app.store;
    if let Some(m) = milestone {
        match store.milestone(m).await? {
            Some(found) if found.project_id == project.id => {}
            _ => {
                return Err(AppError::invalid(
                    "milestoneId",
                    Message::new("checklist_item.milestone.unknown"),
                ));
            }
        }
    }
    Ok(())
}

pub async fn add_item(
    app: &App,
    caller: &Caller,
    project_id: i64,
    mut new: NewItem,
) -> AppResult<ChecklistItem> {
    let store = &app.store;
    let project = editable(app, caller, project_id).await?;
    new.title = title("title", &new.title)?;
    check_owner(app, caller, &project, new.owner_user_id).await?;
    check_milestone(app, &project, new.milestone_id).await?;
    let mut notices = Notices::none();
    if let Some(owner) = new.owner_user_id {
        notices.push(
            NewNotice::new(
                NotificationKind::ChecklistItemAssigned,
                Recipients::Users(vec![owner]),
            )
            .by(caller.id())
            .with("item", &new.title)
            .with("project", &project.title),
        );
    }
    let item = store
        .add_item(project_id, new, caller.id(), &mut notices)
        .await?;
    crate::notifications::written(app, &notices);
    announce(app, project_id);
    Ok(item)
}

/// A checklist item of a project the caller may edit.
async fn item_of(app: &App, caller: &Caller, id: i64) -> AppResult<(ChecklistItem, Project)> {
    let store = &app.store;
    let item = store
        .item(id)
        .await?
        .ok_or(AppError::NotFound("checklist item"))?;
    visible(app, &caller.identity(), item.project_id)
        .await
        .map_err(|_| AppError::NotFound("checklist item"))?;
    let project = editable(app, caller, item.project_id).await?;
    Ok((item, project))
}

pub async fn update_item(
    app: &App,
    caller: &Caller,
    id: i64,
    mut patch: ItemPatch,
    version: Option<i32>,
) -> AppResult<ChecklistItem> {
    let store = &app.store;
    let (item, project) = item_of(app, caller, id).await?;
    if let Some(t) = &patch.title {
        patch.title = Some(title("title", t)?);
    }
    if let Some(n) = patch.note.take() {
        patch.note = Some(note("note", n)?);
    }
    if let Some(owner) = patch.owner_user_id {
        check_owner(app, caller, &project, owner).await?;
    }
    if let Some(m) = patch.milestone_id {
        check_milestone(app, &project, m).await?;
    }
    let mut notices = Notices::none();
    if let Some(Some(owner)) = patch.owner_user_id
        && item.owner_user_id != Some(owner)
    {
        notices.push(
            NewNotice::new(
                NotificationKind::ChecklistItemAssigned,
                Recipients::Users(vec![owner]),
            )
            .by(caller.id())
            .about(NoticeSubject::ChecklistItem(id))
            .with("item", patch.title.as_deref().unwrap_or(&item.title))
            .with("project", &project.title),
        );
    }
    let item = store
        .update_item(id, patch, None, version, caller.id(), &mut notices)
        .await?;
    crate::notifications::written(app, &notices);
    announce(app, project.id);
    Ok(item)
}

/// Completes, reopens or blocks an item; blocking needs a note saying why.
pub async fn set_item_status(
    app: &App,
    caller: &Caller,
    id: i64,
    to: ChecklistStatus,
    with_note: Option<String>,
    version: Option<i32>,
) -> AppResult<ChecklistItem> {
    let store = &app.store;
    let (item, project) = item_of(app, caller, id).await?;
    let with_note = note("note", with_note)?;
    if to == ChecklistStatus::Blocked && with_note.is_none() {
        return Err(AppError::invalid(
            "note",
            Message::new("checklist_item.block.note_required"),
        ));
    }
    if item.status == to {
        return Err(AppError::invalid(
            "id",
            Message::new("checklist_item.status.unchanged").with("status", to),
        ));
    }
    let mut notices = Notices::none();
    if to == ChecklistStatus::Blocked {
        let mut told: Vec<i64> = item.owner_user_id.into_iter().collect();
        told.push(project.created_by);
        notices.push(
            NewNotice::new(
                NotificationKind::ChecklistItemBlocked,
                Recipients::Users(told),
            )
            .by(caller.id())
            .about(NoticeSubject::ChecklistItem(id))
            .with("item", &item.title)
            .with("project", &project.title)
            .with("reason", with_note.clone().unwrap_or_default()),
        );
    }
    let patch = ItemPatch {
        note: with_note.map(Some),
        ..ItemPatch::default()
    };
    let item = store
        .update_item(id, patch, Some(to), version, caller.id(), &mut notices)
        .await?;
    crate::notifications::written(app, &notices);
    announce(app, project.id);
    Ok(item)
}

pub async fn reorder(
    app: &App,
    caller: &Caller,
    project_id: i64,
    item_ids: &[i64],
) -> AppResult<Vec<ChecklistItem>> {
    let store = &app.store;
    editable(app, caller, project_id).await?;
    let items = store
        .reorder_items(project_id, item_ids, caller.id())
        .await?;
    announce(app, project_id);
    Ok(items)
}

/// The date projects and checklists are due against.
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Whether `sort` lists newest or highest first unless asked otherwise:
/// the end date ascends (the next due first), the others descend.
pub fn descending_by_default(sort: ProjectSort) -> bool {
    sort != ProjectSort::DueDate
}

/// The cursor tag of a project list in this order (cursors of one order are
/// refused by another).
pub fn list_tag(sort: ProjectSort, descending: bool) -> String {
    let direction = if descending { "Desc" } else { "Asc" };
    format!("projects:{sort:?}:{direction}")
}

/// Every project of a list, up to `max` (for exports).
pub async fn list_all(
    app: &App,
    caller: &Caller,
    filter: ProjectFilter,
    sort: ProjectSort,
    descending: bool,
    max: usize,
) -> AppResult<Vec<Project>> {
    let mut projects: Vec<Project> = Vec::new();
    let mut after = None;
    loop {
        let args = PageArgs {
            first: Some(iurhub_domain::MAX_PAGE_SIZE),
            after: after.clone(),
            ..PageArgs::default()
        };
        let page = list(app, caller, filter.clone(), sort, descending, args).await?;
        after = page.items.last().map(|(key, _)| key.clone());
        let more = page.has_next_page;
        projects.extend(page.items.into_iter().map(|(_, p)| p));
        if !more || projects.len() >= max {
            break;
        }
    }
    projects.truncate(max);
    Ok(projects)
}

/// Projects the caller may see, one page; `overdue` is judged on today.
pub async fn list(
    app: &App,
    caller: &Caller,
    mut filter: ProjectFilter,
    sort: ProjectSort,
    descending: bool,
    args: PageArgs,
) -> AppResult<Page<Project>> {
    filter.today = Some(today());
    Ok(app
        .store
        .list_projects(caller.scope(), &filter, sort, descending, args)
        .await?)
}

/// The milestones of the projects `project_ids` (of projects the caller was
/// shown).
pub async fn milestones_of(app: &App, project_ids: &[i64]) -> AppResult<Vec<Milestone>> {
    Ok(app.store.milestones_of(project_ids).await?)
}

/// The checklist items of the projects `project_ids`, in their order.
pub async fn items_of(app: &App, project_ids: &[i64]) -> AppResult<Vec<ChecklistItem>> {
    Ok(app.store.items_of(project_ids).await?)
}

/// What happened to a project the caller was shown, oldest first, one page.
pub async fn events(app: &App, project_id: i64, args: PageArgs) -> AppResult<Page<ProjectEvent>> {
    Ok(app.store.project_events(project_id, args).await?)
}

/// The newest project event of all (where a new subscription starts).
pub async fn newest_event_id(app: &App) -> AppResult<i64> {
    Ok(app
        .store
        .newest_in_log(iurhub_store::changes::Log::ProjectEvents)
        .await?)
}

/// The events of a project after `after_id` that `who` may see now: none
/// when the project is gone or `who` may no longer see it (a party that
/// left, a member who left the party, a coordinator who lost the role).
pub async fn events_after(
    app: &App,
    who: &Identity,
    project_id: i64,
    after_id: i64,
    limit: u64,
) -> AppResult<Vec<ProjectEvent>> {
    match app.store.project(project_id).await? {
        Some(project) if project.visible_to(who.scope()) => Ok(app
            .store
            .project_events_after(project_id, after_id, limit)
            .await?),
        _ => Ok(Vec::new()),
    }
}

/// Deletes a checklist item of an open project the caller may change (a
/// stale `version` is a CONFLICT); returns the item as it was.
pub async fn delete_item(
    app: &App,
    caller: &Caller,
    id: i64,
    version: Option<i32>,
) -> AppResult<ChecklistItem> {
    let (_, project) = item_of(app, caller, id).await?;
    let item = app.store.delete_item(id, version, caller.id()).await?;
    announce(app, project.id);
    Ok(item)
}

/// Deletes a milestone of an open project the caller may change (a stale
/// `version` is a CONFLICT). Its checklist items stay, without a milestone.
pub async fn delete_milestone(
    app: &App,
    caller: &Caller,
    id: i64,
    version: Option<i32>,
) -> AppResult<Milestone> {
    let milestone = milestone_of(app, caller, id).await?;
    editable(app, caller, milestone.project_id).await?;
    let deleted = app.store.delete_milestone(id, version, caller.id()).await?;
    announce(app, milestone.project_id);
    Ok(deleted)
}

/// A milestone of a project `who` may see; NOT_FOUND otherwise.
pub async fn visible_milestone(app: &App, who: &Identity, id: i64) -> AppResult<Milestone> {
    let milestone = app
        .store
        .milestone(id)
        .await?
        .ok_or(AppError::NotFound("milestone"))?;
    visible(app, who, milestone.project_id)
        .await
        .map_err(|_| AppError::NotFound("milestone"))?;
    Ok(milestone)
}

/// A checklist item of a project `who` may see; NOT_FOUND otherwise.
pub async fn visible_item(app: &App, who: &Identity, id: i64) -> AppResult<ChecklistItem> {
    let item = app
        .store
        .item(id)
        .await?
        .ok_or(AppError::NotFound("checklist item"))?;
    visible(app, who, item.project_id)
        .await
        .map_err(|_| AppError::NotFound("checklist item"))?;
    Ok(item)
}

/// An event of a project `who` may see; NOT_FOUND otherwise.
pub async fn visible_event(app: &App, who: &Identity, id: i64) -> AppResult<ProjectEvent> {
    let event = app
        .store
        .project_event(id)
        .await?
        .ok_or(AppError::NotFound("project event"))?;
    visible(app, who, event.project_id)
        .await
        .map_err(|_| AppError::NotFound("project event"))?;
    Ok(event)
}
