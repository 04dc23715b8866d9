//! Input rules, applied as the shopper types (storefront) and again on every
//! request (API). A rule returns a [`FieldError`]; it travels in the API's
//! `fields` map (as its snake_case name) and the storefront turns it into words.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Why a field was refused. The wire names are part of the API contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldError {
    Required,
    TooLong,
    InvalidPhone,
    InvalidPostalCode,
    InvalidQuantity,
    InvalidCreditCode,
    UnknownProvince,
    /// A city that is not in the province chosen (region data).
    UnknownCity,
    /// A district that is not in the city chosen.
    UnknownDistrict,
    /// A district code that is not the district the names make.
    CodeMismatch,
    /// The same thing twice where once is meant (a SKU on two cart lines).
    Duplicate,
    /// A SKU the shop does not sell (or no longer does).
    UnknownSku,
    /// Words a shop will not print (a hive's name tag).
    Inappropriate,
    /// An adoption hive that is no longer free.
    HiveTaken,
    /// A value outside the accepted set (a sort order, a page number, …).
    Invalid,
    /// A rule from a newer server than this storefront: read, never sent,
    /// and not in the API document.
    #[serde(other, skip_serializing)]
    Unrecognised,
}

/// Field errors keyed by the request's field path (see [`crate::field`]).
/// Empty means valid.
pub type FieldErrors = BTreeMap<String, FieldError>;

/// Most units of one variant in one order: enough for a family or an office,
/// small enough that a typo (1000 jars) is caught rather than reserved.
pub const MAX_QUANTITY: i64 = 99;

/// Longest courier tracking number, in characters.
pub const MAX_TRACKING_NO: usize = 40;

/// Digits in a mainland mobile number.
pub const PHONE_DIGITS: usize = 11;
/// Digits in a postal code (邮政编码).
pub const POSTAL_CODE_DIGITS: usize = 6;
/// Characters in a unified social credit code (统一社会信用代码).
pub const CREDIT_CODE_CHARS: usize = 18;

/// A mainland mobile number: 11 digits, `1[3-9]` then nine more
/// (`^1[3-9]\d{9}$`, written out by hand: the `regex` crate would bloat the wasm).
pub fn phone(s: &str) -> Result<(), FieldError> {
    let b = s.trim().as_bytes();
    if b.is_empty() {
        return Err(FieldError::Required);
    }
    let ok =
        b.len() == PHONE_DIGITS && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit);
    if ok {
        Ok(())
    } else {
        Err(FieldError::InvalidPhone)
    }
}

/// An optional six-digit postal code (邮政编码): empty is fine.
pub fn postal_code(s: &str) -> Result<(), FieldError> {
    let b = s.trim().as_bytes();
    if b.is_empty() || (b.len() == POSTAL_CODE_DIGITS && b.iter().all(u8::is_ascii_digit)) {
        Ok(())
    } else {
        Err(FieldError::InvalidPostalCode)
    }
}

/// Required free text of at most `max_chars` characters (counted as
/// characters, not bytes: 收货人 is 3, not 9).
pub fn required_text(s: &str, max_chars: usize) -> Result<(), FieldError> {
    let s = s.trim();
    if s.is_empty() {
        Err(FieldError::Required)
    } else {
        optional_text(s, max_chars)
    }
}

/// Optional free text of at most `max_chars` characters, without NUL
/// (which no text here needs and PostgreSQL cannot store).
pub fn optional_text(s: &str, max_chars: usize) -> Result<(), FieldError> {
    if s.contains('\0') {
        Err(FieldError::Invalid)
    } else if s.trim().chars().count() > max_chars {
        Err(FieldError::TooLong)
    } else {
        Ok(())
    }
}

pub fn quantity(q: i64) -> Result<(), FieldError> {
    if (1..=MAX_QUANTITY).contains(&q) {
        Ok(())
    } else {
        Err(FieldError::InvalidQuantity)
    }
}

