//! Cooperation activities in the schema: `activity(id:)`, `activities`,
//! `Agreement.activities` and (in `mutation`) their recording, life cycle
//! and participants.

mod mutation;
mod objects;

use async_graphql::{Context, ID, InputObject};

use crate::error::ApiResult as Result;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{ActivityKind, ActivityStatus, ProjectArea};
use crate::graphql::ids::{Kind, decode};
use crate::graphql::inputs::{all, id_of};
use crate::graphql::paging::{Conn, PageInput, connection};
use crate::graphql::scalars::Date;
use iurhub_app::activities;
use iurhub_domain::records::activities::ActivityFilter;

pub use mutation::ActivitiesMutation;
pub use objects::{ActivityObject, ActivityParticipantObject};

/// Filters of `activities`; all given ones must hold.
#[derive(InputObject, Default)]
pub struct ActivityFilterInput {
    /// Only activities of one of these areas.
    pub areas: Option<Vec<ProjectArea>>,
    /// Only activities of one of these kinds.
    pub kinds: Option<Vec<ActivityKind>>,
    /// Only activities in one of these statuses.
    pub statuses: Option<Vec<ActivityStatus>>,
    /// Only activities filed under this framework agreement.
    pub agreement_id: Option<ID>,
    /// Only activities involving this organisation.
    pub organization_id: Option<ID>,
    /// Only activities starting on or after this day.
    pub start_from: Option<Date>,
    /// Only activities starting on or before this day.
    pub start_to: Option<Date>,
}

impl ActivityFilterInput {
    pub(crate) fn into_filter(self, prefix: &str) -> Result<ActivityFilter> {
        Ok(ActivityFilter {
            areas: all(self.areas),
            kinds: all(self.kinds),
            statuses: all(self.statuses),
            agreement_id: id_of(
                &format!("{prefix}.agreementId"),
                Kind::Agreement,
                self.agreement_id,
            )?,
            organization_id: id_of(
                &format!("{prefix}.organizationId"),
                Kind::Organization,
                self.organization_id,
            )?,
            start_from: self.start_from.map(Into::into),
            start_to: self.start_to.map(Into::into),
        })
    }
}

/// One page of the activities the caller may see that pass `filter`,
/// newest first; `tag_prefix` names the list in its cursors.
pub(crate) async fn list(
    ctx: &Context<'_>,
    filter: ActivityFilter,
    tag_prefix: &str,
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> Result<Conn<ActivityObject>> {
    let caller = ctx.caller()?;
    let descending = true;
    let tag = format!("{tag_prefix}{}", activities::list_tag(descending));
    let args = PageInput::new(first, after, last, before).to_args(ctx, &tag)?;
    let page = activities::list(ctx.app(), caller, &filter, descending, args).await?;
    Ok(connection(&tag, page, ActivityObject))
}

#[derive(Default)]
pub struct ActivitiesQuery;

#[async_graphql::Object]
impl ActivitiesQuery {
    /// One cooperation activity; NOT_FOUND unless one of the caller's
    /// organisations is involved, or a coordinator's or supervisor's scope
    /// includes one (admins see all).
    async fn activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The activity's global id.")] id: ID,
    ) -> Result<Option<ActivityObject>> {
        ctx.caller()?;
        let id = decode("id", Kind::Activity, &id)?;
        Ok(Some(ActivityObject(
            activities::visible(ctx.app(), ctx.identity(), id).await?,
        )))
    }

    /// The cooperation activities the caller may see: those involving
    /// their organisations and the organisations they coordinate or
    /// supervise (admins: all), newest first.
    #[allow(clippy::too_many_arguments)]
    async fn activities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n activities (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the activities after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n activities (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the activities before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which activities to list.")] filter: Option<ActivityFilterInput>,
    ) -> Result<Conn<ActivityObject>> {
        ctx.caller()?;
        let filter = filter.unwrap_or_default().into_filter("filter")?;
        list(ctx, filter, "", first, after, last, before).await
    }
}
