//! Adopt a beehive (蜜蜂认养): a season's adoption of one numbered hive at
//! the 津景蜜园 in Wufo township, with a guaranteed minimum of honey, the
//! harvests posted to the adopter, and a name for the hive of their choice.

use crate::field;
use crate::validate::{self, FieldError, FieldErrors, MAX_TRACKING_NO};
use serde::{Deserialize, Serialize};

/// What an adoption product promises (the same for every hive it covers).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdoptionPlan {
    pub cooperative: String,
    /// `YYYY-MM-DD`.
    pub term_start: String,
    pub term_end: String,
    pub guaranteed_yield: u32,
    pub yield_unit: String,
    /// The planned harvests, each posted to the adopter.
    pub harvests: Vec<String>,
}

/// The shopper's choices for an adoption line of an order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdoptionChoice {
    pub hive_name: String,
    /// A particular free hive, or `None` for the next free one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hive_no: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub delivered_at: String,
    pub tracking_no: String,
    pub amount: String,
}

/// One adopted hive: what the certificate shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Adoption {
    pub id: i64,
    pub hive_no: i64,
    pub hive_name: String,
    pub adopter: String,
    pub plan: AdoptionPlan,
    pub deliveries: Vec<Delivery>,
}

/// Longest hive name, in characters: it has to fit on a hive's name tag.
pub const MAX_HIVE_NAME: usize = 12;

/// Words a name tag will not carry. A short list is no moderation system,
/// but it stops the obvious; staff see every name in the admin list.
const REFUSED_WORDS: [&str; 10] = ["傻", "操", "死", "妈的", "垃圾", "滚", "fuck", "shit", "damn", "bitch"];

/// A hive name: 1–12 characters of text, no markup characters, nothing
/// abusive. It is printed on a tag and a certificate, so it stays plain.
pub fn hive_name(name: &str) -> Result<(), FieldError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(FieldError::Required);
    }
    if name.chars().count() > MAX_HIVE_NAME {
        return Err(FieldError::TooLong);
    }
    if name.chars().any(|c| c.is_control() || matches!(c, '<' | '>' | '&' | '"' | '\'' | '/' | '\\' | '{' | '}')) {
        return Err(FieldError::Invalid);
    }
    let lower = name.to_lowercase();
    if REFUSED_WORDS.iter().any(|w| lower.contains(w)) {
        return Err(FieldError::Inappropriate);
    }
    Ok(())
}

/// `POST /api/admin/adoptions/{id}/deliveries`: a harvest posted to the adopter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewDelivery {
    pub tracking_no: String,
    /// What was sent, as written on the parcel: "7斤 洋槐蜜".
    pub amount: String,
}

/// Longest description of what a harvest parcel holds, in characters.
pub const MAX_DELIVERY_AMOUNT: usize = 40;

pub fn validate_delivery(delivery: &NewDelivery) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let rules = [
        (field::TRACKING_NO, validate::required_text(&delivery.tracking_no, MAX_TRACKING_NO)),
        (field::AMOUNT, validate::required_text(&delivery.amount, MAX_DELIVERY_AMOUNT)),
    ];
    for (path, rule) in rules {
        if let Err(e) = rule {
            errors.insert(path.into(), e);
        }
    }
    errors
}

/// `GET /api/products/{slug}/hives`: the hive numbers still free.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FreeHives {
    pub free: Vec<i64>,
}

/// Money that reached one county's producers through paid orders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountyImpact {
    pub county: String,
    pub paid_fen: i64,
    pub orders: i64,
}

/// The home page's impact panel, computed from real orders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Impact {
    pub counties: Vec<CountyImpact>,
    pub paid_orders: i64,
    pub adopted_hives: i64,
    pub free_hives: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hive_names_are_short_plain_and_decent() {
        for ok in ["小蜜蜂", "甜甜的家", "Honey 18号", "  西青·景泰一家亲 "] {
            assert_eq!(hive_name(ok), Ok(()), "{ok}");
        }
        assert_eq!(hive_name(" "), Err(FieldError::Required));
        assert_eq!(hive_name("一二三四五六七八九十一二三"), Err(FieldError::TooLong));
        assert_eq!(hive_name("<script>"), Err(FieldError::Invalid));
        assert_eq!(hive_name("a\u{0}b"), Err(FieldError::Invalid));
        assert_eq!(hive_name("傻蜂"), Err(FieldError::Inappropriate));
        assert_eq!(hive_name("FUCK bees"), Err(FieldError::Inappropriate));
    }
}
