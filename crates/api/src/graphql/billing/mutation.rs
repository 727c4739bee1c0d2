//! The mutations of billing: a center's test items, a client's billing
//! account, issuing invoices and moving them through their life cycle.
//! Each takes one input object and returns a payload.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use iurhub_app::billing as service;
use iurhub_domain::InvoiceStatus;
use iurhub_domain::records::billing::{Prices, TestItemFields};

use super::{BillingAccountObject, InvoiceObject, TestItemObject};
use crate::error::ApiResult as Result;
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{Kind, decode, encode};
use crate::graphql::scalars::{Date, Decimal};

/// Input of `createTestItem`.
#[derive(InputObject)]
pub struct CreateTestItemInput {
    /// The testing center whose price list gets it (you are its staff).
    pub center_id: ID,
    /// Its code, unique within the center: 1–32 letters, digits, `-`, `_`,
    /// `.` or `/`.
    pub code: String,
    /// Its Chinese name (1–200 characters).
    pub name_zh: String,
    /// Its English name (1–200 characters).
    pub name_en: String,
    /// What one price buys (1–20 characters): "sample", "point" …
    pub unit: String,
    /// The unit price of the INTERNAL tier, in yuan.
    pub price_internal: Decimal,
    /// The unit price of the GROUP tier, in yuan.
    pub price_group: Decimal,
    /// The unit price of the EXTERNAL tier, in yuan.
    pub price_external: Decimal,
}

/// Input of `updateTestItem`: the fields given are replaced.
#[derive(InputObject)]
pub struct UpdateTestItemInput {
    /// The test item.
    pub id: ID,
    /// A new code (unique within the center).
    pub code: Option<String>,
    /// A new Chinese name.
    pub name_zh: Option<String>,
    /// A new English name.
    pub name_en: Option<String>,
    /// A new unit.
    pub unit: Option<String>,
    /// A new INTERNAL unit price, in yuan.
    pub price_internal: Option<Decimal>,
    /// A new GROUP unit price, in yuan.
    pub price_group: Option<Decimal>,
    /// A new EXTERNAL unit price, in yuan.
    pub price_external: Option<Decimal>,
}

/// Input of `deleteTestItem`.
#[derive(InputObject)]
pub struct DeleteTestItemInput {
    /// The test item.
    pub id: ID,
}

/// Result of `createTestItem` and `updateTestItem`.
#[derive(SimpleObject)]
pub struct TestItemPayload {
    /// The test item as it is now.
    pub test_item: TestItemObject,
}

/// Result of `deleteTestItem`.
#[derive(SimpleObject)]
pub struct DeleteTestItemPayload {
    /// The id of the test item removed.
    pub deleted_test_item_id: ID,
}

/// Input of `updateBillingAccount`: the fields given are replaced (the
/// account is created on first use).
#[derive(InputObject)]
pub struct UpdateBillingAccountInput {
    /// The client organisation (you are one of its admins).
    pub organization_id: ID,
    /// Who to contact about invoices (at most 100 characters).
    pub contact_name: Option<String>,
    /// Where invoices go (an e-mail address, or empty).
    pub contact_email: Option<String>,
    /// The contact's phone (at most 40 characters).
    pub contact_phone: Option<String>,
    /// The invoice title (发票抬头; at most 200 characters).
    pub invoice_title: Option<String>,
    /// The taxpayer identification number (capital letters and digits, at
    /// most 20).
    pub tax_number: Option<String>,
    /// The postal address (at most 500 characters).
    pub address: Option<String>,
}

/// Result of `updateBillingAccount`.
#[derive(SimpleObject)]
pub struct BillingAccountPayload {
    /// The account as it is now.
    pub billing_account: BillingAccountObject,
}

/// Input of `issueInvoices`.
#[derive(InputObject)]
pub struct IssueInvoicesInput {
    /// The testing center (you are its staff).
    pub center_id: ID,
    /// The first day billed (China Standard Time).
    pub period_start: Date,
    /// The last day billed, inclusive (at most 366 days after the first).
    pub period_end: Date,
}

/// Result of `issueInvoices`.
#[derive(SimpleObject)]
pub struct IssueInvoicesPayload {
    /// The DRAFT invoices written, one per client organisation (empty when
    /// nothing was left to bill).
    pub invoices: Vec<InvoiceObject>,
}

/// Input of `issueInvoice`, `markInvoicePaid` and `voidInvoice`.
#[derive(InputObject)]
pub struct InvoiceMoveInput {
    /// The invoice.
    pub id: ID,
}

/// Result of the invoice moves.
#[derive(SimpleObject)]
pub struct InvoicePayload {
    /// The invoice as it is now.
    pub invoice: InvoiceObject,
}

async fn move_invoice(
    ctx: &Context<'_>,
    input: InvoiceMoveInput,
    to: InvoiceStatus,
) -> Result<InvoicePayload> {
    let caller = ctx.caller()?;
    let id = decode("id", Kind::Invoice, &input.id)?;
    let invoice = service::set_status(ctx.app(), caller, id, to).await?;
    Ok(InvoicePayload {
        invoice: InvoiceObject(invoice),
    })
}

#[derive(Default)]
pub struct BillingMutation;

