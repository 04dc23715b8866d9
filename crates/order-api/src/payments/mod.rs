//! Taking the money: payment attempts, the provider's notifications and
//! the backstops behind them, closing attempts before an order is
//! cancelled, and refunds.
//!
//! `PaymentProvider` is the seam: WeChat Pay is its one implementation
//! (`wechat`), run against `api.mch.weixin.qq.com` or the local simulator;
//! Alipay would be a second. What is true is decided by the database: an
//! attempt is marked paid once, by a conditional update, whichever of a
//! notification, a query or a close revealed it; a payment that arrives for
//! an order already paid or cancelled is recorded and refunded.

pub mod qr;
pub mod wechat;

use crate::alerts::Alert;
use crate::db::{self, clock};
use crate::error::{ApiError, ApiResult};
use crate::metrics::PaymentOutcome;
use crate::AppState;
use shop_core::error::ErrorCode;
use shop_core::order::{CancelReason, Order, OrderStatus};
use shop_core::payment::{
    BankTransfer, JsapiParams, PaymentMode, PaymentRequest, PaymentReturn, PaymentStart, RefundReason, RefundRequest,
    RefundState,
};
use std::future::Future;
use std::pin::Pin;

/// A provider call's answer, boxed so the trait stays object-safe.
pub type Reply<'a, T> = Pin<Box<dyn Future<Output = Result<T, ProviderError>> + Send + 'a>>;

#[derive(Debug)]
pub enum ProviderError {
    /// No trustworthy answer: a network failure, a timeout, a 5xx, or an
    /// answer that failed verification. What was asked may or may not have
    /// happened: query later.
    Unknown(String),
    /// A verified refusal, with the provider's code (`ORDERPAID`, …).
    Refused { status: u16, code: String, message: String },
}

/// An attempt to start at the provider.
pub struct NewAttempt {
    pub out_trade_no: String,
    pub mode: PaymentMode,
    pub amount_fen: i64,
    pub description: String,
    /// The order's payment deadline, seconds since the epoch.
    pub expires_at: i64,
    pub openid: Option<String>,
    pub client_ip: String,
}

/// What a started attempt is paid through (a prepay_id, an h5_url, a
/// code_url), and until when it may be reused.
pub struct Instrument {
    pub text: String,
    pub expires_at: i64,
}

