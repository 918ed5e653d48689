-- Rule-set versions published at run time (issue 14; docs/operations.md). Each row is one version
-- of the rule-set table (domain/rulesets.ts RuleSetSchema, validated by the service before it is
-- written), with who published it and why. The first start seeds the table from the defaults (or
-- RULESET_FILE); after that a version is published ahead of its instant and is immutable from it
-- on: no row is ever deleted, a version in force or past never changes, and a future version can
-- only be withdrawn (its row stays, marked). Every process reloads on the notification.

CREATE TABLE rule_set_versions (
  version          text PRIMARY KEY,
  effective_from   timestamptz NOT NULL,
  body             jsonb NOT NULL,
  author           text NOT NULL,
  reason           text NOT NULL,
  source           text NOT NULL CHECK (source IN ('seed', 'published')),
  published_at     timestamptz NOT NULL DEFAULT now(),
  withdrawn_at     timestamptz,
  withdrawn_by     text,
  withdraw_reason  text,
  CHECK (body->>'version' = version),
  CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL))
);
-- One version in force from each instant (withdrawn ones step aside).
CREATE UNIQUE INDEX rule_set_versions_live_from ON rule_set_versions (effective_from) WHERE withdrawn_at IS NULL;

CREATE FUNCTION rule_set_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.source = 'published' AND NEW.effective_from <= now() THEN
      RAISE EXCEPTION 'rule set % takes effect at %, not after now: a version is published ahead of its instant', NEW.version, NEW.effective_from
        USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.source = 'seed' AND EXISTS (SELECT FROM rule_set_versions WHERE source = 'published') THEN
      RAISE EXCEPTION 'rule set %: the table is seeded only before the first publication', NEW.version USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'rule-set versions are never deleted (%): withdraw a future one instead', OLD.version USING ERRCODE = 'restrict_violation';
  END IF;
  -- UPDATE: only the withdrawal of a version not yet in force.
  IF OLD.effective_from <= now() THEN
    RAISE EXCEPTION 'rule set % is in force since %: it is immutable', OLD.version, OLD.effective_from USING ERRCODE = 'restrict_violation';
  END IF;
  IF OLD.withdrawn_at IS NOT NULL OR NEW.withdrawn_at IS NULL
     OR (NEW.version, NEW.effective_from, NEW.body, NEW.author, NEW.reason, NEW.source, NEW.published_at)
        IS DISTINCT FROM (OLD.version, OLD.effective_from, OLD.body, OLD.author, OLD.reason, OLD.source, OLD.published_at) THEN
    RAISE EXCEPTION 'rule set %: a version is never edited, only withdrawn once before its instant', OLD.version USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER rule_set_versions_guard BEFORE INSERT OR UPDATE OR DELETE ON rule_set_versions
  FOR EACH ROW EXECUTE FUNCTION rule_set_versions_guard();
CREATE TRIGGER rule_set_versions_no_truncate BEFORE TRUNCATE ON rule_set_versions
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- Every process with a live rule book LISTENs on this channel and reloads.
CREATE FUNCTION rule_set_versions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('rule_set_versions', NEW.version);
  RETURN NULL;
END $$;
CREATE TRIGGER rule_set_versions_notify AFTER INSERT OR UPDATE ON rule_set_versions
  FOR EACH ROW EXECUTE FUNCTION rule_set_versions_notify();
