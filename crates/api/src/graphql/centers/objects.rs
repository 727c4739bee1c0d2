//! The object types of testing centers, instrument owners and the
//! assessment's figures.

use async_graphql::{Context, ID, Object, SimpleObject};

use crate::error::{ApiError, ApiResult as Result};
use crate::graphql::context::{ContextExt, load_one};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::instruments::InstrumentObject;
use crate::graphql::loaders::OrganizationId;
use crate::graphql::organizations::OrganizationObject;
use crate::graphql::scalars::{DateTime, Money};
use iurhub_app::centers::{Assessment, CenterAssessment, InstrumentAssessment};
use iurhub_app::instrument_matches::InstrumentMatch;
use iurhub_domain::assessment::Figures;
use iurhub_domain::records::centers::{Center, Owner};

/// A testing center: run by one organisation, co-built by others.
pub struct CenterObject(pub Center);

async fn organization(ctx: &Context<'_>, id: i64) -> Result<OrganizationObject> {
    load_one(ctx, OrganizationId(id))
        .await?
        .map(OrganizationObject)
        .ok_or_else(|| ApiError::not_found("organization"))
}

/// A testing center (检测中心) of the platform: run by one organisation,
/// co-built by others; its instruments may be co-owned by them. Public.
#[Object(name = "TestingCenter")]
impl CenterObject {
    /// Its global id.
    pub async fn id(&self) -> ID {
        ID(encode(Kind::Center, self.0.id))
    }
    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What it offers.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The organisation running it (its ORG_ADMINs manage the center).
    async fn organization(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        organization(ctx, self.0.organization_id).await
    }
    /// The organisations co-building it, by id.
    async fn cobuilders(&self, ctx: &Context<'_>) -> Result<Vec<OrganizationObject>> {
        let mut out = Vec::with_capacity(self.0.cobuilder_ids.len());
        for id in &self.0.cobuilder_ids {
            out.push(organization(ctx, *id).await?);
        }
        Ok(out)
    }
    /// Whether the signed-in user manages it (renames it, names its
    /// co-builders).
    async fn viewer_manages(&self, ctx: &Context<'_>) -> bool {
        ctx.caller().is_ok_and(|c| {
            iurhub_domain::records::centers::may_manage_center(
                c.user().platform_role,
                c.administered_org_ids(),
                &self.0,
            )
        })
    }
    /// When it was registered.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// An instrument that fits a TESTING need.
pub struct InstrumentMatchObject(pub InstrumentMatch);

/// An instrument that fits a need asking for testing: the need's words
/// (title, description, keywords, analysed as the matching engine does)
/// found in the instrument's name, model, category or description.
#[Object(name = "InstrumentMatch")]
impl InstrumentMatchObject {
    /// The instrument.
    async fn instrument(&self) -> InstrumentObject {
        InstrumentObject(self.0.instrument.clone())
    }
    /// The need's words found in the instrument / the need's words, 0–1.
    async fn score(&self) -> f64 {
        self.0.score
    }
    /// The need's words found in the instrument (analysed forms).
    async fn matched_terms(&self) -> &[String] {
        &self.0.terms
    }
}

/// An owner of an instrument and its share.
pub struct OwnerObject(pub Owner);

/// An owner of a (co-built) instrument and its share.
#[Object(name = "InstrumentOwner")]
impl OwnerObject {
    /// The owning organisation.
    async fn organization(&self, ctx: &Context<'_>) -> Result<OrganizationObject> {
        organization(ctx, self.0.organization_id).await
    }
    /// Its share in percent (the shares add up to 100).
    async fn share_percent(&self) -> i32 {
        self.0.share_percent
    }
}

/// The figures of the national open-sharing assessment of large
/// instruments for a year. "External" means for a legal entity that owns
/// none of the instrument.
#[derive(SimpleObject)]
pub struct AssessmentFigures {
    /// Effective machine hours: completed bookings, actual times, within
    /// the year.
    pub effective_hours: f64,
    /// The part of them for external legal entities.
    pub external_hours: f64,
    /// External / effective hours; null without use.
    pub sharing_rate: Option<f64>,
    /// Distinct users of those bookings.
    pub users: u32,
    /// Distinct external legal entities served.
    pub outside_organizations: u32,
    /// Service income: effective hours at each client's tier price
    /// (INTERNAL, GROUP or EXTERNAL), each booking rounded half up to the
    /// fen (instrument time booked under a service order included), and,
    /// for a center or the platform, the test items of the service orders
    /// completed in the year at their quoted price.
    pub income: Money,
    /// Service orders completed in the year (0 for an instrument: an order
    /// counts for its center).
    pub service_orders: u32,
    /// Qualifications first granted in the year (users trained).
    pub training_sessions: u32,
    /// How many of the counted bookings their users rated (1 to 5 stars,
    /// `rateBooking`), and, for a center or the platform, how many of the
    /// service orders completed in the year their clients rated
    /// (`rateServiceOrder`).
    pub ratings: u32,
    /// The mean score of those ratings; null without one.
    pub rating_average: Option<f64>,
}

impl From<Figures> for AssessmentFigures {
    fn from(f: Figures) -> Self {
        AssessmentFigures {
            effective_hours: f.effective_hours,
            external_hours: f.external_hours,
            sharing_rate: f.sharing_rate,
            users: f.users,
            outside_organizations: f.outside_organizations,
            income: Money::fen(f.income_cents),
            service_orders: f.service_orders,
            training_sessions: f.training_sessions,
            ratings: f.ratings,
            rating_average: f.rating_average,
        }
    }
}

/// The assessment of one instrument.
pub struct InstrumentAssessmentObject(pub InstrumentAssessment);

/// The assessment of one instrument.
#[Object(name = "InstrumentAssessment")]
impl InstrumentAssessmentObject {
    /// The instrument.
    async fn instrument(&self) -> InstrumentObject {
        InstrumentObject(self.0.instrument.clone())
    }
    /// Its figures.
    async fn figures(&self) -> AssessmentFigures {
        self.0.figures.clone().into()
    }
}

/// The assessment of one center.
pub struct CenterAssessmentObject(pub CenterAssessment);

/// The assessment of one center and of each of its instruments.
#[Object(name = "CenterAssessment")]
impl CenterAssessmentObject {
    /// The center.
    async fn center(&self) -> CenterObject {
        CenterObject(self.0.center.clone())
    }
    /// The figures of all its instruments together (users and
    /// organisations counted once).
    async fn figures(&self) -> AssessmentFigures {
        self.0.figures.clone().into()
    }
    /// Each of its instruments, by name.
    async fn instruments(&self) -> Vec<InstrumentAssessmentObject> {
        self.0
            .instruments
            .iter()
            .cloned()
            .map(InstrumentAssessmentObject)
            .collect()
    }
}

/// The assessment's figures for a year.
pub struct AssessmentObject(pub Assessment);

/// The national open-sharing assessment's figures for a year (China
/// Standard Time): per center and per instrument, and all of them together.
#[Object(name = "Assessment")]
impl AssessmentObject {
    /// The year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The centers in the answer together (without `centerId`, for platform
    /// staff and supervisors: the whole platform).
    async fn total(&self) -> AssessmentFigures {
        self.0.total.clone().into()
    }
    /// Each center, by name.
    async fn centers(&self) -> Vec<CenterAssessmentObject> {
        self.0
            .centers
            .iter()
            .cloned()
            .map(CenterAssessmentObject)
            .collect()
    }
}
