//! Every SQL statement the API runs lives in this module (one file per
//! area); handlers call these functions.

mod admin;
mod adoption;
mod catalogue;
pub mod clock;
mod lifecycle;
mod order_writer;
mod orders;
mod payments;
mod placing;

pub use admin::{admin_orders, admin_product, admin_products, patch_product, OrderFilter};
pub use adoption::{admin_adoptions, impact, record_delivery};
pub use catalogue::{categories, free_hives, listed_paths, producer, products, published_product, ProductQuery};
pub use lifecycle::{cancel_order, change_status};
pub use order_writer::OrderWriter;
pub use orders::{find_order, order_by_no, quote};
pub use payments::{
    attempt, attempts_to_ask, create_refund, expired_unpaid, mark_closed, new_attempt, open_attempts, openid_for,
    order_status, payable_order, payable_order_by_no, record_bank_transfer, record_paid, refund_to_send,
    refunds_to_chase, save_openid, set_instrument, set_refund_state, touch_attempt, touch_refund, Recorded,
};
pub use placing::{create_order, KeyedOrder};

use crate::seed::SeedCatalogue;
use shop_core::order::OrderStatus;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, ConnectOptions, Executor};
use std::str::FromStr;

/// A pool of SQLite or PostgreSQL connections, chosen by the URL's scheme.
/// The queries in this module are written once, in the SQL both share
/// (`$1` parameters, `ON CONFLICT`, `RETURNING`, booleans read as 0/1).
pub type Db = AnyPool;

/// The longest a request waits for a database connection: well inside the
/// request deadline, so a database that is away (restarting, paused) is
/// answered `503 unavailable` with `Retry-After` instead of a hung request.
/// A connection is checked before each use (sqlx's default), so the pool
/// reconnects by itself once the database is back.
const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// Opens the database (`postgres://…`, or `sqlite://…`, created if needed),
/// runs its migrations, and seeds the catalogue when it is empty.
pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let db = if is_postgres(url) {
        let db = AnyPoolOptions::new().max_connections(16).acquire_timeout(ACQUIRE_TIMEOUT).connect(url).await?;
        sqlx::migrate!("./migrations/postgres").run(&db).await?;
        db
    } else {
        let db = AnyPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            // A file does not drop connections: no ping before each use
            // (one round trip to the connection's thread per query).
            .test_before_acquire(false)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    // synchronous = FULL: an acknowledged order survives power
                    // loss, at the cost of an fsync of the WAL on every commit.
                    // busy_timeout: writers queue for the lock instead of failing.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
                         PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;",
                    )
                    .await?;
                    Ok(())
                })
            })
            .connect_with(sqlite_options(url)?)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&db).await?;
        db
    };
    let count_categories = || sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM categories").fetch_one(&db);
    if count_categories().await? == 0 {
        if let Err(e) = seed(&db, &crate::seed::catalogue()).await {
            // Replicas starting together: one seeds, the others' seeds fail
            // on its rows and find the catalogue there.
            if count_categories().await? == 0 {
                return Err(e);
            }
        }
    }
    Ok(db)
}

/// Whether `url` names PostgreSQL; any other URL is SQLite's.
pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres:") || url.starts_with("postgresql:")
}

/// A SQLite URL as options that create the file (and its directory) when missing.
fn sqlite_options(url: &str) -> Result<AnyConnectOptions, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(url)?.create_if_missing(true);
    if let Some(dir) = options.get_filename().parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| sqlx::Error::Configuration(e.into()))?;
        }
    }
    AnyConnectOptions::from_url(&options.to_url_lossy())
}

