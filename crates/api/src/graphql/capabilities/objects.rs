use crate::graphql::loaders::{
    CapabilityDisciplines, CapabilityTalents, DisciplineCode, OrganizationId, TalentId,
};
use async_graphql::{Context, ID, Object, SimpleObject};

use crate::error::ApiResult as Result;
use crate::graphql::scalars::DateTime;
use iurhub_domain::records::capabilities::Capability;

use crate::graphql::context::{ContextExt, load_many, load_one};
use crate::graphql::enums::{AchievementKind, CapabilityStatus};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::matching::NeedMatchObject;
use crate::graphql::organizations::OrganizationObject;
use crate::graphql::paging::{Conn, PageInput, slice};
use crate::graphql::talents::TalentObject;
use crate::graphql::taxonomy::{TaxonomyEntryObject, linked_codes, linked_entries};
use iurhub_app::matching;

/// A research capability or result (科研能力 / 成果) offered by a college or lab.
pub struct CapabilityObject(pub Capability);

/// A patent, paper, award, project, standard or software backing a capability.
#[derive(SimpleObject)]
pub struct Achievement {
    /// What kind of achievement it is.
    pub kind: AchievementKind,
    /// Its title (a patent's or paper's title, an award's name …).
    pub title: String,
    /// The year it was granted, published or won.
    pub year: Option<i32>,
    /// Patent number, DOI, award body or similar.
    pub reference: Option<String>,
}

/// A research capability or result (科研能力 / 成果) offered by a college or lab.
#[Object(name = "Capability")]
impl CapabilityObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Capability, self.0.id))
    }

    /// 1 to 200 characters.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Methods, figures and applications.
    async fn summary(&self) -> &str {
        &self.0.summary
    }

    /// Keywords, as entered (duplicates dropped).
    async fn keywords(&self) -> &[String] {
        &self.0.keywords
    }

    /// Discipline codes (GB/T 13745).
    async fn discipline_codes(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        linked_codes(ctx, CapabilityDisciplines(self.0.id)).await
    }

    /// The disciplines, with names.
    async fn disciplines(&self, ctx: &Context<'_>) -> Result<Vec<TaxonomyEntryObject>> {
        linked_entries(ctx, CapabilityDisciplines(self.0.id), DisciplineCode).await
    }

    /// Technology readiness level reached (1–9).
    async fn trl(&self) -> Option<i32> {
        self.0.trl
    }

    /// Achievements backing it.
    async fn achievements(&self) -> Vec<Achievement> {
        self.0
            .achievements
            .iter()
            .map(|a| Achievement {
                kind: a.kind.into(),
                title: a.title.clone(),
                year: a.year,
                reference: a.reference.clone(),
            })
            .collect()
    }

    /// Where it is in its life cycle.
    async fn status(&self) -> CapabilityStatus {
        self.0.status.into()
    }

    /// Incremented on every change; pass it to `updateCapability` to refuse lost updates.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The owning college, lab or institute.
    async fn organization(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        load_one(ctx, OrganizationId(self.0.organization_id))
            .await?
            .map(OrganizationObject)
            .ok_or(crate::error::ApiError::not_found("organization"))
    }

    /// The people responsible; listed for signed-in users only.
    async fn talents(&self, ctx: &Context<'_>) -> Result<Vec<TalentObject>> {
        if ctx.caller().is_err() {
            return Ok(Vec::new());
        }
        let ids = load_one(ctx, CapabilityTalents(self.0.id))
            .await?
            .unwrap_or_default();
        let talents = load_many(ctx, ids.into_iter().map(TalentId).collect()).await?;
        Ok(talents.into_iter().map(TalentObject).collect())
    }

    /// Whether the signed-in user may edit the capability and change its status.
    async fn viewer_can_edit(&self, ctx: &Context<'_>) -> bool {
        ctx.caller()
            .is_ok_and(|c| c.can_manage(self.0.organization_id))
    }

    /// When it was first published.
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

    /// When its owners last confirmed it current (`confirmCapability`, an edit
    /// or publishing it). Published and unconfirmed for
    /// `listing_confirm_days`, it leaves the public lists 30 days after its
    /// organisation is told.
    async fn confirmed_at(&self) -> DateTime {
        DateTime(self.0.confirmed_at)
    }

    /// Published needs this capability fits, best first, each explained
    /// and with the pair's match id, status and what the caller may decide
    /// — needs the caller may see, and another organisation's CONFIDENTIAL
    /// needs whose owners wrote a teaser, blind (`sealed`: the teaser and
    /// the score, never the need) until the need is disclosed to the
    /// capability's organisation; without declined pairs. For the capability's
    /// organisation, coordinators and admins.
    async fn matching_needs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (20 by default, at most 100).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items.")] last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<NeedMatchObject>> {
        let caller = ctx.caller()?;
        let ranked = matching::needs_for_own_capability(ctx.app(), caller, &self.0).await?;
        let tag = format!("needs-for:{}", self.0.id);
        slice(
            ctx,
            &tag,
            ranked,
            &PageInput::new(first, after, last, before),
            NeedMatchObject::new,
        )
    }
}
