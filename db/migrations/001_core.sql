-- Ambassadors, customers and their identities, associations (projection), orders, cap usage.

CREATE TABLE ambassadors (
  id                 text PRIMARY KEY,
  usercode           text NOT NULL UNIQUE,
  account_id         text NOT NULL UNIQUE,          -- the vendor account that joined
  kind               text NOT NULL CHECK (kind IN ('individual', 'enterprise')),
  display_name       text NOT NULL,
  real_name_verified boolean NOT NULL,
  token_hash         text NOT NULL UNIQUE,          -- sha256 of the API token; the token is shown once
  joined_at          timestamptz NOT NULL,
  rule_set_version   text NOT NULL
);

-- Level history: the level at any past instant is the latest row with effective_at <= instant.
CREATE TABLE ambassador_levels (
  ambassador_id text NOT NULL REFERENCES ambassadors(id),
  effective_at  timestamptz NOT NULL,
  level         text NOT NULL CHECK (level IN ('L1', 'L2', 'L3', 'L4', 'L5')),
  set_by        text NOT NULL,
  reason        text,
  PRIMARY KEY (ambassador_id, effective_at)
);

CREATE TABLE customers (
  id                             text PRIMARY KEY,
  first_paid_purchase_at         timestamptz,
  last_consumption_at            timestamptz,
  payg_before_first_purchase     boolean NOT NULL DEFAULT false,
  same_entity_has_paid_history   boolean NOT NULL DEFAULT false,
  non_associable_reason          text,     -- R-ATTR-7: reached by the vendor's own sales etc.
  updated_at                     timestamptz NOT NULL DEFAULT now()
);

-- Identity attributes as keyed hashes (HMAC), with validity intervals so every change is kept.
CREATE TABLE identity_attributes (
  id           bigserial PRIMARY KEY,
  subject_kind text NOT NULL CHECK (subject_kind IN ('customer', 'ambassador')),
  subject_id   text NOT NULL,
  attr         text NOT NULL CHECK (attr IN ('id_document', 'phone', 'email', 'linked_account')),
  value_hash   text NOT NULL,
  valid_from   timestamptz NOT NULL,
  valid_to     timestamptz,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX identity_attributes_subject ON identity_attributes (subject_kind, subject_id);
CREATE INDEX identity_attributes_value ON identity_attributes (attr, value_hash) WHERE valid_to IS NULL;

-- Projection of association workflows, for listing. The workflow is the source of truth.
CREATE TABLE associations (
  id             text PRIMARY KEY,
  customer_id    text NOT NULL,
  ambassador_id  text NOT NULL REFERENCES ambassadors(id),
  started_at     timestamptz NOT NULL,
  ends_at        timestamptz NOT NULL,
  ended_at       timestamptz,
  end_reason     text,
  workflow_id    text NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX associations_ambassador ON associations (ambassador_id, started_at DESC);
CREATE INDEX associations_customer ON associations (customer_id, started_at DESC);

CREATE TABLE association_events (
  customer_id   text NOT NULL,
  seq           int NOT NULL,
  kind          text NOT NULL,
  at            timestamptz NOT NULL,
  ambassador_id text,
  association_id text,
  detail        jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (customer_id, seq)
);

-- Orders as received (the body hash makes a conflicting resend detectable) and their state.
CREATE TABLE orders (
  order_id        text PRIMARY KEY,
  customer_id     text NOT NULL,
  body_hash       text NOT NULL,
  body            jsonb NOT NULL,
  placed_at       timestamptz NOT NULL,
  ambassador_id   text,
  association_id  text,
  state           text NOT NULL,
  reward_yunqi    bigint,
  credited_yunqi  bigint NOT NULL DEFAULT 0,
  explanation     jsonb,
  workflow_id     text NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_ambassador ON orders (ambassador_id, placed_at DESC);
CREATE INDEX orders_customer ON orders (customer_id, placed_at);

-- Per-association cap usage (R-ORD-6). Reservations are keyed by order: a retry reserves nothing new.
CREATE TABLE cap_usage (
  association_id    text PRIMARY KEY,
  customer_id       text NOT NULL,
  paid_used_yunqi   bigint NOT NULL DEFAULT 0 CHECK (paid_used_yunqi >= 0),
  reward_used_yunqi bigint NOT NULL DEFAULT 0 CHECK (reward_used_yunqi >= 0)
);

CREATE TABLE cap_reservations (
  order_id         text PRIMARY KEY,
  association_id   text NOT NULL REFERENCES cap_usage(association_id),
  paid_yunqi       bigint NOT NULL CHECK (paid_yunqi >= 0),
  reward_yunqi     bigint NOT NULL CHECK (reward_yunqi >= 0),
  computation      jsonb NOT NULL,
  last_adjustment  text,               -- idempotency key of the last refund applied
  created_at       timestamptz NOT NULL DEFAULT now()
);
