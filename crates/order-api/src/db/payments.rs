//! Payment attempts, recorded payments, refunds and WeChat openids. Each
//! change a concurrent twin could also make is a conditional update, so of
//! twenty identical notifications exactly one records the payment.

use super::{clock, to_json, Db, Word};
use crate::error::{ApiError, ApiResult};
use crate::payments::{RefundCall, RefundStatus};
use shop_core::error::ErrorCode;
use shop_core::field;
use shop_core::order::OrderStatus;
use shop_core::payment::{
    china_minute, BankTransfer, PaymentMethod, PaymentMode, PaymentRecord, PaymentState, RefundLine, RefundReason,
    RefundRecord, RefundRequest, RefundState,
};
use shop_core::validate::{FieldError, FieldErrors};
use sqlx::{Any, Transaction};

/// An order's payment deadline: its own, or for an order placed before
/// orders recorded one, a day after it was placed (the default then).
pub(super) fn pay_by(recorded: Option<&str>, created_at: &str) -> i64 {
    let legacy = || clock::parse_utc(created_at).map(|t| t + LEGACY_PAY_WINDOW_SECS);
    recorded.and_then(clock::parse_utc).or_else(legacy).unwrap_or(0)
}

const LEGACY_PAY_WINDOW_SECS: i64 = 24 * 60 * 60;

/// What paying an order needs to know of it.
pub struct PayableOrder {
    pub id: i64,
    pub order_no: String,
    pub status: OrderStatus,
    pub total_fen: i64,
    /// Its payment deadline, seconds since the epoch.
    pub pay_by: i64,
}

#[derive(sqlx::FromRow)]
struct PayableRow {
    id: i64,
    order_no: String,
    status: Word<OrderStatus>,
    total_fen: i64,
    contact_phone: String,
    pay_by: Option<String>,
    created_at: String,
}

/// The order `order_no`, for whoever knows its phone.
pub async fn payable_order(db: &Db, order_no: &str, phone: &str) -> ApiResult<Option<PayableOrder>> {
    Ok(order_ref(db, order_no).await?.filter(|(_, p)| p == phone).map(|(order, _)| order))
}

/// The order `order_no`, for staff and the sweep.
pub async fn payable_order_by_no(db: &Db, order_no: &str) -> ApiResult<Option<PayableOrder>> {
    Ok(order_ref(db, order_no).await?.map(|(order, _)| order))
}

async fn order_ref(db: &Db, order_no: &str) -> ApiResult<Option<(PayableOrder, String)>> {
    let row: Option<PayableRow> = sqlx::query_as(
        "SELECT id, order_no, status, total_fen, contact_phone, pay_by, created_at FROM orders WHERE order_no = $1",
    )
    .bind(order_no)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| {
        let pay_by = pay_by(r.pay_by.as_deref(), &r.created_at);
        (
            PayableOrder { id: r.id, order_no: r.order_no, status: r.status.0, total_fen: r.total_fen, pay_by },
            r.contact_phone,
        )
    }))
}

pub async fn order_status(db: &Db, order_id: i64) -> ApiResult<OrderStatus> {
    let status: Word<OrderStatus> =
        sqlx::query_scalar("SELECT status FROM orders WHERE id = $1").bind(order_id).fetch_one(db).await?;
    Ok(status.0)
}

/// One online payment attempt.
pub struct Attempt {
    pub out_trade_no: String,
    pub mode: Option<PaymentMode>,
    pub amount_fen: i64,
    pub openid: Option<String>,
    pub instrument: Option<String>,
    pub instrument_expires_at: Option<i64>,
    pub last_checked_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct AttemptRow {
    out_trade_no: String,
    mode: Option<String>,
    amount_fen: i64,
    openid: Option<String>,
    instrument: Option<String>,
    instrument_expires_at: Option<String>,
    last_checked_at: Option<String>,
}

impl From<AttemptRow> for Attempt {
    fn from(r: AttemptRow) -> Attempt {
        Attempt {
            out_trade_no: r.out_trade_no,
            mode: r.mode.as_deref().and_then(PaymentMode::parse),
            amount_fen: r.amount_fen,
            openid: r.openid,
            instrument: r.instrument,
            instrument_expires_at: r.instrument_expires_at.as_deref().and_then(clock::parse_utc),
            last_checked_at: r.last_checked_at.as_deref().and_then(clock::parse_utc),
        }
    }
}

const ATTEMPT_COLUMNS: &str =
    "SELECT out_trade_no, mode, amount_fen, openid, instrument, instrument_expires_at, last_checked_at FROM payments";

/// The order's online attempts that may still be paid, oldest first.
pub async fn open_attempts(db: &Db, order_id: i64) -> ApiResult<Vec<Attempt>> {
    let rows: Vec<AttemptRow> =
        sqlx::query_as(&format!("{ATTEMPT_COLUMNS} WHERE order_id = $1 AND state = $2 ORDER BY id"))
            .bind(order_id)
            .bind(PaymentState::Open.as_str())
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(Attempt::from).collect())
}

