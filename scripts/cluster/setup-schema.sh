#!/bin/sh
# Creates the Temporal databases (persistence and SQL visibility) and applies or upgrades their
# schemas with the schema tool of the pinned server version, from the schemas embedded in it.
# Safe on every start: an existing database is kept, and update-schema applies only what is newer.
# Run by `npm run start:cluster` (cluster/temporal.ts) and by the temporal-schema service of
# docker-compose.yml (temporalio/admin-tools image), with the values of cluster/temporal.env.
set -eu
: "${DB:?}" "${POSTGRES_SEEDS:?}" "${DB_PORT:?}" "${POSTGRES_USER:?}" "${POSTGRES_PWD:?}" "${DBNAME:?}" "${VISIBILITY_DBNAME:?}"
tool=${TEMPORAL_SQL_TOOL:-temporal-sql-tool}

# The password goes through the environment, not the command line (where ps would show it).
SQL_PASSWORD=$POSTGRES_PWD
export SQL_PASSWORD
sqltool() {
  "$tool" --plugin "$DB" --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"
}

for pair in "$DBNAME:temporal" "$VISIBILITY_DBNAME:visibility"; do
  db=${pair%%:*}
  schema=postgresql/v12/${pair#*:}
  # create-database keeps a database that exists (the tool answers 0). SKIP_DB_CREATE=true: a
  # managed Postgres whose role may not create databases has them made beforehand.
  if [ "${SKIP_DB_CREATE:-false}" != true ] && ! out=$(sqltool --db "$db" create-database 2>&1); then
    printf '%s\n' "$out" >&2
    exit 1
  fi
  sqltool --db "$db" setup-schema -v 0.0 >/dev/null 2>&1 || { sqltool --db "$db" setup-schema -v 0.0; exit 1; }
  if ! out=$(sqltool --db "$db" update-schema --schema-name "$schema" 2>&1); then
    printf '%s\n' "$out" >&2
    exit 1
  fi
  echo "[schema] $db: $schema up to date"
done
