//! What the log says about a request: every line it causes, an internal
//! error included, carries its request id (the one its answer carries), so
//! a shopper who quotes the id leads staff to the right lines; and no line
//! holds a phone number.

mod common;

use common::process::{post_order, request, ApiProcess};
use common::{fresh_database_url, order_body};
use serde_json::Value;

/// The server's JSON log lines that belong to request `id`.
fn lines_of(output: &[String], id: &str) -> Vec<Value> {
    output
        .iter()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["span"]["request_id"] == id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_line_of_a_request_carries_its_id_and_no_phone() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let db = order_api::db::connect(&url).await.unwrap();
    let server = ApiProcess::start(&url, dir.path(), &[("LOG_FORMAT", "json"), ("RUST_LOG", "info")]).await;

    let placed = post_order(server.addr, &order_body(&[("HONEY-WF-500", 1)]), "log-test").await.unwrap();
    assert_eq!(placed.status, 201);
    let order_no = placed.json()["order_no"].as_str().unwrap().to_owned();
    // A row the server cannot read makes the lookup an internal error.
    sqlx::query("UPDATE orders SET status = 'mislaid' WHERE order_no = $1").bind(&order_no).execute(&db).await.unwrap();
    let path = format!("/api/orders/{order_no}?phone=13800138000");
    let failed = request(server.addr, "GET", &path, &[("x-request-id", "shopper-quoted-7")], "").await.unwrap();
    assert_eq!(failed.status, 500);
    assert_eq!(failed.header("x-request-id"), Some("shopper-quoted-7"));

    // Give the server a moment to print the summary line.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let output = server.output.lock().unwrap().clone();
    let lines = lines_of(&output, "shopper-quoted-7");
    let error = lines.iter().find(|l| l["fields"]["message"] == "internal error").expect("the internal error's line");
    assert!(error["fields"]["detail"].as_str().unwrap().contains("mislaid"), "{error}");
    let summary = lines.iter().find(|l| l["fields"]["status"] == 500).expect("the request's summary line");
    assert_eq!(summary["span"]["path"], format!("/api/orders/{order_no}?phone=***"));
    assert_eq!(summary["span"]["method"], "GET");

    // A generated id is as traceable as a quoted one.
    let generated = placed.header("x-request-id").expect("an id on every answer");
    assert_eq!(generated.len(), 16);
    assert!(lines_of(&output, generated).iter().any(|l| l["fields"]["status"] == 201));
    // An id a client could abuse (too long) is replaced, not logged.
    let long = "x".repeat(200);
    let replaced = request(server.addr, "GET", "/healthz", &[("x-request-id", &long)], "").await.unwrap();
    assert_eq!(replaced.header("x-request-id").unwrap().len(), 16);

    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let output = server.output.lock().unwrap().join("\n");
    assert!(!output.contains("13800138000"), "a phone number reached the log");
    assert!(!output.contains(&long));
}

/// With `LOG_DIR`, the same lines go to a daily file in a directory only
/// the shop's user can read, still without the phone.
#[tokio::test]
async fn with_log_dir_the_lines_go_to_a_private_daily_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let logs = dir.path().join("logs");
    let env = [("LOG_DIR", logs.to_str().unwrap()), ("LOG_FORMAT", "json"), ("RUST_LOG", "info")];
    let server = ApiProcess::start(&url, dir.path(), &env).await;
    let path = "/api/orders/XQ2345678923?phone=13800138000";
    let reply = request(server.addr, "GET", path, &[("x-request-id", "to-the-file-1")], "").await.unwrap();
    assert_eq!(reply.status, 404);

    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(std::fs::metadata(&logs).unwrap().permissions().mode() & 0o777, 0o700);
    let files: Vec<_> = std::fs::read_dir(&logs).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_str().unwrap().to_owned();
    assert!(name.starts_with("order-api.") && name.ends_with(".log"), "{name}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    assert!(lines_of(&lines, "to-the-file-1").iter().any(|l| l["fields"]["status"] == 404), "{text}");
    assert!(!text.contains("13800138000"), "a phone number reached the log file");
    assert!(server.output.lock().unwrap().iter().all(|l| !l.contains("to-the-file-1")), "not on stdout too");
}