#[Object]
impl BillingMutation {
    /// Adds a test item to a testing center's price list (the center's
    /// staff: admins of the organisation running it, platform ADMINs).
    async fn create_test_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `CreateTestItemInput`.")]
        input: CreateTestItemInput,
    ) -> Result<TestItemPayload> {
        let caller = ctx.caller()?;
        let center = decode("centerId", Kind::Center, &input.center_id)?;
        let fields = TestItemFields {
            code: input.code,
            name_zh: input.name_zh,
            name_en: input.name_en,
            unit: input.unit,
            prices: Prices {
                internal_cents: input.price_internal.0,
                group_cents: input.price_group.0,
                external_cents: input.price_external.0,
            },
        };
        let item = service::create_test_item(ctx.app(), caller, center, fields).await?;
        Ok(TestItemPayload {
            test_item: TestItemObject(item),
        })
    }

    /// Changes a test item of a center's price list (the center's staff).
    async fn update_test_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `UpdateTestItemInput`.")]
        input: UpdateTestItemInput,
    ) -> Result<TestItemPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::TestItem, &input.id)?;
        let item = service::update_test_item(ctx.app(), caller, id, |c| TestItemFields {
            code: input.code.unwrap_or(c.code),
            name_zh: input.name_zh.unwrap_or(c.name_zh),
            name_en: input.name_en.unwrap_or(c.name_en),
            unit: input.unit.unwrap_or(c.unit),
            prices: Prices {
                internal_cents: input
                    .price_internal
                    .map_or(c.prices.internal_cents, |d| d.0),
                group_cents: input.price_group.map_or(c.prices.group_cents, |d| d.0),
                external_cents: input
                    .price_external
                    .map_or(c.prices.external_cents, |d| d.0),
            },
        })
        .await?;
        Ok(TestItemPayload {
            test_item: TestItemObject(item),
        })
    }

    /// Removes a test item from a center's price list (the center's staff).
    async fn delete_test_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `DeleteTestItemInput`.")]
        input: DeleteTestItemInput,
    ) -> Result<DeleteTestItemPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::TestItem, &input.id)?;
        let item = service::delete_test_item(ctx.app(), caller, id).await?;
        Ok(DeleteTestItemPayload {
            deleted_test_item_id: ID(encode(Kind::TestItem, item.id)),
        })
    }

    /// Writes the billing account of an organisation, created on first use
    /// (the organisation's admins).
    async fn update_billing_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `UpdateBillingAccountInput`.")]
        input: UpdateBillingAccountInput,
    ) -> Result<BillingAccountPayload> {
        let caller = ctx.caller()?;
        let org = decode("organizationId", Kind::Organization, &input.organization_id)?;
        let account = service::save_account(ctx.app(), caller, org, |c| {
            iurhub_domain::records::billing::BillingAccountFields {
                contact_name: input.contact_name.unwrap_or(c.contact_name),
                contact_email: input.contact_email.unwrap_or(c.contact_email),
                contact_phone: input.contact_phone.unwrap_or(c.contact_phone),
                invoice_title: input.invoice_title.unwrap_or(c.invoice_title),
                tax_number: input.tax_number.unwrap_or(c.tax_number),
                address: input.address.unwrap_or(c.address),
            }
        })
        .await?;
        Ok(BillingAccountPayload {
            billing_account: BillingAccountObject(account),
        })
    }

    /// Issues a center's invoices for a period (the center's staff): one
    /// DRAFT invoice per client organisation, a line per COMPLETED booking
    /// of the center's instruments that ended in the period (actual end,
    /// else booked end) and was never billed — each booking is billed at
    /// most once ever, whatever the concurrency. Each line: the client's
    /// tier, that tier's hourly price, hours × price rounded half up to the
    /// fen, split between the instrument's owners by their shares.
    async fn issue_invoices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `IssueInvoicesInput`.")] input: IssueInvoicesInput,
    ) -> Result<IssueInvoicesPayload> {
        let caller = ctx.caller()?;
        let center = decode("centerId", Kind::Center, &input.center_id)?;
        let invoices = service::issue_invoices(
            ctx.app(),
            caller,
            center,
            input.period_start.0,
            input.period_end.0,
        )
        .await?;
        Ok(IssueInvoicesPayload {
            invoices: invoices.into_iter().map(InvoiceObject).collect(),
        })
    }

    /// DRAFT → ISSUED: the invoice goes to the client (the center's staff).
    async fn issue_invoice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `InvoiceMoveInput`.")] input: InvoiceMoveInput,
    ) -> Result<InvoicePayload> {
        move_invoice(ctx, input, InvoiceStatus::Issued).await
    }

    /// ISSUED → PAID: the payment came in (the center's staff).
    async fn mark_invoice_paid(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `InvoiceMoveInput`.")] input: InvoiceMoveInput,
    ) -> Result<InvoicePayload> {
        move_invoice(ctx, input, InvoiceStatus::Paid).await
    }

    /// DRAFT or ISSUED → VOID: withdrawn (the center's staff); its bookings
    /// are never billed again.
    async fn void_invoice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `InvoiceMoveInput`.")] input: InvoiceMoveInput,
    ) -> Result<InvoicePayload> {
        move_invoice(ctx, input, InvoiceStatus::Void).await
    }
}
