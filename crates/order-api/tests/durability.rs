//! What a crash or a stop must not lose: every order the API acknowledged
//! with `201` is there after a SIGKILL and a restart, with the stock adding
//! up; and a SIGTERM turns readiness off, keeps serving through the drain
//! delay, and lets the request in flight finish.

mod common;

use common::process::{post_order, read_reply, request, request_head, ApiProcess};
use common::{fresh_database_url, order_body, set_stock, stock};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

const SKU: &str = "HONEY-WF-500";
const INITIAL_STOCK: i64 = 1_000_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_orders_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let db = order_api::db::connect(&url).await.unwrap();
    set_stock(&db, SKU, INITIAL_STOCK).await;
    let mut server = ApiProcess::start(&url, dir.path(), &[]).await;

    // Eight shoppers order as fast as they can until the server dies.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let shoppers: Vec<_> = (0..8)
        .map(|shopper| {
            let (acknowledged, addr) = (acknowledged.clone(), server.addr);
            tokio::spawn(async move {
                for n in 0.. {
                    let key = format!("crash-{shopper}-{n}");
                    let Ok(reply) = post_order(addr, &order_body(&[(SKU, 1)]), &key).await else {
                        return;
                    };
                    if reply.status == 201 {
                        acknowledged.lock().unwrap().push(reply.json()["order_no"].as_str().unwrap().to_owned());
                    }
                }
            })
        })
        .collect();
    while acknowledged.lock().unwrap().len() < 100 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().await;
    for shopper in shoppers {
        shopper.await.unwrap();
    }

    let restarted = ApiProcess::start(&url, dir.path(), &[]).await;
    let acknowledged = acknowledged.lock().unwrap().clone();
    for order_no in &acknowledged {
        let reply = request(restarted.addr, "GET", &format!("/api/orders/{order_no}?phone=13800138000"), &[], "")
            .await
            .unwrap();
        assert_eq!(reply.status, 200, "acknowledged order {order_no} is lost");
    }
    let sold: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM order_lines WHERE sku = $1")
            .bind(SKU)
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(sold >= acknowledged.len() as i64, "{sold} sold, {} acknowledged", acknowledged.len());
    assert_eq!(stock(&db, SKU).await + sold, INITIAL_STOCK, "stock adds up");
}

#[tokio::test]
async fn sigterm_lets_the_request_in_flight_finish() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let mut server = ApiProcess::start(&url, dir.path(), &[("SHUTDOWN_DRAIN_SECS", "0")]).await;

    // Half an order is on the wire when the stop signal comes.
    let body = order_body(&[(SKU, 1)]).to_string();
    let (first_half, second_half) = body.as_bytes().split_at(body.len() / 2);
    let headers = [("content-type", "application/json"), ("idempotency-key", "in-flight")];
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(request_head("POST", "/api/orders", &headers, body.len()).as_bytes()).await.unwrap();
    stream.write_all(first_half).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.terminate();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stream.write_all(second_half).await.unwrap();

    let reply = read_reply(stream).await.unwrap();
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert!(server.wait().await, "the server exits cleanly after finishing");
}

/// A rolling restart: on SIGTERM the load balancer's check (`/readyz`)
/// turns 503 at once, while shoppers' requests are still served for the
/// drain delay; then the server stops by itself.
#[tokio::test]
async fn sigterm_turns_readiness_off_and_keeps_serving_through_the_drain() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let mut server = ApiProcess::start(&url, dir.path(), &[("SHUTDOWN_DRAIN_SECS", "2")]).await;
    let ready = request(server.addr, "GET", "/readyz", &[], "").await.unwrap();
    assert_eq!((ready.status, ready.body.as_str()), (200, "ready"));

    let asked = std::time::Instant::now();
    server.terminate();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let draining = request(server.addr, "GET", "/readyz", &[], "").await.unwrap();
    assert_eq!((draining.status, draining.body.as_str()), (503, "draining"));
    assert_eq!(request(server.addr, "GET", "/healthz", &[], "").await.unwrap().status, 200);
    let order = post_order(server.addr, &order_body(&[(SKU, 1)]), "during-drain").await.unwrap();
    assert_eq!(order.status, 201, "an order during the drain is taken: {}", order.body);

    assert!(server.wait().await, "the server exits cleanly after the drain");
    assert!(asked.elapsed() >= Duration::from_secs(2), "it served for the whole drain delay");
}
