pub mod header;
pub mod load_error;
pub mod product_card;
pub mod skeleton;
