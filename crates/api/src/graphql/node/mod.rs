//! The Relay `Node` interface and `node(id:)`.

use async_graphql::{Context, ID, Interface, Object, Result};

use super::context::ContextExt;
use super::ids::{Kind, decode_any, decode_match};
use crate::error::ApiError;
use crate::service;

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
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Node> {
        if let Ok((need_id, capability_id)) = decode_match("id", &id) {
            let caller = ctx.caller()?;
            let need = service::needs::visible(ctx.store(), ctx.identity(), need_id).await?;
            if !caller.can_manage(need.organization_id) {
                return Err(ApiError::NotFound("match").into());
            }
            let found = service::matching::pair(
                ctx.store(),
                ctx.index(),
                ctx.match_cache(),
                ctx.weights(),
                &need,
                capability_id,
            )
            .await?;
            return Ok(Node::Match(MatchObject(Box::new(found))));
        }
        let (kind, num) = decode_any("id", &id)?;
        let store = ctx.store();
        let who = ctx.identity();
        Ok(match kind {
            Kind::Organization => Node::Organization(OrganizationObject(
                store
                    .organization(num)
                    .await
                    .map_err(ApiError::from)?
                    .ok_or(ApiError::NotFound("organization"))?,
            )),
            Kind::Need => Node::Need(NeedObject::new(
                service::needs::visible(store, who, num).await?,
            )),
            Kind::Capability => Node::Capability(CapabilityObject(
                service::capabilities::visible(store, who, num).await?,
            )),
            Kind::Talent => Node::Talent(TalentObject(
                service::talents::visible(store, ctx.caller()?, num).await?,
            )),
            Kind::User => {
                ctx.caller()?;
                let user = store
                    .user(num)
                    .await
                    .map_err(ApiError::from)?
                    .ok_or(ApiError::NotFound("user"))?;
                Node::User(UserObject(user))
            }
            Kind::Match => return Err(ApiError::bad_input("id", "is not a valid ID").into()),
            Kind::Project => Node::Project(ProjectObject(
                service::projects::visible(store, who, num).await?,
            )),
            Kind::Instrument | Kind::Booking => {
                return Err(ApiError::bad_input(
                    "id",
                    "instruments and bookings are read with instrument(id:) and booking(id:)",
                )
                .into());
            }
            Kind::Milestone | Kind::ChecklistItem | Kind::ProjectEvent => {
                return Err(ApiError::bad_input(
                    "id",
                    "milestones, checklist items and events are read through their project",
                )
                .into());
            }
            Kind::Membership => {
                let caller = ctx.caller()?;
                let m = store
                    .memberships_by_ids(&[num])
                    .await
                    .map_err(ApiError::from)?
                    .pop()
                    .filter(|m| {
                        m.user_id == caller.id()
                            || caller.is_staff()
                            || caller.can_administer(m.organization_id)
                    })
                    .ok_or(ApiError::NotFound("membership"))?;
                Node::Membership(MembershipObject(m))
            }
        })
    }
}
