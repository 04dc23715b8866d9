//! Placing orders: a batch of checkouts written in one transaction with a
//! handful of statements, whatever its size.
//!
//! On SQLite the order writer (`order_writer.rs`) hands over every checkout
//! waiting; on PostgreSQL each checkout is a batch of one. The first
//! statement claims the keys, a write: on SQLite the transaction holds the
//! write lock from there to its commit, so the stock and hives read next
//! are the latest and nothing else changes them. Every order is then
//! decided in memory, in turn, against what the orders before it took, and
//! only the orders accepted are written. A refused order leaves nothing
//! behind, not even its key, so its retry starts afresh.
//!
//! The writes keep their guards (stock never below zero, a hive given once)
//! for PostgreSQL, whose replicas write at once: there a guard that trips
//! refuses the transaction, which is its one order.

use super::adoption::adoptions_of;
use super::orders::{order_by_no, priced_variants, Priced};
use super::{clock, to_json, Db, Placeholders};
use crate::error::{ApiError, ApiResult};
use shop_core::catalogue::ProductKind;
use shop_core::error::ErrorCode;
use shop_core::field;
use shop_core::order::{totals, Address, Contact, Order, OrderItem, OrderLine, OrderRequest, OrderStatus};
use shop_core::validate::{FieldError, FieldErrors};
use sqlx::{Any, Transaction};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The order an idempotency key stands for.
pub struct KeyedOrder {
    pub order: Order,
    /// Placed by this call; false when the key had placed it before (a retry).
    pub placed_now: bool,
}

/// A checkout to write: its address has been resolved against the region
/// data (`province_code` is its province's).
pub(super) struct NewOrder<'a> {
    pub idempotency_key: &'a str,
    pub request: &'a OrderRequest,
    pub province_code: u32,
    pub pay_by: i64,
}

/// What writing an order came to, before its transaction commits.
pub(super) enum Written {
    /// Placed now: the order as written, so the answer needs no second read
    /// of it (a test holds it equal to the order as read back).
    Placed { order: Box<Order>, order_id: i64, adopted: bool },
    /// The key had placed this order before (a retry).
    Found { order_no: String },
}

impl Written {
    /// The order as committed.
    pub(super) async fn read(self, db: &Db) -> ApiResult<KeyedOrder> {
        match self {
            Written::Placed { mut order, order_id, adopted } => {
                // Only an order that adopted hives reads them back.
                if adopted {
                    order.adoptions = adoptions_of(db, order_id).await?;
                }
                Ok(KeyedOrder { order: *order, placed_now: true })
            }
            Written::Found { order_no } => {
                let order = order_by_no(db, &order_no).await?;
                let order =
                    order.ok_or_else(|| ApiError::Internal(format!("order {order_no} is missing after its commit")))?;
                Ok(KeyedOrder { order, placed_now: false })
            }
        }
    }
}

/// Places an order exactly once per idempotency key, in a transaction of
/// its own (PostgreSQL; SQLite's orders go through `OrderWriter`).
pub async fn create_order(
    db: &Db,
    idempotency_key: &str,
    request: &OrderRequest,
    province_code: u32,
    pay_by: i64,
) -> ApiResult<KeyedOrder> {
    let mut tx = db.begin().await?;
    let checkout = NewOrder { idempotency_key, request, province_code, pay_by };
    let written = write_orders(&mut tx, &[checkout]).await?.remove(0)?;
    tx.commit().await?;
    written.read(db).await
}

