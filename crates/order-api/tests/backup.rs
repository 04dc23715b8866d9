//! Backups that restore: `order-api backup` taken while shoppers order
//! holds every order acknowledged before it began, with the stock adding
//! up; `order-api restore` refuses while a server runs, and a server
//! started on the restored database serves those orders. SQLite only (the
//! README gives PostgreSQL's own tools).

mod common;

use common::order_body;
use common::process::{post_order, request, ApiProcess};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SKU: &str = "HONEY-WF-500";
const INITIAL_STOCK: i64 = 1_000_000;

/// Runs `order-api <args>` against `database_url`, with backups in `dir`.
fn order_api(database_url: &str, dir: &Path, args: &[&str], keep: &str) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_order-api"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("BACKUP_DIR", dir.join("backups"))
        .env("BACKUP_KEEP", keep)
        .env("RUST_LOG", "warn")
        .output()
        .expect("order-api runs")
}

async fn open(file: &Path) -> SqliteConnection {
    SqliteConnectOptions::new().filename(file).read_only(true).connect().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_shoppers_order_restores_every_acknowledged_order() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("shop.db").display());
    let db = order_api::db::connect(&url).await.unwrap();
    common::set_stock(&db, SKU, INITIAL_STOCK).await;
    db.close().await;
    let mut server = ApiProcess::start(&url, dir.path(), &[]).await;

    // Eight shoppers order until told to stop.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let shoppers: Vec<_> = (0..8)
        .map(|shopper| {
            let (acknowledged, stop, addr) = (acknowledged.clone(), stop.clone(), server.addr);
            tokio::spawn(async move {
                for n in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let reply = post_order(addr, &order_body(&[(SKU, 1)]), &format!("backup-{shopper}-{n}")).await;
                    let reply = reply.expect("the server answers");
                    assert_eq!(reply.status, 201, "{}", reply.body);
                    acknowledged.lock().unwrap().push(reply.json()["order_no"].as_str().unwrap().to_owned());
                }
            })
        })
        .collect();
    while acknowledged.lock().unwrap().len() < 50 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let before_backup = acknowledged.lock().unwrap().clone();
    let backup_file = dir.path().join("taken-under-load.db");
    let backup_path = backup_file.to_str().unwrap().to_owned();
    // The shoppers go on ordering while it runs (a handful of orders commit
    // during the copy on this machine).
    let taken = tokio::task::spawn_blocking({
        let (url, dir) = (url.clone(), dir.path().to_owned());
        move || order_api(&url, &dir, &["backup", &backup_path], "14")
    })
    .await
    .unwrap();
    stop.store(true, Ordering::Relaxed);
    for shopper in shoppers {
        shopper.await.unwrap();
    }
    assert!(taken.status.success(), "backup failed: {}", String::from_utf8_lossy(&taken.stderr));
    let mode = std::fs::metadata(&backup_file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a backup holds personal data: only its owner reads it");

    // The backup is sound, holds every order acknowledged before it began,
    // and its stock adds up.
    let mut copy = open(&backup_file).await;
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut copy).await.unwrap();
    assert_eq!(verdict, "ok");
    for order_no in &before_backup {
        let found: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE order_no = $1")
            .bind(order_no)
            .fetch_one(&mut copy)
            .await
            .unwrap();
        assert_eq!(found, 1, "order {order_no}, acknowledged before the backup, is in it once");
    }
    let sold: i64 = sqlx::query_scalar("SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE sku = $1")
        .bind(SKU)
        .fetch_one(&mut copy)
        .await
        .unwrap();
    let left: i64 =
        sqlx::query_scalar("SELECT stock FROM variants WHERE sku = $1").bind(SKU).fetch_one(&mut copy).await.unwrap();
    assert_eq!(left + sold, INITIAL_STOCK, "the backup's stock adds up");
    copy.close().await.unwrap();

    // No restore under a running server.
    let refused = order_api(&url, dir.path(), &["restore", backup_file.to_str().unwrap()], "14");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("a server is running"), "{refused:?}");

    server.kill().await;
    let restored = order_api(&url, dir.path(), &["restore", backup_file.to_str().unwrap()], "14");
    assert!(restored.status.success(), "restore failed: {}", String::from_utf8_lossy(&restored.stderr));
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with("shop.db.replaced-"))
        .collect();
    assert_eq!(aside.len(), 1, "the replaced database is kept aside");

    let server = ApiProcess::start(&url, dir.path(), &[]).await;
    for order_no in [before_backup.first().unwrap(), before_backup.last().unwrap()] {
        let path = format!("/api/orders/{order_no}?phone=13800138000");
        assert_eq!(request(server.addr, "GET", &path, &[], "").await.unwrap().status, 200, "{order_no} is served");
    }
    let db = order_api::db::connect(&url).await.unwrap();
    assert_eq!(common::stock(&db, SKU).await, left, "the restored stock is the backup's");
}

#[tokio::test]
async fn backups_without_a_file_keep_the_newest_backup_keep_and_bad_files_are_never_restored() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("shop.db").display());
    order_api::db::connect(&url).await.unwrap().close().await;
    for _ in 0..3 {
        let taken = order_api(&url, dir.path(), &["backup"], "2");
        assert!(taken.status.success(), "{}", String::from_utf8_lossy(&taken.stderr));
        // Names are to the second.
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    let kept: Vec<_> = std::fs::read_dir(dir.path().join("backups")).unwrap().collect();
    assert_eq!(kept.len(), 2, "BACKUP_KEEP=2 keeps two: {kept:?}");

    let not_a_database = dir.path().join("notes.db");
    std::fs::write(&not_a_database, "these are not the orders").unwrap();
    let refused = order_api(&url, dir.path(), &["restore", not_a_database.to_str().unwrap()], "2");
    assert!(!refused.status.success());
    let mut db = open(&dir.path().join("shop.db")).await;
    let tables: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'orders'")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(tables, 1, "the database is untouched");
}
