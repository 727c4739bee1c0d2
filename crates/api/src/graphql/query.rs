//! Read side of the schema.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result};
use iurhub_store::capabilities::{CapabilityFilter, CapabilitySort};
use iurhub_store::needs::{NeedFilter, NeedSort};
use iurhub_store::organizations::{OrganizationFilter, OrganizationSort};
use iurhub_store::talents::{TalentFilter, TalentSort};
use iurhub_store::taxonomy::TaxonomyKind;

use super::capabilities::CapabilityObject;
use super::context::ContextExt;
use super::enums::{
    CapabilityStatus, CooperationMode, NeedStatus, OrderDirection, OrgKind, Visibility,
};
use super::ids::{Kind, decode, decode_any, decode_match};
use super::matching::{MatchObject, SearchHit, SearchResult, SearchType};
use super::needs::NeedObject;
use super::node::Node;
use super::organizations::{MembershipObject, OrganizationObject, UserObject};
use super::paging::{Conn, PageInput, connection, slice};
use super::projects::ProjectObject;
use super::talents::TalentObject;
use super::taxonomy::TaxonomyEntryObject;
use crate::error::{ApiError, ApiResult};
use crate::service;
use crate::service::matching::Found;
use iurhub_matching::DocKind;

use iurhub_domain::validate::MAX_KEYWORD_FILTER;

fn keyword(k: Option<String>) -> ApiResult<Option<String>> {
    Ok(iurhub_domain::validate::keyword_filter(
        "filter.keyword",
        k,
    )?)
}

fn code(field: &str, c: Option<String>) -> ApiResult<Option<String>> {
    Ok(iurhub_domain::validate::code_filter(field, c)?)
}

fn org_id(field: &str, id: Option<ID>) -> ApiResult<Option<i64>> {
    id.map(|id| decode(field, Kind::Organization, &id))
        .transpose()
}

/// Filters of `needs`; all given ones must hold.
#[derive(InputObject, Default)]
pub struct NeedFilterInput {
    /// Only needs of this organisation.
    pub organization_id: Option<ID>,
    /// Only needs in one of these statuses.
    pub status: Option<Vec<NeedStatus>>,
    pub visibility: Option<Visibility>,
    /// Case-insensitive text in the title, description or keywords.
    pub keyword: Option<String>,
    /// A discipline code; needs with it or a code below it match.
    pub discipline_code: Option<String>,
    /// An industry code; needs with it or a code below it match.
    pub industry_code: Option<String>,
}

/// Orderings of `needs`, `capabilities` and `talents`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum ListOrderField {
    #[default]
    CreatedAt,
    UpdatedAt,
    /// Title of a need or capability, name of a talent.
    Title,
}

/// How to sort a list (default: newest first).
#[derive(InputObject, Default)]
pub struct ListOrder {
    #[graphql(default)]
    pub field: ListOrderField,
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// Filters of `capabilities`.
#[derive(InputObject, Default)]
pub struct CapabilityFilterInput {
    pub organization_id: Option<ID>,
    pub status: Option<Vec<CapabilityStatus>>,
    /// Case-insensitive text in the title, summary or keywords.
    pub keyword: Option<String>,
    /// A discipline code; capabilities with it or a code below it match.
    pub discipline_code: Option<String>,
    /// Only capabilities this talent is responsible for.
    pub talent_id: Option<ID>,
}

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

/// Filters of `organizations`.
#[derive(InputObject, Default)]
pub struct OrganizationFilterInput {
    /// Only direct children of this organisation.
    pub parent_id: Option<ID>,
    /// Only top-level organisations (groups, universities, agencies).
    #[graphql(default)]
    pub roots_only: bool,
    pub kind: Option<OrgKind>,
    /// Case-insensitive text in the name.
    pub keyword: Option<String>,
}

/// Orderings of `organizations`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum OrganizationOrderField {
    #[default]
    CreatedAt,
    Name,
}

/// How to sort organisations (default: oldest first).
#[derive(InputObject)]
pub struct OrganizationOrder {
    #[graphql(default)]
    pub field: OrganizationOrderField,
    #[graphql(default_with = "OrderDirection::Asc")]
    pub direction: OrderDirection,
}

fn order_tag(list: &str, field: impl std::fmt::Debug, direction: OrderDirection) -> String {
    format!("{list}:{field:?}:{direction:?}")
}

#[derive(Default)]
pub struct Query;

