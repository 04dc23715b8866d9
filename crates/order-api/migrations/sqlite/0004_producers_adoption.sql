-- Producer pages, adoption products (蜜蜂认养) with numbered hives, and the
-- county of every order line, so the impact panel sums real, paid orders.
-- (A catalogue seeded before this migration needs `order-api reseed`.)

CREATE TABLE producers (
    slug         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    county       TEXT NOT NULL,
    township     TEXT NOT NULL,
    description  TEXT NOT NULL
);

ALTER TABLE products ADD COLUMN producer_slug TEXT REFERENCES producers (slug);
ALTER TABLE products DROP COLUMN producer;
ALTER TABLE products ADD COLUMN kind TEXT NOT NULL DEFAULT 'goods';  -- 'goods' | 'adoption'
ALTER TABLE products ADD COLUMN adoption_plan TEXT;                  -- JSON AdoptionPlan when kind = 'adoption'

ALTER TABLE order_lines ADD COLUMN county TEXT NOT NULL DEFAULT '';

-- The numbered hives an adoption SKU (one season) offers.
CREATE TABLE hives (
    sku  TEXT NOT NULL,
    no   INTEGER NOT NULL,
    PRIMARY KEY (sku, no)
);

CREATE TABLE adoptions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    sku         TEXT NOT NULL,
    hive_no     INTEGER NOT NULL,
    hive_name   TEXT NOT NULL,
    adopter     TEXT NOT NULL,
    released    INTEGER NOT NULL DEFAULT 0,  -- 1 once the order was cancelled
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    FOREIGN KEY (sku, hive_no) REFERENCES hives (sku, no)
);

-- The database itself guarantees one live adopter per hive.
CREATE UNIQUE INDEX one_adopter_per_hive ON adoptions (sku, hive_no) WHERE released = 0;
CREATE INDEX adoptions_order ON adoptions (order_id);

CREATE TABLE adoption_deliveries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    adoption_id   INTEGER NOT NULL REFERENCES adoptions (id),
    delivered_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    tracking_no   TEXT NOT NULL,
    amount        TEXT NOT NULL
);
