//! A project's timeline as typed events (GitHub-style): the interface
//! `ProjectEvent` with one object type per kind of change, each with its
//! actor and subject objects. Every id in an event is a global id.

use crate::graphql::scalars::DateTime;
use async_graphql::{Context, ID, Interface, Object, SimpleObject};
use iurhub_domain::ProjectEventKind as Kind;
use iurhub_domain::records::projects::{Change, ProjectEvent};

use crate::error::ApiResult as Result;
use crate::graphql::context::{ContextExt, load_many, load_one};
use crate::graphql::enums::{
    ChecklistStatus, PartyConsent, ProjectArea, ProjectEventKind, ProjectStatus,
};
use crate::graphql::ids::{self, encode};
use crate::graphql::loaders::{OrganizationId, UserId};
use crate::graphql::matching::MatchObject;
use crate::graphql::organizations::{OrganizationObject, UserObject};

use super::{ChecklistItemObject, MilestoneObject, ProjectObject};

/// One changed value of an event: dates ISO 8601, enums as in the API, ids
/// as global ids (`owner`, `milestone`: one id; `parties`, `order`: ids
/// separated by commas).
#[derive(SimpleObject)]
pub struct ProjectChange {
    /// What changed, e.g. `title`, `dueDate`, `status`, `owner`, `milestone`.
    pub field: String,
    /// The value before; null when there was none.
    pub from: Option<String>,
    /// The value after; null when it was cleared (or the subject deleted).
    pub to: Option<String>,
}

/// One entry of a project's timeline: who did what, when. Query the
/// fields of each kind with fragments (`... on ProjectStatusChangedEvent { from to }`).
// Several fields share a type; clippy takes the repeated `ty` for a
// duplicated attribute.
#[allow(clippy::duplicated_attributes)]
#[derive(Interface)]
#[graphql(
    name = "ProjectEvent",
    field(name = "id", ty = "ID", desc = "Global id."),
    field(name = "kind", ty = "ProjectEventKind", desc = "What kind of change."),
    field(name = "created_at", ty = "DateTime", desc = "When it happened."),
    field(
        name = "at",
        ty = "DateTime",
        desc = "When it happened (the same as `createdAt`).",
        deprecation = "Use `createdAt`."
    ),
    field(
        name = "actor",
        ty = "Option<UserObject>",
        desc = "Who did it; null when the account no longer exists."
    ),
    field(
        name = "subject_id",
        ty = "Option<ID>",
        desc = "The global id of the milestone or checklist item concerned, if any (also of one deleted since)."
    ),
    field(
        name = "changes",
        ty = "Vec<ProjectChange>",
        desc = "Every changed value, from what to what."
    ),
    field(
        name = "project",
        ty = "Option<ProjectObject>",
        desc = "The project, as it is now."
    )
)]
pub enum ProjectEventNode {
    ProjectCreated(ProjectCreatedEvent),
    ProjectUpdated(ProjectUpdatedEvent),
    ProjectStatusChanged(ProjectStatusChangedEvent),
    MilestoneAdded(MilestoneAddedEvent),
    MilestoneUpdated(MilestoneUpdatedEvent),
    MilestoneDeleted(MilestoneDeletedEvent),
    ChecklistItemAdded(ChecklistItemAddedEvent),
    ChecklistItemUpdated(ChecklistItemUpdatedEvent),
    ChecklistItemStatusChanged(ChecklistItemStatusChangedEvent),
    ChecklistItemDeleted(ChecklistItemDeletedEvent),
    ChecklistReordered(ChecklistReorderedEvent),
    ProjectPartyResponded(ProjectPartyRespondedEvent),
    ProjectMoveConfirmation(ProjectMoveConfirmationEvent),
}

