//! The `Disclosure` node, the teaser of a CONFIDENTIAL need and the lines
//! of a need's disclosure log.

use async_graphql::{Context, ID, Object};
use iurhub_app::disclosures;
use iurhub_domain::records::disclosures::{Disclosure, DisclosureEvent, Teaser};
use iurhub_domain::{DisclosureStatus as Status, policy};

use crate::error::ApiResult as Result;
use crate::graphql::context::{ContextExt, load_one};
use crate::graphql::enums::{DisclosureAction, DisclosureStatus};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::{DisciplineCode, NeedDisciplines, OrganizationId, UserId};
use crate::graphql::needs::NeedObject;
use crate::graphql::organizations::{OrganizationObject, UserObject};
use crate::graphql::scalars::DateTime;
use crate::graphql::taxonomy::{TaxonomyEntryObject, linked_entries};

/// The teaser of a need, with the need's TRL (its disciplines are read by
/// the need's id).
pub struct NeedTeaserObject {
    pub teaser: Teaser,
    pub trl_required: Option<i32>,
}

/// What an organisation outside a CONFIDENTIAL need is shown of it before
/// the need is disclosed to it: a title and summary its owner wrote for
/// outsiders, the need's disciplines and required TRL. Never the
/// organisation, never the need's own text.
#[Object(name = "NeedTeaser")]
impl NeedTeaserObject {
    /// A title fit for outsiders.
    async fn title(&self) -> &str {
        &self.teaser.title
    }

    /// A summary fit for outsiders.
    async fn summary(&self) -> &str {
        &self.teaser.summary
    }

    /// The need's disciplines (GB/T 13745), with names.
    async fn disciplines(&self, ctx: &Context<'_>) -> Result<Vec<TaxonomyEntryObject>> {
        linked_entries(ctx, NeedDisciplines(self.teaser.need_id), DisciplineCode).await
    }

    /// The technology readiness level the solution must reach (1–9).
    async fn trl_required(&self) -> Option<i32> {
        self.trl_required
    }

    /// For optimistic concurrency: pass it back to `setNeedTeaser`.
    async fn version(&self) -> i32 {
        self.teaser.version
    }

    /// When the teaser was last written.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.teaser.updated_at)
    }
}

/// A disclosure of a need.
pub struct DisclosureObject(pub Disclosure);

impl DisclosureObject {
    /// Whether the reader oversees the need's disclosures (its side), as
    /// opposed to the receiving side, which must not learn whose need it is
    /// before accepting.
    async fn need_side(&self, ctx: &Context<'_>) -> Result<bool> {
        let (_, need) = disclosures::visible(ctx.app(), ctx.identity(), self.0.id).await?;
        Ok(policy::oversees_disclosures(ctx.identity().scope(), &need))
    }

    async fn user(ctx: &Context<'_>, id: Option<i64>) -> Result<Option<UserObject>> {
        let Some(id) = id else { return Ok(None) };
        Ok(load_one(ctx, UserId(id)).await?.map(UserObject))
    }
}

