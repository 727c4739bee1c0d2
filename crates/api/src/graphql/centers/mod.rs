//! Testing centers in the schema: the centers (public), the assessment's
//! figures, and the mutations of centers, instrument owners and legal
//! entities (in `mutation`).

mod mutation;
mod objects;

use async_graphql::{Context, ID, Object};

use crate::error::ApiResult as Result;
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{Kind, decode};
use crate::graphql::inputs::id_of;
use crate::graphql::paging::{Conn, PageInput, connection};
use iurhub_app::centers as service;

pub use mutation::CentersMutation;
pub use objects::{
    AssessmentFigures, AssessmentObject, CenterAssessmentObject, CenterObject,
    InstrumentAssessmentObject, InstrumentMatchObject, OwnerObject,
};

#[derive(Default)]
pub struct CentersQuery;

#[Object]
impl CentersQuery {
    /// One testing center (everyone, signed in or not).
    async fn testing_center(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global id.")] id: ID,
    ) -> Result<Option<CenterObject>> {
        let id = decode("id", Kind::Center, &id)?;
        Ok(Some(CenterObject(service::get(ctx.app(), id).await?)))
    }

    /// The testing centers of the platform, by name (everyone, signed in or
    /// not).
    async fn testing_centers(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Returns the first n items of the list (at most the page size limit, 100 by default; 20 when neither `first` nor `last` is given)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor (an edge's `cursor`).")]
        after: Option<String>,
        #[graphql(
            desc = "Returns the last n items of the list (at most the page size limit); not with `first`."
        )]
        last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor (an edge's `cursor`).")]
        before: Option<String>,
    ) -> Result<Conn<CenterObject>> {
        let tag = "testingCenters:NAME:ASC";
        let args = PageInput::new(first, after, last, before).to_args(ctx, tag)?;
        let page = service::list(ctx.app(), args).await?;
        Ok(connection(tag, page, CenterObject))
    }

    /// The national open-sharing assessment's figures for `year`: of one
    /// center (platform staff, supervisors, and the admins of the
    /// organisations running or co-building it; FORBIDDEN otherwise), or of
    /// every center the caller may report on (the whole platform for
    /// platform staff and supervisors; FORBIDDEN when there is none).
    async fn assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The calendar year (China Standard Time), 2000–2100.")] year: i32,
        #[graphql(desc = "Only this center.")] center_id: Option<ID>,
    ) -> Result<AssessmentObject> {
        let caller = ctx.caller()?;
        let center = id_of("centerId", Kind::Center, center_id)?;
        Ok(AssessmentObject(
            service::assessment(ctx.app(), caller, year, center).await?,
        ))
    }
}
