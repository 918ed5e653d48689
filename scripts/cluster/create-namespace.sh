#!/bin/sh
# Waits until the Temporal frontend serves, then makes the app's namespace with its retention
# (or sets the retention of the one that exists) and registers the search attributes the order
# workflows set. Safe to repeat. Run by `npm run start:cluster` (cluster/temporal.ts) and by the
# temporal-namespace service of docker-compose.yml, with the values of cluster/temporal.env.
set -eu
: "${TEMPORAL_ADDRESS:?}" "${DEFAULT_NAMESPACE:?}" "${NAMESPACE_RETENTION:?}" "${SEARCH_ATTRIBUTES:?}"
cli=${TEMPORAL_CLI:-temporal}
attempts=${TEMPORAL_HEALTH_CHECK_MAX_ATTEMPTS:-120}
ns=$DEFAULT_NAMESPACE

retry() { # retry WHAT COMMAND...: the frontend may still be joining the cluster
  what=$1; shift; i=1
  until out=$("$@" 2>&1); do
    if printf '%s' "$out" | grep -qi 'already exists'; then return 0; fi
    if [ "$i" -ge "$attempts" ]; then
      printf '[namespace] %s failed after %s attempts:\n%s\n' "$what" "$attempts" "$out" >&2
      exit 1
    fi
    i=$((i + 1)); sleep 1
  done
}

retry 'cluster health' "$cli" operator cluster health --address "$TEMPORAL_ADDRESS"
if "$cli" operator namespace describe --address "$TEMPORAL_ADDRESS" -n "$ns" >/dev/null 2>&1; then
  retry "retention of $ns" "$cli" operator namespace update --address "$TEMPORAL_ADDRESS" -n "$ns" --retention "$NAMESPACE_RETENTION"
else
  retry "namespace $ns" "$cli" operator namespace create --address "$TEMPORAL_ADDRESS" -n "$ns" --retention "$NAMESPACE_RETENTION"
  echo "[namespace] created $ns (retention $NAMESPACE_RETENTION)"
fi

old_ifs=$IFS; IFS=','
for attr in $SEARCH_ATTRIBUTES; do
  IFS=$old_ifs
  retry "search attribute ${attr%%:*}" "$cli" operator search-attribute create --address "$TEMPORAL_ADDRESS" -n "$ns" --name "${attr%%:*}" --type "${attr#*:}"
done
IFS=$old_ifs
echo "[namespace] $ns ready: retention $NAMESPACE_RETENTION, search attributes $SEARCH_ATTRIBUTES"
