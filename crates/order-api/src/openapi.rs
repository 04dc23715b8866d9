//! The API's OpenAPI 3 document, served at `GET /api/openapi.json`.
//!
//! It is generated from the code, so it cannot drift from it: each handler's
//! `#[utoipa::path]` attribute gives its path, parameters, body and the
//! answers particular to it; shop-core's types (with its `openapi` feature)
//! give the schemas; and `SharedErrors` below adds the errors that shared
//! code (the JSON and query extractors, the admin guard, the rate limits,
//! the deadline, any database failure) can give. `tests/openapi.rs` checks that the
//! document lists exactly the README's endpoints and that the router serves
//! exactly the documented methods on them; `scripts/api-contract.sh` runs
//! schemathesis against it.

use crate::{admin, adoption, catalogue, impact, orders, pay};
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use serde_json::Value;
use shop_core::admin::{MAX_ADMIN_PAGE, MAX_ORDER_SEARCH};
use shop_core::catalogue::{Sort, MAX_PAGE, MAX_PER_PAGE, MAX_SEARCH_CHARS};
use shop_core::field;
use shop_core::order::{OrderStatus, MAX_IDEMPOTENCY_KEY, MAX_LINES};
use shop_core::validate::MAX_QUANTITY;
use std::sync::LazyLock;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, HeaderBuilder, ObjectBuilder, Ref, RefOr, ResponseBuilder, Type};
use utoipa::{Modify, Number, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "西青区扶贫网店 order API",
        description = "The shop's catalogue, orders, hive adoptions and admin. Money is integer fen. \
            Every error is `{\"error\":{\"code\",\"message\",…details}}` (the `ErrorBody` schema); \
            `code` is stable and machine-readable."
    ),
    paths(
        catalogue::categories,
        catalogue::products,
        catalogue::product,
        adoption::free_hives,
        catalogue::producer,
        impact::impact,
        orders::quote,
        orders::create,
        orders::lookup,
        admin::products,
        admin::product,
        admin::patch_product,
        admin::orders,
        admin::change_status,
        admin::refund,
        admin::bank_transfer,
        pay::start,
        pay::status,
        pay::notify,
        pay::oauth_start,
        pay::oauth_callback,
        adoption::admin_list,
        adoption::record_delivery,
        document,
        crate::service::healthz,
        crate::service::readyz,
    ),
    // Query parameter types are not collected from `paths` on their own.
    components(schemas(Sort)),
    modifiers(&AdminToken, &SharedErrors, &SharedLimits)
)]
pub struct ApiDoc;

/// The document, built and serialised once.
static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    let mut api = ApiDoc::openapi();
    // utoipa fills the licence from Cargo.toml, where this private crate has
    // none, and OpenAPI does not allow a licence without a name.
    api.info.license = None;
    let mut doc = serde_json::to_value(api).expect("the OpenAPI document serialises");
    name_link_targets_as_openapi_does(&mut doc);
    serde_json::to_string_pretty(&doc).expect("JSON serialises")
});

/// utoipa 5.5 writes a link's `operationId` as `operation_id` (its `Link`
/// type lacks serde's camelCase renaming), which no OpenAPI tool reads.
fn name_link_targets_as_openapi_does(doc: &mut Value) {
    let operations = doc["paths"].as_object_mut().into_iter().flat_map(|paths| paths.values_mut());
    let operations = operations.flat_map(|item| item.as_object_mut().into_iter().flat_map(|ops| ops.values_mut()));
    for operation in operations {
        let responses = operation["responses"].as_object_mut().into_iter().flat_map(|r| r.values_mut());
        let links = responses.filter_map(|response| response.get_mut("links")?.as_object_mut());
        for link in links.flat_map(|links| links.values_mut()).filter_map(Value::as_object_mut) {
            if let Some(target) = link.remove("operation_id") {
                link.insert("operationId".into(), target);
            }
        }
    }
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "service",
    responses((status = 200, description = "the OpenAPI 3 document", content_type = "application/json", body = Object))
)]
pub async fn document() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], DOCUMENT.as_str())
}

/// The scheme the admin handlers' `security(("admin_token" = []))` names.
const ADMIN_TOKEN_SCHEME: &str = "admin_token";

/// Declares the admin bearer token that `auth::require_admin` checks.
struct AdminToken;

