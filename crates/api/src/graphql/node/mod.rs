//! The Relay `Node` interface, `node(id:)` and `nodes(ids:)`.

use async_graphql::{Context, ID, Interface, Object, PathSegment, QueryPathSegment};
use iurhub_domain::Message;

use crate::error::ApiResult as Result;
use iurhub_app::{accounts, capabilities, needs, organizations, projects, talents};

use super::context::ContextExt;
use super::ids::{Kind, decode_any, decode_match};
use crate::error::ApiError;

use super::activities::{ActivityObject, ActivityParticipantObject};
use super::agreements::{AgreementCoordinatorGrantObject, AgreementObject};
use super::capabilities::CapabilityObject;
use super::disclosures::DisclosureObject;
use super::docking::InterestObject;
use super::instruments::{BookingObject, CalendarFeedObject, InstrumentObject, MaintenanceObject};
use super::matching::MatchObject;
use super::needs::NeedObject;
use super::organizations::{MembershipObject, OrganizationObject, RoleGrantObject, UserObject};
use super::plans::objects::{PlanTargetObject, PlanWorkItemObject};
use super::projects::ProjectEventNode;
use super::projects::events::{
    ChecklistItemAddedEvent, ChecklistItemDeletedEvent, ChecklistItemStatusChangedEvent,
    ChecklistItemUpdatedEvent, ChecklistReorderedEvent, MilestoneAddedEvent, MilestoneDeletedEvent,
    MilestoneUpdatedEvent, ProjectCreatedEvent, ProjectMoveConfirmationEvent,
    ProjectPartyRespondedEvent, ProjectStatusChangedEvent, ProjectUpdatedEvent,
};
use super::projects::{ChecklistItemObject, MilestoneObject, ProjectObject};
use super::talents::TalentObject;
use super::threads::{ThreadMessageObject, ThreadObject};

/// The most ids `nodes(ids:)` takes at once.
pub const MAX_NODES: usize = 100;

/// An object with a global id, fetchable with `node(id:)` and `nodes(ids:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Global id."))]
pub enum Node {
    Organization(OrganizationObject),
    User(UserObject),
    Membership(MembershipObject),
    Need(NeedObject),
    Capability(CapabilityObject),
    Talent(TalentObject),
    Match(MatchObject),
    Interest(InterestObject),
    Project(ProjectObject),
    Milestone(MilestoneObject),
    ChecklistItem(ChecklistItemObject),
    ProjectCreatedEvent(ProjectCreatedEvent),
    ProjectUpdatedEvent(ProjectUpdatedEvent),
    ProjectStatusChangedEvent(ProjectStatusChangedEvent),
    MilestoneAddedEvent(MilestoneAddedEvent),
    MilestoneUpdatedEvent(MilestoneUpdatedEvent),
    MilestoneDeletedEvent(MilestoneDeletedEvent),
    ChecklistItemAddedEvent(ChecklistItemAddedEvent),
    ChecklistItemUpdatedEvent(ChecklistItemUpdatedEvent),
    ChecklistItemStatusChangedEvent(ChecklistItemStatusChangedEvent),
    ChecklistItemDeletedEvent(ChecklistItemDeletedEvent),
    ChecklistReorderedEvent(ChecklistReorderedEvent),
    ProjectPartyRespondedEvent(ProjectPartyRespondedEvent),
    ProjectMoveConfirmationEvent(ProjectMoveConfirmationEvent),
    Instrument(InstrumentObject),
    Booking(BookingObject),
    MaintenanceWindow(MaintenanceObject),
    CalendarFeed(CalendarFeedObject),
    RoleGrant(RoleGrantObject),
    Agreement(AgreementObject),
    PlanTarget(PlanTargetObject),
    PlanWorkItem(PlanWorkItemObject),
    Activity(ActivityObject),
    ActivityParticipant(ActivityParticipantObject),
    AgreementCoordinatorGrant(AgreementCoordinatorGrantObject),
    Disclosure(DisclosureObject),
    Thread(ThreadObject),
    ThreadMessage(ThreadMessageObject),
    Notification(crate::graphql::notifications::NotificationObject),
}

