//! Technology needs: `need`, `needs` and the mutations of a need's life
//! cycle.

mod objects;

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use crate::error::ApiResult as Result;
use crate::graphql::inputs::all;
use crate::graphql::scalars::{Date, Decimal};
use iurhub_domain::records::needs::{NeedFilter, NeedSort};
use iurhub_domain::validate::NeedFields;

use super::context::ContextExt;
use super::enums::{CooperationMode, NeedStatus, Visibility};
use super::ids::{Kind, decode};
use super::inputs::{ListOrder, code, keyword, maybe, order_tag, org_id};
use super::paging::{Conn, PageInput, connection};
use iurhub_app::needs;
use iurhub_app::needs::NeedPatch;

pub use objects::{MatchFilterInput, NeedObject};

/// Filters of `needs`; all given ones must hold.
#[derive(InputObject, Default)]
pub struct NeedFilterInput {
    /// Only needs of this organisation.
    pub organization_id: Option<ID>,
    /// Only needs in one of these statuses.
    pub status: Option<Vec<NeedStatus>>,
    /// Only needs with this visibility.
    pub visibility: Option<Visibility>,
    /// Case-insensitive text in the title, description or keywords.
    pub keyword: Option<String>,
    /// A discipline code; needs with it or a code below it match.
    pub discipline_code: Option<String>,
    /// An industry code; needs with it or a code below it match.
    pub industry_code: Option<String>,
}

#[derive(Default)]
pub struct NeedsQuery;

#[Object]
impl NeedsQuery {
    /// One technology need; NOT_FOUND when it does not exist or the caller may not see it.
    async fn need(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global id.")] id: ID,
    ) -> Result<Option<NeedObject>> {
        let id = decode("id", Kind::Need, &id)?;
        Ok(Some(NeedObject::new(
            iurhub_app::needs::visible(ctx.app(), ctx.identity(), id).await?,
        )))
    }

    /// Technology needs the caller may see: public ones for everybody, platform ones for
    /// signed-in users, and every need of the caller's own organisations.
    #[allow(clippy::too_many_arguments)]
    async fn needs(
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
        filter: Option<NeedFilterInput>,
        #[graphql(desc = "The order of the list (its default is named on the ordering input).")]
        order_by: Option<ListOrder>,
    ) -> Result<Conn<NeedObject>> {
        let filter = filter.unwrap_or_default();
        let order = order_by.unwrap_or_default();
        let tag = order_tag("needs", order.field, order.direction);
        let args = PageInput::new(first, after, last, before).to_args(ctx, &tag)?;
        let store_filter = NeedFilter {
            agreement_id: None,
            organization_id: org_id("filter.organizationId", filter.organization_id)?,
            statuses: all(filter.status),
            visibility: filter.visibility.map(Into::into),
            keyword: keyword(filter.keyword)?,
            discipline_code: code("filter.disciplineCode", filter.discipline_code)?,
            industry_code: code("filter.industryCode", filter.industry_code)?,
        };
        let sort = order.sort([NeedSort::CreatedAt, NeedSort::UpdatedAt, NeedSort::Title]);
        let (app, who) = (ctx.app(), ctx.identity());
        let descending = order.descending();
        // Organisations asked for are read in the same statement.
        let asked = |node: async_graphql::Lookahead<'_>| node.field("organization").exists();
        let look = ctx.look_ahead();
        if asked(look.field("edges").field("node")) || asked(look.field("nodes")) {
            let page =
                needs::list_with_organizations(app, who, &store_filter, sort, descending, args)
                    .await?;
            Ok(connection(&tag, page, |(need, organization)| {
                NeedObject(need, organization)
            }))
        } else {
            let page = needs::list(app, who, &store_filter, sort, descending, args).await?;
            Ok(connection(&tag, page, NeedObject::new))
        }
    }
}