/// Replaces the whole catalogue with `catalogue` in one transaction.
pub async fn seed(db: &Db, catalogue: &SeedCatalogue) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM variants").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM products").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM categories").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM producers").execute(&mut *tx).await?;
    for r in &catalogue.producers {
        sqlx::query("INSERT INTO producers (slug, name, county, township, description) VALUES ($1, $2, $3, $4, $5)")
            .bind(&r.slug)
            .bind(&r.name)
            .bind(&r.county)
            .bind(&r.township)
            .bind(&r.description)
            .execute(&mut *tx)
            .await?;
    }
    for (position, c) in catalogue.categories.iter().enumerate() {
        sqlx::query("INSERT INTO categories (slug, name, blurb, position) VALUES ($1, $2, $3, $4)")
            .bind(&c.slug)
            .bind(&c.name)
            .bind(&c.blurb)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
    }
    for p in &catalogue.products {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO products (slug, name, subtitle, category_slug, origin_region, origin_county,
                 origin_township, producer_slug, description, story, net_weight, shelf_life, storage,
                 certifications, images, published, featured_rank, kind, adoption_plan)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
        )
        .bind(&p.slug)
        .bind(&p.name)
        .bind(&p.subtitle)
        .bind(&p.category)
        .bind(&p.origin.region)
        .bind(&p.origin.county)
        .bind(&p.origin.township)
        .bind(&p.producer)
        .bind(&p.description)
        .bind(&p.story)
        .bind(&p.net_weight)
        .bind(&p.shelf_life)
        .bind(&p.storage)
        .bind(to_json(&p.certifications))
        .bind(to_json(&p.images))
        .bind(p.published)
        .bind(p.featured_rank)
        .bind(p.kind.as_str())
        .bind(p.adoption.as_ref().map(|a| to_json(&a.plan)))
        .fetch_one(&mut *tx)
        .await?;
        // Hives are kept across re-seeds: adoptions refer to them.
        if let (Some(adoption), Some(variant)) = (&p.adoption, p.variants.first()) {
            for no in 1..=adoption.hives {
                sqlx::query("INSERT INTO hives (sku, no) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(&variant.sku)
                    .bind(no)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "UPDATE variants SET stock = (SELECT COUNT(*) FROM hives h WHERE h.sku = variants.sku AND NOT EXISTS
                     (SELECT 1 FROM adoptions a WHERE a.sku = h.sku AND a.hive_no = h.no AND NOT a.released))
                 WHERE sku = $1",
            )
            .bind(&variant.sku)
            .execute(&mut *tx)
            .await?;
        }
        for (position, v) in p.variants.iter().enumerate() {
            sqlx::query("INSERT INTO variants (sku, product_id, label, price_fen, stock, position) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(&v.sku)
                .bind(id)
                .bind(&v.label)
                .bind(v.price_fen)
                .bind(v.stock)
                .bind(position as i64)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await
}

/// The statuses whose money reached the shop
/// (`OrderStatus::is_paid`), as an SQL list.
fn paid_statuses() -> &'static str {
    static LIST: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let words: Vec<String> =
            OrderStatus::ALL.iter().filter(|s| s.is_paid()).map(|s| ["'", s.as_str(), "'"].concat()).collect();
        ["(", &words.join(", "), ")"].concat()
    });
    &LIST
}

/// A column holding one of shop-core's words (a status, a kind), read
/// through the word's own `TryFrom<String>`: a word this build does not
/// know fails the row with an error that names it.
pub(crate) struct Word<T>(pub T);

impl<T> sqlx::Type<sqlx::Any> for Word<T> {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <String as sqlx::Type<sqlx::Any>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <String as sqlx::Type<sqlx::Any>>::compatible(ty)
    }
}

impl<'r, T: TryFrom<String, Error = shop_core::UnknownName>> sqlx::Decode<'r, sqlx::Any> for Word<T> {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let word = <String as sqlx::Decode<sqlx::Any>>::decode(value)?;
        Ok(Word(T::try_from(word)?))
    }
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serializes")
}

/// How a statement built for many rows writes its parameters. PostgreSQL
/// needs them numbered (`$1`). SQLite takes numbered ones too, but looks
/// each name up among all the others, when it prepares and again when it
/// binds: quadratic in their number, milliseconds for a batch of orders.
/// Its plain `?` are bound in turn, at no cost.
#[derive(Clone, Copy)]
pub(super) enum Placeholders {
    Numbered,
    InTurn,
}

impl Placeholders {
    /// The kind `conn` binds best.
    pub(super) fn of(conn: &sqlx::AnyConnection) -> Placeholders {
        match conn.backend_name() {
            "PostgreSQL" => Placeholders::Numbered,
            _ => Placeholders::InTurn,
        }
    }

    /// `n` parameters, from the `from`th: `$3, $4` or `?, ?`.
    pub(super) fn list(self, from: usize, n: usize) -> String {
        let mark = |i| match self {
            Placeholders::Numbered => format!("${i}"),
            Placeholders::InTurn => "?".to_owned(),
        };
        (from..from + n).map(mark).collect::<Vec<_>>().join(", ")
    }

    /// `rows` rows of `columns` parameters each: `($1, $2), ($3, $4)`.
    pub(super) fn rows(self, rows: usize, columns: usize) -> String {
        (0..rows).map(|row| format!("({})", self.list(row * columns + 1, columns))).collect::<Vec<_>>().join(", ")
    }
}

/// Columns stored as JSON text were written by [`to_json`]; a hand-edited row
/// that no longer parses shows as empty rather than failing the whole page.
pub(crate) fn from_json<T: serde::de::DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn multi_row_parameters_are_numbered_across_rows() {
        use super::Placeholders::{InTurn, Numbered};
        assert_eq!(Numbered.rows(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(Numbered.list(4, 2), "$4, $5");
        assert_eq!(InTurn.rows(2, 2), "(?, ?), (?, ?)");
    }
}
