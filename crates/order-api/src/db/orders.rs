//! Quotes and orders. Prices and stock come from the database, never from
//! the request; stock is checked and decremented in the same transaction
//! that writes the order.

use super::adoption::adoptions_of;
use super::payments::{pay_by, payments_of, refunds_of};
use super::{clock, to_json, Db, Word};
use crate::error::{ApiError, ApiResult};
use shop_core::adoption::AdoptionChoice;
use shop_core::catalogue::ProductKind;
use shop_core::error::ErrorCode;
use shop_core::field;
use shop_core::order::{
    totals, Address, CancelReason, Contact, LineProblem, Order, OrderItem, OrderLine, OrderRequest, OrderStatus, Quote,
    QuoteLine,
};
use shop_core::validate::{FieldError, FieldErrors};
use sqlx::{Any, Transaction};

/// A variant as the shop sells it now (published products only).
#[derive(sqlx::FromRow)]
struct Priced {
    sku: String,
    name: String,
    label: String,
    price_fen: i64,
    stock: i64,
    county: String,
    kind: Word<ProductKind>,
}

const PRICED: &str = "SELECT v.sku, p.name, v.label, v.price_fen, v.stock, p.origin_county AS county, p.kind
                      FROM variants v JOIN products p ON p.id = v.product_id
                      WHERE v.sku = $1 AND p.published";

