//! Staged confidentiality in the schema: a CONFIDENTIAL need's teaser
//! (`Need.teaser`, `setNeedTeaser`), its disclosures to other organisations
//! (`offerDisclosure`, `acceptDisclosure`, `revokeDisclosure`, the
//! `Disclosure` node, `Need.disclosures`, `receivedDisclosures`), the
//! non-disclosure agreement in force and the disclosure log
//! (`Need.disclosureLog`). Rules are in `iurhub_app::disclosures` and
//! `iurhub_domain::records::disclosures`.

pub mod objects;

pub use objects::{DisclosureEventObject, DisclosureObject, NeedTeaserObject};

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use iurhub_app::disclosures;
use iurhub_domain::records::needs::Need;

use crate::error::ApiResult as Result;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::DisclosureStatus;
use crate::graphql::ids::{Kind, decode};
use crate::graphql::needs::NeedObject;
use crate::graphql::paging::{Conn, PageInput, connection};

/// The teaser of `need`, for a reader who sees the need.
pub async fn teaser_of_need(ctx: &Context<'_>, need: &Need) -> Result<Option<NeedTeaserObject>> {
    Ok(disclosures::teaser(ctx.app(), need)
        .await?
        .map(|teaser| NeedTeaserObject {
            teaser,
            trl_required: need.trl_required,
        }))
}

/// The disclosures of `need`, for its side.
pub async fn disclosures_of_need(ctx: &Context<'_>, need: &Need) -> Result<Vec<DisclosureObject>> {
    let list = disclosures::of_need(ctx.app(), ctx.identity(), need).await?;
    Ok(list.into_iter().map(DisclosureObject).collect())
}

