//! Telling staff at once, in their 企业微信 (WeCom) group: with
//! `ALERT_WEBHOOK_URL` set to a group robot's webhook, the API posts a text
//! message when checkouts fail (answered 5xx: the database away, the
//! deadline passed, an internal error) and when a payment lands on an order
//! already cancelled or paid (it is refunded by itself, but staff should
//! know why money went back). A robot takes at most 20 messages a minute,
//! so at most one is sent per `ALERT_INTERVAL_SECS` (60); what happens
//! meanwhile is counted into the next one.

use std::collections::BTreeMap;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// What staff are told about.
#[derive(Debug)]
pub enum Alert {
    /// A checkout answered 5xx, with its error code.
    OrderFailed(&'static str),
    /// A payment for an order already cancelled or paid, being refunded
    /// (the refund's number starts with the order's).
    PaidAfterClose { refund_no: String },
}

/// The sending side, cheap to call from any handler: events go to one task.
#[derive(Clone)]
pub struct Alerts(Option<mpsc::UnboundedSender<Alert>>);

impl Alerts {
    /// Alerts to `webhook_url` (none when unset), at most one message per `interval`.
    pub fn start(webhook_url: Option<String>, interval: Duration) -> Alerts {
        let Some(url) = webhook_url else { return Alerts(None) };
        let (events, received) = mpsc::unbounded_channel();
        tokio::spawn(send_alerts(url, interval, received));
        Alerts(Some(events))
    }

    pub fn raise(&self, alert: Alert) {
        if let Some(events) = &self.0 {
            let _ = events.send(alert);
        }
    }
}

/// What has happened since the last message.
#[derive(Default)]
struct Pending {
    failed_orders: BTreeMap<&'static str, usize>,
    paid_after_close: Vec<String>,
}

impl Pending {
    fn add(&mut self, alert: Alert) {
        match alert {
            Alert::OrderFailed(code) => *self.failed_orders.entry(code).or_default() += 1,
            Alert::PaidAfterClose { refund_no } => self.paid_after_close.push(refund_no),
        }
    }

    fn is_empty(&self) -> bool {
        self.failed_orders.is_empty() && self.paid_after_close.is_empty()
    }

    /// The message, in Chinese for the staff's group, within the robot's
    /// 2,048 bytes (a long list of orders is cut with a count).
    fn message(&self) -> String {
        let mut text = String::from("【西青区扶贫网店】");
        if !self.failed_orders.is_empty() {
            let total: usize = self.failed_orders.values().sum();
            let codes: Vec<String> = self.failed_orders.iter().map(|(code, n)| format!("{code} ×{n}")).collect();
            text += &format!("\n下单失败 {total} 次（{}），请检查服务与数据库。", codes.join("，"));
        }
        if !self.paid_after_close.is_empty() {
            text += &format!("\n{} 笔付款到达时订单已取消或已付，已自动退款，退款单号：", self.paid_after_close.len());
            for (shown, refund_no) in self.paid_after_close.iter().enumerate() {
                if text.len() + refund_no.len() + 40 > MAX_TEXT_BYTES {
                    text += &format!(" 另有 {} 笔", self.paid_after_close.len() - shown);
                    break;
                }
                text += &format!(" {refund_no}");
            }
        }
        text
    }
}

/// The robot's limit on a text message's content.
const MAX_TEXT_BYTES: usize = 2048;

async fn send_alerts(url: String, interval: Duration, mut received: mpsc::UnboundedReceiver<Alert>) {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("an HTTP client");
    let mut pending = Pending::default();
    let mut next_send = Instant::now();
    loop {
        let alert = if pending.is_empty() {
            received.recv().await
        } else {
            tokio::select! {
                alert = received.recv() => alert,
                () = tokio::time::sleep_until(next_send) => {
                    send(&client, &url, &pending.message()).await;
                    pending = Pending::default();
                    next_send = Instant::now() + interval;
                    continue;
                }
            }
        };
        let Some(alert) = alert else { return };
        pending.add(alert);
    }
}

/// Posts one text message; a refusal is logged, not retried (the next
/// message carries on the counts only of what happens after it).
async fn send(client: &reqwest::Client, url: &str, text: &str) {
    let body = serde_json::json!({ "msgtype": "text", "text": { "content": text } });
    let answer = match client.post(url).json(&body).send().await {
        Ok(response) => response.json::<serde_json::Value>().await,
        Err(e) => Err(e),
    };
    match answer {
        Ok(answer) if answer["errcode"] == 0 => tracing::info!("alert sent"),
        Ok(answer) => tracing::warn!(%answer, "the alert robot refused the message"),
        Err(e) => tracing::warn!(error = %e, "the alert robot could not be reached"),
    }
}

#[cfg(test)]
mod tests {
    use super::{Alert, Pending, MAX_TEXT_BYTES};

    #[test]
    fn a_message_counts_failures_by_code_and_fits_the_robot() {
        let mut pending = Pending::default();
        pending.add(Alert::OrderFailed("unavailable"));
        pending.add(Alert::OrderFailed("unavailable"));
        pending.add(Alert::OrderFailed("timeout"));
        assert!(pending.message().contains("下单失败 3 次（timeout ×1，unavailable ×2）"), "{}", pending.message());
        for i in 0..500 {
            pending.add(Alert::PaidAfterClose { refund_no: format!("XQ{i:010}R01") });
        }
        let text = pending.message();
        assert!(text.len() <= MAX_TEXT_BYTES, "{} bytes", text.len());
        assert!(text.contains("500 笔付款") && text.contains("XQ0000000000R01") && text.contains(" 另有 "), "{text}");
    }
}