/// The 18-character unified social credit code (统一社会信用代码, GB 32100-2015)
/// a company invoice title needs, including its check character.
pub fn credit_code(s: &str) -> Result<(), FieldError> {
    // The code's alphabet: digits and capitals without I, O, Z, S, V.
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let b = s.trim().as_bytes();
    if b.is_empty() {
        return Err(FieldError::Required);
    }
    if b.len() != CREDIT_CODE_CHARS {
        return Err(FieldError::InvalidCreditCode);
    }
    let value = |c: u8| ALPHABET.iter().position(|&a| a == c).map(|p| p as u32);
    let mut sum = 0;
    for (i, &c) in b[..17].iter().enumerate() {
        sum += value(c).ok_or(FieldError::InvalidCreditCode)? * WEIGHTS[i];
    }
    let check = (31 - sum % 31) % 31;
    if value(b[17]) == Some(check) {
        Ok(())
    } else {
        Err(FieldError::InvalidCreditCode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_mainland_mobile_numbers() {
        for ok in ["13800138000", "19912345678", " 15012345678 "] {
            assert_eq!(phone(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_mobile_number() {
        assert_eq!(phone(""), Err(FieldError::Required));
        assert_eq!(phone("   "), Err(FieldError::Required));
        for bad in [
            "12800138000",  // second digit 2
            "1380013800",   // 10 digits
            "138001380000", // 12 digits
            "1380013800a",
            "+8613800138000",
            "138 0013 8000",
            "１３８００１３８０００", // full-width digits
        ] {
            assert_eq!(phone(bad), Err(FieldError::InvalidPhone), "{bad}");
        }
    }

    #[test]
    fn postal_code_is_optional_but_six_digits_when_given() {
        assert_eq!(postal_code(""), Ok(()));
        assert_eq!(postal_code("300380"), Ok(()));
        assert_eq!(postal_code("30038"), Err(FieldError::InvalidPostalCode));
        assert_eq!(postal_code("30038x"), Err(FieldError::InvalidPostalCode));
    }

    #[test]
    fn text_length_counts_characters_not_bytes() {
        assert_eq!(required_text("景泰县五佛乡", 6), Ok(()));
        assert_eq!(required_text("景泰县五佛乡村", 6), Err(FieldError::TooLong));
        assert_eq!(required_text("  ", 6), Err(FieldError::Required));
        assert_eq!(optional_text("", 6), Ok(()));
        assert_eq!(optional_text("a\0b", 6), Err(FieldError::Invalid));
    }

    #[test]
    fn quantity_must_be_between_one_and_the_maximum() {
        assert_eq!(quantity(1), Ok(()));
        assert_eq!(quantity(MAX_QUANTITY), Ok(()));
        for bad in [0, -1, MAX_QUANTITY + 1, i64::MAX] {
            assert_eq!(quantity(bad), Err(FieldError::InvalidQuantity), "{bad}");
        }
    }

    #[test]
    fn credit_code_checks_its_check_character() {
        // A published, valid code (its last character is the checksum).
        assert_eq!(credit_code("91350100M000100Y43"), Ok(()));
        assert_eq!(credit_code("91350100M000100Y44"), Err(FieldError::InvalidCreditCode));
        assert_eq!(credit_code("91350100M000100Y4"), Err(FieldError::InvalidCreditCode));
        assert_eq!(credit_code("91350100I000100Y43"), Err(FieldError::InvalidCreditCode));
        assert_eq!(credit_code(""), Err(FieldError::Required));
    }

    #[test]
    fn wire_names_are_stable_and_a_newer_servers_rule_is_still_read() {
        assert_eq!(serde_json::to_string(&FieldError::InvalidPhone).unwrap(), r#""invalid_phone""#);
        assert_eq!(serde_json::from_str::<FieldError>(r#""required""#).unwrap(), FieldError::Required);
        assert_eq!(serde_json::from_str::<FieldError>(r#""too_blue""#).unwrap(), FieldError::Unrecognised);
        assert!(serde_json::to_string(&FieldError::Unrecognised).is_err());
    }
}
