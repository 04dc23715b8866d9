//! Timestamps as the database stores them: UTC text like
//! `2026-11-29T17:40:00Z`, written the same way by SQLite's `strftime`, by
//! PostgreSQL's `to_char` defaults and by this module, so they sort and
//! compare correctly as strings on either database.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// `secs` since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc_text(secs: i64) -> String {
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}

/// The shop's day (China Standard Time, UTC+8) containing `secs`, as the
/// UTC range `[start, end)`.
pub fn china_day(secs: i64) -> (String, String) {
    const CST: i64 = 8 * 3600;
    let start = (secs + CST).div_euclid(86_400) * 86_400 - CST;
    (utc_text(start), utc_text(start + 86_400))
}

/// The proleptic Gregorian date of a day number (days since 1970-01-01);
/// Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_like_the_database() {
        assert_eq!(utc_text(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_text(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_text(1_796_000_000), "2026-11-30T00:53:20Z");
        assert_eq!(utc_text(4_102_444_799), "2099-12-31T23:59:59Z");
    }

    #[test]
    fn the_shops_day_runs_from_midnight_in_beijing() {
        // 17:00 UTC on 29 November is 01:00 on the 30th in Beijing.
        assert_eq!(china_day(1_795_971_600), ("2026-11-29T16:00:00Z".into(), "2026-11-30T16:00:00Z".into()));
        assert_eq!(china_day(1_795_971_600 - 3601), ("2026-11-28T16:00:00Z".into(), "2026-11-29T16:00:00Z".into()));
    }
}
