//! The life cycle of a service order: request, quote, reject, accept,
//! decline, cancel. Each takes one input object and returns a payload.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::Utc;

use super::ServiceOrderObject;
use crate::error::ApiResult as Result;
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{Kind, decode};
use crate::graphql::inputs::id_of;
use crate::graphql::scalars::DateTime;
use iurhub_app::service_orders::{self as service, OrderRequest, QuoteRequest};
use iurhub_domain::ServiceOrderStatus;

/// Input of `requestServiceOrder`.
#[derive(InputObject)]
pub struct RequestServiceOrderInput {
    /// The testing center asked (`TestingCenter.id`; one with instruments).
    /// The ORG_ADMINs of the organisation running it are the order's staff.
    pub center_id: ID,
    /// The organisation asking (it pays; one of yours). Defaults to your
    /// first membership as `me.memberships` lists it.
    pub client_organization_id: Option<ID>,
    /// The samples sent: what, how many, their condition (1–2,000
    /// characters).
    pub samples: String,
    /// The tests asked for (1–2,000 characters).
    pub test_items: String,
    /// The standards to test by (at most 1,000 characters).
    #[graphql(default)]
    pub standards: String,
    /// When the results are needed (in the future).
    pub required_by: DateTime,
}

/// One line of `quoteServiceOrder`.
#[derive(InputObject)]
pub struct QuoteLineInput {
    /// An instrument of the order's center.
    pub instrument_id: ID,
    /// Instrument time, in minutes (1 to 44,640).
    pub minutes: i32,
}

/// One test item of `quoteServiceOrder`.
#[derive(InputObject)]
pub struct QuoteItemInput {
    /// A test item of the order's center (`TestingCenter.testItems`).
    pub test_item_id: ID,
    /// How many units (1 to 10,000).
    pub quantity: i32,
}

/// Input of `quoteServiceOrder`: 1–20 lines of instrument time and test
/// items together.
#[derive(InputObject)]
pub struct QuoteServiceOrderInput {
    /// A REQUESTED order of a center you staff.
    pub id: ID,
    /// Instrument time; each line is priced at its instrument's hourly
    /// price for the client's tier.
    #[graphql(default)]
    pub lines: Vec<QuoteLineInput>,
    /// Test items of the center's price list; each is priced at its unit
    /// price for the client's tier.
    #[graphql(default)]
    pub items: Vec<QuoteItemInput>,
    /// What the client should know (at most 2,000 characters).
    #[graphql(default)]
    pub note: String,
}

/// Input of `acceptServiceOrderQuote`, `declineServiceOrderQuote`,
/// `cancelServiceOrder`, `rejectServiceOrder`, `startServiceOrder` and
/// `completeServiceOrder`.
#[derive(InputObject)]
pub struct ServiceOrderDecisionInput {
    /// The order.
    pub id: ID,
    /// Why (at most 2,000 characters); kept in the history.
    #[graphql(default)]
    pub note: String,
}

/// Result of the service order mutations.
#[derive(SimpleObject)]
pub struct ServiceOrderPayload {
    /// The order as it is now.
    pub order: ServiceOrderObject,
}

/// A move of an order to `to` by the side that makes it
/// (`service::decide`).
pub(super) async fn decide(
    ctx: &Context<'_>,
    input: ServiceOrderDecisionInput,
    to: ServiceOrderStatus,
) -> Result<ServiceOrderPayload> {
    let caller = ctx.caller()?;
    let id = decode("id", Kind::ServiceOrder, &input.id)?;
    let order = service::decide(ctx.app(), caller, id, to, &input.note).await?;
    Ok(ServiceOrderPayload {
        order: ServiceOrderObject(order),
    })
}

#[derive(Default)]
pub struct ServiceOrdersMutation;

#[Object]
impl ServiceOrdersMutation {
    /// Asks a testing center for tests for one of your organisations; the
    /// center's staff are told.
    async fn request_service_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `RequestServiceOrderInput`.")]
        input: RequestServiceOrderInput,
    ) -> Result<ServiceOrderPayload> {
        let caller = ctx.caller()?;
        let center = decode("centerId", Kind::Center, &input.center_id)?;
        let client = id_of(
            "clientOrganizationId",
            Kind::Organization,
            input.client_organization_id,
        )?;
        let order = service::request(
            ctx.app(),
            caller,
            OrderRequest {
                center_id: center,
                client_organization_id: client,
                samples: &input.samples,
                test_items: &input.test_items,
                standards: &input.standards,
                required_by: input.required_by.with_timezone(&Utc),
            },
        )
        .await?;
        Ok(ServiceOrderPayload {
            order: ServiceOrderObject(order),
        })
    }

    /// REQUESTED → QUOTED (the center's staff): instrument time is priced
    /// at each instrument's hourly price of the client's tier (INTERNAL,
    /// GROUP or EXTERNAL, see `PriceTier`), rounded half up to the fen, test
    /// items at their unit price of the client's tier for the center's own
    /// work; the requester is told.
    async fn quote_service_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `QuoteServiceOrderInput`.")]
        input: QuoteServiceOrderInput,
    ) -> Result<ServiceOrderPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::ServiceOrder, &input.id)?;
        let mut lines = Vec::with_capacity(input.lines.len());
        for (k, l) in input.lines.iter().enumerate() {
            let field = format!("lines[{k}].instrumentId");
            lines.push((
                decode(&field, Kind::Instrument, &l.instrument_id)?,
                i64::from(l.minutes),
            ));
        }
        let mut items = Vec::with_capacity(input.items.len());
        for (k, i) in input.items.iter().enumerate() {
            let field = format!("items[{k}].testItemId");
            items.push((
                decode(&field, Kind::TestItem, &i.test_item_id)?,
                i64::from(i.quantity),
            ));
        }
        let order = service::quote(
            ctx.app(),
            caller,
            id,
            QuoteRequest {
                lines: &lines,
                items: &items,
                note: &input.note,
            },
        )
        .await?;
        Ok(ServiceOrderPayload {
            order: ServiceOrderObject(order),
        })
    }

    /// REQUESTED → REJECTED (the center's staff decline to test); the
    /// requester is told.
    async fn reject_service_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `ServiceOrderDecisionInput`.")]
        input: ServiceOrderDecisionInput,
    ) -> Result<ServiceOrderPayload> {
        decide(ctx, input, ServiceOrderStatus::Rejected).await
    }

    /// QUOTED → ACCEPTED (the client organisation); the staff are told.
    async fn accept_service_order_quote(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `ServiceOrderDecisionInput`.")]
        input: ServiceOrderDecisionInput,
    ) -> Result<ServiceOrderPayload> {
        decide(ctx, input, ServiceOrderStatus::Accepted).await
    }

    /// QUOTED → DECLINED (the client organisation); the staff are told.
    async fn decline_service_order_quote(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `ServiceOrderDecisionInput`.")]
        input: ServiceOrderDecisionInput,
    ) -> Result<ServiceOrderPayload> {
        decide(ctx, input, ServiceOrderStatus::Declined).await
    }

    /// REQUESTED or QUOTED → CANCELLED (the client organisation); the staff
    /// are told.
    async fn cancel_service_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `ServiceOrderDecisionInput`.")]
        input: ServiceOrderDecisionInput,
    ) -> Result<ServiceOrderPayload> {
        decide(ctx, input, ServiceOrderStatus::Cancelled).await
    }
}