/// Each checkout's result, in order. `Err` fails the whole batch: the
/// transaction must then be rolled back.
pub(super) async fn write_orders(
    tx: &mut Transaction<'_, Any>,
    checkouts: &[NewOrder<'_>],
) -> ApiResult<Vec<ApiResult<Written>>> {
    if checkouts.is_empty() {
        return Ok(Vec::new());
    }
    let bodies: Vec<String> = checkouts.iter().map(|c| to_json(c.request)).collect();
    let order_nos: Vec<String> = checkouts.iter().map(|_| new_order_no()).collect();
    let claimed = claim_keys(tx, checkouts, &bodies, &order_nos).await?;
    let earlier_claims = earlier_claims(tx, checkouts, &claimed).await?;

    let new: Vec<&NewOrder> = checkouts.iter().filter(|c| claimed.contains(c.idempotency_key)).collect();
    let skus: Vec<&str> = new.iter().flat_map(|c| &c.request.items).map(|i| i.sku.as_str()).collect();
    let priced = priced_variants(tx, &skus).await?;
    let mut shelf = Shelf::new(tx, &priced, &new).await?;

    // Decide every checkout in turn. A key claimed now is its first
    // checkout's: a repeat of it in the batch gets what that one got.
    let mut results: Vec<ApiResult<Decision>> = Vec::with_capacity(checkouts.len());
    let mut claimed_by: HashMap<&str, usize> = HashMap::new();
    let mut refused: Vec<&str> = Vec::new();
    for (i, checkout) in checkouts.iter().enumerate() {
        let key = checkout.idempotency_key;
        let result = if let Some(&first) = claimed_by.get(key) {
            match &results[first] {
                _ if bodies[first] != bodies[i] => Err(ErrorCode::IdempotencyMismatch.into()),
                Ok(decision) => Ok(Decision::Found(decision.order_no().to_owned())),
                Err(e) => Err(e.clone()),
            }
        } else if let Some((body, order_no)) = earlier_claims.get(key) {
            if *body == bodies[i] {
                Ok(Decision::Found(order_no.clone()))
            } else {
                Err(ErrorCode::IdempotencyMismatch.into())
            }
        } else if claimed.contains(key) {
            claimed_by.insert(key, i);
            let decided = shelf.decide(checkout, order_nos[i].clone()).map(Decision::Place);
            if decided.is_err() {
                refused.push(key);
            }
            decided
        } else {
            return Err(ApiError::Internal(format!("idempotency key {key:?} neither claimed nor found")));
        };
        results.push(result);
    }

    release_keys(tx, &refused).await?;
    shelf.take_stock(tx).await?;
    let placed: Vec<&Accepted> = results
        .iter()
        .filter_map(|r| match r {
            Ok(Decision::Place(accepted)) => Some(accepted),
            _ => None,
        })
        .collect();
    let order_ids = insert_orders(tx, &placed).await?;

    Ok(results
        .into_iter()
        .map(|result| {
            result.map(|decision| match decision {
                Decision::Found(order_no) => Written::Found { order_no },
                Decision::Place(Accepted { mut order, hives, .. }) => {
                    let (order_id, created_at) = order_ids[&order.order_no].clone();
                    order.created_at = created_at;
                    Written::Placed { order, order_id, adopted: !hives.is_empty() }
                }
            })
        })
        .collect())
}

/// What the batch does with one checkout.
enum Decision {
    /// Write this new order.
    Place(Accepted),
    /// Answer with the order its key placed before.
    Found(String),
}

impl Decision {
    fn order_no(&self) -> &str {
        match self {
            Decision::Place(accepted) => &accepted.order.order_no,
            Decision::Found(order_no) => order_no,
        }
    }
}

/// An order the batch writes: the order as it is stored (and answered;
/// its `created_at` comes from the database), with what its rows also hold.
struct Accepted {
    order: Box<Order>,
    /// Each line's county, for the impact figures.
    counties: Vec<String>,
    /// The hives it adopts: (line position, hive number, name).
    hives: Vec<(usize, i64, String)>,
}

/// Claims every key not yet used (the first occurrence of each in the
/// batch); the keys claimed now.
async fn claim_keys(
    tx: &mut Transaction<'_, Any>,
    checkouts: &[NewOrder<'_>],
    bodies: &[String],
    order_nos: &[String],
) -> ApiResult<HashSet<String>> {
    let mut seen = HashSet::new();
    let firsts: Vec<usize> = (0..checkouts.len()).filter(|&i| seen.insert(checkouts[i].idempotency_key)).collect();
    let sql = format!(
        "INSERT INTO idempotency_keys (key, request_body, order_no) VALUES {}
         ON CONFLICT (key) DO NOTHING RETURNING key",
        Placeholders::of(tx).rows(firsts.len(), 3)
    );
    let mut insert = sqlx::query_scalar(&sql).persistent(false);
    for &i in &firsts {
        insert = insert.bind(checkouts[i].idempotency_key).bind(&bodies[i]).bind(&order_nos[i]);
    }
    Ok(insert.fetch_all(&mut **tx).await?.into_iter().collect())
}

/// The request body and order of each key of the batch that an earlier
/// transaction claimed.
async fn earlier_claims(
    tx: &mut Transaction<'_, Any>,
    checkouts: &[NewOrder<'_>],
    claimed: &HashSet<String>,
) -> ApiResult<HashMap<String, (String, String)>> {
    let keys: HashSet<&str> =
        checkouts.iter().map(|c| c.idempotency_key).filter(|key| !claimed.contains(*key)).collect();
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT key, request_body, order_no FROM idempotency_keys WHERE key IN ({})",
        Placeholders::of(tx).list(1, keys.len())
    );
    let mut select = sqlx::query_as::<_, (String, String, String)>(&sql).persistent(false);
    for key in keys {
        select = select.bind(key);
    }
    let rows = select.fetch_all(&mut **tx).await?;
    Ok(rows.into_iter().map(|(key, body, order_no)| (key, (body, order_no))).collect())
}

/// Gives refused checkouts' keys back.
async fn release_keys(tx: &mut Transaction<'_, Any>, keys: &[&str]) -> ApiResult<()> {
    if keys.is_empty() {
        return Ok(());
    }
    let sql = format!("DELETE FROM idempotency_keys WHERE key IN ({})", Placeholders::of(tx).list(1, keys.len()));
    let mut delete = sqlx::query(&sql).persistent(false);
    for key in keys {
        delete = delete.bind(*key);
    }
    delete.execute(&mut **tx).await?;
    Ok(())
}

/// What the batch may sell: prices and stock as read at its start, the
/// free hives, and what the orders accepted so far take from them.
struct Shelf<'p> {
    priced: &'p HashMap<String, Priced>,
    /// Stock left per SKU after the orders accepted so far.
    left: HashMap<String, i64>,
    /// Per SKU, the units the accepted orders take.
    taken: BTreeMap<String, i64>,
    /// Per adoption SKU, each hive's number and whether it is free.
    hives: HashMap<String, BTreeMap<i64, bool>>,
}

impl<'p> Shelf<'p> {
    async fn new(
        tx: &mut Transaction<'_, Any>,
        priced: &'p HashMap<String, Priced>,
        new: &[&NewOrder<'_>],
    ) -> ApiResult<Shelf<'p>> {
        let left = priced.iter().map(|(sku, p)| (sku.clone(), p.stock)).collect();
        let mut hives = HashMap::new();
        for checkout in new {
            for item in checkout.request.items.iter().filter(|i| i.adoption.is_some()) {
                if hives.contains_key(&item.sku) {
                    continue;
                }
                let rows: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT h.no, CASE WHEN EXISTS (SELECT 1 FROM adoptions a
                         WHERE a.sku = h.sku AND a.hive_no = h.no AND NOT a.released) THEN 0 ELSE 1 END
                     FROM hives h WHERE h.sku = $1",
                )
                .bind(&item.sku)
                .fetch_all(&mut **tx)
                .await?;
                hives.insert(item.sku.clone(), rows.into_iter().map(|(no, free)| (no, free == 1)).collect());
            }
        }
        Ok(Shelf { priced, left, taken: BTreeMap::new(), hives })
    }

    /// Accepts `checkout` as order `order_no` if it can be sold as asked,
    /// taking its stock and hives; otherwise says why, taking nothing.
    fn decide(&mut self, checkout: &NewOrder, order_no: String) -> ApiResult<Accepted> {
        let request = checkout.request;
        let mut lines: Vec<(&Priced, OrderLine)> = Vec::with_capacity(request.items.len());
        let mut errors = FieldErrors::new();
        for (i, item) in request.items.iter().enumerate() {
            let Some(p) = self.priced.get(&item.sku) else {
                errors.insert(field::item(i, field::SKU), FieldError::UnknownSku);
                continue;
            };
            match (p.kind.0, &item.adoption) {
                (ProductKind::Adoption, None) => {
                    errors.insert(field::item(i, field::HIVE_NAME), FieldError::Required);
                }
                (ProductKind::Goods, Some(_)) => {
                    errors.insert(field::item(i, field::ADOPTION), FieldError::Invalid);
                }
                _ => {}
            }
            lines.push((p, p.line(item.quantity)));
        }
        ApiError::unless_valid(errors)?;

        let (subtotal_fen, shipping_fen, total_fen) =
            totals(lines.iter().map(|(_, l)| (l.unit_price_fen, l.quantity)), Some(checkout.province_code));
        if request.expected_total_fen.is_some_and(|expected| expected != total_fen) {
            return Err(ErrorCode::PriceChanged { total_fen }.into());
        }
        // The first short SKU in SKU order, the order stock is taken in.
        let mut by_sku: Vec<&OrderLine> = lines.iter().map(|(_, l)| l).collect();
        by_sku.sort_by(|a, b| a.sku.cmp(&b.sku));
        for line in by_sku {
            let available = self.left[&line.sku];
            if available < line.quantity {
                return Err(ErrorCode::OutOfStock { sku: line.sku.clone(), available }.into());
            }
        }
        let hives = self.choose_hives(&request.items)?;

        for (_, line) in &lines {
            *self.left.get_mut(&line.sku).expect("priced") -= line.quantity;
            *self.taken.entry(line.sku.clone()).or_default() += line.quantity;
        }
        for (position, hive_no, _) in &hives {
            self.hives.get_mut(&request.items[*position].sku).expect("loaded").insert(*hive_no, false);
        }
        let address = &request.address;
        let order = Box::new(Order {
            order_no,
            status: OrderStatus::PendingPayment,
            lines: lines.iter().map(|(_, l)| l.clone()).collect(),
            subtotal_fen,
            shipping_fen,
            total_fen,
            contact: Contact { name: trimmed(&request.contact.name), phone: trimmed(&request.contact.phone) },
            address: Address {
                province: address.province.clone(),
                city: address.city.clone(),
                district: trimmed(&address.district),
                district_code: address.district_code.clone(),
                district_unlisted: address.district_unlisted,
                detail: trimmed(&address.detail),
                postal_code: nonempty(address.postal_code.as_deref()),
            },
            note: nonempty(request.note.as_deref()),
            invoice: request.invoice.clone(),
            created_at: String::new(),
            tracking_no: None,
            cancel_reason: None,
            adoptions: Vec::new(),
            pay_by: Some(clock::utc_text(checkout.pay_by)),
            payments: Vec::new(),
            refunds: Vec::new(),
        });
        Ok(Accepted { order, counties: lines.iter().map(|(p, _)| p.county.clone()).collect(), hives })
    }

    /// The hive each adoption line gets: the one chosen if it is free,
    /// else the lowest free one.
    fn choose_hives(&self, items: &[OrderItem]) -> ApiResult<Vec<(usize, i64, String)>> {
        let mut chosen: Vec<(usize, i64, String)> = Vec::new();
        for (position, item) in items.iter().enumerate() {
            let Some(choice) = &item.adoption else { continue };
            let sku = &item.sku;
            let hives = &self.hives[sku];
            let free = |no: &i64| hives.get(no) == Some(&true) && !chosen.iter().any(|(_, c, _)| c == no);
            let hive_no = match choice.hive_no {
                Some(no) if free(&no) => no,
                Some(no) if hives.contains_key(&no) => return Err(ErrorCode::HiveTaken { hive_no: no }.into()),
                Some(_) => return Err(ApiError::field(&field::item(position, field::HIVE_NO), FieldError::Invalid)),
                None => {
                    *hives.keys().find(|no| free(no)).ok_or(ErrorCode::OutOfStock { sku: sku.clone(), available: 0 })?
                }
            };
            chosen.push((position, hive_no, choice.hive_name.trim().to_owned()));
        }
        Ok(chosen)
    }

    /// Takes the accepted orders' stock, SKU by SKU in SKU order, so
    /// concurrent transactions lock rows in the same order and never
    /// deadlock (PostgreSQL). The condition and the write are one
    /// statement: no interleaving takes stock below zero.
    async fn take_stock(&self, tx: &mut Transaction<'_, Any>) -> ApiResult<()> {
        for (sku, units) in &self.taken {
            let taken = sqlx::query("UPDATE variants SET stock = stock - $1 WHERE sku = $2 AND stock >= $1")
                .bind(units)
                .bind(sku)
                .execute(&mut **tx)
                .await?
                .rows_affected();
            if taken != 1 {
                let available: i64 = sqlx::query_scalar("SELECT stock FROM variants WHERE sku = $1")
                    .bind(sku)
                    .fetch_one(&mut **tx)
                    .await?;
                return Err(ErrorCode::OutOfStock { sku: sku.clone(), available }.into());
            }
        }
        Ok(())
    }
}

