//! Money is integer fen (1 yuan = 100 fen) everywhere: in the database, in
//! JSON and in arithmetic. Never floats: `0.1 + 0.2` has no place in a till.
//! Formatting is done by hand because `f64` Display and `format!` pull a lot
//! of code into the wasm (see shared/perf-notes.md).

/// Formats fen as the price shoppers read: `6800` → `¥68.00`.
pub fn format_fen(fen: i64) -> String {
    let mut out = String::with_capacity(12);
    if fen < 0 {
        out.push('-');
    }
    out.push('¥');
    let fen = fen.unsigned_abs();
    push_digits(&mut out, fen / 100);
    out.push('.');
    let cents = (fen % 100) as u8;
    out.push(char::from(b'0' + cents / 10));
    out.push(char::from(b'0' + cents % 10));
    out
}

/// Appends the decimal digits of `n` (no grouping: ¥1280.00, as Chinese shops print).
pub fn push_digits(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

/// Reads a price typed in yuan (`68`, `68.5`, `68.50`, `¥68.00`) as fen,
/// digit by digit, never through a float. `None` for anything else.
pub fn parse_yuan(text: &str) -> Option<i64> {
    let text = text.trim().trim_start_matches('¥').trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (whole, cents) = match text.split_once('.') {
        Some((whole, cents)) if digits(cents) && cents.len() <= 2 => (whole, cents),
        Some(_) => return None,
        None => (text, ""),
    };
    if !digits(whole) || whole.len() > 9 {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let cents: i64 = match cents.len() {
        0 => 0,
        1 => cents.parse::<i64>().ok()? * 10,
        _ => cents.parse().ok()?,
    };
    Some(whole * 100 + cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_typed_yuan_without_floats() {
        assert_eq!(parse_yuan("68"), Some(6800));
        assert_eq!(parse_yuan("68.5"), Some(6850));
        assert_eq!(parse_yuan(" ¥68.05 "), Some(6805));
        assert_eq!(parse_yuan("0.1"), Some(10));
        for bad in ["", ".", "68.", ".5", "68.555", "-1", "1e3", "6,800", "abc", "1234567890"] {
            assert_eq!(parse_yuan(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_yuan_with_two_decimals() {
        assert_eq!(format_fen(6800), "¥68.00");
        assert_eq!(format_fen(12_990), "¥129.90");
        assert_eq!(format_fen(5), "¥0.05");
        assert_eq!(format_fen(0), "¥0.00");
        assert_eq!(format_fen(10_000_000), "¥100000.00");
    }

    #[test]
    fn formats_negative_amounts_for_refunds() {
        assert_eq!(format_fen(-150), "-¥1.50");
    }

    #[test]
    fn digits_of_zero_and_large_numbers() {
        let mut s = String::new();
        push_digits(&mut s, 0);
        push_digits(&mut s, u64::MAX);
        assert_eq!(s, "018446744073709551615");
    }
}
