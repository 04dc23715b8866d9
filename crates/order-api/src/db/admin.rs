//! Admin queries: the whole catalogue (drafts included), product edits with
//! their history, and the order list with the day's totals.

use super::catalogue::{any_product, first_image, variants_of};
use super::orders::{hydrate, OrderRow, ORDER_COLUMNS};
use super::{clock, Db};
use crate::error::{ApiError, ApiResult};
use shop_core::admin::{AdminOrderList, AdminProduct, AdminProductDetail, DayTotals, ProductChange, ProductPatch};
use shop_core::error::ErrorCode;
use shop_core::field;
use shop_core::order::OrderStatus;
use shop_core::validate::FieldError;
use sqlx::{Any, Transaction};

#[derive(sqlx::FromRow)]
struct ListedProduct {
    id: i64,
    slug: String,
    name: String,
    category_slug: String,
    /// 0 or 1: the Any driver reads SQLite's booleans as integers only.
    published: i64,
    images: String,
}

pub async fn admin_products(db: &Db) -> ApiResult<Vec<AdminProduct>> {
    let rows: Vec<ListedProduct> = sqlx::query_as(
        "SELECT id, slug, name, category_slug, CASE WHEN published THEN 1 ELSE 0 END AS published, images
         FROM products ORDER BY published, featured_rank, id",
    )
    .fetch_all(db)
    .await?;
    let mut products = Vec::with_capacity(rows.len());
    for p in rows {
        let variants = variants_of(db, p.id).await?;
        let image = first_image(&p.images);
        products.push(AdminProduct {
            slug: p.slug,
            name: p.name,
            category: p.category_slug,
            published: p.published != 0,
            image,
            variants,
        });
    }
    Ok(products)
}

/// How many recorded changes the admin preview shows.
const HISTORY: i64 = 50;

pub async fn admin_product(db: &Db, slug: &str) -> ApiResult<Option<AdminProductDetail>> {
    let Some((product, published)) = any_product(db, slug).await? else { return Ok(None) };
    let history: Vec<ChangeRow> = sqlx::query_as(
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
        .map(|c| ProductChange {
            changed_at: c.changed_at,
            field: c.field,
            old_value: c.old_value,
            new_value: c.new_value,
            remote_addr: c.remote_addr,
        })
        .collect();
    Ok(Some(AdminProductDetail { product, published, history }))
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    changed_at: String,
    field: String,
    old_value: String,
    new_value: String,
    remote_addr: String,
}

#[derive(sqlx::FromRow)]
struct EditableRow {
    id: i64,
    /// 0 or 1, as in `ListedProduct`.
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
    let current: Option<EditableRow> = sqlx::query_as(
        "SELECT id, CASE WHEN published THEN 1 ELSE 0 END AS published, name, subtitle, description, story
             FROM products WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(current) = current else { return Err(ApiError::NOT_FOUND) };
    let mut log = ChangeLog { product_id: current.id, remote_addr };

    if let Some(published) = patch.published.filter(|&p| p != (current.published != 0)) {
        sqlx::query("UPDATE products SET published = $1 WHERE id = $2")
            .bind(published)
            .bind(current.id)
            .execute(&mut *tx)
            .await?;
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
        let row: Option<PriceAndStock> =
            sqlx::query_as("SELECT price_fen, stock FROM variants WHERE sku = $1 AND product_id = $2")
                .bind(&v.sku)
                .bind(current.id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(PriceAndStock { price_fen: price, stock }) = row else {
            return Err(ApiError::field(&field::variant(i, field::SKU), FieldError::UnknownSku));
        };
        if let Some(new_price) = v.price_fen.filter(|&p| p != price) {
            sqlx::query("UPDATE variants SET price_fen = $1 WHERE sku = $2")
                .bind(new_price)
                .bind(&v.sku)
                .execute(&mut *tx)
                .await?;
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
                return Err(ErrorCode::OutOfStock { sku: v.sku.clone(), available: stock }.into());
            }
            log.record(&mut tx, &[&v.sku, ".stock"].concat(), &stock.to_string(), &(stock + delta).to_string()).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct PriceAndStock {
    price_fen: i64,
    stock: i64,
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
    const WHERE: &str =
        " WHERE ($1 IS NULL OR status = $1) AND ($2 IS NULL OR order_no = upper($2) OR contact_phone = $2)";
    let status = f.status.map(OrderStatus::as_str);
    let rows: Vec<OrderRow> =
        sqlx::query_as(&[ORDER_COLUMNS, WHERE, " ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"].concat())
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
    let today: Today = sqlx::query_as(
        "SELECT COUNT(*) AS orders, CAST(COALESCE(SUM(total_fen), 0) AS BIGINT) AS total_fen FROM orders
         WHERE status != $1 AND created_at >= $2 AND created_at < $3",
    )
    .bind(OrderStatus::Cancelled.as_str())
    .bind(today_start)
    .bind(today_end)
    .fetch_one(db)
    .await?;
    let today = DayTotals { orders: today.orders, total_fen: today.total_fen };
    Ok(AdminOrderList { items, total, page: f.page, per_page: f.per_page, today })
}

#[derive(sqlx::FromRow)]
struct Today {
    orders: i64,
    total_fen: i64,
}
