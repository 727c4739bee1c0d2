//! Write side of the schema: every mutation takes an input object (or an id)
//! and returns a payload.

mod import;

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::NaiveDate;
use iurhub_domain::validate::{
    Achievement, CapabilityFields, NeedFields, OrganizationFields, Region, TalentFields,
};

use super::capabilities::CapabilityObject;
use super::context::ContextExt;
use super::enums::{
    AchievementKind, CapabilityStatus, CooperationMode, DeclineReason, MatchStatus, NeedStatus,
    OrgKind, OrgRole, Visibility,
};
use super::ids::{Kind, decode, decode_match};
use super::matching::MatchObject;
use super::needs::NeedObject;
use super::organizations::{MembershipObject, OrganizationObject};
use super::talents::TalentObject;
use crate::error::ApiResult;
use crate::service;
use crate::service::capabilities::CapabilityPatch;
use crate::service::matching;
use crate::service::needs::NeedPatch;
use import::{ImportCapabilitiesPayload, ImportNeedsPayload};

/// Province and city.
#[derive(InputObject, Default)]
pub struct RegionInput {
    pub province: Option<String>,
    pub city: Option<String>,
}

/// A new organisation.
#[derive(InputObject)]
pub struct CreateOrganizationInput {
    pub name: String,
    pub kind: OrgKind,
    /// The organisation it belongs to; omit for a top-level one.
    pub parent_id: Option<ID>,
    pub region: Option<RegionInput>,
}

/// Result of `createOrganization`.
#[derive(SimpleObject)]
pub struct OrganizationPayload {
    pub organization: OrganizationObject,
}

/// A registered user to add to an organisation.
#[derive(InputObject)]
pub struct AddMemberInput {
    pub organization_id: ID,
    /// E-mail the user registered with.
    pub email: String,
    #[graphql(default_with = "OrgRole::Member")]
    pub role: OrgRole,
}

/// Result of `addMember`.
#[derive(SimpleObject)]
pub struct MembershipPayload {
    pub membership: MembershipObject,
}

/// A new technology need; it starts as DRAFT.
#[derive(InputObject)]
pub struct CreateNeedInput {
    /// The organisation posting it; the caller must be a member.
    pub organization_id: ID,
    /// At most 200 characters.
    pub title: String,
    #[graphql(default)]
    pub description: String,
    #[graphql(default)]
    pub keywords: Vec<String>,
    #[graphql(default)]
    pub discipline_codes: Vec<String>,
    #[graphql(default)]
    pub industry_codes: Vec<String>,
    /// Required technology readiness level, 1–9.
    pub trl_required: Option<i32>,
    /// CNY.
    pub budget_min: Option<i64>,
    /// CNY; not below `budgetMin`.
    pub budget_max: Option<i64>,
    pub deadline: Option<NaiveDate>,
    #[graphql(default)]
    pub cooperation_modes: Vec<CooperationMode>,
    #[graphql(default_with = "Visibility::Public")]
    pub visibility: Visibility,
}

/// Changes to a need; omitted fields keep their value, `null` clears an optional one.
#[derive(InputObject)]
pub struct UpdateNeedInput {
    pub id: ID,
    /// The version last read; a need changed since is a CONFLICT instead of being overwritten.
    pub version: Option<i32>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub keywords: Option<Vec<String>>,
    pub discipline_codes: Option<Vec<String>>,
    pub industry_codes: Option<Vec<String>>,
    pub trl_required: MaybeUndefined<i32>,
    pub budget_min: MaybeUndefined<i64>,
    pub budget_max: MaybeUndefined<i64>,
    pub deadline: MaybeUndefined<NaiveDate>,
    pub cooperation_modes: Option<Vec<CooperationMode>>,
    pub visibility: Option<Visibility>,
}

/// Result of a need mutation.
#[derive(SimpleObject)]
pub struct NeedPayload {
    pub need: NeedObject,
}

/// One achievement of a capability.
#[derive(InputObject)]
pub struct AchievementInput {
    pub kind: AchievementKind,
    pub title: String,
    pub year: Option<i32>,
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
    pub title: String,
    #[graphql(default)]
    pub summary: String,
    #[graphql(default)]
    pub keywords: Vec<String>,
    #[graphql(default)]
    pub discipline_codes: Vec<String>,
    /// Technology readiness level reached, 1–9.
    pub trl: Option<i32>,
    #[graphql(default)]
    pub achievements: Vec<AchievementInput>,
    /// Talent profiles responsible for the capability.
    #[graphql(default)]
    pub talent_ids: Vec<ID>,
}