/// Writes the accepted orders, their lines and their hives; each order's
/// id and creation time, by order number.
async fn insert_orders(
    tx: &mut Transaction<'_, Any>,
    accepted: &[&Accepted],
) -> ApiResult<HashMap<String, (i64, String)>> {
    let mut ids = HashMap::with_capacity(accepted.len());
    for chunk in accepted.chunks(ROWS_PER_INSERT / 4) {
        let sql = format!(
            "INSERT INTO orders (order_no, contact_name, contact_phone, province, city, district, district_code,
                 district_unlisted, detail, postal_code, note, invoice, subtotal_fen, shipping_fen, total_fen, pay_by)
             VALUES {} RETURNING order_no, id, created_at",
            Placeholders::of(tx).rows(chunk.len(), 16)
        );
        let mut insert = sqlx::query_as::<_, (String, i64, String)>(&sql).persistent(false);
        for Accepted { order, .. } in chunk {
            let Address { province, city, district, district_code, district_unlisted, detail, postal_code } =
                &order.address;
            insert = insert
                .bind(&order.order_no)
                .bind(&order.contact.name)
                .bind(&order.contact.phone)
                .bind(province)
                .bind(city)
                .bind(district)
                .bind(district_code)
                .bind(*district_unlisted)
                .bind(detail)
                .bind(postal_code)
                .bind(&order.note)
                .bind(order.invoice.as_ref().map(to_json))
                .bind(order.subtotal_fen)
                .bind(order.shipping_fen)
                .bind(order.total_fen)
                .bind(&order.pay_by);
        }
        for (order_no, id, created_at) in insert.fetch_all(&mut **tx).await? {
            ids.insert(order_no, (id, created_at));
        }
    }

    let lines: Vec<(i64, usize, &OrderLine, &str)> = accepted
        .iter()
        .flat_map(|a| {
            let id = ids[&a.order.order_no].0;
            a.order
                .lines
                .iter()
                .zip(&a.counties)
                .enumerate()
                .map(move |(position, (line, county))| (id, position, line, county.as_str()))
        })
        .collect();
    for chunk in lines.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO order_lines (order_id, position, sku, name, label, unit_price_fen, quantity, line_total_fen, county)
             VALUES {}",
            Placeholders::of(tx).rows(chunk.len(), 9)
        );
        let mut insert = sqlx::query(&sql).persistent(false);
        for (order_id, position, line, county) in chunk {
            insert = insert
                .bind(*order_id)
                .bind(*position as i64)
                .bind(&line.sku)
                .bind(&line.name)
                .bind(&line.label)
                .bind(line.unit_price_fen)
                .bind(line.quantity)
                .bind(line.line_total_fen)
                .bind(*county);
        }
        insert.execute(&mut **tx).await?;
    }

    for Accepted { order, hives, .. } in accepted {
        for (position, hive_no, hive_name) in hives {
            let inserted = sqlx::query(
                "INSERT INTO adoptions (order_id, sku, hive_no, hive_name, adopter) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(ids[&order.order_no].0)
            .bind(&order.lines[*position].sku)
            .bind(hive_no)
            .bind(hive_name)
            .bind(&order.contact.name)
            .execute(&mut **tx)
            .await;
            // The partial unique index on live adoptions: a hive another
            // replica gave out meanwhile (PostgreSQL).
            match inserted {
                Ok(_) => {}
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    return Err(ErrorCode::HiveTaken { hive_no: *hive_no }.into())
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(ids)
}

/// Rows per multi-row insert: well inside both databases' limit on
/// parameters (SQLite 32,766; PostgreSQL 65,535).
const ROWS_PER_INSERT: usize = 1000;

fn trimmed(s: &str) -> String {
    s.trim().to_owned()
}

/// Trimmed, and `None` when nothing is left.
fn nonempty(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// `XQ` and ten characters from an alphabet without look-alikes (no 0/O,
/// 1/I/L): about 49 random bits, so numbers cannot be guessed or walked,
/// yet short enough to read out over the phone.
fn new_order_no() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut no = String::from("XQ");
    while no.len() < 12 {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).expect("the OS random source works");
        // Rejection sampling keeps every character equally likely.
        for b in bytes.into_iter().filter(|&b| usize::from(b) < ALPHABET.len() * 8) {
            if no.len() < 12 {
                no.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
            }
        }
    }
    no
}

#[cfg(test)]
mod tests {
    use super::new_order_no;

    #[test]
    fn order_numbers_are_short_unambiguous_and_distinct() {
        let numbers: std::collections::HashSet<String> = (0..1000).map(|_| new_order_no()).collect();
        assert_eq!(numbers.len(), 1000);
        for no in &numbers {
            assert_eq!(no.len(), 12);
            assert!(no.starts_with("XQ"));
            assert!(!no[2..].contains(['0', 'O', '1', 'I', 'L']), "{no}");
        }
    }
}
