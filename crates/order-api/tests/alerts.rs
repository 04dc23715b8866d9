//! Staff hear at once, in their 企业微信 group, when checkouts fail: the
//! robot (a loopback one speaking its protocol) gets one message at once,
//! and what fails within `ALERT_INTERVAL_SECS` comes counted in the next.

mod common;

use axum::http::StatusCode;
use common::{hold_every_connection, order_body, robot, shop_configured};
use std::time::Duration;

#[tokio::test]
async fn failed_checkouts_reach_the_staff_group_counted_and_spaced() {
    let robot = robot::start().await;
    let shop = shop_configured(|c| {
        c.alert_webhook_url = Some(robot.url.clone());
        c.alert_interval = Duration::from_secs(4);
    })
    .await;
    // Every database connection taken: checkouts are answered 503.
    let held = hold_every_connection(&shop.db).await;
    let body = order_body(&[("HONEY-WF-500", 1)]);
    let failed = shop.post_json("/api/orders", &body, Some("alert-1")).await;
    assert_eq!(failed.status, StatusCode::SERVICE_UNAVAILABLE);
    let first = robot.messages(1, Duration::from_secs(5)).await;
    assert_eq!(first.len(), 1);
    assert!(first[0].contains("下单失败 1 次（unavailable ×1）"), "{}", first[0]);

    // Two more fail together, within the interval after the first message.
    let (second, third) = tokio::join!(
        shop.post_json("/api/orders", &body, Some("alert-2")),
        shop.post_json("/api/orders", &body, Some("alert-3"))
    );
    assert_eq!((second.status, third.status), (StatusCode::SERVICE_UNAVAILABLE, StatusCode::SERVICE_UNAVAILABLE));
    drop(held);
    // A refusal of the shopper's own making is no alert.
    shop.set_stock("HONEY-WF-500", 0).await;
    assert_eq!(shop.post_json("/api/orders", &body, Some("alert-4")).await.status, StatusCode::CONFLICT);
    let both = robot.messages(2, Duration::from_secs(5)).await;
    assert_eq!(both.len(), 2, "the next message waits for the interval, then counts both: {both:?}");
    assert!(both[1].contains("下单失败 2 次（unavailable ×2）"), "{}", both[1]);
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(robot.messages(3, Duration::ZERO).await.len(), 2, "nothing more to tell");
}
