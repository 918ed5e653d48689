-- The ambassador's orders page (GET /v1/ambassadors/me/orders) is keyset-paginated on
-- (placed_at, order_id), newest first: an index in that order reads a page and the next one
-- without sorting the ambassador's orders (issue 16; test/read-plans.test.ts shows the plans).
-- It replaces 001's (ambassador_id, placed_at DESC), of which it is an extension.
CREATE INDEX orders_ambassador_page ON orders (ambassador_id, placed_at DESC, order_id DESC);
DROP INDEX orders_ambassador;
