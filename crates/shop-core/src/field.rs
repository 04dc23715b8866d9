//! The paths that name a request's fields: the keys of a validation error's
//! `fields` map, written once here and used by the rules (this crate), the
//! API's answers, and the storefront, which gives each input the path as its
//! `id` so a server's verdict lands next to the right field.

// The checkout's body (`OrderRequest`).
pub const ITEMS: &str = "items";
pub const CONTACT_NAME: &str = "contact.name";
pub const CONTACT_PHONE: &str = "contact.phone";
pub const ADDRESS_PROVINCE: &str = "address.province";
pub const ADDRESS_CITY: &str = "address.city";
pub const ADDRESS_DISTRICT: &str = "address.district";
pub const ADDRESS_DISTRICT_CODE: &str = "address.district_code";
pub const ADDRESS_DETAIL: &str = "address.detail";
pub const ADDRESS_POSTAL_CODE: &str = "address.postal_code";
pub const NOTE: &str = "note";
pub const INVOICE_TITLE: &str = "invoice.title";
pub const INVOICE_TAX_ID: &str = "invoice.tax_id";

// Within one of the order's `items[i]`.
pub const SKU: &str = "sku";
pub const QUANTITY: &str = "quantity";
pub const ADOPTION: &str = "adoption";
pub const HIVE_NAME: &str = "adoption.hive_name";
pub const HIVE_NO: &str = "adoption.hive_no";

// A product patch, and within one of its `variants[i]`.
pub const NAME: &str = "name";
pub const SUBTITLE: &str = "subtitle";
pub const DESCRIPTION: &str = "description";
pub const STORY: &str = "story";
pub const PRICE_FEN: &str = "price_fen";
pub const STOCK_DELTA: &str = "stock_delta";

// A refund, within one of its `lines[i]`, and a bank transfer.
pub const REASON: &str = "reason";
pub const LINE: &str = "line";
pub const AMOUNT_FEN: &str = "amount_fen";
pub const REFERENCE: &str = "reference";
pub const PAYER: &str = "payer";
pub const RECEIVED_AT: &str = "received_at";

// Other bodies and query strings.
pub const TRACKING_NO: &str = "tracking_no";
pub const AMOUNT: &str = "amount";
pub const CATEGORY: &str = "category";
pub const SEARCH: &str = "q";
pub const SORT: &str = "sort";
pub const PAGE: &str = "page";
pub const PER_PAGE: &str = "per_page";
pub const STATUS: &str = "status";

/// `items[i].field`: a field of the order's `i`th line.
pub fn item(i: usize, field: &str) -> String {
    indexed("items", i, field)
}

/// `variants[i].field`: a field of a product patch's `i`th variant.
pub fn variant(i: usize, field: &str) -> String {
    indexed("variants", i, field)
}

/// `lines[i].field`: a field of a refund's `i`th line.
pub fn refund_line(i: usize, field: &str) -> String {
    indexed("lines", i, field)
}

/// Whether `path` names something inside the order's lines (`items`,
/// `items[3].sku`), which the checkout has no input for.
pub fn is_item(path: &str) -> bool {
    path.starts_with(ITEMS)
}

fn indexed(list: &str, i: usize, field: &str) -> String {
    let mut path = String::with_capacity(list.len() + field.len() + 6);
    path.push_str(list);
    path.push('[');
    crate::money::push_digits(&mut path, i as u64);
    path.push_str("].");
    path.push_str(field);
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexed_paths_read_like_the_request() {
        assert_eq!(item(0, QUANTITY), "items[0].quantity");
        assert_eq!(item(12, HIVE_NAME), "items[12].adoption.hive_name");
        assert_eq!(variant(3, PRICE_FEN), "variants[3].price_fen");
        assert!(is_item(&item(1, SKU)) && is_item(ITEMS) && !is_item(CONTACT_PHONE));
    }
}
