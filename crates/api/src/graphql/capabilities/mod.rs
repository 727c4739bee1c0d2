//! Research capabilities: `capability`, `capabilities` and the mutations of
//! a capability's life cycle.

mod objects;

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use crate::error::ApiResult as Result;
use crate::graphql::inputs::all;
use crate::graphql::inputs::id_of;
use iurhub_domain::records::capabilities::{CapabilityFilter, CapabilitySort};
use iurhub_domain::validate::{Achievement, CapabilityFields};

use super::context::ContextExt;
use super::enums::{AchievementKind, CapabilityStatus};
use super::ids::{Kind, decode};
use super::inputs::{ListOrder, code, keyword, maybe, order_tag, org_id};
use super::paging::{Conn, PageInput, connection};
use crate::error::ApiResult;
use iurhub_app::capabilities::CapabilityPatch;

pub use objects::CapabilityObject;

/// Filters of `capabilities`.
#[derive(InputObject, Default)]
pub struct CapabilityFilterInput {
    /// Only capabilities of this organisation.
    pub organization_id: Option<ID>,
    /// Only capabilities in one of these statuses.
    pub status: Option<Vec<CapabilityStatus>>,
    /// Case-insensitive text in the title, summary or keywords.
    pub keyword: Option<String>,
    /// A discipline code; capabilities with it or a code below it match.
    pub discipline_code: Option<String>,
    /// Only capabilities this talent is responsible for.
    pub talent_id: Option<ID>,
}

#[derive(Default)]
pub struct CapabilitiesQuery;

#[Object]
impl CapabilitiesQuery {
    /// One research capability; NOT_FOUND when it does not exist or is a draft of another organisation.
    async fn capability(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global id.")] id: ID,
    ) -> Result<Option<CapabilityObject>> {
        let id = decode("id", Kind::Capability, &id)?;
        Ok(Some(CapabilityObject(
            iurhub_app::capabilities::visible(ctx.app(), ctx.identity(), id).await?,
        )))
    }

    /// Research capabilities: published ones, plus drafts and archived ones of the caller's organisations.
    #[allow(clippy::too_many_arguments)]
    async fn capabilities(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Returns the first n items of the list (at most the page size limit, 100 by default; 20 when neither `first` nor `last` is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor (an edge's `cursor`).")]
        after: Option<String>,
        #[graphql(
            desc = "Returns the last n items of the list (at most the page size limit); not with `first`."
        )]
        last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor (an edge's `cursor`).")]
        before: Option<String>,
        #[graphql(
            desc = "Only the items matching every condition given (all visible items when omitted)."
        )]
        filter: Option<CapabilityFilterInput>,
        #[graphql(desc = "The order of the list (its default is named on the ordering input).")]
        order_by: Option<ListOrder>,
    ) -> Result<Conn<CapabilityObject>> {
        let filter = filter.unwrap_or_default();
        let order = order_by.unwrap_or_default();
        let tag = order_tag("capabilities", order.field, order.direction);
        let args = PageInput::new(first, after, last, before).to_args(ctx, &tag)?;
        let store_filter = CapabilityFilter {
            organization_id: org_id("filter.organizationId", filter.organization_id)?,
            statuses: all(filter.status),
            keyword: keyword(filter.keyword)?,
            discipline_code: code("filter.disciplineCode", filter.discipline_code)?,
            talent_id: id_of("filter.talentId", Kind::Talent, filter.talent_id)?,
        };
        let sort = order.sort([
            CapabilitySort::CreatedAt,
            CapabilitySort::UpdatedAt,
            CapabilitySort::Title,
        ]);
        let page = iurhub_app::capabilities::list(
            ctx.app(),
            ctx.identity(),
            &store_filter,
            sort,
            order.descending(),
            args,
        )
        .await?;
        Ok(connection(&tag, page, CapabilityObject))
    }
}

/// One achievement of a capability.
#[derive(InputObject)]
pub struct AchievementInput {
    /// What it is: a patent, paper, award, project…
    pub kind: AchievementKind,
    /// Its title; 1 to 500 characters.
    pub title: String,
    /// The year, 1900–2100.
    pub year: Option<i32>,
    /// Patent number, DOI, award body or similar; at most 200 characters.
    pub reference: Option<String>,
}

impl From<AchievementInput> for Achievement {
    fn from(a: AchievementInput) -> Self {
        Achievement {
            kind: a.kind.into(),
            title: a.title,
            year: a.year,
            reference: a.reference,
        }
    }
}

/// A new research capability; it starts as DRAFT.
#[derive(InputObject)]
pub struct CreateCapabilityInput {
    /// The owning college, lab or institute; the caller must be a member.
    pub organization_id: ID,
    /// 1 to 200 characters.
    pub title: String,
    /// What the group can do; at most 20,000 characters.
    #[graphql(default)]
    pub summary: String,
    /// Up to 30 keywords of at most 60 characters; duplicates are dropped.
    #[graphql(default)]
    pub keywords: Vec<String>,
    /// Discipline codes (GB/T 13745), up to 20; unknown codes are refused.
    #[graphql(default)]
    pub discipline_codes: Vec<String>,
    /// Technology readiness level reached, 1–9.
    pub trl: Option<i32>,
    /// Achievements backing it, up to 100.
    #[graphql(default)]
    pub achievements: Vec<AchievementInput>,
    /// Talent profiles responsible for the capability.
    #[graphql(default)]
    pub talent_ids: Vec<ID>,
}

