-- Addresses checked against the region data (shop-core's regions.rs): the
-- district's 6-digit code, and whether the shopper typed a district the
-- data does not have yet (for staff to check). Orders placed before have
-- neither: their free-text city and district are shown as written.
ALTER TABLE orders ADD COLUMN district_code TEXT;
ALTER TABLE orders ADD COLUMN district_unlisted INTEGER NOT NULL DEFAULT 0;
