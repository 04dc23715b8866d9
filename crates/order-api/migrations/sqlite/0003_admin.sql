-- Running orders, and a record of every catalogue change.

ALTER TABLE orders ADD COLUMN tracking_no TEXT;
ALTER TABLE orders ADD COLUMN cancel_reason TEXT;  -- 'by_shop' | 'payment_timeout'
ALTER TABLE orders ADD COLUMN status_changed_at TEXT;

CREATE INDEX orders_status_created ON orders (status, created_at);
CREATE INDEX orders_created ON orders (created_at);

CREATE TABLE product_changes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id   INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    changed_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    field        TEXT NOT NULL,   -- 'published', 'name', 'HONEY-WF-500.price_fen', 'HONEY-WF-500.stock', …
    old_value    TEXT NOT NULL,
    new_value    TEXT NOT NULL,
    remote_addr  TEXT NOT NULL
);

CREATE INDEX product_changes_product ON product_changes (product_id, id);
