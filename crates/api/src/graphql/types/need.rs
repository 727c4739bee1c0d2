use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use iurhub_store::loaders::{
    DisciplineCode, IndustryCode, NeedDisciplines, NeedIndustries, OrganizationId, UserId,
};
use iurhub_store::needs::Need;

use super::{OrganizationObject, TaxonomyEntryObject, UserObject};
use crate::graphql::context::{ContextExt, load_many, load_one};
use crate::graphql::enums::{CooperationMode, NeedStatus, Visibility};
use crate::graphql::ids::{Kind, encode};

/// A technology need (技术需求) posted by an enterprise department.
pub struct NeedObject(pub Need);

impl NeedObject {
    fn manageable(&self, ctx: &Context<'_>) -> bool {
        ctx.caller()
            .is_ok_and(|c| c.can_manage(self.0.organization_id))
    }
}

#[Object(name = "Need")]
impl NeedObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Need, self.0.id))
    }

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
        Ok(load_one(ctx, NeedDisciplines(self.0.id))
            .await?
            .unwrap_or_default())
    }

    /// The disciplines, with names.
    async fn disciplines(&self, ctx: &Context<'_>) -> Result<Vec<TaxonomyEntryObject>> {
        let codes = load_one(ctx, NeedDisciplines(self.0.id))
            .await?
            .unwrap_or_default();
        let entries = load_many(ctx, codes.into_iter().map(DisciplineCode).collect()).await?;
        Ok(entries.into_iter().map(TaxonomyEntryObject).collect())
    }

    /// Industry codes (GB/T 4754).
    async fn industry_codes(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        Ok(load_one(ctx, NeedIndustries(self.0.id))
            .await?
            .unwrap_or_default())
    }

    /// The industries, with names.
    async fn industries(&self, ctx: &Context<'_>) -> Result<Vec<TaxonomyEntryObject>> {
        let codes = load_one(ctx, NeedIndustries(self.0.id))
            .await?
            .unwrap_or_default();
        let entries = load_many(ctx, codes.into_iter().map(IndustryCode).collect()).await?;
        Ok(entries.into_iter().map(TaxonomyEntryObject).collect())
    }

    /// Technology readiness level the solution must reach (1–9).
    async fn trl_required(&self) -> Option<i32> {
        self.0.trl_required
    }

    /// Lower end of the budget, in CNY.
    async fn budget_min(&self) -> Option<i64> {
        self.0.budget_min
    }

    /// Upper end of the budget, in CNY.
    async fn budget_max(&self) -> Option<i64> {
        self.0.budget_max
    }

    /// Date by which a partner is wanted.
    async fn deadline(&self) -> Option<NaiveDate> {
        self.0.deadline
    }

    /// Ways of cooperating the organisation is open to.
    async fn cooperation_modes(&self) -> Vec<CooperationMode> {
        self.0
            .cooperation_modes
            .iter()
            .map(|m| (*m).into())
            .collect()
    }

    async fn visibility(&self) -> Visibility {
        self.0.visibility.into()
    }

    async fn status(&self) -> NeedStatus {
        self.0.status.into()
    }

    /// Incremented on every change; pass it to `updateNeed` to refuse lost updates.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The organisation that posted the need.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<OrganizationObject>> {
        Ok(load_one(ctx, OrganizationId(self.0.organization_id))
            .await?
            .map(OrganizationObject))
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

    /// Whether the signed-in user may edit the need and change its status.
    async fn viewer_can_edit(&self, ctx: &Context<'_>) -> bool {
        self.manageable(ctx)
    }

    /// When the need was first published.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}