/// What the provider says about an attempt.
#[derive(Debug)]
pub struct Trade {
    pub out_trade_no: String,
    pub state: TradeState,
    pub transaction_id: Option<String>,
    pub paid_at: Option<String>,
    pub total_fen: Option<i64>,
    pub payer_total_fen: Option<i64>,
    pub currency: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum TradeState {
    Paid,
    /// Not paid yet, and still payable.
    Unpaid,
    Closed,
}

pub struct RefundCall {
    pub refund_no: String,
    pub out_trade_no: String,
    pub amount_fen: i64,
    /// The whole payment's amount (WeChat checks it).
    pub payment_total_fen: i64,
    pub reason: String,
}

#[derive(Debug)]
pub struct RefundStatus {
    pub refund_no: String,
    pub state: RefundState,
    pub provider_refund_id: Option<String>,
    pub amount_fen: Option<i64>,
    pub succeeded_at: Option<String>,
}

/// A verified, decrypted notification, with the provider's id for it.
#[derive(Debug)]
pub enum Notice {
    Trade { id: String, trade: Trade },
    Refund { id: String, refund: RefundStatus },
}

pub trait PaymentProvider: Send + Sync {
    /// Whether this merchant can take payments in `mode` (H5 needs approval).
    fn supports(&self, mode: PaymentMode) -> bool;
    fn start<'a>(&'a self, attempt: &'a NewAttempt) -> Reply<'a, Instrument>;
    /// The signed argument of the JSAPI call for a prepay_id.
    fn jsapi_params(&self, prepay_id: &str) -> Result<JsapiParams, ProviderError>;
    /// `None` when the provider has never heard of it.
    fn query<'a>(&'a self, out_trade_no: &'a str) -> Reply<'a, Option<Trade>>;
    fn close<'a>(&'a self, out_trade_no: &'a str) -> Reply<'a, ()>;
    fn refund<'a>(&'a self, call: &'a RefundCall) -> Reply<'a, RefundStatus>;
    fn query_refund<'a>(&'a self, refund_no: &'a str) -> Reply<'a, RefundStatus>;
    /// A notification's raw body and headers, verified and decrypted; the
    /// error says why it was refused.
    fn read_notification(&self, header: &(dyn Fn(&str) -> Option<String> + Sync), body: &str)
        -> Result<Notice, String>;
}

/// Online payment as one shop takes it: the provider, WeChat's web
/// authorisation (for JSAPI), and where shoppers come back to.
pub struct Payments {
    pub provider: Box<dyn PaymentProvider>,
    pub oauth: Option<wechat::oauth::WechatOauth>,
    /// The shop's origin as shoppers reach it (`PUBLIC_ORIGIN`, or the
    /// address it listens on): where WeChat sends them back after H5.
    pub shop_origin: String,
}

/// The provider, or `payment_unavailable` when none is set up.
fn provider(state: &AppState) -> ApiResult<&dyn PaymentProvider> {
    state.payments.as_ref().map(|p| p.provider.as_ref()).ok_or_else(|| ErrorCode::PaymentUnavailable.into())
}

/// The provider if one is set up (for what also works without one).
fn maybe_provider(state: &AppState) -> Option<&dyn PaymentProvider> {
    state.payments.as_ref().map(|p| p.provider.as_ref())
}

fn unavailable(e: ProviderError) -> ApiError {
    tracing::warn!(error = ?e, "payment provider");
    ErrorCode::PaymentUnavailable.into()
}

/// Starts paying an order (or continues an attempt still valid), for the
/// shopper who proves it is theirs with its phone.
pub async fn start(
    state: &AppState,
    order_no: &str,
    request: &PaymentRequest,
    openid: Option<String>,
    client_ip: &str,
) -> ApiResult<PaymentStart> {
    let provider = provider(state)?;
    let order = db::payable_order(&state.db, order_no, request.phone.trim()).await?.ok_or(ApiError::NOT_FOUND)?;
    if order.status != OrderStatus::PendingPayment {
        return Err(ErrorCode::InvalidTransition { status: order.status }.into());
    }
    let now = clock::now();
    if now >= order.pay_by {
        return Err(ErrorCode::PaymentExpired.into());
    }
    // Without H5 approval a phone browser gets the QR code to save or scan.
    let mode = if provider.supports(request.mode) { request.mode } else { PaymentMode::Native };
    if mode == PaymentMode::Jsapi && openid.is_none() {
        let has_oauth = state.payments.as_ref().is_some_and(|p| p.oauth.is_some());
        let authorize_url = has_oauth.then(|| format!("/api/wechat/oauth?order_no={}", order.order_no));
        return Err(authorize_url
            .map_or(ErrorCode::PaymentUnavailable, |authorize_url| ErrorCode::OpenidRequired { authorize_url })
            .into());
    }

    let attempts = db::open_attempts(&state.db, order.id).await?;
    let reusable = attempts.iter().find(|a| {
        a.mode == Some(mode)
            && a.amount_fen == order.total_fen
            && a.openid == openid
            && a.instrument_expires_at.is_some_and(|t| t > now + 30)
    });
    let (out_trade_no, instrument) = match reusable {
        Some(a) => (a.out_trade_no.clone(), a.instrument.clone().unwrap_or_default()),
        None => {
            // WeChat refuses changed parameters under a number it has seen,
            // so a new attempt gets a new number, and the open ones are
            // closed first: a shopper must never be able to pay twice.
            for open in &attempts {
                settle(state, provider, &open.out_trade_no, Settle::Close).await?;
            }
            // A close may have revealed a payment.
            let status = db::order_status(&state.db, order.id).await?;
            if status != OrderStatus::PendingPayment {
                return Err(ErrorCode::InvalidTransition { status }.into());
            }
            let out_trade_no =
                db::new_attempt(&state.db, order.id, &order.order_no, mode, order.total_fen, openid.as_deref()).await?;
            let attempt = NewAttempt {
                out_trade_no: out_trade_no.clone(),
                mode,
                amount_fen: order.total_fen,
                description: format!("西青区扶贫网店 订单 {}", order.order_no),
                expires_at: order.pay_by,
                openid: openid.clone(),
                client_ip: client_ip.to_owned(),
            };
            // An unknown outcome leaves the attempt open: it is closed (or
            // found paid) before the next one, and by the sweep.
            let instrument = provider.start(&attempt).await.map_err(unavailable)?;
            db::set_instrument(&state.db, &out_trade_no, &instrument.text, instrument.expires_at).await?;
            (out_trade_no, instrument.text)
        }
    };
    let mut start = PaymentStart {
        out_trade_no,
        mode,
        expires_at: clock::utc_text(order.pay_by),
        jsapi: None,
        h5_url: None,
        code_url: None,
        qr_svg: None,
    };
    match mode {
        PaymentMode::Jsapi => start.jsapi = Some(provider.jsapi_params(&instrument).map_err(unavailable)?),
        PaymentMode::H5 => {
            // WeChat sends the shopper back here (the order page checks the result).
            let origin = state.payments.as_ref().map_or("", |p| p.shop_origin.as_str());
            let back = [origin, &PaymentReturn::Check.page(&order.order_no)].concat();
            start.h5_url = Some(format!("{instrument}&redirect_url={}", wechat::oauth::percent_encode(&back)));
        }
        PaymentMode::Native => {
            start.qr_svg = Some(qr::svg_data_url(&instrument));
            start.code_url = Some(instrument);
        }
    }
    Ok(start)
}

/// What to do with an attempt whose outcome the shop must settle.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Settle {
    /// Ask, and record what the provider says.
    Query,
    /// Close it unless it turns out paid.
    Close,
}

