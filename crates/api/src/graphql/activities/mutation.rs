//! The mutations of a cooperation activity: recording and editing it, its
//! life cycle and its participants.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use super::ActivityObject;
use crate::error::ApiResult as Result;
use crate::error::ApiResult;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{ActivityKind, ParticipantRole};
use crate::graphql::ids::{Kind, decode};
use crate::graphql::inputs::{maybe, maybe_id};
use crate::graphql::scalars::Date;
use iurhub_app::activities::{self, ActivityInput};
use iurhub_domain::records::activities::{ActivityPatch, NewParticipant};

/// A person taking part, given with a new activity or added to one.
#[derive(InputObject)]
pub struct ActivityParticipantInput {
    /// The part the person plays.
    pub role: ParticipantRole,
    /// The person's talent profile, if they have one.
    pub talent_id: Option<ID>,
    /// The person's name, at most 100 characters; required without a
    /// talent (a talent's name is the profile's unless given).
    pub name: Option<String>,
    /// The organisation the person comes from (a talent's is the
    /// profile's unless given).
    pub organization_id: Option<ID>,
    /// Hours contributed, 0 to 10,000.
    pub hours: Option<i32>,
}

impl ActivityParticipantInput {
    fn into_participant(self, field: &str) -> ApiResult<NewParticipant> {
        let talent_id = self
            .talent_id
            .map(|t| decode(&format!("{field}talentId"), Kind::Talent, &t))
            .transpose()?;
        let organization_id = self
            .organization_id
            .map(|o| decode(&format!("{field}organizationId"), Kind::Organization, &o))
            .transpose()?;
        Ok(NewParticipant {
            role: self.role.into(),
            talent_id,
            name: self.name,
            organization_id,
            hours: self.hours,
        })
    }
}

/// A new cooperation activity; it starts PLANNED.
#[derive(InputObject)]
pub struct CreateActivityInput {
    /// What it is; its area is the kind's.
    pub kind: ActivityKind,
    /// Title, 1 to 200 characters.
    pub title: String,
    /// What happens, at most 5,000 characters.
    pub description: Option<String>,
    /// First day.
    pub start_date: Date,
    /// Last day (not before `startDate`); completing sets it to that day
    /// when empty.
    pub end_date: Option<Date>,
    /// The host organisation; the caller must manage it or one of
    /// `organizationIds` (or be an admin).
    pub host_organization_id: ID,
    /// The other organisations involved (the paired units of a pairing).
    pub organization_ids: Option<Vec<ID>>,
    /// How many people attended, 0 to 100,000, for events whose
    /// participants are not named.
    pub attendance: Option<i32>,
    /// The framework agreement it belongs to: one covering its area, whose
    /// parties (or organisations below them) are every organisation
    /// involved, and under which the caller may file work.
    pub agreement_id: Option<ID>,
    /// The people taking part, at most 200.
    pub participants: Option<Vec<ActivityParticipantInput>>,
}

/// Changes to an activity; fields left out keep their values. A cancelled
/// activity no longer changes.
#[derive(InputObject)]
pub struct UpdateActivityInput {
    /// The activity.
    pub id: ID,
    /// The version read; an activity changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
    /// New kind (its area follows).
    pub kind: Option<ActivityKind>,
    /// New title, 1 to 200 characters.
    pub title: Option<String>,
    /// `null` clears it.
    pub description: MaybeUndefined<String>,
    /// New first day.
    pub start_date: Option<Date>,
    /// `null` clears it.
    pub end_date: MaybeUndefined<Date>,
    /// New host organisation (it joins the organisations involved).
    pub host_organization_id: Option<ID>,
    /// Replaces the other organisations involved (the host stays).
    pub organization_ids: Option<Vec<ID>>,
    /// `null` clears it.
    pub attendance: MaybeUndefined<i32>,
    /// Files it under another agreement; `null` takes it out.
    pub agreement_id: MaybeUndefined<ID>,
}

/// A step of an activity's life cycle.
#[derive(InputObject)]
pub struct ActivityStepInput {
    /// The activity.
    pub id: ID,
    /// The version read; an activity changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
}

/// Calling an activity off.
#[derive(InputObject)]
pub struct CancelActivityInput {
    /// The activity.
    pub id: ID,
    /// Why it is cancelled (required, at most 2,000 characters).
    pub reason: String,
    /// The version read; an activity changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
}

/// A participant to add to an activity.
#[derive(InputObject)]
pub struct AddActivityParticipantInput {
    /// The activity.
    pub activity_id: ID,
    /// The version read; an activity changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
    /// The part the person plays.
    pub role: ParticipantRole,
    /// The person's talent profile, if they have one.
    pub talent_id: Option<ID>,
    /// The person's name, at most 100 characters; required without a
    /// talent.
    pub name: Option<String>,
    /// The organisation the person comes from.
    pub organization_id: Option<ID>,
    /// Hours contributed, 0 to 10,000.
    pub hours: Option<i32>,
}

/// A participant to take out of an activity.
#[derive(InputObject)]
pub struct RemoveActivityParticipantInput {
    /// The participant (`ActivityParticipant.id`).
    pub participant_id: ID,
    /// The version of the activity read; an activity changed meanwhile
    /// gives CONFLICT.
    pub version: Option<i32>,
}