/// Changes to a capability; omitted fields keep their value.
#[derive(InputObject)]
pub struct UpdateCapabilityInput {
    pub id: ID,
    /// The version last read; a capability changed since is a CONFLICT.
    pub version: Option<i32>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub keywords: Option<Vec<String>>,
    pub discipline_codes: Option<Vec<String>>,
    pub trl: MaybeUndefined<i32>,
    pub achievements: Option<Vec<AchievementInput>>,
    pub talent_ids: Option<Vec<ID>>,
}

/// Result of a capability mutation.
#[derive(SimpleObject)]
pub struct CapabilityPayload {
    pub capability: CapabilityObject,
}

/// A talent profile to create or replace.
#[derive(InputObject)]
pub struct UpsertTalentProfileInput {
    /// The profile to replace; omit to create one (or to update your own with `linkToMe`).
    pub id: Option<ID>,
    pub organization_id: ID,
    pub name: String,
    /// Academic or professional title.
    pub title: Option<String>,
    #[graphql(default)]
    pub bio: String,
    #[graphql(default)]
    pub keywords: Vec<String>,
    #[graphql(default)]
    pub discipline_codes: Vec<String>,
    #[graphql(default)]
    pub availability: Vec<CooperationMode>,
    /// The profile is the caller's own: created once, updated afterwards.
    #[graphql(default)]
    pub link_to_me: bool,
}

/// Result of `upsertTalentProfile`.
#[derive(SimpleObject)]
pub struct TalentPayload {
    pub talent: TalentObject,
}

