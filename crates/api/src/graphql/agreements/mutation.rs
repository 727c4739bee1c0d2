//! The mutations of a framework agreement: drafting, parties, the people
//! responsible, confirmation (activation) and termination.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use super::AgreementObject;
use super::coordinators::{
    AgreementCoordinatorGrantObject, AgreementCoordinatorGrantPayload,
    GrantAgreementCoordinatorInput, RevokeAgreementCoordinatorInput,
};
use crate::error::ApiResult as Result;
use crate::error::ApiResult;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::ProjectArea;
use crate::graphql::ids::{Kind, decode};
use crate::graphql::inputs::maybe;
use crate::graphql::scalars::Date;
use iurhub_app::agreements::{self, AgreementInput};
use iurhub_domain::records::agreements::AgreementPatch;

/// A new framework agreement; it starts as a DRAFT.
#[derive(InputObject)]
pub struct CreateAgreementInput {
    /// Title, 1 to 200 characters.
    pub title: String,
    /// When it was signed, if it already was (else the day it becomes
    /// ACTIVE).
    pub signed_on: Option<Date>,
    /// First day of the term.
    pub term_start: Date,
    /// Last day of the term (not before `termStart`).
    pub term_end: Date,
    /// The cooperation areas it covers, at least one.
    pub areas: Vec<ProjectArea>,
    /// The party organisations, at least two; the caller must manage one
    /// of them (or be an admin).
    pub party_organization_ids: Vec<ID>,
}

/// Changes to a DRAFT agreement; fields left out keep their values. Every
/// party must confirm the changed draft again.
#[derive(InputObject)]
pub struct UpdateAgreementInput {
    /// The agreement.
    pub id: ID,
    /// The version read; an agreement changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
    /// New title, 1 to 200 characters.
    pub title: Option<String>,
    /// `null` clears it.
    pub signed_on: MaybeUndefined<Date>,
    /// New first day of the term.
    pub term_start: Option<Date>,
    /// New last day of the term.
    pub term_end: Option<Date>,
    /// Replaces the areas (at least one).
    pub areas: Option<Vec<ProjectArea>>,
}

/// An organisation to add to a DRAFT agreement.
#[derive(InputObject)]
pub struct AddAgreementPartyInput {
    /// The agreement.
    pub agreement_id: ID,
    /// The organisation joining.
    pub organization_id: ID,
    /// The version read; an agreement changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
}

/// An organisation to take out of a DRAFT agreement (at least two parties
/// stay); its people responsible go with it.
#[derive(InputObject)]
pub struct RemoveAgreementPartyInput {
    /// The agreement.
    pub agreement_id: ID,
    /// The party leaving.
    pub organization_id: ID,
    /// The version read; an agreement changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
}

/// The people responsible for one party of a DRAFT or ACTIVE agreement.
#[derive(InputObject)]
pub struct SetAgreementResponsiblePeopleInput {
    /// The agreement.
    pub agreement_id: ID,
    /// The party.
    pub organization_id: ID,
    /// Members of that organisation or of one below it (a department, a
    /// college, a lab), at most 20; replaces the previous list (an empty
    /// list clears it).
    pub user_ids: Vec<ID>,
    /// The version read; an agreement changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
}

/// Confirming a DRAFT agreement.
#[derive(InputObject)]
pub struct ActivateAgreementInput {
    /// The agreement.
    pub id: ID,
    /// The version read; an agreement changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
}

/// Ending an agreement early.
#[derive(InputObject)]
pub struct TerminateAgreementInput {
    /// The agreement.
    pub id: ID,
    /// Why the agreement ends (required, at most 2,000 characters).
    pub reason: String,
    /// The version read; an agreement changed meanwhile gives CONFLICT.
    pub version: Option<i32>,
}

/// Result of the agreement mutations.
#[derive(SimpleObject)]
pub struct AgreementPayload {
    /// The agreement as it is now.
    pub agreement: AgreementObject,
}

fn payload(agreement: iurhub_domain::records::agreements::Agreement) -> AgreementPayload {
    AgreementPayload {
        agreement: AgreementObject(agreement),
    }
}

fn org(field: &str, id: &ID) -> ApiResult<i64> {
    decode(field, Kind::Organization, id)
}

#[derive(Default)]
pub struct AgreementsMutation;