#[Object(name = "CoreQuery")]
impl Query {
    /// The signed-in user; null when the request carries no token.
    async fn me(&self, ctx: &Context<'_>) -> Option<UserObject> {
        ctx.caller().ok().map(|c| UserObject(c.user.clone()))
    }

    /// Any object by its global id. Objects the caller may not see are NOT_FOUND.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Node> {
        if let Ok((need_id, capability_id)) = decode_match("id", &id) {
            let caller = ctx.caller()?;
            let need = service::needs::visible(ctx.store(), ctx.identity(), need_id).await?;
            if !caller.can_manage(need.organization_id) {
                return Err(ApiError::NotFound("match").into());
            }
            let found = service::matching::pair(
                ctx.store(),
                ctx.index(),
                ctx.match_cache(),
                ctx.weights(),
                &need,
                capability_id,
            )
            .await?;
            return Ok(Node::Match(MatchObject(Box::new(found))));
        }
        let (kind, num) = decode_any("id", &id)?;
        let store = ctx.store();
        let who = ctx.identity();
        Ok(match kind {
            Kind::Organization => Node::Organization(OrganizationObject(
                store
                    .organization(num)
                    .await
                    .map_err(ApiError::from)?
                    .ok_or(ApiError::NotFound("organization"))?,
            )),
            Kind::Need => Node::Need(NeedObject::new(
                service::needs::visible(store, who, num).await?,
            )),
            Kind::Capability => Node::Capability(CapabilityObject(
                service::capabilities::visible(store, who, num).await?,
            )),
            Kind::Talent => Node::Talent(TalentObject(
                service::talents::visible(store, ctx.caller()?, num).await?,
            )),
            Kind::User => {
                ctx.caller()?;
                let user = store
                    .user(num)
                    .await
                    .map_err(ApiError::from)?
                    .ok_or(ApiError::NotFound("user"))?;
                Node::User(UserObject(user))
            }
            Kind::Match => return Err(ApiError::bad_input("id", "is not a valid ID").into()),
            Kind::Project => Node::Project(ProjectObject(
                service::projects::visible(store, who, num).await?,
            )),
            Kind::Instrument | Kind::Booking => {
                return Err(ApiError::bad_input(
                    "id",
                    "instruments and bookings are read with instrument(id:) and booking(id:)",
                )
                .into());
            }
            Kind::Milestone | Kind::ChecklistItem | Kind::ProjectEvent => {
                return Err(ApiError::bad_input(
                    "id",
                    "milestones, checklist items and events are read through their project",
                )
                .into());
            }
            Kind::Membership => {
                let caller = ctx.caller()?;
                let m = store
                    .memberships_by_ids(&[num])
                    .await
                    .map_err(ApiError::from)?
                    .pop()
                    .filter(|m| {
                        m.user_id == caller.id()
                            || caller.is_staff()
                            || caller.can_administer(m.organization_id)
                    })
                    .ok_or(ApiError::NotFound("membership"))?;
                Node::Membership(MembershipObject(m))
            }
        })
    }

    /// One organisation.
    async fn organization(&self, ctx: &Context<'_>, id: ID) -> Result<OrganizationObject> {
        let id = decode("id", Kind::Organization, &id)?;
        let org = ctx.store().organization(id).await.map_err(ApiError::from)?;
        Ok(OrganizationObject(
            org.ok_or(ApiError::NotFound("organization"))?,
        ))
    }

    /// The organisation directory. Use `filter: {rootsOnly: true}` and `children` to walk the tree.
    #[allow(clippy::too_many_arguments)]
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<OrganizationFilterInput>,
        order_by: Option<OrganizationOrder>,
    ) -> Result<Conn<OrganizationObject>> {
        let filter = filter.unwrap_or_default();
        let order = order_by.unwrap_or(OrganizationOrder {
            field: OrganizationOrderField::CreatedAt,
            direction: OrderDirection::Asc,
        });
        let tag = order_tag("organizations", order.field, order.direction);
        let args = PageInput::new(first, after, last, before).to_args(ctx, &tag)?;
        let store_filter = OrganizationFilter {
            parent_id: org_id("filter.parentId", filter.parent_id)?,
            roots_only: filter.roots_only,
            kind: filter.kind.map(Into::into),
            keyword: keyword(filter.keyword)?,
        };
        let sort = match order.field {
            OrganizationOrderField::CreatedAt => OrganizationSort::CreatedAt,
            OrganizationOrderField::Name => OrganizationSort::Name,
        };
        let page = ctx
            .store()
            .list_organizations(
                &store_filter,
                sort,
                order.direction == OrderDirection::Desc,
                args,
            )
            .await
            .map_err(ApiError::from)?;
        Ok(connection(&tag, page, OrganizationObject))
    }

    /// One technology need; NOT_FOUND when it does not exist or the caller may not see it.
    async fn need(&self, ctx: &Context<'_>, id: ID) -> Result<NeedObject> {
        let id = decode("id", Kind::Need, &id)?;
        Ok(NeedObject::new(
            service::needs::visible(ctx.store(), ctx.identity(), id).await?,
        ))
    }

    /// Technology needs the caller may see: public ones for everybody, platform ones for
    /// signed-in users, and every need of the caller's own organisations.
    #[allow(clippy::too_many_arguments)]
    async fn needs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<NeedFilterInput>,
        order_by: Option<ListOrder>,
    ) -> Result<Conn<NeedObject>> {
        let filter = filter.unwrap_or_default();
        let order = order_by.unwrap_or_default();
        let tag = order_tag("needs", order.field, order.direction);
        let args = PageInput::new(first, after, last, before).to_args(ctx, &tag)?;
        let store_filter = NeedFilter {
            organization_id: org_id("filter.organizationId", filter.organization_id)?,
            statuses: filter
                .status
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            visibility: filter.visibility.map(Into::into),
            keyword: keyword(filter.keyword)?,
            discipline_code: code("filter.disciplineCode", filter.discipline_code)?,
            industry_code: code("filter.industryCode", filter.industry_code)?,
        };
        let sort = match order.field {
            ListOrderField::CreatedAt => NeedSort::CreatedAt,
            ListOrderField::UpdatedAt => NeedSort::UpdatedAt,
            ListOrderField::Title => NeedSort::Title,
        };
        let (store, scope) = (ctx.store(), ctx.identity().scope());
        let descending = order.direction == OrderDirection::Desc;
        // Organisations asked for are read in the same statement.
        let asked = |node: async_graphql::Lookahead<'_>| node.field("organization").exists();
        let look = ctx.look_ahead();
        if asked(look.field("edges").field("node")) || asked(look.field("nodes")) {
            let page = store
                .list_needs_with_organizations(&scope, &store_filter, sort, descending, args)
                .await
                .map_err(ApiError::from)?;
            Ok(connection(&tag, page, |(need, organization)| {
                NeedObject(need, organization)
            }))
        } else {
            let page = store
                .list_needs(&scope, &store_filter, sort, descending, args)
                .await
                .map_err(ApiError::from)?;
            Ok(connection(&tag, page, NeedObject::new))
        }
    }

    /// One research capability; NOT_FOUND when it does not exist or is a draft of another organisation.
    async fn capability(&self, ctx: &Context<'_>, id: ID) -> Result<CapabilityObject> {
        let id = decode("id", Kind::Capability, &id)?;
        Ok(CapabilityObject(
            service::capabilities::visible(ctx.store(), ctx.identity(), id).await?,
        ))
    }

    /// Research capabilities: published ones, plus drafts and archived ones of the caller's organisations.
    #[allow(clippy::too_many_arguments)]
    async fn capabilities(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<CapabilityFilterInput>,
        order_by: Option<ListOrder>,
    ) -> Result<Conn<CapabilityObject>> {
        let filter = filter.unwrap_or_default();
        let order = order_by.unwrap_or_default();
        let tag = order_tag("capabilities", order.field, order.direction);
        let args = PageInput::new(first, after, last, before).to_args(ctx, &tag)?;
        let store_filter = CapabilityFilter {
            organization_id: org_id("filter.organizationId", filter.organization_id)?,
            statuses: filter
                .status
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            keyword: keyword(filter.keyword)?,
            discipline_code: code("filter.disciplineCode", filter.discipline_code)?,
            talent_id: filter
                .talent_id
                .map(|id| decode("filter.talentId", Kind::Talent, &id))
                .transpose()?,
        };
        let sort = match order.field {
            ListOrderField::CreatedAt => CapabilitySort::CreatedAt,
            ListOrderField::UpdatedAt => CapabilitySort::UpdatedAt,
            ListOrderField::Title => CapabilitySort::Title,
        };
        let page = ctx
            .store()
            .list_capabilities(
                &ctx.identity().scope(),
                &store_filter,
                sort,
                order.direction == OrderDirection::Desc,
                args,
            )
            .await
            .map_err(ApiError::from)?;
        Ok(connection(&tag, page, CapabilityObject))
    }

    /// One talent profile (signed-in users).
    async fn talent(&self, ctx: &Context<'_>, id: ID) -> Result<TalentObject> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Talent, &id)?;
        Ok(TalentObject(
            service::talents::visible(ctx.store(), caller, id).await?,
        ))
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
        let sort = match order.field {
            ListOrderField::CreatedAt => TalentSort::CreatedAt,
            ListOrderField::UpdatedAt => TalentSort::UpdatedAt,
            ListOrderField::Title => TalentSort::Name,
        };
        let page = ctx
            .store()
            .list_talents(
                &store_filter,
                sort,
                order.direction == OrderDirection::Desc,
                args,
            )
            .await
            .map_err(ApiError::from)?;
        Ok(connection(&tag, page, TalentObject))
    }

    /// Free-text search (Chinese, English or mixed) over the needs,
    /// capabilities and talents the caller may see, best first, with a
    /// highlighted excerpt each. Talents are searched for signed-in users only.
    /// `types` defaults to all three.
    async fn search(
        &self,
        ctx: &Context<'_>,
        query: String,
        types: Option<Vec<SearchType>>,
        #[graphql(default = 10)] first: i32,
    ) -> Result<Vec<SearchHit>> {
        let text = query.trim();
        if text.is_empty() {
            return Err(ApiError::bad_input("query", "must not be empty").into());
        }
        if text.chars().count() > MAX_KEYWORD_FILTER {
            return Err(ApiError::bad_input(
                "query",
                format!("must be at most {MAX_KEYWORD_FILTER} characters"),
            )
            .into());
        }
        let max = super::paging::page_size_max(ctx);
        if !(1..=max as i32).contains(&first) {
            return Err(
                ApiError::bad_input("first", format!("must be between 1 and {max}")).into(),
            );
        }
        let types = types
            .unwrap_or_else(|| vec![SearchType::Need, SearchType::Capability, SearchType::Talent]);
        let kinds: Vec<DocKind> = types
            .iter()
            .map(|t| match t {
                SearchType::Need => DocKind::Need,
                SearchType::Capability => DocKind::Capability,
                SearchType::Talent => DocKind::Talent,
            })
            .collect();
        let found = service::matching::search(
            ctx.store(),
            ctx.index(),
            ctx.identity(),
            text,
            &kinds,
            first as usize,
        )
        .await?;
        Ok(found
            .into_iter()
            .map(|(hit, found)| SearchHit {
                score: f64::from(hit.score),
                matched_terms: hit.matched_terms,
                snippet: hit.snippet.unwrap_or_default(),
                node: match found {
                    Found::Need(n) => SearchResult::Need(NeedObject::new(n)),
                    Found::Capability(c) => SearchResult::Capability(CapabilityObject(c)),
                    Found::Talent(t) => SearchResult::Talent(TalentObject(t)),
                },
            })
            .collect())
    }

    /// Discipline codes (GB/T 13745), by code. Without `parentCode`: the top level.
    async fn disciplines(
        &self,
        ctx: &Context<'_>,
        parent_code: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<TaxonomyEntryObject>> {
        taxonomy(
            ctx,
            TaxonomyKind::Discipline,
            parent_code,
            PageInput::new(first, after, last, before),
        )
        .await
    }

    /// Industry codes (GB/T 4754), by code. Without `parentCode`: the sections.
    async fn industries(
        &self,
        ctx: &Context<'_>,
        parent_code: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<TaxonomyEntryObject>> {
        taxonomy(
            ctx,
            TaxonomyKind::Industry,
            parent_code,
            PageInput::new(first, after, last, before),
        )
        .await
    }
}

/// A code list level (small reference data, paged in memory).
async fn taxonomy(
    ctx: &Context<'_>,
    kind: TaxonomyKind,
    parent: Option<String>,
    page: PageInput,
) -> Result<Conn<TaxonomyEntryObject>> {
    let parent = code("parentCode", parent)?;
    let entries = ctx
        .store()
        .taxonomy(kind, Some(parent.as_deref()))
        .await
        .map_err(ApiError::from)?;
    let tag = format!("taxonomy:{kind:?}:{}", parent.unwrap_or_default());
    Ok(slice(ctx, &tag, entries, &page, TaxonomyEntryObject)?)
}