impl Priced {
    /// `quantity` of this variant at today's price.
    fn line(&self, quantity: i64) -> OrderLine {
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

/// An order line at today's price, with what the order must also record.
struct PricedLine {
    line: OrderLine,
    county: String,
    adoption: Option<AdoptionChoice>,
}

/// Current prices, stock problems and shipping for a cart; writes nothing.
pub async fn quote(db: &Db, items: &[OrderItem], province_code: Option<u32>) -> ApiResult<Quote> {
    let mut lines = Vec::with_capacity(items.len());
    for item in items {
        let priced: Option<Priced> = sqlx::query_as(PRICED).bind(&item.sku).fetch_optional(db).await?;
        lines.push(match priced {
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

/// The order an idempotency key stands for.
pub struct KeyedOrder {
    pub order: Order,
    /// Placed by this call; false when the key had placed it before (a retry).
    pub placed_now: bool,
}

/// What writing an order came to, before its transaction commits.
pub(super) struct Written {
    order_no: String,
    placed_now: bool,
}

impl Written {
    /// The order as committed.
    pub(super) async fn read(self, db: &Db) -> ApiResult<KeyedOrder> {
        let Written { order_no, placed_now } = self;
        let order = order_by_no(db, &order_no).await?;
        let order = order.ok_or_else(|| ApiError::Internal(format!("order {order_no} is missing after its commit")))?;
        Ok(KeyedOrder { order, placed_now })
    }
}

/// Places an order exactly once per idempotency key, in a transaction of
/// its own (PostgreSQL; SQLite's orders go through `OrderWriter`). The
/// address has been resolved against the region data (`province_code` is
/// its province's).
pub async fn create_order(
    db: &Db,
    idempotency_key: &str,
    request: &OrderRequest,
    province_code: u32,
    pay_by: i64,
) -> ApiResult<KeyedOrder> {
    let mut tx = db.begin().await?;
    let written = write_order(&mut tx, idempotency_key, request, province_code, pay_by).await?;
    tx.commit().await?;
    written.read(db).await
}

/// Writes an order, or finds the one its key placed, inside `tx`.
///
/// The first statement is a write (claiming the key), so on SQLite the
/// transaction holds the write lock from its start and every read inside
/// sees the latest stock. Any error must roll `tx` back, the key included,
/// so a retry after a refusal starts afresh.
pub(super) async fn write_order(
    tx: &mut Transaction<'_, Any>,
    idempotency_key: &str,
    request: &OrderRequest,
    province_code: u32,
    pay_by: i64,
) -> ApiResult<Written> {
    let request_body = to_json(request);
    let order_no = new_order_no();
    let claimed = sqlx::query(
        "INSERT INTO idempotency_keys (key, request_body, order_no) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
    )
    .bind(idempotency_key)
    .bind(&request_body)
    .bind(&order_no)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        let claim: KeyClaim = sqlx::query_as("SELECT request_body, order_no FROM idempotency_keys WHERE key = $1")
            .bind(idempotency_key)
            .fetch_one(&mut **tx)
            .await?;
        if claim.request_body != request_body {
            return Err(ErrorCode::IdempotencyMismatch.into());
        }
        return Ok(Written { order_no: claim.order_no, placed_now: false });
    }

    let lines = price_lines(tx, &request.items).await?;
    let (subtotal_fen, shipping_fen, total_fen) =
        totals(lines.iter().map(|l| (l.line.unit_price_fen, l.line.quantity)), Some(province_code));
    if request.expected_total_fen.is_some_and(|expected| expected != total_fen) {
        return Err(ErrorCode::PriceChanged { total_fen }.into());
    }
    // In SKU order, so concurrent checkouts lock rows in the same order and
    // never deadlock (PostgreSQL); SQLite has one writer at a time anyway.
    let mut by_sku: Vec<&OrderLine> = lines.iter().map(|l| &l.line).collect();
    by_sku.sort_by(|a, b| a.sku.cmp(&b.sku));
    for line in by_sku {
        take_stock(tx, &line.sku, line.quantity).await?;
    }

    let Address { province, city, district, district_code, district_unlisted, detail, postal_code } = &request.address;
    let order_id: i64 = sqlx::query_scalar(
        "INSERT INTO orders (order_no, contact_name, contact_phone, province, city, district, district_code,
             district_unlisted, detail, postal_code, note, invoice, subtotal_fen, shipping_fen, total_fen, pay_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
    )
    .bind(&order_no)
    .bind(request.contact.name.trim())
    .bind(request.contact.phone.trim())
    .bind(province)
    .bind(city)
    .bind(district.trim())
    .bind(district_code)
    .bind(*district_unlisted)
    .bind(detail.trim())
    .bind(nonempty(postal_code.as_deref()))
    .bind(nonempty(request.note.as_deref()))
    .bind(request.invoice.as_ref().map(to_json))
    .bind(subtotal_fen)
    .bind(shipping_fen)
    .bind(total_fen)
    .bind(clock::utc_text(pay_by))
    .fetch_one(&mut **tx)
    .await?;
    for (position, PricedLine { line, county, adoption }) in lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO order_lines (order_id, position, sku, name, label, unit_price_fen, quantity, line_total_fen, county)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(order_id)
        .bind(position as i64)
        .bind(&line.sku)
        .bind(&line.name)
        .bind(&line.label)
        .bind(line.unit_price_fen)
        .bind(line.quantity)
        .bind(line.line_total_fen)
        .bind(county)
        .execute(&mut **tx)
        .await?;
        if let Some(choice) = adoption {
            adopt_hive(tx, order_id, position, &line.sku, choice, request.contact.name.trim()).await?;
        }
    }
    Ok(Written { order_no, placed_now: true })
}

/// An idempotency key's first request and the order it placed.
#[derive(sqlx::FromRow)]
struct KeyClaim {
    request_body: String,
    order_no: String,
}

/// The request's lines at today's prices; every unknown SKU, and every
/// adoption line without a hive name (or goods line with one), is reported at once.
async fn price_lines(tx: &mut Transaction<'_, Any>, items: &[OrderItem]) -> ApiResult<Vec<PricedLine>> {
    let mut lines = Vec::with_capacity(items.len());
    let mut errors = FieldErrors::new();
    for (i, item) in items.iter().enumerate() {
        let priced: Option<Priced> = sqlx::query_as(PRICED).bind(&item.sku).fetch_optional(&mut **tx).await?;
        let Some(p) = priced else {
            errors.insert(field::item(i, field::SKU), FieldError::UnknownSku);
            continue;
        };
        match (p.kind.0, &item.adoption) {
            (ProductKind::Adoption, None) => {
                errors.insert(field::item(i, field::HIVE_NAME), FieldError::Required);
            }
            (ProductKind::Goods, Some(_)) => {
                errors.insert(field::item(i, field::ADOPTION), FieldError::Invalid);
            }
            _ => {}
        }
        lines.push(PricedLine { line: p.line(item.quantity), county: p.county, adoption: item.adoption.clone() });
    }
    ApiError::unless_valid(errors)?;
    Ok(lines)
}

/// Gives the adopter the hive they chose, or the lowest free one. The
/// partial unique index on live adoptions makes a hive impossible to give
/// twice, whatever the interleaving; the loser gets `hive_taken`.
async fn adopt_hive(
    tx: &mut Transaction<'_, Any>,
    order_id: i64,
    position: usize,
    sku: &str,
    choice: &AdoptionChoice,
    adopter: &str,
) -> ApiResult<()> {
    let hive_no = match choice.hive_no {
        Some(no) => {
            let exists: Option<i64> = sqlx::query_scalar("SELECT no FROM hives WHERE sku = $1 AND no = $2")
                .bind(sku)
                .bind(no)
                .fetch_optional(&mut **tx)
                .await?;
            exists.ok_or_else(|| ApiError::field(&field::item(position, field::HIVE_NO), FieldError::Invalid))?
        }
        None => sqlx::query_scalar::<_, Option<i64>>(
            "SELECT MIN(h.no) FROM hives h WHERE h.sku = $1 AND NOT EXISTS
                 (SELECT 1 FROM adoptions a WHERE a.sku = h.sku AND a.hive_no = h.no AND NOT a.released)",
        )
        .bind(sku)
        .fetch_one(&mut **tx)
        .await?
        .ok_or(ErrorCode::OutOfStock { sku: sku.to_owned(), available: 0 })?,
    };
    let inserted =
        sqlx::query("INSERT INTO adoptions (order_id, sku, hive_no, hive_name, adopter) VALUES ($1, $2, $3, $4, $5)")
            .bind(order_id)
            .bind(sku)
            .bind(hive_no)
            .bind(choice.hive_name.trim())
            .bind(adopter)
            .execute(&mut **tx)
            .await;
    match inserted {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(ErrorCode::HiveTaken { hive_no }.into()),
        Err(e) => Err(e.into()),
    }
}

/// Decrements stock only if enough is left; the condition and the write are
/// one statement, so no interleaving can take the stock below zero.
async fn take_stock(tx: &mut Transaction<'_, Any>, sku: &str, quantity: i64) -> ApiResult<()> {
    let taken = sqlx::query("UPDATE variants SET stock = stock - $1 WHERE sku = $2 AND stock >= $1")
        .bind(quantity)
        .bind(sku)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if taken == 1 {
        return Ok(());
    }
    let available: i64 =
        sqlx::query_scalar("SELECT stock FROM variants WHERE sku = $1").bind(sku).fetch_one(&mut **tx).await?;
    Err(ErrorCode::OutOfStock { sku: sku.to_owned(), available }.into())
}

fn nonempty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
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

/// `XQ` and ten characters from an alphabet without look-alikes (no 0/O,
/// 1/I/L): about 49 random bits, so numbers cannot be guessed or walked,
/// yet short enough to read out over the phone.
fn new_order_no() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut no = String::from("XQ");
    while no.len() < 12 {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).expect("the OS random source works");
        // Rejection sampling keeps every character equally likely.
        for b in bytes.into_iter().filter(|&b| usize::from(b) < ALPHABET.len() * 8) {
            if no.len() < 12 {
                no.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
            }
        }
    }
    no
}

#[cfg(test)]
mod tests {
    use super::new_order_no;

    #[test]
    fn order_numbers_are_short_unambiguous_and_distinct() {
        let numbers: std::collections::HashSet<String> = (0..1000).map(|_| new_order_no()).collect();
        assert_eq!(numbers.len(), 1000);
        for no in &numbers {
            assert_eq!(no.len(), 12);
            assert!(no.starts_with("XQ"));
            assert!(!no[2..].contains(['0', 'O', '1', 'I', 'L']), "{no}");
        }
    }
}
