pub mod header;
pub mod impact;
pub mod load_error;
pub mod order_view;
pub mod product_card;
pub mod product_detail;
pub mod quantity;
pub mod skeleton;
