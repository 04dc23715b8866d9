pub mod catalogue;
pub mod home;
pub mod not_found;
pub mod product;
