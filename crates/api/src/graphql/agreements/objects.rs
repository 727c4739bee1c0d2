//! The `Agreement` type and its parties.

use async_graphql::{Context, ID, Object};

use super::AgreementCoordinatorGrantObject;
use crate::error::ApiResult as Result;
use crate::graphql::activities::{ActivityFilterInput, ActivityObject};
use crate::graphql::context::{ContextExt, load_many, load_one};
use crate::graphql::enums::{AgreementStatus, ProjectArea};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::{OrganizationId, UserId};
use crate::graphql::needs::NeedObject;
use crate::graphql::organizations::{OrganizationObject, UserObject};
use crate::graphql::paging::{Conn, PageInput, connection};
use crate::graphql::plans::{self, AnnualPlanObject, PlanProgressObject};
use crate::graphql::projects::{ProjectFilterInput, ProjectObject, ProjectOrder, list_query};
use crate::graphql::scalars::{Date, DateTime};
use crate::graphql::stats::AnnualReviewObject;
use iurhub_app::agreements;
use iurhub_domain::records::agreements::{Agreement, AgreementParty};
use iurhub_domain::records::needs::{NeedFilter, NeedSort};

/// A framework agreement (合作框架协议) between organisations.
pub struct AgreementObject(pub Agreement);

/// A framework agreement (合作框架协议): the standing cooperation between two
/// or more organisations — its term, the cooperation areas it covers, the
/// people responsible on each side — under which projects and needs are
/// filed, turning scattered projects into organised cooperation. Seen by
/// members of its parties (and ORG_ADMINs above them), coordinators and
/// admins; to anyone else it does not exist.
#[Object(name = "Agreement")]
impl AgreementObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Agreement, self.0.id))
    }

    /// The agreement's title, 1 to 200 characters.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// When it was signed; set to the day of activation when not given.
    async fn signed_on(&self) -> Option<Date> {
        self.0.signed_on.map(Date)
    }

    /// First day of the term.
    async fn term_start(&self) -> Date {
        Date(self.0.term_start)
    }

    /// Last day of the term: from the next day (China Standard Time) an
    /// ACTIVE agreement is EXPIRED.
    async fn term_end(&self) -> Date {
        Date(self.0.term_end)
    }

    /// Where the agreement is in its life cycle today (EXPIRED is derived
    /// from `termEnd`, never set by a mutation).
    async fn status(&self) -> AgreementStatus {
        self.0.status_on(agreements::today()).into()
    }

    /// Why the agreement was terminated.
    async fn termination_reason(&self) -> Option<&str> {
        self.0.termination_reason.as_deref()
    }

    /// For optimistic concurrency: pass it back to the agreement mutations.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The cooperation areas the agreement covers.
    async fn areas(&self) -> Vec<ProjectArea> {
        self.0.areas.iter().copied().map(Into::into).collect()
    }

    /// The party organisations, each with its confirmation and the people
    /// responsible on its side.
    async fn parties(&self) -> Vec<AgreementPartyObject> {
        self.0
            .parties
            .iter()
            .cloned()
            .map(AgreementPartyObject)
            .collect()
    }

    /// The agreement's projects — the dynamically updated project list —
    /// with the filters and orderings of `projects` (by due date, soonest
    /// first, by default). Only projects the caller may see are listed; a
    /// project filed under the agreement or changed shows here at once.
    #[allow(clippy::too_many_arguments)]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n projects (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the projects after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n projects (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the projects before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which of the agreement's projects to list.")] filter: Option<
            ProjectFilterInput,
        >,
        #[graphql(desc = "How to sort them (default: by due date).")] order_by: Option<
            ProjectOrder,
        >,
    ) -> Result<Conn<ProjectObject>> {
        let caller = ctx.caller()?;
        let (mut filter, sort, descending, tag) = list_query(filter.unwrap_or_default(), order_by)?;
        filter.agreement_id = Some(self.0.id);
        let tag = format!("agreement{}:{tag}", self.0.id);
        let args = PageInput::new(first, after, last, before).to_args(ctx, &tag)?;
        let page =
            iurhub_app::projects::list(ctx.app(), caller, filter, sort, descending, args).await?;
        Ok(connection(&tag, page, ProjectObject))
    }

    /// The needs filed under the agreement that the caller may see, newest
    /// first.
    async fn needs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n needs (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the needs after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n needs (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the needs before this cursor.")] before: Option<String>,
    ) -> Result<Conn<NeedObject>> {
        let filter = NeedFilter {
            agreement_id: Some(self.0.id),
            ..NeedFilter::default()
        };
        let tag = format!("agreement{}:needs:CreatedAt:Desc", self.0.id);
        let args = PageInput::new(first, after, last, before).to_args(ctx, &tag)?;
        let page = iurhub_app::needs::list(
            ctx.app(),
            ctx.identity(),
            &filter,
            NeedSort::CreatedAt,
            true,
            args,
        )
        .await?;
        Ok(connection(&tag, page, NeedObject::new))
    }

    /// The years the agreement has an annual plan for (targets or work
    /// items), ascending.
    async fn plans(&self, ctx: &Context<'_>) -> Result<Vec<AnnualPlanObject>> {
        let years = iurhub_app::plans::years(ctx.app(), ctx.identity(), self.0.id).await?;
        Ok(years
            .into_iter()
            .map(|year| AnnualPlanObject {
                agreement_id: self.0.id,
                year,
            })
            .collect())
    }

    /// The annual plan (年度工作计划) for `year`: its targets, work items and
    /// progress (empty lists when nothing is planned for that year).
    async fn plan(&self, #[graphql(desc = "The calendar year.")] year: i32) -> AnnualPlanObject {
        AnnualPlanObject {
            agreement_id: self.0.id,
            year,
        }
    }

    /// Target against actual for every metric of the plan in `year`, by
    /// area and metric: each target of the year, and — without a target —
    /// every metric of a covered area whose records give a value. Actuals
    /// are computed from the records at the time of the query (projects,
    /// matches, bookings, activities), never typed in; a record outside
    /// the year does not count. The records behind each number are in
    /// `contributions`.
    async fn progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The calendar year (China Standard Time).")] year: i32,
        #[graphql(desc = "Only this area.")] area: Option<ProjectArea>,
    ) -> Result<Vec<PlanProgressObject>> {
        plans::progress(ctx, self.0.id, year, area).await
    }

    /// The annual review (年度合作总结) for `year`: the plan's progress and
    /// the agreement's figures, as `GET /api/v1/agreements/{id}/review.csv`
    /// exports them.
    async fn review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The calendar year (China Standard Time).")] year: i32,
    ) -> Result<AnnualReviewObject> {
        let caller = ctx.caller()?;
        Ok(AnnualReviewObject(
            iurhub_app::stats::review(ctx.app(), caller, self.0.id, year).await?,
        ))
    }

    /// The cooperation activities filed under the agreement that the
    /// caller may see, with the filters of `activities`, newest first.
    #[allow(clippy::too_many_arguments)]
    async fn activities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n activities (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the activities after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n activities (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the activities before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which of the agreement's activities to list.")] filter: Option<
            ActivityFilterInput,
        >,
    ) -> Result<Conn<ActivityObject>> {
        let mut filter = filter.unwrap_or_default().into_filter("filter")?;
        filter.agreement_id = Some(self.0.id);
        let tag = format!("agreement{}:", self.0.id);
        crate::graphql::activities::list(ctx, filter, &tag, first, after, last, before).await
    }

    /// The users who coordinate the agreement now (active
    /// `grantAgreementCoordinator` grants), oldest grant first.
    async fn coordinators(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<AgreementCoordinatorGrantObject>> {
        let list =
            iurhub_app::agreement_coordinators::of_agreement(ctx.app(), ctx.identity(), &self.0)
                .await?;
        Ok(list
            .into_iter()
            .map(AgreementCoordinatorGrantObject)
            .collect())
    }

    /// Whether the signed-in user may edit the draft's terms and parties
    /// and name the people responsible (managers of a party, admins).
    async fn viewer_can_edit(&self, ctx: &Context<'_>) -> bool {
        ctx.caller().is_ok_and(|c| agreements::can_edit(c, &self.0))
    }

    /// The parties whose confirmation `activateAgreement` by the
    /// signed-in user would record now: of a DRAFT, those not confirmed yet
    /// that they are ORG_ADMIN of (every such party for an admin); empty
    /// otherwise.
    async fn viewer_confirms_for(&self, ctx: &Context<'_>) -> Result<Vec<OrganizationObject>> {
        let Ok(caller) = ctx.caller() else {
            return Ok(Vec::new());
        };
        if self.0.status_on(agreements::today()) != iurhub_domain::AgreementStatus::Draft {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = agreements::confirms_for(caller, &self.0)
            .into_iter()
            .filter(|org| self.0.party(*org).is_some_and(|p| p.confirmed_by.is_none()))
            .collect();
        let orgs = load_many(ctx, ids.into_iter().map(OrganizationId).collect()).await?;
        Ok(orgs.into_iter().map(OrganizationObject).collect())
    }

    /// When the agreement was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the agreement last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// One party of an agreement.
pub struct AgreementPartyObject(pub AgreementParty);

/// One party organisation of an agreement: its confirmation of the draft
/// and the people responsible for the cooperation on its side.
#[Object(name = "AgreementParty")]
impl AgreementPartyObject {
    /// The organisation.
    async fn organization(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        load_one(ctx, OrganizationId(self.0.organization_id))
            .await?
            .map(OrganizationObject)
            .ok_or(crate::error::ApiError::not_found("organization"))
    }

    /// Whether this party confirmed the draft (every party must before the
    /// agreement is ACTIVE); a changed draft needs confirming again.
    async fn confirmed(&self) -> bool {
        self.0.confirmed_by.is_some()
    }

    /// When this party confirmed.
    async fn confirmed_at(&self) -> Option<DateTime> {
        self.0.confirmed_at.map(DateTime)
    }

    /// Who confirmed for this party.
    async fn confirmed_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        let Some(id) = self.0.confirmed_by else {
            return Ok(None);
        };
        Ok(load_one(ctx, UserId(id)).await?.map(UserObject))
    }

    /// The people responsible for the agreement on this side (members of
    /// the organisation or of one below it).
    async fn responsible_people(&self, ctx: &Context<'_>) -> Result<Vec<UserObject>> {
        let users = load_many(
            ctx,
            self.0
                .responsible_user_ids
                .iter()
                .copied()
                .map(UserId)
                .collect(),
        )
        .await?;
        Ok(users.into_iter().map(UserObject).collect())
    }
}
