//! An order's life: the moves `OrderStatus::can_become` allows, made once
//! each whatever runs at the same time, and the sweep that cancels orders
//! left unpaid.

use super::orders::order_by_no;
use super::{clock, Db, Word};
use crate::error::{ApiError, ApiResult};
use shop_core::error::ErrorCode;
use shop_core::order::{CancelReason, Order, OrderStatus};

#[derive(sqlx::FromRow)]
struct CurrentStatus {
    id: i64,
    status: Word<OrderStatus>,
}

#[derive(sqlx::FromRow)]
struct Returned {
    sku: String,
    quantity: i64,
}

/// Moves an order to `next` if its life allows it. The status update is
/// conditional on the status just read, so of two concurrent changes only
/// one applies, and a cancelled order's stock (and hives) go back exactly once.
pub async fn change_status(
    db: &Db,
    order_no: &str,
    next: OrderStatus,
    tracking_no: Option<&str>,
    cancel_reason: CancelReason,
) -> ApiResult<Order> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE orders SET id = id WHERE order_no = $1").bind(order_no).execute(&mut *tx).await?;
    let row: Option<CurrentStatus> = sqlx::query_as("SELECT id, status FROM orders WHERE order_no = $1")
        .bind(order_no)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(CurrentStatus { id, status: Word(current) }) = row else { return Err(ApiError::NOT_FOUND) };
    if !current.can_become(next) {
        return Err(ErrorCode::InvalidTransition { status: current }.into());
    }
    let changed = sqlx::query(
        "UPDATE orders SET status = $1, tracking_no = COALESCE($2, tracking_no), cancel_reason = $3,
             status_changed_at = $4
         WHERE id = $5 AND status = $6",
    )
    .bind(next.as_str())
    .bind(tracking_no)
    .bind((next == OrderStatus::Cancelled).then_some(cancel_reason.as_str()))
    .bind(clock::utc_text(clock::now()))
    .bind(id)
    .bind(current.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(ErrorCode::InvalidTransition { status: current }.into());
    }
    if next == OrderStatus::Cancelled {
        // One SKU at a time in SKU order, the order checkouts take stock in,
        // so two transactions never wait on each other's rows (no deadlock
        // on PostgreSQL).
        let returned: Vec<Returned> = sqlx::query_as(
            "SELECT sku, CAST(SUM(quantity) AS BIGINT) AS quantity FROM order_lines WHERE order_id = $1
             GROUP BY sku ORDER BY sku",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        for Returned { sku, quantity } in returned {
            sqlx::query("UPDATE variants SET stock = stock + $1 WHERE sku = $2")
                .bind(quantity)
                .bind(sku)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE adoptions SET released = TRUE WHERE order_id = $1").bind(id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    order_by_no(db, order_no).await?.ok_or(ApiError::NOT_FOUND)
}

/// Cancels (and restocks) orders left unpaid for longer than `max_age_minutes`.
/// Returns how many were cancelled.
pub async fn cancel_unpaid(db: &Db, max_age_minutes: i64) -> ApiResult<usize> {
    let stale: Vec<String> = sqlx::query_scalar("SELECT order_no FROM orders WHERE status = $1 AND created_at <= $2")
        .bind(OrderStatus::PendingPayment.as_str())
        .bind(clock::utc_text(clock::now() - max_age_minutes * 60))
        .fetch_all(db)
        .await?;
    let mut cancelled = 0;
    for order_no in stale {
        match change_status(db, &order_no, OrderStatus::Cancelled, None, CancelReason::PaymentTimeout).await {
            Ok(_) => cancelled += 1,
            // Paid (or cancelled) by an admin in the meantime: leave it.
            Err(ApiError::Refused(ErrorCode::InvalidTransition { .. })) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(cancelled)
}
