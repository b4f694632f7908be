# Sourced by the scripts in infra/containers: paths, the podman configuration and input hashes.
# shellcheck shell=bash

CONTAINERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$CONTAINERS_DIR/../.." && pwd)"
STATE="$REPO_ROOT/.local/containers"
mkdir -p "$STATE"

# Every podman call of these scripts reads this file (written by install.sh).
export CONTAINERS_CONF="$STATE/containers.conf"

# Host ports of the podman stack: free of the shared services (55432, 59092) and of a fresh-clone
# CI run (56432, 60092, 60093).
export REGISTRY_CT_GATEWAY_PORT="${REGISTRY_CT_GATEWAY_PORT:-58000}"
export REGISTRY_CT_PG_PORT="${REGISTRY_CT_PG_PORT:-57432}"
export REGISTRY_CT_KAFKA_PORT="${REGISTRY_CT_KAFKA_PORT:-58092}"
export REGISTRY_CT_OTLP_GRPC_PORT="${REGISTRY_CT_OTLP_GRPC_PORT:-58317}"
export REGISTRY_CT_OTLP_HTTP_PORT="${REGISTRY_CT_OTLP_HTTP_PORT:-58318}"

# sha256 (first 16 hex) over the named files and folders (contents and relative paths) plus any
# extra strings given after `--`.
inputs_hash() {
  local paths=() extra=()
  while (($#)); do
    if [[ "$1" == "--" ]]; then shift; extra=("$@"); break; fi
    paths+=("$1"); shift
  done
  {
    (cd "$REPO_ROOT" && find "${paths[@]}" -type f -not -path '*/__pycache__/*' -not -name '*.pyc' -print0 \
      | LC_ALL=C sort -z | xargs -0 sha256sum)
    printf '%s\n' "${extra[@]}"
  } | sha256sum | cut -c1-16
}

image_exists() { podman image exists "$1"; }

# The Debian mirror apt already uses (deb822 .sources or one-line sources.list).
apt_mirror() {
  local uri
  uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  if [[ -z "$uri" ]]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

# The host's extra certificate authorities, as one hash (empty when there are none).
extra_ca_hash() {
  find /usr/local/share/ca-certificates -type f -print0 2>/dev/null | LC_ALL=C sort -z | xargs -0r sha256sum \
    | sha256sum | cut -c1-16
}
