//! The real `order-api` binary as separate processes, spoken to over real
//! HTTP: for what only processes show (replicas sharing a database, a crash,
//! a graceful stop).

use super::ADMIN_TOKEN;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

pub struct ApiProcess {
    child: Child,
    pub addr: SocketAddr,
    /// Every line the server has printed so far (its log, with `RUST_LOG`).
    pub output: Arc<Mutex<Vec<String>>>,
}

impl ApiProcess {
    /// Starts `order-api` on a free loopback port against `database_url`,
    /// with `env` added, and waits until it listens (it writes its address
    /// to `ADDR_FILE` then).
    pub async fn start(database_url: &str, dir: &Path, env: &[(&str, &str)]) -> ApiProcess {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let addr_file = dir.join(format!("addr-{}", NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)));
        let _ = std::fs::remove_file(&addr_file);
        let mut child = Command::new(env!("CARGO_BIN_EXE_order-api"))
            .env("BIND", "127.0.0.1:0")
            .env("ADDR_FILE", &addr_file)
            .env("DATABASE_URL", database_url)
            .env("STATIC_DIR", dir.join("no-dist"))
            .env("ADMIN_TOKEN", ADMIN_TOKEN)
            .env("RUST_LOG", "warn")
            // Every test request comes from 127.0.0.1.
            .env("RATE_LIMIT_ORDERS_PER_MINUTE", "100000")
            .env("RATE_LIMIT_LOOKUPS_PER_MINUTE", "100000")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the order-api binary starts");
        // Keep reading so a chatty server never blocks on a full pipe.
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let output = Arc::new(Mutex::new(Vec::new()));
        let kept = output.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                kept.lock().unwrap().push(line);
            }
        });
        let addr = loop {
            if let Ok(text) = std::fs::read_to_string(&addr_file) {
                break text.trim().parse().expect("ADDR_FILE holds a socket address");
            }
            if let Some(status) = child.try_wait().unwrap() {
                panic!("order-api exited ({status}) before it listened");
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        ApiProcess { child, addr, output }
    }

    /// SIGKILL: the process gets no chance to finish anything.
    pub async fn kill(&mut self) {
        self.child.kill().await.unwrap();
    }

    /// SIGTERM: the polite stop a process manager sends.
    pub fn terminate(&self) {
        let pid = self.child.id().expect("still running").to_string();
        assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    }

    /// Waits for the process to exit; true if it exited successfully.
    pub async fn wait(&mut self) -> bool {
        self.child.wait().await.unwrap().success()
    }
}

/// One request on a new connection.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<HttpReply> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(request_head(method, path, headers, body.len()).as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    read_reply(stream).await
}

/// POSTs an order as JSON with an idempotency key.
pub async fn post_order(addr: SocketAddr, body: &serde_json::Value, key: &str) -> std::io::Result<HttpReply> {
    let headers = [("content-type", "application/json"), ("idempotency-key", key)];
    request(addr, "POST", "/api/orders", &headers, &body.to_string()).await
}

pub struct HttpReply {
    pub status: u16,
    /// Header names in lowercase.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpReply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub fn request_head(method: &str, path: &str, headers: &[(&str, &str)], content_length: usize) -> String {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\ncontent-length: {content_length}\r\n"
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head
}

/// Reads a whole `connection: close` response (the API sends JSON with a
/// content-length, never chunked, when no compression is asked for).
pub async fn read_reply(mut stream: TcpStream) -> std::io::Result<HttpReply> {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw);
    let bad = || std::io::Error::new(std::io::ErrorKind::InvalidData, format!("not an HTTP response: {text:?}"));
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(bad)?;
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let headers = head
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Ok(HttpReply { status, headers, body: body.to_owned() })
}
