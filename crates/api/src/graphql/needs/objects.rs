use crate::graphql::loaders::{
    DisciplineCode, IndustryCode, NeedDisciplines, NeedIndustries, OrganizationId, UserId,
};
use async_graphql::{Context, ID, Object};

use crate::error::ApiResult as Result;
use crate::graphql::inputs::id_of;
use crate::graphql::scalars::{Date, DateTime, Money};
use iurhub_domain::records::needs::Need;
use iurhub_domain::records::organizations::Organization;

use crate::error::{ApiError, AppError};
use crate::graphql::agreements::AgreementObject;
use crate::graphql::context::{ContextExt, load_one};
use crate::graphql::docking::InterestObject;
use crate::graphql::enums::{CooperationMode, MatchStatus, NeedStatus, Visibility};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::matching::{MatchObject, TalentMatchObject};
use crate::graphql::organizations::{OrganizationObject, UserObject};
use crate::graphql::paging::{Conn, PageInput, connection, slice, window};
use crate::graphql::taxonomy::{TaxonomyEntryObject, linked_codes, linked_entries};
use iurhub_app::matching::{self, MatchFilter};
use iurhub_domain::records::page::Page;

/// A technology need (技术需求) posted by an enterprise department, with its
/// organisation when that was read along (the need list reads it in the
/// same statement when the selection asks for it).
pub struct NeedObject(pub Need, pub Option<Organization>);

impl NeedObject {
    pub fn new(need: Need) -> NeedObject {
        NeedObject(need, None)
    }

    fn manageable(&self, ctx: &Context<'_>) -> bool {
        ctx.caller()
            .is_ok_and(|c| c.can_manage(self.0.organization_id))
    }
}