/// A disclosure (披露) of a CONFIDENTIAL need to another organisation: the
/// need's side offers it, a member of the receiving organisation accepts
/// the non-disclosure agreement (`nonDisclosureAgreement`), and from then
/// on the receiving organisation reads the need — every read logged in
/// `Need.disclosureLog` — until the need's side revokes it. Seen by the
/// need's side (its managers, coordinators in scope, admins) and the
/// receiving organisation's managers; NOT_FOUND for anyone else.
#[Object(name = "Disclosure")]
impl DisclosureObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Disclosure, self.0.id))
    }

    /// OFFERED, ACCEPTED or REVOKED.
    async fn status(&self) -> DisclosureStatus {
        self.0.status.into()
    }

    /// The receiving organisation.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<OrganizationObject>> {
        Ok(load_one(ctx, OrganizationId(self.0.organization_id))
            .await?
            .map(OrganizationObject))
    }

    /// The need's teaser: what the receiving side sees before accepting.
    async fn teaser(&self, ctx: &Context<'_>) -> Result<Option<NeedTeaserObject>> {
        let (_, need) = disclosures::visible(ctx.app(), ctx.identity(), self.0.id).await?;
        let teaser = disclosures::teaser_of(ctx.app(), &self.0).await?;
        Ok(teaser.map(|teaser| NeedTeaserObject {
            teaser,
            trl_required: need.trl_required,
        }))
    }

    /// The need itself: for its side always, for the receiving side while
    /// the disclosure is ACCEPTED (each read is logged); null otherwise.
    async fn need(&self, ctx: &Context<'_>) -> Result<Option<NeedObject>> {
        Ok(disclosures::need_of(ctx.app(), ctx.identity(), &self.0)
            .await?
            .map(NeedObject::new))
    }

    /// The version of the non-disclosure agreement accepted.
    async fn nda_version(&self) -> Option<&str> {
        self.0.nda_version.as_deref()
    }

    /// When the need was (last) offered.
    async fn offered_at(&self) -> DateTime {
        DateTime(self.0.offered_at)
    }

    /// Who offered it; shown to the need's side only (the receiving side
    /// learns whose need it is by reading it).
    async fn offered_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        if !self.need_side(ctx).await? {
            return Ok(None);
        }
        Self::user(ctx, Some(self.0.offered_by)).await
    }

    /// When the non-disclosure agreement was accepted.
    async fn accepted_at(&self) -> Option<DateTime> {
        self.0.accepted_at.map(DateTime)
    }

    /// Who accepted it, for the receiving organisation.
    async fn accepted_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        Self::user(ctx, self.0.accepted_by).await
    }

    /// When the disclosure was revoked.
    async fn revoked_at(&self) -> Option<DateTime> {
        self.0.revoked_at.map(DateTime)
    }

    /// Who revoked it; shown to the need's side only.
    async fn revoked_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        if !self.need_side(ctx).await? {
            return Ok(None);
        }
        Self::user(ctx, self.0.revoked_by).await
    }

    /// For optimistic concurrency: pass it to `acceptDisclosure` or
    /// `revokeDisclosure`.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// Whether the signed-in user may accept it now (a manager of the
    /// receiving organisation, the disclosure OFFERED).
    async fn viewer_can_accept(&self, ctx: &Context<'_>) -> bool {
        self.0.status == Status::Offered
            && policy::may_accept_disclosure(ctx.identity().scope(), self.0.organization_id)
    }

    /// Whether the signed-in user may revoke it now (the need's side, the
    /// disclosure OFFERED or ACCEPTED).
    async fn viewer_can_revoke(&self, ctx: &Context<'_>) -> Result<bool> {
        if self.0.status == Status::Revoked {
            return Ok(false);
        }
        let (_, need) = disclosures::visible(ctx.app(), ctx.identity(), self.0.id).await?;
        Ok(policy::may_disclose(ctx.identity().scope(), &need))
    }
}

/// A line of a need's disclosure log.
pub struct DisclosureEventObject(pub DisclosureEvent);

/// One line of a need's disclosure log (披露记录): an offer, an acceptance
/// of the non-disclosure agreement, a revocation, or a read of the need by
/// the receiving organisation. Lines are never changed.
#[Object(name = "DisclosureEvent")]
impl DisclosureEventObject {
    /// What happened.
    async fn action(&self) -> DisclosureAction {
        self.0.action.into()
    }

    /// The disclosure it concerns.
    async fn disclosure_id(&self) -> ID {
        ID(encode(Kind::Disclosure, self.0.disclosure_id))
    }

    /// The receiving organisation.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<OrganizationObject>> {
        Ok(load_one(ctx, OrganizationId(self.0.organization_id))
            .await?
            .map(OrganizationObject))
    }

    /// Who offered, accepted, revoked or read.
    async fn user(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        Ok(load_one(ctx, UserId(self.0.user_id)).await?.map(UserObject))
    }

    /// The version of the non-disclosure agreement, on ACCEPTED.
    async fn nda_version(&self) -> Option<&str> {
        self.0.nda_version.as_deref()
    }

    /// When.
    async fn at(&self) -> DateTime {
        DateTime(self.0.at)
    }
}
