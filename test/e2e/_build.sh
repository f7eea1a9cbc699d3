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
