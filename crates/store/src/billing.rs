//! Billing: a center's test items, the billing accounts of client
//! organisations, invoices with their lines and the owners' shares of each
//! line. A booking (and a service order) is billed at most once ever: the
//! unique indexes of `invoice_lines` have the last word, whatever the
//! concurrency (a clash is a CONFLICT on `bookingId`).

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use iurhub_domain::{InvoiceStatus, Message};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::entities::{billing_accounts, invoice_line_shares, invoice_lines, invoices, test_items};
use crate::error::{is_foreign_key_violation, unique_as};
use crate::page::{Key, Order, Page, PageArgs, paginate_records};
use crate::rows::{self, Records};
use crate::{Store, StoreError, StoreResult, parse_enum};

pub use iurhub_domain::records::billing::{
    BillingAccount, BillingAccountFields, Invoice, InvoiceLine, NewInvoice, NewInvoiceLine, Prices,
    Share, TestItem, TestItemFields,
};

impl TryFrom<test_items::Model> for TestItem {
    type Error = StoreError;
    fn try_from(m: test_items::Model) -> StoreResult<Self> {
        Ok(TestItem {
            id: m.id,
            center_id: m.center_id,
            code: m.code,
            name_zh: m.name_zh,
            name_en: m.name_en,
            unit: m.unit,
            prices: Prices {
                internal_cents: m.price_internal_cents,
                group_cents: m.price_group_cents,
                external_cents: m.price_external_cents,
            },
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

impl TryFrom<billing_accounts::Model> for BillingAccount {
    type Error = StoreError;
    fn try_from(m: billing_accounts::Model) -> StoreResult<Self> {
        Ok(BillingAccount {
            id: m.id,
            organization_id: m.organization_id,
            fields: BillingAccountFields {
                contact_name: m.contact_name,
                contact_email: m.contact_email,
                contact_phone: m.contact_phone,
                invoice_title: m.invoice_title,
                tax_number: m.tax_number,
                address: m.address,
            },
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

impl TryFrom<invoices::Model> for Invoice {
    type Error = StoreError;
    fn try_from(m: invoices::Model) -> StoreResult<Self> {
        Ok(Invoice {
            id: m.id,
            center_id: m.center_id,
            organization_id: m.organization_id,
            billing_account_id: m.billing_account_id,
            period_from: m.period_from,
            period_to: m.period_to,
            status: parse_enum(&m.status)?,
            total_cents: m.total_cents,
            issued_at: m.issued_at,
            paid_at: m.paid_at,
            voided_at: m.voided_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

/// Which invoices a reader lists: those of the centers they bill for and
/// those of the client organisations they administer (`None`: all).
#[derive(Debug, Clone, Default)]
pub struct InvoiceVisibility {
    pub center_ids: Vec<i64>,
    pub organization_ids: Vec<i64>,
}

/// Filters of the invoice list.
#[derive(Debug, Clone, Default)]
pub struct InvoiceFilter {
    pub center_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub statuses: Vec<InvoiceStatus>,
}

fn item_model(center_id: i64, f: TestItemFields) -> test_items::ActiveModel {
    let now = Utc::now();
    test_items::ActiveModel {
        center_id: Set(center_id),
        code: Set(f.code),
        name_zh: Set(f.name_zh),
        name_en: Set(f.name_en),
        unit: Set(f.unit),
        price_internal_cents: Set(f.prices.internal_cents),
        price_group_cents: Set(f.prices.group_cents),
        price_external_cents: Set(f.prices.external_cents),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// The account of `organization_id`, created blank when it has none.
async fn ensure_account<C: ConnectionTrait>(
    db: &C,
    organization_id: i64,
) -> StoreResult<billing_accounts::Model> {
    use billing_accounts::Column as C;
    if let Some(found) = billing_accounts::Entity::find()
        .filter(C::OrganizationId.eq(organization_id))
        .one(db)
        .await?
    {
        return Ok(found);
    }
    let now = Utc::now();
    Ok(billing_accounts::ActiveModel {
        organization_id: Set(organization_id),
        contact_name: Set(String::new()),
        contact_email: Set(String::new()),
        contact_phone: Set(String::new()),
        invoice_title: Set(String::new()),
        tax_number: Set(String::new()),
        address: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

impl Store {
    /// The test items of a center, by code.
    pub async fn test_items(&self, center_id: i64) -> StoreResult<Vec<TestItem>> {
        use test_items::Column as C;
        test_items::Entity::find()
            .filter(C::CenterId.eq(center_id))
            .order_by_asc(C::Code)
            .order_by_asc(C::Id)
            .records(&self.db)
            .await
    }

    pub async fn test_item(&self, id: i64) -> StoreResult<Option<TestItem>> {
        rows::by_id::<test_items::Entity, _, _>(&self.db, id).await
    }

    /// Adds a test item to a center's price list (a code the center lists
    /// already is a CONFLICT on `code`).
    pub async fn create_test_item(
        &self,
        center_id: i64,
        fields: TestItemFields,
    ) -> StoreResult<TestItem> {
        item_model(center_id, fields)
            .insert(&self.db)
            .await
            .map_err(unique_as("code", "test_item.code.taken"))?
            .try_into()
    }

    /// Rewrites a test item.
    pub async fn update_test_item(&self, id: i64, fields: TestItemFields) -> StoreResult<TestItem> {
        let current = rows::get::<test_items::Entity, _>(&self.db, id, "test item").await?;
        let mut model = item_model(current.center_id, fields);
        model.id = Set(id);
        model.created_at = Set(current.created_at);
        model
            .update(&self.db)
            .await
            .map_err(unique_as("code", "test_item.code.taken"))?
            .try_into()
    }

    /// Removes a test item from its center's price list (one on a service
    /// order's quote is a CONFLICT: the quote keeps it).
    pub async fn delete_test_item(&self, id: i64) -> StoreResult<()> {
        test_items::Entity::delete_by_id(id)
            .exec(&self.db)
            .await
            .map_err(|err| {
                if is_foreign_key_violation(&err) {
                    StoreError::conflict("id", Message::new("test_item.quoted"))
                } else {
                    StoreError::from(err)
                }
            })?;
        Ok(())
    }

    /// The billing account of an organisation, if it has one.
    pub async fn billing_account_of(
        &self,
        organization_id: i64,
    ) -> StoreResult<Option<BillingAccount>> {
        use billing_accounts::Column as C;
        billing_accounts::Entity::find()
            .filter(C::OrganizationId.eq(organization_id))
            .one(&self.db)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    /// Writes an organisation's billing account, created on first use.
    pub async fn save_billing_account(
        &self,
        organization_id: i64,
        fields: BillingAccountFields,
    ) -> StoreResult<BillingAccount> {
        let txn = self.write().await?;
        let current = ensure_account(&txn, organization_id).await?;
        let mut model: billing_accounts::ActiveModel = current.into();
        model.contact_name = Set(fields.contact_name);
        model.contact_email = Set(fields.contact_email);
        model.contact_phone = Set(fields.contact_phone);
        model.invoice_title = Set(fields.invoice_title);
        model.tax_number = Set(fields.tax_number);
        model.address = Set(fields.address);
        model.updated_at = Set(Utc::now());
        let saved = model.update(&txn).await?;
        txn.commit().await?;
        saved.try_into()
    }

    /// Of `booking_ids`, those on an invoice already (of any status: a
    /// booking is billed at most once ever).
    pub async fn billed_booking_ids(&self, booking_ids: &[i64]) -> StoreResult<HashSet<i64>> {
        use invoice_lines::Column as C;
        let mut billed = HashSet::new();
        for chunk in booking_ids.chunks(500) {
            let found = invoice_lines::Entity::find()
                .filter(C::BookingId.is_in(chunk.iter().copied()))
                .all(&self.db)
                .await?;
            billed.extend(found.into_iter().filter_map(|l| l.booking_id));
        }
        Ok(billed)
    }

    /// Stores DRAFT invoices with their lines and shares in one
    /// transaction, each client's billing account created on first use. A
    /// booking or service order billed meanwhile is a CONFLICT on
    /// `bookingId` / `serviceOrderId` and nothing is stored.
    pub async fn create_invoices(&self, new: Vec<NewInvoice>) -> StoreResult<Vec<Invoice>> {
        let now = Utc::now();
        let txn = self.write().await?;
        let mut out = Vec::with_capacity(new.len());
        for invoice in new {
            let account = ensure_account(&txn, invoice.organization_id).await?;
            let total = invoice
                .lines
                .iter()
                .fold(0i64, |sum, l| sum.saturating_add(l.amount_cents));
            let model = invoices::ActiveModel {
                center_id: Set(invoice.center_id),
                organization_id: Set(invoice.organization_id),
                billing_account_id: Set(account.id),
                period_from: Set(invoice.period_from),
                period_to: Set(invoice.period_to),
                status: Set(InvoiceStatus::Draft.as_str().to_owned()),
                total_cents: Set(total),
                issued_at: Set(None),
                paid_at: Set(None),
                voided_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            for line in invoice.lines {
                let field = if line.booking_id.is_some() {
                    "bookingId"
                } else {
                    "serviceOrderId"
                };
                let stored = invoice_lines::ActiveModel {
                    invoice_id: Set(model.id),
                    kind: Set(line.kind.as_str().to_owned()),
                    booking_id: Set(line.booking_id),
                    service_order_id: Set(line.service_order_id),
                    instrument_id: Set(line.instrument_id),
                    description: Set(line.description),
                    seconds: Set(line.seconds),
                    tier: Set(line.tier.as_str().to_owned()),
                    unit_price_cents: Set(line.unit_price_cents),
                    amount_cents: Set(line.amount_cents),
                    ..Default::default()
                }
                .insert(&txn)
                .await
                .map_err(unique_as(field, "invoice.already_billed"))?;
                for s in line.shares {
                    invoice_line_shares::ActiveModel {
                        line_id: Set(stored.id),
                        organization_id: Set(s.organization_id),
                        share_percent: Set(s.share_percent),
                        amount_cents: Set(s.amount_cents),
                    }
                    .insert(&txn)
                    .await?;
                }
            }
            out.push(model.try_into()?);
        }
        txn.commit().await?;
        Ok(out)
    }

    pub async fn invoice(&self, id: i64) -> StoreResult<Option<Invoice>> {
        rows::by_id::<invoices::Entity, _, _>(&self.db, id).await
    }

    /// The lines of some invoices with their shares, by invoice then line.
    pub async fn invoice_lines(&self, invoice_ids: &[i64]) -> StoreResult<Vec<InvoiceLine>> {
        use invoice_lines::Column as C;
        let mut lines = Vec::new();
        for chunk in invoice_ids.chunks(500) {
            lines.extend(
                invoice_lines::Entity::find()
                    .filter(C::InvoiceId.is_in(chunk.iter().copied()))
                    .order_by_asc(C::InvoiceId)
                    .order_by_asc(C::Id)
                    .all(&self.db)
                    .await?,
            );
        }
        let ids: Vec<i64> = lines.iter().map(|l| l.id).collect();
        let mut shares: HashMap<i64, Vec<Share>> = HashMap::new();
        for chunk in ids.chunks(500) {
            let found = invoice_line_shares::Entity::find()
                .filter(invoice_line_shares::Column::LineId.is_in(chunk.iter().copied()))
                .order_by_desc(invoice_line_shares::Column::SharePercent)
                .order_by_asc(invoice_line_shares::Column::OrganizationId)
                .all(&self.db)
                .await?;
            for s in found {
                shares.entry(s.line_id).or_default().push(Share {
                    organization_id: s.organization_id,
                    share_percent: s.share_percent,
                    amount_cents: s.amount_cents,
                });
            }
        }
        lines
            .into_iter()
            .map(|m| {
                Ok(InvoiceLine {
                    id: m.id,
                    invoice_id: m.invoice_id,
                    line: NewInvoiceLine {
                        kind: parse_enum(&m.kind)?,
                        booking_id: m.booking_id,
                        service_order_id: m.service_order_id,
                        instrument_id: m.instrument_id,
                        description: m.description,
                        seconds: m.seconds,
                        tier: parse_enum(&m.tier)?,
                        unit_price_cents: m.unit_price_cents,
                        amount_cents: m.amount_cents,
                        shares: shares.remove(&m.id).unwrap_or_default(),
                    },
                })
            })
            .collect()
    }

    /// Invoices one may see (`None`: all) matching the filter, newest
    /// first, one page.
    pub async fn list_invoices(
        &self,
        visible: Option<&InvoiceVisibility>,
        filter: &InvoiceFilter,
        args: PageArgs,
    ) -> StoreResult<Page<Invoice>> {
        use invoices::Column as C;
        let mut cond = Condition::all();
        if let Some(v) = visible {
            if v.center_ids.is_empty() && v.organization_ids.is_empty() {
                return Ok(Page {
                    items: Vec::new(),
                    has_next_page: false,
                    has_previous_page: false,
                    total_count: Some(0),
                });
            }
            let mut any = Condition::any();
            if !v.center_ids.is_empty() {
                any = any.add(C::CenterId.is_in(v.center_ids.iter().copied()));
            }
            if !v.organization_ids.is_empty() {
                any = any.add(C::OrganizationId.is_in(v.organization_ids.iter().copied()));
            }
            cond = cond.add(any);
        }
        if let Some(center) = filter.center_id {
            cond = cond.add(C::CenterId.eq(center));
        }
        if let Some(org) = filter.organization_id {
            cond = cond.add(C::OrganizationId.eq(org));
        }
        if !filter.statuses.is_empty() {
            cond = cond.add(C::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
        }
        let select = invoices::Entity::find().filter(cond);
        let order: Order<invoices::Entity> = (C::CreatedAt, |m| Key::new(m.created_at, m.id));
        paginate_records(&self.db, select, order, C::Id, true, args).await
    }

    /// The invoices of a center that are not VOID and whose period lies
    /// within `from` to `to` (days, inclusive), oldest first.
    pub async fn settled_invoices(
        &self,
        center_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<Invoice>> {
        use invoices::Column as C;
        invoices::Entity::find()
            .filter(C::CenterId.eq(center_id))
            .filter(C::Status.ne(InvoiceStatus::Void.as_str()))
            .filter(C::PeriodFrom.gte(from))
            .filter(C::PeriodTo.lte(to))
            .order_by_asc(C::Id)
            .records(&self.db)
            .await
    }

    /// Moves an invoice from `from` to `to` (a concurrent move is a
    /// CONFLICT on `status`), stamping the time of the move.
    pub async fn set_invoice_status(
        &self,
        id: i64,
        from: InvoiceStatus,
        to: InvoiceStatus,
    ) -> StoreResult<Invoice> {
        use invoices::Column as C;
        from.transition(to)?;
        let now = Utc::now();
        let stamp = match to {
            InvoiceStatus::Issued => Some(C::IssuedAt),
            InvoiceStatus::Paid => Some(C::PaidAt),
            InvoiceStatus::Void => Some(C::VoidedAt),
            InvoiceStatus::Draft => None,
        };
        let mut update = invoices::Entity::update_many()
            .col_expr(C::Status, Expr::value(to.as_str()))
            .col_expr(C::UpdatedAt, Expr::value(now))
            .filter(C::Id.eq(id))
            .filter(C::Status.eq(from.as_str()));
        if let Some(column) = stamp {
            update = update.col_expr(column, Expr::value(now));
        }
        if update.exec(&self.db).await?.rows_affected == 0 {
            return Err(StoreError::conflict(
                "status",
                Message::new("conflict.status").with("object", "invoice"),
            ));
        }
        rows::get::<invoices::Entity, _>(&self.db, id, "invoice")
            .await?
            .try_into()
    }

    /// The centers some invoices are of, of an organisation (for who may
    /// see its billing account).
    pub async fn invoice_center_ids_of(&self, organization_id: i64) -> StoreResult<Vec<i64>> {
        use invoices::Column as C;
        let mut ids: Vec<i64> = invoices::Entity::find()
            .filter(C::OrganizationId.eq(organization_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| m.center_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }
}
