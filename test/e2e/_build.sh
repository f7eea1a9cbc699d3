# Sourced by cluster.sh and pulumi.sh: what both build steps share. Needs the caller's
# log() and die(), and for build_missing its <group>_ok and build_group functions.

# find_go: sets GO to the Go toolchain (on the PATH, or the machine's /usr/local/go).
find_go() {
  if command -v go >/dev/null 2>&1; then
    GO=go
  elif [ -x /usr/local/go/bin/go ]; then
    GO=/usr/local/go/bin/go
  else
    die "go not found (expected on PATH or at /usr/local/go/bin/go)"
  fi
}

# build_missing START GROUP...: builds each group whose <group>_ok check fails, then logs
# a cache hit or what was built, with the time since START.
build_missing() {
  local start=$1 group built=()
  shift
  for group in "$@"; do
    "${group}_ok" && continue
    log "building ${group//_/-} (a cold build takes minutes) ..."
    build_group "$group"
    built+=("${group//_/-}")
  done
  if [ ${#built[@]} -eq 0 ]; then
    log "build: cache hit ($BIN) in $((SECONDS - start))s"
  else
    log "build: built ${built[*]} into $BIN in $((SECONDS - start))s"
  fi
}

# build_group GROUP: build into a scratch dir, then move the binary into the cache
# (rename is atomic), so an interrupted or failed build never leaves a half-written file.
build_group() {
  local tmp f
  tmp="$(mktemp -d "$KEYDIR/tmp.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  "build_$1" "$tmp"
  mkdir -p "$BIN"
  for f in "$tmp"/*; do mv -f "$f" "$BIN/"; done
  rm -rf "$tmp"
  trap - EXIT
}

# have_version BIN EXPECTED ARGS...: BIN exists and what `BIN ARGS` prints (stdout and
# stderr) mentions EXPECTED.
have_version() {
  local bin="$1" want="$2"
  shift 2
  [ -x "$bin" ] || return 1
  local out # captured first: `| grep -q` could SIGPIPE the binary and, under pipefail, fail
  out="$("$bin" "$@" 2>&1)" || return 1
  [[ "$out" == *"$want"* ]]
}
