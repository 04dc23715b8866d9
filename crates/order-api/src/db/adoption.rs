//! Adopted hives (with their plan and the harvests sent), the admin's list
//! of them, harvest deliveries, and the impact panel.

use super::{paid_statuses, Db, Word};
use crate::error::{ApiError, ApiResult};
use shop_core::admin::AdminAdoption;
use shop_core::adoption::{Adoption, CountyImpact, Delivery, Impact};
use shop_core::error::ErrorCode;
use shop_core::order::OrderStatus;

#[derive(sqlx::FromRow)]
struct AdoptionRow {
    id: i64,
    hive_no: i64,
    hive_name: String,
    adopter: String,
    plan: String,
}

const ADOPTION_SELECT: &str = "SELECT a.id, a.hive_no, a.hive_name, a.adopter, COALESCE(p.adoption_plan, '') AS plan
    FROM adoptions a JOIN variants v ON v.sku = a.sku JOIN products p ON p.id = v.product_id";

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    delivered_at: String,
    tracking_no: String,
    amount: String,
}

/// The live adoptions of an order, with their plan and deliveries so far.
pub(super) async fn adoptions_of(db: &Db, order_id: i64) -> ApiResult<Vec<Adoption>> {
    let rows: Vec<AdoptionRow> =
        sqlx::query_as(&[ADOPTION_SELECT, " WHERE a.order_id = $1 AND NOT a.released ORDER BY a.id"].concat())
            .bind(order_id)
            .fetch_all(db)
            .await?;
    let mut adoptions = Vec::with_capacity(rows.len());
    for row in rows {
        adoptions.push(adoption(db, row).await?);
    }
    Ok(adoptions)
}

async fn adoption(db: &Db, row: AdoptionRow) -> ApiResult<Adoption> {
    let deliveries: Vec<DeliveryRow> = sqlx::query_as(
        "SELECT delivered_at, tracking_no, amount FROM adoption_deliveries WHERE adoption_id = $1 ORDER BY id",
    )
    .bind(row.id)
    .fetch_all(db)
    .await?;
    let plan = serde_json::from_str(&row.plan)
        .map_err(|e| ApiError::Internal(format!("adoption {} has no readable plan: {e}", row.id)))?;
    Ok(Adoption {
        id: row.id,
        hive_no: row.hive_no,
        hive_name: row.hive_name,
        adopter: row.adopter,
        plan,
        deliveries: deliveries
            .into_iter()
            .map(|d| Delivery { delivered_at: d.delivered_at, tracking_no: d.tracking_no, amount: d.amount })
            .collect(),
    })
}

async fn adoption_by_id(db: &Db, id: i64) -> ApiResult<Option<Adoption>> {
    let row: Option<AdoptionRow> =
        sqlx::query_as(&[ADOPTION_SELECT, " WHERE a.id = $1"].concat()).bind(id).fetch_optional(db).await?;
    match row {
        Some(row) => Ok(Some(adoption(db, row).await?)),
        None => Ok(None),
    }
}

#[derive(sqlx::FromRow)]
struct CountyRow {
    county: String,
    paid_fen: i64,
    orders: i64,
}

pub async fn impact(db: &Db) -> ApiResult<Impact> {
    let paid = paid_statuses();
    let counties: Vec<CountyRow> = sqlx::query_as(&format!(
        "SELECT l.county, CAST(SUM(l.line_total_fen) AS BIGINT) AS paid_fen, COUNT(DISTINCT o.id) AS orders
         FROM orders o JOIN order_lines l ON l.order_id = o.id
         WHERE o.status IN {paid} AND l.county != '' GROUP BY l.county ORDER BY SUM(l.line_total_fen) DESC"
    ))
    .fetch_all(db)
    .await?;
    let paid_orders: i64 =
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM orders WHERE status IN {paid}")).fetch_one(db).await?;
    let adopted_hives: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM adoptions a JOIN orders o ON o.id = a.order_id WHERE NOT a.released AND o.status IN {paid}"
    ))
    .fetch_one(db)
    .await?;
    let free_hives: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM hives h WHERE NOT EXISTS
             (SELECT 1 FROM adoptions a WHERE a.sku = h.sku AND a.hive_no = h.no AND NOT a.released)",
    )
    .fetch_one(db)
    .await?;
    Ok(Impact {
        counties: counties
            .into_iter()
            .map(|c| CountyImpact { county: c.county, paid_fen: c.paid_fen, orders: c.orders })
            .collect(),
        paid_orders,
        adopted_hives,
        free_hives,
    })
}

#[derive(sqlx::FromRow)]
struct AdoptedHive {
    id: i64,
    order_no: String,
    status: Word<OrderStatus>,
}

/// Every live adoption with its order's number and status, newest first.
pub async fn admin_adoptions(db: &Db) -> ApiResult<Vec<AdminAdoption>> {
    let rows: Vec<AdoptedHive> = sqlx::query_as(
        "SELECT a.id, o.order_no, o.status FROM adoptions a JOIN orders o ON o.id = a.order_id
         WHERE NOT a.released ORDER BY a.id DESC",
    )
    .fetch_all(db)
    .await?;
    let mut list = Vec::with_capacity(rows.len());
    for row in rows {
        let adoption = adoption_by_id(db, row.id).await?.ok_or(ApiError::NOT_FOUND)?;
        list.push(AdminAdoption { adoption, order_no: row.order_no, status: row.status.0 });
    }
    Ok(list)
}

#[derive(sqlx::FromRow)]
struct OrderOfAdoption {
    status: Word<OrderStatus>,
}

/// Records a harvest posted to an adopter (only for paid, live adoptions).
pub async fn record_delivery(db: &Db, adoption_id: i64, tracking_no: &str, amount: &str) -> ApiResult<Adoption> {
    let order: Option<OrderOfAdoption> = sqlx::query_as(
        "SELECT o.status FROM adoptions a JOIN orders o ON o.id = a.order_id WHERE a.id = $1 AND NOT a.released",
    )
    .bind(adoption_id)
    .fetch_optional(db)
    .await?;
    let status = order.ok_or(ApiError::NOT_FOUND)?.status.0;
    if !status.is_paid() {
        return Err(ErrorCode::InvalidTransition { status }.into());
    }
    sqlx::query("INSERT INTO adoption_deliveries (adoption_id, tracking_no, amount) VALUES ($1, $2, $3)")
        .bind(adoption_id)
        .bind(tracking_no)
        .bind(amount)
        .execute(db)
        .await?;
    adoption_by_id(db, adoption_id).await?.ok_or(ApiError::NOT_FOUND)
}
