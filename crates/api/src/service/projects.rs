//! Cooperation projects: who may see and change them, and the rules of their
//! life cycle and checklists. Every write tells subscribers (`events`).

use chrono::NaiveDate;
use iurhub_domain::{ChecklistStatus, MatchStatus, ProjectArea, ProjectStatus, Visibility};
use iurhub_store::Store;
use iurhub_store::projects::{
    ChecklistItem, ItemPatch, Milestone, NewItem, NewProject, Project, ProjectPatch,
};

use crate::auth::{Caller, Identity};
use crate::error::{ApiError, ApiResult};
use crate::events::{Event, Events};

const MAX_TITLE: usize = 200;
const MAX_NOTE: usize = 2_000;

/// The project, if `who` may see it (coordinators and admins: all; others:
/// projects one of their organisations takes part in).
pub async fn visible(store: &Store, who: &Identity, id: i64) -> ApiResult<Project> {
    match store.project(id).await? {
        Some(p) if p.visible_to(&who.scope()) => Ok(p),
        _ => Err(ApiError::NotFound("project")),
    }
}

/// Members of a party organisation, coordinators and admins change projects.
pub fn can_edit(caller: &Caller, project: &Project) -> bool {
    project.party_ids.iter().any(|org| caller.can_manage(*org))
}

async fn editable(store: &Store, caller: &Caller, id: i64) -> ApiResult<Project> {
    let project = visible(store, &Identity::User(Box::new(caller.clone())), id).await?;
    if !can_edit(caller, &project) {
        return Err(ApiError::forbidden(
            "only members of the project's parties, coordinators and admins may change it",
        ));
    }
    if matches!(
        project.status,
        ProjectStatus::Completed | ProjectStatus::Terminated
    ) {
        return Err(ApiError::bad_input(
            "id",
            format!("a {} project can no longer be changed", project.status),
        ));
    }
    Ok(project)
}

fn title(field: &str, value: &str) -> ApiResult<String> {
    Ok(iurhub_domain::validate::text(field, value, 1, MAX_TITLE)?)
}

fn note(field: &str, value: Option<String>) -> ApiResult<Option<String>> {
    let value = value.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    Ok(value
        .map(|n| iurhub_domain::validate::text(field, &n, 1, MAX_NOTE))
        .transpose()?)
}

fn dates(start: Option<NaiveDate>, end: Option<NaiveDate>) -> ApiResult<()> {
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        return Err(ApiError::bad_input(
            "endDate",
            "must not be before startDate",
        ));
    }
    Ok(())
}

fn announce(events: &Events, project_id: i64) {
    events.publish(Event::ProjectChanged { project_id });
}

/// What a new project is.
#[derive(Debug, Clone)]
pub struct ProjectInput {
    pub title: String,
    pub area: ProjectArea,
    pub party_ids: Vec<i64>,
    pub need_id: Option<i64>,
    pub capability_id: Option<i64>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
}

pub async fn create(
    store: &Store,
    events: &Events,
    caller: &Caller,
    input: ProjectInput,
) -> ApiResult<Project> {
    let title = title("title", &input.title)?;
    dates(input.start_date, input.end_date)?;
    let mut parties = input.party_ids.clone();
    parties.sort_unstable();
    parties.dedup();
    if parties.is_empty() {
        return Err(ApiError::bad_input(
            "partyOrganizationIds",
            "name at least one organization",
        ));
    }
    let found = store.organizations_by_ids(&parties).await?;
    if found.len() != parties.len() {
        return Err(ApiError::bad_input(
            "partyOrganizationIds",
            "refers to an organization that does not exist",
        ));
    }
    if !parties.iter().any(|org| caller.can_manage(*org)) {
        return Err(ApiError::forbidden(
            "a project is created by a member of one of its parties, a coordinator or an admin",
        ));
    }
    let who = Identity::User(Box::new(caller.clone()));
    // A project moves the need it names (IN_COOPERATION while it runs) and
    // counts for the parties' track record: only a need or capability the
    // caller manages, of an organisation that is a party, may be linked.
    if let Some(need) = input.need_id {
        let need = super::needs::visible(store, &who, need)
            .await
            .map_err(|_| ApiError::bad_input("needId", "no such need"))?;
        linkable(caller, &parties, "needId", "need", need.organization_id)?;
    }
    if let Some(capability) = input.capability_id {
        let capability = super::capabilities::visible(store, &who, capability)
            .await
            .map_err(|_| ApiError::bad_input("capabilityId", "no such capability"))?;
        linkable(
            caller,
            &parties,
            "capabilityId",
            "capability",
            capability.organization_id,
        )?;
    }
    let project = store
        .create_project(
            NewProject {
                title,
                area: input.area,
                party_ids: parties,
                need_id: input.need_id,
                capability_id: input.capability_id,
                match_id: None,
                start_date: input.start_date,
                end_date: input.end_date,
            },
            caller.id(),
        )
        .await?;
    announce(events, project.id);
    Ok(project)
}