impl ProjectEventNode {
    /// The typed event of a logged change.
    pub fn new(event: ProjectEvent) -> ProjectEventNode {
        match event.kind {
            Kind::ProjectCreated => Self::ProjectCreated(ProjectCreatedEvent(event)),
            Kind::ProjectUpdated => Self::ProjectUpdated(ProjectUpdatedEvent(event)),
            Kind::StatusChanged => Self::ProjectStatusChanged(ProjectStatusChangedEvent(event)),
            Kind::MilestoneAdded => Self::MilestoneAdded(MilestoneAddedEvent(event)),
            Kind::MilestoneUpdated => Self::MilestoneUpdated(MilestoneUpdatedEvent(event)),
            Kind::MilestoneDeleted => Self::MilestoneDeleted(MilestoneDeletedEvent(event)),
            Kind::ItemAdded => Self::ChecklistItemAdded(ChecklistItemAddedEvent(event)),
            Kind::ItemUpdated => Self::ChecklistItemUpdated(ChecklistItemUpdatedEvent(event)),
            Kind::ItemStatusChanged => {
                Self::ChecklistItemStatusChanged(ChecklistItemStatusChangedEvent(event))
            }
            Kind::ItemDeleted => Self::ChecklistItemDeleted(ChecklistItemDeletedEvent(event)),
            Kind::ChecklistReordered => Self::ChecklistReordered(ChecklistReorderedEvent(event)),
            Kind::PartyResponded => Self::ProjectPartyResponded(ProjectPartyRespondedEvent(event)),
            Kind::MoveConfirmation => {
                Self::ProjectMoveConfirmation(ProjectMoveConfirmationEvent(event))
            }
        }
    }
}

/// The kind of object an event's subject is.
fn subject_kind(kind: Kind) -> Option<ids::Kind> {
    match kind {
        Kind::MilestoneAdded | Kind::MilestoneUpdated | Kind::MilestoneDeleted => {
            Some(ids::Kind::Milestone)
        }
        Kind::ItemAdded | Kind::ItemUpdated | Kind::ItemStatusChanged | Kind::ItemDeleted => {
            Some(ids::Kind::ChecklistItem)
        }
        _ => None,
    }
}

/// The value of `field` after the change, as logged.
fn to_value<'e>(event: &'e ProjectEvent, field: &str) -> Option<&'e str> {
    event
        .changes
        .iter()
        .find(|c| c.field == field)
        .and_then(|c| c.to.as_deref())
}

/// The value of `field` before the change, as logged.
fn from_value<'e>(event: &'e ProjectEvent, field: &str) -> Option<&'e str> {
    event
        .changes
        .iter()
        .find(|c| c.field == field)
        .and_then(|c| c.from.as_deref())
}

/// Database ids (one, or several separated by commas) as global ids.
fn global_ids(kind: ids::Kind, value: Option<String>) -> Option<String> {
    value.map(|v| {
        v.split(',')
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<i64>()
                    .map_or_else(|_| s.to_owned(), |n| encode(kind, n))
            })
            .collect::<Vec<_>>()
            .join(",")
    })
}

/// A logged change as the API shows it: ids as global ids, under the name
/// of the object they refer to. `match_id` is the global id of the pair of
/// the project's need and capability (its match, when it has or had one).
fn public_change(c: &Change, match_id: Option<&str>) -> ProjectChange {
    let (field, kind) = match c.field.as_str() {
        "ownerUserId" => ("owner", Some(ids::Kind::User)),
        "milestoneId" => ("milestone", Some(ids::Kind::Milestone)),
        "agreementId" => ("agreement", Some(ids::Kind::Agreement)),
        "parties" => ("parties", Some(ids::Kind::Organization)),
        "confirmedFor" => ("confirmedFor", Some(ids::Kind::Organization)),
        "withdrawnFor" => ("withdrawnFor", Some(ids::Kind::Organization)),
        "order" => ("order", Some(ids::Kind::ChecklistItem)),
        "matchId" => {
            // A project's match is the pair of its need and capability.
            return ProjectChange {
                field: "match".into(),
                from: c.from.as_ref().and(match_id).map(str::to_owned),
                to: c.to.as_ref().and(match_id).map(str::to_owned),
            };
        }
        other => (other, None),
    };
    match kind {
        Some(kind) => ProjectChange {
            field: field.to_owned(),
            from: global_ids(kind, c.from.clone()),
            to: global_ids(kind, c.to.clone()),
        },
        None => ProjectChange {
            field: field.to_owned(),
            from: c.from.clone(),
            to: c.to.clone(),
        },
    }
}

async fn project_of(ctx: &Context<'_>, event: &ProjectEvent) -> Option<ProjectObject> {
    iurhub_app::projects::visible(ctx.app(), ctx.identity(), event.project_id)
        .await
        .ok()
        .map(ProjectObject)
}