/// A nullable input field: absent keeps the value, `null` clears it.
pub(super) fn maybe<T>(v: MaybeUndefined<T>) -> Option<Option<T>> {
    match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

fn talent_ids(field: &str, ids: Vec<ID>) -> ApiResult<Vec<i64>> {
    ids.iter()
        .map(|id| decode(field, Kind::Talent, id))
        .collect()
}

#[derive(Default)]
pub struct Mutation;

#[Object(name = "CoreMutation")]
impl Mutation {
    /// Creates an organisation (ADMIN or COORDINATOR).
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> Result<OrganizationPayload> {
        let caller = ctx.caller()?;
        let region = input.region.unwrap_or_default();
        let fields = OrganizationFields {
            name: input.name,
            kind: input.kind.into(),
            parent_id: input
                .parent_id
                .map(|id| decode("parentId", Kind::Organization, &id))
                .transpose()?,
            region: Region {
                province: region.province,
                city: region.city,
            },
        };
        let organization = service::organizations::create(ctx.store(), caller, fields).await?;
        Ok(OrganizationPayload {
            organization: OrganizationObject(organization),
        })
    }

    /// Adds a registered user to an organisation (ADMIN, or an ORG_ADMIN of that organisation).
    async fn add_member(
        &self,
        ctx: &Context<'_>,
        input: AddMemberInput,
    ) -> Result<MembershipPayload> {
        let caller = ctx.caller()?;
        let org = decode("organizationId", Kind::Organization, &input.organization_id)?;
        let membership = service::organizations::add_member(
            ctx.store(),
            caller,
            org,
            &input.email,
            input.role.into(),
        )
        .await?;
        Ok(MembershipPayload {
            membership: MembershipObject(membership),
        })
    }

    /// Creates a DRAFT technology need for one of the caller's organisations.
    async fn create_need(&self, ctx: &Context<'_>, input: CreateNeedInput) -> Result<NeedPayload> {
        let caller = ctx.caller()?;
        let org = decode("organizationId", Kind::Organization, &input.organization_id)?;
        let fields = NeedFields {
            title: input.title,
            description: input.description,
            keywords: input.keywords,
            discipline_codes: input.discipline_codes,
            industry_codes: input.industry_codes,
            trl_required: input.trl_required,
            budget_min: input.budget_min,
            budget_max: input.budget_max,
            deadline: input.deadline,
            cooperation_modes: input
                .cooperation_modes
                .into_iter()
                .map(Into::into)
                .collect(),
            visibility: input.visibility.into(),
        };
        let need = service::needs::create(ctx.store(), caller, org, fields).await?;
        matching::reindex(ctx.index(), matching::need_doc(&need));
        Ok(NeedPayload {
            need: NeedObject::new(need),
        })
    }

    /// Edits a DRAFT or PUBLISHED need.
    async fn update_need(&self, ctx: &Context<'_>, input: UpdateNeedInput) -> Result<NeedPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Need, &input.id)?;
        let patch = NeedPatch {
            title: input.title,
            description: input.description,
            keywords: input.keywords,
            discipline_codes: input.discipline_codes,
            industry_codes: input.industry_codes,
            trl_required: maybe(input.trl_required),
            budget_min: maybe(input.budget_min),
            budget_max: maybe(input.budget_max),
            deadline: maybe(input.deadline),
            cooperation_modes: input
                .cooperation_modes
                .map(|m| m.into_iter().map(Into::into).collect()),
            visibility: input.visibility.map(Into::into),
        };
        let need = service::needs::update(ctx.store(), caller, id, patch, input.version).await?;
        matching::reindex(ctx.index(), matching::need_doc(&need));
        Ok(NeedPayload {
            need: NeedObject::new(need),
        })
    }

    /// DRAFT → PUBLISHED: the need becomes visible according to its visibility.
    async fn publish_need(&self, ctx: &Context<'_>, id: ID) -> Result<NeedPayload> {
        need_transition(ctx, id, NeedStatus::Published).await
    }

    /// DRAFT or PUBLISHED → WITHDRAWN.
    async fn withdraw_need(&self, ctx: &Context<'_>, id: ID) -> Result<NeedPayload> {
        need_transition(ctx, id, NeedStatus::Withdrawn).await
    }

    /// PUBLISHED or IN_COOPERATION → CLOSED.
    async fn close_need(&self, ctx: &Context<'_>, id: ID) -> Result<NeedPayload> {
        need_transition(ctx, id, NeedStatus::Closed).await
    }

    /// Creates a DRAFT research capability for one of the caller's organisations.
    async fn create_capability(
        &self,
        ctx: &Context<'_>,
        input: CreateCapabilityInput,
    ) -> Result<CapabilityPayload> {
        let caller = ctx.caller()?;
        let org = decode("organizationId", Kind::Organization, &input.organization_id)?;
        let fields = CapabilityFields {
            title: input.title,
            summary: input.summary,
            keywords: input.keywords,
            discipline_codes: input.discipline_codes,
            trl: input.trl,
            achievements: input.achievements.into_iter().map(Into::into).collect(),
            talent_ids: talent_ids("talentIds", input.talent_ids)?,
        };
        let capability = service::capabilities::create(ctx.store(), caller, org, fields).await?;
        matching::reindex(ctx.index(), matching::capability_doc(&capability));
        Ok(CapabilityPayload {
            capability: CapabilityObject(capability),
        })
    }

    /// Edits a DRAFT or PUBLISHED capability.
    async fn update_capability(
        &self,
        ctx: &Context<'_>,
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
                .map(|ids| talent_ids("talentIds", ids))
                .transpose()?,
        };
        let capability =
            service::capabilities::update(ctx.store(), caller, id, patch, input.version).await?;
        matching::reindex(ctx.index(), matching::capability_doc(&capability));
        announce_if_published(ctx, [&capability]);
        Ok(CapabilityPayload {
            capability: CapabilityObject(capability),
        })
    }

    /// DRAFT or ARCHIVED → PUBLISHED.
    async fn publish_capability(&self, ctx: &Context<'_>, id: ID) -> Result<CapabilityPayload> {
        capability_transition(ctx, id, CapabilityStatus::Published).await
    }

    /// DRAFT or PUBLISHED → ARCHIVED.
    async fn archive_capability(&self, ctx: &Context<'_>, id: ID) -> Result<CapabilityPayload> {
        capability_transition(ctx, id, CapabilityStatus::Archived).await
    }

    /// Creates up to 1,000 research capabilities at once, all or nothing:
    /// every row is checked like `createCapability` (the caller must be able
    /// to write for each row's organisation), and when any row is invalid
    /// nothing is written and the BAD_USER_INPUT error names every problem as
    /// `input[row].field`. DRAFT, or PUBLISHED with `publish: true`; the new
    /// capabilities are searchable and matchable at once.
    async fn import_capabilities(
        &self,
        ctx: &Context<'_>,
        input: Vec<CreateCapabilityInput>,
        #[graphql(default = false)] publish: bool,
    ) -> Result<ImportCapabilitiesPayload> {
        import::capabilities(ctx, input, publish).await
    }

    /// Creates up to 1,000 technology needs at once, all or nothing, with the
    /// rules of `createNeed` and the error shape of `importCapabilities`.
    /// DRAFT, or PUBLISHED with `publish: true`.
    async fn import_needs(
        &self,
        ctx: &Context<'_>,
        input: Vec<CreateNeedInput>,
        #[graphql(default = false)] publish: bool,
    ) -> Result<ImportNeedsPayload> {
        import::needs(ctx, input, publish).await
    }

    /// SUGGESTED → SHORTLISTED: keep this capability in view.
    async fn shortlist_match(&self, ctx: &Context<'_>, id: ID) -> Result<MatchPayload> {
        decide(ctx, id, MatchStatus::Shortlisted, None).await
    }

    /// → CONTACTED: the enterprise has contacted the capability's team.
    async fn contact_match(&self, ctx: &Context<'_>, id: ID) -> Result<MatchPayload> {
        decide(ctx, id, MatchStatus::Contacted, None).await
    }

    /// → ACCEPTED: both sides want to cooperate (a project can start from here).
    async fn accept_match(&self, ctx: &Context<'_>, id: ID) -> Result<MatchPayload> {
        decide(ctx, id, MatchStatus::Accepted, None).await
    }

    /// → DECLINED with a reason; the pair is never suggested again and the
    /// reason is kept as feedback.
    async fn decline_match(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: DeclineReasonInput,
    ) -> Result<MatchPayload> {
        let comment = reason
            .comment
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        if comment.as_deref().is_some_and(|c| c.chars().count() > 2000) {
            return Err(crate::error::ApiError::bad_input(
                "reason.comment",
                "must be at most 2000 characters",
            )
            .into());
        }
        decide(
            ctx,
            id,
            MatchStatus::Declined,
            Some((reason.code.into(), comment)),
        )
        .await
    }

    /// Creates or replaces a talent profile.
    async fn upsert_talent_profile(
        &self,
        ctx: &Context<'_>,
        input: UpsertTalentProfileInput,
    ) -> Result<TalentPayload> {
        let caller = ctx.caller()?;
        let id = input
            .id
            .map(|id| decode("id", Kind::Talent, &id))
            .transpose()?;
        let fields = TalentFields {
            organization_id: decode("organizationId", Kind::Organization, &input.organization_id)?,
            name: input.name,
            title: input.title,
            bio: input.bio,
            keywords: input.keywords,
            discipline_codes: input.discipline_codes,
            availability: input.availability.into_iter().map(Into::into).collect(),
        };
        let talent =
            service::talents::upsert(ctx.store(), caller, id, input.link_to_me, fields).await?;
        matching::reindex(ctx.index(), matching::talent_doc(&talent));
        Ok(TalentPayload {
            talent: TalentObject(talent),
        })
    }
}