/// A need or capability of `owner` may be linked to a new project by someone
/// who manages `owner`, and only when `owner` is one of the project's parties.
fn linkable(
    caller: &Caller,
    parties: &[i64],
    field: &str,
    what: &str,
    owner: i64,
) -> ApiResult<()> {
    if !caller.can_manage(owner) {
        return Err(ApiError::forbidden(format!(
            "{field}: only a {what} of an organization you belong to may be linked to a project; \
             a cooperation with another organization's {what} starts from an accepted match"
        )));
    }
    if !parties.contains(&owner) {
        return Err(ApiError::bad_input(
            field,
            format!("the {what}'s organization must be one of the project's parties"),
        ));
    }
    Ok(())
}

/// A project for an ACCEPTED match: the need's and the capability's
/// organisations are the parties; one project per match.
#[allow(clippy::too_many_arguments)]
pub async fn create_from_match(
    store: &Store,
    events: &Events,
    caller: &Caller,
    need_id: i64,
    capability_id: i64,
    area: ProjectArea,
    title_override: Option<String>,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
) -> ApiResult<Project> {
    dates(start_date, end_date)?;
    let who = Identity::User(Box::new(caller.clone()));
    let need = super::needs::visible(store, &who, need_id)
        .await
        .map_err(|_| ApiError::NotFound("match"))?;
    if !caller.can_manage(need.organization_id) {
        return Err(ApiError::forbidden(
            "only the need's organization, coordinators and admins start projects from its matches",
        ));
    }
    let capability = super::capabilities::visible(store, &who, capability_id)
        .await
        .map_err(|_| ApiError::NotFound("match"))?;
    let row = store.match_row(need_id, capability_id).await?;
    let status = row.as_ref().map_or(MatchStatus::Suggested, |r| r.status);
    let Some(row) = row.filter(|_| status == MatchStatus::Accepted) else {
        return Err(ApiError::bad_input(
            "matchId",
            format!("only an ACCEPTED match becomes a project; this one is {status}"),
        ));
    };
    if store.project_of_match(row.id).await?.is_some() {
        return Err(ApiError::Conflict {
            message: "this match already has a project".into(),
            field: Some("matchId"),
        });
    }
    let title = match title_override {
        Some(t) => title("title", &t)?,
        // The capability's organisation becomes a party and sees the
        // project, never a confidential need's text: no copy of its title.
        None if need.visibility == Visibility::Confidential => {
            return Err(ApiError::bad_input(
                "title",
                "give the project a title: a confidential need's title is not shown to the other parties",
            ));
        }
        None => need.title.chars().take(MAX_TITLE).collect(),
    };
    let project = store
        .create_project(
            NewProject {
                title,
                area,
                party_ids: vec![need.organization_id, capability.organization_id],
                need_id: Some(need.id),
                capability_id: Some(capability.id),
                match_id: Some(row.id),
                start_date,
                end_date,
            },
            caller.id(),
        )
        .await?;
    announce(events, project.id);
    Ok(project)
}

pub async fn update(
    store: &Store,
    events: &Events,
    caller: &Caller,
    id: i64,
    mut patch: ProjectPatch,
    version: Option<i32>,
) -> ApiResult<Project> {
    let current = editable(store, caller, id).await?;
    if let Some(t) = &patch.title {
        patch.title = Some(title("title", t)?);
    }
    dates(
        patch.start_date.unwrap_or(current.start_date),
        patch.end_date.unwrap_or(current.end_date),
    )?;
    let project = store
        .update_project(id, patch, version, caller.id())
        .await?;
    announce(events, id);
    Ok(project)
}

pub async fn transition(
    store: &Store,
    events: &Events,
    caller: &Caller,
    id: i64,
    to: ProjectStatus,
    reason: Option<String>,
    version: Option<i32>,
) -> ApiResult<Project> {
    let current = editable(store, caller, id).await?;
    current.status.transition(to)?;
    let reason = note("reason", reason)?;
    if to == ProjectStatus::Terminated && reason.is_none() {
        return Err(ApiError::bad_input(
            "reason",
            "say why the project is terminated",
        ));
    }
    let project = store
        .set_project_status(id, to, reason, version, caller.id())
        .await?;
    announce(events, id);
    Ok(project)
}

pub async fn add_milestone(
    store: &Store,
    events: &Events,
    caller: &Caller,
    project_id: i64,
    name: &str,
    due_date: Option<NaiveDate>,
) -> ApiResult<Milestone> {
    editable(store, caller, project_id).await?;
    let milestone = store
        .add_milestone(project_id, title("title", name)?, due_date, caller.id())
        .await?;
    announce(events, project_id);
    Ok(milestone)
}