impl CreateCapabilityInput {
    /// The capability's fields, with the talent ids decoded by the caller
    /// (and the organisation).
    pub fn into_fields(self, talent_ids: Vec<i64>) -> CapabilityFields {
        CapabilityFields {
            title: self.title,
            summary: self.summary,
            keywords: self.keywords,
            discipline_codes: self.discipline_codes,
            trl: self.trl,
            achievements: self.achievements.into_iter().map(Into::into).collect(),
            talent_ids,
        }
    }
}

/// Changes to a capability; omitted fields keep their value.
#[derive(InputObject)]
pub struct UpdateCapabilityInput {
    /// The capability to change.
    pub id: ID,
    /// The version last read; a capability changed since is a CONFLICT.
    pub version: Option<i32>,
    /// 1 to 200 characters.
    pub title: Option<String>,
    /// At most 20,000 characters.
    pub summary: Option<String>,
    /// Replaces the keywords.
    pub keywords: Option<Vec<String>>,
    /// Replaces the discipline codes (GB/T 13745).
    pub discipline_codes: Option<Vec<String>>,
    /// Technology readiness level reached, 1–9; `null` clears it.
    pub trl: MaybeUndefined<i32>,
    /// Replaces the achievements.
    pub achievements: Option<Vec<AchievementInput>>,
    /// Replaces the responsible talent profiles.
    pub talent_ids: Option<Vec<ID>>,
}

/// Result of a capability mutation.
#[derive(SimpleObject)]
pub struct CapabilityPayload {
    /// The capability as it is now.
    pub capability: CapabilityObject,
}

fn talent_ids(field: &str, ids: &[ID]) -> ApiResult<Vec<i64>> {
    ids.iter()
        .map(|id| decode(field, Kind::Talent, id))
        .collect()
}

#[derive(Default)]
pub struct CapabilitiesMutation;

#[Object]
impl CapabilitiesMutation {
    /// Creates a DRAFT research capability for one of the caller's organisations.
    async fn create_capability(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `CreateCapabilityInput`.")]
        input: CreateCapabilityInput,
    ) -> Result<CapabilityPayload> {
        let caller = ctx.caller()?;
        let org = decode("organizationId", Kind::Organization, &input.organization_id)?;
        let talent_ids = talent_ids("talentIds", &input.talent_ids)?;
        let fields = input.into_fields(talent_ids);
        let capability = iurhub_app::capabilities::create(ctx.app(), caller, org, fields).await?;
        Ok(CapabilityPayload {
            capability: CapabilityObject(capability),
        })
    }

    /// Edits a DRAFT or PUBLISHED capability.
    async fn update_capability(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `UpdateCapabilityInput`.")]
        input: UpdateCapabilityInput,
    ) -> Result<CapabilityPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Capability, &input.id)?;
        let patch = CapabilityPatch {
            title: input.title,
            summary: input.summary,
            keywords: input.keywords,
            discipline_codes: input.discipline_codes,
            trl: maybe(input.trl),
            achievements: input
                .achievements
                .map(|a| a.into_iter().map(Into::into).collect()),
            talent_ids: input
                .talent_ids
                .map(|ids| talent_ids("talentIds", &ids))
                .transpose()?,
        };
        let capability =
            iurhub_app::capabilities::update(ctx.app(), caller, id, patch, input.version).await?;
        Ok(CapabilityPayload {
            capability: CapabilityObject(capability),
        })
    }

    /// DRAFT or ARCHIVED → PUBLISHED.
    async fn publish_capability(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `PublishCapabilityInput`.")]
        input: PublishCapabilityInput,
    ) -> Result<CapabilityPayload> {
        capability_transition(ctx, input.id, CapabilityStatus::Published).await
    }

    /// Confirms a DRAFT or PUBLISHED capability still current (its
    /// organisation's members, who may edit it): `confirmedAt` becomes now.
    /// A PUBLISHED capability unconfirmed for `listing_confirm_days` (180 by
    /// default) tells its organisation (`LISTING_UNCONFIRMED`) and, 30 days
    /// later, is archived (`LISTING_WITHDRAWN`; `publishCapability` lists it
    /// again); editing or publishing confirms too.
    async fn confirm_capability(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `ConfirmCapabilityInput`.")]
        input: ConfirmCapabilityInput,
    ) -> Result<CapabilityPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Capability, &input.id)?;
        let capability = iurhub_app::capabilities::confirm(ctx.app(), caller, id).await?;
        Ok(CapabilityPayload {
            capability: CapabilityObject(capability),
        })
    }

    /// DRAFT or PUBLISHED → ARCHIVED.
    async fn archive_capability(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `ArchiveCapabilityInput`.")]
        input: ArchiveCapabilityInput,
    ) -> Result<CapabilityPayload> {
        capability_transition(ctx, input.id, CapabilityStatus::Archived).await
    }
}

/// Which capability `publishCapability` publishes.
#[derive(InputObject)]
pub struct PublishCapabilityInput {
    /// The capability, DRAFT or ARCHIVED.
    pub id: ID,
}

/// Which capability `confirmCapability` confirms.
#[derive(InputObject)]
pub struct ConfirmCapabilityInput {
    /// The capability, DRAFT or PUBLISHED.
    pub id: ID,
}

/// Which capability `archiveCapability` archives.
#[derive(InputObject)]
pub struct ArchiveCapabilityInput {
    /// The capability, DRAFT or PUBLISHED.
    pub id: ID,
}

async fn capability_transition(
    ctx: &Context<'_>,
    id: ID,
    to: CapabilityStatus,
) -> Result<CapabilityPayload> {
    let caller = ctx.caller()?;
    let id = decode("id", Kind::Capability, &id)?;
    let capability = iurhub_app::capabilities::transition(ctx.app(), caller, id, to.into()).await?;
    Ok(CapabilityPayload {
        capability: CapabilityObject(capability),
    })
}
