-- Associations (关联) as durable workflows: what the projection, the identity module and the
-- ambassador API need beyond 001_core. Additive only.

-- Projection rows carry the usercode and rule set of the last click, and the timeline sequence
-- number of the change that wrote them: an older (retried) projection never overwrites a newer one.
ALTER TABLE associations
  ADD COLUMN usercode         text,
  ADD COLUMN rule_set_version text,
  ADD COLUMN last_click_at    timestamptz,
  ADD COLUMN last_seq         int NOT NULL DEFAULT 0;
CREATE INDEX associations_ambassador_page ON associations (ambassador_id, started_at DESC, id DESC);

ALTER TABLE association_events
  ADD COLUMN click_id    text,
  ADD COLUMN workflow_id text;

-- Customers: when a pay-as-you-go use was first seen (R-CUST-4, computed against the first paid
-- purchase), when the non-associable flag was set (R-ATTR-7), when the row was created.
ALTER TABLE customers
  ADD COLUMN first_payg_use_at  timestamptz,
  ADD COLUMN non_associable_at  timestamptz,
  ADD COLUMN created_at         timestamptz NOT NULL DEFAULT now();
ALTER TABLE customers ADD CONSTRAINT customers_non_associable_reason CHECK (
  non_associable_reason IS NULL OR non_associable_reason IN
    ('cloud_business_manager', 'telesales', 'distribution_partner', 'ppl_reported'));

-- Identity history lookups (R-SAME-2: changes since an instant) and hash matches at an instant.
CREATE INDEX identity_attributes_subject_attr ON identity_attributes (subject_kind, subject_id, attr, valid_from);
CREATE INDEX identity_attributes_value_all ON identity_attributes (attr, value_hash);