async fn changes_of(ctx: &Context<'_>, event: &ProjectEvent) -> Vec<ProjectChange> {
    let mut match_id = None;
    if event.changes.iter().any(|c| c.field == "matchId")
        && let Some(project) = project_of(ctx, event).await
        && let (Some(need), Some(capability)) = (project.0.need_id, project.0.capability_id)
    {
        match_id = Some(ids::encode_match(need, capability));
    }
    event
        .changes
        .iter()
        .map(|c| public_change(c, match_id.as_deref()))
        .collect()
}

async fn user_of(ctx: &Context<'_>, id: Option<i64>) -> Result<Option<UserObject>> {
    let Some(id) = id else {
        return Ok(None);
    };
    Ok(load_one(ctx, UserId(id)).await?.map(UserObject))
}

/// The milestone an event is about, if it still exists.
async fn milestone_of(ctx: &Context<'_>, event: &ProjectEvent) -> Result<Option<MilestoneObject>> {
    let Some(id) = event.subject_id else {
        return Ok(None);
    };
    let found = iurhub_app::projects::milestones_of(ctx.app(), &[event.project_id]).await?;
    Ok(found.into_iter().find(|m| m.id == id).map(MilestoneObject))
}

/// The checklist item an event is about, if it still exists.
async fn item_of(ctx: &Context<'_>, event: &ProjectEvent) -> Result<Option<ChecklistItemObject>> {
    let Some(id) = event.subject_id else {
        return Ok(None);
    };
    let found = iurhub_app::projects::items_of(ctx.app(), &[event.project_id]).await?;
    Ok(found
        .into_iter()
        .find(|i| i.id == id)
        .map(ChecklistItemObject))
}