impl From<ProjectEventNode> for Node {
    fn from(event: ProjectEventNode) -> Node {
        match event {
            ProjectEventNode::ProjectCreated(e) => Node::ProjectCreatedEvent(e),
            ProjectEventNode::ProjectUpdated(e) => Node::ProjectUpdatedEvent(e),
            ProjectEventNode::ProjectStatusChanged(e) => Node::ProjectStatusChangedEvent(e),
            ProjectEventNode::MilestoneAdded(e) => Node::MilestoneAddedEvent(e),
            ProjectEventNode::MilestoneUpdated(e) => Node::MilestoneUpdatedEvent(e),
            ProjectEventNode::MilestoneDeleted(e) => Node::MilestoneDeletedEvent(e),
            ProjectEventNode::ChecklistItemAdded(e) => Node::ChecklistItemAddedEvent(e),
            ProjectEventNode::ChecklistItemUpdated(e) => Node::ChecklistItemUpdatedEvent(e),
            ProjectEventNode::ChecklistItemStatusChanged(e) => {
                Node::ChecklistItemStatusChangedEvent(e)
            }
            ProjectEventNode::ChecklistItemDeleted(e) => Node::ChecklistItemDeletedEvent(e),
            ProjectEventNode::ChecklistReordered(e) => Node::ChecklistReorderedEvent(e),
            ProjectEventNode::ProjectPartyResponded(e) => Node::ProjectPartyRespondedEvent(e),
            ProjectEventNode::ProjectMoveConfirmation(e) => Node::ProjectMoveConfirmationEvent(e),
        }
    }
}

/// The object a global id names, with the authorisation of its direct lookup.
async fn resolve(ctx: &Context<'_>, field: &str, id: &ID) -> Result<Node> {
    if let Ok((need_id, capability_id)) = decode_match(field, id) {
        return Ok(Node::Match(
            super::matching::match_for(ctx, need_id, capability_id).await?,
        ));
    }
    let (kind, num) = decode_any(field, id)?;
    let app = ctx.app();
    let who = ctx.identity();
    Ok(match kind {
        Kind::Organization => {
            Node::Organization(OrganizationObject(organizations::get(app, num).await?))
        }
        Kind::Need => Node::Need(NeedObject::new(needs::visible(app, who, num).await?)),
        Kind::Capability => Node::Capability(CapabilityObject(
            capabilities::visible(app, who, num).await?,
        )),
        Kind::Talent => Node::Talent(TalentObject(
            talents::visible(app, ctx.caller()?, num).await?,
        )),
        Kind::User => {
            ctx.caller()?;
            let user = accounts::user(app, num)
                .await?
                .ok_or(ApiError::not_found("user"))?;
            Node::User(UserObject(user))
        }
        Kind::Match => return Err(ApiError::invalid(field, Message::new("id.malformed"))),
        Kind::Project => Node::Project(ProjectObject(projects::visible(app, who, num).await?)),
        Kind::Milestone => {
            ctx.caller()?;
            Node::Milestone(MilestoneObject(
                projects::visible_milestone(app, who, num).await?,
            ))
        }
        Kind::ChecklistItem => {
            ctx.caller()?;
            Node::ChecklistItem(ChecklistItemObject(
                projects::visible_item(app, who, num).await?,
            ))
        }
        Kind::ProjectEvent => {
            ctx.caller()?;
            ProjectEventNode::new(projects::visible_event(app, who, num).await?).into()
        }
        Kind::Instrument => Node::Instrument(InstrumentObject(
            iurhub_app::instruments::readable(app, who, num).await?,
        )),
        Kind::Booking => {
            let caller = ctx.caller()?;
            Node::Booking(BookingObject(
                iurhub_app::instruments::visible_booking(app, caller, num).await?,
            ))
        }
        Kind::Membership => {
            let caller = ctx.caller()?;
            let m = organizations::membership(app, caller, num).await?;
            Node::Membership(MembershipObject(m))
        }
        Kind::MaintenanceWindow => {
            ctx.caller()?;
            Node::MaintenanceWindow(MaintenanceObject(
                iurhub_app::instruments::maintenance_window(app, num).await?,
            ))
        }
        Kind::Agreement => Node::Agreement(AgreementObject(
            iurhub_app::agreements::visible(app, who, num).await?,
        )),
        Kind::PlanTarget => Node::PlanTarget(PlanTargetObject(
            iurhub_app::plans::target(app, who, num).await?,
        )),
        Kind::Interest => Node::Interest(InterestObject(
            iurhub_app::interests::visible(app, who, num).await?,
        )),
        Kind::PlanWorkItem => Node::PlanWorkItem(PlanWorkItemObject(
            iurhub_app::plans::work_item(app, who, num).await?,
        )),
        Kind::Activity => Node::Activity(ActivityObject(
            iurhub_app::activities::visible(app, who, num).await?,
        )),
        Kind::ActivityParticipant => Node::ActivityParticipant(ActivityParticipantObject(
            iurhub_app::activities::visible_participant(app, who, num).await?,
        )),
        Kind::CalendarFeed => {
            let caller = ctx.caller()?;
            Node::CalendarFeed(CalendarFeedObject(
                iurhub_app::calendar_feeds::own(app, caller, num).await?,
            ))
        }
        Kind::RoleGrant => {
            let caller = ctx.caller()?;
            Node::RoleGrant(RoleGrantObject(
                iurhub_app::roles::visible(app, caller, num).await?,
            ))
        }
        Kind::AgreementCoordinatorGrant => {
            ctx.caller()?;
            Node::AgreementCoordinatorGrant(AgreementCoordinatorGrantObject(
                iurhub_app::agreement_coordinators::visible(app, who, num).await?,
            ))
        }
        Kind::Disclosure => {
            ctx.caller()?;
            Node::Disclosure(DisclosureObject(
                iurhub_app::disclosures::visible(app, who, num).await?.0,
            ))
        }
        Kind::Thread => Node::Thread(ThreadObject(
            iurhub_app::threads::visible(app, who, num).await?,
        )),
        Kind::ThreadMessage => Node::ThreadMessage(ThreadMessageObject(
            iurhub_app::threads::message(app, who, num).await?,
        )),
        Kind::Attachment => {
            return Err(ApiError::from(iurhub_app::AppError::NotFound("attachment")));
        }
        // Not a node: read with `testingCenter(id:)`.
        Kind::Center => {
            return Err(ApiError::from(iurhub_app::AppError::NotFound("center")));
        }
        // Not a node: only its owner lists it (`savedSearches`).
        Kind::SavedSearch => {
            return Err(ApiError::from(iurhub_app::AppError::NotFound(
                "saved_search",
            )));
        }
        // Not nodes: read with `testItems(centerId:)`,
        // `billingAccount(organizationId:)` and `invoice(id:)`.
        Kind::TestItem => {
            return Err(ApiError::from(iurhub_app::AppError::NotFound("test item")));
        }
        Kind::BillingAccount => {
            return Err(ApiError::from(iurhub_app::AppError::NotFound(
                "billing account",
            )));
        }
        Kind::Invoice => {
            return Err(ApiError::from(iurhub_app::AppError::NotFound("invoice")));
        }
        // Not a node: read with `serviceOrder(id:)`.
        Kind::ServiceOrder => {
            return Err(ApiError::from(iurhub_app::AppError::NotFound(
                "service order",
            )));
        }
        // Not a node: only its user lists it (`waitlistEntries`).
        Kind::WaitlistEntry => {
            return Err(ApiError::from(iurhub_app::AppError::NotFound(
                "waitlist entry",
            )));
        }
        Kind::Notification => {
            Node::Notification(crate::graphql::notifications::NotificationObject::new(
                iurhub_app::notifications::get(app, who.require()?, num).await?,
            ))
        }
    })
}

