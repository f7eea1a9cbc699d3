#!/usr/bin/env bash
# The tools the unit tests run, so that `npm test` passes on a fresh machine. Each step
# reuses what is already there, so after the first run this takes a second.
#
#   - nginx: the basic-auth verifier's test runs a real nginx (Debian package `nginx`,
#     installed with apt-get when missing and running as root);
#   - the pinned kubectl (v1.34, kustomize v5), built from Go modules with the end-to-end
#     control plane (test/e2e/cluster.sh build; ~16 minutes cold on two cores): the
#     GitOps output is checked with `kubectl kustomize`;
#   - promtool and amtool (test/tools/prometheus.sh build; ~7 minutes cold): the
#     monitoring rules and the Alertmanager configuration.
#
# Needs Go 1.26 and the Go module proxy for the builds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "[setup] installing nginx (Debian package) for the basic-auth verifier's test"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
  else
    echo "[setup] nginx is missing: install it (Debian: apt-get install -y nginx); the basic-auth verifier's test needs it" >&2
  fi
fi
bash test/e2e/cluster.sh build
bash test/tools/prometheus.sh build
