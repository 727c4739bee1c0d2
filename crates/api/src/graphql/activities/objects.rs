//! The `Activity` type and its participants.

use async_graphql::{Context, ID, Object};

use crate::error::ApiResult as Result;
use crate::graphql::agreements::AgreementObject;
use crate::graphql::context::{ContextExt, load_many, load_one};
use crate::graphql::enums::{ActivityKind, ActivityStatus, ParticipantRole, ProjectArea};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::{AgreementId, OrganizationId, TalentId, UserId};
use crate::graphql::organizations::{OrganizationObject, UserObject};
use crate::graphql::scalars::{Date, DateTime};
use crate::graphql::talents::TalentObject;
use iurhub_app::activities;
use iurhub_domain::records::activities::{Activity, ActivityParticipant};

/// A cooperation activity (合作活动).
pub struct ActivityObject(pub Activity);

/// A cooperation activity (合作活动) of one of the four areas recorded as
/// activities: talent sharing (an expert consulted, a secondment), joint
/// training (a programme, an internship, a student trained or a graduate
/// supervised together), vocational education (a study, a course built
/// together) and the pairing of party organisations (a pairing, a joint
/// activity). Seen by the managers of the organisations involved, the
/// supervisors whose scope includes one and admins; to anyone else it does
/// not exist.
#[Object(name = "Activity")]
impl ActivityObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Activity, self.0.id))
    }

    /// The cooperation area, always the kind's.
    async fn area(&self) -> ProjectArea {
        self.0.area.into()
    }

    /// What the activity is.
    async fn kind(&self) -> ActivityKind {
        self.0.kind.into()
    }

    /// Title, 1 to 200 characters.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// What happens, at most 5,000 characters.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Where the activity is in its life cycle.
    async fn status(&self) -> ActivityStatus {
        self.0.status.into()
    }

    /// First day.
    async fn start_date(&self) -> Date {
        Date(self.0.start_date)
    }

    /// Last day; set to the day of completion when not given.
    async fn end_date(&self) -> Option<Date> {
        self.0.end_date.map(Date)
    }

    /// The host organisation (a department, a college, a party branch).
    async fn host_organization(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        load_one(ctx, OrganizationId(self.0.host_organization_id))
            .await?
            .map(OrganizationObject)
            .ok_or(crate::error::ApiError::not_found("organization"))
    }

    /// Every organisation involved, the host included (the paired units of
    /// a pairing).
    async fn organizations(&self, ctx: &Context<'_>) -> Result<Vec<OrganizationObject>> {
        let orgs = load_many(
            ctx,
            self.0
                .organization_ids
                .iter()
                .copied()
                .map(OrganizationId)
                .collect(),
        )
        .await?;
        Ok(orgs.into_iter().map(OrganizationObject).collect())
    }

    /// How many people attended, for events whose participants are not
    /// named.
    async fn attendance(&self) -> Option<i32> {
        self.0.attendance
    }

    /// The people taking part, in the order they were added.
    async fn participants(&self) -> Vec<ActivityParticipantObject> {
        self.0
            .participants
            .iter()
            .cloned()
            .map(ActivityParticipantObject)
            .collect()
    }

    /// The framework agreement the activity belongs to; null when it
    /// belongs to none, and for readers who may not see the agreement.
    async fn agreement(&self, ctx: &Context<'_>) -> Option<AgreementObject> {
        let id = self.0.agreement_id?;
        load_one(ctx, AgreementId(id))
            .await
            .ok()
            .flatten()
            .filter(|a| a.visible_to(ctx.identity().scope()))
            .map(AgreementObject)
    }

    /// For optimistic concurrency: pass it back to the activity mutations.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// Who recorded the activity; null for readers who may not change it.
    async fn created_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        if !ctx.caller().is_ok_and(|c| activities::can_edit(c, &self.0)) {
            return Ok(None);
        }
        Ok(load_one(ctx, UserId(self.0.created_by))
            .await?
            .map(UserObject))
    }

    /// When the activity was recorded.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the activity last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }

    /// When it was completed.
    async fn completed_at(&self) -> Option<DateTime> {
        self.0.completed_at.map(DateTime)
    }

    /// Why it was cancelled.
    async fn cancel_reason(&self) -> Option<&str> {
        self.0.cancel_reason.as_deref()
    }

    /// Whether the signed-in user may edit, move and staff the activity
    /// (managers of an organisation involved, admins).
    async fn viewer_can_edit(&self, ctx: &Context<'_>) -> bool {
        ctx.caller().is_ok_and(|c| activities::can_edit(c, &self.0))
    }
}

/// One participant of an activity.
pub struct ActivityParticipantObject(pub ActivityParticipant);

/// A person taking part in a cooperation activity: an expert, a trainee, a
/// supervisor or another participant, with the hours they contributed.
#[Object(name = "ActivityParticipant")]
impl ActivityParticipantObject {
    /// Global id (for `removeActivityParticipant`).
    pub async fn id(&self) -> ID {
        ID(encode(Kind::ActivityParticipant, self.0.id))
    }

    /// The part the person plays.
    async fn role(&self) -> ParticipantRole {
        self.0.role.into()
    }

    /// The person's name (for a talent, the profile's unless another was
    /// given).
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The person's talent profile, if they have one.
    async fn talent(&self, ctx: &Context<'_>) -> Result<Option<TalentObject>> {
        let Some(id) = self.0.talent_id else {
            return Ok(None);
        };
        if ctx.caller().is_err() {
            return Ok(None);
        }
        Ok(load_one(ctx, TalentId(id)).await?.map(TalentObject))
    }

    /// The organisation the person comes from (for a talent, the
    /// profile's unless another was given).
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<OrganizationObject>> {
        let Some(id) = self.0.organization_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, OrganizationId(id))
            .await?
            .map(OrganizationObject))
    }

    /// Hours contributed, 0 to 10,000.
    async fn hours(&self) -> Option<i32> {
        self.0.hours
    }
}
