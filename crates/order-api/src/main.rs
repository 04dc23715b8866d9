use axum::serve::ListenerExt;
use order_api::auth::load_or_create_token;
use order_api::config::Config;
use order_api::{app, backup, db, payments, seed, service, AppState};
use std::net::SocketAddr;
use std::os::unix::fs::DirBuilderExt;
use std::time::Duration;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;

const USAGE: &str = "usage: order-api [serve | reseed [FILE] | backup [FILE] | restore FILE]
  serve          run the API and the storefront (default)
  reseed [FILE]  replace the catalogue with FILE, or the built-in seed/catalogue.json
                 (orders and hive adoptions are kept)
  backup [FILE]  copy the live SQLite database to FILE, or to a new file in BACKUP_DIR
                 keeping the newest BACKUP_KEEP there (the shop keeps running)
  restore FILE   put a backup in place of the SQLite database (the server must be stopped)";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::from_env();
    init_logs(&config)?;
    let command = std::env::args().nth(1);
    let file = std::env::args().nth(2).map(std::path::PathBuf::from);
    // backup and restore never open the database through the pool (no migrations).
    match (command.as_deref(), &file) {
        (Some("backup"), _) => {
            let retention = backup::Retention { dir: config.backup_dir.clone(), keep: config.backup_keep };
            let written = backup::backup(&config.database_url, file.as_deref(), &retention).await?;
            println!("backed up {} to {}", config.database_url, written.display());
            return Ok(());
        }
        (Some("restore"), Some(source)) => {
            let replaced = backup::restore(&config.database_url, source).await?;
            println!(
                "restored {} into {} (the one it replaced: {})",
                source.display(),
                config.database_url,
                replaced.display()
            );
            return Ok(());
        }
        (None | Some("serve" | "reseed"), _) => {}
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    }
    let db = db::connect(&config.database_url).await?;
    if command.as_deref() == Some("reseed") {
        let catalogue = match file {
            Some(file) => seed::parse(&std::fs::read_to_string(&file)?)?,
            None => seed::catalogue(),
        };
        db::seed(&db, &catalogue).await?;
        println!("catalogue re-seeded in {}", config.database_url);
        return Ok(());
    }
    serve(config, db).await
}

async fn serve(config: Config, db: db::Db) -> Result<(), Box<dyn std::error::Error>> {
    // Held until the process exits: `restore` refuses while it is.
    let _running = backup::hold_server_lock(&config.database_url)?;
    let token = load_or_create_token(config.admin_token.clone(), &config.admin_token_file)?;
    let listener = tokio::net::TcpListener::bind(&config.bind).await?;
    let addr = listener.local_addr()?;
    let payments = payments::wechat::setup::payments_from_config(&config, addr)?;
    let mut state = AppState::new(db, config, token);
    if let Some(payments) = payments {
        state = state.with_payments(payments);
    }
    tokio::spawn(sweep_payments(state.clone()));
    if let Some(bind) = &state.config.metrics_bind {
        let metrics = tokio::net::TcpListener::bind(bind).await?;
        println!("metrics at http://{}/metrics", metrics.local_addr()?);
        let router = order_api::metrics::router(state.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(metrics, router).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
    }
    // Without TCP_NODELAY, a file body sent in two writes waits ~40 ms for
    // the client's delayed ACK (Nagle): measured by perf/load.sh.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
    });
    println!("西青区扶贫网店 is open at http://{addr}/");
    if let Some(file) = &state.config.addr_file {
        write_addr_file(file, addr)?;
    }
    let (readiness, drain) = (state.readiness.clone(), state.config.shutdown_drain);
    axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move { service::stop_requested(&readiness, drain).await })
        .await?;
    Ok(())
}

/// The log: to standard output, or to daily files in `LOG_DIR` (a
/// directory only the shop's user reads: lines hold addresses), the oldest
/// beyond `LOG_KEEP_DAYS` deleted; `LOG_FORMAT=json` for a log collector.
fn init_logs(config: &Config) -> Result<(), Box<dyn std::error::Error>> {
    let logs =
        tracing_subscriber::fmt().with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()));
    let json = std::env::var("LOG_FORMAT").is_ok_and(|f| f == "json");
    match &config.log_dir {
        Some(dir) => {
            std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
            let files = RollingFileAppender::builder()
                .rotation(Rotation::DAILY)
                .filename_prefix("order-api")
                .filename_suffix("log")
                .max_log_files(config.log_keep_days.max(1))
                .build(dir)?;
            let logs = logs.with_writer(files).with_ansi(false);
            if json {
                logs.json().init()
            } else {
                logs.init()
            }
        }
        None if json => logs.json().init(),
        None => logs.init(),
    }
    Ok(())
}

/// Writes `addr` to `file` whole or not at all (a reader polling for the
/// file never sees half an address).
fn write_addr_file(file: &std::path::Path, addr: SocketAddr) -> std::io::Result<()> {
    let partial = file.with_extension("partial");
    std::fs::write(&partial, format!("{addr}\n"))?;
    std::fs::rename(partial, file)
}

/// Every `PAYMENT_SWEEP_SECS`: cancel (and restock) orders left unpaid
/// past their deadline, closing their payment attempts first, and ask the
/// payment provider about what no notification settled. Safe on several
/// replicas at once: each change is a conditional update.
async fn sweep_payments(state: AppState) {
    let mut every = tokio::time::interval(Duration::from_secs(state.config.payment_sweep_secs.max(1)));
    loop {
        every.tick().await;
        let swept = payments::sweep(&state).await;
        state.metrics.sweep_ran(*swept.as_ref().unwrap_or(&0));
        match swept {
            Ok(0) => {}
            Ok(n) => tracing::info!(cancelled = n, "cancelled unpaid orders"),
            Err(e) => tracing::error!(error = ?e, "the payment sweep failed"),
        }
    }
}