/// Settles one attempt with the provider: records a payment it reveals,
/// marks it closed once the provider says it is, and otherwise leaves it
/// open. `Close` fails (and leaves the attempt open) when the provider
/// cannot be reached, so nothing that may be paid is ever given up.
async fn settle(state: &AppState, provider: &dyn PaymentProvider, out_trade_no: &str, how: Settle) -> ApiResult<()> {
    db::touch_attempt(&state.db, out_trade_no).await?;
    if how == Settle::Close {
        match provider.close(out_trade_no).await {
            Ok(()) => return db::mark_closed(&state.db, out_trade_no).await,
            // Refused (ORDERPAID, ORDERNOTEXIST, …) or unknown: a query says which.
            Err(e) => tracing::info!(out_trade_no, error = ?e, "close refused or unanswered; querying"),
        }
    }
    match provider.query(out_trade_no).await.map_err(unavailable)? {
        None => db::mark_closed(&state.db, out_trade_no).await,
        Some(trade) => match trade.state {
            TradeState::Paid => record(state, &trade, "query").await,
            TradeState::Closed => db::mark_closed(&state.db, out_trade_no).await,
            TradeState::Unpaid if how == Settle::Close => Err(ErrorCode::PaymentInProgress.into()),
            TradeState::Unpaid => Ok(()),
        },
    }
}

/// Records a paid trade, once; refunds it when its order no longer wants
/// it. `source` says how the shop learnt of it, for the log.
async fn record(state: &AppState, trade: &Trade, source: &str) -> ApiResult<()> {
    let Some(attempt) = db::attempt(&state.db, &trade.out_trade_no).await? else {
        tracing::warn!(out_trade_no = trade.out_trade_no, source, "a paid trade the shop never started");
        return Ok(());
    };
    let amount = Some(attempt.amount_fen);
    if trade.total_fen != amount || trade.payer_total_fen != amount || trade.currency.as_deref() != Some("CNY") {
        tracing::error!(
            out_trade_no = trade.out_trade_no,
            source,
            ?trade,
            expected = attempt.amount_fen,
            "a paid trade whose amount is not the attempt's: not recorded"
        );
        return Err(ApiError::Internal(format!("trade {} amount mismatch", trade.out_trade_no)));
    }
    let paid_at = trade.paid_at.clone().unwrap_or_else(|| clock::utc_text(clock::now()));
    let recorded = db::record_paid(&state.db, &trade.out_trade_no, trade.transaction_id.as_deref(), &paid_at).await?;
    state.metrics.payment(match recorded {
        db::Recorded::Paid => PaymentOutcome::paid,
        db::Recorded::Already => PaymentOutcome::duplicate,
        db::Recorded::NeedsRefund(_) => PaymentOutcome::refunded,
    });
    if let db::Recorded::NeedsRefund(refund_no) = &recorded {
        state.alerts.raise(Alert::PaidAfterClose { refund_no: refund_no.clone() });
        tracing::warn!(
            out_trade_no = trade.out_trade_no,
            refund_no,
            source,
            "paid again or after cancelling: refunding"
        );
        send_refund(state, refund_no).await;
    }
    if recorded != db::Recorded::Already {
        tracing::info!(out_trade_no = trade.out_trade_no, source, "payment recorded");
    }
    Ok(())
}