/// A new technology need; it starts as DRAFT.
#[derive(InputObject)]
pub struct CreateNeedInput {
    /// The organisation posting it; the caller must be a member.
    pub organization_id: ID,
    /// At most 200 characters.
    pub title: String,
    /// What is needed; at most 20,000 characters.
    #[graphql(default)]
    pub description: String,
    /// Up to 30 keywords of at most 60 characters; duplicates are dropped.
    #[graphql(default)]
    pub keywords: Vec<String>,
    /// Discipline codes (GB/T 13745), up to 20; unknown codes are refused.
    #[graphql(default)]
    pub discipline_codes: Vec<String>,
    /// Industry codes (GB/T 4754), up to 20; unknown codes are refused.
    #[graphql(default)]
    pub industry_codes: Vec<String>,
    /// Required technology readiness level, 1–9.
    pub trl_required: Option<i32>,
    /// Lower end of the budget, in yuan (CNY).
    pub budget_min: Option<Decimal>,
    /// Upper end of the budget, in yuan (CNY); not below `budgetMin`.
    pub budget_max: Option<Decimal>,
    /// Answers wanted by this day: today or later (China Standard Time).
    pub deadline: Option<Date>,
    /// The ways of cooperating wanted.
    #[graphql(default)]
    pub cooperation_modes: Vec<CooperationMode>,
    /// Who may see it once published (PUBLIC by default).
    #[graphql(default_with = "Visibility::Public")]
    pub visibility: Visibility,
    /// The framework agreement the need belongs to: one of the caller's
    /// organisations must be a party, and the agreement a DRAFT or ACTIVE.
    /// Not taken by `importNeeds` (link imported needs with `updateNeed`).
    pub agreement_id: Option<ID>,
}

impl CreateNeedInput {
    /// The need's fields (the organisation is decoded by the caller).
    pub fn into_fields(self) -> NeedFields {
        NeedFields {
            title: self.title,
            description: self.description,
            keywords: self.keywords,
            discipline_codes: self.discipline_codes,
            industry_codes: self.industry_codes,
            trl_required: self.trl_required,
            budget_min: self.budget_min.map(|d| d.0),
            budget_max: self.budget_max.map(|d| d.0),
            deadline: self.deadline.map(Into::into),
            cooperation_modes: self.cooperation_modes.into_iter().map(Into::into).collect(),
            visibility: self.visibility.into(),
        }
    }
}

/// Changes to a need; omitted fields keep their value, `null` clears an optional one.
#[derive(InputObject)]
pub struct UpdateNeedInput {
    /// The need to change.
    pub id: ID,
    /// The version last read; a need changed since is a CONFLICT instead of being overwritten.
    pub version: Option<i32>,
    /// 1 to 200 characters.
    pub title: Option<String>,
    /// At most 20,000 characters.
    pub description: Option<String>,
    /// Replaces the keywords.
    pub keywords: Option<Vec<String>>,
    /// Replaces the discipline codes (GB/T 13745).
    pub discipline_codes: Option<Vec<String>>,
    /// Replaces the industry codes (GB/T 4754).
    pub industry_codes: Option<Vec<String>>,
    /// Required technology readiness level, 1–9; `null` clears it.
    pub trl_required: MaybeUndefined<i32>,
    /// Lower end of the budget, in yuan (CNY); `null` clears it.
    pub budget_min: MaybeUndefined<Decimal>,
    /// Upper end of the budget, in yuan (CNY); `null` clears it.
    pub budget_max: MaybeUndefined<Decimal>,
    /// A new deadline must be today or later (China Standard Time); `null` clears it.
    pub deadline: MaybeUndefined<Date>,
    /// Replaces the cooperation modes wanted.
    pub cooperation_modes: Option<Vec<CooperationMode>>,
    /// Who may see it once published.
    pub visibility: Option<Visibility>,
    /// Files the need under a framework agreement (one of the caller's
    /// organisations must be a party, the agreement a DRAFT or ACTIVE);
    /// `null` takes it out of its agreement.
    pub agreement_id: MaybeUndefined<ID>,
}

/// Result of a need mutation.
#[derive(SimpleObject)]
pub struct NeedPayload {
    /// The need as it is now.
    pub need: NeedObject,
}

#[derive(Default)]
pub struct NeedsMutation;

