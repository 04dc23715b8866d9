//! Two API processes serving one database at once, as replicas behind a
//! load balancer do: the database alone keeps stock and idempotency right,
//! whichever replica each request reaches. The test command runs this on
//! PostgreSQL (the deployment with replicas) and on SQLite (two processes
//! sharing one file).

mod common;

use common::process::{post_order, ApiProcess};
use common::{fresh_database_url, order_body, order_count, set_stock, stock};
use std::collections::HashSet;
use std::sync::Arc;
use tempfile::TempDir;

/// A migrated, seeded database and two API processes on it.
async fn two_replicas() -> (TempDir, order_api::db::Db, Arc<[ApiProcess; 2]>) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let db = order_api::db::connect(&url).await.unwrap();
    let replicas = [ApiProcess::start(&url, dir.path(), &[]).await, ApiProcess::start(&url, dir.path(), &[]).await];
    (dir, db, Arc::new(replicas))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_never_oversell() {
    let (_dir, db, replicas) = two_replicas().await;
    set_stock(&db, "HONEY-SZ-500", 5).await;
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let replicas = replicas.clone();
            tokio::spawn(async move {
                let body = order_body(&[("HONEY-SZ-500", 1)]);
                post_order(replicas[i % 2].addr, &body, &format!("rush-{i}")).await.unwrap()
            })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        let reply = task.await.unwrap();
        match reply.status {
            201 => created += 1,
            409 => assert_eq!(reply.json()["error"]["code"], "out_of_stock"),
            other => panic!("unexpected {other}: {}", reply.body),
        }
    }
    assert_eq!(created, 5, "exactly as many orders as units");
    assert_eq!(stock(&db, "HONEY-SZ-500").await, 0);
    assert_eq!(order_count(&db).await, 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_make_one_order_per_key() {
    let (_dir, db, replicas) = two_replicas().await;
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let replicas = replicas.clone();
            tokio::spawn(async move {
                post_order(replicas[i % 2].addr, &order_body(&[("HONEY-WF-500", 3)]), "double-tap").await.unwrap()
            })
        })
        .collect();
    let mut numbers = HashSet::new();
    for task in tasks {
        let reply = task.await.unwrap();
        assert_eq!(reply.status, 201, "{}", reply.body);
        numbers.insert(reply.json()["order_no"].as_str().unwrap().to_owned());
    }
    assert_eq!(numbers.len(), 1, "every retry got the same order");
    assert_eq!(order_count(&db).await, 1);
    assert_eq!(stock(&db, "HONEY-WF-500").await, 117);
}