/// The order, after asking the provider about any attempt still open (the
/// backstop for a notification that has not come: after the JSAPI call
/// returns, or the shopper comes back from H5, or while a QR code is shown).
pub async fn check(state: &AppState, order_no: &str, phone: &str) -> ApiResult<Order> {
    let order = db::payable_order(&state.db, order_no, phone).await?.ok_or(ApiError::NOT_FOUND)?;
    if let (Some(provider), OrderStatus::PendingPayment) = (maybe_provider(state), order.status) {
        let now = clock::now();
        for attempt in db::open_attempts(&state.db, order.id).await? {
            // At most one question per attempt every few seconds, however often the page asks.
            if attempt.last_checked_at.is_none_or(|at| now - at >= CHECK_EVERY_SECS) {
                if let Err(e) = settle(state, provider, &attempt.out_trade_no, Settle::Query).await {
                    tracing::warn!(error = ?e, "checking a payment");
                }
            }
        }
    }
    db::find_order(&state.db, order_no, phone).await?.ok_or(ApiError::NOT_FOUND)
}

const CHECK_EVERY_SECS: i64 = 3;

/// Handles a notification: `Ok` once it is recorded (or was already),
/// `Err` with why it was refused (the provider sends it again later).
pub async fn notify(
    state: &AppState,
    header: &(dyn Fn(&str) -> Option<String> + Sync),
    body: &str,
) -> Result<(), String> {
    let provider = maybe_provider(state).ok_or("no payment provider")?;
    match provider.read_notification(header, body)? {
        Notice::Trade { id, trade } if trade.state == TradeState::Paid => {
            record(state, &trade, &format!("notification {id}")).await.map_err(|e| format!("notification {id}: {e:?}"))
        }
        Notice::Trade { id, trade } => {
            tracing::info!(notification = id, out_trade_no = trade.out_trade_no, ?trade.state, "a trade notification that is not a payment");
            Ok(())
        }
        Notice::Refund { id, refund } => {
            db::set_refund_state(&state.db, &refund).await.map_err(|e| format!("notification {id}: {e:?}"))?;
            tracing::info!(notification = id, refund_no = refund.refund_no, ?refund.state, "refund notification");
            Ok(())
        }
    }
}

/// Cancels an order: an unpaid one after closing its open attempts (its
/// stock returns only once none can be paid any more); a paid one by
/// refunding it. A payment that a close reveals leaves the order paid.
pub async fn cancel(state: &AppState, order_no: &str, reason: CancelReason) -> ApiResult<Order> {
    let order = db::payable_order_by_no(&state.db, order_no).await?.ok_or(ApiError::NOT_FOUND)?;
    if let (Some(provider), OrderStatus::PendingPayment) = (maybe_provider(state), order.status) {
        for attempt in db::open_attempts(&state.db, order.id).await? {
            settle(state, provider, &attempt.out_trade_no, Settle::Close).await?;
        }
    }
    let (cancelled, refunds) = db::cancel_order(&state.db, order_no, reason).await?;
    for refund_no in refunds {
        send_refund(state, &refund_no).await;
    }
    Ok(cancelled)
}

/// A refund staff asked for: recorded (lines before shipping go back into
/// stock), then sent to the provider; retried by the sweep if it cannot be.
pub async fn refund(
    state: &AppState,
    order_no: &str,
    key: &str,
    request: &RefundRequest,
    by: &str,
) -> ApiResult<Order> {
    let refund_no = db::create_refund(&state.db, order_no, key, request, by).await?;
    send_refund(state, &refund_no).await;
    db::order_by_no(&state.db, order_no).await?.ok_or(ApiError::NOT_FOUND)
}

