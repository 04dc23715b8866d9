//! Timestamps as the shop writes them: UTC text like `2026-11-29T17:40:00Z`
//! (the database's, which SQLite's `strftime` and PostgreSQL's `to_char`
//! write the same way, so they sort and compare as strings), and the
//! shop's own clock, China Standard Time. Pure arithmetic on seconds since
//! the epoch: the caller says what "now" is (the server's clock, or the
//! browser's `Date.now()`).

/// `secs` since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc_text(secs: i64) -> String {
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}

/// `YYYY-MM-DDTHH:MM:SSZ` (as [`utc_text`] writes it) as seconds since the
/// epoch; `None` for anything else.
pub fn parse_utc(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let shape = b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    let n = |range: std::ops::Range<usize>| text[range].parse::<i64>().ok();
    let (year, month, day) = (n(0..4)?, n(5..7)?, n(8..10)?);
    let (hour, minute, second) = (n(11..13)?, n(14..16)?, n(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(days_from_civil(year, month as u32, day as u32) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// RFC 3339 with seconds and an offset, as WeChat Pay writes its times
/// (`2026-12-02T16:30:00+08:00`), or with `Z`, as seconds since the epoch.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let (local, offset) = (text.get(..19)?, text.get(19..)?);
    let at = parse_utc(&[local, "Z"].concat())?;
    if offset == "Z" {
        return Some(at);
    }
    let b = offset.as_bytes();
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    if b.len() != 6 || b[3] != b':' {
        return None;
    }
    let (hours, minutes) = (offset[1..3].parse::<i64>().ok()?, offset[4..6].parse::<i64>().ok()?);
    Some(at - sign * (hours * 3600 + minutes * 60))
}

/// `secs` in China time as RFC 3339, the form WeChat Pay's `time_expire`
/// takes: `2026-12-02T16:30:00+08:00`.
pub fn china_rfc3339(secs: i64) -> String {
    let local = utc_text(secs + CST);
    [&local[..19], "+08:00"].concat()
}

/// A China-time minute (`YYYY-MM-DD HH:MM`, as staff type it) as seconds since the epoch.
pub fn from_china_minute(year: i64, month: u32, day: u32, hour: u32, minute: u32) -> i64 {
    days_from_civil(year, month, day) * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 - CST
}

/// China Standard Time's offset from UTC.
pub const CST: i64 = 8 * 3600;

/// The shop's day (China Standard Time, UTC+8) containing `secs`, as the
/// UTC range `[start, end)`.
pub fn china_day(secs: i64) -> (String, String) {
    let start = (secs + CST).div_euclid(86_400) * 86_400 - CST;
    (utc_text(start), utc_text(start + 86_400))
}

/// The proleptic Gregorian date of a day number (days since 1970-01-01);
/// Howard Hinnant's `civil_from_days`.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
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

/// The day number (days since 1970-01-01) of a proleptic Gregorian date;
/// Howard Hinnant's `days_from_civil`.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A moment on the shop's clock (China Standard Time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChinaTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

/// `secs` since the epoch on the shop's clock.
pub fn china_time(secs: i64) -> ChinaTime {
    let local = secs + CST;
    let (year, month, day) = civil_from_days(local.div_euclid(86_400));
    let s = local.rem_euclid(86_400);
    ChinaTime { year, month, day, hour: (s / 3600) as u32, minute: (s % 3600 / 60) as u32 }
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
    fn reads_back_what_it_writes_and_speaks_wechats_time() {
        for secs in [0, 951_782_400, 1_796_000_000, 4_102_444_799] {
            assert_eq!(parse_utc(&utc_text(secs)), Some(secs));
        }
        assert_eq!(parse_utc("2026-11-30T00:53:20+08:00"), None);
        assert_eq!(parse_utc("2026-13-30T00:53:20Z"), None);
        assert_eq!(china_rfc3339(1_796_000_000), "2026-11-30T08:53:20+08:00");
        assert_eq!(parse_rfc3339("2026-11-30T08:53:20+08:00"), Some(1_796_000_000));
        assert_eq!(parse_rfc3339("2026-11-29T19:53:20-05:00"), Some(1_796_000_000));
        assert_eq!(parse_rfc3339("2026-11-30T00:53:20Z"), Some(1_796_000_000));
        assert_eq!(parse_rfc3339("2026-11-30T08:53:20+0800"), None);
        assert_eq!(from_china_minute(2026, 11, 30, 8, 53), 1_796_000_000 - 20);
    }

    #[test]
    fn tells_the_time_in_china() {
        let t = china_time(1_796_000_000);
        assert_eq!((t.year, t.month, t.day, t.hour, t.minute), (2026, 11, 30, 8, 53));
        // 16:00 UTC on the last day of the year is already the next year in Beijing.
        let t = china_time(parse_utc("2026-12-31T16:00:00Z").unwrap());
        assert_eq!((t.year, t.month, t.day, t.hour), (2027, 1, 1, 0));
    }

    #[test]
    fn the_shops_day_runs_from_midnight_in_beijing() {
        // 17:00 UTC on 29 November is 01:00 on the 30th in Beijing.
        assert_eq!(china_day(1_795_971_600), ("2026-11-29T16:00:00Z".into(), "2026-11-30T16:00:00Z".into()));
        assert_eq!(china_day(1_795_971_600 - 3601), ("2026-11-28T16:00:00Z".into(), "2026-11-29T16:00:00Z".into()));
    }
}
