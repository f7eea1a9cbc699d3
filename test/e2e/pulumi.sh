#!/usr/bin/env bash
# The Pulumi binaries of the end-to-end suite, built from Go modules.
#
#   test/e2e/pulumi.sh build   build (or reuse cached) binaries, print timing
#   test/e2e/pulumi.sh env     print `export ...` lines (use with eval): the binaries first
#                              on PATH, no update checks, no plugin downloads
#   test/e2e/pulumi.sh bin     print the directory that holds the binaries (fails if not built)
#
# Binaries: the Pulumi CLI (`pulumi`, from github.com/pulumi/pulumi/pkg/v3) and the
# Kubernetes resource provider plugin (`pulumi-resource-kubernetes`, from
# github.com/pulumi/pulumi-kubernetes/provider/v4). The sibling go.mod files in pulumi/
# pin the versions. The engine finds the provider on PATH (an "ambient" plugin), so with
# PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION it never downloads one.
#
# The Node.js language host (pulumi-language-nodejs) is not built: the module proxy does
# not serve its module (see test/e2e/README.md). Programs run through the Automation API's
# inline programs instead, which host the language runtime in the Node.js process.
#
# Environment:
#   KIT_PULUMI_CACHE   binary cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/k8s-platform-kit/pulumi);
#                      binaries go to $KIT_PULUMI_CACHE/<versions key>/bin
#
# Needs: go (1.26, /usr/local/go/bin is tried if not on PATH), node, flock (util-linux).
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$E2E_DIR/../.." && pwd)"
MODULES="$E2E_DIR/pulumi"
CACHE_ROOT="${KIT_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-platform-kit/pulumi}"

# Bump when the build recipe (flags, layout) changes, to invalidate caches.
RECIPE=1

log() { printf '[pulumi] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- versions ---

# mod_version FILE MODULE: the version a go.mod requires for MODULE.
mod_version() {
  awk -v m="$2" '($1 == m && $2 ~ /^v[0-9]/) || ($1 == "require" && $2 == m) { print ($1 == "require" ? $3 : $2); exit }' "$1"
}

# lock_version PACKAGE: the version package-lock.json installs for an npm package.
lock_version() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e 'const lock = require(process.argv[1]); console.log(lock.packages[`node_modules/${process.argv[2]}`]?.version ?? "")' \
    "$ROOT/package-lock.json" "$1"
}

CLI_VERSION="$(mod_version "$MODULES/cli/go.mod" github.com/pulumi/pulumi/pkg/v3)"
SDK_VERSION="$(mod_version "$MODULES/cli/go.mod" github.com/pulumi/pulumi/sdk/v3)"
PROVIDER_MODULE="github.com/pulumi/pulumi-kubernetes/provider/v4"
PROVIDER_MODULE_VERSION="$(mod_version "$MODULES/provider/go.mod" "$PROVIDER_MODULE")"
if [ -z "$CLI_VERSION" ] || [ -z "$SDK_VERSION" ] || [ -z "$PROVIDER_MODULE_VERSION" ]; then
  die "could not read pinned versions from $MODULES/*/go.mod"
fi
# What the provider reports (GetPluginInfo, its schema, its user agent): the version of
# the code it is built from. The module is untagged, so that is the pseudo-version.
PROVIDER_VERSION="${PROVIDER_MODULE_VERSION#v}"

# shellcheck source=test/e2e/_build.sh
source "$(dirname "${BASH_SOURCE[0]}")/_build.sh"

# The cache key names the versions, the Go toolchain, and a hash of the module files
# and recipe (so a dependency or flag change never reuses stale binaries).
cache_key() {
  find_go
  local gover hash
  gover="$("$GO" env GOVERSION)"
  hash="$(cat "$MODULES"/cli/go.{mod,sum} "$MODULES"/provider/{go.mod,go.sum,main.go} <(echo "recipe=$RECIPE") |
    sha256sum | cut -c1-10)"
  echo "pulumi-${CLI_VERSION}_kubernetes-${PROVIDER_MODULE_VERSION}_${gover}_${hash}"
}

# The CLI module replaces the sdk module with a relative path, which does not apply to
# a module that requires it: cli/go.mod must require both at the same version.
check_cli_pins() {
  [ "$CLI_VERSION" = "$SDK_VERSION" ] ||
    die "pulumi/cli/go.mod: github.com/pulumi/pulumi/pkg/v3 ($CLI_VERSION) and sdk/v3 ($SDK_VERSION) must be the same version"
}

# The versions the program's npm packages are, next to what is built; a difference is
# reported, not hidden.
report_npm_versions() {
  local sdk k8s
  sdk="$(lock_version @pulumi/pulumi)"
  k8s="$(lock_version @pulumi/kubernetes)"
  if [ "v$sdk" != "$CLI_VERSION" ]; then
    log "warning: package-lock.json has @pulumi/pulumi $sdk, the CLI is built at $CLI_VERSION"
  fi
  if [ "$k8s" != "$PROVIDER_VERSION" ]; then
    log "note: package-lock.json has @pulumi/kubernetes $k8s; the provider plugin is built from $PROVIDER_MODULE@$PROVIDER_MODULE_VERSION (test/e2e/README.md says why)"
  fi
}

