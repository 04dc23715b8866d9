//! The shop's domain, shared by the storefront (compiled to wasm32) and the
//! order API (native): money, the API contract's types, and input rules.
//! Both sides use the same code, so they can never disagree.
//!
//! Kept deliberately small and dependency-free (serde only): everything here
//! ships to phones inside the storefront's wasm.

pub mod admin;
pub mod adoption;
pub mod cart;
pub mod catalogue;
pub mod entry;
pub mod error;
pub mod field;
pub mod money;
pub mod order;
pub mod paste;
pub mod payment;
pub mod regions;
pub mod time;
pub mod validate;
mod wire;

pub use wire::UnknownName;

pub use money::format_fen;