async fn need_transition(ctx: &Context<'_>, id: ID, to: NeedStatus) -> Result<NeedPayload> {
    let caller = ctx.caller()?;
    let id = decode("id", Kind::Need, &id)?;
    let need = service::needs::transition(ctx.store(), caller, id, to.into()).await?;
    matching::reindex(ctx.index(), matching::need_doc(&need));
    Ok(NeedPayload {
        need: NeedObject::new(need),
    })
}

/// Tells `matchSuggested` subscribers about capabilities open for matching.
fn announce_if_published<'a>(
    ctx: &Context<'_>,
    capabilities: impl IntoIterator<Item = &'a iurhub_store::capabilities::Capability>,
) {
    let capability_ids: Vec<i64> = capabilities
        .into_iter()
        .filter(|c| c.status == iurhub_domain::CapabilityStatus::Published)
        .map(|c| c.id)
        .collect();
    if !capability_ids.is_empty() {
        ctx.events()
            .publish(crate::events::Event::CapabilitiesPublished { capability_ids });
    }
}

async fn capability_transition(
    ctx: &Context<'_>,
    id: ID,
    to: CapabilityStatus,
) -> Result<CapabilityPayload> {
    let caller = ctx.caller()?;
    let id = decode("id", Kind::Capability, &id)?;
    let capability = service::capabilities::transition(ctx.store(), caller, id, to.into()).await?;
    matching::reindex(ctx.index(), matching::capability_doc(&capability));
    announce_if_published(ctx, [&capability]);
    Ok(CapabilityPayload {
        capability: CapabilityObject(capability),
    })
}

/// Why a match is declined.
#[derive(InputObject)]
pub struct DeclineReasonInput {
    pub code: DeclineReason,
    /// Free text for the coordinators, at most 2000 characters.
    pub comment: Option<String>,
}

/// Result of a match decision.
#[derive(SimpleObject)]
pub struct MatchPayload {
    #[graphql(name = "match")]
    pub matched: MatchObject,
}

async fn decide(
    ctx: &Context<'_>,
    id: ID,
    to: MatchStatus,
    reason: Option<(iurhub_domain::DeclineReason, Option<String>)>,
) -> Result<MatchPayload> {
    let caller = ctx.caller()?;
    let (need_id, capability_id) = decode_match("id", &id)?;
    let step = matching::Step {
        need_id,
        capability_id,
        to: to.into(),
        reason,
    };
    let decided = matching::decide(
        ctx.store(),
        ctx.index(),
        ctx.match_cache(),
        ctx.weights(),
        caller,
        step,
    )
    .await?;
    Ok(MatchPayload {
        matched: MatchObject(Box::new(decided)),
    })
}
