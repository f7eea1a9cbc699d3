#!/usr/bin/env bash
# Smoke check of the e2e control plane (run after `test/e2e/cluster.sh up`):
# a kwok-managed Node becomes Ready, and a 2-replica Deployment pinned to it
# becomes Available, which exercises the API server, controller-manager
# (Deployment -> ReplicaSet -> Pods), scheduler (taint/toleration and
# nodeSelector) and kwok (Node heartbeat, Pods Running/Ready). Cleans up after
# itself, pass or fail.
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NS=kit-e2e-smoke
NODE=kit-e2e-smoke-node-0
start=$SECONDS

k() { "$E2E_DIR/cluster.sh" kubectl "$@"; }

cleanup() {
  k delete namespace "$NS" --ignore-not-found --wait=true --timeout=60s >/dev/null || true
  k delete node "$NODE" --ignore-not-found >/dev/null || true
}
trap cleanup EXIT

fail() {
  echo "smoke: FAILED: $*" >&2
  k get nodes -o wide >&2 || true
  k -n "$NS" get deploy,rs,pods -o wide >&2 || true
  k -n "$NS" get events --sort-by=.lastTimestamp >&2 || true
  echo "smoke: 0 passed, 1 failed"
  exit 1
}

k version

# kwok only manages Nodes carrying this annotation (see cluster.sh). The taint
# keeps anything that does not tolerate fake nodes off it; status carries the
# capacity the scheduler fits Pods into.
k apply -f - <<EOF || fail "create node"
apiVersion: v1
kind: Node
metadata:
  name: $NODE
  annotations:
    kwok.x-k8s.io/node: fake
  labels:
    kubernetes.io/hostname: $NODE
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
spec:
  taints:
  - key: kwok.x-k8s.io/node
    value: fake
    effect: NoSchedule
status:
  capacity:
    cpu: "4"
    memory: 8Gi
    pods: "110"
  allocatable:
    cpu: "4"
    memory: 8Gi
    pods: "110"
EOF
k wait --for=condition=Ready "node/$NODE" --timeout=60s || fail "node did not become Ready"

k create namespace "$NS"
# The image is never pulled: kwok fakes the container runtime.
k -n "$NS" apply -f - <<EOF || fail "create deployment"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: smoke
spec:
  replicas: 2
  selector:
    matchLabels:
      app: smoke
  template:
    metadata:
      labels:
        app: smoke
    spec:
      nodeSelector:
        type: kwok
      tolerations:
      - key: kwok.x-k8s.io/node
        operator: Exists
        effect: NoSchedule
      containers:
      - name: app
        image: registry.k8s.io/pause:3.10
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
EOF
k -n "$NS" rollout status deployment/smoke --timeout=120s || fail "deployment did not become Available"
k -n "$NS" wait --for=condition=Available deployment/smoke --timeout=10s || fail "deployment not Available"

k get nodes -o wide
k -n "$NS" get deployment,pods -o wide

echo "smoke: passed in $((SECONDS - start))s"
echo "smoke: 1 passed, 0 failed"
