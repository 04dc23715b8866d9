//! Orders at the speed of the disk. SQLite has one writer at a time, and
//! with `synchronous = FULL` every commit waits for an fsync: one order per
//! transaction made checkouts queue behind each other's fsyncs, and
//! contended writers back off by sleeping. So on SQLite one task writes
//! every order: it takes the checkouts waiting when it is free, writes them
//! as one batch in one transaction (`placing.rs`: each order stays
//! all-or-nothing on its own, a refused one leaves nothing), commits them
//! with one fsync, and only then answers each of them. A `201` still means
//! the order is on disk.
//!
//! PostgreSQL takes concurrent writers well, and each replica would
//! serialise its orders through such a task for nothing: there every
//! checkout writes its own transaction.

use super::placing::{create_order, write_orders, KeyedOrder, NewOrder, Written};
use super::Db;
use crate::error::{ApiError, ApiResult};
use crate::metrics::Metrics;
use shop_core::error::ErrorCode;
use shop_core::order::OrderRequest;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The most checkouts one transaction takes: bounds how long the write
/// lock is held and how many wait for one commit.
const MAX_BATCH: usize = 128;

/// How the API writes orders to its database.
#[derive(Clone)]
pub enum OrderWriter {
    /// Each order in its own transaction (PostgreSQL).
    Direct,
    /// Through the one writing task (SQLite).
    Batched(mpsc::Sender<Checkout>),
}

/// A checkout waiting for the writing task.
pub struct Checkout {
    idempotency_key: String,
    request: OrderRequest,
    province_code: u32,
    pay_by: i64,
    answer: oneshot::Sender<ApiResult<Written>>,
}

impl OrderWriter {
    /// The writer for `db`, whose URL is `database_url`; on SQLite this
    /// starts the writing task (it ends when the last handle is dropped).
    pub fn for_database(db: &Db, database_url: &str, metrics: Arc<Metrics>) -> OrderWriter {
        if super::is_postgres(database_url) {
            return OrderWriter::Direct;
        }
        let (checkouts, waiting) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(write_batches(db.clone(), waiting, metrics));
        OrderWriter::Batched(checkouts)
    }

    /// Places an order exactly once per idempotency key (see `create_order`).
    pub async fn place(
        &self,
        db: &Db,
        idempotency_key: &str,
        request: OrderRequest,
        province_code: u32,
        pay_by: i64,
    ) -> ApiResult<KeyedOrder> {
        let OrderWriter::Batched(checkouts) = self else {
            return create_order(db, idempotency_key, &request, province_code, pay_by).await;
        };
        let (answer, answered) = oneshot::channel();
        let checkout = Checkout { idempotency_key: idempotency_key.to_owned(), request, province_code, pay_by, answer };
        let stopped = || ApiError::Internal("the order writer has stopped".into());
        checkouts.send(checkout).await.map_err(|_| stopped())?;
        answered.await.map_err(|_| stopped())??.read(db).await
    }
}

/// The writing task: one transaction per batch of the checkouts waiting.
async fn write_batches(db: Db, mut waiting: mpsc::Receiver<Checkout>, metrics: Arc<Metrics>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while waiting.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let written = write_batch(&db, &batch).await;
        metrics.order_commit(batch.len());
        for (checkout, result) in batch.drain(..).zip(written) {
            // A checkout whose request gave up between its write and the
            // commit no longer listens; its order stands (as a `timeout`
            // answer warns), and a retry with its key finds it.
            let _ = checkout.answer.send(result);
        }
    }
}

/// Each checkout's result, all decided by the batch's commit: when it
/// fails, every order in it is refused with its error (none was written).
async fn write_batch(db: &Db, batch: &[Checkout]) -> Vec<ApiResult<Written>> {
    // A checkout whose request passed its deadline while it waited was
    // answered `503 timeout`: it is not placed behind its back.
    let waiting: Vec<bool> = batch.iter().map(|c| !c.answer.is_closed()).collect();
    let new_orders: Vec<NewOrder> = batch
        .iter()
        .zip(&waiting)
        .filter(|(_, waits)| **waits)
        .map(|(c, _)| NewOrder {
            idempotency_key: &c.idempotency_key,
            request: &c.request,
            province_code: c.province_code,
            pay_by: c.pay_by,
        })
        .collect();
    let committed = async {
        let mut tx = db.begin().await?;
        let written = write_orders(&mut tx, &new_orders).await?;
        tx.commit().await?;
        ApiResult::Ok(written)
    };
    match committed.await {
        Ok(written) => {
            let mut written = written.into_iter();
            let mut answer = |waits: &bool| match waits {
                true => written.next().expect("one result per order written"),
                false => Err(ErrorCode::Timeout.into()),
            };
            waiting.iter().map(&mut answer).collect()
        }
        Err(failure) => batch.iter().map(|_| Err(failure.clone())).collect(),
    }
}
