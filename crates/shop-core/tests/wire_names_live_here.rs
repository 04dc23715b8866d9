//! The contract's words (error codes, field rules, statuses, kinds, sorts)
//! are written once, in this crate. This test fails when one of them appears
//! as a string literal in the storefront's or the API's code, where it would
//! be a copy that can drift from the definition: use the type instead.
//!
//! Scanned: `src/` and `crates/order-api/src/`, Rust files, up to a file's
//! `#[cfg(test)]` module. Not scanned: tests, fixtures, migrations, the
//! README, and `src/i18n/` (words for people, some of which happen to be
//! the same English words). A literal right after `class=` is a CSS class.

use serde::Serialize;
use shop_core::catalogue::{ProductKind, Sort};
use shop_core::error::ErrorCode;
use shop_core::order::{CancelReason, InvoiceKind, LineProblem, OrderStatus};
use shop_core::payment::{PaymentMethod, PaymentMode, PaymentReturn, PaymentState, RefundReason, RefundState};
use shop_core::validate::{FieldError, FieldErrors};
use std::path::{Path, PathBuf};

/// One value of every error code. The `match` has no wildcard, so a new
/// code does not compile until it is added here too.
fn error_codes() -> Vec<ErrorCode> {
    use ErrorCode::*;
    let all = vec![
        NotFound,
        MethodNotAllowed,
        Validation { fields: FieldErrors::new() },
        OutOfStock { sku: String::new(), available: 0 },
        PriceChanged { total_fen: 0 },
        HiveTaken { hive_no: 0 },
        InvalidTransition { status: OrderStatus::Paid },
        IdempotencyKeyRequired,
        IdempotencyMismatch,
        Unauthorized,
        RateLimited { retry_after_secs: 1 },
        Timeout,
        Unavailable,
        MalformedJson,
        InvalidBody,
        UnsupportedMediaType,
        PayloadTooLarge,
        BadQuery,
        UnreadableBody,
        Internal,
        PaymentUnavailable,
        OpenidRequired { authorize_url: String::new() },
        PaymentExpired,
        PaymentInProgress,
        RefundTooLarge { refundable_fen: 0 },
    ];
    for code in &all {
        match code {
            NotFound
            | MethodNotAllowed
            | Validation { .. }
            | OutOfStock { .. }
            | PriceChanged { .. }
            | HiveTaken { .. }
            | InvalidTransition { .. }
            | IdempotencyKeyRequired
            | IdempotencyMismatch
            | Unauthorized
            | RateLimited { .. }
            | Timeout
            | Unavailable
            | MalformedJson
            | InvalidBody
            | UnsupportedMediaType
            | PayloadTooLarge
            | BadQuery
            | UnreadableBody
            | Internal
            | PaymentUnavailable
            | OpenidRequired { .. }
            | PaymentExpired
            | PaymentInProgress
            | RefundTooLarge { .. } => {}
        }
    }
    all
}

/// Every field rule that is sent (`Unrecognised` never is), with the same guard.
fn field_errors() -> Vec<FieldError> {
    use FieldError::*;
    let all = vec![
        Required,
        TooLong,
        InvalidPhone,
        InvalidPostalCode,
        InvalidQuantity,
        InvalidCreditCode,
        UnknownProvince,
        UnknownCity,
        UnknownDistrict,
        CodeMismatch,
        Duplicate,
        UnknownSku,
        Inappropriate,
        HiveTaken,
        Invalid,
    ];
    for rule in &all {
        match rule {
            Required | TooLong | InvalidPhone | InvalidPostalCode | InvalidQuantity | InvalidCreditCode
            | UnknownProvince | UnknownCity | UnknownDistrict | CodeMismatch | Duplicate | UnknownSku
            | Inappropriate | HiveTaken | Invalid | Unrecognised => {}
        }
    }
    all
}

fn serde_word<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value).unwrap() {
        serde_json::Value::String(word) => word,
        object => object["code"].as_str().expect("an error code").to_owned(),
    }
}

fn wire_words() -> Vec<String> {
    let mut words: Vec<String> = error_codes().iter().map(serde_word).collect();
    words.extend(field_errors().iter().map(serde_word));
    words.extend(OrderStatus::ALL.iter().map(|s| s.as_str().to_owned()));
    words.extend(CancelReason::ALL.iter().map(|r| r.as_str().to_owned()));
    words.extend(InvoiceKind::ALL.iter().map(|k| k.as_str().to_owned()));
    words.extend(LineProblem::ALL.iter().map(|p| p.as_str().to_owned()));
    words.extend(ProductKind::ALL.iter().map(|k| k.as_str().to_owned()));
    words.extend(Sort::ALL.iter().map(|s| s.as_str().to_owned()));
    words.extend(PaymentMode::ALL.iter().map(|m| m.as_str().to_owned()));
    words.extend(PaymentMethod::ALL.iter().map(|m| m.as_str().to_owned()));
    words.extend(PaymentState::ALL.iter().map(|s| s.as_str().to_owned()));
    words.extend(RefundReason::ALL.iter().map(|r| r.as_str().to_owned()));
    words.extend(RefundState::ALL.iter().map(|s| s.as_str().to_owned()));
    words.extend(PaymentReturn::ALL.iter().map(|r| r.as_str().to_owned()));
    words.sort();
    words.dedup();
    words
}

fn rust_files(dir: &Path, skip: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.starts_with(skip) {
            continue;
        }
        if path.is_dir() {
            rust_files(&path, skip, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// `file:line: text` for every copy of a wire word in `text`.
fn copies(file: &Path, text: &str, words: &[String]) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut found = Vec::new();
    for (n, line) in code.lines().enumerate() {
        for word in words {
            for quote in ['"', '\''] {
                let literal = format!("{quote}{word}{quote}");
                let mut from = 0;
                while let Some(at) = line[from..].find(&literal) {
                    let at = from + at;
                    if !line[..at].ends_with("class=") {
                        found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                    }
                    from = at + literal.len();
                }
            }
        }
    }
    found
}

#[test]
fn the_contracts_words_are_written_once() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap();
    let mut files = Vec::new();
    rust_files(&repo.join("src"), &repo.join("src/i18n"), &mut files);
    rust_files(&repo.join("crates/order-api/src"), Path::new("/nowhere"), &mut files);
    assert!(files.len() > 20, "found the sources ({} files)", files.len());
    let words = wire_words();
    assert!(words.contains(&"out_of_stock".to_owned()) && words.contains(&"pending_payment".to_owned()));
    let found: Vec<String> =
        files.iter().flat_map(|file| copies(file, &std::fs::read_to_string(file).unwrap(), &words)).collect();
    assert!(found.is_empty(), "contract words copied as literals (use shop-core's types):\n{}", found.join("\n"));
}

#[test]
fn the_scan_finds_copies() {
    let words = ["paid".to_owned()];
    let text =
        "let a = \"paid\";\nlet b = \"WHERE status = 'paid'\";\nview! { <p class=\"paid\"> }\n#[cfg(test)]\n\"paid\"";
    assert_eq!(copies(Path::new("x.rs"), text, &words).len(), 2);
}
