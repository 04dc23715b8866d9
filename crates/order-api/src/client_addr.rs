//! The address a request came from, for rate limits, logs and the change
//! history: the socket's peer, or, behind a load balancer
//! (`TRUST_FORWARDED_FOR=true`), the address it appended last to
//! `X-Forwarded-For`.

use crate::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

#[derive(Clone, Debug)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// The address [`record`] noted for `req`.
    pub fn of(req: &Request) -> IpAddr {
        req.extensions().get::<ClientAddr>().map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |c| c.0)
    }
}

/// Notes the caller's address on every request. Tests, which call the
/// router without a socket, count as 127.0.0.1.
pub async fn record(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let forwarded = || {
        let header = req.headers().get("x-forwarded-for")?.to_str().ok()?;
        header.rsplit(',').next()?.trim().parse().ok()
    };
    let peer = || req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let ip = state.config.trust_forwarded_for.then(forwarded).flatten().or_else(peer);
    let ip = ip.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    req.extensions_mut().insert(ClientAddr(ip));
    next.run(req).await
}
