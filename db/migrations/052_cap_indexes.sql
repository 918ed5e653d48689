-- A settlement recomputes the customer's cap use (services/orders/projection.ts saveCapUse):
-- it finds the customer's associations in cap_usage and sums each one's reservations. Neither
-- column had an index, so each settlement read both tables whole, a cost that grows with every
-- order ever placed (issue 16; test/read-plans.test.ts EXPLAINs a whole settlement).
CREATE INDEX cap_usage_customer ON cap_usage (customer_id);
CREATE INDEX cap_reservations_association ON cap_reservations (association_id);