/// The object `id` names if the reader may see it, `None` if not (or if it
/// is gone); any other failure is an error.
pub async fn visible_node(ctx: &Context<'_>, id: &ID) -> Result<Option<Node>> {
    match resolve(ctx, "id", id).await {
        Ok(node) => Ok(Some(node)),
        Err(err) if err.code() == crate::error::ErrorCode::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global id, with the same rules as its own lookup
    /// (`need(id:)`, `project(id:)`, …): an object the caller may not see
    /// is null with NOT_FOUND. Milestones, checklist items and project
    /// events are shown to those who see their project; bookings as
    /// `booking(id:)` shows them; maintenance windows to every signed-in
    /// user (as `instrument.maintenance`); calendar feeds to their owner;
    /// role grants to their holder, coordinators, admins and those who may
    /// grant roles over their organisation;
    /// agreements as `agreement(id:)`, plan targets and work items to
    /// those who see their agreement.
    /// agreements as `agreement(id:)`; activities as `activity(id:)` and
    /// their participants to those who see the activity; disclosures to
    /// the need's side and the receiving organisation; conversations and
    /// their messages to those who may see the conversation (`Match.thread`);
    /// notifications to their recipient.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id of any kind.")] id: ID,
    ) -> Result<Option<Node>> {
        Ok(Some(resolve(ctx, "id", &id).await?))
    }

    /// Up to 100 objects by their global ids, in the order given. An id
    /// that names nothing the caller may see (or is malformed) gives null
    /// at its position and an error whose `path` ends with that position
    /// (`["nodes", 2]`); the other objects are returned.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids of any kinds, at most 100.")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(ApiError::invalid(
                "ids",
                Message::new("node.ids.too_many").with("max", MAX_NODES),
            ));
        }
        let mut out = Vec::with_capacity(ids.len());
        for (position, id) in ids.iter().enumerate() {
            let field = format!("ids[{position}]");
            match resolve(ctx, &field, id).await {
                Ok(node) => out.push(Some(node)),
                Err(err) => {
                    let mut error = async_graphql::Error::from(err).into_server_error(ctx.item.pos);
                    let mut path = Vec::new();
                    if let Some(node) = ctx.path_node {
                        for segment in std::iter::once(&node).chain(node.parents()) {
                            path.push(match segment.segment {
                                QueryPathSegment::Index(i) => PathSegment::Index(i),
                                QueryPathSegment::Name(name) => PathSegment::Field(name.to_owned()),
                            });
                        }
                        path.reverse();
                    }
                    path.push(PathSegment::Index(position));
                    error.path = path;
                    ctx.add_error(error);
                    out.push(None);
                }
            }
        }
        Ok(out)
    }
}