pub async fn attempt(db: &Db, out_trade_no: &str) -> ApiResult<Option<Attempt>> {
    let row: Option<AttemptRow> = sqlx::query_as(&format!("{ATTEMPT_COLUMNS} WHERE out_trade_no = $1"))
        .bind(out_trade_no)
        .fetch_optional(db)
        .await?;
    Ok(row.map(Attempt::from))
}

/// A new open attempt, numbered after the order's earlier ones
/// (`XQ7K3M9P2R4TP01`: at most 32 characters, as WeChat requires).
pub async fn new_attempt(
    db: &Db,
    order_id: i64,
    order_no: &str,
    mode: PaymentMode,
    amount_fen: i64,
    openid: Option<&str>,
) -> ApiResult<String> {
    // Two shoppers' taps at once both count the same number: one insert
    // wins the unique out_trade_no, the other counts again.
    for _ in 0..3 {
        let mut tx = db.begin().await?;
        lock_order(&mut tx, order_id).await?;
        let earlier: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payments WHERE order_id = $1")
            .bind(order_id)
            .fetch_one(&mut *tx)
            .await?;
        let out_trade_no = format!("{order_no}P{:02}", earlier + 1);
        let inserted = sqlx::query(
            "INSERT INTO payments (order_id, method, mode, out_trade_no, amount_fen, state, openid)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(order_id)
        .bind(PaymentMethod::WechatPay.as_str())
        .bind(mode.as_str())
        .bind(&out_trade_no)
        .bind(amount_fen)
        .bind(PaymentState::Open.as_str())
        .bind(openid)
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {
                tx.commit().await?;
                return Ok(out_trade_no);
            }
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ErrorCode::PaymentInProgress.into())
}

/// Takes the order's row lock (PostgreSQL) or the write lock (SQLite) for
/// the rest of the transaction, so changes to its payments and refunds queue.
async fn lock_order(tx: &mut Transaction<'_, Any>, order_id: i64) -> ApiResult<()> {
    sqlx::query("UPDATE orders SET id = id WHERE id = $1").bind(order_id).execute(&mut **tx).await?;
    Ok(())
}

pub async fn set_instrument(db: &Db, out_trade_no: &str, instrument: &str, expires_at: i64) -> ApiResult<()> {
    sqlx::query("UPDATE payments SET instrument = $1, instrument_expires_at = $2 WHERE out_trade_no = $3")
        .bind(instrument)
        .bind(clock::utc_text(expires_at))
        .bind(out_trade_no)
        .execute(db)
        .await?;
    Ok(())
}

/// Notes that the provider is being asked about the attempt now.
pub async fn touch_attempt(db: &Db, out_trade_no: &str) -> ApiResult<()> {
    sqlx::query("UPDATE payments SET last_checked_at = $1 WHERE out_trade_no = $2")
        .bind(clock::utc_text(clock::now()))
        .bind(out_trade_no)
        .execute(db)
        .await?;
    Ok(())
}

/// The provider says the attempt can no longer be paid.
pub async fn mark_closed(db: &Db, out_trade_no: &str) -> ApiResult<()> {
    sqlx::query("UPDATE payments SET state = $1 WHERE out_trade_no = $2 AND state = $3")
        .bind(PaymentState::Closed.as_str())
        .bind(out_trade_no)
        .bind(PaymentState::Open.as_str())
        .execute(db)
        .await?;
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
pub enum Recorded {
    /// The order is paid by it.
    Paid,
    /// It was recorded before (a duplicate notification, a query after it).
    Already,
    /// Recorded, but its order was paid already or cancelled: this refund returns it.
    NeedsRefund(String),
}

#[derive(sqlx::FromRow)]
struct PaidAttempt {
    id: i64,
    order_id: i64,
    amount_fen: i64,
}

/// Marks the attempt paid, once, and its order with it; a payment its
/// order no longer wants gets a refund of its whole amount. The first
/// statement is the conditional update, so of concurrent twins exactly one
/// goes on (and on SQLite it takes the write lock at once).
pub async fn record_paid(
    db: &Db,
    out_trade_no: &str,
    transaction_id: Option<&str>,
    paid_at: &str,
) -> ApiResult<Recorded> {
    let mut tx = db.begin().await?;
    let marked = sqlx::query(
        "UPDATE payments SET state = $1, reference = $2, paid_at = $3 WHERE out_trade_no = $4 AND state != $1",
    )
    .bind(PaymentState::Paid.as_str())
    .bind(transaction_id)
    .bind(paid_at)
    .bind(out_trade_no)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if marked == 0 {
        return Ok(Recorded::Already);
    }
    let payment: PaidAttempt = sqlx::query_as("SELECT id, order_id, amount_fen FROM payments WHERE out_trade_no = $1")
        .bind(out_trade_no)
        .fetch_one(&mut *tx)
        .await?;
    let recorded = mark_order_paid(&mut tx, &payment, paid_at).await?;
    tx.commit().await?;
    Ok(recorded)
}

/// The order of a newly paid payment: paid by it, or, when it was paid
/// already or cancelled, with a refund of it.
async fn mark_order_paid(tx: &mut Transaction<'_, Any>, payment: &PaidAttempt, paid_at: &str) -> ApiResult<Recorded> {
    let paid = sqlx::query("UPDATE orders SET status = $1, paid_at = $2, paid_by = $3, status_changed_at = $4 WHERE id = $5 AND status = $6")
        .bind(OrderStatus::Paid.as_str())
        .bind(paid_at)
        .bind(payment.id)
        .bind(clock::utc_text(clock::now()))
        .bind(payment.order_id)
        .bind(OrderStatus::PendingPayment.as_str())
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if paid == 1 {
        return Ok(Recorded::Paid);
    }
    let status = order_status_in(tx, payment.order_id).await?;
    let reason =
        if status == OrderStatus::Cancelled { RefundReason::PaidAfterCancel } else { RefundReason::DuplicatePayment };
    let refund_no = insert_refund(tx, payment.order_id, payment.id, payment.amount_fen, reason, &[], SHOP).await?;
    Ok(Recorded::NeedsRefund(refund_no))
}

async fn order_status_in(tx: &mut Transaction<'_, Any>, order_id: i64) -> ApiResult<OrderStatus> {
    let status: Word<OrderStatus> =
        sqlx::query_scalar("SELECT status FROM orders WHERE id = $1").bind(order_id).fetch_one(&mut **tx).await?;
    Ok(status.0)
}

/// Who asked for refunds the shop makes by itself.
pub(super) const SHOP: &str = "shop";

/// Records a refund of `amount_fen` of `payment_id` (for these lines) and
/// returns its number (`XQ7K3M9P2R4TR01`). A bank transfer's is `manual`.
pub(super) async fn insert_refund(
    tx: &mut Transaction<'_, Any>,
    order_id: i64,
    payment_id: i64,
    amount_fen: i64,
    reason: RefundReason,
    lines: &[RefundLine],
    requested_by: &str,
) -> ApiResult<String> {
    let order_no: String =
        sqlx::query_scalar("SELECT order_no FROM orders WHERE id = $1").bind(order_id).fetch_one(&mut **tx).await?;
    let earlier: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM refunds WHERE order_id = $1")
        .bind(order_id)
        .fetch_one(&mut **tx)
        .await?;
    let refund_no = format!("{order_no}R{:02}", earlier + 1);
    let method: Word<PaymentMethod> =
        sqlx::query_scalar("SELECT method FROM payments WHERE id = $1").bind(payment_id).fetch_one(&mut **tx).await?;
    let state = if method.0 == PaymentMethod::BankTransfer { RefundState::Manual } else { RefundState::Pending };
    let refund_id: i64 = sqlx::query_scalar(
        "INSERT INTO refunds (order_id, payment_id, refund_no, amount_fen, reason, state, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(order_id)
    .bind(payment_id)
    .bind(&refund_no)
    .bind(amount_fen)
    .bind(reason.as_str())
    .bind(state.as_str())
    .bind(requested_by)
    .fetch_one(&mut **tx)
    .await?;
    for line in lines {
        sqlx::query("INSERT INTO refund_lines (refund_id, position, quantity) VALUES ($1, $2, $3)")
            .bind(refund_id)
            .bind(i64::from(line.line))
            .bind(line.quantity)
            .execute(&mut **tx)
            .await?;
    }
    Ok(refund_no)
}

#[derive(sqlx::FromRow)]
struct OrderForRefund {
    id: i64,
    status: Word<OrderStatus>,
    paid_by: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct LineForRefund {
    position: i64,
    sku: String,
    unit_price_fen: i64,
    quantity: i64,
    refunded: i64,
}

#[derive(sqlx::FromRow)]
struct KeyClaim {
    request_body: String,
    refund_no: String,
}

/// A refund staff asked for, once per Idempotency-Key: never more than the
/// paying payment less its refunds so far, never more units of a line than
/// were bought less those refunded; lines of an order not yet shipped go
/// back into stock (once: with the refund that covers them).
pub async fn create_refund(db: &Db, order_no: &str, key: &str, request: &RefundRequest, by: &str) -> ApiResult<String> {
    let body = to_json(request);
    let mut tx = db.begin().await?;
    let claimed = sqlx::query(
        "INSERT INTO refund_requests (key, request_body, refund_no) VALUES ($1, $2, '') ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(&body)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        let claim: KeyClaim = sqlx::query_as("SELECT request_body, refund_no FROM refund_requests WHERE key = $1")
            .bind(key)
            .fetch_one(&mut *tx)
            .await?;
        return if claim.request_body == body {
            Ok(claim.refund_no)
        } else {
            Err(ErrorCode::IdempotencyMismatch.into())
        };
    }
    let order: Option<OrderForRefund> = sqlx::query_as("SELECT id, status, paid_by FROM orders WHERE order_no = $1")
        .bind(order_no)
        .fetch_optional(&mut *tx)
        .await?;
    let order = order.ok_or(ApiError::NOT_FOUND)?;
    lock_order(&mut tx, order.id).await?;
    let (status, Some(payment_id)) = (order.status.0, order.paid_by) else {
        return Err(ErrorCode::InvalidTransition { status: order.status.0 }.into());
    };
    if !status.is_paid() {
        return Err(ErrorCode::InvalidTransition { status }.into());
    }

    let lines: Vec<LineForRefund> = sqlx::query_as(
        "SELECT l.position, l.sku, l.unit_price_fen, l.quantity,
                CAST(COALESCE((SELECT SUM(rl.quantity) FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
                               WHERE r.order_id = l.order_id AND rl.position = l.position AND r.state != $2), 0) AS BIGINT) AS refunded
         FROM order_lines l WHERE l.order_id = $1 ORDER BY l.position",
    )
    .bind(order.id)
    .bind(RefundState::Failed.as_str())
    .fetch_all(&mut *tx)
    .await?;
    let mut errors = FieldErrors::new();
    let mut lines_value = 0;
    for (i, wanted) in request.lines.iter().enumerate() {
        match lines.iter().find(|l| l.position == i64::from(wanted.line)) {
            None => {
                errors.insert(field::refund_line(i, field::LINE), FieldError::Invalid);
            }
            Some(line) if wanted.quantity > line.quantity - line.refunded => {
                errors.insert(field::refund_line(i, field::QUANTITY), FieldError::InvalidQuantity);
            }
            Some(line) => lines_value += line.unit_price_fen * wanted.quantity,
        }
    }
    ApiError::unless_valid(errors)?;
    let amount = match request.amount_fen {
        // Less than the lines are worth (a part of a spoilt box), never more.
        Some(fen) if !request.lines.is_empty() && fen > lines_value => {
            return Err(ApiError::field(field::AMOUNT_FEN, FieldError::Invalid));
        }
        Some(fen) => fen,
        None => lines_value,
    };
    let refundable = refundable_fen(&mut tx, payment_id).await?;
    if amount > refundable {
        return Err(ErrorCode::RefundTooLarge { refundable_fen: refundable }.into());
    }
    let reason = request.reason.unwrap_or(RefundReason::RefundOnly);
    let refund_no = insert_refund(&mut tx, order.id, payment_id, amount, reason, &request.lines, by).await?;
    if status == OrderStatus::Paid {
        // Not shipped: what is refunded will not be sent, so it is for sale again.
        for wanted in &request.lines {
            let line = lines.iter().find(|l| l.position == i64::from(wanted.line)).expect("checked above");
            restock(&mut tx, order.id, &line.sku, wanted.quantity).await?;
        }
    }
    sqlx::query("UPDATE refund_requests SET refund_no = $1 WHERE key = $2")
        .bind(&refund_no)
        .bind(key)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(refund_no)
}

/// What of a payment can still be refunded: its amount less its refunds
/// that did not fail.
async fn refundable_fen(tx: &mut Transaction<'_, Any>, payment_id: i64) -> ApiResult<i64> {
    let refundable: i64 = sqlx::query_scalar(
        "SELECT p.amount_fen - CAST(COALESCE((SELECT SUM(r.amount_fen) FROM refunds r WHERE r.payment_id = p.id AND r.state != $2), 0) AS BIGINT)
         FROM payments p WHERE p.id = $1",
    )
    .bind(payment_id)
    .bind(RefundState::Failed.as_str())
    .fetch_one(&mut **tx)
    .await?;
    Ok(refundable)
}

/// Puts `quantity` of `sku` back on sale (an adoption's hive is freed).
pub(super) async fn restock(tx: &mut Transaction<'_, Any>, order_id: i64, sku: &str, quantity: i64) -> ApiResult<()> {
    sqlx::query("UPDATE variants SET stock = stock + $1 WHERE sku = $2")
        .bind(quantity)
        .bind(sku)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE adoptions SET released = TRUE WHERE order_id = $1 AND sku = $2")
        .bind(order_id)
        .bind(sku)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Full refunds of every paid payment of an order being cancelled (for
/// `lifecycle::cancel_order`), less what was refunded already.
pub(super) async fn refund_everything(tx: &mut Transaction<'_, Any>, order_id: i64) -> ApiResult<Vec<String>> {
    let paid: Vec<i64> = sqlx::query_scalar("SELECT id FROM payments WHERE order_id = $1 AND state = $2 ORDER BY id")
        .bind(order_id)
        .bind(PaymentState::Paid.as_str())
        .fetch_all(&mut **tx)
        .await?;
    let mut refunds = Vec::new();
    for payment_id in paid {
        let left = refundable_fen(tx, payment_id).await?;
        if left > 0 {
            refunds.push(insert_refund(tx, order_id, payment_id, left, RefundReason::OrderCancelled, &[], SHOP).await?);
        }
    }
    Ok(refunds)
}

/// The order's open online attempts, counted in the transaction that
/// cancels it (none may be paid after its stock is released).
pub(super) async fn open_attempt_count(tx: &mut Transaction<'_, Any>, order_id: i64) -> ApiResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM payments WHERE order_id = $1 AND state = $2")
        .bind(order_id)
        .bind(PaymentState::Open.as_str())
        .fetch_one(&mut **tx)
        .await?)
}

/// A 对公转账 staff saw arrive pays the order.
pub async fn record_bank_transfer(db: &Db, order_no: &str, transfer: &BankTransfer, by: &str) -> ApiResult<()> {
    let received = china_minute(&transfer.received_at).map_err(|e| ApiError::field(field::RECEIVED_AT, e))?;
    let (year, month, day, hour, minute) = received;
    let paid_at = clock::utc_text(clock::from_china_minute(year, month, day, hour, minute));
    let mut tx = db.begin().await?;
    let order: Option<PayableRowLite> = sqlx::query_as("SELECT id, status, total_fen FROM orders WHERE order_no = $1")
        .bind(order_no)
        .fetch_optional(&mut *tx)
        .await?;
    let order = order.ok_or(ApiError::NOT_FOUND)?;
    lock_order(&mut tx, order.id).await?;
    if order.status.0 != OrderStatus::PendingPayment {
        return Err(ErrorCode::InvalidTransition { status: order.status.0 }.into());
    }
    if open_attempt_count(&mut tx, order.id).await? > 0 {
        return Err(ErrorCode::PaymentInProgress.into());
    }
    let earlier: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payments WHERE order_id = $1")
        .bind(order.id)
        .fetch_one(&mut *tx)
        .await?;
    let payment_id: i64 = sqlx::query_scalar(
        "INSERT INTO payments (order_id, method, out_trade_no, amount_fen, state, reference, payer, paid_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(order.id)
    .bind(PaymentMethod::BankTransfer.as_str())
    .bind(format!("{order_no}B{:02}", earlier + 1))
    .bind(order.total_fen)
    .bind(PaymentState::Paid.as_str())
    .bind(transfer.reference.trim())
    .bind(transfer.payer.trim())
    .bind(&paid_at)
    .bind(by)
    .fetch_one(&mut *tx)
    .await?;
    let payment = PaidAttempt { id: payment_id, order_id: order.id, amount_fen: order.total_fen };
    mark_order_paid(&mut tx, &payment, &paid_at).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct PayableRowLite {
    id: i64,
    status: Word<OrderStatus>,
    total_fen: i64,
}

#[derive(sqlx::FromRow)]
struct RefundToSend {
    refund_no: String,
    out_trade_no: String,
    amount_fen: i64,
    payment_total_fen: i64,
    reason: String,
}

/// A pending online refund, as the provider is asked for it.
pub async fn refund_to_send(db: &Db, refund_no: &str) -> ApiResult<Option<RefundCall>> {
    let row: Option<RefundToSend> = sqlx::query_as(
        "SELECT r.refund_no, p.out_trade_no, r.amount_fen, p.amount_fen AS payment_total_fen, r.reason
         FROM refunds r JOIN payments p ON p.id = r.payment_id
         WHERE r.refund_no = $1 AND r.state = $2 AND p.method = $3",
    )
    .bind(refund_no)
    .bind(RefundState::Pending.as_str())
    .bind(PaymentMethod::WechatPay.as_str())
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| RefundCall {
        refund_no: r.refund_no,
        out_trade_no: r.out_trade_no,
        amount_fen: r.amount_fen,
        payment_total_fen: r.payment_total_fen,
        reason: r.reason,
    }))
}

/// What the provider said of a refund. A state only moves forward
/// (pending → processing → succeeded or failed), so a late, repeated or
/// out-of-order answer changes nothing.
pub async fn set_refund_state(db: &Db, status: &RefundStatus) -> ApiResult<()> {
    let (from, also_from) = match status.state {
        RefundState::Processing => (RefundState::Pending, RefundState::Pending),
        RefundState::Succeeded | RefundState::Failed => (RefundState::Pending, RefundState::Processing),
        RefundState::Pending | RefundState::Manual => return Ok(()),
    };
    let succeeded_at = (status.state == RefundState::Succeeded)
        .then(|| status.succeeded_at.clone().unwrap_or_else(|| clock::utc_text(clock::now())));
    sqlx::query(
        "UPDATE refunds SET state = $1, provider_refund_id = COALESCE($2, provider_refund_id),
             succeeded_at = COALESCE($3, succeeded_at), last_checked_at = $4
         WHERE refund_no = $5 AND state IN ($6, $7)",
    )
    .bind(status.state.as_str())
    .bind(&status.provider_refund_id)
    .bind(succeeded_at)
    .bind(clock::utc_text(clock::now()))
    .bind(&status.refund_no)
    .bind(from.as_str())
    .bind(also_from.as_str())
    .execute(db)
    .await?;
    Ok(())
}

pub async fn touch_refund(db: &Db, refund_no: &str) -> ApiResult<()> {
    sqlx::query("UPDATE refunds SET last_checked_at = $1 WHERE refund_no = $2")
        .bind(clock::utc_text(clock::now()))
        .bind(refund_no)
        .execute(db)
        .await?;
    Ok(())
}

/// Unpaid orders past their deadline (`orders::pay_by`: orders placed
/// before they recorded one have a day).
pub async fn expired_unpaid(db: &Db, now: i64) -> ApiResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT order_no FROM orders WHERE status = $1
         AND ((pay_by IS NOT NULL AND pay_by <= $2) OR (pay_by IS NULL AND created_at <= $3))",
    )
    .bind(OrderStatus::PendingPayment.as_str())
    .bind(clock::utc_text(now))
    .bind(clock::utc_text(now - LEGACY_PAY_WINDOW_SECS))
    .fetch_all(db)
    .await?)
}

/// Open attempts nobody has asked the provider about since `before`.
pub async fn attempts_to_ask(db: &Db, before: i64) -> ApiResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT out_trade_no FROM payments WHERE state = $1 AND COALESCE(last_checked_at, created_at) <= $2",
    )
    .bind(PaymentState::Open.as_str())
    .bind(clock::utc_text(before))
    .fetch_all(db)
    .await?)
}

