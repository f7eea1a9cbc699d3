#!/usr/bin/env bash
# Local, real Kubernetes control plane for the end-to-end tests.
#
#   test/e2e/cluster.sh build    build (or reuse cached) binaries, print timing
#   test/e2e/cluster.sh up       build if needed, start the control plane, wait until ready
#   test/e2e/cluster.sh down     stop every component (SIGTERM, then SIGKILL); logs are kept
#   test/e2e/cluster.sh status   show what runs; exit 0 only if all runs and the API server is ready
#   test/e2e/cluster.sh env      print `export KUBECONFIG=... KUBECACHEDIR=...` lines (use with eval)
#   test/e2e/cluster.sh kubectl ARGS...   run the pinned kubectl against the cluster
#   test/e2e/cluster.sh bin      print the directory of the cached binaries (kubectl for `kubectl kustomize`)
#
# Components: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and
# kwok (which plays the kubelet for Nodes annotated kwok.x-k8s.io/node=fake).
# Everything is built from Go modules (the sibling go.mod files pin the
# versions) and listens on 127.0.0.1 only. No container engine, no kubelet.
#
# Pod and Service IPs are fictitious: nothing routes or connects to them (no
# kube-proxy, no CNI), so tests must not use the API server's pod/service proxy.
#
# Environment:
#   KIT_E2E_CACHE      binary cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/k8s-platform-kit/e2e);
#                      binaries go to $KIT_E2E_CACHE/<versions key>/bin
#   KIT_E2E_STATE      state dir: pki, kubeconfigs, etcd data, logs, pids (default /tmp/k8s-platform-kit-e2e)
#   KIT_E2E_PORT_BASE  first of 7 consecutive loopback ports (default 36400)
#   KIT_E2E_TIMEOUT    seconds to wait for each readiness step (default 120)
#
# Needs: go (1.26, /usr/local/go/bin is tried if not on PATH), openssl, curl,
# flock, setsid (util-linux), base64 (coreutils).
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${KIT_E2E_STATE:-/tmp/k8s-platform-kit-e2e}"
CACHE_ROOT="${KIT_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-platform-kit/e2e}"
PORT_BASE="${KIT_E2E_PORT_BASE:-36400}"
TIMEOUT="${KIT_E2E_TIMEOUT:-120}"

# Bump when the build recipe (flags, layout) changes, to invalidate caches.
RECIPE=1

# Start order; `down` stops them in reverse.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

# Loopback ports, all derived from one base so a clash is fixed by one variable.
P_APISERVER=$((PORT_BASE + 0))
P_ETCD_CLIENT=$((PORT_BASE + 1))
P_ETCD_PEER=$((PORT_BASE + 2))
P_CONTROLLER_MANAGER=$((PORT_BASE + 3))
P_SCHEDULER=$((PORT_BASE + 4))
P_KWOK=$((PORT_BASE + 5))
P_ETCD_METRICS=$((PORT_BASE + 6))

# Fictitious address ranges (see the header).
SERVICE_CIDR=10.96.0.0/16
SERVICE_FIRST_IP=10.96.0.1
POD_CIDR=10.244.0.0/16

log() { printf '[e2e] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- versions ---

# mod_version FILE MODULE: the version a go.mod requires for MODULE.
mod_version() {
  awk -v m="$2" '$1 == m && $2 ~ /^v[0-9]/ { print $2; exit }' "$1"
}

K8S_VERSION="$(mod_version "$E2E_DIR/control-plane/go.mod" k8s.io/kubernetes)"
ETCD_VERSION="$(mod_version "$E2E_DIR/etcd/go.mod" go.etcd.io/etcd/server/v3)"
KWOK_VERSION="$(mod_version "$E2E_DIR/kwok/go.mod" sigs.k8s.io/kwok)"
if [ -z "$K8S_VERSION" ] || [ -z "$ETCD_VERSION" ] || [ -z "$KWOK_VERSION" ]; then
  die "could not read pinned versions from $E2E_DIR/*/go.mod"
fi

# shellcheck source=test/e2e/_build.sh
source "$(dirname "${BASH_SOURCE[0]}")/_build.sh"

# The cache key names the versions, the Go toolchain, and a hash of the module
# files and recipe (so a dependency or flag change never reuses stale binaries).
cache_key() {
  find_go
  local gover hash
  gover="$("$GO" env GOVERSION)"
  hash="$(cat "$E2E_DIR"/{control-plane,etcd,kwok}/go.{mod,sum} <(echo "recipe=$RECIPE") |
    sha256sum | cut -c1-10)"
  echo "k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}_${gover}_${hash}"
}