/// Result of the activity mutations.
#[derive(SimpleObject)]
pub struct ActivityPayload {
    /// The activity as it is now.
    pub activity: ActivityObject,
}

fn payload(activity: iurhub_domain::records::activities::Activity) -> ActivityPayload {
    ActivityPayload {
        activity: ActivityObject(activity),
    }
}

fn orgs(field: &str, ids: &[ID]) -> ApiResult<Vec<i64>> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| decode(&format!("{field}[{i}]"), Kind::Organization, id))
        .collect()
}

#[derive(Default)]
pub struct ActivitiesMutation;

#[Object]
impl ActivitiesMutation {
    /// Records a cooperation activity (managers of an organisation
    /// involved, admins); it starts PLANNED.
    async fn create_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new activity.")] input: CreateActivityInput,
    ) -> Result<ActivityPayload> {
        let caller = ctx.caller()?;
        let host = decode(
            "hostOrganizationId",
            Kind::Organization,
            &input.host_organization_id,
        )?;
        let organization_ids = orgs(
            "organizationIds",
            input.organization_ids.as_deref().unwrap_or_default(),
        )?;
        let agreement_id = input
            .agreement_id
            .map(|a| decode("agreementId", Kind::Agreement, &a))
            .transpose()?;
        let participants = input
            .participants
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, p)| p.into_participant(&format!("participants[{i}].")))
            .collect::<ApiResult<Vec<_>>>()?;
        let activity = activities::create(
            ctx.app(),
            caller,
            ActivityInput {
                agreement_id,
                kind: input.kind.into(),
                title: input.title,
                description: input.description,
                start_date: input.start_date.into(),
                end_date: input.end_date.map(Into::into),
                host_organization_id: host,
                organization_ids,
                attendance: input.attendance,
                participants,
            },
        )
        .await?;
        Ok(payload(activity))
    }

    /// Changes an activity (managers of an organisation involved, admins);
    /// the caller must still manage one of the organisations involved.
    async fn update_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The activity and the changes.")] input: UpdateActivityInput,
    ) -> Result<ActivityPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Activity, &input.id)?;
        let patch = ActivityPatch {
            kind: input.kind.map(Into::into),
            title: input.title,
            description: maybe(input.description),
            start_date: input.start_date.map(Into::into),
            end_date: maybe(input.end_date),
            host_organization_id: input
                .host_organization_id
                .map(|h| decode("hostOrganizationId", Kind::Organization, &h))
                .transpose()?,
            organization_ids: input
                .organization_ids
                .map(|ids| orgs("organizationIds", &ids))
                .transpose()?,
            attendance: maybe(input.attendance),
            agreement_id: maybe_id("agreementId", Kind::Agreement, input.agreement_id)?,
        };
        let activity = activities::update(ctx.app(), caller, id, patch, input.version).await?;
        Ok(payload(activity))
    }

    /// PLANNED → UNDER_WAY (managers of an organisation involved, admins);
    /// any other status is CONFLICT.
    async fn start_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The activity.")] input: ActivityStepInput,
    ) -> Result<ActivityPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Activity, &input.id)?;
        let activity = activities::start(ctx.app(), caller, id, input.version).await?;
        Ok(payload(activity))
    }

    /// PLANNED or UNDER_WAY → COMPLETED (a one-day event is completed
    /// without being started); the end date becomes today when empty.
    async fn complete_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The activity.")] input: ActivityStepInput,
    ) -> Result<ActivityPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Activity, &input.id)?;
        let activity = activities::complete(ctx.app(), caller, id, input.version).await?;
        Ok(payload(activity))
    }

    /// PLANNED or UNDER_WAY → CANCELLED, with a reason.
    async fn cancel_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The activity and the reason.")] input: CancelActivityInput,
    ) -> Result<ActivityPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Activity, &input.id)?;
        let activity =
            activities::cancel(ctx.app(), caller, id, &input.reason, input.version).await?;
        Ok(payload(activity))
    }

    /// Adds a participant to an activity that is not cancelled (at most
    /// 200).
    async fn add_activity_participant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The activity and the person.")] input: AddActivityParticipantInput,
    ) -> Result<ActivityPayload> {
        let caller = ctx.caller()?;
        let id = decode("activityId", Kind::Activity, &input.activity_id)?;
        let participant = ActivityParticipantInput {
            role: input.role,
            talent_id: input.talent_id,
            name: input.name,
            organization_id: input.organization_id,
            hours: input.hours,
        }
        .into_participant("")?;
        let activity =
            activities::add_participant(ctx.app(), caller, id, participant, input.version).await?;
        Ok(payload(activity))
    }

    /// Takes a participant out of an activity that is not cancelled.
    async fn remove_activity_participant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The participant.")] input: RemoveActivityParticipantInput,
    ) -> Result<ActivityPayload> {
        let caller = ctx.caller()?;
        let id = decode(
            "participantId",
            Kind::ActivityParticipant,
            &input.participant_id,
        )?;
        let activity = activities::remove_participant(ctx.app(), caller, id, input.version).await?;
        Ok(payload(activity))
    }
}
