//! Admin queries: the whole catalogue (drafts included), product edits with
//! their history, and moving orders through their life.

use super::catalogue::{any_product, first_image, variants_of};
use super::orders::{hydrate, order_by_no, OrderRow, ORDER_COLUMNS};
use super::{clock, Db};
use crate::error::{ApiError, ApiResult};
use shop_core::admin::{AdminOrderList, AdminProduct, AdminProductDetail, DayTotals, ProductChange, ProductPatch};
use shop_core::order::{Order, OrderStatus};
use sqlx::{Any, Transaction};

pub async fn admin_products(db: &Db) -> ApiResult<Vec<AdminProduct>> {
    let rows: Vec<(i64, String, String, String, i64, String)> = sqlx::query_as(
        "SELECT id, slug, name, category_slug, CASE WHEN published THEN 1 ELSE 0 END, images
         FROM products ORDER BY published, featured_rank, id",
    )
    .fetch_all(db)
    .await?;
    let mut products = Vec::with_capacity(rows.len());
    for (id, slug, name, category, published, images) in rows {
        let variants = variants_of(db, id).await?;
        products.push(AdminProduct { slug, name, category, published: published != 0, image: first_image(&images), variants });
    }
    Ok(products)
}

/// How many recorded changes the admin preview shows.
const HISTORY: i64 = 50;

pub async fn admin_product(db: &Db, slug: &str) -> ApiResult<Option<AdminProductDetail>> {
    let Some((product, published)) = any_product(db, slug).await? else { return Ok(None) };
    let history: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT c.changed_at, c.field, c.old_value, c.new_value, c.remote_addr
         FROM product_changes c JOIN products p ON p.id = c.product_id
         WHERE p.slug = $1 ORDER BY c.id DESC LIMIT $2",
    )
    .bind(slug)
    .bind(HISTORY)
    .fetch_all(db)
    .await?;
    let history = history
        .into_iter()
        .map(|(changed_at, field, old_value, new_value, remote_addr)| ProductChange {
            changed_at,
            field,
            old_value,
            new_value,
            remote_addr,
        })
        .collect();
    Ok(Some(AdminProductDetail { product, published, history }))
}

#[derive(sqlx::FromRow)]
struct EditableRow {
    id: i64,
    published: i64,
    name: String,
    subtitle: String,
    description: String,
    story: String,
}

/// Applies a patch in one transaction, recording each change it makes.
/// Stock deltas are applied by the database (`stock = stock + delta`), only
/// while the result stays at or above zero, so they compose with orders
/// being placed at the same moment.
pub async fn patch_product(db: &Db, slug: &str, patch: &ProductPatch, remote_addr: &str) -> ApiResult<()> {
    let mut tx = db.begin().await?;
    // A no-op write first takes SQLite's write lock for the whole transaction.
    sqlx::query("UPDATE products SET id = id WHERE slug = $1").bind(slug).execute(&mut *tx).await?;
    let current: Option<EditableRow> =
        sqlx::query_as("SELECT id, CASE WHEN published THEN 1 ELSE 0 END AS published, name, subtitle, description, story
             FROM products WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(current) = current else { return Err(ApiError::NotFound) };
    let mut log = ChangeLog { product_id: current.id, remote_addr };

    if let Some(published) = patch.published.filter(|&p| p != (current.published != 0)) {
        sqlx::query("UPDATE products SET published = $1 WHERE id = $2").bind(published).bind(current.id).execute(&mut *tx).await?;
        log.record(&mut tx, "published", &(!published).to_string(), &published.to_string()).await?;
    }
    let texts = [
        ("name", &patch.name, &current.name),
        ("subtitle", &patch.subtitle, &current.subtitle),
        ("description", &patch.description, &current.description),
        ("story", &patch.story, &current.story),
    ];
    for (column, new, old) in texts {
        if let Some(new) = new.as_deref().map(str::trim).filter(|new| new != old) {
            // `column` comes from the fixed list above, never from the request.
            sqlx::query(&format!("UPDATE products SET {column} = $1 WHERE id = $2"))
                .bind(new)
                .bind(current.id)
                .execute(&mut *tx)
                .await?;
            log.record(&mut tx, column, old, new).await?;
        }
    }
    for (i, v) in patch.variants.iter().enumerate() {
        let row: Option<(i64, i64)> = sqlx::query_as("SELECT price_fen, stock FROM variants WHERE sku = $1 AND product_id = $2")
            .bind(&v.sku)
            .bind(current.id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((price, stock)) = row else {
            return Err(ApiError::field(&format!("variants[{i}].sku"), shop_core::validate::FieldError::UnknownSku));
        };
        if let Some(new_price) = v.price_fen.filter(|&p| p != price) {
            sqlx::query("UPDATE variants SET price_fen = $1 WHERE sku = $2").bind(new_price).bind(&v.sku).execute(&mut *tx).await?;
            log.record(&mut tx, &[&v.sku, ".price_fen"].concat(), &price.to_string(), &new_price.to_string()).await?;
        }
        if let Some(delta) = v.stock_delta {
            let changed = sqlx::query("UPDATE variants SET stock = stock + $1 WHERE sku = $2 AND stock + $1 >= 0")
                .bind(delta)
                .bind(&v.sku)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed == 0 {
                return Err(ApiError::OutOfStock { sku: v.sku.clone(), available: stock });
            }
            log.record(&mut tx, &[&v.sku, ".stock"].concat(), &stock.to_string(), &(stock + delta).to_string()).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

struct ChangeLog<'a> {
    product_id: i64,
    remote_addr: &'a str,
}

impl ChangeLog<'_> {
    async fn record(&mut self, tx: &mut Transaction<'_, Any>, field: &str, old: &str, new: &str) -> ApiResult<()> {
        sqlx::query("INSERT INTO product_changes (product_id, field, old_value, new_value, remote_addr) VALUES ($1, $2, $3, $4, $5)")
            .bind(self.product_id)
            .bind(field)
            .bind(old)
            .bind(new)
            .bind(self.remote_addr)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}

pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    /// An order number or a phone number (exact).
    pub text: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

pub async fn admin_orders(db: &Db, f: &OrderFilter) -> ApiResult<AdminOrderList> {
    const WHERE: &str = " WHERE ($1 IS NULL OR status = $1) AND ($2 IS NULL OR order_no = upper($2) OR contact_phone = $2)";
    let status = f.status.map(OrderStatus::as_str);
    let rows: Vec<OrderRow> = sqlx::query_as(&[ORDER_COLUMNS, WHERE, " ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"].concat())
        .bind(status)
        .bind(&f.text)
        .bind(i64::from(f.per_page))
        .bind(i64::from(f.page - 1) * i64::from(f.per_page))
        .fetch_all(db)
        .await?;
    let total: i64 = sqlx::query_scalar(&["SELECT COUNT(*) FROM orders", WHERE].concat())
        .bind(status)
        .bind(&f.text)
        .fetch_one(db)
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.push(hydrate(db, row).await?);
    }
    // "Today" is the shop's day: China Standard Time, UTC+8.
    let (today_start, today_end) = clock::china_day(clock::now());
    let (orders, total_fen): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(total_fen), 0) AS BIGINT) FROM orders
         WHERE status != 'cancelled' AND created_at >= $1 AND created_at < $2",
    )
    .bind(today_start)
    .bind(today_end)
    .fetch_one(db)
    .await?;
    Ok(AdminOrderList { items, total, page: f.page, per_page: f.per_page, today: DayTotals { orders, total_fen } })
}

