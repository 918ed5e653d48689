-- The latest instant a customer's orders were judged at (services/orders/settlement.ts): a step
-- judges at the later of its own instant and this one, so time never runs backwards for a
-- customer (a local activity retried inside a workflow task keeps the task's start time, and
-- another order of the customer may have been settled later in between).
ALTER TABLE customers ADD COLUMN judged_through timestamptz;
