#!/usr/bin/env bash
# `npm run test:e2e`: the end-to-end suite against a real API server.
#
# By default it starts the local control plane (test/e2e/cluster.sh up: built from Go
# modules and cached; loopback only), runs the suite and stops the control plane.
# With KIT_E2E_KUBECONFIG=<file> it runs against that cluster instead, with the CRDs
# installed there and kubectl from $KUBECTL or the PATH; it never touches $KUBECONFIG
# on its own, so a developer's current cluster is not used by accident.
#
# It also builds (or finds cached) the Pulumi CLI and Kubernetes provider that
# pulumi-up.test.ts runs (test/e2e/pulumi.sh). If they cannot be built, the suite still
# runs and that test fails, saying so.
set -euo pipefail
cd "$(dirname "$0")/../.."
e2e=test/e2e

if ! bash "$e2e/pulumi.sh" build; then
  echo "e2e: the Pulumi binaries could not be built (see above); pulumi-up.test.ts will fail" >&2
fi

if [ -n "${KIT_E2E_KUBECONFIG:-}" ]; then
  export KUBECONFIG="$KIT_E2E_KUBECONFIG" KIT_E2E_FOREIGN=1 KUBECTL="${KUBECTL:-kubectl}"
else
  state="${KIT_E2E_STATE:-/tmp/k8s-platform-kit-e2e}"
  started=0
  if ! bash "$e2e/cluster.sh" status >/dev/null 2>&1; then
    bash "$e2e/cluster.sh" up
    started=1
  fi
  # Stop only what this run started.
  trap '[ "$started" = 1 ] && bash "'"$e2e"'/cluster.sh" down' EXIT
  export KUBECONFIG="$state/kubeconfig" KUBECTL="$state/bin/kubectl" KUBECACHEDIR="$state/kubectl-cache"
fi

start=$(date +%s)
node --import tsx --test --test-concurrency=1 --test-reporter=spec $e2e/*.test.ts
echo "e2e: suite took $(( $(date +%s) - start )) s"
