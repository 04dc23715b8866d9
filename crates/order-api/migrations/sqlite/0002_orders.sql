-- Orders keep a snapshot of what was bought (name, label, price at the
-- time), so later catalogue edits never rewrite history.

CREATE TABLE orders (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    order_no        TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL DEFAULT 'pending_payment',
    contact_name    TEXT NOT NULL,
    contact_phone   TEXT NOT NULL,
    province        TEXT NOT NULL,
    city            TEXT NOT NULL,
    district        TEXT NOT NULL,
    detail          TEXT NOT NULL,
    postal_code     TEXT,
    note            TEXT,
    invoice         TEXT,           -- JSON {kind, title, tax_id?} or NULL
    subtotal_fen    INTEGER NOT NULL,
    shipping_fen    INTEGER NOT NULL,
    total_fen       INTEGER NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE INDEX orders_phone ON orders (contact_phone);

CREATE TABLE order_lines (
    order_id        INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    sku             TEXT NOT NULL,
    name            TEXT NOT NULL,
    label           TEXT NOT NULL,
    unit_price_fen  INTEGER NOT NULL,
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    line_total_fen  INTEGER NOT NULL,
    PRIMARY KEY (order_id, position)
);

-- One row per Idempotency-Key that produced an order: a retry with the same
-- key and body gets that order back; a different body is refused.
CREATE TABLE idempotency_keys (
    key             TEXT PRIMARY KEY,
    request_body    TEXT NOT NULL,  -- the request re-serialized canonically
    order_no        TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