/// One page of the disclosure log of `need`, for its side.
pub async fn log_of_need(
    ctx: &Context<'_>,
    need: &Need,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Conn<DisclosureEventObject>> {
    let tag = format!("disclosure-log:{}", need.id);
    let args = PageInput::new(first, after, None, None).to_args(ctx, &tag)?;
    let page = disclosures::log(ctx.app(), ctx.identity(), need, args).await?;
    Ok(connection(&tag, page, DisclosureEventObject))
}

/// The non-disclosure agreement in force.
pub struct NonDisclosureAgreementObject {
    version: &'static str,
    text: &'static str,
}

/// The non-disclosure agreement (保密协议) a member of a receiving
/// organisation accepts before reading a CONFIDENTIAL need disclosed to it.
#[Object(name = "NonDisclosureAgreement")]
impl NonDisclosureAgreementObject {
    /// The version: pass it to `acceptDisclosure` to accept this text.
    async fn version(&self) -> &str {
        self.version
    }

    /// The text, in the request's language (`Accept-Language`).
    async fn text(&self) -> &str {
        self.text
    }
}

#[derive(Default)]
pub struct DisclosuresQuery;

#[Object]
impl DisclosuresQuery {
    /// The non-disclosure agreement in force, for signed-in users.
    async fn non_disclosure_agreement(
        &self,
        ctx: &Context<'_>,
    ) -> Result<NonDisclosureAgreementObject> {
        ctx.caller()?;
        let (version, text) = disclosures::agreement_text(crate::i18n::current());
        Ok(NonDisclosureAgreementObject { version, text })
    }

    /// Disclosures offered to the organisations the caller manages (every
    /// organisation's for admins), newest first: each shows the need's
    /// teaser, and the need once accepted.
    async fn received_disclosures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n disclosures (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the disclosures after this cursor.")] after: Option<String>,
        #[graphql(desc = "Only disclosures in this status.")] status: Option<DisclosureStatus>,
    ) -> Result<Conn<DisclosureObject>> {
        let caller = ctx.caller()?;
        let status: Option<iurhub_domain::DisclosureStatus> = status.map(Into::into);
        let tag = match status {
            Some(s) => format!("received-disclosures:{}", s.as_str()),
            None => "received-disclosures".to_owned(),
        };
        let args = PageInput::new(first, after, None, None).to_args(ctx, &tag)?;
        let page = disclosures::received(ctx.app(), caller, status, args).await?;
        Ok(connection(&tag, page, DisclosureObject))
    }
}

/// Writes the teaser of a need.
#[derive(InputObject)]
pub struct SetNeedTeaserInput {
    /// The need (of the caller's organisation).
    pub need_id: ID,
    /// A title fit for outsiders, 1–200 characters, not naming the
    /// organisation.
    pub title: String,
    /// A summary fit for outsiders, 1–2,000 characters, not naming the
    /// organisation.
    pub summary: String,
    /// The version read of the teaser being changed; one changed meanwhile
    /// gives CONFLICT.
    pub version: Option<i32>,
}

/// The teaser written.
#[derive(SimpleObject)]
pub struct SetNeedTeaserPayload {
    /// The need, with its teaser.
    pub need: NeedObject,
    /// The teaser.
    pub teaser: NeedTeaserObject,
}

/// Offers a CONFIDENTIAL need to an organisation.
#[derive(InputObject)]
pub struct OfferDisclosureInput {
    /// The need: released, CONFIDENTIAL, with a teaser.
    pub need_id: ID,
    /// The receiving organisation (not the need's own).
    pub organization_id: ID,
}

/// Accepts the non-disclosure agreement of a disclosure.
#[derive(InputObject)]
pub struct AcceptDisclosureInput {
    /// The disclosure (OFFERED to an organisation the caller manages).
    pub id: ID,
    /// The version of the agreement read (`nonDisclosureAgreement.version`);
    /// it must be the one in force.
    pub nda_version: String,
    /// The version read of the disclosure; one changed meanwhile gives
    /// CONFLICT.
    pub version: Option<i32>,
}

/// Revokes a disclosure.
#[derive(InputObject)]
pub struct RevokeDisclosureInput {
    /// The disclosure (OFFERED or ACCEPTED).
    pub id: ID,
    /// The version read of the disclosure; one changed meanwhile gives
    /// CONFLICT.
    pub version: Option<i32>,
}

/// A disclosure after a change.
#[derive(SimpleObject)]
pub struct DisclosurePayload {
    /// The disclosure.
    pub disclosure: DisclosureObject,
}

#[derive(Default)]
pub struct DisclosuresMutation;

#[Object]
impl DisclosuresMutation {
    /// Writes the teaser of a need (for its organisation's managers): what
    /// organisations outside it are shown of a CONFIDENTIAL need — on its
    /// matches and disclosures — before they may read it. Refused
    /// (BAD_USER_INPUT) when it names the need's organisation or one above.
    async fn set_need_teaser(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `SetNeedTeaserInput`.")] input: SetNeedTeaserInput,
    ) -> Result<SetNeedTeaserPayload> {
        let caller = ctx.caller()?;
        let need_id = decode("input.needId", Kind::Need, &input.need_id)?;
        let teaser = disclosures::set_teaser(
            ctx.app(),
            caller,
            need_id,
            &input.title,
            &input.summary,
            input.version,
        )
        .await?;
        let need = iurhub_app::needs::visible(ctx.app(), ctx.identity(), need_id).await?;
        Ok(SetNeedTeaserPayload {
            teaser: NeedTeaserObject {
                teaser,
                trl_required: need.trl_required,
            },
            need: NeedObject::new(need),
        })
    }

    /// Offers a released CONFIDENTIAL need with a teaser to another
    /// organisation (for the need's organisation's managers): OFFERED, its
    /// managers see the teaser and may accept the non-disclosure agreement.
    /// A revoked disclosure is offered again; one OFFERED or ACCEPTED gives
    /// CONFLICT.
    async fn offer_disclosure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `OfferDisclosureInput`.")]
        input: OfferDisclosureInput,
    ) -> Result<DisclosurePayload> {
        let caller = ctx.caller()?;
        let need_id = decode("input.needId", Kind::Need, &input.need_id)?;
        let org_id = decode(
            "input.organizationId",
            Kind::Organization,
            &input.organization_id,
        )?;
        let d = disclosures::offer(ctx.app(), caller, need_id, org_id).await?;
        Ok(DisclosurePayload {
            disclosure: DisclosureObject(d),
        })
    }

    /// OFFERED → ACCEPTED: a manager of the receiving organisation accepts
    /// the non-disclosure agreement of `ndaVersion` (the one in force) and
    /// the organisation may read the need from now on.
    async fn accept_disclosure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `AcceptDisclosureInput`.")]
        input: AcceptDisclosureInput,
    ) -> Result<DisclosurePayload> {
        let caller = ctx.caller()?;
        let id = decode("input.id", Kind::Disclosure, &input.id)?;
        let d =
            disclosures::accept(ctx.app(), caller, id, &input.nda_version, input.version).await?;
        Ok(DisclosurePayload {
            disclosure: DisclosureObject(d),
        })
    }

    /// OFFERED or ACCEPTED → REVOKED (for the need's organisation's
    /// managers): the receiving organisation sees the teaser only again.
    async fn revoke_disclosure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `RevokeDisclosureInput`.")]
        input: RevokeDisclosureInput,
    ) -> Result<DisclosurePayload> {
        let caller = ctx.caller()?;
        let id = decode("input.id", Kind::Disclosure, &input.id)?;
        let d = disclosures::revoke(ctx.app(), caller, id, input.version).await?;
        Ok(DisclosurePayload {
            disclosure: DisclosureObject(d),
        })
    }
}
