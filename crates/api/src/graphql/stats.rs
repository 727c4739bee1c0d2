//! Dashboard figures in the schema: `stats(scope:, period:)` with its drill
//! downs by area, organisation and month, and an agreement's annual review
//! (`Agreement.review(year:)`, also `GET /api/v1/agreements/{id}/review.csv`).
//! Who may have what counted is `iurhub_app::stats`'s to decide.

use async_graphql::{Context, ID, InputObject, Object, OneofObject, SimpleObject};
use iurhub_app::stats::{self as app_stats, Review, ReviewLine, ScopeChoice};
use iurhub_domain::records::stats::{self as figures, Period};

use crate::error::ApiResult as Result;
use crate::graphql::context::{ContextExt, load_one};
use crate::graphql::enums::{
    CapabilityStatus, MatchStatus, MetricUnit, NeedStatus, ProjectArea, ProjectStatus,
};
use crate::graphql::ids::{Kind, decode};
use crate::graphql::loaders::OrganizationId;
use crate::graphql::organizations::OrganizationObject;
use crate::graphql::plans::PlanProgressObject;
use crate::graphql::scalars::Date;

/// How many needs are in one status.
#[derive(SimpleObject)]
pub struct NeedStatusCount {
    /// The status.
    pub status: NeedStatus,
    /// How many needs are in it.
    pub count: u64,
}

/// How many capabilities are in one status.
#[derive(SimpleObject)]
pub struct CapabilityStatusCount {
    /// The status.
    pub status: CapabilityStatus,
    /// How many capabilities are in it.
    pub count: u64,
}

/// How many matches (pairs decided on) are in one status.
#[derive(SimpleObject)]
pub struct MatchStatusCount {
    /// The status.
    pub status: MatchStatus,
    /// How many matches are in it.
    pub count: u64,
}

/// How many projects are in one area.
#[derive(SimpleObject)]
pub struct ProjectAreaCount {
    /// The area.
    pub area: ProjectArea,
    /// How many projects are in it.
    pub count: u64,
}

/// How many projects are in one status.
#[derive(SimpleObject)]
pub struct ProjectStatusCount {
    /// The status.
    pub status: ProjectStatus,
    /// How many projects are in it.
    pub count: u64,
}

/// The dashboard, counted by the database at request time over the
/// records of a scope (the platform, an organisation's subtree, a framework
/// agreement) created in a period.
#[derive(SimpleObject)]
pub struct Stats {
    /// Needs per status, zeros included.
    pub needs_by_status: Vec<NeedStatusCount>,
    /// Capabilities per status, zeros included.
    pub capabilities_by_status: Vec<CapabilityStatusCount>,
    /// Decided pairs only: suggestions nobody acted on are not stored.
    pub matches_by_status: Vec<MatchStatusCount>,
    /// ACCEPTED / (ACCEPTED + DECLINED); null before any such decision.
    pub acceptance_rate: Option<f64>,
    /// Projects per area, zeros included.
    pub projects_by_area: Vec<ProjectAreaCount>,
    /// Projects per status, zeros included.
    pub projects_by_status: Vec<ProjectStatusCount>,
    /// Checklist items of the projects counted, not done and past their
    /// due date (today in China Standard Time).
    pub overdue_checklist_items: u64,
    /// Median days from a need's publication to the creation of a project
    /// for it; null without such projects.
    pub median_days_need_to_project: Option<f64>,
    /// The figures per organisation (those with any), by id.
    pub by_organization: Vec<OrganizationFiguresObject>,
    /// The figures per month (China Standard Time; months with any),
    /// ascending.
    pub by_month: Vec<MonthFigures>,
}

/// The figures of one organisation in the scope and period.
#[derive(SimpleObject)]
#[graphql(name = "OrganizationFigures", complex)]
pub struct OrganizationFiguresObject {
    #[graphql(skip)]
    pub organization_id: i64,
    /// Needs it posted.
    pub needs: u64,
    /// Capabilities it registered.
    pub capabilities: u64,
    /// Projects created that it is a party to.
    pub projects: u64,
    /// Matches of its needs accepted.
    pub matches_accepted: u64,
}

#[async_graphql::ComplexObject]
impl OrganizationFiguresObject {
    /// The organisation.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<OrganizationObject>> {
        Ok(load_one(ctx, OrganizationId(self.organization_id))
            .await?
            .map(OrganizationObject))
    }
}

/// The figures of one month (China Standard Time) in the scope.
#[derive(SimpleObject)]
pub struct MonthFigures {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Needs posted.
    pub needs: u64,
    /// Capabilities registered.
    pub capabilities: u64,
    /// Matches accepted.
    pub matches_accepted: u64,
    /// Projects created.
    pub projects_created: u64,
    /// Projects that moved to IN_PROGRESS.
    pub projects_started: u64,
    /// Projects COMPLETED.
    pub projects_completed: u64,
}

