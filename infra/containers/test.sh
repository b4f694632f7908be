#!/usr/bin/env bash
# The container step of the test command (called by infra/test.sh after pytest): installs podman,
# builds the images (cached by a hash of their inputs), runs the compose stack scenario and the
# chart's pods under `podman kube play`. Skipped, with a message, only where podman cannot be
# installed; any other failure fails the test command.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=infra/containers/common.sh
source infra/containers/common.sh  # CONTAINERS_CONF and the ports, for the tests' podman calls too
started=$SECONDS
section() { printf '\n== containers: %s (%ss)\n' "$1" "$((SECONDS - started))"; }

section "podman"
status=0
bash infra/containers/install.sh || status=$?
if ((status == 3)); then
  echo "SKIPPED: the container step needs podman, which cannot be installed on this machine"
  exit 0
elif ((status != 0)); then
  exit "$status"
fi

section "images"
bash infra/containers/images.sh

section "compose stack and chart pods"
stack_log=.local/containers/stack.log
: >"$stack_log"
status=0
REGISTRY_CONTAINER_STACK=1 "${PYTHON:-.venv/bin/python}" -m pytest tests/containers -m containers -p no:cacheprovider \
  || status=$?
section "stack starts and stops (from $stack_log)"
cat "$stack_log"
section "done"
exit "$status"
