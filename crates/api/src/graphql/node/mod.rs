//! The Relay `Node` interface and `node(id:)`.

use async_graphql::{Context, ID, Interface, Object};

use crate::error::ApiResult as Result;
use crate::error::ErrorCode;
use iurhub_app::{accounts, capabilities, matching, needs, organizations, projects, talents};

use super::context::ContextExt;
use super::ids::{Kind, decode_any, decode_match};
use crate::error::ApiError;

use super::capabilities::CapabilityObject;
use super::matching::MatchObject;
use super::needs::NeedObject;
use super::organizations::{MembershipObject, OrganizationObject, UserObject};
use super::projects::ProjectObject;
use super::talents::TalentObject;

/// An object with a global id, fetchable with `node(id:)`.
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
    Project(ProjectObject),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global id. Objects the caller may not see are NOT_FOUND.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        if let Ok((need_id, capability_id)) = decode_match("id", &id) {
            ctx.caller()?;
            // A match the caller may not decide on is hidden like any other.
            let need = matching::need_for_matching(ctx.app(), ctx.identity(), need_id)
                .await
                .map_err(|err| match err.code() {
                    ErrorCode::Forbidden => ApiError::not_found("match"),
                    _ => err.into(),
                })?;
            let found = matching::pair(ctx.app(), &need, capability_id).await?;
            return Ok(Some(Node::Match(MatchObject(Box::new(found)))));
        }
        let (kind, num) = decode_any("id", &id)?;
        let app = ctx.app();
        let who = ctx.identity();
        Ok(Some(match kind {
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
            Kind::Match => return Err(ApiError::bad_input("id", "is not a valid ID")),
            Kind::Project => Node::Project(ProjectObject(projects::visible(app, who, num).await?)),
            Kind::MaintenanceWindow | Kind::CalendarFeed => {
                return Err(ApiError::bad_input(
                    "id",
                    "maintenance windows are read through their instrument, calendar feeds with calendarFeeds",
                ));
            }
            Kind::Instrument | Kind::Booking => {
                return Err(ApiError::bad_input(
                    "id",
                    "instruments and bookings are read with instrument(id:) and booking(id:)",
                ));
            }
            Kind::Milestone | Kind::ChecklistItem | Kind::ProjectEvent => {
                return Err(ApiError::bad_input(
                    "id",
                    "milestones, checklist items and events are read through their project",
                ));
            }
            Kind::Membership => {
                let caller = ctx.caller()?;
                let m = organizations::membership(app, caller, num).await?;
                Node::Membership(MembershipObject(m))
            }
        }))
    }
}