/// The figures as the schema shows them.
pub fn stats_object(s: figures::Stats) -> Stats {
    fn counts<T: Copy, U: From<T>, C>(list: Vec<(T, u64)>, make: impl Fn(U, u64) -> C) -> Vec<C> {
        list.into_iter().map(|(v, n)| make(v.into(), n)).collect()
    }
    Stats {
        needs_by_status: counts(s.needs_by_status, |status, count| NeedStatusCount {
            status,
            count,
        }),
        capabilities_by_status: counts(s.capabilities_by_status, |status, count| {
            CapabilityStatusCount { status, count }
        }),
        matches_by_status: counts(s.matches_by_status, |status, count| MatchStatusCount {
            status,
            count,
        }),
        acceptance_rate: s.acceptance_rate,
        projects_by_area: counts(s.projects_by_area, |area, count| ProjectAreaCount {
            area,
            count,
        }),
        projects_by_status: counts(s.projects_by_status, |status, count| ProjectStatusCount {
            status,
            count,
        }),
        overdue_checklist_items: s.overdue_checklist_items,
        median_days_need_to_project: s.median_days_need_to_project,
        by_organization: s
            .by_organization
            .into_iter()
            .map(|o| OrganizationFiguresObject {
                organization_id: o.organization_id,
                needs: o.needs,
                capabilities: o.capabilities,
                projects: o.projects,
                matches_accepted: o.matches_accepted,
            })
            .collect(),
        by_month: s
            .by_month
            .into_iter()
            .map(|m| MonthFigures {
                month: m.month,
                needs: m.needs,
                capabilities: m.capabilities,
                matches_accepted: m.matches_accepted,
                projects_created: m.projects_created,
                projects_started: m.projects_started,
                projects_completed: m.projects_completed,
            })
            .collect(),
    }
}

/// Whose records `stats` counts: exactly one of the fields.
#[derive(OneofObject)]
pub enum StatsScopeInput {
    /// An organisation and every organisation below it: its needs and
    /// capabilities, the matches of either, the projects one of them is a
    /// party to. For those who oversee it (members, ORG_ADMINs above,
    /// coordinators and supervisors in scope) and platform staff.
    OrganizationId(ID),
    /// A framework agreement: the needs and projects filed under it, the
    /// matches of its needs, the capabilities of its parties. For whoever
    /// sees the agreement.
    AgreementId(ID),
}

/// The days counted, both inclusive, in China Standard Time; an open end
/// counts from the first record or up to today.
#[derive(InputObject, Default)]
pub struct PeriodInput {
    /// First day.
    pub from: Option<Date>,
    /// Last day (not before `from`).
    pub to: Option<Date>,
}

#[derive(Default)]
pub struct StatsQuery;

#[Object]
impl StatsQuery {
    /// The dashboard, counted by the database: without `scope` the whole
    /// platform for platform staff (ADMIN, COORDINATOR) and the
    /// organisations in scope for supervisors (FORBIDDEN to others); with
    /// `scope` an organisation's subtree (for whoever oversees it) or a
    /// framework agreement (for whoever sees it). `period` counts the
    /// records created in it (matches accepted: decided in it).
    async fn stats(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Whose records to count (default: see above).")] scope: Option<
            StatsScopeInput,
        >,
        #[graphql(desc = "Which days to count (default: all).")] period: Option<PeriodInput>,
    ) -> Result<Stats> {
        let caller = ctx.caller()?;
        let choice =
            match scope {
                None => None,
                Some(StatsScopeInput::OrganizationId(id)) => Some(ScopeChoice::Organization(
                    decode("scope.organizationId", Kind::Organization, &id)?,
                )),
                Some(StatsScopeInput::AgreementId(id)) => Some(ScopeChoice::Agreement(decode(
                    "scope.agreementId",
                    Kind::Agreement,
                    &id,
                )?)),
            };
        let period = period.unwrap_or_default();
        let period = Period {
            from: period.from.map(Into::into),
            to: period.to.map(Into::into),
        };
        let s = app_stats::stats(ctx.app(), caller, choice, period).await?;
        Ok(stats_object(s))
    }
}

/// An agreement's annual review.
pub struct AnnualReviewObject(pub Review);

/// The annual review of a framework agreement (年度合作总结): the plan's
/// progress and the agreement's figures for one year — what a cooperation
/// office hands to both parties' leadership. `lines` is the same review as
/// the rows of `GET /api/v1/agreements/{id}/review.csv`.
#[Object(name = "AnnualReview")]
impl AnnualReviewObject {
    /// The calendar year.
    async fn year(&self) -> i32 {
        self.0.year
    }

    /// Target against actual for every metric of the plan in the year.
    async fn progress(&self) -> Vec<PlanProgressObject> {
        self.0
            .progress
            .iter()
            .cloned()
            .map(PlanProgressObject)
            .collect()
    }

    /// The agreement's figures for the year (`stats` with the agreement as
    /// scope and the year as period).
    async fn stats(&self) -> Stats {
        stats_object(self.0.stats.clone())
    }

    /// The review as one table, a row per number, in the order of the CSV.
    async fn lines(&self) -> Vec<ReviewLineObject> {
        self.0.lines().into_iter().map(ReviewLineObject).collect()
    }
}

/// One row of an annual review.
pub struct ReviewLineObject(pub ReviewLine);

/// One number of an annual review, as a row of its CSV.
#[Object(name = "ReviewLine")]
impl ReviewLineObject {
    /// PLAN (a metric of the plan), ORGANIZATION or MONTH (the figures).
    async fn section(&self) -> &str {
        self.0.section
    }

    /// The area (PLAN), the organisation's name (ORGANIZATION) or the
    /// month `YYYY-MM` (MONTH).
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// The metric (PLAN) or the figure counted (NEEDS, CAPABILITIES,
    /// PROJECTS, MATCHES_ACCEPTED, PROJECTS_CREATED, PROJECTS_STARTED,
    /// PROJECTS_COMPLETED).
    async fn metric(&self) -> &str {
        self.0.metric
    }

    /// The unit of the numbers.
    async fn unit(&self) -> MetricUnit {
        self.0.unit.into()
    }

    /// The plan's target (PLAN rows with one).
    async fn target(&self) -> Option<i32> {
        self.0.target.map(|t| i32::try_from(t).unwrap_or(i32::MAX))
    }

    /// The value.
    async fn actual(&self) -> f64 {
        self.0.actual
    }

    /// `actual / target × 100`, to a tenth.
    async fn percent(&self) -> Option<f64> {
        self.0.percent
    }
}
