//! The one error shape every API endpoint returns:
//! `{"error":{"code":"…","message":"…", …details}}`.
//! `code` is a stable word the storefront maps to its own text; `message` is
//! for people reading logs; details sit beside them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ApiError,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: String,
    pub message: String,
    /// For `validation`: each bad field (`contact.phone`, `page`, …) and the
    /// rule it broke (a [`crate::validate::FieldError`] code).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// For `out_of_stock`: which SKU, and how many are left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<i64>,
    /// For `price_changed`: the server's current total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_fen: Option<i64>,
    /// For `hive_taken`: the hive that is no longer free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hive_no: Option<i64>,
    /// For `invalid_transition`: the order's current status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}
