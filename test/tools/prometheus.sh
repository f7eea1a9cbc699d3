#!/usr/bin/env bash
# promtool and amtool for the monitoring tests, built from their Go modules.
#
#   test/tools/prometheus.sh build   build (or reuse cached) binaries, print timing
#   test/tools/prometheus.sh bin     print the directory that holds the binaries (fails if not built)
#
# Versions match what kube-prometheus-stack 88.5.3 runs: Prometheus v3.14.0 (Go module
# tag v0.314.0: Prometheus 3.x is tagged v0.3xx.y in Go) and Alertmanager v0.34.0.
# Each is built inside its downloaded module (checked against the Go checksum database)
# with that module's own go.mod and go.sum.
#
# Environment:
#   KIT_PROMETHEUS_TOOLS_CACHE  binary cache root (default
#                               ${XDG_CACHE_HOME:-$HOME/.cache}/k8s-platform-kit/prometheus-tools);
#                               binaries go to $KIT_PROMETHEUS_TOOLS_CACHE/<versions key>/bin
#
# Needs: go (1.26, /usr/local/go/bin is tried if not on PATH), flock (util-linux).
set -euo pipefail

TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_ROOT="${KIT_PROMETHEUS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-platform-kit/prometheus-tools}"

PROMETHEUS_MODULE=github.com/prometheus/prometheus
PROMETHEUS_VERSION=v0.314.0
PROMETHEUS_RELEASE=3.14.0 # what the Go module version v0.314.0 is released as
ALERTMANAGER_MODULE=github.com/prometheus/alertmanager
ALERTMANAGER_VERSION=v0.34.0

# Bump when the build recipe (flags, layout) changes, to invalidate caches.
RECIPE=2

log() { printf '[prometheus-tools] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# shellcheck source=test/e2e/_build.sh
source "$TOOLS_DIR/../e2e/_build.sh"

cache_key() {
  find_go
  local gover
  gover="$("$GO" env GOVERSION)"
  echo "prometheus-${PROMETHEUS_VERSION}_alertmanager-${ALERTMANAGER_VERSION}_${gover}_r${RECIPE}"
}

resolve_bin() {
  local key
  key="$(cache_key)"
  KEYDIR="$CACHE_ROOT/$key"
  BIN="$KEYDIR/bin"
}

# module_build OUT MODULE VERSION PACKAGE REPORTED: builds PACKAGE inside the downloaded
# module, so its own go.mod and go.sum (and its replace directives, which `go install
# module@version` refuses) apply exactly. Static, trimmed, at the lowest priority (the
# machine is shared). Built in the module, the main module's version is "(devel)", so the
# release version is stamped as upstream's release builds (promu) do, for `--version`.
module_build() {
  local out="$1" module="$2" version="$3" pkg="$4" reported="$5" dir
  dir="$(GOWORK=off GOFLAGS=-mod=mod "$GO" mod download -json "$module@$version" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -f "$dir/go.mod" ] || die "$module@$version: module download failed"
  (cd "$dir" && GOWORK=off GOFLAGS="-trimpath -mod=readonly" CGO_ENABLED=0 \
    nice -n 19 "$GO" build -ldflags "-s -w -X github.com/prometheus/common/version.Version=$reported -X github.com/prometheus/common/version.Branch=$version" -o "$out/$(basename "$pkg")" "./$pkg")
}

build_promtool() { module_build "$1" "$PROMETHEUS_MODULE" "$PROMETHEUS_VERSION" cmd/promtool "$PROMETHEUS_RELEASE"; }
build_amtool() { module_build "$1" "$ALERTMANAGER_MODULE" "$ALERTMANAGER_VERSION" cmd/amtool "${ALERTMANAGER_VERSION#v}"; }

promtool_ok() { have_version "$BIN/promtool" ", version $PROMETHEUS_RELEASE " --version; }
amtool_ok() { have_version "$BIN/amtool" ", version ${ALERTMANAGER_VERSION#v} " --version; }

cmd_build() {
  local start=$SECONDS
  find_go
  resolve_bin
  mkdir -p "$KEYDIR"
  # One build per key at a time (parallel test files, or two suites at once).
  exec 9>"$KEYDIR/.lock"
  flock 9
  build_missing "$start" promtool amtool
  promtool_ok || die "promtool in $BIN does not report version $PROMETHEUS_RELEASE"
  amtool_ok || die "amtool in $BIN does not report version ${ALERTMANAGER_VERSION#v}"
  exec 9>&-
  log "versions: promtool $PROMETHEUS_RELEASE ($PROMETHEUS_MODULE@$PROMETHEUS_VERSION), amtool ${ALERTMANAGER_VERSION#v} ($ALERTMANAGER_MODULE@$ALERTMANAGER_VERSION)"
}

cmd_bin() {
  find_go
  resolve_bin
  if ! promtool_ok || ! amtool_ok; then die "no binaries for this pin in $BIN; run '$0 build' first"; fi
  echo "$BIN"
}

usage() {
  sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

case "${1:-}" in
  build) cmd_build ;;
  bin) cmd_bin ;;
  *) usage ;;
esac
