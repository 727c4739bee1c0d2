//! Running a service order: the staff start it, book instrument time under
//! it and complete it (the report is uploaded over REST); the client side
//! rates it once completed.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::Utc;

use super::mutation::{ServiceOrderDecisionInput, ServiceOrderPayload, decide};
use super::{ServiceOrderObject, ServiceOrderRatingObject};
use crate::error::ApiResult as Result;
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{Kind, decode};
use crate::graphql::instruments::BookingObject;
use crate::graphql::scalars::DateTime;
use iurhub_app::service_orders as service;
use iurhub_domain::ServiceOrderStatus;

/// Input of `bookServiceOrderTime`.
#[derive(InputObject)]
pub struct BookServiceOrderTimeInput {
    /// An IN_PROGRESS order you staff.
    pub order_id: ID,
    /// An instrument of the order's center.
    pub instrument_id: ID,
    /// Start, RFC 3339 with an offset, on a whole minute.
    pub start: DateTime,
    /// End (exclusive).
    pub end: DateTime,
}

/// Result of `bookServiceOrderTime`.
#[derive(SimpleObject)]
pub struct BookServiceOrderTimePayload {
    /// The booking: APPROVED, for the client organisation, under the order.
    pub booking: BookingObject,
    /// The order it is booked under.
    pub order: ServiceOrderObject,
}

/// Input of `rateServiceOrder`.
#[derive(InputObject)]
pub struct RateServiceOrderInput {
    /// A COMPLETED order of one of your organisations (the client side).
    pub order_id: ID,
    /// 1 (poor) to 5 (excellent).
    pub score: i32,
    /// What you would tell the center (at most 2,000 characters).
    #[graphql(default)]
    pub comment: String,
}

/// Result of `rateServiceOrder`.
#[derive(SimpleObject)]
pub struct RateServiceOrderPayload {
    /// The rating.
    pub rating: ServiceOrderRatingObject,
    /// The order rated.
    pub order: ServiceOrderObject,
}

#[derive(Default)]
pub struct ServiceOrderRunMutation;

#[Object]
impl ServiceOrderRunMutation {
    /// ACCEPTED → IN_PROGRESS (the center's staff start the tests); the
    /// requester is told.
    async fn start_service_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `ServiceOrderDecisionInput`.")]
        input: ServiceOrderDecisionInput,
    ) -> Result<ServiceOrderPayload> {
        decide(ctx, input, ServiceOrderStatus::InProgress).await
    }

    /// IN_PROGRESS → COMPLETED (the center's staff), once the report is
    /// attached (a CONFLICT before); the requester is told.
    async fn complete_service_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `ServiceOrderDecisionInput`.")]
        input: ServiceOrderDecisionInput,
    ) -> Result<ServiceOrderPayload> {
        decide(ctx, input, ServiceOrderStatus::Completed).await
    }

    /// Books instrument time under an IN_PROGRESS order (the center's
    /// staff): an instrument of the order's center, for the client
    /// organisation, APPROVED at once. The rules of every booking hold —
    /// the instrument AVAILABLE, the slot within the limits and outside
    /// maintenance, no overlap with an active booking or a window held for
    /// a waiting list (a CONFLICT naming the clash, whatever the
    /// concurrency).
    async fn book_service_order_time(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `BookServiceOrderTimeInput`.")]
        input: BookServiceOrderTimeInput,
    ) -> Result<BookServiceOrderTimePayload> {
        let caller = ctx.caller()?;
        let app = ctx.app();
        let order_id = decode("orderId", Kind::ServiceOrder, &input.order_id)?;
        let instrument = decode("instrumentId", Kind::Instrument, &input.instrument_id)?;
        let slot = (
            input.start.with_timezone(&Utc),
            input.end.with_timezone(&Utc),
        );
        let booking = service::book_time(app, caller, order_id, instrument, slot).await?;
        let order = service::visible(app, caller, order_id).await?;
        Ok(BookServiceOrderTimePayload {
            booking: BookingObject(booking),
            order: ServiceOrderObject(order),
        })
    }

    /// Rates a COMPLETED order, once (the client side; a CONFLICT before
    /// completion and for a second rating, FORBIDDEN for the staff).
    async fn rate_service_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `RateServiceOrderInput`.")]
        input: RateServiceOrderInput,
    ) -> Result<RateServiceOrderPayload> {
        let caller = ctx.caller()?;
        let app = ctx.app();
        let id = decode("orderId", Kind::ServiceOrder, &input.order_id)?;
        let rating = service::rate(app, caller, id, input.score, &input.comment).await?;
        let order = service::visible(app, caller, id).await?;
        Ok(RateServiceOrderPayload {
            rating: ServiceOrderRatingObject(rating),
            order: ServiceOrderObject(order),
        })
    }
}
