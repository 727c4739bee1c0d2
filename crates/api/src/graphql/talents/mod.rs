//! Talent (expertise) profiles: `talent`, `talents` and
//! `upsertTalentProfile`.

mod objects;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use crate::error::ApiResult as Result;
use crate::graphql::inputs::id_of;
use iurhub_domain::records::talents::{TalentFilter, TalentSort};
use iurhub_domain::validate::TalentFields;

use super::context::ContextExt;
use super::enums::CooperationMode;
use super::ids::{Kind, decode};
use super::inputs::{ListOrder, code, keyword, order_tag, org_id};
use super::paging::{Conn, PageInput, connection};

pub use objects::TalentObject;

/// Filters of `talents`.
#[derive(InputObject, Default)]
pub struct TalentFilterInput {
    pub organization_id: Option<ID>,
    /// Case-insensitive text in the name, bio or keywords.
    pub keyword: Option<String>,
    pub discipline_code: Option<String>,
    /// Only people available for this mode of cooperation.
    pub available_for: Option<CooperationMode>,
}

#[derive(Default)]
pub struct TalentsQuery;

#[Object]
impl TalentsQuery {
    /// One talent profile (signed-in users).
    async fn talent(&self, ctx: &Context<'_>, id: ID) -> Result<Option<TalentObject>> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Talent, &id)?;
        Ok(Some(TalentObject(
            iurhub_app::talents::visible(ctx.app(), caller, id).await?,
        )))
    }

    /// Talent (expertise) profiles (signed-in users).
    #[allow(clippy::too_many_arguments)]
    async fn talents(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<TalentFilterInput>,
        order_by: Option<ListOrder>,
    ) -> Result<Conn<TalentObject>> {
        ctx.caller()?;
        let filter = filter.unwrap_or_default();
        let order = order_by.unwrap_or_default();
        let tag = order_tag("talents", order.field, order.direction);
        let args = PageInput::new(first, after, last, before).to_args(ctx, &tag)?;
        let store_filter = TalentFilter {
            organization_id: org_id("filter.organizationId", filter.organization_id)?,
            keyword: keyword(filter.keyword)?,
            discipline_code: code("filter.disciplineCode", filter.discipline_code)?,
            available_for: filter.available_for.map(Into::into),
        };
        let sort = order.sort([
            TalentSort::CreatedAt,
            TalentSort::UpdatedAt,
            TalentSort::Name,
        ]);
        let page =
            iurhub_app::talents::list(ctx.app(), &store_filter, sort, order.descending(), args)
                .await?;
        Ok(connection(&tag, page, TalentObject))
    }
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

#[derive(Default)]
pub struct TalentsMutation;

#[Object]
impl TalentsMutation {
    /// Creates or replaces a talent profile.
    async fn upsert_talent_profile(
        &self,
        ctx: &Context<'_>,
        input: UpsertTalentProfileInput,
    ) -> Result<TalentPayload> {
        let caller = ctx.caller()?;
        let id = id_of("id", Kind::Talent, input.id)?;
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
            iurhub_app::talents::upsert(ctx.app(), caller, id, input.link_to_me, fields).await?;
        Ok(TalentPayload {
            talent: TalentObject(talent),
        })
    }
}