#[Object]
impl AgreementsMutation {
    /// Drafts a framework agreement between two or more organisations
    /// (managers of a party, admins).
    async fn create_agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new agreement.")] input: CreateAgreementInput,
    ) -> Result<AgreementPayload> {
        let caller = ctx.caller()?;
        let party_ids = input
            .party_organization_ids
            .iter()
            .enumerate()
            .map(|(i, id)| org(&format!("partyOrganizationIds[{i}]"), id))
            .collect::<ApiResult<Vec<_>>>()?;
        let agreement = agreements::create(
            ctx.app(),
            caller,
            AgreementInput {
                title: input.title,
                signed_on: input.signed_on.map(Into::into),
                term_start: input.term_start.into(),
                term_end: input.term_end.into(),
                areas: input.areas.into_iter().map(Into::into).collect(),
                party_ids,
            },
        )
        .await?;
        Ok(payload(agreement))
    }

    /// Changes a DRAFT's title, signing date, term or areas (managers of a
    /// party, admins); the parties' confirmations are cleared.
    async fn update_agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agreement and the changes.")] input: UpdateAgreementInput,
    ) -> Result<AgreementPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Agreement, &input.id)?;
        let patch = AgreementPatch {
            title: input.title,
            signed_on: maybe(input.signed_on),
            term_start: input.term_start.map(Into::into),
            term_end: input.term_end.map(Into::into),
            areas: input.areas.map(|a| a.into_iter().map(Into::into).collect()),
        };
        let agreement = agreements::update(ctx.app(), caller, id, patch, input.version).await?;
        Ok(payload(agreement))
    }

    /// Adds a party to a DRAFT (managers of a party, admins); the parties'
    /// confirmations are cleared.
    async fn add_agreement_party(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agreement and the organisation.")] input: AddAgreementPartyInput,
    ) -> Result<AgreementPayload> {
        let caller = ctx.caller()?;
        let id = decode("agreementId", Kind::Agreement, &input.agreement_id)?;
        let organization = org("organizationId", &input.organization_id)?;
        let agreement =
            agreements::add_party(ctx.app(), caller, id, organization, input.version).await?;
        Ok(payload(agreement))
    }

    /// Takes a party out of a DRAFT (managers of a party, admins); at least
    /// two parties stay.
    async fn remove_agreement_party(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agreement and the organisation.")] input: RemoveAgreementPartyInput,
    ) -> Result<AgreementPayload> {
        let caller = ctx.caller()?;
        let id = decode("agreementId", Kind::Agreement, &input.agreement_id)?;
        let organization = org("organizationId", &input.organization_id)?;
        let agreement =
            agreements::remove_party(ctx.app(), caller, id, organization, input.version).await?;
        Ok(payload(agreement))
    }

    /// Names the people responsible for one party (managers of a party,
    /// admins), in a DRAFT or ACTIVE agreement.
    async fn set_agreement_responsible_people(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agreement, the party and the people.")]
        input: SetAgreementResponsiblePeopleInput,
    ) -> Result<AgreementPayload> {
        let caller = ctx.caller()?;
        let id = decode("agreementId", Kind::Agreement, &input.agreement_id)?;
        let organization = org("organizationId", &input.organization_id)?;
        let users = input
            .user_ids
            .iter()
            .enumerate()
            .map(|(i, u)| decode(&format!("userIds[{i}]"), Kind::User, u))
            .collect::<ApiResult<Vec<_>>>()?;
        let agreement =
            agreements::set_responsible(ctx.app(), caller, id, organization, users, input.version)
                .await?;
        Ok(payload(agreement))
    }

    /// Confirms a DRAFT for the parties the caller is ORG_ADMIN of (an
    /// admin confirms for all); once every party has confirmed, the
    /// agreement is ACTIVE (signed today unless `signedOn` was given).
    /// Anything but a DRAFT is CONFLICT; a caller who confirms for no
    /// party is FORBIDDEN.
    async fn activate_agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agreement.")] input: ActivateAgreementInput,
    ) -> Result<AgreementPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Agreement, &input.id)?;
        let agreement = agreements::activate(ctx.app(), caller, id, input.version).await?;
        Ok(payload(agreement))
    }

    /// Ends a DRAFT or ACTIVE agreement with a reason (an ORG_ADMIN of a
    /// party, admins); EXPIRED and TERMINATED ones are CONFLICT. Its
    /// projects and needs keep their link.
    async fn terminate_agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agreement and the reason.")] input: TerminateAgreementInput,
    ) -> Result<AgreementPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Agreement, &input.id)?;
        let agreement =
            agreements::terminate(ctx.app(), caller, id, &input.reason, input.version).await?;
        Ok(payload(agreement))
    }

    /// Makes a user COORDINATOR of the agreement (an ORG_ADMIN of a party
    /// or of an organisation above one, admins): they see and edit the
    /// agreement and see and manage the needs (CONFIDENTIAL ones included),
    /// projects and activities filed under it, as a party's member does;
    /// nothing else of the parties. Takes effect at once, on open
    /// WebSockets too. An agreement the caller does not see is NOT_FOUND;
    /// an unknown e-mail address is BAD_USER_INPUT (`email`); a user who
    /// coordinates it already is CONFLICT (`email`).
    async fn grant_agreement_coordinator(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agreement and the user's e-mail address.")]
        input: GrantAgreementCoordinatorInput,
    ) -> Result<AgreementCoordinatorGrantPayload> {
        let caller = ctx.caller()?;
        let id = decode("agreementId", Kind::Agreement, &input.agreement_id)?;
        let grant =
            iurhub_app::agreement_coordinators::grant(ctx.app(), caller, id, &input.email).await?;
        Ok(AgreementCoordinatorGrantPayload {
            grant: AgreementCoordinatorGrantObject(grant),
        })
    }

    /// Revokes an agreement COORDINATOR grant (who may grant it). The
    /// grant stays on record with who revoked it and when; the rights end
    /// at once, on open WebSockets too. A grant revoked already is
    /// CONFLICT.
    async fn revoke_agreement_coordinator(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The grant to revoke.")] input: RevokeAgreementCoordinatorInput,
    ) -> Result<AgreementCoordinatorGrantPayload> {
        let caller = ctx.caller()?;
        let id = decode("grantId", Kind::AgreementCoordinatorGrant, &input.grant_id)?;
        let grant = iurhub_app::agreement_coordinators::revoke(ctx.app(), caller, id).await?;
        Ok(AgreementCoordinatorGrantPayload {
            grant: AgreementCoordinatorGrantObject(grant),
        })
    }
}