/// A bank transfer staff saw arrive: the order's open online attempts are
/// closed first, so the shopper cannot pay twice.
pub async fn record_bank_transfer(
    state: &AppState,
    order_no: &str,
    transfer: &BankTransfer,
    by: &str,
) -> ApiResult<Order> {
    let order = db::payable_order_by_no(&state.db, order_no).await?.ok_or(ApiError::NOT_FOUND)?;
    if let Some(provider) = maybe_provider(state) {
        for attempt in db::open_attempts(&state.db, order.id).await? {
            settle(state, provider, &attempt.out_trade_no, Settle::Close).await?;
        }
    }
    db::record_bank_transfer(&state.db, order_no, transfer, by).await?;
    db::order_by_no(&state.db, order_no).await?.ok_or(ApiError::NOT_FOUND)
}

/// Sends a recorded refund to the provider (a bank transfer's is paid back
/// by staff). A failure to reach it leaves the refund pending for the sweep.
async fn send_refund(state: &AppState, refund_no: &str) {
    let Some(provider) = maybe_provider(state) else { return };
    let call = match db::refund_to_send(&state.db, refund_no).await {
        Ok(Some(call)) => call,
        Ok(None) => return,
        Err(e) => return tracing::error!(refund_no, error = ?e, "reading a refund to send"),
    };
    let reason = RefundReason::parse(&call.reason).map_or("退款", refund_words);
    let call = RefundCall { reason: reason.to_owned(), ..call };
    let answer = provider.refund(&call).await;
    let outcome = match answer {
        Ok(status) => db::set_refund_state(&state.db, &status).await,
        Err(ProviderError::Refused { code, message, .. }) => {
            tracing::error!(refund_no, code, message, "the provider refused a refund: staff must look");
            let failed = RefundStatus {
                refund_no: refund_no.to_owned(),
                state: RefundState::Failed,
                provider_refund_id: None,
                amount_fen: None,
                succeeded_at: None,
            };
            db::set_refund_state(&state.db, &failed).await
        }
        Err(ProviderError::Unknown(e)) => {
            tracing::warn!(refund_no, error = e, "refund unanswered; the sweep sends it again (same number)");
            db::touch_refund(&state.db, refund_no).await
        }
    };
    if let Err(e) = outcome {
        tracing::error!(refund_no, error = ?e, "recording a refund's state");
    }
}

/// The reason WeChat shows the shopper beside the refund.
fn refund_words(reason: RefundReason) -> &'static str {
    match reason {
        RefundReason::RefundOnly => "仅退款",
        RefundReason::DamagedOnArrival => "坏果包赔",
        RefundReason::OrderCancelled => "订单已取消",
        RefundReason::DuplicatePayment => "重复支付退款",
        RefundReason::PaidAfterCancel => "订单已取消，退回付款",
    }
}

/// How long an attempt or refund may go without news before the sweep asks.
const ASK_AFTER_SECS: i64 = 60;

/// Once a minute, in every replica (each change is a conditional update):
/// cancel orders left unpaid past their deadline (closing their attempts
/// first), ask about attempts and refunds no notification settled, and send
/// refunds that could not be sent.
pub async fn sweep(state: &AppState) -> ApiResult<usize> {
    let now = clock::now();
    let mut cancelled = 0;
    for order_no in db::expired_unpaid(&state.db, now).await? {
        match cancel(state, &order_no, CancelReason::PaymentTimeout).await {
            Ok(_) => cancelled += 1,
            // Paid (or cancelled) meanwhile, or a close that must wait: next time.
            Err(ApiError::Refused(
                ErrorCode::InvalidTransition { .. } | ErrorCode::PaymentInProgress | ErrorCode::PaymentUnavailable,
            )) => {}
            Err(e) => tracing::error!(order_no, error = ?e, "cancelling an unpaid order"),
        }
    }
    if let Some(provider) = maybe_provider(state) {
        for out_trade_no in db::attempts_to_ask(&state.db, now - ASK_AFTER_SECS).await? {
            if let Err(e) = settle(state, provider, &out_trade_no, Settle::Query).await {
                tracing::warn!(out_trade_no, error = ?e, "asking about an open attempt");
            }
        }
        for (refund_no, refund_state) in db::refunds_to_chase(&state.db, now - ASK_AFTER_SECS).await? {
            if refund_state == RefundState::Pending {
                send_refund(state, &refund_no).await;
            } else {
                match provider.query_refund(&refund_no).await {
                    Ok(status) => db::set_refund_state(&state.db, &status).await?,
                    Err(e) => tracing::warn!(refund_no, error = ?e, "asking about a refund"),
                }
            }
        }
    }
    Ok(cancelled)
}
