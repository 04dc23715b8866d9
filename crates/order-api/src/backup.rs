//! Backups of the SQLite database that restore: `order-api backup [FILE]`
//! copies the live database while the shop keeps taking orders (SQLite's
//! `VACUUM INTO` reads one consistent snapshot), and `order-api restore
//! FILE` puts a copy back, refusing while a server runs on the database.
//! Backups hold shoppers' names, phones and addresses: they are written
//! with mode 0600. PostgreSQL has its own tools (`pg_dump`, WAL archiving:
//! see the README), which this module does not reinvent.

use crate::db::clock;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Where `backup` without a FILE writes, and how many of its files it keeps.
pub struct Retention {
    /// `BACKUP_DIR`
    pub dir: PathBuf,
    /// `BACKUP_KEEP`: the newest this many `shop-*.db` files stay, older go.
    pub keep: usize,
}

/// The database file a `sqlite://` URL names; anything else is refused.
pub fn sqlite_file(database_url: &str) -> Result<PathBuf> {
    if crate::db::is_postgres(database_url) {
        return Err(
            "backup and restore are for SQLite; for PostgreSQL use pg_dump and pg_restore (see the README)".into()
        );
    }
    let file = SqliteConnectOptions::from_str(database_url)?.get_filename().to_owned();
    if file.as_os_str().is_empty() || file.as_os_str() == ":memory:" {
        return Err(format!("{database_url} names no database file").into());
    }
    Ok(file)
}

/// The file every server on `database` holds a shared lock on, and
/// `restore` an exclusive one: a restore and a server never overlap.
fn lock_file(database: &Path) -> Result<File> {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    Ok(OpenOptions::new().create(true).truncate(false).write(true).mode(0o600).open(name)?)
}

/// Taken by `serve` for as long as it runs on a SQLite database (replicas
/// of one file, and a restarted server beside a dying one, share it).
pub fn hold_server_lock(database_url: &str) -> Result<Option<File>> {
    let Ok(database) = sqlite_file(database_url) else { return Ok(None) };
    let lock = lock_file(&database)?;
    lock.try_lock_shared().map_err(|_| format!("a restore is running on {}", database.display()))?;
    Ok(Some(lock))
}

/// Copies the live database at `database_url` to `target`, or, without
/// one, to a new timestamped file in `retention.dir`, deleting the oldest
/// there beyond `retention.keep`. The copy is checked (`PRAGMA
/// integrity_check`) before it takes its name. Returns its path.
pub async fn backup(database_url: &str, target: Option<&Path>, retention: &Retention) -> Result<PathBuf> {
    let database = sqlite_file(database_url)?;
    if !database.exists() {
        return Err(format!("{} does not exist", database.display()).into());
    }
    let target = match target {
        Some(file) => file.to_owned(),
        None => {
            std::fs::create_dir_all(&retention.dir)?;
            retention.dir.join(format!("shop-{}.db", clock::utc_text(clock::now()).replace(':', "-")))
        }
    };
    if target.exists() {
        return Err(format!("{} exists already", target.display()).into());
    }
    let partial = with_suffix(&target, ".partial");
    // VACUUM INTO fills an empty file: made here, so it is 0600 from the start.
    OpenOptions::new().write(true).create_new(true).mode(0o600).open(&partial)?;
    let copied = async {
        let mut live = SqliteConnectOptions::new().filename(&database).connect().await?;
        sqlx::query("VACUUM INTO $1").bind(partial.to_string_lossy()).execute(&mut live).await?;
        live.close().await?;
        check(&partial).await
    };
    if let Err(e) = copied.await {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, &target)?;
    sync_dir(&target)?;
    if target.parent() == Some(retention.dir.as_path()) {
        prune(retention)?;
    }
    Ok(target)
}

/// Puts the backup `source` in place of the database at `database_url`,
/// keeping the database it replaces beside it (`….replaced-<time>`).
/// Refused while a server runs on it, and for a file that is not a sound
/// shop database.
pub async fn restore(database_url: &str, source: &Path) -> Result<PathBuf> {
    let database = sqlite_file(database_url)?;
    check(source).await?;
    let lock = lock_file(&database)?;
    lock.try_lock().map_err(|_| format!("a server is running on {}: stop it first", database.display()))?;
    let partial = with_suffix(&database, ".restoring");
    let _ = std::fs::remove_file(&partial);
    {
        let mut copy = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&partial)?;
        std::io::copy(&mut File::open(source)?, &mut copy)?;
        copy.sync_all()?;
    }
    let mut replaced = None;
    if database.exists() {
        // Fold the old database's write-ahead log into it first, so the
        // file kept aside is whole and no stale -wal is left for the new one.
        let mut old = SqliteConnectOptions::new().filename(&database).connect().await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut old).await?;
        old.close().await?;
        let aside = with_suffix(&database, &format!(".replaced-{}", clock::utc_text(clock::now()).replace(':', "-")));
        std::fs::rename(&database, &aside)?;
        replaced = Some(aside);
    }
    for stale in ["-wal", "-shm"] {
        match std::fs::remove_file(with_suffix(&database, stale)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    std::fs::rename(&partial, &database)?;
    sync_dir(&database)?;
    drop(lock);
    Ok(replaced.unwrap_or(database))
}

/// `file` opens as SQLite, passes `PRAGMA integrity_check`, and holds the
/// shop's tables.
async fn check(file: &Path) -> Result<()> {
    let mut db = SqliteConnectOptions::new().filename(file).read_only(true).connect().await?;
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut db).await?;
    if verdict != "ok" {
        return Err(format!("{} fails its integrity check: {verdict}", file.display()).into());
    }
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('orders', 'variants')",
    )
    .fetch_one(&mut db)
    .await?;
    db.close().await?;
    if tables != 2 {
        return Err(format!("{} is not a shop database", file.display()).into());
    }
    Ok(())
}

/// Deletes the oldest `shop-*.db` in `retention.dir` beyond `retention.keep`
/// (their names sort by time).
fn prune(retention: &Retention) -> Result<()> {
    let mut backups: Vec<PathBuf> = std::fs::read_dir(&retention.dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("shop-") && name.ends_with(".db")
        })
        .collect();
    backups.sort();
    let excess = backups.len().saturating_sub(retention.keep.max(1));
    for old in &backups[..excess] {
        std::fs::remove_file(old)?;
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// Makes a rename in `file`'s directory durable.
fn sync_dir(file: &Path) -> Result<()> {
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    File::open(dir)?.sync_all()?;
    Ok(())
}
