use crate::graphql::loaders::{DisciplineCode, OrganizationId, TalentDisciplines};
use async_graphql::{Context, ID, Object};

use crate::error::ApiResult as Result;
use crate::graphql::scalars::DateTime;
use iurhub_domain::records::talents::Talent;

use crate::graphql::context::{ContextExt, load_one};
use crate::graphql::enums::CooperationMode;
use crate::graphql::ids::{Kind, encode};
use crate::graphql::organizations::OrganizationObject;
use crate::graphql::taxonomy::{TaxonomyEntryObject, linked_codes, linked_entries};

/// A person's expertise profile (人才): visible to signed-in users.
pub struct TalentObject(pub Talent);

/// A person's expertise profile (人才): visible to signed-in users.
#[Object(name = "Talent")]
impl TalentObject {
    /// Global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Talent, self.0.id))
    }

    /// The person's name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Academic or professional title, e.g. 教授 Professor.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }

    /// A short biography.
    async fn bio(&self) -> &str {
        &self.0.bio
    }

    /// Expertise keywords.
    async fn keywords(&self) -> &[String] {
        &self.0.keywords
    }

    /// Discipline codes (GB/T 13745).
    async fn discipline_codes(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        linked_codes(ctx, TalentDisciplines(self.0.id)).await
    }

    /// The disciplines, with names.
    async fn disciplines(&self, ctx: &Context<'_>) -> Result<Vec<TaxonomyEntryObject>> {
        linked_entries(ctx, TalentDisciplines(self.0.id), DisciplineCode).await
    }

    /// Ways of cooperating the person is available for.
    async fn availability(&self) -> Vec<CooperationMode> {
        self.0.availability.iter().map(|m| (*m).into()).collect()
    }

    /// The organisation the person belongs to.
    async fn organization(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        load_one(ctx, OrganizationId(self.0.organization_id))
            .await?
            .map(OrganizationObject)
            .ok_or(crate::error::ApiError::not_found("organization"))
    }

    /// Incremented on every change; pass it to `upsertTalentProfile` to
    /// refuse lost updates.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// Whether this is the signed-in user's own profile.
    async fn is_viewer(&self, ctx: &Context<'_>) -> bool {
        ctx.caller().is_ok_and(|c| self.0.user_id == Some(c.id()))
    }

    /// Whether the signed-in user may edit the profile.
    async fn viewer_can_edit(&self, ctx: &Context<'_>) -> bool {
        ctx.caller()
            .is_ok_and(|c| iurhub_app::talents::may_link(c, &self.0))
    }

    /// When the profile was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the profile was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
