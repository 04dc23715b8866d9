//! Admin authentication: one bearer token for every replica (`ADMIN_TOKEN`),
//! compared in constant time, with repeated failures from one address
//! refused for a while.

use crate::client_addr::ClientAddr;
use crate::error::ApiError;
use crate::limits::RateLimit;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use shop_core::error::ErrorCode;
use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

pub struct AdminAuth {
    token: String,
    failures: RateLimit,
}

impl AdminAuth {
    /// `max_failures` wrong tokens from one address within `window` lock
    /// that address out until the window has passed.
    pub fn new(token: String, max_failures: u32, window: Duration) -> AdminAuth {
        AdminAuth { token, failures: RateLimit::new(max_failures, window) }
    }

    fn check(&self, ip: IpAddr, presented: Option<&str>) -> Result<(), ApiError> {
        self.failures.check(ip)?;
        if presented.is_some_and(|p| constant_time_eq(p.as_bytes(), self.token.as_bytes())) {
            return Ok(());
        }
        let failures = self.failures.record(ip);
        tracing::warn!(%ip, failures, "admin authentication failed");
        Err(ErrorCode::Unauthorized.into())
    }
}

/// Compares every byte whatever the first difference, so the time taken
/// says nothing about how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Lets a request through to the admin routes only with the right token.
pub async fn require_admin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ip = ClientAddr::of(&req);
    let presented =
        req.headers().get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    match state.admin.check(ip, presented) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// The admin token: `ADMIN_TOKEN` when set (the same value on every
/// replica); otherwise, on a single machine, one generated on first start
/// and kept in `file` (mode 0600), so a new shop owner can sign in.
pub fn load_or_create_token(from_env: Option<String>, file: &Path) -> std::io::Result<String> {
    if let Some(token) = from_env.filter(|t| !t.trim().is_empty()) {
        return Ok(token.trim().to_owned());
    }
    if let Ok(token) = std::fs::read_to_string(file) {
        if !token.trim().is_empty() {
            println!("admin token: read from {}", file.display());
            return Ok(token.trim().to_owned());
        }
    }
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(file)?;
    writeln!(f, "{token}")?;
    println!("admin token: generated and saved to {} (mode 0600); sign in at /admin with it", file.display());
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_comparison_is_still_a_comparison() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(!constant_time_eq(b"", b"x"));
    }

    #[test]
    fn repeated_failures_lock_the_address_out() {
        let auth = AdminAuth::new("right".into(), 3, Duration::from_secs(60));
        let ip: IpAddr = "10.0.0.9".parse().unwrap();
        let other: IpAddr = "10.0.0.10".parse().unwrap();
        for _ in 0..3 {
            assert!(matches!(auth.check(ip, Some("wrong")), Err(ApiError::Refused(ErrorCode::Unauthorized))));
        }
        // Locked out now, even with the right token; other addresses are not.
        assert!(matches!(auth.check(ip, Some("right")), Err(ApiError::Refused(ErrorCode::RateLimited { .. }))));
        assert!(auth.check(other, Some("right")).is_ok());
    }

    #[test]
    fn a_generated_token_is_kept_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data/admin-token");
        let first = load_or_create_token(None, &file).unwrap();
        assert_eq!(first.len(), 48);
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(load_or_create_token(None, &file).unwrap(), first);
        assert_eq!(load_or_create_token(Some("from-env".into()), &file).unwrap(), "from-env");
    }
}