#[Object]
impl NeedsMutation {
    /// Creates a DRAFT technology need for one of the caller's organisations.
    async fn create_need(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `CreateNeedInput`.")] input: CreateNeedInput,
    ) -> Result<NeedPayload> {
        let caller = ctx.caller()?;
        let org = decode("organizationId", Kind::Organization, &input.organization_id)?;
        let agreement = crate::graphql::inputs::id_of(
            "agreementId",
            Kind::Agreement,
            input.agreement_id.clone(),
        )?;
        let fields = input.into_fields();
        let need = iurhub_app::needs::create_in(ctx.app(), caller, org, fields, agreement).await?;
        Ok(NeedPayload {
            need: NeedObject::new(need),
        })
    }

    /// Edits a DRAFT or PUBLISHED need.
    async fn update_need(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `UpdateNeedInput`.")] input: UpdateNeedInput,
    ) -> Result<NeedPayload> {
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
            agreement_id: crate::graphql::inputs::maybe_id(
                "agreementId",
                Kind::Agreement,
                input.agreement_id,
            )?,
        };
        let need = iurhub_app::needs::update(ctx.app(), caller, id, patch, input.version).await?;
        Ok(NeedPayload {
            need: NeedObject::new(need),
        })
    }

    /// DRAFT → PUBLISHED: the need becomes visible according to its visibility.
    async fn publish_need(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `PublishNeedInput`.")] input: PublishNeedInput,
    ) -> Result<NeedPayload> {
        need_transition(ctx, input.id, NeedStatus::Published).await
    }

    /// DRAFT or PUBLISHED → WITHDRAWN.
    async fn withdraw_need(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `WithdrawNeedInput`.")] input: WithdrawNeedInput,
    ) -> Result<NeedPayload> {
        need_transition(ctx, input.id, NeedStatus::Withdrawn).await
    }

    /// Confirms a DRAFT or PUBLISHED need still current (its organisation's
    /// members, who may edit it): `confirmedAt` becomes now. A PUBLISHED
    /// need unconfirmed for `listing_confirm_days` (180 by default) tells
    /// its organisation (`LISTING_UNCONFIRMED`) and, 30 days later, is
    /// withdrawn (`LISTING_WITHDRAWN`); editing or publishing confirms too.
    async fn confirm_need(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `ConfirmNeedInput`.")] input: ConfirmNeedInput,
    ) -> Result<NeedPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Need, &input.id)?;
        let need = iurhub_app::needs::confirm(ctx.app(), caller, id).await?;
        Ok(NeedPayload {
            need: NeedObject::new(need),
        })
    }

    /// PUBLISHED or IN_COOPERATION → CLOSED.
    async fn close_need(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `CloseNeedInput`.")] input: CloseNeedInput,
    ) -> Result<NeedPayload> {
        need_transition(ctx, input.id, NeedStatus::Closed).await
    }
}

/// Which need `publishNeed` publishes.
#[derive(InputObject)]
pub struct PublishNeedInput {
    /// The need, a DRAFT.
    pub id: ID,
}

/// Which need `withdrawNeed` withdraws.
#[derive(InputObject)]
pub struct WithdrawNeedInput {
    /// The need, DRAFT or PUBLISHED.
    pub id: ID,
}

/// Which need `confirmNeed` confirms.
#[derive(InputObject)]
pub struct ConfirmNeedInput {
    /// The need, DRAFT or PUBLISHED.
    pub id: ID,
}

/// Which need `closeNeed` closes.
#[derive(InputObject)]
pub struct CloseNeedInput {
    /// The need, PUBLISHED or IN_COOPERATION.
    pub id: ID,
}

async fn need_transition(ctx: &Context<'_>, id: ID, to: NeedStatus) -> Result<NeedPayload> {
    let caller = ctx.caller()?;
    let id = decode("id", Kind::Need, &id)?;
    let need = iurhub_app::needs::transition(ctx.app(), caller, id, to.into()).await?;
    Ok(NeedPayload {
        need: NeedObject::new(need),
    })
}
