//! A 企业微信 group robot on loopback, speaking its webhook protocol:
//! `POST /cgi-bin/webhook/send?key=…` with `{"msgtype": "text", "text":
//! {"content": …}}`, answered `{"errcode": 0, "errmsg": "ok"}`. It refuses
//! what the real robot refuses, with its codes: another key (93000), a
//! message type it does not know (40008), empty content (44004), content
//! over 2,048 bytes (45002), more than 20 messages a minute (45009).

use axum::extract::{Query, State};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The messages accepted, with when.
type Received = Arc<Mutex<Vec<(Instant, String)>>>;

pub struct Robot {
    /// The webhook address, key included, as staff would configure it.
    pub url: String,
    received: Received,
}

const KEY: &str = "693a91f6-7b1c-4bc4-97a0-0ec2f1a5a1aa";

pub async fn start() -> Robot {
    let received = Received::default();
    let router = Router::new().route("/cgi-bin/webhook/send", post(send)).with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/cgi-bin/webhook/send?key={KEY}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Robot { url, received }
}

impl Robot {
    /// The text messages accepted so far, waiting up to `patience` for at least `n`.
    pub async fn messages(&self, n: usize, patience: Duration) -> Vec<String> {
        let deadline = Instant::now() + patience;
        loop {
            let texts: Vec<String> = self.received.lock().unwrap().iter().map(|(_, t)| t.clone()).collect();
            if texts.len() >= n || Instant::now() > deadline {
                return texts;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

async fn send(
    State(received): State<Received>,
    Query(query): Query<HashMap<String, String>>,
    Json(message): Json<Value>,
) -> Json<Value> {
    let refuse = |errcode: u32, errmsg: &str| Json(json!({ "errcode": errcode, "errmsg": errmsg }));
    if query.get("key").map(String::as_str) != Some(KEY) {
        return refuse(93000, "invalid webhook url");
    }
    if message["msgtype"] != "text" {
        return refuse(40008, "invalid message type");
    }
    let content = message["text"]["content"].as_str().unwrap_or_default();
    if content.is_empty() {
        return refuse(44004, "empty content");
    }
    if content.len() > 2048 {
        return refuse(45002, "content size out of limit");
    }
    let mut received = received.lock().unwrap();
    let minute_ago = Instant::now() - Duration::from_secs(60);
    if received.iter().filter(|(at, _)| *at > minute_ago).count() >= 20 {
        return refuse(45009, "api freq out of limit");
    }
    received.push((Instant::now(), content.to_owned()));
    Json(json!({ "errcode": 0, "errmsg": "ok" }))
}
