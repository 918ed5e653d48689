#!/usr/bin/env bash
# Installs the pinned Temporal server, its schema tool and the Temporal UI server into a
# project-local folder (.cluster/, ignored by git) when they are missing, by building them from
# their Go modules (versions: cluster/versions.env). Safe to run repeatedly. The first build takes
# about four minutes on two cores and prints its progress; later runs find the binaries.
# Prints the folder of the binaries on its last line. Exit 3: no Go here (use docker compose).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=../../cluster/versions.env
. "$root/cluster/versions.env"
tools="${CLUSTER_TOOLS_DIR:-$root/.cluster}"
server_dir="$tools/temporal-server-$TEMPORAL_SERVER_VERSION"
ui_dir="$tools/temporal-ui-$TEMPORAL_UI_VERSION"
say() { echo "[cluster:install] $*" >&2; }

have() { [ -x "$server_dir/temporal-server" ] && [ -x "$server_dir/temporal-sql-tool" ] && [ -x "$ui_dir/temporal-ui-server" ] && [ -f "$ui_dir/config/docker.yaml" ]; }
if have; then echo "$tools"; exit 0; fi

if ! command -v go >/dev/null 2>&1; then
  say "Go is not installed, so the Temporal server $TEMPORAL_SERVER_VERSION cannot be built here."
  say "Either install Go (1.21 or newer; it fetches the $GO_TOOLCHAIN toolchain itself) and run this again,"
  say "or run the same topology in containers: docker compose up   (see docs/cluster.md)."
  exit 3
fi
go_minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
if ! [ "$go_minor" -ge 21 ] 2>/dev/null; then
  say "Go $(go env GOVERSION) is too old to fetch the $GO_TOOLCHAIN toolchain; install Go 1.21 or newer, or use docker compose up."
  exit 3
fi

# One build at a time: a second start waits for the first instead of building the same thing.
mkdir -p "$tools"
exec 9>"$tools/.install.lock"
flock 9
if have; then echo "$tools"; exit 0; fi

progress() { # go install -v's stderr: downloads and errors as they come, packages as a count
  local n=0 line
  while IFS= read -r line; do
    case $line in
      go:\ downloading*) say "  $line" ;;
      *': '*) echo "$line" >&2 ;;
      *) n=$((n + 1)); if [ $((n % 100)) -eq 0 ]; then say "  $n packages compiled"; fi ;;
    esac
  done
}

build() { # build NAME MODULE@VERSION DEST_DIR PACKAGE:BINARY...
  local name=$1 version=$2 dest=$3; shift 3
  local tmp; tmp=$(mktemp -d "$tools/.build.XXXXXX")
  local pkgs=() p
  for p in "$@"; do pkgs+=("${p%%:*}@$version"); done
  say "building $name $version with Go ($GO_TOOLCHAIN): the first time takes a few minutes"
  local start=$SECONDS
  ( while sleep 20; do say "  ... still building $name ($((SECONDS - start)) s)"; done ) &
  local ticker=$!
  local status=0
  # -v names each package as it is compiled: a count every 100 shows the build moving.
  GOTOOLCHAIN=$GO_TOOLCHAIN GOBIN="$tmp" go install -v "${pkgs[@]}" 2> >(progress) || status=$?
  kill "$ticker" 2>/dev/null || true
  wait "$ticker" 2>/dev/null || true
  if [ "$status" -ne 0 ]; then rm -rf "$tmp"; say "building $name failed (exit $status)"; exit 1; fi
  mkdir -p "$dest"
  for p in "$@"; do
    local pkg=${p%%:*} bin=${p#*:}
    mv "$tmp/${pkg##*/}" "$dest/$bin"
  done
  rm -rf "$tmp"
  say "built $name $version in $((SECONDS - start)) s: $dest"
}

if ! [ -x "$server_dir/temporal-server" ] || ! [ -x "$server_dir/temporal-sql-tool" ]; then
  build "Temporal server and schema tool" "v$TEMPORAL_SERVER_VERSION" "$server_dir" \
    go.temporal.io/server/cmd/server:temporal-server go.temporal.io/server/cmd/tools/sql:temporal-sql-tool
fi
if ! [ -x "$ui_dir/temporal-ui-server" ] || ! [ -f "$ui_dir/config/docker.yaml" ]; then
  build "Temporal UI server" "v$TEMPORAL_UI_VERSION" "$ui_dir" github.com/temporalio/ui-server/v2/cmd/server:temporal-ui-server
  # The UI image runs with the config template of its module; so does the UI here.
  mod=$(GOTOOLCHAIN=$GO_TOOLCHAIN go mod download -json "github.com/temporalio/ui-server/v2@v$TEMPORAL_UI_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  mkdir -p "$ui_dir/config"
  cp "$mod/config/docker.yaml" "$ui_dir/config/docker.yaml"
  # One line more than the image's: the address to bind (the image binds every interface).
  printf '\nhost: {{ env "TEMPORAL_UI_HOST" | default "" }}\n' >> "$ui_dir/config/docker.yaml"
  chmod 644 "$ui_dir/config/docker.yaml"
fi
echo "$tools"