# ------------------------------------------------------------------- build ---

# go_build MODULE_DIR OUT LDFLAGS PACKAGE
go_build() {
  local dir="$1" out="$2" ldflags="$3"
  shift 3
  # As test/e2e/cluster.sh builds: no local paths, the committed go.mod/go.sum exactly,
  # static binaries; at the lowest priority, since the machine is shared.
  (cd "$dir" && GOWORK=off GOFLAGS="-trimpath -mod=readonly" CGO_ENABLED=0 \
    nice -n 19 "$GO" build -ldflags "-s -w $ldflags" -o "$out" "$@")
}

build_cli() {
  go_build "$MODULES/cli" "$1/pulumi" \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$CLI_VERSION" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
}

# The provider's command embeds the package schema (with its version filled in) and its
# Terraform mapping, which upstream's `go generate` writes from schema.json and
# terraform-mapping.json in the command's folder. Both are in the module zip; they are
# written the same way (version set, compact JSON) into a scratch copy of pulumi/provider
# and built with its main.go.
build_provider() {
  local src work="$1/provider-src"
  src="$(cd "$MODULES/provider" && GOWORK=off GOFLAGS=-mod=readonly "$GO" mod download -json "$PROVIDER_MODULE" |
    node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).Dir ?? ""))')"
  [ -d "$src/cmd/pulumi-resource-kubernetes" ] || die "$PROVIDER_MODULE@$PROVIDER_MODULE_VERSION: no cmd/pulumi-resource-kubernetes in the module"
  mkdir -p "$work"
  cp "$MODULES"/provider/{go.mod,go.sum,main.go} "$work/"
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const fs = require("node:fs");
    const [from, to, version] = process.argv.slice(1);
    const schema = JSON.parse(fs.readFileSync(`${from}/schema.json`, "utf8"));
    schema.version = version;
    fs.writeFileSync(`${to}/schema-embed.json`, JSON.stringify(schema));
    const mapping = JSON.parse(fs.readFileSync(`${from}/terraform-mapping.json`, "utf8"));
    fs.writeFileSync(`${to}/terraform-mapping-embed.json`, JSON.stringify(mapping));
  ' "$src/cmd/pulumi-resource-kubernetes" "$work" "$PROVIDER_VERSION"
  go_build "$work" "$1/pulumi-resource-kubernetes" \
    "-X $PROVIDER_MODULE/pkg/version.Version=$PROVIDER_VERSION" .
  rm -rf "$work"
}


cli_ok() { PULUMI_SKIP_UPDATE_CHECK=true have_version "$BIN/pulumi" "$CLI_VERSION" version; }
# The provider only speaks gRPC: its build information names the module version it was
# built from, and the schema it embeds carries the version it reports (the same value
# as the -X flag, which -trimpath keeps out of the build information).
provider_ok() {
  local info
  [ -x "$BIN/pulumi-resource-kubernetes" ] || return 1
  info="$("$GO" version -m "$BIN/pulumi-resource-kubernetes" 2>/dev/null)" || return 1
  [[ "$info" == *"dep	$PROVIDER_MODULE	$PROVIDER_MODULE_VERSION	"* ]] &&
    grep -qF "\"version\":\"$PROVIDER_VERSION\"" "$BIN/pulumi-resource-kubernetes"
}

resolve_bin() {
  local key
  key="$(cache_key)"
  KEYDIR="$CACHE_ROOT/$key"
  BIN="$KEYDIR/bin"
}

cmd_build() {
  local start=$SECONDS
  find_go
  check_cli_pins
  resolve_bin
  mkdir -p "$KEYDIR"
  # One build per key at a time (parallel CI jobs, or two suites at once).
  exec 9>"$KEYDIR/.lock"
  flock 9

  build_missing "$start" cli provider
  cli_ok || die "pulumi in $BIN does not report $CLI_VERSION"
  provider_ok || die "pulumi-resource-kubernetes in $BIN was not built from $PROVIDER_MODULE@$PROVIDER_MODULE_VERSION"
  exec 9>&-
  log "versions: pulumi $CLI_VERSION, kubernetes provider $PROVIDER_VERSION"
  report_npm_versions
}

cmd_bin() {
  find_go
  resolve_bin
  if ! cli_ok || ! provider_ok; then die "no binaries for this pin in $BIN; run '$0 build' first"; fi
  echo "$BIN"
}

cmd_env() {
  local bin
  bin="$(cmd_bin)"
  echo "export PATH=$bin:\$PATH"
  # No update check, no plugin downloads: the provider is found on PATH.
  echo "export PULUMI_SKIP_UPDATE_CHECK=true"
  echo "export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true"
}

usage() {
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

case "${1:-}" in
  build) cmd_build ;;
  env) cmd_env ;;
  bin) cmd_bin ;;
  *) usage ;;
esac
