//! Adoptions for the admin, harvest deliveries, and the impact panel.

use super::orders::{adoption, AdoptionRow, ADOPTION_SELECT};
use super::Db;
use crate::error::{ApiError, ApiResult};
use shop_core::adoption::{Adoption, CountyImpact, Impact};
use shop_core::order::OrderStatus;

/// Orders in these states count as paid: their money reached the producers.
const PAID: &str = "('paid', 'shipped', 'completed')";

pub async fn impact(db: &Db) -> ApiResult<Impact> {
    let counties: Vec<(String, i64, i64)> = sqlx::query_as(&[
        "SELECT l.county, CAST(SUM(l.line_total_fen) AS BIGINT), COUNT(DISTINCT o.id)
         FROM orders o JOIN order_lines l ON l.order_id = o.id
         WHERE o.status IN ",
        PAID,
        " AND l.county != '' GROUP BY l.county ORDER BY SUM(l.line_total_fen) DESC",
    ]
    .concat())
    .fetch_all(db)
    .await?;
    let paid_orders: i64 = sqlx::query_scalar(&["SELECT COUNT(*) FROM orders WHERE status IN ", PAID].concat())
        .fetch_one(db)
        .await?;
    let adopted_hives: i64 = sqlx::query_scalar(
        &["SELECT COUNT(*) FROM adoptions a JOIN orders o ON o.id = a.order_id WHERE NOT a.released AND o.status IN ", PAID]
            .concat(),
    )
    .fetch_one(db)
    .await?;
    let free_hives: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM hives h WHERE NOT EXISTS
             (SELECT 1 FROM adoptions a WHERE a.sku = h.sku AND a.hive_no = h.no AND NOT a.released)",
    )
    .fetch_one(db)
    .await?;
    Ok(Impact {
        counties: counties.into_iter().map(|(county, paid_fen, orders)| CountyImpact { county, paid_fen, orders }).collect(),
        paid_orders,
        adopted_hives,
        free_hives,
    })
}

/// Every live adoption with its order's number and status, newest first.
pub async fn admin_adoptions(db: &Db) -> ApiResult<Vec<(Adoption, String, OrderStatus)>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT a.id, o.order_no, o.status FROM adoptions a JOIN orders o ON o.id = a.order_id
         WHERE NOT a.released ORDER BY a.id DESC",
    )
    .fetch_all(db)
    .await?;
    let mut list = Vec::with_capacity(rows.len());
    for (id, order_no, status) in rows {
        let status = OrderStatus::parse(&status).ok_or_else(|| ApiError::Internal(format!("bad status {status}")))?;
        list.push((adoption_by_id(db, id).await?.ok_or(ApiError::NotFound)?, order_no, status));
    }
    Ok(list)
}

async fn adoption_by_id(db: &Db, id: i64) -> ApiResult<Option<Adoption>> {
    let row: Option<AdoptionRow> =
        sqlx::query_as(&[ADOPTION_SELECT, " WHERE a.id = $1"].concat()).bind(id).fetch_optional(db).await?;
    match row {
        Some(row) => Ok(Some(adoption(db, row).await?)),
        None => Ok(None),
    }
}

/// Records a harvest posted to an adopter (only for paid, live adoptions).
pub async fn record_delivery(db: &Db, adoption_id: i64, tracking_no: &str, amount: &str) -> ApiResult<Adoption> {
    let status: Option<String> = sqlx::query_scalar(
        "SELECT o.status FROM adoptions a JOIN orders o ON o.id = a.order_id WHERE a.id = $1 AND NOT a.released",
    )
    .bind(adoption_id)
    .fetch_optional(db)
    .await?;
    let status = status.ok_or(ApiError::NotFound)?;
    let status = OrderStatus::parse(&status).ok_or_else(|| ApiError::Internal(format!("bad status {status}")))?;
    if !matches!(status, OrderStatus::Paid | OrderStatus::Shipped | OrderStatus::Completed) {
        return Err(ApiError::InvalidTransition { status });
    }
    sqlx::query("INSERT INTO adoption_deliveries (adoption_id, tracking_no, amount) VALUES ($1, $2, $3)")
        .bind(adoption_id)
        .bind(tracking_no)
        .bind(amount)
        .execute(db)
        .await?;
    adoption_by_id(db, adoption_id).await?.ok_or(ApiError::NotFound)
}
