//! Quotes and reading orders. Prices and stock come from the database,
//! never from the request (placing orders: `placing.rs`).

use super::adoption::adoptions_of;
use super::payments::{pay_by, payments_of, refunds_of};
use super::{clock, Db, Placeholders, Word};
use crate::error::ApiResult;
use shop_core::catalogue::ProductKind;
use shop_core::order::{
    totals, Address, CancelReason, Contact, LineProblem, Order, OrderItem, OrderLine, OrderStatus, Quote, QuoteLine,
};
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};

/// A variant as the shop sells it now (published products only).
#[derive(sqlx::FromRow)]
pub(super) struct Priced {
    sku: String,
    name: String,
    label: String,
    price_fen: i64,
    pub stock: i64,
    pub county: String,
    pub kind: Word<ProductKind>,
}

/// The variants of `skus` on sale, by SKU; unknown SKUs and drafts are absent.
pub(super) async fn priced_variants(conn: &mut AnyConnection, skus: &[&str]) -> ApiResult<HashMap<String, Priced>> {
    let skus: HashSet<&str> = skus.iter().copied().collect();
    if skus.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT v.sku, p.name, v.label, v.price_fen, v.stock, p.origin_county AS county, p.kind
         FROM variants v JOIN products p ON p.id = v.product_id
         WHERE p.published AND v.sku IN ({})",
        Placeholders::of(conn).list(1, skus.len())
    );
    let mut select = sqlx::query_as::<_, Priced>(&sql).persistent(false);
    for sku in skus {
        select = select.bind(sku);
    }
    Ok(select.fetch_all(conn).await?.into_iter().map(|p| (p.sku.clone(), p)).collect())
}

impl Priced {
    /// `quantity` of this variant at today's price.
    pub(super) fn line(&self, quantity: i64) -> OrderLine {
        OrderLine {
            sku: self.sku.clone(),
            name: self.name.clone(),
            label: self.label.clone(),
            unit_price_fen: self.price_fen,
            quantity,
            line_total_fen: shop_core::cart::line_total_fen(self.price_fen, quantity),
        }
    }
}

/// Current prices, stock problems and shipping for a cart; writes nothing.
pub async fn quote(db: &Db, items: &[OrderItem], province_code: Option<u32>) -> ApiResult<Quote> {
    let skus: Vec<&str> = items.iter().map(|i| i.sku.as_str()).collect();
    let priced = priced_variants(&mut *db.acquire().await?, &skus).await?;
    let mut lines = Vec::with_capacity(items.len());
    for item in items {
        lines.push(match priced.get(&item.sku) {
            Some(p) => QuoteLine {
                problem: (p.stock < item.quantity).then_some(LineProblem::OutOfStock),
                available: p.stock,
                line: p.line(item.quantity),
            },
            None => QuoteLine {
                line: OrderLine {
                    sku: item.sku.clone(),
                    name: String::new(),
                    label: String::new(),
                    unit_price_fen: 0,
                    quantity: item.quantity,
                    line_total_fen: 0,
                },
                available: 0,
                problem: Some(LineProblem::UnknownSku),
            },
        });
    }
    // Lines with a problem cannot be bought, so they do not count.
    let buyable = lines.iter().filter(|l| l.problem.is_none()).map(|l| (l.line.unit_price_fen, l.line.quantity));
    let (subtotal_fen, shipping_fen, total_fen) = totals(buyable, province_code);
    Ok(Quote { lines, subtotal_fen, shipping_fen, total_fen })
}

/// The order, only for the phone number it was placed with.
pub async fn find_order(db: &Db, order_no: &str, phone: &str) -> ApiResult<Option<Order>> {
    Ok(order_by_no(db, order_no).await?.filter(|o| o.contact.phone == phone))
}

#[derive(sqlx::FromRow)]
pub(super) struct OrderRow {
    id: i64,
    order_no: String,
    status: Word<OrderStatus>,
    contact_name: String,
    contact_phone: String,
    province: String,
    city: String,
    district: String,
    district_code: Option<String>,
    district_unlisted: i64,
    detail: String,
    postal_code: Option<String>,
    note: Option<String>,
    invoice: Option<String>,
    subtotal_fen: i64,
    shipping_fen: i64,
    total_fen: i64,
    created_at: String,
    tracking_no: Option<String>,
    cancel_reason: Option<String>,
    pay_by: Option<String>,
}

/// An order line as stored: what was bought, at the price of that day.
#[derive(sqlx::FromRow)]
struct LineRow {
    sku: String,
    name: String,
    label: String,
    unit_price_fen: i64,
    quantity: i64,
    line_total_fen: i64,
}

impl From<LineRow> for OrderLine {
    fn from(r: LineRow) -> OrderLine {
        OrderLine {
            sku: r.sku,
            name: r.name,
            label: r.label,
            unit_price_fen: r.unit_price_fen,
            quantity: r.quantity,
            line_total_fen: r.line_total_fen,
        }
    }
}

pub(super) const ORDER_COLUMNS: &str = "SELECT id, order_no, status, contact_name, contact_phone, province, city,
    district, district_code, CASE WHEN district_unlisted THEN 1 ELSE 0 END AS district_unlisted, detail, postal_code, note, invoice, subtotal_fen, shipping_fen, total_fen, created_at, tracking_no,
    cancel_reason, pay_by FROM orders";

pub async fn order_by_no(db: &Db, order_no: &str) -> ApiResult<Option<Order>> {
    let row: Option<OrderRow> =
        sqlx::query_as(&[ORDER_COLUMNS, " WHERE order_no = $1"].concat()).bind(order_no).fetch_optional(db).await?;
    match row {
        Some(r) => Ok(Some(hydrate(db, r).await?)),
        None => Ok(None),
    }
}

/// An order row with its lines.
pub(super) async fn hydrate(db: &Db, r: OrderRow) -> ApiResult<Order> {
    let lines: Vec<LineRow> = sqlx::query_as(
        "SELECT sku, name, label, unit_price_fen, quantity, line_total_fen
         FROM order_lines WHERE order_id = $1 ORDER BY position",
    )
    .bind(r.id)
    .fetch_all(db)
    .await?;
    // NULL, or (in a hand-edited row) a reason this build does not know: none shown.
    let cancel_reason = r.cancel_reason.as_deref().and_then(CancelReason::parse);
    let pending = r.status.0 == OrderStatus::PendingPayment;
    let pay_by = pending.then(|| clock::utc_text(pay_by(r.pay_by.as_deref(), &r.created_at)));
    Ok(Order {
        order_no: r.order_no,
        status: r.status.0,
        lines: lines.into_iter().map(OrderLine::from).collect(),
        subtotal_fen: r.subtotal_fen,
        shipping_fen: r.shipping_fen,
        total_fen: r.total_fen,
        contact: Contact { name: r.contact_name, phone: r.contact_phone },
        address: Address {
            province: r.province,
            city: r.city,
            district: r.district,
            district_code: r.district_code,
            district_unlisted: r.district_unlisted != 0,
            detail: r.detail,
            postal_code: r.postal_code,
        },
        note: r.note,
        invoice: r.invoice.as_deref().and_then(|json| serde_json::from_str(json).ok()),
        created_at: r.created_at,
        tracking_no: r.tracking_no,
        cancel_reason,
        adoptions: adoptions_of(db, r.id).await?,
        pay_by,
        payments: payments_of(db, r.id).await?,
        refunds: refunds_of(db, r.id).await?,
    })
}
