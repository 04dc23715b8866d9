//! The server's clock, and the shop's timestamp arithmetic
//! (`shop_core::time`), which the database's text timestamps follow.

pub use shop_core::time::{china_day, china_rfc3339, from_china_minute, parse_rfc3339, parse_utc, utc_text};
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}