# ------------------------------------------------------------------- build ---


control_plane_ok() {
  local b
  for b in kube-apiserver kube-controller-manager kube-scheduler; do
    have_version "$BIN/$b" "Kubernetes $K8S_VERSION" --version || return 1
  done
  have_version "$BIN/kubectl" "Client Version: $K8S_VERSION" version --client
}
etcd_ok() { have_version "$BIN/etcd" "etcd Version: ${ETCD_VERSION#v}" --version; }
kwok_ok() { have_version "$BIN/kwok" "kwok version $KWOK_VERSION " --version && [ -s "$SHARE/kwok-stages.yaml" ]; }

# go_build MODULE_DIR OUT LDFLAGS PACKAGES...: OUT is a directory ending in /
# (one binary per package, named after it) or a file name (one package).
go_build() {
  local dir="$1" out="$2" ldflags="$3"
  shift 3
  # -trimpath and -s -w keep binaries small and free of local paths;
  # -mod=readonly guarantees the committed go.mod/go.sum are what is built;
  # CGO_ENABLED=0 gives static binaries, as upstream ships its server binaries.
  (cd "$dir" && GOWORK=off GOFLAGS="-trimpath -mod=readonly" CGO_ENABLED=0 \
    "$GO" build -ldflags "-s -w $ldflags" -o "$out" "$@")
}

build_control_plane() {
  # Kubernetes reads its version from ldflags-set variables in two packages:
  # component-base (servers) and client-go (kubectl's client version).
  local minor="${K8S_VERSION#v1.}"
  minor="${minor%%.*}"
  local date ldflags="" pkg
  date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    # The module proxy carries no commit id for the release, so leave it empty
    # rather than the source tree's "$Format:%H$" placeholder.
    ldflags+=" -X $pkg.gitCommit= -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date"
  done
  go_build "$E2E_DIR/control-plane" "$1/" "$ldflags" \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler \
    k8s.io/kubernetes/cmd/kubectl
}

build_etcd() {
  # Named explicitly: go would call the module-root package "server".
  go_build "$E2E_DIR/etcd" "$1/etcd" "" go.etcd.io/etcd/server/v3
}

build_kwok() {
  go_build "$E2E_DIR/kwok" "$1/" "-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}" \
    sigs.k8s.io/kwok/cmd/kwok
  # The kwok binary has no built-in Stages; kwokctl embeds these defaults from
  # kwok's source tree. Assemble the same set from the pinned module: nodes
  # become Ready and keep a Lease, pods become Running/Ready, complete and
  # are deleted like a kubelet would.
  local src
  src="$(cd "$E2E_DIR/kwok" && GOWORK=off GOFLAGS=-mod=readonly "$GO" list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
  local f first=1
  {
    echo "# kwok Stages assembled by test/e2e/cluster.sh from sigs.k8s.io/kwok@$KWOK_VERSION"
    for f in node/fast/node-initialize.yaml \
      node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
      pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
      [ "$first" = 1 ] || echo '---'
      first=0
      cat "$src/kustomize/stage/$f"
    done
  } >"$1/kwok-stages.yaml"
}

# Also checks the control-plane module's invariant: every staging module is
# replaced with the release matching k8s.io/kubernetes (v1.X.Y -> v0.X.Y).
check_staging_replaces() {
  local want="v0.${K8S_VERSION#v1.}" bad
  bad="$(awk -v w="$want" '$2 == "=>" && $1 ~ /^k8s\.io\// && $4 != w { print $1 " => " $4 }' \
    "$E2E_DIR/control-plane/go.mod")"
  [ -z "$bad" ] || die "control-plane/go.mod: staging replaces must all be $want, found: $bad"
}