/// One event type: the fields of the interface, then its own.
macro_rules! event_type {
    ($(#[$doc:meta])* $name:ident, $gql:literal, { $($own:tt)* }) => {
        $(#[$doc])*
        pub struct $name(pub ProjectEvent);

        $(#[$doc])*
        #[Object(name = $gql)]
        impl $name {
            /// Global id.
            pub async fn id(&self) -> ID {
                ID(encode(ids::Kind::ProjectEvent, self.0.id))
            }

            /// What kind of change.
            pub async fn kind(&self) -> ProjectEventKind {
                self.0.kind.into()
            }

            /// When it happened.
            pub async fn created_at(&self) -> DateTime {
                DateTime(self.0.created_at)
            }

            /// When it happened (the same as `createdAt`).
            #[graphql(deprecation = "Use `createdAt`.")]
            pub async fn at(&self) -> DateTime {
                DateTime(self.0.created_at)
            }

            /// Who did it; null when the account no longer exists.
            pub async fn actor(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
                user_of(ctx, self.0.actor_user_id).await
            }

            /// The global id of the milestone or checklist item concerned,
            /// if any (also of one deleted since).
            pub async fn subject_id(&self) -> Option<ID> {
                let kind = subject_kind(self.0.kind)?;
                self.0.subject_id.map(|id| ID(encode(kind, id)))
            }

            /// Every changed value, from what to what (ids as global ids).
            pub async fn changes(&self, ctx: &Context<'_>) -> Vec<ProjectChange> {
                changes_of(ctx, &self.0).await
            }

            /// The project, as it is now.
            pub async fn project(&self, ctx: &Context<'_>) -> Option<ProjectObject> {
                project_of(ctx, &self.0).await
            }

            $($own)*
        }
    };
}

event_type!(
    /// The project was created.
    ProjectCreatedEvent, "ProjectCreatedEvent", {
    /// The title it was created with.
    async fn title(&self) -> Option<&str> {
        to_value(&self.0, "title")
    }

    /// The area it was created in.
    async fn area(&self) -> Option<ProjectArea> {
        to_value(&self.0, "area")
            .and_then(|a| a.parse::<iurhub_domain::ProjectArea>().ok())
            .map(Into::into)
    }

    /// The organisations it was created between.
    async fn parties(&self, ctx: &Context<'_>) -> Result<Vec<OrganizationObject>> {
        let ids: Vec<OrganizationId> = to_value(&self.0, "parties")
            .unwrap_or_default()
            .split(',')
            .filter_map(|s| s.parse().ok())
            .map(OrganizationId)
            .collect();
        Ok(load_many(ctx, ids).await?.into_iter().map(OrganizationObject).collect())
    }

    /// The accepted match it was started from, if any and if the reader may
    /// see it (those who decide on the need's matches).
    #[graphql(name = "match")]
    async fn match_(&self, ctx: &Context<'_>) -> Option<MatchObject> {
        let project = project_of(ctx, &self.0).await?;
        project.0.match_id?;
        crate::graphql::matching::match_for(ctx, project.0.need_id?, project.0.capability_id?)
            .await
            .ok()
    }
});

event_type!(
    /// The project's title, area or dates changed (see `changes`).
    ProjectUpdatedEvent, "ProjectUpdatedEvent", {});

event_type!(
    /// The project moved through its life cycle.
    ProjectStatusChangedEvent, "ProjectStatusChangedEvent", {
    /// The status before.
    async fn from(&self) -> Option<ProjectStatus> {
        from_value(&self.0, "status")
            .and_then(|s| s.parse::<iurhub_domain::ProjectStatus>().ok())
            .map(Into::into)
    }

    /// The status after.
    async fn to(&self) -> Option<ProjectStatus> {
        to_value(&self.0, "status")
            .and_then(|s| s.parse::<iurhub_domain::ProjectStatus>().ok())
            .map(Into::into)
    }

    /// Why the project was terminated (TERMINATED only).
    async fn reason(&self) -> Option<&str> {
        to_value(&self.0, "terminationReason")
    }
});

event_type!(
    /// A milestone was added.
    MilestoneAddedEvent, "MilestoneAddedEvent", {
    /// The milestone; null when it was deleted since.
    async fn milestone(&self, ctx: &Context<'_>) -> Result<Option<MilestoneObject>> {
        milestone_of(ctx, &self.0).await
    }

    /// Its title when it was added.
    async fn title(&self) -> Option<&str> {
        to_value(&self.0, "title")
    }
});

event_type!(
    /// A milestone's title or due date changed (see `changes`).
    MilestoneUpdatedEvent, "MilestoneUpdatedEvent", {
    /// The milestone; null when it was deleted since.
    async fn milestone(&self, ctx: &Context<'_>) -> Result<Option<MilestoneObject>> {
        milestone_of(ctx, &self.0).await
    }
});

event_type!(
    /// A milestone was deleted; its checklist items stayed, without a milestone.
    MilestoneDeletedEvent, "MilestoneDeletedEvent", {
    /// The deleted milestone's title.
    async fn title(&self) -> Option<&str> {
        from_value(&self.0, "title")
    }
});

event_type!(
    /// A checklist item was added.
    ChecklistItemAddedEvent, "ChecklistItemAddedEvent", {
    /// The item; null when it was deleted since.
    async fn item(&self, ctx: &Context<'_>) -> Result<Option<ChecklistItemObject>> {
        item_of(ctx, &self.0).await
    }

    /// Its title when it was added.
    async fn title(&self) -> Option<&str> {
        to_value(&self.0, "title")
    }

    /// Who it was assigned to when it was added.
    async fn owner(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        user_of(ctx, to_value(&self.0, "ownerUserId").and_then(|o| o.parse().ok())).await
    }
});

event_type!(
    /// A checklist item's title, milestone, owner, due date or note changed
    /// (see `changes`).
    ChecklistItemUpdatedEvent, "ChecklistItemUpdatedEvent", {
    /// The item; null when it was deleted since.
    async fn item(&self, ctx: &Context<'_>) -> Result<Option<ChecklistItemObject>> {
        item_of(ctx, &self.0).await
    }

    /// The new owner, when the owner changed to someone.
    async fn owner(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        user_of(ctx, to_value(&self.0, "ownerUserId").and_then(|o| o.parse().ok())).await
    }
});

event_type!(
    /// A checklist item was completed, reopened or blocked.
    ChecklistItemStatusChangedEvent, "ChecklistItemStatusChangedEvent", {
    /// The item; null when it was deleted since.
    async fn item(&self, ctx: &Context<'_>) -> Result<Option<ChecklistItemObject>> {
        item_of(ctx, &self.0).await
    }

    /// The status before.
    async fn from(&self) -> Option<ChecklistStatus> {
        from_value(&self.0, "status")
            .and_then(|s| s.parse::<iurhub_domain::ChecklistStatus>().ok())
            .map(Into::into)
    }

    /// The status after.
    async fn to(&self) -> Option<ChecklistStatus> {
        to_value(&self.0, "status")
            .and_then(|s| s.parse::<iurhub_domain::ChecklistStatus>().ok())
            .map(Into::into)
    }

    /// The note given (what blocks the item).
    async fn note(&self) -> Option<&str> {
        to_value(&self.0, "note")
    }
});

event_type!(
    /// A checklist item was deleted.
    ChecklistItemDeletedEvent, "ChecklistItemDeletedEvent", {
    /// The deleted item's title.
    async fn title(&self) -> Option<&str> {
        from_value(&self.0, "title")
    }
});

event_type!(
    /// The checklist was put in a new order.
    ChecklistReorderedEvent, "ChecklistReorderedEvent", {
    /// The items in the new order (those deleted since left out).
    async fn items(&self, ctx: &Context<'_>) -> Result<Vec<ChecklistItemObject>> {
        let order: Vec<i64> = to_value(&self.0, "order")
            .unwrap_or_default()
            .split(',')
            .filter_map(|s| s.parse().ok())
            .collect();
        let mut found = iurhub_app::projects::items_of(ctx.app(), &[self.0.project_id]).await?;
        let mut out = Vec::with_capacity(order.len());
        for id in order {
            if let Some(at) = found.iter().position(|i| i.id == id) {
                out.push(ChecklistItemObject(found.swap_remove(at)));
            }
        }
        Ok(out)
    }
});

/// The organisations named in the value of `field` (ids separated by
/// commas).
async fn organizations_in(
    ctx: &Context<'_>,
    event: &ProjectEvent,
    field: &str,
) -> Result<Vec<OrganizationObject>> {
    let ids: Vec<OrganizationId> = to_value(event, field)
        .unwrap_or_default()
        .split(',')
        .filter_map(|s| s.parse().ok())
        .map(OrganizationId)
        .collect();
    Ok(load_many(ctx, ids)
        .await?
        .into_iter()
        .map(OrganizationObject)
        .collect())
}

event_type!(
    /// Invited parties accepted or declined the project.
    ProjectPartyRespondedEvent, "ProjectPartyRespondedEvent", {
    /// The parties that answered.
    async fn parties(&self, ctx: &Context<'_>) -> Result<Vec<OrganizationObject>> {
        organizations_in(ctx, &self.0, "parties").await
    }

    /// Their answer.
    async fn consent(&self) -> Option<PartyConsent> {
        to_value(&self.0, "consent")
            .and_then(|s| s.parse::<iurhub_domain::PartyConsent>().ok())
            .map(Into::into)
    }

    /// The reason given with a decline.
    async fn reason(&self) -> Option<&str> {
        to_value(&self.0, "reason")
    }
});

event_type!(
    /// Parties confirmed a binding move of the project (agree, complete,
    /// terminate) that waits for other parties, or withdrew their
    /// confirmation. The move itself is a `ProjectStatusChangedEvent`.
    ProjectMoveConfirmationEvent, "ProjectMoveConfirmationEvent", {
    /// The status the move leads to.
    async fn to(&self) -> Option<ProjectStatus> {
        to_value(&self.0, "move")
            .and_then(|s| s.parse::<iurhub_domain::ProjectStatus>().ok())
            .map(Into::into)
    }

    /// The parties that confirmed (none when this is a withdrawal).
    async fn confirmed_for(&self, ctx: &Context<'_>) -> Result<Vec<OrganizationObject>> {
        organizations_in(ctx, &self.0, "confirmedFor").await
    }

    /// The parties whose confirmation was withdrawn (none when this is a
    /// confirmation).
    async fn withdrawn_for(&self, ctx: &Context<'_>) -> Result<Vec<OrganizationObject>> {
        organizations_in(ctx, &self.0, "withdrawnFor").await
    }

    /// The reason given with a confirmation to terminate.
    async fn reason(&self) -> Option<&str> {
        to_value(&self.0, "reason")
    }
});