#[derive(sqlx::FromRow)]
struct RefundToChase {
    refund_no: String,
    state: Word<RefundState>,
}

/// Online refunds not yet settled, and not touched since `before`.
pub async fn refunds_to_chase(db: &Db, before: i64) -> ApiResult<Vec<(String, RefundState)>> {
    let rows: Vec<RefundToChase> = sqlx::query_as(
        "SELECT refund_no, state FROM refunds WHERE state IN ($1, $2) AND COALESCE(last_checked_at, requested_at) <= $3",
    )
    .bind(RefundState::Pending.as_str())
    .bind(RefundState::Processing.as_str())
    .bind(clock::utc_text(before))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.refund_no, r.state.0)).collect())
}

#[derive(sqlx::FromRow)]
struct PaymentRow {
    method: Word<PaymentMethod>,
    amount_fen: i64,
    state: Word<PaymentState>,
    paid_at: Option<String>,
    reference: Option<String>,
}

/// An order's payments (attempts included), newest first.
pub(super) async fn payments_of(db: &Db, order_id: i64) -> ApiResult<Vec<PaymentRecord>> {
    let rows: Vec<PaymentRow> = sqlx::query_as(
        "SELECT method, amount_fen, state, paid_at, reference FROM payments WHERE order_id = $1 ORDER BY id DESC",
    )
    .bind(order_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|p| PaymentRecord {
            method: p.method.0,
            amount_fen: p.amount_fen,
            state: p.state.0,
            paid_at: p.paid_at,
            reference: p.reference,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct RefundRow {
    id: i64,
    refund_no: String,
    amount_fen: i64,
    reason: Word<RefundReason>,
    state: Word<RefundState>,
    requested_at: String,
    succeeded_at: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RefundLineRow {
    position: i64,
    quantity: i64,
}

/// An order's refunds with their lines, newest first.
pub(super) async fn refunds_of(db: &Db, order_id: i64) -> ApiResult<Vec<RefundRecord>> {
    let rows: Vec<RefundRow> = sqlx::query_as(
        "SELECT id, refund_no, amount_fen, reason, state, requested_at, succeeded_at FROM refunds WHERE order_id = $1 ORDER BY id DESC",
    )
    .bind(order_id)
    .fetch_all(db)
    .await?;
    let mut refunds = Vec::with_capacity(rows.len());
    for r in rows {
        let lines: Vec<RefundLineRow> =
            sqlx::query_as("SELECT position, quantity FROM refund_lines WHERE refund_id = $1 ORDER BY position")
                .bind(r.id)
                .fetch_all(db)
                .await?;
        refunds.push(RefundRecord {
            refund_no: r.refund_no,
            amount_fen: r.amount_fen,
            reason: r.reason.0,
            state: r.state.0,
            lines: lines.into_iter().map(|l| RefundLine { line: l.position as u32, quantity: l.quantity }).collect(),
            requested_at: r.requested_at,
            succeeded_at: r.succeeded_at,
        });
    }
    Ok(refunds)
}

/// Remembers a shopper's openid under the hash of their cookie's token.
pub async fn save_openid(db: &Db, token_hash: &str, openid: &str) -> ApiResult<()> {
    sqlx::query("INSERT INTO wechat_openids (token_hash, openid) VALUES ($1, $2)")
        .bind(token_hash)
        .bind(openid)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn openid_for(db: &Db, token_hash: &str) -> ApiResult<Option<String>> {
    Ok(sqlx::query_scalar("SELECT openid FROM wechat_openids WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(db)
        .await?)
}
