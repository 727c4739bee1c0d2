//! Every party consents (in the schema): each party's answer and the
//! pending confirmations of a project's binding moves, and the mutations
//! that accept or decline an invitation and withdraw a confirmation. The
//! rules are the application's (`iurhub_app::projects`).

use async_graphql::{Context, ID, InputObject, Object};

use crate::error::ApiResult as Result;
use crate::graphql::context::{ContextExt, load_many, load_one};
use crate::graphql::enums::{PartyConsent, ProjectStatus};
use crate::graphql::ids::{Kind, decode};
use crate::graphql::loaders::{OrganizationId, UserId};
use crate::graphql::organizations::{OrganizationObject, UserObject};
use crate::graphql::scalars::DateTime;
use iurhub_app::projects;
use iurhub_domain::records::consent::{MoveConfirmation, ProjectParty};
use iurhub_domain::records::projects::Project;

use super::ProjectObject;
use super::mutation::ProjectPayload;

/// One organisation named in a project, with its answer.
pub struct ProjectPartyObject {
    pub party: ProjectParty,
    pub project: Project,
}

/// One organisation named in a project, with its answer: invited parties
/// accept or decline (`acceptProjectInvitation`,
/// `declineProjectInvitation`).
#[Object(name = "ProjectParty")]
impl ProjectPartyObject {
    /// The organisation.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<OrganizationObject>> {
        Ok(load_one(ctx, OrganizationId(self.party.organization_id))
            .await?
            .map(OrganizationObject))
    }

    /// Its answer: INVITED until one of its managers answers; the
    /// creator's own organisations are ACCEPTED at creation.
    async fn consent(&self) -> PartyConsent {
        self.party.consent.into()
    }

    /// When it accepted or declined; null while invited (and for parties
    /// named before consent was asked).
    async fn responded_at(&self) -> Option<DateTime> {
        self.party.responded_at.map(DateTime)
    }

    /// Who accepted or declined for it (the creator for their own
    /// organisations); null while invited, or when the account is gone.
    async fn responded_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        let Some(id) = self.party.responded_by else {
            return Ok(None);
        };
        Ok(load_one(ctx, UserId(id)).await?.map(UserObject))
    }

    /// Why it declined, if it said.
    async fn decline_reason(&self) -> Option<&str> {
        self.party.decline_reason.as_deref()
    }

    /// Whether the signed-in user answers this party's invitation (a
    /// manager of the party while it is invited and the project open):
    /// `acceptProjectInvitation` and `declineProjectInvitation` succeed.
    async fn viewer_can_respond(&self, ctx: &Context<'_>) -> bool {
        ctx.caller().is_ok_and(|c| {
            projects::answers_for(c, &self.project).contains(&self.party.organization_id)
        })
    }
}

/// A binding move of a project (agree, complete, terminate) that some
/// parties confirmed and others are still awaited for.
pub struct PendingMoveObject {
    pub to: iurhub_domain::ProjectStatus,
    pub project: Project,
}

/// A binding move of a project that some parties confirmed: it happens
/// when the last party awaited confirms (calls the same mutation), or a
/// coordinator of the project's agreement or an admin makes it.
#[Object(name = "PendingProjectMove")]
impl PendingMoveObject {
    /// The status the move leads to: AGREED, COMPLETED or TERMINATED.
    async fn to(&self) -> ProjectStatus {
        self.to.into()
    }

    /// The confirmations given, oldest first.
    async fn confirmations(&self) -> Vec<ProjectMoveConfirmationObject> {
        self.project
            .confirmations
            .iter()
            .filter(|c| c.to == self.to)
            .cloned()
            .map(ProjectMoveConfirmationObject)
            .collect()
    }

    /// The parties still awaited (to agree, an invited party is awaited
    /// too: it must accept, then confirm).
    async fn awaited_parties(&self, ctx: &Context<'_>) -> Result<Vec<OrganizationObject>> {
        let ids = self
            .project
            .awaited_for(self.to)
            .into_iter()
            .map(OrganizationId)
            .collect();
        Ok(load_many(ctx, ids)
            .await?
            .into_iter()
            .map(OrganizationObject)
            .collect())
    }