impl Modify for AdminToken {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("`ADMIN_TOKEN`, or the token generated into `data/admin-token` on a single machine"))
            .build();
        doc.components.get_or_insert_default().add_security_scheme(ADMIN_TOKEN_SCHEME, SecurityScheme::Http(scheme));
    }
}

/// Paths whose handlers touch nothing that can fail.
const INFALLIBLE_PATHS: [&str; 3] = ["/healthz", "/readyz", "/api/openapi.json"];

/// The operations `app` puts behind a per-address rate limit (`limits.rs`).
const RATE_LIMITED: [(&str, &str); 4] = [
    ("create", "too many orders from this address (`RATE_LIMIT_ORDERS_PER_MINUTE`)"),
    ("lookup", "too many lookups from this address (`RATE_LIMIT_LOOKUPS_PER_MINUTE`)"),
    ("start_payment", "too many lookups from this address (`RATE_LIMIT_LOOKUPS_PER_MINUTE`)"),
    ("payment_status", "too many lookups from this address (`RATE_LIMIT_LOOKUPS_PER_MINUTE`)"),
];

/// Adds to each operation the errors that come from code it shares with
/// others rather than from its handler, each where that code runs.
struct SharedErrors;

impl Modify for SharedErrors {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for (path, item) in doc.paths.paths.iter_mut() {
            let can_fail = !INFALLIBLE_PATHS.contains(&path.as_str());
            let operations = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
            for operation in operations.into_iter().flatten() {
                add_shared_errors(operation, can_fail);
            }
        }
    }
}

fn add_shared_errors(operation: &mut Operation, can_fail: bool) {
    if operation.request_body.is_some() {
        // `extract::ApiJson`'s rejections.
        add_error(operation, 400, "`malformed_json`: the body is not JSON");
        add_error(operation, 422, "`invalid_body`: JSON that is not an object of the documented shape");
        let too_large = format!("`payload_too_large`: bodies are at most {} KiB", crate::MAX_BODY_BYTES / 1024);
        add_error(operation, 413, &too_large);
        add_error(operation, 415, "`unsupported_media_type`: send `Content-Type: application/json`");
    }
    let has_query = operation.parameters.iter().flatten().any(|p| p.parameter_in == ParameterIn::Query);
    if has_query {
        add_error(operation, 400, "`bad_query`: a query string that cannot be read");
    }
    if operation.security.is_some() {
        // `auth::require_admin`.
        add_error(operation, 401, "`unauthorized`: no admin token, or the wrong one");
        add_rate_limited(operation, "too many wrong tokens from this address (`ADMIN_AUTH_MAX_FAILURES`)");
    }
    let rate_limit = RATE_LIMITED.iter().find(|(id, _)| operation.operation_id.as_deref() == Some(id));
    if let Some((_, why)) = rate_limit {
        add_rate_limited(operation, why);
    }
    if can_fail {
        add_error(operation, 500, "`internal`: our fault; the detail is in the server's log");
        // `limits::deadline`, and `error::database_unreachable`.
        add_error(
            operation,
            503,
            "`timeout`: the request took longer than `REQUEST_TIMEOUT_SECS`; `unavailable`: the database \
             cannot be reached (restarting, or every connection busy), try again after `Retry-After` seconds",
        );
        if let Some(RefOr::T(response)) = operation.responses.responses.get_mut("503") {
            let header = retry_after("seconds until it is worth trying again (with `unavailable`)");
            response.headers.insert("Retry-After".into(), header);
        }
    }
}

fn retry_after(description: &str) -> utoipa::openapi::header::Header {
    HeaderBuilder::new().schema(ObjectBuilder::new().schema_type(Type::Integer)).description(Some(description)).build()
}

fn add_rate_limited(operation: &mut Operation, why: &str) {
    let response = error_response(&format!("`rate_limited`: {why}"))
        .header("Retry-After", retry_after("seconds until this address may try again"));
    operation.responses.responses.insert("429".into(), response.build().into());
}

/// Adds an error answer, or extends the description of one the handler
/// already gives with the same status (`POST /api/orders` has its own 400).
fn add_error(operation: &mut Operation, status: u16, description: &str) {
    match operation.responses.responses.get_mut(&status.to_string()) {
        Some(RefOr::T(existing)) => existing.description = [existing.description.as_str(), description].join("; "),
        _ => {
            let response = error_response(description).build();
            operation.responses.responses.insert(status.to_string(), response.into());
        }
    }
}