/// A technology need (技术需求) posted by an enterprise department: the
/// problem, its field, maturity and budget, and the suggestions for it.
#[Object(name = "Need")]
impl NeedObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Need, self.0.id))
    }

    /// 1 to 200 characters.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The problem, its constraints, the data and site available.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Free keywords, in any language.
    async fn keywords(&self) -> &[String] {
        &self.0.keywords
    }

    /// Discipline codes (GB/T 13745).
    async fn discipline_codes(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        linked_codes(ctx, NeedDisciplines(self.0.id)).await
    }

    /// The disciplines, with names.
    async fn disciplines(&self, ctx: &Context<'_>) -> Result<Vec<TaxonomyEntryObject>> {
        linked_entries(ctx, NeedDisciplines(self.0.id), DisciplineCode).await
    }

    /// Industry codes (GB/T 4754).
    async fn industry_codes(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        linked_codes(ctx, NeedIndustries(self.0.id)).await
    }

    /// The industries, with names.
    async fn industries(&self, ctx: &Context<'_>) -> Result<Vec<TaxonomyEntryObject>> {
        linked_entries(ctx, NeedIndustries(self.0.id), IndustryCode).await
    }

    /// Technology readiness level the solution must reach (1–9).
    async fn trl_required(&self) -> Option<i32> {
        self.0.trl_required
    }

    /// Lower end of the budget.
    async fn budget_min(&self) -> Option<Money> {
        self.0.budget_min.map(Money::fen)
    }

    /// Upper end of the budget.
    async fn budget_max(&self) -> Option<Money> {
        self.0.budget_max.map(Money::fen)
    }

    /// Date by which a partner is wanted.
    async fn deadline(&self) -> Option<Date> {
        self.0.deadline.map(Date)
    }

    /// Ways of cooperating the organisation is open to.
    async fn cooperation_modes(&self) -> Vec<CooperationMode> {
        self.0
            .cooperation_modes
            .iter()
            .map(|m| (*m).into())
            .collect()
    }

    /// Who may see it once published.
    async fn visibility(&self) -> Visibility {
        self.0.visibility.into()
    }

    /// Where it is in its life cycle.
    async fn status(&self) -> NeedStatus {
        self.0.status.into()
    }

    /// Incremented on every change; pass it to `updateNeed` to refuse lost updates.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The organisation that posted the need.
    async fn organization(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        if let Some(organization) = &self.1 {
            return Ok(OrganizationObject(organization.clone()));
        }
        load_one(ctx, OrganizationId(self.0.organization_id))
            .await?
            .map(OrganizationObject)
            .ok_or(crate::error::ApiError::not_found("organization"))
    }

    /// Who created the need; shown to the owning organisation, coordinators and admins.
    async fn created_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        if !self.manageable(ctx) {
            return Ok(None);
        }
        Ok(load_one(ctx, UserId(self.0.created_by))
            .await?
            .map(UserObject))
    }

    /// The framework agreement the need belongs to; null when it belongs to
    /// none, and for readers who may not see the agreement (members of its
    /// parties, coordinators and admins see it).
    async fn agreement(&self, ctx: &Context<'_>) -> Option<AgreementObject> {
        let id = self.0.agreement_id?;
        load_one(ctx, crate::graphql::loaders::AgreementId(id))
            .await
            .ok()
            .flatten()
            .filter(|a| a.visible_to(ctx.identity().scope()))
            .map(AgreementObject)
    }

    /// The teaser of a CONFIDENTIAL need: what organisations outside it are
    /// shown on its matches and disclosures before it is disclosed to them
    /// (`setNeedTeaser`); null until written.
    async fn teaser(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::disclosures::NeedTeaserObject>> {
        crate::graphql::disclosures::teaser_of_need(ctx, &self.0).await
    }

    /// The need's disclosures to other organisations, oldest first; for the
    /// need's side (its managers, coordinators in scope, admins): null with
    /// FORBIDDEN for others (an organisation reading the need through a
    /// disclosure).
    async fn disclosures(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<Vec<crate::graphql::disclosures::DisclosureObject>>> {
        crate::graphql::disclosures::disclosures_of_need(ctx, &self.0)
            .await
            .map(Some)
    }

    /// The disclosure log: every offer, acceptance, revocation and read of
    /// the need by a receiving organisation, oldest first; for the need's
    /// side: null with FORBIDDEN for others.
    async fn disclosure_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n lines (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the lines after this cursor.")] after: Option<String>,
    ) -> Result<Option<Conn<crate::graphql::disclosures::DisclosureEventObject>>> {
        crate::graphql::disclosures::log_of_need(ctx, &self.0, first, after)
            .await
            .map(Some)
    }

    /// Whether the signed-in user may edit the need and change its status.
    async fn viewer_can_edit(&self, ctx: &Context<'_>) -> bool {
        self.manageable(ctx)
    }

    /// When the need was first published.
    async fn published_at(&self) -> Option<DateTime> {
        self.0.published_at.map(DateTime)
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }

    /// When its owners last confirmed it current (`confirmNeed`, an edit
    /// or publishing it). Published and unconfirmed for
    /// `listing_confirm_days`, it leaves the public lists 30 days after its
    /// organisation is told.
    async fn confirmed_at(&self) -> DateTime {
        DateTime(self.0.confirmed_at)
    }

    /// Published capabilities that fit this need, best first, each with its
    /// score explained and what the caller may decide. Declined ones are
    /// never suggested again (`filter.status` with DECLINED lists them).
    /// `totalCount` counts the filtered list. For the need's organisation,
    /// coordinators and admins.
    #[allow(clippy::too_many_arguments)]
    async fn matches(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (20 by default, at most 100).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items.")] last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which matches: score, organisation, discipline, status.")] filter: Option<
            MatchFilterInput,
        >,
        #[graphql(
            desc = "Also capabilities of the need's own organisation or of its group (the same top of the organisation tree): a conflict of interest, left out by default unless the pair has a stored decision.",
            default = false
        )]
        include_own_organization: bool,
    ) -> Result<Conn<MatchObject>> {
        self.require_manager(ctx)?;
        let filter = filter.unwrap_or_default();
        if filter.min_score.is_some_and(|m| !(0.0..=1.0).contains(&m)) {
            return Err(ApiError::App(AppError::invalid(
                "filter.minScore",
                iurhub_domain::Message::new("value.out_of_range")
                    .with("min", 0)
                    .with("max", 1),
            )));
        }
        let organization_id = id_of(
            "filter.organizationId",
            Kind::Organization,
            filter.organization_id,
        )?;
        let mut statuses: Option<Vec<iurhub_domain::MatchStatus>> = filter
            .status
            .map(|s| s.into_iter().map(Into::into).collect());
        if let Some(s) = statuses.as_mut() {
            s.sort();
            s.dedup();
        }
        // The cursors of one status filter are refused by another: a
        // position means something only in its own list.
        let own = if include_own_organization { ":own" } else { "" };
        let tag = match &statuses {
            None => format!("matches:{}{own}", self.0.id),
            Some(s) => format!(
                "matches:{}:{}{own}",
                self.0.id,
                s.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
            ),
        };
        let store_filter = MatchFilter {
            min_score: filter.min_score,
            organization_id,
            discipline_code: filter.discipline_code,
            status: statuses,
            include_own_organization,
        };
        let ranked = matching::capabilities_for_need(ctx.app(), &self.0, &store_filter).await?;
        let page = window(
            ctx,
            &tag,
            ranked,
            &PageInput::new(first, after, last, before),
        )?;
        // The capabilities of the page shown, in one read.
        let Page {
            items,
            has_next_page,
            has_previous_page,
            total_count,
        } = page;
        let page = Page {
            items: matching::with_capabilities(ctx.app(), items).await?,
            has_next_page,
            has_previous_page,
            total_count,
        };
        Ok(connection(&tag, page, MatchObject::new))
    }

    /// The research side's interests in this need (`expressInterest`),
    /// oldest first, with their messages, who and when. For those who
    /// decide on the need's matches: its organisation, coordinators and
    /// admins.
    async fn interests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (20 by default, at most 100).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items.")] last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<InterestObject>> {
        self.require_manager(ctx)?;
        let list = iurhub_app::interests::of_need(ctx.app(), ctx.identity(), &self.0).await?;
        let tag = format!("interests:{}", self.0.id);
        slice(
            ctx,
            &tag,
            list,
            &PageInput::new(first, after, last, before),
            InterestObject,
        )
    }

    /// The instruments that fit this need when it asks for testing
    /// (cooperation mode TESTING; empty otherwise), best first, at most 20:
    /// every instrument for signed-in readers, the public catalogue for
    /// anonymous ones.
    async fn matching_instruments(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::graphql::centers::InstrumentMatchObject>> {
        Ok(
            iurhub_app::instrument_matches::for_need(ctx.app(), ctx.identity(), &self.0, None)
                .await?
                .into_iter()
                .map(crate::graphql::centers::InstrumentMatchObject)
                .collect(),
        )
    }

    /// Talent profiles whose expertise fits this need, best first. For the
    /// need's organisation, coordinators and admins.
    async fn matching_talents(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (20 by default, at most 100).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items.")] last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<TalentMatchObject>> {
        self.require_manager(ctx)?;
        let ranked = matching::talents_for_need(ctx.app(), &self.0).await?;
        let tag = format!("talents:{}", self.0.id);
        slice(
            ctx,
            &tag,
            ranked,
            &PageInput::new(first, after, last, before),
            TalentMatchObject,
        )
    }
}

/// Filters of a need's matches.
#[derive(async_graphql::InputObject, Default)]
pub struct MatchFilterInput {
    /// Only matches scoring at least this (0–1).
    pub min_score: Option<f64>,
    /// Only capabilities of this organisation.
    pub organization_id: Option<ID>,
    /// Only capabilities with this discipline code or one below it.
    pub discipline_code: Option<String>,
    /// Only pairs in one of these statuses. Without it every pair but the
    /// declined ones is listed; DECLINED pairs (still ranked for the need)
    /// are listed only when named here.
    pub status: Option<Vec<MatchStatus>>,
}

impl NeedObject {
    fn require_manager(&self, ctx: &Context<'_>) -> Result<()> {
        iurhub_app::matching::may_decide(ctx.identity(), &self.0)?;
        Ok(())
    }
}
