#!/usr/bin/env bash
# The compose stack on podman: infra/compose.yaml plus compose.local.yaml (the local images).
# podman-compose 1.0.3 ignores depends_on conditions and runs no health checks by itself, so the
# start is staged here: backing services, `podman healthcheck run` until they pass, migrations and
# topics (one-shot, exit 0), then the gateway, the relay and every consumer, until healthy.
#   stack.sh up      create the containers if missing, then the staged start
#   stack.sh stop    stop every container (volumes and containers kept)
#   stack.sh down    remove containers, network and the named volumes
set -euo pipefail
# shellcheck source=infra/containers/common.sh
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"
set -a
# shellcheck disable=SC1091
source "$STATE/images.env"
set +a
export REGISTRY_GATEWAY_PORT=$REGISTRY_CT_GATEWAY_PORT REGISTRY_POSTGRES_PORT=$REGISTRY_CT_PG_PORT \
  REGISTRY_KAFKA_HOST_PORT=$REGISTRY_CT_KAFKA_PORT REGISTRY_OTLP_GRPC_PORT=$REGISTRY_CT_OTLP_GRPC_PORT \
  REGISTRY_OTLP_HTTP_PORT=$REGISTRY_CT_OTLP_HTTP_PORT
PROJECT="${REGISTRY_CT_PROJECT:-carbon-registry-ct}"

BACKING=(postgres kafka otel-collector)
ONE_SHOT=(migrate kafka-init)
PROCESSES=(gateway relay consumer-reporting consumer-cadt consumer-interregistry consumer-notifications consumer-webhooks sequencer)

compose() {
  podman-compose --project-name "$PROJECT" -f infra/compose.yaml -f infra/containers/compose.local.yaml "$@" \
    >>"$STATE/compose.log" 2>&1 || { tail -n 30 "$STATE/compose.log" >&2; return 1; }
}
container() { echo "${PROJECT}_$1_1"; }
# Without systemd podman cannot schedule health checks and says so on every start; this script runs
# them. (No pipe to a filter here: the network's dnsmasq would inherit and hold it open.)
start() {
  podman start "$(container "$1")" >/dev/null 2>"$STATE/start.err" \
    || { grep -v 'systemd connection' "$STATE/start.err" >&2; return 1; }
}

wait_healthy() { # SERVICE TIMEOUT_S
  local name deadline=$((SECONDS + $2))
  name=$(container "$1")
  until podman healthcheck run "$name" >/dev/null 2>&1; do
    if [[ "$(podman inspect -f '{{.State.Running}}' "$name")" != true ]] || ((SECONDS > deadline)); then
      echo "$1 is not healthy after $(($2))s; its last log lines:" >&2
      podman logs --tail 40 "$name" >&2 || true
      return 1
    fi
    sleep 2
  done
  echo "$1 healthy ($((SECONDS - stage_started))s)"
}

run_once() { # SERVICE: start a one-shot container and require exit code 0
  local name code
  name=$(container "$1")
  start "$1"
  code=$(podman wait "$name")
  if [[ "$code" != 0 ]]; then
    echo "$1 exited with $code:" >&2
    podman logs --tail 40 "$name" >&2 || true
    return 1
  fi
  echo "$1 done ($((SECONDS - stage_started))s)"
}

up() {
  stage_started=$SECONDS
  if ! podman container exists "$(container gateway)"; then
    compose up --no-start
  fi
  for service in "${BACKING[@]}"; do start "$service"; done
  wait_healthy postgres 240
  wait_healthy kafka 300
  for service in "${ONE_SHOT[@]}"; do run_once "$service"; done
  for service in "${PROCESSES[@]}"; do start "$service"; done
  for service in "${PROCESSES[@]}"; do wait_healthy "$service" 300; done
}

stop() {
  local names=()
  for service in "${PROCESSES[@]}" "${ONE_SHOT[@]}" "${BACKING[@]}"; do names+=("$(container "$service")"); done
  podman stop --ignore -t 20 "${names[@]}" >/dev/null 2>"$STATE/stop.err" \
    || { grep -v 'systemd connection' "$STATE/stop.err" >&2; return 1; }
}

down() {
  compose down --volumes
  podman volume rm --force "${PROJECT}_postgres-data" "${PROJECT}_kafka-data" >/dev/null 2>&1 || true
}

case "${1:-}" in
  up) up ;;
  stop) stop ;;
  down) down ;;
  *) echo "usage: $0 up|stop|down" >&2; exit 2 ;;
esac