fn error_response(description: &str) -> ResponseBuilder {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", Content::new(Some(Ref::from_schema_name("ErrorBody"))))
}

/// A bound the document states for a value: the rules the API checks
/// exactly, so generated requests reach past validation. Each comes from
/// shop-core's constants (utoipa's attributes take only literals).
#[derive(Clone, Copy)]
enum Bound {
    /// An integer from 1 to this.
    UpTo(usize),
    /// A string of at most this many characters.
    Chars(usize),
    /// A string of 1 to this many characters.
    NonEmptyChars(usize),
    /// A list of 1 to this many items.
    Items(usize),
    /// A blank string or one of the order statuses.
    BlankOrStatus,
}

/// Properties of shared schemas: (schema, property, bound).
const SCHEMA_BOUNDS: [(&str, &str, Bound); 3] = [
    ("OrderItem", field::QUANTITY, Bound::UpTo(MAX_QUANTITY as usize)),
    ("OrderRequest", field::ITEMS, Bound::Items(MAX_LINES)),
    ("QuoteRequest", field::ITEMS, Bound::Items(MAX_LINES)),
];

/// Parameters of operations: (operation id, parameter, bound).
const PARAMETER_BOUNDS: [(&str, &str, Bound); 9] = [
    ("create", "Idempotency-Key", Bound::NonEmptyChars(MAX_IDEMPOTENCY_KEY)),
    ("refund", "Idempotency-Key", Bound::NonEmptyChars(MAX_IDEMPOTENCY_KEY)),
    ("products", field::CATEGORY, Bound::Chars(MAX_SEARCH_CHARS)),
    ("products", field::SEARCH, Bound::Chars(MAX_SEARCH_CHARS)),
    ("products", field::PAGE, Bound::UpTo(MAX_PAGE as usize)),
    ("products", field::PER_PAGE, Bound::UpTo(MAX_PER_PAGE as usize)),
    ("admin_orders", field::STATUS, Bound::BlankOrStatus),
    ("admin_orders", field::SEARCH, Bound::Chars(MAX_ORDER_SEARCH)),
    ("admin_orders", field::PAGE, Bound::UpTo(MAX_ADMIN_PAGE as usize)),
];

/// Writes the bounds above into the document.
struct SharedLimits;

impl Modify for SharedLimits {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let schemas = &mut doc.components.get_or_insert_default().schemas;
        for (schema, property, bound) in SCHEMA_BOUNDS {
            let Some(RefOr::T(Schema::Object(object))) = schemas.get_mut(schema) else { panic!("no schema {schema}") };
            let Some(RefOr::T(target)) = object.properties.get_mut(property) else { panic!("no {schema}.{property}") };
            apply(bound, target);
        }
        let mut applied = 0;
        for item in doc.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
            for operation in operations.into_iter().flatten() {
                let id = operation.operation_id.clone().unwrap_or_default();
                for parameter in operation.parameters.iter_mut().flatten() {
                    let bound = PARAMETER_BOUNDS.iter().find(|(op, name, _)| *op == id && *name == parameter.name);
                    if let Some((_, _, bound)) = bound {
                        let Some(RefOr::T(target)) = parameter.schema.as_mut() else {
                            panic!("{id}: {} has no schema", parameter.name)
                        };
                        apply(*bound, target);
                        applied += 1;
                    }
                }
            }
        }
        assert_eq!(applied, PARAMETER_BOUNDS.len(), "every parameter bound names a documented parameter");
    }
}

fn apply(bound: Bound, schema: &mut Schema) {
    match (bound, schema) {
        (Bound::UpTo(max), Schema::Object(number)) => {
            number.minimum = Some(Number::Int(1));
            number.maximum = Some(Number::UInt(max));
        }
        (Bound::Chars(max), Schema::Object(text)) => text.max_length = Some(max),
        (Bound::NonEmptyChars(max), Schema::Object(text)) => {
            text.min_length = Some(1);
            text.max_length = Some(max);
        }
        (Bound::Items(max), Schema::Array(list)) => {
            list.min_items = Some(1);
            list.max_items = Some(max);
        }
        (Bound::BlankOrStatus, Schema::Object(text)) => {
            let words: Vec<&str> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
            text.pattern = Some(format!("^({})?$", words.join("|")));
        }
        (_, _) => panic!("a bound that does not fit its schema's type"),
    }
}
