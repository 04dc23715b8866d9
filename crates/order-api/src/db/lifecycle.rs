//! An order's life: the moves `OrderStatus::can_become` allows, each made
//! once whatever runs at the same time. Paying is recorded by `payments`;
//! cancelling returns the stock (and the money, for a paid order).

use super::orders::order_by_no;
use super::payments::{open_attempt_count, refund_everything, restock};
use super::{clock, Db, Word};
use crate::error::{ApiError, ApiResult};
use shop_core::error::ErrorCode;
use shop_core::order::{CancelReason, Order, OrderStatus};
use sqlx::{Any, Transaction};

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

/// Locks the order for the rest of the transaction and reads its status;
/// refuses a move its life does not allow.
async fn current(tx: &mut Transaction<'_, Any>, order_no: &str, next: OrderStatus) -> ApiResult<(i64, OrderStatus)> {
    sqlx::query("UPDATE orders SET id = id WHERE order_no = $1").bind(order_no).execute(&mut **tx).await?;
    let row: Option<CurrentStatus> = sqlx::query_as("SELECT id, status FROM orders WHERE order_no = $1")
        .bind(order_no)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(CurrentStatus { id, status: Word(status) }) = row else { return Err(ApiError::NOT_FOUND) };
    if !status.can_become(next) {
        return Err(ErrorCode::InvalidTransition { status }.into());
    }
    Ok((id, status))
}

/// The move itself, conditional on the status just read, so of two
/// concurrent changes only one applies.
async fn set_status(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    current: OrderStatus,
    next: OrderStatus,
    tracking_no: Option<&str>,
    cancel_reason: Option<CancelReason>,
) -> ApiResult<()> {
    let changed = sqlx::query(
        "UPDATE orders SET status = $1, tracking_no = COALESCE($2, tracking_no), cancel_reason = $3, status_changed_at = $4
         WHERE id = $5 AND status = $6",
    )
    .bind(next.as_str())
    .bind(tracking_no)
    .bind(cancel_reason.map(CancelReason::as_str))
    .bind(clock::utc_text(clock::now()))
    .bind(id)
    .bind(current.as_str())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(ErrorCode::InvalidTransition { status: current }.into());
    }
    Ok(())
}

/// Ships (with a tracking number) or completes an order.
pub async fn change_status(db: &Db, order_no: &str, next: OrderStatus, tracking_no: Option<&str>) -> ApiResult<Order> {
    debug_assert!(
        matches!(next, OrderStatus::Shipped | OrderStatus::Completed),
        "paying and cancelling have their own ways"
    );
    let mut tx = db.begin().await?;
    let (id, current) = current(&mut tx, order_no, next).await?;
    set_status(&mut tx, id, current, next, tracking_no, None).await?;
    tx.commit().await?;
    order_by_no(db, order_no).await?.ok_or(ApiError::NOT_FOUND)
}

/// Cancels an order and returns its stock (and hives), exactly once. An
/// unpaid order must have no online attempt left open (`payments::cancel`
/// closes them first: none may be paid once its stock is for sale again);
/// a paid one, not yet shipped, gets a refund of everything paid. Returns
/// the order and the refunds to send.
pub async fn cancel_order(db: &Db, order_no: &str, reason: CancelReason) -> ApiResult<(Order, Vec<String>)> {
    let mut tx = db.begin().await?;
    let (id, current) = current(&mut tx, order_no, OrderStatus::Cancelled).await?;
    let refunds = if current == OrderStatus::Paid {
        refund_everything(&mut tx, id).await?
    } else {
        if open_attempt_count(&mut tx, id).await? > 0 {
            return Err(ErrorCode::PaymentInProgress.into());
        }
        Vec::new()
    };
    set_status(&mut tx, id, current, OrderStatus::Cancelled, None, Some(reason)).await?;
    // Less what refunds took back already. One SKU at a time in SKU order,
    // the order checkouts take stock in, so two transactions never wait on
    // each other's rows (no deadlock on PostgreSQL).
    let returned: Vec<Returned> = sqlx::query_as(
        "SELECT sku, CAST(SUM(quantity - refunded) AS BIGINT) AS quantity FROM (
             SELECT l.sku, l.quantity, COALESCE((SELECT SUM(rl.quantity) FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
                                                 WHERE r.order_id = l.order_id AND rl.position = l.position), 0) AS refunded
             FROM order_lines l WHERE l.order_id = $1) lines GROUP BY sku ORDER BY sku",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    for Returned { sku, quantity } in returned.into_iter().filter(|r| r.quantity > 0) {
        restock(&mut tx, id, &sku, quantity).await?;
    }
    tx.commit().await?;
    let order = order_by_no(db, order_no).await?.ok_or(ApiError::NOT_FOUND)?;
    Ok((order, refunds))
}
