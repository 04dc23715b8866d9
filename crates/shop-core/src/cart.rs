//! Cart arithmetic. Sums saturate rather than wrap, and quantities are
//! validated before they get here, so a hostile cart cannot overflow a total.

/// One line's total: unit price × quantity.
pub fn line_total_fen(unit_price_fen: i64, quantity: i64) -> i64 {
    unit_price_fen.saturating_mul(quantity)
}

/// The sum of line totals.
pub fn subtotal_fen<I: IntoIterator<Item = (i64, i64)>>(lines: I) -> i64 {
    lines.into_iter().fold(0, |sum, (unit, qty)| sum.saturating_add(line_total_fen(unit, qty)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtotal_adds_line_totals() {
        assert_eq!(subtotal_fen([(6800, 2), (3990, 1)]), 17_590);
        assert_eq!(subtotal_fen(std::iter::empty()), 0);
    }

    #[test]
    fn totals_saturate_instead_of_wrapping() {
        assert_eq!(line_total_fen(i64::MAX, 2), i64::MAX);
        assert_eq!(subtotal_fen([(i64::MAX, 1), (1, 1)]), i64::MAX);
    }
}
