-- The catalogue: categories, products and their variants (SKUs).
-- Money is integer fen; stock can never go negative (the CHECK is the last
-- line of defence behind the order transaction's own check).

CREATE TABLE categories (
    slug        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    blurb       TEXT NOT NULL,
    position    INTEGER NOT NULL
);

CREATE TABLE products (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    slug            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    subtitle        TEXT NOT NULL,
    category_slug   TEXT NOT NULL REFERENCES categories (slug),
    origin_region   TEXT NOT NULL,
    origin_county   TEXT NOT NULL,
    origin_township TEXT NOT NULL,
    producer        TEXT NOT NULL,
    description     TEXT NOT NULL,
    story           TEXT NOT NULL,
    net_weight      TEXT NOT NULL,
    shelf_life      TEXT NOT NULL,
    storage         TEXT NOT NULL,
    certifications  TEXT NOT NULL,  -- JSON array of labels
    images          TEXT NOT NULL,  -- JSON array of {src, width, height, alt}
    published       INTEGER NOT NULL DEFAULT 0,
    featured_rank   INTEGER NOT NULL DEFAULT 1000,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE INDEX products_category ON products (category_slug, published);

CREATE TABLE variants (
    sku         TEXT PRIMARY KEY,
    product_id  INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    label       TEXT NOT NULL,
    price_fen   INTEGER NOT NULL CHECK (price_fen > 0),
    stock       INTEGER NOT NULL CHECK (stock >= 0),
    position    INTEGER NOT NULL
);

CREATE INDEX variants_product ON variants (product_id);
