//! Talent (expertise) profiles: `talent`, `talents` and
//! `upsertTalentProfile`.

mod objects;

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use crate::error::ApiResult as Result;
use crate::graphql::inputs::id_of;
use iurhub_app::talents::TalentPatch;
use iurhub_domain::records::talents::{TalentFilter, TalentSort};

use super::context::ContextExt;
use super::enums::CooperationMode;
use super::ids::{Kind, decode};
use super::inputs::{ListOrder, code, keyword, maybe, order_tag, org_id};
use super::paging::{Conn, PageInput, connection};

pub use objects::TalentObject;

/// Filters of `talents`.
#[derive(InputObject, Default)]
pub struct TalentFilterInput {
    /// Only people of this organisation.
    pub organization_id: Option<ID>,
    /// Case-insensitive text in the name, bio or keywords.
    pub keyword: Option<String>,
    /// Only people with this discipline code or one below it.
    pub discipline_code: Option<String>,
    /// Only people available for this mode of cooperation.
    pub available_for: Option<CooperationMode>,
}

#[derive(Default)]
pub struct TalentsQuery;

#[Object]
impl TalentsQuery {
    /// One talent profile (signed-in users).
    async fn talent(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The profile's global id.")] id: ID,
    ) -> Result<Option<TalentObject>> {
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
        #[graphql(desc = "Returns the first n profiles (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the profiles after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n profiles (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the profiles before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which profiles to list.")] filter: Option<TalentFilterInput>,
        #[graphql(desc = "How to sort them (default: newest first).")] order_by: Option<ListOrder>,
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

/// A talent profile to create, or the changes to one. Fields left out keep
/// their values (a new profile needs `organizationId` and `name`); `null`
/// clears `title`.
#[derive(InputObject)]
pub struct UpsertTalentProfileInput {
    /// The profile to change; omit to create one (or, with `linkToMe`, to
    /// change your own, creating it the first time).
    pub id: Option<ID>,
    /// The version read (`Talent.version`); a profile changed meanwhile is a
    /// CONFLICT and nothing is written. Omit to change the current state.
    pub version: Option<i32>,
    /// The organisation the person belongs to (required for a new profile).
    pub organization_id: Option<ID>,
    /// The person's name, 1 to 100 characters (required for a new profile).
    pub name: Option<String>,
    /// Academic or professional title (at most 100 characters); `null` clears it.
    pub title: MaybeUndefined<String>,
    /// A short biography.
    pub bio: Option<String>,
    /// Expertise keywords (replace the list).
    pub keywords: Option<Vec<String>>,
    /// Discipline codes (GB/T 13745; replace the list).
    pub discipline_codes: Option<Vec<String>>,
    /// Modes of cooperation the person is available for (replace the list).
    pub availability: Option<Vec<CooperationMode>>,
    /// The profile is the caller's own: created once, changed afterwards.
    #[graphql(default)]
    pub link_to_me: bool,
}

/// Result of `upsertTalentProfile`.
#[derive(SimpleObject)]
pub struct TalentPayload {
    /// The profile as it is now.
    pub talent: TalentObject,
}

#[derive(Default)]
pub struct TalentsMutation;

#[Object]
impl TalentsMutation {
    /// Creates a talent profile, or changes one: fields left out stay as they
    /// are, `null` clears `title`, and a stale `version` is a CONFLICT. The
    /// person themself, members of the profile's organisation, coordinators
    /// and admins change a profile.
    async fn upsert_talent_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The profile (or none, to create one) and its fields.")]
        input: UpsertTalentProfileInput,
    ) -> Result<TalentPayload> {
        let caller = ctx.caller()?;
        let id = id_of("id", Kind::Talent, input.id)?;
        let patch = TalentPatch {
            organization_id: id_of("organizationId", Kind::Organization, input.organization_id)?,
            name: input.name,
            title: maybe(input.title),
            bio: input.bio,
            keywords: input.keywords,
            discipline_codes: input.discipline_codes,
            availability: input
                .availability
                .map(|modes| modes.into_iter().map(Into::into).collect()),
        };
        let talent = iurhub_app::talents::upsert(
            ctx.app(),
            caller,
            id,
            input.link_to_me,
            patch,
            input.version,
        )
        .await?;
        Ok(TalentPayload {
            talent: TalentObject(talent),
        })
    }
}
