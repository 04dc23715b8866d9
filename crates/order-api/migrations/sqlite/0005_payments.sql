-- Payments and refunds (WeChat Pay, and bank transfers staff record).
-- A payment row is one attempt: WeChat Pay refuses a second trade type or
-- changed parameters under an out_trade_no it has seen, so each attempt has
-- its own. Refunds are records against the order's lines, not an order
-- status: a partly refunded order still ships.

CREATE TABLE payments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    method          TEXT NOT NULL,   -- shop_core::payment::PaymentMethod
    mode            TEXT,            -- PaymentMode, for WeChat Pay
    out_trade_no    TEXT NOT NULL UNIQUE,
    amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
    state           TEXT NOT NULL,   -- PaymentState
    openid          TEXT,            -- the JSAPI payer
    instrument      TEXT,            -- prepay_id, h5_url or code_url
    instrument_expires_at TEXT,      -- reused until then
    reference       TEXT,            -- WeChat's transaction_id, or the bank's reference
    payer           TEXT,            -- a bank transfer's payer, as the statement names them
    paid_at         TEXT,
    recorded_by     TEXT,            -- the address staff recorded a transfer from
    last_checked_at TEXT,            -- the last time the provider was asked about it
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE INDEX payments_order ON payments (order_id);
CREATE INDEX payments_state ON payments (state, last_checked_at);

CREATE TABLE refunds (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    payment_id      INTEGER NOT NULL REFERENCES payments (id),
    refund_no       TEXT NOT NULL UNIQUE,   -- out_refund_no: WeChat refunds once per number
    amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
    reason          TEXT NOT NULL,          -- RefundReason
    state           TEXT NOT NULL,          -- RefundState
    provider_refund_id TEXT,
    requested_by    TEXT NOT NULL,          -- the staff member's address, or 'shop' when automatic
    requested_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    succeeded_at    TEXT,
    last_checked_at TEXT
);

CREATE INDEX refunds_order ON refunds (order_id);
CREATE INDEX refunds_state ON refunds (state, last_checked_at);

-- The units of each order line a refund covers (lines refunded before the
-- order shipped went back into stock when the refund was recorded).
CREATE TABLE refund_lines (
    refund_id   INTEGER NOT NULL REFERENCES refunds (id),
    position    INTEGER NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (refund_id, position)
);

-- The Idempotency-Key of each refund staff asked for.
CREATE TABLE refund_requests (
    key           TEXT PRIMARY KEY,
    request_body  TEXT NOT NULL,
    refund_no     TEXT NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- A shopper's WeChat openid (from the silent web authorisation), found by
-- the SHA-256 of the cookie their browser holds.
CREATE TABLE wechat_openids (
    token_hash  TEXT PRIMARY KEY,
    openid      TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

ALTER TABLE orders ADD COLUMN pay_by TEXT;    -- cancelled unless paid by then (NULL: created_at + UNPAID_ORDER_MINUTES)
ALTER TABLE orders ADD COLUMN paid_at TEXT;
ALTER TABLE orders ADD COLUMN paid_by INTEGER REFERENCES payments (id);  -- the payment that paid it
