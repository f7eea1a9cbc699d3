# Sourced by cluster.sh and pulumi.sh: finds the Go toolchain (on the PATH, or the
# machine's /usr/local/go) and sets GO. Needs the caller's die().
find_go() {
  if command -v go >/dev/null 2>&1; then
    GO=go
  elif [ -x /usr/local/go/bin/go ]; then
    GO=/usr/local/go/bin/go
  else
    die "go not found (expected on PATH or at /usr/local/go/bin/go)"
  fi
}
