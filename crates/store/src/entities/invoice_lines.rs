//! `invoice_lines` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub invoice_id: i64,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    pub booking_id: Option<i64>,
    pub service_order_id: Option<i64>,
    pub instrument_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub seconds: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub tier: String,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
}

relations! {
    belongs_to {
        Invoice: invoices(InvoiceId -> Id), Cascade, "fk_invoice_lines_invoice_id";
        Booking: bookings(BookingId -> Id), Restrict, "fk_invoice_lines_booking_id";
        ServiceOrder: service_orders(ServiceOrderId -> Id), Restrict, "fk_invoice_lines_service_order_id";
        Instrument: instruments(InstrumentId -> Id), Restrict, "fk_invoice_lines_instrument_id";
    }
    has_many {
        InvoiceLineShares: invoice_line_shares;
    }
}