pub async fn update_milestone(
    store: &Store,
    events: &Events,
    caller: &Caller,
    id: i64,
    name: Option<String>,
    due_date: Option<Option<NaiveDate>>,
) -> ApiResult<Milestone> {
    let milestone = milestone_of(store, caller, id).await?;
    editable(store, caller, milestone.project_id).await?;
    let name = name.map(|n| title("title", &n)).transpose()?;
    let milestone = store
        .update_milestone(id, name, due_date, caller.id())
        .await?;
    announce(events, milestone.project_id);
    Ok(milestone)
}

/// A milestone of a project the caller may see.
async fn milestone_of(store: &Store, caller: &Caller, id: i64) -> ApiResult<Milestone> {
    let milestone = store
        .milestone(id)
        .await?
        .ok_or(ApiError::NotFound("milestone"))?;
    visible(
        store,
        &Identity::User(Box::new(caller.clone())),
        milestone.project_id,
    )
    .await
    .map_err(|_| ApiError::NotFound("milestone"))?;
    Ok(milestone)
}

/// The owner must be a member of one of the project's parties.
async fn check_owner(store: &Store, project: &Project, owner: Option<i64>) -> ApiResult<()> {
    let Some(owner) = owner else {
        return Ok(());
    };
    let orgs = store.managed_organization_ids(owner).await?;
    if store.user(owner).await?.is_none() || !project.party_ids.iter().any(|p| orgs.contains(p)) {
        return Err(ApiError::bad_input(
            "ownerUserId",
            "the owner must be a member of one of the project's parties",
        ));
    }
    Ok(())
}

async fn check_milestone(
    store: &Store,
    project: &Project,
    milestone: Option<i64>,
) -> ApiResult<()> {
    if let Some(m) = milestone {
        match store.milestone(m).await? {
            Some(found) if found.project_id == project.id => {}
            _ => {
                return Err(ApiError::bad_input(
                    "milestoneId",
                    "no such milestone in this project",
                ));
            }
        }
    }
    Ok(())
}

pub async fn add_item(
    store: &Store,
    events: &Events,
    caller: &Caller,
    project_id: i64,
    mut new: NewItem,
) -> ApiResult<ChecklistItem> {
    let project = editable(store, caller, project_id).await?;
    new.title = title("title", &new.title)?;
    check_owner(store, &project, new.owner_user_id).await?;
    check_milestone(store, &project, new.milestone_id).await?;
    let item = store.add_item(project_id, new, caller.id()).await?;
    announce(events, project_id);
    Ok(item)
}

/// A checklist item of a project the caller may edit.
async fn item_of(store: &Store, caller: &Caller, id: i64) -> ApiResult<(ChecklistItem, Project)> {
    let item = store
        .item(id)
        .await?
        .ok_or(ApiError::NotFound("checklist item"))?;
    visible(
        store,
        &Identity::User(Box::new(caller.clone())),
        item.project_id,
    )
    .await
    .map_err(|_| ApiError::NotFound("checklist item"))?;
    let project = editable(store, caller, item.project_id).await?;
    Ok((item, project))
}

pub async fn update_item(
    store: &Store,
    events: &Events,
    caller: &Caller,
    id: i64,
    mut patch: ItemPatch,
    version: Option<i32>,
) -> ApiResult<ChecklistItem> {
    let (_, project) = item_of(store, caller, id).await?;
    if let Some(t) = &patch.title {
        patch.title = Some(title("title", t)?);
    }
    if let Some(n) = patch.note.take() {
        patch.note = Some(note("note", n)?);
    }
    if let Some(owner) = patch.owner_user_id {
        check_owner(store, &project, owner).await?;
    }
    if let Some(m) = patch.milestone_id {
        check_milestone(store, &project, m).await?;
    }
    let item = store
        .update_item(id, patch, None, version, caller.id())
        .await?;
    announce(events, project.id);
    Ok(item)
}

/// Completes, reopens or blocks an item; blocking needs a note saying why.
pub async fn set_item_status(
    store: &Store,
    events: &Events,
    caller: &Caller,
    id: i64,
    to: ChecklistStatus,
    with_note: Option<String>,
    version: Option<i32>,
) -> ApiResult<ChecklistItem> {
    let (item, project) = item_of(store, caller, id).await?;
    let with_note = note("note", with_note)?;
    if to == ChecklistStatus::Blocked && with_note.is_none() {
        return Err(ApiError::bad_input("note", "say what blocks the item"));
    }
    if item.status == to {
        return Err(ApiError::bad_input(
            "id",
            format!("the item is already {to}"),
        ));
    }
    let patch = ItemPatch {
        note: with_note.map(Some),
        ..ItemPatch::default()
    };
    let item = store
        .update_item(id, patch, Some(to), version, caller.id())
        .await?;
    announce(events, project.id);
    Ok(item)
}

pub async fn reorder(
    store: &Store,
    events: &Events,
    caller: &Caller,
    project_id: i64,
    item_ids: &[i64],
) -> ApiResult<Vec<ChecklistItem>> {
    editable(store, caller, project_id).await?;
    let items = store
        .reorder_items(project_id, item_ids, caller.id())
        .await?;
    announce(events, project_id);
    Ok(items)
}