    /// Whether the signed-in user may withdraw a confirmation of this move
    /// (`withdrawProjectConfirmation`): one given for a party they manage.
    async fn viewer_can_withdraw(&self, ctx: &Context<'_>) -> bool {
        ctx.caller()
            .is_ok_and(|c| projects::may_withdraw(c, &self.project, self.to))
    }
}

/// One party's confirmation of a binding move.
pub struct ProjectMoveConfirmationObject(pub MoveConfirmation);

/// One party's confirmation of a binding move.
#[Object(name = "ProjectMoveConfirmation")]
impl ProjectMoveConfirmationObject {
    /// The party that confirmed.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<OrganizationObject>> {
        Ok(load_one(ctx, OrganizationId(self.0.organization_id))
            .await?
            .map(OrganizationObject))
    }

    /// Who confirmed for it; null when the account is gone.
    async fn confirmed_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        Ok(load_one(ctx, UserId(self.0.confirmed_by))
            .await?
            .map(UserObject))
    }

    /// When.
    async fn confirmed_at(&self) -> DateTime {
        DateTime(self.0.confirmed_at)
    }

    /// The reason given with a confirmation to terminate.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
}

/// Accepting the invitations of a project.
#[derive(InputObject)]
pub struct AcceptProjectInvitationInput {
    /// The project.
    pub id: ID,
}

/// Declining the invitations of a project.
#[derive(InputObject)]
pub struct DeclineProjectInvitationInput {
    /// The project.
    pub id: ID,
    /// Why (optional, at most 2,000 characters).
    pub reason: Option<String>,
}

/// Withdrawing a confirmation of a binding move.
#[derive(InputObject)]
pub struct WithdrawProjectConfirmationInput {
    /// The project.
    pub id: ID,
    /// The move confirmed: AGREED, COMPLETED or TERMINATED.
    pub to: ProjectStatus,
}

#[derive(Default)]
pub struct ProjectConsentMutation;

#[Object]
impl ProjectConsentMutation {
    /// Accepts the project for every invited party the caller manages
    /// (members, ORG_ADMINs above it, coordinators whose scope includes
    /// it). No invited party of the caller's is BAD_USER_INPUT; a caller
    /// who manages no party FORBIDDEN; a project the caller does not see
    /// NOT_FOUND.
    async fn accept_project_invitation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project.")] input: AcceptProjectInvitationInput,
    ) -> Result<ProjectPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Project, &input.id)?;
        let project = projects::answer_invitation(
            ctx.app(),
            caller,
            id,
            iurhub_domain::PartyConsent::Accepted,
            None,
        )
        .await?;
        Ok(ProjectPayload {
            project: ProjectObject(project),
        })
    }

    /// Declines the project for every invited party the caller manages,
    /// with an optional reason: the project cannot be agreed while a
    /// declined party is named (its other parties may terminate it). Errors
    /// as `acceptProjectInvitation`.
    async fn decline_project_invitation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project and the reason.")] input: DeclineProjectInvitationInput,
    ) -> Result<ProjectPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Project, &input.id)?;
        let project = projects::answer_invitation(
            ctx.app(),
            caller,
            id,
            iurhub_domain::PartyConsent::Declined,
            input.reason,
        )
        .await?;
        Ok(ProjectPayload {
            project: ProjectObject(project),
        })
    }

    /// Withdraws the pending confirmations of a binding move given for the
    /// parties the caller manages. None to withdraw is BAD_USER_INPUT.
    async fn withdraw_project_confirmation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project and the move.")] input: WithdrawProjectConfirmationInput,
    ) -> Result<ProjectPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Project, &input.id)?;
        let project =
            projects::withdraw_confirmation(ctx.app(), caller, id, input.to.into()).await?;
        Ok(ProjectPayload {
            project: ProjectObject(project),
        })
    }
}