/// Why an order was cancelled, as the shopper's lookup shows it.
pub const CANCELLED_BY_SHOP: &str = "by_shop";
pub const CANCELLED_UNPAID: &str = "payment_timeout";

/// Moves an order to `next` if its life allows it. The status update is
/// conditional on the status just read, so of two concurrent changes only
/// one applies, and a cancelled order's stock (and hives) go back exactly once.
pub async fn change_status(
    db: &Db,
    order_no: &str,
    next: OrderStatus,
    tracking_no: Option<&str>,
    cancel_reason: &str,
) -> ApiResult<Order> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE orders SET id = id WHERE order_no = $1").bind(order_no).execute(&mut *tx).await?;
    let row: Option<(i64, String)> = sqlx::query_as("SELECT id, status FROM orders WHERE order_no = $1")
        .bind(order_no)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((id, current)) = row else { return Err(ApiError::NotFound) };
    let current = OrderStatus::parse(&current).ok_or_else(|| ApiError::Internal(format!("bad status {current}")))?;
    if !current.can_become(next) {
        return Err(ApiError::InvalidTransition { status: current });
    }
    let changed = sqlx::query(
        "UPDATE orders SET status = $1, tracking_no = COALESCE($2, tracking_no), cancel_reason = $3,
             status_changed_at = $4
         WHERE id = $5 AND status = $6",
    )
    .bind(next.as_str())
    .bind(tracking_no)
    .bind((next == OrderStatus::Cancelled).then_some(cancel_reason))
    .bind(clock::utc_text(clock::now()))
    .bind(id)
    .bind(current.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(ApiError::InvalidTransition { status: current });
    }
    if next == OrderStatus::Cancelled {
        // One SKU at a time in SKU order, the order checkouts take stock in,
        // so two transactions never wait on each other's rows (no deadlock
        // on PostgreSQL).
        let returned: Vec<(String, i64)> = sqlx::query_as(
            "SELECT sku, CAST(SUM(quantity) AS BIGINT) FROM order_lines WHERE order_id = $1 GROUP BY sku ORDER BY sku",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        for (sku, quantity) in returned {
            sqlx::query("UPDATE variants SET stock = stock + $1 WHERE sku = $2").bind(quantity).bind(sku).execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE adoptions SET released = TRUE WHERE order_id = $1").bind(id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    order_by_no(db, order_no).await?.ok_or(ApiError::NotFound)
}

/// Cancels (and restocks) orders left unpaid for longer than `max_age_minutes`.
/// Returns how many were cancelled.
pub async fn cancel_unpaid(db: &Db, max_age_minutes: i64) -> ApiResult<usize> {
    let stale: Vec<String> = sqlx::query_scalar(
        "SELECT order_no FROM orders WHERE status = 'pending_payment'
         AND created_at <= $1",
    )
    .bind(clock::utc_text(clock::now() - max_age_minutes * 60))
    .fetch_all(db)
    .await?;
    let mut cancelled = 0;
    for order_no in stale {
        match change_status(db, &order_no, OrderStatus::Cancelled, None, CANCELLED_UNPAID).await {
            Ok(_) => cancelled += 1,
            // Paid (or cancelled) by an admin in the meantime: leave it.
            Err(ApiError::InvalidTransition { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(cancelled)
}