# build_group GROUP: run build_GROUP in a scratch dir, then move its outputs
# into the cache one file at a time (rename is atomic), so an interrupted or
# failed build never leaves a half-written file there, and groups that did
# build are kept.
build_group() {
  local tmp f
  tmp="$(mktemp -d "$KEYDIR/tmp.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  "build_$1" "$tmp"
  mkdir -p "$BIN" "$SHARE"
  for f in "$tmp"/*; do
    case "$f" in
      *.yaml) mv -f "$f" "$SHARE/" ;;
      *) mv -f "$f" "$BIN/" ;;
    esac
  done
  rm -rf "$tmp"
  trap - EXIT
}

cmd_bin() {
  find_go
  KEYDIR="$CACHE_ROOT/$(cache_key)"
  BIN="$KEYDIR/bin"
  SHARE="$KEYDIR/share"
  control_plane_ok || die "no binaries for this pin in $BIN; run '$0 build' first"
  echo "$BIN"
}

cmd_build() {
  local start=$SECONDS key
  find_go
  key="$(cache_key)"
  KEYDIR="$CACHE_ROOT/$key"
  BIN="$KEYDIR/bin"
  SHARE="$KEYDIR/share"
  check_staging_replaces
  mkdir -p "$KEYDIR"
  # One build per key at a time (parallel CI jobs, or `up` racing `build`).
  exec 9>"$KEYDIR/.lock"
  flock 9

  build_missing "$start" control_plane etcd kwok
  control_plane_ok || die "kube binaries in $BIN do not report $K8S_VERSION"
  etcd_ok || die "etcd in $BIN does not report $ETCD_VERSION"
  kwok_ok || die "kwok in $BIN does not report $KWOK_VERSION"
  exec 9>&-
  log "versions: kubernetes $K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION"
}

# ------------------------------------------------------------------- state ---

PKI="$STATE/pki"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
MARKER="$STATE/.k8s-platform-kit-e2e"

pid_of() { cat "$PIDS/$1.pid" 2>/dev/null || true; }

# running NAME: the recorded pid is alive and still is that component (guards
# against pid reuse after a reboot or a crash).
running() {
  local pid cmdline
  pid="$(pid_of "$1")"
  [ -n "$pid" ] && cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" &&
    [[ "$cmdline" == *"/$1 "* ]]
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --------------------------------------------------------------------- pki ---

# ossl ARGS...: openssl, quiet unless it fails (key generation chatters on stderr).
ossl() {
  local err
  err="$(openssl "$@" 2>&1 >/dev/null)" || die "openssl $1 failed: $err"
}

# new_ca NAME CN: self-signed CA.
new_ca() {
  ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 30 \
    -keyout "$PKI/$1.key" -out "$PKI/$1.crt" -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,digitalSignature,keyCertSign,cRLSign"
}

# new_cert NAME SUBJECT EXT [CA]: key + certificate signed by CA (default: ca).
new_cert() {
  local ca="${4:-ca}"
  ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 \
    -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" -days 30 \
    -keyout "$PKI/$1.key" -out "$PKI/$1.crt" -subj "$2" \
    -addext "basicConstraints=critical,CA:FALSE" \
    -addext "keyUsage=critical,digitalSignature,keyEncipherment" \
    -addext "$3"
}

make_pki() {
  mkdir -p "$PKI"
  chmod 700 "$PKI"
  new_ca ca k8s-platform-kit-e2e-ca
  # Front proxy (request-header authentication), as a kubeadm cluster has it:
  # aggregated API servers need it, and controller-manager/scheduler otherwise
  # log an error every few seconds about the missing request-header CA.
  new_ca front-proxy-ca k8s-platform-kit-e2e-front-proxy-ca
  new_cert front-proxy-client "/CN=front-proxy-client" "extendedKeyUsage=clientAuth" front-proxy-ca
  local localhost="IP:127.0.0.1,DNS:localhost"
  new_cert kube-apiserver "/CN=kube-apiserver" \
    "subjectAltName=$localhost,IP:$SERVICE_FIRST_IP,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  new_cert kube-controller-manager-serving "/CN=kube-controller-manager" "subjectAltName=$localhost"
  new_cert kube-scheduler-serving "/CN=kube-scheduler" "subjectAltName=$localhost"
  # Clients: the API server maps CN to the user and O to groups.
  new_cert admin "/O=system:masters/CN=kubernetes-admin" "extendedKeyUsage=clientAuth"
  new_cert kube-controller-manager "/CN=system:kube-controller-manager" "extendedKeyUsage=clientAuth"
  new_cert kube-scheduler "/CN=system:kube-scheduler" "extendedKeyUsage=clientAuth"
  # kwok updates status of arbitrary Nodes and Pods plus Leases; it is test
  # machinery, so it gets cluster-admin through system:masters.
  new_cert kwok "/O=system:masters/CN=kwok" "extendedKeyUsage=clientAuth"
  # Service-account token signing key pair.
  ossl ecparam -name prime256v1 -genkey -noout -out "$PKI/sa.key"
  ossl ec -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub"
  chmod 600 "$PKI"/*.key
}

# write_kubeconfig FILE CERT_NAME: self-contained kubeconfig (certs embedded).
write_kubeconfig() {
  local b64='base64 -w0'
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: k8s-platform-kit-e2e
  cluster:
    server: https://127.0.0.1:$P_APISERVER
    certificate-authority-data: $($b64 <"$PKI/ca.crt")
users:
- name: $2
  user:
    client-certificate-data: $($b64 <"$PKI/$2.crt")
    client-key-data: $($b64 <"$PKI/$2.key")
contexts:
- name: k8s-platform-kit-e2e
  context:
    cluster: k8s-platform-kit-e2e
    user: $2
current-context: k8s-platform-kit-e2e
EOF
  chmod 600 "$1"
}

# --------------------------------------------------------------- processes ---

# start NAME ARGS...: run $BIN/NAME detached (own session, so it outlives this
# script and ignores the caller's Ctrl-C), logging to $LOGS/NAME.log.
start() {
  local name="$1"
  shift
  # setsid execs in place here (a non-interactive shell's child is no group
  # leader), so $! is the component's own pid.
  setsid "$BIN/$name" "$@" </dev/null >>"$LOGS/$name.log" 2>&1 &
  local pid=$! i
  echo "$pid" >"$PIDS/$name.pid"
  # Until the exec happens the pid still runs this shell, and `running` (which checks
  # the command line) would report the component dead; wait for the exec (or the exit).
  for ((i = 0; i < 100; i++)); do
    [[ "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" == *"/$name "* ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
}

stop() {
  local name="$1" pid i
  pid="$(pid_of "$name")"
  if running "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do # 10 s grace
      running "$name" || break
      sleep 0.1
    done
    if running "$name"; then
      log "$name (pid $pid) ignored SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$PIDS/$name.pid"
}

stop_all() {
  local i
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    stop "${COMPONENTS[i]}"
  done
}

# fail NAME MESSAGE: show the component's log tail, stop everything, exit 1.
fail() {
  log "error: $2"
  if [ -f "$LOGS/$1.log" ]; then
    log "last lines of $LOGS/$1.log:"
    tail -n 40 "$LOGS/$1.log" | sed 's/^/    /' >&2
  fi
  stop_all
  log "all components stopped; logs kept in $LOGS"
  exit 1
}

# wait_for NAME DESCRIPTION COMMAND...: poll COMMAND until it succeeds, failing
# fast if NAME's process died.
wait_for() {
  local name="$1" what="$2" deadline=$((SECONDS + TIMEOUT))
  shift 2
  until "$@" >/dev/null 2>&1; do
    running "$name" || fail "$name" "$name exited while waiting for $what"
    [ "$SECONDS" -lt "$deadline" ] || fail "$name" "timed out after ${TIMEOUT}s waiting for $what"
    sleep 0.25
  done
}

# https_ok PORT PATH: GET over TLS (verified against our CA) returns "ok".
https_ok() {
  [ "$(curl -sf --max-time 5 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "https://127.0.0.1:$1$2")" = ok ]
}
# http_has PORT PATH TEXT: plain-HTTP GET whose body contains TEXT.
http_has() {
  local body
  body="$(curl -sf --max-time 5 "http://127.0.0.1:$1$2")" && [[ "$body" == *"$3"* ]]
}

# --cache-dir: keep kubectl's discovery cache out of ~/.kube.
kubectl_() { "$BIN/kubectl" --kubeconfig "$STATE/kubeconfig" --cache-dir "$STATE/kubectl-cache" "$@"; }

# ---------------------------------------------------------------------- up ---

cmd_up() {
  local t0=$SECONDS c p
  local any=0 all=1
  for c in "${COMPONENTS[@]}"; do
    if running "$c"; then any=1; else all=0; fi
  done
  if [ "$all" = 1 ]; then
    log "already up (state $STATE); run '$0 down' first to restart"
    return 0
  fi
  [ "$any" = 0 ] || die "some components from a previous run are still running; run '$0 down' first"

  cmd_build
  local tb=$SECONDS

  for p in $P_APISERVER $P_ETCD_CLIENT $P_ETCD_PEER $P_CONTROLLER_MANAGER $P_SCHEDULER $P_KWOK $P_ETCD_METRICS; do
    port_in_use "$p" && die "127.0.0.1:$p is already in use; set KIT_E2E_PORT_BASE to a base with 7 free ports (now $PORT_BASE)"
  done

  # Fresh state each time, but only ever delete a directory this script made.
  if [ -e "$STATE" ]; then
    [ -f "$MARKER" ] || [ -z "$(ls -A "$STATE")" ] ||
      die "$STATE exists and was not created by this script; set KIT_E2E_STATE or remove it"
    rm -rf "$STATE"
  fi
  mkdir -p "$STATE" "$LOGS" "$PIDS"
  chmod 700 "$STATE"
  touch "$MARKER"
  ln -s "$BIN" "$STATE/bin"

  make_pki
  write_kubeconfig "$STATE/kubeconfig" admin
  write_kubeconfig "$STATE/kube-controller-manager.kubeconfig" kube-controller-manager
  write_kubeconfig "$STATE/kube-scheduler.kubeconfig" kube-scheduler
  write_kubeconfig "$STATE/kwok.kubeconfig" kwok

  log "starting etcd on 127.0.0.1:$P_ETCD_CLIENT"
  mkdir -m 700 "$STATE/etcd"
  # Plain HTTP on loopback only. --unsafe-no-fsync: throwaway data, much faster.
  start etcd \
    --name=e2e --data-dir="$STATE/etcd" \
    --listen-client-urls="http://127.0.0.1:$P_ETCD_CLIENT" \
    --advertise-client-urls="http://127.0.0.1:$P_ETCD_CLIENT" \
    --listen-peer-urls="http://127.0.0.1:$P_ETCD_PEER" \
    --initial-advertise-peer-urls="http://127.0.0.1:$P_ETCD_PEER" \
    --initial-cluster="e2e=http://127.0.0.1:$P_ETCD_PEER" \
    --listen-metrics-urls="http://127.0.0.1:$P_ETCD_METRICS" \
    --unsafe-no-fsync --log-level=warn
  wait_for etcd "etcd /health" http_has "$P_ETCD_CLIENT" /health '"health":"true"'

  log "starting kube-apiserver on https://127.0.0.1:$P_APISERVER"
  # --endpoint-reconciler-type=none: the `kubernetes` Service's endpoints would
  # have to be 127.0.0.1, which Endpoints validation rejects.
  start kube-apiserver \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$P_APISERVER" \
    --etcd-servers="http://127.0.0.1:$P_ETCD_CLIENT" \
    --tls-cert-file="$PKI/kube-apiserver.crt" --tls-private-key-file="$PKI/kube-apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" \
    --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User \
    --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$PKI/front-proxy-client.crt" \
    --proxy-client-key-file="$PKI/front-proxy-client.key" \
    --authorization-mode=Node,RBAC \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" \
    --service-account-signing-key-file="$PKI/sa.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --endpoint-reconciler-type=none \
    --allow-privileged=true \
    --cert-dir="$PKI"
  wait_for kube-apiserver "kube-apiserver /readyz" https_ok "$P_APISERVER" /readyz

  log "starting kube-controller-manager, kube-scheduler and kwok"
  start kube-controller-manager \
    --kubeconfig="$STATE/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig="$STATE/kube-controller-manager.kubeconfig" \
    --authorization-kubeconfig="$STATE/kube-controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$P_CONTROLLER_MANAGER" \
    --tls-cert-file="$PKI/kube-controller-manager-serving.crt" \
    --tls-private-key-file="$PKI/kube-controller-manager-serving.key" \
    --cert-dir="$PKI" \
    --flex-volume-plugin-dir="$STATE/flexvolume" \
    --leader-elect=false \
    --use-service-account-credentials=true \
    --service-account-private-key-file="$PKI/sa.key" \
    --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --allocate-node-cidrs=false
  start kube-scheduler \
    --kubeconfig="$STATE/kube-scheduler.kubeconfig" \
    --authentication-kubeconfig="$STATE/kube-scheduler.kubeconfig" \
    --authorization-kubeconfig="$STATE/kube-scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$P_SCHEDULER" \
    --tls-cert-file="$PKI/kube-scheduler-serving.crt" \
    --tls-private-key-file="$PKI/kube-scheduler-serving.key" \
    --cert-dir="$PKI" \
    --leader-elect=false
  # kwok: its own workdir (it would otherwise read ~/.kwok/kwok.yaml), the
  # assembled Stages, only Nodes annotated kwok.x-k8s.io/node=fake, and its
  # health server on loopback (an unset --server-address with a --node-port
  # would listen on all interfaces, so it is always set).
  KWOK_WORKDIR="$STATE/kwok" start kwok \
    --kubeconfig="$STATE/kwok.kubeconfig" \
    --config="$SHARE/kwok-stages.yaml" \
    --manage-all-nodes=false \
    --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --node-lease-duration-seconds=40 \
    --cidr="$POD_CIDR" \
    --server-address="127.0.0.1:$P_KWOK"

  wait_for kube-controller-manager "kube-controller-manager /healthz" https_ok "$P_CONTROLLER_MANAGER" /healthz
  wait_for kube-scheduler "kube-scheduler /healthz" https_ok "$P_SCHEDULER" /healthz
  wait_for kwok "kwok /healthz" http_has "$P_KWOK" /healthz ok
  # Pods can only be created once the ServiceAccount admission finds `default`.
  wait_for kube-controller-manager "the default ServiceAccount" kubectl_ get serviceaccount default -n default

  log "up in $((SECONDS - t0))s (build/cache check $((tb - t0))s, start $((SECONDS - tb))s): kubernetes $K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION"
  log "state $STATE, logs $LOGS"
  cmd_env
}

# ----------------------------------------------------------- other commands --

cmd_down() {
  if [ ! -d "$PIDS" ]; then
    log "nothing to stop (no $PIDS)"
    return 0
  fi
  stop_all
  log "down; logs kept in $LOGS"
}

cmd_status() {
  local c pid rc=0
  echo "state:      $STATE"
  echo "versions:   kubernetes $K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION"
  for c in "${COMPONENTS[@]}"; do
    pid="$(pid_of "$c")"
    if running "$c"; then
      printf '%-24s running (pid %s)\n' "$c" "$pid"
    else
      printf '%-24s stopped\n' "$c"
      rc=1
    fi
  done
  if [ -f "$PKI/ca.crt" ] && https_ok "$P_APISERVER" /readyz; then
    echo "apiserver:  ready at https://127.0.0.1:$P_APISERVER"
    echo "kubeconfig: $STATE/kubeconfig"
  else
    echo "apiserver:  not ready"
    rc=1
  fi
  return "$rc"
}

cmd_env() {
  [ -f "$STATE/kubeconfig" ] || die "no kubeconfig at $STATE/kubeconfig; run '$0 up' first"
  echo "export KUBECONFIG=$STATE/kubeconfig"
  # Keeps any kubectl's discovery cache in the state dir instead of ~/.kube/cache.
  echo "export KUBECACHEDIR=$STATE/kubectl-cache"
}

cmd_kubectl() {
  [ -x "$STATE/bin/kubectl" ] || die "no cluster state at $STATE; run '$0 up' first"
  exec "$STATE/bin/kubectl" --kubeconfig "$STATE/kubeconfig" --cache-dir "$STATE/kubectl-cache" "$@"
}

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

case "${1:-}" in
  build) cmd_build ;;
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  kubectl) shift; cmd_kubectl "$@" ;;
  bin) cmd_bin ;;
  *) usage ;;
esac
